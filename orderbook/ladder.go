package orderbook

import (
	"math"
	"math/bits"
)

// A ladder holds one side's price levels by key(side, price), so that on
// both sides a larger key is a better price and the best level is the
// last. Its values are level handles (Book) or sizes (L2).
//
// Keys live in pages of 32 consecutive keys, those that share key>>5 (the
// page's number): a page holds a value slot for each of its keys, and its
// head (kept apart, in an array of 16-byte heads by the same handles) the
// page's number, a bit for each of its keys that is present, and the
// page before it. So once its page is found a key is looked up, added or
// removed by its low five bits, in O(1), however many levels there are
// and however far from the touch; and finding a page and whether a key
// is present reads the heads, an array a ninth the size of the pages',
// that stays in cache where the pages do not. The pages are chained in
// key order, which makes a walk from the best level O(1) a step, and the
// best page that holds keys is kept at hand (last).
//
// A key's page is found in one of four ways, each tried in turn: it is
// the best page (the touch, inline at the caller: atTouch); or it lives
// at its home, the handle given by the low bits of its number; or a
// direct-mapped cache, an array of page handles indexed by the low bits
// of the page number, remembers it; or a B+ tree of the page numbers
// ([tree]) finds it, in O(log P) for P pages, and the cache then
// remembers it. A ladder with reserved room (reserve) has a home for
// every page it can hold, so pages of consecutive numbers never take each
// other's homes: in a side whose levels span fewer pages than that, every
// page lives at its home and is found with one load, of its head, and a
// key whose page is absent is known absent from that load too, while no
// page lives away from its home. A page whose home is taken, or any page
// of a ladder that grew without reserve, lives in the slab past the homes
// and is found through the cache or the tree; the cache has an entry for
// every such page the ladder can hold. Prices chosen to collide only send
// their lookups to the cache and the tree.
//
// A page is made when its first key arrives, in O(log P) (its place in
// the tree and, from there, its neighbours in the chain). A page that
// empties is kept, in the tree and the chain, as the spare, until another
// page empties and takes its place, when it is freed in O(log P). So a
// level that opens and closes on a page of its own, as where the touch
// crosses from one page into the next and back, costs O(1).
//
// Measured on the 2-core development machine against the B+ tree keyed
// by every level's key that this replaces (benchstat medians of 5
// interleaved runs, 2026-12-05; pages of 32 keys): the L2
// delete-and-re-add far from the touch at 100k levels 136.3 against 25.2
// ns (at the touch 16.5 against 12.8), at 1M levels 254.0 against 37.3;
// the wide workload at 1M levels 509.8 against 315.2 ns, at 100k 216.6
// against 168.2; the mixed workload 90.9 against 72.0; the hot one
// unchanged within its noise. Pages of 64 keys measured the same, in
// twice the memory; pages of 16 cost the wide workload 50% more, its
// levels being about ten ticks apart.
//
// Heads apart from the pages, with orders alone at their price as their
// own level (level.go), cut the wide workload at 1M levels by a quarter
// (2026-12-06, 362 against 492 ns/op); homes, by a further 13% (310
// against 355 ns/op, 8 interleaved runs, p=0.04), the mixed and hot
// workloads and the L2 updates within their noise.
//
// The cost is memory where levels are sparse: a page and its head take
// 148 bytes (Book) or 280 (L2) however many of its 32 keys it holds, and
// the tree about 52 bytes a page, so a book whose levels lie 32 ticks or
// more apart takes about 200 bytes a level here, against 52 for the tree
// of levels this replaces. A ladder reserves for that worst case, twice:
// a home for every level it may hold (rounded up to a power of two), a
// page away from the homes for every level, and a tree slot for each, so
// up to about 450 bytes of address space a level, of which only the pages
// in use are touched.
type ladder[V int32 | int64] struct {
	pages []page[V] // slab; page 0 is a nil page that holds no keys
	heads []head    // the heads of the pages, by the same handles
	homes int       // pages [1, homes) are homes: the page numbered num lives at num&(homes-1) if it can; a power of two, or 0
	stray int       // pages in use outside the homes
	cache []int32   // page handles by the low bits of their numbers; a power of two long
	tree  tree      // the pages by number
	last  int32     // the best page that holds keys; 0 if the ladder is empty
	end   int32     // the page of the largest number: last, or the spare above it
	spare int32     // an empty page kept in the tree and the chain, or 0
	n     int       // keys
	free  int32     // free pages, chained through next
}

