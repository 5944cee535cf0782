package engine_test

import (
	"testing"

	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/engine"
)

// ownCum returns a trader with the rate and amount of the second
// bracket of PresetBinance's risk limits (MMR 0.5%, cum 50) as its own,
// outside the table (Tier -1), whose maintenance MMR*value - cum is below
// zero wherever its value at the mark is below 10,000. A trader with a
// Tier would take the bracket of its notional at the mark instead
// (State.Brackets), whose maintenance is never below zero, and would test
// nothing here.
func ownCum(t *testing.T, wallet, qty, entry string) *engine.Trader {
	t.Helper()
	tr := trader(t, linear(t, "0.1", "0.001", "0.01"), wallet, "", qty, entry, "0.005")
	tr.Cum.Set(d("50"))
	return tr
}

// TestCumAboveMaintenanceTrigger: a trader's maintenance is MMR*value -
// Cum, never below zero (liquidation.Leg.Cum). A Binance long 1 at 60,000
// with its own 0.5% and cum 50 and a wallet of 55,000 has equity -10 at
// the mark 4,990, and a maintenance of 24.95 - 50 < 0: taken as negative,
// it left the bankrupt trader not liquidatable (the liquidation price was
// 4,974.87, past the bankruptcy price 5,000).
func TestCumAboveMaintenanceTrigger(t *testing.T) {
	s := linear(t, "0.1", "0.001", "0.01")
	st, err := engine.New(derivmath.NewContext(), s, engine.PresetBinance())
	noErr(t, err)
	i := add(t, st, ownCum(t, "55000", "1", "60000"))
	if st.Brackets(st.Trader(i)) != nil {
		t.Fatal("the trader takes Binance's brackets: its own cum is never read")
	}
	add(t, st, trader(t, s, "1000000", "", "-1", "60000", "0.004"))
	noErr(t, st.SetMark(d("4990")))
	if _, ok, err := st.Trigger(nil, i); err != nil || !ok {
		t.Fatalf("Trigger at 4,990 (equity -10) = %v, %v; want liquidatable", ok, err)
	}
}

// TestCumAboveMaintenanceADLScore: Binance's ADL score is PnL% times
// maintenance over equity, so a maintenance below zero made a profitable
// short's score negative, ranked after a losing short's 0 (the FAQ:
// "PnL percentage times effective leverage", never below zero for a
// profit). At the mark 1,000 short A (1 at 60,000, its own 0.5% and cum 50:
// 5 - 50) is in profit and short B (1 at 500) at a loss; with the
// maintenance floored at zero both score 0, and the tie goes to the lower
// index (TieLowerIndex, the default), A; with -45 the ADL of the bankrupt long closed B. A has its own
// rate and cum (Tier -1): in Binance's brackets its maintenance would be
// the 0.4% bracket's, never below zero.
func TestCumAboveMaintenanceADLScore(t *testing.T) {
	s := linear(t, "0.1", "0.001", "0.01")
	st, err := engine.New(derivmath.NewContext(), s, engine.PresetBinance())
	noErr(t, err)
	long := add(t, st, trader(t, s, "1000", "", "2", "60000", "0.004"))
	a := add(t, st, ownCum(t, "1000", "-1", "60000"))
	if st.Brackets(st.Trader(a)) != nil {
		t.Fatal("A takes Binance's brackets: its own cum is never read")
	}
	add(t, st, trader(t, s, "10000", "", "-1", "500", "0.004"))
	noErr(t, st.SetMark(d("1000")))
	ev, err := st.ADL(nil, long, d("1"), 1)
	noErr(t, err)
	var closed []int
	for k := range ev {
		if e := &ev[k]; e.Step == engine.StepADL && e.Kind == engine.Trade && e.Trader == long {
			closed = append(closed, e.Counterparty)
		}
	}
	if len(closed) == 0 || closed[0] != a {
		t.Fatalf("ADL closed traders %v first; want %d (in profit)", closed, a)
	}
	if q := st.Trader(a).Qty; !q.IsZero() {
		t.Errorf("A's quantity after ADL = %s, want 0", q.String())
	}
}
