// Package mocktest serves the fake Vault API (client/mock) to a test on a
// local address that closes when the test ends. It is for tests only.
package mocktest

import (
	"net/http/httptest"
	"testing"

	"github.com/apideck-samples/vault-session/client/mock"
)

// Start serves a mock API made with opts until the test ends, and returns
// it (to script and read what it received) and its base URL.
func Start(t testing.TB, opts ...mock.Option) (*mock.Server, string) {
	t.Helper()
	api := mock.New(opts...)
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	return api, srv.URL
}
