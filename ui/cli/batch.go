package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/client/mock"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/batch"
	"github.com/apideck-samples/vault-session/model/keptfile"
	"github.com/apideck-samples/vault-session/model/store"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/apideck-samples/vault-session/ui/batchrun"
	"github.com/apideck-samples/vault-session/ui/batchview"
	"github.com/apideck-samples/vault-session/ui/lockedwriter"
	"github.com/apideck-samples/vault-session/ui/termbg"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// batchJob is what `batch` was asked to do.
type batchJob struct {
	session     sessionInput
	creds       credentialInput
	display     displayInput
	output      string
	concurrency int
	rate        float64
	timeout     time.Duration
	results     string
	retryFile   string
	skipInvalid bool
	dryRun      bool
	restart     bool
	// resendUncertain sends the rows an earlier run sent without hearing
	// back.
	resendUncertain bool
	noHistory       bool
}

// maxConcurrency bounds --concurrency: past a few dozen, more workers only
// meet the API's rate limit sooner.
const maxConcurrency = 64

// newBatchCmd is `vault-session batch FILE`: a session for every row.
func newBatchCmd(a *app) *cobra.Command {
	var job batchJob
	cmd := &cobra.Command{
		Use:   "batch FILE [flags]",
		Short: "create a session for every consumer of a CSV or JSON Lines file",
		Long: `Creates a session for each row of FILE (CSV with a header row, or JSON Lines;
"-" reads stdin). A row gives consumer_id (required) and may give account_name,
user_name, email, image, unified_apis, session_length and redirect_uri; the
theme and every other setting come from --preset, --from and the flags, laid
over each other as create lays them. Other columns are an error.

Every row is checked before anything is sent: an invalid row stops the batch
(exit 2) with FILE:LINE for each problem, unless --skip-invalid. Requests go
--concurrency at a time, at most --rate a second; a 429's Retry-After pauses
the whole batch. Each row is journaled as it happens, as sent before its
request leaves and with its outcome after: running the same command again
after Ctrl+C, a crash or a power cut creates sessions only for the rows
without one (--restart starts over). A row whose request was in flight when
a run ended (kill -9, a power cut, a second Ctrl+C) is uncertain: a session
may exist for it, but its link was never received. It is listed and kept
with the failed rows, not sent again unless --resend-uncertain.

Links go to --results (.jsonl or .csv, written 0600: they open customers'
Vaults), or to stdout. Rows that failed go to FILE.failed.csv (or
--retry-file), in FILE's format, ready to run again.`,
		Example: `  # A session for each customer of a CSV file, on the built-in demo API,
  # the links in a private results file
  vault-session batch testdata/customers.example.csv --demo \
    --primary-color '#ff5a1f' --results links.jsonl

  # Check every row and print the plan; nothing is sent
  vault-session batch testdata/customers.example.csv --demo --dry-run

  # On a demo-server, 8 at a time as fast as it answers; rows that fail go
  # to testdata/customers.example.failed.csv, to run again once fixed
  vault-session batch testdata/customers.example.csv --api-key demo \
    --base-url http://127.0.0.1:8080 --app-id demo-app --concurrency 8 --rate 0

  # From another program, as JSON Lines on stdin, a JSON line per row out
  ./export-customers | vault-session batch - --app-id my-app --output json`,
		Annotations: map[string]string{
			annotationExitCodes: "0 every row has a session (now or from an earlier run), 1 some rows failed, were invalid and skipped, or are uncertain and were not sent again (they are in the failed rows file), 2 bad usage or invalid rows (nothing was sent), 130 interrupted (run the same command again to go on).",
		},
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return &usageError{msg: fmt.Sprintf("batch takes one FILE (a CSV or JSON Lines file, or - for stdin), got %d\nRun '%s --help' for usage.", len(args), commandPathFor(a, cmd))}
			}
			return nil
		},
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return []cobra.Completion{"csv", "jsonl", "ndjson"}, cobra.ShellCompDirectiveFilterFileExt
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runBatch(cmd.Context(), cmd.Flags(), args[0], job)
		},
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	fs.IntVar(&job.concurrency, "concurrency", client.DefaultWorkers, fmt.Sprintf("requests in flight at once, 1 to %d (default %d)", maxConcurrency, client.DefaultWorkers))
	fs.Float64Var(&job.rate, "rate", client.DefaultRate, "requests a second at most, retries included; 0 sends as fast as the API answers (default 2: 120 a minute, under Apideck's per-minute limits)")
	registerTimeout(fs, &job.timeout, "give up on one row after this long, retries included (default 2m)")
	setArg(fs, "concurrency", "N")
	setArg(fs, "rate", "R")
	inGroup(fs, "Pace", "concurrency", "rate", "timeout")
	fs.StringVar(&job.results, "results", "", "append each row's session or error to FILE (.jsonl or .csv), written 0600; default: stdout")
	fs.StringVar(&job.retryFile, "retry-file", "", "where the rows that got no session go (default: FILE.failed.csv beside FILE, in its format)")
	registerOutput(fs, &job.output, "what stdout shows without --results: text (a line per link), or jsonl (a JSON line per row; json says the same); with --dry-run, json prints the plan")
	setArg(fs, "results", "FILE")
	setArg(fs, "retry-file", "FILE")
	inGroup(fs, "Output", "results", "retry-file", "output")
	fs.BoolVar(&job.skipInvalid, "skip-invalid", false, "send the valid rows of a file that has invalid ones (they go to the failed rows)")
	fs.BoolVar(&job.dryRun, "dry-run", false, "check every row and print the plan; send nothing")
	fs.BoolVar(&job.restart, "restart", false, "forget what an earlier run of this batch created, and send every row again")
	fs.BoolVar(&job.resendUncertain, "resend-uncertain", false, "send again the rows an earlier run sent and never heard back from (it was killed or lost power): their customers may get a second link")
	fs.BoolVar(&job.noHistory, "no-history", false, "do not add the sessions to the history (or set VAULT_SESSION_NO_HISTORY=1)")
	inGroup(fs, "Batch", "skip-invalid", "dry-run", "restart", "resend-uncertain", "no-history")
	fs.StringVar(&job.display.theme, "theme", "", "the progress bar's palette: light, dark or auto (or set "+termbg.EnvVar+")")
	fs.BoolVar(&job.display.accessible, "accessible", false, "plain lines instead of a progress bar (also ACCESSIBLE=1, or TERM=dumb)")
	setArg(fs, "theme", "MODE")
	inGroup(fs, "Display", "theme", "accessible")
	// Each row gives its consumer: --consumer-id has nothing to say here.
	job.creds.registerWithoutConsumer(fs)
	job.session.register(fs)
	return cmd
}

