package batchrun

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/client/mock"
	"github.com/apideck-samples/vault-session/client/mock/mocktest"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/batch"
	"github.com/apideck-samples/vault-session/model/store"
)

// fixture is a batch ready to run against a mock API, with its files in
// a temporary folder.
type fixture struct {
	t       *testing.T
	dir     string
	api     *mock.Server
	apiURL  string
	store   *store.Store
	shared  model.Session
	input   string
	results string
	// resend is ResendUncertain.
	resend bool
	// recorded are the consumers the runs added to the history.
	recorded []string
}

// key is the journal's key of the fixture's batch.
func (f *fixture) key() string {
	f.t.Helper()
	src, err := Open(context.Background(), f.input, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	defer src.Close()
	plan, err := src.Check(context.Background(), nil, "app", f.shared)
	if err != nil {
		f.t.Fatal(err)
	}
	return batch.JournalKey(plan.Digest, "app", "test", f.shared)
}

func (f *fixture) openJournal() *store.Journal {
	f.t.Helper()
	j, _, err := f.store.OpenJournal(f.key(), store.JournalAbout{Input: f.input})
	if err != nil {
		f.t.Fatal(err)
	}
	return j
}

// resultsOf reads the results, .jsonl or .csv.
func (f *fixture) resultsOf(ext string) []Result {
	f.t.Helper()
	if ext == ".jsonl" {
		return f.resultLines()
	}
	file, err := os.Open(f.results)
	if err != nil {
		f.t.Fatal(err)
	}
	defer file.Close()
	records, err := csv.NewReader(file).ReadAll()
	if err != nil {
		f.t.Fatal(err)
	}
	var out []Result
	for _, rec := range records[1:] {
		res, ok := resultOfRecord(rec)
		if !ok {
			f.t.Fatalf("results record %q", rec)
		}
		out = append(out, res)
	}
	return out
}

func newFixture(t *testing.T, input string) *fixture {
	t.Helper()
	dir := t.TempDir()
	api, apiURL := mocktest.Start(t)
	env := map[string]string{"XDG_STATE_HOME": filepath.Join(dir, "state"), "XDG_CONFIG_HOME": filepath.Join(dir, "config"), "HOME": dir}
	st, err := store.Open(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "customers.csv")
	if strings.HasPrefix(input, "{") {
		path = filepath.Join(dir, "customers.jsonl")
	}
	if err := os.WriteFile(path, []byte(input), 0o600); err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, dir: dir, api: api, apiURL: apiURL, store: st, input: path,
		shared:  model.Session{Theme: model.Theme{VaultName: "Acme", PrimaryColor: "navy"}},
		results: filepath.Join(dir, "results.jsonl")}
}

