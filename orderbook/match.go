package orderbook

import "math"

// taker is an order while it matches.
type taker struct {
	id       OrderID
	qty      int64 // not yet traded
	limitKey int64 // the worst opposite key it may trade at
	owner    OwnerID
	side     Side
	stp      STP  // the prevention mode, or 0 if it has no owner or mode
	stopped  bool // self-trade prevention cancelled the rest of it
}

// Limit sends a limit order to the book. It trades with resting orders on
// the other side at prices at least as good as o.Price, best price first
// and oldest first at each price, appending a [Fill] to dst for each trade,
// and returns the extended slice, as the strconv Append functions do: with
// enough capacity in dst it allocates nothing. What does not trade rests at
// o.Price if o.Type is GTC, and is dropped if it is IOC. A FOK order trades
// in full or not at all; a PostOnly order rests without trading or fails.
//
// Self-trade prevention applies when o.Owner and o.STP are not zero and the
// order meets a resting order of the same owner; see [STP].
//
// Limit checks, in this order, and returns the first error that applies,
// having changed nothing: [ErrInvalidSide], [ErrInvalidType],
// [ErrInvalidSTP], [ErrInvalidPrice] (o.Price not positive),
// [ErrInvalidQty] (o.Qty not positive), [ErrDuplicateID] (an order with
// o.ID is resting), [ErrWouldCross] (PostOnly), [ErrFillOrKill] (FOK),
// [ErrOverflow] (the level's total would pass MaxInt64) and [ErrBookFull].
// A GTC or PostOnly order needs room to rest, checked before it trades: a
// free order slot, and a free level if none exists at its price. So a full
// fixed book refuses even a GTC order that would trade in full; send it as
// IOC instead.
//
// Limit costs O(1) for each fill and for each level it empties, and
// O(log P) in the number P of price pages (32 ticks each) on that side
// for each page it frees; O(1) to find or open its level if it rests, or
// O(log P) if the level's page is neither at its home nor in the side's
// cache, or must be made (see the package documentation). A FOK order first walks the
// levels it would take (and their orders, if it has an owner and a
// prevention mode).
func (b *Book) Limit(o Order, dst []Fill) ([]Fill, error) {
	if err := o.validate(false); err != nil {
		return dst, err
	}
	// The duplicate check: the ID's home, then the ID table if strays of
	// that home may hold it (or the book has no homes), with the slot to
	// insert at.
	ids := &b.ids
	tag, slot := ids.tag(o.ID), -1
	var home int32
	if b.homes != 0 {
		home = b.home(tag)
		if r := &b.orders[home]; r.at != 0 && r.id == o.ID {
			return dst, ErrDuplicateID
		}
		if b.strays[home] != 0 {
			var dup bool
			if slot, dup = ids.probe(ids.home(tag), tag, o.ID, b.orders); dup {
				return dst, ErrDuplicateID
			}
		}
	} else if len(ids.slots) != 0 {
		if slot = ids.home(tag); ids.slots[slot].h != 0 {
			var dup bool
			if slot, dup = ids.probe(slot, tag, o.ID, b.orders); dup {
				return dst, ErrDuplicateID
			}
		}
	}
	limitKey := key(o.Side.opposite(), o.Price)
	crosses := b.crosses(o.Side, limitKey)
	switch o.Type {
	case PostOnly:
		if crosses {
			return dst, ErrWouldCross
		}
	case FOK:
		if t := newTaker(&o, limitKey); !b.fillable(&t) {
			return dst, ErrFillOrKill
		}
		fallthrough
	case IOC:
		if crosses {
			t := newTaker(&o, limitKey)
			dst = b.match(&t, dst)
		}
		return dst, nil
	}
	l := b.ladder(o.Side)
	k := key(o.Side, o.Price)
	p, found, ok := l.atTouch(k) // find, with its common case inline
	if !ok {
		p, found = l.findOff(k)
	}
	var lh int32 // the ladder's value at the price, if found
	if found {
		if lh = l.val(p); b.total(lh) > math.MaxInt64-o.Qty {
			return dst, ErrOverflow
		}
	}
	if !b.roomFor(found) {
		return dst, ErrBookFull
	}
	qty := o.Qty
	if crosses {
		t := newTaker(&o, limitKey)
		dst = b.match(&t, dst)
		if t.qty == 0 || t.stopped {
			return dst, nil
		}
		// Matching changed only the other side, so p, found and lh
		// hold; but it took IDs out of the table, which moves others.
		qty, slot = t.qty, -1
	}
	var h int32
	if home != 0 && b.orders[home].at == 0 {
		h = home
		b.nOrders++
	} else {
		h = b.newStray(o.ID, tag, home, slot)
	}
	r := &b.orders[h]
	r.id, r.qty, r.side, r.typ, r.stp, r.owned = o.ID, qty, o.Side, o.Type, o.STP, o.Owner != 0
	if o.Owner != 0 {
		b.owners[h] = o.Owner
	}
	if lh > 0 { // rest, with its common case inline: a level of two orders or more
		b.pushBack(lh, h)
	} else {
		b.rest(h, o.Side, o.Price, p, found)
	}
	return dst, nil
}

