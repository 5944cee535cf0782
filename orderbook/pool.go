package orderbook

import (
	"math"
	"math/rand/v2"
)

// order is an order resting in a Book, kept in the Book's slab: at its
// home, or past the homes. It is 32 bytes, two to a cache line. The owner, needed only for self-trade
// prevention and lookups, is kept apart in Book.owners, and only for an
// order that has one, so that orders without one cost no access there.
type order struct {
	id    OrderID
	qty   int64 // open quantity
	prev  int32 // older order at the same level; 0 at the head
	next  int32 // newer order at the same level, or the next free slot
	at    int32 // its level's handle, or its place if it is alone (level.go)
	side  Side
	typ   Type
	stp   STP
	owned bool // Book.owners holds its owner
}

// owner returns the owner of order h, or 0.
func (b *Book) owner(h int32) OwnerID {
	if b.orders[h].owned {
		return b.owners[h]
	}
	return 0
}

// maxHandle bounds a growing book's slabs, so that handles fit in int32.
// maxPlaces bounds its price levels, both sides together, so that a page
// handle shifted by pageShift, as an order's place, fits in int32 too: a
// side's pages are at most its levels and the spare, and their handles
// run past its homes, so the homes count against it (Book.levelRoom), and
// a side reserves no more homes than leave its reserved pages' handles
// under 1<<26 (Book.reserve).
const (
	maxHandle = math.MaxInt32 - 1
	maxPlaces = 1<<(31-pageShift) - 2
)

// The slabs: b.orders and b.levels hold every order and level, index 0
// being a reserved nil. The order slots past the homes, and the level
// slots, that are free are chained through their next field from
// b.freeOrders and b.freeLevels (0: none), and reused last in, first out,
// which keeps the working set warm; a free home is known by its at.

// newOrder returns a free order slot, growing the slab if none is free,
// and counts the order. The caller has checked room.
func (b *Book) newOrder() int32 {
	b.nOrders++
	if h := b.freeOrders; h != 0 {
		b.freeOrders = b.orders[h].next
		return h
	}
	if len(b.orders) == 0 {
		b.orders = append(b.orders, order{})
		b.owners = append(b.owners, 0)
	}
	b.orders = append(b.orders, order{})
	b.owners = append(b.owners, 0)
	return int32(len(b.orders) - 1)
}

// freeOrder returns slot h to the free list, and uncounts the order. The
// slot's other fields are left as they were: whoever takes it sets them.
func (b *Book) freeOrder(h int32) {
	b.orders[h].next = b.freeOrders
	b.freeOrders = h
	b.nOrders--
}

// Order homes. In a book with reserved room, an order rests if it can at
// its home: the order slot that the hash of its ID gives. Finding it by ID
// then reads that one slot, which confirms the ID too, and the order is
// read in the same load; an add finds its slot, and the duplicate check,
// in the same way. The homes are a power of two, at least the reserved
// orders, and at most maxHomes; slots [2, homes+2) (homeEnd), so that a
// line of eight homes lies in four cache lines. A home is free while its
// at is 0: a resting order's at never is (level.go).
//
// An order whose home is taken (a stray) takes a slot past the homes, from
// the free list, and its ID goes in the ID table (idTable); the home
// counts its strays (Book.strays, which stops at 255 and stays there),
// so that a search of the ID table is made only from a home that has or
// had strays. Orders never move: a stray stays one when its home frees,
// and the next order of that home takes it. A book with no reserved room
// has no homes, and every order is a stray: its orders and ID table grow
// as they did before homes.
//
// IDs hash as in the ID table: eight IDs in sequence share a line of
// homes, and the lines are spread by a seeded Fibonacci hash, which
// spreads groups in sequence evenly, so that IDs given in sequence
// collide only with IDs far older that still rest. In the benchmarks'
// workloads, whose IDs are in sequence, about a fifth of the orders are
// strays in the steady state (the mixed workload 20%, the wide one at
// 100k levels 18%, 15% at 1M levels by the end of a run; the hot one 9%).
//
// Measured on 2026-12-06 against the ID table for every order (ba1e3f2),
// the test binaries run in turn 10 times (benchstat medians, the
// README's order book section): the wide workload at 1M levels 240.5
// against 316.3 ns/op (-24%, p=0.000), a random cancel 58.1 against 70.9
// (-18%), the mixed workload at 1M orders 153.5 against 205.5 (-25%),
// its p99 and p99.9 latencies 612 against 711 ns and 1.27 against 1.55
// µs (p=0.007 and 0.011); the mixed and hot workloads and the L2 updates
// within their noise (mixed 99.3 against 108.2, hot 42.8 against 45.9).
// The cost is memory: the homes take 40 bytes each (the
// order and its owner), up to twice the reserved orders, and the strays'
// slots are reserved too, as many again, of which only those used are
// touched.
const maxHomes = 1 << 28

