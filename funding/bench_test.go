package funding_test

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/funding"
)

// One benchmark per kernel, on the operands of the allocation table
// (realistic, with 19-digit computed values).

func BenchmarkKernels(b *testing.B) {
	f := newFixture(b)
	for _, k := range f.kernels() {
		if k.name == "Average/Equal" || k.name == "Average/TimeWeighted" {
			continue // BenchmarkAverage, by window length
		}
		b.Run(k.name, func(b *testing.B) {
			b.ReportAllocs()
			var z apd.Decimal
			for b.Loop() {
				if err := k.fn(&z); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkAverage averages windows of premium samples: BitMEX's 480
// one-minute samples and Binance's 5,760 five-second samples of an 8-hour
// interval.
func BenchmarkAverage(b *testing.B) {
	f := newFixture(b)
	for _, w := range []funding.Weighting{funding.Equal, funding.TimeWeighted} {
		for _, n := range []int{480, 5760} {
			b.Run(w.String()+"/n="+itoa(n), func(b *testing.B) {
				b.ReportAllocs()
				var z apd.Decimal
				for b.Loop() {
					if err := funding.Average(f.ctx, &z, f.samples[:n], w); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/sample")
			})
		}
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var buf [20]byte
	i := len(buf)
	for ; n > 0; n /= 10 {
		i--
		buf[i] = byte('0' + n%10)
	}
	return string(buf[i:])
}
