package margin

import (
	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/num"
)

// A BitMEXPosition holds what BitMEX's integer margin accounting needs of
// a position, named after the fields of its API's position object. Amounts
// are whole minor units of the settlement currency (XBt, 0.00000001 XBT,
// for XBT-settled contracts; USDt, 0.000001 USDT, for USDT-settled ones);
// rates are fractions.
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
// as [BitMEXPosition.Margin] computes them.
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
// The formulas hold for every position Margin is given, whatever its side,
// mode and contract: it reads none of them. For an isolated inverse short at 1x
// or less, which can lose at most its margin, BitMEX reports posComm =
// posMaint = 0 instead (it never liquidates it): [BitMEXNeverLiquidates]
// says when, and a caller of Margin sets those two fields to 0 then, as
// package account does.
//
// Sources and honesty: the formulas are derivmath's reading of the fields
// of the position object of BitMEX's API, checked against real snapshots.
// posComm is exact in most of them and sometimes 1 XBt higher. A real
// XBTUSD long (1 contract at 3933, 1x: posCost -25426, commission 0.075%,
// MMR 0.5%) shows posInit 25426, posComm 39 (ceil(38.139)) and posMargin
// 25465 exactly, but posMaint 169 where the documented part gives
// 128 + 39 = 167: the 2 XBt are a funding reserve whose rule BitMEX does
// not publish. Pass it in p.FundingReserve to reproduce such a snapshot.
//
// Each product is rounded toward +infinity at ctx's precision, then up to
// the next integer, and the sums are exact, so every field is exactly the
// ceiling of its real-number formula whenever it fits in ctx's precision.
//
// Errors: derivmath.ErrContext for a nil ctx; derivmath.CheckDecimal errors;
// [ErrWhole] for a Cost, Cross or Loss that is not a whole number;
// [ErrAmount] for a negative Cross, Loss or FundingReserve; derivmath.ErrRate
// for rates out of range (InitMarginReq in (0, 1], MaintMarginReq in
// [0, InitMarginReq], Commission in [0, 1)); derivmath.ErrRange when a
// result does not fit in ctx's precision or lies outside the result range,
// or when one of the exact sums the results are computed from (|Cost| +
// posInit + Cross, and the like) needs more digits than ctx's precision,
// which can happen with every input short enough to fit (at 16 digits, a
// Cost of 9999999999999999 at BitMEX's rates). The inputs are not checked
// against the precision: a Cost or Cross longer than it fails in such a
// sum, and a rate longer than it only makes its product round (up). The
// error of an input field comes as a [*FieldError] naming the first field
// at fault, in the order of the struct (a MaintMarginReq above
// InitMarginReq is MaintMarginReq's); those of a nil ctx and of a result
// or a sum that does not fit do not.
func (p *BitMEXPosition) Margin(ctx *apd.Context, z *BitMEX) error {
	// Every step either is exact or rounds toward +infinity.
	up := num.In(ctx).WithMode(num.Ceiling)
	c := &up
	if c.Err != nil {
		return c.Err // a nil ctx
	}
	// Each field is loaded and checked in turn, in the order of the
	// struct, so that an error names the first field at fault.
	cost := loadWhole(c, &p.Cost).Abs()
	if c.Err != nil {
		return refused("Cost", c.Err)
	}
	cross := loadWhole(c, &p.Cross)
	if c.FailIf(cross.IsNeg(), ErrAmount); c.Err != nil {
		return refused("Cross", c.Err)
	}
	loss := loadWhole(c, &p.Loss)
	if c.FailIf(loss.IsNeg(), ErrAmount); c.Err != nil {
		return refused("Loss", c.Err)
	}
	imr := loadIMR(c, &p.InitMarginReq)
	if c.Err != nil {
		return refused("InitMarginReq", c.Err)
	}
	mmr := loadMMR(c, &p.MaintMarginReq)
	if c.FailIf(mmr.Cmp(imr) > 0, derivmath.ErrRate); c.Err != nil {
		return refused("MaintMarginReq", c.Err)
	}
	rate := loadMMR(c, &p.Commission)
	if c.Err != nil {
		return refused("Commission", c.Err)
	}
	fund := loadAmount(c, &p.FundingReserve)
	if c.Err != nil {
		return refused("FundingReserve", c.Err)
	}

	init := ceilMul(c, cost, imr)
	comm := ceilMul(c, c.AddExact(c.AddExact(cost, init), cross), rate)
	maint := c.AddExact(c.AddExact(ceilMul(c, cost, mmr), comm), c.RoundStep(fund, num.One, num.Ceiling))
	held := c.SubExact(c.AddExact(c.AddExact(init, comm), cross), loss)
	init, comm, maint, held = c.Result(init), c.Result(comm), c.Result(maint), c.Result(held)
	if c.Err != nil {
		return num.Wrap("margin: bitmex", c.Err)
	}
	init.Store(&z.Init)
	comm.Store(&z.Comm)
	maint.Store(&z.Maint)
	held.Store(&z.Margin)
	return nil
}

