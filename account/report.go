package account

import (
	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/internal/num"
	"github.com/derivmath/derivmath/liquidation"
)

// Summary sets z to the account page of currency: wallet, unrealised
// PnL, equity, initial and maintenance margin, margin ratio, available
// balance, and whether its positions are liquidatable (see [Summary]). An
// unknown currency reads as an empty wallet. Amounts are written without
// trailing zeros (but those an exponent of at most derivmath.MaxScale
// needs): a wallet of 3,000 is 3 with exponent 3, which apd's String
// writes as 3E+3 and Text('f') as 3000.
//
// Errors: derivmath.ErrRange for a result outside the result range; on
// error z is unchanged.
func (a *Account) Summary(z *Summary, currency string) error {
	c := a.start()
	w := &wallet{cur: currency}
	for i := range a.wallets {
		if a.wallets[i].cur == currency {
			w = &a.wallets[i]
		}
	}
	t := &w.t
	equity := c.Result(c.Add(w.bal, t.upnl))
	im := c.Result(c.Accumulate(t.im, t.orders))
	cross := a.crossEquity(c, w)
	var ratio num.Dec
	if t.cross && cross.Sign() > 0 {
		ratio = c.Result(c.Quo(t.crossMM, cross))
	}
	free := c.Sub(w.bal, w.t.iso)
	if a.conv != liquidation.BitMEX {
		free = c.Add(free, t.crossUpnl)
	}
	free = c.Sub(c.Sub(free, t.crossIM), t.orders)
	if free.IsNeg() {
		free = num.Dec{}
	}
	free = c.Result(free)
	if c.Err != nil {
		return num.Wrap("account: summary", c.Err)
	}
	z.Currency = currency
	w.bal.Store(&z.Wallet)
	c.Result(t.upnl).Store(&z.Unrealised)
	equity.Store(&z.Equity)
	im.Store(&z.Initial)
	c.Result(t.orders).Store(&z.Orders)
	c.Result(t.mm).Store(&z.Maintenance)
	ratio.Store(&z.Ratio)
	free.Store(&z.Available)
	z.Liquidatable = t.crossLiq || t.isoLiq
	reduce(&z.Wallet, &z.Unrealised, &z.Equity, &z.Initial, &z.Orders, &z.Maintenance, &z.Ratio, &z.Available)
	return nil
}

// reduce drops the trailing zeros of each x (1525.000000000000000 is
// 1525), keeping those an exponent within derivmath.MaxScale needs (so
// that x stays a valid input): the value is unchanged.
func reduce(xs ...*apd.Decimal) {
	var ten apd.BigInt
	ten.SetInt64(10)
	for _, x := range xs {
		x.Reduce(x)
		for x.Exponent > derivmath.MaxScale {
			x.Coeff.Mul(&x.Coeff, &ten)
			x.Exponent--
		}
	}
}

