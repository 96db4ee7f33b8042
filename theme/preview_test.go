package theme

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/apideck-samples/vault-session/model"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

var updatePreviewGoldens = flag.Bool("update", false, "rewrite the preview golden files in testdata/preview")

// Sessions the goldens and fact tests draw.
func sessionDefault() model.Session { return model.Session{} }

func sessionDark() model.Session {
	s := model.Session{
		ConsumerMetadata: model.ConsumerMetadata{AccountName: "Acme Inc", UserName: "Jane Doe"},
		Theme:            model.Theme{VaultName: "Acme"},
	}
	p, _ := PaletteByName("Midnight")
	s.Theme = p.Apply(s.Theme)
	s.Settings.UnifiedAPIs = []string{"crm", "hris", "accounting"}
	s.Settings.ShowSuggestions = model.Bool(true)
	return s
}

func sessionSandbox() model.Session {
	s := model.Session{}
	s.Settings.SandboxMode = model.Bool(true)
	s.Settings.UnifiedAPIs = []string{"crm"}
	return s
}

func sessionNoSidebar() model.Session {
	s := model.Session{}
	s.Settings.ShowSidebar = model.Bool(false)
	s.Settings.UnifiedAPIs = []string{"crm", "file-storage"}
	s.Theme.PrimaryColor = "#0369a1"
	return s
}

func sessionIsolation() model.Session {
	s := model.Session{ConsumerMetadata: model.ConsumerMetadata{AccountName: "Globex", UserName: "Hank Scorpio"}}
	s.Settings.IsolationMode = model.Bool(true)
	s.Settings.ShowSuggestions = model.Bool(true)
	s.Settings.UnifiedAPIs = []string{"ats"}
	return s
}

func sessionEverything() model.Session {
	s := sessionDark()
	s.Theme.Logo = "https://acme.example/logo.png"
	s.Settings.SandboxMode = model.Bool(true)
	s.Settings.ShowLogs = model.Bool(false)
	s.Settings.UnifiedAPIs = []string{"crm", "customer-support", "transactional-email", "project-management", "hris"}
	return s
}

func TestPreviewGoldens(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		session model.Session
		opt     PreviewOptions
		ansi    bool // also keep a golden with the colour sequences
	}{
		{"default", sessionDefault(), PreviewOptions{Width: 100, Height: 28}, true},
		{"dark_sidepanel", sessionDark(), PreviewOptions{Width: 100, Height: 28}, true},
		{"sandbox", sessionSandbox(), PreviewOptions{Width: 100, Height: 24}, false},
		{"sidebar_off", sessionNoSidebar(), PreviewOptions{Width: 100, Height: 24}, false},
		{"isolation", sessionIsolation(), PreviewOptions{Width: 100, Height: 24}, false},
		{"narrow", sessionDark(), PreviewOptions{Width: 60, Height: 24}, false},
		{"compact", sessionEverything(), PreviewOptions{Width: 60, Height: 14, Compact: true}, false},
		{"natural_height", sessionEverything(), PreviewOptions{Width: 90}, false},
		{"no_color", sessionSandbox(), PreviewOptions{Width: 80, Height: 20, Profile: termenv.Ascii}, false},
		{"ansi256", sessionDark(), PreviewOptions{Width: 80, Height: 20, Profile: termenv.ANSI256}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := RenderPreview(tt.session, tt.opt)
			checkBox(t, out, tt.opt)
			checkGolden(t, "preview_"+tt.name+".golden", stripSGR(out))
			if tt.ansi {
				checkGolden(t, "preview_"+tt.name+".ansi.golden", out)
			}
		})
	}
}

