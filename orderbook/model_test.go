package orderbook

import (
	"errors"
	"fmt"
	"iter"
	"maps"
	"math"
	"math/big"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"
)

// This file checks Book against refBook, the dumbest correct order book:
// one slice of resting orders in arrival order, scanned in full for every
// operation. Run the long check with
//
//	go test ./orderbook -run Model -rapid.checks=2000 -rapid.steps=200

// refBook is the reference model of a Book.
type refBook struct {
	orders    []Order // resting, oldest first; Qty is what is open
	fixed     bool
	maxOrders int
	maxLevels int
}

func (r *refBook) find(id OrderID) int {
	return slices.IndexFunc(r.orders, func(o Order) bool { return o.ID == id })
}

func (r *refBook) remove(i int) { r.orders = slices.Delete(r.orders, i, i+1) }

// levelTotal returns the quantity resting at price on side s, and whether
// any order rests there.
func (r *refBook) levelTotal(s Side, price int64) (int64, bool) {
	var total int64
	found := false
	for _, o := range r.orders {
		if o.Side == s && o.Price == price {
			total += o.Qty
			found = true
		}
	}
	return total, found
}

func (r *refBook) levelCount() int {
	type lk struct {
		s Side
		p int64
	}
	seen := map[lk]bool{}
	for _, o := range r.orders {
		seen[lk{o.Side, o.Price}] = true
	}
	return len(seen)
}

// better reports whether price p is better than q on side s.
func better(s Side, p, q int64) bool {
	if s == Buy {
		return p > q
	}
	return p < q
}

// bestMaker returns the index of the resting order a taker on side s with
// limit price limit (0: market) would meet first, or -1.
func (r *refBook) bestMaker(s Side, limit int64) int {
	best := -1
	for i, o := range r.orders {
		if o.Side == s {
			continue
		}
		if limit != 0 && better(o.Side, limit, o.Price) {
			continue // the taker's limit is beyond this maker's price
		}
		// Strictly better only, so the earliest arrival wins a tie.
		if best < 0 || better(o.Side, o.Price, r.orders[best].Price) {
			best = i
		}
	}
	return best
}

// match trades a taker against the model. It returns the fills, the
// quantity left and whether self-trade prevention stopped it.
func (r *refBook) match(o Order, limit int64) ([]Fill, int64, bool) {
	var fills []Fill
	rem := o.Qty
	for rem > 0 {
		i := r.bestMaker(o.Side, limit)
		if i < 0 {
			break
		}
		m := &r.orders[i]
		if o.Owner != 0 && o.STP != 0 && m.Owner == o.Owner {
			if o.STP == CancelIncoming {
				return fills, rem, true
			}
			if o.STP == CancelBoth {
				fills = append(fills, Fill{Maker: m.ID, Taker: o.ID, Price: m.Price, MakerDone: true})
				r.remove(i)
				return fills, rem, true
			}
			fills = append(fills, Fill{Maker: m.ID, Taker: o.ID, Price: m.Price, MakerDone: true})
			r.remove(i)
			continue
		}
		q := min(rem, m.Qty)
		rem -= q
		m.Qty -= q
		fills = append(fills, Fill{Maker: m.ID, Taker: o.ID, Price: m.Price, Qty: q, MakerDone: m.Qty == 0})
		if m.Qty == 0 {
			r.remove(i)
		}
	}
	return fills, rem, false
}

func (r *refBook) clone() *refBook {
	c := *r
	c.orders = slices.Clone(r.orders)
	return &c
}

// submit is Limit (market false) or Market (market true) on the model.
func (r *refBook) submit(o Order, market bool) ([]Fill, error) {
	switch {
	case o.Side != Buy && o.Side != Sell:
		return nil, ErrInvalidSide
	case market && o.Type != IOC && o.Type != FOK,
		!market && (o.Type < GTC || o.Type > PostOnly):
		return nil, ErrInvalidType
	case o.STP < 0 || o.STP > CancelBoth:
		return nil, ErrInvalidSTP
	case market && o.Price != 0, !market && o.Price <= 0:
		return nil, ErrInvalidPrice
	case o.Qty <= 0:
		return nil, ErrInvalidQty
	case r.find(o.ID) >= 0:
		return nil, ErrDuplicateID
	}
	crosses := r.bestMaker(o.Side, o.Price) >= 0
	if o.Type == PostOnly && crosses {
		return nil, ErrWouldCross
	}
	if o.Type == FOK {
		if _, rem, _ := r.clone().match(o, o.Price); rem > 0 {
			return nil, ErrFillOrKill
		}
	}
	rests := o.Type == GTC || o.Type == PostOnly
	if rests {
		total, found := r.levelTotal(o.Side, o.Price)
		if total > math.MaxInt64-o.Qty {
			return nil, ErrOverflow
		}
		if r.fixed && (len(r.orders) >= r.maxOrders || !found && r.levelCount() >= r.maxLevels) {
			return nil, ErrBookFull
		}
	}
	fills, rem, stopped := r.match(o, o.Price)
	if rests && rem > 0 && !stopped {
		o.Qty = rem
		r.orders = append(r.orders, o)
	}
	return fills, nil
}

func (r *refBook) cancel(id OrderID) (Order, error) {
	i := r.find(id)
	if i < 0 {
		return Order{}, ErrUnknownOrder
	}
	o := r.orders[i]
	r.remove(i)
	return o, nil
}

// crossCandidates returns the resting orders an amend to a crossing price
// tests most: the PostOnly orders facing a non-empty side, and the orders
// with an owner who also rests on the other side (whatever the prevention
// mode).
func (r *refBook) crossCandidates() []Order {
	type ownerSide struct {
		owner OwnerID
		side  Side
	}
	rests := map[ownerSide]bool{}
	sides := map[Side]bool{}
	for _, o := range r.orders {
		rests[ownerSide{o.Owner, o.Side}] = true
		sides[o.Side] = true
	}
	var c []Order
	for _, o := range r.orders {
		opp := o.Side.opposite()
		if o.Type == PostOnly && sides[opp] || o.Owner != 0 && rests[ownerSide{o.Owner, opp}] {
			c = append(c, o)
		}
	}
	return c
}

// ownOpposite returns the orders resting on the other side from o with
// o's owner, if o has one.
func (r *refBook) ownOpposite(o Order) []Order {
	var own []Order
	for _, m := range r.orders {
		if o.Owner != 0 && m.Owner == o.Owner && m.Side != o.Side {
			own = append(own, m)
		}
	}
	return own
}

