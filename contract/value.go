package contract

import (
	"fmt"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/internal/fastdec"
)

// Value sets z to the value of |qty| contracts at price, in the settlement
// currency: N*m*P for Linear and Quanto, N*m/P for Inverse. The value is
// never negative; the side of qty does not matter. z may alias qty or price.
//
// The result is rounded once, to ctx's precision, when N*m is exact (as it
// is for exchange-sized inputs).
//
// Errors: [CheckDecimal] errors for qty, [CheckPrice] errors for price.
func (s *Spec) Value(ctx *apd.Context, z, qty, price *apd.Decimal) error {
	q, err := checkLoad(qty)
	if err != nil {
		return err
	}
	p, err := checkPriceLoad(price)
	if err != nil {
		return err
	}
	if fastdec.Default(ctx) {
		if v, ok := s.valueDec(q, p); ok {
			v.Store(z)
			return nil
		}
	}
	return s.value(ctx, z, qty, price)
}

// valueDec is value on loaded operands, in the default context: the same
// operations, so the same result, or false where value would go to apd.
func (s *Spec) valueDec(q, p fastdec.Dec) (fastdec.Dec, bool) {
	m, ok := fastdec.Load(&s.Multiplier)
	if !ok {
		return m, false
	}
	nm, ok := q.Mul(m)
	if !ok {
		return nm, false
	}
	if nm = nm.Abs(); s.Kind == Inverse {
		return nm.Quo(p)
	}
	return nm.Mul(p)
}

// value is Value without validation.
func (s *Spec) value(ctx *apd.Context, z, qty, price *apd.Decimal) error {
	var nm apd.Decimal
	if err := mul(ctx, &nm, qty, &s.Multiplier); err != nil {
		return wrap("value", err)
	}
	nm.Negative = false
	var err error
	if s.Kind == Inverse {
		err = quo(ctx, z, &nm, price)
	} else {
		err = mul(ctx, z, &nm, price)
	}
	return wrap("value", err)
}

// Price sets z to the price at which |qty| contracts are worth value: the
// inverse of [Spec.Value]. It is v/(N*m) for Linear and Quanto and N*m/v for
// Inverse. Solvers work in value space, where equity is affine, and map the
// answer back to a price with Price. z may alias any operand.
//
// Errors: [CheckDecimal] errors, [ErrZeroQty] for a zero qty, [ErrValue] for
// a value that is not positive.
func (s *Spec) Price(ctx *apd.Context, z, qty, value *apd.Decimal) error {
	if err := CheckDecimal(qty); err != nil {
		return err
	}
	if err := CheckDecimal(value); err != nil {
		return err
	}
	if qty.IsZero() {
		return ErrZeroQty
	}
	if value.Sign() <= 0 {
		return ErrValue
	}
	var nm apd.Decimal
	if err := mul(ctx, &nm, qty, &s.Multiplier); err != nil {
		return wrap("price", err)
	}
	nm.Negative = false
	var err error
	if s.Kind == Inverse {
		err = quo(ctx, z, &nm, value)
	} else {
		err = quo(ctx, z, value, &nm)
	}
	return wrap("price", err)
}

// PnL sets z to the profit of qty contracts (signed: long > 0) bought at
// entry and sold at exit, in the settlement currency:
//
//	Linear, Quanto: Q*m*(exit - entry)
//	Inverse:        Q*m*(1/entry - 1/exit) = Q*m*(exit - entry)/(entry*exit)
//
// The inverse form has one division, so the result is rounded once when its
// products are exact at ctx's precision (exchange-sized inputs; otherwise
// each product rounds too). A loss is negative. z may alias any operand.
//
// Errors: [CheckDecimal] errors for qty, [CheckPrice] errors for entry and
// exit.
func (s *Spec) PnL(ctx *apd.Context, z, qty, entry, exit *apd.Decimal) error {
	q, err := checkLoad(qty)
	if err != nil {
		return err
	}
	e0, err := checkPriceLoad(entry)
	if err != nil {
		return err
	}
	e1, err := checkPriceLoad(exit)
	if err != nil {
		return err
	}
	return s.pnlLoaded(ctx, z, qty, entry, exit, q, e0, e1)
}

