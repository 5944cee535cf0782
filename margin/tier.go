package margin

import (
	"math"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/internal/num"
)

// A Tier is one bracket of a tiered maintenance schedule, in the shape
// Binance publishes: positions whose notional is at least Floor (and below
// the next tier's Floor) need maintenance margin
//
//	MM = notional*MMR - Cum
//
// and may use at most MaxLeverage.
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
	tiers  []Tier
	terms  []terms     // each tier's terms, loaded once
	limit  apd.Decimal // exclusive upper bound of notional; zero: none
	lim    num.Dec     // limit, loaded
	limAdj int         // its adjusted exponent
}

// terms are a tier's numbers as the computations use them, and the
// adjusted exponent of the floor (see adjusted).
type terms struct {
	floor, mmr, cum, maxLev num.Dec
	adj                     int
}

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
// An error of a row comes as a [*RowError] naming the first row at fault
// (each row is checked against those before it only).
func NewTiers(rows []Tier, limit *apd.Decimal) (*Tiers, error) {
	if len(rows) == 0 {
		return nil, ErrNoTiers
	}
	t := &Tiers{tiers: make([]Tier, len(rows)), terms: make([]terms, len(rows))}
	c := num.In(recurrence)
	for i := range rows {
		r, l := &rows[i], &t.terms[i]
		*l = terms{floor: c.Check(&r.Floor), mmr: c.Check(&r.MMR), cum: c.Check(&r.Cum), maxLev: c.Check(&r.MaxLeverage)}
		if c.Err != nil {
			return nil, &RowError{Row: i, Err: c.Err}
		}
		l.adj = adjusted(l.floor)
		if err := l.check(t.terms[:i]); err != nil {
			return nil, &RowError{Row: i, Err: err}
		}
		t.tiers[i].Floor.Set(&r.Floor)
		t.tiers[i].MMR.Set(&r.MMR)
		t.tiers[i].Cum.Set(&r.Cum)
		t.tiers[i].MaxLeverage.Set(&r.MaxLeverage)
	}
	if limit != nil && !limit.IsZero() {
		lim, err := num.Check(limit)
		if err != nil {
			return nil, err
		}
		if lim.Cmp(t.terms[len(rows)-1].floor) <= 0 {
			return nil, ErrLimit
		}
		t.limit.Set(limit)
		t.lim, t.limAdj = lim, adjusted(lim)
	}
	return t, nil
}

// check validates the terms l of a tier that follows those of below.
func (l *terms) check(below []terms) error {
	if l.mmr.Sign() <= 0 || !l.mmr.BelowOne() {
		return ErrTierRate
	}
	if l.maxLev.Sign() < 0 || l.maxLev.BelowOne() {
		return ErrTierLeverage
	}
	if len(below) == 0 {
		if !l.floor.IsZero() {
			return ErrTierFloor
		}
		if !l.cum.IsZero() {
			return ErrCum
		}
		return nil
	}
	p := &below[len(below)-1]
	switch {
	case l.floor.Cmp(p.floor) <= 0:
		return ErrTierFloor
	case l.mmr.Cmp(p.mmr) < 0:
		return ErrTierRate
	case l.maxLev.Cmp(p.maxLev) > 0:
		return ErrTierLeverage
	}
	// The recurrence is checked exactly: a step that needs more digits
	// than the default context holds is ErrRange, never a rounded
	// comparison.
	c := num.In(recurrence)
	want := c.AddExact(p.cum, c.MulExact(c.SubExact(l.mmr, p.mmr), l.floor))
	if c.Err != nil {
		return c.Err
	}
	if want.Cmp(l.cum) != 0 {
		return ErrCum
	}
	return nil
}

// recurrence is the context in which NewTiers checks the cum recurrence:
// derivmath's default. It is only read.
var recurrence = derivmath.NewContext()

// Flat returns a table of one tier: a single maintenance rate mmr with no
// maintenance amount, and maximum leverage maxLeverage, for any notional.
// It is the schedule of an exchange with one rate (Bybit's base tier, a
// Deribit rate for a given size, or a BitMEX rate at a fixed risk limit).
//
// Errors: those of [NewTiers] that one row with a floor and a maintenance
// amount of 0 and no limit can meet: [ErrTierRate], [ErrTierLeverage] or a
// derivmath.CheckDecimal error of mmr or maxLeverage, in a *[RowError] of
// Row 0.
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
	if t == nil || t.lim.IsZero() {
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
	if t.Len() == 0 {
		return nil, ErrNoTiers
	}
	c := num.In(recurrence)
	i := t.find(c, c.Check(notional))
	if c.Err != nil {
		return nil, c.Err
	}
	return &t.tiers[i], nil
}

