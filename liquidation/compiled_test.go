package liquidation_test

import (
	"errors"
	"fmt"
	"math"
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

// contexts are the contexts the compiled solver is checked in: derivmath's
// default, apd's own at 19 digits (half-up), 16 digits half-up, and 50
// digits (computed through apd).
func contexts() []*apd.Context {
	return []*apd.Context{
		derivmath.NewContext(),
		apd.BaseContext.WithPrecision(19),
		apd.BaseContext.WithPrecision(16),
		apd.BaseContext.WithPrecision(50),
	}
}

// drawContext draws one of contexts, or half the time any context
// (dectest.AnyContext: 1 to 50 digits, any rounding, Inexact trapped now
// and then), and reports which.
func drawContext(t *rapid.T) (ctx *apd.Context, any bool) {
	if rapid.Bool().Draw(t, "anyContext") {
		return dectest.AnyContext(t), true
	}
	return rapid.SampledFrom(contexts()).Draw(t, "ctx"), false
}

// An outcome is what a call returned: its status or boolean, its error
// (by its text: the same computation fails the same way) and its results
// digit for digit, trailing zeros included.
type outcome struct {
	Status liquidation.Status
	Liq    bool
	Err    string
	Z, Pct string
}

func outcomeOf(st liquidation.Status, liq bool, err error, z, pct *apd.Decimal) outcome {
	o := outcome{Status: st, Liq: liq}
	if err != nil {
		return outcome{Err: err.Error()}
	}
	if z != nil {
		o.Z = z.String()
	}
	if pct != nil {
		o.Pct = pct.String()
	}
	return o
}

// solverCalls runs every method of s, with mark and each rounding, and
// returns their outcomes.
func solverCalls(s *liquidation.Solver, mark *apd.Decimal) []outcome {
	var out []outcome
	for _, r := range []liquidation.Rounding{liquidation.Exact, liquidation.TowardEntry, liquidation.Nearest} {
		var z, abs, pct apd.Decimal
		st, err := s.Price(&z, r)
		out = append(out, outcomeOf(st, false, err, &z, nil))
		st, err = s.Bankruptcy(&z, r)
		out = append(out, outcomeOf(st, false, err, &z, nil))
		st, err = s.Distance(&abs, &pct, mark, r)
		out = append(out, outcomeOf(st, false, err, &abs, &pct))
	}
	liq, err := s.Liquidatable(mark)
	return append(out, outcomeOf(0, liq, err, nil, nil))
}

// oneShotCalls is solverCalls with the one-shot functions on a.
func oneShotCalls(ctx *apd.Context, a *liquidation.Account, mark *apd.Decimal) []outcome {
	var out []outcome
	for _, r := range []liquidation.Rounding{liquidation.Exact, liquidation.TowardEntry, liquidation.Nearest} {
		var z, abs, pct apd.Decimal
		st, err := liquidation.Price(ctx, &z, a, r)
		out = append(out, outcomeOf(st, false, err, &z, nil))
		st, err = liquidation.Bankruptcy(ctx, &z, a, r)
		out = append(out, outcomeOf(st, false, err, &z, nil))
		st, err = liquidation.Distance(ctx, &abs, &pct, a, mark, r)
		out = append(out, outcomeOf(st, false, err, &abs, &pct))
	}
	liq, err := liquidation.Liquidatable(ctx, a, mark)
	return append(out, outcomeOf(0, liq, err, nil, nil))
}

// drawMark draws a mark for a's contract: near the first leg's entry, on
// the tick.
func drawMark(t *rapid.T, a *liquidation.Account) *apd.Decimal {
	f := dectest.Fraction(200_000, 3_000_000).Draw(t, "mark/entry")
	var m apd.Decimal
	apdOK(t)(derivmath.NewContext().Mul(&m, &a.Legs[0].Entry, &f))
	fit(t, &m)
	if m.Sign() <= 0 {
		t.Skip("mark below the range")
	}
	return &m
}

// TestSolverMatchesOneShot: a compiled Solver answers every call as the
// one-shot function does on the same account, digit for digit and error
// for error, in four contexts, and answers again the same way (its caches
// change nothing).
func TestSolverMatchesOneShot(t *testing.T) {
	tiers := brackets(t, nil)
	rapid.Check(t, func(t *rapid.T) {
		ctx, anyCtx := drawContext(t)
		a := drawAccount(t)
		if a.Convention == liquidation.Binance && rapid.Bool().Draw(t, "tiered") {
			a.Legs[0].Tiers = tiers
		}
		mark := drawMark(t, a)
		s, err := liquidation.Compile(ctx, a)
		want := oneShotCalls(ctx, a, mark)
		if err != nil {
			for _, o := range want {
				if o.Err != err.Error() {
					t.Fatalf("Compile: %v, but a one-shot call gives %+v", err, o)
				}
			}
			return
		}
		for range 2 {
			if diff := cmp.Diff(want, solverCalls(s, mark)); diff != "" {
				t.Fatalf("Solver differs from the one-shot functions (-want +got):\n%s", diff)
			}
		}
		var im1, im2 apd.Decimal
		lev := dectest.Leverage(1, 125).Draw(t, "leverage")
		err1 := liquidation.IsolatedMargin(ctx, &im1, a, &lev)
		err2 := liquidation.IsolatedMargin(ctx, &im2, cloneAccount(a), &lev)
		if (err1 == nil) != (err2 == nil) || im1.String() != im2.String() {
			t.Fatalf("IsolatedMargin is not deterministic: %s, %v; %s, %v", &im1, err1, &im2, err2)
		}
		if err1 == nil {
			// The sum of the entry values of the legs on a's contract (the
			// cost when given, else |q|*m*entry or |q|*m/entry), over lev,
			// at 50 digits; three roundings at ctx's precision p away, each
			// within half a unit in the 1st of p digits of its result.
			o := dectest.Oracle()
			var sum apd.Decimal
			for i := range a.Legs {
				l := &a.Legs[i]
				if isHeld(a, l) || l.Qty.IsZero() {
					continue
				}
				var v apd.Decimal
				if !l.Cost.IsZero() {
					v.Abs(&l.Cost)
				} else {
					apdOK(t)(o.Mul(&v, &l.Qty, &a.Spec.Multiplier))
					v.Abs(&v)
					if a.Spec.Kind == contract.Inverse {
						apdOK(t)(o.Quo(&v, &v, &l.Entry))
					} else {
						apdOK(t)(o.Mul(&v, &v, &l.Entry))
					}
				}
				apdOK(t)(o.Add(&sum, &sum, &v))
			}
			apdOK(t)(o.Quo(&sum, &sum, &lev))
			tol := fmt.Sprintf("2e-%d", ctx.Precision-1)
			if anyCtx {
				// In any rounding each of the 2 roundings of a leg's
				// value, the additions and the quotient is within a unit
				// in the 1st of p digits, u = 10^(1-p), relative: they
				// compound to (1 + u)^k - 1 at most.
				tol = fmt.Sprintf("%g", math.Pow(1+math.Pow(10, 1-float64(ctx.Precision)), float64(3*len(a.Legs)+1))-1)
				if ctx.Precision > 15 {
					tol = fmt.Sprintf("%de-%d", 3*len(a.Legs)+2, ctx.Precision-1)
				}
			}
			if !dectest.Rel(&im1, &sum, tol) {
				t.Fatalf("IsolatedMargin at %sx = %s, want the legs' entry values over it, %s", &lev, &im1, &sum)
			}
		}
	})
}

// TestRecompiledSolverMatchesOneShot: one Solver compiled again and again,
// on accounts of every convention with tiered legs, zero-quantity legs and
// legs on other contracts, answers each as the one-shot functions do:
// nothing of an earlier account (its tiered legs above all) survives a
// Compile.
func TestRecompiledSolverMatchesOneShot(t *testing.T) {
	tiers := brackets(t, nil)
	rapid.Check(t, func(t *rapid.T) {
		var s liquidation.Solver
		for i := range rapid.IntRange(2, 4).Draw(t, "accounts") {
			ctx, _ := drawContext(t)
			a := drawAccount(t)
			if rapid.Bool().Draw(t, "zero leg") {
				l := liquidation.Leg{}
				l.Entry.Set(&a.Legs[0].Entry)
				l.MMR.Set(&a.Legs[0].MMR)
				a.Legs = append(a.Legs, l)
			}
			if a.Convention == liquidation.Binance {
				for j := range a.Legs {
					if !isHeld(a, &a.Legs[j]) && rapid.Bool().Draw(t, "tiered") {
						a.Legs[j].Tiers = tiers
					}
				}
			}
			mark := drawMark(t, a)
			want := oneShotCalls(ctx, a, mark)
			if err := s.Compile(ctx, a); err != nil {
				for _, o := range want {
					if o.Err != err.Error() {
						t.Fatalf("account %d: Compile: %v, but a one-shot call gives %+v", i, err, o)
					}
				}
				continue
			}
			if diff := cmp.Diff(want, solverCalls(&s, mark)); diff != "" {
				t.Fatalf("account %d: the Solver compiled again differs from the one-shot functions (-want +got):\n%s", i, diff)
			}
		}
	})
}

// drawCross draws an account (drawAccount) with at least one leg on
// another contract.
func drawCross(t *rapid.T) *liquidation.Account {
	a := drawAccount(t)
	held := 0
	for i := range a.Legs {
		if isHeld(a, &a.Legs[i]) {
			held++
		}
	}
	if held == 0 {
		drawHeld(t, a, !a.Spec.Minor.IsZero(), rapid.IntRange(1, 3).Draw(t, "more held legs"))
	}
	return a
}

// TestSetMarkMatchesCompile: after any sequence of SetMark calls (valid
// marks, hostile ones, legs on the account's contract, indexes out of
// range), interleaved with solves, a Solver gives digit for digit what a
// fresh Compile of the account with the new marks gives: no error
// accumulates, and a failed SetMark changes nothing.
func TestSetMarkMatchesCompile(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx, _ := drawContext(t)
		a := drawCross(t)
		mark := drawMark(t, a)
		s, err := liquidation.Compile(ctx, a)
		if err != nil {
			t.Skip("account does not compile")
		}
		for step := range rapid.IntRange(1, 12).Draw(t, "steps") {
			i := rapid.IntRange(-1, len(a.Legs)).Draw(t, "leg")
			var m *apd.Decimal
			switch {
			case rapid.IntRange(0, 5).Draw(t, "hostile") == 0:
				m = dectest.HostileDecimal(t, "hostile mark")
			case i >= 0 && i < len(a.Legs):
				f := dectest.Fraction(100_000, 10_000_000).Draw(t, "mark/entry")
				m = new(apd.Decimal)
				apdOK(t)(derivmath.NewContext().Mul(m, &a.Legs[i].Entry, &f))
				fit(t, m)
			default:
				m = dectest.D("100")
			}
			err := s.SetMark(i, m)
			held := i >= 0 && i < len(a.Legs) && isHeld(a, &a.Legs[i])
			switch {
			case !held:
				if !errors.Is(err, liquidation.ErrLegIndex) {
					t.Fatalf("step %d: SetMark(%d) on a leg not on another contract: %v, want ErrLegIndex", step, i, err)
				}
			case err == nil:
				a.Legs[i].Mark.Set(m)
			default:
				checkDocumented(t, "SetMark", err)
			}
			if rapid.Bool().Draw(t, "solve now") || step == 0 {
				fresh, err := liquidation.Compile(ctx, a)
				if err != nil {
					// In a context trapping Inexact, the fold of the legs on
					// other contracts into the sums, which Compile makes and
					// SetMark leaves to the next solve, fails there: every
					// call must then fail with the same condition.
					cond := err.Error()[strings.LastIndex(err.Error(), ": ")+2:]
					for _, o := range solverCalls(s, mark) {
						if !strings.HasSuffix(o.Err, ": "+cond) {
							t.Fatalf("step %d: a fresh Compile fails (%v) where SetMark succeeded, and the Solver gives %+v", step, err, o)
						}
					}
					return
				}
				if diff := cmp.Diff(solverCalls(fresh, mark), solverCalls(s, mark)); diff != "" {
					t.Fatalf("step %d: after SetMark(%d, %s), the Solver differs from a fresh Compile (-want +got):\n%s", step, i, m, diff)
				}
			}
		}
	})
}

