package contract

import "github.com/derivmath/derivmath/internal/num"

// The formulas of this package on internal/num's values, for derivmath's
// packages (margin, liquidation), which compute on loaded values and must
// not write the formulas again. Callers outside derivmath cannot use them.

// LoadMultiplier checks what every computation of s reads, the kind and the
// multiplier, recording [ErrKind] or [ErrMultiplier] in c, and returns the
// multiplier loaded, for [Spec.ValueOf]. For derivmath's packages.
func (s *Spec) LoadMultiplier(c *num.Ctx) num.Dec { return s.multiplier(c) }

// ValueOf returns the value of |qty| contracts at price, the formula of
// [Spec.Value]: |qty|*m*price, or |qty|*m/price for Inverse, with m from
// [Spec.LoadMultiplier]. It does not validate its operands. For
// derivmath's packages.
func (s *Spec) ValueOf(c *num.Ctx, m, qty, price num.Dec) num.Dec { return s.value(c, m, qty, price) }

// SizeOf returns |qty|*m, the first step of [Spec.ValueOf], for a value
// taken at many prices with [Spec.ValueAt]. For derivmath's packages.
func SizeOf(c *num.Ctx, m, qty num.Dec) num.Dec { return size(c, m, qty) }

// ValueAt returns the value at price of contracts of size n (from
// [SizeOf]): ValueAt(c, SizeOf(c, m, qty), price) is ValueOf(c, m, qty,
// price), digit for digit. It does not validate its operands. For
// derivmath's packages.
func (s *Spec) ValueAt(c *num.Ctx, n, price num.Dec) num.Dec { return s.valueAt(c, n, price) }
