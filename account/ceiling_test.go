package account_test

import (
	"errors"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/liquidation"
	"pgregory.net/rapid"
)

// bitmexOracle returns BitMEX's posInit, posComm and posMaint of a
// position with value at entry v0 (XBT) at leverage lev, rates mmr and
// funding, taker rate taker, each the exact ceiling to the satoshi of its
// formula, computed at 50 digits rounding toward +infinity (above the
// exact value by less than 1E-40 here, far from the next satoshi):
// posInit = ceil(v0/lev), posComm = ceil(taker*(v0 + posInit)), posMaint
// = ceil((mmr + funding)*v0) + posComm.
func bitmexOracle(v0, lev, mmr, funding, taker *apd.Decimal) (init, comm, maint apd.Decimal) {
	hc := apd.BaseContext.WithPrecision(50)
	hc.Rounding = apd.RoundCeiling
	ceil := func(z, x *apd.Decimal) {
		_, _ = hc.Quantize(z, x, -8)
		if z.Cmp(x) < 0 {
			_, _ = hc.Add(z, z, apd.New(1, -8))
		}
	}
	var x, s, r apd.Decimal
	_, _ = hc.Quo(&x, v0, lev)
	ceil(&init, &x)
	_, _ = hc.Add(&s, v0, &init)
	_, _ = hc.Mul(&x, taker, &s)
	ceil(&comm, &x)
	_, _ = hc.Add(&r, mmr, funding)
	_, _ = hc.Mul(&x, &r, v0)
	ceil(&maint, &x)
	_, _ = hc.Add(&maint, &maint, &comm)
	return init, comm, maint
}

// bitmexFigures sets an isolated XBTUSD-like position (taker given) with
// posCost cost on a fresh BitMEX account and returns its report.
func bitmexFigures(t fataler, taker string, cost, lev, mmr, funding *apd.Decimal) *account.Report {
	t.Helper()
	a, err := account.New(derivmath.NewContext(), liquidation.BitMEX)
	noErr(t, err)
	xbt, err := contract.New(contract.Params{Symbol: "XBTUSD", Kind: contract.Inverse, Settle: "XBT", Multiplier: "1", Tick: "0.5", Lot: "1", Taker: taker, Minor: "0.00000001"})
	noErr(t, err)
	noErr(t, a.SetMark(xbt, d("50000")))
	p := &account.Position{Spec: xbt, Side: account.OneWay, Mode: account.Isolated}
	p.Qty.Set(d("100"))
	p.Entry.Set(d("50000"))
	p.Cost.Set(cost)
	p.Leverage.Set(lev)
	p.MMR.Set(mmr)
	p.Funding.Set(funding)
	p.Margin.Set(d("1000000"))
	noErr(t, a.Set(p))
	var z account.Report
	noErr(t, a.Report(&z, 0, liquidation.TowardEntry))
	return &z
}

// checkBitMEXCeiling compares the account's BitMEX figures with the
// oracle's: Fee is posComm, Initial posInit + posComm, Maintenance
// posMaint.
func checkBitMEXCeiling(t fataler, taker string, cost, lev, mmr, funding *apd.Decimal) {
	t.Helper()
	z := bitmexFigures(t, taker, cost, lev, mmr, funding)
	init, comm, maint := bitmexOracle(cost, lev, mmr, funding, d(taker))
	var im apd.Decimal
	_, _ = apd.BaseContext.WithPrecision(50).Add(&im, &init, &comm)
	if z.Fee.Cmp(&comm) != 0 || z.Initial.Cmp(&im) != 0 || z.Maintenance.Cmp(&maint) != 0 {
		t.Fatalf("cost %s, leverage %s, MMR %s, funding %s, taker %s: posComm %s, initial %s, posMaint %s; want the exact ceilings %s, %s, %s",
			cost.String(), lev.String(), mmr.String(), funding.String(), taker, z.Fee.String(), z.Initial.String(), z.Maintenance.String(), comm.String(), im.String(), maint.String())
	}
}

// TestBitMEXExactCeiling: BitMEX's posInit, posComm and posMaint are the
// ceilings to the satoshi of their formulas, as margin.BitMEXPosition
// computes them (products rounded toward +infinity, then up). The account
// rounded the product (or quotient) half-even to the context's 19 digits
// first, then up: with a rate or leverage of more digits, a product just
// above a whole satoshi rounded down onto it, and its ceiling was one
// satoshi low (MMR 0.00500000000000000000001 of 1 XBT held 0.005 XBT,
// not 0.00500001).
func TestBitMEXExactCeiling(t *testing.T) {
	for _, c := range []struct {
		name                    string
		taker                   string
		cost, lev, mmr, funding string
	}{
		{"maintenance", "0.00075", "1", "10", "0.00500000000000000000001", "0"},
		{"maintenance with funding", "0.00075", "1", "10", "0.005", "0.00010000000000000000001"},
		{"initial", "0", "1", "0.99999999999999999999999", "0.005", "0"},
		{"fee", "0.00075000000000000000001", "1", "1", "0.005", "0"},
		// |posCost| + posInit = 9.100000100000000001 + 0.91000002 has 20
		// digits: rounded half-even it is 10.01000012, and posComm
		// 5.00500006, a satoshi low; rounded up, 5.00500007.
		{"fee of a sum beyond the precision", "0.5", "9.100000100000000001", "10", "0.005", "0"},
	} {
		t.Run(c.name, func(t *testing.T) {
			checkBitMEXCeiling(t, c.taker, d(c.cost), d(c.lev), d(c.mmr), d(c.funding))
		})
	}
}