func (r *refBook) amend(id OrderID, price, qty int64) ([]Fill, error) {
	if price <= 0 {
		return nil, ErrInvalidPrice
	}
	if qty <= 0 {
		return nil, ErrInvalidQty
	}
	i := r.find(id)
	if i < 0 {
		return nil, ErrUnknownOrder
	}
	o := r.orders[i]
	if price == o.Price {
		if qty <= o.Qty {
			r.orders[i].Qty = qty
			return nil, nil
		}
		total, _ := r.levelTotal(o.Side, price)
		if total-o.Qty > math.MaxInt64-qty {
			return nil, ErrOverflow
		}
		r.remove(i)
		o.Qty = qty
		r.orders = append(r.orders, o)
		return nil, nil
	}
	if o.Type == PostOnly && r.bestMaker(o.Side, price) >= 0 {
		return nil, ErrWouldCross
	}
	total, found := r.levelTotal(o.Side, price)
	if total > math.MaxInt64-qty {
		return nil, ErrOverflow
	}
	after := r.clone()
	after.remove(i)
	if r.fixed && !found && after.levelCount() >= r.maxLevels {
		return nil, ErrBookFull
	}
	r.remove(i)
	o.Price, o.Qty = price, qty
	fills, rem, stopped := r.match(o, price)
	if rem > 0 && !stopped {
		o.Qty = rem
		r.orders = append(r.orders, o)
	}
	return fills, nil
}

// depth returns side s aggregated by price, best first.
func (r *refBook) depth(s Side) []Level {
	totals := map[int64]int64{}
	for _, o := range r.orders {
		if o.Side == s {
			totals[o.Price] += o.Qty
		}
	}
	return depthOf(s, totals)
}

// queue returns the orders of side s in priority order.
func (r *refBook) queue(s Side) []Order {
	var q []Order
	for _, o := range r.orders {
		if o.Side == s {
			q = append(q, o)
		}
	}
	slices.SortStableFunc(q, func(a, b Order) int {
		switch {
		case a.Price == b.Price:
			return 0
		case better(s, a.Price, b.Price):
			return -1
		}
		return 1
	})
	return q
}

// depthOf sorts a side given as a map from price to size, best first.
func depthOf(s Side, sizes map[int64]int64) []Level {
	var d []Level
	for _, p := range slices.Sorted(maps.Keys(sizes)) {
		d = append(d, Level{Price: p, Qty: sizes[p]})
	}
	if s == Buy {
		slices.Reverse(d)
	}
	return d
}

// refImpact walks depth (best first) for a quantity (notional false) or a
// notional, in big integers, as ImpactQty and ImpactNotional document.
func refImpact(depth []Level, amount int64, notional bool) (Impact, error) {
	if amount <= 0 {
		return Impact{}, ErrInvalidQty
	}
	var qty, worst int64
	cost := new(big.Int)
	want := big.NewInt(amount)
	for _, lv := range depth {
		if !notional && qty >= amount || notional && cost.Cmp(want) >= 0 {
			break
		}
		q := lv.Qty
		if !notional {
			q = min(q, amount-qty)
		} else {
			// ceil((amount-cost)/price) lots, if fewer than the level has
			need := new(big.Int).Sub(want, cost)
			need.Add(need, big.NewInt(lv.Price-1))
			need.Quo(need, big.NewInt(lv.Price))
			if need.Cmp(big.NewInt(q)) < 0 {
				q = need.Int64()
			}
		}
		cost.Add(cost, new(big.Int).Mul(big.NewInt(lv.Price), big.NewInt(q)))
		if !cost.IsInt64() {
			return Impact{}, ErrOverflow
		}
		qty += q
		worst = lv.Price
	}
	im := Impact{Qty: qty, Cost: cost.Int64(), Worst: worst}
	if !notional && qty < amount || notional && im.Cost < amount {
		return im, ErrNotEnoughDepth
	}
	return im, nil
}

// diffSlices returns cmp.Diff(want, got), counting nil and empty as equal,
// without the cost of cmp when they are equal, as they are almost always.
func diffSlices[E comparable](want, got []E) string {
	if slices.Equal(want, got) {
		return ""
	}
	return cmp.Diff(want, got, cmpopts.EquateEmpty())
}

// checkInvariants checks the Book's internal structure: the slabs, free
// lists, ladders, level queues and totals, orders alone at their price,
// and the ID table.
func (b *Book) checkInvariants() error {
	seen := 0
	levelsSeen, shared := 0, 0
	for _, s := range []Side{Buy, Sell} {
		l := b.ladder(s)
		keys, vals, err := l.check()
		if err != nil {
			return fmt.Errorf("%v ladder: %w", s, err)
		}
		for i, v := range vals {
			levelsSeen++
			p, _ := l.find(keys[i])
			if v < 0 { // an order alone at its price
				h := -v
				o := &b.orders[h]
				if int(h) >= len(b.orders) || o.prev != 0 || o.next != 0 || o.at != place(p) || o.side != s || o.qty <= 0 {
					return fmt.Errorf("%v order %d alone at %d: prev %d next %d, at %#x (want %#x), side %v, qty %d",
						s, h, keys[i], o.prev, o.next, o.at, place(p), o.side, o.qty)
				}
				if err := b.checkSlot(h); err != nil {
					return err
				}
				seen++
				continue
			}
			lh := v
			shared++
			lv := &b.levels[lh]
			if lv.at != place(p) {
				return fmt.Errorf("%v level %d at %d: place %#x, want %#x", s, lh, lv.price, lv.at, place(p))
			}
			if lv.side != s || key(s, lv.price) != keys[i] {
				return fmt.Errorf("%v level %d: side %v price %d, key %d", s, lh, lv.side, lv.price, keys[i])
			}
			if lv.head == 0 || lv.head == lv.tail {
				return fmt.Errorf("%v level %d at %d holds fewer than two orders (head %d, tail %d)", s, lh, lv.price, lv.head, lv.tail)
			}
			var total int64
			prev := int32(0)
			for h := lv.head; h != 0; h = b.orders[h].next {
				o := &b.orders[h]
				if o.prev != prev || o.at != lh || o.side != s || o.qty <= 0 {
					return fmt.Errorf("order slot %d: prev %d (want %d), level %d (want %d), side %v, qty %d",
						h, o.prev, prev, o.at, lh, o.side, o.qty)
				}
				if err := b.checkSlot(h); err != nil {
					return err
				}
				total += o.qty
				prev = h
				seen++
			}
			if lv.tail != prev || lv.total != total {
				return fmt.Errorf("level %d: tail %d total %d; queue has tail %d total %d",
					lh, lv.tail, lv.total, prev, total)
			}
		}
	}
	if seen != b.nOrders {
		return fmt.Errorf("%d orders in levels, nOrders %d", seen, b.nOrders)
	}
	if err := b.checkHomes(); err != nil {
		return err
	}
	free := 0
	for h := b.freeLevels; h != 0; h = b.levels[h].head {
		free++
	}
	if len(b.levels) > 0 && free+shared != len(b.levels)-1 {
		return fmt.Errorf("%d free and %d used level slots of %d", free, shared, len(b.levels)-1)
	}
	if b.fixed && (b.nOrders > b.maxOrders || levelsSeen > b.maxLevels ||
		len(b.orders)-b.homeEnd() > b.maxOrders || len(b.levels)-1 > b.maxLevels) {
		return fmt.Errorf("fixed book beyond capacity: %d/%d orders, %d/%d levels, slabs %d and %d",
			b.nOrders, b.maxOrders, levelsSeen, b.maxLevels, len(b.orders), len(b.levels))
	}
	return nil
}

