package main

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

// The module's floors, lowest first. A package may import packages of its
// own floor and of the floors below it, never of a floor above: data flows
// up from the session model to the screens, and a lower floor never learns
// of a higher one.
//
//	0 model    the Session and its parts, validation, kept files, and
//	           model/termtext, the one sanitiser every floor may use;
//	           nothing of terminals or HTTP
//	1 client   the Vault API client and the demo API (client/mock);
//	           nothing of terminals
//	1 theme    colours, contrast, the Vault page preview and the app's
//	           styles (client/mock serves theme's HTML page, so the two
//	           share a floor)
//	2 ui       the wizard, its screens and widgets, and the command line
//	           (ui/cli), a user interface too
//	3 main     the process's entry point, calling ui/cli
var floors = []struct {
	prefix string // import path under the module
	floor  int
	name   string
	// forbidden are outside imports the floor must not make: what its
	// packages know nothing of.
	forbidden []string
}{
	{"model", 0, "model", []string{"net/http", "github.com/charmbracelet/", "github.com/muesli/", "golang.org/x/term"}},
	{"client", 1, "client", []string{"github.com/charmbracelet/", "github.com/muesli/", "golang.org/x/term"}},
	{"theme", 1, "theme", nil},
	{"ui", 2, "ui", nil},
	{"", 3, "main", nil},
}

const module = "github.com/apideck-samples/vault-session"

// floorOf returns the floor of a package of the module, and false for a
// package outside it.
func floorOf(path string) (floor int, name string, forbidden []string, ok bool) {
	if path != module && !strings.HasPrefix(path, module+"/") {
		return 0, "", nil, false
	}
	rel := strings.TrimPrefix(strings.TrimPrefix(path, module), "/")
	for _, f := range floors {
		if f.prefix != "" && (rel == f.prefix || strings.HasPrefix(rel, f.prefix+"/")) {
			return f.floor, f.name, f.forbidden, true
		}
	}
	if rel == "" {
		return 3, "main", nil, true
	}
	return -1, "", nil, true // a new top-level folder: no floor yet
}

// TestNoPackageImportsAFloorAbove lists every package's imports, its
// tests' included, with go list, and fails on an import of a higher floor,
// on a package outside the floors (a new top-level folder) and on a floor
// importing what it must know nothing of.
func TestNoPackageImportsAFloorAbove(t *testing.T) {
	t.Parallel()
	cmd := exec.Command("go", "list", "-f",
		"{{.ImportPath}}\t{{join .Imports \" \"}}\t{{join .TestImports \" \"}} {{join .XTestImports \" \"}}", "./...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	checked := 0
	for line := range strings.Lines(string(out)) {
		parts := strings.Split(strings.TrimSuffix(line, "\n"), "\t")
		if len(parts) != 3 {
			t.Fatalf("go list printed %q", line)
		}
		pkg := parts[0]
		floor, name, forbidden, _ := floorOf(pkg)
		if floor < 0 {
			t.Errorf("%s is on no floor: new packages go under model/, client/, theme/ or ui/", pkg)
			continue
		}
		for i, imports := range parts[1:] {
			what := "imports"
			if i == 1 {
				what = "tests import"
			}
			for _, imp := range strings.Fields(imports) {
				checked++
				if f, n, _, inModule := floorOf(imp); inModule && f > floor {
					t.Errorf("%s (floor %d, %s) %s %s (floor %d, %s): a floor never imports one above it",
						pkg, floor, name, what, imp, f, n)
				}
				for _, bad := range forbidden {
					if i == 0 && (imp == bad || strings.HasPrefix(imp, bad)) {
						t.Errorf("%s (%s) imports %s, which %s knows nothing of", pkg, name, imp, name)
					}
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("go list listed no imports")
	}
}

// TestFloorsOf pins the rule the test above applies.
func TestFloorsOf(t *testing.T) {
	t.Parallel()
	for path, want := range map[string]int{
		module:                         3,
		module + "/model":              0,
		module + "/model/termtext":     0,
		module + "/client/mock":        1,
		module + "/theme":              1,
		module + "/ui/cli":             2,
		module + "/modelling":          -1, // a folder named like a floor is not on it
		module + "/tools/gen":          -1,
		"github.com/charmbracelet/x/y": 0,
	} {
		got, _, _, inModule := floorOf(path)
		if !inModule {
			got = 0
		}
		if got != want {
			t.Errorf("floorOf(%s) = %d, want %d", path, got, want)
		}
	}
}
