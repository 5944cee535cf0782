package orderbook

// FloorAdd and FloorCancel do the part of Limit (resting an order) and
// Cancel that any book keeping its orders by ID must do, and no more:
// find the ID's slot (its home, or the ID table for a stray) and fill it
// in, or find it, read it and free it. They leave the levels and ladders
// as they were, so b serves nothing else after them.
// BenchmarkWideFloor replays the wide workload through them: the floor
// under BenchmarkWide.

func FloorAdd(b *Book, id OrderID, qty int64) { floorAdd(b, id, Buy, qty, 0) }

func FloorCancel(b *Book, id OrderID) int64 {
	h, i := b.lookup(id)
	if h == 0 {
		panic("FloorCancel: unknown ID")
	}
	qty := b.orders[h].qty
	b.dropOrder(h, i)
	return qty
}

// floorAdd is FloorAdd for an order of side s whose level field is at,
// or 1 (any level) if at is 0: a resting order's is never 0.
func floorAdd(b *Book, id OrderID, s Side, qty int64, at int32) {
	if h, _ := b.lookup(id); h != 0 {
		panic("FloorAdd: duplicate ID")
	}
	if at == 0 {
		at = 1
	}
	tag := b.ids.tag(id)
	var h int32
	if home := b.home(tag); b.orders[home].at == 0 {
		h = home
		b.nOrders++
	} else {
		h = b.newStray(id, tag, home, -1)
	}
	b.orders[h] = order{id: id, qty: qty, side: s, typ: GTC, at: at}
}

// Strays returns the fraction of b's resting orders that are away from
// their homes.
func Strays(b *Book) float64 { return float64(b.ids.n) / float64(max(b.nOrders, 1)) }

// FloorPages, FloorAddPage and FloorCancelPage are that floor plus the
// least a book whose price index is these pages must do: an add finds
// its price's page and sets the price's bit (making the page if need
// be), a cancel clears the bit. There are no levels: a price is present
// or not, as if each order were alone at its price, as nearly every order
// of the wide workload is, and every order keeps its place (as the book
// does for an order alone at its price), so that a cancel goes from the
// order straight to the page's head. FloorPages gives the orders resting
// when it is called their places. BenchmarkWidePageFloor replays the wide
// workload through them.

func FloorPages(b *Book) {
	resting := func(h int32) {
		if !b.alone(h) {
			b.orders[h].at = b.levels[b.orders[h].at].at
		}
	}
	for h := 2; h < b.homeEnd(); h++ {
		if b.orders[h].at != 0 {
			resting(int32(h))
		}
	}
	for _, s := range b.ids.slots {
		if s.h != 0 {
			resting(s.h)
		}
	}
}

func FloorAddPage(b *Book, id OrderID, s Side, price, qty int64) {
	l := b.ladder(s)
	k := key(s, price)
	p, found := l.find(k)
	if !found {
		p.pg = l.insert(p, k, 1)
	}
	floorAdd(b, id, s, qty, p.pg<<pageShift|p.i)
}

func FloorCancelPage(b *Book, id OrderID) int64 {
	h, i := b.lookup(id)
	if h == 0 {
		panic("FloorCancelPage: unknown ID")
	}
	o := &b.orders[h]
	l := b.ladder(o.side)
	p := at(o.at)
	if l.heads[p.pg].occ>>p.i&1 != 0 { // another order may have cleared it
		l.remove(p)
	}
	qty := o.qty
	b.dropOrder(h, i)
	return qty
}
