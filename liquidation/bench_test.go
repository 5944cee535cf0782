package liquidation_test

import (
	"fmt"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/derivmath/derivmath/liquidation"
)

// The fixtures are those of alloc_test.go.

func BenchmarkPrice(b *testing.B) {
	ctx := derivmath.NewContext()
	for _, f := range fixtures(b) {
		b.Run(f.name, func(b *testing.B) {
			b.ReportAllocs()
			var z apd.Decimal
			for b.Loop() {
				if _, err := liquidation.Price(ctx, &z, f.a, f.r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	// A bot's work per tick on a cross account with 10 positions: the
	// other nine's uPnL and MM at their marks, then the solve.
	b.Run("cross-10-positions", func(b *testing.B) {
		c := newCrossBook(b)
		b.ReportAllocs()
		var z apd.Decimal
		for b.Loop() {
			if _, err := c.tick(ctx, &z); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkBankruptcy(b *testing.B) {
	ctx := derivmath.NewContext()
	for _, f := range fixtures(b) {
		b.Run(f.name, func(b *testing.B) {
			b.ReportAllocs()
			var z apd.Decimal
			for b.Loop() {
				if _, err := liquidation.Bankruptcy(ctx, &z, f.a, f.r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkLiquidatable(b *testing.B) {
	ctx := derivmath.NewContext()
	for _, f := range fixtures(b) {
		b.Run(f.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := liquidation.Liquidatable(ctx, f.a, &f.mark); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkDistance(b *testing.B) {
	ctx := derivmath.NewContext()
	for _, f := range fixtures(b) {
		b.Run(f.name, func(b *testing.B) {
			b.ReportAllocs()
			var abs, pct apd.Decimal
			for b.Loop() {
				if _, err := liquidation.Distance(ctx, &abs, &pct, f.a, &f.mark, f.r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkIsolatedMargin(b *testing.B) {
	ctx := derivmath.NewContext()
	for _, f := range fixtures(b) {
		b.Run(f.name, func(b *testing.B) {
			b.ReportAllocs()
			var z apd.Decimal
			for b.Loop() {
				if err := liquidation.IsolatedMargin(ctx, &z, f.a, &f.lev); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSolver: the compiled form of each fixture: Compile (into a
// Solver that is reused), then each method.
func BenchmarkSolver(b *testing.B) {
	ctx := derivmath.NewContext()
	for _, f := range fixtures(b) {
		s, err := liquidation.Compile(ctx, f.a)
		if err != nil {
			b.Fatal(err)
		}
		var z, pct apd.Decimal
		for _, m := range []struct {
			name string
			fn   func() error
		}{
			{"Compile", func() error { return s.Compile(ctx, f.a) }},
			{"Price", func() error { _, err := s.Price(&z, f.r); return err }},
			{"Bankruptcy", func() error { _, err := s.Bankruptcy(&z, f.r); return err }},
			{"Liquidatable", func() error { _, err := s.Liquidatable(&f.mark); return err }},
			{"Distance", func() error { _, err := s.Distance(&z, &pct, &f.mark, f.r); return err }},
		} {
			b.Run(f.name+"/"+m.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if err := m.fn(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// legCounts are the numbers of legs of BenchmarkLegs.
var legCounts = []int{1, 2, 3, 4, 8, 16}

// perLeg reports the time per leg.
func perLeg(b *testing.B, n int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/leg")
}

// newSameBook returns a Binance account of n legs on BTCUSDT with fixed
// rates, longs and shorts (the net long), on a wallet of 30,000 USDT.
func newSameBook(t fataler, n int) *liquidation.Account {
	t.Helper()
	a := &liquidation.Account{Spec: contract.BTCUSDT(), Convention: liquidation.Binance}
	for i := range n {
		qty := "1." + fmt.Sprint(i)
		if i%2 == 1 {
			qty = "-0." + fmt.Sprint(i)
		}
		leg(a, qty, fmt.Sprint(60000+250*i), "0.005", "50")
	}
	a.Balance.Set(dectest.D("30000"))
	return a
}

// BenchmarkLegs: the cost per leg, at 1, 2, 3, 4, 8 and 16 legs. same: n
// legs on the account's contract (hedge mode, fixed rates), solved by the
// one-shot Price and by Compile. cross: one tiered leg solved for and n-1
// tiered legs on other contracts, solved by the one-shot Price, and by a
// compiled Solver re-solved on a change of every mark (SetMark on the n-1,
// then Price), which is a bot's tick.
func BenchmarkLegs(b *testing.B) {
	ctx := derivmath.NewContext()
	for _, n := range legCounts {
		same := newSameBook(b, n)
		cross := newLegsBook(b, n)
		var z apd.Decimal
		b.Run(fmt.Sprintf("same/legs=%d/Price", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := liquidation.Price(ctx, &z, same, liquidation.Exact); err != nil {
					b.Fatal(err)
				}
			}
			perLeg(b, n)
		})
		b.Run(fmt.Sprintf("same/legs=%d/Compile", n), func(b *testing.B) {
			var s liquidation.Solver
			b.ReportAllocs()
			for b.Loop() {
				if err := s.Compile(ctx, same); err != nil {
					b.Fatal(err)
				}
			}
			perLeg(b, n)
		})
		b.Run(fmt.Sprintf("cross/legs=%d/Price", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := liquidation.Price(ctx, &z, cross.a, liquidation.Exact); err != nil {
					b.Fatal(err)
				}
			}
			perLeg(b, n)
		})
		b.Run(fmt.Sprintf("cross/legs=%d/Reprice", n), func(b *testing.B) {
			s, err := liquidation.Compile(ctx, cross.a)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			k := 0
			for b.Loop() {
				k ^= 1
				for i := 1; i < n; i++ {
					if err := s.SetMark(i, &cross.marks[k][i]); err != nil {
						b.Fatal(err)
					}
				}
				if _, err := s.Price(&z, liquidation.Exact); err != nil {
					b.Fatal(err)
				}
			}
			perLeg(b, n)
		})
		b.Run(fmt.Sprintf("cross/legs=%d/SetMark", n), func(b *testing.B) {
			if n == 1 {
				b.Skip("no leg on another contract")
			}
			s, err := liquidation.Compile(ctx, cross.a)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			k := 0
			for b.Loop() {
				k ^= 1
				if err := s.SetMark(1, &cross.marks[k][1]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
