package engine_test

import (
	"errors"
	"fmt"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/engine"
)

// book is the examples' market: a linear contract with multiplier 1, tick
// 0.25, lot 1 and a minor unit of 0.01 (a cent), under preset p, at mark 100,
// with three traders:
//
//	0 the street, cross, wallet 1,000, flat;
//	1 a long of 1 @ 100, isolated with margin 1, MMR 0.5% (bankrupt at 99);
//	2 a short of 1 @ 100, cross with wallet 100.
func book(p *engine.Preset) *engine.State {
	s, err := contract.New(contract.Params{Kind: contract.Linear, Multiplier: "1", Tick: "0.25", Lot: "1", Minor: "0.01"})
	if err != nil {
		panic(err)
	}
	st, err := engine.New(derivmath.NewContext(), s, p)
	if err != nil {
		panic(err)
	}
	if err := st.SetMark(apd.New(100, 0)); err != nil {
		panic(err)
	}
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
	short.MMR.Set(apd.New(5, -3))
	for _, t := range []*engine.Trader{street, long, short} {
		if _, err := st.Add(t); err != nil {
			panic(err)
		}
	}
	return st
}

// bitmex is BitMEX's preset without the step-down, so that the examples go
// straight from the trigger to the takeover.
func bitmex() *engine.Preset {
	p := engine.PresetBitMEX()
	p.Partial, p.RiskLimits = engine.PartialNone, nil
	return p
}

func printEvents(ev []engine.Event) {
	for i := range ev {
		fmt.Println(ev[i].String())
	}
}

func ExampleNew() {
	s, _ := contract.New(contract.Params{Kind: contract.Linear, Multiplier: "1", Tick: "0.25", Lot: "1", Minor: "0.01"})
	st, err := engine.New(derivmath.NewContext(), s, engine.PresetBinance())
	fmt.Println(err, st.Len(), st.Preset().Name)

	// The ledger rounds every movement to the minor unit: a spec needs one.
	noMinor, _ := contract.New(contract.Params{Kind: contract.Linear, Multiplier: "1", Tick: "0.25", Lot: "1"})
	_, err = engine.New(derivmath.NewContext(), noMinor, engine.PresetBinance())
	fmt.Println(errors.Is(err, engine.ErrMinor))
	// Output:
	// <nil> 0 Binance USD-M 2025-09-18
	// true
}

func ExampleState_Add() {
	st := book(bitmex())
	t := &engine.Trader{Mode: account.Cross, Tier: -1}
	t.Wallet.Set(apd.New(5000, -2)) // 50.00
	t.Qty.SetInt64(2)
	t.Cost.SetInt64(200) // long 2 @ 100: V(EP) = 2*1*100
	i, err := st.Add(t)
	fmt.Println(i, err, st.Len())

	// A long whose cost is negative is not a position.
	t.Cost.SetInt64(-200)
	_, err = st.Add(t)
	fmt.Println(errors.Is(err, engine.ErrPosition), st.Len())
	// Output:
	// 3 <nil> 4
	// true 4
}

func ExampleState_Clone() {
	st := book(bitmex())
	before := st.Clone()
	_ = st.SetMark(apd.New(995, -1))
	_, _, _ = st.Trigger(nil, 1)
	var m0, m1 apd.Decimal
	before.Mark(&m0)
	st.Mark(&m1)
	fmt.Println(m0.String(), before.Trader(1).Liquidating)
	fmt.Println(m1.String(), st.Trader(1).Liquidating)
	// Output:
	// 100 false
	// 99.5 true
}

