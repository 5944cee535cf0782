package engine_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/engine"
	"github.com/derivmath/derivmath/internal/dectest"
	"pgregory.net/rapid"
)

// The properties of this file recompute the formulas of formula.go from
// their documented definitions in a 50-digit context (dectest.Oracle),
// apply the documented rounding, and compare: exactly where the result is
// rounded to a minor unit or is a sum, a clamp or a selection of exact
// values; within one unit in the 19th significant digit (dectest.ULPs)
// where it is a plain quotient or product; within the relative bound of
// its roundings (rel) where it chains a few products and quotients (the
// ADL scores, Fillable, Mark); within ten units in the 19th digit of its
// largest term where it sums rounded terms (DriftIfFee). Each
// also checks the monotonicity and sign facts that the godoc or the
// venue's source states, and calls the formula once more with z aliasing an operand.

// oracle computes at 50 digits, failing the test on an apd error.
type oracle struct {
	t *rapid.T
	c *apd.Context
}

func newOracle(t *rapid.T) oracle { return oracle{t, dectest.Oracle()} }

func (o oracle) do(op func(z, x, y *apd.Decimal) (apd.Condition, error), x, y *apd.Decimal) *apd.Decimal {
	o.t.Helper()
	var z apd.Decimal
	if _, err := op(&z, x, y); err != nil {
		o.t.Fatalf("oracle: %v", err)
	}
	return &z
}

func (o oracle) add(x, y *apd.Decimal) *apd.Decimal { return o.do(o.c.Add, x, y) }
func (o oracle) sub(x, y *apd.Decimal) *apd.Decimal { return o.do(o.c.Sub, x, y) }
func (o oracle) mul(x, y *apd.Decimal) *apd.Decimal { return o.do(o.c.Mul, x, y) }
func (o oracle) quo(x, y *apd.Decimal) *apd.Decimal { return o.do(o.c.Quo, x, y) }

// floor returns the largest multiple of step at most x, by apd's own
// Floor of x/step at 50 digits (not derivmath.Round).
func (o oracle) floor(x, step *apd.Decimal) *apd.Decimal {
	o.t.Helper()
	var n apd.Decimal // apart from the quotient: apd's Floor does not alias
	if _, err := o.c.Floor(&n, o.quo(x, step)); err != nil {
		o.t.Fatalf("oracle: %v", err)
	}
	return o.mul(&n, step)
}

func minDec(x, y *apd.Decimal) *apd.Decimal {
	if x.Cmp(y) <= 0 {
		return x
	}
	return y
}

func maxDec(x, y *apd.Decimal) *apd.Decimal {
	if x.Cmp(y) >= 0 {
		return x
	}
	return y
}

func absDec(x *apd.Decimal) *apd.Decimal { return new(apd.Decimal).Abs(x) }

// units draws c*step with c in [lo, hi]: an amount in minor units, a
// quantity in lots.
func units(t *rapid.T, label string, lo, hi int64, step *apd.Decimal) *apd.Decimal {
	var z apd.Decimal
	if _, err := dectest.Oracle().Mul(&z, apd.New(rapid.Int64Range(lo, hi).Draw(t, label), 0), step); err != nil {
		t.Fatal(err)
	}
	return &z
}

// drawn returns a value drawn from g.
func drawn(t *rapid.T, g *rapid.Generator[apd.Decimal], label string) *apd.Decimal {
	v := g.Draw(t, label)
	return new(apd.Decimal).Set(&v)
}

// minorUnit draws a minor unit: a power of ten, or a step that is not one.
func minorUnit(t *rapid.T) *apd.Decimal {
	return d(rapid.SampledFrom([]string{"1", "0.01", "0.000001", "0.00000001", "0.5", "0.25"}).Draw(t, "minor"))
}

// formula is a formula of formula.go over its decimal operands x.
type formula func(z *apd.Decimal, x []*apd.Decimal) error

// eval returns f(x) and f's error, computed with a fresh z and again with
// z aliasing a copy of an operand drawn by rapid: both must agree, and the
// operands must be unchanged.
func eval(t *rapid.T, f formula, x ...*apd.Decimal) (*apd.Decimal, error) {
	t.Helper()
	in := make([]*apd.Decimal, len(x))
	for i := range x {
		in[i] = new(apd.Decimal).Set(x[i])
	}
	var z apd.Decimal
	err := f(&z, x)
	for i := range x {
		if x[i].CmpTotal(in[i]) != 0 {
			t.Fatalf("operand %d changed from %s to %s", i, in[i], x[i])
		}
	}
	y := make([]*apd.Decimal, len(x))
	for i := range x {
		y[i] = new(apd.Decimal).Set(x[i])
	}
	a := rapid.IntRange(0, len(x)-1).Draw(t, "alias")
	err2 := f(y[a], y)
	if !errors.Is(err2, err) || (err == nil && y[a].Cmp(&z) != 0) {
		t.Fatalf("%v: z aliasing operand %d gives %s (%v), fresh z %s (%v)", in, a, y[a], err2, z.String(), err)
	}
	return &z, err
}

