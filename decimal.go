package derivmath

import (
	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/internal/num"
)

// Precision is the number of significant digits of the default context
// ([NewContext]). Inputs of up to 19 digits are exact at this precision,
// and the exact product of two of them fits in 128 bits.
const Precision = 19

// MaxDigits is the largest number of significant digits [CheckDecimal]
// accepts: enough for the results of a 50-digit context to be valid inputs.
// Inputs beyond [Precision] digits are rounded by the first operation that
// uses them.
const MaxDigits = num.MaxDigits

// MaxScale bounds the exponent of a valid decimal: -MaxScale <= x.Exponent
// <= MaxScale. It keeps out exponents such as 1E-100000, whose alignment
// would cost megabytes, and admits every exchange's smallest unit (1 wei is
// 1E-18 ETH) and every result of a 50-digit context on such inputs.
const MaxScale = num.MaxScale

// NewContext returns a new context for derivmath computations:
// [apd.BaseContext] (traps on: division by zero, overflow, underflow and
// invalid operations are errors) with [Precision] digits, rounding
// half-even.
//
// Build it once and keep it: the functions of derivmath only read it. Any
// other context works too (see the package documentation); never use
// apd.Context{}, whose precision 0 makes divisions fail.
func NewContext() *apd.Context {
	c := apd.BaseContext.WithPrecision(Precision)
	c.Rounding = apd.RoundHalfEven // apd's default, the empty Rounder, is half-up
	return c
}

// CheckDecimal reports whether x is a valid input: finite, not a negative
// zero, with at most [MaxDigits] significant digits and an exponent within
// [-MaxScale, MaxScale]. Every output of derivmath passes it (the result
// gate of the package documentation).
//
// It returns nil or one of [ErrNaN], [ErrInfinite], [ErrNegativeZero] and
// [ErrRange].
func CheckDecimal(x *apd.Decimal) error {
	_, err := num.Check(x)
	return err
}

// CheckPrice reports whether x is a valid price: a valid decimal (see
// [CheckDecimal], whose errors it returns) greater than zero. A zero or negative price yields
// [ErrPrice].
func CheckPrice(x *apd.Decimal) error {
	_, err := num.CheckAs(x, num.Positive, ErrPrice)
	return err
}

// CheckLeverage reports whether x is a valid leverage: a valid decimal (see
// [CheckDecimal], whose errors it returns) of 1 or more. A smaller leverage
// yields [ErrLeverage].
func CheckLeverage(x *apd.Decimal) error {
	_, err := num.CheckAs(x, num.AtLeastOne, ErrLeverage)
	return err
}

// CheckFeeRate reports whether x is a valid fee rate: a valid decimal
// strictly between -1 and 1 (a negative rate is a rebate). An invalid
// decimal yields [CheckDecimal]'s error; a valid one outside (-1, 1),
// [ErrFeeRate].
func CheckFeeRate(x *apd.Decimal) error {
	_, err := num.CheckAs(x, num.BelowOne, ErrFeeRate)
	return err
}

// CheckRate reports whether x is a valid signed rate (a funding rate, an
// interest rate, a premium): a valid decimal strictly between -1 and 1. An
// invalid decimal yields [CheckDecimal]'s error; a valid one outside
// (-1, 1), [ErrRate].
func CheckRate(x *apd.Decimal) error {
	_, err := num.CheckAs(x, num.BelowOne, ErrRate)
	return err
}
