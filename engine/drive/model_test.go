package drive_test

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/engine"
	"github.com/derivmath/derivmath/engine/drive"
	"github.com/derivmath/derivmath/engine/internal/enginetest"
	"github.com/derivmath/derivmath/orderbook"
	"pgregory.net/rapid"
)

// TestDriverModel is a rapid state machine for a Driver: a random small
// market (a preset, a linear or inverse contract, the street and pairs of
// long and short traders, a fund; resting orders placed with Place), then
// mark moves, Place, cancels on the book, Liquidate (one trader, or every
// trader in turn and Deleverage, as on a mark tick), Deleverage, and the
// steps by hand with Send on open intents, Reprice (then Send, or not)
// and Withdraw, and Driver.ADL (a peak, Running) set as a caller keeps
// it, under a Driver.Trigger drawn at the start. Liquidate and Deleverage must deleverage
// exactly when their docs say (MustADL, the model's). Two naive models
// are kept:
//
//   - enginetest.Ledger, the event-sourced ledger engine's TestModel
//     keeps too: every balance, quantity, tier, order, intent and
//     Liquidating flag the State exposes must be what the Driver's events
//     since the start make of the initial state, each Trade's value its
//     quantity's at its price, State.Total is conserved and the quantities
//     sum to zero;
//   - book, a list of the orders placed with Place in time order, matched
//     by hand (price-time priority, self-trade prevention cancelling the
//     holder's own resting orders, IOC or FOK) for each order the Driver
//     sends: each fill it predicts must reach the engine as the intent's
//     next Trade, at the same price, quantity and maker, none may be
//     missing, and the book must rest exactly the model's orders, in
//     priority order, with their open quantities.
func TestDriverModel(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		h := newHarness(rt)
		who := func(rt *rapid.T) int { return rapid.IntRange(1, h.st.Len()-1).Draw(rt, "trader") }
		rt.Repeat(map[string]func(*rapid.T){
			"": func(rt *rapid.T) { h.check(rt, "start") },
			"mark": func(rt *rapid.T) {
				h.moveMark(rt)
				h.check(rt, "SetMark")
			},
			"place": func(rt *rapid.T) { h.place(rt) },
			"cancel": func(rt *rapid.T) {
				if len(h.book) == 0 {
					rt.Skip("empty book")
				}
				k := rapid.IntRange(0, len(h.book)-1).Draw(rt, "order")
				o := h.book[k]
				got, err := h.dr.Book.Cancel(o.id)
				if err != nil || got.Qty != o.qty || got.Price != o.px {
					rt.Fatalf("Cancel(%d): %+v, %v; the model's %+v", o.id, got, err, o)
				}
				h.book = slices.Delete(h.book, k, k+1)
				h.check(rt, fmt.Sprintf("Cancel(%d)", o.id))
			},
			"liquidate": func(rt *rapid.T) {
				h.liquidate(rt, who(rt), rapid.IntRange(0, 3).Draw(rt, "maxPartial"))
			},
			"tick": func(rt *rapid.T) {
				// A mark tick: every trader in turn, then the fund's inventory.
				h.moveMark(rt)
				h.check(rt, "SetMark")
				for i := 1; i < h.st.Len(); i++ {
					h.liquidate(rt, i, 3)
				}
				h.deleverage(rt)
			},
			"deleverage": func(rt *rapid.T) { h.deleverage(rt) },
			"step": func(rt *rapid.T) {
				// S2, S3 and one of S4 or S5 by hand: their intents stay
				// open, for "send" and "withdraw".
				i := who(rt)
				ev, liq, _ := h.st.Trigger(nil, i)
				if liq {
					ev, _ = h.st.Cancel(ev, i)
					if rapid.Bool().Draw(rt, "takeover") {
						ev, _, _ = h.st.Takeover(ev, i)
					} else {
						ev, _, _ = h.st.StepDown(ev, i)
					}
				}
				h.absorb(rt, fmt.Sprintf("steps of trader %d", i), ev, false, false)
			},
			"send":    func(rt *rapid.T) { h.send(rt, h.m.Pick(rt)) },
			"reprice": func(rt *rapid.T) { h.reprice(rt) },
			"adl inputs": func(rt *rapid.T) {
				// Driver.ADL, which the caller keeps current: the fund's
				// peak (none, or 50% to 200% of its balance) and Running.
				var peak apd.Decimal
				if k := rapid.IntRange(0, 20).Draw(rt, "peak tenths"); k >= 5 {
					h.st.FundBalance(&peak)
					_, _ = h.ctx.Mul(&peak, &peak, apd.New(int64(k), -1))
					_ = derivmath.Round(h.ctx, &peak, &peak, &h.st.Spec().Minor, derivmath.HalfUp)
				}
				h.dr.ADL.Peak.Set(&peak)
				h.dr.ADL.Running = rapid.Bool().Draw(rt, "running")
			},
			"invalid": func(rt *rapid.T) { h.invalid(rt) },
			"withdraw": func(rt *rapid.T) {
				id := h.m.Pick(rt)
				ev, err := h.st.Withdraw(nil, id)
				if err != nil {
					rt.Fatalf("Withdraw(%d): %v", id, err)
				}
				h.absorb(rt, fmt.Sprintf("Withdraw(%d)", id), ev, false, false)
			},
		})
	})
}

