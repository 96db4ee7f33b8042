package batchrun

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/batch"
	"github.com/apideck-samples/vault-session/model/store"
)

// Runner sends a checked batch. Build one with its fields set, then Run.
type Runner struct {
	Source *Source
	Plan   batch.Plan
	AppID  string
	APIKey string
	Shared model.Session
	Sender client.Sender
	// Gate is the Sender's client's gate, whose holds Progress reports.
	Gate *client.Gate
	// SkipInvalid sends the valid rows of a batch that has invalid ones;
	// without it Run refuses such a batch (the command stops before).
	SkipInvalid bool
	Journal     *store.Journal
	// Done is what the journal says: the consumers with a session from an
	// earlier run, skipped.
	Done map[string]time.Time
	// Recovered holds the results lines of the rows of Done that Settle
	// read back (their run ended between the line and the journal's): each
	// is added to the history as it is read.
	Recovered map[string]Result
	// Uncertain holds the rows an earlier run sent and never heard back
	// from (the journal, after Settle): a session may exist for them, so
	// they are not sent again but kept for the failed rows, unless
	// ResendUncertain.
	Uncertain       []store.SentRow
	ResendUncertain bool
	Results         Results
	// Failed gets the rows without a session; nil keeps none.
	Failed *FailedRows
	// Record adds a created session to the history; nil records nothing.
	Record func(req model.Request, res client.Result)
	// Observe hears each row's outcome as it happens, one call at a time:
	// the plain lines of a run without a terminal. Nil hears nothing.
	Observe func(Outcome)
	Now     func() time.Time

	// writeMu keeps the writes of one row (results, journal, failed rows)
	// together and apart from another row's: the Sender's done and the
	// reading of rows run on different goroutines.
	writeMu sync.Mutex

	mu       sync.Mutex
	progress Progress
	// inFlight holds the rows being sent, by number, until their outcome:
	// as many as there are workers, never the whole file.
	inFlight map[int]*flight
	// finishes are the times of the last completions, for the rate.
	finishes []time.Time
	// uncertainIDs are Uncertain's consumers.
	uncertainIDs map[string]bool
}

// flight is a row taken to be sent.
type flight struct {
	row batch.Row
	// sent is set once the journal has the row as sent (beforeSend): from
	// then on a session may exist for it.
	sent bool
}

// OutcomeKind is what became of a row.
type OutcomeKind int

const (
	Created OutcomeKind = iota
	Failed
	// Invalid rows are not sent (--skip-invalid).
	Invalid
	// Skipped rows got their session in an earlier run (the journal).
	Skipped
	// Uncertain rows were sent by an earlier run that never heard back:
	// not sent again (Runner.ResendUncertain), kept for the failed rows.
	Uncertain
)

// Outcome is one row's.
type Outcome struct {
	Kind       OutcomeKind
	Row        int
	Line       int
	ConsumerID string
	Result     client.Result
	// Err is the failure of a Failed row; Problems those of an Invalid one.
	Err      error
	Problems []batch.Problem
}

// Progress is the batch so far.
type Progress struct {
	// Rows is every row of the input; ToSend those this run sends (the
	// rest are invalid or done before).
	Rows, ToSend int
	Created      int
	Failed       int
	Invalid      int
	Skipped      int
	// Uncertain counts the rows sent by an earlier run that never heard
	// back, not sent again.
	Uncertain int
	InFlight  int
	Started   time.Time
	// Rate is creates (and failures) per second over the last ones.
	Rate float64
	// LastError is the latest failure, as "row N (consumer): message".
	LastError string
	// HeldUntil is when a Retry-After hold ends, if one is on.
	HeldUntil time.Time
	// Stopping is set once Run was told to stop.
	Stopping bool
}

// Remaining is how many rows of this run have no outcome yet.
func (p Progress) Remaining() int { return max(p.ToSend-p.Created-p.Failed, 0) }

// Left estimates the time the remaining rows take at the current rate;
// 0 when unknown.
func (p Progress) Left() time.Duration {
	if p.Rate <= 0 {
		return 0
	}
	return time.Duration(float64(p.Remaining()) / p.Rate * float64(time.Second))
}

// Progress returns the batch so far; safe to call while Run runs.
func (r *Runner) Progress() Progress {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.progress
	p.InFlight = len(r.inFlight)
	if r.Gate != nil {
		if until := r.Gate.HeldUntil(); until.After(r.now()) {
			p.HeldUntil = until
		}
	}
	return p
}

