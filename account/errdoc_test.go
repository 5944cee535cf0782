package account_test

import (
	"errors"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/margin"
)

// errTier stands in an ErrDoc's list for a *margin.TierError.
var errTier error = &margin.TierError{}

// errDocs are the error lists, for TestErrorsDocumented and FuzzDocumented,
// of each method of Account that returns an error, and of New
// (dectest.ErrorsDocumented). The lists resolve the references of the
// documentation: "derivmath.CheckDecimal errors" are
// dectest.CheckDecimalErrs (ErrRange among them, which the result gate also
// returns); "CheckPrice errors" add derivmath.ErrPrice; "errors of
// s.Validate" are contract.Spec.Validate's; "margin tier lookup errors" are
// a *margin.TierError (a position's table is never nil and its notionals
// never negative); "liquidation's errors" of Report are
// liquidation.ErrRounding and liquidation.ErrNoConvergence, as the
// account's inputs were validated when they entered it (and a tier is read
// at a mark, which SetMark and Set check, or at a price the solver finds
// within the table: a position whose entry notional is beyond its table's
// limit is no error, see TestBinanceEntryPastLimit).
//
// Each call is made on a fresh account in the context given, by the
// convention n[0]: marks on BTCUSDT and BTCUSD, wallets in USDT and BTC,
// and a cross BTCUSDT position on a table with a limit (for Summary and
// Report, a mark, a wallet and a position of the operands). When that
// set-up fails on hostile operands the call is skipped: it is not what is
// checked.
func errDocs(t testing.TB) []dectest.ErrDoc {
	e := func(errs ...error) []error { return errs }
	dec := dectest.CheckDecimalErrs
	mod := func(n int64, k int) int {
		i := int(n % int64(k))
		if i < 0 {
			i = -i
		}
		return i
	}
	btcusdt, btcusd := contract.BTCUSDT(), contract.BybitBTCUSD()
	eth, err := contract.New(contract.Params{Symbol: "ETHUSDT", Kind: contract.Linear, Settle: "USDT", Multiplier: "1", Tick: "0.01", Lot: "0.001"})
	if err != nil {
		t.Fatal(err)
	}
	broken := func(f func(s *contract.Spec)) *contract.Spec {
		s := contract.BTCUSDT()
		s.Symbol = "BROKEN"
		f(s)
		return s
	}
	// specs: 0 and 1 marked, 2 not marked, 3 nil, 4-9 failing Validate.
	specs := []*contract.Spec{
		btcusdt, btcusd, eth, nil,
		broken(func(s *contract.Spec) { s.Kind = 0 }),
		broken(func(s *contract.Spec) { s.Multiplier.SetInt64(-1) }),
		broken(func(s *contract.Spec) { s.Tick.SetInt64(0) }),
		broken(func(s *contract.Spec) { s.Lot.SetInt64(0) }),
		broken(func(s *contract.Spec) { s.Taker.SetInt64(1) }),
		broken(func(s *contract.Spec) { s.Minor.SetInt64(-1) }),
	}
	spec := func(n int64) *contract.Spec { return specs[mod(n, len(specs))] }
	rows := make([]margin.Tier, 2)
	for i, f := range []*apd.Decimal{&rows[1].Floor, &rows[0].MMR, &rows[1].MMR, &rows[1].Cum, &rows[0].MaxLeverage, &rows[1].MaxLeverage} {
		f.Set(dectest.D([]string{"50000", "0.004", "0.005", "50", "125", "100"}[i]))
	}
	table, err := margin.NewTiers(rows, dectest.D("250000"))
	if err != nil {
		t.Fatal(err)
	}
	conv := func(n int64) liquidation.Convention { return liquidation.Convention(1 + mod(n, 3)) }
	// world is the account every call but New's and Report's is made on.
	world := func(ctx *apd.Context, n int64) *account.Account {
		a, err := account.New(ctx, conv(n))
		if err != nil {
			return nil
		}
		p := &account.Position{Spec: btcusdt, Side: account.OneWay, Mode: account.Cross, Tiers: table}
		p.Qty.Set(dectest.D("1"))
		p.Entry.SetInt64(50000)
		p.Leverage.SetInt64(10)
		for _, err := range []error{
			a.SetMark(btcusdt, dectest.D("50000")), a.SetMark(btcusd, dectest.D("50000")),
			a.SetWallet("USDT", dectest.D("10000")), a.SetWallet("BTC", dectest.D("1")), a.Set(p),
		} {
			if err != nil {
				return nil
			}
		}
		return a
	}
	// own is an account of the operands: a mark x[2] on BTCUSDT, a USDT
	// wallet x[3], and a OneWay position in mode n[3] of x[0] contracts at
	// x[1], leverage 10, MMR x[4] (or, for an odd n[4], the table with a
	// limit) and (isolated) margin x[5].
	own := func(ctx *apd.Context, x []*apd.Decimal, n []int64) *account.Account {
		a, err := account.New(ctx, conv(n[0]))
		if err != nil {
			return nil
		}
		p := &account.Position{Spec: btcusdt, Side: account.OneWay, Mode: account.Mode(n[3])}
		if n[4]%2 != 0 {
			p.Tiers = table
		}
		p.Qty.Set(x[0])
		p.Entry.Set(x[1])
		p.Leverage.SetInt64(10)
		p.MMR.Set(x[4])
		if p.Mode == account.Isolated {
			p.Margin.Set(x[5])
		}
		for _, err := range []error{a.SetMark(btcusdt, x[2]), a.SetWallet("USDT", x[3]), a.Set(p)} {
			if err != nil {
				return nil
			}
		}
		return a
	}
	gen := dectest.LongTierRows(1100)
	longRows := make([]margin.Tier, len(gen))
	for i := range gen {
		longRows[i].Floor.Set(&gen[i].Floor)
		longRows[i].MMR.Set(&gen[i].MMR)
		longRows[i].Cum.Set(&gen[i].Cum)
		longRows[i].MaxLeverage.Set(&gen[i].MaxLeverage)
	}
	long, err := margin.NewTiers(longRows, nil)
	if err != nil {
		t.Fatal(err)
	}
	x := func(want error, kv ...any) dectest.ErrCase {
		c := dectest.ErrCase{Want: want, X: map[int]string{}}
		for i := 0; i < len(kv); i += 2 {
			c.X[kv[i].(int)] = kv[i+1].(string)
		}
		return c
	}
	n := func(want error, kv ...int64) dectest.ErrCase {
		c := dectest.ErrCase{Want: want, N: map[int]int64{}}
		for i := 0; i < len(kv); i += 2 {
			c.N[int(kv[i])] = kv[i+1]
		}
		return c
	}
	cs := func(c ...dectest.ErrCase) []dectest.ErrCase { return c }
	isTier := func(err error) bool {
		var te *margin.TierError
		return errors.As(err, &te)
	}
	currencies := []string{"USDT", "BTC", "XYZ"}

	// Set: decimals Qty, Entry, Realised, Fees, Leverage, Margin, Cost,
	// Fee, MMR, Cum, Funding; integers convention, Spec, Side, Mode, and
	// tiers (odd: the table).
	position := func(x []*apd.Decimal, n []int64) *account.Position {
		p := &account.Position{Spec: spec(n[1]), Side: account.Side(n[2]), Mode: account.Mode(n[3])}
		if n[4]%2 != 0 {
			p.Tiers = table
		}
		for i, f := range []*apd.Decimal{&p.Qty, &p.Entry, &p.Realised, &p.Fees, &p.Leverage, &p.Margin, &p.Cost, &p.Fee, &p.MMR, &p.Cum, &p.Funding} {
			f.Set(x[i])
		}
		return p
	}
	setBase := []string{"100", "50000", "0", "0", "10", "0.0002", "0", "0", "0.005", "0", "0"}
	setInts := []int64{0, 1, int64(account.OneWay), int64(account.Isolated), 0}
	validateErrs := e(contract.ErrKind, contract.ErrMultiplier, contract.ErrTickSize, contract.ErrLotSize, derivmath.ErrFeeRate, contract.ErrMinorUnit)

	docs := []dectest.ErrDoc{
		{
			Name: "New", Errs: e(derivmath.ErrContext, account.ErrConvention), Ints: []int64{int64(liquidation.Binance)},
			Call: func(ctx *apd.Context, _ []*apd.Decimal, n []int64) error {
				_, err := account.New(ctx, liquidation.Convention(n[0]))
				return err
			},
			Cases: cs(n(account.ErrConvention, 0, 0)),
		},
		{
			Name: "Set", Errs: dectest.Errs(dec, e(
				account.ErrNoSpec, account.ErrNoMark, account.ErrSide, account.ErrMode, account.ErrNegative, account.ErrLeverage,
				derivmath.ErrPrice, derivmath.ErrRate, errTier,
			)),
			Typed: isTier, Base: setBase, Ints: setInts, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				a := world(ctx, n[0])
				if a == nil {
					return nil
				}
				return a.Set(position(x, n))
			},
			Cases: cs(
				n(account.ErrNoSpec, 1, 3), n(account.ErrNoMark, 1, 2), n(account.ErrSide, 2, 0), n(account.ErrMode, 3, 0),
				x(account.ErrNegative, 5, "-1"), x(account.ErrLeverage, 4, "-1"), x(derivmath.ErrPrice, 1, "0"),
				x(derivmath.ErrRate, 8, "1"),
				dectest.ErrCase{Want: errTier, X: map[int]string{0: "1E+12"}, N: map[int]int64{4: 1}},
			),
		},
		{
			Name: "SetMark", Errs: dectest.Errs(dec, validateErrs, e(account.ErrNoSpec, derivmath.ErrPrice, errTier)),
			Typed: isTier, Base: []string{"51000"}, Ints: []int64{0, 0}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				a := world(ctx, n[0])
				if a == nil {
					return nil
				}
				return a.SetMark(spec(n[1]), x[0])
			},
			Cases: cs(
				n(account.ErrNoSpec, 1, 3), n(contract.ErrKind, 1, 4), n(contract.ErrMultiplier, 1, 5),
				n(contract.ErrTickSize, 1, 6), n(contract.ErrLotSize, 1, 7), n(derivmath.ErrFeeRate, 1, 8),
				n(contract.ErrMinorUnit, 1, 9), x(derivmath.ErrPrice, 0, "0"), x(errTier, 0, "300000"),
			),
		},
		{
			Name: "SetOrder", Errs: dectest.Errs(dec, e(account.ErrNoSpec, account.ErrNoMark, account.ErrSide, account.ErrLeverage, derivmath.ErrPrice)),
			Base: []string{"0.5", "49000", "10"}, Ints: []int64{0, 0, int64(account.OneWay)}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				a := world(ctx, n[0])
				if a == nil {
					return nil
				}
				o := &account.Order{Spec: spec(n[1]), Side: account.Side(n[2])}
				o.Qty.Set(x[0])
				o.Price.Set(x[1])
				o.Leverage.Set(x[2])
				return a.SetOrder("o", o)
			},
			Cases: cs(
				n(account.ErrNoSpec, 1, 3), n(account.ErrNoMark, 1, 2), n(account.ErrSide, 2, 0),
				x(account.ErrLeverage, 2, "-1"), x(derivmath.ErrPrice, 1, "0"),
			),
		},
		{
			Name: "SetWallet", Errs: dec, Base: []string{"5000"}, Ints: []int64{0, 0}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				a := world(ctx, n[0])
				if a == nil {
					return nil
				}
				return a.SetWallet(currencies[mod(n[1], len(currencies))], x[0])
			},
		},
		{
			Name: "Transfer", Errs: dec, Base: []string{"-500"}, Ints: []int64{0, 0}, Checked: []int{0},
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				a := world(ctx, n[0])
				if a == nil {
					return nil
				}
				return a.Transfer(currencies[mod(n[1], len(currencies))], x[0])
			},
		},
		{
			Name: "Summary", Errs: e(derivmath.ErrRange),
			Base: []string{"1", "50000", "51000", "10000", "0.005", "100"}, Ints: []int64{0, 0, 0, int64(account.Cross), 1},
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				a := own(ctx, x, n)
				if a == nil {
					return nil
				}
				return a.Summary(new(account.Summary), currencies[mod(n[1], len(currencies))])
			},
			// A wallet and an unrealised PnL each in range whose sum, the
			// equity, is not.
			Cases: cs(dectest.ErrCase{
				Want: derivmath.ErrRange, N: map[int]int64{4: 0},
				X: map[int]string{0: "1000000000000000000E+100", 1: "1", 2: "9", 3: "9000000000000000000E+100"},
			}),
		},
		{
			Name: "Report", Errs: e(account.ErrIndex, liquidation.ErrRounding, liquidation.ErrNoConvergence, derivmath.ErrRange),
			Base: []string{"1", "50000", "51000", "10000", "0.005", "1000"},
			Ints: []int64{0, 0, int64(liquidation.TowardEntry), int64(account.Cross), 1},
			Call: func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				a := own(ctx, x, n)
				if a == nil {
					return nil
				}
				return a.Report(new(account.Report), int(n[1]), liquidation.Rounding(n[2]))
			},
			Cases: cs(
				n(account.ErrIndex, 1, 1), n(liquidation.ErrRounding, 2, 0),
				// A short whose wallet puts its liquidation price beyond
				// the result range.
				dectest.ErrCase{Want: derivmath.ErrRange, X: map[int]string{0: "-0.001", 3: "9000000000000000000E+100"}, N: map[int]int64{4: 0}},
				dectest.ErrCase{Want: liquidation.ErrNoConvergence, Call: func() error {
					a, err := account.New(derivmath.NewContext(), liquidation.Binance)
					if err != nil {
						return err
					}
					if err := a.SetMark(btcusdt, dectest.D("50000")); err != nil {
						return err
					}
					for _, side := range []account.Side{account.Long, account.Short} {
						p := &account.Position{Spec: btcusdt, Side: side, Mode: account.Cross, Tiers: long}
						p.Qty.Set(dectest.D("1"))
						if side == account.Short {
							p.Qty.Neg(&p.Qty)
						}
						p.Entry.SetInt64(50000)
						p.Leverage.SetInt64(10)
						if err := a.Set(p); err != nil {
							return err
						}
					}
					return a.Report(new(account.Report), 0, liquidation.Exact)
				}},
			),
		},
	}
	return docs
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
