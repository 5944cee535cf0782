package margin_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/derivmath/derivmath/internal/num"
	"github.com/derivmath/derivmath/margin"
	"pgregory.net/rapid"
)

// allocContexts are the contexts of the allocation tables: the default,
// apd's own BaseContext at 19 digits (half-up), and 16 digits half-up.
func allocContexts() []struct {
	name string
	ctx  *apd.Context
} {
	return []struct {
		name string
		ctx  *apd.Context
	}{
		{"default", derivmath.NewContext()},
		{"p19HalfUp", apd.BaseContext.WithPrecision(19)},
		{"p16HalfUp", apd.BaseContext.WithPrecision(16)},
	}
}

// kernels returns every computation of the package on exchange-like inputs
// in ctx, for the allocation test and the benchmarks. Inputs are parsed
// once, outside the measured calls.
func kernels(tb testing.TB, ctx *apd.Context) []struct {
	name string
	fn   func() error
} {
	tb.Helper()
	lin := linearSpec(tb)
	xbt := contract.XBTUSD()
	tiers := margin.BTCUSDT()
	st := steps2021()
	dl := margin.DeribitBTC()
	bm := &margin.BitMEXPosition{}
	bm.Cost.SetInt64(-2542600000)
	bm.InitMarginReq.Set(d("0.3333333333333333"))
	bm.MaintMarginReq.Set(d("0.005"))
	bm.Commission.Set(d("0.00075"))
	bm.FundingReserve.SetInt64(2)
	var fields margin.BitMEX

	var z apd.Decimal
	value, notional, lev := d("65432.123456"), d("3456789.12"), d("20")
	mmr, cum, zero := d("0.005"), d("50"), d("0")
	qty, entry, taker := d("1.234"), d("65432.1"), d("0.0005")
	xqty, xentry := d("-12300"), d("65432.5")
	size, bvalue := d("25"), d("2500000")
	stepValue := d("512.34567891")
	bal, upnl, used := d("10000.5"), d("-123.456"), d("2345.678")
	best, limit := d("65430.5"), d("65435")
	fund, mmr2, xbal := d("0.0001"), d("0.01"), d("0.5")
	long := d("0.1879727974325666692") // 12300/65435, as an inverse value comes
	longStep := d("512.3456789123456789")
	return []struct {
		name string
		fn   func() error
	}{
		{"Initial", func() error { return margin.Initial(ctx, &z, value, lev) }},
		{"Initial/19 digits", func() error { return margin.Initial(ctx, &z, long, lev) }},
		{"IMR", func() error { return margin.IMR(ctx, &z, lev) }},
		{"Maintenance", func() error { return margin.Maintenance(ctx, &z, value, mmr, cum) }},
		{"Cum", func() error { return margin.Cum(ctx, &z, cum, notional, mmr2, mmr) }},
		{"Tiers.Lookup", func() error { _, err := tiers.Lookup(notional); return err }},
		{"Tiers.Maintenance", func() error { return tiers.Maintenance(ctx, &z, notional) }},
		{"Tiers.CheckLeverage", func() error { return tiers.CheckLeverage(notional, lev) }},
		{"Steps.Validate", func() error { return st.Validate() }},
		{"SizeLinear.Validate", func() error { return dl.Validate() }},
		{"Steps.Count", func() error { return st.Count(ctx, &z, stepValue) }},
		{"Steps.Count/19 digits", func() error { return st.Count(ctx, &z, longStep) }},
		{"Steps.MMR", func() error { return st.MMR(ctx, &z, stepValue) }},
		{"Steps.IMR", func() error { return st.IMR(ctx, &z, stepValue) }},
		{"Steps.Initial", func() error { return st.Initial(ctx, &z, stepValue) }},
		{"Steps.Maintenance", func() error { return st.Maintenance(ctx, &z, stepValue) }},
		{"Steps.CheckLeverage", func() error { return st.CheckLeverage(ctx, stepValue, lev) }},
		{"SizeLinear.IMR", func() error { return dl.IMR(ctx, &z, size) }},
		{"SizeLinear.MMR", func() error { return dl.MMR(ctx, &z, size) }},
		{"SizeLinear.Initial", func() error { return dl.Initial(ctx, &z, size, bvalue) }},
		{"SizeLinear.Maintenance", func() error { return dl.Maintenance(ctx, &z, size, bvalue) }},
		{"FeeToClose/linear", func() error { return margin.FeeToClose(ctx, &z, lin, qty, entry, lev, taker) }},
		{"FeeToClose/inverse", func() error { return margin.FeeToClose(ctx, &z, xbt, xqty, xentry, lev, taker) }},
		{"FundingReserve", func() error { return margin.FundingReserve(ctx, &z, qty, value, fund) }},
		{"BitMEXPosition.Margin", func() error { return bm.Margin(ctx, &fields) }},
		{"Position", func() error { return margin.Position(ctx, &z, value, lev, taker) }},
		{"Ratio", func() error { return margin.Ratio(ctx, &z, used, bal) }},
		{"Ratio/19 digits", func() error { return margin.Ratio(ctx, &z, long, bal) }},
		{"Available", func() error { return margin.Available(ctx, &z, bal, upnl, used) }},
		{"Order/linear", func() error { return margin.Order(ctx, &z, lin, zero, qty, limit, best, lev) }},
		{"Order/inverse", func() error { return margin.Order(ctx, &z, xbt, zero, xqty, limit, best, lev) }},
		{"MaxQty/linear", func() error { return margin.MaxQty(ctx, &z, lin, bal, entry, lev, taker) }},
		{"MaxQty/inverse", func() error { return margin.MaxQty(ctx, &z, xbt, xbal, xentry, lev, taker) }},
		{"Tiers.MaxQty", func() error { return tiers.MaxQty(ctx, &z, lin, bal, entry, lev, taker) }},
	}
}

