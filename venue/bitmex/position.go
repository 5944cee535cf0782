package bitmex

import (
	"fmt"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/venue"
	"github.com/derivmath/derivmath/venue/internal/object"
)

// A Position is a row of GET /api/v1/position (the websocket position
// table has the same schema). Money fields are integers in minor units of
// Currency (XBt, USDt); prices in the quote currency; rates fractions.
//
// Signs: CurrentQty is signed (short < 0). PosCost, MarkValue and
// UnrealisedCost carry the sign of multiplier*qty: negative for an inverse
// long, positive for an inverse short or a linear long; never infer the
// side from them. PosInit, PosComm, PosMargin and PosMaint are not
// negative. HomeNotional has the position's sign, ForeignNotional the
// opposite.
//
// A Position holds decimals: pass it by pointer and do not copy it after
// first use.
type Position struct {
	Account                                     int64
	Symbol, Currency, Underlying, QuoteCurrency string
	// CrossMargin is true for a cross-margined position. Leverage then
	// shows the maximum (100), not a chosen leverage.
	CrossMargin bool
	IsOpen      bool
	// CurrentQty is the signed quantity in contracts.
	CurrentQty venue.Decimal
	// AvgEntryPrice is unset on a closed position.
	AvgEntryPrice, AvgCostPrice, BreakEvenPrice, MarkPrice venue.Decimal
	Leverage                                               venue.Decimal
	// Commission is the taker rate the fee reserve uses; InitMarginReq and
	// MaintMarginReq the position's rates at its risk limit.
	Commission, InitMarginReq, MaintMarginReq venue.Decimal
	// RiskLimit is the account's risk limit on the contract, in minor
	// units.
	RiskLimit venue.Decimal
	// The position's margin, in minor units: PosCost (signed, see above),
	// PosInit = ceil(|posCost|*initMarginReq), PosComm (the fee reserve),
	// PosCross (margin added), PosLoss, PosMargin = posInit + posComm +
	// posCross - posLoss, and PosMaint, the maintenance requirement.
	PosCost, PosInit, PosComm, PosCross, PosLoss, PosMargin, PosMaint venue.Decimal
	// MaintMargin is the position's margin equity, posMargin +
	// unrealisedPnl (observed on every sample, undocumented), not its
	// requirement: that is PosMaint.
	MaintMargin venue.Decimal
	// MarkValue, UnrealisedCost (signed like PosCost), UnrealisedPnl =
	// markValue - unrealisedCost, and RealisedPnl, in minor units.
	MarkValue, UnrealisedCost, UnrealisedPnl, RealisedPnl venue.Decimal
	// HomeNotional in the underlying, ForeignNotional in the quote
	// currency (opposite sign).
	HomeNotional, ForeignNotional venue.Decimal
	// The exchange's prices. A sentinel (0, null, or at or above the
	// instrument's maxPrice, such as 100000000) means none; see
	// [Position.Position].
	MarginCallPrice, LiquidationPrice, BankruptPrice venue.Decimal
	Timestamp                                        time.Time

	row venue.Row
}

// DecodePositions decodes the response of GET /api/v1/position: an array
// of positions, or a single position object. Websocket rows decode too when
// they are whole (a partial or insert); an update carries only the fields
// that changed and is to be merged into the previous row first. Rows with currentQty 0 (closed
// positions, whose avgEntryPrice and liquidation prices are null) are left
// out of open and reported in flat, so a caller can tell they were there.
// Unknown fields are ignored.
//
// Required in every row: symbol, currency and currentQty. Required in open
// rows: crossMargin, leverage, avgEntryPrice, markPrice, commission,
// initMarginReq, maintMarginReq, posCost, posInit, posComm, posCross,
// posLoss, posMargin, posMaint and unrealisedPnl. Quantities and money
// fields must be whole numbers.
//
// Errors: encoding/json's *json.SyntaxError for malformed JSON, otherwise a
// wrapped [*venue.FieldError] naming the row and the field.
func DecodePositions(data []byte) (open []Position, flat []venue.Row, err error) {
	rows, err := object.Rows(data)
	if err != nil {
		return nil, nil, fmt.Errorf("bitmex: positions: %w", err)
	}
	for i, raw := range rows {
		o := object.New(raw, venue.Row{Index: i})
		var p Position
		p.decode(o)
		if err := o.Err(); err != nil {
			return nil, nil, fmt.Errorf("bitmex: positions: %w", err)
		}
		p.row = o.Row()
		if p.CurrentQty.IsZero() {
			flat = append(flat, p.row)
			continue
		}
		open = append(open, Position{})
		open[len(open)-1].set(&p)
	}
	return open, flat, nil
}

