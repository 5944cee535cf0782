package margin_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/margin"
)

// documented reports whether err is one of the errors the package
// documents: its own sentinels, a *TierError, or contract's sentinels for
// malformed numbers.
func documented(err error) bool {
	var te *margin.TierError
	if errors.As(err, &te) {
		return true
	}
	for _, s := range []error{
		margin.ErrNoTiers, margin.ErrTierFloor, margin.ErrTierRate, margin.ErrTierLeverage,
		margin.ErrCum, margin.ErrLimit, margin.ErrAboveMaxLeverage, margin.ErrNotional,
		derivmath.ErrRate, margin.ErrRiskLimit, margin.ErrAmount, margin.ErrWhole, margin.ErrBalance,
		derivmath.ErrNaN, derivmath.ErrInfinite, derivmath.ErrNegativeZero, derivmath.ErrRange,
		derivmath.ErrLeverage, derivmath.ErrPrice, derivmath.ErrZeroQty, derivmath.ErrStep,
	} {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

// parse parses s, reporting false when it is not a decimal.
func parse(s string) (apd.Decimal, bool) {
	var x apd.Decimal
	_, _, err := x.SetString(strings.TrimSpace(s))
	return x, err == nil
}

// FuzzNewTiers builds tables from arbitrary rows ("floor,mmr,lev,cum;..."):
// NewTiers and every lookup either succeed or return a documented error,
// and a table that validates has continuous, non-decreasing maintenance.
func FuzzNewTiers(f *testing.F) {
	f.Add("0,0.004,125,0;50000,0.005,100,50;600000,0.0065,75,950", "", "70000")
	f.Add("0,0.01,20,0", "1000", "999.99")
	f.Add("0,0.01,20,0;100,0.02,10,1.01", "", "100")
	f.Add("0,NaN,20,0", "-0", "1e-40")
	f.Add("10,0.5,1,0;5,0.4,2,-1", "5", "Infinity")
	f.Fuzz(func(t *testing.T, table, limit, at string) {
		var rows []margin.Tier
		for _, r := range strings.Split(table, ";") {
			cols := strings.Split(r, ",")
			if len(cols) != 4 {
				return
			}
			var tier margin.Tier
			for i, dst := range []*apd.Decimal{&tier.Floor, &tier.MMR, &tier.MaxLeverage, &tier.Cum} {
				x, ok := parse(cols[i])
				if !ok {
					return
				}
				dst.Set(&x)
			}
			rows = append(rows, tier)
		}
		var lim *apd.Decimal
		if l, ok := parse(limit); ok {
			lim = &l
		}
		tiers, err := margin.NewTiers(rows, lim)
		if err != nil {
			if !documented(err) {
				t.Fatalf("NewTiers: undocumented error %v", err)
			}
			return
		}
		ctx := derivmath.NewContext()
		x, ok := parse(at)
		if !ok {
			return
		}
		var mm apd.Decimal
		if err := tiers.Maintenance(ctx, &mm, &x); err != nil {
			if !documented(err) {
				t.Fatalf("Maintenance(%s): undocumented error %v", &x, err)
			}
		} else if mm.Negative && !mm.IsZero() {
			t.Fatalf("Maintenance(%s) = %s < 0", &x, &mm)
		}
		if err := tiers.CheckLeverage(&x, &x); err != nil && !documented(err) {
			t.Fatalf("CheckLeverage(%s): undocumented error %v", &x, err)
		}
		// Continuity at every edge of a valid table.
		for i := 1; i < tiers.Len(); i++ {
			cur, prev := tiers.At(i), tiers.At(i-1)
			var a, b apd.Decimal
			if err := margin.Maintenance(ctx, &a, &cur.Floor, &cur.MMR, &cur.Cum); err != nil {
				t.Fatalf("tier %d formula: %v", i, err)
			}
			if err := margin.Maintenance(ctx, &b, &cur.Floor, &prev.MMR, &prev.Cum); err != nil {
				t.Fatalf("tier %d formula: %v", i-1, err)
			}
			if a.Cmp(&b) != 0 {
				t.Fatalf("MM jumps at %s: %s and %s", &cur.Floor, &a, &b)
			}
		}
	})
}

// FuzzSteps runs a Steps schedule from arbitrary parameters: documented
// errors only, and MMR = BaseMM*(1+steps), IMR - MMR = BaseIM - BaseMM when
// it succeeds.
func FuzzSteps(f *testing.F) {
	f.Add("200", "150", "0.005", "0.01", "0", "649", "10")
	f.Add("100", "50", "0.005", "0.02", "1000", "1000.0001", "50")
	f.Add("0", "0.0000001", "0.5", "1", "0", "9999999999999999999", "1")
	f.Add("-1", "0", "1", "0.5", "-5", "NaN", "0.5")
	f.Fuzz(func(t *testing.T, base, step, mm, im, limit, value, lev string) {
		var s margin.Steps
		for i, txt := range []string{base, step, mm, im, limit} {
			x, ok := parse(txt)
			if !ok {
				return
			}
			[]*apd.Decimal{&s.BaseRiskLimit, &s.Step, &s.BaseMM, &s.BaseIM, &s.Limit}[i].Set(&x)
		}
		v, ok := parse(value)
		if !ok {
			return
		}
		l, ok := parse(lev)
		if !ok {
			return
		}
		ctx := derivmath.NewContext()
		var n, mmr, imr, z apd.Decimal
		errs := []error{
			s.Count(ctx, &n, &v), s.MMR(ctx, &mmr, &v), s.IMR(ctx, &imr, &v),
			s.Initial(ctx, &z, &v), s.Maintenance(ctx, &z, &v), s.CheckLeverage(ctx, &v, &l),
		}
		for i, err := range errs {
			if err != nil && !documented(err) {
				t.Fatalf("call %d: undocumented error %v", i, err)
			}
		}
		if errs[0] != nil || errs[1] != nil || errs[2] != nil {
			return
		}
		o := apd.BaseContext.WithPrecision(50)
		var want apd.Decimal
		if _, err := o.Add(&want, &n, apd.New(1, 0)); err != nil {
			t.Fatal(err)
		}
		if _, err := o.Mul(&want, &want, &s.BaseMM); err != nil {
			t.Fatal(err)
		}
		if want.Cmp(&mmr) != 0 {
			t.Fatalf("MMR %s, want BaseMM*(1+%s) = %s", &mmr, &n, &want)
		}
		var d1, d2 apd.Decimal
		if _, err := o.Sub(&d1, &imr, &mmr); err != nil {
			t.Fatal(err)
		}
		if _, err := o.Sub(&d2, &s.BaseIM, &s.BaseMM); err != nil {
			t.Fatal(err)
		}
		if d1.Cmp(&d2) != 0 {
			t.Fatalf("IMR - MMR = %s, want %s", &d1, &d2)
		}
	})
}

// FuzzBitMEX runs the integer mode on arbitrary fields: documented errors
// only, and when it succeeds every field is whole and posMargin = posInit +
// posComm + posCross - posLoss.
func FuzzBitMEX(f *testing.F) {
	f.Add("-25426", "0", "0", "1", "0.005", "0.00075", "2")
	f.Add("100000000", "1000", "500", "0.3333333333333333", "0.005", "0.00075", "2.5")
	f.Add("9999999999999999999", "0", "0", "1", "0", "0.00075", "0")
	f.Add("0.5", "-1", "1e40", "0", "1", "-0.1", "NaN")
	f.Fuzz(func(t *testing.T, cost, cross, loss, imr, mmr, comm, fund string) {
		var p margin.BitMEXPosition
		for i, txt := range []string{cost, cross, loss, imr, mmr, comm, fund} {
			x, ok := parse(txt)
			if !ok {
				return
			}
			[]*apd.Decimal{&p.Cost, &p.Cross, &p.Loss, &p.InitMarginReq, &p.MaintMarginReq, &p.Commission, &p.FundingReserve}[i].Set(&x)
		}
		var z margin.BitMEX
		if err := p.Margin(derivmath.NewContext(), &z); err != nil {
			if !documented(err) {
				t.Fatalf("undocumented error %v", err)
			}
			return
		}
		o := apd.BaseContext.WithPrecision(50)
		for _, x := range []*apd.Decimal{&z.Init, &z.Comm, &z.Maint, &z.Margin} {
			var i, frac apd.Decimal
			x.Modf(&i, &frac)
			if !frac.IsZero() {
				t.Fatalf("field %s is not whole", x)
			}
		}
		var sum apd.Decimal
		if _, err := o.Add(&sum, &z.Init, &z.Comm); err != nil {
			t.Fatal(err)
		}
		if _, err := o.Add(&sum, &sum, &p.Cross); err != nil {
			t.Fatal(err)
		}
		if _, err := o.Sub(&sum, &sum, &p.Loss); err != nil {
			t.Fatal(err)
		}
		if sum.Cmp(&z.Margin) != 0 {
			t.Fatalf("posMargin %s, identity gives %s", &z.Margin, &sum)
		}
	})
}
