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
