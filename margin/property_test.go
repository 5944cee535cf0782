package margin_test

import (
	"errors"
	"math/big"
	"slices"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/derivmath/derivmath/margin"
	"pgregory.net/rapid"
)

// drawTiers draws a valid table from dectest.TierRows and builds it.
func drawTiers(t *rapid.T, maxLen int) ([]margin.Tier, *margin.Tiers) {
	gen := dectest.TierRows(maxLen).Draw(t, "rows")
	rows := make([]margin.Tier, len(gen))
	for i := range gen {
		rows[i].Floor.Set(&gen[i].Floor)
		rows[i].MMR.Set(&gen[i].MMR)
		rows[i].Cum.Set(&gen[i].Cum)
		rows[i].MaxLeverage.Set(&gen[i].MaxLeverage)
	}
	tiers, err := margin.NewTiers(rows, nil)
	if err != nil {
		t.Fatalf("a table built by the recurrence fails to validate: %v", err)
	}
	return rows, tiers
}

// notional draws a notional in [0, 1.2e10] with up to 2 decimal places,
// biased by rapid towards small values and tier floors' magnitudes.
func notional(t *rapid.T, label string) apd.Decimal {
	var x apd.Decimal
	x.SetFinite(rapid.Int64Range(0, 1_200_000_000_000).Draw(t, label), -2)
	return x
}

// oracleMM computes MM for x on the oracle, finding the tier by a linear
// scan (independently of Lookup's binary search).
func oracleMM(t *rapid.T, rows []margin.Tier, x *apd.Decimal) (apd.Decimal, int) {
	o := dectest.Oracle()
	i := 0
	for j := range rows {
		if rows[j].Floor.Cmp(x) <= 0 {
			i = j
		}
	}
	var mm apd.Decimal
	if _, err := o.Mul(&mm, x, &rows[i].MMR); err != nil {
		t.Fatal(err)
	}
	if _, err := o.Sub(&mm, &mm, &rows[i].Cum); err != nil {
		t.Fatal(err)
	}
	return mm, i
}

// TestTiersProperties: random tables built from the recurrence validate;
// lookup agrees with a linear scan and is monotone in notional; MM agrees
// with the oracle and never decreases; MM is continuous at every edge.
func TestTiersProperties(t *testing.T) {
	ctx := derivmath.NewContext()
	rapid.Check(t, func(t *rapid.T) {
		rows, tiers := drawTiers(t, 8)
		a, b := notional(t, "a"), notional(t, "b")
		if a.Cmp(&b) > 0 {
			var tmp apd.Decimal
			tmp.Set(&a)
			a.Set(&b)
			b.Set(&tmp)
		}
		ta, err := tiers.Lookup(&a)
		if err != nil {
			t.Fatal(err)
		}
		tb, err := tiers.Lookup(&b)
		if err != nil {
			t.Fatal(err)
		}
		if ta.Floor.Cmp(&tb.Floor) > 0 {
			t.Fatalf("Lookup not monotone: %s in tier at %s, %s in tier at %s", &a, &ta.Floor, &b, &tb.Floor)
		}
		var ma, mb apd.Decimal
		if err := tiers.Maintenance(ctx, &ma, &a); err != nil {
			t.Fatal(err)
		}
		if err := tiers.Maintenance(ctx, &mb, &b); err != nil {
			t.Fatal(err)
		}
		if ma.Cmp(&mb) > 0 {
			t.Fatalf("MM decreases: MM(%s) = %s > MM(%s) = %s", &a, &ma, &b, &mb)
		}
		if ma.Negative {
			t.Fatalf("MM(%s) = %s < 0", &a, &ma)
		}
		want, i := oracleMM(t, rows, &a)
		if ta != tiers.At(i) {
			t.Fatalf("Lookup(%s) is not tier %d", &a, i)
		}
		if ma.Cmp(&want) != 0 {
			t.Fatalf("MM(%s) = %s, oracle %s", &a, &ma, &want)
		}
		// Continuity: at each floor the previous tier's formula gives the
		// same MM as the tier's own.
		o := dectest.Oracle()
		for i := 1; i < len(rows); i++ {
			var prev, got apd.Decimal
			f := &rows[i].Floor
			if _, err := o.Mul(&prev, f, &rows[i-1].MMR); err != nil {
				t.Fatal(err)
			}
			if _, err := o.Sub(&prev, &prev, &rows[i-1].Cum); err != nil {
				t.Fatal(err)
			}
			if err := tiers.Maintenance(ctx, &got, f); err != nil {
				t.Fatal(err)
			}
			if got.Cmp(&prev) != 0 {
				t.Fatalf("MM jumps at floor %s: %s by tier %d, %s by tier %d", f, &got, i, &prev, i-1)
			}
		}
	})
}

// TestTamperedCum: changing any cum of a valid table by any amount makes
// NewTiers fail with ErrCum.
func TestTamperedCum(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rows, _ := drawTiers(t, 8)
		i := rapid.IntRange(0, len(rows)-1).Draw(t, "tier")
		var delta apd.Decimal
		delta.SetFinite(rapid.Int64Range(1, 1_000_000).Draw(t, "delta"), -rapid.Int32Range(0, 8).Draw(t, "scale"))
		if i > 0 && rapid.Bool().Draw(t, "down") {
			delta.Negative = true
		}
		if _, err := dectest.Oracle().Add(&rows[i].Cum, &rows[i].Cum, &delta); err != nil {
			t.Fatal(err)
		}
		if _, err := margin.NewTiers(rows, nil); !errors.Is(err, margin.ErrCum) {
			t.Fatalf("cum of tier %d off by %s: got %v, want ErrCum", i, &delta, err)
		}
	})
}

// drawSteps draws a valid Steps schedule.
func drawSteps(t *rapid.T) *margin.Steps {
	s := &margin.Steps{}
	s.BaseRiskLimit.SetFinite(rapid.Int64Range(0, 100_000).Draw(t, "base"), -1)
	s.Step.SetFinite(rapid.Int64Range(1, 50_000).Draw(t, "step"), -1)
	mm := rapid.Int64Range(1, 5_000).Draw(t, "mm")
	s.BaseMM.SetFinite(mm, -5)
	s.BaseIM.SetFinite(mm+rapid.Int64Range(0, 5_000).Draw(t, "im"), -5)
	return s
}

