package num

import (
	"math/big"
	"math/bits"

	"github.com/cockroachdb/apd/v3"
)

// A Sum accumulates Decs exactly: a 192-bit coefficient at the smallest
// exponent seen, spilling to an exact apd sum only when that overflows.
// [Ctx.RoundSum] and [Ctx.QuoSum] round it once. The zero Sum is empty
// (its value is 0); a zero sum is positive.
type Sum struct {
	v   u192
	e   int32
	neg bool
	n   int          // terms added
	big *apd.Decimal // the exact sum once spilled, else nil
	err error        // apd's failure while spilled
}

// Add adds x to s exactly.
func (s *Sum) Add(x Dec) { s.AddScaled(x, 1) }

// AddScaled adds x*w to s exactly: a weighted term, such as the i-th
// sample of a time-weighted mean.
func (s *Sum) AddScaled(x Dec, w uint64) {
	// The common case of a long window, a small term at or above the sum's
	// exponent and less than 20 places above it, on the words in place: the
	// term x.c*w*10^k < 2^192, added or subtracted with one carry chain.
	k := x.e - s.e
	switch {
	case s.n == 0 || s.big != nil || x.big != nil || s.err != nil || k < 0:
		s.addScaled(x, w)
		return
	case k >= int32(len(pow10)):
		if x.c != 0 && w != 0 {
			s.addScaled(x, w)
			return
		}
		// A zero term above the sum's exponent (a zero sample is 0E0)
		// changes nothing but the count.
		s.n++
		return
	}
	// Scalars, not arrays: a u192 written word by word and read back whole
	// stalls the next term's loads.
	hi, lo := bits.Mul64(x.c, w)
	b0, b1, b2 := lo, hi, uint64(0)
	if k != 0 {
		p := pow10[k]
		h0, l0 := bits.Mul64(lo, p)
		h1, l1 := bits.Mul64(hi, p)
		var c uint64
		b0 = l0
		b1, c = bits.Add64(h0, l1, 0)
		b2 = h1 + c // hi*p + c < 2^128: no carry out
	}
	var v0, v1, v2, c uint64
	if x.neg == s.neg {
		v0, c = bits.Add64(s.v[0], b0, 0)
		v1, c = bits.Add64(s.v[1], b1, c)
		v2, c = bits.Add64(s.v[2], b2, c)
		if c != 0 {
			s.addScaled(x, w) // past 192 bits: spill
			return
		}
	} else {
		v0, c = bits.Sub64(s.v[0], b0, 0)
		v1, c = bits.Sub64(s.v[1], b1, c)
		v2, c = bits.Sub64(s.v[2], b2, c)
		if c != 0 {
			// |term| > |sum|: the difference changes sign.
			v0, c = bits.Sub64(0, v0, 0)
			v1, c = bits.Sub64(0, v1, c)
			v2, _ = bits.Sub64(0, v2, c)
			s.neg = !s.neg
		}
	}
	s.v[0], s.v[1], s.v[2] = v0, v1, v2
	s.neg = s.neg && v0|v1|v2 != 0
	s.n++
}

// addScaled is AddScaled for every case.
func (s *Sum) addScaled(x Dec, w uint64) {
	switch {
	case s.err != nil:
		return
	case s.big != nil || x.big != nil:
		s.addApd(x, w)
		return
	}
	var b u192
	b[1], b[0] = bits.Mul64(x.c, w)
	neg := x.neg && !b.isZero()
	if s.n == 0 {
		s.v, s.e, s.neg, s.n = b, x.e, neg, 1
		return
	}
	v, e := s.v, s.e
	switch {
	case x.e < e:
		if !v.scale(int(e - x.e)) {
			s.addApd(x, w)
			return
		}
		e = x.e
	case x.e > e:
		if !b.scale(int(x.e - e)) {
			s.addApd(x, w)
			return
		}
	}
	switch {
	case neg == s.neg || b.isZero():
		if !v.add(&b) {
			s.addApd(x, w)
			return
		}
		neg = s.neg
	case v.cmp(&b) >= 0:
		v.sub(&b)
		neg = s.neg
	default:
		b.sub(&v)
		v = b
	}
	s.v, s.e, s.neg, s.n = v, e, neg && !v.isZero(), s.n+1
}

// addApd adds x*w to s in apd, exactly, spilling s first.
func (s *Sum) addApd(x Dec, w uint64) {
	var a, t, wd apd.Decimal
	ec := exactContext
	wd.Coeff.SetUint64(w)
	if _, err := ec.Mul(&t, x.apd(&a), &wd); err != nil {
		s.err = err
		return
	}
	if s.n == 0 {
		s.big, s.n = new(apd.Decimal).Set(&t), 1
		if s.big.IsZero() {
			s.big.Negative = false
		}
		return
	}
	if s.big == nil {
		s.big = new(apd.Decimal)
		s.store(s.big)
	}
	if _, err := ec.Add(s.big, s.big, &t); err != nil {
		s.err = err
	}
	if s.big.IsZero() {
		s.big.Negative = false
	}
	s.n++
}

