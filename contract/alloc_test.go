package contract_test

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/dectest"
)

// market holds exchange-sized inputs for one instrument, parsed once.
type market struct {
	name                    string
	s                       *contract.Spec
	qty, short, price, mark *apd.Decimal
	lev                     *apd.Decimal
	value                   *apd.Decimal // a value to solve a price from
	long, shortPos          *contract.Position
	add, reduce, flip       *contract.Fill
	fills                   []contract.Fill
}

func fillOf(qty, price string, maker bool) *contract.Fill {
	f := &contract.Fill{Maker: maker}
	f.Qty.Set(d(qty))
	f.Price.Set(d(price))
	return f
}

// markets are BitMEX XBTUSD (inverse, money in satoshis), ETHUSD (quanto),
// Binance BTCUSDT (linear) and COIN-M BTCUSD (inverse, exact money), at
// 2024-like prices.
func markets(t testing.TB) []market {
	o := newOracle(t)
	mk := func(name string, s *contract.Spec, qty, price, mark, lot string) market {
		m := market{
			name: name, s: s, qty: d(qty), short: neg(d(qty)), price: d(price), mark: d(mark),
			lev: d("25"), value: d("1.2345"),
			long: position(qty, price), shortPos: position("-"+qty, price),
			add:    fillOf(lot, mark, true),
			reduce: fillOf("-"+lot, mark, false),
			flip:   fillOf("-"+qty+"0", mark, false), // ten times the position, the other way
		}
		// A position that has traded: a 19-digit entry, realised PnL and
		// fees, as averaging and fees without a minor unit leave them.
		for _, p := range []*contract.Position{m.long, m.shortPos} {
			p.Entry.Set(rounded(t, o.add(&p.Entry, o.quo(d("1"), d("3"))).String()))
			p.Realised.Set(rounded(t, "-0.1234567890123456789012"))
			p.Fees.Set(rounded(t, "0.0007654321098765432109876"))
		}
		m.fills = make([]contract.Fill, 3)
		for i, qp := range [][2]string{{qty, price}, {lot, mark}, {qty, mark}} {
			m.fills[i].Qty.Set(d(qp[0]))
			m.fills[i].Price.Set(d(qp[1]))
		}
		return m
	}
	return []market{
		mk("Inverse", contract.XBTUSD(), "15000", "65432.5", "66000.5", "100"),
		mk("Quanto", contract.ETHUSD(), "10000", "3456.75", "3501.05", "1"),
		mk("Linear", contract.BTCUSDT(), "0.5", "65432.1", "66000.3", "0.001"),
		mk("InverseExact", contract.BTCUSDPerp(), "10", "65432.1", "66000.3", "1"),
	}
}

// allocContexts are the contexts of the allocation tables: the default,
// apd's own BaseContext at 19 digits (half-up), and 16 digits half-up.
func allocContexts() []struct {
	name string
	ctx  *apd.Context
} {
	return []struct {
		name string
		ctx  *apd.Context
	}{
		{"default", derivmath.NewContext()},
		{"p19HalfUp", apd.BaseContext.WithPrecision(19)},
		{"p16HalfUp", apd.BaseContext.WithPrecision(16)},
	}
}

// TestAllocs: every exported computation allocates nothing on
// exchange-sized inputs, in each context of allocContexts.
//
// As orderbook's TestAllocs does, it counts every allocation of 1,000
// runs of each row, not the average that testing.AllocsPerRun rounds
// down, so that a computation that allocates now and then is seen; the
// least count of three attempts, each on operands built afresh, keeps out
// the runtime's own allocations. Any run's error fails the test.
func TestAllocs(t *testing.T) {
	for _, c := range allocContexts() {
		t.Run(c.name, func(t *testing.T) {
			dectest.CheckMallocs(t, 3, 1, 1000, func() []dectest.AllocCase { return allocCases(t, c.ctx) })
		})
	}
}

