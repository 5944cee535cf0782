package account

import (
	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/num"
	"github.com/derivmath/derivmath/liquidation"
)

// An Account is an exchange account: wallets per settlement currency,
// positions on any number of contracts, open orders, and a mark price per
// contract. It keeps every position's value, unrealised PnL and margins
// at the marks, and each currency's totals, up to date as they change, so
// that [Account.SetMark] re-checks the account in time linear in the
// positions without allocating; the liquidation and bankruptcy prices of
// a position ([Account.Report]) are solved on demand by a compiled
// liquidation.Solver that the Account keeps.
//
// Build one with [New]. An Account is not safe for concurrent use, not
// even by readers alone: Summary and Report work in its own scratch.
type Account struct {
	c    num.Ctx // the context, copied; Err is reset by each method
	ctx  apd.Context
	conv liquidation.Convention

	wallets   []wallet
	contracts []instrument
	index     map[*contract.Spec]int
	pos       []position
	orders    []order

	liquidatable bool

	// Scratch for the price solves.
	solver liquidation.Solver
	la     liquidation.Account
	legs   []liquidation.Leg
	saved  Position // a position's old description, while Set may undo
	savedO Order
}

// A wallet is a settlement currency's balance and totals at the marks.
type wallet struct {
	cur string
	bal num.Dec
	t   totals
}

// totals are a wallet's sums over its positions and orders.
type totals struct {
	upnl, im, mm, orders num.Dec
	iso                  num.Dec // the isolated positions' margins
	crossUpnl, crossMM   num.Dec
	crossIM              num.Dec
	cross, isoLiq        bool // has cross positions; an isolated one is liquidatable
	crossLiq             bool
	flat                 bool // Bybit: a flat hedge whose fee moves (see fixedPoint)
}

// An instrument is a contract of the account and its mark.
type instrument struct {
	spec    *contract.Spec
	m       num.Dec // multiplier
	tick    num.Dec
	minor   num.Dec
	taker   num.Dec // max(0, Taker)
	inverse bool
	mark    num.Dec
	w       int   // wallet
	pos     []int // positions on it, in order
	fp      fixed // Bybit: the fixed point of its inverse cross positions
}

// A fixed is the fixed point of Bybit's fee to close of an inverse
// contract's cross positions whose fee is not given (see
// [Account.fixedPoint]): x = (num - d)/den, when positive, where d is the
// change of the other cross positions' unrealised PnL from the marks, and
// the fees sum to tsz*x; x is the fixed point at the marks (d = 0). The
// zero fixed moves no fee (on is false).
type fixed struct {
	on               bool
	flat             bool // the legs cancel: the fees are the equity
	num, den, tsz, x num.Dec
}

// A position is a Position loaded, and its numbers at the mark.
type position struct {
	p      Position // the caller's description, copied
	k      int      // instrument
	neg    bool     // loses as the contract's unit value rises
	never  bool     // BitMEX inverse short at 1x or less
	q, n   num.Dec  // Qty, |Qty|
	size   num.Dec  // |Qty|*m
	v0     num.Dec  // value at entry
	lev    num.Dec  // zero: none
	margin num.Dec  // isolated
	mmr    num.Dec  // at entry (BitMEX: + Funding), BitMEX and Bybit
	cum    num.Dec
	mmFix  num.Dec // BitMEX, Bybit: maintenance fixed at entry, fee excluded
	fee    num.Dec
	feeFix bool // fee given or fixed at entry (not Bybit's inverse cross)
	tier   int  // Binance: tier at the mark, -1 before the first

	value, upnl, mm, im num.Dec
}

// An order is an Order loaded.
type order struct {
	id string
	o  Order
	im num.Dec
}

// New returns an empty account that computes in ctx (copied) by the
// exchange rules of conv.
//
// Errors: derivmath.ErrContext for a nil ctx, [ErrConvention].
func New(ctx *apd.Context, conv liquidation.Convention) (*Account, error) {
	c := num.In(ctx)
	if c.Err != nil {
		return nil, c.Err
	}
	if conv < liquidation.Binance || conv > liquidation.Bybit {
		return nil, ErrConvention
	}
	a := &Account{c: *c, ctx: *ctx, conv: conv, index: make(map[*contract.Spec]int)}
	return a, nil
}

// start returns a's context with no error.
func (a *Account) start() *num.Ctx {
	a.c.Err = nil
	return &a.c
}

// Convention returns the exchange rules the account follows.
func (a *Account) Convention() liquidation.Convention { return a.conv }

// wallet returns the index of currency's wallet, adding an empty one.
func (a *Account) wallet(cur string) int {
	for i := range a.wallets {
		if a.wallets[i].cur == cur {
			return i
		}
	}
	a.wallets = append(a.wallets, wallet{cur: cur})
	return len(a.wallets) - 1
}

