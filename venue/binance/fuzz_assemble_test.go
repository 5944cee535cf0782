package binance_test

import (
	"testing"

	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/venue/binance"
	pt "github.com/derivmath/derivmath/venue/internal/payloadtest"
)

// FuzzAssemble: any exchangeInfo, positionRisk, leverageBracket and
// account payloads (seeded with the bot case's and the samples) assemble
// or fail with an error, never panic (a *venue.FieldError among the
// errors wraps a venue sentinel); an assembled account reports every
// position or fails with an error Report documents.
func FuzzAssemble(f *testing.F) {
	botSyms := pt.Load(f, "testdata/bot/exchangeInfo.json")
	botBrackets := pt.Load(f, "testdata/bot/leverageBracket.json")
	f.Add(botSyms, pt.Load(f, "testdata/bot/positionRisk.json"), botBrackets, pt.Load(f, "testdata/bot/account.json"))
	f.Add(botSyms, pt.Load(f, "testdata/usdm/positionRisk.json"), botBrackets, pt.Load(f, "testdata/usdm/account.json"))
	f.Add(botSyms, pt.Load(f, "testdata/usdm/positionRisk-v3.json"), botBrackets, []byte(`{"assets":[]}`))
	f.Add(pt.Load(f, "testdata/coinm/exchangeInfo-symbol.json"), pt.Load(f, "testdata/coinm/positionRisk.json"), pt.Load(f, "testdata/coinm/leverageBracket.json"), []byte(`{"assets":[]}`))
	// One-way and hedge rows of one symbol, which the account refuses.
	f.Add(pt.Load(f, "testdata/assemble/symbols.json"), pt.Load(f, "testdata/usdm/positionRisk-v3.json"), pt.Load(f, "testdata/assemble/leverageBracket.json"), []byte(`{"assets":[]}`))
	ctx := derivmath.NewContext()
	f.Fuzz(func(t *testing.T, syms, positions, brackets, acct []byte) {
		a, cs, err := binance.Assemble(ctx, &binance.Payloads{Symbols: syms, Positions: positions, Brackets: brackets, Account: acct}, nil)
		if err != nil {
			pt.AssembleDocumented(t, err)
			return
		}
		for i := range cs {
			_ = cs[i].String()
		}
		pt.CheckReports(t, a, liquidation.Exact)
	})
}