// pnlLoaded is pnl for operands also loaded as q, e0 and e1: on the loaded
// values in the default context, else (or where pnlDec declines) by pnl.
func (s *Spec) pnlLoaded(ctx *apd.Context, z, qty, entry, exit *apd.Decimal, q, e0, e1 fastdec.Dec) error {
	if fastdec.Default(ctx) {
		if v, ok := s.pnlDec(q, e0, e1); ok {
			v.Store(z)
			return nil
		}
	}
	return s.pnl(ctx, z, qty, entry, exit)
}

// pnlDec is pnl on loaded operands, in the default context: the same
// operations, so the same result, or false where pnl would go to apd.
func (s *Spec) pnlDec(q, entry, exit fastdec.Dec) (fastdec.Dec, bool) {
	m, ok := fastdec.Load(&s.Multiplier)
	num, ok1 := exit.Sub(entry)
	if !ok || !ok1 {
		return num, false
	}
	if num, ok = num.Mul(q); !ok {
		return num, false
	}
	if s.Kind != Inverse {
		return num.Mul(m)
	}
	if num, ok = num.Mul(m); !ok {
		return num, false
	}
	den, ok := entry.Mul(exit)
	if !ok {
		return den, false
	}
	return num.Quo(den)
}

// pnl is PnL without validation.
func (s *Spec) pnl(ctx *apd.Context, z, qty, entry, exit *apd.Decimal) error {
	var num apd.Decimal
	if err := sub(ctx, &num, exit, entry); err != nil {
		return wrap("pnl", err)
	}
	if err := mul(ctx, &num, &num, qty); err != nil {
		return wrap("pnl", err)
	}
	if s.Kind != Inverse {
		err := mul(ctx, z, &num, &s.Multiplier)
		return wrap("pnl", err)
	}
	if err := mul(ctx, &num, &num, &s.Multiplier); err != nil {
		return wrap("pnl", err)
	}
	var den apd.Decimal
	if err := mul(ctx, &den, entry, exit); err != nil {
		return wrap("pnl", err)
	}
	err := quo(ctx, z, &num, &den)
	return wrap("pnl", err)
}

// Unrealised sets z to the unrealised PnL of p at mark: [Spec.PnL] of p.Qty
// from p.Entry to mark. A flat position has none (z = 0, and p.Entry is not
// read). z may alias mark or a field of p.
//
// Errors: [CheckDecimal] errors for p.Qty, [CheckPrice] errors for p.Entry
// (when not flat) and mark.
func (s *Spec) Unrealised(ctx *apd.Context, z *apd.Decimal, p *Position, mark *apd.Decimal) error {
	q, err := checkLoad(&p.Qty)
	if err != nil {
		return err
	}
	m, err := checkPriceLoad(mark)
	if err != nil {
		return err
	}
	if q.IsZero() {
		z.SetInt64(0)
		return nil
	}
	e, err := checkPriceLoad(&p.Entry)
	if err != nil {
		return err
	}
	return s.pnlLoaded(ctx, z, &p.Qty, &p.Entry, mark, q, e, m)
}

// ROE sets z to the return on equity of p at mark: the unrealised PnL
// divided by the initial margin value(Entry)/leverage, as a fraction (0.25
// is 25%). Written out, with s the side (+1 long, -1 short):
//
//	Linear, Quanto: s*lev*(mark - entry)/entry
//	Inverse:        s*lev*(mark - entry)/mark
//
// It does not depend on the size of the position. z may alias any operand.
//
// Errors: [CheckDecimal] errors, [ErrZeroQty] for a flat position,
// [CheckPrice] errors for p.Entry and mark, [CheckLeverage] errors.
func (s *Spec) ROE(ctx *apd.Context, z *apd.Decimal, p *Position, mark, leverage *apd.Decimal) error {
	if err := s.checkOpen(p); err != nil {
		return err
	}
	if err := CheckPrice(mark); err != nil {
		return err
	}
	if err := CheckLeverage(leverage); err != nil {
		return err
	}
	var num apd.Decimal
	if err := sub(ctx, &num, mark, &p.Entry); err != nil {
		return wrap("roe", err)
	}
	if err := mul(ctx, &num, &num, leverage); err != nil {
		return wrap("roe", err)
	}
	if p.Qty.Negative {
		num.Negative = !num.Negative && !num.IsZero()
	}
	den := &p.Entry
	if s.Kind == Inverse {
		den = mark
	}
	err := quo(ctx, z, &num, den)
	return wrap("roe", err)
}

