package orderbook_test

import (
	"errors"
	"fmt"

	"github.com/derivmath/derivmath/orderbook"
)

// exampleBook returns a book with asks 101x5 (order 1), 101x3 (order 2),
// 102x4 (order 3) and bids 99x2 (order 4), 98x6 (order 5).
func exampleBook() *orderbook.Book {
	b := orderbook.New(16, 8)
	for _, o := range []orderbook.Order{
		{ID: 1, Side: orderbook.Sell, Type: orderbook.GTC, Price: 101, Qty: 5},
		{ID: 2, Side: orderbook.Sell, Type: orderbook.GTC, Price: 101, Qty: 3},
		{ID: 3, Side: orderbook.Sell, Type: orderbook.GTC, Price: 102, Qty: 4},
		{ID: 4, Side: orderbook.Buy, Type: orderbook.GTC, Price: 99, Qty: 2},
		{ID: 5, Side: orderbook.Buy, Type: orderbook.GTC, Price: 98, Qty: 6},
	} {
		if _, err := b.Limit(o, nil); err != nil {
			panic(err)
		}
	}
	return b
}

// check panics on an error: the examples' inputs are valid.
func check(err error) {
	if err != nil {
		panic(err)
	}
}

// place sends a limit order that must not fail.
func place(b *orderbook.Book, o orderbook.Order) {
	_, err := b.Limit(o, nil)
	check(err)
}

func ExampleBook() {
	var b orderbook.Book // the zero value is an empty book that grows
	fills, _ := b.Limit(orderbook.Order{ID: 1, Side: orderbook.Sell, Type: orderbook.GTC, Price: 101, Qty: 5}, nil)
	fills, _ = b.Limit(orderbook.Order{ID: 2, Side: orderbook.Buy, Type: orderbook.GTC, Price: 101, Qty: 2}, fills[:0])
	fmt.Println(fills)
	best, _ := b.BestAsk()
	fmt.Println("best ask:", best)
	// Output:
	// [{1 2 101 2 false}]
	// best ask: {101 3}
}

func ExampleNew() {
	// Room for 100,000 orders on 2,000 levels: nothing allocates until
	// the book holds more.
	b := orderbook.New(100_000, 2_000)
	fmt.Println(b.Len())
	// Output:
	// 0
}

func ExampleNewFixed() {
	b := orderbook.NewFixed(1, 10) // one order at most
	_, err := b.Limit(orderbook.Order{ID: 1, Side: orderbook.Buy, Type: orderbook.GTC, Price: 99, Qty: 1}, nil)
	fmt.Println(err)
	_, err = b.Limit(orderbook.Order{ID: 2, Side: orderbook.Buy, Type: orderbook.GTC, Price: 98, Qty: 1}, nil)
	fmt.Println(err)
	// Output:
	// <nil>
	// orderbook: book full
}

func ExampleBook_Limit() {
	b := exampleBook()
	// Buy 10 up to 101: takes order 1, then 3 of order 2, and rests 2.
	fills, err := b.Limit(orderbook.Order{ID: 10, Side: orderbook.Buy, Type: orderbook.GTC, Price: 101, Qty: 10}, nil)
	for _, f := range fills {
		fmt.Printf("maker %d, taker %d: %d @ %d, maker done %v\n", f.Maker, f.Taker, f.Qty, f.Price, f.MakerDone)
	}
	o, _ := b.Order(10)
	fmt.Println("resting:", o.Qty, "@", o.Price, err)
	// Output:
	// maker 1, taker 10: 5 @ 101, maker done true
	// maker 2, taker 10: 3 @ 101, maker done true
	// resting: 2 @ 101 <nil>
}

func ExampleBook_Limit_types() {
	b := exampleBook()
	order := func(id orderbook.OrderID, t orderbook.Type, price, qty int64) orderbook.Order {
		return orderbook.Order{ID: id, Side: orderbook.Buy, Type: t, Price: price, Qty: qty}
	}
	fills, err := b.Limit(order(10, orderbook.IOC, 101, 10), nil)
	fmt.Println("IOC:", len(fills), "fills,", b.Len(), "resting,", err)
	_, err = b.Limit(order(11, orderbook.FOK, 102, 5), nil)
	fmt.Println("FOK:", err)
	_, err = b.Limit(order(12, orderbook.PostOnly, 102, 1), nil)
	fmt.Println("post-only:", err)
	_, err = b.Limit(order(13, orderbook.PostOnly, 100, 1), nil)
	fmt.Println("post-only:", err)
	// Output:
	// IOC: 2 fills, 3 resting, <nil>
	// FOK: orderbook: fill-or-kill order cannot be filled in full
	// post-only: orderbook: post-only order would cross
	// post-only: <nil>
}

