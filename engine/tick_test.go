package engine_test

import (
	"testing"

	"github.com/derivmath/derivmath/engine"
	"github.com/derivmath/derivmath/liquidation"
)

// TestLimitAtLeastOneTick: an intent's limit, rounded to the tick, is at
// least one tick, since a limit of 0 means a market order (Intent). A
// short of 100 at 0.001 with a margin of 0.4 is bankrupt at 0.005, below
// the tick of 0.01: its close, a buy limited at the bankruptcy price
// rounded down, was limited at 0 and so bought at any price. Its limit is
// now one tick, the nearest price a book holds. The same holds for the
// fund's close of inventory taken over below one tick (BitMEX with an
// unrounded bankruptcy price), dYdX's fillable price of a short below one
// tick, and a step-down sell whose assumed price (the mark) is below one
// tick, whose limit rounded to 0 made StepDown fail (ErrPrice: the check
// valued the fill at 0).
func TestLimitAtLeastOneTick(t *testing.T) {
	tick := d("0.01")
	for _, c := range []struct {
		name   string
		preset func() *engine.Preset
		margin string // "" cross
		wallet string
		qty    string
		entry  string
		mark   string
		mmr    string
		tier   int
		step   bool // StepDown, not Takeover
	}{
		{"account closes", engine.PresetBinance, "0.4", "0", "-100", "0.001", "0.004", "0.5", -1, false},
		{"fund takes", engine.PresetBitMEX, "0.4", "0", "-100", "0.001", "0.0045", "0.5", -1, false},
		{"fillable", engine.PresetDYDX, "", "0.45", "-100", "0.001", "0.004", "0.5", -1, false},
		{"step-down", engine.PresetBitMEX, "0.2", "0", "100000", "0.005", "0.005", "0.02", 3, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := linear(t, "0.01", "1", "0.0001")
			p := c.preset()
			if !c.step && p.Partial == engine.StepDown {
				p.Partial, p.RiskLimits = engine.PartialNone, nil
			}
			if p.OrderPrice == engine.AtBankruptcy {
				// Unrounded: liquidation's rounded prices are at least a tick.
				p.PriceRounding = liquidation.Exact
			}
			st := state(t, s, p)
			tr := trader(t, s, c.wallet, c.margin, c.qty, c.entry, c.mmr)
			tr.Tier = c.tier
			i := add(t, st, tr)
			neg := d(c.qty)
			neg.Neg(neg)
			add(t, st, trader(t, s, "1000", "", neg.String(), c.entry, "0.01"))
			noErr(t, st.SetMark(d(c.mark)))
			ev, ok, err := st.Trigger(nil, i)
			if err != nil || !ok {
				t.Fatalf("trigger: %v %v", ok, err)
			}
			var id engine.IntentID
			if c.step {
				_, id, err = st.StepDown(ev, i)
			} else {
				_, id, err = st.Takeover(ev, i)
			}
			if err != nil || id == 0 {
				t.Fatalf("intent %d, %v", id, err)
			}
			if in := st.Intent(id); in.Limit.Cmp(tick) != 0 {
				t.Errorf("%s limit %s, want one tick, 0.01", in.Side, in.Limit.String())
			}
		})
	}
}
