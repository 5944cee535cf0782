package drive_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/engine"
	"github.com/derivmath/derivmath/engine/drive"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/derivmath/derivmath/orderbook"
)

// takeoverDriver: BitMEX's rules on newState's contract, the mark at 99.5,
// trader 1 long 1,000 @ 100 with margin 1,000 (P_B 99) taken over by the
// fund, whose GTC sell of 1,000 at 99 is open; trader 0 the street. The
// driver's book is empty.
func takeoverDriver(t *testing.T) (*drive.Driver, engine.IntentID) {
	t.Helper()
	ctx := derivmath.NewContext()
	p := engine.PresetBitMEX()
	p.Partial, p.RiskLimits = engine.PartialNone, nil
	s, err := contract.New(contract.Params{Kind: contract.Linear, Multiplier: "1", Tick: "0.25", Lot: "1", Minor: "0.01"})
	if err != nil {
		t.Fatal(err)
	}
	st, err := engine.New(ctx, s, p)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetMark(d("100")); err != nil {
		t.Fatal(err)
	}
	street := &engine.Trader{Mode: account.Cross, Tier: -1}
	street.Wallet.Set(d("1000000"))
	long := &engine.Trader{Mode: account.Isolated, Tier: -1}
	long.Margin.Set(d("1000"))
	long.Qty.Set(d("1000"))
	long.Cost.Set(d("100000"))
	long.MMR.Set(d("0.005"))
	short := &engine.Trader{Mode: account.Cross, Tier: -1}
	short.Wallet.Set(d("100000"))
	short.Qty.Set(d("-1000"))
	short.Cost.Set(d("-100000"))
	short.MMR.Set(d("0.005"))
	for _, tr := range []*engine.Trader{street, long, short} {
		if _, err := st.Add(tr); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.SetFund(d("0")); err != nil {
		t.Fatal(err)
	}
	if err := st.SetMark(d("99.5")); err != nil {
		t.Fatal(err)
	}
	ev, ok, err := st.Trigger(nil, 1)
	if err != nil || !ok {
		t.Fatalf("Trigger: %v, %v", ok, err)
	}
	if ev, err = st.Cancel(ev, 1); err != nil {
		t.Fatal(err)
	}
	_, id, err := st.Takeover(ev, 1)
	if err != nil || id == 0 {
		t.Fatalf("Takeover: %d, %v", id, err)
	}
	if in := st.Intent(id); in.TIF != engine.GTC || in.Holder != engine.Fund || in.Qty.Cmp(d("1000")) != 0 {
		t.Fatalf("takeover intent %+v, want the fund's GTC of 1000", in)
	}
	return drive.New(ctx, st, orderbook.New(256, 256), 1), id
}

// TestAllocs checks the driver in its steady state (a book with memory
// reserved, an events slice with room): Place, which records each order's
// owner and sweeps the record (a sweep allocates nothing, says sweep), and
// Send of an open GTC intent, filling nothing or filling against an order
// Place rested.
//
// As orderbook's TestAllocs does, it counts every allocation of the runs
// of each row, not the average that testing.AllocsPerRun rounds down, so
// that a record that grows now and then is seen; the least count of three
// attempts, each on a driver built afresh, keeps out the runtime's own
// allocations. The warm-up of 200 calls lets the owners record reach its
// sweep size (64) and be swept. Each row runs 1,000 times, but for "Place
// a bid, Send fills it", which fills 1 of the fund's 1,000 contracts each
// run: it runs 700 times after its warm-up.
func TestAllocs(t *testing.T) {
	const warm, attempts = 200, 3
	var least []uint64
	var names []string
	for range attempts {
		dr, id := takeoverDriver(t)
		ev := make([]engine.Event, 0, 64)
		bid, one, low := d("99.25"), d("1"), d("98")
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		for i, tc := range []struct {
			name string
			runs int
			fn   func()
		}{
			{"Send GTC to an empty book", 1000, func() {
				var err error
				ev, err = dr.Send(ev[:0], id)
				must(err)
				if len(ev) != 0 {
					t.Fatalf("events %v", ev)
				}
			}},
			{"Place, Book.Cancel (the record swept every 64 places)", 1000, func() {
				oid, err := dr.Place(0, orderbook.Buy, low, one)
				must(err)
				_, err = dr.Book.Cancel(oid)
				must(err)
			}},
			{"Place a bid, Send fills it", 700, func() {
				_, err := dr.Place(0, orderbook.Buy, bid, one)
				must(err)
				ev, err = dr.Send(ev[:0], id)
				must(err)
				if len(ev) == 0 || dr.Book.Len() != 0 {
					t.Fatalf("events %v, book %d orders", ev, dr.Book.Len())
				}
			}},
		} {
			n := dectest.Mallocs(warm, tc.runs, tc.fn)
			if i == len(least) {
				least = append(least, n)
				names = append(names, fmt.Sprintf("%s, %d runs", tc.name, tc.runs))
			}
			least[i] = min(least[i], n)
		}
		if n := drive.Owners(dr); n > 64 {
			t.Errorf("the driver records %d owners, want at most 64", n)
		}
	}
	for i, n := range least {
		if n != 0 {
			t.Errorf("%s: %d allocations, want 0", names[i], n)
		}
	}
}

// TestAllocsErrors checks that Place and Send allocate nothing when they
// fail, for each error of their own and those of the contract, the book
// and the state they pass on. Each call must fail with the error named,
// on every run.
//
// As TestAllocs does, it counts every allocation of 1,000 runs of each
// row, the least of three attempts on drivers built afresh, so that an
// error path that allocates now and then is seen.
func TestAllocsErrors(t *testing.T) {
	dectest.CheckMallocs(t, 3, 1, 1000, func() []dectest.AllocCase { return errorCases(t) })
}

// errorCases builds the drivers of TestAllocsErrors afresh, and returns
// its rows.
func errorCases(t *testing.T) []dectest.AllocCase {
	t.Helper()
	dr, id := takeoverDriver(t)
	ev := make([]engine.Event, 0, 64)
	one, bid := d("1"), d("99.25")
	if _, err := dr.Place(2, orderbook.Sell, d("101"), one); err != nil {
		t.Fatal(err)
	}
	nilDr := drive.New(nil, dr.State, dr.Book, 1)
	// A foreign bid (not placed by the driver) for ErrOwner, on a book
	// of its own.
	foreign := drive.New(derivmath.NewContext(), dr.State, orderbook.New(16, 16), 1)
	px, err := dr.State.Spec().Ticks(derivmath.NewContext(), bid)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := foreign.Book.Limit(orderbook.Order{ID: 7, Price: px, Qty: 1, Side: orderbook.Buy, Type: orderbook.GTC, Owner: 99}, nil); err != nil {
		t.Fatal(err)
	}
	// dYdX's rules: the fund, empty, cannot pay for the takeover's fill.
	ctx := derivmath.NewContext()
	st := newState(t, ctx, engine.PresetDYDX())
	if err := st.SetFund(d("0")); err != nil {
		t.Fatal(err)
	}
	broke := drive.New(ctx, st, orderbook.New(16, 16), 1)
	if _, err := broke.Place(0, orderbook.Buy, d("98"), one); err != nil {
		t.Fatal(err)
	}
	if err := st.SetMark(d("98")); err != nil {
		t.Fatal(err)
	}
	lev, err := broke.Liquidate(nil, 1, 3)
	if !errors.Is(err, engine.ErrNegativeFund) {
		t.Fatalf("Liquidate: %v, want ErrNegativeFund", err)
	}
	brokeID := lev[len(lev)-1].Intent

	place := func(dr *drive.Driver, trader int, s orderbook.Side, price, qty *apd.Decimal) func() error {
		return func() error { _, err := dr.Place(trader, s, price, qty); return err }
	}
	send := func(dr *drive.Driver, id engine.IntentID) func() error {
		return func() (err error) { ev, err = dr.Send(ev[:0], id); return err }
	}
	var rows []dectest.AllocCase
	for _, tc := range []struct {
		name string
		want error
		fn   func() error
	}{
		{"Place trader", engine.ErrTrader, place(dr, -1, orderbook.Buy, bid, one)},
		{"Place fund", engine.ErrTrader, place(dr, engine.Fund, orderbook.Buy, bid, one)},
		{"Place nil context", derivmath.ErrContext, place(nilDr, 0, orderbook.Buy, bid, one)},
		{"Place off the tick", contract.ErrOffTick, place(dr, 0, orderbook.Buy, d("99.3"), one)},
		{"Place off the lot", contract.ErrOffLot, place(dr, 0, orderbook.Buy, bid, d("0.5"))},
		{"Place NaN", derivmath.ErrNaN, place(dr, 0, orderbook.Buy, d("NaN"), one)},
		{"Place crossing", orderbook.ErrWouldCross, place(dr, 0, orderbook.Buy, d("101"), one)},
		{"Place side", orderbook.ErrInvalidSide, place(dr, 0, 0, bid, one)},
		{"Send unknown intent", engine.ErrUnknownIntent, send(dr, id+1000)},
		{"Send nil context", derivmath.ErrContext, send(nilDr, id)},
		{"Send against a foreign order", drive.ErrOwner, send(foreign, id)},
		{"Send refused by Execute", engine.ErrNegativeFund, send(broke, brokeID)},
	} {
		rows = append(rows, dectest.Fails(t, tc.name, tc.want, tc.fn))
	}
	return rows
}
