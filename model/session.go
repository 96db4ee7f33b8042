// Package model holds the body of POST /vault/sessions and everything that
// can be said about it without a terminal or a network: the unified API
// catalogue, the allowed actions, session lengths, colours and validation.
//
// JSON names follow the Vault OpenAPI spec (10.34.0) exactly. Every type is
// closed: there is no field through which an unknown key could be sent,
// except custom_consumer_settings, which the spec leaves open.
package model

import "encoding/json"

// MaxSessionBody is the one limit on a session body: the most --from
// reads, the most a create sends and the most the demo API takes. A body
// is a few KiB; 4 MiB leaves room for a generous custom_consumer_settings
// while one read and one check of it stay cheap. Being one number, a file
// that passes the checks is not then refused for its size by the demo.
const MaxSessionBody = 4 << 20

// Session is the request body of POST /vault/sessions.
//
// Nested objects use omitzero so an untouched part is not sent at all, and
// booleans are pointers so a false the user chose is sent as false while an
// unset one is left to the API's default.
type Session struct {
	ConsumerMetadata ConsumerMetadata `json:"consumer_metadata,omitzero"`
	RedirectURI      string           `json:"redirect_uri,omitempty"`
	Settings         Settings         `json:"settings,omitzero"`
	Theme            Theme            `json:"theme,omitzero"`
	// CustomConsumerSettings is an object the spec leaves open, kept as
	// compact JSON text so that numbers and key order are sent exactly as
	// written; nil means none. Treat it as read-only: copies share it.
	CustomConsumerSettings json.RawMessage `json:"custom_consumer_settings,omitempty"`
}

// ConsumerMetadata is what Vault shows in the consumer card of its side panel.
type ConsumerMetadata struct {
	AccountName string `json:"account_name,omitempty"`
	UserName    string `json:"user_name,omitempty"`
	Email       string `json:"email,omitempty"`
	Image       string `json:"image,omitempty"`
}

// Settings change what the hosted Vault page shows and allows.
type Settings struct {
	// UnifiedAPIs lists the APIs whose connections Vault lists; empty means all.
	UnifiedAPIs          []string `json:"unified_apis,omitempty"`
	HideResourceSettings *bool    `json:"hide_resource_settings,omitempty"`
	SandboxMode          *bool    `json:"sandbox_mode,omitempty"`
	IsolationMode        *bool    `json:"isolation_mode,omitempty"`
	// SessionLength is kept as text (e.g. "30m") so a session file
	// round-trips as written; ParseSessionLength checks it.
	SessionLength   string `json:"session_length,omitempty"`
	ShowLogs        *bool  `json:"show_logs,omitempty"`
	ShowSuggestions *bool  `json:"show_suggestions,omitempty"`
	ShowSidebar     *bool  `json:"show_sidebar,omitempty"`
	AutoRedirect    *bool  `json:"auto_redirect,omitempty"`
	HideGuides      *bool  `json:"hide_guides,omitempty"`
	// AllowActions: nil sends nothing (every action allowed); an empty,
	// non-nil slice sends [] (no action allowed). omitzero keeps the two apart.
	AllowActions []string `json:"allow_actions,omitzero"`
}

// IsZero reports whether nothing in s would change Vault, so omitzero leaves
// settings out. An empty unified_apis list means the same as none ("all
// APIs"), so it counts as unset; an empty allow_actions does not: it means
// "no action".
func (s Settings) IsZero() bool {
	if len(s.UnifiedAPIs) > 0 || s.AllowActions != nil || s.SessionLength != "" {
		return false
	}
	for _, b := range BoolSettings() {
		if *s.BoolField(b.Key) != nil {
			return false
		}
	}
	return true
}

// Theme changes the look of the hosted Vault page.
type Theme struct {
	Favicon                  string `json:"favicon,omitempty"`
	Logo                     string `json:"logo,omitempty"`
	PrimaryColor             string `json:"primary_color,omitempty"`
	SidepanelBackgroundColor string `json:"sidepanel_background_color,omitempty"`
	SidepanelTextColor       string `json:"sidepanel_text_color,omitempty"`
	VaultName                string `json:"vault_name,omitempty"`
	PrivacyURL               string `json:"privacy_url,omitempty"`
	TermsURL                 string `json:"terms_url,omitempty"`
}

// Request is everything one session needs besides the API key: the two
// identifying headers and the body.
type Request struct {
	AppID      string
	ConsumerID string
	Session    Session
}

// Bool returns a pointer to v, for setting the optional booleans.
func Bool(v bool) *bool { return &v }
