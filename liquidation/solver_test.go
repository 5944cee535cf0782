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

// btcusdtTiers is Binance's BTCUSDT bracket table (published vectors),
// limited to 1.5e9 of notional.
func btcusdtTiers(t *testing.T) *margin.Tiers {
	t.Helper()
	return brackets(t, dectest.MustParse(t, "1500000000"))
}

// TestBitMEX25xLong is the worked example of doc.go: long 10,000 XBTUSD at
// 50,000 with 25x, MMR 0.5%, no fees.
func TestBitMEX25xLong(t *testing.T) {
	a := &liquidation.Account{Spec: spec(t, contract.Inverse, "1", "0.5", "0.00000001"), Convention: liquidation.BitMEX}
	l := setLeg(t, a, "10000", "50000")
	l.MMR.Set(dectest.MustParse(t, "0.005"))
	isolated(t, a, "25")
	if want := dectest.MustParse(t, "0.008"); a.Balance.Cmp(want) != 0 {
		t.Fatalf("IsolatedMargin = %s, want 0.008", a.Balance.String())
	}
	// 50000/1.035 = 48309.178..., rounded up to the tick.
	check(t, "liquidation", liquidation.Price, a, liquidation.TowardEntry, "48309.5", "")
	check(t, "liquidation exact", liquidation.Price, a, liquidation.Exact, "48309.17874396135266", "0.00000000000001")
	// 50000*25/26 = 48076.923076...
	check(t, "bankruptcy exact", liquidation.Bankruptcy, a, liquidation.Exact, "48076.92307692307692", "0.00000000000001")
	check(t, "bankruptcy", liquidation.Bankruptcy, a, liquidation.TowardEntry, "48077", "")
	check(t, "bankruptcy nearest", liquidation.Bankruptcy, a, liquidation.Nearest, "48077", "")
}

// TestBinanceTierReevaluation: long 10 BTCUSDT at 60,000 (notional 600,000,
// tier 3: 0.65%, cum 950) with 20x. Solved in tier 3 the notional at the
// answer is 572,773, in tier 2 (0.5%, cum 50), so the solver solves again:
// v = (600000 - 30000 - 50)/(1 - 0.005) = 572814.07..., P = v/10.
func TestBinanceTierReevaluation(t *testing.T) {
	a := &liquidation.Account{Spec: spec(t, contract.Linear, "1", "", ""), Convention: liquidation.Binance}
	l := setLeg(t, a, "10", "60000")
	l.Tiers = btcusdtTiers(t)
	isolated(t, a, "20")
	check(t, "liquidation", liquidation.Price, a, liquidation.Exact, "57281.40703517587940", "0.00000000000001")

	// Leverage above the tier maximum (75x in tier 3) is refused.
	var z apd.Decimal
	err := liquidation.IsolatedMargin(derivmath.NewContext(), &z, a, dectest.MustParse(t, "100"))
	if !errors.Is(err, margin.ErrAboveMaxLeverage) {
		t.Errorf("IsolatedMargin at 100x = %v, want ErrAboveMaxLeverage", err)
	}
}

// TestTierReevaluationPastLimit: a pass of the re-evaluation whose answer
// lies beyond the table's limit (1.5e9 of notional) is no answer: the
// solver goes on to the exact scan, which stops at the limit. Short 1
// BTCUSDT at 50,000 with a wallet of 1.6e9: solved in the entry tier
// (0.5%, cum 50) the price is 1.592e9, beyond the limit, but in the last
// tier (50%, cum 421,481,450) equity 1.6e9 + 50,000 - P meets maintenance
// at P = 2,021,531,450/1.5 = 1,347,687,633.33, within it. With 1.9e9 the
// root of the last tier, 1,547,687,633.33, is past the limit: no price of
// the table reaches the threshold. With 1,828,468,550 the root is the limit
// itself, whose notional no tier holds (Liquidatable there is a
// *margin.TierError): no price either.
func TestTierReevaluationPastLimit(t *testing.T) {
	ctx := derivmath.NewContext()
	for _, c := range []struct {
		balance string
		want    liquidation.Status
		price   string
	}{
		{"1600000000", liquidation.Found, "1347687633.333333333"},
		{"1900000000", liquidation.Never, "0"},
		{"1828468550", liquidation.Never, "0"},
	} {
		a := &liquidation.Account{Spec: spec(t, contract.Linear, "1", "", ""), Convention: liquidation.Binance}
		setLeg(t, a, "-1", "50000").Tiers = btcusdtTiers(t)
		a.Balance.Set(dectest.MustParse(t, c.balance))
		var z apd.Decimal
		st, err := liquidation.Price(ctx, &z, a, liquidation.Exact)
		if err != nil || st != c.want || !dectest.Within(&z, dectest.MustParse(t, c.price), dectest.MustParse(t, "0.000001")) {
			t.Errorf("wallet %s: Price = %s, %v, %v; want %s, %v", c.balance, z.String(), st, err, c.price, c.want)
		}
		s, err := liquidation.Compile(ctx, a)
		noErr(t, err)
		var y apd.Decimal
		st, err = s.Price(&y, liquidation.Exact)
		if err != nil || st != c.want || y.Cmp(&z) != 0 {
			t.Errorf("wallet %s: Solver.Price = %s, %v, %v; want %s, %v", c.balance, y.String(), st, err, z.String(), c.want)
		}
	}
}

