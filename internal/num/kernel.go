package num

import "math/bits"

// The kernels: apd's Add, Sub, Mul and Quo on small operands, step by step,
// on machine integers. The exported operations take the common case at
// once, with every call in tail position so that the operands stay in
// registers, and decline (compute through apd) when an operand is not
// small or an exponent falls outside the window of inWindow.

// Add returns x + y, as apd's Context.Add.
func (c *Ctx) Add(x, y Dec) Dec { return c.addSub(x, y, opAdd) }

// Sub returns x - y, as apd's Context.Sub.
func (c *Ctx) Sub(x, y Dec) Dec { return c.addSub(x, y, opSub) }

// Accumulate returns acc + x for a running total, skipping a zero term:
// acc for a zero x, x for a zero acc (so a total of one term is that term,
// unrounded, at its own exponent), else [Ctx.Add]. A total starts from the
// zero Dec.
func (c *Ctx) Accumulate(acc, x Dec) Dec {
	switch {
	case x.IsZero():
		return acc
	case acc.IsZero():
		return x
	}
	return c.Add(acc, x)
}

// AddExact is [Ctx.Add], recording [ErrRange] if the sum is inexact.
func (c *Ctx) AddExact(x, y Dec) Dec { return c.add(x, y, opAdd|opExact) }

// SubExact is [Ctx.Sub], recording [ErrRange] if the difference is
// inexact.
func (c *Ctx) SubExact(x, y Dec) Dec { return c.add(x, y, opSub|opExact) }

// addSub is Add or Sub: apd's Context.add, which aligns the operands on
// the smaller exponent, adds exactly and rounds once. Here, the case of a
// one-word alignment; add takes the rest.
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
	switch {
	case !c.inWindow(e):
		return c.add(x, y, o)
	case carry != 0 || v >= c.lim:
		r, _ := c.round128(u128{carry, v}, e, neg)
		return r
	}
	return Dec{c: v, e: e, neg: neg}
}

