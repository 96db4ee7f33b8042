package wordwrap

import (
	"strings"
	"testing"
	"unicode"

	"github.com/charmbracelet/x/ansi"
)

func TestFlagsHeadersAndCommandsAreNeverCut(t *testing.T) {
	for _, tc := range []struct {
		text        string
		width       int
		breakpoints string
		want        string
	}{
		// The Credentials step at 80 columns cut "(--" from "base-url)".
		{"Sessions are created with the key from APIDECK_API_KEY at 127.0.0.1:8080 (--base-url).", 80, "",
			"Sessions are created with the key from APIDECK_API_KEY at 127.0.0.1:8080\n(--base-url)."},
		{"the consumer (x-apideck-consumer-id) is yours", 24, "", "the consumer\n(x-apideck-consumer-id)\nis yours"},
		{"waiting 2s: the API asked (Retry-After)", 30, "", "waiting 2s: the API asked\n(Retry-After)"},
		{"run `vault-session demo-server --port 8080` first", 42, "", "run\n`vault-session demo-server --port 8080`\nfirst"},
		// Styles and links are kept where they were and take no room.
		{"\x1b[1mset\x1b[0m --base-url \x1b]8;id=a-b;https://x-y.example\x07here\x1b]8;;\x07", 12, "",
			"\x1b[1mset\x1b[0m\n--base-url\n\x1b]8;id=a-b;https://x-y.example\x07here\x1b]8;;\x07"},
		// A word wider than the line is broken: nothing is lost.
		{"--a-very-long-flag-name", 10, "", "--a-very-l\nong-flag-n\name"},
		{"no hyphen here at all", 10, "", "no hyphen\nhere at\nall"},
		// The caller's breakpoints still break (the Review's lists).
		{"crm,hris,accounting,ats", 12, ",", "crm,hris,\naccounting,\nats"},
	} {
		if got := Wrap(tc.text, tc.width, tc.breakpoints); got != tc.want {
			t.Errorf("Wrap(%q, %d):\n%q\nwant\n%q", tc.text, tc.width, got, tc.want)
		}
	}
}

// FuzzWrap: whatever the text, the wrap only adds line breaks and drops
// spaces, and no line is wider than the width (its spaces aside: ansi.Wrap
// keeps a paragraph's leading ones).
func FuzzWrap(f *testing.F) {
	for _, seed := range []string{
		"Sessions are created with the key from APIDECK_API_KEY at 127.0.0.1:8080 (--base-url).",
		"run `vault-session demo-server` and `unclosed -x y",
		"a - b -- c --- d",
		"\x1b[31mred --flag\x1b[0m and \x1b]8;;https://a-b.example\x1b\\link\x1b]8;;\x1b\\",
		"\u2011\u00a0 already non-breaking - here",
		"wide 漢字-漢字 --漢字",
		"  leading and trailing  \n\n next para-graph ",
	} {
		f.Add(seed, 12)
		f.Add(seed, 1)
	}
	f.Fuzz(func(t *testing.T, text string, width int) {
		if width < 1 || width > 200 || strings.ContainsAny(text, "\t\r\x1b\x07\x9b\x9d") || !validText(text) {
			return // escape sequences are pinned above; tabs are the callers' to expand
		}
		got := Wrap(text, width, "")
		if squeeze(got) != squeeze(text) {
			t.Fatalf("Wrap(%q, %d) = %q: changed more than the breaks", text, width, got)
		}
		for _, line := range strings.Split(got, "\n") {
			if w := ansi.StringWidth(strings.TrimSpace(line)); w > width && !hasWide(line) {
				t.Fatalf("Wrap(%q, %d): line %q is %d cells", text, width, line, w)
			}
		}
	})
}

// squeeze is text without its white space.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) && r != '\u00a0' {
			return -1
		}
		return r
	}, s)
}

// validText is text a screen could be handed: valid UTF-8 with no control
// characters (termtext shows those as escapes first).
func validText(s string) bool {
	for _, r := range s {
		if r == '\uFFFD' || (unicode.IsControl(r) && r != '\n') {
			return false
		}
	}
	return true
}

// hasWide reports a character two cells wide, which ansi.Wrap may leave
// one cell over a width of one.
func hasWide(s string) bool {
	for _, r := range s {
		if ansi.StringWidth(string(r)) > 1 {
			return true
		}
	}
	return false
}