// value returns f(x), failing the test on an error.
func value(t *rapid.T, f formula, x ...*apd.Decimal) *apd.Decimal {
	t.Helper()
	var z apd.Decimal
	if err := f(&z, x); err != nil {
		t.Fatalf("%v: %v", x, err)
	}
	return &z
}

// ulp1 fails the test unless got is within one unit in the 19th digit of
// the oracle's want.
func ulp1(t *rapid.T, what string, got, want *apd.Decimal) {
	t.Helper()
	if !dectest.ULPs(got, want, derivmath.Precision, 1) {
		t.Fatalf("%s = %s, oracle %s", what, got, want)
	}
}

// exact fails the test unless got equals the oracle's want.
func exact(t *rapid.T, what string, got, want *apd.Decimal) {
	t.Helper()
	if got.Cmp(want) != 0 {
		t.Fatalf("%s = %s, oracle %s", what, got, want)
	}
}

// TestOracleScoreOKX checks OKX's ADL score against roi/marginRatio (roi >=
// 0) and roi*marginRatio (roi < 0), each rounded once: the score has roi's
// sign, rises with roi and falls as the margin ratio rises.
func TestOracleScoreOKX(t *testing.T) {
	ctx := derivmath.NewContext()
	f := func(z *apd.Decimal, x []*apd.Decimal) error { return engine.ScoreOKX(ctx, z, x[0], x[1]) }
	rapid.Check(t, func(t *rapid.T) {
		o := newOracle(t)
		// roi = s*(mark - entry)/entry, as a caller computes it: 19 digits.
		entry, mark := drawn(t, dectest.Price(), "entry"), drawn(t, dectest.Price(), "mark")
		roi := new(apd.Decimal)
		if _, err := ctx.Quo(roi, o.sub(mark, entry), entry); err != nil {
			t.Fatal(err)
		}
		if rapid.Bool().Draw(t, "short") {
			roi.Neg(roi)
		}
		mr := drawn(t, dectest.Fraction(1, 3_000_000), "marginRatio")
		z, err := eval(t, f, roi, mr)
		noErr(t, err)
		want := o.quo(roi, mr)
		if roi.Negative {
			want = o.mul(roi, mr)
		}
		ulp1(t, "ScoreOKX", z, want)
		if z.Sign() != roi.Sign() {
			t.Fatalf("roi %s scores %s", roi, z)
		}
		roi2 := o.add(roi, drawn(t, dectest.Fraction(0, 2_000_000), "more roi"))
		if s := value(t, f, roi2, mr); s.Cmp(z) < 0 {
			t.Fatalf("roi %s > %s but score %s < %s", roi2, roi, s, z)
		}
		mr2 := o.add(mr, drawn(t, dectest.Fraction(0, 2_000_000), "more ratio"))
		if s := value(t, f, roi, mr2); s.Cmp(z) > 0 {
			t.Fatalf("margin ratio %s > %s but score %s > %s", mr2, mr, s, z)
		}
	})
}

// TestOracleBankruptQuote checks dYdX v4's bankruptcy quote against
// -dnnv - floor(tnc*|dmmr|/tmmr) with the quotient floored to the minor
// unit: the result lies in [exact, exact + minor), toward +infinity, and
// falls as the net collateral rises.
func TestOracleBankruptQuote(t *testing.T) {
	ctx := derivmath.NewContext()
	f := func(z *apd.Decimal, x []*apd.Decimal) error {
		return engine.BankruptQuote(ctx, z, x[0], x[1], x[2], x[3], x[4])
	}
	rapid.Check(t, func(t *rapid.T) {
		o := newOracle(t)
		minor := minorUnit(t)
		// Quantities in minor units below 10^9: the product tnc*|dmmr| is
		// exact in 19 digits, as on exchange-sized inputs. Closing delta
		// releases at most the whole maintenance: |dmmr| <= tmmr.
		tnc := units(t, "tnc", -1e9, 1e9, minor)
		m := rapid.Int64Range(1, 1e9).Draw(t, "tmmr")
		tmmr := units(t, "tmmr", m, m, minor)
		dnnv := units(t, "dnnv", -1e12, 1e12, minor)
		dmmr := units(t, "dmmr", -m, m, minor)
		z, err := eval(t, f, tnc, tmmr, dnnv, dmmr, minor)
		noErr(t, err)
		q := o.quo(o.mul(tnc, absDec(dmmr)), tmmr)
		want := o.sub(new(apd.Decimal).Neg(dnnv), o.floor(q, minor))
		exact(t, "BankruptQuote", z, want)
		unrounded := o.sub(new(apd.Decimal).Neg(dnnv), q)
		if above := o.sub(z, unrounded); above.Negative || above.Cmp(minor) >= 0 {
			t.Fatalf("quote %s not in [%s, +minor %s)", z, unrounded, minor)
		}
		tnc2 := o.add(tnc, units(t, "more tnc", 0, 1e8, minor))
		if z2 := value(t, f, tnc2, tmmr, dnnv, dmmr, minor); z2.Cmp(z) > 0 {
			t.Fatalf("tnc %s > %s but quote %s > %s", tnc2, tnc, z2, z)
		}
	})
}

