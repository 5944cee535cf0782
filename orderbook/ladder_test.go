package orderbook

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"unsafe"
)

// check verifies l's structure: every leaf at the same depth, keys in
// order and within the bounds their parents give, every node but the root
// at least a quarter full, the leaves chained both ways with last the
// rightmost, and every slot either in the tree or on a free list. It
// returns the keys and values, smallest first.
func (l *tree) check() (keys []int64, vals []int32, err error) {
	if l.root == 0 {
		if l.n != 0 || l.last != 0 || l.height != 0 {
			return nil, nil, fmt.Errorf("no root, but n %d, last %d, height %d", l.n, l.last, l.height)
		}
		return nil, nil, nil
	}
	var order []int32 // leaves, left to right
	inners := 0
	var walk func(h int32, depth int, lo, hi int64) error
	walk = func(h int32, depth int, lo, hi int64) error {
		if depth == l.height {
			x := &l.leaves[h]
			if x.n < minLeaf && h != l.root || x.n > leafCap || x.n < 0 {
				return fmt.Errorf("leaf %d holds %d keys", h, x.n)
			}
			for i := range x.n {
				if k := x.keys[i]; k < lo || k >= hi {
					return fmt.Errorf("leaf %d key %d outside [%d, %d)", h, k, lo, hi)
				}
			}
			for _, k := range x.keys[x.n:] {
				if k != math.MaxInt64 {
					return fmt.Errorf("leaf %d: unused slot holds %d", h, k)
				}
			}
			order = append(order, h)
			return nil
		}
		inners++
		nd := &l.inners[h]
		if nd.n < minInner && h != l.root || nd.n < 2 || nd.n > innerCap {
			return fmt.Errorf("inner node %d at depth %d has %d children", h, depth, nd.n)
		}
		if nd.keys[0] != math.MinInt64 {
			return fmt.Errorf("inner node %d: keys[0] is %d", h, nd.keys[0])
		}
		for _, k := range nd.keys[nd.n:] {
			if k != math.MaxInt64 {
				return fmt.Errorf("inner node %d: unused slot holds %d", h, k)
			}
		}
		for i := range nd.n {
			clo, chi := lo, hi
			if i > 0 {
				clo = nd.keys[i]
				if clo < lo || (i > 1 && clo <= nd.keys[i-1]) {
					return fmt.Errorf("inner node %d: bound %d of child %d out of order", h, clo, i)
				}
			}
			if i+1 < nd.n {
				chi = nd.keys[i+1]
			}
			if err := walk(nd.kids[i], depth+1, clo, chi); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(l.root, 0, math.MinInt64, math.MaxInt64); err != nil {
		return nil, nil, err
	}
	for i, h := range order {
		x := &l.leaves[h]
		var prev, next int32
		if i > 0 {
			prev = order[i-1]
		}
		if i+1 < len(order) {
			next = order[i+1]
		}
		if x.prev != prev || x.next != next {
			return nil, nil, fmt.Errorf("leaf %d linked to %d and %d, want %d and %d", h, x.prev, x.next, prev, next)
		}
		keys = append(keys, x.keys[:x.n]...)
		vals = append(vals, x.vals[:x.n]...)
	}
	if l.last != order[len(order)-1] {
		return nil, nil, fmt.Errorf("last is %d, the rightmost leaf %d", l.last, order[len(order)-1])
	}
	if len(keys) != l.n {
		return nil, nil, fmt.Errorf("%d keys, n %d", len(keys), l.n)
	}
	for i := 1; i < len(keys); i++ {
		if keys[i-1] >= keys[i] {
			return nil, nil, fmt.Errorf("keys %d and %d out of order", keys[i-1], keys[i])
		}
	}
	free := 0
	for h := l.freeLeaf; h != 0; h = l.leaves[h].next {
		free++
	}
	if free+len(order) != len(l.leaves)-1 {
		return nil, nil, fmt.Errorf("%d free and %d used leaves of %d", free, len(order), len(l.leaves)-1)
	}
	free = 0
	for h := l.freeInner; h != 0; h = l.inners[h].kids[0] {
		free++
	}
	if len(l.inners) > 0 && free+inners != len(l.inners)-1 {
		return nil, nil, fmt.Errorf("%d free and %d used inner nodes of %d", free, inners, len(l.inners)-1)
	}
	return keys, vals, nil
}

// check verifies l's structure: its tree (tree.check) holds the number
// of each page in use, with its handle; the pages are chained in that
// order, with end the last and last the best that holds keys; each holds
// at least one key but the spare; every other page is on the free list,
// numbered noPage; the cache has an entry for each page the slab can
// hold. It returns the keys and values, smallest
// first.
func (l *ladder[V]) check() (keys []int64, vals []V, err error) {
	nums, hs, err := l.tree.check()
	if err != nil {
		return nil, nil, fmt.Errorf("tree: %w", err)
	}
	prev, best := int32(0), int32(0)
	if s := l.spare; s != 0 && !slices.Contains(hs, s) {
		return nil, nil, fmt.Errorf("spare %d not in the tree", s)
	}
	for i, h := range hs {
		if h <= 0 || int(h) >= len(l.pages) {
			return nil, nil, fmt.Errorf("page %d of the tree is %d, slab %d", nums[i], h, len(l.pages))
		}
		x, occ := &l.heads[h], l.heads[h].occ
		if occ == 0 && h != l.spare || occ != 0 && h == l.spare {
			return nil, nil, fmt.Errorf("page %d holds %#x, spare %d", h, occ, l.spare)
		}
		if occ != 0 {
			best = h
		}
		if x.num != nums[i] || x.prev != prev {
			return nil, nil, fmt.Errorf("page %d: number %d (want %d), prev %d (want %d)",
				h, x.num, nums[i], x.prev, prev)
		}
		if prev != 0 && l.pages[prev].next != h {
			return nil, nil, fmt.Errorf("page %d: next %d, want %d", prev, l.pages[prev].next, h)
		}
		for j := range int32(pageSize) {
			if occ>>j&1 != 0 {
				keys = append(keys, x.num<<pageShift|int64(j))
				vals = append(vals, l.pages[h].vals[j])
			}
		}
		prev = h
	}
	if l.end != prev || prev != 0 && l.pages[prev].next != 0 || l.last != best {
		return nil, nil, fmt.Errorf("end %d, last %d; the chain ends at %d, the best page is %d", l.end, l.last, prev, best)
	}
	if len(keys) != l.n {
		return nil, nil, fmt.Errorf("%d keys, n %d", len(keys), l.n)
	}
	free := 0
	for h := l.free; h != 0; h = l.pages[h].next {
		if l.heads[h].num != noPage {
			return nil, nil, fmt.Errorf("free page %d numbered %d", h, l.heads[h].num)
		}
		free++
	}
	homes, strays := 0, 0 // homes not in use; pages in use away from theirs
	for h := 1; h < l.homes; h++ {
		if !l.used(int32(h)) {
			homes++
		}
	}
	for _, h := range hs {
		if int(h) < l.homes {
			if l.heads[h].num&int64(l.homes-1) != int64(h) {
				return nil, nil, fmt.Errorf("page %d numbered %d is in another's home", h, l.heads[h].num)
			}
		} else {
			strays++
		}
	}
	if strays != l.stray {
		return nil, nil, fmt.Errorf("%d pages away from their homes, stray %d", strays, l.stray)
	}
	if len(l.pages) > 0 && free+homes+len(hs) != len(l.pages)-1 {
		return nil, nil, fmt.Errorf("%d free pages, %d free homes and %d used pages of %d", free, homes, len(hs), len(l.pages)-1)
	}
	if len(l.pages)-l.homes > len(l.cache) {
		return nil, nil, fmt.Errorf("cache of %d for %d pages past %d homes", len(l.cache), len(l.pages), l.homes)
	}
	return keys, vals, nil
}

// TestLadder runs random inserts, updates and deletes on ladders against
// a sorted slice, with enough keys for trees four levels deep, and keys
// that come and go at the top (the touch), at random, and in runs.
func TestLadder(t *testing.T) {
	n := 300_000
	if testing.Short() {
		n = 60_000
	}
	for _, tc := range []struct {
		name  string
		span  int64 // keys drawn from [base-span, base)
		grow  int   // percent of inserts while growing
		touch bool  // keys near the top
		low   bool  // shrink from the bottom
	}{
		{"random", 1 << 20, 60, false, false},
		{"dense", 40_000, 70, false, false},
		{"touch", 1 << 30, 55, true, false},
		{"negative", 1 << 40, 65, false, false},
		{"bottom", 1 << 24, 75, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, uint64(tc.grow)))
			var l ladder[int64]
			if tc.grow%2 == 1 {
				l.reserve(1000, math.MaxInt32)
			}
			base := int64(1 << 50)
			if tc.name == "negative" {
				base = -1
			}
			var want []int64           // sorted keys; the value of k is k*3
			hints := map[int64]int32{} // the page insert returned for each key
			for step := range n {
				grow := tc.grow
				if step > n/2 {
					grow = 100 - grow // shrink
				}
				var k int64
				switch {
				case tc.touch && len(want) > 0 && rng.IntN(4) > 0:
					k = want[len(want)-1] + 3 - rng.Int64N(8)
				case tc.low && step > n/2 && len(want) > 0:
					k = want[rng.IntN(min(len(want), 100))]
				case rng.IntN(3) == 0 && len(want) > 0:
					k = want[rng.IntN(len(want))]
				default:
					k = base - 1 - rng.Int64N(tc.span)
				}
				i, found := slices.BinarySearch(want, k)
				p, ok := l.find(k)
				if ok != found {
					t.Fatalf("step %d: find(%d) found %v, want %v", step, k, ok, found)
				}
				if ok && (l.key(p) != k || l.val(p) != 3*k) {
					t.Fatalf("step %d: find(%d) at %d = %d", step, k, l.key(p), l.val(p))
				}
				if h, in := hints[k]; in && h != p.pg {
					t.Fatalf("step %d: key %d in page %d, insert said %d", step, k, p.pg, h)
				}
				switch {
				case !found && rng.IntN(100) < grow:
					hints[k] = l.insert(p, k, 3*k)
					if q, ok := l.find(k); !ok || q.pg != hints[k] {
						t.Fatalf("step %d: insert(%d) returned page %d, find gives %v", step, k, hints[k], q)
					}
					want = slices.Insert(want, i, k)
				case found && rng.IntN(100) >= grow:
					l.remove(p)
					delete(hints, k)
					want = slices.Delete(want, i, i+1)
				case found:
					l.set(p, 3*k)
				case len(want) > 0 && rng.IntN(8) == 0:
					if l.popBest() {
						l.retireBest()
					}
					delete(hints, want[len(want)-1])
					want = want[:len(want)-1]
				}
				if step%(n/50) == 0 || step == n-1 {
					keys, vals, err := l.check()
					if err != nil {
						t.Fatalf("step %d: %v", step, err)
					}
					if !slices.Equal(keys, want) {
						t.Fatalf("step %d: %d keys, want %d", step, len(keys), len(want))
					}
					for i, v := range vals {
						if v != 3*keys[i] {
							t.Fatalf("step %d: value %d of key %d", step, v, keys[i])
						}
					}
				}
			}
			// Best first, then back.
			var got []int64
			for p, ok := l.top(); ok; p, ok = l.down(p) {
				got = append(got, l.key(p))
			}
			slices.Reverse(got)
			if !slices.Equal(got, want) {
				t.Fatalf("walk from the top: %d keys, want %d", len(got), len(want))
			}
		})
	}
}

