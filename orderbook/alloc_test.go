package orderbook_test

import (
	"testing"

	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/derivmath/derivmath/orderbook"
)

// sink keeps the results of the queries alive.
var sink struct {
	level  orderbook.Level
	order  orderbook.Order
	impact orderbook.Impact
	n      int64
	ok     bool
}

// TestAllocs checks that the book and the mirror allocate nothing in their
// steady state: a book with memory reserved, a fills slice and a depth
// slice with room, and operations that leave the book as they found it (or
// in a state the next run repeats), so each run does the same work.
//
// It counts every allocation of 1,000 runs of each row, not the average
// that testing.AllocsPerRun rounds down, so that a slab that grows now and
// then, as one does when a free list leaks, is seen. The runs are enough
// for the rows that take order and level slots to use up the book's
// reservation if the slots leaked, and for the stray pages' rows to use
// up their ladder's. The runtime's own allocations, which are rare, are
// kept out by taking the least count of three attempts; each attempt
// builds its books afresh, so that a leaking slab grows at the same run
// in each, and the least count still sees it.
func TestAllocs(t *testing.T) {
	dectest.CheckMallocs(t, 3, 1, 1000, func() []dectest.AllocCase { return allocCases(t) })
}

// allocCases builds the books and mirrors of TestAllocs afresh, and
// returns its rows, to be run in order.
func allocCases(t *testing.T) []dectest.AllocCase {
	t.Helper()
	const (
		bid  = 999_990
		ask  = 1_000_010
		deep = 1 << 40 // a level that partial fills never empty
	)
	b := orderbook.New(10_000, 1_000)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	rest := func(o orderbook.Order) {
		_, err := b.Limit(o, nil)
		must(err)
	}
	// 20 levels a side, 10 orders each, and a deep order at the best ask:
	// bids at bid-d, IDs 20d+1, 20d+3, ...; asks at ask+1+d, IDs 20d+2, ....
	var id orderbook.OrderID
	for d := range int64(20) {
		for range 10 {
			id++
			rest(orderbook.Order{ID: id, Side: orderbook.Buy, Type: orderbook.GTC, Price: bid - d, Qty: 5})
			id++
			rest(orderbook.Order{ID: id, Side: orderbook.Sell, Type: orderbook.GTC, Price: ask + 1 + d, Qty: 5})
		}
	}
	rest(orderbook.Order{ID: 1 << 50, Side: orderbook.Sell, Type: orderbook.GTC, Price: ask, Qty: deep})

	fills := make([]orderbook.Fill, 0, 64)
	depth := make([]orderbook.Level, 0, 64)
	const x = 1 << 60 // IDs of the test's own orders
	add := func(o orderbook.Order) {
		var err error
		fills, err = b.Limit(o, fills[:0])
		must(err)
	}
	cancel := func(id orderbook.OrderID) {
		_, err := b.Cancel(id)
		must(err)
	}
	gtcAt := func(id orderbook.OrderID, price int64) orderbook.Order {
		return orderbook.Order{ID: id, Side: orderbook.Buy, Type: orderbook.GTC, Price: price, Qty: 3}
	}

	// A wide book: 4,000 levels a side spread over a million ticks, so
	// that levels far from the touch sit in a tree several nodes deep.
	w := orderbook.New(20_000, 20_000)
	for d := range int64(4_000) {
		wid := orderbook.OrderID(1<<40 + 2*d)
		if _, err := w.Limit(orderbook.Order{ID: wid, Side: orderbook.Buy, Type: orderbook.GTC, Price: bid - 250*d, Qty: 1}, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Limit(orderbook.Order{ID: wid + 1, Side: orderbook.Sell, Type: orderbook.GTC, Price: ask + 250*d, Qty: 1}, nil); err != nil {
			t.Fatal(err)
		}
	}
	farAt := int64(bid - 250*2_000 - 7) // between two levels, half way down the bids

	// A book whose pages all live away from their homes (strays): prices
	// 2^25 ticks apart are pages 2^20 apart, all of whose homes are
	// page 0, which is never a home.
	const apart = 1 << 25
	sb := orderbook.New(2_000, 1_000)
	sm := orderbook.NewL2(500)
	for d := range int64(450) {
		sid := orderbook.OrderID(1<<41 + 2*d)
		if _, err := sb.Limit(orderbook.Order{ID: sid, Side: orderbook.Buy, Type: orderbook.GTC, Price: (1 + d) * apart, Qty: 1}, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := sb.Limit(orderbook.Order{ID: sid + 1, Side: orderbook.Sell, Type: orderbook.GTC, Price: (501 + d) * apart, Qty: 1}, nil); err != nil {
			t.Fatal(err)
		}
		must(sm.Set(orderbook.Buy, (1+d)*apart, 1))
		must(sm.Set(orderbook.Sell, (501+d)*apart, 1))
	}
	strayAt := int64(200*apart + apart/2) // between two levels, on a page of its own

	// A book whose orders are nearly all away from their homes (stray
	// orders, pool.go): 4,000 bids in a book of 64 homes, every home
	// taken, each counting some 60 strays.
	hb := orderbook.New(64, 64)
	const hid = 1 << 42
	for i := range int64(4_000) {
		if _, err := hb.Limit(orderbook.Order{ID: hid + orderbook.OrderID(i), Side: orderbook.Buy, Type: orderbook.GTC, Price: bid - i%20, Qty: 5}, nil); err != nil {
			t.Fatal(err)
		}
	}

	m := orderbook.NewL2(1_000)
	var bids, asks []orderbook.Level
	for d := range int64(500) {
		bids = append(bids, orderbook.Level{Price: bid - d, Qty: 1 + d%7})
		asks = append(asks, orderbook.Level{Price: ask + d, Qty: 1 + d%5})
	}
	must(m.Snapshot(bids, asks))
	wm := orderbook.NewL2(10_000)
	bids, asks = bids[:0], asks[:0]
	for d := range int64(4_000) {
		bids = append(bids, orderbook.Level{Price: bid - 250*d, Qty: 1 + d%7})
		asks = append(asks, orderbook.Level{Price: ask + 250*d, Qty: 1 + d%5})
	}
	must(wm.Snapshot(bids, asks))
	bids, asks = bids[:500], asks[:500] // the narrow mirror's snapshot again
	for d := range int64(500) {
		bids[d] = orderbook.Level{Price: bid - d, Qty: 1 + d%7}
		asks[d] = orderbook.Level{Price: ask + d, Qty: 1 + d%5}
	}

	return []dectest.AllocCase{
		{Name: "Limit GTC rests at a level, Cancel", Fn: func() { add(gtcAt(x, bid)); cancel(x) }},
		{Name: "Limit GTC rests at a new level, Cancel", Fn: func() { add(gtcAt(x, bid+1)); cancel(x) }},
		{Name: "Limit post-only, Cancel", Fn: func() {
			add(orderbook.Order{ID: x, Side: orderbook.Sell, Type: orderbook.PostOnly, Price: ask + 3, Qty: 1})
			cancel(x)
		}},
		{Name: "Limit GTC trades and rests, Cancel", Fn: func() {
			// Takes the deep ask's time priority away: re-add it after.
			add(orderbook.Order{ID: x, Side: orderbook.Sell, Type: orderbook.GTC, Price: bid, Qty: 60})
			cancel(x)
			for _, f := range fills {
				add(orderbook.Order{ID: f.Maker, Side: orderbook.Buy, Type: orderbook.GTC, Price: f.Price, Qty: 5})
			}
		}},
		{Name: "Limit IOC partial fill", Fn: func() {
			add(orderbook.Order{ID: x, Side: orderbook.Buy, Type: orderbook.IOC, Price: ask, Qty: 1})
		}},
		{Name: "Limit FOK", Fn: func() {
			add(orderbook.Order{ID: x, Side: orderbook.Buy, Type: orderbook.FOK, Price: ask, Qty: 2})
		}},
		{Name: "Limit FOK killed", Fn: func() {
			_, err := b.Limit(orderbook.Order{ID: x, Side: orderbook.Buy, Type: orderbook.FOK, Price: ask - 1, Qty: 2}, fills[:0])
			if err == nil {
				t.Fatal("FOK filled")
			}
		}},
		{Name: "Limit with STP cancel resting", Fn: func() {
			add(orderbook.Order{ID: x + 1, Side: orderbook.Sell, Type: orderbook.GTC, Price: ask - 1, Qty: 5, Owner: 9})
			add(orderbook.Order{ID: x, Side: orderbook.Buy, Type: orderbook.IOC, Price: ask, Qty: 1, Owner: 9, STP: orderbook.CancelResting})
			if len(fills) != 2 || fills[0].Qty != 0 {
				t.Fatalf("fills %v", fills)
			}
		}},
		{Name: "Limit error", Fn: func() {
			if _, err := b.Limit(orderbook.Order{ID: 1, Side: orderbook.Buy, Type: orderbook.GTC, Price: 1, Qty: 1}, fills[:0]); err == nil {
				t.Fatal("duplicate accepted")
			}
		}},
		{Name: "Market IOC partial fill", Fn: func() {
			var err error
			fills, err = b.Market(orderbook.Order{ID: x, Side: orderbook.Buy, Type: orderbook.IOC, Qty: 7}, fills[:0])
			must(err)
		}},
		{Name: "Market sweeping 2 levels, re-add", Fn: func() {
			var err error
			fills, err = b.Market(orderbook.Order{ID: x, Side: orderbook.Sell, Type: orderbook.FOK, Qty: 100}, fills[:0])
			must(err)
			for _, f := range fills {
				add(orderbook.Order{ID: f.Maker, Side: orderbook.Buy, Type: orderbook.GTC, Price: f.Price, Qty: 5})
			}
		}},
		{Name: "Cancel, re-add", Fn: func() {
			cancel(100)
			add(orderbook.Order{ID: 100, Side: orderbook.Sell, Type: orderbook.GTC, Price: ask + 1 + 4, Qty: 5})
		}},
		{Name: "Amend reduce, restore", Fn: func() {
			var err error
			_, err = b.Amend(2, ask+1, 4, fills[:0])
			must(err)
			_, err = b.Amend(2, ask+1, 5, fills[:0])
			must(err)
		}},
		{Name: "Amend reprice and back", Fn: func() {
			var err error
			_, err = b.Amend(3, bid-30, 5, fills[:0])
			must(err)
			_, err = b.Amend(3, bid, 5, fills[:0])
			must(err)
		}},
		{Name: "Amend reprice through the ask, re-add", Fn: func() {
			add(gtcAt(x, bid))
			var err error
			fills, err = b.Amend(x, ask, 3, fills[:0])
			must(err)
		}},
		{Name: "Preview sweeping 2 levels, GTC", Fn: func() {
			var err error
			fills, err = b.Preview(orderbook.Order{ID: x, Side: orderbook.Sell, Type: orderbook.GTC, Price: bid - 1, Qty: 60}, fills[:0])
			must(err)
			if len(fills) != 12 {
				t.Fatalf("fills %v", fills)
			}
		}},
		{Name: "Order", Fn: func() { sink.order, sink.ok = b.Order(5) }},
		{Name: "BestBid, BestAsk", Fn: func() { sink.level, sink.ok = b.BestBid(); sink.level, sink.ok = b.BestAsk() }},
		{Name: "AppendDepth", Fn: func() { depth = b.AppendDepth(depth[:0], orderbook.Buy, 20) }},
		{Name: "Levels", Fn: func() {
			for p, q := range b.Levels(orderbook.Sell) {
				sink.n += p + q
			}
		}},
		{Name: "Orders", Fn: func() {
			for o := range b.Orders(orderbook.Buy) {
				sink.n += o.Qty
			}
		}},
		{Name: "ImpactQty", Fn: func() {
			var err error
			sink.impact, err = b.ImpactQty(orderbook.Buy, 120)
			must(err)
		}},
		{Name: "ImpactNotional", Fn: func() {
			var err error
			sink.impact, err = b.ImpactNotional(orderbook.Buy, 120*bid)
			must(err)
		}},
		{Name: "L2 Set existing", Fn: func() { must(m.Set(orderbook.Buy, bid-7, 3)) }},
		{Name: "L2 Set new, Delete", Fn: func() {
			must(m.Set(orderbook.Sell, ask-1, 3))
			must(m.Delete(orderbook.Sell, ask-1))
		}},
		{Name: "L2 Snapshot", Fn: func() { must(m.Snapshot(bids, asks)) }},
		{Name: "L2 BestBid, BestAsk", Fn: func() { sink.level, sink.ok = m.BestBid(); sink.level, sink.ok = m.BestAsk() }},
		{Name: "L2 AppendDepth", Fn: func() { depth = m.AppendDepth(depth[:0], orderbook.Sell, 50) }},
		{Name: "L2 Levels", Fn: func() {
			for p, q := range m.Levels(orderbook.Buy) {
				sink.n += p + q
			}
		}},
		{Name: "L2 ImpactQty", Fn: func() {
			var err error
			sink.impact, err = m.ImpactQty(orderbook.Sell, 200)
			must(err)
		}},
		{Name: "L2 ImpactNotional", Fn: func() {
			var err error
			sink.impact, err = m.ImpactNotional(orderbook.Buy, 200*bid)
			must(err)
		}},
		{Name: "wide: Limit GTC opens a far level, Cancel closes it", Fn: func() {
			var err error
			if fills, err = w.Limit(gtcAt(x, farAt), fills[:0]); err != nil {
				t.Fatal(err)
			}
			if _, err = w.Cancel(x); err != nil {
				t.Fatal(err)
			}
		}},
		{Name: "wide: Amend to a far level and back", Fn: func() {
			var err error
			if _, err = w.Amend(1<<40, farAt, 1, fills[:0]); err != nil {
				t.Fatal(err)
			}
			if _, err = w.Amend(1<<40, bid, 1, fills[:0]); err != nil {
				t.Fatal(err)
			}
		}},
		{Name: "strays: Limit GTC opens a page away from its home, Cancel closes it", Fn: func() {
			var err error
			if fills, err = sb.Limit(gtcAt(x, strayAt), fills[:0]); err != nil {
				t.Fatal(err)
			}
			if _, err = sb.Cancel(x); err != nil {
				t.Fatal(err)
			}
		}},
		{Name: "strays: Amend to a far page and back, 8 times", Fn: func() {
			for range 8 {
				if _, err := sb.Amend(1<<41, strayAt, 1, fills[:0]); err != nil {
					t.Fatal(err)
				}
				if _, err := sb.Amend(1<<41, apart, 1, fills[:0]); err != nil {
					t.Fatal(err)
				}
			}
		}},
		{Name: "stray orders: Limit GTC rests away from its home, Cancel", Fn: func() {
			var err error
			if fills, err = hb.Limit(gtcAt(x, bid-3), fills[:0]); err != nil {
				t.Fatal(err)
			}
			if _, err = hb.Cancel(x); err != nil {
				t.Fatal(err)
			}
		}},
		{Name: "stray orders: Cancel 8 and re-add them, Amend one and back", Fn: func() {
			for i := range int64(8) {
				if _, err := hb.Cancel(hid + 2_000 + orderbook.OrderID(i)); err != nil {
					t.Fatal(err)
				}
			}
			for i := range int64(8) {
				if _, err := hb.Limit(orderbook.Order{ID: hid + 2_000 + orderbook.OrderID(i), Side: orderbook.Buy, Type: orderbook.GTC, Price: bid - (2_000+i)%20, Qty: 5}, nil); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := hb.Amend(hid+3_000, bid-30, 5, fills[:0]); err != nil {
				t.Fatal(err)
			}
			if _, err := hb.Amend(hid+3_000, bid, 5, fills[:0]); err != nil {
				t.Fatal(err)
			}
		}},
		{Name: "strays: L2 Set far, Delete", Fn: func() {
			must(sm.Set(orderbook.Buy, strayAt, 9))
			must(sm.Delete(orderbook.Buy, strayAt))
			must(sm.Set(orderbook.Sell, strayAt+500*apart, 9))
			must(sm.Delete(orderbook.Sell, strayAt+500*apart))
		}},
		{Name: "wide: L2 Set far, Delete", Fn: func() {
			must(wm.Set(orderbook.Sell, ask+250*2_000+3, 9))
			must(wm.Delete(orderbook.Sell, ask+250*2_000+3))
		}},
	}
}

// TestAllocsErrors checks that every failed call of the book and the
// mirror allocates nothing: each error the methods list, in a book with
// memory reserved, a full fixed book, a zero-value book, and a mirror,
// with slices that have room. Each call must fail with its sentinel, on
// every run, so that the row measures the error path and not some other.
//
// As TestAllocs does, it counts every allocation of 1,000 runs of each
// row, the least of three attempts on books built afresh, so that an
// error path that allocates now and then is seen.
func TestAllocsErrors(t *testing.T) {
	dectest.CheckMallocs(t, 3, 1, 1000, func() []dectest.AllocCase { return errorCases(t) })
}

// errorCases builds the books and mirrors of TestAllocsErrors afresh, and
// returns its rows.
func errorCases(t *testing.T) []dectest.AllocCase {
	t.Helper()
	const big = 1<<63 - 1 // math.MaxInt64
	b := orderbook.New(100, 100)
	rest := func(b *orderbook.Book, o orderbook.Order) {
		t.Helper()
		if _, err := b.Limit(o, nil); err != nil {
			t.Fatal(err)
		}
	}
	gtc := func(id orderbook.OrderID, s orderbook.Side, price, qty int64) orderbook.Order {
		return orderbook.Order{ID: id, Side: s, Type: orderbook.GTC, Price: price, Qty: qty}
	}
	// Bids: 1 at 99 (5 lots), 4 post-only at 98, 3 at 90 (MaxInt64 lots),
	// 6 and 7 at 80 (MaxInt64-10 and 10 lots). Asks: 2 at 101 (5 lots).
	rest(b, gtc(1, orderbook.Buy, 99, 5))
	rest(b, gtc(2, orderbook.Sell, 101, 5))
	rest(b, gtc(3, orderbook.Buy, 90, big))
	rest(b, orderbook.Order{ID: 4, Side: orderbook.Buy, Type: orderbook.PostOnly, Price: 98, Qty: 1})
	rest(b, gtc(6, orderbook.Buy, 80, big-10))
	rest(b, gtc(7, orderbook.Buy, 80, 10))
	// A fixed book of 3 orders on 1 level, holding 2 orders at 100, and
	// one full with 1 order.
	f := orderbook.NewFixed(3, 1)
	rest(f, gtc(10, orderbook.Buy, 100, 1))
	rest(f, gtc(11, orderbook.Buy, 100, 1))
	full := orderbook.NewFixed(1, 1)
	rest(full, gtc(10, orderbook.Buy, 100, 1))
	var z orderbook.Book

	m := orderbook.NewL2(100)
	if err := m.Snapshot([]orderbook.Level{{Price: 99, Qty: 5}, {Price: 90, Qty: big}}, []orderbook.Level{{Price: 101, Qty: 5}}); err != nil {
		t.Fatal(err)
	}
	var zm orderbook.L2
	badPrice := []orderbook.Level{{Price: 99, Qty: 1}, {Price: 0, Qty: 1}}
	badQty := []orderbook.Level{{Price: 99, Qty: 1}, {Price: 98, Qty: -1}}
	dup := []orderbook.Level{{Price: 99, Qty: 1}, {Price: 98, Qty: 1}, {Price: 99, Qty: 2}}
	good := []orderbook.Level{{Price: 101, Qty: 1}}

	fills := make([]orderbook.Fill, 0, 64)
	depth := make([]orderbook.Level, 0, 64)
	const x = 1 << 60 // an ID no order holds
	buy := func(typ orderbook.Type, price, qty int64) orderbook.Order {
		return orderbook.Order{ID: x, Side: orderbook.Buy, Type: typ, Price: price, Qty: qty}
	}
	limit := func(b *orderbook.Book, o orderbook.Order) func() error {
		return func() (err error) { fills, err = b.Limit(o, fills[:0]); return err }
	}
	market := func(o orderbook.Order) func() error {
		return func() (err error) { fills, err = b.Market(o, fills[:0]); return err }
	}
	preview := func(b *orderbook.Book, o orderbook.Order) func() error {
		return func() (err error) { fills, err = b.Preview(o, fills[:0]); return err }
	}
	amend := func(b *orderbook.Book, id orderbook.OrderID, price, qty int64) func() error {
		return func() (err error) { fills, err = b.Amend(id, price, qty, fills[:0]); return err }
	}
	cancel := func(b *orderbook.Book, id orderbook.OrderID) func() error {
		return func() error { _, err := b.Cancel(id); return err }
	}
	impact := func(f func(orderbook.Side, int64) (orderbook.Impact, error), s orderbook.Side, n int64) func() error {
		return func() (err error) { sink.impact, err = f(s, n); return err }
	}

	var rows []dectest.AllocCase
	for _, tc := range []struct {
		name string
		want error
		fn   func() error
	}{
		{"Limit side", orderbook.ErrInvalidSide, limit(b, orderbook.Order{ID: x, Type: orderbook.GTC, Price: 99, Qty: 1})},
		{"Limit type", orderbook.ErrInvalidType, limit(b, buy(0, 99, 1))},
		{"Limit STP", orderbook.ErrInvalidSTP, limit(b, orderbook.Order{ID: x, Side: orderbook.Buy, Type: orderbook.GTC, Price: 99, Qty: 1, Owner: 1, STP: 4})},
		{"Limit price", orderbook.ErrInvalidPrice, limit(b, buy(orderbook.GTC, 0, 1))},
		{"Limit qty", orderbook.ErrInvalidQty, limit(b, buy(orderbook.GTC, 99, -1))},
		{"Limit duplicate ID", orderbook.ErrDuplicateID, limit(b, gtc(3, orderbook.Sell, 200, 1))},
		{"Limit post-only crosses", orderbook.ErrWouldCross, limit(b, buy(orderbook.PostOnly, 101, 1))},
		{"Limit FOK short", orderbook.ErrFillOrKill, limit(b, buy(orderbook.FOK, 101, 6))},
		{"Limit overflow", orderbook.ErrOverflow, limit(b, buy(orderbook.GTC, 90, 1))},
		{"Limit fixed book, no level", orderbook.ErrBookFull, limit(f, buy(orderbook.GTC, 99, 1))},
		{"Limit fixed book, no order", orderbook.ErrBookFull, limit(full, buy(orderbook.GTC, 100, 1))},
		{"Limit post-only, fixed book full", orderbook.ErrBookFull, limit(full, orderbook.Order{ID: x, Side: orderbook.Sell, Type: orderbook.PostOnly, Price: 101, Qty: 1})},
		{"Limit zero book FOK", orderbook.ErrFillOrKill, limit(&z, buy(orderbook.FOK, 101, 1))},
		{"Market type", orderbook.ErrInvalidType, market(buy(orderbook.GTC, 0, 1))},
		{"Market price", orderbook.ErrInvalidPrice, market(buy(orderbook.IOC, 101, 1))},
		{"Market qty", orderbook.ErrInvalidQty, market(buy(orderbook.IOC, 0, 0))},
		{"Market duplicate ID", orderbook.ErrDuplicateID, market(orderbook.Order{ID: 1, Side: orderbook.Sell, Type: orderbook.IOC, Qty: 1})},
		{"Market FOK short", orderbook.ErrFillOrKill, market(buy(orderbook.FOK, 0, 6))},
		{"Preview side", orderbook.ErrInvalidSide, preview(b, orderbook.Order{ID: x, Type: orderbook.IOC, Qty: 1})},
		{"Preview duplicate ID", orderbook.ErrDuplicateID, preview(b, gtc(1, orderbook.Buy, 99, 1))},
		{"Preview post-only crosses", orderbook.ErrWouldCross, preview(b, buy(orderbook.PostOnly, 101, 1))},
		{"Preview FOK short", orderbook.ErrFillOrKill, preview(b, buy(orderbook.FOK, 0, 6))},
		{"Preview overflow", orderbook.ErrOverflow, preview(b, buy(orderbook.GTC, 90, 1))},
		{"Preview fixed book full", orderbook.ErrBookFull, preview(f, buy(orderbook.PostOnly, 99, 1))},
		{"Cancel unknown", orderbook.ErrUnknownOrder, cancel(b, x)},
		{"Cancel unknown, fixed book", orderbook.ErrUnknownOrder, cancel(full, x)},
		{"Cancel zero book", orderbook.ErrUnknownOrder, cancel(&z, 1)},
		{"Amend price", orderbook.ErrInvalidPrice, amend(b, 1, 0, 1)},
		{"Amend qty", orderbook.ErrInvalidQty, amend(b, 1, 99, 0)},
		{"Amend unknown", orderbook.ErrUnknownOrder, amend(b, x, 99, 1)},
		{"Amend zero book", orderbook.ErrUnknownOrder, amend(&z, 1, 99, 1)},
		{"Amend post-only crosses", orderbook.ErrWouldCross, amend(b, 4, 101, 1)},
		{"Amend overflow, same price", orderbook.ErrOverflow, amend(b, 7, 80, 11)},
		{"Amend overflow, new price", orderbook.ErrOverflow, amend(b, 1, 90, 1)},
		{"Amend fixed book, no level", orderbook.ErrBookFull, amend(f, 10, 99, 1)},
		{"ImpactQty side", orderbook.ErrInvalidSide, impact(b.ImpactQty, 0, 1)},
		{"ImpactQty qty", orderbook.ErrInvalidQty, impact(b.ImpactQty, orderbook.Buy, 0)},
		{"ImpactQty overflow", orderbook.ErrOverflow, impact(b.ImpactQty, orderbook.Buy, 1<<62)},
		{"ImpactQty not enough depth", orderbook.ErrNotEnoughDepth, impact(b.ImpactQty, orderbook.Sell, 6)},
		{"ImpactQty zero book", orderbook.ErrNotEnoughDepth, impact(z.ImpactQty, orderbook.Sell, 1)},
		{"ImpactNotional side", orderbook.ErrInvalidSide, impact(b.ImpactNotional, 3, 1)},
		{"ImpactNotional notional", orderbook.ErrInvalidQty, impact(b.ImpactNotional, orderbook.Sell, -1)},
		{"ImpactNotional overflow", orderbook.ErrOverflow, impact(b.ImpactNotional, orderbook.Buy, big)},
		{"ImpactNotional not enough depth", orderbook.ErrNotEnoughDepth, impact(b.ImpactNotional, orderbook.Sell, 506)},
		{"L2 Set side", orderbook.ErrInvalidSide, func() error { return m.Set(0, 99, 1) }},
		{"L2 Set price", orderbook.ErrInvalidPrice, func() error { return m.Set(orderbook.Buy, -1, 1) }},
		{"L2 Set qty", orderbook.ErrInvalidQty, func() error { return m.Set(orderbook.Sell, 101, -1) }},
		{"L2 Delete side", orderbook.ErrInvalidSide, func() error { return m.Delete(3, 99) }},
		{"L2 Delete price", orderbook.ErrInvalidPrice, func() error { return m.Delete(orderbook.Buy, 0) }},
		{"L2 Snapshot price", orderbook.ErrInvalidPrice, func() error { return m.Snapshot(good, badPrice) }},
		{"L2 Snapshot qty", orderbook.ErrInvalidQty, func() error { return m.Snapshot(badQty, good) }},
		{"L2 Snapshot duplicate bid", orderbook.ErrDuplicatePrice, func() error { return m.Snapshot(dup, good) }},
		{"L2 Snapshot duplicate ask", orderbook.ErrDuplicatePrice, func() error { return m.Snapshot(nil, dup) }},
		{"L2 ImpactQty side", orderbook.ErrInvalidSide, impact(m.ImpactQty, 0, 1)},
		{"L2 ImpactQty qty", orderbook.ErrInvalidQty, impact(m.ImpactQty, orderbook.Sell, 0)},
		{"L2 ImpactQty overflow", orderbook.ErrOverflow, impact(m.ImpactQty, orderbook.Buy, 1<<62)},
		{"L2 ImpactQty not enough depth", orderbook.ErrNotEnoughDepth, impact(m.ImpactQty, orderbook.Sell, 6)},
		{"L2 ImpactNotional side", orderbook.ErrInvalidSide, impact(m.ImpactNotional, -1, 1)},
		{"L2 ImpactNotional notional", orderbook.ErrInvalidQty, impact(m.ImpactNotional, orderbook.Buy, 0)},
		{"L2 ImpactNotional overflow", orderbook.ErrOverflow, impact(m.ImpactNotional, orderbook.Buy, big)},
		{"L2 ImpactNotional not enough depth", orderbook.ErrNotEnoughDepth, impact(m.ImpactNotional, orderbook.Sell, 506)},
		{"L2 zero mirror ImpactQty", orderbook.ErrNotEnoughDepth, impact(zm.ImpactQty, orderbook.Buy, 1)},
		{"L2 zero mirror Set side", orderbook.ErrInvalidSide, func() error { return zm.Set(0, 1, 1) }},
		{"L2 zero mirror Snapshot duplicate", orderbook.ErrDuplicatePrice, func() error { return zm.Snapshot(good, dup) }},
	} {
		rows = append(rows, dectest.Fails(t, tc.name, tc.want, tc.fn))
	}

	// The queries with bad input answer nothing, and allocate nothing.
	for _, tc := range []struct {
		name string
		fn   func() int
	}{
		{"AppendDepth side", func() int { depth = b.AppendDepth(depth[:0], 0, 5); return len(depth) }},
		{"AppendDepth n", func() int { depth = b.AppendDepth(depth[:0], orderbook.Buy, -1); return len(depth) }},
		{"AppendDepth zero book", func() int { depth = z.AppendDepth(depth[:0], orderbook.Buy, 5); return len(depth) }},
		{"L2 AppendDepth side", func() int { depth = m.AppendDepth(depth[:0], 3, 5); return len(depth) }},
		{"L2 AppendDepth n", func() int { depth = m.AppendDepth(depth[:0], orderbook.Sell, 0); return len(depth) }},
		{"Levels side", func() int {
			n := 0
			for range b.Levels(0) {
				n++
			}
			return n
		}},
		{"Orders side", func() int {
			n := 0
			for range b.Orders(3) {
				n++
			}
			return n
		}},
		{"L2 Levels side", func() int {
			n := 0
			for range m.Levels(-1) {
				n++
			}
			return n
		}},
		{"Order unknown", func() int { sink.order, sink.ok = b.Order(x); return int(sink.order.Qty) }},
		{"Order zero book", func() int { sink.order, sink.ok = z.Order(1); return int(sink.order.Qty) }},
		{"BestBid, BestAsk zero book", func() int {
			sink.level, sink.ok = z.BestBid()
			sink.level, sink.ok = z.BestAsk()
			return int(sink.level.Qty)
		}},
		{"L2 BestBid, BestAsk zero mirror", func() int {
			sink.level, sink.ok = zm.BestBid()
			sink.level, sink.ok = zm.BestAsk()
			return int(sink.level.Qty)
		}},
	} {
		rows = append(rows, dectest.AllocCase{Name: tc.name, Fn: func() {
			if n := tc.fn(); n != 0 {
				t.Fatalf("%s: answered %d, want nothing", tc.name, n)
			}
		}})
	}
	return rows
}
