package triage

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

func TestMapKeepsOrderAndBoundsWorkers(t *testing.T) {
	items := make([]int, 50)
	for i := range items {
		items[i] = i
	}
	var running, most atomic.Int32
	out, err := Map(context.Background(), items, 3, func(_ context.Context, i int) (int, error) {
		n := running.Add(1)
		defer running.Add(-1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(time.Duration(50-i) * 10 * time.Microsecond) // later items finish first
		return i * i, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range out {
		if v != i*i {
			t.Fatalf("out[%d] = %d", i, v)
		}
	}
	if most.Load() > 3 {
		t.Errorf("%d ran at once, the bound is 3", most.Load())
	}
}

func TestMapStopsAtTheFirstError(t *testing.T) {
	boom := errors.New("boom")
	var calls atomic.Int32
	_, err := Map(context.Background(), make([]int, 1000), 2, func(ctx context.Context, _ int) (int, error) {
		if calls.Add(1) == 5 {
			return 0, boom
		}
		return 0, ctx.Err()
	})
	if !errors.Is(err, boom) || calls.Load() > 10 {
		t.Errorf("err %v after %d calls", err, calls.Load())
	}
	if out, err := Map(context.Background(), []int{}, 4, func(context.Context, int) (int, error) { return 1, nil }); err != nil || len(out) != 0 {
		t.Errorf("no items: %v %v", out, err)
	}
}