// TestOracleInsuranceDelta checks dYdX v4's insurance fund delta against
// d = quote - bankruptQuote when d <= 0 and min(floor(|quote|*maxFee), d)
// when d > 0: the fund pays exactly the shortfall, takes at most d and at
// most the fee cap, never a negative fee; the delta rises with maxFee and
// falls as the bankruptcy quote rises.
func TestOracleInsuranceDelta(t *testing.T) {
	ctx := derivmath.NewContext()
	f := func(z *apd.Decimal, x []*apd.Decimal) error {
		return engine.InsuranceDelta(ctx, z, x[0], x[1], x[2], x[3])
	}
	rapid.Check(t, func(t *rapid.T) {
		o := newOracle(t)
		minor := minorUnit(t)
		quote := units(t, "quote", -1e12, 1e12, minor)
		bq := o.add(quote, units(t, "-d", -1e10, 1e10, minor))
		maxFee := drawn(t, dectest.Fraction(0, 1_000_000), "maxFee")
		z, err := eval(t, f, quote, bq, maxFee, minor)
		noErr(t, err)
		dd := o.sub(quote, bq)
		capped := o.floor(o.mul(absDec(quote), maxFee), minor)
		want := dd
		if dd.Sign() > 0 {
			want = minDec(capped, dd)
		}
		exact(t, "InsuranceDelta", z, want)
		switch {
		case dd.Sign() <= 0 && z.Cmp(dd) != 0:
			t.Fatalf("d %s <= 0: the fund pays %s", dd, z)
		case dd.Sign() > 0 && (z.Negative || z.Cmp(dd) > 0 || z.Cmp(o.mul(absDec(quote), maxFee)) > 0):
			t.Fatalf("d %s > 0: delta %s outside [0, min(d, |quote|*maxFee)]", dd, z)
		}
		fee2 := minDec(o.add(maxFee, drawn(t, dectest.Fraction(0, 1_000_000), "more fee")), d("1"))
		if z2 := value(t, f, quote, bq, fee2, minor); z2.Cmp(z) < 0 {
			t.Fatalf("maxFee %s > %s but delta %s < %s", fee2, maxFee, z2, z)
		}
		bq2 := o.add(bq, units(t, "more bq", 0, 1e10, minor))
		if z2 := value(t, f, quote, bq2, maxFee, minor); z2.Cmp(z) > 0 {
			t.Fatalf("bankruptQuote %s > %s but delta %s > %s", bq2, bq, z2, z)
		}
	})
}

// TestOracleDriftBase checks Drift's liquidation base against
// shortage/(price*(mr - liqFee) - price*ifFee), rounded once, and
// ErrUnbounded when mr - liqFee - ifFee <= 0: the base rises with the
// shortage and with the fund's fee, and falls as the price rises.
func TestOracleDriftBase(t *testing.T) {
	ctx := derivmath.NewContext()
	f := func(z *apd.Decimal, x []*apd.Decimal) error {
		return engine.DriftBase(ctx, z, x[0], x[1], x[2], x[3], x[4])
	}
	rapid.Check(t, func(t *rapid.T) {
		o := newOracle(t)
		shortage := units(t, "shortage", 0, 1e12, d("0.000001"))
		price := drawn(t, dectest.Price(), "price")
		mr := drawn(t, dectest.Fraction(1_000, 500_000), "mr")
		liqFee := drawn(t, dectest.Fraction(0, 50_000), "liqFee")
		ifFee := drawn(t, dectest.Fraction(0, 50_000), "ifFee")
		z, err := eval(t, f, shortage, price, mr, liqFee, ifFee)
		den := o.sub(o.mul(price, o.sub(mr, liqFee)), o.mul(price, ifFee))
		if den.Sign() <= 0 {
			if !errors.Is(err, engine.ErrUnbounded) {
				t.Fatalf("mr %s - liqFee %s - ifFee %s <= 0: %s, %v", mr, liqFee, ifFee, z, err)
			}
			return
		}
		noErr(t, err)
		ulp1(t, "DriftBase", z, o.quo(shortage, den))
		s2 := o.add(shortage, units(t, "more shortage", 0, 1e10, d("0.000001")))
		if z2 := value(t, f, s2, price, mr, liqFee, ifFee); z2.Cmp(z) < 0 {
			t.Fatalf("shortage %s > %s but base %s < %s", s2, shortage, z2, z)
		}
		p2 := o.add(price, drawn(t, dectest.Price(), "more price"))
		if z2 := value(t, f, shortage, p2, mr, liqFee, ifFee); z2.Cmp(z) > 0 {
			t.Fatalf("price %s > %s but base %s > %s", p2, price, z2, z)
		}
		if f2 := o.add(ifFee, drawn(t, dectest.Fraction(0, 10_000), "more ifFee")); o.sub(o.sub(mr, liqFee), f2).Sign() > 0 {
			if z2 := value(t, f, shortage, price, mr, liqFee, f2); z2.Cmp(z) < 0 {
				t.Fatalf("ifFee %s > %s but base %s < %s", f2, ifFee, z2, z)
			}
		}
	})
}

