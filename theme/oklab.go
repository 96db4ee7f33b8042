package theme

import (
	"fmt"
	"math"
)

// Colour maths in plain float64: linear sRGB, WCAG luminance and OKLab
// (Björn Ottosson, 2020). OKLab is used because equal steps in its lightness
// look like equal steps to people, so "the nearest passing colour" found
// there keeps the hue and looks like a lighter or darker shade of the input.

// linearRGB is a colour in linear-light sRGB, each channel in [0, 1] when the
// colour is displayable.
type linearRGB struct{ R, G, B float64 }

// okLab is a colour in OKLab: L is perceived lightness in [0, 1], A and B
// the green–red and blue–yellow axes.
type okLab struct{ L, A, B float64 }

// srgbToLinear undoes the sRGB transfer curve for one channel in [0, 1]
// (IEC 61966-2-1, the 0.04045 threshold WCAG 2.x refers to).
func srgbToLinear(c float64) float64 {
	if c <= 0.04045 {
		return c / 12.92
	}
	return math.Pow((c+0.055)/1.055, 2.4)
}

// linearToSRGB applies the sRGB transfer curve to one channel in [0, 1].
func linearToSRGB(c float64) float64 {
	if c <= 0.0031308 {
		return 12.92 * c
	}
	return 1.055*math.Pow(c, 1/2.4) - 0.055
}

func linearFromBytes(r, g, b uint8) linearRGB {
	return linearRGB{
		srgbToLinear(float64(r) / 255),
		srgbToLinear(float64(g) / 255),
		srgbToLinear(float64(b) / 255),
	}
}

// luminance is WCAG 2.x relative luminance (Rec. 709 coefficients).
func (c linearRGB) luminance() float64 {
	return 0.2126*c.R + 0.7152*c.G + 0.0722*c.B
}

// inGamut reports whether the colour can be shown on an sRGB screen; eps
// absorbs the rounding of the OKLab round trip.
func (c linearRGB) inGamut() bool {
	const eps = 1e-9
	return c.R >= -eps && c.R <= 1+eps && c.G >= -eps && c.G <= 1+eps && c.B >= -eps && c.B <= 1+eps
}

// hex rounds a displayable colour to "#rrggbb"; channels out of range are
// clamped, which only happens within rounding error after gamut mapping.
func (c linearRGB) hex() string {
	return fmt.Sprintf("#%02x%02x%02x", toByte(c.R), toByte(c.G), toByte(c.B))
}

func toByte(linear float64) uint8 {
	v := math.Round(linearToSRGB(math.Min(1, math.Max(0, linear))) * 255)
	return uint8(v)
}

func (c linearRGB) okLab() okLab {
	l := math.Cbrt(0.4122214708*c.R + 0.5363325363*c.G + 0.0514459929*c.B)
	m := math.Cbrt(0.2119034982*c.R + 0.6806995451*c.G + 0.1073969566*c.B)
	s := math.Cbrt(0.0883024619*c.R + 0.2817188376*c.G + 0.6299787005*c.B)
	return okLab{
		L: 0.2104542553*l + 0.7936177850*m - 0.0040720468*s,
		A: 1.9779984951*l - 2.4285922050*m + 0.4505937099*s,
		B: 0.0259040371*l + 0.7827717662*m - 0.8086757660*s,
	}
}

func (c okLab) linear() linearRGB {
	l := c.L + 0.3963377774*c.A + 0.2158037573*c.B
	m := c.L - 0.1055613458*c.A - 0.0638541728*c.B
	s := c.L - 0.0894841775*c.A - 1.2914855480*c.B
	l, m, s = l*l*l, m*m*m, s*s*s
	return linearRGB{
		R: +4.0767416621*l - 3.3077115913*m + 0.2309699292*s,
		G: -1.2684380046*l + 2.6097574011*m - 0.3413193965*s,
		B: -0.0041960863*l - 0.7034186147*m + 1.7076147010*s,
	}
}

// chroma and hue are the polar form of A and B (OKLCH); hue in radians.
func (c okLab) chroma() float64 { return math.Hypot(c.A, c.B) }
func (c okLab) hue() float64    { return math.Atan2(c.B, c.A) }

func (c okLab) distance(d okLab) float64 {
	return math.Sqrt((c.L-d.L)*(c.L-d.L) + (c.A-d.A)*(c.A-d.A) + (c.B-d.B)*(c.B-d.B))
}

// shadeAt returns the displayable colour of lightness l with the given hue
// and at most the given chroma: when the full chroma falls outside sRGB, the
// chroma is lowered (never the hue changed) until it fits, the usual OKLCH
// gamut mapping.
func shadeAt(l, chroma, hue float64) linearRGB {
	// Lightness 0 and 1 are black and white whatever the hue: said exactly,
	// since the OKLab round trip lands a hair off them, and a hair short of
	// black is short of 21:1 against white.
	if l <= 0 {
		return linearRGB{}
	}
	if l >= 1 {
		return linearRGB{1, 1, 1}
	}
	at := func(c float64) linearRGB {
		return okLab{L: l, A: c * math.Cos(hue), B: c * math.Sin(hue)}.linear()
	}
	if c := at(chroma); c.inGamut() {
		return c
	}
	lo, hi := 0.0, chroma // lo is always in gamut: a grey of lightness l
	for range 18 {
		mid := (lo + hi) / 2
		if at(mid).inGamut() {
			lo = mid
		} else {
			hi = mid
		}
	}
	return at(lo)
}
