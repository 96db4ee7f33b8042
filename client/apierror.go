package client

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/apideck-samples/vault-session/model/termtext"
)

// MaxBodySize bounds how much of any answer is read: an error page from a
// misconfigured proxy can be arbitrarily large and is never worth more.
const MaxBodySize = 1 << 20

// Lengths that keep Error() one readable line whatever the server sends.
const (
	maxMessageRunes = 300
	maxExcerptRunes = 120
)

// APIError is every non-2xx answer.
//
// Error() is one line: "401 Unauthorized: Unauthorized Request
// (UnauthorizedError)". Detail is not part of it: show DetailText() beside
// it, because an object detail only reads well indented.
type APIError struct {
	StatusCode int
	ErrorText  string // "error"
	TypeName   string // "type_name"
	Message    string // "message"
	Detail     any    // "detail": string or object (map[string]any) or nil
	Ref        string // "ref": documentation link
	Body       []byte // raw body, at most MaxBodySize bytes
	// Truncated is true when the body was longer than MaxBodySize and Body
	// holds only its beginning.
	Truncated bool
	// ContentType is the answer's Content-Type header; empty when unknown,
	// in which case Error() sniffs Body.
	ContentType string
	// RetryAfter is the wait the answer asked for (Retry-After or
	// retry-after-ms), zero when it named none: a poller honours it.
	RetryAfter time.Duration
	// Attempts is how many times the request was sent, this answer's
	// included: more than 1 when the retry policy tried again. 0 when
	// not known (an error parsed outside a request).
	Attempts int
}

// Error returns a one-line message made for people. It never holds the
// whole body: non-JSON answers are described, with at most a short excerpt
// of a plain-text body.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString(strconv.Itoa(e.StatusCode))
	reason := http.StatusText(e.StatusCode)
	if reason == "" {
		reason = oneLine(e.ErrorText, 60)
	}
	if reason != "" {
		b.WriteString(" ")
		b.WriteString(reason)
	}
	b.WriteString(": ")

	message := oneLine(e.Message, maxMessageRunes)
	typeName := oneLine(e.TypeName, 80)
	if message == "" && e.ErrorText != "" && e.ErrorText != reason {
		message = oneLine(e.ErrorText, maxMessageRunes)
	}
	switch {
	case message != "" && typeName != "":
		b.WriteString(message + " (" + typeName + ")")
	case message != "":
		b.WriteString(message)
	case typeName != "":
		b.WriteString(typeName)
	default:
		b.WriteString(e.describeBody())
	}
	return b.String()
}

// describeBody says what kind of answer came back when it carries no error
// message of its own.
func (e *APIError) describeBody() string {
	body := bytes.TrimSpace(e.Body)
	if len(body) == 0 {
		return "the server answered with an empty body"
	}
	if json.Valid(body) {
		return "the server's JSON answer has no error message"
	}
	media := e.mediaType()
	if media == "application/json" || (media == "text/plain" && (body[0] == '{' || body[0] == '[')) {
		if e.Truncated {
			return "the server's JSON answer is over 1 MiB and was cut off"
		}
		return "the server answered malformed JSON"
	}
	msg := "the server answered " + media + ", not JSON"
	switch media {
	case "text/plain":
		if excerpt := oneLine(string(body), maxExcerptRunes); excerpt != "" {
			msg += `: "` + excerpt + `"`
		}
	case "text/html":
		if title := htmlTitle(body); title != "" {
			msg += `: "` + title + `"`
		}
	}
	if e.Truncated {
		msg += ", and the answer is over 1 MiB: the rest was not read"
	}
	return msg
}

// BodyExcerpt is the start of the body, for an answer not in the API's
// error shape (a proxy's page): at most n characters, made safe by
// termtext with its line breaks kept, then how much is not shown, and that
// on a line of its own, that the rest was never read when the answer was
// over MaxBodySize.
func (e *APIError) BodyExcerpt(n int) string {
	text := termtext.TextN(strings.TrimSpace(string(e.Body)), n)
	if e.Truncated {
		text += "\n(the answer is over 1 MiB: the rest was not read)"
	}
	return text
}

// mediaType returns the media type of the body, from ContentType or sniffed.
func (e *APIError) mediaType() string {
	if e.ContentType != "" {
		if media, _, err := mime.ParseMediaType(e.ContentType); err == nil {
			return oneLine(media, 60)
		}
	}
	media, _, _ := mime.ParseMediaType(http.DetectContentType(e.Body))
	return media
}

