package engine_test

import (
	"testing"

	"github.com/derivmath/derivmath/engine"
)

// TestADLTie: two ADL candidates of equal score, twins (cross shorts 1 @
// 110 with a wallet of 100 at the mark 100), are closed in the order of
// Preset.ADLTie: the lower index first under TieLowerIndex (every
// preset's default), the higher under TieHigherIndex. An ADL of 1 of the
// long 2 @ 100 closes one twin and leaves the other. Under every scored
// ranking (BitMEX's, Binance's, Hyperliquid's, OKX's), and among
// Binance's unbounded scores (BinanceFloor off, wallets of 0), the rule
// picks the twin; RankIndex closes the lower index and RankCyclic the
// twin its offset falls on whatever the rule: they have no score, hence
// no ties.
func TestADLTie(t *testing.T) {
	unbounded := func() *engine.Preset {
		p := engine.PresetBinance()
		p.BinanceFloor = false
		return p
	}
	for _, c := range []struct {
		name   string
		preset func() *engine.Preset
		wallet string // each twin's
		lower  bool   // the lower index closed under TieHigherIndex too
	}{
		{"RankBitMEX", engine.PresetBitMEX, "100", false},
		{"RankBitMEX (Bybit)", engine.PresetBybit, "100", false},
		{"RankBinance", engine.PresetBinance, "100", false},
		{"RankBinance unbounded", unbounded, "0", false},
		{"RankHyperliquid", engine.PresetHyperliquid, "100", false},
		{"RankOKX", engine.PresetOKX, "100", false},
		{"RankIndex (GMX)", engine.PresetGMX, "100", true},
		{"RankIndex (Drift)", engine.PresetDrift, "100", true},
	} {
		for _, tie := range []engine.ADLTie{engine.TieLowerIndex, engine.TieHigherIndex} {
			p := c.preset()
			if p.ADLTie != engine.TieLowerIndex {
				t.Fatalf("%s: default tie rule %v, want TieLowerIndex", c.name, p.ADLTie)
			}
			p.ADLTie = tie
			a, b, st := twins(t, p, c.wallet)
			if _, err := st.ADL(nil, 1, d("1"), 0); err != nil {
				t.Fatalf("%s, %v: ADL: %v", c.name, tie, err)
			}
			first, second := a, b
			if tie == engine.TieHigherIndex && !c.lower {
				first, second = b, a
			}
			if !st.Trader(first).Qty.IsZero() || st.Trader(second).Qty.Cmp(d("-1")) != 0 {
				t.Errorf("%s, %v: twins %d and %d hold %s and %s; want %d closed first",
					c.name, tie, a, b, st.Trader(a).Qty.String(), st.Trader(b).Qty.String(), first)
			}
		}
	}
	// RankCyclic: for each seed, the same twin under both rules.
	for seed := range uint64(8) {
		var closed [2]int
		for k, tie := range []engine.ADLTie{engine.TieLowerIndex, engine.TieHigherIndex} {
			p := engine.PresetDYDX()
			p.ADLTie = tie
			a, b, st := twins(t, p, "100")
			if _, err := st.ADL(nil, 1, d("1"), seed); err != nil {
				t.Fatalf("RankCyclic, %v, seed %d: ADL: %v", tie, seed, err)
			}
			closed[k] = a
			if st.Trader(a).Qty.Cmp(d("-1")) == 0 {
				closed[k] = b
			}
		}
		if closed[0] != closed[1] {
			t.Errorf("RankCyclic, seed %d: TieLowerIndex closed %d, TieHigherIndex %d; the rule has no ties to break", seed, closed[0], closed[1])
		}
	}
}

// twins returns a State under p at the mark 100 holding a street (0), an
// isolated long 2 @ 100 with a margin of 1 (1), and two identical cross
// shorts 1 @ 110 with the wallet given (a and b, 2 and 3).
func twins(t *testing.T, p *engine.Preset, wallet string) (a, b int, st *engine.State) {
	t.Helper()
	s := linear(t, "0.01", "1", "0.01")
	st = state(t, s, p)
	noErr(t, st.SetMark(d("100")))
	add(t, st, trader(t, s, "100000", "", "0", "0", "0.005"))
	add(t, st, trader(t, s, "0", "1", "2", "100", "0.005"))
	a = add(t, st, trader(t, s, wallet, "", "-1", "110", "0.005"))
	b = add(t, st, trader(t, s, wallet, "", "-1", "110", "0.005"))
	return a, b, st
}