func (r *Runner) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// Summary is how Run ended.
type Summary struct {
	Progress
	Elapsed time.Duration
	// Interrupted is true when stop ended before every row was sent.
	Interrupted bool
	// Abandoned counts requests given up in flight (ctx ended): their
	// consumers may have a session whose link no one received. The journal
	// has them as sent, so the next run holds them back as uncertain.
	Abandoned int
	// InputChanged is true when the input's bytes differed on the second
	// read: the rows were sent as read then.
	InputChanged bool
}

// ToSend is how many rows Run sends: the valid ones, less those the
// journal has (all of them in this input: its key is the input's digest),
// done or held back.
func (r *Runner) ToSend() int {
	n := r.Plan.Valid - len(r.Done)
	if !r.ResendUncertain {
		n -= len(r.Uncertain)
	}
	return max(n, 0)
}

// Run sends every row to send: a row the journal has is skipped, an
// invalid or uncertain one is kept for the failed rows, the others go to
// the Sender.
// Stop and ctx are Sender.Send's: stop ends the sending (requests in
// flight finish), ctx abandons what is in flight. The error is one that
// stops the batch itself (the journal or results cannot be written); a row's
// failure is in the Summary.
func (r *Runner) Run(stop, ctx context.Context) (Summary, error) {
	rc, err := r.Source.Rows()
	if err != nil {
		return Summary{}, err
	}
	defer rc.Close()
	digest := newDigest()
	reader, err := batch.NewReader(io.TeeReader(rc, digest), r.Source.Format)
	if err != nil {
		return Summary{}, err
	}
	checker := batch.NewChecker(reader, r.AppID, r.Shared)

	resultsPath := ""
	if f, ok := r.Results.(*ResultsFile); ok {
		resultsPath = f.Path()
	}
	if err := r.Journal.Run(resultsPath); err != nil {
		return Summary{}, err
	}
	if resultsPath != "" {
		// Each outcome is in the results file, synced before the
		// journal's line: that line need not wait for its own sync.
		r.Journal.DeferOutcomeSyncs()
	}

	r.uncertainIDs = map[string]bool{}
	for _, u := range r.Uncertain {
		r.uncertainIDs[u.ConsumerID] = true
	}
	r.mu.Lock()
	r.inFlight = map[int]*flight{}
	r.progress = Progress{Rows: r.Plan.Rows, Started: r.now()}
	r.progress.ToSend = r.ToSend()
	r.mu.Unlock()

	var fatal error // the first error that stops the batch
	setFatal := func(err error) {
		if fatal == nil {
			fatal = err
		}
	}
	stopCtx, stopAll := context.WithCancel(stop)
	defer stopAll()

	// stopOn stops the batch on an error of its own (the journal, the
	// results, the input), and takes no more rows.
	stopOn := func(err error) (client.Job, bool) {
		r.mu.Lock()
		setFatal(err)
		r.mu.Unlock()
		stopAll()
		return client.Job{}, false
	}
	next := func() (client.Job, bool) {
		for {
			row, problems, err := checker.Next()
			if err == io.EOF {
				return client.Job{}, false
			}
			if err != nil {
				return stopOn(err)
			}
			if len(problems) > 0 {
				if err := r.invalid(row, problems); err != nil {
					return stopOn(err)
				}
				continue
			}
			if _, ok := r.Done[row.ConsumerID]; ok {
				r.skipped(row)
				continue
			}
			if r.heldBack(row) {
				if err := r.holdBack(row); err != nil {
					return stopOn(err)
				}
				continue
			}
			req := row.Request(r.AppID, r.Shared)
			r.mu.Lock()
			r.inFlight[row.Number] = &flight{row: row}
			r.mu.Unlock()
			return client.Job{ID: row.Number, Creds: client.Credentials{APIKey: r.APIKey, AppID: req.AppID, ConsumerID: req.ConsumerID}, Session: req.Session}, true
		}
	}
	abandoned := 0
	done := func(job client.Job, res client.Result, err error) {
		r.mu.Lock()
		fl := r.inFlight[job.ID]
		delete(r.inFlight, job.ID)
		sent := fl.sent
		r.mu.Unlock()
		var werr error
		var unjournaled *journalError
		switch {
		case errors.As(err, &unjournaled):
			// The journal could not say the row was sent, so it was not.
			werr = unjournaled.err
		case err != nil && ctx.Err() != nil && !sent:
			// Given up before the gate let it go: nothing left, nothing
			// to record, and the next run sends it.
		case err != nil && ctx.Err() != nil:
			// Given up in flight: a session may exist whose link no one
			// will read. The journal has the row as sent and no outcome,
			// so the next run holds it back as uncertain rather than send
			// it again; this run keeps it for the failed rows already.
			abandoned++
			werr = r.keep(fl.row)
		case err != nil && stop.Err() != nil && client.IsRateLimited(err):
			// Told 429 as the batch stopped: no session was made, and it
			// waits for the next run.
			if sent {
				werr = r.Journal.NotCreated(fl.row.Number, fl.row.ConsumerID, err.Error())
			}
		default:
			werr = r.finish(fl.row, job, res, err)
		}
		if werr != nil {
			stopOn(werr)
		}
	}
	sender := r.Sender
	sender.BeforeSend = r.beforeSend
	sender.Send(stopCtx, ctx, next, done)

	// Unless the batch stopped, the Sender took rows until next said EOF,
	// which routed every row it passed over (invalid, done before, held
	// back): what is left of the input (a blank last line) is only read
	// for the digest.
	interrupted := stop.Err() != nil
	if fatal == nil && !interrupted {
		io.Copy(digest, rc)
	}
	p := r.Progress()
	s := Summary{Progress: p, Elapsed: r.now().Sub(p.Started), Abandoned: abandoned}
	s.Interrupted = interrupted && p.Remaining() > 0
	s.InputChanged = fatal == nil && !interrupted && digest.hex() != r.Plan.Digest
	return s, fatal
}

