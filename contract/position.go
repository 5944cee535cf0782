package contract

import (
	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/internal/num"
)

// A Position is a signed holding of one contract, with the money it has
// realised so far.
//
// The zero Position is flat. Change it with [Spec.Apply]; read it with
// [Spec.Unrealised], [Spec.ROE] and [Spec.BreakEven]. Copy it with
// [Position.Set].
type Position struct {
	// Qty is the signed quantity in contracts: long > 0, short < 0.
	Qty apd.Decimal
	// Entry is the average entry price; zero when flat.
	Entry apd.Decimal
	// Realised is the PnL realised by reducing fills, before fees.
	Realised apd.Decimal
	// Fees is the sum of the fees paid; a net rebate makes it negative.
	Fees apd.Decimal
}

// Set sets p to q and returns p. It copies decimals safely.
func (p *Position) Set(q *Position) *Position {
	p.Qty.Set(&q.Qty)
	p.Entry.Set(&q.Entry)
	p.Realised.Set(&q.Realised)
	p.Fees.Set(&q.Fees)
	return p
}

// Equal reports whether p and q hold numerically equal fields (2.50 equals
// 2.5), so that go-cmp compares positions without options.
func (p *Position) Equal(q *Position) bool {
	return p.Qty.Cmp(&q.Qty) == 0 && p.Entry.Cmp(&q.Entry) == 0 &&
		p.Realised.Cmp(&q.Realised) == 0 && p.Fees.Cmp(&q.Fees) == 0
}

// A Fill is an execution against a position.
type Fill struct {
	// Qty is the signed quantity: a buy is > 0, a sell < 0.
	Qty apd.Decimal
	// Price is the execution price.
	Price apd.Decimal
	// Maker selects the maker fee rate; otherwise the taker rate applies.
	Maker bool
}

// Apply books fill f into position p, as an exchange does:
//
//   - A fill on the side of the position (or into a flat one) adds to it.
//     The new entry is the average of the old entry and the fill price,
//     weighted by quantity: arithmetic for Linear and Quanto, harmonic for
//     Inverse (so that value(entry) stays the sum of the fills' values).
//   - A fill against the position reduces it at the same entry, and realises
//     the PnL of the closed part at the fill price.
//   - A fill that crosses zero closes the whole position and opens the
//     remainder at the fill price.
//
// Every fill pays [Spec.Fee] at the Maker or Taker rate into p.Fees. When
// s.Minor is set, fees and each fill's realised PnL are rounded half-up to
// the minor unit. The new entry price is rounded to ctx's precision.
// Amounts are kept to at most derivmath.MaxScale places (rounded in ctx's
// rounding mode), so that p stays a valid input.
//
// Errors: derivmath.ErrContext for a nil ctx, derivmath.CheckDecimal errors
// for any field of p or f, derivmath.CheckPrice errors for f.Price and for
// p.Entry when p is not flat, derivmath.ErrZeroQty for a fill of zero,
// [ErrOffTick] for a price that is not a whole number of ticks, [ErrOffLot]
// for a quantity that is not a whole number of lots, derivmath.ErrRange when
// the new quantity needs more than ctx.Precision digits or a field leaves the
// result range.
func (s *Spec) Apply(ctx *apd.Context, p *Position, f *Fill) error {
	c := num.In(ctx)
	m := s.LoadMultiplier(c)
	pq, realised, fees, fq := c.Check(&p.Qty), c.Check(&p.Realised), c.Check(&p.Fees), c.Check(&f.Qty)
	flat := pq.IsZero()
	var pe num.Dec
	if flat {
		c.Check(&p.Entry) // not read, but a field of p: malformed is refused
	} else {
		pe = c.CheckPrice(&p.Entry)
	}
	c.FailIf(fq.IsZero(), derivmath.ErrZeroQty)
	fp := c.CheckPrice(&f.Price)
	s.onStep(c, fp, &s.Tick, ErrOffTick)
	s.onStep(c, fq, &s.Lot, ErrOffLot)

	rate := &s.Taker
	if f.Maker {
		rate = &s.Maker
	}
	fees = c.Add(s.fee(c, m, fq, fp, num.Load(rate)), fees)
	qty := c.AddExact(pq, fq) // a quantity is exact or nothing
	var entry num.Dec
	switch {
	case flat:
		entry = fp
	case pq.IsNeg() == fq.IsNeg():
		entry = s.average(c, pq, pe, fq, fp)
	default:
		// The closed part, signed as the position: all of it if the fill
		// is at least as large, else as much as the fill.
		closed := pq
		if fq.Abs().Cmp(pq.Abs()) < 0 {
			closed = fq.Neg()
		}
		realised = c.Add(realised, s.toMinor(c, s.pnl(c, m, closed, pe, fp)))
		switch {
		case qty.IsZero():
			entry = num.Dec{}
		case qty.IsNeg() == pq.IsNeg():
			entry = pe
		default:
			entry = fp
		}
	}
	entry, realised, fees = clampScale(c, entry), clampScale(c, realised), clampScale(c, fees)
	qty, entry, realised, fees = c.Result(qty), c.Result(entry), c.Result(realised), c.Result(fees)
	if c.Err != nil {
		return num.Wrap("contract: apply", c.Err)
	}
	qty.Store(&p.Qty)
	entry.Store(&p.Entry)
	realised.Store(&p.Realised)
	fees.Store(&p.Fees)
	return nil
}

