package orderbook_test

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
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
// The mixed workload's working set (100,000 orders in 8 MB of homes, the
// ID table of those away from them, the pages) is larger than the cache
// the 2-core development machine gives one process, so random
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

// BenchmarkHot replays the hot workload (internal/workload): a small book
// that stays in cache, about 450 orders on 20 levels, half the operations
// GTC adds mostly at the touch, a third cancels, the rest small IOCs at the
// touch. Each op is one operation.
func BenchmarkHot(b *testing.B) {
	w := workload.Hot()
	w.Run(b, w.NewBook(), workload.Replay)
	b.ReportMetric(w.Orders, "orders")
	b.ReportMetric(w.Levels, "levels")
}

// BenchmarkDeep replays the deep workload: 100,000 orders on 400 levels,
// random cancels and adds at random levels, one for one.
func BenchmarkDeep(b *testing.B) {
	w := workload.Deep()
	w.Run(b, w.NewBook(), workload.Replay)
}

// scaled caches the mixed workload at each size BenchmarkScale runs.
var scaled sync.Map // int -> func() *workload.Workload

// BenchmarkScale replays the mixed workload on books of 1,000 to 1,000,000
// resting orders, on about 1,000 levels: orders=100k is BenchmarkMixed.
// Each workload is generated the first time it runs.
func BenchmarkScale(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000, 1_000_000} {
		b.Run("orders="+count(n), func(b *testing.B) {
			gen, _ := scaled.LoadOrStore(n, sync.OnceValue(func() *workload.Workload {
				if n == workload.Orders {
					return workload.Mixed()
				}
				return workload.Scaled(workload.N, n)
			}))
			w := gen.(func() *workload.Workload)()
			w.Run(b, w.NewBook(), workload.Replay)
			b.ReportMetric(w.Orders, "orders")
			b.ReportMetric(w.Levels, "levels")
		})
	}
}

// count formats n as 1k, 10k or 1M.
func count(n int) string {
	switch {
	case n >= 1_000_000 && n%1_000_000 == 0:
		return strconv.Itoa(n/1_000_000) + "M"
	case n >= 1_000 && n%1_000 == 0:
		return strconv.Itoa(n/1_000) + "k"
	}
	return strconv.Itoa(n)
}

// BenchmarkWide runs the wide workload (workload.Wide) on books of about
// 100,000 and 1,000,000 levels: 95% of operations open or close a level
// at a random price far from the touch (on average a quarter of the levels
// away), 5% trade at the touch. The operations are made in batches with
// the timer stopped. Each op is one operation. It reports the levels at
// the end, and the fraction of orders then away from their homes
// (strays/order: pool.go).
func BenchmarkWide(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run("levels="+count(n), func(b *testing.B) {
			book := wide(b, n, nil, workload.Replay)
			levels := 0
			for _, s := range []orderbook.Side{orderbook.Buy, orderbook.Sell} {
				for range book.Levels(s) {
					levels++
				}
			}
			b.ReportMetric(float64(levels), "levels")
			b.ReportMetric(orderbook.Strays(book), "strays/order")
		})
	}
}

// BenchmarkWideFloor replays the wide workload of 1,000,000 levels doing
// only what any book that finds its orders by ID must do for it: for an
// add, find the ID's slot (its home, or one past the homes and the ID
// table) and fill it in; for a cancel, find the order, read it and free
// its slot (orderbook's export_test.go). The marketable orders do nothing. The
// levels are never touched, so the difference from BenchmarkWide at
// 1,000,000 levels is what the book's price levels cost there; at that
// size each of these loads misses the cache.
func BenchmarkWideFloor(b *testing.B) {
	wide(b, 1_000_000, nil, func(book *orderbook.Book, op *workload.Op, fills []orderbook.Fill) ([]orderbook.Fill, error) {
		switch op.Kind {
		case workload.Add:
			orderbook.FloorAdd(book, op.ID, op.Qty)
		case workload.Cancel:
			orderbook.FloorCancel(book, op.ID)
		}
		return fills, nil
	})
}

// BenchmarkWidePageFloor is BenchmarkWideFloor plus the least a book whose
// price index is orderbook's pages must do (export_test.go): an add finds
// its price's page and sets the price's bit, a cancel goes from the order
// to the page and clears it. There are no levels. So the difference from
// BenchmarkWideFloor is what one touch of the price index an operation
// costs at 1,000,000 levels, and BenchmarkWide can come no nearer this
// than what its levels cost.
func BenchmarkWidePageFloor(b *testing.B) {
	wide(b, 1_000_000, orderbook.FloorPages, func(book *orderbook.Book, op *workload.Op, fills []orderbook.Fill) ([]orderbook.Fill, error) {
		switch op.Kind {
		case workload.Add:
			orderbook.FloorAddPage(book, op.ID, op.Side, op.Price, op.Qty)
		case workload.Cancel:
			orderbook.FloorCancelPage(book, op.ID)
		}
		return fills, nil
	})
}

