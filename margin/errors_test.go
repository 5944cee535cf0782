package margin_test

import (
	"errors"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/derivmath/derivmath/internal/num"
	"github.com/derivmath/derivmath/margin"
)

// errDocs are the error lists, for TestErrorsDocumented and FuzzDocumented,
// of each exported function and method that returns an error
// (dectest.ErrorsDocumented). The lists resolve the references of the
// documentation: "derivmath.CheckDecimal errors" are
// dectest.CheckDecimalErrs (ErrRange among them, which the result gate of
// package derivmath also returns); "CheckPrice errors" add
// derivmath.ErrPrice, "CheckLeverage errors" ErrLeverage, "CheckRate
// errors" ErrRate; "those of X" are X's list. A *TierError, *RowError or
// *FieldError where listed is the typed error. n[0] picks the Spec (4 and
// 5: a hand-filled one with no Kind or a negative Multiplier); for the
// methods of Tiers, an odd n[0] (n[1] for MaxQty) is a nil table. The
// schedules' fields are operands too, so that their Validate errors come
// out of every method.
func errDocs(t testing.TB) []dectest.ErrDoc {
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
	noLot := contract.BTCUSDT()
	noLot.Lot.SetInt64(0)
	table := func(t testing.TB) *margin.Tiers {
		rows := make([]margin.Tier, 2)
		for i, f := range []*apd.Decimal{&rows[1].Floor, &rows[0].MMR, &rows[1].MMR, &rows[1].Cum, &rows[0].MaxLeverage, &rows[1].MaxLeverage} {
			f.Set(dectest.D([]string{"50000", "0.004", "0.005", "50", "125", "100"}[i]))
		}
		tb, err := margin.NewTiers(rows, dectest.D("250000"))
		if err != nil {
			t.Fatal(err)
		}
		return tb
	}(t)
	tiers := func(n int64) *margin.Tiers {
		if n%2 != 0 {
			return nil
		}
		return table
	}
	e := func(errs ...error) []error { return errs }
	dec := dectest.CheckDecimalErrs
	ctxErr := e(derivmath.ErrContext)
	spErr := e(contract.ErrKind, contract.ErrMultiplier)
	specCases := []dectest.ErrCase{{Want: contract.ErrKind, N: map[int]int64{0: 4}}, {Want: contract.ErrMultiplier, N: map[int]int64{0: 5}}}
	x := func(want error, kv ...any) dectest.ErrCase {
		c := dectest.ErrCase{Want: want, X: map[int]string{}}
		for i := 0; i < len(kv); i += 2 {
			c.X[kv[i].(int)] = kv[i+1].(string)
		}
		return c
	}
	cs := func(c ...dectest.ErrCase) []dectest.ErrCase { return c }
	z := func() *apd.Decimal { return new(apd.Decimal) }
	isTier := func(err error) bool {
		var te *margin.TierError
		return errors.As(err, &te)
	}
	isRow := func(err error) bool {
		var re *margin.RowError
		return errors.As(err, &re)
	}
	isField := func(err error) bool {
		var fe *margin.FieldError
		return errors.As(err, &fe)
	}
	tierErr := func(x map[int]string) dectest.ErrCase {
		return dectest.ErrCase{Want: errTier, X: x}
	}

	// SizeLinear: operands 0-3 its fields, then size and value.
	dl := margin.DeribitBTC()
	slBase := []string{dl.BaseIM.String(), dl.BaseMM.String(), dl.IMSlope.String(), dl.MMSlope.String(), "10", "500000"}
	sl := func(x []*apd.Decimal) *margin.SizeLinear {
		s := &margin.SizeLinear{}
		for i, f := range []*apd.Decimal{&s.BaseIM, &s.BaseMM, &s.IMSlope, &s.MMSlope} {
			f.Set(x[i])
		}
		return s
	}
	slValidate := dectest.Errs(dec, e(derivmath.ErrRate))
	slValidateCases := cs(x(derivmath.ErrRate, 1, "0"))
	slIMR := dectest.Errs(ctxErr, slValidate, e(errTier))
	slIMRCases := append(cs(tierErr(map[int]string{4: "1E+10"})), slValidateCases...)
	slInitial := dectest.Errs(slIMR, e(margin.ErrNotional))
	slInitialCases := append(cs(x(margin.ErrNotional, 5, "-1")), slIMRCases...)

	// Steps: operands 0-4 its fields, then value and leverage.
	stBase := []string{"200", "150", "0.005", "0.01", "0", "1000", "20"}
	st := func(x []*apd.Decimal) *margin.Steps {
		s := &margin.Steps{}
		for i, f := range []*apd.Decimal{&s.BaseRiskLimit, &s.Step, &s.BaseMM, &s.BaseIM, &s.Limit} {
			f.Set(x[i])
		}
		return s
	}
	stValidate := dectest.Errs(dec, e(margin.ErrRiskLimit, derivmath.ErrRate))
	stValidateCases := cs(x(margin.ErrRiskLimit, 1, "0"), x(derivmath.ErrRate, 2, "0"))
	stCount := dectest.Errs(ctxErr, stValidate, e(margin.ErrNotional, errTier))
	stCountCases := append(cs(
		x(margin.ErrNotional, 5, "-1"), tierErr(map[int]string{4: "10000", 5: "20000"}),
		x(derivmath.ErrRange, 2, "1E-50", 3, "1E-50", 5, "1E+30"),
	), stValidateCases...)

	// Tier rows: operands 0-7 two rows (floor, MMR, cum, max leverage),
	// 8 the limit; n[0] rows are used.
	tierBase := []string{"0", "0.004", "0", "125", "50000", "0.005", "50", "100", "250000"}
	rowsOf := func(x []*apd.Decimal, n int64) []margin.Tier {
		rows := make([]margin.Tier, min(max(n, 0), 2))
		for i := range rows {
			for j, f := range []*apd.Decimal{&rows[i].Floor, &rows[i].MMR, &rows[i].Cum, &rows[i].MaxLeverage} {
				f.Set(x[4*i+j])
			}
		}
		return rows
	}
	lookup := dectest.Errs(dec, e(margin.ErrNoTiers, margin.ErrNotional, errTier))
	lookupCases := cs(
		dectest.ErrCase{Want: margin.ErrNoTiers, N: map[int]int64{0: 1}},
		x(margin.ErrNotional, 0, "-1"), tierErr(map[int]string{0: "250000"}),
	)
	maxQty := dectest.Errs(ctxErr, spErr, dec, e(derivmath.ErrPrice, derivmath.ErrLeverage, derivmath.ErrRate, derivmath.ErrStep))
	maxQtyCases := append(cs(
		x(derivmath.ErrPrice, 1, "0"), x(derivmath.ErrLeverage, 2, "0.5"), x(derivmath.ErrRate, 3, "-0.001"),
		dectest.ErrCase{Want: derivmath.ErrStep, Call: func() error {
			return margin.MaxQty(derivmath.NewContext(), z(), noLot, dectest.D("1000"), dectest.D("50000"), dectest.D("10"), dectest.D("0.0005"))
		}},
	), specCases...)

	return []dectest.ErrDoc{
		{
			Name: "Available", Errs: dectest.Errs(ctxErr, dec, e(margin.ErrAmount)),
			Base: []string{"1000", "-50", "200"}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, _ []int64) error {
				return margin.Available(ctx, z(), x[0], x[1], x[2])
			},
			Cases: cs(x(margin.ErrAmount, 2, "-1")),
		},
		{
			Name: "BitMEXNeverLiquidates", Errs: dectest.Errs(dec, e(derivmath.ErrLeverage)),
			Base: []string{"-100", "1"}, Ints: []int64{int64(contract.Inverse), 1}, Checked: []int{0},
			Call: func(_ *apd.Context, x []*apd.Decimal, n []int64) error {
				_, err := margin.BitMEXNeverLiquidates(contract.Kind(n[0]), x[0], x[1], n[1] != 0)
				return err
			},
			Cases: cs(x(derivmath.ErrLeverage, 1, "-1")),
		},
		{
			Name: "Cum", Errs: dectest.Errs(ctxErr, dec, e(margin.ErrAmount, margin.ErrNotional, derivmath.ErrRate, margin.ErrTierRate)),
			Base: []string{"0", "50000", "0.005", "0.004"}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, _ []int64) error {
				return margin.Cum(ctx, z(), x[0], x[1], x[2], x[3])
			},
			Cases: cs(x(margin.ErrAmount, 0, "-1"), x(margin.ErrNotional, 1, "-1"), x(derivmath.ErrRate, 2, "1"), x(margin.ErrTierRate, 2, "0.003")),
		},
		{
			Name: "FeeToClose", Errs: dectest.Errs(ctxErr, spErr, dec, e(derivmath.ErrPrice, derivmath.ErrLeverage, derivmath.ErrRate)),
			Base: []string{"100", "50000", "10", "0.00075"}, Ints: []int64{0}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				return margin.FeeToClose(ctx, z(), spec(n[0]), x[0], x[1], x[2], x[3])
			},
			Cases: append(cs(x(derivmath.ErrPrice, 1, "0"), x(derivmath.ErrLeverage, 2, "0.5"), x(derivmath.ErrRate, 3, "-0.001")), specCases...),
		},
		{
			Name: "FundingReserve", Errs: dectest.Errs(ctxErr, dec, e(margin.ErrNotional, derivmath.ErrRate)),
			Base: []string{"100", "0.002", "0.0001"}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, _ []int64) error {
				return margin.FundingReserve(ctx, z(), x[0], x[1], x[2])
			},
			Cases: cs(x(margin.ErrNotional, 1, "-1"), x(derivmath.ErrRate, 2, "1")),
		},
		{
			Name: "IMR", Errs: dectest.Errs(ctxErr, dec, e(derivmath.ErrLeverage)),
			Base: []string{"10"}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, _ []int64) error {
				return margin.IMR(ctx, z(), x[0])
			},
			Cases: cs(x(derivmath.ErrLeverage, 0, "0.5"), x(derivmath.ErrRange, 0, "2E+100")),
		},
		{
			Name: "Initial", Errs: dectest.Errs(ctxErr, dec, e(margin.ErrNotional, derivmath.ErrLeverage)),
			Base: []string{"5000", "10"}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, _ []int64) error {
				return margin.Initial(ctx, z(), x[0], x[1])
			},
			Cases: cs(x(margin.ErrNotional, 0, "-1"), x(derivmath.ErrLeverage, 1, "0.5")),
		},
		{
			Name: "Maintenance", Errs: dectest.Errs(ctxErr, dec, e(margin.ErrNotional, derivmath.ErrRate, margin.ErrAmount)),
			Base: []string{"5000", "0.005", "0"}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, _ []int64) error {
				return margin.Maintenance(ctx, z(), x[0], x[1], x[2])
			},
			Cases: cs(x(margin.ErrNotional, 0, "-1"), x(derivmath.ErrRate, 1, "1"), x(margin.ErrAmount, 2, "-1")),
		},
		{
			Name: "MaxQty", Errs: maxQty,
			Base: []string{"1000", "50000", "10", "0.00075"}, Ints: []int64{0}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				return margin.MaxQty(ctx, z(), spec(n[0]), x[0], x[1], x[2], x[3])
			},
			Cases: maxQtyCases,
		},
		{
			Name: "Order", Errs: dectest.Errs(ctxErr, spErr, dec, e(derivmath.ErrZeroQty, derivmath.ErrPrice, derivmath.ErrLeverage)),
			Base: []string{"0", "100", "50000", "0", "10"}, Ints: []int64{0}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				return margin.Order(ctx, z(), spec(n[0]), x[0], x[1], x[2], x[3], x[4])
			},
			Cases: append(cs(x(derivmath.ErrZeroQty, 1, "0"), x(derivmath.ErrPrice, 2, "0"), x(derivmath.ErrLeverage, 4, "0.5")), specCases...),
		},
		{
			Name: "Position", Errs: dectest.Errs(ctxErr, dec, e(margin.ErrNotional, derivmath.ErrLeverage, margin.ErrAmount)),
			Base: []string{"5000", "10", "1"}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, _ []int64) error {
				return margin.Position(ctx, z(), x[0], x[1], x[2])
			},
			Cases: cs(x(margin.ErrNotional, 0, "-1"), x(derivmath.ErrLeverage, 1, "0.5"), x(margin.ErrAmount, 2, "-1")),
		},
		{
			Name: "Ratio", Errs: dectest.Errs(ctxErr, dec, e(margin.ErrAmount, margin.ErrBalance)),
			Base: []string{"25", "1000"}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, _ []int64) error {
				return margin.Ratio(ctx, z(), x[0], x[1])
			},
			Cases: cs(x(margin.ErrAmount, 0, "-1"), x(margin.ErrBalance, 1, "0")),
		},
		{
			Name: "BitMEXPosition.Margin", Errs: dectest.Errs(ctxErr, dec, e(margin.ErrWhole, margin.ErrAmount, derivmath.ErrRate)),
			Typed: isField,
			Base:  []string{"-25426", "0", "0", "0.01", "0.005", "0.00075", "0"}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, _ []int64) error {
				p := &margin.BitMEXPosition{}
				for i, f := range []*apd.Decimal{&p.Cost, &p.Cross, &p.Loss, &p.InitMarginReq, &p.MaintMarginReq, &p.Commission, &p.FundingReserve} {
					f.Set(x[i])
				}
				return p.Margin(ctx, &margin.BitMEX{})
			},
			Cases: cs(x(margin.ErrWhole, 0, "1.5"), x(margin.ErrAmount, 1, "-1"), x(derivmath.ErrRate, 4, "0.02")),
		},
		{
			Name: "SizeLinear.Validate", Errs: slValidate, Base: slBase, Checked: []int{0},
			Call: func(_ *apd.Context, x []*apd.Decimal, _ []int64) error {
				return sl(x).Validate()
			},
			Cases: slValidateCases,
		},
		{
			Name: "SizeLinear.IMR", Errs: slIMR, Typed: isTier, Base: slBase, Checked: []int{4},
			Call: func(ctx *apd.Context, x []*apd.Decimal, _ []int64) error {
				return sl(x).IMR(ctx, z(), x[4])
			},
			Cases: slIMRCases,
		},
		{
			Name: "SizeLinear.MMR", Errs: slIMR, Typed: isTier, Base: slBase, Checked: []int{4},
			Call: func(ctx *apd.Context, x []*apd.Decimal, _ []int64) error {
				return sl(x).MMR(ctx, z(), x[4])
			},
			Cases: slIMRCases,
		},
		{
			Name: "SizeLinear.Initial", Errs: slInitial, Typed: isTier, Base: slBase, Checked: []int{4},
			Call: func(ctx *apd.Context, x []*apd.Decimal, _ []int64) error {
				return sl(x).Initial(ctx, z(), x[4], x[5])
			},
			Cases: slInitialCases,
		},
		{
			Name: "SizeLinear.Maintenance", Errs: slInitial, Typed: isTier, Base: slBase, Checked: []int{4},
			Call: func(ctx *apd.Context, x []*apd.Decimal, _ []int64) error {
				return sl(x).Maintenance(ctx, z(), x[4], x[5])
			},
			Cases: slInitialCases,
		},
		{
			Name: "Steps.Validate", Errs: stValidate, Base: stBase, Checked: []int{0},
			Call: func(_ *apd.Context, x []*apd.Decimal, _ []int64) error {
				return st(x).Validate()
			},
			Cases: stValidateCases,
		},
		{
			Name: "Steps.Count", Errs: stCount, Typed: isTier, Base: stBase, Checked: []int{5},
			Call: func(ctx *apd.Context, x []*apd.Decimal, _ []int64) error {
				return st(x).Count(ctx, z(), x[5])
			},
			Cases: stCountCases,
		},
		{
			Name: "Steps.IMR", Errs: stCount, Typed: isTier, Base: stBase, Checked: []int{5},
			Call: func(ctx *apd.Context, x []*apd.Decimal, _ []int64) error {
				return st(x).IMR(ctx, z(), x[5])
			},
			Cases: stCountCases,
		},
		{
			Name: "Steps.MMR", Errs: stCount, Typed: isTier, Base: stBase, Checked: []int{5},
			Call: func(ctx *apd.Context, x []*apd.Decimal, _ []int64) error {
				return st(x).MMR(ctx, z(), x[5])
			},
			Cases: stCountCases,
		},
		{
			Name: "Steps.Maintenance", Errs: stCount, Typed: isTier, Base: stBase, Checked: []int{5},
			Call: func(ctx *apd.Context, x []*apd.Decimal, _ []int64) error {
				return st(x).Maintenance(ctx, z(), x[5])
			},
			Cases: stCountCases,
		},
		{
			Name: "Steps.Initial", Errs: stCount, Typed: isTier, Base: stBase, Checked: []int{5},
			Call: func(ctx *apd.Context, x []*apd.Decimal, _ []int64) error {
				return st(x).Initial(ctx, z(), x[5])
			},
			Cases: stCountCases,
		},
		{
			Name: "Steps.CheckLeverage", Errs: dectest.Errs(stCount, e(derivmath.ErrLeverage, margin.ErrAboveMaxLeverage)),
			Typed: isTier, Base: stBase, Checked: []int{5},
			Call: func(ctx *apd.Context, x []*apd.Decimal, _ []int64) error {
				return st(x).CheckLeverage(ctx, x[5], x[6])
			},
			Cases: append(cs(
				x(derivmath.ErrLeverage, 6, "0.5"), x(margin.ErrAboveMaxLeverage, 6, "101"),
				x(derivmath.ErrRange, 6, "1.000000000000000001", 3, "0.015"),
			), stCountCases...),
		},
		{
			Name: "NewTiers", Errs: dectest.Errs(dec, e(margin.ErrNoTiers, margin.ErrTierFloor, margin.ErrTierRate, margin.ErrTierLeverage, margin.ErrCum, margin.ErrLimit)),
			Typed: isRow, Base: tierBase, Ints: []int64{2}, Checked: []int{5},
			Call: func(_ *apd.Context, x []*apd.Decimal, n []int64) error {
				_, err := margin.NewTiers(rowsOf(x, n[0]), x[8])
				return err
			},
			Cases: cs(
				dectest.ErrCase{Want: margin.ErrNoTiers, N: map[int]int64{0: 0}},
				x(margin.ErrTierFloor, 4, "0"), x(margin.ErrTierRate, 5, "0.003"), x(margin.ErrTierLeverage, 7, "150"),
				x(margin.ErrCum, 6, "51"), x(margin.ErrLimit, 8, "50000"),
				x(derivmath.ErrRange, 4, "1234567890.123456789", 5, "0.005000000001"),
			),
		},
		{
			Name: "Flat", Errs: dectest.Errs(dec, e(margin.ErrTierRate, margin.ErrTierLeverage)),
			Typed: isRow, Base: []string{"0.005", "100"}, Checked: []int{0},
			Call: func(_ *apd.Context, x []*apd.Decimal, _ []int64) error {
				_, err := margin.Flat(x[0], x[1])
				return err
			},
			Cases: cs(x(margin.ErrTierRate, 0, "1"), x(margin.ErrTierLeverage, 1, "0.5")),
		},
		{
			Name: "Tiers.Lookup", Errs: lookup, Typed: isTier, Base: []string{"100000"}, Ints: []int64{0}, Checked: []int{0},
			Call: func(_ *apd.Context, x []*apd.Decimal, n []int64) error {
				_, err := tiers(n[0]).Lookup(x[0])
				return err
			},
			Cases: lookupCases,
		},
		{
			Name: "Tiers.TierNear", Errs: e(margin.ErrNoTiers, margin.ErrNotional), Typed: isTier,
			Base: []string{"100000"}, Ints: []int64{0, 1}, Checked: []int{0},
			Call: func(_ *apd.Context, x []*apd.Decimal, n []int64) error {
				if derivmath.CheckDecimal(x[0]) != nil {
					return nil // x must be valid
				}
				_, err := tiers(n[0]).TierNear(int(n[1]), num.Load(x[0]))
				return err
			},
			Cases: lookupCases,
		},
		{
			Name: "Tiers.Maintenance", Errs: dectest.Errs(ctxErr, lookup), Typed: isTier,
			Base: []string{"100000"}, Ints: []int64{0}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				return tiers(n[0]).Maintenance(ctx, z(), x[0])
			},
			Cases: lookupCases,
		},
		{
			Name: "Tiers.CheckLeverage", Errs: dectest.Errs(lookup, e(derivmath.ErrLeverage, margin.ErrAboveMaxLeverage)), Typed: isTier,
			Base: []string{"100000", "20"}, Ints: []int64{0}, Checked: []int{0},
			Call: func(_ *apd.Context, x []*apd.Decimal, n []int64) error {
				return tiers(n[0]).CheckLeverage(x[0], x[1])
			},
			Cases: append(cs(x(derivmath.ErrLeverage, 1, "0.5"), x(margin.ErrAboveMaxLeverage, 1, "101")), lookupCases...),
		},
		{
			Name: "Tiers.MaxQty", Errs: dectest.Errs(maxQty, e(margin.ErrNoTiers, margin.ErrAboveMaxLeverage)),
			Base: []string{"1000", "50000", "10", "0.00075"}, Ints: []int64{0, 0}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				return tiers(n[1]).MaxQty(ctx, z(), spec(n[0]), x[0], x[1], x[2], x[3])
			},
			Cases: append(cs(
				dectest.ErrCase{Want: margin.ErrNoTiers, N: map[int]int64{1: 1}},
				x(margin.ErrAboveMaxLeverage, 2, "126"),
			), maxQtyCases...),
		},
	}
}

// TestErrorsDocumented checks the error lists of errDocs
// (dectest.ErrorsDocumented).
func TestErrorsDocumented(t *testing.T) {
	dectest.ErrorsDocumented(t, errDocs(t))
}

// FuzzDocumented calls the functions of errDocs on fuzzed operands and
// contexts (dectest.FuzzDocumented).
func FuzzDocumented(f *testing.F) {
	dectest.FuzzDocumented(f, errDocs(f))
}

// errTier stands in an ErrDoc's list for a *margin.TierError, which
// ErrorsDocumented's Typed recognises.
var errTier error = &margin.TierError{}
