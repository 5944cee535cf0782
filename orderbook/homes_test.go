package orderbook

import (
	"errors"
	"testing"

	"github.com/derivmath/derivmath/internal/dectest"
)

// These tests pin down order homes (pool.go): an order rests at its home
// if it is free, else it is a stray, in the ID table and counted by its
// home; a lookup searches the ID table only from a home that counts
// strays. The model test (model_test.go) draws IDs that rarely share a
// home; these choose IDs that do.

// sameHome returns n IDs, from first on, whose home in b is that of first,
// found by brute force, and that home.
func sameHome(b *Book, first OrderID, n int) ([]OrderID, int32) {
	home := b.home(b.ids.tag(first))
	ids := []OrderID{first}
	for id := first + 1; len(ids) < n; id++ {
		if b.home(b.ids.tag(id)) == home {
			ids = append(ids, id)
		}
	}
	return ids, home
}

// homeBid returns a GTC bid of ID id, the i-th of a test: prices and
// quantities vary with i, so that some orders share a level and some are
// alone at their price, and no bid crosses the asks of these tests.
func homeBid(id OrderID, i int) Order {
	return Order{ID: id, Side: Buy, Type: GTC, Price: 100 + int64(i%5), Qty: 1 + int64(i%3)}
}

// mustHomes fails t if b's invariants, homes and strays included, do not
// hold.
func mustHomes(t *testing.T, b *Book) {
	t.Helper()
	if err := b.checkInvariants(); err != nil {
		t.Fatal(err)
	}
}

// wantFound fails t unless id rests in b with quantity qty, found by
// Order, and as a duplicate by Limit, Market and Preview; and, if atHome
// is true, unless it rests at its home, or if false, unless it is a
// stray.
func wantFound(t *testing.T, b *Book, id OrderID, qty int64, atHome bool) {
	t.Helper()
	o, ok := b.Order(id)
	if !ok || o.ID != id || o.Qty != qty {
		t.Fatalf("Order(%d) = %+v, %v; want qty %d", id, o, ok, qty)
	}
	if h, i := b.lookup(id); b.isHome(h) != atHome || (i < 0) != atHome {
		t.Fatalf("ID %d in slot %d (ID table slot %d), want at home %v", id, h, i, atHome)
	}
	if _, err := b.Limit(Order{ID: id, Side: Sell, Type: GTC, Price: 1_000, Qty: 1}, nil); !errors.Is(err, ErrDuplicateID) {
		t.Fatalf("Limit of resting ID %d: %v", id, err)
	}
	if _, err := b.Market(Order{ID: id, Side: Sell, Type: IOC, Qty: 1}, nil); !errors.Is(err, ErrDuplicateID) {
		t.Fatalf("Market of resting ID %d: %v", id, err)
	}
	if _, err := b.Preview(Order{ID: id, Side: Sell, Type: GTC, Price: 1_000, Qty: 1}, nil); !errors.Is(err, ErrDuplicateID) {
		t.Fatalf("Preview of resting ID %d: %v", id, err)
	}
}

// wantGone fails t if id is found in b.
func wantGone(t *testing.T, b *Book, id OrderID) {
	t.Helper()
	if o, ok := b.Order(id); ok {
		t.Fatalf("Order(%d) = %+v after it left", id, o)
	}
	if _, err := b.Cancel(id); !errors.Is(err, ErrUnknownOrder) {
		t.Fatalf("Cancel(%d) after it left: %v", id, err)
	}
	if _, err := b.Amend(id, 100, 1, nil); !errors.Is(err, ErrUnknownOrder) {
		t.Fatalf("Amend(%d) after it left: %v", id, err)
	}
}

// wantStrays fails t unless home counts n strays.
func wantStrays(t *testing.T, b *Book, home int32, n int) {
	t.Helper()
	if got := int(b.strays[home]); got != n {
		t.Fatalf("home %d counts %d strays, want %d", home, got, n)
	}
}

