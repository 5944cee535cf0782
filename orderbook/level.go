package orderbook

// level is a price level of a Book: the queue of the orders resting at one
// price on one side, oldest (first to trade) first. Handles index the
// Book's slabs; 0 is nil.
//
// It is 32 bytes, two to a cache line.
type level struct {
	price int64
	total int64 // sum of the orders' open quantities
	head  int32 // oldest order, first to trade; chains free levels in the pool
	tail  int32 // newest order
	page  int32 // the ladder page that holds it
	side  Side
}

// key returns the sort key of a price on a side: the price for bids and its
// negation for asks, so that on both sides a larger key is a better price.
// Prices are positive, so the negation cannot overflow.
func key(s Side, price int64) int64 {
	if s == Buy {
		return price
	}
	return -price
}

// A level's queue is a doubly linked list of its orders through their prev
// and next handles, oldest first.
//
// (An unrolled list, chunks of 12 handles in arrival order with holes
// where orders left, was tried: a cancel touches the order and its chunk
// rather than both neighbours, and matching can fetch the next orders in
// parallel. But random cancels leave chunks about a third full, so the
// chunks of a 100,000-order book took 1.7 MB more than the orders' own
// links, and the mixed workload and random cancels ran 40% and 55%
// slower on the 2-core development machine, whose cache holds a few MB.)

// pushBack appends order h to the queue of level lh: it has the lowest
// time priority there.
func (b *Book) pushBack(lh, h int32) {
	lv := &b.levels[lh]
	o := &b.orders[h]
	o.level = lh
	o.next = 0
	o.prev = lv.tail
	if lv.tail != 0 {
		b.orders[lv.tail].next = h
	} else {
		lv.head = h
	}
	lv.tail = h
	lv.total += o.qty
}

// unlink takes order h out of its level's queue and total, leaving the
// order's slot and ID in place. It reports whether the level is now empty.
func (b *Book) unlink(h int32) bool {
	o := &b.orders[h]
	lv := &b.levels[o.level]
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
	return lv.head == 0
}

// dropLevel removes the empty level lh from its ladder and returns it to
// the pool.
func (b *Book) dropLevel(lh int32) {
	lv := &b.levels[lh]
	l := b.ladder(lv.side)
	l.remove(pos{lv.page, int32(key(lv.side, lv.price) & pageMask)})
	b.freeLevel(lh)
}
