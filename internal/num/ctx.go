package num

import (
	"math/big"
	"unsafe"

	"github.com/cockroachdb/apd/v3"
)

// A Ctx computes in an apd context and keeps the first error (see the
// package documentation). A Ctx serves one computation: make it with [In],
// which keeps it on the stack.
type Ctx struct {
	// Err is the first error: a sentinel recorded with [Ctx.Fail] or a
	// failure reported by apd (see [Wrap]). Set it only through Fail.
	Err error

	lim  uint64 // 10^aprec when fast
	lo   int32  // the window of inWindow: lo, and the number of exponents
	span uint32 // in it (0: none)

	// The context's fields but its rounder, for which mode stands (apd
	// rounds half-up with an empty or unknown rounder). Not a pointer to
	// the caller's context: for escape analysis, it would flow into the
	// error Store returns, and a context on the caller's stack would move
	// to the heap.
	aprec      uint32
	maxE, minE int32
	traps      apd.Condition

	mode Mode
	fast bool // the kernels run: see In; false once Err is set

	noApd bool // set by tests: a fallback to apd panics
}

// margin keeps results computed here away from apd's own exponent limits,
// which apply to intermediate exponents as well as to results.
const margin = 64

// In returns a Ctx computing in ctx; a nil ctx gives a Ctx whose Err is
// [ErrContext]. In inlines, so that the Ctx stays on the caller's stack
// (the allocation tests check it).
func In(ctx *apd.Context) *Ctx {
	c := new(Ctx)
	c.init(ctx)
	return c
}

// InBase is the common case of [In], inlined (see [Small]): a Ctx and
// true when ctx is derivmath's default context (derivmath.NewContext:
// apd.BaseContext at precision 19, rounding half-even), recognised by its
// values; else false (then call In). The callers that count every call
// write
//
//	c, ok := num.InBase(ctx)
//	if !ok {
//		c = num.In(ctx)
//	}
func InBase(ctx *apd.Context) (*Ctx, bool) {
	c := new(Ctx)
	ok := ctx != nil && *(*[2]uint64)(unsafe.Pointer(ctx)) == baseHead && ctx.Rounding == apd.RoundHalfEven && headLayout
	if ok {
		c.lim, c.lo, c.span = 1e19, baseLo, baseSpan
		c.aprec, c.maxE, c.minE, c.traps = 19, apd.MaxExponent, apd.MinExponent, apd.BaseContext.Traps
		c.mode, c.fast = HalfEven, true
	}
	return c, ok
}

// baseHead is the first 16 bytes of derivmath's default context: its
// Precision, MaxExponent, MinExponent and Traps, where headLayout checks
// that apd.Context holds them (else InBase says false).
var baseHead = *(*[2]uint64)(unsafe.Pointer(apd.BaseContext.WithPrecision(19)))

var headLayout = func() bool {
	var x apd.Context
	return unsafe.Offsetof(x.Precision) == 0 && unsafe.Sizeof(x.Precision) == 4 &&
		unsafe.Offsetof(x.MaxExponent) == 4 && unsafe.Sizeof(x.MaxExponent) == 4 &&
		unsafe.Offsetof(x.MinExponent) == 8 && unsafe.Sizeof(x.MinExponent) == 4 &&
		unsafe.Offsetof(x.Traps) == 12 && unsafe.Sizeof(x.Traps) == 4
}()

