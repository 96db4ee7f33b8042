package cli

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client/mock"
	"github.com/apideck-samples/vault-session/client/mock/mocktest"
	"github.com/apideck-samples/vault-session/model/store"
	"github.com/charmbracelet/x/ansi"
)

// batchFixture is a CLI, a mock API and a folder of files for batch.
type batchFixture struct {
	c      *cli
	api    *mock.Server
	apiURL string
	dir    string
}

func newBatchFixture(t *testing.T) *batchFixture {
	t.Helper()
	api, apiURL := mocktest.Start(t)
	dir := t.TempDir()
	t.Chdir(dir)
	return &batchFixture{c: newCLI(t), api: api, apiURL: apiURL, dir: dir}
}

func (f *batchFixture) write(name, content string) string {
	f.c.t.Helper()
	if err := os.WriteFile(filepath.Join(f.dir, name), []byte(content), 0o644); err != nil {
		f.c.t.Fatal(err)
	}
	return name
}

// batch runs `batch` against the mock API with the given arguments.
func (f *batchFixture) batch(args ...string) cliResult {
	f.c.t.Helper()
	// The test's arguments last: a flag given twice takes the last.
	return f.c.run(append([]string{"batch", "--base-url", f.apiURL, "--api-key", testAPIKey, "--app-id", "app-1", "--rate", "0"}, args...)...)
}

// created counts the mock's created sessions by consumer.
func (f *batchFixture) created() map[string]int {
	out := map[string]int{}
	for _, r := range f.api.Requests() {
		if r.Path == mock.SessionsPath && r.Status/100 == 2 {
			out[r.Header.Get("x-apideck-consumer-id")]++
		}
	}
	return out
}

func customersCSV(n int) string {
	var b strings.Builder
	b.WriteString("consumer_id,user_name,email\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "acme-%d,Ann %d,ann%d@acme.example\n", i, i, i)
	}
	return b.String()
}

