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

// TestPositionContradiction converts a decoded position after editing it
// by hand into a row that DecodePositionRisk would refuse: a LONG leg
// with a negative positionAmt, a SHORT leg with a positive one, or a
// PositionSide that is none of OneWay, Long and Short. Each must be a
// *venue.FieldError naming the field, with Err venue.ErrValue, not a
// Position whose side and quantity disagree; the rows that agree with
// themselves convert, a leg of either side with a positionAmt of 0
// included.
func TestPositionContradiction(t *testing.T) {
	for _, c := range []struct {
		amt   string
		side  venue.PositionSide
		field string // "": converts
	}{
		{"-1", venue.Long, "positionAmt"},
		{"1", venue.Short, "positionAmt"},
		{"1", 0, "positionSide"},
		{"-1", venue.Short + 1, "positionSide"},
		{"1", -1, "positionSide"},
		{"1", venue.Long, ""},
		{"-1", venue.Short, ""},
		{"1", venue.OneWay, ""},
		{"-1", venue.OneWay, ""},
		{"0", venue.Long, ""},
		{"0", venue.Short, ""},
	} {
		open, _, err := binance.DecodePositionRisk(pt.Load(t, "testdata/usdm/positionRisk.json"))
		if err != nil {
			t.Fatal(err)
		}
		p := &open[0]
		if _, _, err := p.PositionAmt.SetString(c.amt); err != nil {
			t.Fatal(err)
		}
		p.PositionSide = c.side
		z, err := p.Position()
		if c.field != "" {
			if err == nil {
				t.Errorf("positionAmt %s side %s: converted to %s %s, want an error for %s", c.amt, c.side, z.Side, z.Qty.String(), c.field)
				continue
			}
			pt.FieldError(t, err, -1, p.Symbol, c.field, venue.ErrValue)
			continue
		}
		if err != nil {
			t.Errorf("positionAmt %s side %s: %v", c.amt, c.side, err)
			continue
		}
		if z.Side != c.side || z.Qty.Cmp(pt.D(c.amt)) != 0 {
			t.Errorf("positionAmt %s side %s: converted to %s %s", c.amt, c.side, z.Side, z.Qty.String())
		}
	}
}

// TestPositionMarginType converts a decoded position after setting its
// MarginType by hand: 0 (the payload does not say, as on v3), Isolated and
// Cross convert with that Mode; any other value is a *venue.FieldError
// naming marginType, with Err venue.ErrValue, not a Position whose Mode is
// none of the modes.
func TestPositionMarginType(t *testing.T) {
	for _, m := range []venue.MarginMode{-1, 0, venue.Isolated, venue.Cross, venue.Cross + 1, 7} {
		open, _, err := binance.DecodePositionRisk(pt.Load(t, "testdata/usdm/positionRisk.json"))
		if err != nil {
			t.Fatal(err)
		}
		p := &open[0]
		if m == venue.Isolated && !p.IsolatedWallet.Valid && !p.IsolatedMargin.Valid {
			p.IsolatedWallet.SetInt64(1)
			p.IsolatedWallet.Valid = true
		}
		p.MarginType = m
		z, err := p.Position()
		if m < 0 || m > venue.Cross {
			if err == nil {
				t.Errorf("MarginType %d: converted to Mode %s, want an error for marginType", m, z.Mode)
				continue
			}
			pt.FieldError(t, err, -1, p.Symbol, "marginType", venue.ErrValue)
			continue
		}
		if err != nil {
			t.Errorf("MarginType %d: %v", m, err)
			continue
		}
		if z.Mode != m {
			t.Errorf("MarginType %d: Mode %s", m, z.Mode)
		}
	}
}
