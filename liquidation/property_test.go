package liquidation_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/margin"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// The properties of the solver, checked against a 50-digit oracle that
// recomputes equity and maintenance from the account's fields with the
// contract and margin packages (never with the solver).

// fataler is what the helpers need of *testing.T and *rapid.T.
type fataler interface {
	Helper()
	Fatalf(format string, args ...any)
}

// solveFunc is the shape of liquidation.Price and liquidation.Bankruptcy.
type solveFunc func(*apd.Context, *apd.Decimal, *liquidation.Account, liquidation.Rounding) (liquidation.Status, error)

var (
	allKinds       = []contract.Kind{contract.Linear, contract.Inverse, contract.Quanto}
	allConventions = []liquidation.Convention{liquidation.Binance, liquidation.BitMEX, liquidation.Bybit}
)

// apdOK returns a function that fails t on an apd error from an oracle or
// set-up computation: apdOK(t)(orc.Mul(z, x, y)).
func apdOK(t fataler) func(apd.Condition, error) {
	t.Helper()
	return func(_ apd.Condition, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("oracle: %v", err)
		}
	}
}

// noErr fails the test on a set-up error.
func noErr(t fataler, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("set-up: %v", err)
	}
}

// isolate sets a.Balance to the isolated margin of a at lev. It skips a
// draw whose margin leaves the library's range (derivmath.ErrRange: a tiny
// inverse value divided by the leverage can need an exponent below
// -MaxScale, which IsolatedMargin may refuse or return, and which the
// solvers then refuse as an input), and fails the test on any other error.
func isolate(t *rapid.T, a *liquidation.Account, lev *apd.Decimal) {
	t.Helper()
	err := liquidation.IsolatedMargin(derivmath.NewContext(), &a.Balance, a, lev)
	if err == nil {
		err = derivmath.CheckDecimal(&a.Balance)
	}
	if errors.Is(err, derivmath.ErrRange) {
		t.Skip("set-up out of range")
	}
	noErr(t, err)
}

// mustSpec builds a spec or fails the test.
func mustSpec(t fataler, p contract.Params) *contract.Spec {
	t.Helper()
	s, err := contract.New(p)
	noErr(t, err)
	return s
}

// brackets returns Binance's BTCUSDT maintenance brackets (12 tiers, the
// margin.BTCUSDT preset), with an exclusive limit on notional unless limit
// is nil.
func brackets(t fataler, limit *apd.Decimal) *margin.Tiers {
	t.Helper()
	preset := margin.BTCUSDT()
	rows := make([]margin.Tier, preset.Len())
	for i := range rows {
		r := preset.At(i)
		rows[i].Floor.Set(&r.Floor)
		rows[i].MMR.Set(&r.MMR)
		rows[i].MaxLeverage.Set(&r.MaxLeverage)
		rows[i].Cum.Set(&r.Cum)
	}
	tt, err := margin.NewTiers(rows, limit)
	noErr(t, err)
	return tt
}

// cloneAccount returns a deep copy of a (the spec and tier tables, which the
// solvers only read, are shared).
func cloneAccount(a *liquidation.Account) *liquidation.Account {
	b := &liquidation.Account{Spec: a.Spec, Convention: a.Convention, Legs: make([]liquidation.Leg, len(a.Legs))}
	for i := range a.Legs {
		l, m := &a.Legs[i], &b.Legs[i]
		m.Spec = l.Spec
		m.Set(&l.Position)
		m.Mark.Set(&l.Mark)
		m.Cost.Set(&l.Cost)
		m.Tiers = l.Tiers
		m.MMR.Set(&l.MMR)
		m.Cum.Set(&l.Cum)
	}
	b.Balance.Set(&a.Balance)
	b.OtherPnL.Set(&a.OtherPnL)
	b.OtherMM.Set(&a.OtherMM)
	b.FeeReserve.Set(&a.FeeReserve)
	b.ExtraMM.Set(&a.ExtraMM)
	return b
}

// drawSpec draws a contract of the given kind with an exchange-like
// multiplier and tick; minor adds BitMEX's satoshi.
func drawSpec(t *rapid.T, kind contract.Kind, minor bool) *contract.Spec {
	p := contract.Params{
		Kind:       kind,
		Multiplier: rapid.SampledFrom([]string{"1", "100", "0.001", "0.000001"}).Draw(t, "multiplier"),
		Tick:       rapid.SampledFrom([]string{"0.5", "0.1", "0.01", "0.0001"}).Draw(t, "tick"),
		Lot:        "0.001",
	}
	if minor {
		p.Minor = "0.00000001"
	}
	return mustSpec(t, p)
}

// drawLeg fills l with a random position on s, and returns its entry value.
func drawLeg(t *rapid.T, s *contract.Spec, conv liquidation.Convention, l *liquidation.Leg) apd.Decimal {
	ctx := derivmath.NewContext()
	q := dectest.Qty().Draw(t, "qty")
	e := dectest.OnStep(&s.Tick, 100_000_000).Draw(t, "entry")
	mmr := dectest.Fraction(0, 100_000).Draw(t, "mmr")
	l.Qty.Set(&q)
	l.Entry.Set(&e)
	l.MMR.Set(&mmr)
	var v0 apd.Decimal
	noErr(t, s.Value(ctx, &v0, &q, &e))
	if !s.Minor.IsZero() {
		// BitMEX's posCost: the entry value in whole satoshis.
		if err := s.Cost(ctx, &l.Cost, &q, &e); err != nil || l.Cost.IsZero() {
			t.Skip("entry value beyond 19 digits of satoshis, or below half of one")
		}
		v0.Set(&l.Cost)
	}
	if conv != liquidation.BitMEX {
		c := dectest.Fraction(0, 2000).Draw(t, "cum share")
		apdOK(t)(ctx.Mul(&l.Cum, &c, &v0))
		fit(t, &l.Cum)
	}
	return v0
}

// fit makes a computed amount a valid input: trailing zeros removed, and
// rounded to derivmath.MaxScale places if it has more.
func fit(t fataler, z *apd.Decimal) {
	t.Helper()
	z.Reduce(z)
	if z.Exponent < -derivmath.MaxScale {
		apdOK(t)(derivmath.NewContext().Quantize(z, z, -derivmath.MaxScale))
		z.Reduce(z)
	}
	if z.IsZero() {
		z.SetInt64(0)
	}
}

// drawAccount draws an account of any kind and convention: one leg or two
// (hedge mode) on its contract, isolated or cross, with fee reserve and
// extra maintenance, and for cross margin up to three legs on other
// contracts, held at their marks (see drawHeld). Amounts are drawn as
// shares of the legs' entry value.
func drawAccount(t *rapid.T) *liquidation.Account {
	ctx := derivmath.NewContext()
	conv := rapid.SampledFrom(allConventions).Draw(t, "convention")
	kind := rapid.SampledFrom(allKinds).Draw(t, "kind")
	minor := conv == liquidation.BitMEX && rapid.Bool().Draw(t, "minor")
	s := drawSpec(t, kind, minor)
	a := &liquidation.Account{Spec: s, Convention: conv, Legs: make([]liquidation.Leg, rapid.IntRange(1, 2).Draw(t, "legs"))}
	var total apd.Decimal
	for i := range a.Legs {
		v0 := drawLeg(t, s, conv, &a.Legs[i])
		apdOK(t)(ctx.Add(&total, &total, &v0))
	}
	cross := rapid.Bool().Draw(t, "cross")
	if cross {
		drawHeld(t, a, minor, rapid.IntRange(0, 3).Draw(t, "held legs"))
	}
	share := func(name string, lo, hi int64, z *apd.Decimal) {
		f := dectest.Fraction(lo, hi).Draw(t, name)
		apdOK(t)(ctx.Mul(z, &f, &total))
		fit(t, z)
	}
	share("balance", -200_000, 2_000_000, &a.Balance)
	if cross {
		share("other pnl", -200_000, 200_000, &a.OtherPnL)
		share("other mm", 0, 50_000, &a.OtherMM)
	}
	share("fee reserve", 0, 1_000, &a.FeeReserve)
	share("extra mm", 0, 1_000, &a.ExtraMM)
	return a
}

// drawHeld appends n legs on other contracts (of any kind, BitMEX's minor
// unit when minor) to a, each at a mark from a tenth to ten times its entry,
// with the BTCUSDT brackets for some under the Binance convention.
func drawHeld(t *rapid.T, a *liquidation.Account, minor bool, n int) {
	tiers := brackets(t, nil)
	for range n {
		s := drawSpec(t, rapid.SampledFrom(allKinds).Draw(t, "held kind"), minor)
		a.Legs = append(a.Legs, liquidation.Leg{Spec: s})
		l := &a.Legs[len(a.Legs)-1]
		drawLeg(t, s, a.Convention, l)
		f := dectest.Fraction(100_000, 10_000_000).Draw(t, "mark/entry")
		apdOK(t)(derivmath.NewContext().Mul(&l.Mark, &l.Entry, &f))
		fit(t, &l.Mark)
		if l.Mark.Sign() <= 0 {
			t.Skip("mark below the range")
		}
		if a.Convention == liquidation.Binance && rapid.Bool().Draw(t, "held tiers") {
			l.Tiers = tiers
		}
	}
}