// run checks the input and runs it; stopAfter > 0 stops the batch after
// that many rows are created.
func (f *fixture) run(stopAfter int, skipInvalid bool) (Summary, []Outcome) {
	f.t.Helper()
	ctx := context.Background()
	src, err := Open(ctx, f.input, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	defer src.Close()
	plan, err := src.Check(ctx, nil, "app", f.shared)
	if err != nil {
		f.t.Fatal(err)
	}
	key := batch.JournalKey(plan.Digest, "app", "test", f.shared)
	journal, state, err := f.store.OpenJournal(key, store.JournalAbout{Input: src.Name, Rows: plan.Rows})
	if err != nil {
		f.t.Fatal(err)
	}
	defer journal.Close()
	recovered, err := Settle(&state, func(u store.SentRow, res Result) error {
		return journal.Recovered(u.Row, u.ConsumerID, res.Expiry(), res.Error)
	})
	if err != nil {
		f.t.Fatal(err)
	}
	results, err := OpenResults(f.results)
	if err != nil {
		f.t.Fatal(err)
	}
	defer results.Close()
	rows, _ := src.Rows()
	reader, _ := batch.NewReader(rows, src.Format)
	failed, err := CreateFailedRows(FailedPathFor(f.input, src.Format), reader)
	rows.Close()
	if err != nil {
		f.t.Fatal(err)
	}

	gate := client.NewGate(0)
	stop, stopNow := context.WithCancel(ctx)
	defer stopNow()
	var outcomes []Outcome
	created := 0
	r := &Runner{
		Source: src, Plan: plan, AppID: "app", APIKey: "key", Shared: f.shared,
		Sender:      client.Sender{Client: client.New(client.WithBaseURL(f.apiURL), client.WithGate(gate)), Workers: 4},
		Gate:        gate,
		SkipInvalid: skipInvalid,
		Journal:     journal, Done: state.Created, Results: results, Failed: failed,
		Recovered: recovered, Uncertain: state.Uncertain, ResendUncertain: f.resend,
		Record: func(req model.Request, res client.Result) {
			f.recorded = append(f.recorded, req.ConsumerID)
		},
		Observe: func(o Outcome) {
			outcomes = append(outcomes, o)
			if o.Kind == Created {
				created++
				if created == stopAfter {
					stopNow()
				}
			}
		},
	}
	summary, err := r.Run(stop, ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := failed.Finish(); err != nil {
		f.t.Fatal(err)
	}
	return summary, outcomes
}

// sessionsPerConsumer counts the sessions the mock created, by consumer.
func (f *fixture) sessionsPerConsumer() map[string]int {
	out := map[string]int{}
	for _, r := range f.api.Requests() {
		if r.Path == mock.SessionsPath && r.Status/100 == 2 {
			out[r.Header.Get("x-apideck-consumer-id")]++
		}
	}
	return out
}

func (f *fixture) resultLines() []Result {
	f.t.Helper()
	file, err := os.Open(f.results)
	if err != nil {
		f.t.Fatal(err)
	}
	defer file.Close()
	var out []Result
	sc := bufio.NewScanner(file)
	for sc.Scan() {
		var r Result
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			f.t.Fatalf("results line %q: %v", sc.Text(), err)
		}
		out = append(out, r)
	}
	return out
}

func csvOf(n int) string {
	var b strings.Builder
	b.WriteString("consumer_id,user_name,email\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "c-%d,User%d Smith,u%d@acme.com\n", i, i, i)
	}
	return b.String()
}

func TestRunCreatesASessionPerRow(t *testing.T) {
	f := newFixture(t, csvOf(20))
	summary, outcomes := f.run(0, false)
	if summary.Created != 20 || summary.Failed != 0 || summary.Interrupted || len(outcomes) != 20 {
		t.Fatalf("summary %+v, %d outcomes", summary.Progress, len(outcomes))
	}
	per := f.sessionsPerConsumer()
	if len(per) != 20 {
		t.Errorf("%d consumers got sessions, want 20", len(per))
	}
	for _, r := range f.api.Requests() {
		s := r.Session
		id := r.Header.Get("x-apideck-consumer-id")
		n := strings.TrimPrefix(id, "c-")
		if s == nil || s.ConsumerMetadata.Email != "u"+n+"@acme.com" || s.Theme.VaultName != "Acme" || s.Theme.PrimaryColor != "#000080" {
			t.Errorf("request for %s: %+v, want its row's email over the shared theme", id, s)
		}
	}
	lines := f.resultLines()
	if len(lines) != 20 {
		t.Fatalf("%d result lines, want 20", len(lines))
	}
	for _, l := range lines {
		n := strings.TrimPrefix(l.ConsumerID, "c-")
		if l.Row == 0 || l.SessionURI == "" || l.ExpiresAt == nil || l.Error != "" ||
			!strings.HasPrefix(l.Message, "Hi User"+n+", here is the link to connect your tools to Acme:\n"+l.SessionURI+"\nIt works until ") {
			t.Errorf("result line %+v", l)
		}
	}
	if info, _ := os.Stat(f.results); info.Mode().Perm() != 0o600 {
		t.Errorf("results file is %v, want 0600", info.Mode().Perm())
	}
	if _, err := os.Stat(FailedPathFor(f.input, batch.CSV)); !os.IsNotExist(err) {
		t.Errorf("a failed rows file with no failure: %v", err)
	}
}

// Stopped halfway and run again, the batch creates the rest: one session
// per consumer in all, and the results file has every row once.
func TestRunAgainFinishesTheRest(t *testing.T) {
	f := newFixture(t, csvOf(30))
	first, _ := f.run(12, false)
	if !first.Interrupted || first.Created < 12 || first.Created >= 30 {
		t.Fatalf("first run: %+v", first.Progress)
	}
	second, outcomes := f.run(0, false)
	if second.Interrupted || second.Skipped != first.Created || second.Created != 30-first.Created {
		t.Fatalf("second run: %+v after %d created", second.Progress, first.Created)
	}
	skipped := 0
	for _, o := range outcomes {
		if o.Kind == Skipped {
			skipped++
		}
	}
	if skipped != first.Created {
		t.Errorf("%d skipped outcomes, want %d", skipped, first.Created)
	}
	per := f.sessionsPerConsumer()
	if len(per) != 30 {
		t.Errorf("%d consumers got sessions, want 30", len(per))
	}
	for id, n := range per {
		if n != 1 {
			t.Errorf("%s got %d sessions", id, n)
		}
	}
	rows := map[int]bool{}
	for _, l := range f.resultLines() {
		if rows[l.Row] {
			t.Errorf("row %d twice in the results", l.Row)
		}
		rows[l.Row] = true
	}
	if len(rows) != 30 {
		t.Errorf("%d rows in the results, want 30", len(rows))
	}
	// A third run has nothing to do.
	third, _ := f.run(0, false)
	if third.Created != 0 || third.Skipped != 30 || len(f.sessionsPerConsumer()) != 30 {
		t.Errorf("third run: %+v", third.Progress)
	}
}

// Failed and invalid rows go to the failed rows file, in the input's
// format, and that file runs again as a batch of its own.
func TestFailedRowsRunAgain(t *testing.T) {
	input := csvOf(6) + "bad-1,Bo,not-an-email\n"
	f := newFixture(t, input)
	f.api.FailNext(422, 2)
	summary, _ := f.run(0, true)
	if summary.Created != 4 || summary.Failed != 2 || summary.Invalid != 1 {
		t.Fatalf("summary %+v", summary.Progress)
	}
	failedPath := FailedPathFor(f.input, batch.CSV)
	data, err := os.ReadFile(failedPath)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 4 || lines[0] != "consumer_id,user_name,email" || !slices.Contains(lines, "bad-1,Bo,not-an-email") {
		t.Errorf("failed rows:\n%s", data)
	}
	if info, _ := os.Stat(failedPath); info.Mode().Perm() != 0o600 {
		t.Errorf("failed rows file is %v", info.Mode().Perm())
	}
	var errs []string
	for _, l := range f.resultLines() {
		if l.Error != "" {
			errs = append(errs, l.Error)
		}
	}
	slices.Sort(errs)
	if len(errs) != 3 || !strings.HasPrefix(errs[0], "422 Unprocessable Entity") || !strings.HasPrefix(errs[2], "invalid: "+f.input+":8: email: ") {
		t.Errorf("result errors: %q", errs)
	}

	// Fixed, the failed rows run on their own: the API answers again.
	fixed := strings.Replace(string(data), "not-an-email", "bo@acme.com", 1)
	os.WriteFile(failedPath, []byte(fixed), 0o600)
	f.input = failedPath
	again, _ := f.run(0, false)
	if again.Created != 3 || again.Failed != 0 {
		t.Errorf("the failed rows again: %+v", again.Progress)
	}
	if _, err := os.Stat(FailedPathFor(failedPath, batch.CSV)); !os.IsNotExist(err) {
		t.Errorf("a failed file for a run without failures: %v", err)
	}
}

// Requests abandoned in flight (a second Ctrl+C) may have made sessions
// whose links no one read: the journal has them sent, without an outcome.
// The next run holds them back as uncertain, sending only the rest and
// keeping them for the failed rows; with ResendUncertain, it sends them.
func TestAbandonedRequestsAreHeldBackAsUncertain(t *testing.T) {
	f := newFixture(t, csvOf(5))
	f.api.Script(mock.Answer{Delay: time.Hour}, mock.Answer{Delay: time.Hour}, mock.Answer{Delay: time.Hour})
	ctx := context.Background()
	src, _ := Open(ctx, f.input, nil)
	defer src.Close()
	plan, _ := src.Check(ctx, nil, "app", f.shared)
	journal, _, _ := f.store.OpenJournal(batch.JournalKey(plan.Digest, "app", "test", f.shared), store.JournalAbout{})
	results, _ := OpenResults(f.results)
	stop, stopSending := context.WithCancel(ctx)
	reqCtx, abandon := context.WithCancel(ctx)
	r := &Runner{Source: src, Plan: plan, AppID: "app", APIKey: "k", Shared: f.shared,
		Sender:  client.Sender{Client: client.New(client.WithBaseURL(f.apiURL), client.WithRetryPolicy(client.NoRetry())), Workers: 3},
		Journal: journal, Results: results,
	}
	go func() {
		// Three requests at the API (each took its scripted answer), then
		// Ctrl+C twice.
		for f.api.Pending() > 0 {
			time.Sleep(time.Millisecond)
		}
		stopSending()
		abandon()
	}()
	summary, err := r.Run(stop, reqCtx)
	if err != nil {
		t.Fatal(err)
	}
	journal.Close()
	results.Close()
	if summary.Abandoned != 3 || summary.Created != 0 || summary.Failed != 0 {
		t.Errorf("summary %+v abandoned %d", summary.Progress, summary.Abandoned)
	}
	if len(f.resultLines()) != 0 {
		t.Error("an abandoned request has a results line")
	}

	second, outcomes := f.run(0, false)
	if second.Uncertain != 3 || second.Created != 2 || second.ToSend != 2 || second.Interrupted {
		t.Fatalf("the run after: %+v", second.Progress)
	}
	var held []string
	for _, o := range outcomes {
		if o.Kind == Uncertain {
			held = append(held, fmt.Sprintf("%s:%d", o.ConsumerID, o.Line))
		}
	}
	if strings.Join(held, " ") != "c-1:2 c-2:3 c-3:4" {
		t.Errorf("held back: %v, want the three abandoned", held)
	}
	for id, n := range f.sessionsPerConsumer() {
		if n != 1 || id == "c-1" || id == "c-2" || id == "c-3" {
			t.Errorf("%s: %d sessions; the uncertain rows were sent", id, n)
		}
	}
	failed := readFile(FailedPathFor(f.input, batch.CSV))
	if failed != "consumer_id,user_name,email\nc-1,User1 Smith,u1@acme.com\nc-2,User2 Smith,u2@acme.com\nc-3,User3 Smith,u3@acme.com\n" {
		t.Errorf("failed rows:\n%s", failed)
	}

	// Said knowingly, they are sent.
	f.resend = true
	third, _ := f.run(0, false)
	if third.Created != 3 || third.Uncertain != 0 || third.Skipped != 2 {
		t.Errorf("resending: %+v", third.Progress)
	}
	if per := f.sessionsPerConsumer(); len(per) != 5 {
		t.Errorf("sessions %v, want every consumer's", per)
	}
	if _, err := os.Stat(FailedPathFor(f.input, batch.CSV)); !os.IsNotExist(err) {
		t.Errorf("failed rows left once every row has its session: %v", err)
	}
	f.resend = false
	if fourth, _ := f.run(0, false); fourth.Uncertain != 0 || fourth.Skipped != 5 {
		t.Errorf("a run after: %+v", fourth.Progress)
	}
}

// A crash between a row's results line and its journal line leaves the
// row sent, without an outcome, and its line in the results: the next run
// reads the line back (Settle) and journals it, so the row is neither sent
// again nor its link lost, and the results have it once. A row sent and
// never answered stays uncertain; one whose line is from before it was
// sent (an earlier attempt) too.
func TestACrashBetweenTheResultsAndTheJournalIsSettled(t *testing.T) {
	for _, ext := range []string{".jsonl", ".csv"} {
		t.Run(ext, func(t *testing.T) {
			f := newFixture(t, csvOf(5))
			f.results = filepath.Join(f.dir, "results"+ext)
			journal := f.openJournal()
			results, err := OpenResults(f.results)
			if err != nil {
				t.Fatal(err)
			}
			expires := time.Date(2026, 11, 26, 11, 0, 0, 0, time.UTC)
			// c-4 failed in a run before: its line is older than its send.
			results.Write(Result{Row: 4, ConsumerID: "c-4", Error: "422 an older attempt"})
			journal.Run(f.results)
			send := func(row int) {
				if err := journal.Sending(row, fmt.Sprintf("c-%d", row), results.Size()); err != nil {
					t.Fatal(err)
				}
			}
			send(1)
			send(2)
			send(3)
			send(4)
			results.Write(Result{Row: 2, ConsumerID: "c-2", Error: "500 Internal Server Error"})
			results.Write(Result{Row: 1, ConsumerID: "c-1", SessionURI: "https://vault.apideck.com/session/before-the-crash", ExpiresAt: &expires, Message: "Hi,\nhere it is"})
			// The crash: no journal line for c-1 and c-2; c-3 and c-4
			// were in flight.
			journal.Close()
			results.Close()

			summary, _ := f.run(0, false)
			// c-1 skipped, c-2 failed and sent again as failed rows are,
			// c-3 and c-4 held back, c-5 sent.
			if summary.Skipped != 1 || summary.Created != 2 || summary.Uncertain != 2 {
				t.Errorf("summary %+v", summary.Progress)
			}
			per := f.sessionsPerConsumer()
			if len(per) != 2 || per["c-2"] != 1 || per["c-5"] != 1 {
				t.Errorf("sessions %v, want c-2's and c-5's only", per)
			}
			if len(f.recorded) != 3 || f.recorded[0] != "c-1" {
				t.Errorf("history: %v, want c-1 (read back) and the two created", f.recorded)
			}
			links := map[string]int{}
			for _, l := range f.resultsOf(ext) {
				if l.SessionURI != "" {
					links[l.ConsumerID]++
				}
			}
			if len(links) != 3 || links["c-1"] != 1 || links["c-2"] != 1 || links["c-5"] != 1 {
				t.Errorf("links in the results: %v, want c-1, c-2 and c-5 once", links)
			}
			state, _, _ := f.store.PeekJournal(f.key())
			if len(state.Uncertain) != 2 || state.Uncertain[0].ConsumerID != "c-3" || state.Uncertain[1].ConsumerID != "c-4" {
				t.Errorf("uncertain after: %+v", state.Uncertain)
			}
			if !strings.Contains(readFile(f.store.JournalPath(f.key())), `{"row":1,"consumer_id":"c-1","created":`) {
				t.Errorf("journal:\n%s", readFile(f.store.JournalPath(f.key())))
			}
		})
	}
}

// Settle without a way to record (--dry-run) reads the same and writes
// nothing; rows whose results went to stdout, or to a file since removed,
// stay uncertain.
func TestSettleReadsOnlyWhatItCan(t *testing.T) {
	dir := t.TempDir()
	links := filepath.Join(dir, "links.jsonl")
	os.WriteFile(links, []byte(`{"row":1,"consumer_id":"a","session_uri":"https://x/1"}`+"\n"+`not json`+"\n"+`{"row":9,"consumer_id":"b","session_uri":"https://x/9"}`+"\n"), 0o600)
	state := store.JournalState{Created: map[string]time.Time{}, Uncertain: []store.SentRow{
		{Row: 1, ConsumerID: "a", Results: links},
		{Row: 2, ConsumerID: "b", Results: links}, // its line names another row
		{Row: 3, ConsumerID: "c"},                 // stdout
		{Row: 4, ConsumerID: "d", Results: filepath.Join(dir, "gone.jsonl")},
	}}
	created, err := Settle(&state, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(created) != 1 || created["a"].SessionURI != "https://x/1" || len(state.Created) != 1 || len(state.Uncertain) != 3 {
		t.Errorf("created %v, state %+v", created, state)
	}
}

func readFile(path string) string {
	data, _ := os.ReadFile(path)
	return string(data)
}
