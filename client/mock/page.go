package mock

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/theme"
)

// servePage shows a session URL as the hosted Vault page would, drawn by
// theme's HTML renderer with its "DEMO: not Apideck" marker, with a card
// for each connection the consumer already has. The page is live: its
// "+ Add" and card actions call this API's connection routes with the
// session token, as the real page calls Apideck's. An expired or
// unreadable token gets the page behind Vault's modal, with status 401.
func (s *Server) servePage(w http.ResponseWriter, token string) {
	status := http.StatusOK
	var session model.Session
	opt := theme.HTMLOptions{Now: s.now()}
	claims, err := s.VerifyToken(token)
	if err != nil {
		status, opt.Invalid = http.StatusUnauthorized, true
	} else {
		session = model.Session{
			ConsumerMetadata: claims.ConsumerMetadata,
			RedirectURI:      claims.RedirectURI,
			Settings:         claims.Settings,
			Theme:            claims.Theme,
		}
		opt.ExpiresAt = time.Unix(claims.ExpiresAt, 0)
		if !opt.Now.Before(opt.ExpiresAt) {
			status = http.StatusUnauthorized
		}
		opt.Live = &theme.LiveAPI{AppID: claims.ApplicationID, ConsumerID: claims.ConsumerID}
		who := caller{owner: ownerKey{claims.ApplicationID, claims.ConsumerID}, apis: claims.Settings.UnifiedAPIs, session: true}
		for _, c := range s.listConnections(who, "") {
			if c.State == StateAvailable {
				continue // offered under "+ Add", not a card
			}
			pc := theme.PageConnection{
				ID: c.ID, ServiceID: c.ServiceID, Name: c.Name, UnifiedAPI: c.UnifiedAPI,
				State: c.State, Enabled: c.Enabled, CreatedAt: c.CreatedAt, AuthType: c.AuthType,
			}
			if c.AuthorizeURL != nil {
				pc.AuthorizeURL = *c.AuthorizeURL
			}
			for _, f := range c.FormFields {
				pc.FormFields = append(pc.FormFields, model.SettingField{ID: f.ID, Label: f.Label, Type: f.Type})
			}
			opt.Connections = append(opt.Connections, pc)
		}
		text, _ := json.MarshalIndent(claims, "", "  ")
		opt.Carries = string(text)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	// The page's one script is inline; nothing may load scripts, styles
	// or frames from elsewhere. Images (logo, avatar) come from the theme.
	w.Header().Set("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src http: https: data:; connect-src 'self'; base-uri 'none'; form-action 'none'")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	s.page.Render(w, session, opt)
}
