package contract

import "github.com/derivmath/derivmath/internal/num"

// The formulas of this package on internal/num's values, for derivmath's
// packages (margin, funding, liquidation), which compute on loaded values
// and must not write the formulas again. Callers outside derivmath cannot
// use them. They do not validate their operands.

// LoadMultiplier checks what every computation of s reads, the kind and the
// multiplier, recording [ErrKind] or [ErrMultiplier] in c, and returns the
// multiplier loaded, for [Spec.ValueOf].
func (s *Spec) LoadMultiplier(c *num.Ctx) num.Dec { return s.multiplier(c) }

// ValueOf returns the value of |qty| contracts at price, the formula of
// [Spec.Value]: |qty|*m*price, or |qty|*m/price for Inverse, with m from
// [Spec.LoadMultiplier].
func (s *Spec) ValueOf(c *num.Ctx, m, qty, price num.Dec) num.Dec {
	return s.ValueAt(c, SizeOf(c, m, qty), price)
}

// SizeOf returns |qty|*m, the first step of [Spec.ValueOf], for a value
// taken at many prices with [Spec.ValueAt].
func SizeOf(c *num.Ctx, m, qty num.Dec) num.Dec { return c.Mul(qty, m).Abs() }

// ValueAt returns the value at price of contracts of size n (from
// [SizeOf]), the second step of [Spec.ValueOf]: n*price, or n/price for
// Inverse.
func (s *Spec) ValueAt(c *num.Ctx, n, price num.Dec) num.Dec {
	if s.Kind == Inverse {
		return c.Quo(n, price)
	}
	return c.Mul(n, price)
}
