package ui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/ui/clipboard"
	"github.com/apideck-samples/vault-session/ui/qrtext/qrtexttest"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

const testToken = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0b2tlbi1zZWNyZXQifQ.c2ln"

// readyToCreate is a harness on the review step of a valid request whose
// create calls answer in turn from results.
func readyToCreate(t *testing.T, results ...func(model.Request) (client.Result, error)) (*harness, *[]model.Request) {
	t.Helper()
	var sent []model.Request
	create := func(_ context.Context, _ string, req model.Request, _ bool) (client.Result, error) {
		sent = append(sent, req)
		if len(results) == 0 {
			t.Fatal("more create calls than answers")
		}
		r := results[0]
		results = results[1:]
		return r(req)
	}
	req := model.Request{AppID: "app", ConsumerID: "acme"}
	req.Session.ConsumerMetadata.AccountName = "Acme Inc"
	h := newHarness(t, testState(req, "sk_test_key"), create)
	h.w.jumpTo(stepReview, "")
	return h, &sent
}

func created(model.Request) (client.Result, error) {
	return client.Result{
		URL:       "https://vault.apideck.com/session/" + testToken,
		Token:     testToken,
		ExpiresAt: fixedNow.Add(59*time.Minute + 8*time.Second),
		// As the client reads it from a JWT's exp.
		ExpiryFromToken: true,
	}, nil
}

func TestResultShowsURLExpiryAndHidesToken(t *testing.T) {
	t.Parallel()
	h, sent := readyToCreate(t, created)
	h.press("enter")
	if len(*sent) != 1 {
		t.Fatalf("create called %d times", len(*sent))
	}
	if h.w.phase() != phaseResult {
		t.Fatalf("phase = %d", h.w.phase())
	}
	screen := h.view()
	mustContain(t, screen, "Session ready", "✓ Vault session created", "https://vault.apideck.com/session/",
		"2026-11-26 10:59:08 UTC", "(in 59m 08s)", "hidden: press t to show")
	// The token is a secret: the golden must not hold it, so it is blanked
	// in the URL, where it is part of the address.
	requireGolden(t, "result", strings.ReplaceAll(screen, testToken, "<token>"))
	if strings.Count(screen, "c2ln") != 1 {
		t.Fatal("the token is shown outside the URL before t is pressed")
	}
	h.press("t")
	mustContain(t, h.view(), "hide token")
	if strings.Count(h.view(), "c2ln") != 2 {
		t.Fatal("t did not show the token")
	}
	h.press("t")
	if strings.Count(h.view(), "c2ln") != 1 {
		t.Fatal("t did not hide the token again")
	}
}

func TestResultOpenCopyAndBrowserFailure(t *testing.T) {
	t.Parallel()
	h, _ := readyToCreate(t, created)
	url := "https://vault.apideck.com/session/" + testToken
	h.press("enter", "o")
	if len(h.opened) != 1 || h.opened[0] != url {
		t.Fatalf("opened = %v", h.opened)
	}
	mustContain(t, h.view(), "Opened with $BROWSER: test-browser.")

	// OSC 52 alone is never called copied: the terminal does not answer.
	h.press("c")
	if len(h.copied) != 1 || h.copied[0] != url {
		t.Fatalf("copied = %v", h.copied)
	}
	mustContain(t, h.view(), "The URL sent to the terminal's clipboard (OSC 52). No tool confirmed it")
	mustNotContain(t, h.view(), "copied with")

	// A tool that said yes is named.
	h.copyReport = clipboard.Report{Tool: "wl-copy", Terminal: true}
	h.press("c")
	mustContain(t, h.view(), "The URL copied with wl-copy (and sent to the terminal's clipboard).")

	// Nothing worked: say what was tried.
	h.copyReport = clipboard.Report{Failed: []string{"xclip: exit status 1"}, TerminalErr: errors.New("write: broken pipe")}
	h.press("c")
	mustContain(t, h.view(), "Could not copy the URL: the terminal did not take it (write: broken pipe). Tried: xclip: exit",
		"The URL is above, to select.")

	h.openErr = errors.New("tried $BROWSER w3m (exit status 1); the system opener (xdg-open: not found)")
	h.press("o")
	mustContain(t, h.view(), "Could not open a browser: tried $BROWSER w3m (exit status 1); the system", "https://vault.apideck.com/session/")
}

