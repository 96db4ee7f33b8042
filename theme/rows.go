package theme

import (
	"fmt"
	"strings"

	"github.com/apideck-samples/vault-session/model"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// The preview is drawn as rows of spans, each span a piece of text in one
// "ink" (a foreground and background pair). The escape sequence of every
// ink is worked out once per rendering, so a keystroke costs string
// building only.

type pvInk uint8

const (
	// Every ink has a background of its own: the preview never shows the
	// terminal's, which would make a light page look dark or the reverse.
	pvInkPage      pvInk = iota // side-panel text on the side-panel background
	pvInkPageBold               // the title and the current page
	pvInkBar                    // the top bar: primary colour on the page
	pvInkEdge                   // outlines of the main panel and consumer card
	pvInkPanel                  // dark text on white
	pvInkPanelBold              // the main heading
	pvInkMuted                  // grey text on white
	pvInkMutedBold              // section headers
	pvInkField                  // search box outline
	pvInkFieldText              // search box placeholder
	pvInkButton                 // white text on the button colour
	pvInkBanner                 // the sandbox banner
	pvInkCount
)

// Colours the Vault page uses that a theme cannot change (Tailwind greys and
// the sandbox banner's yellows), as the HTML page draws them: every text
// among them reads at 4.5:1 or more on its background.
const (
	pvWhite        = "#ffffff"
	pvGray800      = "#1f2937"
	pvGray500      = "#6b7280"
	pvGray300      = "#d1d5db"
	pvBannerBg     = "#fef9c3"
	pvBannerFg     = "#a16207" // Vault's #ca8a04 reads at 2.73:1; Tailwind's yellow-700 at 4.58:1
	pvResetSGR     = "\x1b[0m"
	pvCSI          = "\x1b["
	pvTrueColorFmt = "%s;2;%d;%d;%d"
)

// pvInks returns the escape sequence that starts each ink. Every colour of
// a Page is a valid "#rrggbb".
func pvInks(p termenv.Profile, c PageColors) [pvInkCount]string {
	var sgr [pvInkCount]string
	page, text := c.SidePanel, c.SidePanelText
	sgr[pvInkPage] = pvSGR(p, text, page, false)
	sgr[pvInkPageBold] = pvSGR(p, text, page, true)
	sgr[pvInkBar] = pvSGR(p, c.TopBar, page, false)
	sgr[pvInkEdge] = pvSGR(p, pvGray300, page, false)
	sgr[pvInkPanel] = pvSGR(p, pvGray800, pvWhite, false)
	sgr[pvInkPanelBold] = pvSGR(p, pvGray800, pvWhite, true)
	sgr[pvInkMuted] = pvSGR(p, pvGray500, pvWhite, false)
	sgr[pvInkMutedBold] = pvSGR(p, pvGray500, pvWhite, true)
	sgr[pvInkField] = pvSGR(p, pvGray300, pvWhite, false)
	sgr[pvInkFieldText] = pvSGR(p, pvGray500, pvWhite, false)
	sgr[pvInkButton] = pvSGR(p, c.ButtonText, c.Button, true)
	sgr[pvInkBanner] = pvSGR(p, pvBannerFg, pvBannerBg, false)
	return sgr
}

func pvSGR(p termenv.Profile, fg, bg string, bold bool) string {
	var b strings.Builder
	b.WriteString(pvCSI)
	if bold {
		b.WriteString("1;")
	}
	b.WriteString(pvColorSeq(p, fg, false))
	b.WriteByte(';')
	b.WriteString(pvColorSeq(p, bg, true))
	b.WriteByte('m')
	return b.String()
}

// pvColorSeq writes true colour from the exact bytes (termenv's float round
// trip can be one off); lesser profiles get the perceptually nearest entry
// of their palette (ANSI256, ANSI16).
func pvColorSeq(p termenv.Profile, hex string, bg bool) string {
	switch p {
	case termenv.TrueColor:
		r, g, b, _ := model.RGB(hex)
		plane := termenv.Foreground
		if bg {
			plane = termenv.Background
		}
		return fmt.Sprintf(pvTrueColorFmt, plane, r, g, b)
	case termenv.ANSI256:
		i, _ := ANSI256(hex)
		if bg {
			return fmt.Sprintf("48;5;%d", i)
		}
		return fmt.Sprintf("38;5;%d", i)
	}
	i, _ := ANSI16(hex)
	base := 30 // foreground 30–37, bright 90–97; background 10 more
	if bg {
		base = 40
	}
	if i >= 8 {
		return fmt.Sprint(base + 60 + i - 8)
	}
	return fmt.Sprint(base + i)
}

type pvSpan struct {
	text string
	ink  pvInk
}

// pvRow is one line of the preview; w is its width in cells.
type pvRow struct {
	spans []pvSpan
	w     int
}

// put appends text whose width the caller knows.
func (r *pvRow) put(text string, w int, ink pvInk) {
	if r.spans == nil {
		r.spans = make([]pvSpan, 0, 12) // a wide row has about ten spans
	}
	r.spans = append(r.spans, pvSpan{text, ink})
	r.w += w
}

// fit appends text cut to at most max cells.
func (r *pvRow) fit(text string, max int, ink pvInk) {
	t, w := pvTruncate(text, max)
	if w > 0 {
		r.put(t, w, ink)
	}
}

// padTo appends spaces up to width w.
func (r *pvRow) padTo(w int, ink pvInk) {
	if n := w - r.w; n > 0 {
		r.put(pvSpaces(n), n, ink)
	}
}

// pvSpaceRun is long enough for any sensible terminal; wider pads are
// built on demand.
const (
	pvSpace16  = "                "
	pvSpace64  = pvSpace16 + pvSpace16 + pvSpace16 + pvSpace16
	pvSpaceRun = pvSpace64 + pvSpace64 + pvSpace64 + pvSpace64
)

func pvSpaces(n int) string {
	if n <= len(pvSpaceRun) {
		return pvSpaceRun[:n]
	}
	return strings.Repeat(" ", n)
}

// pvWidth is the number of cells text takes; plain ASCII skips the
// grapheme walk.
func pvWidth(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return lipgloss.Width(s)
		}
	}
	return len(s)
}

