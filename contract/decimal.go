package contract

import (
	"fmt"
	"strconv"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/internal/fastdec"
)

// Precision is the number of significant digits of the default context.
//
// 19 is the largest precision at which apd's Add, Sub, Mul, Quo, Cmp and
// Quantize allocate nothing for exchange-sized inputs: the exact product of
// two 19-digit coefficients fits in 128 bits, and a quotient's intermediate
// (divisor digits plus precision) stays within 128 bits for divisors of up to
// 19 digits. Measured with apd v3.2.3 on the inverse PnL kernel: precision
// 19 allocated nothing for prices of 17 significant digits
// (123456.12345678), precision 20 allocated 6 times on the same inputs and
// precision 21 allocated on every input.
const Precision = 19

// MaxDigits is the largest number of significant digits [CheckDecimal]
// accepts. It equals [Precision], so every valid input is exact in the
// default context.
const MaxDigits = 19

// maxCoeff is 10^MaxDigits, the smallest coefficient with too many digits.
const maxCoeff = 10_000_000_000_000_000_000

// MaxScale bounds the exponent of an accepted decimal: a valid input x has
// -MaxScale <= x.Exponent <= MaxScale. 36 places cover every exchange's
// smallest unit (1 wei = 1e-18 ETH) and the results of derivmath itself fed
// back as inputs (a 19-digit fee of 7.5e-6 XBT has exponent -24), while
// keeping out exponents such as 1e-100000, whose alignment would cost
// megabytes.
const MaxScale = 36

// NewContext returns a new context for derivmath computations:
// [apd.BaseContext] (traps on: division by zero, overflow, underflow and
// invalid operations are errors) with [Precision] digits, rounding half-even.
//
// Build it once and keep it: the functions of derivmath only read it.
// Never use apd.Context{} (precision 0): divisions on it are exact or fail,
// and the allocation guarantees do not hold.
func NewContext() *apd.Context {
	c := apd.BaseContext.WithPrecision(Precision)
	c.Rounding = apd.RoundHalfEven // apd's default, the empty Rounder, is half-up
	return c
}

// CheckDecimal reports whether x is a valid input: finite, not a negative
// zero, with at most [MaxDigits] significant digits and an exponent within
// [-MaxScale, MaxScale].
//
// It returns nil or one of [ErrNaN], [ErrInfinite], [ErrNegativeZero] and
// [ErrRange].
func CheckDecimal(x *apd.Decimal) error {
	_, err := checkLoad(x)
	return err
}

// checkLoad is CheckDecimal that also returns x loaded for the kernels, so
// that a kernel reads each input's coefficient once.
func checkLoad(x *apd.Decimal) (fastdec.Dec, error) {
	switch x.Form {
	case apd.Finite:
	case apd.Infinite:
		return fastdec.Dec{}, ErrInfinite
	default:
		return fastdec.Dec{}, ErrNaN
	}
	if x.Negative && x.IsZero() {
		return fastdec.Dec{}, ErrNegativeZero
	}
	if x.Exponent < -MaxScale || x.Exponent > MaxScale {
		return fastdec.Dec{}, ErrRange
	}
	// At most 19 digits: below 10^19, which also fits in a uint64. This is
	// cheaper than counting digits. Load takes every finite decimal with a
	// 64-bit coefficient and an exponent this small.
	d, ok := fastdec.Load(x)
	if !ok || d.C >= maxCoeff {
		return fastdec.Dec{}, ErrRange
	}
	return d, nil
}

// checkPriceLoad is CheckPrice that also returns x loaded.
func checkPriceLoad(x *apd.Decimal) (fastdec.Dec, error) {
	d, err := checkLoad(x)
	if err == nil && d.Sign() <= 0 {
		err = ErrPrice
	}
	return d, err
}

// CheckPrice reports whether x is a valid price: a valid decimal (see
// [CheckDecimal]) greater than zero. A zero or negative price yields
// [ErrPrice].
func CheckPrice(x *apd.Decimal) error {
	_, err := checkPriceLoad(x)
	return err
}

// CheckLeverage reports whether x is a valid leverage: a valid decimal of 1
// or more. A smaller leverage yields [ErrLeverage].
func CheckLeverage(x *apd.Decimal) error {
	d, err := checkLoad(x)
	if err != nil {
		return err
	}
	if d.Neg || d.BelowOne() {
		return ErrLeverage
	}
	return nil
}

// CheckFeeRate reports whether x is a valid fee rate: a valid decimal
// strictly between -1 and 1 (a negative rate is a rebate). Otherwise it
// returns [ErrFeeRate].
func CheckFeeRate(x *apd.Decimal) error {
	d, err := checkLoad(x)
	if err != nil {
		return err
	}
	if !d.BelowOne() {
		return ErrFeeRate
	}
	return nil
}

// one is a read-only constant: no function may pass it as a result
// argument.
var one = *apd.New(1, 0)

// Rounding selects how [Round] rounds a value to a multiple of a step.
type Rounding int8

// The roundings. The zero Rounding is invalid, so a forgotten mode is an
// error ([ErrRounding]) rather than a silent choice.
const (
	Down     Rounding = 1 + iota // toward zero
	Up                           // away from zero
	Floor                        // toward negative infinity
	Ceiling                      // toward positive infinity
	HalfUp                       // to nearest, ties away from zero
	HalfEven                     // to nearest, ties to the even multiple
)

