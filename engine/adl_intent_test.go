package engine_test

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/engine"
)

// fitIntents checks what ADL leaves of the open intents (ids 1 to the
// state's next): each asks for no more than its holder's position holds,
// on the side that closes it, and a fill of its whole open quantity (at
// its limit, or at the mark, against maker) is accepted by Execute (on a
// clone).
func fitIntents(t *testing.T, st *engine.State, maker int) {
	t.Helper()
	for id := engine.IntentID(1); id < 64; id++ {
		in := st.Intent(id)
		if in == nil {
			continue
		}
		h := st.Trader(in.Holder)
		var pos apd.Decimal
		pos.Abs(&h.Qty)
		if pos.IsZero() || in.Qty.Cmp(&pos) > 0 || in.Qty.Sign() <= 0 {
			t.Errorf("intent %d of holder %d asks for %s, its position is %s", id, in.Holder, in.Qty.String(), h.Qty.String())
			continue
		}
		f := engine.Fill{Maker: maker}
		f.Qty.Set(&in.Qty)
		f.Price.Set(&in.Limit)
		if f.Price.IsZero() {
			st.Mark(&f.Price)
		}
		if _, err := st.Clone().Execute(nil, id, []engine.Fill{f}); err != nil {
			t.Errorf("Execute of intent %d for its open %s: %v", id, in.Qty.String(), err)
		}
	}
}

// closedEvent returns the Closed event of intent id in ev, or nil.
func closedEvent(ev []engine.Event, id engine.IntentID) *engine.Event {
	for k := range ev {
		if ev[k].Kind == engine.Closed && ev[k].Intent == id {
			return &ev[k]
		}
	}
	return nil
}

// TestADLFitsFundIntent: the fund takes over a long of 1 (BitMEX, at the
// bankruptcy price 59,196.8) and keeps its GTC sell open; ADL then closes
// all or part of the inventory. The intent must not ask for more than
// the fund still holds: closed (a Closed event, as Withdraw emits) once
// the fund is flat, cut to the rest (a Reduced event) after a partial
// ADL, so that a fill of its whole open quantity is accepted. Before the
// fix it stayed at 1 and that fill failed with ErrOverfill.
func TestADLFitsFundIntent(t *testing.T) {
	for _, c := range []struct {
		adl, left string // "": the intent closes
	}{
		{"1", ""},
		{"0.4", "0.6"},
		{"0.999", "0.001"},
	} {
		t.Run(c.adl, func(t *testing.T) {
			s := linear(t, "0.1", "0.001", "0.01")
			p := engine.PresetBitMEX()
			p.Partial, p.RiskLimits = engine.PartialNone, nil
			st := state(t, s, p)
			noErr(t, st.SetFund(d("1000")))
			long := add(t, st, trader(t, s, "0", "803.2", "1", "60000", "0.005"))
			add(t, st, trader(t, s, "100000", "", "-0.3", "60000", "0.005"))
			add(t, st, trader(t, s, "100000", "", "-1", "60000", "0.005"))
			street := add(t, st, trader(t, s, "1000000", "", "0.3", "60000", "0.005"))
			noErr(t, st.SetMark(d("59250")))
			_, id := takeover(t, st, nil, long)
			if id == 0 || st.Intent(id).Holder != engine.Fund {
				t.Fatalf("takeover intent %d, want the fund's", id)
			}
			before := total(t, st)
			ev, err := st.ADL(nil, engine.Fund, d(c.adl), 1)
			if err != nil {
				t.Fatal(err)
			}
			if got := total(t, st); got.Cmp(before) != 0 {
				t.Errorf("total %s after ADL, %s before", got.String(), before.String())
			}
			in := st.Intent(id)
			if c.left == "" {
				if in != nil {
					t.Errorf("the fund is flat, its intent still asks for %s", in.Qty.String())
				}
				if e := closedEvent(ev, id); e == nil || e.Qty.Cmp(d("1")) != 0 || e.Trader != engine.Fund {
					t.Errorf("no Closed event of intent %d with 1 left: %v", id, e)
				}
			} else {
				if in == nil || in.Qty.Cmp(d(c.left)) != 0 {
					t.Fatalf("intent %d after ADL of %s: %v, want open for %s", id, c.adl, in, c.left)
				}
				var e *engine.Event
				for k := range ev {
					if ev[k].Kind == engine.Reduced && ev[k].Intent == id {
						e = &ev[k]
					}
				}
				if e == nil || e.Qty.Cmp(d(c.left)) != 0 || e.Trader != engine.Fund || e.Step != engine.StepADL {
					t.Errorf("no Reduced event of intent %d to %s: %v", id, c.left, e)
				}
			}
			fitIntents(t, st, street)
		})
	}
}

