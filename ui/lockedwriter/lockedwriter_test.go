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

// TestBufferIsReadWhileWritten: goroutines write while String and Bytes
// read (go test -race checks it), and every write lands whole.
func TestBufferIsReadWhileWritten(t *testing.T) {
	t.Parallel()
	var b Buffer
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				b.Write([]byte("line\n"))
			}
		}()
	}
	for range 50 {
		if s := b.String(); strings.Count(s, "line\n")*5 != len(s) {
			t.Fatalf("a write landed in part: %q", s)
		}
		snapshot := b.Bytes()
		b.Write(nil)
		if len(snapshot) > 0 {
			snapshot[0] = 'X' // a copy: the buffer keeps its bytes
		}
	}
	wg.Wait()
	if got := b.String(); got != strings.Repeat("line\n", 400) {
		t.Fatalf("got %d bytes, want 400 lines", len(got))
	}
}