// TestTreeDepth fills a tree to a million keys and checks its height,
// then empties it from the top and checks that it shrinks back.
func TestTreeDepth(t *testing.T) {
	if testing.Short() {
		t.Skip("a million keys")
	}
	var l tree
	for k := range int64(1_000_000) {
		p, _ := l.find(-7 * k)
		l.insert(p, -7*k, int32(k))
	}
	if _, _, err := l.check(); err != nil {
		t.Fatal(err)
	}
	if l.height > 4 {
		t.Errorf("height %d for a million keys, want at most 4", l.height)
	}
	for l.n > 0 {
		x := &l.leaves[l.last]
		l.remove(tpos{l.last, x.n - 1})
	}
	if _, _, err := l.check(); err != nil || l.height != 0 {
		t.Fatalf("emptied: height %d, %v", l.height, err)
	}
}

// TestLayout pins the sizes the package's cache behaviour rests on.
func TestLayout(t *testing.T) {
	for _, c := range []struct {
		name       string
		size, want uintptr
	}{
		{"order", unsafe.Sizeof(order{}), 32},
		{"level", unsafe.Sizeof(level{}), 32},
		{"idSlot", unsafe.Sizeof(idSlot{}), 8},
		{"page[int32]", unsafe.Sizeof(page[int32]{}), 132},
		{"page[int64]", unsafe.Sizeof(page[int64]{}), 264},
		{"head", unsafe.Sizeof(head{}), 16},
		{"leaf", unsafe.Sizeof(leaf{}), 832},
		{"inner", unsafe.Sizeof(inner{}), 832},
	} {
		if c.size != c.want {
			t.Errorf("%s is %d bytes, want %d", c.name, c.size, c.want)
		}
	}
}

