package binance

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/derivmath/derivmath/margin"
	"github.com/derivmath/derivmath/venue"
	"github.com/derivmath/derivmath/venue/internal/object"
)

// Brackets is an element of GET /fapi/v1/leverageBracket (USD-M) or GET
// /dapi/v2/leverageBracket (COIN-M): one symbol's maintenance brackets.
// Every value in it is a JSON number.
//
// A Brackets holds decimals: pass it by pointer and do not copy it after
// first use.
type Brackets struct {
	// Symbol is "symbol", or "pair" in the COIN-M v1 response.
	Symbol string
	// Market is USDM when the brackets are bounded by notionalFloor and
	// notionalCap (quote asset), COINM when by qtyFloor and qtyCap (base
	// coin).
	Market Market
	// NotionalCoef is the user's bracket adjustment, unset when there is
	// none. It is informational: the brackets already include it.
	NotionalCoef venue.Decimal
	Brackets     []Bracket

	row venue.Row
}

// A Bracket is one row of a symbol's brackets.
type Bracket struct {
	Bracket int64
	// InitialLeverage is the largest leverage allowed in the bracket.
	InitialLeverage venue.Decimal
	// Floor and Cap bound the bracket: notionalFloor and notionalCap in
	// the quote asset (USD-M), or qtyFloor (spelled qtylFloor in the COIN-M
	// documentation) and qtyCap in the base coin (COIN-M).
	Floor, Cap venue.Decimal
	// MaintMarginRatio is a fraction; Cum, the maintenance amount, is in
	// the quote asset (USD-M) or the coin (COIN-M).
	MaintMarginRatio, Cum venue.Decimal

	floor string // the key Floor was read from, for errors
}

// DecodeBrackets decodes a leverageBracket response: an array of symbols'
// brackets, or one object (the response with ?symbol=). Unknown fields are
// ignored.
//
// Required: symbol (or pair) and brackets; in every bracket: bracket,
// initialLeverage, the floor and cap of one market (both notional* or both
// qty*), maintMarginRatio and cum.
//
// Errors: encoding/json's *json.SyntaxError for malformed JSON, otherwise a
// wrapped [*venue.FieldError] naming the row and the field
// ("brackets[1].cum").
func DecodeBrackets(data []byte) ([]Brackets, error) {
	rows, err := object.Rows(data)
	if err != nil {
		return nil, fmt.Errorf("binance: leverageBracket: %w", err)
	}
	out := make([]Brackets, len(rows))
	for i, raw := range rows {
		o := object.New(raw, venue.Row{Index: i})
		out[i].decode(o)
		if err := o.Err(); err != nil {
			return nil, fmt.Errorf("binance: leverageBracket: %w", err)
		}
		out[i].row = o.Row()
	}
	return out, nil
}

func (b *Brackets) decode(o *object.Object) {
	const req, opt = object.Required, object.Optional
	b.Symbol = o.String(o.Alias("symbol", "pair"), req)
	o.SetKey(b.Symbol)
	o.Decimal("notionalCoef", &b.NotionalCoef, opt)
	rows := o.Array("brackets", req)
	o.Need("brackets", len(rows) > 0)
	b.Brackets = make([]Bracket, len(rows))
	for i, r := range rows {
		k := &b.Brackets[i]
		k.Bracket, _ = r.Int("bracket", req)
		r.Decimal("initialLeverage", &k.InitialLeverage, req)
		floor, ceil, m := "notionalFloor", "notionalCap", USDM
		if !r.Has(floor) && !r.Has(ceil) {
			floor, ceil, m = r.Alias("qtyFloor", "qtylFloor"), "qtyCap", COINM
		}
		if i == 0 {
			b.Market = m
		} else if m != b.Market {
			r.Fail(ceil, venue.ErrValue) // brackets of two markets
		}
		k.floor = floor
		r.Decimal(floor, &k.Floor, req)
		r.Decimal(ceil, &k.Cap, req)
		r.Decimal("maintMarginRatio", &k.MaintMarginRatio, req)
		r.Decimal("cum", &k.Cum, req)
	}
}

// Tiers returns the brackets as a margin table: tier i has Floor, MMR
// maintMarginRatio, Cum and MaxLeverage initialLeverage, and the last Cap
// bounds the table (exclusive). The brackets must be in order and
// contiguous: each cap is the next floor.
//
// margin.NewTiers checks that every cum follows the recurrence cum_1 = 0,
// cum_n = cum_(n-1) + floor_n*(MMR_n - MMR_(n-1)). A table that breaks it
// is reported, not repaired: Binance computes maintenance margin with the
// cum it publishes, so a recomputed table would disagree with the
// exchange's own figures. The error names the first bracket at fault.
//
// Errors: a wrapped [*venue.FieldError] naming the bracket and field, whose
// Err is [venue.ErrValue] for a cap that is not the next floor, or
// venue.ErrValue wrapping the margin package's error (margin.ErrCum,
// margin.ErrTierFloor, margin.ErrTierRate, margin.ErrTierLeverage,
// margin.ErrLimit, ...).
func (b *Brackets) Tiers() (*margin.Tiers, error) {
	fail := func(i int, field string, err error) error {
		name := "brackets"
		if i >= 0 {
			name += "[" + strconv.Itoa(i) + "]"
		}
		if field != "" {
			name += "." + field
		}
		return fmt.Errorf("binance: leverageBracket: %w", &venue.FieldError{Row: b.row, Field: name, Err: object.Cause(err)})
	}
	floor, ceil := "notionalFloor", "notionalCap"
	if b.Market == COINM {
		floor, ceil = "qtyFloor", "qtyCap"
	}
	if len(b.Brackets) == 0 {
		return nil, fail(-1, "", margin.ErrNoTiers)
	}
	rows := make([]margin.Tier, len(b.Brackets))
	for i := range b.Brackets {
		k := &b.Brackets[i]
		rows[i].Floor.Set(&k.Floor.Decimal)
		rows[i].MMR.Set(&k.MaintMarginRatio.Decimal)
		rows[i].Cum.Set(&k.Cum.Decimal)
		rows[i].MaxLeverage.Set(&k.InitialLeverage.Decimal)
		if i > 0 && b.Brackets[i-1].Cap.Cmp(&k.Floor.Decimal) != 0 {
			return nil, fail(i-1, ceil, venue.ErrValue)
		}
	}
	limit := &b.Brackets[len(b.Brackets)-1].Cap.Decimal
	t, err := margin.NewTiers(rows, limit)
	if err == nil {
		return t, nil
	}
	if re := (*margin.RowError)(nil); errors.As(err, &re) {
		if k := b.Brackets[re.Row].floor; k != "" {
			floor = k // as the payload spells it (qtylFloor)
		}
		return nil, fail(re.Row, tierField(re.Err, floor), re.Err)
	}
	return nil, fail(len(rows)-1, ceil, err) // only the limit is wrong
}

// tierField names the field of a bracket that margin.NewTiers faults.
func tierField(err error, floor string) string {
	switch {
	case errors.Is(err, margin.ErrCum):
		return "cum"
	case errors.Is(err, margin.ErrTierFloor):
		return floor
	case errors.Is(err, margin.ErrTierRate):
		return "maintMarginRatio"
	case errors.Is(err, margin.ErrTierLeverage):
		return "initialLeverage"
	}
	return ""
}
