package engine_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/engine"
	"github.com/derivmath/derivmath/funding"
	"github.com/derivmath/derivmath/internal/dectest"
	"pgregory.net/rapid"
)

// pct draws a fraction n/100 with n in [lo, hi].
func pct(t *rapid.T, lo, hi int, label string) *apd.Decimal {
	return apd.New(int64(rapid.IntRange(lo, hi).Draw(t, label)), -2)
}

// bitmexValues returns the values (vMark, vEntry, vBankrupt) of a position
// with |V(EP)| = 100 whose PNL% is pnl and whose effective leverage is
// lev: vMark = vEntry + 100*pnl and vBankrupt = vMark - |vMark|/lev.
func bitmexValues(t *rapid.T, short bool, pnl, lev *apd.Decimal) (vm, ve, vb *apd.Decimal) {
	ctx := derivmath.NewContext()
	vm, ve, vb = new(apd.Decimal), apd.New(100, 0), new(apd.Decimal)
	if short {
		ve.Neg(ve)
	}
	var d, eq apd.Decimal
	_, _ = ctx.Mul(&d, apd.New(100, 0), pnl)
	_, _ = ctx.Add(vm, ve, &d)
	eq.Abs(vm)
	if _, err := ctx.Quo(&eq, &eq, lev); err != nil {
		t.Fatal(err)
	}
	_, _ = ctx.Sub(vb, vm, &eq)
	return vm, ve, vb
}

func scoreOf(t *rapid.T, short bool, pnl, lev *apd.Decimal) *apd.Decimal {
	vm, ve, vb := bitmexValues(t, short, pnl, lev)
	return scoreBitMEX(t, vm, ve, vb)
}

func scoreBitMEX(t *rapid.T, vm, ve, vb *apd.Decimal) *apd.Decimal {
	var z apd.Decimal
	if err := engine.ScoreBitMEX(derivmath.NewContext(), &z, vm, ve, vb); err != nil {
		t.Fatalf("ScoreBitMEX(%s, %s, %s): %v", vm.String(), ve.String(), vb.String(), err)
	}
	return &z
}

// TestScoreBitMEXOrder checks the order of BitMEX's ADL score
// (bitmex.com/app/autoDeleveraging): it rises with PNL% at a fixed
// effective leverage and with the leverage at a fixed PNL% != 0, any
// profit outranks any loss, a long and a short with the same PNL% and
// leverage score the same (up to the last digit), and so do the values
// scaled by k > 0.
func TestScoreBitMEXOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		short := rapid.Bool().Draw(t, "short")
		p1 := pct(t, -90, 90, "pnl1")
		p2 := pct(t, -90, 90, "pnl2")
		l1 := pct(t, 101, 10000, "lev1")
		l2 := pct(t, 101, 10000, "lev2")
		if p1.Cmp(p2) > 0 {
			p1, p2 = p2, p1
		}
		if l1.Cmp(l2) > 0 {
			l1, l2 = l2, l1
		}
		if short && p2.Cmp(apd.New(1, 0)) >= 0 {
			t.Skip("a short cannot gain 100%")
		}
		s11 := scoreOf(t, short, p1, l1)
		s21 := scoreOf(t, short, p2, l1)
		s12 := scoreOf(t, short, p1, l2)
		if p1.Cmp(p2) < 0 && s11.Cmp(s21) >= 0 {
			t.Fatalf("PNL%% %s < %s at leverage %s, but score %s >= %s", p1, p2, l1, s11, s21)
		}
		if !p1.IsZero() && l1.Cmp(l2) < 0 && s11.Cmp(s12) >= 0 {
			t.Fatalf("leverage %s < %s at PNL%% %s, but score %s >= %s", l1, l2, p1, s11, s12)
		}
		if p1.Negative && p2.Sign() > 0 {
			// Any profit outranks any loss, whatever the leverages.
			if lo, hi := scoreOf(t, short, p1, l2), scoreOf(t, short, p2, l1); lo.Cmp(hi) >= 0 {
				t.Fatalf("loss %s scores %s >= profit %s's %s", p1, lo, p2, hi)
			}
		}
		// Long/short mirroring: the same PNL% and leverage score alike.
		if p1.Cmp(apd.New(1, 0)) < 0 {
			other := scoreOf(t, !short, p1, l1)
			if !dectest.Rel(other, s11, "1e-15") {
				t.Fatalf("mirror: %s vs %s", other, s11)
			}
		}
		// Scaling Q and margin by k scales every value by k.
		k := apd.New(int64(rapid.IntRange(1, 1000).Draw(t, "k")), -int32(rapid.IntRange(0, 3).Draw(t, "kexp")))
		vm, ve, vb := bitmexValues(t, short, p1, l1)
		ctx := derivmath.NewContext()
		for _, v := range []*apd.Decimal{vm, ve, vb} {
			if c, _ := ctx.Mul(v, v, k); c.Inexact() {
				t.Skip("inexact scaling")
			}
		}
		if got := scoreBitMEX(t, vm, ve, vb); !dectest.Rel(got, s11, "1e-17") {
			t.Fatalf("scaled by %s: %s vs %s", k, got, s11)
		}
	})
}

