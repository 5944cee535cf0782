package margin_test

import (
	"errors"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/derivmath/derivmath/margin"
	"pgregory.net/rapid"
)

// ctxModel is what a computation must give in a context drawn by
// dectest.AnyContext (precision 1 to 50, any rounding, Inexact trapped
// now and then). once is a single operation rounded once from its exact
// value; add, sub, mul and quo are apd's operations in the context itself,
// for formulas whose godoc lets each operation round; exact steps must be
// exact or fail with derivmath.ErrRange. The first failure is kept.
type ctxModel struct {
	t       *rapid.T
	ctx     *apd.Context
	err     error
	rounded bool // the model rounded or kept an exact value (compare values only)
}

// sticky returns op(x, y) computed at 120 digits toward zero and, when
// that is inexact, with a 5 appended below its last digit: a number that
// every rounding to at most 119 digits rounds as it rounds the exact
// value (it lies strictly between the same two 120-digit neighbours).
func (m *ctxModel) sticky(op func(c *apd.Context, z, x, y *apd.Decimal) (apd.Condition, error), x, y *apd.Decimal) *apd.Decimal {
	c := apd.BaseContext.WithPrecision(120)
	c.Rounding = apd.RoundDown
	var z apd.Decimal
	cond, err := op(c, &z, x, y)
	if err != nil {
		m.t.Fatalf("oracle: %v", err)
	}
	if cond.Inexact() {
		var half apd.Decimal
		half.SetFinite(5, z.Exponent-1)
		half.Negative = z.Negative
		if _, err := apd.BaseContext.WithPrecision(200).Add(&z, &z, &half); err != nil {
			m.t.Fatalf("oracle: %v", err)
		}
	}
	return &z
}

// round rounds x once to the context's precision in its rounding,
// failing as the context's traps do.
func (m *ctxModel) round(x *apd.Decimal) *apd.Decimal {
	z := new(apd.Decimal)
	if m.err != nil {
		return z
	}
	r := apd.BaseContext.WithPrecision(m.ctx.Precision)
	r.Rounding = m.ctx.Rounding
	r.Traps = 0
	cond, _ := r.Round(z, x)
	if _, err := cond.GoError(m.ctx.Traps); err != nil {
		m.err = err
	}
	return z
}

// once is op(x, y) rounded once in the context.
func (m *ctxModel) once(op func(c *apd.Context, z, x, y *apd.Decimal) (apd.Condition, error), x, y *apd.Decimal) *apd.Decimal {
	m.rounded = true
	if m.err != nil {
		return new(apd.Decimal)
	}
	return m.round(m.sticky(op, x, y))
}

// exact is op(x, y) exactly, or derivmath.ErrRange when that needs more
// digits than the context's precision (value - BaseRiskLimit for a Steps
// count included: the count is exact only if its operand is).
func (m *ctxModel) exact(op func(c *apd.Context, z, x, y *apd.Decimal) (apd.Condition, error), x, y *apd.Decimal) *apd.Decimal {
	m.rounded = true
	z := m.sticky(op, x, y)
	if m.err == nil && z.NumDigits() > int64(m.ctx.Precision) {
		var r apd.Decimal
		r.Reduce(z)
		if r.NumDigits() > int64(m.ctx.Precision) {
			m.err = derivmath.ErrRange
		}
	}
	return z
}

func (m *ctxModel) in(op func(c *apd.Context, z, x, y *apd.Decimal) (apd.Condition, error), x, y *apd.Decimal) *apd.Decimal {
	z := new(apd.Decimal)
	if m.err == nil {
		if _, err := op(m.ctx, z, x, y); err != nil {
			m.err = err
		}
	}
	return z
}

func (m *ctxModel) add(x, y *apd.Decimal) *apd.Decimal { return m.in((*apd.Context).Add, x, y) }
func (m *ctxModel) sub(x, y *apd.Decimal) *apd.Decimal { return m.in((*apd.Context).Sub, x, y) }
func (m *ctxModel) mul(x, y *apd.Decimal) *apd.Decimal { return m.in((*apd.Context).Mul, x, y) }
func (m *ctxModel) quo(x, y *apd.Decimal) *apd.Decimal { return m.in((*apd.Context).Quo, x, y) }

// gate is the model's error, or the result gate applied to x.
func (m *ctxModel) gate(x *apd.Decimal) (*apd.Decimal, error) {
	if m.err != nil {
		return nil, m.err
	}
	return dectest.Gate(x)
}

