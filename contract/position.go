package contract

import (
	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/internal/fastdec"
)

// A Position is a signed holding of one contract, with the money it has
// realised so far.
//
// The zero Position is flat. Change it with [Spec.Apply]; read it with
// [Spec.Unrealised], [Spec.ROE] and [Spec.BreakEven]. A Position holds
// decimals: pass it by pointer and do not copy it after first use (a copy
// shares a large coefficient with the original); use [Position.Set].
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
//
// A Fill holds decimals: pass it by pointer and do not copy it after first
// use.
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
// Amounts are kept to at most [MaxScale] places (rounded half-even), so
// that p stays a valid input.
//
// On error p is unchanged.
//
// Errors: [CheckDecimal] errors for any field of p or f, [CheckPrice]
// errors for f.Price and for p.Entry when p is not flat, [ErrZeroQty] for a
// fill of zero, [ErrOffTick] for a price that is not a whole number of
// ticks, [ErrOffLot] for a quantity that is not a whole number of lots,
// [ErrRange] when the new quantity needs more than ctx.Precision digits.
func (s *Spec) Apply(ctx *apd.Context, p *Position, f *Fill) error {
	for _, d := range [...]*apd.Decimal{&p.Qty, &p.Realised, &p.Fees, &f.Qty} {
		if err := CheckDecimal(d); err != nil {
			return err
		}
	}
	flat := p.Qty.IsZero()
	if !flat {
		if err := CheckPrice(&p.Entry); err != nil {
			return err
		}
	}
	if f.Qty.IsZero() {
		return ErrZeroQty
	}
	if err := CheckPrice(&f.Price); err != nil {
		return err
	}
	if err := s.onStep(ctx, &f.Price, &s.Tick, ErrOffTick); err != nil {
		return err
	}
	if err := s.onStep(ctx, &f.Qty, &s.Lot, ErrOffLot); err != nil {
		return err
	}

	rate := &s.Taker
	if f.Maker {
		rate = &s.Maker
	}
	var qty, entry, realised, fees apd.Decimal
	if err := s.fee(ctx, &fees, &f.Qty, &f.Price, rate); err != nil {
		return err
	}
	if err := add(ctx, &fees, &fees, &p.Fees); err != nil {
		return wrap("apply", err)
	}
	if res, err := ctx.Add(&qty, &p.Qty, &f.Qty); err != nil {
		return wrap("apply", err)
	} else if res.Inexact() {
		return ErrRange // a quantity is exact or nothing
	}
	realised.Set(&p.Realised)

	switch {
	case flat:
		entry.Set(&f.Price)
	case p.Qty.Negative == f.Qty.Negative:
		if err := s.average(ctx, &entry, &p.Qty, &p.Entry, &f.Qty, &f.Price); err != nil {
			return err
		}
	default:
		// The closed part, signed as the position: all of it if the fill
		// is at least as large, else as much as the fill.
		var closed, fn, pn apd.Decimal
		if fn.Abs(&f.Qty).Cmp(pn.Abs(&p.Qty)) >= 0 {
			closed.Set(&p.Qty)
		} else {
			closed.Neg(&f.Qty)
		}
		var pnl apd.Decimal
		if err := s.pnl(ctx, &pnl, &closed, &p.Entry, &f.Price); err != nil {
			return err
		}
		if err := s.toMinor(ctx, &pnl, &pnl); err != nil {
			return err
		}
		if err := add(ctx, &realised, &realised, &pnl); err != nil {
			return wrap("apply", err)
		}
		switch {
		case qty.IsZero():
			entry.SetInt64(0)
		case qty.Negative == p.Qty.Negative:
			entry.Set(&p.Entry)
		default:
			entry.Set(&f.Price)
		}
	}
	if qty.IsZero() {
		qty.Negative = false
	}
	for _, x := range [...]*apd.Decimal{&entry, &realised, &fees} {
		if err := clampScale(ctx, x); err != nil {
			return err
		}
	}
	p.Qty.Set(&qty)
	p.Entry.Set(&entry)
	p.Realised.Set(&realised)
	p.Fees.Set(&fees)
	return nil
}

// clampScale rounds x half-even to [MaxScale] places if it has more, so
// that a Position's fields stay valid input ([CheckDecimal]) for the next
// Apply: a fee of 0 at a rate written "0.000000" on a value of 10^-31 has
// exponent -37, and so has any 19-digit amount below 10^-18.
func clampScale(ctx *apd.Context, x *apd.Decimal) error {
	if x.Exponent >= -MaxScale {
		return nil
	}
	if _, err := ctx.Quantize(x, x, -MaxScale); err != nil {
		return wrap("apply", err)
	}
	if x.IsZero() {
		x.Negative = false // -1E-40 rounds to 0, not -0
	}
	return nil
}

