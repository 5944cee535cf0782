package fastdec

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
)

// FuzzOps compares every operation, in both rounding modes and with every
// aliasing, with apd. sel picks the operation (sel%4) and the aliasing
// (sel/4%5).
func FuzzOps(f *testing.F) {
	f.Add(uint64(654321), int8(-1), false, uint64(15), int8(-1), false, uint8(0))
	f.Add(uint64(1), int8(0), false, uint64(3), int8(0), true, uint8(3))
	f.Add(uint64(9999999999999999999), int8(0), false, uint64(5), int8(-1), false, uint8(0))
	f.Add(uint64(10000000000000000005), int8(-3), true, uint64(1), int8(0), false, uint8(2))
	f.Add(uint64(18446744073709551615), int8(40), false, uint64(18446744073709551615), int8(-40), true, uint8(7))
	f.Add(uint64(0), int8(-2), true, uint64(0), int8(1), false, uint8(1))
	f.Add(uint64(5), int8(-20), false, uint64(1000000000000000001), int8(0), false, uint8(4))
	f.Fuzz(func(t *testing.T, xc uint64, xe int8, xn bool, yc uint64, ye int8, yn bool, sel uint8) {
		x := &apd.Decimal{Negative: xn, Exponent: int32(xe)}
		x.Coeff.SetUint64(xc)
		y := &apd.Decimal{Negative: yn, Exponent: int32(ye)}
		y.Coeff.SetUint64(yc)
		var st stats
		if d := check(int(sel%4), x, y, alias(sel/4%uint8(numAlias)), &st); d != "" {
			t.Fatal(d)
		}
	})
}
