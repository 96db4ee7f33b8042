package client

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseAPIErrorFields(t *testing.T) {
	body := `{"status_code":400,"error":"Bad Request","type_name":"RequestHeadersValidationError","message":"Invalid Params","detail":{"missing":[{"x-apideck-consumer-id":"required"}]},"ref":"https://developers.apideck.com/errors#unauthorizederror"}`
	e := ParseAPIError(400, []byte(body))
	if e.StatusCode != 400 || e.ErrorText != "Bad Request" || e.TypeName != "RequestHeadersValidationError" ||
		e.Message != "Invalid Params" || e.Ref != "https://developers.apideck.com/errors#unauthorizederror" {
		t.Errorf("fields = %+v", e)
	}
	wantDetail := "{\n  \"missing\": [\n    {\n      \"x-apideck-consumer-id\": \"required\"\n    }\n  ]\n}"
	if e.DetailText() != wantDetail {
		t.Errorf("DetailText =\n%s\nwant\n%s", e.DetailText(), wantDetail)
	}
	if e.Error() != "400 Bad Request: Invalid Params (RequestHeadersValidationError)" {
		t.Errorf("Error() = %q", e.Error())
	}
}

func TestAPIErrorMessages(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   string
		want   string
	}{
		{"message only", 403, `{"message":"Forbidden for app"}`, "403 Forbidden: Forbidden for app"},
		{"type only", 409, `{"type_name":"ConflictError"}`, "409 Conflict: ConflictError"},
		{"error text only", 418, `{"error":"Short and stout"}`, "418 I'm a teapot: Short and stout"},
		{"unknown status", 599, `{"error":"Weird","message":"odd"}`, "599 Weird: odd"},
		{"unknown status no text", 599, ``, "599: the server answered with an empty body"},
		{"JSON without message", 500, `{"status_code":500}`, "500 Internal Server Error: the server's JSON answer has no error message"},
		{"JSON array", 500, `[1,2]`, "500 Internal Server Error: the server's JSON answer has no error message"},
		{"message as object", 400, `{"message":{"a":1}}`, `400 Bad Request: {"a":1}`},
		{"multi-line message", 400, "{\"message\":\"line one\\nline two\\r\\n\\tthree\"}", `400 Bad Request: line one\nline two\r\n\tthree`},
		{"sniffed HTML", 502, "<!DOCTYPE html><html><body>oops</body></html>", "502 Bad Gateway: the server answered text/html, not JSON"},
		{"binary", 500, "\x00\x01\x02\x03", "500 Internal Server Error: the server answered application/octet-stream, not JSON"},
		{"whitespace", 504, " \n\t ", "504 Gateway Timeout: the server answered with an empty body"},
	} {
		if got := ParseAPIError(tc.status, []byte(tc.body)).Error(); got != tc.want {
			t.Errorf("%s: Error() = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestAPIErrorLongMessageIsCut(t *testing.T) {
	e := ParseAPIError(400, []byte(`{"message":"`+strings.Repeat("é", 5000)+`","type_name":"X"}`))
	msg := e.Error()
	if n := utf8.RuneCountInString(msg); n > maxMessageRunes+60 || !strings.Contains(msg, "… (4700 more characters) (X)") {
		t.Errorf("Error() has %d runes: %q", n, msg)
	}
	if e.Message != strings.Repeat("é", 5000) {
		t.Error("the Message field itself should be kept whole")
	}
}

func TestParseAPIErrorBoundsTheBody(t *testing.T) {
	e := ParseAPIError(500, make([]byte, MaxBodySize+10))
	if len(e.Body) != MaxBodySize || !e.Truncated {
		t.Errorf("Body %d bytes, Truncated %v", len(e.Body), e.Truncated)
	}
}

func TestDetailText(t *testing.T) {
	for _, tc := range []struct {
		detail any
		want   string
	}{
		{nil, ""},
		{"Missing authentication", "Missing authentication"},
		{"multi\nline", "multi\nline"},
		{map[string]any{"a": []any{1.0, "b"}}, "{\n  \"a\": [\n    1,\n    \"b\"\n  ]\n}"},
		{[]any{"x"}, "[\n  \"x\"\n]"},
		{42.0, "42"},
	} {
		if got := (&APIError{Detail: tc.detail}).DetailText(); got != tc.want {
			t.Errorf("DetailText(%#v) = %q, want %q", tc.detail, got, tc.want)
		}
	}
}

// An answer's text in Error() follows termtext's one rule, as the final
// report does: a control character is shown as its escape, never as a
// space, and a cut says how much was left out.
func TestAPIErrorTextFollowsTermtext(t *testing.T) {
	for _, tc := range []struct {
		name, contentType, body, want string
	}{
		{"ESC in the message", "application/json", `{"message":"bad\u001b[31mred"}`, `503 Service Unavailable: bad\x1b[31mred`},
		{"bidi in the type", "application/json", `{"type_name":"A\u202eB"}`, `503 Service Unavailable: A\u202eB`},
		{"ESC in a text body", "text/plain", "oops\x1b]52;c;x\x07", `503 Service Unavailable: the server answered text/plain, not JSON: "oops\x1b]52;c;x\x07"`},
		{"long text body", "text/plain", strings.Repeat("x", 200), `503 Service Unavailable: the server answered text/plain, not JSON: "` + strings.Repeat("x", maxExcerptRunes) + `… (80 more characters)"`},
	} {
		e := ParseAPIError(503, []byte(tc.body))
		e.ContentType = tc.contentType
		if got := e.Error(); got != tc.want {
			t.Errorf("%s: Error() = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// A 10 MB body is read to 1 MiB: the excerpt counts what it leaves out of
// that, and says the rest was never read.
func TestHugeTextBodyCountsWhatIsLeftOut(t *testing.T) {
	e := ParseAPIError(500, []byte(strings.Repeat("x", 10<<20)))
	e.ContentType = "text/plain"
	want := `… (` + strconv.Itoa(MaxBodySize-maxExcerptRunes) + ` more characters)", and the answer is over 1 MiB: the rest was not read`
	if got := e.Error(); !strings.HasSuffix(got, want) {
		t.Errorf("Error() ends %q, want %q", got[len(got)-120:], want)
	}
}

func FuzzParseAPIError(f *testing.F) {
	for _, tc := range specErrors {
		f.Add(tc.status, []byte(tc.body))
	}
	for _, seed := range []string{
		"", "{", "null", "[]", `{"message":null,"detail":null}`, `{"detail":[1,{"a":"b"}]}`,
		`{"message":"a\u0000b\nc","type_name":{"x":1}}`, "<html><title>T</title>", "<TITLE>İİİ</title>",
		"\xff\xfe\xfd", `{"status_code":"x"}`,
	} {
		f.Add(500, []byte(seed))
	}
	f.Add(-1, []byte("x"))
	f.Add(1000, []byte(`{"error":"\n\n"}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e := ParseAPIError(status, body)
		if e == nil || e.StatusCode != status {
			t.Fatalf("ParseAPIError(%d, ...) = %+v", status, e)
		}
		if len(e.Body) > MaxBodySize {
			t.Fatalf("Body is %d bytes", len(e.Body))
		}
		msg := e.Error()
		if strings.ContainsAny(msg, "\r\n") || !utf8.ValidString(msg) {
			t.Fatalf("Error() is not one valid line: %q", msg)
		}
		if utf8.RuneCountInString(msg) > 600 {
			t.Fatalf("Error() is %d runes long", utf8.RuneCountInString(msg))
		}
		e.DetailText()
		e.ContentType = "text/html; charset=\x00"
		if msg := e.Error(); strings.ContainsAny(msg, "\r\n") {
			t.Fatalf("Error() with an odd content type: %q", msg)
		}
	})
}
