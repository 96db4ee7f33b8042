package theme

import (
	"bytes"
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/model"
)

func renderHTML(t testing.TB, s model.Session, opt HTMLOptions) string {
	t.Helper()
	var b bytes.Buffer
	if err := NewHTMLPage().Render(&b, s, opt); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// The HTML page and the terminal preview read the same rules: what one
// shows for a setting, the other shows too.
func TestHTMLShowsWhatSettingsAllow(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		session        model.Session
		present        []string
		absent         []string
		previewPresent []string
		previewAbsent  []string
	}{
		{
			name:    "defaults",
			session: sessionDefault(),
			present: []string{"<title>Apideck Vault</title>", `data-nav="integrations"`, `data-nav="logs"`, "Return to application",
				"Account Name", "User name", "Powered by", ">Terms<", ">Privacy<", "Manage your integrations", "Search integrations",
				"Accounting integrations", "No accounting integrations added yet.", "Data Warehouse integrations", "+ Add",
				`href="` + DefaultTermsURL + `"`, `href="` + DefaultPrivacyURL + `"`, `href="` + DefaultReturnURL + `"`,
				`rel="icon" href="/favicon.ico"`, "--primary: #5d50ce", "--button: #775ad8", "--side: #edf2f7", "--side-text: #1f2937",
				"DEMO: not Apideck"},
			absent:         []string{`data-nav="suggestions"`, `id="sandbox-banner"`, "What this session carries"},
			previewPresent: []string{"Logs", "ACCOUNT NAME"},
			previewAbsent:  []string{"Suggestions", "Sandbox"},
		},
		{
			name:           "dark side panel, suggestions on",
			session:        sessionDark(),
			present:        []string{"<title>Acme Vault</title>", `data-nav="suggestions"`, `data-nav="logs"`, "Acme Inc", "Jane Doe", ">JD<", "CRM integrations", "HRIS integrations"},
			absent:         []string{`data-api="ats"`},
			previewPresent: []string{"Suggestions", "Acme Vault"},
		},
		{
			name:           "sandbox",
			session:        sessionSandbox(),
			present:        []string{`id="sandbox-banner"`, "You are currently in Sandbox mode.", `class="sandbox `},
			previewPresent: []string{"You are currently in Sandbox mode."},
		},
		{
			name:           "isolation hides the navigation, keeps the way back",
			session:        sessionIsolation(),
			present:        []string{"Return to application", "Globex"},
			absent:         []string{`data-nav=`},
			previewPresent: []string{"‹ Return to application"},
			previewAbsent:  []string{"Integrations  ", "Suggestions", "Logs"},
		},
		{
			name:           "no sidebar",
			session:        sessionNoSidebar(),
			present:        []string{"Manage your integrations", "--button: #0369a1", "no-sidebar"},
			absent:         []string{`id="side"`, `id="mobile-bar"`, "Powered by", "Return to application</span>"},
			previewPresent: []string{"Manage your integrations"},
			previewAbsent:  []string{"Powered by", "Return to application"},
		},
		{
			name:           "logo replaces the title",
			session:        sessionEverything(),
			present:        []string{`<img class="brand-logo" src="https://acme.example/logo.png" alt="Acme Vault">`},
			absent:         []string{`id="vault-title"`},
			previewPresent: []string{"[logo]"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := renderHTML(t, tt.session, HTMLOptions{})
			for _, p := range tt.present {
				if !strings.Contains(out, p) {
					t.Errorf("page lacks %q", p)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(out, a) {
					t.Errorf("page shows %q", a)
				}
			}
			requirePreviewTexts(t, tt.session, tt.previewPresent, tt.previewAbsent)
		})
	}
}

// Text, links and colours from a session cannot break out of their place.
func TestHTMLEscapesEverythingFromTheSession(t *testing.T) {
	t.Parallel()
	s := model.Session{
		RedirectURI: "javascript:alert(1)",
		ConsumerMetadata: model.ConsumerMetadata{
			AccountName: `</script><script>alert("a")</script>`,
			UserName:    "Jane\u202e <img src=x onerror=alert(1)>",
			Image:       "data:image/svg+xml,<svg onload=alert(1)>",
		},
		Theme: model.Theme{
			VaultName:                "Evil</title><script>alert(1)</script>",
			PrimaryColor:             "red;} body{display:none",
			SidepanelBackgroundColor: "expression(alert(1))",
			SidepanelTextColor:       "white",
			Logo:                     "javascript:alert(1)",
			Favicon:                  "vbscript:x",
			TermsURL:                 `https://ok.example/t" onclick="alert(1)`,
			PrivacyURL:               "//evil.example/p",
		},
	}
	s.Settings.UnifiedAPIs = []string{`crm"><script>alert(1)</script>`}
	out := renderHTML(t, s, HTMLOptions{Carries: `{"x":"</pre><script>alert(1)</script>"}`})

	if n := strings.Count(out, "<script"); n != 1 {
		t.Errorf("%d <script> tags, want only the page's own", n)
	}
	for _, bad := range []string{"<img src=x", "javascript:", "vbscript:", "data:image", `" onclick=`, "//evil.example", "display:none", "expression(", "\u202e", "</title><script>"} {
		if strings.Contains(out, bad) {
			t.Errorf("%q reached the page", bad)
		}
	}
	for _, want := range []string{
		"Evil&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; Vault", // the title, as text
		"--primary: #5d50ce", "--side: #edf2f7", "--side-text: #ffffff", // unusable colours fall back; names become #rrggbb
		`href="` + DefaultReturnURL + `"`, `href="` + DefaultPrivacyURL + `"`, `href="` + DefaultTermsURL + `"`,
		`rel="icon" href="/favicon.ico"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// The page has exactly the links it means to have: its own http(s)
	// ones, the "#" of the navigation and the favicon.
	for _, m := range regexp.MustCompile(`(?:href|src)="([^"]*)"`).FindAllStringSubmatch(out, -1) {
		if u := m[1]; u != "#" && u != "/favicon.ico" && !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
			t.Errorf("link %q is not http(s)", u)
		}
	}
}