// TestLadderSpare checks that a page that empties stays, as the spare,
// until another page empties: a level that opens and closes alone on a
// page, as where the touch crosses a page boundary and back, finds its
// page in place and changes nothing in the tree.
func TestLadderSpare(t *testing.T) {
	var l ladder[int64]
	l.reserve(100, math.MaxInt32)
	for k := int64(1); k < 3*pageSize; k += 2 { // three pages
		p, _ := l.find(k)
		l.insert(p, k, k)
	}
	k := int64(3*pageSize + 5) // the first key of a fourth page
	p, _ := l.find(k)
	h := l.insert(p, k, k)
	pages := l.tree.n
	for range 3 {
		p, ok := l.find(k)
		if !ok {
			t.Fatalf("key %d not found", k)
		}
		l.remove(p)
		if l.spare != h || l.tree.n != pages || l.last == h {
			t.Fatalf("after removing %d: spare %d (want %d), %d pages in the tree (want %d), last %d",
				k, l.spare, h, l.tree.n, pages, l.last)
		}
		if p, ok = l.find(k); ok || p.pg != h {
			t.Fatalf("find(%d) after its removal: %v, %v; want page %d", k, p, ok, h)
		}
		if got := l.insert(p, k, k); got != h || l.spare != 0 || l.last != h {
			t.Fatalf("insert(%d) went to page %d (want %d), spare %d, last %d", k, got, h, l.spare, l.last)
		}
	}
	// Another page empties: the spare is freed, the new one kept.
	for k := int64(1); k < pageSize; k += 2 {
		p, _ := l.find(k)
		l.remove(p)
	}
	p, _ = l.find(k)
	l.remove(p)
	if l.spare != h || l.tree.n != pages-1 {
		t.Fatalf("spare %d (want %d), %d pages in the tree (want %d)", l.spare, h, l.tree.n, pages-1)
	}
	if _, _, err := l.check(); err != nil {
		t.Fatal(err)
	}
}

