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

// A Rounding is a direction in which [Dec.RoundStep] rounds to a step: the
// modes of derivmath.Rounding, in the same order.
type Rounding int8

// The roundings.
const (
	Down     Rounding = 1 + iota // toward zero
	Up                           // away from zero
	Floor                        // toward negative infinity
	Ceiling                      // toward positive infinity
	HalfUp                       // to nearest, ties away from zero
	HalfEven                     // to nearest, ties to the even multiple
)

// RoundStep rounds d to a whole number of a positive step in mode r, on
// integers, and returns it with step's exponent (a zero is positive). It
// returns false when [Dec.Steps] does, or when the number of steps or the
// result has more than prec digits; derivmath.Round then computes, or
// reports, the same with apd.
func (d Dec) RoundStep(step Dec, r Rounding, prec int) (Dec, bool) {
	q, rem, s, ok := d.Steps(step)
	if !ok || digits64(q) > prec {
		return Dec{}, false
	}
	if rem != 0 && away(q, rem, s, d.Neg, r) {
		q++ // no overflow: q has at most 19 digits
	}
	hi, c := bits.Mul64(q, step.C)
	if hi != 0 || digits64(c) > prec {
		return Dec{}, false
	}
	return Dec{C: c, E: step.E, Neg: d.Neg && c != 0}, true
}

// away reports whether a value q*s + rem in magnitude, 0 < rem < s, of sign
// neg rounds in mode r away from zero, to (q+1)*s.
func away(q, rem, s uint64, neg bool, r Rounding) bool {
	switch r {
	case Up:
		return true
	case Floor:
		return neg
	case Ceiling:
		return !neg
	case HalfUp, HalfEven:
		if half := s - rem; rem != half {
			return rem > half
		}
		return r == HalfUp || q&1 == 1
	}
	return false
}
