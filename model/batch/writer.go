package batch

import (
	"bufio"
	"encoding/csv"
	"io"
)

// RowWriter writes rows back in the format they were read in, so a file of
// the rows that failed can be run again as it is.
type RowWriter struct {
	w      *bufio.Writer
	csv    *csv.Writer
	header []string
	// wroteHeader is set once the CSV header is out: a file with no row
	// has no header either.
	wroteHeader bool
}

// NewRowWriter writes rows as r reads them: CSV under r's header, or JSON
// Lines as they were.
func NewRowWriter(w io.Writer, r *Reader) *RowWriter {
	bw := bufio.NewWriter(w)
	rw := &RowWriter{w: bw}
	if r.Format() == CSV {
		rw.csv = csv.NewWriter(bw)
		rw.header = r.Header()
	}
	return rw
}

// Write writes row; it reports false for a row that could not be read in
// the first place (a CSV record with a stray quote), which has nothing to
// write back.
func (rw *RowWriter) Write(row Row) (bool, error) {
	if rw.csv == nil {
		if row.line == nil {
			return false, nil
		}
		rw.w.Write(row.line)
		return true, rw.w.WriteByte('\n')
	}
	if row.fields == nil {
		return false, nil
	}
	if !rw.wroteHeader {
		if err := rw.writeRecord(rw.header); err != nil {
			return false, err
		}
		rw.wroteHeader = true
	}
	return true, rw.writeRecord(row.fields)
}

func (rw *RowWriter) writeRecord(fields []string) error {
	// One empty value would be an empty line, which a reader skips.
	if len(fields) == 1 && fields[0] == "" {
		rw.csv.Flush()
		_, err := rw.w.WriteString("\"\"\n")
		return err
	}
	return rw.csv.Write(fields)
}

// Flush writes out what is buffered.
func (rw *RowWriter) Flush() error {
	if rw.csv != nil {
		rw.csv.Flush()
		if err := rw.csv.Error(); err != nil {
			return err
		}
	}
	return rw.w.Flush()
}
