package model

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"slices"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxCustomSettingsDepth is how deeply objects and arrays may nest in
// custom_consumer_settings, the object itself being level 1. Settings
// objects seen in practice nest 2 to 4 levels; 16 leaves room. The bound
// is what keeps every rendering of a body small: pretty-printed JSON costs
// up to two spaces per level on each line, so a body that nests without
// bound (4,000 levels fit in 24 KB) costs memory in the square of its
// depth, where a bounded one costs at most a fixed multiple of its size.
const MaxCustomSettingsDepth = 16

// utf8BOM is the byte order mark some editors put at the start of a file.
// RFC 8259 lets a parser ignore it, and it is skipped: positions count
// from the text after it, as the editor shows it.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// errNotJSON is the walker's answer for text that is not JSON at all; the
// decoder then says what is wrong, in its words, with the position.
var errNotJSON = errors.New("not JSON")

// strictWalker reads JSON text once, without building anything, and
// refuses what encoding/json lets through: a key given twice in one object
// (encoding/json keeps the last), invalid UTF-8 and lone surrogate escapes
// (it silently puts U+FFFD in their place), nesting deeper than the bound,
// and, for a session body, keys the spec does not name, exactly as
// spelled. Each is a *JSONError at the line and column where it stands.
type strictWalker struct {
	data []byte
	pos  int
	// maxDepth bounds the nesting of objects and arrays; the outermost
	// value is level 1.
	maxDepth int
	// session checks the closed objects of a session body.
	session bool
	// topKeys counts the keys of the outermost object.
	topKeys int
	// customStart and customEnd are where the value of a session body's
	// custom_consumer_settings is (end 0: not given).
	customStart, customEnd int
	// present lists the keys a session body gives: "theme" at the top,
	// "theme.vault_name" inside the closed objects; a closed object given
	// as null is "theme=null". OverlaySession lays exactly these over a
	// base.
	present map[string]bool
	// first is the first problem seen; the walk goes on to the end to
	// see whether the text is JSON at all.
	first error
	// keys[d] are the keys seen so far in the object open at depth d,
	// reused from one object to the next at that depth.
	keys [][][]byte

	// While compacting, the text walked is copied to compact without the
	// whitespace between its tokens: the walk already finds every such
	// run, so compact JSON costs no second pass over the text. copyFrom is
	// where the text not yet copied starts.
	compacting bool
	compact    []byte
	copyFrom   int
	// compacted is the compact text of a session body's
	// custom_consumer_settings, or of the whole value when the walk was
	// asked to compact it.
	compacted []byte
}

// startCompact starts copying the text from at onwards, compacted. Text
// that is compact already is not copied at all: endCompact returns it as a
// slice of the data.
func (w *strictWalker) startCompact(at int) {
	w.compacting, w.copyFrom, w.compact = true, at, nil
}

// endCompact stops copying at end and returns the compact text.
func (w *strictWalker) endCompact(end int) []byte {
	w.compacting = false
	if w.compact == nil {
		return w.data[w.copyFrom:end:end]
	}
	return append(w.compact, w.data[w.copyFrom:end]...)
}

// walkStrict walks data (one JSON value and nothing else) and returns nil,
// a *JSONError, or errNotJSON when data is not JSON. With compact,
// w.compacted is the value's text without the whitespace between its
// tokens.
func walkStrict(data []byte, maxDepth int, session, compact bool) (*strictWalker, error) {
	w := &strictWalker{data: data, maxDepth: maxDepth, session: session}
	w.space()
	if compact {
		w.startCompact(w.pos)
	}
	if err := w.value(1, ""); err != nil {
		return w, err
	}
	if compact {
		w.compacted = w.endCompact(w.pos)
	}
	w.space()
	if w.pos != len(w.data) {
		return w, errNotJSON
	}
	return w, w.first
}

// problem keeps the first problem, at byte offset at, and lets the walk
// go on: text that is not JSON further on is reported as such first, as
// the decoder says it best.
func (w *strictWalker) problem(at int, format string, args ...any) {
	if w.first == nil {
		w.first = w.fail(at, format, args...)
	}
}

func (w *strictWalker) fail(at int, format string, args ...any) error {
	line, col := position(w.data, at)
	return &JSONError{Line: line, Column: col, Message: fmt.Sprintf(format, args...)}
}

