// Package bench compares derivmath's kernels with the same formulas written
// in float64 and in shopspring/decimal, and derivmath's order book with the
// usual Go design of one (decimal prices, a sorted slice of price levels,
// container/list queues), on the inputs of the benchmarks in bench_test.go.
//
// It is a separate module so that derivmath's own go.mod requires nothing
// but apd. Run ./run.sh for the table of medians and ratios (RESULTS.md);
// agree_test.go checks that the three implementations of each kernel give the
// same answer, and that the baseline book trades exactly as derivmath's.
//
// The float64 and shopspring versions are the formulas as a careful
// programmer would write them directly: no validation, no error returns, no
// special cases beyond what the formula needs. derivmath validates every
// input and reports errors, and still has to be fast.
package bench