// batchRun is one batch being run: what runBatch sets up and tears down.
type batchRun struct {
	job     batchJob
	src     *batchrun.Source
	plan    batch.Plan
	creds   credentialInput
	shared  model.Session
	client  *client.Client
	gate    *client.Gate
	apiHost string
	isDemo  bool
	// again is the command that sends the rows of a file as this run
	// sends its own: its setting and flags (commandLine).
	again func(file string) string
}

func (a *app) runBatch(ctx context.Context, fs *pflag.FlagSet, input string, job batchJob) error {
	output, err := parseOutputOf(job.output, outputText, outputJSONL, outputJSON)
	if err != nil {
		return err
	}
	if output == outputJSONL {
		// The rows are a stream, named jsonl as every other command's
		// stream is; json has always printed the same lines.
		output = outputJSON
	}
	job.output = string(output)
	if err := checkTimeout(job.timeout); err != nil {
		return err
	}
	if err := checkConcurrency(job.concurrency, maxConcurrency); err != nil {
		return err
	}
	switch {
	case job.rate < 0 || math.IsNaN(job.rate) || math.IsInf(job.rate, 0):
		return &usageError{msg: fmt.Sprintf("--rate %g: give requests a second, or 0 for no pacing", job.rate)}
	case input == "-" && job.session.from == "-":
		return &usageError{msg: "FILE and --from cannot both be stdin (-)"}
	case job.results != "" && batchrun.ResultsFormatOf(job.results) == "":
		return &usageError{msg: fmt.Sprintf("--results %s: name a .jsonl or .csv file (the extension says the format)", job.results)}
	}
	disp, err := job.display.resolve(fs, a.getenv)
	if err != nil {
		return err
	}
	if job.creds, err = job.creds.resolve(fs, a.getenv); err != nil {
		return err
	}
	job.creds.consumerID = "" // each row's
	if !job.creds.demo && job.creds.apiKey == "" && !job.dryRun {
		return &usageError{msg: "no API key: pass --api-key or set " + envAPIKey + " (or pass --demo to try the built-in demo API)"}
	}
	shared, err := job.session.load(ctx, a.streams.In, a.findPreset())
	if err != nil {
		return err
	}
	shared = shared.Normalized()
	if errs := batch.CheckShared(job.creds.appID, shared); errs != nil {
		return &invalidSessionError{errs: errs}
	}

	src, err := batchrun.Open(ctx, input, a.streams.In)
	if err != nil {
		return batchInputError(input, err)
	}
	defer src.Close()
	plan, err := src.Check(ctx, a.streams.In, job.creds.appID, shared)
	if err != nil {
		return batchInputError(src.Name, err)
	}
	a.reportProblems(src.Name, plan)
	if plan.Invalid() > 0 && !job.skipInvalid {
		if plan.Valid == 0 {
			return &usageError{msg: fmt.Sprintf("%d of %d rows of %s are invalid: nothing was sent. Fix them and run this again",
				plan.Invalid(), plan.Rows, termtext.Line(src.Name))}
		}
		return &usageError{msg: fmt.Sprintf("%d of %d rows of %s are invalid: nothing was sent. Fix them, or pass --skip-invalid to send the valid ones (%d)",
			plan.Invalid(), plan.Rows, termtext.Line(src.Name), plan.Valid)}
	}

	setting, flags := runSettingOf(fs), givenFlags(fs, "retry-file", "restart", "dry-run", "resend-uncertain")
	again := func(file string) string { return a.commandLine(setting, "batch", append([]string{file}, flags...)...) }
	r := &batchRun{job: job, src: src, plan: plan, creds: job.creds, shared: shared, isDemo: job.creds.demo, again: again}
	if err := batchrun.CheckPaths(src.Path(), job.results, r.failedPath()); err != nil {
		return &usageError{msg: keptfile.ErrorText(err)}
	}
	var demo *mock.Demo
	if job.creds.demo {
		demo = mock.NewDemo()
		defer demo.Close()
	}
	r.gate = client.NewGate(job.rate)
	if a.sleep != nil { // a test's clock: the pace is kept on it
		r.gate = client.NewGateWithClock(job.rate, a.now, a.sleep)
	}
	r.client = a.newClient(job.creds, demo).With(client.WithGate(r.gate))
	r.apiHost = "demo"
	if !job.creds.demo {
		r.apiHost = r.client.Host()
	}
	if job.dryRun {
		return a.printBatchPlan(r)
	}
	return a.sendBatch(ctx, r, disp)
}

