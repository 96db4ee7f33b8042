package theme

import (
	"errors"
	"math"
	"testing"

	"github.com/apideck-samples/vault-session/model"
)

func TestRelativeLuminance(t *testing.T) {
	t.Parallel()
	tests := []struct {
		color string
		want  float64
	}{
		{"#000000", 0},
		{"#ffffff", 1},
		{"white", 1},
		{"#FFF", 1},
		{"#777", 0.1844},    // (119/255 linearised) = 0.18447
		{"#ff0000", 0.2126}, // the Rec. 709 red coefficient
		{"#00ff00", 0.7152},
		{"#0000ff", 0.0722},
		{"#0a0a0a", 0.0030}, // below the 0.04045 knee: 10/255/12.92
	}
	for _, tt := range tests {
		got, err := RelativeLuminance(tt.color)
		if err != nil {
			t.Fatalf("RelativeLuminance(%q): %v", tt.color, err)
		}
		if math.Abs(got-tt.want) > 0.0005 {
			t.Errorf("RelativeLuminance(%q) = %.5f, want %.4f", tt.color, got, tt.want)
		}
	}
	if _, err := RelativeLuminance("#12"); err == nil {
		t.Error("RelativeLuminance(#12) gave no error")
	}
}

func TestContrastRatioKnownValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fg, bg string
		want   float64
	}{
		{"black", "white", 21},
		{"#777", "#fff", 4.478},
		{"#767676", "#ffffff", 4.542}, // the lightest grey that passes on white
		{"#ffffff", "#5d50ce", 5.99},  // Vault's default primary
		{"#ffffff", "#775ad8", 4.95},  // Vault's default button colour
		{"#1f2937", "#edf2f7", 13.03}, // Vault's default side panel
		{"#123456", "#123456", 1},
	}
	for _, tt := range tests {
		got, err := ContrastRatio(tt.fg, tt.bg)
		if err != nil {
			t.Fatalf("ContrastRatio(%q, %q): %v", tt.fg, tt.bg, err)
		}
		if math.Abs(got-tt.want) > 0.005 {
			t.Errorf("ContrastRatio(%q, %q) = %.4f, want %.3f", tt.fg, tt.bg, got, tt.want)
		}
		back, _ := ContrastRatio(tt.bg, tt.fg)
		if back != got {
			t.Errorf("ContrastRatio is not symmetric for %s/%s: %v vs %v", tt.fg, tt.bg, got, back)
		}
	}
	for _, bad := range [][2]string{{"nope", "#fff"}, {"#fff", "#ggg"}} {
		if _, err := ContrastRatio(bad[0], bad[1]); err == nil {
			t.Errorf("ContrastRatio(%q, %q) gave no error", bad[0], bad[1])
		}
	}
}

func TestFormatRatioRoundsDown(t *testing.T) {
	t.Parallel()
	tests := map[float64]string{
		21:       "21.00:1",
		4.4784:   "4.47:1", // #777 on white must not read as passing
		4.4999:   "4.49:1",
		4.5:      "4.50:1",
		1:        "1.00:1",
		13.03001: "13.03:1",
	}
	for in, want := range tests {
		if got := FormatRatio(in); got != want {
			t.Errorf("FormatRatio(%v) = %q, want %q", in, got, want)
		}
	}
}

func TestNearestPassing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		fg, bg   string
		min      float64
		want     string // exact answer when known, else ""
		lighter  bool   // expected direction
		maxShift float64
	}{
		{name: "grey on white", fg: "#777", bg: "#fff", min: MinContrast, want: "#767676"},
		{name: "already passing is kept", fg: "BLACK", bg: "white", min: MinContrast, want: "#000000"},
		{name: "coral on white darkens", fg: "coral", bg: "#ffffff", min: MinContrast, maxShift: 0.2},
		{name: "lavender button", fg: "#9d92f5", bg: "#ffffff", min: MinContrast, maxShift: 0.15},
		{name: "grey text on dark panel lightens", fg: "#4b5563", bg: "#111827", min: MinContrast, lighter: true, maxShift: 0.25},
		{name: "same colour", fg: "#edf2f7", bg: "#edf2f7", min: MinContrast, maxShift: 0.6},
		{name: "AAA level", fg: "#5d50ce", bg: "#ffffff", min: 7, maxShift: 0.2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NearestPassing(tt.fg, tt.bg, tt.min)
			if err != nil {
				t.Fatal(err)
			}
			if norm, _ := model.NormalizeColor(got); norm != got {
				t.Errorf("result %q is not normalised", got)
			}
			ratio, _ := ContrastRatio(got, tt.bg)
			if ratio < tt.min {
				t.Errorf("NearestPassing(%s, %s) = %s with ratio %.3f < %v", tt.fg, tt.bg, got, ratio, tt.min)
			}
			if tt.want != "" && got != tt.want {
				t.Errorf("NearestPassing(%s, %s) = %s, want %s", tt.fg, tt.bg, got, tt.want)
			}
			from, to := labOf(t, tt.fg), labOf(t, got)
			if tt.maxShift > 0 {
				if d := from.distance(to); d > tt.maxShift {
					t.Errorf("%s moved %.3f in OKLab from %s, more than %.2f", got, d, tt.fg, tt.maxShift)
				}
				if tt.lighter != (to.L > from.L) {
					t.Errorf("%s: lighter = %v, want %v", got, to.L > from.L, tt.lighter)
				}
			}
		})
	}
}