// SetWallet sets the wallet balance of currency: deposits and realised
// PnL, including the margins of isolated positions. An unknown currency
// is added.
//
// Errors: derivmath.CheckDecimal errors; the errors of recomputing the
// account at the new balance (an apd overflow where a total leaves the
// exponent range of the account's context); on error nothing changes.
func (a *Account) SetWallet(currency string, balance *apd.Decimal) error {
	c := a.start()
	b := c.Check(balance)
	if c.Err != nil {
		return num.Wrap("account: set wallet", c.Err)
	}
	w := a.wallet(currency)
	old := a.wallets[w].bal
	a.wallets[w].bal = b
	if err := a.refresh(c); err != nil {
		a.wallets[w].bal = old
		_ = a.refresh(a.start())
		return num.Wrap("account: set wallet", err)
	}
	return nil
}

// Transfer adds amount to the wallet of currency (a negative amount
// withdraws): a deposit, a withdrawal, realised PnL or a funding payment.
//
// Errors: derivmath.CheckDecimal errors, derivmath.ErrRange for a balance
// outside the result range; on error nothing changes.
func (a *Account) Transfer(currency string, amount *apd.Decimal) error {
	c := a.start()
	x := c.Check(amount)
	if c.Err != nil {
		return num.Wrap("account: transfer", c.Err)
	}
	w := a.wallet(currency)
	old := a.wallets[w].bal
	a.wallets[w].bal = c.Result(c.Add(old, x))
	if err := a.refresh(c); err != nil {
		a.wallets[w].bal = old
		_ = a.refresh(a.start())
		return num.Wrap("account: transfer", err)
	}
	return nil
}

// Wallet sets z to the wallet balance of currency (0 for an unknown one).
func (a *Account) Wallet(z *apd.Decimal, currency string) {
	for i := range a.wallets {
		if a.wallets[i].cur == currency {
			a.wallets[i].bal.Store(z)
			return
		}
	}
	z.SetInt64(0)
}

// SetMark sets the mark price of the contract s and re-checks the account:
// the value, unrealised PnL and margins of every position on s, then each
// currency's totals and whether the account is liquidatable. Its cost is
// linear in the positions, and, once s is known to the account, it
// allocates nothing (in a context where derivmath's fast path applies:
// precision 1 to 19). The first mark of a contract adds it.
//
// Errors: [ErrNoSpec] for a nil s; errors of s.Validate for a new contract;
// derivmath.CheckPrice errors; margin tier lookup errors (a notional at
// the mark beyond the last tier); derivmath.ErrRange for a result outside
// the result range. On error the account is unchanged.
func (a *Account) SetMark(s *contract.Spec, mark *apd.Decimal) error {
	c := a.start()
	x := c.CheckPrice(mark)
	if c.Err != nil {
		return num.Wrap("account: set mark", c.Err)
	}
	k, ok := a.index[s]
	if !ok {
		var err error
		if k, err = a.add(s); err != nil {
			return err
		}
	}
	in := &a.contracts[k]
	old := in.mark
	if a.moveMark(c, k, x); c.Err != nil {
		err := num.Wrap("account: set mark", c.Err)
		in.mark = old
		_ = a.refresh(a.start())
		return err
	}
	return nil
}

// moveMark sets the mark of contract k to x and recomputes the positions
// on k, then the totals, as SetMark does: linear in the positions, with
// no allocation. On error (in c) the account is partly recomputed: the
// caller restores it.
func (a *Account) moveMark(c *num.Ctx, k int, x num.Dec) {
	in := &a.contracts[k]
	in.mark = x
	for _, i := range in.pos {
		a.atMark(c, &a.pos[i])
	}
	if c.Err == nil {
		a.sum(c)
	}
}

// Mark sets z to the mark of s and reports whether s has one.
func (a *Account) Mark(z *apd.Decimal, s *contract.Spec) bool {
	k, ok := a.index[s]
	if ok {
		a.contracts[k].mark.Store(z)
	}
	return ok
}

// add adds the contract s, with no mark yet.
func (a *Account) add(s *contract.Spec) (int, error) {
	if s == nil {
		return 0, ErrNoSpec
	}
	if err := s.Validate(); err != nil {
		return 0, err
	}
	c := a.start()
	in := instrument{spec: s, inverse: s.Kind == contract.Inverse}
	in.m = s.LoadMultiplier(c)
	in.tick, in.minor = c.Check(&s.Tick), c.Check(&s.Minor)
	if t := c.Check(&s.Taker); t.Sign() > 0 {
		in.taker = t
	}
	if c.Err != nil {
		return 0, c.Err
	}
	in.w = a.wallet(s.Settle)
	a.contracts = append(a.contracts, in)
	k := len(a.contracts) - 1
	a.index[s] = k
	return k, nil
}

