package orderbook_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	. "github.com/derivmath/derivmath/orderbook"
)

func TestErrors(t *testing.T) {
	full := []Order{gtc(1, Sell, 101, 5), gtc(2, Buy, 99, 2)}
	big := []Order{gtc(1, Sell, 101, math.MaxInt64-1), gtc(2, Buy, 99, 2)}
	for _, sc := range []scenario{
		{name: "limit: zero side", book: std, op: limit(Order{ID: 10, Type: GTC, Price: 100, Qty: 1}), err: ErrInvalidSide},
		{name: "limit: side 3", book: std, op: limit(Order{ID: 10, Side: 3, Type: GTC, Price: 100, Qty: 1}), err: ErrInvalidSide},
		{name: "limit: zero type", book: std, op: limit(Order{ID: 10, Side: Buy, Price: 100, Qty: 1}), err: ErrInvalidType},
		{name: "limit: type 5", book: std, op: limit(Order{ID: 10, Side: Buy, Type: 5, Price: 100, Qty: 1}), err: ErrInvalidType},
		{name: "limit: STP 4", book: std, op: limit(Order{ID: 10, Side: Buy, Type: GTC, Price: 100, Qty: 1, STP: 4}), err: ErrInvalidSTP},
		{name: "limit: STP -1", book: std, op: limit(Order{ID: 10, Side: Buy, Type: GTC, Price: 100, Qty: 1, STP: -1}), err: ErrInvalidSTP},
		{name: "limit: zero price", book: std, op: limit(gtc(10, Buy, 0, 1)), err: ErrInvalidPrice},
		{name: "limit: negative price", book: std, op: limit(gtc(10, Sell, -101, 1)), err: ErrInvalidPrice},
		{name: "limit: zero quantity", book: std, op: limit(gtc(10, Buy, 100, 0)), err: ErrInvalidQty},
		{name: "limit: negative quantity", book: std, op: limit(gtc(10, Buy, 100, -5)), err: ErrInvalidQty},
		{name: "limit: duplicate ID", book: std, op: limit(gtc(3, Buy, 100, 1)), err: ErrDuplicateID},
		{name: "limit: duplicate ID of an IOC", book: std, op: limit(Order{ID: 3, Side: Buy, Type: IOC, Price: 101, Qty: 1}), err: ErrDuplicateID},
		{name: "limit: side checked first", book: std, op: limit(Order{ID: 3, Type: 9, STP: 9, Price: -1, Qty: -1}), err: ErrInvalidSide},
		{name: "limit: type before STP", book: std, op: limit(Order{ID: 3, Side: Buy, Type: 9, STP: 9, Price: -1, Qty: -1}), err: ErrInvalidType},
		{name: "limit: STP before price", book: std, op: limit(Order{ID: 3, Side: Buy, Type: GTC, STP: 9, Price: -1, Qty: -1}), err: ErrInvalidSTP},
		{name: "limit: price before quantity", book: std, op: limit(Order{ID: 3, Side: Buy, Type: GTC, Price: -1, Qty: -1}), err: ErrInvalidPrice},
		{name: "limit: quantity before duplicate", book: std, op: limit(Order{ID: 3, Side: Buy, Type: GTC, Price: 100, Qty: -1}), err: ErrInvalidQty},
		{name: "limit: level total overflow", book: big, op: limit(gtc(10, Sell, 101, 2)), err: ErrOverflow},
		{
			name: "limit: level total at MaxInt64 is fine", book: big, op: limit(gtc(10, Sell, 101, 1)),
			after: state{3, []Order{gtc(2, Buy, 99, 2)}, []Order{gtc(1, Sell, 101, math.MaxInt64-1), gtc(10, Sell, 101, 1)}},
		},
		{name: "limit: full of orders", fixed: &[2]int{2, 5}, book: full, op: limit(gtc(10, Buy, 99, 1)), err: ErrBookFull},
		{name: "limit: full of levels", fixed: &[2]int{5, 2}, book: full, op: limit(gtc(10, Buy, 98, 1)), err: ErrBookFull},
		{
			name: "limit: full of levels, room at a level", fixed: &[2]int{5, 2}, book: full, op: limit(gtc(10, Buy, 99, 1)),
			after: state{3, []Order{gtc(2, Buy, 99, 2), gtc(10, Buy, 99, 1)}, []Order{gtc(1, Sell, 101, 5)}},
		},
		{name: "limit: full book refuses a GTC that would fill", fixed: &[2]int{2, 5}, book: full, op: limit(gtc(10, Buy, 101, 1)), err: ErrBookFull},
		{
			name: "limit: full book takes an IOC", fixed: &[2]int{2, 5}, book: full, op: limit(Order{ID: 10, Side: Buy, Type: IOC, Price: 101, Qty: 1}),
			fills: []Fill{{Maker: 1, Taker: 10, Price: 101, Qty: 1}},
			after: state{2, []Order{gtc(2, Buy, 99, 2)}, []Order{gtc(1, Sell, 101, 4)}},
		},
		{name: "limit: a zero-capacity book", fixed: &[2]int{0, 0}, op: limit(gtc(10, Buy, 98, 1)), err: ErrBookFull},
		{name: "market: zero side", book: std, op: market(Order{ID: 10, Type: IOC, Qty: 1}), err: ErrInvalidSide},
		{name: "market: GTC", book: std, op: market(Order{ID: 10, Side: Buy, Type: GTC, Qty: 1}), err: ErrInvalidType},
		{name: "market: post-only", book: std, op: market(Order{ID: 10, Side: Buy, Type: PostOnly, Qty: 1}), err: ErrInvalidType},
		{name: "market: zero type", book: std, op: market(Order{ID: 10, Side: Buy, Qty: 1}), err: ErrInvalidType},
		{name: "market: STP", book: std, op: market(Order{ID: 10, Side: Buy, Type: IOC, Qty: 1, STP: 4}), err: ErrInvalidSTP},
		{name: "market: a price", book: std, op: market(Order{ID: 10, Side: Buy, Type: IOC, Price: 101, Qty: 1}), err: ErrInvalidPrice},
		{name: "market: zero quantity", book: std, op: market(Order{ID: 10, Side: Buy, Type: IOC}), err: ErrInvalidQty},
		{name: "market: duplicate ID", book: std, op: market(Order{ID: 1, Side: Buy, Type: IOC, Qty: 1}), err: ErrDuplicateID},
		{name: "cancel: unknown ID", book: std, op: cancel(10), err: ErrUnknownOrder},
		{name: "cancel: twice", book: std, setup: func(b *Book) error { _, err := b.Cancel(1); return err }, op: cancel(1), err: ErrUnknownOrder},
		{name: "cancel: filled order", book: std, setup: fill1, op: cancel(1), err: ErrUnknownOrder},
		{name: "amend: filled order", book: std, setup: fill1, op: amend(1, 101, 1), err: ErrUnknownOrder},
	} {
		t.Run(sc.name, sc.run)
	}
}

