package batch

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// csvRows reads CSV records after the header, as encoding/csv parses them
// (RFC 4180: quoted values may hold commas, quotes doubled and newlines).
type csvRows struct {
	r     *csv.Reader
	guard *rowGuard
	// header is the column of each position, as the header names it.
	header []string
}

func newCSVRows(src io.Reader, guard *rowGuard) (*csvRows, error) {
	r := csv.NewReader(src)
	r.FieldsPerRecord = -1 // a short record is the row's problem, said here
	r.ReuseRecord = true
	rows := &csvRows{r: r, guard: guard}

	record, err := r.Read()
	switch {
	case err == io.EOF:
		return nil, &InputError{Problem{Line: 1, Message: "the file is empty: its first line names the columns, e.g. " + strings.Join(Columns()[:4], ",")}}
	case errors.Is(err, errRowTooLong):
		return nil, tooLong(1)
	case err != nil:
		return nil, csvInputError(err)
	}
	guard.reset()
	line, _ := r.FieldPos(0)
	if size(record) > MaxRowBytes {
		return nil, tooLong(line)
	}
	header := make([]string, len(record))
	seen := map[string]bool{}
	var unknown []string
	for i, name := range record {
		if i == 0 {
			name = strings.TrimPrefix(name, "\ufeff")
		}
		name = strings.ToLower(strings.TrimSpace(name))
		switch {
		case name == "":
			return nil, &InputError{Problem{Line: line, Message: fmt.Sprintf("column %d of the header has no name: %s", i+1, columnHelp())}}
		case !isColumn(name):
			unknown = append(unknown, name)
		case seen[name]:
			return nil, &InputError{Problem{Line: line, Message: fmt.Sprintf("column %q is named twice in the header", name)}}
		}
		seen[name] = true
		header[i] = name
	}
	if len(unknown) > 0 {
		return nil, &InputError{Problem{Line: line, Message: unknownNames("column", unknown)}}
	}
	if !seen[ColConsumerID] {
		return nil, &InputError{Problem{Line: line, Message: "no consumer_id column: the first line names the columns, and every row needs a consumer_id"}}
	}
	rows.header = header
	return rows, nil
}

// csvInputError describes a read that could not go on.
func csvInputError(err error) error {
	var parse *csv.ParseError
	if errors.As(err, &parse) {
		return &InputError{Problem{Line: parse.StartLine, Message: parse.Err.Error()}}
	}
	return err
}

func (c *csvRows) next() (Row, []Problem, error) {
	record, err := c.r.Read()
	var parse *csv.ParseError
	switch {
	case err == io.EOF:
		return Row{}, nil, io.EOF
	case errors.Is(err, errRowTooLong):
		line, _ := c.r.FieldPos(0)
		return Row{}, nil, tooLong(line)
	case errors.As(err, &parse) && parse.Err != csv.ErrFieldCount:
		// A stray quote: the record is cut where it stands, and the
		// reader goes on at the next line, so the row is reported and
		// the rest still checked.
		row := Row{Line: parse.StartLine}
		return row, []Problem{{Message: fmt.Sprintf("line %d, column %d: %v (a quote inside a value is written twice, and the value quoted)", parse.Line, parse.Column, parse.Err)}}, nil
	case err != nil:
		return Row{}, nil, err
	}

	line, _ := c.r.FieldPos(0)
	if size(record) > MaxRowBytes {
		return Row{}, nil, tooLong(line)
	}
	row := Row{Line: line, fields: append([]string(nil), record...)}
	var problems []Problem
	if len(record) != len(c.header) {
		problems = append(problems, Problem{Message: fmt.Sprintf("%d values, but the header names %d columns", len(record), len(c.header))})
	}
	for i, value := range record[:min(len(record), len(c.header))] {
		if !utf8.ValidString(value) {
			problems = append(problems, Problem{Field: c.header[i], Message: "not UTF-8 text: save the file as UTF-8"})
			continue
		}
		row.set(c.header[i], value)
	}
	return row, problems, nil
}

// size is the length of a record's values.
func size(record []string) int {
	n := 0
	for _, v := range record {
		n += len(v)
	}
	return n
}
