package orderbook

// FloorAdd and FloorCancel do the part of Limit (resting an order) and
// Cancel that any book keeping its orders by ID must do, and no more: the
// ID table's probe and its slot, and the order's slot. They leave the
// levels and ladders as they were, so b serves nothing else after them.
// BenchmarkWideFloor replays the wide workload through them: the floor
// under BenchmarkWide.

func FloorAdd(b *Book, id OrderID, qty int64) {
	ids := &b.ids
	tag := ids.tag(id)
	i, dup := ids.probe(ids.home(tag), tag, id, b.orders)
	if dup {
		panic("FloorAdd: duplicate ID")
	}
	h := b.newOrder()
	b.orders[h] = order{id: id, qty: qty, side: Buy, typ: GTC}
	ids.put(i, idSlot{tag: tag, h: h})
}

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
