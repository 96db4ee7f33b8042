package theme

import (
	"fmt"
	"strings"

	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/muesli/termenv"
)

// Sizes of the preview, in terminal cells and lines.
const (
	// DefaultPreviewWidth is used when PreviewOptions.Width is 0.
	DefaultPreviewWidth = 100
	// MinPreviewWidth and MinPreviewHeight are the smallest box a preview
	// is drawn in; below them RenderPreview returns a one-line note.
	MinPreviewWidth  = 24
	MinPreviewHeight = 6
)

// Notes the preview adds under the page when it cannot show the colours as
// they are.
const (
	NoteApproximated = "colours approximated (terminal has no true colour)"
	NoteNoColor      = "no colours (NO_COLOR or plain terminal): layout only"
)

// PreviewOptions is the box a preview must fit in and how it may colour it.
type PreviewOptions struct {
	// Width is the number of cells of every line; 0 means DefaultPreviewWidth.
	Width int
	// Height is the number of lines; 0 means as tall as the page needs
	// (at most a handful of unified API sections, then "+ N more").
	Height int
	// Profile is what the terminal can show: termenv.TrueColor (the zero
	// value), ANSI256 or ANSI (colours approximated, and said so), or
	// Ascii for NO_COLOR and dumb terminals (layout only, no escape codes).
	Profile termenv.Profile
	// Compact is the small rendering for summaries such as the Review
	// step: no padding rows, no search box, one row per section and a
	// narrower side panel.
	Compact bool
}

// RenderPreview draws the hosted Vault page that session s will open, as
// lines of exactly opt.Width cells (opt.Height lines when it is set),
// joined by "\n" with no trailing newline.
//
// What it shows follows vault-ui.md: the top bar in the primary colour; the
// side panel with "<vault name> Vault" (or "[logo]"), the navigation the
// settings allow (none in isolation mode), "‹ Return to application", the
// consumer card (placeholders when the metadata is empty), "Powered by
// apideck" and the Terms and Privacy links, which Vault always shows (it
// links its own pages when terms_url or privacy_url is empty); the main
// panel with one section per selected unified API (all of them when none is
// selected) and its "+ Add" button in the button colour; and the sandbox
// banner. show_sidebar=false removes the side panel. Narrow boxes fold the
// side panel into strips above and below the main panel, so the effect of
// every setting stays visible; rows are dropped, least useful first, when
// the box is short.
//
// The output depends only on its arguments: the colours come from
// opt.Profile, never from the terminal the program runs in.
func RenderPreview(s model.Session, opt PreviewOptions) string {
	return newPVView(s, opt).render(opt.Width, opt.Height)
}

// render lays the view out in a box of w×h cells (the zero values as in
// PreviewOptions). It leaves pg as it found it, so one view can be drawn
// at many sizes.
func (pg *pvView) render(w, h int) string {
	if w <= 0 {
		w = DefaultPreviewWidth
	}
	if w < MinPreviewWidth || (h > 0 && h < MinPreviewHeight) {
		note, _ := pvTruncate(fmt.Sprintf("preview needs at least %dx%d", MinPreviewWidth, MinPreviewHeight), w)
		return note
	}
	rows := make([]pvRow, 0, max(h, 40))
	rows = append(rows, pg.topBar(w))
	var bottom []pvRow
	if pg.sandbox {
		bottom = append(bottom, pg.banner(w))
	}
	if pg.note != "" {
		bottom = append(bottom, pg.noteRow(w))
	}
	bodyH := 0 // natural height
	if h > 0 {
		bodyH = h - len(rows) - len(bottom)
	}
	rows = append(rows, pg.body(w, bodyH)...)
	rows = append(rows, bottom...)
	return pg.write(rows)
}

// pvView is the content of one preview, worked out once per call so the
// layout code only places it.
type pvView struct {
	title         string // "Acme Vault" or "[logo]"
	nav           []pvNavItem
	account, user string
	sections      []pvSection
	sandbox       bool
	sidebar       bool
	compact       bool
	ascii         bool
	note          string
	sgr           [pvInkCount]string
}

// pvSection is a unified API's heading, upper case, and its empty state.
type pvSection struct{ heading, empty string }

type pvNavItem struct {
	label, short string // short is used when label does not fit
	ink          pvInk
}

