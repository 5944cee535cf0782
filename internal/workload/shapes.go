package workload

import (
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/derivmath/derivmath/orderbook"
)

// The hot workload's dimensions.
const (
	HotN      = 1_000_000 // operations
	HotLevels = 10        // levels a side in the starting book
	HotOrders = 500       // orders in the starting book, about what it keeps
)

// Hot returns the hot workload of HotN operations, generated on the first
// call: a small book that stays in cache, about 500 orders within 10 ticks
// of the touch, traded mostly at the touch. Half the operations are GTC
// limits that rest, most of them at the touch (the price d ticks behind the
// one that would just not cross, with d = 10*u^3); a third are cancels of
// resting orders picked at random; the rest are small IOC limits at the
// opposite best price, which take one order on average.
var Hot = sync.OnceValue(func() *Workload { return GenerateHot(HotN) })

// GenerateHot generates the first n operations of the hot workload,
// checking every operation; it panics if the book rejects one.
func GenerateHot(n int) *Workload {
	rng := rand.New(rand.NewPCG(5, 6))
	w := &Workload{Ops: make([]Op, 0, n), MaxOrders: 4 * HotOrders, MaxLevels: 8 * HotLevels}
	var nextID orderbook.OrderID
	newID := func() orderbook.OrderID { nextID++; return nextID }
	for range HotOrders / (2 * HotLevels) {
		for d := range int64(HotLevels) {
			w.Initial = append(w.Initial,
				orderbook.Order{ID: newID(), Side: orderbook.Buy, Type: orderbook.GTC, Price: MidPrice - 1 - d, Qty: 1 + rng.Int64N(100)},
				orderbook.Order{ID: newID(), Side: orderbook.Sell, Type: orderbook.GTC, Price: MidPrice + 1 + d, Qty: 1 + rng.Int64N(100)})
		}
	}
	b, live := w.start()
	fills := make([]orderbook.Fill, 0, 64)
	var c census
	for len(w.Ops) < n {
		side := orderbook.Buy
		if rng.IntN(2) == 1 {
			side = orderbook.Sell
		}
		var op Op
		switch r := rng.IntN(20); {
		case r < 10 || len(live.ids) == 0:
			u := rng.Float64()
			d := int64(HotLevels * u * u * u)
			op = Op{Kind: Add, Side: side, ID: newID(), Qty: 1 + rng.Int64N(100)}
			if side == orderbook.Buy {
				op.Price = opposite(b, side) - 1 - d
			} else {
				op.Price = opposite(b, side) + 1 + d
			}
		case r < 17:
			op = Op{Kind: Cancel, ID: live.ids[rng.IntN(len(live.ids))]}
		default:
			// Up to 150 lots scaled by the book's size to the fourth
			// power, which balances the adds and cancels near 500 orders.
			scale := float64(b.Len()) / HotOrders
			qty := 1 + rng.Int64N(int64(150*scale*scale*scale*scale)+1)
			op = Op{Kind: IOC, Side: side, ID: newID(), Price: opposite(b, side), Qty: qty}
		}
		var err error
		if fills, err = Replay(b, &op, fills); err != nil {
			panic(err)
		}
		for _, f := range fills {
			if f.MakerDone {
				live.remove(f.Maker)
			}
		}
		switch op.Kind {
		case Cancel:
			live.remove(op.ID)
		case Add:
			live.add(op.ID)
		}
		w.Ops = append(w.Ops, op)
		if len(w.Ops)%1000 == 0 {
			c.observe(b)
		}
	}
	c.store(w)
	return w
}

// The deep workload's dimensions.
const (
	DeepN      = 1_000_000 // operations
	DeepLevels = 200       // levels a side
	DeepOrders = 100_000   // orders, in the starting book and about always
)

// Deep returns the deep workload of DeepN operations, generated on the
// first call: 100,000 orders on 400 levels, 250 on each, then cancels of
// resting orders picked at random and GTC limits that rest on a level
// picked at random, one for one, so that the queues stay long.
var Deep = sync.OnceValue(func() *Workload { return GenerateDeep(DeepN) })

// GenerateDeep generates the first n operations of the deep workload.
func GenerateDeep(n int) *Workload {
	rng := rand.New(rand.NewPCG(7, 8))
	w := &Workload{
		Ops: make([]Op, 0, n), Initial: make([]orderbook.Order, 0, DeepOrders),
		MaxOrders: DeepOrders * 3 / 2, MaxLevels: 4 * DeepLevels,
	}
	var nextID orderbook.OrderID
	newID := func() orderbook.OrderID { nextID++; return nextID }
	var live resting
	add := func(side orderbook.Side, d int64) orderbook.Order {
		o := orderbook.Order{ID: newID(), Side: side, Type: orderbook.GTC, Price: MidPrice - 1 - d, Qty: 1 + rng.Int64N(100)}
		if side == orderbook.Sell {
			o.Price = MidPrice + 1 + d
		}
		live.add(o.ID)
		return o
	}
	for range DeepOrders / (2 * DeepLevels) {
		for d := range int64(DeepLevels) {
			w.Initial = append(w.Initial, add(orderbook.Buy, d), add(orderbook.Sell, d))
		}
	}
	// Nothing crosses, so the sequence needs no book to generate.
	for len(w.Ops) < n {
		if rng.IntN(2) == 0 {
			id := live.ids[rng.IntN(len(live.ids))]
			live.remove(id)
			w.Ops = append(w.Ops, Op{Kind: Cancel, ID: id})
			continue
		}
		side := orderbook.Buy
		if rng.IntN(2) == 1 {
			side = orderbook.Sell
		}
		o := add(side, rng.Int64N(DeepLevels))
		w.Ops = append(w.Ops, Op{Kind: Add, Side: side, ID: o.ID, Price: o.Price, Qty: o.Qty})
	}
	w.Orders = DeepOrders
	w.Levels = 2 * DeepLevels
	return w
}