// Facts about what the page shows, read from the text of the preview.
func TestPreviewShowsWhatSettingsAllow(t *testing.T) {
	t.Parallel()
	with := func(edit func(*model.Session)) model.Session {
		s := model.Session{}
		edit(&s)
		return s
	}
	tests := []struct {
		name      string
		session   model.Session
		present   []string
		absent    []string
		wantWidth int
	}{
		{
			name:    "defaults",
			session: model.Session{},
			present: []string{"Apideck Vault", "Integrations", "Logs", "‹ Return to application", "ACCOUNT NAME", "User name",
				"Powered by apideck", "Terms", "Privacy", "Manage your integrations", "Search integrations",
				"ACCOUNTING INTEGRATIONS", "No accounting integrations added yet.", "+ Add", "more"},
			absent: []string{"Suggestions", "Sandbox", "[logo]", "approximated"},
		},
		{
			name:    "logs off",
			session: with(func(s *model.Session) { s.Settings.ShowLogs = model.Bool(false) }),
			present: []string{"Integrations"},
			absent:  []string{"Logs"},
		},
		{
			name:    "suggestions on",
			session: with(func(s *model.Session) { s.Settings.ShowSuggestions = model.Bool(true) }),
			present: []string{"Suggestions", "Logs"},
		},
		{
			name: "isolation hides the navigation but keeps the way back",
			session: with(func(s *model.Session) {
				s.Settings.IsolationMode = model.Bool(true)
				s.Settings.ShowSuggestions = model.Bool(true)
			}),
			present: []string{"‹ Return to application", "Apideck Vault"},
			absent:  []string{"⌂ Integrations", "Suggestions", "Logs"},
		},
		{
			name:    "sandbox banner",
			session: with(func(s *model.Session) { s.Settings.SandboxMode = model.Bool(true) }),
			present: []string{"You are currently in Sandbox mode."},
		},
		{
			name:    "sandbox off says nothing",
			session: with(func(s *model.Session) { s.Settings.SandboxMode = model.Bool(false) }),
			absent:  []string{"Sandbox"},
		},
		{
			name:    "no sidebar",
			session: with(func(s *model.Session) { s.Settings.ShowSidebar = model.Bool(false) }),
			present: []string{"Manage your integrations", "+ Add"},
			absent:  []string{"Apideck Vault", "Return to application", "Powered by", "ACCOUNT NAME", "Terms"},
		},
		{
			name: "theme and consumer",
			session: with(func(s *model.Session) {
				s.Theme.VaultName = "Acme"
				s.ConsumerMetadata = model.ConsumerMetadata{AccountName: "Acme Inc", UserName: "Jane Doe"}
			}),
			present: []string{"Acme Vault", "ACME INC", "Jane Doe"},
			absent:  []string{"Apideck Vault", "ACCOUNT NAME", "User name"},
		},
		{
			name:    "logo replaces the title",
			session: with(func(s *model.Session) { s.Theme.Logo = "https://acme.example/l.png"; s.Theme.VaultName = "Acme" }),
			present: []string{"[logo]"},
			absent:  []string{"Acme Vault"},
		},
		{
			name:    "selected APIs only, in the order given",
			session: with(func(s *model.Session) { s.Settings.UnifiedAPIs = []string{"hris", "crm", "hris"} }),
			present: []string{"HRIS INTEGRATIONS", "No HRIS integrations added yet.", "CRM INTEGRATIONS"},
			absent:  []string{"ACCOUNTING", "more"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requirePreviewTexts(t, tt.session, tt.present, tt.absent)
		})
	}
}

// requirePreviewTexts checks that the preview of s, 110 by 40, shows every
// text of present and none of absent.
func requirePreviewTexts(t *testing.T, s model.Session, present, absent []string) {
	t.Helper()
	out := stripSGR(RenderPreview(s, PreviewOptions{Width: 110, Height: 40}))
	for _, p := range present {
		if !strings.Contains(out, p) {
			t.Errorf("preview lacks %q:\n%s", p, out)
		}
	}
	for _, a := range absent {
		if strings.Contains(out, a) {
			t.Errorf("preview shows %q:\n%s", a, out)
		}
	}
}

func TestPreviewSectionOrderAndMore(t *testing.T) {
	t.Parallel()
	s := model.Session{}
	s.Settings.UnifiedAPIs = []string{"hris", "crm", "hris"}
	out := stripSGR(RenderPreview(s, PreviewOptions{Width: 100}))
	if strings.Count(out, "HRIS INTEGRATIONS") != 1 {
		t.Errorf("a repeated API is listed twice:\n%s", out)
	}
	if strings.Index(out, "HRIS INTEGRATIONS") > strings.Index(out, "CRM INTEGRATIONS") {
		t.Errorf("sections are not in the order given:\n%s", out)
	}
	// None selected means all 28: a natural-height preview lists 5 and sums up the rest.
	all := stripSGR(RenderPreview(model.Session{}, PreviewOptions{Width: 100}))
	if got := strings.Count(all, "+ Add"); got != pvNaturalLimit-1 {
		t.Errorf("natural height lists %d sections, want %d", got, pvNaturalLimit-1)
	}
	if want := fmt.Sprintf("+ %d more", len(model.UnifiedAPIs())-(pvNaturalLimit-1)); !strings.Contains(all, want) {
		t.Errorf("preview lacks %q:\n%s", want, all)
	}
	// A tall box lists more, and the count still adds up.
	tall := stripSGR(RenderPreview(model.Session{}, PreviewOptions{Width: 100, Height: 60}))
	shown := strings.Count(tall, "+ Add")
	if shown <= pvNaturalLimit || !strings.Contains(tall, fmt.Sprintf("+ %d more", len(model.UnifiedAPIs())-shown)) {
		t.Errorf("60-line preview shows %d sections without a matching \"more\" line:\n%s", shown, tall)
	}
}

