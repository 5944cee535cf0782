package funding

import (
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/internal/num"
)

// Interest sets z to the interest component of the funding rate for one
// interval, from the daily interest rates of the quote and base currencies
// (BitMEX perpetual contracts guide, Binance funding FAQ):
//
//	I = (quoteRate - baseRate) / fundingsPerDay,  fundingsPerDay = 24h/interval
//
// BitMEX funds every 8 hours, 3 times a day: with a quote (USD) rate of 1%
// and a base (XBT) rate of 0.25% a day, I = 0.25% per interval. Binance uses
// the same formula: (0.06% - 0.03%)/3 = 0.01% per 8 hours. The result is
// rounded once (the difference too, if it needs more digits than ctx's
// precision).
//
// Errors: derivmath.ErrContext for a nil ctx, derivmath.ErrRate (or a
// [derivmath.CheckDecimal] error) for a rate whose magnitude is 1 or more,
// and derivmath.ErrRate for a result whose magnitude is 1 or more (rates
// of 0.6 and -0.6 a day over 24 hours would give 1.2), which no function
// takes as a rate, [ErrInterval] unless interval is positive and divides 24
// hours.
func Interest(ctx *apd.Context, z, quoteRate, baseRate *apd.Decimal, interval time.Duration) error {
	c := num.In(ctx)
	q, b := c.CheckRate(quoteRate), c.CheckRate(baseRate)
	n := num.FromInt64(perDay(c, interval))
	return num.Wrap("funding: interest", c.StoreRate(z, c.Quo(c.Sub(q, b), n)))
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
// differs from premium + bound by less than that half unit).
//
// Errors: derivmath.ErrContext for a nil ctx, derivmath.ErrRate (or a
// [derivmath.CheckDecimal] error) for a premium or interest whose magnitude
// is 1 or more, and for a result that rounds to a magnitude of 1 (F lies
// between premium and interest), [ErrBound] for a bound outside [0, 1).
func Rate(ctx *apd.Context, z, premium, interest, bound *apd.Decimal) error {
	c := num.In(ctx)
	p, i, b := c.CheckRate(premium), c.CheckRate(interest), checkBound(c, bound)
	return num.Wrap("funding: rate", c.StoreRate(z, rate(c, p, i, b)))
}

// rate is [Rate]'s formula, p + clamp(i - p, -b, +b): i itself unless
// clamped.
func rate(c *num.Ctx, p, i, b num.Dec) num.Dec {
	d, f := c.Sub(i, p), i
	if cd := clamp(d, b.Neg(), b); cd != d {
		f = c.Add(p, cd)
	}
	return f
}

// Clamp sets z to rate limited to [-bound, +bound]: rate itself, or -bound
// or +bound exactly, so |z| never exceeds bound. Use it to cap a funding
// rate with [CapBitMEX] or [CapBinance]. No rounding takes place.
//
// Errors: derivmath.ErrRate (or a [derivmath.CheckDecimal] error) for a rate
// whose magnitude is 1 or more, [ErrBound] for a bound outside [0, 1).
func Clamp(z, rate, bound *apd.Decimal) error {
	c := num.In(&apd.BaseContext) // validates and compares: no precision matters
	r, b := c.CheckRate(rate), checkBound(c, bound)
	return c.Store(z, clamp(r, b.Neg(), b))
}

// clamp is x limited to [lo, hi].
func clamp(x, lo, hi num.Dec) num.Dec {
	switch {
	case x.Cmp(hi) > 0:
		return hi
	case x.Cmp(lo) < 0:
		return lo
	}
	return x
}

// ClampChange sets z to rate limited to within limit of the previous
// interval's rate, [prev - limit, prev + limit]: BitMEX's cap on the change
// of the funding rate between intervals, limit = [ChangeCapBitMEX]. The
// window's ends are rounded to ctx's precision inward (prev - limit toward
// +Inf, prev + limit toward -Inf); when that leaves no number between them
// (prev has more digits than ctx's precision and limit is smaller than its
// last kept place), the window is prev alone. So |z - prev| <= limit holds
// exactly and z is rate itself whenever rate lies in the window. When
// |prev| is within an absolute cap c, Clamp(ClampChange(rate), c) satisfies
// both caps.
//
// Errors: derivmath.ErrContext for a nil ctx, derivmath.ErrRate (or a
// [derivmath.CheckDecimal] error) for a rate or prev whose magnitude is 1 or
// more, [ErrBound] for a limit outside [0, 1).
func ClampChange(ctx *apd.Context, z, rate, prev, limit *apd.Decimal) error {
	c := num.In(ctx)
	r, p, l := c.CheckRate(rate), c.CheckRate(prev), checkBound(c, limit)
	up, down := c.WithMode(num.Ceiling), c.WithMode(num.Floor)
	lo, hi := up.Sub(p, l), down.Add(p, l)
	c.FailIf(up.Err != nil, up.Err)
	c.FailIf(down.Err != nil, down.Err)
	if lo.Cmp(hi) > 0 {
		lo, hi = p, p // the ends crossed: prev itself lies within limit
	}
	return num.Wrap("funding: change clamp", c.Store(z, clamp(r, lo, hi)))
}

// Annualised sets z to the funding rate per interval expressed per year:
//
//	rate * fundingsPerYear,  fundingsPerYear = 365 * 24h/interval
//
// with a year of 365 days and simple (not compounded) interest, as the
// exchanges quote it: 0.01% every 8 hours is 10.95% a year. The result is
// rounded once.
//
// Errors: derivmath.ErrContext for a nil ctx, derivmath.ErrRate (or a
// [derivmath.CheckDecimal] error) for a rate whose magnitude is 1 or more,
// [ErrInterval] unless interval is positive and divides 24 hours.
func Annualised(ctx *apd.Context, z, rate *apd.Decimal, interval time.Duration) error {
	c := num.In(ctx)
	r := c.CheckRate(rate)
	k := num.FromInt64(perDay(c, interval) * 365)
	return num.Wrap("funding: annualised", c.Store(z, c.Mul(r, k)))
}
