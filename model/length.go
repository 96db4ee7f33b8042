package model

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// SessionLength is how long a Vault session token lives.
type SessionLength time.Duration

const (
	day  = 24 * time.Hour
	week = 7 * day

	// DefaultSessionLength is what Vault uses when settings.session_length
	// is not sent.
	DefaultSessionLength = SessionLength(time.Hour)
	// MaxSessionLength is the spec's "maximum 1 week".
	MaxSessionLength = SessionLength(week)
)

// SessionLengthHelp says what ParseSessionLength accepts; errors end with it.
const SessionLengthHelp = "use a number with m, h, d or w (e.g. 30m, 1h, 12h, 1d, 7d, 1w), at most 1 week"

// ParseSessionLength reads durations such as "15m", "1h", "1d", "1w" or
// "1h30m". Units are m, h, d and w; every part needs one. Zero, negative and
// anything over one week are refused, with a message saying what is accepted.
func ParseSessionLength(text string) (SessionLength, error) {
	s := strings.ToLower(strings.TrimSpace(text))
	if s == "" {
		return 0, errors.New("session length is empty: " + SessionLengthHelp)
	}
	if strings.HasPrefix(s, "-") {
		return 0, fmt.Errorf("session length %q is negative: %s", text, SessionLengthHelp)
	}
	var total time.Duration
	for s != "" {
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == 0 || i == len(s) {
			return 0, fmt.Errorf("session length %q is not understood: %s", text, SessionLengthHelp)
		}
		// More than 6 significant digits is over a week in any unit;
		// refusing early keeps Atoi far from overflow.
		if len(strings.TrimLeft(s[:i], "0")) > 6 {
			return 0, fmt.Errorf("session length %q is over 1 week: %s", text, SessionLengthHelp)
		}
		n, _ := strconv.Atoi(s[:i])
		var unit time.Duration
		switch s[i] {
		case 'm':
			unit = time.Minute
		case 'h':
			unit = time.Hour
		case 'd':
			unit = day
		case 'w':
			unit = week
		default:
			return 0, fmt.Errorf("session length %q has an unknown unit %q: %s", text, s[i:i+1], SessionLengthHelp)
		}
		// Compared before multiplying: 999999w is far past what a
		// time.Duration holds and would wrap round to a small or negative length.
		if time.Duration(n) > (week-total)/unit {
			return 0, fmt.Errorf("session length %q is over 1 week: %s", text, SessionLengthHelp)
		}
		total += time.Duration(n) * unit
		s = s[i+1:]
	}
	if total == 0 {
		return 0, fmt.Errorf("session length %q is zero: %s", text, SessionLengthHelp)
	}
	return SessionLength(total), nil
}

// Duration returns the length as a time.Duration.
func (l SessionLength) Duration() time.Duration { return time.Duration(l) }

// String formats the length in the largest unit that holds it exactly:
// 1d, 12h, 90m. Weeks are written as days (7d), which Vault is known to
// accept, rather than "1w", which it is only believed to.
func (l SessionLength) String() string {
	return FormatDuration(time.Duration(l), DurationFormat{Smallest: time.Minute, Exact: true})
}

// EffectiveSessionLength returns the length Vault will use for s: the one
// sent, or the default. An invalid length gives the default and false.
func (s Settings) EffectiveSessionLength() (SessionLength, bool) {
	if strings.TrimSpace(s.SessionLength) == "" {
		return DefaultSessionLength, true
	}
	l, err := ParseSessionLength(s.SessionLength)
	if err != nil {
		return DefaultSessionLength, false
	}
	return l, true
}

// CommonSessionLengths are the choices a form offers before a custom value.
func CommonSessionLengths() []string {
	return []string{"15m", "30m", "1h", "4h", "12h", "1d", "7d"}
}

// DurationText writes a duration as people do: 2m, 1h, 2h30m, 1m30s and
// 300ms rather than 2m0s (FormatDuration from hours to milliseconds): how
// the messages speak of timeouts and intervals.
func DurationText(d time.Duration) string {
	return FormatDuration(d, DurationFormat{Largest: time.Hour, Smallest: time.Millisecond})
}

// RoughDurationText writes how long something took or has left to the
// precision a person waiting cares about: the two largest units,
// rounded, milliseconds only under a second: 340ms, 41s, 2m5s, 1h2m
// (FormatDuration, as DurationText writes them but cut to two units).
// How a batch speaks of its time.
func RoughDurationText(d time.Duration) string {
	f := DurationFormat{Largest: time.Hour, Smallest: time.Second, Parts: 2}
	if d < time.Second {
		f.Smallest = time.Millisecond
	}
	return FormatDuration(d, f)
}
