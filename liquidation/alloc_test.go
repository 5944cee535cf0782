package liquidation_test

import (
	"fmt"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/margin"
)

// A fixture is an account the allocation tests and benchmarks solve, with
// the rounding, mark and leverage to call the solvers with.
type fixture struct {
	name string
	a    *liquidation.Account
	r    liquidation.Rounding
	mark apd.Decimal
	lev  apd.Decimal
}

// leg appends a leg to a.
func leg(a *liquidation.Account, qty, entry, mmr, cum string) *liquidation.Leg {
	a.Legs = append(a.Legs, liquidation.Leg{})
	l := &a.Legs[len(a.Legs)-1]
	l.Qty.Set(dectest.D(qty))
	l.Entry.Set(dectest.D(entry))
	l.MMR.Set(dectest.D(mmr))
	l.Cum.Set(dectest.D(cum))
	return l
}

// newFixture returns a fixture on spec s with the given mark and leverage.
func newFixture(name string, s *contract.Spec, conv liquidation.Convention, r liquidation.Rounding, mark, lev string) *fixture {
	f := &fixture{name: name, a: &liquidation.Account{Spec: s, Convention: conv}, r: r}
	f.mark.Set(dectest.D(mark))
	f.lev.Set(dectest.D(lev))
	return f
}

// isolate sets the balance to the isolated margin at the fixture's
// leverage, plus extra.
func (f *fixture) isolate(t fataler, extra string) *fixture {
	t.Helper()
	ctx := derivmath.NewContext()
	noErr(t, liquidation.IsolatedMargin(ctx, &f.a.Balance, f.a, &f.lev))
	apdOK(t)(ctx.Add(&f.a.Balance, &f.a.Balance, dectest.D(extra)))
	return f
}

// fixtures returns the accounts of the allocation table and benchmarks:
// isolated linear and inverse, BitMEX with satoshis and rounding toward the
// entry, Binance tiers with a re-evaluation across a tier edge, cross (one
// leg plus the other positions' PnL and MM) and hedge mode (two legs).
func fixtures(t fataler) []*fixture {
	t.Helper()
	var fs []*fixture

	f := newFixture("isolated-linear", contract.BTCUSDT(), liquidation.Binance, liquidation.Exact, "59000", "20")
	leg(f.a, "0.5", "60000", "0.004", "0")
	fs = append(fs, f.isolate(t, "0"))

	f = newFixture("isolated-inverse", contract.BTCUSDPerp(), liquidation.Binance, liquidation.Exact, "61000", "20")
	leg(f.a, "-10", "60000", "0.005", "0")
	fs = append(fs, f.isolate(t, "0"))

	// BitMEX XBTUSD long 10,000 at 50,000, 25x, with posCost in satoshis and
	// the fee reserve posComm = ceil(taker*(posCost + posInit)) = 15,600
	// XBt, which BitMEX adds to the position margin.
	f = newFixture("bitmex-minor", contract.XBTUSD(), liquidation.BitMEX, liquidation.TowardEntry, "49000", "25")
	l := leg(f.a, "10000", "50000", "0.005", "0")
	noErr(t, f.a.Spec.Cost(derivmath.NewContext(), &l.Cost, &l.Qty, &l.Entry))
	f.a.FeeReserve.Set(dectest.D("0.000156"))
	fs = append(fs, f.isolate(t, "0.000156"))

	// Long 10 BTCUSDT at 60,000 at 20x: entry notional in tier 3, answer in
	// tier 2, so the solver solves twice.
	f = newFixture("binance-tiers", contract.BTCUSDT(), liquidation.Binance, liquidation.Exact, "58000", "20")
	leg(f.a, "10", "60000", "0", "0").Tiers = brackets(t, nil)
	fs = append(fs, f.isolate(t, "0"))

	f = newFixture("cross", contract.BTCUSDT(), liquidation.Binance, liquidation.Exact, "59000", "20")
	leg(f.a, "1", "60000", "0.005", "50")
	f.a.Balance.Set(dectest.D("10000"))
	f.a.OtherPnL.Set(dectest.D("-1000"))
	f.a.OtherMM.Set(dectest.D("155"))
	fs = append(fs, f)

	f = newFixture("hedge", contract.BTCUSDT(), liquidation.Binance, liquidation.TowardEntry, "59000", "20")
	leg(f.a, "1", "60000", "0.005", "50")
	leg(f.a, "-0.5", "62000", "0.005", "50")
	f.a.Balance.Set(dectest.D("5000"))
	fs = append(fs, f)
	return fs
}

