package dectest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// DocTopics are what every package's doc.go states, each under a heading
// that names it: the house rule that a package's documentation gives its
// units, the signs of its quantities and amounts, how it rounds, and its
// sources.
var DocTopics = []string{"units", "signs", "rounding", "sources"}

// DocGo fails the test unless the package in dir keeps its documentation
// in doc.go, and only there (no other non-test file has a package
// comment), under headings ("# Units and signs", ...) that between them
// name every one of DocTopics.
func DocGo(t testing.TB, dir string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var doc *ast.CommentGroup
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments|parser.PackageClauseOnly)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case filepath.Base(name) == "doc.go":
			doc = f.Doc
		case f.Doc != nil:
			t.Errorf("%s: the package comment is in %s, not doc.go", dir, filepath.Base(name))
		}
	}
	if doc == nil {
		t.Errorf("%s: no doc.go with a package comment", dir)
		return
	}
	var headings []string
	for _, line := range strings.Split(doc.Text(), "\n") {
		if h, ok := strings.CutPrefix(line, "# "); ok {
			headings = append(headings, strings.ToLower(h))
		}
	}
	for _, topic := range DocTopics {
		found := false
		for _, h := range headings {
			found = found || strings.Contains(h, topic)
		}
		if !found {
			t.Errorf("%s: doc.go has no heading on %s (its headings: %q)", dir, topic, headings)
		}
	}
}