// A bad email and a duplicate ID stop the batch before any request, with
// FILE:LINE for each, exit 2.
func TestBatchInvalidRowsSendNothing(t *testing.T) {
	f := newBatchFixture(t)
	in := f.write("customers.csv", "consumer_id,email\nacme-1,ann@acme.example\nacme-2,not-an-email\n\"acme\n-3\",x@acme.example\nacme-1,again@acme.example\n")
	r := f.batch(in)
	if r.code != exitUsage {
		t.Fatalf("exit %d, want 2\n%s", r.code, r)
	}
	for _, want := range []string{
		`customers.csv:3: email: "not-an-email" is not an email address: use name@example.com`,
		`customers.csv:4: consumer_id: consumer ID cannot contain control characters`,
		`customers.csv:6: consumer_id: "acme-1" is given twice: first on line 2`,
		"3 of 4 rows of customers.csv are invalid: nothing was sent",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if n := len(f.api.Requests()); n != 0 {
		t.Errorf("%d requests were sent", n)
	}
}

// A file whose every row is invalid is not offered --skip-invalid, which
// would send nothing.
func TestBatchEveryRowInvalidOffersNoSkip(t *testing.T) {
	f := newBatchFixture(t)
	r := f.batch(f.write("bad.jsonl", `{"consumer_id":"j1","email":"bad"}`+"\n"+`{"consumer_id":"j1"}`+"\n"))
	if r.code != exitUsage || strings.Contains(r.stderr, "--skip-invalid") ||
		!strings.Contains(r.stderr, "vault-session: 2 of 2 rows of bad.jsonl are invalid: nothing was sent. Fix them and run this again\n") {
		t.Errorf("exit %d:\n%s", r.code, r.stderr)
	}
}

func TestBatchListsAtMost50Problems(t *testing.T) {
	f := newBatchFixture(t)
	var b strings.Builder
	b.WriteString("consumer_id,email\n")
	for i := range 70 {
		fmt.Fprintf(&b, "c-%d,bad%d\n", i, i)
	}
	r := f.batch(f.write("bad.csv", b.String()))
	if r.code != exitUsage || strings.Count(r.stderr, "bad.csv:") != 50 || !strings.Contains(r.stderr, "… and 20 more problems (the first 50 are listed)") {
		t.Errorf("exit %d:\n%s", r.code, r.stderr)
	}
}

func TestBatchInputErrors(t *testing.T) {
	f := newBatchFixture(t)
	for _, tc := range []struct{ file, content, want string }{
		{"cols.csv", "consumer_id,colour,phone\n", `cols.csv:1: unknown columns "colour", "phone": a row gives consumer_id`},
		{"empty.csv", "", "empty.csv:1: the file is empty"},
		{"results.csv", "consumer_id\n", "--results out.txt: name a .jsonl or .csv file"},
	} {
		args := []string{f.write(tc.file, tc.content)}
		if tc.file == "results.csv" {
			args = append(args, "--results", "out.txt")
		}
		r := f.batch(args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%s: exit %d, want 2 with %q:\n%s", tc.file, r.code, tc.want, r.stderr)
		}
	}
	if r := f.batch("missing.csv"); r.code != exitUsage || !strings.Contains(r.stderr, "missing.csv") {
		t.Errorf("a missing file: exit %d\n%s", r.code, r.stderr)
	}
	if r := f.batch(); r.code != exitUsage || !strings.Contains(r.stderr, "batch takes one FILE") {
		t.Errorf("no file: exit %d\n%s", r.code, r.stderr)
	}
	if r := f.batch(f.write("ok.csv", "consumer_id\na\n"), "--consumer-id", "x"); r.code != exitUsage || !strings.Contains(r.stderr, "unknown flag --consumer-id") {
		t.Errorf("--consumer-id: exit %d\n%s", r.code, r.stderr)
	}
	if r := f.batch("ok.csv", "--concurrency", "0"); r.code != exitUsage {
		t.Errorf("--concurrency 0: exit %d", r.code)
	}
	if len(f.api.Requests()) != 0 {
		t.Error("a request was sent")
	}
}

// The results: a line per row, 0600, said to be private, appended to on
// a run again; history records each session without its link.
func TestBatchWritesPrivateResultsAndHistory(t *testing.T) {
	f := newBatchFixture(t)
	in := f.write("customers.csv", customersCSV(12))
	r := f.batch(in, "--results", "links.jsonl", "--vault-name", "Acme")
	if r.code != exitOK {
		t.Fatalf("exit %d\n%s", r.code, r)
	}
	if !strings.Contains(r.stderr, "Links go to links.jsonl (0600: each opens a customer's Vault; keep it private).") || !strings.Contains(r.stderr, "Done in ") || !strings.Contains(r.stderr, "12 created, 0 failed") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
	if r.stdout != "" {
		t.Errorf("stdout with --results: %q", r.stdout)
	}
	info, err := os.Stat("links.jsonl")
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("results file: %v %v", info, err)
	}
	lines := readJSONLines(t, "links.jsonl")
	if len(lines) != 12 {
		t.Fatalf("%d result lines", len(lines))
	}
	for _, l := range lines {
		msg, _ := l["message"].(string)
		if l["session_uri"] == "" || l["expires_at"] == nil || !strings.HasPrefix(msg, "Hi Ann, here is the link to connect your tools to Acme:\n") {
			t.Errorf("result %v", l)
		}
	}
	st, _ := store.Open(f.c.getenv)
	historyEntries := func() int {
		n := 0
		st.WalkHistory(store.HistoryQuery{}, func(store.Entry) bool { n++; return true })
		return n
	}
	if n := historyEntries(); n != 12 {
		t.Errorf("%d history entries, want 12", n)
	}
	history, _ := os.ReadFile(st.HistoryPath())
	if strings.Contains(string(history), "/session/") || strings.Contains(string(history), "session_uri") {
		t.Error("the history holds a session link")
	}

	// --no-history: none added.
	f.write("more.csv", customersCSV(14))
	if r := f.batch("more.csv", "--no-history", "--output", "json"); r.code != exitOK || strings.Count(r.stdout, "\n") != 14 {
		t.Fatalf("exit %d, %d stdout lines\n%s", r.code, strings.Count(r.stdout, "\n"), r)
	}
	if n := historyEntries(); n != 12 {
		t.Errorf("--no-history: %d entries", n)
	}
}