// isHeld reports whether l is on another contract than a's.
func isHeld(a *liquidation.Account, l *liquidation.Leg) bool {
	return l.Spec != nil && l.Spec != a.Spec
}

// isolatedLeg draws a one-leg account on s with side sign (+1 or -1), MMR
// mmr, and Balance the isolated margin at lev.
func isolatedLeg(t *rapid.T, s *contract.Spec, conv liquidation.Convention, long bool, lev, mmr *apd.Decimal) *liquidation.Account {
	a := &liquidation.Account{Spec: s, Convention: conv, Legs: make([]liquidation.Leg, 1)}
	l := &a.Legs[0]
	q := dectest.Qty().Draw(t, "qty")
	q.Negative = !long
	e := dectest.OnStep(&s.Tick, 100_000_000).Draw(t, "entry")
	l.Qty.Set(&q)
	l.Entry.Set(&e)
	l.MMR.Set(mmr)
	isolate(t, a, lev)
	return a
}

// ceilTo sets z to x rounded up to a multiple of step, in the oracle.
func ceilTo(t fataler, orc *apd.Context, z, x, step *apd.Decimal) {
	t.Helper()
	var q, c apd.Decimal
	apdOK(t)(orc.Quo(&q, x, step))
	apdOK(t)(orc.Ceil(&c, &q)) // not in place: apd v3.2.3 gives Ceil(0.05) = 0 aliased
	apdOK(t)(orc.Mul(z, &c, step))
}

// oracleResidual returns, in the 50-digit oracle, the account's equity less
// its threshold at price p (maintenance for liq, the fee reserve otherwise):
//
//	equity = Balance + OtherPnL + sum uPnL_i(p_i)
//	liq, Binance:       OtherMM + ExtraMM + sum max(0, MMR_i*value_i(p_i) - Cum_i)
//	liq, BitMEX, Bybit: OtherMM + ExtraMM + sum max(0, MMR_i*v0_i - Cum_i) + FeeReserve
//	bankruptcy:         FeeReserve
//
// where p_i is p for the legs on the account's contract and the leg's mark
// for the others. BitMEX rounds MMR_i*v0_i up to the spec's minor unit. It
// also returns the sum of the magnitudes of every term, which scales the
// tolerance: the residual of a 19-digit solve is a few units in the 19th
// digit of that sum.
func oracleResidual(t fataler, a *liquidation.Account, p *apd.Decimal, liq bool) (res, scale apd.Decimal) {
	t.Helper()
	orc := dectest.Oracle()
	ctx := derivmath.NewContext()
	add := func(x *apd.Decimal, neg bool) {
		t.Helper()
		if neg {
			apdOK(t)(orc.Sub(&res, &res, x))
		} else {
			apdOK(t)(orc.Add(&res, &res, x))
		}
		var m apd.Decimal
		m.Abs(x)
		apdOK(t)(orc.Add(&scale, &scale, &m))
	}
	add(&a.Balance, false)
	add(&a.OtherPnL, false)
	for i := range a.Legs {
		l := &a.Legs[i]
		if l.Qty.IsZero() {
			continue
		}
		s, p := a.Spec, p
		if isHeld(a, l) {
			s, p = l.Spec, &l.Mark
		}
		var v0, vp, pnl, mm apd.Decimal
		noErr(t, s.Value(orc, &vp, &l.Qty, p))
		if l.Cost.IsZero() {
			noErr(t, s.Value(orc, &v0, &l.Qty, &l.Entry))
			noErr(t, s.PnL(orc, &pnl, &l.Qty, &l.Entry, p))
		} else {
			// uPnL = s*(value(P) - posCost), inverse s*(posCost - value(P)).
			v0.Abs(&l.Cost)
			apdOK(t)(orc.Sub(&pnl, &vp, &v0))
			if l.Qty.Negative != (s.Kind == contract.Inverse) {
				pnl.Neg(&pnl)
			}
		}
		add(&pnl, false)
		apdOK(t)(orc.Add(&scale, &scale, &vp))
		apdOK(t)(orc.Add(&scale, &scale, &v0))
		if !liq {
			continue
		}
		mmr, cum := &l.MMR, &l.Cum
		basis := &v0
		if a.Convention == liquidation.Binance {
			basis = &vp
		}
		if l.Tiers != nil {
			var notional apd.Decimal
			apdOK(t)(ctx.Round(&notional, basis)) // Lookup takes 19 digits
			tier, err := l.Tiers.Lookup(&notional)
			noErr(t, err)
			mmr, cum = &tier.MMR, &tier.Cum
		}
		apdOK(t)(orc.Mul(&mm, mmr, basis))
		if a.Convention == liquidation.BitMEX && !s.Minor.IsZero() {
			ceilTo(t, orc, &mm, &mm, &s.Minor)
		}
		apdOK(t)(orc.Sub(&mm, &mm, cum))
		if mm.Negative {
			mm.SetInt64(0) // never below zero (Leg.Cum)
		}
		add(&mm, true)
	}
	if liq {
		add(&a.OtherMM, true)
		add(&a.ExtraMM, true)
	}
	if !liq || a.Convention != liquidation.Binance {
		add(&a.FeeReserve, true)
	}
	return res, scale
}

// residualTolerance is the relative tolerance of the residual, against the
// scale of oracleResidual: a few units in the 19th digit. (3e-18 passed
// 20,000 checks, 1e-18 failed after 2,693.)
var residualTolerance = dectest.D("5e-18")

// checkResidual fails unless |res| <= residualTolerance*scale.
func checkResidual(t fataler, what string, a *liquidation.Account, p *apd.Decimal, liq bool) {
	t.Helper()
	res, scale := oracleResidual(t, a, p, liq)
	var tol apd.Decimal
	apdOK(t)(dectest.Oracle().Mul(&tol, &scale, residualTolerance))
	if !dectest.Within(&res, apd.New(0, 0), &tol) {
		t.Fatalf("%s: equity less threshold at %s is %s, want 0 within %s", what, p.String(), res.String(), tol.String())
	}
}

// TestEquityAtSolvedPrices: at the bankruptcy price, equity equals the fee
// reserve; at the liquidation price, it equals maintenance margin, for every
// kind, convention, one-way and hedge mode, isolated and cross. A status
// other than Found is checked at a range of prices: Never means equity is
// above the threshold at each, Always at or below it.
func TestEquityAtSolvedPrices(t *testing.T) {
	ctx := derivmath.NewContext()
	rapid.Check(t, func(t *rapid.T) {
		a := drawAccount(t)
		for _, c := range []struct {
			name  string
			solve solveFunc
			liq   bool
		}{{"bankruptcy", liquidation.Bankruptcy, false}, {"liquidation", liquidation.Price, true}} {
			var p apd.Decimal
			st, err := c.solve(ctx, &p, a, liquidation.Exact)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			switch st {
			case liquidation.Found:
				if p.Sign() <= 0 {
					t.Fatalf("%s = %s with status Found", c.name, p.String())
				}
				checkResidual(t, c.name, a, &p, c.liq)
			case liquidation.Never, liquidation.Always:
				if !p.IsZero() {
					t.Fatalf("%s: z = %s with status %v, want 0", c.name, p.String(), st)
				}
				checkStatus(t, c.name, a, st, c.liq)
			default:
				t.Fatalf("%s: status %v", c.name, st)
			}
		}
	})
}

// checkStatus checks Never (equity above the threshold) or Always (at or
// below) at prices from a millionth to 1000 times the first leg's entry.
func checkStatus(t fataler, what string, a *liquidation.Account, st liquidation.Status, liq bool) {
	t.Helper()
	orc := dectest.Oracle()
	for _, f := range []string{"0.000001", "0.0001", "0.001", "0.5", "1", "2", "1000"} {
		var p apd.Decimal
		apdOK(t)(orc.Mul(&p, &a.Legs[0].Entry, dectest.D(f)))
		res, scale := oracleResidual(t, a, &p, liq)
		var tol apd.Decimal
		apdOK(t)(orc.Mul(&tol, &scale, residualTolerance))
		if st == liquidation.Never && res.Cmp(&tol) < 0 && !dectest.Within(&res, apd.New(0, 0), &tol) {
			t.Fatalf("%s: status Never but equity less threshold at %s is %s", what, p.String(), res.String())
		}
		if st == liquidation.Always && res.Sign() > 0 && !dectest.Within(&res, apd.New(0, 0), &tol) {
			t.Fatalf("%s: status Always but equity less threshold at %s is %s", what, p.String(), res.String())
		}
	}
}

// mustFound solves and fails unless the status is Found.
func mustFound(t fataler, what string, solve solveFunc, a *liquidation.Account, r liquidation.Rounding) apd.Decimal {
	t.Helper()
	var p apd.Decimal
	st, err := solve(derivmath.NewContext(), &p, a, r)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if st != liquidation.Found {
		t.Fatalf("%s: status %v, want Found", what, st)
	}
	return p
}