// journalError is beforeSend's: the row could not be journaled as sent,
// so it is not sent, and the batch stops.
type journalError struct{ err error }

func (e *journalError) Error() string { return e.err.Error() }
func (e *journalError) Unwrap() error { return e.err }

// beforeSend journals the row as sent before its request leaves (the
// Sender calls it before each attempt, once the gate lets it go; the
// first call writes). Until the line is on disk the request waits: a crash
// after it leaves the row uncertain, never unknown.
func (r *Runner) beforeSend(job client.Job) error {
	r.mu.Lock()
	fl := r.inFlight[job.ID]
	r.mu.Unlock()
	if fl == nil || fl.sent {
		return nil
	}
	at := int64(0)
	if f, ok := r.Results.(*ResultsFile); ok {
		at = f.Size()
	}
	if err := r.Journal.Sending(fl.row.Number, fl.row.ConsumerID, at); err != nil {
		return &journalError{err}
	}
	r.mu.Lock()
	fl.sent = true
	r.mu.Unlock()
	return nil
}

// heldBack reports whether row is an uncertain one this run does not send.
func (r *Runner) heldBack(row batch.Row) bool {
	return r.uncertainIDs[row.ConsumerID] && !r.ResendUncertain
}

// finish records a sent row's outcome: the results line first, then the
// journal's. In that order a crash between the two leaves the link on
// disk and the row, in the journal, sent without an outcome; the next run
// finds the line (Settle) and records the outcome then, so the row is
// neither sent twice nor its link lost. The other order would lose the
// link: the journal would say created, and the results have no line.
func (r *Runner) finish(row batch.Row, job client.Job, res client.Result, err error) error {
	req := model.Request{AppID: job.Creds.AppID, ConsumerID: job.Creds.ConsumerID, Session: job.Session}
	line := Result{Row: row.Number, ConsumerID: row.ConsumerID}
	o := Outcome{Row: row.Number, Line: row.Line, ConsumerID: row.ConsumerID, Result: res, Err: err}
	if err == nil {
		o.Kind = Created
		line.SessionURI = res.URL
		if !res.ExpiresAt.IsZero() {
			at := res.ExpiresAt.UTC()
			line.ExpiresAt = &at
		}
		line.Message = model.CustomerMessage(req, res.URL, res.ExpiresAt)
	} else {
		o.Kind = Failed
		line.Error = oneLine(err.Error())
	}
	r.writeMu.Lock()
	defer r.writeMu.Unlock()
	if werr := r.Results.Write(line); werr != nil {
		return werr
	}
	if err == nil {
		if jerr := r.Journal.Created(row.Number, row.ConsumerID, res.ExpiresAt); jerr != nil {
			return jerr
		}
		if r.Record != nil {
			r.Record(req, res)
		}
	} else {
		if jerr := r.Journal.Failed(row.Number, row.ConsumerID, line.Error); jerr != nil {
			return jerr
		}
		if r.Failed != nil {
			if ferr := r.Failed.Add(row); ferr != nil {
				return ferr
			}
		}
	}
	r.mu.Lock()
	if err == nil {
		r.progress.Created++
	} else {
		r.progress.Failed++
		r.progress.LastError = fmt.Sprintf("row %d (%s): %s", row.Number, row.ConsumerID, line.Error)
	}
	r.tick()
	r.mu.Unlock()
	r.observe(o)
	return nil
}