// reprice sets the limit of an open intent, as a caller working the
// fund's inventory does (engine.State.Reprice): none (0, a market order),
// or a price at or a tick under a resting order's, or within 10% of the
// mark, on the tick or a fraction of a tick above it; and sends it, or
// not. So Send's rounding ("rounded to the tick on the safe side: up for
// a sell, down for a buy") and its market orders are drawn, which the
// engine's own intents (whole ticks, never 0) do not reach. (Rounding a
// sell's limit half-even instead of up fails it, with engine.ErrLimit.)
func (h *harness) reprice(rt *rapid.T) {
	id := h.m.Pick(rt)
	s := h.st.Spec()
	var lim apd.Decimal
	if !rapid.Bool().Draw(rt, "market") {
		// A tick at or under a resting order's price, or within 10% of
		// the mark, and a fraction of a tick above it.
		if len(h.book) > 0 && rapid.Bool().Draw(rt, "near an order") {
			o := h.book[rapid.IntRange(0, len(h.book)-1).Draw(rt, "order")]
			_ = s.FromTicks(h.ctx, &lim, o.px-int64(rapid.IntRange(0, 1).Draw(rt, "tick under")))
		} else {
			h.st.Mark(&lim)
			pct := int64(rapid.IntRange(-10, 10).Draw(rt, "limit %"))
			_, _ = h.ctx.Mul(&lim, &lim, apd.New(100+pct, -2))
			_ = derivmath.Round(h.ctx, &lim, &lim, &s.Tick, derivmath.Floor)
		}
		var off apd.Decimal
		_, _ = h.ctx.Mul(&off, &s.Tick, apd.New(int64(rapid.IntRange(0, 9).Draw(rt, "tenths of a tick")), -1))
		_, _ = h.ctx.Add(&lim, &lim, &off)
		if lim.Cmp(&s.Tick) < 0 {
			rt.Skip("a limit under one tick")
		}
	}
	if err := h.st.Reprice(id, &lim); err != nil {
		rt.Fatalf("Reprice(%d, %s): %v", id, lim.String(), err)
	}
	h.m.Reprice(id, &lim)
	h.absorb(rt, fmt.Sprintf("Reprice(%d, %s)", id, lim.String()), nil, false, false)
	if rapid.Bool().Draw(rt, "send") {
		h.send(rt, id)
	}
}

// send sends open intent id with Send, as the book model expects. Doc
// (Send): "IOC for IOC and GTC intents (the rest of a GTC stays with the
// engine ...), FOK for FOK. An IOC or FOK that fills nothing is
// withdrawn", and engine.State.Execute closes one that fills: so after a
// Send that succeeds, an IOC or FOK intent is no longer open, and a GTC
// intent the book did not fill in full still is.
func (h *harness) send(rt *rapid.T, id engine.IntentID) {
	in := h.st.Intent(id)
	var lim apd.Decimal
	lim.Set(&in.Limit)
	tif := in.TIF
	lots, err := h.st.Spec().Lots(h.ctx, &in.Qty)
	if err != nil {
		rt.Fatalf("intent %d of %s: %v", id, in.Qty.String(), err)
	}
	n := len(h.want)
	h.expect(rt, id, in.Holder, in.Side, &in.Qty, &lim, tif)
	for _, w := range h.want[n:] {
		lots -= w.qty
	}
	h.drive(rt, fmt.Sprintf("Send(%d)", id), false, func(dst []engine.Event) ([]engine.Event, error) {
		dst, err = h.dr.Send(dst, id)
		return dst, err
	})
	switch open := h.st.Intent(id) != nil; {
	case err == nil && tif != engine.GTC && open:
		rt.Fatalf("Send(%d) of a %v intent: it is still open", id, tif)
	case err == nil && tif == engine.GTC && lots > 0 && !open:
		rt.Fatalf("Send(%d) of a GTC intent, %d lots unfilled: it is closed", id, lots)
	}
}

