package margin_test

import (
	"errors"
	"fmt"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/margin"
)

// A Bybit XRPUSDT long of 75 at 0.3615, 10x, taker 0.06%, MMR 1%: its
// initial and maintenance margin both carry the fee to close.
func Example() {
	ctx := derivmath.NewContext()
	xrp, err := contract.New(contract.Params{
		Symbol: "XRPUSDT", Kind: contract.Linear, Settle: "USDT",
		Multiplier: "1", Tick: "0.0001", Lot: "1", Taker: "0.0006",
	})
	if err != nil {
		panic(err)
	}
	qty, entry, lev := apd.New(75, 0), apd.New(3615, -4), apd.New(10, 0)

	var value, fee, im, mm apd.Decimal
	if err := xrp.Value(ctx, &value, qty, entry); err != nil {
		panic(err)
	}
	if err := margin.FeeToClose(ctx, &fee, xrp, qty, entry, lev, &xrp.Taker); err != nil {
		panic(err)
	}
	if err := margin.Position(ctx, &im, &value, lev, &fee); err != nil {
		panic(err)
	}
	if err := margin.Maintenance(ctx, &mm, &value, apd.New(1, -2), apd.New(0, 0)); err != nil {
		panic(err)
	}
	if _, err := ctx.Add(&mm, &mm, &fee); err != nil {
		panic(err)
	}
	fmt.Println("value", &value)
	fmt.Println("fee to close", &fee)
	fmt.Println("initial margin", &im)
	fmt.Println("maintenance margin", &mm)
	// Output:
	// value 27.1125
	// fee to close 0.01464075000000000000
	// initial margin 2.725890750000000000
	// maintenance margin 0.2857657500000000000
}

func ExampleInitial() {
	ctx := derivmath.NewContext()
	var im apd.Decimal
	// 20,000 USDT of notional at 25x.
	if err := margin.Initial(ctx, &im, apd.New(20000, 0), apd.New(25, 0)); err != nil {
		panic(err)
	}
	fmt.Println(&im)
	// Output:
	// 800.0000000000000000
}

func ExampleIMR() {
	ctx := derivmath.NewContext()
	var imr apd.Decimal
	for _, lev := range []int64{1, 3, 100} {
		if err := margin.IMR(ctx, &imr, apd.New(lev, 0)); err != nil {
			panic(err)
		}
		fmt.Printf("%dx: %s\n", lev, &imr)
	}
	// Output:
	// 1x: 1.000000000000000000
	// 3x: 0.3333333333333333333
	// 100x: 0.01000000000000000000
}

func ExampleMaintenance() {
	ctx := derivmath.NewContext()
	var mm apd.Decimal
	// Binance's second BTCUSDT tier: 0.5% less 50 USDT, on 400,000 USDT.
	if err := margin.Maintenance(ctx, &mm, apd.New(400000, 0), apd.New(5, -3), apd.New(50, 0)); err != nil {
		panic(err)
	}
	fmt.Println(&mm)
	// Output:
	// 1950.000
}

func ExampleCum() {
	ctx := derivmath.NewContext()
	var cum apd.Decimal
	// Binance FAQ: a tier from 250,000 at 1% after a tier at 0.5% whose
	// maintenance amount is 50.
	if err := margin.Cum(ctx, &cum, apd.New(50, 0), apd.New(250000, 0), apd.New(1, -2), apd.New(5, -3)); err != nil {
		panic(err)
	}
	fmt.Println(&cum)
	// Output:
	// 1300.000
}

func ExampleTier() {
	var t margin.Tier
	t.Floor.SetInt64(50000)
	t.MMR.SetFinite(5, -3)
	t.Cum.SetInt64(50)
	t.MaxLeverage.SetInt64(100)
	fmt.Printf("from %s: MM = notional*%s - %s, up to %sx\n", &t.Floor, &t.MMR, &t.Cum, &t.MaxLeverage)
	// Output:
	// from 50000: MM = notional*0.005 - 50, up to 100x
}

