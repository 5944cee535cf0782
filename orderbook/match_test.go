package orderbook_test

import (
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	. "github.com/derivmath/derivmath/orderbook"
)

// state is everything observable about a book's resting orders.
type state struct {
	Len        int
	Bids, Asks []Order
}

func stateOf(b *Book) state {
	return state{b.Len(), slices.Collect(b.Orders(Buy)), slices.Collect(b.Orders(Sell))}
}

// gtc returns a GTC order with no owner.
func gtc(id OrderID, s Side, price, qty int64) Order {
	return Order{ID: id, Side: s, Type: GTC, Price: price, Qty: qty}
}

// bookOf returns a book holding orders, added in turn; none may trade.
func bookOf(t *testing.T, b *Book, orders ...Order) *Book {
	t.Helper()
	if b == nil {
		b = new(Book)
	}
	for _, o := range orders {
		fills, err := b.Limit(o, nil)
		if err != nil || len(fills) != 0 {
			t.Fatalf("setting up: Limit(%+v) = %v, %v", o, fills, err)
		}
	}
	return b
}

// scenario runs op on a book holding book, and checks the fills, the error
// and the state after. A failed op must leave the state as it was, which
// is checked whatever after says.
type scenario struct {
	name  string
	fixed *[2]int // capacity of a NewFixed book; nil: a growing book
	book  []Order
	setup func(b *Book) error // run after the book is filled, if not nil
	op    func(b *Book, dst []Fill) ([]Fill, error)
	fills []Fill
	err   error
	after state
}

func (sc *scenario) run(t *testing.T) {
	t.Helper()
	var b *Book
	if sc.fixed != nil {
		b = NewFixed(sc.fixed[0], sc.fixed[1])
	}
	b = bookOf(t, b, sc.book...)
	if sc.setup != nil {
		if err := sc.setup(b); err != nil {
			t.Fatalf("setting up: %v", err)
		}
	}
	before := stateOf(b)
	fills, err := sc.op(b, nil)
	if !errors.Is(err, sc.err) || (err == nil) != (sc.err == nil) {
		t.Fatalf("error %v, want %v", err, sc.err)
	}
	if diff := cmp.Diff(sc.fills, fills, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("fills (-want +got):\n%s", diff)
	}
	want := sc.after
	if sc.err != nil {
		want = before
	}
	if diff := cmp.Diff(want, stateOf(b), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("book after (-want +got):\n%s", diff)
	}
}

func limit(o Order) func(*Book, []Fill) ([]Fill, error) {
	return func(b *Book, dst []Fill) ([]Fill, error) { return b.Limit(o, dst) }
}

func market(o Order) func(*Book, []Fill) ([]Fill, error) {
	return func(b *Book, dst []Fill) ([]Fill, error) { return b.Market(o, dst) }
}

func amend(id OrderID, price, qty int64) func(*Book, []Fill) ([]Fill, error) {
	return func(b *Book, dst []Fill) ([]Fill, error) { return b.Amend(id, price, qty, dst) }
}

func cancel(id OrderID) func(*Book, []Fill) ([]Fill, error) {
	return func(b *Book, dst []Fill) ([]Fill, error) {
		_, err := b.Cancel(id)
		return dst, err
	}
}

// A standard book: asks 101x5 (1), 101x3 (2), 102x4 (3); bids 99x2 (4),
// 98x6 (5).
var std = []Order{
	gtc(1, Sell, 101, 5), gtc(2, Sell, 101, 3), gtc(3, Sell, 102, 4),
	gtc(4, Buy, 99, 2), gtc(5, Buy, 98, 6),
}

var stdBids = []Order{gtc(4, Buy, 99, 2), gtc(5, Buy, 98, 6)}