// fill1 fills order 1 of std.
func fill1(b *Book) error {
	_, err := b.Market(Order{ID: 10, Side: Buy, Type: IOC, Qty: 5}, nil)
	return err
}

func TestCancel(t *testing.T) {
	b := bookOf(t, nil, std...)
	got, err := b.Cancel(2)
	if err != nil {
		t.Fatal(err)
	}
	if want := gtc(2, Sell, 101, 3); got != want {
		t.Errorf("Cancel(2) = %+v, want %+v", got, want)
	}
	// The last order of a level takes the level with it.
	if _, err := b.Cancel(1); err != nil {
		t.Fatal(err)
	}
	want := []Level{{Price: 102, Qty: 4}}
	if diff := cmp.Diff(want, b.AppendDepth(nil, Sell, 10)); diff != "" {
		t.Errorf("asks (-want +got):\n%s", diff)
	}
	if _, ok := b.Order(2); ok {
		t.Error("Order(2) found after Cancel")
	}
}

func TestOrderLookup(t *testing.T) {
	b := bookOf(t, nil, std...)
	if _, err := b.Limit(Order{ID: 10, Side: Buy, Type: GTC, Price: 101, Qty: 10, Owner: 3, STP: CancelIncoming}, nil); err != nil {
		t.Fatal(err)
	}
	got, ok := b.Order(10)
	want := Order{ID: 10, Side: Buy, Type: GTC, Price: 101, Qty: 2, Owner: 3, STP: CancelIncoming}
	if !ok || got != want {
		t.Errorf("Order(10) = %+v, %v; want %+v, true", got, ok, want)
	}
	if got, ok := b.Order(1); ok {
		t.Errorf("Order(1) = %+v, true after it filled", got)
	}
	var zero Book
	if _, ok := zero.Order(0); ok {
		t.Error("zero Book has order 0")
	}
}

