package model_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/model"
)

const week = 7 * 24 * time.Hour

func TestParseSessionLengthAccepts(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want time.Duration
	}{
		{"15m", 15 * time.Minute},
		{"30m", 30 * time.Minute},
		{"1h", time.Hour},
		{"12h", 12 * time.Hour},
		{"1d", 24 * time.Hour},
		{"7d", week},
		{"1w", week},
		{"1h30m", 90 * time.Minute},
		{"1d12h", 36 * time.Hour},
		{"0h30m", 30 * time.Minute},
		{" 2H ", 2 * time.Hour},
		{"\t1D\n", 24 * time.Hour},
		{"10080m", week},
		{"000015m", 15 * time.Minute},
		{"6d23h59m1m", week},
	} {
		got, err := model.ParseSessionLength(tc.in)
		if err != nil {
			t.Errorf("ParseSessionLength(%q): unexpected error %v", tc.in, err)
			continue
		}
		if got.Duration() != tc.want {
			t.Errorf("ParseSessionLength(%q) = %v, want %v", tc.in, got.Duration(), tc.want)
		}
	}
}

func TestParseSessionLengthRefuses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in     string
		reason string // the part of the message that says what is wrong
	}{
		{"", "is empty"},
		{"   ", "is empty"},
		{"0m", "is zero"},
		{"0d0h", "is zero"},
		{"-1h", "is negative"},
		{" -30m", "is negative"},
		{"abc", "is not understood"},
		{"1", "is not understood"},
		{"h", "is not understood"},
		{"+1h", "is not understood"},
		{"1h 30m", "is not understood"},
		{"1h30", "is not understood"},
		{"1x", `unknown unit "x"`},
		{"30s", `unknown unit "s"`},
		{"1.5h", `unknown unit "."`},
		{"8d", "is over 1 week"},
		{"2w", "is over 1 week"},
		{"169h", "is over 1 week"},
		{"10081m", "is over 1 week"},
		{"1w1m", "is over 1 week"},
		{"999999m", "is over 1 week"},
		{"99999999999h", "is over 1 week"},
		// Large counts of days and weeks once overflowed time.Duration and
		// came back as a few minutes or a negative length.
		{"15251w", "is over 1 week"},
		{"30501w", "is over 1 week"},
		{"999999w", "is over 1 week"},
		{"213504d", "is over 1 week"},
		{"1d999999d", "is over 1 week"},
	} {
		got, err := model.ParseSessionLength(tc.in)
		if err == nil {
			t.Errorf("ParseSessionLength(%q) = %v (%d ns), want an error", tc.in, got, int64(got))
			continue
		}
		if got != 0 {
			t.Errorf("ParseSessionLength(%q) returned %v with its error, want 0", tc.in, got)
		}
		msg := err.Error()
		if !strings.Contains(msg, tc.reason) {
			t.Errorf("ParseSessionLength(%q) error %q does not say %q", tc.in, msg, tc.reason)
		}
		if !strings.HasSuffix(msg, model.SessionLengthHelp) {
			t.Errorf("ParseSessionLength(%q) error %q does not end with what is accepted", tc.in, msg)
		}
		if strings.TrimSpace(tc.in) != "" && !strings.Contains(msg, strconv.Quote(tc.in)) {
			t.Errorf("ParseSessionLength(%q) error %q does not quote the input", tc.in, msg)
		}
	}
}

