package model_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/apideck-samples/vault-session/model"
)

// nested is custom_consumer_settings holding arrays levels deep in all,
// the object itself counting as level 1.
func nested(levels int) string {
	inner := strings.Repeat("[", levels-1) + "1" + strings.Repeat("]", levels-1)
	return `{"custom_consumer_settings":{"deep":` + inner + `}}`
}

func TestDecodeSessionIsStrict(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in     string
		line, column int
		message      string
	}{
		{"duplicate key", "{\n  \"theme\": {\"vault_name\": \"A\",\n    \"vault_name\": \"B\"}\n}", 3, 5,
			`the key "vault_name" is given twice in this object (JSON readers differ on which one wins; say it once)`},
		{"duplicate top-level key", `{"redirect_uri":"https://a.co","redirect_uri":"https://b.co"}`, 1, 32,
			`the key "redirect_uri" is given twice in this object (JSON readers differ on which one wins; say it once)`},
		{"duplicate in custom settings", `{"custom_consumer_settings":{"a":1,"b":{"x":1,"x":2}}}`, 1, 47,
			`the key "x" is given twice in this object (JSON readers differ on which one wins; say it once)`},
		{"duplicate spelled with an escape", `{"custom_consumer_settings":{"a":1,"\u0061":2}}`, 1, 36,
			`the key "a" is given twice in this object (JSON readers differ on which one wins; say it once)`},
		{"invalid UTF-8", "{\"theme\": {\n\"vault_name\": \"Caf\xe9\"}}", 2, 19,
			"invalid UTF-8 (byte 0xe9): save the file as UTF-8"},
		{"lone surrogate", `{"theme":{"vault_name":"x\ud800y"}}`, 1, 26,
			`\ud800 is half of a UTF-16 surrogate pair without its other half: not a character`},
		{"too deep", nested(model.MaxCustomSettingsDepth + 1), 1, 28 + 8 + model.MaxCustomSettingsDepth,
			"objects and arrays nest too deep here: custom_consumer_settings may nest them 16 levels deep at most"},
		{"custom settings not an object", `{"custom_consumer_settings":[1]}`, 1, 29,
			"custom_consumer_settings: expected an object, got array"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := model.DecodeSession([]byte(tc.in))
			je := jsonError(t, tc.in, err)
			if je.Line != tc.line || je.Column != tc.column || je.Message != tc.message {
				t.Errorf("%d:%d %q\nwant %d:%d %q", je.Line, je.Column, je.Message, tc.line, tc.column, tc.message)
			}
			if s.Theme.VaultName != "" || s.CustomConsumerSettings != nil {
				t.Errorf("a session came back with the error: %+v", s)
			}
		})
	}
}

func TestDecodeSessionSkipsAByteOrderMark(t *testing.T) {
	t.Parallel()
	s, err := model.DecodeSession([]byte("\xef\xbb\xbf{\"theme\":{\"vault_name\":\"BOM\"}}"))
	if err != nil || s.Theme.VaultName != "BOM" {
		t.Fatalf("with a BOM: %+v, %v", s, err)
	}
	// Positions count from the text after it, as an editor shows them.
	_, err = model.DecodeSession([]byte("\xef\xbb\xbf{\"nope\":1}"))
	if je := jsonError(t, "BOM", err); je.Line != 1 || je.Column != 2 {
		t.Errorf("position %d:%d, want 1:2", je.Line, je.Column)
	}
}

func TestDeepestAcceptedNesting(t *testing.T) {
	t.Parallel()
	s, err := model.DecodeSession([]byte(nested(model.MaxCustomSettingsDepth)))
	if err != nil {
		t.Fatalf("%d levels refused: %v", model.MaxCustomSettingsDepth, err)
	}
	if want := strings.Count(nested(model.MaxCustomSettingsDepth), "["); strings.Count(string(s.CustomConsumerSettings), "[") != want {
		t.Errorf("kept %s", s.CustomConsumerSettings)
	}
	// The flag and the wizard's editor read the object alone: same bound.
	obj := `{"deep":` + strings.Repeat("[", model.MaxCustomSettingsDepth-1) + strings.Repeat("]", model.MaxCustomSettingsDepth-1) + `}`
	if _, err := model.ParseJSONObject(obj); err != nil {
		t.Errorf("ParseJSONObject at the bound: %v", err)
	}
	if _, err := model.ParseJSONObject("[" + obj + "]"); err == nil {
		t.Error("ParseJSONObject took an array")
	}
	deeper := `{"deep":` + strings.Repeat("[", model.MaxCustomSettingsDepth) + strings.Repeat("]", model.MaxCustomSettingsDepth) + `}`
	if _, err := model.ParseJSONObject(deeper); err == nil || !strings.Contains(err.Error(), "nest too deep") {
		t.Errorf("ParseJSONObject past the bound: %v", err)
	}
}

