package main

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"testing"
)

// The tests of this package run the real binary: main's wiring, signals,
// terminals and the stamped version. The commands themselves are tested in
// ui/cli, inside the process.

// Exit codes and names the binary's tests expect (ui/cli defines them).
const (
	exitOK          = 0
	exitUsage       = 2
	exitTimeout     = 3
	exitInterrupted = 130
	envAPIKey       = "APIDECK_API_KEY"
	// testAPIKey is the key the tests pass; no output may ever contain it.
	testAPIKey = "sk_test_DO_NOT_PRINT_9f8e7d6c5b4a"
	// testVersion is stamped into the test binary as a release stamps its tag.
	testVersion = "v9.8.7-test"
)

// The binary the tests share: built at most once per test process, with
// go build's default flags so that, after .ci/run's `go build ./...`, only
// the link is new work.
var (
	binDir   string
	binOnce  sync.Once
	binPath  string
	binErr   error
	binBuild []byte // go build's output, when it failed
)

// TestMain points the process's own XDG homes at a temporary folder, so
// nothing a test runs writes the user's files, and removes the shared
// binary at the end. HOME stays: go build finds its module cache there.
//
// The tests wait on the binaries they run (a batch through 10 s of 429s, a
// watch, signals, terminals) more than they work, so eight run at once
// unless -test.parallel says, not one a core: with two cores the 10 s
// test waited for a slot.
func TestMain(m *testing.M) {
	flag.Parse()
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if !given {
		flag.Set("test.parallel", strconv.Itoa(max(8, runtime.GOMAXPROCS(0))))
	}
	dir, err := os.MkdirTemp("", "vault-session-test-")
	if err != nil {
		panic(err)
	}
	binDir = dir
	os.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "home", ".config"))
	os.Setenv("XDG_STATE_HOME", filepath.Join(dir, "home", ".local", "state"))
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// builtBinary returns the command, built on first use with testVersion
// stamped; it skips under -short.
func builtBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	binOnce.Do(func() {
		binPath = filepath.Join(binDir, "vault-session")
		if runtime.GOOS == "windows" {
			binPath += ".exe"
		}
		build := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build",
			"-ldflags", "-X main.version="+testVersion, "-o", binPath, ".")
		binBuild, binErr = build.CombinedOutput()
	})
	if binErr != nil {
		t.Fatalf("go build: %v\n%s", binErr, binBuild)
	}
	return binPath
}