func TestBestAndDepth(t *testing.T) {
	var b Book
	if _, ok := b.BestBid(); ok {
		t.Error("empty book has a best bid")
	}
	if _, ok := b.BestAsk(); ok {
		t.Error("empty book has a best ask")
	}
	bookOf(t, &b, std...)
	if got, ok := b.BestBid(); !ok || got != (Level{99, 2}) {
		t.Errorf("BestBid() = %v, %v", got, ok)
	}
	if got, ok := b.BestAsk(); !ok || got != (Level{101, 8}) {
		t.Errorf("BestAsk() = %v, %v", got, ok)
	}
	for _, tc := range []struct {
		s    Side
		n    int
		want []Level
	}{
		{Buy, 10, []Level{{99, 2}, {98, 6}}},
		{Sell, 10, []Level{{101, 8}, {102, 4}}},
		{Sell, 1, []Level{{101, 8}}},
		{Sell, 0, nil},
		{Sell, -1, nil},
		{0, 10, nil},
	} {
		prefix := []Level{{1, 1}}
		got := b.AppendDepth(prefix, tc.s, tc.n)
		if diff := cmp.Diff(append([]Level{{1, 1}}, tc.want...), got); diff != "" {
			t.Errorf("AppendDepth(%v, %d) (-want +got):\n%s", tc.s, tc.n, diff)
		}
		var seq []Level
		for p, q := range b.Levels(tc.s) {
			if len(seq) == max(tc.n, 0) {
				break // exercises stopping early
			}
			seq = append(seq, Level{p, q})
		}
		if diff := cmp.Diff(tc.want, seq); diff != "" {
			t.Errorf("Levels(%v) (-want +got):\n%s", tc.s, diff)
		}
	}
	var first []Order
	for o := range b.Orders(Sell) {
		first = append(first, o)
		break
	}
	if diff := cmp.Diff([]Order{gtc(1, Sell, 101, 5)}, first); diff != "" {
		t.Errorf("Orders(Sell), first only (-want +got):\n%s", diff)
	}
	for range b.Orders(5) {
		t.Error("Orders(5) yields")
	}
}

