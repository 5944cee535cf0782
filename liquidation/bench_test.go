package liquidation_test

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
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