func (c *Ctx) init(ctx *apd.Context) {
	if ctx == nil {
		c.Err = ErrContext
		return
	}
	c.aprec, c.maxE, c.minE, c.traps = ctx.Precision, ctx.MaxExponent, ctx.MinExponent, ctx.Traps
	c.mode = ModeOf(ctx.Rounding)
	// The window holds the exponents e of the exact values (of at most 39
	// digits) that the kernels round: the result's exponent (at most
	// e+39) and adjusted exponent (19 more, 58 in all) stay within ctx's
	// limits, so that apd's subnormal, clamping and overflow rules never
	// apply.
	c.lo, c.span = baseLo, baseSpan
	if ctx.MinExponent != apd.MinExponent || ctx.MaxExponent != apd.MaxExponent {
		lo := max(int64(ctx.MinExponent), apd.MinExponent+margin) + 1
		hi := min(int64(ctx.MaxExponent), apd.MaxExponent-margin) - 58
		c.lo, c.span = int32(lo), uint32(max(0, hi-lo+1))
	}
	if p := ctx.Precision; c.span != 0 && p-1 < 19 && ctx.Traps&(apd.Inexact|apd.Rounded|apd.Clamped) == 0 {
		c.lim, c.fast = pow10[p], true
	}
}

// The window of apd's own exponent limits (BaseContext's, the usual case).
const (
	baseLo   = apd.MinExponent + margin + 1
	baseSpan = apd.MaxExponent - margin - 58 - baseLo + 1
)

// Precision returns the precision of the context c computes in, in
// digits.
func (c *Ctx) Precision() uint32 { return c.aprec }

// apdContext returns the context c computes in.
func (c *Ctx) apdContext() apd.Context {
	return apd.Context{Precision: c.aprec, MaxExponent: c.maxE, MinExponent: c.minE, Traps: c.traps, Rounding: modeRounders[c.mode&15]}
}

// Fail records err unless an error is already recorded.
func (c *Ctx) Fail(err error) {
	if c.Err == nil {
		c.Err, c.fast = err, false
	}
}

// FailIf records err if bad, unless an error is already recorded.
func (c *Ctx) FailIf(bad bool, err error) {
	if bad {
		c.Fail(err)
	}
}

// inWindow reports whether e is in the window of In: an exact value of up
// to 39 digits at exponent e, and its rounding, are where the kernels
// reproduce apd.
func (c *Ctx) inWindow(e int32) bool { return uint32(e-c.lo) < c.span }

// Check returns x loaded, and records [Check]'s error if x is not valid.
func (c *Ctx) Check(x *apd.Decimal) Dec {
	if d, ok := Small(x); ok {
		return d
	}
	return c.checkAs(x, Any, nil)
}

// CheckPrice is [CheckAs] for a price (Positive, [ErrPrice]), recording its
// error.
func (c *Ctx) CheckPrice(x *apd.Decimal) Dec { return c.CheckPositive(x, ErrPrice) }

// CheckPositive is [CheckAs] with Positive, recording its error (a price, a
// multiplier, a size: rng is the caller's sentinel).
func (c *Ctx) CheckPositive(x *apd.Decimal, rng error) Dec {
	if d, ok := SmallPositive(x); ok {
		return d
	}
	return c.checkAs(x, Positive, rng)
}

// CheckNonNegative is [Check], recording its error, then rng if x < 0 (a
// value, a notional, an amount: rng is the caller's sentinel).
func (c *Ctx) CheckNonNegative(x *apd.Decimal, rng error) Dec {
	if d, ok := SmallNonNegative(x); ok {
		return d
	}
	return c.checkAs(x, NonNegative, rng)
}

// CheckLeverage is [CheckAs] for a leverage (AtLeastOne, [ErrLeverage]),
// recording its error.
func (c *Ctx) CheckLeverage(x *apd.Decimal) Dec {
	if d, ok := SmallPositive(x); ok && !lessThanOne(d.c, d.e) {
		return d
	}
	return c.checkAs(x, AtLeastOne, ErrLeverage)
}

// Small is the common case of [Ctx.Check], inlined: x loaded and true
// when x is a valid input whose coefficient is a word held inline, else
// false (then call Ctx.Check, which records the error, if any). A Ctx
// method that falls back to another call costs more than the inlining
// budget allows, so the callers that count every call write
//
//	q, ok := num.Small(qty)
//	if !ok {
//		q = c.Check(qty)
//	}
func Small(x *apd.Decimal) (Dec, bool) {
	w, ok := inlineValid(x)
	return Dec{c: w, e: x.Exponent, neg: x.Negative}, ok && (w != 0 || !x.Negative)
}

