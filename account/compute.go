package account

import (
	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/num"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/margin"
)

// load validates p, a position on contract k, and loads it into l: every
// number that does not depend on the mark.
func (a *Account) load(c *num.Ctx, l *position, p *Position, k int) {
	in := &a.contracts[k]
	l.reset(k)
	if p.Mode < Isolated || p.Mode > Cross {
		c.Fail(ErrMode)
		return
	}
	q, ep := c.Check(&p.Qty), c.CheckPrice(&p.Entry)
	switch {
	case c.Err != nil:
		return
	case p.Side == Long && q.IsNeg(), p.Side == Short && !q.IsNeg():
		c.Fail(ErrSide)
		return
	}
	l.lev = nonNegative(c, &p.Leverage, ErrLeverage)
	if p.Mode == Isolated {
		l.margin = nonNegative(c, &p.Margin, ErrNegative)
	}
	cost, fee := c.Check(&p.Cost).Abs(), nonNegative(c, &p.Fee, ErrNegative)
	l.q, l.n, l.neg = q, q.Abs(), q.IsNeg() != in.inverse
	l.size = contract.SizeOf(c, in.m, q)
	if cost.IsZero() {
		l.v0 = in.spec.ValueAt(c, l.size, ep)
	} else {
		l.v0 = cost
	}
	var mmr, cum num.Dec
	if p.Tiers == nil {
		mmr, cum = rate(c, &p.MMR), nonNegative(c, &p.Cum, ErrNegative)
	} else if a.conv != liquidation.Binance {
		i, err := p.Tiers.TierNear(-1, c.Result(l.v0))
		if err != nil {
			c.Fail(err)
		}
		_, mmr, cum = p.Tiers.TierDec(i)
	}
	// A rate in [0, 1) under every convention, read or not, so that a
	// Position one account returns is a valid input to any other.
	f := rate(c, &p.Funding)
	if a.conv == liquidation.BitMEX {
		if !f.IsZero() {
			// One rate, for the maintenance at entry and for the price
			// solve (which needs it below 1): the sum rounded up, so
			// that the maintenance's ceiling is never below the exact
			// one, and the solve holds the same maintenance.
			up := c.WithMode(num.Ceiling)
			mmr = up.Add(mmr, f)
			c.FailIf(up.Err != nil, up.Err)
			c.FailIf(!mmr.BelowOne(), derivmath.ErrRate)
		}
		// An isolated inverse short at 1x or less is never liquidated and
		// never bankrupt: BitMEX reports posComm = posMaint = 0 for it.
		l.never = margin.BitMEXNeverLiquidatesDec(in.spec.Kind, q, l.lev, p.Mode == Isolated)
	}
	l.mmr, l.cum = mmr, cum
	if c.Err != nil {
		return
	}
	l.feeFix = true
	switch {
	case l.never:
	case a.conv == liquidation.Binance:
		l.fee = fee
	case a.conv == liquidation.BitMEX:
		l.mmFix = margin.FlooredMaintenanceDec(c, mmr, l.v0, cum, in.minor)
		l.fee = fee
		if fee.IsZero() {
			// posComm = ceil(taker * (|posCost| + posInit)), the sum
			// rounded up where it does not fit.
			up := c.WithMode(num.Ceiling)
			l.fee = ceilMul(c, in, in.taker, up.Add(l.v0, a.init(c, in, l)))
			c.FailIf(up.Err != nil, up.Err)
		}
	default: // Bybit
		l.mmFix = margin.FlooredMaintenanceDec(c, mmr, l.v0, cum, num.Dec{})
		l.fee = fee
		switch {
		case !fee.IsZero():
		case in.inverse && p.Mode == Cross:
			l.feeFix = false // at the account's bankruptcy price: see sum
		default:
			l.fee = feeToClose(c, in, l)
		}
	}
	if l.feeFix {
		a.margins(c, l) // fixed at entry: not recomputed at each mark
	}
}

// reset zeroes what load computes, keeping l.p (which may be load's p).
func (l *position) reset(k int) {
	l.k, l.tier, l.neg, l.never, l.feeFix = k, -1, false, false, false
	l.q, l.n, l.size, l.v0, l.lev, l.margin = num.Dec{}, num.Dec{}, num.Dec{}, num.Dec{}, num.Dec{}, num.Dec{}
	l.mmr, l.cum, l.mmFix, l.fee = num.Dec{}, num.Dec{}, num.Dec{}, num.Dec{}
	l.value, l.upnl, l.mm, l.im = num.Dec{}, num.Dec{}, num.Dec{}, num.Dec{}
}