// TestStepsProperties: the step count equals the oracle's ceiling; MMR and
// IMR never decrease with value; IMR - MMR is BaseIM - BaseMM; MMR is
// BaseMM times a whole number.
func TestStepsProperties(t *testing.T) {
	ctx := derivmath.NewContext()
	o := dectest.Oracle()
	rapid.Check(t, func(t *rapid.T) {
		s := drawSteps(t)
		var a, b apd.Decimal
		a.SetFinite(rapid.Int64Range(0, 10_000_000).Draw(t, "a"), -2)
		b.SetFinite(rapid.Int64Range(0, 10_000_000).Draw(t, "b"), -2)
		if a.Cmp(&b) > 0 {
			var tmp apd.Decimal
			tmp.Set(&a)
			a.Set(&b)
			b.Set(&tmp)
		}
		var n, mmrA, imrA, mmrB, imrB apd.Decimal
		errB := s.MMR(ctx, &mmrB, &b)
		var te *margin.TierError
		if errB != nil && !errors.As(errB, &te) {
			t.Fatal(errB)
		}
		if err := s.Count(ctx, &n, &a); err != nil {
			if errors.As(err, &te) {
				if errB == nil {
					t.Fatalf("%s is beyond the schedule but the larger %s is not", &a, &b)
				}
				return
			}
			t.Fatal(err)
		}
		// Oracle: ceil((a - base)/step), at least 0.
		var want apd.Decimal
		if a.Cmp(&s.BaseRiskLimit) > 0 {
			if _, err := o.Sub(&want, &a, &s.BaseRiskLimit); err != nil {
				t.Fatal(err)
			}
			if _, err := o.Quo(&want, &want, &s.Step); err != nil {
				t.Fatal(err)
			}
			var q apd.Decimal // apd's Ceil must not alias: it reads x after writing d
			q.Set(&want)
			if _, err := o.Ceil(&want, &q); err != nil {
				t.Fatal(err)
			}
		}
		if n.Cmp(&want) != 0 {
			t.Fatalf("Count(%s) = %s, oracle %s", &a, &n, &want)
		}
		if err := s.MMR(ctx, &mmrA, &a); err != nil {
			t.Fatal(err)
		}
		if err := s.IMR(ctx, &imrA, &a); err != nil {
			t.Fatal(err)
		}
		var diff, base apd.Decimal
		if _, err := o.Sub(&diff, &imrA, &mmrA); err != nil {
			t.Fatal(err)
		}
		if _, err := o.Sub(&base, &s.BaseIM, &s.BaseMM); err != nil {
			t.Fatal(err)
		}
		if diff.Cmp(&base) != 0 {
			t.Fatalf("IMR - MMR = %s at %s, want %s", &diff, &a, &base)
		}
		var k apd.Decimal
		if _, err := o.Add(&k, &n, dectest.D("1")); err != nil {
			t.Fatal(err)
		}
		if _, err := o.Mul(&k, &k, &s.BaseMM); err != nil {
			t.Fatal(err)
		}
		if k.Cmp(&mmrA) != 0 {
			t.Fatalf("MMR(%s) = %s, want BaseMM*(1+%s) = %s", &a, &mmrA, &n, &k)
		}
		if errB != nil {
			return
		}
		if err := s.IMR(ctx, &imrB, &b); err != nil {
			t.Fatal(err)
		}
		if mmrA.Cmp(&mmrB) > 0 || imrA.Cmp(&imrB) > 0 {
			t.Fatalf("rates decrease from %s (%s, %s) to %s (%s, %s)", &a, &mmrA, &imrA, &b, &mmrB, &imrB)
		}
	})
}

// drawBitMEX draws a valid BitMEX position with amounts up to 10^12 XBt
// and rates as BitMEX sends them (up to 16 digits).
func drawBitMEX(t *rapid.T) *margin.BitMEXPosition {
	p := &margin.BitMEXPosition{}
	p.Cost.SetInt64(rapid.Int64Range(-1_000_000_000_000, 1_000_000_000_000).Draw(t, "cost"))
	p.Cross.SetInt64(rapid.Int64Range(0, 1_000_000).Draw(t, "cross"))
	p.Loss.SetInt64(rapid.Int64Range(0, 1_000_000).Draw(t, "loss"))
	p.InitMarginReq.SetFinite(rapid.Int64Range(1, 10_000_000_000_000_000).Draw(t, "imr"), -16)
	p.MaintMarginReq.SetFinite(rapid.Int64Range(0, 10_000).Draw(t, "mmr"), -5)
	if p.MaintMarginReq.Cmp(&p.InitMarginReq) > 0 {
		p.MaintMarginReq.Set(&p.InitMarginReq)
	}
	p.Commission.SetFinite(rapid.Int64Range(0, 1_000).Draw(t, "comm"), -6)
	p.FundingReserve.SetFinite(rapid.Int64Range(0, 100_000).Draw(t, "fund"), -rapid.Int32Range(0, 3).Draw(t, "fscale"))
	return p
}

// bitmexOracle returns p's fields posInit, posComm, posMaint and posMargin
// computed by their formulas on the oracle, each product's ceiling exact,
// then the sums Margin computes them from: posInit + posComm + posCross,
// |posCost| + posInit + posCross, posMaint less the funding reserve and
// |posCost| + posInit.
func bitmexOracle(t *rapid.T, p *margin.BitMEXPosition) [8]apd.Decimal {
	o := dectest.Oracle()
	var f [8]apd.Decimal
	var cost, base, fund apd.Decimal
	cost.Abs(&p.Cost)
	oracleCeil(t, &f[0], &cost, &p.InitMarginReq)
	_, err1 := o.Add(&base, &cost, &f[0])
	f[7].Set(&base)
	_, err2 := o.Add(&base, &base, &p.Cross)
	oracleCeil(t, &f[1], &base, &p.Commission)
	_, err3 := o.Ceil(&fund, &p.FundingReserve)
	oracleCeil(t, &f[2], &cost, &p.MaintMarginReq)
	_, err4 := o.Add(&f[2], &f[2], &f[1])
	_, err5 := o.Add(&f[2], &f[2], &fund)
	_, err6 := o.Add(&f[3], &f[0], &f[1])
	_, err7 := o.Add(&f[3], &f[3], &p.Cross)
	f[4].Set(&f[3])
	_, err8 := o.Sub(&f[3], &f[3], &p.Loss)
	f[5].Set(&base)
	_, err9 := o.Sub(&f[6], &f[2], &fund)
	if err := errors.Join(err1, err2, err3, err4, err5, err6, err7, err8, err9); err != nil {
		t.Fatal(err)
	}
	return f
}

// oracleCeil sets z = ceil(x*y) on the oracle.
func oracleCeil(t *rapid.T, z, x, y *apd.Decimal) {
	o := dectest.Oracle()
	var p apd.Decimal // apd's Ceil must not alias: it reads x after writing d
	if _, err := o.Mul(&p, x, y); err != nil {
		t.Fatal(err)
	}
	if _, err := o.Ceil(z, &p); err != nil {
		t.Fatal(err)
	}
}

