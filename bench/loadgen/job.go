package main

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// Target is one endpoint and the exact request sent to it.
type Target struct {
	Name    string            `json:"name"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body"`
}

// Job is one measured round against one target.
type Job struct {
	ID     int    `json:"id"`
	Target Target `json:"target"`
	// "rate" (open loop) or "closed".
	Mode string `json:"mode"`
	// Requests per second (rate mode).
	Rate float64 `json:"rate"`
	// Workers (closed mode).
	Concurrency int `json:"concurrency"`
	// The round ends after durationMs, or after count requests were started when count > 0.
	DurationMs int `json:"durationMs"`
	Count      int `json:"count"`
	// Closed loop: worker i starts i·rampMs/concurrency into the round, so concurrent streams
	// begin staggered, as they would in steady state, instead of in one burst.
	RampMs int `json:"rampMs"`
	// Unrecorded traffic first, same shape, to open connections and warm the JIT.
	WarmupMs int `json:"warmupMs"`
	// Whether the body asks for a stream; then TTFT and stalls are measured.
	Stream bool `json:"stream"`
	// A request taking longer than this fails (timeout); a stream with no bytes for stallMs stalls.
	TimeoutMs int `json:"timeoutMs"`
	StallMs   int `json:"stallMs"`
	// Once the round's time is up, requests still in flight get this long to finish; then they
	// are cancelled and counted as "unfinished" (so an overloaded target cannot stretch a round).
	DrainMs int `json:"drainMs"`
	// Open loop only: requests due while this many are in flight are dropped (counted).
	MaxInFlight int `json:"maxInFlight"`
	// Collect the response's server-timing entries (durations in microseconds).
	ServerTiming bool `json:"serverTiming"`
}

// Result is one round's raw samples; bench/run.ts merges rounds and takes the percentiles.
type Result struct {
	ID    int    `json:"id"`
	Error string `json:"error,omitempty"`
	// Requests sent in the warm-up (not measured, but they cost the server CPU all the same).
	WarmupSent int `json:"warmupSent"`
	// Requests started (sent), completed with a 2xx and a full body, failed, dropped.
	Sent    int `json:"sent"`
	OK      int `json:"ok"`
	Failed  int `json:"failed"`
	Dropped int `json:"dropped"`
	// Streams that went stallMs without a byte (failure kinds tell whether before or after the
	// first token).
	Stalled int `json:"stalled"`
	// Failure kinds: "status_503", "timeout", "unfinished", "stalled_before_first_token",
	// "stalled_mid_stream", "reset", "incomplete", …
	Failures  map[string]int `json:"failures"`
	ElapsedMs float64        `json:"elapsedMs"`
	// Latency of each successful request in µs: due time (open loop) or send time (closed loop)
	// to the last byte of the body.
	LatencyUs []int64 `json:"latencyUs"`
	// Streams: due/send time to the first SSE event that carries a token.
	TtftUs []int64 `json:"ttftUs"`
	// server-timing entry name → durations in µs.
	ServerTimingUs map[string][]int64 `json:"serverTimingUs,omitempty"`
	// Largest number of requests in flight at once.
	PeakInFlight int `json:"peakInFlight"`
}

func (j *Job) validate() error {
	if j.Target.Name == "" || j.Target.URL == "" {
		return errors.New("target.name and target.url are required")
	}
	switch j.Mode {
	case "rate":
		if j.Rate <= 0 || j.Rate > 100_000 {
			return fmt.Errorf("rate must be in (0, 100000], got %v", j.Rate)
		}
	case "closed":
		if j.Concurrency < 1 || j.Concurrency > 10_000 {
			return fmt.Errorf("concurrency must be in [1, 10000], got %d", j.Concurrency)
		}
	default:
		return fmt.Errorf("mode must be rate or closed, got %q", j.Mode)
	}
	// Every round is bounded in time, whatever else it is bounded by.
	if j.DurationMs <= 0 || j.DurationMs > 600_000 {
		return fmt.Errorf("durationMs must be in (0, 600000], got %d", j.DurationMs)
	}
	if j.WarmupMs < 0 || j.WarmupMs > 60_000 {
		return fmt.Errorf("warmupMs must be in [0, 60000], got %d", j.WarmupMs)
	}
	if j.RampMs < 0 || j.RampMs >= j.DurationMs {
		return fmt.Errorf("rampMs must be in [0, durationMs), got %d", j.RampMs)
	}
	if j.TimeoutMs <= 0 {
		j.TimeoutMs = 10_000
	}
	if j.StallMs <= 0 {
		j.StallMs = j.TimeoutMs
	}
	if j.DrainMs <= 0 {
		j.DrainMs = j.TimeoutMs
	}
	if j.MaxInFlight <= 0 {
		j.MaxInFlight = 2_000
	}
	return nil
}

// pools keeps one transport per target for the life of the process.
type pools struct {
	mu      sync.Mutex
	clients map[string]*http.Client
}

func newPools() *pools { return &pools{clients: map[string]*http.Client{}} }

func (p *pools) client(name string) *http.Client {
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.clients[name]; ok {
		return c
	}
	transport := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        0,
		MaxIdleConnsPerHost: 10_000,
		// Below Node's 5 s keep-alive timeout: the client, not the server, retires idle sockets,
		// so a request never races a server closing the connection it was written on.
		IdleConnTimeout:    4 * time.Second,
		DisableCompression: true,
		ForceAttemptHTTP2:  false,
		WriteBufferSize:    16 << 10,
		ReadBufferSize:     32 << 10,
	}
	c := &http.Client{Transport: transport}
	p.clients[name] = c
	return c
}
