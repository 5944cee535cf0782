package drive_test

import (
	"errors"
	"fmt"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/engine"
	"github.com/derivmath/derivmath/engine/drive"
	"github.com/derivmath/derivmath/orderbook"
)

// bitmexState returns the examples' engine state: a linear contract (1 per
// contract, tick 0.25, lot 1, minor unit 0.01) under BitMEX's rules without
// risk limits, the mark at 100, an empty insurance fund, and three traders:
// 0 the street (cross, wallet 1,000), 1 an isolated long of 1 @ 100 with a
// margin of 1 (bankrupt at 99, liquidated at 99.5), 2 a cross short of 1 @
// 100 with a wallet of 100. Package engine's examples show how a State is
// made; these show what a Driver does with one.
func bitmexState(ctx *apd.Context) *engine.State {
	spec, err := contract.New(contract.Params{Kind: contract.Linear, Multiplier: "1", Tick: "0.25", Lot: "1", Minor: "0.01"})
	if err != nil {
		panic(err)
	}
	p := engine.PresetBitMEX()
	p.Partial, p.RiskLimits = engine.PartialNone, nil
	st, err := engine.New(ctx, spec, p)
	if err != nil {
		panic(err)
	}
	street := &engine.Trader{Mode: account.Cross, Tier: -1}
	street.Wallet.SetInt64(1000)
	long := &engine.Trader{Mode: account.Isolated, Tier: -1}
	long.Margin.SetInt64(1)
	long.Qty.SetInt64(1)
	long.Cost.SetInt64(100)
	long.MMR.SetFinite(5, -3)
	short := &engine.Trader{Mode: account.Cross, Tier: -1}
	short.Wallet.SetInt64(100)
	short.Qty.SetInt64(-1)
	short.Cost.SetInt64(-100)
	short.MMR.SetFinite(5, -3)
	for _, tr := range []*engine.Trader{street, long, short} {
		if _, err := st.Add(tr); err != nil {
			panic(err)
		}
	}
	if err := st.SetMark(apd.New(100, 0)); err != nil {
		panic(err)
	}
	if err := st.SetFund(apd.New(0, 0)); err != nil {
		panic(err)
	}
	return st
}

func ExampleNew() {
	ctx := derivmath.NewContext()
	dr := drive.New(ctx, bitmexState(ctx), orderbook.New(16, 16), 1)

	// The street bids for 2 contracts at 99.25 USD: the book holds the
	// order in ticks of 0.25 and lots of 1, under an ID from 1<<62 up.
	id, err := dr.Place(0, orderbook.Buy, apd.New(9925, -2), apd.New(2, 0))
	if err != nil {
		fmt.Println(err)
		return
	}
	bid, _ := dr.Book.BestBid()
	fmt.Printf("order 1<<62 + %d: best bid %d ticks x %d lots\n", id-1<<62, bid.Price, bid.Qty)
	// Output: order 1<<62 + 1: best bid 397 ticks x 2 lots
}

func ExampleDriver_Place() {
	ctx := derivmath.NewContext()
	dr := drive.New(ctx, bitmexState(ctx), orderbook.New(16, 16), 1)
	one := apd.New(1, 0)

	// 99.10 is not a whole number of 0.25 ticks: refused, not rounded.
	_, err := dr.Place(0, orderbook.Buy, apd.New(9910, -2), one)
	fmt.Println(errors.Is(err, contract.ErrOffTick), err)

	// A resting order is post-only: an ask at 99 would cross the bid at
	// 99.25, and is refused with the book unchanged.
	if _, err := dr.Place(0, orderbook.Buy, apd.New(9925, -2), one); err != nil {
		fmt.Println(err)
		return
	}
	_, err = dr.Place(2, orderbook.Sell, apd.New(99, 0), one)
	fmt.Println(errors.Is(err, orderbook.ErrWouldCross), dr.Book.Len(), "order on the book")
	// Output:
	// true contract: price not on the tick
	// true 1 order on the book
}

