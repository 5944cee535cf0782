package dectest

import (
	"github.com/cockroachdb/apd/v3"
	"pgregory.net/rapid"
)

// Leverage returns a generator of leverages in [lo, hi] (whole numbers
// given as int64) with up to 2 decimal places, as exchanges accept them.
func Leverage(lo, hi int64) *rapid.Generator[apd.Decimal] { return scaled(lo*100, hi*100, 2, 2) }

// Fraction returns a generator of decimals in [lo, hi] millionths (so
// Fraction(0, 5000) draws rates from 0 to 0.5%), with 6 decimal places:
// maintenance rates, fee rates, shares of an entry value.
func Fraction(loMillionths, hiMillionths int64) *rapid.Generator[apd.Decimal] {
	return scaled(loMillionths, hiMillionths, 6, 6)
}
