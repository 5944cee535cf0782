package bitmex_test

import (
	"testing"

	"github.com/derivmath/derivmath/venue"
	"github.com/derivmath/derivmath/venue/bitmex"
	pt "github.com/derivmath/derivmath/venue/internal/payloadtest"
)

// TestPositionHostile converts decoded positions after setting each
// decimal Position reads (and one it does not) to a hostile value, as a
// caller filling a row by hand might: no panic, a documented error, or a
// Position of valid decimals.
func TestPositionHostile(t *testing.T) {
	open, _, err := bitmex.DecodePositions(pt.Load(t, "testdata/position.json"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range open {
		p := &open[i]
		for _, cross := range []bool{false, true} {
			p.CrossMargin = cross
			pt.HostileFields(t, map[string]*venue.Decimal{
				"currentQty": &p.CurrentQty, "avgEntryPrice": &p.AvgEntryPrice, "markPrice": &p.MarkPrice,
				"leverage": &p.Leverage, "posMargin": &p.PosMargin, "liquidationPrice": &p.LiquidationPrice,
				"bankruptPrice": &p.BankruptPrice, "posCost": &p.PosCost,
			}, func() (*venue.Position, error) { return p.Position(nil) })
		}
	}
}
