package derivmath_test

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/internal/dectest"
)

// errDocs are the error lists, for TestErrorsDocumented and FuzzDocumented,
// of each exported function that returns an error
// (dectest.ErrorsDocumented): every error it lists has an input that
// returns it, and no other error comes out on hostile inputs. "Those of
// CheckDecimal" are dectest.CheckDecimalErrs.
func errDocs() []dectest.ErrDoc {
	check := func(f func(*apd.Decimal) error) func(*apd.Context, []*apd.Decimal, []int64) error {
		return func(_ *apd.Context, x []*apd.Decimal, _ []int64) error { return f(x[0]) }
	}
	dec := dectest.CheckDecimalErrs
	return []dectest.ErrDoc{
		{Name: "CheckDecimal", Errs: dec, Base: []string{"1.5"}, Call: check(derivmath.CheckDecimal), Checked: []int{0}},
		{
			Name: "CheckPrice", Errs: dectest.Errs(dec, []error{derivmath.ErrPrice}), Base: []string{"1.5"},
			Call: check(derivmath.CheckPrice), Checked: []int{0},
			Cases: []dectest.ErrCase{{Want: derivmath.ErrPrice, X: map[int]string{0: "0"}}},
		},
		{
			Name: "CheckLeverage", Errs: dectest.Errs(dec, []error{derivmath.ErrLeverage}), Base: []string{"1"},
			Call: check(derivmath.CheckLeverage), Checked: []int{0},
			Cases: []dectest.ErrCase{{Want: derivmath.ErrLeverage, X: map[int]string{0: "0.99"}}},
		},
		{
			Name: "CheckFeeRate", Errs: dectest.Errs(dec, []error{derivmath.ErrFeeRate}), Base: []string{"-0.9"},
			Call: check(derivmath.CheckFeeRate), Checked: []int{0},
			Cases: []dectest.ErrCase{{Want: derivmath.ErrFeeRate, X: map[int]string{0: "-1"}}},
		},
		{
			Name: "CheckRate", Errs: dectest.Errs(dec, []error{derivmath.ErrRate}), Base: []string{"0.9"},
			Call: check(derivmath.CheckRate), Checked: []int{0},
			Cases: []dectest.ErrCase{{Want: derivmath.ErrRate, X: map[int]string{0: "1"}}},
		},
		{
			Name: "Round", Errs: dectest.Errs(dec, []error{derivmath.ErrContext, derivmath.ErrRounding, derivmath.ErrStep}),
			Base: []string{"1.26", "0.5"}, Ints: []int64{int64(derivmath.HalfEven)},
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				return derivmath.Round(ctx, new(apd.Decimal), x[0], x[1], derivmath.Rounding(n[0]))
			},
			Checked: []int{0},
			Cases: []dectest.ErrCase{
				{Want: derivmath.ErrRounding, N: map[int]int64{0: 0}},
				{Want: derivmath.ErrStep, X: map[int]string{1: "-0.5"}},
				{Want: derivmath.ErrRange, X: map[int]string{0: "1E+30", 1: "1E-30"}},
			},
		},
	}
}

// TestErrorsDocumented checks the error lists of errDocs
// (dectest.ErrorsDocumented).
func TestErrorsDocumented(t *testing.T) {
	dectest.ErrorsDocumented(t, errDocs())
}

// FuzzDocumented calls the functions of errDocs on fuzzed operands and
// contexts (dectest.FuzzDocumented).
func FuzzDocumented(f *testing.F) {
	dectest.FuzzDocumented(f, errDocs())
}
