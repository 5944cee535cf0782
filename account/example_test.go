package account_test

import (
	"errors"
	"fmt"

	"github.com/cockroachdb/apd/v3"

	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/margin"
)

// A Binance USD-M cross account with two positions: a BTCUSDT long on
// Binance's brackets and an ETHUSDT short at a flat 0.5%. Each position's
// liquidation price holds the other at its mark; a mark update re-checks
// the account.
func Example() {
	a, _ := account.New(derivmath.NewContext(), liquidation.Binance)
	_ = a.SetWallet("USDT", dectest.D("3000"))
	btc := contract.BTCUSDT()
	eth, _ := contract.New(contract.Params{Symbol: "ETHUSDT", Kind: contract.Linear, Settle: "USDT", Multiplier: "1", Tick: "0.01", Lot: "0.001"})
	_ = a.SetMark(btc, dectest.D("61000"))
	_ = a.SetMark(eth, dectest.D("3100"))

	long := &account.Position{Spec: btc, Side: account.OneWay, Mode: account.Cross, Tiers: margin.BTCUSDT()}
	long.Qty.Set(dectest.D("0.5"))
	long.Entry.Set(dectest.D("60000"))
	long.Leverage.SetInt64(20)
	short := &account.Position{Spec: eth, Side: account.OneWay, Mode: account.Cross}
	short.Qty.Set(dectest.D("-4"))
	short.Entry.Set(dectest.D("3000"))
	short.Leverage.SetInt64(10)
	short.MMR.Set(dectest.D("0.005"))
	_ = a.Set(long)
	_ = a.Set(short)

	var s account.Summary
	_ = a.Summary(&s, "USDT")
	fmt.Println("equity", s.Equity.Text('f'), "maintenance", s.Maintenance.Text('f'), "available", s.Available.Text('f'))
	var r account.Report
	for i := range a.Len() {
		_ = a.Report(&r, i, liquidation.TowardEntry)
		fmt.Println(a.Position(i).Spec.Symbol, "liquidation", r.Liquidation.Text('f'), "distance", r.DistancePct.Text('f')[:6])
	}
	// ETH rallies past its liquidation price: the account is liquidatable.
	_ = a.SetMark(eth, dectest.D("3900"))
	fmt.Println("liquidatable at ETH 3900:", a.Liquidatable())
	// Output:
	// equity 3100 maintenance 184 available 335
	// BTCUSDT liquidation 55144.6 distance 0.0959
	// ETHUSDT liquidation 3825.37 distance 0.2339
	// liquidatable at ETH 3900: true
}

// btcusdt returns a Binance USD-M account with 10,000 USDT, BTCUSDT marked
// at 61,000 and a cross long of 0.5 BTC from 60,000 at 20x on Binance's
// brackets: notional 30,500 (first bracket: MMR 0.4%, cum 0), unrealised
// PnL +500, initial margin 1,525, maintenance 122.
func btcusdt() (*account.Account, *contract.Spec) {
	a, _ := account.New(derivmath.NewContext(), liquidation.Binance)
	btc := contract.BTCUSDT()
	_ = a.SetWallet("USDT", dectest.D("10000"))
	_ = a.SetMark(btc, dectest.D("61000"))
	p := &account.Position{Spec: btc, Side: account.OneWay, Mode: account.Cross, Tiers: margin.BTCUSDT()}
	p.Qty.Set(dectest.D("0.5"))
	p.Entry.Set(dectest.D("60000"))
	p.Leverage.SetInt64(20)
	_ = a.Set(p)
	return a, btc
}

func ExampleNew() {
	a, err := account.New(derivmath.NewContext(), liquidation.Binance)
	fmt.Println(a.Convention(), a.Len(), err)
	_, err = account.New(derivmath.NewContext(), 0)
	fmt.Println(errors.Is(err, account.ErrConvention))
	// Output:
	// Binance 0 <nil>
	// true
}

func ExampleAccount_Convention() {
	a, _ := account.New(derivmath.NewContext(), liquidation.BitMEX)
	fmt.Println(a.Convention())
	// Output: BitMEX
}

