package margin_test

import (
	"errors"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/derivmath/derivmath/internal/num"
	"github.com/derivmath/derivmath/margin"
	"github.com/google/go-cmp/cmp"
)

// The expected values below are worked by hand; the comment on a row
// shows the arithmetic where it is not obvious.

var d = dectest.D

// steps2021 is BitMEX's published example schedule.
func steps2021() *margin.Steps {
	s := &margin.Steps{}
	s.BaseRiskLimit.Set(d("200"))
	s.Step.Set(d("150"))
	s.BaseMM.Set(d("0.005"))
	s.BaseIM.Set(d("0.01"))
	return s
}

// linearSpec is a BTCUSDT-like linear contract: m 1, lot 0.001.
func linearSpec(t testing.TB) *contract.Spec {
	t.Helper()
	s, err := contract.New(contract.Params{
		Symbol: "BTCUSDT", Kind: contract.Linear, Settle: "USDT",
		Multiplier: "1", Tick: "0.1", Lot: "0.001", Taker: "0.0005",
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestComputations(t *testing.T) {
	ctx := derivmath.NewContext()
	lin := linearSpec(t)
	xbt := contract.XBTUSD()
	tiers := margin.BTCUSDT()
	st := steps2021()
	limited := steps2021()
	limited.Limit.Set(d("500"))
	atBase := steps2021() // a limit may equal the base risk limit
	atBase.Limit.Set(d("200"))
	deribit := margin.DeribitBTC()
	split := margin.DeribitBTC() // slopes that differ: each rate takes its own
	split.IMSlope.Set(d("0.0001"))
	even := &margin.SizeLinear{} // BaseIM = BaseMM, slopes 0.1
	even.BaseIM.Set(d("0.5"))
	even.BaseMM.Set(d("0.5"))
	even.IMSlope.Set(d("0.1"))
	even.MMSlope.Set(d("0.1"))

	tests := []struct {
		name string
		want string
		fn   func(z *apd.Decimal) error
	}{
		// Initial margin and rates.
		{"Initial/1000@3x", "333.3333333333333333", func(z *apd.Decimal) error {
			return margin.Initial(ctx, z, d("1000"), d("3")) // 19 digits
		}},
		{"Initial/27.1125@10x", "2.71125", func(z *apd.Decimal) error {
			return margin.Initial(ctx, z, d("27.1125"), d("10"))
		}},
		{"IMR/3x", "0.3333333333333333333", func(z *apd.Decimal) error { return margin.IMR(ctx, z, d("3")) }},
		{"IMR/1x", "1", func(z *apd.Decimal) error { return margin.IMR(ctx, z, d("1")) }},
		{"Maintenance/cum", "1950", func(z *apd.Decimal) error { // 400000*0.005 - 50
			return margin.Maintenance(ctx, z, d("400000"), d("0.005"), d("50"))
		}},
		{"Maintenance/coin-m", "0.0016", func(z *apd.Decimal) error {
			return margin.Maintenance(ctx, z, d("0.4"), d("0.004"), d("0"))
		}},
		{"Cum/BTCUSDT tier 4", "11450", func(z *apd.Decimal) error { // 950 + 3e6*(0.01-0.0065)
			return margin.Cum(ctx, z, d("950"), d("3000000"), d("0.01"), d("0.0065"))
		}},
		// A tier may keep the rate of the tier below (NewTiers allows it):
		// the amount carries over, 950 + 3e6*0.
		{"Cum/same rate", "950", func(z *apd.Decimal) error {
			return margin.Cum(ctx, z, d("950"), d("3000000"), d("0.0065"), d("0.0065"))
		}},

		// Binance tiers.
		{"Tiers/0", "0", func(z *apd.Decimal) error { return tiers.Maintenance(ctx, z, d("0")) }},
		{"Tiers/below 50k", "199.9996", func(z *apd.Decimal) error { // 49999.9*0.004
			return tiers.Maintenance(ctx, z, d("49999.9"))
		}},
		{"Tiers/50k", "200", func(z *apd.Decimal) error { // 50000*0.005 - 50
			return tiers.Maintenance(ctx, z, d("50000"))
		}},
		{"Tiers/1M", "5550", func(z *apd.Decimal) error { // 1e6*0.0065 - 950
			return tiers.Maintenance(ctx, z, d("1000000"))
		}},
		{"Tiers/1.5B", "328518550", func(z *apd.Decimal) error { // 1.5e9*0.5 - 421481450
			return tiers.Maintenance(ctx, z, d("1500000000"))
		}},

		// BitMEX steps.
		{"Steps.Count/180", "0", func(z *apd.Decimal) error { return st.Count(ctx, z, d("180")) }},
		{"Steps.Count/200", "0", func(z *apd.Decimal) error { return st.Count(ctx, z, d("200")) }},
		{"Steps.Count/200.0001", "1", func(z *apd.Decimal) error { return st.Count(ctx, z, d("200.0001")) }},
		{"Steps.Count/350", "1", func(z *apd.Decimal) error { return st.Count(ctx, z, d("350")) }},
		{"Steps.Count/350.5", "2", func(z *apd.Decimal) error { return st.Count(ctx, z, d("350.5")) }},
		{"Steps.Count/649", "3", func(z *apd.Decimal) error { return st.Count(ctx, z, d("649")) }},
		{"Steps.MMR/649", "0.02", func(z *apd.Decimal) error { return st.MMR(ctx, z, d("649")) }},
		{"Steps.IMR/649", "0.025", func(z *apd.Decimal) error { return st.IMR(ctx, z, d("649")) }},
		{"Steps.Initial/230", "3.45", func(z *apd.Decimal) error { return st.Initial(ctx, z, d("230")) }},
		{"Steps.Maintenance/499", "7.485", func(z *apd.Decimal) error { return st.Maintenance(ctx, z, d("499")) }},
		{"Steps.MMR/at limit", "0.015", func(z *apd.Decimal) error { return limited.MMR(ctx, z, d("500")) }},
		{"Steps.MMR/limit at base", "0.005", func(z *apd.Decimal) error { return atBase.MMR(ctx, z, d("200")) }},
		// 29900 = 200 + 198*150: IMR 0.01 + 198*0.005 = 1 exactly, leverage
		// 1, which the schedule allows; MMR 0.005*199.
		{"Steps.IMR/1", "1", func(z *apd.Decimal) error { return st.IMR(ctx, z, d("29900")) }},
		{"Steps.MMR/at IMR 1", "0.995", func(z *apd.Decimal) error { return st.MMR(ctx, z, d("29900")) }},

		// Deribit size-linear.
		{"SizeLinear.IMR/short 25", "0.02125", func(z *apd.Decimal) error { return deribit.IMR(ctx, z, d("-25")) }},
		{"SizeLinear.MMR/0", "0.01", func(z *apd.Decimal) error { return deribit.MMR(ctx, z, d("0")) }},
		{"SizeLinear.IMR/19600", "1", func(z *apd.Decimal) error { return deribit.IMR(ctx, z, d("19600")) }},
		{"SizeLinear.IMR/own slope", "0.03", func(z *apd.Decimal) error { return split.IMR(ctx, z, d("100")) }},      // 0.02 + 100*0.0001
		{"SizeLinear.MMR/own slope", "0.015", func(z *apd.Decimal) error { return split.MMR(ctx, z, d("100")) }},     // 0.01 + 100*0.00005
		{"SizeLinear.MMR/BaseIM = BaseMM", "0.99", func(z *apd.Decimal) error { return even.MMR(ctx, z, d("4.9")) }}, // 0.5 + 4.9*0.1
		// 20 digits: size*slope = 0.61728394506172839455 rounds (half even)
		// to 19, 0.6172839450617283946, and adding 0.02 is then exact.
		{"SizeLinear.IMR/rounded", "0.6372839450617283946", func(z *apd.Decimal) error {
			return deribit.IMR(ctx, z, d("12345.678901234567891"))
		}},
		{"SizeLinear.Initial/10", "20500", func(z *apd.Decimal) error { // 1e6*(0.02+10*0.00005)
			return deribit.Initial(ctx, z, d("10"), d("1000000"))
		}},
		{"SizeLinear.Maintenance/10", "10500", func(z *apd.Decimal) error { // 1e6*0.0105
			return deribit.Maintenance(ctx, z, d("10"), d("1000000"))
		}},

		// Reserves.
		{"FeeToClose/linear long", "0.01464075", func(z *apd.Decimal) error { // 27.1125*0.9*0.0006
			return margin.FeeToClose(ctx, z, lin, d("75"), d("0.3615"), d("10"), d("0.0006"))
		}},
		{"FeeToClose/linear short", "0.01789425", func(z *apd.Decimal) error { // 27.1125*1.1*0.0006
			return margin.FeeToClose(ctx, z, lin, d("-75"), d("0.3615"), d("10"), d("0.0006"))
		}},
		{"FeeToClose/linear long, products rounded", "611.111106161111106", func(z *apd.Decimal) error {
			// taker*v*(lev - 1)/lev in that order, as documented:
			// 1234567.891234567891*0.00055*9/10 = 611.111106161111106045.
			return margin.FeeToClose(ctx, z, lin, d("1"), d("1234567.891234567891"), d("10"), d("0.00055"))
		}},
		{"FeeToClose/inverse long", "0.0000825", func(z *apd.Decimal) error { // 0.1*1.1*0.00075
			return margin.FeeToClose(ctx, z, xbt, d("1000"), d("10000"), d("10"), d("0.00075"))
		}},
		{"FeeToClose/inverse short", "0.0000675", func(z *apd.Decimal) error { // 0.1*0.9*0.00075
			return margin.FeeToClose(ctx, z, xbt, d("-1000"), d("10000"), d("10"), d("0.00075"))
		}},
		{"FeeToClose/inverse short 1x", "0", func(z *apd.Decimal) error { // never bankrupt
			return margin.FeeToClose(ctx, z, xbt, d("-1000"), d("10000"), d("1"), d("0.00075"))
		}},
		{"FundingReserve/long pays", "2.5426", func(z *apd.Decimal) error {
			return margin.FundingReserve(ctx, z, d("1"), d("25426"), d("0.0001"))
		}},
		{"FundingReserve/short receives", "0", func(z *apd.Decimal) error {
			return margin.FundingReserve(ctx, z, d("-1"), d("25426"), d("0.0001"))
		}},
		{"FundingReserve/short pays", "2.5426", func(z *apd.Decimal) error {
			return margin.FundingReserve(ctx, z, d("-1"), d("25426"), d("-0.0001"))
		}},
		{"FundingReserve/flat", "0", func(z *apd.Decimal) error {
			return margin.FundingReserve(ctx, z, d("0"), d("25426"), d("0.0001"))
		}},

		// Accounts.
		{"Position/bybit", "2.72589075", func(z *apd.Decimal) error {
			return margin.Position(ctx, z, d("27.1125"), d("10"), d("0.01464075"))
		}},
		{"Ratio", "0.1", func(z *apd.Decimal) error { return margin.Ratio(ctx, z, d("5"), d("50")) }},
		{"Ratio/third", "0.3333333333333333333", func(z *apd.Decimal) error { return margin.Ratio(ctx, z, d("1"), d("3")) }},
		{"Available", "20", func(z *apd.Decimal) error { return margin.Available(ctx, z, d("100"), d("-30"), d("50")) }},
		{"Available/deficit", "0", func(z *apd.Decimal) error { return margin.Available(ctx, z, d("100"), d("-30"), d("80")) }},
		{"Order/buy above ask", "9", func(z *apd.Decimal) error { // min(100, 90)*1/10
			return margin.Order(ctx, z, lin, d("0"), d("1"), d("100"), d("90"), d("10"))
		}},
		{"Order/buy below ask", "10", func(z *apd.Decimal) error {
			return margin.Order(ctx, z, lin, d("0"), d("1"), d("100"), d("110"), d("10"))
		}},
		{"Order/sell below bid", "11", func(z *apd.Decimal) error { // max(100, 110)/10
			return margin.Order(ctx, z, lin, d("0"), d("-1"), d("100"), d("110"), d("10"))
		}},
		{"Order/sell above bid", "10", func(z *apd.Decimal) error {
			return margin.Order(ctx, z, lin, d("0"), d("-1"), d("100"), d("90"), d("10"))
		}},
		{"Order/reducing", "0", func(z *apd.Decimal) error {
			return margin.Order(ctx, z, lin, d("2"), d("-1"), d("100"), d("0"), d("10"))
		}},
		{"Order/closing exactly", "0", func(z *apd.Decimal) error {
			return margin.Order(ctx, z, lin, d("-2"), d("2"), d("100"), d("0"), d("10"))
		}},
		{"Order/flipping", "10", func(z *apd.Decimal) error { // 1 of 3 opens a short
			return margin.Order(ctx, z, lin, d("2"), d("-3"), d("100"), d("0"), d("10"))
		}},
		{"Order/adding", "10", func(z *apd.Decimal) error {
			return margin.Order(ctx, z, lin, d("2"), d("1"), d("100"), d("0"), d("10"))
		}},
		{"Order/inverse", "0.01", func(z *apd.Decimal) error { // 1000/10000/10
			return margin.Order(ctx, z, xbt, d("0"), d("1000"), d("10000"), d("0"), d("10"))
		}},
		{"MaxQty", "0.2", func(z *apd.Decimal) error { // 1000*10/50000
			return margin.MaxQty(ctx, z, lin, d("1000"), d("50000"), d("10"), d("0"))
		}},
		{"MaxQty/taker", "0.199", func(z *apd.Decimal) error { // 10000/(50000*1.005) = 0.19900...
			return margin.MaxQty(ctx, z, lin, d("1000"), d("50000"), d("10"), d("0.0005"))
		}},
		{"MaxQty/thirds", "0.033", func(z *apd.Decimal) error {
			return margin.MaxQty(ctx, z, lin, d("1000"), d("30000"), d("1"), d("0"))
		}},
		{"MaxQty/zero balance", "0", func(z *apd.Decimal) error {
			return margin.MaxQty(ctx, z, lin, d("0"), d("50000"), d("10"), d("0"))
		}},
		{"MaxQty/deficit", "0", func(z *apd.Decimal) error {
			return margin.MaxQty(ctx, z, lin, d("-5"), d("50000"), d("10"), d("0"))
		}},
		{"MaxQty/inverse", "10000", func(z *apd.Decimal) error { // N/10000 <= 0.1*10
			return margin.MaxQty(ctx, z, xbt, d("0.1"), d("10000"), d("10"), d("0"))
		}},
		{"MaxQty/inverse taker", "9900", func(z *apd.Decimal) error { // 10000/1.0075 = 9925.6, lots of 100
			return margin.MaxQty(ctx, z, xbt, d("0.1"), d("10000"), d("10"), d("0.00075"))
		}},
		{"Tiers.MaxQty/100x", "11.999", func(z *apd.Decimal) error { // notional < 600000 at 50000
			return tiers.MaxQty(ctx, z, lin, d("10000"), d("50000"), d("100"), d("0"))
		}},
		{"Tiers.MaxQty/125x", "0.999", func(z *apd.Decimal) error { // notional < 50000
			return tiers.MaxQty(ctx, z, lin, d("10000"), d("50000"), d("125"), d("0"))
		}},
		{"Tiers.MaxQty/balance binds", "0.002", func(z *apd.Decimal) error { // 1*100/50000
			return tiers.MaxQty(ctx, z, lin, d("1"), d("50000"), d("100"), d("0"))
		}},
		{"Tiers.MaxQty/10x", "2", func(z *apd.Decimal) error { // balance binds before 230M
			return tiers.MaxQty(ctx, z, lin, d("10000"), d("50000"), d("10"), d("0"))
		}},
		{"Tiers.MaxQty/1x", "0.2", func(z *apd.Decimal) error { // every tier allows 1x
			return tiers.MaxQty(ctx, z, lin, d("10000"), d("50000"), d("1"), d("0"))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var z apd.Decimal
			z.SetFinite(-987654321, -3) // garbage: the result must not depend on it
			if err := tt.fn(&z); err != nil {
				t.Fatal(err)
			}
			if want := d(tt.want); z.Cmp(want) != 0 {
				t.Errorf("got %s, want %s", &z, tt.want)
			}
		})
	}
}

func TestBitMEXFields(t *testing.T) {
	ctx := derivmath.NewContext()
	tests := []struct {
		name                      string
		cost, cross, loss         string
		imr, mmr, comm, fund      string
		init, pcomm, maint, pmarg string
	}{
		// posInit = ceil(1e8*0.3333333333333333) = 33333334;
		// posComm = ceil(0.00075*133333334) = ceil(100000.0005) = 100001;
		// posMaint = ceil(0.005*1e8) + 100001 = 600001.
		{
			"3x float IMR", "-100000000", "0", "0", "0.3333333333333333", "0.005", "0.00075", "0",
			"33333334", "100001", "600001", "33433335",
		},
		// posComm = ceil(0.00075*(1e8+33333334+1000)) = ceil(100000.7505) = 100001;
		// posMargin = 33333334 + 100001 + 1000 - 500.
		{
			"cross and loss", "100000000", "1000", "500", "0.3333333333333333", "0.005", "0.00075", "0",
			"33333334", "100001", "600001", "33433835",
		},
		// A funding reserve of 2.5 XBt rounds up to 3.
		{
			"fractional funding reserve", "-25426", "0", "0", "1", "0.005", "0.00075", "2.5",
			"25426", "39", "170", "25465",
		},
		// 3*0.3333333333333333334 = 1.0000000000000000002 needs 20 digits:
		// rounded half-up to 19 it would be 1, whose ceiling is 1; the true
		// ceiling is 2.
		{
			"excess beyond the precision", "3", "0", "0", "0.3333333333333333334", "0", "0", "0",
			"2", "0", "0", "2",
		},
		// No commission, no maintenance.
		{
			"zero rates", "1000", "0", "0", "0.5", "0", "0", "0",
			"500", "0", "0", "500",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &margin.BitMEXPosition{}
			p.Cost.Set(d(tt.cost))
			p.Cross.Set(d(tt.cross))
			p.Loss.Set(d(tt.loss))
			p.InitMarginReq.Set(d(tt.imr))
			p.MaintMarginReq.Set(d(tt.mmr))
			p.Commission.Set(d(tt.comm))
			p.FundingReserve.Set(d(tt.fund))
			want := &margin.BitMEX{}
			want.Init.Set(d(tt.init))
			want.Comm.Set(d(tt.pcomm))
			want.Maint.Set(d(tt.maint))
			want.Margin.Set(d(tt.pmarg))
			var got margin.BitMEX
			if err := p.Margin(ctx, &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, &got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	ctx := derivmath.NewContext()
	lin := linearSpec(t)
	tiers := margin.BTCUSDT()
	var nilTiers *margin.Tiers
	limitedTiers, err := margin.NewTiers(tierRowsOf(t, [][4]string{{"0", "0.01", "20", "0"}}), d("1000"))
	if err != nil {
		t.Fatal(err)
	}
	st := steps2021()
	tweak := func(f func(s *margin.Steps)) *margin.Steps {
		s := steps2021()
		f(s)
		return s
	}
	limited := tweak(func(s *margin.Steps) { s.Limit.Set(d("500")) })
	wide := &margin.Steps{}
	wide.Step.Set(d("1"))
	wide.BaseMM.Set(d("0.5"))
	wide.BaseIM.Set(d("0.5"))
	deribit := margin.DeribitBTC()
	badSlope := margin.DeribitBTC()
	badSlope.MMSlope.Set(d("-0.00005"))
	sizeLinear := func(f func(s *margin.SizeLinear)) *margin.SizeLinear {
		s := margin.DeribitBTC()
		f(s)
		return s
	}
	noLot := &contract.Spec{Kind: contract.Linear}
	noLot.Multiplier.SetInt64(1)
	bitmex := func(f func(p *margin.BitMEXPosition)) func() error {
		p := &margin.BitMEXPosition{}
		p.Cost.Set(d("-25426"))
		p.InitMarginReq.Set(d("1"))
		p.MaintMarginReq.Set(d("0.005"))
		p.Commission.Set(d("0.00075"))
		f(p)
		return func() error {
			var z margin.BitMEX
			return p.Margin(ctx, &z)
		}
	}
	row := func(floor, mmr, lev, cum string) [4]string { return [4]string{floor, mmr, lev, cum} }
	newTiers := func(rows ...[4]string) func() error {
		return func() error {
			_, err := margin.NewTiers(tierRowsOf(t, rows), nil)
			return err
		}
	}
	var z apd.Decimal
	nan := &apd.Decimal{Form: apd.NaN}
	inf := &apd.Decimal{Form: apd.Infinite}

	tests := []struct {
		name string
		fn   func() error
		want error // nil: a *TierError
	}{
		{"Initial/negative value", func() error { return margin.Initial(ctx, &z, d("-1"), d("2")) }, margin.ErrNotional},
		{"Initial/leverage below 1", func() error { return margin.Initial(ctx, &z, d("1"), d("0.5")) }, derivmath.ErrLeverage},
		{"Initial/NaN", func() error { return margin.Initial(ctx, &z, nan, d("2")) }, derivmath.ErrNaN},
		{"IMR/leverage 0", func() error { return margin.IMR(ctx, &z, d("0")) }, derivmath.ErrLeverage},
		{"Maintenance/mmr 1", func() error { return margin.Maintenance(ctx, &z, d("1"), d("1"), d("0")) }, derivmath.ErrRate},
		{"Maintenance/negative mmr", func() error { return margin.Maintenance(ctx, &z, d("1"), d("-0.01"), d("0")) }, derivmath.ErrRate},
		{"Maintenance/negative cum", func() error { return margin.Maintenance(ctx, &z, d("1"), d("0.01"), d("-1")) }, margin.ErrAmount},
		{"Maintenance/negative value", func() error { return margin.Maintenance(ctx, &z, d("-1"), d("0.01"), d("0")) }, margin.ErrNotional},
		{"Maintenance/infinite", func() error { return margin.Maintenance(ctx, &z, inf, d("0.01"), d("0")) }, derivmath.ErrInfinite},
		{"Cum/decreasing rate", func() error { return margin.Cum(ctx, &z, d("0"), d("1"), d("0.01"), d("0.02")) }, margin.ErrTierRate},
		{"Cum/negative floor", func() error { return margin.Cum(ctx, &z, d("0"), d("-1"), d("0.02"), d("0.01")) }, margin.ErrNotional},
		{"Cum/negative prev", func() error { return margin.Cum(ctx, &z, d("-1"), d("1"), d("0.02"), d("0.01")) }, margin.ErrAmount},

		{"NewTiers/empty", newTiers(), margin.ErrNoTiers},
		{"NewTiers/first floor", newTiers(row("1", "0.01", "10", "0")), margin.ErrTierFloor},
		{"NewTiers/unsorted", newTiers(row("0", "0.01", "10", "0"), row("100", "0.02", "5", "1"), row("50", "0.03", "2", "1.5")), margin.ErrTierFloor},
		{"NewTiers/equal floors", newTiers(row("0", "0.01", "10", "0"), row("0", "0.02", "5", "0")), margin.ErrTierFloor},
		{"NewTiers/zero rate", newTiers(row("0", "0", "10", "0")), margin.ErrTierRate},
		{"NewTiers/rate 1", newTiers(row("0", "1", "10", "0")), margin.ErrTierRate},
		{"NewTiers/decreasing rate", newTiers(row("0", "0.02", "10", "0"), row("100", "0.01", "5", "-1")), margin.ErrTierRate},
		{"NewTiers/leverage below 1", newTiers(row("0", "0.01", "0.5", "0")), margin.ErrTierLeverage},
		{"NewTiers/negative leverage", newTiers(row("0", "0.01", "-10", "0")), margin.ErrTierLeverage},
		{"NewTiers/increasing leverage", newTiers(row("0", "0.01", "10", "0"), row("100", "0.02", "20", "1")), margin.ErrTierLeverage},
		{"NewTiers/first cum", newTiers(row("0", "0.01", "10", "1")), margin.ErrCum},
		{"NewTiers/tampered cum", newTiers(row("0", "0.01", "10", "0"), row("100", "0.02", "5", "1.01")), margin.ErrCum},
		{"NewTiers/NaN", func() error {
			rows := tierRowsOf(t, [][4]string{row("0", "0.01", "10", "0")})
			rows[0].MMR.Form = apd.NaN
			_, err := margin.NewTiers(rows, nil)
			return err
		}, derivmath.ErrNaN},
		{"NewTiers/limit", func() error {
			_, err := margin.NewTiers(tierRowsOf(t, [][4]string{row("0", "0.01", "10", "0"), row("100", "0.02", "5", "1")}), d("100"))
			return err
		}, margin.ErrLimit},
		{"NewTiers/recurrence beyond precision", newTiers(row("0", "0.01", "10", "0"),
			row("1234567890.123456789", "0.0100000000000000123", "5", "1")), derivmath.ErrRange},
		{"Flat/rate", func() error { _, err := margin.Flat(d("1.5"), d("10")); return err }, margin.ErrTierRate},
		{"Tiers.Lookup/nil", func() error { _, err := nilTiers.Lookup(d("1")); return err }, margin.ErrNoTiers},
		{"Tiers.Maintenance/nil", func() error { return nilTiers.Maintenance(ctx, &z, d("1")) }, margin.ErrNoTiers},
		{"Tiers.Lookup/negative", func() error { _, err := tiers.Lookup(d("-1")); return err }, margin.ErrNotional},
		{"Tiers.Lookup/at limit", func() error { _, err := limitedTiers.Lookup(d("1000")); return err }, nil},
		{"Tiers.Maintenance/beyond limit", func() error { return limitedTiers.Maintenance(ctx, &z, d("1e6")) }, nil},
		{"Tiers.CheckLeverage/above", func() error { return tiers.CheckLeverage(d("60000"), d("101")) }, margin.ErrAboveMaxLeverage},
		{"Tiers.CheckLeverage/below 1", func() error { return tiers.CheckLeverage(d("60000"), d("0.5")) }, derivmath.ErrLeverage},

		{"Steps/zero step", func() error { return tweak(func(s *margin.Steps) { s.Step.SetInt64(0) }).MMR(ctx, &z, d("1")) }, margin.ErrRiskLimit},
		{"Steps/negative base", func() error {
			return tweak(func(s *margin.Steps) { s.BaseRiskLimit.SetInt64(-1) }).MMR(ctx, &z, d("1"))
		}, margin.ErrRiskLimit},
		{"Steps/limit below base", func() error {
			return tweak(func(s *margin.Steps) { s.Limit.SetInt64(100) }).IMR(ctx, &z, d("1"))
		}, margin.ErrRiskLimit},
		{"Steps/zero MM", func() error { return tweak(func(s *margin.Steps) { s.BaseMM.SetInt64(0) }).Validate() }, derivmath.ErrRate},
		{"Steps/IM below MM", func() error { return tweak(func(s *margin.Steps) { s.BaseIM.Set(d("0.001")) }).Validate() }, derivmath.ErrRate},
		{"Steps/IM above 1", func() error { return tweak(func(s *margin.Steps) { s.BaseIM.Set(d("1.01")) }).Validate() }, derivmath.ErrRate},
		// MM 1 with IM 1, so that only MM < 1 can refuse it.
		{"Steps/MM 1", func() error {
			return tweak(func(s *margin.Steps) { s.BaseMM.SetInt64(1); s.BaseIM.SetInt64(1) }).Validate()
		}, derivmath.ErrRate},
		{"Steps/negative value", func() error { return st.Count(ctx, &z, d("-1")) }, margin.ErrNotional},
		{"Steps/above limit", func() error { return limited.Maintenance(ctx, &z, d("500.5")) }, nil},
		{"Steps/IMR above 1", func() error { return wide.Initial(ctx, &z, d("2")) }, nil},         // 0.5 + 2*0.5
		{"Steps/IMR just above 1", func() error { return st.IMR(ctx, &z, d("29900.0001")) }, nil}, // 199 steps: 1.005
		{"Steps.CheckLeverage/above", func() error { return st.CheckLeverage(ctx, d("230"), d("67")) }, margin.ErrAboveMaxLeverage},
		{"Steps.CheckLeverage/below 1", func() error { return st.CheckLeverage(ctx, d("230"), d("0.9")) }, derivmath.ErrLeverage},

		{"SizeLinear/negative slope", func() error { return badSlope.MMR(ctx, &z, d("1")) }, derivmath.ErrRate},
		{"SizeLinear/negative IM slope", func() error {
			return sizeLinear(func(s *margin.SizeLinear) { s.IMSlope.Set(d("-0.00005")) }).IMR(ctx, &z, d("1"))
		}, derivmath.ErrRate},
		// BaseIM = BaseMM = 0.5, slopes 0.1: at size 5 IMR is 1, which is
		// allowed, but MMR reaches 1 too.
		{"SizeLinear/MMR 1", func() error {
			return sizeLinear(func(s *margin.SizeLinear) {
				s.BaseIM.Set(d("0.5"))
				s.BaseMM.Set(d("0.5"))
				s.IMSlope.Set(d("0.1"))
				s.MMSlope.Set(d("0.1"))
			}).MMR(ctx, &z, d("5"))
		}, nil},
		// Zero MM with every other rule kept; MM 1 with IM 1 (IM >= MM, IM <= 1).
		{"SizeLinear/zero MM", func() error { return sizeLinear(func(s *margin.SizeLinear) { s.BaseMM.SetInt64(0) }).Validate() }, derivmath.ErrRate},
		{"SizeLinear/MM 1", func() error {
			return sizeLinear(func(s *margin.SizeLinear) { s.BaseMM.SetInt64(1); s.BaseIM.SetInt64(1) }).Validate()
		}, derivmath.ErrRate},
		{"SizeLinear/too large", func() error { return deribit.IMR(ctx, &z, d("19601")) }, nil},
		{"SizeLinear/negative value", func() error { return deribit.Initial(ctx, &z, d("1"), d("-1")) }, margin.ErrNotional},

		{"FeeToClose/negative taker", func() error {
			return margin.FeeToClose(ctx, &z, lin, d("1"), d("100"), d("10"), d("-0.0002"))
		}, derivmath.ErrRate},
		{"FeeToClose/taker 1", func() error { return margin.FeeToClose(ctx, &z, lin, d("1"), d("100"), d("10"), d("1")) }, derivmath.ErrRate},
		{"FeeToClose/leverage", func() error { return margin.FeeToClose(ctx, &z, lin, d("1"), d("100"), d("0"), d("0.0006")) }, derivmath.ErrLeverage},
		{"FeeToClose/zero entry", func() error { return margin.FeeToClose(ctx, &z, lin, d("1"), d("0"), d("10"), d("0.0006")) }, derivmath.ErrPrice},
		{"FundingReserve/rate 1", func() error { return margin.FundingReserve(ctx, &z, d("1"), d("1"), d("-1")) }, derivmath.ErrRate},
		{"FundingReserve/negative value", func() error { return margin.FundingReserve(ctx, &z, d("1"), d("-1"), d("0.0001")) }, margin.ErrNotional},

		{"BitMEX/fractional cost", bitmex(func(p *margin.BitMEXPosition) { p.Cost.Set(d("-0.00025426")) }), margin.ErrWhole},
		{"BitMEX/fractional loss", bitmex(func(p *margin.BitMEXPosition) { p.Loss.Set(d("0.5")) }), margin.ErrWhole},
		{"BitMEX/negative cross", bitmex(func(p *margin.BitMEXPosition) { p.Cross.Set(d("-1")) }), margin.ErrAmount},
		{"BitMEX/negative funding", bitmex(func(p *margin.BitMEXPosition) { p.FundingReserve.Set(d("-1")) }), margin.ErrAmount},
		{"BitMEX/zero IMR", bitmex(func(p *margin.BitMEXPosition) { p.InitMarginReq.SetInt64(0) }), derivmath.ErrRate},
		// Zero MMR too, so that MMR above IMR cannot be the rule refusing it.
		{"BitMEX/zero IMR and MMR", bitmex(func(p *margin.BitMEXPosition) {
			p.InitMarginReq.SetInt64(0)
			p.MaintMarginReq.SetInt64(0)
		}), derivmath.ErrRate},
		{"BitMEX/IMR above 1", bitmex(func(p *margin.BitMEXPosition) { p.InitMarginReq.Set(d("1.5")) }), derivmath.ErrRate},
		{"BitMEX/MMR above IMR", bitmex(func(p *margin.BitMEXPosition) { p.InitMarginReq.Set(d("0.004")) }), derivmath.ErrRate},
		{"BitMEX/negative commission", bitmex(func(p *margin.BitMEXPosition) { p.Commission.Set(d("-0.00025")) }), derivmath.ErrRate},
		{"BitMEX/beyond precision", bitmex(func(p *margin.BitMEXPosition) { p.Cost.Set(d("9999999999999999999")) }), derivmath.ErrRange},

		{"Position/negative reserve", func() error { return margin.Position(ctx, &z, d("1"), d("2"), d("-1")) }, margin.ErrAmount},
		{"Ratio/zero balance", func() error { return margin.Ratio(ctx, &z, d("1"), d("0")) }, margin.ErrBalance},
		{"Ratio/negative balance", func() error { return margin.Ratio(ctx, &z, d("1"), d("-1")) }, margin.ErrBalance},
		{"Ratio/negative maint", func() error { return margin.Ratio(ctx, &z, d("-1"), d("1")) }, margin.ErrAmount},
		{"Available/negative used", func() error { return margin.Available(ctx, &z, d("1"), d("0"), d("-1")) }, margin.ErrAmount},
		{"Order/zero qty", func() error { return margin.Order(ctx, &z, lin, d("0"), d("0"), d("100"), d("0"), d("10")) }, derivmath.ErrZeroQty},
		{"Order/zero limit", func() error { return margin.Order(ctx, &z, lin, d("0"), d("1"), d("0"), d("0"), d("10")) }, derivmath.ErrPrice},
		{"Order/negative best", func() error { return margin.Order(ctx, &z, lin, d("0"), d("1"), d("100"), d("-1"), d("10")) }, derivmath.ErrPrice},
		{"Order/leverage", func() error { return margin.Order(ctx, &z, lin, d("0"), d("1"), d("100"), d("0"), d("0.5")) }, derivmath.ErrLeverage},
		{"MaxQty/negative taker", func() error { return margin.MaxQty(ctx, &z, lin, d("1"), d("100"), d("10"), d("-0.1")) }, derivmath.ErrRate},
		{"MaxQty/zero price", func() error { return margin.MaxQty(ctx, &z, lin, d("1"), d("0"), d("10"), d("0")) }, derivmath.ErrPrice},
		{"MaxQty/no lot", func() error { return margin.MaxQty(ctx, &z, noLot, d("1"), d("100"), d("10"), d("0")) }, derivmath.ErrStep},
		{"Tiers.MaxQty/above first tier", func() error {
			return tiers.MaxQty(ctx, &z, lin, d("1"), d("100"), d("126"), d("0"))
		}, margin.ErrAboveMaxLeverage},
		{"Tiers.MaxQty/nil", func() error { return nilTiers.MaxQty(ctx, &z, lin, d("1"), d("100"), d("1"), d("0")) }, margin.ErrNoTiers},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.fn()
			if tt.want == nil {
				var te *margin.TierError
				if !errors.As(err, &te) {
					t.Fatalf("got %v, want a *TierError", err)
				}
				if te.Notional.IsZero() {
					t.Errorf("TierError without a notional: %v", te)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

// TestRateBounds: the closed ends of the documented rate ranges are
// accepted: Steps' and SizeLinear's BaseIM of 1, SizeLinear's slopes of 0,
// and BitMEX's InitMarginReq of 1 with a MaintMarginReq of 0.
func TestRateBounds(t *testing.T) {
	st := steps2021()
	st.BaseIM.SetInt64(1)
	if err := st.Validate(); err != nil {
		t.Errorf("Steps with BaseIM 1: %v", err)
	}
	sl := margin.DeribitBTC()
	sl.BaseIM.SetInt64(1)
	sl.IMSlope.SetInt64(0)
	sl.MMSlope.SetInt64(0)
	if err := sl.Validate(); err != nil {
		t.Errorf("SizeLinear with BaseIM 1 and slopes 0: %v", err)
	}
	p := &margin.BitMEXPosition{}
	p.Cost.Set(d("-25426"))
	p.InitMarginReq.SetInt64(1)
	var z margin.BitMEX
	if err := p.Margin(derivmath.NewContext(), &z); err != nil {
		t.Errorf("BitMEX with InitMarginReq 1, MaintMarginReq 0: %v", err)
	}
}

// TestScheduleEdges: the closed ends of Steps and SizeLinear that the
// tables above cannot show: a leverage of exactly 1/IMR is allowed, a
// SizeLinear BaseIM may equal its BaseMM, and the *TierError of a short
// beyond the schedule holds the absolute size, as documented.
func TestScheduleEdges(t *testing.T) {
	ctx := derivmath.NewContext()
	st := steps2021()
	if err := st.CheckLeverage(ctx, d("180"), d("100")); err != nil { // IMR 0.01
		t.Errorf("Steps.CheckLeverage(180, 100): %v", err)
	}
	if err := st.CheckLeverage(ctx, d("180"), d("100.0001")); !errors.Is(err, margin.ErrAboveMaxLeverage) {
		t.Errorf("Steps.CheckLeverage(180, 100.0001) = %v, want %v", err, margin.ErrAboveMaxLeverage)
	}
	sl := margin.DeribitBTC()
	sl.BaseIM.Set(&sl.BaseMM)
	if err := sl.Validate(); err != nil {
		t.Errorf("SizeLinear with BaseIM = BaseMM: %v", err)
	}
	var z apd.Decimal
	var te *margin.TierError
	if err := margin.DeribitBTC().IMR(ctx, &z, d("-19601")); !errors.As(err, &te) {
		t.Fatalf("SizeLinear.IMR(-19601) = %v, want a *TierError", err)
	}
	if te.Notional.Cmp(d("19601")) != 0 {
		t.Errorf("TierError.Notional = %s, want 19601", &te.Notional)
	}
}

// TestBitMEXErrorLeavesResult checks that a failed Margin leaves its
// result as it was.
func TestBitMEXErrorLeavesResult(t *testing.T) {
	ctx := derivmath.NewContext()
	p := &margin.BitMEXPosition{}
	p.Cost.Set(d("9999999999999999999"))
	p.InitMarginReq.SetInt64(1)
	p.Commission.Set(d("0.00075"))
	var z margin.BitMEX
	z.Init.SetInt64(1)
	z.Comm.SetInt64(2)
	z.Maint.SetInt64(3)
	z.Margin.SetInt64(4)
	if err := p.Margin(ctx, &z); err == nil {
		t.Fatal("no error")
	}
	want := &margin.BitMEX{}
	want.Init.SetInt64(1)
	want.Comm.SetInt64(2)
	want.Maint.SetInt64(3)
	want.Margin.SetInt64(4)
	if diff := cmp.Diff(want, &z); diff != "" {
		t.Errorf("result changed (-want +got):\n%s", diff)
	}
}

func tierRowsOf(t testing.TB, rows [][4]string) []margin.Tier {
	t.Helper()
	out := make([]margin.Tier, len(rows))
	for i, r := range rows {
		out[i].Floor.Set(dectest.MustParse(t, r[0]))
		out[i].MMR.Set(dectest.MustParse(t, r[1]))
		out[i].MaxLeverage.Set(dectest.MustParse(t, r[2]))
		out[i].Cum.Set(dectest.MustParse(t, r[3]))
	}
	return out
}

// TestEqual: each Equal method compares numerically and sees a change in
// any one field.
func TestEqual(t *testing.T) {
	tier := func() *margin.Tier {
		u := &margin.Tier{}
		u.Floor.Set(d("50000"))
		u.MMR.Set(d("0.005"))
		u.Cum.Set(d("50"))
		u.MaxLeverage.Set(d("100"))
		return u
	}
	ref := tier()
	same := tier()
	same.Floor.Set(d("50000.00"))
	if !ref.Equal(same) {
		t.Error("Tier: 50000 and 50000.00 differ")
	}
	for i := range 4 {
		u := tier()
		[]*apd.Decimal{&u.Floor, &u.MMR, &u.Cum, &u.MaxLeverage}[i].Set(d("7"))
		if ref.Equal(u) {
			t.Errorf("Tier: field %d changed, still equal", i)
		}
	}
	st := steps2021()
	for i := range 5 {
		u := steps2021()
		[]*apd.Decimal{&u.BaseRiskLimit, &u.Step, &u.BaseMM, &u.BaseIM, &u.Limit}[i].Set(d("7"))
		if st.Equal(u) {
			t.Errorf("Steps: field %d changed, still equal", i)
		}
	}
	dl := margin.DeribitBTC()
	for i := range 4 {
		u := margin.DeribitBTC()
		[]*apd.Decimal{&u.BaseIM, &u.BaseMM, &u.IMSlope, &u.MMSlope}[i].Set(d("7"))
		if dl.Equal(u) {
			t.Errorf("SizeLinear: field %d changed, still equal", i)
		}
	}
	var p margin.BitMEXPosition
	for i := range 7 {
		var u margin.BitMEXPosition
		[]*apd.Decimal{&u.Cost, &u.Cross, &u.Loss, &u.InitMarginReq, &u.MaintMarginReq, &u.Commission, &u.FundingReserve}[i].Set(d("7"))
		if p.Equal(&u) {
			t.Errorf("BitMEXPosition: field %d changed, still equal", i)
		}
	}
	var b margin.BitMEX
	for i := range 4 {
		var u margin.BitMEX
		[]*apd.Decimal{&u.Init, &u.Comm, &u.Maint, &u.Margin}[i].Set(d("7"))
		if b.Equal(&u) {
			t.Errorf("BitMEX: field %d changed, still equal", i)
		}
	}
}

// TestRowError checks that NewTiers names the first row at fault, and that
// the error still matches its sentinel.
func TestRowError(t *testing.T) {
	row := func(floor, mmr, lev, cum string) [4]string { return [4]string{floor, mmr, lev, cum} }
	for _, c := range []struct {
		rows [][4]string
		row  int
		want error
	}{
		{[][4]string{row("1", "0.01", "10", "0")}, 0, margin.ErrTierFloor},
		{[][4]string{row("0", "0.01", "10", "0"), row("100", "0.02", "5", "1"), row("50", "0.03", "2", "1.5")}, 2, margin.ErrTierFloor},
		{[][4]string{row("0", "0.01", "10", "0"), row("100", "0.02", "5", "1.01"), row("0", "0", "0", "0")}, 1, margin.ErrCum},
		{[][4]string{row("0", "0.01", "10", "0"), row("100", "0.02", "20", "1")}, 1, margin.ErrTierLeverage},
	} {
		_, err := margin.NewTiers(tierRowsOf(t, c.rows), nil)
		var re *margin.RowError
		if !errors.As(err, &re) || re.Row != c.row || !errors.Is(err, c.want) || err.Error() != c.want.Error() {
			t.Errorf("NewTiers: %v (row %+v), want %v at row %d", err, re, c.want, c.row)
		}
	}
}

// TestBitMEXFieldError checks that BitMEXPosition.Margin names the first
// field at fault, in the order of the struct, with a FieldError that still
// matches its sentinel and has its message; and that the errors of no field
// (a nil context, a result that does not fit) come without one.
func TestBitMEXFieldError(t *testing.T) {
	ctx := derivmath.NewContext()
	type fields struct{ cost, cross, loss, imr, mmr, comm, fund string }
	valid := fields{"-25426", "0", "0", "1", "0.005", "0.00075", "2"}
	for _, c := range []struct {
		edit  func(f *fields)
		field string
		want  error
	}{
		{func(f *fields) { f.cost = "25426.5" }, "Cost", margin.ErrWhole},
		{func(f *fields) { f.cost = "NaN" }, "Cost", derivmath.ErrNaN},
		{func(f *fields) { f.cross = "-1" }, "Cross", margin.ErrAmount},
		{func(f *fields) { f.cross = "0.5" }, "Cross", margin.ErrWhole},
		{func(f *fields) { f.loss = "-1" }, "Loss", margin.ErrAmount},
		{func(f *fields) { f.loss = "-0" }, "Loss", derivmath.ErrNegativeZero},
		{func(f *fields) { f.imr = "0" }, "InitMarginReq", derivmath.ErrRate},
		{func(f *fields) { f.imr = "1.5" }, "InitMarginReq", derivmath.ErrRate},
		{func(f *fields) { f.mmr = "-0.005" }, "MaintMarginReq", derivmath.ErrRate},
		{func(f *fields) { f.imr, f.mmr = "0.2", "0.25" }, "MaintMarginReq", derivmath.ErrRate},
		{func(f *fields) { f.comm = "-0.00025" }, "Commission", derivmath.ErrRate},
		{func(f *fields) { f.comm = "1" }, "Commission", derivmath.ErrRate},
		{func(f *fields) { f.fund = "-1" }, "FundingReserve", margin.ErrAmount},
		{func(f *fields) { f.fund = "Infinity" }, "FundingReserve", derivmath.ErrInfinite},
		// Several at fault: the first in the struct's order.
		{func(f *fields) { f.loss, f.cross = "-1", "-1" }, "Cross", margin.ErrAmount},
		{func(f *fields) { f.loss, f.cross = "0.5", "-1" }, "Cross", margin.ErrAmount},
		{func(f *fields) { f.imr, f.comm, f.fund = "0", "-1", "-1" }, "InitMarginReq", derivmath.ErrRate},
		{func(f *fields) { f.mmr, f.fund = "1", "-1" }, "MaintMarginReq", derivmath.ErrRate},
	} {
		f := valid
		c.edit(&f)
		p := &margin.BitMEXPosition{}
		for i, x := range []string{f.cost, f.cross, f.loss, f.imr, f.mmr, f.comm, f.fund} {
			[]*apd.Decimal{&p.Cost, &p.Cross, &p.Loss, &p.InitMarginReq, &p.MaintMarginReq, &p.Commission, &p.FundingReserve}[i].Set(d(x))
		}
		var z margin.BitMEX
		err := p.Margin(ctx, &z)
		var fe *margin.FieldError
		if !errors.As(err, &fe) || fe.Field != c.field || !errors.Is(err, c.want) || err.Error() != c.want.Error() {
			t.Errorf("%+v: %v (%+v), want %v naming %s", f, err, fe, c.want, c.field)
		}
	}
	// Every field from the i-th on at fault: the i-th, whatever order the
	// checks are in.
	names := []string{"Cost", "Cross", "Loss", "InitMarginReq", "MaintMarginReq", "Commission", "FundingReserve"}
	bad := []string{"0.5", "-1", "-1", "0", "-1", "1", "-1"}
	wants := []error{margin.ErrWhole, margin.ErrAmount, margin.ErrAmount, derivmath.ErrRate, derivmath.ErrRate, derivmath.ErrRate, margin.ErrAmount}
	for i := range names {
		x := []string{valid.cost, valid.cross, valid.loss, valid.imr, valid.mmr, valid.comm, valid.fund}
		copy(x[i:], bad[i:])
		p := &margin.BitMEXPosition{}
		for j, v := range x {
			[]*apd.Decimal{&p.Cost, &p.Cross, &p.Loss, &p.InitMarginReq, &p.MaintMarginReq, &p.Commission, &p.FundingReserve}[j].Set(d(v))
		}
		var z margin.BitMEX
		err := p.Margin(ctx, &z)
		var fe *margin.FieldError
		if !errors.As(err, &fe) || fe.Field != names[i] || !errors.Is(err, wants[i]) {
			t.Errorf("%v at fault: %v (%+v), want %v naming %s", x, err, fe, wants[i], names[i])
		}
	}
	p := &margin.BitMEXPosition{}
	p.Cost.Set(d("9999999999999999999")) // posComm does not fit in 19 digits
	p.InitMarginReq.SetInt64(1)
	p.Commission.Set(d("0.00075"))
	var z margin.BitMEX
	for _, c := range []struct {
		ctx  *apd.Context
		want error
	}{{nil, derivmath.ErrContext}, {ctx, derivmath.ErrRange}} {
		err := p.Margin(c.ctx, &z)
		var fe *margin.FieldError
		if !errors.Is(err, c.want) || errors.As(err, &fe) {
			t.Errorf("ctx %v: %v, want %v and no FieldError", c.ctx, err, c.want)
		}
	}
}

// TestMaxQtyNearPrecisionCases: inputs TestMaxQtyNearPrecision found, each
// answer checked by its oracle. At 10 digits one unit in the last place of
// v(N)*k is ten lots of XBTUSD: the answer is 5 lots above the estimate,
// where four steps up stopped one lot short with no error. The next two
// returned ErrRange for answers of fewer than 10^p lots; the last has 10^6
// lots at 5 digits: ErrRange, though 1000 has one digit.
func TestMaxQtyNearPrecisionCases(t *testing.T) {
	for _, c := range []struct {
		name                       string
		prec                       uint32
		rounding                   apd.Rounder
		spec                       *contract.Spec
		balance, price, lev, taker string
		want                       string
		err                        error
	}{
		{"stops short", 10, apd.RoundHalfEven, contract.XBTUSD(), "1.000000999E+12", "1", "1.00", "0.000001", "999999999500", nil},
		{"19 digits", 19, apd.RoundCeiling, contract.ETHUSD(), "225932983664970.532015591", "1029.037", "45.83", "0.000136", "9999999999999999504", nil},
		{"5 digits", 5, apd.RoundCeiling, contract.ETHUSD(), "0.000124858453857142857142857142", "0.0019", "1.05", "0.000010", "68994", nil},
		{"10^p lots", 5, apd.RoundHalfEven, contract.BTCUSDT(), "1000", "1", "1", "0", "", derivmath.ErrRange},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := apd.BaseContext.WithPrecision(c.prec)
			ctx.Rounding = c.rounding
			var z apd.Decimal
			err := margin.MaxQty(ctx, &z, c.spec, d(c.balance), d(c.price), d(c.lev), d(c.taker))
			if c.err != nil {
				if !errors.Is(err, c.err) {
					t.Fatalf("MaxQty = %s, %v; want %v", &z, err, c.err)
				}
				return
			}
			if err != nil || z.Cmp(d(c.want)) != 0 {
				t.Fatalf("MaxQty = %s, %v; want %s", &z, err, c.want)
			}
		})
	}
}

// TestNilContext: a nil context is derivmath.ErrContext, and z is left as
// it was.
func TestNilContext(t *testing.T) {
	z := d("7")
	if err := margin.Initial(nil, z, d("1000"), d("10")); !errors.Is(err, derivmath.ErrContext) || z.String() != "7" {
		t.Fatalf("Initial(nil context): %v, z = %s; want ErrContext and z unchanged", err, z)
	}
}

// TestZeroLimit: a zero limit, like nil, means no limit (NewTiers), not a
// bound at or below the first floor (ErrLimit).
func TestZeroLimit(t *testing.T) {
	tiers, err := margin.NewTiers(tierRowsOf(t, [][4]string{{"0", "0.01", "20", "0"}}), d("0"))
	if err != nil {
		t.Fatalf("NewTiers with a zero limit: %v", err)
	}
	if l := tiers.Limit(); l != nil {
		t.Errorf("Limit = %s, want nil", l.String())
	}
	if _, err := tiers.Lookup(d("1e30")); err != nil {
		t.Errorf("Lookup(1e30) with no limit: %v", err)
	}
}

// TestBitMEXNeverLiquidates: the rule is an isolated inverse short at a
// leverage above 0 and at most 1, and each of its conditions (mode, kind,
// side, the leverage's bounds) decides alone; BitMEXNeverLiquidatesDec,
// which package account calls, gives the same answer on loaded values.
func TestBitMEXNeverLiquidates(t *testing.T) {
	for _, c := range []struct {
		name          string
		kind          contract.Kind
		qty, leverage string
		isolated      bool
		want          bool
	}{
		{"short 1x", contract.Inverse, "-100", "1", true, true},
		{"short 1.00x", contract.Inverse, "-100", "1.00", true, true},
		{"short 0.5x", contract.Inverse, "-0.001", "0.5", true, true},
		{"short just above 1x", contract.Inverse, "-100", "1.000000000000000001", true, false},
		{"short 2x", contract.Inverse, "-100", "2", true, false},
		{"short, no leverage", contract.Inverse, "-100", "0", true, false},
		{"cross short 1x", contract.Inverse, "-100", "1", false, false},
		{"long 1x", contract.Inverse, "100", "1", true, false},
		{"flat 1x", contract.Inverse, "0", "1", true, false},
		{"linear short 1x", contract.Linear, "-100", "1", true, false},
		{"quanto short 1x", contract.Quanto, "-100", "1", true, false},
	} {
		got, err := margin.BitMEXNeverLiquidates(c.kind, d(c.qty), d(c.leverage), c.isolated)
		if err != nil || got != c.want {
			t.Errorf("%s: %v, %v; want %v, nil", c.name, got, err, c.want)
		}
		if got := margin.BitMEXNeverLiquidatesDec(c.kind, num.Load(d(c.qty)), num.Load(d(c.leverage)), c.isolated); got != c.want {
			t.Errorf("%s: Dec %v; want %v", c.name, got, c.want)
		}
	}
	nan := new(apd.Decimal)
	nan.Form = apd.NaN
	for _, c := range []struct {
		name          string
		qty, leverage *apd.Decimal
		want          error
	}{
		{"NaN qty", nan, d("1"), derivmath.ErrNaN},
		{"NaN leverage", d("-100"), nan, derivmath.ErrNaN},
		{"negative leverage", d("-100"), d("-1"), derivmath.ErrLeverage},
	} {
		got, err := margin.BitMEXNeverLiquidates(contract.Inverse, c.qty, c.leverage, true)
		if got || !errors.Is(err, c.want) {
			t.Errorf("%s: %v, %v; want false, %v", c.name, got, err, c.want)
		}
	}
}