func ExampleState_Brackets() {
	s, _ := contract.New(contract.Params{Kind: contract.Linear, Multiplier: "1", Tick: "0.1", Lot: "0.001", Minor: "0.01"})
	st, _ := engine.New(derivmath.NewContext(), s, engine.PresetBinance())
	// A long 1 at 60,000, added in Binance's 0.5% bracket (cum 50).
	t := &engine.Trader{Mode: account.Cross, Tier: 1}
	t.Wallet.SetInt64(20155)
	t.Qty.SetInt64(1)
	t.Cost.SetInt64(60000)
	t.MMR.Set(apd.New(5, -3))
	t.Cum.SetInt64(50)
	// At the mark 40,000 its notional is in the 0.4% bracket: maintenance
	// 160 (0.5% less 50 would be 150), above its equity of 155.
	b := st.Brackets(t)
	var mm apd.Decimal
	_ = b.Maintenance(derivmath.NewContext(), &mm, apd.New(40000, 0))
	fmt.Println(b.Len(), mm.String())
	i, _ := st.Add(t)
	_ = st.SetMark(apd.New(40000, 0))
	_, ok, _ := st.Trigger(nil, i)
	fmt.Println(ok)
	// A trader outside the table keeps its own rate.
	fmt.Println(st.Brackets(&engine.Trader{Tier: -1}) == nil)
	// Output:
	// 4 160.000
	// true
	// true
}

func ExampleState_Len() {
	st := book(bitmex())
	fmt.Println(st.Len())
	// Output: 3
}

func ExampleState_Preset() {
	st := book(engine.PresetDeribit())
	p := st.Preset()
	fmt.Println(p.Venue, p.Partial, p.Slice.String(), p.ClearanceFee.String())
	// Output: Deribit Slice 200 0.0075
}

func ExampleState_Spec() {
	st := book(bitmex())
	s := st.Spec()
	fmt.Println(s.Kind, s.Tick.String(), s.Minor.String())
	// Output: Linear 0.25 0.01
}

func ExampleState_Trader() {
	st := book(bitmex())
	t := st.Trader(1)
	fmt.Println(t.Mode, t.Qty.String(), t.Cost.String(), t.Margin.String())
	fmt.Println(st.Trader(engine.Fund).Qty.String(), st.Trader(7) == nil)
	// Output:
	// Isolated 1 100 1
	// 0 true
}

func ExampleState_SetMark() {
	st := book(bitmex())
	fmt.Println(st.SetMark(apd.New(995, -1)))
	fmt.Println(errors.Is(st.SetMark(apd.New(0, 0)), derivmath.ErrPrice))
	var m apd.Decimal
	st.Mark(&m)
	fmt.Println(m.String()) // the refused mark changed nothing
	// Output:
	// <nil>
	// true
	// 99.5
}

func ExampleState_Mark() {
	st := book(bitmex())
	var m apd.Decimal
	st.Mark(&m)
	fmt.Println(m.String())
	// Output: 100
}

func ExampleState_SetFund() {
	st := book(bitmex())
	fmt.Println(st.SetFund(apd.New(250000, -2)))                          // 2,500.00
	fmt.Println(st.SetFund(apd.New(-1, 0)))                               // refused
	fmt.Println(errors.Is(st.SetFund(apd.New(1, -3)), engine.ErrInexact)) // 0.001: below the cent
	var f apd.Decimal
	st.FundBalance(&f)
	fmt.Println(f.String())
	// Output:
	// <nil>
	// engine: negative insurance fund
	// true
	// 2500.00
}

func ExampleState_FundBalance() {
	// BitMEX I1: the fund takes the long at its bankruptcy price 99 and
	// sells it at 99.25; the fund gains 0.25.
	st := book(bitmex())
	_ = st.SetMark(apd.New(995, -1))
	ev, _, _ := st.Trigger(nil, 1)
	ev, id, _ := st.Takeover(ev, 1)
	f := []engine.Fill{{Maker: 0}}
	f[0].Qty.SetInt64(1)
	f[0].Price.Set(apd.New(9925, -2))
	_, _ = st.Execute(ev, id, f)
	var fund apd.Decimal
	st.FundBalance(&fund)
	fmt.Println(fund.String())
	// Output: 0.25
}

func ExampleState_FeeBalance() {
	// No step charges trading fees yet: the fee ledger stays at 0, and the
	// clearance fee goes to the insurance fund.
	st := book(engine.PresetBinance())
	var fees apd.Decimal
	st.FeeBalance(&fees)
	fmt.Println(fees.String())
	// Output: 0
}

