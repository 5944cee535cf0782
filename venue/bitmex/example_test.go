package bitmex_test

import (
	"errors"
	"fmt"

	"github.com/derivmath/derivmath/venue"
	"github.com/derivmath/derivmath/venue/bitmex"
)

func ExampleDecodeInstruments() {
	// A trimmed row of GET /api/v1/instrument: BitMEX's inverse perpetual.
	data := []byte(`[{"symbol":"XBTUSD","typ":"FFWCSX","state":"Open","underlying":"XBT",
		"quoteCurrency":"USD","settlCurrency":"XBt","isInverse":true,"isQuanto":false,
		"multiplier":-100000000,"underlyingToSettleMultiplier":-100000000,
		"tickSize":0.1,"lotSize":100,"maxPrice":1000000,"initMargin":0.01,"maintMargin":0.005,
		"riskLimit":20000000000,"riskStep":15000000000,"makerFee":0.0005,"takerFee":0.0005,
		"fundingInterval":"2000-01-01T08:00:00.000Z"}]`)
	ins, err := bitmex.DecodeInstruments(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	in := &ins[0]
	fmt.Println(in.Symbol, in.Multiplier.String(), in.FundingInterval)

	s, err := in.Spec()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Kind, s.Settle, "m =", s.Multiplier.String(), "tick", s.Tick.String(), "lot", s.Lot.String(), "minor", s.Minor.String())

	st, _ := in.Steps()
	fmt.Println("risk limit", st.BaseRiskLimit.String(), "XBT, step", st.Step.String(), "XBT")
	// Output:
	// XBTUSD -100000000 8h0m0s
	// Inverse XBT m = 1 tick 0.1 lot 100 minor 1E-8
	// risk limit 200 XBT, step 150 XBT
}

func ExampleDecodePositions() {
	// An isolated 5x short and a closed position, as GET /api/v1/position
	// reports them (trimmed).
	data := []byte(`[
	{"symbol":"XBTUSD","currency":"XBt","currentQty":-2000,"crossMargin":false,"leverage":5,
	 "avgEntryPrice":10713.5,"markPrice":10567.6,"commission":0.00075,"initMarginReq":0.2,
	 "maintMarginReq":0.005,"posCost":18668000,"posInit":3733600,"posComm":16855,"posCross":71429,
	 "posLoss":0,"posMargin":3821884,"posMaint":110195,"unrealisedPnl":258000,
	 "liquidationPrice":13370.5,"bankruptPrice":13455},
	{"symbol":"ETHUSD","currency":"XBt","currentQty":0,"avgEntryPrice":null,"liquidationPrice":null}]`)
	open, flat, err := bitmex.DecodePositions(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(open), "open; flat:", flat)

	p, err := open[0].Position(nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Symbol, p.Mode, p.Qty.String(), "@", p.Entry.String(), "margin", p.Margin.String(), "XBT")
	fmt.Println("BitMEX says: liquidation", p.Liquidation.String(), "bankruptcy", p.Bankruptcy.String())

	// A missing required field names the row and the field.
	_, _, err = bitmex.DecodePositions([]byte(`[{"symbol":"XBTUSD","currency":"XBt","currentQty":1,"crossMargin":true}]`))
	var fe *venue.FieldError
	fmt.Println(errors.As(err, &fe), fe.Row, fe.Field)
	// Output:
	// 1 open; flat: [row 1 (ETHUSD)]
	// XBTUSD Isolated -2000 @ 10713.5 margin 0.03821884 XBT
	// BitMEX says: liquidation 13370.5 bankruptcy 13455
	// true row 0 (XBTUSD) avgEntryPrice
}

func ExampleDecodeMargins() {
	// GET /api/v1/user/margin without ?currency= returns one object.
	data := []byte(`{"account":215305,"currency":"XBt","amount":202,"realisedPnl":0,
		"unrealisedPnl":0,"walletBalance":202,"marginBalance":202,"initMargin":0,
		"maintMargin":0,"availableMargin":202,"timestamp":"2024-09-27T05:43:39.607Z"}`)
	ms, err := bitmex.DecodeMargins(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	w := new(venue.Decimal)
	name, _ := ms[0].Wallet(&w.Decimal)
	fmt.Println(ms[0].Currency, ms[0].WalletBalance.String(), "=", w.Decimal.String(), name)
	// Output:
	// XBt 202 = 0.00000202 XBT
}

func ExampleMajor() {
	z := new(venue.Decimal)
	z.SetInt64(99999981385)
	_ = bitmex.Major(&z.Decimal, &z.Decimal, "USDt")
	fmt.Println(z.Decimal.String(), "USDT")
	// Output:
	// 99999.981385 USDT
}