func ExampleTier_Equal() {
	t := margin.BTCUSDT().At(1)
	var u margin.Tier
	u.Floor.SetFinite(50000000, -3) // 50000.000
	u.MMR.SetFinite(5, -3)
	u.Cum.SetInt64(50)
	u.MaxLeverage.SetInt64(100)
	fmt.Println(t.Equal(&u))
	// Output:
	// true
}

func ExampleNewTiers() {
	rows := make([]margin.Tier, 2)
	rows[0].MMR.SetFinite(4, -3)
	rows[0].MaxLeverage.SetInt64(125)
	rows[1].Floor.SetInt64(50000)
	rows[1].MMR.SetFinite(5, -3)
	rows[1].MaxLeverage.SetInt64(100)
	rows[1].Cum.SetInt64(40) // should be 50000*(0.005-0.004) = 50
	_, err := margin.NewTiers(rows, nil)
	fmt.Println(errors.Is(err, margin.ErrCum))

	rows[1].Cum.SetInt64(50)
	tiers, err := margin.NewTiers(rows, apd.New(250000, 0))
	if err != nil {
		panic(err)
	}
	fmt.Println(tiers.Len(), tiers.Limit())
	// Output:
	// true
	// 2 250000
}

func ExampleFlat() {
	ctx := derivmath.NewContext()
	tiers, err := margin.Flat(apd.New(5, -3), apd.New(50, 0))
	if err != nil {
		panic(err)
	}
	var mm apd.Decimal
	if err := tiers.Maintenance(ctx, &mm, apd.New(1000000, 0)); err != nil {
		panic(err)
	}
	fmt.Println(&mm)
	// Output:
	// 5000.000
}

func ExampleBTCUSDT() {
	tiers := margin.BTCUSDT()
	for i := range tiers.Len() {
		t := tiers.At(i)
		fmt.Printf("%s %s %s %s\n", &t.Floor, &t.MMR, &t.MaxLeverage, &t.Cum)
	}
	// Output:
	// 0 0.004 125 0
	// 50000 0.005 100 50
	// 600000 0.0065 75 950
	// 3000000 0.01 50 11450
	// 12000000 0.02 25 131450
	// 70000000 0.025 20 481450
	// 100000000 0.05 10 2981450
	// 230000000 0.1 5 14481450
	// 480000000 0.125 4 26481450
	// 600000000 0.15 3 41481450
	// 800000000 0.25 2 121481450
	// 1200000000 0.5 1 421481450
}

func ExampleTiers() {
	ctx := derivmath.NewContext()
	tiers := margin.BTCUSDT()
	var mm apd.Decimal
	for _, notional := range []int64{10000, 50000, 1000000} {
		if err := tiers.Maintenance(ctx, &mm, apd.New(notional, 0)); err != nil {
			panic(err)
		}
		fmt.Printf("%d: %s\n", notional, &mm)
	}
	// Output:
	// 10000: 40.000
	// 50000: 200.000
	// 1000000: 5550.0000
}

func ExampleTiers_Len() {
	fmt.Println(margin.BTCUSDT().Len())
	var none *margin.Tiers
	fmt.Println(none.Len())
	// Output:
	// 12
	// 0
}

func ExampleTiers_At() {
	t := margin.BTCUSDT().At(3)
	fmt.Println(&t.Floor, &t.MMR, &t.Cum)
	// Output:
	// 3000000 0.01 11450
}

func ExampleTiers_Limit() {
	fmt.Println(margin.BTCUSDT().Limit() == nil)
	rows := make([]margin.Tier, 1)
	rows[0].MMR.SetFinite(1, -2)
	rows[0].MaxLeverage.SetInt64(20)
	tiers, err := margin.NewTiers(rows, apd.New(1000000, 0))
	if err != nil {
		panic(err)
	}
	fmt.Println(tiers.Limit())
	// Output:
	// true
	// 1000000
}

func ExampleTiers_Lookup() {
	tier, err := margin.BTCUSDT().Lookup(apd.New(3000000, 0))
	if err != nil {
		panic(err)
	}
	fmt.Println(&tier.Floor, &tier.MMR, &tier.MaxLeverage)
	// Output:
	// 3000000 0.01 50
}