// TestIsolatedOrdering: for an isolated long with MMR < 1/L, bankruptcy <
// liquidation < entry (the mirror for a short), and more leverage moves both
// prices toward the entry.
func TestIsolatedOrdering(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		conv := rapid.SampledFrom(allConventions).Draw(t, "convention")
		kind := rapid.SampledFrom(allKinds).Draw(t, "kind")
		s := drawSpec(t, kind, false)
		long := rapid.Bool().Draw(t, "long")
		lo := dectest.Leverage(2, 100).Draw(t, "leverage")
		step := dectest.Leverage(0, 20).Draw(t, "more leverage")
		step.Coeff.Add(&step.Coeff, apd.NewBigInt(1)) // at least 0.01 more
		var hi, share, mmr apd.Decimal
		ctx := derivmath.NewContext()
		apdOK(t)(ctx.Add(&hi, &lo, &step))
		// MMR below 1/hi (so below 1/lo too): a share of it, at least 1%.
		share = dectest.Fraction(10_000, 990_000).Draw(t, "mmr share of 1/L")
		apdOK(t)(ctx.Quo(&mmr, &share, &hi))
		apdOK(t)(ctx.Quantize(&mmr, &mmr, -8))
		a := isolatedLeg(t, s, conv, long, &lo, &mmr)
		b := cloneAccount(a)
		isolate(t, b, &hi)

		entry := &a.Legs[0].Entry
		bankLo := mustFound(t, "bankruptcy", liquidation.Bankruptcy, a, liquidation.Exact)
		liqLo := mustFound(t, "liquidation", liquidation.Price, a, liquidation.Exact)
		bankHi := mustFound(t, "bankruptcy at more leverage", liquidation.Bankruptcy, b, liquidation.Exact)
		liqHi := mustFound(t, "liquidation at more leverage", liquidation.Price, b, liquidation.Exact)
		// Written for a long; a short reverses every comparison.
		less := func(x, y *apd.Decimal) bool {
			if long {
				return x.Cmp(y) < 0
			}
			return x.Cmp(y) > 0
		}
		for _, c := range []struct {
			name string
			x, y *apd.Decimal
		}{
			{"bankruptcy before liquidation", &bankLo, &liqLo},
			{"liquidation before entry", &liqLo, entry},
			{"bankruptcy before liquidation at more leverage", &bankHi, &liqHi},
			{"liquidation before entry at more leverage", &liqHi, entry},
			{"more leverage moves bankruptcy toward entry", &bankLo, &bankHi},
			{"more leverage moves liquidation toward entry", &liqLo, &liqHi},
		} {
			if !less(c.x, c.y) {
				t.Fatalf("long=%v, %s: %s then %s (leverage %s and %s, MMR %s)",
					long, c.name, c.x.String(), c.y.String(), lo.String(), hi.String(), mmr.String())
			}
		}
	})
}

// closedFormRel is how far, relative to the oracle, a solve may be from a
// closed form: a few units in the 19th digit. The solver rounds half a
// dozen times (entry value, margin, the sums, one division), each by at
// most half a unit in the 19th digit of its result, which is 5e-20 to
// 5e-19 of it.
const closedFormRel = "2e-18"

// closeTo fails unless got is within closedFormRel of want.
func closeTo(t fataler, what string, got, want *apd.Decimal) {
	t.Helper()
	if !dectest.Rel(got, want, closedFormRel) {
		var d apd.Decimal
		apdOK(t)(dectest.Oracle().Sub(&d, got, want))
		t.Fatalf("%s = %s, want %s (oracle), off by %s", what, got.String(), want.String(), d.String())
	}
}

// TestClosedFormBitMEXInverse: BitMEX isolated inverse, no fees, no minor
// unit: long P_B = EP*L/(L+1), P_L = EP/(1 + 1/L - MMR); short P_B =
// EP*L/(L-1), P_L = EP/(1 - 1/L + MMR).
func TestClosedFormBitMEXInverse(t *testing.T) {
	s := mustSpec(t, contract.Params{Symbol: "XBTUSD", Kind: contract.Inverse, Multiplier: "1", Tick: "0.5", Lot: "100"})
	rapid.Check(t, func(t *rapid.T) {
		long := rapid.Bool().Draw(t, "long")
		lev := dectest.Leverage(1, 125).Draw(t, "leverage")
		if !long {
			lev = dectest.Leverage(2, 100).Draw(t, "short leverage")
		}
		mmr := dectest.Fraction(0, 100_000).Draw(t, "mmr")
		a := isolatedLeg(t, s, liquidation.BitMEX, long, &lev, &mmr)
		orc := dectest.Oracle()
		ep := &a.Legs[0].Entry
		var sgn, one, l1, wantB, wantL, inv apd.Decimal
		one.SetInt64(1)
		sgn.SetInt64(1)
		if !long {
			sgn.SetInt64(-1)
		}
		// P_B = EP*L/(L + s)
		apdOK(t)(orc.Add(&l1, &lev, &sgn))
		apdOK(t)(orc.Mul(&wantB, ep, &lev))
		apdOK(t)(orc.Quo(&wantB, &wantB, &l1))
		// P_L = EP/(1 + s/L - s*MMR)
		apdOK(t)(orc.Quo(&inv, &sgn, &lev))
		apdOK(t)(orc.Add(&inv, &inv, &one))
		var sm apd.Decimal
		apdOK(t)(orc.Mul(&sm, &sgn, &mmr))
		apdOK(t)(orc.Sub(&inv, &inv, &sm))
		apdOK(t)(orc.Quo(&wantL, ep, &inv))

		gotB := mustFound(t, "bankruptcy", liquidation.Bankruptcy, a, liquidation.Exact)
		closeTo(t, "bankruptcy", &gotB, &wantB)
		gotL := mustFound(t, "liquidation", liquidation.Price, a, liquidation.Exact)
		closeTo(t, "liquidation", &gotL, &wantL)
	})
}

// TestClosedFormBinanceUSDM: Binance USD-M isolated (m = 1),
// LP = (WB + cum - s*N*EP)/(N*MMR - s*N), where the bracket leaves a
// maintenance, MMR*N*LP >= cum; where it does not, the maintenance is 0
// (Leg.Cum) and LP the formula's with MMR = cum = 0, the bankruptcy price.
func TestClosedFormBinanceUSDM(t *testing.T) {
	s := contract.BTCUSDT()
	rapid.Check(t, func(t *rapid.T) {
		ctx, orc := derivmath.NewContext(), dectest.Oracle()
		long := rapid.Bool().Draw(t, "long")
		a := &liquidation.Account{Spec: s, Convention: liquidation.Binance, Legs: make([]liquidation.Leg, 1)}
		l := &a.Legs[0]
		n := dectest.Positive(10_000_000, 3).Draw(t, "N")
		ep := dectest.OnStep(&s.Tick, 2_000_000).Draw(t, "entry")
		mmr := dectest.Fraction(0, 50_000).Draw(t, "mmr")
		w := dectest.Fraction(8_000, 500_000).Draw(t, "wallet share")
		c := dectest.Fraction(0, 1_000).Draw(t, "cum share")
		l.Qty.Set(&n)
		l.Qty.Negative = !long
		l.Entry.Set(&ep)
		l.MMR.Set(&mmr)
		var notional apd.Decimal
		apdOK(t)(ctx.Mul(&notional, &n, &ep))
		apdOK(t)(ctx.Mul(&a.Balance, &notional, &w))
		apdOK(t)(ctx.Mul(&l.Cum, &notional, &c))

		var sgn apd.Decimal
		sgn.SetInt64(1)
		if !long {
			sgn.SetInt64(-1)
		}
		lp := func(mmr, cum *apd.Decimal) (want apd.Decimal) {
			var num, den, sn apd.Decimal
			apdOK(t)(orc.Mul(&sn, &sgn, &n))         // s*N
			apdOK(t)(orc.Add(&num, &a.Balance, cum)) // WB + cum
			apdOK(t)(orc.Mul(&want, &sn, &ep))       // s*N*EP
			apdOK(t)(orc.Sub(&num, &num, &want))     // WB + cum - s*N*EP
			apdOK(t)(orc.Mul(&den, &n, mmr))         // N*MMR
			apdOK(t)(orc.Sub(&den, &den, &sn))       // N*MMR - s*N
			apdOK(t)(orc.Quo(&want, &num, &den))     // LP
			return want
		}
		want := lp(&mmr, &l.Cum)
		var mm apd.Decimal
		apdOK(t)(orc.Mul(&mm, &mmr, &n))
		apdOK(t)(orc.Mul(&mm, &mm, &want)) // MMR*N*LP
		if mm.Cmp(&l.Cum) < 0 {
			want = lp(apd.New(0, 0), apd.New(0, 0))
		}
		got := mustFound(t, "liquidation", liquidation.Price, a, liquidation.Exact)
		closeTo(t, "liquidation", &got, &want)
	})
}

