package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/client/triage"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/store"
	"github.com/apideck-samples/vault-session/theme"
	"github.com/apideck-samples/vault-session/ui/browser"
	"github.com/apideck-samples/vault-session/ui/clipboard"
	"github.com/apideck-samples/vault-session/ui/openpage"
	"github.com/apideck-samples/vault-session/ui/termbg"
	"github.com/apideck-samples/vault-session/ui/terminal"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	pkgbrowser "github.com/pkg/browser"
)

// Options is everything the wizard starts from.
type Options struct {
	// Request is the prefilled session (from --from, flags and environment).
	Request model.Request
	// APIKey is prefilled from flags or the environment; never displayed.
	APIKey string
	// APIKeySource names where APIKey came from ("APIDECK_API_KEY",
	// "--api-key"): the Credentials step says so, and keeps that key until
	// the user chooses to type another.
	APIKeySource string
	// Client sends requests made with an API key: the real API, or the
	// --base-url one. It may be nil when ForceDemo is set.
	Client *client.Client
	// DemoClient talks to the built-in demo API. It is used whenever the
	// API key is empty, and always with ForceDemo; the wizard says so.
	DemoClient *client.Client
	// ForceDemo is --demo: every request goes to DemoClient.
	ForceDemo bool
	// Timeout bounds one whole create, retries included (--timeout); the
	// creating screen counts the time up to it. 0 means no bound.
	Timeout time.Duration
	Version string
	In      io.Reader
	Out     io.Writer
	// Getenv reads the environment (TMUX and TERM, for copying; COLORFGBG
	// for the background); nil means os.Getenv.
	Getenv func(string) string
	// Theme is --theme (or VAULT_SESSION_THEME): light or dark, or auto
	// (the zero value) to ask the terminal.
	Theme termbg.Mode
	// NoBell is --no-bell: the watch screen does not ring the terminal
	// bell when a connection becomes callable.
	NoBell bool
	// Store keeps drafts, presets and history between runs; nil keeps
	// nothing. NoHistory leaves created sessions out of the history.
	Store     *store.Store
	NoHistory bool
	// Preset names the preset the request started from (--preset).
	Preset string
	// SaidOnCommandLine is true when --from, --preset or --consumer-id
	// already say what to make: the resume offer at the start lists only
	// a draft for the same consumer ID, and is not shown without one.
	SaidOnCommandLine bool
	// Accessible asks the same steps as plain lines instead of drawing
	// screens (--accessible, ACCESSIBLE=1, TERM=dumb): no cursor
	// movement, no redraw, no colour needed.
	Accessible bool
	// CommandLine builds a command the wizard suggests typing (the
	// command line's own builder: the program as it was started, with
	// the flags the run's setting needs); nil writes vault-session and
	// the words.
	CommandLine func(command string, args ...string) string

	// The options below are for a wizard served to a terminal on another
	// machine (vault-session serve); see remote.go.

	// Remote says In and Out are a terminal on another machine: nothing
	// is opened or run on this one (no browser, no clipboard tool, no
	// $EDITOR, no page written to a temporary file); copying goes to the
	// person's terminal only (OSC 52).
	Remote bool
	// KeyHeldByServer says the API key, the app ID and the API are the
	// server's: the Credentials step shows them as held by the server and
	// offers no way to change them, and every request uses them.
	KeyHeldByServer bool
	// WindowSizes tells the wizard its terminal's size when Out is not
	// this process's terminal: a first size at once, then one per resize.
	WindowSizes <-chan WindowSize
	// ColorProfile is the terminal's colour support when Out cannot be
	// asked (the person's TERM and COLORTERM); nil asks Out. NO_COLOR is
	// not part of it: the wizard reads that through Getenv.
	ColorProfile *termenv.Profile
	// Creating is asked before each create is sent; an error stops the
	// create and is shown as its failure (the server's cap per person).
	Creating func(model.Request) error
	// Created is told of each session as soon as it is created (the
	// server's audit log). It runs on the create's goroutine.
	Created func(model.Request, client.Result)
	// NotCreated is told when a create Creating let go ended without a
	// session (the place it held under the server's cap is given back).
	NotCreated func(model.Request)
}

