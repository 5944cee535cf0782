package orderbook

import "math"

// Cancel removes the resting order with the given ID and returns it as it
// was, its Qty being what was still open. It returns [ErrUnknownOrder] if
// no order with that ID is resting. It costs O(1) (expected: the order at
// its ID's home, or a hash table lookup); if the order was the last at its
// price, closing the level adds O(1), or O(log P) in the number P of price
// pages (32 ticks each) on the order's side if that frees a page (see the
// package documentation).
func (b *Book) Cancel(id OrderID) (Order, error) {
	// lookup, with its common case inline: the order at its home.
	var h int32
	i := -1
	if b.homes != 0 {
		if h = b.home(b.ids.tag(id)); b.orders[h].at == 0 || b.orders[h].id != id {
			h, i = b.lookup(id)
		}
	} else {
		h, i = b.lookup(id)
	}
	if h == 0 {
		return Order{}, ErrUnknownOrder
	}
	// view and leave, written out: neither inlines, and on the hot
	// workload the two calls cost Cancel about a quarter more instructions
	// (callgrind, 2026-12-06).
	r := &b.orders[h]
	o := Order{ID: r.id, Qty: r.qty, Owner: b.owner(h), Side: r.side, Type: r.typ, STP: r.stp}
	if r.prev|r.next != 0 {
		lh := r.at
		lv := &b.levels[lh]
		o.Price = lv.price
		b.unlink(h)
		if lv.head == lv.tail {
			b.settle(lh)
		}
	} else {
		o.Price = b.price(h)
		b.ladder(r.side).remove(at(r.at))
	}
	b.dropOrder(h, i)
	return o, nil
}

// Amend changes the price and open quantity of the resting order with the
// given ID. Reducing the quantity at the same price keeps the order's time
// priority. A larger quantity sends it to the back of the queue at its
// price. A new price sends it to the book as a new order of the same ID,
// side, type, owner and prevention mode: a GTC order whose new price
// crosses trades as a taker, appending a [Fill] to dst for each trade, and
// rests what does not trade (see [Book.Limit]); a PostOnly order fails
// instead. Amend returns the extended dst.
//
// Amend checks, in this order, and returns the first error that applies,
// having changed nothing: [ErrInvalidPrice], [ErrInvalidQty],
// [ErrUnknownOrder], [ErrWouldCross] (PostOnly), [ErrOverflow] and
// [ErrBookFull] (a fixed book has no free level for the new price, counting
// the one the order leaves if it was alone there).
//
// Amend costs O(1) at the same price. At a new price it costs what
// [Book.Cancel] and [Book.Limit] cost.
func (b *Book) Amend(id OrderID, price, qty int64, dst []Fill) ([]Fill, error) {
	if price <= 0 {
		return dst, ErrInvalidPrice
	}
	if qty <= 0 {
		return dst, ErrInvalidQty
	}
	h, _ := b.lookup(id)
	if h == 0 {
		return dst, ErrUnknownOrder
	}
	o := &b.orders[h]
	if price == b.price(h) {
		switch {
		case b.alone(h):
			o.qty = qty // first and last in its queue either way
		case qty <= o.qty:
			b.levels[o.at].total -= o.qty - qty
			o.qty = qty
		case b.levels[o.at].total-o.qty > math.MaxInt64-qty:
			return dst, ErrOverflow
		default:
			lh := o.at
			b.unlink(h)
			o.qty = qty
			b.pushBack(lh, h)
		}
		return dst, nil
	}

	s := o.side
	t := taker{id: id, qty: qty, limitKey: key(s.opposite(), price), side: s}
	if owner := b.owner(h); owner != 0 {
		t.owner, t.stp = owner, o.stp
	}
	crosses := b.crosses(s, t.limitKey)
	if o.typ == PostOnly && crosses {
		return dst, ErrWouldCross
	}
	l := b.ladder(s)
	p, found := l.find(key(s, price))
	if found && b.total(l.val(p)) > math.MaxInt64-qty {
		return dst, ErrOverflow
	}
	freed := 0
	if b.alone(h) {
		freed = 1 // the order's level goes when it leaves
	}
	if !b.levelRoom(found, freed) {
		return dst, ErrBookFull
	}

	b.leave(h)
	if crosses {
		dst = b.match(&t, dst)
		if t.qty == 0 || t.stopped {
			b.dropOrder(h, -1)
			return dst, nil
		}
	}
	b.orders[h].qty = t.qty
	p, found = l.find(key(s, price)) // the ladder may have changed
	b.rest(h, s, price, p, found)
	return dst, nil
}
