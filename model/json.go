package model

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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

// DecodeSession reads one session body strictly: unknown keys (exactly as
// spelled), wrong types, a key given twice, invalid UTF-8, nesting deeper
// than MaxCustomSettingsDepth in custom_consumer_settings, trailing data
// and anything but an object are errors at their line and column, as the
// API's additionalProperties: false would refuse them or as they would be
// sent otherwise than written. A UTF-8 byte order mark is skipped.
//
// The text is read twice, never into generic maps: a walk that checks it
// without building anything, then encoding/json into the typed Session,
// custom_consumer_settings kept as its exact text (numbers, key order),
// compacted. When that text is compact already it is not copied: the
// session shares data's memory, so data must not change afterwards.
func DecodeSession(data []byte) (Session, error) {
	s, _, err := decodeSession(data)
	return s, err
}

// decodeSession is DecodeSession, also returning the keys the body gives.
func decodeSession(data []byte) (Session, map[string]bool, error) {
	data = bytes.TrimPrefix(data, utf8BOM)
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		return Session{}, nil, &JSONError{Line: 1, Column: 1 + len(data) - len(bytes.TrimLeft(data, " \t\r\n")),
			Message: "expected a JSON object {...}, got null"}
	}
	// The body is level 1, custom_consumer_settings level 2.
	w, walkErr := walkStrict(data, MaxCustomSettingsDepth+1, true, false)
	switch {
	case walkErr == errNotJSON || (walkErr == nil && bytes.TrimLeft(data, " \t\r\n")[0] != '{'):
		// Not JSON: the decoder says where and why.
		var s Session
		if err := decodeStrict(data, &s, true); err != nil {
			return Session{}, nil, err
		}
		return Session{}, nil, &JSONError{Message: "not valid JSON"}
	case walkErr != nil:
		return Session{}, nil, walkErr
	}
	s, err := decodeChecked(data, w)
	if err != nil {
		return Session{}, nil, err
	}
	return s, w.present, nil
}

// Body is s as the JSON body of a create request, as encoding/json writes
// it but without its HTML escaping (the --dry-run body and the one sent
// are the same text). CustomConsumerSettings is written as it is held:
// JSON text checked when it was read (DecodeSession, ParseJSONObject, or
// encoding/json for a kept file), not scanned again. encoding/json would
// validate and compact it once more, which was a quarter of the CPU of a
// create with a 1 MB body.
func (s Session) Body() ([]byte, error) {
	parts, err := s.BodyParts()
	if err != nil {
		return nil, err
	}
	return bytes.Join(parts, nil), nil
}

// BodyParts is Body as the pieces it is made of, to be sent one after the
// other: the custom settings are the session's own bytes, not a copy.
func (s Session) BodyParts() ([][]byte, error) {
	custom := s.CustomConsumerSettings
	s.CustomConsumerSettings = nil
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	head := bytes.TrimSuffix(b.Bytes(), []byte("\n"))
	if len(custom) == 0 {
		return [][]byte{head}, nil
	}
	// The last key, as the struct orders it: before the closing brace,
	// after a comma unless the object is empty.
	head = head[:len(head)-1]
	if len(head) > 1 {
		head = append(head, ',')
	}
	head = append(head, `"custom_consumer_settings":`...)
	return [][]byte{head, custom, []byte("}")}, nil
}

// decodeChecked decodes a body the walker passed. The custom settings,
// usually the bulk of a large body, are not given to encoding/json, which
// would scan them twice more: the walker copied them, compacted, as it
// went, and the rest of the body, small, is decoded without them.
func decodeChecked(data []byte, w *strictWalker) (Session, error) {
	var custom json.RawMessage
	rest := data
	customStart, customEnd := w.customStart, w.customEnd
	if customEnd > customStart {
		custom = w.compacted
		if string(custom) == "null" {
			// Sent as null or left out, the API reads the same: none.
			custom = nil
		}
		rest = make([]byte, 0, len(data)-(customEnd-customStart)+4)
		rest = append(append(append(rest, data[:customStart]...), "null"...), data[customEnd:]...)
	}
	var s Session
	if err := json.Unmarshal(rest, &s); err != nil {
		// Only a wrong type is left to find; its offset is in rest, which
		// is data up to the custom settings.
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && customEnd > customStart && int(typeErr.Offset) > customStart {
			typeErr.Offset += int64(customEnd - customStart - len("null"))
		}
		return Session{}, describe(data, nil, err)
	}
	s.CustomConsumerSettings = custom
	return s, nil
}

// compactInPlace drops the whitespace between the tokens of valid JSON
// text, in the slice itself; strings are left exactly as they are.
func compactInPlace(text []byte) []byte {
	out := 0
	inString := false
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case inString:
			if c == '\\' && i+1 < len(text) {
				text[out] = c
				out++
				i++
				c = text[i]
			} else if c == '"' {
				inString = false
			}
		case c == '"':
			inString = true
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			continue
		}
		text[out] = c
		out++
	}
	return text[:out]
}

// ParseJSONObject reads custom consumer settings: any JSON object, read as
// strictly as a session file, returned as compact JSON text with its
// numbers and key order exactly as written. Blank text means "none" and
// gives nil.
func ParseJSONObject(text string) (json.RawMessage, error) {
	data := bytes.TrimPrefix([]byte(text), utf8BOM)
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil
	}
	w, walkErr := walkStrict(data, MaxCustomSettingsDepth, false, true)
	if walkErr == errNotJSON {
		var raw json.RawMessage
		if err := decodeStrict(data, &raw, false); err != nil {
			return nil, err
		}
		return nil, &JSONError{Message: "not valid JSON"}
	}
	if walkErr != nil {
		return nil, walkErr
	}
	trimmed := bytes.TrimSpace(data)
	if string(trimmed) == "null" {
		return nil, &JSONError{Message: "expected a JSON object {...}, got null"}
	}
	if trimmed[0] != '{' {
		line, col := position(data, len(data)-len(bytes.TrimLeft(data, " \t\r\n")))
		return nil, &JSONError{Line: line, Column: col, Message: "expected a JSON object {...}"}
	}
	return w.compacted, nil
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
	if strings.HasPrefix(msg, "unknown field") && dec != nil {
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
