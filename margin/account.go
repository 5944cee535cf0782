package margin

import (
	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/num"
)

// Position sets z to the margin a position holds: its initial margin
// value/leverage plus its fee reserve,
//
//	position margin = value/leverage + reserve
//
// Isolated (BitMEX, Bybit): pass the value at entry; the result is the
// margin assigned to the position, to which any margin the trader adds is
// added (BitMEX posMargin with posCross = posLoss = 0; Bybit's position
// initial margin, as in [FeeToClose]'s example).
// Cross (Binance): pass the notional at the mark; the result is the
// position's share of the used margin. Pass a zero reserve for an exchange
// that keeps none.
//
// Errors: derivmath.ErrContext for a nil ctx, those of [Initial], and
// [ErrAmount] for a negative reserve.
func Position(ctx *apd.Context, z, value, leverage, reserve *apd.Decimal) error {
	c := num.In(ctx)
	r := loadAmount(c, reserve)
	v, l := loadNotional(c, value), c.CheckLeverage(leverage)
	return num.Wrap("margin: position", c.Store(z, c.Add(c.Quo(v, l), r)))
}

// Ratio sets z to the margin ratio of an account or an isolated position:
// maintenance margin over margin balance,
//
//	ratio = maint / balance
//
// where balance is the margin that backs the positions plus their unrealised
// PnL: for cross margin the wallet balance plus the uPnL of all cross
// positions (Binance's "margin balance"), for an isolated position its
// position margin plus its uPnL. maint is the maintenance margin of the same
// positions. The account is liquidated when the ratio reaches 1 (100%).
//
// Errors: derivmath.ErrContext for a nil ctx, derivmath.CheckDecimal errors,
// [ErrAmount] for a negative maint, [ErrBalance] for a balance of zero or
// less (the account is then at or past bankruptcy, and certainly
// liquidatable).
func Ratio(ctx *apd.Context, z, maint, balance *apd.Decimal) error {
	c := num.In(ctx)
	m, b := loadAmount(c, maint), c.CheckPositive(balance, ErrBalance)
	return num.Wrap("margin: ratio", c.Store(z, c.Quo(m, b)))
}

// Available sets z to the balance available for new orders (and, on
// exchanges that allow it, withdrawal):
//
//	available = max(0, wallet + upnl - used)
//
// where used is the margin held by positions and open orders ([Position],
// [Order]). Pass as upnl the unrealised PnL the exchange counts: all of it
// for Binance's cross "available for order", only its losses (min(0, uPnL))
// where unrealised profit may not be reused, 0 for an isolated position
// whose PnL stays in the position. A deficit reads as 0, not a negative
// balance: nothing can be opened or withdrawn; compute wallet + upnl - used
// directly to see its size.
//
// Errors: derivmath.ErrContext for a nil ctx, derivmath.CheckDecimal errors,
// [ErrAmount] for a negative used.
func Available(ctx *apd.Context, z, wallet, upnl, used *apd.Decimal) error {
	c := num.In(ctx)
	w, u, h := c.Check(wallet), c.Check(upnl), loadAmount(c, used)
	a := c.Sub(c.Add(w, u), h)
	if a.IsNeg() {
		a = num.Dec{}
	}
	return num.Wrap("margin: available", c.Store(z, a))
}

