package bitmex_test

import (
	"errors"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
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

// TestPositionMarginRange converts a decoded position whose posMargin is
// a valid decimal in XBt but not in XBT (1E-95 XBt is 1E-103 XBT): an
// isolated row is a *venue.FieldError naming posMargin, with Err
// venue.ErrNumber wrapping derivmath.ErrRange; a cross row, which does not
// read posMargin, converts.
func TestPositionMarginRange(t *testing.T) {
	open, _, err := bitmex.DecodePositions(pt.Load(t, "testdata/position.json"))
	if err != nil {
		t.Fatal(err)
	}
	p := &open[0]
	if p.Currency != "XBt" {
		t.Fatalf("row 0's currency is %s, want XBt", p.Currency)
	}
	p.PosMargin.Set(pt.D("1E-95"))
	p.CrossMargin = false
	_, err = p.Position(nil)
	pt.FieldError(t, err, 0, p.Symbol, "posMargin", venue.ErrNumber)
	if !errors.Is(err, derivmath.ErrRange) {
		t.Errorf("posMargin 1E-95 XBt: %v, want errors.Is derivmath.ErrRange", err)
	}
	p.CrossMargin = true
	if _, err := p.Position(nil); err != nil {
		t.Errorf("cross, posMargin 1E-95 XBt: %v", err)
	}
}

// TestPositionErrorOrder converts a decoded position whose currency is
// unknown and whose markPrice is NaN: the error names currency
// (ErrCurrency), the first of Position's errors in the order its doc lists
// them, before a decimal that is not valid.
func TestPositionErrorOrder(t *testing.T) {
	open, _, err := bitmex.DecodePositions(pt.Load(t, "testdata/position.json"))
	if err != nil {
		t.Fatal(err)
	}
	p := &open[0]
	p.Currency = "XBT"
	p.MarkPrice.Set(&apd.Decimal{Form: apd.NaN})
	_, err = p.Position(nil)
	pt.FieldError(t, err, 0, p.Symbol, "currency", bitmex.ErrCurrency)
}