// TestClosedFormBinanceCOINM: Binance COIN-M isolated (m = 100 USD),
// LP = N*(MMR + s)/((WB + cum)/m + s*N/EP), where the bracket leaves a
// maintenance, MMR*N*m/LP >= cum; where it does not, the maintenance is 0
// (Leg.Cum) and LP the formula's with MMR = cum = 0, the bankruptcy price.
func TestClosedFormBinanceCOINM(t *testing.T) {
	s := contract.BTCUSDPerp()
	rapid.Check(t, func(t *rapid.T) {
		ctx, orc := derivmath.NewContext(), dectest.Oracle()
		long := rapid.Bool().Draw(t, "long")
		a := &liquidation.Account{Spec: s, Convention: liquidation.Binance, Legs: make([]liquidation.Leg, 1)}
		l := &a.Legs[0]
		n := dectest.Positive(1_000_000, 0).Draw(t, "N")
		ep := dectest.OnStep(&s.Tick, 2_000_000).Draw(t, "entry")
		mmr := dectest.Fraction(0, 50_000).Draw(t, "mmr")
		w := dectest.Fraction(8_000, 500_000).Draw(t, "wallet share")
		c := dectest.Fraction(0, 1_000).Draw(t, "cum share")
		l.Qty.Set(&n)
		l.Qty.Negative = !long
		l.Entry.Set(&ep)
		l.MMR.Set(&mmr)
		var v0 apd.Decimal
		noErr(t, s.Value(ctx, &v0, &n, &ep))
		apdOK(t)(ctx.Mul(&a.Balance, &v0, &w))
		apdOK(t)(ctx.Mul(&l.Cum, &v0, &c))

		var sgn apd.Decimal
		sgn.SetInt64(1)
		if !long {
			sgn.SetInt64(-1)
		}
		lp := func(mmr, cum *apd.Decimal) (want apd.Decimal) {
			var num, den, t1 apd.Decimal
			apdOK(t)(orc.Add(&num, mmr, &sgn))           // MMR + s
			apdOK(t)(orc.Mul(&num, &num, &n))            // N*(MMR + s)
			apdOK(t)(orc.Add(&den, &a.Balance, cum))     // WB + cum
			apdOK(t)(orc.Quo(&den, &den, &s.Multiplier)) // (WB + cum)/m
			apdOK(t)(orc.Quo(&t1, &n, &ep))              // N/EP
			apdOK(t)(orc.Mul(&t1, &t1, &sgn))            // s*N/EP
			apdOK(t)(orc.Add(&den, &den, &t1))
			apdOK(t)(orc.Quo(&want, &num, &den))
			return want
		}
		want := lp(&mmr, &l.Cum)
		var mm apd.Decimal
		apdOK(t)(orc.Mul(&mm, &mmr, &n))
		apdOK(t)(orc.Mul(&mm, &mm, &s.Multiplier))
		apdOK(t)(orc.Quo(&mm, &mm, &want)) // MMR*N*m/LP
		if mm.Cmp(&l.Cum) < 0 {
			want = lp(apd.New(0, 0), apd.New(0, 0))
		}
		got := mustFound(t, "liquidation", liquidation.Price, a, liquidation.Exact)
		closeTo(t, "liquidation", &got, &want)
	})
}

// TestIsolatedEqualsCross: an isolated position and a cross account whose
// wallet equals the isolated margin, with nothing else open (the other
// positions flat, a flat hedge leg), have the same prices.
func TestIsolatedEqualsCross(t *testing.T) {
	ctx := derivmath.NewContext()
	other := contract.ETHUSD()
	rapid.Check(t, func(t *rapid.T) {
		conv := rapid.SampledFrom(allConventions).Draw(t, "convention")
		kind := rapid.SampledFrom(allKinds).Draw(t, "kind")
		s := drawSpec(t, kind, false)
		lev := dectest.Leverage(1, 125).Draw(t, "leverage")
		mmr := dectest.Fraction(0, 5_000).Draw(t, "mmr")
		iso := isolatedLeg(t, s, conv, rapid.Bool().Draw(t, "long"), &lev, &mmr)
		l := &iso.Legs[0]

		cross := &liquidation.Account{Spec: s, Convention: conv, Legs: make([]liquidation.Leg, 2)}
		c := &cross.Legs[0]
		c.Qty.Set(&l.Qty)
		c.Entry.Set(&l.Entry)
		c.MMR.Set(&mmr)
		cross.Legs[1].Entry.Set(&l.Entry) // flat: Qty 0
		// Wallet: value(EP)/L, computed with the contract package.
		noErr(t, s.Value(ctx, &cross.Balance, &l.Qty, &l.Entry))
		apdOK(t)(ctx.Quo(&cross.Balance, &cross.Balance, &lev))
		// Nothing else open: the other contract's position is flat.
		var flat contract.Position
		noErr(t, other.Unrealised(ctx, &cross.OtherPnL, &flat, dectest.D("3000")))
		noErr(t, margin.Maintenance(ctx, &cross.OtherMM, &flat.Qty, &mmr, &flat.Qty))

		for _, f := range []struct {
			name  string
			solve solveFunc
		}{{"bankruptcy", liquidation.Bankruptcy}, {"liquidation", liquidation.Price}} {
			type result struct {
				Status liquidation.Status
				Price  apd.Decimal
			}
			var want, got result
			var err error
			if want.Status, err = f.solve(ctx, &want.Price, iso, liquidation.TowardEntry); err != nil {
				t.Fatalf("isolated %s: %v", f.name, err)
			}
			if got.Status, err = f.solve(ctx, &got.Price, cross, liquidation.TowardEntry); err != nil {
				t.Fatalf("cross %s: %v", f.name, err)
			}
			if diff := cmp.Diff(want, got, dectest.Comparer()); diff != "" {
				t.Fatalf("cross %s differs from isolated (-want +got):\n%s", f.name, diff)
			}
		}
	})
}

// netSign returns the sign of the sum of the quantities of the legs on the
// account's contract.
func netSign(t fataler, a *liquidation.Account) int {
	var net apd.Decimal
	for i := range a.Legs {
		if !isHeld(a, &a.Legs[i]) {
			apdOK(t)(dectest.Oracle().Add(&net, &net, &a.Legs[i].Qty))
		}
	}
	return net.Sign()
}

// TestRounding: TowardEntry rounds to a tick on the side of the entry, up
// when the account is past the threshold below the price (exact <= rounded
// < exact + tick), down when above: for bankruptcy, up for a net long and
// down for a net short; for liquidation, the side where the account is
// liquidatable one tick past the exact price (hedged legs:
// TestTowardEntryHedges). Nearest is within half a tick; and neither gives
// a price below one tick.
func TestRounding(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx, _ := drawContext(t)
		a := drawAccount(t)
		tick := &a.Spec.Tick
		net := netSign(t, a)
		for _, f := range []struct {
			name  string
			solve solveFunc
		}{{"bankruptcy", liquidation.Bankruptcy}, {"liquidation", liquidation.Price}} {
			var exact, toward, nearest apd.Decimal
			st, err := f.solve(ctx, &exact, a, liquidation.Exact)
			if err != nil || st != liquidation.Found {
				continue // statuses and errors are other tests' business
			}
			if _, err := f.solve(ctx, &toward, a, liquidation.TowardEntry); err != nil {
				if errors.Is(err, derivmath.ErrRange) || inexactTrapped(ctx, err) {
					continue // more ticks than the precision's digits
				}
				t.Fatalf("%s TowardEntry: %v", f.name, err)
			}
			if _, err := f.solve(ctx, &nearest, a, liquidation.Nearest); err != nil {
				if errors.Is(err, derivmath.ErrRange) || inexactTrapped(ctx, err) {
					continue
				}
				t.Fatalf("%s Nearest: %v", f.name, err)
			}
			orc := dectest.Oracle()
			long, flat := net > 0, net == 0
			if f.name == "liquidation" {
				// The side of the threshold: liquidatable a tick above
				// the exact price means past it above, rounded down.
				var above apd.Decimal
				apdOK(t)(orc.Add(&above, &exact, tick))
				past, err := liquidation.Liquidatable(ctx, a, &above)
				noErr(t, err)
				long, flat = !past, false
			}
			for _, r := range []struct {
				name string
				z    *apd.Decimal
			}{{"TowardEntry", &toward}, {"Nearest", &nearest}} {
				var q, rem apd.Decimal
				apdOK(t)(orc.QuoInteger(&q, r.z, tick))
				apdOK(t)(orc.Rem(&rem, r.z, tick))
				if !rem.IsZero() {
					t.Fatalf("%s %s = %s, not a multiple of the tick %s", f.name, r.name, r.z.String(), tick.String())
				}
			}
			var half apd.Decimal
			apdOK(t)(orc.Quo(&half, tick, apd.New(2, 0)))
			// Neither rounding goes below one tick (documented on Nearest):
			// a price under one tick is one tick for a net short's
			// TowardEntry, and under half a tick for Nearest.
			switch {
			case flat:
				// No bankruptcy price: legs that cancel have no PnL.
			case exact.Cmp(tick) < 0 && !long:
				if toward.Cmp(tick) != 0 {
					t.Fatalf("%s: net short, exact %s below one tick, TowardEntry %s, want one tick", f.name, exact.String(), toward.String())
				}
			default:
				var d apd.Decimal
				apdOK(t)(orc.Sub(&d, &toward, &exact)) // rounded - exact
				if !long {
					d.Neg(&d)
				}
				if d.Sign() < 0 || d.Cmp(tick) >= 0 {
					t.Fatalf("%s: net long %v, exact %s, TowardEntry %s: off by %s toward entry, want [0, tick)",
						f.name, long, exact.String(), toward.String(), d.String())
				}
			}
			if exact.Cmp(&half) < 0 {
				if nearest.Cmp(tick) != 0 {
					t.Fatalf("%s: exact %s below half a tick, Nearest %s, want one tick", f.name, exact.String(), nearest.String())
				}
			} else if !dectest.Within(&nearest, &exact, &half) {
				t.Fatalf("%s: exact %s, Nearest %s: more than half a tick apart", f.name, exact.String(), nearest.String())
			}
		}
	})
}

