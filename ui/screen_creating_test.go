package ui

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/client/mock"
	"github.com/apideck-samples/vault-session/client/mock/mocktest"
	"github.com/apideck-samples/vault-session/model"
	tea "github.com/charmbracelet/bubbletea"
)

func apiError(status int, body string) func(model.Request) (client.Result, error) {
	return func(model.Request) (client.Result, error) {
		return client.Result{}, client.ParseAPIError(status, []byte(body))
	}
}

const unauthorizedBody = `{"status_code":401,"error":"Unauthorized","type_name":"UnauthorizedError","message":"Unauthorized Request","detail":"Missing authentication","ref":"https://developers.apideck.com/errors#unauthorizederror"}`

func TestUnauthorizedGoesToCredentialsAndRetries(t *testing.T) {
	t.Parallel()
	h, sent := readyToCreate(t, apiError(401, unauthorizedBody), created)
	h.w.st.req.Session.Theme.VaultName = "Acme"
	h.press("enter")
	if h.w.phase() != phaseFailed {
		t.Fatalf("phase = %d", h.w.phase())
	}
	screen := h.view()
	mustContain(t, screen, "Request failed", "Unauthorized Request", "Missing authentication",
		"https://developers.apideck.com/errors#unauthorizederror", "Nothing you typed is lost", "fix credentials")
	mustNotContain(t, screen, "sk_test_key")
	h.golden("failed_401")

	h.press("enter") // fix
	if h.w.current != stepCredentials || h.w.phase() != phaseEditing {
		t.Fatalf("fix went to step %d", h.w.current)
	}
	screen = h.view()
	mustContain(t, unwrapped(screen), "The API refused the request: 401", "The API did not accept the API key.", "the API refused this key")
	h.golden("failed_401_fix")
	// A new key, then straight back to the review (not through every step).
	h.press("ctrl+u")
	h.typeText("sk_test_other")
	h.press("enter", "enter", "enter")
	if h.w.current != stepReview {
		t.Fatalf("after fixing, current = %d, want the review", h.w.current)
	}
	if h.w.st.req.Session.Theme.VaultName != "Acme" || h.w.st.req.Session.ConsumerMetadata.AccountName != "Acme Inc" {
		t.Fatal("answers were lost on the way")
	}
	h.press("enter")
	if len(*sent) != 2 || h.w.phase() != phaseResult {
		t.Fatalf("retry: %d calls, phase %d", len(*sent), h.w.phase())
	}
}

func TestValidationErrorGoesToTheFieldsStep(t *testing.T) {
	t.Parallel()
	body := `{"status_code":422,"error":"Unprocessable Entity","type_name":"ValidationError","message":"Invalid value for settings.session_length","detail":"session length \"9w\" is over 1 week","ref":"https://developers.apideck.com/errors#validationerror"}`
	h, _ := readyToCreate(t, apiError(422, body))
	h.press("enter")
	mustContain(t, unwrapped(h.view()), "422", "Invalid value for settings.session_length", "enter takes you to Session")
	h.press("enter")
	if h.w.current != h.w.stepFor("settings.session_length") {
		t.Fatalf("fix went to step %d", h.w.current)
	}
	mustContain(t, h.view(), `session length "9w" is over 1 week`)
}

func TestNetworkErrorRetryKeepsEverything(t *testing.T) {
	t.Parallel()
	netErr := func(model.Request) (client.Result, error) {
		return client.Result{}, &client.ConnectionError{URL: "https://unify.apideck.com/vault/sessions", Attempts: 4,
			Err: fmt.Errorf("dial tcp 127.0.0.1:443: %w", syscall.ECONNREFUSED)}
	}
	h, sent := readyToCreate(t, netErr, created)
	h.press("enter")
	screen := h.view()
	mustContain(t, screen, "connection refused", "did not reach the API", "r retry")
	h.golden("failed_network")
	h.press("r")
	if len(*sent) != 2 || h.w.phase() != phaseResult {
		t.Fatalf("retry: %d calls, phase %d", len(*sent), h.w.phase())
	}
	if (*sent)[0].ConsumerID != (*sent)[1].ConsumerID || (*sent)[1].Session.ConsumerMetadata.AccountName != "Acme Inc" {
		t.Fatal("the retry did not send the same request")
	}
}

