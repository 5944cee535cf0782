package liquidation_test

import (
	"fmt"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/derivmath/derivmath/liquidation"
	"pgregory.net/rapid"
)

// TestFloorFastPath: under the Binance convention a leg with its own MMR
// and a Cum is solved in tier 1 (MMR*value - Cum) when the answer does not
// depend on its floor; the price, the liquidation test at a mark and the
// compiled Solver's answers (also after a held leg's mark moves) are those
// of the tier path, where every such leg is in its tier at the price,
// digit for digit. The Cums put the legs' thresholds (the prices where
// MMR*value = Cum) anywhere from far below to beyond the entry, and the
// marks are drawn on and around them and the price.
func TestFloorFastPath(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx, _ := drawContext(t)
		// The tier path computes more than the fast path: where Inexact
		// is trapped it may fail on an operation the fast path skips.
		ctx.Traps &^= apd.Inexact
		a, edges := drawFloorAccount(t)
		var want, got apd.Decimal
		wst, werr := liquidation.RulePrice(ctx, &want, a, liquidation.Exact)
		gst, gerr := liquidation.Price(ctx, &got, a, liquidation.Exact)
		same(t, "Price", gst, gerr, &got, wst, werr, &want)
		s, err := liquidation.Compile(ctx, a)
		if err != nil {
			if werr == nil {
				t.Fatalf("Compile: %v; the tier path solved", err)
			}
			return
		}
		gst, gerr = s.Price(&got, liquidation.Exact)
		same(t, "Solver.Price", gst, gerr, &got, wst, werr, &want)
		if wst == liquidation.Found {
			edges = append(edges, want)
		}
		marks := drawMarks(t, edges)
		for i := range marks {
			m := &marks[i]
			wl, werr := liquidation.RuleLiquidatable(ctx, a, m)
			gl, gerr := liquidation.Liquidatable(ctx, a, m)
			if gl != wl || fmt.Sprint(gerr) != fmt.Sprint(werr) {
				t.Fatalf("Liquidatable at %s = %v, %v; the tier path: %v, %v", m, gl, gerr, wl, werr)
			}
			if gl, gerr = s.Liquidatable(m); gl != wl || fmt.Sprint(gerr) != fmt.Sprint(werr) {
				t.Fatalf("mark %d: Solver.Liquidatable at %s = %v, %v; the tier path: %v, %v", i, m, gl, gerr, wl, werr)
			}
		}
		for i := range a.Legs {
			if !isHeld(a, &a.Legs[i]) {
				continue
			}
			l := &a.Legs[i]
			f := dectest.Fraction(100_000, 10_000_000).Draw(t, "new mark/entry")
			apdOK(t)(ctx.Mul(&l.Mark, &l.Entry, &f))
			fit(t, &l.Mark)
			if l.Mark.Sign() <= 0 {
				t.Skip("mark below the range")
			}
			noErr(t, s.SetMark(i, &l.Mark))
			wst, werr = liquidation.RulePrice(ctx, &want, a, liquidation.Exact)
			gst, gerr = s.Price(&got, liquidation.Exact)
			same(t, "Solver.Price after SetMark", gst, gerr, &got, wst, werr, &want)
			m := &marks[rapid.IntRange(0, len(marks)-1).Draw(t, "mark after SetMark")]
			wl, werr := liquidation.RuleLiquidatable(ctx, a, m)
			if gl, gerr := s.Liquidatable(m); gl != wl || fmt.Sprint(gerr) != fmt.Sprint(werr) {
				t.Fatalf("after SetMark: Solver.Liquidatable at %s = %v, %v; the tier path: %v, %v", m, gl, gerr, wl, werr)
			}
		}
	})
}

// same fails t unless a solve gave what the tier path gave, digit for
// digit.
func same(t *rapid.T, what string, st liquidation.Status, err error, z *apd.Decimal, wst liquidation.Status, werr error, want *apd.Decimal) {
	t.Helper()
	if st != wst || fmt.Sprint(err) != fmt.Sprint(werr) || err == nil && z.String() != want.String() {
		t.Fatalf("%s = %v, %s, %v; the tier path: %v, %s, %v", what, st, z, err, wst, want, werr)
	}
}

