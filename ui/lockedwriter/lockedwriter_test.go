package lockedwriter

import (
	"bytes"
	"strings"
	"sync"
	"testing"
)

// TestWritesNeverMix: lines written at once from many goroutines come out
// whole, and Do runs between them.
func TestWritesNeverMix(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	w := New(&out)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			line := strings.Repeat(string(rune('a'+i)), 64) + "\n"
			for range 50 {
				w.Write([]byte(line))
				w.Do(func() { out.WriteString("\a\n") })
			}
		}()
	}
	wg.Wait()
	for _, l := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
		if l != "\a" && (len(l) != 64 || strings.Count(l, l[:1]) != 64) {
			t.Fatalf("a line mixed: %q", l)
		}
	}
}