// harness holds the Driver under test and both models.
type harness struct {
	ctx  *apd.Context
	st   *engine.State
	dr   *drive.Driver
	m    *enginetest.Ledger
	t0   apd.Decimal // State.Total at the start
	book []resting   // the model's resting orders, oldest first
	// want queues the fills the book model made for orders sent and not
	// yet seen as Trade events.
	want []wantFill
	// undo is the model's book before the last order sent, for a Send
	// that fails.
	undo []resting
	// last is the last order ID the driver spent, as the model counts,
	// and killed the FOKs killed since, which may not have spent one.
	last, killed orderbook.OrderID
}

// resting is an order placed with Place, as the model has it (ticks, lots).
type resting struct {
	id      orderbook.OrderID
	trader  int
	side    orderbook.Side
	px, qty int64
}

// wantFill is a fill the book model predicts for intent id.
type wantFill struct {
	id      engine.IntentID
	maker   int
	side    engine.Side
	px, qty int64
}

func newHarness(rt *rapid.T) *harness {
	st := enginetest.GenState(rt, 4, 40)
	ctx := derivmath.NewContext()
	h := &harness{ctx: ctx, st: st, m: enginetest.New(rt, st), last: 1 << 62}
	h.dr = drive.New(ctx, st, orderbook.New(16, 16), rapid.Uint64().Draw(rt, "seed"))
	h.dr.Trigger = rapid.Bool().Draw(rt, "trigger")
	if err := st.Total(&h.t0); err != nil {
		rt.Fatal(err)
	}
	for k := rapid.IntRange(2, 12).Draw(rt, "orders"); k > 0; k-- {
		h.place(rt)
	}
	return h
}

// moveMark moves the mark by -10% to +10%, rounded to the tick.
func (h *harness) moveMark(rt *rapid.T) {
	var m apd.Decimal
	h.st.Mark(&m)
	pct := int64(rapid.IntRange(-10, 10).Draw(rt, "move"))
	_, _ = h.ctx.Mul(&m, &m, apd.New(100+pct, -2))
	_ = derivmath.Round(h.ctx, &m, &m, &h.st.Spec().Tick, derivmath.HalfEven)
	if m.Sign() <= 0 {
		rt.Skip("non-positive mark")
	}
	if err := h.st.SetMark(&m); err != nil {
		rt.Fatal(err)
	}
	h.m.SetMark(&m)
}

