package orderbook_test

import (
	"testing"

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
func TestAllocs(t *testing.T) {
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

	for _, tc := range []struct {
		name string
		want float64
		fn   func()
	}{
		{"Limit GTC rests at a level, Cancel", 0, func() { add(gtcAt(x, bid)); cancel(x) }},
		{"Limit GTC rests at a new level, Cancel", 0, func() { add(gtcAt(x, bid+1)); cancel(x) }},
		{"Limit post-only, Cancel", 0, func() {
			add(orderbook.Order{ID: x, Side: orderbook.Sell, Type: orderbook.PostOnly, Price: ask + 3, Qty: 1})
			cancel(x)
		}},
		{"Limit GTC trades and rests, Cancel", 0, func() {
			// Takes the deep ask's time priority away: re-add it after.
			add(orderbook.Order{ID: x, Side: orderbook.Sell, Type: orderbook.GTC, Price: bid, Qty: 60})
			cancel(x)
			for _, f := range fills {
				add(orderbook.Order{ID: f.Maker, Side: orderbook.Buy, Type: orderbook.GTC, Price: f.Price, Qty: 5})
			}
		}},
		{"Limit IOC partial fill", 0, func() {
			add(orderbook.Order{ID: x, Side: orderbook.Buy, Type: orderbook.IOC, Price: ask, Qty: 1})
		}},
		{"Limit FOK", 0, func() {
			add(orderbook.Order{ID: x, Side: orderbook.Buy, Type: orderbook.FOK, Price: ask, Qty: 2})
		}},
		{"Limit FOK killed", 0, func() {
			_, err := b.Limit(orderbook.Order{ID: x, Side: orderbook.Buy, Type: orderbook.FOK, Price: ask - 1, Qty: 2}, fills[:0])
			if err == nil {
				t.Fatal("FOK filled")
			}
		}},
		{"Limit with STP cancel resting", 0, func() {
			add(orderbook.Order{ID: x + 1, Side: orderbook.Sell, Type: orderbook.GTC, Price: ask - 1, Qty: 5, Owner: 9})
			add(orderbook.Order{ID: x, Side: orderbook.Buy, Type: orderbook.IOC, Price: ask, Qty: 1, Owner: 9, STP: orderbook.CancelResting})
			if len(fills) != 2 || fills[0].Qty != 0 {
				t.Fatalf("fills %v", fills)
			}
		}},
		{"Limit error", 0, func() {
			if _, err := b.Limit(orderbook.Order{ID: 1, Side: orderbook.Buy, Type: orderbook.GTC, Price: 1, Qty: 1}, fills[:0]); err == nil {
				t.Fatal("duplicate accepted")
			}
		}},
		{"Market IOC partial fill", 0, func() {
			var err error
			fills, err = b.Market(orderbook.Order{ID: x, Side: orderbook.Buy, Type: orderbook.IOC, Qty: 7}, fills[:0])
			must(err)
		}},
		{"Market sweeping 2 levels, re-add", 0, func() {
			var err error
			fills, err = b.Market(orderbook.Order{ID: x, Side: orderbook.Sell, Type: orderbook.FOK, Qty: 100}, fills[:0])
			must(err)
			for _, f := range fills {
				add(orderbook.Order{ID: f.Maker, Side: orderbook.Buy, Type: orderbook.GTC, Price: f.Price, Qty: 5})
			}
		}},
		{"Cancel, re-add", 0, func() {
			cancel(100)
			add(orderbook.Order{ID: 100, Side: orderbook.Sell, Type: orderbook.GTC, Price: ask + 1 + 4, Qty: 5})
		}},
		{"Amend reduce, restore", 0, func() {
			var err error
			_, err = b.Amend(2, ask+1, 4, fills[:0])
			must(err)
			_, err = b.Amend(2, ask+1, 5, fills[:0])
			must(err)
		}},
		{"Amend reprice and back", 0, func() {
			var err error
			_, err = b.Amend(3, bid-30, 5, fills[:0])
			must(err)
			_, err = b.Amend(3, bid, 5, fills[:0])
			must(err)
		}},
		{"Amend reprice through the ask, re-add", 0, func() {
			add(gtcAt(x, bid))
			var err error
			fills, err = b.Amend(x, ask, 3, fills[:0])
			must(err)
		}},
		{"Preview sweeping 2 levels, GTC", 0, func() {
			var err error
			fills, err = b.Preview(orderbook.Order{ID: x, Side: orderbook.Sell, Type: orderbook.GTC, Price: bid - 1, Qty: 60}, fills[:0])
			must(err)
			if len(fills) != 12 {
				t.Fatalf("fills %v", fills)
			}
		}},
		{"Order", 0, func() { sink.order, sink.ok = b.Order(5) }},
		{"BestBid, BestAsk", 0, func() { sink.level, sink.ok = b.BestBid(); sink.level, sink.ok = b.BestAsk() }},
		{"AppendDepth", 0, func() { depth = b.AppendDepth(depth[:0], orderbook.Buy, 20) }},
		{"Levels", 0, func() {
			for p, q := range b.Levels(orderbook.Sell) {
				sink.n += p + q
			}
		}},
		{"Orders", 0, func() {
			for o := range b.Orders(orderbook.Buy) {
				sink.n += o.Qty
			}
		}},
		{"ImpactQty", 0, func() {
			var err error
			sink.impact, err = b.ImpactQty(orderbook.Buy, 120)
			must(err)
		}},
		{"ImpactNotional", 0, func() {
			var err error
			sink.impact, err = b.ImpactNotional(orderbook.Buy, 120*bid)
			must(err)
		}},
		{"L2 Set existing", 0, func() { must(m.Set(orderbook.Buy, bid-7, 3)) }},
		{"L2 Set new, Delete", 0, func() {
			must(m.Set(orderbook.Sell, ask-1, 3))
			must(m.Delete(orderbook.Sell, ask-1))
		}},
		{"L2 Snapshot", 0, func() { must(m.Snapshot(bids, asks)) }},
		{"L2 BestBid, BestAsk", 0, func() { sink.level, sink.ok = m.BestBid(); sink.level, sink.ok = m.BestAsk() }},
		{"L2 AppendDepth", 0, func() { depth = m.AppendDepth(depth[:0], orderbook.Sell, 50) }},
		{"L2 Levels", 0, func() {
			for p, q := range m.Levels(orderbook.Buy) {
				sink.n += p + q
			}
		}},
		{"L2 ImpactQty", 0, func() {
			var err error
			sink.impact, err = m.ImpactQty(orderbook.Sell, 200)
			must(err)
		}},
		{"L2 ImpactNotional", 0, func() {
			var err error
			sink.impact, err = m.ImpactNotional(orderbook.Buy, 200*bid)
			must(err)
		}},
		{"wide: Limit GTC opens a far level, Cancel closes it", 0, func() {
			var err error
			if fills, err = w.Limit(gtcAt(x, farAt), fills[:0]); err != nil {
				t.Fatal(err)
			}
			if _, err = w.Cancel(x); err != nil {
				t.Fatal(err)
			}
		}},
		{"wide: Amend to a far level and back", 0, func() {
			var err error
			if _, err = w.Amend(1<<40, farAt, 1, fills[:0]); err != nil {
				t.Fatal(err)
			}
			if _, err = w.Amend(1<<40, bid, 1, fills[:0]); err != nil {
				t.Fatal(err)
			}
		}},
		{"wide: L2 Set far, Delete", 0, func() {
			must(wm.Set(orderbook.Sell, ask+250*2_000+3, 9))
			must(wm.Delete(orderbook.Sell, ask+250*2_000+3))
		}},
	} {
		if got := testing.AllocsPerRun(100, tc.fn); got != tc.want {
			t.Errorf("%s: %v allocations per run, want %v", tc.name, got, tc.want)
		}
	}
}
