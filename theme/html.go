package theme

import (
	_ "embed"
	"html/template"
	"io"
	"time"

	"github.com/apideck-samples/vault-session/model"
)

// vaultPageHTML is the page's template: one self-contained document with
// inline CSS, inline SVG icons and one inline script, nothing fetched from
// elsewhere but the session's own logo, avatar and favicon.
//
//go:embed vaultpage.html
var vaultPageHTML string

// pageTopHTML defines "top", the start of every page the demo draws up to
// its title, which each page begins with: {{template "top"}}.
//
//go:embed pagetop.html
var pageTopHTML string

// demoPage parses one of the demo's pages with the top they share.
func demoPage(name, page string) *template.Template {
	return template.Must(template.Must(template.New(name).Parse(page)).Parse(pageTopHTML))
}

// HTMLOptions say what the HTML page shows besides the session.
type HTMLOptions struct {
	// Now is the time the page is drawn at; with ExpiresAt it decides
	// whether the "Session expired" modal is shown. Zero means time.Now.
	Now time.Time
	// ExpiresAt is the token's exp; zero means the page never expires.
	// Past it, the modal is drawn, and a page left open shows it when the
	// time comes.
	ExpiresAt time.Time
	// Invalid draws the page behind a "Session invalid" modal: the token
	// could not be read, so s is empty.
	Invalid bool
	// Live makes "+ Add" and the card actions call the demo API at the
	// page's own origin with the session token from the page's URL, as the
	// real page calls Apideck's; an OAuth connector's sign-in is its
	// authorize_url. Nil: the page plays the states itself (a preview
	// written to a file), with a stand-in for the sign-in.
	Live *LiveAPI
	// Connections are drawn as cards when the page opens.
	Connections []PageConnection
	// Carries is the text under "What this session carries", a toggle
	// closed by default; empty leaves the toggle out.
	Carries string
}

// LiveAPI is what the page sends with each request besides the token.
type LiveAPI struct {
	AppID      string `json:"app_id"`
	ConsumerID string `json:"consumer_id"`
}

// PageConnection is a connection card, in the API's field names.
type PageConnection struct {
	ID         string `json:"id"`
	ServiceID  string `json:"service_id"`
	Name       string `json:"name"`
	UnifiedAPI string `json:"unified_api"`
	State      string `json:"state"`
	Enabled    bool   `json:"enabled"`
	// CreatedAt is in milliseconds since the epoch, as the API sends it.
	CreatedAt int64 `json:"created_at"`
	// AuthType, AuthorizeURL and FormFields say how a connection that
	// waits (state "added") is authorized: on the connector's sign-in at
	// AuthorizeURL ("oauth2"), or by the settings of FormFields.
	AuthType     string               `json:"auth_type"`
	AuthorizeURL string               `json:"authorize_url,omitempty"`
	FormFields   []model.SettingField `json:"form_fields,omitempty"`
}

// HTMLPage renders sessions as the hosted Vault page. Make one with
// NewHTMLPage and reuse it: it is safe for concurrent use.
type HTMLPage struct {
	tmpl *template.Template
}

// NewHTMLPage parses the page template.
func NewHTMLPage() *HTMLPage {
	return &HTMLPage{tmpl: demoPage("vault", vaultPageHTML)}
}

// pageConfig is what the page's script reads, marshalled to JSON by
// html/template (which escapes it for the script element).
type pageConfig struct {
	Live        *LiveAPI         `json:"live"`
	Sections    []sectionConfig  `json:"sections"`
	Actions     []string         `json:"actions"`
	Connections []PageConnection `json:"connections"`
	// AutoRedirect is where to go once a connection becomes callable
	// (auto_redirect), "" for nowhere.
	AutoRedirect string `json:"auto_redirect"`
	// ExpiresIn is how many seconds the token had left when the page was
	// drawn (nil: it never expires). Relative, so the browser's clock
	// and the server's need not agree.
	ExpiresIn *float64 `json:"expires_in"`
}

type sectionConfig struct {
	ID      string        `json:"id"`
	Name    string        `json:"name"`
	Samples []Integration `json:"samples"`
	// Authorize is AuthorizeSentence for this API with connectorMark
	// where the connector's name goes: a preview's stand-in for the
	// sign-in screen says what the demo's authorize page says.
	Authorize string `json:"authorize"`
}

// connectorMark stands for the connector's name in sectionConfig.Authorize.
const connectorMark = "\u241f"

type htmlData struct {
	Page
	Expired bool
	Invalid bool
	Carries string
	Config  pageConfig
	// ContrastWarnings are the theme's failing pairs, in the words
	// `preview` writes on stderr (ContrastCheck.Warning): the page shows
	// them in a corner, outside what Vault draws.
	ContrastWarnings []string
}

// Render writes the hosted Vault page for s: the Page rules drawn as the
// real page draws them (vault-ui.md, "The page in CSS terms"), with a
// discreet "DEMO: not Apideck" marker. Every value from the session is
// escaped by html/template; colours are "#rrggbb" and links http(s) only,
// as NewPage makes them.
func (h *HTMLPage) Render(w io.Writer, s model.Session, opt HTMLOptions) error {
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	d := htmlData{Page: forHTML(NewPage(s)), Carries: opt.Carries, Invalid: opt.Invalid}
	for _, c := range ContrastWarnings(s.Theme) {
		d.ContrastWarnings = append(d.ContrastWarnings, c.Warning())
	}
	d.Expired = !opt.ExpiresAt.IsZero() && !now.Before(opt.ExpiresAt)
	d.Config = pageConfig{Live: opt.Live, Actions: d.Actions, Connections: opt.Connections}
	if d.AutoRedirect {
		d.Config.AutoRedirect = d.ReturnURL
	}
	if d.Config.Actions == nil {
		d.Config.Actions = []string{}
	}
	if d.Config.Connections == nil {
		d.Config.Connections = []PageConnection{}
	}
	if !opt.ExpiresAt.IsZero() {
		left := max(0, opt.ExpiresAt.Sub(now).Seconds())
		d.Config.ExpiresIn = &left
	}
	for _, sec := range d.Sections {
		samples := SampleIntegrations(sec.ID)
		if samples == nil {
			samples = []Integration{}
		}
		d.Config.Sections = append(d.Config.Sections, sectionConfig{ID: sec.ID, Name: sec.Name, Samples: samples,
			Authorize: AuthorizeSentence(connectorMark, d.Title, sec.Name)})
	}
	return h.tmpl.Execute(w, d)
}

// forHTML drops what a page should not show of the session's text:
// control characters (a terminal would obey them; a page shows boxes) and
// invisible format characters such as bidi overrides, which can make text
// read backwards. html/template escapes what is left.
func forHTML(p Page) Page {
	p.Title = CleanText(p.Title)
	p.Consumer.Account = CleanText(p.Consumer.Account)
	p.Consumer.User = CleanText(p.Consumer.User)
	p.Consumer.Initials = CleanText(p.Consumer.Initials)
	secs := make([]Section, len(p.Sections))
	for i, sec := range p.Sections {
		secs[i] = Section{ID: CleanText(sec.ID), Name: CleanText(sec.Name), Empty: CleanText(sec.Empty)}
	}
	p.Sections = secs
	return p
}