// heldPosition is a position of TestCrossLegsMatchOtherNumbers.
type heldPosition struct {
	symbol, qty, entry, mark, mmr, cum string
	tiered                             bool
}

// TestCrossLegsMatchOtherNumbers: a cross account that lists its positions
// on other contracts as legs solves to the same prices as the account that
// passes their unrealised PnL and maintenance as OtherPnL and OtherMM,
// computed by hand with the contract and margin packages, as callers did
// before legs could be on other contracts. Exchange-sized inputs keep every
// sum exact, so the prices are equal digit for digit.
func TestCrossLegsMatchOtherNumbers(t *testing.T) {
	ctx := derivmath.NewContext()
	tiers := margin.BTCUSDT()
	others := []heldPosition{
		{"ETHUSDT", "-10", "3000", "3100", "0.005", "0", false},
		{"SOLUSDT", "200", "150.125", "148.5", "0.01", "5", false},
		{"BNBUSDT", "15", "600.5", "590", "", "", true},
		{"XRPUSDT", "-20000", "0.6123", "0.6011", "", "", true},
		{"DOGEUSDT", "50000", "0.16395", "0.15871", "0.0075", "0", false},
	}
	for _, conv := range []liquidation.Convention{liquidation.Binance, liquidation.Bybit} {
		for _, tieredBTC := range []bool{false, true} {
			for n := 1; n <= len(others); n++ {
				t.Run(fmt.Sprintf("%v/tiers=%v/%d", conv, tieredBTC, n), func(t *testing.T) {
					listed := &liquidation.Account{Spec: contract.BTCUSDT(), Convention: conv}
					l := leg(listed, "1", "60000", "0.005", "50")
					if tieredBTC {
						l.Tiers = tiers
					}
					listed.Balance.Set(dectest.D("20000"))
					summed := cloneAccount(listed)
					for _, p := range others[:n] {
						s := mustSpec(t, contract.Params{Symbol: p.symbol, Kind: contract.Linear, Settle: "USDT", Multiplier: "1", Tick: "0.00001", Lot: "1"})
						h := leg(listed, p.qty, p.entry, "0", "0")
						h.Spec = s
						h.Mark.Set(dectest.D(p.mark))
						if p.tiered {
							h.Tiers = tiers
						} else {
							h.MMR.Set(dectest.D(p.mmr))
							h.Cum.Set(dectest.D(p.cum))
						}
						// By hand: UPNL1 and TMM1 (at the mark for Binance, at
						// entry for Bybit).
						var pnl, v, mm apd.Decimal
						noErr(t, s.PnL(ctx, &pnl, &h.Qty, &h.Entry, &h.Mark))
						at := &h.Mark
						if conv == liquidation.Bybit {
							at = &h.Entry
						}
						noErr(t, s.Value(ctx, &v, &h.Qty, at))
						if p.tiered {
							noErr(t, tiers.Maintenance(ctx, &mm, &v))
						} else {
							noErr(t, margin.Maintenance(ctx, &mm, &v, &h.MMR, &h.Cum))
						}
						apdOK(t)(ctx.Add(&summed.OtherPnL, &summed.OtherPnL, &pnl))
						apdOK(t)(ctx.Add(&summed.OtherMM, &summed.OtherMM, &mm))
					}
					mark := dectest.D("58000")
					want, got := oneShotCalls(ctx, summed, mark), oneShotCalls(ctx, listed, mark)
					if diff := cmp.Diff(want, got); diff != "" {
						t.Fatalf("legs on other contracts differ from OtherPnL %s and OtherMM %s (-want +got):\n%s",
							&summed.OtherPnL, &summed.OtherMM, diff)
					}
					if want[0].Status != liquidation.Found {
						t.Fatalf("no liquidation price: %+v", want[0])
					}
				})
			}
		}
	}
}

