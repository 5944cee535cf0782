package orderbook

import "math"

// Preview returns what sending o would do, and changes nothing: it appends
// to dst the fills that [Book.Limit] would append for o, or [Book.Market]
// if o.Price is 0 (a market order has no price), and returns the extended
// slice and the error that call would return. With enough capacity in dst
// it allocates nothing.
//
// So a caller can check the trades before they happen, as an exchange's
// risk check does (the margin the taker and the makers would need), and
// then send o, which makes exactly these fills and returns the same error,
// provided nothing changed the book in between. What a GTC order would
// rest is not a fill: the fills are its trades only.
//
// Preview costs what the call it previews costs to find its fills, O(1)
// for each fill, each order self-trade prevention would cancel and each
// level it would take from, and for a GTC or PostOnly order that would
// rest, O(1) to find its level, or O(log P) off the side's cache.
func (b *Book) Preview(o Order, dst []Fill) ([]Fill, error) {
	market := o.Price == 0
	if err := o.validate(market); err != nil {
		return dst, err
	}
	if h, _ := b.lookup(o.ID); h != 0 {
		return dst, ErrDuplicateID
	}
	limitKey := int64(math.MinInt64)
	if !market {
		limitKey = key(o.Side.opposite(), o.Price)
	}
	t := newTaker(&o, limitKey)
	switch o.Type {
	case PostOnly:
		if b.crosses(o.Side, limitKey) {
			return dst, ErrWouldCross
		}
		return dst, b.restable(&o)
	case FOK:
		if !b.fillable(&t) {
			return dst, ErrFillOrKill
		}
	case GTC:
		if err := b.restable(&o); err != nil {
			return dst, err
		}
	}
	return b.walk(&t, dst), nil
}

// restable returns the error Limit returns before it trades for a GTC or
// PostOnly order o, for the room it would need to rest: ErrOverflow or
// ErrBookFull, or nil.
func (b *Book) restable(o *Order) error {
	l := b.ladder(o.Side)
	p, found := l.find(key(o.Side, o.Price))
	if found && b.total(l.val(p)) > math.MaxInt64-o.Qty {
		return ErrOverflow
	}
	if !b.roomFor(found) {
		return ErrBookFull
	}
	return nil
}

// walk appends the fills that match would append for t, and changes
// nothing: it reads the levels and queues from the best down where match
// takes them, as fillable does.
func (b *Book) walk(t *taker, dst []Fill) []Fill {
	maker := t.side.opposite()
	l := b.ladder(maker)
	for p, ok := l.top(); ok && t.qty > 0 && l.key(p) >= t.limitKey; p, ok = l.down(p) {
		price := key(maker, l.key(p))
		for h := b.first(l.val(p)); h != 0 && t.qty > 0; h = b.orders[h].next {
			o := &b.orders[h]
			if t.stp != 0 && b.owner(h) == t.owner {
				if t.stp != CancelResting {
					if t.stp == CancelBoth {
						dst = append(dst, Fill{Maker: o.id, Taker: t.id, Price: price, MakerDone: true})
					}
					t.stopped = true
					return dst
				}
				dst = append(dst, Fill{Maker: o.id, Taker: t.id, Price: price, MakerDone: true})
				continue
			}
			q := min(o.qty, t.qty)
			t.qty -= q
			dst = append(dst, Fill{Maker: o.id, Taker: t.id, Price: price, Qty: q, MakerDone: q == o.qty})
		}
	}
	return dst
}
