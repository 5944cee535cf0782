package markindex

import (
	"math"
	"strconv"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
)

// An ID names an indexed entry: a position or an account, as the caller
// numbers them. IDs are distinct within one Index.
type ID uint64

// A Key says at which marks an entry is a candidate, in the Index's units
// (whole multiples of its unit price): when the mark m is at or below Lo, or
// at or above Hi, that is when ceil(m/unit) <= Lo or, for Hi > 0,
// floor(m/unit) >= Hi. A long's liquidation price goes in Lo, a short's in
// Hi, rounded toward firing earlier ([Index.Below], [Index.Above]).
//
// The zero Key never fires (Lo <= 0: no positive mark is at or below it;
// Hi <= 0: no upper trigger). A Key whose Lo is at least its Hi > 0 fires at
// every mark; [Now] is that Key.
type Key struct {
	Lo, Hi int64
}

// Now returns the Key that fires at every mark: an account already
// liquidatable, or liquidatable at every price (liquidation.Always).
func Now() Key { return Key{Lo: math.MaxInt64} }

// Or returns the Key that fires when k or j fires: the larger Lo and the
// smaller positive Hi.
func (k Key) Or(j Key) Key {
	z := Key{Lo: max(k.Lo, j.Lo), Hi: k.Hi}
	if z.Hi <= 0 || (j.Hi > 0 && j.Hi < z.Hi) {
		z.Hi = j.Hi
	}
	return z.norm()
}

// norm returns k in the form the Index stores: Lo and Hi 0 when they cannot
// fire, and Now when one of the two always fires.
func (k Key) norm() Key {
	if k.Lo < 0 {
		k.Lo = 0
	}
	if k.Hi < 0 {
		k.Hi = 0
	}
	if k.Hi > 0 && k.Lo >= k.Hi {
		return Now()
	}
	return k
}

// Order is the order in which a tick's hits are reported.
type Order int8

// The orders. The zero Order is invalid (ErrOrder).
const (
	// Deepest reports the entry whose key the mark has passed by the most
	// units first (the most under water by price), ties by the smaller ID.
	Deepest Order = 1 + iota
	// ByKey reports the Lo hits first, largest Lo first, then the Hi hits,
	// smallest Hi first: each side from the key farthest from the mark,
	// ties by the smaller ID. It costs no merge.
	ByKey
)

// String returns "Deepest", "ByKey" or "Order(n)".
func (o Order) String() string {
	switch o {
	case Deepest:
		return "Deepest"
	case ByKey:
		return "ByKey"
	}
	return "Order(" + strconv.Itoa(int(o)) + ")"
}

// An Index holds the keys of one contract's entries in two B+ trees, one
// ordered by Lo and one by Hi, so that a mark finds the k entries it fires
// in O(log n + k) — in fact O(1 + k): both trees are walked from their ends.
// Build one with [New]. An Index is not safe for concurrent use: one writer
// per contract, as the engine runs. Its reads (Tick, TickUnits, Key, Len,
// Unit, Below, Above) only read it, so goroutines may share an Index that
// none modifies.
type Index struct {
	unit  apd.Decimal
	su    uint64 // unit = su * 10^eu
	eu    int32
	order Order
	lo    tree // entries (-Lo, id) for Lo > 0
	hi    tree // entries (Hi, id) for Hi > 0
	keys  map[ID]Key
}

// New returns an empty Index whose keys count units of unit (a price, such
// as the contract's tick) and whose ticks report hits in order. A unit the
// size of the tick makes keys exact for exchanges that round liquidation
// prices to the tick; a finer unit makes fewer false positives for prices
// the exchange leaves unrounded.
//
// Errors: derivmath.CheckPrice errors for unit, ErrRange for a unit whose
// coefficient, less its trailing zeros, does not fit 64 bits, ErrOrder.
func New(unit *apd.Decimal, order Order) (*Index, error) {
	if err := derivmath.CheckPrice(unit); err != nil {
		return nil, err
	}
	if order != Deepest && order != ByKey {
		return nil, ErrOrder
	}
	c, e, ok := coeff(unit)
	if !ok {
		return nil, ErrRange
	}
	x := &Index{su: c, eu: e, order: order, keys: make(map[ID]Key)}
	x.unit.Set(unit)
	return x, nil
}

// Unit sets z to the Index's unit price.
func (x *Index) Unit(z *apd.Decimal) { z.Set(&x.unit) }

// Len returns the number of indexed entries.
func (x *Index) Len() int { return len(x.keys) }

// Key returns the key of id as the Index stores it (Now for any key that
// fires at every mark), and whether id is indexed.
func (x *Index) Key(id ID) (Key, bool) {
	k, ok := x.keys[id]
	return k, ok
}

// Upsert sets the key of id, replacing any key it had: O(log n). A key that
// never fires (the zero Key) removes id. It allocates only to grow the
// Index's storage; an Index whose size stays bounded stops allocating.
func (x *Index) Upsert(id ID, k Key) {
	k = k.norm()
	old, ok := x.keys[id]
	if ok && old == k {
		return
	}
	if ok {
		x.drop(id, old)
	}
	if k == (Key{}) {
		if ok {
			delete(x.keys, id)
		}
		return
	}
	x.keys[id] = k
	if k.Lo > 0 {
		x.lo.insert(-k.Lo, uint64(id))
	}
	if k.Hi > 0 {
		x.hi.insert(k.Hi, uint64(id))
	}
}