// TestSolverErrors: what Compile rejects, with the documented sentinel; a
// Solver that failed to compile (or never did) returns the error from
// every method and writes nothing.
func TestSolverErrors(t *testing.T) {
	ctx := derivmath.NewContext()
	eth := contract.ETHUSD() // settles in XBT
	valid := func() *liquidation.Account {
		a := &liquidation.Account{Spec: contract.BTCUSDT(), Convention: liquidation.Binance}
		leg(a, "1", "60000", "0.005", "50")
		a.Balance.Set(dectest.D("3000"))
		return a
	}
	other := func(a *liquidation.Account) *liquidation.Leg {
		s := mustSpec(t, contract.Params{Symbol: "ETHUSDT", Kind: contract.Linear, Settle: "USDT", Multiplier: "1", Tick: "0.01", Lot: "0.001"})
		l := leg(a, "10", "3000", "0.005", "0")
		l.Spec = s
		l.Mark.Set(dectest.D("3100"))
		return l
	}
	badSpec := func(f func(*contract.Spec)) func(*liquidation.Account) {
		return func(a *liquidation.Account) {
			s := contract.BTCUSDT()
			f(s)
			a.Spec = s
		}
	}
	var tierErr *margin.TierError
	tests := []struct {
		name   string
		mutate func(*liquidation.Account)
		want   error
		as     any
	}{
		{"kind 0", badSpec(func(s *contract.Spec) { s.Kind = 0 }), contract.ErrKind, nil},
		{"kind 9", badSpec(func(s *contract.Spec) { s.Kind = 9 }), contract.ErrKind, nil},
		{"negative multiplier", badSpec(func(s *contract.Spec) { s.Multiplier.Set(dectest.D("-100000000")) }), contract.ErrMultiplier, nil},
		{"zero multiplier", badSpec(func(s *contract.Spec) { s.Multiplier.SetInt64(0) }), contract.ErrMultiplier, nil},
		{"zero tick", badSpec(func(s *contract.Spec) { s.Tick.SetInt64(0) }), contract.ErrTickSize, nil},
		{"negative minor (BitMEX)", func(a *liquidation.Account) {
			badSpec(func(s *contract.Spec) { s.Minor.Set(dectest.D("-0.01")) })(a)
			a.Convention = liquidation.BitMEX
		}, contract.ErrMinorUnit, nil},
		{"negative OtherMM", func(a *liquidation.Account) { a.OtherMM.Set(dectest.D("-1")) }, liquidation.ErrNegative, nil},
		{"negative ExtraMM", func(a *liquidation.Account) { a.ExtraMM.Set(dectest.D("-1")) }, liquidation.ErrNegative, nil},
		{"negative FeeReserve", func(a *liquidation.Account) { a.FeeReserve.Set(dectest.D("-1")) }, liquidation.ErrNegative, nil},
		{"negative Cum", func(a *liquidation.Account) { a.Legs[0].Cum.Set(dectest.D("-1")) }, liquidation.ErrNegative, nil},
		{"MMR 1", func(a *liquidation.Account) { a.Legs[0].MMR.SetInt64(1) }, derivmath.ErrRate, nil},
		{"leg spec of kind 0", func(a *liquidation.Account) {
			s := contract.ETHUSD()
			s.Kind = 0
			s.Settle = ""
			other(a).Spec = s
		}, contract.ErrKind, nil},
		{"leg spec with a negative multiplier", func(a *liquidation.Account) {
			s := contract.ETHUSD()
			s.Multiplier.Set(dectest.D("-0.000001"))
			s.Settle = ""
			other(a).Spec = s
		}, contract.ErrMultiplier, nil},
		{"leg settles in XBT", func(a *liquidation.Account) { other(a).Spec = eth }, liquidation.ErrSettle, nil},
		{"leg without a mark", func(a *liquidation.Account) { other(a).Mark.SetInt64(0) }, derivmath.ErrPrice, nil},
		{"leg with a NaN mark", func(a *liquidation.Account) { other(a).Mark.Form = apd.NaN }, derivmath.ErrNaN, nil},
		{"only legs on other contracts", func(a *liquidation.Account) {
			a.Legs[0].Qty.SetInt64(0)
			other(a)
		}, derivmath.ErrZeroQty, nil},
		{"leg beyond the last tier", func(a *liquidation.Account) {
			l := other(a)
			l.Qty.Set(dectest.D("1000000"))
			l.Tiers = brackets(t, dectest.D("1500000000"))
		}, nil, &tierErr},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := valid()
			tt.mutate(a)
			var s liquidation.Solver
			err := s.Compile(ctx, a)
			switch {
			case tt.as != nil:
				if !errors.As(err, tt.as) {
					t.Fatalf("Compile: %v, want %T", err, tt.as)
				}
			case !errors.Is(err, tt.want):
				t.Fatalf("Compile: %v, want %v", err, tt.want)
			}
			z := dectest.D("7")
			if _, got := s.Price(z, liquidation.Exact); got == nil || got.Error() != err.Error() || z.String() != "7" {
				t.Errorf("Price after a failed Compile: %v, z = %s; want %v and z unchanged", got, z, err)
			}
			if _, got := liquidation.Price(ctx, z, a, liquidation.Exact); got == nil || got.Error() != err.Error() {
				t.Errorf("the one-shot Price: %v, want %v", got, err)
			}
		})
	}

	var zero liquidation.Solver
	z := dectest.D("7")
	if _, err := zero.Price(z, liquidation.Exact); !errors.Is(err, liquidation.ErrNoSpec) || z.String() != "7" {
		t.Errorf("Price on a zero Solver: %v, z = %s", err, z)
	}
	if _, err := zero.Liquidatable(z); !errors.Is(err, liquidation.ErrNoSpec) {
		t.Errorf("Liquidatable on a zero Solver: %v", err)
	}
	if err := zero.SetMark(0, z); !errors.Is(err, liquidation.ErrNoSpec) {
		t.Errorf("SetMark on a zero Solver: %v", err)
	}
	if _, err := liquidation.Compile(nil, valid()); !errors.Is(err, derivmath.ErrContext) {
		t.Errorf("Compile with a nil context: %v", err)
	}

	// A compiled Solver: SetMark on a leg of the account's contract, or
	// out of range, is ErrLegIndex; a failed SetMark changes nothing.
	a := valid()
	other(a)
	s, err := liquidation.Compile(ctx, a)
	noErr(t, err)
	var before apd.Decimal
	_, err = s.Price(&before, liquidation.Exact)
	noErr(t, err)
	for _, i := range []int{-1, 0, 2} {
		if err := s.SetMark(i, dectest.D("3000")); !errors.Is(err, liquidation.ErrLegIndex) {
			t.Errorf("SetMark(%d): %v, want ErrLegIndex", i, err)
		}
	}
	for _, m := range []string{"0", "-1", "NaN", "1E+1000"} {
		if err := s.SetMark(1, dectest.D(m)); err == nil {
			t.Errorf("SetMark(1, %s) succeeded", m)
		}
	}
	var after apd.Decimal
	_, err = s.Price(&after, liquidation.Exact)
	noErr(t, err)
	if after.String() != before.String() {
		t.Errorf("failed SetMark calls moved the price from %s to %s", &before, &after)
	}

	// A leg whose Spec is the account's own is on the account's contract.
	b := valid()
	b.Legs[0].Spec = b.Spec
	var p1, p2 apd.Decimal
	_, err1 := liquidation.Price(ctx, &p1, valid(), liquidation.Exact)
	_, err2 := liquidation.Price(ctx, &p2, b, liquidation.Exact)
	if err1 != nil || err2 != nil || p1.String() != p2.String() {
		t.Errorf("Leg.Spec = Account.Spec: %s, %v; nil Spec: %s, %v", &p2, err2, &p1, err1)
	}
}