// An otherPos is a position on another contract of a cross account.
type otherPos struct {
	spec  *contract.Spec
	qty   apd.Decimal
	entry apd.Decimal
	mark  apd.Decimal
	tiers *margin.Tiers
}

// A crossBook is a cross account with positions on ten contracts, seen from
// one of them: the liquidation price of that one needs the other nine's
// uPnL and MM at their marks.
type crossBook struct {
	a      *liquidation.Account
	others []otherPos
}

// newCrossBook returns a Binance cross account: long 1 BTCUSDT at 60,000 on
// a 20,000 USDT wallet, and nine other USD-M positions, longs and shorts,
// each on the BTCUSDT brackets.
func newCrossBook(t fataler) *crossBook {
	t.Helper()
	tiers := brackets(t, nil)
	c := &crossBook{a: &liquidation.Account{Spec: contract.BTCUSDT(), Convention: liquidation.Binance}}
	leg(c.a, "1", "60000", "0", "0").Tiers = tiers
	c.a.Balance.Set(dectest.D("20000"))
	rows := [...][5]string{
		// symbol, tick, qty, entry, mark
		{"ETHUSDT", "0.01", "10", "3000", "3050.25"},
		{"SOLUSDT", "0.001", "-200", "150.125", "148.5"},
		{"BNBUSDT", "0.01", "15", "600.5", "590"},
		{"XRPUSDT", "0.0001", "-20000", "0.6123", "0.6011"},
		{"DOGEUSDT", "0.00001", "50000", "0.16395", "0.15871"},
		{"ADAUSDT", "0.0001", "-10000", "0.4512", "0.4633"},
		{"LINKUSDT", "0.001", "300", "14.823", "15.101"},
		{"AVAXUSDT", "0.001", "-150", "35.12", "34.007"},
		{"LTCUSDT", "0.01", "40", "82.37", "80.12"},
	}
	c.others = make([]otherPos, len(rows))
	for i, r := range rows {
		o := &c.others[i]
		o.spec = mustSpec(t, contract.Params{Symbol: r[0], Kind: contract.Linear, Multiplier: "1", Tick: r[1], Lot: "1"})
		o.qty.Set(dectest.D(r[2]))
		o.entry.Set(dectest.D(r[3]))
		o.mark.Set(dectest.D(r[4]))
		o.tiers = tiers
	}
	return c
}

// tick is what a bot does on each price update: the other positions' uPnL
// and MM at their marks (Binance's UPNL1 and TMM1), then the liquidation
// price of the position it watches.
func (c *crossBook) tick(ctx *apd.Context, z *apd.Decimal) (liquidation.Status, error) {
	c.a.OtherPnL.SetInt64(0)
	c.a.OtherMM.SetInt64(0)
	var x apd.Decimal
	for i := range c.others {
		o := &c.others[i]
		if err := o.spec.PnL(ctx, &x, &o.qty, &o.entry, &o.mark); err != nil {
			return 0, err
		}
		if _, err := ctx.Add(&c.a.OtherPnL, &c.a.OtherPnL, &x); err != nil {
			return 0, err
		}
		if err := o.spec.Value(ctx, &x, &o.qty, &o.mark); err != nil {
			return 0, err
		}
		if err := o.tiers.Maintenance(ctx, &x, &x); err != nil {
			return 0, err
		}
		if _, err := ctx.Add(&c.a.OtherMM, &c.a.OtherMM, &x); err != nil {
			return 0, err
		}
	}
	return liquidation.Price(ctx, z, c.a, liquidation.Exact)
}

