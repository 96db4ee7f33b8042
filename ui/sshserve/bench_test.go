package sshserve

import (
	"bytes"
	"runtime"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// firstFrameClient is a client's terminal for the benchmarks: it answers
// the background question as a terminal does (unless silent) and notes
// when the wizard's first screen has arrived.
type firstFrameClient struct {
	mu       sync.Mutex
	seen     bytes.Buffer
	answered bool
	silent   bool
	stdin    interface{ Write([]byte) (int, error) }
	framed   chan struct{}
	once     sync.Once
}

func (c *firstFrameClient) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seen.Write(p)
	if !c.answered && !c.silent && bytes.Contains(c.seen.Bytes(), []byte("\x1b]11;?")) {
		c.answered = true
		go c.stdin.Write([]byte("\x1b]11;rgb:1e1e/1e1e/1e1e\x1b\\\x1b[?62;22c"))
	}
	if bytes.Contains(c.seen.Bytes(), []byte("Consumer ID")) {
		c.once.Do(func() { close(c.framed) })
	}
	return len(p), nil
}

// connectAndWait logs in, starts a wizard and returns when its first
// screen has arrived; the client stays open.
func connectAndWait(b *testing.B, ts *testServer, p person, silent bool) (*gossh.Client, *gossh.Session) {
	b.Helper()
	c, err := ts.dial(gossh.PublicKeys(p.signer))
	if err != nil {
		b.Fatal(err)
	}
	sess, err := c.NewSession()
	if err != nil {
		b.Fatal(err)
	}
	stdin, _ := sess.StdinPipe()
	client := &firstFrameClient{silent: silent, stdin: stdin, framed: make(chan struct{})}
	sess.Stdout = client
	if err := sess.RequestPty("xterm-256color", 40, 120, gossh.TerminalModes{}); err != nil {
		b.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		b.Fatal(err)
	}
	select {
	case <-client.framed:
	case <-time.After(10 * time.Second):
		b.Fatalf("no first frame in 10 s:\n%s", client.seen.String())
	}
	return c, sess
}

// BenchmarkFirstFrame is the time from dialling the server to the wizard's
// first screen on the client, over loopback: TCP, the SSH handshake, the
// key exchange and login, the PTY, the background question answered as a
// terminal answers it, and the first frame. (The budget: 100 ms.)
// The silent case is a client whose terminal answers nothing: it waits
// termbg.AskLimit, as a local terminal that answers nothing does.
func BenchmarkFirstFrame(b *testing.B) {
	for _, tc := range []struct {
		name   string
		silent bool
	}{{"answering", false}, {"silent", true}} {
		b.Run(tc.name, func(b *testing.B) {
			hank := newPerson(b, "hank@support")
			ts := startServer(b, []person{hank})
			var total time.Duration
			for b.Loop() {
				start := time.Now()
				c, sess := connectAndWait(b, ts, hank, tc.silent)
				total += time.Since(start)
				sess.Close()
				c.Close()
			}
			b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms/first-frame")
		})
	}
}

// BenchmarkMemoryPerConnection opens 20 wizards at their first screen and
// reports the heap and goroutines each adds. Client and server share the
// process, so the figure includes the x/crypto client's side of each
// connection: it is an upper bound for the server's.
func BenchmarkMemoryPerConnection(b *testing.B) {
	const conns = 20
	var people []person
	for range conns {
		people = append(people, newPerson(b, "agent@support"))
	}
	ts := startServer(b, people)
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		goroutines := runtime.NumGoroutine()
		var open []*gossh.Client
		for _, p := range people {
			c, _ := connectAndWait(b, ts, p, false)
			open = append(open, c)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapInuse-before.HeapInuse)/1024/conns, "KiB-heap/conn")
		b.ReportMetric(float64(runtime.NumGoroutine()-goroutines)/conns, "goroutines/conn")
		for _, c := range open {
			c.Close()
		}
	}
}