// A chromatic colour keeps its hue: the answer is a shade of the input.
func TestNearestPassingKeepsHue(t *testing.T) {
	t.Parallel()
	for _, fg := range []string{"coral", "#9d92f5", "#22c55e", "#38bdf8", "#f59e0b", "hotpink"} {
		got, err := NearestPassing(fg, "#ffffff", MinContrast)
		if err != nil {
			t.Fatal(err)
		}
		from, to := labOf(t, fg), labOf(t, got)
		dh := math.Abs(from.hue() - to.hue())
		if dh > math.Pi {
			dh = 2*math.Pi - dh
		}
		if deg := dh * 180 / math.Pi; deg > 6 {
			t.Errorf("NearestPassing(%s) = %s: hue moved %.1f°", fg, got, deg)
		}
	}
}

// The answer is the nearest: one step back towards the input fails.
func TestNearestPassingIsTheBoundary(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ fg, bg string }{{"#777777", "#ffffff"}, {"#999999", "#ffffff"}, {"#444444", "#000000"}, {"#808080", "#1f2937"}} {
		got, err := NearestPassing(tt.fg, tt.bg, MinContrast)
		if err != nil {
			t.Fatal(err)
		}
		r, _, _, _ := model.RGB(got)
		f, _, _, _ := model.RGB(tt.fg)
		step := 1
		if r > f {
			step = -1
		}
		back := int(r) + step
		prev := string([]byte{'#', hexDigit(back >> 4), hexDigit(back & 15), hexDigit(back >> 4), hexDigit(back & 15), hexDigit(back >> 4), hexDigit(back & 15)})
		if ratio, _ := ContrastRatio(prev, tt.bg); ratio >= MinContrast {
			t.Errorf("NearestPassing(%s, %s) = %s, but %s is nearer and passes (%.3f)", tt.fg, tt.bg, got, prev, ratio)
		}
	}
}

func TestNearestPassingImpossible(t *testing.T) {
	t.Parallel()
	_, err := NearestPassing("#777777", "#777777", 7)
	var npe *NoPassingColorError
	if !errors.As(err, &npe) {
		t.Fatalf("err = %v, want *NoPassingColorError", err)
	}
	if npe.Bg != "#777777" || npe.Min != 7 || npe.Best >= 7 || npe.Best < 4 {
		t.Errorf("error fields = %+v", npe)
	}
	if _, err := NearestPassing("nope", "#fff", MinContrast); err == nil {
		t.Error("bad fg gave no error")
	}
	if _, err := NearestPassing("#fff", "#abcd", MinContrast); err == nil {
		t.Error("bad bg gave no error")
	}
}

func TestContrastReport(t *testing.T) {
	t.Parallel()
	t.Run("defaults", func(t *testing.T) {
		r := ContrastReport(model.Theme{})
		if len(r) != 2 {
			t.Fatalf("got %d checks", len(r))
		}
		side, button := r[0], r[1]
		if side.Fg != DefaultSidepanelTextColor || side.Bg != DefaultSidepanelBackgroundColor || !side.Passes || side.Suggestion != "" {
			t.Errorf("side = %+v", side)
		}
		// Without a primary colour Vault paints buttons #775AD8, not #5D50CE.
		if button.Fg != "#ffffff" || button.Bg != DefaultButtonColor || !button.Passes {
			t.Errorf("button = %+v", button)
		}
		if math.Abs(button.Ratio-4.95) > 0.01 {
			t.Errorf("button ratio = %.3f, want 4.95", button.Ratio)
		}
	})
	t.Run("failing pairs get a suggestion for the right field", func(t *testing.T) {
		r := ContrastReport(model.Theme{PrimaryColor: "#9D92F5", SidepanelTextColor: "#a0aec0", SidepanelBackgroundColor: "#edf2f7"})
		side, button := r[0], r[1]
		if side.Passes || side.Field != "sidepanel_text_color" || side.Fg != "#a0aec0" {
			t.Errorf("side = %+v", side)
		}
		if ratio, _ := ContrastRatio(side.Suggestion, side.Bg); ratio < MinContrast {
			t.Errorf("side suggestion %s only reaches %.2f on %s", side.Suggestion, ratio, side.Bg)
		}
		if button.Passes || button.Field != "primary_color" || button.Bg != "#9d92f5" {
			t.Errorf("button = %+v", button)
		}
		if ratio, _ := ContrastRatio("#ffffff", button.Suggestion); ratio < MinContrast {
			t.Errorf("button suggestion %s only reaches %.2f with white text", button.Suggestion, ratio)
		}
		want := "Button text / primary " + FormatRatio(button.Ratio) + ", below 4.50:1: try " + button.Suggestion + " (" + FormatRatio(button.SuggestedRatio()) +
			"), for primary_color. Hard to read: + Add, the other primary buttons (Authorize, Settings, Save, Re-authorize, Return to application) and the avatar's initials."
		if s := button.Warning(); s != want {
			t.Errorf("Warning() = %q\nwant        %q", s, want)
		}
	})
	t.Run("invalid colours are checked as Vault's defaults", func(t *testing.T) {
		r := ContrastReport(model.Theme{SidepanelTextColor: "#12", PrimaryColor: "notacolour"})
		if r[0].Fg != DefaultSidepanelTextColor || r[1].Bg != DefaultButtonColor {
			t.Errorf("report = %+v", r)
		}
	})
}

