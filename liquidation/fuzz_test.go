package liquidation_test

import (
	"errors"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/margin"
)

// documented lists every sentinel the solvers document: their own, and the
// contract and margin packages' for malformed numbers and tier lookups.
var documented = []error{
	liquidation.ErrNoLegs, liquidation.ErrNoSpec, liquidation.ErrConvention,
	liquidation.ErrRounding, derivmath.ErrRate, liquidation.ErrNoConvergence,
	liquidation.ErrNegative, liquidation.ErrSettle, liquidation.ErrLegIndex, derivmath.ErrContext,
	derivmath.ErrNaN, derivmath.ErrInfinite, derivmath.ErrNegativeZero, derivmath.ErrRange,
	derivmath.ErrPrice, derivmath.ErrZeroQty, contract.ErrValue, derivmath.ErrLeverage,
	derivmath.ErrFeeRate, contract.ErrOffTick, contract.ErrOffLot, derivmath.ErrStep,
	derivmath.ErrRounding, contract.ErrKind, contract.ErrMultiplier, contract.ErrTickSize,
	contract.ErrLotSize, contract.ErrMinorUnit,
	margin.ErrNoTiers, margin.ErrTierFloor, margin.ErrTierRate, margin.ErrTierLeverage,
	margin.ErrCum, margin.ErrLimit, margin.ErrAboveMaxLeverage, margin.ErrNotional,
}

// checkDocumented fails unless err is nil, one of the documented sentinels,
// a *margin.TierError, or a wrapped apd failure.
func checkDocumented(t interface {
	fataler
	Logf(format string, args ...any)
}, what string, err error,
) {
	t.Helper()
	if err == nil {
		return
	}
	for _, s := range documented {
		if errors.Is(err, s) {
			return
		}
	}
	var tierErr *margin.TierError
	if errors.As(err, &tierErr) {
		return
	}
	if errors.Unwrap(err) != nil {
		t.Logf("%s: wrapped apd error: %v", what, err) // allowed, but worth seeing
		return
	}
	t.Fatalf("%s: undocumented error %v (%T)", what, err, err)
}

// parseAll parses each text into the decimal beside it; false if any fails.
func parseAll(pairs ...any) bool {
	for i := 0; i < len(pairs); i += 2 {
		if _, _, err := pairs[i+1].(*apd.Decimal).SetString(pairs[i].(string)); err != nil {
			return false
		}
	}
	return true
}

