package funding

import (
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
)

// Basis sets z to the funding basis of a perpetual: the part of the next
// funding payment that is still to accrue, as a fraction of the index,
//
//	fundingBasis = F * timeUntilFunding / interval
//
// (BitMEX fair price marking). It is the fair basis that [FairPrice] adds
// to the index, and that [MarkPremium] adds back to the premium. Durations
// are converted to decimals exactly, in nanoseconds. z may alias rate.
//
// Errors: [ErrRate] (or a [derivmath.CheckDecimal] error) for rate,
// [ErrInterval] unless interval is positive and divides 24 hours,
// [ErrTimeLeft] unless 0 <= until <= interval.
func Basis(ctx *apd.Context, z, rate *apd.Decimal, until, interval time.Duration) error {
	if err := checkFair(rate, until, interval); err != nil {
		return err
	}
	var t apd.Decimal
	if err := mul(ctx, z, rate, setDuration(&t, until)); err != nil {
		return wrap("basis", err)
	}
	err := quo(ctx, z, z, setDuration(&t, interval))
	positiveZero(z) // -F * 0 is -0 in apd
	return wrap("basis", err)
}

// FairPrice sets z to the fair (mark) price of a perpetual: the index plus
// the funding basis ([Basis]),
//
//	mark = index * (1 + F * timeUntilFunding / interval)
//
// (BitMEX fair price marking: index 10,000, F = 0.01% and 2 of 8 hours
// left give 10,000.25). It is computed as index*(interval + F*until)/interval
// with one division, rounded to ctx's precision and not to the tick: round it
// with derivmath.Round if the exchange publishes a rounded mark. z may alias
// index or rate.
//
// Errors: [derivmath.CheckPrice] errors for index (a zero index is
// derivmath.ErrPrice), and those of [Basis].
func FairPrice(ctx *apd.Context, z, index, rate *apd.Decimal, until, interval time.Duration) error {
	if err := derivmath.CheckPrice(index); err != nil {
		return err
	}
	if err := checkFair(rate, until, interval); err != nil {
		return err
	}
	var num, t apd.Decimal
	if err := mul(ctx, &num, rate, setDuration(&t, until)); err != nil {
		return wrap("fair price", err)
	}
	if err := add(ctx, &num, &num, setDuration(&t, interval)); err != nil {
		return wrap("fair price", err)
	}
	if err := mul(ctx, &num, &num, index); err != nil {
		return wrap("fair price", err)
	}
	err := quo(ctx, z, &num, &t)
	return wrap("fair price", err)
}

// checkFair validates the operands of Basis and FairPrice.
func checkFair(rate *apd.Decimal, until, interval time.Duration) error {
	if err := checkRate(rate); err != nil {
		return err
	}
	if _, err := perDay(interval); err != nil {
		return err
	}
	if until < 0 || until > interval {
		return ErrTimeLeft
	}
	return nil
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
// [FairPriceDated]. toExpiry is converted exactly, in nanoseconds; a year
// is 365 days. z may alias any operand.
//
// Errors: [derivmath.CheckPrice] errors for the prices (a zero index is
// derivmath.ErrPrice), [ErrCrossed] when impactBid > impactAsk, [ErrExpiry]
// for a toExpiry that is not positive.
func BasisRate(ctx *apd.Context, z, impactBid, impactAsk, index *apd.Decimal, toExpiry time.Duration) error {
	if err := checkImpact(impactBid, impactAsk); err != nil {
		return err
	}
	if err := derivmath.CheckPrice(index); err != nil {
		return err
	}
	if toExpiry <= 0 {
		return ErrExpiry
	}
	var num, den, t apd.Decimal
	if err := add(ctx, &num, impactBid, impactAsk); err != nil {
		return wrap("basis rate", err)
	}
	if err := add(ctx, &den, index, index); err != nil {
		return wrap("basis rate", err)
	}
	if err := sub(ctx, &num, &num, &den); err != nil {
		return wrap("basis rate", err)
	}
	if err := mul(ctx, &num, &num, setDuration(&t, year)); err != nil {
		return wrap("basis rate", err)
	}
	if err := mul(ctx, &den, &den, setDuration(&t, toExpiry)); err != nil {
		return wrap("basis rate", err)
	}
	err := quo(ctx, z, &num, &den)
	return wrap("basis rate", err)
}

// FairPriceDated sets z to the fair (mark) price of a dated future: the
// index plus the fair basis accrued at basisRate until expiry,
//
//	fairBasis = index * basisRate * timeToExpiry/365 days
//	mark      = index + fairBasis
//
// (BitMEX fair price marking; Gate futures help: index 10,000, a basis rate
// of 6.0833% and 30 days give a basis of 50 and a mark of 10,050). It is
// computed as index*(year + basisRate*toExpiry)/year with one division,
// rounded to ctx's precision and not to the tick. basisRate is annual and
// may exceed 100%. z may alias index or basisRate.
//
// Errors: [derivmath.CheckPrice] errors for index, [derivmath.CheckDecimal]
// errors for basisRate, [ErrExpiry] for a toExpiry that is not positive,
// [ErrBasis] when basisRate*toExpiry/year <= -1, which would make the price
// zero or negative.
func FairPriceDated(ctx *apd.Context, z, index, basisRate *apd.Decimal, toExpiry time.Duration) error {
	if err := derivmath.CheckPrice(index); err != nil {
		return err
	}
	if err := derivmath.CheckDecimal(basisRate); err != nil {
		return err
	}
	if toExpiry <= 0 {
		return ErrExpiry
	}
	var num, t apd.Decimal
	if err := mul(ctx, &num, basisRate, setDuration(&t, toExpiry)); err != nil {
		return wrap("dated fair price", err)
	}
	if err := add(ctx, &num, &num, setDuration(&t, year)); err != nil {
		return wrap("dated fair price", err)
	}
	if num.Sign() <= 0 {
		return ErrBasis
	}
	if err := mul(ctx, &num, &num, index); err != nil {
		return wrap("dated fair price", err)
	}
	err := quo(ctx, z, &num, &t)
	return wrap("dated fair price", err)
}
