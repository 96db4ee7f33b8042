package theme

import (
	"fmt"
	"strings"
	"testing"

	"github.com/apideck-samples/vault-session/model"
	"github.com/charmbracelet/x/cellbuf"
	"github.com/muesli/termenv"
)

// TestPreviewEveryRowFilledToItsEdges draws a light and a dark page (the
// default theme and a brand's dark side panel) in every colour profile,
// both layouts, every width and several heights, and reads it back as a
// terminal would (cellbuf): every row is exactly as wide as asked, no cell
// shows the terminal's own background, and every row under the top bar
// starts and ends in the side panel's colour, so the panel reaches both
// edges instead of stopping at its text (issue 18, defect 6).
func TestPreviewEveryRowFilledToItsEdges(t *testing.T) {
	t.Parallel()
	light := model.Session{}
	dark := model.Session{Theme: model.Theme{VaultName: "Acme", PrimaryColor: "#ff5a1f", SidepanelBackgroundColor: "#1f2430", SidepanelTextColor: "#f9fafb"},
		ConsumerMetadata: model.ConsumerMetadata{AccountName: "Acme Inc", UserName: "Jane Doe"}}
	dark.Settings.SandboxMode = model.Bool(true)
	// Every width where the layouts change (the stacked one below 66
	// columns, 48 when compact), then a sample of wider ones.
	var widths []int
	for w := MinPreviewWidth; w <= 140; w++ {
		if w <= pvWideMin+4 || w%9 == 0 {
			widths = append(widths, w)
		}
	}
	for _, profile := range []termenv.Profile{termenv.TrueColor, termenv.ANSI256, termenv.ANSI} {
		for _, s := range []model.Session{light, dark} {
			side := backgroundOf(pvSGR(profile, "#000000", Effective(s.Theme).SidepanelBackgroundColor, false))
			banner := backgroundOf(pvSGR(profile, pvBannerFg, pvBannerBg, false))
			for _, compact := range []bool{false, true} {
				// One view drawn at every size, as in TestPreviewFitsEveryBox.
				view := newPVView(s, PreviewOptions{Profile: profile, Compact: compact})
				for _, w := range widths {
					for _, h := range []int{0, 9, 30} {
						if msg := checkRowsFilled(view.render(w, h), w, side, banner, profile != termenv.TrueColor); msg != "" {
							t.Fatalf("profile %v, side panel %s, %dx%d, compact %v: %s",
								profile, Effective(s.Theme).SidepanelBackgroundColor, w, h, compact, msg)
						}
					}
				}
			}
		}
	}
}

// checkRowsFilled says what is wrong with the rows of a preview drawn
// width cells wide, or ""; lastIsNote says the last row is the note on
// approximated colours.
func checkRowsFilled(out string, width int, side, banner string, lastIsNote bool) string {
	lines := strings.Split(out, "\n")
	screen := cellbuf.NewBuffer(width, len(lines))
	cellbuf.SetContent(screen, out)
	for y, line := range lines {
		if w := previewWidth(line); w != width {
			return fmt.Sprintf("line %d is %d cells wide, not %d: %q", y, w, width, line)
		}
		for x := range width {
			if c := screen.Cell(x, y); c == nil || c.Style.Bg == nil {
				return fmt.Sprintf("line %d, cell %d shows the terminal's background: %q", y, x, line)
			}
		}
		// The top bar, the sandbox banner and the note under the page
		// (true colour has none) are full-width bands of their own.
		note := y == len(lines)-1 && lastIsNote
		first, last := fmt.Sprint(screen.Cell(0, y).Style.Bg), fmt.Sprint(screen.Cell(width-1, y).Style.Bg)
		if y == 0 || first == banner || note {
			continue
		}
		if first != side || last != side {
			return fmt.Sprintf("line %d starts on %s and ends on %s, not the side panel's %s: %q", y, first, last, side, line)
		}
	}
	return ""
}

// backgroundOf is the background a terminal reads from text drawn in one
// SGR, as cellbuf writes it.
func backgroundOf(sgr string) string {
	cell := cellbuf.NewBuffer(1, 1)
	cellbuf.SetContent(cell, sgr+" ")
	return fmt.Sprint(cell.Cell(0, 0).Style.Bg)
}
