// Package fastdec computes apd operations on small decimals without apd.
//
// Add, Sub, Mul and Quo take [apd.Decimal] operands whose coefficients fit
// in a uint64 and compute the result with 64- and 128-bit integer
// arithmetic (math/bits) and a table of powers of ten: no big.Int, no
// allocation, a few nanoseconds instead of apd's 80 ns (Mul) to 300 ns
// (Quo).
//
// # Exactness contract
//
// Each function either returns true, with z set to exactly what
// apd.BaseContext.WithPrecision(19) with Rounding = apd.RoundHalfEven
// would have produced for the same operation (same Form, Negative,
// Exponent and coefficient, hence the same String(), trailing zeros and
// sign of zero included), or returns false and leaves z untouched. False
// means only "not handled here"; the caller then runs apd with the same
// context:
//
//	if !fastdec.Mul(z, x, y) {
//		ctx.Mul(z, x, y)
//	}
//
// The fast path declines, among others: non-finite operands, negative or
// over-64-bit coefficients, exponents outside [-MaxExponent, MaxExponent]
// (so that no result comes near apd's exponent limits, where apd clamps,
// rounds subnormals or traps), additions whose operands' exponents differ by
// more than 38 or whose aligned operands overflow 128 bits, exact results of
// 39 or more digits, zero divisors and divisors that overflow 64 bits once
// aligned. None of the handled cases sets a trapped condition in apd (only
// Inexact and Rounded occur), so apd would have returned a nil error.
//
// z may alias x or y.
//
// # Use
//
// fastdec is internal: the computing packages call it on their hot paths,
// and only when their context is the one the contract describes, which
// [Default] checks (precision 19, half-even rounding, and apd.BaseContext's
// traps and exponent limits). With any other context they call apd.
package fastdec

import (
	"math/bits"

	"github.com/cockroachdb/apd/v3"
)

// Precision is the number of significant digits of the results.
const Precision = 19

// MaxExponent bounds the exponents of the operands the fast path accepts:
// -MaxExponent <= x.Exponent <= MaxExponent. With apd's limits at
// +-100000, every result of an accepted operation has an adjusted exponent
// well inside them.
const MaxExponent = 40000

// Default reports whether ctx is the context the fast path reproduces:
// precision 19, rounding half-even, and apd.BaseContext's traps and
// exponent limits.
//
// apd.BaseContext.WithPrecision(19) alone is not such a context: its
// Rounding is "", which apd treats as half-up, so Default reports false
// for it. Set Rounding to apd.RoundHalfEven.
func Default(ctx *apd.Context) bool {
	return ctx != nil &&
		ctx.Precision == Precision &&
		ctx.Rounding == apd.RoundHalfEven &&
		ctx.Traps == apd.BaseContext.Traps &&
		ctx.MaxExponent == apd.BaseContext.MaxExponent &&
		ctx.MinExponent == apd.BaseContext.MinExponent
}

// pow10 holds 10^0 .. 10^19 (10^19 < 2^64).
var pow10 = [20]uint64{
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
	1000000000, 10000000000, 100000000000, 1000000000000,
	10000000000000, 100000000000000, 1000000000000000,
	10000000000000000, 100000000000000000, 1000000000000000000,
	10000000000000000000,
}

// u128 is an unsigned 128-bit integer.
type u128 struct{ hi, lo uint64 }

// pow10x holds 10^0 .. 10^38 (10^38 < 2^128 < 10^39).
var pow10x = func() (t [39]u128) {
	t[0] = u128{0, 1}
	for i := 1; i < len(t); i++ {
		t[i], _ = mul128(t[i-1], 10)
	}
	return t
}()

// mul128 returns a*m and whether it fits in 128 bits.
func mul128(a u128, m uint64) (u128, bool) {
	h1, l1 := bits.Mul64(a.lo, m)
	h2, l2 := bits.Mul64(a.hi, m)
	hi, c := bits.Add64(h1, l2, 0)
	return u128{hi, l1}, h2 == 0 && c == 0
}

// less reports whether a < b.
func less(a, b u128) bool {
	return a.hi < b.hi || a.hi == b.hi && a.lo < b.lo
}

