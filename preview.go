package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/apideck-samples/vault-session/theme"
	"github.com/muesli/termenv"
)

// previewJob is `vault-session preview`'s flags.
type previewJob struct {
	session       sessionInput
	width, height int
	color         string
}

func previewFlagSet(job *previewJob) *flag.FlagSet {
	fs := newFlagSet("preview")
	job.session.register(fs)
	fs.IntVar(&job.width, "width", 0, "")
	fs.IntVar(&job.height, "height", 0, "")
	fs.StringVar(&job.color, "color", "auto", "")
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
	session, err := job.session.load(ctx, a.streams.In)
	if err != nil {
		return err
	}
	if errs := session.Validate(); errs != nil {
		return &invalidSessionError{errs: errs}
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
