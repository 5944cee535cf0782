package funding

import (
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/internal/num"
)

// RateBinance sets z to Binance's funding rate for a symbol that funds
// every interval: the rate of [Rate] for Binance's 8-hour formula, scaled
// by interval/8h,
//
//	F = (premium + clamp(interest - premium, -bound, +bound)) * N/8
//
// with N the funding interval in hours (fundingIntervalHours in Binance's
// GET /fapi/v1/fundingInfo: since September 2025 symbols may fund every
// 1, 4 or 8 hours). premium is the average premium index of the interval
// ([Average]); interest is the 8-hour interest rate (0.01% for most
// symbols); bound is the clamp, usually [DefaultClamp]. An 8-hour symbol
// gets [Rate]'s result exactly. The cap still applies to the result:
// [Clamp] with the adjusted cap of fundingInfo or [CapBinance]. z may alias
// any operand.
//
// Source: Binance USDⓈ-M futures funding rate FAQ ("Introduction to
// Binance Futures Funding Rates"), and the announcements of funding
// interval changes.
//
// Errors: those of [Rate], and [ErrInterval] unless interval is a whole
// number of hours that divides 24 hours.
func RateBinance(ctx *apd.Context, z, premium, interest, bound *apd.Decimal, interval time.Duration) error {
	c := num.In(ctx)
	p, i, b := c.CheckRate(premium), c.CheckRate(interest), checkBound(c, bound)
	n := hours(c, interval)
	d, f := c.Sub(i, p), i
	switch {
	case d.Cmp(b) > 0:
		f = c.Add(p, b)
	case d.Cmp(b.Neg()) < 0:
		f = c.Sub(p, b)
	}
	if n != 8 {
		f = c.Mul(f, eighths(n))
	}
	return num.Wrap("funding: rate binance", c.Store(z, f))
}

// hours returns interval in hours, recording [ErrInterval] unless it is a
// whole number of hours that divides 24 hours.
func hours(c *num.Ctx, interval time.Duration) int64 {
	if !divides(interval) || interval%time.Hour != 0 {
		c.Fail(ErrInterval)
		return 8
	}
	return int64(interval / time.Hour)
}

// eighths returns n/8 exactly: n*0.125.
func eighths(n int64) num.Dec { return num.New(n*125, -3) }

// PerInterval sets z to rate, a funding rate stated for 8 hours, scaled to
// an interval of N hours: rate*N/8. Binance states its interest rate
// (0.01%) and clamp (0.05%) per 8 hours; a symbol funding every 4 hours
// uses half of each, and its funding rate is half the 8-hour formula's
// ([RateBinance]). z may alias rate.
//
// Errors: derivmath.ErrRate (or a derivmath.CheckDecimal error) for a rate
// whose magnitude is 1 or more, [ErrInterval] unless interval is a whole
// number of hours that divides 24 hours, derivmath.ErrRange for a result
// outside the result range.
func PerInterval(ctx *apd.Context, z, rate *apd.Decimal, interval time.Duration) error {
	c := num.In(ctx)
	r := c.CheckRate(rate)
	n := hours(c, interval)
	if n != 8 {
		r = c.Mul(r, eighths(n))
	}
	return num.Wrap("funding: per interval", c.Store(z, r))
}

// MarkBinance sets z to Binance's mark price of a perpetual: the median of
// three prices,
//
//	price 1 = index * (1 + lastFundingRate * timeUntilFunding / interval)
//	price 2 = index + moving average of the basis
//	mark    = median(price 1, price 2, last)
//
// where the basis is the mid of the best bid and ask less the index and
// its moving average is Binance's (over 5 minutes; the caller averages
// it, for instance with [Average]), rate is the last funding rate, and
// interval the symbol's funding interval (1, 4 or 8 hours; see
// [RateBinance]). Price 1 is [FairPrice]. The result is one of the three
// prices, rounded to ctx's precision and not to the tick. z may alias any
// operand.
//
// Source: Binance USDⓈ-M futures "Mark Price and Price Index" FAQ.
//
// Errors: derivmath.CheckPrice errors for index and last; derivmath.ErrRate
// for a rate whose magnitude is 1 or more; derivmath.CheckDecimal errors
// for basis; [ErrInterval] unless interval is positive and divides 24
// hours; [ErrTimeLeft] unless 0 <= until <= interval; derivmath.ErrPrice
// when price 2 is not positive; derivmath.ErrRange for a result outside
// the result range.
func MarkBinance(ctx *apd.Context, z, index, rate, basis, last *apd.Decimal, until, interval time.Duration) error {
	c := num.In(ctx)
	x, l := c.CheckPrice(index), c.CheckPrice(last)
	r := checkFair(c, rate, until, interval)
	b := c.Check(basis)
	iv := nanos(interval)
	p1 := c.Quo(c.Mul(c.Add(c.Mul(r, nanos(until)), iv), x), iv)
	p2 := c.Add(x, b)
	if c.Err == nil && p2.Sign() <= 0 {
		c.Fail(derivmath.ErrPrice)
	}
	return num.Wrap("funding: mark binance", c.Store(z, median(p1, p2, l)))
}

// median returns the middle of three values.
func median(x, y, z num.Dec) num.Dec {
	if x.Cmp(y) > 0 {
		x, y = y, x
	}
	if y.Cmp(z) > 0 {
		y = z
	}
	if x.Cmp(y) > 0 {
		return x
	}
	return y
}
