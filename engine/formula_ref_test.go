package engine

import (
	"errors"
	"testing"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/funding"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/derivmath/derivmath/internal/num"
	"pgregory.net/rapid"
)

// The formulas of formula.go as they were written on apd's operations
// before they moved to internal/num, kept as the reference of
// TestFormulasMatchApd: the same values, representations and errors, in
// the same order, in every context. Only the names changed.

func refMark(ctx *apd.Context, z *apd.Decimal, p *Preset, in *MarkInputs) error {
	const op = "engine: mark"
	if err := refCheckCtx(ctx); err != nil {
		return err
	}
	switch p.Mark {
	case MarkFair:
		return funding.FairPrice(ctx, z, &in.Index, &in.Rate, in.Until, in.Interval)
	case MarkMedian:
		return funding.MarkBinance(ctx, z, &in.Index, &in.Rate, &in.Basis, &in.Last, in.Until, in.Interval)
	case MarkDated:
		if err := derivmath.CheckPrice(&in.Index); err != nil {
			return err
		}
		if err := check(&in.BasisRate); err != nil {
			return err
		}
		var r apd.Decimal
		if _, err := ctx.Add(&r, decOne, &in.BasisRate); err != nil {
			return num.WrapApd(op, err)
		}
		if _, err := ctx.Mul(&r, &r, &in.Index); err != nil {
			return num.WrapApd(op, err)
		}
		if r.Sign() <= 0 {
			return derivmath.ErrPrice
		}
		return refStore(z, &r)
	case MarkInput:
		if err := derivmath.CheckPrice(&in.Oracle); err != nil {
			return err
		}
		z.Set(&in.Oracle)
		return nil
	}
	return ErrPreset
}

func refScoreBitMEX(ctx *apd.Context, z, vMark, vEntry, vBankrupt *apd.Decimal) error {
	const op = "engine: score bitmex"
	if err := refCheckCtx(ctx, vMark, vEntry, vBankrupt); err != nil {
		return err
	}
	if vEntry.IsZero() || vMark.IsZero() {
		return derivmath.ErrZeroQty
	}
	var pnl, eq, lev, abs apd.Decimal
	if _, err := ctx.Sub(&eq, vMark, vBankrupt); err != nil {
		return num.WrapApd(op, err)
	}
	if eq.Sign() <= 0 {
		return ErrBankrupt
	}
	abs.Abs(vEntry)
	if _, err := ctx.Sub(&pnl, vMark, vEntry); err != nil {
		return num.WrapApd(op, err)
	}
	if pnl.IsZero() {
		z.SetInt64(0)
		return nil
	}
	if _, err := ctx.Quo(&pnl, &pnl, &abs); err != nil {
		return num.WrapApd(op, err)
	}
	abs.Abs(vMark)
	if _, err := ctx.Quo(&lev, &abs, &eq); err != nil {
		return num.WrapApd(op, err)
	}
	var err error
	if pnl.Negative {
		_, err = ctx.Quo(&pnl, &pnl, &lev)
	} else {
		_, err = ctx.Mul(&pnl, &pnl, &lev)
	}
	return refReduce(op, z, &pnl, err)
}

func refScoreBinance(ctx *apd.Context, z, upnl, wallet, mm *apd.Decimal, floor bool) error {
	const op = "engine: score binance"
	if err := refCheckCtx(ctx, upnl, wallet, mm); err != nil {
		return err
	}
	var eq, w, r apd.Decimal
	if _, err := ctx.Add(&eq, wallet, upnl); err != nil {
		return num.WrapApd(op, err)
	}
	if upnl.Sign() <= 0 || eq.Sign() <= 0 {
		z.SetInt64(0)
		return nil
	}
	w.Set(wallet)
	if floor && w.Cmp(decOne) < 0 {
		w.SetInt64(1)
	}
	if w.Sign() <= 0 {
		return ErrUnbounded
	}
	if _, err := ctx.Mul(&r, upnl, mm); err != nil {
		return num.WrapApd(op, err)
	}
	if _, err := ctx.Mul(&w, &w, &eq); err != nil {
		return num.WrapApd(op, err)
	}
	_, err := ctx.Quo(&r, &r, &w)
	return refReduce(op, z, &r, err)
}