func newPVView(s model.Session, opt PreviewOptions) *pvView {
	page := NewPage(s)
	pg := &pvView{
		sandbox: page.Sandbox,
		sidebar: page.Sidebar,
		compact: opt.Compact,
		ascii:   opt.Profile < termenv.TrueColor || opt.Profile >= termenv.Ascii,
	}
	switch {
	case pg.ascii:
		pg.note = NoteNoColor
	case opt.Profile != termenv.TrueColor:
		pg.note = NoteApproximated
	}
	if !pg.ascii {
		pg.sgr = pvInks(opt.Profile, page.Colors)
	}

	pg.title = pvClean(page.Title)
	if page.Logo != "" {
		pg.title = "[logo]"
	}
	for _, n := range page.Nav {
		ink := pvInkPage
		if n.Current {
			ink = pvInkPageBold
		}
		label := pvNavIcon(n.ID) + " " + n.Label
		pg.nav = append(pg.nav, pvNavItem{label, label, ink})
	}
	pg.nav = append(pg.nav, pvNavItem{"‹ Return to application", "‹ Return", pvInkPage})

	// Upper case first: the escapes termtext writes are read as typed.
	pg.account = pvClean(strings.ToUpper(page.Consumer.Account))
	pg.user = pvClean(page.Consumer.User)
	for _, sec := range page.Sections {
		pg.sections = append(pg.sections, pvSection{pvClean(strings.ToUpper(sec.Name)) + " INTEGRATIONS", pvClean(sec.Empty)})
	}
	return pg
}

// pvClean makes text from the session single-line and safe for a
// terminal: runs of white space (line breaks and tabs included) fold to one
// space, and termtext shows what is left of control characters, bidi
// overrides and invalid UTF-8 as escapes instead of letting the terminal
// obey them. The layout cuts to width itself.
func pvClean(s string) string {
	return termtext.LineN(strings.Join(strings.Fields(s), " "), 0)
}

// pvNavIcon stands for the 20 px icon of a side-panel link.
func pvNavIcon(id string) string {
	switch id {
	case "integrations":
		return "⌂"
	case "suggestions":
		return "◎"
	}
	return "▤"
}

// Layout. Widths below are in cells; every row a helper returns is exactly
// as wide as asked.

const (
	pvWideMin        = 66 // side panel beside the main panel from this width
	pvWideMinCompact = 48
	pvSideMin        = 26
	pvSideMax        = 32
	pvSideCompact    = 20
	pvNaturalLimit   = 6 // sections shown at natural height before "+ N more"
	pvButtonWidth    = 7
	pvSearchMax      = 38
)

func (pg *pvView) body(w, h int) []pvRow {
	switch {
	case !pg.sidebar:
		return pg.mainBox(w, h)
	case w >= pvWideMin || (pg.compact && w >= pvWideMinCompact):
		sw := pg.sideWidth(w)
		side := pg.sideItems(sw)
		if h <= 0 {
			h = max(pvCount(side)+1, pg.mainNatural())
		}
		left := pvColumn(side, h, pg.blank(sw, pvInkPage))
		right := pg.mainBox(w-sw, h)
		for i := range left {
			// Rows may share their spans (blank rows do): join into a new slice.
			spans := make([]pvSpan, 0, len(left[i].spans)+len(right[i].spans))
			spans = append(append(spans, left[i].spans...), right[i].spans...)
			left[i] = pvRow{spans: spans, w: left[i].w + right[i].w}
		}
		return left
	default:
		return pg.stripBody(w, h)
	}
}

func (pg *pvView) sideWidth(w int) int {
	if pg.compact {
		return pvSideCompact
	}
	return min(max(w/4, pvSideMin), pvSideMax)
}