// FuzzPrice feeds arbitrary decimal text to every function of the package
// and to a compiled Solver: nothing panics, every error is documented, a
// Found price is positive and any other status leaves 0, the Solver
// answers as the one-shot functions do, and (without tiers, where the
// solve is closed-form) the exact prices agree with an independent 50-digit
// computation of the coefficients (oracleRoot) within the rounding of a
// 19-digit solve.
func FuzzPrice(f *testing.F) {
	type seed struct {
		kind, conv, rnd                                       int8
		hedge, tiered                                         bool
		mult, tick, qty, entry, bal, mmr, cum, fee, mark, lev string
	}
	for _, s := range []seed{
		// The BitMEX 25x XBTUSD long of the package doc.
		{2, 2, 2, false, false, "1", "0.5", "10000", "50000", "0.008", "0.005", "0", "0", "49000", "25"},
		// Binance DOGEUSDT isolated short (published vector).
		{1, 1, 1, false, false, "1", "0.00001", "-32", "0.16395", "0.88304001", "0.005", "0", "0", "0.18", "10"},
		// Binance BTCUSDT across a tier edge.
		{1, 1, 1, false, true, "1", "0.1", "10", "60000", "30000", "0", "0", "0", "58000", "20"},
		// Hedge mode, Bybit, quanto.
		{3, 3, 3, true, false, "0.000001", "0.05", "300", "3000", "0.1", "0.01", "0.0001", "0.00001", "2900", "10"},
		// An inverse short at 1x: Never.
		{2, 1, 1, false, false, "100", "0.1", "-5", "40000", "0.0125", "0", "0", "0", "39000", "1"},
		// Long decimals: every input rounds in its first operation.
		{1, 3, 1, true, false, "0.1234567890123456789012345", "0.0001", "123.456789012345678901234", "65432.123456789012345678", "987.654321098765432109876", "0.004567890123456789012", "1.23456789012345678901", "0.0000123456789012345678901", "60000", "7"},
		// Binance with a Cum above MMR*value (Leg.Cum): a long whose
		// maintenance is 0 at every price down to its root, the same with
		// a hedge leg, and a short that enters at 0 and crosses the floor
		// (a maintenance near 49.5 at its root, near 19950.5).
		{1, 1, 1, false, false, "1", "0.1", "1", "60000", "100", "0.005", "1000", "0", "59950", "20"},
		{1, 1, 2, true, false, "1", "0.1", "1", "60000", "100", "0.005", "1000", "0", "59950", "20"},
		{1, 1, 1, false, false, "1", "0.1", "-1", "10000", "10000", "0.01", "150", "0", "19000", "2"},
		// Malformed and degenerate text.
		{1, 0, 0, false, false, "1", "0.1", "0", "0", "NaN", "1", "-0", "Inf", "-1", "0.5"},
		{1, 1, 1, false, false, "1", "0.1", "1e40", "1e-40", "12345678901234567890", "0.999999", "1", "1", "1", "1"},
		{9, 9, 9, false, true, "", "", "", "", "", "", "", "", "", ""},
	} {
		f.Add(s.kind, s.conv, s.rnd, s.hedge, s.tiered, s.mult, s.tick, s.qty, s.entry, s.bal, s.mmr, s.cum, s.fee, s.mark, s.lev)
	}
	// The BTCUSDT brackets, limited to 1.5e9 of notional: beyond it a
	// lookup is a *margin.TierError.
	tiers := brackets(f, dectest.D("1500000000"))
	ctx := derivmath.NewContext()
	f.Fuzz(func(t *testing.T, kind, conv, rnd int8, hedge, tiered bool, mult, tick, qty, entry, bal, mmr, cum, fee, mark, lev string) {
		s, err := contract.New(contract.Params{Kind: contract.Kind(kind), Multiplier: mult, Tick: tick, Lot: "0.001"})
		if err != nil {
			return // invalid specs are contract.New's to reject
		}
		a := &liquidation.Account{Spec: s, Convention: liquidation.Convention(conv), Legs: make([]liquidation.Leg, 1, 2)}
		l := &a.Legs[0]
		var m, lv apd.Decimal
		if !parseAll(qty, &l.Qty, entry, &l.Entry, bal, &a.Balance, mmr, &l.MMR, cum, &l.Cum,
			fee, &a.FeeReserve, mark, &m, lev, &lv) {
			return
		}
		if hedge {
			// A second leg: the opposite side, half the size, 10% away.
			a.Legs = a.Legs[:2]
			h := &a.Legs[1]
			if _, err := ctx.Quo(&h.Qty, &l.Qty, apd.New(-2, 0)); err != nil {
				return
			}
			if _, err := ctx.Mul(&h.Entry, &l.Entry, dectest.D("1.1")); err != nil {
				return
			}
			h.MMR.Set(&l.MMR)
		}
		if tiered {
			l.Tiers = tiers
		}
		r := liquidation.Rounding(rnd)
		solver, errCompile := liquidation.Compile(ctx, a)
		checkDocumented(t, "Compile", errCompile)
		for _, c := range []struct {
			name  string
			solve solveFunc
			liq   bool
		}{{"Price", liquidation.Price, true}, {"Bankruptcy", liquidation.Bankruptcy, false}} {
			var z apd.Decimal
			z.SetInt64(-7) // must be overwritten unless there is an error
			st, err := c.solve(ctx, &z, a, r)
			checkDocumented(t, c.name, err)
			if errCompile == nil {
				var zs apd.Decimal
				sst, serr := solver.Price(&zs, r)
				if !c.liq {
					sst, serr = solver.Bankruptcy(&zs, r)
				}
				if (err == nil) != (serr == nil) || err == nil && (st != sst || z.String() != zs.String()) {
					t.Fatalf("%s: one-shot %v, %s, %v; Solver %v, %s, %v", c.name, st, z.String(), err, sst, zs.String(), serr)
				}
			}
			if err != nil {
				continue
			}
			switch st {
			case liquidation.Found:
				if z.Sign() <= 0 {
					t.Fatalf("%s = %s with status Found (rounding %v)", c.name, z.String(), r)
				}
			case liquidation.Never, liquidation.Always:
				if !z.IsZero() {
					t.Fatalf("%s = %s with status %v", c.name, z.String(), st)
				}
			default:
				t.Fatalf("%s: status %v without an error", c.name, st)
			}
			// The oracle is linear: without tiers, and without a Binance
			// leg whose maintenance stops at zero (Leg.Cum).
			if !tiered && (a.Convention != liquidation.Binance || l.Cum.IsZero() || l.MMR.IsZero()) {
				var p apd.Decimal
				st, err := c.solve(ctx, &p, a, liquidation.Exact)
				if err == nil {
					checkOracleRoot(t, c.name, a, c.liq, st, &p)
				}
			}
		}
		liq, err := liquidation.Liquidatable(ctx, a, &m)
		checkDocumented(t, "Liquidatable", err)
		if errCompile == nil {
			if sliq, serr := solver.Liquidatable(&m); (err == nil) != (serr == nil) || err == nil && liq != sliq {
				t.Fatalf("Liquidatable: one-shot %v, %v; Solver %v, %v", liq, err, sliq, serr)
			}
		}

		var abs, pct apd.Decimal
		st, err := liquidation.Distance(ctx, &abs, &pct, a, &m, r)
		checkDocumented(t, "Distance", err)
		if err == nil && (abs.Sign() < 0 || pct.Sign() < 0 || (st != liquidation.Found && (!abs.IsZero() || !pct.IsZero()))) {
			t.Fatalf("Distance = %s, %s with status %v", abs.String(), pct.String(), st)
		}

		var im apd.Decimal
		err = liquidation.IsolatedMargin(ctx, &im, a, &lv)
		checkDocumented(t, "IsolatedMargin", err)
		if err == nil && im.Sign() <= 0 {
			t.Fatalf("IsolatedMargin = %s", im.String())
		}
	})
}

