package num

import (
	"math/bits"

	"github.com/cockroachdb/apd/v3"
)

// A Ctx computes in an apd context, keeping the first error, in the style
// of apd.ErrDecimal: once Err is set, every operation returns a zero Dec at
// once, so a formula reads as the formula and checks one error at the end:
//
//	c := num.In(ctx)
//	d := c.Quo(c.Mul(c.Mul(c.Sub(exit, entry), q), m), c.Mul(entry, exit))
//	return c.Store(z, d)
//
// Every operation gives exactly what the same apd operation gives in the
// context: Form, Negative, Exponent and coefficient, and the same error.
// Operations on small Decs run on machine integers when the context allows
// (precision 1..19, Inexact, Rounded and Clamped not trapped, results away
// from the exponent limits), and through apd on stack temporaries
// otherwise.
//
// A Ctx serves one computation: make it with [In], which keeps it on the
// stack.
type Ctx struct {
	// Err is the first error: a sentinel recorded with [Ctx.Fail] or a
	// failure reported by apd (see [Wrap]). Set it only through Fail.
	Err error

	// apd is a copy of the context: a pointer to the caller's would flow,
	// for escape analysis, into the error Store returns, and move a
	// context the caller keeps on its stack to the heap.
	apd  apd.Context
	lo   int32  // the smallest exponent of a result computed here
	span uint32 // the largest is lo+span
	prec int32  // the precision when fast
	lim  uint64 // 10^prec when fast
	mode Mode
	bits uint16 // awayTable[mode]
	fast bool   // the kernels run: see In
	win  bool   // lo and span hold a window

	noApd bool // set by tests: a fallback to apd panics
}

// margin keeps results computed here away from apd's own exponent limits,
// which apply to intermediate exponents as well as to results.
const margin = 64

// In returns a Ctx computing in ctx. A nil ctx gives a Ctx whose Err is
// [ErrContext].
//
// In is small enough to inline, so that the Ctx it allocates stays on the
// caller's stack (the allocation tests check it) and is built in place,
// with no copy.
func In(ctx *apd.Context) *Ctx {
	c := new(Ctx)
	c.init(ctx)
	return c
}

func (c *Ctx) init(ctx *apd.Context) {
	if ctx == nil {
		c.Err = ErrContext
		return
	}
	c.apd = *ctx
	c.mode = ModeOf(ctx.Rounding)
	c.bits = awayTable[c.mode&15]
	// A result's exponent e and adjusted exponent (at most e+19) stay
	// within ctx's limits, so that apd's subnormal, clamping and overflow
	// rules never apply, even to the unrounded value (whose adjusted
	// exponent may be one less than the rounded one's).
	lo, hi := int64(ctx.MinExponent), int64(ctx.MaxExponent)
	if lo < apd.MinExponent+margin {
		lo = apd.MinExponent + margin
	}
	if hi > apd.MaxExponent-margin {
		hi = apd.MaxExponent - margin
	}
	if lo++; lo > hi-19 {
		return
	}
	c.lo, c.span, c.win = int32(lo), uint32(hi-19-lo), true
	if p := ctx.Precision - 1; p < 19 && ctx.Traps&(apd.Inexact|apd.Rounded|apd.Clamped) == 0 {
		c.prec, c.lim, c.fast = int32(p+1), pow10[p+1], true
	}
}

// Fast reports whether c's operations run on machine integers for small
// operands.
func (c *Ctx) Fast() bool { return c.fast }

// Fail records err unless an error is already recorded.
func (c *Ctx) Fail(err error) {
	if c.Err == nil {
		c.Err = err
	}
}

// failApd records a failure reported by apd.
func (c *Ctx) failApd(err error) {
	c.Fail(&apdError{err})
}

// inWindow reports whether a result of exponent e is where the kernels
// reproduce apd.
func (c *Ctx) inWindow(e int32) bool { return uint32(e-c.lo) <= c.span }

// Check returns x loaded, and records [Check]'s error if x is not valid.
func (c *Ctx) Check(x *apd.Decimal) Dec {
	// The common case in one call (and apd's two), the rest in Check.
	if cc, ok := inline64(x); ok && x.Form == apd.Finite && uint32(x.Exponent+MaxScale) <= 2*MaxScale && (cc != 0 || !x.Negative) {
		return Dec{c: cc, e: x.Exponent, neg: x.Negative}
	}
	return c.check(Check(x))
}

