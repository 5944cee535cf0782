package binance

import (
	"fmt"
	"strings"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/venue"
	"github.com/derivmath/derivmath/venue/internal/object"
)

// A PositionRisk is a row of GET /fapi/v2/positionRisk, GET
// /fapi/v3/positionRisk (USD-M) or GET /dapi/v1/positionRisk (COIN-M). The
// three shapes share the fields below; each leaves unset what it does not
// send. Every amount is a decimal string. PositionAmt and Notional are
// signed (short < 0) in one-way and hedge mode alike; PositionAmt is in
// the base asset (USD-M) or in contracts (COIN-M); money is in the margin
// asset (USD-M) or the coin (COIN-M).
//
// A PositionRisk holds decimals: pass it by pointer and do not copy it
// after first use.
type PositionRisk struct {
	Symbol string
	// PositionSide is OneWay ("BOTH"), Long ("LONG") or Short ("SHORT").
	PositionSide venue.PositionSide
	PositionAmt  venue.Decimal
	// EntryPrice may carry float noise ("313.20000000000005").
	EntryPrice, BreakEvenPrice, MarkPrice venue.Decimal
	UnRealizedProfit                      venue.Decimal
	// LiquidationPrice "0" means none; on COIN-M cross positions Binance
	// has been seen to send "0" for an open position too.
	LiquidationPrice venue.Decimal
	// Leverage and MarginType: v2 and COIN-M only (v3 moved them to
	// /fapi/v1/symbolConfig). MarginType is read from "isolated"/"cross"
	// (REST) or "ISOLATED"/"CROSSED" (user data stream).
	Leverage   venue.Decimal
	MarginType venue.MarginMode
	// IsolatedMargin includes unrealised PnL; IsolatedWallet
	// (= isolatedMargin - unRealizedProfit) does not.
	IsolatedMargin, IsolatedWallet venue.Decimal
	// IsAutoAddMargin is read from the string "false" (v2) or a boolean.
	IsAutoAddMargin bool
	// MaxNotionalValue (USD-M v2) or MaxQty (COIN-M, base coin) is the
	// position cap of the current bracket.
	MaxNotionalValue, MaxQty venue.Decimal
	// Notional (USD-M, quote asset) and NotionalValue (COIN-M, coin).
	Notional, NotionalValue venue.Decimal
	// v3 only: the margin asset and the margins Binance computes.
	MarginAsset                                                               string
	InitialMargin, MaintMargin, PositionInitialMargin, OpenOrderInitialMargin venue.Decimal
	// ADL is "adl" (v3) or the undocumented "adlQuantile" (v2).
	ADL        int64
	UpdateTime time.Time
}

// DecodePositionRisk decodes a positionRisk response, USD-M v2 or v3 or
// COIN-M: an array of rows, or a single row. Rows with positionAmt 0 (the
// flat rows every real response contains, one per symbol and side) are
// left out of open and reported in flat. Unknown fields are ignored.
//
// Required in every row: symbol, positionSide and positionAmt. Required in
// open rows: entryPrice and markPrice (positive), unRealizedProfit and
// liquidationPrice. A LONG row with a negative positionAmt or a SHORT row
// with a positive one is [venue.ErrValue].
//
// Errors: encoding/json's *json.SyntaxError for malformed JSON, otherwise a
// wrapped [*venue.FieldError] naming the row and the field.
func DecodePositionRisk(data []byte) (open []PositionRisk, flat []venue.Row, err error) {
	rows, err := object.Rows(data)
	if err != nil {
		return nil, nil, fmt.Errorf("binance: positionRisk: %w", err)
	}
	for i, raw := range rows {
		o := object.New(raw, venue.Row{Index: i})
		var p PositionRisk
		p.decode(o)
		if err := o.Err(); err != nil {
			return nil, nil, fmt.Errorf("binance: positionRisk: %w", err)
		}
		if p.PositionAmt.IsZero() {
			flat = append(flat, o.Row())
			continue
		}
		open = append(open, PositionRisk{})
		open[len(open)-1].set(&p)
	}
	return open, flat, nil
}

// field is a decimal field of a row and its JSON key; open: required when
// the position is open.
type field struct {
	name string
	d    *venue.Decimal
	open bool
}

