package orderbook_test

import (
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/derivmath/derivmath/orderbook"
)

// The mixed workload: a book of about 100,000 orders on about 1,000
// levels, then a fixed sequence of 1,000,000 operations, 60% limit orders
// added near the touch, 30% cancels of resting orders picked at random,
// and 10% marketable orders (half market IOC, half GTC limits through the
// touch). It is generated once, by running it against a Book, so that each
// cancel names an order that rests at that point; the benchmarks replay it
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

const (
	mixedOps       = 1_000_000
	midPrice       = 1_000_000 // ticks
	levelsPerSide  = 500
	ordersPerLevel = 100
	mixedOrders    = 2 * levelsPerSide * ordersPerLevel
)

type opKind uint8

const (
	opAdd    opKind = iota // a GTC limit that rests
	opCancel               // a cancel of a resting order
	opMarket               // a market IOC
	opCross                // a GTC limit through the touch
)

type benchOp struct {
	id    orderbook.OrderID
	price int64
	qty   int64
	kind  opKind
	side  orderbook.Side
}

type workload struct {
	initial []orderbook.Order
	ops     []benchOp
	orders  float64 // resting orders, averaged over every 1000th op
	levels  float64 // levels, averaged over every 1000th op
}

// resting is the set of resting order IDs, with O(1) random choice.
type resting struct {
	ids []orderbook.OrderID
	pos []int32 // by ID: index in ids, plus 1; IDs are dense from 1
}

func (r *resting) add(id orderbook.OrderID) {
	for int(id) >= len(r.pos) {
		r.pos = append(r.pos, 0)
	}
	r.ids = append(r.ids, id)
	r.pos[id] = int32(len(r.ids))
}

func (r *resting) remove(id orderbook.OrderID) {
	i := r.pos[id] - 1
	last := r.ids[len(r.ids)-1]
	r.ids[i] = last
	r.pos[last] = i + 1
	r.ids = r.ids[:len(r.ids)-1]
	r.pos[id] = 0
}

var mixed = sync.OnceValue(func() *workload { return genWorkload(mixedOps) })

// genWorkload generates the mixed workload, checking every operation.
func genWorkload(n int) *workload {
	rng := rand.New(rand.NewPCG(1, 2))
	w := &workload{ops: make([]benchOp, 0, n)}
	var nextID orderbook.OrderID
	newID := func() orderbook.OrderID { nextID++; return nextID }
	// The starting book: levels on every tick out from a 2-tick spread,
	// the orders of different levels interleaved in time.
	for range ordersPerLevel {
		for d := range int64(levelsPerSide) {
			for _, s := range []orderbook.Side{orderbook.Buy, orderbook.Sell} {
				p := midPrice - 1 - d
				if s == orderbook.Sell {
					p = midPrice + 1 + d
				}
				w.initial = append(w.initial, orderbook.Order{
					ID: newID(), Side: s, Type: orderbook.GTC, Price: p, Qty: 1 + rng.Int64N(100),
				})
			}
		}
	}
	b := newMixedBook()
	var live resting
	for _, o := range w.initial {
		if _, err := b.Limit(o, nil); err != nil {
			panic(err)
		}
		live.add(o.ID)
	}
	fills := make([]orderbook.Fill, 0, 1024)
	var depth []orderbook.Level
	var sumOrders, sumLevels float64
	for len(w.ops) < n {
		var op benchOp
		side := orderbook.Buy
		if rng.IntN(2) == 1 {
			side = orderbook.Sell
		}
		switch r := rng.IntN(10); {
		case r < 6:
			// Near the touch: d ticks behind the price that would just
			// not cross, with d = 500*u^2, so that the touch gets most
			// orders and every level some.
			u := rng.Float64()
			d := int64(float64(levelsPerSide) * u * u)
			op = benchOp{kind: opAdd, side: side, id: newID(), qty: 1 + rng.Int64N(100)}
			if side == orderbook.Buy {
				op.price = opposite(b, side) - 1 - d
			} else {
				op.price = opposite(b, side) + 1 + d
			}
		case r < 9:
			op = benchOp{kind: opCancel, id: live.ids[rng.IntN(len(live.ids))]}
		default:
			// Marketable: up to 700 lots (resting orders average 50)
			// scaled by the book's size to the fourth power, which
			// balances the adds and cancels near 100,000 orders.
			scale := float64(b.Len()) / mixedOrders
			op = benchOp{kind: opMarket, side: side, id: newID(), qty: 1 + rng.Int64N(int64(700*scale*scale*scale*scale)+1)}
			if rng.IntN(2) == 1 {
				op.kind = opCross
				if side == orderbook.Buy {
					op.price = opposite(b, side) + 2
				} else {
					op.price = opposite(b, side) - 2
				}
			}
		}
		var err error
		fills, err = replay(b, &op, fills)
		if err != nil {
			panic(err)
		}
		var traded int64
		for _, f := range fills {
			traded += f.Qty
			if f.MakerDone {
				live.remove(f.Maker)
			}
		}
		switch {
		case op.kind == opCancel:
			live.remove(op.id)
		case op.kind == opAdd, op.kind == opCross && traded < op.qty:
			live.add(op.id)
		}
		w.ops = append(w.ops, op)
		if len(w.ops)%1000 == 0 {
			sumOrders += float64(b.Len())
			depth = b.AppendDepth(b.AppendDepth(depth[:0], orderbook.Buy, 1<<20), orderbook.Sell, 1<<20)
			sumLevels += float64(len(depth))
		}
	}
	w.orders = sumOrders / float64(n/1000)
	w.levels = sumLevels / float64(n/1000)
	return w
}