// place rests an order of a trader (mostly the street) within 10% of the
// mark. Doc: "Place rests a post-only limit order ... An order that would
// cross the book is refused; a refused order leaves the book as it was."
// So the model refuses it exactly when the opposite side has a price at
// or through it.
func (h *harness) place(rt *rapid.T) {
	tr := 0
	if rapid.IntRange(0, 3).Draw(rt, "any owner") == 0 {
		tr = rapid.IntRange(0, h.st.Len()-1).Draw(rt, "owner")
	}
	side := orderbook.Buy
	if rapid.Bool().Draw(rt, "sell") {
		side = orderbook.Sell
	}
	var m apd.Decimal
	h.st.Mark(&m)
	s := h.st.Spec()
	mt, err := s.Ticks(h.ctx, &m)
	if err != nil {
		rt.Fatal(err)
	}
	px := mt + mt*int64(rapid.IntRange(-10, 10).Draw(rt, "offset %"))/100
	if px <= 0 {
		rt.Skip("non-positive price")
	}
	qty := int64(rapid.IntRange(1, 20).Draw(rt, "lots"))
	var price, size apd.Decimal
	_ = s.FromTicks(h.ctx, &price, px)
	_ = s.FromLots(h.ctx, &size, qty)
	crosses := false
	for _, o := range h.book {
		if o.side != side && (side == orderbook.Buy && o.px <= px || side == orderbook.Sell && o.px >= px) {
			crosses = true
		}
	}
	id, err := h.dr.Place(tr, side, &price, &size)
	what := fmt.Sprintf("Place(%d, %s, %s, %s)", tr, side, price.String(), size.String())
	switch {
	case crosses && !errors.Is(err, orderbook.ErrWouldCross):
		rt.Fatalf("%s crosses the model's book, yet: %v", what, err)
	case !crosses && err != nil:
		rt.Fatalf("%s: %v", what, err)
	case !crosses:
		// Doc (package): "Orders the driver places or sends get IDs from
		// 1<<62 up"; a refused Place or Send spends none. A killed FOK is
		// not sent: it may spend one or not.
		if id > h.last+1 || id+h.killed < h.last+1 {
			rt.Fatalf("%s: ID 1<<62 + %d, want 1<<62 + %d (%d FOKs killed since)", what, id-1<<62, h.last+1-1<<62, h.killed)
		}
		h.last, h.killed = id, 0
		h.book = append(h.book, resting{id: id, trader: tr, side: side, px: px, qty: qty})
	}
	h.check(rt, what)
}

// expect matches, in the book model, the order the Driver sends for intent
// id and queues the fills. Doc (Send): "a limit order at the intent's
// limit (rounded to the tick on the safe side: up for a sell, down for a
// buy) or a market order, IOC for IOC and GTC intents ..., FOK for FOK",
// and "The order does not trade with the holder's own resting orders
// (placed with Place): the book cancels them." Matching is the book's
// (package orderbook): best price first, oldest first at a price, at the
// resting order's price; a FOK trades in full or changes nothing, its own
// orders not counting.
func (h *harness) expect(rt *rapid.T, id engine.IntentID, holder int, side engine.Side, qty, limit *apd.Decimal, tif engine.TIF) {
	s := h.st.Spec()
	var a apd.Decimal
	a.Abs(qty)
	left, err := s.Lots(h.ctx, &a)
	if err != nil {
		rt.Fatalf("intent %d of %s: %v", id, qty.String(), err)
	}
	var lim int64 // 0: a market order
	if !limit.IsZero() {
		r := derivmath.Ceiling
		if side == engine.Buy {
			r = derivmath.Floor
		}
		var x apd.Decimal
		_ = derivmath.Round(h.ctx, &x, limit, &s.Tick, r)
		if lim, err = s.Ticks(h.ctx, &x); err != nil {
			rt.Fatalf("intent %d's limit %s: %v", id, limit.String(), err)
		}
	}
	h.undo = append(h.undo[:0], h.book...)
	h.last++ // the order's ID (a killed FOK spends it too)
	// The resting orders it can meet, in priority order.
	var near []int
	for k, o := range h.book {
		buys := side == engine.Buy
		if buys != (o.side == orderbook.Sell) {
			continue
		}
		if lim == 0 || buys && o.px <= lim || !buys && o.px >= lim {
			near = append(near, k)
		}
	}
	slices.SortStableFunc(near, func(x, y int) int {
		if side == engine.Buy {
			return cmp.Compare(h.book[x].px, h.book[y].px)
		}
		return cmp.Compare(h.book[y].px, h.book[x].px)
	})
	if tif == engine.FOK {
		var n int64
		for _, k := range near {
			if h.book[k].trader != holder {
				n += h.book[k].qty
			}
		}
		if n < left {
			h.killed++
			return
		}
	}
	gone := map[int]bool{}
	for _, k := range near {
		if left == 0 {
			break
		}
		o := &h.book[k]
		if o.trader == holder { // self-trade prevention
			gone[k] = true
			continue
		}
		q := min(left, o.qty)
		h.want = append(h.want, wantFill{id: id, maker: o.trader, side: side, px: o.px, qty: q})
		o.qty -= q
		left -= q
		if o.qty == 0 {
			gone[k] = true
		}
	}
	var keep []resting
	for k, o := range h.book {
		if !gone[k] {
			keep = append(keep, o)
		}
	}
	h.book = keep
}

