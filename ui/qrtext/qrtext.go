// Package qrtext draws a QR code of a link as text, for a phone to scan
// off a terminal: two modules a character cell with half blocks (▀ ▄ █),
// so a module is about square and a 360-character session URL fits in 40
// rows, with the quiet zone the standard asks for around it.
//
// The drawing is block characters alone; what a block shows is up to the
// caller: the foreground of a terminal with colour forced to black on
// white, or, with NO_COLOR, the terminal's own, which is light on a dark
// terminal and dark on a light one. Lines says which modules are blocks
// for each case, so the code reads dark-on-light either way.
//
// The encoding itself is github.com/yeqown/go-qrcode/v2's.
package qrtext

import (
	"errors"
	"fmt"
	"strings"

	qrcode "github.com/yeqown/go-qrcode/v2"
)

// QuietZone is the light margin around the code, in modules: the 4 the
// QR standard asks for, without which some phones read nothing.
const QuietZone = 4

// DefaultMaxRows is the height a code aims for: a 360-character session
// URL fits at error correction level L, a shorter one gets more.
const DefaultMaxRows = 40

// Code is a QR code, quiet zone included, as a square of modules.
type Code struct {
	dark  [][]bool // [y][x], true for a dark module
	level string   // "L", "M", "Q" or "H"
}

// errorCorrection is a level of error correction and its letter.
type errorCorrection struct {
	name   string
	option qrcode.EncodeOption
}

// levels are the error correction levels, most robust first: a code takes
// the first that fits.
func levels() []errorCorrection {
	return []errorCorrection{
		{"H", qrcode.WithErrorCorrectionLevel(qrcode.ErrorCorrectionHighest)},
		{"Q", qrcode.WithErrorCorrectionLevel(qrcode.ErrorCorrectionQuart)},
		{"M", qrcode.WithErrorCorrectionLevel(qrcode.ErrorCorrectionMedium)},
		{"L", qrcode.WithErrorCorrectionLevel(qrcode.ErrorCorrectionLow)},
	}
}

// Encode makes the QR code of text with the most error correction that
// keeps it within maxRows rows of text (0: no bound, level H). A text too
// long to fit at any level gets level L, the smallest code: the caller
// says it does not fit (Rows). An error means no QR code holds the text.
func Encode(text string, maxRows int) (Code, error) {
	if text == "" {
		return Code{}, errors.New("qrtext: nothing to encode")
	}
	var code Code
	for _, l := range levels() {
		qr, err := qrcode.NewWith(text, l.option)
		if err != nil {
			if l.name == "L" {
				return Code{}, fmt.Errorf("qrtext: %d bytes do not fit in a QR code: %w", len(text), err)
			}
			continue // too long at this level; less correction may fit
		}
		var grab matrixWriter
		if err := qr.Save(&grab); err != nil {
			return Code{}, err
		}
		code = Code{dark: withQuietZone(grab.bitmap), level: l.name}
		if maxRows <= 0 || code.Rows() <= maxRows {
			break
		}
	}
	return code, nil
}

// matrixWriter keeps the modules the encoder hands its writers.
type matrixWriter struct{ bitmap [][]bool }

func (w *matrixWriter) Write(m qrcode.Matrix) error {
	w.bitmap = m.Bitmap()
	return nil
}

func (w *matrixWriter) Close() error { return nil }

// withQuietZone puts QuietZone light modules around bitmap.
func withQuietZone(bitmap [][]bool) [][]bool {
	n := len(bitmap) + 2*QuietZone
	out := make([][]bool, n)
	for y := range out {
		out[y] = make([]bool, n)
		if y >= QuietZone && y < n-QuietZone {
			copy(out[y][QuietZone:], bitmap[y-QuietZone])
		}
	}
	return out
}

// Modules is the side of the code in modules, quiet zone included: its
// width in columns.
func (c Code) Modules() int { return len(c.dark) }

// Rows is the code's height in lines of text: two modules a line.
func (c Code) Rows() int { return (len(c.dark) + 1) / 2 }

// Level is the error correction level the code was made with: "L", "M",
// "Q" or "H".
func (c Code) Level() string { return c.level }

// Dark reports whether the module at column x, row y (quiet zone
// included) is dark.
func (c Code) Dark(x, y int) bool {
	return y >= 0 && y < len(c.dark) && x >= 0 && x < len(c.dark[y]) && c.dark[y][x]
}

// Lines draws the code as Rows lines of Modules cells. blocksAreDark
// says what a block shows: true when the text is drawn dark on light
// (colour forced to black on white, or a light terminal), false on a dark
// terminal, where blocks are light and the light modules, quiet zone
// included, are drawn as blocks.
func (c Code) Lines(blocksAreDark bool) []string {
	lines := make([]string, 0, c.Rows())
	var b strings.Builder
	for y := 0; y < len(c.dark); y += 2 {
		b.Reset()
		for x := range c.dark[y] {
			// A missing bottom row (an odd side) is quiet zone: light.
			top, bottom := c.dark[y][x] == blocksAreDark, y+1 < len(c.dark) && c.dark[y+1][x] == blocksAreDark
			if y+1 >= len(c.dark) {
				bottom = !blocksAreDark
			}
			b.WriteString(halfBlock(top, bottom))
		}
		lines = append(lines, b.String())
	}
	return lines
}

// String is the code for a light terminal or one forced to black on
// white: Lines(true) joined by newlines.
func (c Code) String() string { return strings.Join(c.Lines(true), "\n") }

// Black on bright white, in the 16 colours every terminal with colour
// has: the code's own light, whatever the terminal's background.
const (
	blackOnWhite = "\x1b[30;107m"
	resetStyle   = "\x1b[0m"
)

// Text is the code as a terminal shows it, lines joined by newlines (no
// trailing one). With colour, every line is black on white, so the code
// reads on any terminal; without (NO_COLOR, TERM=dumb), it is block
// characters alone, drawn for the terminal's background: darkTerminal
// says which.
func (c Code) Text(color, darkTerminal bool) string {
	if !color {
		return strings.Join(c.Lines(!darkTerminal), "\n")
	}
	lines := c.Lines(true)
	for i, l := range lines {
		lines[i] = blackOnWhite + l + resetStyle
	}
	return strings.Join(lines, "\n")
}

// halfBlock is the character with its top and bottom halves drawn as
// asked.
func halfBlock(top, bottom bool) string {
	switch {
	case top && bottom:
		return "█"
	case top:
		return "▀"
	case bottom:
		return "▄"
	}
	return " "
}