// inexactTrapped reports whether err is apd's Inexact condition in a
// context that traps it.
func inexactTrapped(ctx *apd.Context, err error) bool {
	return ctx.Traps&apd.Inexact != 0 && strings.HasSuffix(err.Error(), ": "+apd.Inexact.String())
}

// TestLiquidatableAgreesWithPrice: a one-leg account is liquidatable at
// mark exactly when mark is at or past the exact liquidation price (long:
// mark <= P_L; short: mark >= P_L), away from ties.
func TestLiquidatableAgreesWithPrice(t *testing.T) {
	ctx := derivmath.NewContext()
	rapid.Check(t, func(t *rapid.T) {
		a := drawAccount(t)
		a.Legs = a.Legs[:1]
		var pl apd.Decimal
		st, err := liquidation.Price(ctx, &pl, a, liquidation.Exact)
		if err != nil {
			t.Fatalf("Price: %v", err)
		}
		if st != liquidation.Found {
			t.Skip("no liquidation price")
		}
		// mark = P_L * (1 + d), |d| in [1e-9, 0.5]: far from a tie at 19
		// digits.
		d := dectest.Fraction(-500_000, 500_000).Draw(t, "relative distance")
		extra := dectest.Fraction(1, 999).Draw(t, "nano")
		extra.Exponent -= 3
		extra.Negative = d.Negative
		var mark apd.Decimal
		apdOK(t)(ctx.Add(&d, &d, &extra))
		apdOK(t)(ctx.Add(&d, &d, apd.New(1, 0)))
		apdOK(t)(ctx.Mul(&mark, &pl, &d))
		got, err := liquidation.Liquidatable(ctx, a, &mark)
		if err != nil {
			t.Fatalf("Liquidatable(%s): %v", mark.String(), err)
		}
		want := mark.Cmp(&pl) <= 0
		if a.Legs[0].Qty.Negative {
			want = mark.Cmp(&pl) >= 0
		}
		if got != want {
			t.Fatalf("Liquidatable(%s) = %v, want %v: liquidation price %s, qty %s",
				mark.String(), got, want, pl.String(), a.Legs[0].Qty.String())
		}
	})
}

// TestNeverStatus: an inverse short backed by at least its entry value
// (leverage <= 1) with no maintenance never goes bankrupt nor is
// liquidated; nor is a linear long at 1x with no maintenance (its solution
// is P = 0).
func TestNeverStatus(t *testing.T) {
	ctx := derivmath.NewContext()
	rapid.Check(t, func(t *rapid.T) {
		conv := rapid.SampledFrom(allConventions).Draw(t, "convention")
		inverse := rapid.Bool().Draw(t, "inverse short")
		kind := contract.Linear
		if inverse {
			kind = contract.Inverse
		}
		s := drawSpec(t, kind, false)
		var zero apd.Decimal
		a := isolatedLeg(t, s, conv, !inverse, apd.New(1, 0), &zero)
		if inverse {
			// Leverage 1/k <= 1: the balance is k times the entry value.
			k := dectest.Leverage(1, 10).Draw(t, "over-collateralisation")
			apdOK(t)(ctx.Mul(&a.Balance, &a.Balance, &k))
		}
		for _, f := range []struct {
			name  string
			solve solveFunc
		}{{"bankruptcy", liquidation.Bankruptcy}, {"liquidation", liquidation.Price}} {
			var z apd.Decimal
			z.SetInt64(123)
			st, err := f.solve(ctx, &z, a, liquidation.Exact)
			if err != nil {
				t.Fatalf("%s: %v", f.name, err)
			}
			if st != liquidation.Never || !z.IsZero() {
				t.Fatalf("%s: status %v, z %s; want Never, 0", f.name, st, z.String())
			}
		}
	})
}

// TestTiers: under Binance's convention with the BTCUSDT brackets, the
// solved price's notional lies in the tier whose MMR and cum were used:
// equity there equals the MM of the tier looked up at the answer; or, when
// there is no answer, Never and Always hold at prices far from the entry
// tier. A third of the cases put the exact answer on a tier floor, where the
// re-evaluation must still settle; a third are near 1x, where the answer
// (if any) is in the first tier whatever the entry's.
func TestTiers(t *testing.T) {
	tiers := brackets(t, nil)
	s := contract.BTCUSDT()
	floors := make([]apd.Decimal, tiers.Len()-1)
	for i := range floors {
		floors[i].Set(&tiers.At(i + 1).Floor)
	}
	ctx, orc := derivmath.NewContext(), dectest.Oracle()
	rapid.Check(t, func(t *rapid.T) {
		long := rapid.Bool().Draw(t, "long")
		a := &liquidation.Account{Spec: s, Convention: liquidation.Binance, Legs: make([]liquidation.Leg, 1)}
		l := &a.Legs[0]
		n := dectest.Positive(100_000, 3).Draw(t, "N")
		ep := dectest.OnStep(&s.Tick, 2_000_000).Draw(t, "entry")
		l.Qty.Set(&n)
		l.Qty.Negative = !long
		l.Entry.Set(&ep)
		l.Tiers = tiers
		switch rapid.SampledFrom([]string{"on a floor", "leverage", "near 1x"}).Draw(t, "balance") {
		case "on a floor":
			// Balance such that equity = MM exactly at notional F:
			// WB = MM(F) - s*(F - N*EP).
			f := rapid.SampledFrom(floors).Draw(t, "floor")
			tier, err := tiers.Lookup(&f)
			noErr(t, err)
			var mm, pnl apd.Decimal
			apdOK(t)(orc.Mul(&mm, &f, &tier.MMR))
			apdOK(t)(orc.Sub(&mm, &mm, &tier.Cum))
			apdOK(t)(orc.Mul(&pnl, &n, &ep))
			apdOK(t)(orc.Sub(&pnl, &f, &pnl))
			if !long {
				pnl.Neg(&pnl)
			}
			apdOK(t)(orc.Sub(&a.Balance, &mm, &pnl))
			if a.Balance.NumDigits() > derivmath.MaxDigits {
				t.Skip("balance beyond 19 digits")
			}
		case "leverage":
			var notional apd.Decimal
			apdOK(t)(ctx.Mul(&notional, &n, &ep))
			tier, err := tiers.Lookup(&notional)
			noErr(t, err)
			maxLev := tier.MaxLeverage.Coeff.Int64()
			lev := dectest.Leverage(1, maxLev).Draw(t, "leverage")
			if lev.Cmp(&tier.MaxLeverage) > 0 {
				lev.Set(&tier.MaxLeverage)
			}
			noErr(t, liquidation.IsolatedMargin(ctx, &a.Balance, a, &lev))
		case "near 1x":
			// Balance = v0*(1 - f), f <= 0.3%: liquidated (if at all) far
			// below the entry tier, near P = 0.
			f := dectest.Fraction(0, 3_000).Draw(t, "shortfall")
			var v0 apd.Decimal
			apdOK(t)(ctx.Mul(&v0, &n, &ep))
			apdOK(t)(ctx.Mul(&a.Balance, &v0, &f))
			apdOK(t)(ctx.Sub(&a.Balance, &v0, &a.Balance))
			fit(t, &a.Balance)
		}
		var p apd.Decimal
		st, err := liquidation.Price(ctx, &p, a, liquidation.Exact)
		if err != nil {
			t.Fatalf("Price: %v", err)
		}
		if st != liquidation.Found {
			checkStatus(t, "liquidation", a, st, true)
			return
		}
		checkResidual(t, "liquidation", a, &p, true)
	})
}

