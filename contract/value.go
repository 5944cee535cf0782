package contract

import (
	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/internal/num"
)

// Value sets z to the value of |qty| contracts at price, in the settlement
// currency: N*m*P for Linear and Quanto, N*m/P for Inverse. The value is
// never negative; the side of qty does not matter.
//
// The result is rounded once, to ctx's precision, when N*m is exact (as it
// is for exchange-sized inputs).
//
// Errors: derivmath.ErrContext for a nil ctx, derivmath.CheckDecimal errors
// for qty, derivmath.CheckPrice errors for price.
func (s *Spec) Value(ctx *apd.Context, z, qty, price *apd.Decimal) error {
	c, ok := num.InBase(ctx)
	if !ok {
		c = num.In(ctx)
	}
	// The common case of each input inlines (see num.Small): the three
	// calls it saves were about 14% of the time.
	m, ok := num.SmallPositive(&s.Multiplier)
	if !ok || !s.Kind.valid() {
		m = s.LoadMultiplier(c)
	}
	q, ok := num.Small(qty)
	if !ok {
		q = c.Check(qty)
	}
	p, ok := num.SmallPositive(price)
	if !ok {
		p = c.CheckPrice(price)
	}
	if v := s.ValueOf(c, m, q, p); !c.StoreSmall(z, v) {
		return num.Wrap("contract: value", c.Store(z, v))
	}
	return nil
}

// The formulas of this package on internal/num's values, for derivmath's
// packages (margin, funding, liquidation), which compute on loaded values
// and must not write the formulas again. Callers outside derivmath cannot
// use them. They do not validate their operands.

// ValueOf returns the value of |qty| contracts at price, the formula of
// [Spec.Value]: |qty|*m*price, or |qty|*m/price for Inverse, with m from
// [Spec.LoadMultiplier].
func (s *Spec) ValueOf(c *num.Ctx, m, qty, price num.Dec) num.Dec {
	// ValueAt(SizeOf(m, qty), price), in the one call that lets ValueOf
	// inline.
	return c.MulAbsMulQuo(qty, m, price, s.divides())
}

// SizeOf returns |qty|*m, the first step of [Spec.ValueOf], for a value
// taken at many prices with [Spec.ValueAt].
func SizeOf(c *num.Ctx, m, qty num.Dec) num.Dec { return c.MulAbs(qty, m) }

// ValueAt returns the value at price of contracts of size n (from
// [SizeOf]), the second step of [Spec.ValueOf]: n*price, or n/price for
// Inverse.
func (s *Spec) ValueAt(c *num.Ctx, n, price num.Dec) num.Dec {
	return c.MulQuo(n, price, s.divides())
}

// divides reports whether a value divides by the price (Inverse) rather
// than multiplies by it.
func (s *Spec) divides() bool { return s.Kind == Inverse }

// Price sets z to the price at which |qty| contracts are worth value: the
// inverse of [Spec.Value]. It is v/(N*m) for Linear and Quanto and N*m/v for
// Inverse. Solvers work in value space, where equity is affine, and map the
// answer back to a price with Price.
//
// Errors: derivmath.ErrContext for a nil ctx, derivmath.CheckDecimal errors,
// derivmath.ErrZeroQty for a zero qty, [ErrValue] for a value that is not
// positive.
func (s *Spec) Price(ctx *apd.Context, z, qty, value *apd.Decimal) error {
	c := num.In(ctx)
	m := s.LoadMultiplier(c)
	q, v := c.Check(qty), c.Check(value)
	c.FailIf(q.IsZero(), derivmath.ErrZeroQty)
	c.FailIf(v.Sign() <= 0, ErrValue)
	nm := SizeOf(c, m, q)
	if s.divides() {
		nm, v = v, nm
	}
	return num.Wrap("contract: price", c.Store(z, c.Quo(v, nm)))
}

