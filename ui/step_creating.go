package ui

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// creatingView is the spinner while the request is in flight.
func (w *wizard) creatingView(width int) string {
	s := w.st.styles
	consumer := termtext.Line(w.st.req.ConsumerID)
	out := "\n  " + w.spinner.View() + " " + truncate("Creating a Vault session for "+consumer+" at "+w.st.apiTarget()+"…", width-4) + "\n"
	out += "    " + s.Hint.Render(truncate(w.elapsedText(), width-4)) + "\n"
	if r := w.retry; r != nil {
		// Say what failed and that it is being tried again, in the API's
		// words, rather than leave the spinner turning in silence.
		why := s.Warning.Width(max(10, width-4)).Render(fmt.Sprintf("⚠ Attempt %d of %d failed: %s", r.Attempt, r.MaxAttempts, termtext.Line(r.Err.Error())))
		again := s.Hint.Render(fmt.Sprintf("Trying again in %s (attempt %d of %d).", r.Wait.Round(100*time.Millisecond), r.Attempt+1, r.MaxAttempts))
		out += "\n" + indent(why, 4) + "\n    " + again + "\n"
	}
	return out + "\n  " + s.Hint.Render("esc cancels and brings you back to the review")
}

// elapsedText says how long the call has been waiting, and until when it
// will: the spinner alone does not tell a slow server from a stuck one.
// The spinner's ticks redraw it.
func (w *wizard) elapsedText() string {
	waited := max(0, w.now().Sub(w.createStarted)).Truncate(time.Second)
	text := "waiting " + waited.String()
	if w.st.timeout > 0 {
		text += " (gives up after " + shortDuration(w.st.timeout) + ")"
	}
	return text
}

// shortDuration writes whole minutes and hours as people do: 2m, not 2m0s.
func shortDuration(d time.Duration) string {
	if d < time.Minute || d%time.Minute != 0 {
		return d.String()
	}
	if d%time.Hour == 0 {
		return fmt.Sprintf("%dh", d/time.Hour)
	}
	if d < time.Hour {
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return fmt.Sprintf("%dh%dm", d/time.Hour, d%time.Hour/time.Minute)
}

// failureView shows why a request failed, in the API's own words, and where
// to fix it. Nothing typed is lost: the state is untouched.
type failureView struct {
	err error
	// fixStep and fixPath are where "fix" goes: the step of the field the
	// API named, Credentials for a 401, the review otherwise.
	fixStep int
	fixPath string
	// fields are the per-field errors the answer listed, if it did.
	fields model.ValidationErrors
}

// listedFieldErrors reads the per-field errors an answer lists in its
// detail, {"errors": [{"path": ..., "message": ...}]} as the demo API
// writes them, keeping those of fields a step edits.
func listedFieldErrors(apiErr *client.APIError, stepFor func(string) int) model.ValidationErrors {
	detail, _ := apiErr.Detail.(map[string]any)
	list, _ := detail["errors"].([]any)
	var out model.ValidationErrors
	for _, item := range list {
		e, _ := item.(map[string]any)
		path, _ := e["path"].(string)
		msg, _ := e["message"].(string)
		if path != "" && msg != "" && stepFor(path) >= 0 {
			out = append(out, fieldError(path, termtext.Line(msg)))
		}
	}
	return out
}

func newFailureView(err error, w *wizard) *failureView {
	f := &failureView{err: err, fixStep: stepReview}
	var apiErr *client.APIError
	if errors.As(err, &apiErr) {
		switch {
		case apiErr.StatusCode == http.StatusUnauthorized || apiErr.StatusCode == http.StatusForbidden:
			f.fixStep, f.fixPath = stepCredentials, "api_key"
		case apiErr.StatusCode == http.StatusNotFound && apiErr.NotFoundEntity() == "application":
			f.fixStep, f.fixPath = stepCredentials, "app_id"
		case apiErr.StatusCode == http.StatusNotFound:
			// The route was not found: the base URL is wrong, and only the
			// command line sets it.
		default:
			f.fields = listedFieldErrors(apiErr, w.stepFor)
			if len(f.fields) > 0 {
				f.fixStep, f.fixPath = w.stepFor(f.fields[0].Path), f.fields[0].Path
			} else if path := fieldNamedIn(apiErr.Message+"\n"+apiErr.DetailText(), w.stepFor); path != "" {
				f.fixStep, f.fixPath = w.stepFor(path), path
			}
		}
	}
	return f
}

// pathPattern finds things that look like field paths or header names in an
// API's message: "settings.unified_apis[0]", "x-apideck-consumer-id".
var pathPattern = regexp.MustCompile(`[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_]*)*`)

// fieldNamedIn returns the first field path in text that a step edits.
func fieldNamedIn(text string, stepFor func(string) int) string {
	headers := map[string]string{"x-apideck-app-id": "app_id", "x-apideck-consumer-id": "consumer_id"}
	for _, tok := range pathPattern.FindAllString(strings.ToLower(text), -1) {
		if p, ok := headers[tok]; ok {
			return p
		}
		for _, p := range []string{tok, "settings." + tok, "theme." + tok, "consumer_metadata." + tok} {
			if strings.Contains(p, "_") || strings.Contains(p, ".") {
				if stepFor(p) >= 0 {
					return p
				}
			}
		}
	}
	return ""
}

func (f *failureView) update(msg tea.Msg, w *wizard) tea.Cmd {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	keys := w.st.keys
	switch {
	case key.Matches(k, keys.Retry):
		return w.startCreate()
	case key.Matches(k, keys.Fix) && f.fixStep != stepReview:
		w.jumpTo(f.fixStep, f.fixPath)
		w.st.apiNote = f.summary()
		w.st.errs = nil
		switch {
		case len(f.fields) > 0:
			w.st.errs = errorsFor(f.fields, w.steps[f.fixStep].owns)
		case f.fixPath != "":
			if msg := f.fieldMessage(); msg != "" {
				w.st.errs = model.ValidationErrors{fieldError(f.fixPath, msg)}
			}
		}
	case key.Matches(k, keys.Back):
		w.jumpTo(stepReview, "")
	}
	return nil
}

func (f *failureView) bindings(k KeyMap) []key.Binding {
	review := key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "review"))
	if f.fixStep == stepReview {
		// Nothing to point at: the fix is wherever the user decides.
		return []key.Binding{k.Retry, review, k.Quit}
	}
	fix := key.NewBinding(key.WithKeys("enter", "f"), key.WithHelp("enter", "fix "+f.fixPath))
	if f.fixStep == stepCredentials {
		fix = key.NewBinding(key.WithKeys("enter", "f"), key.WithHelp("enter", "fix credentials"))
	}
	return []key.Binding{k.Retry, fix, review, k.Quit}
}

