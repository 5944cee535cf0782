package contract_test

import (
	"errors"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/dectest"
	"pgregory.net/rapid"
)

// hostile draws a decimal an attacker or a broken feed might send
// (dectest.HostileDecimal).
func hostile(t *rapid.T, label string) *apd.Decimal {
	return dectest.HostileDecimal(t, label)
}

// TestPropHostile drives every exported computation of the package with
// hostile decimals, in the default and a 50-digit context, with z fresh or
// aliasing an operand: nothing panics; every error is documented; on error
// the output is unchanged; on success the output is a valid input.
func TestPropHostile(t *testing.T) {
	wide := apd.BaseContext.WithPrecision(50)
	specs := []*contract.Spec{contract.XBTUSD(), contract.ETHUSD(), contract.BTCUSDT(), contract.BTCUSDPerp()}
	rapid.Check(t, func(t *rapid.T) {
		ctx := rapid.SampledFrom([]*apd.Context{ctx, wide}).Draw(t, "ctx")
		s := rapid.SampledFrom(specs).Draw(t, "spec")
		a, b, c := hostile(t, "a"), hostile(t, "b"), hostile(t, "c")
		alias := rapid.IntRange(0, 3).Draw(t, "alias") // 0: fresh z; 1..3: z is a, b or c
		var p contract.Position
		p.Qty.Set(a)
		p.Entry.Set(b)
		fills := make([]contract.Fill, 2)
		fills[0].Qty.Set(a)
		fills[0].Price.Set(b)
		fills[1].Qty.Set(c)
		fills[1].Price.Set(b)
		ops := []struct {
			name string
			fn   func(z, a, b, c *apd.Decimal) error
		}{
			{"Value", func(z, a, b, _ *apd.Decimal) error { return s.Value(ctx, z, a, b) }},
			{"Price", func(z, a, b, _ *apd.Decimal) error { return s.Price(ctx, z, a, b) }},
			{"PnL", func(z, a, b, c *apd.Decimal) error { return s.PnL(ctx, z, a, b, c) }},
			{"Unrealised", func(z, _, _, c *apd.Decimal) error { return s.Unrealised(ctx, z, &p, c) }},
			{"ROE", func(z, _, b, c *apd.Decimal) error { return s.ROE(ctx, z, &p, c, b) }},
			{"BreakEven", func(z, _, b, c *apd.Decimal) error { return s.BreakEven(ctx, z, &p, b, c) }},
			{"Fee", func(z, a, b, c *apd.Decimal) error { return s.Fee(ctx, z, a, b, c) }},
			{"Cost", func(z, a, b, _ *apd.Decimal) error { return s.Cost(ctx, z, a, b) }},
			{"AvgEntry", func(z, _, _, _ *apd.Decimal) error { return s.AvgEntry(ctx, z, fills) }},
			{"FromTicks", func(z, _, _, _ *apd.Decimal) error { return s.FromTicks(ctx, z, 9223372036854775807) }},
			{"FromLots", func(z, _, _, _ *apd.Decimal) error { return s.FromLots(ctx, z, -9223372036854775808) }},
			{"Round", func(z, a, b, _ *apd.Decimal) error { return derivmath.Round(ctx, z, a, b, derivmath.HalfUp) }},
		}
		for _, op := range ops {
			x, y, w := new(apd.Decimal).Set(a), new(apd.Decimal).Set(b), new(apd.Decimal).Set(c)
			z := []*apd.Decimal{dectest.D("-42.5"), x, y, w}[alias]
			before := new(apd.Decimal).Set(z)
			err := op.fn(z, x, y, w)
			checkDocumented(t, op.name, err)
			if err != nil {
				if z.CmpTotal(before) != 0 {
					t.Fatalf("%s(%s, %s, %s) failed (%v) and changed z from %s to %s", op.name, a, b, c, err, before, z)
				}
				continue
			}
			if e := derivmath.CheckDecimal(z); e != nil {
				t.Fatalf("%s(%s, %s, %s) = %s, not a valid input: %v", op.name, a, b, c, z, e)
			}
		}
		for _, x := range []*apd.Decimal{a, b, c} {
			if _, err := s.Ticks(ctx, x); err != nil {
				checkDocumented(t, "Ticks", err)
			}
			if _, err := s.Lots(ctx, x); err != nil {
				checkDocumented(t, "Lots", err)
			}
		}
		var f contract.Fill
		f.Qty.Set(c)
		f.Price.Set(b)
		var before contract.Position
		before.Set(&p)
		if err := s.Apply(ctx, &p, &f); err != nil {
			checkDocumented(t, "Apply", err)
			if !samePosition(&before, &p) {
				t.Fatalf("Apply failed (%v) and changed the position", err)
			}
		} else {
			for _, x := range []*apd.Decimal{&p.Qty, &p.Entry, &p.Realised, &p.Fees} {
				if err := derivmath.CheckDecimal(x); err != nil {
					t.Fatalf("Apply left %s: %v", x, err)
				}
			}
		}
	})
}

// TestNothingWrittenOnError: the cases, a failed call leaves z as
// it was.
func TestNothingWrittenOnError(t *testing.T) {
	for _, tt := range []struct {
		name string
		fn   func(z *apd.Decimal) error
	}{
		{"FromTicks(MaxInt64) XBTUSD", func(z *apd.Decimal) error {
			return contract.XBTUSD().FromTicks(ctx, z, 9223372036854775807)
		}},
		{"Cost(1E+36) XBTUSD", func(z *apd.Decimal) error {
			return contract.XBTUSD().Cost(ctx, z, dectest.D("1E+36"), dectest.D("65432.5"))
		}},
		{"Cost(1E+36) ETHUSD", func(z *apd.Decimal) error {
			return contract.ETHUSD().Cost(ctx, z, dectest.D("1E+36"), dectest.D("3456.75"))
		}},
		{"Value(1E+100) at 1E-100", func(z *apd.Decimal) error {
			return contract.XBTUSD().Value(ctx, z, dectest.D("1E+100"), dectest.D("1E-100"))
		}},
	} {
		z := dectest.D("7")
		err := tt.fn(z)
		if !errors.Is(err, derivmath.ErrRange) || z.String() != "7" {
			t.Errorf("%s: %v, z = %s; want ErrRange and z unchanged", tt.name, err, z)
		}
	}
}