// clampScale rounds x to derivmath.MaxScale places if it has more, so that
// a Position's fields stay valid input for the next Apply: a fee of 0 at a
// rate written "0.000000" on a value of 10^-95 has exponent -101, and so has
// any 19-digit amount below 10^-83.
func clampScale(c *num.Ctx, x num.Dec) num.Dec {
	if x.Exponent() >= -num.MaxScale {
		return x
	}
	return c.Quantize(x, -num.MaxScale)
}

// average returns the entry price of q1 contracts at e1 plus q2 at e2 (q1,
// q2 on the same side): (n1*e1 + n2*e2)/(n1 + n2) for Linear and Quanto,
// (n1 + n2)*e1*e2/(n1*e2 + n2*e1) for Inverse. One division each.
func (s *Spec) average(c *num.Ctx, q1, e1, q2, e2 num.Dec) num.Dec {
	var n, d num.Dec
	if s.Kind == Inverse {
		n = c.Mul(c.Mul(c.Add(q1, q2), e1), e2)
		d = c.Add(c.Mul(q1, e2), c.Mul(q2, e1))
	} else {
		d = c.Add(q1, q2)
		n = c.Add(c.Mul(q1, e1), c.Mul(q2, e2))
	}
	return c.Quo(n, d).Abs() // both sums carry the side's sign
}

// AvgEntry sets z to the entry price of a position opened by fills, all on
// one side, in closed form: the quantity-weighted arithmetic mean
// sum(N_i*P_i)/sum(N_i) for Linear and Quanto, and the harmonic mean
// sum(N_i)/sum(N_i/P_i) for Inverse (BitMEX inverse guides). The sides of
// the fills are ignored. Fees and ticks play no part.
//
// [Spec.Apply] reaches the same price one fill at a time (within the
// rounding of one division per fill).
//
// Errors: derivmath.ErrContext for a nil ctx, derivmath.CheckDecimal and
// derivmath.CheckPrice errors for the fills, derivmath.ErrZeroQty when fills
// is empty or its quantities are all zero.
func (s *Spec) AvgEntry(ctx *apd.Context, z *apd.Decimal, fills []Fill) error {
	c := num.In(ctx)
	s.LoadMultiplier(c) // the kind decides the mean
	inverse := s.Kind == Inverse
	var sumN, sumW num.Dec // the sums of N, and of N*P or N/P
	for i := range fills {
		q, p := c.Check(&fills[i].Qty), c.CheckPrice(&fills[i].Price)
		if c.Err != nil {
			break
		}
		var w num.Dec
		if inverse {
			w = c.Quo(q, p)
		} else {
			w = c.Mul(q, p)
		}
		sumW, sumN = c.Add(sumW, w.Abs()), c.Add(sumN, q.Abs())
	}
	c.FailIf(sumN.IsZero(), derivmath.ErrZeroQty)
	if inverse {
		sumN, sumW = sumW, sumN
	}
	return num.Wrap("contract: average entry", c.Store(z, c.Quo(sumW, sumN)))
}

// onStep records off unless x is a whole multiple of step.
func (s *Spec) onStep(c *num.Ctx, x num.Dec, step *apd.Decimal, off error) {
	_, r := c.QuoInt(x, num.Load(step))
	c.FailIf(!r.IsZero(), off)
}