const (
	pageShift = 5              // a page's bits are a uint32
	pageSize  = 1 << pageShift // keys a page
	pageMask  = pageSize - 1
	noPage    = math.MinInt64 // the number of a free page: a key shifted right is never MinInt64
)

// A page holds the values of the keys num<<pageShift to num<<pageShift +
// pageMask, where num is in its head. The heads are apart, 16 bytes each,
// so that finding a key's page, and which of its keys are present, reads
// an array a tenth the size of the pages', which stays in cache where the
// pages do not.
type page[V int32 | int64] struct {
	next int32 // the page of larger keys, or 0; or the next free page
	vals [pageSize]V
}

// A head is the rest of a page.
type head struct {
	num  int64  // the page number; noPage if the page is free
	occ  uint32 // bit i set: the key num<<pageShift | i is present
	prev int32  // the page of smaller keys, or 0
}

// pos is the position of a key in a ladder: its page, and its slot there,
// the key's low bits. For a key that is absent, pg is 0 if its page
// is absent too. Any change to the ladder invalidates a pos.
type pos struct {
	pg int32
	i  int32
}

// topBit returns the index of the highest set bit of b, which is not 0.
func topBit(b uint32) int32 { return int32(31-bits.LeadingZeros32(b)) & pageMask }

// top returns the position of the best (largest) key; ok is false if the
// ladder is empty.
func (l *ladder[V]) top() (p pos, ok bool) {
	if l.n == 0 {
		return pos{}, false
	}
	return pos{l.last, topBit(l.heads[l.last].occ)}, true
}

// down returns the position of the next smaller key, and false if p is the
// smallest.
func (l *ladder[V]) down(p pos) (pos, bool) {
	if b := l.heads[p.pg].occ & (1<<p.i - 1); b != 0 {
		return pos{p.pg, topBit(b)}, true
	}
	h := l.heads[p.pg].prev
	if h != 0 && h == l.spare {
		h = l.heads[h].prev
	}
	if h != 0 {
		return pos{h, topBit(l.heads[h].occ)}, true
	}
	return pos{}, false
}

// key and val return the key and value at p.
func (l *ladder[V]) key(p pos) int64 { return l.heads[p.pg].num<<pageShift | int64(p.i) }
func (l *ladder[V]) val(p pos) V     { return l.pages[p.pg].vals[p.i&pageMask] }

// set sets the value at p.
func (l *ladder[V]) set(p pos, v V) { l.pages[p.pg].vals[p.i&pageMask] = v }

// best returns the best (largest) key and its value, and false if the
// ladder is empty: top, key and val in one, for matching.
func (l *ladder[V]) best() (int64, V, bool) {
	if l.n == 0 {
		return 0, 0, false
	}
	x := &l.heads[l.last]
	i := bits.Len32(x.occ) - 1
	return x.num<<pageShift + int64(i), l.pages[l.last].vals[i&pageMask], true
}

// bestKey returns the best (largest) key, and false if the ladder is
// empty: best without the value, small enough to inline where best is
// not.
func (l *ladder[V]) bestKey() (int64, bool) {
	if l.n == 0 {
		return 0, false
	}
	x := &l.heads[l.last]
	return x.num<<pageShift + int64(bits.Len32(x.occ)-1), true
}

// find returns the position of k and true, or the position at which k
// would be inserted and false. It is O(1) for a key in the best page or
// a page the cache holds, O(log P) otherwise.
func (l *ladder[V]) find(k int64) (pos, bool) {
	if p, found, ok := l.atTouch(k); ok {
		return p, found
	}
	return l.findOff(k)
}

