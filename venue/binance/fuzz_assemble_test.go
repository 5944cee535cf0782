package binance_test

import (
	"testing"

	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/venue/binance"
	pt "github.com/derivmath/derivmath/venue/internal/payloadtest"
)

// FuzzAssemble: any positionRisk and account payloads, beside the bot
// case's symbols and brackets, assemble or fail with an error, never
// panic; an assembled account reports every position or fails with an error
// Report documents.
func FuzzAssemble(f *testing.F) {
	f.Add(pt.Load(f, "testdata/bot/positionRisk.json"), pt.Load(f, "testdata/bot/account.json"))
	f.Add(pt.Load(f, "testdata/usdm/positionRisk.json"), pt.Load(f, "testdata/usdm/account.json"))
	f.Add(pt.Load(f, "testdata/usdm/positionRisk-v3.json"), []byte(`{"assets":[]}`))
	syms := pt.Load(f, "testdata/bot/exchangeInfo.json")
	brackets := pt.Load(f, "testdata/bot/leverageBracket.json")
	ctx := derivmath.NewContext()
	f.Fuzz(func(t *testing.T, positions, acct []byte) {
		a, cs, err := binance.Assemble(ctx, &binance.Payloads{Symbols: syms, Positions: positions, Brackets: brackets, Account: acct}, nil)
		if err != nil {
			return
		}
		for i := range cs {
			_ = cs[i].String()
		}
		pt.CheckReports(t, a, liquidation.Exact)
	})
}
