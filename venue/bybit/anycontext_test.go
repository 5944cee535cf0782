package bybit_test

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/venue/bybit"
	pt "github.com/derivmath/derivmath/venue/internal/payloadtest"
)

// TestAssembleAnyContext: the payloads of TestAssemblePayloads (XRPUSDT,
// BTCUSD, BTCUSDT in hedge mode) assemble in every context of 1 to 50
// digits, any rounding, Inexact trapped or not, or fail with ErrRange or
// the trapped Inexact; the accounts report (payloadtest.AnyContext).
func TestAssembleAnyContext(t *testing.T) {
	taker := map[string]*apd.Decimal{"XRPUSDT": pt.D("0.0006"), "BTCUSD": pt.D("0.0006"), "BTCUSDT": pt.D("0.00055")}
	for _, c := range [][3]string{
		{"assemble/instruments-xrpusdt.json", "position-list-linear-2023.json", "assemble/risk-limit-xrpusdt.json"},
		{"instruments-info-inverse.json", "position-list.json", "risk-limit-inverse-captured.json"},
		{"instruments-info-linear-2023.json", "position-ws-hedge.json", "risk-limit-linear-captured.json"},
	} {
		p := &bybit.Payloads{
			Instruments: pt.Load(t, "testdata/"+c[0]),
			Positions:   pt.Load(t, "testdata/"+c[1]),
			RiskLimits:  pt.Load(t, "testdata/"+c[2]),
		}
		pt.AnyContext(t, func(ctx *apd.Context) (*account.Account, error) {
			a, _, err := bybit.Assemble(ctx, p, &bybit.Options{Taker: taker})
			return a, err
		})
	}
}
