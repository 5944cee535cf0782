package orderbook

// level is a price level of a Book: the queue of the orders resting at one
// price on one side, oldest (first to trade) first. Handles index the
// Book's slabs; 0 is nil.
type level struct {
	price int64
	total int64 // sum of the orders' open quantities
	head  int32 // chunk of the oldest orders
	tail  int32 // chunk of the newest orders
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

// A level's queue is an unrolled linked list of chunks, each holding the
// handles of up to chunkLen orders in arrival order. An order that leaves
// from the middle is replaced by a 0 in its chunk, so cancelling touches
// the order and its chunk and nothing else (a doubly linked list of orders
// would also touch both neighbours, two more cache misses in a large
// book); a chunk is freed when its last order leaves. Matching reads the
// handles from the head chunk, so it can fetch the orders in parallel
// rather than chase pointers from one to the next.
const chunkLen = 12

// chunk is 64 bytes: one cache line.
type chunk struct {
	h          [chunkLen]int32 // order handles; 0 for an order that left
	prev, next int32           // older and newer chunk of the level; next chains free chunks
	begin, end uint8           // the handles in use are h[begin:end]
	live       uint8           // non-zero handles in h[begin:end]
	_          [5]byte
}

// pushBack appends order h to the queue of level lh: it has the lowest
// time priority there.
func (b *Book) pushBack(lh, h int32) {
	lv := &b.levels[lh]
	c := lv.tail
	if c == 0 || b.chunks[c].end == chunkLen {
		c = b.newChunk()
		ch := &b.chunks[c]
		ch.prev = lv.tail
		if lv.tail != 0 {
			b.chunks[lv.tail].next = c
		} else {
			lv.head = c
		}
		lv.tail = c
	}
	ch := &b.chunks[c]
	o := &b.orders[h]
	o.level, o.chunk, o.pos = lh, c, ch.end
	ch.h[ch.end] = h
	ch.end++
	ch.live++
	lv.total += o.qty
	lv.n++
}

// unlink takes order h out of its level's queue and total, leaving the
// order's slot and ID in place. It reports whether the level is now empty.
func (b *Book) unlink(h int32) bool {
	o := &b.orders[h]
	lv := &b.levels[o.level]
	ch := &b.chunks[o.chunk]
	ch.h[o.pos] = 0
	ch.live--
	if ch.live == 0 {
		b.dropChunk(lv, o.chunk)
	} else {
		// Trim the ends, so that the head is at begin and a slot at the
		// tail is reused: adding and cancelling at the touch leaves no
		// holes behind.
		for ch.h[ch.begin] == 0 {
			ch.begin++
		}
		for ch.h[ch.end-1] == 0 {
			ch.end--
		}
	}
	lv.total -= o.qty
	lv.n--
	return lv.n == 0
}

// dropChunk unlinks the empty chunk c from level lv's list and frees it.
func (b *Book) dropChunk(lv *level, c int32) {
	ch := &b.chunks[c]
	if ch.prev != 0 {
		b.chunks[ch.prev].next = ch.next
	} else {
		lv.head = ch.next
	}
	if ch.next != 0 {
		b.chunks[ch.next].prev = ch.prev
	} else {
		lv.tail = ch.prev
	}
	b.freeChunk(c)
}

// head returns the oldest order of level lv, which is not empty.
func (b *Book) head(lv *level) int32 {
	ch := &b.chunks[lv.head]
	return ch.h[ch.begin]
}

// queue calls f with each order of level lv in priority order, until f
// returns false.
func (b *Book) queue(lv *level, f func(h int32) bool) bool {
	for c := lv.head; c != 0; c = b.chunks[c].next {
		ch := &b.chunks[c]
		for _, h := range ch.h[ch.begin:ch.end] {
			if h != 0 && !f(h) {
				return false
			}
		}
	}
	return true
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
