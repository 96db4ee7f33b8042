// Package termtext makes text that came from outside the program (API
// answers, session files, flags, tokens, request paths) safe to print on a
// terminal. It is the one place that does so: every path from outside text
// to a terminal goes through Line or Text.
//
// A terminal obeys control sequences wherever they appear, so an API message
// holding ESC]52 can write the clipboard, ESC[2J can wipe the screen and
// U+202E can make text read backwards. Such characters are shown, not
// obeyed: they become visible escapes like \x1b and \u202e. Invalid UTF-8 is
// shown byte by byte (\xff), and long lines are cut with a count of what was
// left out, so a huge answer cannot bury the screen.
//
// The package imports nothing of the project, so every layer (ui, main,
// client/mock's log) can use it.
package termtext

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Limits applied by Line and Text.
const (
	// MaxLineRunes is where a line is cut: long enough for any message,
	// URL or token an API sends, short enough that a hostile one-line body
	// does not fill the screen.
	MaxLineRunes = 2000
	// MaxLines is where Text stops keeping lines.
	MaxLines = 200
)

// Line returns s as one safe line: newlines are shown as \n like every other
// control character, and the line is cut at MaxLineRunes.
func Line(s string) string { return LineN(s, MaxLineRunes) }

// LineN is Line with its own cut: at most max runes of s are kept (max <= 0
// keeps everything), then "… (N more characters)".
func LineN(s string, max int) string {
	var b strings.Builder
	b.Grow(len(s))
	writeSafe(&b, s, max)
	return b.String()
}

// Text returns s made safe where line breaks are meant: each line is made
// safe as by Line, "\r\n" counts as one break, and after MaxLines lines the
// rest is summarised as "… (N more lines)".
func Text(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	b.Grow(min(len(s), 64<<10)) // a hint, not what a huge s would ask
	// Line by line, not split: the lines past MaxLines are only counted,
	// so a body of a million empty lines costs no million strings.
	for i := 0; ; i++ {
		if i == MaxLines {
			fmt.Fprintf(&b, "… (%d more lines)", strings.Count(s, "\n")+1)
			break
		}
		line, rest, more := strings.Cut(s, "\n")
		writeSafe(&b, line, MaxLineRunes)
		if !more {
			break
		}
		b.WriteByte('\n')
		s = rest
	}
	return b.String()
}

// TextN is Text of at most max characters of s in all (max <= 0 keeps
// everything Text keeps), then "… (N more characters)": an excerpt of a
// body that says how much of it is not shown.
func TextN(s string, max int) string {
	if max <= 0 {
		return Text(s)
	}
	cut, runes := 0, 0
	for cut < len(s) && runes < max {
		_, size := utf8.DecodeRuneInString(s[cut:])
		cut += size
		runes++
	}
	if cut == len(s) {
		return Text(s)
	}
	return Text(s[:cut]) + fmt.Sprintf("… (%d more characters)", utf8.RuneCountInString(s[cut:]))
}

// JSON returns JSON text, as encoding/json writes it, safe for a terminal
// and meaning exactly the same: the characters encoding/json leaves as they
// are although a terminal would obey them (DEL, C1 controls, bidi
// controls) become \u escapes, which inside a JSON string stand for the
// same characters. Nothing is cut: the output is read back by programs.
// Invalid UTF-8 and other controls outside newline, which encoding/json
// never writes, are escaped as by Line.
func JSON(s string) string {
	if IsSafe(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r != '\n' && unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// IsSafe reports whether s would be printed unchanged by Text (apart from
// length): it holds no control character other than newline, no bidi
// control and only valid UTF-8.
func IsSafe(s string) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return false
		}
		if r != '\n' && unsafeRune(r) {
			return false
		}
		i += size
	}
	return true
}

// writeSafe writes the safe form of s to b, cutting after max runes.
func writeSafe(b *strings.Builder, s string, max int) {
	runes := 0
	for i := 0; i < len(s); {
		if max > 0 && runes == max {
			fmt.Fprintf(b, "… (%d more characters)", utf8.RuneCountInString(s[i:]))
			return
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(b, `\x%02x`, s[i])
		case unsafeRune(r):
			b.WriteString(escapeRune(r))
		default:
			b.WriteString(s[i : i+size])
		}
		runes++
		i += size
	}
}

// unsafeRune reports the characters a terminal would obey rather than show:
// C0 controls, DEL, C1 controls, and the bidi controls that reorder text.
func unsafeRune(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f:
		return true
	case r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e: // LRE, RLE, PDF, LRO, RLO
		return true
	case r >= 0x2066 && r <= 0x2069: // LRI, RLI, FSI, PDI
		return true
	case r == 0x200e, r == 0x200f, r == 0x061c: // LRM, RLM, ALM
		return true
	}
	return false
}

// escapeRune is the visible form of an unsafe character, in Go's own
// escape syntax so a reader knows what it was.
func escapeRune(r rune) string {
	switch r {
	case '\n':
		return `\n`
	case '\r':
		return `\r`
	case '\t':
		return `\t`
	}
	if r < 0x80 {
		return fmt.Sprintf(`\x%02x`, r)
	}
	return fmt.Sprintf(`\u%04x`, r)
}
