package bench

import (
	"container/list"
	"slices"
	"sort"

	"github.com/shopspring/decimal"
)

// Naive is a limit order book written the way Go services usually write
// one, as the baseline for derivmath's orderbook.Book: prices and quantities
// are shopspring decimals, each side is a slice of price levels kept sorted
// (best level last, so that trading at the touch does not shift the slice),
// each level's orders are a container/list queue, and a map finds an order
// by ID. Matching is price-time priority at the resting order's price, like
// orderbook.Book. It does no validation: the benchmarks send valid orders.
type Naive struct {
	bids, asks []*naiveLevel // bids ascending, asks descending: best last
	orders     map[uint64]*list.Element
}

type naiveLevel struct {
	price  decimal.Decimal
	orders *list.List // of *naiveOrder, oldest first
}

type naiveOrder struct {
	id    uint64
	buy   bool
	qty   decimal.Decimal
	level *naiveLevel
}

// NaiveFill is a trade between a resting order (the maker) and an incoming
// one (the taker) at the maker's price.
type NaiveFill struct {
	Maker, Taker uint64
	Price, Qty   decimal.Decimal
	MakerDone    bool
}

// NewNaive returns an empty book.
func NewNaive() *Naive {
	return &Naive{orders: make(map[uint64]*list.Element)}
}

// Len returns the number of resting orders.
func (b *Naive) Len() int { return len(b.orders) }

// Limit sends a GTC limit order: it trades what it can at prices at least as
// good as price and rests the rest. Fills are appended to dst.
func (b *Naive) Limit(id uint64, buy bool, price, qty decimal.Decimal, dst []NaiveFill) []NaiveFill {
	dst, qty = b.match(id, buy, &price, qty, dst)
	if qty.IsPositive() {
		b.rest(id, buy, price, qty)
	}
	return dst
}

// Market sends a market IOC order: it trades at any price and drops what it
// cannot fill.
func (b *Naive) Market(id uint64, buy bool, qty decimal.Decimal, dst []NaiveFill) []NaiveFill {
	dst, _ = b.match(id, buy, nil, qty, dst)
	return dst
}

// Cancel removes a resting order and reports whether there was one.
func (b *Naive) Cancel(id uint64) bool {
	e, ok := b.orders[id]
	if !ok {
		return false
	}
	o := e.Value.(*naiveOrder)
	o.level.orders.Remove(e)
	delete(b.orders, id)
	if o.level.orders.Len() == 0 {
		side := &b.asks
		if o.buy {
			side = &b.bids
		}
		i := b.search(*side, o.buy, o.level.price)
		*side = slices.Delete(*side, i, i+1)
	}
	return true
}

// Best returns the best price on a side and the total quantity there.
func (b *Naive) Best(buy bool) (price, qty decimal.Decimal, ok bool) {
	side := b.asks
	if buy {
		side = b.bids
	}
	if len(side) == 0 {
		return decimal.Zero, decimal.Zero, false
	}
	l := side[len(side)-1]
	for e := l.orders.Front(); e != nil; e = e.Next() {
		qty = qty.Add(e.Value.(*naiveOrder).qty)
	}
	return l.price, qty, true
}

// match trades an incoming order against the other side, up to limit if
// it is not nil, and returns the fills and the quantity left.
func (b *Naive) match(id uint64, buy bool, limit *decimal.Decimal, qty decimal.Decimal, dst []NaiveFill) ([]NaiveFill, decimal.Decimal) {
	side := &b.bids
	if buy {
		side = &b.asks
	}
	for qty.IsPositive() && len(*side) > 0 {
		l := (*side)[len(*side)-1]
		if limit != nil && (buy && l.price.GreaterThan(*limit) || !buy && l.price.LessThan(*limit)) {
			break
		}
		for e := l.orders.Front(); e != nil && qty.IsPositive(); {
			o := e.Value.(*naiveOrder)
			trade := decimal.Min(qty, o.qty)
			qty = qty.Sub(trade)
			o.qty = o.qty.Sub(trade)
			done := o.qty.IsZero()
			dst = append(dst, NaiveFill{Maker: o.id, Taker: id, Price: l.price, Qty: trade, MakerDone: done})
			next := e.Next()
			if done {
				l.orders.Remove(e)
				delete(b.orders, o.id)
			}
			e = next
		}
		if l.orders.Len() == 0 {
			*side = (*side)[:len(*side)-1]
		}
	}
	return dst, qty
}

// rest adds an order to its side, at a new level if needed.
func (b *Naive) rest(id uint64, buy bool, price, qty decimal.Decimal) {
	side := &b.asks
	if buy {
		side = &b.bids
	}
	i := b.search(*side, buy, price)
	var l *naiveLevel
	if i < len(*side) && (*side)[i].price.Equal(price) {
		l = (*side)[i]
	} else {
		l = &naiveLevel{price: price, orders: list.New()}
		*side = slices.Insert(*side, i, l)
	}
	o := &naiveOrder{id: id, buy: buy, qty: qty, level: l}
	b.orders[id] = l.orders.PushBack(o)
}

// search returns the index of price in side, or where it would go.
func (b *Naive) search(side []*naiveLevel, buy bool, price decimal.Decimal) int {
	if buy {
		return sort.Search(len(side), func(i int) bool { return side[i].price.GreaterThanOrEqual(price) })
	}
	return sort.Search(len(side), func(i int) bool { return side[i].price.LessThanOrEqual(price) })
}
