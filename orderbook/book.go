package orderbook

import "iter"

// Book is a limit order book with price-time priority. The zero value is
// an empty book that grows as orders arrive; [New] reserves memory up
// front, and [NewFixed] also caps it. A Book must not be copied after
// first use: the copy would share its memory. A Book is not safe for
// concurrent use, not even by readers alone (Preview updates a cache);
// the caller synchronises.
type Book struct {
	orders     []order   // slab; index 0 is nil
	owners     []OwnerID // owner of each order slot, where order.owned
	levels     []level   // slab; index 0 is nil
	freeOrders int32
	freeLevels int32
	bids, asks ladder[int32]
	ids        idTable // the IDs of the orders away from their homes (pool.go)
	homes      int     // order slots [2, homes+2) are homes: a power of two, or 0
	homeShift  uint    // 35 - log2(homes): see home
	strays     []uint8 // by home: its orders away from it, or 255 for 255 and more
	nOrders    int     // resting orders
	fixed      bool
	maxOrders  int // when fixed
	maxLevels  int // when fixed
}

// New returns an empty book with memory reserved for orders resting orders
// on levels price levels (both sides together), so that it allocates
// nothing until it holds more. Past that it grows, as the zero value does.
// The orders reserved have homes (see the package documentation): order
// slots that their IDs' hash gives, which find them with one load.
// New panics if orders or levels is negative.
func New(orders, levels int) *Book {
	if orders < 0 || levels < 0 {
		panic("orderbook: New with negative capacity")
	}
	b := new(Book)
	b.reserve(orders, levels)
	return b
}

// NewFixed returns an empty book that holds at most orders resting orders
// on at most levels price levels (both sides together, and at most
// 2^26-2 less its homes whatever levels is: see the package
// documentation), with all its memory reserved: an order that
// would need more room returns [ErrBookFull]. NewFixed panics if orders
// or levels is negative.
func NewFixed(orders, levels int) *Book {
	if orders < 0 || levels < 0 {
		panic("orderbook: NewFixed with negative capacity")
	}
	b := new(Book)
	b.reserve(orders, levels)
	b.fixed = true
	b.maxOrders = orders
	b.maxLevels = levels
	return b
}

func (b *Book) reserve(orders, levels int) {
	b.reserveHomes(orders)
	b.orders = make([]order, b.homeEnd(), b.homeEnd()+orders)
	b.owners = make([]OwnerID, b.homeEnd(), b.homeEnd()+orders)
	// Only a price of two orders or more takes a level slot (level.go).
	b.levels = make([]level, 1, min(levels, orders/2)+1)
	// A side holds no more levels than orders, nor than maxPlaces; and
	// its page handles stay under 1<<26, so that places fit (level.go).
	n := min(levels, orders, maxPlaces)
	b.bids.reserve(n, 1<<(31-pageShift))
	b.asks.reserve(n, 1<<(31-pageShift))
}

// Reset empties the book, keeping its memory and capacity. It costs
// O(capacity).
func (b *Book) Reset() {
	if len(b.orders) > 0 {
		b.orders = b.orders[:b.homeEnd()]
		b.owners = b.owners[:b.homeEnd()]
		for h := range b.orders {
			b.orders[h].at = 0 // the homes are free
		}
		clear(b.strays)
	}
	if len(b.levels) > 0 {
		b.levels = b.levels[:1]
	}
	b.freeOrders, b.freeLevels = 0, 0
	b.bids.reset()
	b.asks.reset()
	b.ids.reset()
	b.nOrders = 0
}

// Len returns the number of resting orders, in O(1).
func (b *Book) Len() int { return b.nOrders }

// ladder returns the levels of side s, or nil for an invalid side.
func (b *Book) ladder(s Side) *ladder[int32] {
	switch s {
	case Buy:
		return &b.bids
	case Sell:
		return &b.asks
	}
	return nil
}

// roomFor reports whether a new order can rest at a level that exists, or
// else at a new one.
func (b *Book) roomFor(levelExists bool) bool {
	if b.fixed {
		return b.nOrders < b.maxOrders && b.levelRoom(levelExists, 0)
	}
	return b.nOrders < maxHandle-b.homeEnd() && b.levelRoom(levelExists, 0)
}

// levelRoom reports whether an order can rest at a level that exists, or
// else at a new one once freed levels have been released.
func (b *Book) levelRoom(exists bool, freed int) bool {
	if exists {
		return true
	}
	// A side's pages away from their homes take handles past the homes,
	// as many as its levels and the spare, so the homes count against
	// maxPlaces (the sides have as many).
	limit := maxPlaces - b.bids.homes
	if b.fixed {
		limit = min(limit, b.maxLevels)
	}
	return b.bids.n+b.asks.n-freed < limit
}

// Order returns the resting order with the given ID, its Qty being what
// remains open, and whether there is one. It costs O(1) (expected: the
// order at its ID's home, or a hash table lookup).
func (b *Book) Order(id OrderID) (Order, bool) {
	h, _ := b.lookup(id)
	if h == 0 {
		return Order{}, false
	}
	return b.view(h), true
}

// view returns slot h as an Order.
func (b *Book) view(h int32) Order {
	o := &b.orders[h]
	return Order{
		ID:    o.id,
		Price: b.price(h),
		Qty:   o.qty,
		Owner: b.owner(h),
		Side:  o.side,
		Type:  o.typ,
		STP:   o.stp,
	}
}

// BestBid returns the highest bid level, and false if there are no bids,
// in O(1).
func (b *Book) BestBid() (Level, bool) { return b.best(Buy) }

// BestAsk returns the lowest ask level, and false if there are no asks,
// in O(1).
func (b *Book) BestAsk() (Level, bool) { return b.best(Sell) }

func (b *Book) best(s Side) (Level, bool) {
	l := b.ladder(s)
	p, ok := l.top()
	if !ok {
		return Level{}, false
	}
	return Level{Price: key(s, l.key(p)), Qty: b.total(l.val(p))}, true
}

// Orders returns an iterator over the orders resting on side s in priority
// order: best price first, and oldest first at each price. Each Qty is what
// remains open. An invalid side yields nothing. The book must not be
// changed during the iteration. Each step costs O(1).
func (b *Book) Orders(s Side) iter.Seq[Order] {
	return func(yield func(Order) bool) {
		l := b.ladder(s)
		if l == nil {
			return
		}
		for p, ok := l.top(); ok; p, ok = l.down(p) {
			for h := b.first(l.val(p)); h != 0; h = b.orders[h].next {
				if !yield(b.view(h)) {
					return
				}
			}
		}
	}
}
