package derivmath

import "github.com/derivmath/derivmath/internal/num"

// Errors returned for invalid decimal inputs and results. Every package of
// derivmath returns these sentinels (not copies of them), so a caller can
// test for them with [errors.Is], or ==, whatever package it called.
var (
	// ErrNaN reports a NaN (quiet or signalling) where a number was
	// expected.
	ErrNaN = num.ErrNaN
	// ErrInfinite reports an infinite decimal.
	ErrInfinite = num.ErrInfinite
	// ErrNegativeZero reports a negative zero ("-0"), which no exchange
	// sends and which usually means a sign was lost upstream.
	ErrNegativeZero = num.ErrNegativeZero
	// ErrRange reports a decimal outside [CheckDecimal]'s range, a result
	// outside it (the result gate), or an exact step (rounding to a tick,
	// counting ticks or lots) that needs more digits than the context's
	// precision.
	ErrRange = num.ErrRange
	// ErrContext reports a nil context.
	ErrContext = num.ErrContext
)

// Errors returned for inputs that are well-formed numbers but meaningless
// for the computation.
var (
	// ErrPrice reports a price that is zero or negative.
	ErrPrice = num.ErrPrice
	// ErrZeroQty reports a zero quantity where the computation needs a
	// position (a fill, a return on equity, a break-even price).
	ErrZeroQty = num.ErrZeroQty
	// ErrLeverage reports a leverage below 1.
	ErrLeverage = num.ErrLeverage
	// ErrFeeRate reports a fee rate whose magnitude is 1 or more.
	ErrFeeRate = num.ErrFeeRate
	// ErrRate reports a rate outside the range a function accepts; each
	// function's documentation gives the range.
	ErrRate = num.ErrRate
	// ErrStep reports a rounding step (tick, lot, minor unit) that is zero
	// or negative.
	ErrStep = num.ErrStep
	// ErrRounding reports a [Rounding] outside the defined constants.
	ErrRounding = num.ErrRounding
)
