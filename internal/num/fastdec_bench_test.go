package num

import (
	"testing"

	"github.com/derivmath/derivmath/internal/fastdec"
)

// BenchmarkFastdec runs internal/fastdec's kernels on BenchmarkOps'
// operands at its one context (precision 19, half-even), for comparison
// while fastdec remains; delete this file with fastdec.
func BenchmarkFastdec(b *testing.B) {
	x, y := dec(benchOperands.x), dec(benchOperands.y)
	dx, _ := fastdec.Load(x)
	dy, _ := fastdec.Load(y)
	var sink fastdec.Dec
	for _, op := range []struct {
		name string
		fn   func(x, y fastdec.Dec) (fastdec.Dec, bool)
	}{
		{"Add", fastdec.Dec.Add},
		{"Sub", fastdec.Dec.Sub},
		{"Mul", fastdec.Dec.Mul},
		{"Quo", fastdec.Dec.Quo},
	} {
		b.Run(op.name+"/p19HalfEven/fastdec", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var ok bool
				if sink, ok = op.fn(dx, dy); !ok {
					b.Fatal("declined")
				}
			}
		})
	}
	_ = sink
}