// TestScoreBinanceOrder checks the order of Binance's ADL score: 0 when uPnL <= 0,
// non-decreasing in uPnL when the wallet is positive.
func TestScoreBinanceOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := derivmath.NewContext()
		u1 := apd.New(int64(rapid.IntRange(-10000, 10000).Draw(t, "upnl1")), -2)
		u2 := apd.New(int64(rapid.IntRange(-10000, 10000).Draw(t, "upnl2")), -2)
		if u1.Cmp(u2) > 0 {
			u1, u2 = u2, u1
		}
		w := apd.New(int64(rapid.IntRange(1, 100000).Draw(t, "wallet")), -2)
		mm := apd.New(int64(rapid.IntRange(0, 10000).Draw(t, "mm")), -2)
		floor := rapid.Bool().Draw(t, "floor")
		var s1, s2 apd.Decimal
		if err := engine.ScoreBinance(ctx, &s1, u1, w, mm, floor); err != nil {
			t.Fatal(err)
		}
		if err := engine.ScoreBinance(ctx, &s2, u2, w, mm, floor); err != nil {
			t.Fatal(err)
		}
		if u1.Sign() <= 0 && !s1.IsZero() {
			t.Fatalf("uPnL %s <= 0 scores %s", u1, s1.String())
		}
		if s1.Cmp(&s2) > 0 {
			t.Fatalf("uPnL %s < %s but score %s > %s", u1, u2, s1.String(), s2.String())
		}
	})
}

// TestScoreBinanceNoEquity: the margin-ratio factor is 0 when wallet +
// uPnL <= 0, as documented, so with the wallet's floor a profitable
// position whose equity is exactly 0 or below scores 0 (and is not divided
// by that equity).
func TestScoreBinanceNoEquity(t *testing.T) {
	for _, wallet := range []string{"-5", "-7"} {
		z := d("9")
		if err := engine.ScoreBinance(derivmath.NewContext(), z, d("5"), d(wallet), d("1"), true); err != nil || !z.IsZero() {
			t.Errorf("uPnL 5, wallet %s: %s, %v; want 0", wallet, z.String(), err)
		}
	}
}

