package cli

import (
	"context"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model/store"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/apideck-samples/vault-session/ui"
	"github.com/spf13/cobra"
)

// Main is the whole program, for main: argv is os.Args, stamped the
// version a release build sets with -ldflags (empty otherwise). It returns
// the exit code.
func Main(argv []string, getenv func(string) string, streams *IOStreams, stamped string) int {
	argv0, args := "", []string{}
	if len(argv) > 0 {
		argv0, args = argv[0], argv[1:]
	}
	a := newApp(streams, getenv)
	a.version = readBuildVersion(stamped)
	a.argv0 = argv0
	return run(a, args)
}

// run runs one command line and returns the exit code instead of exiting,
// so tests can call it with buffers. SIGINT, SIGTERM and SIGHUP (the
// terminal closed; the wizard keeps a draft) cancel ctx, which cancels a
// request in flight and ends with exit code 130.
func run(a *app, args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	return a.run(ctx, args)
}

// app is what every command shares: the streams, the environment, the
// clock and the program's files. Each command's constructor takes it (see
// doc.go), and tests replace its parts.
type app struct {
	streams *IOStreams
	getenv  func(string) string
	now     func() time.Time
	version buildVersion
	// argv0 is how the program was started (os.Args[0]); self names it.
	argv0    string
	selfName string
	// tree is this run's command tree, for commandLine to see which flags
	// a suggested command takes.
	tree *cobra.Command
	// wizard runs the interactive wizard; tests replace it.
	wizard func(context.Context, ui.Options) (ui.Outcome, error)
	// clientOptions are added to every API client, after the defaults.
	clientOptions []client.Option
	// sleep waits between a watch's polls and a batch's paced requests;
	// nil is the real clock. Tests pair it with now to run a watch or a
	// batch in no time.
	sleep func(context.Context, time.Duration) error
	// waitingNoticeAfter is how long a create waits before saying so on a
	// terminal's stderr; 0 means waitingNoticeAfter. Tests shorten it.
	waitingNoticeAfter time.Duration
	// systemBrowser opens a URL when $BROWSER does not; tests replace it.
	systemBrowser func(url string) error
	// store is the files kept between runs, opened on first use by
	// openStore; storeErr says why there is none.
	store    *store.Store
	storeErr error
}

func newApp(streams *IOStreams, getenv func(string) string) *app {
	return &app{streams: streams, getenv: getenv, now: time.Now, version: buildVersion{short: "dev"},
		wizard: ui.Run, systemBrowser: quietOpenURL}
}

// self is how text that says what to type next names this program:
// "vault-session", "go run ." or the path it was started by (selfName),
// safe for a terminal. It is worked out on first use: most runs never
// need it.
func (a *app) self() string {
	if a.selfName == "" {
		a.selfName = termtext.Line(selfName(a.argv0, exec.LookPath))
	}
	return a.selfName
}

// run runs the command line args and returns the exit code; every error
// is reported on stderr here, once.
func (a *app) run(ctx context.Context, args []string) int {
	if args == nil {
		args = []string{} // nil would make cobra read os.Args
	}
	root := newRootCmd(a)
	a.tree = root
	if isCompletionRequest(args) {
		registerCompletions(a, root)
	}
	root.SetArgs(withTwoDashes(root, args))
	err := root.ExecuteContext(ctx)
	if err != nil {
		reportError(ctx, a.streams.ErrOut, err)
	}
	return exitCode(ctx, err)
}
