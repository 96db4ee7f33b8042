package store

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// wantLines is what both readers must find in text, in file order: whole
// lines, a torn last one, and lines over maxLine reported without bytes.
func wantLines(text string, maxLine int) []string {
	var out []string
	parts := strings.Split(text, "\n")
	for i, p := range parts {
		last := i == len(parts)-1
		switch {
		case last && p == "":
		case len(p) > maxLine:
			out = append(out, "LONG")
		case last:
			out = append(out, "TORN:"+p)
		default:
			out = append(out, p)
		}
	}
	return out
}

func describe(line []byte, kind lineKind) string {
	switch kind {
	case longLine:
		return "LONG"
	case tornLine:
		return "TORN:" + string(line)
	}
	return string(line)
}

func readBackward(t *testing.T, text string, maxLine, block int) []string {
	t.Helper()
	b := newBackwardLines(strings.NewReader(text), int64(len(text)), maxLine)
	b.block = block
	var got []string
	for {
		line, kind, err := b.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, describe(line, kind))
	}
	slices.Reverse(got)
	return got
}

func readForward(t *testing.T, text string, maxLine int) []string {
	t.Helper()
	var got []string
	err := eachLineForward(strings.NewReader(text), maxLine, func(line []byte, kind lineKind) error {
		got = append(got, describe(line, kind))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestLineReadersAgree(t *testing.T) {
	cases := []string{"", "\n", "a", "a\n", "a\nb", "a\nb\n", "\n\na\n\n", "one\ntwo\nthree\n",
		strings.Repeat("x", 100) + "\nshort\n" + strings.Repeat("y", 40) + "\n" + strings.Repeat("z", 100)}
	r := rand.New(rand.NewPCG(1, 2))
	for range 300 {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(strings.Repeat(string(rune('a'+r.IntN(26))), r.IntN(90)))
			if r.IntN(8) > 0 {
				b.WriteByte('\n')
			}
		}
		cases = append(cases, b.String())
	}
	for _, text := range cases {
		want := wantLines(text, 50)
		for _, block := range []int{1, 3, 16, 64, 1 << 16} {
			if got := readBackward(t, text, 50, block); !slices.Equal(got, want) {
				t.Fatalf("backward, blocks of %d, %q:\n got %q\nwant %q", block, text, got, want)
			}
		}
		if got := readForward(t, text, 50); !slices.Equal(got, want) {
			t.Fatalf("forward %q:\n got %q\nwant %q", text, got, want)
		}
	}
}

// TestBackwardLinesMemoryIsOneLine: reading the last lines of a large
// file touches a block, not the file.
func TestBackwardLinesMemoryIsOneLine(t *testing.T) {
	var text bytes.Buffer
	for i := range 100000 {
		fmt.Fprintf(&text, "line %d\n", i)
	}
	r := &countingReader{r: bytes.NewReader(text.Bytes())}
	b := newBackwardLines(r, int64(text.Len()), 1<<20)
	for want := 99999; want > 99990; want-- {
		line, _, err := b.next()
		if err != nil || string(line) != fmt.Sprintf("line %d", want) {
			t.Fatalf("%q %v", line, err)
		}
	}
	if r.n > backwardBlock || len(b.data) > 2*backwardBlock {
		t.Errorf("read %d bytes, held %d, for 10 lines", r.n, len(b.data))
	}
}

type countingReader struct {
	r io.ReaderAt
	n int
}

func (c *countingReader) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n += n
	return n, err
}