func (w *strictWalker) space() {
	start := w.pos
	for w.pos < len(w.data) {
		switch w.data[w.pos] {
		case ' ', '\t', '\n', '\r':
			w.pos++
			continue
		}
		break
	}
	if w.compacting && w.pos > start {
		if w.compact == nil {
			w.compact = make([]byte, 0, len(w.data)-w.copyFrom)
		}
		w.compact = append(w.compact, w.data[w.copyFrom:start]...)
		w.copyFrom = w.pos
	}
}

// value reads one value at depth. parent is the session key whose object
// this is ("" for the body, "consumer_metadata" etc.), or "-" where the
// session's keys are not checked.
func (w *strictWalker) value(depth int, parent string) error {
	if w.pos >= len(w.data) {
		return errNotJSON
	}
	switch c := w.data[w.pos]; {
	case c == '{' || c == '[':
		if depth > w.maxDepth {
			return w.fail(w.pos, "objects and arrays nest too deep here: custom_consumer_settings may nest them %d levels deep at most",
				MaxCustomSettingsDepth)
		}
		if c == '{' {
			return w.object(depth, parent)
		}
		return w.array(depth)
	case c == '"':
		_, err := w.str()
		return err
	case c == 't':
		return w.literal("true")
	case c == 'f':
		return w.literal("false")
	case c == 'n':
		return w.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		return w.number()
	}
	return errNotJSON
}

func (w *strictWalker) literal(word string) error {
	if !bytes.HasPrefix(w.data[w.pos:], []byte(word)) {
		return errNotJSON
	}
	w.pos += len(word)
	return nil
}

// number checks the JSON grammar of a number: -?int frac? exp?.
func (w *strictWalker) number() error {
	d := w.data
	if d[w.pos] == '-' {
		w.pos++
	}
	digits := func() int {
		start := w.pos
		for w.pos < len(d) && d[w.pos] >= '0' && d[w.pos] <= '9' {
			w.pos++
		}
		return w.pos - start
	}
	start := w.pos
	if n := digits(); n == 0 || (n > 1 && d[start] == '0') {
		return errNotJSON
	}
	if w.pos < len(d) && d[w.pos] == '.' {
		w.pos++
		if digits() == 0 {
			return errNotJSON
		}
	}
	if w.pos < len(d) && (d[w.pos] == 'e' || d[w.pos] == 'E') {
		w.pos++
		if w.pos < len(d) && (d[w.pos] == '+' || d[w.pos] == '-') {
			w.pos++
		}
		if digits() == 0 {
			return errNotJSON
		}
	}
	return nil
}

// str reads a string and returns its text as a key compares: the bytes
// between the quotes when there is no escape, else the decoded text.
func (w *strictWalker) str() ([]byte, error) {
	d := w.data
	w.pos++ // the opening quote
	start := w.pos
	escaped := false
	for w.pos < len(d) {
		c := d[w.pos]
		switch {
		case c == '"':
			raw := d[start:w.pos]
			w.pos++
			if !escaped {
				return raw, nil
			}
			// Rare in keys: decode the string to compare what it says.
			var text string
			if err := json.Unmarshal(d[start-1:w.pos], &text); err != nil {
				return nil, errNotJSON
			}
			return []byte(text), nil
		case c == '\\':
			escaped = true
			if err := w.escape(); err != nil {
				return nil, err
			}
		case c < 0x20:
			return nil, errNotJSON
		case c < utf8.RuneSelf:
			w.pos++
		default:
			r, size := utf8.DecodeRune(d[w.pos:])
			if r == utf8.RuneError && size == 1 {
				w.problem(w.pos, "invalid UTF-8 (byte 0x%02x): save the file as UTF-8", c)
			}
			w.pos += size
		}
	}
	return nil, errNotJSON
}