// reserveHomes sizes the homes and the ID table for orders orders.
func (b *Book) reserveHomes(orders int) {
	b.ids.reserve(orders)
	b.homes, b.homeShift, b.strays = 0, 0, nil
	if orders == 0 || orders > maxHomes {
		return
	}
	n, shift := 16, uint(31)
	for n < orders {
		n *= 2
		shift--
	}
	b.homes, b.homeShift = n, shift
	b.strays = make([]uint8, n+2)
}

// homeEnd returns the first order slot past the homes: the strays' slots
// start there.
func (b *Book) homeEnd() int {
	if b.homes == 0 {
		return 1
	}
	return b.homes + 2
}

// isHome reports whether order slot h is a home.
func (b *Book) isHome(h int32) bool { return uint(h-2) < uint(b.homes) }

// home returns the home of the ID whose tag (idTable.tag) is tag: the
// slot of its low three bits within the line of eight that its group hash
// picks, as in the ID table. The book must have homes.
func (b *Book) home(tag uint32) int32 {
	return 2 + (int32(tag>>b.homeShift)<<3 | int32(tag&7))
}

// lookup returns the handle of the resting order with the given ID, or 0,
// and the index of its ID table slot if it is a stray, or -1.
func (b *Book) lookup(id OrderID) (int32, int) {
	tag := b.ids.tag(id)
	if b.homes != 0 {
		h := b.home(tag)
		if o := &b.orders[h]; o.at != 0 && o.id == id {
			return h, -1
		}
		if b.strays[h] == 0 {
			return 0, -1
		}
	}
	if len(b.ids.slots) == 0 {
		return 0, -1
	}
	i := b.ids.findFrom(b.ids.home(tag), tag, id, b.orders)
	if i < 0 {
		return 0, -1
	}
	return b.ids.slots[i].h, i
}

// newStray returns a slot past the homes for a new order of the given ID,
// and puts the ID in the ID table: at slot, which probe returned for it,
// or where makeRoom says if slot is -1 or may be stale. Its home (0 in a
// book without homes) counts it. The caller has checked room.
func (b *Book) newStray(id OrderID, tag uint32, home int32, slot int) int32 {
	h := b.newOrder()
	ids := &b.ids
	if slot < 0 || 4*(ids.n+1) > 3*len(ids.slots) {
		slot, tag = ids.makeRoom(id, b.orders)
	}
	ids.put(slot, idSlot{tag: tag, h: h})
	if home != 0 && b.strays[home] != 255 {
		b.strays[home]++
	}
	return h
}

// dropOrder removes resting order h from the homes or the ID table, and
// frees its slot; i is the index of its ID table slot if known (lookup),
// or -1.
func (b *Book) dropOrder(h int32, i int) {
	if b.isHome(h) {
		b.orders[h].at = 0
		b.nOrders--
		return
	}
	id := b.orders[h].id
	if i >= 0 {
		b.ids.delAt(i)
	} else {
		b.ids.del(id, h)
	}
	if b.homes != 0 {
		if n := &b.strays[b.home(b.ids.tag(id))]; *n != 255 {
			*n--
		}
	}
	b.freeOrder(h)
}

// newLevel returns a free level slot set to an empty level at price on side
// s, growing the slab if none is free. The caller has checked room: the
// levels of two orders or more are fewer than the price levels.
func (b *Book) newLevel(s Side, price int64) int32 {
	h := b.freeLevels
	if h != 0 {
		b.freeLevels = b.levels[h].head
	} else {
		if len(b.levels) == 0 {
			b.levels = append(b.levels, level{})
		}
		b.levels = append(b.levels, level{})
		h = int32(len(b.levels) - 1)
	}
	b.levels[h] = level{price: price, side: s}
	return h
}

// freeLevel returns level slot h to the free list.
func (b *Book) freeLevel(h int32) {
	b.levels[h] = level{head: b.freeLevels}
	b.freeLevels = h
}