func ExampleTiers_Maintenance() {
	ctx := derivmath.NewContext()
	tiers := margin.BTCUSDT()
	var below, at apd.Decimal
	// Continuous at the 600,000 edge: 0.5% - 50 below, 0.65% - 950 from it.
	if err := tiers.Maintenance(ctx, &below, apd.New(5999999, -1)); err != nil {
		panic(err)
	}
	if err := tiers.Maintenance(ctx, &at, apd.New(600000, 0)); err != nil {
		panic(err)
	}
	fmt.Println(&below, &at)
	// Output:
	// 2949.9995 2950.0000
}

func ExampleTiers_CheckLeverage() {
	tiers := margin.BTCUSDT()
	notional := apd.New(1000000, 0)
	fmt.Println(tiers.CheckLeverage(notional, apd.New(75, 0)))
	err := tiers.CheckLeverage(notional, apd.New(100, 0))
	fmt.Println(errors.Is(err, margin.ErrAboveMaxLeverage))
	// Output:
	// <nil>
	// true
}

func ExampleTiers_MaxQty() {
	ctx := derivmath.NewContext()
	btc := contract.BTCUSDT() // lot 0.001 BTC
	var n apd.Decimal
	// 10,000 USDT at 100x could buy 20 BTC at 50,000, but 100x stops at
	// 600,000 USDT of notional: just under 12 BTC.
	if err := margin.BTCUSDT().MaxQty(ctx, &n, btc, apd.New(10000, 0), apd.New(50000, 0), apd.New(100, 0), apd.New(0, 0)); err != nil {
		panic(err)
	}
	fmt.Println(&n)
	// Output:
	// 11.999
}

func ExampleTierError() {
	rows := make([]margin.Tier, 1)
	rows[0].MMR.SetFinite(1, -2)
	rows[0].MaxLeverage.SetInt64(20)
	tiers, err := margin.NewTiers(rows, apd.New(1000000, 0))
	if err != nil {
		panic(err)
	}
	_, err = tiers.Lookup(apd.New(2000000, 0))
	var te *margin.TierError
	if errors.As(err, &te) {
		fmt.Println("beyond the table:", &te.Notional)
	}
	// Output:
	// beyond the table: 2000000
}

func ExampleTierError_Error() {
	e := &margin.TierError{}
	e.Notional.SetInt64(2000000)
	fmt.Println(e.Error())
	// Output:
	// margin: notional 2000000 beyond the last tier
}

// bitmexSteps is the schedule of BitMEX's risk limits page: base 200 XBT,
// step 150 XBT, 0.5% maintenance and 1% initial margin.
func bitmexSteps() *margin.Steps {
	s := &margin.Steps{}
	s.BaseRiskLimit.SetInt64(200)
	s.Step.SetInt64(150)
	s.BaseMM.SetFinite(5, -3)
	s.BaseIM.SetFinite(1, -2)
	return s
}

func ExampleSteps() {
	ctx := derivmath.NewContext()
	s := bitmexSteps()
	var mmr, imr apd.Decimal
	for _, value := range []int64{180, 230, 499, 649} {
		if err := s.MMR(ctx, &mmr, apd.New(value, 0)); err != nil {
			panic(err)
		}
		if err := s.IMR(ctx, &imr, apd.New(value, 0)); err != nil {
			panic(err)
		}
		fmt.Printf("%d XBT: MMR %s, IMR %s\n", value, &mmr, &imr)
	}
	// Output:
	// 180 XBT: MMR 0.005, IMR 0.010
	// 230 XBT: MMR 0.010, IMR 0.015
	// 499 XBT: MMR 0.015, IMR 0.020
	// 649 XBT: MMR 0.020, IMR 0.025
}

func ExampleSteps_Equal() {
	a, b := bitmexSteps(), bitmexSteps()
	b.Step.SetFinite(1500, -1) // 150.0
	fmt.Println(a.Equal(b))
	// Output:
	// true
}