// TestOracleDriftIfFee checks Drift's insurance fund fee against
// max(0, min(maxIfFee, (mr - liqFee - shortage/(base*price))*19/20)), 0
// when mr <= liqFee, within the rounding of its terms: the fee lies in
// [0, maxIfFee], falls as the shortage rises, and is 0 (to the last digit)
// at the base DriftBase gives for a fund fee of 0.
func TestOracleDriftIfFee(t *testing.T) {
	ctx := derivmath.NewContext()
	f := func(z *apd.Decimal, x []*apd.Decimal) error {
		return engine.DriftIfFee(ctx, z, x[0], x[1], x[2], x[3], x[4], x[5])
	}
	rapid.Check(t, func(t *rapid.T) {
		o := newOracle(t)
		shortage := units(t, "shortage", 0, 1e12, d("0.000001"))
		base := units(t, "base", 1, 1e9, d("0.001"))
		price := drawn(t, dectest.Price(), "price")
		mr := drawn(t, dectest.Fraction(0, 500_000), "mr")
		liqFee := drawn(t, dectest.Fraction(0, 50_000), "liqFee")
		maxIfFee := drawn(t, dectest.Fraction(0, 100_000), "maxIfFee")
		z, err := eval(t, f, shortage, base, price, mr, liqFee, maxIfFee)
		noErr(t, err)
		if z.Negative || z.Cmp(maxIfFee) > 0 {
			t.Fatalf("ifFee %s outside [0, maxIfFee %s]", z, maxIfFee)
		}
		if mr.Cmp(liqFee) <= 0 {
			exact(t, "DriftIfFee (mr <= liqFee)", z, d("0"))
			return
		}
		q := o.quo(shortage, o.mul(base, price))
		implied := o.quo(o.mul(o.sub(o.sub(mr, liqFee), q), apd.New(19, 0)), apd.New(20, 0))
		want := maxDec(d("0"), minDec(maxIfFee, implied))
		// base*price and q are rounded (each at most 5 units in q's 19th
		// digit, when one has a leading 1 and the other a leading 9), the
		// rest three times: ten units in the 19th digit of the largest
		// term bound the error.
		ref := maxDec(maxDec(absDec(q), mr), liqFee)
		var tol apd.Decimal
		tol.SetFinite(10, int32(int64(ref.Exponent)+ref.NumDigits()-derivmath.Precision))
		if !dectest.Within(z, want, &tol) {
			t.Fatalf("DriftIfFee = %s, oracle %s (tolerance %s)", z, want, tol.String())
		}
		s2 := o.add(shortage, units(t, "more shortage", 0, 1e10, d("0.000001")))
		if z2 := value(t, f, s2, base, price, mr, liqFee, maxIfFee); z2.Cmp(z) > 0 {
			t.Fatalf("shortage %s > %s but ifFee %s > %s", s2, shortage, z2, z)
		}
		// The base that restores the account with no fund fee implies none.
		if shortage.Sign() > 0 && o.sub(mr, liqFee).Sign() > 0 {
			var b apd.Decimal
			noErr(t, engine.DriftBase(ctx, &b, shortage, price, mr, liqFee, d("0")))
			z0 := value(t, f, shortage, &b, price, mr, liqFee, maxIfFee)
			// b, b*price and q are rounded: 2e-18 of mr - liqFee bounds it.
			if tiny := o.mul(o.sub(mr, liqFee), d("2e-18")); z0.Cmp(tiny) > 0 {
				t.Fatalf("base %s from DriftBase implies ifFee %s, want 0", b.String(), z0)
			}
		}
	})
}

// TestOraclePartialOKX checks OKX's partial close against |qty| - tier1Max
// from tier 3 up when |qty| > tier1Max, |qty| otherwise: never negative,
// never above the position, leaving tier1Max at tier >= 3 when it is
// exceeded, and rising with the position.
func TestOraclePartialOKX(t *testing.T) {
	ctx := derivmath.NewContext()
	rapid.Check(t, func(t *rapid.T) {
		o := newOracle(t)
		tier := rapid.IntRange(1, 10).Draw(t, "tier")
		f := func(z *apd.Decimal, x []*apd.Decimal) error { return engine.PartialOKX(ctx, z, x[0], tier, x[1]) }
		lot := d(rapid.SampledFrom([]string{"1", "0.01", "0.001"}).Draw(t, "lot"))
		qty := units(t, "qty", 1, 1e10, lot)
		if rapid.Bool().Draw(t, "short") {
			qty.Neg(qty)
		}
		max1 := units(t, "tier1Max", 0, 1e9, lot)
		z, err := eval(t, f, qty, max1)
		noErr(t, err)
		n := absDec(qty)
		want := n
		if tier >= 3 && n.Cmp(max1) > 0 {
			want = o.sub(n, max1)
		}
		exact(t, "PartialOKX", z, want)
		if z.Negative || z.Cmp(n) > 0 {
			t.Fatalf("closes %s of a position of %s", z, qty)
		}
		if left := o.sub(n, z); tier >= 3 && n.Cmp(max1) > 0 && left.Cmp(max1) != 0 {
			t.Fatalf("tier %d: leaves %s of %s, tier-1 max %s", tier, left, qty, max1)
		}
		// Rising with the position where the tier is consistent with it (a
		// position of tier 3 or more is above the tier-1 maximum): at tier
		// >= 3 a position at or below tier1Max closes whole, one above it
		// only the excess.
		q2 := o.add(n, units(t, "more qty", 0, 1e9, lot))
		if z2 := value(t, f, q2, max1); (tier < 3 || n.Cmp(max1) > 0) && z2.Cmp(z) < 0 {
			t.Fatalf("position %s > %s but closes %s < %s", q2, n, z2, z)
		}
	})
}