func TestSessionLengthString(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   time.Duration
		want string
	}{
		{week, "7d"},
		{90 * time.Minute, "90m"},
		{36 * time.Hour, "36h"},
		{48 * time.Hour, "2d"},
		{time.Hour, "1h"},
		{15 * time.Minute, "15m"},
		{25 * time.Hour, "25h"},
		{24*time.Hour + time.Minute, "1441m"},
		{0, "0m"},
		{-time.Hour, "0m"},
	} {
		if got := model.SessionLength(tc.in).String(); got != tc.want {
			t.Errorf("SessionLength(%v).String() = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSessionLengthConstants(t *testing.T) {
	t.Parallel()
	if model.DefaultSessionLength.Duration() != time.Hour {
		t.Errorf("DefaultSessionLength = %v, want the spec's default 1h", model.DefaultSessionLength.Duration())
	}
	if model.MaxSessionLength.Duration() != week {
		t.Errorf("MaxSessionLength = %v, want the spec's maximum of 1 week", model.MaxSessionLength.Duration())
	}
}

func TestEffectiveSessionLength(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in    string
		want  time.Duration
		valid bool
	}{
		{"", time.Hour, true},
		{"  ", time.Hour, true},
		{"30m", 30 * time.Minute, true},
		{"1w", week, true},
		{" 12H ", 12 * time.Hour, true},
		{"8d", time.Hour, false},
		{"soon", time.Hour, false},
	} {
		got, ok := model.Settings{SessionLength: tc.in}.EffectiveSessionLength()
		if got.Duration() != tc.want || ok != tc.valid {
			t.Errorf("Settings{SessionLength: %q}.EffectiveSessionLength() = %v, %v; want %v, %v",
				tc.in, got.Duration(), ok, tc.want, tc.valid)
		}
	}
}

func TestCommonSessionLengthsAreValidAndCanonical(t *testing.T) {
	t.Parallel()
	lengths := model.CommonSessionLengths()
	if len(lengths) == 0 {
		t.Fatal("CommonSessionLengths() is empty")
	}
	var previous time.Duration
	for _, text := range lengths {
		l, err := model.ParseSessionLength(text)
		if err != nil {
			t.Errorf("common length %q does not parse: %v", text, err)
			continue
		}
		if l.String() != text {
			t.Errorf("common length %q is written %q in canonical form", text, l.String())
		}
		if l.Duration() <= previous {
			t.Errorf("common lengths are not in increasing order at %q", text)
		}
		previous = l.Duration()
	}
	lengths[0] = "changed"
	if model.CommonSessionLengths()[0] == "changed" {
		t.Error("CommonSessionLengths returns a shared slice")
	}
}

var (
	lengthGrammar = regexp.MustCompile(`^([0-9]+[mhdw])+$`)
	lengthPart    = regexp.MustCompile(`([0-9]+)([mhdw])`)
)

// referenceLength is a second, independent reading of the documented syntax,
// counted in minutes so no input can overflow it.
func referenceLength(text string) (time.Duration, bool) {
	s := strings.ToLower(strings.TrimSpace(text))
	if !lengthGrammar.MatchString(s) {
		return 0, false
	}
	minutesPer := map[string]uint64{"m": 1, "h": 60, "d": 24 * 60, "w": 7 * 24 * 60}
	var minutes uint64
	for _, m := range lengthPart.FindAllStringSubmatch(s, -1) {
		// More than 6 significant digits is over a week in any unit;
		// leading zeros do not count.
		if len(strings.TrimLeft(m[1], "0")) > 6 {
			return 0, false
		}
		n, _ := strconv.ParseUint(m[1], 10, 64)
		minutes += n * minutesPer[m[2]]
	}
	if minutes == 0 || minutes > 7*24*60 {
		return 0, false
	}
	return time.Duration(minutes) * time.Minute, true
}

var canonicalLength = regexp.MustCompile(`^[1-9][0-9]*[mhd]$`)

func FuzzParseSessionLength(f *testing.F) {
	for _, seed := range []string{
		"15m", "30m", "1h", "12h", "1d", "7d", "1w", "1h30m", " 2H ", "10080m",
		"", "0m", "-1h", "abc", "1", "h", "1x", "8d", "2w", "169h", "10081m", "1.5h",
		"99999999999h", "15251w", "30501w", "213504d", "999999w", "0000001h", "1w0m",
		"1d1d1d1d1d1d1d", "\u212a", "1\u00a0h",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		l, err := model.ParseSessionLength(text)
		want, wantOK := referenceLength(text)
		if err != nil {
			if l != 0 {
				t.Fatalf("ParseSessionLength(%q) returned %v with an error", text, l)
			}
			if !strings.HasSuffix(err.Error(), model.SessionLengthHelp) {
				t.Fatalf("ParseSessionLength(%q) error %q does not say what is accepted", text, err)
			}
			if wantOK {
				t.Fatalf("ParseSessionLength(%q) refused a valid length (%v): %v", text, want, err)
			}
			return
		}
		d := l.Duration()
		if d <= 0 || d > week {
			t.Fatalf("ParseSessionLength(%q) = %v (%d ns), outside (0, 1 week]", text, d, int64(d))
		}
		if !wantOK || d != want {
			t.Fatalf("ParseSessionLength(%q) = %v; the documented syntax gives %v (valid: %v)", text, d, want, wantOK)
		}
		s := l.String()
		if !canonicalLength.MatchString(s) {
			t.Fatalf("SessionLength(%v).String() = %q, not a number and one unit", d, s)
		}
		again, err := model.ParseSessionLength(s)
		if err != nil || again != l {
			t.Fatalf("ParseSessionLength(%q) = %v, %v; want it to read back %v", s, again, err, d)
		}
	})
}

func TestDurationText(t *testing.T) {
	t.Parallel()
	for d, want := range map[time.Duration]string{
		2 * time.Minute: "2m", 90 * time.Second: "1m30s", time.Hour: "1h", 150 * time.Minute: "2h30m",
		5 * time.Second: "5s", 120 * time.Millisecond: "120ms", 25 * time.Hour: "25h",
	} {
		if got := model.DurationText(d); got != want {
			t.Errorf("DurationText(%s) = %q, want %q", d, got, want)
		}
	}
}

// RoughDurationText is FormatDuration cut to two units and rounded: what
// batch's own formatter wrote ("2m05s", "1h02m"), in the program's one
// way of writing durations.
func TestRoughDurationText(t *testing.T) {
	t.Parallel()
	for d, want := range map[time.Duration]string{
		0: "0ms", 400 * time.Millisecond: "400ms", 999*time.Millisecond + 600*time.Microsecond: "1s",
		41*time.Second + 300*time.Millisecond: "41s", 59*time.Second + 600*time.Millisecond: "1m",
		125 * time.Second: "2m5s", 125*time.Second + 700*time.Millisecond: "2m6s",
		62*time.Minute + 20*time.Second: "1h2m", 119*time.Minute + 40*time.Second: "2h",
		59*time.Minute + 59*time.Second + 600*time.Millisecond: "1h", 26*time.Hour + 3*time.Minute: "26h3m",
		-time.Second: "0ms",
	} {
		if got := model.RoughDurationText(d); got != want {
			t.Errorf("RoughDurationText(%s) = %q, want %q", d, got, want)
		}
	}
}
