package num

import (
	"cmp"
	"math"
	"math/bits"

	"github.com/cockroachdb/apd/v3"
)

// MaxDigits and MaxScale bound a valid input ([Check]): at most MaxDigits
// significant digits, an exponent within [-MaxScale, MaxScale].
const (
	MaxDigits = 50
	MaxScale  = 100
)

// A Dec is an immutable decimal value, passed by value. The zero Dec is 0.
//
// While its coefficient fits a uint64 and its exponent lies within apd's
// limits, it is (-1)^neg * c * 10^e (big == nil; -0 allowed). Otherwise it
// is *big, any apd value, never changed once the Dec is made, so copies are
// safe; c and neg then cache its sign (c is 0 for a zero, else 1).
type Dec struct {
	c   uint64
	e   int32
	neg bool
	big *apd.Decimal
}

// fromBig returns a Dec for x, which it keeps: x must not change.
func fromBig(x *apd.Decimal) Dec {
	d := Dec{big: x, neg: x.Negative}
	if x.Form != apd.Finite || x.Coeff.Sign() != 0 {
		d.c = 1
	}
	return d
}

// Load returns x as a Dec. A finite x whose coefficient fits a uint64
// costs nothing; any other value is copied (one allocation or more).
func Load(x *apd.Decimal) Dec {
	if x.Form == apd.Finite && x.Exponent >= apd.MinExponent && x.Exponent <= apd.MaxExponent {
		if w, ok := inlineWord(x); ok {
			return Dec{c: w, e: x.Exponent, neg: x.Negative}
		}
		if x.Coeff.IsUint64() {
			return Dec{c: x.Coeff.Uint64(), e: x.Exponent, neg: x.Negative}
		}
	}
	return fromBig(new(apd.Decimal).Set(x))
}

// Check loads x and validates it in one pass: x must be finite, not -0,
// with at most [MaxDigits] significant digits and an exponent within
// [-MaxScale, MaxScale]. It returns [ErrNaN], [ErrInfinite],
// [ErrNegativeZero] or [ErrRange] otherwise.
func Check(x *apd.Decimal) (Dec, error) {
	if d, ok := Small(x); ok {
		return d, nil
	}
	switch {
	case x.Form == apd.Infinite:
		return Dec{}, ErrInfinite
	case x.Form != apd.Finite:
		return Dec{}, ErrNaN
	case x.Exponent < -MaxScale || x.Exponent > MaxScale || x.Coeff.Sign() < 0:
		return Dec{}, ErrRange
	case x.Coeff.Sign() == 0 && x.Negative:
		return Dec{}, ErrNegativeZero
	case x.NumDigits() > MaxDigits:
		return Dec{}, ErrRange
	}
	return Load(x), nil
}

// A Range is what a validator accepts beyond what [Check] does.
type Range uint8

// The ranges: of CheckDecimal, CheckPrice, CheckLeverage, and CheckFeeRate
// and CheckRate, in the root package; NonNegative, of Ctx.CheckNonNegative.
const (
	Any         Range = iota
	Positive          // x > 0
	AtLeastOne        // x >= 1
	BelowOne          // |x| < 1
	NonNegative       // x >= 0
)

// CheckAs is [Check], then rng unless x lies in r.
func CheckAs(x *apd.Decimal, r Range, rng error) (Dec, error) {
	d, err := Check(x)
	in := r == Any || r == Positive && d.Sign() > 0 ||
		r == AtLeastOne && !d.neg && !d.BelowOne() || r == BelowOne && d.BelowOne() ||
		r == NonNegative && !d.neg
	if err == nil && !in {
		err = rng
	}
	return d, err
}

// New returns coeff * 10^exp.
func New(coeff int64, exp int32) Dec {
	d := Dec{c: uint64(coeff), e: exp}
	if coeff < 0 {
		d.c, d.neg = -d.c, true // also right for math.MinInt64
	}
	if exp < apd.MinExponent || exp > apd.MaxExponent {
		return fromBig(d.apd(new(apd.Decimal)))
	}
	return d
}

// One is 1, for derivmath's packages.
var One = New(1, 0)

// FromInt64 returns v.
func FromInt64(v int64) Dec { return New(v, 0) }

// Store sets z to d, as it is: no validation (see [Ctx.Store]).
func (d Dec) Store(z *apd.Decimal) {
	if d.big != nil {
		z.Set(d.big)
		return
	}
	z.Form, z.Negative, z.Exponent = apd.Finite, d.neg, d.e
	z.Coeff.SetUint64(d.c)
}

// apd returns d as an apd operand: d.big, or tmp set to d.
func (d Dec) apd(tmp *apd.Decimal) *apd.Decimal {
	if d.big != nil {
		return d.big
	}
	d.Store(tmp)
	return tmp
}

