package dectest

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Examples fails the test for every exported function and method declared
// in the non-test files of the package in dir that has no Example (ExampleF
// or ExampleT_M, either with a lower-case _suffix), the house rule that
// every one has, or none of whose Examples names it in its body (a call
// F(...), x.M(...), or the function as a value): an Example that never
// calls what it documents shows a reader nothing of it. The methods that
// fmt and encoding/json call for the caller (String, Error, MarshalJSON,
// UnmarshalJSON) need only the Example. Methods of unexported types are
// not counted. The names in except (F or T_M) are exempt, and each must be
// an exported function without an Example, so that the list cannot go
// stale.
//
// Every Example of an external test package must also stand alone in
// its file, as go/doc's Play program: what it uses beyond its imports (a helper, a constant) is
// declared in the same file, so that godoc and pkg.go.dev show a reader a
// program that runs.
func Examples(t testing.TB, dir string, except ...string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	// want maps F or T_M to the name an Example must mention (F or M);
	// have maps each Example's name less "Example" to its body.
	want, have := map[string]string{}, map[string]*ast.BlockStmt{}
	for _, name := range files {
		test := strings.HasSuffix(name, "_test.go")
		mode := parser.Mode(0)
		if test {
			mode = parser.ParseComments // for go/doc's Output
		}
		f, err := parser.ParseFile(fset, name, nil, mode)
		if err != nil {
			t.Fatal(err)
		}
		// go/doc plays only external test packages; before Go 1.26 it
		// plays none that import a path with a major version suffix.
		if strings.HasSuffix(f.Name.Name, "_test") && (!importsVersioned(f) || playsVersioned()) {
			for _, e := range doc.Examples(f) {
				if e.Play == nil {
					t.Errorf("%s: Example%s uses a declaration of another file of %s: move what it needs into %s", dir, e.Name, f.Name.Name, filepath.Base(name))
				}
			}
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok {
				continue
			}
			if test {
				if n, ok := strings.CutPrefix(fn.Name.Name, "Example"); ok && fn.Recv == nil {
					have[n] = fn.Body
				}
				continue
			}
			if !fn.Name.IsExported() {
				continue
			}
			n, called := fn.Name.Name, fn.Name.Name
			if fn.Recv != nil {
				typ := fn.Recv.List[0].Type
				if s, ok := typ.(*ast.StarExpr); ok {
					typ = s.X
				}
				id, ok := typ.(*ast.Ident)
				if !ok || !id.IsExported() {
					continue
				}
				n = id.Name + "_" + n
			}
			want[n] = called
		}
	}
	if len(want) == 0 {
		t.Fatalf("%s: no exported functions found", dir)
	}
	for _, n := range except {
		switch _, ok := want[n]; {
		case !ok:
			t.Errorf("%s: %s is exempt from the Example rule but is no exported function", dir, n)
		case len(examplesOf(have, n)) > 0:
			t.Errorf("%s: %s is exempt from the Example rule but has an Example", dir, n)
		}
		delete(want, n)
	}
	var missing, silent []string
	for n, called := range want {
		bodies := examplesOf(have, n)
		switch {
		case len(bodies) == 0:
			missing = append(missing, n)
		case !implicit[called] && !slices.ContainsFunc(bodies, func(b *ast.BlockStmt) bool { return mentions(b, called) }):
			silent = append(silent, n)
		}
	}
	slices.Sort(missing)
	for _, n := range missing {
		t.Errorf("%s: no Example%s", dir, n)
	}
	slices.Sort(silent)
	for _, n := range silent {
		t.Errorf("%s: no Example%s calls %s", dir, n, want[n])
	}
}

// implicit holds the methods that the standard library calls for the
// caller (fmt, errors' formatting, encoding/json): an Example shows them by
// printing or encoding the value.
var implicit = map[string]bool{"String": true, "Error": true, "MarshalJSON": true, "UnmarshalJSON": true}

// examplesOf returns the bodies of the Examples in have (their names less
// "Example") that are for n: n itself, or n with a lower-case _suffix.
func examplesOf(have map[string]*ast.BlockStmt, n string) []*ast.BlockStmt {
	var bodies []*ast.BlockStmt
	for h, body := range have {
		if h == n {
			bodies = append(bodies, body)
		} else if s, ok := strings.CutPrefix(h, n+"_"); ok && s != "" && s[0] >= 'a' && s[0] <= 'z' {
			bodies = append(bodies, body)
		}
	}
	return bodies
}

// mentions reports whether body names name: as an identifier, alone (a
// function of the package's own test file) or selected (pkg.F, x.M).
func mentions(body *ast.BlockStmt, name string) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id.Name == name {
			found = true
		}
		return !found
	})
	return found
}

// importsVersioned reports whether f imports a path whose last element is
// a major version suffix, such as github.com/cockroachdb/apd/v3, without
// naming the package.
func importsVersioned(f *ast.File) bool {
	for _, im := range f.Imports {
		path := strings.Trim(im.Path.Value, "`\"")
		last := path[strings.LastIndexByte(path, '/')+1:]
		if im.Name == nil && len(last) > 1 && last[0] == 'v' && strings.Trim(last[1:], "0123456789") == "" {
			return true
		}
	}
	return false
}

// playsVersioned reports whether this Go's go/doc makes a Play program of
// an Example that uses a package imported by a path with a major version
// suffix, as apd's is. Before Go 1.26 it takes the package's name to be the
// suffix (v3), finds the package's real name unresolved, and makes none, so
// Examples cannot check those files there, and does not.
func playsVersioned() bool {
	const src = "package p_test\n\nimport \"example.com/m/v3\"\n\nfunc ExampleF() { m.F() }\n"
	f, err := parser.ParseFile(token.NewFileSet(), "p_test.go", src, parser.ParseComments)
	if err != nil {
		return false
	}
	ex := doc.Examples(f)
	return len(ex) == 1 && ex[0].Play != nil
}