// tif is the time in force of the intent an Intended event e announces,
// as the preset makes it (engine.State.StepDown: a FOK for StepDown's
// bracket, Binance's an IOC; other partial rules IOC; Takeover: Preset.TIF).
func (h *harness) tif(e *engine.Event) engine.TIF {
	p := h.st.Preset()
	if e.Step == engine.StepTakeover {
		return p.TIF
	}
	if p.Partial == engine.StepDown && p.Venue != engine.Binance {
		return engine.FOK
	}
	return engine.IOC
}

// drive runs a Driver call and absorbs its events: with liquidate, each
// Intended is an order Liquidate sends at once. Doc (Liquidate): "S4
// partial closes through the book ... S5 takeover and its order"; its
// errors are those of the steps and of Send, "engine.ErrNoCounterparty
// from ADL is returned with the events so far". A failed step changes
// nothing, so the events returned are all that happened; only
// ErrNoCounterparty and dYdX's ErrNegativeFund are expected, and from
// Liquidate ErrIntentOpen when "step" left a step-down intent open, or a
// refused Send a takeover's.
//
// Send alone may also fail with ErrOverfill: a GTC rest sent again
// ("to be repriced or sent again") after the holder's position shrank
// under it (the fund's inventory netted by a later takeover).
func (h *harness) drive(rt *rapid.T, what string, liquidate bool, call func([]engine.Event) ([]engine.Event, error)) {
	ev, err := call(nil)
	overfill := !liquidate && errors.Is(err, engine.ErrOverfill)
	open := liquidate && errors.Is(err, engine.ErrIntentOpen) && h.closeOpen()
	if err != nil && !errors.Is(err, engine.ErrNoCounterparty) && !errors.Is(err, engine.ErrNegativeFund) && !overfill && !open {
		rt.Fatalf("%s: %v\nevents:\n%s", what, err, enginetest.EventsText(ev))
	}
	h.absorb(rt, what, ev, liquidate, errors.Is(err, engine.ErrNegativeFund) || overfill)
}

// liquidate runs Liquidate(i, maxPartial) through drive, and checks its
// events for three promises of its doc: "up to maxPartial rounds" of
// partial closes, so at most maxPartial step-down intents for i;
// "re-triggering after each", so that a call that succeeds emits a
// Triggered or Restored for i after each step-down intent, before the
// next intent; and the intents it sends do not outlive it, each withdrawn
// when the book leaves some of it ("ErrIntentOpen ... when the caller left
// an intent of i open": it leaves none of its own), unless it failed.
func (h *harness) liquidate(rt *rapid.T, i, maxPartial int) {
	what := fmt.Sprintf("Liquidate(%d, %d)", i, maxPartial)
	// The takeover's holder, if any, and whether ADL closed against it.
	holder, took, adl := 0, false, false
	var err error
	var events []engine.Event
	h.drive(rt, what, true, func(dst []engine.Event) ([]engine.Event, error) {
		var ev []engine.Event
		ev, err = h.dr.Liquidate(dst, i, maxPartial)
		events = ev
		n, rounds := 0, false // step-down intents; one awaits its re-trigger
		for k := range ev {
			e := &ev[k]
			if e.Step == engine.StepTrigger && e.Trader == i && (e.Kind == engine.Triggered || e.Kind == engine.Restored) {
				rounds = false
			}
			if e.Kind == engine.Intended && e.Step == engine.StepTakeover {
				holder, took, adl = e.Trader, true, false
			}
			if e.Kind == engine.Trade && e.Step == engine.StepADL && e.Why == engine.Deleverage && took && e.Trader == holder {
				adl = true
			}
			if e.Kind != engine.Intended {
				continue
			}
			if rounds && err == nil {
				rt.Fatalf("%s: intent %d (%v) without a re-trigger after the step-down before it\nevents:\n%s", what, e.Intent, e.Step, enginetest.EventsText(ev))
			}
			if e.Step == engine.StepPartial {
				n++
				rounds = true
			}
			if err == nil && h.st.Intent(e.Intent) != nil {
				rt.Fatalf("%s: intent %d (%v) still open\nevents:\n%s", what, e.Intent, e.Step, enginetest.EventsText(ev))
			}
		}
		if rounds && err == nil {
			rt.Fatalf("%s: no re-trigger after the last step-down\nevents:\n%s", what, enginetest.EventsText(ev))
		}
		if n > maxPartial {
			rt.Fatalf("%s: %d step-down intents\nevents:\n%s", what, n, enginetest.EventsText(events))
		}
		return ev, err
	})
	// Doc (Liquidate): "S7 ADL of what the book did not take (when the
	// holder is the fund or the account is still liquidating, and, with
	// Trigger set, when engine.State.MustADL says it must run ...)";
	// Trigger "false deleverages every remainder at once". So a remainder
	// left after a call that succeeded is one MustADL does not call for.
	if err != nil || !took || adl {
		return
	}
	t := h.st.Trader(holder)
	if t.Qty.IsZero() || holder != engine.Fund && !t.Liquidating {
		return
	}
	if !h.dr.Trigger || h.m.MustADL(holder, &h.dr.ADL) {
		rt.Fatalf("%s: %s keeps %s, not deleveraged (Trigger %v)\nevents:\n%s", what, enginetest.HolderName(holder), t.Qty.String(), h.dr.Trigger, enginetest.EventsText(events))
	}
}

