package model_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/apideck-samples/vault-session/model"
)

func TestIndentJSONIsJSONIndentWhenShallow(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		`{"a":1,"b":[1,2,{"c":"x, y: {z}","d":[]}],"e":{},"f":"q\"uote\\\\"}`,
		` { "a" : [ ] , "b" : { } , "n" : -1.50e+3 , "t" : true , "z" : null } `,
		`[]`, `"s"`, `12`,
	} {
		var want bytes.Buffer
		if err := json.Indent(&want, []byte(strings.TrimSpace(in)), "", "  "); err != nil {
			t.Fatal(err)
		}
		if got := model.IndentJSON([]byte(in), 100); string(got) != want.String() {
			t.Errorf("IndentJSON(%s) =\n%s\nwant\n%s", in, got, want.String())
		}
	}
}

func TestIndentJSONKeepsDeepValuesOnOneLine(t *testing.T) {
	t.Parallel()
	in := `{"custom_consumer_settings":{"deep":[[[ [1, 2] ]]],"flat":1}}`
	want := `{
  "custom_consumer_settings": {
    "deep": [
      [[[1,2]]]
    ],
    "flat": 1
  }
}`
	if got := string(model.IndentJSON([]byte(in), 3)); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// FuzzIndentJSON: for valid JSON, IndentJSON keeps every token (its
// compact form is the input's) and stays within a fixed multiple of the
// input, however deep it nests.
func FuzzIndentJSON(f *testing.F) {
	for _, seed := range []string{`{"a":[1,{"b":[[[[]]]]}]}`, `[[[[[[[[[[[[1]]]]]]]]]]]]`, `{"s":"\"{[","t":[{},{}]}`, `1`} {
		f.Add(seed, 3)
	}
	f.Fuzz(func(t *testing.T, in string, levels int) {
		if !json.Valid([]byte(in)) || levels < 0 || levels > 20 {
			return
		}
		out := model.IndentJSON([]byte(in), levels)
		var a, b bytes.Buffer
		if err := json.Compact(&a, []byte(in)); err != nil {
			t.Fatal(err)
		}
		if err := json.Compact(&b, out); err != nil {
			t.Fatalf("%q gave invalid JSON %q: %v", in, out, err)
		}
		if a.String() != b.String() {
			t.Fatalf("%q came out as %q", in, out)
		}
		// Each line has a token of at least one byte, a newline and at
		// most 2*levels spaces.
		if limit := a.Len() * (2*levels + 3); len(out) > limit {
			t.Fatalf("%d bytes out of %d in at %d levels", len(out), a.Len(), levels)
		}
	})
}
