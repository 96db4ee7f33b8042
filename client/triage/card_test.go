package triage_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/client/mock"
	"github.com/apideck-samples/vault-session/client/triage"
)

func TestReadCard(t *testing.T) {
	m, c := demo(t)
	card, err := triage.ReadCard(context.Background(), c, demoCreds, mock.GlobexID, now)
	if err != nil {
		t.Fatal(err)
	}
	if card.Consumer.Metadata.AccountName != "Globex" || len(card.Consumer.Connections) != 2 || card.Requests.Total == 0 ||
		len(card.Failing) != triage.FailingCallsShown || card.Failing[0].Connector() != "QuickBooks" || card.LogsErr != nil {
		t.Fatalf("card %+v", card)
	}
	at := card.Attention(now)
	if len(at) != 1 || at[0].Need != triage.NeedCredentialsExpiring || at[0].Left != 18*time.Hour {
		t.Errorf("attention %+v", at)
	}
	// The logs refused: the card stands, saying why.
	m.ScriptConnections(mock.Answer{}, mock.Answer{}, mock.Answer{Status: 403})
	card, err = triage.ReadCard(context.Background(), c, demoCreds, mock.GlobexID, now)
	if err != nil || card.LogsErr == nil || len(card.Failing) != 0 || card.Consumer.ConsumerID != mock.GlobexID {
		t.Errorf("logs refused: %+v %v", card, err)
	}
	if _, err := triage.ReadCard(context.Background(), c, demoCreds, "nobody", now); err == nil {
		t.Error("a consumer that is not there read")
	}
}

func TestFindConsumers(t *testing.T) {
	_, c := demo(t, mock.WithSeededConsumers(30))
	ids := func(list []client.Consumer) (out []string) {
		for _, c := range list {
			out = append(out, c.ConsumerID)
		}
		return out
	}
	for _, tc := range []struct {
		text  string
		limit int
		want  string
	}{
		{"glob", 5, "globex-17"},
		{"hank", 5, "globex-17"}, // the email, by search
		{"", 5, ""},
	} {
		got, err := triage.FindConsumers(context.Background(), c, demoCreds, tc.text, tc.limit)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(ids(got), " ") != tc.want {
			t.Errorf("%q: %v, want %q", tc.text, ids(got), tc.want)
		}
	}
}

// The ID's prefix first, then what the search finds, at most the limit.
func TestFindConsumersPrefixFirst(t *testing.T) {
	_, c := demo(t, mock.WithSeededConsumers(30))
	got, err := triage.FindConsumers(context.Background(), c, demoCreds, "i", 3)
	if err != nil || len(got) != 3 || got[0].ConsumerID != mock.InitechID {
		t.Errorf("%+v %v", got, err)
	}
}

// IDs that fill the list leave the search unsent: a suggestion per
// keystroke costs one request, not two.
func TestFindConsumersFilledByIDsSendsOneRequest(t *testing.T) {
	m, c := demo(t, mock.WithSeededConsumers(30))
	got, err := triage.FindConsumers(context.Background(), c, demoCreds, "cust-0000", 5)
	if err != nil || len(got) != 5 {
		t.Fatalf("%+v %v", got, err)
	}
	if reqs := m.Requests(); len(reqs) != 1 {
		t.Errorf("%d requests, want 1 (the IDs filled the list)", len(reqs))
	}
}