// sideItems is the side panel top to bottom; the flex item is the gap that
// pushes the consumer card and footer to the bottom. Priorities say what
// goes first when the box is short: padding, then card outline, then links.
func (pg *pvView) sideItems(sw int) []pvItem {
	var items []pvItem
	add := func(prio int, r pvRow) { items = append(items, pvItem{row: r, prio: prio}) }
	pad := pg.blank(sw, pvInkPage)
	if !pg.compact {
		add(1, pad)
	}
	add(9, pg.sideText(pg.title, pg.title, sw, pvInkPageBold))
	if !pg.compact {
		add(2, pad)
	}
	for i, n := range pg.nav {
		prio := 7
		if i == len(pg.nav)-1 {
			prio = 6
		}
		add(prio, pg.sideText(n.label, n.short, sw, n.ink))
	}
	items = append(items, pvItem{flex: true})
	if pg.compact {
		add(5, pg.cardText(pg.account, sw, pvInkMuted, false))
		add(5, pg.cardText(pg.user, sw, pvInkPanel, false))
	} else {
		add(3, pg.cardEdge("╭", "╮", sw))
		add(5, pg.cardText(pg.account, sw, pvInkMuted, true))
		add(5, pg.cardText(pg.user, sw, pvInkPanel, true))
		add(3, pg.cardEdge("╰", "╯", sw))
		add(1, pad)
	}
	add(4, pg.sideText("Powered by apideck", "Powered by apideck", sw, pvInkPage))
	add(4, pg.sideText("Terms  Privacy", "Terms  Privacy", sw, pvInkPage))
	if !pg.compact {
		add(1, pad)
	}
	return items
}

func (pg *pvView) sideText(label, short string, sw int, ink pvInk) pvRow {
	var r pvRow
	r.put(" ", 1, pvInkPage)
	if pvWidth(label) > sw-2 {
		label = short
	}
	r.fit(label, sw-2, ink)
	r.padTo(sw, pvInkPage)
	return r
}

// cardEdge and cardText draw the white consumer card, inset by one cell.
func (pg *pvView) cardEdge(left, right string, sw int) pvRow {
	var r pvRow
	r.put(" ", 1, pvInkPage)
	r.put(left+strings.Repeat("─", sw-4)+right, sw-2, pvInkEdge)
	r.put(" ", 1, pvInkPage)
	return r
}

func (pg *pvView) cardText(text string, sw int, ink pvInk, framed bool) pvRow {
	var r pvRow
	r.put(" ", 1, pvInkPage)
	if framed {
		r.put("│", 1, pvInkEdge)
	}
	r.put(" ", 1, pvInkPanel)
	inner := sw - 4
	if framed {
		inner = sw - 6
	}
	r.fit(text, inner, ink)
	if framed {
		r.padTo(sw-2, pvInkPanel)
		r.put("│", 1, pvInkEdge)
	} else {
		r.padTo(sw-1, pvInkPanel)
	}
	r.put(" ", 1, pvInkPage)
	return r
}

// stripBody is the narrow layout: title and navigation above the main
// panel, consumer and links below it.
func (pg *pvView) stripBody(w, h int) []pvRow {
	var items []pvItem
	add := func(prio int, r pvRow) { items = append(items, pvItem{row: r, prio: prio}) }

	var title pvRow
	title.put(" ", 1, pvInkPage)
	title.fit(pg.title, w-4, pvInkPageBold)
	title.padTo(w-2, pvInkPage)
	title.put("≡ ", 2, pvInkPage) // the menu button Vault shows on small screens
	add(8, title)
	for i, r := range pg.navRows(w) {
		add(6-min(i, 1), r)
	}
	items = append(items, pvItem{flex: true}) // the main panel
	add(3, pg.stripText(pg.account+" · "+pg.user, w, pvInkPage))
	footer := "Powered by apideck · Terms  Privacy"
	if pvWidth(footer) <= w-2 {
		add(4, pg.stripText(footer, w, pvInkPage))
	} else {
		add(4, pg.stripText("Powered by apideck", w, pvInkPage))
		add(2, pg.stripText("Terms  Privacy", w, pvInkPage))
	}

	mainH := pg.mainNatural()
	if h > 0 {
		// The main panel keeps at least 3 rows (or half the box), the strips
		// share the rest.
		keepMain := min(h, max(3, min(mainH, h/2)))
		keep := pvKeep(items, h-keepMain)
		mainH = h - pvKept(items, keep)
		return pvAssemble(items, keep, pg.mainBox(w, mainH))
	}
	keep := pvKeep(items, len(items))
	return pvAssemble(items, keep, pg.mainBox(w, mainH))
}

// navRows lays the navigation out as a wrapped line of items.
func (pg *pvView) navRows(w int) []pvRow {
	var rows []pvRow
	var cur pvRow
	cur.put(" ", 1, pvInkPage)
	for _, n := range pg.nav {
		label := n.label
		if pvWidth(label) > w-2 {
			label = n.short
		}
		lw := min(pvWidth(label), w-2)
		if cur.w > 1 && cur.w+2+lw > w-1 {
			cur.padTo(w, pvInkPage)
			rows = append(rows, cur)
			cur = pvRow{}
			cur.put(" ", 1, pvInkPage)
		}
		if cur.w > 1 {
			cur.put("  ", 2, pvInkPage)
		}
		cur.fit(label, w-1-cur.w, n.ink)
	}
	cur.padTo(w, pvInkPage)
	return append(rows, cur)
}

