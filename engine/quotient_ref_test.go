package engine

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/dectest"
	"pgregory.net/rapid"
)

// The state's quotients as they were written on apd's operations before
// they moved to internal/num, kept as the reference of
// TestQuotientsMatchApd.

func refRemainderCost(s *State, z, c0, q1, q0 *apd.Decimal) error {
	if _, err := s.ctx.Mul(z, c0, q1); err != nil {
		return err
	}
	if _, err := s.ctx.Quo(z, z, q0); err != nil {
		return err
	}
	return s.round(z, z, derivmath.HalfUp)
}

func refQtyAt(s *State, z, value *apd.Decimal) error {
	var u apd.Decimal
	if s.spec.Kind == contract.Inverse {
		if _, err := s.ctx.Mul(&u, value, &s.mark); err != nil {
			return err
		}
	} else if _, err := s.ctx.Quo(&u, value, &s.mark); err != nil {
		return err
	}
	if _, err := s.ctx.Quo(&u, &u, &s.spec.Multiplier); err != nil {
		return err
	}
	return derivmath.Round(&s.ctx, z, &u, &s.spec.Lot, derivmath.Down)
}

func refReserveAt(s *State, z, res0, q, qty0 *apd.Decimal) error {
	var a apd.Decimal
	a.Abs(q)
	c := a.Cmp(qty0)
	if res0.IsZero() || qty0.IsZero() || c == 0 {
		z.Set(res0)
		return nil
	}
	if a.IsZero() {
		z.SetInt64(0)
		return nil
	}
	exact, up := apd.BaseContext, s.ctx
	up.Rounding = apd.RoundCeiling
	if _, err := exact.Mul(z, res0, &a); err != nil {
		return err
	}
	if _, err := up.Quo(z, z, qty0); err != nil {
		return err
	}
	if err := derivmath.Round(&up, z, z, &s.spec.Minor, derivmath.Ceiling); err != nil {
		return err
	}
	if c < 0 && z.Cmp(res0) > 0 {
		z.Set(res0)
	}
	return nil
}

// TestQuotientsMatchApd: the state's quotients on internal/num (the cost
// of what remains of a position, a quantity at a value, a fee reserve at
// a new size) give what their apd code gave, in the default context and
// any other (dectest.AnyContext), on the finite operands a state holds:
// the same result to the representation, or the same error.
func TestQuotientsMatchApd(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := derivmath.NewContext()
		if rapid.Bool().Draw(t, "anyCtx") {
			ctx = dectest.AnyContext(t)
		}
		var x [4]*apd.Decimal
		for i := range x {
			x[i] = finiteOperand(t, "x")
		}
		positive := func(label string) *apd.Decimal {
			z := finiteOperand(t, label)
			z.Negative = false
			if z.IsZero() {
				z.SetInt64(1)
			}
			return z
		}
		s := &State{ctx: *ctx, spec: &contract.Spec{}}
		s.spec.Kind = rapid.SampledFrom([]contract.Kind{contract.Linear, contract.Inverse, contract.Quanto}).Draw(t, "kind")
		s.spec.Minor.Set(dectest.D(rapid.SampledFrom([]string{"1E-8", "0.000001", "0.01", "1E-14"}).Draw(t, "minor")))
		s.spec.Lot.Set(dectest.D(rapid.SampledFrom([]string{"1", "0.001", "100", "1E-8"}).Draw(t, "lot")))
		s.spec.Multiplier.Set(positive("multiplier"))
		s.mark.Set(positive("mark"))
		q0 := positive("q0")
		ops := []struct {
			name     string
			got, ref func(z *apd.Decimal) error
		}{
			{
				"remainderCost",
				func(z *apd.Decimal) error { return s.remainderCost(z, x[0], x[1], q0) },
				func(z *apd.Decimal) error { return refRemainderCost(s, z, x[0], x[1], q0) },
			},
			{
				"qtyAt",
				func(z *apd.Decimal) error { return s.qtyAt(z, x[2]) },
				func(z *apd.Decimal) error { return refQtyAt(s, z, x[2]) },
			},
			{
				"reserveAt",
				func(z *apd.Decimal) error {
					tr := &Trader{}
					tr.res0.Abs(x[3])
					tr.qty0.Set(q0)
					return s.reserveAt(z, tr, x[1])
				},
				func(z *apd.Decimal) error { return refReserveAt(s, z, new(apd.Decimal).Abs(x[3]), x[1], q0) },
			},
		}
		for _, op := range ops {
			var z, zr apd.Decimal
			err := op.got(&z)
			errRef := op.ref(&zr)
			if err != nil {
				z.Set(&zr) // a failed call's z is not compared
			}
			if !sameResult(&z, &zr, err, errRef) {
				t.Fatalf("%s(%v, q0 %s, mark %s, multiplier %s) = %s (exp %d), error %v; apd gave %s (exp %d), error %v (ctx %d digits, %q)",
					op.name, x, q0, &s.mark, &s.spec.Multiplier, &z, z.Exponent, err, &zr, zr.Exponent, errRef, ctx.Precision, ctx.Rounding)
			}
		}
	})
}

// finiteOperand is refOperand without its NaNs and infinities.
func finiteOperand(t *rapid.T, label string) *apd.Decimal {
	z := refOperand(t, label)
	if z.Form != apd.Finite {
		z.SetInt64(0)
	}
	return z
}