var roundingNames = [...]string{"invalid", "Down", "Up", "Floor", "Ceiling", "HalfUp", "HalfEven"}

// String returns the name of the rounding, such as "HalfEven".
func (r Rounding) String() string {
	if r < Down || r > HalfEven {
		return "Rounding(" + strconv.Itoa(int(r)) + ")"
	}
	return roundingNames[r]
}

// Round sets z to x rounded to a whole multiple of step (a tick, a lot or a
// minor unit) in mode r, and returns an error if it cannot.
//
// The rounding is exact, whatever the step: Round never rounds twice, so
// HalfEven to a tick of 0.5 breaks ties on the multiple of 0.5, not on the
// digits of x/0.5. z may alias x or step.
//
// Errors: those of [CheckDecimal] for x and step, [ErrStep] for a step that
// is not positive, [ErrRounding] for an undefined mode, and [ErrRange] when
// x/step has more than ctx.Precision digits.
func Round(ctx *apd.Context, z, x, step *apd.Decimal, r Rounding) error {
	if r < Down || r > HalfEven {
		return ErrRounding
	}
	if err := CheckDecimal(x); err != nil {
		return err
	}
	if err := CheckDecimal(step); err != nil {
		return err
	}
	if step.Sign() <= 0 {
		return ErrStep
	}
	return round(ctx, z, x, step, r)
}

// round is Round without validation, for values computed here.
func round(ctx *apd.Context, z, x, step *apd.Decimal, r Rounding) error {
	if roundFast(ctx, z, x, step, r) {
		return nil
	}
	var q, rem apd.Decimal
	if err := quoRem(ctx, &q, &rem, x, step); err != nil {
		return err
	}
	if !rem.IsZero() && away(&q, &rem, step, r) {
		// q carries the sign of x, so a larger coefficient moves away
		// from zero on both sides.
		q.Coeff.Add(&q.Coeff, bigOne)
	}
	if err := mulExact(ctx, z, &q, step); err != nil {
		return err
	}
	if z.IsZero() {
		z.Negative = false // -0.3 rounded down is 0, not -0
	}
	return nil
}

var bigOne = apd.NewBigInt(1)

// roundFast is round on integers, for operands with 64-bit coefficients
// (all exchange inputs): the same result, coefficient and exponent, as the
// apd path, which it leaves to handle anything else, errors included.
func roundFast(ctx *apd.Context, z, x, step *apd.Decimal, r Rounding) bool {
	dx, okx := fastdec.Load(x)
	ds, oks := fastdec.Load(step)
	if !okx || !oks {
		return false
	}
	d, ok := dx.RoundStep(ds, r.fastdec(), int(ctx.Precision))
	if ok {
		d.Store(z)
	}
	return ok
}

// fastdec returns r as internal/fastdec names it.
func (r Rounding) fastdec() fastdec.Rounding {
	switch r {
	case Down:
		return fastdec.Down
	case Up:
		return fastdec.Up
	case Floor:
		return fastdec.Floor
	case Ceiling:
		return fastdec.Ceiling
	case HalfUp:
		return fastdec.HalfUp
	case HalfEven:
		return fastdec.HalfEven
	}
	return 0
}

// away reports whether a value q*step + rem (rem != 0, same sign as the
// value, |rem| < step) rounds away from zero, to (|q|+1)*step.
func away(q, rem, step *apd.Decimal, r Rounding) bool {
	switch r {
	case Up:
		return true
	case Floor:
		return rem.Negative
	case Ceiling:
		return !rem.Negative
	case HalfUp, HalfEven:
		// Compare |rem| with step/2 as 2|rem| with step; both are exact.
		var twice apd.Decimal
		twice.Set(rem)
		twice.Negative = false
		twice.Coeff.Add(&twice.Coeff, &twice.Coeff)
		switch twice.Cmp(step) {
		case 1:
			return true
		case 0:
			return r == HalfUp || isOdd(q)
		}
	}
	return false
}

// isOdd reports whether the integer q (exponent >= 0) is odd.
func isOdd(q *apd.Decimal) bool {
	return q.Exponent == 0 && q.Coeff.Bit(0) == 1
}

// quoRem sets q to the integer part of x/step (truncated toward zero, sign
// of x) and rem to x - q*step, exactly. Any inexact step yields ErrRange.
func quoRem(ctx *apd.Context, q, rem, x, step *apd.Decimal) error {
	if res, err := ctx.QuoInteger(q, x, step); err != nil {
		if res&apd.DivisionImpossible != 0 {
			return ErrRange
		}
		return fmt.Errorf("contract: quotient by step: %w", err)
	}
	var prod apd.Decimal
	if err := mulExact(ctx, &prod, q, step); err != nil {
		return err
	}
	res, err := ctx.Sub(rem, x, &prod)
	if err != nil || res.Inexact() {
		return ErrRange
	}
	return nil
}

// mulExact sets z = x*y and fails with ErrRange if the product is not exact
// at ctx's precision.
func mulExact(ctx *apd.Context, z, x, y *apd.Decimal) error {
	res, err := ctx.Mul(z, x, y)
	if err != nil || res.Inexact() {
		return ErrRange
	}
	return nil
}
