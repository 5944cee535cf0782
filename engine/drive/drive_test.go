package drive_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/engine"
	"github.com/derivmath/derivmath/engine/drive"
	"github.com/derivmath/derivmath/orderbook"
)

func d(s string) *apd.Decimal {
	x, _, err := apd.NewFromString(s)
	if err != nil {
		panic(err)
	}
	return x
}

// newState: rules p on a linear contract (tick 0.25), the mark at 100;
// trader 0 the street (bids), trader 1 long 1 @ 100 with margin 1 (P_B
// 99), trader 2 short 1 @ 100.
func newState(t testing.TB, ctx *apd.Context, p *engine.Preset) *engine.State {
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
	street.Wallet.Set(d("1000"))
	long := &engine.Trader{Mode: account.Isolated, Tier: -1}
	long.Margin.Set(d("1"))
	long.Qty.Set(d("1"))
	long.Cost.Set(d("100"))
	long.MMR.Set(d("0.005"))
	short := &engine.Trader{Mode: account.Cross, Tier: -1}
	short.Wallet.Set(d("100"))
	short.Qty.Set(d("-1"))
	short.Cost.Set(d("-100"))
	short.MMR.Set(d("0.005"))
	for _, tr := range []*engine.Trader{street, long, short} {
		if _, err := st.Add(tr); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

// total sets z to st's total money, or fails the test: a conservation
// check between two totals that were never set compares 0 with 0.
func total(t testing.TB, st *engine.State, z *apd.Decimal) {
	t.Helper()
	if err := st.Total(z); err != nil {
		t.Fatalf("Total: %v", err)
	}
}

// setup: newState under BitMEX's rules, an empty fund, and a driver on a
// book with the street's bid at bid, if any.
func setup(t testing.TB, bid string) (*drive.Driver, *engine.State) {
	ctx := derivmath.NewContext()
	p := engine.PresetBitMEX()
	p.Partial, p.RiskLimits = engine.PartialNone, nil
	st := newState(t, ctx, p)
	if err := st.SetFund(d("0")); err != nil {
		t.Fatal(err)
	}
	dr := drive.New(ctx, st, orderbook.New(16, 16), 1)
	if bid != "" {
		if _, err := dr.Place(0, orderbook.Buy, d(bid), d("1")); err != nil {
			t.Fatal(err)
		}
	}
	return dr, st
}

// TestLiquidateI1: the fund's limit at P_B 99.00 meets a bid at 99.25: the
// fund gains 0.25 (the example of BitMEX's liquidation page), through the book.
func TestLiquidateI1(t *testing.T) {
	dr, st := setup(t, "99.25")
	var before, after apd.Decimal
	total(t, st, &before)
	if err := st.SetMark(d("99.5")); err != nil {
		t.Fatal(err)
	}
	ev, err := dr.Liquidate(nil, 1, 3)
	if err != nil {
		t.Fatal(err)
	}
	var fund apd.Decimal
	st.FundBalance(&fund)
	if fund.Cmp(d("0.25")) != 0 {
		t.Fatalf("fund %s, want 0.25", fund.String())
	}
	total(t, st, &after)
	if before.Cmp(&after) != 0 {
		t.Fatalf("total %s -> %s", before.String(), after.String())
	}
	if len(ev) == 0 {
		t.Fatal("no events")
	}
}

// TestLiquidateADL: an empty book: the fund's inventory is deleveraged
// against the short at the bankruptcy price.
func TestLiquidateADL(t *testing.T) {
	dr, st := setup(t, "")
	if err := st.SetMark(d("99.5")); err != nil {
		t.Fatal(err)
	}
	if _, err := dr.Liquidate(nil, 1, 3); err != nil {
		t.Fatal(err)
	}
	if !st.Trader(2).Qty.IsZero() || !st.Trader(engine.Fund).Qty.IsZero() {
		t.Fatalf("short %s, fund %s after ADL", st.Trader(2).Qty.String(), st.Trader(engine.Fund).Qty.String())
	}
	// The short closed at 99: +1.
	if st.Trader(2).Wallet.Cmp(d("101")) != 0 {
		t.Fatalf("short wallet %s, want 101", st.Trader(2).Wallet.String())
	}
}

// fundHoldsLong sets up BitMEX's trigger with 10 in the fund and moves the
// mark to 99.5, where the fund takes the long (trader 1) over at its
// bankruptcy price 99 and keeps it. It returns the money's total from
// before the mark moved.
func fundHoldsLong(t *testing.T) (*drive.Driver, *engine.State, *apd.Decimal) {
	t.Helper()
	dr, st := setup(t, "")
	dr.Trigger = true
	if err := st.SetFund(d("10")); err != nil {
		t.Fatal(err)
	}
	before := new(apd.Decimal)
	total(t, st, before)
	if err := st.SetMark(d("99.5")); err != nil {
		t.Fatal(err)
	}
	if _, err := dr.Liquidate(nil, 1, 3); err != nil {
		t.Fatal(err)
	}
	return dr, st, before
}

// TestDeleverage: with BitMEX's trigger and 10 in the fund, the fund keeps
// the long's inventory (taken at P_B 99) while the mark is above 99, and
// Deleverage closes it against the short once the mark reaches 99.
func TestDeleverage(t *testing.T) {
	dr, st, before := fundHoldsLong(t)
	var after apd.Decimal
	if st.Trader(engine.Fund).Qty.Cmp(d("1")) != 0 {
		t.Fatalf("fund holds %s, want 1: ADL before the mark reached P_B", st.Trader(engine.Fund).Qty.String())
	}
	ev, err := dr.Deleverage(nil)
	if err != nil || len(ev) != 0 {
		t.Fatalf("Deleverage at 99.5: %d events, %v", len(ev), err)
	}
	if err := st.SetMark(d("99")); err != nil {
		t.Fatal(err)
	}
	if ev, err = dr.Deleverage(nil); err != nil || len(ev) == 0 {
		t.Fatalf("Deleverage at 99: %d events, %v", len(ev), err)
	}
	if !st.Trader(2).Qty.IsZero() || !st.Trader(engine.Fund).Qty.IsZero() {
		t.Fatalf("short %s, fund %s after ADL", st.Trader(2).Qty.String(), st.Trader(engine.Fund).Qty.String())
	}
	total(t, st, &after)
	if before.Cmp(&after) != 0 {
		t.Fatalf("total %s -> %s", before.String(), after.String())
	}
}

// TestDeleverageFundIntent: under BitMEX's rules the caller takes the
// long over by hand and keeps the fund's GTC intent open to work it; at
// the mark 99 Deleverage closes the fund's inventory against the short,
// and ADL closes the intent with it (a Closed event with the 1 left, as
// Deleverage's doc says): a Send of it is refused with
// engine.ErrUnknownIntent and leaves the book as it was. (Before ADL
// fitted the intents, the intent stayed open for 1 and its Send into a
// bid failed with engine.ErrOverfill.)
func TestDeleverageFundIntent(t *testing.T) {
	dr, st := setup(t, "")
	dr.Trigger = true
	if err := st.SetFund(d("10")); err != nil {
		t.Fatal(err)
	}
	if err := st.SetMark(d("99.5")); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := st.Trigger(nil, 1); err != nil || !ok {
		t.Fatal(ok, err)
	}
	if _, err := st.Cancel(nil, 1); err != nil {
		t.Fatal(err)
	}
	_, id, err := st.Takeover(nil, 1)
	if err != nil || id == 0 {
		t.Fatalf("Takeover: intent %d, %v", id, err)
	}
	if err := st.SetMark(d("99")); err != nil {
		t.Fatal(err)
	}
	ev, err := dr.Deleverage(nil)
	if err != nil || len(ev) == 0 {
		t.Fatalf("Deleverage at 99: %d events, %v", len(ev), err)
	}
	if !st.Trader(engine.Fund).Qty.IsZero() || st.Intent(id) != nil {
		t.Fatalf("after Deleverage the fund holds %s, its intent open %v; want 0, false", st.Trader(engine.Fund).Qty.String(), st.Intent(id) != nil)
	}
	closed := false
	for k := range ev {
		if e := &ev[k]; e.Kind == engine.Closed && e.Intent == id {
			closed = e.Trader == engine.Fund && e.Step == engine.StepADL && e.Qty.Cmp(d("1")) == 0
		}
	}
	if !closed {
		t.Errorf("Deleverage's events hold no S7 Closed of the fund's intent %d with 1 left", id)
	}
	if _, err := dr.Place(0, orderbook.Buy, d("99"), d("1")); err != nil {
		t.Fatal(err)
	}
	if _, err := dr.Send(nil, id); !errors.Is(err, engine.ErrUnknownIntent) {
		t.Fatalf("Send(%d) after Deleverage: %v, want ErrUnknownIntent", id, err)
	}
	if dr.Book.Len() != 1 {
		t.Errorf("the refused Send changed the book (%d orders)", dr.Book.Len())
	}
}

// TestPlaceRefusedChangesNothing: an order Place refuses (its trader not in
// the state, or a price that crosses the book) leaves the book as it was.
func TestPlaceRefusedChangesNothing(t *testing.T) {
	dr, _ := setup(t, "99")
	if dr.Book.Len() != 1 {
		t.Fatalf("book holds %d orders, want 1", dr.Book.Len())
	}
	for _, tr := range []int{-1, 3, 1 << 20} {
		if _, err := dr.Place(tr, orderbook.Sell, d("101"), d("1")); !errors.Is(err, engine.ErrTrader) {
			t.Errorf("Place(trader %d): %v, want ErrTrader", tr, err)
		}
	}
	if _, err := dr.Place(2, orderbook.Sell, d("98"), d("1")); err == nil {
		t.Fatal("a sell at 98 against a bid at 99 was placed")
	}
	if dr.Book.Len() != 1 {
		t.Fatalf("after refused orders the book holds %d orders, want 1", dr.Book.Len())
	}
	if lv, ok := dr.Book.BestBid(); !ok || lv.Qty != 1 {
		t.Fatalf("best bid %+v %v, want the street's bid of 1 untouched", lv, ok)
	}
	// Nor do they spend an ID: the next order placed gets the one after
	// the street's bid, the driver's first (1<<62 + 1).
	id, err := dr.Place(2, orderbook.Sell, d("101"), d("1"))
	if err != nil {
		t.Fatal(err)
	}
	if want := orderbook.OrderID(1<<62 + 2); id != want {
		t.Errorf("after refused orders, the next order's ID is %d, want %d", id, want)
	}
}

// TestSendSkipsOwnOrders: under Binance's rules the liquidated long closes
// itself; its own bid, placed earlier and still on the book, would be the
// maker of its sell. The self-trade is prevented (its resting order is
// cancelled) and the sell fills against the street, so the book and the
// state stay in step.
func TestSendSkipsOwnOrders(t *testing.T) {
	ctx := derivmath.NewContext()
	p := engine.PresetBinance()
	p.Partial, p.RiskLimits, p.ClearanceFee = engine.PartialNone, nil, apd.Decimal{}
	st := newState(t, ctx, p)
	dr := drive.New(ctx, st, orderbook.New(16, 16), 1)
	if _, err := dr.Place(1, orderbook.Buy, d("99.5"), d("1")); err != nil {
		t.Fatal(err)
	}
	if _, err := dr.Place(0, orderbook.Buy, d("99.25"), d("1")); err != nil {
		t.Fatal(err)
	}
	if err := st.SetMark(d("99.25")); err != nil {
		t.Fatal(err)
	}
	if _, err := dr.Liquidate(nil, 1, 0); err != nil {
		t.Fatal(err)
	}
	if q := &st.Trader(1).Qty; !q.IsZero() {
		t.Errorf("liquidated long holds %s, want 0", q.String())
	}
	if q := &st.Trader(0).Qty; q.Cmp(d("1")) != 0 {
		t.Errorf("street holds %s, want 1", q.String())
	}
	if dr.Book.Len() != 0 {
		t.Errorf("book holds %d orders, want 0", dr.Book.Len())
	}
}

// TestLiquidateNetsFundInventory: the fund keeps the long it took over;
// when the short on the other side is taken over next, the fund's
// inventory nets to zero and Liquidate has no order to send.
func TestLiquidateNetsFundInventory(t *testing.T) {
	dr, st, before := fundHoldsLong(t)
	var after apd.Decimal
	if err := st.SetMark(d("199.5")); err != nil {
		t.Fatal(err)
	}
	if _, err := dr.Liquidate(nil, 2, 3); err != nil {
		t.Fatal(err)
	}
	if q := &st.Trader(engine.Fund).Qty; !q.IsZero() {
		t.Errorf("fund holds %s, want 0", q.String())
	}
	if n := st.Intents(); n != 0 {
		t.Errorf("%d open intents, want 0", n)
	}
	total(t, st, &after)
	if before.Cmp(&after) != 0 {
		t.Errorf("total %s -> %s", before.String(), after.String())
	}
}

// TestSendRefusedChangesNothing: under dYdX's rules the fund pays the
// difference when a liquidation fills worse than bankruptcy. The long's
// bankruptcy price is 99, the takeover's sell at the mark, 98, would fill
// against the street's bid at 98, and the fund, empty, cannot pay the 1:
// Execute refuses the fill with ErrNegativeFund. The book must still hold
// the street's bids, the intent stay open and the long keep its position,
// however often the intent is sent.
func TestSendRefusedChangesNothing(t *testing.T) {
	ctx := derivmath.NewContext()
	st := newState(t, ctx, engine.PresetDYDX())
	if err := st.SetFund(d("0")); err != nil {
		t.Fatal(err)
	}
	dr := drive.New(ctx, st, orderbook.New(16, 16), 1)
	for _, px := range []string{"98", "90"} {
		if _, err := dr.Place(0, orderbook.Buy, d(px), d("1")); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.SetMark(d("98")); err != nil {
		t.Fatal(err)
	}
	book := slices.Collect(dr.Book.Orders(orderbook.Buy))
	var total apd.Decimal
	if err := st.Total(&total); err != nil {
		t.Fatal(err)
	}
	ev, err := dr.Liquidate(nil, 1, 3)
	if !errors.Is(err, engine.ErrNegativeFund) {
		t.Fatalf("Liquidate: %v, want ErrNegativeFund; events:\n%v", err, ev)
	}
	if st.Intents() != 1 {
		t.Fatalf("%d open intents, want the takeover's", st.Intents())
	}
	id := ev[len(ev)-1].Intent
	for range 2 {
		if got := slices.Collect(dr.Book.Orders(orderbook.Buy)); !slices.Equal(got, book) {
			t.Fatalf("the book's bids %+v, want %+v untouched", got, book)
		}
		if q := &st.Trader(1).Qty; q.Cmp(d("1")) != 0 {
			t.Fatalf("the long holds %s, want 1", q.String())
		}
		var x apd.Decimal
		if err := st.Total(&x); err != nil || x.Cmp(&total) != 0 {
			t.Fatalf("total %s (%v), want %s", x.String(), err, total.String())
		}
		if st.Intent(id) == nil {
			t.Fatalf("intent %d withdrawn", id)
		}
		if _, err := dr.Send(nil, id); !errors.Is(err, engine.ErrNegativeFund) {
			t.Fatalf("Send(%d): %v, want ErrNegativeFund", id, err)
		}
	}
	// Nor do the refused Sends spend an order ID: the next order placed
	// gets the one after the two bids (1<<62 + 1 and + 2).
	oid, err := dr.Place(0, orderbook.Sell, d("120"), d("1"))
	if err != nil {
		t.Fatal(err)
	}
	if want := orderbook.OrderID(1<<62 + 3); oid != want {
		t.Errorf("after refused Sends, the next order's ID is %d, want %d", oid, want)
	}
}

// TestLiquidateAgainAfterRefusedSend: the refused takeover of
// TestSendRefusedChangesNothing stays open after Liquidate. Run again
// before it is sent or withdrawn, Liquidate returns engine.ErrIntentOpen
// (the engine's Takeover refuses a second takeover intent for the same
// position) and opens nothing; withdrawn first, the second Liquidate opens
// one intent, refused again (dYdX's fund is empty: engine.ErrNegativeFund).
// Before the engine refused, the second Liquidate opened a second intent
// for the same position of 1 beside the first.
func TestLiquidateAgainAfterRefusedSend(t *testing.T) {
	for _, withdraw := range []bool{false, true} {
		ctx := derivmath.NewContext()
		st := newState(t, ctx, engine.PresetDYDX())
		if err := st.SetFund(d("0")); err != nil {
			t.Fatal(err)
		}
		dr := drive.New(ctx, st, orderbook.New(16, 16), 1)
		if _, err := dr.Place(0, orderbook.Buy, d("98"), d("1")); err != nil {
			t.Fatal(err)
		}
		if err := st.SetMark(d("98")); err != nil {
			t.Fatal(err)
		}
		ev, err := dr.Liquidate(nil, 1, 3)
		if !errors.Is(err, engine.ErrNegativeFund) || st.Intents() != 1 {
			t.Fatalf("Liquidate: %v, %d intents open; want ErrNegativeFund, 1", err, st.Intents())
		}
		want := engine.ErrIntentOpen
		if withdraw {
			if _, err := st.Withdraw(nil, ev[len(ev)-1].Intent); err != nil {
				t.Fatal(err)
			}
			want = engine.ErrNegativeFund
		}
		if _, err := dr.Liquidate(nil, 1, 3); !errors.Is(err, want) {
			t.Fatalf("withdrawn %v: Liquidate again: %v, want %v", withdraw, err, want)
		}
		if st.Intents() != 1 {
			t.Errorf("withdrawn %v: %d intents open after Liquidate again, want 1", withdraw, st.Intents())
		}
	}
}

// TestNilContext: a driver made with a nil context returns
// derivmath.ErrContext from Place, and leaves the book as it was.
func TestNilContext(t *testing.T) {
	dr, st := setup(t, "99")
	nilDr := drive.New(nil, st, dr.Book, 1)
	if _, err := nilDr.Place(2, orderbook.Sell, d("101"), d("1")); !errors.Is(err, derivmath.ErrContext) {
		t.Fatalf("Place with a nil context: %v, want ErrContext", err)
	}
	if dr.Book.Len() != 1 {
		t.Fatalf("book holds %d orders, want 1", dr.Book.Len())
	}
}

// TestOwnersBounded: orders placed with Place that leave the book without
// the driver seeing them go (cancelled by the caller on the book, or
// filled by an order the caller sent to the book itself) are forgotten,
// so that the driver's record of owners stays within its documented bound
// (64, or twice the driver's orders resting at its last sweep) however
// long it runs; it used to keep every such order until its trader was
// liquidated. The street's bid, resting throughout, stays known: the
// fund's close fills against it afterwards (TestLiquidateI1's case), and
// Liquidate's cancel forgets whatever else has left the book.
func TestOwnersBounded(t *testing.T) {
	dr, st := setup(t, "99.25")
	for k := range 1000 {
		id, err := dr.Place(2, orderbook.Sell, d("101"), d("1"))
		if err != nil {
			t.Fatal(err)
		}
		if k%2 == 0 {
			if _, err := dr.Book.Cancel(id); err != nil {
				t.Fatal(err)
			}
		} else {
			// A caller's own buy takes the driver's sell off the book.
			if _, err := dr.Book.Limit(orderbook.Order{ID: orderbook.OrderID(k + 1), Side: orderbook.Buy, Price: 404, Qty: 1, Type: orderbook.IOC}, nil); err != nil {
				t.Fatal(err)
			}
		}
		if n := drive.Owners(dr); n > 64 {
			t.Fatalf("after %d orders placed and gone, the driver records %d owners (book %d orders)", k+1, n, dr.Book.Len())
		}
	}
	if err := st.SetMark(d("99.5")); err != nil {
		t.Fatal(err)
	}
	if _, err := dr.Liquidate(nil, 1, 3); err != nil {
		t.Fatal(err)
	}
	var fund apd.Decimal
	st.FundBalance(&fund)
	if fund.Cmp(d("0.25")) != 0 {
		t.Fatalf("fund %s, want 0.25 from the street's bid", fund.String())
	}
	// Liquidate's cancel (S3) forgets the rest of what left the book.
	if n := drive.Owners(dr); n != dr.Book.Len() {
		t.Fatalf("after Liquidate the driver records %d owners, the book holds %d orders", n, dr.Book.Len())
	}
}

// TestADLCancelsResting: ADL cancels the orders the deleveraged trader has
// resting on the book, as the state cancels the orders it holds for it,
// on both paths that run ADL (Liquidate, with an empty book, and
// Deleverage, once the fund's inventory must go); a CancelNone preset
// leaves them. The short (trader 2), ADL'd, has a bid at 98 resting, which
// the fund's sell at 99 does not reach; the street's bid at 97 (trader 0,
// not deleveraged) stays throughout.
func TestADLCancelsResting(t *testing.T) {
	for _, c := range []struct {
		name       string
		deleverage bool // the fund keeps the long, Deleverage closes it
		scope      engine.Scope
	}{
		{"Liquidate", false, engine.CancelContract},
		{"Deleverage", true, engine.CancelContract},
		{"Liquidate CancelNone", false, engine.CancelNone},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := derivmath.NewContext()
			p := engine.PresetBitMEX()
			p.Partial, p.RiskLimits, p.Cancel = engine.PartialNone, nil, c.scope
			st := newState(t, ctx, p)
			fund := "0"
			if c.deleverage {
				fund = "10"
			}
			if err := st.SetFund(d(fund)); err != nil {
				t.Fatal(err)
			}
			dr := drive.New(ctx, st, orderbook.New(16, 16), 1)
			dr.Trigger = c.deleverage
			street, err := dr.Place(0, orderbook.Buy, d("97"), d("1"))
			if err != nil {
				t.Fatal(err)
			}
			bid, err := dr.Place(2, orderbook.Buy, d("98"), d("1"))
			if err != nil {
				t.Fatal(err)
			}
			if err := st.SetMark(d("99.5")); err != nil {
				t.Fatal(err)
			}
			if _, err := dr.Liquidate(nil, 1, 3); err != nil {
				t.Fatal(err)
			}
			if c.deleverage {
				if _, ok := dr.Book.Order(bid); !ok {
					t.Fatal("the short's bid is gone before any ADL")
				}
				if err := st.SetMark(d("99")); err != nil {
					t.Fatal(err)
				}
				if _, err := dr.Deleverage(nil); err != nil {
					t.Fatal(err)
				}
			}
			if !st.Trader(2).Qty.IsZero() {
				t.Fatalf("short %s, want ADL'd to 0", st.Trader(2).Qty.String())
			}
			_, resting := dr.Book.Order(bid)
			if want := c.scope == engine.CancelNone; resting != want {
				t.Errorf("the ADL'd short's bid resting: %v, want %v", resting, want)
			}
			if _, ok := dr.Book.Order(street); !ok {
				t.Error("the street's bid was cancelled")
			}
		})
	}
}

// TestLiquidateIntentOpen: Liquidate returns engine.ErrIntentOpen, after
// the trigger's and the cancel's events, when the caller left a step-down
// intent of the trader open, and takes nothing over: the position is
// closed by that intent's fills or its withdrawal first. BitMEX's rules
// with Deribit-like slices of 1: a long of 10 @ 100 with margin 10 (P_B
// 99) at the mark 99.5.
func TestLiquidateIntentOpen(t *testing.T) {
	ctx := derivmath.NewContext()
	p := engine.PresetBitMEX()
	p.Partial, p.RiskLimits = engine.Slice, nil
	p.Slice.Set(d("1"))
	st := newState(t, ctx, p)
	long := &engine.Trader{Mode: account.Isolated, Tier: -1}
	long.Margin.Set(d("10"))
	long.Qty.Set(d("10"))
	long.Cost.Set(d("1000"))
	long.MMR.Set(d("0.005"))
	short := &engine.Trader{Mode: account.Cross, Tier: -1}
	short.Wallet.Set(d("10000"))
	short.Qty.Set(d("-10"))
	short.Cost.Set(d("-1000"))
	short.MMR.Set(d("0.005"))
	var i int
	for k, tr := range []*engine.Trader{long, short} {
		n, err := st.Add(tr)
		if err != nil {
			t.Fatal(err)
		}
		if k == 0 {
			i = n
		}
	}
	if err := st.SetMark(d("99.5")); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := st.Trigger(nil, i); err != nil || !ok {
		t.Fatalf("Trigger: %v, %v", ok, err)
	}
	_, id, err := st.StepDown(nil, i)
	if err != nil || id == 0 {
		t.Fatalf("StepDown: intent %d, %v; want one open", id, err)
	}
	dr := drive.New(ctx, st, orderbook.New(16, 16), 1)
	ev, err := dr.Liquidate(nil, i, 1)
	if !errors.Is(err, engine.ErrIntentOpen) {
		t.Fatalf("Liquidate with a step-down intent open: %v, want ErrIntentOpen", err)
	}
	for k := range ev {
		if s := ev[k].Step; s != engine.StepTrigger && s != engine.StepCancel {
			t.Errorf("event %s after the refusal", ev[k].String())
		}
	}
	if q := st.Trader(i).Qty; q.Cmp(d("10")) != 0 || st.Intent(id) == nil {
		t.Errorf("after the refusal: position %s, intent open %v; want 10, true", q.String(), st.Intent(id) != nil)
	}
}

// TestSendGTCAndOwner: the fund's takeover under BitMEX's rules is GTC, a
// limit sell at P_B 99. Sent to an empty book it fills nothing and stays
// open with the engine ("the rest of a GTC stays with the engine"); sent
// against a bid at 99.25 that another program placed on the book directly
// (its ID below 1<<62, not recorded by Place) it fails with ErrOwner and
// changes nothing: the bid rests, the intent stays open, the fund keeps
// the long.
func TestSendGTCAndOwner(t *testing.T) {
	dr, st := setup(t, "")
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
	ev, id, err := st.Takeover(ev, 1)
	if err != nil || id == 0 {
		t.Fatalf("Takeover: %d, %v", id, err)
	}
	if in := st.Intent(id); in.TIF != engine.GTC || in.Holder != engine.Fund {
		t.Fatalf("takeover intent %+v, want the fund's GTC", in)
	}
	if ev, err = dr.Send(ev[:0], id); err != nil || len(ev) != 0 {
		t.Fatalf("Send to an empty book: %v, events %v", err, ev)
	}
	if st.Intent(id) == nil {
		t.Fatal("GTC intent withdrawn after a Send that filled nothing")
	}
	px, err := st.Spec().Ticks(derivmath.NewContext(), d("99.25"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dr.Book.Limit(orderbook.Order{ID: 7, Price: px, Qty: 1, Side: orderbook.Buy, Type: orderbook.GTC, Owner: 99}, nil); err != nil {
		t.Fatal(err)
	}
	if ev, err = dr.Send(ev[:0], id); !errors.Is(err, drive.ErrOwner) {
		t.Fatalf("Send against a foreign bid: %v, events %v; want ErrOwner", err, ev)
	}
	if o, ok := dr.Book.Order(7); !ok || o.Qty != 1 {
		t.Errorf("the foreign bid after ErrOwner: %+v, %v; want resting, 1", o, ok)
	}
	if st.Intent(id) == nil || st.Trader(engine.Fund).Qty.Cmp(d("1")) != 0 {
		t.Errorf("after ErrOwner: intent open %v, fund holds %s; want open, 1", st.Intent(id) != nil, st.Trader(engine.Fund).Qty.String())
	}
}

// TestLiquidateADLAccountCloses: under Binance's rules the liquidated long
// closes itself (no fund takeover); on an empty book its order fills
// nothing, and the account, still liquidating, is deleveraged against the
// short: ADL of "what the book did not take (when the holder is the fund
// or the account is still liquidating ...)".
func TestLiquidateADLAccountCloses(t *testing.T) {
	ctx := derivmath.NewContext()
	p := engine.PresetBinance()
	p.Partial, p.RiskLimits, p.ClearanceFee = engine.PartialNone, nil, apd.Decimal{}
	st := newState(t, ctx, p)
	dr := drive.New(ctx, st, orderbook.New(16, 16), 1)
	if err := st.SetMark(d("99.25")); err != nil {
		t.Fatal(err)
	}
	ev, err := dr.Liquidate(nil, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	adl := 0
	for _, e := range ev {
		if e.Step == engine.StepADL && e.Kind == engine.Trade && e.Trader == 1 && e.Counterparty == 2 {
			adl++
		}
	}
	if adl == 0 || !st.Trader(1).Qty.IsZero() || !st.Trader(2).Qty.IsZero() {
		t.Errorf("%d ADL trades of the long with the short; long %s, short %s; want the long deleveraged against the short", adl, st.Trader(1).Qty.String(), st.Trader(2).Qty.String())
	}
}

// TestADLCancelsOnlyItsOwn: Liquidate appends to dst, and the resting
// orders it cancels after an ADL are those of the traders this call
// deleveraged, not of those named by events already in dst. BitMEX's
// rules, an empty fund and book, two longs (P_B 99) and two shorts: the
// first long's ADL closes one short, which then bids at 97; the second
// long's ADL, its events appended to the first's, closes the other short
// and leaves that bid resting.
func TestADLCancelsOnlyItsOwn(t *testing.T) {
	dr, st := setup(t, "")
	long := &engine.Trader{Mode: account.Isolated, Tier: -1}
	long.Margin.Set(d("1"))
	long.Qty.Set(d("1"))
	long.Cost.Set(d("100"))
	long.MMR.Set(d("0.005"))
	short := &engine.Trader{Mode: account.Cross, Tier: -1}
	short.Wallet.Set(d("100"))
	short.Qty.Set(d("-1"))
	short.Cost.Set(d("-100"))
	short.MMR.Set(d("0.005"))
	for _, tr := range []*engine.Trader{long, short} {
		if _, err := st.Add(tr); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.SetMark(d("99.5")); err != nil {
		t.Fatal(err)
	}
	ev, err := dr.Liquidate(nil, 1, 3)
	if err != nil {
		t.Fatal(err)
	}
	first := -1
	for _, e := range ev {
		if e.Step == engine.StepADL && e.Kind == engine.Trade && e.Counterparty >= 0 {
			first = e.Counterparty
		}
	}
	if first != 2 && first != 4 {
		t.Fatalf("first ADL against trader %d, want a short", first)
	}
	bid, err := dr.Place(first, orderbook.Buy, d("97"), d("1"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dr.Liquidate(ev, 3, 3); err != nil {
		t.Fatal(err)
	}
	if !st.Trader(2).Qty.IsZero() || !st.Trader(4).Qty.IsZero() {
		t.Fatalf("shorts hold %s and %s, want both ADL'd", st.Trader(2).Qty.String(), st.Trader(4).Qty.String())
	}
	if _, ok := dr.Book.Order(bid); !ok {
		t.Errorf("the bid trader %d placed after its ADL was cancelled by the next ADL", first)
	}
}

// TestDeleverageFundShort: the mirror of TestDeleverage. With BitMEX's
// trigger and 10 in the fund, the fund takes the short (trader 2, P_B
// 200) over at the mark 199.5 and keeps it; once the mark reaches 200,
// Deleverage closes the fund's short against the long.
func TestDeleverageFundShort(t *testing.T) {
	dr, st := setup(t, "")
	dr.Trigger = true
	if err := st.SetFund(d("10")); err != nil {
		t.Fatal(err)
	}
	if err := st.SetMark(d("199.5")); err != nil {
		t.Fatal(err)
	}
	if _, err := dr.Liquidate(nil, 2, 3); err != nil {
		t.Fatal(err)
	}
	if q := &st.Trader(engine.Fund).Qty; q.Cmp(d("-1")) != 0 {
		t.Fatalf("fund holds %s, want -1", q.String())
	}
	if err := st.SetMark(d("200")); err != nil {
		t.Fatal(err)
	}
	if ev, err := dr.Deleverage(nil); err != nil || len(ev) == 0 {
		t.Fatalf("Deleverage at 200: %d events, %v", len(ev), err)
	}
	if !st.Trader(1).Qty.IsZero() || !st.Trader(engine.Fund).Qty.IsZero() {
		t.Fatalf("long %s, fund %s after ADL", st.Trader(1).Qty.String(), st.Trader(engine.Fund).Qty.String())
	}
}