func TestImpact(t *testing.T) {
	// Asks: 101x8, 102x4; bids: 99x2, 98x6.
	b := bookOf(t, nil, std...)
	var m L2
	if err := m.Snapshot(b.AppendDepth(nil, Buy, 10), b.AppendDepth(nil, Sell, 10)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		s        Side
		amount   int64
		notional bool
		want     Impact
		err      error
	}{
		{"qty within the best level", Sell, 5, false, Impact{Qty: 5, Cost: 505, Worst: 101}, nil},
		{"qty over two levels", Sell, 10, false, Impact{Qty: 10, Cost: 8*101 + 2*102, Worst: 102}, nil},
		{"qty of the whole side", Buy, 8, false, Impact{Qty: 8, Cost: 2*99 + 6*98, Worst: 98}, nil},
		{"qty beyond the side", Buy, 9, false, Impact{Qty: 8, Cost: 2*99 + 6*98, Worst: 98}, ErrNotEnoughDepth},
		{"notional of whole lots", Sell, 808, true, Impact{Qty: 8, Cost: 808, Worst: 101}, nil},
		{"notional rounds up to whole lots", Sell, 809, true, Impact{Qty: 9, Cost: 808 + 102, Worst: 102}, nil},
		{"notional of one tick", Buy, 1, true, Impact{Qty: 1, Cost: 99, Worst: 99}, nil},
		{"notional beyond the side", Buy, 787, true, Impact{Qty: 8, Cost: 786, Worst: 98}, ErrNotEnoughDepth},
		{"zero qty", Sell, 0, false, Impact{}, ErrInvalidQty},
		{"negative notional", Sell, -1, true, Impact{}, ErrInvalidQty},
		{"invalid side", 0, 1, false, Impact{}, ErrInvalidSide},
		{"invalid side, notional", 0, 1, true, Impact{}, ErrInvalidSide},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, q := range []struct {
				name string
				fn   func(Side, int64) (Impact, error)
			}{
				{"Book", b.ImpactQty},
				{"L2", m.ImpactQty},
			} {
				fn := q.fn
				if tc.notional {
					fn = map[string]func(Side, int64) (Impact, error){"Book": b.ImpactNotional, "L2": m.ImpactNotional}[q.name]
				}
				got, err := fn(tc.s, tc.amount)
				if !errors.Is(err, tc.err) || (err == nil) != (tc.err == nil) {
					t.Errorf("%s: error %v, want %v", q.name, err, tc.err)
				}
				if got != tc.want {
					t.Errorf("%s: %+v, want %+v", q.name, got, tc.want)
				}
			}
		})
	}
}

func TestImpactOverflow(t *testing.T) {
	b := bookOf(t, nil, gtc(1, Sell, 1<<40, 1<<22), gtc(2, Sell, 1<<41, 1<<30))
	if got, err := b.ImpactQty(Sell, 1<<22); err != nil || got.Cost != 1<<62 {
		t.Errorf("ImpactQty(Sell, 2^22) = %+v, %v; want cost 2^62", got, err)
	}
	if got, err := b.ImpactQty(Sell, 1<<22+1<<21); !errors.Is(err, ErrOverflow) || got != (Impact{}) {
		t.Errorf("ImpactQty(Sell, 2^22+2^21) = %+v, %v; want ErrOverflow", got, err)
	}
	if got, err := b.ImpactNotional(Sell, math.MaxInt64); !errors.Is(err, ErrOverflow) || got != (Impact{}) {
		t.Errorf("ImpactNotional(Sell, MaxInt64) = %+v, %v; want ErrOverflow", got, err)
	}
	// A cost of exactly MaxInt64 (7 * (MaxInt64/7)) fits.
	exact := bookOf(t, nil, gtc(1, Sell, 7, math.MaxInt64/7))
	want := Impact{Qty: math.MaxInt64 / 7, Cost: math.MaxInt64, Worst: 7}
	if got, err := exact.ImpactQty(Sell, math.MaxInt64/7); err != nil || got != want {
		t.Errorf("ImpactQty(Sell, MaxInt64/7) at 7 = %+v, %v; want %+v", got, err, want)
	}
	if got, err := exact.ImpactNotional(Sell, math.MaxInt64); err != nil || got != want {
		t.Errorf("ImpactNotional(Sell, MaxInt64) at 7 = %+v, %v; want %+v", got, err, want)
	}
}

func TestZeroValueGrows(t *testing.T) {
	var b Book
	rng := rand.New(rand.NewPCG(1, 1))
	live := map[OrderID]Order{}
	for i := range 20_000 {
		o := gtc(OrderID(rng.Uint64()), Buy, 1+rng.Int64N(3000), 1+rng.Int64N(9))
		if i%2 == 1 {
			o.Side, o.Price = Sell, o.Price+3000
		}
		if _, err := b.Limit(o, nil); err != nil {
			t.Fatal(err)
		}
		live[o.ID] = o
		if i%3 == 0 {
			for id := range live {
				if _, err := b.Cancel(id); err != nil {
					t.Fatal(err)
				}
				delete(live, id)
				break
			}
		}
	}
	if b.Len() != len(live) {
		t.Fatalf("Len() = %d, want %d", b.Len(), len(live))
	}
	for id, want := range live {
		if got, ok := b.Order(id); !ok || got != want {
			t.Fatalf("Order(%d) = %+v, %v; want %+v", id, got, ok, want)
		}
	}
}

