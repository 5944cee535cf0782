package dectest

import (
	"github.com/cockroachdb/apd/v3"
	"pgregory.net/rapid"
)

// A TierRow is one row of a Binance-shaped maintenance table, with the
// fields of margin.Tier. dectest does not import margin (margin's own
// tests import dectest), so tests convert rows themselves.
type TierRow struct {
	Floor, MMR, Cum, MaxLeverage apd.Decimal
}

// TierRows returns a generator of valid tier tables of 1 to maxLen rows:
// the first floor 0 and floors strictly increasing (up to about 10^10, two
// decimal places), maintenance rates non-decreasing in (0, 0.5] with up
// to 5 decimal places, maximum leverage non-increasing from at most 200
// down to 1, and each Cum computed by Binance's recurrence
// cum_n = cum_(n-1) + floor_n*(MMR_n - MMR_(n-1)) on the 50-digit oracle.
// Every value fits in 19 digits, so the tables are exact in the default
// context.
func TierRows(maxLen int) *rapid.Generator[[]TierRow] {
	return rapid.Custom(func(t *rapid.T) []TierRow {
		n := rapid.IntRange(1, maxLen).Draw(t, "tiers")
		rows := make([]TierRow, n)
		ctx := Oracle()
		floor := int64(0)     // in cents
		mmr := int64(0)       // in 1e-5
		lev := int64(200)     // whole
		const maxFloor = 1e12 // 10^10 in cents
		const maxMMR = 50_000 // 0.5 in 1e-5
		for i := range rows {
			r := &rows[i]
			if i > 0 {
				room := (maxFloor - floor) / int64(n-i+1)
				floor += rapid.Int64Range(1, max(1, room)).Draw(t, "floorStep")
			}
			mmr += rapid.Int64Range(0, (maxMMR-mmr)/int64(n-i+1)).Draw(t, "mmrStep")
			if mmr == 0 {
				mmr = 1
			}
			lev -= rapid.Int64Range(0, (lev-1)/int64(n-i+1)).Draw(t, "levStep")
			r.Floor.SetFinite(floor, -2)
			r.MMR.SetFinite(mmr, -5)
			r.MaxLeverage.SetInt64(lev)
			if i == 0 {
				continue
			}
			p := &rows[i-1]
			var step apd.Decimal
			mustOK(ctx.Sub(&step, &r.MMR, &p.MMR))
			mustOK(ctx.Mul(&step, &step, &r.Floor))
			mustOK(ctx.Add(&r.Cum, &p.Cum, &step))
		}
		return rows
	})
}

// mustOK panics on an apd error: the generators' arithmetic cannot fail.
func mustOK(_ apd.Condition, err error) {
	if err != nil {
		panic(err)
	}
}