// TestScoreHyperliquidOrder checks the order of Hyperliquid's ADL score: it
// rises with MP/EP and with the notional, and falls as the account value
// rises.
func TestScoreHyperliquidOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := derivmath.NewContext()
		draw := func(label string) *apd.Decimal {
			return apd.New(int64(rapid.IntRange(1, 1_000_000).Draw(t, label)), -2)
		}
		mp, ep, n, a := draw("mark"), draw("entry"), draw("notional"), draw("account")
		score := func(mp, ep, n, a *apd.Decimal) *apd.Decimal {
			var z apd.Decimal
			if err := engine.ScoreHyperliquid(ctx, &z, mp, ep, n, a); err != nil {
				t.Fatal(err)
			}
			return &z
		}
		s := score(mp, ep, n, a)
		var more apd.Decimal
		_, _ = ctx.Add(&more, apd.New(1, -2), draw("more"))
		up := func(x *apd.Decimal) *apd.Decimal {
			var y apd.Decimal
			_, _ = ctx.Add(&y, x, &more)
			return &y
		}
		if score(up(mp), ep, n, a).Cmp(s) <= 0 {
			t.Fatalf("a higher mark did not raise the score")
		}
		if score(mp, ep, up(n), a).Cmp(s) <= 0 {
			t.Fatalf("a higher notional did not raise the score")
		}
		if score(mp, up(ep), n, a).Cmp(s) >= 0 {
			t.Fatalf("a higher entry (lower MP/EP) did not lower the score")
		}
		if score(mp, ep, n, up(a)).Cmp(s) >= 0 {
			t.Fatalf("a higher account value did not lower the score")
		}
	})
}

// TestMarkMedian checks that Binance's mark is one of Price1 (the fair
// price), Price2 (index + basis) and Last: their median, whatever their
// order.
func TestMarkMedian(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := derivmath.NewContext()
		var in engine.MarkInputs
		in.Index.Set(apd.New(int64(rapid.IntRange(100, 10_000_000).Draw(t, "index")), -2))
		in.Rate.Set(apd.New(int64(rapid.IntRange(-300, 300).Draw(t, "rate")), -5))
		in.Basis.Set(apd.New(int64(rapid.IntRange(-5000, 5000).Draw(t, "basis")), -2))
		in.Last.Set(apd.New(int64(rapid.IntRange(100, 10_000_000).Draw(t, "last")), -2))
		in.Interval = time.Duration(rapid.SampledFrom([]int{1, 2, 4, 8}).Draw(t, "hours")) * time.Hour
		in.Until = time.Duration(rapid.Int64Range(0, int64(in.Interval/time.Second)).Draw(t, "until")) * time.Second
		var z, p1, p2 apd.Decimal
		if _, err := ctx.Add(&p2, &in.Index, &in.Basis); err != nil || p2.Sign() <= 0 {
			t.Skip("price 2 not positive")
		}
		if err := engine.Mark(ctx, &z, engine.PresetBinance(), &in); err != nil {
			t.Fatal(err)
		}
		if err := funding.FairPrice(ctx, &p1, &in.Index, &in.Rate, in.Until, in.Interval); err != nil {
			t.Fatal(err)
		}
		prices := []*apd.Decimal{&p1, &p2, &in.Last}
		slices.SortFunc(prices, func(a, b *apd.Decimal) int { return a.Cmp(b) })
		if z.Cmp(prices[1]) != 0 {
			t.Fatalf("mark %s, want the median of %s, %s, %s", z.String(), prices[0], prices[1], prices[2])
		}
	})
}

