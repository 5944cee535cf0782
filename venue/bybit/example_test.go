package bybit_test

import (
	"errors"
	"fmt"

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
