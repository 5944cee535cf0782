package engine_test

import (
	"errors"
	"testing"

	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/engine"
	"github.com/derivmath/derivmath/margin"
)

// binanceAt returns a trader in PresetBinance's bracket tier (MMR and
// cum of that bracket) with qty at entry, backed by a cross wallet.
func binanceAt(t *testing.T, tier int, wallet, qty, entry string) *engine.Trader {
	t.Helper()
	p := engine.PresetBinance()
	tr := trader(t, linear(t, "0.1", "0.001", "0.01"), wallet, "", qty, entry, "0.004")
	tr.Tier = tier
	tr.MMR.Set(&p.RiskLimits[tier].MMR)
	tr.Cum.Set(&p.RiskLimits[tier].Cum)
	return tr
}

// TestBinanceBracketAtMarkTrigger: Binance's maintenance is notional x MMR
// - maintenance amount, both of the bracket the position's notional at the
// mark falls in (FAQ 360033525271), not of the bracket it was in. The
// engine kept the bracket of the trader's Tier:
//
//   - A long 1 at 60,000 in the 0.5% bracket (cum 50) with a wallet of
//     20,155 has equity 155 at the mark 40,000, where its notional is in
//     the 0.4% bracket: maintenance 160, liquidatable; the kept bracket
//     gave 150.
//   - A short 1 at 40,000 in the 0.4% bracket with a wallet of 20,245 has
//     equity 245 at the mark 60,000, in the 0.5% bracket: maintenance 250,
//     liquidatable; the kept bracket gave 240.
func TestBinanceBracketAtMarkTrigger(t *testing.T) {
	for _, c := range []struct {
		name                            string
		tier                            int
		wallet, qty, other, entry, mark string
	}{
		{"long into a lower bracket", 1, "20155", "1", "-1", "60000", "40000"},
		{"short into a higher bracket", 0, "20245", "-1", "1", "40000", "60000"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := linear(t, "0.1", "0.001", "0.01")
			st, err := engine.New(derivmath.NewContext(), s, engine.PresetBinance())
			noErr(t, err)
			i := add(t, st, binanceAt(t, c.tier, c.wallet, c.qty, c.entry))
			add(t, st, trader(t, s, "1000000", "", c.other, c.entry, "0.004"))
			noErr(t, st.SetMark(d(c.mark)))
			if _, ok, err := st.Trigger(nil, i); err != nil || !ok {
				t.Fatalf("Trigger at %s = %v, %v; want liquidatable", c.mark, ok, err)
			}
		})
	}
}

// TestBinanceBracketAtMarkADLScore: Binance's ADL score multiplies the
// PnL percentage by the margin ratio, maintenance over equity, with the
// maintenance of the bracket at the mark. Shorts A (1 at 60,000, added in
// the 0.5% bracket, cum 50) and B (the same position and wallet, a flat
// rate of 0.395% outside the table) at the mark 40,000: A's notional is
// in the 0.4% bracket, maintenance 160 against B's 158, so A ranks first;
// with its kept bracket A's maintenance was 150 and the ADL closed B.
func TestBinanceBracketAtMarkADLScore(t *testing.T) {
	s := linear(t, "0.1", "0.001", "0.01")
	st, err := engine.New(derivmath.NewContext(), s, engine.PresetBinance())
	noErr(t, err)
	long := add(t, st, trader(t, s, "1000", "", "2", "60000", "0.004"))
	a := add(t, st, binanceAt(t, 1, "1000", "-1", "60000"))
	add(t, st, trader(t, s, "1000", "", "-1", "60000", "0.00395"))
	noErr(t, st.SetMark(d("40000")))
	ev, err := st.ADL(nil, long, d("1"), 1)
	noErr(t, err)
	var closed []int
	for k := range ev {
		if e := &ev[k]; e.Step == engine.StepADL && e.Kind == engine.Trade && e.Trader == long {
			closed = append(closed, e.Counterparty)
		}
	}
	if len(closed) != 1 || closed[0] != a {
		t.Fatalf("ADL closed traders %v; want only %d (maintenance 160 > 158)", closed, a)
	}
}

