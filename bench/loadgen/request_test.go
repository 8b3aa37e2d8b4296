package main

import "testing"

func TestCarriesToken(t *testing.T) {
	cases := map[string]bool{
		`{"choices":[{"delta":{"role":"assistant","content":"","refusal":null}}]}`: false,
		`{"choices":[{"delta":{"content":"jasper"}}]}`:                             true,
		`{"choices":[{"delta":{"reasoning_content":"Thinking"}}]}`:                 true,
		`{"response":"tok"}`:             true,
		`{"response":""}`:                false,
		`{"choices":[],"usage":{"x":1}}`: false,
	}
	for payload, want := range cases {
		if got := carriesToken([]byte(payload)); got != want {
			t.Errorf("carriesToken(%s) = %v, want %v", payload, got, want)
		}
	}
}

func TestParseServerTiming(t *testing.T) {
	got := parseServerTiming("policy;dur=1.6, classify;dur=0.16, ttft;dur=22.08, cache;desc=hit")
	want := map[string]int64{"policy": 1600, "classify": 160, "ttft": 22080}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: got %d, want %d", k, got[k], v)
		}
	}
}
