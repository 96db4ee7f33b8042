package termbg

import "testing"

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

// TestQueryEnvAsksInsideTmux: termenv refuses to ask under tmux or screen;
// the environment it is given says xterm there, and hides COLORFGBG.
func TestQueryEnvAsksInsideTmux(t *testing.T) {
	for term, want := range map[string]string{
		"tmux-256color": "xterm-256color", "screen": "xterm-256color", "xterm-kitty": "xterm-kitty", "dumb": "dumb",
	} {
		e := queryEnv{env(map[string]string{"TERM": term, "COLORFGBG": "0;15"})}
		if got := e.Getenv("TERM"); got != want {
			t.Errorf("TERM=%s: termenv sees %q, want %q", term, got, want)
		}
		if e.Getenv("COLORFGBG") != "" {
			t.Error("COLORFGBG reached termenv")
		}
	}
}
