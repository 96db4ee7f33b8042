package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os/exec"
	"path/filepath"
	"strconv"
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

// TestImportsAreGrouped holds every file to the one layout of its imports
// that goimports and the rest of the code keep: the standard library in a
// group of its own, first, then the other modules' and this module's
// packages, the groups parted by a blank line. A module path in the middle
// of the standard library's names reads as one of them.
func TestImportsAreGrouped(t *testing.T) {
	t.Parallel()
	fset := token.NewFileSet()
	files := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		files++
		for _, problem := range importGroupProblems(fset, f) {
			t.Errorf("%s: %s", path, problem)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files == 0 {
		t.Fatal("found no Go files")
	}
}

// importGroupProblems says what is out of place in a file's imports: a
// group (lines with no blank between) mixing the standard library with
// other packages, or a standard library group after another.
func importGroupProblems(fset *token.FileSet, f *ast.File) []string {
	var problems []string
	for _, decl := range f.Decls {
		gen, ok := decl.(*ast.GenDecl)
		if !ok || gen.Tok != token.IMPORT {
			continue
		}
		lastLine, groupStd, sawOther := -1, false, false
		for i, spec := range gen.Specs {
			imp := spec.(*ast.ImportSpec)
			path, _ := strconv.Unquote(imp.Path.Value)
			std := !strings.Contains(strings.SplitN(path, "/", 2)[0], ".")
			line := fset.Position(imp.Pos()).Line
			if imp.Doc != nil {
				line = fset.Position(imp.Doc.Pos()).Line
			}
			newGroup := i == 0 || line > lastLine+1
			switch {
			case !newGroup && std != groupStd:
				problems = append(problems, fmt.Sprintf("%s is in a group with %s: the standard library is a group of its own",
					path, map[bool]string{true: "the standard library", false: "other modules' packages"}[groupStd]))
			case newGroup && std && sawOther:
				problems = append(problems, fmt.Sprintf("%s: the standard library's group comes first", path))
			}
			if newGroup {
				groupStd = std
			}
			sawOther = sawOther || !std
			lastLine = fset.Position(imp.End()).Line
		}
	}
	return problems
}
