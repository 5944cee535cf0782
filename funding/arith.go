package funding

import (
	"fmt"
	"math/bits"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/internal/fastdec"
)

// This file holds the arithmetic that apd cannot do without allocating, and
// the validation shared by the package.
//
// apd's Add allocates whenever aligning the exponents of two operands of the
// same sign gives a coefficient of more than 64 bits (big.nat.add asks for a
// third word beyond the two inline ones), and its Sub allocates once the
// aligned coefficient passes 128 bits. Two 19-digit rates with different
// exponents (1.428571428571428571e-4 + 5.2e-5) already do. apd's Quo
// allocates when the dividend, scaled to the divisor's digits (and by 10 if
// it is then smaller), passes 64 bits, because multiplying that two-word
// value by 10^(precision-1) asks for a third word: 4938468530261438769e-22 /
// 5e12 does. Sums and quotients are therefore computed exactly on 192-bit
// integers and rounded once, in ctx's precision and rounding mode, exactly
// as apd rounds them; results are identical to apd's, value and exponent
// (tested for every precision 1-19 and every rounding mode), without the
// allocation. apd's Mul does not allocate for coefficients of up to 19
// digits at precision 19; products go through internal/fastdec's kernel in
// the default context (the same result, faster) and through apd otherwise.
// The averaging of premium samples uses the same integers, so that the sum
// of a whole window is exact and the mean is rounded once.

// fastPrecision is the largest precision of the integer paths: a rounded
// coefficient must fit in a uint64 (10^19 < 2^64). Larger precisions, and
// precision 0, use apd directly (correct, but allocating).
const fastPrecision = 19

// u192 is an unsigned 192-bit integer, least significant word first.
type u192 [3]uint64

// pow10 holds 10^0 to 10^19, the powers of ten that fit in a uint64.
var pow10 = [...]uint64{
	1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13,
	1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
}

// pow10Wide holds 10^0 to 10^57 (10^57 < 2^192 < 10^58). It is computed once
// and only read.
var pow10Wide = func() (t [58]u192) {
	t[0] = u192{1}
	for i := 1; i < len(t); i++ {
		t[i] = t[i-1]
		t[i].mul64(10)
	}
	return t
}()

// mul64 sets x = x*m and reports whether the product fits.
func (x *u192) mul64(m uint64) bool {
	h0, l0 := bits.Mul64(x[0], m)
	h1, l1 := bits.Mul64(x[1], m)
	h2, l2 := bits.Mul64(x[2], m)
	var c uint64
	x[0] = l0
	x[1], c = bits.Add64(l1, h0, 0)
	x[2], c = bits.Add64(l2, h1, c)
	return h2 == 0 && c == 0
}

// setScaled sets x = c*10^k and reports whether it fits.
func (x *u192) setScaled(c uint64, k int) bool {
	*x = u192{c}
	for k > 0 {
		step := min(k, 19)
		if !x.mul64(pow10[step]) {
			return false
		}
		k -= step
	}
	return true
}

// add sets x = x+y and reports whether the sum fits.
func (x *u192) add(y *u192) bool {
	var c uint64
	x[0], c = bits.Add64(x[0], y[0], 0)
	x[1], c = bits.Add64(x[1], y[1], c)
	x[2], c = bits.Add64(x[2], y[2], c)
	return c == 0
}

// add64 sets x = x+v and reports whether the sum fits.
func (x *u192) add64(v uint64) bool {
	return x.add(&u192{v})
}

// sub sets x = x-y; x must not be less than y.
func (x *u192) sub(y *u192) {
	var b uint64
	x[0], b = bits.Sub64(x[0], y[0], 0)
	x[1], b = bits.Sub64(x[1], y[1], b)
	x[2], _ = bits.Sub64(x[2], y[2], b)
}

// cmp returns -1, 0 or +1 as x is less than, equal to or greater than y.
func (x *u192) cmp(y *u192) int {
	for i := 2; i >= 0; i-- {
		switch {
		case x[i] < y[i]:
			return -1
		case x[i] > y[i]:
			return 1
		}
	}
	return 0
}

// divmod64 sets x = x/d (truncated) and returns the remainder; d > 0.
func (x *u192) divmod64(d uint64) uint64 {
	var r uint64
	for i := 2; i >= 0; i-- {
		x[i], r = bits.Div64(r, x[i], d)
	}
	return r
}