// TestEntryPastLimitTiers: a leg whose entry notional is at or beyond its
// table's limit (Binance's brackets cut at the floor of tier k, as when
// the exchange lowers a bracket's cap after the position was opened) has
// the liquidation price of the full table wherever that price's notional
// lies within the cut one: the tables agree there. Otherwise no price
// within the cut table reaches the threshold (equity less maintenance is
// concave, with one root for a single leg), and the status is Never or
// Always, checked by the oracle at each floor below the limit, just below
// the limit and near zero. The entry notional is 1 to 3 times the limit,
// the balance a share of it from -20% to 200%.
func TestEntryPastLimitTiers(t *testing.T) {
	full := brackets(t, nil)
	preset, cut := cutBrackets(t)
	s := contract.BTCUSDT()
	ctx, orc := derivmath.NewContext(), dectest.Oracle()
	rapid.Check(t, func(t *rapid.T) {
		k := rapid.IntRange(0, len(cut)-1).Draw(t, "cut")
		table, limit := cut[k], &preset.At(k+1).Floor
		n := dectest.Positive(100_000, 3).Draw(t, "N")
		g := dectest.Fraction(1_000_000, 3_000_000).Draw(t, "entry notional / limit")
		var ep, v0 apd.Decimal
		apdOK(t)(orc.Mul(&v0, limit, &g))
		apdOK(t)(orc.Quo(&ep, &v0, &n))
		ceilTo(t, orc, &ep, &ep, &s.Tick) // N*EP >= the limit
		ep.Reduce(&ep)
		apdOK(t)(orc.Mul(&v0, &n, &ep))
		if ep.NumDigits() > derivmath.MaxDigits || v0.NumDigits() > derivmath.MaxDigits {
			t.Skip("entry beyond 19 digits")
		}
		a := &liquidation.Account{Spec: s, Convention: liquidation.Binance, Legs: make([]liquidation.Leg, 1)}
		l := &a.Legs[0]
		l.Qty.Set(&n)
		l.Qty.Negative = !rapid.Bool().Draw(t, "long")
		l.Entry.Set(&ep)
		f := dectest.Fraction(-200_000, 2_000_000).Draw(t, "balance share")
		apdOK(t)(ctx.Mul(&a.Balance, &f, &v0))
		fit(t, &a.Balance)

		l.Tiers = full
		var want apd.Decimal
		wst, err := liquidation.Price(ctx, &want, a, liquidation.Exact)
		noErr(t, err)
		l.Tiers = table
		var p apd.Decimal
		st, err := liquidation.Price(ctx, &p, a, liquidation.Exact)
		if err != nil {
			t.Fatalf("Price: %v (full table: %v, %s)", err, wst, want.String())
		}
		var x apd.Decimal // the notional at the full table's root
		apdOK(t)(orc.Mul(&x, &n, &want))
		var edge apd.Decimal // just below the limit
		apdOK(t)(orc.Mul(&edge, limit, dectest.D("0.999999")))
		switch {
		case wst == liquidation.Found && x.Cmp(&edge) < 0:
			if st != liquidation.Found {
				t.Fatalf("Price: %v, want Found at %s as with the full table", st, want.String())
			}
			closeTo(t, "Price", &p, &want)
			checkResidual(t, "liquidation", a, &p, true)
		case wst == liquidation.Found && x.Cmp(limit) < 0:
			t.Skip("root within a millionth of the limit")
		case st != liquidation.Never && st != liquidation.Always:
			t.Fatalf("Price: %v at %s, want Never or Always (full table: %v at %s)", st, p.String(), wst, want.String())
		default:
			notionals := []*apd.Decimal{&edge, dectest.D("0.001")}
			for i := 1; i <= k; i++ {
				notionals = append(notionals, &preset.At(i).Floor)
			}
			for _, v := range notionals {
				var q apd.Decimal
				apdOK(t)(orc.Quo(&q, v, &n))
				apdOK(t)(ctx.Round(&q, &q))
				res, scale := oracleResidual(t, a, &q, true)
				var tol apd.Decimal
				apdOK(t)(orc.Mul(&tol, &scale, residualTolerance))
				if st == liquidation.Never && res.Cmp(&tol) < 0 && !dectest.Within(&res, apd.New(0, 0), &tol) ||
					st == liquidation.Always && res.Sign() > 0 && !dectest.Within(&res, apd.New(0, 0), &tol) {
					t.Fatalf("status %v but equity less maintenance at %s is %s", st, q.String(), res.String())
				}
			}
		}
	})
}

// cutBrackets returns the BTCUSDT preset and its tables cut at the floor
// of each tier above the first: the rows below it, with that floor as the
// limit (a bracket's cap lowered).
func cutBrackets(t fataler) (*margin.Tiers, []*margin.Tiers) {
	t.Helper()
	preset := margin.BTCUSDT()
	cut := make([]*margin.Tiers, preset.Len()-1)
	for k := range cut {
		rows := make([]margin.Tier, k+1)
		for i := range rows {
			r := preset.At(i)
			rows[i].Floor.Set(&r.Floor)
			rows[i].MMR.Set(&r.MMR)
			rows[i].MaxLeverage.Set(&r.MaxLeverage)
			rows[i].Cum.Set(&r.Cum)
		}
		tt, err := margin.NewTiers(rows, &preset.At(k+1).Floor)
		noErr(t, err)
		cut[k] = tt
	}
	return preset, cut
}

// TestHedgeEntryPastLimit: hedged legs (a long and a short) on Binance's
// BTCUSDT brackets cut at the floor of a tier, with entry notionals from a
// hundredth to 3 times the limit (at or beyond it in most draws): Price
// returns no error (ErrNoConvergence aside, which the scan may give on
// cycling legs), a Found price lies below the first price where a leg
// reaches its limit and meets maintenance by the 50-digit oracle, and a
// Never or Always holds by the oracle at prices from near zero to just
// below that price.
func TestHedgeEntryPastLimit(t *testing.T) {
	preset, cut := cutBrackets(t)
	s := contract.BTCUSDT()
	ctx, orc := derivmath.NewContext(), dectest.Oracle()
	rapid.Check(t, func(t *rapid.T) {
		k := rapid.IntRange(0, len(cut)-1).Draw(t, "cut")
		limit := &preset.At(k + 1).Floor
		a := &liquidation.Account{Spec: s, Convention: liquidation.Binance, Legs: make([]liquidation.Leg, 2)}
		var total apd.Decimal
		reach := new(apd.Decimal) // the price where the first leg reaches its limit
		for i := range a.Legs {
			l := &a.Legs[i]
			n := dectest.Positive(100_000, 3).Draw(t, "N")
			g := dectest.Fraction(10_000, 3_000_000).Draw(t, "entry notional / limit")
			var ep, v0 apd.Decimal
			apdOK(t)(orc.Mul(&v0, limit, &g))
			apdOK(t)(orc.Quo(&ep, &v0, &n))
			ceilTo(t, orc, &ep, &ep, &s.Tick)
			ep.Reduce(&ep)
			apdOK(t)(orc.Mul(&v0, &n, &ep))
			if ep.NumDigits() > derivmath.MaxDigits || v0.NumDigits() > derivmath.MaxDigits {
				t.Skip("entry beyond 19 digits")
			}
			l.Qty.Set(&n)
			l.Qty.Negative = i == 1
			l.Entry.Set(&ep)
			l.Tiers = cut[k]
			apdOK(t)(orc.Add(&total, &total, &v0))
			var bp apd.Decimal
			apdOK(t)(orc.Quo(&bp, limit, &n))
			if i == 0 || bp.Cmp(reach) < 0 {
				reach.Set(&bp)
			}
		}
		f := dectest.Fraction(-200_000, 2_000_000).Draw(t, "balance share")
		apdOK(t)(ctx.Mul(&a.Balance, &f, &total))
		fit(t, &a.Balance)
		var p apd.Decimal
		st, err := liquidation.Price(ctx, &p, a, liquidation.Exact)
		if errors.Is(err, liquidation.ErrNoConvergence) {
			t.Skip("the re-evaluation and the scan do not converge")
		}
		if err != nil {
			t.Fatalf("Price: %v", err)
		}
		if st == liquidation.Found {
			if p.Cmp(reach) >= 0 {
				t.Fatalf("Price = %s, at or beyond %s, where a leg reaches its limit", p.String(), reach.String())
			}
			checkResidual(t, "liquidation", a, &p, true)
			return
		}
		var edge apd.Decimal
		apdOK(t)(orc.Mul(&edge, reach, dectest.D("0.999999")))
		for _, fr := range []string{"0.000001", "0.01", "0.1", "0.3", "0.5", "0.7", "0.9", "1"} {
			var q apd.Decimal
			apdOK(t)(orc.Mul(&q, &edge, dectest.D(fr)))
			apdOK(t)(ctx.Round(&q, &q))
			res, scale := oracleResidual(t, a, &q, true)
			var tol apd.Decimal
			apdOK(t)(orc.Mul(&tol, &scale, residualTolerance))
			if st == liquidation.Never && res.Cmp(&tol) < 0 && !dectest.Within(&res, apd.New(0, 0), &tol) ||
				st == liquidation.Always && res.Sign() > 0 && !dectest.Within(&res, apd.New(0, 0), &tol) {
				t.Fatalf("status %v but equity less maintenance at %s is %s", st, q.String(), res.String())
			}
		}
	})
}

