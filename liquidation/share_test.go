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

// TestShare: the package documentation's promise that the one-shot
// functions only read the Account, so that goroutines may share it with
// its Specs and tier tables; and that a Solver keeps the tier tables only
// to read them, so that goroutines may share those too, each with its own
// Solver. Goroutines call every function, and compile their own Solvers,
// on one isolated BitMEX account and one Binance cross account with tier
// tables, in one context, each into its own results; run it with -race.
func TestShare(t *testing.T) {
	ctx := derivmath.NewContext()
	d := dectest.D
	bitmex := &liquidation.Account{Spec: contract.XBTUSD(), Convention: liquidation.BitMEX, Legs: make([]liquidation.Leg, 1)}
	l := &bitmex.Legs[0]
	l.Qty, l.Entry, l.MMR = *d("10000"), *d("50000"), *d("0.005")
	bitmex.Balance, bitmex.FeeReserve = *d("0.008156"), *d("0.000156")

	eth, err := contract.New(contract.Params{Symbol: "ETHUSDT", Kind: contract.Linear, Multiplier: "1", Tick: "0.01", Lot: "0.001"})
	if err != nil {
		t.Fatal(err)
	}
	tiers := margin.BTCUSDT()
	binance := &liquidation.Account{Spec: contract.BTCUSDT(), Convention: liquidation.Binance, Legs: make([]liquidation.Leg, 2)}
	b, e := &binance.Legs[0], &binance.Legs[1]
	b.Qty, b.Entry, b.Tiers = *d("30"), *d("60000"), tiers
	e.Spec, e.Qty, e.Entry, e.Mark, e.Tiers = eth, *d("-100"), *d("3000"), *d("3100"), tiers
	binance.Balance = *d("250000")

	mark, lev := d("55000"), d("25")
	var calls []func() string
	for _, a := range []*liquidation.Account{bitmex, binance} {
		for _, r := range []liquidation.Rounding{liquidation.Exact, liquidation.TowardEntry} {
			calls = append(calls,
				func() string {
					var z apd.Decimal
					st, err := liquidation.Price(ctx, &z, a, r)
					return fmt.Sprint(&z, " ", st, " ", err)
				},
				func() string {
					var z apd.Decimal
					st, err := liquidation.Bankruptcy(ctx, &z, a, r)
					return fmt.Sprint(&z, " ", st, " ", err)
				},
				func() string {
					var abs, pct apd.Decimal
					st, err := liquidation.Distance(ctx, &abs, &pct, a, mark, r)
					return fmt.Sprint(&abs, " ", &pct, " ", st, " ", err)
				},
			)
		}
		calls = append(calls,
			func() string { ok, err := liquidation.Liquidatable(ctx, a, mark); return fmt.Sprint(ok, err) },
			func() string {
				var z apd.Decimal
				err := liquidation.IsolatedMargin(ctx, &z, a, lev)
				return fmt.Sprint(&z, " ", err)
			},
			func() string {
				s, err := liquidation.Compile(ctx, a)
				if err != nil {
					return err.Error()
				}
				var p, q, abs, pct apd.Decimal
				st, err := s.Price(&p, liquidation.Exact)
				st2, err2 := s.Bankruptcy(&q, liquidation.Nearest)
				st3, err3 := s.Distance(&abs, &pct, mark, liquidation.TowardEntry)
				ok, err4 := s.Liquidatable(mark)
				var err5 error
				if len(a.Legs) > 1 {
					err5 = s.SetMark(1, d("3500"))
				}
				var r apd.Decimal
				st6, err6 := s.Price(&r, liquidation.Exact)
				return fmt.Sprint(&p, st, err, &q, st2, err2, &abs, &pct, st3, err3, ok, err4, err5, &r, st6, err6)
			},
		)
	}
	dectest.Share(t, 200, calls...)
}
