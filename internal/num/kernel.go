package num

import "math/bits"

// The kernels: apd's Add, Sub, Mul, Quo and Round on small operands, step
// by step, on machine integers. The exported operations take the common
// cases at once, with every call in tail position so that the operands
// stay in registers, and decline (compute through apd) when an operand is
// not small or when the exponent falls outside the window where apd's
// subnormal, clamping and overflow rules cannot apply (see [Ctx.inWindow]).

// Add returns x + y, as apd's Context.Add.
func (c *Ctx) Add(x, y Dec) Dec { return c.addSub(x, y, opAdd) }

// Sub returns x - y, as apd's Context.Sub.
func (c *Ctx) Sub(x, y Dec) Dec { return c.addSub(x, y, opSub) }

// AddExact is [Ctx.Add], recording [ErrRange] if the sum is inexact.
func (c *Ctx) AddExact(x, y Dec) Dec { return c.add(x, y, opAdd|opExact) }

// SubExact is [Ctx.Sub], recording [ErrRange] if the difference is
// inexact.
func (c *Ctx) SubExact(x, y Dec) Dec { return c.add(x, y, opSub|opExact) }

// addSub is Add or Sub: apd's Context.add, which aligns the operands on
// the smaller exponent, adds exactly and rounds once. Here, the case of a
// one-word alignment and sum that needs no rounding; add takes the rest.
func (c *Ctx) addSub(x, y Dec, o op) Dec {
	if !c.fast || x.big != nil || y.big != nil {
		return c.slow(x, y, o)
	}
	a, b, e := x.c, y.c, x.e
	if s := x.e - y.e; s != 0 {
		var hi uint64
		switch {
		case s > 0 && s < 20:
			hi, a = bits.Mul64(a, pow10[s])
			e = y.e
		case s < 0 && s > -20:
			hi, b = bits.Mul64(b, pow10[-s])
		default:
			hi = 1
		}
		if hi != 0 {
			return c.add(x, y, o)
		}
	}
	yn := y.neg != (o == opSub)
	v, neg := a-b, x.neg
	var carry uint64
	switch {
	case x.neg == yn:
		v, carry = bits.Add64(a, b, 0)
	case a < b:
		v, neg = b-a, yn
	case v == 0:
		neg = c.mode == Floor // apd: -0 only when rounding toward -Inf
	}
	if carry != 0 || v >= c.lim || !c.inWindow(e) {
		return c.add(x, y, o)
	}
	return Dec{c: v, e: e, neg: neg}
}

// add is addSub in every case, with opExact too.
func (c *Ctx) add(x, y Dec, o op) Dec {
	if c.fast && x.big == nil && y.big == nil {
		yn := y.neg != (o&^opExact == opSub)
		if a, b, e, ok := align(x.c, x.e, y.c, y.e); ok {
			if c.inWindow(e) {
				v, neg := c.sum(a, b, x.neg, yn)
				r, inexact := c.round128(v, e, neg)
				return c.exact(r, inexact && o&opExact != 0)
			}
		} else if r, inexact, ok := c.addFar(x.c, x.e, x.neg, y.c, y.e, yn); ok {
			return c.exact(r, inexact && o&opExact != 0)
		}
	}
	return c.slow(x, y, o)
}

// align returns the magnitudes of x and y aligned on the smaller of their
// exponents, and that exponent; false when the exponents are 20 or more
// apart.
func align(xc uint64, xe int32, yc uint64, ye int32) (a, b u128, e int32, ok bool) {
	a.lo, b.lo, e = xc, yc, min(xe, ye)
	if s := xe - ye; s > 0 {
		a.hi, a.lo = bits.Mul64(xc, pow10pad[s&31])
	} else if s < 0 {
		b.hi, b.lo = bits.Mul64(yc, pow10pad[-s&31])
	}
	return a, b, e, uint32(xe-ye+19) <= 38
}

