package orderbook

import "math"

// A tree is a B+ tree of int64 keys with int32 values: a ladder's pages
// by number. (Until 2026-12-05 it held every level's key itself, as the
// ladder; its tuning below was measured then.)
//
// Leaves hold up to leafCap keys in order, with their values, and are
// chained both ways; inner nodes hold up to innerCap children, each with
// the smallest key its subtree may hold. Every node but the root holds at
// least a quarter of its capacity, so a tree of n keys is at most
// 1+log16(n/16) inner nodes deep: 4 for a million keys. Lookup, insertion
// and deletion walk one path, O(log n).
//
// The rightmost leaf, the best keys, is kept at hand (last), and a key at
// or above its smallest key is looked up there without walking the tree;
// then the leaf before it, then the leaf the last walk ended in, each
// only if its keys span the key. A leaf splits in halves when it
// overflows, and merges with a neighbour (or takes keys from it) when it
// falls under a quarter full, and merges only into a leaf at most three
// quarters full: a leaf that split, merged or took keys needs at least 9
// more insertions or deletions before it does again. One split is uneven:
// a new largest key past a full rightmost leaf (keys arriving in order)
// leaves it three quarters full and starts a leaf of minLeaf+1 keys, so
// that such a tree is three quarters full rather than half.
//
// Nodes live in slabs addressed by int32 handles, 0 being nil, and are
// recycled through free lists, as orders and levels are.
//
// Measured on the 2-core development machine (benchstat medians of
// interleaved runs, 2026-12-04), with a key per level: nodes of 64 keys
// against 32 and 16, 174, 188 and 235 ns for an L2 delete-and-re-add far
// from the touch at 100k levels, 976, 979 and 1,104 ns for the wide
// workload: fewer levels to walk beat fewer cache lines per node; and
// ranking a node a cache line at a time (rank) against a binary search,
// 719 against 936 ns on the wide workload, 189 against 236 ns for the L2
// update.
type tree struct {
	leaves    []leaf  // slab; index 0 is nil
	inners    []inner // slab; index 0 is nil
	root      int32   // a leaf if height is 0; 0 if none was made
	last      int32   // the rightmost leaf: the largest keys
	hint      int32   // the leaf the last search descended to, or 0
	height    int     // inner levels above the leaves
	n         int     // keys
	freeLeaf  int32
	freeInner int32
}

const (
	leafCap  = 64
	innerCap = 64
	minLeaf  = leafCap / 4  // fewest keys in a leaf other than the root
	minInner = innerCap / 4 // fewest children of an inner node other than the root
	maxDepth = 16           // inner levels; more than int32 handles can fill
)

// A leaf's keys come first, so that each run of 8 is one cache line (its
// size is a multiple of 64 bytes, and the slab's start is aligned). Slots
// past n hold MaxInt64.
type leaf struct {
	keys [leafCap]int64
	vals [leafCap]int32
	n    int32
	prev int32 // the leaf of smaller keys, or 0
	next int32 // the leaf of larger keys, or 0; or the next free leaf
	_    [64 - 12]byte
}

type inner struct {
	// keys[i] is at most every key in the subtree of kids[i], and larger
	// than every key in the subtree of kids[i-1]. keys[0] is MinInt64,
	// and the slots past n hold MaxInt64.
	keys [innerCap]int64
	kids [innerCap]int32
	n    int32 // children; free nodes are chained through kids[0]
	_    [64 - 4]byte
}

// tpos is the position of a key in a ladder: a leaf and an index in it.
// For a key that is absent, it is where the key would be inserted.
// Any change to the ladder invalidates it.
type tpos struct {
	leaf int32
	i    int32
}

// path records the inner nodes a search went through, root first, and the
// child it took in each.
type path struct {
	node [maxDepth]int32
	idx  [maxDepth]int32
}

// val returns the value at p.
func (l *tree) val(p tpos) int32 { return l.leaves[p.leaf].vals[p.i] }

// find returns the position of k and true, or the position at which k
// would be inserted and false.
func (l *tree) find(k int64) (tpos, bool) {
	if l.n == 0 {
		return tpos{leaf: l.last}, false
	}
	h := l.last
	x := &l.leaves[h]
	if k >= x.keys[0] {
		i, ok := x.searchTop(k)
		return tpos{h, i}, ok
	}
	// Then the leaf before it, near the touch too, if k lies within its
	// keys (a key between two leaves may belong to either).
	if h = x.prev; h != 0 {
		if x = &l.leaves[h]; x.keys[0] <= k && k <= x.keys[(x.n-1)&(leafCap-1)] {
			i := int32(rank(&x.keys, k))
			return tpos{h, i}, x.keys[i&(leafCap-1)] == k
		}
	}
	// Then the leaf the last search went down to, if k lies within its
	// keys: a feed updates the same far level, or its neighbours, again.
	if h = l.hint; h != 0 {
		x = &l.leaves[h]
		if x.keys[0] <= k && k <= x.keys[(x.n-1)&(leafCap-1)] {
			i := int32(rank(&x.keys, k))
			return tpos{h, i}, x.keys[i&(leafCap-1)] == k
		}
	}
	h = l.descend(k)
	l.hint = h
	x = &l.leaves[h]
	i := int32(rank(&x.keys, k))
	return tpos{h, i}, i < x.n && x.keys[i&(leafCap-1)] == k
}

