// Package batch is a batch of sessions: the rows of a CSV or JSON Lines
// file, one consumer each, checked with the rules the wizard uses before
// anything is sent, and the plan of what will be sent. It knows nothing of
// terminals or HTTP.
//
// Rows are streamed: a file of 10,000 rows costs no more memory than one
// of 100, except for the set of consumer IDs the duplicate check needs
// (IDs and line numbers, never whole rows).
package batch

import (
	"fmt"
	"strings"

	"github.com/apideck-samples/vault-session/model"
)

// Format is how the rows are written.
type Format string

const (
	// CSV is comma-separated values with a header row naming the columns.
	CSV Format = "csv"
	// JSONL is JSON Lines: one object per line, keys named as the columns.
	JSONL Format = "jsonl"
)

// Column names, as the CSV header and the JSON keys spell them.
const (
	ColConsumerID    = "consumer_id"
	ColAccountName   = "account_name"
	ColUserName      = "user_name"
	ColEmail         = "email"
	ColImage         = "image"
	ColUnifiedAPIs   = "unified_apis"
	ColSessionLength = "session_length"
	ColRedirectURI   = "redirect_uri"
)

// Columns lists what a row may give, in the order a header usually has
// them. Only consumer_id is required; everything else comes from the shared
// session (preset, --from file, flags) when a row leaves it out.
func Columns() []string {
	return []string{ColConsumerID, ColAccountName, ColUserName, ColEmail, ColImage,
		ColUnifiedAPIs, ColSessionLength, ColRedirectURI}
}

// MaxRowBytes bounds one row (a CSV record, quoted newlines included, or
// one JSON line). A row is a few hundred bytes; a megabyte is no row but
// a file of another kind, and reading on would hold it all in memory.
const MaxRowBytes = 1 << 20

// Row is one consumer of the batch.
type Row struct {
	// Number counts the rows from 1, header and blank lines left out.
	Number int
	// Line is where the row starts, as an editor counts lines: a CSV
	// header is line 1, and a quoted value over two lines takes two.
	Line int

	ConsumerID    string
	AccountName   string
	UserName      string
	Email         string
	Image         string
	UnifiedAPIs   []string // nil: not given (the shared list applies)
	SessionLength string
	RedirectURI   string

	// fields is the CSV record (in the header's order) or nil; line is
	// the JSON line. Either writes the row back (RowWriter).
	fields []string
	line   []byte
}

// Request is the request for the row: the shared session with what the row
// gives laid over it. A value the row leaves empty keeps the shared one.
func (r Row) Request(appID string, shared model.Session) model.Request {
	s := shared
	m := &s.ConsumerMetadata
	for _, f := range []struct {
		to    *string
		value string
	}{
		{&m.AccountName, r.AccountName}, {&m.UserName, r.UserName}, {&m.Email, r.Email},
		{&m.Image, r.Image}, {&s.Settings.SessionLength, r.SessionLength}, {&s.RedirectURI, r.RedirectURI},
	} {
		if f.value != "" {
			*f.to = f.value
		}
	}
	if r.UnifiedAPIs != nil {
		s.Settings.UnifiedAPIs = r.UnifiedAPIs
	}
	return model.Request{AppID: appID, ConsumerID: r.ConsumerID, Session: s}
}

// given reports whether the row sets column col itself.
func (r Row) given(col string) bool {
	switch col {
	case ColConsumerID:
		return true
	case ColAccountName:
		return r.AccountName != ""
	case ColUserName:
		return r.UserName != ""
	case ColEmail:
		return r.Email != ""
	case ColImage:
		return r.Image != ""
	case ColUnifiedAPIs:
		return r.UnifiedAPIs != nil
	case ColSessionLength:
		return r.SessionLength != ""
	case ColRedirectURI:
		return r.RedirectURI != ""
	}
	return false
}

// set stores value in column col; col is one of Columns.
func (r *Row) set(col, value string) {
	switch col {
	case ColConsumerID:
		r.ConsumerID = value
	case ColAccountName:
		r.AccountName = value
	case ColUserName:
		r.UserName = value
	case ColEmail:
		r.Email = value
	case ColImage:
		r.Image = value
	case ColUnifiedAPIs:
		r.UnifiedAPIs = splitAPIs(value)
	case ColSessionLength:
		r.SessionLength = value
	case ColRedirectURI:
		r.RedirectURI = value
	}
}

// splitAPIs reads a unified_apis cell: ids separated by commas, semicolons
// or spaces ("crm, hris"). Blank gives nil: the shared list applies.
func splitAPIs(value string) []string {
	parts := strings.FieldsFunc(value, func(r rune) bool {
		return r == ',' || r == ';' || r == ' ' || r == '\t'
	})
	if len(parts) == 0 {
		return nil
	}
	return parts
}

func isColumn(name string) bool {
	for _, c := range Columns() {
		if c == name {
			return true
		}
	}
	return false
}

// Problem is one thing wrong with the input, at a line of it.
type Problem struct {
	// Row is the row's number, or 0 for a problem with the file itself
	// (its header, say).
	Row  int
	Line int
	// Field names the column ("email"), or is empty when the problem is
	// the row's as a whole (a CSV record with too few values, say).
	Field   string
	Message string
}

// Format says the problem as compilers and editors do:
// "FILE:LINE: field: what is wrong".
func (p Problem) Format(file string) string {
	if p.Field == "" {
		return fmt.Sprintf("%s:%d: %s", file, p.Line, p.Message)
	}
	return fmt.Sprintf("%s:%d: %s: %s", file, p.Line, p.Field, p.Message)
}

// Validate checks the row's request with the wizard's rules (model's
// Request.Validate). Only what the row gives is reported: a problem in the
// shared session is CheckShared's, said once rather than on every row.
func (r Row) Validate(appID string, shared model.Session) []Problem {
	var out []Problem
	for _, fe := range r.Request(appID, shared).Validate() {
		col := columnOf(fe.Path)
		if col == "" || !r.given(col) {
			continue
		}
		out = append(out, Problem{Row: r.Number, Line: r.Line, Field: col, Message: fe.Message})
	}
	return out
}

// columnOf maps a validation path to the column that fills it, or "".
func columnOf(path string) string {
	switch {
	case path == "consumer_id":
		return ColConsumerID
	case path == "redirect_uri":
		return ColRedirectURI
	case path == "settings.session_length":
		return ColSessionLength
	case strings.HasPrefix(path, "settings.unified_apis"):
		return ColUnifiedAPIs
	case strings.HasPrefix(path, "consumer_metadata."):
		col := strings.TrimPrefix(path, "consumer_metadata.")
		if isColumn(col) {
			return col
		}
	}
	return ""
}

// CheckShared validates what every row shares: the app ID and the session
// from the preset, the --from file and the flags. Errors are the model's,
// by JSON path, the consumer ID left out (each row gives its own).
func CheckShared(appID string, shared model.Session) model.ValidationErrors {
	var out model.ValidationErrors
	for _, fe := range (model.Request{AppID: appID, ConsumerID: "x", Session: shared}).Validate() {
		if fe.Path != "consumer_id" {
			out = append(out, fe)
		}
	}
	return out
}
