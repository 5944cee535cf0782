package engine

import (
	"errors"
	"fmt"
)

// Errors returned by the engine. Malformed numbers yield derivmath's
// sentinels (derivmath.ErrNaN, derivmath.ErrRange and the others); an invalid
// contract Spec yields the contract package's; solves the liquidation
// package's. A call that returns any error has changed nothing.
var (
	// ErrPreset reports a Preset field outside its defined constants or
	// range (an undefined Venue or rule, a rate outside [0, 1), a
	// bankruptcy adjustment below 1).
	ErrPreset = errors.New("engine: invalid preset")
	// ErrTable reports a preset's risk-limit table out of order: limits
	// that are not positive and strictly increasing, or maintenance rates
	// outside (0, 1) or decreasing.
	ErrTable = errors.New("engine: inconsistent risk-limit table")
	// ErrInconsistent reports preset rules that contradict each other: a
	// clearance fee on a venue whose fund takes the position over (the
	// fund keeps the surplus instead), a step-down without a risk-limit
	// table, a slice or portion rule with a zero slice or portion, an
	// insurance cap outside Drift's rule (DriftFunding), Drift's rule where
	// the fund takes the position over, the fillable order price (dYdX's)
	// under another venue, or a FOK at the bankruptcy price under
	// Binance's rules (Binance sends IOC).
	ErrInconsistent = errors.New("engine: preset rules contradict each other")
	// ErrNegativeFund reports an insurance fund balance below zero where one
	// is set or required.
	ErrNegativeFund = errors.New("engine: negative insurance fund")
	// ErrMinor reports a contract Spec without a minor unit: the ledger
	// rounds every movement to it.
	ErrMinor = errors.New("engine: contract has no minor unit")
	// ErrTrader reports a trader index outside the state.
	ErrTrader = errors.New("engine: no trader at that index")
	// ErrPosition reports a trader whose quantity and cost disagree (a cost
	// of the wrong sign, or a cost without a position), a trade that would
	// leave one so (a position whose value at entry rounds to no minor
	// unit), or a liquidation step on a flat position.
	ErrPosition = errors.New("engine: invalid position")
	// ErrNotLiquidatable reports a liquidation step (cancel, step-down,
	// takeover) on an account that S2 has not triggered.
	ErrNotLiquidatable = errors.New("engine: account not liquidatable")
	// ErrUnknownIntent reports fills for an intent that does not exist or
	// is already closed.
	ErrUnknownIntent = errors.New("engine: unknown order intent")
	// ErrIntentOpen reports a step-down (S4) for a trader that holds an
	// open intent, or a takeover (S5) for one that holds an open takeover
	// intent: its fills, or its withdrawal, come first, since a second
	// intent on the same position would close it twice over.
	ErrIntentOpen = errors.New("engine: an order intent is open for the trader")
	// ErrLimit reports a fill at a price beyond the intent's limit: below
	// it for a sell, above it for a buy.
	ErrLimit = errors.New("engine: fill beyond the order's limit")
	// ErrOverfill reports fills whose total exceeds the intent's open
	// quantity, a fill of zero or negative quantity, or a partial fill of
	// a fill-or-kill intent.
	ErrOverfill = errors.New("engine: fills do not match the order's quantity")
	// ErrMaker reports a fill whose maker is the intent's own holder or not
	// a trader of the state.
	ErrMaker = errors.New("engine: invalid maker")
	// ErrBankrupt reports an ADL candidate at or past its bankruptcy
	// price (BitMEX's effective leverage is undefined there): the caller
	// excludes it and reports it.
	ErrBankrupt = errors.New("engine: candidate at or past bankruptcy")
	// ErrNoCounterparty reports an ADL that found too little opposite
	// quantity to close the bankrupt quantity; nothing was closed.
	ErrNoCounterparty = errors.New("engine: not enough opposite positions for ADL")
	// ErrInexact reports a ledger movement that would not be exact at the
	// context's precision (a balance needing more digits than it holds).
	ErrInexact = errors.New("engine: ledger movement not exact at the context's precision")
)

// The errors a step returns with a detail, each built once, so that a
// failed step allocates nothing (doc.go, Allocation). errors.Is finds the
// sentinel they wrap.
var (
	errCostless  = fmt.Errorf("%w: a position whose cost rounds to zero", ErrPosition)
	errOneLedger = fmt.Errorf("%w: a move within one ledger", ErrInexact)
)