func ExampleBook_Limit_selfTradePrevention() {
	var b orderbook.Book
	place(&b, orderbook.Order{ID: 1, Side: orderbook.Sell, Type: orderbook.GTC, Price: 101, Qty: 5, Owner: 7})
	place(&b, orderbook.Order{ID: 2, Side: orderbook.Sell, Type: orderbook.GTC, Price: 101, Qty: 5, Owner: 8})
	// Owner 7 buys: its own order 1 is cancelled (a fill of 0), and it
	// trades with order 2.
	fills, _ := b.Limit(orderbook.Order{
		ID: 3, Side: orderbook.Buy, Type: orderbook.IOC, Price: 101, Qty: 4,
		Owner: 7, STP: orderbook.CancelResting,
	}, nil)
	fmt.Println(fills)
	// Output:
	// [{1 3 101 0 true} {2 3 101 4 false}]
}

func ExampleBook_Market() {
	b := exampleBook()
	fills, err := b.Market(orderbook.Order{ID: 10, Side: orderbook.Sell, Type: orderbook.IOC, Qty: 5}, nil)
	fmt.Println(fills, err)
	_, err = b.Market(orderbook.Order{ID: 11, Side: orderbook.Sell, Type: orderbook.FOK, Qty: 5}, nil)
	fmt.Println(err)
	// Output:
	// [{4 10 99 2 true} {5 10 98 3 false}] <nil>
	// orderbook: fill-or-kill order cannot be filled in full
}

func ExampleBook_Preview() {
	b := exampleBook()
	o := orderbook.Order{ID: 10, Side: orderbook.Buy, Type: orderbook.IOC, Price: 101, Qty: 6}
	// The fills Limit would make, the book unchanged...
	fills, err := b.Preview(o, nil)
	fmt.Println(fills, err, b.Len())
	// ... and then made.
	fills, err = b.Limit(o, nil)
	fmt.Println(fills, err, b.Len())
	// A price of 0 previews a market order.
	_, err = b.Preview(orderbook.Order{ID: 11, Side: orderbook.Sell, Type: orderbook.FOK, Qty: 9}, nil)
	fmt.Println(err)
	// Output:
	// [{1 10 101 5 true} {2 10 101 1 false}] <nil> 5
	// [{1 10 101 5 true} {2 10 101 1 false}] <nil> 4
	// orderbook: fill-or-kill order cannot be filled in full
}

func ExampleBook_Cancel() {
	b := exampleBook()
	o, err := b.Cancel(2)
	fmt.Printf("%+v %v\n", o, err)
	_, err = b.Cancel(2)
	fmt.Println(errors.Is(err, orderbook.ErrUnknownOrder))
	// Output:
	// {ID:2 Price:101 Qty:3 Owner:0 Side:sell Type:GTC STP:none} <nil>
	// true
}

func ExampleBook_Amend() {
	b := exampleBook()
	queue := func() {
		for o := range b.Orders(orderbook.Sell) {
			fmt.Printf(" %d:%dx%d", o.ID, o.Price, o.Qty)
		}
		fmt.Println()
	}
	_, err := b.Amend(1, 101, 4, nil) // smaller: keeps its place
	check(err)
	queue()
	_, err = b.Amend(1, 101, 6, nil) // larger: goes to the back
	check(err)
	queue()
	fills, _ := b.Amend(3, 99, 4, nil) // a new price that crosses: trades
	fmt.Println(fills)
	queue()
	// Output:
	//  1:101x4 2:101x3 3:102x4
	//  2:101x3 1:101x6 3:102x4
	// [{4 3 99 2 true}]
	//  3:99x2 2:101x3 1:101x6
}

func ExampleBook_Order() {
	b := exampleBook()
	o, ok := b.Order(3)
	fmt.Printf("%+v %v\n", o, ok)
	_, ok = b.Order(42)
	fmt.Println(ok)
	// Output:
	// {ID:3 Price:102 Qty:4 Owner:0 Side:sell Type:GTC STP:none} true
	// false
}

