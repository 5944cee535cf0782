package bitmex

import (
	"fmt"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/margin"
	"github.com/derivmath/derivmath/venue"
	"github.com/derivmath/derivmath/venue/internal/object"
)

// An Instrument is a row of GET /api/v1/instrument (or /instrument/active):
// a contract's terms as BitMEX states them. Money fields are in minor units
// of SettlCurrency (XBt, USDt); prices in the quote currency; rates are
// fractions. Fields BitMEX leaves null or out (a dated future has no
// funding) are unset.
//
// An Instrument holds decimals: pass it by pointer and do not copy it after
// first use.
type Instrument struct {
	Symbol string
	// Typ is BitMEX's CFI-like type: "FFWCSX" perpetual, "FFCCSX" dated
	// future, "IFXXXP" spot, "FFICSX" prediction market.
	Typ   string
	State string
	// Underlying, QuoteCurrency and PositionCurrency name currencies
	// ("XBT", "USD", "USDT"); SettlCurrency is a minor-unit code ("XBt",
	// "USDt").
	Underlying, QuoteCurrency, PositionCurrency, SettlCurrency string
	IsInverse, IsQuanto                                        bool
	// Multiplier is the signed value of one contract in settlement minor
	// units: value = Multiplier*qty/P for an inverse contract (negative:
	// XBTUSD -100000000, so a long's value is negative) and
	// Multiplier*qty*P otherwise (XBTUSDT 1, quanto ETHUSD 100).
	Multiplier venue.Decimal
	// UnderlyingToSettleMultiplier (inverse only: -100000000 XBt per XBT),
	// UnderlyingToPositionMultiplier (contracts per unit of underlying) and
	// QuoteToSettleMultiplier (USDt per USDT on linear rows; on quanto rows
	// a live exchange rate, unused here).
	UnderlyingToSettleMultiplier, UnderlyingToPositionMultiplier, QuoteToSettleMultiplier venue.Decimal
	TickSize, LotSize, MaxPrice, MaxOrderQty                                              venue.Decimal
	// InitMargin and MaintMargin are the base rates (0.01 is 1%).
	InitMargin, MaintMargin venue.Decimal
	// RiskLimit and RiskStep are in settlement minor units (20000000000 XBt
	// is 200 XBT).
	RiskLimit, RiskStep venue.Decimal
	// MakerFee and TakerFee are the instrument's default fee rates; an
	// account's own rates come from /user/commission.
	MakerFee, TakerFee, SettlementFee venue.Decimal
	// FundingRate and IndicativeFundingRate are fractions per interval,
	// unset on dated futures.
	FundingRate, IndicativeFundingRate venue.Decimal
	FundingTimestamp                   time.Time
	// FundingInterval is decoded from BitMEX's spelling of a duration as a
	// timestamp: "2000-01-01T08:00:00.000Z" is 8 hours after 2000-01-01.
	// Zero on dated futures.
	FundingInterval time.Duration
	// Expiry and Settle are zero on perpetuals.
	Expiry, Settle time.Time
	MarkMethod     string
	MarkPrice      venue.Decimal
	FairPrice      venue.Decimal
	LastPrice      venue.Decimal
	Timestamp      time.Time

	row venue.Row
}

// epoch2000 is the origin of BitMEX's durations written as timestamps.
var epoch2000 = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// DecodeInstruments decodes the response of GET /api/v1/instrument: an
// array of instruments, or a single instrument object. Unknown fields are
// ignored.
//
// Required in every row: symbol, typ, state, multiplier, tickSize, lotSize,
// isInverse and isQuanto; the others are read when present (see
// [Instrument.Spec] and [Instrument.Steps] for what they need).
//
// Errors: encoding/json's *json.SyntaxError for malformed JSON, otherwise a
// wrapped [*venue.FieldError] naming the row and the field.
func DecodeInstruments(data []byte) ([]Instrument, error) {
	rows, err := object.Rows(data)
	if err != nil {
		return nil, fmt.Errorf("bitmex: instruments: %w", err)
	}
	out := make([]Instrument, len(rows))
	for i, raw := range rows {
		o := object.New(raw, venue.Row{Index: i})
		in := &out[i]
		in.decode(o)
		if err := o.Err(); err != nil {
			return nil, fmt.Errorf("bitmex: instruments: %w", err)
		}
		in.row = o.Row()
	}
	return out, nil
}