// The colours of the page reach the terminal as true-colour sequences.
func TestPreviewColours(t *testing.T) {
	t.Parallel()
	rgb := func(plane int, hex string) string {
		r, g, b, _ := model.RGB(hex)
		return fmt.Sprintf("%d;2;%d;%d;%d", plane, r, g, b)
	}
	out := RenderPreview(model.Session{}, PreviewOptions{Width: 100, Height: 24})
	for name, seq := range map[string]string{
		"top bar in Vault's default primary":   rgb(38, DefaultPrimaryColor),
		"buttons in Vault's default button":    "1;" + rgb(38, "#ffffff") + ";" + rgb(48, DefaultButtonColor),
		"side panel text on its background":    rgb(38, DefaultSidepanelTextColor) + ";" + rgb(48, DefaultSidepanelBackgroundColor),
		"main panel is white":                  rgb(48, "#ffffff"),
		"side panel background fills the page": rgb(48, DefaultSidepanelBackgroundColor),
	} {
		if !strings.Contains(out, seq) {
			t.Errorf("%s: no %q in the preview", name, seq)
		}
	}

	s := model.Session{Theme: model.Theme{PrimaryColor: "red", SidepanelBackgroundColor: "#111827", SidepanelTextColor: "#fff"}}
	s.Settings.SandboxMode = model.Bool(true)
	out = RenderPreview(s, PreviewOptions{Width: 100, Height: 24})
	for name, seq := range map[string]string{
		"top bar":      rgb(38, "#ff0000") + ";" + rgb(48, "#111827"),
		"button":       rgb(38, "#ffffff") + ";" + rgb(48, "#ff0000"),
		"side panel":   rgb(38, "#ffffff") + ";" + rgb(48, "#111827"),
		"sandbox band": rgb(38, "#a16207") + ";" + rgb(48, "#fef9c3"),
	} {
		if !strings.Contains(out, seq) {
			t.Errorf("%s: no %q in the preview", name, seq)
		}
	}
	if strings.Contains(out, rgb(48, DefaultSidepanelBackgroundColor)) {
		t.Error("the default side panel colour is still drawn")
	}
}

func TestPreviewProfiles(t *testing.T) {
	t.Parallel()
	s := sessionDark()
	opt := PreviewOptions{Width: 90, Height: 22}
	if trueColor := RenderPreview(s, opt); strings.Contains(trueColor, "approximated") || strings.Contains(trueColor, NoteNoColor) {
		t.Error("true colour preview carries a note")
	}

	opt.Profile = termenv.ANSI256
	out := RenderPreview(s, opt)
	if !strings.Contains(out, NoteApproximated) || strings.Contains(out, ";2;") || !strings.Contains(out, "38;5;") {
		t.Errorf("ANSI256 preview: note or 256-colour sequences missing, or true colour left:\n%q", out)
	}
	checkBox(t, out, opt)

	opt.Profile = termenv.ANSI
	out = RenderPreview(s, opt)
	if !strings.Contains(out, NoteApproximated) || strings.Contains(out, ";2;") || strings.Contains(out, ";5;") {
		t.Errorf("ANSI preview: note missing or richer sequences left:\n%q", out)
	}
	checkBox(t, out, opt)

	// NO_COLOR: no escape codes at all, and the same layout as in colour,
	// one line shorter for the note.
	opt.Profile = termenv.Ascii
	out = RenderPreview(s, opt)
	if strings.ContainsRune(out, '\x1b') {
		t.Fatalf("Ascii preview has escape codes: %q", out)
	}
	checkBox(t, out, opt)
	plain := strings.Split(out, "\n")
	colour := strings.Split(stripSGR(RenderPreview(s, PreviewOptions{Width: opt.Width, Height: opt.Height - 1})), "\n")
	if last := plain[len(plain)-1]; !strings.Contains(last, NoteNoColor) {
		t.Errorf("last line %q lacks the no-colour note", last)
	}
	for i, line := range colour {
		if want := strings.ReplaceAll(line, " + Add ", "[+ Add]"); plain[i] != want {
			t.Errorf("line %d differs:\nascii  %q\ncolour %q", i, plain[i], want)
		}
	}
}

