package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// The help of every command is drawn here from the command tree, as the man
// page is: what a command says of itself (Long, Example, the exit codes)
// and of its flags (their usage, value and group) is written once, in the
// command's own file.

// Flag annotations read by the help and the man page.
const (
	// annotationGroup names the heading a flag is listed under.
	annotationGroup = "vault-session/group"
	// annotationArg is what the flag's value looks like (ID, URL, COLOR).
	annotationArg = "vault-session/arg"
)

// Command annotations.
const (
	// annotationExitCodes says what the command's exit codes mean.
	annotationExitCodes = "vault-session/exit-codes"
)

// The groups every command that has them lists last, in this order: what
// the command itself does comes first, then who is asking, then the 30
// fields of the session.
const (
	groupCredentials = "Credentials (flags win over the environment)"
	groupSession     = "Session fields (--preset, then --from over it, then flags over both, field by field; booleans are sent only when given)"
)

// helpWidth is the width the help is wrapped to.
const helpWidth = 78

// inGroup lists the named flags under a heading of the help.
func inGroup(fs *pflag.FlagSet, group string, names ...string) {
	for _, name := range names {
		if err := fs.SetAnnotation(name, annotationGroup, []string{group}); err != nil {
			panic("inGroup: " + err.Error()) // a flag misspelt in the code
		}
	}
}

// setArg says what a flag's value looks like in the help: --consumer-id ID.
func setArg(fs *pflag.FlagSet, name, arg string) {
	if err := fs.SetAnnotation(name, annotationArg, []string{arg}); err != nil {
		panic("setArg: " + err.Error())
	}
}

// flagGroup is a heading of the help and the flags under it.
type flagGroup struct {
	title string
	flags []*pflag.Flag
}

// flagGroups returns the command's flags by heading, in the order they were
// defined, with credentials and then the session's fields last. The help
// flag cobra adds is left out: every help ends by naming it.
func flagGroups(cmd *cobra.Command) []flagGroup {
	var groups []flagGroup
	index := map[string]int{}
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Hidden || f.Name == "help" {
			return
		}
		title := "Flags"
		if g := f.Annotations[annotationGroup]; len(g) > 0 {
			title = g[0]
		} else if g, _, ok := sharedFlagHelp(f); ok {
			title = g
		}
		i, ok := index[title]
		if !ok {
			i = len(groups)
			index[title] = i
			groups = append(groups, flagGroup{title: title})
		}
		groups[i].flags = append(groups[i].flags, f)
	})
	rank := func(title string) int {
		switch title {
		case groupCredentials:
			return 1
		case groupSession:
			return 2
		}
		return 0
	}
	slices.SortStableFunc(groups, func(a, b flagGroup) int { return rank(a.title) - rank(b.title) })
	return groups
}

// flagArg is what a flag's value looks like: its annotation, or for flags
// without one, its type in capitals (DURATION, INT); nothing for a boolean.
func flagArg(f *pflag.Flag) string {
	if arg := f.Annotations[annotationArg]; len(arg) > 0 {
		return arg[0]
	}
	if _, arg, ok := sharedFlagHelp(f); ok {
		return arg
	}
	if f.Value.Type() == "bool" {
		return ""
	}
	return strings.ToUpper(f.Value.Type())
}

// flagLeft is a flag as the help's left column shows it: --timeout DURATION.
func flagLeft(f *pflag.Flag) string {
	left := "--" + f.Name
	if f.Shorthand != "" {
		left = "-" + f.Shorthand + ", " + left
	}
	if arg := flagArg(f); strings.HasPrefix(arg, "[") {
		left += arg
	} else if arg != "" {
		left += " " + arg
	}
	return left
}

