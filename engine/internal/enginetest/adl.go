package enginetest

import (
	"fmt"

	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/engine"
)

// This file models the order in which State.ADL closes a holder's
// counterparties, for TestModel: RankIndex in index order, RankCyclic in
// index order from an offset, and under the scored rankings the tie rule
// (Preset.ADLTie) between twins, candidates whose score the model knows
// to be equal without computing it.

// ADLCandidates returns, in index order, the traders State.ADL may close
// holder's position against: on the opposite side and not liquidating.
// (A scored ranking may skip some of them: RankBitMEX those at or past
// bankruptcy, RankHyperliquid those not in profit.)
func (m *Ledger) ADLCandidates(holder int) []int {
	var out []int
	hq := m.qty[holder]
	for j := 0; j < m.n; j++ {
		q := m.qty[j]
		if j == holder || m.liq[j] || q.IsZero() || q.Negative == hq.Negative {
			continue
		}
		out = append(out, j)
	}
	return out
}

// Twins says whether traders a and b hold everything an ADL score reads
// alike: the mode, the quantity, the cost (the Position balance), the
// backing (the wallet if cross, the margin if isolated), the fee reserve,
// the maintenance rate and amount, and the tier. Twins have the same
// score under every ranking, so the tie rule orders them.
func (m *Ledger) Twins(a, b int) bool {
	if m.mode[a] != m.mode[b] || m.tier[a] != m.tier[b] {
		return false
	}
	back := engine.Wallet
	if m.mode[a] == account.Isolated {
		back = engine.Margin
	}
	pa, pb := engine.Party{Ledger: engine.Position, Holder: a}, engine.Party{Ledger: engine.Position, Holder: b}
	ba, bb := engine.Party{Ledger: back, Holder: a}, engine.Party{Ledger: back, Holder: b}
	return m.qty[a].Cmp(m.qty[b]) == 0 && m.bal[pa].Cmp(m.bal[pb]) == 0 && m.bal[ba].Cmp(m.bal[bb]) == 0 &&
		m.reserve(a).Cmp(m.reserve(b)) == 0 && m.mmr[a].Cmp(m.mmr[b]) == 0 && m.cum[a].Cmp(m.cum[b]) == 0
}

// ADLOrder takes, before a call of State.ADL for holder, what the model
// knows of the order the call must close the counterparties in, and
// returns a check of the call's events: under RankIndex the traders
// closed must be the first candidates in index order (ADLCandidates);
// under RankCyclic they must follow index order from some candidate on,
// wrapping at most once past the last; under the scored rankings, of two
// twins (Twins) the one the tie rule (Preset.ADLTie) puts first must be
// closed before the other is touched: the lower index under
// TieLowerIndex, the higher under TieHigherIndex. The tie rule is not
// read under RankIndex and RankCyclic, which have no ties.
func (m *Ledger) ADLOrder(holder int) func(ev []engine.Event) error {
	cands := m.ADLCandidates(holder)
	p := m.preset
	closed := func(ev []engine.Event) []int {
		var out []int
		for k := range ev {
			if e := &ev[k]; e.Kind == engine.Trade && e.Step == engine.StepADL && e.Trader == holder {
				out = append(out, e.Counterparty)
			}
		}
		return out
	}
	switch p.ADL {
	case engine.RankIndex:
		return func(ev []engine.Event) error {
			got := closed(ev)
			for k, j := range got {
				if k >= len(cands) || cands[k] != j {
					return fmt.Errorf("RankIndex closed %v, not the first of the candidates %v in index order", got, cands)
				}
			}
			return nil
		}
	case engine.RankCyclic:
		return func(ev []engine.Event) error {
			got := closed(ev)
			wraps := 0
			for k := 1; k < len(got); k++ {
				if got[k] < got[k-1] {
					wraps++
				}
			}
			if wraps > 1 || wraps == 1 && got[len(got)-1] >= got[0] {
				return fmt.Errorf("RankCyclic closed %v, not in index order from an offset", got)
			}
			return nil
		}
	}
	var pairs [][2]int // first, then: the tie rule's order
	for x, a := range cands {
		for _, b := range cands[x+1:] {
			if !m.Twins(a, b) {
				continue
			}
			if p.ADLTie == engine.TieHigherIndex {
				pairs = append(pairs, [2]int{b, a})
			} else {
				pairs = append(pairs, [2]int{a, b})
			}
		}
	}
	return func(ev []engine.Event) error {
		got := closed(ev)
		at := make(map[int]int, len(got))
		for k := len(got) - 1; k >= 0; k-- {
			at[got[k]] = k
		}
		for _, pr := range pairs {
			k1, ok1 := at[pr[0]]
			k2, ok2 := at[pr[1]]
			if ok2 && (!ok1 || k1 > k2) {
				return fmt.Errorf("ADL closed %v: twins %d and %d (equal scores), %v wants %d first", got, pr[0], pr[1], p.ADLTie, pr[0])
			}
		}
		return nil
	}
}