func TestReset(t *testing.T) {
	for _, b := range []*Book{new(Book), New(4, 4), NewFixed(5, 4)} {
		bookOf(t, b, std...)
		b.Reset()
		if diff := cmp.Diff(state{}, stateOf(b), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("after Reset (-want +got):\n%s", diff)
		}
		if _, ok := b.Order(1); ok {
			t.Error("Order(1) found after Reset")
		}
		// The IDs are free again, and a fixed book has its room back.
		bookOf(t, b, std...)
		if diff := cmp.Diff(bookOf(t, nil, std...).AppendDepth(nil, Sell, 9), b.AppendDepth(nil, Sell, 9)); diff != "" {
			t.Errorf("refilled asks (-want +got):\n%s", diff)
		}
	}
	var zero Book
	zero.Reset()
	if zero.Len() != 0 {
		t.Error("Reset zero Book not empty")
	}
}

func TestNewPanics(t *testing.T) {
	for name, fn := range map[string]func(){
		"New orders":      func() { New(-1, 0) },
		"New levels":      func() { New(0, -1) },
		"NewFixed orders": func() { NewFixed(-1, 0) },
		"NewFixed levels": func() { NewFixed(0, -1) },
		"NewL2":           func() { NewL2(-1) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			fn()
		}()
	}
}