// writeHelp writes cmd's help: what it does, how to call it, its commands,
// its flags by group, examples, exit codes.
func writeHelp(w io.Writer, cmd *cobra.Command) {
	var b strings.Builder
	about := cmd.Long
	if about == "" {
		about = cmd.Short
	}
	b.WriteString(wrapText(about, helpWidth))
	b.WriteString("\n\nUsage:\n")
	if cmd.Runnable() {
		b.WriteString("  " + cmd.UseLine() + "\n")
	}
	if cmd.HasAvailableSubCommands() {
		b.WriteString("  " + cmd.CommandPath() + " COMMAND [flags]\n")
		writeCommands(&b, cmd)
	}
	for _, g := range flagGroups(cmd) {
		b.WriteString("\n" + wrapText(g.title+":", helpWidth) + "\n")
		for _, f := range g.flags {
			writeFlagLine(&b, flagLeft(f), f.Usage)
		}
	}
	if cmd.Example != "" {
		b.WriteString("\nExamples:\n" + strings.TrimRight(cmd.Example, "\n") + "\n")
	}
	if codes := cmd.Annotations[annotationExitCodes]; codes != "" {
		b.WriteString("\n" + wrapText("Exit codes: "+codes, helpWidth) + "\n")
	}
	if cmd.HasAvailableSubCommands() {
		fmt.Fprintf(&b, "\nRun '%s COMMAND --help' for a command's own flags.\n", cmd.CommandPath())
	}
	io.WriteString(w, b.String())
}

// writeCommands lists the subcommands under their group's title.
func writeCommands(b *strings.Builder, cmd *cobra.Command) {
	width := 0
	for _, c := range cmd.Commands() {
		if c.IsAvailableCommand() || c.Name() == "help" {
			width = max(width, len(c.Name()))
		}
	}
	write := func(c *cobra.Command) {
		fmt.Fprintf(b, "  %-*s  %s\n", width, c.Name(), c.Short)
	}
	groups := cmd.Groups()
	if len(groups) == 0 {
		b.WriteString("\nCommands:\n")
	}
	for _, g := range groups {
		b.WriteString("\n" + g.Title + "\n")
		for _, c := range cmd.Commands() {
			if c.GroupID == g.ID && (c.IsAvailableCommand() || c.Name() == "help") {
				write(c)
			}
		}
	}
	for _, c := range cmd.Commands() {
		if c.GroupID == "" && c.IsAvailableCommand() {
			write(c)
		}
	}
}

// writeFlagLine writes "  --flag ARG   usage" with the usage wrapped at
// helpWidth columns under its own column.
func writeFlagLine(b *strings.Builder, left, usage string) {
	const col = 27
	line := "  " + left
	if len(line) >= col-1 {
		b.WriteString(line + "\n")
		line = ""
	}
	line += strings.Repeat(" ", col-len(line))
	atStart := true
	for _, word := range strings.Fields(usage) {
		if !atStart && len(line)+1+len(word) > helpWidth {
			b.WriteString(line + "\n")
			line, atStart = strings.Repeat(" ", col), true
		}
		if !atStart {
			line += " "
		}
		line += word
		atStart = false
	}
	b.WriteString(line + "\n")
}

// wrapText fills each paragraph of text (paragraphs are separated by blank
// lines) to width columns; a line that starts with a space is kept as it
// is, as examples and lists are. width 0 joins each paragraph into one
// line, as the man page wants it.
func wrapText(text string, width int) string {
	var out []string
	for _, para := range strings.Split(strings.TrimSpace(text), "\n\n") {
		var lines []string
		line := ""
		flush := func() {
			if line != "" {
				lines = append(lines, line)
				line = ""
			}
		}
		for _, raw := range strings.Split(para, "\n") {
			if strings.HasPrefix(raw, " ") || strings.HasPrefix(raw, "\t") {
				flush()
				lines = append(lines, raw)
				continue
			}
			for _, word := range strings.Fields(raw) {
				if line != "" && width > 0 && len(line)+1+len(word) > width {
					flush()
				}
				if line != "" {
					line += " "
				}
				line += word
			}
		}
		flush()
		out = append(out, strings.Join(lines, "\n"))
	}
	return strings.Join(out, "\n\n")
}
