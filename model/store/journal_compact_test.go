package store

import (
	"fmt"
	"os"
	"reflect"
	"testing"
	"time"
)

// A batch run again and again, with rows that keep failing, grows its
// journal by their sent and failed lines at every run; opened over the
// compaction size, the journal is rewritten as what it says, and says the
// same: who got a session, how many failed, which rows are uncertain and
// where their results went. Its size then stays bounded however many
// runs come.
func TestCompactedJournalSaysTheSame(t *testing.T) {
	s, _ := testStore(t)
	s.journalCompactAbove = 16 << 10
	about := JournalAbout{Input: "customers.csv", Format: "csv", Rows: 20, AppID: "app", APIHost: "unify.apideck.com"}
	expires := time.Date(2026, 12, 7, 11, 0, 0, 0, time.UTC)
	path := s.JournalPath(testKey)
	var sizes []int64
	var last JournalState
	for run := range 30 {
		j, state, err := s.OpenJournal(testKey, about)
		if err != nil {
			t.Fatal(err)
		}
		if run > 0 {
			// What the journal said as the run before closed it.
			if !reflect.DeepEqual(state, last) {
				t.Fatalf("run %d opened the journal as\n%+v\nwant what the run before left\n%+v", run, state, last)
			}
		}
		// The journal as the open left it (compacted or not) reads the
		// same as what the open read.
		if now, _, err := s.PeekJournal(testKey); run > 0 && (err != nil || !reflect.DeepEqual(now, state)) {
			t.Fatalf("run %d: the journal, opened, reads as\n%+v\nwant what it said before\n%+v (%v)", run, now, state, err)
		}
		results := fmt.Sprintf("/tmp/links-%d.jsonl", run%2)
		j.DeferOutcomeSyncs() // as a batch with a results file does
		if err := j.Run(results); err != nil {
			t.Fatal(err)
		}
		for row := 1; row <= 20; row++ {
			id := fmt.Sprintf("c-%d", row)
			if _, done := state.Created[id]; done {
				continue
			}
			j.Sending(row, id, int64(row*100))
			switch {
			case row <= 5 && run == 0:
				j.Created(row, id, expires)
			case row == 6 && run == 3:
				j.Created(row, id, expires) // failed before, created at last
			case row >= 18 && run == 29:
				// in flight as the last run ends: uncertain
			default:
				j.Failed(row, id, fmt.Sprintf("422 row %d, run %d: %s", row, run, "a reason of some length to grow the journal"))
			}
		}
		if err := j.Close(); err != nil {
			t.Fatal(err)
		}
		// Read the journal as it stands, uncompacted (PeekJournal only
		// reads), as the state the next open must come to.
		var ok bool
		if last, ok, err = s.PeekJournal(testKey); err != nil || !ok {
			t.Fatal(err)
		}
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, info.Size())
	}
	if last.Failed != 14 || len(last.Created) != 6 || len(last.Uncertain) != 3 || last.Uncertain[0].Results != "/tmp/links-1.jsonl" {
		t.Fatalf("the batch's state: %d failed, %d created, uncertain %+v", last.Failed, len(last.Created), last.Uncertain)
	}
	// Each run adds about 4 KiB; compacted, the journal never passes the
	// compaction size by more than a run.
	for run, size := range sizes {
		if size > s.journalCompactAbove+8<<10 {
			t.Errorf("after run %d the journal is %d bytes: not compacted (sizes %v)", run, size, sizes)
			break
		}
	}
	// The last open compacts it again; it still says the same.
	j, state, err := s.OpenJournal(testKey, about)
	if err != nil {
		t.Fatal(err)
	}
	j.Close()
	if !reflect.DeepEqual(state, last) {
		t.Errorf("opened as\n%+v\nwant\n%+v", state, last)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
		t.Errorf("the compacted journal is %v", info.Mode())
	}
}
