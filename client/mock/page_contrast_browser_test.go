package mock_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/theme"
	"github.com/chromedp/chromedp"
)

// drawnText is one element that draws text or an icon, as Chromium
// computed it: its colour, the background it sits on (the first opaque
// one among it and its ancestors, translucent ones blended in) and the
// data-contrast mark of its nearest marked ancestor.
type drawnText struct {
	What   string `json:"what"`
	Color  string `json:"color"`
	BG     string `json:"bg"`
	Marked string `json:"marked"`
}

// drawnTextsJS lists what the page draws now: every visible element with
// text of its own, and every icon (an svg drawn in currentColor).
const drawnTextsJS = `(() => {
  const rgba = (s) => { const m = s.match(/[\d.]+/g).map(Number); return m.length === 3 ? [...m, 1] : m; };
  const seen = (el) => {
    for (let p = el; p && p !== document.documentElement; p = p.parentElement) {
      const cs = getComputedStyle(p);
      if (cs.display === "none" || cs.visibility === "hidden" || +cs.opacity === 0) return false;
    }
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const background = (el) => {
    const layers = [];
    for (let p = el; p; p = p.parentElement) {
      const c = rgba(getComputedStyle(p).backgroundColor);
      if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let out = [255, 255, 255];
    for (let i = layers.length - 1; i >= 0; i--) {
      const [r, g, b, a] = layers[i];
      out = [r * a + out[0] * (1 - a), g * a + out[1] * (1 - a), b * a + out[2] * (1 - a)];
    }
    return "rgb(" + out.map(Math.round).join(", ") + ")";
  };
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest("script, style, [disabled], .sr-only")) continue;
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim() !== "");
    const icon = el.tagName.toLowerCase() === "svg";
    if (!(own || icon) || !seen(el)) continue;
    const c = rgba(getComputedStyle(el).color);
    const mark = el.closest("[data-contrast]");
    out.push({what: el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string" ? "." + el.className.trim().replace(/\s+/g, ".") : "") +
      " " + JSON.stringify((el.textContent || "").trim().slice(0, 40)),
      color: "rgb(" + c.slice(0, 3).map(Math.round).join(", ") + ")", bg: background(el), marked: mark ? mark.dataset.contrast : ""});
  }
  return out;
})()`

var rgbPattern = regexp.MustCompile(`^rgb\((\d+), (\d+), (\d+)\)$`)

// hexOf turns "rgb(r, g, b)" into "#rrggbb".
func hexOf(t *testing.T, rgb string) string {
	m := rgbPattern.FindStringSubmatch(rgb)
	if m == nil {
		t.Fatalf("not a colour: %q", rgb)
	}
	var b strings.Builder
	b.WriteByte('#')
	for _, part := range m[1:] {
		n, _ := strconv.Atoi(part)
		fmt.Fprintf(&b, "%02x", n)
	}
	return b.String()
}