// Report sets z to position i's numbers at the marks: value, unrealised
// PnL, margins, and its liquidation and bankruptcy prices rounded per r
// with the distance of the mark from the liquidation price (see
// [Report]). Amounts are written without trailing zeros (as Summary
// writes them); prices keep the tick's places.
//
// The prices are solved by a liquidation.Solver compiled from the account:
// for an isolated position, the position alone with its margin; for a
// cross position, every cross position on its contract (both legs in
// hedge mode) as legs, the cross wallet as Balance, and the other cross
// positions in its currency held at their marks as OtherPnL and OtherMM,
// as the exchanges display it. Under the Bybit convention the fees to
// close of inverse cross positions on other contracts, which move with
// this position's PnL, are taken at the liquidation price (see the
// package documentation); where the cross equity less maintenance has no
// root the liquidation status is liquidation.Never or liquidation.Always
// (Always where it is 0 at every price: at the threshold, liquidatable);
// beside a flat hedge on an inverse contract whose fee to close moves
// (legs of equal size, long and short), that fee is the cross equity less
// the given fees, so the equity is at or below the maintenance at every
// price and the status is liquidation.Always, as Summary's Liquidatable
// says: both read it from the legs' sizes, not from the rounded equity and
// maintenance, which there differ by units in the last digit, either way
// (the safe side, and the exact one); and, as the solver holds those fees
// at their values at the exact price, Report judges the tick that
// liquidation.TowardEntry rounds to with the account's own test (its mark
// there, every fee at its value there) and takes the tick on the other
// side of the exact price when that one is not liquidatable and the first
// is. Under the BitMEX convention an isolated inverse short at 1x or less
// reports liquidation.Never for both prices (BitMEX shows 100000000).
//
// Errors: [ErrIndex]; liquidation's errors (liquidation.ErrRounding for
// r, liquidation.ErrNoConvergence for a tiered solve that crosses more
// tier floors than the solver allows); derivmath.ErrRange for a result
// outside the result range. On error z is unchanged. A tiered position
// whose notional at entry is beyond its table's limit, which Set takes
// under the Binance convention (the tier is read at the mark), is no
// error: its liquidation price is the one its table defines, or
// liquidation.Never or liquidation.Always where no price within the table
// reaches the threshold (see liquidation.Solver.Price).
func (a *Account) Report(z *Report, i int, r liquidation.Rounding) error {
	if uint(i) >= uint(len(a.pos)) {
		return ErrIndex
	}
	if r < liquidation.Exact || r > liquidation.Nearest {
		return liquidation.ErrRounding
	}
	l := &a.pos[i]
	in := &a.contracts[l.k]
	var liq, bank, dist, pct apd.Decimal
	ls, bs := liquidation.Never, liquidation.Never
	if !l.never {
		st, err := a.compile(i)
		if err != nil {
			return err
		}
		if ls = st; st == liquidation.Found {
			if ls, err = a.solver.Price(&liq, r); err != nil {
				return num.Wrap("account: report", err)
			}
			// Fees that move with the price: the solver held them fixed.
			if ls == liquidation.Found && r == liquidation.TowardEntry && l.p.Mode == Cross && a.moves(l.k) > 0 {
				if err = a.safeTick(&liq, l.k); err != nil {
					return num.Wrap("account: report", err)
				}
			}
		}
		if bs, err = a.solver.Bankruptcy(&bank, r); err != nil {
			return num.Wrap("account: report", err)
		}
	}
	c := a.start()
	if ls == liquidation.Found {
		// The distance of the mark from the price reported.
		d, q := liquidation.DistanceDec(c, in.mark, c.Check(&liq))
		c.Result(d).Store(&dist)
		c.Result(q).Store(&pct)
	}
	vals := [...]num.Dec{c.Result(l.value), c.Result(l.upnl), c.Result(l.im), c.Result(l.mm), c.Result(l.fee)}
	if c.Err != nil {
		return num.Wrap("account: report", c.Err)
	}
	for j, d := range [...]*apd.Decimal{&z.Value, &z.Unrealised, &z.Initial, &z.Maintenance, &z.Fee} {
		vals[j].Store(d)
	}
	z.Liquidation.Set(&liq)
	z.Bankruptcy.Set(&bank)
	z.Distance.Set(&dist)
	z.DistancePct.Set(&pct)
	z.LiquidationStatus, z.BankruptcyStatus = ls, bs
	reduce(&z.Value, &z.Unrealised, &z.Initial, &z.Maintenance, &z.Fee, &z.Distance, &z.DistancePct)
	if l.p.Mode == Cross {
		z.Liquidatable = a.wallets[in.w].t.crossLiq
	} else {
		z.Liquidatable = l.isoLiq(c)
	}
	return nil
}

// safeTick moves z, the liquidation price of a cross position on contract
// k as the solver rounded it toward the entry, to the tick on the other
// side of the exact price when the account is liquidatable with k's mark
// at z and not at that tick. Under Bybit's rules the solver holds the
// fees to close of other inverse contracts at their values at the exact
// price, where they move with this price (see shift): their slope can
// turn the cross gap the other way, so that the side the solver rounds
// toward is the liquidatable one. Each candidate is judged by the
// account's own test (see safe). A price under one tick stays one tick
// (liquidation.Rounding), and an exact price on a tick stays as it is.
func (a *Account) safeTick(z *apd.Decimal, k int) error {
	var exact apd.Decimal
	if _, err := a.solver.Price(&exact, liquidation.Exact); err != nil {
		return err
	}
	c := a.start()
	tick := a.contracts[k].tick
	p, q := c.Check(&exact), c.Check(z)
	if c.Err != nil || q.Cmp(p) == 0 || p.Cmp(tick) < 0 {
		return c.Err
	}
	mode := num.Ceiling
	if q.Cmp(p) > 0 {
		mode = num.Floor
	}
	o := c.RoundStep(p, tick, mode) // at least one tick: p is
	if c.Err != nil {
		return nil // no quotable tick on the other side: z stands
	}
	if a.safe(k, q) || !a.safe(k, o) {
		return nil
	}
	return a.start().Store(z, o)
}