// sameError reports whether err is the model's: both nil, the same
// derivmath sentinel (for ErrRange from an exact step, also the Inexact
// that ctx traps), or the same apd condition wrapped with the function's
// name.
func sameError(ctx *apd.Context, err, model error) bool {
	if err == nil || model == nil {
		return err == nil && model == nil
	}
	if errors.Is(model, derivmath.ErrRange) {
		return errors.Is(err, derivmath.ErrRange) || trapped(err, ctx)
	}
	u := errors.Unwrap(err)
	return u != nil && u.Error() == model.Error()
}

// trapped reports whether err is apd's Inexact condition, wrapped, in a
// context that traps it: an exact step that is not reports it so there,
// as the package doc says of every condition the context traps.
func trapped(err error, ctx *apd.Context) bool {
	u := errors.Unwrap(err)
	return ctx.Traps&apd.Inexact != 0 && u != nil && u.Error() == apd.Inexact.String()
}

// anyDec draws a nonnegative decimal of 1 to 25 digits at a scale of -5 to
// 12: wide enough that low precisions round it, or cannot hold it.
func anyDec(t *rapid.T, label string) *apd.Decimal {
	digits := rapid.IntRange(1, 25).Draw(t, label+"Digits")
	var z apd.Decimal
	z.Coeff.SetUint64(rapid.Uint64Range(1, 9).Draw(t, label+"Lead"))
	for range digits - 1 {
		z.Coeff.Mul(&z.Coeff, apd.NewBigInt(10))
		z.Coeff.Add(&z.Coeff, apd.NewBigInt(int64(rapid.IntRange(0, 9).Draw(t, label+"Digit"))))
	}
	z.Exponent = -rapid.Int32Range(-5, 12).Draw(t, label+"Scale")
	if rapid.IntRange(0, 9).Draw(t, label+"Zero") == 0 {
		z.SetInt64(0)
	}
	return &z
}

// anyRate draws a rate in [0, 1) of up to 20 decimals.
func anyRate(t *rapid.T, label string) *apd.Decimal {
	places := rapid.Int32Range(1, 20).Draw(t, label+"Places")
	var z apd.Decimal
	var lim apd.BigInt
	lim.Exp(apd.NewBigInt(10), apd.NewBigInt(int64(places)), nil)
	if places > 18 {
		z.Coeff.SetUint64(rapid.Uint64Range(0, 999_999_999_999_999_999).Draw(t, label))
		z.Coeff.Mul(&z.Coeff, apd.NewBigInt(int64(rapid.IntRange(1, 9).Draw(t, label+"Top"))))
		z.Exponent = -places
		if z.Cmp(apd.New(1, 0)) >= 0 {
			z.SetFinite(5, -1)
		}
		return &z
	}
	z.SetFinite(rapid.Int64Range(0, lim.Int64()-1).Draw(t, label), -places)
	return &z
}

// anyLeverage draws a leverage in [1, 1000] of up to 8 decimals.
func anyLeverage(t *rapid.T, label string) *apd.Decimal {
	var z apd.Decimal
	places := rapid.Int32Range(0, 8).Draw(t, label+"Places")
	var lim apd.BigInt
	lim.Exp(apd.NewBigInt(10), apd.NewBigInt(int64(places)), nil)
	z.SetFinite(rapid.Int64Range(lim.Int64(), 1000*lim.Int64()).Draw(t, label), -places)
	return &z
}

