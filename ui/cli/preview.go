package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/apideck-samples/vault-session/theme"
	uibrowser "github.com/apideck-samples/vault-session/ui/browser"
	"github.com/apideck-samples/vault-session/ui/openpage"
	"github.com/muesli/termenv"
	"github.com/pkg/browser"
)

// previewJob is `vault-session preview`'s flags.
type previewJob struct {
	session       sessionInput
	width, height int
	color         string
	// html is where --html writes the page ("-" for stdout); open opens
	// it (or a temporary copy) in the browser.
	html string
	open bool
}

func previewFlagSet(job *previewJob) *flag.FlagSet {
	fs := newFlagSet("preview")
	job.session.register(fs)
	fs.IntVar(&job.width, "width", 0, "")
	fs.IntVar(&job.height, "height", 0, "")
	fs.StringVar(&job.color, "color", "auto", "")
	fs.StringVar(&job.html, "html", "", "")
	fs.BoolVar(&job.open, "open", false, "")
	return fs
}

// runPreview draws the hosted Vault page for a session on stdout, so a
// theme can be checked before a customer sees it.
func (a *app) runPreview(ctx context.Context, args []string) error {
	var job previewJob
	fs := previewFlagSet(&job)
	if err := a.parseFlags(fs, args, previewUsage()); err != nil {
		return err
	}
	if job.width < 0 || job.height < 0 {
		return &usageError{msg: "--width and --height must be positive (0 picks the default)"}
	}
	when := strings.ToLower(job.color)
	if when != "auto" && when != "always" && when != "never" {
		return &usageError{msg: fmt.Sprintf("--color %q: use auto, always or never", job.color)}
	}
	session, err := job.session.load(ctx, a.streams.In, a.findPreset())
	if err != nil {
		return err
	}
	if errs := session.Validate(); errs != nil {
		return &invalidSessionError{errs: errs}
	}
	if job.html != "" || job.open {
		return a.previewPage(session.Normalized(), job)
	}
	width := job.width
	if width == 0 {
		if w, _, ok := a.streams.TerminalSize(); ok {
			width = w
		}
	}
	page := theme.RenderPreview(session.Normalized(), theme.PreviewOptions{
		Width:   width,
		Height:  job.height,
		Profile: a.colorProfile(when),
	})
	_, err = fmt.Fprintln(a.streams.Out, page)
	return err
}

// previewPage writes the hosted Vault page as HTML (--html) and opens it in
// the browser (--open), so a theme can be checked where customers will see
// it. The path opened is printed, as URLs are, in case no browser comes up.
func (a *app) previewPage(s model.Session, job previewJob) error {
	body, _ := json.MarshalIndent(s, "", "  ")
	var page bytes.Buffer
	if err := theme.NewHTMLPage().Render(&page, s, theme.HTMLOptions{Carries: string(body)}); err != nil {
		return err
	}
	opener := uibrowser.Opener{Getenv: a.getenv, Launch: uibrowser.Launch, System: a.systemBrowser}
	switch {
	case job.html == "-":
		if _, err := a.streams.Out.Write(page.Bytes()); err != nil {
			return err
		}
		if job.open {
			path, err := openpage.Show(opener, page.Bytes())
			return a.reportOpened(path, err)
		}
		return nil
	case job.html != "":
		if err := openpage.WriteFile(job.html, page.Bytes()); err != nil {
			return err
		}
		if !job.open {
			fmt.Fprintf(a.streams.ErrOut, "wrote %s\n", termtext.Line(job.html))
			return nil
		}
		_, err := opener.Open(openpage.FileURL(job.html))
		return a.reportOpened(job.html, err)
	default:
		path, err := openpage.Show(opener, page.Bytes())
		return a.reportOpened(path, err)
	}
}

// reportOpened prints the page's path on stdout, and why no browser
// opened it, if none did.
func (a *app) reportOpened(path string, err error) error {
	if path != "" {
		fmt.Fprintln(a.streams.Out, termtext.Line(path))
	}
	if err != nil {
		return fmt.Errorf("could not open a browser (%w); open the file above yourself", err)
	}
	return nil
}

// quietOpenURL is browser.OpenURL without the opener's own output, which
// would mix with ours.
func quietOpenURL(target string) error {
	browser.Stdout, browser.Stderr = io.Discard, io.Discard
	return browser.OpenURL(target)
}

// colorProfile is what stdout can show: nothing when colour is off (not a
// terminal, NO_COLOR, TERM=dumb, --color=never), otherwise what the
// environment says the terminal supports, at least the 16 ANSI colours.
// It reads the environment only; the terminal is never queried.
func (a *app) colorProfile(when string) termenv.Profile {
	switch when {
	case "never":
		return termenv.Ascii
	case "auto":
		if !a.streams.ColorEnabled() {
			return termenv.Ascii
		}
	}
	out := termenv.NewOutput(io.Discard,
		termenv.WithTTY(true),
		termenv.WithProfile(termenv.Ascii), // skip detection in NewOutput
		termenv.WithEnvironment(environ(a.getenv)))
	if p := out.ColorProfile(); p != termenv.Ascii {
		return p
	}
	return termenv.ANSI
}

// environ lets termenv read the environment through getenv.
type environ func(string) string

func (e environ) Getenv(key string) string { return e(key) }
func (e environ) Environ() []string        { return nil }
