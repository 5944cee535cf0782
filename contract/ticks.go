package contract

import (
	"math"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/internal/fastdec"
)

// Ticks returns price as a whole number of ticks, for an integer order book.
// A price between two ticks is an error, never a silent rounding: round it
// first with [Round] if that is what you mean.
//
// Errors: [CheckPrice] errors, [ErrOffTick], [ErrRange] when the count does
// not fit in an int64.
func (s *Spec) Ticks(ctx *apd.Context, price *apd.Decimal) (int64, error) {
	if err := CheckPrice(price); err != nil {
		return 0, err
	}
	return s.count(ctx, price, &s.Tick, ErrOffTick)
}

// FromTicks sets z to the price of ticks ticks. It fails with [ErrRange]
// only when the product needs more than ctx's precision.
func (s *Spec) FromTicks(ctx *apd.Context, z *apd.Decimal, ticks int64) error {
	var t apd.Decimal
	t.SetInt64(ticks)
	return mulExact(ctx, z, &t, &s.Tick)
}

// Lots returns size (signed) as a whole number of lots.
//
// Errors: [CheckDecimal] errors, [ErrOffLot], [ErrRange] when the count
// does not fit in an int64.
func (s *Spec) Lots(ctx *apd.Context, size *apd.Decimal) (int64, error) {
	if err := CheckDecimal(size); err != nil {
		return 0, err
	}
	return s.count(ctx, size, &s.Lot, ErrOffLot)
}

// FromLots sets z to the size, in contracts, of lots lots. It fails with
// [ErrRange] only when the product needs more than ctx's precision.
func (s *Spec) FromLots(ctx *apd.Context, z *apd.Decimal, lots int64) error {
	var t apd.Decimal
	t.SetInt64(lots)
	return mulExact(ctx, z, &t, &s.Lot)
}

// count returns x/step as an int64, or off if it is not whole.
func (s *Spec) count(ctx *apd.Context, x, step *apd.Decimal, off error) (int64, error) {
	if q, rem, _, ok := fastdec.Steps(x, step); ok && fastdec.Digits(q) <= int(ctx.Precision) {
		if rem != 0 {
			return 0, off
		}
		if q > math.MaxInt64 {
			return 0, ErrRange
		}
		if x.Negative {
			return -int64(q), nil
		}
		return int64(q), nil
	}
	var q, rem apd.Decimal
	if err := quoRem(ctx, &q, &rem, x, step); err != nil {
		return 0, err
	}
	if !rem.IsZero() {
		return 0, off
	}
	if q.Exponent != 0 || !q.Coeff.IsInt64() {
		return 0, ErrRange
	}
	n := q.Coeff.Int64()
	if q.Negative {
		n = -n
	}
	return n, nil
}