// Len returns the number of open positions.
func (a *Account) Len() int { return len(a.pos) }

// Position returns the description of position i, in the order the
// positions were added; the caller must not modify it. Indices change
// when [Account.Set] removes a position: a later position moves down one.
// It panics if i is out of range.
func (a *Account) Position(i int) *Position { return &a.pos[i].p }

// Find returns the index of the position on s and side, or -1.
func (a *Account) Find(s *contract.Spec, side Side) int {
	for i := range a.pos {
		if a.pos[i].p.Spec == s && a.pos[i].p.Side == side {
			return i
		}
	}
	return -1
}

// Set opens, changes or closes the position on p.Spec and p.Side: a
// position with Qty 0 removes the one there (and changes nothing if there
// is none), any other replaces it or adds it at the end. The Account keeps
// a copy of p. The mark of p.Spec must be set.
//
// Errors: [ErrNoSpec], [ErrNoMark], [ErrSide], [ErrMode], [ErrNegative],
// [ErrLeverage] (also for removing a position whose leverage an open order
// without its own takes); derivmath.CheckDecimal errors for a malformed
// decimal in any field of p, also one that Set does not read (MMR and Cum
// beside Tiers, Margin of a cross position, Funding outside BitMEX,
// Realised, Fees) and also when Qty is 0, since Set stores every field
// and [Account.Position] returns it (a valid decimal in an unread field is
// stored as it is); derivmath.CheckPrice errors for Entry;
// derivmath.ErrRate for an MMR or Funding outside [0, 1) (Funding under
// every convention, also where it is not read), or their sum (BitMEX,
// rounded up to the context's precision) not below 1; margin tier lookup
// errors; derivmath.ErrRange for a result outside the result range. On
// error the account is unchanged.
func (a *Account) Set(p *Position) error {
	if p.Spec == nil {
		return ErrNoSpec
	}
	k, ok := a.index[p.Spec]
	if !ok || a.contracts[k].mark.IsZero() {
		return ErrNoMark
	}
	if p.Side < OneWay || p.Side > Short {
		return ErrSide
	}
	i := a.Find(p.Spec, p.Side)
	c := a.start()
	if q := p.check(c); c.Err != nil {
		return num.Wrap("account: set", c.Err)
	} else if q.IsZero() {
		if i >= 0 {
			return a.remove(i)
		}
		return nil
	}
	var l position
	a.load(c, &l, p, k)
	if c.Err == nil {
		a.conflict(c, p, k, i)
	}
	if c.Err != nil {
		return num.Wrap("account: set", c.Err)
	}
	if i >= 0 {
		a.saved.set(&a.pos[i].p)
		a.pos[i].p.set(p)
		a.load(c, &a.pos[i], &a.pos[i].p, k)
	} else {
		a.pos = append(a.pos, position{})
		i = len(a.pos) - 1
		a.pos[i].p.set(p)
		a.load(c, &a.pos[i], &a.pos[i].p, k)
		a.reindex()
	}
	if err := a.refresh(c); err != nil {
		if a.saved.Spec != nil {
			a.restore(i, k)
		} else {
			a.pos = a.pos[:i]
			a.reindex()
			_ = a.refresh(a.start())
		}
		return num.Wrap("account: set", err)
	}
	a.saved = Position{}
	return nil
}

// remove removes position i, keeping the order of the others. An order
// that took the position's leverage has none without it: then remove puts
// the position back and returns the error ([ErrLeverage]).
func (a *Account) remove(i int) error {
	a.saved.set(&a.pos[i].p)
	k := a.pos[i].k
	copy(a.pos[i:], a.pos[i+1:])
	a.pos[len(a.pos)-1] = position{}
	a.pos = a.pos[:len(a.pos)-1]
	a.reindex()
	if err := a.refresh(a.start()); err != nil {
		a.pos = append(a.pos, position{})
		copy(a.pos[i+1:], a.pos[i:])
		a.pos[i] = position{}
		a.restore(i, k)
		return num.Wrap("account: set", err)
	}
	a.saved = Position{}
	return nil
}

// restore puts a.saved back as position i, of contract k, where a failed
// Set or remove changed it, clears a.saved and refreshes the account as it
// was, which cannot fail.
func (a *Account) restore(i, k int) {
	a.pos[i].p.set(&a.saved)
	a.load(a.start(), &a.pos[i], &a.pos[i].p, k)
	a.reindex()
	a.saved = Position{}
	_ = a.refresh(a.start())
}