func (pg *pvView) stripText(text string, w int, ink pvInk) pvRow {
	var r pvRow
	r.put(" ", 1, pvInkPage)
	r.fit(text, w-2, ink)
	r.padTo(w, pvInkPage)
	return r
}

// mainBox is the white main panel with a rounded outline; h <= 0 means its
// natural height.
func (pg *pvView) mainBox(mw, h int) []pvRow {
	if h <= 0 {
		h = pg.mainNatural()
	}
	iw := mw - 4
	framed := h >= 3
	ih := h
	if framed {
		ih = h - 2
	}
	rows := make([]pvRow, 0, h)
	if framed {
		rows = append(rows, pg.edge("╭", "╮", mw))
	}
	for _, in := range pg.mainInner(iw, ih) {
		var r pvRow
		r.spans = make([]pvSpan, 0, len(in.spans)+4)
		r.put("│", 1, pvInkEdge)
		r.put(" ", 1, pvInkPanel)
		r.spans = append(r.spans, in.spans...)
		r.w += in.w
		r.put(" ", 1, pvInkPanel)
		r.put("│", 1, pvInkEdge)
		rows = append(rows, r)
	}
	if framed {
		rows = append(rows, pg.edge("╰", "╯", mw))
	}
	return rows
}

func (pg *pvView) edge(left, right string, w int) pvRow {
	var r pvRow
	r.put(left+strings.Repeat("─", w-2)+right, w, pvInkEdge)
	return r
}

// mainFixed is the part of the main panel above the sections.
func (pg *pvView) mainFixed(iw int) []pvItem {
	var heading pvRow
	heading.fit("Manage your integrations", iw, pvInkPanelBold)
	heading.padTo(iw, pvInkPanel)
	if pg.compact {
		return []pvItem{{row: heading, prio: 9}}
	}
	pad := pg.blank(iw, pvInkPanel)
	sw := min(iw, pvSearchMax)
	var top, mid, bot pvRow
	top.put("╭"+strings.Repeat("─", sw-2)+"╮", sw, pvInkField)
	top.padTo(iw, pvInkPanel)
	mid.put("│", 1, pvInkField)
	mid.put(" ", 1, pvInkPanel)
	mid.fit("Search integrations", sw-4, pvInkFieldText)
	mid.padTo(sw-1, pvInkPanel)
	mid.put("│", 1, pvInkField)
	mid.padTo(iw, pvInkPanel)
	bot.put("╰"+strings.Repeat("─", sw-2)+"╯", sw, pvInkField)
	bot.padTo(iw, pvInkPanel)
	return []pvItem{
		{row: pad, prio: 1}, {row: heading, prio: 9}, {row: pad, prio: 2},
		{row: top, prio: 3}, {row: mid, prio: 5}, {row: bot, prio: 3}, {row: pad, prio: 2},
	}
}

func (pg *pvView) mainNatural() int {
	fixed := 7
	if pg.compact {
		fixed = 1
	}
	k, full := pg.pickSections(0, true)
	return 2 + fixed + pvSectionHeight(k, len(pg.sections), full)
}

// mainInner is the content of the main panel, exactly ih rows of iw cells.
// The heading and search box shrink first to leave room for one section;
// then as many sections as fit are listed, the rest summed up as "+ N more".
func (pg *pvView) mainInner(iw, ih int) []pvRow {
	fixed := pg.mainFixed(iw)
	n := len(pg.sections)
	full := !pg.compact
	want := pvSectionHeight(min(n, 1), n, full)
	budget := min(len(fixed), max(1, ih-want))
	keep := pvKeep(fixed, budget)
	rows := make([]pvRow, 0, ih)
	for i, it := range fixed {
		if keep[i] {
			rows = append(rows, it.row)
		}
	}
	if len(rows) > ih {
		rows = rows[:ih]
	}
	k, full := pg.pickSections(ih-len(rows), false)
	rows = append(rows, pg.sectionRows(iw, k, full, ih-len(rows))...)
	pad := pg.blank(iw, pvInkPanel)
	for len(rows) < ih {
		rows = append(rows, pad)
	}
	return rows
}

