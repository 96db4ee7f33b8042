package cli

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Command groups of the root's help, in the order shown.
const (
	groupSessions = "sessions"
	groupSupport  = "support"
	groupAfter    = "after"
	groupKept     = "kept"
	groupOther    = "other"
)

// newRootCmd builds the whole command tree for one run. The root command
// itself is the wizard (wizard.go).
func newRootCmd(a *app) *cobra.Command {
	root := newWizardCmd(a)
	root.SilenceErrors = true // run reports every error, once
	root.SilenceUsage = true
	// Our own completion command (completion.go) has help and examples.
	root.CompletionOptions.DisableDefaultCmd = true
	root.AddGroup(
		&cobra.Group{ID: groupSessions, Title: "Sessions:"},
		&cobra.Group{ID: groupSupport, Title: "Support (what is broken, before sending a link):"},
		&cobra.Group{ID: groupAfter, Title: "After the link:"},
		&cobra.Group{ID: groupKept, Title: "Kept between runs:"},
		&cobra.Group{ID: groupOther, Title: "Tools:"},
	)
	add := func(group string, cmds ...*cobra.Command) {
		for _, c := range cmds {
			c.GroupID = group
			root.AddCommand(c)
		}
	}
	add(groupSessions, newCreateCmd(a), newBatchCmd(a), newPreviewCmd(a))
	add(groupSupport, newConsumersCmd(a), newLogsCmd(a), newHealthCmd(a))
	add(groupAfter, newConnectionsCmd(a), newWatchCmd(a))
	add(groupKept, newPresetsCmd(a), newHistoryCmd(a))
	add(groupOther, newDemoServerCmd(a), newServeCmd(a), newAuditCmd(a), newCompletionCmd(a), newManCmd(a))
	help := newHelpCmd(a)
	help.GroupID = groupOther
	root.SetHelpCommand(help)

	root.SetHelpFunc(func(cmd *cobra.Command, _ []string) { writeHelp(cmd.OutOrStdout(), cmd) })
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error { return flagError(a, cmd, err) })
	root.SetIn(a.streams.In)
	root.SetOut(a.streams.Out)
	root.SetErr(a.streams.ErrOut)
	return root
}

// newHelpCmd is `vault-session help [COMMAND]`: the help --help prints.
// An unknown command is a usage error (exit 2), not help.
func newHelpCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "help [COMMAND]",
		Short: "show the help of vault-session or of one of its commands",
		Long:  "Shows the help of vault-session, or of the command named, as --help does.",
		Example: `  vault-session help
  vault-session help create
  vault-session help presets save`,
		RunE: func(cmd *cobra.Command, args []string) error {
			target, rest, err := cmd.Root().Find(args)
			switch {
			case err != nil:
				return unknownCommand(a, cmd.Root(), args[0])
			case len(rest) > 0:
				return unknownCommand(a, target, rest[0])
			}
			writeHelp(cmd.OutOrStdout(), target)
			return nil
		},
		ValidArgsFunction: completeCommandNames,
	}
}

// commandNames lists parent's commands, for messages.
func commandNames(parent *cobra.Command) string {
	var names []string
	for _, c := range parent.Commands() {
		if c.IsAvailableCommand() {
			names = append(names, c.Name())
		}
	}
	return strings.Join(names, ", ")
}

// noArgs refuses positional arguments, as a usage error naming the first.
func noArgs(a *app) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		switch {
		case len(args) > 0 && cmd.HasAvailableSubCommands():
			return unknownCommand(a, cmd, args[0])
		case len(args) > 0:
			return &usageError{msg: fmt.Sprintf("unexpected argument %q\nRun '%s --help' for usage.", args[0], commandPathFor(a, cmd))}
		}
		return nil
	}
}

// rootArgs is noArgs for the root, where a word is a mistyped command.
func rootArgs(a *app) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return nil
		}
		return unknownCommand(a, cmd, args[0])
	}
}

// unknownCommand is the usage error for a word where parent takes one of
// its commands: it suggests the nearest to a typo, as flagError does for
// flags ("histroy" is history), and names them all.
func unknownCommand(a *app, parent *cobra.Command, typed string) error {
	what := "command"
	if parent.HasParent() {
		what = parent.Name() + " command"
	}
	msg := fmt.Sprintf("unknown %s %q", what, typed)
	if near := nearestCommand(parent, typed); near != "" {
		msg += "; did you mean " + near + "?"
	}
	return &usageError{msg: fmt.Sprintf("%s\nCommands: %s; see '%s --help'", msg, commandNames(parent), commandPathFor(a, parent))}
}

