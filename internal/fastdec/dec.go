package fastdec

import "github.com/cockroachdb/apd/v3"

// A Dec is a finite decimal C*10^E with a 64-bit coefficient, negative when
// Neg: the operand type of the kernels. Reading an apd.Decimal's coefficient
// costs two calls that do not inline; a computation that loads its operands
// once with [Load] and chains [Dec.Add], [Dec.Mul] and friends pays that
// once per input instead of once per operation. Every operation gives the
// result, representation included, that apd gives in the default context
// ([Default]), or reports false.
type Dec struct {
	C   uint64
	E   int32
	Neg bool
}

// Load returns x as a Dec, and false when the kernels do not take it (not
// finite, a coefficient over 64 bits, an exponent beyond MaxExponent).
func Load(x *apd.Decimal) (Dec, bool) { return load(x) }

func load(x *apd.Decimal) (Dec, bool) {
	if x.Form != apd.Finite || x.Exponent < -MaxExponent || x.Exponent > MaxExponent {
		return Dec{}, false
	}
	d := Dec{E: x.Exponent, Neg: x.Negative}
	// Zeros are common inputs (no cross, no reserve) and cheap to
	// recognise: Sign inlines, IsUint64 and Uint64 do not.
	if x.Coeff.Sign() == 0 {
		return d, true
	}
	if !x.Coeff.IsUint64() {
		return Dec{}, false
	}
	d.C = x.Coeff.Uint64()
	return d, true
}

// LoadChecked is Load for inputs that must also be well-formed: it reports
// false as well for an exponent outside [-maxExp, maxExp], a coefficient of
// more than Precision digits, and a negative zero. maxExp is at least 0 and
// at most MaxExponent. With derivmath.MaxScale for maxExp these are
// derivmath.CheckDecimal's tests; a caller that gets false runs CheckDecimal
// for the error.
func LoadChecked(x *apd.Decimal, maxExp int32) (Dec, bool) {
	d, ok := load(x)
	return d, ok && d.Checked(maxExp)
}

// Checked reports whether d passes LoadChecked's tests: an exponent within
// [-maxExp, maxExp], at most Precision digits, not a negative zero.
func (d Dec) Checked(maxExp int32) bool {
	// One unsigned comparison: -maxExp <= d.E <= maxExp.
	inRange := uint32(d.E+maxExp) <= uint32(2*maxExp)
	return inRange && d.C < pow10[Precision] && (d.C != 0 || !d.Neg)
}

// BelowOne reports whether |d| < 1: d is zero, or its adjusted exponent
// (the power of ten of its leading digit) is negative.
func (d Dec) BelowOne() bool {
	return d.C == 0 || d.Digits()+int(d.E) <= 0
}

// Cmp compares d and y by value: -1, 0 or +1 as d is less than, equal to
// or greater than y. Representations do not matter (1.0 equals 1, -0
// equals 0).
func (d Dec) Cmp(y Dec) int {
	ds, ys := d.Sign(), y.Sign()
	switch {
	case ds < ys:
		return -1
	case ds > ys:
		return 1
	case ds == 0:
		return 0
	}
	c := cmpAbs(d, y)
	if ds < 0 {
		return -c
	}
	return c
}

// cmpAbs compares |x| and |y|, both nonzero.
func cmpAbs(x, y Dec) int {
	sign := 1
	if x.E < y.E {
		x, y, sign = y, x, -1
	}
	// x has the larger exponent: scale its coefficient down to y's. A
	// product past 128 bits exceeds any 64-bit coefficient.
	a, ok := scale(x.C, x.E-y.E)
	switch {
	case !ok || a.hi != 0 || a.lo > y.C:
		return sign
	case a.lo < y.C:
		return -sign
	}
	return 0
}

// Store sets z to d.
func (d Dec) Store(z *apd.Decimal) { d.store(z) }

func (d Dec) store(z *apd.Decimal) { set(z, d.Neg, d.C, d.E) }

// IsZero reports whether d is zero (of either sign).
func (d Dec) IsZero() bool { return d.C == 0 }

// Sign returns -1, 0 or +1.
func (d Dec) Sign() int {
	switch {
	case d.C == 0:
		return 0
	case d.Neg:
		return -1
	}
	return 1
}

// Abs returns |d|.
func (d Dec) Abs() Dec { d.Neg = false; return d }

// Digits returns the number of digits of d's coefficient.
func (d Dec) Digits() int { return digits64(d.C) }

// inRange reports whether d's exponent stays where the kernels accept it.
func (d Dec) inRange() bool { return d.E >= -MaxExponent && d.E <= MaxExponent }

// Add returns d + y as apd computes it in the default context.
func (d Dec) Add(y Dec) (Dec, bool) { return addDec(d, y, false, true) }

// Sub returns d - y as apd computes it in the default context.
func (d Dec) Sub(y Dec) (Dec, bool) { return addDec(d, y, true, true) }

// Mul returns d * y as apd computes it in the default context.
func (d Dec) Mul(y Dec) (Dec, bool) { return mulDec(d, y, true) }

// Quo returns d / y as apd computes it in the default context.
func (d Dec) Quo(y Dec) (Dec, bool) { return quoDec(d, y, true) }

// checked refuses a result whose exponent left the accepted range, so that
// a chain of operations stays where every step matches apd.
func checked(d Dec) (Dec, bool) {
	return d, d.inRange()
}
