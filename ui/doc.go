// Package ui is the Bubble Tea wizard that walks a person from credentials
// to a live Vault session URL, and its second front end, the same steps
// asked as plain lines. It edits a model.Request and hands it to the
// client; it never builds HTTP itself.
//
// # A map for the next engineer
//
// The root model, wizard.go, owns the order of the steps and one screen in
// front of them at most; everything else is a step or a screen that the
// root routes each message to, once.
//
//	run.go              Run: options, the clients, the effects (browser,
//	                    clipboard, bell), then the full-screen program or
//	                    the plain prompts
//	wizard.go           the root model: Update routes a message to the root
//	                    itself (quit, size, navigation), the screen in
//	                    front, or the current step; moving between steps.
//	                    Keys read together (one KeyMsg of several runes)
//	                    are split there into one key each (burst), so no
//	                    step or screen sees a burst
//	frame.go            View: header (n/7 and the dots), body, footer (the
//	                    help from KeyMap); fit, which lays the screen out
//	                    after every Update so that View changes nothing
//	step.go             the step interface and wizardSteps, THE list of
//	                    steps: add a step there and it is numbered in the
//	                    header, the dots, the Review and the plain prompts
//	step_*.go           one file per step: its widgets, update, view, keys,
//	                    its section of the Review (summary) and its plain
//	                    prompts (runAccessible)
//	screen.go           the screen interface: the pages that are not steps
//	screen_*.go         one file per screen: resume (drafts at the start),
//	                    preset picker, save preset, creating (and the create
//	                    call), failure, result, watch, consumer panel; those
//	                    the plain prompts use carry their runAccessible too
//	keymap.go           KeyMap, every key the wizard answers or names, and
//	                    the helpers that show them (relabel, either): a key
//	                    is rebound in DefaultKeyMap and nowhere else
//	state.go            state: the request and what every step shares
//	form.go             textForm, the column of text fields most steps use
//	consumer_completion.go  the consumer ID's suggestions: the history's
//	                    consumers, then the API's, looked up off the event
//	                    loop once the typing pauses
//	screen_consumer.go  the consumer panel (ctrl+l): connections, health,
//	                    requests, failing calls; f prepares the fix
//	pager.go            pager, the scroll of a page taller than the
//	                    screen (Review, result, failure, watch,
//	                    consumer panel)
//	api_call.go         apiCall, the one API call a field or screen runs
//	                    off the event loop (lookups, readings, polls), and
//	                    how its stale answers are dropped
//	memory.go           drafts, presets and history through model/store
//	accessible.go       the plain-prompt front end: the line asker and the
//	                    loop over the same steps and screens
//	text.go, customer_message.go  small text helpers; wrapText and
//	                    wrapIn wrap prose by ui/wordwrap
//
// Sub-packages hold what does not need the wizard: ui/cli (the command
// line), ui/failure (one explanation of a failed request for every front
// end), ui/textedit (the custom settings editor), ui/batchrun and
// ui/batchview (a batch of sessions), ui/qrtext (a link as a QR code in
// half blocks, for Session ready's Q, create --qr and the plain prompts),
// ui/wordwrap (the one rule every screen wraps prose by: at spaces, never
// inside a flag or a backquoted command), ui/browser, ui/clipboard,
// ui/openpage, ui/termbg, ui/quietstart and ui/lockedwriter.
//
// Tests drive Update with keys and compare View with the golden files in
// testdata (harness_test.go); steps_test.go adds a step to the list,
// help_test.go presses every key the help offers (and rebinds them all),
// view_pure_test.go checks that View changes nothing.
package ui
