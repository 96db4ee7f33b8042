package batchview

import (
	"fmt"
	"io"
	"strings"

	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/apideck-samples/vault-session/theme"
	"github.com/apideck-samples/vault-session/ui/batchrun"
)

// PerRowUpTo is the largest batch said row by row; a larger one is said
// every PerRowUpTo rows (and at each failure), so a log of 10,000 rows
// reads in a hundred lines.
const PerRowUpTo = 100

// Plain says the batch in plain lines, for a log, a pipe or the plain
// prompts (no cursor movement, no colour). Give its Observe to the runner.
type Plain struct {
	W        io.Writer
	Progress func() batchrun.Progress
	// Total is the rows this run sends, which picks row by row or every
	// PerRowUpTo.
	Total int
	seen  int
}

// Observe says one outcome; the runner calls it one row at a time.
func (p *Plain) Observe(o batchrun.Outcome) {
	if o.Kind == batchrun.Skipped || o.Kind == batchrun.Invalid || o.Kind == batchrun.Uncertain {
		return // said before the batch starts: the skips counted, the problems and uncertain rows listed
	}
	p.seen++
	rowByRow := p.Total <= PerRowUpTo
	switch {
	case o.Kind == batchrun.Failed:
		fmt.Fprintf(p.W, "%s: failed: %s\n", rowName(o), termtext.Line(oneLine(o.Err.Error())))
	case rowByRow:
		line := rowName(o) + ": created"
		if !o.Result.ExpiresAt.IsZero() {
			line += ", expires " + o.Result.ExpiresAt.UTC().Format("2006-01-02 15:04 MST")
		}
		fmt.Fprintln(p.W, line)
	}
	if !rowByRow && p.seen%PerRowUpTo == 0 && p.Progress != nil {
		pr := p.Progress()
		fmt.Fprintf(p.W, "%d/%d: %s\n", pr.Created+pr.Failed, pr.ToSend, StatusLine(pr, theme.Styles{}))
	}
}

func rowName(o batchrun.Outcome) string {
	return fmt.Sprintf("row %d (line %d) %s", o.Row, o.Line, termtext.LineN(o.ConsumerID, 80))
}

// oneLine puts a message that spans lines (an API's detail) on one.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
