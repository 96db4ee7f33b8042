package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/store"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/muesli/termenv"
)

// runPresets is `vault-session presets [list|show|save|rm]`: the themes and
// settings kept for reuse across consumers.
func (a *app) runPresets(ctx context.Context, args []string) error {
	sub, rest := "list", args
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sub, rest = args[0], args[1:]
	}
	switch sub {
	case "list", "ls":
		if err := a.parseFlags(newFlagSet("presets"), rest, presetsUsage()); err != nil {
			return err
		}
		return a.listPresets()
	case "show":
		name, err := a.presetNameArg(rest, "show")
		if err != nil {
			return err
		}
		return a.showPreset(name)
	case "save":
		return a.savePreset(ctx, rest)
	case "rm", "remove":
		name, err := a.presetNameArg(rest, "rm")
		if err != nil {
			return err
		}
		return a.removePreset(name)
	}
	return &usageError{msg: fmt.Sprintf("unknown presets command %q (list, show, save, rm); see 'vault-session presets --help'", sub)}
}

// presetNameArg reads the one NAME argument of show and rm.
func (a *app) presetNameArg(args []string, sub string) (string, error) {
	fs := newFlagSet("presets " + sub)
	if err := a.parseFlags(fs, args, presetsUsage()); err != nil && !isPositionalError(err) {
		return "", err
	}
	if fs.NArg() != 1 {
		return "", &usageError{msg: fmt.Sprintf("presets %s needs one preset name: vault-session presets %s NAME", sub, sub)}
	}
	return fs.Arg(0), nil
}

// isPositionalError is parseFlags refusing a positional argument, which
// show and rm expect.
func isPositionalError(err error) bool {
	var u *usageError
	return errors.As(err, &u) && strings.HasPrefix(u.msg, "unexpected argument")
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
		fmt.Fprintf(a.streams.Out, "No presets in %s.\nSave one with: vault-session presets save NAME --from session.json\n", termtext.Line(where))
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
	var b strings.Builder
	if err := writeJSON(&b, p.Session); err != nil {
		return err
	}
	_, err = fmt.Fprint(a.streams.Out, termtext.Text(b.String()))
	return err
}

func presetSaveFlagSet(in *sessionInput, force *bool) *flag.FlagSet {
	fs := newFlagSet("presets save")
	in.register(fs)
	fs.BoolVar(force, "force", false, "")
	return fs
}

// savePreset is `presets save NAME [--preset P] [--from FILE] [flags]`.
func (a *app) savePreset(ctx context.Context, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h" || args[0] == "-help") {
			fmt.Fprint(a.streams.Out, presetsUsage())
			return flag.ErrHelp
		}
		return &usageError{msg: "presets save needs a name first: vault-session presets save NAME [--from FILE] [flags]"}
	}
	name := args[0]
	var in sessionInput
	var force bool
	fs := presetSaveFlagSet(&in, &force)
	if err := a.parseFlags(fs, args[1:], presetsUsage()); err != nil {
		return err
	}
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
	if path, exists := st.UserPresetPath(name); exists && !force {
		return &usageError{msg: fmt.Sprintf("preset %q exists (%s); --force replaces it", name, termtext.Line(path))}
	}
	path, err := st.SavePreset(name, session)
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
		return &usageError{msg: "presets rm: " + err.Error()}
	}
	fmt.Fprintf(a.streams.Out, "removed preset %s (%s)\n", name, termtext.Line(path))
	return nil
}
