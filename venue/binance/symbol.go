package binance

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/venue"
	"github.com/derivmath/derivmath/venue/internal/object"
)

// Market is one of Binance's futures markets.
type Market int8

// The markets. The zero Market is unknown.
const (
	// USDM is USDⓈ-M futures (fapi): linear contracts, quantities in the
	// base asset, settled in the margin asset (USDT, USDC).
	USDM Market = 1 + iota
	// COINM is COIN-M futures (dapi): inverse contracts of contractSize
	// USD each, settled in the base coin.
	COINM
)

// String returns "USDM", "COINM" or "Market(n)".
func (m Market) String() string {
	switch m {
	case USDM:
		return "USDM"
	case COINM:
		return "COINM"
	}
	return "Market(" + strconv.Itoa(int(m)) + ")"
}

// A Symbol is an element of symbols[] in GET /fapi/v1/exchangeInfo (USD-M)
// or GET /dapi/v1/exchangeInfo (COIN-M). Quantities are in the base asset
// (USD-M) or in contracts (COIN-M); prices in the quote asset; rates are
// fractions except where noted.
//
// A Symbol holds decimals: pass it by pointer and do not copy it after
// first use.
type Symbol struct {
	Symbol, Pair string
	// Market is COINM when the symbol has a contractSize, USDM otherwise.
	Market Market
	// ContractType is "PERPETUAL", "CURRENT_QUARTER", "NEXT_QUARTER", ...
	ContractType string
	// Status is the trading status, read from "status" (USD-M) or
	// "contractStatus" (COIN-M): "TRADING", "SETTLING", ...
	Status string
	// DeliveryDate is 2100-12-25 (4133404800000), Binance's sentinel, for
	// a perpetual.
	DeliveryDate, OnboardDate          time.Time
	BaseAsset, QuoteAsset, MarginAsset string
	PricePrecision, QuantityPrecision  int64
	// ContractSize is the USD value of one COIN-M contract (a JSON
	// number: 100 for BTCUSD_PERP); unset on USD-M.
	ContractSize venue.Decimal
	// MaintMarginPercent and RequiredMarginPercent are percent ("2.5000")
	// and, per Binance, to be ignored: maintenance rates come from the
	// leverage brackets.
	MaintMarginPercent, RequiredMarginPercent venue.Decimal
	// LiquidationFee is a fraction of notional (0.0125 is 1.25%);
	// MarketTakeBound and TriggerProtect are fractions.
	LiquidationFee, MarketTakeBound, TriggerProtect venue.Decimal
	// PRICE_FILTER: tick size and price bounds. Use TickSize, not
	// PricePrecision.
	TickSize, MinPrice, MaxPrice venue.Decimal
	// LOT_SIZE: quantity step and bounds (COIN-M: contracts).
	StepSize, MinQty, MaxQty venue.Decimal
	// MARKET_LOT_SIZE: the bounds of market orders.
	MarketStepSize, MarketMinQty, MarketMaxQty venue.Decimal
	// MinNotional is MIN_NOTIONAL's "notional" (USD-M only; spot spells it
	// minNotional).
	MinNotional venue.Decimal
	// PERCENT_PRICE: the bounds of a limit price around the mark, as
	// fractions (1.05, 0.95).
	MultiplierUp, MultiplierDown   venue.Decimal
	MaxNumOrders, MaxNumAlgoOrders int64
}

// DecodeSymbols decodes the symbols of an exchangeInfo response, USD-M or
// COIN-M: the whole response (an object with "symbols"), an array of
// symbols, or a single symbol object. Filters are read by filterType, in
// any order; unknown filters and fields are ignored.
//
// Required: symbol, status (or contractStatus), marginAsset, filters with
// PRICE_FILTER.tickSize and LOT_SIZE.stepSize (both positive), and a
// positive contractSize when present.
//
// Errors: encoding/json's *json.SyntaxError for malformed JSON, otherwise a
// wrapped [*venue.FieldError] naming the row and the field.
func DecodeSymbols(data []byte) ([]Symbol, error) {
	rows, err := object.Rows(data)
	if err != nil {
		return nil, fmt.Errorf("binance: symbols: %w", err)
	}
	var full struct {
		Symbols []json.RawMessage `json:"symbols"`
	}
	if len(rows) == 1 && json.Unmarshal(rows[0], &full) == nil && full.Symbols != nil {
		rows = full.Symbols // the whole exchangeInfo response
	}
	out := make([]Symbol, len(rows))
	for i, raw := range rows {
		o := object.New(raw, venue.Row{Index: i})
		out[i].decode(o)
		if err := o.Err(); err != nil {
			return nil, fmt.Errorf("binance: symbols: %w", err)
		}
	}
	return out, nil
}

