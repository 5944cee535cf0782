package binance_test

import (
	"fmt"
	"time"

	"github.com/cockroachdb/apd/v3"
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
	// binance: leverageBracket: venue: row 0 (BTCUSDT): brackets[1].cum: venue: invalid value: margin: maintenance amount breaks continuity
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

func ExampleMarket_String() {
	fmt.Println(binance.USDM, binance.COINM, binance.Market(0))
	// Output:
	// USDM COINM Market(0)
}

func ExampleSymbol_Perpetual() {
	// GET /dapi/v1/exchangeInfo lists perpetuals beside quarterly futures.
	data := []byte(`{"symbols":[
	{"symbol":"BTCUSD_PERP","contractType":"PERPETUAL","contractStatus":"TRADING","contractSize":100,
	 "marginAsset":"BTC","filters":[{"filterType":"PRICE_FILTER","tickSize":"0.1"},{"filterType":"LOT_SIZE","stepSize":"1"}]},
	{"symbol":"BTCUSD_250627","contractType":"CURRENT_QUARTER","contractStatus":"TRADING","contractSize":100,
	 "marginAsset":"BTC","filters":[{"filterType":"PRICE_FILTER","tickSize":"0.1"},{"filterType":"LOT_SIZE","stepSize":"1"}]}]}`)
	ss, err := binance.DecodeSymbols(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := range ss {
		fmt.Println(ss[i].Symbol, ss[i].Perpetual())
	}
	// Output:
	// BTCUSD_PERP true
	// BTCUSD_250627 false
}

func ExampleSymbol_Spec() {
	// A USD-M symbol is linear: one contract is one BTC, priced in USDT.
	data := []byte(`[{"symbol":"BTCUSDT","pair":"BTCUSDT","contractType":"PERPETUAL","status":"TRADING",
	 "baseAsset":"BTC","quoteAsset":"USDT","marginAsset":"USDT",
	 "filters":[{"filterType":"PRICE_FILTER","minPrice":"261.10","maxPrice":"809484","tickSize":"0.10"},
	 {"filterType":"LOT_SIZE","minQty":"0.001","maxQty":"1000","stepSize":"0.001"}]}]`)
	ss, err := binance.DecodeSymbols(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	spec, err := ss[0].Spec()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(spec.Symbol, spec.Kind, spec.Settle, "m =", spec.Multiplier.String(), "tick", spec.Tick.String(), "lot", spec.Lot.String())
	fmt.Println(spec.Source)
	// Output:
	// BTCUSDT Linear USDT m = 1 tick 0.10 lot 0.001
	// Binance USD-M GET /fapi/v1/exchangeInfo
}

func ExampleBrackets_Tiers() {
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
	// A position worth 100000 USDT falls in the second bracket:
	// 100000 * 0.005 - 50.0, exact, so the rate's three places remain.
	ctx := apd.BaseContext.WithPrecision(34)
	var mm apd.Decimal
	if err := tiers.Maintenance(ctx, &mm, apd.New(100000, 0)); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("maintenance margin", mm.Text('f'), "USDT")
	// Output:
	// maintenance margin 450.000 USDT
}

func ExampleFundingInfo_Interval() {
	// GET /fapi/v1/fundingInfo lists only symbols with a non-default
	// interval or cap.
	data := []byte(`[{"symbol":"BLZUSDT","adjustedFundingRateCap":"0.02500000",
	"adjustedFundingRateFloor":"-0.02500000","fundingIntervalHours":4,"disclaimer":false}]`)
	fs, err := binance.DecodeFundingInfo(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	last := time.Date(2024, 1, 4, 8, 0, 0, 0, time.UTC)
	fmt.Println(fs[0].Interval(), "next funding", last.Add(fs[0].Interval()).Format("15:04"))
	// Output:
	// 4h0m0s next funding 12:00
}

func ExamplePositionRisk_Position() {
	// An isolated one-way long: Margin is isolatedWallet, which excludes
	// the unrealised PnL that isolatedMargin includes.
	data := []byte(`[{"symbol":"ETHUSDT","positionAmt":"0.500","entryPrice":"2250.5","markPrice":"2270.30000000",
	 "unRealizedProfit":"9.90000000","liquidationPrice":"1842.47","leverage":"5","marginType":"isolated",
	 "isolatedMargin":"235.05000000","isAutoAddMargin":"false","positionSide":"BOTH",
	 "notional":"1135.15000000","isolatedWallet":"225.15","updateTime":1704362904896}]`)
	open, _, err := binance.DecodePositionRisk(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := open[0].Position()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Symbol, p.Side, p.Mode, p.Qty.String(), "@", p.Entry.String(), "x"+p.Leverage.String())
	fmt.Println("margin", p.Margin.String(), "liquidation", p.Liquidation.String(), "bankruptcy", p.Bankruptcy.String())
	// Output:
	// ETHUSDT OneWay Isolated 0.500 @ 2250.5 x5
	// margin 225.15 liquidation 1842.47 bankruptcy null
}
