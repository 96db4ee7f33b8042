package ui

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/theme"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/cellbuf"
	"github.com/muesli/termenv"
)

func themeHarness(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t, testState(model.Request{AppID: "app", ConsumerID: "acme"}, "key"), nil)
	h.w.jumpTo(4, "")
	return h
}

func TestThemeStepColoursNormalised(t *testing.T) {
	t.Parallel()
	h := themeHarness(t)
	h.press("tab")
	h.typeText("navy")
	h.press("tab")
	h.typeText("#FFF")
	h.press("tab")
	h.typeText("#1f2937")
	mustContain(t, h.view(), "→ #000080", "→ #ffffff")
	h.golden("theme_colours")
	got := h.w.st.req.Session.Normalized().Theme
	if got.PrimaryColor != "#000080" || got.SidepanelBackgroundColor != "#ffffff" || got.SidepanelTextColor != "#1f2937" {
		t.Fatalf("normalised theme = %+v", got)
	}
}

func TestThemeStepInvalidColourAndURL(t *testing.T) {
	t.Parallel()
	h := themeHarness(t)
	h.press("tab")
	h.typeText("#12345")
	h.press("tab", "tab", "tab")
	h.typeText("ftp://logo")
	for range 4 {
		h.press("tab")
	}
	// From the last field, tab tried to go on and was refused.
	if h.w.current != 4 {
		t.Fatalf("moved on with errors to step %d", h.w.current)
	}
	screen := h.view()
	mustContain(t, screen, `"#12345" is not a colour`, `must start with`, "2 fields need attention")
	h.golden("theme_errors")
	// The focus went to the first error: fix it, and only one remains.
	h.press("backspace")
	h.typeText("56")
	mustNotContain(t, h.view(), "is not a colour")
	if h.w.st.req.Session.Theme.Logo != "ftp://logo" {
		t.Fatal("the typed logo was lost")
	}
}

// themeWith opens the Theme step on colours of its own.
func themeWith(t *testing.T, th model.Theme) *harness {
	t.Helper()
	h := newHarness(t, testState(model.Request{AppID: "app", ConsumerID: "acme", Session: model.Session{Theme: th}}, "key"), nil)
	h.w.jumpTo(4, "")
	return h
}

func TestThemeFixContrastOnePairAtATime(t *testing.T) {
	t.Parallel()
	// Both pairs fail: slate text on a slate panel, a pale button.
	h := themeWith(t, model.Theme{PrimaryColor: "#aaaaff", SidepanelBackgroundColor: "#1f2937", SidepanelTextColor: "#1f2937"})
	h.w.steps[4].focusPath("theme.sidepanel_text_color")
	screen := h.view()
	mustContain(t, screen, "try #ffffff (14.67:1) or #8490a1, the nearest shade", "ctrl+r fixes side panel text / background")
	h.golden("theme_contrast_fix")
	h.press("ctrl+r")
	th := h.w.st.req.Session.Theme
	if th.SidepanelTextColor != "#ffffff" || th.PrimaryColor != "#aaaaff" {
		t.Fatalf("ctrl+r on the text field: %+v; want white text and the button untouched", th)
	}
	mustContain(t, h.view(), "Side panel text / background: now #ffffff (14.67:1)", "ctrl+r fixes button text / primary")

	// Undo puts the text back; ctrl+z leaves the help once nothing is left.
	h.press("ctrl+z")
	if got := h.w.st.req.Session.Theme.SidepanelTextColor; got != "#1f2937" {
		t.Fatalf("after ctrl+z the text is %q", got)
	}
	mustNotContain(t, h.view(), "ctrl+z undo")

	// On the primary colour field, ctrl+r fixes the button only.
	h.w.steps[4].focusPath("theme.primary_color")
	h.press("ctrl+r")
	th = h.w.st.req.Session.Theme
	if th.PrimaryColor == "#aaaaff" || th.SidepanelTextColor != "#1f2937" {
		t.Fatalf("ctrl+r on the primary colour: %+v", th)
	}
	// On any other field it fixes the one the hint names.
	h.w.steps[4].focusPath("theme.logo")
	h.press("ctrl+r")
	if got := h.w.st.req.Session.Theme.SidepanelTextColor; got != "#ffffff" {
		t.Fatalf("ctrl+r on the logo field left the text %q", got)
	}
	h.press("ctrl+r")
	mustContain(t, h.view(), "Both pairs pass: nothing to fix.")
	mustNotContain(t, h.view(), "ctrl+r fix")
}