// PnL sets z to the profit of qty contracts (signed: long > 0) bought at
// entry and sold at exit, in the settlement currency:
//
//	Linear, Quanto: Q*m*(exit - entry)
//	Inverse:        Q*m*(1/entry - 1/exit) = Q*m*(exit - entry)/(entry*exit)
//
// The inverse form has one division, so the result is rounded once when its
// products are exact at ctx's precision (exchange-sized inputs; otherwise
// each product rounds too). A loss is negative.
//
// Errors: derivmath.ErrContext for a nil ctx, derivmath.CheckDecimal errors
// for qty, derivmath.CheckPrice errors for entry and exit.
func (s *Spec) PnL(ctx *apd.Context, z, qty, entry, exit *apd.Decimal) error {
	c, ok := num.InBase(ctx)
	if !ok {
		c = num.In(ctx)
	}
	// The common case of each input inlines, as in Value.
	m, ok := num.SmallPositive(&s.Multiplier)
	if !ok || !s.Kind.valid() {
		m = s.LoadMultiplier(c)
	}
	q, ok := num.Small(qty)
	if !ok {
		q = c.Check(qty)
	}
	p0, ok := num.SmallPositive(entry)
	if !ok {
		p0 = c.CheckPrice(entry)
	}
	p1, ok := num.SmallPositive(exit)
	if !ok {
		p1 = c.CheckPrice(exit)
	}
	if d := s.pnl(c, m, q, p0, p1); !c.StoreSmall(z, d) {
		return num.Wrap("contract: pnl", c.Store(z, d))
	}
	return nil
}

// pnl is q*m*(exit - entry), over entry*exit for Inverse.
func (s *Spec) pnl(c *num.Ctx, m, q, entry, exit num.Dec) num.Dec {
	d := c.Sub(exit, entry)
	if m.IsOne() {
		d = c.Mul(d, q) // MulMul(d, q, 1) is Mul(d, q): a product times 1 is itself
	} else {
		d = c.MulMul(d, q, m)
	}
	if s.Kind != Inverse {
		return d
	}
	return c.Quo(d, c.Mul(entry, exit))
}

// Unrealised sets z to the unrealised PnL of p at mark: [Spec.PnL] of p.Qty
// from p.Entry to mark. A flat position has none (z = 0, and p.Entry is not
// read).
//
// Errors: derivmath.ErrContext for a nil ctx, those of [Spec.PnL] for p.Qty,
// p.Entry (when not flat) and mark.
func (s *Spec) Unrealised(ctx *apd.Context, z *apd.Decimal, p *Position, mark *apd.Decimal) error {
	c := num.In(ctx)
	m := s.LoadMultiplier(c)
	q, x := c.Check(&p.Qty), c.CheckPrice(mark)
	var d num.Dec
	if !q.IsZero() {
		d = s.pnl(c, m, q, c.CheckPrice(&p.Entry), x)
	}
	return num.Wrap("contract: unrealised", c.Store(z, d))
}

// ROE sets z to the return on equity of p at mark: the unrealised PnL
// divided by the initial margin value(Entry)/leverage, as a fraction (0.25
// is 25%). Written out, with s the side (+1 long, -1 short):
//
//	Linear, Quanto: s*lev*(mark - entry)/entry
//	Inverse:        s*lev*(mark - entry)/mark
//
// It does not depend on the size of the position.
//
// Errors: derivmath.ErrContext for a nil ctx, derivmath.CheckDecimal errors,
// derivmath.ErrZeroQty for a flat position, derivmath.CheckPrice errors for
// p.Entry and mark, derivmath.CheckLeverage errors.
func (s *Spec) ROE(ctx *apd.Context, z *apd.Decimal, p *Position, mark, leverage *apd.Decimal) error {
	c := num.In(ctx)
	s.LoadMultiplier(c)
	q, entry := s.open(c, p)
	x, lev := c.CheckPrice(mark), c.CheckLeverage(leverage)
	d := c.Mul(c.Sub(x, entry), lev)
	if q.IsNeg() {
		d = d.Neg()
	}
	den := entry
	if s.Kind == Inverse {
		den = x
	}
	return num.Wrap("contract: roe", c.Store(z, c.Quo(d, den)))
}