// allocContexts are the contexts of the allocation table: derivmath's
// default, apd's own at 19 digits (half-up), and 16 digits half-up.
func allocContexts() []struct {
	name string
	ctx  *apd.Context
} {
	p16 := apd.BaseContext.WithPrecision(16)
	p16.Rounding = apd.RoundHalfUp
	return []struct {
		name string
		ctx  *apd.Context
	}{
		{"default", derivmath.NewContext()},
		{"p19", apd.BaseContext.WithPrecision(19)},
		{"p16", p16},
	}
}

// TestAllocs: the one-shot functions and every method of a compiled Solver
// allocate nothing, in each of the three contexts, for every fixture, for
// a cross account of ten positions (nine on other contracts), and for an
// account of InlineTiered tiered legs; recompiling a Solver reuses its
// memory.
//
// As orderbook's TestAllocs does, it counts every allocation of 1,000
// runs of each row, not the average that testing.AllocsPerRun rounds
// down, so that a path that allocates now and then is seen; the least
// count of three attempts, each on accounts and Solvers built afresh,
// keeps out the runtime's own allocations. Any run's error fails the
// test.
func TestAllocs(t *testing.T) {
	for _, cc := range allocContexts() {
		t.Run(cc.name, func(t *testing.T) {
			dectest.CheckMallocs(t, 3, 1, 1000, func() []dectest.AllocCase { return allocCases(t, cc.ctx) })
		})
	}
}

// allocCases builds the accounts and Solvers of TestAllocs afresh, and
// returns its rows in ctx.
func allocCases(t *testing.T, ctx *apd.Context) []dectest.AllocCase {
	t.Helper()
	var z, pct apd.Decimal
	var err error
	var rows []allocCase
	for _, f := range fixtures(t) {
		a, r, mark, lev := f.a, f.r, &f.mark, &f.lev
		if st, perr := liquidation.Price(ctx, &z, a, r); perr != nil || st != liquidation.Found {
			t.Fatalf("%s: Price = %v, %v; want a price", f.name, st, perr)
		}
		s, cerr := liquidation.Compile(ctx, a)
		noErr(t, cerr)
		rows = append(rows,
			allocCase{f.name + "/Price", func() { _, err = liquidation.Price(ctx, &z, a, r) }},
			allocCase{f.name + "/Bankruptcy", func() { _, err = liquidation.Bankruptcy(ctx, &z, a, r) }},
			allocCase{f.name + "/Liquidatable", func() { _, err = liquidation.Liquidatable(ctx, a, mark) }},
			allocCase{f.name + "/Distance", func() { _, err = liquidation.Distance(ctx, &z, &pct, a, mark, r) }},
			allocCase{f.name + "/IsolatedMargin", func() { err = liquidation.IsolatedMargin(ctx, &z, a, lev) }},
			allocCase{f.name + "/Solver.Compile", func() { err = s.Compile(ctx, a) }},
			allocCase{f.name + "/Solver.Price", func() { _, err = s.Price(&z, r) }},
			allocCase{f.name + "/Solver.Bankruptcy", func() { _, err = s.Bankruptcy(&z, r) }},
			allocCase{f.name + "/Solver.Liquidatable", func() { _, err = s.Liquidatable(mark) }},
			allocCase{f.name + "/Solver.Distance", func() { _, err = s.Distance(&z, &pct, mark, r) }},
		)
	}
	book := newCrossBook(t)
	rows = append(rows, allocCase{"cross-10-positions/tick", func() { _, err = book.tick(ctx, &z) }})
	legs := newLegsBook(t, 10)
	s, cerr := liquidation.Compile(ctx, legs.a)
	noErr(t, cerr)
	i := 0
	rows = append(rows,
		allocCase{"cross-10-legs/Price", func() { _, err = liquidation.Price(ctx, &z, legs.a, liquidation.Exact) }},
		allocCase{"cross-10-legs/Solver.Compile", func() { err = s.Compile(ctx, legs.a) }},
		allocCase{"cross-10-legs/Solver.SetMark", func() {
			i ^= 1
			err = s.SetMark(1+i, &legs.marks[i][1+i])
		}},
		allocCase{"cross-10-legs/Solver.Price", func() {
			i ^= 1
			if err = s.SetMark(1, &legs.marks[i][1]); err == nil {
				_, err = s.Price(&z, liquidation.Exact)
			}
		}},
		allocCase{"cross-10-legs/Solver.Liquidatable", func() {
			i ^= 1
			if err = s.SetMark(2, &legs.marks[i][2]); err == nil {
				_, err = s.Liquidatable(&legs.marks[i][0])
			}
		}},
	)
	tiered := newTieredBook(t, liquidation.InlineTiered)
	rows = append(rows, allocCase{"tiered-legs/Price", func() { _, err = liquidation.Price(ctx, &z, tiered, liquidation.Exact) }})
	// More legs with a Cum than InlineTiered, each in its tier 1 (MMR*value
	// above Cum) at entry, at the price and at the mark: the answer does
	// not depend on their tier, and they do not count (see InlineTiered).
	floor := &liquidation.Account{Spec: contract.BTCUSDT(), Convention: liquidation.Binance}
	for range liquidation.InlineTiered + 2 {
		leg(floor, "0.1", "60000", "0.004", "10")
	}
	floor.Balance.Set(dectest.D("3000"))
	floorMark := dectest.D("61000")
	fs, cerr := liquidation.Compile(ctx, floor)
	noErr(t, cerr)
	rows = append(rows,
		allocCase{"floor-legs/Price", func() { _, err = liquidation.Price(ctx, &z, floor, liquidation.Exact) }},
		allocCase{"floor-legs/Liquidatable", func() { _, err = liquidation.Liquidatable(ctx, floor, floorMark) }},
		allocCase{"floor-legs/Distance", func() { _, err = liquidation.Distance(ctx, &z, &pct, floor, floorMark, liquidation.Exact) }},
		allocCase{"floor-legs/Solver.Compile", func() { err = fs.Compile(ctx, floor) }},
		allocCase{"floor-legs/Solver.Price", func() { _, err = fs.Price(&z, liquidation.Exact) }},
		allocCase{"floor-legs/Solver.Liquidatable", func() { _, err = fs.Liquidatable(floorMark) }},
	)
	return succeeds(t, rows, &err)
}