// TestOracleNotionalDYDX checks dYdX v4's liquidatable notional against
// min(max(min(minNotional, |n|), floor(|n|*maxPortion)), maxNotional -
// done), and 0 once done reaches maxNotional: never negative, never above
// the position or what the block has left, rising with the position and
// falling as done rises.
func TestOracleNotionalDYDX(t *testing.T) {
	ctx := derivmath.NewContext()
	f := func(z *apd.Decimal, x []*apd.Decimal) error {
		return engine.NotionalDYDX(ctx, z, x[0], x[1], x[2], x[3], x[4], x[5])
	}
	rapid.Check(t, func(t *rapid.T) {
		o := newOracle(t)
		minor := minorUnit(t)
		n := units(t, "notional", -1e12, 1e12, minor)
		done := units(t, "done", 0, 1e12, minor)
		minN := units(t, "minNotional", 0, 1e10, minor)
		portion := drawn(t, dectest.Fraction(1, 1_000_000), "maxPortion")
		maxNotional := units(t, "maxNotional", 0, 1e12, minor)
		z, err := eval(t, f, n, done, minN, portion, maxNotional, minor)
		noErr(t, err)
		a := absDec(n)
		left := o.sub(maxNotional, done)
		want := minDec(maxDec(minDec(minN, a), o.floor(o.mul(a, portion), minor)), left)
		want = maxDec(want, d("0"))
		exact(t, "NotionalDYDX", z, want)
		if z.Negative || z.Cmp(a) > 0 || (z.Sign() > 0 && z.Cmp(left) > 0) {
			t.Fatalf("limit %s outside [0, min(|notional| %s, left %s)]", z, a, left)
		}
		n2 := o.add(a, units(t, "more notional", 0, 1e10, minor))
		if z2 := value(t, f, n2, done, minN, portion, maxNotional, minor); z2.Cmp(z) < 0 {
			t.Fatalf("notional %s > %s but limit %s < %s", n2, a, z2, z)
		}
		done2 := o.add(done, units(t, "more done", 0, 1e10, minor))
		if z2 := value(t, f, n, done2, minN, portion, maxNotional, minor); z2.Cmp(z) > 0 {
			t.Fatalf("done %s > %s but limit %s > %s", done2, done, z2, z)
		}
	})
}

// TestOracleDrawdown checks Bybit's drawdown ratio against (pnl -
// pnlMax)/poolMax, rounded once: it has the sign of pnl - pnlMax, rises
// with pnl and falls as pnlMax rises.
func TestOracleDrawdown(t *testing.T) {
	ctx := derivmath.NewContext()
	f := func(z *apd.Decimal, x []*apd.Decimal) error { return engine.Drawdown(ctx, z, x[0], x[1], x[2]) }
	rapid.Check(t, func(t *rapid.T) {
		o := newOracle(t)
		cent := d("0.01")
		pnl := units(t, "pnl", -1e13, 1e13, cent)
		pnlMax := units(t, "pnlMax", -1e13, 1e13, cent)
		pool := units(t, "poolMax", 1, 1e13, cent)
		z, err := eval(t, f, pnl, pnlMax, pool)
		noErr(t, err)
		diff := o.sub(pnl, pnlMax)
		ulp1(t, "Drawdown", z, o.quo(diff, pool))
		if z.Sign() != diff.Sign() {
			t.Fatalf("pnl - pnlMax = %s but ratio %s", diff, z)
		}
		p2 := o.add(pnl, units(t, "more pnl", 0, 1e12, cent))
		if z2 := value(t, f, p2, pnlMax, pool); z2.Cmp(z) < 0 {
			t.Fatalf("pnl %s > %s but ratio %s < %s", p2, pnl, z2, z)
		}
		m2 := o.add(pnlMax, units(t, "more max", 0, 1e12, cent))
		if z2 := value(t, f, pnl, m2, pool); z2.Cmp(z) > 0 {
			t.Fatalf("pnlMax %s > %s but ratio %s > %s", m2, pnlMax, z2, z)
		}
	})
}

