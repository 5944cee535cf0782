package engine_test

import (
	"errors"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/engine"
	"github.com/derivmath/derivmath/internal/dectest"
	"pgregory.net/rapid"
)

// ctxModel recomputes a formula of formula.go from its godoc with apd's
// operations in the context under test, as the package doc promises every
// intermediate result is; the first failure is kept.
type ctxModel struct {
	ctx *apd.Context
	err error
}

func (m *ctxModel) op(f func(c *apd.Context, z, x, y *apd.Decimal) (apd.Condition, error), x, y *apd.Decimal) *apd.Decimal {
	z := new(apd.Decimal)
	if m.err == nil {
		if _, err := f(m.ctx, z, x, y); err != nil {
			m.err = err
		}
	}
	return z
}

func (m *ctxModel) add(x, y *apd.Decimal) *apd.Decimal { return m.op((*apd.Context).Add, x, y) }
func (m *ctxModel) sub(x, y *apd.Decimal) *apd.Decimal { return m.op((*apd.Context).Sub, x, y) }
func (m *ctxModel) mul(x, y *apd.Decimal) *apd.Decimal { return m.op((*apd.Context).Mul, x, y) }
func (m *ctxModel) quo(x, y *apd.Decimal) *apd.Decimal { return m.op((*apd.Context).Quo, x, y) }

// floor is derivmath.Round of x down to the minor unit, in the context.
func (m *ctxModel) floor(x, minor *apd.Decimal) *apd.Decimal {
	z := new(apd.Decimal)
	if m.err == nil {
		y := new(apd.Decimal).Set(x)
		if y.IsZero() {
			y.Negative = false
		}
		m.err = derivmath.Round(m.ctx, z, y, minor, derivmath.Floor)
	}
	return z
}

func (m *ctxModel) fail(err error) *apd.Decimal {
	if m.err == nil {
		m.err = err
	}
	return new(apd.Decimal)
}

// gate is the result gate (a zero as 0; trailing zeros dropped only to
// fit); reduced writes the result without trailing zeros first, as the
// formulas that end in a division or a product do.
func (m *ctxModel) gate(x *apd.Decimal, reduced bool) (*apd.Decimal, error) {
	if m.err != nil {
		return nil, m.err
	}
	z := new(apd.Decimal).Set(x)
	if reduced {
		z.Reduce(z)
	}
	if z.IsZero() {
		z.SetInt64(0)
	}
	if derivmath.CheckDecimal(z) != nil {
		z.Reduce(z)
		if derivmath.CheckDecimal(z) != nil {
			return nil, derivmath.ErrRange
		}
	}
	return z, nil
}

// sameErr reports whether err is the model's: both nil, the same sentinel,
// or the same apd condition wrapped with the formula's name.
func sameErr(err, model error) bool {
	if err == nil || model == nil {
		return err == nil && model == nil
	}
	if errors.Unwrap(model) == nil && errors.Is(err, model) {
		return true
	}
	u := errors.Unwrap(err)
	return u != nil && u.Error() == model.Error()
}

// signed draws a decimal of up to 18 digits and 8 places, zero now and
// then, negative when neg.
func signed(t *rapid.T, label string, neg bool) *apd.Decimal {
	var z apd.Decimal
	if rapid.IntRange(0, 9).Draw(t, label+"Zero") != 0 {
		z.SetFinite(rapid.Int64Range(1, 999_999_999_999_999_999).Draw(t, label), -rapid.Int32Range(-2, 8).Draw(t, label+"Scale"))
	}
	z.Negative = neg && !z.IsZero() && rapid.Bool().Draw(t, label+"Neg")
	return &z
}

// fraction draws a rate in [0, 1) of up to 12 places.
func fraction(t *rapid.T, label string) *apd.Decimal {
	var z apd.Decimal
	z.SetFinite(rapid.Int64Range(0, 999_999_999_999).Draw(t, label), -12)
	return &z
}