// BreakEven sets z to the exit price at which p, charged entryFee on its
// entry value and exitFee on its exit value (rates, such as [Spec.Taker]),
// makes exactly zero. With s the side (+1 long, -1 short):
//
//	Linear, Quanto: entry*(1 + s*entryFee)/(1 - s*exitFee)
//	Inverse:        entry*(1 + s*exitFee)/(1 - s*entryFee)
//
// Errors: derivmath.ErrContext for a nil ctx, derivmath.CheckDecimal errors,
// derivmath.ErrZeroQty for a flat position, derivmath.CheckPrice errors for
// p.Entry, derivmath.CheckFeeRate errors for the rates.
func (s *Spec) BreakEven(ctx *apd.Context, z *apd.Decimal, p *Position, entryFee, exitFee *apd.Decimal) error {
	c := num.In(ctx)
	s.LoadMultiplier(c)
	q, entry := s.open(c, p)
	up, down := c.CheckFeeRate(entryFee), c.CheckFeeRate(exitFee) // numerator and denominator rates
	if s.Kind == Inverse {
		up, down = down, up
	}
	var n, d num.Dec
	if q.IsNeg() {
		n, d = c.Sub(num.One, up), c.Add(num.One, down)
	} else {
		n, d = c.Add(num.One, up), c.Sub(num.One, down)
	}
	return num.Wrap("contract: break-even", c.Store(z, c.Quo(c.Mul(n, entry), d)))
}

// Fee sets z to the fee on a fill of qty contracts at price, at rate (a
// negative rate is a rebate, and gives a negative fee): rate*value(price).
// When s.Minor is set the fee is rounded half-up to it.
//
// Errors: derivmath.ErrContext for a nil ctx, derivmath.CheckDecimal errors
// for qty, derivmath.CheckPrice errors for price, derivmath.CheckFeeRate
// errors for rate, derivmath.ErrRange when the fee has more minor units than
// ctx's precision holds or lies outside the result range.
func (s *Spec) Fee(ctx *apd.Context, z, qty, price, rate *apd.Decimal) error {
	c := num.In(ctx)
	m := s.LoadMultiplier(c)
	q, x, r := c.Check(qty), c.CheckPrice(price), c.CheckFeeRate(rate)
	return num.Wrap("contract: fee", c.Store(z, s.fee(c, m, q, x, r)))
}

// fee is rate*value, rounded to the minor unit.
func (s *Spec) fee(c *num.Ctx, m, q, p, rate num.Dec) num.Dec {
	return s.toMinor(c, c.Mul(s.ValueOf(c, m, q, p), rate))
}

// Cost sets z to the cost of a trade of qty contracts at price: its value
// ([Spec.Value]) rounded half-up to the minor unit when s.Minor is set, as
// BitMEX rounds execCost to the nearest satoshi (100 XBTUSD at 33613 cost
// 297503.94 XBt, reported as 297504).
//
// Errors: derivmath.ErrContext for a nil ctx, those of [Spec.Value], and
// derivmath.ErrRange when the value has more minor units than ctx's precision
// holds.
func (s *Spec) Cost(ctx *apd.Context, z, qty, price *apd.Decimal) error {
	c := num.In(ctx)
	m := s.LoadMultiplier(c)
	v := s.ValueOf(c, m, c.Check(qty), c.CheckPrice(price))
	return num.Wrap("contract: cost", c.Store(z, s.toMinor(c, v)))
}

// toMinor returns x rounded half-up to s.Minor, or x when Minor is 0.
func (s *Spec) toMinor(c *num.Ctx, x num.Dec) num.Dec {
	minor := num.Load(&s.Minor)
	if minor.IsZero() {
		return x
	}
	return c.RoundStep(x, minor, num.HalfUp)
}

// open validates an open position and returns its quantity and entry.
func (s *Spec) open(c *num.Ctx, p *Position) (q, entry num.Dec) {
	q = c.Check(&p.Qty)
	c.FailIf(q.IsZero(), derivmath.ErrZeroQty)
	return q, c.CheckPrice(&p.Entry)
}