// reindex rebuilds each contract's list of positions.
func (a *Account) reindex() {
	for k := range a.contracts {
		a.contracts[k].pos = a.contracts[k].pos[:0]
	}
	for i := range a.pos {
		in := &a.contracts[a.pos[i].k]
		in.pos = append(in.pos, i)
	}
}

// conflict records [ErrSide] or [ErrMode] when p cannot sit beside the
// other positions on its contract k (i is p's own index, or -1).
func (a *Account) conflict(c *num.Ctx, p *Position, k, i int) {
	for _, j := range a.contracts[k].pos {
		if j == i {
			continue
		}
		o := &a.pos[j].p
		switch {
		case (o.Side == OneWay) != (p.Side == OneWay):
			c.Fail(ErrSide)
		case o.Mode != p.Mode:
			c.Fail(ErrMode)
		}
	}
}

// check records the first malformed decimal of p (derivmath.CheckDecimal's
// errors) in any field, read or not, Qty first, since Set stores every
// field and Position returns it; it returns Qty.
func (p *Position) check(c *num.Ctx) num.Dec {
	q := c.Check(&p.Qty)
	for _, x := range [...]*apd.Decimal{&p.Entry, &p.Realised, &p.Fees, &p.Leverage, &p.Margin, &p.Cost, &p.Fee, &p.MMR, &p.Cum, &p.Funding} {
		c.Check(x)
	}
	return q
}

// set copies q into p field by field: decimals must not be copied with =.
func (p *Position) set(q *Position) {
	p.Spec, p.Side, p.Mode, p.Tiers = q.Spec, q.Side, q.Mode, q.Tiers
	p.Set(&q.Position)
	p.Leverage.Set(&q.Leverage)
	p.Margin.Set(&q.Margin)
	p.Cost.Set(&q.Cost)
	p.Fee.Set(&q.Fee)
	p.MMR.Set(&q.MMR)
	p.Cum.Set(&q.Cum)
	p.Funding.Set(&q.Funding)
}

// set copies q into o field by field.
func (o *Order) set(q *Order) {
	o.Spec, o.Side = q.Spec, q.Side
	o.Qty.Set(&q.Qty)
	o.Price.Set(&q.Price)
	o.Leverage.Set(&q.Leverage)
}

// SetOrder places, changes or cancels the open order id: an order with
// Qty 0 cancels it (and changes nothing if there is none), any other
// replaces it or adds it. The Account keeps a copy of o. An order holds
// initial margin on the value of the part that would open or increase a
// position at its price, over its leverage (BitMEX's rule; each order is
// margined against the position alone, fees not included): it lowers the
// available balance and changes no liquidation price.
//
// Errors: [ErrNoSpec], [ErrNoMark], [ErrSide], [ErrLeverage],
// derivmath.CheckPrice errors for Price, derivmath.CheckDecimal errors,
// derivmath.ErrRange. On error the account is unchanged.
func (a *Account) SetOrder(id string, o *Order) error {
	if o.Spec == nil {
		return ErrNoSpec
	}
	if k, ok := a.index[o.Spec]; !ok || a.contracts[k].mark.IsZero() {
		return ErrNoMark
	}
	if o.Side < OneWay || o.Side > Short {
		return ErrSide
	}
	i := -1
	for j := range a.orders {
		if a.orders[j].id == id {
			i = j
		}
	}
	c := a.start()
	if q := c.Check(&o.Qty); c.Err != nil {
		return num.Wrap("account: set order", c.Err)
	} else if q.IsZero() {
		if i >= 0 {
			copy(a.orders[i:], a.orders[i+1:])
			a.orders[len(a.orders)-1] = order{}
			a.orders = a.orders[:len(a.orders)-1]
			_ = a.refresh(a.start())
		}
		return nil
	}
	var tmp order
	tmp.o.set(o)
	if a.orderMargin(c, &tmp); c.Err != nil {
		return num.Wrap("account: set order", c.Err)
	}
	if i >= 0 {
		a.savedO.set(&a.orders[i].o)
		a.orders[i].o.set(o)
	} else {
		a.orders = append(a.orders, order{id: id})
		i = len(a.orders) - 1
		a.orders[i].o.set(o)
	}
	if err := a.refresh(c); err != nil {
		if a.savedO.Spec != nil {
			a.orders[i].o.set(&a.savedO)
		} else {
			a.orders = a.orders[:i]
		}
		a.savedO = Order{}
		_ = a.refresh(a.start())
		return num.Wrap("account: set order", err)
	}
	a.savedO = Order{}
	return nil
}

// Orders returns the number of open orders.
func (a *Account) Orders() int { return len(a.orders) }

// Liquidatable reports whether, at the marks, the cross positions of some
// currency or some isolated position are at or past their maintenance
// margin. [Account.SetMark] keeps it up to date.
func (a *Account) Liquidatable() bool { return a.liquidatable }
