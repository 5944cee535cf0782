package margin_test

import (
	"strings"
	"testing"

	"github.com/derivmath/derivmath"
)

// BenchmarkKernels runs every computation of the alloc table (kernels in
// alloc_test.go) on the same exchange-like inputs, one sub-benchmark each,
// named Kernel/Variant.
func BenchmarkKernels(b *testing.B) {
	for _, k := range kernels(b, derivmath.NewContext()) {
		if err := k.fn(); err != nil {
			b.Fatalf("%s: %v", k.name, err)
		}
		b.Run(strings.ReplaceAll(k.name, ".", "_"), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = k.fn()
			}
		})
	}
}