func TestHTMLIsSelfContained(t *testing.T) {
	t.Parallel()
	out := renderHTML(t, sessionEverything(), HTMLOptions{})
	for _, bad := range []string{"<script src", "<link rel=\"stylesheet\"", "@import", "@font-face", "url(", "<iframe"} {
		if strings.Contains(out, bad) {
			t.Errorf("the page loads something from elsewhere: %q", bad)
		}
	}
	if !strings.Contains(out, "<svg") {
		t.Error("no inline SVG icons")
	}
}

func TestHTMLExpiry(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	hidden := `id="expired-modal" hidden`
	cases := []struct {
		name       string
		opt        HTMLOptions
		wantHidden bool
		wantLeft   string
	}{
		{"no expiry", HTMLOptions{Now: now}, true, `"expires_in":null`},
		{"an hour left", HTMLOptions{Now: now, ExpiresAt: now.Add(time.Hour)}, true, `"expires_in":3600`},
		{"expired", HTMLOptions{Now: now, ExpiresAt: now.Add(-time.Second)}, false, `"expires_in":0`},
		{"expires this second", HTMLOptions{Now: now, ExpiresAt: now}, false, `"expires_in":0`},
		{"invalid token", HTMLOptions{Now: now, Invalid: true}, false, `"expires_in":null`},
	}
	for _, c := range cases {
		out := renderHTML(t, sessionDefault(), c.opt)
		if got := strings.Contains(out, hidden); got != c.wantHidden {
			t.Errorf("%s: modal hidden = %v, want %v", c.name, got, c.wantHidden)
		}
		if !strings.Contains(out, c.wantLeft) {
			t.Errorf("%s: page config lacks %s", c.name, c.wantLeft)
		}
	}
	if out := renderHTML(t, sessionDefault(), HTMLOptions{Invalid: true}); !strings.Contains(out, "Session invalid") {
		t.Error("an invalid token does not say so")
	}
}

