package textedit

import (
	"fmt"
	"strings"
	"testing"
)

// benchText is lines lines of about 80 bytes, as a flat JSON object.
func benchText(lines int) string {
	var b strings.Builder
	b.WriteString("{\n")
	for i := range lines - 2 {
		fmt.Fprintf(&b, "  \"key_%03d\": \"%s\",\n", i, strings.Repeat("v", 62))
	}
	b.WriteString("  \"last\": true\n}")
	return b.String()
}

// benchmarkKey types a character and deletes it in the middle of the
// text, drawing the editor after each key.
func benchmarkKey(b *testing.B, text string, width int) {
	m := New(testKeys())
	m.SetGutter("  ┃ ", "  ✗ ")
	m.SetSize(width, 20)
	m.SetValue(text)
	m.SetCursor(m.LineCount()/2, 12)
	keys := [2]string{"x", "backspace"}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		press(m, keys[n%2])
		_ = m.View()
		n++
	}
}

func BenchmarkKey200Lines(b *testing.B) { benchmarkKey(b, benchText(200), 118) }

// BenchmarkKeyLongLine is a key in a 16 KB object on one line, wrapped
// over 150 rows: the line is measured and wrapped again on each key.
func BenchmarkKeyLongLine(b *testing.B) {
	benchmarkKey(b, strings.ReplaceAll(benchText(200), "\n", " "), 118)
}
