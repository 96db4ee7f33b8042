package ui

import (
	"testing"

	"github.com/apideck-samples/vault-session/model"
)

func themeHarness(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t, testState(model.Request{AppID: "app", ConsumerID: "acme"}, "key"), nil)
	h.w.jumpTo(4, "")
	return h
}

func TestThemeStepColoursNormalised(t *testing.T) {
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