// drawFloorAccount draws a Binance account of one to six legs on a
// contract of any kind, each with its own MMR and a Cum from 0 to three
// times its MMR*value at entry, cross or not (with legs on other
// contracts), and returns it with each leg's threshold price, where its
// MMR*value equals its Cum.
func drawFloorAccount(t *rapid.T) (*liquidation.Account, []apd.Decimal) {
	ctx := derivmath.NewContext()
	s := drawSpec(t, rapid.SampledFrom(allKinds).Draw(t, "kind"), false)
	a := &liquidation.Account{Spec: s, Convention: liquidation.Binance, Legs: make([]liquidation.Leg, rapid.IntRange(1, 6).Draw(t, "legs"))}
	var total, x apd.Decimal
	var edges []apd.Decimal
	for i := range a.Legs {
		l := &a.Legs[i]
		v0 := drawLeg(t, s, liquidation.Binance, l)
		apdOK(t)(ctx.Add(&total, &total, &v0))
		k := dectest.Fraction(0, 3_000_000).Draw(t, "cum/(mmr*v0)")
		apdOK(t)(ctx.Mul(&l.Cum, &l.MMR, &v0))
		apdOK(t)(ctx.Mul(&l.Cum, &l.Cum, &k))
		fit(t, &l.Cum)
		if l.Cum.IsZero() {
			continue
		}
		// The value at a price scales with it (linear, quanto) or with
		// its inverse: the threshold is the entry times (Cum/MMR)/v0, or
		// divided by it.
		var r apd.Decimal
		apdOK(t)(ctx.Quo(&r, &l.Cum, &l.MMR))
		apdOK(t)(ctx.Quo(&r, &r, &v0))
		if s.Kind == contract.Inverse {
			apdOK(t)(ctx.Quo(&x, &l.Entry, &r))
		} else {
			apdOK(t)(ctx.Mul(&x, &l.Entry, &r))
		}
		edges = append(edges, x)
	}
	cross := rapid.Bool().Draw(t, "cross")
	if cross {
		drawHeld(t, a, false, rapid.IntRange(0, 2).Draw(t, "held legs"))
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
	share("extra mm", 0, 1_000, &a.ExtraMM)
	return a, edges
}

// drawMarks draws marks on and around the given prices (a millionth, a
// hundredth and a tenth off, either side) and anywhere in the range.
func drawMarks(t *rapid.T, edges []apd.Decimal) []apd.Decimal {
	ctx := derivmath.NewContext()
	n := rapid.IntRange(1, 8).Draw(t, "marks")
	marks := make([]apd.Decimal, 0, n)
	for range n {
		var m apd.Decimal
		if len(edges) == 0 || rapid.Bool().Draw(t, "anywhere") {
			m = dectest.Price().Draw(t, "mark")
		} else {
			e := rapid.SampledFrom(edges).Draw(t, "near")
			f := rapid.SampledFrom([]string{"0.9", "0.99", "0.999999", "1", "1.000001", "1.01", "1.1"}).Draw(t, "factor")
			apdOK(t)(ctx.Mul(&m, &e, dectest.D(f)))
			if rapid.Bool().Draw(t, "to 8 places") && m.Exponent < -8 {
				apdOK(t)(dectest.Oracle().Quantize(&m, &m, -8))
			}
			fit(t, &m)
			if m.Sign() <= 0 {
				continue
			}
		}
		marks = append(marks, m)
	}
	if len(marks) == 0 {
		t.Skip("no mark in the range")
	}
	return marks
}

// TestFloorUnitValue: the fast path checks a floor leg's tier at the root's
// unit value (m*P, or m/P for an inverse contract), not at the price: on a
// linear contract of multiplier 0.01 and an inverse one of multiplier 1
// the price alone would put the leg in tier 1, where its maintenance at
// the root is below its Cum (tier 0), and give the root of MMR*value - Cum
// (4,974.87; 66,689.01) for the bankruptcy price.
func TestFloorUnitValue(t *testing.T) {
	ctx := derivmath.NewContext()
	for _, c := range []struct {
		name                        string
		kind                        contract.Kind
		m, qty, entry, cum, balance string
		want                        string
	}{
		// Value P, equity P - 5,000, MMR*P = 25 < 50 at 5,000.
		{"linear, multiplier 0.01", contract.Linear, "0.01", "100", "60000", "50", "55000", "5000"},
		// Value 100,000/P, equity 100,000/P - 1.5 (BTC), MMR*value =
		// 0.0075 < 0.008 at 66,666.67.
		{"inverse, multiplier 1", contract.Inverse, "1", "-100000", "50000", "0.008", "0.5", "66666.66666666666667"},
	} {
		a := &liquidation.Account{Spec: spec(t, c.kind, c.m, "0.01", ""), Convention: liquidation.Binance}
		l := setLeg(t, a, c.qty, c.entry)
		l.MMR.Set(dectest.MustParse(t, "0.005"))
		l.Cum.Set(dectest.MustParse(t, c.cum))
		a.Balance.Set(dectest.MustParse(t, c.balance))
		check(t, c.name, liquidation.Price, a, liquidation.Exact, c.want, "0.0000001")
		s, err := liquidation.Compile(ctx, a)
		noErr(t, err)
		var z apd.Decimal
		if st, err := s.Price(&z, liquidation.Exact); err != nil || st != liquidation.Found || !dectest.Within(&z, dectest.MustParse(t, c.want), dectest.MustParse(t, "0.0000001")) {
			t.Errorf("%s: Solver.Price = %v, %s, %v; want %s", c.name, st, z.String(), err, c.want)
		}
	}
}

// TestFloorSolverMarks: a Solver that has answered at a mark where its
// floor leg is in tier 1 answers again, at a mark of the same exponent
// where the leg is in tier 0, from the leg's tier there, not from the
// root in tier 1 it kept for the first. Long 1 at 60,000, MMR 0.5%, Cum
// 50, balance 55,000: liquidated at 5,000 (maintenance 0, in tier 0 below
// 10,000); the root in tier 1 is 4,974.87, which 4,990 is above.
func TestFloorSolverMarks(t *testing.T) {
	ctx := derivmath.NewContext()
	a := &liquidation.Account{Spec: spec(t, contract.Linear, "1", "0.01", ""), Convention: liquidation.Binance}
	l := setLeg(t, a, "1", "60000")
	l.MMR.Set(dectest.MustParse(t, "0.005"))
	l.Cum.Set(dectest.MustParse(t, "50"))
	a.Balance.Set(dectest.MustParse(t, "55000"))
	s, err := liquidation.Compile(ctx, a)
	noErr(t, err)
	for _, m := range []struct {
		mark string
		want bool
	}{{"20000", false}, {"4990", true}, {"30000", false}, {"4980", true}, {"5010", false}, {"4999", true}} {
		if liq, err := s.Liquidatable(dectest.MustParse(t, m.mark)); err != nil || liq != m.want {
			t.Errorf("Solver.Liquidatable at %s = %v, %v; want %v", m.mark, liq, err, m.want)
		}
	}
}

// TestFloorHedgedMark: a hedged account is liquidatable at a mark beyond
// the root farther from its entry, where its floor legs are in tier 0,
// though its price (the root nearest the entry) is on the other side.
// Long 10 and short 5 at 100, MMR 0.5, Cum 300 each, balance 250: f(P) is
// 5P - 250 below 60 (both legs in tier 0), 50 from 60 to 120 (the long in
// tier 1), 350 - 2.5P above 120: roots 50 and 140, the price 140.
func TestFloorHedgedMark(t *testing.T) {
	ctx := derivmath.NewContext()
	a := &liquidation.Account{Spec: spec(t, contract.Linear, "1", "0.01", ""), Convention: liquidation.Binance}
	a.Legs = make([]liquidation.Leg, 2)
	for i, q := range []string{"10", "-5"} {
		l := &a.Legs[i]
		l.Qty.Set(dectest.MustParse(t, q))
		l.Entry.Set(dectest.MustParse(t, "100"))
		l.MMR.Set(dectest.MustParse(t, "0.5"))
		l.Cum.Set(dectest.MustParse(t, "300"))
	}
	a.Balance.Set(dectest.MustParse(t, "250"))
	check(t, "hedged floor legs", liquidation.Price, a, liquidation.Exact, "140", "")
	s, err := liquidation.Compile(ctx, a)
	noErr(t, err)
	for _, m := range []struct {
		mark string
		want bool
	}{{"40", true}, {"55", false}, {"100", false}, {"150", true}, {"45", true}} {
		mark := dectest.MustParse(t, m.mark)
		if liq, err := liquidation.Liquidatable(ctx, a, mark); err != nil || liq != m.want {
			t.Errorf("Liquidatable at %s = %v, %v; want %v", m.mark, liq, err, m.want)
		}
		if liq, err := s.Liquidatable(mark); err != nil || liq != m.want {
			t.Errorf("Solver.Liquidatable at %s = %v, %v; want %v", m.mark, liq, err, m.want)
		}
	}
}

// TestFloorSolverRecompiled: Compile forgets what the Solver learnt of the
// account it held before: a price where that account's floor leg was in
// tier 1 (Cum 5, from 1,000 up) says nothing of the next one's (Cum 50,
// from 10,000 up), which is liquidatable at 4,990 (at 5,000 and below).
func TestFloorSolverRecompiled(t *testing.T) {
	ctx := derivmath.NewContext()
	mk := func(cum string) *liquidation.Account {
		a := &liquidation.Account{Spec: spec(t, contract.Linear, "1", "0.01", ""), Convention: liquidation.Binance}
		l := setLeg(t, a, "1", "60000")
		l.MMR.Set(dectest.MustParse(t, "0.005"))
		l.Cum.Set(dectest.MustParse(t, cum))
		a.Balance.Set(dectest.MustParse(t, "55000"))
		return a
	}
	mark := dectest.MustParse(t, "4990")
	s, err := liquidation.Compile(ctx, mk("5"))
	noErr(t, err)
	// 0.995*4,990 - 4,995 < 0: liquidatable, with the leg in tier 1.
	if liq, err := s.Liquidatable(mark); err != nil || !liq {
		t.Fatalf("Cum 5: Solver.Liquidatable at %s = %v, %v; want true", mark, liq, err)
	}
	noErr(t, s.Compile(ctx, mk("50")))
	for _, m := range []string{"4990", "4999"} {
		if liq, err := s.Liquidatable(dectest.MustParse(t, m)); err != nil || !liq {
			t.Errorf("Cum 50, recompiled: Solver.Liquidatable at %s = %v, %v; want true", m, liq, err)
		}
	}
}

// TestSolverSetMarkForgetsCut: after SetMark moves a leg on another
// contract, Solver.Liquidatable answers from the new root, also for a mark
// of the exponent it compared against the old one. Long 1 at 60,000 with
// 10,000 and ETH long 1 at 3,000: the root is 50,000 with ETH at 3,000,
// 52,000 with ETH at 1,000.
func TestSolverSetMarkForgetsCut(t *testing.T) {
	ctx := derivmath.NewContext()
	a := &liquidation.Account{Spec: spec(t, contract.Linear, "1", "0.01", ""), Convention: liquidation.Binance}
	setLeg(t, a, "1", "60000")
	a.Balance.Set(dectest.MustParse(t, "10000"))
	eth := spec(t, contract.Linear, "1", "0.01", "")
	eth.Symbol = "ETHUSDT"
	a.Legs = append(a.Legs, liquidation.Leg{Spec: eth})
	h := &a.Legs[1]
	h.Qty.Set(dectest.MustParse(t, "1"))
	h.Entry.Set(dectest.MustParse(t, "3000"))
	h.Mark.Set(dectest.MustParse(t, "3000"))
	s, err := liquidation.Compile(ctx, a)
	noErr(t, err)
	mark := dectest.MustParse(t, "51000")
	for _, step := range []struct {
		eth  string
		want bool
	}{{"", false}, {"", false}, {"1000", true}, {"3000", false}} {
		if step.eth != "" {
			noErr(t, s.SetMark(1, dectest.MustParse(t, step.eth)))
		}
		if liq, err := s.Liquidatable(mark); err != nil || liq != step.want {
			t.Errorf("ETH at %s: Solver.Liquidatable at %s = %v, %v; want %v", step.eth, mark, liq, err, step.want)
		}
	}
}