// TestPropAnyContext: in any context (dectest.AnyContext: 1 to 50 digits,
// every rounding, Inexact trapped now and then), every formula of
// formula.go gives what its godoc's formula gives with apd's operations
// in that context, to the representation, after the result gate; or the
// same error, with z unchanged. ScoreOKX, a single operation, is also
// checked against its exact value rounded once. The default-context
// oracle properties (TestOracle*) check the formulas' values.
func TestPropAnyContext(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := dectest.AnyContext(t)
		a, b, c := signed(t, "a", true), signed(t, "b", true), signed(t, "c", true)
		p, q := signed(t, "p", false), signed(t, "q", false)
		if p.IsZero() {
			p.SetInt64(1)
		}
		if q.IsZero() {
			q.SetInt64(3)
		}
		r1, r2, r3 := fraction(t, "r1"), fraction(t, "r2"), fraction(t, "r3")
		minor := minorUnit(t)
		tier := rapid.IntRange(1, 4).Draw(t, "tier")
		floor := rapid.Bool().Draw(t, "floor")
		one := apd.New(1, 0)
		abs := func(x *apd.Decimal) *apd.Decimal { return new(apd.Decimal).Abs(x) }

		formulas := []struct {
			name    string
			reduced bool
			fn      func(z *apd.Decimal) error
			model   func(m *ctxModel) *apd.Decimal
		}{
			{
				"ScoreBitMEX", true, func(z *apd.Decimal) error { return engine.ScoreBitMEX(ctx, z, a, b, c) },
				func(m *ctxModel) *apd.Decimal {
					if a.IsZero() || b.IsZero() {
						return m.fail(derivmath.ErrZeroQty)
					}
					eq := m.sub(a, c)
					if m.err == nil && eq.Sign() <= 0 {
						return m.fail(engine.ErrBankrupt)
					}
					pnl := m.sub(a, b)
					if m.err == nil && pnl.IsZero() {
						return new(apd.Decimal)
					}
					pct := m.quo(pnl, abs(b))
					lev := m.quo(abs(a), eq)
					if pct.Negative {
						return m.quo(pct, lev)
					}
					return m.mul(pct, lev)
				},
			},
			{
				"ScoreBinance", true, func(z *apd.Decimal) error { return engine.ScoreBinance(ctx, z, a, b, p, floor) },
				func(m *ctxModel) *apd.Decimal {
					eq := m.add(b, a)
					if m.err == nil && (a.Sign() <= 0 || eq.Sign() <= 0) {
						return new(apd.Decimal)
					}
					w := b
					if floor && w.Cmp(one) < 0 {
						w = one
					}
					if w.Sign() <= 0 {
						return m.fail(engine.ErrUnbounded)
					}
					n := m.mul(a, p)
					return m.quo(n, m.mul(w, eq))
				},
			},
			{
				"ScoreHyperliquid", true, func(z *apd.Decimal) error { return engine.ScoreHyperliquid(ctx, z, p, q, a, b) },
				func(m *ctxModel) *apd.Decimal {
					if b.Sign() <= 0 {
						return new(apd.Decimal)
					}
					n := m.mul(p, a)
					return m.quo(n, m.mul(q, b))
				},
			},
			{
				"ScoreOKX", true, func(z *apd.Decimal) error { return engine.ScoreOKX(ctx, z, a, p) },
				func(m *ctxModel) *apd.Decimal {
					if a.Negative {
						return m.mul(a, p)
					}
					return m.quo(a, p)
				},
			},
			{
				"BankruptQuote", false, func(z *apd.Decimal) error { return engine.BankruptQuote(ctx, z, a, p, b, c, minor) },
				func(m *ctxModel) *apd.Decimal {
					s := m.add(m.floor(m.quo(m.mul(a, abs(c)), p), minor), b)
					return new(apd.Decimal).Neg(s)
				},
			},
			{
				"Fillable", true, func(z *apd.Decimal) error { return engine.Fillable(ctx, z, p, r1, b, a, q, r2, r3) },
				func(m *ctxModel) *apd.Decimal {
					if b.IsZero() {
						return m.fail(engine.ErrPosition)
					}
					abr := m.mul(m.sub(one, m.quo(a, q)), r2)
					if abr.Negative {
						abr = new(apd.Decimal)
					} else if abr.Cmp(one) > 0 {
						abr = one
					}
					f := m.quo(m.sub(p, m.mul(m.mul(abr, r3), r1)), b)
					if m.err == nil && f.Sign() <= 0 {
						return m.fail(derivmath.ErrPrice)
					}
					return f
				},
			},
			{
				"InsuranceDelta", false, func(z *apd.Decimal) error { return engine.InsuranceDelta(ctx, z, a, b, r1, minor) },
				func(m *ctxModel) *apd.Decimal {
					d := m.sub(a, b)
					if m.err != nil || d.Sign() <= 0 {
						return d
					}
					cap := m.floor(m.mul(abs(a), r1), minor)
					if cap.Cmp(d) < 0 {
						return cap
					}
					return d
				},
			},
			{
				"DriftBase", true, func(z *apd.Decimal) error { return engine.DriftBase(ctx, z, a, p, r1, r2, r3) },
				func(m *ctxModel) *apd.Decimal {
					k := m.sub(m.sub(r1, r2), r3)
					if m.err == nil && k.Sign() <= 0 {
						return m.fail(engine.ErrUnbounded)
					}
					return m.quo(a, m.mul(k, p))
				},
			},
			{
				"DriftIfFee", true, func(z *apd.Decimal) error { return engine.DriftIfFee(ctx, z, a, b, p, r1, r2, r3) },
				func(m *ctxModel) *apd.Decimal {
					if b.IsZero() {
						return m.fail(derivmath.ErrZeroQty)
					}
					if r1.Cmp(r2) <= 0 {
						return new(apd.Decimal)
					}
					s := m.quo(a, m.mul(b, p))
					f := m.quo(m.mul(m.sub(m.sub(r1, r2), s), apd.New(19, 0)), apd.New(20, 0))
					if f.Cmp(r3) > 0 {
						f = r3
					}
					if f.Sign() <= 0 {
						f = new(apd.Decimal)
					}
					return f
				},
			},
			{
				"PartialOKX", false, func(z *apd.Decimal) error { return engine.PartialOKX(ctx, z, a, tier, p) },
				func(m *ctxModel) *apd.Decimal {
					if tier >= 3 && abs(a).Cmp(p) > 0 {
						return m.sub(abs(a), p)
					}
					return abs(a)
				},
			},
			{
				"NotionalDYDX", false, func(z *apd.Decimal) error { return engine.NotionalDYDX(ctx, z, a, b, p, r1, q, minor) },
				func(m *ctxModel) *apd.Decimal {
					n := abs(a)
					minN := p
					if n.Cmp(minN) < 0 {
						minN = n
					}
					maxN := m.floor(m.mul(n, r1), minor)
					if maxN.Cmp(minN) < 0 {
						maxN = minN
					}
					if left := m.sub(q, b); left.Cmp(maxN) < 0 {
						maxN = left
					}
					if maxN.Negative {
						maxN = new(apd.Decimal)
					}
					return maxN
				},
			},
			{
				"Drawdown", true, func(z *apd.Decimal) error { return engine.Drawdown(ctx, z, a, b, p) },
				func(m *ctxModel) *apd.Decimal { return m.quo(m.sub(a, b), p) },
			},
			{
				"ClawbackRate", true, func(z *apd.Decimal) error { return engine.ClawbackRate(ctx, z, a, b, c) },
				func(m *ctxModel) *apd.Decimal {
					d := m.sub(a, b)
					if m.err != nil || d.Sign() <= 0 {
						return new(apd.Decimal)
					}
					if c.Sign() <= 0 {
						return m.fail(engine.ErrPosition)
					}
					r := m.quo(m.mul(d, one), c)
					if r.Cmp(one) > 0 {
						return one
					}
					return r
				},
			},
		}
		for _, f := range formulas {
			z := d("-42.5")
			err := f.fn(z)
			m := &ctxModel{ctx: ctx}
			want, wantErr := m.gate(f.model(m), f.reduced)
			if !sameErr(err, wantErr) {
				t.Fatalf("%s = %s, error %v; model %v, error %v (ctx %d digits, %q, traps %v)",
					f.name, z, err, want, wantErr, ctx.Precision, ctx.Rounding, ctx.Traps)
			}
			if err != nil {
				if z.CmpTotal(d("-42.5")) != 0 {
					t.Fatalf("%s failed (%v) and changed z to %s", f.name, err, z)
				}
				continue
			}
			if z.CmpTotal(want) != 0 || z.Negative && z.IsZero() {
				t.Fatalf("%s = %s, model %s (ctx %d digits, %q)", f.name, z, want, ctx.Precision, ctx.Rounding)
			}
		}

		// ScoreOKX is one operation: its exact value rounded once.
		var z apd.Decimal
		if err := engine.ScoreOKX(ctx, &z, a, p); err == nil {
			o := apd.BaseContext.WithPrecision(200)
			var exact, once apd.Decimal
			var err error
			if a.Negative {
				_, err = o.Mul(&exact, a, p)
			} else {
				_, err = o.Quo(&exact, a, p)
			}
			if err != nil {
				t.Fatal(err)
			}
			r := apd.BaseContext.WithPrecision(ctx.Precision)
			r.Rounding = ctx.Rounding
			if _, err := r.Round(&once, &exact); err != nil {
				t.Fatal(err)
			}
			// A quotient of operands of 18 digits inexact at 200 digits
			// lies far further than 10^-200 from every number and tie of
			// 50 digits or fewer: rounding it again rounds it as exact.
			if z.Cmp(&once) != 0 {
				t.Fatalf("ScoreOKX(%s, %s) = %s, the exact value rounded once is %s", a, p, &z, &once)
			}
		}
	})
}