// TestBitMEXProperties: posMargin = posInit + posComm + posCross - posLoss;
// every field is a whole number of minor units, at least its exact
// real-number formula and less than one unit above it: exactly the
// oracle's ceiling. In the default context, or half the time in any
// (dectest.AnyContext): there Margin may fail only with ErrRange, when a
// field or a sum it is computed from has more digits than the precision,
// or with the Inexact the context traps.
func TestBitMEXProperties(t *testing.T) {
	o := dectest.Oracle()
	rapid.Check(t, func(t *rapid.T) {
		ctx := derivmath.NewContext()
		if rapid.Bool().Draw(t, "anyContext") {
			ctx = dectest.AnyContext(t)
		}
		p := drawBitMEX(t)
		var z margin.BitMEX
		if err := p.Margin(ctx, &z); err != nil {
			if ctx.Precision >= derivmath.Precision && ctx.Traps&apd.Inexact == 0 {
				t.Fatal(err)
			}
			if !errors.Is(err, derivmath.ErrRange) && !trapped(err, ctx) {
				t.Fatalf("Margin in %d digits (%s, traps %v): undocumented error %v", ctx.Precision, ctx.Rounding, ctx.Traps, err)
			}
			if errors.Is(err, derivmath.ErrRange) {
				// Every field exact whenever it fits: ErrRange only when
				// one does not, or (as Margin's godoc says) when a sum one
				// is computed from does not: posComm's base |posCost| +
				// posInit + posCross and its partial sum, posMaint's and
				// posMargin's partial sums. At 1 digit, posCost 9,
				// posCross 1 and initMarginReq 1e-16 give the fields 1,
				// 0, 0 and 2, and ErrRange for the base 11.
				fits := true
				for _, f := range bitmexOracle(t, p) {
					// A whole number of minor units fits when its digits
					// do (100000 needs 6, as Margin writes it).
					fits = fits && len(strings.TrimPrefix(f.Text('f'), "-")) <= int(ctx.Precision)
				}
				if fits {
					t.Fatalf("Margin in %d digits (%s): %v, but every field fits: %v", ctx.Precision, ctx.Rounding, err, bitmexOracle(t, p))
				}
			}
			return
		}
		for i, f := range []*apd.Decimal{&z.Init, &z.Comm, &z.Maint, &z.Margin} {
			var n, frac apd.Decimal
			f.Modf(&n, &frac)
			// posMargin is negative when posLoss exceeds the rest: a
			// position past bankruptcy. The others never are.
			if !frac.IsZero() || f.Negative && i < 3 {
				t.Fatalf("field %d = %s is not a whole number of minor units, or negative", i, f)
			}
		}
		var sum apd.Decimal
		for _, step := range []func() (apd.Condition, error){
			func() (apd.Condition, error) { return o.Add(&sum, &z.Init, &z.Comm) },
			func() (apd.Condition, error) { return o.Add(&sum, &sum, &p.Cross) },
			func() (apd.Condition, error) { return o.Sub(&sum, &sum, &p.Loss) },
		} {
			if _, err := step(); err != nil {
				t.Fatal(err)
			}
		}
		if sum.Cmp(&z.Margin) != 0 {
			t.Fatalf("posMargin %s != posInit + posComm + posCross - posLoss = %s", &z.Margin, &sum)
		}
		var cost, want, base apd.Decimal
		cost.Abs(&p.Cost)
		oracleCeil(t, &want, &cost, &p.InitMarginReq)
		if want.Cmp(&z.Init) != 0 {
			t.Fatalf("posInit %s, oracle ceiling %s", &z.Init, &want)
		}
		if _, err := o.Add(&base, &cost, &z.Init); err != nil {
			t.Fatal(err)
		}
		if _, err := o.Add(&base, &base, &p.Cross); err != nil {
			t.Fatal(err)
		}
		oracleCeil(t, &want, &base, &p.Commission)
		if want.Cmp(&z.Comm) != 0 {
			t.Fatalf("posComm %s, oracle ceiling %s", &z.Comm, &want)
		}
		var fund apd.Decimal
		if _, err := o.Ceil(&fund, &p.FundingReserve); err != nil {
			t.Fatal(err)
		}
		oracleCeil(t, &want, &cost, &p.MaintMarginReq)
		if _, err := o.Add(&want, &want, &z.Comm); err != nil {
			t.Fatal(err)
		}
		if _, err := o.Add(&want, &want, &fund); err != nil {
			t.Fatal(err)
		}
		if want.Cmp(&z.Maint) != 0 {
			t.Fatalf("posMaint %s, oracle %s", &z.Maint, &want)
		}
	})
}

// drawSpec draws one of the contract presets.
func drawSpec(t *rapid.T) *contract.Spec {
	return rapid.SampledFrom([]func() *contract.Spec{
		contract.XBTUSD, contract.ETHUSD, contract.XBTUSDT, contract.BTCUSDT, contract.BTCUSDPerp,
	}).Draw(t, "spec")()
}

// lotQty draws a nonzero signed quantity that is a whole number of s's
// lots.
func lotQty(t *rapid.T, s *contract.Spec, label string) apd.Decimal {
	var q apd.Decimal
	n := rapid.Int64Range(1, 100_000).Draw(t, label)
	q.SetInt64(n)
	if _, err := dectest.Oracle().Mul(&q, &q, &s.Lot); err != nil {
		t.Fatal(err)
	}
	if rapid.Bool().Draw(t, label+"Short") {
		q.Negative = true
	}
	return q
}

func leverage(t *rapid.T) apd.Decimal {
	var l apd.Decimal
	l.SetFinite(rapid.Int64Range(100, 12_500).Draw(t, "lev"), -2)
	return l
}

