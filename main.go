// Command vault-session creates Apideck Hosted Vault sessions: a wizard for
// people at a terminal, a headless `create` for scripts, a theme preview and
// a demo API that needs no account. The commands live in ui/cli; this is
// only the process's entry point.
package main

import (
	"os"

	"github.com/apideck-samples/vault-session/ui/cli"
	// Before Bubble Tea's init: no terminal query at start-up.
	_ "github.com/apideck-samples/vault-session/ui/quietstart"
)

// version is stamped by a release build: -ldflags "-X main.version=v1.2.3".
// Empty, the version comes from what Go recorded in the binary.
var version string

func main() {
	os.Exit(cli.Main(os.Args, os.Getenv, cli.SystemStreams(), version))
}
