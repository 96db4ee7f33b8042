package model

import (
	"strconv"
	"strings"
	"time"
)

// Day is the largest unit FormatDuration writes.
const Day = 24 * time.Hour

// durationUnit is a unit FormatDuration writes, and its symbol.
type durationUnit struct {
	size time.Duration
	name string
}

// durationUnits are the units FormatDuration writes, largest first.
func durationUnits() []durationUnit {
	return []durationUnit{{Day, "d"}, {time.Hour, "h"}, {time.Minute, "m"}, {time.Second, "s"}, {time.Millisecond, "ms"}}
}

// DurationFormat says how FormatDuration writes a duration.
type DurationFormat struct {
	// Largest and Smallest are the units written: Day, time.Hour,
	// time.Minute, time.Second or time.Millisecond. The duration is
	// rounded to Smallest. Zero means Day and time.Second.
	Largest, Smallest time.Duration
	// Parts is how many units are written at most, from the largest that
	// is not zero; 0 writes every one down to Smallest. The duration is
	// rounded to the last unit written (1h59m40s in two parts is 2h),
	// except when Padded: a countdown cuts, so that it does not say 7d 00h
	// while any of the seventh day is gone.
	Parts int
	// Padded writes exactly Parts units, zeros included, each after the
	// first with two digits and a space: "3h 05m", "0m 30s". Otherwise a
	// unit that is zero is left out: "1d5m".
	Padded bool
	// Exact writes one unit, the largest that divides the duration
	// exactly: 90 minutes is "90m", a week "7d". For a value read back
	// by a machine, such as a session length.
	Exact bool
}

// FormatDuration writes d the way people write durations, and the way
// ParseSessionLength and time.ParseDuration read them back: "2m" rather
// than "2m0s". The one formatter of the program; each caller picks its
// format:
//
//	{Largest: time.Hour, Smallest: time.Millisecond}    2h30m, 1m30s, 300ms (timeouts, intervals)
//	{Smallest: time.Minute}                             6d23h59m (until a token expires)
//	{Smallest: time.Second, Parts: 2, Padded: true}     59m 08s, 6d 23h (a countdown)
//	{Smallest: time.Minute, Exact: true}                90m, 12h, 7d (a session length)
//	{Largest: time.Hour, Parts: 2}                      2m5s, 1h2m (how long a batch took or has left)
//
// A negative duration is written as zero: callers say "expired" in their
// own words.
func FormatDuration(d time.Duration, f DurationFormat) string {
	if f.Largest == 0 {
		f.Largest = Day
	}
	if f.Smallest == 0 {
		f.Smallest = time.Second
	}
	var units []durationUnit
	for _, u := range durationUnits() {
		if u.size <= f.Largest && u.size >= f.Smallest {
			units = append(units, u)
		}
	}
	if len(units) == 0 {
		return d.String() // a format naming no unit of the list
	}
	last := units[len(units)-1]
	d = max(d.Round(last.size), 0)
	if d == 0 && !f.Padded {
		return "0" + last.name
	}
	if f.Exact {
		for _, u := range units {
			if d%u.size == 0 {
				return strconv.FormatInt(int64(d/u.size), 10) + u.name
			}
		}
	}
	start := len(units) - 1
	for i, u := range units {
		if d >= u.size {
			start = i
			break
		}
	}
	end := len(units)
	if f.Parts > 0 {
		if f.Padded {
			start = max(min(start, len(units)-f.Parts), 0)
		}
		end = min(end, start+f.Parts)
		for !f.Padded && end < len(units) {
			d = d.Round(units[end-1].size)
			if start == 0 || d < units[start-1].size {
				break
			}
			start, end = start-1, end-1 // carried: 59m59.6s is 1h
		}
	}
	var b strings.Builder
	for i := start; i < end; i++ {
		u := units[i]
		n := d / u.size
		d -= n * u.size
		switch {
		case f.Padded && i > start:
			b.WriteString(" ")
			if n < 10 {
				b.WriteString("0")
			}
		case !f.Padded && n == 0:
			continue
		}
		b.WriteString(strconv.FormatInt(int64(n), 10) + u.name)
	}
	return b.String()
}