// TestOracle: the computations agree with the same formulas on the
// 50-digit oracle, within the rounding their documentation states.
func TestOracle(t *testing.T) {
	ctx := derivmath.NewContext()
	o := dectest.Oracle()
	one := dectest.D("1")
	rapid.Check(t, func(t *rapid.T) {
		s := drawSpec(t)
		qty := lotQty(t, s, "qty")
		entry := dectest.Price().Draw(t, "entry")
		lev := leverage(t)
		taker := dectest.Rate(1_000).Draw(t, "taker")
		taker.Negative = false
		mmr := dectest.Rate(100_000).Draw(t, "mmr")
		mmr.Negative = false

		// The oracle's value: N*m*P or N*m/P.
		var n, v apd.Decimal
		n.Abs(&qty)
		if _, err := o.Mul(&v, &n, &s.Multiplier); err != nil {
			t.Fatal(err)
		}
		var err error
		if s.Kind == contract.Inverse {
			_, err = o.Quo(&v, &v, &entry)
		} else {
			_, err = o.Mul(&v, &v, &entry)
		}
		if err != nil {
			t.Fatal(err)
		}
		var value apd.Decimal
		if err := s.Value(ctx, &value, &qty, &entry); err != nil {
			t.Fatal(err)
		}

		// Initial: value/lev, one rounding of the library's value.
		var got, want apd.Decimal
		if err := margin.Initial(ctx, &got, &value, &lev); err != nil {
			t.Fatal(err)
		}
		if _, err := o.Quo(&want, &v, &lev); err != nil {
			t.Fatal(err)
		}
		// Each rounding to 19 digits is within 5e-19 of the value, relative:
		// the value, and for a 19-digit value 1/lev and the product.
		if !dectest.Rel(&got, &want, "1.5e-18") {
			t.Fatalf("Initial = %s, oracle %s", &got, &want)
		}

		// Maintenance with cum 0: value*mmr.
		if err := margin.Maintenance(ctx, &got, &value, &mmr, dectest.D("0")); err != nil {
			t.Fatal(err)
		}
		if _, err := o.Mul(&want, &v, &mmr); err != nil {
			t.Fatal(err)
		}
		if !dectest.Rel(&got, &want, "1e-18") {
			t.Fatalf("Maintenance = %s, oracle %s", &got, &want)
		}

		// FeeToClose: taker*v*(1 -+ 1/lev), by the side and kind.
		if err := margin.FeeToClose(ctx, &got, s, &qty, &entry, &lev, &taker); err != nil {
			t.Fatal(err)
		}
		var k apd.Decimal
		if _, err := o.Quo(&k, one, &lev); err != nil {
			t.Fatal(err)
		}
		if qty.Negative == (s.Kind == contract.Inverse) {
			_, err = o.Sub(&k, one, &k)
		} else {
			_, err = o.Add(&k, one, &k)
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, err := o.Mul(&want, &v, &k); err != nil {
			t.Fatal(err)
		}
		if _, err := o.Mul(&want, &want, &taker); err != nil {
			t.Fatal(err)
		}
		if !dectest.Rel(&got, &want, "2.5e-18") {
			t.Fatalf("FeeToClose = %s, oracle %s", &got, &want)
		}

		// SizeLinear: exact in the default context for these sizes.
		dl := margin.DeribitBTC()
		var size apd.Decimal
		size.SetFinite(rapid.Int64Range(-19_600_000, 19_600_000).Draw(t, "size"), -3)
		if err := dl.MMR(ctx, &got, &size); err != nil {
			t.Fatal(err)
		}
		n.Abs(&size)
		if _, err := o.Mul(&want, &n, dectest.D("0.00005")); err != nil {
			t.Fatal(err)
		}
		if _, err := o.Add(&want, &want, dectest.D("0.01")); err != nil {
			t.Fatal(err)
		}
		if got.Cmp(&want) != 0 {
			t.Fatalf("SizeLinear.MMR(%s) = %s, oracle %s", &size, &got, &want)
		}
	})
}

// TestMaxQtyProperties: MaxQty's answer N is a whole number of lots, passes
// its defining test, N + lot fails it, and it lies within a lot of the
// oracle's real-number answer.
func TestMaxQtyProperties(t *testing.T) {
	ctx := derivmath.NewContext()
	o := dectest.Oracle()
	tiers := margin.BTCUSDT()
	rapid.Check(t, func(t *rapid.T) {
		s := drawSpec(t)
		balance := dectest.Positive(10_000_000_000, 8).Draw(t, "balance")
		price := dectest.Price().Draw(t, "price")
		lev := leverage(t)
		var taker apd.Decimal
		taker.SetFinite(rapid.Int64Range(0, 1_000).Draw(t, "taker"), -6)
		useTiers := rapid.Bool().Draw(t, "tiers")
		var n apd.Decimal
		var err error
		if useTiers {
			err = tiers.MaxQty(ctx, &n, s, &balance, &price, &lev, &taker)
		} else {
			err = margin.MaxQty(ctx, &n, s, &balance, &price, &lev, &taker)
		}
		if errors.Is(err, derivmath.ErrRange) {
			t.Skip("more lots than the precision holds")
		}
		if err != nil {
			t.Fatal(err)
		}
		var lots apd.Decimal
		if _, err := o.Quo(&lots, &n, &s.Lot); err != nil {
			t.Fatal(err)
		}
		if _, frac := modf(&lots); !frac.IsZero() || n.Negative {
			t.Fatalf("MaxQty = %s is not a whole number of lots of %s", &n, &s.Lot)
		}
		var budget, k apd.Decimal
		if _, err := ctx.Mul(&budget, &balance, &lev); err != nil {
			t.Fatal(err)
		}
		if _, err := ctx.Mul(&k, &lev, &taker); err != nil {
			t.Fatal(err)
		}
		if _, err := ctx.Add(&k, &k, dectest.D("1")); err != nil {
			t.Fatal(err)
		}
		// check is the documented test, in the default context.
		check := func(q *apd.Decimal) (byBalance bool, v apd.Decimal) {
			if q.IsZero() {
				return true, v
			}
			if err := s.Value(ctx, &v, q, &price); err != nil {
				t.Fatal(err)
			}
			var c apd.Decimal
			if _, err := ctx.Mul(&c, &v, &k); err != nil {
				t.Fatal(err)
			}
			return c.Cmp(&budget) <= 0, v
		}
		ok, v := check(&n)
		if !ok {
			t.Fatalf("MaxQty = %s fails the balance test", &n)
		}
		if useTiers && !n.IsZero() {
			if err := tiers.CheckLeverage(&v, &lev); err != nil {
				t.Fatalf("MaxQty = %s has notional %s, where leverage %s fails: %v", &n, &v, &lev, err)
			}
		}
		var next apd.Decimal
		if _, err := ctx.Add(&next, &n, &s.Lot); err != nil {
			t.Fatal(err)
		}
		okNext, vNext := check(&next)
		tierNext := !useTiers || tiers.CheckLeverage(&vNext, &lev) == nil
		if okNext && tierNext {
			t.Fatalf("MaxQty = %s, but %s passes too", &n, &next)
		}
	})
}

// maxQtyOracle is MaxQty's definition searched by bisection on the
// number of lots, exactly: the largest L whose quantity L*Lot passes the
// documented test in ctx, v(N)*(1 + leverage*taker) <= balance*leverage,
// each side rounded as MaxQty rounds it.
func maxQtyOracle(t *rapid.T, ctx *apd.Context, s *contract.Spec, balance, price, lev, taker *apd.Decimal) *big.Int {
	var budget, k apd.Decimal
	_, err1 := ctx.Mul(&budget, balance, lev)
	_, err2 := ctx.Mul(&k, lev, taker)
	_, err3 := ctx.Add(&k, &k, apd.New(1, 0))
	if err := errors.Join(err1, err2, err3); err != nil {
		t.Fatal(err)
	}
	pass := func(lots *big.Int) bool {
		if lots.Sign() == 0 {
			return true
		}
		var l, n, v, c apd.Decimal
		l.Coeff.SetMathBigInt(lots)
		if _, err := apd.BaseContext.Mul(&n, &l, &s.Lot); err != nil { // exact
			t.Fatal(err)
		}
		if err := s.Value(ctx, &v, &n, price); err != nil {
			t.Fatal(err)
		}
		if _, err := ctx.Mul(&c, &v, &k); err != nil {
			t.Fatal(err)
		}
		return c.Cmp(&budget) <= 0
	}
	lo, hi := big.NewInt(0), big.NewInt(1)
	for pass(hi) {
		lo.Set(hi)
		hi.Lsh(hi, 1)
	}
	for new(big.Int).Sub(hi, lo).Cmp(big.NewInt(1)) > 0 {
		mid := new(big.Int).Add(lo, hi)
		if mid.Rsh(mid, 1); pass(mid) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}

// TestMaxQtyNearPrecision: near 10^p lots (p the context's precision) one
// unit in the last place of the values MaxQty compares spans several lots,
// and its estimate may be as many lots off. MaxQty still returns the
// largest passing quantity (the oracle's), and ErrRange only when that is
// 10^p lots or more or needs more than p digits. Stepping four lots from
// the estimate returned a quantity some lots short of the answer with no
// error, or ErrRange for an answer of fewer than 10^p lots.
func TestMaxQtyNearPrecision(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		prec := rapid.SampledFrom([]uint32{3, 5, 10, 19, 25}).Draw(t, "prec")
		ctx := apd.BaseContext.WithPrecision(prec)
		ctx.Rounding = rapid.SampledFrom([]apd.Rounder{
			apd.RoundHalfEven, apd.RoundHalfUp, apd.RoundCeiling, apd.RoundFloor, apd.RoundDown, apd.RoundUp,
		}).Draw(t, "rounding")
		s := drawSpec(t)
		if rapid.IntRange(0, 3).Draw(t, "oddLot") == 0 {
			s.Lot.SetFinite(rapid.Int64Range(2, 999).Draw(t, "lotCoeff"), rapid.Int32Range(-3, 2).Draw(t, "lotExp"))
		}
		var price, lev, taker apd.Decimal
		price.SetFinite(rapid.Int64Range(1, 1_000_000_000).Draw(t, "price"), -rapid.Int32Range(0, 4).Draw(t, "priceScale"))
		lev.SetFinite(rapid.Int64Range(100, 12_500).Draw(t, "lev"), -2)
		taker.SetFinite(rapid.Int64Range(0, 1_000).Draw(t, "taker"), -6)
		// A balance that opens about 10^p lots: (1 + f)*10^p lots of value
		// v(1)*k each, over the leverage, cut to some digits.
		o := dectest.Oracle()
		var lots, f, v1, k, balance apd.Decimal
		f.SetFinite(rapid.Int64Range(-100_000, 100_000).Draw(t, "f"), -int32(prec)-rapid.Int32Range(-2, 3).Draw(t, "fScale"))
		lots.SetFinite(1, int32(prec))
		_, err1 := o.Add(&f, &f, apd.New(1, 0))
		_, err2 := o.Mul(&lots, &lots, &f)
		err3 := s.Value(o, &v1, apd.New(1, 0), &price)
		_, err4 := o.Mul(&k, &lev, &taker)
		_, err5 := o.Add(&k, &k, apd.New(1, 0))
		_, err6 := o.Mul(&balance, &lots, &s.Lot)
		_, err7 := o.Mul(&balance, &balance, &v1)
		_, err8 := o.Mul(&balance, &balance, &k)
		_, err9 := o.Quo(&balance, &balance, &lev)
		cut := apd.BaseContext.WithPrecision(uint32(rapid.IntRange(int(prec), 30).Draw(t, "balanceDigits")))
		cut.Rounding = apd.RoundDown
		_, err10 := cut.Round(&balance, &balance)
		if err := errors.Join(err1, err2, err3, err4, err5, err6, err7, err8, err9, err10); err != nil {
			t.Fatal(err)
		}
		if balance.IsZero() {
			balance.Negative = false
		}

		var n apd.Decimal
		err := margin.MaxQty(ctx, &n, s, &balance, &price, &lev, &taker)
		answer := maxQtyOracle(t, ctx, s, &balance, &price, &lev, &taker)
		var l, want, reduced apd.Decimal
		l.Coeff.SetMathBigInt(answer)
		if _, err := apd.BaseContext.Mul(&want, &l, &s.Lot); err != nil {
			t.Fatal(err)
		}
		reduced.Reduce(&want)
		if len(answer.String()) > int(prec) || reduced.NumDigits() > int64(prec) {
			if !errors.Is(err, derivmath.ErrRange) {
				t.Fatalf("MaxQty = %s, %v; the answer %s (%s lots) needs ErrRange", &n, err, &want, answer)
			}
			return
		}
		if err != nil {
			t.Fatalf("MaxQty: %v; the answer is %s (%s lots)", err, &want, answer)
		}
		if n.Cmp(&want) != 0 {
			t.Fatalf("MaxQty = %s, the answer is %s (%s lots)", &n, &want, answer)
		}
	})
}

