package batchrun

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"time"

	"github.com/apideck-samples/vault-session/model/batch"
	"github.com/apideck-samples/vault-session/model/keptfile"
	"github.com/apideck-samples/vault-session/model/store"
)

// Settle reads back the outcome of the rows the journal has as uncertain
// from the results files of the runs that sent them. A row's results line
// is written before its journal line (Runner.finish), so a run that ended
// between the two left the row's link on disk and the row, in the journal,
// sent without an outcome: its line, after where the results file ended
// when the row was sent (SentRow.ResultsAt) and naming its row and
// consumer, is that outcome. Settle records each outcome found with record
// (the journal's Recovered; nil records nothing, for --dry-run) and moves
// the row from state.Uncertain to state.Created, or counts it failed. It
// returns the results lines of the rows found created.
//
// A row whose results went to stdout, or whose results file is gone or
// holds no line for it, stays uncertain: nothing says whether the API made
// its session.
func Settle(state *store.JournalState, record func(store.SentRow, Result) error) (map[string]Result, error) {
	byFile := map[string]map[string]store.SentRow{}
	for _, u := range state.Uncertain {
		if u.Results == "" {
			continue
		}
		if byFile[u.Results] == nil {
			byFile[u.Results] = map[string]store.SentRow{}
		}
		byFile[u.Results][u.ConsumerID] = u
	}
	found := map[string]Result{}
	for path, rows := range byFile {
		// A file gone or unreadable keeps its rows uncertain.
		_ = readOutcomes(path, rows, found)
	}
	created := map[string]Result{}
	kept := state.Uncertain[:0]
	for _, u := range state.Uncertain {
		res, ok := found[u.ConsumerID]
		if !ok {
			kept = append(kept, u)
			continue
		}
		if record != nil {
			if err := record(u, res); err != nil {
				return nil, err
			}
		}
		if res.SessionURI != "" {
			state.Created[u.ConsumerID] = u.Sent
			created[u.ConsumerID] = res
		} else {
			state.Failed++
		}
	}
	state.Uncertain = kept
	return created, nil
}

// readOutcomes reads the results file at path from where the earliest of
// rows was sent, and puts in found the first line of each row (by consumer)
// at or after where it was sent.
func readOutcomes(path string, rows map[string]store.SentRow, found map[string]Result) error {
	format := ResultsFormatOf(path)
	if format == "" {
		return errors.New("not a results file")
	}
	from := int64(-1)
	for _, u := range rows {
		if from < 0 || u.ResultsAt < from {
			from = u.ResultsAt
		}
	}
	f, err := keptfile.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.Seek(from, io.SeekStart); err != nil {
		return err
	}
	take := func(at int64, res Result) {
		u, ok := rows[res.ConsumerID]
		if !ok || u.Row != res.Row || at < u.ResultsAt {
			return
		}
		if _, seen := found[res.ConsumerID]; !seen && (res.SessionURI != "" || res.Error != "") {
			found[res.ConsumerID] = res
		}
	}
	if format == ResultsJSONL {
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 0, 64<<10), batch.MaxRowBytes)
		at := from
		for sc.Scan() {
			var res Result
			if json.Unmarshal(sc.Bytes(), &res) == nil {
				take(at, res)
			}
			at += int64(len(sc.Bytes())) + 1
		}
		return sc.Err()
	}
	r := csv.NewReader(bufio.NewReader(f))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	for {
		at := from + r.InputOffset()
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		var parseErr *csv.ParseError
		if errors.As(err, &parseErr) {
			continue
		}
		if err != nil {
			return err
		}
		if res, ok := resultOfRecord(rec); ok {
			take(at, res)
		}
	}
}

// resultOfRecord reads a CSV results record (resultsHeader's columns); the
// header itself is no result.
func resultOfRecord(rec []string) (Result, bool) {
	if len(rec) != len(resultsHeader) {
		return Result{}, false
	}
	row, err := strconv.Atoi(rec[0])
	if err != nil {
		return Result{}, false
	}
	res := Result{Row: row, ConsumerID: rec[1], SessionURI: rec[2], Message: rec[4], Error: rec[5]}
	if at, err := time.Parse(time.RFC3339, rec[3]); err == nil {
		res.ExpiresAt = &at
	}
	return res, true
}