func ExampleSteps_Validate() {
	s := bitmexSteps()
	s.Step.SetInt64(0)
	fmt.Println(errors.Is(s.Validate(), margin.ErrRiskLimit))
	// Output:
	// true
}

func ExampleSteps_Count() {
	ctx := derivmath.NewContext()
	s := bitmexSteps()
	var n apd.Decimal
	for _, value := range []int64{200, 201, 350, 351} {
		if err := s.Count(ctx, &n, apd.New(value, 0)); err != nil {
			panic(err)
		}
		fmt.Printf("%d: %s\n", value, &n)
	}
	// Output:
	// 200: 0
	// 201: 1
	// 350: 1
	// 351: 2
}

func ExampleSteps_MMR() {
	ctx := derivmath.NewContext()
	var mmr apd.Decimal
	if err := bitmexSteps().MMR(ctx, &mmr, apd.New(500, 0)); err != nil {
		panic(err)
	}
	fmt.Println(&mmr)
	// Output:
	// 0.015
}

func ExampleSteps_IMR() {
	ctx := derivmath.NewContext()
	var imr apd.Decimal
	if err := bitmexSteps().IMR(ctx, &imr, apd.New(500, 0)); err != nil {
		panic(err)
	}
	fmt.Println(&imr)
	// Output:
	// 0.020
}

func ExampleSteps_Maintenance() {
	ctx := derivmath.NewContext()
	var mm apd.Decimal
	if err := bitmexSteps().Maintenance(ctx, &mm, apd.New(180, 0)); err != nil {
		panic(err)
	}
	fmt.Println(&mm)
	// Output:
	// 0.900
}

func ExampleSteps_Initial() {
	ctx := derivmath.NewContext()
	var im apd.Decimal
	if err := bitmexSteps().Initial(ctx, &im, apd.New(230, 0)); err != nil {
		panic(err)
	}
	fmt.Println(&im)
	// Output:
	// 3.450
}

func ExampleSteps_CheckLeverage() {
	ctx := derivmath.NewContext()
	s := bitmexSteps()
	value := apd.New(230, 0) // IMR 1.5%: at most 66.66x
	fmt.Println(s.CheckLeverage(ctx, value, apd.New(66, 0)))
	fmt.Println(errors.Is(s.CheckLeverage(ctx, value, apd.New(67, 0)), margin.ErrAboveMaxLeverage))
	// Output:
	// <nil>
	// true
}

func ExampleSizeLinear() {
	ctx := derivmath.NewContext()
	s := &margin.SizeLinear{}
	s.BaseIM.SetFinite(2, -2)
	s.BaseMM.SetFinite(1, -2)
	s.IMSlope.SetFinite(1, -4)
	s.MMSlope.SetFinite(5, -5)
	var imr apd.Decimal
	if err := s.IMR(ctx, &imr, apd.New(100, 0)); err != nil {
		panic(err)
	}
	fmt.Println(&imr)
	// Output:
	// 0.0300
}

func ExampleDeribitBTC() {
	ctx := derivmath.NewContext()
	s := margin.DeribitBTC()
	size, value := apd.New(25, 0), apd.New(2500000, 0) // 25 BTC at 100,000
	var im, mm apd.Decimal
	if err := s.Initial(ctx, &im, size, value); err != nil {
		panic(err)
	}
	if err := s.Maintenance(ctx, &mm, size, value); err != nil {
		panic(err)
	}
	fmt.Println(&im, &mm)
	// Output:
	// 53125.00000 28125.00000
}

func ExampleSizeLinear_Equal() {
	// Equal compares values, not spellings: 0.020 is 0.02.
	a, b := margin.DeribitBTC(), margin.DeribitBTC()
	b.BaseIM.SetFinite(20, -3) // 0.020
	fmt.Println(a.BaseIM.String(), b.BaseIM.String(), a.Equal(b))
	b.MMSlope.SetFinite(6, -5) // 0.006% per BTC: another schedule
	fmt.Println(a.Equal(b))
	// Output:
	// 0.02 0.020 true
	// false
}

