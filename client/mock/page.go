package mock

import (
	"encoding/json"
	"net/http"
	"time"
)

// pageHTML is the page at a demo session URL. It says plainly that this is
// not Apideck's hosted Vault, and shows what the token carries.
const pageHTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="vault-session" content="demo">
<title>{{.Title}}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 0; background: #edf2f7; color: #1f2937; }
.bar { height: 4px; background: {{.PrimaryColor}}; }
main { max-width: 42rem; margin: 2rem auto; background: #fff; border-radius: 8px; padding: 1.5rem 2rem; box-shadow: 0 1px 3px #0002; }
pre { background: #f3f4f6; padding: .75rem; overflow-x: auto; }
</style>
</head>
<body>
<div class="bar"></div>
<main>
<h1>{{.Title}}</h1>
<p><strong>This is the vault-session demo Vault.</strong> It was served by the
built-in demo API, not by Apideck: no integration can be managed here. Run
vault-session with an Apideck API key to get a real Hosted Vault session.</p>
{{if .Problem}}<p>{{.Problem}}</p>{{else}}
<dl>
<dt>Consumer</dt><dd>{{.Claims.ConsumerID}}</dd>
<dt>Application</dt><dd>{{.Claims.ApplicationID}}</dd>
<dt>Expires</dt><dd>{{.Expires}}</dd>
</dl>
<p>What the session token carries:</p>
<pre>{{.ClaimsJSON}}</pre>
{{end}}
</main>
</body>
</html>
`

type pageData struct {
	Title        string
	PrimaryColor string
	Problem      string
	Claims       Claims
	Expires      string
	ClaimsJSON   string
}

// servePage shows a session as the demo sees it, with the Vault UI's
// words for a token that is expired or invalid.
func (s *Server) servePage(w http.ResponseWriter, token string) {
	data := pageData{Title: "Apideck Vault (demo)", PrimaryColor: "#5d50ce"}
	status := http.StatusOK
	claims, err := s.VerifyToken(token)
	switch {
	case err != nil:
		status, data.Problem = http.StatusUnauthorized, "Your session is invalid."
	case s.now().Unix() >= claims.ExpiresAt:
		status, data.Problem = http.StatusUnauthorized, "Your session has expired."
	default:
		data.Claims = claims
		data.Expires = time.Unix(claims.ExpiresAt, 0).UTC().Format(time.RFC3339)
		if claims.Theme.VaultName != "" {
			data.Title = claims.Theme.VaultName + " Vault (demo)"
		}
		if claims.Theme.PrimaryColor != "" {
			// html/template keeps an unsafe value out of the CSS.
			data.PrimaryColor = claims.Theme.PrimaryColor
		}
		text, _ := json.MarshalIndent(claims, "", "  ")
		data.ClaimsJSON = string(text)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	s.page.Execute(w, data)
}
