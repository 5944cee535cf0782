package funding_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/funding"
	"github.com/derivmath/derivmath/internal/dectest"
	"pgregory.net/rapid"
)

// rate19 draws a rate with up to 19 significant digits and a magnitude
// below 10^(maxAdj+1), down to 10^(maxAdj-6): the kind of value that Premium
// and Average return. Zero is possible.
func rate19(t *rapid.T, label string, maxAdj int32) apd.Decimal {
	digits := rapid.IntRange(1, 19).Draw(t, label+"Digits")
	c := rapid.Int64Range(0, 999_999_999_999_999_999).Draw(t, label+"Coeff")
	for n := int64(19); n > int64(digits) && c != 0; n-- {
		c /= 10
	}
	adj := rapid.Int32Range(maxAdj-6, maxAdj).Draw(t, label+"Adj")
	var d apd.Decimal
	d.SetFinite(c, adj-int32(apd.New(c, 0).NumDigits())+1)
	if c != 0 && rapid.Bool().Draw(t, label+"Neg") {
		d.Negative = true
	}
	return d
}

// positiveRate draws a rate in (0, 1) with up to 19 digits.
func positiveRate(t *rapid.T, label string, maxAdj int32) apd.Decimal {
	d := rate19(t, label, maxAdj)
	d.Negative = false
	if d.IsZero() {
		d.SetFinite(1, maxAdj)
	}
	return d
}

// price19 draws a positive price with up to 19 significant digits, from
// about 0.01 to 10^7.
func price19(t *rapid.T, label string) apd.Decimal {
	digits := rapid.IntRange(1, 19).Draw(t, label+"Digits")
	c := rapid.Int64Range(1, 999_999_999_999_999_999).Draw(t, label+"Coeff")
	for n := int64(19); n > int64(digits) && c >= 10; n-- {
		c /= 10
	}
	adj := rapid.Int32Range(-2, 6).Draw(t, label+"Adj")
	var d apd.Decimal
	d.SetFinite(c, adj-int32(apd.New(c, 0).NumDigits())+1)
	return d
}

// ulp returns one unit in the 19th significant digit of x (of 1 for zero).
func ulp(x *apd.Decimal) *apd.Decimal {
	adj := int64(x.Exponent) + x.NumDigits() - 1
	if x.IsZero() {
		adj = 0
	}
	var u apd.Decimal
	u.SetFinite(1, int32(adj-derivmath.Precision+1))
	return &u
}

// near reports whether |got - want| <= n units in the 19th digit of the
// largest of refs: the error bound of a computation rounded at values of
// the size of refs.
func near(got, want *apd.Decimal, n int64, refs ...*apd.Decimal) bool {
	e := int32(-1 << 30)
	for _, r := range refs {
		e = max(e, ulp(r).Exponent)
	}
	var tol apd.Decimal
	tol.SetFinite(n, e)
	return dectest.Within(got, want, &tol)
}

