package engine_test

import (
	"errors"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/engine"
)

// TestMarkDated: MarkDated is index*(1 + basisRate), Bybit's dated
// futures mark: 100*(1 + 0.02) = 102, 100*(1 - 0.02) = 98; a rate of -1
// or below gives no positive mark (derivmath.ErrPrice).
func TestMarkDated(t *testing.T) {
	ctx := derivmath.NewContext()
	p := engine.PresetBybit()
	p.Mark = engine.MarkDated
	for _, c := range []struct {
		rate, want string
		err        error
	}{
		{"0.02", "102", nil},
		{"-0.02", "98", nil},
		{"0", "100", nil},
		{"-1", "", derivmath.ErrPrice},
	} {
		var in engine.MarkInputs
		in.Index.SetInt64(100)
		in.BasisRate.Set(d(c.rate))
		var z apd.Decimal
		err := engine.Mark(ctx, &z, p, &in)
		if !errors.Is(err, c.err) {
			t.Fatalf("rate %s: %v, want %v", c.rate, err, c.err)
		}
		if err == nil && z.Cmp(d(c.want)) != 0 {
			t.Errorf("rate %s: mark %s, want %s", c.rate, z.String(), c.want)
		}
	}
}

// TestFillableZero: a fillable price of exactly zero is no price
// (derivmath.ErrPrice, z unwritten), as below zero: one position of 1 at
// the oracle 100, maintenance 10 and no collateral (ABR 1), SMMR 10:
// 100 - 1*10*10 = 0.
func TestFillableZero(t *testing.T) {
	ctx := derivmath.NewContext()
	for _, smmr := range []string{"10", "10.5"} {
		z := d("7")
		err := engine.Fillable(ctx, z, d("100"), d("10"), d("1"), d("0"), d("10"), d("1"), d(smmr))
		if !errors.Is(err, derivmath.ErrPrice) || z.Cmp(d("7")) != 0 {
			t.Errorf("SMMR %s: %s, %v; want z unwritten, ErrPrice", smmr, z.String(), err)
		}
	}
}

// TestClawbackRateNoProfits: with nothing left to cover (loss = cover,
// or below), the rate is 0 whatever the profits, none included: there is
// no quotient to take.
func TestClawbackRateNoProfits(t *testing.T) {
	ctx := derivmath.NewContext()
	for _, c := range [][3]string{{"5", "5", "0"}, {"4", "5", "0"}, {"5", "5", "10"}} {
		var z apd.Decimal
		if err := engine.ClawbackRate(ctx, &z, d(c[0]), d(c[1]), d(c[2])); err != nil || !z.IsZero() {
			t.Errorf("loss %s, cover %s, profits %s: %s, %v; want 0", c[0], c[1], c[2], z.String(), err)
		}
	}
}

// TestDriftIfFeeNoMargin: where the margin ratio does not exceed the
// liquidator's fee (mr <= liqFee) the insurance fee is 0, whatever the
// shortage: a negative one (an account above its requirement) would
// otherwise imply a fee of (0 + 1)*19/20, capped at 0.5.
func TestDriftIfFeeNoMargin(t *testing.T) {
	ctx := derivmath.NewContext()
	for _, shortage := range []string{"-1", "0", "1"} {
		var z apd.Decimal
		if err := engine.DriftIfFee(ctx, &z, d(shortage), d("1"), d("1"), d("0.1"), d("0.1"), d("0.5")); err != nil || !z.IsZero() {
			t.Errorf("shortage %s, mr = liqFee: %s, %v; want 0", shortage, z.String(), err)
		}
	}
}

// TestFormulaZeroBoundaries checks each formula where the quantity its rule
// turns on is exactly zero, the one point a rule written with < instead of
// <= would divide by zero:
//
//   - ScoreBinance: equity WB + uPnL of 0 with a profit scores 0 (the
//     second factor, the margin ratio, is 0 where WB + uPnL <= 0), with the
//     floor and without;
//   - BankruptQuote: a TMMR of 0 is ErrPosition (dYdX liquidates only
//     when TMMR > 0);
//   - DriftBase: MR - liqFee - ifFee = 0 is ErrUnbounded (Drift's base
//     is unbounded where MR <= liqFee, the fund's fee included);
//   - ClawbackRate: profits of 0 while a loss remains are ErrPosition.
//
// On error z is unwritten.
func TestFormulaZeroBoundaries(t *testing.T) {
	ctx := derivmath.NewContext()
	for _, c := range []struct {
		name string
		f    func(z *apd.Decimal) error
		want string // when err is nil
		err  error
	}{
		{"ScoreBinance, WB + uPnL = 0, floor", func(z *apd.Decimal) error {
			return engine.ScoreBinance(ctx, z, d("5"), d("-5"), d("1"), true)
		}, "0", nil},
		{"ScoreBinance, WB + uPnL = 0, no floor", func(z *apd.Decimal) error {
			return engine.ScoreBinance(ctx, z, d("5"), d("-5"), d("1"), false)
		}, "0", nil},
		{"ScoreBinance, WB + uPnL = 0, wallet above 1", func(z *apd.Decimal) error {
			return engine.ScoreBinance(ctx, z, d("-2"), d("2"), d("1"), true)
		}, "0", nil},
		{"BankruptQuote, TMMR 0", func(z *apd.Decimal) error {
			return engine.BankruptQuote(ctx, z, d("10"), d("0"), d("-100"), d("0"), d("0.01"))
		}, "", engine.ErrPosition},
		{"DriftBase, MR = liqFee + ifFee", func(z *apd.Decimal) error {
			return engine.DriftBase(ctx, z, d("10"), d("100"), d("0.1"), d("0.05"), d("0.05"))
		}, "", engine.ErrUnbounded},
		{"DriftBase, MR = liqFee", func(z *apd.Decimal) error {
			return engine.DriftBase(ctx, z, d("10"), d("100"), d("0.1"), d("0.1"), d("0"))
		}, "", engine.ErrUnbounded},
		{"ClawbackRate, profits 0", func(z *apd.Decimal) error {
			return engine.ClawbackRate(ctx, z, d("8"), d("0"), d("0"))
		}, "", engine.ErrPosition},
	} {
		z := d("7")
		err := c.f(z)
		switch {
		case c.err != nil:
			if !errors.Is(err, c.err) || z.Cmp(d("7")) != 0 {
				t.Errorf("%s: %s, %v; want z unwritten, %v", c.name, z.String(), err, c.err)
			}
		case err != nil || z.Cmp(d(c.want)) != 0:
			t.Errorf("%s: %s, %v; want %s", c.name, z.String(), err, c.want)
		}
	}
}
