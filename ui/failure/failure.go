// Package failure explains a failed request in the words every front end
// shows: the headless create, the wizard's failure screen and the plain
// prompts read the same Explanation, so they cannot drift apart (they had:
// for a 200 answer without a session URL the prompts said the request "did
// not reach the API" while the screen said the API answered).
//
// The client holds the facts (status, the API's fields, which kind of
// failure); this package turns them into sentences, made safe for a
// terminal by model/termtext. Each front end only lays the sentences out
// and adds how to fix the input there: a flag on the command line, a step
// in the wizard.
package failure

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/termtext"
)

// Explanation is why a request failed. Every text is safe to print.
type Explanation struct {
	// Headline says what happened in one line, with the API's own words:
	// "The API refused the request: 401 Unauthorized: Unauthorized
	// Request (UnauthorizedError)".
	Headline string
	// Detail is the API's detail (a string, or an object as indented
	// JSON); it may span lines. Empty when the answer had none.
	Detail string
	// Ref is the API's link to its documentation of the error.
	Ref string
	// Body is the start of an answer that is not in the API's error shape
	// (a proxy's page, say); empty otherwise.
	Body string
	// Hint says what the failure means and where to look. Empty when the
	// API's words say all there is.
	Hint string
	// Reached is true when an answer came back (from the API or from
	// something at its address): the user looks at the request, not at
	// the network.
	Reached bool
	// Fix is the field path of the request to change ("api_key",
	// "app_id", "settings.session_length"), or "" when no field of the
	// request is at fault (the base URL, the network, the server).
	Fix string
	// FixMessage is the inline error for the Fix field.
	FixMessage string
	// Fields are the per-field errors the answer listed, in the API's
	// words, for the fields Options.IsField knows.
	Fields model.ValidationErrors

	// detailLine is Detail on one line (an object as compact JSON), for
	// Summary.
	detailLine string
}

// Options are what a front end knows that the error does not.
type Options struct {
	// Timeout is the bound of the whole create (--timeout), named in the
	// explanation of a create that ran out of it. 0: not known.
	Timeout time.Duration
	// IsField reports whether a path names a field the user can edit
	// (the wizard's steps own it); an API's message naming one makes it
	// the field to fix. nil: no field is recognised by name.
	IsField func(path string) bool
}

// Where the base URL and the proxy are set: only the command line and the
// environment set them, whatever the front end.
const (
	baseURLSetting = "--base-url or APIDECK_BASE_URL"
	proxySetting   = "HTTPS_PROXY"
)

// Explain reads err, the failure of a create, as an Explanation.
func Explain(err error, opts Options) Explanation {
	var (
		apiErr   *client.APIError
		invalid  *client.InvalidResponseError
		redirect *client.RedirectError
		deadline *client.DeadlineError
		conn     *client.ConnectionError
		proxy    *client.ProxyError
		header   *client.HeaderError
		tooLarge *client.BodyTooLargeError
	)
	switch {
	case err == nil:
		return Explanation{}
	case errors.As(err, &apiErr):
		return explainAPIError(apiErr, opts)
	case errors.As(err, &invalid):
		return explainUnreadable(invalid)
	case errors.As(err, &redirect):
		return Explanation{
			Headline: sentence(termtext.Line(redirect.Error())),
			Hint:     "Your key was not sent there: check the base URL (" + baseURLSetting + ").",
			Reached:  true,
		}
	case errors.As(err, &deadline):
		bound := "--timeout bounds the request, retries included"
		if opts.Timeout > 0 {
			bound = "--timeout " + model.DurationText(opts.Timeout) + " bounds the request, retries included"
		}
		return Explanation{
			Headline: sentence(termtext.Line(deadline.Error())),
			Hint:     "No usable answer came in the time allowed (" + bound + "): check your connection, or give it longer with --timeout 5m.",
			Reached:  deadline.Last != nil && answered(deadline.Last),
		}
	case errors.As(err, &proxy):
		return Explanation{
			Headline: sentence(termtext.Line(err.Error())),
			Hint:     "The refusal came from the proxy between you and the API (" + proxySetting + "): the request did not reach the API.",
		}
	case errors.As(err, &conn) && conn.Timeout > 0:
		return Explanation{
			Headline: sentence(termtext.Line(conn.Error())),
			Hint:     "The API did not answer in time: check your connection, or the base URL (" + baseURLSetting + ") if you set one.",
		}
	case errors.As(err, &conn):
		return Explanation{
			Headline: sentence(termtext.Line(conn.Error())),
			Hint:     "The request did not reach the API or got no answer: check your connection, or the base URL (" + baseURLSetting + ") if you set one.",
		}
	case errors.As(err, &tooLarge):
		// Refused before sending: custom_consumer_settings is the only
		// part of a body that can be that large.
		return Explanation{
			Headline:   sentence(termtext.Line(tooLarge.Error())),
			Fix:        "custom_consumer_settings",
			FixMessage: fmt.Sprintf("too large to send: the body would be %d bytes, %d MiB at most", tooLarge.Size, model.MaxSessionBody>>20),
		}
	case errors.As(err, &header):
		e := Explanation{Headline: sentence(termtext.Line(header.Error()))}
		e.Fix = map[string]string{"API key": "api_key", "app ID": "app_id", "consumer ID": "consumer_id"}[header.Field]
		if e.Fix != "" {
			e.FixMessage = "an HTTP header cannot carry a line break or another control character"
		}
		return e
	}
	return Explanation{Headline: sentence(termtext.Text(err.Error()))}
}

