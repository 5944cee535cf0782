package orderbook_test

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/derivmath/derivmath/internal/workload"
	"github.com/derivmath/derivmath/orderbook"
)

// The mixed workload (internal/workload): a book of about 100,000 orders
// on about 1,000 levels, then a fixed sequence of 1,000,000 operations,
// 60% limit orders added near the touch, 30% cancels of resting orders
// picked at random, and 10% marketable orders. The benchmarks replay it
// from the same starting book.
//
// Run them with
//
//	go test ./orderbook -run '^$' -bench . -count 10 > new.txt && benchstat new.txt
//
// The book's working set (orders 3.2 MB, ID table 2 MB) is larger than the
// cache the 2-core development machine gives one process, so random
// cancels and the mixed workload measure memory latency as much as code,
// and vary with the load other processes put on the machine.

// BenchmarkMixed replays the mixed workload; each op is one operation.
// When the workload runs out, the book is reset to its start with the
// timer stopped.
func BenchmarkMixed(b *testing.B) {
	w := workload.Mixed()
	w.Run(b, workload.NewBook(), workload.Replay)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
	b.ReportMetric(w.Orders, "orders")
	b.ReportMetric(w.Levels, "levels")
}

// BenchmarkMixedLatency replays the mixed workload timing each operation,
// and reports the 50th, 99th and 99.9th percentiles. The figures include
// the cost of reading the clock twice, reported as clock-ns.
func BenchmarkMixedLatency(b *testing.B) {
	var hist histogram
	workload.Mixed().Run(b, workload.NewBook(), func(book *orderbook.Book, op *workload.Op, fills []orderbook.Fill) ([]orderbook.Fill, error) {
		t0 := time.Now()
		fills, err := workload.Replay(book, op, fills)
		hist.add(time.Since(t0))
		return fills, err
	})
	var clock histogram
	for range 100_000 {
		t0 := time.Now()
		clock.add(time.Since(t0))
	}
	b.ReportMetric(hist.quantile(0.5), "p50-ns")
	b.ReportMetric(hist.quantile(0.99), "p99-ns")
	b.ReportMetric(hist.quantile(0.999), "p999-ns")
	b.ReportMetric(clock.quantile(0.5), "clock-ns")
}

// histogram counts durations in 1 ns buckets up to 64 µs.
type histogram struct {
	n      int
	counts [1 << 16]int
}

func (h *histogram) add(d time.Duration) {
	h.counts[min(int(d), len(h.counts)-1)]++
	h.n++
}

// quantile returns the q-quantile in nanoseconds.
func (h *histogram) quantile(q float64) float64 {
	rank := int(q * float64(h.n))
	seen := 0
	for ns, c := range h.counts {
		seen += c
		if seen > rank {
			return float64(ns)
		}
	}
	return float64(len(h.counts) - 1)
}

// BenchmarkTouch adds an order at the best bid of a 100,000-order book and
// cancels it: each op is the pair, and add+cancel-ns/2 is the cost of one.
func BenchmarkTouch(b *testing.B) {
	book := workload.NewBook()
	mixed100k(b, book)
	best, _ := book.BestBid()
	o := orderbook.Order{ID: 1 << 40, Side: orderbook.Buy, Type: orderbook.GTC, Price: best.Price, Qty: 10}
	var fills []orderbook.Fill
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if fills, err = book.Limit(o, fills[:0]); err != nil {
			b.Fatal(err)
		}
		if _, err = book.Cancel(o.ID); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(2*b.N), "ns/add-or-cancel")
}

// BenchmarkTouchNewLevel adds an order that improves the best bid, making
// a new level, and cancels it, removing the level.
func BenchmarkTouchNewLevel(b *testing.B) {
	book := workload.NewBook()
	mixed100k(b, book)
	ask, _ := book.BestAsk()
	o := orderbook.Order{ID: 1 << 40, Side: orderbook.Buy, Type: orderbook.GTC, Price: ask.Price - 1, Qty: 10}
	var fills []orderbook.Fill
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if fills, err = book.Limit(o, fills[:0]); err != nil {
			b.Fatal(err)
		}
		if _, err = book.Cancel(o.ID); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(2*b.N), "ns/add-or-cancel")
}

// mixed100k loads the mixed workload's starting book: 100,000 orders on
// 1,000 levels, with a 2-tick spread.
func mixed100k(tb testing.TB, b *orderbook.Book) {
	workload.Mixed().Load(tb, b)
}

// BenchmarkCancelRandom cancels orders picked at random from a book of
// 100,000: in rounds of 10,000, after each of which the cancelled orders
// are added back with the timer stopped, so the book holds 90,000 to
// 100,000 orders.
func BenchmarkCancelRandom(b *testing.B) {
	const round = 10_000
	w := workload.Mixed()
	book := workload.NewBook()
	w.Load(b, book)
	rng := rand.New(rand.NewPCG(3, 4))
	orders := slices.Clone(w.Initial)
	var fills []orderbook.Fill
	next := round
	b.ReportAllocs()
	for b.Loop() {
		if next == round {
			b.StopTimer()
			for _, o := range orders[:min(next, len(orders))] {
				if _, ok := book.Order(o.ID); !ok {
					if fills, _ = book.Limit(o, fills[:0]); len(fills) != 0 {
						b.Fatal("refill traded")
					}
				}
			}
			// Pick the next round's victims: a random prefix.
			for i := range round {
				j := i + rng.IntN(len(orders)-i)
				orders[i], orders[j] = orders[j], orders[i]
			}
			next = 0
			b.StartTimer()
		}
		if _, err := book.Cancel(orders[next].ID); err != nil {
			b.Fatal(err)
		}
		next++
	}
}