// SmallPositive is [Small] for [Ctx.CheckPositive] (and CheckPrice): x > 0.
func SmallPositive(x *apd.Decimal) (Dec, bool) {
	w, ok := inlineValid(x)
	return Dec{c: w, e: x.Exponent}, ok && w != 0 && !x.Negative
}

// SmallNonNegative is [Small] for [Ctx.CheckNonNegative]: x >= 0.
func SmallNonNegative(x *apd.Decimal) (Dec, bool) {
	w, ok := inlineValid(x)
	return Dec{c: w, e: x.Exponent}, ok && !x.Negative
}

// SmallAtLeastOne is [Small] for [Ctx.CheckLeverage] and a whole x >= 1
// (at exponent 0 or more; a fractional leverage is false, for
// Ctx.CheckLeverage to decide: within the budget, as Small is).
func SmallAtLeastOne(x *apd.Decimal) (Dec, bool) {
	w, ok := inlineValid(x)
	return Dec{c: w, e: x.Exponent}, ok && w != 0 && !x.Negative && x.Exponent >= 0
}

// inlineValid returns the first word of x's inline coefficient, and
// whether x is a valid input but for -0 whose coefficient is that word
// (any uint64 has at most 20 digits): the common case of [Check], read
// without apd's API, in one place for the Small functions.
func inlineValid(x *apd.Decimal) (uint64, bool) {
	p := (*bigIntLayout)(unsafe.Pointer(&x.Coeff))
	return uint64(p.inline[0]), p.inner == nil && p.inline[1] == 0 && inlineLayout &&
		x.Form == apd.Finite && uint32(x.Exponent+MaxScale) <= 2*MaxScale
}

// CheckFeeRate is [CheckAs] for a fee rate (BelowOne, [ErrFeeRate]),
// recording its error.
func (c *Ctx) CheckFeeRate(x *apd.Decimal) Dec { return c.checkBelowOne(x, ErrFeeRate) }

// CheckRate is [CheckAs] for a rate (BelowOne, [ErrRate]), recording its
// error.
func (c *Ctx) CheckRate(x *apd.Decimal) Dec { return c.checkBelowOne(x, ErrRate) }

func (c *Ctx) checkBelowOne(x *apd.Decimal, rng error) Dec {
	if d, ok := Small(x); ok && lessThanOne(d.c, d.e) {
		return d
	}
	return c.checkAs(x, BelowOne, rng)
}

// checkAs is [CheckAs], recording its error.
func (c *Ctx) checkAs(x *apd.Decimal, r Range, rng error) Dec {
	d, err := CheckAs(x, r, rng)
	c.FailIf(err != nil, err)
	return d
}

type op uint8

const (
	opAdd op = iota
	opSub
	opMul
	opQuo
	opExact op = 8 // with another op: ErrRange if inexact
)

