package model

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// JSONError is a problem in JSON text, with where it is, 1-based.
type JSONError struct {
	Line, Column int
	Message      string
}

func (e *JSONError) Error() string {
	if e.Line == 0 {
		return e.Message
	}
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Message)
}

// DecodeSession reads one session body strictly: unknown keys, wrong types,
// trailing data and anything but an object are errors, as the API's
// additionalProperties: false would make them. Numbers in
// custom_consumer_settings keep their exact text.
func DecodeSession(data []byte) (Session, error) {
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		return Session{}, &JSONError{Line: 1, Column: 1 + len(data) - len(bytes.TrimLeft(data, " \t\r\n")),
			Message: "expected a JSON object {...}, got null"}
	}
	// encoding/json matches keys without regard to case and reports an
	// unknown key at the end of the document; the API does neither, so
	// keys are checked first, exactly as spelled, where they stand.
	if json.Valid(data) {
		if err := checkSessionKeys(data); err != nil {
			return Session{}, err
		}
	}
	var s Session
	if err := decodeStrict(data, &s, true); err != nil {
		return Session{}, err
	}
	return s, nil
}

// ParseJSONObject reads custom consumer settings: any JSON object.
// Blank text means "none" and gives nil.
func ParseJSONObject(text string) (map[string]any, error) {
	if strings.TrimSpace(text) == "" {
		return nil, nil
	}
	var m map[string]any
	if err := decodeStrict([]byte(text), &m, false); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, &JSONError{Message: "expected a JSON object {...}, got null"}
	}
	return m, nil
}

func decodeStrict(data []byte, v any, disallowUnknown bool) error {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return &JSONError{Message: "no JSON: expected an object {...}"}
	}
	if trimmed[0] != '{' && !bytes.Equal(trimmed, []byte("null")) {
		line, col := position(data, len(data)-len(bytes.TrimLeft(data, " \t\r\n")))
		return &JSONError{Line: line, Column: col, Message: "expected a JSON object {...}"}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if disallowUnknown {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(v); err != nil {
		return describe(data, dec, err)
	}
	end := int(dec.InputOffset())
	if _, err := dec.Token(); err != io.EOF {
		// Point at the first character after the object, not past it.
		rest := data[end:]
		line, col := position(data, end+len(rest)-len(bytes.TrimLeft(rest, " \t\r\n")))
		return &JSONError{Line: line, Column: col, Message: "unexpected text after the JSON object"}
	}
	return nil
}

// describe turns encoding/json's errors into messages with a line and column.
func describe(data []byte, dec *json.Decoder, err error) error {
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		// Offset counts the offending byte itself: point at it, not after.
		line, col := position(data, int(syntax.Offset)-1)
		return &JSONError{Line: line, Column: col, Message: strings.TrimPrefix(syntax.Error(), "json: ")}
	case errors.As(err, &typeErr):
		line, col := position(data, int(typeErr.Offset))
		msg := fmt.Sprintf("expected %s, got %s", typeName(typeErr.Type.String()), typeErr.Value)
		if typeErr.Field != "" {
			msg = typeErr.Field + ": " + msg
		}
		return &JSONError{Line: line, Column: col, Message: msg}
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		line, col := position(data, len(data))
		return &JSONError{Line: line, Column: col, Message: "unexpected end of JSON: a brace, bracket or quote is not closed"}
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if strings.HasPrefix(msg, "unknown field") {
		line, col := position(data, int(dec.InputOffset()))
		return &JSONError{Line: line, Column: col, Message: msg + " (the API refuses keys the spec does not name)"}
	}
	return &JSONError{Message: msg}
}

func typeName(goType string) string {
	switch {
	case goType == "string":
		return "a string"
	case goType == "bool" || goType == "*bool":
		return "true or false"
	case strings.HasPrefix(goType, "[]"):
		return "a list"
	case strings.HasPrefix(goType, "map["), strings.HasPrefix(goType, "model."):
		return "an object"
	}
	return goType
}

// position turns a byte offset into a 1-based line and column (in runes).
func position(data []byte, offset int) (line, col int) {
	if offset > len(data) {
		offset = len(data)
	}
	if offset < 0 {
		offset = 0
	}
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	lastNL := bytes.LastIndexByte(before, '\n')
	col = len([]rune(string(before[lastNL+1:]))) + 1
	return line, col
}

// sessionKeys are the properties the spec allows in each closed object of a
// session, by the key that holds the object ("" for the body itself).
var sessionKeys = map[string][]string{
	"":                  {"consumer_metadata", "redirect_uri", "settings", "theme", "custom_consumer_settings"},
	"consumer_metadata": {"account_name", "user_name", "email", "image"},
	"settings": {"unified_apis", "hide_resource_settings", "sandbox_mode", "isolation_mode", "session_length",
		"show_logs", "show_suggestions", "show_sidebar", "auto_redirect", "hide_guides", "allow_actions"},
	"theme": {"favicon", "logo", "primary_color", "sidepanel_background_color", "sidepanel_text_color",
		"vault_name", "privacy_url", "terms_url"},
}

// checkSessionKeys walks the body's tokens and refuses the first key the
// spec does not name, at the line and column where it is written. Syntax
// errors are left to the decoder, which describes them better.
func checkSessionKeys(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var walk func(parent string) error
	walk = func(parent string) error {
		for dec.More() {
			before := int(dec.InputOffset())
			tok, err := dec.Token()
			if err != nil {
				return nil
			}
			name, _ := tok.(string)
			if !slices.Contains(sessionKeys[parent], name) {
				// The key starts at its opening quote, after any separator.
				start := before + bytes.IndexByte(data[before:], '"')
				line, col := position(data, start)
				where := "the session"
				if parent != "" {
					where = parent
				}
				return &JSONError{Line: line, Column: col, Message: fmt.Sprintf(
					"unknown field %q in %s (the API refuses keys the spec does not name)", name, where)}
			}
			if _, closed := sessionKeys[name]; closed && parent == "" {
				if tok, err := dec.Token(); err != nil {
					return nil
				} else if d, ok := tok.(json.Delim); ok && d == '{' {
					if err := walk(name); err != nil {
						return err
					}
					if _, err := dec.Token(); err != nil { // the closing brace
						return nil
					}
					continue
				} else if ok {
					// An array where an object belongs: the decoder says so.
					return nil
				}
				continue
			}
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil
			}
		}
		return nil
	}
	tok, err := dec.Token()
	if d, ok := tok.(json.Delim); err != nil || !ok || d != '{' {
		return nil
	}
	return walk("")
}
