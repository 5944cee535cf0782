package num

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"pgregory.net/rapid"
)

// The differential tests: every operation of a Ctx against the same apd
// operation in the same context, over random contexts and operands,
// comparing Form, Negative, Exponent, coefficient and error.

var rounders = []apd.Rounder{
	apd.RoundDown, apd.RoundHalfUp, apd.RoundHalfEven, apd.RoundCeiling,
	apd.RoundFloor, apd.RoundHalfDown, apd.RoundUp, apd.Round05Up,
	"", "bogus",
}

// genContext draws a context: mostly precision 1..19, some 20..50; any
// rounder; exponent limits either apd's or near the given exponent; traps
// with and without Inexact, Rounded and Clamped.
func genContext(t *rapid.T, near int32) *apd.Context {
	c := apd.BaseContext
	if rapid.IntRange(0, 9).Draw(t, "wide") == 0 {
		c.Precision = uint32(rapid.IntRange(20, 50).Draw(t, "prec"))
	} else {
		c.Precision = uint32(rapid.IntRange(1, 19).Draw(t, "prec"))
	}
	c.Rounding = rapid.SampledFrom(rounders).Draw(t, "rounding")
	switch rapid.IntRange(0, 3).Draw(t, "limits") {
	case 0:
		c.MinExponent = near - int32(rapid.IntRange(-5, 45).Draw(t, "below"))
		c.MaxExponent = near + int32(rapid.IntRange(-5, 45).Draw(t, "above"))
	case 1:
		c.MinExponent, c.MaxExponent = -1000, 1000
	}
	if rapid.Bool().Draw(t, "trapsOff") {
		c.Traps = 0
	}
	for _, f := range []apd.Condition{apd.Inexact, apd.Rounded, apd.Clamped, apd.Subnormal, apd.Underflow} {
		if rapid.IntRange(0, 5).Draw(t, "trap "+f.String()) == 0 {
			c.Traps |= f
		}
	}
	return &c
}

// genCoeff draws a coefficient: small, exchange-like, 19 or 20 digits, a
// power of ten or nines, the extremes of uint64.
func genCoeff(t *rapid.T, label string) uint64 {
	switch rapid.IntRange(0, 7).Draw(t, label+"Kind") {
	case 0:
		return rapid.Uint64Range(0, 20).Draw(t, label)
	case 1:
		return rapid.Uint64Range(0, 1_000_000).Draw(t, label)
	case 2:
		return rapid.Uint64Range(1e18, 1e19-1).Draw(t, label)
	case 3:
		return rapid.Uint64Range(1e19, math.MaxUint64).Draw(t, label)
	case 4:
		n := rapid.IntRange(0, 19).Draw(t, label+"Pow")
		return pow10[n] * rapid.Uint64Range(1, 9).Draw(t, label+"Lead")
	case 5:
		n := rapid.IntRange(1, 19).Draw(t, label+"Nines")
		return pow10[n] - 1 - rapid.Uint64Range(0, 1).Draw(t, label+"Less")
	case 6:
		return math.MaxUint64 - rapid.Uint64Range(0, 3).Draw(t, label)
	}
	return rapid.Uint64().Draw(t, label)
}

// genOperand draws an apd operand: mostly finite with a uint64 coefficient
// and an exponent near base, sometimes far from it, sometimes wide (more
// than 64 bits), NaN or infinite.
func genOperand(t *rapid.T, label string, base int32) *apd.Decimal {
	x := new(apd.Decimal)
	switch rapid.IntRange(0, 29).Draw(t, label+"Form") {
	case 0:
		x.Form = apd.NaN
		return x
	case 1:
		x.Form = apd.Infinite
		x.Negative = rapid.Bool().Draw(t, label+"Neg")
		return x
	case 2, 3:
		var b big.Int
		b.SetUint64(genCoeff(t, label+"Hi"))
		b.Lsh(&b, 64)
		b.Add(&b, new(big.Int).SetUint64(genCoeff(t, label+"Lo")))
		x.Coeff.SetMathBigInt(&b)
	default:
		x.Coeff.SetUint64(genCoeff(t, label))
	}
	x.Negative = rapid.Bool().Draw(t, label+"Neg")
	e := base + int32(rapid.IntRange(-8, 8).Draw(t, label+"Exp"))
	switch rapid.IntRange(0, 9).Draw(t, label+"Far") {
	case 0:
		e = base + int32(rapid.IntRange(-80, 80).Draw(t, label+"FarExp"))
	case 1:
		e = base + int32(rapid.IntRange(-100050, 100050).Draw(t, label+"VeryFarExp"))
	}
	x.Exponent = e
	return x
}