// TestLadderCacheKeepsPages checks that growing the page slab, which
// rebuilds the cache, leaves every page in the cache, page 0 (bid prices
// 1 to 31) included: the page being made, not yet numbered, must not
// take page 0's entry, which would send its next lookup to the tree.
func TestLadderCacheKeepsPages(t *testing.T) {
	var l ladder[int64]
	for num := int64(0); num < 100; num++ {
		k := num<<pageShift | 5
		p, _ := l.find(k)
		l.insert(p, k, k)
		for n := int64(0); n <= num; n++ {
			if h := l.cache[n&int64(len(l.cache)-1)]; l.heads[h].num != n {
				t.Fatalf("after making page %d (slab %d, cache %d): page %d not in the cache (entry %d, numbered %d)",
					num, len(l.pages), len(l.cache), n, h, l.heads[h].num)
			}
		}
	}
}

// TestMaxPlaces checks that a growing book refuses a new price level once
// it holds maxPlaces less its homes (a side's pages away from their homes
// take handles past them, as many as its levels and the spare), so that
// an order's place (a page handle shifted by pageShift) always fits in an
// int32, and that an order at a price that has a level still rests.
func TestMaxPlaces(t *testing.T) {
	b := New(4, 4)
	if _, err := b.Limit(Order{ID: 1, Side: Buy, Type: GTC, Price: 100, Qty: 1}, nil); err != nil {
		t.Fatal(err)
	}
	if b.bids.homes == 0 {
		t.Fatal("New(4, 4) made no homes")
	}
	b.bids.n = maxPlaces - b.bids.homes // as if the bids held that many levels
	if _, err := b.Limit(Order{ID: 2, Side: Buy, Type: GTC, Price: 99, Qty: 1}, nil); !errors.Is(err, ErrBookFull) {
		t.Errorf("new level past maxPlaces: %v, want ErrBookFull", err)
	}
	if _, err := b.Limit(Order{ID: 3, Side: Buy, Type: GTC, Price: 100, Qty: 1}, nil); err != nil {
		t.Errorf("order at a level that exists: %v", err)
	}
	if maxPlaces<<pageShift > math.MaxInt32 {
		t.Errorf("maxPlaces %d: a place does not fit in an int32", maxPlaces)
	}
}