// store sets z to s's exact value (not spilled).
func (s *Sum) store(z *apd.Decimal) {
	z.Form = apd.Finite
	z.Negative = s.neg
	z.Exponent = s.e
	if s.v[1] == 0 && s.v[2] == 0 {
		z.Coeff.SetUint64(s.v[0])
		return
	}
	var w []big.Word
	if bits.UintSize == 64 {
		w = []big.Word{big.Word(s.v[0]), big.Word(s.v[1]), big.Word(s.v[2])}
	} else {
		for _, x := range s.v {
			w = append(w, big.Word(x), big.Word(x>>32))
		}
	}
	z.Coeff.SetMathBigInt(new(big.Int).SetBits(w))
}

// apd returns s's exact value as an apd operand.
func (s *Sum) apd(tmp *apd.Decimal) *apd.Decimal {
	if s.big != nil {
		return s.big
	}
	s.store(tmp)
	return tmp
}

// RoundSum returns s rounded to the context's precision: apd's Round of
// the exact sum.
func (c *Ctx) RoundSum(s *Sum) Dec {
	switch {
	case c.Err != nil:
		return Dec{}
	case s.err != nil:
		c.failApd(s.err)
		return Dec{}
	}
	if c.fast && s.big == nil {
		v := s.v
		if r, _, ok := c.round192(&v, s.e, s.neg); ok {
			return r
		}
	}
	c.checkApd()
	var a, z apd.Decimal
	ac := c.apdContext()
	if _, err := ac.Round(&z, s.apd(&a)); err != nil {
		c.failApd(err)
		return Dec{}
	}
	return Load(&z)
}

// QuoSum returns s/y: apd's Quo of the exact sum by y, computed on the
// wide integers when the context allows.
func (c *Ctx) QuoSum(s *Sum, y Dec) Dec {
	switch {
	case c.Err != nil:
		return Dec{}
	case s.err != nil:
		c.failApd(s.err)
		return Dec{}
	}
	if c.fast && s.big == nil && y.big == nil && y.c != 0 {
		if r, ok := c.quoWide(&s.v, s.e, s.neg, y); ok {
			return r
		}
	}
	c.checkApd()
	var a, b, z apd.Decimal
	ac := c.apdContext()
	if _, err := ac.Quo(&z, s.apd(&a), y.apd(&b)); err != nil {
		c.failApd(err)
		return Dec{}
	}
	return Load(&z)
}

// quoWide is apd's Quo of n*10^ne (sign nneg) by y, y.c != 0: the kernel
// quo for a 192-bit dividend.
func (c *Ctx) quoWide(n *u192, ne int32, nneg bool, y Dec) (Dec, bool) {
	neg := nneg != y.neg
	if n.isZero() {
		e := ne - y.e
		return Dec{e: e, neg: neg}, c.inWindow(e)
	}
	p := int(c.aprec)
	dn, dy := n.digits(), digits64(y.c)
	var less bool // the aligned dividend is below the aligned divisor
	if dn >= dy {
		t := *n
		t.divPow10(dn - dy)
		less = t[1]|t[2] == 0 && t[0] < y.c
	} else {
		hi, lo := bits.Mul64(n[0], pow10[dy-dn])
		less = hi == 0 && lo < y.c
	}
	k := dy - dn + p - 1
	if less {
		k++
	}
	var q uint64
	var half int
	var inexact bool
	if k >= 0 {
		m := *n
		m.scale(k) // below 10^p * y.c < 2^128
		var r uint64
		q, r = bits.Div64(m[1], m[0], y.c)
		inexact, half = r != 0, cmpHalf(r, y.c)
	} else {
		t := *n
		half0, inexact0 := t.shr10(-k) // below 10^p * y.c < 2^128
		var r1 uint64
		q, r1 = bits.Div64(t[1], t[0], y.c)
		inexact = inexact0 || r1 != 0
		half = fracHalf(r1, y.c, inexact0, half0)
	}
	if inexact && c.mode.away(q, neg, half) {
		q++ // no renormalisation, as apd's Quo
	}
	e := ne - y.e - int32(k)
	return Dec{c: q, e: e, neg: neg}, c.inWindow(e)
}

// fracHalf compares with 1/2 the fraction (r1 + f)/y of a quotient
// floor(floor(n/10^j)/y), where r1 is the remainder of the second
// division and f in [0, 1) the part discarded by the first: nonzero when
// fnz, comparing with 1/2 as fhalf.
func fracHalf(r1, y uint64, fnz bool, fhalf int) int {
	switch o := y - r1; {
	case r1 > o: // 2*r1 > y
		return 1
	case r1 == o: // 2*r1 == y
		if fnz {
			return 1
		}
		return 0
	case r1+1 == o: // 2*r1 == y-1: compare f with 1/2
		return fhalf
	}
	return -1
}

// divPow10 sets x = x/10^k, truncated.
func (x *u192) divPow10(k int) {
	for k > 0 {
		step := min(k, 19)
		x.divmod64(pow10[step])
		k -= step
	}
}