// TestADLFitsCounterpartyIntent: a short whose takeover intent (Binance:
// the account closes itself) is still open when a re-trigger restores
// it is deleveraged by a long's ADL; its intent must then ask for no
// more than the short still holds, closed if it is flat. Before the fix
// it kept asking for the whole 1 and a fill of it failed with
// ErrOverfill.
func TestADLFitsCounterpartyIntent(t *testing.T) {
	for _, c := range []struct {
		name, wallet, other string // the other short's wallet and quantity
	}{
		{"flat", "100000", "-0.5"}, // ranked below the short
		{"partly", "0.3", "-0.5"},  // ranked above it: the short keeps 0.5
	} {
		t.Run(c.name, func(t *testing.T) {
			s := linear(t, "0.1", "0.1", "0.01")
			p := engine.PresetBinance()
			p.Partial, p.RiskLimits, p.ClearanceFee = engine.PartialNone, nil, apd.Decimal{}
			st := state(t, s, p)
			noErr(t, st.SetFund(d("1000")))
			long := add(t, st, trader(t, s, "0", "2", "1", "100", "0.005"))
			short := add(t, st, trader(t, s, "0", "2", "-1", "100", "0.005"))
			add(t, st, trader(t, s, c.wallet, "", c.other, "100", "0.005"))
			var net apd.Decimal
			noErr(t, st.NetQty(&net))
			net.Neg(&net)
			street := add(t, st, trader(t, s, "100000", "", net.String(), "100", "0.005"))
			noErr(t, st.SetMark(d("101.9")))
			_, sid := takeover(t, st, nil, short)
			noErr(t, st.SetMark(d("100")))
			if _, ok, err := st.Trigger(nil, short); err != nil || ok || st.Trader(short).Liquidating {
				t.Fatalf("re-trigger of the short at 100: %v %v", ok, err)
			}
			noErr(t, st.SetMark(d("98.3")))
			ev, lid := takeover(t, st, nil, long)
			ev, err := st.Withdraw(ev, lid)
			noErr(t, err)
			ev, err = st.ADL(ev, long, d("1"), 1)
			noErr(t, err)
			sq := &st.Trader(short).Qty
			if sq.Cmp(d("-1")) == 0 {
				t.Fatalf("ADL left the short untouched: the test does not test it")
			}
			in := st.Intent(sid)
			if sq.IsZero() {
				if in != nil {
					t.Errorf("the short is flat, its intent still asks for %s", in.Qty.String())
				}
				if e := closedEvent(ev, sid); e == nil || e.Trader != short {
					t.Errorf("no Closed event of the short's intent %d", sid)
				}
			} else if in == nil || in.Qty.Cmp(d("0.5")) != 0 || sq.Cmp(d("-0.5")) != 0 {
				t.Errorf("the short holds %s, its intent %v; want -0.5, open for 0.5", sq.String(), in)
			}
			fitIntents(t, st, street)
		})
	}
}

