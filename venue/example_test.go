package venue_test

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/cockroachdb/apd/v3"
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

func ExampleDecimal_UnmarshalJSON() {
	// A number, a string and "" all read exactly; a float64 would turn
	// 0.1 into 0.1000000000000000055511151231257827.
	for _, in := range []string{`0.1`, `"2.50"`, `""`, `null`, `"1e-8"`, `"+1"`, `true`} {
		var d venue.Decimal
		err := d.UnmarshalJSON([]byte(in))
		fmt.Println(in, "->", d.String(), d.Valid, err)
	}
	// Output:
	// 0.1 -> 0.1 true <nil>
	// "2.50" -> 2.50 true <nil>
	// "" -> null false <nil>
	// null -> null false <nil>
	// "1e-8" -> 1E-8 true <nil>
	// "+1" -> null false venue: not a valid number
	// true -> null false venue: wrong JSON type
}

func ExampleDecimal_MarshalJSON() {
	// Numbers are written in their own spelling, unset values as null, so
	// that a decoded payload can be logged or stored and read back as is.
	var v struct {
		Price venue.Decimal `json:"price"`
		Fee   venue.Decimal `json:"fee"`
		Liq   venue.Decimal `json:"liq"`
	}
	_ = json.Unmarshal([]byte(`{"price":"42976.60","fee":"1e-8","liq":""}`), &v)
	b, err := json.Marshal(&v)
	fmt.Println(string(b), err)
	// Output:
	// {"price":42976.60,"fee":1E-8,"liq":null} <nil>
}

func ExampleDecimal_Equal() {
	var a, b, unset venue.Decimal
	_ = a.UnmarshalJSON([]byte(`"2.50"`))
	_ = b.UnmarshalJSON([]byte(`2.5`))
	_ = unset.UnmarshalJSON([]byte(`""`))
	var zero venue.Decimal
	_ = zero.UnmarshalJSON([]byte(`"0"`))
	fmt.Println(a.Equal(&b), unset.Equal(&venue.Decimal{}), zero.Equal(&unset))
	// Output:
	// true true false
}

func ExampleDecimal_String() {
	var d venue.Decimal
	_ = d.UnmarshalJSON([]byte(`"0.00009433"`))
	fmt.Println(d.String())
	_ = d.UnmarshalJSON([]byte(`null`))
	fmt.Println(d.String())
	// Output:
	// 0.00009433
	// null
}

func ExampleRow_String() {
	fmt.Println(venue.Row{Index: 2, Key: "XBTUSD"})
	fmt.Println(venue.Row{Index: 0})
	fmt.Println(venue.Row{Index: -1, Key: "BTCUSDT"})
	// Output:
	// row 2 (XBTUSD)
	// row 0
	// BTCUSDT
}

func ExampleFieldError_Error() {
	fmt.Println(&venue.FieldError{Row: venue.Row{Index: 1, Key: "BTCUSDT"}, Field: "filters[0].tickSize", Err: venue.ErrNumber})
	// A row that is not an object has no field.
	fmt.Println(&venue.FieldError{Row: venue.Row{Index: 3}, Err: venue.ErrType})
	// Output:
	// venue: row 1 (BTCUSDT): filters[0].tickSize: venue: not a valid number
	// venue: row 3: venue: wrong JSON type
}

func ExampleFieldError_Unwrap() {
	// A decoder's error wraps a *FieldError, which wraps the sentinel:
	// errors.As finds the row and field, errors.Is the kind of fault.
	var v struct {
		Qty venue.Decimal `json:"size"`
	}
	err := json.Unmarshal([]byte(`{"size":"NaN"}`), &v)
	err = fmt.Errorf("bybit: positions: %w",
		&venue.FieldError{Row: venue.Row{Index: 0, Key: "BTCUSDT"}, Field: "size", Err: err})

	var fe *venue.FieldError
	fmt.Println(errors.As(err, &fe), fe.Field)
	fmt.Println(errors.Is(err, venue.ErrNumber), errors.Is(err, venue.ErrMissing))
	fmt.Println(errors.Is(fe.Unwrap(), venue.ErrNumber))
	// Output:
	// true size
	// true false
	// true
}

func ExampleMarginMode_String() {
	fmt.Println(venue.Isolated, venue.Cross, venue.MarginMode(0))
	// Output:
	// Isolated Cross MarginMode(0)
}

func ExamplePositionSide_String() {
	fmt.Println(venue.OneWay, venue.Long, venue.Short, venue.PositionSide(0))
	// Output:
	// OneWay Long Short PositionSide(0)
}

func ExamplePosition_Equal() {
	// The same position read twice, the second time with other spellings.
	p := venue.Position{Symbol: "BTCUSDT", Side: venue.Short, Mode: venue.Cross}
	p.Qty.Set(apd.New(-3, -3))       // -0.003
	p.Entry.Set(apd.New(429766, -1)) // 42976.6
	q := venue.Position{Symbol: "BTCUSDT", Side: venue.Short, Mode: venue.Cross}
	q.Qty.Set(apd.New(-30, -4))       // -0.0030
	q.Entry.Set(apd.New(4297660, -2)) // 42976.60
	fmt.Println(p.Equal(&q))

	// An exchange that reports no liquidation price differs from one
	// that does.
	_ = q.Liquidation.UnmarshalJSON([]byte(`"48303.07832462"`))
	fmt.Println(p.Equal(&q))
	// Output:
	// true
	// false
}

func ExampleAppendComparison() {
	// BitMEX reports a liquidation price to 0.5; derivmath finds 13372.
	var exchange, ours venue.Decimal
	_ = exchange.UnmarshalJSON([]byte(`13370.5`))
	_ = ours.UnmarshalJSON([]byte(`"13372"`))
	cs := venue.AppendComparison(nil, "XBTUSD", venue.OneWay, "liquidationPrice", &exchange, &ours, apd.New(5, -1))

	// Binance's wallet balance agrees within its last digit (nil tol).
	_ = exchange.UnmarshalJSON([]byte(`"23.72469206"`))
	_ = ours.UnmarshalJSON([]byte(`"23.724692064"`))
	cs = venue.AppendComparison(cs, "USDT", 0, "walletBalance", &exchange, &ours, nil)

	for i := range cs {
		c := &cs[i]
		fmt.Println(c.Field, c.Diff.String(), c.Tolerance.String(), c.Agree)
	}
	// Output:
	// liquidationPrice 1.5 0.5 false
	// walletBalance 4E-9 1E-8 true
}

func ExampleComparison_String() {
	var exchange, ours venue.Decimal
	_ = exchange.UnmarshalJSON([]byte(`13370.5`))
	_ = ours.UnmarshalJSON([]byte(`"13372"`))
	cs := venue.AppendComparison(nil, "XBTUSD", venue.OneWay, "liquidationPrice", &exchange, &ours, nil)
	cs = venue.AppendComparison(cs, "XBTUSD", venue.OneWay, "bankruptPrice", nil, nil, nil)
	cs = venue.AppendComparison(cs, "BTCUSDT", venue.Short, "liquidationPrice", nil, &ours, nil)
	for i := range cs {
		fmt.Println(cs[i].String())
	}
	// Output:
	// XBTUSD OneWay liquidationPrice: the exchange says 13370.5, derivmath says 13372 (differ by 1.5)
	// XBTUSD OneWay bankruptPrice: the exchange says none, derivmath says none (agree)
	// BTCUSDT Short liquidationPrice: the exchange says none, derivmath says 13372 (differ)
}
