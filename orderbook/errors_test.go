package orderbook_test

import (
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/derivmath/derivmath/orderbook"
	"pgregory.net/rapid"
)

// documented lists, for each exported function and method that returns an
// error, the sentinels its documentation names. Preview's are Limit's and
// Market's, the calls it previews; L2.Delete's are Set's less ErrInvalidQty
// (its size is 0); the L2's impact queries are the Book's.
var documented = func() map[string][]error {
	limit := []error{
		orderbook.ErrInvalidSide, orderbook.ErrInvalidType, orderbook.ErrInvalidSTP,
		orderbook.ErrInvalidPrice, orderbook.ErrInvalidQty, orderbook.ErrDuplicateID,
		orderbook.ErrWouldCross, orderbook.ErrFillOrKill, orderbook.ErrOverflow, orderbook.ErrBookFull,
	}
	market := []error{
		orderbook.ErrInvalidSide, orderbook.ErrInvalidType, orderbook.ErrInvalidSTP,
		orderbook.ErrInvalidPrice, orderbook.ErrInvalidQty, orderbook.ErrDuplicateID, orderbook.ErrFillOrKill,
	}
	impact := []error{orderbook.ErrInvalidSide, orderbook.ErrInvalidQty, orderbook.ErrOverflow, orderbook.ErrNotEnoughDepth}
	return map[string][]error{
		"Book.Limit":          limit,
		"Book.Market":         market,
		"Book.Preview":        append(slices.Clip(limit), market...),
		"Book.Cancel":         {orderbook.ErrUnknownOrder},
		"Book.Amend":          {orderbook.ErrInvalidPrice, orderbook.ErrInvalidQty, orderbook.ErrUnknownOrder, orderbook.ErrWouldCross, orderbook.ErrOverflow, orderbook.ErrBookFull},
		"Book.ImpactQty":      impact,
		"Book.ImpactNotional": impact,
		"L2.Set":              {orderbook.ErrInvalidSide, orderbook.ErrInvalidPrice, orderbook.ErrInvalidQty},
		"L2.Delete":           {orderbook.ErrInvalidSide, orderbook.ErrInvalidPrice},
		"L2.Snapshot":         {orderbook.ErrInvalidPrice, orderbook.ErrInvalidQty, orderbook.ErrDuplicatePrice},
		"L2.ImpactQty":        impact,
		"L2.ImpactNotional":   impact,
	}
}()

// isDocumented reports whether err is nil or one of the sentinels
// documented for fn.
func isDocumented(fn string, err error) bool {
	if err == nil {
		return true
	}
	list, ok := documented[fn]
	if !ok {
		panic("no documented errors for " + fn)
	}
	return slices.ContainsFunc(list, func(s error) bool { return errors.Is(err, s) })
}

// rest returns a growing book holding the given GTC orders, or fails the
// test.
func rest(t *testing.T, b *orderbook.Book, orders ...orderbook.Order) *orderbook.Book {
	t.Helper()
	for _, o := range orders {
		if o.Type == 0 {
			o.Type = orderbook.GTC
		}
		if _, err := b.Limit(o, nil); err != nil {
			t.Fatalf("rest %+v: %v", o, err)
		}
	}
	return b
}

func bid(id orderbook.OrderID, price, qty int64) orderbook.Order {
	return orderbook.Order{ID: id, Side: orderbook.Buy, Type: orderbook.GTC, Price: price, Qty: qty}
}

func ask(id orderbook.OrderID, price, qty int64) orderbook.Order {
	return orderbook.Order{ID: id, Side: orderbook.Sell, Type: orderbook.GTC, Price: price, Qty: qty}
}