// TestBitMEXExactCeilingOracle: checkBitMEXCeiling on drawn positions:
// posCost in whole satoshis (often a round number of them), leverage and
// MMR a short number off by a few units in the 18th to 23rd decimal (so
// that the quotient or product lies just above a whole satoshi, where a
// rounding to 19 digits before the ceiling lands one satoshi low).
func TestBitMEXExactCeilingOracle(t *testing.T) {
	hc := apd.BaseContext.WithPrecision(50)
	tiny := func(t *rapid.T, label string) *apd.Decimal {
		return apd.New(rapid.Int64Range(0, 9).Draw(t, label), -rapid.Int32Range(18, 23).Draw(t, label+" place"))
	}
	rapid.Check(t, func(t *rapid.T) {
		cost := apd.New(rapid.Int64Range(1, 1e13).Draw(t, "posCost (XBt)"), -8)
		if rapid.Bool().Draw(t, "round posCost") {
			cost = apd.New(rapid.Int64Range(1, 9).Draw(t, "posCost digit"), rapid.Int32Range(-4, 4).Draw(t, "posCost exponent"))
		}
		lev := apd.New(rapid.SampledFrom([]int64{1, 2, 4, 5, 10, 20, 25, 50, 100}).Draw(t, "leverage"), 0)
		_, _ = hc.Sub(lev, lev, tiny(t, "leverage below"))
		mmr := apd.New(rapid.Int64Range(1, 99).Draw(t, "mmr"), -4)
		_, _ = hc.Add(mmr, mmr, tiny(t, "mmr above"))
		// A funding rate with a short MMR: a sum the context holds (a
		// sum it cannot hold is rounded up, never below the ceiling).
		funding := new(apd.Decimal)
		if rapid.Bool().Draw(t, "with funding") {
			mmr.Reduce(apd.New(rapid.Int64Range(1, 99).Draw(t, "short mmr"), -4))
			funding = apd.New(rapid.Int64Range(1, 100).Draw(t, "funding"), -6)
			_, _ = hc.Add(funding, funding, tiny(t, "funding above"))
		}
		taker := rapid.SampledFrom([]string{"0.00075", "0.0005", "0.000750000000000000000001", "0.00075000000000000003"}).Draw(t, "taker")
		checkBitMEXCeiling(t, taker, cost, lev, mmr, funding)
	})
}

// TestBitMEXCeilingOutOfRange: a posInit whose ceiling to the satoshi
// needs more digits than the context holds (1E+12 XBT at 3x:
// 333333333333.33333334) is derivmath.ErrRange, and Set changes nothing.
func TestBitMEXCeilingOutOfRange(t *testing.T) {
	a, err := account.New(derivmath.NewContext(), liquidation.BitMEX)
	noErr(t, err)
	xbt, err := contract.New(contract.Params{Symbol: "XBTUSD", Kind: contract.Inverse, Settle: "XBT", Multiplier: "1", Tick: "0.5", Lot: "1", Taker: "0.00075", Minor: "0.00000001"})
	noErr(t, err)
	noErr(t, a.SetMark(xbt, d("50000")))
	p := &account.Position{Spec: xbt, Side: account.OneWay, Mode: account.Isolated}
	p.Qty.Set(d("100"))
	p.Entry.Set(d("50000"))
	p.Cost.Set(d("1000000000000"))
	p.Leverage.Set(d("3"))
	p.MMR.Set(d("0.005"))
	p.Margin.Set(d("1000000000000"))
	if err := a.Set(p); !errors.Is(err, derivmath.ErrRange) || a.Len() != 0 {
		t.Errorf("Set of posCost 1E+12 at 3x: %v, %d positions; want derivmath.ErrRange, none", err, a.Len())
	}
}

// TestBitMEXFundingSumInSolve: the liquidation price that Report solves
// for holds the maintenance the account computes, ceil((MMR + Funding) *
// |posCost|) with the sum rounded up where the context cannot hold it:
// MMR 0.005 and Funding 0.00010000000000000000001 of 1 XBT hold
// 0.00510001 XBT, as MMR 0.0051 and Funding 0.00000001 do. The solver was
// given the sum rounded half-even (0.0051), a satoshi low, and so a price
// the account's own test does not put at its threshold.
func TestBitMEXFundingSumInSolve(t *testing.T) {
	figures := func(mmr, funding string) *account.Report {
		a, err := account.New(derivmath.NewContext(), liquidation.BitMEX)
		noErr(t, err)
		xbt, err := contract.New(contract.Params{Symbol: "XBTUSD", Kind: contract.Inverse, Settle: "XBT", Multiplier: "1", Tick: "0.5", Lot: "1", Taker: "0.00075", Minor: "0.00000001"})
		noErr(t, err)
		noErr(t, a.SetMark(xbt, d("50000")))
		p := &account.Position{Spec: xbt, Side: account.OneWay, Mode: account.Isolated}
		p.Qty.Set(d("50000"))
		p.Entry.Set(d("50000"))
		p.Cost.Set(d("1"))
		p.Leverage.Set(d("10"))
		p.MMR.Set(d(mmr))
		p.Funding.Set(d(funding))
		p.Margin.Set(d("0.1"))
		noErr(t, a.Set(p))
		var z account.Report
		noErr(t, a.Report(&z, 0, liquidation.Exact))
		return &z
	}
	z := figures("0.005", "0.00010000000000000000001")
	want := figures("0.0051", "0.00000001")
	if z.Maintenance.Cmp(&want.Maintenance) != 0 || z.Liquidation.Cmp(&want.Liquidation) != 0 {
		t.Errorf("maintenance %s, liquidation %s; want %s, %s", z.Maintenance.String(), z.Liquidation.String(), want.Maintenance.String(), want.Liquidation.String())
	}
}