// TestAlone follows one price through the ways it is kept (level.go): an
// order alone there, with no level slot; a second order, which makes the
// level; and back to one order, which frees it.
func TestAlone(t *testing.T) {
	b := New(8, 8)
	used := func() int { // level slots in use
		free := 0
		for h := b.freeLevels; h != 0; h = b.levels[h].head {
			free++
		}
		return len(b.levels) - 1 - free
	}
	step := func(what string, err error, alone bool, slots int) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if err := b.checkInvariants(); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		p, _ := b.bids.find(100)
		if got := b.bids.val(p) < 0; got != alone || used() != slots {
			t.Fatalf("%s: alone %v (want %v), %d level slots (want %d)", what, got, alone, used(), slots)
		}
	}
	_, err := b.Limit(Order{ID: 1, Side: Buy, Type: GTC, Price: 100, Qty: 5}, nil)
	step("first order", err, true, 0)
	_, err = b.Limit(Order{ID: 2, Side: Buy, Type: GTC, Price: 100, Qty: 7}, nil)
	step("second order", err, false, 1)
	if lv, _ := b.BestBid(); lv != (Level{Price: 100, Qty: 12}) {
		t.Fatalf("best bid %+v, want 12 lots at 100", lv)
	}
	_, err = b.Cancel(1)
	step("cancel the first", err, true, 0)
	if o, _ := b.Order(2); o.Price != 100 || o.Qty != 7 {
		t.Fatalf("order 2 alone: %+v", o)
	}
	_, err = b.Amend(2, 100, 9, nil)
	step("amend it up", err, true, 0)
	_, err = b.Limit(Order{ID: 3, Side: Buy, Type: GTC, Price: 100, Qty: 1}, nil)
	step("a third order", err, false, 1)
	fills, err := b.Market(Order{ID: 4, Side: Sell, Type: IOC, Qty: 9}, nil)
	step("take the oldest", err, true, 0)
	if len(fills) != 1 || fills[0] != (Fill{Maker: 2, Taker: 4, Price: 100, Qty: 9, MakerDone: true}) {
		t.Fatalf("fills %+v", fills)
	}
	if lv, _ := b.BestBid(); lv != (Level{Price: 100, Qty: 1}) {
		t.Fatalf("best bid %+v, want 1 lot at 100", lv)
	}
}

