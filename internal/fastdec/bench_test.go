package fastdec

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
)

// Exchange-like operands: a price, a quantity, a fee rate, a 1/3-like
// quotient.
var benchCases = []struct {
	name string
	op   int // index in ops
	x, y string
}{
	{"Add/price+fee", 0, "65432.1", "0.005"},
	{"Sub/price-qty", 1, "65432.1", "1.5"},
	{"Mul/price*qty", 2, "65432.1", "1.5"},
	{"Mul/notional*rate", 2, "98148.15", "0.005"},
	{"Mul/inexact", 2, "0.3333333333333333333", "65432.1"},
	{"Quo/1/3", 3, "1", "3"},
	{"Quo/price/qty", 3, "65432.1", "1.5"},
	{"Quo/1/price", 3, "1", "65432.1"},
}

var exported = []func(z, x, y *apd.Decimal) bool{Add, Sub, Mul, Quo}

func BenchmarkOps(b *testing.B) {
	for _, bc := range benchCases {
		x, y := dec(bc.x), dec(bc.y)
		var z apd.Decimal
		fast := exported[bc.op]
		if !fast(&z, x, y) {
			b.Fatalf("%s: refused", bc.name)
		}
		b.Run(bc.name+"/fast", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				fast(&z, x, y)
			}
		})
		ref := ops[bc.op].ref
		b.Run(bc.name+"/apd", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, _ = ref(ctxEven, &z, x, y)
			}
		})
	}
}
