package funding

import (
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/contract"
)

// Payment sets z to the funding that the holder of position p pays at the
// end of an interval, at funding rate F, in the settlement currency:
//
//	z = sign(p.Qty) * value(mark) * F,  value from [contract.Spec.Value]
//
// value(mark) is |Qty|*m*mark for linear and quanto contracts and
// |Qty|*m/mark for inverse ones. The sign is the holder's: z > 0 means the
// holder pays z, z < 0 means the holder receives -z. When F > 0 longs pay
// shorts; when F < 0 shorts pay longs; a flat position pays nothing. Every
// payment has a matching receipt, so the payments of a set of positions
// whose quantities sum to zero sum to zero (exactly for pairs of opposite
// positions, within the rounding of each payment otherwise).
//
// BitMEX perpetual contracts guide: long 15,000 XBTUSD at a mark of 750
// with F = 0.25% pays 20 XBT * 0.25% = 0.05 XBT.
//
// The result is rounded to ctx's precision twice (the value and the
// product; three times if N*m needs more than 19 digits), and not to the
// exchange's minor unit, which exchanges do not document for funding: round
// it with derivmath.Round and s.Minor in the mode your exchange uses. s must
// be valid ([contract.Spec.Validate]); p.Entry is not read. z may alias
// mark, rate or a field of p.
//
// The value comes from [contract.Spec.Value]. For an inverse contract its
// apd quotient can allocate when |Qty|*m or the mark has 19 significant
// digits (an unrounded [FairPrice], say), so Payment is allocation-free for
// marks and sizes of up to 18 digits, which covers every exchange price.
//
// Errors: [derivmath.CheckDecimal] errors for p.Qty, [derivmath.CheckPrice]
// errors for mark, [ErrRate] (or a [derivmath.CheckDecimal] error) for rate.
func Payment(ctx *apd.Context, z *apd.Decimal, s *contract.Spec, p *contract.Position, mark, rate *apd.Decimal) error {
	if err := checkRate(rate); err != nil {
		return err
	}
	var v apd.Decimal
	if err := s.Value(ctx, &v, &p.Qty, mark); err != nil {
		return err
	}
	neg := p.Qty.Negative
	if err := mul(ctx, z, &v, rate); err != nil {
		return wrap("payment", err)
	}
	if neg {
		z.Negative = !z.Negative
	}
	positiveZero(z) // 0 * -F is -0 in apd
	return nil
}

// Accrual sets z to the funding that the holder of p pays over dt at a rate
// F quoted per period, accrued continuously, as Deribit charges it on every
// change of position and at settlement:
//
//	z = Payment(p, mark, F) * dt / period
//
// Deribit quotes F ([DeadBand]) per 8 hours: period = 8*time.Hour. Durations
// are converted to decimals exactly, in nanoseconds. The sign is that of
// [Payment]: z > 0 means the holder pays. The result is rounded to ctx's
// precision up to five times (three in Payment); over a whole number
// k of periods it is k times the payment, so one period accrues exactly
// [Payment]. z may alias mark, rate or a field of p.
//
// Errors: those of [Payment], [ErrDuration] for a negative dt, [ErrInterval]
// unless period is positive and divides 24 hours.
func Accrual(ctx *apd.Context, z *apd.Decimal, s *contract.Spec, p *contract.Position, mark, rate *apd.Decimal, dt, period time.Duration) error {
	if dt < 0 {
		return ErrDuration
	}
	if _, err := perDay(period); err != nil {
		return err
	}
	var pay, t apd.Decimal
	if err := Payment(ctx, &pay, s, p, mark, rate); err != nil {
		return err
	}
	if dt%period == 0 {
		// A whole number of periods: one exact factor, so a period's
		// accrual is the payment itself.
		t.SetInt64(int64(dt / period))
		err := mul(ctx, z, &pay, &t)
		positiveZero(z) // -x * 0 is -0 in apd
		return wrap("accrual", err)
	}
	if err := mul(ctx, &pay, &pay, setDuration(&t, dt)); err != nil {
		return wrap("accrual", err)
	}
	err := quo(ctx, z, &pay, setDuration(&t, period))
	return wrap("accrual", err)
}