func FuzzNearestPassing(f *testing.F) {
	f.Add("#777", "#fff", 4.5)
	f.Add("coral", "white", 7.0)
	f.Add("#808080", "#808080", 4.5)
	f.Add("#000", "#000", 21.0)
	f.Add("navy", "#111827", 3.0)
	f.Fuzz(func(t *testing.T, fg, bg string, min float64) {
		if math.IsNaN(min) || min < 1 || min > 21 {
			return
		}
		got, err := NearestPassing(fg, bg, min)
		_, fgErr := model.NormalizeColor(fg)
		bgHex, bgErr := model.NormalizeColor(bg)
		if fgErr != nil || bgErr != nil {
			if err == nil {
				t.Fatalf("NearestPassing(%q, %q) accepted a bad colour", fg, bg)
			}
			return
		}
		black, _ := ContrastRatio("#000000", bgHex)
		white, _ := ContrastRatio("#ffffff", bgHex)
		if err != nil {
			var npe *NoPassingColorError
			if !errors.As(err, &npe) || black >= min || white >= min {
				t.Fatalf("NearestPassing(%q, %q, %v): %v although black gives %.3f and white %.3f", fg, bg, min, err, black, white)
			}
			return
		}
		if ratio, _ := ContrastRatio(got, bgHex); ratio < min {
			t.Fatalf("NearestPassing(%q, %q, %v) = %s with ratio %.4f", fg, bg, min, got, ratio)
		}
	})
}

func labOf(t *testing.T, color string) okLab {
	t.Helper()
	r, g, b, err := model.RGB(color)
	if err != nil {
		t.Fatal(err)
	}
	return linearFromBytes(r, g, b).okLab()
}

func hexDigit(v int) byte { return "0123456789abcdef"[v&15] }

// TestTextSuggestionPrefersWhiteOrBlack: slate text on a slate panel used
// to get a mid grey at 4.53:1 when white reads at 14.68:1.
func TestTextSuggestionPrefersWhiteOrBlack(t *testing.T) {
	t.Parallel()
	tests := []struct {
		bg, text, want string
	}{
		{"#1f2937", "#1f2937", "#ffffff"},
		{"#fef9c3", "#fde047", "#000000"},
		{"#777777", "#787878", "#000000"}, // black 4.69:1 beats white 4.48:1
	}
	for _, tt := range tests {
		side := ContrastReport(model.Theme{SidepanelBackgroundColor: tt.bg, SidepanelTextColor: tt.text})[0]
		if side.Passes || side.Suggestion != tt.want {
			t.Errorf("%s on %s: suggestion %q, want %q", tt.text, tt.bg, side.Suggestion, tt.want)
		}
		if side.Nearest == "" || side.Nearest == side.Suggestion {
			t.Errorf("%s on %s: nearest shade %q not offered beside %q", tt.text, tt.bg, side.Nearest, side.Suggestion)
		}
		if r, _ := ContrastRatio(side.Nearest, tt.bg); r < MinContrast {
			t.Errorf("%s on %s: nearest %s is %s", tt.text, tt.bg, side.Nearest, FormatRatio(r))
		}
	}
	// The button's text is white and fixed: its colour is moved, never
	// swapped for black.
	button := ContrastReport(model.Theme{PrimaryColor: "#aaaaff"})[1]
	if button.Suggestion != button.Nearest || button.Suggestion == "#000000" {
		t.Errorf("button: suggestion %q, nearest %q", button.Suggestion, button.Nearest)
	}
}