func (s *Symbol) decode(o *object.Object) {
	const req, opt = object.Required, object.Optional
	s.Symbol = o.String("symbol", req)
	o.SetKey(s.Symbol)
	s.Pair = o.String("pair", opt)
	s.ContractType = o.String("contractType", opt)
	s.Status = o.String(o.Alias("status", "contractStatus"), req)
	s.DeliveryDate = o.Millis("deliveryDate", opt)
	s.OnboardDate = o.Millis("onboardDate", opt)
	s.BaseAsset = o.String("baseAsset", opt)
	s.QuoteAsset = o.String("quoteAsset", opt)
	s.MarginAsset = o.String("marginAsset", req)
	s.PricePrecision, _ = o.Int("pricePrecision", opt)
	s.QuantityPrecision, _ = o.Int("quantityPrecision", opt)
	o.Decimal("contractSize", &s.ContractSize, opt)
	s.Market = USDM
	if s.ContractSize.Valid {
		s.Market = COINM
		if s.ContractSize.Sign() <= 0 {
			o.Fail("contractSize", venue.ErrValue)
		}
	}
	o.Decimal("maintMarginPercent", &s.MaintMarginPercent, opt)
	o.Decimal("requiredMarginPercent", &s.RequiredMarginPercent, opt)
	o.Decimal("liquidationFee", &s.LiquidationFee, opt)
	o.Decimal("marketTakeBound", &s.MarketTakeBound, opt)
	o.Decimal("triggerProtect", &s.TriggerProtect, opt)
	var price, lot bool
	for _, f := range o.Array("filters", req) {
		switch f.String("filterType", req) {
		case "PRICE_FILTER":
			price = true
			f.Decimal("tickSize", &s.TickSize, req)
			f.Decimal("minPrice", &s.MinPrice, opt)
			f.Decimal("maxPrice", &s.MaxPrice, opt)
			if s.TickSize.Valid && s.TickSize.Sign() <= 0 {
				f.Fail("tickSize", venue.ErrValue)
			}
		case "LOT_SIZE":
			lot = true
			f.Decimal("stepSize", &s.StepSize, req)
			f.Decimal("minQty", &s.MinQty, opt)
			f.Decimal("maxQty", &s.MaxQty, opt)
			if s.StepSize.Valid && s.StepSize.Sign() <= 0 {
				f.Fail("stepSize", venue.ErrValue)
			}
		case "MARKET_LOT_SIZE":
			f.Decimal("stepSize", &s.MarketStepSize, opt)
			f.Decimal("minQty", &s.MarketMinQty, opt)
			f.Decimal("maxQty", &s.MarketMaxQty, opt)
		case "MIN_NOTIONAL":
			f.Decimal(f.Alias("notional", "minNotional"), &s.MinNotional, opt)
		case "PERCENT_PRICE":
			f.Decimal("multiplierUp", &s.MultiplierUp, opt)
			f.Decimal("multiplierDown", &s.MultiplierDown, opt)
		case "MAX_NUM_ORDERS":
			s.MaxNumOrders, _ = f.Int("limit", opt)
		case "MAX_NUM_ALGO_ORDERS":
			s.MaxNumAlgoOrders, _ = f.Int("limit", opt)
		}
	}
	o.Need("filters[PRICE_FILTER]", price)
	o.Need("filters[LOT_SIZE]", lot)
}

// Perpetual reports whether the symbol is a perpetual contract.
func (s *Symbol) Perpetual() bool { return s.ContractType == "PERPETUAL" }

// Spec returns the contract the symbol describes: for USD-M a Linear
// contract with multiplier 1 (quantities in the base asset), for COIN-M an
// Inverse contract with multiplier contractSize (USD per contract); settled
// in marginAsset, with tick PRICE_FILTER.tickSize and lot LOT_SIZE.stepSize.
// exchangeInfo carries no fee rates: Maker and Taker are zero, to be set
// from the account's commission rate (GET /fapi/v1/commissionRate).
//
// Errors: those of contract.New.
func (s *Symbol) Spec() (*contract.Spec, error) {
	p := contract.Params{
		Symbol:     s.Symbol,
		Kind:       contract.Linear,
		Settle:     s.MarginAsset,
		Multiplier: "1",
		Tick:       s.TickSize.Decimal.String(),
		Lot:        s.StepSize.Decimal.String(),
		Source:     "Binance USD-M GET /fapi/v1/exchangeInfo",
	}
	if s.Market == COINM {
		p.Kind = contract.Inverse
		p.Multiplier = s.ContractSize.Decimal.String()
		p.Source = "Binance COIN-M GET /dapi/v1/exchangeInfo"
	}
	spec, err := contract.New(p)
	if err != nil {
		return nil, fmt.Errorf("binance: symbol %s: %w", s.Symbol, err)
	}
	return spec, nil
}