// digits64 returns the number of decimal digits of v (1 for 0).
func digits64(v uint64) int {
	if v == 0 {
		return 1
	}
	t := (bits.Len64(v) * 1233) >> 12 // floor(log10 v) or one more
	if v < pow10[t] {
		return t
	}
	return t + 1
}

// digits128 returns the number of decimal digits of v (1 for 0).
func digits128(v u128) int {
	if v.hi == 0 {
		return digits64(v.lo)
	}
	t := ((64 + bits.Len64(v.hi)) * 1233) >> 12 // 19 <= t <= 38
	if less(v, pow10x[t]) {
		return t
	}
	return t + 1
}

// round rounds v*10^exp to Precision digits the way apd's Rounder.Round
// does: if v has more than Precision digits, it keeps the leading
// Precision digits, rounds on the discarded ones (half-even if even, else
// half-up), and when rounding up carries into a new digit (999..9 + 1) it
// divides by ten and increments the exponent. It returns false when v has
// more than 38 digits.
func round(v u128, exp int32, even bool) (uint64, int32, bool) {
	if v.hi == 0 && v.lo < pow10[Precision] {
		return v.lo, exp, true
	}
	nd := digits128(v)
	diff := nd - Precision
	if diff > Precision {
		return 0, 0, false
	}
	p := pow10[diff]
	// v < 10^nd, so v/p < 10^19 < 2^64 and v.hi < p: Div64 cannot panic.
	q, r := bits.Div64(v.hi, v.lo, p)
	if half := p / 2; r > half || r == half && (!even || q&1 == 1) {
		q++
		if q == pow10[Precision] {
			q = pow10[Precision-1]
			diff++
		}
	}
	return q, exp + int32(diff), true
}

func set(z *apd.Decimal, neg bool, c uint64, exp int32) {
	z.Form = apd.Finite
	z.Negative = neg
	z.Exponent = exp
	z.Coeff.SetUint64(c)
}

// Add sets z to x+y rounded as in the package contract and returns true, or
// returns false, leaving z untouched, when the fast path does not apply.
func Add(z, x, y *apd.Decimal) bool {
	return add(z, x, y, false, true)
}

// Sub sets z to x-y rounded as in the package contract and returns true, or
// returns false, leaving z untouched, when the fast path does not apply.
func Sub(z, x, y *apd.Decimal) bool {
	return add(z, x, y, true, true)
}

// Mul sets z to x*y rounded as in the package contract and returns true, or
// returns false, leaving z untouched, when the fast path does not apply.
func Mul(z, x, y *apd.Decimal) bool {
	return mul(z, x, y, true)
}

// Quo sets z to x/y rounded as in the package contract and returns true, or
// returns false, leaving z untouched, when the fast path does not apply (in
// particular when y is zero).
func Quo(z, x, y *apd.Decimal) bool {
	return quo(z, x, y, true)
}

// scale returns c*10^s, for s > 0, and whether it fits in 128 bits.
func scale(c uint64, s int32) (u128, bool) {
	if s < int32(len(pow10)) {
		hi, lo := bits.Mul64(c, pow10[s])
		return u128{hi, lo}, true
	}
	if s >= int32(len(pow10x)) {
		return u128{}, false
	}
	return mul128(pow10x[s], c)
}

// add mirrors apd's Context.add: align both coefficients on the smaller
// exponent (upscale), add or subtract them exactly, then round.
func add(z, x, y *apd.Decimal, subtract, even bool) bool {
	a, ok := load(x)
	if !ok {
		return false
	}
	b, ok := load(y)
	if !ok {
		return false
	}
	r, ok := addDec(a, b, subtract, even)
	if ok {
		r.store(z)
	}
	return ok
}

