package margin

import (
	"math/bits"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
)

// A BitMEXPosition holds what BitMEX's integer margin accounting needs of
// a position, named after the fields of its API's position object. Amounts
// are whole minor units of the settlement currency (XBt, 0.00000001 XBT,
// for XBT-settled contracts; USDt, 0.000001 USDT, for USDT-settled ones);
// rates are fractions.
//
// A BitMEXPosition holds decimals: pass it by pointer and do not copy it
// after first use.
type BitMEXPosition struct {
	// Cost is posCost: the position's value at entry in minor units,
	// signed as BitMEX signs it (negative for an XBTUSD long). Only its
	// magnitude is used.
	Cost apd.Decimal
	// Cross is posCross, margin moved into the position to cover losses
	// (0 for a plain isolated position). At least 0.
	Cross apd.Decimal
	// Loss is posLoss, the loss already taken out of the position's
	// margin. At least 0.
	Loss apd.Decimal
	// InitMarginReq is initMarginReq, 1/leverage, in (0, 1]. BitMEX sends
	// it with float precision (0.3333333333333333 at 3x); pass it as sent.
	InitMarginReq apd.Decimal
	// MaintMarginReq is maintMarginReq, in [0, 1) and at most
	// InitMarginReq.
	MaintMarginReq apd.Decimal
	// Commission is the taker fee rate that the fee reserve is charged at
	// (XBTUSD: 0.00075), in [0, 1).
	Commission apd.Decimal
	// FundingReserve is an optional extra maintenance, in minor units,
	// such as [FundingReserve] of the next funding rate: 0 for none. It
	// is rounded up to a whole minor unit. BitMEX's rule for it is
	// unconfirmed (see [BitMEXPosition.Margin]).
	FundingReserve apd.Decimal
}

// Equal reports whether p and q hold numerically equal fields.
func (p *BitMEXPosition) Equal(q *BitMEXPosition) bool {
	return p.Cost.Cmp(&q.Cost) == 0 && p.Cross.Cmp(&q.Cross) == 0 &&
		p.Loss.Cmp(&q.Loss) == 0 && p.InitMarginReq.Cmp(&q.InitMarginReq) == 0 &&
		p.MaintMarginReq.Cmp(&q.MaintMarginReq) == 0 &&
		p.Commission.Cmp(&q.Commission) == 0 &&
		p.FundingReserve.Cmp(&q.FundingReserve) == 0
}

// BitMEX holds BitMEX's margin fields of a position, in whole minor units,
// as [BitMEXPosition.Margin] computes them. A BitMEX holds decimals: pass
// it by pointer and do not copy it after first use.
type BitMEX struct {
	// Init is posInit, the initial margin.
	Init apd.Decimal
	// Comm is posComm, the fee reserve: the taker fee to close at the
	// bankruptcy value.
	Comm apd.Decimal
	// Maint is posMaint, the maintenance margin, fee reserve included.
	Maint apd.Decimal
	// Margin is posMargin, the margin held by the position. It is
	// negative when Loss exceeds the rest, a position past bankruptcy.
	Margin apd.Decimal
}

// Equal reports whether b and c hold numerically equal fields.
func (b *BitMEX) Equal(c *BitMEX) bool {
	return b.Init.Cmp(&c.Init) == 0 && b.Comm.Cmp(&c.Comm) == 0 &&
		b.Maint.Cmp(&c.Maint) == 0 && b.Margin.Cmp(&c.Margin) == 0
}

// Margin sets z to p's margin fields, each rounded up (toward +infinity) to
// a whole minor unit, as BitMEX's integer accounting does:
//
//	posInit   = ceil(|posCost| * initMarginReq)
//	posComm   = ceil(commission * (|posCost| + posInit + posCross))
//	posMaint  = ceil(maintMarginReq * |posCost|) + posComm + ceil(fundingReserve)
//	posMargin = posInit + posComm + posCross - posLoss
//
// |posCost| + posInit is the value at the bankruptcy price of an isolated
// inverse long, so posComm is the taker fee to close there.
//
// Sources and honesty: the formulas are derivmath's reading of BitMEX's API
// fields (FORMULAS.md, section 2), checked against real snapshots. posComm
// is exact in most of them and sometimes 1 XBt higher. A real XBTUSD long
// (1 contract at 3933, 1x: posCost -25426, commission 0.075%, MMR 0.5%)
// shows posInit 25426, posComm 39 (ceil(38.139)) and posMargin 25465 exactly,
// but posMaint 169 where the documented part gives 128 + 39 = 167: the 2 XBt
// are a funding reserve whose rule BitMEX does not publish. Pass it in
// p.FundingReserve to reproduce such a snapshot.
//
// An exact product is taken up to the next integer directly; an inexact
// one is first rounded toward +infinity at ctx's precision, so every field
// is exactly the ceiling of its real-number formula whenever the result fits
// in ctx's precision. On error z is unchanged.
//
// Errors: derivmath.CheckDecimal errors; [ErrWhole] for a Cost, Cross or Loss
// that is not a whole number; [ErrAmount] for a negative Cross, Loss or
// FundingReserve; [ErrRate] for rates out of range (InitMarginReq in
// (0, 1], MaintMarginReq in [0, InitMarginReq], Commission in [0, 1));
// derivmath.ErrRange when a field does not fit in ctx's precision.
func (p *BitMEXPosition) Margin(ctx *apd.Context, z *BitMEX) error {
	if err := p.validate(); err != nil {
		return err
	}
	var cost, init, comm, maint, marg, t apd.Decimal
	cost.Abs(&p.Cost)
	if err := ceilMul(ctx, &init, &cost, &p.InitMarginReq); err != nil {
		return err
	}
	if err := addExact(ctx, &t, &cost, &init); err != nil {
		return err
	}
	if err := addExact(ctx, &t, &t, &p.Cross); err != nil {
		return err
	}
	if err := ceilMul(ctx, &comm, &t, &p.Commission); err != nil {
		return err
	}
	if err := ceilMul(ctx, &maint, &cost, &p.MaintMarginReq); err != nil {
		return err
	}
	if err := addExact(ctx, &maint, &maint, &comm); err != nil {
		return err
	}
	if !ceilWhole(&t, &p.FundingReserve) {
		if err := derivmath.Round(ctx, &t, &p.FundingReserve, &one, derivmath.Ceiling); err != nil {
			return err
		}
	}
	if err := addExact(ctx, &maint, &maint, &t); err != nil {
		return err
	}
	if err := addExact(ctx, &marg, &init, &comm); err != nil {
		return err
	}
	if err := addExact(ctx, &marg, &marg, &p.Cross); err != nil {
		return err
	}
	if err := subExact(ctx, &marg, &marg, &p.Loss); err != nil {
		return err
	}
	z.Init.Set(&init)
	z.Comm.Set(&comm)
	z.Maint.Set(&maint)
	z.Margin.Set(&marg)
	return nil
}