// The preview never leaves its box, whatever the box. Each variant's
// view is worked out once and drawn at every size: RenderPreview is
// newPVView then render, and what newPVView works out does not depend on
// the size, so every box is still drawn by the code RenderPreview runs
// (a sample of sizes checks the two agree, which also shows that drawing
// leaves the view unchanged).
func TestPreviewFitsEveryBox(t *testing.T) {
	t.Parallel()
	variants := []struct {
		s       model.Session
		compact bool
		profile termenv.Profile
	}{
		{sessionDefault(), false, termenv.TrueColor},
		{sessionEverything(), false, termenv.ANSI256},
		{sessionDark(), true, termenv.TrueColor},
		{sessionNoSidebar(), false, termenv.Ascii},
		{sessionIsolation(), true, termenv.ANSI},
		{sessionEverything(), true, termenv.Ascii},
	}
	views := make([]*pvView, len(variants))
	for i, v := range variants {
		views[i] = newPVView(v.s, PreviewOptions{Compact: v.compact, Profile: v.profile})
	}
	step := 1
	if testing.Short() {
		step = 3
	}
	for w := 20; w <= 200; w += step {
		for h := 4; h <= 60; h += step {
			if h == 4 {
				h = 0 // natural height too
			}
			i := (w*7 + h) % len(variants)
			v := variants[i]
			opt := PreviewOptions{Width: w, Height: h, Compact: v.compact, Profile: v.profile}
			out := views[i].render(w, h)
			checkBox(t, out, opt)
			if (w+h)%37 == 0 && RenderPreview(v.s, opt) != out {
				t.Fatalf("%dx%d: RenderPreview and the view drawn at many sizes differ", w, h)
			}
			if h == 0 {
				h = 4
			}
			if t.Failed() {
				t.Fatalf("stopped at %dx%d", w, h)
			}
		}
	}
}

func TestPreviewTooSmall(t *testing.T) {
	t.Parallel()
	for _, opt := range []PreviewOptions{{Width: 23, Height: 30}, {Width: 80, Height: 5}, {Width: 10, Height: 1}, {Width: 3}} {
		out := RenderPreview(sessionDefault(), opt)
		if strings.Contains(out, "\n") || lipgloss.Width(out) > opt.Width {
			t.Errorf("%dx%d: want one line of at most %d cells, got %q", opt.Width, opt.Height, opt.Width, out)
		}
		if opt.Width >= 10 && !strings.HasPrefix(out, "preview n") {
			t.Errorf("%dx%d: note = %q", opt.Width, opt.Height, out)
		}
	}
	if out := RenderPreview(sessionDefault(), PreviewOptions{Width: 80, Height: 5}); out != "preview needs at least 24x6" {
		t.Errorf("note = %q", out)
	}
	if out := RenderPreview(sessionDefault(), PreviewOptions{}); lipgloss.Width(strings.Split(out, "\n")[0]) != DefaultPreviewWidth {
		t.Errorf("zero width does not default to %d", DefaultPreviewWidth)
	}
}

// Text from a session file cannot take over the terminal or break the layout.
func TestPreviewCleansSessionText(t *testing.T) {
	t.Parallel()
	s := model.Session{
		Theme:            model.Theme{VaultName: "Evil\x1b]0;owned\x07\x1b[2J\nName\u202e"},
		ConsumerMetadata: model.ConsumerMetadata{AccountName: "line\none\ttab", UserName: "\x9b31mred"},
	}
	s.Settings.UnifiedAPIs = []string{"crm\x1b[5m"}
	for _, p := range []termenv.Profile{termenv.TrueColor, termenv.Ascii} {
		opt := PreviewOptions{Width: 100, Height: 24, Profile: p}
		out := RenderPreview(s, opt)
		checkBox(t, out, opt)
		rest := stripSGR(out)
		for _, bad := range []string{"\x1b", "\x07", "\u202e", "\x9b", "\t"} {
			if strings.Contains(rest, bad) {
				t.Errorf("profile %v: %q reached the output", p, bad)
			}
		}
		for _, want := range []string{`Evil\x1b]0;owned\x07`, "LINE ONE TAB", `\x9b31mred`, `CRM\x1b[5M INTEGRATIONS`} {
			if !strings.Contains(rest, want) {
				t.Errorf("profile %v: cleaned text %q missing:\n%s", p, want, rest)
			}
		}
	}
}