// Market sends a market order to the book: it trades with the other side
// at any price, best first, appending a [Fill] to dst for each trade, and
// returns the extended slice (see [Book.Limit]). o.Type is IOC (what does
// not trade is dropped) or FOK (all or nothing), and o.Price is 0.
//
// Market checks, in this order, and returns the first error that applies,
// having changed nothing: [ErrInvalidSide], [ErrInvalidType],
// [ErrInvalidSTP], [ErrInvalidPrice] (a price was given), [ErrInvalidQty],
// [ErrDuplicateID] and [ErrFillOrKill]. An IOC order that finds nothing to
// trade returns no fills and no error.
//
// Market costs O(1) for each fill and for each level it empties, and
// O(log P) for each price page it frees; FOK adds a walk of the levels it
// would take.
func (b *Book) Market(o Order, dst []Fill) ([]Fill, error) {
	if err := o.validate(true); err != nil {
		return dst, err
	}
	if h, _ := b.lookup(o.ID); h != 0 {
		return dst, ErrDuplicateID
	}
	t := newTaker(&o, math.MinInt64)
	if o.Type == FOK && !b.fillable(&t) {
		return dst, ErrFillOrKill
	}
	return b.match(&t, dst), nil
}

// validate checks the fields of a limit or market order in the order the
// documentation of Limit and Market gives.
func (o *Order) validate(market bool) error {
	if !o.Side.valid() {
		return ErrInvalidSide
	}
	if market {
		if o.Type != IOC && o.Type != FOK {
			return ErrInvalidType
		}
	} else if o.Type < GTC || o.Type > PostOnly {
		return ErrInvalidType
	}
	if o.STP < 0 || o.STP > CancelBoth {
		return ErrInvalidSTP
	}
	if market {
		if o.Price != 0 {
			return ErrInvalidPrice
		}
	} else if o.Price <= 0 {
		return ErrInvalidPrice
	}
	if o.Qty <= 0 {
		return ErrInvalidQty
	}
	return nil
}

func newTaker(o *Order, limitKey int64) taker {
	t := taker{id: o.ID, qty: o.Qty, limitKey: limitKey, side: o.Side}
	if o.Owner != 0 {
		t.owner, t.stp = o.Owner, o.STP
	}
	return t
}

// crosses reports whether a taker on side s with the given limit key can
// trade with the best opposite level.
func (b *Book) crosses(s Side, limitKey int64) bool {
	l := &b.asks
	if s == Sell {
		l = &b.bids
	}
	k, ok := l.bestKey()
	return ok && k >= limitKey
}

// fillable reports whether t would trade its whole quantity, self-trade
// prevention included: orders it would cancel do not count, and it stops
// at the first one it would be stopped by.
func (b *Book) fillable(t *taker) bool {
	l := b.ladder(t.side.opposite())
	need := t.qty
	for p, ok := l.top(); ok && l.key(p) >= t.limitKey; p, ok = l.down(p) {
		v := l.val(p)
		if t.stp == 0 {
			total := b.total(v)
			if total >= need {
				return true
			}
			need -= total
			continue
		}
		for h := b.first(v); h != 0; h = b.orders[h].next {
			if b.owner(h) == t.owner {
				if t.stp != CancelResting {
					return false // stopped short
				}
				continue // cancelled, not traded
			}
			q := b.orders[h].qty
			if q >= need {
				return true
			}
			need -= q
		}
	}
	return false
}

// match trades t against the opposite side until it is filled, reaches its
// limit, runs out of liquidity or is stopped by self-trade prevention.
func (b *Book) match(t *taker, dst []Fill) []Fill {
	maker := t.side.opposite()
	l := b.ladder(maker)
	for t.qty > 0 {
		k, v, ok := l.best()
		if !ok || k < t.limitKey {
			break
		}
		price := key(maker, k)
		for h := b.first(v); t.qty > 0; {
			o := &b.orders[h]
			if t.stp != 0 && b.owner(h) == t.owner {
				if t.stp != CancelResting {
					if t.stp == CancelBoth {
						dst = b.expire(h, t, price, dst)
					}
					t.stopped = true
					return dst
				}
				dst = append(dst, Fill{Maker: o.id, Taker: t.id, Price: price, MakerDone: true})
			} else {
				q := min(o.qty, t.qty)
				t.qty -= q
				if q < o.qty {
					o.qty -= q
					if v > 0 {
						b.levels[v].total -= q
					}
					dst = append(dst, Fill{Maker: o.id, Taker: t.id, Price: price, Qty: q})
					return dst
				}
				dst = append(dst, Fill{Maker: o.id, Taker: t.id, Price: price, Qty: q, MakerDone: true})
			}
			if v < 0 {
				// It was alone: the level, the best, closes.
				b.dropOrder(h, -1)
				if l.popBest() {
					l.retireBest()
				}
				break
			}
			b.unlink(h)
			b.dropOrder(h, -1)
			if lv := &b.levels[v]; lv.head == lv.tail {
				// One order left: alone, and the next round takes it.
				b.settle(v)
				break
			}
			h = b.levels[v].head
		}
	}
	return dst
}

// expire cancels resting order h, at price, for taker t under
// [CancelBoth], as a Fill of quantity 0 appended to dst, and returns the
// extended dst.
func (b *Book) expire(h int32, t *taker, price int64, dst []Fill) []Fill {
	id := b.orders[h].id
	dst = append(dst, Fill{Maker: id, Taker: t.id, Price: price, MakerDone: true})
	b.leave(h)
	b.dropOrder(h, -1)
	return dst
}