// idTable maps the IDs of the resting orders that are not at their homes
// (all of them, in a book without homes) to their slots: open addressing
// with linear probing, at most three quarters full, and backward-shift
// deletion, so that it never leaves tombstones and never allocates once
// sized. (A Go map would do, but takes more memory per entry, and may
// grow under a steady churn of inserts and deletes.)
//
// Entries keep Robin Hood order: along a run of full slots they lie in
// the order of their homes, an insertion moving the entries after its
// place one slot on. So a search stops at the first entry that lies
// nearer its home than the ID would there, and a deletion moves entries
// back only as far as the first one at its home. IDs added in sequence
// sit at their homes side by side, so deleting one usually moves nothing,
// where plain linear probing must read on to the end of the run in case
// an entry further on has searched past the hole. Measured against plain
// linear probing (2026-12-05): in the mixed workload under callgrind,
// market orders execute 14% fewer instructions, cancels 11% fewer, adds
// 7% more; in 10 interleaved runs of each (benchstat medians), random
// cancels take 45.4 against 67.1 ns, the hot workload 34.9 against 36.5
// ns, and the mixed workload's p99 and p99.9 latencies 516 against 631 ns
// and 1.08 against 1.31 µs, its mean unchanged within the noise.
//
// A slot is 8 bytes: the order's handle and, next to it, a 32-bit
// fingerprint of its ID (a hash of the ID's group and its low bits), which
// also gives the slot the ID's search starts at. A search reads no order
// whose fingerprint differs; where one matches, it confirms the ID against
// that order, which is the order the caller goes on to read: a cancel
// of a stray misses the cache on its home, then on the slot and the
// order, and no more. An
// add probes once, for the duplicate check and the slot to insert at
// together ([idTable.probe]).
//
// (Slots of 16 bytes that held the ID itself, so as to confirm it without
// reading the order, were tried: the table doubles, to 4 MB for 150,000
// orders, and the mixed workload's p99 and p99.9 latencies rose by 17%
// and 18%. These 8-byte slots padded to 16 bytes raised them by 19% and
// 19%: the size was the cause. The order's line is read anyway.)
//
// (Nor does a slot give a cancel its order's level and page, so that it
// could load them beside the order rather than after it. Two ways were
// measured against this table on 2026-12-05, the test binaries run in
// turn, benchstat medians: slots of 16 bytes holding the level's handle
// and the page's position too, and a second array of those beside the
// slots, indexed as they are, so that probes still read 8-byte slots.
// In 8 runs of each, the wide workload at 1M levels took 332 and 340
// ns/op against 407 (18% and 17% less) and the hot workload 39.5 and
// 40.1 against 36.1 (9% and 11% more); in earlier runs of 5 and 6, the
// mixed workload took 36% and 14% more, and the wide one about 4x the
// mixed workload of this table (310 and 302 against 80 and 76 ns/op).)
//
// IDs are hashed in groups of eight, a cache line of slots: the home of an
// ID is the slot of its low three bits within a line picked by a Fibonacci
// hash of the other bits. Exchanges number orders in sequence, so
// consecutive orders share a cache line, and adding them misses the
// cache once in eight; other patterns still spread over the table. A
// random seed per table keeps chosen IDs from colliding on purpose.
type idTable struct {
	slots []idSlot // a power of two long, at least 16, or empty
	shift uint     // 35 - log2(len(slots)): see home
	n     int
	seed  uint64
}

type idSlot struct {
	tag uint32 // hash of the ID's group in the top 29 bits, then its low 3 bits
	h   int32  // order handle; 0: empty
}

// tag returns the tag of id.
func (t *idTable) tag(id OrderID) uint32 {
	group := uint32(((uint64(id>>3) ^ t.seed) * 0x9e3779b97f4a7c15) >> 32)
	return group&^7 | uint32(id&7)
}

// home returns the slot at which the search for a tag starts: the line
// given by the top bits of its group hash, the slot its low bits give.
func (t *idTable) home(tag uint32) int {
	return int(tag>>t.shift)<<3 | int(tag&7)
}

// reserve sizes an empty table for n IDs.
func (t *idTable) reserve(n int) {
	size, shift := 16, uint(31)
	for 3*size < 4*n {
		size *= 2
		shift--
	}
	t.slots = make([]idSlot, size)
	t.shift = shift
	t.n = 0
	if t.seed == 0 {
		t.seed = rand.Uint64() | 1
	}
}

// dist returns how far slot i lies past the home of tag.
func (t *idTable) dist(i int, tag uint32) int {
	return (i - t.home(tag)) & (len(t.slots) - 1)
}

