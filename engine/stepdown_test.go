package engine_test

import (
	"strconv"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/engine"
	"github.com/derivmath/derivmath/engine/internal/enginetest"
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
	st := state(t, s, p)
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

// TestStepDownBracketAtLimit: under Binance's rules the step-down lowers
// the risk limit to the bracket of the notional at the mark, the bracket
// margin.Tiers looks up: a bracket's Floor, the Limit of the one below,
// belongs to it. A long of 10 at the mark 60,000 has a notional of
// 600,000, PresetBinance's second Limit exactly: margin.Tiers puts it in
// the third bracket (0.65%, cum 950; maintenance 2,950, as the second's),
// so a trader added at the fourth is lowered to the third, and the
// TierLowered event records 2 (its own lookup, a Limit in its bracket,
// recorded 1). The walk down then closes what it did (without the
// clearance fee, which the long's 2,000 would not pay): the second
// bracket's limit holds the whole long, so nothing is closed into it, and
// the first's 0.833 of it, which a close of 9.167 leaves.
func TestStepDownBracketAtLimit(t *testing.T) {
	s := linear(t, "0.1", "0.001", "0.01")
	p := engine.PresetBinance()
	p.ClearanceFee.SetInt64(0) // so that a close of 9.167 restores the long
	st, err := engine.New(derivmath.NewContext(), s, p)
	noErr(t, err)
	i := add(t, st, binanceAt(t, 3, "2000", "10", "60000"))
	add(t, st, trader(t, s, "1000000", "", "-10", "60000", "0.004"))
	noErr(t, st.SetMark(d("60000")))
	want, err := st.Brackets(st.Trader(i)).Lookup(d("600000"))
	noErr(t, err)
	if want != st.Brackets(st.Trader(i)).At(2) {
		t.Fatalf("margin.Tiers puts 600,000 in the bracket of floor %s; want the third's", want.Floor.String())
	}
	ev, ok, err := st.Trigger(nil, i)
	if err != nil || !ok {
		t.Fatalf("trigger: %v %v", ok, err)
	}
	n := len(ev)
	ev, id, err := st.StepDown(ev, i)
	noErr(t, err)
	var lowered []string
	for _, e := range ev[n:] {
		if e.Kind == engine.TierLowered {
			lowered = append(lowered, e.Qty.String())
		}
	}
	if len(lowered) != 1 || lowered[0] != "2" || st.Trader(i).Tier != 2 {
		t.Errorf("TierLowered %v, tier %d; want [2], 2 (margin.Tiers's bracket of 600,000)", lowered, st.Trader(i).Tier)
	}
	if in := st.Intent(id); in == nil || in.Qty.Cmp(d("9.167")) != 0 {
		t.Errorf("step-down intent %+v; want a close of 9.167", in)
	}
}

// TestDYDXStepDownAtLeastOneLot: where dYdX's notional limit is worth
// less than a lot at the oracle, the partial close is one lot, not none.
// TestDYDXStepDownNotionalLimit's short 500 at 1.19 (worth 595) with a
// MaxPortion of 0.1%: floor(0.595/1.19) = 0 lots, so an IOC buy of 1.
func TestDYDXStepDownAtLeastOneLot(t *testing.T) {
	s := linear(t, "0.01", "1", "0.000001")
	p := engine.PresetDYDX()
	p.MaxPortion.Set(d("0.001"))
	st := state(t, s, p)
	noErr(t, st.SetMark(d("1")))
	add(t, st, trader(t, s, "100", "", "500", "1", "0.03"))
	b := add(t, st, trader(t, s, "100", "", "-500", "1", "0.03"))
	noErr(t, st.SetMark(d("1.19")))
	ev, ok, err := st.Trigger(nil, b)
	if err != nil || !ok {
		t.Fatalf("trigger: %v %v", ok, err)
	}
	_, id, err := st.StepDown(ev, b)
	if err != nil || id == 0 {
		t.Fatalf("step-down: intent %d, %v; want one lot", id, err)
	}
	if in := st.Intent(id); in.Side != engine.Buy || in.Qty.Cmp(d("1")) != 0 {
		t.Fatalf("step-down intent %v %s, want Buy 1", in.Side, in.Qty.String())
	}
}

// TestHyperliquidPortionAbove: Hyperliquid closes a portion only of a
// position worth more than PortionNotional (100,000) at the mark: a long
// 1000 at 100, worth exactly 100,000, closes whole (no partial close);
// 1001 closes 20%, 200.2, rounded down to the lot, 200.
func TestHyperliquidPortionAbove(t *testing.T) {
	for _, c := range []struct{ qty, want string }{{"1000", "0"}, {"1001", "200"}} {
		s := linear(t, "0.01", "1", "0.01")
		st := state(t, s, engine.PresetHyperliquid())
		noErr(t, st.SetMark(d("101")))
		i := add(t, st, trader(t, s, "0", "1000", c.qty, "101", "0.01"))
		add(t, st, trader(t, s, "1000000", "", "-"+c.qty, "101", "0.01"))
		noErr(t, st.SetMark(d("100")))
		ev, ok, err := st.Trigger(nil, i)
		if err != nil || !ok {
			t.Fatalf("%s: trigger: %v %v", c.qty, ok, err)
		}
		_, id, err := st.StepDown(ev, i)
		if err != nil {
			t.Fatal(err)
		}
		var got apd.Decimal
		if id != 0 {
			got.Set(&st.Intent(id).Qty)
		}
		if got.Cmp(d(c.want)) != 0 {
			t.Errorf("position %s: partial close %s, want %s", c.qty, got.String(), c.want)
		}
	}
}

// TestBinanceStepDownCountsFee: the step-down's acceptance judges the
// account after the clearance fee its fill pays. TestBinanceStepDownIOC's
// long with 3,400 of margin: closing 1,000 into the 600k bracket leaves
// 3,400 - 500 of fee = 2,900 < 2,950 of maintenance, and closing 6,500
// into the first leaves 3,400 - 3,250 = 150 < 200; no partial close
// restores it (no intent), though without the fee the first would.
func TestBinanceStepDownCountsFee(t *testing.T) {
	p := engine.PresetBinance()
	p.ClearanceFee.Set(d("0.005"))
	st, i, _, ev := bracketLong(t, p, "3400")
	if _, id, err := st.StepDown(ev, i); err != nil || id != 0 {
		t.Fatalf("step-down: intent %d, %v; want none", id, err)
	}
}

// TestStepDownInverse: on an inverse contract a risk limit in the settle
// currency holds limit*mark/multiplier contracts. TestStepDownTierHoldsNoLot's
// long 15 at 100 (0.15 XBT, tier 2 of 0.005, 0.1, 0.2) with a margin of
// 0.0015 is liquidatable (<= 1.5% of 0.15) and restored at tier 1 by
// keeping 0.1*100 = 10 (maintenance 0.001): a FOK sell of 5.
func TestStepDownInverse(t *testing.T) {
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
	st := state(t, s, p)
	long := trader(t, s, "0", "0.0015", "15", "100", "0.015")
	long.Tier = 2
	i := add(t, st, long)
	add(t, st, trader(t, s, "1000", "", "-15", "100", "0.005"))
	noErr(t, st.SetMark(d("100")))
	ev, ok, err := st.Trigger(nil, i)
	if err != nil || !ok {
		t.Fatalf("trigger: %v %v", ok, err)
	}
	_, id, err := st.StepDown(ev, i)
	if err != nil || id == 0 {
		t.Fatalf("StepDown: intent %d, %v; want a FOK of 5", id, err)
	}
	if in := st.Intent(id); in.TIF != engine.FOK || in.Side != engine.Sell || in.Qty.Cmp(d("5")) != 0 {
		t.Fatalf("step-down intent %v %v %s, want FOK Sell 5", in.TIF, in.Side, in.Qty.String())
	}
}

// TestStepDownFeeAtMark: under FeeAtMark the step-down's acceptance
// charges the clearance fee on the close's value at the mark, not at its
// limit. TestBinanceStepDownIOC's long with 3,550 of margin, a slippage
// of 0.1% (limit 99.9) and FeeAtMark: closing 1,000 realises -100 and
// pays 500 (0.5% of 100,000), leaving 2,950, at the 600k bracket's
// maintenance: still liquidatable, and no partial close restores it
// (priced at the limit the fee would be 499.50, and the IOC accepted).
func TestStepDownFeeAtMark(t *testing.T) {
	p := engine.PresetBinance()
	p.ClearanceFee.Set(d("0.005"))
	p.Slippage.Set(d("0.001"))
	p.FeeAtMark = true
	st, i, _, ev := bracketLong(t, p, "3550")
	if _, id, err := st.StepDown(ev, i); err != nil || id != 0 {
		t.Fatalf("step-down: intent %d, %v; want none", id, err)
	}
}

// TestStepDownTierAtLimit: outside Binance's rules a position worth exactly
// a risk limit fits that limit (BitMEX's risk limit is the largest value a
// position may have at its tier), so the step-down lowers the limit to it,
// not to the one above. Under PresetBitMEX's limits 100, 150, 200 and 250
// (maintenance 0.5% to 2% of the entry value), a long of 1.5 at 100 added at
// the fourth tier with margin 2.7 is liquidatable there (maintenance 3);
// its value at the mark, 150, is the second tier's limit, where the
// maintenance is 1.5: the step-down lowers it to tier 1 and restores it.
// Worth 150.15, at the mark 100.1 (equity 2.85), it goes to tier 2
// (maintenance 2.25), which restores it too.
func TestStepDownTierAtLimit(t *testing.T) {
	s := linear(t, "0.01", "0.1", "0.01")
	for _, c := range []struct {
		mark string
		tier int
	}{{"100", 1}, {"100.1", 2}} {
		p := engine.PresetBitMEX()
		st := state(t, s, p)
		noErr(t, st.SetMark(d("100")))
		tr := trader(t, s, "0", "2.7", "1.5", "100", "0.02")
		tr.Tier = 3
		i := add(t, st, tr)
		add(t, st, trader(t, s, "1000", "", "-1.5", "100", "0.02"))
		noErr(t, st.SetMark(d(c.mark)))
		ev, ok, err := st.Trigger(nil, i)
		if err != nil || !ok {
			t.Fatalf("mark %s: trigger %v %v, want liquidatable at tier 3", c.mark, ok, err)
		}
		n := len(ev)
		ev, id, err := st.StepDown(ev, i)
		noErr(t, err)
		var lowered []string
		restored := false
		for _, e := range ev[n:] {
			switch e.Kind {
			case engine.TierLowered:
				lowered = append(lowered, e.Qty.String())
			case engine.Restored:
				restored = true
			}
		}
		want := strconv.Itoa(c.tier)
		if id != 0 || !restored || len(lowered) != 1 || lowered[0] != want || st.Trader(i).Tier != c.tier || st.Trader(i).Liquidating {
			t.Errorf("mark %s: intent %d, TierLowered %v, restored %v, tier %d; want no intent, [%s], restored, tier %d:\n%s",
				c.mark, id, lowered, restored, st.Trader(i).Tier, want, c.tier, enginetest.EventsText(ev[n:]))
		}
	}
}
