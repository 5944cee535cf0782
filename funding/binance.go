package funding

import (
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/internal/enum"
	"github.com/derivmath/derivmath/internal/num"
)

// Scaling selects how [RateBinance] scales Binance's 8-hour formula to a
// symbol that funds every N hours. Which one Binance applies is not
// confirmed here (see "Not confirmed" in the package documentation);
// [DefaultScaling] is ScaleRate.
type Scaling int8

// The scalings. The zero Scaling is invalid ([ErrScaling]).
const (
	// ScaleRate scales the whole 8-hour rate, the premium included:
	// F = (premium + clamp(interest - premium, -bound, +bound)) * N/8.
	ScaleRate Scaling = 1 + iota
	// ScaleTerms scales only the terms stated per 8 hours, the interest
	// rate and the clamp bound, and takes the premium, an average over
	// the interval, as it is:
	// F = premium + clamp(interest*N/8 - premium, -bound*N/8, +bound*N/8).
	ScaleTerms
)

// DefaultScaling is the Scaling to pass to [RateBinance] unless a source
// settles the question: ScaleRate, the whole formula scaled by N/8.
const DefaultScaling = ScaleRate

var scalingNames = [...]string{"invalid", "ScaleRate", "ScaleTerms"}

// String returns the name of the scaling, such as "ScaleTerms".
func (s Scaling) String() string { return enum.Name("Scaling", scalingNames[:], int(s)) }

// RateBinance sets z to Binance's funding rate for a symbol that funds
// every interval of N hours (fundingIntervalHours in Binance's GET
// /fapi/v1/fundingInfo: since September 2025 symbols may fund every 1, 4
// or 8 hours), from Binance's 8-hour formula, that of [Rate],
//
//	F8 = premium + clamp(interest - premium, -bound, +bound)
//
// where premium is the average premium index of the interval ([Average]),
// and interest (0.01% for most symbols) and bound (usually [DefaultClamp])
// are stated per 8 hours. s says how the formula scales to N hours:
//
//	ScaleRate:   F = F8 * N/8
//	ScaleTerms:  F = premium + clamp(interest*N/8 - premium, -bound*N/8, +bound*N/8)
//
// ScaleRate is F8 then [PerInterval]; ScaleTerms is [Rate] of premium with
// the interest and the bound each scaled by PerInterval. The two agree
// (F = interest*N/8) where neither clamps: the premium within bound of
// interest, and within bound*N/8 of interest*N/8; elsewhere they differ,
// ScaleRate scaling the premium too. Which one Binance applies is not
// confirmed here: pass [DefaultScaling] (ScaleRate) unless a source says
// otherwise. An 8-hour symbol gets Rate's result exactly under either.
// Rate's roundings are made, and one more product (ScaleRate) or two
// (ScaleTerms) at another interval. The cap still applies to the result:
// [Clamp] with the adjusted cap of fundingInfo or [CapBinance]. z may
// alias any operand.
//
// Source: Binance USDⓈ-M futures funding rate FAQ ("Introduction to
// Binance Futures Funding Rates"), and the announcements of funding
// interval changes.
//
// At 12 and 24 hours (N/8 > 1) the scaled F may reach 1 in magnitude
// (premium and interest 0.5 give 1.5 over 24 hours): that result is
// derivmath.ErrRate, as in [PerInterval].
//
// Errors: derivmath.ErrContext for a nil ctx, those of [Rate], [ErrInterval]
// unless interval is a whole number of hours that divides 24 hours,
// [ErrScaling] for an undefined s, derivmath.ErrRate for a result whose
// magnitude is 1 or more.
func RateBinance(ctx *apd.Context, z, premium, interest, bound *apd.Decimal, interval time.Duration, s Scaling) error {
	c := num.In(ctx)
	p, i, b := c.CheckRate(premium), c.CheckRate(interest), checkBound(c, bound)
	n := hours(c, interval)
	c.FailIf(s < ScaleRate || s > ScaleTerms, ErrScaling)
	if n != 8 && s == ScaleTerms {
		i, b = c.Mul(i, eighths(n)), c.Mul(b, eighths(n))
	}
	f := rate(c, p, i, b)
	if n != 8 && s == ScaleRate {
		f = c.Mul(f, eighths(n))
	}
	return num.Wrap("funding: rate binance", c.StoreRate(z, f))
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

// PerInterval sets z to rate*N/8: a rate stated per 8 hours, scaled to
// an interval of N hours, rounded once (rate itself at 8 hours). It is the
// scaling of [RateBinance], which applies it to the whole 8-hour rate
// under [ScaleRate] ([DefaultScaling]), and to the interest rate (0.01%)
// and the clamp bound (0.05%), which Binance states per 8 hours, alone
// under [ScaleTerms]: a 4-hour symbol's rate is half the 8-hour formula's
// under the first, and the formula with half the interest and half the
// bound under the second. z may alias rate.
//
// At 12 and 24 hours N/8 is 1.5 and 3, so a valid rate of 2/3 or 1/3 per 8
// hours or more in magnitude would scale to 1 or more (0.5 per 8 hours is
// 1.5 per 24): a funding rate that no function takes ([Payment], [Clamp]
// and [FairPrice] refuse a rate whose magnitude is 1 or more, the range of
// derivmath.CheckRate). PerInterval returns derivmath.ErrRate for it, so
// that every result is a valid rate; no exchange funds at such a rate.
//
// Errors: derivmath.ErrContext for a nil ctx, derivmath.ErrRate (or a
// derivmath.CheckDecimal error) for a rate whose magnitude is 1 or more,
// and derivmath.ErrRate for a result whose magnitude is 1 or more,
// [ErrInterval] unless interval is a whole number of hours that divides 24
// hours, derivmath.ErrRange for a result outside the result range.
func PerInterval(ctx *apd.Context, z, rate *apd.Decimal, interval time.Duration) error {
	c := num.In(ctx)
	r := c.CheckRate(rate)
	n := hours(c, interval)
	if n != 8 {
		r = c.Mul(r, eighths(n))
	}
	return num.Wrap("funding: per interval", c.StoreRate(z, r))
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
// Errors: derivmath.ErrContext for a nil ctx; derivmath.CheckPrice errors for
// index and last; derivmath.ErrRate for a rate whose magnitude is 1 or more;
// derivmath.CheckDecimal errors for basis; [ErrInterval] unless interval is
// positive and divides 24 hours; [ErrTimeLeft] unless 0 <= until <= interval;
// derivmath.ErrPrice when price 2 is not positive; derivmath.ErrRange for a
// result outside the result range.
func MarkBinance(ctx *apd.Context, z, index, rate, basis, last *apd.Decimal, until, interval time.Duration) error {
	c := num.In(ctx)
	x, l := c.CheckPrice(index), c.CheckPrice(last)
	r := checkFair(c, rate, until, interval)
	b := c.Check(basis)
	p1 := accrue(c, x, r, until, interval)
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
