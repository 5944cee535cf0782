package margin_test

import (
	"fmt"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/derivmath/derivmath/margin"
)

// TestShare: the package documentation's promise that a *Tiers, Steps,
// SizeLinear and BitMEXPosition may be shared by goroutines, and so may
// the Spec the functions read. Goroutines call every method of one of
// each (and the functions that take a Spec) with one context and shared
// operands, each into its own results; run it with -race.
func TestShare(t *testing.T) {
	ctx := derivmath.NewContext()
	d := dectest.D
	tiers, steps, sizes := margin.BTCUSDT(), bitmexSteps(), margin.DeribitBTC()
	xbt, btc := contract.XBTUSD(), contract.BTCUSDT()
	bp := &margin.BitMEXPosition{}
	bp.Cost.SetInt64(-25426)
	bp.InitMarginReq.SetInt64(1)
	bp.MaintMarginReq.SetFinite(5, -3)
	bp.Commission.SetFinite(75, -5)
	bp.FundingReserve.SetInt64(2)
	small, large, huge := d("40000"), d("2500000"), d("900000000")
	value, size, lev, taker := d("230"), d("120.5"), d("20"), d("0.0005")
	price, balance := d("61234.5"), d("100000")
	calls := []func() string{
		func() string { return fmt.Sprint(tiers.Len(), tiers.Limit()) },
		func() string { return tierString(tiers.At(3)) },
		func() string { l, err := tiers.Lookup(small); return fmt.Sprint(tierString(l), err) },
		func() string { l, err := tiers.Lookup(large); return fmt.Sprint(tierString(l), err) },
		func() string { l, err := tiers.Lookup(huge); return fmt.Sprint(tierString(l), err) },
		func() string { return fmt.Sprint(tiers.CheckLeverage(large, lev)) },
		func() string { return z(func(z *apd.Decimal) error { return tiers.Maintenance(ctx, z, large) }) },
		func() string {
			return z(func(z *apd.Decimal) error { return tiers.MaxQty(ctx, z, btc, balance, price, lev, taker) })
		},
		func() string { return fmt.Sprint(steps.Validate(), steps.CheckLeverage(ctx, value, lev)) },
		func() string { return z(func(z *apd.Decimal) error { return steps.Count(ctx, z, value) }) },
		func() string { return z(func(z *apd.Decimal) error { return steps.MMR(ctx, z, value) }) },
		func() string { return z(func(z *apd.Decimal) error { return steps.IMR(ctx, z, value) }) },
		func() string { return z(func(z *apd.Decimal) error { return steps.Maintenance(ctx, z, value) }) },
		func() string { return z(func(z *apd.Decimal) error { return steps.Initial(ctx, z, value) }) },
		func() string { return fmt.Sprint(sizes.Validate()) },
		func() string { return z(func(z *apd.Decimal) error { return sizes.MMR(ctx, z, size) }) },
		func() string { return z(func(z *apd.Decimal) error { return sizes.IMR(ctx, z, size) }) },
		func() string { return z(func(z *apd.Decimal) error { return sizes.Maintenance(ctx, z, size, value) }) },
		func() string { return z(func(z *apd.Decimal) error { return sizes.Initial(ctx, z, size, value) }) },
		func() string {
			var m margin.BitMEX
			err := bp.Margin(ctx, &m)
			return fmt.Sprint(&m.Init, " ", &m.Comm, " ", &m.Maint, " ", &m.Margin, " ", err)
		},
		func() string {
			return z(func(z *apd.Decimal) error { return margin.FeeToClose(ctx, z, xbt, d("-10000"), price, lev, taker) })
		},
		func() string {
			return z(func(z *apd.Decimal) error { return margin.MaxQty(ctx, z, btc, balance, price, lev, taker) })
		},
		func() string {
			return z(func(z *apd.Decimal) error {
				return margin.Order(ctx, z, xbt, d("-10000"), d("25000"), price, d("61230"), lev)
			})
		},
	}
	dectest.Share(t, 200, calls...)
}

// tierString returns a tier's fields, or "nil".
func tierString(t *margin.Tier) string {
	if t == nil {
		return "nil"
	}
	return fmt.Sprint(&t.Floor, " ", &t.MMR, " ", &t.Cum, " ", &t.MaxLeverage)
}

// z returns the result f writes into a fresh decimal, and its error.
func z(f func(z *apd.Decimal) error) string {
	var z apd.Decimal
	err := f(&z)
	return fmt.Sprint(&z, " ", err)
}
