package client_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/client/mock"
	"github.com/apideck-samples/vault-session/client/mock/mocktest"
	"github.com/apideck-samples/vault-session/model"
)

var creds = client.Credentials{APIKey: "sk_live_e2e", AppID: "app", ConsumerID: "consumer"}

func fastRetries() client.RetryPolicy {
	return client.RetryPolicy{MaxAttempts: 4, InitialWait: time.Millisecond, Factor: 1.5, MaxWait: 5 * time.Millisecond, MaxTotalTime: 5 * time.Second}
}

func TestCreateAgainstMock(t *testing.T) {
	now := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	m, base := mocktest.Start(t, mock.WithFixedTime(now))
	c := client.New(client.WithBaseURL(base), client.WithRetryPolicy(fastRetries()))

	s := model.Session{
		Settings: model.Settings{SessionLength: "12h", UnifiedAPIs: []string{"crm"}},
		Theme:    model.Theme{VaultName: "Acme", PrimaryColor: "teal"},
	}
	res, err := c.Create(context.Background(), creds, s)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(res.URL, base+"/session/") || !strings.HasSuffix(res.URL, res.Token) {
		t.Errorf("URL %q is not the mock's session URL for the token", res.URL)
	}
	if want := now.Add(12 * time.Hour); !res.ExpiresAt.Equal(want) || !res.ExpiryFromToken {
		t.Errorf("ExpiresAt = %v (from the token: %v), want %v", res.ExpiresAt, res.ExpiryFromToken, want)
	}
	if !res.IssuedAt.Equal(now) || res.Granted() != 12*time.Hour {
		t.Errorf("IssuedAt = %v, Granted = %v", res.IssuedAt, res.Granted())
	}
	// The demo API says it is one, and the client hears it.
	if !res.Demo {
		t.Errorf("Demo = false: the %s header was not read", client.DemoHeader)
	}
	claims, err := client.DecodeJWTClaims(res.Token)
	if err != nil {
		t.Fatal(err)
	}
	if theme := claims["theme"].(map[string]any); theme["primary_color"] != "#008080" || theme["vault_name"] != "Acme" {
		t.Errorf("theme claim = %v", theme)
	}
	reqs := m.Requests()
	if len(reqs) != 1 || reqs[0].APIKey != "sk_live_e2e" || reqs[0].Session == nil || reqs[0].Session.Settings.SessionLength != "12h" {
		t.Errorf("mock saw %+v", reqs)
	}
}

func TestCreateAgainstMockFailures(t *testing.T) {
	m, base := mocktest.Start(t)
	c := client.New(client.WithBaseURL(base), client.WithRetryPolicy(fastRetries()))

	m.FailNext(503, 2)
	m.FailNext(429, 1, "Retry-After", "1") // capped to MaxWait: 5 ms
	if _, err := c.Create(context.Background(), creds, model.Session{}); err != nil {
		t.Fatal(err)
	}
	if n := len(m.Requests()); n != 4 {
		t.Errorf("%d requests, want 4", n)
	}

	m.FailNext(503, 10)
	_, err := c.Create(context.Background(), creds, model.Session{})
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 || m.Pending() != 6 {
		t.Errorf("err %v with %d answers left, want the 503 with 6 left", err, m.Pending())
	}

	for _, tc := range []struct {
		creds   client.Credentials
		session model.Session
		want    string
	}{
		{client.Credentials{AppID: "a", ConsumerID: "c"}, model.Session{}, "401 Unauthorized: Unauthorized Request (UnauthorizedError)"},
		{client.Credentials{APIKey: "k", ConsumerID: "c"}, model.Session{}, "400 Bad Request: Missing Header: x-apideck-app-id (RequestHeadersValidationError)"},
		{creds, model.Session{Settings: model.Settings{UnifiedAPIs: []string{"crn"}}}, `422 Unprocessable Entity: settings.unified_apis[0]: "crn" is not a unified API id (ValidationError)`},
	} {
		m2 := mock.New()
		srv2 := httptest.NewServer(m2)
		c2 := client.New(client.WithBaseURL(srv2.URL), client.WithRetryPolicy(fastRetries()))
		_, err := c2.Create(context.Background(), tc.creds, tc.session)
		srv2.Close()
		if err == nil || err.Error() != tc.want {
			t.Errorf("err = %v, want %s", err, tc.want)
		}
	}
}

func BenchmarkCreateAgainstMock(b *testing.B) {
	_, base := mocktest.Start(b)
	c := client.New(client.WithBaseURL(base))
	s := model.Session{Settings: model.Settings{UnifiedAPIs: []string{"crm"}}}
	ctx := context.Background()
	for b.Loop() {
		if _, err := c.Create(ctx, creds, s); err != nil {
			b.Fatal(err)
		}
	}
}
