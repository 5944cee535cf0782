package num

import (
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

// A Dec is an immutable decimal value, passed by value.
//
// While its coefficient fits a uint64 and its exponent lies within apd's
// limits, it is (-1)^neg * c * 10^e in machine words (big == nil; -0 is
// allowed). Otherwise it is *big, any apd value (NaN and infinities
// included), which is never changed after the Dec is made, so copies of a
// Dec are safe; c and neg then cache its sign (c is 0 for a zero, 1
// otherwise), so that Sign, IsZero and IsNeg need not look at it. The zero
// Dec is 0.
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
	if inline64(x) && x.Form == apd.Finite && x.Exponent >= apd.MinExponent && x.Exponent <= apd.MaxExponent {
		return small(x)
	}
	return load(x)
}

// load is Load through apd's API.
func load(x *apd.Decimal) Dec {
	if x.Form == apd.Finite && x.Exponent >= apd.MinExponent && x.Exponent <= apd.MaxExponent {
		if x.Coeff.Sign() == 0 {
			return Dec{e: x.Exponent, neg: x.Negative}
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
	if valid64(x) {
		return small(x), nil
	}
	return check(x)
}

// valid64 reports whether x is a valid input whose coefficient is a word
// held inline (any uint64 has at most 20 digits): the common case of
// Check, read without apd's API.
func valid64(x *apd.Decimal) bool {
	return inline64(x) && x.Form == apd.Finite && uint32(x.Exponent+MaxScale) <= 2*MaxScale && (word(x) != 0 || !x.Negative)
}

// small returns x as a small Dec, when inline64(x).
func small(x *apd.Decimal) Dec { return Dec{c: word(x), e: x.Exponent, neg: x.Negative} }

// check is Check through apd's API, with the errors.
func check(x *apd.Decimal) (Dec, error) {
	switch x.Form {
	case apd.Finite:
	case apd.Infinite:
		return Dec{}, ErrInfinite
	default:
		return Dec{}, ErrNaN
	}
	if x.Exponent < -MaxScale || x.Exponent > MaxScale {
		return Dec{}, ErrRange
	}
	switch x.Coeff.Sign() {
	case 0:
		if x.Negative {
			return Dec{}, ErrNegativeZero
		}
		return Dec{e: x.Exponent}, nil
	case -1:
		return Dec{}, ErrRange // not a valid apd coefficient
	}
	if x.Coeff.IsUint64() {
		// At most 20 digits: within MaxDigits.
		return Dec{c: x.Coeff.Uint64(), e: x.Exponent, neg: x.Negative}, nil
	}
	if x.NumDigits() > MaxDigits {
		return Dec{}, ErrRange
	}
	return fromBig(new(apd.Decimal).Set(x)), nil
}

// CheckPrice is [Check] for a price: also [ErrPrice] unless x > 0.
func CheckPrice(x *apd.Decimal) (Dec, error) { return checkAs(x, price) }

// CheckLeverage is [Check] for a leverage: also [ErrLeverage] unless
// x >= 1.
func CheckLeverage(x *apd.Decimal) (Dec, error) { return checkAs(x, leverage) }

// CheckFeeRate is [Check] for a fee rate: also [ErrFeeRate] unless
// -1 < x < 1.
func CheckFeeRate(x *apd.Decimal) (Dec, error) { return checkAs(x, feeRate) }

// CheckRate is [Check] for a rate: also [ErrRate] unless -1 < x < 1.
func CheckRate(x *apd.Decimal) (Dec, error) { return checkAs(x, rate) }

// A kind is the range a validator checks beyond [Check]'s.
type kind uint8

const (
	anyValue kind = iota
	price         // x > 0
	leverage      // x >= 1
	feeRate       // -1 < x < 1
	rate          // -1 < x < 1
)

// checkAs is Check, then the test of k.
func checkAs(x *apd.Decimal, k kind) (Dec, error) {
	d, err := Check(x)
	if err != nil {
		return d, err
	}
	switch {
	case k == price && d.Sign() <= 0:
		err = ErrPrice
	case k == leverage && (d.neg || d.BelowOne()):
		err = ErrLeverage
	case k == feeRate && !d.BelowOne():
		err = ErrFeeRate
	case k == rate && !d.BelowOne():
		err = ErrRate
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
		var z apd.Decimal
		d.store(&z)
		return fromBig(&z)
	}
	return d
}

// FromInt64 returns v.
func FromInt64(v int64) Dec { return New(v, 0) }

// Store sets z to d, as it is: no validation (see [Ctx.Store]).
func (d Dec) Store(z *apd.Decimal) {
	if d.big != nil {
		z.Set(d.big)
		return
	}
	d.store(z)
}

func (d Dec) store(z *apd.Decimal) {
	z.Form = apd.Finite
	z.Negative = d.neg
	z.Exponent = d.e
	z.Coeff.SetUint64(d.c)
}

// apd returns d as an apd operand: d.big, or tmp set to d.
func (d Dec) apd(tmp *apd.Decimal) *apd.Decimal {
	if d.big != nil {
		return d.big
	}
	d.store(tmp)
	return tmp
}

// String returns d as apd formats it.
func (d Dec) String() string {
	var z apd.Decimal
	return d.apd(&z).String()
}

// Sign returns -1, 0 or +1 (0 for zeros of either sign), as apd's
// Decimal.Sign.
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

// Neg returns -d, as apd's Decimal.Neg: a zero stays positive.
func (d Dec) Neg() Dec {
	if d.big != nil {
		return bigNeg(d.big)
	}
	d.neg = !d.neg && d.c != 0
	return d
}

func bigNeg(x *apd.Decimal) Dec { return fromBig(new(apd.Decimal).Neg(x)) }

func bigAbs(x *apd.Decimal) Dec { return fromBig(new(apd.Decimal).Abs(x)) }

// Abs returns |d|.
func (d Dec) Abs() Dec {
	if d.neg && d.big != nil {
		return bigAbs(d.big)
	}
	d.neg = false
	return d
}

// IsNeg reports whether d's sign is negative (a -0 included).
func (d Dec) IsNeg() bool { return d.neg }

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
		return bigBelowOne(d.big)
	}
	return belowOne(d.c, d.e)
}