func ExampleBook_Len() {
	b := exampleBook()
	fmt.Println(b.Len())
	// Output:
	// 5
}

func ExampleBook_BestBid() {
	b := exampleBook()
	bid, ok := b.BestBid()
	fmt.Println(bid.Price, bid.Qty, ok)
	// Output:
	// 99 2 true
}

func ExampleBook_BestAsk() {
	b := exampleBook()
	ask, ok := b.BestAsk()
	fmt.Println(ask.Price, ask.Qty, ok)
	var empty orderbook.Book
	_, ok = empty.BestAsk()
	fmt.Println(ok)
	// Output:
	// 101 8 true
	// false
}

func ExampleBook_AppendDepth() {
	b := exampleBook()
	depth := make([]orderbook.Level, 0, 10) // reuse it: no allocation
	depth = b.AppendDepth(depth[:0], orderbook.Sell, 10)
	fmt.Println("asks:", depth)
	depth = b.AppendDepth(depth[:0], orderbook.Buy, 1)
	fmt.Println("best bid:", depth)
	// Output:
	// asks: [{101 8} {102 4}]
	// best bid: [{99 2}]
}

func ExampleBook_Levels() {
	b := exampleBook()
	for price, qty := range b.Levels(orderbook.Buy) {
		fmt.Println(price, qty)
	}
	// Output:
	// 99 2
	// 98 6
}

func ExampleBook_Orders() {
	b := exampleBook()
	for o := range b.Orders(orderbook.Sell) {
		fmt.Println(o.ID, o.Price, o.Qty)
	}
	// Output:
	// 1 101 5
	// 2 101 3
	// 3 102 4
}

func ExampleBook_ImpactQty() {
	b := exampleBook()
	// Buying 10 would take 8 at 101 and 2 at 102.
	im, err := b.ImpactQty(orderbook.Sell, 10)
	fmt.Printf("%+v %v\n", im, err)
	fmt.Printf("average %.1f ticks\n", float64(im.Cost)/float64(im.Qty))
	im, err = b.ImpactQty(orderbook.Sell, 20)
	fmt.Printf("%+v %v\n", im, err)
	// Output:
	// {Qty:10 Cost:1012 Worst:102} <nil>
	// average 101.2 ticks
	// {Qty:12 Cost:1216 Worst:102} orderbook: not enough depth
}

func ExampleBook_ImpactNotional() {
	b := exampleBook()
	// The impact bid for a notional of 500 ticks*lots: selling takes 2
	// at 99 (198), then whole lots at 98 until the cost reaches 500: 4.
	im, err := b.ImpactNotional(orderbook.Buy, 500)
	fmt.Printf("%+v %v\n", im, err)
	// The exact average for 500, the last lot taken in part:
	// notional*Worst / (Qty*Worst - (Cost-notional)).
	num := 500 * im.Worst
	den := im.Qty*im.Worst - (im.Cost - 500)
	fmt.Printf("average %d/%d = %.4f ticks\n", num, den, float64(num)/float64(den))
	// Output:
	// {Qty:6 Cost:590 Worst:98} <nil>
	// average 49000/498 = 98.3936 ticks
}

func ExampleBook_Reset() {
	b := exampleBook()
	b.Reset()
	fmt.Println(b.Len())
	// Output:
	// 0
}

func ExampleOrder() {
	o := orderbook.Order{
		ID:    7,
		Side:  orderbook.Buy,
		Type:  orderbook.GTC,
		Price: 650001, // ticks: 65,000.1 USD with a 0.1 USD tick
		Qty:   25,     // lots: 0.025 BTC with a 0.001 BTC lot
		Owner: 42,
		STP:   orderbook.CancelIncoming,
	}
	fmt.Printf("%+v\n", o)
	// Output:
	// {ID:7 Price:650001 Qty:25 Owner:42 Side:buy Type:GTC STP:cancel-incoming}
}