func modf(x *apd.Decimal) (i, f apd.Decimal) {
	x.Modf(&i, &f)
	return i, f
}

// TestAliasing: every z-first function gives the same result when z is any
// of its operands as with a fresh z.
func TestAliasing(t *testing.T) {
	ctx := derivmath.NewContext()
	tiers := margin.BTCUSDT()
	st := steps2021()
	dl := margin.DeribitBTC()
	lin := linearSpec(t)
	xbt := contract.XBTUSD()
	pos := dectest.Positive(1_000_000_000, 4)
	price := dectest.Price()
	rate := rapid.Custom(func(t *rapid.T) apd.Decimal {
		var r apd.Decimal
		r.SetFinite(rapid.Int64Range(0, 99_999).Draw(t, "rate"), -5)
		return r
	})
	signed := dectest.Decimal(1_000_000, 3)
	lev := rapid.Custom(leverage)
	lots := rapid.Custom(func(t *rapid.T) apd.Decimal {
		var q apd.Decimal
		q.SetFinite(rapid.Int64Range(-1_000_000, 1_000_000).Draw(t, "lots")*100, 0)
		return q
	})

	type fn func(z *apd.Decimal, x []*apd.Decimal) error
	cases := []struct {
		name string
		gens []*rapid.Generator[apd.Decimal]
		fn   fn
	}{
		{"Initial", []*rapid.Generator[apd.Decimal]{pos, lev}, func(z *apd.Decimal, x []*apd.Decimal) error {
			return margin.Initial(ctx, z, x[0], x[1])
		}},
		{"IMR", []*rapid.Generator[apd.Decimal]{lev}, func(z *apd.Decimal, x []*apd.Decimal) error {
			return margin.IMR(ctx, z, x[0])
		}},
		{"Maintenance", []*rapid.Generator[apd.Decimal]{pos, rate, pos}, func(z *apd.Decimal, x []*apd.Decimal) error {
			return margin.Maintenance(ctx, z, x[0], x[1], x[2])
		}},
		{"Cum", []*rapid.Generator[apd.Decimal]{pos, pos, rate, rate}, func(z *apd.Decimal, x []*apd.Decimal) error {
			return margin.Cum(ctx, z, x[0], x[1], x[2], x[3])
		}},
		{"Tiers.Maintenance", []*rapid.Generator[apd.Decimal]{pos}, func(z *apd.Decimal, x []*apd.Decimal) error {
			return tiers.Maintenance(ctx, z, x[0])
		}},
		{"Steps.Count", []*rapid.Generator[apd.Decimal]{pos}, func(z *apd.Decimal, x []*apd.Decimal) error {
			return st.Count(ctx, z, x[0])
		}},
		{"Steps.MMR", []*rapid.Generator[apd.Decimal]{pos}, func(z *apd.Decimal, x []*apd.Decimal) error {
			return st.MMR(ctx, z, x[0])
		}},
		{"Steps.IMR", []*rapid.Generator[apd.Decimal]{pos}, func(z *apd.Decimal, x []*apd.Decimal) error {
			return st.IMR(ctx, z, x[0])
		}},
		{"Steps.Initial", []*rapid.Generator[apd.Decimal]{pos}, func(z *apd.Decimal, x []*apd.Decimal) error {
			return st.Initial(ctx, z, x[0])
		}},
		{"Steps.Maintenance", []*rapid.Generator[apd.Decimal]{pos}, func(z *apd.Decimal, x []*apd.Decimal) error {
			return st.Maintenance(ctx, z, x[0])
		}},
		{"SizeLinear.IMR", []*rapid.Generator[apd.Decimal]{signed}, func(z *apd.Decimal, x []*apd.Decimal) error {
			return dl.IMR(ctx, z, x[0])
		}},
		{"SizeLinear.MMR", []*rapid.Generator[apd.Decimal]{signed}, func(z *apd.Decimal, x []*apd.Decimal) error {
			return dl.MMR(ctx, z, x[0])
		}},
		{"SizeLinear.Initial", []*rapid.Generator[apd.Decimal]{signed, pos}, func(z *apd.Decimal, x []*apd.Decimal) error {
			return dl.Initial(ctx, z, x[0], x[1])
		}},
		{"SizeLinear.Maintenance", []*rapid.Generator[apd.Decimal]{signed, pos}, func(z *apd.Decimal, x []*apd.Decimal) error {
			return dl.Maintenance(ctx, z, x[0], x[1])
		}},
		{"FeeToClose", []*rapid.Generator[apd.Decimal]{lots, price, lev, rate}, func(z *apd.Decimal, x []*apd.Decimal) error {
			return margin.FeeToClose(ctx, z, xbt, x[0], x[1], x[2], x[3])
		}},
		{"FundingReserve", []*rapid.Generator[apd.Decimal]{signed, pos, dectest.Rate(1_000)}, func(z *apd.Decimal, x []*apd.Decimal) error {
			return margin.FundingReserve(ctx, z, x[0], x[1], x[2])
		}},
		{"Position", []*rapid.Generator[apd.Decimal]{pos, lev, pos}, func(z *apd.Decimal, x []*apd.Decimal) error {
			return margin.Position(ctx, z, x[0], x[1], x[2])
		}},
		{"Ratio", []*rapid.Generator[apd.Decimal]{pos, pos}, func(z *apd.Decimal, x []*apd.Decimal) error {
			return margin.Ratio(ctx, z, x[0], x[1])
		}},
		{"Available", []*rapid.Generator[apd.Decimal]{signed, signed, pos}, func(z *apd.Decimal, x []*apd.Decimal) error {
			return margin.Available(ctx, z, x[0], x[1], x[2])
		}},
		{"Order", []*rapid.Generator[apd.Decimal]{lots, lots, price, price, lev}, func(z *apd.Decimal, x []*apd.Decimal) error {
			return margin.Order(ctx, z, xbt, x[0], x[1], x[2], x[3], x[4])
		}},
		{"MaxQty", []*rapid.Generator[apd.Decimal]{pos, price, lev, rate}, func(z *apd.Decimal, x []*apd.Decimal) error {
			return margin.MaxQty(ctx, z, lin, x[0], x[1], x[2], x[3])
		}},
		{"Tiers.MaxQty", []*rapid.Generator[apd.Decimal]{pos, price, lev, rate}, func(z *apd.Decimal, x []*apd.Decimal) error {
			return tiers.MaxQty(ctx, z, lin, x[0], x[1], x[2], x[3])
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				ops := make([]apd.Decimal, len(c.gens))
				for i, g := range c.gens {
					ops[i] = g.Draw(t, "op")
				}
				ptrs := func(vals []apd.Decimal) []*apd.Decimal {
					p := make([]*apd.Decimal, len(vals))
					for i := range vals {
						p[i] = &vals[i]
					}
					return p
				}
				var fresh apd.Decimal
				fresh.SetFinite(-424242, -2)
				wantErr := c.fn(&fresh, ptrs(ops))
				for i := range ops {
					vals := make([]apd.Decimal, len(ops))
					for j := range ops {
						vals[j].Set(&ops[j])
					}
					p := ptrs(vals)
					err := c.fn(p[i], p)
					if (err == nil) != (wantErr == nil) {
						t.Fatalf("operand %d as z: error %v, with a fresh z %v", i, err, wantErr)
					}
					if err == nil && p[i].Cmp(&fresh) != 0 {
						t.Fatalf("operand %d as z: %s, with a fresh z %s", i, p[i], &fresh)
					}
				}
			})
		})
	}
}

