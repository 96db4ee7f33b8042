package theme

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/apideck-samples/vault-session/model"
)

// brandColors are colours people put in Vault themes: the palettes, the
// Tailwind greys and brand colours of well-known products.
var brandColors = []string{
	"#1f2937", "#111827", "#374151", "#4b5563", "#6b7280", "#9ca3af", "#d1d5db", "#e5e7eb", "#f9fafb",
	"#5d50ce", "#4f46e5", "#0369a1", "#e0f2fe", "#0c4a6e", "#15803d", "#ecfdf5", "#14532d",
	"#635bff", "#1db954", "#ff5a5f", "#0a66c2", "#ff4500", "#f59e0b", "#ef4444", "#10b981",
	"#8b5cf6", "#ec4899", "#14b8a6", "#fde047", "#fef9c3", "#ca8a04", "#286efa", "#000080",
	"#ffffff", "#000000", "#7f7f7f", "#808080", "#1e1e1e", "#282c34", "#fafafa", "#ff0000",
}

func oklabOf(hex string) okLab {
	r, g, b, _ := model.RGB(hex)
	return linearFromBytes(r, g, b).okLab()
}

// bruteNearest256 measures every colour of the cube and the grey ramp;
// xterm holds their OKLab, worked out here from ANSI256Hex.
func bruteNearest256(xterm *[256]okLab, hex string) (int, float64) {
	target := oklabOf(hex)
	best, bestDist := 0, math.Inf(1)
	for i := 16; i < 256; i++ {
		if d := target.distance(xterm[i]); d < bestDist {
			best, bestDist = i, d
		}
	}
	return best, bestDist
}

func TestANSI256MatchesBruteForce(t *testing.T) {
	t.Parallel()
	var xterm [256]okLab
	for i := 16; i < 256; i++ {
		xterm[i] = oklabOf(ANSI256Hex(i))
	}
	colors := append([]string{}, brandColors...)
	rng := rand.New(rand.NewPCG(10, 256))
	for range 1000 {
		colors = append(colors, fmt.Sprintf("#%06x", rng.IntN(1<<24)))
	}
	for _, c := range colors {
		got, err := ANSI256(c)
		if err != nil {
			t.Fatal(err)
		}
		want, wantDist := bruteNearest256(&xterm, c)
		// Two entries at the same distance are both right.
		if got != want && oklabOf(c).distance(xterm[got]) > wantDist+1e-12 {
			t.Errorf("ANSI256(%s) = %d (%s), brute force finds %d (%s)", c, got, ANSI256Hex(got), want, ANSI256Hex(want))
		}
	}
}

// TestANSI256SlateIsGrey: the case the issue saw (termenv gives navy, 17).
func TestANSI256SlateIsGrey(t *testing.T) {
	t.Parallel()
	got, _ := ANSI256("#1f2937")
	if r, g, b := ansi256RGB(got); r != g || g != b {
		t.Errorf("#1f2937 became %d (%s), not a grey", got, ANSI256Hex(got))
	}
}

func TestANSI16Nearest(t *testing.T) {
	t.Parallel()
	for _, c := range brandColors {
		got, _ := ANSI16(c)
		target := oklabOf(c)
		for i := range 16 {
			if target.distance(oklabOf(ANSI16Hex(i))) < target.distance(oklabOf(ANSI16Hex(got)))-1e-12 {
				t.Errorf("ANSI16(%s) = %d, but %d is nearer", c, got, i)
			}
		}
	}
	for hex, want := range map[string]int{"#ffffff": 15, "#000000": 0, "#fde047": 11, "#c0c0c0": 7} {
		if got, _ := ANSI16(hex); got != want {
			t.Errorf("ANSI16(%s) = %d, want %d", hex, got, want)
		}
	}
}

func BenchmarkANSI256(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		_, _ = ANSI256(brandColors[i%len(brandColors)])
	}
}