func TestCancelWhileCreatingReturnsToReview(t *testing.T) {
	t.Parallel()
	started := make(chan struct{})
	var h *harness
	block := func(ctx context.Context, _ string, _ model.Request, _ bool) (client.Result, error) {
		close(started)
		<-ctx.Done()
		return client.Result{}, ctx.Err()
	}
	req := model.Request{AppID: "app", ConsumerID: "acme"}
	h = newHarness(t, testState(req, "k"), block)
	h.w.jumpTo(stepReview, "")
	// Start the request by hand: the harness would wait for it.
	_, cmd := h.w.Update(keyMsg("enter"))
	if h.w.phase() != phaseCreating {
		t.Fatalf("phase = %d", h.w.phase())
	}
	mustContain(t, h.view(), "Creating a Vault session for acme", "esc cancels")
	h.golden("creating")
	results := runInBackground(t, cmd)
	<-started
	cancelCreate(t, h, results)
	mustContain(t, h.view(), "Cancelled")
	if h.w.st.req.ConsumerID != "acme" {
		t.Fatal("cancel lost the request")
	}
}

// The demo API lists every refused field in its detail; the fix shows each
// one inline on the step of the first.
func TestListedFieldErrorsShowInline(t *testing.T) {
	t.Parallel()
	body := `{"status_code":422,"error":"Unprocessable Entity","type_name":"ValidationError",
		"message":"theme.primary_color: not a colour (and 1 more)",
		"detail":{"errors":[{"path":"theme.primary_color","message":"the API wants #rrggbb"},
		                    {"path":"theme.terms_url","message":"the API wants https"}]},
		"ref":"https://developers.apideck.com/errors#validationerror"}`
	h, _ := readyToCreate(t, apiError(422, body))
	h.press("enter")
	mustContain(t, h.view(), "enter takes you to Theme to fix theme.primary_color")
	h.press("enter")
	if h.w.current != 4 {
		t.Fatalf("fix went to step %d, want the theme", h.w.current)
	}
	mustContain(t, h.view(), "the API wants #rrggbb", "the API wants https", "2 fields need attention")
}

// While the client retries, the creating screen says what failed and when
// it tries again, in the API's words.
func TestRetriesAreShownWhileCreating(t *testing.T) {
	t.Parallel()
	api, base := mocktest.Start(t)
	api.FailNext(503, 1)
	policy := client.RetryPolicy{MaxAttempts: 2, InitialWait: time.Minute}
	c := client.New(client.WithBaseURL(base), client.WithRetryPolicy(policy))
	create := createWith(c)
	h := newHarness(t, testState(model.Request{AppID: "app", ConsumerID: "acme"}, "k"), create)
	h.w.jumpTo(stepReview, "")
	results := createUntilRetry(t, h)
	screen := h.view()
	mustContain(t, screen, "Attempt 1 of 2 failed: 503 Service Unavailable", "Trying again in 1m.")
	h.golden("creating_retry")
	cancelCreate(t, h, results)
	// A late report of the cancelled call does not come back on screen.
	h.w.Update(retryingMsg{seq: h.w.createSeq, retry: client.Retry{Attempt: 9}})
	mustNotContain(t, h.view(), "Attempt 9")
}

// createUntilRetry presses enter on the Review and shows the first retry
// the client reports, fed by hand (the harness would wait on the next
// listen); the call goes on in the background.
func createUntilRetry(t *testing.T, h *harness) <-chan tea.Msg {
	t.Helper()
	_, cmd := h.w.Update(keyMsg("enter"))
	results := runInBackground(t, cmd)
	for msg := range results {
		if r, ok := msg.(retryingMsg); ok {
			h.w.Update(r)
			break
		}
	}
	return results
}

// runInBackground runs the batch that starts a create, each command on its
// own goroutine, and hands back their messages: the harness would wait for
// the call to end, and these tests act while it is in flight.
func runInBackground(t *testing.T, cmd tea.Cmd) <-chan tea.Msg {
	t.Helper()
	batch, ok := cmd().(tea.BatchMsg)
	if !ok {
		t.Fatalf("enter on review returned %T, want a batch", cmd())
	}
	results := make(chan tea.Msg, len(batch))
	for _, c := range batch {
		go func() { results <- c() }()
	}
	return results
}

// cancelCreate presses esc during a create, feeds back the call's failure
// and checks the wizard is on the review again.
func cancelCreate(t *testing.T, h *harness, results <-chan tea.Msg) {
	t.Helper()
	h.press("esc")
	for msg := range results {
		if _, ok := msg.(sessionFailedMsg); ok {
			h.send(msg)
			break
		}
	}
	if h.w.phase() != phaseEditing || h.w.current != stepReview {
		t.Fatalf("after cancel: phase %d step %d", h.w.phase(), h.w.current)
	}
}

