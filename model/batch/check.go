package batch

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/maphash"
	"io"

	"github.com/apideck-samples/vault-session/model"
)

// MaxProblems is how many problems a Plan lists; the rest are counted. Fifty
// lines fill a screen or two: enough to see what kind of mistake a file
// has, not so many that the first ones scroll away.
const MaxProblems = 50

// Checker reads rows and says everything wrong with each: what reading
// found, the wizard's rules for what the row gives, and a consumer ID an
// earlier row has. Sending and checking read the input through the same
// Checker, so a row sent is a row checked, by the same rules.
type Checker struct {
	reader *Reader
	appID  string
	shared model.Session
	// seen is each consumer ID given so far, by its 128-bit hash, with
	// the line it was on: the one thing kept per row, 24 bytes rather
	// than a copy of the ID (two IDs with one hash would take 2^64 IDs to
	// be likely).
	seen map[idHash]int32
	seed [2]maphash.Seed
}

type idHash [2]uint64

func (c *Checker) hash(id string) idHash {
	return idHash{maphash.String(c.seed[0], id), maphash.String(c.seed[1], id)}
}

// NewChecker checks r's rows as requests for appID with the shared session
// under them.
func NewChecker(r *Reader, appID string, shared model.Session) *Checker {
	return &Checker{reader: r, appID: appID, shared: shared, seen: map[idHash]int32{},
		seed: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}}
}

// Reader is the reader rows come from.
func (c *Checker) Reader() *Reader { return c.reader }

// Next returns the next row and its problems (none: it can be sent). The
// first row to give a consumer ID keeps it; a later one is a duplicate.
// Errors are Reader.Next's.
func (c *Checker) Next() (Row, []Problem, error) {
	row, problems, err := c.reader.Next()
	if err != nil {
		return Row{}, nil, err
	}
	if len(problems) == 0 || row.ConsumerID != "" {
		problems = append(problems, row.Validate(c.appID, c.shared)...)
	}
	if id := row.ConsumerID; id != "" {
		key := c.hash(id)
		if first, ok := c.seen[key]; ok {
			problems = append(problems, Problem{Row: row.Number, Line: row.Line, Field: ColConsumerID,
				Message: fmt.Sprintf("%q is given twice: first on line %d", id, first)})
		} else {
			c.seen[key] = int32(row.Line)
		}
	}
	return row, problems, nil
}

// Plan is what a batch would do, from reading the whole input once.
type Plan struct {
	Format Format
	// Rows counts every row; Valid those that can be sent.
	Rows, Valid int
	// Problems lists the first MaxProblems problems; ProblemCount counts
	// them all.
	Problems     []Problem
	ProblemCount int
	// Digest is the SHA-256 of the input's bytes, in hex: the same file
	// gives the same digest, so a batch run again is known for the same.
	Digest string
}

// Invalid counts the rows that cannot be sent.
func (p Plan) Invalid() int { return p.Rows - p.Valid }

// Check reads the whole input in format ("" to tell by its first
// character) and plans the batch. An *InputError (or a read error) means
// the input cannot be used at all; row problems are in the plan.
func Check(r io.Reader, format Format, appID string, shared model.Session) (Plan, error) {
	digest := sha256.New()
	reader, err := NewReader(io.TeeReader(r, digest), format)
	if err != nil {
		return Plan{}, err
	}
	plan := Plan{Format: reader.Format()}
	checker := NewChecker(reader, appID, shared)
	for {
		_, problems, err := checker.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return Plan{}, err
		}
		plan.Rows++
		if len(problems) == 0 {
			plan.Valid++
		}
		plan.ProblemCount += len(problems)
		for _, p := range problems {
			if len(plan.Problems) < MaxProblems {
				plan.Problems = append(plan.Problems, p)
			}
		}
	}
	// The tee saw what the parser read; anything after (a last line the
	// parser had no use for) is part of the file too.
	if _, err := io.Copy(digest, r); err != nil {
		return Plan{}, err
	}
	plan.Digest = hex.EncodeToString(digest.Sum(nil))
	return plan, nil
}

// JournalKey names a batch for its journal: the input's digest, the app,
// the API's host and the shared session, so running the same command on
// the same file again finds the journal of the first run, while another
// file, app, API or theme is another batch. It is hex, fit for a file name.
func JournalKey(digest, appID, apiHost string, shared model.Session) string {
	body, _ := json.Marshal(shared.Normalized())
	h := sha256.New()
	for _, part := range [][]byte{[]byte(digest), []byte(appID), []byte(apiHost), body} {
		// Lengths first, so no two different lists run together alike.
		fmt.Fprintf(h, "%d:", len(part))
		h.Write(part)
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}
