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