// The preview is decided by its arguments, not by the environment.
func TestPreviewIgnoresTheEnvironment(t *testing.T) {
	opt := PreviewOptions{Width: 80, Height: 20}
	before := RenderPreview(sessionDark(), opt)
	t.Setenv("NO_COLOR", "1")
	t.Setenv("TERM", "dumb")
	t.Setenv("COLORTERM", "")
	if after := RenderPreview(sessionDark(), opt); after != before {
		t.Error("the environment changed the rendering")
	}
}

func TestPreviewWideText(t *testing.T) {
	t.Parallel()
	s := model.Session{Theme: model.Theme{VaultName: "東京アプリケーション統合センター"}, ConsumerMetadata: model.ConsumerMetadata{AccountName: "株式会社テスト株式会社テスト", UserName: "👩‍💻 Jane"}}
	for _, w := range []int{24, 40, 66, 80, 120} {
		opt := PreviewOptions{Width: w, Height: 20}
		out := RenderPreview(s, opt)
		checkBox(t, out, opt)
		if !strings.Contains(stripSGR(out), "東京") {
			t.Errorf("width %d: the vault name is gone:\n%s", w, stripSGR(out))
		}
	}
}

func FuzzRenderPreview(f *testing.F) {
	f.Add("Acme", "Acme Inc", "Jane", "crm", 80, 24, uint8(0))
	f.Add("東京", "株式会社", "👩‍💻", "hris", 24, 6, uint8(255))
	f.Add("\x1b[31m", "\n\n", "\t", "", 200, 0, uint8(0x2a))
	f.Add("", "", "", "file-storage", 61, 9, uint8(0x11))
	f.Fuzz(func(t *testing.T, name, account, user, api string, w, h int, flags uint8) {
		if w < 1 || w > 400 || h < 0 || h > 200 {
			return
		}
		s := model.Session{
			Theme:            model.Theme{VaultName: name},
			ConsumerMetadata: model.ConsumerMetadata{AccountName: account, UserName: user},
		}
		s.Settings.UnifiedAPIs = []string{api}
		s.Settings.SandboxMode = model.Bool(flags&1 != 0)
		s.Settings.IsolationMode = model.Bool(flags&2 != 0)
		s.Settings.ShowSidebar = model.Bool(flags&4 == 0)
		s.Settings.ShowSuggestions = model.Bool(flags&8 != 0)
		if flags&16 != 0 {
			s.Theme.Logo = "x"
		}
		opt := PreviewOptions{Width: w, Height: h, Compact: flags&32 != 0, Profile: termenv.Profile(flags >> 6)}
		out := RenderPreview(s, opt)
		checkBox(t, out, opt)
		if strings.ContainsAny(stripSGR(out), "\x1b\x07\r\t") {
			t.Fatalf("control characters in %q", out)
		}
	})
}

func BenchmarkRenderPreview(b *testing.B) {
	s := sessionDark()
	s.Settings.UnifiedAPIs = nil // all 28 APIs: the most sections
	opt := PreviewOptions{Width: 120, Height: 40}
	b.ReportAllocs()
	for b.Loop() {
		RenderPreview(s, opt)
	}
}

func BenchmarkRenderPreviewCompact(b *testing.B) {
	opt := PreviewOptions{Width: 60, Height: 14, Compact: true}
	s := sessionEverything()
	b.ReportAllocs()
	for b.Loop() {
		RenderPreview(s, opt)
	}
}

func BenchmarkContrastReport(b *testing.B) {
	t := model.Theme{PrimaryColor: "#9d92f5", SidepanelTextColor: "#a0aec0"} // both fail: suggestions searched
	b.ReportAllocs()
	for b.Loop() {
		ContrastReport(t)
	}
}

