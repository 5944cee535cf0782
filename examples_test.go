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
	"contract":    {"SizeOf", "Spec_LoadMultiplier", "Spec_ValueAt", "Spec_ValueOf"},
	"liquidation": {"DistanceDec"},
	"margin":      {"BitMEXNeverLiquidatesDec", "CeilMulDec", "FeeToCloseDec", "FlooredMaintenanceDec", "Tiers_LimitDec", "Tiers_TierDec", "Tiers_TierNear"},
}

// TestExamples checks the house rule that every exported function and
// method has an Example, in every package of the module outside
// internal/, examples/ and bench/ (a module of its own).
func TestExamples(t *testing.T) {
	for _, dir := range packages(t) {
		dectest.Examples(t, dir, exempt[dir]...)
	}
}

// TestDocGo checks the house rule that every package of the module
// outside internal/, examples/ and bench/ has a doc.go that states its
// units, signs, rounding and sources.
func TestDocGo(t *testing.T) {
	for _, dir := range packages(t) {
		dectest.DocGo(t, dir)
	}
}

// packages returns the directories (slash-separated, relative to the
// module root) of the module's packages outside internal/, examples/ and
// bench/.
func packages(t *testing.T) []string {
	t.Helper()
	var dirs []string
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
				dirs = append(dirs, filepath.ToSlash(path))
				break
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) == 0 {
		t.Fatal("no packages found")
	}
	return dirs
}
