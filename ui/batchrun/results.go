package batchrun

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/apideck-samples/vault-session/model/keptfile"
)

// Result is one row's line in the results: its session, or why it has none.
type Result struct {
	Row        int        `json:"row"`
	ConsumerID string     `json:"consumer_id"`
	SessionURI string     `json:"session_uri,omitempty"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`
	// Message is the note for the customer, as the wizard's m copies it
	// (model.CustomerMessage).
	Message string `json:"message,omitempty"`
	Error   string `json:"error,omitempty"`
}

// Expiry is when the line's session expires; zero when it does not say.
func (res Result) Expiry() time.Time {
	if res.ExpiresAt == nil {
		return time.Time{}
	}
	return *res.ExpiresAt
}

// ResultsFormat is how results are written.
type ResultsFormat string

const (
	ResultsJSONL ResultsFormat = "jsonl"
	ResultsCSV   ResultsFormat = "csv"
)

// ResultsFormatOf tells the format by the file's extension: .jsonl (or
// .ndjson, .json) or .csv; "" for anything else.
func ResultsFormatOf(path string) ResultsFormat {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".jsonl", ".ndjson", ".json":
		return ResultsJSONL
	case ".csv":
		return ResultsCSV
	}
	return ""
}

// resultsHeader is the CSV header of the results.
var resultsHeader = []string{"row", "consumer_id", "session_uri", "expires_at", "message", "error"}

// Results is where each row's line goes.
type Results interface {
	Write(Result) error
	Close() error
}

// ResultsFile holds live session links, so it is the user's alone (0600)
// and every line is on disk before its row counts as done: the journal
// line comes after it. It is appended to, never truncated: a batch run
// again after an interruption adds the rows it sends to the lines of the
// first run, and a link written is never lost.
type ResultsFile struct {
	path   string
	format ResultsFormat
	f      *os.File
	// size is how many bytes the file holds: read by the rows being sent
	// (Size) while another's line is written.
	size atomic.Int64
	// Before is how many bytes the file held when opened.
	Before int64
	// Tightened is true when the file was readable by others and was made
	// 0600.
	Tightened bool
}

// OpenResults opens (or creates) the results file at path, in the format
// its extension says.
func OpenResults(path string) (*ResultsFile, error) {
	format := ResultsFormatOf(path)
	if format == "" {
		return nil, fmt.Errorf("--results %s: name a .jsonl or .csv file (the extension says the format)", path)
	}
	// The file is made 0600 and appended to: through a symbolic link that
	// would be done to whatever file it points at.
	if info, err := os.Lstat(path); err == nil && info.Mode()&os.ModeSymlink != 0 {
		return nil, fmt.Errorf("--results %s is a symbolic link: give the file itself (it is made private, 0600, and appended to)", path)
	}
	f, err := keptfile.OpenAppend(path)
	if err != nil {
		return nil, fmt.Errorf("--results: %w", err)
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	r := &ResultsFile{path: path, format: format, f: f, Before: info.Size()}
	if info.Mode().Perm() != 0o600 {
		if err := f.Chmod(0o600); err != nil {
			f.Close()
			return nil, fmt.Errorf("--results %s: it will hold live session links and cannot be made private (0600): %w", path, err)
		}
		r.Tightened = true
	}
	r.size.Store(r.Before)
	if format == ResultsCSV && r.Before == 0 {
		header := csvLine(resultsHeader)
		if err := keptfile.Append(f, header); err != nil {
			f.Close()
			return nil, err
		}
		r.size.Add(int64(len(header)))
	}
	return r, nil
}

// Path is the results file.
func (r *ResultsFile) Path() string { return r.path }

// Write appends one row's line and syncs it.
func (r *ResultsFile) Write(res Result) error {
	var line []byte
	if r.format == ResultsCSV {
		line = csvLine(res.fields())
	} else {
		line = jsonLine(res)
	}
	if err := keptfile.Append(r.f, line); err != nil {
		return fmt.Errorf("cannot write the results to %s: %w", r.path, err)
	}
	r.size.Add(int64(len(line)))
	return nil
}

// Size is how many bytes the file holds: a line written after this call
// starts there or after.
func (r *ResultsFile) Size() int64 { return r.size.Load() }

// Close closes the file.
func (r *ResultsFile) Close() error { return r.f.Close() }

func (res Result) fields() []string {
	expires := ""
	if res.ExpiresAt != nil {
		expires = res.ExpiresAt.UTC().Format(time.RFC3339)
	}
	return []string{strconv.Itoa(res.Row), res.ConsumerID, res.SessionURI, expires, res.Message, res.Error}
}

func csvLine(fields []string) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(fields)
	w.Flush()
	return b.Bytes()
}

func jsonLine(v any) []byte {
	line, _ := json.Marshal(v) // a Result always encodes
	return append(line, '\n')
}

// StreamResults writes the lines to w (stdout, when no --results is
// given) as JSON Lines.
type StreamResults struct{ W io.Writer }

func (s StreamResults) Write(res Result) error {
	_, err := s.W.Write(jsonLine(res))
	return err
}

func (StreamResults) Close() error { return nil }
