package store

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// lineKind says what a line reader found.
type lineKind int

const (
	// wholeLine is a line and its newline.
	wholeLine lineKind = iota
	// tornLine is a last line without its newline: a write in progress,
	// or one a writer that died left.
	tornLine
	// longLine is a line over the reader's bound; its bytes are not kept.
	longLine
)

// backwardLines reads a file's lines from the last to the first, a block
// at a time, so reading the newest entries costs what they hold, not what
// the file holds. Memory is one block plus the longest line read (at most
// maxLine: a longer line is skipped as a longLine).
type backwardLines struct {
	r       io.ReaderAt
	off     int64  // the file offset of data[lo]: what is left to read lies before it
	data    []byte // data[lo:hi] is read but not yet returned
	lo, hi  int
	maxLine int
	block   int
	// started: the segment after the file's last newline was looked at;
	// sawNewline: the file has one; finished: its first line was returned.
	started, sawNewline, finished bool
}

// backwardBlock is how much is read at a time.
const backwardBlock = 64 << 10

func newBackwardLines(r io.ReaderAt, size int64, maxLine int) *backwardLines {
	return &backwardLines{r: r, off: size, maxLine: maxLine, block: backwardBlock}
}

// next returns the line before the last one returned, without its newline;
// io.EOF after the first line of the file. The line's bytes are valid until
// the following call.
func (b *backwardLines) next() (line []byte, kind lineKind, err error) {
	for {
		if i := bytes.LastIndexByte(b.data[b.lo:b.hi], '\n'); i >= 0 {
			line = b.data[b.lo+i+1 : b.hi]
			b.hi = b.lo + i
			b.sawNewline = true
			if len(line) > b.maxLine {
				b.started = true
				return nil, longLine, nil
			}
			if !b.started {
				// What follows the last newline: nothing when the file ends
				// with one, or a line still being written.
				b.started = true
				if len(line) == 0 {
					continue
				}
				return line, tornLine, nil
			}
			return line, wholeLine, nil
		}
		if b.off == 0 {
			// What is held is the file's first line: a whole one when a
			// newline follows it, else the file is one unfinished line.
			if b.finished || (!b.sawNewline && b.hi == b.lo) {
				return nil, 0, io.EOF
			}
			line, kind = b.data[b.lo:b.hi], wholeLine
			if !b.sawNewline {
				kind = tornLine
			}
			b.lo, b.hi, b.finished = 0, 0, true
			if len(line) > b.maxLine {
				return nil, longLine, nil
			}
			return line, kind, nil
		}
		if b.hi-b.lo > b.maxLine {
			found, err := b.skipLongLine()
			if err != nil {
				return nil, 0, err
			}
			// With no newline before it, the long line was the first.
			b.started, b.sawNewline, b.finished = true, true, !found
			return nil, longLine, nil
		}
		if err := b.readBlock(); err != nil {
			return nil, 0, err
		}
	}
}

// readBlock reads the block before what is held, in front of it.
func (b *backwardLines) readBlock() error {
	n := int(min(int64(b.block), b.off))
	held := b.hi - b.lo
	if b.lo < n {
		// Make room at the front: move what is held to the end of a
		// buffer large enough (a new one only when the line outgrows it).
		size := len(b.data)
		if size < held+n {
			size = max(2*size, held+n)
		}
		data := b.data
		if size != len(b.data) {
			data = make([]byte, size)
		}
		copy(data[size-held:], b.data[b.lo:b.hi])
		b.data, b.lo, b.hi = data, size-held, size
	}
	if _, err := b.r.ReadAt(b.data[b.lo-n:b.lo], b.off-int64(n)); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	b.lo -= n
	b.off -= int64(n)
	return nil
}

// skipLongLine drops the line being read, back to the newline before it,
// keeping what lies before that newline; found is false when the line
// went back to the file's start.
func (b *backwardLines) skipLongLine() (found bool, err error) {
	b.lo, b.hi = 0, 0
	for b.off > 0 {
		if err := b.readBlock(); err != nil {
			return false, err
		}
		if i := bytes.LastIndexByte(b.data[b.lo:b.hi], '\n'); i >= 0 {
			b.hi = b.lo + i // as next leaves it: just before a newline
			return true, nil
		}
		b.lo, b.hi = 0, 0
	}
	return false, nil
}

// eachLineForward calls fn with each line of r in order, without its
// newline, reading a buffer at a time; a line over maxLine is passed as a
// longLine without its bytes, and a last line without a newline as a
// tornLine.
func eachLineForward(r io.Reader, maxLine int, fn func(line []byte, kind lineKind) error) error {
	br := bufio.NewReaderSize(r, backwardBlock)
	var long []byte
	tooLong := false
	for {
		chunk, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			if !tooLong {
				long = append(long, chunk...)
				if tooLong = len(long) > maxLine; tooLong {
					long = long[:0]
				}
			}
			continue
		}
		line := chunk
		if len(long) > 0 && !tooLong {
			long = append(long, chunk...)
			line = long
		}
		kind := wholeLine
		switch {
		case err == nil:
			line = line[:len(line)-1]
		case errors.Is(err, io.EOF):
			kind = tornLine
		default:
			return err
		}
		if tooLong || len(line) > maxLine {
			kind, line = longLine, nil
		}
		if len(line) > 0 || kind != tornLine {
			if ferr := fn(line, kind); ferr != nil {
				return ferr
			}
		}
		long, tooLong = long[:0], false
		if err != nil {
			return nil
		}
	}
}
