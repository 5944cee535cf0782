package margin

import (
	"errors"

	"github.com/cockroachdb/apd/v3"
)

// Errors returned for invalid tier tables and lookups. Malformed numbers
// yield the contract package's sentinels (contract.ErrNaN and the others).
var (
	// ErrNoTiers reports an empty tier table or a nil *Tiers.
	ErrNoTiers = errors.New("margin: no tiers")
	// ErrTierFloor reports a first tier whose floor is not 0, or floors
	// that do not increase strictly.
	ErrTierFloor = errors.New("margin: tier floors must start at 0 and increase")
	// ErrTierRate reports a maintenance rate outside (0, 1), or rates that
	// decrease from one tier to the next.
	ErrTierRate = errors.New("margin: tier rates must lie in (0, 1) and not decrease")
	// ErrTierLeverage reports a tier maximum leverage below 1, or maxima
	// that increase from one tier to the next.
	ErrTierLeverage = errors.New("margin: tier max leverage must be >= 1 and not increase")
	// ErrCum reports a maintenance amount (cum) that breaks the recurrence
	// cum_1 = 0, cum_n = cum_(n-1) + floor_n*(MMR_n - MMR_(n-1)), so that
	// maintenance margin would jump at a tier edge.
	ErrCum = errors.New("margin: maintenance amount breaks continuity")
	// ErrLimit reports a table limit that does not lie above the last floor.
	ErrLimit = errors.New("margin: tier limit must exceed the last floor")
	// ErrAboveMaxLeverage reports a leverage above the maximum of the tier
	// that a notional falls in.
	ErrAboveMaxLeverage = errors.New("margin: leverage above the tier maximum")
	// ErrNotional reports a negative notional.
	ErrNotional = errors.New("margin: negative notional")
)

// A TierError reports a notional beyond the last tier of a table that has a
// limit. Returned as error; test for it with errors.As.
type TierError struct {
	// Notional is the notional that was looked up.
	Notional apd.Decimal
}

func (e *TierError) Error() string {
	return "margin: notional " + e.Notional.String() + " beyond the last tier"
}