func ExampleAccount_SetWallet() {
	a, _ := account.New(derivmath.NewContext(), liquidation.Binance)
	_ = a.SetWallet("USDT", dectest.D("10000"))
	_ = a.SetWallet("USDT", dectest.D("12500.5")) // replaces, does not add
	var w apd.Decimal
	a.Wallet(&w, "USDT")
	fmt.Println(w.Text('f'))
	// Output: 12500.5
}

func ExampleAccount_Wallet() {
	a, _ := btcusdt()
	var w apd.Decimal
	a.Wallet(&w, "USDT")
	fmt.Println("USDT", w.Text('f'))
	a.Wallet(&w, "BTC") // an unknown currency reads as 0
	fmt.Println("BTC", w.Text('f'))
	// Output:
	// USDT 10000
	// BTC 0
}

func ExampleAccount_Transfer() {
	a, _ := btcusdt()
	// Withdraw 2,500, then pay a funding rate of 0.01% on the long's
	// notional at the mark: 0.0001 * 0.5 * 61,000 = 3.05.
	_ = a.Transfer("USDT", dectest.D("-2500"))
	_ = a.Transfer("USDT", dectest.D("-3.05"))
	var w apd.Decimal
	a.Wallet(&w, "USDT")
	fmt.Println(w.Text('f'))
	// Output: 7496.95
}

func ExampleAccount_SetMark() {
	a, btc := btcusdt()
	var s account.Summary
	for _, mark := range []string{"61000", "62000", "59000"} {
		_ = a.SetMark(btc, dectest.D(mark))
		_ = a.Summary(&s, "USDT")
		// Unrealised 0.5*(mark - 60,000); maintenance 0.4% of 0.5*mark.
		fmt.Println(mark, "unrealised", s.Unrealised.Text('f'), "maintenance", s.Maintenance.Text('f'))
	}
	err := a.SetMark(btc, dectest.D("0"))
	fmt.Println(errors.Is(err, derivmath.ErrPrice))
	// Output:
	// 61000 unrealised 500 maintenance 122
	// 62000 unrealised 1000 maintenance 124
	// 59000 unrealised -500 maintenance 118
	// true
}

func ExampleAccount_Mark() {
	a, btc := btcusdt()
	var m apd.Decimal
	ok := a.Mark(&m, btc)
	fmt.Println(m.Text('f'), ok)
	ok = a.Mark(&m, contract.XBTUSD()) // never marked
	fmt.Println(ok)
	// Output:
	// 61000 true
	// false
}

func ExampleAccount_Len() {
	a, btc := btcusdt()
	fmt.Println(a.Len())
	p := &account.Position{Spec: btc, Side: account.OneWay, Mode: account.Cross} // Qty 0 closes
	_ = a.Set(p)
	fmt.Println(a.Len())
	// Output:
	// 1
	// 0
}

func ExampleAccount_Position() {
	a, _ := btcusdt()
	p := a.Position(0)
	fmt.Println(p.Spec.Symbol, p.Side, p.Mode, p.Qty.Text('f'), p.Entry.Text('f'))
	// Output: BTCUSDT OneWay Cross 0.5 60000
}

func ExampleAccount_Find() {
	a, btc := btcusdt()
	fmt.Println(a.Find(btc, account.OneWay), a.Find(btc, account.Long))
	// Output: 0 -1
}

func ExampleAccount_Set() {
	a, _ := account.New(derivmath.NewContext(), liquidation.Binance)
	btc := contract.BTCUSDT()
	_ = a.SetWallet("USDT", dectest.D("10000"))
	p := &account.Position{Spec: btc, Side: account.OneWay, Mode: account.Cross, Tiers: margin.BTCUSDT()}
	p.Qty.Set(dectest.D("0.5"))
	p.Entry.Set(dectest.D("60000"))
	p.Leverage.SetInt64(20)
	fmt.Println(errors.Is(a.Set(p), account.ErrNoMark))
	_ = a.SetMark(btc, dectest.D("61000"))
	fmt.Println(a.Set(p), a.Len())
	// Add to the long: 1 BTC at an average entry of 60,500.
	p.Qty.Set(dectest.D("1"))
	p.Entry.Set(dectest.D("60500"))
	_ = a.Set(p)
	var s account.Summary
	_ = a.Summary(&s, "USDT")
	fmt.Println(a.Len(), "unrealised", s.Unrealised.Text('f'), "initial", s.Initial.Text('f'))
	// Output:
	// true
	// <nil> 1
	// 1 unrealised 500 initial 3050
}

