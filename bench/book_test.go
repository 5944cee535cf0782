package bench

import (
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/derivmath/derivmath/orderbook"
	"github.com/shopspring/decimal"
)

// The order book's mixed workload (DESIGN.md): a book of about 100,000
// orders on about 1,000 levels, then 1,000,000 operations: 60% limit orders
// added near the touch, 30% cancels of resting orders picked at random, and
// 10% marketable orders (half market IOC, half GTC limits through the
// touch). It is generated once by running it against an orderbook.Book, so
// that each cancel names an order resting at that point, and replayed on
// both books from the same start. The generator follows derivmath's own
// orderbook benchmark. Prices are ticks of 0.1 USD and quantities lots of
// 0.001 BTC; the baseline receives them as decimals, converted before the
// timer starts, as its API would.

const (
	mixedOps       = 1_000_000
	midPrice       = 1_000_000 // ticks
	levelsPerSide  = 500
	ordersPerLevel = 100
	mixedOrders    = 2 * levelsPerSide * ordersPerLevel
	tickExp        = -1 // a tick is 0.1
	lotExp         = -3 // a lot is 0.001
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

// naiveOp is a benchOp in the baseline's decimals.
type naiveOp struct {
	id         uint64
	price, qty decimal.Decimal
	kind       opKind
	buy        bool
}

type workload struct {
	initial []orderbook.Order
	ops     []benchOp
	// The same in decimals, for the baseline.
	naiveInitial []naiveOp
	naiveOps     []naiveOp
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
			// Marketable: up to 700 lots (resting orders average 50),
			// scaled by the book's size to the fourth power, which keeps
			// the book near 100,000 orders.
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
	}
	for _, o := range w.initial {
		w.naiveInitial = append(w.naiveInitial, toNaive(benchOp{kind: opAdd, id: o.ID, side: o.Side, price: o.Price, qty: o.Qty}))
	}
	for _, op := range w.ops {
		w.naiveOps = append(w.naiveOps, toNaive(op))
	}
	return w
}

func toNaive(op benchOp) naiveOp {
	return naiveOp{
		id: uint64(op.id), kind: op.kind, buy: op.side == orderbook.Buy,
		price: decimal.New(op.price, tickExp), qty: decimal.New(op.qty, lotExp),
	}
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

// replayNaive applies op to the baseline.
func replayNaive(b *Naive, op *naiveOp, fills []NaiveFill) []NaiveFill {
	switch op.kind {
	case opAdd, opCross:
		return b.Limit(op.id, op.buy, op.price, op.qty, fills[:0])
	case opCancel:
		if !b.Cancel(op.id) {
			panic("baseline: cancel of an order that is not resting")
		}
	case opMarket:
		return b.Market(op.id, op.buy, op.qty, fills[:0])
	}
	return fills[:0]
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

// loadNaive returns a baseline book holding the starting book.
func (w *workload) loadNaive() *Naive {
	b := NewNaive()
	for i := range w.naiveInitial {
		replayNaive(b, &w.naiveInitial[i], nil)
	}
	return b
}

// BenchmarkOrderBookMixed replays the mixed workload on each book; one op
// is one operation. When the workload runs out, the book is reset to its
// start with the timer stopped.
func BenchmarkOrderBookMixed(b *testing.B) {
	w := mixed()
	b.Run("impl=derivmath", func(b *testing.B) {
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
	})
	b.Run("impl=baseline", func(b *testing.B) {
		book := w.loadNaive()
		fills := make([]NaiveFill, 0, 1024)
		i := 0
		b.ReportAllocs()
		for b.Loop() {
			if i == len(w.naiveOps) {
				b.StopTimer()
				book = w.loadNaive()
				i = 0
				b.StartTimer()
			}
			fills = replayNaive(book, &w.naiveOps[i], fills)
			i++
		}
	})
}