func TestMatching(t *testing.T) {
	for _, sc := range []scenario{
		{
			name:  "GTC rests without crossing",
			book:  std,
			op:    limit(gtc(10, Buy, 100, 7)),
			after: state{6, []Order{gtc(10, Buy, 100, 7), gtc(4, Buy, 99, 2), gtc(5, Buy, 98, 6)}, std[:3]},
		},
		{
			name:  "GTC joins the back of its level",
			book:  std,
			op:    limit(gtc(10, Sell, 101, 1)),
			after: state{6, stdBids, []Order{gtc(1, Sell, 101, 5), gtc(2, Sell, 101, 3), gtc(10, Sell, 101, 1), gtc(3, Sell, 102, 4)}},
		},
		{
			name:  "time priority: the oldest order at a price fills first",
			book:  std,
			op:    limit(gtc(10, Buy, 101, 6)),
			fills: []Fill{{Maker: 1, Taker: 10, Price: 101, Qty: 5, MakerDone: true}, {Maker: 2, Taker: 10, Price: 101, Qty: 1}},
			after: state{4, stdBids, []Order{gtc(2, Sell, 101, 2), gtc(3, Sell, 102, 4)}},
		},
		{
			name: "price priority, trades at the maker's price, rest rests",
			book: std,
			op:   limit(gtc(10, Buy, 103, 15)),
			fills: []Fill{
				{Maker: 1, Taker: 10, Price: 101, Qty: 5, MakerDone: true},
				{Maker: 2, Taker: 10, Price: 101, Qty: 3, MakerDone: true},
				{Maker: 3, Taker: 10, Price: 102, Qty: 4, MakerDone: true},
			},
			after: state{3, []Order{gtc(10, Buy, 103, 3), gtc(4, Buy, 99, 2), gtc(5, Buy, 98, 6)}, nil},
		},
		{
			name:  "limit stops at its price",
			book:  std,
			op:    limit(gtc(10, Buy, 101, 10)),
			fills: []Fill{{Maker: 1, Taker: 10, Price: 101, Qty: 5, MakerDone: true}, {Maker: 2, Taker: 10, Price: 101, Qty: 3, MakerDone: true}},
			after: state{4, []Order{gtc(10, Buy, 101, 2), gtc(4, Buy, 99, 2), gtc(5, Buy, 98, 6)}, []Order{gtc(3, Sell, 102, 4)}},
		},
		{
			name:  "sell side sweeps bids best first",
			book:  std,
			op:    limit(gtc(10, Sell, 98, 3)),
			fills: []Fill{{Maker: 4, Taker: 10, Price: 99, Qty: 2, MakerDone: true}, {Maker: 5, Taker: 10, Price: 98, Qty: 1}},
			after: state{4, []Order{gtc(5, Buy, 98, 5)}, std[:3]},
		},
		{
			name:  "IOC drops what does not trade",
			book:  std,
			op:    limit(Order{ID: 10, Side: Buy, Type: IOC, Price: 101, Qty: 10}),
			fills: []Fill{{Maker: 1, Taker: 10, Price: 101, Qty: 5, MakerDone: true}, {Maker: 2, Taker: 10, Price: 101, Qty: 3, MakerDone: true}},
			after: state{3, stdBids, []Order{gtc(3, Sell, 102, 4)}},
		},
		{
			name:  "IOC that cannot trade does nothing",
			book:  std,
			op:    limit(Order{ID: 10, Side: Buy, Type: IOC, Price: 100, Qty: 10}),
			after: state{5, stdBids, std[:3]},
		},
		{
			name: "FOK fills in full",
			book: std,
			op:   limit(Order{ID: 10, Side: Buy, Type: FOK, Price: 102, Qty: 12}),
			fills: []Fill{
				{Maker: 1, Taker: 10, Price: 101, Qty: 5, MakerDone: true},
				{Maker: 2, Taker: 10, Price: 101, Qty: 3, MakerDone: true},
				{Maker: 3, Taker: 10, Price: 102, Qty: 4, MakerDone: true},
			},
			after: state{2, stdBids, nil},
		},
		{
			name: "FOK short by one lot is killed",
			book: std,
			op:   limit(Order{ID: 10, Side: Buy, Type: FOK, Price: 102, Qty: 13}),
			err:  ErrFillOrKill,
		},
		{
			name: "FOK short within its price is killed",
			book: std,
			op:   limit(Order{ID: 10, Side: Buy, Type: FOK, Price: 101, Qty: 9}),
			err:  ErrFillOrKill,
		},
		{
			name:  "post-only rests",
			book:  std,
			op:    limit(Order{ID: 10, Side: Sell, Type: PostOnly, Price: 100, Qty: 1}),
			after: state{6, stdBids, append([]Order{{ID: 10, Side: Sell, Type: PostOnly, Price: 100, Qty: 1}}, std[:3]...)},
		},
		{
			name: "post-only that would cross fails",
			book: std,
			op:   limit(Order{ID: 10, Side: Sell, Type: PostOnly, Price: 99, Qty: 1}),
			err:  ErrWouldCross,
		},
		{
			name:  "market IOC sweeps and drops the rest",
			book:  std,
			op:    market(Order{ID: 10, Side: Sell, Type: IOC, Qty: 100}),
			fills: []Fill{{Maker: 4, Taker: 10, Price: 99, Qty: 2, MakerDone: true}, {Maker: 5, Taker: 10, Price: 98, Qty: 6, MakerDone: true}},
			after: state{3, nil, std[:3]},
		},
		{
			name:  "market IOC on an empty side does nothing",
			op:    market(Order{ID: 10, Side: Sell, Type: IOC, Qty: 1}),
			after: state{},
		},
		{
			name:  "market FOK fills in full",
			book:  std,
			op:    market(Order{ID: 10, Side: Sell, Type: FOK, Qty: 8}),
			fills: []Fill{{Maker: 4, Taker: 10, Price: 99, Qty: 2, MakerDone: true}, {Maker: 5, Taker: 10, Price: 98, Qty: 6, MakerDone: true}},
			after: state{3, nil, std[:3]},
		},
		{
			name: "market FOK larger than the side is killed",
			book: std,
			op:   market(Order{ID: 10, Side: Sell, Type: FOK, Qty: 9}),
			err:  ErrFillOrKill,
		},
		{
			name:  "an ID may be reused once its order has left",
			book:  []Order{gtc(1, Sell, 101, 5)},
			setup: func(b *Book) error { _, err := b.Cancel(1); return err },
			op:    limit(gtc(1, Buy, 100, 2)),
			after: state{1, []Order{gtc(1, Buy, 100, 2)}, nil},
		},
	} {
		t.Run(sc.name, sc.run)
	}
}