// batchInputError says why the input cannot be used: a problem with the
// file itself (no header, unknown columns) at its line, exit 2.
func batchInputError(name string, err error) error {
	var ie *batch.InputError
	switch {
	case errors.Is(err, batchrun.ErrInterrupted):
		return errInterrupted
	case errors.As(err, &ie):
		return &usageError{msg: ie.Problem.Format(name)}
	}
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Path == name {
		return &usageError{msg: keptfile.ErrorText(err)} // it names the file
	}
	return &usageError{msg: fmt.Sprintf("cannot read %s: %s", name, keptfile.ErrorText(err))}
}

// reportProblems lists the plan's problems as FILE:LINE: field: message,
// at most batch.MaxProblems, then how many more.
func (a *app) reportProblems(name string, plan batch.Plan) {
	for _, p := range plan.Problems {
		fmt.Fprintln(a.streams.ErrOut, termtext.Line(p.Format(name)))
	}
	if more := plan.ProblemCount - len(plan.Problems); more > 0 {
		fmt.Fprintf(a.streams.ErrOut, "… and %d more problems (the first %d are listed)\n", more, len(plan.Problems))
	}
}

// builtInDemo is --demo: the API lives in this process.
func (r *batchRun) builtInDemo() bool { return r.creds.demo }

func (r *batchRun) journalKey() string {
	return batch.JournalKey(r.plan.Digest, r.creds.appID, r.apiHost, r.shared)
}

// failedPath is where the failed rows go: --retry-file, or beside FILE.
func (r *batchRun) failedPath() string {
	if r.job.retryFile != "" {
		return r.job.retryFile
	}
	return batchrun.FailedPathFor(r.src.Path(), r.src.Format)
}

