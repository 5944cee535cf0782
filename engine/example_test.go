package engine_test

import (
	"fmt"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/engine"
)

func ExamplePreset_Validate() {
	p := engine.PresetBitMEX()
	fmt.Println(p.Validate())
	p.RiskLimits[1].Limit.Set(&p.RiskLimits[0].Limit)
	fmt.Println(p.Validate())
	// Output:
	// <nil>
	// engine: inconsistent risk-limit table: BitMEX: tier 1 out of order
}

func ExamplePresets() {
	for _, p := range engine.Presets() {
		fmt.Println(p.Venue, p.Takeover, p.ADL)
	}
	// Output:
	// BitMEX FundTakes RankBitMEX
	// Binance AccountCloses RankBinance
	// Bybit FundTakes RankBitMEX
	// OKX FundTakes RankOKX
	// Deribit AccountCloses RankBitMEX
	// dYdX AccountCloses RankCyclic
	// Hyperliquid AccountCloses RankHyperliquid
	// Drift AccountCloses RankIndex
	// GMX AccountCloses RankIndex
}

func ExampleMark() {
	ctx := derivmath.NewContext()
	var in engine.MarkInputs
	in.Index.SetInt64(50000)
	in.Rate.Set(apd.New(1, -4))
	in.Basis.SetInt64(3)
	in.Last.SetInt64(50010)
	in.Until, in.Interval = 4*time.Hour, 8*time.Hour
	var z apd.Decimal
	_ = engine.Mark(ctx, &z, engine.PresetBinance(), &in)
	fmt.Println(z.String())
	// Output: 50003
}

func ExampleScoreBitMEX() {
	// Linear long 1 @ 100, bankrupt at 90, mark 110: PNL% 0.1, EffLev 5.5.
	var z apd.Decimal
	_ = engine.ScoreBitMEX(derivmath.NewContext(), &z, apd.New(110, 0), apd.New(100, 0), apd.New(90, 0))
	fmt.Println(z.String())
	// Output: 0.55
}

func ExampleScoreBinance() {
	var z apd.Decimal
	_ = engine.ScoreBinance(derivmath.NewContext(), &z, apd.New(20, 0), apd.New(100, 0), apd.New(6, 0), true)
	fmt.Println(z.String())
	// Output: 0.01
}

func ExampleScoreHyperliquid() {
	var z apd.Decimal
	_ = engine.ScoreHyperliquid(derivmath.NewContext(), &z, apd.New(110000, 0), apd.New(100000, 0), apd.New(220000, 0), apd.New(50000, 0))
	fmt.Println(z.String())
	// Output: 4.84
}

func ExampleScoreOKX() {
	var z apd.Decimal
	_ = engine.ScoreOKX(derivmath.NewContext(), &z, apd.New(2, -1), apd.New(4, 0))
	fmt.Println(z.String())
	// Output: 0.05
}

func ExampleBankruptQuote() {
	// dYdX B1: long 0.1 BTC at 50,000 with -4,501 USDC, MMF 10%, close all.
	var z apd.Decimal
	_ = engine.BankruptQuote(derivmath.NewContext(), &z, apd.New(499, 0), apd.New(500, 0), apd.New(-5000, 0), apd.New(-500, 0), apd.New(1, -6))
	fmt.Println(z.String())
	// Output: 4501.000000
}

func ExampleFillable() {
	// dYdX F1: long 0.1 BTC, oracle 50,000, TNC 499, TMMR 500, BA 1, SMMR 0.1.
	var z apd.Decimal
	_ = engine.Fillable(derivmath.NewContext(), &z, apd.New(5000, 0), apd.New(500, 0), apd.New(1, -1),
		apd.New(499, 0), apd.New(500, 0), apd.New(1, 0), apd.New(1, -1))
	fmt.Println(z.String())
	// Output: 49999
}

func ExampleInsuranceDelta() {
	// dYdX V1: sold 0.1 BTC at 56,100 (quote 5,610), bankrupt quote 5,100, cap 0.5%.
	var z apd.Decimal
	_ = engine.InsuranceDelta(derivmath.NewContext(), &z, apd.New(5610, 0), apd.New(5100, 0), apd.New(5, -3), apd.New(1, -6))
	fmt.Println(z.String())
	// Output: 28.050000
}

func ExampleDriftBase() {
	var z apd.Decimal
	_ = engine.DriftBase(derivmath.NewContext(), &z, apd.New(10, 0), apd.New(100, 0), apd.New(1, -1), apd.New(1, -2), apd.New(1, -2))
	fmt.Println(z.String())
	// Output: 1.25
}

