package drive_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/engine"
	"github.com/derivmath/derivmath/engine/drive"
	"github.com/derivmath/derivmath/orderbook"
)

// TestErrorsDocumented returns, for each method of a Driver, the
// sentinels its godoc names itself from one input each, and one of each
// group it names by reference (documented in fuzz_test.go resolves them),
// each checked to be in the method's list. Deeper ones have their own
// tests: ErrOwner TestSendGTCAndOwner; Send's engine.ErrNegativeFund (an
// Execute error) TestSendRefusedChangesNothing; Liquidate's
// engine.ErrIntentOpen TestLiquidateIntentOpen.
func TestErrorsDocumented(t *testing.T) {
	place := func(trader int, side orderbook.Side, price, qty string) func() error {
		return func() error {
			dr, _ := setup(t, "99")
			_, err := dr.Place(trader, side, d(price), d(qty))
			return err
		}
	}
	// takenOver is setup's long triggered at 99 and taken over: its
	// takeover intent open.
	takenOver := func() (*drive.Driver, *engine.State, engine.IntentID) {
		dr, st := setup(t, "99")
		if err := st.SetMark(d("99")); err != nil {
			t.Fatal(err)
		}
		if _, ok, err := st.Trigger(nil, 1); err != nil || !ok {
			t.Fatal(ok, err)
		}
		_, id, err := st.Takeover(nil, 1)
		if err != nil {
			t.Fatal(err)
		}
		return dr, st, id
	}
	cases := []struct {
		fn   string
		want error
		call func() error
	}{
		{"Place", derivmath.ErrContext, func() error {
			dr, st := setup(t, "")
			_, err := drive.New(nil, st, dr.Book, 1).Place(2, orderbook.Sell, d("101"), d("1"))
			return err
		}},
		{"Place", engine.ErrTrader, place(3, orderbook.Sell, "101", "1")},
		{"Place", contract.ErrOffTick, place(2, orderbook.Sell, "101.1", "1")},
		{"Place", contract.ErrOffLot, place(2, orderbook.Sell, "101", "1.5")},
		{"Place", derivmath.ErrPrice, place(2, orderbook.Sell, "0", "1")},
		{"Place", orderbook.ErrWouldCross, place(2, orderbook.Sell, "98", "1")},
		{"Place", orderbook.ErrInvalidSide, place(2, 0, "101", "1")},
		{"Place", orderbook.ErrInvalidQty, place(2, orderbook.Sell, "101", "0")},
		{"Send", derivmath.ErrContext, func() error {
			dr, st, id := takenOver()
			_, err := drive.New(nil, st, dr.Book, 1).Send(nil, id)
			return err
		}},
		// A sell's limit of 1e25 is 4e25 ticks of 0.25: no int64.
		{"Send", derivmath.ErrRange, func() error {
			dr, st, id := takenOver()
			if err := st.Reprice(id, d("1e25")); err != nil {
				t.Fatal(err)
			}
			_, err := dr.Send(nil, id)
			return err
		}},
		{"Send", engine.ErrUnknownIntent, func() error {
			dr, _ := setup(t, "99")
			_, err := dr.Send(nil, 99)
			return err
		}},
		{"Liquidate", engine.ErrTrader, func() error {
			dr, _ := setup(t, "99")
			_, err := dr.Liquidate(nil, 9, 0)
			return err
		}},
		// MustADL's, for the fund's inventory.
		{"Deleverage", engine.ErrNegativeFund, func() error {
			dr, _, _ := fundHoldsLong(t)
			dr.ADL.Peak.SetInt64(-1)
			_, err := dr.Deleverage(nil)
			return err
		}},
		{"Deleverage", derivmath.ErrNaN, func() error {
			dr, _, _ := fundHoldsLong(t)
			dr.ADL.Peak.Form = apd.NaN
			_, err := dr.Deleverage(nil)
			return err
		}},
	}
	for _, c := range cases {
		if !slices.Contains(documented[c.fn], c.want) {
			t.Errorf("%s: %v is not in its documented list", c.fn, c.want)
		}
		if err := c.call(); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.fn, err, c.want)
		}
	}
}
