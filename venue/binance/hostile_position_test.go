package binance_test

import (
	"testing"

	"github.com/derivmath/derivmath/venue"
	"github.com/derivmath/derivmath/venue/binance"
	pt "github.com/derivmath/derivmath/venue/internal/payloadtest"
)

// TestPositionHostile converts decoded positions after setting each
// decimal Position reads (and one it does not) to a hostile value, as a
// caller filling a row by hand might: no panic, a documented error, or a
// Position of valid decimals.
func TestPositionHostile(t *testing.T) {
	for _, file := range []string{"usdm/positionRisk.json", "coinm/positionRisk.json"} {
		open, _, err := binance.DecodePositionRisk(pt.Load(t, "testdata/"+file))
		if err != nil {
			t.Fatal(err)
		}
		for i := range open {
			p := &open[i]
			pt.HostileFields(t, map[string]*venue.Decimal{
				"positionAmt": &p.PositionAmt, "entryPrice": &p.EntryPrice, "markPrice": &p.MarkPrice,
				"leverage": &p.Leverage, "isolatedWallet": &p.IsolatedWallet, "isolatedMargin": &p.IsolatedMargin,
				"unRealizedProfit": &p.UnRealizedProfit, "liquidationPrice": &p.LiquidationPrice, "notional": &p.Notional,
			}, p.Position)
		}
	}
}