// TestPlacesPastHomes checks that a book whose reservation makes the most
// homes still gives each order a place that fits in an int32: a page away
// from its home takes a handle past the homes, which must be less than
// 1<<26 (level.go: place). NewFixed(4, 1<<25) holds at most 4 levels, and
// two prices 2^26 pages apart share a home.
func TestPlacesPastHomes(t *testing.T) {
	for _, fixed := range []bool{false, true} {
		b := New(4, 1<<25)
		if fixed {
			b = NewFixed(4, 1<<25)
		}
		prices := []int64{pageSize, pageSize * (1 + 1<<26), pageSize * (1 + 2<<26)}
		for i, p := range prices {
			if _, err := b.Limit(Order{ID: OrderID(i), Side: Buy, Type: GTC, Price: p, Qty: 1}, nil); err != nil {
				t.Fatalf("fixed %v: bid at %d: %v", fixed, p, err)
			}
		}
		if err := b.checkInvariants(); err != nil {
			t.Fatalf("fixed %v: %v", fixed, err)
		}
		for i, p := range prices {
			if o, ok := b.Order(OrderID(i)); !ok || o.Price != p {
				t.Errorf("fixed %v: Order(%d) = %+v, %v; want price %d", fixed, i, o, ok, p)
			}
		}
	}
}

// TestReserveLimit checks that reserve makes fewer homes, or none, where
// the handles of the pages it reserves away from them would reach its
// limit, and that a ladder whose pages all take handles past the homes
// stays under it.
func TestReserveLimit(t *testing.T) {
	for _, c := range []struct{ n, limit, homes int }{
		{100, math.MaxInt32, 128},
		{100, 230, 128},
		{100, 229, 64},
		{100, 118, 16},
		{100, 117, 0},
	} {
		var l ladder[int32]
		l.reserve(c.n, c.limit)
		if l.homes != c.homes {
			t.Errorf("reserve(%d, %d): %d homes, want %d", c.n, c.limit, l.homes, c.homes)
		}
		// Pages numbered 0, 1<<20, 2<<20, ...: one home for all, or none.
		for i := range c.n {
			k := int64(i) << 20 << pageShift
			p, _ := l.find(k)
			if h := l.insert(p, k, 1); int(h) >= c.limit {
				t.Fatalf("reserve(%d, %d): page %d past the limit", c.n, c.limit, h)
			}
		}
		if _, _, err := l.check(); err != nil {
			t.Fatalf("reserve(%d, %d): %v", c.n, c.limit, err)
		}
		if cap(l.pages) != l.homes+c.n+2 {
			t.Errorf("reserve(%d, %d): slab grew to %d", c.n, c.limit, cap(l.pages))
		}
	}
}

// TestFixedHugeLevels checks that NewFixed with levels far past what its
// orders can hold reserves for its orders, and takes orders at new
// prices up to them.
func TestFixedHugeLevels(t *testing.T) {
	b := NewFixed(2, math.MaxInt)
	for i, p := range []int64{100, 200 << 30} {
		if _, err := b.Limit(Order{ID: OrderID(i), Side: Buy, Type: GTC, Price: p, Qty: 1}, nil); err != nil {
			t.Fatalf("bid at %d: %v", p, err)
		}
	}
	if _, err := b.Limit(Order{ID: 2, Side: Buy, Type: GTC, Price: 300, Qty: 1}, nil); !errors.Is(err, ErrBookFull) {
		t.Errorf("a third order: %v, want ErrBookFull", err)
	}
	if err := b.checkInvariants(); err != nil {
		t.Fatal(err)
	}
}