// checkSlot checks that resting order h is found by its ID: at its home,
// or in the ID table, as a stray, from a home that counts it.
func (b *Book) checkSlot(h int32) error {
	o := &b.orders[h]
	if int(h) >= len(b.orders) || o.at == 0 {
		return fmt.Errorf("order slot %d of %d: at %d", h, len(b.orders), o.at)
	}
	if got, _ := b.lookup(o.id); got != h {
		return fmt.Errorf("ID %d maps to slot %d, rests in %d", o.id, got, h)
	}
	tag := b.ids.tag(o.id)
	if b.isHome(h) {
		if home := b.home(tag); home != h {
			return fmt.Errorf("ID %d rests in home %d, its home is %d", o.id, h, home)
		}
		if i := b.ids.find(o.id, b.orders); i >= 0 {
			return fmt.Errorf("ID %d at its home %d is in the ID table too", o.id, h)
		}
		return nil
	}
	if b.ids.get(o.id, b.orders) != h {
		return fmt.Errorf("stray %d, ID %d, not in the ID table", h, o.id)
	}
	if b.homes != 0 && b.strays[b.home(tag)] == 0 {
		return fmt.Errorf("stray %d, ID %d: its home %d counts no strays", h, o.id, b.home(tag))
	}
	return nil
}

// checkHomes checks the order slots against the orders resting (which
// checkSlot has checked): the homes in use and the strays, the ID table's
// count, each home's count of strays, and the free list.
func (b *Book) checkHomes() error {
	if len(b.orders) == 0 {
		if b.nOrders != 0 || b.ids.n != 0 {
			return fmt.Errorf("no order slots, %d orders, %d IDs", b.nOrders, b.ids.n)
		}
		return nil
	}
	end := b.homeEnd()
	if len(b.orders) < end || len(b.owners) != len(b.orders) || b.orders[0].at != 0 || b.homes != 0 && b.orders[1].at != 0 {
		return fmt.Errorf("%d order slots, %d owners, %d homes", len(b.orders), len(b.owners), b.homes)
	}
	atHome := 0
	for h := 2; h < end; h++ {
		if b.orders[h].at != 0 {
			atHome++
		}
	}
	strays := make([]int, len(b.strays))
	for _, s := range b.ids.slots {
		if s.h == 0 {
			continue
		}
		if b.isHome(s.h) || int(s.h) >= len(b.orders) || b.orders[s.h].at == 0 {
			return fmt.Errorf("ID table holds slot %d, not a resting stray", s.h)
		}
		if b.homes != 0 {
			strays[b.home(s.tag)]++
		}
	}
	if atHome+b.ids.n != b.nOrders {
		return fmt.Errorf("%d orders at home and %d IDs in the table, %d orders", atHome, b.ids.n, b.nOrders)
	}
	for h, n := range strays {
		if got := int(b.strays[h]); got != n && got != 255 {
			return fmt.Errorf("home %d counts %d strays, has %d", h, got, n)
		}
	}
	free := 0
	for h := b.freeOrders; h != 0; h = b.orders[h].next {
		if int(h) < end || int(h) >= len(b.orders) || free > len(b.orders) {
			return fmt.Errorf("free list holds slot %d", h)
		}
		free++
	}
	if free+b.ids.n != len(b.orders)-end {
		return fmt.Errorf("%d free and %d strays in %d slots past the homes", free, b.ids.n, len(b.orders)-end)
	}
	return nil
}

// firstN returns the first n values seq yields, breaking out of it there
// (at once for n = 0).
func firstN[E any](seq iter.Seq[E], n int) []E {
	got := []E{}
	for e := range seq {
		if len(got) == n {
			break
		}
		got = append(got, e)
	}
	return got
}

// firstN2 is firstN for the levels a depth iterator yields.
func firstN2(seq iter.Seq2[int64, int64], n int) []Level {
	got := []Level{}
	for p, q := range seq {
		if len(got) == n {
			break
		}
		got = append(got, Level{p, q})
	}
	return got
}

// bookMachine is the state machine: the Book, the model, and every ID
// issued so far.
type bookMachine struct {
	b      *Book
	r      *refBook
	issued []OrderID
	nextID OrderID
	stride OrderID // issued IDs are multiples of it: 8 crowds the ID table's homes
	fills  []Fill  // reused dst
	deep   bool    // Rest on two prices a side only, so queues grow long
	wide   bool    // prices spread over a million ticks
	edge   int64   // if not 0, prices within edgeSpan of it: 1 or MaxInt64
}

func newBookMachine(t *rapid.T) *bookMachine {
	m := &bookMachine{r: &refBook{}}
	// IDs 8 apart share their low three bits, and so their slot in a
	// line of the ID table: they collide, and the table's entries lie
	// away from their homes and move on insertions and deletions.
	m.stride = rapid.SampledFrom([]OrderID{1, 8}).Draw(t, "stride")
	// The prices and the capacity are drawn apart, so that wide, deep and
	// edge books are reserved and fixed too: a reserved ladder's pages
	// live at their homes, and a wide or edge book's pages take each
	// other's homes (strays), also past New's reservation.
	switch rapid.IntRange(0, 6).Draw(t, "prices") {
	case 6:
		// Prices at the ends of int64, both sides in one band across
		// page boundaries: keys and their negations, page numbers,
		// costs that overflow.
		m.edge = rapid.SampledFrom([]int64{1, math.MaxInt64}).Draw(t, "edge")
	case 5:
		// Levels spread over a million ticks, many at a time: the
		// ladders' trees split and merge.
		m.wide = true
	case 4:
		// Long queues at few prices, with orders leaving from
		// anywhere in them.
		m.deep = true
	}
	switch rapid.IntRange(0, 3).Draw(t, "capacity") {
	case 0:
		m.b = new(Book)
	case 1:
		m.b = New(rapid.IntRange(0, 8).Draw(t, "orders"), rapid.IntRange(0, 40).Draw(t, "levels"))
	default:
		// A small fixed book, so that ErrBookFull and the reuse of
		// free order and level slots come often.
		o, l := rapid.IntRange(1, 24).Draw(t, "maxOrders"), rapid.IntRange(1, 40).Draw(t, "maxLevels")
		m.b = NewFixed(o, l)
		m.r = &refBook{fixed: true, maxOrders: o, maxLevels: l}
	}
	return m
}

