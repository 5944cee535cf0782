package margin

import (
	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/internal/fastdec"
)

// The kernels' arithmetic, as in package contract: apd's operations in
// ctx, computed by internal/fastdec's integer kernels when ctx is the
// default context (derivmath.NewContext), and by apd otherwise. fastdec's
// results are identical to apd's, coefficient and exponent alike, and it
// allocates nothing where apd would: an addition whose aligned operands
// pass 64 bits (0.00009999989300011448984 + 0.000185), or a division of a
// 19-digit value (an inverse contract's) by a leverage.
//
// Where the exactness of a step matters (BitMEX's integer fields, the step
// count of [Steps], the cum recurrence) the code calls apd directly and
// checks its Inexact condition with [exact].

func add(ctx *apd.Context, z, x, y *apd.Decimal) error { return fastdec.In(ctx).Add(z, x, y) }
func sub(ctx *apd.Context, z, x, y *apd.Decimal) error { return fastdec.In(ctx).Sub(z, x, y) }
func mul(ctx *apd.Context, z, x, y *apd.Decimal) error { return fastdec.In(ctx).Mul(z, x, y) }
func quo(ctx *apd.Context, z, x, y *apd.Decimal) error { return fastdec.In(ctx).Quo(z, x, y) }

// The exact variants fail with derivmath.ErrRange unless the result is
// exact. A result rounded to the context's precision has exactly that many
// digits, so a shorter result from the fast path is exact; only a full-width
// one is recomputed by apd, whose Inexact condition decides. z may alias x
// or y.

func addExact(ctx *apd.Context, z, x, y *apd.Decimal) error {
	var r apd.Decimal
	if err := add(ctx, &r, x, y); err != nil {
		return wrap("exact", err)
	}
	if !short(ctx, &r) {
		if err := exact(ctx.Add(&r, x, y)); err != nil {
			return err
		}
	}
	z.Set(&r)
	return nil
}

func subExact(ctx *apd.Context, z, x, y *apd.Decimal) error {
	var r apd.Decimal
	if err := sub(ctx, &r, x, y); err != nil {
		return wrap("exact", err)
	}
	if !short(ctx, &r) {
		if err := exact(ctx.Sub(&r, x, y)); err != nil {
			return err
		}
	}
	z.Set(&r)
	return nil
}

func mulExact(ctx *apd.Context, z, x, y *apd.Decimal) error {
	var r apd.Decimal
	if err := mul(ctx, &r, x, y); err != nil {
		return wrap("exact", err)
	}
	if !short(ctx, &r) {
		if err := exact(ctx.Mul(&r, x, y)); err != nil {
			return err
		}
	}
	z.Set(&r)
	return nil
}

// cmp returns x.Cmp(y): -1, 0 or +1 as x is less than, equal to or greater
// than y. apd's Cmp counts the digits of both coefficients, which costs more
// than the rest of a tier lookup; for operands fastdec loads, cmp compares
// the loaded values instead.
func cmp(x, y *apd.Decimal) int {
	a, oka := fastdec.Load(x)
	b, okb := fastdec.Load(y)
	if !oka || !okb {
		return x.Cmp(y)
	}
	return a.Cmp(b)
}

// pow10 holds 10^0 through 10^19, every power of ten that fits in a uint64.
var pow10 = [...]uint64{
	1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
}

// short reports whether x has fewer digits than ctx's precision: a result
// of such a length was not rounded. It reads the coefficient as a machine
// word where it can, as apd's digit count is slow.
func short(ctx *apd.Context, x *apd.Decimal) bool {
	p := int64(ctx.Precision)
	if x.Coeff.IsUint64() && p >= 1 && p <= int64(len(pow10)) {
		return x.Coeff.Uint64() < pow10[p-1]
	}
	return x.NumDigits() < p
}
