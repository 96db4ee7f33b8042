// Package triage says what a consumer's connections need before a support
// engineer sends a link: each connection's health read as something to do
// (reconnect, credentials about to be deleted, degraded, settings, consent),
// the application-wide sweep that finds them page by page, and the session
// that fixes a consumer's. It knows nothing of terminals.
package triage

import (
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
)

// Need is what a connection needs done, read from its health (or, from an
// older API without health, its state). Needs are listed in the order a
// sweep groups them: the most urgent first.
type Need string

const (
	// NeedNone: the connection works, or is waiting on nothing we can do.
	NeedNone Need = ""
	// NeedCredentialsExpiring: token refreshes fail, and Vault deletes the
	// credentials at CredentialsExpireAt unless the customer signs in again.
	NeedCredentialsExpiring Need = "credentials_expiring"
	// NeedReconnect: the customer must sign in (again): needs_auth,
	// revoked, or credentials already deleted.
	NeedReconnect Need = "reconnect"
	// NeedRefreshFailing: refreshes fail, the credentials go later than
	// the sweep's window.
	NeedRefreshFailing Need = "refresh_failing"
	// NeedSettings: the connection's settings are missing or wrong.
	NeedSettings Need = "needs_settings"
	// NeedConsent: the customer has to consent or confirm.
	NeedConsent Need = "needs_consent"
	// NeedDegraded: the connector was unreachable lately (502/504); calls
	// still go through.
	NeedDegraded Need = "degraded"
	// NeedUnknown: a health value this program does not know, shown as it
	// came.
	NeedUnknown Need = "unknown_health"
)

// Needs lists every need but NeedNone in the order of urgency.
func Needs() []Need {
	return []Need{NeedCredentialsExpiring, NeedReconnect, NeedRefreshFailing, NeedSettings, NeedConsent, NeedDegraded, NeedUnknown}
}

// Title names the need as a group heading.
func (n Need) Title() string {
	switch n {
	case NeedCredentialsExpiring:
		return "Credentials about to be deleted"
	case NeedReconnect:
		return "Reconnect"
	case NeedRefreshFailing:
		return "Token refreshes failing"
	case NeedSettings:
		return "Needs settings"
	case NeedConsent:
		return "Waiting for the customer's consent"
	case NeedDegraded:
		return "Degraded"
	case NeedUnknown:
		return "Health not known to this program"
	}
	return "OK"
}

// Action says what to do about it, in a few words.
func (n Need) Action() string {
	switch n {
	case NeedCredentialsExpiring, NeedReconnect, NeedRefreshFailing:
		return "the customer signs in again (send a session with reauthorize allowed)"
	case NeedSettings:
		return "the customer fills in the connection's settings"
	case NeedConsent:
		return "the customer consents in the Vault page"
	case NeedDegraded:
		return "check the connector's status; validate the connection once it is back"
	case NeedUnknown:
		return "look at the connection in the Apideck dashboard"
	}
	return ""
}

// CustomerAction is true when only the customer can fix it, through a
// Vault session.
func (n Need) CustomerAction() bool {
	switch n {
	case NeedCredentialsExpiring, NeedReconnect, NeedRefreshFailing, NeedSettings, NeedConsent:
		return true
	}
	return false
}

// Attention is a connection that needs something, and why.
type Attention struct {
	Need       Need              `json:"need"`
	Connection client.Connection `json:"connection"`
	// Left is the time until the credentials are deleted
	// (NeedCredentialsExpiring, NeedRefreshFailing), 0 otherwise.
	Left time.Duration `json:"-"`
}

// Assess reads what c needs at now. within bounds "about to be deleted":
// credentials that go later need attention too, as NeedRefreshFailing (0
// means model.CredentialsRetention, i.e. all of them).
func Assess(c client.Connection, now time.Time, within time.Duration) Attention {
	if within <= 0 {
		within = model.CredentialsRetention
	}
	a := Attention{Connection: c}
	switch c.Health {
	case client.HealthOK:
	case client.HealthPendingRefresh:
		a.Need = NeedCredentialsExpiring
		if !c.CredentialsExpireAt.IsZero() {
			a.Left = c.CredentialsExpireAt.Sub(now)
			switch {
			case a.Left <= 0:
				a.Need, a.Left = NeedReconnect, 0 // deleted already
			case a.Left > within:
				a.Need = NeedRefreshFailing
			}
		}
	case client.HealthNeedsAuth, client.HealthRevoked:
		a.Need = NeedReconnect
	case client.HealthMissingSettings:
		a.Need = NeedSettings
	case client.HealthNeedsConsent, client.HealthPendingConfirmation:
		a.Need = NeedConsent
	case client.HealthDegraded:
		a.Need = NeedDegraded
	case "":
		// An answer without health: the state says what it can.
		switch c.State {
		case client.StateInvalid:
			a.Need = NeedSettings
		case client.StateAdded:
			a.Need = NeedReconnect
		}
	default:
		a.Need = NeedUnknown
	}
	return a
}

// NeedsAttention lists the connections of list that need something, most
// urgent first (then in list order).
func NeedsAttention(list []client.Connection, now time.Time, within time.Duration) []Attention {
	var out []Attention
	for _, need := range Needs() {
		for _, c := range list {
			if a := Assess(c, now, within); a.Need == need {
				out = append(out, a)
			}
		}
	}
	return out
}