// tb is what the helpers need of a *testing.T or a *rapid.T.
type tb interface {
	Helper()
	Fatalf(format string, args ...any)
}

type opCase struct {
	name string
	ours func(c *Ctx, x, y Dec) Dec
	apd  func(c *apd.Context, z, x, y *apd.Decimal) (apd.Condition, error)
}

var ops = []opCase{
	{"Add", (*Ctx).Add, (*apd.Context).Add},
	{"Sub", (*Ctx).Sub, (*apd.Context).Sub},
	{"Mul", (*Ctx).Mul, (*apd.Context).Mul},
	{"Quo", (*Ctx).Quo, (*apd.Context).Quo},
	{"AddExact", (*Ctx).AddExact, exactly((*apd.Context).Add)},
	{"SubExact", (*Ctx).SubExact, exactly((*apd.Context).Sub)},
	{"MulExact", (*Ctx).MulExact, exactly((*apd.Context).Mul)},
	{"MulAbs", (*Ctx).MulAbs, func(c *apd.Context, z, x, y *apd.Decimal) (apd.Condition, error) {
		res, err := c.Mul(z, x, y)
		z.Abs(z)
		return res, err
	}},
	{"MulQuo/mul", func(c *Ctx, x, y Dec) Dec { return c.MulQuo(x, y, false) }, (*apd.Context).Mul},
	{"MulQuo/quo", func(c *Ctx, x, y Dec) Dec { return c.MulQuo(x, y, true) }, (*apd.Context).Quo},
	{"MulMul", func(c *Ctx, x, y Dec) Dec { return c.MulMul(x, y, x) }, func(c *apd.Context, z, x, y *apd.Decimal) (apd.Condition, error) {
		var n apd.Decimal
		if _, err := c.Mul(&n, x, y); err != nil {
			return 0, err
		}
		return c.Mul(z, &n, x)
	}},
	{"MulMul/one", func(c *Ctx, x, y Dec) Dec { return c.MulMul(x, y, One) }, (*apd.Context).Mul},
	// MulAbsMulQuo's third operand is one of the two: |x*y|*x, |x*y|/y.
	{"MulAbsMulQuo/mul", func(c *Ctx, x, y Dec) Dec { return c.MulAbsMulQuo(x, y, x, false) }, mulAbsThen((*apd.Context).Mul, false)},
	{"MulAbsMulQuo/quo", func(c *Ctx, x, y Dec) Dec { return c.MulAbsMulQuo(x, y, y, true) }, mulAbsThen((*apd.Context).Quo, true)},
}

// errExact stands for ErrRange in the apd model of the exact operations.
var errExact = fmt.Errorf("inexact")

func exactly(f func(c *apd.Context, z, x, y *apd.Decimal) (apd.Condition, error)) func(c *apd.Context, z, x, y *apd.Decimal) (apd.Condition, error) {
	return func(c *apd.Context, z, x, y *apd.Decimal) (apd.Condition, error) {
		res, err := f(c, z, x, y)
		if err == nil && res.Inexact() {
			err = errExact
		}
		return res, err
	}
}

// mulAbsThen is the apd model of MulAbsMulQuo: |x*y|, then op of it and
// y (byY) or x.
func mulAbsThen(op func(c *apd.Context, z, x, y *apd.Decimal) (apd.Condition, error), byY bool) func(c *apd.Context, z, x, y *apd.Decimal) (apd.Condition, error) {
	return func(c *apd.Context, z, x, y *apd.Decimal) (apd.Condition, error) {
		var n apd.Decimal
		if _, err := c.Mul(&n, x, y); err != nil {
			return 0, err
		}
		n.Abs(&n)
		if byY {
			return op(c, z, &n, y)
		}
		return op(c, z, &n, x)
	}
}