func ExampleOrderID() {
	var b orderbook.Book
	// IDs are the caller's; a resting one cannot be reused...
	place(&b, orderbook.Order{ID: 9, Side: orderbook.Buy, Type: orderbook.GTC, Price: 99, Qty: 1})
	_, err := b.Limit(orderbook.Order{ID: 9, Side: orderbook.Buy, Type: orderbook.GTC, Price: 98, Qty: 1}, nil)
	fmt.Println(err)
	// ...until its order has left the book.
	_, err = b.Cancel(9)
	check(err)
	_, err = b.Limit(orderbook.Order{ID: 9, Side: orderbook.Buy, Type: orderbook.GTC, Price: 98, Qty: 1}, nil)
	fmt.Println(err)
	// Output:
	// orderbook: duplicate order ID
	// <nil>
}

func ExampleOwnerID() {
	var b orderbook.Book
	place(&b, orderbook.Order{ID: 1, Side: orderbook.Sell, Type: orderbook.GTC, Price: 101, Qty: 5, Owner: 7})
	// The same owner, stopped by its own resting order.
	fills, _ := b.Limit(orderbook.Order{
		ID: 2, Side: orderbook.Buy, Type: orderbook.GTC, Price: 101, Qty: 5,
		Owner: 7, STP: orderbook.CancelIncoming,
	}, nil)
	_, rests := b.Order(2)
	fmt.Println(len(fills), rests)
	// Output:
	// 0 false
}

func ExampleFill() {
	b := exampleBook()
	fills, _ := b.Market(orderbook.Order{ID: 10, Side: orderbook.Buy, Type: orderbook.IOC, Qty: 6}, nil)
	for _, f := range fills {
		fmt.Printf("%+v\n", f)
	}
	// Output:
	// {Maker:1 Taker:10 Price:101 Qty:5 MakerDone:true}
	// {Maker:2 Taker:10 Price:101 Qty:1 MakerDone:false}
}

func ExampleLevel() {
	b := exampleBook()
	for _, lv := range b.AppendDepth(nil, orderbook.Buy, 2) {
		fmt.Printf("%d lots at %d\n", lv.Qty, lv.Price)
	}
	// Output:
	// 2 lots at 99
	// 6 lots at 98
}

func ExampleImpact() {
	b := exampleBook()
	im, _ := b.ImpactQty(orderbook.Buy, 4) // selling 4: 2 at 99, 2 at 98
	fmt.Printf("%d lots for %d ticks*lots, down to %d\n", im.Qty, im.Cost, im.Worst)
	// Output:
	// 4 lots for 394 ticks*lots, down to 98
}

func ExampleSide() {
	var s orderbook.Side // the zero value is invalid
	_, err := new(orderbook.Book).Limit(orderbook.Order{ID: 1, Side: s, Type: orderbook.GTC, Price: 1, Qty: 1}, nil)
	fmt.Println(err)
	// Output:
	// orderbook: invalid side
}

func ExampleSide_String() {
	fmt.Println(orderbook.Buy, orderbook.Sell, orderbook.Side(0))
	// Output:
	// buy sell Side(0)
}

func ExampleType() {
	var b orderbook.Book
	_, err := b.Market(orderbook.Order{ID: 1, Side: orderbook.Buy, Type: orderbook.GTC, Qty: 1}, nil)
	fmt.Println(err)
	// Output:
	// orderbook: invalid order type
}

func ExampleType_String() {
	fmt.Println(orderbook.GTC, orderbook.IOC, orderbook.FOK, orderbook.PostOnly, orderbook.Type(0))
	// Output:
	// GTC IOC FOK post-only Type(0)
}

func ExampleSTP() {
	var b orderbook.Book
	place(&b, orderbook.Order{ID: 1, Side: orderbook.Sell, Type: orderbook.GTC, Price: 101, Qty: 5, Owner: 7})
	// No mode: the owner trades with itself.
	fills, _ := b.Limit(orderbook.Order{ID: 2, Side: orderbook.Buy, Type: orderbook.IOC, Price: 101, Qty: 1, Owner: 7}, nil)
	fmt.Println(fills)
	// Cancel resting: the resting order goes, reported as a fill of 0.
	fills, _ = b.Limit(orderbook.Order{
		ID: 3, Side: orderbook.Buy, Type: orderbook.IOC, Price: 101, Qty: 1,
		Owner: 7, STP: orderbook.CancelResting,
	}, nil)
	fmt.Println(fills, b.Len())
	// Cancel both: the resting order goes, and so does the rest of the
	// incoming one, which would otherwise rest.
	place(&b, orderbook.Order{ID: 4, Side: orderbook.Sell, Type: orderbook.GTC, Price: 101, Qty: 5, Owner: 7})
	fills, _ = b.Limit(orderbook.Order{
		ID: 5, Side: orderbook.Buy, Type: orderbook.GTC, Price: 101, Qty: 2,
		Owner: 7, STP: orderbook.CancelBoth,
	}, nil)
	fmt.Println(fills, b.Len())
	// Output:
	// [{1 2 101 1 false}]
	// [{1 3 101 0 true}] 0
	// [{4 5 101 0 true}] 0
}

