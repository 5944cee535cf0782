package fastdec

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
	"pgregory.net/rapid"
)

// TestDecMatchesAPD: chained through Dec, each operation gives what apd
// gives in the default context, digit for digit, or declines.
func TestDecMatchesAPD(t *testing.T) {
	ctx := apd.BaseContext.WithPrecision(Precision)
	ctx.Rounding = apd.RoundHalfEven
	ops := []struct {
		name string
		dec  func(x, y Dec) (Dec, bool)
		apd  func(z, x, y *apd.Decimal) (apd.Condition, error)
	}{
		{"Add", Dec.Add, ctx.Add},
		{"Sub", Dec.Sub, ctx.Sub},
		{"Mul", Dec.Mul, ctx.Mul},
		{"Quo", Dec.Quo, ctx.Quo},
	}
	gen := rapid.Custom(func(t *rapid.T) apd.Decimal {
		var d apd.Decimal
		d.SetFinite(rapid.Int64().Draw(t, "c"), rapid.Int32Range(-30, 30).Draw(t, "e"))
		return d
	})
	rapid.Check(t, func(t *rapid.T) {
		x, y := gen.Draw(t, "x"), gen.Draw(t, "y")
		op := rapid.SampledFrom(ops).Draw(t, "op")
		a, oka := Load(&x)
		b, okb := Load(&y)
		if !oka || !okb {
			t.Fatalf("Load refused %s or %s", x.String(), y.String())
		}
		got, ok := op.dec(a, b)
		if !ok {
			t.Skip("declined")
		}
		var want, z apd.Decimal
		if _, err := op.apd(&want, &x, &y); err != nil {
			t.Fatalf("%s ran where apd fails: %v", op.name, err)
		}
		got.Store(&z)
		if z.String() != want.String() || z.Negative != want.Negative {
			t.Fatalf("%s(%s, %s) = %s, apd %s", op.name, x.String(), y.String(), z.String(), want.String())
		}
		if got.IsZero() != want.IsZero() || got.Sign() != want.Sign() || got.Abs().Neg {
			t.Fatalf("IsZero, Sign or Abs disagree on %s", want.String())
		}
	})
}
