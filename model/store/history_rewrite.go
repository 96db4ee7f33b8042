package store

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/apideck-samples/vault-session/model/keptfile"
)

// rewriteHistory replaces the history with its entries from offset from
// on (from the first whole line there), atomically; the caller holds the
// lock. The lines that are not entries (a torn last one among them) go to
// history.jsonl.corrupt instead, and their number is returned. The file is
// streamed: memory is one line, not the file.
func (s *Store) rewriteHistory(from int64) (moved int, err error) {
	path := s.HistoryPath()
	f, src, err := openFromLine(path, from)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var bad []byte
	err = writeFileFunc(path, func(w io.Writer) error {
		out := bufio.NewWriterSize(w, backwardBlock)
		err := eachLineForward(src, maxHistoryLine, func(line []byte, kind lineKind) error {
			var e Entry
			switch {
			case kind == wholeLine && len(line) == 0:
				return nil
			case kind == wholeLine && json.Unmarshal(line, &e) == nil:
				out.Write(line)
				return out.WriteByte('\n')
			}
			// Under the lock no append is in progress: a line without its
			// newline is what a writer that died left.
			moved++
			if kind != longLine && len(bad)+len(line) < int(s.historyCap) {
				bad = append(append(bad, line...), '\n')
			}
			return nil
		})
		if err != nil {
			return err
		}
		return out.Flush()
	})
	if err != nil || len(bad) == 0 {
		return moved, err
	}
	return moved, s.setAsideLines(bad)
}

// openFromLine opens path and reads it from its first whole line at or
// after offset from: the part of a file a rotation keeps.
func openFromLine(path string, from int64) (*os.File, *bufio.Reader, error) {
	f, err := keptfile.Open(path)
	if err != nil {
		return nil, nil, err
	}
	if from > 0 {
		// Start after the newline at or after from-1: a whole line.
		if _, err := f.Seek(from-1, io.SeekStart); err != nil {
			f.Close()
			return nil, nil, err
		}
	}
	src := bufio.NewReaderSize(f, backwardBlock)
	for skip := from > 0; skip; {
		_, err := src.ReadSlice('\n')
		switch {
		case err == nil || errors.Is(err, io.EOF):
			skip = false
		case !errors.Is(err, bufio.ErrBufferFull): // else a line longer than the buffer
			f.Close()
			return nil, nil, err
		}
	}
	return f, src, nil
}

// setAsideLines appends lines to history.jsonl.corrupt, all or nothing,
// unless that would take it past the history's own cap.
func (s *Store) setAsideLines(lines []byte) error {
	path := s.HistoryPath() + ".corrupt"
	f, err := keptfile.OpenAppend(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil && info.Size()+int64(len(lines)) > s.historyCap {
		return fmt.Errorf("%s is full (%d MiB): the lines were dropped", path, s.historyCap>>20)
	}
	return keptfile.Append(f, lines)
}

// repairHistory moves the lines that do not parse to history.jsonl.corrupt
// and rewrites the history with the others, atomically, under the lock. A
// history over the cap keeps its newest half, as an append would.
func (s *Store) repairHistory() error {
	path := s.HistoryPath()
	var moved int
	err := withLock(s.lockPath(), "the history", func() error {
		info, err := os.Stat(path)
		if err != nil {
			return err
		}
		var from int64
		if info.Size() > s.historyCap {
			from = info.Size() - s.historyCap/2
		}
		moved, err = s.rewriteHistory(from)
		return err
	})
	if err != nil {
		return fmt.Errorf("%s has lines that do not parse, and they could not be set aside: %w", path, err)
	}
	if moved == 0 {
		return nil
	}
	return &CorruptFileError{Path: path, MovedTo: path + ".corrupt",
		Err: fmt.Errorf("%d line(s) are not history entries", moved)}
}