// pickSections chooses how many sections to list and whether each gets its
// "No ... integrations added yet." row, for avail rows (or the natural
// height when natural is set).
func (pg *pvView) pickSections(avail int, natural bool) (k int, full bool) {
	n := len(pg.sections)
	full = !pg.compact
	if natural {
		if n > pvNaturalLimit {
			return pvNaturalLimit - 1, full
		}
		return n, full
	}
	// Full sections first; when not even one fits, headers only.
	shapes := []bool{full}
	if full {
		shapes = append(shapes, false)
	}
	for _, f := range shapes {
		for k := n; k > 0; k-- {
			if pvSectionHeight(k, n, f) <= avail {
				return k, f
			}
		}
	}
	return 0, full
}

// pvSectionHeight is the rows k sections out of n take, with a blank row
// between full sections and a "+ N more" row when k < n.
func pvSectionHeight(k, n int, full bool) int {
	h := k
	if full && k > 0 {
		h = 3*k - 1
	}
	if k < n {
		h++
		if full && k > 0 {
			h++
		}
	}
	return h
}

func (pg *pvView) sectionRows(iw, k int, full bool, limit int) []pvRow {
	n := len(pg.sections)
	rows := make([]pvRow, 0, pvSectionHeight(k, n, full))
	pad := pg.blank(iw, pvInkPanel)
	for i, sec := range pg.sections[:k] {
		if full && i > 0 {
			rows = append(rows, pad)
		}
		var head pvRow
		head.fit(sec.heading, iw-pvButtonWidth-1, pvInkMutedBold)
		head.padTo(iw-pvButtonWidth, pvInkPanel)
		if pg.ascii {
			head.put("[+ Add]", pvButtonWidth, pvInkButton)
		} else {
			head.put(" + Add ", pvButtonWidth, pvInkButton)
		}
		rows = append(rows, head)
		if full {
			var empty pvRow
			empty.fit(sec.empty, iw, pvInkMuted)
			empty.padTo(iw, pvInkPanel)
			rows = append(rows, empty)
		}
	}
	if k < n && len(rows) < limit {
		if full && k > 0 {
			rows = append(rows, pad)
		}
		var more pvRow
		more.fit(fmt.Sprintf("+ %d more", n-k), iw, pvInkMuted)
		more.padTo(iw, pvInkPanel)
		rows = append(rows, more)
	}
	if len(rows) > limit {
		rows = rows[:limit]
	}
	return rows
}

func (pg *pvView) topBar(w int) pvRow {
	var r pvRow
	r.put(strings.Repeat("▀", w), w, pvInkBar)
	return r
}

func (pg *pvView) banner(w int) pvRow {
	text, tw := pvTruncate("You are currently in Sandbox mode.", w)
	var r pvRow
	r.padTo((w-tw)/2, pvInkBanner)
	r.put(text, tw, pvInkBanner)
	r.padTo(w, pvInkBanner)
	return r
}

func (pg *pvView) noteRow(w int) pvRow {
	var r pvRow
	// Grey on white, like the page's own small print, rather than the
	// terminal's colours.
	r.fit(pg.note, w, pvInkMuted)
	r.padTo(w, pvInkMuted)
	return r
}

func (pg *pvView) blank(w int, ink pvInk) pvRow {
	var r pvRow
	r.padTo(w, ink)
	return r
}

// write turns rows into text, one escape sequence per run of cells that
// share an ink.
func (pg *pvView) write(rows []pvRow) string {
	size := len(rows) // the newlines; then an upper bound for the runs
	for _, r := range rows {
		for _, sp := range r.spans {
			size += len(sp.text) + len(pg.sgr[sp.ink]) + len(pvResetSGR)
		}
	}
	var b strings.Builder
	b.Grow(size)
	for i, r := range rows {
		if i > 0 {
			b.WriteByte('\n')
		}
		for j := 0; j < len(r.spans); {
			on := pg.sgr[r.spans[j].ink]
			b.WriteString(on)
			for ; j < len(r.spans) && pg.sgr[r.spans[j].ink] == on; j++ {
				b.WriteString(r.spans[j].text)
			}
			if on != "" {
				b.WriteString(pvResetSGR)
			}
		}
	}
	return b.String()
}
