package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/apideck-samples/vault-session/model/store"
	"github.com/apideck-samples/vault-session/ui/termbg"
	"github.com/muesli/mango"
	mcobra "github.com/muesli/mango-cobra"
	"github.com/muesli/roff"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// newManCmd is the hidden `vault-session man`: the manual page, in roff,
// drawn from the same command tree as the help. Packages install it
// gzipped as man1/vault-session.1.gz; `vault-session man | man -l -`
// reads it without installing.
func newManCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:    "man",
		Short:  "print the manual page (roff)",
		Long:   "Prints vault-session's manual page in roff, for man(1): every command and flag, the exit codes, the environment and the files kept.",
		Hidden: true,
		Args:   noArgs(a),
		Example: `  vault-session man | man -l -
  vault-session man | gzip -9 > vault-session.1.gz`,
		RunE: func(cmd *cobra.Command, _ []string) error { return writeManPage(a.streams.Out, cmd.Root()) },
	}
}

// writeManPage writes root's manual page on w.
func writeManPage(w io.Writer, root *cobra.Command) error {
	page, err := mcobra.NewManPage(1, root)
	if err != nil {
		return err
	}
	// mango starts a paragraph at every line break: give it paragraphs.
	page = page.WithLongDescription(wrapText(root.Long, 0))
	describeManCommands(&page.Root, root)
	page = page.
		WithSection("Exit status", exitStatusText(root)).
		WithSection("Environment", environmentText()).
		WithSection("Files", filesText()).
		WithSection("See also", "vault-session COMMAND --help shows the same for one command; the README at https://github.com/apideck-samples/vault-session says more.")
	_, err = io.WriteString(w, page.Build(&manBuilder{Document: roff.NewDocument()}))
	return err
}

// manBuilder is roff's document, except that examples (text whose every
// line is indented) are set as they are written: one command a line, no
// filling or hyphenation, and the characters a shell needs kept as typed
// (a plain - and ', not the hyphen and curly quote roff would print), so
// an example copied from the manual works when pasted.
type manBuilder struct {
	*roff.Document
	before strings.Builder // finished roff, up to the current Document
}

func (b *manBuilder) Text(text string) {
	if !isExample(text) {
		b.Document.Text(text)
		return
	}
	done := b.Document.String()
	// mango opens the root's EXAMPLES with a tagged paragraph and no tag:
	// the example's first line became the tag, out of line with the rest.
	if before, ok := strings.CutSuffix(done, "\n.TP\n"); ok {
		done = before + "\n.PP\n"
	}
	b.before.WriteString(strings.TrimSuffix(done, "\n"))
	b.Document = roff.NewDocument()
	b.before.WriteString("\n.nf\n")
	for _, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" {
			b.before.WriteString("\\&\n")
			continue
		}
		b.before.WriteString(manLiteral(line) + "\n")
	}
	b.before.WriteString(".fi\n")
}

func (b *manBuilder) String() string { return b.before.String() + b.Document.String() }

// isExample is text of commands: every line indented, as Example is.
func isExample(text string) bool {
	seen := false
	for _, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		if !strings.HasPrefix(line, "  ") {
			return false
		}
		seen = true
	}
	return seen
}

// manLiteral escapes a line for roff so that it prints as typed.
func manLiteral(line string) string {
	return strings.NewReplacer(`\`, `\e`, "-", `\-`, "'", `\(aq`, "`", `\(ga`, "^", `\(ha`, "~", `\(ti`).Replace(line)
}

// describeManCommands completes what mango-cobra took from the tree: each
// flag shows what its value looks like (--consumer-id ID), each command
// says what it does in its own words, and examples keep their lines.
func describeManCommands(m *mango.Command, cmd *cobra.Command) {
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		flag, ok := m.Flags[f.Name]
		if !ok {
			return
		}
		if left := flagLeft(f); left != "--"+f.Name {
			flag.Name = strings.TrimPrefix(left, "--")
		}
		m.Flags[f.Name] = flag
	})
	for _, sub := range cmd.Commands() {
		item, ok := m.Commands[sub.Name()]
		if !ok {
			continue
		}
		if sub.Long != "" {
			item.Short = firstParagraph(sub.Long)
		}
		// "presets save NAME [flags]": the words that run it, bold, then
		// its arguments.
		item.Name = strings.TrimPrefix(sub.CommandPath(), sub.Root().Name()+" ")
		item.Usage = item.Name + strings.TrimPrefix(sub.UseLine(), sub.CommandPath())
		describeManCommands(item, sub)
	}
}