func TestStrings(t *testing.T) {
	for _, tc := range []struct {
		got, want string
	}{
		{Buy.String(), "buy"},
		{Sell.String(), "sell"},
		{Side(0).String(), "Side(0)"},
		{GTC.String(), "GTC"},
		{IOC.String(), "IOC"},
		{FOK.String(), "FOK"},
		{PostOnly.String(), "post-only"},
		{Type(-2).String(), "Type(-2)"},
		{STP(0).String(), "none"},
		{CancelResting.String(), "cancel-resting"},
		{CancelIncoming.String(), "cancel-incoming"},
		{STP(7).String(), "STP(7)"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestL2(t *testing.T) {
	var m L2
	steps := []struct {
		name      string
		do        func() error
		err       error
		bids, asx []Level
	}{
		{"set a bid", func() error { return m.Set(Buy, 99, 5) }, nil, []Level{{99, 5}}, nil},
		{"set a better bid", func() error { return m.Set(Buy, 100, 1) }, nil, []Level{{100, 1}, {99, 5}}, nil},
		{"set asks", func() error {
			if err := m.Set(Sell, 102, 4); err != nil {
				return err
			}
			return m.Set(Sell, 101, 3)
		}, nil, []Level{{100, 1}, {99, 5}}, []Level{{101, 3}, {102, 4}}},
		{"change a size", func() error { return m.Set(Buy, 99, 7) }, nil, []Level{{100, 1}, {99, 7}}, []Level{{101, 3}, {102, 4}}},
		{"size 0 deletes", func() error { return m.Set(Buy, 100, 0) }, nil, []Level{{99, 7}}, []Level{{101, 3}, {102, 4}}},
		{"delete", func() error { return m.Delete(Sell, 102) }, nil, []Level{{99, 7}}, []Level{{101, 3}}},
		{"deleting a missing level is fine", func() error { return m.Delete(Sell, 150) }, nil, []Level{{99, 7}}, []Level{{101, 3}}},
		{"a crossed book is mirrored", func() error { return m.Set(Buy, 101, 2) }, nil, []Level{{101, 2}, {99, 7}}, []Level{{101, 3}}},
		{"bad side", func() error { return m.Set(0, 99, 1) }, ErrInvalidSide, []Level{{101, 2}, {99, 7}}, []Level{{101, 3}}},
		{"bad price", func() error { return m.Set(Buy, 0, 1) }, ErrInvalidPrice, []Level{{101, 2}, {99, 7}}, []Level{{101, 3}}},
		{"bad size", func() error { return m.Set(Buy, 99, -1) }, ErrInvalidQty, []Level{{101, 2}, {99, 7}}, []Level{{101, 3}}},
		{"snapshot replaces all, in any order, without zero sizes", func() error {
			return m.Snapshot([]Level{{97, 1}, {98, 2}, {96, 0}}, []Level{{104, 3}, {103, 4}})
		}, nil, []Level{{98, 2}, {97, 1}}, []Level{{103, 4}, {104, 3}}},
		{"a price at size 0 and again above it is no duplicate", func() error {
			return m.Snapshot([]Level{{97, 1}, {98, 0}, {98, 2}}, []Level{{104, 3}, {103, 4}, {104, 0}})
		}, nil, []Level{{98, 2}, {97, 1}}, []Level{{103, 4}, {104, 3}}},
		{"snapshot with a duplicate price", func() error {
			return m.Snapshot([]Level{{90, 1}}, []Level{{104, 3}, {105, 1}, {104, 4}})
		}, ErrDuplicatePrice, []Level{{98, 2}, {97, 1}}, []Level{{103, 4}, {104, 3}}},
		{"snapshot with a bad price", func() error {
			return m.Snapshot([]Level{{90, 1}}, []Level{{-104, 3}})
		}, ErrInvalidPrice, []Level{{98, 2}, {97, 1}}, []Level{{103, 4}, {104, 3}}},
		{"snapshot with a bad size", func() error {
			return m.Snapshot([]Level{{90, -1}}, nil)
		}, ErrInvalidQty, []Level{{98, 2}, {97, 1}}, []Level{{103, 4}, {104, 3}}},
		{"snapshot checks level by level: a bad size before a bad price", func() error {
			return m.Snapshot([]Level{{90, -1}, {0, 1}}, nil)
		}, ErrInvalidQty, []Level{{98, 2}, {97, 1}}, []Level{{103, 4}, {104, 3}}},
		{"snapshot checks the asks' levels before the bids' duplicates", func() error {
			return m.Snapshot([]Level{{90, 1}, {90, 2}}, []Level{{104, -3}})
		}, ErrInvalidQty, []Level{{98, 2}, {97, 1}}, []Level{{103, 4}, {104, 3}}},
		{"empty snapshot", func() error { return m.Snapshot(nil, nil) }, nil, nil, nil},
		{"reset", func() error {
			err := m.Set(Buy, 5, 5)
			m.Reset()
			return err
		}, nil, nil, nil},
	}
	for _, st := range steps {
		err := st.do()
		if !errors.Is(err, st.err) || (err == nil) != (st.err == nil) {
			t.Fatalf("%s: error %v, want %v", st.name, err, st.err)
		}
		if diff := cmp.Diff(st.bids, m.AppendDepth(nil, Buy, 100)); diff != "" {
			t.Fatalf("%s: bids (-want +got):\n%s", st.name, diff)
		}
		if diff := cmp.Diff(st.asx, m.AppendDepth(nil, Sell, 100)); diff != "" {
			t.Fatalf("%s: asks (-want +got):\n%s", st.name, diff)
		}
		bid, ok := m.BestBid()
		if ok != (len(st.bids) > 0) || ok && bid != st.bids[0] {
			t.Fatalf("%s: BestBid() = %v, %v", st.name, bid, ok)
		}
		ask, ok := m.BestAsk()
		if ok != (len(st.asx) > 0) || ok && ask != st.asx[0] {
			t.Fatalf("%s: BestAsk() = %v, %v", st.name, ask, ok)
		}
	}
	if got := m.AppendDepth(nil, 0, 5); got != nil {
		t.Errorf("AppendDepth(0) = %v", got)
	}
	if _, err := m.ImpactQty(3, 5); !errors.Is(err, ErrInvalidSide) {
		t.Errorf("ImpactQty(3) error %v", err)
	}
	for range m.Levels(0) {
		t.Error("Levels(0) yields")
	}
}