// TestPropAnyContext: in any context, each computation gives its exact
// value rounded once where its godoc states one rounding (Initial, IMR,
// Ratio, FundingReserve, Steps.Maintenance and Steps.Initial), apd's
// operations in that context where each operation rounds (Maintenance,
// Cum, Position, Available, FeeToClose, Order, Tiers.Maintenance and
// SizeLinear's rates and margins), the exact count and rates of a Steps
// schedule, all after the result gate; or the same failure (ErrRange, the
// condition the context traps, a *TierError), with z unchanged.
func TestPropAnyContext(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := dectest.AnyContext(t)
		value, value2 := anyDec(t, "value"), anyDec(t, "value2")
		lev := anyLeverage(t, "lev")
		mmr, prev, taker := anyRate(t, "mmr"), anyRate(t, "prevMMR"), anyRate(t, "taker")
		if mmr.Cmp(prev) < 0 {
			mmr, prev = prev, mmr
		}
		cum, floor := anyDec(t, "cum"), anyDec(t, "floor")
		wallet, upnl := anyDec(t, "wallet"), anyDec(t, "upnl")
		upnl.Negative = !upnl.IsZero() && rapid.Bool().Draw(t, "loss")
		rate := anyRate(t, "rate")
		rate.Negative = !rate.IsZero() && rapid.Bool().Draw(t, "rateNeg")
		qty := anyDec(t, "qty")
		qty.Negative = !qty.IsZero() && rapid.Bool().Draw(t, "short")
		balance := anyDec(t, "balance")
		if balance.IsZero() {
			balance.SetInt64(1)
		}
		spec := drawSpec(t)
		var price apd.Decimal
		price.SetFinite(rapid.Int64Range(1, 1_000_000_000).Draw(t, "price"), -rapid.Int32Range(0, 4).Draw(t, "priceScale"))
		steps := &margin.Steps{}
		steps.BaseRiskLimit.Set(anyDec(t, "base"))
		steps.Step.SetFinite(rapid.Int64Range(1, 999).Draw(t, "step"), rapid.Int32Range(-3, 3).Draw(t, "stepExp"))
		steps.BaseMM.SetFinite(rapid.Int64Range(1, 49).Draw(t, "baseMM"), -rapid.Int32Range(2, 5).Draw(t, "baseMMPlaces"))
		steps.BaseIM.Set(&steps.BaseMM)
		if rapid.Bool().Draw(t, "doubleIM") {
			steps.BaseIM.Coeff.Mul(&steps.BaseIM.Coeff, apd.NewBigInt(2))
		}
		one := apd.New(1, 0)

		// The exact step count and rates, for a value within the schedule.
		stepRates := func(m *ctxModel) (n, mm, im *apd.Decimal) {
			n = new(apd.Decimal)
			if value.Cmp(&steps.BaseRiskLimit) > 0 {
				q := m.sticky((*apd.Context).Quo, m.exact((*apd.Context).Sub, value, &steps.BaseRiskLimit), &steps.Step)
				if _, err := apd.BaseContext.WithPrecision(200).Ceil(n, q); err != nil {
					t.Fatal(err)
				}
				// The count is a whole number: ErrRange past the precision.
				if whole := n.Text('f'); m.err == nil && len(whole) > int(ctx.Precision) {
					m.err = derivmath.ErrRange
				}
			}
			imn := m.exact((*apd.Context).Mul, n, &steps.BaseMM)
			mm = m.exact((*apd.Context).Add, imn, &steps.BaseMM)
			im = m.exact((*apd.Context).Add, imn, &steps.BaseIM)
			if m.err == nil && im.Cmp(one) > 0 {
				m.err = errIMR
			}
			return n, mm, im
		}

		tiers, dl := margin.BTCUSDT(), margin.DeribitBTC()
		var position, oqty, best apd.Decimal
		position.Set(qty)
		oqty.SetFinite(rapid.Int64Range(1, 1_000_000_000).Draw(t, "orderQty"), -rapid.Int32Range(0, 6).Draw(t, "orderScale"))
		oqty.Negative = rapid.Bool().Draw(t, "sell")
		if rapid.Bool().Draw(t, "touch") {
			best.SetFinite(rapid.Int64Range(1, 1_000_000_000).Draw(t, "best"), -rapid.Int32Range(0, 4).Draw(t, "bestScale"))
		}
		// value is the value of |n| contracts at price: |n|*m*price, or
		// |n|*m/price for Inverse.
		valueOf := func(m *ctxModel, n, price *apd.Decimal) *apd.Decimal {
			v := m.mul(n, &spec.Multiplier)
			v.Negative = false
			if spec.Kind == contract.Inverse {
				return m.quo(v, price)
			}
			return m.mul(v, price)
		}
		// sizeRates are SizeLinear's rates at size value, each operation
		// in the context.
		sizeRates := func(m *ctxModel) (im, mm *apd.Decimal) {
			im = m.add(m.mul(value, &dl.IMSlope), &dl.BaseIM)
			mm = m.add(m.mul(value, &dl.MMSlope), &dl.BaseMM)
			if m.err == nil && (im.Cmp(one) > 0 || mm.Cmp(one) >= 0) {
				m.err = errIMR
			}
			return im, mm
		}

		kernels := []struct {
			name  string
			fn    func(z *apd.Decimal) error
			model func(m *ctxModel) *apd.Decimal
		}{
			{
				"Initial", func(z *apd.Decimal) error { return margin.Initial(ctx, z, value, lev) },
				func(m *ctxModel) *apd.Decimal { return m.once((*apd.Context).Quo, value, lev) },
			},
			{
				"IMR", func(z *apd.Decimal) error { return margin.IMR(ctx, z, lev) },
				func(m *ctxModel) *apd.Decimal { return m.once((*apd.Context).Quo, one, lev) },
			},
			{
				"Ratio", func(z *apd.Decimal) error { return margin.Ratio(ctx, z, value, balance) },
				func(m *ctxModel) *apd.Decimal { return m.once((*apd.Context).Quo, value, balance) },
			},
			{
				"FundingReserve", func(z *apd.Decimal) error { return margin.FundingReserve(ctx, z, qty, value, rate) },
				func(m *ctxModel) *apd.Decimal {
					if qty.IsZero() || rate.IsZero() || qty.Negative != rate.Negative {
						return new(apd.Decimal)
					}
					r := new(apd.Decimal).Abs(rate)
					return m.once((*apd.Context).Mul, value, r)
				},
			},
			{
				"Maintenance", func(z *apd.Decimal) error { return margin.Maintenance(ctx, z, value, mmr, cum) },
				func(m *ctxModel) *apd.Decimal { return m.sub(m.mul(value, mmr), cum) },
			},
			{
				"Cum", func(z *apd.Decimal) error { return margin.Cum(ctx, z, cum, floor, mmr, prev) },
				func(m *ctxModel) *apd.Decimal { return m.add(cum, m.mul(m.sub(mmr, prev), floor)) },
			},
			{
				"Position", func(z *apd.Decimal) error { return margin.Position(ctx, z, value, lev, value2) },
				func(m *ctxModel) *apd.Decimal { return m.add(m.quo(value, lev), value2) },
			},
			{
				"Available", func(z *apd.Decimal) error { return margin.Available(ctx, z, wallet, upnl, value) },
				func(m *ctxModel) *apd.Decimal {
					a := m.sub(m.add(wallet, upnl), value)
					if a.Negative {
						return new(apd.Decimal)
					}
					return a
				},
			},
			{
				"FeeToClose", func(z *apd.Decimal) error { return margin.FeeToClose(ctx, z, spec, qty, &price, lev, taker) },
				func(m *ctxModel) *apd.Decimal {
					// The value at entry, |qty|*m*price or |qty|*m/price.
					v := m.mul(qty, &spec.Multiplier)
					v.Negative = false
					if spec.Kind == contract.Inverse {
						v = m.quo(v, &price)
					} else {
						v = m.mul(v, &price)
					}
					k := m.add(lev, one)
					if qty.Negative == (spec.Kind == contract.Inverse) {
						if lev.Cmp(one) <= 0 {
							return new(apd.Decimal)
						}
						k = m.sub(lev, one)
					}
					return m.quo(m.mul(m.mul(taker, v), k), lev)
				},
			},
			{
				"Steps.Count", func(z *apd.Decimal) error { return steps.Count(ctx, z, value) },
				func(m *ctxModel) *apd.Decimal { n, _, _ := stepRates(m); return n },
			},
			{
				"Steps.MMR", func(z *apd.Decimal) error { return steps.MMR(ctx, z, value) },
				func(m *ctxModel) *apd.Decimal { _, mm, _ := stepRates(m); return mm },
			},
			{
				"Steps.IMR", func(z *apd.Decimal) error { return steps.IMR(ctx, z, value) },
				func(m *ctxModel) *apd.Decimal { _, _, im := stepRates(m); return im },
			},
			{
				"Steps.Maintenance", func(z *apd.Decimal) error { return steps.Maintenance(ctx, z, value) },
				func(m *ctxModel) *apd.Decimal { _, mm, _ := stepRates(m); return m.once((*apd.Context).Mul, value, mm) },
			},
			{
				"Steps.Initial", func(z *apd.Decimal) error { return steps.Initial(ctx, z, value) },
				func(m *ctxModel) *apd.Decimal { _, _, im := stepRates(m); return m.once((*apd.Context).Mul, value, im) },
			},
			{
				"Order", func(z *apd.Decimal) error { return margin.Order(ctx, z, spec, &position, &oqty, &price, &best, lev) },
				func(m *ctxModel) *apd.Decimal {
					p := &price
					if !best.IsZero() && oqty.Negative == (best.Cmp(&price) > 0) {
						p = &best
					}
					open := new(apd.Decimal).Abs(&oqty)
					if !position.IsZero() && position.Negative != oqty.Negative {
						open = m.sub(open, new(apd.Decimal).Abs(&position))
					}
					if m.err != nil || open.Sign() <= 0 {
						return new(apd.Decimal)
					}
					return m.quo(valueOf(m, open, p), lev)
				},
			},
			{
				"Tiers.Maintenance", func(z *apd.Decimal) error { return tiers.Maintenance(ctx, z, value) },
				func(m *ctxModel) *apd.Decimal {
					tier, err := tiers.Lookup(value)
					if err != nil {
						m.err = err
						return new(apd.Decimal)
					}
					return m.sub(m.mul(value, &tier.MMR), &tier.Cum)
				},
			},
			{
				"SizeLinear.IMR", func(z *apd.Decimal) error { return dl.IMR(ctx, z, value) },
				func(m *ctxModel) *apd.Decimal { im, _ := sizeRates(m); return im },
			},
			{
				"SizeLinear.MMR", func(z *apd.Decimal) error { return dl.MMR(ctx, z, value) },
				func(m *ctxModel) *apd.Decimal { _, mm := sizeRates(m); return mm },
			},
			{
				"SizeLinear.Initial", func(z *apd.Decimal) error { return dl.Initial(ctx, z, value, value2) },
				func(m *ctxModel) *apd.Decimal { im, _ := sizeRates(m); return m.mul(value2, im) },
			},
			{
				"SizeLinear.Maintenance", func(z *apd.Decimal) error { return dl.Maintenance(ctx, z, value, value2) },
				func(m *ctxModel) *apd.Decimal { _, mm := sizeRates(m); return m.mul(value2, mm) },
			},
		}
		for _, k := range kernels {
			z := dectest.D("-42.5")
			err := k.fn(z)
			m := &ctxModel{t: t, ctx: ctx}
			want, wantErr := m.gate(k.model(m))
			if errors.Is(wantErr, errIMR) || errors.As(wantErr, new(*margin.TierError)) {
				var te *margin.TierError
				if !errors.As(err, &te) {
					t.Fatalf("%s: error %v, want a *margin.TierError (initial rate above 1)", k.name, err)
				}
			} else if !sameError(ctx, err, wantErr) {
				t.Fatalf("%s = %s, error %v; model %v, error %v (ctx %d digits, %q, traps %v)",
					k.name, z, err, want, wantErr, ctx.Precision, ctx.Rounding, ctx.Traps)
			}
			if err != nil {
				if z.CmpTotal(dectest.D("-42.5")) != 0 {
					t.Fatalf("%s failed (%v) and changed z to %s", k.name, err, z)
				}
				continue
			}
			// An exact or rounded-once result is compared by value: apd's
			// operations keep trailing zeros (1/1.01 is 1.0 at one digit;
			// 0.05 + 0.05 is 0.10) that the exact value does not.
			if z.Cmp(want) != 0 || !m.rounded && z.CmpTotal(want) != 0 {
				t.Fatalf("%s = %s, model %s (ctx %d digits, %q)", k.name, z, want, ctx.Precision, ctx.Rounding)
			}
		}
	})
}

