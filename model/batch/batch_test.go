package batch

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/apideck-samples/vault-session/model"
)

// readAll reads every row of input, returning the rows and their problems
// as "FILE:LINE: field: message" lines.
func readAll(t *testing.T, input string, format Format) ([]Row, []string) {
	t.Helper()
	r, err := NewReader(strings.NewReader(input), format)
	if err != nil {
		t.Fatalf("NewReader: %v", err)
	}
	c := NewChecker(r, "app", model.Session{})
	var rows []Row
	var problems []string
	for {
		row, ps, err := c.Next()
		if err == io.EOF {
			return rows, problems
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		rows = append(rows, row)
		for _, p := range ps {
			problems = append(problems, p.Format("in"))
		}
	}
}

func TestCSVRowsAndLines(t *testing.T) {
	input := "\ufeffConsumer_ID, email ,user_name,unified_apis\r\n" +
		"acme-1,ann@acme.com,Ann Lee,\"crm, hris\"\r\n" +
		"\r\n" +
		"acme-2,bob@acme.com,\"Bob\nSmith\",\n" +
		"acme-3,,,\n"
	rows, problems := readAll(t, input, "")
	if len(problems) != 0 {
		t.Fatalf("problems: %q", problems)
	}
	want := []struct {
		number, line int
		id, email    string
		apis         []string
	}{
		{1, 2, "acme-1", "ann@acme.com", []string{"crm", "hris"}},
		{2, 4, "acme-2", "bob@acme.com", nil},
		// Bob's name is on two lines: acme-3 is on line 6.
		{3, 6, "acme-3", "", nil},
	}
	if len(rows) != len(want) {
		t.Fatalf("got %d rows, want %d", len(rows), len(want))
	}
	for i, w := range want {
		r := rows[i]
		if r.Number != w.number || r.Line != w.line || r.ConsumerID != w.id || r.Email != w.email || !reflect.DeepEqual(r.UnifiedAPIs, w.apis) {
			t.Errorf("row %d = %+v, want %+v", i, r, w)
		}
	}
	if rows[1].UserName != "Bob\nSmith" {
		t.Errorf("quoted newline: user_name = %q", rows[1].UserName)
	}
}

func TestJSONLRowsAndLines(t *testing.T) {
	input := "\ufeff{\"consumer_id\":\"acme-1\",\"email\":\"ann@acme.com\",\"unified_apis\":[\"crm\"]}\r\n" +
		"\n" +
		"  \n" +
		"{\"consumer_id\":\"acme-2\",\"unified_apis\":\"crm,hris\",\"session_length\":null}\n" +
		"{\"consumer_id\":\"acme-3\",\"unified_apis\":[]}" // no newline at the end
	rows, problems := readAll(t, input, "")
	if len(problems) != 0 {
		t.Fatalf("problems: %q", problems)
	}
	if len(rows) != 3 {
		t.Fatalf("got %d rows, want 3", len(rows))
	}
	for i, w := range []struct {
		line int
		id   string
		apis []string
	}{{1, "acme-1", []string{"crm"}}, {4, "acme-2", []string{"crm", "hris"}}, {5, "acme-3", []string{}}} {
		if rows[i].Line != w.line || rows[i].ConsumerID != w.id || !reflect.DeepEqual(rows[i].UnifiedAPIs, w.apis) || rows[i].Number != i+1 {
			t.Errorf("row %d = %+v, want line %d id %s apis %q", i, rows[i], w.line, w.id, w.apis)
		}
	}
}

func TestProblemsNameFileLineAndField(t *testing.T) {
	for _, tc := range []struct {
		name, input string
		want        []string
	}{
		{"csv", "consumer_id,email,session_length,unified_apis,image\n" +
			"acme-1,ann@acme,,,\n" + // line 2
			"\"acme\n2\",,,,\n" + // lines 3-4: a control character in an ID
			"acme-3,,2w,\"crm,foo\",not a url\n" + // line 5
			"acme-1,,,,\n" + // line 6: a duplicate
			" acme-7,x\n" + // line 7: short, and an ID with a space
			"acme-8,\"bad\"quote\",,,\n" + // line 8: a stray quote
			"acme-9,,,,\n", // line 9: still read
			[]string{
				`in:2: email: "ann@acme" has no full domain: use name@example.com`,
				`in:3: consumer_id: consumer ID cannot contain control characters`,
				`in:5: image: a URL cannot contain spaces`,
				`in:5: unified_apis: "foo" is not a unified API id (e.g. crm, hris, accounting)`,
				`in:5: session_length: session length "2w" is over 1 week: ` + model.SessionLengthHelp,
				`in:6: consumer_id: "acme-1" is given twice: first on line 2`,
				`in:7: 2 values, but the header names 5 columns`,
				`in:7: consumer_id: consumer ID has spaces around it`,
				`in:7: email: "x" is not an email address: use name@example.com`,
				`in:8: line 8, column 12: extraneous or missing " in quoted-field (a quote inside a value is written twice, and the value quoted)`,
			}},
		{"jsonl", "{\"consumer_id\":\"a\",\"email\":\"nope\"}\n" +
			"{\"consumer_id\":\"b\",\"colour\":\"red\",\"phone\":1}\n" +
			"{\"consumer_id\":\"c\",\"consumer_id\":\"d\"}\n" +
			"{\"consumer_id\":7}\n" +
			"[1]\n" +
			"{\"consumer_id\":\"e\",\"unified_apis\":{}}\n" +
			"{\"consumer_id\":\"a\"}\n" +
			"{\"email\":\"x@y.com\"}\n" +
			"{\"consumer_id\":\"f\" \n",
			[]string{
				`in:1: email: "nope" is not an email address: use name@example.com`,
				`in:2: unknown keys "colour", "phone": ` + columnHelp(),
				`in:3: column 20: the key "consumer_id" is given twice in this object (JSON readers differ on which one wins; say it once)`,
				`in:4: consumer_id: expected a string, got a number`,
				`in:5: column 1: expected a JSON object {...}`,
				`in:6: unified_apis: expected a list of unified API ids such as ["crm", "hris"], got an object`,
				`in:7: consumer_id: "a" is given twice: first on line 1`,
				`in:8: consumer_id: consumer ID is required`,
				`in:9: column 20: unexpected end of JSON: a brace, bracket or quote is not closed`,
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, got := readAll(t, tc.input, "")
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestInputErrors(t *testing.T) {
	for _, tc := range []struct{ name, input, want string }{
		{"empty", "", "line 1: the file is empty: its first line names the columns, e.g. consumer_id,account_name,user_name,email"},
		{"unknown columns", "consumer_id,colour,Phone\n", `line 1: unknown columns "colour", "phone": ` + columnHelp()},
		{"no consumer_id", "email\nann@acme.com\n", "line 1: no consumer_id column: the first line names the columns, and every row needs a consumer_id"},
		{"named twice", "consumer_id,email,EMAIL\n", `line 1: column "email" is named twice in the header`},
		{"unnamed", "consumer_id,,email\n", "line 1: column 2 of the header has no name: " + columnHelp()},
		{"header quote", "\"consumer_id\n", `line 1: extraneous or missing " in quoted-field`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewReader(strings.NewReader(tc.input), CSV)
			var ie *InputError
			if !errors.As(err, &ie) || err.Error() != tc.want {
				t.Errorf("err = %v, want %s", err, tc.want)
			}
		})
	}
}

func TestRowTooLongStopsTheInput(t *testing.T) {
	huge := strings.Repeat("x", MaxRowBytes+10)
	for _, tc := range []struct {
		format Format
		input  string
	}{
		{CSV, "consumer_id\nacme-1\n" + huge + "\nacme-2\n"},
		{CSV, "consumer_id\nacme-1\n\"" + huge + "\"\nacme-2\n"},
		{JSONL, "{\"consumer_id\":\"a\"}\n{\"consumer_id\":\"" + huge + "\"}\n"},
	} {
		r, err := NewReader(strings.NewReader(tc.input), tc.format)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := r.Next(); err != nil {
			t.Fatalf("%s first row: %v", tc.format, err)
		}
		_, _, err = r.Next()
		var ie *InputError
		if !errors.As(err, &ie) || ie.Line != 3 && tc.format == CSV || ie.Line != 2 && tc.format == JSONL || !strings.Contains(err.Error(), "a row longer than 1024 KiB") {
			t.Errorf("%s: err = %v", tc.format, err)
		}
	}
}

func TestManyRowsOfAMegabyteAreFine(t *testing.T) {
	// The guard counts one row, not the file: 3 MiB of rows read through.
	var b strings.Builder
	b.WriteString("consumer_id,account_name\n")
	name := strings.Repeat("n", 1000)
	for i := range 3000 {
		fmt.Fprintf(&b, "c-%d,%s\n", i, name)
	}
	rows, problems := readAll(t, b.String(), CSV)
	if len(rows) != 3000 || len(problems) != 0 {
		t.Fatalf("rows %d problems %q", len(rows), problems)
	}
}

func TestRequestLaysTheRowOverTheSharedSession(t *testing.T) {
	shared := model.Session{
		ConsumerMetadata: model.ConsumerMetadata{Email: "support@acme.com", Image: "https://acme.com/a.png"},
		Settings:         model.Settings{UnifiedAPIs: []string{"crm"}, SessionLength: "1d"},
		Theme:            model.Theme{VaultName: "Acme"},
	}
	rows, _ := readAll(t, "consumer_id,email,unified_apis,session_length,redirect_uri\n"+
		"a,ann@acme.com,hris,,https://acme.com/done\n"+
		"b,,,,\n", CSV)
	a := rows[0].Request("app", shared)
	if a.ConsumerID != "a" || a.AppID != "app" || a.Session.ConsumerMetadata.Email != "ann@acme.com" ||
		a.Session.ConsumerMetadata.Image != "https://acme.com/a.png" || !reflect.DeepEqual(a.Session.Settings.UnifiedAPIs, []string{"hris"}) ||
		a.Session.Settings.SessionLength != "1d" || a.Session.RedirectURI != "https://acme.com/done" || a.Session.Theme.VaultName != "Acme" {
		t.Errorf("row a: %+v", a)
	}
	b := rows[1].Request("app", shared)
	if !reflect.DeepEqual(b.Session, shared) {
		t.Errorf("row b (no values) = %+v, want the shared session", b.Session)
	}
	if !reflect.DeepEqual(shared.Settings.UnifiedAPIs, []string{"crm"}) {
		t.Error("the shared session was changed")
	}
}

func TestSharedProblemsAreNotRepeatedOnEveryRow(t *testing.T) {
	shared := model.Session{ConsumerMetadata: model.ConsumerMetadata{Email: "bad"}, Theme: model.Theme{PrimaryColor: "nocolour"}}
	errs := CheckShared("", shared)
	var paths []string
	for _, e := range errs {
		paths = append(paths, e.Path)
	}
	if strings.Join(paths, " ") != "app_id consumer_metadata.email theme.primary_color" {
		t.Errorf("shared problems: %v", paths)
	}
	r, _ := NewReader(strings.NewReader("consumer_id,email\na,\nb,b@acme.com\n"), CSV)
	c := NewChecker(r, "", shared)
	for range 2 {
		_, problems, err := c.Next()
		if err != nil || len(problems) != 0 {
			t.Errorf("row problems %v, %v: a shared problem is said once, by CheckShared", problems, err)
		}
	}
}

func TestCheckPlans(t *testing.T) {
	var b strings.Builder
	b.WriteString("consumer_id,email\n")
	for i := range 120 {
		email := fmt.Sprintf("u%d@acme.com", i)
		if i%2 == 1 {
			email = "broken"
		}
		fmt.Fprintf(&b, "c-%d,%s\n", i, email)
	}
	plan, err := Check(strings.NewReader(b.String()), "", "app", model.Session{})
	if err != nil {
		t.Fatal(err)
	}
	if plan.Format != CSV || plan.Rows != 120 || plan.Valid != 60 || plan.Invalid() != 60 || plan.ProblemCount != 60 || len(plan.Problems) != MaxProblems {
		t.Errorf("plan = %+v", plan)
	}
	if plan.Problems[0].Line != 3 || plan.Problems[0].Row != 2 {
		t.Errorf("first problem %+v: row 2 is on line 3", plan.Problems[0])
	}
	again, _ := Check(strings.NewReader(b.String()), "", "app", model.Session{})
	other, _ := Check(strings.NewReader(b.String()+"c-x,\n"), "", "app", model.Session{})
	if len(plan.Digest) != 64 || again.Digest != plan.Digest || other.Digest == plan.Digest {
		t.Errorf("digests %s %s %s: the same input gives the same one, another another", plan.Digest, again.Digest, other.Digest)
	}
}

func TestFormatOfAndSniff(t *testing.T) {
	for name, want := range map[string]Format{"a.csv": CSV, "A.CSV": CSV, "b.jsonl": JSONL, "b.ndjson": JSONL, "-": "", "c.txt": ""} {
		if got := FormatOf(name); got != want {
			t.Errorf("FormatOf(%q) = %q, want %q", name, got, want)
		}
	}
	for input, want := range map[string]Format{
		"{\"consumer_id\":\"a\"}\n": JSONL,
		"\ufeff  \n {}":             JSONL,
		"consumer_id\na\n":          CSV,
		strings.Repeat(" ", 9000):   CSV,
	} {
		r, err := NewReader(strings.NewReader(input), "")
		if want == CSV && err != nil {
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Errorf("%q: %v", input, err)
			}
			continue
		}
		if err != nil || r.Format() != want {
			t.Errorf("%q: format %v, %v; want %s", input, r, err, want)
		}
	}
}

func TestRowWriterWritesTheInputsFormat(t *testing.T) {
	for _, tc := range []struct{ input, want string }{
		{"consumer_id,user_name\na,Ann\nb,\"Bob, \"\"B\"\"\nSmith\"\nc,Cy\n",
			"consumer_id,user_name\nb,\"Bob, \"\"B\"\"\nSmith\"\n"},
		{"consumer_id\na\n\"\"\n", "consumer_id\n\"\"\n"},
		{"{\"consumer_id\":\"a\"}\n{\"consumer_id\":\"b\", \"x\":1}\r\n", "{\"consumer_id\":\"b\", \"x\":1}\n"},
	} {
		r, err := NewReader(strings.NewReader(tc.input), "")
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		w := NewRowWriter(&out, r)
		for {
			row, _, err := r.Next()
			if err != nil {
				break
			}
			if row.Number == 2 {
				if ok, err := w.Write(row); !ok || err != nil {
					t.Fatalf("Write: %v %v", ok, err)
				}
			}
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if out.String() != tc.want {
			t.Errorf("wrote %q, want %q", out.String(), tc.want)
		}
	}
}

func TestRowWriterWritesNothingWithoutRows(t *testing.T) {
	r, _ := NewReader(strings.NewReader("consumer_id\n"), CSV)
	var out bytes.Buffer
	w := NewRowWriter(&out, r)
	if err := w.Flush(); err != nil || out.Len() != 0 {
		t.Errorf("wrote %q, %v", out.String(), err)
	}
	row := Row{Line: 2} // a record with a stray quote: nothing to write back
	if ok, err := w.Write(row); ok || err != nil {
		t.Errorf("Write = %v, %v", ok, err)
	}
}

func TestJournalKeyNamesTheBatch(t *testing.T) {
	shared := model.Session{Theme: model.Theme{PrimaryColor: "navy"}}
	key := JournalKey("d1", "app", "unify.apideck.com", shared)
	if len(key) != 32 || key != JournalKey("d1", "app", "unify.apideck.com", model.Session{Theme: model.Theme{PrimaryColor: "#000080"}}) {
		t.Errorf("key %q: the same batch (navy is #000080 once sent) has one key", key)
	}
	for _, other := range []string{
		JournalKey("d2", "app", "unify.apideck.com", shared),
		JournalKey("d1", "app2", "unify.apideck.com", shared),
		JournalKey("d1", "app", "demo", shared),
		JournalKey("d1", "app", "unify.apideck.com", model.Session{}),
		JournalKey("d1a", "pp", "unify.apideck.com", shared),
	} {
		if other == key {
			t.Errorf("another batch has the same key %s", key)
		}
	}
}
