package client_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/client/mock"
	"github.com/apideck-samples/vault-session/client/mock/mocktest"
)

var demoCreds = client.Credentials{APIKey: "sk_demo_key", AppID: mock.DemoAppID}

// The client reads the demo application the way the support commands do:
// a search, the consumer, its logs and counts, and a validate.
func TestSupportOperationsAgainstTheDemo(t *testing.T) {
	now := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	_, base := mocktest.Start(t, mock.WithFixedTime(now))
	c := client.New(client.WithBaseURL(base), client.WithRetryPolicy(fastRetries()))
	ctx := context.Background()

	page, err := c.ConsumersPage(ctx, demoCreds, client.ConsumerQuery{Search: "globex"}, "")
	if err != nil || len(page.Items) != 1 || page.Items[0].ConsumerID != mock.GlobexID || page.Items[0].Metadata.AccountName != "Globex" {
		t.Fatalf("search globex: %+v %v", page, err)
	}
	consumer, err := c.Consumer(ctx, demoCreds, mock.GlobexID)
	if err != nil {
		t.Fatal(err)
	}
	qb := consumer.Connections[0]
	if qb.DisplayName() != "QuickBooks" || qb.Health != client.HealthPendingRefresh ||
		qb.CredentialsExpireAt.Sub(now) != 18*time.Hour || now.Sub(qb.LastRefreshFailedAt) != 30*time.Hour {
		t.Errorf("quickbooks %+v", qb)
	}
	stats, err := c.ConsumerStats(ctx, demoCreds, mock.GlobexID, now.Add(-30*24*time.Hour), now)
	if err != nil || stats.Total == 0 || stats.Total != stats.Counts.Total() {
		t.Errorf("stats %+v %v", stats, err)
	}

	var logs int
	for page, err := range c.LogPages(ctx, demoCreds, client.LogQuery{ConsumerID: mock.GlobexID, StatusCodes: []int{401}, Limit: 3}) {
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range page.Items {
			logs++
			if l.Connector() != "QuickBooks" || l.StatusCode != 401 || !l.Failed() || l.ErrorMessage == "" {
				t.Errorf("log %+v", l)
			}
		}
	}
	if logs < 7 {
		t.Errorf("%d QuickBooks 401s", logs)
	}

	globex := demoCreds
	globex.ConsumerID = mock.GlobexID
	_, err = c.ValidateConnection(ctx, globex, "accounting", "quickbooks")
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("validate quickbooks: %v", err)
	}
	if f, ok := apiErr.RefreshFailure(); !ok || !f.CredentialsExpireAt.Equal(now.Add(18*time.Hour)) {
		t.Errorf("refresh failure %+v %v", f, ok)
	}
	v, err := c.ValidateConnection(ctx, globex, "crm", "salesforce")
	if err != nil || v.State != client.StateCallable {
		t.Errorf("validate salesforce %+v %v", v, err)
	}
}

// Eight workers sharing a gate against a limit of 100 requests a second
// (no burst): each 429 holds them all, and the hold is let go one request
// at a time, so most requests are answered. Let go all at once, the eight
// started together into a limit with room for one, and were told 429 two
// or three times for each answer.
func TestGatedWorkersKeepToARateLimit(t *testing.T) {
	m, base := mocktest.Start(t, mock.WithRateLimit(100, 1))
	policy := client.DefaultRetryPolicy()
	policy.MaxAttempts = 50
	c := client.New(client.WithBaseURL(base), client.WithRetryPolicy(policy), client.WithGate(client.NewGate(0)))
	const answers = 120
	var wg sync.WaitGroup
	var left atomic.Int64
	left.Store(answers)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for left.Add(-1) >= 0 {
				if _, err := c.ConsumerStats(context.Background(), demoCreds, mock.GlobexID, time.Time{}, time.Time{}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	answered, limited := 0, 0
	for _, r := range m.Requests() {
		switch r.Status {
		case http.StatusOK:
			answered++
		case http.StatusTooManyRequests:
			limited++
		}
	}
	t.Logf("%d answered, %d limited", answered, limited)
	if answered != answers || float64(limited) > 0.5*float64(answered) {
		t.Errorf("%d answered, %d told 429: want %d answered and at most one 429 for two answers", answered, limited, answers)
	}
}

// Thousands of consumers behind a rate limit: the walk sees each once,
// waiting out every 429 the demo sends.
func TestConsumerPagesThroughARateLimit(t *testing.T) {
	m, base := mocktest.Start(t, mock.WithSeededConsumers(3000))
	// Every third request is refused until the walk is well under way.
	for range 6 {
		m.ScriptConnections(mock.Answer{}, mock.Answer{},
			mock.Answer{Status: 429, Header: http.Header{"Retry-After": {"1"}, "Retry-After-Ms": {"30"}}})
	}
	policy := client.DefaultRetryPolicy()
	policy.MaxAttempts = 10
	c := client.New(client.WithBaseURL(base), client.WithRetryPolicy(policy), client.WithGate(client.NewGate(0)))
	seen := map[string]bool{}
	pages := 0
	for page, err := range c.ConsumerPages(context.Background(), demoCreds, client.ConsumerQuery{Limit: client.MaxPageSize}) {
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, consumer := range page.Items {
			if seen[consumer.ConsumerID] {
				t.Fatalf("%s twice", consumer.ConsumerID)
			}
			seen[consumer.ConsumerID] = true
		}
	}
	limited := 0
	for _, r := range m.Requests() {
		if r.Status == 429 {
			limited++
		}
	}
	if len(seen) != 3003 || pages != 16 || limited != 6 {
		t.Errorf("%d consumers over %d pages, %d answers 429", len(seen), pages, limited)
	}
}