// TestHomesShared adds four IDs of one home and cancels them in every
// order, then adds them again: the first to arrive at a free home takes
// it, the others are strays, each found and counted exactly, and a stray
// stays one when its home frees.
func TestHomesShared(t *testing.T) {
	perms := [][]int{{0, 1, 2, 3}}
	for len(perms[0]) > 0 && len(perms) < 24 {
		// Every permutation of 0..3, by the next-permutation step.
		p := append([]int(nil), perms[len(perms)-1]...)
		i := len(p) - 2
		for p[i] >= p[i+1] {
			i--
		}
		j := len(p) - 1
		for p[j] <= p[i] {
			j--
		}
		p[i], p[j] = p[j], p[i]
		for a, z := i+1, len(p)-1; a < z; a, z = a+1, z-1 {
			p[a], p[z] = p[z], p[a]
		}
		perms = append(perms, p)
	}
	for _, perm := range perms {
		b := New(64, 64)
		ids, home := sameHome(b, 1, 4)
		for i, id := range ids {
			if _, err := b.Limit(homeBid(id, i), nil); err != nil {
				t.Fatal(err)
			}
			wantStrays(t, b, home, i)
			mustHomes(t, b)
		}
		for i, id := range ids {
			wantFound(t, b, id, homeBid(id, i).Qty, i == 0)
		}
		// Cancel in the order perm gives.
		left := []bool{true, true, true, true}
		for n, k := range perm {
			o, err := b.Cancel(ids[k])
			if want := homeBid(ids[k], k); err != nil || o != want {
				t.Fatalf("perm %v: Cancel(%d) = %+v, %v; want %+v", perm, ids[k], o, err, want)
			}
			left[k] = false
			wantGone(t, b, ids[k])
			strays := 0
			for i := 1; i < 4; i++ {
				if left[i] {
					strays++
					wantFound(t, b, ids[i], homeBid(ids[i], i).Qty, false)
				}
			}
			if left[0] {
				wantFound(t, b, ids[0], homeBid(ids[0], 0).Qty, true)
			}
			wantStrays(t, b, home, strays)
			if b.Len() != 3-n {
				t.Fatalf("perm %v: Len %d after %d cancels", perm, b.Len(), n+1)
			}
			mustHomes(t, b)
		}
		// Add them again in that order: the first takes the free home.
		for n, k := range perm {
			if _, err := b.Limit(homeBid(ids[k], k), nil); err != nil {
				t.Fatal(err)
			}
			wantFound(t, b, ids[k], homeBid(ids[k], k).Qty, n == 0)
			wantStrays(t, b, home, n)
			mustHomes(t, b)
		}
	}
}

// TestHomesStraysSticky adds 300 IDs of one home: the count of its strays
// is exact up to 254 and stays at 255 past it, for good, so that when
// most strays have left, and the order at home too, those left are still
// found.
func TestHomesStraysSticky(t *testing.T) {
	b := New(64, 64)
	ids, home := sameHome(b, 1, 300)
	for i, id := range ids {
		if _, err := b.Limit(homeBid(id, i), nil); err != nil {
			t.Fatal(err)
		}
		wantStrays(t, b, home, min(i, 255))
	}
	mustHomes(t, b)
	// The strays leave but the last ten, every seventh first.
	var order []int
	for r := range 7 {
		for i := 1 + r; i < 290; i += 7 {
			order = append(order, i)
		}
	}
	for n, i := range order {
		if _, err := b.Cancel(ids[i]); err != nil {
			t.Fatal(err)
		}
		wantStrays(t, b, home, 255)
		if n%50 == 0 {
			mustHomes(t, b)
		}
	}
	mustHomes(t, b)
	if b.Len() != 11 {
		t.Fatalf("Len %d, want 11", b.Len())
	}
	wantFound(t, b, ids[0], homeBid(ids[0], 0).Qty, true)
	if _, err := b.Cancel(ids[0]); err != nil {
		t.Fatal(err)
	}
	for i := 290; i < 300; i++ {
		wantFound(t, b, ids[i], homeBid(ids[i], i).Qty, false)
	}
	// A stray moved by Amend is found, at either price.
	if _, err := b.Amend(ids[295], 90, 4, nil); err != nil {
		t.Fatal(err)
	}
	wantFound(t, b, ids[295], 4, false)
	wantStrays(t, b, home, 255)
	mustHomes(t, b)
	for i := 290; i < 300; i++ {
		if _, err := b.Cancel(ids[i]); err != nil {
			t.Fatal(err)
		}
		wantGone(t, b, ids[i])
	}
	wantStrays(t, b, home, 255)
	mustHomes(t, b)
	// The home is free: the next order of it takes it.
	if _, err := b.Limit(homeBid(ids[7], 7), nil); err != nil {
		t.Fatal(err)
	}
	wantFound(t, b, ids[7], homeBid(ids[7], 7).Qty, true)
	mustHomes(t, b)
}