func refScoreHyperliquid(ctx *apd.Context, z, mark, entry, notional, accountValue *apd.Decimal) error {
	const op = "engine: score hyperliquid"
	if err := refCheckCtx(ctx, notional, accountValue); err != nil {
		return err
	}
	if err := derivmath.CheckPrice(mark); err != nil {
		return err
	}
	if err := derivmath.CheckPrice(entry); err != nil {
		return err
	}
	if accountValue.Sign() <= 0 {
		z.SetInt64(0)
		return nil
	}
	var a, b apd.Decimal
	if _, err := ctx.Mul(&a, mark, notional); err != nil {
		return num.WrapApd(op, err)
	}
	if _, err := ctx.Mul(&b, entry, accountValue); err != nil {
		return num.WrapApd(op, err)
	}
	_, err := ctx.Quo(&a, &a, &b)
	return refReduce(op, z, &a, err)
}

func refScoreOKX(ctx *apd.Context, z, roi, marginRatio *apd.Decimal) error {
	const op = "engine: score okx"
	if err := refCheckCtx(ctx, roi, marginRatio); err != nil {
		return err
	}
	if marginRatio.Sign() <= 0 {
		return ErrPosition
	}
	var r apd.Decimal
	var err error
	if roi.Negative {
		_, err = ctx.Mul(&r, roi, marginRatio)
	} else {
		_, err = ctx.Quo(&r, roi, marginRatio)
	}
	return refReduce(op, z, &r, err)
}

func refBankruptQuote(ctx *apd.Context, z, tnc, tmmr, dnnv, dmmr, minor *apd.Decimal) error {
	const op = "engine: bankrupt quote"
	if err := refCheckCtx(ctx, tnc, tmmr, dnnv, dmmr, minor); err != nil {
		return err
	}
	if tmmr.Sign() <= 0 {
		return ErrPosition
	}
	var q, a apd.Decimal
	a.Abs(dmmr)
	if _, err := ctx.Mul(&q, tnc, &a); err != nil {
		return num.WrapApd(op, err)
	}
	if _, err := ctx.Quo(&q, &q, tmmr); err != nil {
		return num.WrapApd(op, err)
	}
	if q.IsZero() {
		q.Negative = false // a negative tnc times a zero dmmr is -0, which Round refuses
	}
	if err := derivmath.Round(ctx, &q, &q, minor, derivmath.Floor); err != nil {
		return err
	}
	if _, err := ctx.Add(&q, &q, dnnv); err != nil {
		return num.WrapApd(op, err)
	}
	q.Neg(&q)
	return refStore(z, &q)
}

func refFillable(ctx *apd.Context, z, pnnv, pmmr, ps, tnc, tmmr, ba, smmr *apd.Decimal) error {
	const op = "engine: fillable"
	if err := refCheckCtx(ctx, pnnv, pmmr, ps, tnc, tmmr, ba, smmr); err != nil {
		return err
	}
	if ps.IsZero() || tmmr.Sign() <= 0 {
		return ErrPosition
	}
	var abr, r apd.Decimal
	if _, err := ctx.Quo(&abr, tnc, tmmr); err != nil {
		return num.WrapApd(op, err)
	}
	if _, err := ctx.Sub(&abr, decOne, &abr); err != nil {
		return num.WrapApd(op, err)
	}
	if _, err := ctx.Mul(&abr, &abr, ba); err != nil {
		return num.WrapApd(op, err)
	}
	if abr.Negative {
		abr.SetInt64(0)
	} else if abr.Cmp(decOne) > 0 {
		abr.SetInt64(1)
	}
	if _, err := ctx.Mul(&r, &abr, smmr); err != nil {
		return num.WrapApd(op, err)
	}
	if _, err := ctx.Mul(&r, &r, pmmr); err != nil {
		return num.WrapApd(op, err)
	}
	if _, err := ctx.Sub(&r, pnnv, &r); err != nil {
		return num.WrapApd(op, err)
	}
	if _, err := ctx.Quo(&r, &r, ps); err != nil {
		return num.WrapApd(op, err)
	}
	if r.Sign() <= 0 {
		return derivmath.ErrPrice
	}
	return refReduce(op, z, &r, nil)
}

