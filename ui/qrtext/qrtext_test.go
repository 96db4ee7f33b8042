package qrtext

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/apideck-samples/vault-session/ui/qrtext/qrtexttest"
)

// sessionURL is a session URL as long as a demo one with a theme: 360
// characters.
func sessionURL(n int) string {
	const head = "https://vault.apideck.com/session/"
	token := strings.Repeat("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.", n)
	return head + token[:n-len(head)]
}

// The code drawn for a dark terminal (light blocks on black), for a light
// one and for colour forced to black on white (dark blocks on white)
// decodes back to the URL, for a short URL and a 360-character one; the
// latter fits in 40 rows.
func TestDrawnCodeDecodesToTheURL(t *testing.T) {
	qrtexttest.NeedZbar(t)
	for _, url := range []string{"https://vault.apideck.com/session/abc", sessionURL(360)} {
		code, err := Encode(url, DefaultMaxRows)
		if err != nil {
			t.Fatal(err)
		}
		if code.Rows() > DefaultMaxRows {
			t.Errorf("%d characters: %d rows, more than %d", len(url), code.Rows(), DefaultMaxRows)
		}
		for _, tc := range []struct {
			name          string
			blocksAreDark bool
			term          qrtexttest.Terminal
		}{
			{"dark terminal", false, qrtexttest.DarkTerminal},
			{"light terminal, or black on white", true, qrtexttest.LightTerminal},
		} {
			lines := code.Lines(tc.blocksAreDark)
			if len(lines) != code.Rows() {
				t.Fatalf("%d lines, Rows says %d", len(lines), code.Rows())
			}
			for i, l := range lines {
				if strings.Trim(l, "█▀▄ ") != "" || utf8.RuneCountInString(l) != code.Modules() {
					t.Fatalf("line %d is not %d half blocks: %q", i, code.Modules(), l)
				}
			}
			if got := qrtexttest.Decode(t, strings.Join(lines, "\n"), tc.term); got != url {
				t.Errorf("%s, %d characters (level %s): decoded %q", tc.name, len(url), code.Level(), got)
			}
		}
	}
}

// On a dark terminal the quiet zone, light, is drawn in blocks; on a
// light one (or black on white) it is left blank; inside, every cell is
// the other way round.
func TestPolarity(t *testing.T) {
	t.Parallel()
	code, err := Encode(sessionURL(360), DefaultMaxRows)
	if err != nil {
		t.Fatal(err)
	}
	dark, light := code.Lines(false), code.Lines(true)
	if dark[0] != strings.Repeat("█", code.Modules()) || light[0] != strings.Repeat(" ", code.Modules()) {
		t.Errorf("top of the quiet zone: %q on a dark terminal, %q on a light one", dark[0], light[0])
	}
	opposite := map[rune]rune{'█': ' ', ' ': '█', '▀': '▄', '▄': '▀'}
	for y := range dark {
		d, l := []rune(dark[y]), []rune(light[y])
		for x := range d {
			if y < len(dark)-1 && opposite[d[x]] != l[x] {
				t.Fatalf("row %d, cell %d: %q on a dark terminal, %q on a light one", y, x, d[x], l[x])
			}
		}
	}
}

// The quiet zone is 4 light modules on every side, and the code is
// square; the level is the most robust that fits the rows asked for.
func TestQuietZoneAndLevel(t *testing.T) {
	t.Parallel()
	code, err := Encode("https://v.example/s/1", DefaultMaxRows)
	if err != nil {
		t.Fatal(err)
	}
	n := code.Modules()
	for i := range n {
		for d := range QuietZone {
			if code.Dark(i, d) || code.Dark(i, n-1-d) || code.Dark(d, i) || code.Dark(n-1-d, i) {
				t.Fatalf("a dark module in the quiet zone at %d,%d", i, d)
			}
		}
	}
	if !code.Dark(QuietZone, QuietZone) {
		t.Error("the finder pattern's corner is not dark")
	}
	if code.Level() != "H" {
		t.Errorf("a short URL got level %s, want H", code.Level())
	}
	if long, _ := Encode(sessionURL(360), DefaultMaxRows); long.Level() != "L" || long.Rows() > DefaultMaxRows {
		t.Errorf("360 characters: level %s in %d rows", long.Level(), long.Rows())
	}
	if big, _ := Encode(sessionURL(1154), DefaultMaxRows); big.Rows() <= DefaultMaxRows || big.Level() != "L" {
		t.Errorf("1,154 characters: level %s in %d rows; it cannot fit 40, and takes the smallest code", big.Level(), big.Rows())
	}
	if _, err := Encode(strings.Repeat("x", 3000), 0); err == nil {
		t.Error("3,000 bytes fit no QR code, yet no error")
	}
	if _, err := Encode("", 0); err == nil {
		t.Error("an empty text gave a code")
	}
}

// Text: with colour, black on white whatever the terminal; without, the
// blocks of Lines for the terminal's background, no escape at all.
func TestTextForTheTerminal(t *testing.T) {
	t.Parallel()
	code, err := Encode("https://v.example/s/1", DefaultMaxRows)
	if err != nil {
		t.Fatal(err)
	}
	if got := code.Text(false, true); got != strings.Join(code.Lines(false), "\n") || strings.Contains(got, "\x1b") {
		t.Error("no colour, dark terminal: not Lines(false) alone")
	}
	if got := code.Text(false, false); got != strings.Join(code.Lines(true), "\n") {
		t.Error("no colour, light terminal: not Lines(true)")
	}
	for _, dark := range []bool{false, true} {
		lines := strings.Split(code.Text(true, dark), "\n")
		for i, l := range lines {
			if l != "\x1b[30;107m"+code.Lines(true)[i]+"\x1b[0m" {
				t.Fatalf("colour, dark %v, line %d: %q", dark, i, l)
			}
		}
	}
}