// orc computes op at 50 digits (dectest.Oracle), failing t on an error.
func orc(t *rapid.T, op func(z, x, y *apd.Decimal) (apd.Condition, error), x, y *apd.Decimal) *apd.Decimal {
	t.Helper()
	var z apd.Decimal
	if _, err := op(&z, x, y); err != nil {
		t.Fatalf("oracle: %v", err)
	}
	return &z
}

// call returns what f writes, failing t on an error.
func call(t *rapid.T, what string, f func(z *apd.Decimal) error) *apd.Decimal {
	t.Helper()
	var z apd.Decimal
	if err := f(&z); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return &z
}

// near fails t unless got is within one unit in the 19th digit of want:
// one rounding to ctx's precision.
func near(t *rapid.T, what string, got, want *apd.Decimal) {
	t.Helper()
	if !dectest.ULPs(got, want, derivmath.Precision, 1) {
		t.Fatalf("%s = %s, oracle %s", what, got, want)
	}
}

// TestOracleIMR: IMR is 1/leverage rounded once, and never rises with
// leverage.
func TestOracleIMR(t *testing.T) {
	ctx := derivmath.NewContext()
	o := dectest.Oracle()
	rapid.Check(t, func(t *rapid.T) {
		l1, l2 := leverage(t), dectest.Leverage(1, 1000).Draw(t, "lev2")
		if l1.Cmp(&l2) > 0 {
			l1, l2 = l2, l1
		}
		r1 := call(t, "IMR", func(z *apd.Decimal) error { return margin.IMR(ctx, z, &l1) })
		near(t, "IMR("+l1.String()+")", r1, orc(t, o.Quo, dectest.D("1"), &l1))
		if r2 := call(t, "IMR", func(z *apd.Decimal) error { return margin.IMR(ctx, z, &l2) }); r2.Cmp(r1) > 0 {
			t.Fatalf("leverage %s < %s but IMR %s < %s", &l1, &l2, r1, r2)
		}
	})
}

// TestOracleCum: Cum is prevCum + floor*(mmr - prevMMR), exact for
// exchange-sized operands; it makes the maintenance margin continuous at
// the floor (Maintenance at the floor is the same on both tiers); and it
// never falls as the floor or prevCum rises.
func TestOracleCum(t *testing.T) {
	ctx := derivmath.NewContext()
	o := dectest.Oracle()
	rapid.Check(t, func(t *rapid.T) {
		var prevCum, floor, prevMMR, mmr apd.Decimal
		prevCum.SetFinite(rapid.Int64Range(0, 1e12).Draw(t, "prevCum"), -2)
		floor.SetFinite(rapid.Int64Range(0, 1e12).Draw(t, "floor"), -2)
		pm := rapid.Int64Range(0, 50_000).Draw(t, "prevMMR")
		prevMMR.SetFinite(pm, -5)
		mmr.SetFinite(pm+rapid.Int64Range(0, 49_999).Draw(t, "step"), -5) // mmr < 1
		cum := func(pc, f *apd.Decimal) *apd.Decimal {
			return call(t, "Cum", func(z *apd.Decimal) error { return margin.Cum(ctx, z, pc, f, &mmr, &prevMMR) })
		}
		z := cum(&prevCum, &floor)
		if want := orc(t, o.Add, &prevCum, orc(t, o.Mul, &floor, orc(t, o.Sub, &mmr, &prevMMR))); z.Cmp(want) != 0 {
			t.Fatalf("Cum(%s, %s, %s, %s) = %s, oracle %s", &prevCum, &floor, &mmr, &prevMMR, z, want)
		}
		below := call(t, "Maintenance", func(m *apd.Decimal) error { return margin.Maintenance(ctx, m, &floor, &prevMMR, &prevCum) })
		above := call(t, "Maintenance", func(m *apd.Decimal) error { return margin.Maintenance(ctx, m, &floor, &mmr, z) })
		if below.Cmp(above) != 0 {
			t.Fatalf("at the floor %s: maintenance %s on the tier below, %s on the tier", &floor, below, above)
		}
		f2 := orc(t, o.Add, &floor, apd.New(rapid.Int64Range(0, 1e10).Draw(t, "more floor"), -2))
		if z2 := cum(&prevCum, f2); z2.Cmp(z) < 0 {
			t.Fatalf("floor %s > %s but cum %s < %s", f2, &floor, z2, z)
		}
		pc2 := orc(t, o.Add, &prevCum, apd.New(rapid.Int64Range(0, 1e10).Draw(t, "more prevCum"), -2))
		if z2 := cum(pc2, &floor); z2.Cmp(z) < 0 {
			t.Fatalf("prevCum %s > %s but cum %s < %s", pc2, &prevCum, z2, z)
		}
	})
}

// TestOracleSizeLinear: on a random schedule, IMR and MMR are BaseIM +
// |size|*IMSlope and BaseMM + |size|*MMSlope (exact here), Initial and
// Maintenance value times them (one rounding); the side does not matter;
// the rates never fall as |size| grows, the margins as value grows.
func TestOracleSizeLinear(t *testing.T) {
	ctx := derivmath.NewContext()
	o := dectest.Oracle()
	rapid.Check(t, func(t *rapid.T) {
		s := &margin.SizeLinear{}
		mm := rapid.Int64Range(1, 50_000).Draw(t, "mm")
		s.BaseMM.SetFinite(mm, -6)
		s.BaseIM.SetFinite(mm+rapid.Int64Range(0, 50_000).Draw(t, "im"), -6)
		s.MMSlope.SetFinite(rapid.Int64Range(0, 100).Draw(t, "mmSlope"), -7)
		s.IMSlope.SetFinite(rapid.Int64Range(0, 100).Draw(t, "imSlope"), -7)
		var size, size2, value, value2 apd.Decimal
		a := rapid.Int64Range(0, 1_000_000).Draw(t, "size")
		size.SetFinite(a, -3)
		size.Negative = a != 0 && rapid.Bool().Draw(t, "short") // -0 is no input
		size2.SetFinite(a+rapid.Int64Range(0, 1_000_000).Draw(t, "more size"), -3)
		value.SetFinite(rapid.Int64Range(0, 1e15).Draw(t, "value"), -4)
		value2.SetFinite(value.Coeff.Int64()+rapid.Int64Range(0, 1e12).Draw(t, "more value"), -4)
		var n apd.Decimal
		n.Abs(&size)
		imr := orc(t, o.Add, &s.BaseIM, orc(t, o.Mul, &n, &s.IMSlope))
		mmr := orc(t, o.Add, &s.BaseMM, orc(t, o.Mul, &n, &s.MMSlope))
		type rate = func(ctx *apd.Context, z, size *apd.Decimal) error
		type margins = func(ctx *apd.Context, z, size, value *apd.Decimal) error
		for _, f := range []struct {
			name   string
			rate   rate
			margin margins
			want   *apd.Decimal
		}{
			{"IMR", s.IMR, s.Initial, imr},
			{"MMR", s.MMR, s.Maintenance, mmr},
		} {
			r := call(t, f.name, func(z *apd.Decimal) error { return f.rate(ctx, z, &size) })
			if r.Cmp(f.want) != 0 {
				t.Fatalf("%s(%s) = %s, oracle %s", f.name, &size, r, f.want)
			}
			neg := new(apd.Decimal).Neg(&size)
			if r2 := call(t, f.name, func(z *apd.Decimal) error { return f.rate(ctx, z, neg) }); r2.Cmp(r) != 0 {
				t.Fatalf("%s(%s) = %s but %s(%s) = %s", f.name, &size, r, f.name, neg, r2)
			}
			if r2 := call(t, f.name, func(z *apd.Decimal) error { return f.rate(ctx, z, &size2) }); r2.Cmp(r) < 0 {
				t.Fatalf("|size| %s > %s but %s %s < %s", &size2, &n, f.name, r2, r)
			}
			m := call(t, f.name+" margin", func(z *apd.Decimal) error { return f.margin(ctx, z, &size, &value) })
			near(t, f.name+" margin", m, orc(t, o.Mul, &value, f.want))
			if m2 := call(t, f.name+" margin", func(z *apd.Decimal) error { return f.margin(ctx, z, &size, &value2) }); m2.Cmp(m) < 0 {
				t.Fatalf("value %s > %s but %s margin %s < %s", &value2, &value, f.name, m2, m)
			}
		}
	})
}

