package margin

import (
	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/internal/fastdec"
)

// A Tier is one bracket of a tiered maintenance schedule, in the shape
// Binance publishes: positions whose notional is at least Floor (and below
// the next tier's Floor) need maintenance margin
//
//	MM = notional*MMR - Cum
//
// and may use at most MaxLeverage. A Tier holds decimals: pass it by pointer
// and do not copy it after first use.
type Tier struct {
	// Floor is the smallest notional of the tier, in the settlement
	// currency (USDT for USD-M, the coin for COIN-M).
	Floor apd.Decimal
	// MMR is the maintenance margin rate, a fraction (0.004 is 0.4%).
	MMR apd.Decimal
	// Cum is the maintenance amount, which keeps MM continuous at Floor.
	Cum apd.Decimal
	// MaxLeverage is the largest leverage allowed in the tier.
	MaxLeverage apd.Decimal
}

// Equal reports whether t and u hold numerically equal fields.
func (t *Tier) Equal(u *Tier) bool {
	return t.Floor.Cmp(&u.Floor) == 0 && t.MMR.Cmp(&u.MMR) == 0 &&
		t.Cum.Cmp(&u.Cum) == 0 && t.MaxLeverage.Cmp(&u.MaxLeverage) == 0
}

// Tiers is a validated tier table, looked up by notional (never by margin).
//
// Build it with [NewTiers] or [Flat]. A nil *Tiers has no tiers: its
// methods return [ErrNoTiers]. A Tiers is never modified after it is built,
// so it may be shared by goroutines.
type Tiers struct {
	tiers []Tier
	limit apd.Decimal // exclusive upper bound of notional; zero: none
	// loaded holds each tier's floor, MMR and cum loaded once for the
	// kernels, and loadedLimit the limit (zero: none).
	loaded      []loadedTier
	loadedLimit fastdec.Dec
}

// A loadedTier is a tier's terms as fastdec values.
type loadedTier struct{ floor, mmr, cum fastdec.Dec }

// NewTiers validates rows and returns a table holding a copy of them.
//
// The rows must be sorted by Floor, the first Floor must be 0 and floors
// must increase strictly; every MMR must lie in (0, 1) and not decrease;
// every MaxLeverage must be at least 1 and not increase; and Cum must follow
// Binance's recurrence exactly:
//
//	cum_1 = 0, cum_n = cum_(n-1) + floor_n*(MMR_n - MMR_(n-1))
//
// which makes maintenance margin continuous at every tier edge. limit, if
// not nil and not zero, is the largest notional the table allows
// (exclusive); a lookup at or above it fails with a [*TierError].
//
// Errors: [ErrNoTiers], [ErrTierFloor], [ErrTierRate], [ErrTierLeverage],
// [ErrCum], [ErrLimit], derivmath.CheckDecimal errors, and derivmath.ErrRange
// when a step of the recurrence needs more than [derivmath.Precision]
// digits.
func NewTiers(rows []Tier, limit *apd.Decimal) (*Tiers, error) {
	if len(rows) == 0 {
		return nil, ErrNoTiers
	}
	ctx := derivmath.NewContext()
	var want, step apd.Decimal
	for i := range rows {
		r := &rows[i]
		for _, d := range [...]*apd.Decimal{&r.Floor, &r.MMR, &r.Cum, &r.MaxLeverage} {
			if err := derivmath.CheckDecimal(d); err != nil {
				return nil, err
			}
		}
		if r.MMR.Sign() <= 0 || r.MMR.Cmp(&one) >= 0 {
			return nil, ErrTierRate
		}
		if err := derivmath.CheckLeverage(&r.MaxLeverage); err != nil {
			return nil, ErrTierLeverage
		}
		if i == 0 {
			if !r.Floor.IsZero() {
				return nil, ErrTierFloor
			}
			if !r.Cum.IsZero() {
				return nil, ErrCum
			}
			continue
		}
		p := &rows[i-1]
		if r.Floor.Cmp(&p.Floor) <= 0 {
			return nil, ErrTierFloor
		}
		if r.MMR.Cmp(&p.MMR) < 0 {
			return nil, ErrTierRate
		}
		if r.MaxLeverage.Cmp(&p.MaxLeverage) > 0 {
			return nil, ErrTierLeverage
		}
		// The recurrence is checked exactly: a step that needs more digits
		// than the context holds is ErrRange, never a rounded comparison.
		if err := subExact(ctx, &step, &r.MMR, &p.MMR); err != nil {
			return nil, err
		}
		if err := mulExact(ctx, &step, &step, &r.Floor); err != nil {
			return nil, err
		}
		if err := addExact(ctx, &want, &p.Cum, &step); err != nil {
			return nil, err
		}
		if want.Cmp(&r.Cum) != 0 {
			return nil, ErrCum
		}
	}
	t := &Tiers{tiers: make([]Tier, len(rows))}
	for i := range rows {
		t.tiers[i].Floor.Set(&rows[i].Floor)
		t.tiers[i].MMR.Set(&rows[i].MMR)
		t.tiers[i].Cum.Set(&rows[i].Cum)
		t.tiers[i].MaxLeverage.Set(&rows[i].MaxLeverage)
	}
	if limit != nil && !limit.IsZero() {
		if err := derivmath.CheckDecimal(limit); err != nil {
			return nil, err
		}
		if limit.Cmp(&rows[len(rows)-1].Floor) <= 0 {
			return nil, ErrLimit
		}
		t.limit.Set(limit)
	}
	t.load()
	return t, nil
}