// oracleRoot computes, at 50 digits and independently of the solver, the
// coefficients of equity less the threshold, den*u - num, of an account
// without tiers whose legs are all on its contract, and under the Binance
// convention without a leg whose maintenance stops at zero (a Cum with a
// rate), for liquidation (liq) or bankruptcy, and the price where it is
// zero (maintenance at entry is max(0, MMR*v0 - Cum)):
//
//	num = sum sigma_i*v0_i - Balance - OtherPnL + thresholds
//	den = sum sigma_i*N_i [- sum MMR_i*N_i, Binance]
//	P   = num/(den*m), or den*m/num for an inverse contract
//
// It also returns the error bounds of num and den in a 19-digit solve: a
// few units in the 19th digit of the sum of the magnitudes of their terms,
// plus a minor unit for BitMEX's rounding of maintenance to it.
func oracleRoot(t fataler, a *liquidation.Account, liq bool) (p, nm, den, errNum, errDen apd.Decimal) {
	t.Helper()
	orc := dectest.Oracle()
	var scaleNum, scaleDen apd.Decimal
	add := func(z, scale, x *apd.Decimal, neg bool) {
		t.Helper()
		if neg {
			apdOK(t)(orc.Sub(z, z, x))
		} else {
			apdOK(t)(orc.Add(z, z, x))
		}
		var m apd.Decimal
		m.Abs(x)
		apdOK(t)(orc.Add(scale, scale, &m))
	}
	s := a.Spec
	atEntry := a.Convention != liquidation.Binance
	for i := range a.Legs {
		l := &a.Legs[i]
		if l.Qty.IsZero() {
			continue
		}
		var v0, n, mm apd.Decimal
		n.Abs(&l.Qty)
		if l.Cost.IsZero() {
			// v0 = N*m*EP, or N*m/EP (not contract's Value, whose result
			// gate may refuse what the solver only uses inside).
			apdOK(t)(orc.Mul(&v0, &n, &s.Multiplier))
			if s.Kind == contract.Inverse {
				apdOK(t)(orc.Quo(&v0, &v0, &l.Entry))
			} else {
				apdOK(t)(orc.Mul(&v0, &v0, &l.Entry))
			}
		} else {
			v0.Abs(&l.Cost)
		}
		neg := l.Qty.Negative != (s.Kind == contract.Inverse)
		add(&nm, &scaleNum, &v0, neg)
		add(&den, &scaleDen, &n, neg)
		if !liq {
			continue
		}
		if atEntry {
			apdOK(t)(orc.Mul(&mm, &l.MMR, &v0))
			if a.Convention == liquidation.BitMEX && !s.Minor.IsZero() {
				ceilTo(t, orc, &mm, &mm, &s.Minor)
				apdOK(t)(orc.Add(&errNum, &errNum, &s.Minor))
			}
			// Less Cum, never below zero (Leg.Cum).
			if mm.Cmp(&l.Cum) > 0 {
				add(&nm, &scaleNum, &mm, false)
				add(&nm, &scaleNum, &l.Cum, true)
			}
		} else {
			// Linear: Cum is 0 or the rate is (see FuzzPrice).
			apdOK(t)(orc.Mul(&mm, &l.MMR, &n))
			add(&den, &scaleDen, &mm, true)
		}
	}
	add(&nm, &scaleNum, &a.Balance, true)
	add(&nm, &scaleNum, &a.OtherPnL, true)
	if liq {
		add(&nm, &scaleNum, &a.OtherMM, false)
		add(&nm, &scaleNum, &a.ExtraMM, false)
	}
	if !liq || atEntry {
		add(&nm, &scaleNum, &a.FeeReserve, false)
	}
	var e apd.Decimal
	apdOK(t)(orc.Mul(&e, &scaleNum, rootRel))
	apdOK(t)(orc.Add(&errNum, &errNum, &e))
	apdOK(t)(orc.Mul(&errDen, &scaleDen, rootRel))
	if nm.Sign() != 0 && den.Sign() != 0 {
		var dm apd.Decimal
		apdOK(t)(orc.Mul(&dm, &den, &s.Multiplier))
		if s.Kind == contract.Inverse {
			apdOK(t)(orc.Quo(&p, &dm, &nm))
		} else {
			apdOK(t)(orc.Quo(&p, &nm, &dm))
		}
	}
	return p, nm, den, errNum, errDen
}

