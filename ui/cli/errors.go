package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/termtext"
)

// Exit codes: they mean the same for every command.
const (
	exitOK          = 0
	exitError       = 1   // the API refused the request, or the network failed
	exitUsage       = 2   // bad flags, unreadable or invalid session
	exitTimeout     = 3   // watch: --timeout passed before --until held
	exitInterrupted = 130 // SIGINT or SIGTERM
)

// usageError is a mistake in how the command was called.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// invalidSessionError lists every field that would be refused.
type invalidSessionError struct{ errs model.ValidationErrors }

func (e *invalidSessionError) Error() string { return "the session is not valid" }

// exitCode maps an error a command returned to the process's exit code.
func exitCode(ctx context.Context, err error) int {
	var usage *usageError
	var invalid *invalidSessionError
	var header *client.HeaderError
	var timedOut *watchTimedOutError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &timedOut):
		return exitTimeout
	case errors.Is(err, errInterrupted) || ctx.Err() != nil && errors.Is(err, context.Canceled):
		return exitInterrupted
	case errors.As(err, &usage), errors.As(err, &invalid), errors.As(err, &header):
		// A credential no header can carry is a mistake in the input too.
		return exitUsage
	}
	return exitError
}

// errInterrupted is returned when a signal ended the command.
var errInterrupted = errors.New("interrupted")

// reportError writes err for people on w. The API's own message, detail and
// reference are printed in its words, made safe for a terminal: they say
// what to fix, and they come from outside, as do the values a usage error
// or an invalid session quotes.
func reportError(ctx context.Context, w io.Writer, err error) {
	var usage *usageError
	var invalid *invalidSessionError
	var apiErr *client.APIError
	var invalidAnswer *client.InvalidResponseError
	var afterSessions *interruptedAfterSessions
	switch {
	case errors.As(err, &afterSessions):
		fmt.Fprintf(w, "vault-session: %v\n", afterSessions)
	case errors.Is(err, errWatchInterrupted):
		fmt.Fprintln(w, "vault-session: interrupted; stopped watching")
	case exitCode(ctx, err) == exitInterrupted:
		fmt.Fprintln(w, "vault-session: interrupted; no session was created")
	case errors.As(err, &invalid):
		fmt.Fprintln(w, "vault-session: the session is not valid:")
		for _, fe := range invalid.errs {
			fmt.Fprintf(w, "  %s: %s%s\n", termtext.Line(fe.Path), termtext.Line(fe.Message), headerHint(fe.Path))
		}
	case errors.As(err, &usage):
		fmt.Fprintf(w, "vault-session: %s\n", termtext.Text(usage.msg))
	case errors.As(err, &apiErr):
		reportAPIError(w, apiErr)
	case errors.As(err, &invalidAnswer):
		// The API did answer: saying it could not be reached would send
		// the user after the wrong problem.
		fmt.Fprintf(w, "vault-session: the API answered %s but not with a usable session: %s\n",
			statusText(invalidAnswer.StatusCode), termtext.Line(invalidAnswer.Problem))
		fmt.Fprintln(w, "  hint: check --base-url (or "+envBaseURL+") points at the Vault API")
	default:
		fmt.Fprintf(w, "vault-session: %s\n", termtext.Text(err.Error()))
	}
}

// statusText reads "404 Not Found".
func statusText(code int) string {
	status := fmt.Sprintf("%d", code)
	if text := http.StatusText(code); text != "" {
		status += " " + text
	}
	return status
}

// reportAPIError writes a refusal field by field. Every field is the
// server's text: one-line fields go through termtext.Line, so a newline in
// a message cannot forge a line of its own, and the detail and body, where
// line breaks are meant, through termtext.Text.
func reportAPIError(w io.Writer, e *client.APIError) {
	fmt.Fprintf(w, "vault-session: the API refused the request (%s)\n", statusText(e.StatusCode))
	if e.Message != "" {
		fmt.Fprintf(w, "  message: %s\n", termtext.Line(e.Message))
	} else if e.ErrorText != "" {
		fmt.Fprintf(w, "  error: %s\n", termtext.Line(e.ErrorText))
	}
	if detail := strings.TrimSpace(e.DetailText()); detail != "" {
		fmt.Fprintf(w, "  detail: %s\n", indentAfterFirst(termtext.Text(detail), "    "))
	}
	if e.Ref != "" {
		fmt.Fprintf(w, "  ref: %s\n", termtext.Line(e.Ref))
	}
	if e.Message == "" && e.ErrorText == "" && len(e.Body) > 0 {
		// Not the API's error shape (a proxy's page, say): show the start.
		body := strings.TrimSpace(string(e.Body))
		if len(body) > 500 {
			cut := 500
			for cut > 0 && !utf8.RuneStart(body[cut]) { // not inside a character
				cut--
			}
			body = body[:cut] + "..."
		}
		fmt.Fprintf(w, "  body: %s\n", indentAfterFirst(termtext.Text(body), "    "))
	}
	if hint := statusHint(e); hint != "" {
		fmt.Fprintf(w, "  hint: %s\n", hint)
	}
}

// headerHint says where the two identifying headers come from.
func headerHint(path string) string {
	switch path {
	case "app_id":
		return " (--app-id or " + envAppID + ")"
	case "consumer_id":
		return " (--consumer-id or " + envConsumerID + ")"
	}
	return ""
}

// statusHint says where to look. A 404 follows what the API says was not
// found: an unknown application is the app ID's fault; anything else (or
// no word on it) means the request went to the wrong place.
func statusHint(e *client.APIError) string {
	switch e.StatusCode {
	case http.StatusUnauthorized:
		return "check the API key (--api-key or " + envAPIKey + ")"
	case http.StatusForbidden:
		return "check the app ID (--app-id or " + envAppID + ") belongs to the API key"
	case http.StatusNotFound:
		if e.NotFoundEntity() == "application" {
			return "check the app ID (--app-id or " + envAppID + ")"
		}
		return "check --base-url (or " + envBaseURL + ")"
	case http.StatusProxyAuthRequired:
		return "the answer came from a proxy between here and the API: check HTTPS_PROXY and its credentials"
	}
	return ""
}

func indentAfterFirst(text, indent string) string {
	return strings.ReplaceAll(text, "\n", "\n"+indent)
}