// atTouch is find for a key in the best page, the common case, and
// reports in ok whether k is in that page; if not, findOff must decide.
// It is small enough to inline.
func (l *ladder[V]) atTouch(k int64) (p pos, found, ok bool) {
	if h := l.last; h != 0 {
		if x := &l.heads[h]; x.num == k>>pageShift {
			return pos{h, int32(k & pageMask)}, x.occ>>(k&pageMask)&1 != 0, true
		}
	}
	return pos{}, false, false
}

// findOff is find, for a key off the best page.
func (l *ladder[V]) findOff(k int64) (pos, bool) {
	i := int32(k & pageMask)
	h := l.lookup(k >> pageShift)
	if h == 0 {
		return pos{0, i}, false
	}
	return pos{h, i}, l.heads[h].occ>>i&1 != 0
}

// lookup returns the page numbered num, or 0 if there is none: from the
// cache, or else from the tree, and then the cache holds it.
func (l *ladder[V]) lookup(num int64) int32 {
	if l.homes != 0 {
		if h := int32(num & int64(l.homes-1)); l.heads[h].num == num {
			return h
		}
		if l.stray == 0 {
			return 0
		}
	}
	if len(l.cache) == 0 {
		return 0
	}
	c := &l.cache[num&int64(len(l.cache)-1)]
	// A stale entry names a page that was freed (its number is noPage),
	// made again for another number, or cut off by reset: none match.
	if h := *c; int(h) < len(l.heads) && l.heads[h].num == num {
		return h
	}
	p, ok := l.tree.find(num)
	if !ok {
		return 0
	}
	h := l.tree.val(p)
	*c = h
	return h
}

// insert adds k with value v at p, which find returned for k with false,
// making its page if p has none, and returns the page that holds it.
func (l *ladder[V]) insert(p pos, k int64, v V) int32 {
	if p.pg == 0 {
		p.pg = l.open(k >> pageShift)
	}
	o := &l.heads[p.pg].occ
	if *o == 0 {
		l.wake(p.pg)
	}
	*o |= 1 << p.i
	l.pages[p.pg].vals[p.i&pageMask] = v
	l.n++
	return p.pg
}

// wake readies page h, just made or the spare, to take its first key: it
// is no longer the spare, and it is the best page if it lies above the
// best.
func (l *ladder[V]) wake(h int32) {
	if h == l.spare {
		l.spare = 0
	}
	if l.last == 0 || l.heads[h].num > l.heads[l.last].num {
		l.last = h
	}
}

// remove deletes the key at p, and retires its page if that was its last
// key.
func (l *ladder[V]) remove(p pos) {
	o := &l.heads[p.pg].occ
	*o &^= 1 << p.i
	l.n--
	if *o == 0 {
		l.retire(p.pg)
	}
}

// popBest deletes the best key, in O(1), and reports whether that emptied
// the best page: the caller must then call retireBest, which may cost
// O(log P). (Split in two so that the common case inlines.)
func (l *ladder[V]) popBest() (empty bool) {
	o := &l.heads[l.last].occ
	*o &^= 1 << topBit(*o)
	l.n--
	return *o == 0
}

// retireBest retires the best page, which popBest emptied.
func (l *ladder[V]) retireBest() { l.retire(l.last) }

// retire keeps page h, just emptied, as the spare, and frees the spare
// before it. So a level that opens and closes on a page of its own, as
// where the touch crosses from one page to the next and back, finds its
// page in place, and pays for a page (O(log P)) only when another page
// has emptied in between.
func (l *ladder[V]) retire(h int32) {
	if s := l.spare; s != 0 {
		l.close(s)
	}
	l.spare = h
	if h == l.last {
		l.last = l.heads[h].prev // the spare was the only empty page
	}
}

// open makes the page numbered num, which is absent, and returns it; it
// takes its first key next.
func (l *ladder[V]) open(num int64) int32 {
	h := l.newPage(num)
	tp, _ := l.tree.find(num)
	up := l.tree.above(tp)
	l.tree.insert(tp, num, h)
	x := &l.heads[h]
	x.num, x.occ = num, 0
	l.pages[h].next = up
	if up != 0 {
		x.prev = l.heads[up].prev
		l.heads[up].prev = h
	} else {
		x.prev = l.end
		l.end = h
	}
	if x.prev != 0 {
		l.pages[x.prev].next = h
	}
	l.cache[num&int64(len(l.cache)-1)] = h
	return h
}

