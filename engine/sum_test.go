package engine_test

import (
	"testing"

	"github.com/cockroachdb/apd/v3"

	"github.com/derivmath/derivmath/engine"
)

// TestFillSumsExact: Execute and ADL add quantities exactly, as
// State.Total does, where they added them at the context's precision (19
// digits), so that a partial sum longer than that rounded and the call
// refused what it should accept.
//
// Execute: a long of 12.9999999999999999998 (21 digits; each trade leaves
// a quantity of at most 19) closed by fills of 12, 0.4999999999999999999
// and 0.4999999999999999999, which sum to it exactly, but at 19 digits to
// 13, more than the intent's quantity: ErrOverfill.
//
// ADL: a long of 13 deleveraged against shorts of 12,
// 0.9999999999999999904, 0.0000000000000000048 and 0.0000000000000000048
// (GMX: the traders' order), which hold 13 exactly, but at 19 digits
// 12.99999999999999999, each partial sum rounded down: ErrNoCounterparty.
func TestFillSumsExact(t *testing.T) {
	s := linear(t, "0.0000000000000000001", "0.0000000000000000001", "0.00000000000000001")
	// A trader holding qty at cost (whole minor units, each of at most 19
	// digits: its entry is cost/qty).
	held := func(margin, wallet, qty, cost string) *engine.Trader {
		tr := trader(t, s, wallet, margin, "0", "", "0.01")
		tr.Qty.Set(d(qty))
		tr.Cost.Set(d(cost))
		return tr
	}
	newState := func(t *testing.T) *engine.State {
		st := state(t, s, engine.PresetGMX())
		return st
	}
	t.Run("Execute", func(t *testing.T) {
		st := newState(t)
		h := add(t, st, held("0.01", "0", "12.9999999999999999998", "13"))
		m := add(t, st, held("", "1", "-12.9999999999999999998", "-13"))
		noErr(t, st.SetMark(d("1")))
		t0 := total(t, st)
		ev, id := takeover(t, st, nil, h)
		_, err := st.Execute(ev, id, []engine.Fill{fill("12", "1", m), fill("0.4999999999999999999", "1", m), fill("0.4999999999999999999", "1", m)})
		if err != nil {
			t.Fatalf("Execute: %v", err)
		}
		if q := &st.Trader(h).Qty; !q.IsZero() || st.Intent(id) != nil {
			t.Errorf("after the fills: quantity %s, intent open %v; want 0, closed", q.String(), st.Intent(id) != nil)
		}
		if total(t, st).Cmp(t0) != 0 {
			t.Errorf("total %s, was %s", total(t, st).String(), t0.String())
		}
	})
	t.Run("ADL", func(t *testing.T) {
		st := newState(t)
		h := add(t, st, held("1", "0", "13", "13"))
		for _, c := range [][2]string{{"-12", "-12"}, {"-0.9999999999999999904", "-1"}, {"-0.0000000000000000048", "-0.00000000000000001"}, {"-0.0000000000000000048", "-0.00000000000000001"}} {
			add(t, st, held("", "1", c[0], c[1]))
		}
		noErr(t, st.SetMark(d("1")))
		t0 := total(t, st)
		if _, err := st.ADL(nil, h, d("13"), 0); err != nil {
			t.Fatalf("ADL: %v", err)
		}
		for i := range st.Len() {
			if q := &st.Trader(i).Qty; !q.IsZero() {
				t.Errorf("trader %d holds %s after the ADL, want 0", i, q.String())
			}
		}
		if total(t, st).Cmp(t0) != 0 {
			t.Errorf("total %s, was %s", total(t, st).String(), t0.String())
		}
	})
}

