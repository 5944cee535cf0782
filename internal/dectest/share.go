package dectest

import (
	"strconv"
	"sync"
	"testing"
)

// Share checks a promise that values only read may be shared by
// goroutines: each call, made once alone for its result, is then made by 8
// goroutines 200 times each, all at once, and must give that result every
// time. The calls must share the values under test (the context, the
// specs, the tables) and have their own results; the check means most
// under -race, which reports a read path that writes to a shared value.
func Share(t *testing.T, calls ...func() string) {
	t.Helper()
	want := make([]string, len(calls))
	for i, f := range calls {
		want[i] = f()
	}
	const goroutines, rounds = 8, 200
	var wg sync.WaitGroup
	bad := make(chan string, goroutines)
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range rounds {
				for i, f := range calls {
					if got := f(); got != want[i] {
						bad <- "call " + strconv.Itoa(i) + ": got " + got + ", alone " + want[i]
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(bad)
	for s := range bad {
		t.Error(s)
	}
}
