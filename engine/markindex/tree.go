package markindex

// A tree is a B+ tree of distinct entries (key, id), ordered by key, then by
// id, the way orderbook's ladder holds price levels: leaves hold up to
// leafCap entries in order and are chained both ways; inner nodes hold up to
// innerCap children, each with a lower bound of its subtree. Every node but
// the root holds at least a quarter of its capacity, so a tree of n entries
// is at most 1+log16(n/16) inner levels deep (4 for a million), and an
// insertion or a deletion walks one path: O(log n). The leftmost leaf never
// changes (splits make a new right half, merges keep the left one), so a
// walk from the smallest entry starts there without a search.
//
// Nodes live in slabs addressed by int32 handles, 0 being nil, and are
// recycled through free lists: a tree whose size stays bounded stops
// allocating.
type tree struct {
	leaves    []leaf  // slab; index 0 is nil
	inners    []inner // slab; index 0 is nil
	root      int32   // a leaf if height is 0; 0 if none was made
	first     int32   // the leftmost leaf
	height    int     // inner levels above the leaves
	n         int     // entries
	freeLeaf  int32
	freeInner int32
}

const (
	leafCap  = 64
	innerCap = 64
	minLeaf  = leafCap / 4
	minInner = innerCap / 4
	maxDepth = 16
)

type leaf struct {
	keys [leafCap]int64
	ids  [leafCap]uint64
	n    int32
	prev int32 // the leaf of smaller entries, or 0
	next int32 // the leaf of larger entries, or 0; or the next free leaf
}

// An inner node's entry i (i >= 1) is at most every entry in the subtree
// of kids[i] and larger than every entry in the subtree of kids[i-1];
// entry 0 is not used.
type inner struct {
	keys [innerCap]int64
	ids  [innerCap]uint64
	kids [innerCap]int32
	n    int32 // children; free nodes are chained through kids[0]
}

// less orders entries by key, then by id.
func less(ak int64, aid uint64, bk int64, bid uint64) bool {
	return ak < bk || (ak == bk && aid < bid)
}