// safe reports whether the cross positions in the currency of contract k
// are not liquidatable with k's mark at x and everything else as it is:
// the test Summary and Report make at the marks, made by moving k's mark
// to x and back (linear in the positions, with no allocation; the
// account is left as it was). A mark at which the account cannot be
// computed is not safe.
func (a *Account) safe(k int, x num.Dec) bool {
	in := &a.contracts[k]
	old := in.mark
	c := a.start()
	a.moveMark(c, k, x)
	ok := c.Err == nil && !a.wallets[in.w].t.crossLiq
	a.moveMark(a.start(), k, old) // recomputes what the account had
	return ok
}

// compile loads position i's margin group into a's solver. It returns
// liquidation.Found, or the liquidation status when the cross equity less
// maintenance has no root as the position's price moves (see shift;
// liquidation.Always beside a flat hedge whose fee moves, see
// fixedPoint): the solver's liquidation price is then not read.
func (a *Account) compile(i int) (liquidation.Status, error) {
	c := a.start()
	l := &a.pos[i]
	in := &a.contracts[l.k]
	w := &a.wallets[in.w]
	la := &a.la
	la.Spec, la.Convention = in.spec, a.conv
	n := 1
	if l.p.Mode == Cross {
		n = len(in.pos)
	}
	if cap(a.legs) < n {
		a.legs = make([]liquidation.Leg, n)
	}
	legs := a.legs[:n]
	var fee, upnl, mm num.Dec
	for j := range legs {
		g := l
		if l.p.Mode == Cross {
			g = &a.pos[in.pos[j]]
		}
		a.leg(&legs[j], g)
		fee, upnl, mm = c.Accumulate(fee, g.fee), c.Accumulate(upnl, g.upnl), c.Accumulate(mm, g.mm)
	}
	la.Legs = legs
	var bal, pnl, other num.Dec
	st := liquidation.Found
	if l.p.Mode == Isolated {
		bal = l.margin
	} else {
		bal = c.Sub(w.bal, w.t.iso)
		var d num.Dec
		if w.t.flat {
			st = liquidation.Always // at or past the threshold everywhere
		} else {
			d, st = a.shift(c, l.k)
		}
		for j := range a.pos {
			g := &a.pos[j]
			if g.k != l.k && g.p.Mode == Cross && a.contracts[g.k].w == in.w {
				gm := g.mm
				if f := a.moving(l.k, g.k); f != nil && !g.feeFix && !d.IsZero() {
					// Bybit's fee to close at the liquidation price.
					gm = g.maintenance(c, closeFee(c, &a.contracts[g.k], g, f.at(c, d)))
				}
				pnl, other = c.Accumulate(pnl, g.upnl), c.Accumulate(other, gm)
			}
		}
	}
	if a.conv == liquidation.Binance {
		fee = num.Dec{}
	}
	for _, f := range [...]struct {
		d num.Dec
		z *apd.Decimal
	}{{bal, &la.Balance}, {pnl, &la.OtherPnL}, {other, &la.OtherMM}, {fee, &la.FeeReserve}} {
		if err := c.Store(f.z, f.d); err != nil {
			return 0, num.Wrap("account: report", err)
		}
	}
	la.ExtraMM.SetInt64(0)
	return st, a.solver.Compile(&a.ctx, la)
}

// leg describes position l as a solver leg on its own contract: its
// quantity, entry and cost, and its maintenance rates (as given for
// Binance, which reads them at the price; resolved at entry, funding
// included, for BitMEX and Bybit).
func (a *Account) leg(g *liquidation.Leg, l *position) {
	g.Spec = nil
	g.Qty.Set(&l.p.Qty)
	g.Entry.Set(&l.p.Entry)
	g.Cost.Abs(&l.p.Cost)
	if a.conv == liquidation.Binance {
		g.Tiers = l.p.Tiers
		g.MMR.Set(&l.p.MMR)
		g.Cum.Set(&l.p.Cum)
		return
	}
	g.Tiers = nil
	l.mmr.Store(&g.MMR)
	l.cum.Store(&g.Cum)
}
