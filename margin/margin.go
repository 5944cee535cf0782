package margin

import (
	"fmt"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/internal/fastdec"
)

// Initial sets z to the initial margin of a position worth value at
// leverage: value*IMR with IMR = 1/leverage, computed as value/leverage,
// rounded once to ctx's precision.
//
// Which value to pass is the exchange's rule, not this function's: BitMEX
// and Bybit margin an isolated position on its value at entry
// (value(EP), or BitMEX's |posCost|); Binance margins a cross position on
// its notional at the mark price. z may alias any operand.
//
// Errors: derivmath.CheckDecimal errors, [ErrNotional] for a negative value,
// derivmath.CheckLeverage errors (derivmath.ErrLeverage below 1).
func Initial(ctx *apd.Context, z, value, leverage *apd.Decimal) error {
	if fastdec.Default(ctx) {
		// The same checks and division on values loaded once; anything
		// else, errors included, takes the general path.
		v, okv := fastdec.LoadChecked(value, derivmath.MaxScale)
		l, okl := fastdec.LoadChecked(leverage, derivmath.MaxScale)
		if okv && okl && !v.Neg && l.Cmp(fastdec.Dec{C: 1}) >= 0 {
			if im, ok := v.Quo(l); ok {
				im.Store(z)
				return nil
			}
		}
	}
	if err := checkNotional(value); err != nil {
		return err
	}
	if err := derivmath.CheckLeverage(leverage); err != nil {
		return err
	}
	return wrap("initial", quo(ctx, z, value, leverage))
}

// IMR sets z to the initial margin rate of leverage, 1/leverage (BitMEX's
// initMarginReq), rounded to ctx's precision. z may alias leverage.
//
// Errors: derivmath.CheckLeverage errors.
func IMR(ctx *apd.Context, z, leverage *apd.Decimal) error {
	if err := derivmath.CheckLeverage(leverage); err != nil {
		return err
	}
	err := quo(ctx, z, &one, leverage)
	return wrap("imr", err)
}

// Maintenance sets z to the maintenance margin of a position worth value at
// a maintenance rate mmr, less the maintenance amount cum:
//
//	MM = value*MMR - cum
//
// This is Binance's formula for one tier (cum is its "maintenance amount")
// and Bybit's (cum is its "deduction"); BitMEX and Deribit have cum = 0.
// For a tiered schedule use [Tiers.Maintenance], which picks MMR and cum
// by notional. The result is not clamped: a cum larger than value*mmr (a
// tier applied outside its range) gives a negative z. z may alias any
// operand.
//
// Errors: derivmath.CheckDecimal errors, [ErrNotional] for a negative value,
// [ErrRate] for an mmr outside [0, 1), [ErrAmount] for a negative cum.
func Maintenance(ctx *apd.Context, z, value, mmr, cum *apd.Decimal) error {
	if err := checkNotional(value); err != nil {
		return err
	}
	if err := checkMMR(mmr); err != nil {
		return err
	}
	if err := checkAmount(cum); err != nil {
		return err
	}
	return maintenance(ctx, z, value, mmr, cum)
}

// Cum sets z to the maintenance amount of a tier whose floor is floor and
// rate mmr, following the tier below it (rate prevMMR, amount prevCum), by
// Binance's recurrence:
//
//	cum_n = cum_(n-1) + floor_n*(MMR_n - MMR_(n-1))
//
// which makes value*MMR - cum continuous at the floor (Binance's FAQ on
// leverage and margin of USD-M futures: floor 250,000, MMR 1% after 0.5%,
// previous amount 50 gives 1,300). The first tier's amount is 0. z may
// alias any operand.
//
// Errors: derivmath.CheckDecimal errors, [ErrNotional] for a negative floor,
// [ErrRate] for a rate outside [0, 1), [ErrTierRate] when mmr < prevMMR,
// [ErrAmount] for a negative prevCum.
func Cum(ctx *apd.Context, z, prevCum, floor, mmr, prevMMR *apd.Decimal) error {
	if err := checkAmount(prevCum); err != nil {
		return err
	}
	if err := checkNotional(floor); err != nil {
		return err
	}
	if err := checkMMR(mmr); err != nil {
		return err
	}
	if err := checkMMR(prevMMR); err != nil {
		return err
	}
	if cmp(mmr, prevMMR) < 0 {
		return ErrTierRate
	}
	var step apd.Decimal
	if err := sub(ctx, &step, mmr, prevMMR); err != nil {
		return wrap("cum", err)
	}
	if err := mul(ctx, &step, &step, floor); err != nil {
		return wrap("cum", err)
	}
	err := add(ctx, z, prevCum, &step)
	return wrap("cum", err)
}

// one is a read-only constant: never pass it as a result.
var one = *apd.New(1, 0)

// checkNotional validates a value, notional or floor: valid and >= 0.
func checkNotional(x *apd.Decimal) error {
	if err := derivmath.CheckDecimal(x); err != nil {
		return err
	}
	if x.Negative {
		return ErrNotional
	}
	return nil
}

// checkAmount validates an amount: valid and >= 0.
func checkAmount(x *apd.Decimal) error {
	if err := derivmath.CheckDecimal(x); err != nil {
		return err
	}
	if x.Negative {
		return ErrAmount
	}
	return nil
}

// checkMMR validates a maintenance rate (or a taker rate): in [0, 1).
func checkMMR(x *apd.Decimal) error {
	if err := derivmath.CheckDecimal(x); err != nil {
		return err
	}
	if x.Negative || cmp(x, &one) >= 0 {
		return ErrRate
	}
	return nil
}

// checkIMR validates an initial rate: in (0, 1].
func checkIMR(x *apd.Decimal) error {
	if err := derivmath.CheckDecimal(x); err != nil {
		return err
	}
	if x.Sign() <= 0 || cmp(x, &one) > 0 {
		return ErrRate
	}
	return nil
}

// checkSigned validates a signed rate: in (-1, 1).
func checkSigned(x *apd.Decimal) error {
	if err := derivmath.CheckDecimal(x); err != nil {
		return err
	}
	var a apd.Decimal
	if cmp(a.Abs(x), &one) >= 0 {
		return ErrRate
	}
	return nil
}

// exact turns an apd result into an error: apd's (wrapped), or
// derivmath.ErrRange when the result was rounded.
func exact(res apd.Condition, err error) error {
	if err != nil {
		return wrap("exact", err)
	}
	if res.Inexact() {
		return derivmath.ErrRange
	}
	return nil
}

// wrap wraps an apd failure with the operation's name; nil stays nil.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("margin: %s: %w", op, err)
}
