package num

import "math/bits"

// The kernels: apd's Add, Mul and Quo on small operands, step by step, on
// machine integers. Each returns the result, whether it is inexact, and
// false when it declines (the result falls outside the window where apd's
// subnormal, clamping and overflow rules cannot apply, or an operand is
// beyond apd's own limits), in which case the caller runs apd.

// addSub is Add (o == opAdd) or Sub: apd's Context.add on x and y with
// yn for y's sign (flipped for a subtraction). On the fast path it aligns
// on the smaller exponent, adds or subtracts exactly and rounds once;
// every call is in tail position.
func (c *Ctx) addSub(x, y Dec, yn bool, o op) Dec {
	if !c.fast || c.Err != nil || x.big != nil || y.big != nil {
		return c.slow(o, x, y)
	}
	var a, b u128
	e := x.e
	switch s := x.e - y.e; {
	case s == 0:
		a.lo, b.lo = x.c, y.c
	case s > 0 && s < int32(len(pow10)):
		a.hi, a.lo = bits.Mul64(x.c, pow10[s])
		b.lo, e = y.c, y.e
	case s < 0 && s > -int32(len(pow10)):
		b.hi, b.lo = bits.Mul64(y.c, pow10[-s])
		a.lo = x.c
	default:
		return c.addLong(x, y, yn, o)
	}
	neg := x.neg
	if neg == yn {
		var carry uint64
		a.lo, carry = bits.Add64(a.lo, b.lo, 0)
		a.hi += b.hi + carry // no overflow: both below 2^127
	} else {
		if a.hi < b.hi || a.hi == b.hi && a.lo < b.lo {
			a, b, neg = b, a, !neg
		}
		var borrow uint64
		a.lo, borrow = bits.Sub64(a.lo, b.lo, 0)
		a.hi -= b.hi + borrow
		if a.hi|a.lo == 0 {
			// apd: an exact zero difference is negative only when
			// rounding toward -Inf.
			neg = c.mode == Floor
		}
	}
	q := a.lo
	if a.hi != 0 || q >= c.lim {
		diff := digits128(a) - int(c.prec)
		if diff >= len(pow10) {
			return c.addLong(x, y, yn, o)
		}
		d := pow10[diff]
		var r uint64
		q, r = bits.Div64(a.hi, a.lo, d)
		if r != 0 && c.away(q, neg, cmpHalf(r, d)) {
			if q++; q == c.lim {
				q, diff = q/10, diff+1
			}
		}
		e += int32(diff)
	}
	if !c.inWindow(e) {
		return c.slow(o, x, y)
	}
	return Dec{c: q, e: e, neg: neg}
}

// addLong is addSub for exponents 20 or more apart, or sums that lose 20
// digits or more.
func (c *Ctx) addLong(x, y Dec, yn bool, o op) Dec {
	if r, _, ok := c.add(x, y.c, y.e, yn); ok {
		return r
	}
	return c.slow(o, x, y)
}

// add is apd's Context.add on x and (yc, ye, yn), y's sign already flipped
// for a subtraction, returning the result, whether it is inexact, and
// whether it is computed here.
func (c *Ctx) add(x Dec, yc uint64, ye int32, yn bool) (Dec, bool, bool) {
	var a, b u128
	e := x.e
	switch s := x.e - ye; {
	case s == 0:
		a.lo, b.lo = x.c, yc
	case s > 0 && s < int32(len(pow10)):
		a.hi, a.lo = bits.Mul64(x.c, pow10[s])
		b.lo, e = yc, ye
	case s < 0 && s > -int32(len(pow10)):
		b.hi, b.lo = bits.Mul64(yc, pow10[-s])
		a.lo = x.c
	default:
		return c.addFar(x.c, x.e, x.neg, yc, ye, yn)
	}
	return c.sum128(a, b, e, x.neg, yn)
}