// TestHedgeMode: long 1 at 100 and short 0.5 at 110 on one linear contract,
// wallet 20, MMR 1% on both legs. Equity 20 + (P - 100) + 0.5*(110 - P) =
// 0.5P - 25 meets MM 0.015P at P = 25/0.485; bankruptcy at P = 50.
func TestHedgeMode(t *testing.T) {
	a := &liquidation.Account{Spec: spec(t, contract.Linear, "1", "", ""), Convention: liquidation.Binance}
	a.Legs = make([]liquidation.Leg, 2)
	for i, l := range [][3]string{{"1", "100", "0.01"}, {"-0.5", "110", "0.01"}} {
		a.Legs[i].Qty.Set(dectest.MustParse(t, l[0]))
		a.Legs[i].Entry.Set(dectest.MustParse(t, l[1]))
		a.Legs[i].MMR.Set(dectest.MustParse(t, l[2]))
	}
	a.Balance.Set(dectest.MustParse(t, "20"))
	check(t, "liquidation", liquidation.Price, a, liquidation.Exact, "51.54639175257731959", "0.0000000000000001")
	check(t, "bankruptcy", liquidation.Bankruptcy, a, liquidation.Exact, "50", "")
}

// TestTowardEntryHedges: hedged legs under Binance's rule are liquidated
// on whichever side their maintenance outgrows their gain, whatever their
// net quantity, and TowardEntry rounds to the tick on the side where the
// account is safe, so that the rounded price is reached before the exact
// one; each case is not liquidatable at the rounded price (nor at the
// prices in safe) and is one tick beyond it.
//
//   - Legs whose quantities cancel, neither net long nor net short. An
//     inverse hedge (Binance COIN-M BTCUSD, 100 USD a contract), long and
//     short 10 at 50,000 with MMR 0.5% and 0.0003 BTC: its PnL is 0 at
//     every price and its maintenance 2*0.005*10*100/P = 10/P, so it is
//     liquidated below P = 10/0.0003 = 33333.33...: up to 33333.4. A
//     linear hedge's maintenance rises with the price instead: long and
//     short 1 at 100 with MMR 1% and 1.001 of wallet are liquidated above
//     1.001/0.02 = 50.05: down to 50 at a tick of 0.5.
//   - Legs whose maintenance (on both legs) grows faster than the net
//     position gains, liquidated on the side the net position gains on.
//     Linear, net long: long 1 and short 0.99 at 100, MMR 1%, wallet 2:
//     equity less maintenance is 1 - 0.0099*P, liquidated above
//     101.0101...: down to 101 at a tick of 0.5, not up to 101.5, already
//     past it. Inverse, net short: long 9.95 and short 10 at 50,000 (100
//     USD contracts), MMR 0.5%, wallet 0.00031 BTC: equity less
//     maintenance is 0.00021 - 4.975/P, liquidated below 23690.476...: up
//     to 23690.5, not down to 23690.4.
func TestTowardEntryHedges(t *testing.T) {
	ctx := derivmath.NewContext()
	for _, c := range []struct {
		name                    string
		kind                    contract.Kind
		mult, tick, long, short string
		entry, mmr, balance     string
		exact, want, beyond     string
		safe                    []string
	}{
		{"inverse flat", contract.Inverse, "100", "0.1", "10", "-10", "50000", "0.005", "0.0003", "33333.33333333333333", "33333.4", "33333.3", nil},
		{"linear flat", contract.Linear, "1", "0.5", "1", "-1", "100", "0.01", "1.001", "50.05", "50", "50.5", nil},
		{"linear net long", contract.Linear, "1", "0.5", "1", "-0.99", "100", "0.01", "2", "101.0101010101010101", "101", "101.5", []string{"100"}},
		{"inverse net short", contract.Inverse, "100", "0.1", "9.95", "-10", "50000", "0.005", "0.00031", "23690.47619047619048", "23690.5", "23690.4", []string{"50000"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := &liquidation.Account{Spec: spec(t, c.kind, c.mult, c.tick, ""), Convention: liquidation.Binance}
			leg(a, c.long, c.entry, c.mmr, "0")
			leg(a, c.short, c.entry, c.mmr, "0")
			a.Balance.Set(dectest.MustParse(t, c.balance))
			check(t, "exact", liquidation.Price, a, liquidation.Exact, c.exact, "")
			check(t, "toward entry", liquidation.Price, a, liquidation.TowardEntry, c.want, "")
			probes := map[string]bool{c.want: false, c.beyond: true}
			for _, p := range c.safe {
				probes[p] = false
			}
			for price, want := range probes {
				liq, err := liquidation.Liquidatable(ctx, a, dectest.MustParse(t, price))
				noErr(t, err)
				if liq != want {
					t.Errorf("Liquidatable(%s) = %v, want %v", price, liq, want)
				}
			}
		})
	}
}

