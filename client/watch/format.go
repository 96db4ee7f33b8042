package watch

import (
	"fmt"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
)

// Row is one connection as the watch table shows it, column by column.
// The cells hold the API's text: a terminal shows them through
// model/termtext.
type Row struct {
	Integration string
	UnifiedAPI  string
	State       string
	Health      string
	Enabled     string
	Since       string
}

// Headers are the table's column titles, in Row's order.
func Headers() Row {
	return Row{"INTEGRATION", "UNIFIED API", "STATE", "HEALTH", "ENABLED", "SINCE"}
}

// Cells returns the row's cells in order.
func (r Row) Cells() []string {
	return []string{r.Integration, r.UnifiedAPI, r.State, r.Health, r.Enabled, r.Since}
}

// RowOf describes c as of now. Values the API left out read "—".
func RowOf(c client.Connection, now time.Time) Row {
	return Row{
		Integration: c.DisplayName(),
		UnifiedAPI:  APIName(c.UnifiedAPI),
		State:       dash(string(c.State)),
		Health:      dash(string(c.Health)),
		Enabled:     enabledCell(c.Enabled),
		Since:       SinceText(c.Since(), now),
	}
}

// APIName is the unified API's display name ("CRM"), or its id when the
// catalogue does not know it.
func APIName(id string) string {
	if name, ok := model.UnifiedAPIName(id); ok {
		return name
	}
	return dash(id)
}

func enabledCell(b *bool) string {
	switch {
	case b == nil:
		return "—"
	case *b:
		return "yes"
	}
	return "no"
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// SinceText says how long ago t was, coarsely: "just now", "42s ago",
// "5m ago", "3h ago", "2d ago"; "—" for an unknown time. A time ahead of
// now (clocks differ) reads "just now".
func SinceText(t, now time.Time) string {
	if t.IsZero() {
		return "—"
	}
	d := now.Sub(t)
	switch {
	case d < 5*time.Second:
		return "just now"
	case d < time.Minute:
		return fmt.Sprintf("%ds ago", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh ago", int(d/time.Hour))
	}
	return fmt.Sprintf("%dd ago", int(d/(24*time.Hour)))
}

// Subject names a connection in a log line: "Salesforce (CRM)".
func Subject(c client.Connection) string {
	return c.DisplayName() + " (" + APIName(c.UnifiedAPI) + ")"
}

// LogLine is a change as the log shows it:
// "15:04:12 Salesforce (CRM): authorized → callable", in at's time zone.
func LogLine(at time.Time, ch Change) string {
	return at.Format("15:04:05") + " " + Subject(ch.Connection) + ": " + ch.Describe()
}

// StatusLine is a connection's standing, for the first poll of a watch:
// "15:04:07 Salesforce (CRM): callable, health ok".
func StatusLine(at time.Time, c client.Connection) string {
	return at.Format("15:04:05") + " " + Subject(c) + ": " + describeStatus(StatusOf(c))
}

// BecameCallable reports whether a change brought a connection to
// callable, the moment a watcher rings the bell for.
func (ch Change) BecameCallable() bool {
	return ch.To.State == client.StateCallable && ch.From.State != client.StateCallable
}