// rootRel bounds the relative error of num and den in a 19-digit solve,
// against the sum of the magnitudes of their terms: each term and each
// partial sum rounds by at most a unit in its 19th digit.
var rootRel = dectest.D("2e-17")

// checkOracleRoot checks an exact solve (status st, price p) of a against
// oracleRoot: where the oracle's num and den are clear of their error
// bounds, the status is theirs, and a Found price is within the error
// those bounds carry to it.
func checkOracleRoot(t fataler, what string, a *liquidation.Account, liq bool, st liquidation.Status, p *apd.Decimal) {
	t.Helper()
	want, nm, den, errNum, errDen := oracleRoot(t, a, liq)
	var an, ad apd.Decimal
	an.Abs(&nm)
	ad.Abs(&den)
	if an.Cmp(&errNum) <= 0 || ad.Cmp(&errDen) <= 0 {
		return // too close to 0 to know the signs at 19 digits
	}
	var wantSt liquidation.Status
	switch {
	case nm.Sign() == den.Sign():
		wantSt = liquidation.Found
	case den.Sign() > 0:
		wantSt = liquidation.Never
	default:
		wantSt = liquidation.Always
	}
	if st != wantSt {
		t.Fatalf("%s: status %v, oracle %v (num %s, den %s)", what, st, wantSt, nm.String(), den.String())
	}
	if st != liquidation.Found {
		return
	}
	// |dP/P| <= errNum/|num| + errDen/|den| (to first order), plus the
	// rounding of den*m and of the quotient.
	orc := dectest.Oracle()
	var rel, x, tol, diff apd.Decimal
	apdOK(t)(orc.Quo(&rel, &errNum, &an))
	apdOK(t)(orc.Quo(&x, &errDen, &ad))
	apdOK(t)(orc.Add(&rel, &rel, &x))
	apdOK(t)(orc.Mul(&x, &rel, dectest.D("2")))
	apdOK(t)(orc.Add(&rel, &x, dectest.D("1e-17")))
	if rel.Cmp(dectest.D("0.001")) > 0 {
		return // ill-conditioned: the 19-digit answer carries few digits
	}
	apdOK(t)(orc.Mul(&tol, &want, &rel))
	apdOK(t)(orc.Sub(&diff, p, &want))
	diff.Abs(&diff)
	if diff.Cmp(&tol) > 0 {
		t.Fatalf("%s = %s, oracle %s: off by %s, more than %s (num %s, den %s)", what, p.String(), want.String(), diff.String(), tol.String(), nm.String(), den.String())
	}
}
