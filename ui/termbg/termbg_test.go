package termbg

import (
	"testing"

	"github.com/apideck-samples/vault-session/theme"
)

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestDecideOrder(t *testing.T) {
	white := func() (string, bool) { return "#ffffff", true }
	navy := func() (string, bool) { return "#1f2937", true }
	silent := func() (string, bool) { return "", false }
	asked := false
	spy := func() (string, bool) { asked = true; return "#000000", true }
	tests := []struct {
		name  string
		mode  Mode
		query func() (string, bool)
		vars  map[string]string
		want  Answer
	}{
		{"terminal answers white", Auto, white, nil, Answer{false, "terminal"}},
		{"terminal answers slate", Auto, navy, nil, Answer{true, "terminal"}},
		{"terminal beats COLORFGBG", Auto, white, map[string]string{"COLORFGBG": "15;0"}, Answer{false, "terminal"}},
		{"no answer: COLORFGBG light", Auto, silent, map[string]string{"COLORFGBG": "0;15"}, Answer{false, "COLORFGBG"}},
		{"no answer: COLORFGBG with default", Auto, silent, map[string]string{"COLORFGBG": "0;default;7"}, Answer{false, "COLORFGBG"}},
		{"no answer: COLORFGBG dark", Auto, silent, map[string]string{"COLORFGBG": "15;0"}, Answer{true, "COLORFGBG"}},
		{"no answer, COLORFGBG unreadable", Auto, silent, map[string]string{"COLORFGBG": "15;default"}, Answer{true, "default"}},
		{"nothing at all", Auto, silent, nil, Answer{true, "default"}},
		{"forced light on a black terminal", Light, spy, nil, Answer{false, "--theme"}},
		{"forced dark on a white terminal", Dark, spy, nil, Answer{true, "--theme"}},
	}
	for _, tt := range tests {
		if got := Decide(tt.mode, tt.query, env(tt.vars)); got != tt.want {
			t.Errorf("%s: %+v, want %+v", tt.name, got, tt.want)
		}
	}
	if asked {
		t.Error("a forced theme asked the terminal anyway")
	}
}

func TestParseMode(t *testing.T) {
	for in, want := range map[string]Mode{"": Auto, "auto": Auto, " Light ": Light, "DARK": Dark} {
		if got, err := ParseMode(in); err != nil || got != want {
			t.Errorf("ParseMode(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseMode("solarized"); err == nil {
		t.Error("ParseMode(solarized) gave no error")
	}
}

func TestColorFromReply(t *testing.T) {
	for payload, want := range map[string]string{
		"rgb:1e1e/1e1e/1e1e":     "#1e1e1e",
		"rgb:ffff/ffff/ffff":     "#ffffff",
		"rgb:0000/0000/0000":     "#000000",
		"rgb:f/8/0":              "#ff8800",
		"rgb:fff/800/000":        "#ff8000",
		"rgba:2828/2c2c/3434/ff": "#282c34",
		"rgb:FFFF/0000/8080":     "#ff0080",
	} {
		if got, ok := ColorFromReply(payload); !ok || got != want {
			t.Errorf("ColorFromReply(%q) = %q, %v; want %q", payload, got, ok, want)
		}
	}
	for _, bad := range []string{"", "?", "rgb:", "rgb:1/2", "rgb:12345/0/0", "rgb:gg/00/00", "cmy:1/2/3", "rgb:1/2/3/4", "rgb://"} {
		if got, ok := ColorFromReply(bad); ok {
			t.Errorf("ColorFromReply(%q) = %q, want no colour", bad, got)
		}
	}
}

func FuzzColorFromReply(f *testing.F) {
	f.Add("rgb:1e1e/1e1e/1e1e")
	f.Add("rgba:f/f/f/f")
	f.Fuzz(func(t *testing.T, payload string) {
		hex, ok := ColorFromReply(payload)
		if !ok {
			return
		}
		if _, err := theme.ContrastRatio(hex, "#000000"); err != nil {
			t.Fatalf("ColorFromReply(%q) = %q, not a colour: %v", payload, hex, err)
		}
	})
}
