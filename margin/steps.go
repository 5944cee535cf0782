package margin

import (
	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/internal/num"
)

// Steps is a stepped risk-limit schedule, in the shape BitMEX publishes: a
// position worth up to BaseRiskLimit pays the base rates, and every Step of
// value above it (or part of one) adds BaseMM to both rates:
//
//	steps = max(0, ceil((value - BaseRiskLimit)/Step))
//	MMR   = BaseMM*(1 + steps)
//	IMR   = BaseIM + steps*BaseMM
//
// (BitMEX risk limits page: base 200 XBT, step 150 XBT, MM 0.5%, IM 1%
// gives 0.5%/1% below 200 XBT, 1%/1.5% up to 350, 1.5%/2% up to 500.)
// Value, BaseRiskLimit, Step and Limit are in the settlement currency
// (XBT for XBTUSD); the rates are fractions.
//
// The rate applies to the whole position, with no maintenance amount: unlike
// [Tiers], maintenance margin jumps at each step edge, as BitMEX's does. A
// value exactly on an edge, BaseRiskLimit + k*Step, takes k steps (the
// formula's ceiling); the published table writes its bounds as "< 350",
// which would put 350 itself one step higher. This package follows the
// formula.
//
// Every method validates the schedule (see [Steps.Validate]) before using
// it.
type Steps struct {
	// BaseRiskLimit is the largest value that pays the base rates. It must
	// not be negative.
	BaseRiskLimit apd.Decimal
	// Step is the width of each step above BaseRiskLimit. It must be
	// positive.
	Step apd.Decimal
	// BaseMM is the base maintenance rate, in (0, 1), and the amount both
	// rates rise by at each step.
	BaseMM apd.Decimal
	// BaseIM is the base initial rate, in [BaseMM, 1].
	BaseIM apd.Decimal
	// Limit, when not zero, is the largest value allowed (the account's
	// risk limit, inclusive). It must not lie below BaseRiskLimit. Zero
	// means no limit other than an initial rate of at most 1.
	Limit apd.Decimal
}

// Equal reports whether s and t hold numerically equal fields.
func (s *Steps) Equal(t *Steps) bool {
	return s.BaseRiskLimit.Cmp(&t.BaseRiskLimit) == 0 && s.Step.Cmp(&t.Step) == 0 &&
		s.BaseMM.Cmp(&t.BaseMM) == 0 && s.BaseIM.Cmp(&t.BaseIM) == 0 &&
		s.Limit.Cmp(&t.Limit) == 0
}

// Validate reports whether s is a usable schedule: BaseRiskLimit >= 0,
// Step > 0, 0 < BaseMM < 1, BaseMM <= BaseIM <= 1, and Limit zero or at
// least BaseRiskLimit.
//
// Errors: derivmath.CheckDecimal errors, [ErrRiskLimit], derivmath.ErrRate.
func (s *Steps) Validate() error {
	c := num.In(&apd.BaseContext)
	s.load(c)
	return c.Err
}

// stepTerms are a Steps schedule's fields, loaded.
type stepTerms struct{ base, step, mm, im, limit num.Dec }

// load validates s and returns its fields loaded, recording an error in c.
func (s *Steps) load(c *num.Ctx) stepTerms {
	l := stepTerms{c.Check(&s.BaseRiskLimit), c.Check(&s.Step), c.Check(&s.BaseMM), c.Check(&s.BaseIM), c.Check(&s.Limit)}
	c.FailIf(l.base.IsNeg() || l.step.Sign() <= 0 || l.limit.IsNeg() ||
		!l.limit.IsZero() && l.limit.Cmp(l.base) < 0, ErrRiskLimit)
	c.FailIf(l.mm.Sign() <= 0 || !l.mm.BelowOne() ||
		l.im.Cmp(l.mm) < 0 || l.im.Cmp(num.One) > 0, derivmath.ErrRate)
	return l
}

// Count sets z to the number of steps a position worth value is above the
// base risk limit: max(0, ceil((value - BaseRiskLimit)/Step)), exactly.
//
// Errors: derivmath.ErrContext for a nil ctx, those of [Steps.Validate],
// derivmath.CheckDecimal errors, [ErrNotional] for a negative value, a
// [*TierError] for a value above Limit or whose initial rate would exceed 1,
// and derivmath.ErrRange when the count, or value - BaseRiskLimit, needs
// more digits than ctx's precision (with Inexact trapped, the latter is
// apd's Inexact, wrapped, as the package documentation of derivmath says
// of trapped conditions).
func (s *Steps) Count(ctx *apd.Context, z, value *apd.Decimal) error {
	c := num.In(ctx)
	_, n, _, _ := s.rates(c, value)
	return num.Wrap("margin: steps count", c.Store(z, n))
}

