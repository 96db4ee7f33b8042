package termtext

import (
	"encoding/json"
	"fmt"
	"maps"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"
)

// hostile holds what a hostile server or file might send, with what the
// terminal must be shown instead.
var hostile = []struct {
	name, in, line, text string
}{
	{"plain", "Unauthorized", "Unauthorized", "Unauthorized"},
	{"clipboard write (OSC 52)", "bad\x1b]52;c;aGFjaw==\x07request", `bad\x1b]52;c;aGFjaw==\x07request`, `bad\x1b]52;c;aGFjaw==\x07request`},
	{"clear screen", "\x1b[2Jgone", `\x1b[2Jgone`, `\x1b[2Jgone`},
	{"window title", "\x1b]0;pwned\x07", `\x1b]0;pwned\x07`, `\x1b]0;pwned\x07`},
	{"right-to-left override", "abc\u202edef", `abc\u202edef`, `abc\u202edef`},
	{"isolates", "\u2066x\u2069", `\u2066x\u2069`, `\u2066x\u2069`},
	{"C1 CSI", "a\u009b2Jb", `a\u009b2Jb`, `a\u009b2Jb`},
	{"raw C1 byte", "a\x9b2Jb", `a\x9b2Jb`, `a\x9b2Jb`},
	{"invalid UTF-8", "caf\xe9", `caf\xe9`, `caf\xe9`},
	{"DEL and NUL", "a\x7fb\x00c", `a\x7fb\x00c`, `a\x7fb\x00c`},
	{"tab and CR", "a\tb\rc", `a\tb\rc`, `a\tb\rc`},
	{"newline", "one\ntwo", `one\ntwo`, "one\ntwo"},
	{"CRLF", "one\r\ntwo", `one\r\ntwo`, "one\ntwo"},
	{"unicode kept", "Zoë 日本 ✓", "Zoë 日本 ✓", "Zoë 日本 ✓"},
}

func TestLineAndText(t *testing.T) {
	for _, c := range hostile {
		if got := Line(c.in); got != c.line {
			t.Errorf("%s: Line(%q) = %q, want %q", c.name, c.in, got, c.line)
		}
		if got := Text(c.in); got != c.text {
			t.Errorf("%s: Text(%q) = %q, want %q", c.name, c.in, got, c.text)
		}
		if IsSafe(c.in) != (c.in == c.text) {
			t.Errorf("%s: IsSafe(%q) = %v", c.name, c.in, IsSafe(c.in))
		}
	}
}

func TestCutsLongLines(t *testing.T) {
	long := strings.Repeat("é", MaxLineRunes+10)
	got := Line(long)
	want := strings.Repeat("é", MaxLineRunes) + "… (10 more characters)"
	if got != want {
		t.Fatalf("Line of %d runes ends %q", MaxLineRunes+10, got[len(got)-40:])
	}
	if got := LineN("abcdef", 3); got != "abc… (3 more characters)" {
		t.Fatalf("LineN = %q", got)
	}
	if got := LineN("abc", 3); got != "abc" {
		t.Fatalf("LineN at the limit = %q", got)
	}
	many := strings.Repeat("x\n", MaxLines+4) // MaxLines+5 lines, the last empty
	lines := strings.Split(Text(many), "\n")
	if len(lines) != MaxLines+1 || lines[MaxLines] != "… (5 more lines)" {
		t.Fatalf("Text of many lines: %d lines, last %q", len(lines), lines[len(lines)-1])
	}
}

// Text's cost is what it shows: the lines past MaxLines are counted, not
// split into strings (a million empty lines were 16 MiB of them).
func TestTextOfManyLinesCostsWhatItShows(t *testing.T) {
	many := strings.Repeat("\n", 1<<20)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	got := Text(many)
	runtime.ReadMemStats(&after)
	if !strings.HasSuffix(got, fmt.Sprintf("… (%d more lines)", 1<<20+1-MaxLines)) {
		t.Errorf("Text of a million lines ends %q", got[max(0, len(got)-40):])
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 128<<10 {
		t.Errorf("Text of a million empty lines allocated %d KiB", alloc>>10)
	}
}

// TextN keeps at most n characters in all, its lines made safe as Text
// makes them, and counts what it left out.
func TestTextNCountsWhatIsLeftOut(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"short\nbody", 500, "short\nbody"},
		{"ab\ncdef", 5, "ab\ncd… (2 more characters)"},
		{"a\x1b[2Jbcdef", 4, `a\x1b[2… (6 more characters)`},
		{"éé\xffxyz", 3, `éé\xff… (3 more characters)`},
		{"whole", 0, "whole"},
	} {
		if got := TextN(tc.in, tc.n); got != tc.want {
			t.Errorf("TextN(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
	big := strings.Repeat("x", 10<<20)
	if got, want := TextN(big, 500), strings.Repeat("x", 500)+"… (10485260 more characters)"; got != want {
		t.Errorf("TextN of 10 MiB ends %q", got[len(got)-40:])
	}
}

// checkSafe fails when out holds anything a terminal would obey.
func checkSafe(t *testing.T, in, out string, newlines bool) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("output of %q is not valid UTF-8: %q", in, out)
	}
	for _, r := range out {
		if r == '\n' && newlines {
			continue
		}
		if unsafeRune(r) {
			t.Fatalf("output of %q holds %U: %q", in, r, out)
		}
	}
}

func FuzzSafe(f *testing.F) {
	for _, c := range hostile {
		f.Add(c.in)
	}
	f.Add("\xff\xfe\x00\x1b[31m")
	f.Fuzz(func(t *testing.T, s string) {
		checkSafe(t, s, Line(s), false)
		checkSafe(t, s, Text(s), true)
		// JSON keeps the meaning of what encoding/json wrote.
		encoded, _ := json.MarshalIndent(map[string]string{s: s}, "", "  ")
		safe := JSON(string(encoded))
		checkSafe(t, s, safe, true)
		var want, back map[string]string
		_ = json.Unmarshal(encoded, &want)
		if err := json.Unmarshal([]byte(safe), &back); err != nil || !maps.Equal(back, want) {
			t.Fatalf("JSON of %q reads back as %q (%v), want %q", s, back, err, want)
		}
		if IsSafe(s) && len(s) < 1000 && strings.Count(s, "\n") < MaxLines && Text(s) != s {
			t.Fatalf("safe text %q changed to %q", s, Text(s))
		}
	})
}
