package ui

import (
	"fmt"
	"html"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/theme"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"
)

// TestThemeStepScreenshots draws the Theme step in true colour on a light
// and on a dark terminal, as the README shows them (docs/theme-*.svg, copies
// of testdata/theme-*.svg.golden, which -update writes again). The SVG is the screen's own escape codes
// turned into cells, so it shows what a terminal of that background shows.
func TestThemeStepScreenshots(t *testing.T) {
	t.Parallel()
	for _, p := range []theme.AppPalette{theme.LightAppPalette(), theme.DarkAppPalette()} {
		r := lipgloss.NewRenderer(io.Discard)
		r.SetColorProfile(termenv.TrueColor)
		st := testState(model.Request{AppID: "demo-app", ConsumerID: "test-consumer", Session: model.Session{
			ConsumerMetadata: model.ConsumerMetadata{AccountName: "Acme Inc", UserName: "Ada Lovelace"},
			Theme: model.Theme{VaultName: "Acme", PrimaryColor: "#286EFA", SidepanelBackgroundColor: "navy",
				SidepanelTextColor: "white"},
		}}, "")
		st.styles, st.profile = theme.NewStylesFor(r, p), termenv.TrueColor
		h := newHarness(t, st, nil)
		h.w.goTo(4)
		h.w.steps[4].focusPath("theme.sidepanel_text_color")
		svg := screenSVG(h.view(), p)
		golden.RequireEqual(namedGolden{t, "theme-" + p.Name + ".svg"}, []byte(svg))
		// The README shows a copy: it must be the screen of today.
		docs := filepath.Join("..", "docs", "theme-"+p.Name+".svg")
		if shown, err := os.ReadFile(docs); err != nil || string(shown) != svg {
			t.Errorf("%s is not the screen of today (%v): after checking it, cp ui/testdata/theme-%s.svg.golden docs/theme-%s.svg",
				docs, err, p.Name, p.Name)
		}
	}
}

var sgrSeq = regexp.MustCompile(`\x1b\[([0-9;]*)m`)

// cellLook is how the terminal draws a run of cells.
type cellLook struct {
	fg, bg                   string // "" is the terminal's own
	bold, underline, reverse bool
}

// screenSVG draws styled text as an SVG of the terminal's cells: the
// background palette p assumes, its text colour where none is set.
func screenSVG(screen string, p theme.AppPalette) string {
	const cw, ch = 8.4, 18.0
	lines := strings.Split(screen, "\n")
	width := 0
	for _, l := range lines {
		width = max(width, ansi.StringWidth(l))
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" font-family="Menlo, Consolas, 'DejaVu Sans Mono', monospace" font-size="14">`+"\n",
		float64(width+2)*cw, float64(len(lines)+1)*ch)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="%s"/>`+"\n", p.Background)
	for row, line := range lines {
		var look cellLook
		col := 0
		rest := line
		for rest != "" {
			loc := sgrSeq.FindStringSubmatchIndex(rest)
			text := rest
			if loc != nil {
				text = rest[:loc[0]]
			}
			if text != "" {
				w := ansi.StringWidth(text)
				fg, bg := look.fg, look.bg
				if fg == "" {
					fg = p.Text
				}
				if look.reverse {
					fg, bg = bg, fg
					if fg == "" {
						fg = p.Background
					}
				}
				x, y := (float64(col)+1)*cw, (float64(row)+0.5)*ch
				if bg != "" {
					// A little wider than the cells, so neighbours leave no seam.
					fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.0f" fill="%s" shape-rendering="crispEdges"/>`+"\n", x, y, float64(w)*cw+0.6, ch+0.5, bg)
				}
				if strings.TrimSpace(text) != "" {
					attrs := ""
					if look.bold {
						attrs += ` font-weight="bold"`
					}
					if look.underline {
						attrs += ` text-decoration="underline"`
					}
					fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" fill="%s" xml:space="preserve" textLength="%.1f"%s>%s</text>`+"\n",
						x, y+ch*0.75, fg, float64(w)*cw, attrs, html.EscapeString(text))
				}
				col += w
			}
			if loc == nil {
				break
			}
			look = look.apply(rest[loc[2]:loc[3]])
			rest = rest[loc[1]:]
		}
	}
	b.WriteString("</svg>\n")
	return b.String()
}

// apply reads one SGR sequence's parameters.
func (l cellLook) apply(params string) cellLook {
	ps := strings.Split(params, ";")
	for i := 0; i < len(ps); i++ {
		switch ps[i] {
		case "", "0":
			l = cellLook{}
		case "1":
			l.bold = true
		case "4":
			l.underline = true
		case "7":
			l.reverse = true
		case "22":
			l.bold = false
		case "24":
			l.underline = false
		case "27":
			l.reverse = false
		case "39":
			l.fg = ""
		case "49":
			l.bg = ""
		case "38", "48":
			if i+4 < len(ps) && ps[i+1] == "2" {
				r, _ := strconv.Atoi(ps[i+2])
				g, _ := strconv.Atoi(ps[i+3])
				bl, _ := strconv.Atoi(ps[i+4])
				hex := fmt.Sprintf("#%02x%02x%02x", r, g, bl)
				if ps[i] == "38" {
					l.fg = hex
				} else {
					l.bg = hex
				}
				i += 4
			}
		}
	}
	return l
}
