package bybit_test

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/venue/bybit"
	pt "github.com/derivmath/derivmath/venue/internal/payloadtest"
)

// FuzzAssemble: any position/list and wallet-balance payloads, beside the
// XRPUSDT instrument and risk limits, assemble or fail with an error,
// never panic; an assembled account reports every position or fails with an error
// Report documents.
func FuzzAssemble(f *testing.F) {
	f.Add(pt.Load(f, "testdata/position-list-linear-2023.json"), pt.Load(f, "testdata/wallet-balance.json"))
	f.Add(pt.Load(f, "testdata/position-ws-hedge.json"), pt.Load(f, "testdata/wallet-balance-contract.json"))
	ins := pt.Load(f, "testdata/assemble/instruments-xrpusdt.json")
	limits := pt.Load(f, "testdata/assemble/risk-limit-xrpusdt.json")
	ctx := derivmath.NewContext()
	opt := &bybit.Options{Taker: map[string]*apd.Decimal{"XRPUSDT": pt.D("0.0006")}}
	f.Fuzz(func(t *testing.T, positions, wallet []byte) {
		a, cs, err := bybit.Assemble(ctx, &bybit.Payloads{Instruments: ins, Positions: positions, RiskLimits: limits, Wallet: wallet}, opt)
		if err != nil {
			return
		}
		for i := range cs {
			_ = cs[i].String()
		}
		pt.CheckReports(t, a, liquidation.TowardEntry)
	})
}