// TestBinanceBracketAtMarkStepDown: Binance's step-down is one IOC into a
// bracket below the one the notional at the mark is in. A short 1 at
// 40,000, added in the 0.4% bracket (tier 0), is in the 0.5% bracket at
// the mark 60,000 (maintenance 250; equity 240 with a wallet of 20,240):
// closing 0.167 leaves 0.833 worth 49,980 in the 0.4% bracket,
// maintenance 199.92 under the equity (no clearance fee in this preset).
// The engine walked down from the tier the trader was added in, found no
// tier below 0, and returned no intent, leaving the whole position to the
// takeover.
func TestBinanceBracketAtMarkStepDown(t *testing.T) {
	s := linear(t, "0.1", "0.001", "0.01")
	p := engine.PresetBinance()
	p.ClearanceFee.SetInt64(0)
	st, err := engine.New(derivmath.NewContext(), s, p)
	noErr(t, err)
	i := add(t, st, binanceAt(t, 0, "20240", "-1", "40000"))
	add(t, st, trader(t, s, "1000000", "", "1", "40000", "0.004"))
	noErr(t, st.SetMark(d("60000")))
	ev, ok, err := st.Trigger(nil, i)
	if err != nil || !ok {
		t.Fatalf("Trigger = %v, %v; want liquidatable", ok, err)
	}
	_, id, err := st.StepDown(ev, i)
	noErr(t, err)
	in := st.Intent(id)
	if in == nil {
		t.Fatal("StepDown: no intent; want an IOC of 0.167 into the 0.4% bracket")
	}
	if in.Qty.Cmp(d("0.167")) != 0 || in.Side != engine.Buy || in.TIF != engine.IOC {
		t.Fatalf("StepDown: %s %s %s; want Buy 0.167 IOC", in.Side, in.Qty.String(), in.TIF)
	}
}

// TestBinanceBracketsValidate: under Binance's rules the risk limits are
// the brackets every tiered trader's maintenance comes from, so their
// cums must follow Binance's recurrence (cum 50 after 0.4% to 0.5% at
// 50,000); another venue's table keeps its own cums.
func TestBinanceBracketsValidate(t *testing.T) {
	p := engine.PresetBinance()
	p.RiskLimits[1].Cum.SetInt64(49)
	if err := p.Validate(); !errors.Is(err, engine.ErrTable) || !errors.Is(err, margin.ErrCum) {
		t.Errorf("Binance, cum 49 for 50: %v; want ErrTable and margin.ErrCum", err)
	}
	if _, err := engine.New(derivmath.NewContext(), linear(t, "0.1", "0.001", "0.01"), p); !errors.Is(err, engine.ErrTable) {
		t.Errorf("New: %v; want ErrTable", err)
	}
	p.Venue = engine.OKX
	if err := p.Validate(); err != nil {
		t.Errorf("OKX with the same table: %v; want nil", err)
	}
	if st, err := engine.New(derivmath.NewContext(), linear(t, "0.1", "0.001", "0.01"), engine.PresetBybit()); err != nil || st.Brackets(&engine.Trader{Tier: 1}) != nil {
		t.Errorf("Bybit: brackets for a tiered trader (%v)", err)
	}
	st, err := engine.New(derivmath.NewContext(), linear(t, "0.1", "0.001", "0.01"), engine.PresetBinance())
	noErr(t, err)
	if b := st.Brackets(&engine.Trader{Tier: 0}); b.Len() != 4 {
		t.Errorf("Binance, tier 0: %d brackets, want the preset's 4", b.Len())
	}
	if st.Brackets(&engine.Trader{Tier: -1}) != nil || st.Brackets(st.Trader(engine.Fund)) != nil || st.Brackets(st.Trader(7)) != nil {
		t.Error("Binance: brackets for a trader outside the table, the fund or no trader")
	}
}