// deleverage runs Deleverage through drive. Doc: it "runs S7 on the
// inventory the insurance fund kept, once engine.State.MustADL says it
// must"; so after a call that succeeds without ADL the fund is flat or
// MustADL does not call for it (absorb checks the converse).
func (h *harness) deleverage(rt *rapid.T) {
	var err error
	adl := false
	h.drive(rt, "Deleverage", false, func(dst []engine.Event) ([]engine.Event, error) {
		var ev []engine.Event
		ev, err = h.dr.Deleverage(dst)
		for k := range ev {
			adl = adl || ev[k].Step == engine.StepADL
		}
		return ev, err
	})
	if err == nil && !adl && h.m.MustADL(engine.Fund, &h.dr.ADL) {
		rt.Fatalf("Deleverage: the fund keeps %s, which MustADL calls for", h.st.Trader(engine.Fund).Qty.String())
	}
}

// closeOpen reports whether an intent that closes a trader's position is
// open: a step-down's, or a takeover's held by a trader (not the fund),
// either of which makes the engine refuse a takeover or step-down of its
// holder (engine.ErrIntentOpen).
func (h *harness) closeOpen() bool {
	for _, id := range h.m.IDs() {
		if in := h.st.Intent(id); in != nil && (in.Step == engine.StepPartial || in.Step == engine.StepTakeover && in.Holder != engine.Fund) {
			return true
		}
	}
	return false
}

