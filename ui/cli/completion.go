package cli

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/theme"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// shells are the shells `completion` writes a script for.
func shells() []string { return []string{"bash", "zsh", "fish", "powershell"} }

// newCompletionCmd is `vault-session completion SHELL`: the script that
// makes TAB complete commands, flags and their values. The script asks the
// program itself (cobra's hidden __complete command), so what it offers
// is always this binary's: its flags, the presets and consumers on disk.
func newCompletionCmd(a *app) *cobra.Command {
	var noDescriptions bool
	cmd := &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "print the shell script that completes commands, flags and values",
		Long: `Prints a script that makes TAB complete vault-session's commands and flags, and
the values it knows: preset names (every presets folder, VAULT_SESSION_PRESETS
included), recent consumer IDs (from the history), unified API ids, the ready
palettes' colours, the values of --output, --theme and --color, and --until
conditions such as callable:crm.

The release packages (.deb, .rpm, .apk) install the scripts for bash, zsh and
fish already. The bash script needs the bash-completion package.`,
		Example: `  # bash, in this shell
  source <(vault-session completion bash)

  # bash, for every new shell
  mkdir -p ~/.local/share/bash-completion/completions
  vault-session completion bash \
    > ~/.local/share/bash-completion/completions/vault-session

  # zsh (completion enabled with 'autoload -U compinit; compinit')
  vault-session completion zsh > "${fpath[1]}/_vault-session"

  # fish
  vault-session completion fish > ~/.config/fish/completions/vault-session.fish

  # PowerShell, in this session
  vault-session completion powershell | Out-String | Invoke-Expression`,
		Annotations: map[string]string{annotationExitCodes: "0 printed, 2 bad usage."},
		Args: func(_ *cobra.Command, args []string) error {
			usage := fmt.Sprintf("%s completion %s", a.self(), strings.Join(shells(), "|"))
			switch {
			case len(args) == 0:
				return &usageError{msg: "completion needs a shell: " + usage}
			case len(args) > 1:
				return &usageError{msg: fmt.Sprintf("completion takes one shell, not %d: %s", len(args), usage)}
			case !slices.Contains(shells(), args[0]):
				return &usageError{msg: fmt.Sprintf("completion has no script for the shell %q: %s", args[0], usage)}
			}
			return nil
		},
		ValidArgs: shells(),
		RunE: func(cmd *cobra.Command, args []string) error {
			root, out := cmd.Root(), a.streams.Out
			switch args[0] {
			case "bash":
				var script bytes.Buffer
				if err := root.GenBashCompletionV2(&script, !noDescriptions); err != nil {
					return err
				}
				_, err := io.WriteString(out, commasUnquoted(script.String(), root.Name()))
				return err
			case "zsh":
				if noDescriptions {
					return root.GenZshCompletionNoDesc(out)
				}
				return root.GenZshCompletion(out)
			case "fish":
				return root.GenFishCompletion(out, !noDescriptions)
			}
			if noDescriptions {
				return root.GenPowerShellCompletion(out)
			}
			return root.GenPowerShellCompletionWithDesc(out)
		},
	}
	cmd.Flags().BoolVar(&noDescriptions, "no-descriptions", false, "offer the values alone, without what each is")
	return cmd
}

// commasUnquoted mends cobra's bash script for values that are lists.
// The script compares what is typed with each value quoted by bash's
// printf %q, which writes a comma as "\," though nobody types it so:
// "--unified-apis crm,hr<TAB>" matched nothing, and a value it did insert
// came out as "crm\,hris". Here every such quoting leaves commas alone
// (the function it calls is appended to the script). Should a cobra
// update change those lines, nothing is replaced and TestBashCompletion's
// list cases fail.
func commasUnquoted(script, program string) string {
	quote := "__" + program + "_quote_keeping_commas"
	// In the loop over every value, without a subshell each: the same
	// printf, then the comma's backslash taken out.
	inLoop := `printf -v comp "%q" "${compline%%$tab*}" &>/dev/null || comp=$(printf "%q" "${compline%%$tab*}")`
	script = strings.ReplaceAll(script, inLoop, "{ "+inLoop+"; }; comp=${comp//\\\\,/,}")
	script = strings.ReplaceAll(script, `printf "%q`, quote+` "%q`)
	return script + `
# printf %q, one value at a time, without the backslash bash puts before a
# comma: values such as crm,hris are typed without one.
` + quote + `() {
    local format=${1/\%q/%s} quoted arg
    shift
    for arg in "$@"; do
        printf -v quoted %q "$arg"
        printf "$format" "${quoted//\\,/,}"
    done
}
`
}