func ExampleDriftIfFee() {
	var z apd.Decimal
	_ = engine.DriftIfFee(derivmath.NewContext(), &z, apd.New(20, 0), apd.New(10, 0), apd.New(100, 0), apd.New(5, -2), apd.New(1, -2), apd.New(5, -2))
	fmt.Println(z.String())
	// Output: 0.019
}

func ExamplePartialOKX() {
	var z apd.Decimal
	_ = engine.PartialOKX(derivmath.NewContext(), &z, apd.New(15000, 0), 3, apd.New(2000, 0))
	fmt.Println(z.String())
	// Output: 13000
}

func ExampleNotionalDYDX() {
	var z apd.Decimal
	_ = engine.NotionalDYDX(derivmath.NewContext(), &z, apd.New(50000, 0), apd.New(0, 0), apd.New(1000, 0), apd.New(1, -1), apd.New(100000, 0), apd.New(1, -6))
	fmt.Println(z.String())
	// Output: 5000.000000
}

func ExampleDrawdown() {
	var z apd.Decimal
	_ = engine.Drawdown(derivmath.NewContext(), &z, apd.New(-350000, 0), apd.New(0, 0), apd.New(1000000, 0))
	fmt.Println(z.String())
	// Output: -0.35
}

func ExampleClawbackRate() {
	var z apd.Decimal
	_ = engine.ClawbackRate(derivmath.NewContext(), &z, apd.New(8, 0), apd.New(0, 0), apd.New(9, 0))
	fmt.Println(z.String())
	// Output: 0.8888888888888888889
}

// Example runs BitMEX's sequence by hand: a long at 100 with 1 of margin is
// liquidated at 99.5, the fund takes it at 99 and sells it at 99.25.
func Example() {
	ctx := derivmath.NewContext()
	s, _ := contract.New(contract.Params{Kind: contract.Linear, Multiplier: "1", Tick: "0.25", Lot: "1", Minor: "0.01"})
	p := engine.PresetBitMEX()
	p.Partial, p.RiskLimits = engine.PartialNone, nil
	st, _ := engine.New(ctx, s, p)
	_ = st.SetMark(apd.New(100, 0))
	street := &engine.Trader{Mode: account.Cross, Tier: -1}
	street.Wallet.SetInt64(1000)
	long := &engine.Trader{Mode: account.Isolated, Tier: -1}
	long.Margin.SetInt64(1)
	long.Qty.SetInt64(1)
	long.Cost.SetInt64(100)
	long.MMR.Set(apd.New(5, -3))
	short := &engine.Trader{Mode: account.Cross, Tier: -1}
	short.Wallet.SetInt64(100)
	short.Qty.SetInt64(-1)
	short.Cost.SetInt64(-100)
	mk, _ := st.Add(street)
	i, _ := st.Add(long)
	_, _ = st.Add(short)

	_ = st.SetMark(apd.New(995, -1))
	ev, liquidatable, _ := st.Trigger(nil, i)
	ev, _ = st.Cancel(ev, i)
	ev, id, _ := st.Takeover(ev, i)
	var f [1]engine.Fill
	f[0].Qty.SetInt64(1)
	f[0].Price.Set(apd.New(9925, -2))
	f[0].Maker = mk
	ev, _ = st.Execute(ev, id, f[:])
	ev, _ = st.Socialise(ev)
	var fund apd.Decimal
	st.FundBalance(&fund)
	fmt.Println(liquidatable, len(ev), fund.String())
	// Output: true 7 0.25
}

func ExampleState_ADL() {
	// dYdX A10: B short 500 @ 1 with 100 is bankrupt at a price of 2; A,
	// long 500, is deleveraged at B's bankruptcy price 1.2.
	ctx := derivmath.NewContext()
	s, _ := contract.New(contract.Params{Kind: contract.Linear, Multiplier: "1", Tick: "0.01", Lot: "1", Minor: "0.000001"})
	st, _ := engine.New(ctx, s, engine.PresetDYDX())
	_ = st.SetMark(apd.New(2, 0))
	for _, q := range []int64{500, -500} {
		t := &engine.Trader{Mode: account.Cross, Tier: -1}
		t.Wallet.SetInt64(100)
		t.Qty.SetInt64(q)
		t.Cost.SetInt64(q)
		t.MMR.Set(apd.New(3, -2))
		_, _ = st.Add(t)
	}
	ev, _, _ := st.Trigger(nil, 1)
	ev, err := st.ADL(ev, 1, apd.New(500, 0), 7)
	fmt.Println(err, ev[1].Price.String(), st.Trader(0).Wallet.String(), st.Trader(1).Wallet.String())
	// Output: <nil> 1.200000000000000000 200.000000 0
}
