package liquidation_test

import (
	"errors"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/margin"
)

// errTier stands in an ErrDoc's list for a *margin.TierError.
var errTier error = &margin.TierError{}

// errDocs are the error lists, for TestErrorsDocumented and FuzzDocumented,
// of each exported function and method that returns an error
// (dectest.ErrorsDocumented). The lists resolve the references of the
// documentation: "derivmath.CheckDecimal errors" are
// dectest.CheckDecimalErrs (ErrRange among them, which the result gate also
// returns); "CheckPrice errors" add derivmath.ErrPrice, "CheckLeverage
// errors" ErrLeverage; "margin tier lookup errors" are a *margin.TierError
// (a leg's table is never nil and its notionals never negative, so
// margin.ErrNoTiers and margin.ErrNotional cannot come); "those of
// Solver.Compile" and "the Solver's own" are Compile's list, and "as for
// Solver.Price" Price's. No input here makes a wrapped apd error, and none
// comes out in the default, a 50-digit or a 5-digit context.
//
// The account is built from the operands: decimals 0-4 its Balance,
// OtherPnL, OtherMM, FeeReserve and ExtraMM, 5-9 leg 0's Qty, Entry, Cost,
// MMR and Cum, 10-15 leg 1's Qty, Entry, Mark, Cost, MMR and Cum, 16 a mark
// (or leverage), 17 the mark SetMark gives; integers: 0 the Spec (BTCUSDT,
// or nil or a hand-filled one), 1 the Convention, 2 the number of legs, 3
// the legs' tiers (none, or a table with a limit), 4 leg 1's contract (the
// account's, another in USDT, or one in XBT), 5 the Rounding, 6 the index
// SetMark is given.
func errDocs(t testing.TB) []dectest.ErrDoc {
	e := func(errs ...error) []error { return errs }
	dec := dectest.CheckDecimalErrs
	mod := func(n int64, k int) int {
		i := int(n % int64(k))
		if i < 0 {
			i = -i
		}
		return i
	}
	broken := func(f func(s *contract.Spec)) *contract.Spec {
		s := contract.BTCUSDT()
		f(s)
		return s
	}
	specs := []*contract.Spec{
		contract.BTCUSDT(), nil,
		broken(func(s *contract.Spec) { s.Kind = 0 }),
		broken(func(s *contract.Spec) { s.Multiplier.SetInt64(-1) }),
		broken(func(s *contract.Spec) { s.Tick.SetInt64(0) }),
		broken(func(s *contract.Spec) { s.Minor.SetInt64(-1) }),
	}
	eth, err := contract.New(contract.Params{Symbol: "ETHUSDT", Kind: contract.Linear, Settle: "USDT", Multiplier: "1", Tick: "0.01", Lot: "0.001"})
	if err != nil {
		t.Fatal(err)
	}
	others := []*contract.Spec{nil, eth, contract.XBTUSD()}
	rows := make([]margin.Tier, 2)
	for i, f := range []*apd.Decimal{&rows[1].Floor, &rows[0].MMR, &rows[1].MMR, &rows[1].Cum, &rows[0].MaxLeverage, &rows[1].MaxLeverage} {
		f.Set(dectest.D([]string{"50000", "0.004", "0.005", "50", "125", "100"}[i]))
	}
	table, err := margin.NewTiers(rows, dectest.D("250000"))
	if err != nil {
		t.Fatal(err)
	}
	account := func(x []*apd.Decimal, n []int64) *liquidation.Account {
		a := &liquidation.Account{Spec: specs[mod(n[0], len(specs))], Convention: liquidation.Convention(n[1])}
		for i, f := range []*apd.Decimal{&a.Balance, &a.OtherPnL, &a.OtherMM, &a.FeeReserve, &a.ExtraMM} {
			f.Set(x[i])
		}
		a.Legs = make([]liquidation.Leg, mod(n[2], 3))
		for i := range a.Legs {
			l := &a.Legs[i]
			if n[3]%2 != 0 {
				l.Tiers = table
			}
			fields := []*apd.Decimal{&l.Qty, &l.Entry, &l.Cost, &l.MMR, &l.Cum}
			if i == 1 {
				l.Spec = others[mod(n[4], len(others))]
				fields = []*apd.Decimal{&l.Qty, &l.Entry, &l.Mark, &l.Cost, &l.MMR, &l.Cum}
			}
			for j, f := range fields {
				f.Set(x[5+5*i+j])
			}
		}
		return a
	}
	base := []string{
		"1000", "0", "0", "0", "0",
		"0.1", "50000", "0", "0.005", "0",
		"-1", "3000", "3100", "0", "0.01", "0",
		"48000", "3200",
	}
	ints := []int64{0, int64(liquidation.Binance), 2, 0, 1, int64(liquidation.TowardEntry), 1}
	isTier := func(err error) bool {
		var te *margin.TierError
		return errors.As(err, &te)
	}
	x := func(want error, kv ...any) dectest.ErrCase {
		c := dectest.ErrCase{Want: want, X: map[int]string{}}
		for i := 0; i < len(kv); i += 2 {
			c.X[kv[i].(int)] = kv[i+1].(string)
		}
		return c
	}
	n := func(want error, kv ...int64) dectest.ErrCase {
		c := dectest.ErrCase{Want: want, N: map[int]int64{}}
		for i := 0; i < len(kv); i += 2 {
			c.N[int(kv[i])] = kv[i+1]
		}
		return c
	}
	cs := func(c ...dectest.ErrCase) []dectest.ErrCase { return c }
	compileErrs := dectest.Errs(dec, e(
		derivmath.ErrContext, liquidation.ErrNoSpec, liquidation.ErrConvention, liquidation.ErrNoLegs,
		contract.ErrKind, contract.ErrMultiplier, contract.ErrTickSize, contract.ErrMinorUnit,
		derivmath.ErrPrice, derivmath.ErrRate, liquidation.ErrNegative, liquidation.ErrSettle, derivmath.ErrZeroQty, errTier,
	))
	compileCases := cs(
		n(liquidation.ErrNoSpec, 0, 1), n(liquidation.ErrConvention, 1, 0), n(liquidation.ErrNoLegs, 2, 0),
		n(contract.ErrKind, 0, 2), n(contract.ErrMultiplier, 0, 3), n(contract.ErrTickSize, 0, 4),
		n(contract.ErrMinorUnit, 0, 5, 1, int64(liquidation.BitMEX)),
		x(derivmath.ErrPrice, 6, "0"), x(derivmath.ErrRate, 8, "1"), x(liquidation.ErrNegative, 2, "-1"),
		n(liquidation.ErrSettle, 4, 2), x(derivmath.ErrZeroQty, 5, "0"),
		dectest.ErrCase{Want: errTier, X: map[int]string{5: "10"}, N: map[int]int64{3: 1, 1: int64(liquidation.BitMEX)}},
	)
	priceErrs := dectest.Errs(compileErrs, e(liquidation.ErrRounding, liquidation.ErrNoConvergence))
	priceCases := append(cs(n(liquidation.ErrRounding, 5, 0)), compileCases...)
	// Each solve of a liquidation price on hedged, cycling legs.
	hedged := cycling(t)
	ctx := derivmath.NewContext()
	compiled := func() *liquidation.Solver {
		s, err := liquidation.Compile(ctx, hedged)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	// Its bankruptcy price reads no tier, and so has no such error.
	if _, err := liquidation.Bankruptcy(ctx, new(apd.Decimal), hedged, liquidation.Exact); err != nil {
		t.Errorf("Bankruptcy of the cycling account: %v", err)
	}
	noConv := func(f func() error) []dectest.ErrCase {
		return append(cs(dectest.ErrCase{Want: liquidation.ErrNoConvergence, Call: f}), priceCases...)
	}
	// The bankruptcy price reads no tier: no ErrNoConvergence.
	bankErrs := dectest.Errs(compileErrs, e(liquidation.ErrRounding))
	bankCases := append(cs(n(liquidation.ErrRounding, 5, 0)), compileCases...)
	markCases := append(cs(x(derivmath.ErrPrice, 16, "-1")), compileCases...)
	ctxOf := func(ctx *apd.Context, x []*apd.Decimal, n []int64) *liquidation.Solver {
		s := new(liquidation.Solver)
		_ = s.Compile(ctx, account(x, n)) // its error comes from every method
		return s
	}
	z := func() *apd.Decimal { return new(apd.Decimal) }
	r := func(n []int64) liquidation.Rounding { return liquidation.Rounding(n[5]) }
	docs := []dectest.ErrDoc{
		{
			Name: "Compile", Errs: compileErrs, Cases: compileCases,
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				_, err := liquidation.Compile(ctx, account(x, n))
				return err
			},
		},
		{
			Name: "Solver.Compile", Errs: compileErrs, Cases: compileCases,
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				return new(liquidation.Solver).Compile(ctx, account(x, n))
			},
		},
		{
			Name: "Price", Errs: priceErrs,
			Cases: noConv(func() error {
				_, err := liquidation.Price(ctx, z(), hedged, liquidation.Exact)
				return err
			}),
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				_, err := liquidation.Price(ctx, z(), account(x, n), r(n))
				return err
			},
		},
		{
			Name: "Solver.Price", Errs: priceErrs,
			Cases: noConv(func() error {
				_, err := compiled().Price(z(), liquidation.Exact)
				return err
			}),
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				_, err := ctxOf(ctx, x, n).Price(z(), r(n))
				return err
			},
		},
		{
			Name: "Bankruptcy", Errs: bankErrs, Cases: bankCases,
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				_, err := liquidation.Bankruptcy(ctx, z(), account(x, n), r(n))
				return err
			},
		},
		{
			Name: "Solver.Bankruptcy", Errs: bankErrs, Cases: bankCases,
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				_, err := ctxOf(ctx, x, n).Bankruptcy(z(), r(n))
				return err
			},
		},
		{
			Name: "Distance", Errs: priceErrs,
			Cases: append(noConv(func() error {
				_, err := liquidation.Distance(ctx, z(), z(), hedged, dectest.D("50000"), liquidation.Exact)
				return err
			}), x(derivmath.ErrPrice, 16, "-1")),
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				_, err := liquidation.Distance(ctx, z(), z(), account(x, n), x[16], r(n))
				return err
			},
		},
		{
			Name: "Solver.Distance", Errs: priceErrs,
			Cases: append(noConv(func() error {
				_, err := compiled().Distance(z(), z(), dectest.D("50000"), liquidation.Exact)
				return err
			}), x(derivmath.ErrPrice, 16, "-1")),
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				_, err := ctxOf(ctx, x, n).Distance(z(), z(), x[16], r(n))
				return err
			},
		},
		{
			Name: "Liquidatable", Errs: compileErrs, Cases: markCases,
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				_, err := liquidation.Liquidatable(ctx, account(x, n), x[16])
				return err
			},
		},
		{
			Name: "Solver.Liquidatable", Errs: compileErrs, Cases: markCases,
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				_, err := ctxOf(ctx, x, n).Liquidatable(x[16])
				return err
			},
		},
		{
			Name: "Solver.SetMark", Errs: dectest.Errs(compileErrs, e(liquidation.ErrLegIndex)),
			Cases: append(cs(x(derivmath.ErrPrice, 17, "0"), n(liquidation.ErrLegIndex, 6, 0), n(liquidation.ErrLegIndex, 6, 2)), compileCases...),
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				return ctxOf(ctx, x, n).SetMark(int(n[6]), x[17])
			},
		},
		{
			Name: "IsolatedMargin", Errs: dectest.Errs(compileErrs, e(derivmath.ErrLeverage, margin.ErrAboveMaxLeverage)),
			Cases: append(cs(
				x(derivmath.ErrLeverage, 16, "0.5"),
				dectest.ErrCase{Want: margin.ErrAboveMaxLeverage, X: map[int]string{16: "126"}, N: map[int]int64{3: 1}},
			), compileCases...),
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				return liquidation.IsolatedMargin(ctx, z(), account(x, n), x[16])
			},
		},
	}
	for i := range docs {
		docs[i].Base, docs[i].Ints, docs[i].Checked, docs[i].Typed = base, ints, []int{0}, isTier
	}
	docs[len(docs)-1].Base = append(append([]string(nil), base[:16]...), "10", "3200")
	return docs
}