// addDec is add on loaded operands. It also declines a result whose
// exponent leaves [-MaxExponent, MaxExponent], so that a chain of Dec
// operations stays where every step matches apd; so do mulDec and quoDec.
func addDec(x, y Dec, subtract, even bool) (Dec, bool) {
	xc, yc := x.C, y.C
	var ok bool
	xn, yn := x.Neg, y.Neg != subtract
	xe, ye := x.E, y.E
	a, b := u128{0, xc}, u128{0, yc}
	exp := xe
	if xe > ye {
		if a, ok = scale(xc, xe-ye); !ok {
			return Dec{}, false
		}
		exp = ye
	} else if xe < ye {
		if b, ok = scale(yc, ye-xe); !ok {
			return Dec{}, false
		}
	}
	var v u128
	neg := xn
	if xn == yn {
		var c uint64
		v.lo, c = bits.Add64(a.lo, b.lo, 0)
		v.hi, c = bits.Add64(a.hi, b.hi, c)
		if c != 0 {
			return Dec{}, false
		}
	} else {
		if less(a, b) {
			a, b = b, a
			neg = !neg
		}
		var br uint64
		v.lo, br = bits.Sub64(a.lo, b.lo, 0)
		v.hi, _ = bits.Sub64(a.hi, b.hi, br)
		if v.hi == 0 && v.lo == 0 {
			// apd: the sign of an exact zero difference is negative
			// only when rounding toward -Inf.
			neg = false
		}
	}
	if v.hi == 0 && v.lo < pow10[Precision] {
		// Exact: round has nothing to do, and the call is saved.
		return checked(Dec{C: v.lo, E: exp, Neg: neg})
	}
	c, e, ok := round(v, exp, even)
	if !ok {
		return Dec{}, false
	}
	return checked(Dec{C: c, E: e, Neg: neg})
}

// mul mirrors apd's Context.Mul: the exact product of the coefficients
// (at most 128 bits) at the sum of the exponents, then rounded.
func mul(z, x, y *apd.Decimal, even bool) bool {
	a, ok := load(x)
	if !ok {
		return false
	}
	b, ok := load(y)
	if !ok {
		return false
	}
	r, ok := mulDec(a, b, even)
	if ok {
		r.store(z)
	}
	return ok
}

// mulDec is mul on loaded operands.
func mulDec(x, y Dec, even bool) (Dec, bool) {
	var v u128
	v.hi, v.lo = bits.Mul64(x.C, y.C)
	if v.hi == 0 && v.lo < pow10[Precision] {
		return checked(Dec{C: v.lo, E: x.E + y.E, Neg: x.Neg != y.Neg})
	}
	c, e, ok := round(v, x.E+y.E, even)
	if !ok {
		return Dec{}, false
	}
	return checked(Dec{C: c, E: e, Neg: x.Neg != y.Neg})
}

// quo mirrors apd's Context.Quo step by step: scale the coefficients to
// the same number of digits, make the dividend at least the divisor (times
// ten if needed), append Precision-1 zeros to it, divide, and round the
// integer quotient once on the remainder. Unlike Rounder.Round, apd's Quo
// does not renormalize a carry: 999..9 rounded up stays 10^19, a 20-digit
// coefficient, and so does this function.
func quo(z, x, y *apd.Decimal, even bool) bool {
	a, ok := load(x)
	if !ok {
		return false
	}
	b, ok := load(y)
	if !ok {
		return false
	}
	r, ok := quoDec(a, b, even)
	if ok {
		r.store(z)
	}
	return ok
}

// quoDec is quo on loaded operands.
func quoDec(x, y Dec, even bool) (Dec, bool) {
	xc, yc := x.C, y.C
	if yc == 0 {
		return Dec{}, false
	}
	var ok bool
	neg := x.Neg != y.Neg
	shift := x.E - y.E
	if xc == 0 {
		return checked(Dec{C: 0, E: shift, Neg: neg})
	}
	ndDiff := digits64(xc) - digits64(yc)
	dividend := u128{0, xc}
	divisor := yc
	if ndDiff < 0 {
		dividend.hi, dividend.lo = bits.Mul64(xc, pow10[-ndDiff])
	} else if ndDiff > 0 {
		var hi uint64
		hi, divisor = bits.Mul64(yc, pow10[ndDiff])
		if hi != 0 {
			return Dec{}, false
		}
	}
	adj := int32(-ndDiff)
	if less(dividend, u128{0, divisor}) {
		dividend, ok = mul128(dividend, 10)
		if !ok {
			return Dec{}, false
		}
		adj++
	}
	dividend, ok = mul128(dividend, pow10[Precision-1])
	if !ok || dividend.hi >= divisor {
		return Dec{}, false
	}
	q, r := bits.Div64(dividend.hi, dividend.lo, divisor)
	if r != 0 {
		if d := divisor - r; r > d || r == d && (!even || q&1 == 1) {
			q++
		}
	}
	return checked(Dec{C: q, E: shift - adj - (Precision - 1), Neg: neg})
}
