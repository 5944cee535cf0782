package num

import (
	"math"
	"math/bits"
)

// The integers of the kernels: words, 128-bit pairs and 192-bit triples,
// and the one table of powers of ten.

// pow10 holds 10^0 .. 10^19, the powers of ten that fit a uint64.
var pow10 = [20]uint64{
	1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
}

// pow10pad is pow10 padded with 2^64-1, to be indexed by i&31 without a
// bounds check.
var pow10pad = func() (t [32]uint64) {
	for i := range t {
		t[i] = math.MaxUint64
	}
	copy(t[:], pow10[:])
	return t
}()

// pow10w holds 10^0 .. 10^57 (10^57 < 2^192 < 10^58).
var pow10w = func() (t [58]u192) {
	t[0] = u192{1}
	for i := 1; i < len(t); i++ {
		t[i] = t[i-1]
		t[i].mul64(10)
	}
	return t
}()

// u128 is an unsigned 128-bit integer.
type u128 struct{ hi, lo uint64 }

// u192 is an unsigned 192-bit integer, least significant word first.
type u192 [3]uint64

// log10of2 returns floor(n*log10(2)) for a bit length n < 200: a number
// of n bits has that many digits, or one more.
func log10of2(n int) int { return n * 1233 >> 12 }

// digits64 returns the number of decimal digits of v > 0.
func digits64(v uint64) int {
	t := log10of2(bits.Len64(v))
	if v >= pow10pad[t&31] {
		t++
	}
	return t
}

// digits128 returns the number of decimal digits of v > 0.
func digits128(v u128) int {
	n := bits.Len64(v.lo)
	if v.hi != 0 {
		n = 64 + bits.Len64(v.hi)
	}
	t := log10of2(n) // at most 38
	if p := &pow10w[t]; v.hi > p[1] || v.hi == p[1] && v.lo >= p[0] {
		t++
	}
	return t
}

// digits returns the number of decimal digits of x > 0.
func (x *u192) digits() int {
	n := 128 + bits.Len64(x[2])
	if x[2] == 0 {
		n = bits.Len64(x[1]) + 64
		if x[1] == 0 {
			n = bits.Len64(x[0])
		}
	}
	t := log10of2(n) // at most 57
	if x.cmp(&pow10w[t]) >= 0 {
		t++
	}
	return t
}

// cmp returns -1, 0 or +1 as a is less than, equal to or greater than b.
func (a u128) cmp(b u128) int {
	switch {
	case a == b:
		return 0
	case a.hi < b.hi || a.hi == b.hi && a.lo < b.lo:
		return -1
	}
	return 1
}

// mulPow10 returns c*10^k, k < 58, for a product below 2^128 (the caller
// knows it is).
func mulPow10(c uint64, k int) u128 {
	if k < len(pow10) {
		hi, lo := bits.Mul64(c, pow10[k])
		return u128{hi, lo}
	}
	p := &pow10w[k]
	hi, lo := bits.Mul64(c, p[0])
	return u128{hi + c*p[1], lo}
}

// scale sets x = x*10^k and reports whether it fits.
func (x *u192) scale(k int) bool {
	for ; k > 0; k -= 19 {
		if !x.mul64(pow10[min(k, 19)]) {
			return false
		}
	}
	return true
}

// mul64 sets x = x*m and reports whether the product fits.
func (x *u192) mul64(m uint64) bool {
	h0, l0 := bits.Mul64(x[0], m)
	h1, l1 := bits.Mul64(x[1], m)
	h2, l2 := bits.Mul64(x[2], m)
	var c uint64
	x[0] = l0
	x[1], c = bits.Add64(l1, h0, 0)
	x[2], c = bits.Add64(l2, h1, c)
	return h2 == 0 && c == 0
}

// add sets x = x+y and reports whether the sum fits.
func (x *u192) add(y *u192) bool {
	var c uint64
	x[0], c = bits.Add64(x[0], y[0], 0)
	x[1], c = bits.Add64(x[1], y[1], c)
	x[2], c = bits.Add64(x[2], y[2], c)
	return c == 0
}

// sub sets x = x-y; x must not be less than y.
func (x *u192) sub(y *u192) {
	var b uint64
	x[0], b = bits.Sub64(x[0], y[0], 0)
	x[1], b = bits.Sub64(x[1], y[1], b)
	x[2], _ = bits.Sub64(x[2], y[2], b)
}

// cmp returns -1, 0 or +1 as x is less than, equal to or greater than y.
func (x *u192) cmp(y *u192) int {
	for i := 2; i >= 0; i-- {
		if x[i] != y[i] {
			return u128{x[i], 0}.cmp(u128{y[i], 0})
		}
	}
	return 0
}

// isZero reports whether x is 0.
func (x *u192) isZero() bool { return x[0]|x[1]|x[2] == 0 }

// divmod64 sets x = x/d (truncated) and returns the remainder; d > 0.
func (x *u192) divmod64(d uint64) uint64 {
	var r uint64
	for i := 2; i >= 0; i-- {
		x[i], r = bits.Div64(r, x[i], d)
	}
	return r
}

// shr10 sets x = x/10^k (truncated), k >= 1, and returns how the discarded
// part compares with half of 10^k (-1, 0 or +1) and whether it is nonzero.
func (x *u192) shr10(k int) (half int, inexact bool) {
	sticky := false
	for k--; k > 0; k -= 19 {
		sticky = x.divmod64(pow10[min(k, 19)]) != 0 || sticky
	}
	d := x.divmod64(10) // the discarded part's leading digit
	switch {
	case d > 5 || d == 5 && sticky:
		half = 1
	case d < 5:
		half = -1
	}
	return half, d != 0 || sticky
}

// cmpHalf compares the remainder r of a division by d (r < d) with d/2,
// without overflow: -1, 0 or +1.
func cmpHalf(r, d uint64) int {
	switch o := d - r; {
	case r > o:
		return 1
	case r == o:
		return 0
	}
	return -1
}