// TestOracleStepsMargins: Steps.Maintenance and Steps.Initial are value
// times BaseMM*(1 + n) and BaseIM + n*BaseMM, n = max(0, ceil((value -
// BaseRiskLimit)/Step)), each rounded once, and never fall as value grows;
// their difference is value*(BaseIM - BaseMM).
func TestOracleStepsMargins(t *testing.T) {
	ctx := derivmath.NewContext()
	o := dectest.Oracle()
	rapid.Check(t, func(t *rapid.T) {
		s := drawSteps(t)
		var v, v2 apd.Decimal
		v.SetFinite(rapid.Int64Range(0, 10_000_000).Draw(t, "value"), -2)
		v2.SetFinite(v.Coeff.Int64()+rapid.Int64Range(0, 1_000_000).Draw(t, "more"), -2)
		var n apd.Decimal
		if v.Cmp(&s.BaseRiskLimit) > 0 {
			q := orc(t, o.Quo, orc(t, o.Sub, &v, &s.BaseRiskLimit), &s.Step)
			if _, err := o.Ceil(&n, q); err != nil {
				t.Fatal(err)
			}
		}
		mmr := orc(t, o.Mul, &s.BaseMM, orc(t, o.Add, &n, dectest.D("1")))
		imr := orc(t, o.Add, &s.BaseIM, orc(t, o.Mul, &n, &s.BaseMM))
		var margins [2]apd.Decimal
		for i, f := range []struct {
			name string
			fn   func(ctx *apd.Context, z, value *apd.Decimal) error
			rate *apd.Decimal
		}{{"Maintenance", s.Maintenance, mmr}, {"Initial", s.Initial, imr}} {
			m := &margins[i]
			if err := f.fn(ctx, m, &v); err != nil {
				var te *margin.TierError
				if errors.As(err, &te) {
					return // beyond the schedule: TestStepsProperties
				}
				t.Fatal(err)
			}
			near(t, "Steps."+f.name, m, orc(t, o.Mul, &v, f.rate))
			var m2 apd.Decimal
			if err := f.fn(ctx, &m2, &v2); err == nil && m2.Cmp(m) < 0 {
				t.Fatalf("value %s > %s but %s %s < %s", &v2, &v, f.name, &m2, m)
			}
		}
		// The identity: Initial - Maintenance = value*(BaseIM - BaseMM),
		// within the two roundings (5e-19 of each margin).
		diff := orc(t, o.Sub, &margins[1], &margins[0])
		want := orc(t, o.Mul, &v, orc(t, o.Sub, &s.BaseIM, &s.BaseMM))
		tol := orc(t, o.Mul, orc(t, o.Add, &margins[0], &margins[1]), dectest.D("5e-19"))
		if !dectest.Within(diff, want, tol) {
			t.Fatalf("Initial - Maintenance at %s = %s, want value*(BaseIM - BaseMM) = %s", &v, diff, want)
		}
	})
}

// TestOracleFundingReserve: FundingReserve is value*|rate| for a position
// that pays the funding (a long at a positive rate, a short at a negative
// one) and 0 otherwise; a long and a short at opposite rates reserve the
// same; it never falls as value or |rate| grows.
func TestOracleFundingReserve(t *testing.T) {
	ctx := derivmath.NewContext()
	o := dectest.Oracle()
	rapid.Check(t, func(t *rapid.T) {
		qty := dectest.Decimal(1_000_000, 3).Draw(t, "qty")
		var value, value2, rate, rate2 apd.Decimal
		value.SetFinite(rapid.Int64Range(0, 1e12).Draw(t, "value"), -2)
		value2.SetFinite(value.Coeff.Int64()+rapid.Int64Range(0, 1e10).Draw(t, "more value"), -2)
		r := rapid.Int64Range(-999_999, 999_999).Draw(t, "rate")
		rate.SetFinite(r, -6)
		rate2.SetFinite(r, -6)
		if rate2.Sign() != 0 {
			_, _ = o.Add(&rate2, &rate2, apd.New(int64(rate2.Sign())*rapid.Int64Range(0, 999_999-max(r, -r)).Draw(t, "more rate"), -6))
		}
		reserve := func(q, v, r *apd.Decimal) *apd.Decimal {
			return call(t, "FundingReserve", func(z *apd.Decimal) error { return margin.FundingReserve(ctx, z, q, v, r) })
		}
		z := reserve(&qty, &value, &rate)
		want := dectest.D("0")
		if !qty.IsZero() && !rate.IsZero() && qty.Negative == rate.Negative {
			want = orc(t, o.Mul, &value, new(apd.Decimal).Abs(&rate))
		}
		near(t, "FundingReserve", z, want)
		mq, mr := new(apd.Decimal).Neg(&qty), new(apd.Decimal).Neg(&rate)
		if z2 := reserve(mq, &value, mr); z2.Cmp(z) != 0 {
			t.Fatalf("mirror: %s at qty %s rate %s, %s at qty %s rate %s", z, &qty, &rate, z2, mq, mr)
		}
		if z2 := reserve(&qty, &value2, &rate); z2.Cmp(z) < 0 {
			t.Fatalf("value %s > %s but reserve %s < %s", &value2, &value, z2, z)
		}
		if z2 := reserve(&qty, &value, &rate2); z2.Cmp(z) < 0 {
			t.Fatalf("|rate| %s > %s but reserve %s < %s", &rate2, &rate, z2, z)
		}
	})
}

