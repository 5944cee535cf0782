package dectest

import (
	"go/ast"
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
// every one has. Methods of unexported types are not counted. The names in
// except (F or T_M) are exempt, and each must be an exported function
// without an Example, so that the list cannot go stale.
func Examples(t testing.TB, dir string, except ...string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	want, have := map[string]bool{}, map[string]bool{}
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		test := strings.HasSuffix(name, "_test.go")
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok {
				continue
			}
			if test {
				if n, ok := strings.CutPrefix(fn.Name.Name, "Example"); ok && fn.Recv == nil {
					have[n] = true
				}
				continue
			}
			if !fn.Name.IsExported() {
				continue
			}
			n := fn.Name.Name
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
			want[n] = true
		}
	}
	if len(want) == 0 {
		t.Fatalf("%s: no exported functions found", dir)
	}
	for _, n := range except {
		switch {
		case !want[n]:
			t.Errorf("%s: %s is exempt from the Example rule but is no exported function", dir, n)
		case hasExample(have, n):
			t.Errorf("%s: %s is exempt from the Example rule but has an Example", dir, n)
		}
		delete(want, n)
	}
	var missing []string
	for n := range want {
		if !hasExample(have, n) {
			missing = append(missing, n)
		}
	}
	slices.Sort(missing)
	for _, n := range missing {
		t.Errorf("%s: no Example%s", dir, n)
	}
}

// hasExample reports whether the Examples in have (their names less
// "Example") include one for n: n itself, or n with a lower-case _suffix.
func hasExample(have map[string]bool, n string) bool {
	if have[n] {
		return true
	}
	for h := range have {
		if s, ok := strings.CutPrefix(h, n+"_"); ok && s != "" && s[0] >= 'a' && s[0] <= 'z' {
			return true
		}
	}
	return false
}
