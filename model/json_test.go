package model_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/apideck-samples/vault-session/model"
)

func marshal(t testing.TB, v any) string {
	t.Helper()
	body, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("json.Marshal(%#v): %v", v, err)
	}
	return string(body)
}

func TestMarshalSendsOnlyWhatIsSet(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		s    model.Session
		want string
	}{
		{"zero session", model.Session{}, `{}`},
		{"false is sent", model.Session{Settings: model.Settings{ShowLogs: model.Bool(false)}},
			`{"settings":{"show_logs":false}}`},
		{"true and false", model.Session{Settings: model.Settings{SandboxMode: model.Bool(false), ShowLogs: model.Bool(true)}},
			`{"settings":{"sandbox_mode":false,"show_logs":true}}`},
		{"every action allowed", model.Session{Settings: model.Settings{AllowActions: nil}}, `{}`},
		{"no action allowed", model.Session{Settings: model.Settings{AllowActions: []string{}}},
			`{"settings":{"allow_actions":[]}}`},
		{"some actions", model.Session{Settings: model.Settings{AllowActions: []string{"delete", "disable"}}},
			`{"settings":{"allow_actions":["delete","disable"]}}`},
		{"all APIs (nil)", model.Session{Settings: model.Settings{UnifiedAPIs: nil}}, `{}`},
		// Empty means all, like nil: nothing is sent, not even "settings":{}.
		{"all APIs (empty)", model.Session{Settings: model.Settings{UnifiedAPIs: []string{}}}, `{}`},
		{"some APIs", model.Session{Settings: model.Settings{UnifiedAPIs: []string{"crm", "hris"}}},
			`{"settings":{"unified_apis":["crm","hris"]}}`},
		{"session length", model.Session{Settings: model.Settings{SessionLength: "30m"}},
			`{"settings":{"session_length":"30m"}}`},
		{"empty custom settings", model.Session{CustomConsumerSettings: json.RawMessage{}}, `{}`},
		{"custom settings", model.Session{CustomConsumerSettings: json.RawMessage(`{"flag":false}`)},
			`{"custom_consumer_settings":{"flag":false}}`},
		{"one theme field", model.Session{Theme: model.Theme{PrimaryColor: "#5d50ce"}},
			`{"theme":{"primary_color":"#5d50ce"}}`},
		{"one consumer field", model.Session{ConsumerMetadata: model.ConsumerMetadata{Email: "a@b.co"}},
			`{"consumer_metadata":{"email":"a@b.co"}}`},
		{"redirect", model.Session{RedirectURI: "https://example.com"}, `{"redirect_uri":"https://example.com"}`},
	} {
		if got := marshal(t, tc.s); got != tc.want {
			t.Errorf("%s: marshals to %s, want %s", tc.name, got, tc.want)
		}
	}
}

func fullSession() model.Session {
	return model.Session{
		ConsumerMetadata: model.ConsumerMetadata{
			AccountName: "SpaceX", UserName: "Elon Musk", Email: "elon@musk.com",
			Image: "https://www.spacex.com/static/images/share.jpg",
		},
		RedirectURI: "https://mysaas.com/dashboard",
		Settings: model.Settings{
			UnifiedAPIs:          []string{"crm", "accounting"},
			HideResourceSettings: model.Bool(false),
			SandboxMode:          model.Bool(true),
			IsolationMode:        model.Bool(false),
			SessionLength:        "30m",
			ShowLogs:             model.Bool(false),
			ShowSuggestions:      model.Bool(true),
			ShowSidebar:          model.Bool(false),
			AutoRedirect:         model.Bool(true),
			HideGuides:           model.Bool(false),
			AllowActions:         []string{},
		},
		Theme: model.Theme{
			Favicon: "https://res.cloudinary.com/apideck/icons/intercom", Logo: "https://res.cloudinary.com/apideck/icons/intercom",
			PrimaryColor: "#286efa", SidepanelBackgroundColor: "#286efa", SidepanelTextColor: "#FFFFFF",
			VaultName: "Intercom", PrivacyURL: "https://compliance.apideck.com/privacy-policy",
			TermsURL: "https://www.termsfeed.com/terms-conditions/957c85c1b089ae9e3219c83eff65377e",
		},
		CustomConsumerSettings: json.RawMessage(`{"feature_flag_1":true,"tax_rates":[{"id":"6","label":"6%"},{"id":"21","rate":0.21}],"empty":{},"none":null}`),
	}
}