// TestVeryDeepNestingIsRefusedWhereItPassesTheBound: 9,990 levels (what
// once cost 2.6 GB in the wizard) are refused at the 17th bracket, before
// anything is built.
func TestVeryDeepNestingIsRefusedWhereItPassesTheBound(t *testing.T) {
	t.Parallel()
	in := nested(9990)
	_, err := model.DecodeSession([]byte(in))
	je := jsonError(t, "9990 levels", err)
	if je.Line != 1 || je.Column != 28+8+model.MaxCustomSettingsDepth {
		t.Errorf("refused at %d:%d", je.Line, je.Column)
	}
}

func TestParseJSONObjectIsStrict(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		`{"a":1,"a":2}`:         `line 1, column 8: the key "a" is given twice`,
		"{\"a\":\"\xff\"}":      "line 1, column 7: invalid UTF-8 (byte 0xff)",
		`{"a":"\udc00"}`:        `line 1, column 7: \udc00 is half of a UTF-16 surrogate pair`,
		"\xef\xbb\xbf{\"a\":1,": "unexpected end of JSON",
	} {
		_, err := model.ParseJSONObject(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseJSONObject(%q) = %v, want %q", in, err, want)
		}
	}
	if m, err := model.ParseJSONObject("\xef\xbb\xbf{\"a\":\"\\ud83d\\ude00\"}"); err != nil || string(m) != `{"a":"\ud83d\ude00"}` {
		t.Errorf("a BOM and a surrogate pair: %s, %v", m, err)
	}
}

// FuzzStrictJSON: what ParseJSONObject accepts is valid JSON and valid
// UTF-8 once a BOM is skipped, comes back compact, and reads back the same;
// every refusal has a position on the text.
func FuzzStrictJSON(f *testing.F) {
	for _, seed := range []string{
		`{"a":1,"a":2}`, "{\"a\":\"\xff\"}", `{"a":"\udc00"}`, `{"a":"\ud83d\ude00"}`, "\xef\xbb\xbf{}",
		`{"a":{"b":{"c":[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]}}}`, `{"\u0061":1,"a":2}`, `{"a\/b":1,"a/b":2}`,
		`{"n":-0.0e+00,"m":1E400}`, `{"a":[],"b":{},"c":""}`, `{"a":01}`, `{"a":1.}`, `{"a":tru}`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		m, err := model.ParseJSONObject(text)
		if err != nil {
			checkErrorPosition(t, []byte(strings.TrimPrefix(text, "\xef\xbb\xbf")), err)
			return
		}
		if m == nil {
			return
		}
		body := strings.TrimPrefix(text, "\xef\xbb\xbf")
		if !json.Valid([]byte(body)) || !utf8.ValidString(body) {
			t.Fatalf("%q accepted, but it is not valid JSON in UTF-8", text)
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, []byte(body)); err != nil || compact.String() != string(m) {
			t.Fatalf("%q came back as %s, not compact as written", text, m)
		}
		again, err := model.ParseJSONObject(string(m))
		if err != nil || !bytes.Equal(again, m) {
			t.Fatalf("%s reads back as %s, %v", m, again, err)
		}
	})
}