// feeToClose is Bybit's fee to close at the bankruptcy price of an
// isolated position at its leverage, taker*value(P_B), as
// margin.FeeToClose computes it (margin.FeeToCloseDec, which is 0 for a
// linear long or an inverse short at 1x or less); taker*v0 without
// leverage.
func feeToClose(c *num.Ctx, in *instrument, l *position) num.Dec {
	if l.lev.IsZero() {
		return c.Mul(in.taker, l.v0)
	}
	return margin.FeeToCloseDec(c, l.v0, l.lev, in.taker, l.q.IsNeg(), in.inverse)
}

// init is the initial margin at entry, v0/leverage, rounded up to the
// minor unit (BitMEX's posInit: the quotient rounded toward +infinity,
// then up, the exact ceiling when it fits, as margin.CeilMulDec rounds a
// product); 0 without leverage.
func (a *Account) init(c *num.Ctx, in *instrument, l *position) num.Dec {
	switch {
	case l.lev.IsZero():
		return num.Dec{}
	case in.minor.IsZero():
		return c.Quo(l.v0, l.lev)
	}
	up := c.WithMode(num.Ceiling)
	z := up.RoundStep(up.Quo(l.v0, l.lev), in.minor, num.Ceiling)
	c.FailIf(up.Err != nil, up.Err)
	return z
}

// ceilMul is x*y (x, y >= 0) rounded up to in's minor unit, exactly the
// ceiling when it fits (margin.CeilMulDec, BitMEX's rounding), or x*y as
// c rounds it when in has no minor unit.
func ceilMul(c *num.Ctx, in *instrument, x, y num.Dec) num.Dec {
	if in.minor.IsZero() {
		return c.Mul(x, y)
	}
	return margin.CeilMulDec(c, x, y, in.minor)
}

// rate loads a rate in [0, 1).
func rate(c *num.Ctx, x *apd.Decimal) num.Dec {
	d := c.Check(x)
	if c.Err == nil && (d.IsNeg() || !d.BelowOne()) {
		c.Fail(derivmath.ErrRate)
	}
	return d
}

// nonNegative loads x, recording err when it is below zero.
func nonNegative(c *num.Ctx, x *apd.Decimal, err error) num.Dec {
	d := c.Check(x)
	if c.Err == nil && d.IsNeg() {
		c.Fail(err)
	}
	return d
}

// atMark computes l's value and unrealised PnL at its contract's mark, and
// under the Binance convention its maintenance and initial margins, which
// follow the notional at the mark.
func (a *Account) atMark(c *num.Ctx, l *position) {
	in := &a.contracts[l.k]
	l.value = in.spec.ValueAt(c, l.size, in.mark)
	if l.neg {
		l.upnl = c.Sub(l.v0, l.value)
	} else {
		l.upnl = c.Sub(l.value, l.v0)
	}
	if a.conv != liquidation.Binance {
		return
	}
	mmr, cum := l.mmr, l.cum
	if t := l.p.Tiers; t != nil {
		i, err := t.TierNear(l.tier, c.Result(l.value))
		if err != nil {
			c.Fail(err)
			return
		}
		l.tier = i
		_, mmr, cum = t.TierDec(i)
	}
	l.mm = margin.FlooredMaintenanceDec(c, mmr, l.value, cum, num.Dec{})
	l.im = num.Dec{}
	if !l.lev.IsZero() {
		l.im = c.Quo(l.value, l.lev)
	}
}

// margins computes l's maintenance and initial margins under the BitMEX
// and Bybit conventions, which fix them at entry, fee reserve included.
func (a *Account) margins(c *num.Ctx, l *position) {
	if a.conv == liquidation.Binance {
		return
	}
	in := &a.contracts[l.k]
	if l.never {
		l.mm, l.im = num.Dec{}, a.init(c, in, l)
		return
	}
	l.mm = l.maintenance(c, l.fee)
	if a.conv == liquidation.BitMEX {
		l.im = c.Add(a.init(c, in, l), l.fee)
		return
	}
	l.im = l.fee
	if !l.lev.IsZero() {
		l.im = c.Add(c.Quo(l.v0, l.lev), l.fee)
	}
}

