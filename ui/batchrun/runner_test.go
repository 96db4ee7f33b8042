package batchrun

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
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

// Abandoning requests in flight records nothing for them: a run again
// sends them.
func TestAbandonedRequestsAreNotRecorded(t *testing.T) {
	f := newFixture(t, csvOf(3))
	f.api.Script(mock.Answer{Delay: time.Hour}, mock.Answer{Delay: time.Hour}, mock.Answer{Delay: time.Hour})
	ctx := context.Background()
	src, _ := Open(ctx, f.input, nil)
	defer src.Close()
	plan, _ := src.Check(ctx, nil, "app", f.shared)
	journal, _, _ := f.store.OpenJournal(batch.JournalKey(plan.Digest, "app", "t", f.shared), store.JournalAbout{})
	defer journal.Close()
	results, _ := OpenResults(f.results)
	defer results.Close()
	reqCtx, abandon := context.WithCancel(ctx)
	var once sync.Once
	r := &Runner{Source: src, Plan: plan, AppID: "app", APIKey: "k", Shared: f.shared,
		Sender:  client.Sender{Client: client.New(client.WithBaseURL(f.apiURL), client.WithRetryPolicy(client.NoRetry())), Workers: 3},
		Journal: journal, Results: results,
	}
	go func() {
		for r.Progress().InFlight < 3 {
			time.Sleep(time.Millisecond)
		}
		once.Do(abandon)
	}()
	summary, err := r.Run(ctx, reqCtx)
	if err != nil {
		t.Fatal(err)
	}
	if summary.Abandoned != 3 || summary.Created != 0 || summary.Failed != 0 {
		t.Errorf("summary %+v abandoned %d", summary.Progress, summary.Abandoned)
	}
	if len(f.resultLines()) != 0 {
		t.Error("an abandoned request has a results line")
	}
}
