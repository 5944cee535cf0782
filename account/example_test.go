package account_test

import (
	"fmt"

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
