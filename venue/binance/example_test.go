package binance_test

import (
	"fmt"

	"github.com/derivmath/derivmath/venue/binance"
)

func ExampleDecodeSymbols() {
	// One element of symbols[] in GET /dapi/v1/exchangeInfo (trimmed).
	data := []byte(`{"symbol":"BTCUSD_PERP","pair":"BTCUSD","contractType":"PERPETUAL",
		"contractStatus":"TRADING","contractSize":100,"marginAsset":"BTC","liquidationFee":"0.015000",
		"filters":[{"minPrice":"1000","maxPrice":"4520958","filterType":"PRICE_FILTER","tickSize":"0.1"},
		{"stepSize":"1","filterType":"LOT_SIZE","maxQty":"1000000","minQty":"1"}]}`)
	ss, err := binance.DecodeSymbols(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	s := &ss[0]
	spec, err := s.Spec()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Symbol, s.Market, "liquidation fee", s.LiquidationFee.String())
	fmt.Println(spec.Kind, spec.Settle, "m =", spec.Multiplier.String(), "USD, tick", spec.Tick.String(), "lot", spec.Lot.String())
	// Output:
	// BTCUSD_PERP COINM liquidation fee 0.015000
	// Inverse BTC m = 100 USD, tick 0.1 lot 1
}

func ExampleDecodePositionRisk() {
	// GET /fapi/v2/positionRisk always lists flat rows; a hedge-mode SHORT
	// row carries a negative positionAmt.
	data := []byte(`[
	{"symbol":"BTCUSDT","positionAmt":"0.000","entryPrice":"0.00000","markPrice":"6679.50671178",
	 "unRealizedProfit":"0.00000000","liquidationPrice":"0","leverage":"10","marginType":"isolated",
	 "isolatedMargin":"0.00000000","isAutoAddMargin":"false","positionSide":"BOTH","notional":"0",
	 "isolatedWallet":"0","updateTime":0},
	{"symbol":"BTCUSDT","positionAmt":"-0.003","entryPrice":"42976.6","markPrice":"42832.79591057",
	 "unRealizedProfit":"0.43141226","liquidationPrice":"48303.07832462","leverage":"20",
	 "marginType":"cross","isolatedMargin":"0.00000000","isAutoAddMargin":"false","positionSide":"SHORT",
	 "notional":"-128.49838773","isolatedWallet":"0","updateTime":1704362904896}]`)
	open, flat, err := binance.DecodePositionRisk(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(open), "open; flat:", flat)
	p, _ := open[0].Position()
	fmt.Println(p.Symbol, p.Side, p.Mode, p.Qty.String(), "@", p.Entry.String(), "x"+p.Leverage.String())
	fmt.Println("Binance says: liquidation", p.Liquidation.String())
	// Output:
	// 1 open; flat: [row 0 (BTCUSDT)]
	// BTCUSDT Short Cross -0.003 @ 42976.6 x20
	// Binance says: liquidation 48303.07832462
}

func ExampleDecodeBrackets() {
	// GET /fapi/v1/leverageBracket: every value is a JSON number.
	data := []byte(`[{"symbol":"BTCUSDT","brackets":[
	{"bracket":1,"initialLeverage":125,"notionalCap":50000,"notionalFloor":0,"maintMarginRatio":0.004,"cum":0.0},
	{"bracket":2,"initialLeverage":100,"notionalCap":600000,"notionalFloor":50000,"maintMarginRatio":0.005,"cum":50.0}]}]`)
	bs, err := binance.DecodeBrackets(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	tiers, err := bs[0].Tiers()
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := 0; i < tiers.Len(); i++ {
		t := tiers.At(i)
		fmt.Println(t.Floor.String(), t.MMR.String(), t.Cum.String(), t.MaxLeverage.String())
	}
	fmt.Println("limit", tiers.Limit().String())

	// A cum that breaks the recurrence is reported with its bracket.
	bad := []byte(`[{"symbol":"BTCUSDT","brackets":[
	{"bracket":1,"initialLeverage":125,"notionalCap":50000,"notionalFloor":0,"maintMarginRatio":0.004,"cum":0.0},
	{"bracket":2,"initialLeverage":100,"notionalCap":600000,"notionalFloor":50000,"maintMarginRatio":0.005,"cum":49.0}]}]`)
	bs, _ = binance.DecodeBrackets(bad)
	_, err = bs[0].Tiers()
	fmt.Println(err)
	// Output:
	// 0 0.004 0.0 125
	// 50000 0.005 50.0 100
	// limit 600000
	// binance: leverageBracket: venue: row 0 (BTCUSDT): brackets[1].cum: margin: maintenance amount breaks continuity
}

func ExampleDecodeAccount() {
	data := []byte(`{"totalWalletBalance":"126.72469206","totalMarginBalance":"126.72469206",
	"totalMaintMargin":"0.00000000","availableBalance":"126.72469206",
	"assets":[{"asset":"USDT","walletBalance":"23.72469206","unrealizedProfit":"0.00000000",
	 "marginBalance":"23.72469206","maintMargin":"0.00000000","initialMargin":"0.00000000"}],
	"positions":[{"symbol":"ETHUSDT","positionSide":"BOTH","positionAmt":"0.000",
	 "unrealizedProfit":"0.00000000","maintMargin":"0"}]}`)
	a, err := binance.DecodeAccount(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a.TotalWalletBalance.String(), a.Assets[0].Asset, a.Assets[0].WalletBalance.String())
	fmt.Println(len(a.Positions), "open; flat:", a.Flat)
	// Output:
	// 126.72469206 USDT 23.72469206
	// 0 open; flat: [row 0 (ETHUSDT)]
}

func ExampleDecodePremiumIndex() {
	// COIN-M: a delivery contract has no funding ("" and 0).
	data := []byte(`[{"symbol":"BTCUSD_PERP","pair":"BTCUSD","markPrice":"11029.69574559",
	 "indexPrice":"10979.14437500","lastFundingRate":"0.00071003","nextFundingTime":1596096000000,"time":1596094042000},
	{"symbol":"BTCUSD_200925","pair":"BTCUSD","markPrice":"12077.01343750","indexPrice":"10979.10312500",
	 "lastFundingRate":"","interestRate":"","nextFundingTime":0,"time":1596094042000}]`)
	ps, err := binance.DecodePremiumIndex(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := range ps {
		p := &ps[i]
		fmt.Println(p.Symbol, p.MarkPrice.String(), p.LastFundingRate.String(), p.NextFundingTime.IsZero())
	}
	// Output:
	// BTCUSD_PERP 11029.69574559 0.00071003 false
	// BTCUSD_200925 12077.01343750 null true
}

func ExampleDecodeFundingInfo() {
	data := []byte(`[{"symbol":"BLZUSDT","adjustedFundingRateCap":"0.02500000",
	"adjustedFundingRateFloor":"-0.02500000","fundingIntervalHours":4,"disclaimer":false}]`)
	fs, err := binance.DecodeFundingInfo(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	f := &fs[0]
	fmt.Println(f.Symbol, f.Interval(), f.AdjustedFundingRateFloor.String(), f.AdjustedFundingRateCap.String())
	// Output:
	// BLZUSDT 4h0m0s -0.02500000 0.02500000
}