func readJSONLines(t *testing.T, path string) []map[string]any {
	t.Helper()
	file, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	var out []map[string]any
	sc := bufio.NewScanner(file)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("%s: %q: %v", path, sc.Text(), err)
		}
		out = append(out, m)
	}
	return out
}

// Interrupted, a batch run again sends only the rest, says how many it
// skips, and exits 130 then 0; --restart sends every row again.
func TestBatchResumesAfterInterruption(t *testing.T) {
	f := newBatchFixture(t)
	in := f.write("customers.csv", customersCSV(40))
	ctx, cancel := context.WithCancel(t.Context())
	f.c.ctx = ctx
	// Ctrl+C (the run's context, as run's signal handler cancels it)
	// once 15 sessions are made.
	go func() {
		for len(f.created()) < 15 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Millisecond):
			}
		}
		cancel()
	}()
	r := f.batch(in, "--results", "links.csv", "--concurrency", "2")
	if r.code != exitInterrupted || !strings.Contains(r.stderr, "not sent yet: run the same command again") {
		t.Fatalf("first run: exit %d\n%s", r.code, r)
	}
	first := len(f.created())
	if first >= 40 {
		t.Fatalf("the interruption came after every row (%d)", first)
	}

	f.c.ctx = nil
	r = f.batch(in, "--results", "links.csv", "--concurrency", "2")
	if r.code != exitOK || !strings.Contains(r.stderr, fmt.Sprintf("Skipping %d rows that got their session in an earlier run", first)) {
		t.Fatalf("second run: exit %d\n%s", r.code, r)
	}
	per := f.created()
	if len(per) != 40 {
		t.Errorf("%d consumers have sessions, want 40", len(per))
	}
	for id, n := range per {
		if n != 1 {
			t.Errorf("%s got %d sessions", id, n)
		}
	}
	file, _ := os.Open("links.csv")
	records, err := csv.NewReader(file).ReadAll()
	file.Close()
	if err != nil || len(records) != 41 || strings.Join(records[0], ",") != "row,consumer_id,session_uri,expires_at,message,error" {
		t.Errorf("links.csv: %d records (a header, then a row each?), %v", len(records), err)
	}
	rows := map[string]bool{}
	for _, rec := range records[1:] {
		rows[rec[0]] = true
	}
	if len(rows) != 40 {
		t.Errorf("links.csv has %d rows, want each of 40 once", len(rows))
	}

	// A third run has nothing to send; --restart sends all again.
	if r := f.batch(in, "--concurrency", "2"); r.code != exitOK || !strings.Contains(r.stderr, "Skipping 40 rows") || len(f.api.Requests()) != 40 {
		t.Errorf("third run: exit %d, %d requests\n%s", r.code, len(f.api.Requests()), r)
	}
	if r := f.batch(in, "--restart", "--concurrency", "2"); r.code != exitOK || len(f.created()) != 40 || f.created()["acme-1"] != 2 {
		t.Errorf("--restart: exit %d\n%s", r.code, r)
	}
}

// Rows the API refuses go to FILE.failed.csv (exit 1), which runs again.
func TestBatchFailedRowsRunAgain(t *testing.T) {
	f := newBatchFixture(t)
	in := f.write("customers.csv", customersCSV(5))
	f.api.FailNext(400, 2)
	r := f.batch(in, "--concurrency", "1", "--results", "links.jsonl")
	if r.code != exitError || !strings.Contains(r.stderr, "2 rows without a session: in customers.failed.csv") || !strings.Contains(r.stderr, "vault-session: 2 rows failed") {
		t.Fatalf("exit %d\n%s", r.code, r)
	}
	data, _ := os.ReadFile("customers.failed.csv")
	if string(data) != "consumer_id,user_name,email\nacme-1,Ann 1,ann1@acme.example\nacme-2,Ann 2,ann2@acme.example\n" {
		t.Errorf("failed rows:\n%s", data)
	}
	r = f.batch("customers.failed.csv", "--results", "links.jsonl")
	if r.code != exitOK || len(f.created()) != 5 {
		t.Errorf("the failed rows again: exit %d, %d consumers\n%s", r.code, len(f.created()), r)
	}
	// Run again with no failure, the first batch's failed rows file goes.
	if r := f.batch(in, "--restart"); r.code != exitOK || !strings.Contains(r.stderr, "customers.failed.csv from an earlier run was removed") {
		t.Errorf("exit %d\n%s", r.code, r)
	}
	if _, err := os.Stat("customers.failed.csv"); !os.IsNotExist(err) {
		t.Errorf("customers.failed.csv: %v", err)
	}
}

