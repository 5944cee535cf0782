package derivmath_test

import (
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/derivmath/derivmath/internal/dectest"
)

// exempt lists, by package directory, the exported functions that need
// no Example: they take or return internal/num values, so that only
// derivmath's own packages can call them (their docs say so), and an
// Example would show code no reader could compile.
var exempt = map[string][]string{
	"contract": {"SizeOf", "Spec_LoadMultiplier", "Spec_ValueAt", "Spec_ValueOf"},
	"margin":   {"Tiers_LimitDec", "Tiers_TierDec", "Tiers_TierNear"},
}

// TestExamples checks the house rule that every exported function and
// method has an Example, in every package of the module outside
// internal/, examples/ and bench/ (a module of its own).
func TestExamples(t *testing.T) {
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		switch name := d.Name(); {
		case path == ".":
		case name == "internal" || name == "examples" || name == "bench" || name == "testdata" || strings.HasPrefix(name, "."):
			return filepath.SkipDir
		}
		code, err := filepath.Glob(filepath.Join(path, "*.go"))
		if err != nil {
			return err
		}
		for _, f := range code {
			if !strings.HasSuffix(f, "_test.go") {
				dectest.Examples(t, path, exempt[filepath.ToSlash(path)]...)
				break
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