// rare returns true about once in n draws. (rapid draws small integers
// more often than large ones, and shrinks toward 0, the common case.)
func rare(t *rapid.T, n int, label string) bool {
	return rapid.IntRange(0, n-1).Draw(t, label) == n-1
}

func (m *bookMachine) drawID(t *rapid.T) OrderID {
	if len(m.issued) > 0 && rapid.Bool().Draw(t, "oldID") {
		return rapid.SampledFrom(m.issued).Draw(t, "id")
	}
	id := m.nextID * m.stride
	m.nextID++
	m.issued = append(m.issued, id)
	return id
}

func drawSide(t *rapid.T) Side {
	if rare(t, 20, "badSide") {
		return rapid.SampledFrom([]Side{0, 3, -1}).Draw(t, "side")
	}
	return rapid.SampledFrom([]Side{Buy, Sell}).Draw(t, "side")
}

// wideMid is the middle of the wide books' prices.
const wideMid = 1_000_000

// drawWidePrice draws a price for side s up to half a million ticks from
// wideMid, most of them near it (rapid draws small numbers more often), on
// either side of it, so that orders still cross.
func drawWidePrice(t *rapid.T, s Side) int64 {
	if rare(t, 20, "badPrice") {
		return rapid.SampledFrom([]int64{0, -1, math.MinInt64}).Draw(t, "price")
	}
	d := rapid.Int64Range(-20, 500_000).Draw(t, "distance")
	if s == Sell {
		return wideMid + d
	}
	return wideMid - d
}

// price draws a price for side s: from a narrow band, or a wide one, or
// one at an end of int64.
func (m *bookMachine) price(t *rapid.T, s Side) int64 {
	switch {
	case m.wide:
		return drawWidePrice(t, s)
	case m.edge != 0:
		return drawEdgePrice(t, m.edge)
	}
	return drawPrice(t, s)
}

// edgeMid is the middle of an edge book's band.
func (m *bookMachine) edgeMid() int64 {
	if m.edge == 1 {
		return 1 + edgeSpan/2
	}
	return m.edge - edgeSpan/2
}

// edgeSpan is the width of the bands of prices at the ends of int64: more
// than two 32-tick pages.
const edgeSpan = 80

// drawEdgePrice draws a price within edgeSpan of edge (1 or MaxInt64),
// for either side, so that orders cross often.
func drawEdgePrice(t *rapid.T, edge int64) int64 {
	if rare(t, 20, "badPrice") {
		return rapid.SampledFrom([]int64{0, -1, math.MinInt64}).Draw(t, "price")
	}
	d := rapid.Int64Range(0, edgeSpan).Draw(t, "distance")
	if edge == 1 {
		return 1 + d
	}
	return edge - d
}

// drawPrice draws from a narrow band, so that orders cross often: bids
// from 94 to 102, asks from 98 to 106.
func drawPrice(t *rapid.T, s Side) int64 {
	if rare(t, 20, "badPrice") {
		return rapid.SampledFrom([]int64{0, -1, math.MinInt64}).Draw(t, "price")
	}
	d := rapid.Int64Range(0, 8).Draw(t, "distance")
	switch s {
	case Buy:
		return 102 - d
	case Sell:
		return 98 + d
	}
	return 94 + d + d/2
}

// drawQty draws small quantities, and now and then a huge one, so that
// level totals and impact costs overflow.
func drawQty(t *rapid.T) int64 {
	if rare(t, 15, "oddQty") {
		return rapid.SampledFrom([]int64{0, -1, math.MaxInt64 / 2, math.MaxInt64}).Draw(t, "qty")
	}
	return rapid.Int64Range(1, 10).Draw(t, "qty")
}

func drawOwner(t *rapid.T) (OwnerID, STP) {
	owner := rapid.SampledFrom([]OwnerID{0, 1, 2}).Draw(t, "owner")
	if rare(t, 20, "badSTP") {
		return owner, rapid.SampledFrom([]STP{-1, 4}).Draw(t, "stp")
	}
	return owner, rapid.SampledFrom([]STP{0, CancelResting, CancelIncoming, CancelBoth}).Draw(t, "stp")
}

// heldFill and heldLevel are entries no book makes: what dst holds
// before a call that appends to it, which must leave them as they were.
var (
	heldFill  = Fill{Maker: math.MaxUint64, Taker: math.MaxUint64 - 1, Price: -7, Qty: -7, MakerDone: true}
	heldLevel = Level{Price: -7, Qty: -7}
)

// dst returns m.fills emptied, a third of the time holding one or two
// heldFills, and how many it holds.
func (m *bookMachine) dst(t *rapid.T) ([]Fill, int) {
	n := 0
	if rare(t, 3, "held") {
		n = rapid.IntRange(1, 2).Draw(t, "heldFills")
	}
	d := m.fills[:0]
	for range n {
		d = append(d, heldFill)
	}
	return d, n
}

// appended checks that got, what a call returned for a dst holding n
// heldFills, begins with them, and returns what the call appended.
func appended(t *rapid.T, what string, got []Fill, n int) []Fill {
	t.Helper()
	if len(got) < n || slices.ContainsFunc(got[:n], func(f Fill) bool { return f != heldFill }) {
		t.Fatalf("%s did not keep dst's %d fills: %v", what, n, got[:min(n, len(got))])
	}
	return got[n:]
}