// TestAllocs: every computation allocates nothing in the three contexts.
//
// As orderbook's TestAllocs does, it counts every allocation of 1,000
// runs of each row, not the average that testing.AllocsPerRun rounds
// down, so that a computation that allocates now and then is seen; the
// least count of three attempts, each on operands built afresh, keeps out
// the runtime's own allocations. Any run's error fails the test.
func TestAllocs(t *testing.T) {
	for _, c := range allocContexts() {
		t.Run(c.name, func(t *testing.T) {
			dectest.CheckMallocs(t, 3, 1, 1000, func() []dectest.AllocCase { return kernelCases(t, c.ctx) })
		})
	}
}

// kernelCases builds the kernels of TestAllocs afresh, and returns its
// rows in ctx: each kernel but those whose documented ErrRange ctx's
// precision brings about.
func kernelCases(t *testing.T, ctx *apd.Context) []dectest.AllocCase {
	t.Helper()
	var rows []dectest.AllocCase
	for _, k := range kernels(t, ctx) {
		if err := k.fn(); err != nil {
			if ctx.Precision < 19 && strings.HasSuffix(k.name, "19 digits") && errors.Is(err, derivmath.ErrRange) {
				continue // an exact step on 19 digits: documented ErrRange
			}
			t.Fatalf("%s: %v", k.name, err)
		}
		rows = append(rows, dectest.Succeeds(t, k.name, k.fn))
	}
	return rows
}