// isCompletionRequest is the script asking what to offer (cobra's hidden
// __complete command): only then are the value completions registered, as
// they cost a little and cobra keeps them for the life of the process.
func isCompletionRequest(args []string) bool {
	return len(args) > 0 && (args[0] == cobra.ShellCompRequestCmd || args[0] == cobra.ShellCompNoDescRequestCmd)
}

// registerCompletions gives every command's flags and arguments the values
// TAB offers, by flag name across the whole tree: --preset, --consumer-id
// and --output mean the same wherever they appear.
func registerCompletions(a *app, root *cobra.Command) {
	var walk func(cmd *cobra.Command)
	walk = func(cmd *cobra.Command) {
		cmd.Flags().VisitAll(func(f *pflag.Flag) {
			if fn := flagCompletion(a, cmd, f); fn != nil {
				_ = cmd.RegisterFlagCompletionFunc(f.Name, fn)
			}
		})
		switch cmd.CommandPath() {
		case root.Name() + " presets show":
			cmd.ValidArgsFunction = onlyFirstArg(func(string) []cobra.Completion { return presetCompletions(a, true) })
		case root.Name() + " presets rm":
			cmd.ValidArgsFunction = onlyFirstArg(func(string) []cobra.Completion { return presetCompletions(a, false) })
		case root.Name() + " presets save":
			cmd.ValidArgsFunction = noValues
		case root.Name() + " consumers show":
			cmd.ValidArgsFunction = onlyFirstArg(func(string) []cobra.Completion { return consumerCompletions(a) })
		}
		// A command that takes no argument offers none: cobra's default
		// would be the file names of the current folder.
		if cmd.ValidArgsFunction == nil && len(cmd.ValidArgs) == 0 {
			cmd.ValidArgsFunction = noValues
		}
		for _, sub := range cmd.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// flagCompletion is what TAB offers for f's value; nil leaves cobra's
// default, file names: every flag whose value the help calls FILE
// (--html, --results, --authorized-keys ...).
func flagCompletion(a *app, cmd *cobra.Command, f *pflag.Flag) cobra.CompletionFunc {
	fixed := func(values ...cobra.Completion) cobra.CompletionFunc {
		return func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return values, cobra.ShellCompDirectiveNoFileComp
		}
	}
	switch f.Name {
	case "from":
		return func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return []cobra.Completion{"json"}, cobra.ShellCompDirectiveFilterFileExt
		}
	case "preset":
		// A name or a path: the names, and file names when none matches
		// what is typed (--preset ./<TAB>).
		return func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return presetCompletions(a, true), cobra.ShellCompDirectiveDefault
		}
	case "consumer-id", "again", "consumer":
		return func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return consumerCompletions(a), cobra.ShellCompDirectiveNoFileComp
		}
	case "unified-apis":
		return listCompletion(unifiedAPICompletions())
	case "api":
		return fixed(unifiedAPICompletions()...)
	case "allow-actions":
		actions := []cobra.Completion{cobra.CompletionWithDesc("none", "no action allowed")}
		for _, act := range model.Actions() {
			actions = append(actions, cobra.CompletionWithDesc(act.ID, act.Help))
		}
		return listCompletion(actions)
	case "session-length":
		return fixed(model.CommonSessionLengths()...)
	case "primary-color", "sidepanel-bg", "sidepanel-text":
		return fixed(colourCompletions(f.Name)...)
	case "theme":
		return fixed(cobra.CompletionWithDesc("auto", "ask the terminal"), "light", "dark")
	case "color":
		return fixed(cobra.CompletionWithDesc("auto", "when stdout is a terminal"), "always", "never")
	case "output":
		name := cmd.Name()
		if cmd.HasParent() && cmd.Parent().Name() == "consumers" {
			name = "consumers " + name
		}
		return fixed(outputCompletions(name)...)
	case "service":
		return serviceCompletion
	case "status":
		return listCompletion([]cobra.Completion{
			cobra.CompletionWithDesc("4xx", "every client error"), cobra.CompletionWithDesc("5xx", "every server error"),
			cobra.CompletionWithDesc("401", "unauthorized: a refused token"), cobra.CompletionWithDesc("403", "forbidden"),
			cobra.CompletionWithDesc("404", "not found"), cobra.CompletionWithDesc("429", "rate limited"),
			cobra.CompletionWithDesc("500", "the connector or Apideck failed"), cobra.CompletionWithDesc("502", "the connector was unreachable"),
		})
	case "method":
		return listCompletion([]cobra.Completion{"GET", "POST", "PATCH", "PUT", "DELETE"})
	case "since":
		return fixed("1h", "24h", "7d", "30d")
	case "within":
		return fixed("6h", "24h", "48h")
	case "until":
		return untilCompletion
	}
	if arg := flagArg(f); arg == "" || arg == "FILE" {
		return nil // a boolean has no value; a FILE is cobra's default
	}
	return noValues
}

