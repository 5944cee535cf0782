package bybit

import (
	"time"

	"github.com/derivmath/derivmath/venue"
	"github.com/derivmath/derivmath/venue/internal/object"
)

// A Position is a row of GET /v5/position/list, or of the private
// websocket "position" topic, which has the same fields except entryPrice
// for avgPrice. Values are decimal strings. Size is unsigned, in the base
// coin (linear) or in USD contracts (inverse); the direction is Side. Money
// (positionValue, positionIM, positionMM, unrealisedPnl, riskLimitValue) is
// in the settlement coin: USDT for linear, the coin for inverse.
//
// A Position holds decimals: pass it by pointer and do not copy it after
// first use.
type Position struct {
	// Category is result.category, or the websocket row's "category".
	Category string
	Symbol   string
	// PositionIdx is 0 in one-way mode, 1 for the buy leg and 2 for the
	// sell leg of hedge mode.
	PositionIdx int64
	// Side is "Buy" or "Sell" for an open position; "" (UTA) or "None"
	// (classic accounts, websocket hedge legs) for an empty one.
	Side string
	Size venue.Decimal
	// AvgPrice is "avgPrice" (REST) or "entryPrice" (websocket).
	AvgPrice, MarkPrice, BreakEvenPrice venue.Decimal
	PositionValue, Leverage             venue.Decimal
	// LiqPrice and BustPrice are unset when Bybit sends "" (no price, or
	// at or beyond the instrument's price bounds; bustPrice is deprecated
	// and usually "").
	LiqPrice, BustPrice venue.Decimal
	// PositionIM and PositionMM include the fee to close; the ByMp
	// variants are at the mark price (newer responses). PositionBalance is
	// the position margin (initial margin plus the fee to close); Bybit
	// says to use it, not PositionIM, for classic and UTA1.0 inverse
	// positions.
	PositionIM, PositionMM, PositionIMByMp, PositionMMByMp, PositionBalance venue.Decimal
	UnrealisedPnl, CurRealisedPnl, CumRealisedPnl                           venue.Decimal
	RiskID                                                                  int64
	RiskLimitValue                                                          venue.Decimal
	// TradeMode is deprecated: 0 cross and 1 isolated in classic
	// accounts; always 0 in unified (UTA) accounts.
	TradeMode, AutoAddMargin int64
	PositionStatus           string
	IsReduceOnly             bool
	Seq                      int64
	CreatedTime, UpdatedTime time.Time
}

