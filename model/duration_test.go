package model_test

import (
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/model"
)

func TestFormatDuration(t *testing.T) {
	const day = model.Day
	compact := model.DurationFormat{Largest: time.Hour, Smallest: time.Millisecond}
	until := model.DurationFormat{Smallest: time.Minute}
	countdown := model.DurationFormat{Smallest: time.Second, Parts: 2, Padded: true}
	exact := model.DurationFormat{Smallest: time.Minute, Exact: true}
	for _, tc := range []struct {
		f    model.DurationFormat
		d    time.Duration
		want string
	}{
		// Timeouts and intervals (what the cli's durationText wrote).
		{compact, 2 * time.Minute, "2m"},
		{compact, 90 * time.Second, "1m30s"},
		{compact, time.Hour, "1h"},
		{compact, 150 * time.Minute, "2h30m"},
		{compact, 300 * time.Millisecond, "300ms"},
		{compact, 48 * time.Hour, "48h"},
		{compact, time.Hour + 30*time.Second, "1h30s"}, // time.Duration wrote 1h0m30s
		{compact, 1500 * time.Millisecond, "1s500ms"},  // and 1.5s
		{compact, 0, "0ms"},
		// Until a token expires (untilText, after "in ").
		{until, time.Hour - 2*time.Second, "1h"},
		{until, 90 * time.Minute, "1h30m"},
		{until, 7*day - time.Minute, "6d23h59m"},
		{until, 7 * day, "7d"},
		{until, day + 5*time.Minute + time.Second, "1d5m"},
		// A countdown (formatCountdown).
		{countdown, 59*time.Minute + 8*time.Second, "59m 08s"},
		{countdown, 3*time.Hour + 5*time.Minute, "3h 05m"},
		{countdown, 7 * day, "7d 00h"},
		{countdown, 6*day + 23*time.Hour + 59*time.Minute, "6d 23h"},
		{countdown, 1500 * time.Millisecond, "0m 02s"},
		{countdown, 0, "0m 00s"},
		{countdown, -time.Minute, "0m 00s"},
		// A session length (SessionLength.String).
		{exact, day, "1d"},
		{exact, 12 * time.Hour, "12h"},
		{exact, 90 * time.Minute, "90m"},
		{exact, 7 * day, "7d"},
		{exact, 0, "0m"},
		{exact, -time.Hour, "0m"},
		// Parts without Padded rounds to the last unit written.
		{model.DurationFormat{Parts: 2}, day + 11*time.Hour + 40*time.Minute, "1d12h"},
		{model.DurationFormat{Parts: 2}, day - time.Second/2, "1d"},
		{model.DurationFormat{Parts: 1}, 90 * time.Minute, "2h"},
	} {
		if got := model.FormatDuration(tc.d, tc.f); got != tc.want {
			t.Errorf("FormatDuration(%s, %+v) = %q, want %q", tc.d, tc.f, got, tc.want)
		}
	}
}

// FuzzFormatDuration: what the compact format writes, time.ParseDuration
// reads back as the duration rounded to the millisecond; what the exact
// format writes of a valid session length, ParseSessionLength reads back.
func FuzzFormatDuration(f *testing.F) {
	for _, d := range []int64{0, 1, int64(time.Millisecond), int64(90 * time.Second), int64(7 * 24 * time.Hour), 1<<62 - 1} {
		f.Add(d)
	}
	f.Fuzz(func(t *testing.T, n int64) {
		d := time.Duration(n)
		if d < 0 || d > 1<<50 {
			return
		}
		text := model.FormatDuration(d, model.DurationFormat{Largest: time.Hour, Smallest: time.Millisecond})
		back, err := time.ParseDuration(text)
		if err != nil || back != d.Round(time.Millisecond) {
			t.Fatalf("%s written %q, read back %s (%v)", d, text, back, err)
		}
		// The rough text reads back as d to within half of its last unit.
		rough := model.RoughDurationText(d)
		back, err = time.ParseDuration(rough)
		unit := time.Second
		switch {
		case d < time.Second:
			unit = time.Millisecond
		case back >= time.Hour:
			unit = time.Minute
		}
		if err != nil || max(back-d, d-back) > unit/2 {
			t.Fatalf("%s written roughly %q, read back %s (%v)", d, rough, back, err)
		}
		l := model.SessionLength(d.Round(time.Minute))
		if l <= 0 || l > model.MaxSessionLength {
			return
		}
		again, err := model.ParseSessionLength(l.String())
		if err != nil || again != l {
			t.Fatalf("session length %s written %q, read back %s (%v)", time.Duration(l), l.String(), time.Duration(again), err)
		}
	})
}