// set copies p into q field by field, as decimals must not be copied with
// =.
func (q *Position) set(p *Position) {
	q.Account, q.Symbol, q.Currency, q.Underlying, q.QuoteCurrency = p.Account, p.Symbol, p.Currency, p.Underlying, p.QuoteCurrency
	q.CrossMargin, q.IsOpen, q.Timestamp, q.row = p.CrossMargin, p.IsOpen, p.Timestamp, p.row
	qd, pd := q.decimals(), p.decimals()
	for i := range qd {
		qd[i].d.Set(&pd[i].d.Decimal)
		qd[i].d.Valid = pd[i].d.Valid
	}
}

// field is a decimal field of a row and its JSON key.
type field struct {
	name string
	d    *venue.Decimal
	// whole: an integer (contracts or minor units); open: required when
	// the position is open.
	whole, open bool
}

func (q *Position) decimals() []field {
	return []field{
		{"currentQty", &q.CurrentQty, true, false},
		{"avgEntryPrice", &q.AvgEntryPrice, false, true},
		{"avgCostPrice", &q.AvgCostPrice, false, false},
		{"breakEvenPrice", &q.BreakEvenPrice, false, false},
		{"markPrice", &q.MarkPrice, false, true},
		{"leverage", &q.Leverage, false, true},
		{"commission", &q.Commission, false, true},
		{"initMarginReq", &q.InitMarginReq, false, true},
		{"maintMarginReq", &q.MaintMarginReq, false, true},
		{"riskLimit", &q.RiskLimit, true, false},
		{"posCost", &q.PosCost, true, true},
		{"posInit", &q.PosInit, true, true},
		{"posComm", &q.PosComm, true, true},
		{"posCross", &q.PosCross, true, true},
		{"posLoss", &q.PosLoss, true, true},
		{"posMargin", &q.PosMargin, true, true},
		{"posMaint", &q.PosMaint, true, true},
		{"maintMargin", &q.MaintMargin, true, false},
		{"markValue", &q.MarkValue, true, false},
		{"unrealisedCost", &q.UnrealisedCost, true, false},
		{"unrealisedPnl", &q.UnrealisedPnl, true, true},
		{"realisedPnl", &q.RealisedPnl, true, false},
		{"homeNotional", &q.HomeNotional, false, false},
		{"foreignNotional", &q.ForeignNotional, false, false},
		{"marginCallPrice", &q.MarginCallPrice, false, false},
		{"liquidationPrice", &q.LiquidationPrice, false, false},
		{"bankruptPrice", &q.BankruptPrice, false, false},
	}
}

func (q *Position) decode(o *object.Object) {
	const req, opt = object.Required, object.Optional
	q.Symbol = o.String("symbol", req)
	o.SetKey(q.Symbol)
	q.Currency = o.String("currency", req)
	q.Account, _ = o.Int("account", opt)
	q.Underlying = o.String("underlying", opt)
	q.QuoteCurrency = o.String("quoteCurrency", opt)
	q.IsOpen, _ = o.Bool("isOpen", opt)
	q.Timestamp = o.Time("timestamp", opt)
	fields := q.decimals()
	for _, f := range fields {
		o.Decimal(f.name, f.d, object.Need(f.name == "currentQty"))
		if f.whole && f.d.Valid && !whole(&f.d.Decimal) {
			o.Fail(f.name, venue.ErrValue)
		}
	}
	var cross bool
	q.CrossMargin, cross = o.Bool("crossMargin", opt)
	if o.Err() != nil || q.CurrentQty.IsZero() {
		return
	}
	o.Need("crossMargin", cross)
	for _, f := range fields {
		if f.open {
			o.Need(f.name, f.d.Valid)
		}
	}
	for _, f := range [...]field{
		{name: "avgEntryPrice", d: &q.AvgEntryPrice},
		{name: "markPrice", d: &q.MarkPrice},
		{name: "leverage", d: &q.Leverage},
	} {
		if f.d.Sign() <= 0 {
			o.Fail(f.name, venue.ErrValue)
		}
	}
	for _, f := range [...]field{
		{name: "posInit", d: &q.PosInit},
		{name: "posComm", d: &q.PosComm},
		{name: "posMargin", d: &q.PosMargin},
		{name: "posMaint", d: &q.PosMaint},
	} {
		if f.d.Negative {
			o.Fail(f.name, venue.ErrValue)
		}
	}
}