// Outcome is how the wizard ended.
type Outcome struct {
	// Sessions are every session created in the run, oldest first: the
	// caller lists them all once the screen is back, however the wizard
	// ended, so no link is lost with the alternate screen.
	Sessions []CreatedSession
	// Interrupted is true when the user left with Ctrl+C, or a signal
	// (SIGINT, SIGTERM) cancelled the wizard's context.
	Interrupted bool
	// Problems are files the wizard read or wrote that went wrong (a
	// corrupt draft set aside, a history it could not append to): none
	// stops the wizard; the caller reports them once the screen is back.
	Problems []error
	// DraftSaved is true when what was typed was kept as a draft, which
	// the next start offers to resume.
	DraftSaved bool
	// Request is the request as the user left it, however the wizard
	// ended (interrupted included): every step saves on each keystroke, so
	// nothing typed is missing. It holds no API key.
	Request model.Request
}

// CreatedSession is one session the wizard created.
type CreatedSession struct {
	ConsumerID  string
	AccountName string
	Result      client.Result
	// BuiltInDemo is true when the built-in demo API made it: its link
	// stops working when the program ends. (Result.Demo is true for any
	// demo API, such as a running `vault-session demo-server`.)
	BuiltInDemo bool
}

// Run runs the wizard until the user quits. The caller prints Outcome's URL
// after the alternate screen is gone, so it stays in the scrollback.
func Run(ctx context.Context, opts Options) (Outcome, error) {
	if ctx.Err() != nil {
		// A signal before the wizard started: do not take the terminal.
		return Outcome{Interrupted: true, Request: opts.Request}, nil
	}
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	// The screens take the terminal from here (raw mode, the keyboard)
	// until Run returns, panics included.
	var tty *terminal.Terminal
	if !opts.Accessible {
		if t, err := openTerminal(opts.In, opts.Out, opts.WindowSizes); err == nil {
			tty = t
			defer tty.Close()
		}
	}
	renderer := lipgloss.NewRenderer(opts.Out, termenv.WithEnvironment(environ(getenv)))
	profile, noColor := screenColours(renderer.Output(), opts.Accessible, opts.ColorProfile)
	renderer.SetColorProfile(profile)
	if opts.Accessible {
		// Plain lines: nothing asked of the terminal (a query would also
		// eat answers typed ahead while it waits).
		renderer.SetHasDarkBackground(termbg.Decide(opts.Theme, nil, getenv).Dark)
	} else {
		// Ask the terminal for its background before the first frame. A
		// terminal that answers does so at once, and one that does not know
		// OSC 11 ends the wait with its answer to the device attributes
		// query sent after it; only a terminal that answers nothing waits
		// termbg.AskLimit. A signal ends the wait, and keys typed meanwhile
		// stay queued for the wizard.
		var ask func() (string, bool)
		if tty != nil {
			ask = func() (string, bool) {
				payload, ok := tty.AskBackground(ctx, termbg.AskLimit)
				if !ok {
					return "", false
				}
				return termbg.ColorFromReply(payload)
			}
		}
		background := termbg.Decide(opts.Theme, ask, getenv)
		renderer.SetHasDarkBackground(background.Dark)
		if ctx.Err() != nil {
			// The signal came while the terminal was asked.
			return Outcome{Interrupted: true, Request: opts.Request}, nil
		}
	}
	st := state{
		req:       opts.Request,
		apiKey:    opts.APIKey,
		givenKey:  opts.APIKey,
		keyHeld:   opts.KeyHeldByServer,
		forceDemo: opts.ForceDemo || opts.Client == nil,
		timeout:   opts.Timeout,
		noBell:    opts.NoBell,
		apiName:   clientName(opts.Client),
		keys:      DefaultKeyMap(),

		commandLine: opts.CommandLine,
	}
	st.drawWith(renderer, noColor)
	if opts.APIKey != "" {
		st.keyFrom = opts.APIKeySource
	}
	var problems []error
	st.memory, problems = loadMemory(opts.Store, opts.NoHistory)
	st.memory.preset = opts.Preset
	st.memory.draftsForConsumerOnly = opts.SaidOnCommandLine
	if opts.Client != nil {
		st.memory.apiBase = opts.Client.BaseURL()
	}
	// One rule picks the API for both sending and describing, so the review
	// always shows where the request will really go.
	clientFor := func(demo bool) (*client.Client, error) {
		c := opts.Client
		if demo {
			c = opts.DemoClient
		}
		if c == nil {
			return nil, errors.New("no API client is configured")
		}
		return c, nil
	}
	st.describe = func(creds client.Credentials, s model.Session) (client.DescribedRequest, error) {
		c, err := clientFor(st.forceDemo || creds.APIKey == "")
		if err != nil {
			return client.DescribedRequest{}, err
		}
		return c.Describe(creds, s)
	}
	create := func(ctx context.Context, apiKey string, req model.Request, demo bool) (client.Result, error) {
		c, err := clientFor(demo)
		if err != nil {
			return client.Result{}, err
		}
		creds := client.Credentials{APIKey: apiKey, AppID: req.AppID, ConsumerID: req.ConsumerID}
		return c.Create(ctx, creds, req.Session)
	}
	create = opts.withCreateHooks(create)
	st.listConnections = func(ctx context.Context, apiKey string, req model.Request, demo bool) ([]client.Connection, error) {
		c, err := clientFor(demo)
		if err != nil {
			return nil, err
		}
		creds := client.Credentials{APIKey: apiKey, AppID: req.AppID, ConsumerID: req.ConsumerID}
		// The watch screen paces its polls itself (watch.NextPoll).
		return c.With(client.WithRetryPolicy(client.NoRetry())).Connections(ctx, creds, "")
	}
	// The support look-ups: suggestions while the consumer ID is typed,
	// the consumer panel. Suggestions are a convenience: no retries, a
	// short bound, so a slow or refusing API costs one quiet line.
	st.lookups = consumerLookups{
		search: func(ctx context.Context, apiKey string, req model.Request, demo bool, text string) ([]client.Consumer, error) {
			c, err := clientFor(demo)
			if err != nil {
				return nil, err
			}
			creds := client.Credentials{APIKey: apiKey, AppID: req.AppID}
			return triage.FindConsumers(ctx, c.With(client.WithRetryPolicy(client.NoRetry())), creds, text, maxSuggestions)
		},
		card: func(ctx context.Context, apiKey string, req model.Request, demo bool, consumerID string) (triage.Card, error) {
			c, err := clientFor(demo)
			if err != nil {
				return triage.Card{}, err
			}
			creds := client.Credentials{APIKey: apiKey, AppID: req.AppID}
			return triage.ReadCard(ctx, c, creds, consumerID, time.Now())
		},
	}
	if !opts.Remote {
		// pkg/browser writes the opener's output to os.Stdout by default,
		// which would scribble over the screen. (Its variables are the
		// process's: a remote wizard, one of many at once, opens no
		// browser and leaves them alone.)
		pkgbrowser.Stdout, pkgbrowser.Stderr = io.Discard, io.Discard
	}
	opener := browser.Opener{Getenv: getenv, Launch: browser.Launch, System: pkgbrowser.OpenURL, SystemName: browser.SystemName(runtime.GOOS)}
	copier := clipboard.Copier{Terminal: opts.Out, Getenv: getenv, GOOS: runtime.GOOS, LookPath: exec.LookPath, Run: clipboard.Exec}
	fx := effects{
		openURL:  opener.Open,
		copy:     func(text string) clipboard.Report { return copier.Copy(ctx, text) },
		every:    tick,
		openPage: func(html []byte) (string, error) { return openpage.Show(opener, html) },
		ring:     func() { io.WriteString(opts.Out, "\a") },
	}
	if opts.Remote {
		fx = remoteEffects(fx, opts.Out)
		remoteKeys(&st.keys)
	}
	if tty != nil {
		fx.handOver = tty.Exec
		if stop := tty.Suspend(); stop != nil {
			fx.suspend = func() tea.Cmd { return tea.Exec(stop, nil) }
		}
	}
	w := newWizard(st, create, time.Now, fx)
	w.outcome.Problems = problems
	if opts.Accessible {
		return runAccessible(ctx, w, opts.In, opts.Out, opts.Version)
	}
	// Signals have one owner: the caller, who cancels ctx on SIGINT or
	// SIGTERM. Bubble Tea's own handler would take the same signal and
	// then block for ever handing it to an event loop that ctx has already
	// stopped, so Program.Run never returned (about half the kills hung).
	// Without it, a cancelled ctx ends the program at once, and the
	// terminal is restored on the way out.
	var final tea.Model
	var err error
	if tty != nil {
		final, err = tty.Run(ctx, w)
	} else {
		// Not this process's terminal (a terminal served over SSH, or
		// Windows): Bubble Tea's own renderer and keyboard.
		p := tea.NewProgram(w,
			tea.WithAltScreen(),
			tea.WithContext(ctx),
			tea.WithoutSignalHandler(),
			tea.WithInput(opts.In),
			tea.WithOutput(opts.Out),
		)
		stopSizes := terminal.FollowSizes(opts.WindowSizes, p.Send)
		final, err = p.Run()
		stopSizes()
	}
	if fw, ok := final.(*wizard); ok && fw != nil {
		w = fw
	}
	w.keepDraft()
	if errors.Is(err, tea.ErrProgramKilled) || errors.Is(err, tea.ErrInterrupted) {
		w.quit(true)
		err = nil
	}
	// Whatever ended the wizard, the request as typed goes back to the
	// caller: what a draft keeps when the user did not get to the end.
	w.outcome.Request = w.st.req
	return w.outcome, err
}

