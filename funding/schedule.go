package funding

import "time"

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