// TestAllocsRandom: the kernels allocate nothing on random exchange-like
// inputs either, including 19-digit values such as inverse contracts
// produce, in the three contexts. rapid draws the inputs; only the call is
// measured, every allocation of 100 runs counted (not AllocsPerRun's
// rounded-down average), the least of three attempts.
func TestAllocsRandom(t *testing.T) {
	contexts := allocContexts()
	tiers := margin.BTCUSDT()
	st := steps2021()
	dl := margin.DeribitBTC()
	rapid.Check(t, func(t *rapid.T) {
		ctx := contexts[rapid.IntRange(0, len(contexts)-1).Draw(t, "ctx")].ctx
		s := drawSpec(t)
		qty := lotQty(t, s, "qty")
		entry := exchangePrice(t, "entry")
		mark := exchangePrice(t, "mark")
		lev := leverage(t)
		var taker, mmr, z, value apd.Decimal
		taker.SetFinite(rapid.Int64Range(0, 1_000).Draw(t, "taker"), -6)
		mmr.SetFinite(rapid.Int64Range(0, 99_999).Draw(t, "mmr"), -5)
		balance := dectest.Positive(10_000_000_000, 8).Draw(t, "balance")
		if err := s.Value(ctx, &value, &qty, &entry); err != nil {
			t.Fatal(err)
		}
		var zero, upnl, fund apd.Decimal
		if err := s.PnL(ctx, &upnl, &qty, &entry, &mark); err != nil {
			t.Fatal(err)
		}
		fund.SetFinite(rapid.Int64Range(-750, 750).Draw(t, "fund"), -5)
		bm := drawBitMEX(t)
		var fields margin.BitMEX
		calls := []struct {
			name string
			fn   func() error
		}{
			{"Initial", func() error { return margin.Initial(ctx, &z, &value, &lev) }},
			{"Maintenance", func() error { return margin.Maintenance(ctx, &z, &value, &mmr, &zero) }},
			{"Tiers.Maintenance", func() error { return tiers.Maintenance(ctx, &z, &value) }},
			{"Steps.Maintenance", func() error { return st.Maintenance(ctx, &z, &value) }},
			{"FeeToClose", func() error { return margin.FeeToClose(ctx, &z, s, &qty, &entry, &lev, &taker) }},
			{"BitMEXPosition.Margin", func() error { return bm.Margin(ctx, &fields) }},
			{"Position", func() error { return margin.Position(ctx, &z, &value, &lev, &taker) }},
			{"Ratio", func() error { return margin.Ratio(ctx, &z, &value, &balance) }},
			{"Available", func() error { return margin.Available(ctx, &z, &balance, &upnl, &value) }},
			{"FundingReserve", func() error { return margin.FundingReserve(ctx, &z, &qty, &value, &fund) }},
			{"Cum", func() error { return margin.Cum(ctx, &z, &value, &balance, &mmr, &zero) }},
			{"SizeLinear.Initial", func() error { return dl.Initial(ctx, &z, &value, &balance) }},
			{"Steps.CheckLeverage", func() error { return st.CheckLeverage(ctx, &value, &lev) }},
			{"Order", func() error { return margin.Order(ctx, &z, s, &zero, &qty, &entry, &mark, &lev) }},
			{"MaxQty", func() error { return margin.MaxQty(ctx, &z, s, &balance, &mark, &lev, &taker) }},
			{"Tiers.MaxQty", func() error { return tiers.MaxQty(ctx, &z, s, &balance, &mark, &lev, &taker) }},
		}
		// What the balance alone allows, before any tier limit.
		var byBalance apd.Decimal
		huge := margin.MaxQty(ctx, &byBalance, s, &balance, &mark, &lev, &taker) == nil &&
			byBalance.Exponent+int32(byBalance.NumDigits()) > 17
		for _, c := range calls {
			if c.fn() != nil {
				continue // errors may allocate (a *TierError, wrapping)
			}
			if strings.HasSuffix(c.name, "MaxQty") && huge {
				continue // 10^17 contracts or more: outside the guarantee
			}
			// Every allocation of 100 runs, the least of three attempts
			// (dectest.CheckMallocs's count; the operands do not change).
			n := dectest.Mallocs(1, 100, func() { _ = c.fn() })
			for range 2 {
				n = min(n, dectest.Mallocs(1, 100, func() { _ = c.fn() }))
			}
			if n != 0 {
				t.Fatalf("%s: %d allocations in 100 runs, want 0", c.name, n)
			}
		}
	})
}