// digits returns the number of decimal digits of x; 0 for zero.
func (x *u192) digits() int {
	lo, hi := 0, len(pow10Wide) // x >= 10^lo (or lo == 0); x < 10^hi
	for lo < hi {
		mid := (lo + hi) / 2
		if x.cmp(&pow10Wide[mid]) >= 0 {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// digits64 returns the number of decimal digits of c; 0 for zero.
func digits64(c uint64) int {
	// log10(2) ~ 1233/4096: an estimate that is exact or one short.
	d := (bits.Len64(c) * 1233) >> 12
	if d < len(pow10) && c >= pow10[d] {
		d++
	}
	return d
}

// rateCoeff returns the coefficient of x when x is a valid rate (as
// checkRate decides), and false otherwise; it is checkRate without apd's
// digit counting, for the inner loop of Average.
func rateCoeff(x *apd.Decimal) (uint64, bool) {
	if x.Form != apd.Finite || !x.Coeff.IsUint64() {
		return 0, false
	}
	c := x.Coeff.Uint64()
	if c == 0 {
		return 0, !x.Negative && x.Exponent >= -derivmath.MaxScale && x.Exponent <= derivmath.MaxScale
	}
	d := digits64(c)
	return c, d <= derivmath.MaxDigits && x.Exponent >= -derivmath.MaxScale && int(x.Exponent)+d <= 0
}

// setRounded sets z to (-1)^neg * m * 10^exp rounded to ctx.Precision digits
// in ctx.Rounding, as apd's rounding does, and reports whether it could (it
// cannot when the result would fall outside ctx's exponent range, or the
// precision is not in [1, fastPrecision]; the caller then uses apd).
//
// sticky reports that nonzero digits below m were truncated away; m must then
// have more than ctx.Precision digits. While the result is exact, trailing
// zeros are removed as long as the exponent stays at most ideal. z is written
// last, so it may alias anything the caller read m from.
func setRounded(ctx *apd.Context, z *apd.Decimal, m *u192, exp int64, neg, sticky bool, ideal int64) (bool, error) {
	p := int(ctx.Precision)
	if p < 1 || p > fastPrecision {
		return false, nil
	}
	q := *m
	inexact := sticky
	half := -1
	var res apd.Condition
	if d := q.digits(); d > p {
		for k := d - p - 1; k > 0; {
			step := min(k, 19)
			if q.divmod64(pow10[step]) != 0 {
				inexact = true
			}
			k -= step
		}
		last := q.divmod64(10)
		switch {
		case last > 5 || last == 5 && inexact:
			half = 1
		case last == 5:
			half = 0
		}
		if last != 0 {
			inexact = true
		}
		exp += int64(d - p)
		res |= apd.Rounded
	}
	c := q[0] // q < 10^p <= 10^19: one word
	if inexact {
		res |= apd.Inexact | apd.Rounded
		var b apd.BigInt
		b.SetUint64(c)
		if ctx.Rounding.ShouldAddOne(&b, neg, half) {
			c++
			if c == pow10[p] {
				c = pow10[p-1]
				exp++
			}
		}
	} else {
		for exp < ideal && c != 0 && c%10 == 0 {
			c /= 10
			exp++
		}
	}
	if c != 0 {
		adj := exp + int64(digits64(c)) - 1
		if adj > int64(ctx.MaxExponent) || adj < int64(ctx.MinExponent) {
			return false, nil
		}
	} else if exp > int64(ctx.MaxExponent) || exp < int64(ctx.MinExponent) {
		return false, nil
	}
	z.Form = apd.Finite
	z.Coeff.SetUint64(c)
	z.Exponent = int32(exp)
	z.Negative = neg && c != 0
	_, err := res.GoError(ctx.Traps)
	return true, err
}

// mul sets z = x*y as ctx.Mul does: through internal/fastdec's integer
// kernel in the default context, which gives apd's result without apd's
// cost, and through apd otherwise.
func mul(ctx *apd.Context, z, x, y *apd.Decimal) error {
	return fastdec.In(ctx).Mul(z, x, y)
}

// add sets z = x+y, rounded once; z may alias x or y. A zero sum is +0.
func add(ctx *apd.Context, z, x, y *apd.Decimal) error {
	return addSub(ctx, z, x, y, false)
}

// sub sets z = x-y, rounded once; z may alias x or y. A zero difference is
// +0.
func sub(ctx *apd.Context, z, x, y *apd.Decimal) error {
	return addSub(ctx, z, x, y, true)
}

// maxShift is the largest exponent difference addSub aligns on integers:
// 19 digits shifted by 38 places stay below 10^57.
const maxShift = 38

func addSub(ctx *apd.Context, z, x, y *apd.Decimal, subtract bool) error {
	if x.Form == apd.Finite && y.Form == apd.Finite && x.Coeff.IsUint64() && y.Coeff.IsUint64() {
		e := min(x.Exponent, y.Exponent)
		sx, sy := int(x.Exponent-e), int(y.Exponent-e)
		if sx <= maxShift && sy <= maxShift {
			var a, b u192
			a.setScaled(x.Coeff.Uint64(), sx)
			b.setScaled(y.Coeff.Uint64(), sy)
			neg, yneg := x.Negative, y.Negative != subtract
			switch {
			case neg == yneg:
				a.add(&b) // < 2*10^57 < 2^192
			case a.cmp(&b) >= 0:
				a.sub(&b)
			default:
				b.sub(&a)
				a, neg = b, yneg
			}
			ok, err := setRounded(ctx, z, &a, int64(e), neg, false, int64(e))
			if ok {
				return err
			}
		}
	}
	var err error
	if subtract {
		_, err = ctx.Sub(z, x, y)
	} else {
		_, err = ctx.Add(z, x, y)
	}
	if err == nil && z.IsZero() {
		z.Negative = false
	}
	return err
}

// positiveZero turns a -0 in z, which apd's multiplication gives for
// -x * 0, into 0: no result of this package is -0, which
// derivmath.CheckDecimal rejects.
func positiveZero(z *apd.Decimal) {
	if z.IsZero() {
		z.Negative = false
	}
}

// quo sets z = x/y rounded once, as ctx.Quo does: the same value, with the
// same exponent except that a rounding carry gives 10^(p-1) rather than
// apd's p+1-digit 10^p. y must not be zero. z may alias x or y.
func quo(ctx *apd.Context, z, x, y *apd.Decimal) error {
	p := int(ctx.Precision)
	if p >= 1 && p <= fastPrecision && x.Form == apd.Finite && y.Form == apd.Finite &&
		x.Coeff.IsUint64() && y.Coeff.IsUint64() && !x.IsZero() && !y.IsZero() {
		a, b := x.Coeff.Uint64(), y.Coeff.Uint64()
		// a*10^k has at least p+1 more digits than b, so the integer
		// quotient has at least p+1 digits: enough to round.
		k := max(0, p+1+digits64(b)-digits64(a))
		var m u192
		m.setScaled(a, k) // at most 40 digits
		r := m.divmod64(b)
		exp := int64(x.Exponent) - int64(y.Exponent) - int64(k)
		ok, err := setRounded(ctx, z, &m, exp, x.Negative != y.Negative, r != 0, exp)
		if ok {
			return err
		}
	}
	_, err := ctx.Quo(z, x, y)
	return err
}

// setDuration sets z to d in nanoseconds, exactly.
func setDuration(z *apd.Decimal, d time.Duration) *apd.Decimal {
	return z.SetInt64(int64(d))
}

// day is 24 hours; year is 365 days, the year of every annualised figure.
const (
	day  = 24 * time.Hour
	year = 365 * day
)

// perDay returns the number of funding intervals in a day, or ErrInterval
// unless interval is positive and divides 24 hours.
func perDay(interval time.Duration) (int64, error) {
	if interval <= 0 || day%interval != 0 {
		return 0, ErrInterval
	}
	return int64(day / interval), nil
}

// checkRate validates a rate: a valid decimal with |x| < 1.
func checkRate(x *apd.Decimal) error {
	if err := derivmath.CheckDecimal(x); err != nil {
		return err
	}
	if !lessThanOne(x) {
		return ErrRate
	}
	return nil
}

// checkBound validates a clamp bound, cap or dead band: 0 <= x < 1.
func checkBound(x *apd.Decimal) error {
	if err := derivmath.CheckDecimal(x); err != nil {
		return err
	}
	if x.Negative || !lessThanOne(x) {
		return ErrBound
	}
	return nil
}

// lessThanOne reports whether |x| < 1 for a finite x: x is zero or its
// adjusted exponent (the exponent of its leading digit) is negative.
func lessThanOne(x *apd.Decimal) bool {
	return x.IsZero() || int64(x.Exponent)+x.NumDigits() <= 0
}

// checkMarginRate validates a margin rate: 0 < x <= 1.
func checkMarginRate(x *apd.Decimal) error {
	if err := derivmath.CheckDecimal(x); err != nil {
		return err
	}
	if x.Sign() <= 0 || x.Cmp(&one) > 0 {
		return ErrMarginRate
	}
	return nil
}

// one is a read-only constant: no function may pass it as a result argument.
var one = *apd.New(1, 0)

// wrap wraps an apd failure with the name of the operation; nil stays nil.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("funding: %s: %w", op, err)
}