// An allocCase is a row of the allocation tests: a call that stores its
// error in a variable of the test.
type allocCase struct {
	name string
	fn   func()
}

// succeeds returns the rows of a steady-state allocation test for cases
// that store their error where err points: each run clears it, and stops
// the test if the call fails, so that the row measures the success path
// on every run.
func succeeds(t *testing.T, cases []allocCase, err *error) []dectest.AllocCase {
	t.Helper()
	var rows []dectest.AllocCase
	for _, c := range cases {
		rows = append(rows, dectest.AllocCase{Name: c.name, Fn: func() {
			*err = nil
			c.fn()
			if *err != nil {
				t.Fatalf("%s: %v", c.name, *err)
			}
		}})
	}
	return rows
}

// A legsBook is a Binance cross account of n positions: a BTCUSDT long on
// the BTCUSDT brackets, solved for, and n-1 positions on other linear
// contracts (on the same brackets), listed as legs at their marks, with two
// sets of marks.
type legsBook struct {
	a     *liquidation.Account
	marks [2][]apd.Decimal
}

// newLegsBook returns a legsBook of n positions, n >= 1; the others are
// longs and shorts of a few hundred to a few thousand USDT.
func newLegsBook(t fataler, n int) *legsBook {
	t.Helper()
	tiers := brackets(t, nil)
	b := &legsBook{a: &liquidation.Account{Spec: contract.BTCUSDT(), Convention: liquidation.Binance}}
	leg(b.a, "1", "60000", "0", "0").Tiers = tiers
	b.a.Balance.Set(dectest.D("20000"))
	b.marks[0] = make([]apd.Decimal, n)
	b.marks[1] = make([]apd.Decimal, n)
	b.marks[0][0].Set(dectest.D("61000.5"))
	b.marks[1][0].Set(dectest.D("60950.1"))
	for i := 1; i < n; i++ {
		s := mustSpec(t, contract.Params{Symbol: fmt.Sprintf("C%dUSDT", i), Kind: contract.Linear, Settle: "USDT", Multiplier: "1", Tick: "0.001", Lot: "1"})
		qty := fmt.Sprintf("%d", (i%7+1)*10)
		if i%2 == 0 {
			qty = "-" + qty
		}
		entry := fmt.Sprintf("%d.%03d", 20+i*7, i*37%1000)
		l := leg(b.a, qty, entry, "0", "0")
		l.Spec, l.Tiers = s, tiers
		var m apd.Decimal
		apdOK(t)(derivmath.NewContext().Mul(&m, &l.Entry, dectest.D("1.013")))
		b.marks[0][i].Set(&m)
		apdOK(t)(derivmath.NewContext().Mul(&m, &l.Entry, dectest.D("0.991")))
		b.marks[1][i].Set(&m)
		l.Mark.Set(&b.marks[0][i])
	}
	return b
}