// exchangePrice draws a price from 0.0001 to 10,000,000 with up to 4
// decimal places: the range the allocation guarantee is stated for. (Far
// larger prices make MaxQty's quantities 19-digit numbers, whose contract
// value apd's Quo computes by allocating.)
func exchangePrice(t *rapid.T, label string) apd.Decimal {
	scale := rapid.Int32Range(0, 4).Draw(t, label+"Scale")
	hi := int64(10_000_000)
	for range scale {
		hi *= 10
	}
	var p apd.Decimal
	p.SetFinite(rapid.Int64Range(1, hi).Draw(t, label), -scale)
	return p
}

// TestAllocsErrors: a failed call allocates nothing when its error is a
// sentinel. Only the errors the package doc names may allocate (a
// *TierError, a *RowError, a *FieldError, a wrapped apd error); a row
// here fails with each other kind of error a function lists, in each
// context of allocContexts, on every run.
//
// As orderbook's TestAllocs does, it counts every allocation of 1,000
// runs of each row, not the average that testing.AllocsPerRun rounds
// down, so that an error path that allocates now and then is seen; the
// least count of three attempts, each on operands built afresh, keeps out
// the runtime's own allocations.
func TestAllocsErrors(t *testing.T) {
	dectest.CheckMallocs(t, 3, 1, 1000, func() []dectest.AllocCase { return errorCases(t) })
}

// errorCases builds the operands of TestAllocsErrors afresh, and returns
// its rows.
func errorCases(t *testing.T) []dectest.AllocCase {
	t.Helper()
	lin := linearSpec(t)
	xbt := contract.XBTUSD()
	tiers := margin.BTCUSDT()
	st := steps2021()
	dl := margin.DeribitBTC()
	badSpec := *lin
	badSpec.Kind = contract.Kind(99)
	var nilTiers *margin.Tiers
	var z apd.Decimal
	value, small, lev, mmr, cum := d("65432.123456"), d("512"), d("20"), d("0.005"), d("50")
	qty, entry, taker, bal := d("1.234"), d("65432.1"), d("0.0005"), d("10000.5")
	nan, negZero, zero, neg, half, big, d1000 := d("NaN"), d("-0"), d("0"), d("-1"), d("0.5"), d("1E+60"), d("1000")
	var rows []dectest.AllocCase
	for _, c := range allocContexts() {
		ctx := c.ctx
		for _, k := range []struct {
			name string
			fn   func() error
		}{
			{"Initial nil context", func() error { return margin.Initial(nil, &z, value, lev) }},
			{"Initial NaN", func() error { return margin.Initial(ctx, &z, nan, lev) }},
			{"Initial leverage", func() error { return margin.Initial(ctx, &z, value, half) }},
			{"IMR leverage", func() error { return margin.IMR(ctx, &z, zero) }},
			{"Maintenance rate", func() error { return margin.Maintenance(ctx, &z, value, neg, cum) }},
			{"Maintenance out of range", func() error { return margin.Maintenance(ctx, &z, big, big, cum) }},
			{"Cum -0", func() error { return margin.Cum(ctx, &z, cum, negZero, mmr, mmr) }},
			{"Tiers.Lookup nil", func() error { _, err := nilTiers.Lookup(value); return err }},
			{"Tiers.Lookup NaN", func() error { _, err := tiers.Lookup(nan); return err }},
			{"Tiers.Maintenance nil context", func() error { return tiers.Maintenance(nil, &z, value) }},
			{"Tiers.CheckLeverage", func() error { return tiers.CheckLeverage(value, d1000) }},
			{"Steps.Count NaN", func() error { return st.Count(ctx, &z, nan) }},
			{"Steps.CheckLeverage", func() error { return st.CheckLeverage(ctx, small, d1000) }},
			{"SizeLinear.IMR NaN", func() error { return dl.IMR(ctx, &z, nan) }},
			{"FeeToClose kind", func() error { return margin.FeeToClose(ctx, &z, &badSpec, qty, entry, lev, taker) }},
			{"FeeToClose fee rate", func() error { return margin.FeeToClose(ctx, &z, xbt, qty, entry, lev, d1000) }},
			{"FundingReserve NaN", func() error { return margin.FundingReserve(ctx, &z, qty, nan, taker) }},
			{"Position leverage", func() error { return margin.Position(ctx, &z, value, zero, taker) }},
			{"Ratio -0", func() error { return margin.Ratio(ctx, &z, negZero, bal) }},
			{"Available nil context", func() error { return margin.Available(nil, &z, bal, bal, bal) }},
			{"Order price", func() error { return margin.Order(ctx, &z, lin, zero, qty, neg, entry, lev) }},
			{"MaxQty price", func() error { return margin.MaxQty(ctx, &z, lin, bal, zero, lev, taker) }},
			{"Tiers.MaxQty nil", func() error { return nilTiers.MaxQty(ctx, &z, lin, bal, entry, lev, taker) }},
			{"BitMEXNeverLiquidates NaN", func() error { _, err := margin.BitMEXNeverLiquidates(contract.Inverse, nan, lev, true); return err }},
		} {
			rows = append(rows, dectest.Fails(t, c.name+"/"+k.name, nil, k.fn))
		}
	}
	return rows
}