// escape checks one backslash escape; a \u escape of half a surrogate
// pair must be followed by the other half.
func (w *strictWalker) escape() error {
	d := w.data
	at := w.pos
	if w.pos+1 >= len(d) {
		return errNotJSON
	}
	switch d[w.pos+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		w.pos += 2
		return nil
	case 'u':
	default:
		return errNotJSON
	}
	r, ok := hex4(d, w.pos+2)
	if !ok {
		return errNotJSON
	}
	w.pos += 6
	switch {
	case utf16.IsSurrogate(r) && r < 0xDC00:
		if low, ok := hex4(d, w.pos+2); ok && w.pos+1 < len(d) && d[w.pos] == '\\' && d[w.pos+1] == 'u' &&
			utf16.DecodeRune(r, low) != utf8.RuneError {
			w.pos += 6
			return nil
		}
		fallthrough
	case utf16.IsSurrogate(r):
		w.problem(at, `\u%04x is half of a UTF-16 surrogate pair without its other half: not a character`, r)
	}
	return nil
}

func hex4(d []byte, at int) (rune, bool) {
	if at+4 > len(d) {
		return 0, false
	}
	n, err := strconv.ParseUint(string(d[at:at+4]), 16, 32)
	return rune(n), err == nil
}

func (w *strictWalker) array(depth int) error {
	w.pos++ // [
	if w.closesEmpty(']') {
		return nil
	}
	for {
		w.space()
		if err := w.value(depth+1, "-"); err != nil {
			return err
		}
		if done, err := w.separator(']'); done || err != nil {
			return err
		}
	}
}

// closesEmpty reads the closing bracket of an array or an object that has
// no member, when it comes next.
func (w *strictWalker) closesEmpty(closing byte) bool {
	w.space()
	if w.pos < len(w.data) && w.data[w.pos] == closing {
		w.pos++
		return true
	}
	return false
}

// separator reads what follows a member of an array or an object: a comma
// (more follow) or its closing bracket (done).
func (w *strictWalker) separator(closing byte) (done bool, err error) {
	w.space()
	if w.pos >= len(w.data) {
		return false, errNotJSON
	}
	switch w.data[w.pos] {
	case ',':
		w.pos++
		return false, nil
	case closing:
		w.pos++
		return true, nil
	}
	return false, errNotJSON
}

// manyKeys is where an object's keys move from a list to a map.
const manyKeys = 16

func (w *strictWalker) object(depth int, parent string) error {
	w.pos++ // {
	for len(w.keys) <= depth {
		w.keys = append(w.keys, nil)
	}
	seen := w.keys[depth][:0]
	var seenAtBuf [manyKeys + 1]int // where each of seen's keys is
	seenAt := seenAtBuf[:0]
	var many *keySet
	defer func() { w.keys[depth] = seen[:0] }()
	if w.closesEmpty('}') {
		return nil
	}
	for {
		w.space()
		if w.pos >= len(w.data) || w.data[w.pos] != '"' {
			return errNotJSON
		}
		at := w.pos
		key, err := w.str()
		if err != nil {
			return err
		}
		if depth == 1 {
			w.topKeys++
		}
		if many != nil {
			if many.add(key, at) {
				w.duplicate(at, key)
			}
		} else {
			for _, k := range seen {
				if bytes.Equal(k, key) {
					w.duplicate(at, key)
				}
			}
			seen, seenAt = append(seen, key), append(seenAt, at)
			if len(seen) > manyKeys {
				many = newKeySet(w.data, seen, seenAt)
			}
		}
		child := "-"
		if w.session && parent != "-" {
			if w.present == nil {
				w.present = map[string]bool{}
			}
			if parent == "" {
				w.present[string(key)] = true
			} else {
				w.present[parent+"."+string(key)] = true
			}
			if !slices.Contains(sessionKeys[parent], string(key)) {
				where := "the session"
				if parent != "" {
					where = parent
				}
				w.problem(at, "unknown field %q in %s (the API refuses keys the spec does not name)", key, where)
			}
			if _, closed := sessionKeys[string(key)]; closed && parent == "" {
				child = string(key)
			}
		}
		w.space()
		if w.pos >= len(w.data) || w.data[w.pos] != ':' {
			return errNotJSON
		}
		w.pos++
		w.space()
		if w.session && parent == "" && string(key) == "custom_consumer_settings" && w.pos < len(w.data) {
			if kind := jsonKind(w.data[w.pos]); kind != "object" && kind != "null" {
				w.problem(w.pos, "custom_consumer_settings: expected an object, got %s", kind)
			}
		}
		// A closed object's value must be an object; anything else is the
		// decoder's type error to report.
		if child != "-" && (w.pos >= len(w.data) || w.data[w.pos] != '{') {
			if w.pos < len(w.data) && w.data[w.pos] == 'n' {
				w.present[child+"=null"] = true
			}
			child = "-"
		}
		valueStart := w.pos
		custom := w.session && parent == "" && string(key) == "custom_consumer_settings"
		if custom {
			w.startCompact(valueStart)
		}
		if err := w.value(depth+1, child); err != nil {
			return err
		}
		if custom {
			w.customStart, w.customEnd = valueStart, w.pos
			w.compacted = w.endCompact(w.pos)
		}
		if done, err := w.separator('}'); done || err != nil {
			return err
		}
	}
}

