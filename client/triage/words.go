package triage

import (
	"fmt"
	"time"

	"github.com/apideck-samples/vault-session/client"
)

// LeftText says a time left for people: "45 min", "18 h", "3 days"; under
// a minute is "less than a minute".
func LeftText(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "less than a minute"
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d/time.Minute))
	case d < 72*time.Hour:
		return fmt.Sprintf("%d h", int((d+30*time.Minute)/time.Hour))
	}
	return fmt.Sprintf("%d days", int((d+12*time.Hour)/(24*time.Hour)))
}

// AgoText says how long ago t was, as LeftText does ("30 h ago").
func AgoText(t, now time.Time) string {
	if t.IsZero() {
		return ""
	}
	return LeftText(now.Sub(t)) + " ago"
}

// Describe says where the connection stands and what it means, in a few
// words: "token refreshes failing; credentials deleted in 18 h". The
// health and state it names are the API's: show the text through
// model/termtext.
func (a Attention) Describe(now time.Time) string {
	c := a.Connection
	switch a.Need {
	case NeedCredentialsExpiring, NeedRefreshFailing:
		text := "token refreshes failing"
		if !c.LastRefreshFailedAt.IsZero() {
			text += " (last " + AgoText(c.LastRefreshFailedAt, now) + ")"
		}
		if a.Left > 0 {
			text += "; credentials deleted in " + LeftText(a.Left)
		}
		return text
	case NeedReconnect:
		switch c.Health {
		case client.HealthRevoked:
			return "access revoked: needs a new sign-in"
		case client.HealthPendingRefresh:
			return "credentials deleted after failed refreshes: needs a new sign-in"
		}
		return "needs a new sign-in"
	case NeedSettings:
		return "settings missing or wrong"
	case NeedConsent:
		if c.Health == client.HealthPendingConfirmation {
			return "waiting for the customer to confirm"
		}
		return "waiting for the customer's consent"
	case NeedDegraded:
		text := "connector unreachable lately"
		if !c.LastDownstreamErrorAt.IsZero() {
			text += " (last " + AgoText(c.LastDownstreamErrorAt, now) + ")"
		}
		return text + "; calls still go through"
	case NeedUnknown:
		return fmt.Sprintf("health %q, which this program does not know", string(c.Health))
	}
	return "ok"
}
