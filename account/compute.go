package account

import (
	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/num"
	"github.com/derivmath/derivmath/liquidation"
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
	if a.conv == liquidation.BitMEX {
		if f := rate(c, &p.Funding); !f.IsZero() {
			// One rate for the price solve, which needs it below 1.
			mmr = c.Add(mmr, f)
			c.FailIf(!mmr.BelowOne(), derivmath.ErrRate)
		}
		// An inverse short at 1x or less is never liquidated and never
		// bankrupt: BitMEX reports posComm = posMaint = 0 for it.
		l.never = in.inverse && q.IsNeg() && p.Mode == Isolated && l.lev.Sign() > 0 && l.lev.Cmp(one) <= 0
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
		l.mmFix = c.Sub(a.ceil(c, in, c.Mul(mmr, l.v0)), cum)
		l.fee = fee
		if fee.IsZero() {
			// posComm = ceil(taker * (|posCost| + posInit)).
			l.fee = a.ceil(c, in, c.Mul(in.taker, c.Add(l.v0, a.init(c, in, l))))
		}
	default: // Bybit
		l.mmFix = c.Sub(c.Mul(mmr, l.v0), cum)
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
// isolated position at its leverage, taker*value(P_B): taker*v0*(lev -+
// 1)/lev, with lev - 1 for a linear long or an inverse short (whose value
// falls to bankruptcy); taker*v0 without leverage.
func feeToClose(c *num.Ctx, in *instrument, l *position) num.Dec {
	v := c.Mul(in.taker, l.v0)
	if l.lev.IsZero() {
		return v
	}
	k := c.Add(l.lev, one)
	if l.q.IsNeg() == in.inverse {
		k = c.Sub(l.lev, one)
	}
	return c.Quo(c.Mul(v, k), l.lev)
}

// init is the initial margin at entry, v0/leverage, rounded up to the
// minor unit (BitMEX's posInit); 0 without leverage.
func (a *Account) init(c *num.Ctx, in *instrument, l *position) num.Dec {
	if l.lev.IsZero() {
		return num.Dec{}
	}
	return a.ceil(c, in, c.Quo(l.v0, l.lev))
}

// ceil rounds x up to in's minor unit, if it has one.
func (a *Account) ceil(c *num.Ctx, in *instrument, x num.Dec) num.Dec {
	if in.minor.IsZero() || x.IsZero() {
		return x
	}
	return c.RoundStep(x, in.minor, num.Ceiling)
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
	l.mm = c.Sub(c.Mul(l.value, mmr), cum)
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
	l.mm = c.Add(l.mmFix, l.fee)
	if a.conv == liquidation.BitMEX {
		l.im = c.Add(a.init(c, in, l), l.fee)
		return
	}
	l.im = l.fee
	if !l.lev.IsZero() {
		l.im = c.Add(c.Quo(l.v0, l.lev), l.fee)
	}
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
// their order, then whether the account is liquidatable. Its cost is
// linear in the positions and orders, with no allocation.
func (a *Account) sum(c *num.Ctx) {
	for w := range a.wallets {
		a.wallets[w].t = totals{}
	}
	for i := range a.pos {
		l := &a.pos[i]
		t := &a.wallets[a.contracts[l.k].w].t
		t.upnl = add(c, t.upnl, l.upnl)
		if l.p.Mode == Isolated {
			t.iso = add(c, t.iso, l.margin)
		} else {
			t.crossUpnl, t.cross = add(c, t.crossUpnl, l.upnl), true
		}
	}
	if a.conv == liquidation.Bybit {
		for k := range a.contracts {
			a.fixedPoint(c, k)
		}
	}
	for i := range a.pos {
		l := &a.pos[i]
		if !l.feeFix {
			a.margins(c, l)
		}
		t := &a.wallets[a.contracts[l.k].w].t
		t.mm, t.im = add(c, t.mm, l.mm), add(c, t.im, l.im)
		if l.p.Mode == Cross {
			t.crossMM, t.crossIM = add(c, t.crossMM, l.mm), add(c, t.crossIM, l.im)
		} else if !l.never && c.Add(l.margin, l.upnl).Cmp(l.mm) <= 0 {
			t.isoLiq = true
		}
	}
	for i := range a.orders {
		o := &a.orders[i]
		t := &a.wallets[a.contracts[a.index[o.o.Spec]].w].t
		t.orders = add(c, t.orders, o.im)
	}
	a.liquidatable = false
	for w := range a.wallets {
		wl := &a.wallets[w]
		t := &wl.t
		t.crossLiq = t.cross && a.crossEquity(c, wl).Cmp(t.crossMM) <= 0
		a.liquidatable = a.liquidatable || t.crossLiq || t.isoLiq
	}
}

// crossEquity is the wallet less the isolated margins, plus the cross
// positions' unrealised PnL.
func (a *Account) crossEquity(c *num.Ctx, w *wallet) num.Dec {
	return c.Add(c.Sub(w.bal, w.t.iso), w.t.crossUpnl)
}

// fixedPoint sets the fee to close of Bybit's cross positions on the
// inverse contract k: the taker fee at the bankruptcy price that already
// includes that fee. With x = 1/P, a position's value is size*x and the
// account's equity is affine in x, so the fee t*sum(size)*x at the
// bankruptcy price solves, with the other positions held at their marks,
//
//	B + O + sum sigma*(size*x - v0) = t*sum(size)*x
//	x = (sum sigma*v0 - B - O) / (sum sigma*size - t*sum(size))
//
// (B the cross wallet, O the other cross positions' uPnL). Without a
// positive solution (an inverse short at 1x or less) the fee is 0. A leg
// whose fee is given (feeFix) is left in O, at its mark, although its PnL
// moves with x: a documented limitation (see doc.go).
func (a *Account) fixedPoint(c *num.Ctx, k int) {
	in := &a.contracts[k]
	if !in.inverse {
		return
	}
	var sv, ss, sz, own num.Dec
	some := false
	for _, i := range in.pos {
		l := &a.pos[i]
		if l.feeFix {
			continue
		}
		some = true
		sv, ss = addSigned(c, sv, l.v0, l.neg), addSigned(c, ss, l.size, l.neg)
		sz, own = add(c, sz, l.size), add(c, own, l.upnl)
	}
	if !some {
		return
	}
	w := &a.wallets[in.w]
	b := c.Sub(w.bal, w.t.iso)
	o := c.Sub(w.t.crossUpnl, own)
	den := c.Sub(ss, c.Mul(in.taker, sz))
	var x num.Dec
	if !den.IsZero() {
		x = c.Quo(c.Sub(c.Sub(sv, b), o), den)
	}
	if x.Sign() <= 0 {
		x = num.Dec{}
	}
	for _, i := range in.pos {
		if l := &a.pos[i]; !l.feeFix {
			l.fee = c.Mul(c.Mul(in.taker, l.size), x)
		}
	}
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

// add returns x + y, skipping zeros (so a sum of one term is that term,
// unrounded).
func add(c *num.Ctx, x, y num.Dec) num.Dec {
	switch {
	case y.IsZero():
		return x
	case x.IsZero():
		return y
	}
	return c.Add(x, y)
}

// addSigned returns x - y when neg, else x + y, skipping zeros.
func addSigned(c *num.Ctx, x, y num.Dec, neg bool) num.Dec {
	if neg {
		y = y.Neg()
	}
	return add(c, x, y)
}

var one = num.FromInt64(1)
