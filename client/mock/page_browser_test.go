package mock_test

// The Vault page in a real browser: headless Chromium loads the page the
// demo API serves (and the one `preview --html` writes) and the tests read
// what a person would see: computed colours, which parts are visible,
// whether anything overflows, and what "+ Add" does.
//
// Chromium is Debian's `chromium` package (.ci/run installs it), or the
// one VAULT_SESSION_CHROMIUM names. Without it these tests skip, each
// saying how to run them, so a first `go test ./...` needs no browser;
// under CI=true (as .ci/run runs) they are required and fail instead.

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client/mock"
	"github.com/apideck-samples/vault-session/client/mock/mocktest"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/theme"
	"github.com/chromedp/chromedp"
)

// browserCandidates are the names Chromium goes by, Debian's first.
var browserCandidates = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"}

// findBrowser returns Chromium's path, or why there is none.
func findBrowser() (string, error) {
	if p := os.Getenv("VAULT_SESSION_CHROMIUM"); p != "" {
		path, err := exec.LookPath(p)
		if err != nil {
			return "", fmt.Errorf("VAULT_SESSION_CHROMIUM names no browser: %w", err)
		}
		return path, nil
	}
	for _, name := range browserCandidates {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no Chromium on PATH (looked for %s); to run the Vault page's browser tests, install it "+
		"(Debian: apt-get install -y chromium; .ci/run does it) or point VAULT_SESSION_CHROMIUM at one",
		strings.Join(browserCandidates, ", "))
}

// browser is one headless Chromium shared by the tests of this package:
// starting it costs about a second, a tab a few milliseconds.
var browser struct {
	once   sync.Once
	ctx    context.Context
	cancel context.CancelFunc
	err    error
}

// browserTestsAtOnce is how many tests run at once unless -test.parallel
// says: the browser tests mostly wait, on Chromium and on the page's own
// timers (the auto-redirect's 3 s), so more of them than the default (one
// a core) share the time.
const browserTestsAtOnce = 6

func TestMain(m *testing.M) {
	flag.Parse()
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if !given {
		flag.Set("test.parallel", strconv.Itoa(max(browserTestsAtOnce, runtime.GOMAXPROCS(0))))
	}
	code := m.Run()
	if browser.cancel != nil {
		browser.cancel()
	}
	os.Exit(code)
}

// needBrowser skips the test, saying how to run it, when there is no
// Chromium; under CI=true a missing Chromium fails the test instead.
func needBrowser(t *testing.T) {
	t.Helper()
	if _, err := findBrowser(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true: the Vault page must be checked in a browser: %v", err)
		}
		t.Skipf("skipped: %v", err)
	}
}

// newTab opens a tab of the shared browser, starting it on first use.
func newTab(t *testing.T) context.Context {
	t.Helper()
	needBrowser(t)
	browser.once.Do(func() {
		path, err := findBrowser()
		if err != nil {
			browser.err = err
			return
		}
		dir, err := os.MkdirTemp("", "vault-session-chromium-")
		if err != nil {
			browser.err = err
			return
		}
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(path),
			chromedp.UserDataDir(dir), // new and empty: no profile, no extensions
			chromedp.NoSandbox,
			chromedp.DisableGPU,
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("hide-scrollbars", true),
		)
		alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancelCtx := chromedp.NewContext(alloc)
		browser.ctx = ctx
		browser.cancel = func() { cancelCtx(); cancelAlloc(); os.RemoveAll(dir) }
		if err := chromedp.Do(ctx); err != nil {
			browser.err = fmt.Errorf("cannot start Chromium (%s): %w", path, err)
		}
	})
	if browser.err != nil {
		t.Fatalf("the Vault page must be checked in a browser: %v", browser.err)
	}
	tab, cancel := chromedp.NewContext(browser.ctx)
	t.Cleanup(cancel)
	// A test that hangs fails instead of eating CI's time.
	tab, cancelTimeout := context.WithTimeout(tab, 60*time.Second)
	t.Cleanup(cancelTimeout)
	return tab
}

// pageFacts is what the page shows, read in the browser.
type pageFacts struct {
	Title       string   `json:"title"`
	TopBar      part     `json:"topBar"`
	Side        part     `json:"side"`
	SideText    part     `json:"sideText"`
	MobileBar   part     `json:"mobileBar"`
	Main        part     `json:"main"`
	Banner      part     `json:"banner"`
	Marker      part     `json:"marker"`
	Expired     part     `json:"expired"`
	Return      part     `json:"return"`
	Consumer    part     `json:"consumer"`
	AddButtons  []part   `json:"addButtons"`
	Nav         []string `json:"nav"`
	Sections    []string `json:"sections"`
	OverflowBy  float64  `json:"overflowBy"`
	Overflowing []string `json:"overflowing"`
}