func ExampleSizeLinear_Validate() {
	s := margin.DeribitBTC()
	s.BaseMM.SetFinite(3, -2) // above BaseIM
	fmt.Println(errors.Is(s.Validate(), derivmath.ErrRate))
	// Output:
	// true
}

func ExampleSizeLinear_IMR() {
	ctx := derivmath.NewContext()
	var imr apd.Decimal
	if err := margin.DeribitBTC().IMR(ctx, &imr, apd.New(-25, 0)); err != nil { // a short
		panic(err)
	}
	fmt.Println(&imr)
	// Output:
	// 0.02125
}

func ExampleSizeLinear_MMR() {
	ctx := derivmath.NewContext()
	var mmr apd.Decimal
	if err := margin.DeribitBTC().MMR(ctx, &mmr, apd.New(25, 0)); err != nil {
		panic(err)
	}
	fmt.Println(&mmr)
	// Output:
	// 0.01125
}

func ExampleSizeLinear_Initial() {
	ctx := derivmath.NewContext()
	var im apd.Decimal
	if err := margin.DeribitBTC().Initial(ctx, &im, apd.New(10, 0), apd.New(1000000, 0)); err != nil {
		panic(err)
	}
	fmt.Println(&im)
	// Output:
	// 20500.00000
}

func ExampleSizeLinear_Maintenance() {
	ctx := derivmath.NewContext()
	var mm apd.Decimal
	if err := margin.DeribitBTC().Maintenance(ctx, &mm, apd.New(10, 0), apd.New(1000000, 0)); err != nil {
		panic(err)
	}
	fmt.Println(&mm)
	// Output:
	// 10500.00000
}

func ExampleFeeToClose() {
	ctx := derivmath.NewContext()
	xbt := contract.XBTUSD() // inverse, 1 USD per contract, taker 0.075%
	var long, short apd.Decimal
	qty, entry, lev := apd.New(1000, 0), apd.New(10000, 0), apd.New(10, 0)
	if err := margin.FeeToClose(ctx, &long, xbt, qty, entry, lev, &xbt.Taker); err != nil {
		panic(err)
	}
	qty.Negative = true
	if err := margin.FeeToClose(ctx, &short, xbt, qty, entry, lev, &xbt.Taker); err != nil {
		panic(err)
	}
	fmt.Println("long", &long)
	fmt.Println("short", &short)
	// Output:
	// long 0.00008250000000000000000
	// short 0.00006750000000000000000
}

func ExampleFundingReserve() {
	ctx := derivmath.NewContext()
	var long, short apd.Decimal
	value, rate := apd.New(25426, 0), apd.New(1, -4) // longs pay 0.01%
	if err := margin.FundingReserve(ctx, &long, apd.New(1, 0), value, rate); err != nil {
		panic(err)
	}
	if err := margin.FundingReserve(ctx, &short, apd.New(-1, 0), value, rate); err != nil {
		panic(err)
	}
	fmt.Println(&long, &short)
	// Output:
	// 2.5426 0
}

func ExamplePosition() {
	ctx := derivmath.NewContext()
	var pm apd.Decimal
	// Bybit: 27.1125 USDT of XRPUSDT at 10x, fee to close 0.01464075.
	if err := margin.Position(ctx, &pm, apd.New(271125, -4), apd.New(10, 0), apd.New(1464075, -8)); err != nil {
		panic(err)
	}
	fmt.Println(&pm)
	// Output:
	// 2.725890750000000000
}

func ExampleRatio() {
	ctx := derivmath.NewContext()
	var ratio apd.Decimal
	// Maintenance 200 USDT on a margin balance of 1,000: 20%.
	if err := margin.Ratio(ctx, &ratio, apd.New(200, 0), apd.New(1000, 0)); err != nil {
		panic(err)
	}
	fmt.Println(&ratio)
	err := margin.Ratio(ctx, &ratio, apd.New(200, 0), apd.New(-5, 0))
	fmt.Println(errors.Is(err, margin.ErrBalance))
	// Output:
	// 0.2000000000000000000
	// true
}