// TestErrorsDocumented returns each documented sentinel of each function
// from one input, and checks that the table covers every documented
// sentinel.
func TestErrorsDocumented(t *testing.T) {
	big := int64(math.MaxInt64)
	limit := func(b *orderbook.Book, o orderbook.Order) func() error {
		return func() error { _, err := b.Limit(o, nil); return err }
	}
	market := func(b *orderbook.Book, o orderbook.Order) func() error {
		return func() error { _, err := b.Market(o, nil); return err }
	}
	preview := func(b *orderbook.Book, o orderbook.Order) func() error {
		return func() error { _, err := b.Preview(o, nil); return err }
	}
	amend := func(b *orderbook.Book, id orderbook.OrderID, price, qty int64) func() error {
		return func() error { _, err := b.Amend(id, price, qty, nil); return err }
	}
	impactQty := func(b *orderbook.Book, s orderbook.Side, q int64) func() error {
		return func() error { _, err := b.ImpactQty(s, q); return err }
	}
	impactNotional := func(b *orderbook.Book, s orderbook.Side, n int64) func() error {
		return func() error { _, err := b.ImpactNotional(s, n); return err }
	}
	l2 := func(levels ...orderbook.Level) *orderbook.L2 {
		m := orderbook.NewL2(0)
		if err := m.Snapshot(levels, nil); err != nil {
			t.Fatal(err)
		}
		return m
	}
	l2Qty := func(m *orderbook.L2, s orderbook.Side, q int64) func() error {
		return func() error { _, err := m.ImpactQty(s, q); return err }
	}
	l2Notional := func(m *orderbook.L2, s orderbook.Side, n int64) func() error {
		return func() error { _, err := m.ImpactNotional(s, n); return err }
	}
	// full is a fixed book whose one order slot is taken; levels a fixed
	// book of two levels, both taken, with a second order at 10.
	full := func() *orderbook.Book { return rest(t, orderbook.NewFixed(1, 4), bid(1, 10, 1)) }
	levels := func() *orderbook.Book {
		return rest(t, orderbook.NewFixed(4, 2), bid(1, 10, 1), bid(2, 11, 1), bid(3, 10, 1))
	}
	cases := []struct {
		fn   string
		want error
		call func() error
	}{
		{"Book.Limit", orderbook.ErrInvalidSide, limit(orderbook.New(0, 0), orderbook.Order{ID: 1, Type: orderbook.GTC, Price: 1, Qty: 1})},
		{"Book.Limit", orderbook.ErrInvalidType, limit(orderbook.New(0, 0), orderbook.Order{ID: 1, Side: orderbook.Buy, Price: 1, Qty: 1})},
		{"Book.Limit", orderbook.ErrInvalidSTP, limit(orderbook.New(0, 0), orderbook.Order{ID: 1, Side: orderbook.Buy, Type: orderbook.GTC, STP: 4, Price: 1, Qty: 1})},
		{"Book.Limit", orderbook.ErrInvalidPrice, limit(orderbook.New(0, 0), bid(1, 0, 1))},
		{"Book.Limit", orderbook.ErrInvalidQty, limit(orderbook.New(0, 0), bid(1, 1, -1))},
		{"Book.Limit", orderbook.ErrDuplicateID, limit(rest(t, orderbook.New(0, 0), bid(1, 10, 1)), bid(1, 9, 1))},
		{"Book.Limit", orderbook.ErrWouldCross, limit(rest(t, orderbook.New(0, 0), bid(1, 10, 1)), orderbook.Order{ID: 2, Side: orderbook.Sell, Type: orderbook.PostOnly, Price: 10, Qty: 1})},
		{"Book.Limit", orderbook.ErrFillOrKill, limit(rest(t, orderbook.New(0, 0), bid(1, 10, 1)), orderbook.Order{ID: 2, Side: orderbook.Sell, Type: orderbook.FOK, Price: 10, Qty: 2})},
		{"Book.Limit", orderbook.ErrOverflow, limit(rest(t, orderbook.New(0, 0), bid(1, 10, big)), bid(2, 10, 1))},
		{"Book.Limit", orderbook.ErrBookFull, limit(full(), bid(2, 10, 1))},
		{"Book.Market", orderbook.ErrInvalidSide, market(orderbook.New(0, 0), orderbook.Order{ID: 1, Type: orderbook.IOC, Qty: 1})},
		{"Book.Market", orderbook.ErrInvalidType, market(orderbook.New(0, 0), orderbook.Order{ID: 1, Side: orderbook.Buy, Type: orderbook.GTC, Qty: 1})},
		{"Book.Market", orderbook.ErrInvalidSTP, market(orderbook.New(0, 0), orderbook.Order{ID: 1, Side: orderbook.Buy, Type: orderbook.IOC, STP: -1, Qty: 1})},
		{"Book.Market", orderbook.ErrInvalidPrice, market(orderbook.New(0, 0), orderbook.Order{ID: 1, Side: orderbook.Buy, Type: orderbook.IOC, Price: 1, Qty: 1})},
		{"Book.Market", orderbook.ErrInvalidQty, market(orderbook.New(0, 0), orderbook.Order{ID: 1, Side: orderbook.Buy, Type: orderbook.IOC})},
		{"Book.Market", orderbook.ErrDuplicateID, market(rest(t, orderbook.New(0, 0), bid(1, 10, 1)), orderbook.Order{ID: 1, Side: orderbook.Sell, Type: orderbook.IOC, Qty: 1})},
		{"Book.Market", orderbook.ErrFillOrKill, market(orderbook.New(0, 0), orderbook.Order{ID: 1, Side: orderbook.Sell, Type: orderbook.FOK, Qty: 1})},
		{"Book.Preview", orderbook.ErrInvalidSide, preview(orderbook.New(0, 0), orderbook.Order{ID: 1, Type: orderbook.GTC, Price: 1, Qty: 1})},
		{"Book.Preview", orderbook.ErrInvalidType, preview(orderbook.New(0, 0), orderbook.Order{ID: 1, Side: orderbook.Buy, Type: orderbook.GTC, Qty: 1})},
		{"Book.Preview", orderbook.ErrInvalidSTP, preview(orderbook.New(0, 0), orderbook.Order{ID: 1, Side: orderbook.Buy, Type: orderbook.GTC, STP: 9, Price: 1, Qty: 1})},
		{"Book.Preview", orderbook.ErrInvalidPrice, preview(orderbook.New(0, 0), bid(1, -1, 1))},
		{"Book.Preview", orderbook.ErrInvalidQty, preview(orderbook.New(0, 0), bid(1, 1, 0))},
		{"Book.Preview", orderbook.ErrDuplicateID, preview(rest(t, orderbook.New(0, 0), bid(1, 10, 1)), bid(1, 9, 1))},
		{"Book.Preview", orderbook.ErrWouldCross, preview(rest(t, orderbook.New(0, 0), bid(1, 10, 1)), orderbook.Order{ID: 2, Side: orderbook.Sell, Type: orderbook.PostOnly, Price: 9, Qty: 1})},
		{"Book.Preview", orderbook.ErrFillOrKill, preview(orderbook.New(0, 0), orderbook.Order{ID: 1, Side: orderbook.Sell, Type: orderbook.FOK, Qty: 1})},
		{"Book.Preview", orderbook.ErrOverflow, preview(rest(t, orderbook.New(0, 0), ask(1, 10, big)), ask(2, 10, 1))},
		{"Book.Preview", orderbook.ErrBookFull, preview(levels(), bid(4, 9, 1))},
		{"Book.Cancel", orderbook.ErrUnknownOrder, func() error { _, err := orderbook.New(0, 0).Cancel(1); return err }},
		{"Book.Amend", orderbook.ErrInvalidPrice, amend(rest(t, orderbook.New(0, 0), bid(1, 10, 1)), 1, 0, 1)},
		{"Book.Amend", orderbook.ErrInvalidQty, amend(rest(t, orderbook.New(0, 0), bid(1, 10, 1)), 1, 10, 0)},
		{"Book.Amend", orderbook.ErrUnknownOrder, amend(orderbook.New(0, 0), 1, 10, 1)},
		{"Book.Amend", orderbook.ErrWouldCross, amend(rest(t, orderbook.New(0, 0), ask(1, 10, 1), orderbook.Order{ID: 2, Side: orderbook.Buy, Type: orderbook.PostOnly, Price: 9, Qty: 1}), 2, 10, 1)},
		{"Book.Amend", orderbook.ErrOverflow, amend(rest(t, orderbook.New(0, 0), bid(1, 10, big-1), bid(2, 10, 1)), 2, 10, 2)},
		{"Book.Amend", orderbook.ErrOverflow, amend(rest(t, orderbook.New(0, 0), bid(1, 10, big), bid(2, 9, 1)), 2, 10, 1)},
		{"Book.Amend", orderbook.ErrBookFull, amend(levels(), 3, 9, 1)},
		{"Book.ImpactQty", orderbook.ErrInvalidSide, impactQty(orderbook.New(0, 0), 0, 1)},
		{"Book.ImpactQty", orderbook.ErrInvalidQty, impactQty(orderbook.New(0, 0), orderbook.Buy, 0)},
		{"Book.ImpactQty", orderbook.ErrOverflow, impactQty(rest(t, orderbook.New(0, 0), bid(1, big/2, 3)), orderbook.Buy, 3)},
		{"Book.ImpactQty", orderbook.ErrNotEnoughDepth, impactQty(orderbook.New(0, 0), orderbook.Sell, 1)},
		{"Book.ImpactNotional", orderbook.ErrInvalidSide, impactNotional(orderbook.New(0, 0), 3, 1)},
		{"Book.ImpactNotional", orderbook.ErrInvalidQty, impactNotional(orderbook.New(0, 0), orderbook.Buy, -1)},
		{"Book.ImpactNotional", orderbook.ErrOverflow, impactNotional(rest(t, orderbook.New(0, 0), bid(1, big/2, 3)), orderbook.Buy, big)},
		{"Book.ImpactNotional", orderbook.ErrNotEnoughDepth, impactNotional(rest(t, orderbook.New(0, 0), ask(1, 10, 1)), orderbook.Sell, 11)},
		{"L2.Set", orderbook.ErrInvalidSide, func() error { return orderbook.NewL2(0).Set(0, 1, 1) }},
		{"L2.Set", orderbook.ErrInvalidPrice, func() error { return orderbook.NewL2(0).Set(orderbook.Buy, 0, 1) }},
		{"L2.Set", orderbook.ErrInvalidQty, func() error { return orderbook.NewL2(0).Set(orderbook.Buy, 1, -1) }},
		{"L2.Delete", orderbook.ErrInvalidSide, func() error { return orderbook.NewL2(0).Delete(-1, 1) }},
		{"L2.Delete", orderbook.ErrInvalidPrice, func() error { return orderbook.NewL2(0).Delete(orderbook.Sell, -1) }},
		{"L2.Snapshot", orderbook.ErrInvalidPrice, func() error { return orderbook.NewL2(0).Snapshot(nil, []orderbook.Level{{Price: 0, Qty: 1}}) }},
		{"L2.Snapshot", orderbook.ErrInvalidQty, func() error { return orderbook.NewL2(0).Snapshot([]orderbook.Level{{Price: 1, Qty: -1}}, nil) }},
		{"L2.Snapshot", orderbook.ErrDuplicatePrice, func() error {
			return orderbook.NewL2(0).Snapshot([]orderbook.Level{{Price: 1, Qty: 1}, {Price: 1, Qty: 2}}, nil)
		}},
		{"L2.ImpactQty", orderbook.ErrInvalidSide, l2Qty(orderbook.NewL2(0), 0, 1)},
		{"L2.ImpactQty", orderbook.ErrInvalidQty, l2Qty(orderbook.NewL2(0), orderbook.Buy, 0)},
		{"L2.ImpactQty", orderbook.ErrOverflow, l2Qty(l2(orderbook.Level{Price: big / 2, Qty: 3}), orderbook.Buy, 3)},
		{"L2.ImpactQty", orderbook.ErrNotEnoughDepth, l2Qty(l2(orderbook.Level{Price: 1, Qty: 1}), orderbook.Buy, 2)},
		{"L2.ImpactNotional", orderbook.ErrInvalidSide, l2Notional(orderbook.NewL2(0), 0, 1)},
		{"L2.ImpactNotional", orderbook.ErrInvalidQty, l2Notional(orderbook.NewL2(0), orderbook.Sell, 0)},
		{"L2.ImpactNotional", orderbook.ErrOverflow, l2Notional(l2(orderbook.Level{Price: big / 2, Qty: 3}), orderbook.Buy, big)},
		{"L2.ImpactNotional", orderbook.ErrNotEnoughDepth, l2Notional(orderbook.NewL2(0), orderbook.Sell, 1)},
	}
	covered := map[string][]error{}
	for _, c := range cases {
		if !slices.Contains(documented[c.fn], c.want) {
			t.Errorf("%s: %v is not in its documented list", c.fn, c.want)
		}
		if err := c.call(); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.fn, err, c.want)
		}
		covered[c.fn] = append(covered[c.fn], c.want)
	}
	for fn, list := range documented {
		for _, s := range list {
			if !slices.Contains(covered[fn], s) {
				t.Errorf("%s: no case returns its documented %v", fn, s)
			}
		}
	}
}

