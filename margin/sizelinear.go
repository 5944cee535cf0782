package margin

import (
	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
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
// Because the rates depend on size and not on price, a position's MMR does
// not change with the mark: a liquidation solver can fix it once.
//
// Every method validates the schedule (see [SizeLinear.Validate]). A
// SizeLinear holds decimals: pass it by pointer and do not copy it after
// first use.
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
// Errors: derivmath.CheckDecimal errors, [ErrRate].
func (s *SizeLinear) Validate() error {
	for _, d := range [...]*apd.Decimal{&s.BaseIM, &s.BaseMM, &s.IMSlope, &s.MMSlope} {
		if err := derivmath.CheckDecimal(d); err != nil {
			return err
		}
	}
	if s.BaseMM.Sign() <= 0 || cmp(&s.BaseMM, &one) >= 0 ||
		cmp(&s.BaseIM, &s.BaseMM) < 0 || cmp(&s.BaseIM, &one) > 0 ||
		s.IMSlope.Negative || s.MMSlope.Negative {
		return ErrRate
	}
	return nil
}

// IMR sets z to the initial rate of a position of size (in the base coin;
// the sign, the side, is ignored): BaseIM + |size|*IMSlope. z may alias
// size.
//
// Errors: those of [SizeLinear.Validate], derivmath.CheckDecimal errors, and
// a [*TierError] (holding the size) when the initial rate would exceed 1 or
// the maintenance rate reach 1.
func (s *SizeLinear) IMR(ctx *apd.Context, z, size *apd.Decimal) error {
	var imr, mmr apd.Decimal
	if err := s.rates(ctx, &imr, &mmr, size); err != nil {
		return err
	}
	z.Set(&imr)
	return nil
}

// MMR sets z to the maintenance rate of a position of size:
// BaseMM + |size|*MMSlope. z may alias size.
//
// Errors: those of [SizeLinear.IMR].
func (s *SizeLinear) MMR(ctx *apd.Context, z, size *apd.Decimal) error {
	var imr, mmr apd.Decimal
	if err := s.rates(ctx, &imr, &mmr, size); err != nil {
		return err
	}
	z.Set(&mmr)
	return nil
}

// Initial sets z to the initial margin of a position of size worth value
// (in the settlement currency; for a linear contract size*price): value*IMR.
// z may alias size or value.
//
// Errors: those of [SizeLinear.IMR], and [ErrNotional] for a negative
// value.
func (s *SizeLinear) Initial(ctx *apd.Context, z, size, value *apd.Decimal) error {
	var imr, mmr apd.Decimal
	if err := s.rates(ctx, &imr, &mmr, size); err != nil {
		return err
	}
	if err := checkNotional(value); err != nil {
		return err
	}
	err := mul(ctx, z, value, &imr)
	return wrap("size-linear initial", err)
}

// Maintenance sets z to the maintenance margin of a position of size worth
// value: value*MMR. z may alias size or value.
//
// Errors: those of [SizeLinear.Initial].
func (s *SizeLinear) Maintenance(ctx *apd.Context, z, size, value *apd.Decimal) error {
	var imr, mmr apd.Decimal
	if err := s.rates(ctx, &imr, &mmr, size); err != nil {
		return err
	}
	if err := checkNotional(value); err != nil {
		return err
	}
	err := mul(ctx, z, value, &mmr)
	return wrap("size-linear maintenance", err)
}

// rates validates s and size and sets imr and mmr (the caller's locals).
func (s *SizeLinear) rates(ctx *apd.Context, imr, mmr, size *apd.Decimal) error {
	if err := s.Validate(); err != nil {
		return err
	}
	if err := derivmath.CheckDecimal(size); err != nil {
		return err
	}
	var n apd.Decimal
	n.Abs(size)
	if err := mul(ctx, imr, &n, &s.IMSlope); err != nil {
		return wrap("size-linear rates", err)
	}
	if err := add(ctx, imr, imr, &s.BaseIM); err != nil {
		return wrap("size-linear rates", err)
	}
	if err := mul(ctx, mmr, &n, &s.MMSlope); err != nil {
		return wrap("size-linear rates", err)
	}
	if err := add(ctx, mmr, mmr, &s.BaseMM); err != nil {
		return wrap("size-linear rates", err)
	}
	if cmp(imr, &one) > 0 || cmp(mmr, &one) >= 0 {
		return tierError(&n)
	}
	return nil
}