// --skip-invalid sends the valid rows; the invalid ones go to the failed
// rows and the results, exit 1.
func TestBatchSkipInvalid(t *testing.T) {
	f := newBatchFixture(t)
	in := f.write("people.jsonl", `{"consumer_id":"a","email":"a@x.example"}`+"\n"+`{"consumer_id":"b","email":"nope"}`+"\n"+`{"consumer_id":"c"}`+"\n")
	r := f.batch(in, "--skip-invalid", "--output", "json")
	if r.code != exitError || len(f.created()) != 2 || !strings.Contains(r.stderr, `people.jsonl:2: email: "nope" is not an email address`) {
		t.Fatalf("exit %d, %d created\n%s", r.code, len(f.created()), r)
	}
	if !strings.Contains(r.stdout, `"error":"invalid: people.jsonl:2: email:`) {
		t.Errorf("stdout:\n%s", r.stdout)
	}
	data, _ := os.ReadFile("people.failed.jsonl")
	if string(data) != `{"consumer_id":"b","email":"nope"}`+"\n" {
		t.Errorf("failed rows: %q", data)
	}
}

// --dry-run checks and prints the plan; nothing is sent or kept.
func TestBatchDryRun(t *testing.T) {
	f := newBatchFixture(t)
	in := f.write("customers.csv", customersCSV(9))
	r := f.batch(in, "--dry-run", "--rate", "3", "--primary-color", "navy")
	if r.code != exitOK || len(f.api.Requests()) != 0 {
		t.Fatalf("exit %d, %d requests\n%s", r.code, len(f.api.Requests()), r)
	}
	for _, want := range []string{"customers.csv: 9 rows (CSV), 9 valid, 0 invalid", "would send 9 sessions to 127.0.0.1:", "(app app-1), 4 at a time, at most 3 a second: about 3s",
		"links to: stdout", "rows without a session to: customers.failed.csv", `"primary_color": "#000080"`} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("plan lacks %q:\n%s", want, r.stdout)
		}
	}
	r = f.batch(in, "--dry-run", "--output", "json")
	var plan map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &plan); err != nil || plan["to_send"] != 9.0 || plan["rows"] != 9.0 {
		t.Errorf("json plan %v (%v):\n%s", plan, err, r.stdout)
	}
	st, _ := store.Open(f.c.getenv)
	if entries, _ := os.ReadDir(st.JournalDir()); len(entries) != 0 {
		t.Errorf("a dry run kept %d journals", len(entries))
	}
}

// Stdin is read like a file: checked whole, then sent from a copy.
func TestBatchFromStdin(t *testing.T) {
	f := newBatchFixture(t)
	f.c.stdin = strings.NewReader(customersCSV(3))
	r := f.batch("-")
	if r.code != exitOK || len(f.created()) != 3 || strings.Count(r.stdout, "\n") != 3 {
		t.Fatalf("exit %d, %d created\n%s", r.code, len(f.created()), r)
	}
}

// The rows are a stream: --output jsonl, as every other command names a
// stream, prints a JSON line per row (json prints the same).
func TestBatchOutputJSONL(t *testing.T) {
	f := newBatchFixture(t)
	f.c.stdin = strings.NewReader(customersCSV(3))
	r := f.batch("-", "--no-history", "--output", "jsonl")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != exitOK || len(lines) != 3 {
		t.Fatalf("exit %d\n%s", r.code, r)
	}
	for _, l := range lines {
		var row struct {
			Row        int    `json:"row"`
			ConsumerID string `json:"consumer_id"`
			SessionURI string `json:"session_uri"`
		}
		if err := json.Unmarshal([]byte(l), &row); err != nil || row.Row == 0 || row.ConsumerID == "" || row.SessionURI == "" {
			t.Errorf("line %q: %v", l, err)
		}
	}
}

