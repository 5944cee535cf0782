package drive_test

import (
	"testing"

	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/engine"
	"github.com/derivmath/derivmath/engine/drive"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/derivmath/derivmath/orderbook"
	"pgregory.net/rapid"
)

// TestSendHostileLimit: Send rounds an intent's limit to the tick, the
// one number it rounds, and FuzzDriver never reprices one. Here the long
// (a sell) or the short (a buy) is taken over under BitMEX's rules (the
// fund's GTC) or Binance's (the account's IOC), its intent repriced to a
// hostile decimal or one near the book (off the tick, under one tick,
// beyond an int64 of ticks, beyond the precision), in the default context
// or, for the driver, any (dectest.AnyContext), with hostile orders
// placed first: Place and Send return only documented errors, change
// nothing when they fail, and conserve money.
func TestSendHostileLimit(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		ctx := derivmath.NewContext()
		p := engine.PresetBitMEX()
		p.Partial, p.RiskLimits = engine.PartialNone, nil
		if rapid.Bool().Draw(rt, "binance") {
			p = engine.PresetBinance()
		}
		st := newState(t, ctx, p)
		if err := st.SetFund(d("10")); err != nil {
			rt.Fatal(err)
		}
		dctx := ctx
		if rapid.Bool().Draw(rt, "any context") {
			dctx = dectest.AnyContext(rt)
		}
		dr := drive.New(dctx, st, orderbook.New(16, 16), 1)
		fd := &fuzzDriver{t: t, dr: dr, st: st}
		if err := st.Total(&fd.t0); err != nil {
			rt.Fatal(err)
		}
		near := []string{"98", "99", "99.25", "101", "199.5", "200", "0.25", "1e6"}
		for k := rapid.IntRange(0, 4).Draw(rt, "orders"); k > 0; k-- {
			side := orderbook.Side(rapid.IntRange(1, 2).Draw(rt, "side"))
			px, q := d(rapid.SampledFrom(near).Draw(rt, "price")), d(rapid.SampledFrom([]string{"1", "2"}).Draw(rt, "qty"))
			if rapid.Bool().Draw(rt, "hostile order") {
				px, q = dectest.HostileDecimal(rt, "hostile price"), dectest.HostileDecimal(rt, "hostile qty")
			}
			_ = fd.atomic("Place", func() error {
				_, err := dr.Place(0, side, px, q)
				return err
			})
		}
		i, mark := 1, "99.25" // the long, whose close sells
		if rapid.Bool().Draw(rt, "short") {
			i, mark = 2, "199.5" // the short, whose close buys
		}
		if err := st.SetMark(d(mark)); err != nil {
			rt.Fatal(err)
		}
		if _, ok, err := st.Trigger(nil, i); err != nil || !ok {
			rt.Fatalf("Trigger(%d) at %s: %v, %v", i, mark, ok, err)
		}
		_, id, err := st.Takeover(nil, i)
		if err != nil || id == 0 {
			rt.Fatalf("Takeover(%d): intent %d, %v", i, id, err)
		}
		lim := dectest.HostileDecimal(rt, "hostile limit")
		if rapid.Bool().Draw(rt, "near the book") {
			lim = d(rapid.SampledFrom([]string{"99.1", "99.3", "98.9", "199.6", "200.1", "0.1", "1e-30", "1e25", "99.250000000000000000001"}).Draw(rt, "limit"))
		}
		if err := st.Reprice(id, lim); err != nil {
			rt.Skip("a limit Reprice refuses")
		}
		var ev []engine.Event
		_ = fd.atomic("Send", func() error {
			var err error
			ev, err = dr.Send(ev, id)
			return err
		})
	})
}