// absorb books ev into both models and checks them.
//
// refused says the call failed with Execute's ErrNegativeFund (dYdX: the
// fund cannot pay the fill's delta) or ErrOverfill, refusing the fills of
// the last order sent. Doc (Send): "a Send that fails changes neither the
// book nor the state: when Execute refuses the fills ..., the makers'
// orders stay on the book, and the intent stays open." So the fills left
// over must all be that intent's, it must still be open, and the model's
// book goes back to what it was before that order.
func (h *harness) absorb(rt *rapid.T, what string, ev []engine.Event, liquidate, refused bool) {
	rt.Helper()
	s := h.st.Spec()
	adl := false
	for k := range ev {
		e := &ev[k]
		if e.Kind == engine.Trade && e.Step == engine.StepADL && e.Why == engine.Deleverage && !adl {
			// Doc (Liquidate): ADL "with Trigger set, when
			// engine.State.MustADL says it must run"; (Deleverage): "once
			// engine.State.MustADL says so". The model's state before
			// the first ADL trade is the one the driver asked.
			adl = true
			if (liquidate && h.dr.Trigger || what == "Deleverage") && !h.m.MustADL(e.Trader, &h.dr.ADL) {
				rt.Fatalf("%s: ADL of %s, which MustADL does not call for\nevents:\n%s", what, enginetest.HolderName(e.Trader), enginetest.EventsText(ev))
			}
		}
		if err := h.m.Apply(e); err != nil {
			rt.Fatalf("%s: event %s: %v\nevents:\n%s", what, e.String(), err, enginetest.EventsText(ev))
		}
		switch {
		case e.Kind == engine.Closed:
			// Trader.Liquidating: "cleared when the account is no longer
			// liquidatable or its position is gone", the maker's too,
			// judged once an Execute or Withdraw is over.
			h.m.Settle()
		case e.Kind == engine.Triggered && liquidate && h.st.Preset().Cancel != engine.CancelNone:
			// Doc (Liquidate): "S3 cancel (the state's orders of i and,
			// unless the preset's scope is engine.CancelNone, i's orders
			// resting on the book ...)", before any of its orders is sent.
			h.book = slices.DeleteFunc(h.book, func(o resting) bool { return o.trader == e.Trader })
		case e.Kind == engine.Trade && e.Step == engine.StepADL && e.Why == engine.Deleverage && e.Counterparty >= 0 && h.st.Preset().Cancel != engine.CancelNone:
			// Doc (Liquidate, Deleverage): unless the scope is
			// engine.CancelNone, "the cancel of the deleveraged traders'
			// orders resting on the book".
			h.book = slices.DeleteFunc(h.book, func(o resting) bool { return o.trader == e.Counterparty })
		case e.Kind == engine.Intended && liquidate:
			side := engine.Buy
			if e.Qty.Negative {
				side = engine.Sell
			}
			h.expect(rt, e.Intent, e.Trader, side, &e.Qty, &e.Price, h.tif(e))
		case e.Kind == engine.Trade && e.Intent != 0:
			// Doc (package): the driver "converts the book's fills (int64
			// ticks and lots) back to decimals with the contract's tick
			// and lot, and passes them to engine.State.Execute", each
			// fill's maker the owner Place recorded: the book's next fill.
			if len(h.want) == 0 {
				rt.Fatalf("%s: %s, yet the book model made no fill\nevents:\n%s", what, e.String(), enginetest.EventsText(ev))
			}
			w := h.want[0]
			h.want = h.want[1:]
			var px, q apd.Decimal
			_ = s.FromTicks(h.ctx, &px, w.px)
			_ = s.FromLots(h.ctx, &q, w.qty)
			if w.side == engine.Sell {
				q.Neg(&q)
			}
			if e.Intent != w.id || e.Counterparty != w.maker || e.Price.Cmp(&px) != 0 || e.Qty.Cmp(&q) != 0 {
				rt.Fatalf("%s: %s, the book's fill: intent %d gets %s from trader %d at %s\nevents:\n%s",
					what, e.String(), w.id, q.String(), w.maker, px.String(), enginetest.EventsText(ev))
			}
		}
	}
	h.m.Settle()
	if refused && len(h.want) != 0 {
		id := h.want[0].id
		for _, w := range h.want {
			if w.id != id || h.st.Intent(id) == nil {
				rt.Fatalf("%s: refused, yet fills of intent %d (open: %v) are lost", what, w.id, h.st.Intent(w.id) != nil)
			}
		}
		h.want = h.want[:0]
		h.book = append(h.book[:0], h.undo...)
		h.last-- // "it spends no order ID"
	}
	if len(h.want) != 0 {
		w := h.want[0]
		rt.Fatalf("%s: %d fills of the book never reached the engine, the first %d lots at %d ticks from trader %d for intent %d\nevents:\n%s",
			what, len(h.want), w.qty, w.px, w.maker, w.id, enginetest.EventsText(ev))
	}
	if err := h.m.Compare(h.st); err != nil {
		rt.Fatalf("%s: the state differs from its events:\n%v\nevents:\n%s", what, err, enginetest.EventsText(ev))
	}
	h.check(rt, what)
}

