package bybit_test

import (
	"fmt"
	"log"
	"os"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/venue/bybit"
)

// An XRPUSDT long from Bybit's documentation, with the account's taker
// rate (0.06%) and margin mode, which the payloads lack: derivmath's
// margins, fee to close included, beside Bybit's. The documentation's
// account was cross with a wallet the payloads do not show (Bybit writes
// the minimum price, "none"); as an isolated position it is liquidated at
// 0.3290.
func ExampleAssemble() {
	var p bybit.Payloads
	for dst, name := range map[*[]byte]string{&p.Instruments: "assemble/instruments-xrpusdt", &p.Positions: "position-list-linear-2023", &p.RiskLimits: "assemble/risk-limit-xrpusdt"} {
		b, err := os.ReadFile("testdata/" + name + ".json")
		if err != nil {
			log.Fatal(err)
		}
		*dst = b
	}
	taker, _, _ := apd.NewFromString("0.0006")
	o := &bybit.Options{Mode: account.Isolated, Taker: map[string]*apd.Decimal{"XRPUSDT": taker}}
	_, cs, err := bybit.Assemble(derivmath.NewContext(), &p, o)
	if err != nil {
		log.Fatal(err)
	}
	for i := range cs {
		fmt.Println(cs[i].String())
	}
	// Output:
	// XRPUSDT OneWay liqPrice: the exchange says none, derivmath says 0.3290 (differ)
	// XRPUSDT OneWay positionIM: the exchange says 3.634521, derivmath says 3.634521 (agree)
	// XRPUSDT OneWay positionMM: the exchange says 0.381021, derivmath says 0.381021 (agree)
	// XRPUSDT OneWay unrealisedPnl: the exchange says -1.83, derivmath says -1.83 (agree)
}