// newTieredBook returns a Binance account of n legs on BTCUSDT, each on the
// brackets, longs and shorts (hedge mode), with the first long.
func newTieredBook(t fataler, n int) *liquidation.Account {
	t.Helper()
	tiers := brackets(t, nil)
	a := &liquidation.Account{Spec: contract.BTCUSDT(), Convention: liquidation.Binance}
	for i := range n {
		qty := fmt.Sprintf("%d.%d", 1+i%3, i)
		if i%2 == 1 {
			qty = "-0." + fmt.Sprint(i)
		}
		leg(a, qty, fmt.Sprintf("%d", 60000+500*i), "0", "0").Tiers = tiers
	}
	a.Balance.Set(dectest.D("30000"))
	return a
}

// TestAllocsConventions extends TestAllocs to what its fixtures leave
// out: Bybit's convention (linear and inverse), a quanto contract, and
// Nearest rounding, on every one-shot function and Solver method, in each
// context of allocContexts. It counts as TestAllocs does.
func TestAllocsConventions(t *testing.T) {
	for _, cc := range allocContexts() {
		t.Run(cc.name, func(t *testing.T) {
			dectest.CheckMallocs(t, 3, 1, 1000, func() []dectest.AllocCase { return conventionCases(t, cc.ctx) })
		})
	}
}

// conventionCases builds the accounts and Solvers of
// TestAllocsConventions afresh, and returns its rows in ctx.
func conventionCases(t *testing.T, ctx *apd.Context) []dectest.AllocCase {
	t.Helper()
	var z, pct apd.Decimal
	var err error
	cost := func(f *fixture) *fixture {
		l := &f.a.Legs[len(f.a.Legs)-1]
		noErr(t, f.a.Spec.Cost(derivmath.NewContext(), &l.Cost, &l.Qty, &l.Entry))
		return f
	}
	var fs []*fixture
	f := newFixture("bybit-linear", contract.BTCUSDT(), liquidation.Bybit, liquidation.TowardEntry, "59000", "20")
	leg(f.a, "0.5", "60000", "0.005", "0")
	fs = append(fs, cost(f).isolate(t, "0"))
	f = newFixture("bybit-inverse", contract.BybitBTCUSD(), liquidation.Bybit, liquidation.Nearest, "61000", "20")
	leg(f.a, "-1000", "60000", "0.005", "0")
	fs = append(fs, cost(f).isolate(t, "0"))
	f = newFixture("bitmex-quanto", contract.ETHUSD(), liquidation.BitMEX, liquidation.Nearest, "2950", "10")
	leg(f.a, "1000", "3000", "0.01", "0")
	fs = append(fs, cost(f).isolate(t, "0"))
	f = newFixture("binance-nearest", contract.BTCUSDT(), liquidation.Binance, liquidation.Nearest, "61000", "20")
	leg(f.a, "-0.5", "60000", "0.004", "0")
	fs = append(fs, f.isolate(t, "0"))
	var rows []allocCase
	for _, f := range fs {
		a, r, mark, lev := f.a, f.r, &f.mark, &f.lev
		if st, perr := liquidation.Price(ctx, &z, a, r); perr != nil || st != liquidation.Found {
			t.Fatalf("%s: Price = %v, %v; want a price", f.name, st, perr)
		}
		s, cerr := liquidation.Compile(ctx, a)
		noErr(t, cerr)
		for _, tt := range []allocCase{
			{"Price", func() { _, err = liquidation.Price(ctx, &z, a, r) }},
			{"Bankruptcy", func() { _, err = liquidation.Bankruptcy(ctx, &z, a, r) }},
			{"Liquidatable", func() { _, err = liquidation.Liquidatable(ctx, a, mark) }},
			{"Distance", func() { _, err = liquidation.Distance(ctx, &z, &pct, a, mark, r) }},
			{"IsolatedMargin", func() { err = liquidation.IsolatedMargin(ctx, &z, a, lev) }},
			{"Solver.Compile", func() { err = s.Compile(ctx, a) }},
			{"Solver.Price", func() { _, err = s.Price(&z, r) }},
			{"Solver.Bankruptcy", func() { _, err = s.Bankruptcy(&z, r) }},
			{"Solver.Liquidatable", func() { _, err = s.Liquidatable(mark) }},
			{"Solver.Distance", func() { _, err = s.Distance(&z, &pct, mark, r) }},
		} {
			rows = append(rows, allocCase{f.name + "/" + tt.name, tt.fn})
		}
	}
	return succeeds(t, rows, &err)
}

