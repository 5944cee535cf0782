package funding

import (
	"time"

	"github.com/derivmath/derivmath/internal/num"
)

// Next returns the first funding time strictly after t on a schedule of one
// funding every interval, at offset past the multiples of interval counted
// from 00:00 UTC. Called at the instant of a funding, it returns the one
// after. The result is in UTC.
//
// Binance funds at 00:00, 08:00 and 16:00 UTC (interval 8h, offset 0); BitMEX
// at 04:00, 12:00 and 20:00 UTC (interval 8h, offset 4h). Symbols on 4-, 2-
// or 1-hour schedules use those intervals. Because interval divides 24 hours
// the schedule is the same every day; leap seconds do not exist in Go's time.
//
// Errors: [ErrInterval] unless interval is positive and divides 24 hours,
// [ErrOffset] unless 0 <= offset < interval.
func Next(t time.Time, interval, offset time.Duration) (time.Time, error) {
	if !divides(interval) {
		return time.Time{}, ErrInterval
	}
	if offset < 0 || offset >= interval {
		return time.Time{}, ErrOffset
	}
	t = t.UTC()
	y, m, d := t.Date()
	first := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Add(offset)
	since := t.Sub(first) // in (-offset, 24h); the first funding may be before t
	if since < 0 {
		return first, nil
	}
	return first.Add((since/interval + 1) * interval), nil
}

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