// TestFillableBounds checks dYdX v4's fillable price for one position: it
// lies between the oracle P_o and P_o*(1 - s*SMMR*MMF) (BA 1), moves
// away from the oracle as TNC falls, and reaches the full spread at
// TNC <= 0.
func TestFillableBounds(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := derivmath.NewContext()
		oracle := apd.New(int64(rapid.IntRange(100, 10_000_000).Draw(t, "oracle")), -2)
		size := apd.New(int64(rapid.IntRange(1, 100_000).Draw(t, "size")), -3)
		if rapid.Bool().Draw(t, "short") {
			size.Neg(size)
		}
		mmf := pct(t, 1, 20, "mmf")
		smmr := pct(t, 0, 150, "smmr")
		var pnnv, pmmr, abs apd.Decimal
		_, _ = ctx.Mul(&pnnv, size, oracle)
		abs.Abs(&pnnv)
		_, _ = ctx.Mul(&pmmr, &abs, mmf)
		tnc1 := apd.New(int64(rapid.IntRange(-1000, 1000).Draw(t, "tnc1")), -2)
		tnc2 := apd.New(int64(rapid.IntRange(-1000, 1000).Draw(t, "tnc2")), -2)
		_, _ = ctx.Mul(tnc1, tnc1, &pmmr) // as fractions of TMMR
		_, _ = ctx.Mul(tnc2, tnc2, &pmmr)
		if tnc1.Cmp(tnc2) > 0 {
			tnc1, tnc2 = tnc2, tnc1
		}
		one := apd.New(1, 0)
		fillable := func(tnc *apd.Decimal) *apd.Decimal {
			var z apd.Decimal
			err := engine.Fillable(ctx, &z, &pnnv, &pmmr, size, tnc, &pmmr, one, smmr)
			if err != nil {
				t.Skipf("fillable: %v", err) // a spread of 100% or more
			}
			return &z
		}
		// The far end: oracle*(1 - s*smmr*mmf).
		var far apd.Decimal
		_, _ = ctx.Mul(&far, smmr, mmf)
		if !size.Negative {
			far.Neg(&far)
		}
		_, _ = ctx.Add(&far, &far, one)
		_, _ = ctx.Mul(&far, &far, oracle)
		f1, f2 := fillable(tnc1), fillable(tnc2)
		within := func(f *apd.Decimal) bool {
			lo, hi := &far, oracle
			if size.Negative {
				lo, hi = oracle, &far
			}
			return f.Cmp(lo) >= 0 && f.Cmp(hi) <= 0
		}
		if !within(f1) || !within(f2) {
			t.Fatalf("fillable %s or %s outside [%s, %s]", f1, f2, oracle, far.String())
		}
		// Lower TNC: farther from the oracle (or as far).
		var d1, d2 apd.Decimal
		_, _ = ctx.Sub(&d1, f1, oracle)
		_, _ = ctx.Sub(&d2, f2, oracle)
		d1.Abs(&d1)
		d2.Abs(&d2)
		if d1.Cmp(&d2) < 0 {
			t.Fatalf("TNC %s < %s but fillable %s nearer the oracle than %s", tnc1, tnc2, f1, f2)
		}
		if tnc1.Sign() <= 0 && !dectest.Rel(f1, &far, "1e-17") {
			t.Fatalf("TNC %s <= 0: fillable %s, want the full spread %s", tnc1, f1, far.String())
		}
	})
}

