package theme

import (
	"strings"
	"unicode"

	"github.com/apideck-samples/vault-session/model"
)

// Links the hosted Vault page uses when the session gives none (from
// Vault's own source, see vault-ui.md).
const (
	DefaultTermsURL   = "https://termsfeed.com/terms-conditions/957c85c1b089ae9e3219c83eff65377e"
	DefaultPrivacyURL = "https://compliance.apideck.com/privacy-policy"
	// DefaultReturnURL is where "Return to application" leads without a
	// redirect_uri.
	DefaultReturnURL = "https://app.apideck.com"
	// PoweredByURL is the "Powered by apideck" link.
	PoweredByURL = "https://www.apideck.com/products/vault"
)

// Placeholders of the consumer card when the session has no metadata.
const (
	PlaceholderAccount = "Account Name"
	PlaceholderUser    = "User name"
)

// Page is what the hosted Vault page shows for one session, worked out
// from the session by the rules of vault-ui.md. It is the one table of
// rules: the terminal preview and the HTML page both draw a Page, so a
// setting means the same in both.
//
// Text fields are single-line (runs of white space folded to one space)
// but otherwise as sent: each renderer makes them safe for its medium (the
// terminal shows control characters as escapes, the HTML page drops them
// and escapes the rest). URLs are absolute http(s) URLs or empty; colours
// are "#rrggbb".
type Page struct {
	// Title is "<vault_name> Vault": the side panel's heading when there is
	// no logo, and the HTML page's <title>.
	Title string
	// Logo replaces the heading when it is an http(s) URL.
	Logo string
	// Favicon is the page icon: the theme's (http(s) only) or Vault's own
	// relative DefaultFavicon.
	Favicon string
	Colors  PageColors

	// Sidebar is show_sidebar: false removes the whole side panel.
	Sidebar bool
	// Nav is the navigation the settings allow, in Vault's order; empty
	// in isolation mode. "Return to application" is not part of it: it
	// is always shown.
	Nav []NavItem
	// ReturnURL is where "Return to application" and the expired modal's
	// button lead: redirect_uri, or DefaultReturnURL.
	ReturnURL string
	Consumer  Consumer
	// TermsURL and PrivacyURL are the theme's links, or Vault's own.
	TermsURL, PrivacyURL string

	// Sections are the unified APIs whose connections are listed, in the
	// order the session gives them (every API when it gives none).
	Sections []Section
	// Sandbox is sandbox_mode: the banner at the bottom.
	Sandbox bool
	// Actions are the card actions allow_actions leaves, in the spec's
	// order: every one when allow_actions is absent, none when it is [].
	Actions []string
	// AutoRedirect is auto_redirect with a redirect_uri to go to: once a
	// connection becomes usable the page says so and returns there after
	// 3 s.
	AutoRedirect bool
}

// PageColors are the colours a theme sets, as the page draws them.
type PageColors struct {
	TopBar        string // the 4 px bar: primary_color or DefaultPrimaryColor
	Button        string // "+ Add" and every primary button: ButtonColor
	ButtonText    string // always ButtonTextColor
	SidePanel     string // sidepanel_background_color
	SidePanelText string // sidepanel_text_color
}

// NavItem is one link of the side panel's navigation.
type NavItem struct {
	ID      string // "integrations", "suggestions" or "logs"
	Label   string
	Current bool // the page the session opens on
}

// Consumer is the card at the bottom of the side panel.
type Consumer struct {
	// Account and User are the metadata, or PlaceholderAccount and
	// PlaceholderUser when empty (Account is shown upper case).
	Account, User string
	// Image is the avatar when it is an http(s) URL; Initials stand in
	// for it otherwise ("" when there is no name: a plain figure then).
	Image    string
	Initials string
}

// Section is one unified API on the page.
type Section struct {
	ID   string
	Name string // Vault's display name, or the id as sent when unknown
	// Empty is what the section says with no connection, in the API's
	// own name: "No CRM integrations added yet."
	Empty string
}