// checkBox asserts the preview fills its box: every line exactly Width
// cells and exactly Height lines (when set), or the one-line size note.
func checkBox(t testing.TB, out string, opt PreviewOptions) {
	t.Helper()
	w := opt.Width
	if w <= 0 {
		w = DefaultPreviewWidth
	}
	lines := strings.Split(out, "\n")
	if w < MinPreviewWidth || (opt.Height > 0 && opt.Height < MinPreviewHeight) {
		if len(lines) != 1 || lipgloss.Width(out) > w {
			t.Errorf("%dx%d: want the one-line size note, got %q", w, opt.Height, out)
		}
		return
	}
	if opt.Height > 0 && len(lines) != opt.Height {
		t.Errorf("%dx%d: %d lines", w, opt.Height, len(lines))
	}
	for i, l := range lines {
		if got := previewWidth(l); got != w {
			t.Errorf("%dx%d: line %d is %d cells: %q", w, opt.Height, i, got, stripSGR(l))
		}
	}
}

// pvOneCell are the characters the preview draws its outlines, icons and
// cuts with, each one cell wide and a grapheme cluster of its own
// (TestPreviewWidthIsLipglossWidth checks both).
const pvOneCell = "─│╭╮╰╯▀⌂◎▤‹…≡·"

// previewWidth is lipgloss.Width for a line of the preview, counted
// without the grapheme walk when it cannot change the answer: a line of
// CSI sequences, printable ASCII and pvOneCell has one cell per character.
// Any other line (wide text, combining marks, a stray escape) is measured
// by lipgloss. The size sweeps measure tens of thousands of lines.
func previewWidth(line string) int {
	n := 0
	for i := 0; i < len(line); {
		c := line[i]
		switch {
		case c == '\x1b' && i+1 < len(line) && line[i+1] == '[':
			j := i + 2
			for j < len(line) && line[j] >= 0x20 && line[j] <= 0x3f {
				j++ // parameter and intermediate bytes
			}
			if j == len(line) || line[j] < 0x40 || line[j] > 0x7e {
				return lipgloss.Width(line)
			}
			i = j + 1
		case c >= 0x20 && c < 0x7f:
			n++
			i++
		default:
			r, size := utf8.DecodeRuneInString(line[i:])
			if !strings.ContainsRune(pvOneCell, r) {
				return lipgloss.Width(line)
			}
			n++
			i += size
		}
	}
	return n
}

func TestPreviewWidthIsLipglossWidth(t *testing.T) {
	t.Parallel()
	for _, r := range pvOneCell {
		if w := lipgloss.Width(string(r)); w != 1 {
			t.Errorf("%q is %d cells to lipgloss", r, w)
		}
		if g, _ := ansi.FirstGraphemeCluster(string(r)+string(r), ansi.GraphemeWidth); g != string(r) {
			t.Errorf("%q joins the next character in a grapheme cluster", r)
		}
	}
	for _, line := range []string{
		"", "plain", "\x1b[1;38;2;1;2;3;48;5;7m╭──╮\x1b[0m x ·‹…≡",
		"東京 wide", "e\u0301 combining", "👩‍💻 joined", "\x1b]0;title\x07 osc", "\x1b[31", "tab\there", "\x1b[3\x00m",
		RenderPreview(sessionEverything(), PreviewOptions{Width: 70, Height: 20, Profile: termenv.ANSI256}),
	} {
		for _, l := range strings.Split(line, "\n") {
			if got, want := previewWidth(l), lipgloss.Width(l); got != want {
				t.Errorf("previewWidth(%q) = %d, lipgloss says %d", l, got, want)
			}
		}
	}
}

// stripSGR removes CSI sequences, leaving the text a reader sees.
func stripSGR(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\x1b' && i+1 < len(s) && s[i+1] == '[' {
			j := i + 2
			for j < len(s) && (s[j] < 0x40 || s[j] > 0x7e) {
				j++
			}
			i = j
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "preview", name)
	if *updatePreviewGoldens {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./theme -run TestPreviewGoldens -update)", err)
	}
	if got+"\n" == string(want) {
		return
	}
	g, w := strings.Split(got, "\n"), strings.Split(strings.TrimSuffix(string(want), "\n"), "\n")
	for i := 0; i < max(len(g), len(w)); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			t.Errorf("%s differs from line %d:\ngot  %q\nwant %q\n(run with -update after checking the change)", name, i+1, gl, wl)
			return
		}
	}
}

// BenchmarkRenderPreviewANSI256 is a terminal without true colour: every
// ink is approximated from the palette.
func BenchmarkRenderPreviewANSI256(b *testing.B) {
	opt := PreviewOptions{Width: 120, Height: 40, Profile: termenv.ANSI256}
	s := sessionDark()
	b.ReportAllocs()
	for b.Loop() {
		RenderPreview(s, opt)
	}
}