// TestOracleClawbackRate checks the clawback rate against min(1, (loss -
// cover)/profits), rounded once, and 0 when loss <= cover: it lies in
// [0, 1], rises with the loss and falls as the cover or the profits rise.
func TestOracleClawbackRate(t *testing.T) {
	ctx := derivmath.NewContext()
	f := func(z *apd.Decimal, x []*apd.Decimal) error { return engine.ClawbackRate(ctx, z, x[0], x[1], x[2]) }
	rapid.Check(t, func(t *rapid.T) {
		o := newOracle(t)
		minor := minorUnit(t)
		loss := units(t, "loss", 0, 1e12, minor)
		cover := units(t, "cover", 0, 1e12, minor)
		profits := units(t, "profits", 1, 1e12, minor)
		z, err := eval(t, f, loss, cover, profits)
		noErr(t, err)
		want := d("0")
		if r := o.sub(loss, cover); r.Sign() > 0 {
			want = minDec(d("1"), o.quo(r, profits))
		}
		ulp1(t, "ClawbackRate", z, want)
		if z.Negative || z.Cmp(d("1")) > 0 {
			t.Fatalf("rate %s outside [0, 1]", z)
		}
		l2 := o.add(loss, units(t, "more loss", 0, 1e10, minor))
		if z2 := value(t, f, l2, cover, profits); z2.Cmp(z) < 0 {
			t.Fatalf("loss %s > %s but rate %s < %s", l2, loss, z2, z)
		}
		c2 := o.add(cover, units(t, "more cover", 0, 1e10, minor))
		if z2 := value(t, f, loss, c2, profits); z2.Cmp(z) > 0 {
			t.Fatalf("cover %s > %s but rate %s > %s", c2, cover, z2, z)
		}
		p2 := o.add(profits, units(t, "more profits", 0, 1e10, minor))
		if z2 := value(t, f, loss, cover, p2); z2.Cmp(z) > 0 {
			t.Fatalf("profits %s > %s but rate %s > %s", p2, profits, z2, z)
		}
	})
}

// TestBankruptQuoteZeroDMMR is the case TestOracleBankruptQuote found: a
// delta that changes no maintenance (dmmr = 0) of an account with a
// negative net collateral. tnc*|dmmr| is then -0, which derivmath.Round
// refused as an input (derivmath.ErrNegativeZero); the quote is -dnnv.
func TestBankruptQuoteZeroDMMR(t *testing.T) {
	var z apd.Decimal
	for _, dnnv := range []string{"0", "-5000", "5000"} {
		if err := engine.BankruptQuote(derivmath.NewContext(), &z, d("-1"), d("500"), d(dnnv), d("0"), d("0.01")); err != nil {
			t.Fatalf("tnc -1, dmmr 0, dnnv %s: %v", dnnv, err)
		}
		if want := new(apd.Decimal).Neg(d(dnnv)); z.Cmp(want) != 0 {
			t.Fatalf("tnc -1, dmmr 0, dnnv %s: %s, want %s", dnnv, z.String(), want)
		}
	}
}

// rel fails the test unless got is within the relative error bound of the
// oracle's want: k roundings to 19 digits each err by at most 5e-19 of
// their value, so k of them by about k*5e-19 (bound as text, for
// dectest.Rel).
func rel(t *rapid.T, what string, got, want *apd.Decimal, bound string) {
	t.Helper()
	if !dectest.Rel(got, want, bound) {
		t.Fatalf("%s = %s, oracle %s", what, got, want)
	}
}

// signedUnits draws c*step with 1 <= |c| <= hi and the sign given.
func signedUnits(t *rapid.T, label string, hi int64, step *apd.Decimal, negative bool) *apd.Decimal {
	x := units(t, label, 1, hi, step)
	x.Negative = negative
	return x
}

// TestOracleScoreBitMEX checks BitMEX's ADL score against PNL%*EffLev
// (PNL% > 0) and PNL%/EffLev (PNL% < 0), 0 at PNL% = 0, with PNL% =
// (vMark - vEntry)/|vEntry| and EffLev = |vMark|/(vMark - vBankrupt):
// three roundings (two quotients and the product or quotient), so within
// 1.6e-18 of the oracle; the score has PNL%'s sign; and a candidate at or
// below bankruptcy is ErrBankrupt.
func TestOracleScoreBitMEX(t *testing.T) {
	ctx := derivmath.NewContext()
	f := func(z *apd.Decimal, x []*apd.Decimal) error { return engine.ScoreBitMEX(ctx, z, x[0], x[1], x[2]) }
	rapid.Check(t, func(t *rapid.T) {
		o := newOracle(t)
		cent := d("0.01")
		// Signed values of one position, in cents below 10^12: a long's are
		// positive, an inverse or short one's negative; the differences
		// are exact.
		neg := rapid.Bool().Draw(t, "negative")
		vm := signedUnits(t, "vMark", 1e12, cent, neg)
		ve := signedUnits(t, "vEntry", 1e12, cent, neg)
		eq := units(t, "equity", -1e9, 1e12, cent)
		vb := o.sub(vm, eq)
		z, err := eval(t, f, vm, ve, vb)
		if eq.Sign() <= 0 {
			if !errors.Is(err, engine.ErrBankrupt) {
				t.Fatalf("vMark - vBankrupt = %s: %v, %v; want ErrBankrupt", eq, z, err)
			}
			return
		}
		noErr(t, err)
		pnl := o.quo(o.sub(vm, ve), absDec(ve))
		lev := o.quo(absDec(vm), eq)
		want := d("0")
		switch pnl.Sign() {
		case 1:
			want = o.mul(pnl, lev)
		case -1:
			want = o.quo(pnl, lev)
		}
		rel(t, "ScoreBitMEX", z, want, "1.6e-18")
		if z.Sign() != pnl.Sign() {
			t.Fatalf("PNL%% %s scores %s", pnl, z)
		}
	})
}

