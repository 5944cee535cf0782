package num

import "github.com/cockroachdb/apd/v3"

// A BenchContext is one of benchContexts, for the tests of package
// num_test (alloc_test.go).
type BenchContext struct {
	Name string
	Ctx  *apd.Context
}

// BenchContexts returns benchContexts, for the tests of package num_test.
func BenchContexts() []BenchContext {
	var out []BenchContext
	for _, bc := range benchContexts() {
		out = append(out, BenchContext{bc.name, bc.ctx})
	}
	return out
}
