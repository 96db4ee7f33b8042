package cli

import (
	"fmt"
	"strings"
)

// The usage texts are written out rather than left to flag.PrintDefaults so
// flags appear grouped and in a useful order; a test checks every flag a
// command defines is described in its text.

func rootUsage() string {
	var b strings.Builder
	b.WriteString(`vault-session creates Apideck Hosted Vault sessions: a link a customer opens
to connect their integrations, themed and limited the way you choose.

Usage:
  vault-session [--from FILE] [flags]    the wizard (needs a terminal)
  vault-session create [flags]           create a session, print its URL
  vault-session preview [flags]          draw the Vault page with its theme
  vault-session connections [flags]      list a consumer's connections
  vault-session watch [flags]            follow them live, e.g. until callable
  vault-session presets [list|show|save|rm]  themes and settings to reuse
  vault-session history [--consumer ID]  the sessions created, newest first
  vault-session demo-server [--listen A] serve the demo API until Ctrl+C
  vault-session --version

With no API key anywhere (flags or APIDECK_API_KEY), the wizard uses the
built-in demo API and says so. Without a terminal, 'vault-session --from FILE'
creates the session as 'create' does; with neither a terminal nor --from it
stops with exit code 2 instead of waiting for input.

`)
	b.WriteString(credentialsUsage())
	b.WriteString(sessionUsage())
	b.WriteString(`
Waiting:
  --timeout DURATION       give up on a create after this long, retries
                           included (default 2m)

Display:
  --theme MODE             light, dark or auto (default: ask the terminal for
                           its background, then COLORFGBG, then dark); or set
                           VAULT_SESSION_THEME
  --accessible             plain line-by-line prompts for screen readers: no
                           full-screen drawing, no colour needed (also
                           ACCESSIBLE=1, or TERM=dumb)
  --no-bell                no terminal bell when a connection watched from
                           the result screen (w) becomes callable

Other:
  --no-history             do not add created sessions to the history (or
                           set VAULT_SESSION_NO_HISTORY=1)
  --version                print the version and exit

Run 'vault-session COMMAND --help' for a command's own flags.
`)
	return b.String()
}

func createUsage() string {
	var b strings.Builder
	b.WriteString(`Usage: vault-session create [--from FILE] [flags]

Creates one session and prints its URL on stdout (the expiry goes to stderr).
Flags override the file. No prompts: for scripts and CI.

`)
	b.WriteString(credentialsUsage())
	b.WriteString(sessionUsage())
	b.WriteString(`
Output:
  --output FORMAT          text (default): the URL; json: {"url","token",
                           "expires_at","demo"}; curl: with --dry-run only
  --dry-run                print the request instead of sending it (the API
                           key is redacted)
  --timeout DURATION       give up on the API after this long, retries
                           included (default 2m); exit code 1

History:
  --again CONSUMER_ID      send the last body the history holds for that
                           consumer again (a new token); flags still apply
  --no-history             do not add the session to the history (or set
                           VAULT_SESSION_NO_HISTORY=1)

Exit codes: 0 created, 1 API or network error, 2 bad usage or invalid
session (every invalid field is listed), 130 interrupted.
`)
	return b.String()
}

func previewUsage() string {
	var b strings.Builder
	b.WriteString(`Usage: vault-session preview [--from FILE] [flags]

Draws the hosted Vault page as the session's theme and settings make it look,
in the terminal or (--html, --open) as a web page.

`)
	b.WriteString(sessionUsage())
	b.WriteString(`
Display:
  --width N                columns to draw in (default: the terminal's width,
                           or 100)
  --height N               lines to draw in (default: as many as the page
                           needs)
  --color WHEN             auto (default: when stdout is a terminal and
                           NO_COLOR is unset), always or never

In a browser (instead of the terminal):
  --html FILE              write the page as one self-contained HTML file
                           ("-" for stdout)
  --open                   open the page in the browser ($BROWSER, else the
                           system's); without --html it is written to a
                           private temporary file, whose path is printed
`)
	return b.String()
}

func connectionsUsage() string {
	var b strings.Builder
	b.WriteString(`Usage: vault-session connections --consumer-id ID [--api API] [flags]

Lists the consumer's connections once (GET /vault/connections): integration,
unified API, state, health, enabled and when it last changed. Integrations
the consumer has not added are left out.

`)
	b.WriteString(credentialsUsage())
	b.WriteString(`
Output:
  --api API                only this unified API (e.g. crm)
  --output FORMAT          text (default): a table; json: {"consumer_id",
                           "connections":[{"id","service_id","name",
                           "unified_api","state","health","enabled",
                           "created_at","updated_at"}]}
  --timeout DURATION       give up on the API after this long, retries
                           included (default 2m); exit code 1

Exit codes: 0 listed, 1 API or network error, 2 bad usage, 130 interrupted.
`)
	return b.String()
}