func ExampleState_Equity() {
	// The long: margin 1 + V(99.5) - Cost = 1 + 99.5 - 100.
	st := book(bitmex())
	_ = st.SetMark(apd.New(995, -1))
	var e apd.Decimal
	_ = st.Equity(&e, 1)
	fmt.Println(e.String())
	// Output: 0.5
}

func ExampleState_Total() {
	// Wallets 1,000 + 100, margin 1, costs 100 - 100: 1,101, at any mark.
	st := book(bitmex())
	var t0, t1 apd.Decimal
	_ = st.Total(&t0)
	_ = st.SetMark(apd.New(995, -1))
	ev, _, _ := st.Trigger(nil, 1)
	_, _, _ = st.Takeover(ev, 1)
	_ = st.Total(&t1)
	fmt.Println(t0.String(), t1.String())
	// Output: 1101 1101.00
}

func ExampleState_NetQty() {
	st := book(bitmex())
	_ = st.SetMark(apd.New(995, -1))
	ev, _, _ := st.Trigger(nil, 1)
	_, _, _ = st.Takeover(ev, 1)
	var q apd.Decimal
	_ = st.NetQty(&q)
	fmt.Println(q.String(), st.Trader(engine.Fund).Qty.String())
	// Output: 0 1
}

func ExampleState_Trigger() {
	// BitMEX: the long (margin 1, MMR 0.5%) is liquidatable once its
	// equity is at or below maintenance.
	st := book(bitmex())
	for _, m := range []*apd.Decimal{apd.New(996, -1), apd.New(995, -1), apd.New(997, -1)} {
		_ = st.SetMark(m)
		ev, liq, _ := st.Trigger(nil, 1)
		fmt.Println(m.String(), liq, len(ev))
	}
	// Output:
	// 99.6 false 0
	// 99.5 true 1
	// 99.7 false 1
}

func ExampleState_Cancel() {
	s, _ := contract.New(contract.Params{Kind: contract.Linear, Multiplier: "1", Tick: "0.25", Lot: "1", Minor: "0.01"})
	st, _ := engine.New(derivmath.NewContext(), s, bitmex())
	_ = st.SetMark(apd.New(100, 0))
	t := &engine.Trader{Mode: account.Isolated, Tier: -1}
	t.Margin.SetInt64(1)
	t.Qty.SetInt64(1)
	t.Cost.SetInt64(100)
	t.MMR.Set(apd.New(5, -3))
	t.Orders = make([]engine.Order, 1)
	t.Orders[0].Qty.SetInt64(2) // a bid for 2 @ 98 holding 1.96 of margin
	t.Orders[0].Price.SetInt64(98)
	t.Orders[0].Margin.Set(apd.New(196, -2))
	i, _ := st.Add(t)
	_ = st.SetMark(apd.New(995, -1))
	ev, _, _ := st.Trigger(nil, i)
	ev, err := st.Cancel(ev, i)
	fmt.Println(err, len(st.Trader(i).Orders))
	printEvents(ev)
	// Output:
	// <nil> 0
	// #1 S2 trigger Triggered trader 0 qty 1 price 99.5 amount 0 intent 0
	// #2 S3 cancel Cancelled trader 0 qty 2 price 98 amount 1.96 intent 0
}