// noValues offers nothing, not even file names.
func noValues(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
	return nil, cobra.ShellCompDirectiveNoFileComp
}

// onlyFirstArg completes the first positional argument with values.
func onlyFirstArg(values func(toComplete string) []cobra.Completion) cobra.CompletionFunc {
	return func(_ *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return values(toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

// completeCommandNames offers the root's commands, for `help`.
func completeCommandNames(cmd *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var names []cobra.Completion
	for _, c := range cmd.Root().Commands() {
		if c.IsAvailableCommand() {
			names = append(names, cobra.CompletionWithDesc(c.Name(), c.Short))
		}
	}
	return names, cobra.ShellCompDirectiveNoFileComp
}

// presetCompletions are the preset names on disk; shared ones (from
// VAULT_SESSION_PRESETS) only when they can be used, not removed.
func presetCompletions(a *app, withShared bool) []cobra.Completion {
	st := a.openStore()
	if st == nil {
		return nil
	}
	presets, _ := st.Presets()
	var out []cobra.Completion
	for _, p := range presets {
		if p.Shared && !withShared {
			continue
		}
		about := "preset"
		if p.Shared {
			about = "shared preset"
		}
		if apis := p.Session.Settings.UnifiedAPIs; len(apis) > 0 {
			about += ": " + strings.Join(apis, ",")
		}
		out = append(out, cobra.CompletionWithDesc(p.Name, about))
	}
	return out
}

// recentConsumers is how many consumers of the history TAB offers.
const recentConsumers = 50

// consumerCompletions are the consumers of the history, most recent first,
// each described by its account.
func consumerCompletions(a *app) []cobra.Completion {
	st := a.openStore()
	if st == nil {
		return nil
	}
	recent, _ := st.RecentConsumers(recentConsumers)
	var out []cobra.Completion
	for _, e := range recent {
		about := "created " + e.Time.In(a.now().Location()).Format("2006-01-02 15:04")
		if e.AccountName != "" {
			about = e.AccountName + ", " + about
		}
		out = append(out, cobra.CompletionWithDesc(e.ConsumerID, about))
	}
	return out
}

func unifiedAPICompletions() []cobra.Completion {
	var out []cobra.Completion
	for _, api := range model.UnifiedAPIs() {
		out = append(out, cobra.CompletionWithDesc(api.ID, api.Name))
	}
	return out
}

// listCompletion completes the last item of a comma-separated list
// (--unified-apis crm,hr<TAB>), leaving out the items already given.
func listCompletion(values []cobra.Completion) cobra.CompletionFunc {
	return func(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		done, _ := cutLast(toComplete, ",")
		given := strings.Split(done, ",")
		var out []cobra.Completion
		for _, v := range values {
			id, _, _ := strings.Cut(v, "\t")
			if slices.Contains(given, id) {
				continue
			}
			if done != "" {
				v = done + "," + v
			}
			out = append(out, v)
		}
		return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	}
}

// cutLast splits s around the last sep: "crm,hr" is "crm" and "hr".
func cutLast(s, sep string) (before, after string) {
	if i := strings.LastIndex(s, sep); i >= 0 {
		return s[:i], s[i+len(sep):]
	}
	return "", s
}

// colourCompletions offers, for one colour flag, that colour of each ready
// palette (named after it) and the CSS colour names.
func colourCompletions(flagName string) []cobra.Completion {
	var out []cobra.Completion
	for _, p := range theme.Palettes() {
		value := p.PrimaryColor
		switch flagName {
		case "sidepanel-bg":
			value = p.SidepanelBackgroundColor
		case "sidepanel-text":
			value = p.SidepanelTextColor
		}
		out = append(out, cobra.CompletionWithDesc(value, p.Name+" palette"))
	}
	names := make([]string, 0, len(model.ColorNames()))
	for name := range model.ColorNames() {
		names = append(names, name)
	}
	slices.Sort(names)
	return append(out, names...)
}

// outputCompletions are the --output formats of a command.
func outputCompletions(command string) []cobra.Completion {
	switch command {
	case "create":
		return []cobra.Completion{
			cobra.CompletionWithDesc("text", "the URL"),
			cobra.CompletionWithDesc("json", "url, token, expires_at, demo"),
			cobra.CompletionWithDesc("curl", "with --dry-run only"),
		}
	case "batch":
		return []cobra.Completion{
			cobra.CompletionWithDesc("text", "a line per link, without --results"),
			cobra.CompletionWithDesc("json", "a JSON line per row, without --results"),
		}
	case "watch":
		return []cobra.Completion{
			cobra.CompletionWithDesc("text", "one line per change"),
			cobra.CompletionWithDesc("jsonl", "one JSON object per line"),
		}
	case "consumers list", "logs", "health":
		return []cobra.Completion{
			cobra.CompletionWithDesc("text", "for people"),
			cobra.CompletionWithDesc("json", "one JSON document"),
			cobra.CompletionWithDesc("jsonl", "one JSON object per line, as they come"),
		}
	}
	return []cobra.Completion{"text", "json"}
}

// untilCompletion completes a --until condition a part at a time:
// callable, then callable:crm, then callable:crm/salesforce.
func untilCompletion(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	states := []client.ConnectionState{client.StateCallable, client.StateAdded, client.StateAuthorized, client.StateInvalid}
	state, target, hasTarget := strings.Cut(toComplete, ":")
	if !hasTarget {
		var out []cobra.Completion
		for _, s := range states {
			out = append(out, cobra.CompletionWithDesc(string(s), "any connection"), cobra.CompletionWithDesc(string(s)+":", "one unified API"))
		}
		return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	}
	api, _, hasService := strings.Cut(target, "/")
	var out []cobra.Completion
	if !hasService {
		for _, u := range model.UnifiedAPIs() {
			out = append(out, cobra.CompletionWithDesc(state+":"+u.ID, u.Name))
			if len(model.WellKnownConnectors(u.ID)) > 0 {
				out = append(out, cobra.CompletionWithDesc(state+":"+u.ID+"/", "one "+u.Name+" service"))
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	}
	for _, c := range model.WellKnownConnectors(api) {
		out = append(out, cobra.CompletionWithDesc(state+":"+api+"/"+c.ID, c.Name))
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// serviceCompletion offers the connectors of the --api already given (all
// the well-known ones without it).
func serviceCompletion(cmd *cobra.Command, _ []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	api, _ := cmd.Flags().GetString("api")
	apis := []string{api}
	if api == "" {
		apis = model.ConnectorAPIs()
	}
	var out []cobra.Completion
	seen := map[string]bool{}
	for _, id := range apis {
		for _, c := range model.WellKnownConnectors(id) {
			if !seen[c.ID] {
				seen[c.ID] = true
				out = append(out, cobra.CompletionWithDesc(c.ID, c.Name))
			}
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}
