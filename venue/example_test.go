package venue_test

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/derivmath/derivmath/venue"
)

func ExampleDecimal() {
	// Binance sends leverage brackets as JSON numbers and positions as
	// strings; Bybit writes "no value" as "". All read exactly.
	var v struct {
		MMR      venue.Decimal `json:"maintMarginRatio"`
		Amt      venue.Decimal `json:"positionAmt"`
		LiqPrice venue.Decimal `json:"liqPrice"`
	}
	err := json.Unmarshal([]byte(`{"maintMarginRatio":0.0065,"positionAmt":"-0.003","liqPrice":""}`), &v)
	fmt.Println(err)
	fmt.Println(v.MMR.String(), v.Amt.String(), v.LiqPrice.Valid)

	err = json.Unmarshal([]byte(`{"positionAmt":"NaN"}`), &v)
	fmt.Println(errors.Is(err, venue.ErrNumber))
	// Output:
	// <nil>
	// 0.0065 -0.003 false
	// true
}

func ExampleFieldError() {
	err := fmt.Errorf("bitmex: positions: %w",
		&venue.FieldError{Row: venue.Row{Index: 2, Key: "XBTUSD"}, Field: "avgEntryPrice", Err: venue.ErrMissing})
	var fe *venue.FieldError
	if errors.As(err, &fe) {
		fmt.Println(fe.Row.Index, fe.Row.Key, fe.Field, errors.Is(err, venue.ErrMissing))
	}
	fmt.Println(err)
	// Output:
	// 2 XBTUSD avgEntryPrice true
	// bitmex: positions: venue: row 2 (XBTUSD): avgEntryPrice: venue: missing field
}
