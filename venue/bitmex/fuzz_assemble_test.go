package bitmex_test

import (
	"testing"

	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/venue/bitmex"
	pt "github.com/derivmath/derivmath/venue/internal/payloadtest"
)

// FuzzAssemble: any instrument, position and margin payloads (seeded with
// the 2019 instruments and a margin row) assemble or fail with an error,
// never panic (a *venue.FieldError among the errors wraps a venue
// sentinel); an assembled account reports every position or fails with
// an error Report documents.
func FuzzAssemble(f *testing.F) {
	ins2019 := pt.Load(f, "testdata/instrument-2019.json")
	margin := pt.Load(f, "testdata/margin-with-position.json")
	f.Add(ins2019, pt.Load(f, "testdata/position.json"), margin)
	f.Add(ins2019, []byte(`[{"symbol":"XBTUSD","currency":"XBt","currentQty":-1,"crossMargin":false,"leverage":1,"avgEntryPrice":10000,"markPrice":20000,"commission":0.00075,"initMarginReq":1,"maintMarginReq":0.005,"posCost":10000,"posInit":10000,"posComm":0,"posCross":0,"posLoss":0,"posMargin":10000,"posMaint":0,"unrealisedPnl":1}]`), margin)
	f.Add(ins2019, []byte(`[{"symbol":"XBTUSD","currency":"XBt","currentQty":1,"crossMargin":true,"leverage":100,"avgEntryPrice":6377,"markPrice":6382.17,"commission":0.00075,"initMarginReq":0.01,"maintMarginReq":0.005,"posCost":-15681,"posInit":157,"posComm":12,"posCross":0,"posLoss":0,"posMargin":169,"posMaint":91,"unrealisedPnl":12}]`), margin)
	f.Add(pt.Load(f, "testdata/instrument.json"), pt.Load(f, "testdata/position.json"), pt.Load(f, "testdata/margin.json"))
	// A negative posLoss, which margin.BitMEXPosition refuses.
	f.Add(ins2019, pt.Edit(f, pt.Load(f, "testdata/position.json"), "0.posLoss", "-1"), margin)
	ctx := derivmath.NewContext()
	f.Fuzz(func(t *testing.T, ins, positions, margins []byte) {
		a, cs, err := bitmex.Assemble(ctx, &bitmex.Payloads{Instruments: ins, Positions: positions, Margins: margins}, nil)
		if err != nil {
			pt.AssembleDocumented(t, err)
			return
		}
		for i := range cs {
			_ = cs[i].String()
		}
		pt.CheckReports(t, a, liquidation.TowardEntry)
	})
}
