package orderbook

// FloorAdd and FloorCancel do the part of Limit (resting an order) and
// Cancel that any book keeping its orders by ID must do, and no more: the
// ID table's probe and its slot, and the order's slot. They leave the
// levels and ladders as they were, so b serves nothing else after them.
// BenchmarkWideFloor replays the wide workload through them: the floor
// under BenchmarkWide.

func FloorAdd(b *Book, id OrderID, qty int64) { floorAdd(b, id, Buy, qty, 0) }

func FloorCancel(b *Book, id OrderID) int64 {
	i := b.ids.find(id, b.orders)
	if i < 0 {
		panic("FloorCancel: unknown ID")
	}
	h := b.ids.slots[i].h
	qty := b.orders[h].qty
	b.ids.delAt(i)
	b.freeOrder(h)
	return qty
}

// floorAdd is FloorAdd for an order of side s whose level field is at.
func floorAdd(b *Book, id OrderID, s Side, qty int64, at int32) {
	ids := &b.ids
	tag := ids.tag(id)
	i, dup := ids.probe(ids.home(tag), tag, id, b.orders)
	if dup {
		panic("FloorAdd: duplicate ID")
	}
	h := b.newOrder()
	b.orders[h] = order{id: id, qty: qty, side: s, typ: GTC, at: at}
	ids.put(i, idSlot{tag: tag, h: h})
}

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
	for _, s := range b.ids.slots {
		if s.h != 0 && !b.alone(s.h) {
			b.orders[s.h].at = b.levels[b.orders[s.h].at].at
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
	i := b.ids.find(id, b.orders)
	if i < 0 {
		panic("FloorCancelPage: unknown ID")
	}
	h := b.ids.slots[i].h
	o := &b.orders[h]
	l := b.ladder(o.side)
	p := at(o.at)
	if l.heads[p.pg].occ>>p.i&1 != 0 { // another order may have cleared it
		l.remove(p)
	}
	qty := o.qty
	b.ids.delAt(i)
	b.freeOrder(h)
	return qty
}
