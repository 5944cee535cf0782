package engine_test

import (
	"testing"

	"github.com/derivmath/derivmath"
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
		st, err := engine.New(derivmath.NewContext(), s, engine.PresetGMX())
		if err != nil {
			t.Fatal(err)
		}
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
