package batch

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"testing"

	"github.com/apideck-samples/vault-session/model"
)

// The seed corpora are in testdata/fuzz/FuzzCSV and FuzzJSONL; they run in
// every `go test`. Fuzz with: go test -fuzz FuzzCSV ./model/batch/

func FuzzCSV(f *testing.F) {
	f.Add([]byte("consumer_id,email\nacme-1,ann@acme.com\n"))
	f.Fuzz(func(t *testing.T, data []byte) { checkParser(t, data, CSV) })
}

func FuzzJSONL(f *testing.F) {
	f.Add([]byte("{\"consumer_id\":\"acme-1\",\"unified_apis\":[\"crm\"]}\n"))
	f.Fuzz(func(t *testing.T, data []byte) { checkParser(t, data, JSONL) })
}

// checkParser reads data and checks what must hold for any input: no
// panic; rows numbered from 1 on increasing lines that exist in the input,
// with their problems on their own line; and every row written back reads
// again as the same row.
func checkParser(t *testing.T, data []byte, format Format) {
	r, err := NewReader(bytes.NewReader(data), format)
	if err != nil {
		checkInputError(t, err, data)
		return
	}
	lines := bytes.Count(data, []byte("\n")) + 1
	c := NewChecker(r, "app", model.Session{})
	var written bytes.Buffer
	w := NewRowWriter(&written, r)
	var kept []Row
	last := 0
	if format == CSV {
		last = 1 // the header
	}
	for n := 1; ; n++ {
		row, problems, err := c.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			checkInputError(t, err, data)
			return
		}
		if row.Number != n || row.Line <= last || row.Line > lines {
			t.Fatalf("row %d on line %d after line %d (input has %d lines)", row.Number, row.Line, last, lines)
		}
		last = row.Line
		for _, p := range problems {
			if p.Line != row.Line || p.Row != row.Number || p.Message == "" {
				t.Fatalf("problem %+v of row %d on line %d", p, row.Number, row.Line)
			}
		}
		ok, err := w.Write(row)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			kept = append(kept, row)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if len(kept) == 0 {
		return
	}
	again, err := NewReader(&written, format)
	if err != nil {
		t.Fatalf("rows written back do not read: %v\n%q", err, written.String())
	}
	for i, want := range kept {
		got, _, err := again.Next()
		if err != nil {
			t.Fatalf("row %d written back: %v\n%q", i+1, err, written.String())
		}
		if !sameValues(got, want) {
			t.Fatalf("row written back reads as\n%+v\nwant\n%+v", got, want)
		}
	}
	if _, _, err := again.Next(); err != io.EOF {
		t.Fatalf("more rows written back than kept: %v", err)
	}
}

func sameValues(a, b Row) bool {
	a.Number, a.Line, a.fields, a.line = 0, 0, nil, nil
	b.Number, b.Line, b.fields, b.line = 0, 0, nil, nil
	return reflect.DeepEqual(a, b)
}

func checkInputError(t *testing.T, err error, data []byte) {
	var ie *InputError
	if !errors.As(err, &ie) {
		t.Fatalf("a reader of bytes fails with %T %v, not an *InputError", err, err)
	}
	if ie.Line < 1 || ie.Line > bytes.Count(data, []byte("\n"))+2 || ie.Message == "" {
		t.Fatalf("input error on line %d: %v", ie.Line, err)
	}
}
