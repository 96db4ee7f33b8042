package triage

import (
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client"
)

var now = time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)

func TestAssess(t *testing.T) {
	for _, tc := range []struct {
		name   string
		c      client.Connection
		within time.Duration
		need   Need
		left   time.Duration
	}{
		{"ok", client.Connection{State: "callable", Health: "ok"}, 0, NeedNone, 0},
		{"refresh failing, 18 h left", client.Connection{Health: "pending_refresh", CredentialsExpireAt: now.Add(18 * time.Hour)}, 0, NeedCredentialsExpiring, 18 * time.Hour},
		{"refresh failing beyond the window", client.Connection{Health: "pending_refresh", CredentialsExpireAt: now.Add(18 * time.Hour)}, 6 * time.Hour, NeedRefreshFailing, 18 * time.Hour},
		{"refresh failing, no time said", client.Connection{Health: "pending_refresh"}, 0, NeedCredentialsExpiring, 0},
		{"credentials gone", client.Connection{Health: "pending_refresh", CredentialsExpireAt: now.Add(-time.Minute)}, 0, NeedReconnect, 0},
		{"needs_auth", client.Connection{State: "invalid", Health: "needs_auth"}, 0, NeedReconnect, 0},
		{"revoked", client.Connection{Health: "revoked"}, 0, NeedReconnect, 0},
		{"missing_settings", client.Connection{Health: "missing_settings"}, 0, NeedSettings, 0},
		{"needs_consent", client.Connection{Health: "needs_consent"}, 0, NeedConsent, 0},
		{"pending_confirmation", client.Connection{Health: "pending_confirmation"}, 0, NeedConsent, 0},
		{"degraded", client.Connection{Health: "degraded"}, 0, NeedDegraded, 0},
		{"a health from a newer API", client.Connection{Health: "quarantined"}, 0, NeedUnknown, 0},
		{"no health, invalid", client.Connection{State: "invalid"}, 0, NeedSettings, 0},
		{"no health, added", client.Connection{State: "added"}, 0, NeedReconnect, 0},
		{"no health, callable", client.Connection{State: "callable"}, 0, NeedNone, 0},
	} {
		a := Assess(tc.c, now, tc.within)
		if a.Need != tc.need || a.Left != tc.left {
			t.Errorf("%s: %q left %v, want %q left %v", tc.name, a.Need, a.Left, tc.need, tc.left)
		}
	}
}

func TestNeedsAttentionMostUrgentFirst(t *testing.T) {
	list := []client.Connection{
		{ServiceID: "a", Health: "degraded"},
		{ServiceID: "b", Health: "ok"},
		{ServiceID: "c", Health: "needs_auth"},
		{ServiceID: "d", Health: "pending_refresh", CredentialsExpireAt: now.Add(time.Hour)},
		{ServiceID: "e", Health: "needs_auth"},
	}
	var got []string
	for _, a := range NeedsAttention(list, now, 0) {
		got = append(got, a.Connection.ServiceID)
	}
	if want := "d c e a"; strings.Join(got, " ") != want {
		t.Errorf("order %q, want %q", strings.Join(got, " "), want)
	}
	for _, n := range Needs() {
		if n.Title() == "" || n.Action() == "" || n.Title() == NeedNone.Title() {
			t.Errorf("%q has no words", n)
		}
	}
}

func TestDescribe(t *testing.T) {
	for _, tc := range []struct {
		c      client.Connection
		within time.Duration
		want   string
	}{
		{client.Connection{Health: "pending_refresh", CredentialsExpireAt: now.Add(18 * time.Hour), LastRefreshFailedAt: now.Add(-30 * time.Hour)}, 0,
			"token refreshes failing (last 30 h ago); credentials deleted in 18 h"},
		{client.Connection{Health: "pending_refresh", CredentialsExpireAt: now.Add(40*time.Minute + 10*time.Second)}, 0,
			"token refreshes failing; credentials deleted in 40 min"},
		{client.Connection{Health: "pending_refresh", CredentialsExpireAt: now.Add(-time.Hour)}, 0,
			"credentials deleted after failed refreshes: needs a new sign-in"},
		{client.Connection{State: "invalid", Health: "needs_auth"}, 0, "needs a new sign-in"},
		{client.Connection{Health: "revoked"}, 0, "access revoked: needs a new sign-in"},
		{client.Connection{Health: "missing_settings"}, 0, "settings missing or wrong"},
		{client.Connection{Health: "pending_confirmation"}, 0, "waiting for the customer to confirm"},
		{client.Connection{Health: "needs_consent"}, 0, "waiting for the customer's consent"},
		{client.Connection{Health: "degraded", LastDownstreamErrorAt: now.Add(-2 * time.Hour)}, 0,
			"connector unreachable lately (last 2 h ago); calls still go through"},
		{client.Connection{Health: "quarantined"}, 0, `health "quarantined", which this program does not know`},
		{client.Connection{Health: "ok"}, 0, "ok"},
	} {
		if got := Assess(tc.c, now, tc.within).Describe(now); got != tc.want {
			t.Errorf("%+v:\n got %q\nwant %q", tc.c, got, tc.want)
		}
	}
	for d, want := range map[time.Duration]string{
		30 * time.Second: "less than a minute", 59 * time.Minute: "59 min", 90 * time.Minute: "2 h",
		47*time.Hour + 40*time.Minute: "48 h", 80 * time.Hour: "3 days",
	} {
		if got := LeftText(d); got != want {
			t.Errorf("LeftText(%v) = %q, want %q", d, got, want)
		}
	}
}