// slow computes op through apd, on stack temporaries.
func (c *Ctx) slow(x, y Dec, o op) Dec {
	if c.Err != nil {
		return Dec{}
	}
	c.checkApd()
	ac := c.apdContext()
	var a, b, z apd.Decimal
	xa, ya := x.apd(&a), y.apd(&b)
	var res apd.Condition
	var err error
	switch o &^ opExact {
	case opAdd:
		res, err = ac.Add(&z, xa, ya)
	case opSub:
		res, err = ac.Sub(&z, xa, ya)
	case opMul:
		res, err = ac.Mul(&z, xa, ya)
	case opQuo:
		res, err = ac.Quo(&z, xa, ya)
	}
	switch {
	case err != nil:
		c.Fail(&apdError{err})
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
	ac := c.apdContext()
	var a, z apd.Decimal
	if _, err := ac.Quantize(&z, x.apd(&a), exp); err != nil {
		c.Fail(&apdError{err})
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
		// The exponent is out of range (else Result or Store took d): a
		// zero is 0, and trailing zeros may bring the exponent back.
		if d = d.Reduce(); d.big == nil && uint32(d.e+MaxScale) <= 2*MaxScale {
			return d
		}
		c.Fail(ErrRange)
		return Dec{}
	}
	var z apd.Decimal
	z.Set(d.big)
	r, err := gate(&z)
	if err != nil {
		c.Fail(err)
		return Dec{}
	}
	return r
}

// gate applies the result gate to r, in place, and returns it as a Dec: a
// zero loses its sign; a value that fails [Check] loses its trailing zeros
// (its value unchanged); if it still fails, or r is not finite, gate
// returns [ErrRange].
func gate(r *apd.Decimal) (Dec, error) {
	if r.Form != apd.Finite {
		return Dec{}, ErrRange
	}
	if r.IsZero() {
		r.Negative = false
	}
	d, err := Check(r)
	if err != nil {
		r.Reduce(r)
		if d, err = Check(r); err != nil {
			return Dec{}, ErrRange
		}
	}
	return d, nil
}

// StoreResult writes r, a result computed with apd directly rather than
// with a [Ctx], to z through the result gate of [Ctx.Result]; on error
// ([ErrRange]) z is not written. The gate works on r in place (a zero
// loses its sign, a result out of range its trailing zeros), so r is
// computed apart from z, and z may alias any operand of that computation.
func StoreResult(z, r *apd.Decimal) error {
	if _, err := gate(r); err != nil {
		return err
	}
	z.Set(r)
	return nil
}

// Store writes d to z through the result gate ([Ctx.Result]) and returns
// c.Err; on error z is not written.
func (c *Ctx) Store(z *apd.Decimal, d Dec) error {
	if c.Err == nil && d.big == nil && uint32(d.e+MaxScale) <= 2*MaxScale {
		setSmall(z, d)
		return nil
	}
	return c.storeSlow(z, d)
}

// StoreRate is [Ctx.Store] for a rate, which must be a valid input of
// [Ctx.CheckRate]: it records [ErrRate], and writes nothing, unless d's
// magnitude is below 1. The check costs a comparison where Store writes
// at once.
func (c *Ctx) StoreRate(z *apd.Decimal, d Dec) error {
	if c.Err == nil && d.big == nil && lessThanOne(d.c, d.e) && uint32(d.e+MaxScale) <= 2*MaxScale {
		setSmall(z, d)
		return nil
	}
	c.FailIf(c.Err == nil && !d.BelowOne(), ErrRate)
	return c.storeSlow(z, d)
}

// setSmall writes d, held in a word and within the result gate, to z.
func setSmall(z *apd.Decimal, d Dec) {
	z.Form = apd.Finite
	z.Negative = d.neg && d.c != 0
	z.Exponent = d.e
	z.Coeff.SetUint64(d.c)
}

// StoreSmall is the common case of [Ctx.Store], inlined (see [Small]): it
// writes d to z and returns true when there is no error, d is small and
// passes the result gate as it is, and z holds its coefficient inline;
// otherwise it writes nothing and returns false, and the caller calls
// Store.
func (c *Ctx) StoreSmall(z *apd.Decimal, d Dec) bool {
	p := (*bigIntLayout)(unsafe.Pointer(&z.Coeff))
	if c.Err != nil || d.big != nil || uint32(d.e+MaxScale) > 2*MaxScale || p.inner != nil || !inlineLayout {
		return false
	}
	z.Form, z.Negative, z.Exponent = apd.Finite, d.neg && d.c != 0, d.e
	p.inline = [2]big.Word{big.Word(d.c), 0} // as SetUint64 writes them
	return true
}

func (c *Ctx) storeSlow(z *apd.Decimal, d Dec) error {
	d = c.resultSlow(d)
	if c.Err != nil {
		return c.Err
	}
	d.Store(z)
	return nil
}
