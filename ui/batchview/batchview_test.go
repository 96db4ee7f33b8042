package batchview

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model/batch"
	"github.com/apideck-samples/vault-session/theme"
	"github.com/apideck-samples/vault-session/ui/batchrun"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"
)

var start = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)

// screen drives a Model with progress p (changed by the test between
// steps) on a 60-column terminal.
type screen struct {
	t       *testing.T
	m       tea.Model
	p       batchrun.Progress
	stopped int
}

func newScreen(t *testing.T, dark bool) *screen {
	r := lipgloss.NewRenderer(&bytes.Buffer{})
	r.SetColorProfile(termenv.TrueColor)
	r.SetHasDarkBackground(dark)
	s := &screen{t: t}
	s.m = New(Options{Renderer: r, Progress: func() batchrun.Progress { return s.p },
		Stop: func() { s.stopped++ }, Abandon: func() { s.stopped += 10 },
		Now: func() time.Time { return start.Add(30 * time.Second) }})
	s.send(tea.WindowSizeMsg{Width: 60, Height: 20})
	return s
}

func (s *screen) send(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	s.m, cmd = s.m.Update(msg)
	return cmd
}

func (s *screen) golden(name string) {
	s.t.Helper()
	golden.RequireEqual(namedGolden{s.t, name}, []byte(ansi.Strip(s.m.View())))
}

// namedGolden makes golden.RequireEqual read testdata/<name>.golden.
type namedGolden struct {
	*testing.T
	name string
}

func (n namedGolden) Name() string { return n.name }

func TestProgressScreen(t *testing.T) {
	s := newScreen(t, true)
	s.p = batchrun.Progress{Rows: 1000, ToSend: 990, Skipped: 10, Started: start}
	s.send(tickMsg{})
	s.golden("batch-start")

	s.p.Created, s.p.Failed, s.p.Rate = 412, 3, 4
	s.p.LastError = "row 17 (acme-17): 422 Unprocessable Entity: email is taken"
	s.p.HeldUntil = start.Add(32 * time.Second)
	s.send(tickMsg{})
	s.golden("batch-running")

	s.send(tea.KeyMsg{Type: tea.KeyCtrlC})
	if s.stopped != 1 {
		t.Fatalf("the first Ctrl+C stopped %d times", s.stopped)
	}
	s.p.InFlight = 4
	s.p.HeldUntil = time.Time{}
	s.send(tickMsg{})
	s.golden("batch-stopping")
	s.send(tea.KeyMsg{Type: tea.KeyCtrlC})
	if s.stopped != 11 {
		t.Fatalf("the second Ctrl+C did not abandon: %d", s.stopped)
	}

	s.p.Created, s.p.Failed, s.p.InFlight = 987, 3, 0
	cmd := s.send(Finished{Summary: "Done in 4m8s: 987 created, 3 failed.\n"})
	if cmd == nil || fmt.Sprint(cmd()) != fmt.Sprint(tea.Quit()) {
		t.Error("Finished does not quit")
	}
	s.golden("batch-finished")
}

// Rows held back as uncertain are counted under the bar, and the last
// frame, which stays on the screen, wraps a summary wider than the
// terminal instead of losing its end.
func TestFinishedScreenKeepsTheWholeSummary(t *testing.T) {
	s := newScreen(t, true)
	s.p = batchrun.Progress{Rows: 30, ToSend: 22, Created: 22, Skipped: 4, Uncertain: 4}
	s.send(Finished{Summary: "Done in 639ms: 22 created, 0 failed, 4 skipped (created in an earlier run), 4 uncertain (not sent), 34.4 requests a second.\n"})
	view := ansi.Strip(s.m.View())
	words := strings.Join(strings.Fields(view), " ")
	if !strings.Contains(words, "4 done before · 4 uncertain, not sent") || !strings.Contains(words, "(not sent), 34.4 requests a second.") {
		t.Errorf("the last frame:\n%s", view)
	}
	for _, l := range strings.Split(view, "\n") {
		if w := ansi.StringWidth(l); w > 60 {
			t.Errorf("a line of %d cells on a 60-column terminal: %q", w, l)
		}
	}
}

// The bar is drawn in the wizard's accent on either background.
func TestProgressBarUsesThePalette(t *testing.T) {
	for _, dark := range []bool{true, false} {
		s := newScreen(t, dark)
		s.p = batchrun.Progress{ToSend: 10, Created: 5}
		s.send(tickMsg{})
		accent := "a5b4fc"
		if !dark {
			accent = "5d50ce"
		}
		// The bar's first cell: its colour, as the bar rounds it.
		var r, g, b uint64
		if _, err := fmt.Sscanf(s.m.View(), "\x1b[38;2;%d;%d;%dm█", &r, &g, &b); err != nil {
			t.Fatalf("dark=%v: no coloured bar: %v\n%q", dark, err, s.m.View())
		}
		wr, wg, wb := hexRGB(accent)
		if diff(r, wr) > 2 || diff(g, wg) > 2 || diff(b, wb) > 2 {
			t.Errorf("dark=%v: the bar is %d,%d,%d, not the accent %s", dark, r, g, b, accent)
		}
	}
}

