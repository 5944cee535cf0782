package dectest

import (
	"github.com/cockroachdb/apd/v3"
	"pgregory.net/rapid"
)

// Leverage returns a generator of leverages in [lo, hi] (whole numbers
// given as int64) with up to 2 decimal places, as exchanges accept them.
func Leverage(lo, hi int64) *rapid.Generator[apd.Decimal] {
	return rapid.Custom(func(t *rapid.T) apd.Decimal {
		c := rapid.Int64Range(lo*100, hi*100).Draw(t, "leverage")
		var d apd.Decimal
		d.SetFinite(c, -2)
		return d
	})
}

// Fraction returns a generator of decimals in [lo, hi] millionths (so
// Fraction(0, 5000) draws rates from 0 to 0.5%), with 6 decimal places:
// maintenance rates, fee rates, shares of an entry value.
func Fraction(loMillionths, hiMillionths int64) *rapid.Generator[apd.Decimal] {
	return rapid.Custom(func(t *rapid.T) apd.Decimal {
		c := rapid.Int64Range(loMillionths, hiMillionths).Draw(t, "fraction")
		var d apd.Decimal
		d.SetFinite(c, -6)
		return d
	})
}

// OnTick returns a generator of prices that are whole multiples of tick,
// from 1 to maxTicks ticks. tick must be positive with a coefficient small
// enough that maxTicks times it fits in an int64.
func OnTick(tick *apd.Decimal, maxTicks int64) *rapid.Generator[apd.Decimal] {
	c := tick.Coeff.Int64()
	return rapid.Custom(func(t *rapid.T) apd.Decimal {
		k := rapid.Int64Range(1, maxTicks).Draw(t, "ticks")
		var d apd.Decimal
		d.SetFinite(k*c, tick.Exponent)
		return d
	})
}
