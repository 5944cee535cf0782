package funding

import (
	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/internal/num"
)

// CapBitMEX sets z to BitMEX's cap on the magnitude of a funding rate,
// 75% of the difference between the initial and maintenance margin rates:
//
//	|F| <= 0.75 * (imr - mmr)
//
// (BitMEX blog, April 2020: 0.375% at 1% and 0.5%). Apply it with [Clamp].
// The result is exact at precision 19 when imr - mmr has at most 17 digits.
//
// Errors: derivmath.ErrContext for a nil ctx, [ErrMarginRate] (or a
// [derivmath.CheckDecimal] error) unless 0 < mmr <= imr <= 1.
func CapBitMEX(ctx *apd.Context, z, imr, mmr *apd.Decimal) error {
	c := num.In(ctx)
	i, m := checkMarginRate(c, imr), checkMarginRate(c, mmr)
	c.FailIf(m.Cmp(i) > 0, ErrMarginRate)
	return num.Wrap("funding: bitmex cap", c.Store(z, c.Mul(c.Sub(i, m), threeQuarters)))
}

// ChangeCapBitMEX sets z to BitMEX's cap on the change of the funding rate
// from one interval to the next, 75% of the maintenance margin rate:
//
//	|F - F_prev| <= 0.75 * mmr
//
// (BitMEX blog, April 2020: 0.375% at 0.5%). Apply it with [ClampChange].
//
// Errors: derivmath.ErrContext for a nil ctx, [ErrMarginRate] (or a
// [derivmath.CheckDecimal] error) for an mmr outside (0, 1].
func ChangeCapBitMEX(ctx *apd.Context, z, mmr *apd.Decimal) error {
	c := num.In(ctx)
	m := checkMarginRate(c, mmr)
	return num.Wrap("funding: bitmex change cap", c.Store(z, c.Mul(m, threeQuarters)))
}

// CapBinance sets z to Binance's cap on the magnitude of a funding rate, a
// multiple of the maintenance margin rate of the first (smallest) tier:
//
//	|F| <= factor * mmr
//
// factor was 0.75 for every symbol historically (Binance funding FAQ) and is
// now set per symbol (see "Not confirmed" in the package documentation).
// Apply the cap with [Clamp].
//
// The cap is a bound that Clamp takes, below 1: a factor and an mmr whose
// product is 1 or more (2 and 50%) are [ErrBound].
//
// Errors: derivmath.ErrContext for a nil ctx, [ErrFactor] (or a
// [derivmath.CheckDecimal] error) for a factor that is not positive,
// [ErrMarginRate] for an mmr outside (0, 1], [ErrBound] for a cap of 1 or
// more.
func CapBinance(ctx *apd.Context, z, factor, mmr *apd.Decimal) error {
	c := num.In(ctx)
	f := c.CheckPositive(factor, ErrFactor)
	m := checkMarginRate(c, mmr)
	cp := c.Mul(f, m)
	c.FailIf(c.Err == nil && !cp.BelowOne(), ErrBound) // a bound Clamp takes
	return num.Wrap("funding: binance cap", c.Store(z, cp))
}

// DefaultDeadBand sets z to 0.00025 (0.025%), Deribit's dead band, and
// returns z.
func DefaultDeadBand(z *apd.Decimal) *apd.Decimal {
	return z.SetFinite(25, -5)
}

// DeadBand sets z to Deribit's funding rate for 8 hours from the premium
// rate of the mark over the index, which ignores premiums within the band
// (Deribit perpetual documentation):
//
//	PR = (mark - index) / index
//	F  = max(band, PR) + min(-band, PR)
//
// that is F = PR - band above the band, PR + band below it, and 0 within it.
// band is usually [DefaultDeadBand] (0.025%). Deribit charges F
// continuously: see [Accrual]. The result is rounded twice (the quotient,
// then the band).
//
// Errors: derivmath.ErrContext for a nil ctx, [derivmath.CheckPrice] errors
// for mark and index (a zero index is derivmath.ErrPrice), [ErrBound] for a
// band outside [0, 1), derivmath.ErrRate for an F whose magnitude is 1 or
// more (a mark at twice the index or more), which [Accrual] would refuse.
func DeadBand(ctx *apd.Context, z, mark, index, band *apd.Decimal) error {
	c := num.In(ctx)
	m, x, b := c.CheckPrice(mark), c.CheckPrice(index), checkBound(c, band)
	pr := c.Quo(c.Sub(m, x), x)
	var f num.Dec // 0 within the band
	if cp := clamp(pr, b.Neg(), b); cp != pr {
		f = c.Sub(pr, cp)
	}
	return num.Wrap("funding: dead band", c.StoreRate(z, f))
}

// checkBound loads a clamp bound, cap or dead band, recording [ErrBound]
// unless 0 <= x < 1.
func checkBound(c *num.Ctx, x *apd.Decimal) num.Dec {
	d := c.Check(x)
	c.FailIf(d.IsNeg() || !d.BelowOne(), ErrBound)
	return d
}

// checkMarginRate loads a margin rate, recording [ErrMarginRate] unless
// 0 < x <= 1.
func checkMarginRate(c *num.Ctx, x *apd.Decimal) num.Dec {
	d := c.Check(x)
	c.FailIf(d.Sign() <= 0 || d.Cmp(num.One) > 0, ErrMarginRate)
	return d
}

// threeQuarters is 0.75, BitMEX's cap multiplier.
var threeQuarters = num.New(75, -2)