// Order sets z to the initial margin an open order needs, by BitMEX's
// rules: the order is margined at the price it would first trade at (its
// limit, or the touch where the limit crosses it), and only the part that
// opens or increases a position needs margin.
//
// qty is the order's signed quantity (buy > 0, sell < 0); position is the
// signed quantity already held (long > 0). The margin price of a sell is
// max(limit, best) with best the best bid, and of a buy min(limit, best)
// with best the best ask; a best of 0 means the book has no such side and
// the limit is used. A sell against a long (or a buy against a short)
// first reduces it, and that part needs nothing:
//
//	opening = |qty|                            same side as position, or flat
//	opening = max(0, |qty| - |position|)       opposite side
//	margin  = value(opening, margin price)/leverage
//
// Several open orders on one side are margined one after another against the
// position they would leave: pass position plus the quantities of the
// earlier orders of that side. Fees are not included; add a reserve
// ([FeeToClose]) where the exchange requires one. s must not be nil.
//
// Errors: derivmath.ErrContext for a nil ctx, contract.ErrKind or
// contract.ErrMultiplier for a Spec that would not validate,
// derivmath.CheckDecimal errors, derivmath.ErrZeroQty for an order of 0,
// derivmath.CheckPrice errors for limit and for a best that is not 0,
// derivmath.CheckLeverage errors.
func Order(ctx *apd.Context, z *apd.Decimal, s *contract.Spec, position, qty, limit, best, leverage *apd.Decimal) error {
	c := num.In(ctx)
	m := s.LoadMultiplier(c)
	pos, q := c.Check(position), c.Check(qty)
	c.FailIf(q.IsZero(), derivmath.ErrZeroQty)
	lim, b := c.CheckPrice(limit), c.Check(best)
	c.FailIf(b.IsNeg(), derivmath.ErrPrice)
	l := c.CheckLeverage(leverage)
	price := lim
	if !b.IsZero() && q.IsNeg() == (b.Cmp(lim) > 0) {
		// A sell at a limit below the bid, or a buy at a limit above the
		// ask, is margined at the touch.
		price = b
	}
	open := q.Abs()
	if !pos.IsZero() && pos.IsNeg() != q.IsNeg() {
		open = c.Sub(open, pos.Abs())
	}
	var d num.Dec
	if open.Sign() > 0 {
		d = c.Quo(s.ValueOf(c, m, open, price), l)
	}
	return num.Wrap("margin: order", c.Store(z, d))
}

// MaxQty sets z to the largest quantity, in contracts and a whole number
// of s.Lot, that balance can open at price with leverage, paying the taker
// fee to open. Precisely, with v(N) = s.Value(N, price), it is the largest
// multiple N of the lot such that
//
//	v(N)/leverage + taker*v(N) <= balance
//
// evaluated as v(N)*(1 + leverage*taker) <= balance*leverage at ctx's
// precision (each side rounded as computed; the test is monotone in N, so
// the answer is unique). Pass a taker of 0 to leave fees out, and as balance
// the available balance ([Available]). A balance of zero or less gives 0.
// For a limit from a tier table too, use [Tiers.MaxQty]. s must not be nil.
//
// The answer is found a few lots from an estimate, except near 10^p lots
// (p is ctx's precision), where one unit in the last place of the values
// compared spans several lots: there it takes up to some ten tests a digit.
//
// Errors: derivmath.ErrContext for a nil ctx, contract.ErrKind or
// contract.ErrMultiplier for a Spec that would not validate,
// derivmath.CheckDecimal errors, derivmath.CheckPrice errors for price,
// derivmath.CheckLeverage errors, derivmath.ErrRate for a taker outside
// [0, 1), derivmath.ErrStep for a spec whose Lot is not positive, and
// derivmath.ErrRange when the answer is 10^p lots or more, needs more than p
// digits (N = lots*Lot exactly), or lies outside the result range.
func MaxQty(ctx *apd.Context, z *apd.Decimal, s *contract.Spec, balance, price, leverage, taker *apd.Decimal) error {
	c := num.In(ctx)
	var q maxQty
	q.init(c, s, balance, price, leverage, taker)
	return num.Wrap("margin: max qty", c.Store(z, q.byBalance(c)))
}

