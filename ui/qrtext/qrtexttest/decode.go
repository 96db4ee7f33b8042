// Package qrtexttest reads back a QR code drawn as text, as a phone would
// off the terminal: the text is drawn to a PNG the way a terminal shows
// it (a cell a module wide and two high, blocks in the foreground) and
// zbarimg decodes it. It is for tests only.
package qrtexttest

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// NeedZbar returns zbarimg's path, skipping the test without it and
// saying how to run it; under CI=true (as .ci/run runs) a missing zbarimg
// fails the test instead.
func NeedZbar(t testing.TB) string {
	t.Helper()
	path, err := exec.LookPath("zbarimg")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true: the QR code must be decoded: no zbarimg on PATH (Debian: apt-get install -y zbar-tools; .ci/run does it)")
		}
		t.Skip("skipped: no zbarimg on PATH; to decode the drawn QR codes, install it (Debian: apt-get install -y zbar-tools)")
	}
	return path
}

// Terminal is how a terminal shows the blocks: their colour and the
// background around them.
type Terminal struct{ Fg, Bg color.Gray }

// The two terminals a code is read on.
var (
	DarkTerminal  = Terminal{Fg: color.Gray{Y: 255}, Bg: color.Gray{Y: 0}}
	LightTerminal = Terminal{Fg: color.Gray{Y: 0}, Bg: color.Gray{Y: 255}}
)

var sgr = regexp.MustCompile(`\x1b\[[0-9;]*m`)

// Picture draws text (half blocks and spaces; escape codes are dropped,
// other characters are drawn as blank) as term shows it, scale pixels a
// module, with two cells of background around it.
func Picture(text string, term Terminal, scale int) image.Image {
	lines := strings.Split(sgr.ReplaceAllString(text, ""), "\n")
	const margin = 2
	cols := 0
	for _, l := range lines {
		cols = max(cols, len([]rune(l)))
	}
	img := image.NewGray(image.Rect(0, 0, (cols+2*margin)*scale, (len(lines)+2*margin)*2*scale))
	for i := range img.Pix {
		img.Pix[i] = term.Bg.Y
	}
	fill := func(cx, cy, half int) { // half: 0 top, 1 bottom
		for y := range scale {
			for x := range scale {
				img.SetGray((cx+margin)*scale+x, ((cy+margin)*2+half)*scale+y, term.Fg)
			}
		}
	}
	for cy, l := range lines {
		for cx, r := range []rune(l) {
			switch r {
			case '█':
				fill(cx, cy, 0)
				fill(cx, cy, 1)
			case '▀':
				fill(cx, cy, 0)
			case '▄':
				fill(cx, cy, 1)
			}
		}
	}
	return img
}

// Decode returns what zbarimg reads in text as term shows it, "" when it
// reads no QR code. It skips the test without zbarimg (NeedZbar).
func Decode(t testing.TB, text string, term Terminal) string {
	t.Helper()
	zbar := NeedZbar(t)
	var b bytes.Buffer
	if err := png.Encode(&b, Picture(text, term, 4)); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "code.png")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(zbar, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", path).Output()
	if err != nil {
		return "" // zbarimg exits 4 when it finds no code
	}
	return strings.TrimSuffix(string(out), "\n")
}