// allocCases builds the operands of TestAllocs afresh, and returns its
// rows in ctx.
func allocCases(t *testing.T, ctx *apd.Context) []dectest.AllocCase {
	t.Helper()
	var z apd.Decimal
	var p contract.Position
	var n int64
	var err error
	type alloc struct {
		name string
		fn   func()
	}
	var tests []alloc
	for _, m := range markets(t) {
		s := m.s
		for _, a := range []alloc{
			{"Value", func() { err = s.Value(ctx, &z, m.qty, m.price) }},
			{"Price", func() { err = s.Price(ctx, &z, m.qty, m.value) }},
			{"PnL", func() { err = s.PnL(ctx, &z, m.qty, m.price, m.mark) }},
			{"PnL short", func() { err = s.PnL(ctx, &z, m.short, m.price, m.mark) }},
			{"Unrealised", func() { err = s.Unrealised(ctx, &z, m.long, m.mark) }},
			{"ROE", func() { err = s.ROE(ctx, &z, m.shortPos, m.mark, m.lev) }},
			{"BreakEven", func() { err = s.BreakEven(ctx, &z, m.long, &s.Taker, &s.Taker) }},
			{"Fee", func() { err = s.Fee(ctx, &z, m.qty, m.mark, &s.Taker) }},
			{"Fee rebate", func() { err = s.Fee(ctx, &z, m.qty, m.mark, &s.Maker) }},
			{"Cost", func() { err = s.Cost(ctx, &z, m.qty, m.mark) }},
			{"Apply open", func() { p = contract.Position{}; err = s.Apply(ctx, &p, m.reduce) }},
			{"Apply add", func() { p.Set(m.long); err = s.Apply(ctx, &p, m.add) }},
			{"Apply reduce", func() { p.Set(m.long); err = s.Apply(ctx, &p, m.reduce) }},
			{"Apply flip", func() { p.Set(m.long); err = s.Apply(ctx, &p, m.flip) }},
			{"AvgEntry", func() { err = s.AvgEntry(ctx, &z, m.fills) }},
			{"Round", func() { err = derivmath.Round(ctx, &z, m.mark, &s.Tick, derivmath.HalfEven) }},
			{"Round to lot", func() { err = derivmath.Round(ctx, &z, m.qty, &s.Lot, derivmath.Down) }},
			{"Ticks", func() { n, err = s.Ticks(ctx, m.mark) }},
			{"Lots", func() { n, err = s.Lots(ctx, m.short) }},
			{"FromTicks", func() { err = s.FromTicks(ctx, &z, 130865) }},
			{"FromLots", func() { err = s.FromLots(ctx, &z, -150) }},
			{"Validate", func() { err = s.Validate() }},
			{"Kind.String", func() { _ = s.Kind.String() }},
		} {
			a.name = m.name + "/" + a.name
			tests = append(tests, a)
		}
	}
	cost, minor, lev, rate := d("0.002975039419272305358"), d("0.00000001"), d("100"), d("-0.00025")
	long := markets(t)[0].long
	tests = append(tests, []alloc{
		{"Round minor unit", func() { err = derivmath.Round(ctx, &z, cost, minor, derivmath.HalfUp) }},
		{"CheckDecimal", func() { err = derivmath.CheckDecimal(cost) }},
		{"CheckPrice", func() { err = derivmath.CheckPrice(cost) }},
		{"CheckLeverage", func() { err = derivmath.CheckLeverage(lev) }},
		{"CheckFeeRate", func() { err = derivmath.CheckFeeRate(rate) }},
		{"Position.Set", func() { p.Set(long) }},
		{"Position.Equal", func() { _ = p.Equal(&p) }},
		{"Rounding.String", func() { _ = derivmath.HalfEven.String() }},
	}...)
	_ = n
	var rows []dectest.AllocCase
	for _, tt := range tests {
		rows = append(rows, dectest.AllocCase{Name: tt.name, Fn: func() {
			err = nil
			tt.fn()
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
		}})
	}
	return rows
}

