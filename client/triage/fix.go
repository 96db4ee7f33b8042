package triage

import (
	"slices"

	"github.com/apideck-samples/vault-session/model"
)

// Fix is the session that fixes what a consumer's customer can fix: its
// Vault page lists only the unified APIs that need them, and lets them
// re-authorize.
type Fix struct {
	// UnifiedAPIs are the APIs of the connections to fix, in the
	// catalogue's order.
	UnifiedAPIs []string
	// Attention is the connections the customer must fix, most urgent
	// first.
	Attention []Attention
}

// PlanFix keeps the connections of attention that only the customer can
// fix; false when there is none (a degraded connector is not theirs to
// fix).
func PlanFix(attention []Attention) (Fix, bool) {
	var f Fix
	apis := map[string]bool{}
	for _, a := range attention {
		if !a.Need.CustomerAction() {
			continue
		}
		f.Attention = append(f.Attention, a)
		apis[a.Connection.UnifiedAPI] = true
	}
	for _, api := range model.UnifiedAPIs() {
		if apis[api.ID] {
			f.UnifiedAPIs = append(f.UnifiedAPIs, api.ID)
		}
	}
	// An API the catalogue does not know still gets its connection fixed.
	for _, a := range f.Attention {
		if !slices.Contains(f.UnifiedAPIs, a.Connection.UnifiedAPI) && a.Connection.UnifiedAPI != "" {
			f.UnifiedAPIs = append(f.UnifiedAPIs, a.Connection.UnifiedAPI)
		}
	}
	return f, len(f.Attention) > 0
}

// Apply returns s set up to fix: unified_apis limited to the fix's APIs,
// allow_actions keeping reauthorize (alone, when s allowed every action by
// saying nothing: the page is there to sign in again, not to delete), and
// the consumer's metadata where s has none.
func (f Fix) Apply(s model.Session, meta model.ConsumerMetadata) model.Session {
	s.Settings.UnifiedAPIs = slices.Clone(f.UnifiedAPIs)
	switch {
	case s.Settings.AllowActions == nil:
		s.Settings.AllowActions = []string{"reauthorize"}
	case !slices.Contains(s.Settings.AllowActions, "reauthorize"):
		s.Settings.AllowActions = append(slices.Clone(s.Settings.AllowActions), "reauthorize")
	}
	if s.ConsumerMetadata == (model.ConsumerMetadata{}) {
		s.ConsumerMetadata = meta
	}
	return s
}

// Purpose says to the customer what the link is for, naming what to
// reconnect: "your QuickBooks connection needs you to sign in again".
func (f Fix) Purpose() string {
	var signIn, settings, consent []string
	for _, a := range f.Attention {
		name := a.Connection.DisplayName()
		switch a.Need {
		case NeedSettings:
			settings = appendNew(settings, name)
		case NeedConsent:
			consent = appendNew(consent, name)
		default:
			signIn = appendNew(signIn, name)
		}
	}
	var parts []string
	if len(signIn) > 0 {
		parts = append(parts, "your "+connections(signIn)+" "+verb(signIn, "needs", "need")+" you to sign in again")
	}
	if len(settings) > 0 {
		parts = append(parts, "your "+connections(settings)+" "+verb(settings, "needs its", "need their")+" settings filled in")
	}
	if len(consent) > 0 {
		parts = append(parts, "your "+connections(consent)+" "+verb(consent, "needs", "need")+" your consent")
	}
	return model.AndList(parts)
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

func connections(names []string) string {
	if len(names) == 1 {
		return names[0] + " connection"
	}
	return model.AndList(names) + " connections"
}

func verb(names []string, one, many string) string {
	if len(names) == 1 {
		return one
	}
	return many
}
