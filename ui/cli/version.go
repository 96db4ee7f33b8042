package cli

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
)

// buildVersion is what this binary says it is.
type buildVersion struct {
	// short is the version alone, for the User-Agent and the wizard's
	// header: v1.2.3, a Go pseudo-version, or "dev".
	short string
	// detail, when set, tells --version how the binary was built.
	detail string
}

// String is the line --version prints after the program's name.
func (v buildVersion) String() string {
	if v.detail == "" {
		return v.short
	}
	return v.short + " (" + v.detail + ")"
}

// versionOf decides what a binary says it is, from the version a release
// build stamps with -ldflags "-X main.version=…" (empty otherwise) and what
// Go recorded in the binary (nil when nothing was). In order:
//   - a release build says its tag;
//   - `go install …@v1.2.3` records the module's version: that;
//   - `go build` in a git clone records a pseudo-version
//     (v0.0.0-20261206125519-e5f1ae4c3b64, +dirty when files were changed)
//     and the commit: both, said for what they are;
//   - `go run`, a git worktree or -buildvcs=false record nothing: "dev".
func versionOf(stamped string, info *debug.BuildInfo) buildVersion {
	if stamped != "" {
		return buildVersion{short: stamped}
	}
	if info == nil {
		return buildVersion{short: "dev", detail: "no build information"}
	}
	var revision string
	var modified bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if len(revision) > 12 {
		revision = revision[:12]
	}
	v := buildVersion{short: info.Main.Version}
	if v.short == "" || v.short == "(devel)" {
		v.short = "dev"
	}
	if revision != "" {
		v.detail = "development build of commit " + revision
		if modified {
			v.detail += ", with uncommitted changes"
		}
	} else if v.short == "dev" {
		v.detail = "development build: no version recorded"
	}
	return v
}

// readBuildVersion is versionOf for this process.
func readBuildVersion(stamped string) buildVersion {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		info = nil
	}
	return versionOf(stamped, info)
}

// selfName is how text that tells a person what to type next names this
// program: "vault-session" when that is what the PATH runs, "go run ."
// under go run (whose binary is gone when it ends), otherwise the path it
// was started by, such as ./vault-session.
func selfName(argv0 string, lookPath func(string) (string, error)) string {
	const name = "vault-session"
	if argv0 == "" {
		return name
	}
	slashed := filepath.ToSlash(argv0)
	if strings.Contains(slashed, "/go-build") {
		// go run builds into the build cache or a go-build temporary
		// folder: neither is a command anyone can type afterwards.
		return "go run ."
	}
	base := strings.TrimSuffix(filepath.Base(argv0), ".exe")
	if !strings.Contains(slashed, "/") {
		return base
	}
	if found, err := lookPath(base); err == nil && sameFile(found, argv0) {
		return base
	}
	return argv0
}

func sameFile(a, b string) bool {
	ia, err := os.Stat(a)
	if err != nil {
		return false
	}
	ib, err := os.Stat(b)
	return err == nil && os.SameFile(ia, ib)
}