// maintenance is l's maintenance margin under the BitMEX and Bybit
// conventions with fee as its fee reserve: the maintenance fixed at entry
// plus fee. margins passes l's own fee; compile, for a Bybit fee that
// moves with the price, the fee at the price it solves for.
func (l *position) maintenance(c *num.Ctx, fee num.Dec) num.Dec {
	return c.Add(l.mmFix, fee)
}

// refresh recomputes everything: the orders' margins, every position at
// its mark, the totals.
func (a *Account) refresh(c *num.Ctx) error {
	for i := range a.orders {
		a.orderMargin(c, &a.orders[i])
	}
	for i := range a.pos {
		a.atMark(c, &a.pos[i])
	}
	if c.Err == nil {
		a.sum(c)
	}
	return c.Err
}

// sum recomputes each wallet's totals from the positions and orders, in
// their order, then whether the account is liquidatable: the cross
// positions of a wallet are where their equity is at or below their
// maintenance, and, under Bybit's rules, at every price beside a flat
// hedge whose fee moves (see fixedPoint), where the rounded equity and
// maintenance are equal to the last digit's noise. Its cost is linear in
// the positions and orders, with no allocation.
func (a *Account) sum(c *num.Ctx) {
	for w := range a.wallets {
		a.wallets[w].t = totals{}
	}
	for i := range a.pos {
		l := &a.pos[i]
		t := &a.wallets[a.contracts[l.k].w].t
		t.upnl = c.Accumulate(t.upnl, l.upnl)
		if l.p.Mode == Isolated {
			t.iso = c.Accumulate(t.iso, l.margin)
		} else {
			t.crossUpnl, t.cross = c.Accumulate(t.crossUpnl, l.upnl), true
		}
	}
	if a.conv == liquidation.Bybit {
		for k := range a.contracts {
			in := &a.contracts[k]
			a.fixedPoint(c, k)
			a.wallets[in.w].t.flat = a.wallets[in.w].t.flat || in.fp.flat
		}
	}
	for i := range a.pos {
		l := &a.pos[i]
		if !l.feeFix {
			a.margins(c, l)
		}
		t := &a.wallets[a.contracts[l.k].w].t
		t.mm, t.im = c.Accumulate(t.mm, l.mm), c.Accumulate(t.im, l.im)
		if l.p.Mode == Cross {
			t.crossMM, t.crossIM = c.Accumulate(t.crossMM, l.mm), c.Accumulate(t.crossIM, l.im)
		} else if l.isoLiq(c) {
			t.isoLiq = true
		}
	}
	for i := range a.orders {
		o := &a.orders[i]
		t := &a.wallets[a.contracts[a.index[o.o.Spec]].w].t
		t.orders = c.Accumulate(t.orders, o.im)
	}
	a.liquidatable = false
	for w := range a.wallets {
		wl := &a.wallets[w]
		t := &wl.t
		t.crossLiq = t.cross && (t.flat || a.crossEquity(c, wl).Cmp(t.crossMM) <= 0)
		a.liquidatable = a.liquidatable || t.crossLiq || t.isoLiq
	}
}

// isoLiq reports whether l, an isolated position, is at or past its
// maintenance at its mark: its margin plus unrealised PnL at or below its
// maintenance. BitMEX's inverse short at 1x or less never is.
func (l *position) isoLiq(c *num.Ctx) bool {
	return !l.never && c.Add(l.margin, l.upnl).Cmp(l.mm) <= 0
}

// crossEquity is the wallet less the isolated margins, plus the cross
// positions' unrealised PnL.
func (a *Account) crossEquity(c *num.Ctx, w *wallet) num.Dec {
	return c.Add(c.Sub(w.bal, w.t.iso), w.t.crossUpnl)
}

