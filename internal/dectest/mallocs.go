package dectest

import (
	"errors"
	"runtime"
	"testing"
)

// Mallocs returns the number of heap allocations that runs calls of fn
// make in total, after warm calls to warm up, on one P as
// testing.AllocsPerRun counts them. AllocsPerRun divides the total by the
// runs and rounds down, so that a slab which grows once in 100 runs (as
// one does when a free list leaks) counts 0 there, and 1 here. The
// allocation tests of the module's packages (the steady states and the
// failed calls) are checked with it.
func Mallocs(warm, runs int, fn func()) uint64 {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	for range warm {
		fn()
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range runs {
		fn()
	}
	runtime.ReadMemStats(&after)
	return after.Mallocs - before.Mallocs
}

// An AllocCase is a row of a steady-state allocation test: Fn is run
// many times.
type AllocCase struct {
	Name string
	Fn   func()
}

// CheckMallocs is the steady-state allocation test of the module's
// packages, for their steady states and their failed calls: attempts
// times, it builds the cases afresh (build) and counts the allocations of
// each (Mallocs, warm and runs calls), and it reports each case whose
// least count over the attempts is not 0. The
// least count keeps out the runtime's own allocations, which are rare;
// building afresh makes a slab that leaks grow at the same run in every
// attempt, so that the least count still sees it.
func CheckMallocs(t testing.TB, attempts, warm, runs int, build func() []AllocCase) {
	t.Helper()
	var least []uint64
	var names []string
	for range attempts {
		for i, c := range build() {
			n := Mallocs(warm, runs, c.Fn)
			if i == len(least) {
				least = append(least, n)
				names = append(names, c.Name)
			}
			least[i] = min(least[i], n)
		}
	}
	for i, n := range least {
		if n != 0 {
			t.Errorf("%s: %d allocations in %d runs, want 0", names[i], n, runs)
		}
	}
}

// Succeeds returns the row of a steady-state allocation test for a call
// that succeeds: each run stops the test if fn returns an error, so that
// the row measures the success path on every run.
func Succeeds(t testing.TB, name string, fn func() error) AllocCase {
	return AllocCase{Name: name, Fn: func() {
		if err := fn(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}}
}

// Fails returns the row of a steady-state allocation test for a call
// that fails: each run calls fn and stops the test unless it returns
// want (errors.Is), or, want being nil, an error. The row so measures
// the error path on every run, not some other path.
func Fails(t testing.TB, name string, want error, fn func() error) AllocCase {
	return AllocCase{Name: name, Fn: func() {
		if err := fn(); err == nil || want != nil && !errors.Is(err, want) {
			t.Fatalf("%s: error %v, want %v", name, err, want)
		}
	}}
}
