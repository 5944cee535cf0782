package funding

import (
	"time"

	"github.com/cockroachdb/apd/v3"
)

// Interest sets z to the interest component of the funding rate for one
// interval, from the daily interest rates of the quote and base currencies:
//
//	I = (quoteRate - baseRate) / fundingsPerDay,  fundingsPerDay = 24h/interval
//
// BitMEX funds every 8 hours, 3 times a day: with a quote (USD) rate of 1%
// and a base (XBT) rate of 0.25% a day, I = 0.25% per interval. Binance
// uses the same formula: (0.06% - 0.03%)/3 = 0.01% per 8 hours. The
// result is rounded once. z may alias any operand.
//
// Errors: [ErrRate] (or a [derivmath.CheckDecimal] error) for either rate,
// [ErrInterval] unless interval is positive and divides 24 hours.
func Interest(ctx *apd.Context, z, quoteRate, baseRate *apd.Decimal, interval time.Duration) error {
	if err := checkRate(quoteRate); err != nil {
		return err
	}
	if err := checkRate(baseRate); err != nil {
		return err
	}
	n, err := perDay(interval)
	if err != nil {
		return err
	}
	var d, den apd.Decimal
	if err := sub(ctx, &d, quoteRate, baseRate); err != nil {
		return wrap("interest", err)
	}
	den.SetInt64(n)
	err = quo(ctx, z, &d, &den)
	return wrap("interest", err)
}

// DefaultClamp sets z to 0.0005 (0.05%), the bound of the clamp in [Rate]
// that BitMEX and Binance use for most perpetuals, and returns z.
func DefaultClamp(z *apd.Decimal) *apd.Decimal {
	return z.SetFinite(5, -4)
}

// Rate sets z to the funding rate of an interval from the average premium
// index and the interest component (BitMEX perpetual contracts guide,
// Binance funding FAQ):
//
//	F = premium + clamp(interest - premium, -bound, +bound)
//
// so F = interest while the premium lies within bound of it, and F =
// premium -/+ bound beyond. bound is usually [DefaultClamp] (0.05%). A
// positive F means longs pay shorts. F is not capped here: apply
// [Clamp] with a cap from [CapBitMEX] or [CapBinance], and [ClampChange].
//
// F equals interest exactly when it is not clamped; otherwise it is rounded
// once. The comparison with the bound uses interest - premium rounded to
// ctx's precision, so a difference that exceeds the bound by less than half
// a unit in its last place counts as within it (F = interest, which then
// differs from premium + bound by less than that half unit). z may alias
// any operand.
//
// Errors: [ErrRate] (or a [derivmath.CheckDecimal] error) for premium and
// interest, [ErrBound] for a bound outside [0, 1).
func Rate(ctx *apd.Context, z, premium, interest, bound *apd.Decimal) error {
	if err := checkRate(premium); err != nil {
		return err
	}
	if err := checkRate(interest); err != nil {
		return err
	}
	if err := checkBound(bound); err != nil {
		return err
	}
	var d, lo apd.Decimal
	if err := sub(ctx, &d, interest, premium); err != nil {
		return wrap("rate", err)
	}
	lo.Neg(bound)
	switch {
	case d.Cmp(bound) > 0:
		return wrap("rate", add(ctx, z, premium, bound))
	case d.Cmp(&lo) < 0:
		return wrap("rate", sub(ctx, z, premium, bound))
	}
	z.Set(interest)
	return nil
}

// Clamp sets z to rate limited to [-bound, +bound]: rate itself, or -bound
// or +bound exactly, so |z| never exceeds bound. Use it to cap a funding
// rate with [CapBitMEX] or [CapBinance]. No rounding takes place. z may
// alias any operand.
//
// Errors: [ErrRate] (or a [derivmath.CheckDecimal] error) for rate,
// [ErrBound] for a bound outside [0, 1).
func Clamp(z, rate, bound *apd.Decimal) error {
	if err := checkRate(rate); err != nil {
		return err
	}
	if err := checkBound(bound); err != nil {
		return err
	}
	var lo apd.Decimal
	lo.Neg(bound)
	switch {
	case rate.Cmp(bound) > 0:
		z.Set(bound)
	case rate.Cmp(&lo) < 0:
		z.Set(&lo)
	default:
		z.Set(rate)
	}
	return nil
}

// ClampChange sets z to rate limited to within limit of the previous
// interval's rate, [prev - limit, prev + limit]: BitMEX's cap on the change
// of the funding rate between intervals, limit = [ChangeCapBitMEX]. The
// window's ends are rounded inward, so |z - prev| <= limit holds exactly
// and z is rate itself whenever rate lies in the window. When |prev| is
// within an absolute cap c, Clamp(ClampChange(rate), c) satisfies both caps.
// z may alias any operand.
//
// Errors: [ErrRate] (or a [derivmath.CheckDecimal] error) for rate and prev,
// [ErrBound] for a limit outside [0, 1).
func ClampChange(ctx *apd.Context, z, rate, prev, limit *apd.Decimal) error {
	if err := checkRate(rate); err != nil {
		return err
	}
	if err := checkRate(prev); err != nil {
		return err
	}
	if err := checkBound(limit); err != nil {
		return err
	}
	up, down := *ctx, *ctx // contexts hold no decimals: copying is safe
	up.Rounding, down.Rounding = apd.RoundCeiling, apd.RoundFloor
	var lo, hi apd.Decimal
	if err := sub(&up, &lo, prev, limit); err != nil {
		return wrap("change clamp", err)
	}
	if err := add(&down, &hi, prev, limit); err != nil {
		return wrap("change clamp", err)
	}
	switch {
	case rate.Cmp(&hi) > 0:
		z.Set(&hi)
	case rate.Cmp(&lo) < 0:
		z.Set(&lo)
	default:
		z.Set(rate)
	}
	return nil
}

// Annualised sets z to the funding rate per interval expressed per year:
//
//	rate * fundingsPerYear,  fundingsPerYear = 365 * 24h/interval
//
// with a year of 365 days and simple (not compounded) interest, as the
// exchanges quote it: 0.01% every 8 hours is 10.95% a year. z may alias
// rate.
//
// Errors: [ErrRate] (or a [derivmath.CheckDecimal] error) for rate,
// [ErrInterval] unless interval is positive and divides 24 hours.
func Annualised(ctx *apd.Context, z, rate *apd.Decimal, interval time.Duration) error {
	if err := checkRate(rate); err != nil {
		return err
	}
	n, err := perDay(interval)
	if err != nil {
		return err
	}
	var k apd.Decimal
	k.SetInt64(n * 365)
	err = mul(ctx, z, rate, &k)
	return wrap("annualised", err)
}
