package contract_test

import (
	"errors"
	"slices"
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
// hostile decimals, in the default, a 50-digit and any context
// (dectest.AnyContext: 1 to 50 digits, Inexact trapped now and then), with z
// fresh or aliasing an operand, a field of the position or a field of a
// fill: nothing panics; every error is documented; on error z, the
// position and the fills are unchanged; on success the output is a valid
// input.
func TestPropHostile(t *testing.T) {
	wide := apd.BaseContext.WithPrecision(50)
	specs := []*contract.Spec{contract.XBTUSD(), contract.ETHUSD(), contract.BTCUSDT(), contract.BTCUSDPerp()}
	rapid.Check(t, func(t *rapid.T) {
		ctx := rapid.SampledFrom([]*apd.Context{ctx, wide}).Draw(t, "ctx")
		if rapid.IntRange(0, 2).Draw(t, "anyContext") == 0 {
			ctx = dectest.AnyContext(t)
		}
		s := rapid.SampledFrom(specs).Draw(t, "spec")
		a, b, c := hostile(t, "a"), hostile(t, "b"), hostile(t, "c")
		// z is fresh, an operand, a field of the position or a field of a
		// fill: 0 is a fresh z; 1..3 are a, b and c; 4..7 the position's
		// Qty, Entry, Realised and Fees; 8..11 the fills' Qty and Price.
		alias := rapid.IntRange(0, 11).Draw(t, "alias")
		ops := []struct {
			name string
			fn   func(z, a, b, c *apd.Decimal, p *contract.Position, fills []contract.Fill) error
		}{
			{"Value", func(z, a, b, _ *apd.Decimal, _ *contract.Position, _ []contract.Fill) error {
				return s.Value(ctx, z, a, b)
			}},
			{"Price", func(z, a, b, _ *apd.Decimal, _ *contract.Position, _ []contract.Fill) error {
				return s.Price(ctx, z, a, b)
			}},
			{"PnL", func(z, a, b, c *apd.Decimal, _ *contract.Position, _ []contract.Fill) error {
				return s.PnL(ctx, z, a, b, c)
			}},
			{"Unrealised", func(z, _, _, c *apd.Decimal, p *contract.Position, _ []contract.Fill) error {
				return s.Unrealised(ctx, z, p, c)
			}},
			{"ROE", func(z, _, b, c *apd.Decimal, p *contract.Position, _ []contract.Fill) error {
				return s.ROE(ctx, z, p, c, b)
			}},
			{"BreakEven", func(z, _, b, c *apd.Decimal, p *contract.Position, _ []contract.Fill) error {
				return s.BreakEven(ctx, z, p, b, c)
			}},
			{"Fee", func(z, a, b, c *apd.Decimal, _ *contract.Position, _ []contract.Fill) error {
				return s.Fee(ctx, z, a, b, c)
			}},
			{"Cost", func(z, a, b, _ *apd.Decimal, _ *contract.Position, _ []contract.Fill) error {
				return s.Cost(ctx, z, a, b)
			}},
			{"AvgEntry", func(z, _, _, _ *apd.Decimal, _ *contract.Position, fills []contract.Fill) error {
				return s.AvgEntry(ctx, z, fills)
			}},
			{"FromTicks", func(z, _, _, _ *apd.Decimal, _ *contract.Position, _ []contract.Fill) error {
				return s.FromTicks(ctx, z, 9223372036854775807)
			}},
			{"FromLots", func(z, _, _, _ *apd.Decimal, _ *contract.Position, _ []contract.Fill) error {
				return s.FromLots(ctx, z, -9223372036854775808)
			}},
			{"Round", func(z, a, b, _ *apd.Decimal, _ *contract.Position, _ []contract.Fill) error {
				return derivmath.Round(ctx, z, a, b, derivmath.HalfUp)
			}},
		}
		for _, op := range ops {
			x, y, w := new(apd.Decimal).Set(a), new(apd.Decimal).Set(b), new(apd.Decimal).Set(c)
			var p contract.Position
			p.Qty.Set(a)
			p.Entry.Set(b)
			p.Realised.Set(c)
			p.Fees.Set(b)
			fills := make([]contract.Fill, 2)
			fills[0].Qty.Set(a)
			fills[0].Price.Set(b)
			fills[1].Qty.Set(c)
			fills[1].Price.Set(b)
			var pBefore contract.Position
			pBefore.Set(&p)
			fBefore := slices.Clone(fills)
			for i := range fills {
				fBefore[i].Qty.Set(&fills[i].Qty)
				fBefore[i].Price.Set(&fills[i].Price)
			}
			targets := []*apd.Decimal{
				dectest.D("-42.5"), x, y, w, &p.Qty, &p.Entry, &p.Realised, &p.Fees,
				&fills[0].Qty, &fills[0].Price, &fills[1].Qty, &fills[1].Price,
			}
			z := targets[alias]
			before := new(apd.Decimal).Set(z)
			err := op.fn(z, x, y, w, &p, fills)
			checkDocumented(t, op.name, err)
			if err != nil {
				if z.CmpTotal(before) != 0 || z.Form != before.Form {
					t.Fatalf("%s(%s, %s, %s) failed (%v) and changed z (alias %d) from %s to %s", op.name, a, b, c, err, alias, before, z)
				}
				if !samePosition(&pBefore, &p) || !sameFills(fBefore, fills) {
					t.Fatalf("%s(%s, %s, %s) failed (%v) and changed its position or fills", op.name, a, b, c, err)
				}
				continue
			}
			if e := derivmath.CheckDecimal(z); e != nil {
				t.Fatalf("%s(%s, %s, %s) = %s, not a valid input: %v", op.name, a, b, c, z, e)
			}
		}
		var p contract.Position
		p.Qty.Set(a)
		p.Entry.Set(b)
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

// sameFills reports whether f and g hold the same fills, to the
// representation.
func sameFills(f, g []contract.Fill) bool {
	return slices.EqualFunc(f, g, func(x, y contract.Fill) bool {
		return x.Qty.CmpTotal(&y.Qty) == 0 && x.Price.CmpTotal(&y.Price) == 0 && x.Qty.Form == y.Qty.Form && x.Price.Form == y.Price.Form
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
