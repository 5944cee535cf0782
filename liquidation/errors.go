package liquidation

import "errors"

// Errors returned by the solvers. Malformed numbers yield the contract
// package's sentinels (derivmath.ErrNaN and the others); tier lookups yield
// the margin package's (margin.ErrAboveMaxLeverage, *margin.TierError).
var (
	// ErrNoLegs reports an account without positions on the contract.
	ErrNoLegs = errors.New("liquidation: no position")
	// ErrNoSpec reports an account without a contract spec.
	ErrNoSpec = errors.New("liquidation: no contract spec")
	// ErrConvention reports a Convention outside the defined constants.
	ErrConvention = errors.New("liquidation: invalid convention")
	// ErrRounding reports a Rounding outside the defined constants.
	ErrRounding = errors.New("liquidation: invalid rounding")
	// ErrRate reports a maintenance rate outside [0, 1).
	ErrRate = errors.New("liquidation: maintenance rate outside [0, 1)")
	// ErrNoConvergence reports a tiered solve that needed more segments
	// than the solver allows (1024 tier floors over all legs). Tables that
	// satisfy margin.NewTiers are far smaller; the bound is there so that a
	// loop cannot run forever.
	ErrNoConvergence = errors.New("liquidation: tier re-evaluation did not converge")
)
