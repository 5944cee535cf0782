package account_test

import (
	"errors"
	"math"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/liquidation"
	"pgregory.net/rapid"
)

// drawRoots draws a Bybit account whose cross equity less maintenance G,
// as the mark of one position's contract moves, often has two roots: the
// model (TestAccountMatchesModel) draws accounts with one. It returns the
// account, the model's copy of it and the index of that position.
//
// G is concave in the position's PnL d: each other inverse contract j
// with cross positions whose fee to close moves adds to G's slope
// tsz_j/den_j where its fee is positive (see the package documentation),
// positive on the side of d where it is 0 for a net short of more than
// taker times the gross (den_j > 0), negative beyond it otherwise. A hedge
// whose net short is within the taker rate of its gross (0 < ss_j <
// tsz_j) makes the slope negative beyond its kink: G rises with slope 1
// to its peak there, ss_j/mark_j less the fixed maintenance (whatever the
// wallet), and falls beyond it. So a near-flat hedge on one of the other
// inverse contracts, the wallet set from a target kink drawn on either
// side of the marks, puts roots on both sides of them (G > 0 at the
// marks), two on one side (G < 0 there, the account liquidatable at the
// marks and leaving its threshold before it reaches it again) or none (the
// peak below 0), within the PnL the position makes at a positive price or
// beyond it. The third inverse contract holds nothing, another near-flat
// hedge, or a position drawn as the model draws them (a kink that leaves
// G's slope positive); the position's own contract, the remaining
// inverse one or a linear one settled in BTC, holds one position or two
// (hedge mode), and a linear contract settled in USDT may hold one (its
// currency's walk has no moving fee).
func drawRoots(t *rapid.T) (*account.Account, *model, int) {
	a, err := account.New(derivmath.NewContext(), liquidation.Bybit)
	noErr(t, err)
	mkts := markets(t)
	m := &model{conv: liquidation.Bybit, mkts: mkts, marks: map[*contract.Spec]*apd.Decimal{}, wallets: map[string]*apd.Decimal{}, orders: map[string]*account.Order{}}
	for _, mk := range mkts {
		mark := price(t, mk, "mark "+mk.spec.Symbol)
		m.marks[mk.spec] = mark
		noErr(t, a.SetMark(mk.spec, mark))
	}
	inverse := []int{2, 4, 5} // BTCUSD, BTCUSD_Q, BTCUSD_H
	order := rapid.Permutation(inverse).Draw(t, "contracts")
	own, hedge, third := mkts[order[0]], mkts[order[1]], mkts[order[2]]
	// A quarter of the time the position is on a linear contract settled
	// in BTC, ETH at 0.000001 BTC a USD (its PnL affine in the price, its
	// fee fixed at entry).
	linear := rapid.IntRange(0, 3).Draw(t, "linear") == 0
	if linear {
		s, err := contract.New(contract.Params{Symbol: "ETHUSD_BTC", Kind: contract.Linear, Settle: "BTC", Multiplier: "0.000001", Tick: "0.05", Lot: "1", Taker: "0.0006"})
		noErr(t, err)
		own = market{spec: s, base: 3000, exp: -2}
		m.mkts = append(m.mkts, own)
		m.marks[s] = price(t, own, "mark ETHUSD_BTC")
		noErr(t, a.SetMark(s, m.marks[s]))
	}
	set := func(p *account.Position) {
		noErr(t, a.Set(p))
		m.pos = append(m.pos, copyPosition(p))
	}
	// A near-flat hedge on mk: l long and l+n short, l > n*(1/taker - 1)/2
	// (so that n < taker*(2l + n)), no maintenance rate most of the time
	// (a leg's maintenance above ss/mark leaves G below 0 everywhere), a
	// leg's fee given now and then. l is at least 1.1 times that bound:
	// G's slope beyond the kink, ss/den, is then within -10 or so, and the
	// fee's rounding error, amplified by tsz/den, within the comparisons'.
	nearFlat := func(mk market, label string) {
		n := rapid.Int64Range(1, 4).Draw(t, label+" net")
		tk, _ := mk.spec.Taker.Float64()
		lo := int64(float64(n)*(1/tk-1)/2*1.1) + 1
		l := rapid.Int64Range(lo, 5*lo).Draw(t, label+" long")
		// One entry for both legs: their uPnLs, each large, cancel but
		// for the net's, and the fees' rounding stays the amounts'.
		entry := price(t, mk, label+" entry")
		// A given fee on one leg leaves taker times the other's size in
		// tsz: kept where den = ss - tsz stays a tenth of tsz from 0.
		var given [2]bool
		for j := range given {
			given[j] = rapid.IntRange(0, 5).Draw(t, label+" fee given") == 0
		}
		if given[0] != given[1] {
			moving := float64(l) // the long's, the short's fee given
			if given[0] {
				moving = float64(l + n)
			}
			if math.Abs(float64(n)-tk*moving) < 0.1*tk*moving {
				given = [2]bool{}
			}
		}
		for j, leg := range []struct {
			side account.Side
			q    int64
		}{{account.Long, l}, {account.Short, -(l + n)}} {
			p := drawPosition(t, mk, liquidation.Bybit, leg.side, account.Cross, label)
			p.Qty.Set(apd.New(leg.q, 0))
			p.Entry.Set(entry)
			p.MMR.SetInt64(0)
			p.Cum.SetInt64(0)
			if rapid.IntRange(0, 7).Draw(t, label+" mmr") == 0 {
				p.MMR.Set(apd.New(rapid.Int64Range(1, 10).Draw(t, label+" mmr rate"), -6))
			}
			if given[j] {
				p.Fee.Set(apd.New(rapid.Int64Range(1, 100).Draw(t, label+" fee"), -7))
			}
			set(p)
		}
	}
	nearFlat(hedge, "hedge")
	switch rapid.IntRange(0, 2).Draw(t, "third") {
	case 1:
		nearFlat(third, "third hedge")
	case 2:
		// Small beside the hedge's peak.
		p := drawPosition(t, third, liquidation.Bybit, account.OneWay, account.Cross, "third")
		p.Qty.Set(apd.New(rapid.Int64Range(-50, 50).Filter(func(q int64) bool { return q <= -10 || q >= 10 }).Draw(t, "third qty"), 0))
		p.MMR.Set(apd.New(rapid.Int64Range(0, 10).Draw(t, "third mmr"), -4))
		p.Cum.SetInt64(0)
		set(p)
	}
	// The position, its maintenance small beside the hedge's peak (up
	// to 0.1% of its value at entry, its fee given or not).
	pick := len(m.pos)
	sides := []account.Side{account.OneWay}
	if rapid.IntRange(0, 3).Draw(t, "own hedge") == 0 {
		sides = []account.Side{account.Long, account.Short}
	}
	for _, side := range sides {
		p := drawPosition(t, own, liquidation.Bybit, side, account.Cross, "own")
		p.Qty.Set(apd.New(rapid.Int64Range(20, 400).Draw(t, "own qty"), 0))
		if linear { // 0.003 BTC each at 3000
			p.Qty.Set(apd.New(rapid.Int64Range(10, 200).Draw(t, "own qty"), 0))
		}
		if side == account.Short || side == account.OneWay && rapid.Bool().Draw(t, "own short") {
			p.Qty.Neg(&p.Qty)
		}
		p.MMR.Set(apd.New(rapid.Int64Range(0, 10).Draw(t, "own mmr"), -4))
		p.Cum.SetInt64(0)
		if rapid.Bool().Draw(t, "own fee given") {
			p.Fee.Set(apd.New(rapid.Int64Range(1, 1000).Draw(t, "own fee"), -8))
		}
		set(p)
	}
	if len(sides) == 2 {
		pick += rapid.IntRange(0, 1).Draw(t, "own leg")
	}
	if rapid.IntRange(0, 3).Draw(t, "usdt") == 0 {
		set(drawPosition(t, mkts[0], liquidation.Bybit, account.OneWay, account.Cross, "usdt"))
		m.wallets["USDT"] = apd.New(rapid.Int64Range(0, 1e7).Draw(t, "wallet USDT"), -2)
		noErr(t, a.SetWallet("USDT", m.wallets["USDT"]))
	}
	// The wallet that puts the hedge's kink at the target: num = sv - b -
	// o + F (the hedge's signed entry values, the wallet, the other cross
	// positions' uPnL and the hedge's given fees) as G's peak, mult*n/mark
	// less the maintenance (estimated with no wallet), times f for a kink
	// on the side where the position gains, times f over the slope beyond
	// it on the other side: roots on both sides for |f| < 1.
	sv, o, fees, mm := new(apd.Decimal), new(apd.Decimal), new(apd.Decimal), new(apd.Decimal)
	ss, tsz := new(apd.Decimal), new(apd.Decimal)
	for _, p := range m.pos {
		if p.Spec.Settle != "BTC" {
			continue
		}
		if p.Spec != hedge.spec {
			o = add(o, m.upnl(p))
			mm = add(mm, m.numbers(p).mm)
			continue
		}
		v0 := value(p.Spec, &p.Qty, &p.Entry)
		size := new(apd.Decimal).Abs(mul(&p.Qty, &p.Spec.Multiplier))
		mm = add(mm, floor0(sub(mul(v0, &p.MMR), &p.Cum)))
		if !p.Fee.IsZero() {
			fees, mm = add(fees, &p.Fee), add(mm, &p.Fee)
		} else {
			tsz = add(tsz, mul(&hedge.spec.Taker, size))
		}
		if p.Qty.Negative {
			sv, ss = add(sv, v0), add(ss, size)
		} else {
			sv, ss = sub(sv, v0), sub(ss, size)
		}
	}
	peak := sub(add(quo(ss, m.marks[hedge.spec]), fees), mm)
	f := apd.New(rapid.Int64Range(-1500, 1500).Draw(t, "kink"), -3)
	num := mul(peak, f)
	if den := sub(ss, tsz); f.Negative && !den.IsZero() {
		num = quo(num, new(apd.Decimal).Abs(quo(ss, den)))
	}
	b := short(sub(add(sv, fees), add(o, num)))
	m.wallets["BTC"] = b
	noErr(t, a.SetWallet("BTC", b))
	return a, m, pick
}