func TestStatus(t *testing.T) {
	ctx := derivmath.NewContext()
	tests := []struct {
		name        string
		kind        contract.Kind
		qty, entry  string
		balance     string
		mmr         string
		bankruptcy  bool
		want        liquidation.Status
		description string
	}{
		{"inverse short 1x", contract.Inverse, "-100", "100", "1", "0", true, liquidation.Never, "margin equals entry value"},
		{"inverse short 0.5x", contract.Inverse, "-100", "100", "2", "0", true, liquidation.Never, "over-collateralised"},
		{"inverse short 2x", contract.Inverse, "-100", "100", "0.5", "0", true, liquidation.Found, "bankrupt at 200"},
		{"linear long 1x no MM", contract.Linear, "1", "100", "100", "0", false, liquidation.Never, "solution at P = 0"},
		{"linear long 1x with MM", contract.Linear, "1", "100", "100", "0.01", false, liquidation.Never, "solution below 0"},
		{"linear short under water", contract.Linear, "-1", "100", "-150", "0.01", false, liquidation.Always, "equity negative at every price"},
		{"linear long under water", contract.Linear, "1", "100", "-150", "0.01", false, liquidation.Found, "liquidated above the entry"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &liquidation.Account{Spec: spec(t, tt.kind, "1", "", ""), Convention: liquidation.Binance}
			l := setLeg(t, a, tt.qty, tt.entry)
			l.MMR.Set(dectest.MustParse(t, tt.mmr))
			a.Balance.Set(dectest.MustParse(t, tt.balance))
			var z apd.Decimal
			z.Set(dectest.MustParse(t, "123")) // must be overwritten
			f := liquidation.Price
			if tt.bankruptcy {
				f = liquidation.Bankruptcy
			}
			st, err := f(ctx, &z, a, liquidation.Exact)
			if err != nil {
				t.Fatal(err)
			}
			if st != tt.want {
				t.Fatalf("status = %v, want %v (%s)", st, tt.want, tt.description)
			}
			if st != liquidation.Found && !z.IsZero() {
				t.Errorf("z = %s with status %v, want 0", z.String(), st)
			}
			if st == liquidation.Found && z.Sign() <= 0 {
				t.Errorf("z = %s with status Found, want > 0", z.String())
			}
			if tt.bankruptcy || st == liquidation.Found {
				return
			}
			// Without a liquidation price the account is liquidatable at
			// every mark (Always) or at none (Never), and Distance sets
			// both of its results to 0; one-shot and compiled alike.
			s, err := liquidation.Compile(ctx, a)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range []string{"1", "100", "10000"} {
				mark := dectest.MustParse(t, m)
				liq, err := liquidation.Liquidatable(ctx, a, mark)
				sliq, serr := s.Liquidatable(mark)
				if err != nil || serr != nil {
					t.Fatal(err, serr)
				}
				if want := st == liquidation.Always; liq != want || sliq != want {
					t.Errorf("Liquidatable(%s) = %v, Solver's %v, with status %v, want %v", m, liq, sliq, st, want)
				}
				var abs, pct apd.Decimal
				for _, f := range []func() (liquidation.Status, error){
					func() (liquidation.Status, error) {
						return liquidation.Distance(ctx, &abs, &pct, a, mark, liquidation.Exact)
					},
					func() (liquidation.Status, error) { return s.Distance(&abs, &pct, mark, liquidation.Exact) },
				} {
					abs.Set(dectest.MustParse(t, "123"))
					pct.Set(dectest.MustParse(t, "123"))
					dst, err := f()
					if err != nil {
						t.Fatal(err)
					}
					if dst != st || !abs.IsZero() || !pct.IsZero() {
						t.Errorf("Distance(%s) = %s, %s with status %v, want 0, 0 with %v", m, abs.String(), pct.String(), dst, st)
					}
				}
			}
		})
	}
}

