package model

// IndentedLevels is how many levels of nesting IndentJSON lays out one
// value a line: the body (1), its objects (2), and four levels of
// custom_consumer_settings. Deeper objects and arrays are kept on one
// line each.
const IndentedLevels = 6

// IndentJSON lays valid JSON text out for people, as json.Indent does with
// two spaces, down to levels deep; an object or array nested deeper is
// written compactly on one line. The output is at most a fixed multiple
// of the input whatever the nesting: every line holds at least one token
// and at most 2*levels spaces of indent. json.Indent, indenting every
// level, writes a number of spaces that grows with the square of the depth.
// Text that is not valid JSON comes out in an unspecified shape.
func IndentJSON(src []byte, levels int) []byte {
	out := make([]byte, 0, len(src)+len(src)/4)
	depth := 0
	newline := func() {
		out = append(out, '\n')
		for range depth {
			out = append(out, ' ', ' ')
		}
	}
	for i := 0; i < len(src); {
		switch c := src[i]; c {
		case ' ', '\t', '\n', '\r':
			i++
		case '"':
			end := stringEnd(src, i)
			out = append(out, src[i:end]...)
			i = end
		case '{', '[':
			if next := skipSpace(src, i+1); next < len(src) && (src[next] == '}' || src[next] == ']') {
				out = append(out, c, src[next])
				i = next + 1
				continue
			}
			if depth+1 > levels {
				end := valueEnd(src, i)
				out = appendCompact(out, src[i:end])
				i = end
				continue
			}
			depth++
			out = append(out, c)
			newline()
			i++
		case '}', ']':
			depth = max(0, depth-1)
			newline()
			out = append(out, c)
			i++
		case ',':
			out = append(out, ',')
			newline()
			i++
		case ':':
			out = append(out, ':', ' ')
			i++
		default: // a number or a literal
			start := i
			for i < len(src) && !isJSONDelimiter(src[i]) {
				i++
			}
			if i == start {
				i++ // not JSON: move on rather than loop
			}
			out = append(out, src[start:i]...)
		}
	}
	return out
}

func isJSONDelimiter(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', ',', ':', '{', '}', '[', ']', '"':
		return true
	}
	return false
}

// stringEnd returns the offset just past the string that opens at start.
func stringEnd(src []byte, start int) int {
	for i := start + 1; i < len(src); i++ {
		switch src[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(src)
}

// valueEnd returns the offset just past the object or array that opens at
// start.
func valueEnd(src []byte, start int) int {
	depth := 0
	for i := start; i < len(src); i++ {
		switch src[i] {
		case '"':
			i = stringEnd(src, i) - 1
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return i + 1
			}
		}
	}
	return len(src)
}

func skipSpace(src []byte, i int) int {
	for i < len(src) && (src[i] == ' ' || src[i] == '\t' || src[i] == '\n' || src[i] == '\r') {
		i++
	}
	return i
}

// appendCompact appends v without the whitespace between its tokens.
func appendCompact(out, v []byte) []byte {
	start := len(out)
	out = append(out, v...)
	return out[:start+len(compactInPlace(out[start:]))]
}
