package batch

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// InputError stops the reading: the file is not a batch this program can
// read (no header, unknown columns, a row longer than MaxRowBytes, a
// failed read). Rows before it have been returned.
type InputError struct{ Problem }

func (e *InputError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Message) }

// Reader reads the rows of a batch one at a time.
type Reader struct {
	format Format
	guard  *rowGuard
	csv    *csvRows
	jsonl  *jsonRows
	rows   int
}

// FormatOf picks the format by the file's extension (.csv; .jsonl or
// .ndjson), or "" when the name does not say.
func FormatOf(name string) Format {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		return CSV
	case ".jsonl", ".ndjson":
		return JSONL
	}
	return ""
}

// NewReader reads rows from r in format, or, when format is "", in the
// format its first character says: '{' for JSON Lines, anything else CSV.
// A CSV header is read here: a problem with it is an *InputError.
func NewReader(r io.Reader, format Format) (*Reader, error) {
	guard := &rowGuard{r: r}
	br := bufio.NewReaderSize(guard, 64<<10)
	if format == "" {
		format = sniff(br)
	}
	rd := &Reader{format: format, guard: guard}
	switch format {
	case CSV:
		rows, err := newCSVRows(br, guard)
		if err != nil {
			return nil, err
		}
		rd.csv = rows
	case JSONL:
		rd.jsonl = &jsonRows{lines: lineReader{br: br}}
	default:
		return nil, fmt.Errorf("unknown batch format %q: use csv or jsonl", format)
	}
	return rd, nil
}

// sniff looks at the first character that is not a space or a byte order
// mark: a JSON line starts with '{', a CSV header with a column name.
func sniff(br *bufio.Reader) Format {
	for n := 64; ; n *= 2 {
		head, err := br.Peek(n)
		rest := bytes.TrimLeft(bytes.TrimPrefix(head, utf8BOM), " \t\r\n")
		if len(rest) > 0 {
			if rest[0] == '{' {
				return JSONL
			}
			return CSV
		}
		if err != nil || n >= 4096 {
			return CSV
		}
	}
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// Format is the format being read.
func (r *Reader) Format() Format { return r.format }

// Header is the CSV columns in the file's order; nil for JSON Lines.
func (r *Reader) Header() []string {
	if r.csv == nil {
		return nil
	}
	return append([]string(nil), r.csv.header...)
}

// Next returns the next row and what reading it found wrong (a JSON line
// that is not an object, an unknown key, a CSV record with too few
// values): such a row is returned with what could be read of it. At the
// end, the error is io.EOF; an *InputError or a read error ends the input.
func (r *Reader) Next() (Row, []Problem, error) {
	var row Row
	var problems []Problem
	var err error
	if r.csv != nil {
		row, problems, err = r.csv.next()
	} else {
		row, problems, err = r.jsonl.next()
	}
	r.guard.reset()
	if err != nil {
		return Row{}, nil, err
	}
	r.rows++
	row.Number = r.rows
	for i := range problems {
		problems[i].Row = row.Number
		problems[i].Line = row.Line
	}
	return row, problems, nil
}

// errRowTooLong is rowGuard's: no row is that long.
var errRowTooLong = errors.New("row too long")

// rowGuard stops a read that would hold more than MaxRowBytes for one row
// in memory: the parser above reads through it, and each row returned
// resets the count. The slack covers what a buffer reads ahead.
type rowGuard struct {
	r     io.Reader
	count int
}

const readAhead = 64 << 10

func (g *rowGuard) Read(p []byte) (int, error) {
	if g.count > MaxRowBytes+2*readAhead {
		return 0, errRowTooLong
	}
	n, err := g.r.Read(p)
	g.count += n
	return n, err
}

func (g *rowGuard) reset() { g.count = 0 }

func tooLong(line int) error {
	return &InputError{Problem{Line: line, Message: fmt.Sprintf("a row longer than %d KiB: is this a CSV or JSON Lines file?", MaxRowBytes>>10)}}
}

// quoteList says names as "a", "b" and "c".
func quoteList(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(quoted, ", ")
}

// columnHelp is said after an unknown column or key.
func columnHelp() string {
	return "a row gives " + strings.Join(Columns(), ", ") +
		" (theme and settings come from --preset, --from and the flags)"
}

// unknownNames says the names a file gave that are no column ("column" or
// "key" is what): unknown columns "colour", "phone": and the columns.
func unknownNames(what string, names []string) string {
	what = "unknown " + what
	if len(names) > 1 {
		what += "s"
	}
	return what + " " + quoteList(names) + ": " + columnHelp()
}