// load fills t.loaded. The rows passed CheckDecimal, so every value loads.
func (t *Tiers) load() {
	t.loaded = make([]loadedTier, len(t.tiers))
	for i := range t.tiers {
		r, l := &t.tiers[i], &t.loaded[i]
		l.floor, _ = fastdec.Load(&r.Floor)
		l.mmr, _ = fastdec.Load(&r.MMR)
		l.cum, _ = fastdec.Load(&r.Cum)
	}
	t.loadedLimit, _ = fastdec.Load(&t.limit)
}

// Flat returns a table of one tier: a single maintenance rate mmr with no
// maintenance amount, and maximum leverage maxLeverage, for any notional.
// It is the schedule of an exchange with one rate (Bybit's base tier, a
// Deribit rate for a given size, or a BitMEX rate at a fixed risk limit).
//
// Errors: those of [NewTiers].
func Flat(mmr, maxLeverage *apd.Decimal) (*Tiers, error) {
	rows := make([]Tier, 1)
	rows[0].MMR.Set(mmr)
	rows[0].MaxLeverage.Set(maxLeverage)
	return NewTiers(rows, nil)
}

// Len returns the number of tiers; 0 for a nil table.
func (t *Tiers) Len() int {
	if t == nil {
		return 0
	}
	return len(t.tiers)
}

// At returns tier i, for 0 <= i < t.Len(). The tier belongs to the table:
// read it, do not modify it. At panics if i is out of range, like a slice.
func (t *Tiers) At(i int) *Tier {
	return &t.tiers[i]
}

// Limit returns the table's exclusive upper bound on notional, or nil when
// it has none. The result must not be modified.
func (t *Tiers) Limit() *apd.Decimal {
	if t == nil || t.limit.IsZero() {
		return nil
	}
	return &t.limit
}

// Lookup returns the tier that notional falls in: the last tier whose Floor
// is at most notional. The tier belongs to the table and must not be
// modified.
//
// Errors: [ErrNoTiers] for a nil table, derivmath.CheckDecimal errors,
// [ErrNotional] for a negative notional, and a [*TierError] for a notional
// at or above the table's limit.
func (t *Tiers) Lookup(notional *apd.Decimal) (*Tier, error) {
	i, err := t.index(notional)
	if err != nil {
		return nil, err
	}
	return &t.tiers[i], nil
}

// index returns the index of the tier of notional.
func (t *Tiers) index(notional *apd.Decimal) (int, error) {
	if t != nil && t.loaded != nil {
		if d, ok := fastdec.LoadChecked(notional, derivmath.MaxScale); ok {
			return t.indexLoaded(d, notional)
		}
	}
	if t == nil || len(t.tiers) == 0 {
		return 0, ErrNoTiers
	}
	if err := derivmath.CheckDecimal(notional); err != nil {
		return 0, err
	}
	if notional.Sign() < 0 {
		return 0, ErrNotional
	}
	if !t.limit.IsZero() && notional.Cmp(&t.limit) >= 0 {
		return 0, tierError(notional)
	}
	// Binary search for the first tier whose floor exceeds notional.
	lo, hi := 0, len(t.tiers)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if cmp(&t.tiers[mid].Floor, notional) <= 0 {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo - 1, nil
}

// indexLoaded is index for a valid notional loaded as d: the same checks
// and search on the loaded floors.
func (t *Tiers) indexLoaded(d fastdec.Dec, notional *apd.Decimal) (int, error) {
	if d.Neg {
		return 0, ErrNotional
	}
	if !t.loadedLimit.IsZero() && d.Cmp(t.loadedLimit) >= 0 {
		return 0, tierError(notional)
	}
	lo, hi := 0, len(t.loaded)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if t.loaded[mid].floor.Cmp(d) <= 0 {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo - 1, nil
}

// Maintenance sets z to the maintenance margin of a position of the given
// notional: notional*MMR - Cum of its tier. z may alias notional.
//
// Errors: those of [Tiers.Lookup].
func (t *Tiers) Maintenance(ctx *apd.Context, z, notional *apd.Decimal) error {
	if t != nil && t.loaded != nil && fastdec.Default(ctx) {
		if d, ok := fastdec.LoadChecked(notional, derivmath.MaxScale); ok {
			i, err := t.indexLoaded(d, notional)
			if err != nil {
				return err
			}
			// maintenance, on the loaded values.
			l := &t.loaded[i]
			mm, ok := d.Mul(l.mmr)
			if ok {
				mm, ok = mm.Sub(l.cum)
			}
			if ok {
				mm.Store(z)
				return nil
			}
		}
	}
	tier, err := t.Lookup(notional)
	if err != nil {
		return err
	}
	return maintenance(ctx, z, notional, &tier.MMR, &tier.Cum)
}

// maintenance sets z = notional*mmr - cum.
func maintenance(ctx *apd.Context, z, notional, mmr, cum *apd.Decimal) error {
	var mm apd.Decimal
	if err := mul(ctx, &mm, notional, mmr); err != nil {
		return wrap("maintenance", err)
	}
	err := sub(ctx, z, &mm, cum)
	return wrap("maintenance", err)
}

// CheckLeverage reports whether leverage is allowed for a position of the
// given notional: at least 1 and at most the MaxLeverage of its tier.
//
// Errors: those of [Tiers.Lookup], derivmath.CheckLeverage errors, and
// [ErrAboveMaxLeverage].
func (t *Tiers) CheckLeverage(notional, leverage *apd.Decimal) error {
	tier, err := t.Lookup(notional)
	if err != nil {
		return err
	}
	if err := derivmath.CheckLeverage(leverage); err != nil {
		return err
	}
	if cmp(leverage, &tier.MaxLeverage) > 0 {
		return ErrAboveMaxLeverage
	}
	return nil
}
