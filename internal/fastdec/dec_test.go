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

// TestCmpMatchesAPD: Dec.Cmp orders values as apd.Decimal.Cmp does, for
// equal values in different representations, values that differ in the
// last digit, and exponents far apart.
func TestCmpMatchesAPD(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var x, y apd.Decimal
		x.SetFinite(rapid.Int64().Draw(t, "c"), rapid.Int32Range(-60, 60).Draw(t, "e"))
		switch rapid.IntRange(0, 2).Draw(t, "y") {
		case 0: // independent
			y.SetFinite(rapid.Int64().Draw(t, "c2"), rapid.Int32Range(-60, 60).Draw(t, "e2"))
		case 1: // the same value, or one unit of its last place away, rescaled
			c, e := x.Coeff.Uint64(), x.Exponent
			k := rapid.IntRange(0, 6).Draw(t, "k")
			for range k {
				if c > 1e17 {
					break
				}
				c, e = c*10, e-1
			}
			c = uint64(int64(c) + int64(rapid.IntRange(-1, 1).Draw(t, "ulp")))
			y.Coeff.SetUint64(c)
			y.Exponent, y.Negative = e, x.Negative
		default: // a zero of either sign
			y.SetFinite(0, rapid.Int32Range(-5, 5).Draw(t, "e0"))
			y.Negative = rapid.Bool().Draw(t, "neg0")
		}
		a, oka := Load(&x)
		b, okb := Load(&y)
		if !oka || !okb {
			t.Fatalf("Load refused %s or %s", x.String(), y.String())
		}
		if got, want := a.Cmp(b), x.Cmp(&y); got != want {
			t.Fatalf("Cmp(%s, %s) = %d, apd %d", x.String(), y.String(), got, want)
		}
	})
}

// TestLoadChecked: LoadChecked takes derivmath.CheckDecimal's inputs: finite, no negative zero,
// at most Precision digits, exponent within the bound.
func TestLoadChecked(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"1", true},
		{"-0.005", true},
		{"0", true},
		{"-0", false},
		{"-0.00", false},
		{"9999999999999999999", true},
		{"10000000000000000000", false},
		{"1E-36", true},
		{"1E-37", false},
		{"1E+36", true},
		{"1E+37", false},
		{"NaN", false},
		{"Inf", false},
		{"123456789012345678901234567890", false},
	} {
		x, _, err := apd.NewFromString(tc.s)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := LoadChecked(x, 36); ok != tc.want {
			t.Errorf("LoadChecked(%s, 36) = %v, want %v", tc.s, ok, tc.want)
		}
	}
}