// TestAllocsErrors: a failed computation allocates nothing either. Every
// error is a sentinel, recorded and returned as it is, in each context of
// allocContexts; the table has a row for each kind of failure each
// function lists (a nil context, a bad operand, a result outside the
// range, a Spec never validated). Each call must fail on every run.
//
// As orderbook's TestAllocs does, it counts every allocation of 1,000
// runs of each row, not the average that testing.AllocsPerRun rounds
// down, so that an error path that allocates now and then is seen; the
// least count of three attempts, each on operands built afresh, keeps out
// the runtime's own allocations.
func TestAllocsErrors(t *testing.T) {
	for _, c := range allocContexts() {
		t.Run(c.name, func(t *testing.T) {
			dectest.CheckMallocs(t, 3, 1, 1000, func() []dectest.AllocCase { return errorCases(t, c.ctx) })
		})
	}
}

// errorCases builds the operands of TestAllocsErrors afresh, and returns
// its rows in ctx.
func errorCases(t *testing.T, ctx *apd.Context) []dectest.AllocCase {
	t.Helper()
	var rows []dectest.AllocCase
	var z apd.Decimal
	var p contract.Position
	var err error
	nan, negZero, big, zero, tiny, minute := d("NaN"), d("-0"), d("1E+60"), d("0"), d("1E-7"), d("1E-60")
	for _, m := range markets(t) {
		s := m.s
		bad := *s
		bad.Kind = contract.Kind(99)
		zeroFill := fillOf("0", "100", false)
		far := big // a price that puts the value out of range
		if s.Kind == contract.Inverse {
			far = minute
		}
		for _, a := range []struct {
			name string
			fn   func()
		}{
			{"Value nil context", func() { err = s.Value(nil, &z, m.qty, m.price) }},
			{"Value NaN", func() { err = s.Value(ctx, &z, nan, m.price) }},
			{"Value negative price", func() { err = s.Value(ctx, &z, m.qty, m.short) }},
			{"Value out of range", func() { err = s.Value(ctx, &z, big, far) }},
			{"Value bad kind", func() { err = bad.Value(ctx, &z, m.qty, m.price) }},
			{"Price zero value", func() { err = s.Price(ctx, &z, m.qty, zero) }},
			{"PnL -0", func() { err = s.PnL(ctx, &z, m.qty, negZero, m.mark) }},
			{"Unrealised zero mark", func() { err = s.Unrealised(ctx, &z, m.long, zero) }},
			{"ROE leverage", func() { err = s.ROE(ctx, &z, m.shortPos, m.mark, zero) }},
			{"ROE flat", func() { err = s.ROE(ctx, &z, &contract.Position{}, m.mark, m.lev) }},
			{"BreakEven fee rate", func() { err = s.BreakEven(ctx, &z, m.long, big, &s.Taker) }},
			{"Fee fee rate", func() { err = s.Fee(ctx, &z, m.qty, m.mark, big) }},
			{"Cost NaN", func() { err = s.Cost(ctx, &z, m.qty, nan) }},
			{"Apply zero", func() { p.Set(m.long); err = s.Apply(ctx, &p, zeroFill) }},
			{"Apply bad kind", func() { p.Set(m.long); err = bad.Apply(ctx, &p, m.add) }},
			{"AvgEntry empty", func() { err = s.AvgEntry(ctx, &z, nil) }},
			{"Ticks off the tick", func() { _, err = s.Ticks(ctx, tiny) }},
			{"Lots off the lot", func() { _, err = s.Lots(ctx, tiny) }},
			{"Ticks out of range", func() { _, err = s.Ticks(ctx, big) }},
			{"FromTicks nil context", func() { err = s.FromTicks(nil, &z, 1) }},
			{"Validate", func() { err = bad.Validate() }},
			{"Round step", func() { err = derivmath.Round(ctx, &z, m.mark, zero, derivmath.HalfEven) }},
			{"Round rounding", func() { err = derivmath.Round(ctx, &z, m.mark, &s.Tick, derivmath.Rounding(99)) }},
			{"CheckPrice", func() { err = derivmath.CheckPrice(negZero) }},
		} {
			rows = append(rows, dectest.Fails(t, m.name+"/"+a.name, nil, func() error { err = nil; a.fn(); return err }))
		}
	}
	return rows
}