// fixedPoint sets the fee to close of Bybit's cross positions on the
// inverse contract k whose fee is not given: the taker fee at the
// account's bankruptcy price, at which the cross equity falls to the fees
// to close of the positions on k (a given Fee included), the price
// Report's solver gives. With x = 1/P, a position's value is size*x and
// the account's equity is affine in x, so with the positions on other
// contracts held at their marks it solves
//
//	B + O + sum sigma*(size*x - v0) = t*sum'(size)*x + F
//	x = (sum sigma*v0 - B - O + F) / (sum sigma*size - t*sum'(size))
//
// (B the cross wallet, O the other contracts' cross uPnL, sum over every
// position on k, sum' over those whose fee is not given, F the sum of the
// given fees). Without a positive solution (an inverse short at 1x or
// less) the fee is 0. The fixed point is kept in the contract's fp: when
// O moves by d (the PnL of another contract's positions, at their
// liquidation price), x is (num - d)/den.
//
// Legs that cancel exactly (sum sigma*size = 0: a flat hedge) with a
// taker rate have den = -t*sum'(size), so their fees sum to the cross
// equity less F, or to 0 where that is not positive: the cross equity is
// then at or below the cross maintenance at every price, at it without
// maintenance rates. The rounded sums that sum compares (the equity from
// the uPnLs, the maintenance from each leg's rounded fee) differ there by
// units in the last digit, either way; fp.flat records the identity, from
// the sizes, for sum and Report to read instead.
func (a *Account) fixedPoint(c *num.Ctx, k int) {
	in := &a.contracts[k]
	in.fp = fixed{}
	if !in.inverse {
		return
	}
	var sv, ss, sz, own, given num.Dec
	some := false
	for _, i := range in.pos {
		l := &a.pos[i]
		if l.p.Mode != Cross {
			return // all positions on k share their mode
		}
		sv, ss = addSigned(c, sv, l.v0, l.neg), addSigned(c, ss, l.size, l.neg)
		own = c.Accumulate(own, l.upnl)
		if l.feeFix {
			given = c.Accumulate(given, l.fee)
		} else {
			some = true
			sz = c.Accumulate(sz, l.size)
		}
	}
	if !some {
		return
	}
	w := &a.wallets[in.w]
	b := c.Sub(w.bal, w.t.iso)
	o := c.Sub(w.t.crossUpnl, own)
	tsz := c.Mul(in.taker, sz)
	f := &in.fp
	*f = fixed{on: true, num: c.Accumulate(c.Sub(c.Sub(sv, b), o), given), den: c.Sub(ss, tsz), tsz: tsz}
	f.flat = ss.IsZero() && tsz.Sign() > 0
	f.x = f.at(c, num.Dec{})
	for _, i := range in.pos {
		if l := &a.pos[i]; !l.feeFix {
			l.fee = closeFee(c, in, l, f.x)
		}
	}
}

// closeFee is Bybit's fee to close of l, an inverse cross position, at
// x = 1/P_B: t*size*x.
func closeFee(c *num.Ctx, in *instrument, l *position, x num.Dec) num.Dec {
	return c.Mul(c.Mul(in.taker, l.size), x)
}

// at returns the fixed point x when the other cross positions' uPnL has
// moved by d from the marks: (num - d)/den, or 0 when that is not
// positive.
func (f *fixed) at(c *num.Ctx, d num.Dec) num.Dec {
	if f.den.IsZero() {
		return num.Dec{}
	}
	n := f.num
	if !d.IsZero() {
		n = c.Sub(n, d)
	}
	if x := c.Quo(n, f.den); x.Sign() > 0 {
		return x
	}
	return num.Dec{}
}

// moving returns the fixed point of contract j when its fees move with
// the PnL of the positions on contract k (another contract settled in the
// same currency), else nil.
func (a *Account) moving(k, j int) *fixed {
	f := &a.contracts[j].fp
	if j == k || a.contracts[j].w != a.contracts[k].w || !f.on || f.den.IsZero() || f.tsz.IsZero() {
		return nil
	}
	return f
}

// moves returns the number of contracts whose fees move with the PnL of
// the positions on contract k (see moving).
func (a *Account) moves(k int) int {
	n := 0
	for j := range a.contracts {
		if a.moving(k, j) != nil {
			n++
		}
	}
	return n
}