// TestADLFitsStepDownToTarget: a step-down intent closes the position
// down to a target, the lot multiple its lower bracket holds, not a
// quantity for its own sake; after ADL closed part of the position it
// must ask for at most what still lies above that target, and close if
// ADL got the position there. TestStepDownBracketAtLimit's long of 10
// (Binance) steps down with an IOC of 9.167, to keep 0.833; ADL then
// closes 1, 5, 9.167 or 9.5 of it, and a fill of the intent's whole open
// quantity must leave the long at 0.833 (or at what ADL left, if less).
// Before the fix the intent was only cut to the position left (9, 5, or
// none at all for 9.167 > 0.833), and its fill closed the long to 0, or
// 0.833 below its target.
func TestADLFitsStepDownToTarget(t *testing.T) {
	for _, c := range []struct {
		adl, left string // left: the intent's open quantity after ADL; "": closed
		reduced   bool   // a Reduced event
	}{
		{"1", "8.167", true},
		{"5", "4.167", true},
		{"9.167", "", false},
		{"9.5", "", false},
	} {
		t.Run(c.adl, func(t *testing.T) {
			s := linear(t, "0.1", "0.001", "0.01")
			p := engine.PresetBinance()
			p.ClearanceFee.SetInt64(0)
			st := state(t, s, p)
			long := add(t, st, binanceAt(t, 3, "2000", "10", "60000"))
			street := add(t, st, trader(t, s, "1000000", "", "-10", "60000", "0.004"))
			add(t, st, trader(t, s, "1000000", "", "-10", "60000", "0.004"))
			add(t, st, trader(t, s, "1000000", "", "10", "60000", "0.004"))
			noErr(t, st.SetMark(d("60000")))
			ev, ok, err := st.Trigger(nil, long)
			if err != nil || !ok {
				t.Fatalf("trigger: %v %v", ok, err)
			}
			ev, id, err := st.StepDown(ev, long)
			noErr(t, err)
			if in := st.Intent(id); in == nil || in.Qty.Cmp(d("9.167")) != 0 {
				t.Fatalf("step-down intent %+v; want a close of 9.167", in)
			}
			n := len(ev)
			ev, err = st.ADL(ev, long, d(c.adl), 1)
			noErr(t, err)
			in := st.Intent(id)
			var reduced *engine.Event
			for k := range ev[n:] {
				if e := &ev[n+k]; e.Kind == engine.Reduced && e.Intent == id {
					reduced = e
				}
			}
			if c.left == "" {
				if in != nil {
					t.Fatalf("the long holds %s, at or below its target 0.833; its step-down still asks for %s", st.Trader(long).Qty.String(), in.Qty.String())
				}
				if e := closedEvent(ev[n:], id); e == nil || e.Trader != long || e.Step != engine.StepADL || e.Qty.Cmp(d("9.167")) != 0 {
					t.Errorf("no Closed event (S7, 9.167 left) of the step-down %d: %v", id, e)
				}
				return
			}
			if in == nil || in.Qty.Cmp(d(c.left)) != 0 {
				t.Fatalf("after ADL of %s the step-down %d asks for %v; want %s, what lies above the target 0.833", c.adl, id, in, c.left)
			}
			if reduced == nil || reduced.Qty.Cmp(d(c.left)) != 0 || reduced.Trader != long || reduced.Step != engine.StepADL {
				t.Errorf("no Reduced event of %d to %s: %v", id, c.left, reduced)
			}
			fitIntents(t, st, street)
			var f engine.Fill
			f.Qty.Set(&in.Qty)
			f.Price.Set(&in.Limit)
			f.Maker = street
			_, err = st.Execute(nil, id, []engine.Fill{f})
			noErr(t, err)
			if q := &st.Trader(long).Qty; q.Cmp(d("0.833")) != 0 {
				t.Errorf("the step-down's fill left the long at %s; want its target 0.833", q.String())
			}
		})
	}
}

