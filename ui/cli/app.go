// Package cli is vault-session's command line. See doc.go.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model/store"
	"github.com/apideck-samples/vault-session/ui"
)

// Main runs the program for main: argv is os.Args, stamped the version a
// release build sets with -ldflags (empty otherwise).
func Main(argv []string, getenv func(string) string, streams *IOStreams, stamped string) int {
	return run(argv[1:], getenv, streams, buildVersion(stamped))
}

// run is the whole program: it returns the exit code instead of exiting so
// tests can call it with buffers. SIGINT, SIGTERM and SIGHUP (the terminal
// closed; the wizard keeps a draft) cancel ctx, which
// cancels a request in flight and ends with exit code 130.
func run(args []string, getenv func(string) string, streams *IOStreams, version string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	a := newApp(streams, getenv)
	a.version = version
	return a.run(ctx, args)
}

// app is what every command shares.
type app struct {
	streams *IOStreams
	getenv  func(string) string
	now     func() time.Time
	version string
	// wizard runs the interactive wizard; tests replace it.
	wizard func(context.Context, ui.Options) (ui.Outcome, error)
	// clientOptions are added to every API client, after the defaults.
	clientOptions []client.Option
	// sleep waits between a watch's polls; nil is the real clock. Tests
	// pair it with now to run a watch in no time.
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
	return &app{streams: streams, getenv: getenv, now: time.Now, version: "dev", wizard: ui.Run, systemBrowser: quietOpenURL}
}

// run runs the command args name and returns the exit code; every error is
// reported on stderr here, once.
func (a *app) run(ctx context.Context, args []string) int {
	err := a.dispatch(ctx, args)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		reportError(ctx, a.streams.ErrOut, err)
	}
	return exitCode(ctx, err)
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(a *app, ctx context.Context, args []string) error
}

func commands() []command {
	return []command{
		{"create", "create a session headlessly and print its URL", (*app).runCreate},
		{"preview", "draw the hosted Vault page as a session's theme makes it look", (*app).runPreview},
		{"connections", "list a consumer's connections once", (*app).runConnections},
		{"watch", "follow a consumer's connections live, until one is callable", (*app).runWatch},
		{"presets", "list, show, save and remove presets (themes and settings to reuse)", (*app).runPresets},
		{"history", "list the sessions created, newest first (never their URLs)", (*app).runHistory},
		{"demo-server", "serve the built-in demo API until Ctrl+C", (*app).runDemoServer},
	}
}

func (a *app) dispatch(ctx context.Context, args []string) error {
	if len(args) > 0 {
		if args[0] == "help" {
			return a.help(args[1:])
		}
		for _, c := range commands() {
			if args[0] == c.name {
				return c.run(a, ctx, args[1:])
			}
		}
		if !strings.HasPrefix(args[0], "-") {
			return &usageError{msg: fmt.Sprintf("unknown command %q (commands: %s); see vault-session --help", args[0], commandNames())}
		}
	}
	return a.runRoot(ctx, args)
}

func commandNames() string {
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	return strings.Join(names, ", ")
}

// help answers `vault-session help [COMMAND]` like --help does.
func (a *app) help(args []string) error {
	if len(args) == 0 {
		fmt.Fprint(a.streams.Out, rootUsage())
		return nil
	}
	for _, c := range commands() {
		if args[0] == c.name {
			return c.run(a, context.Background(), []string{"--help"})
		}
	}
	return &usageError{msg: fmt.Sprintf("unknown command %q (commands: %s)", args[0], commandNames())}
}

// newFlagSet returns a flag set that reports errors instead of exiting and
// prints nothing by itself: parseFlags decides what to print where.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parseFlags parses args; --help prints usage on stdout (exit 0), a mistake
// is a usage error naming the help to read. Positional arguments are refused.
func (a *app) parseFlags(fs *flag.FlagSet, args []string, usage string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(a.streams.Out, usage)
			return flag.ErrHelp
		}
		return &usageError{msg: fmt.Sprintf("%v\nRun '%s --help' for usage.", err, commandLine(fs))}
	}
	if fs.NArg() > 0 {
		return &usageError{msg: fmt.Sprintf("unexpected argument %q\nRun '%s --help' for usage.", fs.Arg(0), commandLine(fs))}
	}
	return nil
}

func commandLine(fs *flag.FlagSet) string {
	if fs.Name() == "vault-session" {
		return "vault-session"
	}
	return "vault-session " + fs.Name()
}

// buildVersion is the stamped version, or the module version `go install`
// records, or "dev" for a plain `go build`.
func buildVersion(stamped string) string {
	if stamped != "" {
		return stamped
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}
