package cli

import (
	"fmt"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/keptfile"
	"github.com/apideck-samples/vault-session/model/store"
	"github.com/apideck-samples/vault-session/model/termtext"
)

// openStore opens the program's files (presets, drafts, history), once. It
// is nil, with a warning, when there is no home for them: the program then
// runs without remembering anything rather than failing.
func (a *app) openStore() *store.Store {
	if a.store == nil && a.storeErr == nil {
		a.store, a.storeErr = store.Open(a.getenv)
		if a.storeErr != nil {
			a.warn(fmt.Errorf("presets, drafts and history are off: %w", a.storeErr))
		}
	}
	return a.store
}

// findPreset is the store's preset lookup, or nil without a store.
func (a *app) findPreset() presetFinder {
	st := a.openStore()
	if st == nil {
		return nil
	}
	return st.FindPreset
}

// warn reports problems that do not stop the command (a corrupt file set
// aside, a history that could not be written) on stderr. Their text holds
// paths and file content, so it is made safe for the terminal.
func (a *app) warn(problems ...error) {
	for _, p := range problems {
		if p != nil {
			fmt.Fprintf(a.streams.ErrOut, "vault-session: warning: %s\n", termtext.Line(keptfile.ErrorText(p)))
		}
	}
}

// historyOff reports whether created sessions are left out of the history:
// --no-history or VAULT_SESSION_NO_HISTORY=1.
func (a *app) historyOff(noHistoryFlag bool) bool {
	return noHistoryFlag || store.HistoryDisabled(a.getenv)
}

// recordCreated appends a created session to the history. Failing to is a
// warning: the session exists and its URL must still be printed.
func (a *app) recordCreated(req model.Request, result client.Result, preset, apiBase string, demo bool) {
	st := a.openStore()
	if st == nil {
		return
	}
	entry, err := store.NewEntry(req, a.now(), result.ExpiresAt, preset, apiBase, demo)
	if err == nil {
		err = st.AppendHistory(entry)
	}
	if err != nil {
		a.warn(fmt.Errorf("the session was not added to the history: %w", err))
	}
}