// child returns the index of the child of x whose subtree holds (k, id).
func (x *inner) child(k int64, id uint64) int {
	lo, hi := 1, int(x.n) // the answer is the last i with entry i <= (k, id), or 0
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if less(k, id, x.keys[m], x.ids[m]) {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo - 1
}

// search returns the index of the first entry of x not less than (k, id).
func (x *leaf) search(k int64, id uint64) int {
	lo, hi := 0, int(x.n)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if less(x.keys[m], x.ids[m], k, id) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

func (t *tree) newLeaf() int32 {
	if h := t.freeLeaf; h != 0 {
		t.freeLeaf = t.leaves[h].next
		t.leaves[h] = leaf{}
		return h
	}
	if len(t.leaves) == 0 {
		t.leaves = append(t.leaves, leaf{})
	}
	t.leaves = append(t.leaves, leaf{})
	return int32(len(t.leaves) - 1)
}

func (t *tree) freeLeafNode(h int32) {
	t.leaves[h] = leaf{next: t.freeLeaf}
	t.freeLeaf = h
}

func (t *tree) newInner() int32 {
	if h := t.freeInner; h != 0 {
		t.freeInner = t.inners[h].kids[0]
		t.inners[h] = inner{}
		return h
	}
	if len(t.inners) == 0 {
		t.inners = append(t.inners, inner{})
	}
	t.inners = append(t.inners, inner{})
	return int32(len(t.inners) - 1)
}

func (t *tree) freeInnerNode(h int32) {
	t.inners[h] = inner{}
	t.inners[h].kids[0] = t.freeInner
	t.freeInner = h
}

// path records the inner nodes a descent went through, root first, and the
// child taken in each.
type path struct {
	node [maxDepth]int32
	idx  [maxDepth]int
}

// descend returns the leaf whose range holds (k, id), and the path to it.
func (t *tree) descend(k int64, id uint64, p *path) int32 {
	h := t.root
	for d := 0; d < t.height; d++ {
		x := &t.inners[h]
		i := x.child(k, id)
		p.node[d], p.idx[d] = h, i
		h = x.kids[i]
	}
	return h
}

// insert adds (k, id), which must not be in t.
func (t *tree) insert(k int64, id uint64) {
	if t.root == 0 {
		t.root = t.newLeaf()
		t.first = t.root
	}
	var p path
	h := t.descend(k, id, &p)
	t.n++
	x := &t.leaves[h]
	if x.n < leafCap {
		x.insertAt(x.search(k, id), k, id)
		return
	}
	// Split: the upper half moves to a new leaf on the right.
	r := t.newLeaf()
	x = &t.leaves[h] // the slab may have moved
	y := &t.leaves[r]
	const half = leafCap / 2
	copy(y.keys[:], x.keys[half:])
	copy(y.ids[:], x.ids[half:])
	y.n, x.n = leafCap-half, half
	y.prev, y.next = h, x.next
	if x.next != 0 {
		t.leaves[x.next].prev = r
	}
	x.next = r
	if less(k, id, y.keys[0], y.ids[0]) {
		x.insertAt(x.search(k, id), k, id)
	} else {
		y.insertAt(y.search(k, id), k, id)
	}
	t.grow(&p, t.height-1, y.keys[0], y.ids[0], r)
}

func (x *leaf) insertAt(i int, k int64, id uint64) {
	n := int(x.n)
	copy(x.keys[i+1:n+1], x.keys[i:n])
	copy(x.ids[i+1:n+1], x.ids[i:n])
	x.keys[i], x.ids[i] = k, id
	x.n++
}

func (x *leaf) removeAt(i int) {
	n := int(x.n)
	copy(x.keys[i:n-1], x.keys[i+1:n])
	copy(x.ids[i:n-1], x.ids[i+1:n])
	x.n--
}

// grow inserts child c with lower bound (k, id) to the right of the child
// taken at depth d of p, splitting inner nodes up to the root as needed.
func (t *tree) grow(p *path, d int, k int64, id uint64, c int32) {
	for ; d >= 0; d-- {
		h, i := p.node[d], p.idx[d]+1
		x := &t.inners[h]
		if x.n < innerCap {
			x.insertAt(i, k, id, c)
			return
		}
		r := t.newInner()
		x = &t.inners[h]
		y := &t.inners[r]
		const half = innerCap / 2
		copy(y.keys[:], x.keys[half:])
		copy(y.ids[:], x.ids[half:])
		copy(y.kids[:], x.kids[half:])
		y.n, x.n = innerCap-half, half
		upK, upID := y.keys[0], y.ids[0]
		if i <= half {
			x.insertAt(i, k, id, c)
		} else {
			y.insertAt(i-half, k, id, c)
		}
		k, id, c = upK, upID, r
	}
	// The root split: a new root above the two halves.
	old := t.root
	nr := t.newInner()
	x := &t.inners[nr]
	x.kids[0], x.kids[1] = old, c
	x.keys[1], x.ids[1] = k, id
	x.n = 2
	t.root = nr
	t.height++
}

func (x *inner) insertAt(i int, k int64, id uint64, c int32) {
	n := int(x.n)
	copy(x.keys[i+1:n+1], x.keys[i:n])
	copy(x.ids[i+1:n+1], x.ids[i:n])
	copy(x.kids[i+1:n+1], x.kids[i:n])
	x.keys[i], x.ids[i], x.kids[i] = k, id, c
	x.n++
}

func (x *inner) removeAt(i int) {
	n := int(x.n)
	copy(x.keys[i:n-1], x.keys[i+1:n])
	copy(x.ids[i:n-1], x.ids[i+1:n])
	copy(x.kids[i:n-1], x.kids[i+1:n])
	x.n--
}

// remove deletes (k, id) and reports whether it was there.
func (t *tree) remove(k int64, id uint64) bool {
	if t.n == 0 {
		return false
	}
	var p path
	h := t.descend(k, id, &p)
	x := &t.leaves[h]
	i := x.search(k, id)
	if i >= int(x.n) || x.keys[i] != k || x.ids[i] != id {
		return false
	}
	x.removeAt(i)
	t.n--
	if t.height == 0 || x.n >= minLeaf {
		return true
	}
	t.fixLeaf(&p, h)
	return true
}

// fixLeaf restores the fill of leaf h, under a quarter full, by taking an
// entry from a sibling or merging with it; then its parent's.
func (t *tree) fixLeaf(p *path, h int32) {
	d := t.height - 1
	ph, i := p.node[d], p.idx[d]
	par := &t.inners[ph]
	x := &t.leaves[h]
	if i > 0 {
		lh := par.kids[i-1]
		l := &t.leaves[lh]
		if l.n > minLeaf {
			x.insertAt(0, l.keys[l.n-1], l.ids[l.n-1])
			l.n--
			par.keys[i], par.ids[i] = x.keys[0], x.ids[0]
			return
		}
		t.mergeLeaves(lh, h)
		par.removeAt(i)
	} else {
		rh := par.kids[1]
		r := &t.leaves[rh]
		if r.n > minLeaf {
			x.insertAt(int(x.n), r.keys[0], r.ids[0])
			r.removeAt(0)
			par.keys[1], par.ids[1] = r.keys[0], r.ids[0]
			return
		}
		t.mergeLeaves(h, rh)
		par.removeAt(1)
	}
	t.fixInner(p, d)
}

// mergeLeaves moves the entries of r into l, its left neighbour, and frees r.
func (t *tree) mergeLeaves(lh, rh int32) {
	l, r := &t.leaves[lh], &t.leaves[rh]
	copy(l.keys[l.n:], r.keys[:r.n])
	copy(l.ids[l.n:], r.ids[:r.n])
	l.n += r.n
	l.next = r.next
	if r.next != 0 {
		t.leaves[r.next].prev = lh
	}
	t.freeLeafNode(rh)
}

// fixInner restores the fill of the inner node at depth d of p after it
// lost a child, up to the root.
func (t *tree) fixInner(p *path, d int) {
	for ; d > 0; d-- {
		h := p.node[d]
		x := &t.inners[h]
		if x.n >= minInner {
			return
		}
		ph, i := p.node[d-1], p.idx[d-1]
		par := &t.inners[ph]
		if i > 0 {
			lh := par.kids[i-1]
			l := &t.inners[lh]
			if l.n > minInner {
				// Rotate l's last child through the parent into x.
				x.insertAt(0, 0, 0, l.kids[l.n-1])
				x.keys[1], x.ids[1] = par.keys[i], par.ids[i]
				par.keys[i], par.ids[i] = l.keys[l.n-1], l.ids[l.n-1]
				l.n--
				return
			}
			t.mergeInners(par, i, lh, h)
		} else {
			rh := par.kids[1]
			r := &t.inners[rh]
			if r.n > minInner {
				x.keys[x.n], x.ids[x.n], x.kids[x.n] = par.keys[1], par.ids[1], r.kids[0]
				x.n++
				par.keys[1], par.ids[1] = r.keys[1], r.ids[1]
				r.removeAt(0)
				return
			}
			t.mergeInners(par, 1, h, rh)
		}
	}
	// The root: drop it when it has one child left.
	if x := &t.inners[t.root]; x.n == 1 {
		old := t.root
		t.root = x.kids[0]
		t.height--
		t.freeInnerNode(old)
	}
}

// mergeInners moves the children of r, child i of par, into l, child i-1,
// pulling their separator down from par, and frees r.
func (t *tree) mergeInners(par *inner, i int, lh, rh int32) {
	l, r := &t.inners[lh], &t.inners[rh]
	n := l.n
	l.keys[n], l.ids[n], l.kids[n] = par.keys[i], par.ids[i], r.kids[0]
	copy(l.keys[n+1:], r.keys[1:r.n])
	copy(l.ids[n+1:], r.ids[1:r.n])
	copy(l.kids[n+1:], r.kids[1:r.n])
	l.n += r.n
	par.removeAt(i)
	t.freeInnerNode(rh)
}