// pvTruncate cuts s to at most max cells, ending with "…" when it cut.
func pvTruncate(s string, max int) (string, int) {
	w := pvWidth(s)
	if w <= max {
		return s, w
	}
	if max <= 0 {
		return "", 0
	}
	keep := ""
	for i := range s {
		if pvWidth(s[:i]) > max-1 {
			break
		}
		keep = s[:i]
	}
	return keep + "…", pvWidth(keep) + 1
}

// pvItem is a row of a column with its priority: when the column is too
// short, rows of the lowest priority go first. A flex item is the place
// where spare rows go.
type pvItem struct {
	row  pvRow
	prio int
	flex bool
}

// pvKeep decides which items stay when at most h rows fit: the lowest
// priority goes first and, among equals, the one further down.
func pvKeep(items []pvItem, h int) []bool {
	keep := make([]bool, len(items))
	n := 0
	for i := range items {
		keep[i] = true
		if !items[i].flex {
			n++
		}
	}
	for ; n > h; n-- {
		drop := -1
		for i := len(items) - 1; i >= 0; i-- {
			if keep[i] && !items[i].flex && (drop < 0 || items[i].prio < items[drop].prio) {
				drop = i
			}
		}
		keep[drop] = false
	}
	return keep
}

// pvKept counts the rows kept (flex items count for none).
func pvKept(items []pvItem, keep []bool) int {
	n := 0
	for i, it := range items {
		if keep[i] && !it.flex {
			n++
		}
	}
	return n
}

func pvCount(items []pvItem) int {
	n := 0
	for _, it := range items {
		if !it.flex {
			n++
		}
	}
	return n
}

// pvColumn fits items into exactly h rows, filling the flex item (or the
// end) with blank rows.
func pvColumn(items []pvItem, h int, blank pvRow) []pvRow {
	keep := pvKeep(items, h)
	spare := make([]pvRow, h-pvKept(items, keep))
	for i := range spare {
		spare[i] = blank
	}
	hasFlex := false
	for _, it := range items {
		hasFlex = hasFlex || it.flex
	}
	if !hasFlex {
		items = append(items, pvItem{flex: true})
		keep = append(keep, true)
	}
	return pvAssemble(items, keep, spare)
}

// pvAssemble lists the kept rows in order, with fill in place of the flex
// item.
func pvAssemble(items []pvItem, keep []bool, fill []pvRow) []pvRow {
	rows := make([]pvRow, 0, len(items)+len(fill))
	for i, it := range items {
		switch {
		case !keep[i]:
		case it.flex:
			rows = append(rows, fill...)
		default:
			rows = append(rows, it.row)
		}
	}
	return rows
}