func refInsuranceDelta(ctx *apd.Context, z, quote, bankruptQuote, maxFee, minor *apd.Decimal) error {
	const op = "engine: insurance delta"
	if err := refCheckCtx(ctx, quote, bankruptQuote, maxFee, minor); err != nil {
		return err
	}
	if maxFee.Negative || maxFee.Cmp(decOne) > 0 {
		return derivmath.ErrRate
	}
	if minor.Sign() <= 0 {
		return derivmath.ErrStep
	}
	var d, c apd.Decimal
	if _, err := ctx.Sub(&d, quote, bankruptQuote); err != nil {
		return num.WrapApd(op, err)
	}
	if d.Sign() <= 0 {
		return refStore(z, &d)
	}
	c.Abs(quote)
	if _, err := ctx.Mul(&c, &c, maxFee); err != nil {
		return num.WrapApd(op, err)
	}
	if err := derivmath.Round(ctx, &c, &c, minor, derivmath.Floor); err != nil {
		return err
	}
	if c.Cmp(&d) < 0 {
		return refStore(z, &c)
	}
	return refStore(z, &d)
}

func refDriftBase(ctx *apd.Context, z, shortage, price, mr, liqFee, ifFee *apd.Decimal) error {
	const op = "engine: drift base"
	if err := refCheckCtx(ctx, shortage, mr, liqFee, ifFee); err != nil {
		return err
	}
	if err := derivmath.CheckPrice(price); err != nil {
		return err
	}
	var d apd.Decimal
	if _, err := ctx.Sub(&d, mr, liqFee); err != nil {
		return num.WrapApd(op, err)
	}
	if _, err := ctx.Sub(&d, &d, ifFee); err != nil {
		return num.WrapApd(op, err)
	}
	if d.Sign() <= 0 {
		return ErrUnbounded
	}
	if _, err := ctx.Mul(&d, &d, price); err != nil {
		return num.WrapApd(op, err)
	}
	_, err := ctx.Quo(&d, shortage, &d)
	return refReduce(op, z, &d, err)
}

func refDriftIfFee(ctx *apd.Context, z, shortage, base, price, mr, liqFee, maxIfFee *apd.Decimal) error {
	const op = "engine: drift if fee"
	if err := refCheckCtx(ctx, shortage, base, mr, liqFee, maxIfFee); err != nil {
		return err
	}
	if err := derivmath.CheckPrice(price); err != nil {
		return err
	}
	if base.IsZero() {
		return derivmath.ErrZeroQty
	}
	if mr.Cmp(liqFee) <= 0 {
		z.SetInt64(0)
		return nil
	}
	var r, q apd.Decimal
	if _, err := ctx.Mul(&q, base, price); err != nil {
		return num.WrapApd(op, err)
	}
	if _, err := ctx.Quo(&q, shortage, &q); err != nil {
		return num.WrapApd(op, err)
	}
	if _, err := ctx.Sub(&r, mr, liqFee); err != nil {
		return num.WrapApd(op, err)
	}
	if _, err := ctx.Sub(&r, &r, &q); err != nil {
		return num.WrapApd(op, err)
	}
	if _, err := ctx.Mul(&r, &r, apd.New(19, 0)); err != nil {
		return num.WrapApd(op, err)
	}
	if _, err := ctx.Quo(&r, &r, apd.New(20, 0)); err != nil {
		return num.WrapApd(op, err)
	}
	if r.Cmp(maxIfFee) > 0 {
		r.Set(maxIfFee)
	}
	if r.Sign() <= 0 {
		r.SetInt64(0)
	}
	return refReduce(op, z, &r, nil)
}

func refPartialOKX(ctx *apd.Context, z, qty *apd.Decimal, tier int, tier1Max *apd.Decimal) error {
	const op = "engine: partial okx"
	if err := refCheckCtx(ctx, qty, tier1Max); err != nil {
		return err
	}
	if tier < 1 || tier1Max.Negative {
		return ErrTable
	}
	var a apd.Decimal
	a.Abs(qty)
	if tier >= 3 && a.Cmp(tier1Max) > 0 {
		if _, err := ctx.Sub(&a, &a, tier1Max); err != nil {
			return num.WrapApd(op, err)
		}
	}
	return refStore(z, &a)
}

