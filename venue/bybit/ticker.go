package bybit

import (
	"time"

	"github.com/derivmath/derivmath/venue"
	"github.com/derivmath/derivmath/venue/internal/object"
)

// A Ticker is a row of GET /v5/market/tickers for the linear or inverse
// category. Values are decimal strings; fields Bybit leaves "" (the basis
// and delivery fields of a perpetual, the funding fields of a future) are
// unset. For inverse symbols OpenInterest is in USD contracts and
// OpenInterestValue in the coin.
//
// A Ticker holds decimals: pass it by pointer and do not copy it after
// first use.
type Ticker struct {
	// Category is result.category.
	Category                                 string
	Symbol                                   string
	LastPrice, IndexPrice, MarkPrice         venue.Decimal
	PrevPrice24h, Price24hPcnt, HighPrice24h venue.Decimal
	LowPrice24h, PrevPrice1h                 venue.Decimal
	OpenInterest, OpenInterestValue          venue.Decimal
	Turnover24h, Volume24h                   venue.Decimal
	Bid1Price, Bid1Size, Ask1Price, Ask1Size venue.Decimal
	// FundingRate is the rate of the current interval (a fraction);
	// FundingCap bounds it.
	FundingRate, FundingCap venue.Decimal
	// NextFundingTime is zero when Bybit sends "" or "0".
	NextFundingTime time.Time
	// FundingIntervalHour is the funding interval in hours ("8"); 0 when
	// absent.
	FundingIntervalHour                                     int64
	PredictedDeliveryPrice, Basis, BasisRate, BasisRateYear venue.Decimal
	DeliveryFeeRate                                         venue.Decimal
	DeliveryTime                                            time.Time
}

// DecodeTickers decodes a GET /v5/market/tickers response for the linear
// or inverse category. Unknown fields are ignored.
//
// Required: the envelope's retCode and result.list; in every row symbol,
// lastPrice, markPrice and indexPrice.
//
// Errors: [*APIError] when retCode is not 0, encoding/json's
// *json.SyntaxError for malformed JSON, otherwise a wrapped
// [*venue.FieldError] naming the row and the field.
func DecodeTickers(data []byte) ([]Ticker, error) {
	category, rows, err := result(data, false)
	if err != nil {
		return nil, wrap("tickers", err)
	}
	const req, opt = object.Required, object.Optional
	out := make([]Ticker, len(rows))
	for i, raw := range rows {
		o := object.New(raw, venue.Row{Index: i})
		t := &out[i]
		t.Category = category
		t.Symbol = o.String("symbol", req)
		o.SetKey(t.Symbol)
		for _, f := range [...]struct {
			name string
			d    *venue.Decimal
			need object.Need
		}{
			{"lastPrice", &t.LastPrice, req},
			{"indexPrice", &t.IndexPrice, req},
			{"markPrice", &t.MarkPrice, req},
			{"prevPrice24h", &t.PrevPrice24h, opt},
			{"price24hPcnt", &t.Price24hPcnt, opt},
			{"highPrice24h", &t.HighPrice24h, opt},
			{"lowPrice24h", &t.LowPrice24h, opt},
			{"prevPrice1h", &t.PrevPrice1h, opt},
			{"openInterest", &t.OpenInterest, opt},
			{"openInterestValue", &t.OpenInterestValue, opt},
			{"turnover24h", &t.Turnover24h, opt},
			{"volume24h", &t.Volume24h, opt},
			{"bid1Price", &t.Bid1Price, opt},
			{"bid1Size", &t.Bid1Size, opt},
			{"ask1Price", &t.Ask1Price, opt},
			{"ask1Size", &t.Ask1Size, opt},
			{"fundingRate", &t.FundingRate, opt},
			{"fundingCap", &t.FundingCap, opt},
			{"predictedDeliveryPrice", &t.PredictedDeliveryPrice, opt},
			{"basis", &t.Basis, opt},
			{"basisRate", &t.BasisRate, opt},
			{"basisRateYear", &t.BasisRateYear, opt},
			{"deliveryFeeRate", &t.DeliveryFeeRate, opt},
		} {
			o.Decimal(f.name, f.d, f.need)
		}
		t.NextFundingTime = o.Millis("nextFundingTime", opt)
		t.DeliveryTime = o.Millis("deliveryTime", opt)
		h, ok := o.Int("fundingIntervalHour", opt)
		if ok && (h < 0 || h > 24*7) {
			o.Fail("fundingIntervalHour", venue.ErrValue)
		}
		t.FundingIntervalHour = h
		if err := o.Err(); err != nil {
			return nil, wrap("tickers", err)
		}
	}
	return out, nil
}
