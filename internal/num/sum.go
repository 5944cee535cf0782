package num

import (
	"math/big"
	"math/bits"

	"github.com/cockroachdb/apd/v3"
)

// A Sum accumulates Decs exactly: a 192-bit coefficient at the smallest
// exponent seen, spilling to an exact apd sum only when that overflows.
// [Ctx.QuoSum] divides it, rounding once. The zero Sum is empty (its value
// is 0); a zero sum is positive.
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
	if s.n == 0 || s.big != nil || x.big != nil || s.err != nil || k < 0 || k >= 20 {
		s.addScaled(x, w)
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

// AddProduct adds x*y to s exactly: a product divided once by
// [Ctx.QuoSum], rounded only there (a share a*b/c whose product must not
// round first). Two operands whose coefficients fit a word add on the
// words, as [Sum.AddScaled] of x at the sum of the exponents weighted by
// y's coefficient; others through apd.
func (s *Sum) AddProduct(x, y Dec) {
	if e := int64(x.e) + int64(y.e); x.big == nil && y.big == nil && e >= apd.MinExponent && e <= apd.MaxExponent {
		s.AddScaled(Dec{c: x.c, e: int32(e), neg: x.neg != y.neg}, y.c)
		return
	}
	if s.err != nil {
		return
	}
	var a, b, t apd.Decimal
	ec := exactContext
	if _, err := ec.Mul(&t, x.apd(&a), y.apd(&b)); err != nil {
		s.err = err
		return
	}
	s.addApd(fromBig(&t), 1)
}

// addScaled is AddScaled for the rest: the first term, a spilled sum, a
// term below the sum's exponent or 20 places or more above it.
func (s *Sum) addScaled(x Dec, w uint64) {
	hi, lo := bits.Mul64(x.c, w)
	t, v := u192{lo, hi}, s.v
	switch {
	case s.err != nil:
		return
	case s.big != nil || x.big != nil:
		s.addApd(x, w)
	case s.n == 0:
		s.v, s.e, s.neg, s.n = t, x.e, x.neg && !t.isZero(), 1
	case x.e < s.e:
		// The sum scales down to the term's exponent, then adds it.
		if !v.scale(int(s.e - x.e)) {
			s.addApd(x, w)
			return
		}
		s.v, s.e = v, x.e
		s.AddScaled(x, w)
	case t.isZero(): // a zero term (a zero sample is 0E0) above the sum
		s.n++
	case !t.scale(int(x.e-s.e)) || x.neg == s.neg && !v.add(&t):
		s.addApd(x, w)
	default:
		if x.neg != s.neg {
			if v.cmp(&t) < 0 {
				t.sub(&v)
				v, s.neg = t, !s.neg
			} else {
				v.sub(&t)
			}
		}
		s.v, s.neg, s.n = v, s.neg && !v.isZero(), s.n+1
	}
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

// Sign returns the sign of s's exact value: -1, 0 or +1 (0 for an empty
// Sum, and for one whose spill to apd failed, which [Ctx.QuoSum] reports).
func (s *Sum) Sign() int {
	switch {
	case s.err != nil:
		return 0
	case s.big != nil:
		return s.big.Sign()
	case s.v.isZero():
		return 0
	case s.neg:
		return -1
	}
	return 1
}

// apd returns s's exact value as an apd operand.
func (s *Sum) apd(tmp *apd.Decimal) *apd.Decimal {
	if s.big != nil {
		return s.big
	}
	s.store(tmp)
	return tmp
}

// QuoSum returns s/y: apd's Quo of the exact sum by y, computed on the
// wide integers when the context allows.
func (c *Ctx) QuoSum(s *Sum, y Dec) Dec {
	if c.Err != nil {
		return Dec{} // as slow does, before s is copied into apd
	}
	if s.err != nil {
		c.Fail(&apdError{s.err})
		return Dec{}
	}
	if c.fast && s.big == nil && y.big == nil && y.c != 0 {
		if r, ok := c.quoWide(&s.v, s.e, s.neg, y); ok {
			return r
		}
	}
	var tmp apd.Decimal
	return c.slow(fromBig(s.apd(&tmp)), y, opQuo)
}
