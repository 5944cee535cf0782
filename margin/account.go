package margin

import (
	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
)

// Position sets z to the margin a position holds: its initial margin
// value/leverage plus its fee reserve,
//
//	position margin = value/leverage + reserve
//
// Isolated (BitMEX, Bybit): pass the value at entry; the result is the
// margin assigned to the position, to which any margin the trader adds is
// added (BitMEX posMargin with posCross = posLoss = 0; Bybit's position
// initial margin, 2.72589075 USDT for the XRPUSDT long of [FeeToClose]).
// Cross (Binance): pass the notional at the mark; the result is the
// position's share of the used margin. Pass a zero reserve for an exchange
// that keeps none. z may alias any operand.
//
// Errors: those of [Initial], and [ErrAmount] for a negative reserve.
func Position(ctx *apd.Context, z, value, leverage, reserve *apd.Decimal) error {
	if err := checkAmount(reserve); err != nil {
		return err
	}
	var im apd.Decimal
	if err := Initial(ctx, &im, value, leverage); err != nil {
		return err
	}
	err := add(ctx, z, &im, reserve)
	return wrap("position margin", err)
}

// Ratio sets z to the margin ratio of an account or an isolated position:
// maintenance margin over margin balance,
//
//	ratio = maint / balance
//
// where balance is the margin that backs the positions plus their
// unrealised PnL: for cross margin the wallet balance plus the uPnL of all
// cross positions (Binance's "margin balance"), for an isolated position its
// position margin plus its uPnL. maint is the maintenance margin of the same
// positions. The account is liquidated when the ratio reaches 1 (100%).
// z may alias any operand.
//
// Errors: derivmath.CheckDecimal errors, [ErrAmount] for a negative maint,
// and [ErrBalance] for a balance of zero or less: the account is then at or
// past bankruptcy, and certainly liquidatable.
func Ratio(ctx *apd.Context, z, maint, balance *apd.Decimal) error {
	if err := checkAmount(maint); err != nil {
		return err
	}
	if err := derivmath.CheckDecimal(balance); err != nil {
		return err
	}
	if balance.Sign() <= 0 {
		return ErrBalance
	}
	return wrap("ratio", quo(ctx, z, maint, balance))
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
// directly to see its size. z may alias any operand.
//
// Errors: derivmath.CheckDecimal errors, [ErrAmount] for a negative used.
func Available(ctx *apd.Context, z, wallet, upnl, used *apd.Decimal) error {
	if err := derivmath.CheckDecimal(wallet); err != nil {
		return err
	}
	if err := derivmath.CheckDecimal(upnl); err != nil {
		return err
	}
	if err := checkAmount(used); err != nil {
		return err
	}
	var a apd.Decimal
	if err := add(ctx, &a, wallet, upnl); err != nil {
		return wrap("available", err)
	}
	if err := sub(ctx, &a, &a, used); err != nil {
		return wrap("available", err)
	}
	if a.Negative {
		a.SetInt64(0)
	}
	z.Set(&a)
	return nil
}

// Order sets z to the initial margin an open order needs, by BitMEX's
// rules: the order is margined at the worse of its limit price and the
// touch, and only the part that opens or increases a position needs margin.
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
// Several open orders on one side are margined one after another against
// the position they would leave: pass position plus the quantities of the
// earlier orders of that side. Fees are not included; add a reserve
// ([FeeToClose]) where the exchange requires one. z may alias any operand.
// s must not be nil.
//
// Errors: derivmath.CheckDecimal errors, derivmath.ErrZeroQty for an order of
// 0, derivmath.CheckPrice errors for limit and for a best that is not 0,
// derivmath.CheckLeverage errors.
func Order(ctx *apd.Context, z *apd.Decimal, s *contract.Spec, position, qty, limit, best, leverage *apd.Decimal) error {
	if err := derivmath.CheckDecimal(position); err != nil {
		return err
	}
	if err := derivmath.CheckDecimal(qty); err != nil {
		return err
	}
	if qty.IsZero() {
		return derivmath.ErrZeroQty
	}
	if err := derivmath.CheckPrice(limit); err != nil {
		return err
	}
	if err := derivmath.CheckDecimal(best); err != nil {
		return err
	}
	if !best.IsZero() {
		if err := derivmath.CheckPrice(best); err != nil {
			return err
		}
	}
	if err := derivmath.CheckLeverage(leverage); err != nil {
		return err
	}
	price := limit
	if !best.IsZero() && (qty.Negative == (cmp(best, limit) > 0)) {
		// A sell at a limit below the bid, or a buy at a limit above the
		// ask, is margined at the touch.
		price = best
	}
	var open apd.Decimal
	open.Abs(qty)
	if !position.IsZero() && position.Negative != qty.Negative {
		var held apd.Decimal
		held.Abs(position)
		if err := sub(ctx, &open, &open, &held); err != nil {
			return wrap("order margin", err)
		}
		if open.Sign() <= 0 {
			z.SetInt64(0)
			return nil
		}
	}
	if err := s.Value(ctx, &open, &open, price); err != nil {
		return err
	}
	return wrap("order margin", quo(ctx, z, &open, leverage))
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
// the answer is unique). Pass a taker of 0 to leave fees out, and as
// balance the available balance ([Available]). A balance of zero or less
// gives 0. For a limit from a tier table too, use [Tiers.MaxQty]. s must
// not be nil. z may alias any operand.
//
// Errors: derivmath.CheckDecimal errors, derivmath.CheckPrice errors for
// price, derivmath.CheckLeverage errors, [ErrRate] for a taker outside
// [0, 1), derivmath.ErrStep for a spec whose Lot is not positive, and
// derivmath.ErrRange when the answer has more lots than ctx's precision
// holds.
func MaxQty(ctx *apd.Context, z *apd.Decimal, s *contract.Spec, balance, price, leverage, taker *apd.Decimal) error {
	var q maxQty
	if err := q.init(ctx, s, balance, price, leverage, taker); err != nil {
		return err
	}
	var n apd.Decimal
	if err := q.byBalance(ctx, &n); err != nil {
		return err
	}
	z.Set(&n)
	return nil
}

// MaxQty is [MaxQty] limited by the table as well: the quantity must also
// keep the notional v(N) in a tier whose MaxLeverage is at least leverage
// (tiers' maxima only fall as notional grows, so this is a bound on N) and
// below the table's limit. z may alias any operand.
//
// Errors: those of [MaxQty]; [ErrNoTiers] for a nil table;
// [ErrAboveMaxLeverage] when even the first tier does not allow leverage.
func (t *Tiers) MaxQty(ctx *apd.Context, z *apd.Decimal, s *contract.Spec, balance, price, leverage, taker *apd.Decimal) error {
	if t.Len() == 0 {
		return ErrNoTiers
	}
	var q maxQty
	if err := q.init(ctx, s, balance, price, leverage, taker); err != nil {
		return err
	}
	if cmp(leverage, &t.tiers[0].MaxLeverage) > 0 {
		return ErrAboveMaxLeverage
	}
	var n apd.Decimal
	if err := q.byBalance(ctx, &n); err != nil {
		return err
	}
	// bound: the smallest notional the leverage is not allowed at.
	bound := t.Limit()
	for i := range t.tiers {
		if cmp(leverage, &t.tiers[i].MaxLeverage) > 0 {
			bound = &t.tiers[i].Floor
			break
		}
	}
	if bound != nil && !n.IsZero() {
		var m apd.Decimal
		if err := q.below(ctx, &m, bound); err != nil {
			return err
		}
		if cmp(&m, &n) < 0 {
			n.Set(&m)
		}
	}
	z.Set(&n)
	return nil
}

// maxQty holds the validated inputs of a MaxQty search.
type maxQty struct {
	s      *contract.Spec
	price  *apd.Decimal
	budget apd.Decimal // balance*leverage
	k      apd.Decimal // 1 + leverage*taker
	unit   apd.Decimal // v(1)
}

// init validates the inputs and sets q's fields.
func (q *maxQty) init(ctx *apd.Context, s *contract.Spec, balance, price, leverage, taker *apd.Decimal) error {
	if err := derivmath.CheckDecimal(balance); err != nil {
		return err
	}
	if err := derivmath.CheckPrice(price); err != nil {
		return err
	}
	if err := derivmath.CheckLeverage(leverage); err != nil {
		return err
	}
	if err := checkMMR(taker); err != nil {
		return err
	}
	if err := derivmath.CheckDecimal(&s.Lot); err != nil {
		return err
	}
	if s.Lot.Sign() <= 0 {
		return derivmath.ErrStep
	}
	q.s, q.price = s, price
	if err := mul(ctx, &q.budget, balance, leverage); err != nil {
		return wrap("max qty", err)
	}
	if err := mul(ctx, &q.k, leverage, taker); err != nil {
		return wrap("max qty", err)
	}
	if err := add(ctx, &q.k, &q.k, &one); err != nil {
		return wrap("max qty", err)
	}
	return s.Value(ctx, &q.unit, &one, price)
}

// byBalance sets z to the largest multiple of the lot with
// v(N)*k <= budget, or 0.
func (q *maxQty) byBalance(ctx *apd.Context, z *apd.Decimal) error {
	if q.budget.Sign() <= 0 {
		z.SetInt64(0)
		return nil
	}
	var per apd.Decimal
	if err := mul(ctx, &per, &q.unit, &q.k); err != nil {
		return wrap("max qty", err)
	}
	return q.search(ctx, z, &q.budget, &per, nil)
}

// below sets z to the largest multiple of the lot with v(N) < bound, or 0.
func (q *maxQty) below(ctx *apd.Context, z, bound *apd.Decimal) error {
	return q.search(ctx, z, bound, &q.unit, bound)
}

// ok reports whether n contracts pass the test: v(n) < bound, or, when
// bound is nil, v(n)*k <= budget. No contracts always pass.
func (q *maxQty) ok(ctx *apd.Context, n, bound *apd.Decimal) (bool, error) {
	if n.Sign() <= 0 {
		return true, nil
	}
	var v apd.Decimal
	if err := q.s.Value(ctx, &v, n, q.price); err != nil {
		return false, err
	}
	if bound != nil {
		return cmp(&v, bound) < 0, nil
	}
	if err := mul(ctx, &v, &v, &q.k); err != nil {
		return false, wrap("max qty", err)
	}
	return v.Cmp(&q.budget) <= 0, nil
}

// search sets z to the largest multiple N of the lot that passes q.ok,
// which is monotone in N (true up to some N, false after), starting from
// limit/per rounded down to the lot.
func (q *maxQty) search(ctx *apd.Context, z, limit, per, bound *apd.Decimal) error {
	// The estimate, in whole lots: the integer part of limit/(per*lot),
	// times the lot. (Modf on a 19-digit quotient stays within one word,
	// where rounding n to the lot with derivmath.Round could scale the lot
	// past it, and allocate.)
	var n, next, lots apd.Decimal
	if err := mul(ctx, &n, per, &q.s.Lot); err != nil {
		return wrap("max qty", err)
	}
	if err := quo(ctx, &n, limit, &n); err != nil {
		return wrap("max qty", err)
	}
	var frac apd.Decimal
	n.Modf(&lots, &frac)
	if err := mulExact(ctx, &n, &lots, &q.s.Lot); err != nil {
		return err
	}
	// The quotient is within a lot of the answer, for the rounding of a
	// few operations: step down while N fails, then up while N + lot
	// passes. The loops are bounded so that a context of too little
	// precision fails instead of spinning.
	const tries = 4
	pass := false
	for range tries {
		var err error
		if pass, err = q.ok(ctx, &n, bound); err != nil {
			return err
		}
		if pass {
			break
		}
		if err := subExact(ctx, &n, &n, &q.s.Lot); err != nil {
			return err
		}
	}
	if !pass {
		return derivmath.ErrRange
	}
	for range tries {
		if err := addExact(ctx, &next, &n, &q.s.Lot); err != nil {
			return err
		}
		more, err := q.ok(ctx, &next, bound)
		if err != nil {
			return err
		}
		if !more {
			break
		}
		n.Set(&next)
	}
	if n.Sign() <= 0 {
		n.SetInt64(0)
	}
	z.Set(&n)
	return nil
}