// checkAppendDepth checks that AppendDepth of side s, whose levels are
// want, appends the best n after what dst holds, for n from -1 to past
// the side's length, and nothing for an invalid side; and that Levels
// and Orders yield nothing for an invalid side.
func checkAppendDepth(t *rapid.T, appendDepth func([]Level, Side, int) []Level, s Side, want []Level) {
	t.Helper()
	held := []Level{heldLevel, heldLevel}
	for _, n := range []int{-1, 0, 1, len(want) / 2, len(want) + 1} {
		got := appendDepth(slices.Clip(held[:1]), s, n)
		if !slices.Equal(got, append(held[:1:1], want[:max(0, min(n, len(want)))]...)) {
			t.Fatalf("%v AppendDepth(dst holding 1 level, %d) = %v, want the best %d of %v after it", s, n, got, n, want)
		}
	}
	for _, bad := range []Side{0, 3, -1} {
		if got := appendDepth(held[:2], bad, math.MaxInt); !slices.Equal(got, held) {
			t.Fatalf("AppendDepth(%v) = %v, want dst as it was", bad, got)
		}
	}
}

// snapshot is everything observable about a book's resting orders.
type snapshot struct {
	Bids, Asks []Order
}

func snap(b *Book) snapshot {
	return snapshot{slices.Collect(b.Orders(Buy)), slices.Collect(b.Orders(Sell))}
}

func (s snapshot) total() uint64 {
	var sum uint64 // modulo 2^64: huge quantities may pass MaxInt64 in sum
	for _, o := range append(slices.Clone(s.Bids), s.Asks...) {
		sum += uint64(o.Qty)
	}
	return sum
}

func (s snapshot) qty(id OrderID) int64 {
	for _, o := range append(slices.Clone(s.Bids), s.Asks...) {
		if o.ID == id {
			return o.Qty
		}
	}
	return 0
}

// checkStep compares one action's results with the model's, checks that a
// failure changed nothing, and that quantity is conserved: what rests now
// is what rested before, less what traded and what was cancelled, plus
// what came to rest. removed is the quantity the action took off the book
// besides fills (a cancel, or an amended order's old quantity), and rested
// the order that may have come to rest, if any.
func (m *bookMachine) checkStep(t *rapid.T, before snapshot, got, want []Fill, gotErr, wantErr error, removed int64, rested *OrderID) {
	t.Helper()
	if !errors.Is(gotErr, wantErr) || (gotErr == nil) != (wantErr == nil) {
		t.Fatalf("error %v, want %v", gotErr, wantErr)
	}
	if diff := diffSlices(want, got); diff != "" {
		t.Fatalf("fills (-want +got):\n%s", diff)
	}
	after := snap(m.b)
	if gotErr != nil {
		if diff := diffSlices(slices.Concat(before.Bids, before.Asks), slices.Concat(after.Bids, after.Asks)); diff != "" {
			t.Fatalf("failed with %v but changed the book (-before +after):\n%s", gotErr, diff)
		}
		return
	}
	sum := before.total() - uint64(removed)
	for _, f := range got {
		if f.Qty == 0 { // cancelled by self-trade prevention
			sum -= uint64(before.qty(f.Maker))
		}
		sum -= uint64(f.Qty)
	}
	if rested != nil {
		if o, ok := m.b.Order(*rested); ok {
			sum += uint64(o.Qty)
		}
	}
	if after.total() != sum {
		t.Fatalf("resting quantity %d, want %d: not conserved", after.total(), sum)
	}
}

func (m *bookMachine) Limit(t *rapid.T) {
	o := Order{ID: m.drawID(t), Side: drawSide(t), Qty: drawQty(t)}
	o.Price = m.price(t, o.Side)
	o.Type = rapid.SampledFrom([]Type{GTC, IOC, FOK, PostOnly}).Draw(t, "type")
	if rare(t, 20, "badType") {
		o.Type = rapid.SampledFrom([]Type{0, 5, -1}).Draw(t, "type")
	}
	o.Owner, o.STP = drawOwner(t)
	m.submit(t, o)
}

// Rest sends a GTC order behind the touch, which builds depth.
func (m *bookMachine) Rest(t *rapid.T) {
	o := Order{ID: m.drawID(t), Side: drawSide(t), Qty: drawQty(t), Type: GTC}
	d := rapid.Int64Range(1, 10).Draw(t, "distance")
	if m.deep {
		d = rapid.Int64Range(1, 2).Draw(t, "distance")
	}
	mid := int64(100)
	switch {
	case m.wide:
		mid = wideMid
		d = rapid.Int64Range(1, 500_000).Draw(t, "distance")
	case m.edge != 0:
		mid = m.edgeMid()
		d = rapid.Int64Range(1, edgeSpan/2).Draw(t, "distance")
	}
	switch o.Side {
	case Buy:
		o.Price = mid - d
	case Sell:
		o.Price = mid + d
	}
	o.Owner, o.STP = drawOwner(t)
	m.submit(t, o)
}

// Spread sends up to 64 GTC orders at prices spread over the wide book's
// range, which opens many levels at once (a narrow book gets them behind
// its touch).
func (m *bookMachine) Spread(t *rapid.T) {
	n := rapid.IntRange(1, 64).Draw(t, "n")
	for range n {
		o := Order{ID: m.drawID(t), Side: drawSide(t), Qty: drawQty(t), Type: GTC}
		o.Price = rapid.Int64Range(1, 500_000).Draw(t, "distance")
		switch {
		case m.wide:
			o.Price = wideMid + 20 + o.Price
			if o.Side == Buy {
				o.Price = 2*wideMid - o.Price
			}
		case m.edge != 0:
			d := 1 + o.Price%(edgeSpan/2)
			o.Price = m.edgeMid() + d
			if o.Side == Buy {
				o.Price = m.edgeMid() - d
			}
		default:
			o.Price = 100 + 1 + o.Price%10
			if o.Side == Buy {
				o.Price = 200 - o.Price
			}
		}
		m.submit(t, o)
	}
}

// Sweep cancels up to 32 resting orders picked at random, which closes
// many levels at once.
func (m *bookMachine) Sweep(t *rapid.T) {
	n := rapid.IntRange(1, 32).Draw(t, "n")
	for range n {
		if len(m.r.orders) == 0 {
			return
		}
		id := rapid.SampledFrom(m.r.orders).Draw(t, "order").ID
		before := snap(m.b)
		want, wantErr := m.r.cancel(id)
		got, err := m.b.Cancel(id)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("cancelled order (-want +got):\n%s", diff)
		}
		m.checkStep(t, before, nil, nil, err, wantErr, got.Qty, nil)
	}
}

func (m *bookMachine) submit(t *rapid.T, o Order) {
	before := snap(m.b)
	want, wantErr := m.r.submit(o, false)
	if o.Price != 0 { // Preview takes a price of 0 for a market order
		m.preview(t, o, before, want, wantErr)
	}
	dst, n := m.dst(t)
	var err error
	m.fills, err = m.b.Limit(o, dst)
	m.checkStep(t, before, appended(t, "Limit", m.fills, n), want, err, wantErr, 0, &o.ID)
}

