package theme

import (
	"regexp"
	"strings"
	"testing"

	"github.com/apideck-samples/vault-session/model"
	"github.com/muesli/termenv"
)

var sgrPattern = regexp.MustCompile(`\x1b\[([0-9;]*)m`)

// TestPreviewEveryCellHasItsBackground walks the escape codes of previews
// in every colour profile and size: no character is drawn while the
// terminal's own background shows through.
func TestPreviewEveryCellHasItsBackground(t *testing.T) {
	t.Parallel()
	sessions := []model.Session{
		{},
		{Theme: model.Theme{PrimaryColor: "#ff5a5f", SidepanelBackgroundColor: "#ffffff", SidepanelTextColor: "#111827"},
			Settings: model.Settings{SandboxMode: model.Bool(true), ShowSidebar: model.Bool(false)}},
	}
	for _, profile := range []termenv.Profile{termenv.TrueColor, termenv.ANSI256, termenv.ANSI} {
		for _, s := range sessions {
			for _, size := range [][2]int{{100, 0}, {60, 20}, {30, 8}} {
				out := RenderPreview(s, PreviewOptions{Width: size[0], Height: size[1], Profile: profile})
				for n, line := range strings.Split(out, "\n") {
					if cell, ok := bareCell(line); !ok {
						t.Errorf("profile %v, %dx%d, line %d: %q drawn on the terminal's background:\n%q",
							profile, size[0], size[1], n, cell, line)
						break
					}
				}
			}
		}
	}
}

// bareCell finds text written while no background colour is set.
func bareCell(line string) (string, bool) {
	hasBg := false
	rest := line
	for rest != "" {
		loc := sgrPattern.FindStringSubmatchIndex(rest)
		text := rest
		if loc != nil {
			text = rest[:loc[0]]
		}
		if text != "" && !hasBg {
			return text, false
		}
		if loc == nil {
			break
		}
		params := rest[loc[2]:loc[3]]
		switch {
		case params == "0" || params == "":
			hasBg = false
		case strings.Contains(";"+params+";", ";48;") || hasBackgroundCode(params):
			hasBg = true
		}
		rest = rest[loc[1]:]
	}
	return "", true
}

// hasBackgroundCode is true for 40–47 and 100–107, the 16-colour ones.
func hasBackgroundCode(params string) bool {
	for _, p := range strings.Split(params, ";") {
		if (len(p) == 2 && p[0] == '4' && p[1] >= '0' && p[1] <= '7') || (len(p) == 3 && strings.HasPrefix(p, "10") && p[2] >= '0' && p[2] <= '7') {
			return true
		}
	}
	return false
}
