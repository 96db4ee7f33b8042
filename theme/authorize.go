package theme

import (
	_ "embed"
	"html/template"
	"io"
	"strings"
)

// authorizePageHTML is the demo's stand-in for a connector's own sign-in
// and consent screen: one document, inline CSS, no script.
//
//go:embed authorizepage.html
var authorizePageHTML string

// AuthorizeStep is the step the hosted Vault page sends a customer
// through after "+ Add", before a connection is authorized: for an OAuth
// connector its sign-in and consent screen (the connection's
// authorize_url), which the demo draws marked DEMO; its Allow button
// posts allow=1 back to the same address.
type AuthorizeStep struct {
	ServiceID  string // "salesforce": the tile's colour
	Connector  string // "Salesforce"
	VaultTitle string // "Acme Vault": the session's title, who asks
	API        string // the unified API's name: "CRM"
	// Done: the connection is authorized already; the page says so and
	// offers no button.
	Done bool
	// Denied: the customer pressed Deny; the connection still waits.
	Denied bool
	// ReturnURL leads back to the Vault page ("" for none).
	ReturnURL string
}

// AuthorizeSentence is what the sign-in screen asks, in the words both
// the demo's authorize page and a preview's stand-in for it use:
// "Sign in to Salesforce to let Acme Vault read your CRM".
func AuthorizeSentence(connector, vaultTitle, api string) string {
	return "Sign in to " + connector + " to let " + vaultTitle + " read your " + inSentence(api)
}

// AuthorizePage renders the demo's authorize step. Make one with
// NewAuthorizePage and reuse it: it is safe for concurrent use.
type AuthorizePage struct{ tmpl *template.Template }

// NewAuthorizePage parses the page's template.
func NewAuthorizePage() *AuthorizePage {
	return &AuthorizePage{tmpl: demoPage("authorize", authorizePageHTML)}
}

// Render writes the page for a; every value is escaped by html/template,
// and text from a session is made one line without control characters.
func (p *AuthorizePage) Render(w io.Writer, a AuthorizeStep) error {
	a.Connector, a.VaultTitle, a.API = CleanText(a.Connector), CleanText(a.VaultTitle), CleanText(a.API)
	if a.ReturnURL != "" && webURL(a.ReturnURL) == "" {
		a.ReturnURL = ""
	}
	return p.tmpl.Execute(w, struct {
		AuthorizeStep
		Sentence, Initials, Color string
	}{a, AuthorizeSentence(a.Connector, a.VaultTitle, a.API), tileInitials(a.Connector), iconColor(a.ServiceID)})
}

// tileInitials are a connector's letters on its tile, as the Vault page's
// script writes them: its capitals (HubSpot: HS), else the first letters
// of its first two words, else its first letter.
func tileInitials(name string) string {
	var caps []rune
	for _, r := range name {
		if r >= 'A' && r <= 'Z' {
			caps = append(caps, r)
		}
	}
	if len(caps) >= 2 {
		return string(caps[:2])
	}
	if words := strings.Fields(name); len(words) > 1 {
		return strings.ToUpper(string([]rune(words[0])[:1]) + string([]rune(words[1])[:1]))
	}
	if name == "" {
		return "?"
	}
	return strings.ToUpper(string([]rune(name)[:1]))
}
