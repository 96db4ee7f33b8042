package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/keptfile"
	"github.com/apideck-samples/vault-session/model/store"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/muesli/termenv"
	"github.com/spf13/cobra"
)

// presetsAbout is what every presets command says of presets.
const presetsAbout = `A preset is a session file (the --from format) without consumer_metadata:
theme, settings, unified APIs, redirect URI and custom settings, reused for
many consumers with --preset NAME on the wizard, create and preview.

Presets live in $XDG_CONFIG_HOME/vault-session/presets (default
~/.config/vault-session/presets). VAULT_SESSION_PRESETS names a folder shared
by a team; it is searched first. An unknown preset is exit code 2.`

const presetsExitCodes = "0 done, 1 a file could not be written, 2 bad usage, an unknown preset or an invalid session."

// newPresetsCmd is `vault-session presets [list|show|save|rm]`: the themes
// and settings kept for reuse across consumers. Alone, it lists them.
func newPresetsCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "presets",
		Short: "save, list, show and remove presets: themes and settings to reuse",
		Long:  "Lists, shows, saves and removes presets.\n\n" + presetsAbout,
		Example: `  # Save a theme and the APIs to offer, then use it for any consumer
  vault-session presets save acme-blue --primary-color '#1d4ed8' \
    --sidepanel-bg '#0f172a' --unified-apis crm,hris
  vault-session create --demo --preset acme-blue --consumer-id acme-42

  # What is saved, and where
  vault-session presets`,
		Annotations: map[string]string{annotationExitCodes: presetsExitCodes},
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return unknownCommand(a, cmd, args[0])
			}
			return nil
		},
		RunE: func(*cobra.Command, []string) error { return a.listPresets() },
	}
	cmd.AddCommand(
		&cobra.Command{
			Use:     "list",
			Aliases: []string{"ls"},
			Short:   "list presets: name, unified APIs, colours, file",
			Long:    "Lists the presets, one a line: name, unified APIs, the three colours (as swatches on a colour terminal) and the file.\n\n" + presetsAbout,
			Example: `  vault-session presets list`,
			Args:    noArgs(a),
			RunE:    func(*cobra.Command, []string) error { return a.listPresets() },
		},
		&cobra.Command{
			Use:   "show NAME|PATH",
			Short: "print a preset as a session file",
			Long:  "Prints a preset as the session file it is, ready for --from; where it was found goes to stderr.\n\n" + presetsAbout,
			Example: `  # A copy to edit and use with --from
  vault-session presets show acme-blue`,
			Annotations: map[string]string{annotationExitCodes: presetsExitCodes},
			Args:        presetNameArg(a, "show"),
			RunE:        func(_ *cobra.Command, args []string) error { return a.showPreset(args[0]) },
		},
		newPresetSaveCmd(a),
		&cobra.Command{
			Use:         "rm NAME",
			Aliases:     []string{"remove"},
			Short:       "remove a preset of your own",
			Long:        "Removes a preset from your presets folder; a shared one (VAULT_SESSION_PRESETS) is left to its folder.\n\n" + presetsAbout,
			Example:     `  vault-session presets rm acme-sandbox`,
			Annotations: map[string]string{annotationExitCodes: presetsExitCodes},
			Args:        presetNameArg(a, "rm"),
			RunE:        func(_ *cobra.Command, args []string) error { return a.removePreset(args[0]) },
		},
	)
	return cmd
}

// presetNameArg wants the one NAME argument of show and rm.
func presetNameArg(a *app, sub string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) != 1 {
			return &usageError{msg: fmt.Sprintf("presets %s needs one preset name: %s presets %s NAME", sub, a.self(), sub)}
		}
		return nil
	}
}

func (a *app) presetStore() (*store.Store, error) {
	st := a.openStore()
	if st == nil {
		return nil, &usageError{msg: "presets have no home here: set XDG_CONFIG_HOME"}
	}
	return st, nil
}

// listPresets prints one preset a line: name, unified APIs, the three
// colours (as swatches on a colour terminal) and the file.
func (a *app) listPresets() error {
	st, err := a.presetStore()
	if err != nil {
		return err
	}
	presets, problems := st.Presets()
	a.warn(problems...)
	if len(presets) == 0 {
		where := st.PresetDir()
		if shared := st.SharedPresetDir(); shared != "" {
			where = shared + " and " + where
		}
		fmt.Fprintf(a.streams.Out, "No presets in %s.\nSave one with: %s\n", termtext.Line(where), a.commandLine(runSetting{}, "presets save", "NAME", "--from", "session.json"))
		return nil
	}
	profile := a.colorProfile("auto")
	nameWidth := len("NAME")
	for _, p := range presets {
		nameWidth = max(nameWidth, len(p.Name))
	}
	apis := func(p store.Preset) string {
		if ids := p.Session.Settings.UnifiedAPIs; len(ids) > 0 {
			return strings.Join(ids, ",")
		}
		return "all"
	}
	apiWidth := len("UNIFIED APIS")
	for _, p := range presets {
		apiWidth = max(apiWidth, len(termtext.Line(apis(p))))
	}
	fmt.Fprintf(a.streams.Out, "%-*s  %-*s  %-26s  %s\n", nameWidth, "NAME", apiWidth, "UNIFIED APIS", "COLOURS (primary, panel)", "PATH")
	for _, p := range presets {
		path := termtext.Line(p.Path)
		if p.Shared {
			path += " (shared)"
		}
		fmt.Fprintf(a.streams.Out, "%-*s  %-*s  %s  %s\n", nameWidth, p.Name, apiWidth, termtext.Line(apis(p)),
			colourSwatches(p.Session.Theme, profile), path)
	}
	return nil
}