func ExampleAvailable() {
	ctx := derivmath.NewContext()
	var avail apd.Decimal
	wallet, upnl := apd.New(1000, 0), apd.New(-150, 0)
	if err := margin.Available(ctx, &avail, wallet, upnl, apd.New(600, 0)); err != nil {
		panic(err)
	}
	fmt.Println(&avail)
	if err := margin.Available(ctx, &avail, wallet, upnl, apd.New(900, 0)); err != nil {
		panic(err)
	}
	fmt.Println(&avail)
	// Output:
	// 250
	// 0
}

func ExampleOrder() {
	ctx := derivmath.NewContext()
	btc := contract.BTCUSDT()
	lev := apd.New(10, 0)
	var m apd.Decimal
	// A sell of 1 BTC limited at 49,000 while the bid is 50,000 fills at the
	// bid or better: it is margined at 50,000.
	if err := margin.Order(ctx, &m, btc, apd.New(0, 0), apd.New(-1, 0), apd.New(49000, 0), apd.New(50000, 0), lev); err != nil {
		panic(err)
	}
	fmt.Println(&m)
	// Against a long of 0.4 BTC, only 0.6 BTC of it opens a short.
	if err := margin.Order(ctx, &m, btc, apd.New(4, -1), apd.New(-1, 0), apd.New(49000, 0), apd.New(50000, 0), lev); err != nil {
		panic(err)
	}
	fmt.Println(&m)
	// Output:
	// 5000.000000000000000
	// 3000.000000000000000
}

func ExampleMaxQty() {
	ctx := derivmath.NewContext()
	btc := contract.BTCUSDT() // lot 0.001, taker 0.05%
	var n apd.Decimal
	if err := margin.MaxQty(ctx, &n, btc, apd.New(1000, 0), apd.New(50000, 0), apd.New(10, 0), &btc.Taker); err != nil {
		panic(err)
	}
	fmt.Println(&n)
	// Output:
	// 0.199
}

// The real BitMEX XBTUSD position of the package's tests: 1 contract long
// at 3933, 1x.
func ExampleBitMEXPosition() {
	p := &margin.BitMEXPosition{}
	p.Cost.SetInt64(-25426)           // posCost, XBt
	p.InitMarginReq.SetInt64(1)       // 1x
	p.MaintMarginReq.SetFinite(5, -3) // 0.5%
	p.Commission.SetFinite(75, -5)    // 0.075%
	fmt.Println(&p.Cost, &p.InitMarginReq, &p.MaintMarginReq, &p.Commission)
	// Output:
	// -25426 1 0.005 0.00075
}

func ExampleBitMEXPosition_Margin() {
	ctx := derivmath.NewContext()
	p := &margin.BitMEXPosition{}
	p.Cost.SetInt64(-25426)
	p.InitMarginReq.SetInt64(1)
	p.MaintMarginReq.SetFinite(5, -3)
	p.Commission.SetFinite(75, -5)
	var m margin.BitMEX
	if err := p.Margin(ctx, &m); err != nil {
		panic(err)
	}
	fmt.Println("posInit", &m.Init, "posComm", &m.Comm, "posMaint", &m.Maint, "posMargin", &m.Margin)
	// The snapshot's posMaint is 169: 2 XBt of funding reserve.
	p.FundingReserve.SetInt64(2)
	if err := p.Margin(ctx, &m); err != nil {
		panic(err)
	}
	fmt.Println("posMaint", &m.Maint)
	// Output:
	// posInit 25426 posComm 39 posMaint 167 posMargin 25465
	// posMaint 169
}

