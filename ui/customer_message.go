package ui

import (
	"strings"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
)

// customerMessage is what m copies: a note ready to paste to the customer,
// with their name, the link and until when it works. The time is in UTC:
// the customer's time zone is not known.
//
//	Hi Hank, here is the link to connect your tools to Acme:
//	https://vault.apideck.com/session/…
//	It works until Thu 27 Nov 15:04 UTC.
func customerMessage(req model.Request, res client.Result) string {
	var b strings.Builder
	b.WriteString("Hi")
	if first := strings.Fields(req.Session.ConsumerMetadata.UserName); len(first) > 0 {
		b.WriteString(" " + first[0])
	}
	b.WriteString(", here is the link to connect your tools")
	if name := strings.TrimSpace(req.Session.Theme.VaultName); name != "" {
		b.WriteString(" to " + name)
	}
	b.WriteString(":\n" + res.URL + "\n")
	if !res.ExpiresAt.IsZero() {
		b.WriteString("It works until " + res.ExpiresAt.UTC().Format("Mon 2 Jan 15:04 MST") + ".\n")
	}
	return b.String()
}
