package client

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/apideck-samples/vault-session/model"
)

// APIKeyEnv is the environment variable Apideck's SDKs and CLI read the API
// key from.
const APIKeyEnv = "APIDECK_API_KEY"

// RedactedAuthorization is the Authorization value Describe shows: a shell
// reference to APIKeyEnv, so the curl command works as pasted in a shell
// that has the variable, and the key itself is never displayed.
const RedactedAuthorization = "Bearer ${" + APIKeyEnv + "}"

// DescribedRequest is the request Create would send, for --dry-run and the
// wizard's review: headers with the API key redacted.
type DescribedRequest struct {
	Method  string
	URL     string
	Headers [][2]string // in a stable order
	Body    []byte      // indented JSON
}

// Describe returns the request Create would send, with the key redacted:
// the Authorization header is RedactedAuthorization whatever the key is,
// and a user:password@ in the base URL shows as ***@.
// Headers come in the order Authorization, x-apideck-app-id,
// x-apideck-consumer-id (each left out when empty, as Create does),
// Content-Type, Accept, User-Agent. The body is s.Normalized() as indented
// JSON (objects deeper than model.IndentedLevels on one line), without the HTML escaping (\u0026) encoding/json adds by default,
// so URLs read as typed; Create sends the same values compactly.
func (c *Client) Describe(creds Credentials, s model.Session) (DescribedRequest, error) {
	headers, err := c.headers(creds, RedactedAuthorization)
	if err != nil {
		return DescribedRequest{}, err
	}
	body, err := s.Normalized().Body()
	if err != nil {
		return DescribedRequest{}, fmt.Errorf("describe session: cannot encode the body: %w", err)
	}
	if len(body) > model.MaxSessionBody {
		// Described as Create would answer: it would not be sent.
		return DescribedRequest{}, &BodyTooLargeError{Size: len(body)}
	}
	return DescribedRequest{
		Method:  http.MethodPost,
		URL:     RedactURL(c.sessionsURL()),
		Headers: headers,
		// Indented for people, deep custom settings kept on one line: the
		// text stays a fixed multiple of the body's size.
		Body: model.IndentJSON(body, model.IndentedLevels),
	}, nil
}

// Curl renders d as a copy-pasteable curl command (key stays redacted).
// One option per line, joined by backslash-newlines; every value is
// single-quoted for POSIX shells except the API key reference, which is
// double-quoted so the shell expands it. The User-Agent is left to curl:
// the command is not this program.
func (d DescribedRequest) Curl() string {
	lines := []string{"curl --request " + shellQuote(d.Method) + " " + shellQuote(d.URL)}
	for _, h := range d.Headers {
		if strings.EqualFold(h[0], "User-Agent") {
			continue
		}
		lines = append(lines, "  --header "+shellQuote(h[0]+": "+h[1]))
	}
	if len(d.Body) > 0 {
		lines = append(lines, "  --data-raw "+shellQuote(string(d.Body)))
	}
	return strings.Join(lines, " \\\n")
}

// shellQuote quotes s for a POSIX shell. Text holding the API key reference
// is double-quoted when nothing else in it is special inside double quotes,
// and otherwise split so that only the reference is double-quoted.
func shellQuote(s string) string {
	const ref = "${" + APIKeyEnv + "}"
	if !strings.Contains(s, ref) {
		return singleQuote(s)
	}
	rest := strings.ReplaceAll(s, ref, "")
	if !strings.ContainsAny(rest, "$`\\\"!\n") {
		return `"` + s + `"`
	}
	parts := strings.Split(s, ref)
	var b strings.Builder
	for i, p := range parts {
		if i > 0 {
			b.WriteString(`"` + ref + `"`)
		}
		if p != "" {
			b.WriteString(singleQuote(p))
		}
	}
	return b.String()
}

// singleQuote wraps s in single quotes. Each quote inside becomes quote,
// backslash, quote, quote: close, an escaped quote, reopen; the one escape
// POSIX single quotes allow.
func singleQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