// TestBinanceWholeMarginLost checks that at Binance a liquidated account
// whose maintenance rate is below the clearance fee rate r_liq loses its
// whole margin, when its closing fills are no better than the mark.
func TestBinanceWholeMarginLost(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := engine.PresetBinance()
		p.Partial, p.RiskLimits = engine.PartialNone, nil
		p.ClearanceFee.Set(pct(t, 1, 5, "rliq"))
		s := linear(t, "0.01", "1", "0.01")
		st := state(t, s, p)
		entry := rapid.IntRange(100, 100000).Draw(t, "entry")
		noErr(t, st.SetMark(apd.New(int64(entry), 0)))
		add(t, st, trader(t, s, "100000000", "", "0", "0", "0")) // the street
		q := rapid.IntRange(1, 100).Draw(t, "qty")
		lev := rapid.IntRange(2, 125).Draw(t, "lev")
		ctx := derivmath.NewContext()
		var margin apd.Decimal
		_, _ = ctx.Mul(&margin, apd.New(int64(q), 0), apd.New(int64(entry), 0))
		_, _ = ctx.Quo(&margin, &margin, apd.New(int64(lev), 0))
		_ = derivmath.Round(ctx, &margin, &margin, &s.Minor, derivmath.Ceiling)
		mmr := apd.New(int64(rapid.IntRange(1, 99).Draw(t, "mmr")), -4) // below r_liq >= 1%
		side := 1
		if rapid.Bool().Draw(t, "short") {
			side = -1
		}
		i := add(t, st, trader(t, s, "0", margin.String(), fmt.Sprint(side*q), fmt.Sprint(entry), mmr.String()))
		add(t, st, trader(t, s, "100000000", "", fmt.Sprint(-side*q), fmt.Sprint(entry), "0"))
		// A mark between the liquidation and bankruptcy prices: at a
		// distance d from the entry, between
		// dL = (margin/q - MMR*entry)/(1 - MMR) and dB = margin/q.
		var db, dl, d, mark apd.Decimal
		e := apd.New(int64(entry), 0)
		_, _ = ctx.Quo(&db, &margin, apd.New(int64(q), 0))
		_, _ = ctx.Mul(&dl, mmr, e)
		_, _ = ctx.Sub(&dl, &db, &dl)
		var one1 apd.Decimal
		_, _ = ctx.Sub(&one1, apd.New(1, 0), mmr)
		_, _ = ctx.Quo(&dl, &dl, &one1)
		_, _ = ctx.Sub(&d, &db, &dl)
		_, _ = ctx.Mul(&d, &d, pct(t, 0, 100, "between"))
		_, _ = ctx.Add(&d, &d, &dl)
		if side > 0 {
			_, _ = ctx.Sub(&mark, e, &d)
		} else {
			_, _ = ctx.Add(&mark, e, &d)
		}
		_ = derivmath.Round(ctx, &mark, &mark, &s.Tick, derivmath.HalfEven)
		noErr(t, st.SetMark(&mark))
		_, liq, err := st.Trigger(nil, i)
		noErr(t, err)
		if !liq {
			t.Skip("not liquidatable at this mark")
		}
		_, id, err := st.Takeover(nil, i)
		noErr(t, err)
		in := st.Intent(id)
		// A fill between the limit (the bankruptcy price) and the mark.
		if (side > 0) != (in.Limit.Cmp(&mark) <= 0) {
			t.Skip("the mark is past the bankruptcy price")
		}
		var px apd.Decimal
		frac := pct(t, 0, 100, "where")
		_, _ = ctx.Sub(&px, &mark, &in.Limit)
		_, _ = ctx.Mul(&px, &px, frac)
		_, _ = ctx.Add(&px, &px, &in.Limit)
		r := derivmath.Ceiling // a sell at or above its limit
		if side < 0 {
			r = derivmath.Floor
		}
		_ = derivmath.Round(ctx, &px, &px, &s.Tick, r)
		f := []engine.Fill{{Maker: 0}}
		f[0].Qty.Set(&in.Qty)
		f[0].Price.Set(&px)
		if _, err := st.Execute(nil, id, f); err != nil {
			t.Fatal(err)
		}
		if m := &st.Trader(i).Margin; !m.IsZero() {
			t.Fatalf("MMR %s < r_liq %s, fill %s (mark %s): margin %s left", mmr, p.ClearanceFee.String(), px.String(), mark.String(), m.String())
		}
	})
}