// sum128 adds the aligned magnitudes a (sign xn) and b (sign yn) at
// exponent e and rounds the sum.
func (c *Ctx) sum128(a, b u128, e int32, xn, yn bool) (Dec, bool, bool) {
	neg := xn
	var v u128
	if xn == yn {
		var carry uint64
		v.lo, carry = bits.Add64(a.lo, b.lo, 0)
		v.hi = a.hi + b.hi + carry // no overflow: both below 2^127
	} else {
		if a.hi < b.hi || a.hi == b.hi && a.lo < b.lo {
			a, b, neg = b, a, !neg
		}
		var borrow uint64
		v.lo, borrow = bits.Sub64(a.lo, b.lo, 0)
		v.hi = a.hi - b.hi - borrow
		if v.hi|v.lo == 0 {
			// apd: an exact zero difference is negative only when
			// rounding toward -Inf.
			neg = c.mode == Floor
		}
	}
	return c.round128(v, e, neg)
}

// addFar is add for exponents 20 or more apart.
func (c *Ctx) addFar(xc uint64, xe int32, xn bool, yc uint64, ye int32, yn bool) (Dec, bool, bool) {
	// h is the operand with the larger exponent, l the other.
	hc, he, lc, le := xc, xe, yc, ye
	if xe < ye {
		hc, he, lc, le = yc, ye, xc, xe
	}
	if int64(he)-int64(le) > 99_000 {
		return Dec{}, false, false // apd's alignment fails, or its rounding does
	}
	p := int64(c.prec)
	var h, l u128 // aligned on exponent e
	var e int32
	switch {
	case hc == 0:
		// The sum is l exactly, at its exponent.
		l.lo, e = lc, le
	case lc == 0:
		// The sum is h*10^(he-le), of more than p digits, which apd rounds
		// to p digits: the same as aligning h by just enough to reach p
		// digits (by none when it has more already).
		s := max(0, p-int64(digits64(hc)))
		h, e = mulPow10(hc, int(s)), he-int32(s)
	default:
		dh, dl := int64(digits64(hc)), int64(digits64(lc))
		// The sum's leading digit is at least at he+dh-2, its rounding
		// position at least p places lower. When l lies wholly below
		// 10^t, for a t at most he and at most one place below the
		// rounding position, only its sign matters: replace it by one
		// unit of 10^(t-1), which rounds the same way with the same flags
		// and exponent.
		t := min(int64(he), int64(he)+dh-2-p)
		if int64(le)+dl > t {
			return c.addWide(xc, xe, xn, yc, ye, yn)
		}
		h, l, e = mulPow10(hc, int(int64(he)-t+1)), u128{0, 1}, int32(t-1)
	}
	if xe < ye {
		return c.sum128(l, h, e, xn, yn)
	}
	return c.sum128(h, l, e, xn, yn)
}

// addWide is add on 192-bit integers, for aligned operands of up to 41
// digits (what addFar leaves).
func (c *Ctx) addWide(xc uint64, xe int32, xn bool, yc uint64, ye int32, yn bool) (Dec, bool, bool) {
	var a, b u192
	e := min(xe, ye)
	if !a.setScaled(xc, int(xe-e)) || !b.setScaled(yc, int(ye-e)) {
		return Dec{}, false, false
	}
	neg := xn
	if xn == yn {
		if !a.add(&b) {
			return Dec{}, false, false
		}
	} else {
		switch a.cmp(&b) {
		case -1:
			b.sub(&a)
			a, neg = b, !neg
		case 0:
			a, neg = u192{}, c.mode == Floor
		default:
			a.sub(&b)
		}
	}
	return c.round192(&a, e, neg)
}

// mul is apd's Context.Mul: the exact product at the sum of the
// exponents, rounded once.
func (c *Ctx) mul(x, y Dec) (Dec, bool, bool) {
	hi, lo := bits.Mul64(x.c, y.c)
	return c.round128(u128{hi, lo}, x.e+y.e, x.neg != y.neg)
}

// round128 is apd's Rounder.Round of (-1)^neg * v * 10^e to c.prec digits:
// keep the leading digits, round on the discarded ones, and renormalise a
// carry (10^p becomes 10^(p-1), exponent + 1).
func (c *Ctx) round128(v u128, e int32, neg bool) (Dec, bool, bool) {
	if v.hi == 0 && v.lo < c.lim {
		return Dec{c: v.lo, e: e, neg: neg}, false, c.inWindow(e)
	}
	return c.roundLong(v, e, neg)
}

