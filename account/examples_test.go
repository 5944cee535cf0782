package account_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExamples checks the house rule that every exported function and
// method of account has an Example (ExampleF, ExampleT_M, or either with
// a _suffix).
func TestExamples(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	have := map[string]bool{}
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
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
		t.Fatal("no exported functions found")
	}
	for n := range want {
		found := have[n]
		for h := range have {
			if s, ok := strings.CutPrefix(h, n+"_"); ok && s != "" && s[0] >= 'a' && s[0] <= 'z' {
				found = true
			}
		}
		if !found {
			t.Errorf("no Example%s", n)
		}
	}
}