// summary is the one paragraph shown above the step the user is sent to:
// the API's words, its detail (a string, or an object on one line) too.
func (f *failureView) summary() string {
	var apiErr *client.APIError
	if errors.As(f.err, &apiErr) {
		msg := "The API said: " + termtext.Line(apiErr.Error())
		if d := detailLine(apiErr); d != "" {
			msg += " — " + d
		}
		return msg + ". Fix it here, then go on to the review and press enter."
	}
	return termtext.Text(f.err.Error())
}

// detailLine is an answer's detail on one line, cut to a readable length.
func detailLine(apiErr *client.APIError) string {
	switch d := apiErr.Detail.(type) {
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

// fieldMessage is the inline error for the field the API named.
func (f *failureView) fieldMessage() string {
	var apiErr *client.APIError
	if !errors.As(f.err, &apiErr) {
		return ""
	}
	if f.fixPath == "api_key" {
		return "the API refused this key (" + termtext.Line(apiErr.Message) + ")"
	}
	if f.fixPath == "app_id" && apiErr.StatusCode == http.StatusNotFound {
		return "the API knows no application with this ID (" + termtext.Line(apiErr.Message) + ")"
	}
	if d := detailLine(apiErr); d != "" {
		return d
	}
	return termtext.Line(apiErr.Message)
}

func (f *failureView) view(w *wizard, width int) (string, int) {
	s := w.st.styles
	var b strings.Builder
	// The box adds a border and padding of 4 cells and is indented by 2.
	inner := max(20, min(width-6, 92))
	var apiErr *client.APIError
	// Everything the answer says is the server's text: termtext shows its
	// escapes instead of letting the terminal obey them.
	if errors.As(f.err, &apiErr) {
		b.WriteString(s.Error.Bold(true).Render(termtext.Line(apiErr.Error())) + "\n")
		if d := apiErr.DetailText(); d != "" {
			b.WriteString("\n" + s.Label.Render("Detail") + "\n" + s.Code.Width(inner).Render(termtext.Text(d)) + "\n")
		}
		if apiErr.Ref != "" {
			b.WriteString("\n" + s.Label.Render("Documentation") + "  " + s.URL.Render(termtext.Line(apiErr.Ref)) + "\n")
		}
		if apiErr.StatusCode == http.StatusNotFound && f.fixStep == stepReview {
			b.WriteString("\n" + s.Hint.Width(inner).Render("The API has no such address: check the base URL (--base-url or APIDECK_BASE_URL).") + "\n")
		}
	} else {
		b.WriteString(s.Error.Bold(true).Width(inner).Render(termtext.Text(f.err.Error())) + "\n\n")
		b.WriteString(s.Hint.Width(inner).Render(failureHint(f.err)) + "\n")
	}
	b.WriteString("\n" + s.Hint.Render(fmt.Sprintf("Nothing you typed is lost. %s", f.advice(w))))
	return "\n" + indent(s.ErrorBox.Width(inner+2).Render(b.String()), 2), 0
}

// failureHint says what a failure that is not a refusal means, so the
// user looks in the right place: only a request that got no answer "did
// not reach the API".
func failureHint(err error) string {
	var redirect *client.RedirectError
	var proxy *client.ProxyError
	var invalid *client.InvalidResponseError
	switch {
	case errors.As(err, &redirect):
		return "The API answered with a redirect to another address. Your key was not sent there. Check the base URL."
	case errors.As(err, &proxy):
		return "The refusal came from the proxy between you and the API (HTTPS_PROXY): the request did not reach the API."
	case errors.As(err, &invalid):
		return "The API answered, but not with a usable session URL. Check that the base URL points at the Vault API."
	}
	return "The request did not reach the API or got no answer. Check your connection, or the base URL if you set one."
}

func (f *failureView) advice(w *wizard) string {
	switch {
	case f.fixStep == stepCredentials:
		return "enter takes you to Credentials; r tries again as is."
	case f.fixStep != stepReview:
		return fmt.Sprintf("enter takes you to %s to fix %s; r tries again as is.", w.steps[f.fixStep].title(), f.fixPath)
	}
	return "r tries again; esc goes back to the review."
}