// find returns the index of the tier of notional x, recording the lookup's
// error in c; nothing happens once c has one, and the index is then 0.
func (t *Tiers) find(c *num.Ctx, x num.Dec) int {
	if c.Err != nil {
		return 0
	}
	i, err := t.TierNear(-1, x)
	c.FailIf(err != nil, err)
	return i
}

// TierNear returns the index of the tier that notional x (a valid decimal)
// falls in, trying tier hint first: the tier of a notional near x, or -1.
// A notional near the last one looked up is usually in the same tier, and
// then two comparisons find it; the result does not depend on hint. It is
// the lookup, the only one; [Tiers.TierDec] gives the tier's rates. For
// derivmath's packages.
//
// Errors: those of [Tiers.Lookup] but derivmath.CheckDecimal's (x is
// valid): [ErrNoTiers] for a nil or empty table, [ErrNotional] for a
// negative x, and a *[TierError] for an x at or above the table's limit.
func (t *Tiers) TierNear(hint int, x num.Dec) (int, error) {
	switch {
	case t.Len() == 0:
		return 0, ErrNoTiers
	case x.Sign() < 0:
		return 0, ErrNotional
	}
	// The adjusted exponents decide most comparisons; values of the same
	// magnitude are compared in full.
	ax := adjusted(x)
	if !t.lim.IsZero() && (ax > t.limAdj || ax == t.limAdj && x.Cmp(t.lim) >= 0) {
		return 0, tierError(x)
	}
	// Binary search for the first tier whose floor exceeds x, within the
	// hint's bounds when it has some.
	lo, hi := 1, len(t.terms) // the first floor is 0 <= x
	if hint > 0 && hint < hi {
		if !t.floorAtMost(hint, x, ax) {
			hi = hint
		} else if lo = hint + 1; lo == hi || !t.floorAtMost(lo, x, ax) {
			return hint, nil
		}
	} else if hint == 0 && (hi == 1 || !t.floorAtMost(1, x, ax)) {
		return 0, nil
	}
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if t.floorAtMost(mid, x, ax) {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo - 1, nil
}

// floorAtMost reports whether tier i's floor is at most x, whose adjusted
// exponent is ax.
func (t *Tiers) floorAtMost(i int, x num.Dec, ax int) bool {
	m := &t.terms[i]
	return m.adj < ax || m.adj == ax && m.floor.Cmp(x) <= 0
}

// adjusted returns the adjusted exponent of x >= 0, the exponent of its
// leading digit, or math.MinInt for 0: for non-negative values, a larger
// adjusted exponent means a larger value.
func adjusted(x num.Dec) int {
	if x.IsZero() {
		return math.MinInt
	}
	return int(x.Exponent()) + x.Digits() - 1
}

// Maintenance sets z to the maintenance margin of a position of the given
// notional: notional*MMR - Cum of its tier.
//
// Errors: derivmath.ErrContext for a nil ctx, those of [Tiers.Lookup].
func (t *Tiers) Maintenance(ctx *apd.Context, z, notional *apd.Decimal) error {
	if t.Len() == 0 {
		return ErrNoTiers
	}
	c := num.In(ctx)
	x := c.Check(notional)
	l := &t.terms[t.find(c, x)]
	return num.Wrap("margin: tiers maintenance", c.Store(z, maintenance(c, x, l.mmr, l.cum)))
}

// CheckLeverage reports whether leverage is allowed for a position of the
// given notional: at least 1 and at most the MaxLeverage of its tier.
//
// Errors: those of [Tiers.Lookup], derivmath.CheckLeverage errors, and
// [ErrAboveMaxLeverage].
func (t *Tiers) CheckLeverage(notional, leverage *apd.Decimal) error {
	if t.Len() == 0 {
		return ErrNoTiers
	}
	c := num.In(recurrence)
	l := &t.terms[t.find(c, c.Check(notional))]
	c.FailIf(c.CheckLeverage(leverage).Cmp(l.maxLev) > 0, ErrAboveMaxLeverage)
	return c.Err
}

// The table on internal/num's values, for derivmath's packages (the
// liquidation solver), which look tiers up on loaded notionals. Callers
// outside derivmath cannot use these methods.

// TierDec returns tier i's Floor, MMR and Cum, for 0 <= i < t.Len(); it
// panics if i is out of range, like a slice. For derivmath's packages.
func (t *Tiers) TierDec(i int) (floor, mmr, cum num.Dec) {
	l := &t.terms[i]
	return l.floor, l.mmr, l.cum
}

// LimitDec returns the table's exclusive upper bound on notional and true,
// or false when it has none (a nil table has none). For derivmath's
// packages.
func (t *Tiers) LimitDec() (num.Dec, bool) {
	if t == nil || t.lim.IsZero() {
		return num.Dec{}, false
	}
	return t.lim, true
}
