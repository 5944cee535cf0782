package bybit_test

import (
	"errors"
	"fmt"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/venue"
	"github.com/derivmath/derivmath/venue/bybit"
)

func ExampleDecodeInstruments() {
	data := []byte(`{"retCode":0,"retMsg":"OK","result":{"category":"inverse","list":[
	{"symbol":"BTCUSD","contractType":"InversePerpetual","status":"Trading","baseCoin":"BTC",
	 "quoteCoin":"USD","settleCoin":"BTC","deliveryTime":"0","deliveryFeeRate":"",
	 "leverageFilter":{"minLeverage":"1","maxLeverage":"100.00","leverageStep":"0.01"},
	 "priceFilter":{"minPrice":"0.10","maxPrice":"1999999.80","tickSize":"0.10"},
	 "lotSizeFilter":{"maxOrderQty":"25000000","minOrderQty":"1","qtyStep":"1"},
	 "fundingInterval":480}]},"retExtInfo":{},"time":1700000000000}`)
	ins, err := bybit.DecodeInstruments(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	s, err := ins[0].Spec()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(ins[0].Symbol, ins[0].FundingInterval, ins[0].DeliveryFeeRate.Valid)
	fmt.Println(s.Kind, s.Settle, "m =", s.Multiplier.String(), "USD, tick", s.Tick.String(), "lot", s.Lot.String())
	// Output:
	// BTCUSD 8h0m0s false
	// Inverse BTC m = 1 USD, tick 0.10 lot 1
}

func ExampleDecodePositions() {
	// A websocket hedge-mode pair: the empty sell leg is reported as flat.
	data := []byte(`{"topic":"position","data":[
	{"category":"linear","symbol":"BTCUSDT","positionIdx":1,"side":"Buy","size":"0.02",
	 "entryPrice":"42182.55","markPrice":"42056.10","leverage":"1","positionValue":"843.651",
	 "positionBalance":"846.18","liqPrice":"","bustPrice":"0.10"},
	{"category":"linear","symbol":"BTCUSDT","positionIdx":2,"side":"None","size":"0",
	 "entryPrice":"0","markPrice":"42056.10","leverage":"1","positionValue":"0"}]}`)
	open, flat, err := bybit.DecodePositions(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(open), "open; flat:", flat)
	// The margin mode comes from /v5/account/info in unified accounts.
	p, _ := open[0].Position(nil, venue.Isolated)
	fmt.Println(p.Symbol, p.Side, p.Mode, p.Qty.String(), "@", p.Entry.String(), "margin", p.Margin.String())
	fmt.Println("liquidation reported:", p.Liquidation.Valid)

	// A refused request is an *APIError.
	_, _, err = bybit.DecodePositions([]byte(`{"retCode":10001,"retMsg":"params error","result":{}}`))
	var ae *bybit.APIError
	fmt.Println(errors.As(err, &ae), ae.Code)
	// Output:
	// 1 open; flat: [row 1 (BTCUSDT)]
	// BTCUSDT Long Isolated 0.02 @ 42182.55 margin 846.18
	// liquidation reported: false
	// true 10001
}

func ExampleDecodeWalletBalance() {
	// A classic CONTRACT account: every account-level total is "".
	data := []byte(`{"retCode":0,"retMsg":"OK","result":{"list":[{"accountType":"CONTRACT",
	 "totalEquity":"","totalWalletBalance":"","coin":[{"coin":"USDT","equity":"100.0954887",
	 "walletBalance":"100.0954887","usdValue":"","unrealisedPnl":"0"}]}]}}`)
	ws, err := bybit.DecodeWalletBalance(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	w := &ws[0]
	fmt.Println(w.AccountType, w.TotalEquity.String(), w.Coins[0].Coin, w.Coins[0].WalletBalance.String())
	// Output:
	// CONTRACT null USDT 100.0954887
}

func ExampleDecodeRiskLimits() {
	data := []byte(`{"retCode":0,"retMsg":"OK","result":{"category":"linear","list":[
	{"id":1,"symbol":"BTCUSDT","riskLimitValue":"300000","maintenanceMargin":"0.0033",
	 "initialMargin":"0.0066","isLowestRisk":1,"maxLeverage":"150.00","mmDeduction":""},
	{"id":2,"symbol":"BTCUSDT","riskLimitValue":"2000000","maintenanceMargin":"0.005",
	 "initialMargin":"0.01","isLowestRisk":0,"maxLeverage":"100.00","mmDeduction":"510"}]}}`)
	rs, err := bybit.DecodeRiskLimits(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	tiers, err := bybit.Tiers(rs, "BTCUSDT")
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := 0; i < tiers.Len(); i++ {
		t := tiers.At(i)
		fmt.Println(t.Floor.String(), t.MMR.String(), t.Cum.String(), t.MaxLeverage.String())
	}
	fmt.Println("limit", tiers.Limit().String())
	// Output:
	// 0 0.0033 0 150.00
	// 300000 0.005 510 100.00
	// limit 2000000
}

func ExampleDecodeTickers() {
	data := []byte(`{"retCode":0,"retMsg":"OK","result":{"category":"inverse","list":[
	{"symbol":"BTCUSD","lastPrice":"120635.50","indexPrice":"114890.92","markPrice":"114898.43",
	 "fundingRate":"0.0001","nextFundingTime":"1760371200000","fundingIntervalHour":"8",
	 "fundingCap":"0.005","basis":"","deliveryTime":"0"}]}}`)
	ts, err := bybit.DecodeTickers(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	k := &ts[0]
	fmt.Println(k.Symbol, k.MarkPrice.String(), k.FundingRate.String(), k.FundingIntervalHour, k.NextFundingTime.Format("2006-01-02 15:04"), k.Basis.String())
	// Output:
	// BTCUSD 114898.43 0.0001 8 2025-10-13 16:00 null
}

func ExampleAPIError_Error() {
	// Bybit answers a refused request with HTTP 200 and a non-zero retCode.
	_, err := bybit.DecodeWalletBalance([]byte(`{"retCode":10003,"retMsg":"API key is invalid.","result":{},"retExtInfo":{},"time":1700000000000}`))
	fmt.Println(err)
	var ae *bybit.APIError
	if errors.As(err, &ae) {
		fmt.Println(ae.Code, ae.Msg)
	}
	// Output:
	// bybit: wallet-balance: bybit: retCode 10003: API key is invalid.
	// 10003 API key is invalid.
}

// linearInstruments is a trimmed GET /v5/market/instruments-info?category=linear
// response: a perpetual and a quarterly future.
var linearInstruments = []byte(`{"retCode":0,"retMsg":"OK","result":{"category":"linear","list":[
{"symbol":"BTCUSDT","contractType":"LinearPerpetual","status":"Trading","baseCoin":"BTC",
 "quoteCoin":"USDT","settleCoin":"USDT","priceScale":"2",
 "priceFilter":{"minPrice":"0.10","maxPrice":"1999999.80","tickSize":"0.10"},
 "lotSizeFilter":{"maxOrderQty":"1190.000","minOrderQty":"0.001","qtyStep":"0.001"},"fundingInterval":480},
{"symbol":"BTC-27JUN25","contractType":"LinearFutures","status":"Trading","baseCoin":"BTC",
 "quoteCoin":"USDC","settleCoin":"USDC","priceScale":"2",
 "priceFilter":{"minPrice":"0.50","maxPrice":"1999999.00","tickSize":"0.50"},
 "lotSizeFilter":{"maxOrderQty":"500.000","minOrderQty":"0.001","qtyStep":"0.001"},"fundingInterval":0}]}}`)

func ExampleInstrument_Kind() {
	ins, err := bybit.DecodeInstruments(linearInstruments)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := range ins {
		fmt.Println(ins[i].Symbol, ins[i].ContractType, ins[i].Kind())
	}
	// Output:
	// BTCUSDT LinearPerpetual Linear
	// BTC-27JUN25 LinearFutures Linear
}

func ExampleInstrument_Spec() {
	ins, err := bybit.DecodeInstruments(linearInstruments)
	if err != nil {
		fmt.Println(err)
		return
	}
	s, err := ins[0].Spec()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Symbol, s.Kind, s.Settle, "m =", s.Multiplier.String(), "tick", s.Tick.String(), "lot", s.Lot.String())
	fmt.Println(s.Source)
	// Output:
	// BTCUSDT Linear USDT m = 1 tick 0.10 lot 0.001
	// Bybit GET /v5/market/instruments-info?category=linear
}

func ExamplePosition_Position() {
	// The 2023 documentation's GET /v5/position/list row (trimmed): a
	// classic account's one-way long (tradeMode 0 is cross), with liqPrice
	// at the instrument's minPrice for "cannot be liquidated".
	data := []byte(`{"retCode":0,"retMsg":"OK","result":{"category":"linear","list":[
	{"symbol":"XRPUSDT","leverage":"10","avgPrice":"0.3615","liqPrice":"0.0001","positionValue":"36.15",
	 "markPrice":"0.3432","positionMM":"0.381021","positionIdx":0,"positionIM":"3.634521",
	 "side":"Buy","bustPrice":"","size":"100","tradeMode":0}]}}`)
	open, _, err := bybit.DecodePositions(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	ins, err := bybit.DecodeInstruments([]byte(`{"retCode":0,"retMsg":"OK","result":{"category":"linear","list":[
	{"symbol":"XRPUSDT","contractType":"LinearPerpetual","status":"Trading","settleCoin":"USDT",
	 "priceFilter":{"minPrice":"0.0001","maxPrice":"199.9998","tickSize":"0.0001"},
	 "lotSizeFilter":{"minOrderQty":"1","qtyStep":"1"}}]}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	// A zero mode takes it from tradeMode.
	p, err := open[0].Position(nil, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Symbol, p.Side, p.Mode, p.Qty.String(), "@", p.Entry.String(), "x"+p.Leverage.String())
	fmt.Println("without the instrument: liquidation", p.Liquidation.String())
	p, err = open[0].Position(&ins[0], 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("with it: liquidation", p.Liquidation.String(), "bankruptcy", p.Bankruptcy.String())
	// Output:
	// XRPUSDT OneWay Cross 100 @ 0.3615 x10
	// without the instrument: liquidation 0.0001
	// with it: liquidation null bankruptcy null
}

func ExampleTiers() {
	// One risk-limit response lists every symbol of the category.
	data := []byte(`{"retCode":0,"retMsg":"OK","result":{"category":"linear","list":[
	{"id":1,"symbol":"BTCUSDT","riskLimitValue":"2000000","maintenanceMargin":"0.005",
	 "initialMargin":"0.01","isLowestRisk":1,"maxLeverage":"100.00","mmDeduction":""},
	{"id":2,"symbol":"BTCUSDT","riskLimitValue":"4000000","maintenanceMargin":"0.01",
	 "initialMargin":"0.0175","isLowestRisk":0,"maxLeverage":"57.14","mmDeduction":"10000"},
	{"id":201,"symbol":"ETHUSDT","riskLimitValue":"1000000","maintenanceMargin":"0.005",
	 "initialMargin":"0.01","isLowestRisk":1,"maxLeverage":"100.00","mmDeduction":""}]}}`)
	rs, err := bybit.DecodeRiskLimits(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	tiers, err := bybit.Tiers(rs, "BTCUSDT")
	if err != nil {
		fmt.Println(err)
		return
	}
	// A 3000000 USDT position is in the second tier:
	// 3000000 * 0.01 - 10000.
	ctx := apd.BaseContext.WithPrecision(34)
	var mm apd.Decimal
	if err := tiers.Maintenance(ctx, &mm, apd.New(3000000, 0)); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(tiers.Len(), "tiers; maintenance margin", mm.String(), "USDT")

	_, err = bybit.Tiers(rs, "SOLUSDT")
	fmt.Println(err)
	// Output:
	// 2 tiers; maintenance margin 20000.00 USDT
	// bybit: risk-limit: venue: SOLUSDT: symbol: venue: missing field
}