func TestLiquidatableAndDistance(t *testing.T) {
	r := findRow(t, loadVectors(t), "binance-dogeusdt-isolated-short")
	ctx := derivmath.NewContext()
	a := &liquidation.Account{Spec: spec(t, contract.Linear, r.Multiplier, "", ""), Convention: liquidation.Binance}
	l := setLeg(t, a, r.Qty, r.Entry)
	l.MMR.Set(dectest.MustParse(t, r.MMR))
	a.Balance.Set(dectest.MustParse(t, r.Wallet))
	// The liquidation price is 0.19059204 (to 8 places).
	for _, c := range []struct {
		mark string
		want bool
	}{{"0.16395", false}, {"0.19", false}, {"0.1905920", false}, {"0.1905921", true}, {"0.25", true}} {
		got, err := liquidation.Liquidatable(ctx, a, dectest.MustParse(t, c.mark))
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("Liquidatable(%s) = %v, want %v", c.mark, got, c.want)
		}
	}
	var abs, pct apd.Decimal
	st, err := liquidation.Distance(ctx, &abs, &pct, a, dectest.MustParse(t, "0.18"), liquidation.Exact)
	if err != nil || st != liquidation.Found {
		t.Fatalf("Distance: %v, %v", st, err)
	}
	if !dectest.Within(&abs, dectest.MustParse(t, "0.01059204"), dectest.MustParse(t, "0.000000005")) {
		t.Errorf("abs = %s, want 0.01059204", abs.String())
	}
	if !dectest.Within(&pct, dectest.MustParse(t, "0.0588446"), dectest.MustParse(t, "0.0000001")) {
		t.Errorf("pct = %s, want 0.0588446", pct.String())
	}
}

// TestLiquidatableAtThePrice: a position is liquidatable at its
// liquidation price itself, where equity equals maintenance exactly, in
// the default context and through apd. Long 1 BTCUSDT at 60,000 on 1,236
// USDT with MMR 0.4%: 1,236 + (P - 60,000) = 0.004*P at P = 59,000.
func TestLiquidatableAtThePrice(t *testing.T) {
	slow := derivmath.NewContext()
	slow.MaxExponent-- // not the default: apd does every operation
	a := &liquidation.Account{Spec: contract.BTCUSDT(), Convention: liquidation.Binance}
	l := setLeg(t, a, "1", "60000")
	l.MMR.Set(dectest.MustParse(t, "0.004"))
	a.Balance.Set(dectest.MustParse(t, "1236"))
	for _, ctx := range []*apd.Context{derivmath.NewContext(), slow} {
		for _, c := range []struct {
			mark string
			want bool
		}{{"59000.01", false}, {"59000", true}, {"59000.000", true}, {"58999.99", true}} {
			got, err := liquidation.Liquidatable(ctx, a, dectest.MustParse(t, c.mark))
			if err != nil || got != c.want {
				t.Errorf("Liquidatable(%s) = %v, %v; want %v (precision %d, max exponent %d)",
					c.mark, got, err, c.want, ctx.Precision, ctx.MaxExponent)
			}
		}
	}
}