func TestMarshalFullSession(t *testing.T) {
	t.Parallel()
	want := `{"consumer_metadata":{"account_name":"SpaceX","user_name":"Elon Musk","email":"elon@musk.com","image":"https://www.spacex.com/static/images/share.jpg"},` +
		`"redirect_uri":"https://mysaas.com/dashboard",` +
		`"settings":{"unified_apis":["crm","accounting"],"hide_resource_settings":false,"sandbox_mode":true,"isolation_mode":false,"session_length":"30m",` +
		`"show_logs":false,"show_suggestions":true,"show_sidebar":false,"auto_redirect":true,"hide_guides":false,"allow_actions":[]},` +
		`"theme":{"favicon":"https://res.cloudinary.com/apideck/icons/intercom","logo":"https://res.cloudinary.com/apideck/icons/intercom",` +
		`"primary_color":"#286efa","sidepanel_background_color":"#286efa","sidepanel_text_color":"#FFFFFF","vault_name":"Intercom",` +
		`"privacy_url":"https://compliance.apideck.com/privacy-policy","terms_url":"https://www.termsfeed.com/terms-conditions/957c85c1b089ae9e3219c83eff65377e"},` +
		`"custom_consumer_settings":{"feature_flag_1":true,"tax_rates":[{"id":"6","label":"6%"},{"id":"21","rate":0.21}],"empty":{},"none":null}}`
	if got := marshal(t, fullSession()); got != want {
		t.Errorf("full session marshals to\n%s\nwant\n%s", got, want)
	}
}

func TestBody(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		s    model.Session
		want string
	}{
		{model.Session{}, `{}`},
		{model.Session{CustomConsumerSettings: json.RawMessage(`{"a":1}`)}, `{"custom_consumer_settings":{"a":1}}`},
		// Written as --dry-run shows it: no \u0026 for &.
		{model.Session{Theme: model.Theme{VaultName: "A&B <x>"}, CustomConsumerSettings: json.RawMessage(`{"&":"<>"}`)},
			`{"theme":{"vault_name":"A&B <x>"},"custom_consumer_settings":{"&":"<>"}}`},
	} {
		if got, err := tc.s.Body(); err != nil || string(got) != tc.want {
			t.Errorf("Body() = %s, %v; want %s", got, err, tc.want)
		}
	}
	full := fullSession()
	body, err := full.Body()
	if err != nil || string(body) != marshal(t, full) {
		t.Errorf("Body() of the full session\n%s\nwant json.Marshal's\n%s", body, marshal(t, full))
	}
}

func TestSessionRoundTrip(t *testing.T) {
	t.Parallel()
	in := fullSession()
	got, err := model.DecodeSession([]byte(marshal(t, in)))
	if err != nil {
		t.Fatalf("DecodeSession of a marshalled session: %v", err)
	}
	if !reflect.DeepEqual(got, in) {
		t.Errorf("round trip changed the session:\n got %#v\nwant %#v", got, in)
	}
	// false and [] survive as chosen values, not as "unset".
	if got.Settings.ShowLogs == nil || *got.Settings.ShowLogs || got.Settings.AllowActions == nil {
		t.Error("round trip lost a false or an empty allow_actions")
	}
}

func TestDecodeSessionKeepsUnsetApartFromFalse(t *testing.T) {
	t.Parallel()
	s, err := model.DecodeSession([]byte(`{"settings":{"show_logs":false,"sandbox_mode":true,"hide_guides":null,"allow_actions":[]}}`))
	if err != nil {
		t.Fatal(err)
	}
	st := s.Settings
	if st.ShowLogs == nil || *st.ShowLogs {
		t.Errorf("show_logs false decoded as %v", st.ShowLogs)
	}
	if st.SandboxMode == nil || !*st.SandboxMode {
		t.Errorf("sandbox_mode true decoded as %v", st.SandboxMode)
	}
	for _, key := range []string{"hide_guides", "show_sidebar", "isolation_mode"} {
		if p := *st.BoolField(key); p != nil {
			t.Errorf("%s (null or absent) decoded as %v, want unset", key, *p)
		}
	}
	if st.AllowActions == nil || len(st.AllowActions) != 0 {
		t.Errorf("allow_actions [] decoded as %#v, want an empty list", st.AllowActions)
	}
	if got := marshal(t, s); got != `{"settings":{"sandbox_mode":true,"show_logs":false,"allow_actions":[]}}` {
		t.Errorf("re-marshalled as %s", got)
	}

	s, err = model.DecodeSession([]byte(`{"settings":{"allow_actions":null}}`))
	if err != nil || s.Settings.AllowActions != nil {
		t.Errorf("allow_actions null decoded as %#v, %v; want nil (every action)", s.Settings.AllowActions, err)
	}
}

