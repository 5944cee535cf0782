package liquidation

import "errors"

// Errors returned by the solvers; [Solver.Compile] lists those of the
// other packages.
var (
	// ErrNoLegs reports an account without positions.
	ErrNoLegs = errors.New("liquidation: no position")
	// ErrNoSpec reports an account without a contract spec, and a Solver
	// that has not been compiled.
	ErrNoSpec = errors.New("liquidation: no contract spec")
	// ErrConvention reports a Convention outside the defined constants.
	ErrConvention = errors.New("liquidation: invalid convention")
	// ErrRounding reports a Rounding outside the defined constants.
	ErrRounding = errors.New("liquidation: invalid rounding")
	// ErrNegative reports a negative OtherMM, ExtraMM, FeeReserve or Cum:
	// margin amounts that only add to what the account needs.
	ErrNegative = errors.New("liquidation: negative margin amount")
	// ErrSettle reports a leg whose contract settles in another currency
	// than the account's (both Specs name their Settle currency, and the
	// names differ): the solver does not convert currencies.
	ErrSettle = errors.New("liquidation: leg settles in another currency")
	// ErrLegIndex reports a [Solver.SetMark] on a leg that is not on
	// another contract, or an index outside the account's legs.
	ErrLegIndex = errors.New("liquidation: no leg on another contract at that index")
	// ErrNoConvergence reports a tiered solve that needed more segments
	// than the solver allows (1024 tier floors over all legs). Tables that
	// satisfy margin.NewTiers are far smaller; the bound is there so that a
	// loop cannot run forever.
	ErrNoConvergence = errors.New("liquidation: tier re-evaluation did not converge")
)