// preview checks that Preview of o returns the model's fills and error for
// it, want and wantErr, and leaves the book as it was, before.
func (m *bookMachine) preview(t *rapid.T, o Order, before snapshot, want []Fill, wantErr error) {
	dst, n := m.dst(t)
	got, err := m.b.Preview(o, dst)
	got = appended(t, "Preview", got, n)
	if !errors.Is(err, wantErr) || (err == nil) != (wantErr == nil) {
		t.Fatalf("Preview(%+v): error %v, want %v", o, err, wantErr)
	}
	if diff := diffSlices(want, got); diff != "" {
		t.Fatalf("Preview(%+v) fills (-want +got):\n%s", o, diff)
	}
	if diff := cmp.Diff(before, snap(m.b)); diff != "" {
		t.Fatalf("Preview(%+v) changed the book (-before +after):\n%s", o, diff)
	}
}

func (m *bookMachine) Market(t *rapid.T) {
	o := Order{ID: m.drawID(t), Side: drawSide(t), Qty: drawQty(t)}
	o.Type = rapid.SampledFrom([]Type{IOC, FOK}).Draw(t, "type")
	if rare(t, 15, "badType") {
		o.Type = rapid.SampledFrom([]Type{0, GTC, PostOnly, 5}).Draw(t, "type")
	}
	if rare(t, 15, "withPrice") {
		o.Price = m.price(t, o.Side)
	}
	o.Owner, o.STP = drawOwner(t)
	before := snap(m.b)
	want, wantErr := m.r.submit(o, true)
	if o.Price == 0 { // Preview takes an order with a price as a limit order
		m.preview(t, o, before, want, wantErr)
	}
	dst, n := m.dst(t)
	var err error
	m.fills, err = m.b.Market(o, dst)
	m.checkStep(t, before, appended(t, "Market", m.fills, n), want, err, wantErr, 0, nil)
}

// drawOldID draws an ID issued before: half the time one of a resting
// order, if any rests. Before any is issued it returns one never issued.
// (It does not skip the action: under the fuzzer, whose input may run
// out, skips can repeat until rapid gives up.)
func (m *bookMachine) drawOldID(t *rapid.T) OrderID {
	if len(m.issued) == 0 {
		return m.nextID * m.stride
	}
	if len(m.r.orders) > 0 && rapid.Bool().Draw(t, "resting") {
		return rapid.SampledFrom(m.r.orders).Draw(t, "order").ID
	}
	return rapid.SampledFrom(m.issued).Draw(t, "id")
}

func (m *bookMachine) Cancel(t *rapid.T) {
	id := m.drawOldID(t)
	before := snap(m.b)
	want, wantErr := m.r.cancel(id)
	got, err := m.b.Cancel(id)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("cancelled order (-want +got):\n%s", diff)
	}
	m.checkStep(t, before, nil, nil, err, wantErr, got.Qty, nil)
}

func (m *bookMachine) Amend(t *rapid.T) {
	if c := m.r.crossCandidates(); len(c) > 0 && rapid.IntRange(0, 2).Draw(t, "crossing") == 2 {
		m.amendCrossing(t, c)
		return
	}
	id := m.drawOldID(t)
	old, resting := m.b.Order(id)
	price, qty := m.price(t, old.Side), drawQty(t)
	if resting {
		switch rapid.IntRange(0, 3).Draw(t, "amend") {
		case 0: // reduce in place
			price, qty = old.Price, rapid.Int64Range(1, old.Qty).Draw(t, "qty")
		case 1: // increase in place
			price = old.Price
			qty = old.Qty + rapid.Int64Range(0, 10).Draw(t, "more")
			if rare(t, 5, "hugeQty") {
				qty = math.MaxInt64 - rapid.Int64Range(0, 2).Draw(t, "less")
			}
		}
	}
	before := snap(m.b)
	want, wantErr := m.r.amend(id, price, qty)
	dst, n := m.dst(t)
	var err error
	m.fills, err = m.b.Amend(id, price, qty, dst)
	m.checkStep(t, before, appended(t, "Amend", m.fills, n), want, err, wantErr, old.Qty, &id)
}

// amendCrossing amends one of the resting orders c to a price at or
// through the best price of the other side, or to the price of an order
// of its owner there, so that a PostOnly order is refused and self-trade
// prevention stops or cancels what the amended order meets. Some prices
// are a tick short of the one drawn, so that a PostOnly order may not
// cross and rest at its new price.
func (m *bookMachine) amendCrossing(t *rapid.T, c []Order) {
	o := rapid.SampledFrom(c).Draw(t, "order")
	opp := o.Side.opposite()
	var price int64
	if own := m.r.ownOpposite(o); len(own) > 0 && rapid.Bool().Draw(t, "atOwn") {
		price = rapid.SampledFrom(own).Draw(t, "own").Price
	} else {
		price = m.r.depth(opp)[0].Price
	}
	// Ticks through the other side's price, toward its worse prices; -1
	// stops one tick short of it.
	k := rapid.Int64Range(-1, 2).Draw(t, "through")
	switch {
	case o.Side == Buy && price > math.MaxInt64-k:
		price = math.MaxInt64
	case o.Side == Buy:
		price += k
	case price-k < 1:
		price = 1
	default:
		price -= k
	}
	qty := drawQty(t)
	before := snap(m.b)
	want, wantErr := m.r.amend(o.ID, price, qty)
	dst, n := m.dst(t)
	var err error
	m.fills, err = m.b.Amend(o.ID, price, qty, dst)
	m.checkStep(t, before, appended(t, "Amend", m.fills, n), want, err, wantErr, o.Qty, &o.ID)
}

// Impact compares the impact queries with the model's.
func (m *bookMachine) Impact(t *rapid.T) {
	s := drawSide(t)
	amount := rapid.Int64Range(-1, 60).Draw(t, "amount")
	notional := rapid.Bool().Draw(t, "notional")
	if notional {
		amount *= 100
	}
	if rare(t, 10, "hugeAmount") {
		amount = math.MaxInt64 - rapid.Int64Range(0, 200).Draw(t, "less")
	}
	var want Impact
	var wantErr error
	if s != Buy && s != Sell {
		wantErr = ErrInvalidSide
	} else {
		want, wantErr = refImpact(m.r.depth(s), amount, notional)
	}
	got, err := m.b.ImpactQty(s, amount)
	if notional {
		got, err = m.b.ImpactNotional(s, amount)
	}
	if !errors.Is(err, wantErr) || (err == nil) != (wantErr == nil) {
		t.Fatalf("impact(%v, %d, notional %v): error %v, want %v", s, amount, notional, err, wantErr)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("impact(%v, %d, notional %v) (-want +got):\n%s", s, amount, notional, diff)
	}
}

