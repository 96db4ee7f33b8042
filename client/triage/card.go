package triage

import (
	"context"
	"strings"
	"time"

	"github.com/apideck-samples/vault-session/client"
)

// CountsWindow is the period of the request counts a card shows.
const CountsWindow = 30 * 24 * time.Hour

// Bounds of the failing calls a card shows.
const (
	FailingCallsShown = 5
	failingCallsPages = 3 // of the newest logs, read to find them
)

// Card is what support needs to know about one consumer: who it is, its
// connections (with their health), its requests of the last 30 days, and
// its last failing calls. Logs can hold the customer's data: a card keeps
// only what client.Log keeps, and nothing of it is ever written to disk.
type Card struct {
	Consumer client.Consumer
	// Requests are the counts of the last CountsWindow.
	Requests client.ConsumerStats
	// Failing are the newest failing calls, newest first, at most
	// FailingCallsShown.
	Failing []client.Log
	// LogsErr says why the logs could not be read (the card stands
	// without them); nil when they were.
	LogsErr error
}

// Attention is the card's connections needing something, most urgent first.
func (c Card) Attention(now time.Time) []Attention {
	return NeedsAttention(c.Consumer.Connections, now, 0)
}

// ReadCard reads a consumer's card: the consumer, its counts, and the
// newest logs, a few pages at most, for the failing calls among them. An
// error reading the consumer or its counts is returned; one reading the
// logs is kept in LogsErr, with the failing calls found before it.
func ReadCard(ctx context.Context, c *client.Client, creds client.Credentials, consumerID string, now time.Time) (Card, error) {
	var card Card
	var err error
	if card.Consumer, err = c.Consumer(ctx, creds, consumerID); err != nil {
		return Card{}, err
	}
	if card.Requests, err = c.ConsumerStats(ctx, creds, consumerID, now.Add(-CountsWindow), now); err != nil {
		return Card{}, err
	}
	card.Failing = []client.Log{}
	pages := 0
	for page, err := range c.LogPages(ctx, creds, client.LogQuery{ConsumerID: consumerID, Limit: client.MaxPageSize}) {
		if err != nil {
			card.LogsErr = err
			break
		}
		for _, l := range page.Items {
			if l.Failed() && len(card.Failing) < FailingCallsShown {
				card.Failing = append(card.Failing, l)
			}
		}
		if pages++; pages == failingCallsPages || len(card.Failing) == FailingCallsShown {
			break
		}
	}
	return card, nil
}

// FindConsumers is what to suggest for text typed as a consumer ID: the
// consumers whose ID starts with it, then those whose ID, email, account
// or user name holds it, at most limit, each once; the search is not sent
// when the IDs fill the list. It stops at the first error.
func FindConsumers(ctx context.Context, c *client.Client, creds client.Credentials, text string, limit int) ([]client.Consumer, error) {
	text = strings.TrimSpace(text)
	if text == "" || limit <= 0 {
		return nil, nil
	}
	var out []client.Consumer
	seen := map[string]bool{}
	for _, q := range []client.ConsumerQuery{{IDPrefix: text, Limit: limit}, {Search: text, Limit: limit}} {
		if len(out) == limit {
			break
		}
		page, err := c.ConsumersPage(ctx, creds, q, "")
		if err != nil {
			return out, err
		}
		for _, consumer := range page.Items {
			if len(out) < limit && !seen[consumer.ConsumerID] {
				seen[consumer.ConsumerID] = true
				out = append(out, consumer)
			}
		}
	}
	return out, nil
}
