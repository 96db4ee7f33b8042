package theme

import (
	"fmt"
	"math"
	"sort"
	"sync"

	"github.com/apideck-samples/vault-session/model"
)

// Terminals without true colour get the nearest colour they have, nearest
// as people see it: distance in OKLab, greys included. termenv's own pick
// sends #1f2937 (slate) to colour 17 (navy), so a designer would see a
// navy side panel; here it becomes grey 235.

// xterm's 256-colour palette: 16–231 are a 6×6×6 cube on these levels,
// 232–255 a ramp of 24 greys from 8 to 238 in steps of 10. Colours 0–15
// are left out: each terminal's theme redefines them.
var cubeLevels = [6]uint8{0, 95, 135, 175, 215, 255}

// ansi16 are xterm's default values of the 16 basic colours, the ones
// most terminals start from.
var ansi16 = [16]string{
	"#000000", "#800000", "#008000", "#808000", "#000080", "#800080", "#008080", "#c0c0c0",
	"#808080", "#ff0000", "#00ff00", "#ffff00", "#0000ff", "#ff00ff", "#00ffff", "#ffffff",
}

// ANSI256Hex is the colour xterm shows for index i (16–255).
func ANSI256Hex(i int) string {
	r, g, b := ansi256RGB(i)
	return fmt.Sprintf("#%02x%02x%02x", r, g, b)
}

func ansi256RGB(i int) (r, g, b uint8) {
	if i >= 232 {
		v := uint8(8 + 10*(i-232))
		return v, v, v
	}
	i -= 16
	return cubeLevels[i/36], cubeLevels[i/6%6], cubeLevels[i%6]
}

// ANSI16Hex is xterm's default for basic colour i (0–15).
func ANSI16Hex(i int) string { return ansi16[i] }

// paletteLab is the OKLab of every colour a terminal palette offers:
// xterm's 240 (index i-16 for colour i) and the 16 basic ones. Worked out
// once, on first use, because every approximation compares against them
// and a preview approximates two dozen colours each time it is drawn.
var paletteLab = sync.OnceValue(func() *paletteColors {
	p := new(paletteColors)
	for i := range p.xterm {
		r, g, b := ansi256RGB(16 + i)
		p.xterm[i] = linearFromBytes(r, g, b).okLab()
	}
	for i, h := range ansi16 {
		r, g, b, _ := model.RGB(h)
		p.basic[i] = linearFromBytes(r, g, b).okLab()
	}
	return p
})

type paletteColors struct {
	xterm [240]okLab
	basic [16]okLab
}

// ANSI256 returns the index (16–255) of the xterm colour nearest to hex in
// OKLab. It looks only where the answer can be: in the cube, the levels
// around each channel (three per channel), and on the grey ramp, the two
// greys around the colour's lightness (a grey's distance grows with the
// difference in lightness alone). TestANSI256MatchesBruteForce checks it
// against every one of the 240.
func ANSI256(hex string) (int, error) {
	r, g, b, err := model.RGB(hex)
	if err != nil {
		return 0, err
	}
	target := linearFromBytes(r, g, b).okLab()
	lab := &paletteLab().xterm
	best, bestDist := 0, math.Inf(1)
	consider := func(i int) {
		if d := target.distance(lab[i-16]); d < bestDist {
			best, bestDist = i, d
		}
	}
	for _, x := range nearLevels(r) {
		for _, y := range nearLevels(g) {
			for _, z := range nearLevels(b) {
				consider(16 + 36*x + 6*y + z)
			}
		}
	}
	// The greys around the colour's lightness: a grey's OKLab L grows
	// with its value.
	greys := lab[232-16:]
	n := sort.Search(len(greys), func(k int) bool { return greys[k].L >= target.L })
	for _, k := range []int{n - 1, n} {
		if k >= 0 && k < len(greys) {
			consider(232 + k)
		}
	}
	return best, nil
}

// nearLevels returns the cube levels around v: the nearest below and above
// it and one more on the side nearer to it.
func nearLevels(v uint8) []int {
	hi := 0
	for hi < 5 && cubeLevels[hi] < v {
		hi++
	}
	lo := max(0, hi-1)
	out := []int{lo, hi}
	if lo > 0 {
		out = append(out, lo-1)
	}
	if hi < 5 {
		out = append(out, hi+1)
	}
	return out
}

// ANSI16 returns the basic colour (0–15, xterm's defaults) nearest to hex
// in OKLab.
func ANSI16(hex string) (int, error) {
	r, g, b, err := model.RGB(hex)
	if err != nil {
		return 0, err
	}
	target := linearFromBytes(r, g, b).okLab()
	best, bestDist := 0, math.Inf(1)
	for i, c := range paletteLab().basic {
		if d := target.distance(c); d < bestDist {
			best, bestDist = i, d
		}
	}
	return best, nil
}