func diff(a, b uint64) uint64 { return max(a, b) - min(a, b) }

func hexRGB(h string) (r, g, b uint64) {
	r, _ = strconv.ParseUint(h[0:2], 16, 8)
	g, _ = strconv.ParseUint(h[2:4], 16, 8)
	b, _ = strconv.ParseUint(h[4:6], 16, 8)
	return r, g, b
}

func TestPlainLines(t *testing.T) {
	var out bytes.Buffer
	p := &Plain{W: &out, Total: 3}
	exp := start.Add(time.Hour)
	p.Observe(batchrun.Outcome{Kind: batchrun.Created, Row: 1, Line: 2, ConsumerID: "acme-1", Result: client.Result{ExpiresAt: exp}})
	p.Observe(batchrun.Outcome{Kind: batchrun.Skipped, Row: 2, Line: 3, ConsumerID: "acme-2"})
	p.Observe(batchrun.Outcome{Kind: batchrun.Failed, Row: 3, Line: 5, ConsumerID: "acme-\x1b[31m3", Err: errors.New("422: taken\nsecond line")})
	p.Observe(batchrun.Outcome{Kind: batchrun.Invalid, Row: 4, Line: 6, ConsumerID: "x", Problems: []batch.Problem{{Field: "email", Message: "bad"}, {Message: "2 values"}}})
	want := "row 1 (line 2) acme-1: created, expires 2026-11-26 11:00 UTC\n" +
		"row 3 (line 5) acme-\\x1b[31m3: failed: 422: taken second line\n"
	if out.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", out.String(), want)
	}

	// A large batch: a line per hundred rows, and every failure.
	out.Reset()
	n := 0
	p = &Plain{W: &out, Total: 250, Progress: func() batchrun.Progress {
		return batchrun.Progress{ToSend: 250, Created: n - 1, Failed: 1, Rate: 10}
	}}
	for n = 1; n <= 250; n++ {
		kind := batchrun.Created
		var err error
		if n == 150 {
			kind, err = batchrun.Failed, errors.New("500")
		}
		p.Observe(batchrun.Outcome{Kind: kind, Row: n, Line: n + 1, ConsumerID: "c", Err: err})
	}
	want = "100/250: 99 created · 1 failed · 150 left · 10.0/s · about 15s left\n" +
		"row 150 (line 151) c: failed: 500\n" +
		"200/250: 199 created · 1 failed · 50 left · 10.0/s · about 5s left\n"
	if out.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", out.String(), want)
	}
}

// The time left is written as the rest of the program writes durations
// (model.RoughDurationText), not by a formatter of batch's own ("2m05s").
func TestStatusLineWritesTimeLeftAsTheProgramDoes(t *testing.T) {
	for remaining, want := range map[int]string{
		125:  "about 2m5s left",
		3740: "about 1h2m left",
		41:   "about 41s left",
	} {
		p := batchrun.Progress{ToSend: remaining, Rate: 1}
		if got := StatusLine(p, theme.Styles{}); !strings.HasSuffix(got, " · "+want) {
			t.Errorf("%d rows left at 1/s: %q, want it to end %q", remaining, got, want)
		}
	}
}

// TestTheBarKeepsItsWidthAsTheCountGrows: on a terminal too narrow for
// the bar's 60 cells, a count gaining a digit (9/200, 10/200, 100/200)
// does not shrink the bar by a cell.
func TestTheBarKeepsItsWidthAsTheCountGrows(t *testing.T) {
	s := newScreen(t, true)
	s.send(tea.WindowSizeMsg{Width: 40, Height: 20})
	var bars []string
	for _, done := range []int{0, 9, 10, 99, 100, 200} {
		s.p = batchrun.Progress{Rows: 200, ToSend: 200, Created: done, Started: start}
		s.send(tickMsg{})
		first, _, _ := strings.Cut(ansi.Strip(s.m.View()), "\n")
		bar, _, _ := strings.Cut(first, " ")
		bars = append(bars, first)
		if got := ansi.StringWidth(bar); got != 40-1-len(" 200/200") {
			t.Errorf("at %d/200 the bar is %d cells: %q", done, got, first)
		}
	}
	if t.Failed() {
		t.Logf("the lines:\n%s", strings.Join(bars, "\n"))
	}
}

// TestAWaitIsSaidAsTheBatchSaysItsTimes: a long Retry-After reads as the
// batch's other times do (1m30s), not as Go's 1m30.4s.
func TestAWaitIsSaidAsTheBatchSaysItsTimes(t *testing.T) {
	s := newScreen(t, true)
	s.p = batchrun.Progress{Rows: 10, ToSend: 10, Started: start, HeldUntil: start.Add(30*time.Second + 90400*time.Millisecond)}
	s.send(tickMsg{})
	if v := ansi.Strip(s.m.View()); !strings.Contains(v, "waiting 1m30s:") {
		t.Errorf("the wait:\n%s", v)
	}
}
