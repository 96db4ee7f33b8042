package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/apideck-samples/vault-session/model/store"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/spf13/cobra"
)

// historyJob is `vault-session history`'s flags.
type historyJob struct {
	consumer string
	output   string
	limit    int
}

// newHistoryCmd is `vault-session history`.
func newHistoryCmd(a *app) *cobra.Command {
	var job historyJob
	cmd := &cobra.Command{
		Use:   "history [--consumer ID] [--output text|json]",
		Short: "list the sessions created, newest first (never their URLs)",
		Long: `Lists the sessions created, newest first: when, consumer, account, unified
APIs, length, expiry, preset and API host. Never the key, the token or the URL.
The file is $XDG_STATE_HOME/vault-session/history.jsonl (default
~/.local/state/vault-session/history.jsonl), one JSON object a line.

'vault-session create --again ID' sends a consumer's last body again.
--no-history or VAULT_SESSION_NO_HISTORY=1 stops new sessions being added.`,
		Example: `  # The last ten sessions
  vault-session history --limit 10

  # One consumer's sessions, as JSON
  vault-session history --consumer acme-42 --output json`,
		Annotations: map[string]string{
			annotationExitCodes: "0 listed, 2 bad usage or no home for the history.",
		},
		Args: noArgs(a),
		RunE: func(*cobra.Command, []string) error { return a.runHistory(job) },
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	fs.StringVar(&job.consumer, "consumer", "", "only this consumer's sessions")
	registerOutput(fs, &job.output, "text (default) or json (an array, one object a line)")
	fs.IntVar(&job.limit, "limit", 0, "at most N sessions (0: all)")
	setArg(fs, "consumer", "ID")
	setArg(fs, "limit", "N")
	return cmd
}

// runHistory prints the sessions created so far, newest first: who got a
// link and when, never the link.
func (a *app) runHistory(job historyJob) error {
	format, err := parseOutputOf(job.output, outputText, outputJSON)
	if err != nil {
		return err
	}
	if job.limit < 0 {
		return &usageError{msg: "--limit must be positive (0 shows everything)"}
	}
	st := a.openStore()
	if st == nil {
		return &usageError{msg: "the history has no home here: set XDG_STATE_HOME"}
	}
	if store.HistoryDisabled(a.getenv) {
		fmt.Fprintf(a.streams.ErrOut, "note: %s is set: new sessions are not added to the history\n", store.EnvNoHistory)
	}
	// The history is walked newest first, a block at a time, and each
	// entry printed as it comes: memory does not grow with the file.
	table := &historyTable{w: a.streams.Out, loc: a.now().Location()}
	if w, _, ok := a.streams.TerminalSize(); ok && a.streams.IsStdoutTTY() {
		// A terminal would wrap a row wider than itself in the middle:
		// the table is laid out to its width instead.
		table.width = w
	}
	var list historyList = table
	if format == outputJSON {
		list = historyJSON{newJSONArray(a.streams.Out)}
	}
	shown := 0
	var writeErr error
	problems := st.WalkHistory(store.HistoryQuery{ConsumerID: job.consumer, Bodies: format == outputJSON}, func(e store.Entry) bool {
		if writeErr = list.add(e); writeErr != nil {
			return false
		}
		shown++
		return shown != job.limit
	})
	a.warn(problems...)
	if writeErr != nil {
		return writeErr
	}
	if shown == 0 && format == outputText {
		what := "No sessions"
		if job.consumer != "" {
			what = fmt.Sprintf("No sessions for %s", termtext.Line(job.consumer))
		}
		fmt.Fprintf(a.streams.Out, "%s in the history (%s).\n", what, termtext.Line(st.HistoryPath()))
		return nil
	}
	if err := list.end(); err != nil {
		return err
	}
	if left := table.leftOut(); len(left) > 0 {
		fmt.Fprintf(a.streams.ErrOut, "note: %s left out for %d columns; --output json has all\n", strings.Join(left, ", "), table.width)
	}
	return nil
}

// historyList prints entries one at a time.
type historyList interface {
	add(store.Entry) error
	end() error
}

// historyJSON prints the entries as one JSON array, an element at a time.
type historyJSON struct{ array *jsonArray }

func (h historyJSON) add(e store.Entry) error { return h.array.add(e) }

func (h historyJSON) end() error { return h.array.end("\n") }

// historyTable prints the entries as a table, historyTableBlock rows at a
// time: the columns are as wide as the widest cell so far (they only ever
// grow), so the first screenful is aligned as a whole table would be and
// memory holds one block, not the history.
type historyTable struct {
	w      io.Writer
	loc    *time.Location
	rows   [][]string
	widths []int
	begun  bool
	// width is the terminal's, 0 for a pipe or a file: rows wider are
	// fitted (fitColumns) rather than wrapped by the terminal.
	width int
	// dropped is how many columns of historyDropOrder are left out; it
	// only grows, as the widths do.
	dropped int
}

// The history table's columns, in order.
const (
	colCreated = iota
	colConsumer
	colAccount
	colAPIs
	colLength
	colExpires
	colPreset
	colAPI
)

// historyHeader names the columns.
var historyHeader = []string{"CREATED", "CONSUMER", "ACCOUNT", "UNIFIED APIS", "LENGTH", "EXPIRES", "PRESET", "API"}

// historyShrinkable are the columns cut short (with "…") before any is
// left out, to at least historyMinWidth: the consumer ID and the times
// are never cut.
var historyShrinkable = []int{colAccount, colAPIs, colPreset, colAPI}

// historyDropOrder is the order columns are left out in when cutting the
// others short is not enough.
var historyDropOrder = []int{colPreset, colAPI, colLength, colExpires, colAccount}

// historyMinWidth is the narrowest a column is cut to.
const historyMinWidth = 8

// historyTableBlock is how many rows are laid out together.
const historyTableBlock = 256

func (h *historyTable) add(e store.Entry) error {
	if !h.begun {
		h.begun = true
		h.rows = append(h.rows, historyHeader)
	}
	expires, apis, api := sessionCells(e.ExpiresAt, e.UnifiedAPIs, e.APIHost, e.Demo, h.loc)
	h.rows = append(h.rows, []string{e.Time.In(h.loc).Format(sessionTimeLayout), cell(e.ConsumerID), cell(e.AccountName),
		apis, cell(e.SessionLength), expires, cell(e.Preset), api})
	if len(h.rows) < historyTableBlock {
		return nil
	}
	return h.flush()
}

func (h *historyTable) end() error { return h.flush() }

// flush prints the rows held, each cell but the last padded to its
// column's width and two spaces, as text/tabwriter lays out a table.
func (h *historyTable) flush() error {
	for _, row := range h.rows {
		for i, c := range row {
			if i == len(h.widths) {
				h.widths = append(h.widths, 0)
			}
			h.widths[i] = max(h.widths[i], utf8.RuneCountInString(c))
		}
	}
	widths := h.widths
	if h.width > 0 {
		widths, h.dropped = fitColumns(h.widths, h.width, h.dropped)
	}
	var b strings.Builder
	for _, row := range h.rows {
		var line strings.Builder
		last := lastShown(widths)
		for i, c := range row {
			if widths[i] == 0 {
				continue
			}
			c = cutCell(c, widths[i])
			line.WriteString(c)
			if i < last {
				line.WriteString(strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c)+2))
			}
		}
		text := line.String()
		if h.width > 0 {
			// The consumer ID alone may be wider than the terminal.
			text = cutCell(text, h.width)
		}
		b.WriteString(text)
		b.WriteByte('\n')
	}
	h.rows = h.rows[:0]
	_, err := io.WriteString(h.w, b.String())
	return err
}