// TestErrorsDocumented checks the error lists of errDocs
// (dectest.ErrorsDocumented).
func TestErrorsDocumented(t *testing.T) {
	dectest.ErrorsDocumented(t, errDocs(t))
}

// FuzzDocumented calls the functions of errDocs on fuzzed operands and
// contexts (dectest.FuzzDocumented).
func FuzzDocumented(f *testing.F) {
	dectest.FuzzDocumented(f, errDocs(f))
}

// cycling is an account whose liquidation price is ErrNoConvergence: a
// long and a short of the same size and entry on a table of 1100 tiers,
// liquidatable at every price, so that the exact scan crosses every tier
// floor, more than the solver allows.
func cycling(t testing.TB) *liquidation.Account {
	gen := dectest.LongTierRows(1100)
	rows := make([]margin.Tier, len(gen))
	for i := range gen {
		rows[i].Floor.Set(&gen[i].Floor)
		rows[i].MMR.Set(&gen[i].MMR)
		rows[i].Cum.Set(&gen[i].Cum)
		rows[i].MaxLeverage.Set(&gen[i].MaxLeverage)
	}
	table, err := margin.NewTiers(rows, nil)
	if err != nil {
		t.Fatal(err)
	}
	a := &liquidation.Account{Spec: contract.BTCUSDT(), Convention: liquidation.Binance, Legs: make([]liquidation.Leg, 2)}
	for i, q := range []string{"1", "-1"} {
		a.Legs[i].Qty.Set(dectest.D(q))
		a.Legs[i].Entry.SetInt64(50000)
		a.Legs[i].Tiers = table
	}
	return a
}

