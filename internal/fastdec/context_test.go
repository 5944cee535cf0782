package fastdec

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
)

// TestCtx checks that Ctx gives apd's results in the default context and in
// another one (precision 5, where the kernels must not run), and apd's
// error where apd fails.
func TestCtx(t *testing.T) {
	def := apd.BaseContext.WithPrecision(Precision)
	def.Rounding = apd.RoundHalfEven
	other := apd.BaseContext.WithPrecision(5)
	x, y := dec("65432.1"), dec("3")
	for _, ctx := range []*apd.Context{def, other} {
		c := In(ctx)
		if c.Context() != ctx {
			t.Fatal("Context() is not the context given to In")
		}
		for _, op := range []struct {
			name string
			got  func(z, x, y *apd.Decimal) error
			want func(z, x, y *apd.Decimal) (apd.Condition, error)
		}{
			{"Add", c.Add, ctx.Add},
			{"Sub", c.Sub, ctx.Sub},
			{"Mul", c.Mul, ctx.Mul},
			{"Quo", c.Quo, ctx.Quo},
		} {
			var got, want apd.Decimal
			if err := op.got(&got, x, y); err != nil {
				t.Fatalf("precision %d %s: %v", ctx.Precision, op.name, err)
			}
			if _, err := op.want(&want, x, y); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				t.Errorf("precision %d %s = %s, want %s", ctx.Precision, op.name, got.String(), want.String())
			}
		}
		var z apd.Decimal
		if err := c.Quo(&z, x, dec("0")); err == nil {
			t.Errorf("precision %d: Quo by zero gave no error", ctx.Precision)
		}
	}
}