// belowOne reports whether c*10^e < 1: c < 10^-e, which every uint64 is
// for -e >= 20.
func belowOne(c uint64, e int32) bool {
	return c == 0 || e < 0 && (e <= -20 || c < pow10pad[-e&31])
}

func bigBelowOne(x *apd.Decimal) bool {
	return x.IsZero() || int64(x.Exponent)+x.NumDigits() <= 0
}

// Int64 returns d as an int64 when d is a whole number within int64's
// range.
func (d Dec) Int64() (int64, bool) {
	if d.big != nil {
		return bigInt64(d.big)
	}
	c := d.c
	switch {
	case d.e < 0:
		if -d.e >= int32(len(pow10)) {
			return 0, c == 0
		}
		if c%pow10[-d.e] != 0 {
			return 0, false
		}
		c /= pow10[-d.e]
	case d.e > 0:
		if c == 0 {
			return 0, true
		}
		if d.e >= int32(len(pow10)) || c > math.MaxUint64/pow10[d.e] {
			return 0, false
		}
		c *= pow10[d.e]
	}
	if d.neg {
		return -int64(c), c <= 1<<63
	}
	return int64(c), c < 1<<63
}

// bigInt64 is Int64 of an apd value.
func bigInt64(x *apd.Decimal) (int64, bool) {
	if x.Form != apd.Finite {
		return 0, false
	}
	var i, f apd.Decimal
	x.Modf(&i, &f)
	if !f.IsZero() {
		return 0, false
	}
	v, err := i.Int64()
	return v, err == nil
}

// Cmp compares d and y by value: -1, 0 or +1 as d is less than, equal to
// or greater than y (1.0 equals 1, -0 equals 0). A NaN compares as apd's
// Decimal.Cmp says.
func (d Dec) Cmp(y Dec) int {
	if d.big != nil || y.big != nil {
		var a, b apd.Decimal
		return d.apd(&a).Cmp(y.apd(&b))
	}
	ds, ys := d.Sign(), y.Sign()
	switch {
	case ds != ys:
		if ds < ys {
			return -1
		}
		return 1
	case ds == 0:
		return 0
	}
	c := cmpAbs(d.c, d.e, y.c, y.e)
	if ds < 0 {
		return -c
	}
	return c
}

// cmpAbs compares a*10^ae and b*10^be, both coefficients nonzero.
func cmpAbs(a uint64, ae int32, b uint64, be int32) int {
	sign := 1
	if ae < be {
		a, ae, b, be, sign = b, be, a, ae, -1
	}
	// a has the larger exponent: scale it to b's. 10^20 times a nonzero
	// coefficient exceeds any uint64.
	if s := ae - be; s > 0 {
		if s >= int32(len(pow10)) {
			return sign
		}
		hi, lo := bits.Mul64(a, pow10[s])
		if hi != 0 || lo > b {
			return sign
		}
		a = lo
	}
	switch {
	case a > b:
		return sign
	case a < b:
		return -sign
	}
	return 0
}
