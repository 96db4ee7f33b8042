package client_test

import (
	"context"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/client/mock"
	"github.com/apideck-samples/vault-session/client/mock/mocktest"
)

// The client reads a scripted journey through every state and every health
// value of the spec, plus values it does not know, from the mock, both in
// the connection list and in the consumer's summary.
func TestConnectionJourneyAgainstMock(t *testing.T) {
	clock := mock.NewClock(time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC))
	m, base := mocktest.Start(t, mock.WithClock(clock.Now))
	c := client.New(client.WithBaseURL(base), client.WithRetryPolicy(fastRetries()))

	journey := []mock.ConnectionStep{
		{After: time.Second, State: "added", Health: "needs_auth"},
		{After: 2 * time.Second, State: "invalid", Health: "missing_settings"},
		{After: 3 * time.Second, State: "authorized", Health: "needs_consent"},
		{After: 4 * time.Second, State: "authorized", Health: "pending_confirmation"},
		{After: 5 * time.Second, State: "callable", Health: "ok"},
		{After: 6 * time.Second, State: "callable", Health: "pending_refresh"},
		{After: 7 * time.Second, State: "callable", Health: "degraded"},
		{After: 8 * time.Second, State: "callable", Health: "revoked", Disabled: true},
		{After: 9 * time.Second, State: "suspended", Health: "quarantined"},
	}
	m.ScriptConnection(creds.AppID, creds.ConsumerID, "crm", "salesforce", journey...)

	find := func(list []client.Connection) (client.Connection, bool) {
		for _, c := range list {
			if c.Key() == "crm/salesforce" {
				return c, true
			}
		}
		return client.Connection{}, false
	}
	list, err := c.Connections(context.Background(), creds, "crm")
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := find(list); !ok || got.State != client.StateAvailable || got.Name != "Salesforce" {
		t.Errorf("before the journey: %+v", got)
	}
	for _, step := range journey {
		clock.Advance(time.Second)
		list, err := c.Connections(context.Background(), creds, "crm")
		if err != nil {
			t.Fatal(err)
		}
		got, _ := find(list)
		if string(got.State) != step.State || string(got.Health) != step.Health ||
			got.Enabled == nil || *got.Enabled == step.Disabled || !got.UpdatedAt.Equal(clock.Now()) {
			t.Errorf("at %s: %+v, want %+v", step.After, got, step)
		}
		consumer, err := c.Consumer(context.Background(), creds, creds.ConsumerID)
		if err != nil {
			t.Fatal(err)
		}
		if len(consumer.Connections) != 1 || string(consumer.Connections[0].State) != step.State ||
			string(consumer.Connections[0].Health) != step.Health || !consumer.Connections[0].UpdatedAt.Equal(clock.Now()) {
			t.Errorf("consumer at %s: %+v", step.After, consumer.Connections)
		}
	}
}