// TestHomesStrayOutlivesHome checks a stray whose home frees, by a
// cancel, a trade, self-trade prevention or an amend: it stays a stray
// and is found; the next order of its home takes the home, a taker too
// if it rests, having traded away the order there.
func TestHomesStrayOutlivesHome(t *testing.T) {
	b := New(64, 64)
	ids, home := sameHome(b, 1, 6)
	a, s, c := ids[0], ids[1], ids[2]
	for i, id := range ids[:2] {
		if _, err := b.Limit(homeBid(id, i), nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.Cancel(a); err != nil {
		t.Fatal(err)
	}
	wantGone(t, b, a)
	wantFound(t, b, s, homeBid(s, 1).Qty, false)
	wantStrays(t, b, home, 1)
	if _, err := b.Limit(homeBid(c, 2), nil); err != nil {
		t.Fatal(err)
	}
	wantFound(t, b, c, homeBid(c, 2).Qty, true)
	wantFound(t, b, s, homeBid(s, 1).Qty, false)
	mustHomes(t, b)
	// s, a stray, amends up at its price; c leaves the home free.
	if _, err := b.Amend(s, 101, 3, nil); err != nil { // s: 3 at 101
		t.Fatal(err)
	}
	if _, err := b.Cancel(c); err != nil {
		t.Fatal(err)
	}
	wantStrays(t, b, home, 1)
	// An ask of the home's next ID trades with s, the home being free:
	// it rests there, and s, filled, leaves the home no strays.
	x := ids[3]
	fills, err := b.Limit(Order{ID: x, Side: Sell, Type: GTC, Price: 101, Qty: 5}, nil)
	if err != nil || len(fills) != 1 || fills[0].Maker != s || !fills[0].MakerDone {
		t.Fatalf("fills %v, %v", fills, err)
	}
	wantGone(t, b, s)
	wantFound(t, b, x, 2, true)
	wantStrays(t, b, home, 0)
	mustHomes(t, b)

	// A taker whose home holds the maker it trades away rests there.
	y := ids[4]
	fills, err = b.Limit(Order{ID: y, Side: Buy, Type: GTC, Price: 101, Qty: 3}, nil)
	if err != nil || len(fills) != 1 || fills[0].Maker != x || !fills[0].MakerDone {
		t.Fatalf("fills %v, %v", fills, err)
	}
	wantGone(t, b, x)
	wantFound(t, b, y, 1, true)
	wantStrays(t, b, home, 0)
	mustHomes(t, b)
	if _, err := b.Cancel(y); err != nil {
		t.Fatal(err)
	}

	// Self-trade prevention: a resting order at the taker's home
	// cancelled (CancelResting), the taker resting there; and both
	// cancelled (CancelBoth).
	for _, stp := range []STP{CancelResting, CancelBoth} {
		if _, err := b.Limit(Order{ID: a, Side: Sell, Type: GTC, Price: 105, Qty: 1, Owner: 7}, nil); err != nil {
			t.Fatal(err)
		}
		wantFound(t, b, a, 1, true)
		fills, err = b.Limit(Order{ID: c, Side: Buy, Type: GTC, Price: 105, Qty: 2, Owner: 7, STP: stp}, nil)
		if err != nil || len(fills) != 1 || fills[0].Maker != a || fills[0].Qty != 0 {
			t.Fatalf("%v: fills %v, %v", stp, fills, err)
		}
		wantGone(t, b, a)
		if stp == CancelResting {
			wantFound(t, b, c, 2, true)
			if _, err := b.Cancel(c); err != nil {
				t.Fatal(err)
			}
		} else {
			wantGone(t, b, c)
		}
		wantStrays(t, b, home, 0)
		mustHomes(t, b)
	}

	// A stray that amends to a price that trades it in full leaves, and
	// its home counts it no more; one that trades in part stays a stray.
	for _, qty := range []int64{1, 2} {
		if _, err := b.Limit(Order{ID: a, Side: Sell, Type: GTC, Price: 200, Qty: 9}, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Limit(homeBid(s, 0), nil); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Limit(Order{ID: ids[5], Side: Sell, Type: GTC, Price: 150, Qty: 1}, nil); err != nil {
			t.Fatal(err)
		}
		wantFound(t, b, ids[5], 1, false)
		wantStrays(t, b, home, 2)
		fills, err = b.Amend(s, 150, qty, nil)
		if err != nil || len(fills) != 1 || fills[0].Maker != ids[5] {
			t.Fatalf("fills %v, %v", fills, err)
		}
		wantGone(t, b, ids[5])
		if qty == 1 {
			wantGone(t, b, s)
			wantStrays(t, b, home, 0)
		} else {
			wantFound(t, b, s, 1, false)
			wantStrays(t, b, home, 1)
			if _, err := b.Cancel(s); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := b.Cancel(a); err != nil {
			t.Fatal(err)
		}
		mustHomes(t, b)
	}
	// A market order and an IOC order take strays and the order at home.
	for i, id := range ids[:3] {
		if _, err := b.Limit(Order{ID: id, Side: Sell, Type: GTC, Price: 120 + int64(i), Qty: 1}, nil); err != nil {
			t.Fatal(err)
		}
	}
	wantStrays(t, b, home, 2)
	if fills, err = b.Market(Order{ID: ids[3], Side: Buy, Type: IOC, Qty: 2}, nil); err != nil || len(fills) != 2 {
		t.Fatalf("fills %v, %v", fills, err)
	}
	wantGone(t, b, ids[0])
	wantGone(t, b, ids[1])
	wantStrays(t, b, home, 1)
	if fills, err = b.Limit(Order{ID: ids[4], Side: Buy, Type: FOK, Price: 122, Qty: 1}, nil); err != nil || len(fills) != 1 {
		t.Fatalf("fills %v, %v", fills, err)
	}
	wantStrays(t, b, home, 0)
	if b.Len() != 0 {
		t.Fatalf("Len %d", b.Len())
	}
	mustHomes(t, b)
}

// TestHomesFixedFull fills a fixed book with orders of one home, all but
// the first strays: it holds its capacity with no allocation, refuses the
// next order with ErrBookFull, and turns strays over without allocating.
func TestHomesFixedFull(t *testing.T) {
	const n = 40
	leastFill, leastTurn := uint64(1<<63), uint64(1<<63)
	for range 3 { // the least of three, as CheckMallocs takes
		b := NewFixed(n, n)
		ids, home := sameHome(b, 1, n+2)
		var errs [n]error
		got := dectest.Mallocs(0, 1, func() {
			for i, id := range ids[:n] {
				_, errs[i] = b.Limit(homeBid(id, i), nil)
			}
		})
		for i, err := range errs {
			if err != nil {
				t.Fatalf("order %d of %d: %v", i, n, err)
			}
		}
		leastFill = min(leastFill, got)
		if _, err := b.Limit(homeBid(ids[n], n), nil); !errors.Is(err, ErrBookFull) {
			t.Fatalf("order %d of a book of %d: %v", n+1, n, err)
		}
		wantStrays(t, b, home, n-1)
		mustHomes(t, b)
		// Strays leave and come back: ID n takes the place of ID 1, and
		// ID n+1 that of ID n, ... each a stray.
		cur := []OrderID{ids[1], ids[n], ids[n+1]}
		got = dectest.Mallocs(0, 300, func() {
			if _, err := b.Cancel(cur[0]); err != nil {
				errs[0] = err
			}
			if _, err := b.Limit(homeBid(cur[1], 1), nil); err != nil {
				errs[0] = err
			}
			cur[0], cur[1], cur[2] = cur[1], cur[2], cur[0]
		})
		if errs[0] != nil {
			t.Fatal(errs[0])
		}
		leastTurn = min(leastTurn, got)
		wantStrays(t, b, home, n-1)
		mustHomes(t, b)
		if b.Len() != n {
			t.Fatalf("Len %d, want %d", b.Len(), n)
		}
	}
	if leastFill != 0 {
		t.Errorf("%d allocations filling a fixed book with strays, want 0", leastFill)
	}
	if leastTurn != 0 {
		t.Errorf("%d allocations turning its strays over 300 times, want 0", leastTurn)
	}
}

// TestHomesReset checks that Reset frees every home and zeroes the
// strays' counts: the orders gone are not found, and the same orders
// added again take their homes, the first of each.
func TestHomesReset(t *testing.T) {
	b := New(64, 64)
	add := func() {
		first := map[int32]bool{}
		count := map[int32]int{}
		for i := range 300 {
			id := OrderID(1 + i)
			if _, err := b.Limit(homeBid(id, i), nil); err != nil {
				t.Fatal(err)
			}
			home := b.home(b.ids.tag(id))
			wantFound(t, b, id, homeBid(id, i).Qty, !first[home])
			if first[home] {
				count[home]++
			}
			first[home] = true
		}
		for h := int32(2); h < int32(b.homeEnd()); h++ {
			wantStrays(t, b, h, min(count[h], 255))
		}
		mustHomes(t, b)
	}
	add()
	b.Reset()
	for h := range b.strays {
		if b.strays[h] != 0 {
			t.Fatalf("home %d counts %d strays after Reset", h, b.strays[h])
		}
	}
	for i := range 300 {
		wantGone(t, b, OrderID(1+i))
	}
	mustHomes(t, b)
	add()
}

// TestHomesNone checks books without homes: the zero value, New(0, n),
// and a fixed book of more orders than maxHomes, made here as
// reserveHomes makes one (without reserving gigabytes). Every order is a
// stray, found through the ID table, and the fixed book holds its
// capacity with no allocation.
func TestHomesNone(t *testing.T) {
	const n = 50
	over := func() *Book {
		b := NewFixed(n, n)
		b.homes, b.homeShift, b.strays = 0, 0, nil // as for orders > maxHomes
		b.orders = make([]order, 1, n+1)
		b.owners = make([]OwnerID, 1, n+1)
		return b
	}
	for name, b := range map[string]*Book{"zero": new(Book), "New(0, n)": New(0, 10), "over maxHomes": over()} {
		var errs [n]error
		got := dectest.Mallocs(0, 1, func() {
			for i := range n {
				_, errs[i] = b.Limit(homeBid(OrderID(1+i), i), nil)
			}
		})
		for i, err := range errs {
			if err != nil {
				t.Fatalf("%s: order %d: %v", name, i, err)
			}
		}
		if b.homes != 0 || b.homeEnd() != 1 {
			t.Fatalf("%s: %d homes", name, b.homes)
		}
		if b.fixed {
			if got != 0 {
				t.Errorf("%s: %d allocations filling the book", name, got)
			}
			if _, err := b.Limit(homeBid(n+1, 0), nil); !errors.Is(err, ErrBookFull) {
				t.Fatalf("%s: order %d: %v", name, n+1, err)
			}
		}
		for i := range n {
			wantFound(t, b, OrderID(1+i), homeBid(0, i).Qty, false)
		}
		mustHomes(t, b)
		for i := 0; i < n; i += 2 {
			if _, err := b.Cancel(OrderID(1 + i)); err != nil {
				t.Fatal(err)
			}
			wantGone(t, b, OrderID(1+i))
		}
		mustHomes(t, b)
		b.Reset()
		for i := range n {
			wantGone(t, b, OrderID(1+i))
		}
		for i := range n {
			if _, err := b.Limit(homeBid(OrderID(1+i), i), nil); err != nil {
				t.Fatal(err)
			}
		}
		for i := range n {
			wantFound(t, b, OrderID(1+i), homeBid(0, i).Qty, false)
		}
		mustHomes(t, b)
	}
}

// TestHomesHandleLimit checks roomFor's bound on a growing book: it lets
// an order rest while the handle it would take as a stray, were every
// order one (end+nOrders), is less than maxHandle, and no further.
func TestHomesHandleLimit(t *testing.T) {
	for _, b := range []*Book{new(Book), New(0, 1), New(100, 10), New(1000, 10)} {
		end := b.homeEnd()
		n := maxHandle - end // the orders resting when roomFor first says no
		b.nOrders = n - 1
		if !b.roomFor(true) {
			t.Fatalf("%d homes: no room at %d orders", b.homes, n-1)
		}
		b.nOrders = n
		if b.roomFor(true) {
			t.Fatalf("%d homes: room at %d orders: the next stray's handle would be %d", b.homes, n, end+n)
		}
	}
}