// owned returns a GTC order with an owner and a prevention mode.
func owned(id OrderID, s Side, price, qty int64, owner OwnerID, stp STP) Order {
	return Order{ID: id, Side: s, Type: GTC, Price: price, Qty: qty, Owner: owner, STP: stp}
}

func TestSelfTradePrevention(t *testing.T) {
	// Asks: 101x5 owner 7, 101x3 owner 8, 102x4 owner 7.
	book := []Order{owned(1, Sell, 101, 5, 7, 0), owned(2, Sell, 101, 3, 8, 0), owned(3, Sell, 102, 4, 7, 0)}
	for _, sc := range []scenario{
		{
			name: "cancel resting: own orders are cancelled, reported with quantity 0",
			book: book,
			op:   limit(owned(10, Buy, 102, 6, 7, CancelResting)),
			fills: []Fill{
				{Maker: 1, Taker: 10, Price: 101, MakerDone: true},
				{Maker: 2, Taker: 10, Price: 101, Qty: 3, MakerDone: true},
				{Maker: 3, Taker: 10, Price: 102, MakerDone: true},
			},
			after: state{1, []Order{owned(10, Buy, 102, 3, 7, CancelResting)}, nil},
		},
		{
			name:  "cancel incoming: stops at the first own order, the rest is cancelled",
			book:  []Order{owned(2, Sell, 101, 3, 8, 0), owned(1, Sell, 101, 5, 7, 0), owned(3, Sell, 102, 4, 8, 0)},
			op:    limit(owned(10, Buy, 102, 6, 7, CancelIncoming)),
			fills: []Fill{{Maker: 2, Taker: 10, Price: 101, Qty: 3, MakerDone: true}},
			after: state{2, nil, []Order{owned(1, Sell, 101, 5, 7, 0), owned(3, Sell, 102, 4, 8, 0)}},
		},
		{
			name:  "cancel incoming on the first order: nothing trades, nothing rests",
			book:  book,
			op:    limit(owned(10, Buy, 102, 6, 7, CancelIncoming)),
			after: state{3, nil, book},
		},
		{
			name: "cancel both: the first own order and the rest of the incoming are cancelled",
			book: []Order{owned(2, Sell, 101, 3, 8, 0), owned(1, Sell, 101, 5, 7, 0), owned(3, Sell, 102, 4, 8, 0)},
			op:   limit(owned(10, Buy, 102, 6, 7, CancelBoth)),
			fills: []Fill{
				{Maker: 2, Taker: 10, Price: 101, Qty: 3, MakerDone: true},
				{Maker: 1, Taker: 10, Price: 101, MakerDone: true},
			},
			after: state{1, nil, []Order{owned(3, Sell, 102, 4, 8, 0)}},
		},
		{
			name:  "cancel both on the first order: its level goes, nothing trades, nothing rests",
			book:  []Order{owned(1, Sell, 101, 5, 7, 0), owned(3, Sell, 102, 4, 8, 0)},
			op:    limit(owned(10, Buy, 102, 6, 7, CancelBoth)),
			fills: []Fill{{Maker: 1, Taker: 10, Price: 101, MakerDone: true}},
			after: state{1, nil, []Order{owned(3, Sell, 102, 4, 8, 0)}},
		},
		{
			name: "FOK stopped by cancel both is killed, and cancels nothing",
			book: []Order{owned(2, Sell, 101, 3, 8, 0), owned(1, Sell, 101, 5, 7, 0), owned(3, Sell, 102, 4, 8, 0)},
			op:   limit(Order{ID: 10, Side: Buy, Type: FOK, Price: 102, Qty: 4, Owner: 7, STP: CancelBoth}),
			err:  ErrFillOrKill,
		},
		{
			name: "no mode: the same owner trades with itself",
			book: book,
			op:   limit(owned(10, Buy, 101, 6, 7, 0)),
			fills: []Fill{
				{Maker: 1, Taker: 10, Price: 101, Qty: 5, MakerDone: true},
				{Maker: 2, Taker: 10, Price: 101, Qty: 1},
			},
			after: state{2, nil, []Order{owned(2, Sell, 101, 2, 8, 0), owned(3, Sell, 102, 4, 7, 0)}},
		},
		{
			name: "no owner: the mode does nothing",
			book: []Order{gtc(1, Sell, 101, 5)},
			op:   limit(owned(10, Buy, 101, 5, 0, CancelIncoming)),
			fills: []Fill{
				{Maker: 1, Taker: 10, Price: 101, Qty: 5, MakerDone: true},
			},
			after: state{},
		},
		{
			name: "FOK counts only what prevention lets it trade",
			book: book,
			op:   limit(Order{ID: 10, Side: Buy, Type: FOK, Price: 102, Qty: 4, Owner: 7, STP: CancelResting}),
			err:  ErrFillOrKill,
		},
		{
			name:  "FOK that fills cancels the own orders it passes",
			book:  book,
			op:    limit(Order{ID: 10, Side: Buy, Type: FOK, Price: 102, Qty: 3, Owner: 7, STP: CancelResting}),
			fills: []Fill{{Maker: 1, Taker: 10, Price: 101, MakerDone: true}, {Maker: 2, Taker: 10, Price: 101, Qty: 3, MakerDone: true}},
			after: state{1, nil, []Order{owned(3, Sell, 102, 4, 7, 0)}},
		},
		{
			name: "FOK stopped by cancel incoming is killed",
			book: []Order{owned(2, Sell, 101, 3, 8, 0), owned(1, Sell, 101, 5, 7, 0)},
			op:   market(Order{ID: 10, Side: Buy, Type: FOK, Qty: 4, Owner: 7, STP: CancelIncoming}),
			err:  ErrFillOrKill,
		},
		{
			name:  "market with cancel resting",
			book:  book,
			op:    market(Order{ID: 10, Side: Buy, Type: IOC, Qty: 1, Owner: 8, STP: CancelResting}),
			fills: []Fill{{Maker: 1, Taker: 10, Price: 101, Qty: 1}},
			after: state{3, nil, []Order{owned(1, Sell, 101, 4, 7, 0), owned(2, Sell, 101, 3, 8, 0), owned(3, Sell, 102, 4, 7, 0)}},
		},
	} {
		t.Run(sc.name, sc.run)
	}
}