// BitMEXNeverLiquidates reports whether BitMEX never liquidates a position
// of qty contracts (signed: long > 0) on a contract of kind k at leverage,
// isolated when isolated is true, else cross: whether it is an isolated
// inverse short at a leverage above 0 and at most 1. Such a short can lose
// at most its margin (its loss tends to its entry value as the price rises,
// and its margin, entry value/leverage, is at least that), so it has no
// bankruptcy price: BitMEX reports posComm = posMaint = 0 for it and a
// sentinel liquidation price (100000000 has been seen), where
// [BitMEXPosition.Margin], which reads neither side, mode nor contract,
// gives a fee reserve and a maintenance. A leverage of 0 is none given, not
// one below 1: such a short is liquidated as usual, as are a long, a cross
// position and a linear or quanto one.
//
// This is the rule package account applies under its BitMEX convention.
//
// Source: BitMEX's API, the position object (posComm, posMaint,
// liquidationPrice), https://www.bitmex.com/api/explorer/.
//
// Errors: derivmath.CheckDecimal errors for qty and leverage;
// derivmath.ErrLeverage for a negative leverage. On error the result is
// false.
func BitMEXNeverLiquidates(k contract.Kind, qty, leverage *apd.Decimal, isolated bool) (bool, error) {
	q, err := num.Check(qty)
	if err != nil {
		return false, err
	}
	l, err := num.CheckAs(leverage, num.NonNegative, derivmath.ErrLeverage)
	if err != nil {
		return false, err
	}
	return BitMEXNeverLiquidatesDec(k, q, l, isolated), nil
}

// BitMEXNeverLiquidatesDec is the rule of [BitMEXNeverLiquidates] on
// internal/num's values, for derivmath's packages (the account's BitMEX
// positions); callers outside derivmath cannot use it. qty is signed
// (long > 0) and leverage at least 0 (0: none given).
func BitMEXNeverLiquidatesDec(k contract.Kind, qty, leverage num.Dec, isolated bool) bool {
	return isolated && k == contract.Inverse && qty.IsNeg() &&
		leverage.Sign() > 0 && leverage.Cmp(num.One) <= 0
}

// refused returns err, recorded while loading field of a BitMEXPosition,
// as a [*FieldError] naming it.
func refused(field string, err error) error {
	return &FieldError{Field: field, Err: num.Wrap("margin: bitmex", err)}
}

// loadWhole loads an amount in whole minor units, else [ErrWhole].
func loadWhole(c *num.Ctx, x *apd.Decimal) num.Dec {
	d := c.Check(x)
	c.FailIf(!whole(d), ErrWhole)
	return d
}

// whole reports whether the finite d is an integer.
func whole(d num.Dec) bool {
	if d.Exponent() >= 0 {
		return true
	}
	if _, ok := d.Int64(); ok {
		return true
	}
	// Beyond int64, or not whole: ask apd.
	var x, i, f apd.Decimal
	d.Store(&x)
	x.Modf(&i, &f)
	return f.IsZero()
}

// CeilMulDec is BitMEX's rounding of a product on internal/num's values,
// for derivmath's packages (the account's BitMEX figures); callers outside
// derivmath cannot use it. It returns x*y, for x, y >= 0, rounded up to a
// multiple of step (> 0): the product is rounded toward +infinity at c's
// precision, so it is at least x*y and, when the ceiling fits in c's
// precision (a multiple of step that fits is representable), at most the
// ceiling; the step rounding that follows gives exactly the ceiling. It
// records derivmath.ErrRange in c when the ceiling does not fit.
func CeilMulDec(c *num.Ctx, x, y, step num.Dec) num.Dec {
	up := c.WithMode(num.Ceiling)
	z := up.RoundStep(up.Mul(x, y), step, num.Ceiling)
	c.FailIf(up.Err != nil, up.Err)
	return z
}

// FlooredMaintenanceDec is a maintenance on internal/num's values, for
// derivmath's packages (the liquidation solver's and the account's); callers
// outside derivmath cannot use it. It returns MMR*v (v >= 0), rounded up to
// a multiple of minor unless minor is 0 (CeilMulDec: BitMEX's satoshi),
// less cum, and never below zero: a cum above MMR*v (a tier's kept after
// the value left it) leaves no maintenance, the rule of liquidation's
// Leg.Cum. Unlike [Maintenance], one tier's formula, which may be
// negative, it is floored.
func FlooredMaintenanceDec(c *num.Ctx, mmr, v, cum, minor num.Dec) num.Dec {
	var mm num.Dec
	if minor.IsZero() {
		mm = c.Mul(mmr, v)
	} else {
		mm = CeilMulDec(c, mmr, v, minor)
	}
	switch {
	case cum.IsZero():
		return mm
	case mm.Cmp(cum) <= 0:
		return num.Dec{}
	}
	return c.Sub(mm, cum)
}

// ceilMul returns ceil(x*y) in whole units for x, y >= 0 (CeilMulDec).
func ceilMul(c *num.Ctx, x, y num.Dec) num.Dec {
	return CeilMulDec(c, x, y, num.One)
}