// TestCustomSettingsAreKeptApartFromTheRest: the custom settings are cut
// out of the body before encoding/json reads the rest; positions of errors
// after them still point into the file as written.
func TestCustomSettingsAreKeptApartFromTheRest(t *testing.T) {
	t.Parallel()
	in := "{\"custom_consumer_settings\": { \"s\" : \"a \\\" b\\\\\" , \"n\" : [ 1.50 , 2e3 ] },\n\"theme\": 5}"
	_, err := model.DecodeSession([]byte(in))
	if je := jsonError(t, in, err); je.Line != 2 || je.Column != 11 || !strings.Contains(je.Message, "expected an object, got number") {
		t.Errorf("%d:%d %q, want 2:11 (after the value, as for any type error) and a type error", je.Line, je.Column, je.Message)
	}
	s, err := model.DecodeSession([]byte("{\"custom_consumer_settings\": { \"s\" : \"a \\\" b\\\\\" , \"n\" : [ 1.50 , 2e3 ] },\n\"theme\": {\"vault_name\": \"x y\"}}"))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"s":"a \" b\\","n":[1.50,2e3]}`; string(s.CustomConsumerSettings) != want || s.Theme.VaultName != "x y" {
		t.Errorf("custom %s, theme %q; want %s", s.CustomConsumerSettings, s.Theme.VaultName, want)
	}
	if s, err := model.DecodeSession([]byte(`{"custom_consumer_settings": null}`)); err != nil || s.CustomConsumerSettings != nil {
		t.Errorf("null custom settings: %s, %v", s.CustomConsumerSettings, err)
	}
}

// objectOf writes an object with keys, in order; escape writes each
// letter of the keys whose index it lists as a \u escape.
func objectOf(keys []string, escape map[int]bool) string {
	var b strings.Builder
	b.WriteString("{")
	for i, k := range keys {
		if i > 0 {
			b.WriteString(",")
		}
		if escape[i] {
			b.WriteString(`"`)
			for _, u := range utf16.Encode([]rune(k)) {
				fmt.Fprintf(&b, `\u%04x`, u)
			}
			b.WriteString(`"`)
		} else {
			q, _ := json.Marshal(k)
			b.Write(q)
		}
		fmt.Fprintf(&b, ":%d", i)
	}
	b.WriteString("}")
	return b.String()
}

// Objects with many keys are checked with a hash table: a key given twice
// is found wherever it stands, spelled with escapes or not, and no two
// different keys are taken for one.
func TestDuplicateKeysAmongMany(t *testing.T) {
	t.Parallel()
	var keys []string
	for i := range 5000 {
		keys = append(keys, fmt.Sprintf("record_%d", i))
	}
	if _, err := model.ParseJSONObject(objectOf(keys, nil)); err != nil {
		t.Fatalf("5,000 different keys: %v", err)
	}
	for _, tc := range []struct {
		name   string
		twice  string
		escape map[int]bool
	}{
		{"plain", "record_3", nil},
		{"the second spelled with escapes", "record_4000", map[int]bool{5000: true}},
		{"the first spelled with escapes", "record_17", map[int]bool{17: true}},
	} {
		_, err := model.ParseJSONObject(objectOf(append(append([]string{}, keys...), tc.twice), tc.escape))
		if err == nil || !strings.Contains(err.Error(), `the key "`+tc.twice+`" is given twice`) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

// FuzzDuplicateKeys: an object is refused for a key given twice exactly
// when two of its keys read the same, however many keys it has.
func FuzzDuplicateKeys(f *testing.F) {
	f.Add("a,b,c,a", uint64(0))
	f.Add("k0,k1,k2,k3,k4,k5,k6,k7,k8,k9,k10,k11,k12,k13,k14,k15,k16,k17,k3", uint64(1<<18))
	f.Add("x,y,é,z,é", uint64(5))
	f.Fuzz(func(t *testing.T, list string, escapes uint64) {
		keys := strings.Split(list, ",")
		for len(keys) < 40 && len(list) < 20 { // more keys than the list takes
			keys = append(keys, fmt.Sprintf("pad%d", len(keys)))
		}
		escape := map[int]bool{}
		seen, dup := map[string]bool{}, false
		for i, k := range keys {
			if !utf8.ValidString(k) {
				t.Skip()
			}
			escape[i] = escapes&(1<<(i%64)) != 0
			dup = dup || seen[k]
			seen[k] = true
		}
		_, err := model.ParseJSONObject(objectOf(keys, escape))
		if gotDup := err != nil && strings.Contains(err.Error(), "is given twice"); gotDup != dup {
			t.Fatalf("keys %q: duplicate %v, refused for one: %v", keys, dup, err)
		}
	})
}
