package cli

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/store"
	"github.com/apideck-samples/vault-session/model/termtext"
)

// fillHistory appends n entries to the cli's history, oldest first, and
// returns them newest first, as the command lists them. wide is the index
// of the one with the longest cells.
func fillHistory(t *testing.T, c *cli, n, wide int) []store.Entry {
	t.Helper()
	st, err := store.Open(c.getenv)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	var entries []store.Entry
	for i := range n {
		id, account := fmt.Sprintf("c-%03d", i), "Acme"
		if i == wide {
			id, account = "a-much-longer-consumer-id", "Account \u202e with a bidi control"
		}
		req := model.Request{AppID: "app", ConsumerID: id, Session: model.Session{
			ConsumerMetadata:       model.ConsumerMetadata{AccountName: account},
			Settings:               model.Settings{UnifiedAPIs: []string{"crm", "hris"}[:1+i%2]},
			CustomConsumerSettings: json.RawMessage(fmt.Sprintf(`{"n": %d, "deep": {"a": {"b": {"c": {"d": {"e": {"f": [1]}}}}}}}`, i)),
		}}
		e, err := store.NewEntry(req, at.Add(time.Duration(i)*time.Minute), at.Add(time.Hour), "p", "https://unify.apideck.com", i%3 == 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.AppendHistory(e); err != nil {
			t.Fatal(err)
		}
		entries = append(entries, e)
	}
	slices.Reverse(entries)
	return entries
}

// TestHistoryStreamsWhatAWholeListingPrinted: `history` prints each entry
// as it reads it, and its output is what printing the whole list at once
// printed: for --output json the array of every streamed listing, one
// compact entry a line, text/tabwriter's table (300 rows, more than a
// block, with the widest cells early on).
func TestHistoryStreamsWhatAWholeListingPrinted(t *testing.T) {
	t.Parallel()
	c := newTestCLI(t)
	entries := fillHistory(t, c, 300, 290) // 290 is the 10th newest
	r := c.run("history", "--output", "json")
	elems := make([]string, len(entries))
	for i, e := range entries {
		data, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		elems[i] = "  " + termtext.JSON(string(data))
	}
	want := "[\n" + strings.Join(elems, ",\n") + "\n]\n"
	if r.code != exitOK || r.stdout != want {
		t.Errorf("--output json differs from the whole list's, one entry a line:\n%.1200s\nwant\n%.1200s", r.stdout, want)
	}
	r = c.run("history")
	if r.code != exitOK || r.stdout != tabwriterTable(entries) {
		t.Errorf("the table differs from text/tabwriter's:\n%.800s\nwant\n%.800s", r.stdout, tabwriterTable(entries))
	}
	r = c.run("history", "--consumer", "c-007", "--output", "json")
	var one []store.Entry
	if err := json.Unmarshal([]byte(r.stdout), &one); err != nil || len(one) != 1 || one[0].ConsumerID != "c-007" || len(one[0].Session) == 0 {
		t.Errorf("--consumer: %v %s", err, r)
	}
	if r = c.run("history", "--consumer", "nobody", "--output", "json"); r.stdout != "[]\n" {
		t.Errorf("no entry: %q", r.stdout)
	}
	if r = c.run("history", "--limit", "2"); strings.Count(r.stdout, "\n") != 3 || !strings.Contains(r.stdout, "c-299") || !strings.Contains(r.stdout, "c-298") {
		t.Errorf("--limit 2: %s", r)
	}
}

// TestHistoryColumnsGrowPastTheFirstBlock: a cell wider than any of the
// first block's widens its column from its block on; every row is there.
func TestHistoryColumnsGrowPastTheFirstBlock(t *testing.T) {
	t.Parallel()
	c := newTestCLI(t)
	fillHistory(t, c, 300, 0) // the oldest: in the last block
	r := c.run("history")
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != 301 || !strings.Contains(lines[300], "a-much-longer-consumer-id  ") {
		t.Fatalf("%d lines, last %q", len(lines), lines[len(lines)-1])
	}
	if strings.Index(lines[1], "Acme") >= strings.Index(lines[300], "Account") ||
		strings.Index(lines[299], "Acme") != strings.Index(lines[300], "Account") {
		t.Errorf("the last block's columns did not widen:\n%s\n%s\n%s", lines[1], lines[299], lines[300])
	}
}

// TestHistoryFitsTheTerminal: on a terminal, no row is wider than it
// (the terminal would wrap it mid-way): long cells are cut with "…" and,
// when that is not enough, the least needed columns are left out, which
// stderr says; the consumer ID is never cut. A pipe gets the whole table.
func TestHistoryFitsTheTerminal(t *testing.T) {
	t.Parallel()
	c := newTestCLI(t)
	entries := fillHistory(t, c, 5, 2)
	base := c.configured
	for _, tc := range []struct {
		width int
		left  string
	}{
		{200, ""},
		{100, "PRESET, API left out for 100 columns"},
		{80, "PRESET, API, LENGTH, EXPIRES left out for 80 columns"},
		{60, "PRESET, API, LENGTH, EXPIRES, ACCOUNT left out for 60 columns"},
	} {
		c.terminal = true
		c.configured = func(a *app) {
			base(a)
			a.streams.terminalSize = func() (int, int, error) { return tc.width, 24, nil }
		}
		r := c.run("history")
		if r.code != exitOK {
			t.Fatalf("%d columns: %s", tc.width, r)
		}
		lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
		if len(lines) != 6 {
			t.Errorf("%d columns: %d lines, want a header and 5 rows:\n%s", tc.width, len(lines), r.stdout)
		}
		for _, l := range lines {
			if n := utf8.RuneCountInString(l); n > tc.width {
				t.Errorf("%d columns: a row of %d:\n%s", tc.width, n, l)
			}
		}
		mustHave := []string{"CONSUMER", "a-much-longer-consumer-id", "c-004", "2026-11-01 09:04"}
		for _, s := range mustHave {
			if !strings.Contains(r.stdout, s) {
				t.Errorf("%d columns: %q is missing:\n%s", tc.width, s, r.stdout)
			}
		}
		switch {
		case tc.left == "" && r.stderr != "":
			t.Errorf("%d columns: stderr %q", tc.width, r.stderr)
		case tc.left != "" && !strings.Contains(r.stderr, tc.left):
			t.Errorf("%d columns: stderr %q, want %q", tc.width, r.stderr, tc.left)
		}
		if tc.width == 200 && r.stdout != tabwriterTable(entries) {
			t.Errorf("a wide terminal: the table is not the whole one:\n%s", r.stdout)
		}
	}
}

// tabwriterTable is how the history command laid its table out when it
// held the whole history.
func tabwriterTable(entries []store.Entry) string {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CREATED\tCONSUMER\tACCOUNT\tUNIFIED APIS\tLENGTH\tEXPIRES\tPRESET\tAPI")
	for _, e := range entries {
		api := e.APIHost
		if e.Demo {
			api = "demo"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e.Time.In(time.UTC).Format("2006-01-02 15:04"), cell(e.ConsumerID),
			cell(e.AccountName), cell(strings.Join(e.UnifiedAPIs, ",")), cell(e.SessionLength),
			e.ExpiresAt.In(time.UTC).Format("2006-01-02 15:04"), cell(e.Preset), cell(api))
	}
	tw.Flush()
	return b.String()
}