// part is one element: whether it is there and seen, and its colours as
// the browser computed them ("rgb(r, g, b)").
type part struct {
	Exists  bool   `json:"exists"`
	Visible bool   `json:"visible"`
	BG      string `json:"bg"`
	Color   string `json:"color"`
	Text    string `json:"text"`
}

// factsJS reads pageFacts. Visible means displayed, not transparent and
// with a box inside the viewport's width.
const factsJS = `(() => {
  const part = (el) => {
    if (!el) return {exists: false, visible: false, bg: "", color: "", text: ""};
    const cs = getComputedStyle(el), r = el.getBoundingClientRect();
    let visible = cs.display !== "none" && cs.visibility !== "hidden" && +cs.opacity > 0 && r.width > 0 && r.height > 0;
    for (let p = el.parentElement; visible && p; p = p.parentElement) {
      if (getComputedStyle(p).display === "none") visible = false;
    }
    return {exists: true, visible, bg: cs.backgroundColor, color: cs.color, text: el.innerText.trim().replace(/\s+/g, " ")};
  };
  const q = (s) => document.querySelector(s);
  const vw = document.documentElement.clientWidth;
  const overflowing = [];
  for (const el of document.querySelectorAll("body *")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || getComputedStyle(el).position === "fixed" && getComputedStyle(el).display === "none") continue;
    if (r.right > vw + 0.5 || r.left < -0.5) overflowing.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + "." + el.className);
  }
  return {
    title: document.title,
    topBar: part(q("#top-bar")), side: part(q("#side")), sideText: part(q("#side .brand-title") || q("#side .nav a")),
    mobileBar: part(q("#mobile-bar")), main: part(q("#main")), banner: part(q("#sandbox-banner")),
    marker: part(q("#demo-marker")), expired: part(q("#expired-modal")), return: part(q("#return-link")),
    consumer: part(q("#consumer")),
    addButtons: [...document.querySelectorAll(".add-button")].map(part),
    nav: [...document.querySelectorAll("#nav [data-nav]")].map((a) => a.dataset.nav),
    sections: [...document.querySelectorAll(".section h2")].map((h) => h.innerText),
    overflowBy: document.documentElement.scrollWidth - vw,
    overflowing: overflowing.slice(0, 5),
  };
})()`

func readFacts(t *testing.T, tab context.Context) pageFacts {
	t.Helper()
	f, err := chromedp.Run(tab, chromedp.Evaluate[pageFacts](factsJS))
	if err != nil {
		t.Fatalf("reading the page: %v", err)
	}
	return f
}

// rgb is a "#rrggbb" as getComputedStyle writes it.
func rgb(hex string) string {
	r, g, b, err := model.RGB(hex)
	if err != nil {
		panic(err)
	}
	return fmt.Sprintf("rgb(%d, %d, %d)", r, g, b)
}