func TestThemePaletteCycleNamesAndReturns(t *testing.T) {
	t.Parallel()
	mine := model.Theme{PrimaryColor: "#123456", SidepanelBackgroundColor: "#ffffff", SidepanelTextColor: "#000000"}
	h := themeWith(t, mine)
	palettes := theme.Palettes()
	for i, p := range palettes {
		h.press("ctrl+t")
		mustContain(t, h.view(), fmt.Sprintf("Palette %d of %d: %s", i+1, len(palettes), p.Name))
		if got := h.w.st.req.Session.Theme.PrimaryColor; got != p.PrimaryColor {
			t.Fatalf("palette %s: primary %q", p.Name, got)
		}
	}
	h.press("ctrl+t")
	mustContain(t, h.view(), "Back to your colours")
	if got := h.w.st.req.Session.Theme; got != mine {
		t.Fatalf("after the last palette: %+v, want the user's %+v", got, mine)
	}
	// Undo steps back through them, one at a time.
	h.press("ctrl+z")
	if got := h.w.st.req.Session.Theme.PrimaryColor; got != palettes[len(palettes)-1].PrimaryColor {
		t.Fatalf("undo: %q", got)
	}
}

func TestThemePreviewKeyOnlyWhereItCanShow(t *testing.T) {
	t.Parallel()
	h := themeHarness(t) // 100 columns: the preview is beside the form
	mustNotContain(t, h.view(), "ctrl+p")
	h.press("ctrl+p")
	mustContain(t, h.view(), "The preview is already beside the form.")

	h.send(tea.WindowSizeMsg{Width: 80, Height: 30})
	mustContain(t, h.view(), "ctrl+p preview")
	h.press("ctrl+p")
	mustContain(t, h.view(), "Preview of the Vault page", "ctrl+p back to the form")
	mustNotContain(t, h.view(), "ctrl+p preview")
	h.press("ctrl+p")
	mustContain(t, h.view(), "ctrl+p shows the Vault preview")
}

// On a narrow screen the preview hides the form: a key meant for the form
// brings it back before it is applied, so what is typed is seen where it
// goes instead of landing unseen in the field behind the preview.
func TestTypingOverTheNarrowPreviewShowsTheForm(t *testing.T) {
	t.Parallel()
	h := themeHarness(t)
	h.send(tea.WindowSizeMsg{Width: 80, Height: 30})
	h.press("ctrl+p")
	mustContain(t, h.view(), "Preview of the Vault page")
	h.typeText("Acme")
	screen := h.view()
	mustNotContain(t, screen, "Preview of the Vault page")
	mustContain(t, screen, "Acme", "ctrl+p preview")
	if got := h.w.st.req.Session.Theme.VaultName; got != "Acme" {
		t.Errorf("vault name %q, want what was typed", got)
	}
}

