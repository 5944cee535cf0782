package bench

import (
	"math"

	"github.com/cockroachdb/apd/v3"
)

// The oracle evaluates a kernel's formula, in the kernels' shape, at 50
// significant digits, and beside each value carries a bound on how far an
// implementation's result may be from it, given how that implementation
// rounds each operation (its model). An implementation agrees with the
// oracle to its precision when its result is within that bound: the bound
// is the documented precision of one operation, carried through the
// formula by the usual error propagation, so a kernel that divides by a
// sum of rounded quotients is allowed the amplified error it has.

// oracleCtx is the oracle's context: 50 digits, half-even.
var oracleCtx = func() *apd.Context {
	c := apd.BaseContext.WithPrecision(50)
	c.Rounding = apd.RoundHalfEven
	return c
}()

// num is a value of the oracle: v, the formula's value to 50 digits, and
// e, a bound on |result - v| for the model's implementation.
type num struct {
	v apd.Decimal
	e float64
}

// opKind names an arithmetic operation, for the models.
type opKind int

const (
	opAdd opKind = iota // add or subtract
	opMul
	opQuo
)

// A model is how an implementation rounds.
type model struct {
	name string
	// round bounds the error of rounding the exact result z of one
	// operation of kind k.
	round func(z *apd.Decimal, k opKind) float64
	// in bounds the error of holding the input x.
	in func(x *apd.Decimal) float64
	// binary: the implementation scales by powers of ten with a rounded
	// multiplication and division (float64), not exactly.
	binary bool
}

// f64 is |x| as a float64.
func f64(x *apd.Decimal) float64 {
	f, _ := x.Float64()
	return math.Abs(f)
}

// halfULP is half a unit in the place of digit number 'digits' of z:
// the error of rounding z to that many significant digits.
func halfULP(z *apd.Decimal, digits int64) float64 {
	if z.IsZero() {
		return 0
	}
	adj := z.NumDigits() + int64(z.Exponent) - 1 // z = d.ddd x 10^adj
	return 0.5 * math.Pow(10, float64(adj-digits+1))
}

// apd19 is apd at derivmath's precision, 19 digits, half-even: the
// formula evaluated in it step by step is what derivmath must return.
var apd19 = func() *apd.Context {
	c := apd.BaseContext.WithPrecision(19)
	c.Rounding = apd.RoundHalfEven
	return c
}()

const float64Unit = 0x1p-53 // the relative rounding error of one float64 operation

// The models, with each library's documented precision.
var (
	// derivmath rounds every operation to the context's precision, 19
	// significant digits, half-even (apd's arithmetic).
	modelDerivmath = model{
		name:  "derivmath",
		round: func(z *apd.Decimal, _ opKind) float64 { return halfULP(z, 19) },
		in:    func(*apd.Decimal) float64 { return 0 },
	}
	// float64 rounds every input and every operation to 53 bits.
	modelFloat64 = model{
		name:   "float64",
		round:  func(z *apd.Decimal, _ opKind) float64 { return f64(z) * float64Unit },
		in:     func(x *apd.Decimal) float64 { return f64(x) * float64Unit },
		binary: true,
	}
	// shopspring/decimal (v1.6.0) is exact in addition and multiplication
	// (arbitrary precision) and rounds a quotient half away from zero to
	// DivisionPrecision = 16 decimal places.
	modelShopspring = model{
		name: "shopspring",
		round: func(_ *apd.Decimal, k opKind) float64 {
			if k == opQuo {
				return 0.5e-16
			}
			return 0
		},
		in: func(*apd.Decimal) float64 { return 0 },
	}
	// udecimal (v1.11.1) is fixed point with at most 19 decimal places and
	// a 128-bit coefficient (big.Int beyond it): addition is exact,
	// multiplication and division truncate to 19 places.
	modelUdecimal = model{
		name: "udecimal",
		round: func(_ *apd.Decimal, k opKind) float64 {
			if k == opAdd {
				return 0
			}
			return 1e-19
		},
		in: func(*apd.Decimal) float64 { return 0 },
	}
	// govalues/decimal (v0.1.36) holds a 64-bit coefficient of at most 19
	// digits and at most 19 decimal places: every operation rounds half to
	// even to 19 significant digits, or to 19 places when the result is
	// below 1 (so a result of 1e-12 keeps 7 digits).
	modelGovalues = model{
		name:  "govalues",
		round: func(z *apd.Decimal, _ opKind) float64 { return math.Max(halfULP(z, 19), 0.5e-19) },
		in:    func(*apd.Decimal) float64 { return 0 },
	}
)

