package derivmath_test

import (
	"fmt"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/internal/dectest"
)

// TestShare: the package documentation's promise that a context, only
// read, may be shared between goroutines. Goroutines round shared values
// with one context (derivmath's default, then one of 30 digits that
// takes apd's path) in every mode, each into its own result, and check
// shared values; run it with -race. The other packages' TestShare check
// their own shareable values.
func TestShare(t *testing.T) {
	d := dectest.D
	x, step := d("-50123.456789"), d("0.5")
	wide := apd.BaseContext.WithPrecision(30)
	var calls []func() string
	for _, ctx := range []*apd.Context{derivmath.NewContext(), wide} {
		for r := derivmath.Down; r <= derivmath.HalfEven; r++ {
			calls = append(calls, func() string {
				var z apd.Decimal
				err := derivmath.Round(ctx, &z, x, step, r)
				return fmt.Sprint(&z, " ", err)
			})
		}
	}
	calls = append(calls, func() string {
		return fmt.Sprint(derivmath.CheckDecimal(x), derivmath.CheckPrice(x), derivmath.CheckRate(step),
			derivmath.CheckFeeRate(step), derivmath.CheckLeverage(step))
	})
	dectest.Share(t, 200, calls...)
}
