// Package termtexttest holds the hostile strings that every path from
// outside text to a terminal is tested with, and the check that what
// reached the terminal is safe. It is for tests only.
package termtexttest

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/apideck-samples/vault-session/model/termtext"
)

// Sample is one hostile string.
type Sample struct {
	Name string
	Text string
}

// HugeLine is longer than any line termtext keeps, with an escape past the
// cut so that a path which neither cuts nor escapes is caught.
var HugeLine = strings.Repeat("A", 3*termtext.MaxLineRunes) + "\x1b[2J"

// Hostile is what a hostile server, session file or flag might send.
var Hostile = []Sample{
	{"clipboard write (OSC 52)", "bad\x1b]52;c;aGFja2Vk\x07request"},
	{"clear screen", "\x1b[2Jgone"},
	{"window title", "\x1b]0;pwned\x07title"},
	{"right-to-left override", "abc\u202edef"},
	{"C1 CSI", "a\u009b2Jb"},
	{"raw C1 byte", "a\x9b2Jb"},
	{"invalid UTF-8", "caf\xe9\xff"},
	{"bell, DEL, NUL, CR", "a\x07b\x7fc\x00d\re"},
	{"huge line", HugeLine},
}

// Unsafe returns a description of the first thing in out that a terminal
// would obey rather than show (any control character but newline, a bidi
// control, invalid UTF-8), or "" when out is safe.
func Unsafe(out string) string {
	if termtext.IsSafe(out) {
		return ""
	}
	for i := 0; i < len(out); {
		r, size := utf8.DecodeRuneInString(out[i:])
		if !termtext.IsSafe(out[i : i+size]) {
			start := max(0, i-20)
			return fmt.Sprintf("%U at byte %d, after %q", r, i, out[start:i])
		}
		i += size
	}
	return "unsafe text"
}

// Check fails t when out holds anything a terminal would obey.
func Check(t testing.TB, what, out string) {
	t.Helper()
	if problem := Unsafe(out); problem != "" {
		t.Errorf("%s reaches the terminal with %s", what, problem)
	}
}

// JSONString is s as a JSON string literal, keeping invalid UTF-8 as raw
// bytes (encoding/json would replace them) so they reach the reader as a
// hostile server would send them.
func JSONString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b.WriteString(`\` + string(c))
		case c < 0x20:
			fmt.Fprintf(&b, `\u%04x`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}