// MaxQty is [MaxQty] limited by the table as well: the quantity must also
// keep the notional v(N) in a tier whose MaxLeverage is at least leverage
// (tiers' maxima only fall as notional grows, so this is a bound on N) and
// below the table's limit.
//
// Errors: derivmath.ErrContext for a nil ctx; those of [MaxQty]; [ErrNoTiers]
// for a nil table; [ErrAboveMaxLeverage] when even the first tier does not
// allow leverage.
func (t *Tiers) MaxQty(ctx *apd.Context, z *apd.Decimal, s *contract.Spec, balance, price, leverage, taker *apd.Decimal) error {
	if t.Len() == 0 {
		return ErrNoTiers
	}
	c := num.In(ctx)
	var q maxQty
	q.init(c, s, balance, price, leverage, taker)
	c.FailIf(q.lev.Cmp(t.terms[0].maxLev) > 0, ErrAboveMaxLeverage)
	n := q.byBalance(c)
	// bound: the smallest notional the leverage is not allowed at.
	bound, ok := t.LimitDec()
	for i := range t.terms {
		if q.lev.Cmp(t.terms[i].maxLev) > 0 {
			bound, ok = t.terms[i].floor, true
			break
		}
	}
	if ok && !n.IsZero() {
		if m := q.search(c, bound, q.unit, true); m.Cmp(n) < 0 {
			n = m
		}
	}
	return num.Wrap("margin: tiers max qty", c.Store(z, n))
}

// maxQty holds the loaded inputs of a MaxQty search.
type maxQty struct {
	s                  *contract.Spec
	m, price, lev, lot num.Dec
	budget             num.Dec // balance*leverage
	k                  num.Dec // 1 + leverage*taker
	unit               num.Dec // v(1)
}

// init validates the inputs and sets q's fields.
func (q *maxQty) init(c *num.Ctx, s *contract.Spec, balance, price, leverage, taker *apd.Decimal) {
	b, p := c.Check(balance), c.CheckPrice(price)
	l, t := c.CheckLeverage(leverage), loadMMR(c, taker)
	m, lot := s.LoadMultiplier(c), c.CheckPositive(&s.Lot, derivmath.ErrStep)
	q.s, q.m, q.price, q.lev, q.lot = s, m, p, l, lot
	q.budget = c.Mul(b, l)
	q.k = c.Add(c.Mul(l, t), num.One)
	q.unit = s.ValueOf(c, m, num.One, p)
}

// byBalance returns the largest multiple of the lot with v(N)*k <= budget,
// or 0.
func (q *maxQty) byBalance(c *num.Ctx) num.Dec {
	if q.budget.Sign() <= 0 {
		return num.Dec{}
	}
	return q.search(c, q.budget, c.Mul(q.unit, q.k), false)
}

// ok reports whether n contracts pass the test: v(n) < limit when below,
// else v(n)*k <= limit (the budget). No contracts always pass.
func (q *maxQty) ok(c *num.Ctx, n, limit num.Dec, below bool) bool {
	if n.Sign() <= 0 {
		return true
	}
	v := q.s.ValueOf(c, q.m, n, q.price)
	if below {
		return v.Cmp(limit) < 0
	}
	return c.Mul(v, q.k).Cmp(limit) <= 0
}

// search returns the largest multiple N of the lot that passes q.ok, which
// is monotone in N (true up to some N, false after). It records
// derivmath.ErrRange when 10^p lots pass (p is ctx's precision), or when N
// needs more than p digits.
func (q *maxQty) search(c *num.Ctx, limit, per num.Dec, below bool) num.Dec {
	x := c.Quo(limit, c.Mul(per, q.lot)) // the answer in lots, estimated
	if c.Err != nil {
		return num.Dec{}
	}
	top := num.New(1, int32(c.Precision())) // 10^p lots: too many
	if x.Cmp(top) < 0 {
		// On a copy of c: a step that fails hands over to wide.
		w := *c
		if n, ok := q.near(&w, x, limit, below); ok {
			return n
		}
	}
	return q.wide(c, x, top, limit, below)
}

