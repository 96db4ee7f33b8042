package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
)

// Exit codes: they mean the same for every command.
const (
	exitOK          = 0
	exitError       = 1   // the API refused the request, or the network failed
	exitUsage       = 2   // bad flags, unreadable or invalid session
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
	switch {
	case err == nil:
		return exitOK
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
// reference are printed verbatim: they say what to fix.
func reportError(ctx context.Context, w io.Writer, err error) {
	var usage *usageError
	var invalid *invalidSessionError
	var apiErr *client.APIError
	switch {
	case exitCode(ctx, err) == exitInterrupted:
		fmt.Fprintln(w, "vault-session: interrupted; no session was created")
	case errors.As(err, &invalid):
		fmt.Fprintln(w, "vault-session: the session is not valid:")
		for _, fe := range invalid.errs {
			fmt.Fprintf(w, "  %s: %s%s\n", fe.Path, fe.Message, headerHint(fe.Path))
		}
	case errors.As(err, &usage):
		fmt.Fprintf(w, "vault-session: %s\n", usage.msg)
	case errors.As(err, &apiErr):
		reportAPIError(w, apiErr)
	default:
		fmt.Fprintf(w, "vault-session: %v\n", err)
	}
}

func reportAPIError(w io.Writer, e *client.APIError) {
	status := fmt.Sprintf("%d", e.StatusCode)
	if text := http.StatusText(e.StatusCode); text != "" {
		status += " " + text
	}
	fmt.Fprintf(w, "vault-session: the API refused the request (%s)\n", status)
	if e.Message != "" {
		fmt.Fprintf(w, "  message: %s\n", e.Message)
	} else if e.ErrorText != "" {
		fmt.Fprintf(w, "  error: %s\n", e.ErrorText)
	}
	if detail := strings.TrimSpace(e.DetailText()); detail != "" {
		fmt.Fprintf(w, "  detail: %s\n", indentAfterFirst(detail, "    "))
	}
	if e.Ref != "" {
		fmt.Fprintf(w, "  ref: %s\n", e.Ref)
	}
	if e.Message == "" && e.ErrorText == "" && len(e.Body) > 0 {
		// Not the API's error shape (a proxy's page, say): show the start.
		body := strings.TrimSpace(string(e.Body))
		if len(body) > 500 {
			body = body[:500] + "..."
		}
		fmt.Fprintf(w, "  body: %s\n", indentAfterFirst(body, "    "))
	}
	if hint := statusHint(e.StatusCode); hint != "" {
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

func statusHint(status int) string {
	switch status {
	case http.StatusUnauthorized:
		return "check the API key (--api-key or " + envAPIKey + ")"
	case http.StatusForbidden:
		return "check the app ID (--app-id or " + envAppID + ") belongs to the API key"
	case http.StatusNotFound:
		return "check --base-url (or " + envBaseURL + ")"
	}
	return ""
}

func indentAfterFirst(text, indent string) string {
	return strings.ReplaceAll(text, "\n", "\n"+indent)
}
