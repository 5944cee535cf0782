package funding

import (
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/internal/num"
)

// day is 24 hours; year is 365 days, the year of every annualised figure.
const (
	day  = 24 * time.Hour
	year = 365 * day
)

// divides reports whether interval is a valid funding interval: positive,
// and a divisor of 24 hours.
func divides(interval time.Duration) bool {
	return interval > 0 && day%interval == 0
}

// perDay returns the number of funding intervals in a day, recording
// [ErrInterval] unless interval is positive and divides 24 hours.
func perDay(c *num.Ctx, interval time.Duration) int64 {
	if !divides(interval) {
		c.Fail(ErrInterval)
		return 1
	}
	return int64(day / interval)
}

// nanos returns d in nanoseconds, exactly.
func nanos(d time.Duration) num.Dec { return num.FromInt64(int64(d)) }

// checkBound loads a clamp bound, cap or dead band, recording [ErrBound]
// unless 0 <= x < 1.
func checkBound(c *num.Ctx, x *apd.Decimal) num.Dec {
	d := c.Check(x)
	if c.Err == nil && (d.IsNeg() || !d.BelowOne()) {
		c.Fail(ErrBound)
	}
	return d
}

// checkMarginRate loads a margin rate, recording [ErrMarginRate] unless
// 0 < x <= 1.
func checkMarginRate(c *num.Ctx, x *apd.Decimal) num.Dec {
	d := c.Check(x)
	if c.Err == nil && (d.Sign() <= 0 || d.Cmp(one) > 0) {
		c.Fail(ErrMarginRate)
	}
	return d
}

// one is 1; threeQuarters is 0.75, BitMEX's cap multiplier.
var (
	one           = num.New(1, 0)
	threeQuarters = num.New(75, -2)
)