// TestCreatingShowsTheTimeWaited: the creating screen counts the seconds
// and names the bound, and the bound (--timeout) ends a call that gets no
// answer with a failure, not a cancellation back to the review.
func TestCreatingShowsTheTimeWaited(t *testing.T) {
	t.Parallel()
	create := func(ctx context.Context, _ string, _ model.Request, _ bool) (client.Result, error) {
		select { // a server that never answers
		case <-ctx.Done():
			if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return client.Result{}, ctx.Err()
			}
			return client.Result{}, &client.DeadlineError{URL: "https://unify.apideck.com/vault/sessions", Attempts: 1, Waited: 120 * time.Millisecond}
		case <-time.After(5 * time.Second):
			return client.Result{}, errors.New("the call had no deadline")
		}
	}
	st := testState(model.Request{AppID: "app", ConsumerID: "acme"}, "k")
	st.timeout = 120 * time.Millisecond
	h := newHarness(t, st, create)
	h.w.jumpTo(stepReview, "")
	_, cmd := h.w.Update(keyMsg("enter"))
	mustContain(t, h.view(), "waiting 0s (gives up after 120ms)")
	h.w.now = func() time.Time { return fixedNow.Add(65*time.Second + 400*time.Millisecond) }
	mustContain(t, h.view(), "waiting 1m5s (gives up after 120ms)")

	results := runInBackground(t, cmd)
	for msg := range results {
		if _, ok := msg.(sessionFailedMsg); ok {
			h.send(msg)
			break
		}
	}
	if h.w.phase() != phaseFailed {
		t.Fatalf("after the timeout: phase %d, want the failure screen", h.w.phase())
	}
	mustContain(t, unwrapped(h.view()), "Gave up waiting for https://unify.apideck.com/vault/sessions",
		"--timeout 120ms bounds the request")
}

// A retry is said once, the same way on the creating screen and in the
// plain prompts (failure.RetryWords): the attempt counted once, and the
// reason without the count a connection error carries ("… (2 attempts)"
// made the screen say "Attempt 2 of 3 failed: … (2 attempts)").
func TestRetryIsSaidOnceTheSameEverywhere(t *testing.T) {
	t.Parallel()
	hangUps := func(t *testing.T) createFunc {
		api, base := mocktest.Start(t)
		api.Script(mock.Answer{HangUp: true}, mock.Answer{HangUp: true})
		policy := client.RetryPolicy{MaxAttempts: 3, InitialWait: time.Millisecond, MaxWait: time.Millisecond}
		return createWith(client.New(client.WithBaseURL(base), client.WithRetryPolicy(policy)))
	}
	second := regexp.MustCompile(`Attempt 2 of 3 failed: could not reach http://127\.0\.0\.1:\d+/vault/sessions: the server closed the connection without answering[.\n ]+Trying again in 1ms\.`)

	// The plain prompts: a line per retry, then the session.
	st := testState(model.Request{AppID: "app", ConsumerID: "acme"}, "k")
	r := runLines(t, st, strings.Repeat("\n", 40)+"q\n", hangUps(t))
	if !second.MatchString(r.out) || strings.Contains(r.out, "attempts)") || strings.Contains(r.out, "(attempt ") {
		t.Errorf("plain prompts: want the second retry said once as %s:\n%s", second, r.out)
	}

	// The screen, at the second retry.
	h := newHarness(t, testState(model.Request{AppID: "app", ConsumerID: "acme"}, "k"), hangUps(t))
	h.w.jumpTo(stepReview, "")
	_, cmd := h.w.Update(keyMsg("enter"))
	for msg := range runInBackground(t, cmd) {
		if first, ok := msg.(retryingMsg); ok {
			// The screen listens for the next retry once it has shown one.
			_, listen := h.w.Update(first)
			h.w.Update(listen())
			break
		}
	}
	screen := unwrapped(h.view())
	if !second.MatchString(screen) || strings.Count(screen, "of 3") != 1 || strings.Contains(screen, "attempts)") {
		t.Errorf("screen: want the second retry said once as %s:\n%s", second, screen)
	}
}

// A failure taller than a small terminal (a long detail from the API)
// scrolls, so its end, where the keys are explained, can be read.
func TestFailureScrollsOnASmallScreen(t *testing.T) {
	t.Parallel()
	detail := strings.Repeat("The consumer metadata could not be stored for this application. ", 12) + "END OF DETAIL"
	h := failedWith(t, DefaultKeyMap(), apiError(422, `{"status_code":422,"error":"Unprocessable Entity","message":"Invalid request","detail":"`+detail+`"}`))
	h.send(tea.WindowSizeMsg{Width: 60, Height: 20})
	mustContain(t, h.view(), "↓", "pgup/dn home/end scroll", "r retry")
	mustNotContain(t, h.view(), "Nothing you typed is lost")
	h.press("end")
	mustContain(t, unwrapped(h.view()), "END OF DETAIL", "Nothing you typed is lost")
	h.press("home")
	mustContain(t, h.view(), "Invalid request")
	h.send(tea.WindowSizeMsg{Width: 100, Height: 60})
	mustNotContain(t, h.view(), "pgup/dn", "more")
}