func TestErrors(t *testing.T) {
	ctx := derivmath.NewContext()
	valid := func() *liquidation.Account {
		a := &liquidation.Account{Spec: spec(t, contract.Linear, "1", "", ""), Convention: liquidation.Binance}
		l := setLeg(t, a, "1", "100")
		l.MMR.Set(dectest.MustParse(t, "0.01"))
		a.Balance.Set(dectest.MustParse(t, "10"))
		return a
	}
	// Maintenance fixed at the tier of the entry (BitMEX, Bybit) has none
	// beyond the table; Binance's, read at the price, does (see
	// TestEntryPastLimit).
	tiered := func() *liquidation.Account {
		a := valid()
		a.Convention = liquidation.BitMEX
		a.Legs[0].Qty.Set(dectest.MustParse(t, "100000"))
		a.Legs[0].Entry.Set(dectest.MustParse(t, "20000")) // notional 2e9 beyond the 1.5e9 limit
		a.Legs[0].Tiers = btcusdtTiers(t)
		return a
	}
	var tierErr *margin.TierError
	tests := []struct {
		name   string
		mutate func(*liquidation.Account)
		r      liquidation.Rounding
		want   error
		as     any
	}{
		{"no spec", func(a *liquidation.Account) { a.Spec = nil }, liquidation.Exact, liquidation.ErrNoSpec, nil},
		{"zero convention", func(a *liquidation.Account) { a.Convention = 0 }, liquidation.Exact, liquidation.ErrConvention, nil},
		{"no legs", func(a *liquidation.Account) { a.Legs = nil }, liquidation.Exact, liquidation.ErrNoLegs, nil},
		{"flat", func(a *liquidation.Account) { a.Legs[0].Qty.SetInt64(0) }, liquidation.Exact, derivmath.ErrZeroQty, nil},
		{"zero entry", func(a *liquidation.Account) { a.Legs[0].Entry.SetInt64(0) }, liquidation.Exact, derivmath.ErrPrice, nil},
		{"NaN balance", func(a *liquidation.Account) { a.Balance.Form = apd.NaN }, liquidation.Exact, derivmath.ErrNaN, nil},
		{"infinite qty", func(a *liquidation.Account) { a.Legs[0].Qty.Form = apd.Infinite }, liquidation.Exact, derivmath.ErrInfinite, nil},
		{"MMR 1", func(a *liquidation.Account) { a.Legs[0].MMR.SetInt64(1) }, liquidation.Exact, derivmath.ErrRate, nil},
		{"negative MMR", func(a *liquidation.Account) { a.Legs[0].MMR.SetFinite(-1, -2) }, liquidation.Exact, derivmath.ErrRate, nil},
		{"zero rounding", func(*liquidation.Account) {}, 0, liquidation.ErrRounding, nil},
		{"beyond last tier", nil, liquidation.Exact, nil, &tierErr},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var a *liquidation.Account
			if tt.mutate == nil {
				a = tiered()
			} else {
				a = valid()
				tt.mutate(a)
			}
			var z apd.Decimal
			_, err := liquidation.Price(ctx, &z, a, tt.r)
			switch {
			case tt.as != nil:
				if !errors.As(err, tt.as) {
					t.Errorf("Price error = %v, want %T", err, tt.as)
				}
			case !errors.Is(err, tt.want):
				t.Errorf("Price error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestStrings(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{liquidation.Binance.String(), "Binance"},
		{liquidation.BitMEX.String(), "BitMEX"},
		{liquidation.Bybit.String(), "Bybit"},
		{liquidation.Convention(0).String(), "Convention(0)"},
		{liquidation.Exact.String(), "Exact"},
		{liquidation.TowardEntry.String(), "TowardEntry"},
		{liquidation.Nearest.String(), "Nearest"},
		{liquidation.Rounding(9).String(), "Rounding(9)"},
		{liquidation.Found.String(), "Found"},
		{liquidation.Never.String(), "Never"},
		{liquidation.Always.String(), "Always"},
		{liquidation.Status(0).String(), "Status(0)"},
	} {
		if c.got != c.want {
			t.Errorf("String() = %q, want %q", c.got, c.want)
		}
	}
}

// TestScan covers the exact segment scan that takes over when the passes
// from the entry tier are inconclusive.
func TestScan(t *testing.T) {
	// Long 10 BTCUSDT at 60,000 with 599,500 of margin: in the entry tier
	// (cum 950) the first pass says Never, but near P = 0 the notional is
	// in tier 1 (0.4%, cum 0): 10P - 500 = 0.04P at P = 500/9.96.
	a := &liquidation.Account{Spec: spec(t, contract.Linear, "1", "", ""), Convention: liquidation.Binance}
	l := setLeg(t, a, "10", "60000")
	l.Tiers = btcusdtTiers(t)
	a.Balance.Set(dectest.MustParse(t, "599500"))
	check(t, "deep long", liquidation.Price, a, liquidation.Exact, "50.20080321285140562", "0.00000000000000001")

	// A short whose answer lies in the last tier before the limit, and a
	// long that never reaches a price: both must end the scan cleanly.
	a.Balance.Set(dectest.MustParse(t, "600000"))
	ctx := derivmath.NewContext()
	var z apd.Decimal
	st, err := liquidation.Price(ctx, &z, a, liquidation.Exact)
	if err != nil || st != liquidation.Never {
		t.Errorf("fully margined long: %v, %v; want Never", st, err)
	}

	// Hedged legs whose equity equals their maintenance at every price:
	// long 3 and short 2 at 100 with 100 of margin, MMR 20%, have equity
	// 100 + 3(P - 100) - 2(P - 100) = P and maintenance 0.2*5P = P. Always
	// (equity is at most maintenance everywhere), with the rate from a
	// table of one tier (the scan's one segment, where f is 0) as without.
	flat, err := margin.Flat(dectest.MustParse(t, "0.2"), dectest.MustParse(t, "5"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tiers := range []*margin.Tiers{nil, flat} {
		h := &liquidation.Account{Spec: spec(t, contract.Linear, "1", "", ""), Convention: liquidation.Binance}
		h.Legs = make([]liquidation.Leg, 2)
		for i, q := range []string{"3", "-2"} {
			l := &h.Legs[i]
			l.Qty.Set(dectest.MustParse(t, q))
			l.Entry.Set(dectest.MustParse(t, "100"))
			l.MMR.Set(dectest.MustParse(t, "0.2"))
			l.Tiers = tiers
		}
		h.Balance.Set(dectest.MustParse(t, "100"))
		st, err := liquidation.Price(ctx, &z, h, liquidation.Exact)
		if err != nil || st != liquidation.Always {
			t.Errorf("hedge at its maintenance everywhere, tiers %v: %v, %v; want Always", tiers != nil, st, err)
		}
	}
}

// TestHedgeNearestRoot: hedged legs whose equity less maintenance has a
// root on each side of their average entry get the root nearest it, as
// Price promises, whichever way the solve reaches it. Long 10 and short 9
// at 100 (linear, wallet 60) on a table of two tiers, 1% below 1,010 of
// notional and 40% (cum 393.9) from it: in the entry tiers f = 0.81u - 40,
// a root at 49.38 that the re-evaluation confirms; with both legs in the
// upper tier (above 112.2) f = 747.8 - 6.6u, a root at 113.30, 13.3 from
// the entry against 50.6.
func TestHedgeNearestRoot(t *testing.T) {
	rows := make([]margin.Tier, 2)
	for i, r := range [][4]string{{"0", "0.01", "0", "50"}, {"1010", "0.4", "393.9", "2"}} {
		rows[i].Floor.Set(dectest.MustParse(t, r[0]))
		rows[i].MMR.Set(dectest.MustParse(t, r[1]))
		rows[i].Cum.Set(dectest.MustParse(t, r[2]))
		rows[i].MaxLeverage.Set(dectest.MustParse(t, r[3]))
	}
	tiers, err := margin.NewTiers(rows, nil)
	noErr(t, err)
	a := &liquidation.Account{Spec: spec(t, contract.Linear, "1", "0.01", ""), Convention: liquidation.Binance}
	a.Legs = make([]liquidation.Leg, 2)
	for i, q := range []string{"10", "-9"} {
		a.Legs[i].Qty.Set(dectest.MustParse(t, q))
		a.Legs[i].Entry.Set(dectest.MustParse(t, "100"))
		a.Legs[i].Tiers = tiers
	}
	a.Balance.Set(dectest.MustParse(t, "60"))
	check(t, "liquidation", liquidation.Price, a, liquidation.Exact, "113.3030303030303030", "0.0000000000000001")
	check(t, "liquidation toward entry", liquidation.Price, a, liquidation.TowardEntry, "113.30", "")
	ctx := derivmath.NewContext()
	for _, m := range []struct {
		mark string
		want bool
	}{{"49", true}, {"50", false}, {"113.30", false}, {"113.31", true}} {
		liq, err := liquidation.Liquidatable(ctx, a, dectest.MustParse(t, m.mark))
		if err != nil || liq != m.want {
			t.Errorf("Liquidatable at %s = %v, %v; want %v", m.mark, liq, err, m.want)
		}
	}
}

// TestCumAboveMaintenance: a leg's maintenance is MMR*value - Cum, never
// below zero: max(0, MMR*value - Cum), at the price for the Binance
// convention, at entry for BitMEX and Bybit, and at the mark for a leg on
// another contract. A Cum above MMR*value (a bracket's cum kept after the
// notional has left the bracket, as a partial close or a falling mark
// leaves it) lowers no other requirement: taken as a negative maintenance,
// it put the liquidation price past the bankruptcy price, leaving an
// account with negative equity not liquidatable.
func TestCumAboveMaintenance(t *testing.T) {
	ctx := derivmath.NewContext()
	lin := spec(t, contract.Linear, "1", "0.01", "")
	mk := func(conv liquidation.Convention, qty, entry, mmr, cum, balance string) *liquidation.Account {
		a := &liquidation.Account{Spec: lin, Convention: conv}
		l := setLeg(t, a, qty, entry)
		l.MMR.Set(dectest.MustParse(t, mmr))
		l.Cum.Set(dectest.MustParse(t, cum))
		a.Balance.Set(dectest.MustParse(t, balance))
		return a
	}
	for _, c := range []struct {
		name       string
		a          *liquidation.Account
		price      string
		safe, past string // marks on either side of the price
	}{
		// Equity P - 5,000; MMR*P = 25 < 50 at 5,000: maintenance 0 there,
		// liquidated at bankruptcy (the negative maintenance gave 4,974.87).
		{"Binance long", mk(liquidation.Binance, "1", "60000", "0.005", "50", "55000"), "5000", "5010", "4990"},
		// Equity 9,000 - P; MMR*P = 45 < 50 at 9,000 (was 9,004.98).
		{"Binance short", mk(liquidation.Binance, "-1", "5000", "0.005", "50", "4000"), "9000", "8990", "9010"},
		// Equity P - 15,000 meets 0.005P - 50 = 25.13 > 0 at
		// 14,950/0.995: the deduction applies where it leaves some
		// maintenance.
		{"Binance long in bracket", mk(liquidation.Binance, "1", "60000", "0.005", "50", "45000"), "15025.12562814070352", "15030", "15020"},
		// Fixed at entry: 0.005*60,000 - 400 < 0, so 0, and the price is
		// the bankruptcy price 54,000 (was 53,900).
		{"Bybit long", mk(liquidation.Bybit, "1", "60000", "0.005", "400", "6000"), "54000", "54010", "53990"},
		{"BitMEX long", mk(liquidation.BitMEX, "1", "60000", "0.005", "400", "6000"), "54000", "54010", "53990"},
	} {
		check(t, c.name, liquidation.Price, c.a, liquidation.Exact, c.price, "0.00000000000001")
		for _, m := range []struct {
			mark string
			want bool
		}{{c.safe, false}, {c.past, true}} {
			liq, err := liquidation.Liquidatable(ctx, c.a, dectest.MustParse(t, m.mark))
			if err != nil || liq != m.want {
				t.Errorf("%s: Liquidatable at %s = %v, %v; want %v", c.name, m.mark, liq, err, m.want)
			}
		}
		s, err := liquidation.Compile(ctx, c.a)
		noErr(t, err)
		var z apd.Decimal
		if st, err := s.Price(&z, liquidation.Exact); err != nil || st != liquidation.Found || !dectest.Within(&z, dectest.MustParse(t, c.price), dectest.MustParse(t, "0.00000000000001")) {
			t.Errorf("%s: Solver.Price = %v, %s, %v; want %s", c.name, st, z.String(), err, c.price)
		}
	}

	// A leg on another contract, at its mark: long 1 at 3,000 marked at
	// 1,000, MMR 0.5%, cum 50: maintenance max(0, 5 - 50) = 0. Equity
	// 10,000 + (P - 60,000) - 2,000 is 0 at 52,000 (was 51,955). Marked
	// at 20,000 its maintenance is 100 - 50 = 50, equity P - 33,000:
	// 33,050.
	eth := spec(t, contract.Linear, "1", "0.01", "")
	eth.Symbol = "ETHUSDT"
	a := mk(liquidation.Binance, "1", "60000", "0", "0", "10000")
	a.Legs = append(a.Legs, liquidation.Leg{Spec: eth})
	h := &a.Legs[1]
	h.Qty.Set(dectest.MustParse(t, "1"))
	h.Entry.Set(dectest.MustParse(t, "3000"))
	h.Mark.Set(dectest.MustParse(t, "1000"))
	h.MMR.Set(dectest.MustParse(t, "0.005"))
	h.Cum.Set(dectest.MustParse(t, "50"))
	check(t, "held leg below its cum", liquidation.Price, a, liquidation.Exact, "52000", "")
	s, err := liquidation.Compile(ctx, a)
	noErr(t, err)
	for _, m := range []struct{ mark, want string }{{"20000", "33050"}, {"1000", "52000"}} {
		noErr(t, s.SetMark(1, dectest.MustParse(t, m.mark)))
		var z apd.Decimal
		if st, err := s.Price(&z, liquidation.Exact); err != nil || st != liquidation.Found || z.Cmp(dectest.MustParse(t, m.want)) != 0 {
			t.Errorf("held leg marked at %s: Solver.Price = %v, %s, %v; want %s", m.mark, st, z.String(), err, m.want)
		}
	}
}

// TestBitMEXExactCeiling: BitMEX's maintenance at entry is the ceiling to
// the minor unit of the exact MMR*v0, as margin.BitMEXPosition and the
// account compute it: MMR 0.00500000000000000000001 of 1 XBT holds
// 0.00500001 XBT, as MMR 0.005 with one satoshi of ExtraMM does. Rounded
// to the context's 19 digits first, the product fell onto 0.005, whose
// ceiling is one satoshi low.
func TestBitMEXExactCeiling(t *testing.T) {
	ctx := derivmath.NewContext()
	mk := func(mmr, extra string) *liquidation.Account {
		a := &liquidation.Account{Spec: spec(t, contract.Inverse, "1", "0.5", "0.00000001"), Convention: liquidation.BitMEX}
		l := setLeg(t, a, "50000", "50000")
		l.Cost.Set(dectest.MustParse(t, "1"))
		l.MMR.Set(dectest.MustParse(t, mmr))
		a.Balance.Set(dectest.MustParse(t, "0.1"))
		a.ExtraMM.Set(dectest.MustParse(t, extra))
		return a
	}
	var got, want apd.Decimal
	_, err := liquidation.Price(ctx, &want, mk("0.005", "0.00000001"), liquidation.Exact)
	noErr(t, err)
	a := mk("0.00500000000000000000001", "0")
	_, err = liquidation.Price(ctx, &got, a, liquidation.Exact)
	noErr(t, err)
	if got.Cmp(&want) != 0 {
		t.Errorf("Price = %s; want %s (maintenance 0.00500001)", got.String(), want.String())
	}
	s, err := liquidation.Compile(ctx, a)
	noErr(t, err)
	_, err = s.Price(&got, liquidation.Exact)
	noErr(t, err)
	if got.Cmp(&want) != 0 {
		t.Errorf("Solver.Price = %s; want %s (maintenance 0.00500001)", got.String(), want.String())
	}
}

// TestNearestTiesToEven: Nearest sends a price half-way between two ticks
// to the even one (documented on Nearest), where TowardEntry goes toward
// the entry (up for a long, down for a short). With no maintenance, a long
// 1 at 100 with 1.5 of margin loses it at 100 - 1.5 = 98.5, a short 1 at
// 100 with 0.5 at 100 + 0.5 = 100.5; HalfUp would give 99 and 101.
func TestNearestTiesToEven(t *testing.T) {
	for _, tt := range []struct {
		qty, balance, nearest, toward string
	}{
		{"1", "1.5", "98", "99"},
		{"-1", "0.5", "100", "100"},
	} {
		a := &liquidation.Account{Spec: spec(t, contract.Linear, "1", "1", ""), Convention: liquidation.Binance}
		setLeg(t, a, tt.qty, "100")
		a.Balance.Set(dectest.MustParse(t, tt.balance))
		for _, f := range []struct {
			name  string
			solve func(*apd.Context, *apd.Decimal, *liquidation.Account, liquidation.Rounding) (liquidation.Status, error)
		}{{"liquidation", liquidation.Price}, {"bankruptcy", liquidation.Bankruptcy}} {
			check(t, tt.qty+" "+f.name+" Nearest", f.solve, a, liquidation.Nearest, tt.nearest, "")
			check(t, tt.qty+" "+f.name+" TowardEntry", f.solve, a, liquidation.TowardEntry, tt.toward, "")
		}
	}
}

// TestBybitMinorUnit: only BitMEX rounds a maintenance up to the spec's minor
// unit (Convention); Bybit's MMR*value is exact. A Bybit long 1 at 10,000
// (MMR 0.123%: 12.3 of maintenance) with 1,000 of margin is liquidated where
// 1,000 + P - 10,000 = 12.3, at 9,012.3, on a spec whose minor unit is 1 too
// (rounded up to 13 it would be 9,013).
func TestBybitMinorUnit(t *testing.T) {
	for _, minor := range []string{"", "1"} {
		a := &liquidation.Account{Spec: spec(t, contract.Linear, "1", "0.1", minor), Convention: liquidation.Bybit}
		l := setLeg(t, a, "1", "10000")
		l.MMR.Set(dectest.MustParse(t, "0.00123"))
		a.Balance.Set(dectest.MustParse(t, "1000"))
		check(t, "liquidation, minor unit "+minor, liquidation.Price, a, liquidation.Exact, "9012.3", "")
	}
}
