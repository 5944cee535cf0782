package margin

import (
	"math/bits"

	"github.com/cockroachdb/apd/v3"
)

// Allocation-free arithmetic for 19-digit operands.
//
// apd keeps a coefficient of up to 128 bits inline, but two of its
// operations reach for a third word on inputs that a precision of 19 makes
// ordinary (measured with apd v3.2.3, Go 1.26):
//
//   - Add of two numbers of the same sign, when aligning their exponents
//     makes either coefficient 2^64 or more: math/big's nat.add sizes its
//     result one word above the longer operand. 0.00009999989300011448984
//     (19 digits) plus 0.000185 allocates twice.
//   - Quo, when the dividend, scaled to the divisor's digits and by
//     10^(precision-1), passes 128 bits: 0.1879727974325666692/20
//     allocates twice.
//
// Inverse contract values are 19-digit quotients, so margin on them would
// allocate. add and quo below avoid those cases and otherwise defer to apd.

// pow10 holds 10^0 through 10^19, every power of ten that fits in a uint64.
var pow10 = [...]uint64{
	1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
}

// add sets z = x + y exactly as ctx.Add does (same value, exponent and
// condition, for every rounding mode). When both coefficients fit in 64
// bits, the aligned operands in 128, and ctx.Precision is between 1 and 19,
// it computes in two machine words and allocates nothing; otherwise it
// calls ctx.Add. z may alias x or y.
func add(ctx *apd.Context, z, x, y *apd.Decimal) (apd.Condition, error) {
	p := int64(ctx.Precision)
	if x.Form != apd.Finite || y.Form != apd.Finite || p < 1 || p >= int64(len(pow10)) ||
		!x.Coeff.IsUint64() || !y.Coeff.IsUint64() {
		return ctx.Add(z, x, y)
	}
	a, b := x, y // a has the larger exponent; b's is the sum's
	if a.Exponent < b.Exponent {
		a, b = b, a
	}
	hi, lo, ok := scale128(a.Coeff.Uint64(), int64(a.Exponent)-int64(b.Exponent))
	if !ok {
		return ctx.Add(z, x, y) // beyond 128 bits: apd allocates anyway
	}
	if hi == 0 {
		return ctx.Add(z, x, y) // one word each: apd stays inline
	}
	// |a| >= 2^64 > |b|, so the sum has a's sign and is not zero.
	neg := a.Negative
	var borrow uint64
	if a.Negative == b.Negative {
		lo, borrow = bits.Add64(lo, b.Coeff.Uint64(), 0)
		hi, borrow = bits.Add64(hi, 0, borrow)
	} else {
		lo, borrow = bits.Sub64(lo, b.Coeff.Uint64(), 0)
		hi, borrow = bits.Sub64(hi, 0, borrow)
	}
	if borrow != 0 {
		return ctx.Add(z, x, y) // a carry out of 128 bits
	}
	exp := int64(b.Exponent)
	var q uint64
	var res apd.Condition
	if k := digits128(hi, lo) - p; k <= 0 {
		q = lo // exact: at most p <= 19 digits, so hi is 0
	} else {
		if k >= int64(len(pow10)) {
			return ctx.Add(z, x, y)
		}
		div := pow10[k]
		var r uint64
		q, r = bits.Div64(hi, lo, div) // hi < div: the quotient has p digits
		exp += k
		res = apd.Rounded
		if r != 0 {
			res |= apd.Inexact
			half := 1 // compare r with div/2 as r with div - r
			switch rest := div - r; {
			case r < rest:
				half = -1
			case r == rest:
				half = 0
			}
			var c apd.BigInt
			c.SetUint64(q)
			if ctx.Rounding.ShouldAddOne(&c, neg, half) {
				q++
				if q == pow10[p] {
					q = pow10[p-1]
					exp++
				}
			}
		}
	}
	if adj := exp + digits128(0, q) - 1; adj > int64(ctx.MaxExponent) || adj < int64(ctx.MinExponent) {
		return ctx.Add(z, x, y) // apd's overflow and subnormal handling
	}
	z.Form = apd.Finite
	z.Negative = neg
	z.Exponent = int32(exp)
	z.Coeff.SetUint64(q)
	return res.GoError(ctx.Traps)
}

// sub sets z = x - y as ctx.Sub does, without allocating where [add] does
// not. z may alias x or y.
func sub(ctx *apd.Context, z, x, y *apd.Decimal) (apd.Condition, error) {
	if y.Form != apd.Finite || y.IsZero() {
		return ctx.Sub(z, x, y)
	}
	var ny apd.Decimal
	ny.Neg(y) // apd computes x - y as x + (-y) too
	return add(ctx, z, x, &ny)
}

// scale128 returns c*10^shift as hi:lo, and whether it fits in 128 bits.
func scale128(c uint64, shift int64) (hi, lo uint64, ok bool) {
	const maxPow = int64(len(pow10)) - 1 // 19
	if shift <= maxPow {
		hi, lo = bits.Mul64(c, pow10[shift])
		return hi, lo, true
	}
	if shift > 2*maxPow {
		return 0, 0, c == 0
	}
	hi, lo = bits.Mul64(c, pow10[maxPow])
	m := pow10[shift-maxPow]
	h1, l1 := bits.Mul64(hi, m)
	h2, l2 := bits.Mul64(lo, m)
	hi, carry := bits.Add64(l1, h2, 0)
	return hi, l2, h1 == 0 && carry == 0
}

// digits128 returns the number of decimal digits of hi:lo (1 for 0).
func digits128(hi, lo uint64) int64 {
	if hi == 0 {
		d := int64(1)
		for d < int64(len(pow10)) && lo >= pow10[d] {
			d++
		}
		return d
	}
	d := int64(len(pow10)) // 10^19 < 2^64 <= hi:lo, so at least 20 digits
	for d-19 < int64(len(pow10)) {
		// 10^d as hi:lo: 10^(d-19) * 10^19.
		ph, pl := bits.Mul64(pow10[d-19], pow10[19])
		if hi < ph || hi == ph && lo < pl {
			return d
		}
		d++
	}
	return d // 39: 2^128 < 10^39
}

// quo sets z = x/y, rounded to ctx's precision, without allocating.
//
// When both operands have at most 18 significant digits, the dividend
// stays within apd's inline words and quo divides directly (one rounding).
// Otherwise it multiplies x by 1/y: 1/y scales a one-digit dividend, and a
// product of two 19-digit coefficients fits in 128 bits. That rounds twice,
// a relative error below 1e-18 at precision 19.
func quo(ctx *apd.Context, z, x, y *apd.Decimal) error {
	if x.NumDigits() <= quoDigits && y.NumDigits() <= quoDigits {
		_, err := ctx.Quo(z, x, y)
		return err
	}
	var r apd.Decimal
	if _, err := ctx.Quo(&r, &one, y); err != nil {
		return err
	}
	_, err := ctx.Mul(z, x, &r)
	return err
}

// quoDigits is the largest operand size, in digits, that apd's Quo divides
// without allocating at precision 19.
const quoDigits = 18
