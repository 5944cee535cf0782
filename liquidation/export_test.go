package liquidation

import (
	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/internal/num"
)

// RulePrice is Price solved on the tier path alone: every floor leg
// loaded with its rule and solved by iterate, as every tiered leg is.
func RulePrice(ctx *apd.Context, z *apd.Decimal, a *Account, r Rounding) (Status, error) {
	s := terms{keep: true}
	c := num.In(ctx)
	if err := s.oneShot(c, false, a, nil, needL); err != nil {
		return 0, err
	}
	nm, den := s.numL, s.denL
	if s.nt > 0 {
		nm, den = s.iterate(c, nm)
	}
	t := new(root)
	s.root(c, t, nm, den)
	t.ok = c.Err == nil
	return s.price(c, z, r, true, t)
}

// RuleLiquidatable is Liquidatable solved on the tier path alone: every
// tiered and floor leg in its tier at mark.
func RuleLiquidatable(ctx *apd.Context, a *Account, mark *apd.Decimal) (bool, error) {
	s := terms{keep: true}
	c := num.In(ctx)
	if err := s.oneShot(c, false, a, nil, needL); err != nil {
		return false, err
	}
	x := c.CheckPrice(mark)
	s.ratesAt(c, s.unit(c, x))
	nm, den := s.coefficients(c, s.numL)
	var t root
	s.root(c, &t, nm, den)
	if c.Err != nil {
		return false, num.Wrap("liquidation: liquidatable", c.Err)
	}
	return t.past(x), nil
}