// find returns the index of the slot of id, or -1. It reads the order of
// a slot whose tag matches, to confirm the ID. The common case, the ID
// at its home slot or absent with its home empty, is inlined at its
// callers; findFrom goes on.
func (t *idTable) find(id OrderID, orders []order) int {
	if len(t.slots) == 0 {
		return -1
	}
	tag := t.tag(id)
	return t.findFrom(t.home(tag), tag, id, orders)
}

// findFrom is find, from the home i of tag on.
func (t *idTable) findFrom(i int, tag uint32, id OrderID, orders []order) int {
	i, found := t.probe(i, tag, id, orders)
	if !found {
		return -1
	}
	return i
}

// get returns the handle of id, or 0.
func (t *idTable) get(id OrderID, orders []order) int32 {
	if i := t.find(id, orders); i >= 0 {
		return t.slots[i].h
	}
	return 0
}

// probe looks id, whose tag is tag, up from its home i: it returns the
// index of its slot and true, or the index at which it would go and
// false. It stops at an empty slot or at one whose entry lies nearer its
// own home than id would there: id would have taken that slot. The index
// holds until the table changes; Limit then fills it with put (growing
// the table through makeRoom when it would be more than three quarters
// full). The table must not be empty.
func (t *idTable) probe(i int, tag uint32, id OrderID, orders []order) (int, bool) {
	mask := len(t.slots) - 1
	for d := 0; ; d++ {
		s := t.slots[i]
		if s.h == 0 || t.dist(i, s.tag) < d {
			return i, false
		}
		if s.tag == tag && orders[s.h].id == id {
			return i, true
		}
		i = (i + 1) & mask
	}
}

// put inserts s at slot i, which probe returned for it, moving the
// entries from i to the next empty slot one slot on (shiftOn, the
// uncommon case). It is small enough to inline.
func (t *idTable) put(i int, s idSlot) {
	if t.slots[i].h != 0 {
		t.shiftOn(i)
	}
	t.slots[i] = s
	t.n++
}

// shiftOn moves the entries from slot i to the next empty slot one slot
// on, which leaves slot i free.
func (t *idTable) shiftOn(i int) {
	mask := len(t.slots) - 1
	j := i
	for t.slots[j].h != 0 {
		j = (j + 1) & mask
	}
	for ; j != i; j = (j - 1) & mask {
		t.slots[j] = t.slots[(j-1)&mask]
	}
}

// makeRoom grows the table if one more ID would make it more than three
// quarters full, and returns the slot at which id, absent, would go, and
// its tag.
func (t *idTable) makeRoom(id OrderID, orders []order) (int, uint32) {
	if 4*(t.n+1) > 3*len(t.slots) {
		t.grow()
	}
	tag := t.tag(id)
	i, _ := t.probe(t.home(tag), tag, id, orders)
	return i, tag
}

// grow doubles the table (or sizes an empty one) and re-inserts every
// entry. It compares no IDs: the entries are distinct.
func (t *idTable) grow() {
	old := t.slots
	t.reserve(max(len(old), 8))
	mask := len(t.slots) - 1
	for _, s := range old {
		if s.h == 0 {
			continue
		}
		i := t.home(s.tag)
		for d := 0; t.slots[i].h != 0 && t.dist(i, t.slots[i].tag) >= d; d++ {
			i = (i + 1) & mask
		}
		t.put(i, s)
	}
}

// del removes the entry of order h with the given id, which must be
// present. It compares handles, and reads no order.
func (t *idTable) del(id OrderID, h int32) {
	mask := len(t.slots) - 1
	i := t.home(t.tag(id))
	for t.slots[i].h != h {
		i = (i + 1) & mask
	}
	t.delAt(i)
}

// delAt removes the entry at slot i, and moves each entry after it one
// slot back until an empty slot or an entry at its home: entries lie in
// the order of their homes, so no later one can have searched past
// that. An ID added in sequence usually has its neighbour at home after
// it, and then nothing moves.
func (t *idTable) delAt(i int) {
	mask := len(t.slots) - 1
	for {
		j := (i + 1) & mask
		s := t.slots[j]
		if s.h == 0 || t.home(s.tag) == j {
			break
		}
		t.slots[i] = s
		i = j
	}
	t.slots[i] = idSlot{}
	t.n--
}

// reset removes every ID, keeping the memory.
func (t *idTable) reset() {
	clear(t.slots)
	t.n = 0
}