func (in *Instrument) decode(o *object.Object) {
	const req, opt = object.Required, object.Optional
	in.Symbol = o.String("symbol", req)
	o.SetKey(in.Symbol)
	in.Typ = o.String("typ", req)
	in.State = o.String("state", req)
	in.Underlying = o.String("underlying", opt)
	in.QuoteCurrency = o.String("quoteCurrency", opt)
	in.PositionCurrency = o.String("positionCurrency", opt)
	in.SettlCurrency = o.String("settlCurrency", opt)
	in.IsInverse, _ = o.Bool("isInverse", req)
	in.IsQuanto, _ = o.Bool("isQuanto", req)
	o.Decimal("multiplier", &in.Multiplier, req)
	o.Decimal("underlyingToSettleMultiplier", &in.UnderlyingToSettleMultiplier, opt)
	o.Decimal("underlyingToPositionMultiplier", &in.UnderlyingToPositionMultiplier, opt)
	o.Decimal("quoteToSettleMultiplier", &in.QuoteToSettleMultiplier, opt)
	o.Decimal("tickSize", &in.TickSize, req)
	o.Decimal("lotSize", &in.LotSize, req)
	o.Decimal("maxPrice", &in.MaxPrice, opt)
	o.Decimal("maxOrderQty", &in.MaxOrderQty, opt)
	o.Decimal("initMargin", &in.InitMargin, opt)
	o.Decimal("maintMargin", &in.MaintMargin, opt)
	o.Decimal("riskLimit", &in.RiskLimit, opt)
	o.Decimal("riskStep", &in.RiskStep, opt)
	o.Decimal("makerFee", &in.MakerFee, opt)
	o.Decimal("takerFee", &in.TakerFee, opt)
	o.Decimal("settlementFee", &in.SettlementFee, opt)
	o.Decimal("fundingRate", &in.FundingRate, opt)
	o.Decimal("indicativeFundingRate", &in.IndicativeFundingRate, opt)
	in.FundingTimestamp = o.Time("fundingTimestamp", opt)
	if t := o.Time("fundingInterval", opt); !t.IsZero() {
		if t.Before(epoch2000) {
			o.Fail("fundingInterval", venue.ErrValue)
		}
		in.FundingInterval = t.Sub(epoch2000)
	}
	in.Expiry = o.Time("expiry", opt)
	in.Settle = o.Time("settle", opt)
	in.MarkMethod = o.String("markMethod", opt)
	o.Decimal("markPrice", &in.MarkPrice, opt)
	o.Decimal("fairPrice", &in.FairPrice, opt)
	o.Decimal("lastPrice", &in.LastPrice, opt)
	in.Timestamp = o.Time("timestamp", opt)
	if o.Err() != nil {
		return
	}
	for _, f := range [...]struct {
		name string
		d    *venue.Decimal
	}{{"tickSize", &in.TickSize}, {"lotSize", &in.LotSize}} {
		if f.d.Sign() <= 0 {
			o.Fail(f.name, venue.ErrValue)
		}
	}
	if in.Multiplier.IsZero() {
		o.Fail("multiplier", venue.ErrValue)
	}
}

// Kind returns the payoff of the contract: Quanto when isQuanto, Inverse
// when isInverse, Linear otherwise.
func (in *Instrument) Kind() contract.Kind {
	switch {
	case in.IsQuanto:
		return contract.Quanto
	case in.IsInverse:
		return contract.Inverse
	}
	return contract.Linear
}

// fail returns a FieldError for field of in's row.
func (in *Instrument) fail(field string, err error) error {
	return fmt.Errorf("bitmex: instrument: %w", &venue.FieldError{Row: in.row, Field: field, Err: err})
}

// minor returns the exponent of the settlement minor unit (-8 for XBt) and
// the settlement currency's name. The settle multipliers say it for inverse
// (underlyingToSettleMultiplier, minor units per unit of the underlying,
// which is the settlement currency) and linear contracts
// (quoteToSettleMultiplier, per unit of the quote currency); otherwise, and
// as a check, the currency code says it ([Unit]).
func (in *Instrument) minor() (exp int32, name string, err error) {
	c, known := currencies[in.SettlCurrency]
	var from string
	switch kind := in.Kind(); {
	case kind == contract.Inverse && in.UnderlyingToSettleMultiplier.Valid:
		from = "underlyingToSettleMultiplier"
		k, ok := powerOfTen(&in.UnderlyingToSettleMultiplier.Decimal)
		if !ok || !in.UnderlyingToSettleMultiplier.Negative {
			return 0, "", in.fail(from, venue.ErrValue)
		}
		exp, name = -k, in.Underlying
	case kind == contract.Linear && in.QuoteToSettleMultiplier.Valid:
		from = "quoteToSettleMultiplier"
		k, ok := powerOfTen(&in.QuoteToSettleMultiplier.Decimal)
		if !ok || in.QuoteToSettleMultiplier.Negative {
			return 0, "", in.fail(from, venue.ErrValue)
		}
		exp, name = -k, in.QuoteCurrency
	case known:
		return c.exp, c.name, nil
	case in.SettlCurrency == "":
		return 0, "", in.fail("settlCurrency", venue.ErrMissing)
	default:
		return 0, "", in.fail("settlCurrency", fmt.Errorf("%w: %w", venue.ErrValue, ErrCurrency))
	}
	if known {
		if c.exp != exp {
			return 0, "", in.fail(from, venue.ErrValue)
		}
		name = c.name
	}
	return exp, name, nil
}

