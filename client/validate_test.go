package client

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestValidateConnection(t *testing.T) {
	var body string
	var rec recorder
	srv, _ := serve(t, rec.wrap(func(w http.ResponseWriter, r *http.Request) {
		data, _ := io.ReadAll(r.Body)
		body = string(data)
		reply(200, "application/json", `{"status_code":200,"status":"OK","data":{"id":"crm+salesforce","state":"callable"}}`)(w, r)
	}))
	c, _ := newTestClient(srv.URL)
	v, err := c.ValidateConnection(context.Background(), testCreds, "crm", "sales force")
	if err != nil {
		t.Fatal(err)
	}
	got := rec.last()
	if got.Method != http.MethodPost || got.URL.EscapedPath() != "/vault/connections/crm/sales%20force/validate" ||
		body != "{}" || got.Header.Get("x-apideck-consumer-id") != "consumer-42" || got.Header.Get("Content-Type") != "application/json" {
		t.Errorf("request %s %s body %q headers %v", got.Method, got.URL.EscapedPath(), body, got.Header)
	}
	if v.ID != "crm+salesforce" || v.State != StateCallable {
		t.Errorf("validation %+v", v)
	}
}

// A refresh that fails is the spec's 401 with a refresh_token_connector_error
// detail: when the credentials go is read from it.
func TestValidateConnectionRefreshFailure(t *testing.T) {
	srv, _ := serve(t, reply(401, "application/json", `{"status_code":401,"error":"Unauthorized","type_name":"UnauthorizedError",
		"message":"Unauthorized Request","detail":{"type":"refresh_token_connector_error","message":"Token refresh failed with 401 error",
		"debug":{"response":{"statusCode":401,"data":{"error":"invalid_grant"}},"credentials_expire_at_ms":1620172800000,
		"retry_after_ms":1620000030000,"cooldown_remaining_ms":30000}},"ref":"https://developers.apideck.com/errors#unauthorizederror"}`))
	c, _ := newTestClient(srv.URL)
	_, err := c.ValidateConnection(context.Background(), testCreds, "accounting", "quickbooks")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 401 {
		t.Fatalf("err = %v", err)
	}
	f, ok := apiErr.RefreshFailure()
	if !ok || f.Type != "refresh_token_connector_error" || f.Message != "Token refresh failed with 401 error" ||
		!f.CredentialsExpireAt.Equal(time.UnixMilli(1620172800000).UTC()) || !f.RetryAt.Equal(time.UnixMilli(1620000030000).UTC()) {
		t.Errorf("refresh failure %+v ok %v", f, ok)
	}
	if _, ok := (&APIError{Detail: "Missing authentication"}).RefreshFailure(); ok {
		t.Error("a string detail read as a refresh failure")
	}
	if _, ok := (&APIError{Detail: map[string]any{"missing": []any{}}}).RefreshFailure(); ok {
		t.Error("another object detail read as a refresh failure")
	}
}

func TestValidateConnectionInvalidAnswer(t *testing.T) {
	srv, _ := serve(t, reply(200, "application/json", `{"status_code":200,"data":"ok"}`))
	c, _ := newTestClient(srv.URL)
	var invalid *InvalidResponseError
	if _, err := c.ValidateConnection(context.Background(), testCreds, "crm", "x"); !errors.As(err, &invalid) ||
		!strings.Contains(err.Error(), "data") {
		t.Errorf("err = %v", err)
	}
}