func (p *PositionRisk) decimals() []field {
	return []field{
		{"positionAmt", &p.PositionAmt, false},
		{"entryPrice", &p.EntryPrice, true},
		{"breakEvenPrice", &p.BreakEvenPrice, false},
		{"markPrice", &p.MarkPrice, true},
		{"unRealizedProfit", &p.UnRealizedProfit, true},
		{"liquidationPrice", &p.LiquidationPrice, true},
		{"leverage", &p.Leverage, false},
		{"isolatedMargin", &p.IsolatedMargin, false},
		{"isolatedWallet", &p.IsolatedWallet, false},
		{"maxNotionalValue", &p.MaxNotionalValue, false},
		{"maxQty", &p.MaxQty, false},
		{"notional", &p.Notional, false},
		{"notionalValue", &p.NotionalValue, false},
		{"initialMargin", &p.InitialMargin, false},
		{"maintMargin", &p.MaintMargin, false},
		{"positionInitialMargin", &p.PositionInitialMargin, false},
		{"openOrderInitialMargin", &p.OpenOrderInitialMargin, false},
	}
}

// set copies p into q field by field, as decimals must not be copied with
// =.
func (q *PositionRisk) set(p *PositionRisk) {
	q.Symbol, q.PositionSide, q.MarginType, q.IsAutoAddMargin = p.Symbol, p.PositionSide, p.MarginType, p.IsAutoAddMargin
	q.MarginAsset, q.ADL, q.UpdateTime = p.MarginAsset, p.ADL, p.UpdateTime
	qd, pd := q.decimals(), p.decimals()
	for i := range qd {
		qd[i].d.Set(&pd[i].d.Decimal)
		qd[i].d.Valid = pd[i].d.Valid
	}
}

func (p *PositionRisk) decode(o *object.Object) {
	const req, opt = object.Required, object.Optional
	p.Symbol = o.String("symbol", req)
	o.SetKey(p.Symbol)
	p.PositionSide = positionSide(o, "positionSide", req)
	fields := p.decimals()
	for _, f := range fields {
		o.Decimal(f.name, f.d, object.Need(f.name == "positionAmt"))
	}
	if t := o.String("marginType", opt); t != "" {
		p.MarginType = marginMode(o, "marginType", t)
	}
	if iso, ok := o.Bool("isolated", opt); ok && p.MarginType != 0 && iso != (p.MarginType == venue.Isolated) {
		o.Fail("isolated", venue.ErrValue)
	}
	p.IsAutoAddMargin, _ = o.BoolText("isAutoAddMargin", opt)
	p.MarginAsset = o.String("marginAsset", opt)
	p.ADL, _ = o.Int(o.Alias("adl", "adlQuantile"), opt)
	p.UpdateTime = o.Millis("updateTime", opt)
	if o.Err() != nil || p.PositionAmt.IsZero() {
		return
	}
	for _, f := range fields {
		if f.open {
			o.Need(f.name, f.d.Valid)
		}
	}
	positive(o, "entryPrice", &p.EntryPrice)
	positive(o, "markPrice", &p.MarkPrice)
	sideSign(o, p.PositionSide, &p.PositionAmt)
}

// positionSide reads Binance's position side.
func positionSide(o *object.Object, key string, need object.Need) venue.PositionSide {
	switch s := o.String(key, need); s {
	case "BOTH":
		return venue.OneWay
	case "LONG":
		return venue.Long
	case "SHORT":
		return venue.Short
	case "":
	default:
		o.Fail(key, venue.ErrValue)
	}
	return 0
}

// marginMode reads Binance's margin type in either of its spellings.
func marginMode(o *object.Object, key, s string) venue.MarginMode {
	switch strings.ToLower(s) {
	case "isolated":
		return venue.Isolated
	case "cross", "crossed":
		return venue.Cross
	}
	o.Fail(key, venue.ErrValue)
	return 0
}

// positive records ErrValue for key unless d is set and positive.
func positive(o *object.Object, key string, d *venue.Decimal) {
	if d.Valid && d.Sign() <= 0 {
		o.Fail(key, venue.ErrValue)
	}
}

// sideSign records ErrValue for positionAmt when a hedge leg's quantity has
// the other side's sign.
func sideSign(o *object.Object, side venue.PositionSide, amt *venue.Decimal) {
	if !signAgrees(side, amt) {
		o.Fail("positionAmt", venue.ErrValue)
	}
}

// signAgrees reports whether amt has a sign side allows: a Long leg's is
// not negative, a Short leg's not positive.
func signAgrees(side venue.PositionSide, amt *venue.Decimal) bool {
	return (side != venue.Long || !amt.Negative) && (side != venue.Short || amt.Sign() <= 0)
}