// TestAliasing: the result z of Price and Bankruptcy, z of IsolatedMargin
// and abs and pct of Distance may alias a field of the account (or mark):
// the result is the same as with a fresh z; and so for a Solver compiled
// from the account (its Distance's abs and pct may alias mark).
func TestAliasing(t *testing.T) {
	ctx := derivmath.NewContext()
	type result struct {
		Status liquidation.Status
		Err    bool
		Z, Pct apd.Decimal
	}
	// targets returns the decimals of a (and mark) that a result may alias.
	targets := func(a *liquidation.Account, mark, lev *apd.Decimal) map[string]*apd.Decimal {
		return map[string]*apd.Decimal{
			"Balance": &a.Balance, "OtherPnL": &a.OtherPnL, "OtherMM": &a.OtherMM,
			"FeeReserve": &a.FeeReserve, "ExtraMM": &a.ExtraMM,
			"Legs[0].Qty": &a.Legs[0].Qty, "Legs[0].Entry": &a.Legs[0].Entry,
			"Legs[0].Cost": &a.Legs[0].Cost, "Legs[0].MMR": &a.Legs[0].MMR, "Legs[0].Cum": &a.Legs[0].Cum,
			"mark": mark, "leverage": lev,
		}
	}
	funcs := []struct {
		name string
		fn   func(a *liquidation.Account, z, pct, mark, lev *apd.Decimal) result
	}{
		{"Price", func(a *liquidation.Account, z, _, _, _ *apd.Decimal) (r result) {
			st, err := liquidation.Price(ctx, z, a, liquidation.TowardEntry)
			r.Status, r.Err = st, err != nil
			r.Z.Set(z)
			return r
		}},
		{"Bankruptcy", func(a *liquidation.Account, z, _, _, _ *apd.Decimal) (r result) {
			st, err := liquidation.Bankruptcy(ctx, z, a, liquidation.Nearest)
			r.Status, r.Err = st, err != nil
			r.Z.Set(z)
			return r
		}},
		{"IsolatedMargin", func(a *liquidation.Account, z, _, _, lev *apd.Decimal) (r result) {
			err := liquidation.IsolatedMargin(ctx, z, a, lev)
			r.Err = err != nil
			r.Z.Set(z)
			return r
		}},
		{"Distance abs", func(a *liquidation.Account, z, pct, mark, _ *apd.Decimal) (r result) {
			st, err := liquidation.Distance(ctx, z, pct, a, mark, liquidation.Exact)
			r.Status, r.Err = st, err != nil
			r.Z.Set(z)
			r.Pct.Set(pct)
			return r
		}},
		{"Distance pct", func(a *liquidation.Account, z, pct, mark, _ *apd.Decimal) (r result) {
			st, err := liquidation.Distance(ctx, pct, z, a, mark, liquidation.Exact)
			r.Status, r.Err = st, err != nil
			r.Z.Set(pct)
			r.Pct.Set(z)
			return r
		}},
		// A Solver's results may alias what it was compiled from (it keeps
		// no pointer into the account) and Distance's the mark.
		{"Solver.Price", func(a *liquidation.Account, z, _, _, _ *apd.Decimal) (r result) {
			s, err := liquidation.Compile(ctx, a)
			if err == nil {
				r.Status, err = s.Price(z, liquidation.TowardEntry)
			}
			r.Err = err != nil
			r.Z.Set(z)
			return r
		}},
		{"Solver.Bankruptcy", func(a *liquidation.Account, z, _, _, _ *apd.Decimal) (r result) {
			s, err := liquidation.Compile(ctx, a)
			if err == nil {
				r.Status, err = s.Bankruptcy(z, liquidation.Nearest)
			}
			r.Err = err != nil
			r.Z.Set(z)
			return r
		}},
		{"Solver.Distance abs", func(a *liquidation.Account, z, pct, mark, _ *apd.Decimal) (r result) {
			s, err := liquidation.Compile(ctx, a)
			if err == nil {
				r.Status, err = s.Distance(z, pct, mark, liquidation.Exact)
			}
			r.Err = err != nil
			r.Z.Set(z)
			r.Pct.Set(pct)
			return r
		}},
		{"Solver.Distance pct", func(a *liquidation.Account, z, pct, mark, _ *apd.Decimal) (r result) {
			s, err := liquidation.Compile(ctx, a)
			if err == nil {
				r.Status, err = s.Distance(pct, z, mark, liquidation.Exact)
			}
			r.Err = err != nil
			r.Z.Set(pct)
			r.Pct.Set(z)
			return r
		}},
	}
	rapid.Check(t, func(t *rapid.T) {
		orig := drawAccount(t)
		mark := dectest.OnStep(&orig.Spec.Tick, 100_000_000).Draw(t, "mark")
		lev := dectest.Leverage(1, 125).Draw(t, "leverage")
		junk := dectest.Decimal(1_000_000_000, 8).Draw(t, "junk") // what a fresh z holds
		for _, f := range funcs {
			var z, pct, m, l apd.Decimal
			z.Set(&junk)
			m.Set(&mark)
			l.Set(&lev)
			want := f.fn(cloneAccount(orig), &z, &pct, &m, &l)
			for name := range targets(orig, &m, &l) {
				a := cloneAccount(orig)
				m.Set(&mark)
				l.Set(&lev)
				var other apd.Decimal
				got := f.fn(a, targets(a, &m, &l)[name], &other, &m, &l)
				if want.Err && got.Err {
					continue // z is unspecified on error
				}
				if diff := cmp.Diff(want, got, dectest.Comparer()); diff != "" {
					t.Fatalf("%s with the result aliasing %s (-want +got):\n%s", f.name, name, diff)
				}
			}
		}
	})
}

// TestFoundPriceIsPositive: a Found price is a price, > 0, after rounding
// too. Rounding a price below one tick down (a short, TowardEntry) or to the
// nearest tick can give 0, which no exchange quotes: the solver should then
// report a status (the account is liquidatable at every tick, or at none)
// rather than Found with 0. The first case is FuzzPrice's.
func TestFoundPriceIsPositive(t *testing.T) {
	ctx := derivmath.NewContext()
	tests := []struct {
		name       string
		kind       contract.Kind
		conv       liquidation.Convention
		tick       string
		qty, entry string
		balance    string
		solve      solveFunc
		r          liquidation.Rounding
		exact      string // the unrounded price, by hand
		what       string
	}{
		// Long 1 at 1 with no margin: bankrupt at the entry, 1, half-way
		// between the ticks 0 and 2; ties go to the even tick, 0.
		{"quanto long, no margin, Nearest", contract.Quanto, liquidation.Bybit, "2", "1", "1", "0", liquidation.Bankruptcy, liquidation.Nearest, "1", "bankruptcy"},
		// Short 1 at 100 with -99.8 of balance: 0.2 + 100 - P = 0 at
		// P = 0.2, rounded down (toward the entry for a short) to 0.
		{"linear short under water, TowardEntry", contract.Linear, liquidation.Binance, "0.5", "-1", "100", "-99.8", liquidation.Price, liquidation.TowardEntry, "0.2", "liquidation"},
		// Long 1 at 100 with 99.8 of margin (1.002x): liquidated at 0.2,
		// whose nearest tick is 0.
		{"linear long near 1x, Nearest", contract.Linear, liquidation.Binance, "0.5", "1", "100", "99.8", liquidation.Price, liquidation.Nearest, "0.2", "liquidation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustSpec(t, contract.Params{Kind: tt.kind, Multiplier: "1", Tick: tt.tick, Lot: "1"})
			a := &liquidation.Account{Spec: s, Convention: tt.conv}
			leg(a, tt.qty, tt.entry, "0", "0")
			a.Balance.Set(dectest.D(tt.balance))
			exact := mustFound(t, tt.what, tt.solve, a, liquidation.Exact)
			if exact.Cmp(dectest.D(tt.exact)) != 0 {
				t.Fatalf("exact %s = %s, want %s", tt.what, exact.String(), tt.exact)
			}
			var z apd.Decimal
			st, err := tt.solve(ctx, &z, a, tt.r)
			if err != nil {
				t.Fatal(err)
			}
			if st == liquidation.Found && z.Sign() <= 0 {
				t.Errorf("%s rounded %v = %s with status Found, want a positive price or another status", tt.what, tt.r, z.String())
			}
		})
	}
}

