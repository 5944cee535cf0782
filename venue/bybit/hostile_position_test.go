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

// TestPositionContradiction converts a decoded position after editing it
// by hand into a row that contradicts itself, which DecodePositions would
// refuse: a negative size (the direction is Side's), an open row whose
// side is not "Buy" or "Sell" or disagrees with positionIdx, or a
// positionIdx outside 0 to 2. Each must be a *venue.FieldError naming the
// field, with Err venue.ErrValue, not a Position with the sign taken from
// one of the two (with two at fault, the first of size, positionIdx and
// side, in the order Position's doc lists them); the rows that agree with
// themselves convert.
func TestPositionContradiction(t *testing.T) {
	for _, c := range []struct {
		size, side string
		idx        int64
		field      string // "": converts
	}{
		{"-1", "Buy", 0, "size"},
		{"-1", "Sell", 0, "size"},
		{"-300", "Sell", 2, "size"},
		{"-1", "Buy", 1, "size"},
		{"-1", "", 0, "size"},
		{"-1", "None", 0, "size"},
		{"5", "", 0, "side"},
		{"5", "None", 0, "side"},
		{"5", "buy", 0, "side"},
		{"5", "Sell", 1, "side"},
		{"5", "Buy", 2, "side"},
		{"5", "Buy", 3, "positionIdx"},
		{"5", "Buy", -1, "positionIdx"},
		// Two at fault: the first of size, positionIdx and side.
		{"-1", "Buy", 3, "size"},
		{"5", "None", 3, "positionIdx"},
		{"5", "Buy", 0, ""},
		{"5", "Sell", 0, ""},
		{"5", "Buy", 1, ""},
		{"5", "Sell", 2, ""},
		{"0", "", 0, ""},
	} {
		open, _, err := bybit.DecodePositions(pt.Load(t, "testdata/position-list.json"))
		if err != nil {
			t.Fatal(err)
		}
		p := &open[0]
		if _, _, err := p.Size.SetString(c.size); err != nil {
			t.Fatal(err)
		}
		p.Side, p.PositionIdx = c.side, c.idx
		for _, mode := range []venue.MarginMode{venue.Isolated, venue.Cross} {
			z, err := p.Position(nil, mode)
			if c.field != "" {
				if err == nil {
					t.Errorf("size %s side %q positionIdx %d: converted to %s %s, want an error for %s", c.size, c.side, c.idx, z.Side, z.Qty.String(), c.field)
					continue
				}
				pt.FieldError(t, err, -1, p.Symbol, c.field, venue.ErrValue)
				continue
			}
			if err != nil {
				t.Errorf("size %s side %q positionIdx %d: %v", c.size, c.side, c.idx, err)
				continue
			}
			want := c.size
			if c.side == "Sell" {
				want = "-" + c.size
			}
			if neg := c.side == "Sell"; z.Qty.Negative != neg || z.Qty.Cmp(pt.D(want)) != 0 {
				t.Errorf("size %s side %q: Qty %s, want %s", c.size, c.side, z.Qty.String(), want)
			}
		}
	}
}
