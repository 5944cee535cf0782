package bybit_test

import (
	"testing"

	"github.com/derivmath/derivmath/venue"
	"github.com/derivmath/derivmath/venue/bybit"
	pt "github.com/derivmath/derivmath/venue/internal/payloadtest"
)

// TestPositionHostile converts decoded positions after setting each
// decimal Position reads (and one it does not) to a hostile value, as a
// caller filling a row by hand might: no panic, a documented error, or a
// Position of valid decimals (a short's size of 0 included: not -0).
func TestPositionHostile(t *testing.T) {
	open, _, err := bybit.DecodePositions(pt.Load(t, "testdata/position-list.json"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range open {
		p := &open[i]
		for _, mode := range []venue.MarginMode{venue.Isolated, venue.Cross} {
			pt.HostileFields(t, map[string]*venue.Decimal{
				"size": &p.Size, "avgPrice": &p.AvgPrice, "markPrice": &p.MarkPrice, "leverage": &p.Leverage,
				"positionBalance": &p.PositionBalance, "positionIM": &p.PositionIM, "liqPrice": &p.LiqPrice,
				"bustPrice": &p.BustPrice, "positionValue": &p.PositionValue,
			}, func() (*venue.Position, error) { return p.Position(nil, mode) })
		}
	}
}