// TestTierStatus: with tiers, the solver's status must hold at every price,
// not only in the tiers of the entry notionals. Each case is checked by hand
// and by the oracle at every tier edge (equity less maintenance is piecewise
// linear in the price, so its sign at the edges and ends decides).
func TestTierStatus(t *testing.T) {
	tiers := brackets(t, nil)
	tests := []struct {
		name    string
		legs    [][2]string // qty, entry
		balance string
		want    liquidation.Status
		price   string // when Found: the exact price, by hand
	}{
		// Long 10 at 60,000 with 599,500 of margin (1.0008x). The entry
		// notional, 600,000, is in tier 3 (cum 950), where 600,000 -
		// 599,500 - 950 < 0 reads as "never". But near P = 0 the notional is
		// in tier 1 (0.4%, cum 0): equity 10*P - 500 meets MM 0.04*P at
		// P = 500/9.96 = 50.2008..., and Liquidatable(50) is true.
		{"long near 1x", [][2]string{{"10", "60000"}}, "599500", liquidation.Found, "50.20080321285140562"},
		// Hedge mode, far under water: a long 182.714 at 100,977.5 and a short
		// 164.871 at 62,621.7 lose more than 691,937 at every price, so the
		// account is liquidatable everywhere. Found by a random search: the
		// re-evaluation cycles through the tiers (7, 7), (9, 9), (8, 8),
		// (7, 8) of the two legs and gives up with ErrNoConvergence.
		{"hedge under water", [][2]string{{"182.714", "100977.5"}, {"-164.871", "62621.7"}}, "691937", liquidation.Always, ""},
	}
	ctx := derivmath.NewContext()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &liquidation.Account{Spec: contract.BTCUSDT(), Convention: liquidation.Binance}
			for _, l := range tt.legs {
				leg(a, l[0], l[1], "0", "0").Tiers = tiers
			}
			a.Balance.Set(dectest.D(tt.balance))
			// The oracle agrees with Always: equity is at most maintenance at
			// every edge and at both ends.
			orc := dectest.Oracle()
			prices := []*apd.Decimal{dectest.D("0.0001"), dectest.D("1e12")}
			for i := 1; i < tiers.Len(); i++ {
				for j := range a.Legs {
					var p, n apd.Decimal
					n.Abs(&a.Legs[j].Qty)
					apdOK(t)(orc.Quo(&p, &tiers.At(i).Floor, &n))
					apdOK(t)(derivmath.NewContext().Round(&p, &p))
					prices = append(prices, &p)
				}
			}
			for _, p := range prices {
				if res, _ := oracleResidual(t, a, p, true); tt.want == liquidation.Always && res.Sign() > 0 {
					t.Fatalf("bad case: equity above maintenance at %s", p.String())
				}
			}

			var z apd.Decimal
			st, err := liquidation.Price(ctx, &z, a, liquidation.Exact)
			if err != nil {
				t.Fatalf("Price: %v; want status %v", err, tt.want)
			}
			if st != tt.want {
				t.Fatalf("Price: status %v, want %v", st, tt.want)
			}
			if st == liquidation.Found {
				closeTo(t, "Price", &z, dectest.D(tt.price))
				checkResidual(t, "liquidation", a, &z, true)
			}
		})
	}
}

// TestMonotone: for an account of one leg, a larger balance never moves
// the liquidation or the bankruptcy price toward the mark side of the
// position: down (or not at all) for a long, up for a short, in every
// rounding (each rounding is monotone); and IsolatedMargin never rises
// with leverage. With one leg, equity less the threshold is monotone in
// the price (tiers included: maintenance grows slower than the value), so
// the root moves one way.
func TestMonotone(t *testing.T) {
	ctx := derivmath.NewContext()
	rapid.Check(t, func(t *rapid.T) {
		a := drawAccount(t)
		if len(a.Legs) != 1 {
			t.Skip("one leg only")
		}
		b := cloneAccount(a)
		more := dectest.Fraction(0, 1_000_000).Draw(t, "more balance/|balance|+1")
		var delta apd.Decimal
		apdOK(t)(dectest.Oracle().Add(&delta, new(apd.Decimal).Abs(&a.Balance), apd.New(1, 0)))
		apdOK(t)(dectest.Oracle().Mul(&delta, &delta, &more))
		apdOK(t)(ctx.Add(&b.Balance, &b.Balance, &delta))
		fit(t, &b.Balance)
		side := a.Legs[0].Qty.Sign()
		r := rapid.SampledFrom([]liquidation.Rounding{liquidation.Exact, liquidation.TowardEntry, liquidation.Nearest}).Draw(t, "rounding")
		for _, f := range []struct {
			name string
			fn   func(ctx *apd.Context, z *apd.Decimal, a *liquidation.Account, r liquidation.Rounding) (liquidation.Status, error)
		}{{"Price", liquidation.Price}, {"Bankruptcy", liquidation.Bankruptcy}} {
			var p1, p2 apd.Decimal
			s1, err1 := f.fn(ctx, &p1, a, r)
			s2, err2 := f.fn(ctx, &p2, b, r)
			if err1 != nil || err2 != nil || s1 != liquidation.Found || s2 != liquidation.Found {
				continue
			}
			if c := p2.Cmp(&p1); c != 0 && c == side {
				t.Fatalf("%s (%v): balance %s gives %s, the larger %s gives %s", f.name, r, &a.Balance, &p1, &b.Balance, &p2)
			}
		}
		l1, l2 := dectest.Leverage(1, 125).Draw(t, "lev1"), dectest.Leverage(1, 125).Draw(t, "lev2")
		if l1.Cmp(&l2) > 0 {
			l1, l2 = l2, l1
		}
		var m1, m2 apd.Decimal
		if liquidation.IsolatedMargin(ctx, &m1, a, &l1) != nil || liquidation.IsolatedMargin(ctx, &m2, a, &l2) != nil {
			return // above the tier's maximum leverage
		}
		if m2.Cmp(&m1) > 0 {
			t.Fatalf("IsolatedMargin: leverage %s gives %s, the larger %s gives %s", &l1, &m1, &l2, &m2)
		}
	})
}

// TestDistanceAndMarginOracle: Distance has the status of Price and, when
// Found, abs = |mark - P| (one rounding) and pct = abs/mark (one more),
// against the 50-digit oracle from Price's P; otherwise both are 0.
// IsolatedMargin is the sum of the entry values of the legs on a.Spec
// (|Cost| where set, |Qty|*m*Entry or |Qty|*m/Entry) over leverage,
// within the roundings of the values, the sum and the quotient.
func TestDistanceAndMarginOracle(t *testing.T) {
	ctx, orc := derivmath.NewContext(), dectest.Oracle()
	rapid.Check(t, func(t *rapid.T) {
		a := drawAccount(t)
		mark := dectest.OnStep(&a.Spec.Tick, 100_000_000).Draw(t, "mark")
		r := rapid.SampledFrom([]liquidation.Rounding{liquidation.Exact, liquidation.TowardEntry, liquidation.Nearest}).Draw(t, "rounding")
		var p, abs, pct apd.Decimal
		st, err := liquidation.Price(ctx, &p, a, r)
		dst, derr := liquidation.Distance(ctx, &abs, &pct, a, &mark, r)
		if (err == nil) != (derr == nil) {
			t.Fatalf("Price: %v; Distance: %v", err, derr)
		}
		if err == nil {
			if dst != st {
				t.Fatalf("Price status %v, Distance status %v", st, dst)
			}
			if st != liquidation.Found {
				if !abs.IsZero() || !pct.IsZero() {
					t.Fatalf("status %v: Distance = %s, %s; want 0, 0", st, &abs, &pct)
				}
			} else {
				var wa, wp apd.Decimal
				apdOK(t)(orc.Sub(&wa, &mark, &p))
				wa.Abs(&wa)
				apdOK(t)(orc.Quo(&wp, &wa, &mark))
				if !dectest.ULPs(&abs, &wa, derivmath.Precision, 1) || !dectest.Rel(&pct, &wp, "1.1e-18") {
					t.Fatalf("mark %s, price %s: Distance = %s, %s; oracle %s, %s", &mark, &p, &abs, &pct, &wa, &wp)
				}
			}
		}

		lev := dectest.Leverage(1, 125).Draw(t, "leverage")
		var im apd.Decimal
		if err := liquidation.IsolatedMargin(ctx, &im, a, &lev); err != nil {
			return // a tier's maximum leverage, or a leg the margin refuses
		}
		var sum, v apd.Decimal
		for i := range a.Legs {
			l := &a.Legs[i]
			if l.Spec != nil && l.Spec != a.Spec || l.Qty.IsZero() {
				continue
			}
			if !l.Cost.IsZero() {
				v.Abs(&l.Cost)
			} else {
				apdOK(t)(orc.Mul(&v, &l.Qty, &a.Spec.Multiplier))
				v.Abs(&v)
				if a.Spec.Kind == contract.Inverse {
					apdOK(t)(orc.Quo(&v, &v, &l.Entry))
				} else {
					apdOK(t)(orc.Mul(&v, &v, &l.Entry))
				}
			}
			apdOK(t)(orc.Add(&sum, &sum, &v))
		}
		apdOK(t)(orc.Quo(&sum, &sum, &lev))
		if !dectest.Rel(&im, &sum, "3e-18") {
			t.Fatalf("IsolatedMargin at %s = %s, oracle %s", &lev, &im, &sum)
		}
	})
}
