package markindex

import "errors"

// Errors returned by the index and the key helpers. Malformed numbers yield
// derivmath's sentinels (derivmath.ErrPrice, derivmath.ErrNaN and the
// others); a solve yields the liquidation and account packages' errors. A
// call that returns an error has changed nothing.
var (
	// ErrOrder reports an Order outside Deepest and ByKey.
	ErrOrder = errors.New("markindex: invalid order")
	// ErrRange reports a price or a unit whose coefficient, less its
	// trailing zeros, does not fit 64 bits (19 digits always do, 21 never),
	// or a price whose number of units does not fit an int64.
	ErrRange = errors.New("markindex: price out of the index's range")
	// ErrTolerance reports a Cross tolerance outside (0, 1).
	ErrTolerance = errors.New("markindex: tolerance outside (0, 1)")
	// ErrMode reports an isolated position given to Cross, or a cross
	// position given to Position.
	ErrMode = errors.New("markindex: position in the wrong margin mode")
	// ErrLegs reports Cross legs that do not match the account's cross
	// positions in the currency: a missing contract, a contract without
	// cross positions, a contract listed twice, or a leg without an Index.
	ErrLegs = errors.New("markindex: legs do not match the cross positions")
	// ErrTwoSided reports a contract on which the account may be
	// liquidatable both below and above the mark: hedge mode (a long and a
	// short leg) with risk tiers under the Binance convention, where
	// maintenance grows faster than the notional. One liquidation price
	// does not bound such a contract; the caller checks it on every tick.
	ErrTwoSided = errors.New("markindex: liquidatable on both sides of the mark")
)
