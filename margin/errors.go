package margin

import (
	"errors"

	"github.com/cockroachdb/apd/v3"
)

// Errors returned for invalid tier tables and lookups.
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
	// ErrNotional reports a negative notional: a position value, a tier
	// floor, or a value passed to a schedule.
	ErrNotional = errors.New("margin: negative notional")
)

// Errors returned for invalid schedules and amounts.
var (
	// ErrRiskLimit reports a [Steps] schedule whose base risk limit is
	// negative, whose step is not positive, or whose limit lies below the
	// base risk limit.
	ErrRiskLimit = errors.New("margin: invalid risk limit or step")
	// ErrAmount reports a negative amount where only zero or more makes
	// sense: a margin, a reserve, a maintenance amount, BitMEX's posCross
	// or posLoss.
	ErrAmount = errors.New("margin: negative amount")
	// ErrWhole reports an amount that should be a whole number of minor
	// units (BitMEX's integer fields, in satoshis) and is not: usually XBT
	// passed where XBt was meant.
	ErrWhole = errors.New("margin: not a whole number of minor units")
	// ErrBalance reports a margin balance of zero or less, for which a
	// margin ratio is undefined: the account is at or past bankruptcy.
	ErrBalance = errors.New("margin: margin balance not positive")
)

// A TierError reports a notional beyond the end of a schedule: at or above
// the limit of a [Tiers] table, above the limit of a [Steps] schedule, or
// where a [Steps] or [SizeLinear] initial rate would exceed 1 (a leverage
// below 1). It is returned as an error; test for it with [errors.As].
type TierError struct {
	// Notional is the notional that was looked up (for [SizeLinear], the
	// absolute size).
	Notional apd.Decimal
}

func (e *TierError) Error() string {
	return "margin: notional " + e.Notional.String() + " beyond the last tier"
}

// A RowError reports the first row that [NewTiers] rejects: Row is its
// index in the rows given (from 0), and Err why (one of NewTiers'
// sentinels or a derivmath.CheckDecimal error), which it unwraps to, so
// that errors.Is(err, ErrTierRate) and the like hold; its message is
// Err's. A decoder names the offending field of its payload from it; test
// for it with [errors.As].
type RowError struct {
	Row int
	Err error
}

func (e *RowError) Error() string { return e.Err.Error() }

func (e *RowError) Unwrap() error { return e.Err }

// A FieldError reports the first field of a [BitMEXPosition] that
// [BitMEXPosition.Margin] rejects: Field is its Go name ("Cost", "Cross",
// "Loss", "InitMarginReq", "MaintMarginReq", "Commission" or
// "FundingReserve"), and Err why (ErrWhole, ErrAmount, derivmath.ErrRate
// or a derivmath.CheckDecimal error), which it unwraps to, so that
// errors.Is(err, derivmath.ErrRate) and the like hold; its message is
// Err's. A MaintMarginReq above InitMarginReq is MaintMarginReq's fault. A
// decoder names the offending field of its payload from it; test for it
// with [errors.As].
type FieldError struct {
	Field string
	Err   error
}

func (e *FieldError) Error() string { return e.Err.Error() }

func (e *FieldError) Unwrap() error { return e.Err }