// errIMR marks a model whose schedule's initial rate passes 1: the
// computation must return a *margin.TierError.
var errIMR = errors.New("initial rate above 1")

// TestFundingReserveShortCeiling: a short's reserve at a negative rate is
// value*|rate| rounded in the context's rounding, as a long's is. It was
// value*rate rounded, then made positive: in a context rounding up (as a
// caller following BitMEX's satoshi rounding up may use) a short's reserve
// was rounded down.
func TestFundingReserveShortCeiling(t *testing.T) {
	ctx := apd.BaseContext.WithPrecision(19)
	ctx.Rounding = apd.RoundCeiling
	value := dectest.D("1.111111111111111111")
	for _, c := range []struct{ qty, rate string }{{"1", "0.77"}, {"-1", "-0.77"}} {
		var z apd.Decimal
		if err := margin.FundingReserve(ctx, &z, dectest.D(c.qty), value, dectest.D(c.rate)); err != nil {
			t.Fatal(err)
		}
		// 1.111111111111111111*0.77 = 0.85555555555555555547, up.
		if want := dectest.D("0.8555555555555555555"); z.Cmp(want) != 0 {
			t.Errorf("FundingReserve(qty %s, rate %s) = %s, want %s", c.qty, c.rate, &z, want)
		}
	}
}