// m copies a note ready to paste to the customer.
func TestResultCopiesAMessageForTheCustomer(t *testing.T) {
	t.Parallel()
	h, _ := readyToCreate(t, func(model.Request) (client.Result, error) {
		return client.Result{URL: "https://vault.apideck.com/session/" + testToken, Token: testToken,
			ExpiresAt: time.Date(2026, 11, 27, 15, 4, 0, 0, time.UTC), ExpiryFromToken: true}, nil
	})
	h.w.st.req.Session.ConsumerMetadata.UserName = "Hank Hill"
	h.w.st.req.Session.Theme.VaultName = "Acme"
	h.w.st.req.Session.Settings.SessionLength = "1d"
	h.copyReport = clipboard.Report{Tool: "pbcopy"}
	h.press("enter", "m")
	want := "Hi Hank, here is the link to connect your tools to Acme:\n" +
		"https://vault.apideck.com/session/" + testToken + "\n" +
		"It works until Fri 27 Nov 15:04 UTC.\n"
	if len(h.copied) != 1 || h.copied[0] != want {
		t.Fatalf("copied %q\nwant   %q", h.copied, want)
	}
	mustContain(t, h.view(), "The message for Hank copied with pbcopy.")
	// With no names at all, it still reads.
	got := customerMessage(model.Request{}, "", client.Result{URL: "https://v.example/s"})
	if got != "Hi, here is the link to connect your tools:\nhttps://v.example/s\n" {
		t.Fatalf("bare message %q", got)
	}
}

// The expiry shown is the token's; when it is not the length asked for,
// the screen says so.
func TestResultSaysWhenTheAPIGaveAnotherLength(t *testing.T) {
	t.Parallel()
	issued := fixedNow
	h, _ := readyToCreate(t, func(model.Request) (client.Result, error) {
		return client.Result{URL: "https://vault.apideck.com/session/x", ExpiresAt: issued.Add(time.Hour),
			IssuedAt: issued, ExpiryFromToken: true}, nil
	})
	h.w.st.req.Session.Settings.SessionLength = "1d"
	h.press("enter")
	mustContain(t, h.view(), "2026-11-26 11:00:00 UTC", "(in 1h 00m)", "asked 1d, the API gave 1h")

	// Granted as asked: nothing to say.
	h, _ = readyToCreate(t, func(model.Request) (client.Result, error) {
		return client.Result{URL: "https://vault.apideck.com/session/x", ExpiresAt: issued.Add(24 * time.Hour),
			IssuedAt: issued, ExpiryFromToken: true}, nil
	})
	h.w.st.req.Session.Settings.SessionLength = "1d"
	h.press("enter")
	mustNotContain(t, h.view(), "asked", "the API gave")

	// A token without exp: the expiry is only the length asked for.
	h, _ = readyToCreate(t, func(model.Request) (client.Result, error) {
		return client.Result{URL: "https://vault.apideck.com/session/x", ExpiresAt: issued.Add(time.Hour)}, nil
	})
	h.press("enter")
	mustContain(t, h.view(), "the token carries no expiry: this is the 1h asked for")
}