// htmlTitle returns the text of an HTML page's <title>, which for a proxy's
// error page usually names the problem ("502 Bad Gateway").
func htmlTitle(body []byte) string {
	// ASCII-only lowering keeps offsets valid in body.
	lower := make([]byte, len(body))
	for i, c := range body {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	start := bytes.Index(lower, []byte("<title"))
	if start < 0 {
		return ""
	}
	open := bytes.IndexByte(lower[start:], '>')
	if open < 0 {
		return ""
	}
	text := start + open + 1
	end := bytes.Index(lower[text:], []byte("</title"))
	if end < 0 {
		return ""
	}
	// Whitespace in HTML is layout: a title broken over lines is one line.
	return oneLine(strings.Join(strings.Fields(string(body[text:text+end])), " "), 80)
}

// DetailText renders Detail for people: the string, or indented JSON.
func (e *APIError) DetailText() string {
	switch d := e.Detail.(type) {
	case nil:
		return ""
	case string:
		return d
	default:
		text, err := json.MarshalIndent(d, "", "  ")
		if err != nil {
			return ""
		}
		return string(text)
	}
}

// ParseAPIError builds an APIError from a status and a body; never fails.
// Fields the body does not hold, or holds with another type than the spec
// says, are left empty (a non-string message is kept as its JSON text).
func ParseAPIError(status int, body []byte) *APIError {
	e := &APIError{StatusCode: status, Body: body}
	if len(body) > MaxBodySize {
		e.Body, e.Truncated = body[:MaxBodySize], true
	}
	var fields struct {
		Error    json.RawMessage `json:"error"`
		TypeName json.RawMessage `json:"type_name"`
		Message  json.RawMessage `json:"message"`
		Detail   json.RawMessage `json:"detail"`
		Ref      json.RawMessage `json:"ref"`
	}
	if err := json.Unmarshal(e.Body, &fields); err != nil {
		return e
	}
	e.ErrorText = jsonText(fields.Error)
	e.TypeName = jsonText(fields.TypeName)
	e.Message = jsonText(fields.Message)
	e.Ref = jsonText(fields.Ref)
	if len(fields.Detail) > 0 {
		var detail any
		if json.Unmarshal(fields.Detail, &detail) == nil {
			e.Detail = detail
		}
	}
	return e
}

// jsonText returns a JSON string's value, or the compact text of any other
// value (so a message sent as an object is still shown), or "" for null.
func jsonText(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var compact bytes.Buffer
	if json.Compact(&compact, raw) != nil {
		return ""
	}
	return compact.String()
}

// oneLine is s as one line of a message: made safe by termtext's one rule
// (a control character shown as its escape, \x1b, never dropped or made a
// space), cut after limit characters with a count of what was left out.
// Every report shows an answer's text this way, retries and the final
// error alike.
func oneLine(s string, limit int) string {
	return termtext.LineN(strings.TrimSpace(s), limit)
}

// redact replaces every occurrence of secret in e, in case a server echoes
// the API key back. Very short secrets are left alone: replacing them would
// garble the message and they reveal nothing.
func (e *APIError) redact(secret string) {
	if len(secret) < 6 {
		return
	}
	const mask = "****"
	for _, p := range []*string{&e.ErrorText, &e.TypeName, &e.Message, &e.Ref} {
		*p = strings.ReplaceAll(*p, secret, mask)
	}
	e.Detail = redactValue(e.Detail, secret, mask)
	e.Body = bytes.ReplaceAll(e.Body, []byte(secret), []byte(mask))
}

func redactValue(v any, secret, mask string) any {
	switch v := v.(type) {
	case string:
		return strings.ReplaceAll(v, secret, mask)
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, val := range v {
			out[strings.ReplaceAll(k, secret, mask)] = redactValue(val, secret, mask)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, val := range v {
			out[i] = redactValue(val, secret, mask)
		}
		return out
	}
	return v
}

// NotFoundEntity is what a 404 says was not found, from its detail
// {"not_found": {"entity": "application", "id": ...}}; "" when the detail
// does not say.
func (e *APIError) NotFoundEntity() string {
	detail, _ := e.Detail.(map[string]any)
	notFound, _ := detail["not_found"].(map[string]any)
	entity, _ := notFound["entity"].(string)
	return strings.ToLower(strings.TrimSpace(entity))
}