// oracle evaluates formulas for one model, at 50 digits, or in c when it
// is set (apd step by step at derivmath's precision).
type oracle struct {
	m model
	c *apd.Context
}

func (o *oracle) ctx() *apd.Context {
	if o.c != nil {
		return o.c
	}
	return oracleCtx
}

func (o *oracle) check(err error) {
	if err != nil {
		panic(err)
	}
}

// res returns the num of exact value v after an operation of kind k on
// operands whose errors propagate to e.
func (o *oracle) res(v *apd.Decimal, e float64, k opKind) num {
	var z num
	z.v.Set(v)
	z.e = e + o.m.round(v, k)
	return z
}

// in is an input.
func (o *oracle) in(x *apd.Decimal) num {
	var z num
	z.v.Set(x)
	z.e = o.m.in(x)
	return z
}

func (o *oracle) add(x, y num) num {
	var v apd.Decimal
	_, err := o.ctx().Add(&v, &x.v, &y.v)
	o.check(err)
	return o.res(&v, x.e+y.e, opAdd)
}

func (o *oracle) sub(x, y num) num {
	var v apd.Decimal
	_, err := o.ctx().Sub(&v, &x.v, &y.v)
	o.check(err)
	return o.res(&v, x.e+y.e, opAdd)
}

// mul: |x'y' - xy| <= |x|e_y + |y|e_x + e_x*e_y.
func (o *oracle) mul(x, y num) num {
	var v apd.Decimal
	_, err := o.ctx().Mul(&v, &x.v, &y.v)
	o.check(err)
	return o.res(&v, f64(&x.v)*y.e+f64(&y.v)*x.e+x.e*y.e, opMul)
}

// quo: |x'/y' - x/y| <= (e_x + |x/y|*e_y)/(|y| - e_y).
func (o *oracle) quo(x, y num) num {
	var v apd.Decimal
	_, err := o.ctx().Quo(&v, &x.v, &y.v)
	o.check(err)
	d := f64(&y.v) - y.e
	if d <= 0 {
		panic("oracle: the divisor's error bound reaches zero")
	}
	return o.res(&v, (x.e+f64(&v)*y.e)/d, opQuo)
}

func (o *oracle) abs(x num) num {
	x.v.Abs(&x.v)
	return x
}

// max0 is max(0, x), which moves no result further than x moved.
func (o *oracle) max0(x num) num {
	if x.v.Negative {
		x.v.SetInt64(0)
	}
	return x
}

// ceil is the ceiling of x to an integer: exact, unless the values x may
// take span an integer, when the ceilings of its ends bound the error.
func (o *oracle) ceil(x num) num {
	var z num
	_, err := o.ctx().Ceil(&z.v, &x.v)
	o.check(err)
	if x.e > 0 {
		var e, lo, hi apd.Decimal
		_, err := e.SetFloat64(x.e)
		o.check(err)
		_, err = oracleCtx.Sub(&lo, &x.v, &e)
		o.check(err)
		_, err = oracleCtx.Add(&hi, &x.v, &e)
		o.check(err)
		_, err = oracleCtx.Ceil(&lo, &lo)
		o.check(err)
		_, err = oracleCtx.Ceil(&hi, &hi)
		o.check(err)
		_, err = oracleCtx.Sub(&e, &hi, &lo)
		o.check(err)
		z.e = f64(&e)
	}
	return z
}

// ceilTo is the ceiling of x to 10^-places: exact scaling in decimals,
// ceil(x*10^p)/10^p with two roundings in float64.
func (o *oracle) ceilTo(x num, places int32) num {
	scale := apd.New(1, places)
	if o.m.binary {
		return o.quo(o.ceil(o.mul(x, o.in(scale))), o.in(scale))
	}
	var y num
	_, err := o.ctx().Mul(&y.v, &x.v, scale)
	o.check(err)
	y.e = x.e * math.Pow(10, float64(places))
	c := o.ceil(y)
	_, err = o.ctx().Quo(&c.v, &c.v, scale)
	o.check(err)
	c.e /= math.Pow(10, float64(places))
	return c
}