// At every width every line of the result fits, nothing is cut with "…",
// and the URL is on lines of its own from the left edge, so joining them
// gives it back whole.
func TestResultFitsEveryWidthAndKeepsTheURLWhole(t *testing.T) {
	t.Parallel()
	long := "https://vault.apideck.com/session/" + strings.Repeat("eyJhbGciOiJIUzI1NiJ9.", 20) + "c2ln"
	h, _ := readyToCreate(t, func(model.Request) (client.Result, error) {
		return client.Result{URL: long, Token: "t", ExpiresAt: fixedNow.Add(time.Hour), ExpiryFromToken: true}, nil
	})
	h.w.st.req.Session.ConsumerMetadata.AccountName = "Acme Incorporated International Holdings of Springfield"
	h.w.st.forceDemo = true
	h.press("enter", "c")
	for _, width := range []int{40, 41, 55, 60, 80, 100, 120, 159, 160, 161, 200, 250} {
		h.send(tea.WindowSizeMsg{Width: width, Height: 80})
		screen := h.view()
		var url strings.Builder
		for _, l := range strings.Split(screen, "\n") {
			if w := lipgloss.Width(l); w > width {
				t.Errorf("width %d: line of %d cells: %q", width, w, l)
			}
			if strings.HasPrefix(l, "https://") || url.Len() > 0 && url.Len() < len(long) {
				url.WriteString(l)
			}
		}
		// The help line (the last) is the wizard's own, cut when narrow.
		body := screen[:strings.LastIndex(screen, "\n")]
		if strings.Contains(body, "…") {
			t.Errorf("width %d: something is cut:\n%s", width, screen)
		}
		if url.String() != long {
			t.Errorf("width %d: the URL lines join to\n%q, want\n%q", width, url.String(), long)
		}
		mustContain(t, strings.Join(strings.Fields(screen), " "),
			"DEMO made by the built-in demo API, not Apideck: its page is served only while vault-session runs",
			"Acme Incorporated International Holdings of Springfield", "No tool confirmed it")
	}
}

// With colour, every URL line is one OSC 8 hyperlink to the whole URL.
func TestResultURLIsAHyperlink(t *testing.T) {
	t.Parallel()
	st := testState(model.Request{}, "")
	st.profile = termenv.ANSI256
	url := "https://vault.apideck.com/session/" + strings.Repeat("x", 150)
	lines := strings.Split(urlLines(&st, url, 80), "\n")
	if len(lines) != 3 || ansi.Strip(strings.Join(lines, "")) != url {
		t.Fatalf("%d lines: %q", len(lines), lines)
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "\x1b]8;id=vault-session-url;"+url+"\x07") || !strings.HasSuffix(l, "\x1b]8;;\x07") {
			t.Errorf("line is not a hyperlink to the URL: %q", l)
		}
	}
	// Without colour (and in the goldens), plain text.
	st.profile = termenv.Ascii
	if got := urlLines(&st, url, 200); got != url {
		t.Fatalf("plain: %q", got)
	}
}

func TestResultCountdownAndExpiry(t *testing.T) {
	t.Parallel()
	h, _ := readyToCreate(t, created)
	h.press("enter")
	now := fixedNow
	screenOf[*resultView](h.w).now = func() time.Time { return now }
	now = now.Add(30 * time.Minute)
	h.send(countdownMsg{})
	mustContain(t, h.view(), "(in 29m 08s)")
	now = now.Add(time.Hour)
	h.send(countdownMsg{})
	mustContain(t, h.view(), "(expired)")
}

func TestNextConsumerKeepsThemeAndSettings(t *testing.T) {
	t.Parallel()
	h, sent := readyToCreate(t, created, created)
	h.w.st.req.Session.Theme.PrimaryColor = "#286efa"
	h.w.st.req.Session.Settings.SandboxMode = model.Bool(true)
	h.press("enter", "n")
	if h.w.current != stepCredentials || h.w.phase() != phaseEditing {
		t.Fatalf("n went to step %d phase %d", h.w.current, h.w.phase())
	}
	if h.w.st.req.ConsumerID != "" || h.w.st.req.Session.ConsumerMetadata.AccountName != "" {
		t.Fatalf("consumer kept: %+v", h.w.st.req)
	}
	// The focus is on the consumer id: type the next one and go to review.
	h.typeText("globex")
	h.press("enter")
	h.w.jumpTo(stepReview, "")
	h.press("enter")
	if len(*sent) != 2 {
		t.Fatalf("create called %d times", len(*sent))
	}
	second := (*sent)[1]
	if second.ConsumerID != "globex" || second.Session.Theme.PrimaryColor != "#286efa" ||
		second.Session.Settings.SandboxMode == nil || !*second.Session.Settings.SandboxMode {
		t.Fatalf("second request = %+v", second)
	}
}