func refNotionalDYDX(ctx *apd.Context, z, notional, done, minNotional, maxPortion, maxNotional, minor *apd.Decimal) error {
	const op = "engine: notional dydx"
	if err := refCheckCtx(ctx, notional, done, minNotional, maxPortion, maxNotional, minor); err != nil {
		return err
	}
	if minNotional.Negative || maxNotional.Negative || maxPortion.Negative || maxPortion.Cmp(decOne) > 0 {
		return ErrPreset
	}
	var n, minN, maxN, left apd.Decimal
	n.Abs(notional)
	minN.Set(minNotional)
	if n.Cmp(&minN) < 0 {
		minN.Set(&n)
	}
	if _, err := ctx.Mul(&maxN, &n, maxPortion); err != nil {
		return num.WrapApd(op, err)
	}
	if err := derivmath.Round(ctx, &maxN, &maxN, minor, derivmath.Floor); err != nil {
		return err
	}
	if maxN.Cmp(&minN) < 0 {
		maxN.Set(&minN)
	}
	if _, err := ctx.Sub(&left, maxNotional, done); err != nil {
		return num.WrapApd(op, err)
	}
	if left.Cmp(&maxN) < 0 {
		maxN.Set(&left)
	}
	if maxN.Negative {
		maxN.SetInt64(0)
	}
	return refStore(z, &maxN)
}

func refDrawdown(ctx *apd.Context, z, pnl, pnlMax, poolMax *apd.Decimal) error {
	const op = "engine: drawdown"
	if err := refCheckCtx(ctx, pnl, pnlMax, poolMax); err != nil {
		return err
	}
	if poolMax.Sign() <= 0 {
		return ErrNegativeFund
	}
	var d apd.Decimal
	if _, err := ctx.Sub(&d, pnl, pnlMax); err != nil {
		return num.WrapApd(op, err)
	}
	_, err := ctx.Quo(&d, &d, poolMax)
	return refReduce(op, z, &d, err)
}

func refClawbackRate(ctx *apd.Context, z, loss, cover, profits *apd.Decimal) error {
	const op = "engine: clawback rate"
	if err := refCheckCtx(ctx, loss, cover, profits); err != nil {
		return err
	}
	var r apd.Decimal
	err := refClawback(ctx, &r, decOne, loss, cover, profits)
	if errors.Is(err, ErrPosition) {
		return err
	}
	return refReduce(op, z, &r, err)
}

func refClawback(ctx *apd.Context, z, p, loss, cover, profits *apd.Decimal) error {
	var r apd.Decimal
	if _, err := ctx.Sub(&r, loss, cover); err != nil {
		return err
	}
	if r.Sign() <= 0 {
		z.SetInt64(0)
		return nil
	}
	if profits.Sign() <= 0 {
		return ErrPosition
	}
	if _, err := ctx.Mul(&r, &r, p); err != nil {
		return err
	}
	if _, err := ctx.Quo(&r, &r, profits); err != nil {
		return err
	}
	if r.Cmp(p) > 0 {
		r.Set(p)
	}
	z.Set(&r)
	return nil
}

func refReduce(op string, z, r *apd.Decimal, err error) error {
	if err != nil {
		return num.WrapApd(op, err)
	}
	r.Reduce(r)
	return refStore(z, r)
}

func refStore(z, r *apd.Decimal) error {
	if r.IsZero() {
		r.SetInt64(0)
	}
	return num.StoreResult(z, r)
}

func refCheckCtx(ctx *apd.Context, ds ...*apd.Decimal) error {
	if ctx == nil {
		return derivmath.ErrContext
	}
	return check(ds...)
}

// refOperand draws an operand for TestFormulasMatchApd: a hostile decimal
// (dectest.HostileDecimal), or a finite one of 1 to 19 digits (20 to 50
// now and then) at an exponent from -30 to 10, any sign: thirds and
// sevenths whose quotients do not terminate, operands the number layer
// computes on words and ones it hands to apd.
func refOperand(t *rapid.T, label string) *apd.Decimal {
	switch rapid.IntRange(0, 9).Draw(t, label+"Kind") {
	case 0, 1:
		return dectest.HostileDecimal(t, label)
	case 2:
		return dectest.D(rapid.SampledFrom([]string{"0", "1", "-1", "3", "7", "0.01", "0.5", "100", "0.3333333333333333333", "1E-6"}).Draw(t, label))
	}
	var z apd.Decimal
	n := rapid.IntRange(1, 19).Draw(t, label+"Digits")
	if rapid.IntRange(0, 9).Draw(t, label+"Wide") == 0 {
		n = rapid.IntRange(20, 50).Draw(t, label+"Digits")
	}
	digits := rapid.StringOfN(rapid.RuneFrom([]rune("0123456789")), n, n, -1).Draw(t, label)
	if _, ok := z.Coeff.SetString(digits, 10); !ok {
		t.Fatalf("bad digits %q", digits)
	}
	z.Exponent = rapid.Int32Range(-30, 10).Draw(t, label+"Exp")
	z.Negative = !z.IsZero() && rapid.Bool().Draw(t, label+"Neg")
	return &z
}