// printBatchPlan is --dry-run: what would be sent, and nothing is.
func (a *app) printBatchPlan(r *batchRun) error {
	done, uncertain := 0, 0
	if st := a.openStore(); st != nil {
		if state, ok, err := st.PeekJournal(r.journalKey()); err == nil && ok && !r.job.restart && !r.builtInDemo() {
			// What a run would read back from the results, read and not
			// recorded.
			if _, err := batchrun.Settle(&state, nil); err == nil {
				done, uncertain = len(state.Created), len(state.Uncertain)
			}
		}
	}
	toSend := max(r.plan.Valid-done, 0)
	if !r.job.resendUncertain {
		toSend = max(toSend-uncertain, 0)
	}
	if outputFormat(r.job.output) == outputJSON {
		return writeJSON(a.streams.Out, batchPlanJSON{
			Input: r.src.Name, Format: string(r.plan.Format), Rows: r.plan.Rows, Valid: r.plan.Valid,
			Invalid: r.plan.Invalid(), DoneBefore: done, Uncertain: uncertain, ToSend: toSend, API: r.apiHost, AppID: r.creds.appID,
			Concurrency: r.job.concurrency, Rate: r.job.rate, EstimateSeconds: estimate(toSend, r.job.rate).Seconds(),
			Shared: r.shared,
		})
	}
	w := a.streams.Out
	fmt.Fprintf(w, "%s: %d rows (%s), %d valid, %d invalid\n", termtext.Line(r.src.Name), r.plan.Rows, strings.ToUpper(string(r.plan.Format)), r.plan.Valid, r.plan.Invalid())
	if done > 0 {
		fmt.Fprintf(w, "%d rows have a session from an earlier run of this batch and are skipped (--restart sends them again)\n", done)
	}
	if uncertain > 0 {
		what := "not sent (--resend-uncertain sends them)"
		if r.job.resendUncertain {
			what = "sent again (--resend-uncertain)"
		}
		fmt.Fprintf(w, "%s uncertain, %s: %s\n", rows(uncertain), what, uncertainWhy)
	}
	pace := fmt.Sprintf("at most %g a second", r.job.rate)
	if r.job.rate == 0 {
		pace = "as fast as the API answers"
	}
	fmt.Fprintf(w, "would send %d sessions to %s (app %s), %d at a time, %s", toSend, termtext.Line(r.apiHost), termtext.Line(r.creds.appID), r.job.concurrency, pace)
	if d := estimate(toSend, r.job.rate); d > 0 {
		fmt.Fprintf(w, ": about %s", model.RoughDurationText(d))
	}
	fmt.Fprintln(w)
	results := "stdout"
	if r.job.results != "" {
		results = r.job.results + " (appended, 0600)"
	}
	fmt.Fprintf(w, "links to: %s\n", termtext.Line(results))
	if p := r.failedPath(); p != "" {
		fmt.Fprintf(w, "rows without a session to: %s\n", termtext.Line(p))
	}
	body, _ := json.Marshal(r.shared)
	fmt.Fprintf(w, "each row's values over this session:\n%s\n", termtext.Text(string(model.IndentJSON(body, model.IndentedLevels))))
	return nil
}

type batchPlanJSON struct {
	Input           string        `json:"input"`
	Format          string        `json:"format"`
	Rows            int           `json:"rows"`
	Valid           int           `json:"valid"`
	Invalid         int           `json:"invalid"`
	DoneBefore      int           `json:"done_before"`
	Uncertain       int           `json:"uncertain"`
	ToSend          int           `json:"to_send"`
	API             string        `json:"api"`
	AppID           string        `json:"app_id"`
	Concurrency     int           `json:"concurrency"`
	Rate            float64       `json:"rate"`
	EstimateSeconds float64       `json:"estimate_seconds"`
	Shared          model.Session `json:"shared_session"`
}

// estimate is how long n requests take at rate a second; 0 when unpaced.
func estimate(n int, rate float64) time.Duration {
	if rate <= 0 || n == 0 {
		return 0
	}
	return time.Duration(float64(n) / rate * float64(time.Second))
}