// An isolated XBTUSD short of 10,000 contracts is never liquidated at 1x
// or below, and is at 2x; a long at 1x and a cross short are liquidated.
func ExampleBitMEXNeverLiquidates() {
	for _, c := range []struct {
		qty, leverage int64
		isolated      bool
	}{{-10000, 1, true}, {-10000, 2, true}, {10000, 1, true}, {-10000, 1, false}} {
		never, err := margin.BitMEXNeverLiquidates(contract.Inverse, apd.New(c.qty, 0), apd.New(c.leverage, 0), c.isolated)
		if err != nil {
			panic(err)
		}
		fmt.Println(c.qty, c.leverage, c.isolated, never)
	}
	// Output:
	// -10000 1 true true
	// -10000 2 true false
	// 10000 1 true false
	// -10000 1 false false
}

func ExampleBitMEXPosition_Equal() {
	p, q := &margin.BitMEXPosition{}, &margin.BitMEXPosition{}
	p.Cost.SetInt64(-25426)
	q.Cost.SetFinite(-2542600, -2)
	fmt.Println(p.Equal(q))
	// Output:
	// true
}

func ExampleBitMEX() {
	ctx := derivmath.NewContext()
	p := &margin.BitMEXPosition{}
	p.Cost.SetInt64(100000000) // 1 XBT
	p.InitMarginReq.SetFinite(3333333333333333, -16)
	p.MaintMarginReq.SetFinite(5, -3)
	p.Commission.SetFinite(75, -5)
	var m margin.BitMEX
	if err := p.Margin(ctx, &m); err != nil {
		panic(err)
	}
	fmt.Println(&m.Init, &m.Comm, &m.Maint, &m.Margin)
	// Output:
	// 33333334 100001 600001 33433335
}

func ExampleBitMEX_Equal() {
	var a, b margin.BitMEX
	a.Init.SetInt64(25426)
	b.Init.SetFinite(254260, -1)
	fmt.Println(a.Equal(&b))
	// Output:
	// true
}

// A decoder names the tier table's row at fault from a RowError.
func ExampleRowError() {
	rows := make([]margin.Tier, 2)
	rows[0].MMR.SetFinite(1, -2)
	rows[0].MaxLeverage.SetInt64(20)
	rows[1].Floor.SetInt64(100000)
	rows[1].MMR.SetFinite(2, -2)
	rows[1].MaxLeverage.SetInt64(10)
	rows[1].Cum.SetInt64(999) // the recurrence gives 100000*(0.02-0.01) = 1000
	_, err := margin.NewTiers(rows, nil)
	var re *margin.RowError
	if errors.As(err, &re) {
		fmt.Println("row", re.Row, errors.Is(err, margin.ErrCum))
	}
	// Output:
	// row 1 true
}

func ExampleRowError_Error() {
	e := &margin.RowError{Row: 1, Err: margin.ErrCum}
	fmt.Println(e.Error())
	// Output:
	// margin: maintenance amount breaks continuity
}

func ExampleRowError_Unwrap() {
	e := &margin.RowError{Row: 1, Err: margin.ErrCum}
	fmt.Println(e.Unwrap())
	// Output:
	// margin: maintenance amount breaks continuity
}

// A decoder names the payload field at fault from a FieldError: here
// maintMarginReq, above initMarginReq.
func ExampleFieldError() {
	var p margin.BitMEXPosition
	p.Cost.SetInt64(-25426)
	p.InitMarginReq.SetFinite(2, -1)   // 5x
	p.MaintMarginReq.SetFinite(25, -2) // above 0.2
	p.Commission.SetFinite(75, -5)
	var z margin.BitMEX
	err := p.Margin(derivmath.NewContext(), &z)
	var fe *margin.FieldError
	if errors.As(err, &fe) {
		fmt.Println(fe.Field, errors.Is(err, derivmath.ErrRate))
	}
	// Output:
	// MaintMarginReq true
}

func ExampleFieldError_Error() {
	e := &margin.FieldError{Field: "Loss", Err: margin.ErrAmount}
	fmt.Println(e.Error())
	// Output:
	// margin: negative amount
}

func ExampleFieldError_Unwrap() {
	e := &margin.FieldError{Field: "Loss", Err: margin.ErrAmount}
	fmt.Println(e.Unwrap())
	// Output:
	// margin: negative amount
}
