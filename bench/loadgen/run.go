package main

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// recorder collects outcomes from concurrent requests.
type recorder struct {
	mu       sync.Mutex
	result   *Result
	inFlight atomic.Int64
}

func (r *recorder) add(o outcome) {
	r.mu.Lock()
	defer r.mu.Unlock()
	res := r.result
	if o.stalled {
		res.Stalled++
	}
	if !o.ok {
		res.Failed++
		res.Failures[o.failure]++
		return
	}
	res.OK++
	res.LatencyUs = append(res.LatencyUs, o.latency.Microseconds())
	if o.ttft > 0 {
		res.TtftUs = append(res.TtftUs, o.ttft.Microseconds())
	}
	for name, us := range o.timing {
		if res.ServerTimingUs == nil {
			res.ServerTimingUs = map[string][]int64{}
		}
		res.ServerTimingUs[name] = append(res.ServerTimingUs[name], us)
	}
}

func (r *recorder) enter() {
	n := int(r.inFlight.Add(1))
	r.mu.Lock()
	if n > r.result.PeakInFlight {
		r.result.PeakInFlight = n
	}
	r.mu.Unlock()
}

func (r *recorder) leave() { r.inFlight.Add(-1) }

// run performs the job's warm-up (discarded) and then its measured round.
func run(client *http.Client, job Job) Result {
	warmupSent := 0
	if job.WarmupMs > 0 {
		warm := job
		warm.Count = 0
		warm.DurationMs = job.WarmupMs
		warmupSent = round(client, &warm).Sent
	}
	res := round(client, &job)
	res.ID = job.ID
	res.WarmupSent = warmupSent
	return res
}

func round(client *http.Client, job *Job) Result {
	res := Result{Failures: map[string]int{}, LatencyUs: []int64{}, TtftUs: []int64{}}
	rec := &recorder{result: &res}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	start := time.Now()
	end := start.Add(time.Duration(job.DurationMs) * time.Millisecond)
	if job.Mode == "rate" {
		openLoop(ctx, client, job, rec, &wg, start, end)
	} else {
		closedLoop(ctx, client, job, rec, &wg, end)
	}
	drain(&wg, time.Until(end)+time.Duration(job.DrainMs)*time.Millisecond, cancel)
	res.ElapsedMs = float64(time.Since(start).Microseconds()) / 1000
	return res
}

// drain waits for the round's requests, cancelling those still running after `within`.
func drain(wg *sync.WaitGroup, within time.Duration, cancel context.CancelFunc) {
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	timer := time.NewTimer(max(within, 0))
	defer timer.Stop()
	select {
	case <-done:
	case <-timer.C:
		cancel()
		<-done
	}
}

// openLoop sends request i at start + i/rate whatever happened to the earlier ones.
func openLoop(ctx context.Context, client *http.Client, job *Job, rec *recorder, wg *sync.WaitGroup, start, end time.Time) {
	nsPerRequest := float64(time.Second) / job.Rate
	for i := 0; job.Count <= 0 || i < job.Count; i++ {
		due := start.Add(time.Duration(float64(i) * nsPerRequest))
		if !due.Before(end) {
			break
		}
		if wait := time.Until(due); wait > 0 {
			time.Sleep(wait)
		}
		if rec.inFlight.Load() >= int64(job.MaxInFlight) {
			rec.mu.Lock()
			rec.result.Dropped++
			rec.mu.Unlock()
			continue
		}
		rec.mu.Lock()
		rec.result.Sent++
		rec.mu.Unlock()
		rec.enter()
		wg.Add(1)
		go func(due time.Time) {
			defer wg.Done()
			defer rec.leave()
			rec.add(do(ctx, client, job, due))
		}(due)
	}
}

// closedLoop keeps `concurrency` requests in flight until the round ends.
func closedLoop(ctx context.Context, client *http.Client, job *Job, rec *recorder, wg *sync.WaitGroup, end time.Time) {
	var started atomic.Int64
	start := time.Now()
	for i := range job.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if job.RampMs > 0 {
				offset := time.Duration(job.RampMs) * time.Millisecond * time.Duration(i) / time.Duration(job.Concurrency)
				time.Sleep(time.Until(start.Add(offset)))
			}
			for time.Now().Before(end) {
				if job.Count > 0 && started.Add(1) > int64(job.Count) {
					return
				}
				rec.mu.Lock()
				rec.result.Sent++
				rec.mu.Unlock()
				rec.enter()
				o := do(ctx, client, job, time.Now())
				rec.leave()
				rec.add(o)
				if !o.ok {
					// A target that fails at once must not turn the loop into a busy spin.
					time.Sleep(time.Millisecond)
				}
			}
		}()
	}
}