// check compares the book with the model and checks conservation.
//
// Doc (Send): IOC for IOC and GTC intents, FOK for FOK: "the rest of a GTC
// stays with the engine", so no order of the Driver's rests after it
// returns, and the book holds exactly the orders placed with Place that
// the model has not seen filled or cancelled, in the book's priority
// order (Book.Orders), with the model's open quantities and owners.
// Doc (engine, package): State.Total "is conserved exactly, to the minor
// unit, by every step", while the quantities sum to zero.
func (h *harness) check(rt *rapid.T, what string) {
	rt.Helper()
	for _, side := range []orderbook.Side{orderbook.Buy, orderbook.Sell} {
		var want []resting
		for _, o := range h.book {
			if o.side == side {
				want = append(want, o)
			}
		}
		slices.SortStableFunc(want, func(x, y resting) int {
			if side == orderbook.Buy {
				return cmp.Compare(y.px, x.px)
			}
			return cmp.Compare(x.px, y.px)
		})
		k := 0
		for o := range h.dr.Book.Orders(side) {
			if k >= len(want) {
				rt.Fatalf("%s: the book rests %+v, not in the model", what, o)
			}
			w := want[k]
			if o.ID != w.id || o.Price != w.px || o.Qty != w.qty || o.Owner != orderbook.OwnerID(w.trader+1) || o.Type != orderbook.PostOnly {
				rt.Fatalf("%s: the book's %s #%d is %+v, the model's %+v", what, side, k, o, w)
			}
			k++
		}
		if k != len(want) {
			rt.Fatalf("%s: the book rests %d %s orders, the model %d", what, k, side, len(want))
		}
	}
	if h.dr.Book.Len() != len(h.book) {
		rt.Fatalf("%s: the book holds %d orders, the model %d", what, h.dr.Book.Len(), len(h.book))
	}
	var x apd.Decimal
	if err := h.st.Total(&x); err != nil || x.Cmp(&h.t0) != 0 {
		rt.Fatalf("%s: total %s (%v), at the start %s", what, x.String(), err, h.t0.String())
	}
	if err := h.st.NetQty(&x); err != nil || !x.IsZero() {
		rt.Fatalf("%s: ΣQ = %s (%v)", what, x.String(), err)
	}
}

// invalid draws a refused call: Place for a trader not in the state, at a
// price off the tick or for a size off the lot; Send of an intent that is
// not open; Liquidate of a trader not in the state. Each returns its
// sentinel, appends no event to a dst holding events already, and changes
// neither the book nor the state (absorb compares both models).
func (h *harness) invalid(rt *rapid.T) {
	s := h.st.Spec()
	var price, size, half apd.Decimal
	h.st.Mark(&price)
	_ = derivmath.Round(h.ctx, &price, &price, &s.Tick, derivmath.HalfEven)
	size.Set(&s.Lot)
	pre := make([]engine.Event, rapid.IntRange(0, 2).Draw(rt, "prefix"))
	var ev []engine.Event
	var err, want error
	what := rapid.IntRange(0, 4).Draw(rt, "invalid")
	switch what {
	case 0:
		tr := rapid.SampledFrom([]int{-1, h.st.Len()}).Draw(rt, "trader")
		_, err = h.dr.Place(tr, orderbook.Buy, &price, &size)
		want = engine.ErrTrader
	case 1:
		_, _ = h.ctx.Quo(&half, &s.Tick, apd.New(2, 0))
		_, _ = h.ctx.Add(&price, &price, &half)
		_, err = h.dr.Place(0, orderbook.Sell, &price, &size)
		want = contract.ErrOffTick
	case 2:
		_, _ = h.ctx.Quo(&half, &s.Lot, apd.New(2, 0))
		_, _ = h.ctx.Add(&size, &size, &half)
		_, err = h.dr.Place(0, orderbook.Sell, &price, &size)
		want = contract.ErrOffLot
	case 3:
		id := engine.IntentID(1 << 40)
		for _, j := range h.m.IDs() {
			id = max(id, j+1)
		}
		ev, err = h.dr.Send(pre, id)
		want = engine.ErrUnknownIntent
	case 4:
		tr := rapid.SampledFrom([]int{-1, h.st.Len()}).Draw(rt, "trader")
		ev, err = h.dr.Liquidate(pre, tr, 3)
		want = engine.ErrTrader
	}
	if !errors.Is(err, want) {
		rt.Fatalf("invalid call %d: %v, want %v", what, err, want)
	}
	if what >= 3 && (len(ev) != len(pre) || len(pre) > 0 && &ev[0] != &pre[0]) {
		rt.Fatalf("invalid call %d appended %d events to %d", what, len(ev)-len(pre), len(pre))
	}
	h.absorb(rt, fmt.Sprintf("invalid call %d", what), nil, false, false)
}