// TestDistanceWritesBothOrNeither: Distance checks both results against the
// result gate before it writes either.
func TestDistanceWritesBothOrNeither(t *testing.T) {
	ctx := derivmath.NewContext()
	// A price of 1E-60 and a mark of 1E+60: |mark - P| rounds to 1E+60 but
	// pct = 1, so both are valid; with a mark of 1E-100 against a price of
	// 1E+99 (a long far under water), pct = 1E+199 is out of range.
	s := mustSpec(t, contract.Params{Kind: contract.Linear, Multiplier: "1", Tick: "1E-100", Lot: "1"})
	a := &liquidation.Account{Spec: s, Convention: liquidation.Binance}
	leg(a, "1", "1E+99", "0", "0")
	a.Balance.Set(dectest.D("-1E+98"))
	abs, pct := dectest.D("7"), dectest.D("8")
	_, err := liquidation.Distance(ctx, abs, pct, a, dectest.D("1E-100"), liquidation.Exact)
	if !errors.Is(err, derivmath.ErrRange) || abs.String() != "7" || pct.String() != "8" {
		t.Errorf("Distance = %v, abs %s, pct %s; want ErrRange and neither written", err, abs, pct)
	}
}

// TestLiquidatableAtManyMarks: a compiled Solver asked again and again at
// changing marks (drawn marks; the exact liquidation price, written with
// more and fewer digits, and a unit of its last place either side; marks
// of many digits; invalid marks) answers each as the one-shot function
// does: the comparison it prepares for the marks' exponent changes
// nothing.
func TestLiquidatableAtManyMarks(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx, _ := drawContext(t)
		a := drawAccount(t)
		s, err := liquidation.Compile(ctx, a)
		if err != nil {
			t.Skip("not compiled")
		}
		var p apd.Decimal
		st, err := s.Price(&p, liquidation.Exact)
		if err != nil {
			t.Skip("no price")
		}
		for i := range 12 {
			var m apd.Decimal
			switch k := rapid.IntRange(0, 5).Draw(t, fmt.Sprint("kind", i)); {
			case k == 0 || st != liquidation.Found:
				m.Set(drawMark(t, a))
			case k <= 3:
				// The price, with more digits or truncated to fewer, and
				// nudged.
				m.Set(&p)
				n := -rapid.IntRange(-6, 18).Draw(t, fmt.Sprint("fewer", i))
				if n >= 0 {
					m.Coeff.Mul(&m.Coeff, apd.NewBigInt(int64(math.Pow10(n))))
				} else {
					m.Coeff.Quo(&m.Coeff, apd.NewBigInt(int64(math.Pow10(-n))))
				}
				m.Exponent -= int32(n)
				m.Coeff.Add(&m.Coeff, apd.NewBigInt(int64(rapid.IntRange(-1, 1).Draw(t, fmt.Sprint("nudge", i)))))
			case k == 4:
				// Many digits.
				apdOK(t)(apd.BaseContext.WithPrecision(30).Mul(&m, &p, apd.New(1+rapid.Int64Range(-1e9, 1e9).Draw(t, fmt.Sprint("many", i)), -18)))
			default:
				m.Set(rapid.SampledFrom([]*apd.Decimal{apd.New(0, 0), apd.New(-1, 0), {Form: apd.NaN}, apd.New(1, 200)}).Draw(t, fmt.Sprint("bad", i)))
			}
			// Twice: the first call at a new exponent prepares the
			// comparison that the second uses.
			want, werr := liquidation.Liquidatable(ctx, a, &m)
			for range 2 {
				got, err := s.Liquidatable(&m)
				if (err == nil) != (werr == nil) || err == nil && got != want {
					t.Fatalf("Liquidatable(%s), price %s: Solver %v, %v; one-shot %v, %v", m.String(), p.String(), got, err, want, werr)
				}
			}
		}
	})
}

