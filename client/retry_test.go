package client

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	p := DefaultRetryPolicy()
	for _, tc := range []struct {
		retry  int
		random float64
		want   time.Duration
	}{
		{1, 0.5, 500 * time.Millisecond},
		{2, 0.5, 750 * time.Millisecond},
		{3, 0.5, 1125 * time.Millisecond},
		{1, 0, 375 * time.Millisecond}, // -25 %
		{1, 1, 625 * time.Millisecond}, // +25 %
		{20, 0.5, 60 * time.Second},    // capped
		{200, 0.99, 60 * time.Second},  // no overflow
		{1, 0.25, 437500 * time.Microsecond},
	} {
		if got := p.backoff(tc.retry, tc.random); got != tc.want {
			t.Errorf("backoff(%d, %v) = %v, want %v", tc.retry, tc.random, got, tc.want)
		}
	}
	uncapped := RetryPolicy{InitialWait: time.Second, Factor: 10}
	if got := uncapped.backoff(1000, 0.5); got != 24*time.Hour {
		t.Errorf("uncapped huge backoff = %v, want the one-day bound", got)
	}
	if got := (RetryPolicy{InitialWait: time.Second, Factor: 0.1}).backoff(3, 0.5); got != time.Second {
		t.Errorf("factor below 1 = %v, want 1s (treated as 1)", got)
	}
	if (RetryPolicy{}).attempts() != 1 || NoRetry().attempts() != 1 {
		t.Error("a zero policy should try once")
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name   string
		header http.Header
		want   time.Duration
		ok     bool
	}{
		{"none", http.Header{}, 0, false},
		{"seconds", http.Header{"Retry-After": {"2"}}, 2 * time.Second, true},
		{"zero", http.Header{"Retry-After": {"0"}}, 0, true},
		{"negative", http.Header{"Retry-After": {"-4"}}, 0, true},
		{"date", http.Header{"Retry-After": {now.Add(90 * time.Second).Format(http.TimeFormat)}}, 90 * time.Second, true},
		{"past date", http.Header{"Retry-After": {"Wed, 21 Oct 2015 07:28:00 GMT"}}, 0, true},
		{"ms", http.Header{"Retry-After-Ms": {"1500"}}, 1500 * time.Millisecond, true},
		{"fractional ms", http.Header{"Retry-After-Ms": {"2.5"}}, 2500 * time.Microsecond, true},
		{"ms wins", http.Header{"Retry-After-Ms": {"10"}, "Retry-After": {"10"}}, 10 * time.Millisecond, true},
		{"bad ms falls back", http.Header{"Retry-After-Ms": {"NaN"}, "Retry-After": {"1"}}, time.Second, true},
		{"huge seconds bounded", http.Header{"Retry-After": {"99999999999999"}}, 24 * time.Hour, true},
		{"garbage", http.Header{"Retry-After": {"later"}}, 0, false},
	} {
		got, ok := retryAfter(tc.header, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: retryAfter = %v, %v; want %v, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

func TestSleepContext(t *testing.T) {
	if err := Sleep(context.Background(), time.Millisecond); err != nil {
		t.Errorf("short sleep: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	// An hour's sleep on a cancelled context must return at once.
	if err := Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled sleep: %v", err)
	}
	if err := Sleep(ctx, 0); !errors.Is(err, context.Canceled) {
		t.Errorf("zero sleep on a cancelled context: %v", err)
	}
}