// Spec returns the contract the instrument describes, in the library's
// convention: money in the settlement currency's major unit (XBT, USDT)
// with Minor set to its minor unit, and a positive multiplier.
//
//   - Inverse (isInverse, multiplier < 0): m = multiplier /
//     underlyingToSettleMultiplier, the face value in the quote currency
//     (XBTUSD: -100000000 / -100000000 = 1 USD).
//   - Linear (multiplier > 0): m = multiplier * minor unit, the
//     settlement value per contract per unit of price (XBTUSDT: 1 USDt =
//     0.000001 USDT, that is 0.000001 XBT per contract).
//   - Quanto (isQuanto, multiplier > 0): m = multiplier * minor unit
//     (ETHUSD: 100 XBt = 0.000001 XBT per USD of price).
//
// The minor unit comes from the settle multiplier where BitMEX gives one
// (inverse: underlyingToSettleMultiplier; linear: quoteToSettleMultiplier)
// and from the settlCurrency code otherwise ([Unit]); when both say it,
// they must agree. Tick, lot and the maker and taker fees are the
// instrument's; an account's own fee rates (from /user/commission) may
// replace Maker and Taker in the returned Spec.
//
// Errors: a wrapped [*venue.FieldError] for a missing or contradictory
// field (a multiplier whose sign contradicts isInverse, both isInverse and
// isQuanto, an unknown settlement currency on a quanto contract), or the
// errors of contract.New.
func (in *Instrument) Spec() (*contract.Spec, error) {
	if in.IsInverse && in.IsQuanto {
		return nil, in.fail("isQuanto", venue.ErrValue)
	}
	kind := in.Kind()
	if in.Multiplier.Negative != (kind == contract.Inverse) || in.Multiplier.IsZero() {
		return nil, in.fail("multiplier", venue.ErrValue)
	}
	for _, f := range [...]struct {
		name string
		d    *venue.Decimal
	}{{"makerFee", &in.MakerFee}, {"takerFee", &in.TakerFee}} {
		if !f.d.Valid {
			return nil, in.fail(f.name, venue.ErrMissing)
		}
	}
	exp, settle, err := in.minor()
	if err != nil {
		return nil, err
	}
	var m apd.Decimal
	scale(&m, &in.Multiplier.Decimal, exp)
	m.Negative = false
	s, err := contract.New(contract.Params{
		Symbol:     in.Symbol,
		Kind:       kind,
		Settle:     settle,
		Multiplier: m.String(),
		Tick:       in.TickSize.Decimal.String(),
		Lot:        in.LotSize.Decimal.String(),
		Maker:      in.MakerFee.Decimal.String(),
		Taker:      in.TakerFee.Decimal.String(),
		Minor:      apd.New(1, exp).String(),
		Source:     "BitMEX GET /api/v1/instrument, timestamp " + in.Timestamp.Format(time.RFC3339Nano),
	})
	if err != nil {
		return nil, fmt.Errorf("bitmex: instrument %s: %w", in.Symbol, err)
	}
	return s, nil
}

// Steps returns the instrument's stepped risk-limit schedule, in the
// settlement currency's major unit: base risk limit riskLimit and step
// riskStep (converted from minor units), base rates maintMargin and
// initMargin. Its Limit is zero: set it to the position's riskLimit (also
// converted) to bound it by the account's chosen risk limit.
//
// Errors: a wrapped [*venue.FieldError] for a missing field, or for a
// settlement unit that is missing or contradictory, as for [Instrument.Spec]
// (settlCurrency, underlyingToSettleMultiplier or quoteToSettleMultiplier:
// the unit scales the risk limit and step); or the errors of
// [margin.Steps.Validate].
func (in *Instrument) Steps() (*margin.Steps, error) {
	for _, f := range [...]struct {
		name string
		d    *venue.Decimal
	}{{"riskLimit", &in.RiskLimit}, {"riskStep", &in.RiskStep}, {"maintMargin", &in.MaintMargin}, {"initMargin", &in.InitMargin}} {
		if !f.d.Valid {
			return nil, in.fail(f.name, venue.ErrMissing)
		}
	}
	exp, _, err := in.minor()
	if err != nil {
		return nil, err
	}
	s := &margin.Steps{}
	scale(&s.BaseRiskLimit, &in.RiskLimit.Decimal, exp)
	scale(&s.Step, &in.RiskStep.Decimal, exp)
	s.BaseMM.Set(&in.MaintMargin.Decimal)
	s.BaseIM.Set(&in.InitMargin.Decimal)
	if err := s.Validate(); err != nil {
		return nil, fmt.Errorf("bitmex: instrument %s: risk limits: %w", in.Symbol, err)
	}
	return s, nil
}