// shift returns d, the change of the unrealised PnL of the cross
// positions on contract k, from the marks, at which the cross equity of
// their currency equals its cross maintenance, where Bybit's fee to close
// of each inverse contract j with cross positions moves with d (see
// fixedPoint): the root of
//
//	G(d) = E - M + d - sum_j tsz_j*(x_j(d) - x_j(0)),
//	x_j(d) = max(0, (num_j - d)/den_j)
//
// (E and M the cross equity and maintenance at the marks). G is piecewise
// affine, with a kink at each num_j, where x_j reaches 0; its slope is 1
// plus tsz_j/den_j for each j with x_j(d) > 0, which is positive unless
// the legs on contract j are a hedge that nearly or fully cancels
// (sum sigma*size near 0: a flat hedge's fee is the equity itself, so G
// is flat where that fee is positive). shift walks G segment by segment
// from 0, both ways, within the values of d that a positive price reaches
// (see reach), and returns the root nearest 0 there with
// liquidation.Found: a price where the account crosses its threshold, or
// leaves it for G > 0. A stretch where G stays at 0 (beside an exactly
// flat hedge, without maintenance rates: the equity is the maintenance at
// every price near the marks) is no root, as liquidation counts an
// equity at its threshold at every price: the account is liquidatable
// there (at or past its maintenance), and the walk goes on past it; so is
// a kink at which G rises to 0 and falls again (the account touches its
// threshold there without leaving it), G being exact at a kink
// where the equity meets the rest of the maintenance (see fixedGap).
// Without a root, shift returns 0 with liquidation.Never when G > 0 at 0,
// liquidation.Always when G <= 0 at 0 (a G at 0 over the whole reach
// included); without a moving fee, 0 and Found (the solver decides). Its
// cost is quadratic in the number of contracts and linear in the
// positions, with no allocation.
func (a *Account) shift(c *num.Ctx, k int) (num.Dec, liquidation.Status) {
	in := &a.contracts[k]
	moves := a.moves(k)
	if moves == 0 {
		return num.Dec{}, liquidation.Found
	}
	w := &a.wallets[in.w]
	ce := a.crossEquity(c, w)
	g0 := c.Sub(ce, w.t.crossMM)
	base := a.fixedGap(c, k, ce)
	bound, side := a.reach(c, k)
	var best num.Dec
	found := false
	for _, dir := range [...]int{-1, 1} {
		if side == 0 {
			break // legs that cancel: d is 0 at every price
		}
		var pos num.Dec
		g := g0
		// Each step passes a kink: at most moves+1 segments.
		for step := 0; step <= moves && c.Err == nil; step++ {
			next, more := a.kink(k, pos, dir)
			var slope num.Dec
			if more {
				slope = a.slope(c, k, c.Quo(c.Add(pos, next), two), 0)
			} else {
				slope = a.slope(c, k, num.Dec{}, dir)
			}
			// G at the segment's end: a flat G keeps its value g there
			// (gap would add rounding noise, a false root).
			gn := g
			if more && !slope.IsZero() {
				gn = a.gap(c, k, base, next)
			}
			r, ok := pos, false
			switch {
			case g.IsZero():
				// At the threshold at pos: a boundary if G rises beyond
				// it; where G falls or stays at 0 (a flat hedge) the
				// account stays liquidatable, and the walk goes on.
				ok = slope.Sign() == dir
			case more && gn.IsZero():
				// At the threshold at the kink: from above, the account
				// reaches it there; from below, the next step judges it
				// from G = 0 (G may fall again beyond the kink, where the
				// account never leaves its threshold).
				r, ok = next, g.Sign() > 0
			case more:
				if ok = gn.Sign() != g.Sign(); ok {
					r = c.Sub(pos, c.Quo(g, slope)) // not flat: G changes sign
					if c.Sub(r, pos).Sign() == -dir {
						r = pos
					} else if c.Sub(next, r).Sign() == -dir {
						r = next
					}
				}
			case !slope.IsZero():
				r = c.Sub(pos, c.Quo(g, slope))
				ok = c.Sub(r, pos).Sign() != -dir
			}
			if ok {
				if c.Sub(r, bound).Sign() != side {
					break // past every price: so is any root beyond
				}
				if !found || r.Abs().Cmp(best.Abs()) < 0 {
					best, found = r, true
				}
				break
			}
			if !more {
				break
			}
			pos, g = next, gn
		}
	}
	switch {
	case c.Err != nil || found:
		return best, liquidation.Found
	case g0.Sign() > 0:
		return num.Dec{}, liquidation.Never
	}
	return num.Dec{}, liquidation.Always
}

// reach returns the bound of the change d of the unrealised PnL of the
// cross positions on contract k that a positive price reaches, and the
// side of it where d lies: with S the sum of their sizes, signed by the
// way each gains with the contract's unit value u (P, or 1/P for an
// inverse contract), d = S*(u - u_mark) lies above -S*u_mark when S > 0
// and below it when S < 0, never on it (u = 0 or an infinite u is no
// price). Side 0 when the legs cancel (S = 0): d is 0 at every price.
func (a *Account) reach(c *num.Ctx, k int) (num.Dec, int) {
	in := &a.contracts[k]
	var s num.Dec
	for _, i := range in.pos {
		l := &a.pos[i]
		s = addSigned(c, s, l.size, l.neg)
	}
	if s.IsZero() {
		return num.Dec{}, 0
	}
	v := in.spec.ValueAt(c, s.Abs(), in.mark)
	if s.IsNeg() {
		return v, -1
	}
	return v.Neg(), 1
}