// sum returns the magnitude and sign of a + b, where a has the sign xn
// and b the sign yn, and one of them is below 2^64 (so that the sum fits).
// An exact zero difference is negative only when rounding toward -Inf, as
// apd makes it.
func (c *Ctx) sum(a, b u128, xn, yn bool) (u128, bool) {
	if xn == yn {
		var carry uint64
		a.lo, carry = bits.Add64(a.lo, b.lo, 0)
		a.hi += b.hi + carry
		return a, xn
	}
	if a.hi < b.hi || a.hi == b.hi && a.lo < b.lo {
		a, b, xn = b, a, yn
	}
	var borrow uint64
	a.lo, borrow = bits.Sub64(a.lo, b.lo, 0)
	a.hi -= b.hi + borrow
	if a.hi|a.lo == 0 {
		xn = c.mode == Floor
	}
	return a, xn
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
	p := int64(c.aprec)
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
	if !c.inWindow(e) {
		return Dec{}, false, false
	}
	if xe < ye {
		h, l = l, h
	}
	v, neg := c.sum(h, l, xn, yn)
	r, inexact := c.round128(v, e, neg)
	return r, inexact, true
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

// Mul returns x * y, as apd's Context.Mul: the exact product at the sum
// of the exponents, rounded once.
func (c *Ctx) Mul(x, y Dec) Dec {
	e := x.e + y.e
	if !c.fast || x.big != nil || y.big != nil || !c.inWindow(e) {
		return c.slow(x, y, opMul)
	}
	hi, lo := bits.Mul64(x.c, y.c)
	if hi == 0 && lo < c.lim {
		return Dec{c: lo, e: e, neg: x.neg != y.neg}
	}
	r, _ := c.round128(u128{hi, lo}, e, x.neg != y.neg)
	return r
}

// MulExact is [Ctx.Mul], recording [ErrRange] if the product is inexact.
func (c *Ctx) MulExact(x, y Dec) Dec {
	e := x.e + y.e
	if !c.fast || x.big != nil || y.big != nil || !c.inWindow(e) {
		return c.slow(x, y, opMul|opExact)
	}
	hi, lo := bits.Mul64(x.c, y.c)
	return c.exact(c.round128(u128{hi, lo}, e, x.neg != y.neg))
}

// exact returns r, or records [ErrRange] if r is inexact.
func (c *Ctx) exact(r Dec, inexact bool) Dec {
	if inexact {
		c.Fail(ErrRange)
		return Dec{}
	}
	return r
}

// Round returns x rounded to the context's precision, as apd's
// Context.Round.
func (c *Ctx) Round(x Dec) Dec {
	if !c.fast || x.big != nil || !c.inWindow(x.e) {
		return c.slow(x, Dec{}, opRound)
	}
	r, _ := c.round128(u128{0, x.c}, x.e, x.neg)
	return r
}

// round128 is apd's Rounder.Round of (-1)^neg * v * 10^e to c.aprec digits,
// e in the window: keep the leading digits, round on the discarded ones,
// and renormalise a carry (10^p becomes 10^(p-1), exponent + 1). It also
// returns whether the result is inexact.
func (c *Ctx) round128(v u128, e int32, neg bool) (Dec, bool) {
	if v.hi == 0 && v.lo < c.lim {
		return Dec{c: v.lo, e: e, neg: neg}, false
	}
	p := int(c.aprec)
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
	if inexact && c.mode.away(q, neg, half) {
		q++
		if q == pow10[p] {
			q = pow10[p-1]
			diff++
		}
	}
	e += int32(diff)
	return Dec{c: q, e: e, neg: neg}, inexact
}

// round192 is round128 for a 192-bit v; it changes v.
func (c *Ctx) round192(v *u192, e int32, neg bool) (Dec, bool, bool) {
	p := int(c.aprec)
	nd := v.digits()
	if nd <= p {
		return Dec{c: v[0], e: e, neg: neg}, false, c.inWindow(e)
	}
	diff := nd - p
	half, inexact := v.shr10(diff)
	q := v[0] // below 10^p
	if inexact && c.mode.away(q, neg, half) {
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
	if !c.fast || x.big != nil || y.big != nil || y.c == 0 || x.c == 0 {
		return c.quoSlow(x, y, 0) // division by zero or undefined: apd's condition
	}
	dx, dy := digits64(x.c), digits64(y.c)
	k := dy - dx + int(c.aprec) - 1
	if dx >= dy {
		if hi, lo := bits.Mul64(y.c, pow10[dx-dy]); hi != 0 || x.c < lo {
			k++
		}
	} else if hi, lo := bits.Mul64(x.c, pow10[dy-dx]); hi == 0 && lo < y.c {
		k++
	}
	e := x.e - y.e - int32(k)
	if k < 0 || !c.inWindow(e) {
		return c.quoSlow(x, y, k)
	}
	// x.c*10^k < 10^p * y.c < 2^128, and the quotient fits a word.
	m := mulPow10(x.c, k)
	q, r := bits.Div64(m.hi, m.lo, y.c)
	neg := x.neg != y.neg
	if r != 0 && c.mode.away(q, neg, cmpHalf(r, y.c)) {
		q++ // no renormalisation
	}
	return Dec{c: q, e: e, neg: neg}
}

// quoSlow is Quo for a zero dividend, for a k < 0 (a dividend of more
// digits than p plus the divisor's: q = floor(floor(x.c/10^-k) / y.c),
// whose fraction is (r1 + r0/10^-k)/y.c), and for the rest through apd.
func (c *Ctx) quoSlow(x, y Dec, k int) Dec {
	e, neg := x.e-y.e-int32(k), x.neg != y.neg
	switch {
	case !c.fast || x.big != nil || y.big != nil || y.c == 0 || !c.inWindow(e):
		return c.slow(x, y, opQuo)
	case x.c == 0:
		return Dec{e: e, neg: neg}
	}
	d := pow10[-k]
	t, r0 := x.c/d, x.c%d
	q, r1 := t/y.c, t%y.c
	if (r0 != 0 || r1 != 0) && c.mode.away(q, neg, fracHalf(r1, y.c, r0 != 0, cmpHalf(r0, d))) {
		q++
	}
	return Dec{c: q, e: e, neg: neg}
}