// sendBatch runs the batch with its journal, results and failed rows, and
// shows it as it goes.
func (a *app) sendBatch(ctx context.Context, r *batchRun, disp display) error {
	st := a.openStore()
	if st == nil {
		return errors.New("a batch keeps a journal of what it created, which needs a state folder (set XDG_STATE_HOME or HOME)")
	}
	key := r.journalKey()
	// The built-in demo's links die with the process that made them: a
	// run again has nothing to go on from, and sends every row.
	if r.job.restart || r.builtInDemo() {
		if err := st.RemoveJournal(key); err != nil {
			return journalError(err)
		}
	}
	journal, state, err := st.OpenJournal(key, store.JournalAbout{
		Input: r.src.Name, Format: string(r.plan.Format), Rows: r.plan.Rows, AppID: r.creds.appID, APIHost: r.apiHost,
	})
	if err != nil {
		return journalError(err)
	}
	defer journal.Close()
	errOut := lockedwriter.New(a.streams.ErrOut)
	if state.Repaired {
		fmt.Fprintln(errOut, "vault-session: the journal's last line was cut short (a crash or a power cut while it was written): that row is sent again")
	}
	recovered, err := batchrun.Settle(&state, func(u store.SentRow, res batchrun.Result) error {
		return journal.Recovered(u.Row, u.ConsumerID, res.Expiry(), res.Error)
	})
	if err != nil {
		return err
	}
	if n := len(recovered); n > 0 {
		fmt.Fprintf(errOut, "%s had their link written to the results by the run before, which ended before recording it: not sent again.\n", rows(n))
	}
	if n := len(state.Created); n > 0 {
		fmt.Fprintf(errOut, "Skipping %d rows that got their session in an earlier run of this batch (started %s); --restart sends them again.\n",
			n, state.About.Started.Local().Format("2006-01-02 15:04"))
	}
	if len(state.Uncertain) > 0 {
		a.reportUncertain(errOut, r, state.Uncertain)
	}

	results, err := a.openBatchResults(r, errOut)
	if err != nil {
		return err
	}
	defer results.Close()
	failed, err := r.openFailed()
	if err != nil {
		return err
	}

	runner := &batchrun.Runner{
		Source: r.src, Plan: r.plan, AppID: r.creds.appID, APIKey: r.creds.apiKey, Shared: r.shared,
		Sender:      client.Sender{Client: r.client, Workers: r.job.concurrency, Timeout: r.job.timeout},
		Gate:        r.gate,
		SkipInvalid: r.job.skipInvalid,
		Journal:     journal, Done: state.Created, Results: results, Failed: failed,
		Recovered: recovered, Uncertain: state.Uncertain, ResendUncertain: r.job.resendUncertain,
		Now: a.now,
	}
	if !a.historyOff(r.job.noHistory) {
		apiBase := r.client.BaseURL()
		runner.Record = func(req model.Request, res client.Result) {
			base, demo := apiBase, r.isDemo || res.Demo
			if demo {
				base = ""
			}
			a.recordCreated(req, res, r.job.session.presetName, base, demo)
		}
	}

	// The first Ctrl+C (or SIGTERM) stops sending and lets the requests
	// in flight finish, so no session created goes unrecorded; a second
	// gives up on them.
	stop, stopSending := context.WithCancel(ctx)
	defer stopSending()
	requests, abandon := context.WithCancel(context.WithoutCancel(ctx))
	defer abandon()

	showBar := a.streams.IsStderrTTY() && !disp.accessible
	var summary batchrun.Summary
	var runErr error
	if showBar {
		summary, runErr = a.runWithBar(r, runner, results, stop, requests, stopSending, abandon, disp)
	} else {
		summary, runErr = a.runPlain(r, runner, stop, requests, abandon)
	}
	removedOld := false
	if failed != nil {
		if runErr != nil {
			failed.Abort()
		} else if removedOld, err = failed.Finish(); err != nil {
			runErr = err
		}
	}
	// The bar's last frame holds the summary line already; where the links
	// and the failed rows went follows it either way.
	if !showBar {
		fmt.Fprintln(errOut, summaryLine(summary))
	}
	fmt.Fprint(errOut, batchSummary(r, summary, results, failed, removedOld))
	switch {
	case runErr != nil:
		return runErr
	case summary.Interrupted:
		return &batchStoppedError{left: summary.Remaining()}
	case summary.Failed > 0 || summary.Invalid > 0 || summary.Uncertain > 0:
		return &batchFailedError{failed: summary.Failed, invalid: summary.Invalid, uncertain: summary.Uncertain}
	}
	return nil
}

// uncertainWhy says why a row is uncertain.
const uncertainWhy = "the run before ended while their requests were in flight: a session may exist for them, but its link was never received"