// add is addSub in every case, opExact included.
func (c *Ctx) add(x, y Dec, o op) Dec {
	if c.fast && x.big == nil && y.big == nil {
		yn := y.neg != (o&^opExact == opSub)
		var r Dec
		var inexact, ok bool
		if a, b, e, near := align(x.c, x.e, y.c, y.e); !near {
			r, inexact, ok = c.addFar(x, y, yn)
		} else if ok = c.inWindow(e); ok {
			v, neg := c.sum(a, b, x.neg, yn)
			r, inexact = c.round128(v, e, neg)
		}
		if ok {
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
// An exact zero difference is negative only when rounding toward -Inf.
func (c *Ctx) sum(a, b u128, xn, yn bool) (u128, bool) {
	if xn == yn {
		var carry uint64
		a.lo, carry = bits.Add64(a.lo, b.lo, 0)
		a.hi += b.hi + carry
		return a, xn
	}
	if a.cmp(b) < 0 {
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

// addFar is add for exponents 20 or more apart, y's sign being yn.
func (c *Ctx) addFar(x, y Dec, yn bool) (Dec, bool, bool) {
	// h is the operand with the larger exponent, l the other.
	hc, he, lc, le := x.c, x.e, y.c, y.e
	if x.e < y.e {
		hc, he, lc, le = y.c, y.e, x.c, x.e
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
		// The sum's leading digit is at least at he+dh-2, its rounding
		// position at least p places lower. When l lies wholly below
		// 10^t, for a t at most he and at most one place below the
		// rounding position, only its sign matters: replace it by one
		// unit of 10^(t-1), which rounds the same way with the same flags
		// and exponent. Otherwise the aligned operands have at most 41
		// digits: a Sum adds them.
		t := min(int64(he), int64(he)+int64(digits64(hc))-2-p)
		if int64(le)+int64(digits64(lc)) > t {
			var s Sum
			s.Add(x)
			s.Add(Dec{c: y.c, e: y.e, neg: yn})
			if s.v.isZero() {
				s.neg = c.mode == Floor // x and y are not zero
			}
			r, inexact := c.round192(&s.v, s.e, s.neg)
			return r, inexact, c.inWindow(r.e)
		}
		h, l, e = mulPow10(hc, int(int64(he)-t+1)), u128{0, 1}, int32(t-1)
	}
	if !c.inWindow(e) {
		return Dec{}, false, false
	}
	if x.e < y.e {
		h, l = l, h
	}
	v, neg := c.sum(h, l, x.neg, yn)
	r, inexact := c.round128(v, e, neg)
	return r, inexact, true
}

// Mul returns x * y, as apd's Context.Mul: the exact product at the sum
// of the exponents, rounded once.
func (c *Ctx) Mul(x, y Dec) Dec {
	if r, ok := c.mulWord(x, y); ok {
		return r
	}
	return c.mulRound(x, y, opMul)
}

// MulAbs returns |x * y|, [Ctx.Mul] then [Dec.Abs], in one call.
func (c *Ctx) MulAbs(x, y Dec) Dec {
	if r, ok := c.mulWord(x, y); ok {
		r.neg = false
		return r
	}
	return c.mulRound(x, y, opMul).Abs()
}

// MulQuo returns x / y when quo ([Ctx.Quo]), else x * y ([Ctx.Mul]), in
// one call: a formula that divides or multiplies by the kind of contract
// calls it without a branch of its own, and inlines.
func (c *Ctx) MulQuo(x, y Dec, quo bool) Dec {
	if quo {
		return c.Quo(x, y)
	}
	if r, ok := c.mulWord(x, y); ok {
		return r
	}
	return c.mulRound(x, y, opMul)
}

// MulMul returns x * y * z, [Ctx.Mul] of [Ctx.Mul](x, y) and z, in one
// call.
func (c *Ctx) MulMul(x, y, z Dec) Dec {
	n, ok := c.mulWord(x, y)
	if !ok {
		n = c.mulRound(x, y, opMul)
	}
	if r, ok := c.mulWord(n, z); ok {
		return r
	}
	return c.mulRound(n, z, opMul)
}

// MulAbsMulQuo returns [Ctx.MulQuo] of [Ctx.MulAbs](x, y) and z, in one
// call: a formula of three operands (a size times a price, or over it)
// then inlines where the two calls would not.
func (c *Ctx) MulAbsMulQuo(x, y, z Dec, quo bool) Dec {
	n, ok := c.mulWord(x, y)
	if n.neg = false; !ok {
		n = c.mulRound(x, y, opMul).Abs()
	}
	if quo {
		return c.Quo(n, z)
	}
	if r, ok := c.mulWord(n, z); ok {
		return r
	}
	return c.mulRound(n, z, opMul)
}

// mulWord is the common case of Mul, which inlines: the exact product and
// true when it has at most p digits (no rounding) and its exponent is in
// the window; else false.
func (c *Ctx) mulWord(x, y Dec) (Dec, bool) {
	if !c.kernels(x, y) {
		return Dec{}, false
	}
	hi, lo := bits.Mul64(x.c, y.c)
	return Dec{c: lo, e: x.e + y.e, neg: x.neg != y.neg}, hi == 0 && lo < c.lim
}

// kernels reports whether the kernels compute x * y (mulWord, mulRound),
// which then cannot fail: both small, the product's exponent in the
// window.
func (c *Ctx) kernels(x, y Dec) bool {
	return c.fast && x.big == nil && y.big == nil && c.inWindow(x.e+y.e)
}

// mulRound is Mul but for mulWord's case: a product rounded, or computed
// through apd; o is opMul, or opMul|opExact for MulExact.
func (c *Ctx) mulRound(x, y Dec, o op) Dec {
	if !c.kernels(x, y) {
		return c.slow(x, y, o)
	}
	hi, lo := bits.Mul64(x.c, y.c)
	r, inexact := c.round128(u128{hi, lo}, x.e+y.e, x.neg != y.neg)
	return c.exact(r, inexact && o&opExact != 0)
}

// TryMul returns [Ctx.Mul] of x and y and true where the kernels compute
// it, which cannot fail; otherwise (after an error, in a context or for an
// operand they do not serve) it returns false and records nothing, so
// that a caller that can do without the product leaves c as it found it.
func (c *Ctx) TryMul(x, y Dec) (Dec, bool) {
	if !c.kernels(x, y) {
		return Dec{}, false
	}
	return c.mulRound(x, y, opMul), true
}

// MulExact is [Ctx.Mul], recording [ErrRange] if the product is inexact.
func (c *Ctx) MulExact(x, y Dec) Dec { return c.mulRound(x, y, opMul|opExact) }

// exact returns r, or records [ErrRange] if r is inexact.
func (c *Ctx) exact(r Dec, inexact bool) Dec {
	if inexact {
		c.Fail(ErrRange)
		return Dec{}
	}
	return r
}

// round128 is apd's Rounder.Round of (-1)^neg * v * 10^e to p = c.aprec
// digits, e in the window: keep the leading digits, round on the discarded
// ones, and renormalise a carry (10^p becomes 10^(p-1), exponent + 1). It
// also returns whether the result is inexact.
func (c *Ctx) round128(v u128, e int32, neg bool) (Dec, bool) {
	if v.hi == 0 && v.lo < c.lim {
		return Dec{c: v.lo, e: e, neg: neg}, false
	}
	p := int(c.aprec)
	diff := digits128(v) - p
	if diff >= len(pow10) {
		return c.round192(&u192{v.lo, v.hi}, e, neg)
	}
	// v < 10^(p+diff), so v/10^diff < 10^p: one word.
	d := pow10[diff]
	q, r := bits.Div64(v.hi, v.lo, d)
	if r != 0 && c.mode.away(q, neg, cmpHalf(r, d)) {
		if q++; q == c.lim {
			q, diff = q/10, diff+1
		}
	}
	return Dec{c: q, e: e + int32(diff), neg: neg}, r != 0
}

// round192 is round128 for a 192-bit v; it changes v.
func (c *Ctx) round192(v *u192, e int32, neg bool) (Dec, bool) {
	diff := v.digits() - int(c.aprec)
	if diff <= 0 {
		return Dec{c: v[0], e: e, neg: neg}, false
	}
	half, inexact := v.shr10(diff)
	q := v[0] // below 10^p
	if inexact && c.mode.away(q, neg, half) {
		if q++; q == c.lim {
			q, diff = q/10, diff+1
		}
	}
	return Dec{c: q, e: e + int32(diff), neg: neg}, inexact
}

// Quo returns x / y, as apd's Context.Quo: a rounding carry is not
// renormalised (999..9 rounded up is 10^p, a coefficient of p+1 digits).
//
// Like apd, it scales the coefficients to the same number of digits, makes
// the dividend at least the divisor (times ten if needed), appends p-1
// zeros to it, divides, and rounds once on the remainder. In one formula:
// q = x.c*10^k / y.c, at exponent x.e - y.e - k.
func (c *Ctx) Quo(x, y Dec) Dec {
	if !c.fast || x.big != nil || y.big != nil || y.c == 0 || x.c == 0 {
		return c.quoSlow(x, y)
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
		return c.quoSlow(x, y)
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

// quoSlow is Quo for a zero dividend, a dividend of more digits than p
// plus the divisor's, and the rest through apd (a zero divisor: apd's
// condition).
func (c *Ctx) quoSlow(x, y Dec) Dec {
	if c.fast && x.big == nil && y.big == nil && y.c != 0 {
		if r, ok := c.quoWide(&u192{x.c}, x.e, x.neg, y); ok {
			return r
		}
	}
	return c.slow(x, y, opQuo)
}

// quoWide is Quo of n*10^ne (sign nneg) by y, y.c != 0, for a 192-bit n.
func (c *Ctx) quoWide(n *u192, ne int32, nneg bool, y Dec) (Dec, bool) {
	neg := nneg != y.neg
	if n.isZero() {
		e := ne - y.e
		return Dec{e: e, neg: neg}, c.inWindow(e)
	}
	dn, dy := n.digits(), digits64(y.c)
	t := *n // aligned on y.c, truncated: below y.c when n aligned is
	if dn > dy {
		t.shr10(dn - dy)
	} else {
		t.scale(dy - dn)
	}
	k := dy - dn + int(c.aprec) - 1
	if t[1]|t[2] == 0 && t[0] < y.c {
		k++
	}
	var q uint64
	var half int
	var inexact bool
	if t = *n; k >= 0 {
		t.scale(k) // below 10^p * y.c < 2^128
		var r uint64
		q, r = bits.Div64(t[1], t[0], y.c)
		inexact, half = r != 0, cmpHalf(r, y.c)
	} else {
		// q = floor(floor(n/10^-k) / y.c), whose fraction is (r + f)/y.c,
		// f the part the first division discards.
		fhalf, fnz := t.shr10(-k)
		var r uint64
		q, r = bits.Div64(t[1], t[0], y.c)
		inexact = fnz || r != 0
		switch o := y.c - r; {
		case r > o || r == o && fnz: // 2r > y.c, or 2r = y.c and f > 0
			half = 1
		case r == o:
			half = 0
		case r+1 == o: // 2r + 1 = y.c: f against 1/2
			half = fhalf
		default:
			half = -1
		}
	}
	if inexact && c.mode.away(q, neg, half) {
		q++ // no renormalisation
	}
	e := ne - y.e - int32(k)
	return Dec{c: q, e: e, neg: neg}, c.inWindow(e)
}