func ExampleState_StepDown() {
	// Deribit closes a liquidated position in slices of 200 contracts.
	s, _ := contract.New(contract.Params{Kind: contract.Linear, Multiplier: "1", Tick: "0.25", Lot: "1", Minor: "0.01"})
	st, _ := engine.New(derivmath.NewContext(), s, engine.PresetDeribit())
	_ = st.SetMark(apd.New(100, 0))
	t := &engine.Trader{Mode: account.Cross, Tier: -1}
	t.Wallet.SetInt64(1000)
	t.Qty.SetInt64(1000)
	t.Cost.SetInt64(100000) // long 1,000 @ 100 with 1,000: 100x
	t.MMR.Set(apd.New(5, -3))
	i, _ := st.Add(t)
	// At 99.25 the equity, 250, is below maintenance, 0.5% of 99,250.
	_ = st.SetMark(apd.New(9925, -2))
	ev, _, _ := st.Trigger(nil, i)
	ev, id, err := st.StepDown(ev, i)
	in := st.Intent(id)
	fmt.Println(err, in.Side, in.Qty.String(), in.TIF, in.Limit.String())
	printEvents(ev)
	// Output:
	// <nil> Sell 200 IOC 0
	// #1 S2 trigger Triggered trader 0 qty 1000 price 99.25 amount 0 intent 0
	// #2 S4 partial Intended trader 0 qty -200 price 0 amount 0 intent 1
}

func ExampleState_Takeover() {
	// BitMEX: the fund takes the long at its bankruptcy price 99 and works
	// a GTC sell there.
	st := book(bitmex())
	_ = st.SetMark(apd.New(995, -1))
	ev, _, _ := st.Trigger(nil, 1)
	ev, id, err := st.Takeover(ev, 1)
	in := st.Intent(id)
	fmt.Println(err, in.Holder == engine.Fund, in.Side, in.Qty.String(), in.Limit.String(), in.TIF)
	printEvents(ev)
	// Output:
	// <nil> true Sell 1 99.00 GTC
	// #1 S2 trigger Triggered trader 1 qty 1 price 99.5 amount 0 intent 0
	// #2 S5 takeover Trade Liquidation: fund gets 1 from trader 1 at 99.00 (value 99.00)
	// #3 S5 takeover Move Realised: Margin[1] -> Position[1] 1.00
	// #4 S5 takeover Intended fund qty -1 price 99.00 amount 0 intent 1
}

func ExampleState_MustADL() {
	// BitMEX: the fund took the long over at its bankruptcy price 99 and
	// could not sell it; with 100 in the fund, ADL must run only once the
	// mark reaches 99.
	st := book(bitmex())
	_ = st.SetFund(apd.New(100, 0))
	_ = st.SetMark(apd.New(995, -1))
	ev, _, _ := st.Trigger(nil, 1)
	_, _, _ = st.Takeover(ev, 1)
	var in engine.ADLInputs
	for _, m := range []int64{9950, 9925, 9900} {
		_ = st.SetMark(apd.New(m, -2))
		must, err := st.MustADL(engine.Fund, &in)
		fmt.Println(apd.New(m, -2), must, err)
	}
	// Bybit: the pool fell 35% from its 8-hour peak of 1,000,000 (its API's
	// example), below the -0.3 start ratio.
	st = book(engine.PresetBybit())
	_ = st.SetFund(apd.New(650000, 0))
	in.Peak.SetInt64(1000000)
	must, err := st.MustADL(1, &in)
	fmt.Println(must, err)
	// Output:
	// 99.50 false <nil>
	// 99.25 false <nil>
	// 99.00 true <nil>
	// true <nil>
}

func ExampleState_AppendADLQueue() {
	// Two more shorts beside the book's (2, at 100): 3 @ 110 and 4 @ 95,
	// each with a wallet of 100. The long's (1) ADL queue under BitMEX's
	// ranking, PnL% x effective leverage, highest first; BitMEX's five
	// lights would put each in a fifth by rank.
	st := book(bitmex())
	for _, entry := range []int64{110, 95} {
		short := &engine.Trader{Mode: account.Cross, Tier: -1}
		short.Wallet.SetInt64(100)
		short.Qty.SetInt64(-1)
		short.Cost.SetInt64(-entry)
		short.MMR.Set(apd.New(5, -3))
		if _, err := st.Add(short); err != nil {
			panic(err)
		}
	}
	q, err := st.AppendADLQueue(make([]engine.Candidate, 0, st.Len()), 1, 0)
	for k := range q {
		fmt.Printf("rank %d: trader %d, score %s\n", k+1, q[k].Trader, q[k].Score.Text('f'))
	}
	fmt.Println(err)
	// Output:
	// rank 1: trader 3, score 0.08264462809917355372
	// rank 2: trader 2, score 0
	// rank 3: trader 4, score -0.05
	// <nil>
}

