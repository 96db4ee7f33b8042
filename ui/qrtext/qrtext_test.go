package qrtext

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// sessionURL is a session URL as long as a demo one with a theme: 360
// characters.
func sessionURL(n int) string {
	const head = "https://vault.apideck.com/session/"
	token := strings.Repeat("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.", n)
	return head + token[:n-len(head)]
}

// needZbar returns zbarimg's path, skipping the test without it, saying
// how to run it; under CI=true (as .ci/run runs) a missing zbarimg fails.
func needZbar(t *testing.T) string {
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

// picture draws lines of half-block text as a terminal would: each cell
// a module wide and two high, scale pixels a module, blocks in fg on bg,
// with a margin of the terminal's background around it.
func picture(t *testing.T, lines []string, fg, bg color.Gray, scale int) image.Image {
	t.Helper()
	const margin = 2 // cells of terminal around the code
	cols := 0
	for _, l := range lines {
		cols = max(cols, utf8.RuneCountInString(l))
	}
	img := image.NewGray(image.Rect(0, 0, (cols+2*margin)*scale, (len(lines)+2*margin)*2*scale))
	for i := range img.Pix {
		img.Pix[i] = bg.Y
	}
	fill := func(cx, cy, half int) { // half: 0 top, 1 bottom
		for y := 0; y < scale; y++ {
			for x := 0; x < scale; x++ {
				img.SetGray((cx+margin)*scale+x, ((cy+margin)*2+half)*scale+y, fg)
			}
		}
	}
	for cy, l := range lines {
		cx := 0
		for _, r := range l {
			switch r {
			case '█':
				fill(cx, cy, 0)
				fill(cx, cy, 1)
			case '▀':
				fill(cx, cy, 0)
			case '▄':
				fill(cx, cy, 1)
			case ' ':
			default:
				t.Fatalf("line %d has %q: only half blocks and spaces may be drawn", cy, r)
			}
			cx++
		}
	}
	return img
}

// decode runs zbarimg on img and returns what it read.
func decode(t *testing.T, zbar string, img image.Image) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "code.png")
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(zbar, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", path).Output()
	if err != nil {
		t.Fatalf("zbarimg read nothing: %v", err)
	}
	return strings.TrimSuffix(string(out), "\n")
}

// The code drawn for a dark terminal (light blocks on black), for a light
// one and for colour forced to black on white (dark blocks on white)
// decodes back to the URL, for a short URL and a 360-character one; the
// latter fits in 40 rows.
func TestDrawnCodeDecodesToTheURL(t *testing.T) {
	zbar := needZbar(t)
	black, white := color.Gray{Y: 0}, color.Gray{Y: 255}
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
			fg, bg        color.Gray
		}{
			{"dark terminal", false, white, black},
			{"light terminal, or black on white", true, black, white},
		} {
			lines := code.Lines(tc.blocksAreDark)
			if len(lines) != code.Rows() {
				t.Fatalf("%d lines, Rows says %d", len(lines), code.Rows())
			}
			if got := decode(t, zbar, picture(t, lines, tc.fg, tc.bg, 4)); got != url {
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
