package orderbook_test

import (
	"fmt"
	"slices"

	"github.com/derivmath/derivmath/orderbook"
)

// A matching session on a market with a tick of 0.5 USD (prices in ticks
// are twice the dollar price) and a lot of 1 contract. Two makers quote,
// a taker lifts the offer, a maker improves its bid and another cancels;
// the book is printed as a depth ladder after each step.

// session is a book with the fills it has reported, reusing one slice.
type session struct {
	book  *orderbook.Book
	fills []orderbook.Fill
}

func (s *session) limit(id orderbook.OrderID, side orderbook.Side, usd float64, qty int64) {
	o := orderbook.Order{ID: id, Side: side, Type: orderbook.GTC, Price: ticks(usd), Qty: qty}
	var err error
	if s.fills, err = s.book.Limit(o, s.fills[:0]); err != nil {
		fmt.Println("error:", err)
	}
	fmt.Printf("order %d: %v %d @ %.1f\n", id, side, qty, usd)
	s.report()
}

func (s *session) market(id orderbook.OrderID, side orderbook.Side, qty int64) {
	o := orderbook.Order{ID: id, Side: side, Type: orderbook.IOC, Qty: qty}
	var err error
	if s.fills, err = s.book.Market(o, s.fills[:0]); err != nil {
		fmt.Println("error:", err)
	}
	fmt.Printf("order %d: market %v %d\n", id, side, qty)
	s.report()
}

func (s *session) amend(id orderbook.OrderID, usd float64, qty int64) {
	var err error
	if s.fills, err = s.book.Amend(id, ticks(usd), qty, s.fills[:0]); err != nil {
		fmt.Println("error:", err)
	}
	fmt.Printf("amend %d: %d @ %.1f\n", id, qty, usd)
	s.report()
}

func (s *session) cancel(id orderbook.OrderID) {
	s.fills = s.fills[:0]
	o, err := s.book.Cancel(id)
	if err != nil {
		fmt.Println("error:", err)
	}
	fmt.Printf("cancel %d: %d left open\n", id, o.Qty)
	s.report()
}

// report prints the fills and the ladder: asks above, best last; bids
// below, best first.
func (s *session) report() {
	for _, f := range s.fills {
		done := ""
		if f.MakerDone {
			done = ", maker done"
		}
		fmt.Printf("  fill: maker %d, taker %d, %d @ %.1f%s\n", f.Maker, f.Taker, f.Qty, usd(f.Price), done)
	}
	fmt.Println("    price   bids   asks")
	asks := s.book.AppendDepth(nil, orderbook.Sell, 5)
	slices.Reverse(asks)
	for _, lv := range asks {
		fmt.Printf("  %7.1f %6s %6d\n", usd(lv.Price), "", lv.Qty)
	}
	for p, q := range s.book.Levels(orderbook.Buy) {
		fmt.Printf("  %7.1f %6d\n", usd(p), q)
	}
}

func ticks(usd float64) int64 { return int64(usd * 2) }

func usd(ticks int64) float64 { return float64(ticks) / 2 }

func Example_matchingSession() {
	s := &session{book: orderbook.New(100, 20), fills: make([]orderbook.Fill, 0, 16)}
	s.limit(1, orderbook.Sell, 100.5, 10)
	s.limit(2, orderbook.Sell, 101.0, 5)
	s.limit(3, orderbook.Buy, 99.5, 8)
	s.limit(4, orderbook.Sell, 100.5, 4)
	s.market(5, orderbook.Buy, 12)
	s.amend(3, 100.0, 8)
	s.limit(6, orderbook.Buy, 101.0, 6)
	s.cancel(2)

	// Output:
	// order 1: sell 10 @ 100.5
	//     price   bids   asks
	//     100.5            10
	// order 2: sell 5 @ 101.0
	//     price   bids   asks
	//     101.0             5
	//     100.5            10
	// order 3: buy 8 @ 99.5
	//     price   bids   asks
	//     101.0             5
	//     100.5            10
	//      99.5      8
	// order 4: sell 4 @ 100.5
	//     price   bids   asks
	//     101.0             5
	//     100.5            14
	//      99.5      8
	// order 5: market buy 12
	//   fill: maker 1, taker 5, 10 @ 100.5, maker done
	//   fill: maker 4, taker 5, 2 @ 100.5
	//     price   bids   asks
	//     101.0             5
	//     100.5             2
	//      99.5      8
	// amend 3: 8 @ 100.0
	//     price   bids   asks
	//     101.0             5
	//     100.5             2
	//     100.0      8
	// order 6: buy 6 @ 101.0
	//   fill: maker 4, taker 6, 2 @ 100.5, maker done
	//   fill: maker 2, taker 6, 4 @ 101.0
	//     price   bids   asks
	//     101.0             1
	//     100.0      8
	// cancel 2: 1 left open
	//     price   bids   asks
	//     100.0      8
}