func TestCustomSettingsKeepNumberText(t *testing.T) {
	t.Parallel()
	const body = `{"custom_consumer_settings":{"big":12345678901234567890,"price":1.10,"tiny":1e-400,"huge":1E+400,"neg":-0.0,"nested":{"list":[1.50,2]}}}`
	s, err := model.DecodeSession([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"big":12345678901234567890,"price":1.10,"tiny":1e-400,"huge":1E+400,"neg":-0.0,"nested":{"list":[1.50,2]}}`; string(s.CustomConsumerSettings) != want {
		t.Errorf("custom settings kept as %s, want %s", s.CustomConsumerSettings, want)
	}
	out := marshal(t, s)
	for _, text := range []string{`"big":12345678901234567890`, `"price":1.10`, `"tiny":1e-400`, `"huge":1E+400`, `"neg":-0.0`, `"list":[1.50,2]`} {
		if !strings.Contains(out, text) {
			t.Errorf("re-marshalled body %s lost %s", out, text)
		}
	}

	m, err := model.ParseJSONObject(`{"big": 12345678901234567890, "price": 1.10}`)
	if err != nil {
		t.Fatal(err)
	}
	if got := marshal(t, m); got != `{"big":12345678901234567890,"price":1.10}` {
		t.Errorf("ParseJSONObject then marshal gives %s", got)
	}
}

// jsonError asserts err is a *model.JSONError and returns it.
func jsonError(t *testing.T, input string, err error) *model.JSONError {
	t.Helper()
	if err == nil {
		t.Fatalf("%q: no error", input)
	}
	var je *model.JSONError
	if !errors.As(err, &je) {
		t.Fatalf("%q: error %T %v is not a *model.JSONError", input, err, err)
	}
	return je
}

func TestDecodeSessionRefusesUnknownKeys(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, key string }{
		{`{"foo":1}`, "foo"},
		{`{"redirect_uri":"https://x.co","redirect_url":"https://x.co"}`, "redirect_url"},
		{`{"settings":{"show_logs":true,"show_log":true}}`, "show_log"},
		{`{"settings":{"hide_consumer_card":true}}`, "hide_consumer_card"},
		{`{"theme":{"primary_colour":"#fff"}}`, "primary_colour"},
		{`{"consumer_metadata":{"name":"Ann"}}`, "name"},
		{`{"consumer_metadata":{"email":"a@b.co","phone":"1"}}`, "phone"},
	} {
		_, err := model.DecodeSession([]byte(tc.in))
		je := jsonError(t, tc.in, err)
		if !strings.Contains(je.Message, `unknown field "`+tc.key+`"`) {
			t.Errorf("%s: message %q does not name %q", tc.in, je.Message, tc.key)
		}
		if !strings.Contains(je.Message, "the API refuses keys the spec does not name") {
			t.Errorf("%s: message %q does not say why", tc.in, je.Message)
		}
		if je.Line != 1 || je.Column < 1 || je.Column > len(tc.in)+1 {
			t.Errorf("%s: position %d:%d is not on the text", tc.in, je.Line, je.Column)
		}
	}
	// custom_consumer_settings is the one open object.
	if _, err := model.DecodeSession([]byte(`{"custom_consumer_settings":{"foo":{"bar":1}}}`)); err != nil {
		t.Errorf("custom_consumer_settings refused a key of its own: %v", err)
	}
}

// In a session file the unknown key should be found on its own line, not at
// the closing brace of the document.
func TestDecodeSessionUnknownKeyLine(t *testing.T) {
	t.Parallel()
	const in = "{\n  \"redirect_uri\": \"https://x.co\",\n  \"settings\": {\n    \"show_log\": true\n  },\n  \"theme\": {}\n}\n"
	_, err := model.DecodeSession([]byte(in))
	je := jsonError(t, in, err)
	if je.Line != 4 {
		t.Errorf("unknown key show_log (line 4) reported at line %d, column %d: %v", je.Line, je.Column, je)
	}
}

func TestDecodeSessionRefusesWrongTypes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, value string // value: the wrong value as it appears in the text
		line      int
		message   string
	}{
		{`{"settings":{"show_logs":"yes"}}`, `"yes"`, 1, "settings.show_logs: expected true or false, got string"},
		{`{"settings":{"sandbox_mode":1}}`, `1`, 1, "settings.sandbox_mode: expected true or false, got number"},
		{`{"redirect_uri":5}`, `5`, 1, "redirect_uri: expected a string, got number"},
		{`{"theme":{"primary_color":true}}`, `true`, 1, "theme.primary_color: expected a string, got bool"},
		{`{"consumer_metadata":"x"}`, `"x"`, 1, "consumer_metadata: expected an object, got string"},
		{`{"settings":[]}`, `[]`, 1, "settings: expected an object, got array"},
		{`{"settings":{"unified_apis":"crm"}}`, `"crm"`, 1, "settings.unified_apis: expected a list, got string"},
		{`{"settings":{"unified_apis":["crm",1]}}`, `1`, 1, "settings.unified_apis: expected a string, got number"},
		{`{"settings":{"allow_actions":{}}}`, `{}`, 1, "settings.allow_actions: expected a list, got object"},
		{`{"settings":{"session_length":30}}`, `30`, 1, "settings.session_length: expected a string, got number"},
		{`{"custom_consumer_settings":[]}`, `[]`, 1, "custom_consumer_settings: expected an object, got array"},
		{"{\n  \"settings\": {\n    \"show_logs\": \"yes\"\n  }\n}", `"yes"`, 3, "settings.show_logs: expected true or false, got string"},
	} {
		_, err := model.DecodeSession([]byte(tc.in))
		je := jsonError(t, tc.in, err)
		if je.Message != tc.message {
			t.Errorf("%s: message %q, want %q", tc.in, je.Message, tc.message)
		}
		if je.Line != tc.line {
			t.Errorf("%s: line %d, want %d", tc.in, je.Line, tc.line)
			continue
		}
		// The column points at the wrong value or just after it.
		lineText := strings.Split(tc.in, "\n")[tc.line-1]
		start := strings.LastIndex(lineText, tc.value) + 1
		if je.Column < start || je.Column > start+len(tc.value) {
			t.Errorf("%s: column %d, want the value %s at columns %d-%d", tc.in, je.Column, tc.value, start, start+len(tc.value)-1)
		}
	}
}

func TestDecodeSessionSyntaxErrorPosition(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in           string
		line, column int
		message      string
	}{
		{`{"a":1 "b":2}`, 1, 8, `invalid character '"' after object key:value pair`},
		{`{"é":1 "b":2}`, 1, 8, `invalid character '"' after object key:value pair`}, // columns count characters
		{"{\n  \"a\": 1,\n  \"b\" 2\n}", 3, 7, "invalid character '2' after object key"},
		{`{"redirect_uri":tru}`, 1, 20, "invalid character '}' in literal true (expecting 'e')"},
		{`{'a':1}`, 1, 2, "invalid character '\\'' looking for beginning of object key string"},
		{`{"redirect_uri":"x",}`, 1, 21, "invalid character '}' looking for beginning of object key string"},
		{"\n\n   {\"a\" 1}", 3, 9, "invalid character '1' after object key"},
		{`{`, 1, 2, "unexpected end of JSON: a brace, bracket or quote is not closed"},
		{"{\n  \"settings\": {", 2, 16, "unexpected end of JSON: a brace, bracket or quote is not closed"},
		{`{"redirect_uri":"x`, 1, 19, "unexpected end of JSON: a brace, bracket or quote is not closed"},
	} {
		_, err := model.DecodeSession([]byte(tc.in))
		je := jsonError(t, tc.in, err)
		if je.Line != tc.line || je.Column != tc.column || je.Message != tc.message {
			t.Errorf("%q: %d:%d %q, want %d:%d %q", tc.in, je.Line, je.Column, je.Message, tc.line, tc.column, tc.message)
		}
	}
}

func TestDecodeSessionRefusesAnythingButOneObject(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in           string
		line, column int // 0: no position
		message      string
	}{
		{``, 0, 0, "no JSON: expected an object {...}"},
		{" \n\t", 0, 0, "no JSON: expected an object {...}"},
		{`[]`, 1, 1, "expected a JSON object {...}"},
		{`[{}]`, 1, 1, "expected a JSON object {...}"},
		{`"session"`, 1, 1, "expected a JSON object {...}"},
		{`1`, 1, 1, "expected a JSON object {...}"},
		{`true`, 1, 1, "expected a JSON object {...}"},
		{"\n  []", 2, 3, "expected a JSON object {...}"},
		{`{}x`, 1, 3, "unexpected text after the JSON object"},
		{`{} x`, 1, 4, "unexpected text after the JSON object"},
		{"{}\n]", 2, 1, "unexpected text after the JSON object"},
		{`{}}`, 1, 3, "unexpected text after the JSON object"},
		{`{}{}`, 1, 3, "unexpected text after the JSON object"},
		{"{}\n\n  {", 3, 3, "unexpected text after the JSON object"},
	} {
		_, err := model.DecodeSession([]byte(tc.in))
		je := jsonError(t, tc.in, err)
		if je.Line != tc.line || je.Column != tc.column || je.Message != tc.message {
			t.Errorf("%q: %d:%d %q, want %d:%d %q", tc.in, je.Line, je.Column, je.Message, tc.line, tc.column, tc.message)
		}
	}
	// Two objects: the second one is on line 2.
	_, err := model.DecodeSession([]byte("{}\n{}"))
	if je := jsonError(t, "{}\n{}", err); je.Line != 2 || je.Message != "unexpected text after the JSON object" {
		t.Errorf("two objects: %v", je)
	}
}

func TestDecodeSessionRefusesNull(t *testing.T) {
	t.Parallel()
	for _, in := range []string{`null`, " null\n"} {
		s, err := model.DecodeSession([]byte(in))
		if err == nil {
			t.Errorf("DecodeSession(%q) = %s, nil; want an error: a session body is an object", in, marshal(t, s))
			continue
		}
		je := jsonError(t, in, err)
		if !strings.Contains(je.Message, "expected a JSON object") {
			t.Errorf("DecodeSession(%q): message %q", in, je.Message)
		}
	}
}

func TestDecodeSessionAcceptsWhitespaceAndEmptyObjects(t *testing.T) {
	t.Parallel()
	for _, in := range []string{`{}`, " \n{ }\n\n", `{"settings":{},"theme":{},"consumer_metadata":{}}`, `{"settings":null}`} {
		s, err := model.DecodeSession([]byte(in))
		if err != nil || marshal(t, s) != `{}` {
			t.Errorf("DecodeSession(%q) = %s, %v; want the empty session", in, marshal(t, s), err)
		}
	}
}

func TestJSONErrorText(t *testing.T) {
	t.Parallel()
	if got := (&model.JSONError{Line: 3, Column: 7, Message: "bad"}).Error(); got != "line 3, column 7: bad" {
		t.Errorf("Error() = %q", got)
	}
	if got := (&model.JSONError{Message: "no JSON"}).Error(); got != "no JSON" {
		t.Errorf("Error() without a position = %q", got)
	}
	_, err := model.DecodeSession([]byte(`{"a":1 "b":2}`))
	if err == nil || !strings.HasPrefix(err.Error(), "line 1, column 8: ") {
		t.Errorf("DecodeSession error reads %v", err)
	}
}

func TestParseJSONObject(t *testing.T) {
	t.Parallel()
	for _, blank := range []string{"", "  ", "\n\t\n"} {
		if m, err := model.ParseJSONObject(blank); m != nil || err != nil {
			t.Errorf("ParseJSONObject(%q) = %v, %v; want nil, nil", blank, m, err)
		}
	}

	m, err := model.ParseJSONObject(`{"any_key": {"nested": [1, "two", true, null]}, "Another Key": "x"}`)
	if err != nil {
		t.Fatal(err)
	}
	// Compact, in the order written.
	if want := `{"any_key":{"nested":[1,"two",true,null]},"Another Key":"x"}`; string(m) != want {
		t.Errorf("ParseJSONObject = %s, want %s", m, want)
	}

	m, err = model.ParseJSONObject(" {} ")
	if err != nil || string(m) != "{}" {
		t.Errorf("ParseJSONObject({}) = %q, %v; want {}", m, err)
	}

	for _, tc := range []struct {
		in           string
		line, column int
		message      string
	}{
		{`null`, 0, 0, "expected a JSON object {...}, got null"},
		{`[]`, 1, 1, "expected a JSON object {...}"},
		{` 1`, 1, 2, "expected a JSON object {...}"},
		{`"x"`, 1, 1, "expected a JSON object {...}"},
		{`{"a":1 "b":2}`, 1, 8, `invalid character '"' after object key:value pair`},
		{"{\n\"a\": }", 2, 6, "invalid character '}' looking for beginning of value"},
		{`{"a":1}{}`, 1, 8, "unexpected text after the JSON object"},
		{`{"a":[1,2}`, 1, 10, "invalid character '}' after array element"},
		{`{"a":`, 1, 6, "unexpected end of JSON: a brace, bracket or quote is not closed"},
	} {
		m, err := model.ParseJSONObject(tc.in)
		je := jsonError(t, tc.in, err)
		if m != nil {
			t.Errorf("ParseJSONObject(%q) returned %v with its error", tc.in, m)
		}
		if je.Line != tc.line || je.Column != tc.column || je.Message != tc.message {
			t.Errorf("ParseJSONObject(%q): %d:%d %q, want %d:%d %q", tc.in, je.Line, je.Column, je.Message, tc.line, tc.column, tc.message)
		}
	}
}

// checkErrorPosition holds for every error of DecodeSession and
// ParseJSONObject: a *model.JSONError whose position, when it has one, is
// on the text.
func checkErrorPosition(t *testing.T, data []byte, err error) {
	t.Helper()
	var je *model.JSONError
	if !errors.As(err, &je) {
		t.Fatalf("%q: error %T %v is not a *model.JSONError", data, err, err)
	}
	if je.Message == "" {
		t.Fatalf("%q: error without a message", data)
	}
	if je.Line == 0 && je.Column == 0 {
		return
	}
	lines := bytes.Split(data, []byte("\n"))
	if je.Line < 1 || je.Column < 1 || je.Line > len(lines) {
		t.Fatalf("%q: position %d:%d is not on the text", data, je.Line, je.Column)
	}
	if max := utf8.RuneCount(lines[je.Line-1]) + 1; je.Column > max {
		t.Fatalf("%q: column %d is past the end of line %d (%d characters)", data, je.Column, je.Line, max-1)
	}
}

// canonical is what a decoded session looks like once sent and read back:
// the two "empty" values that omitempty drops become nil.
func canonical(s model.Session) model.Session {
	if len(s.CustomConsumerSettings) == 0 {
		s.CustomConsumerSettings = nil
	}
	if len(s.Settings.UnifiedAPIs) == 0 {
		s.Settings.UnifiedAPIs = nil
	}
	return s
}

func FuzzDecodeSession(f *testing.F) {
	f.Add([]byte(marshal(f, fullSession())))
	for _, seed := range []string{
		`{}`, `{"settings":{"show_logs":false,"allow_actions":[]}}`, `{"settings":{"unified_apis":[]}}`,
		`{"custom_consumer_settings":{}}`, `{"custom_consumer_settings":{"big":12345678901234567890,"f":1.10,"e":1e400}}`,
		`{"custom_consumer_settings":{"&<>":"&"}}`,
		`{"REDIRECT_URI":"x"}`, `{"redirect_uri":"\ud800"}`, "{\"theme\":{\"vault_name\":\"\xff\"}}",
		`{"foo":1}`, `{"settings":{"foo":1}}`, `{"settings":{"show_logs":"yes"}}`, `{"a":1 "b":2}`,
		"{\n  \"a\": 1,\n  \"b\" 2\n}", `{} {}`, `[]`, ``, `null`, `{`, `{"consumer_metadata":"x"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := model.DecodeSession(data)
		if err != nil {
			checkErrorPosition(t, data, err)
			if !reflect.DeepEqual(s, model.Session{}) {
				t.Fatalf("%q: DecodeSession returned %+v with its error", data, s)
			}
			return
		}
		body, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("%q: decoded session does not marshal: %v", data, err)
		}
		// Body writes the custom settings as held, without scanning them:
		// the same object encoding/json writes, in compact text.
		sent, err := s.Body()
		if err != nil || !json.Valid(sent) || !reflect.DeepEqual(decodeAny(t, sent), decodeAny(t, body)) {
			t.Fatalf("%q: Body() = %s, %v; json.Marshal gives %s", data, sent, err, body)
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, sent); err != nil || compact.String() != string(sent) {
			t.Fatalf("%q: Body() = %s is not compact", data, sent)
		}
		again, err := model.DecodeSession(body)
		if err != nil {
			t.Fatalf("%q: the marshalled session %s does not decode: %v", data, body, err)
		}
		// Compared as sent: encoding/json writes & as \u0026 in the
		// custom settings, the same object in other text.
		if a, b := marshal(t, again), marshal(t, canonical(s)); a != b {
			t.Fatalf("%q: round trip through %s changed the session:\n got %s\nwant %s", data, body, a, b)
		}
		if !reflect.DeepEqual(again.Theme, s.Theme) || !reflect.DeepEqual(again.Settings, canonical(s).Settings) {
			t.Fatalf("%q: round trip through %s changed the session:\n got %#v\nwant %#v", data, body, again, canonical(s))
		}
	})
}

func FuzzParseJSONObject(f *testing.F) {
	for _, seed := range []string{
		``, `  `, `{}`, `{"a":1}`, `{"a":{"b":[1,2.50,"x",null,true]}}`, `{"big":12345678901234567890}`,
		`null`, `[]`, `1`, `{"a":1 "b":2}`, `{"a":1}{}`, "{\n\"a\": }", `{"\u00e9":"\ud800"}`, "{\"\xff\":1}",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		m, err := model.ParseJSONObject(text)
		if err != nil {
			checkErrorPosition(t, []byte(text), err)
			if m != nil {
				t.Fatalf("%q: ParseJSONObject returned %s with its error", text, m)
			}
			return
		}
		if strings.TrimSpace(text) == "" {
			if m != nil {
				t.Fatalf("%q: blank text gave %v, want nil", text, m)
			}
			return
		}
		if m == nil {
			t.Fatalf("%q: an object parsed to nil", text)
		}
		// The text as written, only the whitespace between tokens gone.
		var compact bytes.Buffer
		if err := json.Compact(&compact, []byte(strings.TrimPrefix(text, "\ufeff"))); err != nil || compact.String() != string(m) {
			t.Fatalf("%q: ParseJSONObject = %s, json.Compact gives %s (%v)", text, m, compact.String(), err)
		}
		body := marshal(t, m)
		again, err := model.ParseJSONObject(body)
		if err != nil {
			t.Fatalf("%q: the marshalled object %s does not parse: %v", text, body, err)
		}
		// encoding/json writes & as \u0026: the same object, other text.
		if !reflect.DeepEqual(decodeAny(t, again), decodeAny(t, m)) {
			t.Fatalf("%q: round trip through %s changed the object:\n got %s\nwant %s", text, body, again, m)
		}
	})
}

// The API matches keys exactly; encoding/json alone would take any case.
func TestDecodeSessionKeysAreCaseSensitive(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		`{"REDIRECT_URI": "https://a.example"}`,
		`{"settings": {"Show_Logs": false}}`,
		`{"theme": {"vault_Name": "x"}}`,
		`{"consumer_metadata": {"Email": "a@b.co"}}`,
	} {
		_, err := model.DecodeSession([]byte(body))
		var jerr *model.JSONError
		if !errors.As(err, &jerr) || !strings.Contains(jerr.Message, "unknown field") {
			t.Errorf("DecodeSession(%s) = %v, want an unknown field error", body, err)
		}
	}
	// Keys inside custom_consumer_settings are the caller's own.
	if _, err := model.DecodeSession([]byte(`{"custom_consumer_settings": {"ANY_Key": {"nested": 1}}}`)); err != nil {
		t.Errorf("custom settings keys refused: %v", err)
	}
}

// decodeAny reads JSON text into generic values, numbers as written.
func decodeAny(t *testing.T, text []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("%s: %v", text, err)
	}
	return v
}
