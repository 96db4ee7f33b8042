package ui

import (
	"testing"

	"github.com/apideck-samples/vault-session/model"
)

// After n, the consumer ID is typed first and Enter leads to the account
// name, even when the first consumer left the consumer step on its last
// field (the redirect URI, which n keeps).
func TestNextConsumerFocusesIDThenAccountName(t *testing.T) {
	t.Parallel()
	h, sent := readyToCreate(t, created, created)
	h.w.st.req.Session.RedirectURI = "https://app.example/back"
	// The first consumer went through every consumer field: the focus was
	// left on the redirect URI.
	h.w.goTo(stepConsumer)
	h.press("tab", "tab", "tab", "tab")
	h.w.goTo(stepReview)
	h.press("enter", "n")
	if h.w.current != stepCredentials || h.w.steps[stepCredentials].(*credentialsStep).form.fields[2].path != "consumer_id" ||
		h.w.steps[stepCredentials].(*credentialsStep).form.focus != 2 {
		t.Fatalf("n: step %d, focus not on the consumer ID", h.w.current)
	}
	h.typeText("globex")
	h.press("enter")
	h.typeText("Globex")
	h.press("tab")
	h.typeText("Hank")
	got := h.w.st.req
	if got.ConsumerID != "globex" || got.Session.ConsumerMetadata.AccountName != "Globex" ||
		got.Session.ConsumerMetadata.UserName != "Hank" || got.Session.RedirectURI != "https://app.example/back" {
		t.Fatalf("after n: %+v", got)
	}
	h.press("ctrl+s", "enter")
	if len(*sent) != 2 || (*sent)[1].ConsumerID != "globex" {
		t.Fatalf("sent %+v", *sent)
	}
}

// ctrl+s goes to the review from every step when the request is valid.
func TestCtrlSGoesToReviewFromEveryStep(t *testing.T) {
	t.Parallel()
	req := model.Request{AppID: "app", ConsumerID: "acme"}
	for i := 0; i < stepReview; i++ {
		h := newHarness(t, testState(req, "sk_test"), nil)
		h.w.jumpTo(i, "")
		h.w.returnToReview = false
		h.press("ctrl+s")
		if h.w.current != stepReview || len(h.w.st.errs) != 0 {
			t.Errorf("ctrl+s from step %d: on step %d, errors %v", i, h.w.current, h.w.st.errs)
		}
		mustContain(t, h.view(), "7/7 Review")
	}
}

// With a problem on an earlier step, ctrl+s opens the first such step with
// its errors shown, and Enter there comes back to the review.
func TestCtrlSStopsAtTheFirstStepWithAProblem(t *testing.T) {
	t.Parallel()
	req := model.Request{AppID: "app", ConsumerID: "acme"}
	req.Session.ConsumerMetadata.Email = "not-an-email"
	req.Session.Theme.PrimaryColor = "nope"
	for i := 0; i < stepReview; i++ {
		h := newHarness(t, testState(req, "sk_test"), nil)
		h.w.jumpTo(i, "")
		h.w.returnToReview = false
		h.press("ctrl+s")
		if h.w.current != stepConsumer || h.w.st.errs.For("consumer_metadata.email") == "" {
			t.Fatalf("ctrl+s from step %d: on step %d, errors %v", i, h.w.current, h.w.st.errs)
		}
		mustContain(t, h.view(), "2/7 Consumer", "1 field needs attention")
	}
	// Nothing required is missing on the credentials step.
	h := newHarness(t, testState(model.Request{}, "sk_test"), nil)
	h.press("ctrl+s")
	if h.w.current != stepCredentials || h.w.st.errs.For("app_id") == "" {
		t.Fatalf("empty IDs: step %d, errors %v", h.w.current, h.w.st.errs)
	}
	// Fixing the email, ctrl+s goes on to the next problem, the colour.
	h = newHarness(t, testState(req, "sk_test"), nil)
	h.press("ctrl+s")
	h.w.st.req.Session.ConsumerMetadata.Email = ""
	h.w.steps[stepConsumer].load(&h.w.st)
	h.press("ctrl+s")
	if h.w.current != 4 || h.w.st.errs.For("theme.primary_color") == "" || !h.w.returnToReview {
		t.Fatalf("ctrl+s after fixing the email: step %d, errors %v", h.w.current, h.w.st.errs)
	}
}

// The App ID and Consumer ID say they are required before anyone fails them.
func TestRequiredFieldsAreMarked(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testState(model.Request{}, ""), nil)
	mustContain(t, h.view(), "App ID (required)", "Consumer ID (required)")
	mustNotContain(t, h.view(), "API key (required)", "field needs attention")
}
