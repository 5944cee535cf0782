package bitmex_test

import (
	"fmt"
	"log"
	"os"

	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/venue/bitmex"
)

// A BitMEX account with one cross XBTUSD long, from its /instrument,
// /position and /user/margin payloads: derivmath's numbers beside BitMEX's.
func ExampleAssemble() {
	var p bitmex.Payloads
	var err error
	if p.Instruments, err = os.ReadFile("testdata/instrument-2019.json"); err != nil {
		log.Fatal(err)
	}
	p.Positions = []byte(`[` + row3 + `]`) // GET /api/v1/position
	if p.Margins, err = os.ReadFile("testdata/margin-with-position.json"); err != nil {
		log.Fatal(err)
	}
	_, cs, err := bitmex.Assemble(derivmath.NewContext(), &p, nil)
	if err != nil {
		log.Fatal(err)
	}
	for i := range cs {
		fmt.Println(cs[i].String())
	}
	// Output:
	// XBTUSD OneWay liquidationPrice: the exchange says 9, derivmath says 9.0 (agree)
	// XBTUSD OneWay bankruptPrice: the exchange says 9, derivmath says 9.0 (agree)
	// XBTUSD OneWay posInit: the exchange says 0.00000157, derivmath says 0.00000157 (agree)
	// XBTUSD OneWay posComm: the exchange says 0.00000012, derivmath says 0.00000012 (agree)
	// XBTUSD OneWay posMaint: the exchange says 0.00000091, derivmath says 0.00000091 (agree)
	// XBTUSD OneWay unrealisedPnl: the exchange says 0.00000012, derivmath says 0.0000001234811513952151 (agree)
	// XBT marginBalance: the exchange says 0.11193832, derivmath says 0.1119383234811513952 (agree)
	// XBT availableMargin: the exchange says 0.11193651, derivmath says 0.11193651 (agree)
}

// row3 is the XBTUSD cross long of testdata/position.json (row 3), the
// position of the account of margin-with-position.json.
const row3 = `{"account":423359,"symbol":"XBTUSD","currency":"XBt","underlying":"XBT","quoteCurrency":"USD",
"commission":0.00075,"initMarginReq":0.01,"maintMarginReq":0.005,"riskLimit":20000000000,"leverage":100,
"crossMargin":true,"currentQty":1,"markPrice":6382.17,"avgEntryPrice":6377,"posCost":-15681,"posInit":157,
"posComm":12,"posCross":0,"posLoss":0,"posMargin":169,"posMaint":91,"maintMargin":181,"markValue":-15669,
"unrealisedCost":-15681,"unrealisedPnl":12,"realisedPnl":-10,"liquidationPrice":9,"bankruptPrice":9,"isOpen":true}`
