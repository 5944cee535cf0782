package margin

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/dectest"
)

// TestNumericAllocs: at the default context the kernels' add, sub and quo
// allocate nothing on the 19-digit operands where apd's Add and Quo do, and
// give apd's results.
func TestNumericAllocs(t *testing.T) {
	ctx := contract.NewContext()
	x, y := dectest.D("0.00009999989300011448984"), dectest.D("-0.000185")
	q, l := dectest.D("0.1879727974325666692"), dectest.D("20")
	for _, c := range []struct {
		name string
		mine func(z *apd.Decimal) error
		apd  func(z *apd.Decimal) (apd.Condition, error)
	}{
		{"add", func(z *apd.Decimal) error { return add(ctx, z, x, x) }, func(z *apd.Decimal) (apd.Condition, error) { return ctx.Add(z, x, x) }},
		{"sub", func(z *apd.Decimal) error { return sub(ctx, z, x, y) }, func(z *apd.Decimal) (apd.Condition, error) { return ctx.Sub(z, x, y) }},
		{"quo", func(z *apd.Decimal) error { return quo(ctx, z, q, l) }, func(z *apd.Decimal) (apd.Condition, error) { return ctx.Quo(z, q, l) }},
	} {
		var got, want apd.Decimal
		if err := c.mine(&got); err != nil {
			t.Fatal(err)
		}
		if _, err := c.apd(&want); err != nil {
			t.Fatal(err)
		}
		if got.Cmp(&want) != 0 || got.Exponent != want.Exponent {
			t.Errorf("%s = %s, apd %s", c.name, &got, &want)
		}
		if n := testing.AllocsPerRun(10, func() { _ = c.mine(&got) }); n != 0 {
			t.Errorf("%s: %v allocations, want 0", c.name, n)
		}
		if n := testing.AllocsPerRun(10, func() { _, _ = c.apd(&want) }); n == 0 {
			t.Logf("apd's %s no longer allocates here", c.name)
		}
	}
}
