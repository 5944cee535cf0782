package funding_test

import (
	"testing"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/funding"
	"github.com/derivmath/derivmath/internal/dectest"
)

// errDocs are the error lists, for TestErrorsDocumented and FuzzDocumented,
// of each exported function that returns an error
// (dectest.ErrorsDocumented). The lists resolve the references of the
// documentation: "derivmath.CheckDecimal errors" are
// dectest.CheckDecimalErrs (ErrRange among them, which the result gate of
// package derivmath also returns); "derivmath.CheckPrice errors" add
// derivmath.ErrPrice; "those of Payment" are Payment's list, "those of
// Basis" Basis's, "those of Rate" Rate's. Durations are integer operands,
// in nanoseconds; for Accrual and Payment n[0] picks the Spec (4 and 5: a
// hand-filled one with no Kind or a negative Multiplier).
func errDocs() []dectest.ErrDoc {
	noKind, negMult := contract.XBTUSD(), contract.XBTUSD()
	noKind.Kind = 0
	negMult.Multiplier.SetInt64(-1)
	specs := []*contract.Spec{contract.XBTUSD(), contract.ETHUSD(), contract.BTCUSDT(), contract.BTCUSDPerp(), noKind, negMult}
	spec := func(n int64) *contract.Spec {
		i := n % int64(len(specs))
		if i < 0 {
			i = -i
		}
		return specs[i]
	}
	e := func(errs ...error) []error { return errs }
	dec := dectest.CheckDecimalErrs
	ctxErr := e(derivmath.ErrContext)
	x := func(want error, kv ...any) dectest.ErrCase {
		c := dectest.ErrCase{Want: want, X: map[int]string{}}
		for i := 0; i < len(kv); i += 2 {
			c.X[kv[i].(int)] = kv[i+1].(string)
		}
		return c
	}
	n := func(want error, i int, v int64) dectest.ErrCase {
		return dectest.ErrCase{Want: want, N: map[int]int64{i: v}}
	}
	z := func() *apd.Decimal { return new(apd.Decimal) }
	d := func(v int64) time.Duration { return time.Duration(v) }
	h := int64(time.Hour)
	pos := func(qty *apd.Decimal) *contract.Position {
		var p contract.Position
		p.Qty.Set(qty)
		p.Entry.SetInt64(50000)
		return &p
	}
	paymentErrs := dectest.Errs(ctxErr, dec, e(derivmath.ErrRate, contract.ErrKind, contract.ErrMultiplier, derivmath.ErrPrice))
	paymentCases := []dectest.ErrCase{
		x(derivmath.ErrRate, 2, "1"), x(derivmath.ErrPrice, 1, "0"),
		n(contract.ErrKind, 0, 4), n(contract.ErrMultiplier, 0, 5),
	}
	basisErrs := dectest.Errs(ctxErr, dec, e(derivmath.ErrRate, funding.ErrInterval, funding.ErrTimeLeft))
	rateErrs := dectest.Errs(ctxErr, dec, e(derivmath.ErrRate, funding.ErrBound))
	rateCases := []dectest.ErrCase{x(derivmath.ErrRate, 0, "1"), x(funding.ErrBound, 2, "1")}
	return []dectest.ErrDoc{
		{
			Name: "Accrual", Errs: dectest.Errs(paymentErrs, e(funding.ErrDuration, funding.ErrInterval)),
			Base: []string{"100", "50000", "0.0001"}, Ints: []int64{0, 3 * h, 8 * h}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				return funding.Accrual(ctx, z(), spec(n[0]), pos(x[0]), x[1], x[2], d(n[1]), d(n[2]))
			},
			Cases: append([]dectest.ErrCase{n(funding.ErrDuration, 1, -1), n(funding.ErrInterval, 2, 7*h)}, paymentCases...),
		},
		{
			Name: "Annualised", Errs: dectest.Errs(ctxErr, dec, e(derivmath.ErrRate, funding.ErrInterval)),
			Base: []string{"0.0001"}, Ints: []int64{8 * h}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				return funding.Annualised(ctx, z(), x[0], d(n[0]))
			},
			Cases: []dectest.ErrCase{x(derivmath.ErrRate, 0, "-1"), n(funding.ErrInterval, 0, 0)},
		},
		{
			Name: "Average", Errs: dectest.Errs(ctxErr, dec, e(funding.ErrEmptyWindow, funding.ErrWeighting, derivmath.ErrRate)),
			Base: []string{"0.0001", "-0.0002", "0.0003"}, Ints: []int64{int64(funding.TimeWeighted), 3}, Checked: []int{1},
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				k := min(max(n[1], 0), 3)
				samples := make([]apd.Decimal, k)
				for i := range samples {
					samples[i].Set(x[i])
				}
				return funding.Average(ctx, z(), samples, funding.Weighting(n[0]))
			},
			Cases: []dectest.ErrCase{n(funding.ErrEmptyWindow, 1, 0), n(funding.ErrWeighting, 0, 0), x(derivmath.ErrRate, 2, "1")},
		},
		{
			Name: "Basis", Errs: basisErrs,
			Base: []string{"0.0001"}, Ints: []int64{3 * h, 8 * h}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				return funding.Basis(ctx, z(), x[0], d(n[0]), d(n[1]))
			},
			Cases: []dectest.ErrCase{x(derivmath.ErrRate, 0, "1"), n(funding.ErrInterval, 1, 7*h), n(funding.ErrTimeLeft, 0, 9*h)},
		},
		{
			Name: "BasisRate", Errs: dectest.Errs(ctxErr, dec, e(derivmath.ErrPrice, funding.ErrCrossed, funding.ErrExpiry)),
			Base: []string{"50010", "50020", "50000"}, Ints: []int64{30 * 24 * h}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				return funding.BasisRate(ctx, z(), x[0], x[1], x[2], d(n[0]))
			},
			Cases: []dectest.ErrCase{x(derivmath.ErrPrice, 2, "0"), x(funding.ErrCrossed, 0, "50030"), n(funding.ErrExpiry, 0, 0)},
		},
		{
			Name: "CapBinance", Errs: dectest.Errs(ctxErr, dec, e(funding.ErrFactor, funding.ErrMarginRate, funding.ErrBound)),
			Base: []string{"0.75", "0.004"}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, _ []int64) error {
				return funding.CapBinance(ctx, z(), x[0], x[1])
			},
			Cases: []dectest.ErrCase{
				x(funding.ErrFactor, 0, "0"), x(funding.ErrMarginRate, 1, "0"), x(funding.ErrBound, 0, "300"),
			},
		},
		{
			Name: "CapBitMEX", Errs: dectest.Errs(ctxErr, dec, e(funding.ErrMarginRate)),
			Base: []string{"0.01", "0.005"}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, _ []int64) error {
				return funding.CapBitMEX(ctx, z(), x[0], x[1])
			},
			Cases: []dectest.ErrCase{x(funding.ErrMarginRate, 1, "0.02")},
		},
		{
			Name: "ChangeCapBitMEX", Errs: dectest.Errs(ctxErr, dec, e(funding.ErrMarginRate)),
			Base: []string{"0.005"}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, _ []int64) error {
				return funding.ChangeCapBitMEX(ctx, z(), x[0])
			},
			Cases: []dectest.ErrCase{x(funding.ErrMarginRate, 0, "1.5")},
		},
		{
			Name: "Clamp", Errs: dectest.Errs(dec, e(derivmath.ErrRate, funding.ErrBound)),
			Base: []string{"0.01", "0.0075"}, Checked: []int{0},
			Call: func(_ *apd.Context, x []*apd.Decimal, _ []int64) error {
				return funding.Clamp(z(), x[0], x[1])
			},
			Cases: []dectest.ErrCase{x(derivmath.ErrRate, 0, "1"), x(funding.ErrBound, 1, "-0.1")},
		},
		{
			Name: "ClampChange", Errs: dectest.Errs(ctxErr, dec, e(derivmath.ErrRate, funding.ErrBound)),
			Base: []string{"0.01", "0.001", "0.00375"}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, _ []int64) error {
				return funding.ClampChange(ctx, z(), x[0], x[1], x[2])
			},
			Cases: []dectest.ErrCase{x(derivmath.ErrRate, 1, "-1"), x(funding.ErrBound, 2, "1")},
		},
		{
			Name: "DeadBand", Errs: dectest.Errs(ctxErr, dec, e(derivmath.ErrPrice, funding.ErrBound, derivmath.ErrRate)),
			Base: []string{"50100", "50000", "0.0005"}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, _ []int64) error {
				return funding.DeadBand(ctx, z(), x[0], x[1], x[2])
			},
			Cases: []dectest.ErrCase{x(derivmath.ErrPrice, 1, "0"), x(funding.ErrBound, 2, "1"), x(derivmath.ErrRate, 0, "200000")},
		},
		{
			Name: "FairPrice", Errs: dectest.Errs(basisErrs, e(derivmath.ErrPrice)),
			Base: []string{"50000", "0.0001"}, Ints: []int64{3 * h, 8 * h}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				return funding.FairPrice(ctx, z(), x[0], x[1], d(n[0]), d(n[1]))
			},
			Cases: []dectest.ErrCase{
				x(derivmath.ErrPrice, 0, "0"), x(derivmath.ErrRate, 1, "1"),
				n(funding.ErrInterval, 1, 0), n(funding.ErrTimeLeft, 0, -1),
			},
		},
		{
			Name: "FairPriceDated", Errs: dectest.Errs(ctxErr, dec, e(derivmath.ErrPrice, funding.ErrExpiry, funding.ErrBasis)),
			Base: []string{"50000", "0.06"}, Ints: []int64{30 * 24 * h}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				return funding.FairPriceDated(ctx, z(), x[0], x[1], d(n[0]))
			},
			Cases: []dectest.ErrCase{x(derivmath.ErrPrice, 0, "-1"), n(funding.ErrExpiry, 0, -1), x(funding.ErrBasis, 1, "-1000")},
		},
		{
			Name: "ImpactNotional", Errs: dectest.Errs(ctxErr, dec, e(funding.ErrMargin, funding.ErrMarginRate)),
			Base: []string{"200", "0.05"}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, _ []int64) error {
				return funding.ImpactNotional(ctx, z(), x[0], x[1])
			},
			Cases: []dectest.ErrCase{x(funding.ErrMargin, 0, "0"), x(funding.ErrMarginRate, 1, "0")},
		},
		{
			Name: "Interest", Errs: dectest.Errs(ctxErr, dec, e(derivmath.ErrRate, funding.ErrInterval)),
			Base: []string{"0.0006", "0.0003"}, Ints: []int64{8 * h}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				return funding.Interest(ctx, z(), x[0], x[1], d(n[0]))
			},
			Cases: []dectest.ErrCase{
				{Want: derivmath.ErrRate, X: map[int]string{0: "0.6", 1: "-0.6"}, N: map[int]int64{0: 24 * h}},
				n(funding.ErrInterval, 0, 7*h),
			},
		},
		{
			Name: "MarkBinance", Errs: dectest.Errs(ctxErr, dec, e(derivmath.ErrPrice, derivmath.ErrRate, funding.ErrInterval, funding.ErrTimeLeft)),
			Base: []string{"50000", "0.0001", "0.0002", "50010"}, Ints: []int64{3 * h, 8 * h}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				return funding.MarkBinance(ctx, z(), x[0], x[1], x[2], x[3], d(n[0]), d(n[1]))
			},
			Cases: []dectest.ErrCase{
				x(derivmath.ErrPrice, 3, "0"), x(derivmath.ErrRate, 1, "1"),
				n(funding.ErrInterval, 1, 7*h), n(funding.ErrTimeLeft, 0, 9*h),
			},
		},
		{
			Name: "MarkPremium", Errs: dectest.Errs(ctxErr, dec, e(derivmath.ErrPrice, funding.ErrCrossed, derivmath.ErrRate)),
			Base: []string{"50010", "50020", "50005", "50000", "0.00001"}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, _ []int64) error {
				return funding.MarkPremium(ctx, z(), x[0], x[1], x[2], x[3], x[4])
			},
			Cases: []dectest.ErrCase{x(derivmath.ErrPrice, 2, "0"), x(funding.ErrCrossed, 0, "50030"), x(derivmath.ErrRate, 4, "1")},
		},
		{
			Name: "Next", Errs: e(funding.ErrInterval, funding.ErrOffset),
			Ints: []int64{1700000000e9, 8 * h, 0},
			Call: func(_ *apd.Context, _ []*apd.Decimal, n []int64) error {
				_, err := funding.Next(time.Unix(0, n[0]), d(n[1]), d(n[2]))
				return err
			},
			Cases: []dectest.ErrCase{n(funding.ErrInterval, 1, 7*h), n(funding.ErrOffset, 2, 8*h)},
		},
		{
			Name: "Payment", Errs: paymentErrs,
			Base: []string{"100", "50000", "0.0001"}, Ints: []int64{0}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				return funding.Payment(ctx, z(), spec(n[0]), pos(x[0]), x[1], x[2])
			},
			Cases: paymentCases,
		},
		{
			Name: "PerInterval", Errs: dectest.Errs(ctxErr, dec, e(derivmath.ErrRate, funding.ErrInterval)),
			Base: []string{"0.0001"}, Ints: []int64{4 * h}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				return funding.PerInterval(ctx, z(), x[0], d(n[0]))
			},
			Cases: []dectest.ErrCase{x(derivmath.ErrRate, 0, "1"), n(funding.ErrInterval, 0, 3*h/2)},
		},
		{
			Name: "Premium", Errs: dectest.Errs(ctxErr, dec, e(derivmath.ErrPrice, funding.ErrCrossed, derivmath.ErrRate)),
			Base: []string{"50010", "50020", "50000"}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, _ []int64) error {
				return funding.Premium(ctx, z(), x[0], x[1], x[2])
			},
			Cases: []dectest.ErrCase{
				x(derivmath.ErrPrice, 2, "0"), x(funding.ErrCrossed, 0, "50030"),
				x(derivmath.ErrRate, 0, "100000", 1, "100000"),
			},
		},
		{
			Name: "Rate", Errs: rateErrs,
			Base: []string{"0.0002", "0.0001", "0.0005"}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, _ []int64) error {
				return funding.Rate(ctx, z(), x[0], x[1], x[2])
			},
			Cases: rateCases,
		},
		{
			Name: "RateBinance", Errs: dectest.Errs(rateErrs, e(funding.ErrInterval, funding.ErrScaling)),
			Base: []string{"0.0002", "0.0001", "0.0005"}, Ints: []int64{4 * h, int64(funding.ScaleTerms)}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				return funding.RateBinance(ctx, z(), x[0], x[1], x[2], d(n[0]), funding.Scaling(n[1]))
			},
			Cases: append([]dectest.ErrCase{n(funding.ErrInterval, 0, 7*h), n(funding.ErrScaling, 1, 0)}, rateCases...),
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
