package batch

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/apideck-samples/vault-session/model"
)

// jsonRows reads JSON Lines: one object per line, blank lines skipped.
// Each line is read as strictly as a session file (model.ParseJSONObject:
// no key twice, UTF-8 only), then its keys are matched to the columns.
type jsonRows struct {
	lines lineReader
}

func (j *jsonRows) next() (Row, []Problem, error) {
	for {
		text, line, err := j.lines.next()
		if err != nil {
			return Row{}, nil, err
		}
		if line == 1 {
			text = bytes.TrimPrefix(text, utf8BOM)
		}
		if len(bytes.TrimSpace(text)) == 0 {
			continue
		}
		row := Row{Line: line, line: bytes.Clone(text)}
		return row, decodeRow(&row, text), nil
	}
}

// decodeRow fills row from one JSON line and says what is wrong with it.
func decodeRow(row *Row, text []byte) []Problem {
	obj, err := model.ParseJSONObject(string(text))
	if err != nil {
		var jerr *model.JSONError
		if errors.As(err, &jerr) && jerr.Column > 0 {
			return []Problem{{Message: fmt.Sprintf("column %d: %s", jerr.Column, jerr.Message)}}
		}
		return []Problem{{Message: err.Error()}}
	}
	if obj == nil {
		return []Problem{{Message: "expected a JSON object {\"consumer_id\": ...}"}}
	}
	var problems []Problem
	var unknown []string
	dec := json.NewDecoder(bytes.NewReader(obj))
	dec.Token() // the '{' ParseJSONObject made sure of
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			break // cannot happen: the object was checked
		}
		key, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			break
		}
		if !isColumn(key) {
			unknown = append(unknown, key)
			continue
		}
		if msg := setJSON(row, key, raw); msg != "" {
			problems = append(problems, Problem{Field: key, Message: msg})
		}
	}
	if len(unknown) > 0 {
		problems = append(problems, Problem{Message: unknownNames("key", unknown)})
	}
	return problems
}

// setJSON stores one key's value; "" or null leaves the column unset, as an
// empty CSV cell does. unified_apis is a list of ids, or one string of them
// as a CSV cell has it.
func setJSON(row *Row, key string, raw json.RawMessage) string {
	if string(raw) == "null" {
		return ""
	}
	if key == ColUnifiedAPIs && raw[0] == '[' {
		var list []string
		if err := json.Unmarshal(raw, &list); err != nil {
			return "expected a list of unified API ids such as [\"crm\", \"hris\"]"
		}
		if list == nil {
			list = []string{}
		}
		row.UnifiedAPIs = list
		return ""
	}
	var text string
	if raw[0] != '"' || json.Unmarshal(raw, &text) != nil {
		if key == ColUnifiedAPIs {
			return fmt.Sprintf("expected a list of unified API ids such as [\"crm\", \"hris\"], got %s", jsonKind(raw[0]))
		}
		return fmt.Sprintf("expected a string, got %s", jsonKind(raw[0]))
	}
	row.set(key, text)
	return ""
}

func jsonKind(c byte) string {
	switch c {
	case '{':
		return "an object"
	case '[':
		return "a list"
	case 't', 'f':
		return "true or false"
	}
	return "a number"
}

// lineReader reads lines of at most MaxRowBytes, counting them.
type lineReader struct {
	br   *bufio.Reader
	line int
	buf  []byte
}

// next returns the next line without its end (\n or \r\n) and its number;
// io.EOF after the last. A line over MaxRowBytes is an *InputError.
func (l *lineReader) next() ([]byte, int, error) {
	l.buf = l.buf[:0]
	for {
		chunk, err := l.br.ReadSlice('\n')
		if len(l.buf)+len(chunk) > MaxRowBytes+2 {
			return nil, 0, tooLong(l.line + 1)
		}
		l.buf = append(l.buf, chunk...)
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF && len(l.buf) == 0:
			return nil, 0, io.EOF
		case err != nil && err != io.EOF:
			return nil, 0, err
		}
		l.line++
		text := bytes.TrimSuffix(l.buf, []byte("\n"))
		return bytes.TrimSuffix(text, []byte("\r")), l.line, nil
	}
}
