package contract

import (
	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/internal/num"
)

// Ticks returns price as a whole number of ticks, for an integer order book.
// A price between two ticks is an error, never a silent rounding: round it
// first with derivmath.Round if that is what you mean.
//
// Errors: derivmath.ErrContext for a nil ctx, derivmath.CheckPrice errors,
// [ErrOffTick], derivmath.ErrRange when the count needs more than
// ctx.Precision digits or does not fit in an int64.
func (s *Spec) Ticks(ctx *apd.Context, price *apd.Decimal) (int64, error) {
	c := num.In(ctx)
	return s.count(c, c.CheckPrice(price), &s.Tick, ErrOffTick)
}

// FromTicks sets z to the price of ticks ticks: ticks*s.Tick, exactly. It
// fails with derivmath.ErrContext for a nil ctx, and with
// derivmath.ErrRange when the product needs more than ctx's precision.
func (s *Spec) FromTicks(ctx *apd.Context, z *apd.Decimal, ticks int64) error {
	c := num.In(ctx)
	return num.Wrap("contract: from ticks", c.Store(z, c.MulExact(num.FromInt64(ticks), num.Load(&s.Tick))))
}

// Lots returns size (signed) as a whole number of lots.
//
// Errors: derivmath.ErrContext for a nil ctx, derivmath.CheckDecimal errors,
// [ErrOffLot], derivmath.ErrRange when the count needs more than
// ctx.Precision digits or does not fit in an int64.
func (s *Spec) Lots(ctx *apd.Context, size *apd.Decimal) (int64, error) {
	c := num.In(ctx)
	return s.count(c, c.Check(size), &s.Lot, ErrOffLot)
}

// FromLots sets z to the size, in contracts, of lots lots: lots*s.Lot,
// exactly. It fails with derivmath.ErrContext for a nil ctx, and with
// derivmath.ErrRange when the product needs more than ctx's precision.
func (s *Spec) FromLots(ctx *apd.Context, z *apd.Decimal, lots int64) error {
	c := num.In(ctx)
	return num.Wrap("contract: from lots", c.Store(z, c.MulExact(num.FromInt64(lots), num.Load(&s.Lot))))
}

// count returns x/step as an int64, or off if it is not whole.
func (s *Spec) count(c *num.Ctx, x num.Dec, step *apd.Decimal, off error) (int64, error) {
	q, r := c.QuoInt(x, num.Load(step))
	c.FailIf(!r.IsZero(), off)
	n, ok := q.Int64()
	c.FailIf(!ok, derivmath.ErrRange)
	if c.Err != nil {
		return 0, num.Wrap("contract: count", c.Err)
	}
	return n, nil
}