func ExampleState_Execute() {
	// Binance: at the mark 99.25 the long's equity, 0.25, is below its
	// maintenance, 0.49625; the account itself sells at or above its
	// bankruptcy price 99.
	st := book(engine.PresetBinance())
	_ = st.SetMark(apd.New(9925, -2))
	ev, _, _ := st.Trigger(nil, 1)
	ev, id, _ := st.Takeover(ev, 1)

	// A fill below the sell's limit is refused, and changes nothing.
	f := []engine.Fill{{Maker: 0}}
	f[0].Qty.SetInt64(1)
	f[0].Price.Set(apd.New(9875, -2))
	ev, err := st.Execute(ev, id, f)
	fmt.Println(err)

	// The fill at 99.25 realises a loss of 0.75. The clearance fee, 1.25%
	// of 99.25 rounded up to the cent (1.25), is paid only out of the
	// margin left above bankruptcy: 0.25, all of it. The trader ends at 0
	// and the fund nets 0.25.
	f[0].Price.Set(apd.New(9925, -2))
	ev, err = st.Execute(ev, id, f)
	fmt.Println(err)
	printEvents(ev)
	// Output:
	// engine: fill beyond the order's limit
	// <nil>
	// #1 S2 trigger Triggered trader 1 qty 1 price 99.25 amount 0 intent 0
	// #2 S5 takeover Intended trader 1 qty -1 price 99.00 amount 0 intent 1
	// #3 S5 takeover Trade Liquidation: trader 1 gets -1 from trader 0 at 99.25 (value 99.25)
	// #4 S5 takeover Move Realised: Margin[1] -> Position[1] 0.75
	// #5 S6 fund Move ClearanceFee: Margin[1] -> Wallet[fund] 0.25
	// #6 S5 takeover Closed trader 1 qty 0 price 0 amount 0 intent 1
}

func ExampleState_Intent() {
	st := book(bitmex())
	_ = st.SetMark(apd.New(995, -1))
	ev, _, _ := st.Trigger(nil, 1)
	_, id, _ := st.Takeover(ev, 1)
	in := st.Intent(id)
	fmt.Println(in.ID, in.Step, in.Side, in.Qty.String(), in.Limit.String(), in.TIF)
	fmt.Println(st.Intent(id+1) == nil)
	// Output:
	// 1 S5 takeover Sell 1 99.00 GTC
	// true
}

func ExampleState_Intents() {
	st := book(bitmex())
	_ = st.SetMark(apd.New(995, -1))
	ev, _, _ := st.Trigger(nil, 1)
	fmt.Println(st.Intents())
	_, _, _ = st.Takeover(ev, 1)
	fmt.Println(st.Intents())
	// Output:
	// 0
	// 1
}

func ExampleState_Reprice() {
	// No bid at the bankruptcy price: the fund lowers its limit to 98.50
	// and sells there, losing 0.50.
	st := book(bitmex())
	_ = st.SetMark(apd.New(995, -1))
	ev, _, _ := st.Trigger(nil, 1)
	ev, id, _ := st.Takeover(ev, 1)
	fmt.Println(st.Reprice(id, apd.New(985, -1)))
	f := []engine.Fill{{Maker: 0}}
	f[0].Qty.SetInt64(1)
	f[0].Price.Set(apd.New(985, -1))
	_, _ = st.Execute(ev, id, f)
	var fund apd.Decimal
	st.FundBalance(&fund)
	fmt.Println(fund.String())
	// Output:
	// <nil>
	// -0.50
}