// String returns d as apd formats it.
func (d Dec) String() string { return d.apd(new(apd.Decimal)).String() }

// Sign returns -1, 0 or +1 (0 for zeros of either sign).
func (d Dec) Sign() int {
	switch {
	case d.c == 0:
		return 0
	case d.neg:
		return -1
	}
	return 1
}

// IsZero reports whether d is zero (of either sign).
func (d Dec) IsZero() bool { return d.c == 0 }

// IsOne reports whether d is 1 exactly: coefficient 1, exponent 0.
func (d Dec) IsOne() bool { return d.c == 1 && d.e == 0 && !d.neg && d.big == nil }

// IsNeg reports whether d's sign is negative (a -0 included).
func (d Dec) IsNeg() bool { return d.neg }

// Neg returns -d, as apd's Decimal.Neg: a zero stays positive.
func (d Dec) Neg() Dec {
	if d.big != nil {
		return bigOp((*apd.Decimal).Neg, d.big)
	}
	d.neg = !d.neg && d.c != 0
	return d
}

// Abs returns |d|.
func (d Dec) Abs() Dec {
	if d.neg && d.big != nil {
		return bigOp((*apd.Decimal).Abs, d.big)
	}
	d.neg = false
	return d
}

// Reduce returns d without its trailing zeros, as apd's Decimal.Reduce:
// the value unchanged, a zero 0 (positive, at exponent 0). It allocates
// only where d is not held in a word, or its reduced exponent lies beyond
// apd's limits.
func (d Dec) Reduce() Dec {
	if d.big != nil {
		var z apd.Decimal
		z.Reduce(d.big)
		return Load(&z)
	}
	if d.c == 0 {
		return Dec{}
	}
	for d.c%10 == 0 {
		d.c /= 10
		d.e++
	}
	if d.e > apd.MaxExponent {
		return fromBig(d.apd(new(apd.Decimal)))
	}
	return d
}

// bigOp returns op of x, a new value (Neg, Abs).
func bigOp(op func(z, x *apd.Decimal) *apd.Decimal, x *apd.Decimal) Dec {
	return fromBig(op(new(apd.Decimal), x))
}

// Exponent returns d's exponent.
func (d Dec) Exponent() int32 {
	if d.big != nil {
		return d.big.Exponent
	}
	return d.e
}

// Digits returns the number of digits of d's coefficient (1 for zero).
func (d Dec) Digits() int {
	if d.big != nil {
		return int(d.big.NumDigits())
	}
	return digits64(d.c)
}

// BelowOne reports whether |d| < 1, for a finite d.
func (d Dec) BelowOne() bool {
	if d.big != nil {
		return d.big.IsZero() || int64(d.Exponent())+int64(d.Digits()) <= 0
	}
	return lessThanOne(d.c, d.e)
}

// lessThanOne reports whether c*10^e < 1: c < 10^-e, which every uint64
// is for -e >= 20.
func lessThanOne(c uint64, e int32) bool {
	return c == 0 || e < 0 && (e <= -20 || c < pow10pad[-e&31])
}

// Int64 returns d as an int64 when d is a whole number within int64's
// range.
func (d Dec) Int64() (int64, bool) {
	if d.big != nil {
		v, err := d.big.Int64()
		return v, err == nil
	}
	c := d.c
	if d.e < 0 {
		if d.e <= -20 || c%pow10[-d.e] != 0 {
			return 0, c == 0
		}
		c /= pow10[-d.e]
	} else if c != 0 && d.e > 0 {
		hi, lo := bits.Mul64(c, pow10pad[d.e&31])
		if d.e >= 20 || hi != 0 {
			return 0, false
		}
		c = lo
	}
	if d.neg {
		return -int64(c), c <= 1<<63
	}
	return int64(c), c <= math.MaxInt64
}

// Cmp compares d and y by value: -1, 0 or +1 as d is less than, equal to
// or greater than y (1.0 equals 1, -0 equals 0), as apd's Decimal.Cmp.
func (d Dec) Cmp(y Dec) int {
	if d.big != nil || y.big != nil {
		var a, b apd.Decimal
		return d.apd(&a).Cmp(y.apd(&b))
	}
	ds, ys := d.Sign(), y.Sign()
	if ds != ys || ds == 0 {
		return cmp.Compare(ds, ys)
	}
	// Nonzero, of one sign: when the exponents are 20 or more apart, the
	// larger exponent's magnitude is larger.
	a, b, _, ok := align(d.c, d.e, y.c, y.e)
	if !ok {
		return ds * cmp.Compare(d.e, y.e)
	}
	return ds * a.cmp(b)
}