func ExampleSTP_String() {
	fmt.Println(orderbook.STP(0), orderbook.CancelResting, orderbook.CancelIncoming, orderbook.CancelBoth)
	// Output:
	// none cancel-resting cancel-incoming cancel-both
}

// ExampleL2 feeds a mirror a short recorded sequence of messages from an
// exchange's depth stream: a snapshot, then level updates, where a size of
// 0 deletes the level.
func ExampleL2() {
	type message struct {
		snapshot   bool
		bids, asks []orderbook.Level // price, size; in ticks and lots
	}
	feed := []message{
		{
			snapshot: true,
			bids:     []orderbook.Level{{Price: 64990, Qty: 12}, {Price: 64980, Qty: 30}, {Price: 64970, Qty: 25}},
			asks:     []orderbook.Level{{Price: 65000, Qty: 8}, {Price: 65010, Qty: 15}, {Price: 65020, Qty: 40}},
		},
		{bids: []orderbook.Level{{Price: 64990, Qty: 20}}},
		{asks: []orderbook.Level{{Price: 65000, Qty: 0}, {Price: 65005, Qty: 3}}},
		{bids: []orderbook.Level{{Price: 64995, Qty: 5}, {Price: 64970, Qty: 0}}, asks: []orderbook.Level{{Price: 65030, Qty: 0}}},
	}
	m := orderbook.NewL2(100)
	for i, msg := range feed {
		var err error
		if msg.snapshot {
			err = m.Snapshot(msg.bids, msg.asks)
		} else {
			for _, lv := range msg.bids {
				err = errors.Join(err, m.Set(orderbook.Buy, lv.Price, lv.Qty))
			}
			for _, lv := range msg.asks {
				err = errors.Join(err, m.Set(orderbook.Sell, lv.Price, lv.Qty))
			}
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		bid, _ := m.BestBid()
		ask, _ := m.BestAsk()
		impact, _ := m.ImpactQty(orderbook.Sell, 20)
		fmt.Printf("%d: %dx%d / %dx%d, buying 20 costs %d, up to %d\n",
			i, bid.Qty, bid.Price, ask.Qty, ask.Price, impact.Cost, impact.Worst)
	}
	// Output:
	// 0: 12x64990 / 8x65000, buying 20 costs 1300120, up to 65010
	// 1: 20x64990 / 8x65000, buying 20 costs 1300120, up to 65010
	// 2: 20x64990 / 3x65005, buying 20 costs 1300205, up to 65020
	// 3: 5x64995 / 3x65005, buying 20 costs 1300205, up to 65020
}

func ExampleNewL2() {
	m := orderbook.NewL2(1000) // room for 1,000 levels a side
	check(m.Set(orderbook.Buy, 100, 5))
	bid, ok := m.BestBid()
	fmt.Println(bid, ok)
	// Output:
	// {100 5} true
}

func ExampleL2_Set() {
	var m orderbook.L2
	check(m.Set(orderbook.Sell, 101, 5))
	check(m.Set(orderbook.Sell, 102, 7))
	check(m.Set(orderbook.Sell, 101, 2)) // a new size
	check(m.Set(orderbook.Sell, 103, 0)) // deleting a level that is not there is fine
	fmt.Println(m.AppendDepth(nil, orderbook.Sell, 5))
	fmt.Println(m.Set(orderbook.Sell, 101, -1))
	// Output:
	// [{101 2} {102 7}]
	// orderbook: invalid quantity
}

func ExampleL2_Delete() {
	var m orderbook.L2
	check(m.Set(orderbook.Buy, 99, 5))
	check(m.Set(orderbook.Buy, 98, 7))
	check(m.Delete(orderbook.Buy, 99))
	fmt.Println(m.AppendDepth(nil, orderbook.Buy, 5))
	// Output:
	// [{98 7}]
}

func ExampleL2_Snapshot() {
	var m orderbook.L2
	err := m.Snapshot(
		[]orderbook.Level{{Price: 98, Qty: 7}, {Price: 99, Qty: 5}},
		[]orderbook.Level{{Price: 101, Qty: 3}},
	)
	fmt.Println(m.AppendDepth(nil, orderbook.Buy, 5), m.AppendDepth(nil, orderbook.Sell, 5), err)
	err = m.Snapshot(nil, []orderbook.Level{{Price: 101, Qty: 3}, {Price: 101, Qty: 4}})
	fmt.Println(err, m.AppendDepth(nil, orderbook.Sell, 5))
	// Output:
	// [{99 5} {98 7}] [{101 3}] <nil>
	// orderbook: duplicate price in snapshot [{101 3}]
}

func ExampleL2_Reset() {
	var m orderbook.L2
	check(m.Set(orderbook.Buy, 99, 5))
	m.Reset()
	_, ok := m.BestBid()
	fmt.Println(ok)
	// Output:
	// false
}

func ExampleL2_BestBid() {
	var m orderbook.L2
	check(m.Set(orderbook.Buy, 99, 5))
	check(m.Set(orderbook.Buy, 100, 1))
	fmt.Println(m.BestBid())
	// Output:
	// {100 1} true
}

func ExampleL2_BestAsk() {
	var m orderbook.L2
	check(m.Set(orderbook.Sell, 101, 5))
	check(m.Set(orderbook.Sell, 100, 1))
	fmt.Println(m.BestAsk())
	// Output:
	// {100 1} true
}

func ExampleL2_AppendDepth() {
	var m orderbook.L2
	for p := int64(101); p <= 105; p++ {
		check(m.Set(orderbook.Sell, p, p-100))
	}
	fmt.Println(m.AppendDepth(nil, orderbook.Sell, 3))
	// Output:
	// [{101 1} {102 2} {103 3}]
}

func ExampleL2_Levels() {
	var m orderbook.L2
	check(m.Set(orderbook.Buy, 99, 5))
	check(m.Set(orderbook.Buy, 98, 7))
	for price, qty := range m.Levels(orderbook.Buy) {
		fmt.Println(price, qty)
	}
	// Output:
	// 99 5
	// 98 7
}

func ExampleL2_ImpactQty() {
	var m orderbook.L2
	check(m.Set(orderbook.Sell, 101, 5))
	check(m.Set(orderbook.Sell, 102, 5))
	fmt.Println(m.ImpactQty(orderbook.Sell, 8))
	// Output:
	// {8 811 102} <nil>
}

func ExampleL2_ImpactNotional() {
	// The impact bid and ask price for the funding premium index:
	// Binance's impact margin notional is 200 USDT / initial margin rate;
	// at 20x leverage, 4,000 USDT. With a 0.1 USDT tick and a 0.001 lot,
	// one tick*lot is 0.0001 USDT, so 4,000 USDT is 40,000,000 ticks*lots.
	var m orderbook.L2
	check(m.Snapshot(
		[]orderbook.Level{{Price: 649990, Qty: 40}, {Price: 649980, Qty: 100}},
		[]orderbook.Level{{Price: 650010, Qty: 30}, {Price: 650020, Qty: 100}},
	))
	const notional = 40_000_000
	bid, _ := m.ImpactNotional(orderbook.Buy, notional)
	ask, _ := m.ImpactNotional(orderbook.Sell, notional)
	// Only whole lots are taken, so Cost/Qty weighs in the whole last lot,
	// past the notional, at the worst price; the impact price is the
	// average of exactly the notional, the last lot taken in part.
	exact := func(im orderbook.Impact) float64 {
		return float64(notional) * float64(im.Worst) / float64(im.Qty*im.Worst-(im.Cost-notional))
	}
	fmt.Printf("whole lots: bid %.2f, ask %.2f ticks\n",
		float64(bid.Cost)/float64(bid.Qty), float64(ask.Cost)/float64(ask.Qty))
	fmt.Printf("impact bid %.2f, impact ask %.2f ticks\n", exact(bid), exact(ask))
	// Output:
	// whole lots: bid 649986.45, ask 650015.16 ticks
	// impact bid 649986.50, impact ask 650015.12 ticks
}