func ExampleAccount_SetOrder() {
	a, btc := btcusdt()
	// A bid for 0.1 BTC at 59,000 adds to the long: it holds
	// 0.1 * 59,000 / 20 = 295 of initial margin.
	o := &account.Order{Spec: btc, Side: account.OneWay}
	o.Qty.Set(dectest.D("0.1"))
	o.Price.Set(dectest.D("59000"))
	o.Leverage.SetInt64(20)
	_ = a.SetOrder("bid-1", o)
	var s account.Summary
	_ = a.Summary(&s, "USDT")
	fmt.Println("orders", s.Orders.Text('f'), "available", s.Available.Text('f'))
	o.Qty.SetInt64(0) // cancel
	_ = a.SetOrder("bid-1", o)
	_ = a.Summary(&s, "USDT")
	fmt.Println("orders", s.Orders.Text('f'), "available", s.Available.Text('f'))
	// Output:
	// orders 295 available 8680
	// orders 0 available 8975
}

func ExampleAccount_Orders() {
	a, btc := btcusdt()
	o := &account.Order{Spec: btc, Side: account.OneWay}
	o.Qty.Set(dectest.D("-0.2"))
	o.Price.Set(dectest.D("63000"))
	_ = a.SetOrder("ask-1", o) // leverage 0: the position's 20x
	_ = a.SetOrder("ask-2", o)
	fmt.Println(a.Orders())
	// Output: 2
}

func ExampleAccount_Liquidatable() {
	a, btc := btcusdt()
	// The long is liquidated where 10,000 + 0.5*(P - 60,000) = 0.004*0.5*P,
	// P = 20,000/0.498 = 40160.64257028112449799196787148594377510040160642...
	for _, mark := range []string{"61000", "40161", "40160"} {
		_ = a.SetMark(btc, dectest.D(mark))
		fmt.Println(mark, a.Liquidatable())
	}
	// Output:
	// 61000 false
	// 40161 false
	// 40160 true
}

func ExampleAccount_Summary() {
	a, _ := btcusdt()
	var s account.Summary
	_ = a.Summary(&s, "USDT")
	fmt.Println("wallet", s.Wallet.Text('f'), "unrealised", s.Unrealised.Text('f'), "equity", s.Equity.Text('f'))
	fmt.Println("initial", s.Initial.Text('f'), "maintenance", s.Maintenance.Text('f'), "available", s.Available.Text('f'))
	// Ratio 122/10,500 = 0.01161904761904761904761904761904761904761904761904...,
	// rounded half-even to 19 digits.
	fmt.Println("ratio", s.Ratio.Text('f'), "liquidatable", s.Liquidatable)
	// Output:
	// wallet 10000 unrealised 500 equity 10500
	// initial 1525 maintenance 122 available 8975
	// ratio 0.01161904761904761905 liquidatable false
}

func ExampleAccount_Report() {
	a, _ := btcusdt()
	var r account.Report
	_ = a.Report(&r, 0, liquidation.TowardEntry)
	fmt.Println("value", r.Value.Text('f'), "initial", r.Initial.Text('f'), "maintenance", r.Maintenance.Text('f'))
	// Liquidation: 20,000/0.498 = 40160.6425702811244979919678714859437751004016...
	// rounded up to the 0.1 tick (toward entry); bankruptcy where
	// 10,000 + 0.5*(P - 60,000) = 0: 40,000. Distance 61,000 - 40,160.7 =
	// 20,839.3, over the mark: 0.3416278688524590163934426229508196721311...
	fmt.Println("liquidation", r.Liquidation.Text('f'), r.LiquidationStatus, "bankruptcy", r.Bankruptcy.Text('f'))
	fmt.Println("distance", r.Distance.Text('f'), r.DistancePct.Text('f'))
	// Output:
	// value 30500 initial 1525 maintenance 122
	// liquidation 40160.7 Found bankruptcy 40000.0
	// distance 20839.3 0.3416278688524590164
}

func ExampleMode_String() {
	fmt.Println(account.Isolated, account.Cross, account.Mode(0))
	// Output: Isolated Cross Mode(0)
}

func ExampleSide_String() {
	fmt.Println(account.OneWay, account.Long, account.Short, account.Side(0))
	// Output: OneWay Long Short Side(0)
}