// colourSwatches shows the primary, side panel background and side panel
// text colours: a coloured block before each on a colour terminal, the
// #rrggbb value always (so it reads without colour), "-" when unset.
func colourSwatches(t model.Theme, profile termenv.Profile) string {
	var parts []string
	for _, value := range []string{t.PrimaryColor, t.SidepanelBackgroundColor, t.SidepanelTextColor} {
		hex, err := model.NormalizeColor(value)
		switch {
		case strings.TrimSpace(value) == "":
			parts = append(parts, "-       ")
		case err != nil:
			parts = append(parts, "?       ")
		case profile == termenv.Ascii:
			parts = append(parts, hex+" ")
		default:
			parts = append(parts, termenv.String("█").Foreground(profile.Color(hex)).String()+hex)
		}
	}
	return strings.Join(parts, " ")
}

// showPreset prints a preset as the session file it is, ready for --from;
// where it was found goes to stderr.
func (a *app) showPreset(nameOrPath string) error {
	st, err := a.presetStore()
	if err != nil {
		return err
	}
	p, err := loadPreset(nameOrPath, st.FindPreset)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.streams.ErrOut, "preset %s: %s\n", termtext.Line(p.Name), termtext.Line(p.Path))
	// writeJSON makes it safe for a terminal and cuts nothing: --from
	// reads it back whole.
	return writeJSON(a.streams.Out, p.Session)
}

// newPresetSaveCmd is `presets save NAME [--preset P] [--from FILE] [flags]`.
func newPresetSaveCmd(a *app) *cobra.Command {
	var in sessionInput
	var force bool
	cmd := &cobra.Command{
		Use:   "save NAME [--preset P] [--from FILE] [flags] [--force]",
		Short: "save a theme and settings as a preset",
		Long:  "Saves the session the flags describe (over --preset and --from, as create reads them) as a preset; consumer_metadata is left out.\n\n" + presetsAbout,
		Example: `  # A theme of your own
  vault-session presets save acme-dark --primary-color '#ff5a1f' \
    --sidepanel-bg '#111827' --sidepanel-text white --vault-name Acme

  # Another preset over it, replacing one of the same name
  vault-session presets save acme-sandbox --preset acme-dark --sandbox --force

  # A session file's theme and settings (its consumer is left out)
  vault-session presets save from-file --from testdata/session.example.json`,
		Annotations: map[string]string{annotationExitCodes: presetsExitCodes},
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return &usageError{msg: fmt.Sprintf("presets save needs a name first: %s presets save NAME [--from FILE] [flags]", a.self())}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error { return a.savePreset(cmd.Context(), args[0], in, force) },
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	fs.BoolVar(&force, "force", false, "replace a preset of the same name")
	inGroup(fs, "Save", "force")
	in.register(fs)
	return cmd
}

// savePreset saves what in describes as the preset name.
func (a *app) savePreset(ctx context.Context, name string, in sessionInput, force bool) error {
	if in.from == "" && len(in.edits) == 0 && in.preset == "" {
		return &usageError{msg: "presets save: nothing to save; give --from FILE and/or session flags (--primary-color, --unified-apis, ...)"}
	}
	if err := store.CheckPresetName(name); err != nil {
		return &usageError{msg: err.Error()}
	}
	st, err := a.presetStore()
	if err != nil {
		return err
	}
	session, err := in.load(ctx, a.streams.In, st.FindPreset)
	if err != nil {
		return err
	}
	if session.ConsumerMetadata != (model.ConsumerMetadata{}) {
		fmt.Fprintln(a.streams.ErrOut, "note: consumer_metadata is left out: a preset serves many consumers")
	}
	session = store.PresetOf(session).Normalized()
	if errs := session.Validate(); errs != nil {
		return &invalidSessionError{errs: errs}
	}
	// Without --force the preset is created only if absent, at once: of
	// two saves of one name, the second is told it exists, however close.
	save := st.SaveNewPreset
	if force {
		save = st.SavePreset
	}
	path, err := save(name, session)
	if errors.Is(err, fs.ErrExist) {
		return &usageError{msg: fmt.Sprintf("preset %q exists (%s); --force replaces it", name, termtext.Line(path))}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(a.streams.Out, "saved preset %s: %s\n", name, termtext.Line(path))
	return nil
}

func (a *app) removePreset(name string) error {
	st, err := a.presetStore()
	if err != nil {
		return err
	}
	path, err := st.RemovePreset(name)
	if err != nil {
		return &usageError{msg: "presets rm: " + keptfile.ErrorText(err)}
	}
	fmt.Fprintf(a.streams.Out, "removed preset %s (%s)\n", name, termtext.Line(path))
	return nil
}