// nearestCommand is parent's command closest to a mistyped name, by the
// rule nearestFlag follows; "" when none is near.
func nearestCommand(parent *cobra.Command, typed string) string {
	typed = strings.ToLower(typed)
	best, bestDistance := "", 3
	for _, c := range parent.Commands() {
		if !c.IsAvailableCommand() {
			continue
		}
		for _, name := range append([]string{c.Name()}, c.Aliases...) {
			d := editDistance(typed, name)
			if strings.HasPrefix(name, typed) && len(typed) >= 3 {
				d = min(d, 1)
			}
			if d < bestDistance {
				best, bestDistance = c.Name(), d
			}
		}
	}
	return best
}

// commandPathFor is a command as the person would type it: "vault-session
// create", or "go run . create" under go run.
func commandPathFor(a *app, cmd *cobra.Command) string {
	path := cmd.CommandPath()
	if rest, ok := strings.CutPrefix(path, cmd.Root().Name()); ok {
		return a.self() + rest
	}
	return path
}

// flagError turns what pflag refuses into a usage error that names the
// flag as typed, with two dashes, suggests the flag meant when one is near,
// and says why a colour went missing when the shell ate it.
func flagError(a *app, cmd *cobra.Command, err error) error {
	msg := err.Error()
	var unknown *pflag.NotExistError
	var missing *pflag.ValueRequiredError
	var invalid *pflag.InvalidValueError
	switch {
	case errors.As(err, &unknown) && unknown.GetSpecifiedShortnames() == "":
		name := unknown.GetSpecifiedName()
		msg = "unknown flag --" + name
		if near := nearestFlag(cmd, name); near != "" {
			msg += "; did you mean --" + near + "?"
		}
	case errors.As(err, &missing):
		f := missing.GetFlag()
		msg = "--" + f.Name + " needs a value"
		if arg := flagArg(f); arg != "" {
			msg += " (" + arg + ")"
		}
		if flagArg(f) == "COLOR" {
			msg += "\n  hint: an unquoted # starts a shell comment, so the shell passed no colour:\n" +
				"  quote it, as in --" + f.Name + " '#ff5a1f'"
		}
	case errors.As(err, &invalid):
		msg = fmt.Sprintf("invalid value %q for --%s: %v", invalid.GetValue(), invalid.GetFlag().Name, valueWanted(invalid))
	}
	return &usageError{msg: fmt.Sprintf("%s\nRun '%s --help' for usage.", msg, commandPathFor(a, cmd))}
}

// valueWanted says what a flag takes, in place of strconv's words
// ("strconv.ParseBool: parsing \"maybe\": invalid syntax") for the flag
// types pflag parses with it; a value's own error is said as it is.
func valueWanted(invalid *pflag.InvalidValueError) error {
	var number *strconv.NumError
	if !errors.As(invalid, &number) {
		return errors.Unwrap(invalid)
	}
	switch typ := invalid.GetFlag().Value.Type(); {
	case typ == "bool":
		return errors.New("use true or false")
	case errors.Is(number.Err, strconv.ErrRange):
		return errors.New("out of range")
	case strings.HasPrefix(typ, "uint"):
		return errors.New("use a whole number, 0 or more")
	case strings.HasPrefix(typ, "int"):
		return errors.New("use a whole number")
	case strings.HasPrefix(typ, "float"):
		return errors.New("use a number")
	}
	return errors.Unwrap(invalid)
}

// nearestFlag is the command's flag closest to a mistyped name: one that
// starts with it, or at most two edits away; "" when none is.
func nearestFlag(cmd *cobra.Command, typed string) string {
	best, bestDistance := "", 3
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		d := editDistance(strings.ToLower(typed), f.Name)
		if strings.HasPrefix(f.Name, strings.ToLower(typed)) && len(typed) >= 3 {
			d = min(d, 1)
		}
		if d < bestDistance {
			best, bestDistance = f.Name, d
		}
	})
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// withTwoDashes lets the flags be written as Go's flag package read them
// before the move to cobra: -consumer-id, -h and -help still work, as
// --consumer-id and --help. A word is rewritten only when it is one of
// the command's flags and not the value of the flag before it.
func withTwoDashes(root *cobra.Command, args []string) []string {
	cmd, _, err := root.Find(args)
	if err != nil || cmd == nil {
		cmd = root
	}
	flags := cmd.Flags()
	out := make([]string, 0, len(args))
	takesValue := false
	for i, arg := range args {
		if arg == "--" {
			return append(out, args[i:]...)
		}
		if takesValue {
			out = append(out, arg)
			takesValue = false
			continue
		}
		if strings.HasPrefix(arg, "-") && !strings.HasPrefix(arg, "--") && len(arg) > 2 {
			name, _, _ := strings.Cut(arg[1:], "=")
			if name == "help" || flags.Lookup(name) != nil {
				arg = "-" + arg
			}
		}
		if name, ok := strings.CutPrefix(arg, "--"); ok && !strings.Contains(name, "=") {
			if f := flags.Lookup(name); f != nil && f.NoOptDefVal == "" {
				takesValue = true
			}
		}
		out = append(out, arg)
	}
	return out
}