func (m *bookMachine) Reset(t *rapid.T) {
	if !rare(t, 50, "reset") {
		return // only now and then
	}
	m.b.Reset()
	m.r.orders = nil
}

// Check runs after every action: the invariants, Len, the depth
// (AppendDepth for every n and on a dst holding levels, Levels, the
// level totals), the queues, BestBid and BestAsk, Order for every ID
// issued and one not, and nothing for an invalid side. Limit, Market,
// Amend and Preview are given a dst holding fills a third of the time
// (dst, appended).
func (m *bookMachine) Check(t *rapid.T) {
	if err := m.b.checkInvariants(); err != nil {
		t.Fatal(err)
	}
	if got, want := m.b.Len(), len(m.r.orders); got != want {
		t.Fatalf("Len() = %d, want %d", got, want)
	}
	for _, s := range []Side{Buy, Sell} {
		want := m.r.depth(s)
		if diff := diffSlices(want, m.b.AppendDepth(nil, s, math.MaxInt)); diff != "" {
			t.Fatalf("%v depth (-want +got):\n%s", s, diff)
		}
		if diff := diffSlices(want[:min(len(want), 2)], m.b.AppendDepth(nil, s, 2)); diff != "" {
			t.Fatalf("%v depth 2 (-want +got):\n%s", s, diff)
		}
		checkAppendDepth(t, m.b.AppendDepth, s, want)
		var iterated []Level
		for p, q := range m.b.Levels(s) {
			iterated = append(iterated, Level{p, q})
		}
		if diff := diffSlices(want, iterated); diff != "" {
			t.Fatalf("%v Levels (-want +got):\n%s", s, diff)
		}
		// Each level's total is the sum of its orders.
		sums := map[int64]int64{}
		for o := range m.b.Orders(s) {
			sums[o.Price] += o.Qty
		}
		if diff := diffSlices(want, depthOf(s, sums)); diff != "" {
			t.Fatalf("%v level totals against orders (-levels +orders):\n%s", s, diff)
		}
		queue := m.r.queue(s)
		if diff := diffSlices(queue, slices.Collect(m.b.Orders(s))); diff != "" {
			t.Fatalf("%v queue (-want +got):\n%s", s, diff)
		}
		// The iterators stopped early yield a prefix, and stop.
		if got := firstN(m.b.Orders(s), len(queue)/2); !slices.Equal(got, queue[:len(queue)/2]) {
			t.Fatalf("%v queue stopped after %d: %v, want %v", s, len(queue)/2, got, queue[:len(queue)/2])
		}
		if got := firstN2(m.b.Levels(s), len(want)/2); !slices.Equal(got, want[:len(want)/2]) {
			t.Fatalf("%v Levels stopped after %d: %v, want %v", s, len(want)/2, got, want[:len(want)/2])
		}
	}
	bid, okb := m.b.BestBid()
	ask, oka := m.b.BestAsk()
	wantBids, wantAsks := m.r.depth(Buy), m.r.depth(Sell)
	if okb != (len(wantBids) > 0) || okb && bid != wantBids[0] {
		t.Fatalf("BestBid() = %v, %v; want %v", bid, okb, wantBids)
	}
	if oka != (len(wantAsks) > 0) || oka && ask != wantAsks[0] {
		t.Fatalf("BestAsk() = %v, %v; want %v", ask, oka, wantAsks)
	}
	if okb && oka && bid.Price >= ask.Price {
		t.Fatalf("crossed: bid %d, ask %d", bid.Price, ask.Price)
	}
	for _, bad := range []Side{0, 3} {
		for o := range m.b.Orders(bad) {
			t.Fatalf("Orders(%v) yields %+v", bad, o)
		}
		for p, q := range m.b.Levels(bad) {
			t.Fatalf("Levels(%v) yields %d, %d", bad, p, q)
		}
	}
	// An ID never issued rests nowhere.
	if o, ok := m.b.Order(m.nextID * m.stride); ok {
		t.Fatalf("Order(%d), never issued, = %+v, true", m.nextID*m.stride, o)
	}
	resting := make(map[OrderID]Order, len(m.r.orders))
	for _, o := range m.r.orders {
		resting[o.ID] = o
	}
	for _, id := range m.issued {
		got, ok := m.b.Order(id)
		want, wantOK := resting[id]
		if ok != wantOK || got != want {
			t.Fatalf("Order(%d) = %+v, %v; want %+v, %v", id, got, ok, want, wantOK)
		}
	}
}

func bookModel(t *rapid.T) {
	m := newBookMachine(t)
	t.Repeat(map[string]func(*rapid.T){
		"limit":  m.Limit,
		"rest":   m.Rest,
		"rest2":  m.Rest, // twice as likely: depth builds up
		"market": m.Market,
		"cancel": m.Cancel,
		"amend":  m.Amend,
		"impact": m.Impact,
		"reset":  m.Reset,
		"spread": m.Spread,
		"sweep":  m.Sweep,
		"":       m.Check,
	})
}

func TestBookModel(t *testing.T) {
	rapid.Check(t, bookModel)
}

func FuzzBookModel(f *testing.F) {
	f.Fuzz(rapid.MakeFuzz(bookModel))
}

// refL2 is the reference model of an L2: a map from price to size per
// side.
type refL2 struct {
	sides map[Side]map[int64]int64
}

func (r *refL2) set(s Side, price, qty int64) error {
	switch {
	case s != Buy && s != Sell:
		return ErrInvalidSide
	case price <= 0:
		return ErrInvalidPrice
	case qty < 0:
		return ErrInvalidQty
	case qty == 0:
		delete(r.sides[s], price)
	default:
		r.sides[s][price] = qty
	}
	return nil
}

type l2Machine struct {
	m    *L2
	r    *refL2
	wide bool  // prices spread over a million ticks
	edge int64 // if not 0, prices within edgeSpan of it: 1 or MaxInt64
}

func (m *l2Machine) price(t *rapid.T, s Side) int64 {
	switch {
	case m.wide:
		return drawWidePrice(t, s)
	case m.edge != 0:
		return drawEdgePrice(t, m.edge)
	}
	return drawPrice(t, s)
}