func (c *Ctx) roundLong(v u128, e int32, neg bool) (Dec, bool, bool) {
	p := int(c.prec)
	diff := digits128(v) - p
	var q uint64
	var half int
	var inexact bool
	if diff < len(pow10) {
		// v < 10^(p+diff), so v/10^diff < 10^p: one word.
		d := pow10[diff]
		var r uint64
		q, r = bits.Div64(v.hi, v.lo, d)
		inexact, half = r != 0, cmpHalf(r, d)
	} else {
		// 20 <= diff <= 38: divide by 10^19, then by 10^(diff-19).
		const t = 10_000_000_000_000_000_000
		hq, hr := v.hi/t, v.hi%t
		lq, r1 := bits.Div64(hr, v.lo, t)
		d := pow10[diff-19]
		var r2 uint64
		q, r2 = bits.Div64(hq, lq, d)
		inexact, half = r1 != 0 || r2 != 0, cmpHalf(r2, d)
		if half == 0 && r1 != 0 {
			half = 1
		}
	}
	if inexact && c.away(q, neg, half) {
		q++
		if q == pow10[p] {
			q = pow10[p-1]
			diff++
		}
	}
	e += int32(diff)
	return Dec{c: q, e: e, neg: neg}, inexact, c.inWindow(e)
}

// round192 is round128 for a 192-bit v; it changes v.
func (c *Ctx) round192(v *u192, e int32, neg bool) (Dec, bool, bool) {
	p := int(c.prec)
	nd := v.digits()
	if nd <= p {
		return Dec{c: v[0], e: e, neg: neg}, false, c.inWindow(e)
	}
	diff := nd - p
	half, inexact := v.shr10(diff)
	q := v[0] // below 10^p
	if inexact && c.away(q, neg, half) {
		q++
		if q == pow10[p] {
			q = pow10[p-1]
			diff++
		}
	}
	e += int32(diff)
	return Dec{c: q, e: e, neg: neg}, inexact, c.inWindow(e)
}

// Quo returns x / y, as apd's Context.Quo: a rounding carry is not
// renormalised (999..9 rounded up is 10^p, a coefficient of p+1 digits).
//
// Like apd, the fast path scales the coefficients to the same number of
// digits, makes the dividend at least the divisor (times ten if needed),
// appends p-1 zeros to it, divides, and rounds once on the remainder. In
// one formula: q = x.c*10^k / y.c, at exponent x.e - y.e - k.
func (c *Ctx) Quo(x, y Dec) Dec {
	if !c.fast || c.Err != nil || x.big != nil || y.big != nil || y.c == 0 {
		return c.slow(opQuo, x, y) // apd's division by zero, or undefined
	}
	neg := x.neg != y.neg
	if x.c == 0 {
		if e := x.e - y.e; c.inWindow(e) {
			return Dec{e: e, neg: neg}
		}
		return c.slow(opQuo, x, y)
	}
	p := int(c.prec)
	dx, dy := digits64(x.c), digits64(y.c)
	var less bool // the aligned dividend is below the aligned divisor
	if dx >= dy {
		hi, lo := bits.Mul64(y.c, pow10[dx-dy])
		less = hi != 0 || x.c < lo
	} else {
		hi, lo := bits.Mul64(x.c, pow10[dy-dx])
		less = hi == 0 && lo < y.c
	}
	k := dy - dx + p - 1
	if less {
		k++
	}
	var q uint64
	var half int
	var inexact bool
	if k >= 0 {
		// x.c*10^k < 10^p * y.c < 2^128, and the quotient fits a word.
		m := mulPow10(x.c, k)
		var r uint64
		q, r = bits.Div64(m.hi, m.lo, y.c)
		inexact, half = r != 0, cmpHalf(r, y.c)
	} else {
		// 1 <= -k <= 19: q = floor(floor(x.c/10^-k) / y.c), whose
		// fraction is (r1 + r0/10^-k)/y.c.
		d := pow10[-k]
		t, r0 := x.c/d, x.c%d
		var r1 uint64
		q, r1 = t/y.c, t%y.c
		inexact = r0 != 0 || r1 != 0
		half = fracHalf(r1, y.c, r0 != 0, cmpHalf(r0, d))
	}
	if inexact && c.away(q, neg, half) {
		q++ // no renormalisation
	}
	e := x.e - y.e - int32(k)
	if !c.inWindow(e) {
		return c.slow(opQuo, x, y)
	}
	return Dec{c: q, e: e, neg: neg}
}
