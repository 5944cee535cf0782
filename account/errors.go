package account

import "errors"

// Errors returned by an [Account]. Malformed numbers yield derivmath's
// sentinels (derivmath.ErrPrice, derivmath.ErrRange and the others); a
// malformed Spec yields the contract package's; tier lookups the margin
// package's; a price solve the liquidation package's.
var (
	// ErrConvention reports a convention outside liquidation's constants.
	ErrConvention = errors.New("account: invalid convention")
	// ErrNoSpec reports a position or an order without a contract Spec.
	ErrNoSpec = errors.New("account: no contract spec")
	// ErrNoMark reports a position or an order on a contract whose mark
	// price has not been set ([Account.SetMark]).
	ErrNoMark = errors.New("account: no mark price for the contract")
	// ErrSide reports a Side outside the defined constants, a hedge leg
	// whose quantity has the wrong sign (a Long leg short), or one-way and
	// hedge positions on the same contract.
	ErrSide = errors.New("account: invalid position side")
	// ErrMode reports a Mode outside the defined constants, or isolated and
	// cross positions on the same contract.
	ErrMode = errors.New("account: invalid margin mode")
	// ErrNegative reports a negative amount that may only add to what a
	// position needs or holds: Margin, Fee, Cum. (Cost is read by its
	// magnitude; a negative MMR or Funding is derivmath.ErrRate; a Cum
	// above the maintenance it is deducted from leaves a maintenance of 0:
	// see Position.Cum.)
	ErrNegative = errors.New("account: negative amount")
	// ErrIndex reports a position index outside [0, Len).
	ErrIndex = errors.New("account: no position at that index")
	// ErrLeverage reports a leverage that is negative, or an order that
	// needs a leverage and has none (neither its own nor its position's).
	ErrLeverage = errors.New("account: invalid leverage")
)