// newMixedBook returns a book with memory reserved for the mixed workload,
// with half as much again to spare.
func newMixedBook() *orderbook.Book {
	return orderbook.New(mixedOrders*3/2, 4*levelsPerSide)
}

// opposite returns the best price on the other side from s, or the mid
// price if that side is empty.
func opposite(b *orderbook.Book, s orderbook.Side) int64 {
	best, ok := b.BestAsk()
	if s == orderbook.Sell {
		best, ok = b.BestBid()
	}
	if !ok {
		return midPrice
	}
	return best.Price
}

// replay applies op to b.
func replay(b *orderbook.Book, op *benchOp, fills []orderbook.Fill) ([]orderbook.Fill, error) {
	var err error
	switch op.kind {
	case opAdd, opCross:
		fills, err = b.Limit(orderbook.Order{ID: op.id, Side: op.side, Type: orderbook.GTC, Price: op.price, Qty: op.qty}, fills[:0])
	case opCancel:
		_, err = b.Cancel(op.id)
		fills = fills[:0]
	case opMarket:
		fills, err = b.Market(orderbook.Order{ID: op.id, Side: op.side, Type: orderbook.IOC, Qty: op.qty}, fills[:0])
	}
	return fills, err
}

// load resets b to the workload's starting book.
func (w *workload) load(tb testing.TB, b *orderbook.Book) {
	b.Reset()
	for _, o := range w.initial {
		if _, err := b.Limit(o, nil); err != nil {
			tb.Fatal(err)
		}
	}
}

// BenchmarkMixed replays the mixed workload; each op is one operation.
// When the workload runs out, the book is reset to its start with the
// timer stopped.
func BenchmarkMixed(b *testing.B) {
	w := mixed()
	book := newMixedBook()
	w.load(b, book)
	fills := make([]orderbook.Fill, 0, 1024)
	i := 0
	var err error
	b.ReportAllocs()
	for b.Loop() {
		if i == len(w.ops) {
			b.StopTimer()
			w.load(b, book)
			i = 0
			b.StartTimer()
		}
		if fills, err = replay(book, &w.ops[i], fills); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
	b.ReportMetric(w.orders, "orders")
	b.ReportMetric(w.levels, "levels")
}

// BenchmarkMixedLatency replays the mixed workload timing each operation,
// and reports the 50th, 99th and 99.9th percentiles. The figures include
// the cost of reading the clock twice, reported as clock-ns.
func BenchmarkMixedLatency(b *testing.B) {
	w := mixed()
	book := newMixedBook()
	w.load(b, book)
	fills := make([]orderbook.Fill, 0, 1024)
	var hist histogram
	i := 0
	var err error
	b.ReportAllocs()
	for b.Loop() {
		if i == len(w.ops) {
			b.StopTimer()
			w.load(b, book)
			i = 0
			b.StartTimer()
		}
		t0 := time.Now()
		fills, err = replay(book, &w.ops[i], fills)
		hist.add(time.Since(t0))
		if err != nil {
			b.Fatal(err)
		}
		i++
	}
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
	book := newMixedBook()
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
	book := newMixedBook()
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
	mixed().load(tb, b)
}

// BenchmarkCancelRandom cancels orders picked at random from a book of
// 100,000: in rounds of 10,000, after each of which the cancelled orders
// are added back with the timer stopped, so the book holds 90,000 to
// 100,000 orders.
func BenchmarkCancelRandom(b *testing.B) {
	const round = 10_000
	w := mixed()
	book := newMixedBook()
	w.load(b, book)
	rng := rand.New(rand.NewPCG(3, 4))
	orders := slices.Clone(w.initial)
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