// keySet holds the keys of an object with many of them, to find one given
// twice: an open-addressed table of the keys' hashes and where each key
// is. A key is kept as its place in the text, 8 bytes, or, when it was
// written with escapes, as its decoded text. A map[string] allocated a
// string a key and rehashed them all as it grew: a sixth of the read of a
// 1 MB body with 7,000 keys.
type keySet struct {
	seed    maphash.Seed
	data    []byte
	spans   []keySpan
	decoded [][]byte
	// slots hold a key's hash (high 32 bits) and 1 + its index in spans
	// (low 32 bits); 0 is an empty slot.
	slots []uint64
}

// keySpan is a key's text: data[start:end], or decoded[end] when start
// is -1.
type keySpan struct{ start, end int32 }

func newKeySet(data []byte, keys [][]byte, at []int) *keySet {
	s := &keySet{seed: maphash.MakeSeed(), data: data}
	for i, k := range keys {
		s.add(k, at[i])
	}
	return s
}

// add adds key, the string whose opening quote is at offset at, and
// reports whether it was there already.
func (s *keySet) add(key []byte, at int) (dup bool) {
	if 2*(len(s.spans)+1) > len(s.slots) {
		s.grow()
	}
	h := maphash.Bytes(s.seed, key)
	tag := h &^ (1<<32 - 1)
	mask := uint64(len(s.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		slot := s.slots[i]
		if slot == 0 {
			s.spans = append(s.spans, s.span(key, at))
			s.slots[i] = tag | uint64(len(s.spans))
			return false
		}
		if slot&^(1<<32-1) == tag && bytes.Equal(s.key(int(slot&(1<<32-1))-1), key) {
			return true
		}
	}
}

// span says where key is: in the text right after its opening quote when
// it was written without escapes, else in decoded.
func (s *keySet) span(key []byte, at int) keySpan {
	start, end := at+1, at+1+len(key)
	if end < len(s.data) && s.data[end] == '"' && bytes.Equal(s.data[start:end], key) {
		return keySpan{int32(start), int32(end)}
	}
	s.decoded = append(s.decoded, key)
	return keySpan{-1, int32(len(s.decoded) - 1)}
}

func (s *keySet) key(i int) []byte {
	if sp := s.spans[i]; sp.start >= 0 {
		return s.data[sp.start:sp.end]
	}
	return s.decoded[s.spans[i].end]
}

// grow doubles the table (at least 64 slots) and places every key again.
func (s *keySet) grow() {
	old := s.slots
	s.slots = make([]uint64, max(64, 2*len(old)))
	mask := uint64(len(s.slots) - 1)
	for _, slot := range old {
		if slot == 0 {
			continue
		}
		i := maphash.Bytes(s.seed, s.key(int(slot&(1<<32-1))-1)) & mask
		for s.slots[i] != 0 {
			i = (i + 1) & mask
		}
		s.slots[i] = slot
	}
}

func (w *strictWalker) duplicate(at int, key []byte) {
	w.problem(at, "the key %q is given twice in this object (JSON readers differ on which one wins; say it once)", key)
}

// jsonKind names the kind of value that starts with c, as encoding/json's
// type errors do.
func jsonKind(c byte) string {
	switch c {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "bool"
	case 'n':
		return "null"
	}
	return "number"
}

// ObjectKeys counts the keys of a JSON object given as text (such as
// Session.CustomConsumerSettings), without building it; 0 for anything
// else.
func ObjectKeys(obj []byte) int {
	w := &strictWalker{data: obj, maxDepth: int(^uint(0) >> 1)}
	w.space()
	if w.pos >= len(w.data) || w.data[w.pos] != '{' || w.value(1, "-") != nil {
		return 0
	}
	return w.topKeys
}
