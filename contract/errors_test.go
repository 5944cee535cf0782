package contract_test

import (
	"errors"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/dectest"
)

// errDocs are the error lists, for TestErrorsDocumented and FuzzDocumented,
// of each exported function and method that returns an error
// (dectest.ErrorsDocumented). The lists resolve the references of the
// documentation: "derivmath.CheckDecimal errors" are
// dectest.CheckDecimalErrs (ErrRange among them, which the result gate of
// package derivmath also returns); "derivmath.CheckPrice errors" add
// derivmath.ErrPrice, "CheckFeeRate errors" ErrFeeRate, "CheckLeverage
// errors" ErrLeverage; "those of Spec.Value" and "of Spec.PnL" are theirs.
// The package documentation adds ErrKind and ErrMultiplier to every
// computation of a value (the multiplier read): the integer operand n[0]
// picks the Spec, a preset or, for 4 and 5, a hand-filled XBTUSD with no
// Kind or a negative Multiplier.
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
	spErr := e(contract.ErrKind, contract.ErrMultiplier)
	price := e(derivmath.ErrPrice)
	specCases := []dectest.ErrCase{{Want: contract.ErrKind, N: map[int]int64{0: 4}}, {Want: contract.ErrMultiplier, N: map[int]int64{0: 5}}}
	with := func(cs ...dectest.ErrCase) []dectest.ErrCase { return append(cs, specCases...) }
	x := func(want error, kv ...any) dectest.ErrCase {
		c := dectest.ErrCase{Want: want, X: map[int]string{}}
		for i := 0; i < len(kv); i += 2 {
			c.X[kv[i].(int)] = kv[i+1].(string)
		}
		return c
	}
	pos := func(x []*apd.Decimal) *contract.Position {
		var p contract.Position
		p.Qty.Set(x[0])
		p.Entry.Set(x[1])
		return &p
	}
	z := func() *apd.Decimal { return new(apd.Decimal) }
	// params writes the decimals of a Spec as the texts of Params.
	params := func(x []*apd.Decimal, n []int64) contract.Params {
		return contract.Params{
			Kind: contract.Kind(n[0]), Multiplier: x[0].String(), Tick: x[1].String(), Lot: x[2].String(),
			Maker: x[3].String(), Taker: x[4].String(), Minor: x[5].String(),
		}
	}
	validateErrs := e(contract.ErrKind, contract.ErrMultiplier, contract.ErrTickSize, contract.ErrLotSize, derivmath.ErrFeeRate, contract.ErrMinorUnit)
	validateCases := []dectest.ErrCase{
		{Want: contract.ErrKind, N: map[int]int64{0: 0}},
		x(contract.ErrMultiplier, 0, "0"), x(contract.ErrTickSize, 1, "-0.5"), x(contract.ErrLotSize, 2, "0"),
		x(derivmath.ErrFeeRate, 4, "1"), x(contract.ErrMinorUnit, 5, "-1E-8"),
	}
	specBase := []string{"1", "0.5", "100", "-0.00025", "0.00075", "0.00000001"}
	isParse := func(err error) bool {
		var pe *contract.ParseError
		return errors.As(err, &pe)
	}
	return []dectest.ErrDoc{
		{
			Name: "New", Errs: dectest.Errs(validateErrs, dec), Typed: isParse,
			Base: specBase, Ints: []int64{int64(contract.Inverse)}, Checked: []int{0},
			Call: func(_ *apd.Context, x []*apd.Decimal, n []int64) error {
				_, err := contract.New(params(x, n))
				return err
			},
			Cases: validateCases,
		},
		{
			Name: "Validate", Errs: dectest.Errs(validateErrs, dec),
			Base: specBase, Ints: []int64{int64(contract.Inverse)}, Checked: []int{0},
			Call: func(_ *apd.Context, x []*apd.Decimal, n []int64) error {
				s := &contract.Spec{Kind: contract.Kind(n[0])}
				for i, f := range []*apd.Decimal{&s.Multiplier, &s.Tick, &s.Lot, &s.Maker, &s.Taker, &s.Minor} {
					f.Set(x[i])
				}
				return s.Validate()
			},
			Cases: validateCases,
		},
		{
			Name: "Apply", Errs: dectest.Errs(ctxErr, dec, price, spErr, e(derivmath.ErrZeroQty, contract.ErrOffTick, contract.ErrOffLot)),
			Base: []string{"100", "50000", "0", "0", "-300", "50000.5"}, Ints: []int64{0}, Checked: []int{2},
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				p := pos(x)
				p.Realised.Set(x[2])
				p.Fees.Set(x[3])
				f := contract.Fill{}
				f.Qty.Set(x[4])
				f.Price.Set(x[5])
				return spec(n[0]).Apply(ctx, p, &f)
			},
			Cases: with(x(derivmath.ErrPrice, 5, "-1"), x(derivmath.ErrZeroQty, 4, "0"), x(contract.ErrOffTick, 5, "50000.1"),
				x(contract.ErrOffLot, 4, "150"), dectest.ErrCase{
					Want: derivmath.ErrRange, N: map[int]int64{0: 2},
					X: map[int]string{0: "9999999999999999.999", 1: "50000", 4: "0.002", 5: "50000"},
				}),
		},
		{
			Name: "AvgEntry", Errs: dectest.Errs(ctxErr, dec, price, spErr, e(derivmath.ErrZeroQty)),
			Base: []string{"100", "50000", "-200", "40000"}, Ints: []int64{0}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				fills := make([]contract.Fill, 2)
				for i := range fills {
					fills[i].Qty.Set(x[2*i])
					fills[i].Price.Set(x[2*i+1])
				}
				return spec(n[0]).AvgEntry(ctx, z(), fills)
			},
			Cases: with(x(derivmath.ErrPrice, 3, "0"), x(derivmath.ErrZeroQty, 0, "0", 2, "0")),
		},
		{
			Name: "BreakEven", Errs: dectest.Errs(ctxErr, dec, price, spErr, e(derivmath.ErrZeroQty, derivmath.ErrFeeRate)),
			Base: []string{"100", "50000", "0.00075", "-0.00025"}, Ints: []int64{0}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				return spec(n[0]).BreakEven(ctx, z(), pos(x), x[2], x[3])
			},
			Cases: with(x(derivmath.ErrPrice, 1, "0"), x(derivmath.ErrZeroQty, 0, "0"), x(derivmath.ErrFeeRate, 3, "-1")),
		},
		{
			Name: "Cost", Errs: dectest.Errs(ctxErr, dec, price, spErr),
			Base: []string{"100", "50000"}, Ints: []int64{0}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				return spec(n[0]).Cost(ctx, z(), x[0], x[1])
			},
			Cases: with(x(derivmath.ErrPrice, 1, "-1")),
		},
		{
			Name: "Fee", Errs: dectest.Errs(ctxErr, dec, price, spErr, e(derivmath.ErrFeeRate)),
			Base: []string{"100", "50000", "0.00075"}, Ints: []int64{0}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				return spec(n[0]).Fee(ctx, z(), x[0], x[1], x[2])
			},
			Cases: with(x(derivmath.ErrPrice, 1, "-1"), x(derivmath.ErrFeeRate, 2, "1")),
		},
		{
			Name: "FromLots", Errs: e(derivmath.ErrContext, derivmath.ErrRange), Ints: []int64{0, 7},
			Call: func(ctx *apd.Context, _ []*apd.Decimal, n []int64) error {
				return spec(n[0]).FromLots(ctx, z(), n[1])
			},
			Cases: []dectest.ErrCase{{Want: derivmath.ErrRange, Call: func() error {
				return contract.BTCUSDT().FromLots(apd.BaseContext.WithPrecision(3), z(), 12345)
			}}},
		},
		{
			Name: "FromTicks", Errs: e(derivmath.ErrContext, derivmath.ErrRange), Ints: []int64{0, 7},
			Call: func(ctx *apd.Context, _ []*apd.Decimal, n []int64) error {
				return spec(n[0]).FromTicks(ctx, z(), n[1])
			},
			Cases: []dectest.ErrCase{{Want: derivmath.ErrRange, Call: func() error {
				return contract.BTCUSDT().FromTicks(apd.BaseContext.WithPrecision(3), z(), 12345)
			}}},
		},
		{
			Name: "Lots", Errs: dectest.Errs(ctxErr, dec, e(contract.ErrOffLot)),
			Base: []string{"300"}, Ints: []int64{0}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				_, err := spec(n[0]).Lots(ctx, x[0])
				return err
			},
			Cases: []dectest.ErrCase{x(contract.ErrOffLot, 0, "150")},
		},
		{
			Name: "PnL", Errs: dectest.Errs(ctxErr, dec, price, spErr),
			Base: []string{"100", "50000", "51000"}, Ints: []int64{0}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				return spec(n[0]).PnL(ctx, z(), x[0], x[1], x[2])
			},
			Cases: with(x(derivmath.ErrPrice, 2, "0")),
		},
		{
			Name: "Price", Errs: dectest.Errs(ctxErr, dec, spErr, e(derivmath.ErrZeroQty, contract.ErrValue)),
			Base: []string{"100", "0.002"}, Ints: []int64{0}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				return spec(n[0]).Price(ctx, z(), x[0], x[1])
			},
			Cases: with(x(derivmath.ErrZeroQty, 0, "0"), x(contract.ErrValue, 1, "0")),
		},
		{
			Name: "ROE", Errs: dectest.Errs(ctxErr, dec, price, spErr, e(derivmath.ErrZeroQty, derivmath.ErrLeverage)),
			Base: []string{"100", "50000", "51000", "10"}, Ints: []int64{0}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				return spec(n[0]).ROE(ctx, z(), pos(x), x[2], x[3])
			},
			Cases: with(x(derivmath.ErrPrice, 2, "0"), x(derivmath.ErrZeroQty, 0, "0"), x(derivmath.ErrLeverage, 3, "0.5")),
		},
		{
			Name: "Ticks", Errs: dectest.Errs(ctxErr, dec, price, e(contract.ErrOffTick)),
			Base: []string{"50000.5"}, Ints: []int64{0}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				_, err := spec(n[0]).Ticks(ctx, x[0])
				return err
			},
			Cases: []dectest.ErrCase{x(derivmath.ErrPrice, 0, "0"), x(contract.ErrOffTick, 0, "50000.1")},
		},
		{
			Name: "Unrealised", Errs: dectest.Errs(ctxErr, dec, price, spErr),
			Base: []string{"100", "50000", "51000"}, Ints: []int64{0}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				return spec(n[0]).Unrealised(ctx, z(), pos(x), x[2])
			},
			Cases: with(x(derivmath.ErrPrice, 2, "0")),
		},
		{
			Name: "Value", Errs: dectest.Errs(ctxErr, dec, price, spErr),
			Base: []string{"100", "50000"}, Ints: []int64{0}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				return spec(n[0]).Value(ctx, z(), x[0], x[1])
			},
			Cases: with(x(derivmath.ErrPrice, 1, "0")),
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
