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
		// c*10^d / su
		if d >= len(pow10) {
			return 0, 0, ErrRange
		}
		hi, lo := bits.Mul64(c, pow10[d])
		if hi >= x.su {
			return 0, 0, ErrRange
		}
		q, r = bits.Div64(hi, lo, x.su)
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
