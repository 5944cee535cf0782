package bench

import (
	"math"
	"sort"
)

// The account-level checks in float64, beside derivmath's liquidation
// solver: the same checks written directly.

// LiquidatableIsolatedF reports whether an isolated linear position of
// multiplier 1 (Binance USD-M, fixed MMR and cum) is liquidatable at mark:
// its equity, wallet + Q*(mark - entry), is at most its maintenance at the
// mark, |Q|*mark*MMR - cum.
func LiquidatableIsolatedF(qty, entry, wallet, mmr, cum, mark float64) bool {
	equity := wallet + qty*(mark-entry)
	return equity <= math.Abs(qty)*mark*mmr-cum
}

// PositionF is one position of a cross account: signed quantity and entry
// price on a linear contract of multiplier 1.
type PositionF struct{ Qty, Entry float64 }

// CrossF is a Binance USD-M cross account in float64: a wallet and
// positions on linear contracts of multiplier 1, each margined on the tier
// table Tiers.
type CrossF struct {
	Wallet float64
	Pos    []PositionF
	Tiers  []TierF
}

// tierF returns the MMR and cum of the tier notional falls in.
func tierF(tiers []TierF, notional float64) (mmr, cum float64) {
	i := max(sort.Search(len(tiers), func(i int) bool { return tiers[i].Floor > notional })-1, 0)
	return tiers[i].MMR, tiers[i].Cum
}

// Liquidatable reports whether the account is liquidatable with position i
// at marks[i]: its equity, wallet plus every position's unrealised PnL, is
// at most the sum of their maintenance margins, each from the tier of its
// notional at the mark.
func (c *CrossF) Liquidatable(marks []float64) bool {
	equity, mm := c.Wallet, 0.0
	for i, p := range c.Pos {
		equity += p.Qty * (marks[i] - p.Entry)
		n := math.Abs(p.Qty) * marks[i]
		r, cum := tierF(c.Tiers, n)
		mm += n*r - cum
	}
	return equity <= mm
}

// Price is the liquidation price of position 0 with the others at their
// marks (marks[0] is not read): their unrealised PnL and maintenance
// (Binance's UPNL1 and TMM1), then Binance's cross formula
//
//	LP = (WB - TMM1 + UPNL1 + cum - s*N*EP)/(N*MMR - s*N)
//
// solved in the tier of the entry notional, then again in the tier of the
// answer's notional until it no longer changes, as derivmath's solver
// does. It returns NaN if the tiers do not settle in 64 rounds.
func (c *CrossF) Price(marks []float64) float64 {
	var upnl, tmm float64
	for i := 1; i < len(c.Pos); i++ {
		p := c.Pos[i]
		upnl += p.Qty * (marks[i] - p.Entry)
		n := math.Abs(p.Qty) * marks[i]
		r, cum := tierF(c.Tiers, n)
		tmm += n*r - cum
	}
	p := c.Pos[0]
	sn, n := p.Qty, math.Abs(p.Qty) // s*N, N
	num := c.Wallet - tmm + upnl - sn*p.Entry
	mmr, cum := tierF(c.Tiers, n*p.Entry)
	for range 64 {
		lp := (num + cum) / (n*mmr - sn)
		r, cm := tierF(c.Tiers, n*lp)
		if r == mmr && cm == cum {
			return lp
		}
		mmr, cum = r, cm
	}
	return math.NaN()
}
