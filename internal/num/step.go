package num

import (
	"math"
	"math/bits"

	"github.com/cockroachdb/apd/v3"
)

// exactContext computes exactly (precision 0: apd does not round).
var exactContext = apd.BaseContext

// QuoInt returns the integer part of x/y (apd's QuoInteger: truncated
// toward zero, exponent 0, negative when the signs differ) and the exact
// remainder x - q*y, with x's sign (a zero remainder is positive), at the
// smaller of x's and y's exponents. It records [ErrRange] when the integer
// part has more digits than the context's precision (apd's
// DivisionImpossible), and apd's error for a zero y.
func (c *Ctx) QuoInt(x, y Dec) (q, r Dec) {
	if c.Err != nil {
		return Dec{}, Dec{}
	}
	if x.big == nil && y.big == nil && y.c != 0 {
		if qv, rv, _, ok := c.divInt(x, y); ok {
			return Dec{c: qv, neg: x.neg != y.neg}, Dec{c: rv, e: min(x.e, y.e), neg: x.neg && rv != 0}
		} else if c.Err != nil {
			return Dec{}, Dec{}
		}
	}
	var a, b, qa, ra apd.Decimal
	if !c.quoRemApd(&qa, &ra, x.apd(&a), y.apd(&b)) {
		return Dec{}, Dec{}
	}
	return Load(&qa), Load(&ra)
}

// divInt divides the magnitudes of x and y (small, y.c != 0) aligned on
// the smaller of their exponents: |x| = q*s + r, 0 <= r < s, with s the
// aligned |y|. Where y's exponent lies 20 or more places above x's, 2|x|
// < 10^(x.e+20) <= |y| (x's coefficient, a word, is below 5 * 10^19): q
// is 0, r is x.c, and s, too wide for a word, is reported as 0.
// It reports false when s (otherwise) or q does not fit a word, or when q
// has more digits than the context's precision: then it records
// [ErrRange], apd's DivisionImpossible.
func (c *Ctx) divInt(x, y Dec) (q, r, s uint64, ok bool) {
	// |x/y| >= 10^(adj(x) - adj(y) - 1): too many digits, known without
	// dividing.
	if x.c != 0 && int64(x.e)+int64(digits64(x.c))-int64(y.e)-int64(digits64(y.c)) > int64(c.aprec) {
		c.Fail(ErrRange)
		return 0, 0, 0, false
	}
	e := min(x.e, y.e)
	sx, sy := x.e-e, y.e-e
	if sy >= 20 {
		return 0, x.c, 0, true
	}
	if sx >= 20 {
		return 0, 0, 0, false
	}
	hi, s := bits.Mul64(y.c, pow10[sy])
	xh, xl := bits.Mul64(x.c, pow10[sx])
	if hi != 0 || xh >= s {
		return 0, 0, 0, false
	}
	if q, r = bits.Div64(xh, xl, s); digits64(q) > int(c.aprec) {
		c.Fail(ErrRange)
		return 0, 0, 0, false
	}
	return q, r, s, true
}

// quoRemApd is QuoInt through apd: q = QuoInteger(x, y) in c's context,
// r = x - q*y exactly.
func (c *Ctx) quoRemApd(q, r, x, y *apd.Decimal) bool {
	c.checkApd()
	ac := c.apdContext()
	res, err := ac.QuoInteger(q, x, y)
	if res&apd.DivisionImpossible != 0 {
		c.Fail(ErrRange)
		return false
	}
	ec := exactContext
	var prod apd.Decimal
	if err == nil {
		_, err = ec.Mul(&prod, q, y)
	}
	if err == nil {
		_, err = ec.Sub(r, x, &prod)
	}
	if err != nil {
		c.Fail(&apdError{err})
		return false
	}
	r.Negative = r.Negative && !r.IsZero()
	return true
}

// RoundStep returns x rounded to a whole multiple of step in mode m, with
// step's exponent: exact, one rounding whatever the step (ties are broken
// on the multiple, not on the digits of x/step), a zero result positive. It
// records [ErrStep] unless step > 0, and [ErrRange] when the number of
// steps or the result needs more digits than the context's precision.
//
// It runs on integers when the coefficients fit, and otherwise through apd
// (QuoInteger, then exact products and differences); both give the same
// result.
func (c *Ctx) RoundStep(x, step Dec, m Mode) Dec {
	if c.Err != nil {
		return Dec{}
	}
	if step.Sign() <= 0 {
		c.Fail(ErrStep)
		return Dec{}
	}
	if c.span != 0 && x.big == nil && step.big == nil {
		q, r, s, ok := c.divInt(x, step)
		if c.Err != nil {
			return Dec{}
		}
		if ok && q < math.MaxUint64 {
			half := -1 // s == 0: less than half a step (see divInt)
			if s != 0 {
				half = cmpHalf(r, s)
			}
			if r != 0 && m.away(q, x.neg, half) {
				q++
			}
			hi, v := bits.Mul64(q, step.c)
			if hi == 0 && digits64(v) <= int(c.aprec) && c.inWindow(step.e) {
				return Dec{c: v, e: step.e, neg: x.neg && v != 0}
			}
		}
	}
	var a, b, q, r apd.Decimal
	xa, sa := x.apd(&a), step.apd(&b)
	if !c.quoRemApd(&q, &r, xa, sa) {
		return Dec{}
	}
	if !r.IsZero() {
		// Compare |r| with step/2 as 2|r| with step, exactly.
		var twice apd.Decimal
		twice.Abs(&r)
		twice.Coeff.Add(&twice.Coeff, &twice.Coeff)
		var ten, last apd.BigInt
		ten.SetInt64(10)
		last.Rem(&q.Coeff, &ten) // q's parity and divisibility by 5
		if m.away(last.Uint64(), xa.Negative, twice.Cmp(sa)) {
			// q carries x's sign: a larger coefficient is away from zero.
			var one apd.BigInt
			one.SetInt64(1)
			q.Coeff.Add(&q.Coeff, &one)
		}
	}
	d := c.slow(fromBig(&q), step, opMul|opExact)
	if c.Err == nil && d.Exponent() != step.Exponent() {
		// apd dropped trailing zeros to fit the precision: the multiple
		// needs more digits than that at the step's exponent (a carry to
		// 10^p steps, or a step coefficient ending in zeros).
		c.Fail(ErrRange)
		return Dec{}
	}
	d.neg = d.neg && d.c != 0 // a zero is positive (and small)
	return d
}