// Explains reports whether err is a failure of a request that Explain
// reads: an answer the API (or something at its address) gave, or none.
// Other errors (a usage error, a file that cannot be read) say themselves.
func Explains(err error) bool {
	for _, kind := range []any{new(*client.APIError), new(*client.InvalidResponseError), new(*client.RedirectError),
		new(*client.DeadlineError), new(*client.ConnectionError), new(*client.BodyTooLargeError)} {
		if errors.As(err, kind) {
			return true
		}
	}
	return false
}

// explainUnreadable says what the API answered and what is wrong with it,
// in the words of what was asked: only a create's answer is "not a usable
// session"; a connections list that cannot be read is just that.
func explainUnreadable(e *client.InvalidResponseError) Explanation {
	status, problem := statusText(e.StatusCode), termtext.Line(e.Problem)
	x := Explanation{
		Headline: fmt.Sprintf("The API answered %s, but the answer cannot be read: %s", status, problem),
		Hint:     "The API answered, but not as the Vault API does: check that the base URL (" + baseURLSetting + ") points at the Vault API.",
		Reached:  true,
	}
	switch e.Operation {
	case client.OpCreateSession:
		x.Headline = fmt.Sprintf("The API answered %s but not with a usable session: %s", status, problem)
		x.Hint = "The API answered, but not with a usable session URL: check that the base URL (" + baseURLSetting + ") points at the Vault API."
	case "":
	default:
		x.Headline = fmt.Sprintf("The API answered %s to %s, but the answer cannot be read: %s", status, termtext.Line(e.Operation), problem)
	}
	return x
}

// answered reports whether an attempt's failure was an answer.
func answered(err error) bool {
	var apiErr *client.APIError
	var invalid *client.InvalidResponseError
	return errors.As(err, &apiErr) || errors.As(err, &invalid)
}

func explainAPIError(e *client.APIError, opts Options) Explanation {
	x := Explanation{
		Headline: "The API refused the request: " + termtext.Line(e.Error()),
		Detail:   termtext.Text(strings.TrimSpace(e.DetailText())),
		Ref:      termtext.Line(e.Ref),
		Reached:  true,

		detailLine: detailLine(e),
	}
	if e.StatusCode >= 500 {
		x.Headline = "The API failed to handle the request: " + termtext.Line(e.Error())
	}
	if e.Message == "" && e.ErrorText == "" {
		x.Body = e.BodyExcerpt(500)
	}
	message := termtext.Line(e.Message)
	switch {
	case e.StatusCode == http.StatusUnauthorized:
		x.Hint = "The API did not accept the API key."
		x.Fix, x.FixMessage = "api_key", "the API refused this key ("+message+")"
	case e.StatusCode == http.StatusForbidden:
		x.Hint = "The API key may not act for this application: check that the app ID belongs to the key."
		x.Fix, x.FixMessage = "app_id", "the API key may not use this application ("+message+")"
	case e.StatusCode == http.StatusNotFound && e.NotFoundEntity() == "application":
		x.Hint = "The API knows no application with this app ID."
		x.Fix, x.FixMessage = "app_id", "the API knows no application with this ID ("+message+")"
	case e.StatusCode == http.StatusNotFound && slices.Contains([]string{"consumer", "connection", "unified_api", "service"}, e.NotFoundEntity()):
		// The API says it has no such consumer or connection (the
		// support commands ask for them): the address was right.
		x.Hint = "The API has no such " + termtext.Line(strings.ReplaceAll(e.NotFoundEntity(), "_", " ")) + "."
	case e.StatusCode == http.StatusNotFound:
		// Anything else not found (or no word on what) means the request
		// went to the wrong place.
		x.Hint = "The API has no such address: check the base URL (" + baseURLSetting + ")."
	case e.StatusCode == http.StatusProxyAuthRequired:
		x.Hint = "The answer came from a proxy between you and the API: check " + proxySetting + " and its credentials."
	case e.StatusCode == http.StatusTooManyRequests:
		refused := "the request"
		if e.Attempts > 1 {
			refused = fmt.Sprintf("all %d attempts", e.Attempts)
		}
		x.Hint = "The API is limiting how often it is called and refused " + refused + ": wait a minute, then try again."
	case e.StatusCode >= 500 && x.Body != "" || e.StatusCode >= 500 && len(e.Body) == 0:
		x.Hint = "The answer is not the API's own (a proxy or gateway in front of it may have sent it)" + allFailed(e.Attempts) +
			": try again later, and check the base URL (" + baseURLSetting + ") if you set one."
	case e.StatusCode >= 500:
		onAll := ""
		if e.Attempts > 1 {
			onAll = fmt.Sprintf(" on all %d attempts", e.Attempts)
		}
		x.Hint = "The API failed on its side" + onAll + ": try again later."
	default:
		x.Fields = listedFieldErrors(e, opts.IsField)
		fix := ""
		if len(x.Fields) > 0 {
			fix = x.Fields[0].Path
		} else if opts.IsField != nil {
			fix = fieldNamedIn(e.Message+"\n"+e.DetailText(), opts.IsField)
		}
		if fix != "" {
			x.Fix = fix
			x.FixMessage = x.detailLine
			if x.FixMessage == "" {
				x.FixMessage = message
			}
			if m := x.Fields.For(fix); m != "" {
				x.FixMessage = m
			}
			x.Hint = "The API named the field to fix: " + termtext.Line(fix) + "."
		}
	}
	return x
}