// TestBeyondLimitFromFirstTier: under the Binance convention, an account
// whose root lies beyond its table's limit has no liquidation price in the
// table, whichever tier its entry notional is in. A short of 1 at 50,000
// (entry notional 50,000, the second tier) with a wallet of 1,000,000 was
// Never; the same short of 0.1 (5,000, the first tier) returned the
// margin.TierError of the lookup past the limit, as iterate took the
// failed lookup's tier 0 for "no leg moved". Its equity stays above
// 755,000 at every price the table covers (notional below 250,000), where
// maintenance is at most 1,250: Never. A long of 0.001 with a wallet of
// -1,000,000 is, the same way, Always, as a long of 1 was.
func TestBeyondLimitFromFirstTier(t *testing.T) {
	rows := make([]margin.Tier, 2)
	for i, f := range []*apd.Decimal{&rows[1].Floor, &rows[0].MMR, &rows[1].MMR, &rows[1].Cum, &rows[0].MaxLeverage, &rows[1].MaxLeverage} {
		f.Set(dectest.D([]string{"50000", "0.004", "0.005", "50", "125", "100"}[i]))
	}
	table, err := margin.NewTiers(rows, dectest.D("250000"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		qty, balance string
		want         liquidation.Status
	}{
		{"-1", "1000000", liquidation.Never},
		{"-0.1", "1000000", liquidation.Never},
		{"-0.001", "1000000", liquidation.Never},
		{"1", "-1000000", liquidation.Always},
		{"0.001", "-1000000", liquidation.Always},
	} {
		a := &liquidation.Account{Spec: contract.BTCUSDT(), Convention: liquidation.Binance, Legs: make([]liquidation.Leg, 1)}
		a.Legs[0].Qty.Set(dectest.D(tt.qty))
		a.Legs[0].Entry.SetInt64(50000)
		a.Legs[0].Tiers = table
		a.Balance.Set(dectest.D(tt.balance))
		var z apd.Decimal
		st, err := liquidation.Price(derivmath.NewContext(), &z, a, liquidation.Exact)
		if err != nil || st != tt.want {
			t.Errorf("%s with %s: %v, %v; want %v", tt.qty, tt.balance, st, err, tt.want)
		}
	}
}

// TestEntryPastLimit: under the Binance convention a leg whose entry
// notional is at or beyond its table's limit (a position opened before
// Binance lowered the bracket's cap keeps its entry) still has the
// liquidation price its table defines: the price where equity meets the
// maintenance of its notional there, when that notional is within the
// table, whatever the tier of the entry. The solve started from the tier
// of the entry value, whose lookup is a *margin.TierError, and returned
// it. Each Found price is checked against the 50-digit oracle; a root
// beyond the limit is Never or Always, as TestBeyondLimitFromFirstTier
// has it.
//
//   - Linear (USD-M), the table of TestBeyondLimitFromFirstTier (limit
//     250,000): long 2.999 at 83,361.2 (entry notional 250,000.2388) with
//     25,000: the notional at the root is 224,950.2388/0.995 =
//     226,080.64..., in the second tier (P = 75,385.34...). A short of it
//     with -20,000 (a cross wallet under water): 230,050.2388/1.005 =
//     228,905.71... (P = 76,327.35...). The
//     long beside a short of 1 at the same entry (hedged). The short with
//     25,000, whose root lies beyond the limit, is Never; the long with
//     -300,000 is Always.
//   - Inverse (COIN-M BTCUSD_PERP, 100 USD a contract), a table in BTC
//     limited at 10 (0.4%, 0.5% and cum 0.005 from 5): short 500 at 4,999
//     (entry notional 10.0020... BTC) with 1 BTC meets its maintenance
//     at a notional of (10.0020... - 1.005)/0.995 = 9.0422... BTC, at
//     P = 50,000/9.0422... = 5,529.62...; the same long with 1 BTC is
//     Never, its root beyond the limit.
func TestEntryPastLimit(t *testing.T) {
	table := func(floor, cum, limit string) *margin.Tiers {
		rows := make([]margin.Tier, 2)
		for i, f := range []*apd.Decimal{&rows[1].Floor, &rows[0].MMR, &rows[1].MMR, &rows[1].Cum, &rows[0].MaxLeverage, &rows[1].MaxLeverage} {
			f.Set(dectest.D([]string{floor, "0.004", "0.005", cum, "125", "100"}[i]))
		}
		tt, err := margin.NewTiers(rows, dectest.D(limit))
		if err != nil {
			t.Fatal(err)
		}
		return tt
	}
	usdm, coinm := table("50000", "50", "250000"), table("5", "0.005", "10")
	ctx := derivmath.NewContext()
	for _, tt := range []struct {
		name    string
		spec    *contract.Spec
		tiers   *margin.Tiers
		legs    [][2]string // qty, entry
		balance string
		want    liquidation.Status
		price   string // when Found, by hand
	}{
		{"linear long", contract.BTCUSDT(), usdm, [][2]string{{"2.999", "83361.2"}}, "25000", liquidation.Found, "75385.3424508337"},
		{"linear short", contract.BTCUSDT(), usdm, [][2]string{{"-2.999", "83361.2"}}, "-20000", liquidation.Found, "76327.3458648737"},
		{"linear hedge", contract.BTCUSDT(), usdm, [][2]string{{"2.999", "83361.2"}, {"-1", "83361.2"}}, "25000", liquidation.Found, ""},
		{"linear short beyond", contract.BTCUSDT(), usdm, [][2]string{{"-2.999", "83361.2"}}, "25000", liquidation.Never, ""},
		{"linear long under water", contract.BTCUSDT(), usdm, [][2]string{{"2.999", "83361.2"}}, "-300000", liquidation.Always, ""},
		{"inverse short", contract.BTCUSDPerp(), coinm, [][2]string{{"-500", "4999"}}, "1", liquidation.Found, "5529.6207388807"},
		{"inverse long beyond", contract.BTCUSDPerp(), coinm, [][2]string{{"500", "4999"}}, "1", liquidation.Never, ""},
	} {
		a := &liquidation.Account{Spec: tt.spec, Convention: liquidation.Binance}
		for _, l := range tt.legs {
			leg(a, l[0], l[1], "0", "0").Tiers = tt.tiers
		}
		a.Balance.Set(dectest.D(tt.balance))
		var z apd.Decimal
		st, err := liquidation.Price(ctx, &z, a, liquidation.Exact)
		if err != nil || st != tt.want {
			t.Errorf("%s: Price = %s, %v, %v; want %v", tt.name, z.String(), st, err, tt.want)
			continue
		}
		if st == liquidation.Found {
			checkResidual(t, tt.name, a, &z, true)
			if tt.price != "" && !dectest.Within(&z, dectest.D(tt.price), dectest.D("0.0000000001")) {
				t.Errorf("%s: Price = %s, want %s", tt.name, z.String(), tt.price)
			}
		}
		s, err := liquidation.Compile(ctx, a)
		if err != nil {
			t.Errorf("%s: Compile: %v", tt.name, err)
			continue
		}
		var y apd.Decimal
		if st, err := s.Price(&y, liquidation.Exact); err != nil || st != tt.want || y.Cmp(&z) != 0 {
			t.Errorf("%s: Solver.Price = %s, %v, %v; want %s, %v", tt.name, y.String(), st, err, z.String(), tt.want)
		}
	}
}

// TestScanLimitAtAFloor: the exact scan ends at the first table limit it
// meets, where a leg's notional leaves its table; a limit that falls on
// another leg's floor, at the same unit value, must end it too. Long 1 and
// short 5 at 40,000 on the table of TestBeyondLimitFromFirstTier (floor
// 50,000, limit 250,000): the long's floor and the short's limit are both
// at 50,000 a contract. Listed long first, the scan took the floor, went
// on past the short's limit and returned the *margin.TierError of its
// notional there (750,000); listed short first, it stopped. Both orders
// now give the same status and price: Never with 1e9 of balance (and with
// 100,000), Always with -1e9, a price with 1,000 (39,972.69...); the long
// 5 and short 1 are Found with 100,000 (15,096.95...) and 1,000
// (40,027.70...). Each Found price is checked by the oracle.
func TestScanLimitAtAFloor(t *testing.T) {
	rows := make([]margin.Tier, 2)
	for i, f := range []*apd.Decimal{&rows[1].Floor, &rows[0].MMR, &rows[1].MMR, &rows[1].Cum, &rows[0].MaxLeverage, &rows[1].MaxLeverage} {
		f.Set(dectest.D([]string{"50000", "0.004", "0.005", "50", "125", "100"}[i]))
	}
	table, err := margin.NewTiers(rows, dectest.D("250000"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := derivmath.NewContext()
	for _, tt := range []struct {
		long, short, balance string
		want                 liquidation.Status
	}{
		{"1", "-5", "1000000000", liquidation.Never},
		{"1", "-5", "-1000000000", liquidation.Always},
		{"1", "-5", "100000", liquidation.Never},
		{"1", "-5", "1000", liquidation.Found},
		{"5", "-1", "100000", liquidation.Found},
		{"5", "-1", "1000", liquidation.Found},
	} {
		var first apd.Decimal
		for i, order := range [][2]string{{tt.long, tt.short}, {tt.short, tt.long}} {
			a := &liquidation.Account{Spec: contract.BTCUSDT(), Convention: liquidation.Binance}
			for _, q := range order {
				leg(a, q, "40000", "0", "0").Tiers = table
			}
			a.Balance.Set(dectest.D(tt.balance))
			var z apd.Decimal
			st, err := liquidation.Price(ctx, &z, a, liquidation.Exact)
			if err != nil || st != tt.want || i == 1 && z.Cmp(&first) != 0 {
				t.Errorf("%v with %s: Price = %s, %v, %v; want %v (the other order: %s)", order, tt.balance, z.String(), st, err, tt.want, first.String())
				continue
			}
			if st == liquidation.Found {
				checkResidual(t, "Price", a, &z, true)
			}
			first.Set(&z)
		}
	}
}
