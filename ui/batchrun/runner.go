package batchrun

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
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
	Done    map[string]time.Time
	Results Results
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
	inFlight map[int]batch.Row
	// finishes are the times of the last completions, for the rate.
	finishes []time.Time
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
	InFlight     int
	Started      time.Time
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
	// consumers may have a session the journal does not know of.
	Abandoned int
	// InputChanged is true when the input's bytes differed on the second
	// read: the rows were sent as read then.
	InputChanged bool
}

// Run sends every row to send: a row the journal has is skipped, an
// invalid one is kept for the failed rows, the others go to the Sender.
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

	r.mu.Lock()
	r.inFlight = map[int]batch.Row{}
	r.progress = Progress{Rows: r.Plan.Rows, Started: r.now()}
	// The journal's consumers are all in this input (its key is the
	// input's digest): they are the rows skipped.
	r.progress.ToSend = max(r.Plan.Valid-len(r.Done), 0)
	r.mu.Unlock()

	var fatal error // the first error that stops the batch
	setFatal := func(err error) {
		if fatal == nil {
			fatal = err
		}
	}
	stopCtx, stopAll := context.WithCancel(stop)
	defer stopAll()

	next := func() (client.Job, bool) {
		for {
			row, problems, err := checker.Next()
			if err == io.EOF {
				return client.Job{}, false
			}
			if err != nil {
				r.mu.Lock()
				setFatal(err)
				r.mu.Unlock()
				stopAll()
				return client.Job{}, false
			}
			if len(problems) > 0 {
				if err := r.invalid(row, problems); err != nil {
					r.mu.Lock()
					setFatal(err)
					r.mu.Unlock()
					stopAll()
					return client.Job{}, false
				}
				continue
			}
			if _, ok := r.Done[row.ConsumerID]; ok {
				r.skipped(row)
				continue
			}
			req := row.Request(r.AppID, r.Shared)
			r.mu.Lock()
			r.inFlight[row.Number] = row
			r.mu.Unlock()
			return client.Job{ID: row.Number, Creds: client.Credentials{APIKey: r.APIKey, AppID: req.AppID, ConsumerID: req.ConsumerID}, Session: req.Session}, true
		}
	}
	abandoned := 0
	done := func(job client.Job, res client.Result, err error) {
		r.mu.Lock()
		row := r.inFlight[job.ID]
		delete(r.inFlight, job.ID)
		r.mu.Unlock()
		if err != nil && ctx.Err() != nil {
			// Given up in flight: it may have been created; nothing is
			// recorded, so a run again sends it again.
			abandoned++
			return
		}
		if err != nil && stop.Err() != nil && client.IsRateLimited(err) {
			// Never sent past the limit: it waits for the next run.
			return
		}
		if werr := r.finish(row, job, res, err); werr != nil {
			r.mu.Lock()
			setFatal(werr)
			r.mu.Unlock()
			stopAll()
		}
	}
	r.Sender.Send(stopCtx, ctx, next, done)

	// What the Sender did not take: with --skip-invalid, the invalid rows
	// after the last one sent still go to the failed rows, and the file
	// is read to its end for the digest.
	interrupted := stop.Err() != nil
	if fatal == nil && !interrupted {
		for {
			row, problems, err := checker.Next()
			if err != nil {
				break
			}
			if len(problems) > 0 {
				if err := r.invalid(row, problems); err != nil {
					setFatal(err)
					break
				}
			} else if _, ok := r.Done[row.ConsumerID]; ok {
				r.skipped(row)
			}
		}
		io.Copy(digest, rc)
	}
	p := r.Progress()
	s := Summary{Progress: p, Elapsed: r.now().Sub(p.Started), Abandoned: abandoned}
	s.Interrupted = interrupted && p.Remaining() > 0
	s.InputChanged = fatal == nil && !interrupted && digest.hex() != r.Plan.Digest
	return s, fatal
}

// finish records a sent row's outcome: the results line first, so that a
// link is on disk before the journal says the row is done.
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
	r.mu.Lock()
	r.progress.Skipped++
	r.mu.Unlock()
	r.observe(Outcome{Kind: Skipped, Row: row.Number, Line: row.Line, ConsumerID: row.ConsumerID})
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
