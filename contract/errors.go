package contract

import "errors"

// Errors returned for invalid decimal inputs. Every package of derivmath
// returns these sentinels (not copies of them) for malformed numbers, so a
// caller can test for them with [errors.Is] whatever package it called.
var (
	// ErrNaN reports a NaN (quiet or signalling) where a number was expected.
	ErrNaN = errors.New("contract: NaN")
	// ErrInfinite reports an infinite decimal.
	ErrInfinite = errors.New("contract: infinite decimal")
	// ErrNegativeZero reports a negative zero ("-0"), which no exchange sends
	// and which usually means a sign was lost upstream.
	ErrNegativeZero = errors.New("contract: negative zero")
	// ErrRange reports a decimal outside the supported range: more than
	// [MaxDigits] significant digits, or an exponent outside
	// [-MaxScale, MaxScale]. It is also returned when an exact step
	// (rounding to a tick, converting to ticks or lots) would need more
	// digits than the context's precision.
	ErrRange = errors.New("contract: decimal out of range")
)

// Errors returned for inputs that are well-formed numbers but meaningless for
// the computation.
var (
	// ErrPrice reports a price that is zero or negative.
	ErrPrice = errors.New("contract: price must be positive")
	// ErrZeroQty reports a zero quantity where the computation needs a
	// position (a fill, a return on equity, a break-even price).
	ErrZeroQty = errors.New("contract: zero quantity")
	// ErrValue reports a contract value that is zero or negative where a
	// price is solved from it ([Spec.Price]).
	ErrValue = errors.New("contract: value must be positive")
	// ErrLeverage reports a leverage below 1.
	ErrLeverage = errors.New("contract: leverage below 1")
	// ErrFeeRate reports a fee rate whose magnitude is 1 or more.
	ErrFeeRate = errors.New("contract: fee rate out of range (-1, 1)")
	// ErrOffTick reports a price that is not a whole number of ticks.
	ErrOffTick = errors.New("contract: price not on the tick")
	// ErrOffLot reports a size that is not a whole number of lots.
	ErrOffLot = errors.New("contract: size not a whole number of lots")
	// ErrStep reports a rounding step (tick, lot, minor unit) that is zero
	// or negative.
	ErrStep = errors.New("contract: step must be positive")
	// ErrRounding reports a Rounding value outside the defined constants.
	ErrRounding = errors.New("contract: invalid rounding")
)

// Errors returned when a [Spec] is invalid.
var (
	// ErrKind reports a Kind outside Linear, Inverse and Quanto.
	ErrKind = errors.New("contract: invalid contract kind")
	// ErrMultiplier reports a multiplier that is zero or negative.
	ErrMultiplier = errors.New("contract: multiplier must be positive")
	// ErrTickSize reports a tick size that is zero or negative.
	ErrTickSize = errors.New("contract: tick size must be positive")
	// ErrLotSize reports a lot size that is zero or negative.
	ErrLotSize = errors.New("contract: lot size must be positive")
	// ErrMinorUnit reports a negative minor unit.
	ErrMinorUnit = errors.New("contract: minor unit must not be negative")
)