func ExampleState_Withdraw() {
	st := book(bitmex())
	_ = st.SetMark(apd.New(995, -1))
	ev, _, _ := st.Trigger(nil, 1)
	_, id, _ := st.Takeover(ev, 1)
	ev, err := st.Withdraw(nil, id)
	fmt.Println(err, st.Intents())
	printEvents(ev)
	// The fund keeps its inventory; ADL may close it.
	fmt.Println(st.Trader(engine.Fund).Qty.String())
	// Output:
	// <nil> 0
	// #5 S5 takeover Closed fund qty 1 price 0 amount 0 intent 1
	// 1
}

func ExampleState_Socialise() {
	// OKX: the fund (empty) takes the long at 99 and sells it at 90: it
	// is 9 short. The short, 10 in profit at the mark 90, pays 9/10 of
	// its profit.
	st := book(engine.PresetOKX())
	_ = st.SetMark(apd.New(90, 0))
	ev, _, _ := st.Trigger(nil, 1)
	ev, id, _ := st.Takeover(ev, 1)
	f := []engine.Fill{{Maker: 0}}
	f[0].Qty.SetInt64(1)
	f[0].Price.SetInt64(90)
	ev, _ = st.Execute(ev, id, f)
	n := len(ev)
	ev, err := st.Socialise(ev)
	fmt.Println(err)
	printEvents(ev[n:])
	var fund apd.Decimal
	st.FundBalance(&fund)
	fmt.Println(fund.String())
	// Output:
	// <nil>
	// #8 S8 socialise Move Socialised: Wallet[2] -> Wallet[fund] 9.00
	// 0
}

func ExamplePresetBitMEX() {
	p := engine.PresetBitMEX()
	fmt.Println(p.Convention, p.Mark, p.Cancel, p.Partial, len(p.RiskLimits))
	fmt.Println(p.Takeover, p.OrderPrice, p.TIF, p.PriceRounding, p.ADL, p.ADLPrice)
	// Output:
	// BitMEX MarkFair CancelContract StepDown 4
	// FundTakes AtBankruptcy GTC TowardEntry RankBitMEX ADLBankruptcy
}

func ExamplePresetBinance() {
	p := engine.PresetBinance()
	fmt.Println(p.Since.Format("2006-01-02 15:04"), p.Mark, p.Partial, p.Takeover, p.TIF)
	fmt.Println(p.ClearanceFee.String(), p.FeeAtMark, p.FundRounding, p.ADL)
	// Output:
	// 2025-09-18 08:01 MarkMedian StepDown AccountCloses IOC
	// 0.0125 false Ceiling RankBinance
}

func ExamplePresetBybit() {
	p := engine.PresetBybit()
	fmt.Println(p.Convention, p.Mark, p.Partial, p.RiskLimits[0].Limit.String(), p.RiskLimits[0].MMR.String(), p.Takeover, p.ADL)
	// Output: Bybit MarkInput StepDown 2000000 0.005 FundTakes RankBitMEX
}

func ExamplePresetOKX() {
	p := engine.PresetOKX()
	fmt.Println(p.Partial, p.Takeover, p.OrderPrice, p.ADL, p.ADLPrice, p.Socialise)
	// Output: TierReduce FundTakes AtMarket RankOKX ADLMark Clawback
}

func ExamplePresetDeribit() {
	p := engine.PresetDeribit()
	fmt.Println(p.Since.Format("2006-01-02"), p.Trigger, p.Partial, p.Slice.String(), p.ClearanceFee.String(), p.Socialise)
	// Output: 2022-01-11 Strict Slice 200 0.0075 Clawback
}

func ExamplePresetDYDX() {
	p := engine.PresetDYDX()
	fmt.Println(p.Trigger, p.Cancel, p.Partial, p.OrderPrice, p.ADL)
	fmt.Println(p.BankruptcyAdjustment.String(), p.SpreadToMaintenance.String(), p.MaxNotional.String(), p.ClearanceFee.String())
	// Output:
	// Strict CancelNone NotionalLimit AtFillable RankCyclic
	// 1 0.1 100 0.005
}

