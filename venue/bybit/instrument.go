package bybit

import (
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/venue"
	"github.com/derivmath/derivmath/venue/internal/object"
)

// An Instrument is a row of GET /v5/market/instruments-info for the
// linear or inverse category. Values are decimal strings; quantities are
// in the base coin (linear) or in USD contracts (inverse); prices in the
// quote coin.
//
// An Instrument holds decimals: pass it by pointer and do not copy it after
// first use.
type Instrument struct {
	// Category is result.category: "linear" or "inverse".
	Category string
	Symbol   string
	// ContractType is "LinearPerpetual", "LinearFutures",
	// "InversePerpetual" or "InverseFutures".
	ContractType, Status            string
	BaseCoin, QuoteCoin, SettleCoin string
	// LaunchTime; DeliveryTime is zero on perpetuals (Bybit sends "0").
	LaunchTime, DeliveryTime time.Time
	// DeliveryFeeRate is unset ("") on perpetuals.
	DeliveryFeeRate venue.Decimal
	// PriceScale is the number of decimal places of prices (a string in
	// the payload).
	PriceScale                             int64
	MinLeverage, MaxLeverage, LeverageStep venue.Decimal
	MinPrice, MaxPrice, TickSize           venue.Decimal
	// lotSizeFilter. MaxMktOrderQty and MinNotionalValue are absent from
	// older responses.
	MaxOrderQty, MinOrderQty, QtyStep, PostOnlyMaxOrderQty venue.Decimal
	MaxMktOrderQty, MinNotionalValue                       venue.Decimal
	// FundingInterval is decoded from minutes (480 is 8 hours); zero on
	// futures.
	FundingInterval time.Duration
	// UpperFundingRate and LowerFundingRate bound the funding rate
	// (fractions); absent from older responses.
	UpperFundingRate, LowerFundingRate venue.Decimal

	row venue.Row
}

// DecodeInstruments decodes a GET /v5/market/instruments-info response.
// Unknown fields are ignored, and fields that older responses lack are
// unset.
//
// Required: the envelope's retCode and result.list; in every row symbol,
// contractType, status, settleCoin, priceFilter.tickSize and
// lotSizeFilter.qtyStep (positive).
//
// Errors: [*APIError] when retCode is not 0, encoding/json's
// *json.SyntaxError for malformed JSON, otherwise a wrapped
// [*venue.FieldError] naming the row and the field.
func DecodeInstruments(data []byte) ([]Instrument, error) {
	category, rows, err := result(data, false)
	if err != nil {
		return nil, wrap("instruments", err)
	}
	const req, opt = object.Required, object.Optional
	out := make([]Instrument, len(rows))
	for i, raw := range rows {
		o := object.New(raw, venue.Row{Index: i})
		in := &out[i]
		in.Category = category
		in.Symbol = o.String("symbol", req)
		o.SetKey(in.Symbol)
		in.ContractType = o.String("contractType", req)
		in.Status = o.String("status", req)
		in.BaseCoin = o.String("baseCoin", opt)
		in.QuoteCoin = o.String("quoteCoin", opt)
		in.SettleCoin = o.String("settleCoin", req)
		in.LaunchTime = o.Millis("launchTime", opt)
		in.DeliveryTime = o.Millis("deliveryTime", opt)
		o.Decimal("deliveryFeeRate", &in.DeliveryFeeRate, opt)
		in.PriceScale, _ = o.Int("priceScale", opt)
		lev := o.Object("leverageFilter", opt)
		lev.Decimal("minLeverage", &in.MinLeverage, opt)
		lev.Decimal("maxLeverage", &in.MaxLeverage, opt)
		lev.Decimal("leverageStep", &in.LeverageStep, opt)
		price := o.Object("priceFilter", req)
		price.Decimal("minPrice", &in.MinPrice, opt)
		price.Decimal("maxPrice", &in.MaxPrice, opt)
		price.Decimal("tickSize", &in.TickSize, req)
		lot := o.Object("lotSizeFilter", req)
		lot.Decimal("maxOrderQty", &in.MaxOrderQty, opt)
		lot.Decimal("minOrderQty", &in.MinOrderQty, opt)
		lot.Decimal("qtyStep", &in.QtyStep, req)
		lot.Decimal("postOnlyMaxOrderQty", &in.PostOnlyMaxOrderQty, opt)
		lot.Decimal("maxMktOrderQty", &in.MaxMktOrderQty, opt)
		lot.Decimal("minNotionalValue", &in.MinNotionalValue, opt)
		if m, ok := o.Int("fundingInterval", opt); ok {
			if m < 0 || m > 7*24*60 {
				o.Fail("fundingInterval", venue.ErrValue)
			}
			in.FundingInterval = time.Duration(m) * time.Minute
		}
		o.Decimal("upperFundingRate", &in.UpperFundingRate, opt)
		o.Decimal("lowerFundingRate", &in.LowerFundingRate, opt)
		if o.Err() == nil && in.TickSize.Sign() <= 0 {
			price.Fail("tickSize", venue.ErrValue)
		}
		if o.Err() == nil && in.QtyStep.Sign() <= 0 {
			lot.Fail("qtyStep", venue.ErrValue)
		}
		if err := o.Err(); err != nil {
			return nil, wrap("instruments", err)
		}
		in.row = o.Row()
	}
	return out, nil
}

// Kind returns the payoff that contractType names: Linear for
// LinearPerpetual and LinearFutures, Inverse for InversePerpetual and
// InverseFutures, and 0 for anything else.
func (in *Instrument) Kind() contract.Kind {
	switch in.ContractType {
	case "LinearPerpetual", "LinearFutures":
		return contract.Linear
	case "InversePerpetual", "InverseFutures":
		return contract.Inverse
	}
	return 0
}

// Spec returns the contract the instrument describes, with multiplier 1:
// a linear contract's quantity is in the base coin, an inverse contract is
// 1 USD. It settles in settleCoin, with tick priceFilter.tickSize and lot
// lotSizeFilter.qtyStep. instruments-info carries no fee rates: Maker and
// Taker are zero, to be set from GET /v5/account/fee-rate.
//
// Errors: a wrapped [*venue.FieldError] whose Err is [venue.ErrValue] when
// contractType is not a linear or inverse contract or contradicts the
// category, and the errors of contract.New.
func (in *Instrument) Spec() (*contract.Spec, error) {
	kind := in.Kind()
	if kind == 0 || in.Category == "linear" && kind != contract.Linear || in.Category == "inverse" && kind != contract.Inverse {
		return nil, wrap("instrument", &venue.FieldError{Row: in.row, Field: "contractType", Err: venue.ErrValue})
	}
	s, err := contract.New(contract.Params{
		Symbol:     in.Symbol,
		Kind:       kind,
		Settle:     in.SettleCoin,
		Multiplier: "1",
		Tick:       in.TickSize.Decimal.String(),
		Lot:        in.QtyStep.Decimal.String(),
		Source:     "Bybit GET /v5/market/instruments-info?category=" + in.Category,
	})
	if err != nil {
		return nil, wrap("instrument "+in.Symbol, err)
	}
	return s, nil
}

// inside reports whether p lies strictly between the instrument's
// minPrice and maxPrice (bounds it lacks do not constrain).
func (in *Instrument) inside(p *apd.Decimal) bool {
	if in.MinPrice.Valid && p.Cmp(&in.MinPrice.Decimal) <= 0 {
		return false
	}
	return !in.MaxPrice.Valid || p.Cmp(&in.MaxPrice.Decimal) < 0
}