// invalid keeps an invalid row for the failed rows and gives it its line.
func (r *Runner) invalid(row batch.Row, problems []batch.Problem) error {
	msgs := make([]string, len(problems))
	for i, p := range problems {
		msgs[i] = p.Format(r.Source.Name)
	}
	r.writeMu.Lock()
	defer r.writeMu.Unlock()
	if err := r.Results.Write(Result{Row: row.Number, ConsumerID: row.ConsumerID, Error: "invalid: " + strings.Join(msgs, "; ")}); err != nil {
		return err
	}
	if r.Failed != nil {
		if err := r.Failed.Add(row); err != nil {
			return err
		}
	}
	r.mu.Lock()
	r.progress.Invalid++
	r.mu.Unlock()
	r.observe(Outcome{Kind: Invalid, Row: row.Number, Line: row.Line, ConsumerID: row.ConsumerID, Problems: problems})
	return nil
}

func (r *Runner) skipped(row batch.Row) {
	r.writeMu.Lock()
	defer r.writeMu.Unlock()
	if res, ok := r.Recovered[row.ConsumerID]; ok && r.Record != nil {
		// Its run ended before it got to the history.
		r.Record(row.Request(r.AppID, r.Shared), client.Result{URL: res.SessionURI, ExpiresAt: res.Expiry()})
	}
	r.mu.Lock()
	r.progress.Skipped++
	r.mu.Unlock()
	r.observe(Outcome{Kind: Skipped, Row: row.Number, Line: row.Line, ConsumerID: row.ConsumerID})
}

// holdBack keeps a row held back for the failed rows.
func (r *Runner) holdBack(row batch.Row) error {
	if err := r.keep(row); err != nil {
		return err
	}
	r.writeMu.Lock()
	defer r.writeMu.Unlock()
	r.mu.Lock()
	r.progress.Uncertain++
	r.mu.Unlock()
	r.observe(Outcome{Kind: Uncertain, Row: row.Number, Line: row.Line, ConsumerID: row.ConsumerID})
	return nil
}

// keep adds row to the failed rows, if they are kept.
func (r *Runner) keep(row batch.Row) error {
	if r.Failed == nil {
		return nil
	}
	r.writeMu.Lock()
	defer r.writeMu.Unlock()
	return r.Failed.Add(row)
}

// observe tells Observe; r.writeMu is held, so calls come one at a time.
func (r *Runner) observe(o Outcome) {
	if r.Observe != nil {
		r.Observe(o)
	}
}

// rateWindow is how many completions the rate is measured over.
const rateWindow = 32

// tick notes a completion; r.mu is held.
func (r *Runner) tick() {
	now := r.now()
	r.finishes = append(r.finishes, now)
	if len(r.finishes) > rateWindow {
		r.finishes = r.finishes[len(r.finishes)-rateWindow:]
	}
	first := r.finishes[0]
	if len(r.finishes) < rateWindow {
		first = r.progress.Started
	}
	n := len(r.finishes)
	if len(r.finishes) == rateWindow {
		n-- // intervals between the window's ends
	}
	if span := now.Sub(first); span > 0 {
		r.progress.Rate = float64(n) / span.Seconds()
	}
}

// Stopping marks the progress as stopping (the display says so).
func (r *Runner) Stopping() {
	r.mu.Lock()
	r.progress.Stopping = true
	r.mu.Unlock()
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// digest hashes the second read, to tell whether the input changed since
// it was checked.
type digest struct{ h hash.Hash }

func newDigest() digest                      { return digest{sha256.New()} }
func (d digest) Write(p []byte) (int, error) { return d.h.Write(p) }
func (d digest) hex() string                 { return hex.EncodeToString(d.h.Sum(nil)) }
