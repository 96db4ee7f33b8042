package ui

import (
	"testing"

	"github.com/apideck-samples/vault-session/model"
)

func TestConsumerStep(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testState(model.Request{AppID: "app", ConsumerID: "acme"}, "key"), nil)
	if h.w.current != 1 {
		t.Fatalf("current = %d", h.w.current)
	}
	h.golden("consumer_empty")
	h.typeText("Acme Inc")
	h.press("tab")
	h.typeText("Ada Lovelace")
	h.press("tab")
	h.typeText("ada@acme")
	h.press("tab")
	h.typeText("not a url")
	h.press("tab")
	h.typeText("https://acme.example/dashboard")
	h.press("enter")
	if h.w.current != 1 {
		t.Fatal("moved on with an invalid email and image")
	}
	mustContain(t, h.view(), `"ada@acme" has no full domain`, "a URL cannot contain spaces", "2 fields need attention")
	h.golden("consumer_errors")
	// The focus is on the email: finish it; then the image.
	h.typeText(".com")
	h.press("tab", "ctrl+u")
	h.typeText("https://acme.example/ada.png")
	h.press("tab", "enter")
	if h.w.current != 2 {
		t.Fatalf("current = %d, want the unified APIs step", h.w.current)
	}
	want := model.ConsumerMetadata{AccountName: "Acme Inc", UserName: "Ada Lovelace", Email: "ada@acme.com", Image: "https://acme.example/ada.png"}
	if got := h.w.st.req.Session.ConsumerMetadata; got != want {
		t.Fatalf("metadata = %+v", got)
	}
	if h.w.st.req.Session.RedirectURI != "https://acme.example/dashboard" {
		t.Fatalf("redirect = %q", h.w.st.req.Session.RedirectURI)
	}
	// Back keeps every value.
	h.press("esc")
	mustContain(t, h.view(), "Acme Inc", "Ada Lovelace", "ada@acme.com", "https://acme.example/dashboard")
}
