package markindex_test

import (
	"fmt"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/engine/markindex"
	"github.com/derivmath/derivmath/liquidation"
)

// d parses a decimal constant of the examples (and of the package's
// tests): d("45000.05").
func d(s string) *apd.Decimal {
	x, _, err := apd.NewFromString(s)
	if err != nil {
		panic(err)
	}
	return x
}

// A BTCUSDT index in ticks of 0.1: a long liquidated at 45,000.05, a short
// at 55,000; a mark of 44,990 finds the long.
func Example() {
	x, _ := markindex.New(d("0.1"), markindex.Deepest)
	long, _ := x.Below(d("45000.05"))
	short, _ := x.Above(d("55000"))
	x.Upsert(1, long)
	x.Upsert(2, short)
	fmt.Println(long, short)

	hits := make([]markindex.ID, 0, 16) // reused on every tick
	hits, _ = x.Tick(d("50000"), hits[:0])
	fmt.Println("at 50000:", hits)
	hits, _ = x.Tick(d("44990"), hits[:0])
	fmt.Println("at 44990:", hits)
	// Output:
	// {450001 0} {0 550000}
	// at 50000: []
	// at 44990: [1]
}

func ExampleNew() {
	x, err := markindex.New(d("0.5"), markindex.ByKey)
	fmt.Println(x.Len(), err)
	_, err = markindex.New(d("0.5"), 0)
	fmt.Println(err)
	// Output:
	// 0 <nil>
	// markindex: invalid order
}

func ExampleNow() {
	x, _ := markindex.New(d("1"), markindex.Deepest)
	x.Upsert(7, markindex.Now()) // liquidatable already: fires at any mark
	hits, _ := x.Tick(d("123"), nil)
	fmt.Println(hits)
	// Output: [7]
}

func ExampleKey_Or() {
	trigger := markindex.Key{Lo: 4_500}
	band := markindex.Key{Lo: 4_950, Hi: 5_050}
	fmt.Println(trigger.Or(band))
	fmt.Println(markindex.Key{Lo: 10}.Or(markindex.Key{Hi: 9}) == markindex.Now())
	// Output:
	// {4950 5050}
	// true
}

func ExampleOrder_String() {
	fmt.Println(markindex.Deepest, markindex.ByKey, markindex.Order(9))
	// Output: Deepest ByKey Order(9)
}

func ExampleIndex_Unit() {
	x, _ := markindex.New(d("0.01"), markindex.Deepest)
	var u apd.Decimal
	x.Unit(&u)
	fmt.Println(u.String())
	// Output: 0.01
}

func ExampleIndex_Len() {
	x, _ := markindex.New(d("1"), markindex.Deepest)
	x.Upsert(1, markindex.Key{Lo: 90})
	x.Upsert(2, markindex.Key{Hi: 110})
	x.Upsert(3, markindex.Key{}) // never fires: not indexed
	fmt.Println(x.Len())
	// Output: 2
}

func ExampleIndex_Key() {
	x, _ := markindex.New(d("1"), markindex.Deepest)
	x.Upsert(1, markindex.Key{Lo: 120, Hi: 110}) // fires everywhere
	k, ok := x.Key(1)
	fmt.Println(k == markindex.Now(), ok)
	// Output: true true
}

// Upsert re-keys: after a margin top-up the long's liquidation price falls.
func ExampleIndex_Upsert() {
	x, _ := markindex.New(d("1"), markindex.Deepest)
	x.Upsert(1, markindex.Key{Lo: 95})
	hits := x.TickUnits(94, nil)
	fmt.Println(hits)
	x.Upsert(1, markindex.Key{Lo: 90})
	fmt.Println(x.TickUnits(94, hits[:0]))
	// Output:
	// [1]
	// []
}

func ExampleIndex_Remove() {
	x, _ := markindex.New(d("1"), markindex.Deepest)
	x.Upsert(1, markindex.Key{Lo: 95})
	fmt.Println(x.Remove(1), x.Remove(1), x.Len())
	// Output: true false 0
}

// Deepest reports the entry the mark is farthest past first.
func ExampleIndex_Tick() {
	x, _ := markindex.New(d("1"), markindex.Deepest)
	x.Upsert(10, markindex.Key{Lo: 101})
	x.Upsert(11, markindex.Key{Lo: 104})
	x.Upsert(12, markindex.Key{Lo: 104})
	x.Upsert(13, markindex.Key{Hi: 120})
	hits, err := x.Tick(d("100.5"), nil) // units: floor 100, ceiling 101
	fmt.Println(hits, err)
	_, err = x.Tick(d("-1"), nil)
	fmt.Println(err)
	// Output:
	// [11 12 10] <nil>
	// derivmath: price must be positive
}

