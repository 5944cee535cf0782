package dectest

import "runtime"

// Mallocs returns the number of heap allocations that runs calls of fn
// make in total, after warm calls to warm up, on one P as
// testing.AllocsPerRun counts them. AllocsPerRun divides the total by the
// runs and rounds down, so that a slab which grows once in 100 runs (as
// one does when a free list leaks) counts 0 there, and 1 here. The steady
// states of orderbook, engine/markindex and engine/drive are checked with
// it.
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
