package num

import (
	"math/big"
	"math/bits"
	"unsafe"

	"github.com/cockroachdb/apd/v3"
)

// Reading an apd.Decimal's coefficient through its API costs two calls that
// do not inline (IsUint64, then Uint64), about half the cost of validating
// an input. apd keeps a coefficient of up to 128 bits inline in the BigInt;
// inlineWord reads that storage directly when its layout is the one
// this package was written against, which inlineLayout checks once, at
// start-up, on values set through apd's API. If a future apd changes the
// layout, inlineWord says no and the callers use the API: slower, never
// wrong (and TestCoeffLayout fails, so the loss is noticed).

// bigIntLayout mirrors apd.BigInt (v3.2.3): a *big.Int, nil (or a sentinel
// marking a negative value) while the value is inline, and two words of
// inline magnitude.
type bigIntLayout struct {
	inner  *big.Int
	inline [2]big.Word
}

// inlineLayout reports whether apd.BigInt has the layout of bigIntLayout:
// same size, and values set through apd's API read back as expected.
var inlineLayout = func() bool {
	if unsafe.Sizeof(apd.BigInt{}) != unsafe.Sizeof(bigIntLayout{}) || bits.UintSize != 64 {
		return false
	}
	var b apd.BigInt
	p := (*bigIntLayout)(unsafe.Pointer(&b))
	for _, v := range []uint64{0, 1, 0x0123456789abcdef, 1<<64 - 1} {
		if b.SetUint64(v); p.inner != nil || p.inline != [2]big.Word{big.Word(v), 0} {
			return false
		}
	}
	var m big.Int
	b.SetMathBigInt(m.Lsh(big.NewInt(1), 64)) // inline, in the second word
	ok := p.inner == nil && p.inline == [2]big.Word{0, 1}
	b.SetMathBigInt(m.Lsh(big.NewInt(1), 200)) // out of line
	return ok && p.inner != nil
}()

// inlineWord returns the first word of x's inline coefficient, and whether
// the coefficient is stored inline and fits that word; otherwise the caller
// reads it through apd's API.
func inlineWord(x *apd.Decimal) (uint64, bool) {
	p := (*bigIntLayout)(unsafe.Pointer(&x.Coeff))
	return uint64(p.inline[0]), p.inner == nil && p.inline[1] == 0 && inlineLayout
}
