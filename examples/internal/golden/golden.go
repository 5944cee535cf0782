// Package golden holds what the example programs' tests share: the
// comparison of a program's output with testdata/golden.txt, an oracle
// that recomputes printed numbers at 50 digits, the check of a program's
// -h and exit status, and the reading of an SVG picture back into
// numbers through its axes' labels.
package golden

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/examples/internal/cli"
)

var update = flag.Bool("update", false, "rewrite testdata/golden.txt with the current output")

// Check compares got with testdata/golden.txt, or rewrites it with -update.
func Check(t *testing.T, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden.txt")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run go test -update to accept it)\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

// An Oracle computes at 50 digits, rounding half-even, and fails the test
// on any error.
type Oracle struct {
	T   *testing.T
	Ctx *apd.Context
}

// NewOracle returns an Oracle that reports to t.
func NewOracle(t *testing.T) *Oracle {
	ctx := apd.BaseContext.WithPrecision(50)
	ctx.Rounding = apd.RoundHalfEven
	return &Oracle{T: t, Ctx: ctx}
}

// D parses a decimal constant.
func (o *Oracle) D(s string) *apd.Decimal {
	o.T.Helper()
	d, _, err := apd.NewFromString(s)
	if err != nil {
		o.T.Fatalf("%q: %v", s, err)
	}
	return d
}

// Number parses a printed number: thousands separators, a sign, a % sign.
func (o *Oracle) Number(s string) *apd.Decimal {
	o.T.Helper()
	s = strings.TrimSuffix(strings.ReplaceAll(strings.TrimPrefix(s, "+"), ",", ""), "%")
	return o.D(s)
}

func (o *Oracle) op(f func(z, x, y *apd.Decimal) (apd.Condition, error), x, y *apd.Decimal) *apd.Decimal {
	o.T.Helper()
	var z apd.Decimal
	if _, err := f(&z, x, y); err != nil {
		o.T.Fatal(err)
	}
	return &z
}

// Add returns x + y.
func (o *Oracle) Add(x, y *apd.Decimal) *apd.Decimal { return o.op(o.Ctx.Add, x, y) }

// Sub returns x - y.
func (o *Oracle) Sub(x, y *apd.Decimal) *apd.Decimal { return o.op(o.Ctx.Sub, x, y) }

// Mul returns x * y.
func (o *Oracle) Mul(x, y *apd.Decimal) *apd.Decimal { return o.op(o.Ctx.Mul, x, y) }

// Quo returns x / y.
func (o *Oracle) Quo(x, y *apd.Decimal) *apd.Decimal { return o.op(o.Ctx.Quo, x, y) }

// Neg returns -x.
func (o *Oracle) Neg(x *apd.Decimal) *apd.Decimal { return new(apd.Decimal).Neg(x) }

// Round rounds x to a multiple of step in mode.
func (o *Oracle) Round(x, step *apd.Decimal, mode apd.Rounder) *apd.Decimal {
	o.T.Helper()
	c := *o.Ctx
	c.Rounding = mode
	var n apd.Decimal
	if _, err := c.RoundToIntegralValue(&n, o.Quo(x, step)); err != nil {
		o.T.Fatal(err)
	}
	return o.Mul(&n, step)
}

// Compare checks that the printed number equals want rounded half-even to
// as many places as are printed.
func (o *Oracle) Compare(name, printed string, want *apd.Decimal) {
	o.T.Helper()
	got := o.Number(printed)
	var w apd.Decimal
	if _, err := o.Ctx.Quantize(&w, want, got.Exponent); err != nil {
		o.T.Fatal(err)
	}
	if got.Cmp(&w) != 0 {
		o.T.Errorf("%s: printed %s, want %s (%s)", name, printed, w.Text('f'), want.Text('f'))
	}
}

// Within checks that the printed number lies within tol of want.
func (o *Oracle) Within(name, printed string, want, tol *apd.Decimal) {
	o.T.Helper()
	diff := o.Sub(o.Number(printed), want)
	diff.Abs(diff)
	if diff.Cmp(tol) > 0 {
		o.T.Errorf("%s: printed %s, want %s within %s", name, printed, want.Text('f'), tol.Text('f'))
	}
}

// Help checks a program's -h and a bad flag against its exit rule
// (cli.Exit): run with -h must print the usage, naming -option, and return
// flag.ErrHelp, which exits 0 with nothing on stderr; run with an unknown
// flag must exit 2, naming it on stderr. run is the program's run on its
// standard output and arguments.
func Help(t *testing.T, name, option string, run func(stdout io.Writer, args []string) error) {
	t.Helper()
	var out, stderr bytes.Buffer
	err := run(&out, []string{"-h"})
	if !errors.Is(err, flag.ErrHelp) || !strings.Contains(out.String(), "-"+option) {
		t.Fatalf("-h: %v, usage %q", err, out.String())
	}
	if code := cli.Exit(&stderr, name, err); code != 0 || stderr.Len() != 0 {
		t.Errorf("-h: exit %d, stderr %q", code, stderr.String())
	}
	if code := cli.Exit(&stderr, name, run(&out, []string{"-no-such-flag"})); code != 2 || !strings.Contains(stderr.String(), name+": ") || !strings.Contains(stderr.String(), "no-such-flag") {
		t.Errorf("-no-such-flag: exit %d, stderr %q", code, stderr.String())
	}
}