// DecodePositions decodes a GET /v5/position/list response or a websocket
// position message. Rows whose size is 0 (side "", "None") are left out of
// open and reported in flat. Unknown fields are ignored; mmrSysUpdateTime
// and its documented spelling mmrSysUpdatedTime are both ignored.
//
// Required: symbol, side (possibly ""), size (not negative) and
// positionIdx (0, 1 or 2); in open rows side "Buy" or "Sell" (Buy on
// positionIdx 1, Sell on 2), avgPrice (or entryPrice), markPrice, leverage
// and positionValue, the prices and leverage positive.
//
// Errors: [*APIError] when retCode is not 0, encoding/json's
// *json.SyntaxError for malformed JSON, otherwise a wrapped
// [*venue.FieldError] naming the row and the field.
func DecodePositions(data []byte) (open []Position, flat []venue.Row, err error) {
	category, rows, err := result(data, true)
	if err != nil {
		return nil, nil, wrap("positions", err)
	}
	for i, raw := range rows {
		o := object.New(raw, venue.Row{Index: i})
		var p Position
		p.Category = category
		p.decode(o)
		if err := o.Err(); err != nil {
			return nil, nil, wrap("positions", err)
		}
		if p.Size.IsZero() {
			flat = append(flat, o.Row())
			continue
		}
		open = append(open, Position{})
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

// decimals lists p's decimal fields by JSON key, in the order of the
// struct; avg is the key of AvgPrice, which the venue spells avgPrice or
// entryPrice (decode passes the row's spelling, Position "avgPrice", and
// set, which reads no key, "").
func (p *Position) decimals(avg string) []field {
	return []field{
		{"size", &p.Size, false},
		{avg, &p.AvgPrice, true},
		{"markPrice", &p.MarkPrice, true},
		{"breakEvenPrice", &p.BreakEvenPrice, false},
		{"positionValue", &p.PositionValue, true},
		{"leverage", &p.Leverage, true},
		{"liqPrice", &p.LiqPrice, false},
		{"bustPrice", &p.BustPrice, false},
		{"positionIM", &p.PositionIM, false},
		{"positionMM", &p.PositionMM, false},
		{"positionIMByMp", &p.PositionIMByMp, false},
		{"positionMMByMp", &p.PositionMMByMp, false},
		{"positionBalance", &p.PositionBalance, false},
		{"unrealisedPnl", &p.UnrealisedPnl, false},
		{"curRealisedPnl", &p.CurRealisedPnl, false},
		{"cumRealisedPnl", &p.CumRealisedPnl, false},
		{"riskLimitValue", &p.RiskLimitValue, false},
	}
}

// set copies p into q field by field, as decimals must not be copied with
// =.
func (q *Position) set(p *Position) {
	q.Category, q.Symbol, q.PositionIdx, q.Side = p.Category, p.Symbol, p.PositionIdx, p.Side
	q.RiskID, q.TradeMode, q.AutoAddMargin, q.PositionStatus = p.RiskID, p.TradeMode, p.AutoAddMargin, p.PositionStatus
	q.IsReduceOnly, q.Seq, q.CreatedTime, q.UpdatedTime = p.IsReduceOnly, p.Seq, p.CreatedTime, p.UpdatedTime
	qd, pd := q.decimals(""), p.decimals("")
	for i := range qd {
		qd[i].d.Set(&pd[i].d.Decimal)
		qd[i].d.Valid = pd[i].d.Valid
	}
}

func (p *Position) decode(o *object.Object) {
	const req, opt = object.Required, object.Optional
	p.Symbol = o.String("symbol", req)
	o.SetKey(p.Symbol)
	if c := o.String("category", opt); c != "" {
		p.Category = c
	}
	o.Need("side", o.Has("side"))
	p.Side = o.String("side", opt)
	switch p.Side {
	case "Buy", "Sell", "", "None":
	default:
		o.Fail("side", venue.ErrValue)
	}
	var idx bool
	p.PositionIdx, idx = o.Int("positionIdx", req)
	if idx && !p.idxValid() {
		o.Fail("positionIdx", venue.ErrValue)
	}
	fields := p.decimals(o.Alias("avgPrice", "entryPrice"))
	for _, f := range fields {
		o.Decimal(f.name, f.d, object.Need(f.name == "size"))
	}
	p.RiskID, _ = o.Int("riskId", opt)
	p.TradeMode, _ = o.Int("tradeMode", opt)
	p.AutoAddMargin, _ = o.Int("autoAddMargin", opt)
	p.PositionStatus = o.String("positionStatus", opt)
	p.IsReduceOnly, _ = o.Bool("isReduceOnly", opt)
	p.Seq, _ = o.Int("seq", opt)
	p.CreatedTime = o.Millis("createdTime", opt)
	p.UpdatedTime = o.Millis("updatedTime", opt)
	if o.Err() != nil {
		return
	}
	if p.Size.Negative {
		o.Fail("size", venue.ErrValue)
	}
	if p.Size.IsZero() {
		return
	}
	for _, f := range fields {
		if f.open {
			o.Need(f.name, f.d.Valid)
		}
	}
	if !p.sideAgrees() {
		o.Fail("side", venue.ErrValue)
	}
	for _, f := range [...]field{
		{name: fields[1].name, d: &p.AvgPrice},
		{name: "markPrice", d: &p.MarkPrice},
		{name: "leverage", d: &p.Leverage},
	} {
		if f.d.Sign() <= 0 {
			o.Fail(f.name, venue.ErrValue)
		}
	}
}

// idxValid reports whether p's positionIdx is 0 (one-way), 1 (buy leg) or
// 2 (sell leg).
func (p *Position) idxValid() bool {
	return p.PositionIdx >= 0 && p.PositionIdx <= 2
}

// sideAgrees reports whether the side of p, an open position, is "Buy" or
// "Sell" and agrees with its positionIdx: Buy on 1, Sell on 2.
func (p *Position) sideAgrees() bool {
	switch {
	case p.Side != "Buy" && p.Side != "Sell",
		p.PositionIdx == 1 && p.Side != "Buy",
		p.PositionIdx == 2 && p.Side != "Sell":
		return false
	}
	return true
}

// Position returns p in the library's units: the quantity size signed by
// side (base coin for linear, USD contracts for inverse, matching
// [Instrument.Spec]), entry avgPrice, mark, leverage, and the side from
// positionIdx (0 one-way, 1 Long, 2 Short).
//
// The margin mode is not in the payload for unified (UTA) accounts: pass
// it from GET /v5/account/info (marginMode ISOLATED_MARGIN is Isolated,
// REGULAR_MARGIN and PORTFOLIO_MARGIN are Cross). A zero mode takes it from
// the deprecated tradeMode (1 isolated, otherwise cross), which is right
// for classic accounts only. For an isolated position Margin is
// positionBalance, or positionIM when the row has none; a row with neither
// is an error.
//
// The exchange's liqPrice and bustPrice are kept unless unset ("") or, when
// in (the row's instrument) is not nil, at or beyond its minPrice or
// maxPrice: Bybit's 2023 responses wrote "0.0001" (minPrice) for a
// position that cannot be liquidated.
//
// Errors: a wrapped [*venue.FieldError] when in is another symbol's
// (symbol, [venue.ErrValue]) or an isolated row has neither
// positionBalance nor positionIM (positionBalance, [venue.ErrMissing]) or
// a decimal of p that is not valid (a decoded row's always are: Err
// [venue.ErrNumber], wrapping derivmath's sentinel), and [venue.ErrValue]
// (wrapped) for a mode other than 0, Isolated and Cross. A row filled by
// hand that contradicts itself, as no decoded row does, is a wrapped
// *venue.FieldError with Err [venue.ErrValue] rather than a position
// signed by one of its fields: a negative size (size; the direction is
// Side's), a positionIdx other than 0, 1 and 2 (positionIdx), or a nonzero
// size whose side is not "Buy" or "Sell" or disagrees with positionIdx 1
// (Buy) or 2 (Sell) (side).
func (p *Position) Position(in *Instrument, mode venue.MarginMode) (*venue.Position, error) {
	if mode < 0 || mode > venue.Cross {
		return nil, wrap("position "+p.Symbol+": mode "+mode.String(), venue.ErrValue)
	}
	row := venue.Row{Index: -1, Key: p.Symbol}
	if in != nil && in.Symbol != p.Symbol {
		return nil, wrap("position", &venue.FieldError{Row: row, Field: "symbol", Err: venue.ErrValue})
	}
	for _, f := range p.decimals("avgPrice") {
		if err := object.Check(row, f.name, f.d); err != nil {
			return nil, wrap("position", err)
		}
	}
	switch {
	case p.Size.Negative:
		return nil, wrap("position", &venue.FieldError{Row: row, Field: "size", Err: venue.ErrValue})
	case !p.idxValid():
		return nil, wrap("position", &venue.FieldError{Row: row, Field: "positionIdx", Err: venue.ErrValue})
	case !p.Size.IsZero() && !p.sideAgrees():
		return nil, wrap("position", &venue.FieldError{Row: row, Field: "side", Err: venue.ErrValue})
	}
	z := &venue.Position{Symbol: p.Symbol, Side: venue.OneWay, Mode: mode}
	switch p.PositionIdx {
	case 1:
		z.Side = venue.Long
	case 2:
		z.Side = venue.Short
	}
	if mode == 0 {
		z.Mode = venue.Cross
		if p.TradeMode == 1 {
			z.Mode = venue.Isolated
		}
	}
	z.Qty.Set(&p.Size.Decimal)
	z.Qty.Negative = p.Side == "Sell" && !z.Qty.IsZero()
	z.Entry.Set(&p.AvgPrice.Decimal)
	z.Mark.Set(&p.MarkPrice.Decimal)
	z.Leverage.Set(&p.Leverage.Decimal)
	if z.Mode == venue.Isolated {
		switch {
		case p.PositionBalance.Valid:
			z.Margin.Set(&p.PositionBalance.Decimal)
		case p.PositionIM.Valid:
			z.Margin.Set(&p.PositionIM.Decimal)
		default:
			return nil, wrap("position", &venue.FieldError{Row: row, Field: "positionBalance", Err: venue.ErrMissing})
		}
	}
	for _, c := range [...]struct{ z, x *venue.Decimal }{{&z.Liquidation, &p.LiqPrice}, {&z.Bankruptcy, &p.BustPrice}} {
		if c.x.Valid && c.x.Sign() > 0 && (in == nil || in.inside(&c.x.Decimal)) {
			c.z.Set(&c.x.Decimal)
			c.z.Valid = true
		}
	}
	return z, nil
}
