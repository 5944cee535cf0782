package funding

import (
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/internal/num"
)

// Basis sets z to the funding basis of a perpetual: the part of the next
// funding payment that is still to accrue, as a fraction of the index,
//
//	fundingBasis = F * timeUntilFunding / interval
//
// (BitMEX fair price marking). It is the fair basis that [FairPrice] adds to
// the index, and that [MarkPremium] adds back to the premium. Durations are
// converted to decimals exactly, in nanoseconds. The product and the
// quotient are each rounded. A zero basis is +0.
//
// Errors: derivmath.ErrContext for a nil ctx, derivmath.ErrRate (or a
// [derivmath.CheckDecimal] error) for a rate whose magnitude is 1 or more,
// [ErrInterval] unless interval is positive and divides 24 hours,
// [ErrTimeLeft] unless 0 <= until <= interval, derivmath.ErrRate for a
// basis that rounds to a magnitude of 1 (a rate near 1 over the whole
// interval, such as -0.9999999999999999999 at 19 digits), which
// [MarkPremium] would refuse.
func Basis(ctx *apd.Context, z, rate *apd.Decimal, until, interval time.Duration) error {
	c := num.In(ctx)
	r := checkFair(c, rate, until, interval)
	return num.Wrap("funding: basis", c.StoreRate(z, c.Quo(c.Mul(r, nanos(until)), nanos(interval))))
}

// FairPrice sets z to the fair (mark) price of a perpetual: the index plus
// the funding basis ([Basis]),
//
//	mark = index * (1 + F * timeUntilFunding / interval)
//
// (BitMEX fair price marking: index 10,000, F = 0.01% and 2 of 8 hours left
// give 10,000.25). It is computed as index*(interval + F*until)/interval
// with one division: interval + F*until exactly, then rounded once, then
// the product and the quotient each rounded, to ctx's precision and not to
// the tick: round it with derivmath.Round if the exchange publishes a
// rounded mark. With no basis (F or until zero) the mark is the index,
// rounded once to ctx's precision. interval + F*until is positive (|F| <
// 1), so the mark is positive too, even for a rate just above -1 over the
// whole interval.
//
// Errors: derivmath.ErrContext for a nil ctx, [derivmath.CheckPrice] errors
// for index (a zero index is derivmath.ErrPrice), and those of [Basis].
func FairPrice(ctx *apd.Context, z, index, rate *apd.Decimal, until, interval time.Duration) error {
	c := num.In(ctx)
	x := c.CheckPrice(index)
	r := checkFair(c, rate, until, interval)
	return num.Wrap("funding: fair price", c.Store(z, accrue(c, x, r, until, interval)))
}

// accrue returns x*(base + r*t)/base, the price x grown by the rate r
// over t of base (FairPrice, MarkBinance's price 1, FairPriceDated): base +
// r*t exactly, then rounded once, then the product and the quotient; with
// nothing to accrue (r*t = 0), x itself, rounded once to c. It records
// [ErrBasis] when base + r*t <= 0, decided on the exact value, which a
// valid rate of FairPrice never gives (|r| < 1, t <= base).
func accrue(c *num.Ctx, x, r num.Dec, t, base time.Duration) num.Dec {
	if t == 0 || r.Sign() == 0 {
		// x*base/base would round the product, and could move x.
		return c.Mul(x, num.One)
	}
	b := nanos(base)
	var s num.Sum // base + r*t, exactly
	s.Add(b)
	s.AddScaled(r, uint64(max(t, 0)))
	c.FailIf(s.Sign() <= 0, ErrBasis)
	return c.Quo(c.Mul(c.QuoSum(&s, num.One), x), b)
}

// checkFair validates the operands of Basis and FairPrice, and returns the
// rate loaded.
func checkFair(c *num.Ctx, rate *apd.Decimal, until, interval time.Duration) num.Dec {
	r := c.CheckRate(rate)
	perDay(c, interval)
	c.FailIf(until < 0 || until > interval, ErrTimeLeft)
	return r
}

// BasisRate sets z to the annualised basis rate of a dated future from its
// impact prices (BitMEX fair price marking; Gate futures help):
//
//	impactMid = (impactBid + impactAsk) / 2
//	basisRate = (impactMid/index - 1) / (timeToExpiry/365 days)
//
// computed as (impactBid + impactAsk - 2*index)*year / (2*index*toExpiry)
// with one division. Index 10,000, impact 10,049/10,051 and 30 days to
// expiry give 6.0833% a year. Exchanges smooth this rate over time before
// marking: average it with [Average] if yours does, then pass it to
// [FairPriceDated]. toExpiry is converted exactly, in nanoseconds; a year is
// 365 days.
//
// Errors: derivmath.ErrContext for a nil ctx, [derivmath.CheckPrice] errors
// for the prices (a zero index is derivmath.ErrPrice), [ErrCrossed] when
// impactBid > impactAsk, [ErrExpiry] for a toExpiry that is not positive.
func BasisRate(ctx *apd.Context, z, impactBid, impactAsk, index *apd.Decimal, toExpiry time.Duration) error {
	c := num.In(ctx)
	bid, ask := checkImpact(c, impactBid, impactAsk)
	x := c.CheckPrice(index)
	c.FailIf(toExpiry <= 0, ErrExpiry)
	twice := c.Add(x, x)
	n := c.Mul(c.Sub(c.Add(bid, ask), twice), nanos(year))
	return num.Wrap("funding: basis rate", c.Store(z, c.Quo(n, c.Mul(twice, nanos(toExpiry)))))
}

// FairPriceDated sets z to the fair (mark) price of a dated future: the
// index plus the fair basis accrued at basisRate until expiry,
//
//	fairBasis = index * basisRate * timeToExpiry/365 days
//	mark      = index + fairBasis
//
// (BitMEX fair price marking; Gate futures help: index 10,000, a basis rate
// of 6.0833% and 30 days give a basis of 50 and a mark of 10,050). It is
// computed as index*(year + basisRate*toExpiry)/year with one division:
// year + basisRate*toExpiry exactly, then rounded once, then the product
// and the quotient each rounded, to ctx's precision and not to the tick;
// with a basisRate of zero, the index rounded once. basisRate is annual
// and may exceed 100%.
//
// Errors: derivmath.ErrContext for a nil ctx, [derivmath.CheckPrice] errors
// for index, [derivmath.CheckDecimal] errors for basisRate, [ErrExpiry] for a
// toExpiry that is not positive, [ErrBasis] when
// basisRate*toExpiry/year <= -1, which would make the price zero or negative
// (decided on the exact value, in any rounding mode: a rate just above the
// bound gives a tiny positive price).
func FairPriceDated(ctx *apd.Context, z, index, basisRate *apd.Decimal, toExpiry time.Duration) error {
	c := num.In(ctx)
	x, br := c.CheckPrice(index), c.Check(basisRate)
	c.FailIf(toExpiry <= 0, ErrExpiry)
	return num.Wrap("funding: dated fair price", c.Store(z, accrue(c, x, br, toExpiry, year)))
}
