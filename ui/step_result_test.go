package ui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
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
	}, nil
}

func TestResultShowsURLExpiryAndHidesToken(t *testing.T) {
	h, sent := readyToCreate(t, created)
	h.press("enter")
	if len(*sent) != 1 {
		t.Fatalf("create called %d times", len(*sent))
	}
	if h.w.phase != phaseResult {
		t.Fatalf("phase = %d", h.w.phase)
	}
	screen := h.view()
	mustContain(t, screen, "Session ready", "✓ Vault session created", "https://vault.apideck.com/session/",
		"2026-11-26 10:59:08 UTC", "(in 59m 08s)", "hidden: press t to show")
	// The token is a secret: the golden must not hold it, so it is blanked
	// in the URL, where it is part of the address.
	assertGolden(t, "result", strings.ReplaceAll(screen, testToken, "<token>"))
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
	h, _ := readyToCreate(t, created)
	h.press("enter", "o")
	if len(h.opened) != 1 || !strings.HasSuffix(h.opened[0], testToken) {
		t.Fatalf("opened = %v", h.opened)
	}
	mustContain(t, h.view(), "Opened in your browser.")
	h.press("c")
	if len(h.copied) != 1 || h.copied[0] != h.opened[0] {
		t.Fatalf("copied = %v", h.copied)
	}
	mustContain(t, h.view(), "clipboard")
	h.openErr = errors.New("xdg-open: not found")
	h.press("o")
	screen := h.view()
	mustContain(t, screen, "Could not open a browser (xdg-open: not found)", "https://vault.apideck.com/session/")
}

func TestResultCountdownAndExpiry(t *testing.T) {
	h, _ := readyToCreate(t, created)
	h.press("enter")
	now := fixedNow
	h.w.result.now = func() time.Time { return now }
	now = now.Add(30 * time.Minute)
	h.send(countdownMsg{})
	mustContain(t, h.view(), "(in 29m 08s)")
	now = now.Add(time.Hour)
	h.send(countdownMsg{})
	mustContain(t, h.view(), "(expired)")
}

func TestNextConsumerKeepsThemeAndSettings(t *testing.T) {
	h, sent := readyToCreate(t, created, created)
	h.w.st.req.Session.Theme.PrimaryColor = "#286efa"
	h.w.st.req.Session.Settings.SandboxMode = model.Bool(true)
	h.press("enter", "n")
	if h.w.current != stepCredentials || h.w.phase != phaseEditing {
		t.Fatalf("n went to step %d phase %d", h.w.current, h.w.phase)
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
	h, _ := readyToCreate(t, created)
	h.press("enter", "q")
	if !h.quit || h.w.outcome.Interrupted || h.w.outcome.Created == nil {
		t.Fatalf("quit=%v outcome=%+v", h.quit, h.w.outcome)
	}
}

func TestCtrlCLeavesAtOnceFromAnyStep(t *testing.T) {
	h := newHarness(t, testState(model.Request{}, ""), nil)
	h.typeText("abc")
	h.press("ctrl+c")
	if !h.quit || !h.w.outcome.Interrupted {
		t.Fatalf("quit=%v interrupted=%v", h.quit, h.w.outcome.Interrupted)
	}
}

func TestFormatCountdown(t *testing.T) {
	for d, want := range map[time.Duration]string{
		59*time.Minute + 8*time.Second: "59m 08s",
		3*time.Hour + 5*time.Minute:    "3h 05m",
		7 * 24 * time.Hour:             "7d 00h",
		1500 * time.Millisecond:        "0m 02s",
	} {
		if got := formatCountdown(d); got != want {
			t.Errorf("formatCountdown(%v) = %q, want %q", d, got, want)
		}
	}
}