// close frees page h, the spare, which holds no keys and is not last.
func (l *ladder[V]) close(h int32) {
	x, next := &l.heads[h], l.pages[h].next
	tp, _ := l.tree.find(x.num)
	l.tree.remove(tp)
	if x.prev != 0 {
		l.pages[x.prev].next = next
	}
	if next != 0 {
		l.heads[next].prev = x.prev
	} else {
		l.end = x.prev
	}
	x.num = noPage
	if int(h) >= l.homes {
		l.pages[h].next = l.free
		l.free = h
		l.stray--
	}
}

// newPage returns a free page for the number num: its home if that is
// free, else a page from the free list or the slab, growing the cache if
// the slab outgrows it.
func (l *ladder[V]) newPage(num int64) int32 {
	if l.homes != 0 {
		if h := int32(num & int64(l.homes-1)); h != 0 && !l.used(h) {
			return h
		}
	}
	l.stray++
	if h := l.free; h != 0 {
		l.free = l.pages[h].next
		return h
	}
	if len(l.pages) == 0 {
		l.pages = append(l.pages, page[V]{})
		l.heads = append(l.heads, head{num: noPage})
	}
	// Numbered noPage until open numbers it, so that growCache leaves
	// it out rather than file it as page 0.
	l.pages = append(l.pages, page[V]{})
	l.heads = append(l.heads, head{num: noPage})
	if len(l.pages)-l.homes > len(l.cache) {
		l.growCache(2 * (len(l.pages) - l.homes))
	}
	return int32(len(l.pages) - 1)
}

// used reports whether page h holds a page in use (or the spare). A home
// is in use if it holds a number whose home it is: one never used holds
// 0, and one freed noPage, neither of which is (a home is not 0).
func (l *ladder[V]) used(h int32) bool {
	num := l.heads[h].num
	if int(h) < l.homes {
		return h != 0 && num&int64(l.homes-1) == int64(h)
	}
	return num != noPage
}

// growCache makes a cache of at least n entries (a power of two, at least
// 16) and fills it with the pages in use.
func (l *ladder[V]) growCache(n int) {
	size := 16
	for size < n {
		size *= 2
	}
	l.cache = make([]int32, size)
	mask := int64(size - 1)
	for h := range l.heads {
		if l.used(int32(h)) {
			l.cache[l.heads[h].num&mask] = int32(h)
		}
	}
}

// reserve makes room for n keys, however they come and go, without
// further allocation: in the worst case each key has a page, and the
// spare is one more. The slabs begin with the homes, a power of two at
// least n+2 of them, left as make zeroes them (none in use); then room for
// as many pages again away from their homes, as when each page's home is
// taken by another. Those pages' handles run up to homes+n+1, which must
// be less than limit: where they would not be, there are fewer homes (at
// least 16), or none.
func (l *ladder[V]) reserve(n, limit int) {
	homes := 16
	for homes < n+2 {
		homes *= 2
	}
	for homes >= 16 && homes+n+2 > limit {
		homes /= 2
	}
	if homes < 16 {
		homes = 0
	}
	*l = ladder[V]{
		homes: homes,
		pages: make([]page[V], max(homes, 1), homes+n+2),
		heads: make([]head, max(homes, 1), homes+n+2),
	}
	l.heads[0].num = noPage
	l.growCache(n + 2)
	l.tree.reserve(n + 1)
}

// reset empties l, keeping its memory, in O(P) for the P pages it held:
// it frees each, which are chained from end. The cache keeps its entries,
// which no longer match.
func (l *ladder[V]) reset() {
	for h := l.end; h != 0; h = l.heads[h].prev {
		l.heads[h].num = noPage
	}
	if len(l.pages) > 0 {
		n := max(l.homes, 1)
		l.pages = l.pages[:n]
		l.heads = l.heads[:n]
	}
	l.tree.reset()
	l.last, l.end, l.spare, l.n, l.free, l.stray = 0, 0, 0, 0, 0, 0
}