// MMR sets z to the maintenance rate of a position worth value: BaseMM*(1 +
// steps).
//
// Errors: derivmath.ErrContext for a nil ctx, those of [Steps.Count].
func (s *Steps) MMR(ctx *apd.Context, z, value *apd.Decimal) error {
	c := num.In(ctx)
	_, _, mmr, _ := s.rates(c, value)
	return num.Wrap("margin: steps mmr", c.Store(z, mmr))
}

// IMR sets z to the initial rate of a position worth value: BaseIM +
// steps*BaseMM. The largest leverage allowed is 1/IMR.
//
// Errors: derivmath.ErrContext for a nil ctx, those of [Steps.Count].
func (s *Steps) IMR(ctx *apd.Context, z, value *apd.Decimal) error {
	c := num.In(ctx)
	_, _, _, imr := s.rates(c, value)
	return num.Wrap("margin: steps imr", c.Store(z, imr))
}

// Maintenance sets z to the maintenance margin of a position worth value:
// value*MMR (180 XBT at 0.5% is 0.9 XBT).
//
// Errors: derivmath.ErrContext for a nil ctx, those of [Steps.Count].
func (s *Steps) Maintenance(ctx *apd.Context, z, value *apd.Decimal) error {
	c := num.In(ctx)
	v, _, mmr, _ := s.rates(c, value)
	return num.Wrap("margin: steps maintenance", c.Store(z, c.Mul(v, mmr)))
}

// Initial sets z to the initial margin the schedule requires of a position
// worth value: value*IMR, the margin at the largest leverage the step
// allows.
//
// Errors: derivmath.ErrContext for a nil ctx, those of [Steps.Maintenance].
func (s *Steps) Initial(ctx *apd.Context, z, value *apd.Decimal) error {
	c := num.In(ctx)
	v, _, _, imr := s.rates(c, value)
	return num.Wrap("margin: steps initial", c.Store(z, c.Mul(v, imr)))
}

// CheckLeverage reports whether leverage is allowed for a position worth
// value: at least 1 and at most 1/IMR, tested exactly as leverage*IMR <= 1.
//
// Errors: derivmath.ErrContext for a nil ctx, those of [Steps.Count],
// derivmath.CheckLeverage errors, [ErrAboveMaxLeverage], and
// derivmath.ErrRange when leverage*IMR needs more digits than ctx's
// precision.
func (s *Steps) CheckLeverage(ctx *apd.Context, value, leverage *apd.Decimal) error {
	c := num.In(ctx)
	_, _, _, imr := s.rates(c, value)
	l := c.CheckLeverage(leverage)
	c.FailIf(c.MulExact(imr, l).Cmp(num.One) > 0, ErrAboveMaxLeverage)
	return num.Wrap("margin: steps check leverage", c.Err)
}

// rates validates s and value and returns value loaded, the step count n
// and the rates, every step exact.
func (s *Steps) rates(c *num.Ctx, value *apd.Decimal) (v, n, mmr, imr num.Dec) {
	l := s.load(c)
	v = loadNotional(c, value)
	if c.Err != nil {
		return v, n, mmr, imr
	}
	if !l.limit.IsZero() && v.Cmp(l.limit) > 0 {
		c.Fail(tierError(v))
		return v, n, mmr, imr
	}
	if v.Cmp(l.base) > 0 {
		n = ceilQuo(c, c.SubExact(v, l.base), l.step)
	}
	imr = c.MulExact(n, l.mm)
	mmr = c.AddExact(imr, l.mm)
	imr = c.AddExact(imr, l.im)
	if c.Err == nil && imr.Cmp(num.One) > 0 {
		c.Fail(tierError(v))
	}
	return v, n, mmr, imr
}

// ceilQuo returns ceil(x/y) for x, y > 0, exactly: the integer part of the
// quotient, plus one unless the division is exact. It records
// derivmath.ErrRange when the count needs more digits than the precision.
func ceilQuo(c *num.Ctx, x, y num.Dec) num.Dec {
	q, r := c.QuoInt(x, y)
	if r.IsZero() {
		return q
	}
	return c.AddExact(q, num.One)
}

// tierError returns a *TierError for notional x.
func tierError(x num.Dec) error {
	e := &TierError{}
	x.Store(&e.Notional)
	return e
}
