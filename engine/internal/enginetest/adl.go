package enginetest

import (
	"fmt"
	"slices"

	"github.com/cockroachdb/apd/v3"
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
	check := m.adlOrder(holder)
	return func(ev []engine.Event) error {
		var got []int
		for k := range ev {
			if e := &ev[k]; e.Kind == engine.Trade && e.Step == engine.StepADL && e.Trader == holder {
				got = append(got, e.Counterparty)
			}
		}
		return check(got)
	}
}

// adlOrder is ADLOrder's check of the traders an ADL closed, in order.
func (m *Ledger) adlOrder(holder int) func(got []int) error {
	cands := m.ADLCandidates(holder)
	p := m.preset
	switch p.ADL {
	case engine.RankIndex:
		return func(got []int) error {
			for k, j := range got {
				if k >= len(cands) || cands[k] != j {
					return fmt.Errorf("RankIndex closed %v, not the first of the candidates %v in index order", got, cands)
				}
			}
			return nil
		}
	case engine.RankCyclic:
		return func(got []int) error {
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
	return func(got []int) error {
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

// ADLQueue takes, before a call of State.AppendADLQueue for holder, what
// the model knows of the queue, and returns a check of it: empty for a
// flat holder; else every candidate (ADLCandidates) once and nothing
// else, in ADLOrder's order, but for the candidates the ranking skips:
// RankBitMEX those at or past bankruptcy (equity less the fee reserve at
// most zero) and RankHyperliquid those not in profit at the mark. Under
// RankIndex the queue is the candidates in index order, under RankCyclic
// a rotation of them; a candidate is Unbounded exactly under RankBinance
// without Preset.BinanceFloor for a profit on a backing (the wallet if
// cross, the margin if isolated) of zero or less, and the unbounded lead
// the queue.
func (m *Ledger) ADLQueue(holder int) func(q []engine.Candidate) error {
	order := m.adlOrder(holder)
	p := m.preset
	var want []int        // the candidates the queue must list
	top := map[int]bool{} // the unbounded
	if !m.qty[holder].IsZero() {
		for _, j := range m.ADLCandidates(holder) {
			var pnl, back apd.Decimal
			m.value(&pnl, m.qty[j])
			_, _ = apd.BaseContext.Add(&pnl, &pnl, m.bal[engine.Party{Ledger: engine.Position, Holder: j}])
			b := engine.Wallet
			if m.mode[j] == account.Isolated {
				b = engine.Margin
			}
			back.Set(m.bal[engine.Party{Ledger: b, Holder: j}])
			switch p.ADL {
			case engine.RankBitMEX:
				var e apd.Decimal
				m.Equity(&e, j)
				_, _ = apd.BaseContext.Sub(&e, &e, m.reserve(j))
				if e.Sign() <= 0 {
					continue
				}
			case engine.RankHyperliquid:
				if pnl.Sign() <= 0 {
					continue
				}
			case engine.RankBinance:
				top[j] = !p.BinanceFloor && pnl.Sign() > 0 && back.Sign() <= 0
			}
			want = append(want, j)
		}
	}
	return func(q []engine.Candidate) error {
		got := make([]int, len(q))
		for k := range q {
			got[k] = q[k].Trader
			if q[k].Unbounded != top[q[k].Trader] {
				return fmt.Errorf("queue %v: trader %d Unbounded %v, the model's %v", got, q[k].Trader, q[k].Unbounded, top[q[k].Trader])
			}
			if k > 0 && q[k].Unbounded && !q[k-1].Unbounded {
				return fmt.Errorf("queue %v: unbounded trader %d after a bounded one", got, q[k].Trader)
			}
		}
		sorted := slices.Clone(got)
		slices.Sort(sorted)
		if !slices.Equal(sorted, want) {
			return fmt.Errorf("queue %v under %v: the candidates %v, want %v", got, p.ADL, sorted, want)
		}
		if p.ADL == engine.RankIndex && !slices.Equal(got, want) {
			return fmt.Errorf("queue %v under RankIndex, want %v", got, want)
		}
		if p.ADL == engine.RankCyclic && len(got) > 0 {
			k := slices.Index(want, got[0])
			if !slices.Equal(got, append(slices.Clone(want[k:]), want[:k]...)) {
				return fmt.Errorf("queue %v under RankCyclic, not a rotation of %v", got, want)
			}
		}
		return order(got)
	}
}