// reportUncertain lists the rows an earlier run sent and never heard back
// from, as FILE:LINE consumer_id (at most batch.MaxProblems, then a
// count), says why, and what this run does with them.
func (a *app) reportUncertain(w io.Writer, r *batchRun, uncertain []store.SentRow) {
	numbers := make([]int, 0, min(len(uncertain), batch.MaxProblems))
	for _, u := range uncertain[:min(len(uncertain), batch.MaxProblems)] {
		numbers = append(numbers, u.Row)
	}
	lines, _ := r.src.LinesOf(numbers) // a row not found is named by number
	fmt.Fprintf(w, "vault-session: %s uncertain: %s.\n", rowsAre(len(uncertain)), uncertainWhy)
	for _, u := range uncertain[:len(numbers)] {
		where := fmt.Sprintf("%s:%d", r.src.Name, lines[u.Row])
		if lines[u.Row] == 0 {
			where = fmt.Sprintf("%s row %d", r.src.Name, u.Row)
		}
		fmt.Fprintf(w, "  %s %s\n", termtext.Line(where), termtext.LineN(u.ConsumerID, 80))
	}
	if more := len(uncertain) - len(numbers); more > 0 {
		fmt.Fprintf(w, "  … and %d more\n", more)
	}
	twice := "a customer whose session was made then has two links, both working until they expire"
	if r.job.resendUncertain {
		fmt.Fprintf(w, "They are sent again (--resend-uncertain): %s.\n", twice)
		return
	}
	kept := ""
	if p := r.failedPath(); p != "" {
		kept = ", and go to " + termtext.Line(p)
	}
	fmt.Fprintf(w, "They are not sent again%s; --resend-uncertain sends them (%s).\n", kept, twice)
}

// rowsAre says "1 row is", "2 rows are".
func rowsAre(n int) string {
	if n == 1 {
		return "1 row is"
	}
	return fmt.Sprintf("%d rows are", n)
}

func journalError(err error) error {
	if errors.Is(err, store.ErrJournalBusy) {
		return fmt.Errorf("%w: wait for it to end (or stop it) and run this again", err)
	}
	return err
}

// openBatchResults opens --results, saying where the links go and that
// the file is private; without it, the links go to stdout.
func (a *app) openBatchResults(r *batchRun, errOut io.Writer) (batchrun.Results, error) {
	if r.job.results == "" {
		if outputFormat(r.job.output) == outputJSON {
			return batchrun.StreamResults{W: a.streams.Out}, nil
		}
		return &textResults{w: a.streams.Out}, nil
	}
	f, err := batchrun.OpenResults(r.job.results)
	if err != nil {
		return nil, &usageError{msg: keptfile.ErrorText(err)}
	}
	note := ""
	switch {
	case f.Tightened:
		note = "; it was readable by others, now it is not"
	case f.Before > 0:
		note = "; appended to"
	}
	fmt.Fprintf(errOut, "Links go to %s (0600: each opens a customer's Vault; keep it private%s).\n", termtext.Line(f.Path()), note)
	return f, nil
}

// openFailed prepares the failed rows file, or nil when there is no place
// for it (stdin without --retry-file).
func (r *batchRun) openFailed() (*batchrun.FailedRows, error) {
	path := r.failedPath()
	if path == "" {
		return nil, nil
	}
	rows, err := r.src.Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	reader, err := batch.NewReader(rows, r.src.Format)
	if err != nil {
		return nil, err
	}
	f, err := batchrun.CreateFailedRows(path, reader)
	if err != nil {
		return nil, &usageError{msg: keptfile.ErrorText(err)}
	}
	return f, nil
}

// runPlain runs the batch saying it in plain lines on stderr; the signals
// that end the run's context stop it, a second one abandons.
func (a *app) runPlain(r *batchRun, runner *batchrun.Runner, stop, requests context.Context, abandon func()) (batchrun.Summary, error) {
	errOut := lockedwriter.New(a.streams.ErrOut)
	plain := &batchview.Plain{W: errOut, Progress: runner.Progress, Total: runner.ToSend()}
	runner.Observe = plain.Observe
	fmt.Fprintf(errOut, "Sending %s of %s to %s, %d at a time%s.\n", rows(runner.ToSend()), termtext.Line(r.src.Name), termtext.Line(r.apiHost), r.job.concurrency, paceText(r.job.rate))
	defer a.onSignals(func(n int) {
		if n == 1 {
			runner.Stopping()
			fmt.Fprintf(errOut, "stopping: the %d requests in flight finish (Ctrl+C again to abandon them)\n", runner.Progress().InFlight)
			return
		}
		abandon()
	})()
	return runner.Run(stop, requests)
}

