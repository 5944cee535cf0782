package margin

import (
	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
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
// it. A Steps holds decimals: pass it by pointer and do not copy it after
// first use.
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
// Errors: derivmath.CheckDecimal errors, [ErrRiskLimit], [ErrRate].
func (s *Steps) Validate() error {
	for _, d := range [...]*apd.Decimal{&s.BaseRiskLimit, &s.Step, &s.BaseMM, &s.BaseIM, &s.Limit} {
		if err := derivmath.CheckDecimal(d); err != nil {
			return err
		}
	}
	if s.BaseRiskLimit.Negative || s.Step.Sign() <= 0 || s.Limit.Negative {
		return ErrRiskLimit
	}
	if !s.Limit.IsZero() && cmp(&s.Limit, &s.BaseRiskLimit) < 0 {
		return ErrRiskLimit
	}
	if s.BaseMM.Sign() <= 0 || cmp(&s.BaseMM, &one) >= 0 {
		return ErrRate
	}
	if cmp(&s.BaseIM, &s.BaseMM) < 0 || cmp(&s.BaseIM, &one) > 0 {
		return ErrRate
	}
	return nil
}

// Count sets z to the number of steps a position worth value is above the
// base risk limit: max(0, ceil((value - BaseRiskLimit)/Step)), exactly. z
// may alias value.
//
// Errors: those of [Steps.Validate], derivmath.CheckDecimal errors,
// [ErrNotional] for a negative value, a [*TierError] for a value above
// Limit or whose initial rate would exceed 1, and derivmath.ErrRange when
// the count needs more than ctx's precision.
func (s *Steps) Count(ctx *apd.Context, z, value *apd.Decimal) error {
	var n, mmr, imr apd.Decimal
	if err := s.rates(ctx, &n, &mmr, &imr, value); err != nil {
		return err
	}
	z.Set(&n)
	return nil
}

// MMR sets z to the maintenance rate of a position worth value:
// BaseMM*(1 + steps). z may alias value.
//
// Errors: those of [Steps.Count].
func (s *Steps) MMR(ctx *apd.Context, z, value *apd.Decimal) error {
	var n, mmr, imr apd.Decimal
	if err := s.rates(ctx, &n, &mmr, &imr, value); err != nil {
		return err
	}
	z.Set(&mmr)
	return nil
}

// IMR sets z to the initial rate of a position worth value:
// BaseIM + steps*BaseMM. The largest leverage allowed is 1/IMR. z may
// alias value.
//
// Errors: those of [Steps.Count].
func (s *Steps) IMR(ctx *apd.Context, z, value *apd.Decimal) error {
	var n, mmr, imr apd.Decimal
	if err := s.rates(ctx, &n, &mmr, &imr, value); err != nil {
		return err
	}
	z.Set(&imr)
	return nil
}

// Maintenance sets z to the maintenance margin of a position worth value:
// value*MMR (180 XBT at 0.5% is 0.9 XBT). z may alias value.
//
// Errors: those of [Steps.Count].
func (s *Steps) Maintenance(ctx *apd.Context, z, value *apd.Decimal) error {
	var n, mmr, imr apd.Decimal
	if err := s.rates(ctx, &n, &mmr, &imr, value); err != nil {
		return err
	}
	err := mul(ctx, z, value, &mmr)
	return wrap("steps maintenance", err)
}

// Initial sets z to the initial margin the schedule requires of a position
// worth value: value*IMR, the margin at the largest leverage the step
// allows. z may alias value.
//
// Errors: those of [Steps.Count].
func (s *Steps) Initial(ctx *apd.Context, z, value *apd.Decimal) error {
	var n, mmr, imr apd.Decimal
	if err := s.rates(ctx, &n, &mmr, &imr, value); err != nil {
		return err
	}
	err := mul(ctx, z, value, &imr)
	return wrap("steps initial", err)
}

// CheckLeverage reports whether leverage is allowed for a position worth
// value: at least 1 and at most 1/IMR, tested exactly as leverage*IMR <= 1.
//
// Errors: those of [Steps.Count], derivmath.CheckLeverage errors,
// [ErrAboveMaxLeverage], and derivmath.ErrRange when leverage*IMR needs more
// digits than ctx's precision.
func (s *Steps) CheckLeverage(ctx *apd.Context, value, leverage *apd.Decimal) error {
	var n, mmr, imr apd.Decimal
	if err := s.rates(ctx, &n, &mmr, &imr, value); err != nil {
		return err
	}
	if err := derivmath.CheckLeverage(leverage); err != nil {
		return err
	}
	if err := mulExact(ctx, &imr, &imr, leverage); err != nil {
		return err
	}
	if cmp(&imr, &one) > 0 {
		return ErrAboveMaxLeverage
	}
	return nil
}

// rates validates s and value and sets n, mmr and imr. It does not write
// to value, which may alias nothing it writes: n, mmr and imr are the
// caller's locals.
func (s *Steps) rates(ctx *apd.Context, n, mmr, imr, value *apd.Decimal) error {
	if err := s.Validate(); err != nil {
		return err
	}
	if err := checkNotional(value); err != nil {
		return err
	}
	if !s.Limit.IsZero() && cmp(value, &s.Limit) > 0 {
		return tierError(value)
	}
	n.SetInt64(0)
	if cmp(value, &s.BaseRiskLimit) > 0 {
		var over apd.Decimal
		if err := subExact(ctx, &over, value, &s.BaseRiskLimit); err != nil {
			return err
		}
		if err := ceilQuo(ctx, n, &over, &s.Step); err != nil {
			return err
		}
	}
	if err := mulExact(ctx, imr, n, &s.BaseMM); err != nil {
		return err
	}
	if err := addExact(ctx, mmr, imr, &s.BaseMM); err != nil {
		return err
	}
	if err := addExact(ctx, imr, imr, &s.BaseIM); err != nil {
		return err
	}
	if cmp(imr, &one) > 0 {
		return tierError(value)
	}
	return nil
}

// ceilQuo sets n = ceil(x/y) exactly, for x, y > 0.
//
// The quotient rounded to the precision, q, lies within half a unit of its
// last digit of x/y, so ceil(q) is ceil(x/y) or, when x/y lies just above
// an integer and q rounded down onto it, one less; the product n*y settles
// which, exactly. A quotient whose ceiling does not fit in 19 digits goes to
// apd's integer division.
func ceilQuo(ctx *apd.Context, n, x, y *apd.Decimal) error {
	var q, m apd.Decimal
	if err := quo(ctx, &q, x, y); err != nil {
		return wrap("steps", err)
	}
	if !ceilWhole(n, &q) {
		// The truncated quotient, plus one unless it divides exactly.
		if res, err := ctx.QuoInteger(n, x, y); err != nil {
			if res&apd.DivisionImpossible != 0 {
				return derivmath.ErrRange // more steps than the precision holds
			}
			return wrap("steps", err)
		}
	}
	if err := mulExact(ctx, &m, n, y); err != nil {
		return err
	}
	if cmp(&m, x) < 0 {
		return addExact(ctx, n, n, &one)
	}
	return nil
}

// tierError returns a *TierError for notional.
func tierError(notional *apd.Decimal) error {
	e := &TierError{}
	e.Notional.Set(notional)
	return e
}