// TestADLFitsOKXReduceToTarget: OKX's partial close (TierReduce) also
// aims at a position, the most lots the first risk limit holds;
// TestOKXTierReduce's long of 3 at tier 3 (first limit 100 at the mark of
// 90.5: 1 lot) gets an IOC of 2. After ADL of 1 it must ask for 1, after
// ADL of 2 close. Before the fix it kept asking for 2 after ADL of 1, and
// its fill closed the whole long.
func TestADLFitsOKXReduceToTarget(t *testing.T) {
	for _, c := range []struct{ adl, left string }{{"1", "1"}, {"2", ""}} {
		t.Run(c.adl, func(t *testing.T) {
			s := linear(t, "0.5", "1", "0.01")
			st := state(t, s, okxTiers("100"))
			street := add(t, st, trader(t, s, "100000000", "", "0", "", "0.01"))
			tr := trader(t, s, "0", "30", "3", "100", "0.03")
			tr.Tier = 2
			long := add(t, st, tr)
			add(t, st, trader(t, s, "0", "1000", "-3", "100", "0.01"))
			noErr(t, st.SetMark(d("90.5")))
			ev, ok, err := st.Trigger(nil, long)
			if err != nil || !ok {
				t.Fatalf("trigger: %v %v", ok, err)
			}
			ev, id, err := st.StepDown(ev, long)
			noErr(t, err)
			if in := st.Intent(id); in == nil || in.Qty.Cmp(d("2")) != 0 {
				t.Fatalf("OKX's partial close %+v; want an IOC of 2", in)
			}
			ev, err = st.ADL(ev, long, d(c.adl), 1)
			noErr(t, err)
			in := st.Intent(id)
			if c.left == "" {
				if in != nil || closedEvent(ev, id) == nil {
					t.Fatalf("the long holds %s, its target 1; its partial close %v", st.Trader(long).Qty.String(), in)
				}
				return
			}
			if in == nil || in.Qty.Cmp(d(c.left)) != 0 {
				t.Fatalf("after ADL of %s the partial close asks for %v; want %s", c.adl, in, c.left)
			}
			var f engine.Fill
			f.Qty.Set(&in.Qty)
			st.Mark(&f.Price)
			f.Maker = street
			_, err = st.Execute(nil, id, []engine.Fill{f})
			noErr(t, err)
			if q := &st.Trader(long).Qty; q.Cmp(d("1")) != 0 {
				t.Errorf("the partial close's fill left the long at %s; want its target 1", q.String())
			}
		})
	}
}

// TestADLFitsOverlappingIntents pins how ADL fits two open intents of one
// holder: each to the whole position, not as shares of it. Deribit's
// slice (an IOC of 2) and its takeover (all 5 of the long) rest together
// by design (State.Takeover), asking for 7 between them before any ADL.
// After ADL of 2 the slice still asks for 2 and the takeover is cut to
// the 3 left, so the takeover alone still closes the whole position, as
// it is meant to whatever became of the slice; capping them oldest first
// would have cut it to 1.
func TestADLFitsOverlappingIntents(t *testing.T) {
	s := linear(t, "0.5", "1", "0.01")
	p := engine.PresetDeribit()
	p.Slice.SetInt64(2)
	p.ClearanceFee = apd.Decimal{}
	st := state(t, s, p)
	noErr(t, st.SetFund(d("1000")))
	long := add(t, st, trader(t, s, "0", "30", "5", "100", "0.05"))
	street := add(t, st, trader(t, s, "100000", "", "-5", "100", "0.005"))
	noErr(t, st.SetMark(d("95")))
	ev, ok, err := st.Trigger(nil, long)
	if err != nil || !ok {
		t.Fatalf("trigger: %v %v", ok, err)
	}
	ev, slice, err := st.StepDown(ev, long)
	noErr(t, err)
	ev, take, err := st.Takeover(ev, long)
	noErr(t, err)
	if a, b := st.Intent(slice), st.Intent(take); a == nil || b == nil || a.Qty.Cmp(d("2")) != 0 || b.Qty.Cmp(d("5")) != 0 {
		t.Fatalf("slice %v, takeover %v; want open for 2 and 5", a, b)
	}
	_, err = st.ADL(ev, long, d("2"), 1)
	noErr(t, err)
	if a, b := st.Intent(slice), st.Intent(take); a == nil || b == nil || a.Qty.Cmp(d("2")) != 0 || b.Qty.Cmp(d("3")) != 0 {
		t.Fatalf("after ADL of 2: slice %v, takeover %v; want open for 2 and 3", a, b)
	}
	fitIntents(t, st, street)
	in := st.Intent(take)
	f := fill(in.Qty.String(), in.Limit.String(), street)
	_, err = st.Execute(nil, take, []engine.Fill{f})
	noErr(t, err)
	if q := &st.Trader(long).Qty; !q.IsZero() {
		t.Errorf("the takeover's fill left the long at %s; want it flat", q.String())
	}
}
