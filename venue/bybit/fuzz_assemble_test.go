package bybit_test

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/venue/bybit"
	pt "github.com/derivmath/derivmath/venue/internal/payloadtest"
)

// FuzzAssemble: any instruments-info, position/list, risk-limit and
// wallet-balance payloads (seeded with the XRPUSDT and BTCUSD samples)
// assemble or fail with an error, never panic (a *venue.FieldError among the
// errors wraps a venue sentinel); an assembled account
// reports every position or fails with an error Report documents.
func FuzzAssemble(f *testing.F) {
	xrpIns := pt.Load(f, "testdata/assemble/instruments-xrpusdt.json")
	xrpLimits := pt.Load(f, "testdata/assemble/risk-limit-xrpusdt.json")
	f.Add(xrpIns, pt.Load(f, "testdata/position-list-linear-2023.json"), xrpLimits, pt.Load(f, "testdata/wallet-balance.json"))
	f.Add(xrpIns, pt.Load(f, "testdata/position-ws-hedge.json"), xrpLimits, pt.Load(f, "testdata/wallet-balance-contract.json"))
	f.Add(pt.Load(f, "testdata/instruments-info-inverse.json"), pt.Load(f, "testdata/position-list.json"), pt.Load(f, "testdata/risk-limit-inverse-captured.json"), pt.Load(f, "testdata/wallet-balance-contract.json"))
	// A one-way row beside a hedge leg of one symbol, which the account
	// refuses.
	xrp := pt.Load(f, "testdata/position-list-linear-2023.json")
	row := first(f, xrp)
	both := pt.Edit(f, xrp, "result.list", "["+string(row)+","+string(pt.Edit(f, row, "positionIdx", "1"))+"]")
	f.Add(xrpIns, both, xrpLimits, []byte(nil))
	ctx := derivmath.NewContext()
	opt := &bybit.Options{Taker: map[string]*apd.Decimal{"XRPUSDT": pt.D("0.0006"), "BTCUSD": pt.D("0.0006")}}
	f.Fuzz(func(t *testing.T, ins, positions, limits, wallet []byte) {
		a, cs, err := bybit.Assemble(ctx, &bybit.Payloads{Instruments: ins, Positions: positions, RiskLimits: limits, Wallet: wallet}, opt)
		if err != nil {
			pt.AssembleDocumented(t, err, new(*bybit.APIError))
			return
		}
		for i := range cs {
			_ = cs[i].String()
		}
		pt.CheckReports(t, a, liquidation.TowardEntry)
	})
}