// listedFieldErrors reads the per-field errors an answer lists in its
// detail, {"errors": [{"path": ..., "message": ...}]} as the demo API
// writes them, keeping those of fields isField knows (all when nil).
func listedFieldErrors(e *client.APIError, isField func(string) bool) model.ValidationErrors {
	detail, _ := e.Detail.(map[string]any)
	list, _ := detail["errors"].([]any)
	var out model.ValidationErrors
	for _, item := range list {
		fe, _ := item.(map[string]any)
		path, _ := fe["path"].(string)
		msg, _ := fe["message"].(string)
		if path != "" && msg != "" && (isField == nil || isField(path)) {
			out = append(out, model.FieldError{Path: termtext.LineN(path, 80), Message: termtext.Line(msg)})
		}
	}
	return out
}

// pathPattern finds things that look like field paths or header names in an
// API's message: "settings.unified_apis[0]", "x-apideck-consumer-id".
var pathPattern = regexp.MustCompile(`[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_]*)*`)

// fieldNamedIn returns the first field path in text that isField knows.
func fieldNamedIn(text string, isField func(string) bool) string {
	headers := map[string]string{"x-apideck-app-id": "app_id", "x-apideck-consumer-id": "consumer_id"}
	for _, tok := range pathPattern.FindAllString(strings.ToLower(text), -1) {
		if p, ok := headers[tok]; ok {
			return p
		}
		for _, p := range []string{tok, "settings." + tok, "theme." + tok, "consumer_metadata." + tok} {
			if (strings.Contains(p, "_") || strings.Contains(p, ".")) && isField(p) {
				return p
			}
		}
	}
	return ""
}

// allFailed says, for a request tried more than once, that every attempt
// failed: ", and all 4 attempts failed"; "" for one sent once.
func allFailed(attempts int) string {
	if attempts > 1 {
		return fmt.Sprintf(", and all %d attempts failed", attempts)
	}
	return ""
}

// detailLine is an answer's detail on one line, cut to a readable length.
func detailLine(e *client.APIError) string {
	switch d := e.Detail.(type) {
	case nil:
		return ""
	case string:
		return termtext.LineN(strings.TrimSpace(d), 300)
	default:
		var text strings.Builder
		enc := json.NewEncoder(&text)
		enc.SetEscapeHTML(false) // a detail reads as sent: <, > and & as they are
		if enc.Encode(d) != nil {
			return ""
		}
		return termtext.LineN(strings.TrimSpace(text.String()), 300)
	}
}

// Summary is the explanation as one paragraph: the headline, the detail
// on one line and the hint. The wizard shows it above the step a failure
// sends the user to.
func (x Explanation) Summary() string {
	s := x.Headline
	if x.detailLine != "" {
		s += " — " + x.detailLine
	}
	s += "."
	if x.Hint != "" {
		s += " " + x.Hint
	}
	return s
}

// Clause is the headline to follow "vault-session: ", as the command line
// writes its errors: with a small first letter, unless the first word is
// an acronym ("API key contains …").
func (x Explanation) Clause() string {
	r, size := utf8.DecodeRuneInString(x.Headline)
	next, _ := utf8.DecodeRuneInString(x.Headline[size:])
	if size == 0 || !unicode.IsUpper(r) || unicode.IsUpper(next) {
		return x.Headline
	}
	return string(unicode.ToLower(r)) + x.Headline[size:]
}

// sentence starts s with a capital letter.
func sentence(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 || !unicode.IsLower(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}

// statusText reads "404 Not Found".
func statusText(code int) string {
	status := fmt.Sprint(code)
	if text := http.StatusText(code); text != "" {
		status += " " + text
	}
	return status
}

// RetryWords say a failed attempt that is tried again, in the API's words,
// the count said once: "Attempt 2 of 4 failed: could not reach …" and
// "Trying again in 2s." The creating screen shows them on two lines, the
// plain prompts and create's log each as one.
func RetryWords(r client.Retry) (failed, again string) {
	return fmt.Sprintf("Attempt %d of %d failed: %s", r.Attempt, r.MaxAttempts, termtext.Line(r.Reason())),
		"Trying again in " + model.RoughDurationText(r.Wait) + "."
}
