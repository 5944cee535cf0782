package binance

import (
	"fmt"
	"time"

	"github.com/derivmath/derivmath/venue"
	"github.com/derivmath/derivmath/venue/internal/object"
)

// A PremiumIndex is a row of GET /fapi/v1/premiumIndex (USD-M) or GET
// /dapi/v1/premiumIndex (COIN-M): mark and index prices and the funding
// rate of the current interval.
//
// A PremiumIndex holds decimals: pass it by pointer and do not copy it
// after first use.
type PremiumIndex struct {
	// Symbol; Pair is COIN-M only.
	Symbol, Pair                                string
	MarkPrice, IndexPrice, EstimatedSettlePrice venue.Decimal
	// LastFundingRate (a fraction per interval) and InterestRate are
	// unset on delivery contracts, which send "".
	LastFundingRate, InterestRate venue.Decimal
	// NextFundingTime is zero on delivery contracts (Binance sends 0).
	NextFundingTime, Time time.Time
}

// DecodePremiumIndex decodes a premiumIndex response: one object (with
// ?symbol=) or an array. Unknown fields are ignored.
//
// Required: symbol, markPrice and indexPrice.
//
// Errors: encoding/json's *json.SyntaxError for malformed JSON, otherwise a
// wrapped [*venue.FieldError] naming the row and the field.
func DecodePremiumIndex(data []byte) ([]PremiumIndex, error) {
	rows, err := object.Rows(data)
	if err != nil {
		return nil, fmt.Errorf("binance: premiumIndex: %w", err)
	}
	const req, opt = object.Required, object.Optional
	out := make([]PremiumIndex, len(rows))
	for i, raw := range rows {
		o := object.New(raw, venue.Row{Index: i})
		p := &out[i]
		p.Symbol = o.String("symbol", req)
		o.SetKey(p.Symbol)
		p.Pair = o.String("pair", opt)
		o.Decimal("markPrice", &p.MarkPrice, req)
		o.Decimal("indexPrice", &p.IndexPrice, req)
		o.Decimal("estimatedSettlePrice", &p.EstimatedSettlePrice, opt)
		o.Decimal("lastFundingRate", &p.LastFundingRate, opt)
		o.Decimal("interestRate", &p.InterestRate, opt)
		p.NextFundingTime = o.Millis("nextFundingTime", opt)
		p.Time = o.Millis("time", opt)
		if err := o.Err(); err != nil {
			return nil, fmt.Errorf("binance: premiumIndex: %w", err)
		}
	}
	return out, nil
}

// A FundingInfo is a row of GET /fapi/v1/fundingInfo: the funding terms
// of a symbol whose cap, floor or interval Binance adjusted (symbols not
// listed keep the defaults).
//
// A FundingInfo holds decimals: pass it by pointer and do not copy it after
// first use.
type FundingInfo struct {
	Symbol string
	// AdjustedFundingRateCap and AdjustedFundingRateFloor bound the rate
	// of one interval (fractions).
	AdjustedFundingRateCap, AdjustedFundingRateFloor venue.Decimal
	// FundingIntervalHours is the funding interval in hours: one that
	// divides 24 (1, 2, 3, 4, 6, 8, 12 or 24), as funding.RateBinance
	// requires. Binance uses 1, 4 or 8 hours. How the rate for N hours
	// follows from the 8-hour formula (N/8 of the whole rate, or of its
	// interest and clamp) is unconfirmed: funding.Scaling.
	FundingIntervalHours int64
}

// Interval returns the funding interval.
func (f *FundingInfo) Interval() time.Duration {
	return time.Duration(f.FundingIntervalHours) * time.Hour
}

// DecodeFundingInfo decodes a fundingInfo response, an array of rows (a
// single object is accepted too). The disclaimer and unknown fields are
// ignored.
//
// Required: symbol, adjustedFundingRateCap, adjustedFundingRateFloor (not
// above the cap) and fundingIntervalHours (1, 2, 3, 4, 6, 8, 12 or 24: a
// divisor of 24, so that [FundingInfo.Interval] is an interval
// funding.RateBinance accepts; Binance uses 1, 4 or 8).
//
// Errors: encoding/json's *json.SyntaxError for malformed JSON, otherwise a
// wrapped [*venue.FieldError] naming the row and the field.
func DecodeFundingInfo(data []byte) ([]FundingInfo, error) {
	rows, err := object.Rows(data)
	if err != nil {
		return nil, fmt.Errorf("binance: fundingInfo: %w", err)
	}
	const req = object.Required
	out := make([]FundingInfo, len(rows))
	for i, raw := range rows {
		o := object.New(raw, venue.Row{Index: i})
		f := &out[i]
		f.Symbol = o.String("symbol", req)
		o.SetKey(f.Symbol)
		o.Decimal("adjustedFundingRateCap", &f.AdjustedFundingRateCap, req)
		o.Decimal("adjustedFundingRateFloor", &f.AdjustedFundingRateFloor, req)
		h, ok := o.Int("fundingIntervalHours", req)
		if ok && (h < 1 || h > 24 || 24%h != 0) {
			o.Fail("fundingIntervalHours", venue.ErrValue)
		}
		f.FundingIntervalHours = h
		if o.Err() == nil && f.AdjustedFundingRateFloor.Cmp(&f.AdjustedFundingRateCap.Decimal) > 0 {
			o.Fail("adjustedFundingRateFloor", venue.ErrValue)
		}
		if err := o.Err(); err != nil {
			return nil, fmt.Errorf("binance: fundingInfo: %w", err)
		}
	}
	return out, nil
}