// rows says "1 row", "2 rows".
func rows(n int) string {
	if n == 1 {
		return "1 row"
	}
	return fmt.Sprintf("%d rows", n)
}

func paceText(rate float64) string {
	if rate == 0 {
		return ", as fast as the API answers"
	}
	return fmt.Sprintf(", at most %g a second", rate)
}

// onSignals calls fn with the count of each SIGINT, SIGTERM or SIGHUP
// that comes until the returned function is called. The run's context is
// cancelled on the first by run's own handler; this one counts them.
func (a *app) onSignals(fn func(n int)) (stop func()) {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		n := 0
		for {
			select {
			case <-sigs:
				n++
				fn(n)
			case <-done:
				return
			}
		}
	}()
	return func() {
		signal.Stop(sigs)
		close(done)
		wg.Wait()
	}
}

// runWithBar runs the batch under the progress bar on stderr. The bar
// reads stdin's keys only when stdin is a terminal that is not the input.
func (a *app) runWithBar(r *batchRun, runner *batchrun.Runner, results batchrun.Results, stop, requests context.Context,
	stopSending, abandon func(), disp display) (batchrun.Summary, error) {
	renderer := lipgloss.NewRenderer(a.streams.ErrOut)
	background := termbg.Decide(disp.theme, func() (string, bool) {
		f, ok := a.streams.ErrOut.(*os.File)
		if !ok {
			return "", false
		}
		return termbg.Ask(stop, f)
	}, a.getenv)
	renderer.SetHasDarkBackground(background.Dark)
	if !a.streams.ColorEnabled() && a.getenv("NO_COLOR") != "" {
		renderer.SetColorProfile(termenv.Ascii)
	}
	var once sync.Once
	stopOnce := func() { once.Do(func() { runner.Stopping(); stopSending() }) }
	model := batchview.New(batchview.Options{Renderer: renderer, Progress: runner.Progress, Stop: stopOnce, Abandon: abandon, Now: a.now})
	opts := []tea.ProgramOption{tea.WithOutput(a.streams.ErrOut), tea.WithoutSignalHandler()}
	if a.streams.IsStdinTTY() && r.src.Path() != "" {
		opts = append(opts, tea.WithInput(a.streams.In))
	} else {
		opts = append(opts, tea.WithInput(nil))
	}
	program := tea.NewProgram(model, opts...)
	// Links printed on the terminal the bar is drawn on go above it.
	if tr, ok := results.(*textResults); ok && a.streams.IsStdoutTTY() {
		tr.print = func(line string) { program.Println(line) }
	}
	defer a.onSignals(func(n int) {
		if n == 1 {
			stopOnce()
			program.Send(batchview.Interrupted{})
			return
		}
		abandon()
	})()

	type ran struct {
		summary batchrun.Summary
		err     error
	}
	result := make(chan ran, 1)
	go func() {
		summary, err := runner.Run(stop, requests)
		result <- ran{summary, err}
		program.Send(batchview.Finished{Summary: summaryLine(summary) + "\n"})
	}()
	if _, err := program.Run(); err != nil {
		// The screen failed, not the batch: it goes on unseen, and its
		// end is still waited for, so nothing it writes is cut short.
		fmt.Fprintf(a.streams.ErrOut, "vault-session: the progress bar failed (%v); the batch goes on\n", err)
	}
	r2 := <-result
	return r2.summary, r2.err
}

// summaryLine says how the batch ended in one line: the counts, the time
// and the requests a second reached.
func summaryLine(s batchrun.Summary) string {
	rate := ""
	if secs := s.Elapsed.Seconds(); secs > 0 && s.Created+s.Failed > 0 {
		rate = fmt.Sprintf(", %.1f requests a second", float64(s.Created+s.Failed)/secs)
	}
	counts := fmt.Sprintf("%d created, %d failed", s.Created, s.Failed)
	if s.Invalid > 0 {
		counts += fmt.Sprintf(", %d invalid (not sent)", s.Invalid)
	}
	if s.Skipped > 0 {
		counts += fmt.Sprintf(", %d skipped (created in an earlier run)", s.Skipped)
	}
	if s.Uncertain > 0 {
		counts += fmt.Sprintf(", %d uncertain (not sent)", s.Uncertain)
	}
	if s.Interrupted {
		return fmt.Sprintf("Stopped after %s: %s; %d not sent yet%s.", model.RoughDurationText(s.Elapsed), counts, s.Remaining(), rate)
	}
	return fmt.Sprintf("Done in %s: %s%s.", model.RoughDurationText(s.Elapsed), counts, rate)
}