// Remove removes id and reports whether it was indexed: O(log n).
func (x *Index) Remove(id ID) bool {
	k, ok := x.keys[id]
	if !ok {
		return false
	}
	x.drop(id, k)
	delete(x.keys, id)
	return true
}

func (x *Index) drop(id ID, k Key) {
	if k.Lo > 0 {
		x.lo.remove(-k.Lo, uint64(id))
	}
	if k.Hi > 0 {
		x.hi.remove(k.Hi, uint64(id))
	}
}

// Tick appends to dst the IDs whose keys fire at mark, in the Index's
// Order, and returns the extended slice. The keys stay: an entry fires
// again at the next mark until it is re-keyed or removed, so the caller
// confirms each hit with the exact check (liquidation.Solver.Liquidatable,
// account.Account.Liquidatable) and re-keys the false positives.
//
// A tick converts mark to units once (floor and ceiling, exactly, on
// integers) and then compares int64 keys only, walking the two trees from
// their ends: O(1) without hits, O(1) per hit, and no allocation when dst
// has room and mark's coefficient fits 64 bits (a longer one is validated
// on apd's path, which allocates).
//
// Errors: derivmath.CheckPrice errors for mark, ErrRange for a mark whose
// coefficient, less its trailing zeros, does not fit 64 bits or whose
// number of units exceeds an int64. On error dst is returned unchanged.
func (x *Index) Tick(mark *apd.Decimal, dst []ID) ([]ID, error) {
	f, c, err := x.units(mark)
	if err != nil {
		return dst, err
	}
	return x.hits(f, c, dst), nil
}

// TickUnits is Tick for a mark of m units, a whole number. A mark of no
// units or fewer, which Tick refuses, reaches every entry with a Lo.
func (x *Index) TickUnits(m int64, dst []ID) []ID {
	// hits negates c: math.MinInt64 would wrap, and reach none.
	return x.hits(m, max(m, math.MinInt64+1), dst)
}

// hits appends the entries with Lo >= c (stored as -Lo <= -c) and those
// with 0 < Hi <= f.
func (x *Index) hits(f, c int64, dst []ID) []ID {
	lt, ht := &x.lo, &x.hi
	lh, li := lt.first, int32(0)
	hh, hi := ht.first, int32(0)
	loOK := func() bool { // the lo walk's current entry fires
		for lh != 0 && li >= lt.leaves[lh].n {
			lh, li = lt.leaves[lh].next, 0
		}
		return lh != 0 && lt.leaves[lh].keys[li] <= -c
	}
	hiOK := func() bool {
		for hh != 0 && hi >= ht.leaves[hh].n {
			hh, hi = ht.leaves[hh].next, 0
		}
		return hh != 0 && ht.leaves[hh].keys[hi] <= f
	}
	if lt.n == 0 {
		lh = 0
	}
	if ht.n == 0 {
		hh = 0
	}
	if x.order == ByKey {
		for loOK() {
			dst = append(dst, ID(lt.leaves[lh].ids[li]))
			li++
		}
		for hiOK() {
			dst = append(dst, ID(ht.leaves[hh].ids[hi]))
			hi++
		}
		return dst
	}
	for {
		lok, hok := loOK(), hiOK()
		if !lok && !hok {
			return dst
		}
		if lok && hok {
			// Depths: Lo - c and f - Hi, both >= 0; as uint64 they
			// cannot overflow.
			l := &lt.leaves[lh]
			h := &ht.leaves[hh]
			dl := uint64(-l.keys[li]) - uint64(c)
			dh := uint64(f) - uint64(h.keys[hi])
			lok = dl > dh || (dl == dh && l.ids[li] < h.ids[hi])
		}
		if lok {
			dst = append(dst, ID(lt.leaves[lh].ids[li]))
			li++
		} else {
			dst = append(dst, ID(ht.leaves[hh].ids[hi]))
			hi++
		}
	}
}

// Below returns the Key of an entry liquidated when the mark is at or below
// p (a long): Lo = ceil(p/unit), so that the key fires at every mark at or
// below p, and at most one unit above it.
//
// Errors: derivmath.CheckPrice errors for p, ErrRange.
func (x *Index) Below(p *apd.Decimal) (Key, error) {
	_, c, err := x.units(p)
	if err != nil {
		return Key{}, err
	}
	return Key{Lo: c}, nil
}

// Above returns the Key of an entry liquidated when the mark is at or above
// p (a short): Hi = floor(p/unit), so that the key fires at every mark at
// or above p, and at most one unit below it. A p below one unit gives Now.
//
// Errors: derivmath.CheckPrice errors for p, ErrRange.
func (x *Index) Above(p *apd.Decimal) (Key, error) {
	f, _, err := x.units(p)
	if err != nil {
		return Key{}, err
	}
	if f == 0 {
		return Now(), nil
	}
	return Key{Hi: f}, nil
}
