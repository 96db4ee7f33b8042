package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/keptfile"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/apideck-samples/vault-session/ui"
	"github.com/apideck-samples/vault-session/ui/failure"
)

// Exit codes: they mean the same for every command.
const (
	exitOK      = 0
	exitError   = 1 // the API refused the request, or the network failed
	exitUsage   = 2 // bad flags, unreadable or invalid session
	exitTimeout = 3 // watch: --timeout passed before --until held
	// 4, exitAttention (support.go): health and connections validate found
	// something that needs attention.
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
	var tooLarge *client.BodyTooLargeError
	var timedOut *watchTimedOutError
	var attention *attentionError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &timedOut):
		return exitTimeout
	case errors.As(err, &attention):
		return exitAttention
	case errors.Is(err, errInterrupted) || ctx.Err() != nil && errors.Is(err, context.Canceled):
		return exitInterrupted
	case errors.As(err, &usage), errors.As(err, &invalid), errors.As(err, &header), errors.As(err, &tooLarge):
		// A credential no header can carry is a mistake in the input too,
		// as is a body too large to send.
		return exitUsage
	}
	return exitError
}

// errInterrupted is returned when a signal ended the command.
var errInterrupted = errors.New("interrupted")

// stoppedError ends a command that runs until it is stopped (watch, logs
// --follow), or one that only reads, by Ctrl+C or SIGTERM: exit 130,
// saying what it stopped doing.
type stoppedError struct{ doing string }

func (e *stoppedError) Error() string { return "interrupted: stopped " + e.doing }
func (e *stoppedError) Unwrap() error { return errInterrupted }

// reportError writes err for people on w. A failed request is said in
// failure.Explain's words, the ones the wizard's failure screen and plain
// prompts use: the API's own message, detail and reference, made safe for
// a terminal, and a hint. The values a usage error or an invalid session
// quotes come from outside too.
func reportError(ctx context.Context, w io.Writer, err error) {
	var usage *usageError
	var invalid *invalidSessionError
	var afterSessions *interruptedAfterSessions
	var failed *failedRequest
	var attention *attentionError
	var batchStopped *batchStoppedError
	var stopped *stoppedError
	switch {
	case errors.As(err, &attention):
		// The command said what it found; the exit code says the rest.
	case errors.As(err, &afterSessions):
		fmt.Fprintf(w, "vault-session: %v\n", afterSessions)
	case errors.As(err, &batchStopped):
		fmt.Fprintf(w, "vault-session: %v\n", batchStopped)
	case errors.As(err, &stopped):
		fmt.Fprintf(w, "vault-session: interrupted; stopped %s\n", stopped.doing)
	case exitCode(ctx, err) == exitInterrupted:
		fmt.Fprintln(w, "vault-session: interrupted; no session was created")
	case errors.As(err, &invalid):
		fmt.Fprintln(w, "vault-session: the session is not valid:")
		for _, fe := range invalid.errs {
			fmt.Fprintf(w, "  %s: %s%s\n", termtext.Line(fe.Path), termtext.Line(fe.Message), headerHint(fe.Path))
		}
	case errors.As(err, &usage):
		fmt.Fprintf(w, "vault-session: %s\n", termtext.Text(usage.msg))
	case errors.As(err, &failed):
		reportFailure(w, failure.Explain(failed.err, failure.Options{Timeout: failed.timeout, IsField: ui.EditsField}))
	case failure.Explains(err):
		reportFailure(w, failure.Explain(err, failure.Options{IsField: ui.EditsField}))
	default:
		fmt.Fprintf(w, "vault-session: %s\n", termtext.Text(keptfile.ErrorText(err)))
	}
}

// failedRequest is a request the API or the network failed, with the
// bound (--timeout) it ran under, which the explanation names.
type failedRequest struct {
	err     error
	timeout time.Duration
}

func (e *failedRequest) Error() string { return e.err.Error() }
func (e *failedRequest) Unwrap() error { return e.err }

// reportFailure writes an explanation line by line. Every part is the
// explanation's, already made safe; the detail and the body, where line
// breaks are meant, are indented under their label.
func reportFailure(w io.Writer, x failure.Explanation) {
	fmt.Fprintf(w, "vault-session: %s\n", x.Clause())
	if x.Detail != "" {
		fmt.Fprintf(w, "  detail: %s\n", indentAfterFirst(x.Detail, "    "))
	}
	if x.Ref != "" {
		fmt.Fprintf(w, "  ref: %s\n", x.Ref)
	}
	if x.Body != "" {
		fmt.Fprintf(w, "  body: %s\n", indentAfterFirst(x.Body, "    "))
	}
	for _, fe := range x.Fields {
		fmt.Fprintf(w, "  %s: %s\n", fe.Path, fe.Message)
	}
	if x.Hint != "" {
		fmt.Fprintf(w, "  hint: %s\n", x.Hint)
	}
	if where := settingOf(x.Fix); where != "" {
		fmt.Fprintf(w, "  fix: %s\n", where)
	}
}

// settingOf says where the command line sets the field a failure names.
func settingOf(path string) string {
	switch path {
	case "":
		return ""
	case "api_key":
		return "--api-key or " + envAPIKey
	case "app_id":
		return "--app-id or " + envAppID
	case "consumer_id":
		return "--consumer-id or " + envConsumerID
	}
	return termtext.Line(path) + " (its flag, or --from's file)"
}

// headerHint says where the two identifying headers come from.
func headerHint(path string) string {
	if path == "app_id" || path == "consumer_id" {
		return " (" + settingOf(path) + ")"
	}
	return ""
}

func indentAfterFirst(text, indent string) string {
	return strings.ReplaceAll(text, "\n", "\n"+indent)
}
