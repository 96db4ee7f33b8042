package model

import (
	"strings"
	"time"
)

// CustomerMessage is the note the wizard's m copies, and a batch writes in
// its results: ready to paste to the customer, with their name, the link
// and until when it works. The time is in UTC: the customer's time zone is
// not known. A zero expiresAt leaves the last line out.
//
//	Hi Hank, here is the link to connect your tools to Acme:
//	https://vault.apideck.com/session/…
//	It works until Thu 27 Nov 15:04 UTC.
func CustomerMessage(req Request, url string, expiresAt time.Time) string {
	return CustomerMessageFor(req, "", url, expiresAt)
}

// CustomerMessageFor is CustomerMessage for a session with a purpose,
// which it says instead of "here is the link to connect your tools": the
// session that fixes a connection names it.
//
//	Hi Hank, your QuickBooks connection needs you to sign in again:
//	https://vault.apideck.com/session/…
//	It works until Thu 27 Nov 15:04 UTC.
func CustomerMessageFor(req Request, purpose, url string, expiresAt time.Time) string {
	var b strings.Builder
	b.WriteString("Hi")
	if first := strings.Fields(req.Session.ConsumerMetadata.UserName); len(first) > 0 {
		b.WriteString(" " + first[0])
	}
	if purpose = strings.TrimSpace(purpose); purpose != "" {
		b.WriteString(", " + purpose)
	} else {
		b.WriteString(", here is the link to connect your tools")
		if name := strings.TrimSpace(req.Session.Theme.VaultName); name != "" {
			b.WriteString(" to " + name)
		}
	}
	b.WriteString(":\n" + url + "\n")
	if !expiresAt.IsZero() {
		b.WriteString("It works until " + expiresAt.UTC().Format("Mon 2 Jan 15:04 MST") + ".\n")
	}
	return b.String()
}