// TestOracleScoreBinance checks Binance's ADL score against
// upnl/max(1, wallet)*mm/(wallet + upnl) (the floor of 1 only with floor
// set): 0 when upnl <= 0 or wallet + upnl <= 0, ErrUnbounded for a profit on
// a wallet of zero or less without the floor, and otherwise three
// roundings (two products and the quotient), within 1.6e-18 of the oracle.
func TestOracleScoreBinance(t *testing.T) {
	ctx := derivmath.NewContext()
	rapid.Check(t, func(t *rapid.T) {
		o := newOracle(t)
		floor := rapid.Bool().Draw(t, "floor")
		f := func(z *apd.Decimal, x []*apd.Decimal) error {
			return engine.ScoreBinance(ctx, z, x[0], x[1], x[2], floor)
		}
		cent := d("0.01")
		upnl := units(t, "upnl", -1e11, 1e11, cent)
		wallet := units(t, "wallet", -1e11, 1e11, cent)
		mm := units(t, "mm", 0, 1e11, cent)
		z, err := eval(t, f, upnl, wallet, mm)
		eq := o.add(wallet, upnl)
		w := wallet
		if floor && w.Cmp(d("1")) < 0 {
			w = d("1")
		}
		switch {
		case upnl.Sign() <= 0 || eq.Sign() <= 0:
			noErr(t, err)
			exact(t, "ScoreBinance", z, d("0"))
		case w.Sign() <= 0:
			if !errors.Is(err, engine.ErrUnbounded) {
				t.Fatalf("profit %s on wallet %s: %v, %v; want ErrUnbounded", upnl, wallet, z, err)
			}
		default:
			noErr(t, err)
			rel(t, "ScoreBinance", z, o.quo(o.mul(upnl, mm), o.mul(w, eq)), "1.6e-18")
		}
	})
}

// TestOracleScoreHyperliquid checks Hyperliquid's ADL score against
// (mark/entry)*(notional/accountValue), computed as two products and a
// quotient (three roundings, within 1.6e-18 of the oracle), and 0 for an
// account value of zero or less; scaling the notional and the account
// value alike leaves it.
func TestOracleScoreHyperliquid(t *testing.T) {
	ctx := derivmath.NewContext()
	f := func(z *apd.Decimal, x []*apd.Decimal) error {
		return engine.ScoreHyperliquid(ctx, z, x[0], x[1], x[2], x[3])
	}
	rapid.Check(t, func(t *rapid.T) {
		o := newOracle(t)
		cent := d("0.01")
		mark, entry := drawn(t, dectest.Price(), "mark"), drawn(t, dectest.Price(), "entry")
		notional := units(t, "notional", 0, 1e12, cent)
		account := units(t, "account", -1e9, 1e12, cent)
		z, err := eval(t, f, mark, entry, notional, account)
		noErr(t, err)
		want := d("0")
		if account.Sign() > 0 {
			want = o.quo(o.mul(mark, notional), o.mul(entry, account))
		}
		rel(t, "ScoreHyperliquid", z, want, "1.6e-18")
		// The identity: scaling the notional and the account value by the
		// same k leaves the score (two results within 1.6e-18 of one value).
		k := apd.New(rapid.Int64Range(1, 1000).Draw(t, "k"), 0)
		z2 := value(t, f, mark, entry, o.mul(notional, k), o.mul(account, k))
		rel(t, "ScoreHyperliquid scaled", z2, z, "3.3e-18")
	})
}