// batchSummary says, after summaryLine, where everything went and what
// to do next.
func batchSummary(r *batchRun, s batchrun.Summary, results batchrun.Results, failed *batchrun.FailedRows, removedOld bool) string {
	var b strings.Builder
	if f, ok := results.(*batchrun.ResultsFile); ok {
		fmt.Fprintf(&b, "Links: %s (0600; keep it private).\n", termtext.Line(f.Path()))
	}
	if r.isDemo {
		b.WriteString(demoNotice + ": the links stop working when this command ends.\n")
	}
	switch {
	case failed != nil && failed.Rows > 0:
		without := "a session"
		if s.Uncertain+s.Abandoned > 0 {
			without = "a link" // an uncertain row may have a session
		}
		fmt.Fprintf(&b, "%s without %s: in %s, ready to run again (after a fix):\n  %s\n",
			rows(failed.Rows), without, termtext.Line(failed.Path()), r.again(failed.Path()))
	case failed == nil && s.Failed+s.Invalid > 0:
		b.WriteString("The rows without a session were not kept: pass --retry-file FILE to keep them.\n")
	case removedOld:
		fmt.Fprintf(&b, "Every row has a session: %s from an earlier run was removed.\n", termtext.Line(failed.Path()))
	}
	if n := s.Uncertain + s.Abandoned; n > 0 && failed != nil && failed.Rows > 0 {
		fmt.Fprintf(&b, "%d of them are uncertain (a session may exist): running that file sends them again, as --resend-uncertain does.\n", n)
	}
	if failed != nil && failed.Unwritable > 0 {
		fmt.Fprintf(&b, "%d rows could not be read at all and are not in it: see the problems above.\n", failed.Unwritable)
	}
	if s.Abandoned > 0 {
		fmt.Fprintf(&b, "%d requests were abandoned in flight: a session may exist for their rows, but its link was never received. The journal has them as sent: a run again lists them as uncertain and does not send them unless --resend-uncertain.\n", s.Abandoned)
	}
	if s.Interrupted {
		b.WriteString("Run the same command again to send the rest.\n")
	}
	if s.InputChanged {
		fmt.Fprintf(&b, "warning: %s changed while the batch ran; the rows were sent as they were read.\n", termtext.Line(r.src.Name))
	}
	return b.String()
}

// textResults prints a line per session created: row, consumer and link
// (the API's text, escaped rather than cut, as create prints it).
type textResults struct {
	w     io.Writer
	print func(string) // above a progress bar, when it is on stdout's terminal
	mu    sync.Mutex
}

func (t *textResults) Write(res batchrun.Result) error {
	if res.SessionURI == "" {
		return nil // failures are said on stderr and kept in the failed rows
	}
	line := fmt.Sprintf("%d\t%s\t%s", res.Row, termtext.Line(res.ConsumerID), escapeLines(res.SessionURI))
	if res.ExpiresAt != nil {
		line += "\t" + res.ExpiresAt.UTC().Format(time.RFC3339)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.print != nil {
		t.print(line)
		return nil
	}
	_, err := fmt.Fprintln(t.w, line)
	return err
}

func (*textResults) Close() error { return nil }

// batchStoppedError is a batch stopped by Ctrl+C or a signal: exit 130,
// with what is left to send.
type batchStoppedError struct{ left int }

func (e *batchStoppedError) Error() string {
	return fmt.Sprintf("interrupted; %d rows not sent yet: run the same command again to send them", e.left)
}

func (e *batchStoppedError) Is(target error) bool { return target == errInterrupted }

// batchFailedError is a batch that ended with rows without a session from
// it: failed, invalid, or uncertain and not sent again. Exit 1.
type batchFailedError struct{ failed, invalid, uncertain int }

func (e *batchFailedError) Error() string {
	var parts []string
	if e.failed > 0 {
		parts = append(parts, fmt.Sprintf("%d rows failed", e.failed))
	}
	if e.invalid > 0 {
		parts = append(parts, fmt.Sprintf("%d invalid rows were not sent", e.invalid))
	}
	if e.uncertain > 0 {
		parts = append(parts, fmt.Sprintf("%d uncertain rows were not sent again (--resend-uncertain sends them)", e.uncertain))
	}
	return model.AndList(parts)
}
