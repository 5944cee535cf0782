package margin

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/internal/dectest"
	"pgregory.net/rapid"
)

// wideDecimal draws a finite decimal with up to 19 digits (biased towards
// full 19-digit coefficients, as quotients have), an exponent in [-40, 10]
// and either sign.
func wideDecimal(t *rapid.T, label string) apd.Decimal {
	var x apd.Decimal
	var c int64
	if rapid.Bool().Draw(t, label+"Full") {
		c = rapid.Int64Range(1_000_000_000_000_000_000, 9_223_372_036_854_775_807).Draw(t, label+"Coeff")
	} else {
		c = rapid.Int64Range(0, 1_000_000_000).Draw(t, label+"Coeff")
	}
	x.SetFinite(c, rapid.Int32Range(-40, 10).Draw(t, label+"Exp"))
	x.Negative = c != 0 && rapid.Bool().Draw(t, label+"Neg")
	return x
}

// TestAddMatchesApd: add and sub give exactly apd's result (value,
// exponent, sign and condition) in every rounding mode and at several
// precisions, with z aliasing an operand or not.
func TestAddMatchesApd(t *testing.T) {
	modes := []apd.Rounder{
		apd.RoundDown, apd.RoundHalfUp, apd.RoundHalfEven, apd.RoundCeiling,
		apd.RoundFloor, apd.RoundHalfDown, apd.RoundUp, apd.Round05Up, "",
	}
	rapid.Check(t, func(t *rapid.T) {
		x, y := wideDecimal(t, "x"), wideDecimal(t, "y")
		ctx := apd.BaseContext.WithPrecision(uint32(rapid.SampledFrom([]int{19, 19, 18, 10, 5, 1, 25}).Draw(t, "prec")))
		ctx.Rounding = rapid.SampledFrom(modes).Draw(t, "mode")
		for _, op := range []struct {
			name string
			mine func(ctx *apd.Context, z, x, y *apd.Decimal) (apd.Condition, error)
			apd  func(z, x, y *apd.Decimal) (apd.Condition, error)
		}{
			{"add", add, ctx.Add},
			{"sub", sub, ctx.Sub},
		} {
			var want, got, ax apd.Decimal
			wantRes, wantErr := op.apd(&want, &x, &y)
			gotRes, gotErr := op.mine(ctx, &got, &x, &y)
			ax.Set(&x)
			aliasRes, aliasErr := op.mine(ctx, &ax, &ax, &y)
			if (wantErr == nil) != (gotErr == nil) || (wantErr == nil) != (aliasErr == nil) {
				t.Fatalf("%s(%s, %s): errors %v, %v (aliased), apd %v", op.name, &x, &y, gotErr, aliasErr, wantErr)
			}
			if wantErr != nil {
				continue
			}
			for _, g := range []*apd.Decimal{&got, &ax} {
				if g.Cmp(&want) != 0 || g.Exponent != want.Exponent || g.Negative != want.Negative {
					t.Fatalf("%s(%s, %s) at %d %q: %s (exponent %d), apd %s (exponent %d)",
						op.name, &x, &y, ctx.Precision, ctx.Rounding, g, g.Exponent, &want, want.Exponent)
				}
			}
			if gotRes != wantRes || aliasRes != wantRes {
				t.Fatalf("%s(%s, %s): condition %v, apd %v", op.name, &x, &y, gotRes, wantRes)
			}
		}
	})
}

// TestQuoAccuracy: quo is within 1e-18 of the exact quotient, relative.
func TestQuoAccuracy(t *testing.T) {
	ctx := apd.BaseContext.WithPrecision(19)
	o := dectest.Oracle()
	rapid.Check(t, func(t *rapid.T) {
		x, y := wideDecimal(t, "x"), wideDecimal(t, "y")
		if y.IsZero() {
			t.Skip("division by zero")
		}
		var got, want apd.Decimal
		if err := quo(ctx, &got, &x, &y); err != nil {
			t.Fatal(err)
		}
		if _, err := o.Quo(&want, &x, &y); err != nil {
			t.Fatal(err)
		}
		if !dectest.Rel(&got, &want, "1e-18") {
			t.Fatalf("quo(%s, %s) = %s, exact %s", &x, &y, &got, &want)
		}
	})
}

// TestNumericAllocs: add, sub and quo allocate nothing on 19-digit operands
// where apd's Add and Quo do.
func TestNumericAllocs(t *testing.T) {
	ctx := apd.BaseContext.WithPrecision(19)
	var z apd.Decimal
	x, y := dectest.D("0.00009999989300011448984"), dectest.D("0.000185")
	q, l := dectest.D("0.1879727974325666692"), dectest.D("20")
	small, tiny := dectest.D("0.000001"), dectest.D("1.000000000000000000E-8")
	for _, c := range []struct {
		name string
		fn   func()
	}{
		{"apd Add", func() { _, _ = ctx.Add(&z, x, y) }},
		{"apd Quo", func() { _, _ = ctx.Quo(&z, q, l) }},
		{"add", func() { _, _ = add(ctx, &z, x, y) }},
		{"add/wide shift", func() { _, _ = add(ctx, &z, small, tiny) }},
		{"sub", func() { y.Negative = true; _, _ = sub(ctx, &z, x, y); y.Negative = false }},
		{"quo", func() { _ = quo(ctx, &z, q, l) }},
	} {
		got := testing.AllocsPerRun(10, c.fn)
		want := 0.0
		if c.name[:3] == "apd" {
			if got == 0 {
				t.Logf("%s no longer allocates here: add and quo may be simplified", c.name)
			}
			continue
		}
		if got != want {
			t.Errorf("%s: %v allocations, want 0", c.name, got)
		}
	}
}