// The wide workload's geometry, in ticks.
const (
	WideMid    = 100_000_000 // the mid price
	WideGap    = 1_000       // the far levels start this far from the mid price
	WideSpread = 10          // ticks of price range per far order: a tenth of the ticks hold a level
	wideTouch  = 100         // orders at the touch, a side
)

// Wide generates the wide workload: a book of about levels price levels
// spread far from the touch, opened and closed at random, and a few
// marketable orders. The starting book has levels/2 orders a side, one on
// each of every tenth tick beyond WideGap ticks from the mid price
// (WideMid), and 100 orders at the touch (the mid price plus or minus one
// tick). Then:
//
//   - 95% of operations add a GTC limit at a price drawn uniformly from the
//     far range of a side (10 ticks per far order, so nearly all are alone
//     at their price), or cancel a far order picked at random, with
//     probabilities that keep the far orders near levels/2 a side;
//   - 5% are pairs: an IOC limit of up to 100 lots at the touch, which
//     trades there only, then a GTC limit of the same size that restores
//     the touch.
//
// So nearly every add opens a level and every cancel closes one, on average
// a quarter of the book's levels away from the touch. A Wide makes its
// operations as they are asked for ([Wide.Next]), with no book: what
// trades is known, so a book of any size can be run for any time.
type Wide struct {
	n      int // far orders a side at the start, and the target
	span   int64
	rng    *rand.Rand
	nextID orderbook.OrderID
	far    []orderbook.OrderID // the resting far orders, both sides
	pend   *Op                 // the restoring half of a pair
	buf    Op
}

// NewWide returns the wide workload's generator for a book of about levels
// levels, at its start.
func NewWide(levels int) *Wide {
	n := max(levels/2, 1)
	return &Wide{n: n, span: int64(WideSpread * n), rng: rand.New(rand.NewPCG(9, 10))}
}

// Levels returns the number of levels in the starting book.
func (g *Wide) Levels() int { return 2*g.n + 2 }

// NewBook returns a book with memory reserved for the workload.
func (g *Wide) NewBook() *orderbook.Book {
	return orderbook.New(3*g.n+4*wideTouch, 3*g.n+16)
}

func (g *Wide) newID() orderbook.OrderID { g.nextID++; return g.nextID }

// Load sends the starting book to b, which must be empty, and resets g to
// its start. The far levels are sent from the far end in, so that each is
// the best of its side when it arrives, and the touch last.
func (g *Wide) Load(tb testing.TB, b *orderbook.Book) {
	tb.Helper()
	*g = *NewWide(2 * g.n)
	g.far = make([]orderbook.OrderID, 0, 2*g.n+1024)
	send := func(o orderbook.Order) {
		if _, err := b.Limit(o, nil); err != nil {
			tb.Fatal(err)
		}
	}
	for j := int64(g.n) - 1; j >= 0; j-- {
		d := WideGap + WideSpread*j
		for _, s := range [2]orderbook.Side{orderbook.Buy, orderbook.Sell} {
			o := orderbook.Order{ID: g.newID(), Side: s, Type: orderbook.GTC, Price: WideMid - d, Qty: 1 + g.rng.Int64N(100)}
			if s == orderbook.Sell {
				o.Price = WideMid + d
			}
			send(o)
			g.far = append(g.far, o.ID)
		}
	}
	for range wideTouch {
		send(orderbook.Order{ID: g.newID(), Side: orderbook.Buy, Type: orderbook.GTC, Price: WideMid - 1, Qty: 100})
		send(orderbook.Order{ID: g.newID(), Side: orderbook.Sell, Type: orderbook.GTC, Price: WideMid + 1, Qty: 100})
	}
}

// Next fills ops with the next operations, to be replayed with [Replay].
func (g *Wide) Next(ops []Op) {
	for i := range ops {
		ops[i] = g.next()
	}
}

func (g *Wide) next() Op {
	if g.pend != nil {
		op := *g.pend
		g.pend = nil
		return op
	}
	side := orderbook.Buy
	if g.rng.IntN(2) == 1 {
		side = orderbook.Sell
	}
	if g.rng.IntN(100) < 5 {
		// An IOC at the touch, which holds 10,000 lots, and the GTC that
		// puts back what it took.
		q := 1 + g.rng.Int64N(100)
		op := Op{Kind: IOC, Side: side, ID: g.newID(), Price: WideMid + 1, Qty: q}
		g.buf = Op{Kind: Add, Side: orderbook.Sell, ID: g.newID(), Price: WideMid + 1, Qty: q}
		if side == orderbook.Sell {
			op.Price = WideMid - 1
			g.buf.Side, g.buf.Price = orderbook.Buy, WideMid-1
		}
		g.pend = &g.buf
		return op
	}
	if g.rng.IntN(4*g.n) >= len(g.far) {
		op := Op{Kind: Add, Side: side, ID: g.newID(), Qty: 1 + g.rng.Int64N(100)}
		d := WideGap + g.rng.Int64N(g.span)
		op.Price = WideMid - d
		if side == orderbook.Sell {
			op.Price = WideMid + d
		}
		g.far = append(g.far, op.ID)
		return op
	}
	i := g.rng.IntN(len(g.far))
	id := g.far[i]
	g.far[i] = g.far[len(g.far)-1]
	g.far = g.far[:len(g.far)-1]
	return Op{Kind: Cancel, ID: id}
}
