package ui

import (
	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
)

// customerMessage is what m copies: model.CustomerMessage for the session
// created (a batch writes the same note in its results), saying what the
// session fixes when the consumer panel prepared it.
func customerMessage(req model.Request, purpose string, res client.Result) string {
	return model.CustomerMessageFor(req, purpose, res.URL, res.ExpiresAt)
}