// TestAllocsTiers: the table's readers allocate nothing: Len, At and
// Limit (on a table with a limit, one without, and a nil table), and
// the loaded lookups derivmath's packages use, TierNear (found from a
// hint or not, and its sentinel errors), TierDec and LimitDec. It counts
// as TestAllocs does; each run of a row of an error must fail with it.
func TestAllocsTiers(t *testing.T) {
	dectest.CheckMallocs(t, 3, 1, 1000, func() []dectest.AllocCase { return tierCases(t) })
}

// tierCases builds the tables of TestAllocsTiers afresh, and returns its
// rows.
func tierCases(t *testing.T) []dectest.AllocCase {
	t.Helper()
	tiers := margin.BTCUSDT()
	limited, err := margin.NewTiers(tierRowsOf(t, [][4]string{{"0", "0.01", "20", "0"}, {"100", "0.02", "10", "1"}}), d("1000"))
	if err != nil {
		t.Fatal(err)
	}
	if tiers.Limit() != nil || limited.Limit() == nil {
		t.Fatalf("limits %v and %v, want none and 1000", tiers.Limit(), limited.Limit())
	}
	var nilTiers *margin.Tiers
	x, err := num.Check(d("3456789.12"))
	if err != nil {
		t.Fatal(err)
	}
	neg, err := num.Check(d("-1"))
	if err != nil {
		t.Fatal(err)
	}
	var (
		n    int
		tier *margin.Tier
		lim  *apd.Decimal
		dec  num.Dec
		ok   bool
	)
	var rows []dectest.AllocCase
	for _, k := range []struct {
		name string
		fn   func() error
	}{
		{"Len", func() error { n = tiers.Len() + limited.Len(); return nil }},
		{"Len nil", func() error { n = nilTiers.Len(); return nil }},
		{"At", func() error { tier = tiers.At(tiers.Len() - 1); tier = limited.At(0); return nil }},
		{"Limit", func() error { lim = limited.Limit(); return nil }},
		{"Limit none", func() error { lim = tiers.Limit(); lim = nilTiers.Limit(); return nil }},
		{"TierNear no hint", func() error { var err error; n, err = tiers.TierNear(-1, x); return err }},
		{"TierNear hint", func() error { var err error; n, err = tiers.TierNear(3, x); return err }},
		{"TierDec", func() error { dec, _, _ = tiers.TierDec(2); return nil }},
		{"LimitDec", func() error { dec, ok = limited.LimitDec(); dec, ok = tiers.LimitDec(); return nil }},
	} {
		rows = append(rows, dectest.Succeeds(t, k.name, k.fn))
	}
	for _, k := range []struct {
		name string
		want error
		fn   func() error
	}{
		{"TierNear nil", margin.ErrNoTiers, func() error { _, err := nilTiers.TierNear(0, x); return err }},
		{"TierNear negative", margin.ErrNotional, func() error { _, err := tiers.TierNear(0, neg); return err }},
	} {
		rows = append(rows, dectest.Fails(t, k.name, k.want, k.fn))
	}
	_, _, _, _, _ = n, tier, lim, dec, ok
	return rows
}