// compare runs op through Ctx and apd in ctx and fails t if they differ.
func compare(t tb, ctx *apd.Context, op opCase, x, y *apd.Decimal) {
	t.Helper()
	var want apd.Decimal
	_, wantErr := op.apd(ctx, &want, x, y)
	c := In(ctx)
	got := op.ours(c, Load(x), Load(y))
	what := func() string {
		return fmt.Sprintf("%s(%s, %s) in {p=%d %q exp [%d, %d] traps %v}",
			op.name, x, y, ctx.Precision, ctx.Rounding, ctx.MinExponent, ctx.MaxExponent, ctx.Traps)
	}
	switch {
	case wantErr != nil && c.Err == nil:
		t.Fatalf("%s = %s, want error %v", what(), got, wantErr)
	case wantErr == nil && c.Err != nil:
		t.Fatalf("%s: error %v, want %s", what(), c.Err, &want)
	case errors.Is(wantErr, errExact):
		if !errors.Is(c.Err, ErrRange) {
			t.Fatalf("%s: error %v, want ErrRange", what(), c.Err)
		}
	case wantErr != nil:
		if c.Err.Error() != wantErr.Error() {
			t.Fatalf("%s: error %v, want %v", what(), c.Err, wantErr)
		}
	default:
		if !identical(got, &want) {
			t.Fatalf("%s = %s (%s), want %s (%s)", what(), got, repr(got), &want, reprApd(&want))
		}
	}
}

// identical reports whether d is x: Form, Negative, Exponent, coefficient.
func identical(d Dec, x *apd.Decimal) bool {
	var z apd.Decimal
	d.Store(&z)
	if z.Form != x.Form || z.Negative != x.Negative {
		return false
	}
	if z.Form != apd.Finite {
		return true
	}
	return z.Exponent == x.Exponent && z.Coeff.Cmp(&x.Coeff) == 0
}

func repr(d Dec) string {
	var z apd.Decimal
	d.Store(&z)
	return reprApd(&z)
}

func reprApd(x *apd.Decimal) string {
	return fmt.Sprintf("form %v neg %v coeff %s exp %d", x.Form, x.Negative, x.Coeff.String(), x.Exponent)
}

func TestOpsMatchApd(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		base := int32(rapid.IntRange(-40, 40).Draw(t, "base"))
		if rapid.IntRange(0, 9).Draw(t, "baseFar") == 0 {
			base = int32(rapid.IntRange(-100100, 100100).Draw(t, "baseFarValue"))
		}
		ctx := genContext(t, base)
		x, y := genOperand(t, "x", base), genOperand(t, "y", base)
		compare(t, ctx, rapid.SampledFrom(ops).Draw(t, "op"), x, y)
	})
}

// TestTryMul: TryMul gives Mul's product, digit for digit, whenever it
// says it has one, and otherwise leaves the Ctx as it was (no error, the
// fast path as it stood).
func TestTryMul(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		base := int32(rapid.IntRange(-40, 40).Draw(t, "base"))
		ctx := genContext(t, base)
		x, y := genOperand(t, "x", base), genOperand(t, "y", base)
		c := In(ctx)
		was := *c
		got, ok := c.TryMul(Load(x), Load(y))
		if !ok {
			if *c != was {
				t.Fatalf("TryMul(%s, %s) failed and changed the Ctx", x, y)
			}
			return
		}
		want := In(ctx).Mul(Load(x), Load(y))
		if c.Err != nil || got != want {
			t.Fatalf("TryMul(%s, %s) = %s, %v; Mul: %s", x, y, got, c.Err, want)
		}
	})
}

// TestTryMulOutOfWindow: a product whose exponent the kernels do not
// serve (here past the context's MaxExponent, where Mul fails) is not
// TryMul's, which leaves the Ctx as it was.
func TestTryMulOutOfWindow(t *testing.T) {
	ctx := apd.BaseContext.WithPrecision(19)
	ctx.MaxExponent = 30
	x := New(1, 20)
	c := In(ctx)
	was := *c
	if got, ok := c.TryMul(x, x); ok || *c != was {
		t.Errorf("TryMul(%s, %s) = %s, %v, Ctx changed %v; want false, unchanged", x, x, got, ok, *c != was)
	}
	c = In(ctx)
	if c.Mul(x, x); c.Err == nil {
		t.Errorf("Mul(%s, %s) at MaxExponent 30: no error", x, x)
	}
}