// TestClawbackRateIsSocialise ties ClawbackRate to the charges
// State.Socialise makes under Clawback with SplitProRata: a long of 10 at
// 100 with a drawn margin closes at the mark of 90, leaving the fund a
// drawn deficit, and one to four shorts with drawn sizes and entries
// (on a minor unit of 0.01 or 0.0001) are the winners. Each is charged
// p*rate rounded up to the minor unit, p its profit rounded down to the
// minor unit, rate ClawbackRate(deficit + c, c, Σp) for a drawn cover c,
// at 50 digits rounded toward zero, as ClawbackRate's godoc documents
// (the rate capped at 1 keeps the charge within p): 50 digits is
// more than these profits need (p times the rate's error stays below the
// charge's distance to the minor unit below), and every product and
// quotient here fits the engine's context. A rate rounded up (or first,
// as Socialise once did), a charge rounded down, the cover's sign or a
// rate left uncapped fails it.
func TestClawbackRateIsSocialise(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		minor := rapid.SampledFrom([]string{"0.01", "0.0001"}).Draw(t, "minor")
		s := linear(t, "0.01", "1", minor)
		p := engine.PresetDeribit()
		p.OrderPrice, p.Split = engine.AtMarket, engine.SplitProRata
		st := state(t, s, p)
		var err error
		unit := int32(-2)
		if minor == "0.0001" {
			unit = -4
		}
		noErr(t, st.SetMark(d("100")))
		mk := add(t, st, trader(t, s, "1000000", "", "0", "0", "0.005"))
		margin := apd.New(int64(rapid.IntRange(-2000000, 9000).Draw(t, "margin")), -2)
		long := add(t, st, trader(t, s, "0", margin.String(), "10", "100", "0.005"))
		n := rapid.IntRange(1, 4).Draw(t, "winners")
		w := make([]int, n)
		before := make([]apd.Decimal, n)
		for k := range w {
			q := -rapid.IntRange(1, 50).Draw(t, "qty")
			e := apd.New(int64(rapid.IntRange(9001, 20000).Draw(t, "entry")), -2)
			if unit == -4 {
				e = apd.New(int64(rapid.IntRange(900001, 2000000).Draw(t, "entry")), -4)
			}
			w[k] = add(t, st, trader(t, s, "100000", "", fmt.Sprint(q), e.String(), "0.005"))
			before[k].Set(&st.Trader(w[k]).Wallet)
		}
		noErr(t, st.SetMark(d("90")))
		ev, id := takeover(t, st, nil, long)
		if ev, err = st.Execute(ev, id, []engine.Fill{fill("10", "90", mk)}); err != nil {
			t.Fatal(err)
		}
		var loss, profits apd.Decimal
		st.FundBalance(&loss)
		loss.Neg(&loss)
		wide := apd.BaseContext.WithPrecision(50)
		p50 := make([]apd.Decimal, n)
		for k, j := range w {
			tr := st.Trader(j)
			var v apd.Decimal
			_ = s.Value(wide, &v, &tr.Qty, d("90"))
			v.Neg(&v) // a linear short's value is negative
			_, _ = wide.Sub(&p50[k], &tr.Cost, &v)
			p50[k].Neg(&p50[k])
			noErr(t, derivmath.Round(wide, &p50[k], &p50[k], &s.Minor, derivmath.Down))
			_, _ = apd.BaseContext.Add(&profits, &profits, &p50[k])
		}
		if _, err := st.Socialise(ev); err != nil {
			t.Fatal(err)
		}
		if loss.Sign() <= 0 {
			return
		}
		down := apd.BaseContext.WithPrecision(50)
		down.Rounding = apd.RoundDown
		up := apd.BaseContext.WithPrecision(50)
		up.Rounding = apd.RoundCeiling
		// The deficit as a drawn loss less a drawn cover.
		var cover, total, rate apd.Decimal
		cover.Set(apd.New(int64(rapid.IntRange(0, 1000000).Draw(t, "cover")), unit))
		_, _ = apd.BaseContext.Add(&total, &loss, &cover)
		noErr(t, engine.ClawbackRate(down, &rate, &total, &cover, &profits))
		for k, j := range w {
			var got, want apd.Decimal
			_, _ = wide.Sub(&got, &before[k], &st.Trader(j).Wallet)
			// Rounded up to 50 digits first (the result gate's), then to
			// the minor unit: the same as rounding the product once.
			_, _ = up.Mul(&want, &p50[k], &rate)
			noErr(t, derivmath.Round(wide, &want, &want, &s.Minor, derivmath.Ceiling))
			if got.Cmp(&want) != 0 {
				t.Fatalf("winner %d of profit %s charged %s; ClawbackRate %s (loss %s, profits %s) gives %s",
					k, p50[k].String(), got.String(), rate.String(), loss.String(), profits.String(), want.String())
			}
		}
	})
}
