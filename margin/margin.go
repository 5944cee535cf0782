package margin

import (
	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/internal/num"
)

// Initial sets z to the initial margin of a position worth value at
// leverage: value*IMR with IMR = 1/leverage, computed as value/leverage,
// rounded once to ctx's precision.
//
// Which value to pass is the exchange's rule, not this function's: BitMEX
// and Bybit margin an isolated position on its value at entry (value(EP), or
// BitMEX's |posCost|); Binance margins a cross position on its notional at
// the mark price.
//
// Errors: derivmath.ErrContext for a nil ctx, derivmath.CheckDecimal errors,
// [ErrNotional] for a negative value, derivmath.CheckLeverage errors
// (derivmath.ErrLeverage below 1).
func Initial(ctx *apd.Context, z, value, leverage *apd.Decimal) error {
	c, ok := num.InBase(ctx)
	if !ok {
		c = num.In(ctx)
	}
	// The common case of each input inlines (as in contract.Spec.Value).
	v, ok := num.SmallNonNegative(value)
	if !ok {
		v = loadNotional(c, value)
	}
	l, ok := num.SmallAtLeastOne(leverage)
	if !ok {
		l = c.CheckLeverage(leverage)
	}
	if m := c.Quo(v, l); !c.StoreSmall(z, m) {
		return num.Wrap("margin: initial", c.Store(z, m))
	}
	return nil
}

// IMR sets z to the initial margin rate of leverage, 1/leverage (BitMEX's
// initMarginReq), rounded to ctx's precision.
//
// Errors: derivmath.ErrContext for a nil ctx, derivmath.CheckLeverage errors,
// derivmath.ErrRange for a leverage above 10^100 (the rate is below the valid
// range).
func IMR(ctx *apd.Context, z, leverage *apd.Decimal) error {
	c := num.In(ctx)
	l := c.CheckLeverage(leverage)
	return num.Wrap("margin: imr", c.Store(z, c.Quo(num.One, l)))
}

// Maintenance sets z to the maintenance margin of a position worth value at
// a maintenance rate mmr, less the maintenance amount cum:
//
//	MM = value*MMR - cum
//
// This is Binance's formula for one tier (cum is its "maintenance amount")
// and Bybit's (cum is its "deduction"); BitMEX and Deribit have cum = 0. For
// a tiered schedule use [Tiers.Maintenance], which picks MMR and cum by
// notional. The result is not clamped: a cum larger than value*mmr (a tier
// applied outside its range) gives a negative z.
//
// Errors: derivmath.ErrContext for a nil ctx, derivmath.CheckDecimal errors,
// [ErrNotional] for a negative value, derivmath.ErrRate for an mmr outside
// [0, 1), [ErrAmount] for a negative cum.
func Maintenance(ctx *apd.Context, z, value, mmr, cum *apd.Decimal) error {
	c := num.In(ctx)
	v, r, a := loadNotional(c, value), loadMMR(c, mmr), loadAmount(c, cum)
	return num.Wrap("margin: maintenance", c.Store(z, maintenance(c, v, r, a)))
}

// maintenance is value*mmr - cum.
func maintenance(c *num.Ctx, value, mmr, cum num.Dec) num.Dec {
	return c.Sub(c.Mul(value, mmr), cum)
}

// Cum sets z to the maintenance amount of a tier whose floor is floor and
// rate mmr, following the tier below it (rate prevMMR, amount prevCum), by
// Binance's recurrence:
//
//	cum_n = cum_(n-1) + floor_n*(MMR_n - MMR_(n-1))
//
// which makes value*MMR - cum continuous at the floor (Binance's FAQ on
// leverage and margin of USD-M futures: floor 250,000, MMR 1% after 0.5%,
// previous amount 50 gives 1,300). The first tier's amount is 0. Each
// operation rounds to ctx's precision ([NewTiers] checks the recurrence
// exactly).
//
// Errors: derivmath.ErrContext for a nil ctx, derivmath.CheckDecimal errors,
// [ErrAmount] for a negative prevCum, [ErrNotional] for a negative floor,
// derivmath.ErrRate for a rate outside [0, 1), [ErrTierRate] when
// mmr < prevMMR.
func Cum(ctx *apd.Context, z, prevCum, floor, mmr, prevMMR *apd.Decimal) error {
	c := num.In(ctx)
	pc, f := loadAmount(c, prevCum), loadNotional(c, floor)
	r, pr := loadMMR(c, mmr), loadMMR(c, prevMMR)
	c.FailIf(r.Cmp(pr) < 0, ErrTierRate)
	return num.Wrap("margin: cum", c.Store(z, c.Add(pc, c.Mul(c.Sub(r, pr), f))))
}

// failIf returns d, recording err in c if bad.
func failIf(c *num.Ctx, d num.Dec, bad bool, err error) num.Dec {
	c.FailIf(bad, err)
	return d
}

// loadNotional loads a value, notional or floor: >= 0, else [ErrNotional].
func loadNotional(c *num.Ctx, x *apd.Decimal) num.Dec {
	return c.CheckNonNegative(x, ErrNotional)
}

// loadAmount loads an amount: >= 0, else [ErrAmount].
func loadAmount(c *num.Ctx, x *apd.Decimal) num.Dec {
	return c.CheckNonNegative(x, ErrAmount)
}

// loadMMR loads a maintenance (or taker) rate: in [0, 1), else
// derivmath.ErrRate.
func loadMMR(c *num.Ctx, x *apd.Decimal) num.Dec {
	d := c.Check(x)
	return failIf(c, d, d.IsNeg() || !d.BelowOne(), derivmath.ErrRate)
}

// loadIMR loads an initial rate: in (0, 1], else derivmath.ErrRate.
func loadIMR(c *num.Ctx, x *apd.Decimal) num.Dec {
	d := c.Check(x)
	return failIf(c, d, d.Sign() <= 0 || d.Cmp(num.One) > 0, derivmath.ErrRate)
}
