package cli

import (
	"bytes"
	"context"
	"encoding/json"
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
	"github.com/spf13/cobra"
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
	// strict makes a text below the contrast minimum an error (exit 1),
	// once the page is drawn.
	strict bool
}

// newPreviewCmd is `vault-session preview`: the hosted Vault page as a
// session's theme and settings make it look, so a theme can be checked
// before a customer sees it.
func newPreviewCmd(a *app) *cobra.Command {
	var job previewJob
	cmd := &cobra.Command{
		Use:   "preview [--from FILE] [flags]",
		Short: "draw the hosted Vault page as a session's theme makes it look",
		Long: `Draws the hosted Vault page as the session's theme and settings make it look,
in the terminal or (--html, --open) as a web page.

Every text the page draws in the theme's colours is checked against WCAG's
4.5:1 minimum, as the wizard's Theme step checks it: a pair below it is said
on stderr, in the Theme step's words, with the colour to use instead and the
texts it makes hard to read ("warning: Side panel text / background 1.05:1,
below 4.50:1: try #ffffff (15.51:1) ..."). With
--strict such a pair is an error: the page is still drawn, and the command
exits 1.`,
		Example: `  # The page in the terminal, in the brand's colours
  vault-session preview --primary-color '#ff5a1f' --sidepanel-bg '#1f2937' \
    --vault-name Acme

  # A session file, drawn in 100 columns by 30 lines
  vault-session preview --from testdata/session.example.json \
    --width 100 --height 30

  # The page as a web page, in a file to open or send
  vault-session preview --from testdata/session.example.json \
    --html vault-page.html

  # In a script: fail (exit 1) when a text of the theme is hard to read
  # (exit 1: an orange button and a dark side panel with its default text)
  vault-session preview --primary-color '#ff5a1f' --sidepanel-bg '#1f2430' \
    --strict --width 100 >/dev/null`,
		Annotations: map[string]string{
			annotationExitCodes: "0 drawn, 1 the page could not be written, no browser opened it, or (--strict) a text is below 4.5:1 contrast, 2 bad usage or invalid session, 130 interrupted.",
		},
		Args: noArgs(a),
		RunE: func(cmd *cobra.Command, _ []string) error { return a.runPreview(cmd.Context(), job) },
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	fs.IntVar(&job.width, "width", 0, "columns to draw in (default: the terminal's width, or 100)")
	fs.IntVar(&job.height, "height", 0, "lines to draw in (default: as many as the page needs)")
	fs.StringVar(&job.color, "color", "auto", "auto (default: when stdout is a terminal and NO_COLOR is unset), always or never")
	setArg(fs, "width", "N")
	setArg(fs, "height", "N")
	setArg(fs, "color", "WHEN")
	inGroup(fs, "Display", "width", "height", "color")
	fs.StringVar(&job.html, "html", "", `write the page as one self-contained HTML file ("-" for stdout)`)
	fs.BoolVar(&job.open, "open", false, "open the page in the browser ($BROWSER, else the system's); without --html it is written to a private temporary file, whose path is printed")
	setArg(fs, "html", "FILE")
	inGroup(fs, "In a browser (instead of the terminal)", "html", "open")
	fs.BoolVar(&job.strict, "strict", false, "exit 1 when a text of the page is below WCAG's 4.5:1 contrast (the page is still drawn)")
	inGroup(fs, "Checks", "strict")
	job.session.register(fs)
	return cmd
}

// runPreview draws the hosted Vault page for a session on stdout.
func (a *app) runPreview(ctx context.Context, job previewJob) error {
	if job.width < 0 || job.height < 0 {
		return &usageError{msg: "--width and --height must be positive (0 picks the default)"}
	}
	if when := strings.ToLower(job.color); when != "auto" && when != "always" && when != "never" {
		return &usageError{msg: fmt.Sprintf("--color %q: use auto, always or never", job.color)}
	}
	session, err := job.session.load(ctx, a.streams.In, a.findPreset())
	if err != nil {
		return err
	}
	if errs := session.Validate(); errs != nil {
		return &invalidSessionError{errs: errs}
	}
	failing := theme.ContrastWarnings(session.Theme)
	for _, c := range failing {
		fmt.Fprintf(a.streams.ErrOut, "warning: %s\n", c.Warning())
	}
	if err := a.drawPreview(session, job); err != nil {
		return err
	}
	if job.strict && len(failing) > 0 {
		return fmt.Errorf("--strict: %d of the page's colour pairs %s below %s contrast",
			len(failing), map[bool]string{true: "is", false: "are"}[len(failing) == 1], theme.FormatRatio(theme.MinContrast))
	}
	return nil
}

// drawPreview draws the page on stdout, or as a web page (--html, --open).
func (a *app) drawPreview(session model.Session, job previewJob) error {
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
		Profile: a.colorProfile(strings.ToLower(job.color)),
	})
	_, err := fmt.Fprintln(a.streams.Out, page)
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