// average sets z to the entry price of q1 contracts at e1 plus q2 at e2 (q1,
// q2 on the same side): (n1*e1 + n2*e2)/(n1 + n2) for Linear and Quanto,
// (n1 + n2)*e1*e2/(n1*e2 + n2*e1) for Inverse. One division each.
func (s *Spec) average(ctx *apd.Context, z, q1, e1, q2, e2 *apd.Decimal) error {
	var num, den, t apd.Decimal
	var err error
	if s.Kind == Inverse {
		err = add(ctx, &num, q1, q2)
		if err == nil {
			err = mul(ctx, &num, &num, e1)
		}
		if err == nil {
			err = mul(ctx, &num, &num, e2)
		}
		if err == nil {
			err = mul(ctx, &den, q1, e2)
		}
		if err == nil {
			err = mul(ctx, &t, q2, e1)
		}
	} else {
		err = add(ctx, &den, q1, q2)
		if err == nil {
			err = mul(ctx, &num, q1, e1)
		}
		if err == nil {
			err = mul(ctx, &t, q2, e2)
		}
	}
	if err == nil {
		if s.Kind == Inverse {
			err = add(ctx, &den, &den, &t)
		} else {
			err = add(ctx, &num, &num, &t)
		}
	}
	if err == nil {
		err = quo(ctx, z, &num, &den)
	}
	if err == nil {
		z.Negative = false // both sums carry the side's sign
	}
	return wrap("average entry", err)
}

// AvgEntry sets z to the entry price of a position opened by fills, all on
// one side, in closed form: the quantity-weighted arithmetic mean
// sum(N_i*P_i)/sum(N_i) for Linear and Quanto, and the harmonic mean
// sum(N_i)/sum(N_i/P_i) for Inverse (BitMEX inverse guides). The sides of
// the fills are ignored. Fees and ticks play no part. z may alias a field
// of a fill.
//
// [Spec.Apply] reaches the same price one fill at a time (within the
// rounding of one division per fill).
//
// Errors: [CheckDecimal] and [CheckPrice] errors for the fills, [ErrZeroQty]
// when fills is empty or its quantities are all zero.
func (s *Spec) AvgEntry(ctx *apd.Context, z *apd.Decimal, fills []Fill) error {
	if fastdec.Default(ctx) {
		v, ok, err := s.avgEntryDec(fills)
		if err != nil {
			return err
		}
		if ok {
			v.Store(z)
			return nil
		}
	}
	var sumN, sumW, t apd.Decimal // sum of N, and of N*P or N/P
	for i := range fills {
		f := &fills[i]
		if err := CheckDecimal(&f.Qty); err != nil {
			return err
		}
		if err := CheckPrice(&f.Price); err != nil {
			return err
		}
		var err error
		if s.Kind == Inverse {
			err = quo(ctx, &t, &f.Qty, &f.Price)
		} else {
			err = mul(ctx, &t, &f.Qty, &f.Price)
		}
		t.Negative = false
		if err == nil {
			err = add(ctx, &sumW, &sumW, &t)
		}
		if err == nil {
			t.Set(&f.Qty)
			t.Negative = false
			err = add(ctx, &sumN, &sumN, &t)
		}
		if err != nil {
			return wrap("average entry", err)
		}
	}
	if sumN.IsZero() {
		return ErrZeroQty
	}
	var err error
	if s.Kind == Inverse {
		err = quo(ctx, z, &sumN, &sumW)
	} else {
		err = quo(ctx, z, &sumW, &sumN)
	}
	return wrap("average entry", err)
}

// avgEntryDec is AvgEntry on values loaded once, in the default context:
// the same checks, in the same order, and the same operations. It returns
// a validation error as AvgEntry does, and ok = false where AvgEntry's
// arithmetic would go to apd (or the sum of quantities is zero).
func (s *Spec) avgEntryDec(fills []Fill) (v fastdec.Dec, ok bool, err error) {
	var sumN, sumW fastdec.Dec
	inverse := s.Kind == Inverse
	for i := range fills {
		q, err := checkLoad(&fills[i].Qty)
		if err != nil {
			return v, false, err
		}
		p, err := checkPriceLoad(&fills[i].Price)
		if err != nil {
			return v, false, err
		}
		var t fastdec.Dec
		if inverse {
			t, ok = q.Quo(p)
		} else {
			t, ok = q.Mul(p)
		}
		if ok {
			sumW, ok = sumW.Add(t.Abs())
		}
		if ok {
			sumN, ok = sumN.Add(q.Abs())
		}
		if !ok {
			return v, false, nil
		}
	}
	if sumN.IsZero() {
		return v, false, nil
	}
	if inverse {
		v, ok = sumN.Quo(sumW)
	} else {
		v, ok = sumW.Quo(sumN)
	}
	return v, ok, nil
}

// onStep reports err unless x is a whole multiple of step.
func (s *Spec) onStep(ctx *apd.Context, x, step *apd.Decimal, err error) error {
	if q, rem, _, ok := fastdec.Steps(x, step); ok && fastdec.Digits(q) <= int(ctx.Precision) {
		if rem != 0 {
			return err
		}
		return nil
	}
	var q, rem apd.Decimal
	if e := quoRem(ctx, &q, &rem, x, step); e != nil {
		return e
	}
	if !rem.IsZero() {
		return err
	}
	return nil
}
