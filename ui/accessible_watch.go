package ui

import (
	"context"
	"slices"
	"strings"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/client/watch"
	"github.com/apideck-samples/vault-session/model/termtext"
)

// watchConnections is the result screen's w as plain lines: the consumer's
// connections polled with client/watch's Poller (the pace, back-off and
// change list the watch screen uses), each change printed once as the
// screen's log words it. Nothing is redrawn; Enter or q stops, Ctrl+C
// leaves as everywhere.
func (lw *lineWizard) watchConnections(created CreatedSession) error {
	a, w := lw.ask, lw.w
	req := w.st.req // the request just created, as the screen's resultView keeps it
	who := termtext.Line(req.ConsumerID)
	if name := termtext.Line(strings.TrimSpace(req.Session.ConsumerMetadata.AccountName)); name != "" {
		who += " (" + name + ")"
	}
	apis := req.Session.Settings.UnifiedAPIs
	scope := "every unified API"
	if len(apis) > 0 {
		names := make([]string, len(apis))
		for i, id := range apis {
			names[i] = termtext.LineN(watch.APIName(id), 30)
		}
		scope = "the session's unified APIs: " + strings.Join(names, ", ")
	}
	a.say("Watching the connections of %s, %s. Polling every %s; each change is one line.", who, scope, watch.DefaultInterval)
	a.say("Press enter or q to stop watching.")

	ctx, cancel := context.WithCancel(a.ctx)
	defer cancel()
	apiKey, demo, list := w.st.apiKey, created.BuiltInDemo || created.Result.Demo, w.st.listConnections
	poller := watch.Poller{
		Fetch: func(ctx context.Context) ([]client.Connection, error) { return list(ctx, apiKey, req, demo) },
		Now:   w.now,
		Sleep: w.effects.sleep,
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = poller.Run(ctx, func(p watch.Poll) bool { return lw.sayPoll(p, apis, req.ConsumerID) })
	}()
	defer func() { cancel(); <-done }() // no line is written after the watch ends
	for {
		ans, err := a.ask("")
		if err != nil {
			return err
		}
		if ans == "" || isQuit(ans) {
			cancel()
			<-done
			a.say("Stopped watching.")
			return nil
		}
		a.say("Press enter or q to stop watching.")
	}
}

// sayPoll writes what one poll brought: the connections as they stand on
// the first, then each change of the APIs shown, with the screen's bell
// when a connection became callable (unless --no-bell). It reports
// whether to poll again: not after an error polling cannot fix.
func (lw *lineWizard) sayPoll(p watch.Poll, apis []string, consumerID string) bool {
	a, st := lw.ask, &lw.w.st
	if p.Err != nil {
		if watch.Permanent(p.Err) {
			a.say("Polling stopped: %s. Press enter to go on.", termtext.Line(p.Err.Error()))
			return false
		}
		a.say("Poll failed (%d in a row): %s; next poll in %s.", p.Failures, termtext.Line(p.Err.Error()), p.Next)
		return true
	}
	if p.First {
		rows := watch.Visible(p.Connections, apis)
		if len(rows) == 0 {
			a.say("No connections yet: waiting for %s to add one on the Vault page.", termtext.Line(consumerID))
		}
		for _, c := range rows {
			a.say("%s", termtext.Line(watch.StatusLine(p.At, c)))
		}
		return true
	}
	ring := false
	for _, ch := range p.Changes {
		ring = ring || (ch.BecameCallable() && !st.noBell)
	}
	if ring && lw.w.effects.ring != nil {
		// The screen's bell, once for the poll that brought it, rung
		// between lines: never in the middle of one.
		a.out.do(lw.w.effects.ring)
	}
	for _, ch := range p.Changes {
		if len(apis) > 0 && !slices.Contains(apis, ch.Connection.UnifiedAPI) {
			continue // the screen's log shows the session's APIs
		}
		a.say("%s", termtext.Line(watch.LogLine(p.At, ch)))
	}
	return true
}
