package account_test

import (
	"strconv"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/liquidation"
)

// BenchmarkSetMark measures a mark update and the re-check of the account
// (Liquidatable), per convention and number of cross positions.
func BenchmarkSetMark(b *testing.B) {
	for _, conv := range conventions {
		for _, n := range []int{1, 10, 100} {
			b.Run(conv.String()+"/positions="+strconv.Itoa(n), func(b *testing.B) {
				a, specs := crossAccount(b, conv, n)
				marks := []*apd.Decimal{d("50123.4"), d("49876.5"), d("51000")}
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					i++
					if err := a.SetMark(specs[i%n], marks[i%len(marks)]); err != nil {
						b.Fatal(err)
					}
					sink = a.Liquidatable()
				}
			})
		}
	}
}

// BenchmarkReport measures one position's report: its margins and its
// liquidation and bankruptcy prices with the others at their marks.
func BenchmarkReport(b *testing.B) {
	for _, n := range []int{1, 10, 100} {
		b.Run("Binance/positions="+strconv.Itoa(n), func(b *testing.B) {
			a, _ := crossAccount(b, liquidation.Binance, n)
			var r account.Report
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				if err := a.Report(&r, i%n, liquidation.Exact); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