// noLiquidation is the sentinel BitMEX reports as the liquidation and
// bankruptcy price of a position that cannot be liquidated, used when no
// instrument gives a maxPrice.
var noLiquidation = apd.New(100000000, 0)

// Position returns p in the library's units: the signed quantity in
// contracts, entry and mark prices, leverage, Cross or Isolated from
// crossMargin, one-way (BitMEX has no hedge mode), and for an isolated
// position Margin = posMargin in the settlement currency's major unit
// (posInit + posComm + posCross - posLoss; it excludes unrealised PnL).
//
// The exchange's liquidationPrice and bankruptPrice are kept unless they
// are a sentinel for "none": null, 0, or at or above the instrument's
// maxPrice (100000000 when in is nil).
//
// in, if not nil, must be p's instrument; it supplies maxPrice and the
// minor unit of a currency that [Unit] does not know.
//
// Errors: a wrapped [*venue.FieldError] when in is another symbol's, or
// when the currency's minor unit is unknown; one whose Err is
// [venue.ErrNumber] (wrapping derivmath's sentinel) for a decimal of p
// that is not valid (a decoded row's always are) or a posMargin out of
// range in the major unit.
func (p *Position) Position(in *Instrument) (*venue.Position, error) {
	fail := func(field string, err error) error {
		return fmt.Errorf("bitmex: position: %w", &venue.FieldError{Row: p.row, Field: field, Err: err})
	}
	limit := noLiquidation
	c, known := currencies[p.Currency]
	exp := c.exp
	if in != nil {
		if in.Symbol != p.Symbol {
			return nil, fail("symbol", venue.ErrValue)
		}
		if in.MaxPrice.Valid && in.MaxPrice.Sign() > 0 {
			limit = &in.MaxPrice.Decimal
		}
		if in.SettlCurrency == p.Currency {
			e, _, err := in.minor()
			if err == nil {
				exp, known = e, true
			}
		}
	}
	if !known {
		return nil, fail("currency", fmt.Errorf("%w: %w", venue.ErrValue, ErrCurrency))
	}
	for _, f := range p.decimals() {
		if err := object.Check(p.row, f.name, f.d); err != nil {
			return nil, fmt.Errorf("bitmex: position: %w", err)
		}
	}
	z := &venue.Position{Symbol: p.Symbol, Side: venue.OneWay, Mode: venue.Isolated}
	if p.CrossMargin {
		z.Mode = venue.Cross
	} else {
		scale(&z.Margin, &p.PosMargin.Decimal, exp)
		if err := derivmath.CheckDecimal(&z.Margin); err != nil {
			return nil, fail("posMargin", fmt.Errorf("%w: %w", venue.ErrNumber, err))
		}
	}
	z.Qty.Set(&p.CurrentQty.Decimal)
	z.Entry.Set(&p.AvgEntryPrice.Decimal)
	z.Mark.Set(&p.MarkPrice.Decimal)
	z.Leverage.Set(&p.Leverage.Decimal)
	price(&z.Liquidation, &p.LiquidationPrice, limit)
	price(&z.Bankruptcy, &p.BankruptPrice, limit)
	return z, nil
}

// price sets z to x unless x is unset, not positive, or at or above limit.
func price(z, x *venue.Decimal, limit *apd.Decimal) {
	if x.Valid && x.Sign() > 0 && x.Cmp(limit) < 0 {
		z.Set(&x.Decimal)
		z.Valid = true
	}
}
