//go:build unix

package batchrun

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/batch"
)

// A FIFO nobody opens, one opened but never written, and a stdin that
// never sends: each waits, and a signal (ctx) ends the wait at once.
func TestReadsThatWaitEndWithTheContext(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "rows.csv")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFO here: %v", err)
	}
	silentWriter := func(t *testing.T) {
		// Opened for writing, never written: the read waits for data.
		go func() {
			f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
			if err == nil {
				t.Cleanup(func() { f.Close() })
			}
		}()
	}
	stdin, _ := io.Pipe()
	for _, tc := range []struct {
		name  string
		path  string
		setup func(*testing.T)
	}{
		{"FIFO without a writer", fifo, func(*testing.T) {}},
		{"FIFO without data", fifo, silentWriter},
		{"stdin without data", "-", func(*testing.T) {}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.setup(t)
			ctx, cancel := context.WithCancel(t.Context())
			src, err := Open(ctx, tc.path, stdin)
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			time.AfterFunc(50*time.Millisecond, cancel)
			start := time.Now()
			_, err = src.Check(ctx, stdin, "app", model.Session{})
			if !errors.Is(err, ErrInterrupted) {
				t.Errorf("err = %v, want ErrInterrupted", err)
			}
			if waited := time.Since(start); waited > 5*time.Second {
				t.Errorf("the signal took %v to end the wait", waited)
			}
		})
	}
}

// A FIFO (a process substitution's pipe, say) is read once and kept: the
// rows are sent from the copy, which Close removes.
func TestAFIFOIsReadOnceAndKept(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "rows")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFO here: %v", err)
	}
	go func() {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		io.WriteString(f, `{"consumer_id":"a"}`+"\n"+`{"consumer_id":"b"}`+"\n")
		f.Close()
	}()
	ctx := t.Context()
	src, err := Open(ctx, fifo, nil)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := src.Check(ctx, nil, "app", model.Session{})
	if err != nil || plan.Rows != 2 || plan.Format != batch.JSONL {
		t.Fatalf("plan %+v, %v", plan, err)
	}
	rows, err := src.Rows()
	if err != nil {
		t.Fatal(err)
	}
	r, _ := batch.NewReader(rows, src.Format)
	n := 0
	for {
		if _, _, err := r.Next(); err != nil {
			break
		}
		n++
	}
	spool := src.spool.Name()
	if info, err := os.Stat(spool); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("the copy: %v, %v; want 0600", info, err)
	}
	src.Close()
	if n != 2 {
		t.Errorf("%d rows read from the copy, want 2", n)
	}
	if _, err := os.Stat(spool); !os.IsNotExist(err) {
		t.Errorf("the copy outlived Close: %v", err)
	}
}
