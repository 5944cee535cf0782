package bench

import "github.com/derivmath/derivmath/orderbook"

// Flat is a limit order book of the flat-array kind, the reference that
// derivmath's orderbook.Book measures itself against on books that stay
// near their touch: prices are int64 ticks within a fixed window, each
// side's levels are an array indexed by price, and each side's best price
// is an index that a linear scan moves when its level empties. Orders live
// in a slab with a free list, queued at their level in a doubly linked
// list, and a Go map finds them by ID. Matching is price-time priority at
// the resting order's price, as in orderbook.Book. It does no validation
// and has no order types beyond GTC, IOC and market: the benchmarks send
// valid orders, at prices within its window.
type Flat struct {
	base    int64       // the price of index 0
	bids    []flatLevel // by price - base
	asks    []flatLevel
	bestBid int         // the highest bid level's index, or -1
	bestAsk int         // the lowest ask level's index, or len(asks)
	orders  []flatOrder // slab; 0 is nil
	free    int32
	ids     map[orderbook.OrderID]int32
}

type flatLevel struct {
	head, tail int32
	total      int64
}

type flatOrder struct {
	id         orderbook.OrderID
	qty        int64
	prev, next int32 // at the level; next chains free slots
	idx        int32 // the level's index
	buy        bool
}

// NewFlat returns an empty book for prices in [base, base+width), with
// room for orders resting orders.
func NewFlat(base int64, width, orders int) *Flat {
	return &Flat{
		base: base, bids: make([]flatLevel, width), asks: make([]flatLevel, width),
		bestBid: -1, bestAsk: width,
		orders: make([]flatOrder, 1, orders+1),
		ids:    make(map[orderbook.OrderID]int32, orders),
	}
}

// Len returns the number of resting orders.
func (b *Flat) Len() int { return len(b.ids) }

// Reset empties the book, keeping its memory.
func (b *Flat) Reset() {
	clear(b.bids)
	clear(b.asks)
	b.bestBid, b.bestAsk = -1, len(b.asks)
	b.orders = b.orders[:1]
	b.free = 0
	clear(b.ids)
}

// Limit sends a limit order, GTC (rest what does not trade) or not (IOC),
// and appends its fills to dst.
func (b *Flat) Limit(id orderbook.OrderID, buy bool, price, qty int64, gtc bool, dst []orderbook.Fill) []orderbook.Fill {
	idx := int(price - b.base)
	dst, qty = b.match(id, buy, idx, qty, dst)
	if qty > 0 && gtc {
		b.rest(id, buy, idx, qty)
	}
	return dst
}

// Market sends a market IOC order and appends its fills to dst.
func (b *Flat) Market(id orderbook.OrderID, buy bool, qty int64, dst []orderbook.Fill) []orderbook.Fill {
	limit := len(b.asks) - 1
	if !buy {
		limit = 0
	}
	dst, _ = b.match(id, buy, limit, qty, dst)
	return dst
}

// Cancel removes a resting order and reports whether there was one.
func (b *Flat) Cancel(id orderbook.OrderID) bool {
	h, ok := b.ids[id]
	if !ok {
		return false
	}
	delete(b.ids, id)
	o := &b.orders[h]
	side := b.asks
	if o.buy {
		side = b.bids
	}
	lv := &side[o.idx]
	if o.prev != 0 {
		b.orders[o.prev].next = o.next
	} else {
		lv.head = o.next
	}
	if o.next != 0 {
		b.orders[o.next].prev = o.prev
	} else {
		lv.tail = o.prev
	}
	lv.total -= o.qty
	if lv.head == 0 {
		if o.buy && int(o.idx) == b.bestBid {
			b.bestBid = b.scanBids(b.bestBid)
		} else if !o.buy && int(o.idx) == b.bestAsk {
			b.bestAsk = b.scanAsks(b.bestAsk)
		}
	}
	o.next = b.free
	b.free = h
	return true
}

// Best returns the best price and the total there on a side.
func (b *Flat) Best(buy bool) (price, qty int64, ok bool) {
	if buy {
		if b.bestBid < 0 {
			return 0, 0, false
		}
		return b.base + int64(b.bestBid), b.bids[b.bestBid].total, true
	}
	if b.bestAsk == len(b.asks) {
		return 0, 0, false
	}
	return b.base + int64(b.bestAsk), b.asks[b.bestAsk].total, true
}

// scanBids returns the highest non-empty bid level below i, or -1.
func (b *Flat) scanBids(i int) int {
	for i--; i >= 0 && b.bids[i].head == 0; i-- {
	}
	return i
}

// scanAsks returns the lowest non-empty ask level above i, or len.
func (b *Flat) scanAsks(i int) int {
	for i++; i < len(b.asks) && b.asks[i].head == 0; i++ {
	}
	return i
}

// match trades an order on one side against the other up to the level
// index limit, and returns the fills and the quantity left.
func (b *Flat) match(id orderbook.OrderID, buy bool, limit int, qty int64, dst []orderbook.Fill) ([]orderbook.Fill, int64) {
	for qty > 0 {
		var lv *flatLevel
		var i int
		if buy {
			if i = b.bestAsk; i == len(b.asks) || i > limit {
				break
			}
			lv = &b.asks[i]
		} else {
			if i = b.bestBid; i < 0 || i < limit {
				break
			}
			lv = &b.bids[i]
		}
		price := b.base + int64(i)
		for qty > 0 && lv.head != 0 {
			h := lv.head
			o := &b.orders[h]
			q := min(qty, o.qty)
			qty -= q
			o.qty -= q
			lv.total -= q
			done := o.qty == 0
			dst = append(dst, orderbook.Fill{Maker: o.id, Taker: id, Price: price, Qty: q, MakerDone: done})
			if !done {
				break
			}
			delete(b.ids, o.id)
			lv.head = o.next
			if o.next != 0 {
				b.orders[o.next].prev = 0
			} else {
				lv.tail = 0
			}
			o.next = b.free
			b.free = h
		}
		if lv.head == 0 {
			if buy {
				b.bestAsk = b.scanAsks(i)
			} else {
				b.bestBid = b.scanBids(i)
			}
		}
	}
	return dst, qty
}

// rest queues an order at level index idx of its side.
func (b *Flat) rest(id orderbook.OrderID, buy bool, idx int, qty int64) {
	h := b.free
	if h != 0 {
		b.free = b.orders[h].next
	} else {
		b.orders = append(b.orders, flatOrder{})
		h = int32(len(b.orders) - 1)
	}
	side := b.asks
	if buy {
		side = b.bids
		b.bestBid = max(b.bestBid, idx)
	} else {
		b.bestAsk = min(b.bestAsk, idx)
	}
	lv := &side[idx]
	b.orders[h] = flatOrder{id: id, qty: qty, prev: lv.tail, idx: int32(idx), buy: buy}
	if lv.tail != 0 {
		b.orders[lv.tail].next = h
	} else {
		lv.head = h
	}
	lv.tail = h
	lv.total += qty
	b.ids[id] = h
}