// TestClawbackSumExact: Socialise sums the winners' profits exactly, so
// that a clawback leaves the fund whole whenever the profits cover its
// loss, as its doc says. Under OKX's rules and a minor unit of 1, a fund
// that lost 9999999999999999998 (two longs bankrupt at 4999999999999999999
// + 1, taken over and sold at the mark of 1) claws back from shorts in
// profit by 9999999999999999998 and by 17. Their sum,
// 10000000000000000015, rounded at 19 digits to 10000000000000000020,
// made the rate too low: the charges came to 9999999999999999995 and the
// fund ended at -3.
func TestClawbackSumExact(t *testing.T) {
	s := linear(t, "1", "1", "1")
	st := state(t, s, engine.PresetOKX())
	var err error
	// cost sets trader tr's cost (its entry is cost/qty).
	cost := func(tr *engine.Trader, c string) *engine.Trader {
		tr.Cost.Set(d(c))
		return tr
	}
	var busts [2]int
	for k := range busts {
		busts[k] = add(t, st, trader(t, s, "0", "-4999999999999999999", "1", "1", "0.01"))
	}
	mk := add(t, st, trader(t, s, "10", "", "0", "", "0.01"))
	add(t, st, cost(trader(t, s, "0", "", "-1", "1", "0.01"), "-9999999999999999999"))
	add(t, st, cost(trader(t, s, "0", "", "-1", "1", "0.01"), "-18"))
	noErr(t, st.SetMark(d("1")))
	t0 := total(t, st)
	var ev []engine.Event
	for _, b := range busts {
		var id engine.IntentID
		ev, id = takeover(t, st, ev, b)
		ev, err = st.Execute(ev, id, []engine.Fill{fill("1", "1", mk)})
		noErr(t, err)
	}
	var fund apd.Decimal
	st.FundBalance(&fund)
	if fund.Cmp(d("-9999999999999999998")) != 0 {
		t.Fatalf("fund %s before the clawback, want -9999999999999999998", fund.String())
	}
	if _, err = st.Socialise(ev); err != nil {
		t.Fatal(err)
	}
	if st.FundBalance(&fund); fund.Sign() < 0 {
		t.Errorf("the fund ends at %s after the clawback, want 0 or more", fund.String())
	}
	if total(t, st).Cmp(t0) != 0 {
		t.Errorf("total %s, was %s", total(t, st).String(), t0.String())
	}
}

// TestFeeReserveRoundsOnce: a trader's scaled fee reserve is the reserve
// added times |Qty|/|Qty added| rounded up to the minor unit once
// (Trader.FeeReserve), not a quotient first rounded to the context's
// precision. With a minor unit of 1, a long of 9999999999999999999 added
// with a reserve of 2 keeps, once ADL has closed 4999999999999999999 of
// it, 2*5E+18/9999999999999999999 = 1.0000000000000000001..., which is 2
// rounded up; rounded to 19 digits first it was 1.000000000000000000 and
// the reserve 1. And a long of 1111111111111111111 added with a reserve of
// 7 that grows to 9999999999999999999 (nine times as much, as a maker)
// holds exactly 63 (rounding the product up first would make it 64).
func TestFeeReserveRoundsOnce(t *testing.T) {
	s := linear(t, "1", "1", "1")
	for _, c := range []struct {
		name                    string
		qty, reserve, adl, want string
	}{
		{"reduced", "9999999999999999999", "2", "4999999999999999999", "2"},
		{"exact", "1111111111111111111", "7", "", "63"},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := state(t, s, engine.PresetGMX())
			tr := trader(t, s, "0", "1", c.qty, "1", "0.01")
			tr.FeeReserve.Set(d(c.reserve))
			a := add(t, st, tr)
			noErr(t, st.SetMark(d("1")))
			if c.adl != "" {
				h := add(t, st, trader(t, s, "0", "1", "-"+c.adl, "1", "0.01"))
				if _, err := st.ADL(nil, h, d(c.adl), 0); err != nil {
					t.Fatal(err)
				}
			} else {
				// a, as the maker, buys 8888888888888888888 more.
				h := add(t, st, trader(t, s, "0", "1", "8888888888888888888", "1", "0.01"))
				_, ok, err := st.Trigger(nil, h)
				if err != nil || !ok {
					t.Fatalf("trigger: %v %v", ok, err)
				}
				_, id, err := st.Takeover(nil, h)
				noErr(t, err)
				_, err = st.Execute(nil, id, []engine.Fill{fill("8888888888888888888", "1", a)})
				noErr(t, err)
			}
			if got := &st.Trader(a).FeeReserve; got.Cmp(d(c.want)) != 0 {
				t.Errorf("reserve at %s: %s, want %s", st.Trader(a).Qty.String(), got.String(), c.want)
			}
		})
	}
}
