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

// FuzzPrice feeds arbitrary decimal text to every function of the package:
// nothing panics, every error is documented, a Found price is positive and
// any other status leaves 0, and the default context's fast path gives
// what apd gives, digit for digit.
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
	slow := derivmath.NewContext()
	slow.MaxExponent-- // not the default: apd does every operation
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
		for _, c := range []struct {
			name  string
			solve solveFunc
		}{{"Price", liquidation.Price}, {"Bankruptcy", liquidation.Bankruptcy}} {
			var z apd.Decimal
			z.SetInt64(-7) // must be overwritten unless there is an error
			st, err := c.solve(ctx, &z, a, r)
			checkDocumented(t, c.name, err)
			var zs apd.Decimal
			sst, serr := c.solve(slow, &zs, a, r)
			if (err == nil) != (serr == nil) || err == nil && (st != sst || z.String() != zs.String()) {
				t.Fatalf("%s: default context %v, %s, %v; apd %v, %s, %v", c.name, st, z.String(), err, sst, zs.String(), serr)
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
		}
		liq, err := liquidation.Liquidatable(ctx, a, &m)
		checkDocumented(t, "Liquidatable", err)
		if sliq, serr := liquidation.Liquidatable(slow, a, &m); (err == nil) != (serr == nil) || err == nil && liq != sliq {
			t.Fatalf("Liquidatable: default context %v, %v; apd %v, %v", liq, err, sliq, serr)
		}

		var abs, pct, sabs, spct apd.Decimal
		st, err := liquidation.Distance(ctx, &abs, &pct, a, &m, r)
		checkDocumented(t, "Distance", err)
		sst, serr := liquidation.Distance(slow, &sabs, &spct, a, &m, r)
		if (err == nil) != (serr == nil) || err == nil && (st != sst || abs.String() != sabs.String() || pct.String() != spct.String()) {
			t.Fatalf("Distance: default context %v, %s, %s, %v; apd %v, %s, %s, %v", st, abs.String(), pct.String(), err, sst, sabs.String(), spct.String(), serr)
		}
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