func ExamplePresetHyperliquid() {
	p := engine.PresetHyperliquid()
	fmt.Println(p.Partial, p.Portion.String(), p.PortionNotional.String(), p.OrderPrice, p.ADL, p.ADLPrice)
	// Output: Portion 0.2 100000 AtMarket RankHyperliquid ADLMark
}

func ExamplePresetDrift() {
	p := engine.PresetDrift()
	fmt.Println(p.Trigger, p.OrderPrice, p.ADL, p.Socialise)
	// Output: Strict AtMarket RankIndex DriftFunding
}

func ExamplePresetGMX() {
	p := engine.PresetGMX()
	fmt.Println(p.Trigger, p.OrderPrice, p.ADL, p.ADLPrice)
	// Output: Strict AtMarket RankIndex ADLMark
}

func ExampleEvent_String() {
	st := book(bitmex())
	_ = st.SetMark(apd.New(995, -1))
	ev, _, _ := st.Trigger(nil, 1)
	ev, _, _ = st.Takeover(ev, 1)
	for i := range ev {
		fmt.Println(ev[i].String())
	}
	// Only Trade and Move events carry money, from one ledger to another.
	e := &ev[2]
	fmt.Println(e.Kind, e.Why, e.From, "->", e.To, e.Amount.String())
	// Output:
	// #1 S2 trigger Triggered trader 1 qty 1 price 99.5 amount 0 intent 0
	// #2 S5 takeover Trade Liquidation: fund gets 1 from trader 1 at 99.00 (value 99.00)
	// #3 S5 takeover Move Realised: Margin[1] -> Position[1] 1.00
	// #4 S5 takeover Intended fund qty -1 price 99.00 amount 0 intent 1
	// Move Realised Margin[1] -> Position[1] 1.00
}

func ExampleParty_String() {
	fmt.Println(engine.Party{Ledger: engine.Wallet, Holder: 3})
	fmt.Println(engine.Party{Ledger: engine.Wallet, Holder: engine.Fund})
	fmt.Println(engine.Party{Ledger: engine.Fees})
	// Output:
	// Wallet[3]
	// Wallet[fund]
	// Fees
}

func ExampleLedger_String() {
	fmt.Println(engine.Wallet, engine.Margin, engine.Position, engine.Fees, engine.Ledger(0))
	// Output: Wallet Margin Position Fees Ledger(0)
}

func ExampleSide_String() {
	fmt.Println(engine.Buy, engine.Sell, engine.Side(0))
	// Output: Buy Sell Side(0)
}

func ExampleTIF_String() {
	fmt.Println(engine.GTC, engine.IOC, engine.FOK)
	// Output: GTC IOC FOK
}

func ExampleStep_String() {
	for s := engine.StepMark; s <= engine.StepSocialise; s++ {
		fmt.Print(s, "; ")
	}
	fmt.Println()
	// Output: S1 mark; S2 trigger; S3 cancel; S4 partial; S5 takeover; S6 fund; S7 ADL; S8 socialise;
}

func ExampleKind_String() {
	for k := engine.Triggered; k <= engine.Reduced; k++ {
		fmt.Print(k, " ")
	}
	fmt.Println()
	// Output: Triggered Restored Cancelled TierLowered Intended Closed Trade Move Reduced
}

func ExampleWhy_String() {
	for w := engine.Realised; w <= engine.Socialised; w++ {
		fmt.Print(w, " ")
	}
	fmt.Println()
	// Output: Realised Liquidation Deleverage Surplus Cover ClearanceFee FundShare Leftover Socialised
}

func ExampleVenue_String() {
	for v := engine.BitMEX; v <= engine.GMX; v++ {
		fmt.Print(v, " ")
	}
	fmt.Println()
	// Output: BitMEX Binance Bybit OKX Deribit dYdX Hyperliquid Drift GMX
}

func ExampleEquality_String() {
	fmt.Println(engine.NonStrict, engine.Strict)
	// Output: NonStrict Strict
}