// TestFastPathRuns: in contexts that allow it, on operands that fit a
// word with exponents in a plain range, the operations never leave the
// integers (but for a zero divisor): an equality test alone cannot see a
// lost fast path, as apd gives the same results. The Ctx is told that a
// fallback to apd must panic.
func TestFastPathRuns(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := apd.BaseContext
		ctx.Precision = uint32(rapid.IntRange(1, 19).Draw(t, "prec"))
		ctx.Rounding = rapid.SampledFrom(rounders).Draw(t, "rounding")
		dec := func(label string) Dec {
			return Dec{
				c:   genCoeff(t, label),
				e:   int32(rapid.IntRange(-1000, 1000).Draw(t, label+"Exp")),
				neg: rapid.Bool().Draw(t, label+"Neg"),
			}
		}
		x, y := dec("x"), dec("y")
		var s Sum
		s.Add(x)
		s.Add(y)
		for _, op := range []struct {
			name string
			fn   func(c *Ctx)
		}{
			{"Add", func(c *Ctx) { c.Add(x, y) }},
			{"Sub", func(c *Ctx) { c.Sub(x, y) }},
			{"Mul", func(c *Ctx) { c.Mul(x, y) }},
			{"Quo", func(c *Ctx) {
				if y.c != 0 {
					c.Quo(x, y)
				}
			}},
			{"AddExact", func(c *Ctx) { c.AddExact(x, y) }},
			{"MulExact", func(c *Ctx) { c.MulExact(x, y) }},
			// A Sum spills to apd, by design, when its terms are too far
			// apart for 192 bits.
			{"QuoSum", func(c *Ctx) {
				if y.c != 0 && s.big == nil {
					c.QuoSum(&s, y)
				}
			}},
		} {
			c := In(&ctx)
			if !c.fast {
				t.Fatalf("context %+v is not fast", ctx)
			}
			c.noApd = true
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("%s(%s, %s) left the fast path: %v", op.name, x, y, r)
					}
				}()
				op.fn(c)
			}()
		}
	})
}

// TestWithModeMatchesApd: a Ctx copied with another mode computes as apd in
// the context with the matching rounder, and leaves the original alone.
func TestWithModeMatchesApd(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := genContext(t, 0)
		m := Mode(rapid.IntRange(1, int(numModes)-1).Draw(t, "mode"))
		x, y := genOperand(t, "x", 0), genOperand(t, "y", 0)
		mc := *ctx
		mc.Rounding = modeRounders[m]
		c := In(ctx)
		d := c.WithMode(m)
		if ac := d.apdContext(); ModeOf(ac.Rounding) != m {
			t.Fatalf("mode %d: rounder %q", m, ac.Rounding)
		}
		for _, o := range []struct {
			name string
			ours func(c *Ctx, x, y Dec) Dec
			apd  func(z, x, y *apd.Decimal) (apd.Condition, error)
		}{
			{"Add", (*Ctx).Add, mc.Add},
			{"Sub", (*Ctx).Sub, mc.Sub},
			{"Mul", (*Ctx).Mul, mc.Mul},
			{"Quo", (*Ctx).Quo, mc.Quo},
		} {
			dc := d
			got := o.ours(&dc, Load(x), Load(y))
			var want apd.Decimal
			_, err := o.apd(&want, x, y)
			if (err != nil) != (dc.Err != nil) {
				t.Fatalf("%s(%s, %s) in mode %d: error %v, apd %v", o.name, x, y, m, dc.Err, err)
			}
			var z apd.Decimal
			if got.Store(&z); err == nil && z.CmpTotal(&want) != 0 {
				t.Fatalf("%s(%s, %s) in mode %d: %s, apd %s", o.name, x, y, m, &z, &want)
			}
		}
		if c.mode != ModeOf(ctx.Rounding) || ModeOf(c.apdContext().Rounding) != c.mode {
			t.Fatal("WithMode changed the original")
		}
	})
}