// refSentinels are the errors the formulas document.
var refSentinels = []error{
	derivmath.ErrNaN, derivmath.ErrInfinite, derivmath.ErrNegativeZero, derivmath.ErrRange,
	derivmath.ErrPrice, derivmath.ErrZeroQty, derivmath.ErrRate, derivmath.ErrStep, derivmath.ErrContext,
	ErrPreset, ErrTable, ErrPosition, ErrBankrupt, ErrUnbounded, ErrNegativeFund,
}

// sameResult reports whether the two calls agree: the same error (text,
// and each sentinel errors.Is finds), and z with the same representation.
func sameResult(z, zr *apd.Decimal, err, errRef error) bool {
	if (err == nil) != (errRef == nil) {
		return false
	}
	if err != nil {
		if err.Error() != errRef.Error() {
			return false
		}
		for _, s := range refSentinels {
			if errors.Is(err, s) != errors.Is(errRef, s) {
				return false
			}
		}
	}
	return z.Form == zr.Form && z.Negative == zr.Negative && z.Exponent == zr.Exponent && z.Coeff.Cmp(&zr.Coeff) == 0
}

// TestFormulasMatchApd: every formula of formula.go, on internal/num, gives
// what its apd implementation (formula_ref_test.go) gave, in any context
// (dectest.AnyContext: 1 to 50 digits, every rounding, Inexact trapped or
// not; the default context; nil), on hostile and general operands, with z
// fresh or aliasing an operand: the same z to the representation (value,
// exponent, sign of zero) and the same error, hence in the same order.
func TestFormulasMatchApd(t *testing.T) {
	presets := Presets()
	rapid.Check(t, func(t *rapid.T) {
		var ctx *apd.Context
		switch rapid.IntRange(0, 9).Draw(t, "ctxKind") {
		case 0:
		case 1, 2:
			ctx = derivmath.NewContext()
		default:
			ctx = dectest.AnyContext(t)
		}
		var in [8]*apd.Decimal
		for i := range in {
			in[i] = refOperand(t, "x")
		}
		alias := rapid.IntRange(0, len(in)).Draw(t, "alias") // 0: fresh z; i: z is operand i-1
		tier := rapid.IntRange(-1, 5).Draw(t, "tier")
		flag := rapid.Bool().Draw(t, "floor")
		p := presets[rapid.IntRange(0, len(presets)-1).Draw(t, "preset")]
		until := rapid.SampledFrom([]time.Duration{0, time.Hour, 8 * time.Hour}).Draw(t, "until")
		mark := func(f func(*apd.Context, *apd.Decimal, *Preset, *MarkInputs) error) func(z *apd.Decimal, x []*apd.Decimal) error {
			return func(z *apd.Decimal, x []*apd.Decimal) error {
				var m MarkInputs
				for i, f := range []*apd.Decimal{&m.Index, &m.Rate, &m.Basis, &m.Last, &m.BasisRate, &m.Oracle} {
					f.Set(x[i])
				}
				m.Until, m.Interval = until, 8*time.Hour
				return f(ctx, z, p, &m)
			}
		}
		type fn = func(z *apd.Decimal, x []*apd.Decimal) error
		ops := []struct {
			name     string
			got, ref fn
		}{
			{"Mark", mark(Mark), mark(refMark)},
			{
				"ScoreBitMEX",
				func(z *apd.Decimal, x []*apd.Decimal) error { return ScoreBitMEX(ctx, z, x[0], x[1], x[2]) },
				func(z *apd.Decimal, x []*apd.Decimal) error { return refScoreBitMEX(ctx, z, x[0], x[1], x[2]) },
			},
			{
				"ScoreBinance",
				func(z *apd.Decimal, x []*apd.Decimal) error { return ScoreBinance(ctx, z, x[0], x[1], x[2], flag) },
				func(z *apd.Decimal, x []*apd.Decimal) error { return refScoreBinance(ctx, z, x[0], x[1], x[2], flag) },
			},
			{
				"ScoreHyperliquid",
				func(z *apd.Decimal, x []*apd.Decimal) error { return ScoreHyperliquid(ctx, z, x[0], x[1], x[2], x[3]) },
				func(z *apd.Decimal, x []*apd.Decimal) error {
					return refScoreHyperliquid(ctx, z, x[0], x[1], x[2], x[3])
				},
			},
			{
				"ScoreOKX",
				func(z *apd.Decimal, x []*apd.Decimal) error { return ScoreOKX(ctx, z, x[0], x[1]) },
				func(z *apd.Decimal, x []*apd.Decimal) error { return refScoreOKX(ctx, z, x[0], x[1]) },
			},
			{
				"BankruptQuote",
				func(z *apd.Decimal, x []*apd.Decimal) error {
					return BankruptQuote(ctx, z, x[0], x[1], x[2], x[3], x[4])
				},
				func(z *apd.Decimal, x []*apd.Decimal) error {
					return refBankruptQuote(ctx, z, x[0], x[1], x[2], x[3], x[4])
				},
			},
			{
				"Fillable",
				func(z *apd.Decimal, x []*apd.Decimal) error {
					return Fillable(ctx, z, x[0], x[1], x[2], x[3], x[4], x[5], x[6])
				},
				func(z *apd.Decimal, x []*apd.Decimal) error {
					return refFillable(ctx, z, x[0], x[1], x[2], x[3], x[4], x[5], x[6])
				},
			},
			{
				"InsuranceDelta",
				func(z *apd.Decimal, x []*apd.Decimal) error { return InsuranceDelta(ctx, z, x[0], x[1], x[2], x[3]) },
				func(z *apd.Decimal, x []*apd.Decimal) error { return refInsuranceDelta(ctx, z, x[0], x[1], x[2], x[3]) },
			},
			{
				"DriftBase",
				func(z *apd.Decimal, x []*apd.Decimal) error { return DriftBase(ctx, z, x[0], x[1], x[2], x[3], x[4]) },
				func(z *apd.Decimal, x []*apd.Decimal) error {
					return refDriftBase(ctx, z, x[0], x[1], x[2], x[3], x[4])
				},
			},
			{
				"DriftIfFee",
				func(z *apd.Decimal, x []*apd.Decimal) error {
					return DriftIfFee(ctx, z, x[0], x[1], x[2], x[3], x[4], x[5])
				},
				func(z *apd.Decimal, x []*apd.Decimal) error {
					return refDriftIfFee(ctx, z, x[0], x[1], x[2], x[3], x[4], x[5])
				},
			},
			{
				"PartialOKX",
				func(z *apd.Decimal, x []*apd.Decimal) error { return PartialOKX(ctx, z, x[0], tier, x[1]) },
				func(z *apd.Decimal, x []*apd.Decimal) error { return refPartialOKX(ctx, z, x[0], tier, x[1]) },
			},
			{
				"NotionalDYDX",
				func(z *apd.Decimal, x []*apd.Decimal) error {
					return NotionalDYDX(ctx, z, x[0], x[1], x[2], x[3], x[4], x[5])
				},
				func(z *apd.Decimal, x []*apd.Decimal) error {
					return refNotionalDYDX(ctx, z, x[0], x[1], x[2], x[3], x[4], x[5])
				},
			},
			{
				"Drawdown",
				func(z *apd.Decimal, x []*apd.Decimal) error { return Drawdown(ctx, z, x[0], x[1], x[2]) },
				func(z *apd.Decimal, x []*apd.Decimal) error { return refDrawdown(ctx, z, x[0], x[1], x[2]) },
			},
			{
				"ClawbackRate",
				func(z *apd.Decimal, x []*apd.Decimal) error { return ClawbackRate(ctx, z, x[0], x[1], x[2]) },
				func(z *apd.Decimal, x []*apd.Decimal) error { return refClawbackRate(ctx, z, x[0], x[1], x[2]) },
			},
		}
		run := func(f fn) (*apd.Decimal, error) {
			x := make([]*apd.Decimal, len(in))
			for i := range in {
				x[i] = new(apd.Decimal).Set(in[i])
			}
			z := dectest.D("-42.5")
			if alias > 0 {
				z = x[alias-1]
			}
			err := f(z, x)
			return z, err
		}
		for _, op := range ops {
			z, err := run(op.got)
			zr, errRef := run(op.ref)
			if !sameResult(z, zr, err, errRef) {
				var prec uint32
				var r apd.Rounder
				if ctx != nil {
					prec, r = ctx.Precision, ctx.Rounding
				}
				t.Fatalf("%s(%v) = %s (exp %d), error %v; apd gave %s (exp %d), error %v (ctx %d digits, %q, alias %d)",
					op.name, in, z, z.Exponent, err, zr, zr.Exponent, errRef, prec, r, alias)
			}
		}
	})
}
