package sshserve

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLineEditingAsATerminalDoesIt(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, typed, lines, echo string
		interrupted, eof         bool
	}{
		{"a line", "acme-42\r", "acme-42\n", "acme-42\r\n", false, false},
		{"CR LF is one end", "a\r\nb\r\n", "a\nb\n", "a\r\nb\r\n", false, false},
		{"backspace", "acme-4x\x7f2\r", "acme-42\n", "acme-4x\b \b2\r\n", false, false},
		{"backspace on nothing", "\x7f\x08a\r", "a\n", "a\r\n", false, false},
		{"a wide rune takes two cells back", "日\x7f\r", "\n", "日\b \b\b \b\r\n", false, false},
		{"ctrl+u", "wrong\x15right\r", "right\n", "wrong" + strings.Repeat("\b \b", 5) + "right\r\n", false, false},
		{"ctrl+w", "one two  \x17\r", "one \n", "one two  " + strings.Repeat("\b \b", 5) + "\r\n", false, false},
		{"arrows and function keys are dropped", "a\x1b[A\x1b[1;5Cb\x1bOPc\r", "abc\n", "abc\r\n", false, false},
		{"alt+key is dropped", "a\x1bxb\r", "ab\n", "ab\r\n", false, false},
		{"an OSC answer is dropped", "a\x1b]11;rgb:0000/0000/0000\x07b\r", "ab\n", "ab\r\n", false, false},
		{"ctrl+c", "half\x03", "", "half^C\r\n", true, false},
		{"ctrl+d on an empty line ends", "a\r\x04", "a\n", "a\r\n", false, true},
		{"ctrl+d in a line does nothing", "ab\x04c\r", "abc\n", "abc\r\n", false, false},
		{"other control keys do nothing", "a\x01\x02b\r", "ab\n", "ab\r\n", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var e lineEditor
			out := e.feed([]byte(tc.typed))
			if string(out.lines) != tc.lines || string(out.echo) != tc.echo || out.interrupted != tc.interrupted || out.eof != tc.eof {
				t.Errorf("%q: lines %q echo %q interrupted %v eof %v; want %q %q %v %v",
					tc.typed, out.lines, out.echo, out.interrupted, out.eof, tc.lines, tc.echo, tc.interrupted, tc.eof)
			}
			// Fed a byte at a time, the same comes out: reads split anywhere.
			var byByte lineEditor
			var lines, echo []byte
			for i := range len(tc.typed) {
				o := byByte.feed([]byte{tc.typed[i]})
				lines, echo = append(lines, o.lines...), append(echo, o.echo...)
				if o.eof {
					break
				}
			}
			if string(lines) != tc.lines || string(echo) != tc.echo {
				t.Errorf("a byte at a time: %q %q", lines, echo)
			}
		})
	}
}

func TestLineDisciplineReadsLinesAndEchoes(t *testing.T) {
	t.Parallel()
	var echo bytes.Buffer
	interrupted := 0
	l := newLineDiscipline(strings.NewReader("acmx\x7fe-42\rq\r"), &echo, func() { interrupted++ })
	got, err := io.ReadAll(l)
	if err != nil || string(got) != "acme-42\nq\n" || interrupted != 0 {
		t.Fatalf("read %q, %v", got, err)
	}
	if !strings.Contains(echo.String(), "acmx\b \be-42\r\n") {
		t.Errorf("echo %q", echo.String())
	}
}

// FuzzLineEditor: whatever is typed, the lines handed on hold no control
// character but tabs and their own newlines, each line is at most maxLine
// bytes, and the editor never panics.
func FuzzLineEditor(f *testing.F) {
	for _, seed := range []string{"acme-42\r", "a\x7f\x15\x17\x03\x04", "\x1b[200~pasted\x1b[201~\r", "\x1b]11;rgb:ffff/ffff/ffff\x1b\\", "日本\x7f\r\n", "\x1b", "\x1bO", "\xff\xfe\r"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, typed []byte) {
		var e lineEditor
		out := e.feed(typed)
		for _, line := range bytes.SplitAfter(out.lines, []byte("\n")) {
			if len(line) == 0 {
				continue
			}
			if line[len(line)-1] != '\n' || len(line) > maxLine+1 {
				t.Fatalf("a line not ended or too long: %q", line)
			}
			for _, c := range line[:len(line)-1] {
				if c < 0x20 && c != '\t' || c == 0x7f {
					t.Fatalf("a control byte %#x in a line: %q", c, line)
				}
			}
		}
		if len(e.line) > maxLine {
			t.Fatalf("the line being typed grew to %d bytes", len(e.line))
		}
		_ = utf8.Valid(out.lines) // bytes typed are passed on as typed
	})
}