// TestEveryTextThePageDrawsHasARule opens the page in every state that
// shows something (wide and narrow, the menu open, a card open, the "+ Add"
// dialog, the expired modal, the sandbox banner) with a theme of colours
// no fixed part of the page uses, and reads every text and icon drawn:
// whatever is drawn in the theme's colours is one of the pairs the
// contrast report checks (theme.ContrastReport) and is marked with a
// text of theme.ThemedTexts for that pair, so the warnings name it; every
// other text, in the page's fixed colours, reaches 4.5:1.
func TestEveryTextThePageDrawsHasARule(t *testing.T) {
	t.Parallel()
	needBrowser(t)
	th := model.Theme{VaultName: "Acme", PrimaryColor: "#0b4fa8", SidepanelBackgroundColor: "#1f2430", SidepanelTextColor: "#f4f1de"}
	s := model.Session{Theme: th, ConsumerMetadata: model.ConsumerMetadata{AccountName: "Acme Inc", UserName: "Jane Doe"}}
	s.Settings.SandboxMode = model.Bool(true)
	s.Settings.ShowSuggestions = model.Bool(true)
	s.Settings.UnifiedAPIs = []string{"crm", "hris"}
	page := func(opt theme.HTMLOptions) string {
		var b bytes.Buffer
		if err := theme.NewHTMLPage().Render(&b, s, opt); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "page.html")
		if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		return "file://" + path
	}
	now := time.Now()
	conns := []theme.PageConnection{
		{ID: "crm+salesforce", ServiceID: "salesforce", Name: "Salesforce", UnifiedAPI: "crm", State: "callable", Enabled: true, CreatedAt: now.UnixMilli()},
		{ID: "crm+hubspot", ServiceID: "hubspot", Name: "HubSpot", UnifiedAPI: "crm", State: "added", Enabled: true, CreatedAt: now.UnixMilli()},
		{ID: "hris+bamboohr", ServiceID: "bamboohr", Name: "BambooHR", UnifiedAPI: "hris", State: "callable", Enabled: false, CreatedAt: now.UnixMilli()},
	}
	live := page(theme.HTMLOptions{Now: now, Connections: conns, Carries: `{"theme": {}}`})
	expired := page(theme.HTMLOptions{Now: now, ExpiresAt: now.Add(-time.Minute)})
	var signIn bytes.Buffer
	if err := theme.NewAuthorizePage().Render(&signIn, theme.AuthorizeStep{ServiceID: "salesforce", Connector: "Salesforce", VaultTitle: "Acme Vault", API: "CRM", Denied: true}); err != nil {
		t.Fatal(err)
	}
	authorizePage := filepath.Join(t.TempDir(), "authorize.html")
	if err := os.WriteFile(authorizePage, signIn.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}

	report := theme.ContrastReport(th)
	pairOf := map[[2]string]theme.ContrastCheck{}
	for _, c := range report {
		pairOf[[2]string{c.Fg, c.Bg}] = c
	}
	fieldOf := map[string]string{}
	for _, text := range theme.ThemedTexts() {
		fieldOf[text.ID] = text.Field
	}
	themed := map[string]bool{th.SidepanelBackgroundColor: true, th.SidepanelTextColor: true, th.PrimaryColor: true}

	tab := newTab(t)
	states := []struct {
		name  string
		url   string
		width int64
		do    []chromedp.Action[chromedp.Void]
	}{
		{"wide", live, 1440, nil},
		{"a card open", live, 1440, []chromedp.Action[chromedp.Void]{chromedp.Click(chromedp.CSS(`.card[data-service="salesforce"] .card-row`))}},
		{"+ Add", live, 1440, []chromedp.Action[chromedp.Void]{chromedp.Click(chromedp.CSS(".add-button")), chromedp.WaitVisible(chromedp.ID("add-modal"))}},
		{"narrow", live, 390, nil},
		{"narrow, menu open", live, 390, []chromedp.Action[chromedp.Void]{chromedp.Click(chromedp.ID("menu-button"))}},
		{"expired", expired, 1024, nil},
		{"the sign-in stand-in", live, 1440, []chromedp.Action[chromedp.Void]{chromedp.Click(chromedp.CSS(`.add-button[data-api="crm"]`)),
			chromedp.Click(chromedp.CSS(`.choice[data-service="pipedrive"]`)), chromedp.WaitVisible(chromedp.ID("authorize-modal"))}},
		{"the settings form", live, 390, []chromedp.Action[chromedp.Void]{chromedp.Click(chromedp.CSS(`.add-button[data-api="hris"]`)),
			chromedp.Click(chromedp.CSS(`.choice[data-service="personio"]`)), chromedp.WaitVisible(chromedp.ID("settings-modal"))}},
		{"the demo API's sign-in screen", "file://" + authorizePage, 1024, nil},
	}
	drawn := 0
	for _, st := range states {
		actions := append([]chromedp.Action[chromedp.Void]{chromedp.EmulateViewport(st.width, 900), chromedp.Navigate(st.url), chromedp.WaitReady("body")}, st.do...)
		if err := chromedp.Do(tab, actions...); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		texts, err := chromedp.Run(tab, chromedp.Evaluate[[]drawnText](drawnTextsJS))
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		for _, d := range texts {
			drawn++
			fg, bg := hexOf(t, d.Color), hexOf(t, d.BG)
			if themed[fg] || themed[bg] {
				check, ok := pairOf[[2]string{fg, bg}]
				switch {
				case !ok:
					t.Errorf("%s: %s is drawn %s on %s, a pair of the theme's colours the contrast report does not check", st.name, d.What, fg, bg)
				case fieldOf[d.Marked] != check.Field:
					t.Errorf("%s: %s is drawn in the pair of %s but marked data-contrast=%q: add it to theme.ThemedTexts and mark it", st.name, d.What, check.Field, d.Marked)
				}
				continue
			}
			if r, _ := theme.ContrastRatio(fg, bg); r < theme.MinContrast {
				t.Errorf("%s: %s is drawn %s on %s, %s", st.name, d.What, fg, bg, theme.FormatRatio(r))
			}
		}
	}
	if drawn < 100 {
		t.Errorf("only %d texts read: the walk is broken", drawn)
	}
}