func TestQuitFromResult(t *testing.T) {
	t.Parallel()
	h, _ := readyToCreate(t, created)
	h.press("enter", "q")
	if !h.quit || h.w.outcome.Interrupted || len(h.w.outcome.Sessions) != 1 {
		t.Fatalf("quit=%v outcome=%+v", h.quit, h.w.outcome)
	}
}

func TestCtrlCLeavesAtOnceFromAnyStep(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testState(model.Request{}, ""), nil)
	h.typeText("abc")
	h.press("ctrl+c")
	if !h.quit || !h.w.outcome.Interrupted {
		t.Fatalf("quit=%v interrupted=%v", h.quit, h.w.outcome.Interrupted)
	}
}

// On a small terminal the page scrolls, so every line of a long URL can be
// seen (and selected).
func TestResultScrollsOnSmallScreens(t *testing.T) {
	t.Parallel()
	long := "https://vault.apideck.com/session/" + strings.Repeat("eyJhbGciOiJIUzI1NiJ9.", 20) + "c2ln"
	h, _ := readyToCreate(t, func(model.Request) (client.Result, error) {
		return client.Result{URL: long, Token: "t", ExpiresAt: fixedNow.Add(time.Hour), ExpiryFromToken: true}, nil
	})
	h.press("enter")
	h.send(tea.WindowSizeMsg{Width: 40, Height: 14})
	top := h.view()
	mustContain(t, top, "✓ Vault session created", "more")
	if b := h.w.bindings(); b[len(b)-1].Help().Key != "↑↓ pgup/dn home/end" {
		t.Errorf("the scrolling keys are not offered: %v", b)
	}
	mustNotContain(t, top, "n starts a session")
	h.press("end")
	mustContain(t, h.view(), "n starts a session", "↑")
	h.press("home")
	if h.view() != top {
		t.Fatalf("home did not come back to the top:\n%s", h.view())
	}
	// Line by line, every piece of the URL shows up.
	seen := map[string]bool{}
	for range 30 {
		for _, l := range strings.Split(h.view(), "\n") {
			seen[l] = true
		}
		h.press("down")
	}
	var url strings.Builder
	for _, piece := range strings.Split(ansi.Hardwrap(long, 40, false), "\n") {
		if !seen[piece] {
			t.Errorf("never shown: %q", piece)
		}
		url.WriteString(piece)
	}
	if url.String() != long {
		t.Fatal("the pieces do not make the URL")
	}
	// A screen has no full help to look keys up in: from 60x20 up its
	// help line, on as many lines as it takes, names them all, quitting
	// and scrolling too.
	h.send(tea.WindowSizeMsg{Width: 60, Height: 20})
	mustContain(t, unwrapped(h.view()), "more", "q quit", "↑↓ pgup/dn home/end scroll")
	if strings.HasSuffix(strings.TrimSpace(ansi.Strip(h.view())), "…") {
		t.Errorf("the help line is cut:\n%s", h.view())
	}
	// On a big screen nothing scrolls, and the keys are not offered.
	h.send(tea.WindowSizeMsg{Width: 100, Height: 40})
	h.press("down")
	mustNotContain(t, h.view(), "more", "pgup/dn")
	if b := h.w.bindings(); b[len(b)-1].Help().Key == "↑↓ pgup/dn home/end" {
		t.Error("scrolling keys offered on a page that fits")
	}
}

// Q on Session ready shows the URL as a QR code a phone reads: on a light
// terminal and on a dark one, without colour (the tests' terminal), what
// is drawn decodes to the URL; Q or esc goes back. A terminal too small
// for the code says what size it needs instead of drawing one no phone
// could read.
func TestResultQRCode(t *testing.T) {
	t.Parallel()
	qrtexttest.NeedZbar(t)
	for _, dark := range []bool{false, true} {
		h, _ := readyToCreate(t, created)
		h.w.st.darkBackground = dark
		h.send(tea.WindowSizeMsg{Width: 100, Height: 50})
		h.press("enter")
		h.press("Q")
		if h.w.phase() != phaseQR {
			t.Fatalf("Q opened phase %d", h.w.phase())
		}
		term := qrtexttest.LightTerminal
		if dark {
			term = qrtexttest.DarkTerminal
		}
		view := h.view()
		if got := qrtexttest.Decode(t, view, term); got != "https://vault.apideck.com/session/"+testToken {
			t.Errorf("dark %v: the screen's code reads %q:\n%s", dark, got, view)
		}
		mustContain(t, view, qrCaption)
		h.press("Q")
		if h.w.phase() != phaseResult {
			t.Errorf("Q again: phase %d, want Session ready", h.w.phase())
		}
		h.press("Q", "esc")
		if h.w.phase() != phaseResult {
			t.Errorf("esc: phase %d, want Session ready", h.w.phase())
		}
	}
	h, _ := readyToCreate(t, created)
	h.press("enter", "Q") // 100x30: the code takes 33 lines
	mustContain(t, h.view(), "The QR code of this URL needs")
	h.golden("result_qr_too_small")
}