func TestAmend(t *testing.T) {
	// Bids 99: 4x2, 6x3, 7x1; 98: 5x6. Ask 101: 1x5.
	book := []Order{gtc(4, Buy, 99, 2), gtc(5, Buy, 98, 6), gtc(6, Buy, 99, 3), gtc(7, Buy, 99, 1), gtc(1, Sell, 101, 5)}
	asks := []Order{gtc(1, Sell, 101, 5)}
	for _, sc := range []scenario{
		{
			name:  "smaller quantity keeps priority",
			book:  book,
			op:    amend(4, 99, 1),
			after: state{5, []Order{gtc(4, Buy, 99, 1), gtc(6, Buy, 99, 3), gtc(7, Buy, 99, 1), gtc(5, Buy, 98, 6)}, asks},
		},
		{
			name:  "same quantity changes nothing",
			book:  book,
			op:    amend(6, 99, 3),
			after: state{5, []Order{gtc(4, Buy, 99, 2), gtc(6, Buy, 99, 3), gtc(7, Buy, 99, 1), gtc(5, Buy, 98, 6)}, asks},
		},
		{
			name:  "larger quantity goes to the back",
			book:  book,
			op:    amend(4, 99, 3),
			after: state{5, []Order{gtc(6, Buy, 99, 3), gtc(7, Buy, 99, 1), gtc(4, Buy, 99, 3), gtc(5, Buy, 98, 6)}, asks},
		},
		{
			name:  "new price goes to the back there",
			book:  book,
			op:    amend(4, 98, 2),
			after: state{5, []Order{gtc(6, Buy, 99, 3), gtc(7, Buy, 99, 1), gtc(5, Buy, 98, 6), gtc(4, Buy, 98, 2)}, asks},
		},
		{
			name:  "new price at a new level; the old level stays",
			book:  book,
			op:    amend(6, 100, 3),
			after: state{5, []Order{gtc(6, Buy, 100, 3), gtc(4, Buy, 99, 2), gtc(7, Buy, 99, 1), gtc(5, Buy, 98, 6)}, asks},
		},
		{
			name:  "the last order leaves its level",
			book:  book,
			op:    amend(5, 97, 6),
			after: state{5, []Order{gtc(4, Buy, 99, 2), gtc(6, Buy, 99, 3), gtc(7, Buy, 99, 1), gtc(5, Buy, 97, 6)}, asks},
		},
		{
			name:  "a crossing price trades as a taker and rests the rest",
			book:  book,
			op:    amend(5, 101, 8),
			fills: []Fill{{Maker: 1, Taker: 5, Price: 101, Qty: 5, MakerDone: true}},
			after: state{4, []Order{gtc(5, Buy, 101, 3), gtc(4, Buy, 99, 2), gtc(6, Buy, 99, 3), gtc(7, Buy, 99, 1)}, nil},
		},
		{
			name:  "a crossing price that fills in full leaves the book",
			book:  book,
			op:    amend(7, 102, 4),
			fills: []Fill{{Maker: 1, Taker: 7, Price: 101, Qty: 4}},
			after: state{4, []Order{gtc(4, Buy, 99, 2), gtc(6, Buy, 99, 3), gtc(5, Buy, 98, 6)}, []Order{gtc(1, Sell, 101, 1)}},
		},
		{
			name:  "a crossing price with cancel incoming leaves the book",
			book:  []Order{owned(4, Buy, 99, 2, 7, CancelIncoming), owned(1, Sell, 101, 5, 7, 0)},
			op:    amend(4, 101, 2),
			after: state{1, nil, []Order{owned(1, Sell, 101, 5, 7, 0)}},
		},
		{
			name: "post-only at a crossing price fails",
			book: []Order{{ID: 4, Side: Buy, Type: PostOnly, Price: 99, Qty: 2}, gtc(1, Sell, 101, 5)},
			op:   amend(4, 101, 2),
			err:  ErrWouldCross,
		},
		{
			name:  "post-only at a new price rests",
			book:  []Order{{ID: 4, Side: Buy, Type: PostOnly, Price: 99, Qty: 2}, gtc(1, Sell, 101, 5)},
			op:    amend(4, 100, 2),
			after: state{2, []Order{{ID: 4, Side: Buy, Type: PostOnly, Price: 100, Qty: 2}}, []Order{gtc(1, Sell, 101, 5)}},
		},
		{name: "unknown ID", book: book, op: amend(99, 99, 1), err: ErrUnknownOrder},
		{name: "zero quantity", book: book, op: amend(4, 99, 0), err: ErrInvalidQty},
		{name: "negative quantity", book: book, op: amend(4, 99, -1), err: ErrInvalidQty},
		{name: "zero price", book: book, op: amend(4, 0, 1), err: ErrInvalidPrice},
		{
			name: "larger quantity overflowing the level",
			book: book,
			op:   amend(4, 99, math.MaxInt64-3),
			err:  ErrOverflow,
		},
		{
			name: "new price overflowing the level",
			book: book,
			op:   amend(4, 98, math.MaxInt64-5),
			err:  ErrOverflow,
		},
		{
			name:  "new price filling the level to MaxInt64",
			book:  book,
			op:    amend(4, 98, math.MaxInt64-6),
			after: state{5, []Order{gtc(6, Buy, 99, 3), gtc(7, Buy, 99, 1), gtc(5, Buy, 98, 6), gtc(4, Buy, 98, math.MaxInt64-6)}, asks},
		},
		{
			name:  "a full fixed book has no level for a new price",
			fixed: &[2]int{10, 3},
			book:  book,
			op:    amend(4, 100, 2),
			err:   ErrBookFull,
		},
		{
			name:  "a full fixed book reuses the level the order leaves",
			fixed: &[2]int{10, 3},
			book:  book,
			op:    amend(5, 100, 6),
			after: state{5, []Order{gtc(5, Buy, 100, 6), gtc(4, Buy, 99, 2), gtc(6, Buy, 99, 3), gtc(7, Buy, 99, 1)}, asks},
		},
		{
			name:  "a full fixed book has room at an existing level",
			fixed: &[2]int{5, 3},
			book:  book,
			op:    amend(4, 98, 2),
			after: state{5, []Order{gtc(6, Buy, 99, 3), gtc(7, Buy, 99, 1), gtc(5, Buy, 98, 6), gtc(4, Buy, 98, 2)}, asks},
		},
	} {
		t.Run(sc.name, sc.run)
	}
}
