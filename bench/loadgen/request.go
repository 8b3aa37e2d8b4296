package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// outcome is what one request came to.
type outcome struct {
	ok      bool
	failure string // empty when ok
	stalled bool
	latency time.Duration
	ttft    time.Duration // streams only; 0 when no token arrived
	timing  map[string]int64
}

var (
	dataPrefix = []byte("data:")
	doneEvent  = []byte("[DONE]")
	errorEvent = []byte(`{"error"`)
	// A token is a non-empty string value under one of these keys: OpenAI deltas carry
	// `content` / `reasoning_content`, Workers AI's older models `response`.
	tokenKeys = [][]byte{[]byte(`content":"`), []byte(`"response":"`)}
)

// carriesToken reports whether an SSE data payload holds a non-empty token.
func carriesToken(payload []byte) bool {
	for _, key := range tokenKeys {
		rest := payload
		for {
			i := bytes.Index(rest, key)
			if i < 0 {
				break
			}
			rest = rest[i+len(key):]
			if len(rest) > 0 && rest[0] != '"' {
				return true
			}
		}
	}
	return false
}

// do sends one request of job and measures it from `from` (its due time in the open loop).
// Cancelling roundCtx abandons it as "unfinished".
func do(roundCtx context.Context, client *http.Client, job *Job, from time.Time) outcome {
	ctx, cancel := context.WithTimeout(roundCtx, time.Duration(job.TimeoutMs)*time.Millisecond)
	defer cancel()
	var stalled atomic.Bool
	var watchdog *time.Timer
	if job.Stream {
		stall := time.Duration(job.StallMs) * time.Millisecond
		watchdog = time.AfterFunc(stall, func() {
			stalled.Store(true)
			cancel()
		})
		defer watchdog.Stop()
	}
	var firstToken atomic.Bool
	fail := func(kind string) outcome {
		switch {
		case stalled.Load() && firstToken.Load():
			return outcome{failure: "stalled_mid_stream", stalled: true}
		case stalled.Load():
			return outcome{failure: "stalled_before_first_token", stalled: true}
		case roundCtx.Err() != nil:
			return outcome{failure: "unfinished"}
		}
		return outcome{failure: kind}
	}

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, job.Target.URL, strings.NewReader(job.Target.Body))
	if err != nil {
		return fail("bad_request")
	}
	req.Header.Set("content-type", "application/json")
	for k, v := range job.Target.Headers {
		req.Header.Set(k, v)
	}
	res, err := client.Do(req)
	if err != nil {
		return fail(classify(err))
	}
	defer res.Body.Close()
	if res.StatusCode < 200 || res.StatusCode > 299 {
		_, _ = io.Copy(io.Discard, res.Body)
		return fail("status_" + strconv.Itoa(res.StatusCode))
	}
	var timing map[string]int64
	if job.ServerTiming {
		timing = parseServerTiming(res.Header.Get("server-timing"))
	}
	if !job.Stream {
		if _, err := io.Copy(io.Discard, res.Body); err != nil {
			return fail("incomplete")
		}
		return outcome{ok: true, latency: time.Since(from), timing: timing}
	}

	reader := bufio.NewReaderSize(res.Body, 32<<10)
	var ttft time.Duration
	done := false
	for {
		line, err := reader.ReadSlice('\n')
		if len(line) > 0 {
			watchdog.Reset(time.Duration(job.StallMs) * time.Millisecond)
			if payload, isData := bytes.CutPrefix(bytes.TrimLeft(line, " "), dataPrefix); isData {
				payload = bytes.TrimSpace(payload)
				switch {
				case bytes.Equal(payload, doneEvent):
					done = true
				case bytes.HasPrefix(payload, errorEvent):
					_, _ = io.Copy(io.Discard, reader)
					return fail("stream_error")
				case ttft == 0 && carriesToken(payload):
					ttft = time.Since(from)
					firstToken.Store(true)
				}
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue // a line longer than the buffer: the rest follows
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return fail("incomplete")
		}
	}
	if ttft == 0 {
		return fail("no_token")
	}
	if !done {
		return fail("no_done")
	}
	return outcome{ok: true, latency: time.Since(from), ttft: ttft, timing: timing}
}

func classify(err error) string {
	var netErr net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "refused"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "reset"
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return "no_local_port"
	case errors.As(err, &netErr) && netErr.Timeout():
		return "timeout"
	}
	return "transport"
}

// parseServerTiming reads `policy;dur=1.6, classify;dur=0.16, ttft;dur=22` into µs per name.
func parseServerTiming(header string) map[string]int64 {
	if header == "" {
		return nil
	}
	out := map[string]int64{}
	for entry := range strings.SplitSeq(header, ",") {
		parts := strings.Split(strings.TrimSpace(entry), ";")
		name := strings.TrimSpace(parts[0])
		if name == "" {
			continue
		}
		for _, p := range parts[1:] {
			if v, ok := strings.CutPrefix(strings.TrimSpace(p), "dur="); ok {
				if ms, err := strconv.ParseFloat(v, 64); err == nil {
					out[name] = int64(math.Round(ms * 1000))
				}
			}
		}
	}
	return out
}