// demoResult is a harness on the Session ready screen of a session the
// built-in demo API made.
func demoResult(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t, testState(model.Request{AppID: "app", ConsumerID: "acme"}, ""),
		func(context.Context, string, model.Request, bool) (client.Result, error) {
			return created(model.Request{})
		})
	h.w.jumpTo(stepReview, "")
	h.press("enter")
	if r, ok := h.w.screen.(*resultView); !ok || !r.builtInDemo {
		t.Fatalf("no result of the built-in demo: %T", h.w.screen)
	}
	return h
}

// TestQuitAsksOnceWhenTheDemoLinkIsOut: a built-in demo link copied or
// opened in the last ten minutes stops working when the program ends, so
// q says so first and quits on the second q; otherwise q quits at once.
func TestQuitAsksOnceWhenTheDemoLinkIsOut(t *testing.T) {
	t.Parallel()
	for _, handOut := range []string{"c", "m", "o", "Q"} {
		h := demoResult(t)
		h.press(handOut)
		if handOut == "Q" {
			h.press("Q") // back from the code
		}
		h.press("q")
		if h.quit {
			t.Fatalf("%s then q: quit at once, and the demo link with it", handOut)
		}
		mustContain(t, unwrapped(h.view()), "The demo link stops working when vault-session ends: q again to quit, or run `vault-session demo-server`",
			"q quit: the demo link stops")
		if handOut == "c" {
			requireGolden(t, "result_demo_quit", strings.ReplaceAll(h.view(), testToken, "<token>"))
		}
		h.press("q")
		if !h.quit {
			t.Fatalf("%s then q twice: still running", handOut)
		}
	}
	// On a screen too short for the page, the warning is scrolled into view.
	h := demoResult(t)
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.press("c", "q")
	mustContain(t, unwrapped(h.view()), "q again to quit", "for demo links that last")
	// The command it names is the command line's (Options.CommandLine):
	// under go run, vault-session is no command.
	h = demoResult(t)
	h.w.st.commandLine = func(command string, args ...string) string { return "go run . " + command }
	h.press("c", "q")
	mustContain(t, unwrapped(h.view()), "or run `go run . demo-server` in another terminal")
	// Another key between the two asks again.
	h = demoResult(t)
	h.press("c", "q", "t", "q")
	if h.quit {
		t.Fatal("q, t, q quit: the question was not asked again")
	}
	// Nothing handed out: q quits.
	h = demoResult(t)
	h.press("q")
	if !h.quit {
		t.Fatal("q on a demo link never handed out did not quit")
	}
	// Ten minutes after it was handed out, q quits.
	h = demoResult(t)
	h.press("c")
	r := h.w.screen.(*resultView)
	r.now = func() time.Time { return fixedNow.Add(demoLinkInUse) }
	h.press("q")
	if !h.quit {
		t.Fatal("q ten minutes after the copy did not quit")
	}
	// A link of a real API (or of a demo-server, which outlives us) is not
	// asked about.
	h, _ = readyToCreate(t, created)
	h.press("enter", "c", "q")
	if !h.quit {
		t.Fatal("q after copying a real link did not quit")
	}
	// A copy that went nowhere hands nothing out.
	h = demoResult(t)
	h.copyReport = clipboard.Report{}
	h.press("c", "q")
	if !h.quit {
		t.Fatal("q after a copy that failed did not quit")
	}
}