// Position returns p in the library's units: the signed quantity
// positionAmt (base asset on USD-M, contracts on COIN-M, matching
// [Symbol.Spec]), entry and mark prices, leverage (zero from v3), margin
// mode (zero from v3, which does not say) and side. For an isolated
// position Margin is isolatedWallet, or isolatedMargin - unRealizedProfit
// when the row has no isolatedWallet (the COIN-M documentation's rows). The
// exchange's liquidationPrice is kept unless it is "0"; Binance reports no
// bankruptcy price.
//
// Errors: a wrapped [*venue.FieldError] (isolatedMargin, [venue.ErrMissing])
// for an isolated row with neither isolatedWallet nor isolatedMargin, or
// with Err [venue.ErrNumber] (wrapping derivmath's sentinel) for a decimal
// of p that is not valid (a decoded row's always are), and
// derivmath.ErrRange (wrapped) if the margin cannot be computed exactly. A
// row filled by hand that contradicts itself, as no decoded row does, is a
// wrapped *venue.FieldError with Err [venue.ErrValue] rather than a
// position whose side and quantity disagree: a PositionSide other than
// OneWay, Long and Short (positionSide), a Long leg with a negative
// positionAmt or a Short leg with a positive one (positionAmt), or a
// MarginType other than 0, Isolated and Cross (marginType).
func (p *PositionRisk) Position() (*venue.Position, error) {
	row := venue.Row{Index: -1, Key: p.Symbol}
	for _, f := range p.decimals() {
		if err := object.Check(row, f.name, f.d); err != nil {
			return nil, fmt.Errorf("binance: position: %w", err)
		}
	}
	switch {
	case p.PositionSide < venue.OneWay || p.PositionSide > venue.Short:
		return nil, fmt.Errorf("binance: position: %w", &venue.FieldError{Row: row, Field: "positionSide", Err: venue.ErrValue})
	case !signAgrees(p.PositionSide, &p.PositionAmt):
		return nil, fmt.Errorf("binance: position: %w", &venue.FieldError{Row: row, Field: "positionAmt", Err: venue.ErrValue})
	case p.MarginType < 0 || p.MarginType > venue.Cross:
		return nil, fmt.Errorf("binance: position: %w", &venue.FieldError{Row: row, Field: "marginType", Err: venue.ErrValue})
	}
	z := &venue.Position{Symbol: p.Symbol, Side: p.PositionSide, Mode: p.MarginType}
	z.Qty.Set(&p.PositionAmt.Decimal)
	z.Entry.Set(&p.EntryPrice.Decimal)
	z.Mark.Set(&p.MarkPrice.Decimal)
	z.Leverage.Set(&p.Leverage.Decimal)
	if p.MarginType == venue.Isolated {
		if err := p.wallet(&z.Margin); err != nil {
			return nil, err
		}
	}
	if p.LiquidationPrice.Valid && p.LiquidationPrice.Sign() > 0 {
		z.Liquidation.Set(&p.LiquidationPrice.Decimal)
		z.Liquidation.Valid = true
	}
	return z, nil
}

// wallet sets z to the margin of p as an isolated position: isolatedWallet,
// or isolatedMargin - unRealizedProfit when the row has no isolatedWallet.
// A row with neither is venue.ErrMissing (isolatedMargin).
func (p *PositionRisk) wallet(z *apd.Decimal) error {
	if p.IsolatedWallet.Valid {
		z.Set(&p.IsolatedWallet.Decimal)
		return nil
	}
	if !p.IsolatedMargin.Valid {
		return fmt.Errorf("binance: position: %w", &venue.FieldError{Row: venue.Row{Index: -1, Key: p.Symbol}, Field: "isolatedMargin", Err: venue.ErrMissing})
	}
	if err := sub(z, &p.IsolatedMargin.Decimal, &p.UnRealizedProfit.Decimal); err != nil {
		return fmt.Errorf("binance: position %s: isolated wallet: %w", p.Symbol, err)
	}
	return nil
}

// sub sets z = x - y exactly, to at most derivmath.MaxDigits digits, and
// checks the result with derivmath.CheckDecimal. It is the one place this
// package uses the library's arithmetic and range error.
func sub(z, x, y *apd.Decimal) error {
	var d apd.Decimal
	res, err := apd.BaseContext.WithPrecision(derivmath.MaxDigits).Sub(&d, x, y)
	if err != nil {
		return err
	}
	if res.Inexact() {
		return derivmath.ErrRange
	}
	if err := derivmath.CheckDecimal(&d); err != nil {
		return err
	}
	z.Set(&d)
	return nil
}