// With stderr on a terminal, the progress bar is drawn there and its last
// frame ends with the summary; where the links went follows.
func TestBatchDrawsItsBarOnATerminal(t *testing.T) {
	f := newBatchFixture(t)
	f.c.stderrTerminal = true
	in := f.write("customers.csv", customersCSV(25))
	r := f.batch(in, "--results", "links.jsonl")
	if r.code != exitOK {
		t.Fatalf("exit %d\n%s", r.code, r)
	}
	screen := ansi.Strip(r.stderr)
	bar := strings.LastIndex(screen, "████")
	done := strings.LastIndex(screen, "Done in ")
	links := strings.LastIndex(screen, "Links: links.jsonl")
	if bar < 0 || done < bar || links < done || !strings.Contains(screen, "25/25") || !strings.Contains(screen, "25 created, 0 failed") {
		t.Errorf("want the bar, then the summary, then the links:\n%s", screen)
	}
	if strings.Contains(screen, "row 1 (line 2)") {
		t.Error("plain lines on a terminal")
	}
}

// A batch keeps its pace on the command's clock: with a test's clock that
// moves by each wait, 12 rows at --rate 2 take 5.5 s of it (eleven waits
// of 0.5 s between starts) and no time at all.
func TestBatchPacesOnTheCommandsClock(t *testing.T) {
	f := newBatchFixture(t)
	clock := mock.NewClock(fixedNow)
	f.c.configured = func(a *app) { a.now, a.sleep = clock.Now, clock.Sleep }
	in := f.write("customers.csv", customersCSV(12))
	if r := f.batch(in, "--rate", "2", "--concurrency", "1"); r.code != exitOK {
		t.Fatalf("exit %d\n%s", r.code, r)
	}
	if got := clock.Now().Sub(fixedNow); got != 5500*time.Millisecond {
		t.Errorf("12 rows at --rate 2 took %v of the clock, want 5.5s", got)
	}
	if n := len(f.created()); n != 12 {
		t.Errorf("%d consumers got a session, want 12", n)
	}
}

// The results, the failed rows and the input are three files: results
// appended to the input were read back as rows without end, and failed
// rows put in the input's place replaced it (or removed it when every row
// got its session). A symbolic link as --results would have had the file
// it points at made 0600 and filled with links. Each is refused before
// anything is sent, and nothing is touched.
func TestBatchRefusesFilesThatOverlapOrLink(t *testing.T) {
	f := newBatchFixture(t)
	input := customersCSV(2)
	in := f.write("customers.csv", input)
	target := f.write("elsewhere.jsonl", "someone's file\n")
	if err := os.Symlink(target, filepath.Join(f.dir, "link.jsonl")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--results", "customers.csv"}, "the input and --results are the same file (customers.csv)"},
		{[]string{"--results", "./customers.csv"}, "the input and --results are the same file"},
		{[]string{"--retry-file", "customers.csv"}, "the input and --retry-file are the same file (customers.csv)"},
		{[]string{"--results", "out.csv", "--retry-file", "out.csv"}, "--results and --retry-file are the same file (out.csv)"},
		{[]string{"--results", "link.jsonl"}, "--results link.jsonl is a symbolic link: give the file itself"},
	} {
		r := f.batch(append([]string{in}, tc.args...)...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%q: exit %d, want 2 and %q\n%s", tc.args, r.code, tc.want, r)
		}
	}
	if n := len(f.created()); n != 0 {
		t.Errorf("%d sessions were created", n)
	}
	if data, _ := os.ReadFile(in); string(data) != input {
		t.Errorf("the input was changed:\n%s", data)
	}
	info, err := os.Stat(target)
	if data, _ := os.ReadFile(target); err != nil || string(data) != "someone's file\n" || info.Mode().Perm() != 0o644 {
		t.Errorf("the link's target was touched: %q, %v", data, info.Mode())
	}
}
