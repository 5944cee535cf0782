package engine_test

import (
	"testing"

	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/engine"
)

// TestStepDownTierHoldsNoLot: a lower tier whose limit holds no lot at the
// mark can only be reached by closing the whole position, which is the
// takeover's (S5): StepDown returns no intent, and does not fail. On an
// inverse contract (lot 1, one lot worth 0.01 at the mark of 100), a long
// of 15 at 100 in tier 2 of limits 0.005, 0.1 and 0.2 (rates 0.5%, 1%,
// 1.5%), with a margin of 0.0009, is liquidatable (0.0009 <= 0.00225) and
// not restored at tier 1 (10 left, maintenance 0.001); tier 0 holds no
// lot, so its q_k is the whole 15. StepDown judged that close anyway,
// whose remaining cost, the long's negative cost times 0 over 15, was -0,
// and failed with derivmath.ErrNegativeZero (an inverse short too; a
// linear position's sign cancels).
func TestStepDownTierHoldsNoLot(t *testing.T) {
	s, err := contract.New(contract.Params{Symbol: "XBTUSD", Kind: contract.Inverse, Settle: "XBT", Multiplier: "1", Tick: "0.5", Lot: "1", Minor: "0.00000001"})
	if err != nil {
		t.Fatal(err)
	}
	p := engine.PresetBitMEX()
	p.RiskLimits = make([]engine.RiskLimit, 3)
	for k, row := range [][2]string{{"0.005", "0.005"}, {"0.1", "0.01"}, {"0.2", "0.015"}} {
		p.RiskLimits[k].Limit.Set(d(row[0]))
		p.RiskLimits[k].MMR.Set(d(row[1]))
	}
	st, err := engine.New(derivmath.NewContext(), s, p)
	if err != nil {
		t.Fatal(err)
	}
	long := trader(t, s, "0", "0.0009", "15", "100", "0.015")
	long.Tier = 2
	i := add(t, st, long)
	add(t, st, trader(t, s, "1000", "", "-15", "100", "0.005"))
	noErr(t, st.SetMark(d("100")))
	ev, ok, err := st.Trigger(nil, i)
	if err != nil || !ok {
		t.Fatalf("trigger: %v %v", ok, err)
	}
	ev, id, err := st.StepDown(ev, i)
	if err != nil || id != 0 {
		t.Fatalf("StepDown: intent %d, %v; want none, nil", id, err)
	}
	if ev, id = takeover(t, st, ev, i); id == 0 {
		t.Fatalf("takeover: no intent (%d events)", len(ev))
	}
}
