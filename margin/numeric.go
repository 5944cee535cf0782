package margin

import (
	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/internal/fastdec"
)

// The kernels' arithmetic, as in package contract: apd's operations in
// ctx, computed by internal/fastdec's integer kernels when ctx is the
// default context (contract.NewContext), and by apd otherwise. fastdec's
// results are identical to apd's, coefficient and exponent alike, and it
// allocates nothing where apd would: an addition whose aligned operands
// pass 64 bits (0.00009999989300011448984 + 0.000185), or a division of a
// 19-digit value (an inverse contract's) by a leverage.
//
// Where the exactness of a step matters (BitMEX's integer fields, the step
// count of [Steps], the cum recurrence) the code calls apd directly and
// checks its Inexact condition with [exact].

func add(ctx *apd.Context, z, x, y *apd.Decimal) error {
	if fastdec.Default(ctx) && fastdec.Add(z, x, y) {
		return nil
	}
	_, err := ctx.Add(z, x, y)
	return err
}

func sub(ctx *apd.Context, z, x, y *apd.Decimal) error {
	if fastdec.Default(ctx) && fastdec.Sub(z, x, y) {
		return nil
	}
	_, err := ctx.Sub(z, x, y)
	return err
}

func mul(ctx *apd.Context, z, x, y *apd.Decimal) error {
	if fastdec.Default(ctx) && fastdec.Mul(z, x, y) {
		return nil
	}
	_, err := ctx.Mul(z, x, y)
	return err
}

func quo(ctx *apd.Context, z, x, y *apd.Decimal) error {
	if fastdec.Default(ctx) && fastdec.Quo(z, x, y) {
		return nil
	}
	_, err := ctx.Quo(z, x, y)
	return err
}

// The exact variants fail with contract.ErrRange unless the result is
// exact. A result rounded to the context's precision has exactly that many
// digits, so a shorter result from the fast path is exact; only a full-width
// one is recomputed by apd, whose Inexact condition decides. z may alias x
// or y.

func addExact(ctx *apd.Context, z, x, y *apd.Decimal) error {
	var r apd.Decimal
	if err := add(ctx, &r, x, y); err != nil {
		return wrap("exact", err)
	}
	if r.NumDigits() >= int64(ctx.Precision) {
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
	if r.NumDigits() >= int64(ctx.Precision) {
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
	if r.NumDigits() >= int64(ctx.Precision) {
		if err := exact(ctx.Mul(&r, x, y)); err != nil {
			return err
		}
	}
	z.Set(&r)
	return nil
}