// TestErrorsOnlyDocumented drives a small fixed book and a mirror with
// hostile and random input (invalid sides, types and modes, prices and
// quantities at 0, negative and near MaxInt64, known and unknown IDs) and
// checks that every error is one its function documents.
func TestErrorsOnlyDocumented(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		b := orderbook.NewFixed(rapid.IntRange(0, 6).Draw(t, "orders"), rapid.IntRange(0, 4).Draw(t, "levels"))
		m := orderbook.NewL2(0)
		num := rapid.OneOf(rapid.Int64Range(-2, 12), rapid.SampledFrom([]int64{
			math.MaxInt64, math.MaxInt64 - 1, math.MaxInt64 / 2, math.MaxInt64 / 3, math.MinInt64,
		}))
		side := func(t *rapid.T) orderbook.Side {
			return orderbook.Side(rapid.IntRange(-1, 3).Draw(t, "side"))
		}
		order := func(t *rapid.T) orderbook.Order {
			return orderbook.Order{
				ID:    orderbook.OrderID(rapid.Uint64Range(0, 8).Draw(t, "id")),
				Owner: orderbook.OwnerID(rapid.Uint64Range(0, 2).Draw(t, "owner")),
				Side:  side(t),
				Type:  orderbook.Type(rapid.IntRange(-1, 5).Draw(t, "type")),
				STP:   orderbook.STP(rapid.IntRange(-1, 4).Draw(t, "stp")),
				Price: num.Draw(t, "price"),
				Qty:   num.Draw(t, "qty"),
			}
		}
		check := func(t *rapid.T, fn string, err error) {
			if !isDocumented(fn, err) {
				t.Fatalf("%s returned %v, not among %v", fn, err, documented[fn])
			}
		}
		levels := func(t *rapid.T, name string) []orderbook.Level {
			n := rapid.IntRange(0, 4).Draw(t, name)
			ls := make([]orderbook.Level, n)
			for i := range ls {
				ls[i] = orderbook.Level{Price: num.Draw(t, "price"), Qty: num.Draw(t, "qty")}
			}
			return ls
		}
		for range rapid.IntRange(1, 60).Draw(t, "calls") {
			var err error
			switch fn := rapid.SampledFrom([]string{
				"Book.Limit", "Book.Market", "Book.Preview", "Book.Cancel", "Book.Amend",
				"Book.ImpactQty", "Book.ImpactNotional",
				"L2.Set", "L2.Delete", "L2.Snapshot", "L2.ImpactQty", "L2.ImpactNotional",
			}).Draw(t, "fn"); fn {
			case "Book.Limit":
				_, err = b.Limit(order(t), nil)
				check(t, fn, err)
			case "Book.Market":
				o := order(t)
				if rapid.Bool().Draw(t, "no price") {
					o.Price = 0
				}
				_, err = b.Market(o, nil)
				check(t, fn, err)
			case "Book.Preview":
				_, err = b.Preview(order(t), nil)
				check(t, fn, err)
			case "Book.Cancel":
				_, err = b.Cancel(orderbook.OrderID(rapid.Uint64Range(0, 8).Draw(t, "id")))
				check(t, fn, err)
			case "Book.Amend":
				_, err = b.Amend(orderbook.OrderID(rapid.Uint64Range(0, 8).Draw(t, "id")), num.Draw(t, "price"), num.Draw(t, "qty"), nil)
				check(t, fn, err)
			case "Book.ImpactQty":
				_, err = b.ImpactQty(side(t), num.Draw(t, "qty"))
				check(t, fn, err)
			case "Book.ImpactNotional":
				_, err = b.ImpactNotional(side(t), num.Draw(t, "notional"))
				check(t, fn, err)
			case "L2.Set":
				check(t, fn, m.Set(side(t), num.Draw(t, "price"), num.Draw(t, "qty")))
			case "L2.Delete":
				check(t, fn, m.Delete(side(t), num.Draw(t, "price")))
			case "L2.Snapshot":
				check(t, fn, m.Snapshot(levels(t, "bids"), levels(t, "asks")))
			case "L2.ImpactQty":
				_, err = m.ImpactQty(side(t), num.Draw(t, "qty"))
				check(t, fn, err)
			case "L2.ImpactNotional":
				_, err = m.ImpactNotional(side(t), num.Draw(t, "notional"))
				check(t, fn, err)
			}
		}
	})
}