// TestAllocsErrors: a failed call allocates nothing either; every error
// of the package is a sentinel. A row for each kind of error the
// functions list, on the first fixture, in each context of
// allocContexts. It counts as TestAllocs does, and each run must fail.
func TestAllocsErrors(t *testing.T) {
	for _, cc := range allocContexts() {
		t.Run(cc.name, func(t *testing.T) {
			dectest.CheckMallocs(t, 3, 1, 1000, func() []dectest.AllocCase { return errorCases(t, cc.ctx) })
		})
	}
}

// errorCases builds the accounts and Solver of TestAllocsErrors afresh,
// and returns its rows in ctx.
func errorCases(t *testing.T, ctx *apd.Context) []dectest.AllocCase {
	t.Helper()
	var z, pct apd.Decimal
	var err error
	f := fixtures(t)[0]
	a, mark := f.a, &f.mark
	bad := *a
	bad.Convention = liquidation.Convention(9)
	noLegs := *a
	noLegs.Legs = nil
	negative := *a
	negative.FeeReserve.Set(dectest.D("-1"))
	zero, nan := dectest.D("0"), dectest.D("NaN")
	var rows []dectest.AllocCase
	s, cerr := liquidation.Compile(ctx, a)
	noErr(t, cerr)
	for _, tt := range []struct {
		name string
		fn   func()
	}{
		{"Price nil context", func() { _, err = liquidation.Price(nil, &z, a, f.r) }},
		{"Price rounding", func() { _, err = liquidation.Price(ctx, &z, a, liquidation.Rounding(9)) }},
		{"Price convention", func() { _, err = liquidation.Price(ctx, &z, &bad, f.r) }},
		{"Price no legs", func() { _, err = liquidation.Price(ctx, &z, &noLegs, f.r) }},
		{"Bankruptcy negative", func() { _, err = liquidation.Bankruptcy(ctx, &z, &negative, f.r) }},
		{"Liquidatable mark", func() { _, err = liquidation.Liquidatable(ctx, a, zero) }},
		{"Distance mark", func() { _, err = liquidation.Distance(ctx, &z, &pct, a, nan, f.r) }},
		{"IsolatedMargin leverage", func() { err = liquidation.IsolatedMargin(ctx, &z, a, zero) }},
		{"Solver.Compile convention", func() { err = s.Compile(ctx, &bad) }},
		{"Solver.Price rounding", func() { _, err = s.Price(&z, liquidation.Rounding(9)) }},
		{"Solver.Bankruptcy rounding", func() { _, err = s.Bankruptcy(&z, liquidation.Rounding(0)) }},
		{"Solver.Liquidatable mark", func() { _, err = s.Liquidatable(nan) }},
		{"Solver.Distance mark", func() { _, err = s.Distance(&z, &pct, zero, f.r) }},
		{"Solver.SetMark index", func() { err = s.SetMark(5, mark) }},
	} {
		rows = append(rows, dectest.Fails(t, tt.name, nil, func() error { err = nil; tt.fn(); return err }))
	}
	return rows
}