// A theme with pairs below 4.5:1 (#ff5a1f buttons, default dark text on a
// dark side panel): the page keeps Vault's colours but says, in a corner
// and in preview's words, which pairs fail, what to use and what they
// make hard to read; "Hide" puts the note away. A theme that passes has
// no note.
func TestVaultPageSaysWhatIsHardToRead(t *testing.T) {
	t.Parallel()
	needBrowser(t)
	tab := newTab(t)
	open := func(th model.Theme, width int64) {
		var b bytes.Buffer
		if err := theme.NewHTMLPage().Render(&b, model.Session{Theme: th}, theme.HTMLOptions{}); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "page.html")
		if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(tab, chromedp.EmulateViewport(width, 800), chromedp.Navigate("file://"+path), chromedp.WaitReady("body")); err != nil {
			t.Fatal(err)
		}
	}
	type note struct {
		Visible bool     `json:"visible"`
		Lines   []string `json:"lines"`
		Inside  bool     `json:"inside"` // wholly in the viewport
	}
	const noteJS = `(() => {
	  const n = document.getElementById("contrast-warning");
	  if (!n || n.hidden) return {visible: false, lines: [], inside: false};
	  const r = n.getBoundingClientRect();
	  return {visible: r.width > 0, lines: [...n.querySelectorAll("p")].map((p) => p.innerText),
	    inside: r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight};
	})()`
	brand := model.Theme{VaultName: "Acme", PrimaryColor: "#ff5a1f", SidepanelBackgroundColor: "#1f2430"}
	for _, width := range []int64{1280, 390} {
		open(brand, width)
		n, err := chromedp.Run(tab, chromedp.Evaluate[note](noteJS))
		if err != nil {
			t.Fatal(err)
		}
		warnings := theme.ContrastWarnings(brand)
		if !n.Visible || !n.Inside || len(n.Lines) != len(warnings)+1 {
			t.Fatalf("%d px: note %+v, want it whole on screen with %d warnings", width, n, len(warnings))
		}
		for i, c := range warnings {
			if n.Lines[i] != c.Warning() {
				t.Errorf("%d px: the note says %q, want preview's words %q", width, n.Lines[i], c.Warning())
			}
		}
		if err := chromedp.Do(tab, chromedp.Click(chromedp.ID("contrast-warning-hide"))); err != nil {
			t.Fatal(err)
		}
		if n, _ := chromedp.Run(tab, chromedp.Evaluate[note](noteJS)); n.Visible {
			t.Errorf("%d px: Hide left the note on screen", width)
		}
	}
	open(model.Theme{PrimaryColor: "#d64200", SidepanelBackgroundColor: "#1f2430", SidepanelTextColor: "#ffffff"}, 1280)
	if n, _ := chromedp.Run(tab, chromedp.Evaluate[note](noteJS)); n.Visible {
		t.Errorf("a theme that passes has a note: %+v", n)
	}
}
