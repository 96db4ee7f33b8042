package ui

import (
	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
)

// customerMessage is what m copies: model.CustomerMessage for the session
// created (a batch writes the same note in its results).
func customerMessage(req model.Request, res client.Result) string {
	return model.CustomerMessage(req, res.URL, res.ExpiresAt)
}