func TestHTMLActionsFollowAllowActions(t *testing.T) {
	t.Parallel()
	cases := []struct {
		allow []string
		want  string
	}{
		{nil, `"actions":["delete","disconnect","reauthorize","disable"]`},
		{[]string{}, `"actions":[]`},
		{[]string{"disable", "reauthorize", "bogus"}, `"actions":["reauthorize","disable"]`},
	}
	for _, c := range cases {
		s := model.Session{}
		s.Settings.AllowActions = c.allow
		if out := renderHTML(t, s, HTMLOptions{}); !strings.Contains(out, c.want) {
			t.Errorf("allow_actions %v: page config lacks %s", c.allow, c.want)
		}
	}
}

func TestSampleIntegrations(t *testing.T) {
	t.Parallel()
	for _, api := range model.UnifiedAPIs() {
		samples := SampleIntegrations(api.ID)
		if len(samples) == 0 {
			t.Errorf("%s: no sample integrations", api.ID)
		}
		for _, s := range samples {
			if s.ServiceID == "" || s.Name == "" {
				t.Errorf("%s: %+v", api.ID, s)
			}
			// The icon's initials are white on its colour.
			if r, err := ContrastRatio(ButtonTextColor, s.Color); err != nil || r < 4.5 {
				t.Errorf("%s/%s: white on %s is %.2f:1 (%v)", api.ID, s.ServiceID, s.Color, r, err)
			}
		}
	}
	if SampleIntegrations("no-such-api") != nil {
		t.Error("an unknown API has samples")
	}
	for _, c := range fallbackIconColors {
		if r, err := ContrastRatio(ButtonTextColor, c); err != nil || r < 4.5 {
			t.Errorf("fallback icon colour %s: white on it is %.2f:1 (%v)", c, r, err)
		}
	}
	// The samples are the model's connectors, named as the demo API names them.
	for _, s := range SampleIntegrations("payroll") {
		found := false
		for _, c := range model.WellKnownConnectors("payroll") {
			found = found || (c.ID == s.ServiceID && c.Name == s.Name)
		}
		if !found {
			t.Errorf("sample %+v is not a well-known payroll connector", s)
		}
	}
}

func TestPageInitials(t *testing.T) {
	t.Parallel()
	for in, want := range map[[2]string]string{
		{"Jane Doe", ""}: "JD", {"jane", ""}: "J", {"", "Acme Inc"}: "AI", {"", ""}: "", {"  ", "!!"}: "",
		{"Émile Zola Jr", ""}: "ÉZ", {"李 小龙", ""}: "李小",
	} {
		if got := initials(in[0], in[1]); got != want {
			t.Errorf("initials(%q, %q) = %q, want %q", in[0], in[1], got, want)
		}
	}
}

func FuzzHTMLPage(f *testing.F) {
	f.Add("Acme", "Acme Inc", "Jane", "crm", "https://x.example/l.png", "#5d50ce")
	f.Add("</script><script>", "<b>", "\x00\u202e", `"><img>`, "javascript:alert(1)", "red;}")
	f.Add("", "", "", "", "", "")
	page := NewHTMLPage()
	f.Fuzz(func(t *testing.T, name, account, user, api, link, color string) {
		s := model.Session{
			RedirectURI:      link,
			ConsumerMetadata: model.ConsumerMetadata{AccountName: account, UserName: user, Image: link},
			Theme: model.Theme{VaultName: name, Logo: link, TermsURL: link, PrimaryColor: color,
				SidepanelBackgroundColor: color, SidepanelTextColor: color},
		}
		s.Settings.UnifiedAPIs = []string{api}
		var b bytes.Buffer
		if err := page.Render(&b, s, HTMLOptions{Carries: name + account}); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if n := strings.Count(strings.ToLower(out), "<script"); n != 1 {
			t.Fatalf("%d script tags", n)
		}
		for _, m := range regexp.MustCompile(`--[a-z-]+: ([^;]*);`).FindAllStringSubmatch(out, -1) {
			if !regexp.MustCompile(`^#[0-9a-f]{6}$`).MatchString(m[1]) {
				t.Fatalf("colour %q in the CSS", m[1])
			}
		}
	})
}