// roundoff returns u*(|t1| + |t2| + ...), with u = 5e-19 the unit roundoff
// of 19 digits, plus one part in a million: the bound on the error of one
// rounding at the magnitude of each term.
func roundoff(t *rapid.T, terms ...*apd.Decimal) *apd.Decimal {
	o := dectest.Oracle()
	var sum, a apd.Decimal
	for _, x := range terms {
		if _, err := o.Add(&sum, &sum, a.Abs(x)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := o.Mul(&sum, &sum, dectest.D("5.000005e-19")); err != nil {
		t.Fatal(err)
	}
	return &sum
}

// rel reports whether got is within k roundings of want: a relative error
// of at most k*u, with u = 5e-19 the unit roundoff of 19 digits.
func rel(got, want *apd.Decimal, k int) bool {
	return dectest.Rel(got, want, fmt.Sprintf("%de-19", 5*k))
}

func must(t *rapid.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// refused reports whether a rate was refused for a magnitude of 1 or more
// (ErrRate), failing t on any other error, or if the oracle's value want
// lies below 1 by more than the roundings of a 19-digit result.
func refused(t *rapid.T, err error, want *apd.Decimal) bool {
	t.Helper()
	if !errors.Is(err, derivmath.ErrRate) {
		must(t, err)
		return false
	}
	var a apd.Decimal
	a.Abs(want)
	if a.Cmp(dectest.D("0.99999999999999999")) < 0 {
		t.Fatalf("refused a rate of %s: %v", want.String(), err)
	}
	return true
}

// oracle returns a checker of the 50-digit oracle's operations:
// ok(o.Add(...)) fails t if the oracle fails.
func oracle(t *rapid.T) func(apd.Condition, error) {
	return func(c apd.Condition, err error) {
		if err != nil {
			t.Helper()
			t.Fatalf("oracle: %v (%v)", err, c)
		}
	}
}

var specs = []*contract.Spec{contract.XBTUSD(), contract.BTCUSDT(), contract.ETHUSD(), contract.BTCUSDPerp()}

func TestPropPaymentsSumToZero(t *testing.T) {
	ctx := derivmath.NewContext()
	rapid.Check(t, func(t *rapid.T) {
		ok := oracle(t)
		s := rapid.SampledFrom(specs).Draw(t, "spec")
		mark := price19(t, "mark")
		rate := rate19(t, "rate", -3)
		qtys := rapid.SliceOfN(dectest.Qty(), 1, 8).Draw(t, "qtys")

		// Each position against its mirror image: exactly zero.
		var sum, pay apd.Decimal
		for i := range qtys {
			for _, sign := range []bool{false, true} {
				var p contract.Position
				p.Qty.Set(&qtys[i])
				if sign {
					p.Qty.Neg(&p.Qty)
				}
				must(t, funding.Payment(ctx, &pay, s, &p, &mark, &rate))
				ok(dectest.Oracle().Add(&sum, &sum, &pay))
			}
		}
		if !sum.IsZero() {
			t.Fatalf("mirrored payments sum to %s", sum.String())
		}

		// The longs and shorts of qtys, against one position that nets them
		// out: zero within the rounding of each payment.
		var net, abs apd.Decimal
		sum.SetInt64(0)
		for i := range qtys {
			var p contract.Position
			p.Qty.Set(&qtys[i])
			must(t, funding.Payment(ctx, &pay, s, &p, &mark, &rate))
			ok(dectest.Oracle().Add(&sum, &sum, &pay))
			ok(dectest.Oracle().Add(&net, &net, &qtys[i]))
			pay.Negative = false
			ok(dectest.Oracle().Add(&abs, &abs, &pay))
		}
		var p contract.Position
		p.Qty.Neg(&net)
		if err := funding.Payment(ctx, &pay, s, &p, &mark, &rate); err != nil {
			t.Skip("net position out of range:", err)
		}
		ok(dectest.Oracle().Add(&sum, &sum, &pay))
		pay.Negative = false
		ok(dectest.Oracle().Add(&abs, &abs, &pay))
		// Each payment is within 1 ulp (2 for inverse) of exact.
		var tol apd.Decimal
		ok(dectest.Oracle().Mul(&tol, &abs, dectest.D("2e-18")))
		if !dectest.Within(&sum, apd.New(0, 0), &tol) {
			t.Fatalf("payments of a netted set sum to %s (tolerance %s)", sum.String(), tol.String())
		}
	})
}

func TestPropPaymentSign(t *testing.T) {
	ctx := derivmath.NewContext()
	rapid.Check(t, func(t *rapid.T) {
		ok := oracle(t)
		s := rapid.SampledFrom(specs).Draw(t, "spec")
		mark := price19(t, "mark")
		rate := rate19(t, "rate", -3)
		var p contract.Position
		p.Qty = dectest.Qty().Draw(t, "qty")
		var pay apd.Decimal
		must(t, funding.Payment(ctx, &pay, s, &p, &mark, &rate))
		// When F > 0 longs pay (> 0) and shorts receive; when F < 0 the
		// reverse.
		if want := rate.Sign() * p.Qty.Sign(); pay.Sign() != want {
			t.Fatalf("qty %s, rate %s: payment %s, want sign %d", p.Qty.String(), rate.String(), pay.String(), want)
		}
		// Oracle: sign(Q)*value*F.
		o := dectest.Oracle()
		var want, v apd.Decimal
		ok(o.Mul(&v, &p.Qty, &s.Multiplier))
		if s.Kind == contract.Inverse {
			ok(o.Quo(&v, &v, &mark))
		} else {
			ok(o.Mul(&v, &v, &mark))
		}
		ok(o.Mul(&want, &v, &rate))
		// value(mark) and the product are rounded, and N*m when it needs
		// more than 19 digits.
		if !rel(&pay, &want, 3) {
			t.Fatalf("payment %s, oracle %s", pay.String(), want.String())
		}
	})
}

func TestPropCappedRateNeverExceedsCap(t *testing.T) {
	ctx := derivmath.NewContext()
	rapid.Check(t, func(t *rapid.T) {
		ok := oracle(t)
		rate := rate19(t, "rate", -1)
		mmr := positiveRate(t, "mmr", -2)
		var imr, capAbs, capChange apd.Decimal
		ok(dectest.Oracle().Mul(&imr, &mmr, dectest.D(rapid.SampledFrom([]string{"1", "1.5", "2", "4"}).Draw(t, "imr/mmr"))))
		ok(ctx.Round(&imr, &imr))
		if imr.Cmp(apd.New(1, 0)) > 0 {
			t.Skip("imr above 1")
		}
		if rapid.Bool().Draw(t, "binance") {
			factor := positiveRate(t, "factor", 0)
			if err := funding.CapBinance(ctx, &capAbs, &factor, &mmr); err != nil {
				t.Fatal(err)
			}
			if capAbs.Cmp(apd.New(1, 0)) >= 0 {
				t.Skip("cap of 100% or more")
			}
		} else {
			must(t, funding.CapBitMEX(ctx, &capAbs, &imr, &mmr))
		}
		must(t, funding.ChangeCapBitMEX(ctx, &capChange, &mmr))

		var z apd.Decimal
		must(t, funding.Clamp(&z, &rate, &capAbs))
		var a apd.Decimal
		if a.Abs(&z).Cmp(&capAbs) > 0 {
			t.Fatalf("Clamp(%s, %s) = %s exceeds the cap", rate.String(), capAbs.String(), z.String())
		}
		if a.Abs(&rate).Cmp(&capAbs) <= 0 && z.Cmp(&rate) != 0 {
			t.Fatalf("Clamp(%s, %s) = %s changed a rate within the cap", rate.String(), capAbs.String(), z.String())
		}

		// The previous rate was capped too; the new one moves at most
		// capChange from it, then is capped: both caps hold, exactly.
		prev := rate19(t, "prev", -2)
		must(t, funding.Clamp(&prev, &prev, &capAbs))
		must(t, funding.ClampChange(ctx, &z, &rate, &prev, &capChange))
		var step apd.Decimal
		ok(dectest.Oracle().Sub(&step, &z, &prev))
		if step.Abs(&step).Cmp(&capChange) > 0 {
			t.Fatalf("ClampChange(%s, %s, %s) = %s moves too far", rate.String(), prev.String(), capChange.String(), z.String())
		}
		must(t, funding.Clamp(&z, &z, &capAbs))
		ok(dectest.Oracle().Sub(&step, &z, &prev))
		if a.Abs(&z).Cmp(&capAbs) > 0 || step.Abs(&step).Cmp(&capChange) > 0 {
			t.Fatalf("both caps: %s from %s (caps %s, %s)", z.String(), prev.String(), capAbs.String(), capChange.String())
		}
	})
}

func TestPropRateClamp(t *testing.T) {
	ctx := derivmath.NewContext()
	rapid.Check(t, func(t *rapid.T) {
		ok := oracle(t)
		premium := rate19(t, "premium", -3)
		interest := rate19(t, "interest", -3)
		var bound apd.Decimal
		if rapid.Bool().Draw(t, "default") {
			funding.DefaultClamp(&bound)
		} else {
			bound = positiveRate(t, "bound", -3)
		}
		var f apd.Decimal
		must(t, funding.Rate(ctx, &f, &premium, &interest, &bound))

		o := dectest.Oracle()
		var d, lo, want apd.Decimal
		ok(o.Sub(&d, &interest, &premium))
		lo.Neg(&bound)
		switch {
		case d.Cmp(&bound) > 0:
			ok(o.Add(&want, &premium, &bound))
		case d.Cmp(&lo) < 0:
			ok(o.Sub(&want, &premium, &bound))
		default:
			// The identity: within the clamp, F is the interest, exactly.
			if f.Cmp(&interest) != 0 {
				t.Fatalf("P %s, I %s within %s: F = %s, want I", premium.String(), interest.String(), bound.String(), f.String())
			}
			return
		}
		// Beyond the clamp F = P -/+ bound, rounded once; or I, when I - P
		// is within half an ulp of the bound (documented).
		if !near(&f, &want, 1, &want, &d) {
			t.Fatalf("P %s, I %s, bound %s: F = %s, oracle %s", premium.String(), interest.String(), bound.String(), f.String(), want.String())
		}
	})
}

// drawWindow draws premium samples with up to 19 digits.
func drawWindow(t *rapid.T) []apd.Decimal {
	n := rapid.IntRange(1, 40).Draw(t, "n")
	s := make([]apd.Decimal, n)
	for i := range s {
		s[i] = rate19(t, "sample", -2)
	}
	return s
}

func TestPropAverageOfEqualSamples(t *testing.T) {
	ctx := derivmath.NewContext()
	rapid.Check(t, func(t *rapid.T) {
		x := rate19(t, "x", -1)
		n := rapid.IntRange(1, 500).Draw(t, "n")
		w := rapid.SampledFrom([]funding.Weighting{funding.Equal, funding.TimeWeighted}).Draw(t, "w")
		samples := make([]apd.Decimal, n)
		for i := range samples {
			samples[i].Set(&x)
		}
		var z apd.Decimal
		must(t, funding.Average(ctx, &z, samples, w))
		if z.Cmp(&x) != 0 {
			t.Fatalf("%s average of %d samples of %s = %s", w, n, x.String(), z.String())
		}
	})
}

func TestPropAverageMatchesOracle(t *testing.T) {
	ctx := derivmath.NewContext()
	rapid.Check(t, func(t *rapid.T) {
		ok := oracle(t)
		samples := drawWindow(t)
		w := rapid.SampledFrom([]funding.Weighting{funding.Equal, funding.TimeWeighted}).Draw(t, "w")
		var z apd.Decimal
		must(t, funding.Average(ctx, &z, samples, w))

		o := dectest.Oracle()
		var sum, total, weight, term, want apd.Decimal
		lo, hi := &samples[0], &samples[0]
		for i := range samples {
			weight.SetInt64(1)
			if w == funding.TimeWeighted {
				weight.SetInt64(int64(i + 1))
			}
			ok(o.Mul(&term, &samples[i], &weight))
			ok(o.Add(&sum, &sum, &term))
			ok(o.Add(&total, &total, &weight))
			if samples[i].Cmp(lo) < 0 {
				lo = &samples[i]
			}
			if samples[i].Cmp(hi) > 0 {
				hi = &samples[i]
			}
		}
		ok(o.Quo(&want, &sum, &total))
		// Rounded once: within half an ulp, so within one.
		if !dectest.ULPs(&z, &want, derivmath.Precision, 1) {
			t.Fatalf("%s average %s, oracle %s", w, z.String(), want.String())
		}
		if z.Cmp(lo) < 0 || z.Cmp(hi) > 0 {
			t.Fatalf("%s average %s outside [%s, %s]", w, z.String(), lo.String(), hi.String())
		}
	})
}

func TestPropPremiumMatchesOracle(t *testing.T) {
	ctx := derivmath.NewContext()
	rapid.Check(t, func(t *rapid.T) {
		ok := oracle(t)
		a, b, index := price19(t, "a"), price19(t, "b"), price19(t, "index")
		bid, ask := &a, &b
		if bid.Cmp(ask) > 0 {
			bid, ask = ask, bid
		}
		var p, m apd.Decimal
		errP := funding.Premium(ctx, &p, bid, ask, &index)
		// With the mark at the index and no basis, BitMEX's form is
		// Binance's.
		errM := funding.MarkPremium(ctx, &m, bid, ask, &index, &index, apd.New(0, 0))
		if (errP == nil) != (errM == nil) || errP == nil && p.Cmp(&m) != 0 {
			t.Fatalf("Premium %s (%v), MarkPremium at the index %s (%v)", p.String(), errP, m.String(), errM)
		}
		o := dectest.Oracle()
		var up, down, want apd.Decimal
		ok(o.Sub(&up, bid, &index))
		if up.Sign() < 0 {
			up.SetInt64(0)
		}
		ok(o.Sub(&down, &index, ask))
		if down.Sign() < 0 {
			down.SetInt64(0)
		}
		ok(o.Sub(&want, &up, &down))
		ok(o.Quo(&want, &want, &index))
		// The difference (when the prices need more than 19 digits to
		// subtract) and the quotient are rounded.
		if !refused(t, errP, &want) && !rel(&p, &want, 2) {
			t.Fatalf("premium %s, oracle %s", p.String(), want.String())
		}

		// BitMEX: against the mark, over the index, plus the basis.
		basis := rate19(t, "basis", -4)
		var mark apd.Decimal
		ok(o.Mul(&mark, &index, &basis))
		ok(o.Add(&mark, &mark, &index))
		ok(ctx.Round(&mark, &mark))
		errM = funding.MarkPremium(ctx, &m, bid, ask, &mark, &index, &basis)
		up.SetInt64(0)
		down.SetInt64(0)
		if bid.Cmp(&mark) > 0 {
			ok(o.Sub(&up, bid, &mark))
		}
		if ask.Cmp(&mark) < 0 {
			ok(o.Sub(&down, &mark, ask))
		}
		var q apd.Decimal
		ok(o.Sub(&q, &up, &down))
		ok(o.Quo(&q, &q, &index))
		ok(o.Add(&want, &q, &basis))
		// Three roundings: the difference, the quotient and the sum, which
		// may cancel.
		if !refused(t, errM, &want) && !dectest.Within(&m, &want, roundoff(t, &q, &q, &want)) {
			t.Fatalf("mark premium %s, oracle %s", m.String(), want.String())
		}
	})
}

func TestPropKernelsMatchOracle(t *testing.T) {
	ctx := derivmath.NewContext()
	o := dectest.Oracle()
	intervals := []time.Duration{time.Hour, 2 * time.Hour, 4 * time.Hour, 8 * time.Hour}
	rapid.Check(t, func(t *rapid.T) {
		ok := oracle(t)
		interval := rapid.SampledFrom(intervals).Draw(t, "interval")
		var perDay, z, want, tmp apd.Decimal
		perDay.SetInt64(int64(24 * time.Hour / interval))

		// Interest: one subtraction and one division, each rounded.
		quote, base := rate19(t, "quote", -3), rate19(t, "base", -3)
		must(t, funding.Interest(ctx, &z, &quote, &base, interval))
		ok(o.Sub(&want, &quote, &base))
		ok(o.Quo(&want, &want, &perDay))
		if !rel(&z, &want, 2) {
			t.Fatalf("interest %s, oracle %s", z.String(), want.String())
		}

		// Annualised: one multiplication.
		rate := rate19(t, "rate", -3)
		must(t, funding.Annualised(ctx, &z, &rate, interval))
		ok(o.Mul(&want, &rate, &perDay))
		ok(o.Mul(&want, &want, apd.New(365, 0)))
		if !rel(&z, &want, 1) {
			t.Fatalf("annualised %s, oracle %s", z.String(), want.String())
		}

		// Basis and FairPrice: until is any whole nanosecond count.
		index := price19(t, "index")
		until := time.Duration(rapid.Int64Range(0, int64(interval)).Draw(t, "until"))
		var u, iv apd.Decimal
		u.SetInt64(int64(until))
		iv.SetInt64(int64(interval))
		must(t, funding.Basis(ctx, &z, &rate, until, interval))
		ok(o.Mul(&want, &rate, &u))
		ok(o.Quo(&want, &want, &iv))
		if !rel(&z, &want, 2) {
			t.Fatalf("basis %s, oracle %s", z.String(), want.String())
		}
		ok(o.Add(&want, &want, apd.New(1, 0)))
		ok(o.Mul(&want, &want, &index))
		must(t, funding.FairPrice(ctx, &z, &index, &rate, until, interval))
		if !rel(&z, &want, 4) {
			t.Fatalf("fair price %s, oracle %s", z.String(), want.String())
		}

		// DeadBand: the quotient, then the band.
		mark := price19(t, "mark")
		band := positiveRate(t, "band", -4)
		errD := funding.DeadBand(ctx, &z, &mark, &index, &band)
		var pr apd.Decimal
		ok(o.Sub(&pr, &mark, &index))
		ok(o.Quo(&pr, &pr, &index))
		want.SetInt64(0)
		if pr.Cmp(&band) > 0 {
			ok(o.Sub(&want, &pr, &band))
		} else if tmp.Neg(&band); pr.Cmp(&tmp) < 0 {
			ok(o.Add(&want, &pr, &band))
		}
		if !refused(t, errD, &want) && !dectest.Within(&z, &want, roundoff(t, &pr, &pr, &want)) {
			t.Fatalf("dead band %s, oracle %s (PR %s)", z.String(), want.String(), pr.String())
		}

		// BasisRate and FairPriceDated: the dated mark recovers the impact
		// mid, which is what the formula means.
		a, b := price19(t, "bid"), price19(t, "ask")
		bid, ask := &a, &b
		if bid.Cmp(ask) > 0 {
			bid, ask = ask, bid
		}
		toExpiry := time.Duration(rapid.Int64Range(int64(time.Minute), int64(2*365*24*time.Hour)).Draw(t, "toExpiry"))
		var te, yr, br apd.Decimal
		te.SetInt64(int64(toExpiry))
		yr.SetInt64(int64(365 * 24 * time.Hour))
		must(t, funding.BasisRate(ctx, &br, bid, ask, &index, toExpiry))
		var mid apd.Decimal
		ok(o.Add(&mid, bid, ask))
		ok(o.Quo(&mid, &mid, apd.New(2, 0)))
		ok(o.Quo(&want, &mid, &index))
		ok(o.Sub(&want, &want, apd.New(1, 0)))
		ok(o.Mul(&want, &want, &yr))
		ok(o.Quo(&want, &want, &te))
		// bid + ask, 2*index and their difference are each rounded once;
		// the difference may cancel, and its error is scaled by
		// year/(2*index*toExpiry). Then three more roundings.
		var sumBA, twice, num, scale apd.Decimal
		ok(o.Add(&sumBA, bid, ask))
		ok(o.Add(&twice, &index, &index))
		ok(o.Sub(&num, &sumBA, &twice))
		ok(o.Quo(&scale, &yr, &twice))
		ok(o.Quo(&scale, &scale, &te))
		tol := roundoff(t, &sumBA, &twice, &num)
		ok(o.Mul(tol, tol, &scale))
		ok(o.Add(tol, tol, roundoff(t, &want, &want, &want)))
		if !dectest.Within(&br, &want, tol) {
			t.Fatalf("basis rate %s, oracle %s (tolerance %s)", br.String(), want.String(), tol.String())
		}
		if err := funding.FairPriceDated(ctx, &z, &index, &br, toExpiry); err != nil {
			t.Fatal(err)
		}
		// mark = index*(year + br*t)/year, the sum exact and rounded once,
		// then the product and the quotient: three roundings (the
		// tolerance below allows for more).
		var brt apd.Decimal
		ok(o.Mul(&brt, &br, &te))
		ok(o.Add(&want, &brt, &yr))
		ok(o.Mul(&want, &want, &index))
		ok(o.Quo(&want, &want, &yr))
		var sum apd.Decimal
		ok(o.Add(&sum, &brt, &yr))
		tol = roundoff(t, &brt, &sum)
		ok(o.Mul(tol, tol, &index))
		ok(o.Quo(tol, tol, &yr))
		ok(o.Add(tol, tol, roundoff(t, &want, &want)))
		if !dectest.Within(&z, &want, tol) {
			t.Fatalf("dated fair price %s, oracle %s (tolerance %s)", z.String(), want.String(), tol.String())
		}
		// And the mark is the impact mid, which is what the formula means.
		if !near(&z, &mid, 8, &index, &mid) {
			t.Fatalf("dated fair price %s, impact mid %s", z.String(), mid.String())
		}
	})
}

func TestPropAccrual(t *testing.T) {
	ctx := derivmath.NewContext()
	rapid.Check(t, func(t *rapid.T) {
		ok := oracle(t)
		s := rapid.SampledFrom(specs).Draw(t, "spec")
		mark := price19(t, "mark")
		rate := rate19(t, "rate", -3)
		var p contract.Position
		p.Qty = dectest.Qty().Draw(t, "qty")
		period := 8 * time.Hour
		dt := time.Duration(rapid.Int64Range(0, int64(3*period)).Draw(t, "dt"))
		var acc, pay, want apd.Decimal
		must(t, funding.Accrual(ctx, &acc, s, &p, &mark, &rate, dt, period))
		must(t, funding.Payment(ctx, &pay, s, &p, &mark, &rate))
		o := dectest.Oracle()
		var d, per apd.Decimal
		d.SetInt64(int64(dt))
		per.SetInt64(int64(period))
		ok(o.Mul(&want, &pay, &d))
		ok(o.Quo(&want, &want, &per))
		if !rel(&acc, &want, 2) {
			t.Fatalf("accrual %s, payment*dt/period %s", acc.String(), want.String())
		}
		// Over a whole period the accrual is the payment.
		must(t, funding.Accrual(ctx, &acc, s, &p, &mark, &rate, period, period))
		if acc.Cmp(&pay) != 0 {
			t.Fatalf("accrual over a period %s, payment %s", acc.String(), pay.String())
		}
	})
}

func TestPropNext(t *testing.T) {
	intervals := []time.Duration{
		30 * time.Minute, time.Hour, 2 * time.Hour, 3 * time.Hour, 4 * time.Hour,
		6 * time.Hour, 8 * time.Hour, 12 * time.Hour, 24 * time.Hour,
	}
	rapid.Check(t, func(t *rapid.T) {
		interval := rapid.SampledFrom(intervals).Draw(t, "interval")
		offset := time.Duration(rapid.Int64Range(0, int64(interval)-1).Draw(t, "offset"))
		at := time.Unix(0, rapid.Int64Range(0, 4e18).Draw(t, "unixNano"))
		next, err := funding.Next(at, interval, offset)
		must(t, err)
		if !next.After(at) || next.Sub(at) > interval {
			t.Fatalf("Next(%v) = %v: not within one interval after", at, next)
		}
		y, m, d := next.Date()
		since := next.Sub(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
		if (since-offset)%interval != 0 {
			t.Fatalf("Next(%v) = %v: not on the schedule", at, next)
		}
		// The funding at next is not after next - 1ns.
		if again, err := funding.Next(next.Add(-1), interval, offset); err != nil || !again.Equal(next) {
			t.Fatalf("Next(%v - 1ns) = %v, want %v", next, again, next)
		}
	})
}

// TestPropBinance checks the functions of Binance's variable funding
// intervals (binance.go) against the 50-digit oracle and their identities:
// PerInterval is rate*N/8 rounded once, and the rate itself at 8 hours;
// RateBinance is Rate's formula scaled by N/8, exactly Rate at 8 hours and,
// under ScaleRate, exactly Rate then PerInterval at any interval, under
// ScaleTerms exactly Rate of the interest and bound scaled by PerInterval,
// each against the oracle; MarkBinance is the median
// of FairPrice (price 1), index + basis (price 2) and last, exactly, and
// within the roundings of price 1 and price 2 of the oracle's median.
func TestPropBinance(t *testing.T) {
	ctx := derivmath.NewContext()
	o := dectest.Oracle()
	hours := []int64{1, 2, 3, 4, 6, 8, 12, 24}
	rapid.Check(t, func(t *rapid.T) {
		ok := oracle(t)
		n := rapid.SampledFrom(hours).Draw(t, "hours")
		interval := time.Duration(n) * time.Hour
		var eighths apd.Decimal
		eighths.SetFinite(n*125, -3)

		// PerInterval: one multiplication; the identity at 8 hours.
		rate := rate19(t, "rate", -3)
		var z, want apd.Decimal
		must(t, funding.PerInterval(ctx, &z, &rate, interval))
		ok(o.Mul(&want, &rate, &eighths))
		if !rel(&z, &want, 1) {
			t.Fatalf("PerInterval(%s, %dh) = %s, oracle %s", rate.String(), n, z.String(), want.String())
		}
		must(t, funding.PerInterval(ctx, &z, &rate, 8*time.Hour))
		if z.Cmp(&rate) != 0 {
			t.Fatalf("PerInterval(%s, 8h) = %s, want the rate", rate.String(), z.String())
		}

		// RateBinance: the oracle's clamp, scaled.
		premium, interest := rate19(t, "premium", -3), rate19(t, "interest", -3)
		var bound apd.Decimal
		if rapid.Bool().Draw(t, "default") {
			funding.DefaultClamp(&bound)
		} else {
			bound = positiveRate(t, "bound", -3)
		}
		var f, eight, d, lo, f8 apd.Decimal
		must(t, funding.RateBinance(ctx, &f, &premium, &interest, &bound, interval, funding.ScaleRate))
		ok(o.Sub(&d, &interest, &premium))
		lo.Neg(&bound)
		switch {
		case d.Cmp(&bound) > 0:
			ok(o.Add(&f8, &premium, &bound))
		case d.Cmp(&lo) < 0:
			ok(o.Sub(&f8, &premium, &bound))
		default:
			f8.Set(&interest)
		}
		ok(o.Mul(&want, &f8, &eighths))
		// I - P near the bound may pick the other branch, whose value
		// differs by the rounding of I - P; then the sum and the scaling
		// round once each.
		if !dectest.Within(&f, &want, roundoff(t, &premium, &interest, &f8, &want)) {
			t.Fatalf("RateBinance(%s, %s, %s, %dh) = %s, oracle %s", premium.String(), interest.String(), bound.String(), n, f.String(), want.String())
		}
		must(t, funding.Rate(ctx, &eight, &premium, &interest, &bound))
		for _, s := range []funding.Scaling{funding.ScaleRate, funding.ScaleTerms} {
			must(t, funding.RateBinance(ctx, &z, &premium, &interest, &bound, 8*time.Hour, s))
			if z.CmpTotal(&eight) != 0 { // exactly: the representation too
				t.Fatalf("RateBinance at 8h, %v = %s, Rate = %s", s, z.String(), eight.String())
			}
		}
		must(t, funding.PerInterval(ctx, &eight, &eight, interval))
		if f.Cmp(&eight) != 0 {
			t.Fatalf("RateBinance at %dh = %s, Rate then PerInterval = %s", n, f.String(), eight.String())
		}

		// ScaleTerms: the oracle's clamp of the scaled interest and bound,
		// and Rate of them scaled by PerInterval.
		var iN, bN, loN apd.Decimal
		must(t, funding.RateBinance(ctx, &f, &premium, &interest, &bound, interval, funding.ScaleTerms))
		ok(o.Mul(&iN, &interest, &eighths))
		ok(o.Mul(&bN, &bound, &eighths))
		ok(o.Sub(&d, &iN, &premium))
		loN.Neg(&bN)
		switch {
		case d.Cmp(&bN) > 0:
			ok(o.Add(&want, &premium, &bN))
		case d.Cmp(&loN) < 0:
			ok(o.Sub(&want, &premium, &bN))
		default:
			want.Set(&iN)
		}
		// As above, plus the roundings of the scaled terms.
		if !dectest.Within(&f, &want, roundoff(t, &premium, &iN, &bN, &want, &want)) {
			t.Fatalf("RateBinance(%s, %s, %s, %dh, ScaleTerms) = %s, oracle %s", premium.String(), interest.String(), bound.String(), n, f.String(), want.String())
		}
		must(t, funding.PerInterval(ctx, &iN, &interest, interval))
		must(t, funding.PerInterval(ctx, &bN, &bound, interval))
		must(t, funding.Rate(ctx, &eight, &premium, &iN, &bN))
		if f.Cmp(&eight) != 0 {
			t.Fatalf("RateBinance at %dh, ScaleTerms = %s, Rate of the scaled terms = %s", n, f.String(), eight.String())
		}

		// MarkBinance: the median of the three prices.
		index, last := price19(t, "index"), price19(t, "last")
		basis := rate19(t, "basis", rapid.Int32Range(-4, 4).Draw(t, "basisAdj"))
		until := time.Duration(rapid.Int64Range(0, int64(interval)).Draw(t, "until"))
		var p1, p2, mark apd.Decimal
		must(t, funding.FairPrice(ctx, &p1, &index, &rate, until, interval))
		if _, err := ctx.Add(&p2, &index, &basis); err != nil || p2.Sign() <= 0 {
			mark.SetInt64(7)
			if err := funding.MarkBinance(ctx, &mark, &index, &rate, &basis, &last, until, interval); !errors.Is(err, derivmath.ErrPrice) || mark.String() != "7" {
				t.Fatalf("price 2 = %s: MarkBinance %v, z = %s; want ErrPrice and z unchanged", p2.String(), err, mark.String())
			}
			return
		}
		must(t, funding.MarkBinance(ctx, &mark, &index, &rate, &basis, &last, until, interval))
		if med := median3(&p1, &p2, &last); mark.Cmp(med) != 0 {
			t.Fatalf("MarkBinance = %s, want the median of %s, %s, %s", mark.String(), p1.String(), p2.String(), last.String())
		}
		var u, iv, q1, q2 apd.Decimal
		u.SetInt64(int64(until))
		iv.SetInt64(int64(interval))
		ok(o.Mul(&q1, &rate, &u))
		ok(o.Quo(&q1, &q1, &iv))
		ok(o.Add(&q1, &q1, apd.New(1, 0)))
		ok(o.Mul(&q1, &q1, &index))
		ok(o.Add(&q2, &index, &basis))
		want.Set(median3(&q1, &q2, &last))
		// Price 1 rounds three times, price 2 once; the median of rounded
		// prices is within the larger error of the oracle's.
		if !dectest.Within(&mark, &want, roundoff(t, &q1, &q1, &q1, &q2)) {
			t.Fatalf("MarkBinance = %s, oracle %s", mark.String(), want.String())
		}
	})
}

// median3 returns the middle of three decimals: sorted, not the code's
// exchanges, so that the oracle is a second way to the same number.
func median3(x, y, z *apd.Decimal) *apd.Decimal {
	s := []*apd.Decimal{x, y, z}
	slices.SortFunc(s, func(a, b *apd.Decimal) int { return a.Cmp(b) })
	return s[1]
}

// monotone gives, for each case of aliasCases, the direction of the
// result in each operand: +1 never falls as the operand grows, -1 never
// rises, 0 no order (or none stated). Every result is a composition of
// monotone operations, each correctly rounded, so rounding keeps the order.
var monotone = map[string][]int{
	"Premium":                {+1, +1, -1},        // (max(0, bid - index) - max(0, index - ask))/index
	"MarkPremium":            {+1, +1, -1, 0, +1}, // (max(0, bid - mark) - max(0, mark - ask))/index + basis
	"ImpactNotional":         {+1, -1},            // margin/imr
	"Interest":               {+1, -1},            // (quote - base)/fundings a day
	"Rate":                   {+1, +1, 0},         // P + clamp(I - P, -bound, bound)
	"Clamp":                  {+1, 0},             // rate limited to the bound
	"ClampChange":            {+1, +1, 0},         // rate limited to a window around prev
	"Annualised":             {+1},                // rate*fundings a year
	"CapBitMEX":              {+1, -1},            // 0.75*(imr - mmr)
	"ChangeCapBitMEX":        {+1},                // 0.75*mmr
	"CapBinance":             {+1, +1},            // factor*mmr
	"DeadBand":               {+1, -1, 0},         // PR -/+ band, PR = (mark - index)/index
	"Basis":                  {+1},                // F*until/interval
	"FairPrice":              {+1, +1},            // index*(1 + basis)
	"BasisRate":              {+1, +1, -1},        // ((bid + ask)/(2*index) - 1)*year/toExpiry
	"FairPriceDated":         {+1, +1},            // index*(1 + basisRate*toExpiry/year)
	"RateBinance":            {+1, +1, 0},         // Rate scaled by N/8
	"RateBinance/ScaleTerms": {+1, +1, 0},         // Rate of the terms scaled by N/8
	"PerInterval":            {+1},                // rate*N/8
	"MarkBinance":            {+1, +1, +1, +1},    // the median of three rising prices
}

// TestPropMonotone: each formula of aliasCases is ordered in each
// operand as monotone says. Two operand lists are drawn; the second
// list's operand i replaces the first's, and the results are compared in
// the order of the two operands (draws that a formula refuses are skipped).
func TestPropMonotone(t *testing.T) {
	ctx := derivmath.NewContext()
	for _, c := range aliasCases {
		dirs, ok := monotone[c.name]
		if !ok {
			t.Fatalf("%s: no directions in monotone", c.name)
		}
		t.Run(c.name, func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				a, b := c.draw(t), c.draw(t)
				i := rapid.IntRange(0, len(a)-1).Draw(t, "operand")
				if dirs[i] == 0 {
					t.Skip("no order in this operand")
				}
				call := func(in []apd.Decimal) (*apd.Decimal, bool) {
					p := make([]*apd.Decimal, len(in))
					for j := range in {
						p[j] = new(apd.Decimal).Set(&in[j])
					}
					var z apd.Decimal
					return &z, c.fn(ctx, &z, p) == nil
				}
				za, okA := call(a)
				b2 := make([]apd.Decimal, len(a))
				for j := range a {
					b2[j].Set(&a[j])
				}
				b2[i].Set(&b[i])
				zb, okB := call(b2)
				if !okA || !okB {
					t.Skip("an operand list the formula refuses")
				}
				if cx, cz := a[i].Cmp(&b2[i]), za.Cmp(zb); cz != 0 && cz != cx*dirs[i] {
					t.Fatalf("operand %d: %s gives %s, %s gives %s (direction %+d)", i, a[i].String(), za.String(), b2[i].String(), zb.String(), dirs[i])
				}
			})
		})
	}
}

// TestPropCapsMatchOracle: the caps, the impact notional and the clamps
// against the 50-digit oracle. CapBitMEX is 0.75*(imr - mmr) (two
// roundings), ChangeCapBitMEX 0.75*mmr and CapBinance factor*mmr (one),
// ImpactNotional margin/imr (one); Clamp is min(bound, max(-bound, rate))
// exactly, and ClampChange clamp(rate, prev - limit, prev + limit) exactly
// when the window's ends are exact (rates of up to 17 digits).
func TestPropCapsMatchOracle(t *testing.T) {
	ctx := derivmath.NewContext()
	o := dectest.Oracle()
	rapid.Check(t, func(t *rapid.T) {
		ok := oracle(t)
		var z, want, tmp apd.Decimal
		threeQuarters := dectest.D("0.75")

		mmr := positiveRate(t, "mmr", -2)
		imr := positiveRate(t, "imr", -1)
		if imr.Cmp(&mmr) < 0 {
			imr, mmr = mmr, imr
		}
		must(t, funding.CapBitMEX(ctx, &z, &imr, &mmr))
		ok(o.Sub(&tmp, &imr, &mmr))
		ok(o.Mul(&want, &tmp, threeQuarters))
		if !rel(&z, &want, 2) {
			t.Fatalf("CapBitMEX(%s, %s) = %s, oracle %s", imr.String(), mmr.String(), z.String(), want.String())
		}
		must(t, funding.ChangeCapBitMEX(ctx, &z, &mmr))
		ok(o.Mul(&want, &mmr, threeQuarters))
		if !rel(&z, &want, 1) {
			t.Fatalf("ChangeCapBitMEX(%s) = %s, oracle %s", mmr.String(), z.String(), want.String())
		}
		factor := positiveRate(t, "factor", 0)
		ok(o.Mul(&want, &factor, &mmr))
		if err := funding.CapBinance(ctx, &z, &factor, &mmr); err != nil {
			if !errors.Is(err, funding.ErrBound) || want.Cmp(dectest.D("0.99")) < 0 {
				t.Fatalf("CapBinance(%s, %s): %v, oracle %s", factor.String(), mmr.String(), err, want.String())
			}
		} else if !rel(&z, &want, 1) {
			t.Fatalf("CapBinance(%s, %s) = %s, oracle %s", factor.String(), mmr.String(), z.String(), want.String())
		}
		margin := price19(t, "margin")
		must(t, funding.ImpactNotional(ctx, &z, &margin, &imr))
		ok(o.Quo(&want, &margin, &imr))
		if !rel(&z, &want, 1) {
			t.Fatalf("ImpactNotional(%s, %s) = %s, oracle %s", margin.String(), imr.String(), z.String(), want.String())
		}

		clampTo := func(x, lo, hi *apd.Decimal) *apd.Decimal {
			switch {
			case x.Cmp(hi) > 0:
				return hi
			case x.Cmp(lo) < 0:
				return lo
			}
			return x
		}
		rate, bound := rate19(t, "rate", -2), positiveRate(t, "bound", -2)
		must(t, funding.Clamp(&z, &rate, &bound))
		if w := clampTo(&rate, new(apd.Decimal).Neg(&bound), &bound); z.Cmp(w) != 0 {
			t.Fatalf("Clamp(%s, %s) = %s, want %s", rate.String(), bound.String(), z.String(), w.String())
		}
		prev, limit := rate19(t, "prev", -2), positiveRate(t, "limit", -2)
		var lo, hi apd.Decimal
		ok(o.Sub(&lo, &prev, &limit))
		ok(o.Add(&hi, &prev, &limit))
		must(t, funding.ClampChange(ctx, &z, &rate, &prev, &limit))
		if lo.NumDigits() <= derivmath.Precision && hi.NumDigits() <= derivmath.Precision {
			if w := clampTo(&rate, &lo, &hi); z.Cmp(w) != 0 {
				t.Fatalf("ClampChange(%s, %s, %s) = %s, want %s", rate.String(), prev.String(), limit.String(), z.String(), w.String())
			}
		}
	})
}

// TestPropIdentities: identities of the kernels that no other property
// states. Interest is antisymmetric (swapping the two rates negates it:
// each rounding is symmetric about 0 in the default context); Annualised
// and PerInterval are odd in the rate; CapBitMEX is exact when imr -
// mmr has at most 17 digits, as documented, and so are ChangeCapBitMEX and
// CapBinance on short operands; ImpactNotional at an imr of 1, DeadBand at
// mark = index, Basis at 0 and (for a short rate, whose product with the
// interval is exact) at the whole interval, and FairPrice at 0 (for an
// index of up to 6 digits) give their operands back.
func TestPropIdentities(t *testing.T) {
	ctx := derivmath.NewContext()
	intervals := []time.Duration{time.Hour, 2 * time.Hour, 4 * time.Hour, 8 * time.Hour}
	rapid.Check(t, func(t *rapid.T) {
		ok := oracle(t)
		interval := rapid.SampledFrom(intervals).Draw(t, "interval")
		quote, base := rate19(t, "quote", -3), rate19(t, "base", -3)
		var z, w, neg apd.Decimal
		must(t, funding.Interest(ctx, &z, &quote, &base, interval))
		must(t, funding.Interest(ctx, &w, &base, &quote, interval))
		if neg.Neg(&w); z.Cmp(&neg) != 0 {
			t.Fatalf("Interest(%s, %s) = %s but Interest(%s, %s) = %s", quote.String(), base.String(), z.String(), base.String(), quote.String(), w.String())
		}
		// 19 digits, so that the products round.
		var rate apd.Decimal
		rate.SetFinite(rapid.Int64Range(1e18, 9e18).Draw(t, "rate"), -20)
		rate.Negative = rapid.Bool().Draw(t, "negative")
		minus := new(apd.Decimal).Neg(&rate)
		for _, f := range []struct {
			name string
			fn   func(z, r *apd.Decimal) error
		}{
			{"Annualised", func(z, r *apd.Decimal) error { return funding.Annualised(ctx, z, r, interval) }},
			{"PerInterval", func(z, r *apd.Decimal) error { return funding.PerInterval(ctx, z, r, interval) }},
		} {
			must(t, f.fn(&z, &rate))
			must(t, f.fn(&w, minus))
			if neg.Neg(&w); z.Cmp(&neg) != 0 {
				t.Fatalf("%s(%s) = %s but %s(%s) = %s", f.name, rate.String(), z.String(), f.name, minus.String(), w.String())
			}
		}
		var mmr, imr, diff apd.Decimal
		mmr.SetFinite(rapid.Int64Range(1, 1e16).Draw(t, "mmr"), -17)
		imr.SetFinite(mmr.Coeff.Int64()+rapid.Int64Range(0, 9e16-mmr.Coeff.Int64()).Draw(t, "imr-mmr"), -17)
		must(t, funding.CapBitMEX(ctx, &z, &imr, &mmr))
		ok(dectest.Oracle().Sub(&diff, &imr, &mmr))
		ok(dectest.Oracle().Mul(&w, &diff, dectest.D("0.75")))
		if z.Cmp(&w) != 0 {
			t.Fatalf("CapBitMEX(%s, %s) = %s, exactly %s", imr.String(), mmr.String(), z.String(), w.String())
		}
		// ChangeCapBitMEX and CapBinance are single products: exact on
		// operands this short.
		must(t, funding.ChangeCapBitMEX(ctx, &z, &mmr))
		ok(dectest.Oracle().Mul(&w, &mmr, dectest.D("0.75")))
		if z.Cmp(&w) != 0 {
			t.Fatalf("ChangeCapBitMEX(%s) = %s, exactly %s", mmr.String(), z.String(), w.String())
		}
		factor := apd.New(rapid.Int64Range(1, 9).Draw(t, "factor"), -1)
		must(t, funding.CapBinance(ctx, &z, factor, &mmr))
		ok(dectest.Oracle().Mul(&w, factor, &mmr))
		if z.Cmp(&w) != 0 {
			t.Fatalf("CapBinance(%s, %s) = %s, exactly %s", factor.String(), mmr.String(), z.String(), w.String())
		}
		// ImpactNotional at an imr of 1 is the margin; DeadBand of a mark
		// at the index is 0; Basis is 0 with no time left and the rate
		// over the whole interval, and FairPrice the index with no time
		// left.
		margin, index := price19(t, "margin"), price19(t, "index")
		must(t, funding.ImpactNotional(ctx, &z, &margin, apd.New(1, 0)))
		if z.Cmp(&margin) != 0 {
			t.Fatalf("ImpactNotional(%s, 1) = %s", margin.String(), z.String())
		}
		must(t, funding.DeadBand(ctx, &z, &index, &index, dectest.D("0.00025")))
		if !z.IsZero() {
			t.Fatalf("DeadBand(%s, %s) = %s, want 0", index.String(), index.String(), z.String())
		}
		// A rate of 5 digits: rate*interval in nanoseconds is then exact, and
		// so is Basis over the whole interval (the product is rounded first).
		f := apd.New(rapid.Int64Range(-99_999, 99_999).Draw(t, "funding rate"), -7)
		must(t, funding.Basis(ctx, &z, f, 0, interval))
		if !z.IsZero() {
			t.Fatalf("Basis(%s) with no time left = %s, want 0", f.String(), z.String())
		}
		must(t, funding.Basis(ctx, &z, f, interval, interval))
		if z.Cmp(f) != 0 {
			t.Fatalf("Basis(%s) over the whole interval = %s", f.String(), z.String())
		}
		// FairPrice rounds index*interval: exact for an index of up to 6
		// digits (an index of 19 digits may come back an ulp off, as the
		// roundings its godoc lists allow).
		short := apd.New(rapid.Int64Range(1, 999_999).Draw(t, "short index"), -rapid.Int32Range(0, 4).Draw(t, "index scale"))
		must(t, funding.FairPrice(ctx, &z, short, f, 0, interval))
		if z.Cmp(short) != 0 {
			t.Fatalf("FairPrice(%s, %s) with no time left = %s", short.String(), f.String(), z.String())
		}
	})
}

// TestPropMonotoneWindows: the orders of the formulas outside aliasCases.
// Average never falls as one sample rises (every weight is positive);
// Payment never falls as the rate rises for a long and never rises for a
// short (sign(Q)*value*F); Accrual, payment*dt/period, moves away from 0
// as dt grows, on the payment's side.
func TestPropMonotoneWindows(t *testing.T) {
	ctx := derivmath.NewContext()
	rapid.Check(t, func(t *rapid.T) {
		samples := drawWindow(t)
		w := rapid.SampledFrom([]funding.Weighting{funding.Equal, funding.TimeWeighted}).Draw(t, "w")
		var a1, a2 apd.Decimal
		must(t, funding.Average(ctx, &a1, samples, w))
		i := rapid.IntRange(0, len(samples)-1).Draw(t, "sample")
		old := new(apd.Decimal).Set(&samples[i])
		samples[i] = rate19(t, "other", -2)
		must(t, funding.Average(ctx, &a2, samples, w))
		if c, ca := old.Cmp(&samples[i]), a1.Cmp(&a2); ca != 0 && ca != c {
			t.Fatalf("%s: sample %d %s -> %s moves the average %s -> %s", w, i, old.String(), samples[i].String(), a1.String(), a2.String())
		}

		s := rapid.SampledFrom(specs).Draw(t, "spec")
		mark := price19(t, "mark")
		r1, r2 := rate19(t, "rate1", -3), rate19(t, "rate2", -3)
		var p contract.Position
		p.Qty = dectest.Qty().Draw(t, "qty")
		var pay1, pay2 apd.Decimal
		must(t, funding.Payment(ctx, &pay1, s, &p, &mark, &r1))
		must(t, funding.Payment(ctx, &pay2, s, &p, &mark, &r2))
		if c, cp := r1.Cmp(&r2), pay1.Cmp(&pay2); cp != 0 && cp != c*p.Qty.Sign() {
			t.Fatalf("qty %s: rate %s -> %s moves the payment %s -> %s", p.Qty.String(), r1.String(), r2.String(), pay1.String(), pay2.String())
		}

		period := 8 * time.Hour
		d1 := time.Duration(rapid.Int64Range(0, int64(3*period)).Draw(t, "dt1"))
		d2 := time.Duration(rapid.Int64Range(0, int64(3*period)).Draw(t, "dt2"))
		var acc1, acc2 apd.Decimal
		must(t, funding.Accrual(ctx, &acc1, s, &p, &mark, &r1, d1, period))
		must(t, funding.Accrual(ctx, &acc2, s, &p, &mark, &r1, d2, period))
		if dir := pay1.Sign(); dir != 0 {
			c := 0
			if d1 < d2 {
				c = -1
			} else if d1 > d2 {
				c = 1
			}
			if ca := acc1.Cmp(&acc2); ca != 0 && ca != c*dir {
				t.Fatalf("payment %s: dt %v -> %v moves the accrual %s -> %s", pay1.String(), d1, d2, acc1.String(), acc2.String())
			}
		}
	})
}