// TestOracleFillable checks dYdX v4's fillable price against (pnnv -
// ABR*smmr*pmmr)/ps with ABR = clamp(ba*(1 - tnc/tmmr), 0, 1), for one
// position of maintenance fraction mmf <= 20% and smmr <= 1.5 (a spread of
// at most 30%) and |tnc| <= 10*tmmr: the roundings of ABR err by at most
// about 2*10*5e-19 of ABR's scale, the rest by a few 5e-19 of pnnv, and
// the result is at least 0.7*pnnv/ps, so within 1e-17 of the oracle.
func TestOracleFillable(t *testing.T) {
	ctx := derivmath.NewContext()
	f := func(z *apd.Decimal, x []*apd.Decimal) error {
		return engine.Fillable(ctx, z, x[0], x[1], x[2], x[3], x[4], x[5], x[6])
	}
	rapid.Check(t, func(t *rapid.T) {
		o := newOracle(t)
		price := units(t, "oracle", 1, 1e9, d("0.01"))
		ps := signedUnits(t, "ps", 1e6, d("0.001"), rapid.Bool().Draw(t, "short"))
		pnnv := o.mul(ps, price)
		pmmr := o.mul(absDec(pnnv), apd.New(rapid.Int64Range(1, 20).Draw(t, "mmf"), -2))
		tmmr := o.add(pmmr, units(t, "other mm", 0, 1e9, d("0.01")))
		tnc := o.mul(tmmr, apd.New(rapid.Int64Range(-1000, 1000).Draw(t, "tnc/tmmr"), -2))
		ba := apd.New(rapid.Int64Range(100, 200).Draw(t, "ba"), -2)
		smmr := apd.New(rapid.Int64Range(0, 150).Draw(t, "smmr"), -2)
		z, err := eval(t, f, pnnv, pmmr, ps, tnc, tmmr, ba, smmr)
		noErr(t, err)
		abr := maxDec(d("0"), minDec(d("1"), o.mul(ba, o.sub(d("1"), o.quo(tnc, tmmr)))))
		want := o.quo(o.sub(pnnv, o.mul(o.mul(abr, smmr), pmmr)), ps)
		rel(t, "Fillable", z, want, "1e-17")
	})
}

// TestOracleMark checks S1's mark under each rule against its definition:
// MarkFair index*(1 + rate*until/interval) (three roundings, within
// 1.6e-18), MarkMedian the median of that, index + basis and last (a
// median moves no more than its operands: 1.6e-18 too), MarkDated
// index*(1 + basisRate) (two roundings), MarkInput the oracle exactly; z
// aliases a field of the inputs; and no rule's mark falls as the index
// rises.
func TestOracleMark(t *testing.T) {
	ctx := derivmath.NewContext()
	rapid.Check(t, func(t *rapid.T) {
		o := newOracle(t)
		p := *engine.PresetBinance()
		p.Mark = rapid.SampledFrom([]engine.MarkRule{engine.MarkFair, engine.MarkMedian, engine.MarkDated, engine.MarkInput}).Draw(t, "rule")
		interval := time.Duration(rapid.SampledFrom([]int{1, 2, 4, 8}).Draw(t, "hours")) * time.Hour
		until := time.Duration(rapid.Int64Range(0, int64(interval/time.Second)).Draw(t, "until")) * time.Second
		f := func(z *apd.Decimal, x []*apd.Decimal) error {
			// z may alias a field of in: the operands are its fields.
			var in engine.MarkInputs
			for i, fld := range []*apd.Decimal{&in.Index, &in.Rate, &in.Basis, &in.Last, &in.BasisRate, &in.Oracle} {
				fld.Set(x[i])
				if z == x[i] {
					defer func() { x[i].Set(fld) }()
					z = fld
				}
			}
			in.Until, in.Interval = until, interval
			return engine.Mark(ctx, z, &p, &in)
		}
		cent := d("0.01")
		index := units(t, "index", 1, 1e9, cent)
		rate := apd.New(rapid.Int64Range(-300, 300).Draw(t, "rate"), -5)
		basis := units(t, "basis", -1e5, 1e5, cent)
		last := units(t, "last", 1, 1e9, cent)
		basisRate := drawn(t, dectest.Fraction(-500_000, 500_000), "basisRate")
		orc := drawn(t, dectest.Price(), "oracle")
		z, err := eval(t, f, index, rate, basis, last, basisRate, orc)
		fair := o.mul(index, o.add(d("1"), o.quo(o.mul(rate, apd.New(int64(until), 0)), apd.New(int64(interval), 0))))
		switch p.Mark {
		case engine.MarkFair:
			noErr(t, err)
			rel(t, "Mark (fair)", z, fair, "1.6e-18")
		case engine.MarkMedian:
			p2 := o.add(index, basis)
			if p2.Sign() <= 0 {
				if !errors.Is(err, derivmath.ErrPrice) {
					t.Fatalf("index + basis = %s: %v, %v; want ErrPrice", p2, z, err)
				}
				return
			}
			noErr(t, err)
			prices := []*apd.Decimal{fair, p2, last}
			slices.SortFunc(prices, func(a, b *apd.Decimal) int { return a.Cmp(b) })
			rel(t, "Mark (median)", z, prices[1], "1.6e-18")
		case engine.MarkDated:
			noErr(t, err)
			rel(t, "Mark (dated)", z, o.mul(index, o.add(d("1"), basisRate)), "1.1e-18")
		case engine.MarkInput:
			noErr(t, err)
			exact(t, "Mark (input)", z, orc)
		}
		// Every rule's mark rises with the index, or ignores it (MarkInput).
		index2 := o.add(index, units(t, "more index", 0, 1e8, cent))
		if z2 := value(t, f, index2, rate, basis, last, basisRate, orc); z2.Cmp(z) < 0 {
			t.Fatalf("%v: index %s > %s but mark %s < %s", p.Mark, index2, index, z2, z)
		}
	})
}