// near is search's common case: the estimate x is within a few lots of
// the answer, for the rounding of a few operations. It steps down while N
// fails, then up while N + lot passes, a few times at most, and reports
// false if that did not settle the answer or a step failed in w (a step
// that needs more than p digits).
func (q *maxQty) near(w *num.Ctx, x, limit num.Dec, below bool) (num.Dec, bool) {
	var lots num.Dec
	if !x.BelowOne() {
		lots, _ = w.QuoInt(x, num.One)
	}
	n := w.MulExact(lots, q.lot)
	const tries = 4
	pass := false
	for range tries {
		if pass = q.ok(w, n, limit, below); pass || w.Err != nil {
			break
		}
		n = w.SubExact(n, q.lot)
	}
	if !pass || w.Err != nil {
		return num.Dec{}, false
	}
	for i := 0; ; i++ {
		if i == tries {
			return num.Dec{}, false // N + lot still passes
		}
		next := w.AddExact(n, q.lot)
		if !q.ok(w, next, limit, below) || w.Err != nil {
			break
		}
		n = next
	}
	if w.Err != nil {
		return num.Dec{}, false
	}
	if n.Sign() <= 0 {
		return num.Dec{}, true
	}
	return n, true
}

// wide is search where near cannot settle the answer: near 10^p lots, one
// unit in the last place of the values that q.ok compares spans several
// lots, and the estimate may be as many lots off. It brackets the answer
// with steps of 1, 10, 100, ... lots from the estimate, then fixes the
// answer's digits from the highest down, each with at most ten tests. Lots
// are whole numbers from 0 to 10^p, which p digits hold, and so do the
// differences and the sums below 10^p that it computes: they are exact.
func (q *maxQty) wide(c *num.Ctx, x, top, limit num.Dec, below bool) num.Dec {
	if q.passes(c, top, limit, below) {
		c.Fail(derivmath.ErrRange)
		return num.Dec{}
	}
	est := top
	if x.Cmp(top) < 0 {
		est = num.Dec{}
		if !x.BelowOne() {
			est, _ = c.QuoInt(x, num.One)
		}
	}
	// lo passes, hi fails, and hi - lo <= 10^j.
	lo, hi, j := num.Dec{}, est, int32(0)
	if q.passes(c, est, limit, below) {
		for lo, hi = est, top; ; j++ {
			step := num.New(1, j)
			if step.Cmp(c.SubExact(top, est)) >= 0 || c.Err != nil {
				break
			}
			next := c.AddExact(est, step)
			if !q.passes(c, next, limit, below) {
				hi = next
				break
			}
			lo = next
		}
	} else {
		for ; ; j++ {
			step := num.New(1, j)
			if step.Cmp(est) >= 0 || c.Err != nil {
				break
			}
			next := c.SubExact(est, step)
			if q.passes(c, next, limit, below) {
				lo = next
				break
			}
			hi = next
		}
	}
	for ; j >= 0 && c.Err == nil; j-- {
		step := num.New(1, j)
		for step.Cmp(c.SubExact(hi, lo)) < 0 && c.Err == nil {
			next := c.AddExact(lo, step)
			if !q.passes(c, next, limit, below) {
				hi = next
				break
			}
			lo = next
		}
	}
	if lo.Sign() <= 0 {
		return num.Dec{}
	}
	return c.MulExact(lo, q.lot)
}

// passes reports whether lots lots pass q.ok, their quantity computed
// exactly: in c's precision when it holds it, else in apd without
// rounding.
func (q *maxQty) passes(c *num.Ctx, lots, limit num.Dec, below bool) bool {
	w := *c
	n := w.MulExact(lots, q.lot)
	if w.Err != nil && c.Err == nil {
		ex := num.In(&apd.BaseContext) // precision 0: apd does not round
		n = ex.Mul(lots, q.lot)
		c.FailIf(ex.Err != nil, ex.Err)
	}
	return q.ok(c, n, limit, below)
}