// TestPropMonotone: the margins without an order property of their own
// are ordered in each operand as stated: Initial value/leverage;
// Maintenance value*mmr - cum; FeeToClose on an inverse contract
// taker*|qty|*m/entry*(1 +- 1/lev), the sign the side's (so it falls with
// leverage for a long, rises for a short); MaxQty and Tiers.MaxQty rise
// with the balance and fall with the price and the taker rate, and MaxQty
// rises with leverage (Tiers.MaxQty need not: a higher leverage narrows
// the tiers it allows). Two operand lists are drawn; the second's operand
// i replaces the first's, and where the direction is the same at both
// lists and neither is refused, the results keep the operands' order.
func TestPropMonotone(t *testing.T) {
	ctx := derivmath.NewContext()
	tiers := margin.BTCUSDT()
	lin := linearSpec(t)
	xbt := contract.XBTUSD()
	pos := dectest.Positive(1_000_000_000, 4)
	price := dectest.Price()
	rate := rapid.Custom(func(t *rapid.T) apd.Decimal {
		var r apd.Decimal
		r.SetFinite(rapid.Int64Range(0, 99_999).Draw(t, "rate"), -5)
		return r
	})
	lev := rapid.Custom(leverage)
	lots := rapid.Custom(func(t *rapid.T) apd.Decimal {
		var q apd.Decimal
		q.SetFinite(rapid.Int64Range(-1_000_000, 1_000_000).Draw(t, "lots")*100, 0)
		return q
	})
	fixed := func(dirs ...int) func([]*apd.Decimal) []int { return func([]*apd.Decimal) []int { return dirs } }
	cases := []struct {
		name string
		gens []*rapid.Generator[apd.Decimal]
		dirs func(x []*apd.Decimal) []int
		fn   func(z *apd.Decimal, x []*apd.Decimal) error
	}{
		{"Initial", []*rapid.Generator[apd.Decimal]{pos, lev}, fixed(+1, -1), func(z *apd.Decimal, x []*apd.Decimal) error {
			return margin.Initial(ctx, z, x[0], x[1])
		}},
		{"Maintenance", []*rapid.Generator[apd.Decimal]{pos, rate, pos}, fixed(+1, +1, -1), func(z *apd.Decimal, x []*apd.Decimal) error {
			return margin.Maintenance(ctx, z, x[0], x[1], x[2])
		}},
		{"FeeToClose", []*rapid.Generator[apd.Decimal]{lots, price, lev, rate}, func(x []*apd.Decimal) []int {
			s := x[0].Sign()
			return []int{s, -1, -s, +1}
		}, func(z *apd.Decimal, x []*apd.Decimal) error {
			return margin.FeeToClose(ctx, z, xbt, x[0], x[1], x[2], x[3])
		}},
		{"MaxQty", []*rapid.Generator[apd.Decimal]{pos, price, lev, rate}, fixed(+1, -1, +1, -1), func(z *apd.Decimal, x []*apd.Decimal) error {
			return margin.MaxQty(ctx, z, lin, x[0], x[1], x[2], x[3])
		}},
		{"Tiers.MaxQty", []*rapid.Generator[apd.Decimal]{pos, price, lev, rate}, fixed(+1, -1, 0, -1), func(z *apd.Decimal, x []*apd.Decimal) error {
			return tiers.MaxQty(ctx, z, lin, x[0], x[1], x[2], x[3])
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				a, b := make([]*apd.Decimal, len(c.gens)), make([]*apd.Decimal, len(c.gens))
				for i, g := range c.gens {
					x, y := g.Draw(t, "a"), g.Draw(t, "b")
					a[i], b[i] = &x, &y
				}
				i := rapid.IntRange(0, len(a)-1).Draw(t, "operand")
				b2 := slices.Clone(a)
				b2[i] = b[i]
				dir := c.dirs(a)[i]
				if dir != c.dirs(b2)[i] {
					dir = 0 // the order changes between the two: none
				}
				var za, zb apd.Decimal
				if c.fn(&za, a) != nil || c.fn(&zb, b2) != nil {
					return // refused (beyond the tiers, or above their leverage)
				}
				if cx, cz := a[i].Cmp(b2[i]), za.Cmp(&zb); dir != 0 && cz != 0 && cz != cx*dir {
					t.Fatalf("operand %d: %s gives %s, %s gives %s (direction %+d)", i, a[i], &za, b2[i], &zb, dir)
				}
			})
		})
	}
}

// TestPropFeeToCloseSides: a long and a short of the same size, entry and
// leverage reserve taker*v*(1 - 1/lev) and taker*v*(1 + 1/lev) between
// them, whatever the kind: together 2*taker*v, within the roundings of
// each (value, product, quotient and the leverage factor: 5e-19 each).
func TestPropFeeToCloseSides(t *testing.T) {
	ctx := derivmath.NewContext()
	o := dectest.Oracle()
	rapid.Check(t, func(t *rapid.T) {
		s := drawSpec(t)
		qty := lotQty(t, s, "qty")
		entry := dectest.Price().Draw(t, "entry")
		lev := leverage(t)
		taker := dectest.Fraction(0, 1_000).Draw(t, "taker")
		short := new(apd.Decimal).Neg(&qty)
		long := call(t, "FeeToClose", func(z *apd.Decimal) error { return margin.FeeToClose(ctx, z, s, &qty, &entry, &lev, &taker) })
		other := call(t, "FeeToClose", func(z *apd.Decimal) error { return margin.FeeToClose(ctx, z, s, short, &entry, &lev, &taker) })
		var v apd.Decimal
		if err := s.Value(ctx, &v, &qty, &entry); err != nil {
			t.Fatal(err)
		}
		want := orc(t, o.Mul, orc(t, o.Mul, &v, &taker), dectest.D("2"))
		if got := orc(t, o.Add, long, other); !dectest.Rel(got, want, "3e-18") {
			t.Fatalf("%s: FeeToClose %s + %s = %s, want 2*taker*v = %s", s.Kind, long, other, got, want)
		}
	})
}

// TestBitMEXMonotone: no field of BitMEXPosition.Margin falls as |Cost|,
// Cross, InitMarginReq, MaintMarginReq, Commission or FundingReserve
// grows (each field is a ceiling of a product of them with non-negative
// factors, or a sum of such), and posMargin never rises with Loss, which
// no other field reads. Two positions are drawn; each field of the second
// in turn replaces the first's (Cost only when of the same sign).
func TestBitMEXMonotone(t *testing.T) {
	ctx := derivmath.NewContext()
	fields := []struct {
		name string
		of   func(p *margin.BitMEXPosition) *apd.Decimal
		dirs [4]int // of Init, Comm, Maint, Margin
	}{
		{"Cost", func(p *margin.BitMEXPosition) *apd.Decimal { return &p.Cost }, [4]int{+1, +1, +1, +1}},
		{"Cross", func(p *margin.BitMEXPosition) *apd.Decimal { return &p.Cross }, [4]int{0, +1, +1, +1}},
		{"Loss", func(p *margin.BitMEXPosition) *apd.Decimal { return &p.Loss }, [4]int{0, 0, 0, -1}},
		{"InitMarginReq", func(p *margin.BitMEXPosition) *apd.Decimal { return &p.InitMarginReq }, [4]int{+1, +1, +1, +1}},
		{"MaintMarginReq", func(p *margin.BitMEXPosition) *apd.Decimal { return &p.MaintMarginReq }, [4]int{0, 0, +1, 0}},
		{"Commission", func(p *margin.BitMEXPosition) *apd.Decimal { return &p.Commission }, [4]int{0, +1, +1, +1}},
		{"FundingReserve", func(p *margin.BitMEXPosition) *apd.Decimal { return &p.FundingReserve }, [4]int{0, 0, +1, 0}},
	}
	rapid.Check(t, func(t *rapid.T) {
		a, b := drawBitMEX(t), drawBitMEX(t)
		var za margin.BitMEX
		if a.Margin(ctx, &za) != nil {
			t.Skip("a position Margin refuses")
		}
		for _, f := range fields {
			x, y := f.of(a), f.of(b)
			if f.name == "Cost" && x.Negative != y.Negative {
				continue // |Cost| has another order
			}
			var c margin.BitMEXPosition
			for _, g := range fields {
				g.of(&c).Set(g.of(a))
			}
			f.of(&c).Set(y)
			var zc margin.BitMEX
			if c.Margin(ctx, &zc) != nil {
				continue // MaintMarginReq above InitMarginReq
			}
			order := x.Cmp(y)
			if f.name == "Cost" && x.Negative {
				order = -order // |Cost|
			}
			for i, pair := range [][2]*apd.Decimal{{&za.Init, &zc.Init}, {&za.Comm, &zc.Comm}, {&za.Maint, &zc.Maint}, {&za.Margin, &zc.Margin}} {
				if d, cz := f.dirs[i], pair[0].Cmp(pair[1]); d != 0 && cz != 0 && cz != order*d {
					t.Fatalf("%s %s -> %s: field %d %s -> %s (direction %+d)", f.name, x, y, i, pair[0], pair[1], d)
				}
			}
		}
	})
}
