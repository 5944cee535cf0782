package margin

import (
	"math/bits"

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

func add(ctx *apd.Context, z, x, y *apd.Decimal) error { return fastdec.In(ctx).Add(z, x, y) }
func sub(ctx *apd.Context, z, x, y *apd.Decimal) error { return fastdec.In(ctx).Sub(z, x, y) }
func mul(ctx *apd.Context, z, x, y *apd.Decimal) error { return fastdec.In(ctx).Mul(z, x, y) }
func quo(ctx *apd.Context, z, x, y *apd.Decimal) error { return fastdec.In(ctx).Quo(z, x, y) }

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
// than the rest of a tier lookup; for finite operands whose coefficients
// fit in 64 bits cmp aligns them in 128 bits instead.
func cmp(x, y *apd.Decimal) int {
	if x.Form != apd.Finite || y.Form != apd.Finite || !x.Coeff.IsUint64() || !y.Coeff.IsUint64() {
		return x.Cmp(y)
	}
	xc, yc := x.Coeff.Uint64(), y.Coeff.Uint64()
	xs, ys := sign(x.Negative, xc), sign(y.Negative, yc)
	switch {
	case xs != ys:
		if xs < ys {
			return -1
		}
		return 1
	case xs == 0:
		return 0
	}
	// Same sign, both nonzero: compare magnitudes, then apply the sign.
	var m int
	if e := int64(x.Exponent) - int64(y.Exponent); e >= 0 {
		m = cmpScaled(xc, e, yc)
	} else {
		m = -cmpScaled(yc, -e, xc)
	}
	return m * xs
}

// sign returns the sign of a decimal with the given sign flag and
// coefficient (a zero coefficient has sign 0, as apd's -0 equals 0).
func sign(neg bool, c uint64) int {
	switch {
	case c == 0:
		return 0
	case neg:
		return -1
	}
	return 1
}

// cmpScaled compares a*10^e with b, for a, b > 0 and e >= 0.
func cmpScaled(a uint64, e int64, b uint64) int {
	if e >= int64(len(pow10x)) {
		return 1 // a*10^39 > 2^128 > b
	}
	hi, lo, ok := mul128(a, e)
	switch {
	case !ok || hi != 0 || lo > b:
		return 1
	case lo < b:
		return -1
	}
	return 0
}

// mul128 returns a*10^e as hi:lo, for 0 <= e < len(pow10x), and whether it
// fits in 128 bits.
func mul128(a uint64, e int64) (hi, lo uint64, ok bool) {
	p := pow10x[e]
	h1, l1 := bits.Mul64(a, p[1])
	h2, l2 := bits.Mul64(a, p[0])
	hi, c := bits.Add64(h1, l2, 0)
	return hi, l1, h2 == 0 && c == 0
}

// pow10x holds 10^0 through 10^38 as {hi, lo} 64-bit halves; 10^38 < 2^128
// < 10^39.
var pow10x = func() (t [39][2]uint64) {
	t[0] = [2]uint64{0, 1}
	for i := 1; i < len(t); i++ {
		h, l := bits.Mul64(t[i-1][1], 10)
		t[i] = [2]uint64{t[i-1][0]*10 + h, l}
	}
	return t
}()

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