func ExampleDriver_Send() {
	// The engine's steps by hand, the book through Send. At the mark 99.5
	// the long (trader 1) is liquidatable; the fund takes it over at its
	// bankruptcy price 99 and sells it with a GTC limit of 99, which meets
	// the street's bid at 99.25: the fund gains 0.25.
	ctx := derivmath.NewContext()
	st := bitmexState(ctx)
	dr := drive.New(ctx, st, orderbook.New(16, 16), 1)
	if _, err := dr.Place(0, orderbook.Buy, apd.New(9925, -2), apd.New(1, 0)); err != nil {
		fmt.Println(err)
		return
	}
	if err := st.SetMark(apd.New(995, -1)); err != nil {
		fmt.Println(err)
		return
	}
	ev, _, _ := st.Trigger(nil, 1)
	ev, id, _ := st.Takeover(ev, 1)
	n := len(ev)
	ev, err := dr.Send(ev, id)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := n; i < len(ev); i++ {
		fmt.Println(ev[i].String())
	}
	var fund apd.Decimal
	st.FundBalance(&fund)
	fmt.Println("open intents", st.Intents(), "fund", fund.String())
	// Output:
	// #5 S5 takeover Trade Liquidation: fund gets -1 from trader 0 at 99.25 (value 99.25)
	// #6 S6 fund Move Realised: Position[fund] -> Wallet[fund] 0.25
	// #7 S5 takeover Closed fund qty 0 price 0 amount 0 intent 1
	// open intents 0 fund 0.25
}

func ExampleDriver_Liquidate() {
	// BitMEX's example (its liquidation page): the fund takes the long over
	// at its bankruptcy price 99 and its liquidation order meets a bid at
	// 99.25, so the insurance fund gains 0.25. Liquidate runs every step.
	ctx := derivmath.NewContext()
	st := bitmexState(ctx)
	dr := drive.New(ctx, st, orderbook.New(16, 16), 1)
	if _, err := dr.Place(0, orderbook.Buy, apd.New(9925, -2), apd.New(1, 0)); err != nil {
		fmt.Println(err)
		return
	}
	if err := st.SetMark(apd.New(995, -1)); err != nil {
		fmt.Println(err)
		return
	}
	ev, err := dr.Liquidate(nil, 1, 3)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := range ev {
		fmt.Println(ev[i].String())
	}
	// Output:
	// #1 S2 trigger Triggered trader 1 qty 1 price 99.5 amount 0 intent 0
	// #2 S5 takeover Trade Liquidation: fund gets 1 from trader 1 at 99.00 (value 99.00)
	// #3 S5 takeover Move Realised: Margin[1] -> Position[1] 1.00
	// #4 S5 takeover Intended fund qty -1 price 99.00 amount 0 intent 1
	// #5 S5 takeover Trade Liquidation: fund gets -1 from trader 0 at 99.25 (value 99.25)
	// #6 S6 fund Move Realised: Position[fund] -> Wallet[fund] 0.25
	// #7 S5 takeover Closed fund qty 0 price 0 amount 0 intent 1
}

func ExampleDriver_Deleverage() {
	// BitMEX, an empty book and 10 in the fund: the fund takes the long
	// over at its bankruptcy price 99 and keeps it while the mark is above
	// that price; once the mark reaches it, Deleverage closes the fund's
	// inventory against the short (ADL) at 99.
	ctx := derivmath.NewContext()
	st := bitmexState(ctx)
	dr := drive.New(ctx, st, orderbook.New(16, 16), 1)
	dr.Trigger = true // ask State.MustADL, as BitMEX does
	if err := st.SetFund(apd.New(10, 0)); err != nil {
		fmt.Println(err)
		return
	}
	for _, mark := range []*apd.Decimal{apd.New(995, -1), apd.New(99, 0)} {
		if err := st.SetMark(mark); err != nil {
			fmt.Println(err)
			return
		}
		if _, err := dr.Liquidate(nil, 1, 3); err != nil {
			fmt.Println(err)
			return
		}
		ev, err := dr.Deleverage(nil)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("mark %s: the fund holds %s, the short %s\n",
			mark.String(), st.Trader(engine.Fund).Qty.String(), st.Trader(2).Qty.String())
		for i := range ev {
			fmt.Println(ev[i].String())
		}
	}
	// Output:
	// mark 99.5: the fund holds 1, the short -1
	// mark 99: the fund holds 0, the short 0
	// #6 S7 ADL Trade Deleverage: fund gets -1 from trader 2 at 99.00000000000000000 (value 99.00)
	// #7 S7 ADL Move Realised: Position[2] -> Wallet[2] 1.00
}