// validate checks p's fields.
func (p *BitMEXPosition) validate() error {
	for _, d := range [...]*apd.Decimal{&p.Cost, &p.Cross, &p.Loss} {
		if err := derivmath.CheckDecimal(d); err != nil {
			return err
		}
		if !whole(d) {
			return ErrWhole
		}
	}
	if p.Cross.Negative || p.Loss.Negative {
		return ErrAmount
	}
	if err := checkAmount(&p.FundingReserve); err != nil {
		return err
	}
	if err := checkIMR(&p.InitMarginReq); err != nil {
		return err
	}
	if err := checkMMR(&p.MaintMarginReq); err != nil {
		return err
	}
	if cmp(&p.MaintMarginReq, &p.InitMarginReq) > 0 {
		return ErrRate
	}
	return checkMMR(&p.Commission)
}

// whole reports whether the finite decimal d is an integer.
func whole(d *apd.Decimal) bool {
	if d.Exponent >= 0 {
		return true
	}
	if d.Coeff.IsUint64() {
		if -int64(d.Exponent) >= int64(len(pow10)) {
			return d.Coeff.Uint64() == 0 // a nonzero c < 10^20 is below 1
		}
		return d.Coeff.Uint64()%pow10[-d.Exponent] == 0
	}
	var i, f apd.Decimal
	d.Modf(&i, &f)
	return f.IsZero()
}

// ceilMul sets z = ceil(x*y) for x, y >= 0, exactly.
//
// At the default context a product that the fast path computes with fewer
// than ctx.Precision digits is exact, and its ceiling is taken in machine
// words. Otherwise the product is rounded toward +infinity: it is then at
// least x*y and, when ceil(x*y) fits in the precision, at most ceil(x*y)
// (an integer that fits is representable), so the ceiling that follows is
// exact.
func ceilMul(ctx *apd.Context, z, x, y *apd.Decimal) error {
	var p apd.Decimal
	if err := mul(ctx, &p, x, y); err != nil {
		return wrap("ceiling", err)
	}
	if short(ctx, &p) && ceilWhole(z, &p) {
		return nil
	}
	up := *ctx // a copy on the stack: the caller's context is only read
	up.Rounding = apd.RoundCeiling
	if _, err := up.Mul(&p, x, y); err != nil {
		return wrap("ceiling", err)
	}
	if err := derivmath.Round(&up, z, &p, &one, derivmath.Ceiling); err != nil {
		return err
	}
	return nil
}

// ceilWhole sets z to the ceiling of the finite decimal x >= 0 and reports
// true when x's coefficient fits in 64 bits and the result in 19 digits;
// otherwise it leaves z alone and reports false.
func ceilWhole(z, x *apd.Decimal) bool {
	if x.Form != apd.Finite || x.Negative || !x.Coeff.IsUint64() {
		return false
	}
	c := x.Coeff.Uint64()
	if x.Exponent >= 0 {
		if int64(x.Exponent) >= int64(len(pow10)) {
			return c == 0 && setWhole(z, 0)
		}
		hi, lo := bits.Mul64(c, pow10[x.Exponent])
		return hi == 0 && lo < pow10[19] && setWhole(z, lo)
	}
	if -int64(x.Exponent) >= int64(len(pow10)) {
		if c == 0 {
			return setWhole(z, 0)
		}
		return setWhole(z, 1) // 0 < x < 1
	}
	d := pow10[-x.Exponent]
	n := c / d
	if c%d != 0 {
		n++
	}
	return setWhole(z, n)
}

// setWhole sets z to the integer n and returns true.
func setWhole(z *apd.Decimal, n uint64) bool {
	z.Form = apd.Finite
	z.Negative = false
	z.Exponent = 0
	z.Coeff.SetUint64(n)
	return true
}
