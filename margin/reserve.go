package margin

import (
	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/num"
)

// FeeToClose sets z to the fee reserve of a position of qty contracts
// (signed: long > 0) entered at entry with leverage: the taker fee to close
// it at its bankruptcy price, taker*value(P_B), where P_B is the bankruptcy
// price of an isolated position with margin value(EP)/leverage and no fees.
// Because value is affine in the bankruptcy loss, this is, with v =
// value(EP):
//
//	Linear, Quanto: long taker*v*(1 - 1/lev), short taker*v*(1 + 1/lev)
//	Inverse:        long taker*v*(1 + 1/lev), short taker*v*(1 - 1/lev)
//
// computed as taker*v*(lev -+ 1)/lev. This is Bybit's "fee to close"
// (Bybit's formula, exact against a real XRPUSDT long of 75 at 0.3615, 10x,
// taker 0.06%, MMR 1%: 0.01464075 USDT, so IM 2.72589075 and MM 0.28576575
// USDT; for inverse contracts the same rule at the inverse bankruptcy
// price, unconfirmed against a real position). A flat position (qty 0)
// needs none.
//
// For a bankruptcy value computed another way (the liquidation package's
// solver, or BitMEX's |posCost| + posInit, which [BitMEXPosition.Margin]
// uses), the reserve is simply taker times that value.
//
// s must not be nil.
//
// Errors: derivmath.ErrContext for a nil ctx, contract.ErrKind or
// contract.ErrMultiplier for a Spec that would not validate,
// derivmath.CheckDecimal errors for qty, derivmath.CheckPrice errors for
// entry, derivmath.CheckLeverage errors, derivmath.ErrRate for a taker rate
// outside [0, 1).
func FeeToClose(ctx *apd.Context, z *apd.Decimal, s *contract.Spec, qty, entry, leverage, taker *apd.Decimal) error {
	c := num.In(ctx)
	m := s.LoadMultiplier(c)
	q, e := c.Check(qty), c.CheckPrice(entry)
	l, t := c.CheckLeverage(leverage), loadMMR(c, taker)
	d := FeeToCloseDec(c, s.ValueOf(c, m, q, e), l, t, q.IsNeg(), s.Kind == contract.Inverse)
	return num.Wrap("margin: fee to close", c.Store(z, d))
}

// FeeToCloseDec is the formula of [FeeToClose] on internal/num's values,
// for derivmath's packages (the account's fee reserve); callers outside
// derivmath cannot use it. It is taker*v*(lev -+ 1)/lev, in that order,
// for v the value at entry (not negative) of a position that is short
// when neg, on an inverse contract when inverse: lev - 1 when the
// bankruptcy value is below v (a linear or quanto long, an inverse
// short), lev + 1 otherwise. For the former at a leverage of 1 or less
// (which the account layer's venues admit, and FeeToClose does not) the
// position has no positive bankruptcy price (entry*(1 - 1/lev) for a
// linear long, entry*lev/(lev - 1) for an inverse short) and the fee is 0
// (derived).
func FeeToCloseDec(c *num.Ctx, v, lev, taker num.Dec, neg, inverse bool) num.Dec {
	k := c.Add(lev, num.One)
	if neg == inverse {
		if lev.Cmp(num.One) <= 0 {
			return num.Dec{}
		}
		k = c.Sub(lev, num.One)
	}
	return c.Quo(c.Mul(c.Mul(taker, v), k), lev)
}

// FundingReserve sets z to the funding reserve of a position of qty
// contracts (signed: long > 0) worth value, when the next funding rate is
// rate: value*|rate| if the position will pay that funding (a long when
// rate > 0, a short when rate < 0), and 0 if it will receive it or is flat.
//
// BitMEX's real position snapshots show such a reserve in posMaint, the rate
// applied to |posCost| and rounded up to the satoshi, but BitMEX does not
// document the rule: it is unconfirmed, and this function is an explicit,
// optional input to a maintenance margin, never applied implicitly. Round
// the result up to the minor unit for BitMEX
// ([BitMEXPosition.FundingReserve] does).
//
// Errors: derivmath.ErrContext for a nil ctx, derivmath.CheckDecimal errors,
// [ErrNotional] for a negative value, derivmath.CheckRate errors
// (derivmath.ErrRate for a rate outside (-1, 1)).
func FundingReserve(ctx *apd.Context, z, qty, value, rate *apd.Decimal) error {
	c := num.In(ctx)
	q, v, r := c.Check(qty), loadNotional(c, value), c.CheckRate(rate)
	var d num.Dec
	if !q.IsZero() && !r.IsZero() && q.IsNeg() == r.IsNeg() {
		d = c.Mul(v, r.Abs())
	}
	return num.Wrap("margin: funding reserve", c.Store(z, d))
}
