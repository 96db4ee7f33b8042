package ui

import (
	"os/exec"
	"strings"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/apideck-samples/vault-session/theme"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"
)

// state is what the steps edit together: the request being built and what
// the screen needs to show it.
type state struct {
	req    model.Request
	apiKey string
	// keyHeld is Options.KeyHeldByServer: the key and the app ID are the
	// server's, shown and never asked.
	keyHeld bool
	// keyFrom names where the key given at the start came from
	// ("APIDECK_API_KEY", "--api-key"), "" when none was: that key,
	// givenKey, is shown as such and kept until the user chooses to type
	// another (see credentialsStep).
	keyFrom  string
	givenKey string
	// forceDemo is set by --demo: every request goes to the demo API,
	// whatever key is typed.
	forceDemo bool
	// apiName is where a request with a key goes, as Client.APIName names
	// it: "Apideck", or the host of --base-url. Empty means Apideck.
	apiName string
	// errs are the inline errors of the current step, shown once the user
	// has tried to go on (or an API answer named a field).
	errs model.ValidationErrors
	// apiNote is an API error shown on top of the step it sent the user to.
	apiNote string
	// customSettingsErr is set while the custom settings text does not
	// parse: the request then still holds the last valid object, so the
	// review must not offer it as what will be sent.
	customSettingsErr error
	// commandLine is Options.CommandLine: see suggest.
	commandLine func(command string, args ...string) string
	// describe renders the request the client would send (key redacted),
	// so the review shows exactly that and the wizard never builds HTTP.
	// Run sets it; nil means no preview.
	describe func(client.Credentials, model.Session) (client.DescribedRequest, error)
	// openPage writes an HTML page to a temporary file and opens it in the
	// browser, returning the file's path; nil means no browser here.
	openPage func(html []byte) (string, error)
	// handOver readies a command ($EDITOR) for tea.Exec to run on the
	// terminal while the wizard waits: the terminal package's, which
	// gives it the terminal rather than Bubble Tea's input. nil:
	// tea.ExecProcess's way.
	handOver func(*exec.Cmd) tea.ExecCommand

	// listConnections reads the consumer's connections for the watch
	// screen; Run sets it, nil means the screen cannot poll.
	listConnections listConnectionsFunc
	// noBell is --no-bell: no terminal bell when a connection becomes
	// callable.
	noBell bool
	// lookups are the support look-ups: consumers matching the typed ID,
	// a consumer's card for the panel (consumer_completion.go).
	lookups consumerLookups
	// every is the wizard's timer (effects.every), for the steps: the
	// consumer ID asks the API once the typing pauses.
	every func(d time.Duration, msg tea.Msg) tea.Cmd
	// fix is the session the consumer panel's f prepared: what it fixes,
	// for the message to the customer; nil for any other session.
	fix *preparedFix
	// now is the wizard's clock, for the steps (the consumer panel's
	// times, asked from the Consumer step in the plain prompts).
	now func() time.Time

	// timeout bounds one create, retries included (--timeout); 0: none.
	timeout time.Duration

	// memory is what is kept between runs: drafts, presets, history (see
	// memory.go). Its zero value keeps nothing.
	memory memory

	// nav is a navigation message a step asked for in this update.
	nav tea.Msg

	keys   KeyMap
	styles theme.Styles
	// profile is the terminal's colour support, for the Vault preview,
	// which draws the session's own colours rather than the app's.
	profile termenv.Profile
	// noColor is NO_COLOR on a terminal that takes escape codes: the
	// styles draw attributes and no colour, profile is Ascii, and links
	// are still hyperlinks.
	noColor bool
	// darkBackground is the terminal's background as termbg decided it:
	// a QR code drawn without colour is drawn for it.
	darkBackground bool
	width          int
	height         int
	// bodyHeight is the number of lines the root gives the step's body in
	// the frame being drawn (set by the root's View before the step's).
	bodyHeight int
}

// apiTarget names where the next request goes, for "at …" in sentences.
func (st *state) apiTarget() string {
	if st.demo() {
		return "the built-in demo API"
	}
	return st.keyedAPI()
}

// keyedAPI names where a request with a key goes: "Apideck" only when the
// base URL is Apideck's, otherwise its host.
func (st *state) keyedAPI() string {
	if st.apiName == "" || st.apiName == "Apideck" {
		return "Apideck"
	}
	return termtext.LineN(st.apiName, 80)
}

// keyIsGiven reports whether the key is the one given at the start.
func (st *state) keyIsGiven() bool {
	return st.keyFrom != "" && st.apiKey != "" && st.apiKey == st.givenKey
}

// keyedAPIWhere says where a request with a key goes, in a sentence:
// "the Apideck API", or "127.0.0.1:8080 (--base-url)".
func (st *state) keyedAPIWhere() string {
	if t := st.keyedAPI(); t != "Apideck" {
		return t + " (--base-url)"
	}
	return "the Apideck API"
}

// demo reports whether the next request goes to the built-in demo API.
func (st *state) demo() bool { return st.forceDemo || st.apiKey == "" }

// suggest is a command the wizard tells the person to type, built by
// Options.CommandLine so that it runs where this run does.
func (st *state) suggest(command string, args ...string) string {
	if st.commandLine != nil {
		return st.commandLine(command, args...)
	}
	return strings.Join(append([]string{"vault-session", command}, args...), " ")
}
