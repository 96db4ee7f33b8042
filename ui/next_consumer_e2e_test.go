package ui

import (
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/model"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
)

// secondCustomerKeys is what the next customer costs, every key counted
// (README, "The next customer"): n, the ID, enter, the account name, tab,
// the user name, tab, the email, ctrl+s, enter. 45 of them are the
// customer's own details; 6 are the wizard's.
const secondCustomerKeys = 51

// TestTwoConsumersInARow runs the real program for two customers, the
// second started with n, and counts the keys the second one takes. Both
// requests reach the mock API, the second with the first one's theme,
// APIs and redirect, and its own consumer.
func TestTwoConsumersInARow(t *testing.T) {
	t.Parallel()
	api, c := startMockAPI(t)
	create := createWith(c)
	// As a support engineer starts it: key and app ID from the environment.
	st := testState(model.Request{AppID: "app-1"}, "sk_test_support")
	st.describe = c.Describe
	tm := startProgram(t, st, create)
	count := 0
	keys := func(names ...string) {
		for _, k := range names {
			tm.Send(keyMsg(k))
			count++
		}
	}
	typeText := func(s string) {
		for _, r := range s {
			tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
			count++
		}
	}

	// The first customer, through every consumer field.
	keys("tab", "tab")
	typeText("acme-42")
	keys("enter")
	typeText("Acme Inc")
	keys("tab")
	typeText("Ada Lovelace")
	keys("tab")
	typeText("ada@acme.example")
	keys("tab", "tab")
	typeText("https://app.example/back")
	keys("enter")
	typeText("/crm")
	keys("enter", "space", "esc", "enter") // unified APIs: filter, tick, go on
	keys("enter")                          // session: as it is
	typeText("Acme")                       // the theme's vault name
	keys("ctrl+s")
	waitFor(t, tm, "7/7 Review")
	keys("enter")
	waitFor(t, tm, "Session ready")

	// The second customer.
	count = 0
	keys("n")
	typeText("globex-7")
	keys("enter")
	typeText("Globex")
	keys("tab")
	typeText("Hank Scorpio")
	keys("tab")
	typeText("hank@globex.example")
	keys("ctrl+s", "enter")
	waitFor(t, tm, "created for globex-7 (Globex)")
	second := count
	keys("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))

	t.Logf("the second customer took %d keys", second)
	if second != secondCustomerKeys {
		t.Errorf("the second customer took %d keys, want %d", second, secondCustomerKeys)
	}
	reqs := api.Requests()
	if len(reqs) != 2 || reqs[0].Status != 200 || reqs[1].Status != 200 {
		t.Fatalf("the API got %d requests: %+v", len(reqs), reqs)
	}
	first, next := reqs[0].Session, reqs[1].Session
	if reqs[1].Header.Get("X-Apideck-Consumer-Id") != "globex-7" || reqs[1].Header.Get("X-Apideck-App-Id") != "app-1" ||
		reqs[1].APIKey != "sk_test_support" {
		t.Errorf("second request headers: %v", reqs[1].Header)
	}
	want := model.ConsumerMetadata{AccountName: "Globex", UserName: "Hank Scorpio", Email: "hank@globex.example"}
	if next.ConsumerMetadata != want {
		t.Errorf("second consumer = %+v, want %+v", next.ConsumerMetadata, want)
	}
	if next.RedirectURI != "https://app.example/back" || next.Theme.VaultName != "Acme" ||
		len(next.Settings.UnifiedAPIs) != 1 || next.Settings.UnifiedAPIs[0] != "crm" ||
		first.ConsumerMetadata.AccountName != "Acme Inc" {
		t.Errorf("second session lost the first one's settings: %+v", next)
	}
	final := tm.FinalModel(t).(*wizard)
	if len(final.outcome.Sessions) != 2 || final.outcome.Sessions[1].ConsumerID != "globex-7" {
		t.Errorf("outcome = %+v", final.outcome.Sessions)
	}
}
