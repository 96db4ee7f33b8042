// Package wordwrap is the one rule by which the terminal front ends wrap
// their prose: a line breaks at a space (or at a breakpoint the caller
// names, as the Review does in lists and URLs), never at a hyphen, so a
// flag (--base-url), a header (x-apideck-consumer-id) or Retry-After is
// never cut in two; a command in backquotes (`vault-session demo-server`)
// is one word, kept on one line when it fits. Only a word wider than the
// line is broken, where it must be.
//
// charmbracelet/x/ansi's Wrap, which does the wrapping, and lipgloss's
// Width, which uses the same rule, always break after a hyphen: the
// protected hyphens and spaces are handed to it as their non-breaking
// twins (U+2011, U+00A0), and the text is then given back as it was,
// character for character, with only the line breaks added.
package wordwrap

import (
	"unicode"

	"github.com/charmbracelet/x/ansi"
)

const (
	nonBreakingHyphen = '\u2011'
	nonBreakingSpace  = '\u00a0'
)

// Wrap wraps text to width cells by the package's rule; breakpoints are
// more characters after which a line may break (as ansi.Wrap's). Escape
// sequences (styles, links) are kept and take no room. A width under 1
// leaves text as it is.
func Wrap(text string, width int, breakpoints string) string {
	if width < 1 {
		return text
	}
	original := []rune(text)
	protected, changed := protect(original)
	wrapped := ansi.Wrap(string(protected), width, breakpoints)
	if !changed {
		return wrapped
	}
	if out, ok := restore([]rune(wrapped), protected, original); ok {
		return out
	}
	// Not reached while ansi.Wrap only adds line breaks and drops spaces;
	// if it ever did more, the text is still all there.
	return ansi.Wrap(text, width, breakpoints)
}

// protect turns every hyphen, and every space between backquotes, into
// its non-breaking twin, outside escape sequences; a rune stays a rune, so
// the result lines up with text index for index.
func protect(text []rune) (out []rune, changed bool) {
	out = make([]rune, len(text))
	copy(out, text)
	quoted := false
	for i := 0; i < len(out); i++ {
		switch r := out[i]; {
		case r == ansi.ESC:
			i = escapeEnd(out, i)
		case r == '`':
			quoted = !quoted
		case r == '-':
			out[i], changed = nonBreakingHyphen, true
		case r == ' ' && quoted:
			out[i], changed = nonBreakingSpace, true
		}
	}
	return out, changed
}

// escapeEnd is the index of the last rune of the escape sequence that
// starts at i: a CSI (ESC [ ... final), an OSC, DCS, APC, PM or SOS string
// (up to BEL or ESC \), or ESC and one more.
func escapeEnd(s []rune, i int) int {
	if i+1 >= len(s) {
		return i
	}
	switch s[i+1] {
	case '[':
		for j := i + 2; j < len(s); j++ {
			if s[j] >= 0x40 && s[j] <= 0x7e {
				return j
			}
		}
		return len(s) - 1
	case ']', 'P', '_', '^', 'X':
		for j := i + 2; j < len(s); j++ {
			if s[j] == ansi.BEL {
				return j
			}
			if s[j] == ansi.ESC && j+1 < len(s) && s[j+1] == '\\' {
				return j + 1
			}
		}
		return len(s) - 1
	}
	return i + 1
}

// restore gives back the original's runes for the wrapped protected text:
// the two line up but for the line breaks the wrap added and the spaces it
// dropped where it broke a line.
func restore(wrapped, protected, original []rune) (string, bool) {
	out := make([]rune, 0, len(wrapped))
	i := 0
	for _, r := range wrapped {
		for {
			switch {
			case i < len(protected) && r == protected[i]:
				out = append(out, original[i])
				i++
			case r == '\n':
				out = append(out, r) // a break the wrap added
			case i < len(protected) && unicode.IsSpace(protected[i]) && protected[i] != nonBreakingSpace:
				i++ // a space the wrap dropped at a break
				continue
			default:
				return "", false
			}
			break
		}
	}
	for ; i < len(protected); i++ {
		if !unicode.IsSpace(protected[i]) || protected[i] == nonBreakingSpace {
			return "", false // the wrap lost text
		}
	}
	return string(out), true
}
