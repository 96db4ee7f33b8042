// Package ui is the Bubble Tea wizard that walks a person from credentials
// to a live Vault session URL.
package ui

import (
	"context"
	"io"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
)

// Options is everything the wizard starts from.
type Options struct {
	// Request is the prefilled session (from --from and flags).
	Request model.Request
	// APIKey prefilled from flags or the environment; never displayed.
	APIKey string
	// Client sends the request; its base URL is the real API or the demo.
	Client *client.Client
	// Demo is true when Client talks to the built-in demo API.
	Demo bool
	// DemoClient, when set, is used whenever the API key is left empty in
	// the Credentials step (the wizard then says the session is a demo).
	DemoClient *client.Client
	Version    string
	In         io.Reader
	Out        io.Writer
	// ColorProfileHint etc. may be added later.
}

// Outcome is how the wizard ended.
type Outcome struct {
	// Created is the last session created, if any.
	Created *client.Result
	// Interrupted is true when the user left with Ctrl+C.
	Interrupted bool
}

// Run runs the wizard until the user quits. The caller prints Outcome's URL
// after the alternate screen is gone.
func Run(ctx context.Context, opts Options) (Outcome, error) {
	panic("not implemented")
}
