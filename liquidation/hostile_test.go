package liquidation_test

import (
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/derivmath/derivmath/liquidation"
	"pgregory.net/rapid"
)

// replaceSome sets a random subset of fields (possibly none, possibly all)
// to hostile decimals, so that a valid account is reached as often as a
// broken one.
func replaceSome(t *rapid.T, label string, fields ...*apd.Decimal) {
	for i, f := range fields {
		if rapid.IntRange(0, 3).Draw(t, label) == 0 {
			f.Set(dectest.HostileDecimal(t, label+string(rune('a'+i))))
		}
	}
}

// hostileAccount returns one of a few accounts (isolated Binance with or
// without tiers, BitMEX with satoshis and posCost, Bybit, a cross account
// with legs on other contracts) with some fields replaced by hostile
// decimals.
func hostileAccount(t *rapid.T) *liquidation.Account {
	var a *liquidation.Account
	switch rapid.IntRange(0, 3).Draw(t, "template") {
	case 0:
		a = &liquidation.Account{Spec: contract.BTCUSDT(), Convention: liquidation.Binance}
		l := leg(a, "0.5", "60000", "0.004", "0")
		if rapid.Bool().Draw(t, "tiers") {
			l.Tiers = brackets(t, dectest.D("1500000000"))
		}
		a.Balance.Set(dectest.D("1500"))
	case 1:
		a = &liquidation.Account{Spec: contract.XBTUSD(), Convention: liquidation.BitMEX}
		l := leg(a, "10000", "50000", "0.005", "0")
		l.Cost.Set(dectest.D("0.2"))
		a.Balance.Set(dectest.D("0.008156"))
		a.FeeReserve.Set(dectest.D("0.000156"))
	case 2:
		a = &liquidation.Account{Spec: contract.BTCUSDT(), Convention: liquidation.Bybit}
		leg(a, "1", "10000", "0.005", "0")
		leg(a, "-0.5", "10500", "0.005", "0")
		a.Balance.Set(dectest.D("200"))
		a.ExtraMM.Set(dectest.D("1"))
	default:
		a = &liquidation.Account{Spec: contract.BTCUSDT(), Convention: liquidation.Binance}
		leg(a, "1", "60000", "0.005", "50")
		eth := mustSpec(t, contract.Params{Symbol: "ETHUSDT", Kind: contract.Linear, Settle: "USDT", Multiplier: "1", Tick: "0.01", Lot: "0.001"})
		h := leg(a, "-10", "3000", "0.005", "0")
		h.Spec = eth
		h.Mark.Set(dectest.D("3100"))
		h = leg(a, "3", "2900", "0", "0")
		h.Spec = eth
		h.Mark.Set(dectest.D("3100"))
		h.Tiers = brackets(t, nil)
		a.Balance.Set(dectest.D("10000"))
		a.OtherPnL.Set(dectest.D("-12.5"))
		a.OtherMM.Set(dectest.D("3"))
	}
	replaceSome(t, "account", &a.Balance, &a.OtherPnL, &a.OtherMM, &a.FeeReserve, &a.ExtraMM)
	for i := range a.Legs {
		l := &a.Legs[i]
		replaceSome(t, "leg", &l.Qty, &l.Entry, &l.Cost, &l.MMR, &l.Cum, &l.Mark)
	}
	return a
}

// aliases returns the decimals of a, mark and lev that a result may alias.
func aliases(a *liquidation.Account, mark, lev *apd.Decimal) []*apd.Decimal {
	z := []*apd.Decimal{&a.Balance, &a.OtherPnL, &a.OtherMM, &a.FeeReserve, &a.ExtraMM, mark, lev}
	for i := range a.Legs {
		l := &a.Legs[i]
		z = append(z, &l.Qty, &l.Entry, &l.Cost, &l.MMR, &l.Cum, &l.Mark)
	}
	return z
}

