package bitmex_test

import (
	"errors"
	"fmt"

	"github.com/cockroachdb/apd/v3"
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

func ExampleUnit() {
	for _, code := range []string{"XBt", "USDt", "XBT"} {
		name, minor, err := bitmex.Unit(code)
		if err != nil {
			fmt.Println(code, err)
			continue
		}
		fmt.Println(code, "counts", name, "in units of", minor.Text('f'))
	}
	// Output:
	// XBt counts XBT in units of 0.00000001
	// USDt counts USDT in units of 0.000001
	// XBT bitmex: unknown currency
}

// instrumentRows is a trimmed GET /api/v1/instrument response: an inverse, a
// linear and a quanto perpetual.
var instrumentRows = []byte(`[
{"symbol":"XBTUSD","typ":"FFWCSX","state":"Open","quoteCurrency":"USD","settlCurrency":"XBt",
 "isInverse":true,"isQuanto":false,"multiplier":-100000000,"underlyingToSettleMultiplier":-100000000,
 "tickSize":0.1,"lotSize":100,"maxPrice":1000000,"initMargin":0.01,"maintMargin":0.005,
 "riskLimit":20000000000,"riskStep":15000000000,"makerFee":0.0005,"takerFee":0.0005},
{"symbol":"XBTUSDT","typ":"FFWCSX","state":"Open","quoteCurrency":"USDT","settlCurrency":"USDt",
 "isInverse":false,"isQuanto":false,"multiplier":1,"quoteToSettleMultiplier":1000000,
 "tickSize":0.5,"lotSize":1000,"maxPrice":10000000,"makerFee":-0.0001,"takerFee":0.0005},
{"symbol":"ETHUSD","typ":"FFWCSX","state":"Open","quoteCurrency":"USD","settlCurrency":"XBt",
 "isInverse":false,"isQuanto":true,"multiplier":100,
 "tickSize":0.05,"lotSize":1,"maxPrice":100000,"makerFee":-0.0001,"takerFee":0.0005}]`)

func ExampleInstrument_Kind() {
	ins, err := bitmex.DecodeInstruments(instrumentRows)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := range ins {
		fmt.Println(ins[i].Symbol, ins[i].Kind())
	}
	// Output:
	// XBTUSD Inverse
	// XBTUSDT Linear
	// ETHUSD Quanto
}

func ExampleInstrument_Spec() {
	ins, err := bitmex.DecodeInstruments(instrumentRows)
	if err != nil {
		fmt.Println(err)
		return
	}
	// BitMEX's multipliers are in minor units (XBt, USDt); Spec's are in
	// the major unit, with Minor kept for rounding.
	for i := range ins[1:] {
		in := &ins[1+i]
		s, err := in.Spec()
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(s.Symbol, s.Kind, s.Settle, "m =", s.Multiplier.Text('f'), "minor", s.Minor.Text('f'), "maker", s.Maker.String())
	}
	// Output:
	// XBTUSDT Linear USDT m = 0.000001 minor 0.000001 maker -0.0001
	// ETHUSD Quanto XBT m = 0.000001 minor 0.00000001 maker -0.0001
}

func ExampleInstrument_Steps() {
	ins, err := bitmex.DecodeInstruments(instrumentRows)
	if err != nil {
		fmt.Println(err)
		return
	}
	st, err := ins[0].Steps()
	if err != nil {
		fmt.Println(err)
		return
	}
	// A 300 XBT position is one 150 XBT step above the 200 XBT base risk
	// limit: both rates rise by the base maintenance rate once.
	ctx := apd.BaseContext.WithPrecision(34)
	var mmr, imr apd.Decimal
	value := apd.New(300, 0)
	if err := st.MMR(ctx, &mmr, value); err != nil {
		fmt.Println(err)
		return
	}
	if err := st.IMR(ctx, &imr, value); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("base", st.BaseRiskLimit.String(), "XBT, step", st.Step.String(), "XBT")
	fmt.Println("at 300 XBT: MMR", mmr.String(), "IMR", imr.String())
	// Output:
	// base 200 XBT, step 150 XBT
	// at 300 XBT: MMR 0.010 IMR 0.015
}

func ExampleMargin_Wallet() {
	// GET /api/v1/user/margin?currency=all: one row per currency, in
	// minor units.
	data := []byte(`[
	{"account":215305,"currency":"XBt","amount":1418963,"walletBalance":1418963,"marginBalance":1418963,
	 "realisedPnl":0,"unrealisedPnl":0,"initMargin":0,"maintMargin":0,"availableMargin":1418963},
	{"account":215305,"currency":"USDt","amount":99999981385,"walletBalance":99999981385,
	 "marginBalance":99999981385,"realisedPnl":0,"unrealisedPnl":0,"initMargin":0,"maintMargin":0,
	 "availableMargin":99999981385}]`)
	ms, err := bitmex.DecodeMargins(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := range ms {
		var w apd.Decimal
		name, err := ms[i].Wallet(&w)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(ms[i].Currency, ms[i].WalletBalance.String(), "=", w.String(), name)
	}
	// Output:
	// XBt 1418963 = 0.01418963 XBT
	// USDt 99999981385 = 99999.981385 USDT
}

func ExamplePosition_Position() {
	// A 1x cross short on the inverse contract cannot be liquidated:
	// BitMEX writes 100000000 as its liquidation and bankruptcy prices.
	data := []byte(`[{"symbol":"XBTUSD","currency":"XBt","currentQty":-1000,"crossMargin":true,
	 "leverage":100,"avgEntryPrice":60000,"markPrice":60100,"commission":0.00075,
	 "initMarginReq":0.01,"maintMarginReq":0.005,"posCost":1666667,"posInit":16667,"posComm":1263,
	 "posCross":0,"posLoss":0,"posMargin":17930,"posMaint":9597,"unrealisedPnl":-2773,
	 "liquidationPrice":100000000,"bankruptPrice":100000000}]`)
	open, _, err := bitmex.DecodePositions(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := open[0].Position(nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Symbol, p.Side, p.Mode, p.Qty.String(), "@", p.Entry.String(), "margin", p.Margin.String())
	fmt.Println("liquidation", p.Liquidation.String(), "bankruptcy", p.Bankruptcy.String())

	// The instrument passed must be the position's.
	ins, _ := bitmex.DecodeInstruments(instrumentRows)
	_, err = open[0].Position(&ins[2])
	fmt.Println(err)
	// Output:
	// XBTUSD OneWay Cross -1000 @ 60000 margin 0
	// liquidation null bankruptcy null
	// bitmex: position: venue: row 0 (XBTUSD): symbol: venue: invalid value
}
