package theme

import (
	"bytes"
	"strings"
	"testing"
)

// The demo's sign-in screen says who asks for what, offers Allow and Deny
// (or says it is done), and lets no text from a session act: a hostile
// vault name is escaped and made one line, a return address that is not
// http(s) is dropped.
func TestAuthorizePage(t *testing.T) {
	t.Parallel()
	render := func(a AuthorizeStep) string {
		t.Helper()
		var b bytes.Buffer
		if err := NewAuthorizePage().Render(&b, a); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	page := render(AuthorizeStep{ServiceID: "salesforce", Connector: "Salesforce", VaultTitle: "Acme Vault", API: "CRM"})
	for _, want := range []string{"Sign in to Salesforce to let Acme Vault read your CRM", "<strong>DEMO</strong>",
		`name="allow" value="1"`, `name="allow" value="0"`, `<form method="post">`, `background: #0b6fb8`, ">S<"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	done := render(AuthorizeStep{ServiceID: "salesforce", Connector: "Salesforce", VaultTitle: "Acme Vault", API: "Customer Support",
		Done: true, ReturnURL: "http://127.0.0.1:1/session/x"})
	if strings.Contains(done, `name="allow"`) || !strings.Contains(done, "Salesforce is connected: Acme Vault may read your Customer Support.") ||
		!strings.Contains(done, `href="http://127.0.0.1:1/session/x"`) || !strings.Contains(done, "read your customer support") {
		t.Errorf("done page:\n%s", done)
	}
	evil := render(AuthorizeStep{Connector: "Sales<b>force", VaultTitle: "Acme\x1b[2J <script>alert(1)</script>\u202e Vault", API: "CRM",
		ReturnURL: "javascript:alert(1)"})
	for _, bad := range []string{"<script>alert", "<b>force", "\x1b", "\u202e", "javascript:"} {
		if strings.Contains(evil, bad) {
			t.Errorf("hostile text %q reached the page", bad)
		}
	}
}