// wide loads the wide workload of about n levels into a new book, passes
// it to prep if not nil, and replays its operations with replay, one an
// op, returning the book.
func wide(b *testing.B, n int, prep func(*orderbook.Book), replay func(*orderbook.Book, *workload.Op, []orderbook.Fill) ([]orderbook.Fill, error)) *orderbook.Book {
	g := workload.NewWide(n)
	book := g.NewBook()
	g.Load(b, book)
	if prep != nil {
		prep(book)
	}
	ops := make([]workload.Op, 1<<14)
	i := len(ops)
	fills := make([]orderbook.Fill, 0, 64)
	var err error
	b.ReportAllocs()
	for b.Loop() {
		if i == len(ops) {
			b.StopTimer()
			g.Next(ops)
			i = 0
			b.StartTimer()
		}
		if fills, err = replay(book, &ops[i], fills); err != nil {
			b.Fatal(err)
		}
		i++
	}
	return book
}

// BenchmarkL2 deletes a level of an L2 mirror and sets it again: each op
// is the pair. The mirror holds 100,000 or 1,000,000 levels, half a side,
// on consecutive ticks; update=touch works at the best bid, update=far at
// levels picked at random from both sides (a shuffled list, cycled).
func BenchmarkL2(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run("levels="+count(n), func(b *testing.B) {
			perSide := int64(n / 2)
			m := orderbook.NewL2(int(perSide))
			var bids, asks []orderbook.Level
			for d := range perSide {
				bids = append(bids, orderbook.Level{Price: workload.WideMid - 1 - d, Qty: 1 + d%7})
				asks = append(asks, orderbook.Level{Price: workload.WideMid + 1 + d, Qty: 1 + d%5})
			}
			if err := m.Snapshot(bids, asks); err != nil {
				b.Fatal(err)
			}
			type update struct {
				side orderbook.Side
				orderbook.Level
			}
			touch := []update{{orderbook.Buy, bids[0]}}
			far := make([]update, 0, 2*perSide)
			for i := range bids {
				far = append(far, update{orderbook.Buy, bids[i]}, update{orderbook.Sell, asks[i]})
			}
			rng := rand.New(rand.NewPCG(11, 12))
			rng.Shuffle(len(far), func(i, j int) { far[i], far[j] = far[j], far[i] })
			for _, c := range []struct {
				name string
				u    []update
			}{{"touch", touch}, {"far", far}} {
				b.Run("update="+c.name, func(b *testing.B) {
					i := 0
					b.ReportAllocs()
					for b.Loop() {
						u := &c.u[i]
						if err := m.Delete(u.side, u.Price); err != nil {
							b.Fatal(err)
						}
						if err := m.Set(u.side, u.Price, u.Qty); err != nil {
							b.Fatal(err)
						}
						if i++; i == len(c.u) {
							i = 0
						}
					}
				})
			}
		})
	}
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

// BenchmarkMemory measures the machine rather than the book: each op is
// one load that waits for the one before it, at a random cache line of a
// region of the given size (a pointer chase through a random cycle). The
// sizes are those of the workloads' state: the hot book (64 KB), an L2
// mirror of 100k levels (about 1 MB of pages, 2 MB with the updates it
// cycles through), the mixed workload (8 MB, about the lines its orders,
// ID table and pages use) and the wide one at 1M levels (128 MB). The
// order book's operations far from the touch cost a few such loads each,
// one after the other (a cancel: the order at its home, or the ID slot and
// then the order; then its level, or its page's head for an order alone at
// its price), which no choice of algorithm removes: read BenchmarkWide
// and BenchmarkL2 against these figures.
func BenchmarkMemory(b *testing.B) {
	for _, c := range []struct {
		name string
		size int
	}{{"64KB", 64 << 10}, {"2MB", 2 << 20}, {"8MB", 8 << 20}, {"128MB", 128 << 20}} {
		b.Run("size="+c.name, func(b *testing.B) {
			b.ReportAllocs() // none: the walk reads a slice made before the loop
			type line struct {
				next int
				_    [56]byte
			}
			n := c.size / 64
			lines := make([]line, n)
			perm := rand.New(rand.NewPCG(13, 14)).Perm(n)
			for i, j := range perm {
				lines[j].next = perm[(i+1)%n]
			}
			j := 0
			for b.Loop() {
				j = lines[j].next
			}
			if j < 0 {
				b.Fatal("unreachable")
			}
		})
	}
}