func ExampleIndex_TickUnits() {
	x, _ := markindex.New(d("0.5"), markindex.ByKey)
	x.Upsert(1, markindex.Key{Hi: 200})
	x.Upsert(2, markindex.Key{Hi: 190})
	fmt.Println(x.TickUnits(200, nil)) // a mark of 100.0
	// Output: [2 1]
}

func ExampleIndex_Below() {
	x, _ := markindex.New(d("0.5"), markindex.Deepest)
	k, _ := x.Below(d("48309.18")) // fires from 48,309.5 down
	fmt.Println(k)
	// Output: {96619 0}
}

func ExampleIndex_Above() {
	x, _ := markindex.New(d("0.5"), markindex.Deepest)
	k, _ := x.Above(d("6968.86")) // fires from 6,968.5 up
	fmt.Println(k)
	// Output: {0 13937}
}

// An isolated BitMEX-style long compiled once; its key is its exact
// liquidation price rounded up to the tick, and one tick more.
func ExampleIndex_Solver() {
	ctx := derivmath.NewContext()
	a := &liquidation.Account{Spec: contract.XBTUSD(), Convention: liquidation.BitMEX}
	a.Legs = make([]liquidation.Leg, 1)
	a.Legs[0].Qty.SetInt64(10_000)
	a.Legs[0].Entry.SetInt64(50_000)
	a.Legs[0].MMR.Set(d("0.005"))
	_ = liquidation.IsolatedMargin(ctx, &a.Balance, a, d("25"))
	s, _ := liquidation.Compile(ctx, a)

	x, _ := markindex.New(&a.Spec.Tick, markindex.Deepest)
	k, err := x.Solver(s, d("50000"))
	fmt.Println(k, err) // 48,309.18 -> 48,309.5 -> 48,310.0
	// Output: {96620 0} <nil>
}

func ExampleIndex_Position() {
	a, _ := account.New(derivmath.NewContext(), liquidation.Bybit)
	btc := contract.BTCUSDT()
	_ = a.SetMark(btc, d("60000"))
	_ = a.SetWallet("USDT", d("10000"))
	p := &account.Position{Spec: btc, Side: account.OneWay, Mode: account.Isolated}
	p.Qty.Set(d("-0.5"))
	p.Entry.Set(d("60000"))
	p.Leverage.SetInt64(10)
	p.Margin.Set(d("3000"))
	p.MMR.Set(d("0.005"))
	_ = a.Set(p)

	x, _ := markindex.New(&btc.Tick, markindex.Deepest)
	k, err := x.Position(a, 0)
	fmt.Println(k, err)
	// Output: {0 656669} <nil>
}

// A cross account long BTC and long ETH: each contract's key is its
// liquidation price with the other mark at the worst edge of a 1% band
// (BTC 59,445.9 with ETH at 2,970; ETH 2,974.59 with BTC at 59,400), Or its
// own band (BTC 59,400 to 60,600), so that a move of the other mark past
// its band re-keys.
func ExampleCross() {
	a, _ := account.New(derivmath.NewContext(), liquidation.Binance)
	btc := contract.BTCUSDT()
	eth, _ := contract.New(contract.Params{Symbol: "ETHUSDT", Kind: contract.Linear, Settle: "USDT", Multiplier: "1", Tick: "0.01", Lot: "0.001"})
	_ = a.SetMark(btc, d("60000"))
	_ = a.SetMark(eth, d("3000"))
	_ = a.SetWallet("USDT", d("1300"))
	for _, p := range []*account.Position{
		{Spec: btc, Side: account.OneWay, Mode: account.Cross},
		{Spec: eth, Side: account.OneWay, Mode: account.Cross},
	} {
		p.Qty.Set(d("1"))
		if p.Spec == eth {
			p.Qty.Set(d("10"))
		}
		a.Mark(&p.Entry, p.Spec)
		p.Leverage.SetInt64(20)
		p.MMR.Set(d("0.005"))
		_ = a.Set(p)
	}
	bx, _ := markindex.New(&btc.Tick, markindex.Deepest)
	ex, _ := markindex.New(&eth.Tick, markindex.Deepest)
	legs := []markindex.Leg{{Spec: btc, Index: bx}, {Spec: eth, Index: ex}}
	err := markindex.Cross(a, "USDT", d("0.01"), legs)
	fmt.Println(err)
	for _, l := range legs {
		fmt.Println(l.Spec.Symbol, l.Key)
	}
	// Output:
	// <nil>
	// BTCUSDT {594459 606000}
	// ETHUSDT {297459 303000}
}