// firstParagraph is the first paragraph of text on one line.
func firstParagraph(text string) string {
	first, _, _ := strings.Cut(strings.TrimSpace(text), "\n\n")
	return wrapText(first, 0)
}

// exitStatusText lists what the exit codes mean, then per command.
func exitStatusText(root *cobra.Command) string {
	var b strings.Builder
	b.WriteString("Every command uses the same codes:\n")
	for _, code := range []string{
		"*0: done (created, listed, drawn, or the --until condition held)",
		"*1: the API refused the request, the network failed, or a file could not be written",
		"*2: bad usage: an unknown flag or command, a bad value, an invalid session (every invalid field is listed), an unknown preset",
		"*3: watch: --timeout passed before the --until condition held",
		"*130: interrupted (Ctrl+C, SIGINT, SIGTERM, SIGHUP)",
	} {
		b.WriteString(code + "\n")
	}
	b.WriteString("Per command:\n")
	var walk func(*cobra.Command)
	walk = func(cmd *cobra.Command) {
		codes := cmd.Annotations[annotationExitCodes]
		same := cmd.HasParent() && cmd.Parent().Annotations[annotationExitCodes] == codes
		if codes != "" && !cmd.Hidden && !same {
			fmt.Fprintf(&b, "*%s: %s\n", cmd.CommandPath(), codes)
		}
		for _, sub := range cmd.Commands() {
			walk(sub)
		}
	}
	walk(root)
	return strings.TrimSuffix(b.String(), "\n")
}

func environmentText() string {
	return strings.Join([]string{
		"Flags win over the environment; a flag given empty (--api-key=) blanks the variable.",
		"*" + envAPIKey + ": the Apideck API key (--api-key). Prefer it to the flag: command lines are visible to other users. With no key anywhere the wizard uses the built-in demo API.",
		"*" + envAppID + ": the Apideck application ID (--app-id).",
		"*" + envConsumerID + ": the customer's consumer ID (--consumer-id).",
		"*" + envBaseURL + ": the API endpoint (--base-url; default https://unify.apideck.com), e.g. a running vault-session demo-server. --demo ignores it.",
		"*" + termbg.EnvVar + ": light, dark or auto: the wizard's colours (--theme).",
		"*" + store.EnvPresets + ": a folder of presets shared by a team, searched before your own.",
		"*" + store.EnvNoHistory + "=1: created sessions are not added to the history (--no-history).",
		"*" + envAccessible + "=1, or TERM=dumb: the wizard asks in plain lines, for screen readers (--accessible).",
		"*NO_COLOR: no colour in the output (https://no-color.org): the wizard keeps bold, italic, underline and reverse video (its text cursor; placeholders and hints in italics); the other commands print plain text. COLORFGBG tells the wizard the terminal's background.",
		"*BROWSER: the program preview --open starts, before the system's own.",
		"*VISUAL, EDITOR: the editor the wizard's custom settings open with ctrl+o (VISUAL first, then EDITOR, then vi).",
		"*XDG_CONFIG_HOME, XDG_STATE_HOME: where the files below are kept.",
		"*HTTPS_PROXY, HTTP_PROXY, NO_PROXY: the proxy requests to the API go through.",
	}, "\n")
}

func filesText() string {
	return strings.Join([]string{
		"Written 0600 in 0700 folders, atomically; never holding the API key, a session token or a session URL.",
		"*$XDG_CONFIG_HOME/vault-session/presets/NAME.json (default ~/.config/vault-session/presets): the presets saved with vault-session presets save.",
		"*$XDG_STATE_HOME/vault-session/history.jsonl (default ~/.local/state/vault-session/history.jsonl): the sessions created, one JSON object a line (vault-session history); at 16 MiB its older half rotates out. history.lock beside it keeps two writers apart.",
		"*$XDG_STATE_HOME/vault-session/drafts/ (default ~/.local/state/vault-session/drafts): what the wizard was left with, offered for resuming at its next start.",
		"*$XDG_STATE_HOME/vault-session/batches/KEY.jsonl: each row's outcome as vault-session batch sends it (never the link), so that a batch run again goes on where it stopped; removed a week after the batch completes.",
		"*$XDG_STATE_HOME/vault-session/ssh_host_ed25519_key, audit.jsonl and people/: vault-session serve's host key (made on the first start), its audit log (vault-session audit) and each person's drafts.",
		"A file that is not a regular file where one of these should be (a named pipe, a device) is never read, written or replaced: it is skipped, and stderr says so. A symbolic link is followed, and kept.",
	}, "\n")
}
