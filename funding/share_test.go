package funding_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/funding"
	"github.com/derivmath/derivmath/internal/dectest"
)

// TestShare: the package documentation's promise that goroutines may
// share the functions' operands and the Spec. Goroutines call every
// function with one context, one Spec of each kind and shared operands,
// each into its own result; run it with -race.
func TestShare(t *testing.T) {
	ctx := derivmath.NewContext()
	d := dectest.D
	bid, ask, index, mark, last := d("50010.5"), d("50030"), d("50000"), d("50012.25"), d("50020")
	premium, interest, bound, rate, prev := d("0.00042"), d("0.0001"), d("0.0075"), d("0.00031"), d("0.0001")
	imr, mmr, factor, band, basis := d("0.01"), d("0.005"), d("0.75"), d("0.0005"), d("0.0002")
	samples := []apd.Decimal{*d("0.0001"), *d("-0.00025"), *d("0.0004")}
	const h = time.Hour
	calls := []func() string{
		func() string {
			return res(func(z *apd.Decimal) error { return funding.Premium(ctx, z, bid, ask, index) })
		},
		func() string {
			return res(func(z *apd.Decimal) error { return funding.MarkPremium(ctx, z, bid, ask, mark, index, basis) })
		},
		func() string {
			return res(func(z *apd.Decimal) error { return funding.ImpactNotional(ctx, z, d("200"), imr) })
		},
		func() string {
			return res(func(z *apd.Decimal) error { return funding.Average(ctx, z, samples, funding.TimeWeighted) })
		},
		func() string {
			return res(func(z *apd.Decimal) error { return funding.Interest(ctx, z, d("0.0006"), d("0.0003"), 8*h) })
		},
		func() string {
			return res(func(z *apd.Decimal) error { return funding.Rate(ctx, z, premium, interest, bound) })
		},
		func() string { return res(func(z *apd.Decimal) error { return funding.Clamp(z, premium, bound) }) },
		func() string {
			return res(func(z *apd.Decimal) error { return funding.ClampChange(ctx, z, rate, prev, bound) })
		},
		func() string { return res(func(z *apd.Decimal) error { return funding.Annualised(ctx, z, rate, 8*h) }) },
		func() string { return res(func(z *apd.Decimal) error { return funding.CapBitMEX(ctx, z, imr, mmr) }) },
		func() string { return res(func(z *apd.Decimal) error { return funding.ChangeCapBitMEX(ctx, z, mmr) }) },
		func() string {
			return res(func(z *apd.Decimal) error { return funding.CapBinance(ctx, z, factor, mmr) })
		},
		func() string {
			return res(func(z *apd.Decimal) error { return funding.DeadBand(ctx, z, mark, index, band) })
		},
		func() string {
			return res(func(z *apd.Decimal) error {
				return funding.RateBinance(ctx, z, premium, interest, bound, 4*h, funding.ScaleTerms)
			})
		},
		func() string {
			return res(func(z *apd.Decimal) error { return funding.PerInterval(ctx, z, rate, 4*h) })
		},
		func() string {
			return res(func(z *apd.Decimal) error { return funding.MarkBinance(ctx, z, index, rate, basis, last, 2*h, 8*h) })
		},
		func() string { return res(func(z *apd.Decimal) error { return funding.Basis(ctx, z, rate, 3*h, 8*h) }) },
		func() string {
			return res(func(z *apd.Decimal) error { return funding.FairPrice(ctx, z, index, rate, 3*h, 8*h) })
		},
		func() string {
			return res(func(z *apd.Decimal) error { return funding.BasisRate(ctx, z, bid, ask, index, 90*24*h) })
		},
		func() string {
			return res(func(z *apd.Decimal) error { return funding.FairPriceDated(ctx, z, index, rate, 90*24*h) })
		},
	}
	for _, s := range []*contract.Spec{contract.XBTUSD(), contract.BTCUSDT(), contract.ETHUSD()} {
		p := &contract.Position{Qty: *d("-2000"), Entry: *d("49000")}
		calls = append(calls,
			func() string {
				return res(func(z *apd.Decimal) error { return funding.Payment(ctx, z, s, p, mark, rate) })
			},
			func() string {
				return res(func(z *apd.Decimal) error { return funding.Accrual(ctx, z, s, p, mark, rate, 3*h, 8*h) })
			},
		)
	}
	dectest.Share(t, 200, calls...)
}

// res returns the result f writes into a fresh decimal, and its error.
func res(f func(z *apd.Decimal) error) string {
	var z apd.Decimal
	err := f(&z)
	return fmt.Sprint(&z, " ", err)
}
