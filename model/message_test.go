package model

import (
	"testing"
	"time"
)

func TestCustomerMessage(t *testing.T) {
	req := Request{Session: Session{
		ConsumerMetadata: ConsumerMetadata{UserName: "  Hank  Hill"},
		Theme:            Theme{VaultName: " Acme "},
	}}
	at := time.Date(2026, 11, 27, 16, 4, 0, 0, time.FixedZone("CET", 3600))
	got := CustomerMessage(req, "https://vault.apideck.com/session/x", at)
	want := "Hi Hank, here is the link to connect your tools to Acme:\nhttps://vault.apideck.com/session/x\nIt works until Fri 27 Nov 15:04 UTC.\n"
	if got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	got = CustomerMessage(Request{}, "https://v/x", time.Time{})
	if want := "Hi, here is the link to connect your tools:\nhttps://v/x\n"; got != want {
		t.Errorf("without name, vault name or expiry: %q, want %q", got, want)
	}
}

// A session that fixes a connection says so instead.
func TestCustomerMessageFor(t *testing.T) {
	req := Request{Session: Session{ConsumerMetadata: ConsumerMetadata{UserName: "Hank Scorpio"}, Theme: Theme{VaultName: "Acme"}}}
	at := time.Date(2026, 11, 27, 15, 4, 0, 0, time.UTC)
	got := CustomerMessageFor(req, "your QuickBooks connection needs you to sign in again", "https://v/x", at)
	want := "Hi Hank, your QuickBooks connection needs you to sign in again:\nhttps://v/x\nIt works until Fri 27 Nov 15:04 UTC.\n"
	if got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}
