package binance_test

import (
	"fmt"
	"log"
	"os"

	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/venue/binance"
)

// A bot holds a Binance USD-M cross account with three positions. From the
// bodies of exchangeInfo, positionRisk (flat rows and all),
// leverageBracket and account, it gets every position's liquidation price,
// each holding the others at their marks, as Binance computes it.
func Example_bot() {
	var p binance.Payloads
	for dst, name := range map[*[]byte]string{&p.Symbols: "exchangeInfo", &p.Positions: "positionRisk", &p.Brackets: "leverageBracket", &p.Account: "account"} {
		*dst, _ = os.ReadFile("testdata/bot/" + name + ".json") // or the HTTP response body
	}
	a, _, err := binance.Assemble(derivmath.NewContext(), &p, nil)
	if err != nil {
		log.Fatal(err)
	}
	var r account.Report
	for i := range a.Len() {
		if err := a.Report(&r, i, liquidation.Exact); err != nil {
			log.Fatal(err)
		}
		fmt.Println(a.Position(i).Spec.Symbol, r.LiquidationStatus, r.Liquidation.Text('f'))
	}
	// Output:
	// BTCUSDT Found 55380.72289156626506
	// ETHUSDT Found 3795.081967213114754
	// DOGEUSDT Never 0
}

// Assemble returns, beside the account, every number the exchange reports
// in the payloads next to derivmath's, for a bot to log the differences.
func ExampleAssemble() {
	var p binance.Payloads
	for dst, name := range map[*[]byte]string{&p.Symbols: "exchangeInfo", &p.Positions: "positionRisk", &p.Brackets: "leverageBracket", &p.Account: "account"} {
		*dst, _ = os.ReadFile("testdata/bot/" + name + ".json")
	}
	_, cs, err := binance.Assemble(derivmath.NewContext(), &p, nil)
	if err != nil {
		log.Fatal(err)
	}
	for i := range cs[:4] {
		fmt.Println(cs[i].String())
	}
	// Output:
	// BTCUSDT OneWay liquidationPrice: the exchange says 55380.72289156, derivmath says 55380.72289156626506 (agree)
	// BTCUSDT OneWay unRealizedProfit: the exchange says 500.00000000, derivmath says 500 (agree)
	// BTCUSDT OneWay notional: the exchange says 30500.00000000, derivmath says 30500 (agree)
	// ETHUSDT OneWay liquidationPrice: the exchange says 3795.08196721, derivmath says 3795.081967213114754 (agree)
}
