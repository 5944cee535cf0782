package margin

import (
	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/internal/num"
)

// SizeLinear is a schedule whose rates grow linearly with the size of the
// position, in the shape Deribit publishes for its linear perpetuals:
//
//	IMR = BaseIM + size*IMSlope
//	MMR = BaseMM + size*MMSlope
//
// where size is the absolute position size in the base coin (BTC for BTC
// contracts), not its value. Deribit BTC: BaseIM 2%, BaseMM 1%, both slopes
// 0.005% per BTC ([DeribitBTC]); a 25 BTC position needs IMR 2.125% and MMR
// 1.125%, so at 100,000 USDC its initial margin is 53,125 and its
// maintenance margin 28,125 (Deribit's linear perpetual article).
//
// Every method validates the schedule (see [SizeLinear.Validate]).
type SizeLinear struct {
	// BaseIM is the initial rate of a position of size 0, in (0, 1].
	BaseIM apd.Decimal
	// BaseMM is the maintenance rate of a position of size 0, in (0, 1)
	// and at most BaseIM.
	BaseMM apd.Decimal
	// IMSlope is the increase of IMR per unit of size, at least 0.
	IMSlope apd.Decimal
	// MMSlope is the increase of MMR per unit of size, at least 0.
	MMSlope apd.Decimal
}

// Equal reports whether s and t hold numerically equal fields.
func (s *SizeLinear) Equal(t *SizeLinear) bool {
	return s.BaseIM.Cmp(&t.BaseIM) == 0 && s.BaseMM.Cmp(&t.BaseMM) == 0 &&
		s.IMSlope.Cmp(&t.IMSlope) == 0 && s.MMSlope.Cmp(&t.MMSlope) == 0
}

// Validate reports whether s is a usable schedule: 0 < BaseMM < 1,
// BaseMM <= BaseIM <= 1, and slopes of zero or more.
//
// Errors: derivmath.CheckDecimal errors, derivmath.ErrRate.
func (s *SizeLinear) Validate() error {
	c := num.In(&apd.BaseContext)
	s.load(c)
	return c.Err
}

// sizeTerms are a SizeLinear schedule's fields, loaded.
type sizeTerms struct{ im, mm, imSlope, mmSlope num.Dec }

// load validates s and returns its fields loaded, recording an error in c.
func (s *SizeLinear) load(c *num.Ctx) sizeTerms {
	l := sizeTerms{c.Check(&s.BaseIM), c.Check(&s.BaseMM), c.Check(&s.IMSlope), c.Check(&s.MMSlope)}
	c.FailIf(l.mm.Sign() <= 0 || !l.mm.BelowOne() || l.im.Cmp(l.mm) < 0 || l.im.Cmp(num.One) > 0 ||
		l.imSlope.IsNeg() || l.mmSlope.IsNeg(), derivmath.ErrRate)
	return l
}

// IMR sets z to the initial rate of a position of size (in the base coin;
// the sign, the side, is ignored): BaseIM + |size|*IMSlope.
//
// Errors: derivmath.ErrContext for a nil ctx, those of [SizeLinear.Validate],
// derivmath.CheckDecimal errors, and a [*TierError] (holding the size) when
// the initial rate would exceed 1 or the maintenance rate reach 1.
func (s *SizeLinear) IMR(ctx *apd.Context, z, size *apd.Decimal) error {
	c := num.In(ctx)
	imr, _ := s.rates(c, size)
	return num.Wrap("margin: size-linear imr", c.Store(z, imr))
}

// MMR sets z to the maintenance rate of a position of size: BaseMM +
// |size|*MMSlope.
//
// Errors: derivmath.ErrContext for a nil ctx, those of [SizeLinear.IMR].
func (s *SizeLinear) MMR(ctx *apd.Context, z, size *apd.Decimal) error {
	c := num.In(ctx)
	_, mmr := s.rates(c, size)
	return num.Wrap("margin: size-linear mmr", c.Store(z, mmr))
}

// Initial sets z to the initial margin of a position of size worth value (in
// the settlement currency; for a linear contract size*price): value*IMR.
//
// Errors: derivmath.ErrContext for a nil ctx, those of [SizeLinear.IMR],
// [ErrNotional] for a negative value.
func (s *SizeLinear) Initial(ctx *apd.Context, z, size, value *apd.Decimal) error {
	c := num.In(ctx)
	imr, _ := s.rates(c, size)
	v := loadNotional(c, value)
	return num.Wrap("margin: size-linear initial", c.Store(z, c.Mul(v, imr)))
}

// Maintenance sets z to the maintenance margin of a position of size worth
// value: value*MMR.
//
// Errors: derivmath.ErrContext for a nil ctx, those of [SizeLinear.Initial].
func (s *SizeLinear) Maintenance(ctx *apd.Context, z, size, value *apd.Decimal) error {
	c := num.In(ctx)
	_, mmr := s.rates(c, size)
	v := loadNotional(c, value)
	return num.Wrap("margin: size-linear maintenance", c.Store(z, c.Mul(v, mmr)))
}

// rates validates s and size and returns the rates at size.
func (s *SizeLinear) rates(c *num.Ctx, size *apd.Decimal) (imr, mmr num.Dec) {
	l := s.load(c)
	n := c.Check(size).Abs()
	imr = c.Add(c.Mul(n, l.imSlope), l.im)
	mmr = c.Add(c.Mul(n, l.mmSlope), l.mm)
	if c.Err == nil && (imr.Cmp(num.One) > 0 || !mmr.BelowOne()) {
		c.Fail(tierError(n))
	}
	return imr, mmr
}