// CheckPrice is [CheckPrice], recording its error.
func (c *Ctx) CheckPrice(x *apd.Decimal) Dec {
	if cc, ok := inline64(x); ok && cc != 0 && x.Form == apd.Finite && !x.Negative && uint32(x.Exponent+MaxScale) <= 2*MaxScale {
		return Dec{c: cc, e: x.Exponent}
	}
	return c.check(CheckPrice(x))
}

// CheckLeverage is [CheckLeverage], recording its error.
func (c *Ctx) CheckLeverage(x *apd.Decimal) Dec { return c.check(CheckLeverage(x)) }

// CheckFeeRate is [CheckFeeRate], recording its error.
func (c *Ctx) CheckFeeRate(x *apd.Decimal) Dec { return c.check(CheckFeeRate(x)) }

// CheckRate is [CheckRate], recording its error.
func (c *Ctx) CheckRate(x *apd.Decimal) Dec {
	// The common case, a valid x below 1 with a negative exponent (c <
	// 10^-e, which every uint64 is for -e >= 20), in one call; the rest,
	// zeros of exponent 0 or more included, in CheckRate.
	if cc, ok := inline64(x); ok && x.Form == apd.Finite && x.Exponent < 0 && x.Exponent >= -MaxScale &&
		(cc != 0 || !x.Negative) && (x.Exponent <= -20 || cc < pow10pad[-x.Exponent&31]) {
		return Dec{c: cc, e: x.Exponent, neg: x.Negative}
	}
	return c.check(CheckRate(x))
}

func (c *Ctx) check(d Dec, err error) Dec {
	if err != nil {
		c.Fail(err)
	}
	return d
}

// Add returns x + y, as apd's Context.Add.
func (c *Ctx) Add(x, y Dec) Dec { return c.addSub(x, y, y.neg, opAdd) }

// Sub returns x - y, as apd's Context.Sub.
func (c *Ctx) Sub(x, y Dec) Dec { return c.addSub(x, y, !y.neg, opSub) }

// Mul returns x * y, as apd's Context.Mul.
func (c *Ctx) Mul(x, y Dec) Dec {
	// Written so that every call is in tail position: x and y then stay
	// in registers on the fast path.
	if !c.fast || c.Err != nil || x.big != nil || y.big != nil {
		return c.slow(opMul, x, y)
	}
	// The exact product at the sum of the exponents, rounded once.
	hi, lo := bits.Mul64(x.c, y.c)
	e, neg := x.e+y.e, x.neg != y.neg
	if hi != 0 || lo >= c.lim {
		diff := digits128(u128{hi, lo}) - int(c.prec)
		if diff >= len(pow10) {
			return c.mulLong(x, y)
		}
		d := pow10[diff]
		var r uint64
		lo, r = bits.Div64(hi, lo, d)
		if r != 0 && c.mode.away(lo, neg, cmpHalf(r, d)) {
			if lo++; lo == c.lim {
				lo, diff = lo/10, diff+1
			}
		}
		e += int32(diff)
	}
	if !c.inWindow(e) {
		return c.slow(opMul, x, y)
	}
	return Dec{c: lo, e: e, neg: neg}
}

// mulLong is Mul for products that lose 20 digits or more.
func (c *Ctx) mulLong(x, y Dec) Dec {
	if r, _, ok := c.mul(x, y); ok {
		return r
	}
	return c.slow(opMul, x, y)
}

// AddExact is [Ctx.Add], recording [ErrRange] if the sum is inexact.
func (c *Ctx) AddExact(x, y Dec) Dec {
	if c.fast && c.Err == nil && x.big == nil && y.big == nil {
		if r, inexact, ok := c.add(x, y.c, y.e, y.neg); ok {
			return c.exact(r, inexact)
		}
	}
	return c.slow(opAdd|opExact, x, y)
}

// SubExact is [Ctx.Sub], recording [ErrRange] if the difference is
// inexact.
func (c *Ctx) SubExact(x, y Dec) Dec {
	if c.fast && c.Err == nil && x.big == nil && y.big == nil {
		if r, inexact, ok := c.add(x, y.c, y.e, !y.neg); ok {
			return c.exact(r, inexact)
		}
	}
	return c.slow(opSub|opExact, x, y)
}