// kink returns the kink of shift's G nearest pos in the direction dir
// (-1 or +1), strictly beyond pos, and whether there is one.
func (a *Account) kink(k int, pos num.Dec, dir int) (num.Dec, bool) {
	var next num.Dec
	found := false
	for j := range a.contracts {
		f := a.moving(k, j)
		if f == nil {
			continue
		}
		if f.num.Cmp(pos) == dir && (!found || next.Cmp(f.num) == dir) {
			next, found = f.num, true
		}
	}
	return next, found
}

// slope returns the slope of shift's G at d, or, for dir -1 or +1, beyond
// its last kink in that direction: 1 plus tsz_j/den_j for each moving
// fee j with x_j > 0 there (num_j - d of den_j's sign).
func (a *Account) slope(c *num.Ctx, k int, d num.Dec, dir int) num.Dec {
	s := one
	for j := range a.contracts {
		f := a.moving(k, j)
		if f == nil {
			continue
		}
		sign := -dir
		if dir == 0 {
			sign = c.Sub(f.num, d).Sign()
		}
		if sign == f.den.Sign() {
			s = c.Add(s, c.Quo(f.tsz, f.den))
		}
	}
	return s
}

// fixedGap returns ce, the cross equity of contract k's currency, less
// its cross maintenance without the fees to close that move with the PnL
// of the positions on k (see moving): shift's G(d) is that plus d, less
// sum_j tsz_j*x_j(d). It is computed from the positions' maintenance
// fixed at entry, without the fixed points, so that G is exactly 0 at a
// kink where the equity meets the rest of the maintenance.
func (a *Account) fixedGap(c *num.Ctx, k int, ce num.Dec) num.Dec {
	in := &a.contracts[k]
	var m num.Dec
	for i := range a.pos {
		l := &a.pos[i]
		if l.p.Mode != Cross || a.contracts[l.k].w != in.w {
			continue
		}
		if !l.feeFix && a.moving(k, l.k) != nil {
			m = c.Accumulate(m, l.mmFix)
		} else {
			m = c.Accumulate(m, l.mm)
		}
	}
	return c.Sub(ce, m)
}

// gap returns shift's G(d), from base (see fixedGap).
func (a *Account) gap(c *num.Ctx, k int, base, d num.Dec) num.Dec {
	g := c.Add(base, d)
	for j := range a.contracts {
		f := a.moving(k, j)
		if f == nil {
			continue
		}
		g = c.Sub(g, c.Mul(f.tsz, f.at(c, d)))
	}
	return g
}

// orderMargin computes o's initial margin.
func (a *Account) orderMargin(c *num.Ctx, o *order) {
	in := &a.contracts[a.index[o.o.Spec]]
	q, price := c.Check(&o.o.Qty), c.CheckPrice(&o.o.Price)
	lev := nonNegative(c, &o.o.Leverage, ErrLeverage)
	var pq num.Dec
	for _, i := range in.pos { // at most the contract's two legs: not a.Find
		if l := &a.pos[i]; l.p.Side == o.o.Side {
			pq = l.q
			if lev.IsZero() {
				lev = l.lev
			}
		}
	}
	if c.Err != nil {
		return
	}
	if lev.IsZero() {
		c.Fail(ErrLeverage)
		return
	}
	open := q.Abs()
	if !pq.IsZero() && pq.IsNeg() != q.IsNeg() {
		open = c.Sub(open, pq.Abs())
		if open.IsNeg() {
			open = num.Dec{}
		}
	}
	o.im = c.Quo(in.spec.ValueAt(c, contract.SizeOf(c, in.m, open), price), lev)
}

// addSigned returns x - y when neg, else x + y, skipping zeros.
func addSigned(c *num.Ctx, x, y num.Dec, neg bool) num.Dec {
	if neg {
		y = y.Neg()
	}
	return c.Accumulate(x, y)
}

var (
	one = num.FromInt64(1)
	two = num.FromInt64(2)
)