// createPage creates a session on the mock and returns its page URL.
func createPage(t *testing.T, baseURL, body string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, baseURL+mock.SessionsPath, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer demo-key")
	req.Header.Set("x-apideck-app-id", "demo-app")
	req.Header.Set("x-apideck-consumer-id", "consumer-"+strings.ReplaceAll(t.Name(), "/", "-"))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var created struct {
		Data struct {
			SessionURI string `json:"session_uri"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&created); err != nil || resp.StatusCode != 200 {
		t.Fatalf("create: %d %v", resp.StatusCode, err)
	}
	return created.Data.SessionURI
}

// clock is a mock clock tests can move.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// quickSteps is the added → authorized → callable journey, fast enough
// for a test to watch.
func quickSteps() mock.Option {
	return mock.WithConnectionSteps(
		mock.ConnectionStep{After: 0, State: mock.StateAdded, Health: mock.HealthNeedsAuth},
		mock.ConnectionStep{After: 300 * time.Millisecond, State: mock.StateAuthorized, Health: mock.HealthOK},
		mock.ConnectionStep{After: 600 * time.Millisecond, State: mock.StateCallable, Health: mock.HealthOK},
	)
}

// Defaults of the page, as the browser reports them.
var (
	vaultPrimary  = rgb("#5d50ce")
	vaultButton   = rgb("#775ad8")
	vaultSide     = rgb("#edf2f7")
	vaultSideText = rgb("#1f2937")
	white         = rgb("#ffffff")
	bannerBG      = rgb("#fef9c3")
	bannerText    = rgb("#a16207")
)

func TestVaultPageInABrowser(t *testing.T) {
	t.Parallel()
	needBrowser(t)
	clk := &clock{now: time.Now()}
	_, base := mocktest.Start(t, mock.WithClock(clk.Now), quickSteps())

	type want struct {
		title                             string
		topBar, side, sideText, button    string // "" means absent or hidden
		nav                               []string
		sections                          int
		banner, mobile, expired, consumer bool
	}
	defaults := want{title: "Apideck Vault", topBar: vaultPrimary, side: vaultSide, sideText: vaultSideText, button: vaultButton,
		nav: []string{"integrations", "logs"}, consumer: true}
	cases := []struct {
		name   string
		body   string
		width  int64
		expire bool
		want   want
	}{
		{name: "default theme", body: `{}`, width: 1440, want: func() want { w := defaults; w.sections = 28; return w }()},
		{
			name:  "dark side panel",
			body:  `{"theme":{"vault_name":"Acme","primary_color":"#2563eb","sidepanel_background_color":"#111827","sidepanel_text_color":"#f9fafb"},"settings":{"unified_apis":["crm","hris"]}}`,
			width: 1440,
			want: want{title: "Acme Vault", topBar: rgb("#2563eb"), side: rgb("#111827"), sideText: rgb("#f9fafb"), button: rgb("#2563eb"),
				nav: []string{"integrations", "logs"}, sections: 2, consumer: true},
		},
		{
			name:  "sandbox",
			body:  `{"settings":{"sandbox_mode":true,"unified_apis":["crm"]}}`,
			width: 1024,
			want:  func() want { w := defaults; w.sections, w.banner = 1, true; return w }(),
		},
		{
			name:  "isolation",
			body:  `{"settings":{"isolation_mode":true,"show_suggestions":true,"unified_apis":["ats"]}}`,
			width: 1440,
			want:  func() want { w := defaults; w.nav, w.sections = nil, 1; return w }(),
		},
		{
			name:  "no sidebar",
			body:  `{"theme":{"primary_color":"#0369a1"},"settings":{"show_sidebar":false,"unified_apis":["crm","file-storage"]}}`,
			width: 1440,
			want:  want{title: "Apideck Vault", topBar: rgb("#0369a1"), button: rgb("#0369a1"), sections: 2},
		},
		{
			name:  "logs and suggestions on",
			body:  `{"settings":{"show_logs":true,"show_suggestions":true,"unified_apis":["crm"]}}`,
			width: 1440,
			want: func() want {
				w := defaults
				w.nav, w.sections = []string{"integrations", "suggestions", "logs"}, 1
				return w
			}(),
		},
		{
			name:  "narrow 390 px",
			body:  `{"theme":{"vault_name":"Acme","sidepanel_background_color":"#1e3a8a","sidepanel_text_color":"#ffffff"},"settings":{"unified_apis":["crm","accounting"]}}`,
			width: 390,
			// The navigation is there, behind the menu button.
			want: want{title: "Acme Vault", button: vaultButton, sections: 2, mobile: true, nav: []string{"integrations", "logs"}},
		},
		{
			name:   "expired",
			body:   `{"settings":{"session_length":"30m","unified_apis":["crm"]}}`,
			width:  1440,
			expire: true,
			want:   func() want { w := defaults; w.sections, w.expired = 1, true; return w }(),
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			url := createPage(t, base, tc.body)
			if tc.expire {
				clk.Add(31 * time.Minute)
				t.Cleanup(func() { clk.Add(-31 * time.Minute) })
			}
			tab := newTab(t)
			if err := chromedp.Do(tab, chromedp.EmulateViewport(tc.width, 900), chromedp.Navigate(url), chromedp.WaitReady("body")); err != nil {
				t.Fatal(err)
			}
			f := readFacts(t, tab)
			w := tc.want
			if f.Title != w.title {
				t.Errorf("title %q, want %q", f.Title, w.title)
			}
			checkColour(t, "top bar", f.TopBar, w.topBar, "bg")
			checkColour(t, "side panel", f.Side, w.side, "bg")
			checkColour(t, "side panel text", f.SideText, w.sideText, "color")
			if len(f.AddButtons) != w.sections || len(f.Sections) != w.sections {
				t.Errorf("%d sections and %d + Add buttons, want %d", len(f.Sections), len(f.AddButtons), w.sections)
			}
			for i, b := range f.AddButtons {
				if !b.Visible || b.BG != w.button || b.Color != white || b.Text != "+ Add" {
					t.Errorf("+ Add %d: %+v, want visible, %s on %s", i, b, white, w.button)
					break
				}
			}
			if !slices.Equal(f.Nav, w.nav) {
				t.Errorf("navigation %q, want %q", f.Nav, w.nav)
			}
			if w.side != "" && !f.Return.Visible {
				t.Error("Return to application is not visible")
			}
			if f.Consumer.Visible != w.consumer {
				t.Errorf("consumer card visible = %v, want %v", f.Consumer.Visible, w.consumer)
			}
			if f.Banner.Visible != w.banner {
				t.Errorf("sandbox banner visible = %v, want %v", f.Banner.Visible, w.banner)
			}
			if w.banner && (f.Banner.BG != bannerBG || f.Banner.Color != bannerText || f.Banner.Text != "You are currently in Sandbox mode.") {
				t.Errorf("sandbox banner %+v, want %s on %s", f.Banner, bannerText, bannerBG)
			}
			if f.MobileBar.Visible != w.mobile {
				t.Errorf("mobile bar visible = %v, want %v", f.MobileBar.Visible, w.mobile)
			}
			if f.Expired.Visible != w.expired {
				t.Errorf("expired modal visible = %v, want %v", f.Expired.Visible, w.expired)
			}
			if !f.Marker.Visible || f.Marker.Text != "DEMO: not Apideck" {
				t.Errorf("DEMO marker %+v", f.Marker)
			}
			if !f.Main.Visible || f.Main.BG != white {
				t.Errorf("main panel %+v, want visible and white", f.Main)
			}

			// No width of the three a person is likely to have makes the
			// page scroll sideways.
			for _, vw := range []int64{390, 1024, 1440} {
				if err := chromedp.Do(tab, chromedp.EmulateViewport(vw, 900)); err != nil {
					t.Fatal(err)
				}
				if f := readFacts(t, tab); f.OverflowBy > 0 || len(f.Overflowing) > 0 {
					t.Errorf("at %d px the page overflows by %.0f px: %q", vw, f.OverflowBy, f.Overflowing)
				}
			}
			if tc.width == 390 {
				checkMobileMenu(t, tab, rgb("#1e3a8a"), white)
			}
		})
	}
}

func checkColour(t *testing.T, name string, p part, want, which string) {
	t.Helper()
	got := p.BG
	if which == "color" {
		got = p.Color
	}
	switch {
	case want == "" && p.Visible:
		t.Errorf("%s is visible, want it absent or hidden", name)
	case want != "" && !p.Visible:
		t.Errorf("%s is not visible", name)
	case want != "" && got != want:
		t.Errorf("%s %s = %s, want %s", name, which, got, want)
	}
}

// checkMobileMenu opens the side panel with the menu button of a narrow
// page and closes it again.
func checkMobileMenu(t *testing.T, tab context.Context, side, text string) {
	t.Helper()
	if err := chromedp.Do(tab, chromedp.EmulateViewport(390, 844), chromedp.Click(chromedp.ID("menu-button"))); err != nil {
		t.Fatal(err)
	}
	f := readFacts(t, tab)
	if !f.Side.Visible || f.Side.BG != side || f.SideText.Color != text || !f.Return.Visible || !f.Consumer.Visible {
		t.Errorf("the menu button did not open the side panel: %+v", f.Side)
	}
	if err := chromedp.Do(tab, chromedp.Click(chromedp.ID("menu-close"))); err != nil {
		t.Fatal(err)
	}
	if f := readFacts(t, tab); f.Side.Visible {
		t.Error("the close button did not close the side panel")
	}
}

// cardJS reads the connection cards of the page.
const cardJS = `[...document.querySelectorAll(".card")].map((c) => ({
  api: c.closest(".section").dataset.api, service: c.dataset.service, state: c.dataset.state,
  name: c.querySelector(".name").innerText, pill: c.querySelector(".pill").innerText,
  actions: [...c.querySelectorAll("[data-action]")].map((b) => b.dataset.action),
}))`

type card struct {
	API     string   `json:"api"`
	Service string   `json:"service"`
	State   string   `json:"state"`
	Name    string   `json:"name"`
	Pill    string   `json:"pill"`
	Actions []string `json:"actions"`
}

// addFirstSample clicks the first "+ Add" and the first integration it
// offers, and returns the cards once one has appeared.
func addFirstSample(t *testing.T, tab context.Context) []card {
	t.Helper()
	err := chromedp.Do(tab,
		chromedp.Click(chromedp.CSS(".add-button")),
		chromedp.WaitVisible(chromedp.ID("add-modal")),
		chromedp.Click(chromedp.CSS("#add-choices .choice")),
	)
	if err != nil {
		t.Fatal(err)
	}
	cards, err := chromedp.Run(tab, chromedp.Poll[[]card](`(() => { const c = `+cardJS+`; return c.length ? c : null })()`,
		chromedp.WithPollingTimeout(5*time.Second)))
	if err != nil {
		t.Fatalf("no card appeared after choosing an integration: %v", err)
	}
	return cards
}

// choose clicks the "+ Add" of a unified API and one of its integrations.
func choose(t *testing.T, tab context.Context, api, serviceID string) {
	t.Helper()
	err := chromedp.Do(tab,
		chromedp.Click(chromedp.CSS(`.add-button[data-api="`+api+`"]`)),
		chromedp.WaitVisible(chromedp.ID("add-modal")),
		chromedp.Click(chromedp.CSS(`#add-choices .choice[data-service="`+serviceID+`"]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
}

// allowOnAuthorizePage waits for the browser to reach a connection's
// authorize_url, the demo's stand-in for the connector's sign-in, and
// presses Allow; it returns the screen's heading.
func allowOnAuthorizePage(t *testing.T, tab context.Context) string {
	t.Helper()
	if !across(tab, `location.pathname.startsWith("`+mock.AuthorizePath+`") && !!document.getElementById("allow")`) {
		t.Fatal("the page did not go to the connection's authorize_url")
	}
	title, _ := chromedp.Run(tab, chromedp.Evaluate[string](`document.getElementById("authorize-title").innerText`))
	if err := chromedp.Do(tab, chromedp.Click(chromedp.ID("allow"))); err != nil {
		t.Fatal(err)
	}
	if !across(tab, `location.pathname.startsWith("`+mock.SessionPagePath+`") && document.readyState === "complete"`) {
		t.Fatal("Allow did not lead back to the Vault page")
	}
	return title
}

// across asks cond of the tab until it holds, for up to 5 s, through the
// navigations that interrupt an evaluation.
func across(tab context.Context, cond string) bool {
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if ok, err := chromedp.Run(tab, chromedp.Evaluate[bool](cond)); err == nil && ok {
			return true
		}
	}
	return false
}

// fillSettings types into the settings form the page opened and saves.
func fillSettings(t *testing.T, tab context.Context, values map[string]string) {
	t.Helper()
	if err := chromedp.Do(tab, chromedp.WaitVisible(chromedp.ID("settings-modal"))); err != nil {
		t.Fatalf("no settings form: %v", err)
	}
	for name, v := range values {
		if err := chromedp.Do(tab, chromedp.SendKeys(chromedp.CSS(`#settings-fields input[name="`+name+`"]`), v)); err != nil {
			t.Fatal(err)
		}
	}
	if err := chromedp.Do(tab, chromedp.Click(chromedp.ID("settings-save"))); err != nil {
		t.Fatal(err)
	}
}

// waitForState waits until the page's first card is in state.
func waitForState(t *testing.T, tab context.Context, state string) card {
	t.Helper()
	cards, err := chromedp.Run(tab, chromedp.Poll[[]card](
		`(() => { const c = `+cardJS+`; return c.length && c[0].state === "`+state+`" ? c : null })()`,
		chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil {
		t.Fatalf("the card never reached %q: %v", state, err)
	}
	return cards[0]
}

// The live demo page: "+ Add" calls the demo API with the session token,
// the card follows the connection added → authorized → callable, a reload
// shows it, and the card offers only the actions allow_actions leaves.
func TestVaultPageAddsAConnectionLive(t *testing.T) {
	t.Parallel()
	needBrowser(t)
	srv, base := mocktest.Start(t, quickSteps())
	url := createPage(t, base, `{"settings":{"unified_apis":["hris","crm"],"allow_actions":["disable","delete"]}}`)
	tab := newTab(t)
	if err := chromedp.Do(tab, chromedp.EmulateViewport(1440, 900), chromedp.Navigate(url), chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	cards := addFirstSample(t, tab)
	first := theme.SampleIntegrations("hris")[0]
	if len(cards) != 1 || cards[0].API != "hris" || cards[0].Service != first.ServiceID {
		t.Fatalf("cards %+v, want one %s card under HRIS", cards, first.ServiceID)
	}
	// BambooHR takes an API key: the page asks for it before anything moves.
	fillSettings(t, tab, map[string]string{"api_key": "demo-key"})
	var posted *mock.Request
	for _, r := range srv.Requests() {
		if r.Method == http.MethodPost && r.Path == mock.ConnectionsPath+"/hris/"+first.ServiceID {
			posted = &r
		}
	}
	if posted == nil {
		t.Fatal("the page did not POST /vault/connections/hris/" + first.ServiceID)
	}
	if claims, err := srv.VerifyToken(posted.APIKey); err != nil || claims.ConsumerID != "consumer-TestVaultPageAddsAConnectionLive" ||
		posted.Header.Get("x-apideck-app-id") != "demo-app" || !strings.EqualFold(posted.Header.Get("x-apideck-auth-type"), "JWT") {
		t.Errorf("the POST did not carry the session token and headers as Vault's page does: %v %v", err, posted.Header)
	}
	if c := waitForState(t, tab, mock.StateCallable); c.Pill != "Enabled" || c.Name != first.Name {
		t.Errorf("callable card %+v, want %q Enabled", c, first.Name)
	}

	// Card actions follow allow_actions.
	if err := chromedp.Do(tab, chromedp.Click(chromedp.CSS(".card .card-row"))); err != nil {
		t.Fatal(err)
	}
	cards, _ = chromedp.Run(tab, chromedp.Evaluate[[]card](cardJS))
	if len(cards) != 1 || !slices.Equal(cards[0].Actions, []string{"disable", "delete"}) {
		t.Errorf("card actions %+v, want delete and disable", cards)
	}
	if err := chromedp.Do(tab, chromedp.Click(chromedp.CSS(`[data-action="disable"]`))); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(tab, chromedp.Poll[bool](`document.querySelector(".card .pill").innerText === "Disabled"`,
		chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Errorf("disable did not show: %v", err)
	}

	// A reload shows the connection the API keeps.
	if err := chromedp.Do(tab, chromedp.Navigate(url), chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	cards, _ = chromedp.Run(tab, chromedp.Evaluate[[]card](cardJS))
	if len(cards) != 1 || cards[0].Pill != "Disabled" || cards[0].State != mock.StateCallable {
		t.Errorf("after a reload: %+v, want the disabled callable card", cards)
	}
}

// The page `preview --html` writes has no API behind it: "+ Add" plays the
// same journey by itself.
func TestVaultPreviewFileAddsACard(t *testing.T) {
	t.Parallel()
	needBrowser(t)
	s := model.Session{Settings: model.Settings{UnifiedAPIs: []string{"crm"}, AllowActions: []string{}}}
	var b bytes.Buffer
	if err := theme.NewHTMLPage().Render(&b, s, theme.HTMLOptions{}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "page.html")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	tab := newTab(t)
	if err := chromedp.Do(tab, chromedp.EmulateViewport(1024, 800), chromedp.Navigate("file://"+path), chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	cards := addFirstSample(t, tab)
	if len(cards) != 1 || cards[0].State != mock.StateAdded || cards[0].Pill != "Needs configuration" {
		t.Fatalf("cards %+v, want one added card", cards)
	}
	// Salesforce signs in with OAuth: the stand-in for its sign-in screen,
	// in the demo's words, before the card moves.
	title, err := chromedp.Run(tab, chromedp.Poll[string](`(() => { const m = document.getElementById("authorize-modal");
	  return m.hidden ? null : document.getElementById("authorize-title").innerText; })()`, chromedp.WithPollingTimeout(5*time.Second)))
	if err != nil || title != "Sign in to Salesforce to let Apideck Vault read your CRM" {
		t.Fatalf("the sign-in stand-in: %q (%v)", title, err)
	}
	if c := waitForState(t, tab, mock.StateAdded); c.State != mock.StateAdded {
		t.Fatalf("the card moved before Allow: %+v", c)
	}
	if err := chromedp.Do(tab, chromedp.Click(chromedp.ID("authorize-allow"))); err != nil {
		t.Fatal(err)
	}
	waitForState(t, tab, mock.StateCallable)
	if err := chromedp.Do(tab, chromedp.Click(chromedp.CSS(".card .card-row"))); err != nil {
		t.Fatal(err)
	}
	cards, _ = chromedp.Run(tab, chromedp.Evaluate[[]card](cardJS))
	if len(cards) != 1 || len(cards[0].Actions) != 0 {
		t.Errorf("allow_actions [] leaves no action, got %+v", cards)
	}
}

// A logo replaces the title (at most 28 px high), an image replaces the
// initials; both load from the theme's own http(s) addresses.
func TestVaultPageLogoAndAvatar(t *testing.T) {
	t.Parallel()
	needBrowser(t)
	images := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/svg+xml")
		fmt.Fprint(w, `<svg xmlns="http://www.w3.org/2000/svg" width="160" height="48"><rect width="160" height="48" fill="#e11d48"/></svg>`)
	}))
	t.Cleanup(images.Close)
	_, base := mocktest.Start(t)
	url := createPage(t, base, `{"consumer_metadata":{"user_name":"Jane Doe","image":"`+images.URL+`/avatar.svg"},`+
		`"theme":{"vault_name":"Acme","logo":"`+images.URL+`/logo.svg"}}`)
	tab := newTab(t)
	type img struct {
		Loaded bool    `json:"loaded"`
		Height float64 `json:"height"`
		Width  float64 `json:"width"`
	}
	type facts struct {
		Logo, MobileLogo, Avatar img
		Title                    bool
	}
	const js = `(() => {
	  const img = (s) => { const i = document.querySelector(s); if (!i) return {loaded: false, height: 0, width: 0};
	    const r = i.getBoundingClientRect(); return {loaded: i.complete && i.naturalWidth > 0, height: r.height, width: r.width}; };
	  return {Logo: img("#side .brand img"), MobileLogo: img("#mobile-bar img"), Avatar: img("#consumer img.avatar"),
	    Title: !!document.querySelector("#vault-title")};
	})()`
	err := chromedp.Do(tab, chromedp.EmulateViewport(1440, 900), chromedp.Navigate(url), chromedp.WaitReady("body"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := chromedp.Run(tab, chromedp.Poll[facts](`(() => { const f = `+js+`; return f.Logo.loaded && f.Avatar.loaded ? f : null })()`,
		chromedp.WithPollingTimeout(5*time.Second)))
	if err != nil {
		t.Fatalf("the logo and the avatar did not load: %v", err)
	}
	if f.Title || f.Logo.Height > 28.5 || f.Logo.Height < 20 || f.Avatar.Width != 36 || f.Avatar.Height != 36 {
		t.Errorf("desktop: %+v, want the logo instead of the title at most 28 px high, and a 36 px avatar", f)
	}
	if err := chromedp.Do(tab, chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatal(err)
	}
	f, err = chromedp.Run(tab, chromedp.Evaluate[facts](js))
	if err != nil || !f.MobileLogo.Loaded || f.MobileLogo.Height != 24 {
		t.Errorf("mobile: %+v (%v), want the logo 24 px high in the top bar", f, err)
	}
}

// A logo or avatar that cannot load falls back to what the page shows
// without one (the title, the initials), never a broken-image icon.
func TestVaultPageImagesThatFailFallBack(t *testing.T) {
	t.Parallel()
	needBrowser(t)
	missing := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(missing.Close)
	_, base := mocktest.Start(t)
	url := createPage(t, base, `{"consumer_metadata":{"user_name":"Jane Doe","image":"`+missing.URL+`/avatar.png"},`+
		`"theme":{"vault_name":"Acme","logo":"`+missing.URL+`/logo.png"}}`)
	tab := newTab(t)
	type facts struct {
		Images int    `json:"images"`
		Title  string `json:"title"`
		Avatar string `json:"avatar"`
		Mobile string `json:"mobile"`
	}
	if err := chromedp.Do(tab, chromedp.EmulateViewport(1440, 900), chromedp.Navigate(url), chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	const js = `(() => {
	  const text = (s) => { const e = document.querySelector(s); return e ? e.textContent.trim() : ""; };
	  const f = {images: document.querySelectorAll("img").length, title: text("#side .brand .brand-title"),
	    avatar: text("#consumer .avatar"), mobile: text("#mobile-bar .brand-title")};
	  return f.images === 0 ? f : null;
	})()`
	f, err := chromedp.Run(tab, chromedp.Poll[facts](js, chromedp.WithPollingTimeout(5*time.Second)))
	if err != nil {
		t.Fatalf("the broken images were not replaced: %v", err)
	}
	if f.Title != "Acme Vault" || f.Mobile != "Acme Vault" || f.Avatar != "JD" {
		t.Errorf("fallbacks %+v, want the title on desktop and mobile and the initials JD", f)
	}
}

// auto_redirect: once the added connection is callable the page says
// "Connection is ready" and goes back to redirect_uri 3 s later.
func TestVaultPageAutoRedirect(t *testing.T) {
	t.Parallel()
	needBrowser(t)
	back := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<title>Back in the app</title>")
	}))
	t.Cleanup(back.Close)
	// Callable 2 s after Allow: the page is back from the sign-in and
	// sees the connection become usable.
	_, base := mocktest.Start(t, mock.WithConnectionSteps(
		mock.ConnectionStep{After: 0, State: mock.StateAdded, Health: mock.HealthNeedsAuth},
		mock.ConnectionStep{After: time.Second, State: mock.StateAuthorized, Health: mock.HealthOK},
		mock.ConnectionStep{After: 3 * time.Second, State: mock.StateCallable, Health: mock.HealthOK},
	))
	url := createPage(t, base, `{"redirect_uri":"`+back.URL+`/integrations","settings":{"auto_redirect":true,"unified_apis":["crm"]}}`)
	tab := newTab(t)
	if err := chromedp.Do(tab, chromedp.EmulateViewport(1024, 800), chromedp.Navigate(url), chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	choose(t, tab, "crm", "salesforce")
	allowOnAuthorizePage(t, tab)
	if _, err := chromedp.Run(tab, chromedp.Poll[bool](`!document.getElementById("toast").hidden && document.getElementById("toast").innerText.includes("Connection is ready")`,
		chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Fatalf("no \"Connection is ready\" toast: %v", err)
	}
	// The navigation interrupts any evaluation, so ask again until it is
	// done.
	var href string
	for deadline := time.Now().Add(6 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if href, _ = chromedp.Run(tab, chromedp.Evaluate[string](`location.href`)); href == back.URL+"/integrations" {
			return
		}
	}
	t.Errorf("not sent back to redirect_uri: the page is at %q", href)
}

// "+ Add" on the live page, as a customer does it: an OAuth connector
// (Salesforce) sends the browser to its authorize_url, the demo's sign-in
// screen marked DEMO, and the API keeps the connection added, however long
// the customer looks at it; Allow brings the browser back to the Vault
// page, where the card is authorized and then callable. A connector with
// an API key (BambooHR) gets the settings form on the page instead, and a
// card that waits offers to go on with it.
func TestVaultPageShowsTheAuthorizeStep(t *testing.T) {
	t.Parallel()
	needBrowser(t)
	_, base := mocktest.Start(t, quickSteps())
	url := createPage(t, base, `{"theme":{"vault_name":"Acme"},"settings":{"unified_apis":["crm","hris"]}}`)
	token := url[strings.LastIndex(url, "/")+1:]
	stateOf := func(api, service string) string {
		req, _ := http.NewRequest(http.MethodGet, base+mock.ConnectionsPath+"/"+api+"/"+service, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var got struct{ Data struct{ State string } }
		json.NewDecoder(resp.Body).Decode(&got)
		return got.Data.State
	}
	tab := newTab(t)
	if err := chromedp.Do(tab, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(url), chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	choose(t, tab, "crm", "salesforce")
	if !across(tab, `location.pathname.startsWith("`+mock.AuthorizePath+`") && !!document.getElementById("allow")`) {
		t.Fatal("no authorize step after choosing Salesforce")
	}
	banner, _ := chromedp.Run(tab, chromedp.Evaluate[string](`document.getElementById("demo-banner").innerText`))
	if !strings.HasPrefix(banner, "DEMO") {
		t.Errorf("the sign-in screen is not marked DEMO: %q", banner)
	}
	time.Sleep(time.Second) // three times the journey's own steps: nothing moves by itself
	if st := stateOf("crm", "salesforce"); st != mock.StateAdded {
		t.Fatalf("on the sign-in screen the connection is %q, want added", st)
	}
	if title := allowOnAuthorizePage(t, tab); title != "Sign in to Salesforce to let Acme Vault read your CRM" {
		t.Errorf("the sign-in screen says %q", title)
	}
	cards, err := chromedp.Run(tab, chromedp.Poll[[]card](`(() => { const c = `+cardJS+`; return c.length ? c : null })()`, chromedp.WithPollingTimeout(5*time.Second)))
	if err != nil || len(cards) != 1 || cards[0].State == mock.StateAdded {
		t.Fatalf("back on the page: %+v (%v), want Salesforce past added", cards, err)
	}
	waitForState(t, tab, mock.StateCallable)

	choose(t, tab, "hris", "bamboohr")
	if err := chromedp.Do(tab, chromedp.WaitVisible(chromedp.ID("settings-modal"))); err != nil {
		t.Fatal(err)
	}
	// Cancel: the card waits and offers the form again.
	if err := chromedp.Do(tab, chromedp.Click(chromedp.ID("settings-cancel")),
		chromedp.Click(chromedp.CSS(`.card[data-service="bamboohr"] .card-row`)),
		chromedp.Click(chromedp.CSS(`.card[data-service="bamboohr"] [data-action="authorize"]`))); err != nil {
		t.Fatal(err)
	}
	if st := stateOf("hris", "bamboohr"); st != mock.StateAdded {
		t.Fatalf("before its settings BambooHR is %q, want added", st)
	}
	fillSettings(t, tab, map[string]string{"api_key": "demo-key"})
	if _, err := chromedp.Run(tab, chromedp.Poll[bool](`document.querySelector('.card[data-service="bamboohr"]').dataset.state === "callable"`,
		chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Errorf("BambooHR never became callable after its settings: %v", err)
	}
}