// copyPosition returns a copy of p's fields that the model reads.
func copyPosition(p *account.Position) *account.Position {
	c := &account.Position{Spec: p.Spec, Side: p.Side, Mode: p.Mode, Tiers: p.Tiers}
	c.Qty.Set(&p.Qty)
	c.Entry.Set(&p.Entry)
	c.Leverage.Set(&p.Leverage)
	c.Margin.Set(&p.Margin)
	c.MMR.Set(&p.MMR)
	c.Cum.Set(&p.Cum)
	c.Fee.Set(&p.Fee)
	return c
}

// TestBybitNearestRoot compares the accounts drawRoots draws with the
// model (model.check), then the liquidation and bankruptcy prices of the
// position drawn, in a rounding drawn, with the model's thresholds,
// without solving (checkPrices): the gap sampled at 12 unit values
// between the mark and the price, and as many as far from the mark on
// the other side, where a root nearer than Report's would change its
// sign. Seen to fail within 100 checks with shift taking the farthest
// root a price reaches, or the second root in a direction where there is
// one; TestAccountMatchesModel passed 1,000 checks of either.
func TestBybitNearestRoot(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a, m, i := drawRoots(t)
		m.fine = 12
		m.check(t, a)
		rd := rapid.SampledFrom(roundings).Draw(t, "rounding")
		var r account.Report
		err := a.Report(&r, i, rd)
		if errors.Is(err, derivmath.ErrRange) && rd != liquidation.Exact {
			// A tick the context cannot write (model.check judges it).
			rd = liquidation.Exact
			err = a.Report(&r, i, rd)
		}
		noErr(t, err)
		m.checkPrices(t, i, m.pos[i], &r, rd)
	})
}

// TestTickFits: the ticks of 0.5 near a price of 1038421599169262721 (a
// bankruptcy price TestBybitNearestRoot drew after 4,731 checks, whose
// Report rounded toward the entry fails with derivmath.ErrRange, as
// documented) have 20 digits; model.check took every price below
// tick*10^19 (5e18 here) for writable, so failed on that error.
func TestTickFits(t *testing.T) {
	for _, c := range []struct {
		x, tick string
		want    bool
	}{
		{"985135.4667595115524", "0.5", true},
		{"1038421599169262721", "0.5", false},
		{"999999999999999999.4", "0.5", true},
		{"999999999999999999.8", "0.5", false},
		{"4999999999999999999", "1", true},
		{"9999999999999999999", "1", false},
		{"9999999999999999998", "1", true},
		{"123456789012345.1234", "0.0001", true},
		{"1234567890123456.123", "0.0001", false},
		{"1E+19", "25", false},
		{"9999999999999999975", "25", false},
		{"9999999999999999950", "25", true},
	} {
		if got := tickFits(d(c.x), d(c.tick)); got != c.want {
			t.Errorf("tickFits(%s, %s) = %v, want %v", c.x, c.tick, got, c.want)
		}
	}
}
