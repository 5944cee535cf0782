package fastdec

import (
	"math/bits"

	"github.com/cockroachdb/apd/v3"
)

// Steps divides x by a positive step exactly, on integers: with both
// aligned to the smaller of their exponents, x = q*s + r with 0 <= r < s,
// where s is the aligned step and q and r carry the sign of x (not
// represented: q, r and s are magnitudes). It returns false when an operand
// is not finite, has a coefficient over 64 bits or an exponent beyond
// MaxExponent, the step is zero or negative, or an aligned value does not
// fit in 64 bits. Rounding to a tick or a lot, and counting ticks and lots,
// need nothing more.
func Steps(x, step *apd.Decimal) (q, r, s uint64, ok bool) {
	dx, okx := load(x)
	ds, oks := load(step)
	if !okx || !oks {
		return 0, 0, 0, false
	}
	return dx.Steps(ds)
}

// Steps is [Steps] on loaded operands: d = q*s + r in magnitude, with s
// the step aligned to the smaller exponent.
func (d Dec) Steps(step Dec) (q, r, s uint64, ok bool) {
	if step.C == 0 || step.Neg {
		return 0, 0, 0, false
	}
	e := min(d.E, step.E)
	xv, okx := scale64(d.C, d.E-e)
	sv, oks := scale64(step.C, step.E-e)
	if !okx || !oks {
		return 0, 0, 0, false
	}
	return xv / sv, xv % sv, sv, true
}

// Digits returns the number of decimal digits of v (1 for 0).
func Digits(v uint64) int { return digits64(v) }

// scale64 returns c*10^d for 0 <= d, and whether it fits in 64 bits.
func scale64(c uint64, d int32) (uint64, bool) {
	if d == 0 {
		return c, true
	}
	if d >= int32(len(pow10)) {
		return 0, c == 0
	}
	hi, lo := bits.Mul64(c, pow10[d])
	return lo, hi == 0
}
