package orderbook

// A price level of a Book is the queue of the orders resting at one price
// on one side, oldest (first to trade) first. Its value in the side's
// ladder says how it is kept:
//
//   - an order alone at its price is the level: the ladder holds its
//     handle, negated, and the order holds its place in the ladder
//     (order.at: its key's pos, packed by place);
//   - two orders or more share a level: the ladder holds the level's
//     handle, the orders hold it, and the level holds their queue, their
//     total and the place.
//
// So a book whose levels hold one order each, as where orders are spread
// far from the touch, has no level structs, and a cancel there goes from
// the order to its ladder's heads, which stay in cache, and no further.
// The second order at a price makes the level; when a level is down to
// one order, the order is alone again and the level freed.
//
// Measured on 2026-12-06 against a level for every price (617ee11), the
// test binaries run in turn 10 times: the wide workload at 1M levels
// 362 against 492 ns/op, at 100k 237 against 349; the mixed and hot
// workloads within their noise, and 2% more instructions under callgrind
// (the README's order book section).

// level is a price level of two orders or more. Handles index the Book's
// slabs; 0 is nil.
//
// It is 32 bytes, two to a cache line.
type level struct {
	price int64
	total int64 // sum of the orders' open quantities
	head  int32 // oldest order, first to trade; chains free levels in the pool
	tail  int32 // newest order
	at    int32 // its place in the ladder
	side  Side
}

// key returns the sort key of a price on a side: the price for bids and its
// negation for asks, so that on both sides a larger key is a better price.
// Prices are positive, so the negation cannot overflow. It is its own
// inverse: key(s, key(s, price)) is price.
func key(s Side, price int64) int64 {
	if s == Buy {
		return price
	}
	return -price
}

// place returns p as an int32, for an order or level to keep; at returns
// the pos of a place. A page handle is less than 1<<26 (maxPlaces), so it
// fits.
func place(p pos) int32  { return p.pg<<pageShift | p.i }
func at(place int32) pos { return pos{place >> pageShift, place & pageMask} }

// alone reports whether order h is alone at its price: then it is its own
// level, and its at is its place.
func (b *Book) alone(h int32) bool {
	o := &b.orders[h]
	return o.prev|o.next == 0
}

// first returns the oldest order at the level the ladder value v names.
func (b *Book) first(v int32) int32 {
	if v < 0 {
		return -v
	}
	return b.levels[v].head
}

// total returns the quantity resting at the level the ladder value v
// names.
func (b *Book) total(v int32) int64 {
	if v < 0 {
		return b.orders[-v].qty
	}
	return b.levels[v].total
}

// price returns the price of resting order h.
func (b *Book) price(h int32) int64 {
	o := &b.orders[h]
	if o.prev|o.next != 0 {
		return b.levels[o.at].price
	}
	l := &b.bids
	if o.side == Sell {
		l = &b.asks
	}
	return key(o.side, l.heads[o.at>>pageShift].num<<pageShift|int64(o.at&pageMask))
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

// rest puts order h, whose fields but its links are set, at the back of
// the queue at price on side s, where find returned p and found: alone at
// a new level, or making the level where one order rests alone, or joining
// the level. The caller has checked room.
func (b *Book) rest(h int32, s Side, price int64, p pos, found bool) {
	l := b.ladder(s)
	if !found {
		p.pg = l.insert(p, key(s, price), -h)
		o := &b.orders[h]
		o.prev, o.next, o.at = 0, 0, place(p)
		return
	}
	lh := l.val(p)
	if lh < 0 {
		first := -lh
		lh = b.newLevel(s, price)
		lv := &b.levels[lh]
		lv.head, lv.tail, lv.total, lv.at = first, first, b.orders[first].qty, place(p)
		b.orders[first].at = lh
		l.set(p, lh)
	}
	b.pushBack(lh, h)
}

// pushBack appends order h to the queue of level lh: it has the lowest
// time priority there.
func (b *Book) pushBack(lh, h int32) {
	lv := &b.levels[lh]
	o := &b.orders[h]
	o.at = lh
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

// unlink takes order h, which is not alone, out of its level's queue and
// total, leaving the order's slot and ID in place, and the level in place
// even if one order is left: the caller puts h back, or settles the level
// (leave).
func (b *Book) unlink(h int32) {
	o := &b.orders[h]
	lv := &b.levels[o.at]
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
}

// leave takes order h out of the book's price levels, leaving its slot
// and ID in place: if it was alone at its price, the level closes; if it
// leaves one order there, that order is alone.
func (b *Book) leave(h int32) {
	o := &b.orders[h]
	if o.prev|o.next == 0 {
		b.ladder(o.side).remove(at(o.at))
		return
	}
	lh := o.at
	b.unlink(h)
	if lv := &b.levels[lh]; lv.head == lv.tail {
		b.settle(lh)
	}
}

// settle frees level lh, left with one order, which is then alone at its
// price.
func (b *Book) settle(lh int32) {
	lv := &b.levels[lh]
	h := lv.head
	b.orders[h].at = lv.at
	b.ladder(lv.side).set(at(lv.at), -h)
	b.freeLevel(lh)
}