func ExampleScope_String() {
	fmt.Println(engine.CancelContract, engine.CancelAll, engine.CancelNone)
	// Output: CancelContract CancelAll CancelNone
}

func ExamplePartial_String() {
	for p := engine.PartialNone; p <= engine.Slice; p++ {
		fmt.Print(p, " ")
	}
	fmt.Println()
	// Output: PartialNone StepDown TierReduce Portion NotionalLimit Slice
}

func ExampleTakeover_String() {
	fmt.Println(engine.FundTakes, engine.AccountCloses)
	// Output: FundTakes AccountCloses
}

func ExampleOrderPrice_String() {
	fmt.Println(engine.AtBankruptcy, engine.AtFillable, engine.AtMarket)
	// Output: AtBankruptcy AtFillable AtMarket
}

func ExampleRanking_String() {
	for r := engine.RankBitMEX; r <= engine.RankIndex; r++ {
		fmt.Print(r, " ")
	}
	fmt.Println()
	// Output: RankBitMEX RankBinance RankHyperliquid RankOKX RankCyclic RankIndex
}

func ExampleADLPrice_String() {
	fmt.Println(engine.ADLBankruptcy, engine.ADLMark)
	// Output: ADLBankruptcy ADLMark
}

func ExampleState_Unsocialised() {
	// Drift with an insurance cap of 5: the fund (100) covers the long's
	// loss of 9 at once, but its insurance pays only 5; Socialise charges
	// the other 4, 2 on each of the two open contracts.
	p := engine.PresetDrift()
	p.CapInsurance = true
	p.MaxInsurance.SetInt64(5)
	st := book(p)
	_ = st.SetFund(apd.New(100, 0))
	_ = st.SetMark(apd.New(90, 0))
	ev, _, _ := st.Trigger(nil, 1)
	ev, id, _ := st.Takeover(ev, 1)
	f := []engine.Fill{{Maker: 0}}
	f[0].Qty.SetInt64(1)
	f[0].Price.SetInt64(90)
	ev, _ = st.Execute(ev, id, f)
	var x apd.Decimal
	st.Unsocialised(&x)
	fmt.Println(x.String())
	_, _ = st.Socialise(ev)
	st.FundBalance(&x)
	fmt.Println(x.String())
	// Output:
	// 4.00
	// 95.00
}

func ExampleLossSplit_String() {
	fmt.Println(engine.PresetDeribit().Split, engine.SplitEqual)
	// Output: SplitProRata SplitEqual
}

func ExampleShortRatio_String() {
	fmt.Println(engine.PresetHyperliquid().ShortRatio, engine.ShortEntryOverMark)
	// Output: ShortMarkOverEntry ShortEntryOverMark
}

func ExampleADLTie_String() {
	fmt.Println(engine.PresetBinance().ADLTie, engine.TieHigherIndex)
	// Output: TieLowerIndex TieHigherIndex
}

func ExampleADLTrigger_String() {
	for a := engine.ADLUnfilled; a <= engine.ADLRemainder; a++ {
		fmt.Print(a, " ")
	}
	fmt.Println()
	// Output: ADLUnfilled ADLDrawdown ADLNetNotional ADLDeficit ADLRemainder
}

func ExampleFundScope_String() {
	for _, p := range engine.Presets() {
		fmt.Println(p.Venue, p.Fund)
	}
	// Output:
	// BitMEX FundContract
	// Binance FundContract
	// Bybit FundGrouped
	// OKX FundUnderlying
	// Deribit FundContract
	// dYdX FundCrossIsolated
	// Hyperliquid FundContract
	// Drift FundContract
	// GMX FundContract
}

func ExampleSocialise_String() {
	fmt.Println(engine.SocialiseNone, engine.Clawback, engine.DriftFunding)
	// Output: SocialiseNone Clawback DriftFunding
}

func ExampleMarkRule_String() {
	fmt.Println(engine.MarkFair, engine.MarkMedian, engine.MarkDated, engine.MarkInput)
	// Output: MarkFair MarkMedian MarkDated MarkInput
}