func drawLevelQty(t *rapid.T) int64 {
	if rare(t, 20, "oddSize") {
		return rapid.SampledFrom([]int64{-1, math.MaxInt64}).Draw(t, "size")
	}
	return rapid.Int64Range(0, 10).Draw(t, "size")
}

func (m *l2Machine) Set(t *rapid.T) {
	s := drawSide(t)
	p, q := m.price(t, s), drawLevelQty(t)
	m.set(t, s, p, q)
}

// SetMany sets up to 64 levels, which in a wide mirror opens or closes
// many at once.
func (m *l2Machine) SetMany(t *rapid.T) {
	s := drawSide(t)
	for range rapid.IntRange(1, 64).Draw(t, "n") {
		m.set(t, s, m.price(t, s), drawLevelQty(t))
	}
}

func (m *l2Machine) set(t *rapid.T, s Side, p, q int64) {
	wantErr := m.r.set(s, p, q)
	var err error
	if q == 0 && rapid.Bool().Draw(t, "delete") {
		err = m.m.Delete(s, p)
	} else {
		err = m.m.Set(s, p, q)
	}
	if !errors.Is(err, wantErr) || (err == nil) != (wantErr == nil) {
		t.Fatalf("Set(%v, %d, %d): error %v, want %v", s, p, q, err, wantErr)
	}
}

func (m *l2Machine) Snapshot(t *rapid.T) {
	maxLevels := 12
	if m.wide {
		maxLevels = 100
	}
	drawLevels := func(label string) []Level {
		return rapid.SliceOfN(rapid.Custom(func(t *rapid.T) Level {
			if m.wide || m.edge != 0 {
				return Level{Price: m.price(t, Buy), Qty: drawLevelQty(t)}
			}
			return Level{Price: drawPrice(t, 0), Qty: drawLevelQty(t)}
		}), 0, maxLevels).Draw(t, label)
	}
	bids, asks := drawLevels("bids"), drawLevels("asks")
	next := &refL2{sides: map[Side]map[int64]int64{Buy: {}, Sell: {}}}
	var wantErr error
	// A bad price or size anywhere wins over a duplicate; bids are checked
	// before asks.
	for _, lv := range append(slices.Clone(bids), asks...) {
		if lv.Price <= 0 {
			wantErr = ErrInvalidPrice
			break
		}
		if lv.Qty < 0 {
			wantErr = ErrInvalidQty
			break
		}
	}
	for _, side := range []struct {
		s  Side
		ls []Level
	}{{Buy, bids}, {Sell, asks}} {
		for _, lv := range side.ls {
			if wantErr != nil {
				break
			}
			if lv.Qty == 0 {
				continue // left out
			}
			if _, dup := next.sides[side.s][lv.Price]; dup {
				wantErr = ErrDuplicatePrice
			}
			next.sides[side.s][lv.Price] = lv.Qty
		}
	}
	err := m.m.Snapshot(bids, asks)
	if !errors.Is(err, wantErr) || (err == nil) != (wantErr == nil) {
		t.Fatalf("Snapshot: error %v, want %v", err, wantErr)
	}
	if wantErr == nil {
		m.r = next
	}
}

func (m *l2Machine) Impact(t *rapid.T) {
	s := drawSide(t)
	amount := rapid.Int64Range(-1, 60).Draw(t, "amount")
	notional := rapid.Bool().Draw(t, "notional")
	if notional {
		amount *= 100
	}
	if rare(t, 10, "hugeAmount") {
		amount = math.MaxInt64 - rapid.Int64Range(0, 200).Draw(t, "less")
	}
	var want Impact
	var wantErr error
	if s != Buy && s != Sell {
		wantErr = ErrInvalidSide
	} else {
		want, wantErr = refImpact(depthOf(s, m.r.sides[s]), amount, notional)
	}
	got, err := m.m.ImpactQty(s, amount)
	if notional {
		got, err = m.m.ImpactNotional(s, amount)
	}
	if !errors.Is(err, wantErr) || (err == nil) != (wantErr == nil) {
		t.Fatalf("impact(%v, %d, notional %v): error %v, want %v", s, amount, notional, err, wantErr)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("impact(%v, %d, notional %v) (-want +got):\n%s", s, amount, notional, diff)
	}
}

func (m *l2Machine) Reset(t *rapid.T) {
	if !rare(t, 10, "reset") {
		return // only now and then
	}
	m.m.Reset()
	m.r = &refL2{sides: map[Side]map[int64]int64{Buy: {}, Sell: {}}}
}

func (m *l2Machine) Check(t *rapid.T) {
	for _, s := range []Side{Buy, Sell} {
		want := depthOf(s, m.r.sides[s])
		if diff := diffSlices(want, m.m.AppendDepth(nil, s, math.MaxInt)); diff != "" {
			t.Fatalf("%v depth (-want +got):\n%s", s, diff)
		}
		checkAppendDepth(t, m.m.AppendDepth, s, want)
		var iterated []Level
		for p, q := range m.m.Levels(s) {
			iterated = append(iterated, Level{p, q})
		}
		if diff := diffSlices(want, iterated); diff != "" {
			t.Fatalf("%v Levels (-want +got):\n%s", s, diff)
		}
		if got := firstN2(m.m.Levels(s), len(want)/2); !slices.Equal(got, want[:len(want)/2]) {
			t.Fatalf("%v Levels stopped after %d: %v, want %v", s, len(want)/2, got, want[:len(want)/2])
		}
		best, ok := m.m.BestBid()
		if s == Sell {
			best, ok = m.m.BestAsk()
		}
		if ok != (len(want) > 0) || ok && best != want[0] {
			t.Fatalf("%v best = %v, %v; want %v", s, best, ok, want)
		}
	}
	for p, q := range m.m.Levels(0) {
		t.Fatalf("Levels(0) yields %d, %d", p, q)
	}
}

func l2Model(t *rapid.T) {
	m := &l2Machine{m: new(L2), r: &refL2{sides: map[Side]map[int64]int64{Buy: {}, Sell: {}}}}
	if rapid.Bool().Draw(t, "presized") {
		m.m = NewL2(rapid.IntRange(0, 8).Draw(t, "levels"))
	}
	m.wide = rare(t, 3, "wide")
	if !m.wide && rare(t, 3, "edge") {
		m.edge = rapid.SampledFrom([]int64{1, math.MaxInt64}).Draw(t, "edge")
	}
	t.Repeat(rapid.StateMachineActions(m))
}

func TestL2Model(t *testing.T) {
	rapid.Check(t, l2Model)
}

func FuzzL2Model(f *testing.F) {
	f.Fuzz(rapid.MakeFuzz(l2Model))
}
