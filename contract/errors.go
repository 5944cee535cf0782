package contract

import "errors"

// Errors returned for inputs that are well-formed numbers but meaningless for
// the computation.
var (
	// ErrValue reports a contract value that is zero or negative where a
	// price is solved from it ([Spec.Price]).
	ErrValue = errors.New("contract: value must be positive")
	// ErrOffTick reports a price that is not a whole number of ticks.
	ErrOffTick = errors.New("contract: price not on the tick")
	// ErrOffLot reports a size that is not a whole number of lots.
	ErrOffLot = errors.New("contract: size not a whole number of lots")
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
