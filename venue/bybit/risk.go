package bybit

import (
	"errors"
	"fmt"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/margin"
	"github.com/derivmath/derivmath/venue"
	"github.com/derivmath/derivmath/venue/internal/object"
)

// A RiskLimit is a row of GET /v5/market/risk-limit: one tier of a
// symbol's risk limits. Values are decimal strings, rates fractions;
// RiskLimitValue (the largest position value of the tier) and MMDeduction
// are in the settlement coin (USDT for linear, the coin for inverse).
//
// A RiskLimit holds decimals: pass it by pointer and do not copy it after
// first use.
type RiskLimit struct {
	// Category is result.category.
	Category string
	// ID numbers the tiers of one symbol from 1.
	ID                                            int64
	Symbol                                        string
	RiskLimitValue                                venue.Decimal
	MaintenanceMargin, InitialMargin, MaxLeverage venue.Decimal
	// MMDeduction is the maintenance amount: position value * MMR -
	// deduction. Unset ("") on the lowest tier.
	MMDeduction  venue.Decimal
	IsLowestRisk bool

	row venue.Row
}

// DecodeRiskLimits decodes a GET /v5/market/risk-limit response, which
// lists the tiers of one or more symbols. Unknown fields are ignored.
//
// Required: the envelope's retCode and result.list; in every row id,
// symbol, riskLimitValue, maintenanceMargin, initialMargin and
// maxLeverage.
//
// Errors: [*APIError] when retCode is not 0, encoding/json's
// *json.SyntaxError for malformed JSON, otherwise a wrapped
// [*venue.FieldError] naming the row and the field.
func DecodeRiskLimits(data []byte) ([]RiskLimit, error) {
	category, rows, err := result(data, false)
	if err != nil {
		return nil, wrap("risk-limit", err)
	}
	const req, opt = object.Required, object.Optional
	out := make([]RiskLimit, len(rows))
	for i, raw := range rows {
		o := object.New(raw, venue.Row{Index: i})
		r := &out[i]
		r.Category = category
		r.Symbol = o.String("symbol", req)
		o.SetKey(r.Symbol)
		r.ID, _ = o.Int("id", req)
		o.Decimal("riskLimitValue", &r.RiskLimitValue, req)
		o.Decimal("maintenanceMargin", &r.MaintenanceMargin, req)
		o.Decimal("initialMargin", &r.InitialMargin, req)
		o.Decimal("maxLeverage", &r.MaxLeverage, req)
		o.Decimal("mmDeduction", &r.MMDeduction, opt)
		lowest, _ := o.Int("isLowestRisk", opt)
		r.IsLowestRisk = lowest == 1
		if err := o.Err(); err != nil {
			return nil, wrap("risk-limit", err)
		}
		r.row = o.Row()
	}
	return out, nil
}

// Tiers returns the risk limits of symbol as a margin table, in the order
// of limits: tier i has Floor the previous tier's riskLimitValue (0 for
// the first), MMR maintenanceMargin, Cum mmDeduction ("" is 0) and
// MaxLeverage maxLeverage, and the last riskLimitValue bounds the table
// (exclusive). Bybit's maintenance margin adds the fee to close to
// notional*MMR - Cum; the table holds the tiered part only.
//
// Each tier's initialMargin must be 1/maxLeverage (their product within 1%
// of 1): the risk-limit documentation's example writes rates in percent
// ("0.5", "1") where responses write fractions, and this check reports it
// instead of reading 0.5% as 50%.
//
// margin.NewTiers checks that every mmDeduction follows the recurrence
// cum_n = cum_(n-1) + floor_n*(MMR_n - MMR_(n-1)) (it does in every
// captured table). A table that breaks it is reported, not repaired: Bybit
// computes with the deduction it publishes.
//
// Errors: a wrapped [*venue.FieldError] naming the row and the field, whose
// Err is [venue.ErrMissing] when no row is symbol's, [venue.ErrValue] for
// an inconsistent initialMargin, or venue.ErrValue wrapping the margin
// package's error (margin.ErrCum, margin.ErrTierFloor, margin.ErrTierRate,
// ...).
func Tiers(limits []RiskLimit, symbol string) (*margin.Tiers, error) {
	fail := func(r *RiskLimit, field string, err error) error {
		row := venue.Row{Index: -1, Key: symbol}
		if r != nil {
			row = r.row
		}
		return wrap("risk-limit", &venue.FieldError{Row: row, Field: field, Err: object.Cause(err)})
	}
	var own []*RiskLimit
	for i := range limits {
		if limits[i].Symbol == symbol {
			own = append(own, &limits[i])
		}
	}
	if len(own) == 0 {
		return nil, fail(nil, "symbol", venue.ErrMissing)
	}
	lo, hi := apd.New(99, -2), apd.New(101, -2)
	rows := make([]margin.Tier, len(own))
	for i, r := range own {
		var p apd.Decimal
		if err := mul(&p, &r.InitialMargin.Decimal, &r.MaxLeverage.Decimal); err != nil || p.Cmp(lo) < 0 || p.Cmp(hi) > 0 {
			return nil, fail(r, "initialMargin", venue.ErrValue)
		}
		if i > 0 {
			rows[i].Floor.Set(&own[i-1].RiskLimitValue.Decimal)
		}
		rows[i].MMR.Set(&r.MaintenanceMargin.Decimal)
		rows[i].Cum.Set(&r.MMDeduction.Decimal)
		rows[i].MaxLeverage.Set(&r.MaxLeverage.Decimal)
	}
	t, err := margin.NewTiers(rows, &own[len(own)-1].RiskLimitValue.Decimal)
	if err == nil {
		return t, nil
	}
	if re := (*margin.RowError)(nil); errors.As(err, &re) {
		r := own[re.Row]
		if errors.Is(re.Err, margin.ErrTierFloor) && re.Row > 0 {
			r = own[re.Row-1] // the floor is that row's riskLimitValue
		}
		return nil, fail(r, tierField(re.Err, re.Row+1), re.Err)
	}
	return nil, fail(own[len(own)-1], "riskLimitValue", err)
}

// tierField names the field of row n (from 1) that margin.NewTiers faults.
func tierField(err error, n int) string {
	switch {
	case errors.Is(err, margin.ErrCum):
		return "mmDeduction"
	case errors.Is(err, margin.ErrTierFloor):
		if n > 1 {
			return "riskLimitValue" // of the row before; floors come from it
		}
		return ""
	case errors.Is(err, margin.ErrTierRate):
		return "maintenanceMargin"
	case errors.Is(err, margin.ErrTierLeverage):
		return "maxLeverage"
	}
	return ""
}

// mul sets z = x*y at the library's default precision. It is the one place
// this package uses the library's context.
func mul(z, x, y *apd.Decimal) error {
	if _, err := derivmath.NewContext().Mul(z, x, y); err != nil {
		return fmt.Errorf("bybit: %w", err)
	}
	return nil
}
