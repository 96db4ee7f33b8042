// Package cli is vault-session's command line: the wizard (the root
// command), create, preview, connections, watch, presets, history,
// demo-server, completion and the hidden man, on spf13/cobra. The command
// line is a user interface too; main only calls Main.
//
// # Adding a command
//
// One file per command, named for it (create.go, demo_server.go). As in
// the GitHub CLI, a command is a constructor that takes what every command
// shares, the *app (streams, environment, clock, API client options, the
// files kept), and returns its *cobra.Command:
//
//	func newFrobCmd(a *app) *cobra.Command {
//		var job frobJob
//		cmd := &cobra.Command{
//			Use:     "frob --consumer-id ID [flags]",
//			Short:   "one line for the command list",
//			Long:    "What it does, for --help and the man page.",
//			Example: "  vault-session frob --demo --consumer-id acme-42",
//			Annotations: map[string]string{
//				annotationExitCodes: "0 done, 1 API or network error, 2 bad usage.",
//			},
//			Args: noArgs(a),
//			RunE: func(cmd *cobra.Command, _ []string) error {
//				return a.runFrob(cmd.Context(), cmd.Flags(), job)
//			},
//		}
//		fs := cmd.Flags()
//		fs.SortFlags = false
//		registerOutput(fs, &job.output, "text (default) or json")
//		inGroup(fs, "Output", "output")
//		job.creds.register(fs) // --api-key, --app-id, ... as everywhere
//		return cmd
//	}
//
// and one line in newRootCmd (root.go) adds it to a group of the help.
// The rest follows from the tree: --help (help.go) lists the flags by
// group, credentials and session fields last; the man page (man.go)
// lists the command, its flags and examples; completion offers its flags
// and, by flag name, their values (completion.go): file names for a value
// the help calls FILE, nothing for one it has no list of, and nothing for
// a command without arguments. Every Example line is
// run by TestEveryExampleRuns, so examples must work when pasted (give
// them --demo when they need an API).
//
// Errors are returned, never printed: run reports them once on stderr,
// and exitCode maps them to the exit codes every command shares (errors.go):
// a *usageError is exit 2. A file error (*fs.PathError) is said through
// keptfile.ErrorText ("PATH does not exist"), in a usage error's words
// too, never as Go words it. Output for scripts goes to a.streams.Out, notes
// for people to a.streams.ErrOut; text from outside goes through
// model/termtext. A command the program tells a person to type next is
// built by a.commandLine (suggest.go): the program as a.self() names it
// ("go run ." under go run) and the flags that make it run where this run
// ran (--demo, --base-url, --app-id), so that, pasted, it runs, and
// already safe for a terminal; TestEverySuggestedCommandRuns pastes every
// one.
package cli
