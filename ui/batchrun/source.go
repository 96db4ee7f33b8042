// Package batchrun runs a batch of sessions: it reads the rows twice (once
// to check them all before anything is sent, once to send), sends them
// through client.Sender, and records each row as it happens: in the
// journal (model/store) as sent before its request leaves, then its
// outcome in the results, the journal and the file of failed rows. A row
// an earlier run sent and never heard back from is held back as uncertain
// (Settle first reads back what the results file says of such rows). It
// knows nothing of terminals: the command (ui/cli) shows its Progress.
package batchrun

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/batch"
	"github.com/apideck-samples/vault-session/model/keptfile"
)

// ErrInterrupted is returned when ctx ended a read that was waiting (on a
// FIFO, or a pipe nobody writes to).
var ErrInterrupted = errors.New("interrupted")

// Source is the batch's input, read twice. A regular file is opened again
// for the second read; anything else (stdin, a FIFO, a process
// substitution's pipe) can be read only once, so the first read copies it
// to a private temporary file (0600, removed by Close) that the second
// reads.
type Source struct {
	// Name is the input as messages name it: the path, or "stdin".
	Name   string
	Format batch.Format
	path   string   // the file to open again, or ""
	spool  *os.File // the copy, or nil
}

// Open opens the input at path ("-" for stdin). Nothing waits that a
// signal cannot end: opening a FIFO blocks until a writer comes, and a
// read until data does, so both run where ctx can give up on them.
func Open(ctx context.Context, path string, stdin io.Reader) (*Source, error) {
	s := &Source{Name: path, Format: batch.FormatOf(path)}
	if path == "-" {
		s.Name, s.Format = "stdin", ""
		return s, s.makeSpool()
	}
	info, err := os.Stat(path) // no open: a FIFO's would wait
	if err != nil {
		return nil, err
	}
	switch {
	case info.Mode().IsRegular():
		s.path = path
		return s, nil
	case info.IsDir():
		return nil, fmt.Errorf("%s is a folder, not a CSV or JSON Lines file", path)
	}
	return s, s.makeSpool()
}

func (s *Source) makeSpool() error {
	f, err := os.CreateTemp("", "vault-session-batch-*")
	if err != nil {
		return fmt.Errorf("cannot keep a copy of %s to read twice: %w", s.Name, err)
	}
	s.spool = f
	return nil
}

// Check reads the whole input once and plans the batch (batch.Check),
// keeping a copy when the input cannot be read again.
func (s *Source) Check(ctx context.Context, stdin io.Reader, appID string, shared model.Session) (batch.Plan, error) {
	r, closeInput, err := s.openFirst(ctx, stdin)
	if err != nil {
		return batch.Plan{}, err
	}
	defer closeInput()
	if s.spool != nil {
		r = io.TeeReader(r, s.spool)
	}
	plan, err := batch.Check(&ctxReader{ctx: ctx, r: r}, s.Format, appID, shared)
	if ctx.Err() != nil {
		return batch.Plan{}, ErrInterrupted
	}
	if err != nil {
		return batch.Plan{}, err
	}
	s.Format = plan.Format
	return plan, nil
}

// openFirst opens the input for the first read.
func (s *Source) openFirst(ctx context.Context, stdin io.Reader) (io.Reader, func(), error) {
	if s.Name == "stdin" && s.path == "" {
		return stdin, func() {}, nil
	}
	target := s.path
	if target == "" {
		target = s.Name
	}
	type opened struct {
		f   *os.File
		err error
	}
	done := make(chan opened, 1)
	go func() {
		f, err := os.Open(target)
		done <- opened{f, err}
	}()
	select {
	case <-ctx.Done():
		// The open goes on waiting for a writer; the process's exit
		// ends it.
		go func() {
			if o := <-done; o.f != nil {
				o.f.Close()
			}
		}()
		return nil, nil, ErrInterrupted
	case o := <-done:
		if o.err != nil {
			return nil, nil, o.err
		}
		return o.f, func() { o.f.Close() }, nil
	}
}

// Rows opens the input for the second read: the file again, or the copy.
func (s *Source) Rows() (io.ReadCloser, error) {
	if s.spool != nil {
		if _, err := s.spool.Seek(0, io.SeekStart); err != nil {
			return nil, err
		}
		return io.NopCloser(s.spool), nil
	}
	// Checked as the first read was: a regular file, opened without
	// waiting (a FIFO put there since would hang the batch).
	return keptfile.Open(s.path)
}

// Path is the file the input came from, or "" for stdin.
func (s *Source) Path() string {
	if s.Name == "stdin" && s.path == "" {
		return ""
	}
	return s.Name
}

// Close removes the copy, if one was made.
func (s *Source) Close() error {
	if s.spool == nil {
		return nil
	}
	name := s.spool.Name()
	s.spool.Close()
	s.spool = nil
	return os.Remove(name)
}

// ctxReader gives up on a read when ctx ends, leaving the read itself to
// finish (or not) on its own goroutine, into a buffer of its own: the
// caller's is never written after Read returns.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
	buf []byte
}

type readResult struct {
	n   int
	err error
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, ErrInterrupted
	}
	if len(c.buf) < len(p) {
		c.buf = make([]byte, len(p))
	}
	buf := c.buf[:len(p)]
	done := make(chan readResult, 1)
	go func() {
		n, err := c.r.Read(buf)
		done <- readResult{n, err}
	}()
	select {
	case <-c.ctx.Done():
		c.buf = nil // the read still running owns it now
		return 0, ErrInterrupted
	case res := <-done:
		copy(p, buf[:res.n])
		return res.n, res.err
	}
}

// LinesOf finds the line each of the rows numbered in rows starts on, as
// an editor counts lines (FILE:LINE); it reads no further than the last.
func (s *Source) LinesOf(rows []int) (map[int]int, error) {
	want := map[int]bool{}
	for _, n := range rows {
		want[n] = true
	}
	lines := map[int]int{}
	if len(want) == 0 {
		return lines, nil
	}
	rc, err := s.Rows()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	reader, err := batch.NewReader(rc, s.Format)
	if err != nil {
		return nil, err
	}
	for len(lines) < len(want) {
		row, _, err := reader.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return lines, err
		}
		if want[row.Number] {
			lines[row.Number] = row.Line
		}
	}
	return lines, nil
}