// ctrl+b draws the page for the theme being edited and opens it; the form
// keeps what was typed and says where the page is.
func TestThemeStepOpensThePageInTheBrowser(t *testing.T) {
	t.Parallel()
	h := themeHarness(t)
	var pages []string
	h.w.st.openPage = func(html []byte) (string, error) {
		pages = append(pages, string(html))
		return "/tmp/vault-session-page-1/vault-page.html", nil
	}
	h.typeText("Acme")
	h.press("tab")
	h.typeText("navy")
	h.send(tea.KeyMsg{Type: tea.KeyCtrlB})
	if len(pages) != 1 {
		t.Fatalf("%d pages opened, want 1", len(pages))
	}
	for _, want := range []string{"<title>Acme Vault</title>", "--primary: #000080", "DEMO: not Apideck"} {
		if !strings.Contains(pages[0], want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	mustContain(t, h.view(), "Opened in your browser:", "/tmp/vault-session-page-1/vault-page.html", "ctrl+b browser")
	h.golden("theme_browser")
	if got := h.w.st.req.Session.Theme; got.VaultName != "Acme" || got.PrimaryColor != "navy" || h.w.current != 4 {
		t.Errorf("ctrl+b changed the form: %+v, step %d", got, h.w.current)
	}

	h.w.st.openPage = func([]byte) (string, error) { return "/tmp/p.html", errors.New("no browser") }
	h.send(tea.KeyMsg{Type: tea.KeyCtrlB})
	mustContain(t, h.view(), "No browser opened (no browser). The page is at:", "/tmp/p.html")
	h.typeText("x")
	mustNotContain(t, h.view(), "/tmp/p.html")

	h.w.st.openPage = nil
	h.send(tea.KeyMsg{Type: tea.KeyCtrlB})
	mustContain(t, h.view(), "No browser can be opened from here.")
}

// The Theme step's preview, alone on a narrow screen or beside the form on
// a wide one, on a light and on a dark terminal (the app's two palettes):
// read back as a terminal shows it, every row of the page starts and ends
// in the side panel's colour, at every width from the smallest the wizard
// takes; no row stops at its text (issue 18, defect 6).
func TestThemePreviewRowsReachTheEdge(t *testing.T) {
	t.Parallel()
	sideBg := func(sgr string) string {
		cell := cellbuf.NewBuffer(1, 1)
		cellbuf.SetContent(cell, sgr+" ")
		return fmt.Sprint(cell.Cell(0, 0).Style.Bg)
	}
	side := sideBg("\x1b[48;2;31;36;48m")
	for _, dark := range []bool{false, true} {
		r := lipgloss.NewRenderer(io.Discard)
		r.SetColorProfile(termenv.TrueColor)
		r.SetHasDarkBackground(dark)
		st := testState(model.Request{AppID: "app", ConsumerID: "acme"}, "key")
		st.styles, st.profile = theme.NewStyles(r), termenv.TrueColor
		st.req.Session.Theme = model.Theme{VaultName: "Acme", PrimaryColor: "#ff5a1f", SidepanelBackgroundColor: "#1f2430", SidepanelTextColor: "#f9fafb"}
		h := newHarness(t, st, nil)
		h.w.jumpTo(4, "")
		shown := false
		for width := minWidth; width <= 140; width++ {
			h.send(tea.WindowSizeMsg{Width: width, Height: 30})
			if width < sideBySideWidth && !shown {
				h.press("ctrl+p")
				shown = true
			}
			view := h.view()
			lines := strings.Split(view, "\n")
			screen := cellbuf.NewBuffer(width, len(lines))
			cellbuf.SetContent(screen, view)
			// The page runs from its top bar (a row of ▀) to the row
			// above the footer; it ends at the screen's right edge.
			left, top := -1, -1
			for y := range lines {
				if x := strings.Index(ansi.Strip(lines[y]), "▀▀▀▀"); x >= 0 {
					left, top = ansi.StringWidth(ansi.Strip(lines[y])[:x]), y
					break
				}
			}
			if top < 0 {
				t.Fatalf("dark %v, width %d: no preview on screen:\n%s", dark, width, ansi.Strip(view))
			}
			rows := 0
			for y := top + 1; y < len(lines); y++ {
				first := screen.Cell(left, y)
				if first == nil || first.Style.Bg == nil {
					break // below the page
				}
				rows++
				for x := left; x < width; x++ {
					if c := screen.Cell(x, y); c.Style.Bg == nil {
						t.Fatalf("dark %v, width %d, row %d: cell %d shows the terminal's background:\n%q", dark, width, y, x, lines[y])
					}
				}
				if a, b := fmt.Sprint(first.Style.Bg), fmt.Sprint(screen.Cell(width-1, y).Style.Bg); a != side || b != side {
					t.Fatalf("dark %v, width %d, row %d starts on %s and ends on %s, not the side panel's %s:\n%q", dark, width, y, a, b, side, lines[y])
				}
			}
			if rows < 10 {
				t.Fatalf("dark %v, width %d: the page has %d rows under its top bar", dark, width, rows)
			}
		}
	}
}

// The Theme step says a failing pair in the words `preview` writes on
// stderr (ui/cli's TestPreviewWarnsAboutContrastAndStrictFails reads the
// same strings there): one theme.ContrastCheck, Pair, ratio and Advice.
func TestThemeContrastInPreviewsWords(t *testing.T) {
	t.Parallel()
	h := themeHarness(t)
	h.w.st.req.Session.Theme = model.Theme{VaultName: "Acme", PrimaryColor: "#ff5a1f", SidepanelBackgroundColor: "#1f2430"}
	h.w.steps[4].(*themeStep).form.load(&h.w.st)
	h.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	mustContain(t, h.view(), "Side panel text / background  ⚠ 1.05:1", "try #ffffff (15.51:1) or #7f8c9d, the nearest shade",
		"Button text / primary  ⚠ 3.11:1", "try #d64200 (4.52:1)")
}
