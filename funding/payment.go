package funding

import (
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/num"
)

// Payment sets z to the funding that the holder of position p pays at the
// end of an interval, at funding rate F, in the settlement currency:
//
//	z = sign(p.Qty) * value(mark) * F,  value as [contract.Spec.Value] computes it
//
// signed from the holder's side (see the package documentation); a flat
// position pays nothing. The payments of opposite positions cancel exactly,
// those of any set whose quantities sum to zero within the rounding of each
// payment.
//
// BitMEX perpetual contracts guide: long 15,000 XBTUSD at a mark of 750
// with F = 0.25% pays 20 XBT * 0.25% = 0.05 XBT.
//
// The result is rounded to ctx's precision twice (the value and the product;
// three times if N*m needs more digits than ctx's precision), and not to the
// exchange's minor unit, which exchanges do not document for funding: round
// it with derivmath.Round and s.Minor in the mode your exchange uses. s must
// be valid ([contract.Spec.Validate]); p.Entry is not read.
//
// Errors: derivmath.ErrContext for a nil ctx, derivmath.ErrRate (or a
// [derivmath.CheckDecimal] error) for a rate whose magnitude is 1 or more,
// contract.ErrKind or contract.ErrMultiplier for a Spec that would not
// validate, [derivmath.CheckDecimal] errors for p.Qty, [derivmath.CheckPrice]
// errors for mark.
func Payment(ctx *apd.Context, z *apd.Decimal, s *contract.Spec, p *contract.Position, mark, rate *apd.Decimal) error {
	c := num.In(ctx)
	r := c.CheckRate(rate)
	return num.Wrap("funding: payment", c.Store(z, payment(c, s, p, mark, r)))
}

// payment is sign(p.Qty) * value(mark) * r, the value by contract.Spec's
// formula; it validates s's kind and multiplier, p.Qty and mark.
func payment(c *num.Ctx, s *contract.Spec, p *contract.Position, mark *apd.Decimal, r num.Dec) num.Dec {
	m := s.LoadMultiplier(c)
	q, x := c.Check(&p.Qty), c.CheckPrice(mark)
	d := c.Mul(s.ValueOf(c, m, q, x), r)
	if q.IsNeg() {
		d = d.Neg() // a zero stays positive
	}
	return d
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
// precision up to five times (three in the payment); over a whole number k
// of periods it is k times the payment, so one period accrues exactly
// [Payment].
//
// Errors: derivmath.ErrContext for a nil ctx, [ErrDuration] for a negative
// dt, [ErrInterval] unless period is positive and divides 24 hours, those of
// [Payment].
func Accrual(ctx *apd.Context, z *apd.Decimal, s *contract.Spec, p *contract.Position, mark, rate *apd.Decimal, dt, period time.Duration) error {
	c := num.In(ctx)
	c.FailIf(dt < 0, ErrDuration)
	perDay(c, period)
	pay := payment(c, s, p, mark, c.CheckRate(rate))
	var a num.Dec
	switch {
	case c.Err != nil:
	case dt%period == 0:
		// A whole number of periods: one exact factor, so a period's
		// accrual is the payment itself.
		a = c.Mul(pay, num.FromInt64(int64(dt/period)))
	default:
		a = c.Quo(c.Mul(pay, nanos(dt)), nanos(period))
	}
	return num.Wrap("funding: accrual", c.Store(z, a))
}