// rank returns the number of keys less than k in a node's keys, which are
// in ascending order. It reads the last key of each cache line first,
// with no load waiting for another, so that a node out of cache costs
// about one miss, not one per step of a binary search; then the 8 keys
// of the line that holds the answer.
func rank(keys *[leafCap]int64, k int64) int {
	c := b2i(keys[7] < k) + b2i(keys[15] < k) + b2i(keys[23] < k) + b2i(keys[31] < k) +
		b2i(keys[39] < k) + b2i(keys[47] < k) + b2i(keys[55] < k) + b2i(keys[63] < k)
	if c == 8 {
		return leafCap
	}
	i := 8 * c
	line := (*[8]int64)(keys[i : i+8])
	j := 4 * b2i(line[3] < k)
	j += 2 * b2i(line[j+1] < k)
	j += b2i(line[j] < k)
	return i + j
}

// searchTop returns the index of k in x and true, or the index at which
// it would be inserted and false, for k at least x's first key. x holds at
// least one key.
func (x *leaf) searchTop(k int64) (int32, bool) {
	n := int(x.n)
	top := x.keys[n-1]
	if k >= top {
		return int32(n - 1 + b2i(k > top)), k == top
	}
	// top-k cannot overflow: the keys of a ladder share a sign.
	lo, hi := 0, n-1 // keys[hi] > k
	if d := top - k; d < int64(n) {
		lo = n - 1 - int(d)
	}
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if x.keys[m] < k {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return int32(lo), x.keys[lo] == k
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// child returns the index of the child of nd whose subtree would hold k:
// the last i with keys[i] <= k.
func (nd *inner) child(k int64) int {
	if k == math.MaxInt64 {
		return int(nd.n) - 1
	}
	return rank(&nd.keys, k+1) - 1
}

// descend returns the leaf whose range holds k.
func (l *tree) descend(k int64) int32 {
	h := l.root
	for range l.height {
		nd := &l.inners[h]
		h = nd.kids[nd.child(k)]
	}
	return h
}

// descendPath is descend, recording the path in pa.
func (l *tree) descendPath(k int64, pa *path) int32 {
	h := l.root
	for d := range l.height {
		nd := &l.inners[h]
		i := nd.child(k)
		pa.node[d], pa.idx[d] = h, int32(i)
		h = nd.kids[i]
	}
	return h
}

// insert adds k with value v at p, which find returned for k with false.
func (l *tree) insert(p tpos, k int64, v int32) {
	if p.leaf == 0 { // nothing was ever made: a root leaf
		p.leaf = l.newLeaf()
		l.root, l.last, l.height = p.leaf, p.leaf, 0
	}
	l.n++
	x := &l.leaves[p.leaf]
	if x.n < leafCap {
		x.insertAt(int(p.i), k, v)
		return
	}
	l.split(p, k, v)
}

// above returns the value of the smallest key larger than the key find
// returned p for, absent, or 0 if there is none.
func (l *tree) above(p tpos) int32 {
	if p.leaf == 0 {
		return 0
	}
	x := &l.leaves[p.leaf]
	if p.i < x.n {
		return x.vals[p.i&(leafCap-1)]
	}
	if h := x.next; h != 0 {
		return l.leaves[h].vals[0]
	}
	return 0
}

func (x *leaf) insertAt(i int, k int64, v int32) {
	if n := int(x.n); i < n { // at the end (the touch), nothing moves
		copy(x.keys[i+1:n+1], x.keys[i:n])
		copy(x.vals[i+1:n+1], x.vals[i:n])
	}
	x.keys[i], x.vals[i] = k, v
	x.n++
}

func (x *leaf) removeAt(i int) {
	n := int(x.n)
	if i < n-1 {
		copy(x.keys[i:n-1], x.keys[i+1:n])
		copy(x.vals[i:n-1], x.vals[i+1:n])
	}
	x.keys[(n-1)&(leafCap-1)] = math.MaxInt64
	x.n--
}

// clearKeys sets key slots to MaxInt64, which marks them unused.
func clearKeys(keys []int64) {
	for i := range keys {
		keys[i] = math.MaxInt64
	}
}

// split splits the full leaf at p in halves (or three quarters and a
// quarter, for a new best key past the best leaf), inserts k and v where
// p says, and adds the new leaf to the parent, splitting it in turn if it
// is full.
func (l *tree) split(p tpos, k int64, v int32) {
	var pa path
	l.descendPath(k, &pa)
	r := l.newLeaf()
	x, y := &l.leaves[p.leaf], &l.leaves[r]
	half := int32(leafCap / 2)
	if p.i == leafCap && x.next == 0 {
		// A new best key past a full best leaf, as when levels arrive
		// in order (a snapshot, a book loaded from the far end in):
		// the leaf keeps three quarters, so such a ladder is three
		// quarters full rather than half.
		half = leafCap - minLeaf
	}
	copy(y.keys[:], x.keys[half:])
	copy(y.vals[:], x.vals[half:])
	clearKeys(x.keys[half:])
	x.n, y.n = half, leafCap-half
	y.prev, y.next = p.leaf, x.next
	if x.next != 0 {
		l.leaves[x.next].prev = r
	} else {
		l.last = r
	}
	x.next = r
	if p.i <= half && p.i < leafCap {
		x.insertAt(int(p.i), k, v)
	} else {
		y.insertAt(int(p.i-half), k, v)
	}
	l.addChild(&pa, l.height-1, y.keys[0], r)
}

// addChild inserts child c, whose keys are at least sep, right after the
// child that pa took at inner level d (d = -1: the root, which is split).
func (l *tree) addChild(pa *path, d int, sep int64, c int32) {
	for ; d >= 0; d-- {
		h := pa.node[d]
		j := int(pa.idx[d]) + 1
		if l.inners[h].n < innerCap {
			l.inners[h].insertAt(j, sep, c)
			return
		}
		r := l.newInner()
		x, y := &l.inners[h], &l.inners[r]
		const half = innerCap / 2
		copy(y.keys[:], x.keys[half:])
		copy(y.kids[:], x.kids[half:])
		clearKeys(x.keys[half:])
		x.n, y.n = half, innerCap-half
		up := y.keys[0]
		y.keys[0] = math.MinInt64
		if j <= half {
			x.insertAt(j, sep, c)
		} else {
			y.insertAt(j-half, sep, c)
		}
		sep, c = up, r
	}
	// A new root above the old one.
	r := l.newInner()
	nd := &l.inners[r]
	nd.n = 2
	nd.kids[0], nd.kids[1] = l.root, c
	nd.keys[1] = sep // keys[0] is MinInt64
	l.root = r
	l.height++
}

func (nd *inner) insertAt(i int, k int64, c int32) {
	n := int(nd.n)
	copy(nd.keys[i+1:n+1], nd.keys[i:n])
	copy(nd.kids[i+1:n+1], nd.kids[i:n])
	nd.keys[i], nd.kids[i] = k, c
	nd.n++
}

func (nd *inner) removeAt(i int) {
	n := int(nd.n)
	copy(nd.keys[i:n-1], nd.keys[i+1:n])
	copy(nd.kids[i:n-1], nd.kids[i+1:n])
	nd.keys[n-1] = math.MaxInt64
	nd.n--
}

// remove deletes the key at p.
func (l *tree) remove(p tpos) {
	l.n--
	x := &l.leaves[p.leaf]
	k := x.keys[p.i]
	x.removeAt(int(p.i))
	if x.n >= minLeaf || l.height == 0 {
		return
	}
	l.refill(k)
}

// refill restores the fill of the leaf that held k, under a quarter full:
// it merges with a neighbour if both fit in three quarters of a leaf, and
// else takes keys from it to even them out.
func (l *tree) refill(k int64) {
	var pa path
	l.descendPath(k, &pa)
	d := l.height - 1
	par := &l.inners[pa.node[d]]
	ri := max(pa.idx[d], 1) // the right one of the pair, in par
	a, b := par.kids[ri-1], par.kids[ri]
	x, y := &l.leaves[a], &l.leaves[b]
	if x.n+y.n <= 3*leafCap/4 {
		copy(x.keys[x.n:], y.keys[:y.n])
		copy(x.vals[x.n:], y.vals[:y.n])
		x.n += y.n
		x.next = y.next
		if y.next != 0 {
			l.leaves[y.next].prev = a
		} else {
			l.last = a
		}
		l.freeLeafNode(b)
		l.removeChild(&pa, d, int(ri))
		return
	}
	if want := (x.n + y.n) / 2; x.n > want { // move x's last keys to y's front
		m := x.n - want
		copy(y.keys[m:m+y.n], y.keys[:y.n])
		copy(y.vals[m:m+y.n], y.vals[:y.n])
		copy(y.keys[:m], x.keys[want:x.n])
		copy(y.vals[:m], x.vals[want:x.n])
		clearKeys(x.keys[want:x.n])
		x.n, y.n = want, y.n+m
	} else { // move y's first keys to x's end
		m := want - x.n
		copy(x.keys[x.n:want], y.keys[:m])
		copy(x.vals[x.n:want], y.vals[:m])
		copy(y.keys[:y.n-m], y.keys[m:y.n])
		copy(y.vals[:y.n-m], y.vals[m:y.n])
		clearKeys(y.keys[y.n-m : y.n])
		x.n, y.n = want, y.n-m
	}
	par.keys[ri] = y.keys[0]
}

// removeChild deletes child i (at least 1) of the inner node pa went
// through at level d, then restores that node's fill.
func (l *tree) removeChild(pa *path, d, i int) {
	for {
		h := pa.node[d]
		nd := &l.inners[h]
		nd.removeAt(i)
		if d == 0 {
			if nd.n == 1 { // the root has one child: it becomes the root
				l.root = nd.kids[0]
				l.height--
				l.freeInnerNode(h)
			}
			return
		}
		if nd.n >= minInner {
			return
		}
		par := &l.inners[pa.node[d-1]]
		ri := max(int(pa.idx[d-1]), 1)
		a, b := par.kids[ri-1], par.kids[ri]
		x, y := &l.inners[a], &l.inners[b]
		y.keys[0] = par.keys[ri] // the bound of y's first child, from the parent
		if x.n+y.n <= 3*innerCap/4 {
			copy(x.keys[x.n:], y.keys[:y.n])
			copy(x.kids[x.n:], y.kids[:y.n])
			x.n += y.n
			l.freeInnerNode(b)
			d, i = d-1, ri
			continue
		}
		if want := (x.n + y.n) / 2; x.n > want {
			m := x.n - want
			copy(y.keys[m:m+y.n], y.keys[:y.n])
			copy(y.kids[m:m+y.n], y.kids[:y.n])
			copy(y.keys[:m], x.keys[want:x.n])
			copy(y.kids[:m], x.kids[want:x.n])
			clearKeys(x.keys[want:x.n])
			x.n, y.n = want, y.n+m
		} else {
			m := want - x.n
			copy(x.keys[x.n:want], y.keys[:m])
			copy(x.kids[x.n:want], y.kids[:m])
			copy(y.keys[:y.n-m], y.keys[m:y.n])
			copy(y.kids[:y.n-m], y.kids[m:y.n])
			clearKeys(y.keys[y.n-m : y.n])
			x.n, y.n = want, y.n-m
		}
		par.keys[ri] = y.keys[0]
		y.keys[0] = math.MinInt64
		return
	}
}

// newLeaf returns an empty leaf, from the free list or the slab.
func (l *tree) newLeaf() int32 {
	h := l.freeLeaf
	if h != 0 {
		l.freeLeaf = l.leaves[h].next
	} else {
		if len(l.leaves) == 0 {
			l.leaves = append(l.leaves, leaf{})
		}
		l.leaves = append(l.leaves, leaf{})
		h = int32(len(l.leaves) - 1)
	}
	x := &l.leaves[h]
	x.n, x.prev, x.next = 0, 0, 0
	clearKeys(x.keys[:])
	return h
}

func (l *tree) freeLeafNode(h int32) {
	if l.hint == h {
		l.hint = 0
	}
	l.leaves[h].n = 0 // no hint finds keys here
	l.leaves[h].next = l.freeLeaf
	l.freeLeaf = h
}

// newInner returns an empty inner node, from the free list or the slab.
func (l *tree) newInner() int32 {
	h := l.freeInner
	if h != 0 {
		l.freeInner = l.inners[h].kids[0]
	} else {
		if len(l.inners) == 0 {
			l.inners = append(l.inners, inner{})
		}
		l.inners = append(l.inners, inner{})
		h = int32(len(l.inners) - 1)
	}
	nd := &l.inners[h]
	nd.n = 0
	clearKeys(nd.keys[:])
	nd.keys[0] = math.MinInt64
	return h
}

func (l *tree) freeInnerNode(h int32) {
	l.inners[h].kids[0] = l.freeInner
	l.freeInner = h
}

// reserve makes room for n keys, however they come and go, without
// further allocation: a leaf holds at least minLeaf keys, and an inner
// node minInner children.
func (l *tree) reserve(n int) {
	leaves := n/minLeaf + 2
	inners := 0
	for c := leaves; c > 1; {
		c = c/minInner + 1
		inners += c
	}
	l.leaves = make([]leaf, 1, leaves+1)
	l.inners = make([]inner, 1, inners+2)
	l.reset()
}

// reset empties l, keeping its memory.
func (l *tree) reset() {
	if len(l.leaves) > 0 {
		l.leaves = l.leaves[:1]
	}
	if len(l.inners) > 0 {
		l.inners = l.inners[:1]
	}
	l.root, l.last, l.hint, l.height, l.n = 0, 0, 0, 0, 0
	l.freeLeaf, l.freeInner = 0, 0
}