// MulExact is [Ctx.Mul], recording [ErrRange] if the product is inexact.
func (c *Ctx) MulExact(x, y Dec) Dec {
	if c.fast && c.Err == nil && x.big == nil && y.big == nil {
		if r, inexact, ok := c.mul(x, y); ok {
			return c.exact(r, inexact)
		}
	}
	return c.slow(opMul|opExact, x, y)
}

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
	if c.fast && c.Err == nil && x.big == nil {
		if r, _, ok := c.round128(u128{0, x.c}, x.e, x.neg); ok {
			return r
		}
	}
	return c.slow(opRound, x, Dec{})
}

type op uint8

const (
	opAdd op = iota
	opSub
	opMul
	opQuo
	opRound
	opExact op = 8 // with another op: ErrRange if inexact
)

// slow computes op through apd, on stack temporaries.
func (c *Ctx) slow(o op, x, y Dec) Dec {
	if c.Err != nil {
		return Dec{}
	}
	c.checkApd()
	var a, b, z apd.Decimal
	xa, ya := x.apd(&a), y.apd(&b)
	var res apd.Condition
	var err error
	switch o &^ opExact {
	case opAdd:
		res, err = c.apd.Add(&z, xa, ya)
	case opSub:
		res, err = c.apd.Sub(&z, xa, ya)
	case opMul:
		res, err = c.apd.Mul(&z, xa, ya)
	case opQuo:
		res, err = c.apd.Quo(&z, xa, ya)
	case opRound:
		res, err = c.apd.Round(&z, xa)
	}
	switch {
	case err != nil:
		c.failApd(err)
		return Dec{}
	case o&opExact != 0 && res.Inexact():
		c.Fail(ErrRange)
		return Dec{}
	}
	return Load(&z)
}

// checkApd panics when a test forbids apd.
func (c *Ctx) checkApd() {
	if c.noApd {
		panic("num: computed through apd")
	}
}

// Quantize returns x with exponent exp, as apd's Context.Quantize.
func (c *Ctx) Quantize(x Dec, exp int32) Dec {
	if c.Err != nil {
		return Dec{}
	}
	var a, z apd.Decimal
	if _, err := c.apd.Quantize(&z, x.apd(&a), exp); err != nil {
		c.failApd(err)
		return Dec{}
	}
	return Load(&z)
}

// Result applies the result gate to d: a result that would fail [Check]
// first loses its trailing zeros (its value unchanged); if it still fails,
// Result records [ErrRange]. A zero result is positive (apd gives -0 for
// -1 * 0, which is not a valid input). A function with several outputs
// passes each through Result before it writes any.
func (c *Ctx) Result(d Dec) Dec {
	if c.Err == nil && d.big == nil && uint32(d.e+MaxScale) <= 2*MaxScale {
		d.neg = d.neg && d.c != 0
		return d
	}
	return c.resultSlow(d)
}

func (c *Ctx) resultSlow(d Dec) Dec {
	if c.Err != nil {
		return Dec{}
	}
	if d.big == nil {
		d.neg = d.neg && d.c != 0
		if d.isValid() {
			return d
		}
		if d.c == 0 {
			return Dec{}
		}
		for d.c%10 == 0 {
			d.c /= 10
			d.e++
		}
		if uint32(d.e+MaxScale) <= 2*MaxScale {
			return d
		}
		c.Fail(ErrRange)
		return Dec{}
	}
	if d.big.Form != apd.Finite {
		c.Fail(ErrRange)
		return Dec{}
	}
	var z apd.Decimal
	z.Set(d.big)
	if z.IsZero() {
		z.Negative = false
	}
	r, err := Check(&z)
	if err != nil {
		z.Reduce(&z)
		if r, err = Check(&z); err != nil {
			c.Fail(ErrRange)
			return Dec{}
		}
	}
	return r
}

// Store writes d to z through the result gate ([Ctx.Result]) and returns
// c.Err; on error z is not written.
func (c *Ctx) Store(z *apd.Decimal, d Dec) error {
	if c.Err == nil && d.big == nil && uint32(d.e+MaxScale) <= 2*MaxScale {
		z.Form = apd.Finite
		z.Negative = d.neg && d.c != 0
		z.Exponent = d.e
		z.Coeff.SetUint64(d.c)
		return nil
	}
	return c.storeSlow(z, d)
}

func (c *Ctx) storeSlow(z *apd.Decimal, d Dec) error {
	d = c.resultSlow(d)
	if c.Err != nil {
		return c.Err
	}
	d.Store(z)
	return nil
}