// screenColours decides how the screens draw on out: the renderer's
// profile, and noColor when NO_COLOR (or CLICOLOR=0) asks for no colour on
// a terminal that can draw. NO_COLOR asks programs not to add colour
// (https://no-color.org), not to give up bold, italic, underline and
// reverse, which the wizard needs (the text cursor is reverse video): the
// profile is then ANSI, for the attributes, and the styles hold no colour
// to write (theme.NoColorAppPalette). The plain prompts, and a terminal
// that takes no escape codes (TERM=dumb, not a terminal), get none.
// given is Options.ColorProfile.
func screenColours(out *termenv.Output, accessible bool, given *termenv.Profile) (profile termenv.Profile, noColor bool) {
	if accessible {
		return termenv.Ascii, false
	}
	if !out.EnvNoColor() {
		if given != nil {
			return *given, false
		}
		return out.EnvColorProfile(), false
	}
	can := out.ColorProfile() // what TERM and COLORTERM say, NO_COLOR aside
	if given != nil {
		can = *given
	}
	if can == termenv.Ascii {
		return termenv.Ascii, false
	}
	return termenv.ANSI, true
}

// drawWith sets how st's screens draw: in renderer's styles, for its
// background, and without a colour of the wizard's when noColor (see
// screenColours).
func (st *state) drawWith(renderer *lipgloss.Renderer, noColor bool) {
	dark := renderer.HasDarkBackground()
	palette, profile := theme.AppPaletteFor(dark), renderer.ColorProfile()
	if noColor {
		// The renderer draws attributes (ANSI); the Vault preview and the
		// QR code, which draw colours of their own, are told there are none.
		palette, profile = theme.NoColorAppPalette(dark), termenv.Ascii
	}
	st.styles, st.profile = theme.NewStylesFor(renderer, palette), profile
	st.noColor, st.darkBackground = noColor, dark
}