// TestPropHostile drives every exported computation of the package (the
// one-shot functions, Compile and every method of a Solver) with hostile
// decimals (dectest.HostileDecimal) in the account, the mark and the
// leverage, in the default, a 50-digit and any context (dectest.AnyContext),
// with the results fresh or aliasing an input (each of Distance's two):
// nothing panics; every error is documented; on error no output changes
// (both of Distance's); on success every output is a valid input; a
// Solver that failed to compile, or a SetMark that failed, changes
// nothing.
func TestPropHostile(t *testing.T) {
	wide := apd.BaseContext.WithPrecision(50)
	rapid.Check(t, func(t *rapid.T) {
		ctx := rapid.SampledFrom([]*apd.Context{derivmath.NewContext(), wide}).Draw(t, "ctx")
		if rapid.IntRange(0, 2).Draw(t, "anyContext") == 0 {
			ctx = dectest.AnyContext(t)
		}
		a := hostileAccount(t)
		mark, lev := dectest.HostileDecimal(t, "mark"), dectest.HostileDecimal(t, "leverage")
		if rapid.Bool().Draw(t, "plain mark") {
			mark = dectest.D("59000")
		}
		if rapid.Bool().Draw(t, "plain leverage") {
			lev = dectest.D("20")
		}
		r := rapid.SampledFrom([]liquidation.Rounding{0, liquidation.Exact, liquidation.TowardEntry, liquidation.Nearest, 9}).Draw(t, "rounding")
		type op struct {
			name string
			fn   func(a *liquidation.Account, z, z2, mark, lev *apd.Decimal) error
		}
		ops := []op{
			{"Price", func(a *liquidation.Account, z, _, _, _ *apd.Decimal) error {
				_, err := liquidation.Price(ctx, z, a, r)
				return err
			}},
			{"Bankruptcy", func(a *liquidation.Account, z, _, _, _ *apd.Decimal) error {
				_, err := liquidation.Bankruptcy(ctx, z, a, r)
				return err
			}},
			{"Distance", func(a *liquidation.Account, z, z2, mark, _ *apd.Decimal) error {
				_, err := liquidation.Distance(ctx, z, z2, a, mark, r)
				return err
			}},
			{"IsolatedMargin", func(a *liquidation.Account, z, _, _, lev *apd.Decimal) error {
				return liquidation.IsolatedMargin(ctx, z, a, lev)
			}},
			{"Solver.Price", func(a *liquidation.Account, z, _, _, _ *apd.Decimal) error {
				s, err := liquidation.Compile(ctx, a)
				if err != nil {
					return err
				}
				_, err = s.Price(z, r)
				return err
			}},
			{"Solver.Bankruptcy", func(a *liquidation.Account, z, _, _, _ *apd.Decimal) error {
				var s liquidation.Solver
				if err := s.Compile(ctx, a); err != nil {
					return err
				}
				_, err := s.Bankruptcy(z, r)
				return err
			}},
			{"Solver.Distance", func(a *liquidation.Account, z, z2, mark, _ *apd.Decimal) error {
				s, err := liquidation.Compile(ctx, a)
				if err != nil {
					return err
				}
				_, err = s.Distance(z, z2, mark, r)
				return err
			}},
		}
		for _, o := range ops {
			b := cloneAccount(a)
			m, l := new(apd.Decimal).Set(mark), new(apd.Decimal).Set(lev)
			targets := aliases(b, m, l)
			z, z2 := dectest.D("-42.5"), dectest.D("-43.5")
			k := rapid.IntRange(0, len(targets)).Draw(t, "alias")
			if k > 0 {
				z = targets[k-1]
			}
			// Distance's second result, pct, may alias an input too (but
			// not abs).
			if strings.HasSuffix(o.name, "Distance") {
				if k2 := rapid.IntRange(0, len(targets)).Draw(t, "alias2"); k2 > 0 && k2 != k {
					z2 = targets[k2-1]
				}
			}
			before, before2 := new(apd.Decimal).Set(z), new(apd.Decimal).Set(z2)
			err := o.fn(b, z, z2, m, l)
			checkDocumented(t, o.name, err)
			if err != nil {
				if z.CmpTotal(before) != 0 || z2.CmpTotal(before2) != 0 {
					t.Fatalf("%s failed (%v) and changed its results from %s, %s to %s, %s", o.name, err, before, before2, z, z2)
				}
				continue
			}
			for _, x := range []*apd.Decimal{z, z2} {
				if e := derivmath.CheckDecimal(x); e != nil {
					t.Fatalf("%s wrote %s, not a valid input: %v", o.name, x, e)
				}
			}
		}

		// The computations that write no decimal.
		_, err := liquidation.Liquidatable(ctx, a, mark)
		checkDocumented(t, "Liquidatable", err)
		var s liquidation.Solver
		errCompile := s.Compile(ctx, a)
		checkDocumented(t, "Solver.Compile", errCompile)
		if _, err := s.Liquidatable(mark); (err == nil) == (errCompile != nil) && errCompile != nil {
			t.Fatalf("Solver.Liquidatable after a failed Compile (%v): %v", errCompile, err)
		} else {
			checkDocumented(t, "Solver.Liquidatable", err)
		}
		if errCompile != nil {
			return
		}
		// SetMark: a failure changes nothing.
		var p0, p1 apd.Decimal
		st0, err0 := s.Price(&p0, liquidation.Exact)
		for i := range a.Legs {
			err := s.SetMark(i, dectest.HostileDecimal(t, "set mark"))
			checkDocumented(t, "Solver.SetMark", err)
			if err == nil {
				return // the account moved: the comparison below no longer holds
			}
		}
		st1, err1 := s.Price(&p1, liquidation.Exact)
		if st0 != st1 || (err0 == nil) != (err1 == nil) || p0.String() != p1.String() {
			t.Fatalf("failed SetMark calls changed the Solver: %v %s %v, then %v %s %v", st0, &p0, err0, st1, &p1, err1)
		}
	})
}
