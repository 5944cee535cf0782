package orderbook

// level is a price level of a Book: the queue of the orders resting at one
// price on one side, oldest (first to trade) first. Handles index the
// Book's slabs; 0 is nil.
type level struct {
	price int64
	total int64 // sum of the orders' open quantities
	head  int32 // oldest order, first to trade
	tail  int32 // newest order
	n     int32 // number of orders
	side  Side
	// next chains free levels in the pool.
	next int32
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

// ladder holds one side's price levels sorted by key, ascending, so that the
// best level is the last: arrivals and departures at the touch move nothing.
// vals holds a level handle (Book) or a size (L2) for each key.
type ladder[V int32 | int64] struct {
	keys []int64
	vals []V
}

// find returns the index of k in l.keys and true, or the index at which k
// would be inserted and false.
//
// Keys are distinct integers, so the level d ticks from the best is at most
// d places from the end: the search starts there, which makes a lookup near
// the touch, or anywhere in a book with a level on every tick, O(1).
func (l *ladder[V]) find(k int64) (int, bool) {
	n := len(l.keys)
	if n == 0 {
		return 0, false
	}
	best := l.keys[n-1]
	if k >= best {
		if k == best {
			return n - 1, true
		}
		return n, false
	}
	// best-k cannot overflow: both keys have the same sign.
	lo, hi := 0, n-1 // keys[hi] > k
	if d := best - k; d < int64(n) {
		lo = n - 1 - int(d)
	}
	// Invariant: keys[lo-1] < k (or lo == 0), keys[hi] > k.
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if l.keys[m] < k {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, l.keys[lo] == k
}

// insert puts k and v at index i, shifting the better levels up by one.
func (l *ladder[V]) insert(i int, k int64, v V) {
	l.keys = append(l.keys, 0)
	l.vals = append(l.vals, 0)
	copy(l.keys[i+1:], l.keys[i:])
	copy(l.vals[i+1:], l.vals[i:])
	l.keys[i] = k
	l.vals[i] = v
}

// remove deletes the entry at index i.
func (l *ladder[V]) remove(i int) {
	n := len(l.keys) - 1
	copy(l.keys[i:], l.keys[i+1:])
	copy(l.vals[i:], l.vals[i+1:])
	l.keys = l.keys[:n]
	l.vals = l.vals[:n]
}

// reserve makes room for n entries without further allocation.
func (l *ladder[V]) reserve(n int) {
	l.keys = make([]int64, 0, n)
	l.vals = make([]V, 0, n)
}

// reset empties l, keeping its memory.
func (l *ladder[V]) reset() {
	l.keys = l.keys[:0]
	l.vals = l.vals[:0]
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
	lv.n++
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
	lv.n--
	return lv.n == 0
}

// dropLevel removes the empty level lh from its ladder and returns it to
// the pool.
func (b *Book) dropLevel(lh int32) {
	lv := &b.levels[lh]
	l := b.ladder(lv.side)
	if i, ok := l.find(key(lv.side, lv.price)); ok {
		l.remove(i)
	}
	b.freeLevel(lh)
}