// leftOut names the columns the terminal had no room for.
func (h *historyTable) leftOut() []string {
	var out []string
	for _, c := range historyDropOrder[:h.dropped] {
		out = append(out, historyHeader[c])
	}
	return out
}

// fitColumns fits columns of natural widths into width with two spaces
// between them: the shrinkable ones are cut, widest first, down to
// historyMinWidth; when that is not enough, columns are left out in
// historyDropOrder (from the dropped first ones on) and the rest laid out
// again. A column left out has width 0.
func fitColumns(natural []int, width, dropped int) ([]int, int) {
	for ; ; dropped++ {
		widths := slices.Clone(natural)
		for _, c := range historyDropOrder[:dropped] {
			widths[c] = 0
		}
		for rowWidth(widths) > width {
			widest := -1
			for _, c := range historyShrinkable {
				if widths[c] > max(historyMinWidth, utf8.RuneCountInString(historyHeader[c])) && (widest < 0 || widths[c] > widths[widest]) {
					widest = c
				}
			}
			if widest < 0 {
				break
			}
			widths[widest]--
		}
		if rowWidth(widths) <= width || dropped == len(historyDropOrder) {
			return widths, dropped
		}
	}
}

// rowWidth is the width of a row of columns of widths (0: left out).
func rowWidth(widths []int) int {
	total, n := 0, 0
	for _, w := range widths {
		if w > 0 {
			total += w
			n++
		}
	}
	return total + 2*max(0, n-1)
}

// lastShown is the index of the last column shown.
func lastShown(widths []int) int {
	for i := len(widths) - 1; i >= 0; i-- {
		if widths[i] > 0 {
			return i
		}
	}
	return -1
}

// cutCell shortens s to width runes, ending with "…" when cut.
func cutCell(s string, width int) string {
	if utf8.RuneCountInString(s) <= width {
		return s
	}
	r := []rune(s)
	return string(r[:max(0, width-1)]) + "…"
}

// cell is one value of a table row: safe for the terminal, on one line,
// "-" when empty.
func cell(s string) string {
	if s == "" {
		return "-"
	}
	return termtext.LineN(s, 60) // tabs become \t: the columns hold
}

// sessionCells are what the tables of sessions (history, audit) say of
// one: when it expires (in loc), its unified APIs and the API it was
// created on.
func sessionCells(expiresAt *time.Time, unifiedAPIs []string, apiHost string, demo bool, loc *time.Location) (expires, apis, api string) {
	expires = "-"
	if expiresAt != nil {
		expires = expiresAt.In(loc).Format(sessionTimeLayout)
	}
	apis = "all"
	if len(unifiedAPIs) > 0 {
		apis = strings.Join(unifiedAPIs, ",")
	}
	api = apiHost
	if demo {
		api = "demo"
	}
	return expires, cell(apis), cell(api)
}

// sessionTimeLayout is a time in the tables of sessions.
const sessionTimeLayout = "2006-01-02 15:04"