// TestOneShotNarrowContext: in a context whose exponent limits are
// narrower than apd's, a sum that only one threshold needs can fail (here
// liquidation's MMR*|Qty| = 1e-82 underflows at MinExponent -60); the
// one-shot functions then fail as Compile does, for both thresholds,
// where Bankruptcy, which skipped that sum, gave 200.
func TestOneShotNarrowContext(t *testing.T) {
	ctx := apd.BaseContext.WithPrecision(19)
	ctx.MaxExponent, ctx.MinExponent = 60, -60
	s, err := contract.New(contract.Params{Kind: contract.Linear, Multiplier: "1", Tick: "0.01", Lot: "0.000001"})
	noErr(t, err)
	a := &liquidation.Account{Spec: s, Convention: liquidation.Binance, Legs: make([]liquidation.Leg, 1)}
	l := &a.Legs[0]
	l.Qty.Set(dectest.MustParse(t, "1e-41"))
	l.Entry.Set(dectest.MustParse(t, "100"))
	l.MMR.Set(dectest.MustParse(t, "1e-41"))
	a.Balance.Set(dectest.MustParse(t, "-1e-39"))
	_, cerr := liquidation.Compile(ctx, a)
	if cerr == nil {
		t.Fatal("Compile succeeded; the case needs a sum that fails")
	}
	mark := dectest.MustParse(t, "100")
	for i, o := range oneShotCalls(ctx, a, mark) {
		if o.Err != cerr.Error() {
			t.Errorf("one-shot call %d: %+v, want Compile's error %v", i, o, cerr)
		}
	}
	var z apd.Decimal
	lev := dectest.MustParse(t, "10")
	if err := liquidation.IsolatedMargin(ctx, &z, a, lev); err == nil || err.Error() != cerr.Error() {
		t.Errorf("IsolatedMargin: %v, want Compile's error %v", err, cerr)
	}
}

// TestSettleUnnamed: ErrSettle needs both Specs to name their currency; a
// Spec without Settle takes a leg on a contract that names one, and the
// other way round (ErrSettle).
func TestSettleUnnamed(t *testing.T) {
	ctx := derivmath.NewContext()
	for _, tt := range []struct{ account, leg string }{{"", "XBt"}, {"USDT", ""}} {
		a := &liquidation.Account{Spec: contract.BTCUSDT(), Convention: liquidation.Binance}
		a.Spec.Settle = tt.account
		leg(a, "1", "60000", "0.005", "0")
		a.Balance.Set(dectest.D("3000"))
		l := leg(a, "10", "3000", "0.005", "0")
		l.Spec = contract.ETHUSD()
		l.Spec.Settle = tt.leg
		l.Mark.Set(dectest.D("3100"))
		if _, err := liquidation.Compile(ctx, a); err != nil {
			t.Errorf("account settling in %q, leg in %q: %v", tt.account, tt.leg, err)
		}
		var z apd.Decimal
		if _, err := liquidation.Price(ctx, &z, a, liquidation.Exact); err != nil {
			t.Errorf("Price, account settling in %q, leg in %q: %v", tt.account, tt.leg, err)
		}
	}
}
