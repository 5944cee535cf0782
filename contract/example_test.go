package contract_test

import (
	"errors"
	"fmt"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
)

// show formats x without trailing zeros, in plain notation.
func show(x *apd.Decimal) string {
	var r apd.Decimal
	r.Reduce(x)
	return r.Text('f')
}

func ExampleKind() {
	// The zero Kind is invalid, so a forgotten kind fails validation.
	_, err := contract.New(contract.Params{Multiplier: "1", Tick: "0.5", Lot: "1"})
	fmt.Println(errors.Is(err, contract.ErrKind))
	// Output:
	// true
}

func ExampleKind_String() {
	fmt.Println(contract.Linear, contract.Inverse, contract.Quanto, contract.Kind(0))
	// Output:
	// Linear Inverse Quanto Kind(0)
}

func ExampleNew() {
	// Parameters as an exchange's instrument endpoint gives them.
	s, err := contract.New(contract.Params{
		Symbol: "XBTUSD", Kind: contract.Inverse, Settle: "XBT",
		Multiplier: "1", Tick: "0.5", Lot: "100",
		Maker: "-0.00025", Taker: "0.00075", Minor: "0.00000001",
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(s.Symbol, s.Kind, &s.Tick, &s.Taker)

	_, err = contract.New(contract.Params{Kind: contract.Linear, Multiplier: "0", Tick: "0.1", Lot: "0.001"})
	fmt.Println(errors.Is(err, contract.ErrMultiplier))
	// Output:
	// XBTUSD Inverse 0.5 0.00075
	// true
}

func ExampleParams() {
	p := contract.Params{Kind: contract.Linear, Multiplier: "1", Tick: "0.1", Lot: "0.001"}
	s, err := contract.New(p) // empty fees and minor unit mean zero
	if err != nil {
		panic(err)
	}
	fmt.Println(s.Kind, &s.Lot, s.Taker.IsZero(), s.Minor.IsZero())
	// Output:
	// Linear 0.001 true true
}

func ExampleParseError() {
	_, err := contract.New(contract.Params{Kind: contract.Linear, Multiplier: "1", Tick: "0.5.0", Lot: "1"})
	var pe *contract.ParseError
	if errors.As(err, &pe) {
		fmt.Printf("field %s, text %q\n", pe.Field, pe.Text)
	}
	// Output:
	// field tick, text "0.5.0"
}

func ExampleParseError_Error() {
	err := &contract.ParseError{Field: "tick", Text: "0.5.0", Err: errors.New("apd's reason")}
	fmt.Println(err)
	// Output:
	// contract: parse tick "0.5.0": apd's reason
}

func ExampleParseError_Unwrap() {
	_, err := contract.New(contract.Params{Kind: contract.Linear, Multiplier: "1", Tick: "0.5", Lot: "1e"})
	var pe *contract.ParseError
	if errors.As(err, &pe) {
		// apd's parse error, which errors.Is finds through the ParseError.
		fmt.Println(pe.Unwrap() != nil, errors.Is(err, pe.Unwrap()))
	}
	// Output:
	// true true
}

func ExampleSpec() {
	// A Spec filled in by hand must pass Validate.
	s := &contract.Spec{Symbol: "XBTETH", Kind: contract.Inverse, Settle: "ETH"}
	s.Multiplier.SetFinite(1, -2) // 0.01
	s.Tick.SetFinite(1, -5)
	s.Lot.SetInt64(1)
	fmt.Println(s.Validate())

	// The XBTETH example of BitMEX's blog: 100 contracts, 15.789 -> 14.646.
	ctx := derivmath.NewContext()
	var pnl apd.Decimal
	if err := s.PnL(ctx, &pnl, apd.New(100, 0), apd.New(15789, -3), apd.New(14646, -3)); err != nil {
		panic(err)
	}
	fmt.Println(&pnl, s.Settle)
	// Output:
	// <nil>
	// -0.004942794740212546401 ETH
}

func ExampleSpec_Validate() {
	s := &contract.Spec{Kind: contract.Linear}
	s.Multiplier.SetInt64(1)
	s.Lot.SetFinite(1, -3)
	err := s.Validate() // no tick
	fmt.Println(errors.Is(err, contract.ErrTickSize))
	// Output:
	// true
}

func ExampleSpec_Value() {
	ctx := derivmath.NewContext()
	var v apd.Decimal
	for _, c := range []struct {
		s          *contract.Spec
		qty, price *apd.Decimal
	}{
		{contract.XBTUSD(), apd.New(15000, 0), apd.New(750, 0)}, // 15000 USD at 750: 20 XBT
		{contract.XBTUSD(), apd.New(15000, 0), apd.New(800, 0)},
		{contract.ETHUSD(), apd.New(10000, 0), apd.New(500, 0)}, // quanto: 10000*0.000001*500 XBT
		{contract.BTCUSDT(), apd.New(5, -1), apd.New(60000, 0)},
		{contract.BTCUSDPerp(), apd.New(-10, 0), apd.New(50000, 0)}, // a short is worth as much
	} {
		if err := c.s.Value(ctx, &v, c.qty, c.price); err != nil {
			panic(err)
		}
		fmt.Printf("%s %s @ %s: %s %s\n", c.s.Symbol, c.qty, c.price, show(&v), c.s.Settle)
	}
	// Output:
	// XBTUSD 15000 @ 750: 20 XBT
	// XBTUSD 15000 @ 800: 18.75 XBT
	// ETHUSD 10000 @ 500: 5 XBT
	// BTCUSDT 0.5 @ 60000: 30000 USDT
	// BTCUSD_PERP -10 @ 50000: 0.02 BTC
}

func ExampleSpec_Price() {
	ctx := derivmath.NewContext()
	s := contract.XBTUSD()
	var p apd.Decimal
	// At what price are 15000 XBTUSD worth 18.75 XBT?
	if err := s.Price(ctx, &p, apd.New(15000, 0), apd.New(1875, -2)); err != nil {
		panic(err)
	}
	fmt.Println(show(&p))
	// Output:
	// 800
}

func ExampleSpec_PnL() {
	ctx := derivmath.NewContext()
	xbtusd, btcusdt := contract.XBTUSD(), contract.BTCUSDT()
	var up, down apd.Decimal
	// BitMEX's perpetual guide: long 15000 XBTUSD at 750. An inverse
	// contract is convex: 50 up gains less than 50 down loses.
	qty, entry := apd.New(15000, 0), apd.New(750, 0)
	if err := xbtusd.PnL(ctx, &up, qty, entry, apd.New(800, 0)); err != nil {
		panic(err)
	}
	if err := xbtusd.PnL(ctx, &down, qty, entry, apd.New(700, 0)); err != nil {
		panic(err)
	}
	fmt.Println("XBTUSD  +50:", show(&up), "XBT")
	fmt.Println("XBTUSD  -50:", show(&down), "XBT")
	// A linear contract is not: 0.5 BTC at 60000, 1000 either way.
	qty, entry = apd.New(5, -1), apd.New(60000, 0)
	if err := btcusdt.PnL(ctx, &up, qty, entry, apd.New(61000, 0)); err != nil {
		panic(err)
	}
	if err := btcusdt.PnL(ctx, &down, qty, entry, apd.New(59000, 0)); err != nil {
		panic(err)
	}
	fmt.Println("BTCUSDT +1000:", show(&up), "USDT")
	fmt.Println("BTCUSDT -1000:", show(&down), "USDT")
	// Output:
	// XBTUSD  +50: 1.25 XBT
	// XBTUSD  -50: -1.428571428571428571 XBT
	// BTCUSDT +1000: 500 USDT
	// BTCUSDT -1000: -500 USDT
}

func ExampleSpec_Unrealised() {
	ctx := derivmath.NewContext()
	s := contract.XBTUSD()
	// BitMEX's inverse futures guide: long 100000 at 10000, mark 10500.
	var p contract.Position
	p.Qty.SetInt64(100000)
	p.Entry.SetInt64(10000)
	var u apd.Decimal
	if err := s.Unrealised(ctx, &u, &p, apd.New(10500, 0)); err != nil {
		panic(err)
	}
	fmt.Println(&u, "XBT")
	// Output:
	// 0.4761904761904761905 XBT
}

func ExampleSpec_ROE() {
	ctx := derivmath.NewContext()
	s := contract.XBTUSD()
	var p contract.Position
	p.Qty.SetInt64(100000)
	p.Entry.SetInt64(10000)
	var roe apd.Decimal
	// At 10x, the margin is 1 XBT and the unrealised PnL 0.476 XBT.
	if err := s.ROE(ctx, &roe, &p, apd.New(10500, 0), apd.New(10, 0)); err != nil {
		panic(err)
	}
	fmt.Println(&roe)
	// Output:
	// 0.4761904761904761905
}

func ExampleSpec_BreakEven() {
	ctx := derivmath.NewContext()
	s := contract.XBTUSD()
	var p contract.Position
	p.Qty.SetInt64(100)
	p.Entry.SetInt64(10000)
	var be apd.Decimal
	// Taker in and out, 0.075% each way.
	if err := s.BreakEven(ctx, &be, &p, &s.Taker, &s.Taker); err != nil {
		panic(err)
	}
	fmt.Println(&be)
	// Output:
	// 10015.01125844383287
}

func ExampleSpec_Fee() {
	ctx := derivmath.NewContext()
	s := contract.XBTUSD()
	var fee apd.Decimal
	// 0.075% of 100/33613 XBT, rounded half-up to the satoshi.
	if err := s.Fee(ctx, &fee, apd.New(100, 0), apd.New(33613, 0), &s.Taker); err != nil {
		panic(err)
	}
	fmt.Println(show(&fee))
	// A maker rebate is a negative fee: 0.025% of 18.75 XBT.
	if err := s.Fee(ctx, &fee, apd.New(-15000, 0), apd.New(800, 0), &s.Maker); err != nil {
		panic(err)
	}
	fmt.Println(show(&fee))
	// Output:
	// 0.00000223
	// -0.0046875
}

func ExampleSpec_Cost() {
	ctx := derivmath.NewContext()
	s := contract.XBTUSD()
	var cost apd.Decimal
	// A real BitMEX execution: 100 XBTUSD at 33613, execCost 297504 XBt.
	if err := s.Cost(ctx, &cost, apd.New(100, 0), apd.New(33613, 0)); err != nil {
		panic(err)
	}
	fmt.Println(show(&cost), "XBT")
	// Output:
	// 0.00297504 XBT
}

func ExampleSpec_Apply() {
	ctx := derivmath.NewContext()
	s := contract.XBTUSD()
	var p contract.Position
	fills := []struct {
		qty, price int64
	}{
		{10000, 40000},  // open long
		{10000, 60000},  // add: the harmonic mean, 48000
		{-30000, 50000}, // flip: close 20000 at a profit, short 10000
	}
	for _, f := range fills {
		var fill contract.Fill
		fill.Qty.SetInt64(f.qty)
		fill.Price.SetInt64(f.price)
		if err := s.Apply(ctx, &p, &fill); err != nil {
			panic(err)
		}
		fmt.Printf("qty %s entry %s realised %s fees %s\n", &p.Qty, show(&p.Entry), show(&p.Realised), show(&p.Fees))
	}
	// A fill off the tick is refused, and the position stays as it was.
	var bad contract.Fill
	bad.Qty.SetInt64(100)
	bad.Price.SetFinite(500001, -1) // 50000.1
	fmt.Println(errors.Is(s.Apply(ctx, &p, &bad), contract.ErrOffTick), &p.Qty)
	// Output:
	// qty 10000 entry 40000 realised 0 fees 0.0001875
	// qty 20000 entry 48000 realised 0 fees 0.0003125
	// qty -10000 entry 50000 realised 0.01666667 fees 0.0007625
	// true -10000
}

func ExampleSpec_AvgEntry() {
	ctx := derivmath.NewContext()
	fills := make([]contract.Fill, 2)
	fills[0].Qty.SetInt64(10000)
	fills[0].Price.SetInt64(40000)
	fills[1].Qty.SetInt64(10000)
	fills[1].Price.SetInt64(60000)
	var avg apd.Decimal
	// Inverse: the harmonic mean.
	if err := contract.XBTUSD().AvgEntry(ctx, &avg, fills); err != nil {
		panic(err)
	}
	fmt.Println(show(&avg))
	// Linear: the arithmetic mean.
	if err := contract.XBTUSDT().AvgEntry(ctx, &avg, fills); err != nil {
		panic(err)
	}
	fmt.Println(show(&avg))
	// Output:
	// 48000
	// 50000
}

func ExampleSpec_Ticks() {
	ctx := derivmath.NewContext()
	s := contract.XBTUSD() // tick 0.5
	n, err := s.Ticks(ctx, apd.New(654325, -1))
	fmt.Println(n, err)
	_, err = s.Ticks(ctx, apd.New(654323, -1))
	fmt.Println(errors.Is(err, contract.ErrOffTick))
	// Output:
	// 130865 <nil>
	// true
}

func ExampleSpec_FromTicks() {
	ctx := derivmath.NewContext()
	var p apd.Decimal
	if err := contract.XBTUSD().FromTicks(ctx, &p, 130865); err != nil {
		panic(err)
	}
	fmt.Println(&p)
	// Output:
	// 65432.5
}

func ExampleSpec_Lots() {
	ctx := derivmath.NewContext()
	s := contract.XBTUSD() // lot 100
	n, err := s.Lots(ctx, apd.New(-15000, 0))
	fmt.Println(n, err)
	_, err = s.Lots(ctx, apd.New(150, 0))
	fmt.Println(errors.Is(err, contract.ErrOffLot))
	// Output:
	// -150 <nil>
	// true
}

func ExampleSpec_FromLots() {
	ctx := derivmath.NewContext()
	var q apd.Decimal
	if err := contract.BTCUSDT().FromLots(ctx, &q, 1500); err != nil { // lot 0.001
		panic(err)
	}
	fmt.Println(&q)
	// Output:
	// 1.500
}

func ExamplePosition() {
	ctx := derivmath.NewContext()
	s := contract.BTCUSDT()
	var p contract.Position // flat
	var f contract.Fill
	f.Qty.SetFinite(-2, -1) // sell 0.2 BTC
	f.Price.SetInt64(65000)
	if err := s.Apply(ctx, &p, &f); err != nil {
		panic(err)
	}
	var u apd.Decimal
	if err := s.Unrealised(ctx, &u, &p, apd.New(64000, 0)); err != nil {
		panic(err)
	}
	fmt.Println(&p.Qty, &p.Entry, show(&p.Fees), show(&u))
	// Output:
	// -0.2 65000 6.5 200
}

func ExamplePosition_Set() {
	var p, q contract.Position
	p.Qty.SetInt64(100)
	p.Entry.SetInt64(65000)
	q.Set(&p) // never q = p
	q.Qty.SetInt64(200)
	fmt.Println(&p.Qty, &q.Qty)
	// Output:
	// 100 200
}

func ExamplePosition_Equal() {
	var p, q contract.Position
	p.Entry.SetFinite(250, -2) // 2.50
	q.Entry.SetFinite(25, -1)  // 2.5
	fmt.Println(p.Equal(&q))
	// Output:
	// true
}

func ExampleFill() {
	ctx := derivmath.NewContext()
	s := contract.XBTUSD()
	var p contract.Position
	// A maker fill earns the rebate: 0.025% of 1000/50000 XBT.
	f := contract.Fill{Maker: true}
	f.Qty.SetInt64(1000)
	f.Price.SetInt64(50000)
	if err := s.Apply(ctx, &p, &f); err != nil {
		panic(err)
	}
	fmt.Println(show(&p.Fees))
	// Output:
	// -0.000005
}

func ExampleXBTUSD() {
	s := contract.XBTUSD()
	fmt.Println(s.Symbol, s.Kind, s.Settle, &s.Multiplier, &s.Tick, &s.Lot, &s.Maker, &s.Taker, show(&s.Minor))
	// Output:
	// XBTUSD Inverse XBT 1 0.5 100 -0.00025 0.00075 0.00000001
}

func ExampleETHUSD() {
	s := contract.ETHUSD()
	fmt.Println(s.Symbol, s.Kind, s.Settle, &s.Multiplier, &s.Tick, &s.Lot)
	// Output:
	// ETHUSD Quanto XBT 0.000001 0.05 1
}

func ExampleXBTUSDT() {
	s := contract.XBTUSDT()
	fmt.Println(s.Symbol, s.Kind, s.Settle, &s.Multiplier, &s.Tick, &s.Lot, show(&s.Minor))
	// Output:
	// XBTUSDT Linear USDT 0.000001 0.5 1000 0.000001
}

func ExampleBTCUSDT() {
	s := contract.BTCUSDT()
	fmt.Println(s.Symbol, s.Kind, s.Settle, &s.Multiplier, &s.Tick, &s.Lot, &s.Maker, &s.Taker)
	// Output:
	// BTCUSDT Linear USDT 1 0.1 0.001 0.0002 0.0005
}

func ExampleBTCUSDPerp() {
	s := contract.BTCUSDPerp()
	fmt.Println(s.Symbol, s.Kind, s.Settle, &s.Multiplier, &s.Tick, &s.Lot)
	// Output:
	// BTCUSD_PERP Inverse BTC 100 0.1 1
}

func ExampleBybitBTCUSD() {
	s := contract.BybitBTCUSD()
	fmt.Println(s.Symbol, s.Kind, s.Settle, &s.Multiplier, &s.Tick, &s.Lot, &s.Taker)
	// Output:
	// BTCUSD Inverse BTC 1 0.5 1 0.00055
}
