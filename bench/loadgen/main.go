// Command loadgen is the side-by-side benchmark's load generator (bench/run.ts drives it).
//
// It is a long-lived process so each target keeps its keep-alive connection pool across the
// interleaved rounds, like a real client would. Protocol: one JSON Job per line on stdin, one
// JSON Result per line on stdout, in order; stdin closed means exit. Only the standard library.
//
// Modes:
//   - "rate": open loop at a fixed rate. Request i is due at start + i/rate and its latency is
//     measured from that due time, not from when it was actually sent, so a stalled server cannot
//     hide its stall by slowing the client down (no coordinated omission). Requests that would
//     exceed maxInFlight are not sent and are counted as dropped.
//   - "closed": `concurrency` workers, each sending its next request when the previous one ends
//     (maximum throughput, concurrent streams, sequential streams with concurrency 1).
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 16<<20)
	out := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(out)
	pools := newPools()
	for in.Scan() {
		line := in.Bytes()
		if len(line) == 0 {
			continue
		}
		var job Job
		var result Result
		if err := json.Unmarshal(line, &job); err != nil {
			result = Result{Error: fmt.Sprintf("bad job: %v", err)}
		} else if err := job.validate(); err != nil {
			result = Result{ID: job.ID, Error: err.Error()}
		} else {
			result = run(pools.client(job.Target.Name), job)
		}
		if err := enc.Encode(result); err != nil {
			fmt.Fprintf(os.Stderr, "loadgen: cannot write result: %v\n", err)
			os.Exit(1)
		}
		if err := out.Flush(); err != nil {
			fmt.Fprintf(os.Stderr, "loadgen: cannot write result: %v\n", err)
			os.Exit(1)
		}
	}
	if err := in.Err(); err != nil {
		fmt.Fprintf(os.Stderr, "loadgen: reading jobs: %v\n", err)
		os.Exit(1)
	}
}