func watchUsage() string {
	var b strings.Builder
	b.WriteString(`Usage: vault-session watch --consumer-id ID [--until CONDITION] [flags]

Polls the consumer's connections and prints each change as it happens
("15:04:12 Salesforce (CRM): authorized → callable"), after a first line per
connection it already has. Rate limits (429, with Retry-After) and server or
network errors are waited out, backing off; status goes to stderr.

`)
	b.WriteString(credentialsUsage())
	b.WriteString(`
Watching:
  --until CONDITION        stop with exit code 0 once it holds: callable (any
                           connection), callable:crm (one of that unified
                           API) or callable:crm/salesforce (that service);
                           added, authorized or invalid work as well
  --timeout DURATION       stop after this long (default 30m); exit code 3
  --interval DURATION      time between polls (default 5s, at least 1s);
                           after errors it doubles up to 1m, and a
                           Retry-After is honoured (up to 10m)
  --output FORMAT          text (default): one line per change; jsonl: one
                           JSON object per line: {"time","event" (snapshot,
                           added, changed, removed),"unified_api",
                           "service_id","name","from","to"}, from and to
                           being {"state","health","enabled"} or null

Exit codes: 0 the --until condition holds, 1 an API error polling cannot fix
(e.g. 401, 404), 2 bad usage, 3 --timeout passed, 130 interrupted.
`)
	return b.String()
}

func presetsUsage() string {
	var b strings.Builder
	b.WriteString(`Usage:
  vault-session presets [list]           list presets: name, unified APIs,
                                         colours, file
  vault-session presets show NAME|PATH   print a preset as a session file
  vault-session presets save NAME [--preset P] [--from FILE] [flags] [--force]
  vault-session presets rm NAME

A preset is a session file (the --from format) without consumer_metadata:
theme, settings, unified APIs, redirect URI and custom settings, reused for
many consumers with --preset NAME on the wizard, create and preview.

Presets live in $XDG_CONFIG_HOME/vault-session/presets (default
~/.config/vault-session/presets). VAULT_SESSION_PRESETS names a folder
shared by a team; it is searched first. An unknown preset is exit code 2.

Save:
  --force                  replace a preset of the same name
`)
	b.WriteString(sessionUsage())
	return b.String()
}

func historyUsage() string {
	return `Usage: vault-session history [--consumer ID] [--output text|json]

Lists the sessions created, newest first: when, consumer, account, unified
APIs, length, expiry, preset and API host. Never the key, the token or the
URL. The file is $XDG_STATE_HOME/vault-session/history.jsonl (default
~/.local/state/vault-session/history.jsonl), one JSON object a line.

  --consumer ID            only this consumer's sessions
  --output FORMAT          text (default) or json (an array)
  --limit N                at most N sessions (0: all)

'vault-session create --again ID' sends a consumer's last body again.
--no-history or VAULT_SESSION_NO_HISTORY=1 stops new sessions being added.
`
}

func demoServerUsage() string {
	return `Usage: vault-session demo-server [--listen ADDR]

Serves the built-in demo API, a stand-in for Apideck's Vault API that needs no
account, and prints its URL. Point other tools at it with --base-url or
APIDECK_BASE_URL. Stops on Ctrl+C.

  --listen ADDR            address to listen on (default 127.0.0.1:8080;
                           127.0.0.1:0 picks a free port)
`
}

func credentialsUsage() string {
	return fmt.Sprintf(`Credentials (flags win over the environment):
  --api-key KEY            Apideck API key (env %s); prefer the
                           variable: command lines are visible to other users
  --app-id ID              Apideck application ID (env %s)
  --consumer-id ID         the customer's consumer ID (env %s)
  --base-url URL           API endpoint (env %s; default
                           https://unify.apideck.com)
  --demo                   use the built-in demo API: no key needed, app and
                           consumer ID default to %s / %s
`, envAPIKey, envAppID, envConsumerID, envBaseURL, demoAppID, demoConsumerID)
}

// sessionUsage lists --from and the session flags from their definitions.
func sessionUsage() string {
	var b strings.Builder
	b.WriteString(`
Session (--preset, then --from over it, then flags over both, field by
field; booleans are sent only when given):
  --preset NAME|PATH       start from a preset (see 'vault-session presets')
  --from FILE              start from a session JSON file ("-" for stdin)
`)
	for _, f := range sessionFields() {
		left := "--" + f.name
		if f.isBool {
			left += "[=false]"
		} else {
			left += " " + f.arg
		}
		writeFlagLine(&b, left, f.usage)
	}
	return b.String()
}

// writeFlagLine writes "  --flag ARG   usage" with the usage wrapped at 78
// columns under its own column.
func writeFlagLine(b *strings.Builder, left, usage string) {
	const col, width = 27, 78
	line := "  " + left
	if len(line) >= col-1 {
		b.WriteString(line + "\n")
		line = ""
	}
	line += strings.Repeat(" ", col-len(line))
	atStart := true
	for _, word := range strings.Fields(usage) {
		if !atStart && len(line)+1+len(word) > width {
			b.WriteString(line + "\n")
			line, atStart = strings.Repeat(" ", col), true
		}
		if !atStart {
			line += " "
		}
		line += word
		atStart = false
	}
	b.WriteString(line + "\n")
}