// environ is the wizard's environment (Options.Getenv) as termenv reads
// it, so a served wizard's colours follow the person's terminal.
type environ func(string) string

func (e environ) Getenv(key string) string { return e(key) }

// Environ is never read by termenv; nothing lists the variables.
func (e environ) Environ() []string { return nil }

// openTerminal opens the terminal of in and out when both are files.
func openTerminal(in io.Reader, out io.Writer, sizes <-chan WindowSize) (*terminal.Terminal, error) {
	if closer, ok := in.(io.ReadCloser); ok && sizes != nil {
		// A terminal on another machine (the SSH server): the same
		// frames, keyboard and questions, through the stream.
		return terminal.OpenStream(closer, out, sizes)
	}
	inFile, inOK := in.(*os.File)
	outFile, outOK := out.(*os.File)
	if !inOK || !outOK {
		return nil, terminal.ErrNotTerminal
	}
	return terminal.Open(inFile, outFile)
}

// keepDraft runs as the wizard ends. Every way out that is not a created
// session keeps a draft: quit, Ctrl+C, SIGINT, SIGTERM, SIGHUP (main
// cancels ctx for each) and a panic, which is raised again once the draft
// is written and Bubble Tea has restored the terminal.
func (w *wizard) keepDraft() {
	if dr := w.st.memory.drafter; dr != nil {
		dr.wait(2 * time.Second) // a history line or draft still being written
	}
	saved, err := w.saveDraftNow()
	if err != nil {
		w.outcome.Problems = append(w.outcome.Problems, fmt.Errorf("the draft was not saved: %w", err))
	}
	w.outcome.DraftSaved = saved
	if w.panicked != nil {
		panic(w.panicked)
	}
}

// clientName is c's APIName, or "" when there is no client.
func clientName(c *client.Client) string {
	if c == nil {
		return ""
	}
	return c.APIName()
}
