package funding

import (
	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
)

// CapBitMEX sets z to BitMEX's cap on the magnitude of a funding rate,
// 75% of the difference between the initial and maintenance margin rates:
//
//	|F| <= 0.75 * (imr - mmr)
//
// (BitMEX blog, April 2020: 0.375% at 1% and 0.5%). Apply it with [Clamp].
// The result is exact when imr - mmr has at most 17 digits. z may alias any
// operand.
//
// Errors: [ErrMarginRate] (or a [derivmath.CheckDecimal] error) unless
// 0 < mmr <= imr <= 1.
func CapBitMEX(ctx *apd.Context, z, imr, mmr *apd.Decimal) error {
	if err := checkMarginRate(imr); err != nil {
		return err
	}
	if err := checkMarginRate(mmr); err != nil {
		return err
	}
	if mmr.Cmp(imr) > 0 {
		return ErrMarginRate
	}
	var d, f apd.Decimal
	if err := sub(ctx, &d, imr, mmr); err != nil {
		return wrap("bitmex cap", err)
	}
	err := mul(ctx, z, &d, threeQuarters(&f))
	return wrap("bitmex cap", err)
}

// ChangeCapBitMEX sets z to BitMEX's cap on the change of the funding rate
// from one interval to the next, 75% of the maintenance margin rate:
//
//	|F - F_prev| <= 0.75 * mmr
//
// (BitMEX blog, April 2020: 0.375% at 0.5%). Apply it with [ClampChange]. z
// may alias mmr.
//
// Errors: [ErrMarginRate] (or a [derivmath.CheckDecimal] error) for an mmr
// outside (0, 1].
func ChangeCapBitMEX(ctx *apd.Context, z, mmr *apd.Decimal) error {
	if err := checkMarginRate(mmr); err != nil {
		return err
	}
	var f apd.Decimal
	err := mul(ctx, z, mmr, threeQuarters(&f))
	return wrap("bitmex change cap", err)
}

// threeQuarters sets f to 0.75 and returns it.
func threeQuarters(f *apd.Decimal) *apd.Decimal {
	return f.SetFinite(75, -2)
}

// CapBinance sets z to Binance's cap on the magnitude of a funding rate, a
// multiple of the maintenance margin rate of the first (smallest) tier:
//
//	|F| <= factor * mmr
//
// factor was 0.75 for every symbol historically; Binance now sets the cap
// (and so the factor) per symbol, so it is a parameter (FORMULAS.md marks the
// current value as unconfirmed). Apply the cap with [Clamp]. z may alias any
// operand.
//
// Errors: [ErrFactor] (or a [derivmath.CheckDecimal] error) for a factor
// that is not positive, [ErrMarginRate] for an mmr outside (0, 1].
func CapBinance(ctx *apd.Context, z, factor, mmr *apd.Decimal) error {
	if err := derivmath.CheckDecimal(factor); err != nil {
		return err
	}
	if factor.Sign() <= 0 {
		return ErrFactor
	}
	if err := checkMarginRate(mmr); err != nil {
		return err
	}
	err := mul(ctx, z, factor, mmr)
	return wrap("binance cap", err)
}

// DefaultDeadBand sets z to 0.00025 (0.025%), Deribit's dead band, and
// returns z.
func DefaultDeadBand(z *apd.Decimal) *apd.Decimal {
	return z.SetFinite(25, -5)
}

// DeadBand sets z to Deribit's funding rate for 8 hours from the premium
// rate of the mark over the index, which ignores premiums within the band:
//
//	PR = (mark - index) / index
//	F  = max(band, PR) + min(-band, PR)
//
// that is F = PR - band above the band, PR + band below it, and 0 within
// it. band is usually [DefaultDeadBand] (0.025%). Deribit charges F
// continuously: see [Accrual]. The result is rounded twice (the quotient,
// then the band). z may alias any operand.
//
// Errors: [derivmath.CheckPrice] errors for mark and index (a zero index is
// derivmath.ErrPrice), [ErrBound] for a band outside [0, 1).
func DeadBand(ctx *apd.Context, z, mark, index, band *apd.Decimal) error {
	if err := derivmath.CheckPrice(mark); err != nil {
		return err
	}
	if err := derivmath.CheckPrice(index); err != nil {
		return err
	}
	if err := checkBound(band); err != nil {
		return err
	}
	var pr, lo apd.Decimal
	if err := sub(ctx, &pr, mark, index); err != nil {
		return wrap("dead band", err)
	}
	if err := quo(ctx, &pr, &pr, index); err != nil {
		return wrap("dead band", err)
	}
	lo.Neg(band)
	switch {
	case pr.Cmp(band) > 0:
		return wrap("dead band", sub(ctx, z, &pr, band))
	case pr.Cmp(&lo) < 0:
		return wrap("dead band", add(ctx, z, &pr, band))
	}
	z.SetInt64(0)
	return nil
}
