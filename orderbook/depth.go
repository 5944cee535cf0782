package orderbook

import (
	"iter"
	"math"
	"math/bits"
)

// Impact is the result of walking one side of a book, best price first,
// for a quantity or a notional: what a market order of that size would
// take, ignoring owners. The average price in ticks is Cost/Qty, left to
// the caller to divide in the precision it needs.
type Impact struct {
	// Qty is the quantity taken, in lots.
	Qty int64
	// Cost is the sum of price*quantity over the lots taken, in
	// ticks*lots.
	Cost int64
	// Worst is the price of the last level taken from, in ticks, or 0 if
	// nothing was taken.
	Worst int64
}

// depthView is one side of a Book or an L2, read best level first.
type depthView interface {
	top() (pos, bool)       // the best level; false if there is none
	down(p pos) (pos, bool) // the next worse level; false if none
	at(p pos) (price, qty int64)
}

// bookView is one side of a Book; l is nil for an invalid side.
type bookView struct {
	b *Book
	l *ladder[int32]
	s Side
}

func (v bookView) top() (pos, bool) {
	if v.l == nil {
		return pos{}, false
	}
	return v.l.top()
}

func (v bookView) down(p pos) (pos, bool) { return v.l.down(p) }

func (v bookView) at(p pos) (price, qty int64) {
	return key(v.s, v.l.key(p)), v.b.total(v.l.val(p))
}

// AppendDepth appends the best n levels of side s (Buy for the bids, Sell
// for the asks) to dst, best first, and returns the extended slice. It
// appends fewer if the side has fewer, and nothing for an invalid side or
// n <= 0. With enough capacity in dst it allocates nothing. It costs O(n).
func (b *Book) AppendDepth(dst []Level, s Side, n int) []Level {
	return appendDepth(dst, bookView{b, b.ladder(s), s}, n)
}

// Levels returns an iterator over the levels of side s (Buy for the bids,
// Sell for the asks), best first, yielding each level's price in ticks and
// total quantity in lots. An invalid side yields nothing. The book must
// not be changed during the iteration. Each step costs O(1).
func (b *Book) Levels(s Side) iter.Seq2[int64, int64] {
	return levels(bookView{b, b.ladder(s), s})
}

// ImpactQty walks side s of the book (Buy for the bids, which a sell order
// would take: the impact bid; Sell for the asks: the impact ask) best
// price first for qty lots, and returns what it took. Owners and
// self-trade prevention are ignored.
//
// It returns [ErrInvalidSide], [ErrInvalidQty] if qty is not positive,
// [ErrOverflow] with a zero Impact if the cost does not fit in an int64,
// and [ErrNotEnoughDepth] with the whole side if the side holds less than
// qty. It costs O(1) for each level walked.
func (b *Book) ImpactQty(s Side, qty int64) (Impact, error) {
	if !s.valid() {
		return Impact{}, ErrInvalidSide
	}
	return impactQty(bookView{b, b.ladder(s), s}, qty)
}

// ImpactNotional walks side s of the book (Buy for the bids, Sell for the
// asks) best price first until the cost reaches notional, in ticks*lots,
// and returns what it took: the impact bid or ask price for a notional, as
// a funding premium index needs. Convert a notional in money to ticks*lots
// by dividing it by the value of one lot at a price of one tick (for a
// linear contract, tick size * lot size * multiplier).
//
// Only whole lots are taken: at the last level, the fewest lots whose cost
// reaches the notional, so Cost may exceed notional by less than Worst.
// The average price of exactly notional, with the last lot taken in part,
// is notional*Worst / (Qty*Worst - (Cost-notional)) ticks.
//
// It returns [ErrInvalidSide], [ErrInvalidQty] if notional is not
// positive, [ErrOverflow] with a zero Impact if the cost does not fit in an
// int64, and [ErrNotEnoughDepth] with the whole side if the side's cost
// falls short of notional. It costs O(1) for each level walked.
func (b *Book) ImpactNotional(s Side, notional int64) (Impact, error) {
	if !s.valid() {
		return Impact{}, ErrInvalidSide
	}
	return impactNotional(bookView{b, b.ladder(s), s}, notional)
}

func appendDepth[V depthView](dst []Level, v V, n int) []Level {
	for p, ok := v.top(); ok && n > 0; p, ok = v.down(p) {
		price, q := v.at(p)
		dst = append(dst, Level{Price: price, Qty: q})
		n--
	}
	return dst
}

func levels[V depthView](v V) iter.Seq2[int64, int64] {
	return func(yield func(int64, int64) bool) {
		for p, ok := v.top(); ok; p, ok = v.down(p) {
			if !yield(v.at(p)) {
				return
			}
		}
	}
}

func impactQty[V depthView](v V, qty int64) (Impact, error) {
	if qty <= 0 {
		return Impact{}, ErrInvalidQty
	}
	var im Impact
	for l, ok := v.top(); ok && im.Qty < qty; l, ok = v.down(l) {
		p, q := v.at(l)
		q = min(q, qty-im.Qty)
		c, ok := addCost(im.Cost, p, q)
		if !ok {
			return Impact{}, ErrOverflow
		}
		im = Impact{Qty: im.Qty + q, Cost: c, Worst: p}
	}
	if im.Qty < qty {
		return im, ErrNotEnoughDepth
	}
	return im, nil
}

func impactNotional[V depthView](v V, notional int64) (Impact, error) {
	if notional <= 0 {
		return Impact{}, ErrInvalidQty
	}
	var im Impact
	for l, ok := v.top(); ok && im.Cost < notional; l, ok = v.down(l) {
		p, q := v.at(l)
		// The lots it takes at p to reach the notional, rounded up.
		if need := (notional-im.Cost-1)/p + 1; need < q {
			q = need
		}
		c, ok := addCost(im.Cost, p, q)
		if !ok {
			return Impact{}, ErrOverflow
		}
		im = Impact{Qty: im.Qty + q, Cost: c, Worst: p}
	}
	if im.Cost < notional {
		return im, ErrNotEnoughDepth
	}
	return im, nil
}

// addCost returns cost + price*qty for non-negative operands, and false if
// it does not fit in an int64.
func addCost(cost, price, qty int64) (int64, bool) {
	hi, lo := bits.Mul64(uint64(price), uint64(qty))
	if hi != 0 || lo > math.MaxInt64 {
		return 0, false
	}
	sum := cost + int64(lo)
	return sum, sum >= 0
}
