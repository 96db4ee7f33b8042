package ui

// What the wizard does differently when it is served to a terminal on
// another machine (vault-session serve): the Options Remote,
// KeyHeldByServer, WindowSizes, ColorProfile, Creating and Created.

import (
	"context"
	"errors"
	"io"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/ui/clipboard"
	"github.com/apideck-samples/vault-session/ui/terminal"
)

// WindowSize is a terminal's size in cells.
type WindowSize = terminal.Size

// errBrowserElsewhere is what opening a browser says when the wizard runs
// on a server: a browser opened there would be on nobody's screen.
var errBrowserElsewhere = errors.New("the wizard runs on the server, where no one would see a browser; open the URL on your own computer")

// remoteEffects are fx for a terminal on another machine: no browser, no
// page, and copying through the terminal (OSC 52) only, since a clipboard
// tool would fill the server's clipboard.
func remoteEffects(fx effects, terminal io.Writer) effects {
	copier := clipboard.Copier{Terminal: terminal}
	fx.openURL = func(string) (string, error) { return "", errBrowserElsewhere }
	fx.openPage = nil
	fx.copy = func(text string) clipboard.Report { return copier.Copy(context.Background(), text) }
	return fx
}

// remoteKeys turns off the keys that would act on the server rather than
// on the person's machine: $EDITOR and a browser would run there, and the
// editor's Paste would read the server's clipboard (its operator's, which
// may hold the API key). The terminal's own paste still arrives as typed
// text.
func remoteKeys(k *KeyMap) {
	k.OpenEditor.SetEnabled(false)
	k.Open.SetEnabled(false)
	k.Editor.Paste.SetEnabled(false)
}

// withCreateHooks wraps create with Creating, Created and NotCreated. With the key held
// by the server, every create uses the server's key and app ID, whatever a
// draft or a screen put in the request.
func (opts Options) withCreateHooks(create createFunc) createFunc {
	if opts.Creating == nil && opts.Created == nil && opts.NotCreated == nil && !opts.KeyHeldByServer {
		return create
	}
	return func(ctx context.Context, apiKey string, req model.Request, demo bool) (client.Result, error) {
		if opts.KeyHeldByServer {
			apiKey, req.AppID = opts.APIKey, opts.Request.AppID
		}
		if opts.Creating != nil {
			if err := opts.Creating(req); err != nil {
				return client.Result{}, err
			}
		}
		created := false
		defer func() { // a panic too gives the place back
			if !created && opts.NotCreated != nil {
				opts.NotCreated(req)
			}
		}()
		res, err := create(ctx, apiKey, req, demo)
		if created = err == nil; created && opts.Created != nil {
			opts.Created(req, res)
		}
		return res, err
	}
}
