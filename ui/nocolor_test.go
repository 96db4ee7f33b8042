package ui

import (
	"context"
	"fmt"
	"io"
	"strings"
	"syscall"
	"testing"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/theme/sgrtest"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// testEnv is an environment for the renderer, as Options.Getenv gives it.
type testEnv map[string]string

func (e testEnv) get(k string) string { return e[k] }

// noColorState is a state drawn as Run draws it on a 256-colour terminal
// under NO_COLOR=1: the same decision (screenColours) and the same styles
// (drawWith).
func noColorState(t *testing.T, req model.Request, apiKey string) state {
	t.Helper()
	env := testEnv{"TERM": "xterm-256color", "NO_COLOR": "1"}
	r := lipgloss.NewRenderer(io.Discard, termenv.WithEnvironment(environ(env.get)), termenv.WithTTY(true))
	profile, noColor := screenColours(r.Output(), false, nil)
	if !noColor {
		t.Fatalf("NO_COLOR on a 256-colour terminal: profile %s, not the no-colour styles", profile.Name())
	}
	r.SetColorProfile(profile)
	r.SetHasDarkBackground(true)
	st := testState(req, apiKey)
	st.drawWith(r, noColor)
	return st
}

// sgr is text drawn with one attribute, as termenv writes it.
func sgr(attr, text string) string { return "\x1b[" + attr + "m" + text + "\x1b[0m" }

// opened is text that starts with one attribute set.
func opened(attr, text string) string { return "\x1b[" + attr + "m" + text }

const (
	sgrBold      = "1"
	sgrItalic    = "3"
	sgrUnderline = "4"
	sgrReverse   = "7"
)

// noColourGolden checks a screen drawn under NO_COLOR: no colour anywhere,
// and the same as testdata/<name>.golden (escape codes and all: cat shows
// it as the terminal does).
func (h *harness) noColourGolden(name string) {
	h.t.Helper()
	screen := h.view()
	if bad := sgrtest.Colours(screen); len(bad) > 0 {
		h.t.Errorf("%s: colour under NO_COLOR: %s", name, strings.Join(bad, " "))
	}
	if !strings.Contains(screen, "\x1b[") {
		h.t.Errorf("%s: no attribute at all under NO_COLOR:\n%s", name, screen)
	}
	h.golden(name)
}

// nextStep presses enter until the wizard is on the next step.
func (h *harness) nextStep() {
	h.t.Helper()
	from := h.w.current
	for range 20 {
		h.press("enter")
		if h.w.current != from {
			return
		}
	}
	h.t.Fatalf("enter does not leave step %d", from)
}

// TestNoColorKeepsAttributes goes through the whole wizard under NO_COLOR
// and checks every screen: colours are gone, bold, italic, underline and
// reverse are kept, so the text cursor shows, placeholders and hints are
// not taken for values, and what is ticked, on or wrong still says so.
func TestNoColorKeepsAttributes(t *testing.T) {
	t.Parallel()
	results := []func(model.Request) (client.Result, error){
		func(model.Request) (client.Result, error) {
			return client.Result{}, &client.ConnectionError{URL: "https://unify.apideck.com/vault/sessions", Attempts: 1,
				Err: fmt.Errorf("dial tcp 127.0.0.1:443: %w", syscall.ECONNREFUSED)}
		},
		// The golden holds no token, as the other result goldens hold
		// "<token>" (here it is cut letter by letter by the underline).
		func(req model.Request) (client.Result, error) {
			r, err := created(req)
			r.URL, r.Token = strings.ReplaceAll(r.URL, testToken, "<token>"), "<token>"
			return r, err
		},
	}
	create := func(_ context.Context, _ string, req model.Request, _ bool) (client.Result, error) {
		if len(results) == 0 {
			t.Fatal("more create calls than answers")
		}
		r := results[0]
		results = results[1:]
		return r(req)
	}
	h := newHarness(t, withMemory(t, noColorState(t, model.Request{}, ""), testStore(t)), create)

	// Credentials: the focused field's cursor stands on its placeholder's
	// first letter; placeholders and hints are italic, the demo badge
	// reversed.
	h.noColourGolden("nocolor_credentials")
	mustContain(t, h.view(),
		sgr(sgrReverse, "l")+sgr(sgrItalic, "eave empty for the built-in demo API"),
		sgr(sgrItalic, "e")+sgr(sgrItalic, ".g. test-consumer"),
		sgr(sgrItalic, "Sent as x-apideck-app-id; or set APIDECK_APP_ID"),
		sgr(sgrReverse, " ")+sgr(sgrBold+";"+sgrReverse, "DEMO")+sgr(sgrReverse, " "))

	// The text cursor: typed, then moved back onto the last letter.
	h.press("enter")
	h.typeText("abc")
	h.press("left")
	h.noColourGolden("nocolor_credentials_cursor")
	mustContain(t, h.view(), "ab"+sgr(sgrReverse, "c"))

	// An error is bold, beside its ✗.
	h.press("enter", "enter")
	h.noColourGolden("nocolor_credentials_errors")
	mustContain(t, h.view(), sgr(sgrBold, "✗ consumer ID is required"), sgr(sgrBold, "✗ 1 field needs attention"))
	h.typeText("acme")
	h.press("enter")
	if h.w.current != stepConsumer {
		t.Fatalf("step %d, not the Consumer step", h.w.current)
	}
	h.noColourGolden("nocolor_consumer")
	mustContain(t, h.view(), sgr(sgrItalic, "e")+sgr(sgrItalic, ".g. Elon Musk"), sgr(sgrItalic, "Shown under the account name"))

	// Unified APIs: what is ticked is bold, its box and its name.
	h.nextStep()
	h.press("down", "down", "down", "space", "down")
	h.noColourGolden("nocolor_unified_apis")
	mustContain(t, h.view(), sgr(sgrBold, "[x]")+" "+sgr(sgrBold, "CRM                     "), sgr(sgrBold, "1 of 28 selected"))

	// Session: a toggle that is on is bold; one left to Vault is not.
	h.nextStep()
	h.press("down", "down", "space")
	h.noColourGolden("nocolor_session")
	mustContain(t, h.view(), sgr(sgrBold, "● on            "))

	// Theme: a palette's colours are values; the swatches show nothing
	// (no block in the terminal's own colour to pass for the colour); the
	// palette's note is bold.
	h.nextStep()
	h.press("ctrl+t")
	h.noColourGolden("nocolor_theme")
	mustContain(t, h.view(), "#5d50ce     ", opened(sgrBold, "Palette 1 of 5: Apideck default"), sgr(sgrBold, "✓ 13.03:1"))

	// Custom settings: the editor's placeholder is italic after its
	// cursor; an error is bold.
	h.nextStep()
	h.noColourGolden("nocolor_custom_settings")
	mustContain(t, h.view(), sgr(sgrReverse, "{")+sgr(sgrItalic, " … } or leave blank"))
	h.typeText(`{"a": 1`)
	h.noColourGolden("nocolor_custom_settings_error")
	mustContain(t, h.view(), "1"+sgr(sgrReverse, " "), opened(sgrBold, "✗ line 1, column 8: unexpected end of JSON"))
	h.typeText("}")
	h.press("esc", "enter")
	if h.w.current != stepReview {
		t.Fatalf("step %d, not the Review", h.w.current)
	}
	h.noColourGolden("nocolor_review")
	mustContain(t, h.view(), sgr(sgrBold, "[3]")+" "+sgr(sgrBold, "Unified APIs"))

	// The help: keys bold, what they do italic.
	h.press("f1")
	h.noColourGolden("nocolor_help")
	mustContain(t, h.view(), sgr(sgrBold, "enter")+"               "+sgr(sgrItalic, "create session"))
	h.press("f1")

	// Saving a preset: the name's placeholder.
	h.press("s")
	h.noColourGolden("nocolor_save_preset")
	mustContain(t, h.view(), sgr(sgrReverse, "e")+sgr(sgrItalic, ".g. partner-acme"))
	h.press("esc")

	// A failure, then the session: its URL underlined (and a link).
	h.press("enter")
	h.noColourGolden("nocolor_failed")
	mustContain(t, h.view(), opened(sgrBold, "Could not reach https://unify.apideck.com/vault/sessions"))
	h.press("r")
	h.noColourGolden("nocolor_result")
	// (Underlined a letter at a time, as in colour: lipgloss underlines
	// the letters and not the spaces of a text.)
	mustContain(t, h.view(), sgr(sgrUnderline+";"+sgrUnderline, "h")+sgr(sgrUnderline+";"+sgrUnderline, "t"),
		"\x1b]8;id=vault-session-url;",
		sgr(sgrBold, "✓ Vault session created for acme"))
}

// TestScreenColoursKeepAttributesUnderNoColor: NO_COLOR (and CLICOLOR=0)
// on a terminal that draws leaves the colours out and keeps the
// attributes (ANSI); the plain prompts, and a terminal that takes no
// escape codes, get none, NO_COLOR or not.
func TestScreenColoursKeepAttributesUnderNoColor(t *testing.T) {
	t.Parallel()
	ansi256, ascii := termenv.ANSI256, termenv.Ascii
	for _, tc := range []struct {
		name       string
		env        testEnv
		tty        bool
		accessible bool
		given      *termenv.Profile // a served wizard's (Options.ColorProfile)
		want       termenv.Profile
		noColor    bool
	}{
		{"256 colours", testEnv{"TERM": "xterm-256color"}, true, false, nil, termenv.ANSI256, false},
		{"NO_COLOR", testEnv{"TERM": "xterm-256color", "NO_COLOR": "1"}, true, false, nil, termenv.ANSI, true},
		{"NO_COLOR, true colour", testEnv{"TERM": "xterm-kitty", "COLORTERM": "truecolor", "NO_COLOR": "1"}, true, false, nil, termenv.ANSI, true},
		{"NO_COLOR empty is unset", testEnv{"TERM": "xterm-256color", "NO_COLOR": ""}, true, false, nil, termenv.ANSI256, false},
		{"CLICOLOR=0", testEnv{"TERM": "xterm-256color", "CLICOLOR": "0"}, true, false, nil, termenv.ANSI, true},
		{"TERM=dumb", testEnv{"TERM": "dumb"}, true, false, nil, termenv.Ascii, false},
		{"TERM=dumb, NO_COLOR", testEnv{"TERM": "dumb", "NO_COLOR": "1"}, true, false, nil, termenv.Ascii, false},
		{"not a terminal, NO_COLOR", testEnv{"TERM": "xterm-256color", "NO_COLOR": "1"}, false, false, nil, termenv.Ascii, false},
		{"plain prompts", testEnv{"TERM": "xterm-256color"}, true, true, nil, termenv.Ascii, false},
		{"plain prompts, NO_COLOR", testEnv{"TERM": "xterm-256color", "NO_COLOR": "1"}, true, true, nil, termenv.Ascii, false},
		{"served plain prompts", testEnv{"TERM": "xterm-256color"}, false, true, &ansi256, termenv.Ascii, false},
		{"served", testEnv{"TERM": "xterm-256color"}, false, false, &ansi256, termenv.ANSI256, false},
		{"served, NO_COLOR", testEnv{"TERM": "xterm-256color", "NO_COLOR": "1"}, false, false, &ansi256, termenv.ANSI, true},
		{"served to TERM=dumb, NO_COLOR", testEnv{"TERM": "dumb", "NO_COLOR": "1"}, false, false, &ascii, termenv.Ascii, false},
	} {
		out := termenv.NewOutput(io.Discard, termenv.WithEnvironment(environ(tc.env.get)), termenv.WithTTY(tc.tty))
		got, noColor := screenColours(out, tc.accessible, tc.given)
		if got != tc.want || noColor != tc.noColor {
			t.Errorf("%s: %s, no colour %t; want %s, %t", tc.name, got.Name(), noColor, tc.want.Name(), tc.noColor)
		}
	}
}

// TestPlainPromptsWriteNoEscapeUnderNoColor runs Run's plain prompts with
// NO_COLOR, at home and served to a 256-colour terminal, and on TERM=dumb:
// not one escape code, attributes included.
func TestPlainPromptsWriteNoEscapeUnderNoColor(t *testing.T) {
	t.Parallel()
	ansi256 := termenv.ANSI256
	for _, tc := range []struct {
		name  string
		env   testEnv
		given *termenv.Profile
	}{
		{"NO_COLOR", testEnv{"TERM": "xterm-256color", "NO_COLOR": "1"}, nil},
		{"served, NO_COLOR", testEnv{"TERM": "xterm-256color", "NO_COLOR": "1"}, &ansi256},
		{"served", testEnv{"TERM": "xterm-256color"}, &ansi256},
		{"TERM=dumb, NO_COLOR", testEnv{"TERM": "dumb", "NO_COLOR": "1"}, nil},
	} {
		var out strings.Builder
		// No API key, the app ID kept, the consumer ID left empty (an
		// error), then given, then q.
		in := strings.NewReader("\n\n\nacme\nq\n")
		_, err := Run(t.Context(), Options{Request: model.Request{AppID: "app"}, ForceDemo: true, Version: "test",
			In: in, Out: &out, Getenv: tc.env.get, ColorProfile: tc.given, Accessible: true})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		mustContain(t, out.String(), "consumer ID is required", "Step 2 of 7: Consumer")
		if strings.Contains(out.String(), "\x1b") {
			t.Errorf("%s: the plain prompts wrote an escape code:\n%q", tc.name, out.String())
		}
	}
}