// BreakEven sets z to the exit price at which p, charged entryFee on its
// entry value and exitFee on its exit value (rates, such as [Spec.Taker]),
// makes exactly zero. With s the side (+1 long, -1 short):
//
//	Linear, Quanto: entry*(1 + s*entryFee)/(1 - s*exitFee)
//	Inverse:        entry*(1 + s*exitFee)/(1 - s*entryFee)
//
// z may alias any operand.
//
// Errors: [CheckDecimal] errors, [ErrZeroQty] for a flat position,
// [CheckPrice] errors for p.Entry, [CheckFeeRate] errors for the rates.
func (s *Spec) BreakEven(ctx *apd.Context, z *apd.Decimal, p *Position, entryFee, exitFee *apd.Decimal) error {
	if err := s.checkOpen(p); err != nil {
		return err
	}
	if err := CheckFeeRate(entryFee); err != nil {
		return err
	}
	if err := CheckFeeRate(exitFee); err != nil {
		return err
	}
	up, down := entryFee, exitFee // numerator and denominator rates
	if s.Kind == Inverse {
		up, down = exitFee, entryFee
	}
	var num, den apd.Decimal
	var err error
	if p.Qty.Negative {
		err = sub(ctx, &num, &one, up)
		if err == nil {
			err = add(ctx, &den, &one, down)
		}
	} else {
		err = add(ctx, &num, &one, up)
		if err == nil {
			err = sub(ctx, &den, &one, down)
		}
	}
	if err == nil {
		err = mul(ctx, &num, &num, &p.Entry)
	}
	if err == nil {
		err = quo(ctx, z, &num, &den)
	}
	return wrap("break-even", err)
}

// Fee sets z to the fee on a fill of qty contracts at price, at rate (a
// negative rate is a rebate, and gives a negative fee): rate*value(price).
// When s.Minor is set the fee is rounded half-up to it. z may alias any
// operand.
//
// Errors: [CheckDecimal] errors for qty, [CheckPrice] errors for price,
// [CheckFeeRate] errors for rate.
func (s *Spec) Fee(ctx *apd.Context, z, qty, price, rate *apd.Decimal) error {
	if err := CheckDecimal(qty); err != nil {
		return err
	}
	if err := CheckPrice(price); err != nil {
		return err
	}
	if err := CheckFeeRate(rate); err != nil {
		return err
	}
	return s.fee(ctx, z, qty, price, rate)
}

func (s *Spec) fee(ctx *apd.Context, z, qty, price, rate *apd.Decimal) error {
	var v apd.Decimal
	if err := s.value(ctx, &v, qty, price); err != nil {
		return err
	}
	if err := mul(ctx, &v, &v, rate); err != nil {
		return wrap("fee", err)
	}
	return s.toMinor(ctx, z, &v)
}

// Cost sets z to the cost of a trade of qty contracts at price: its value
// ([Spec.Value]) rounded half-up to the minor unit when s.Minor is set, as
// BitMEX rounds execCost to the nearest satoshi (100 XBTUSD at 33613 cost
// 297503.94 XBt, reported as 297504). z may alias any operand.
//
// Errors: those of [Spec.Value], and [ErrRange] when the value has more
// minor units than ctx's precision holds.
func (s *Spec) Cost(ctx *apd.Context, z, qty, price *apd.Decimal) error {
	if err := s.Value(ctx, z, qty, price); err != nil {
		return err
	}
	return s.toMinor(ctx, z, z)
}

// toMinor sets z to x rounded half-up to s.Minor, or to x when Minor is 0.
func (s *Spec) toMinor(ctx *apd.Context, z, x *apd.Decimal) error {
	if s.Minor.IsZero() {
		z.Set(x)
		return nil
	}
	return round(ctx, z, x, &s.Minor, HalfUp)
}

// checkOpen validates an open position.
func (s *Spec) checkOpen(p *Position) error {
	if err := CheckDecimal(&p.Qty); err != nil {
		return err
	}
	if p.Qty.IsZero() {
		return ErrZeroQty
	}
	return CheckPrice(&p.Entry)
}

// wrap wraps an apd failure with the name of the operation; nil stays nil.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("contract: %s: %w", op, err)
}
