package markindex

import (
	"math"
	"math/bits"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
)

var pow10 = [...]uint64{
	1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
}

// coeff returns x's coefficient and exponent, with trailing zeros removed
// while the coefficient does not fit a uint64; ok is false if it never
// does. x must be finite and positive.
func coeff(x *apd.Decimal) (c uint64, e int32, ok bool) {
	if x.Coeff.IsUint64() {
		return x.Coeff.Uint64(), x.Exponent, true
	}
	var r apd.Decimal
	r.Reduce(x)
	if !r.Coeff.IsUint64() {
		return 0, 0, false
	}
	return r.Coeff.Uint64(), r.Exponent, true
}

// units returns floor(x/unit) and ceil(x/unit) for a positive price x,
// exactly, on 64- and 128-bit integers.
func (x *Index) units(p *apd.Decimal) (floor, ceil int64, err error) {
	if err := derivmath.CheckPrice(p); err != nil {
		return 0, 0, err
	}
	c, e, ok := coeff(p)
	if !ok {
		return 0, 0, ErrRange
	}
	var q, r uint64
	if d := int(e) - int(x.eu); d >= 0 {
		// c*10^d / su, by long division in steps of up to 19 digits: each
		// step takes q, r to (q*10^k + r*10^k/su), r*10^k%su, on 128 bits
		// since r < su. A gap d of 20 or more may still give an int64
		// (trailing zeros in su, or an su near 2^64). q only grows, so a q
		// past math.MaxInt64 is final, and the loop runs at most twice:
		// c*10^38/su > 10^38/2^64 > 5*10^18, and ten times that is past.
		k := min(d, len(pow10)-1)
		hi, lo := bits.Mul64(c, pow10[k])
		if hi >= x.su {
			return 0, 0, ErrRange
		}
		q, r = bits.Div64(hi, lo, x.su)
		for d -= k; d > 0; d -= k {
			k = min(d, len(pow10)-1)
			qh, ql := bits.Mul64(q, pow10[k])
			if qh != 0 || ql > math.MaxInt64 {
				return 0, 0, ErrRange
			}
			rh, rl := bits.Mul64(r, pow10[k])
			var t uint64
			t, r = bits.Div64(rh, rl, x.su)
			q = ql + t // no wrap: t < 10^k <= ql, or q was 0
			if q > math.MaxInt64 {
				return 0, 0, ErrRange
			}
		}
	} else {
		// c / (su*10^-d); a divisor beyond 64 bits exceeds c.
		q, r = 0, c
		if -d < len(pow10) {
			if hi, lo := bits.Mul64(x.su, pow10[-d]); hi == 0 {
				q, r = c/lo, c%lo
			}
		}
	}
	if r != 0 {
		if q >= math.MaxInt64 {
			return 0, 0, ErrRange
		}
		return int64(q), int64(q + 1), nil
	}
	if q > math.MaxInt64 {
		return 0, 0, ErrRange
	}
	return int64(q), int64(q), nil
}

// price sets z to n units, exactly.
func (x *Index) price(z *apd.Decimal, n int64) error {
	hi, lo := bits.Mul64(uint64(n), x.su)
	if n < 0 || hi != 0 || lo > math.MaxInt64 {
		return ErrRange
	}
	z.SetFinite(int64(lo), x.eu)
	return nil
}
