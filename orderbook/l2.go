package orderbook

import (
	"cmp"
	"iter"
	"math"
	"slices"
)

// L2 mirrors an exchange's price-level (L2) book from its feed: a snapshot,
// then updates that set a level's size or delete it. It answers the same
// depth and impact queries as a [Book]. It mirrors what it is told: it
// does not match, and does not reject a crossed book, which a feed can show
// for a moment. The zero value is an empty mirror that grows as levels
// arrive; [NewL2] reserves memory up front. An L2 must not be copied
// after first use. An L2 is not safe for concurrent use; the caller
// synchronises.
type L2 struct {
	bids, asks ladder[int64] // sizes by key
	// spare holds the ladders a snapshot is built in, so that a snapshot
	// that fails changes nothing. The two pairs swap on each snapshot that
	// succeeds, so a snapshot larger than the reservation allocates until
	// both pairs have held one of its size (two snapshots).
	spareBids, spareAsks ladder[int64]
	scratch              []Level
}

// NewL2 returns an empty mirror with memory reserved for levels price
// levels on each side. NewL2 panics if levels is negative.
func NewL2(levels int) *L2 {
	if levels < 0 {
		panic("orderbook: NewL2 with negative capacity")
	}
	m := new(L2)
	m.bids.reserve(levels, math.MaxInt32)
	m.asks.reserve(levels, math.MaxInt32)
	m.spareBids.reserve(levels, math.MaxInt32)
	m.spareAsks.reserve(levels, math.MaxInt32)
	m.scratch = make([]Level, 0, levels)
	return m
}

func (m *L2) ladder(s Side) *ladder[int64] {
	switch s {
	case Buy:
		return &m.bids
	case Sell:
		return &m.asks
	}
	return nil
}

// Set sets the size of the level at price on side s (Buy for the bids,
// Sell for the asks) to qty lots, adding the level if it is new. A qty of 0
// deletes the level, and is not an error if there is none: feeds send such
// deletions for levels the mirror never held. Set returns
// [ErrInvalidSide], [ErrInvalidPrice] if price is not positive, or
// [ErrInvalidQty] if qty is negative, having changed nothing.
//
// Set costs O(1), or O(log P) in the number P of price pages (32 ticks
// each) on the side when the level's page is neither at its home nor in
// the side's cache, or must be made or freed (see the package
// documentation).
func (m *L2) Set(s Side, price, qty int64) error {
	l := m.ladder(s)
	switch {
	case l == nil:
		return ErrInvalidSide
	case price <= 0:
		return ErrInvalidPrice
	case qty < 0:
		return ErrInvalidQty
	}
	k := key(s, price)
	p, found := l.find(k)
	switch {
	case found && qty == 0:
		l.remove(p)
	case found:
		l.set(p, qty)
	case qty != 0:
		l.insert(p, k, qty)
	}
	return nil
}

// Delete deletes the level at price on side s, if there is one: it is
// Set(s, price, 0), and costs the same.
func (m *L2) Delete(s Side, price int64) error {
	return m.Set(s, price, 0)
}

// Snapshot replaces the whole book with the given levels, in any order.
// Levels of size 0 are left out, before the check for duplicates.
//
// Snapshot checks each level in turn, the bids first, its price and then
// its size, and returns [ErrInvalidPrice] for a price that is not
// positive or [ErrInvalidQty] for a negative size; then, the bids first,
// [ErrDuplicatePrice] if a side lists a price twice with sizes above 0.
// A call that fails has changed nothing. For m levels it costs
// O(m log m), as it sorts them, and O(P) to clear the P price pages of
// the snapshot before the last, whose memory it reuses.
func (m *L2) Snapshot(bids, asks []Level) error {
	for _, ls := range [2][]Level{bids, asks} {
		for _, lv := range ls {
			if lv.Price <= 0 {
				return ErrInvalidPrice
			}
			if lv.Qty < 0 {
				return ErrInvalidQty
			}
		}
	}
	if err := m.build(&m.spareBids, Buy, bids); err != nil {
		return err
	}
	if err := m.build(&m.spareAsks, Sell, asks); err != nil {
		return err
	}
	m.bids, m.spareBids = m.spareBids, m.bids
	m.asks, m.spareAsks = m.spareAsks, m.asks
	return nil
}

// build fills l with the levels of side s, sorted by key.
func (m *L2) build(l *ladder[int64], s Side, levels []Level) error {
	m.scratch = m.scratch[:0]
	for _, lv := range levels {
		if lv.Qty != 0 {
			m.scratch = append(m.scratch, Level{Price: key(s, lv.Price), Qty: lv.Qty})
		}
	}
	slices.SortFunc(m.scratch, func(a, b Level) int { return cmp.Compare(a.Price, b.Price) })
	for i := 1; i < len(m.scratch); i++ {
		if m.scratch[i-1].Price == m.scratch[i].Price {
			return ErrDuplicatePrice
		}
	}
	l.reset()
	for _, lv := range m.scratch {
		// In ascending order, each key is the best yet: it is in the
		// best page, or opens a page past it.
		p, _ := l.find(lv.Price)
		l.insert(p, lv.Price, lv.Qty)
	}
	return nil
}

// Reset empties the mirror, keeping its memory, in O(P) for the P price
// pages (32 ticks each) it held.
func (m *L2) Reset() {
	m.bids.reset()
	m.asks.reset()
}

// l2View is one side of an L2; l is nil for an invalid side.
type l2View struct {
	l *ladder[int64]
	s Side
}

func (v l2View) top() (pos, bool) {
	if v.l == nil {
		return pos{}, false
	}
	return v.l.top()
}

func (v l2View) down(p pos) (pos, bool) { return v.l.down(p) }

func (v l2View) at(p pos) (price, qty int64) {
	return key(v.s, v.l.key(p)), v.l.val(p)
}

func (m *L2) view(s Side) l2View { return l2View{m.ladder(s), s} }

// BestBid returns the highest bid level, and false if there are no bids,
// in O(1).
func (m *L2) BestBid() (Level, bool) { return m.best(Buy) }

// BestAsk returns the lowest ask level, and false if there are no asks,
// in O(1).
func (m *L2) BestAsk() (Level, bool) { return m.best(Sell) }

func (m *L2) best(s Side) (Level, bool) {
	v := m.view(s)
	p, ok := v.top()
	if !ok {
		return Level{}, false
	}
	price, q := v.at(p)
	return Level{Price: price, Qty: q}, true
}

// AppendDepth appends the best n levels of side s to dst, best first, as
// [Book.AppendDepth] does.
func (m *L2) AppendDepth(dst []Level, s Side, n int) []Level {
	return appendDepth(dst, m.view(s), n)
}

// Levels returns an iterator over the levels of side s, best first, as
// [Book.Levels] does.
func (m *L2) Levels(s Side) iter.Seq2[int64, int64] {
	return levels(m.view(s))
}

// ImpactQty walks side s for qty lots, as [Book.ImpactQty] does.
func (m *L2) ImpactQty(s Side, qty int64) (Impact, error) {
	if !s.valid() {
		return Impact{}, ErrInvalidSide
	}
	return impactQty(m.view(s), qty)
}

// ImpactNotional walks side s for a notional in ticks*lots, as
// [Book.ImpactNotional] does.
func (m *L2) ImpactNotional(s Side, notional int64) (Impact, error) {
	if !s.valid() {
		return Impact{}, ErrInvalidSide
	}
	return impactNotional(m.view(s), notional)
}