// BenchmarkHTMLPage is one page for a full session, as the demo API serves
// it at every session URL and ctrl+b writes it.
func BenchmarkHTMLPage(b *testing.B) {
	page := NewHTMLPage()
	s := sessionEverything()
	opt := HTMLOptions{Carries: `{"consumer_id":"acme-42"}`, Connections: []PageConnection{
		{ID: "crm+salesforce", ServiceID: "salesforce", Name: "Salesforce", UnifiedAPI: "crm", State: "callable", Enabled: true},
	}}
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := page.Render(&buf, s, opt); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes/page")
}

func TestHTMLAutoRedirectNeedsSomewhereToGo(t *testing.T) {
	t.Parallel()
	s := model.Session{}
	s.Settings.AutoRedirect = model.Bool(true)
	if out := renderHTML(t, s, HTMLOptions{}); !strings.Contains(out, `"auto_redirect":""`) {
		t.Error("auto_redirect without a redirect_uri would send the customer to Vault's default")
	}
	s.RedirectURI = "https://app.acme.example/done"
	if out := renderHTML(t, s, HTMLOptions{}); !strings.Contains(out, `"auto_redirect":"https://app.acme.example/done"`) {
		t.Error("auto_redirect with a redirect_uri does not go there")
	}
	s.Settings.AutoRedirect = nil
	if out := renderHTML(t, s, HTMLOptions{}); !strings.Contains(out, `"auto_redirect":""`) {
		t.Error("auto_redirect is off by default")
	}
}

// An empty section names its API as the API does ("No CRM integrations",
// not "No crm integrations"), the same on the page and in the terminal.
func TestEmptySectionsNameTheAPI(t *testing.T) {
	t.Parallel()
	s := model.Session{Settings: model.Settings{UnifiedAPIs: []string{"crm", "customer-support", "hris", "script"}}}
	page := renderHTML(t, s, HTMLOptions{})
	preview := stripSGR(RenderPreview(s, PreviewOptions{Width: 120}))
	for _, want := range []string{"No CRM integrations added yet.", "No customer support integrations added yet.",
		"No HRIS integrations added yet.", "No third-party scripts integrations added yet."} {
		if !strings.Contains(page, want) || !strings.Contains(preview, want) {
			t.Errorf("%q missing from the page (%v) or the preview (%v)", want, strings.Contains(page, want), strings.Contains(preview, want))
		}
	}
	if strings.Contains(page, "No crm") || strings.Contains(preview, "No crm") {
		t.Error(`"No crm" is still written`)
	}
}

// A theme with failing pairs: the page carries preview's warnings (escaped
// by html/template); a passing theme carries none.
func TestHTMLCarriesTheContrastWarnings(t *testing.T) {
	t.Parallel()
	th := model.Theme{PrimaryColor: "#ff5a1f", SidepanelBackgroundColor: "#1f2430"}
	page := renderHTML(t, model.Session{Theme: th}, HTMLOptions{})
	warnings := ContrastWarnings(th)
	if len(warnings) != 2 || !strings.Contains(page, `id="contrast-warning"`) {
		t.Fatalf("%d warnings; the page has the note: %v", len(warnings), strings.Contains(page, `id="contrast-warning"`))
	}
	for _, c := range warnings {
		if want := "<p>" + c.Warning() + "</p>"; !strings.Contains(html.UnescapeString(page), want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if page := renderHTML(t, model.Session{}, HTMLOptions{}); strings.Contains(page, `id="contrast-warning"`) {
		t.Error("Vault's default theme passes, yet the page has a note")
	}
}

// The preview's own colours, those no theme changes, read at 4.5:1 or more
// wherever they draw text (the HTML page's are checked in a browser by
// client/mock's TestEveryTextThePageDrawsHasARule).
func TestPreviewFixedTextColoursAreReadable(t *testing.T) {
	t.Parallel()
	for _, pair := range [][2]string{{pvGray800, pvWhite}, {pvGray500, pvWhite}, {pvBannerFg, pvBannerBg}} {
		if r, _ := ContrastRatio(pair[0], pair[1]); r < MinContrast {
			t.Errorf("%s on %s: %s", pair[0], pair[1], FormatRatio(r))
		}
	}
}
