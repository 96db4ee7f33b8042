package ui

import (
	"strings"
	"testing"

	"github.com/apideck-samples/vault-session/model"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

func TestHeaderShowsStepAndProgress(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testState(model.Request{AppID: "a", ConsumerID: "c"}, "k"), nil)
	first := strings.SplitN(h.view(), "\n", 2)[0]
	if !strings.Contains(first, "2/7 Consumer") || !strings.Contains(first, "●●○○○○○") {
		t.Fatalf("header = %q", first)
	}
}

func TestTooSmallTerminalSaysSoAndNeverPanics(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testState(model.Request{}, ""), nil)
	h.send(tea.WindowSizeMsg{Width: 20, Height: 5})
	screen := h.view()
	mustContain(t, screen, "Terminal too")
	for _, l := range strings.Split(screen, "\n") {
		if lipgloss.Width(l) > 20 {
			t.Fatalf("line wider than 20: %q", l)
		}
	}
	if n := strings.Count(screen, "\n") + 1; n > 5 {
		t.Fatalf("%d lines at height 5", n)
	}
	// Keys do nothing while the screen cannot show them (see
	// TestTooSmallTakesNoKeys), and nothing is lost on resize.
	h.typeText("k")
	h.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	h.typeText("ey")
	h.send(tea.WindowSizeMsg{Width: 20, Height: 5})
	h.typeText("zz")
	h.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	if h.w.st.apiKey != "ey" {
		t.Fatalf("api key = %q, want what was typed at a usable size", h.w.st.apiKey)
	}
}

// Every screen of every step fits the terminal, at any size: resizes re-lay
// the screen instead of drawing past its edges.
func TestEveryStepFitsEverySize(t *testing.T) {
	t.Parallel()
	sizes := [][2]int{{20, 5}, {40, 12}, {60, 20}, {80, 24}, {100, 30}, {120, 40}, {200, 60}}
	req := model.Request{AppID: "app", ConsumerID: "acme"}
	req.Session.ConsumerMetadata.Email = "bad"
	for i := 0; i < 7; i++ {
		h := newHarness(t, testState(req, ""), nil)
		h.w.jumpTo(i, "")
		h.press("enter") // may show errors
		for _, sz := range sizes {
			h.send(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
			screen := h.view()
			lines := strings.Split(screen, "\n")
			if len(lines) > sz[1] {
				t.Errorf("step %d at %dx%d: %d lines", i, sz[0], sz[1], len(lines))
			}
			for _, l := range lines {
				if w := lipgloss.Width(l); w > sz[0] {
					t.Errorf("step %d at %dx%d: line of width %d: %q", i, sz[0], sz[1], w, l)
					break
				}
			}
		}
	}
}

func TestHelpToggle(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testState(model.Request{AppID: "a", ConsumerID: "c"}, "k"), nil)
	// On a text field, "?" is typed, not a shortcut.
	h.typeText("?")
	if h.w.fullHelp || h.w.st.req.Session.ConsumerMetadata.AccountName != "?" {
		t.Fatal("? was not typed into the field")
	}
	h.press("f1")
	if !h.w.fullHelp {
		t.Fatal("f1 did not open the full help")
	}
	mustContain(t, h.view(), "next field", "previous field")
}

func TestBackAndForthKeepsEveryValue(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testState(model.Request{}, ""), nil)
	h.press("tab")
	h.typeText("app-1")
	h.press("tab")
	h.typeText("acme")
	h.press("enter")
	h.typeText("Acme Inc")
	h.press("esc")
	if h.w.current != 0 {
		t.Fatalf("esc: current = %d", h.w.current)
	}
	// The focus stayed on the consumer id, the last field: enter goes on.
	h.press("enter")
	mustContain(t, h.view(), "2/7 Consumer", "Acme Inc")
	// Shift+Tab on the first field also goes back.
	h.press("shift+tab")
	if h.w.current != 0 {
		t.Fatalf("shift+tab on the first field: current = %d", h.w.current)
	}
	mustContain(t, h.view(), "app-1", "acme")
}

// However narrow the screen, a demo session says it is one.
func TestNarrowHeaderKeepsTheDemoBadge(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testState(model.Request{AppID: "a", ConsumerID: "c"}, ""), nil)
	for _, width := range []int{40, 50, 60} {
		h.send(tea.WindowSizeMsg{Width: width, Height: 20})
		first := strings.SplitN(h.view(), "\n", 2)[0]
		if !strings.Contains(first, "DEMO") || lipgloss.Width(first) > width {
			t.Errorf("width %d: header %q", width, first)
		}
	}
}

// An API note above a step never pushes the screen past its height.
func TestAPINoteFitsSmallScreens(t *testing.T) {
	t.Parallel()
	h, _ := readyToCreate(t, apiError(401, unauthorizedBody))
	h.press("enter", "enter") // fails, then fix: Credentials with the note
	for _, sz := range [][2]int{{40, 12}, {60, 16}, {100, 30}} {
		h.send(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		screen := h.view()
		mustContain(t, screen, "The API refused the request", "API key")
		if n := strings.Count(screen, "\n") + 1; n > sz[1] {
			t.Errorf("%dx%d: %d lines", sz[0], sz[1], n)
		}
	}
}

// TestFootersAreNeverCut: at 80x24 and wider, every step's help line is
// whole, on more lines when it needs them: no key is cut, none left out.
func TestFootersAreNeverCut(t *testing.T) {
	t.Parallel()
	req := model.Request{AppID: "app", ConsumerID: "acme"}
	req.Session.Theme = model.Theme{PrimaryColor: "#ffff00"} // a failing pair: ctrl+r shows
	for _, size := range [][2]int{{80, 24}, {100, 30}, {120, 40}} {
		for i := range wizardSteps(DefaultKeyMap()) {
			for _, setup := range [][]string{nil, {"down"}, {"ctrl+t"}} {
				h := newHarness(t, testState(req, ""), nil)
				h.w.jumpTo(i, "")
				h.press(setup...)
				h.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
				footer := h.w.footer(size[0], size[1])
				if strings.Contains(footer, "…") || !strings.Contains(footer, "ctrl+c quit") {
					t.Errorf("%dx%d, step %d after %v: the help line is cut:\n%s", size[0], size[1], h.w.current+1, setup, footer)
				}
			}
		}
	}
}

// TestAStepOpenedFromTheReviewStartsAtItsTop: after going through a step
// to its last field, its number on the Review opens it on its first field
// (or row), not where the focus was left.
func TestAStepOpenedFromTheReviewStartsAtItsTop(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testState(model.Request{AppID: "app", ConsumerID: "acme"}, "k"), nil)
	if h.w.current != stepConsumer {
		t.Fatalf("started on step %d", h.w.current+1)
	}
	h.press("tab", "tab", "tab", "tab") // to the last field, the redirect URI
	h.press("enter")                    // on to the Unified APIs
	h.press("end", "enter")             // the last row, on
	h.press("end", "ctrl+s")            // the Session's last row, to the Review
	for _, tc := range []struct {
		key, first string
	}{{"2", "› Account name"}, {"3", "› [ ] Accounting"}, {"4", "› Session length"}} {
		h.press(tc.key)
		mustContain(t, h.view(), tc.first)
		h.press("ctrl+s")
	}
}