// NewPage applies the rules of the hosted Vault page to s.
func NewPage(s model.Session) Page {
	t := Effective(s.Theme)
	set := s.Settings
	p := Page{
		Colors: PageColors{
			TopBar:        t.PrimaryColor,
			Button:        ButtonColor(s.Theme),
			ButtonText:    ButtonTextColor,
			SidePanel:     t.SidepanelBackgroundColor,
			SidePanelText: t.SidepanelTextColor,
		},
		Sidebar:    set.Effective("show_sidebar"),
		Sandbox:    set.Effective("sandbox_mode"),
		Logo:       webURL(t.Logo),
		Favicon:    webURL(t.Favicon),
		ReturnURL:  webURL(s.RedirectURI),
		TermsURL:   webURL(t.TermsURL),
		PrivacyURL: webURL(t.PrivacyURL),
	}
	if p.Favicon == "" {
		p.Favicon = DefaultFavicon
	}
	p.AutoRedirect = set.Effective("auto_redirect") && p.ReturnURL != ""
	if p.ReturnURL == "" {
		p.ReturnURL = DefaultReturnURL
	}
	if p.TermsURL == "" {
		p.TermsURL = DefaultTermsURL
	}
	if p.PrivacyURL == "" {
		p.PrivacyURL = DefaultPrivacyURL
	}

	name := fold(t.VaultName)
	if name == "" {
		name = DefaultVaultName
	}
	p.Title = name + " Vault"

	if !set.Effective("isolation_mode") {
		p.Nav = append(p.Nav, NavItem{ID: "integrations", Label: "Integrations", Current: true})
		if set.Effective("show_suggestions") {
			p.Nav = append(p.Nav, NavItem{ID: "suggestions", Label: "Suggestions"})
		}
		if set.Effective("show_logs") {
			p.Nav = append(p.Nav, NavItem{ID: "logs", Label: "Logs"})
		}
	}

	// The card is always drawn: vault-ui.md's hide_consumer_card is not a
	// setting of the spec (10.34.0), so no session can hide it.
	m := s.ConsumerMetadata
	p.Consumer = Consumer{
		Account: fold(m.AccountName),
		User:    fold(m.UserName),
		Image:   webURL(m.Image),
	}
	p.Consumer.Initials = initials(p.Consumer.User, p.Consumer.Account)
	if p.Consumer.Account == "" {
		p.Consumer.Account = PlaceholderAccount
	}
	if p.Consumer.User == "" {
		p.Consumer.User = PlaceholderUser
	}

	p.Sections = sections(set.UnifiedAPIs)

	if set.AllowActions == nil {
		for _, a := range model.Actions() {
			p.Actions = append(p.Actions, a.ID)
		}
	} else {
		for _, a := range model.Actions() {
			for _, id := range set.AllowActions {
				if id == a.ID {
					p.Actions = append(p.Actions, a.ID)
					break
				}
			}
		}
	}
	return p
}

// Allows reports whether the card action id ("delete", "disconnect",
// "reauthorize", "disable") is allowed.
func (p Page) Allows(action string) bool {
	for _, a := range p.Actions {
		if a == action {
			return true
		}
	}
	return false
}

// sections lists the unified APIs the page shows: the ones given, once
// each and in their order, or the whole catalogue when none is given.
func sections(ids []string) []Section {
	catalogue := model.UnifiedAPIs()
	var out []Section
	if len(ids) == 0 {
		for _, api := range catalogue {
			out = append(out, newSection(api.ID, api.Name))
		}
		return out
	}
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		id = fold(id)
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		name := id // unknown ids are the validator's business; show them as sent
		for _, api := range catalogue {
			if api.ID == id {
				name = api.Name
				break
			}
		}
		out = append(out, newSection(id, name))
	}
	return out
}

func newSection(id, name string) Section {
	return Section{ID: id, Name: name, Empty: "No " + inSentence(name) + " integrations added yet."}
}

// inSentence writes an API's name as it reads mid-sentence: its acronyms
// as the API spells them (CRM, HRIS), other words in lower case
// ("customer support").
func inSentence(name string) string {
	words := strings.Fields(name)
	for i, w := range words {
		if len([]rune(w)) < 2 || strings.ToUpper(w) != w {
			words[i] = strings.ToLower(w)
		}
	}
	return strings.Join(words, " ")
}

// initials are what the avatar shows without an image: the first letters
// of the first two words of the user name (or the account name).
func initials(names ...string) string {
	for _, n := range names {
		var out []rune
		for _, word := range strings.Fields(n) {
			for _, r := range word {
				if unicode.IsLetter(r) || unicode.IsDigit(r) {
					out = append(out, unicode.ToUpper(r))
					break
				}
			}
			if len(out) == 2 {
				break
			}
		}
		if len(out) > 0 {
			return string(out)
		}
	}
	return ""
}

// fold makes text one line: runs of white space, line breaks included,
// become one space.
func fold(s string) string { return strings.Join(strings.Fields(s), " ") }

// webURL returns s when it is an absolute http(s) URL a page may link to,
// and "" otherwise: javascript:, data: and relative links are never used.
func webURL(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || model.CheckURL(s) != "" {
		return ""
	}
	return s
}

// CleanText makes text from a session single-line and fit for a web page:
// control characters (escape sequences included) become spaces,
// invisible format characters (bidi overrides) go, invalid UTF-8 becomes
// U+FFFD and runs of space collapse.
func CleanText(s string) string {
	plain := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			plain = false
			break
		}
	}
	if plain {
		return strings.Join(strings.Fields(s), " ")
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	cleaned := strings.Map(func(r rune) rune {
		switch {
		case unicode.IsControl(r):
			return ' '
		case unicode.Is(unicode.Cf, r):
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(cleaned), " ")
}
