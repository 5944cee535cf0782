package funding_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/funding"
)

// d parses a decimal constant of an example.
func d(s string) *apd.Decimal {
	x, _, err := apd.NewFromString(s)
	if err != nil {
		panic(err)
	}
	return x
}

// One BitMEX XBTUSD funding interval from premium samples to payments: the
// premium index averaged over the interval, the rate clamped around the
// interest component and capped, and what a long and a short pay at the
// mark.
func Example() {
	ctx := derivmath.NewContext()
	xbtusd := contract.XBTUSD()

	// Four premium samples (BitMEX takes one a minute, 480 an interval).
	samples := []apd.Decimal{*d("0.00042"), *d("0.00051"), *d("0.00047"), *d("0.00060")}
	var premium, interest, rate, cap apd.Decimal
	if err := funding.Average(ctx, &premium, samples, funding.Equal); err != nil {
		panic(err)
	}
	// USD at 0.06% a day, XBT at 0.03%: 0.01% per 8-hour interval.
	if err := funding.Interest(ctx, &interest, d("0.0006"), d("0.0003"), 8*time.Hour); err != nil {
		panic(err)
	}
	if err := funding.Rate(ctx, &rate, &premium, &interest, funding.DefaultClamp(new(apd.Decimal))); err != nil {
		panic(err)
	}
	if err := funding.CapBitMEX(ctx, &cap, d("0.01"), d("0.005")); err != nil {
		panic(err)
	}
	if err := funding.Clamp(&rate, &rate, &cap); err != nil {
		panic(err)
	}
	fmt.Println("premium", premium.Text('f'))
	fmt.Println("interest", interest.Text('f'))
	fmt.Println("rate", rate.Text('f'))

	var long, short contract.Position
	long.Qty.SetInt64(15000)
	short.Qty.SetInt64(-15000)
	var pays, receives apd.Decimal
	if err := funding.Payment(ctx, &pays, xbtusd, &long, d("60000"), &rate); err != nil {
		panic(err)
	}
	if err := funding.Payment(ctx, &receives, xbtusd, &short, d("60000"), &rate); err != nil {
		panic(err)
	}
	// Settle in satoshis, half up (away from zero on ties).
	for _, z := range []*apd.Decimal{&pays, &receives} {
		if err := derivmath.Round(ctx, z, z, &xbtusd.Minor, derivmath.HalfUp); err != nil {
			panic(err)
		}
	}
	fmt.Println("long pays", pays.Text('f'), "XBT, short pays", receives.Text('f'), "XBT")
	// Output:
	// premium 0.0005000000000000000000
	// interest 0.0001000000000000000000
	// rate 0.0001000000000000000000
	// long pays 0.00002500 XBT, short pays -0.00002500 XBT
}

func ExamplePremium() {
	ctx := derivmath.NewContext()
	// Binance: a buy of the impact notional fills at 10,010 on average, a
	// sell at 10,005, while the index is 10,000.
	var p apd.Decimal
	if err := funding.Premium(ctx, &p, d("10005"), d("10010"), d("10000")); err != nil {
		panic(err)
	}
	fmt.Println(p.Text('f'))

	// A zero index price is reported with derivmath's sentinel, ErrPrice.
	err := funding.Premium(ctx, &p, d("10005"), d("10010"), d("0"))
	fmt.Println(errors.Is(err, derivmath.ErrPrice))
	// Output:
	// 0.0005000000000000000000
	// true
}

func ExampleMarkPremium() {
	ctx := derivmath.NewContext()
	// BitMEX: the mark carries a fair basis of 0.0025% over the index
	// (10,000.25); the impact bid is 10,010.25 and the ask 10,012.
	var p apd.Decimal
	if err := funding.MarkPremium(ctx, &p, d("10010.25"), d("10012"), d("10000.25"), d("10000"), d("0.000025")); err != nil {
		panic(err)
	}
	fmt.Println(p.Text('f'))
	// Output:
	// 0.001025000000000000000
}

func ExampleImpactNotional() {
	ctx := derivmath.NewContext()
	// Binance BNBUSDT: 200 USDT of margin at the initial margin rate of the
	// maximum leverage, 20x (5%).
	var n apd.Decimal
	if err := funding.ImpactNotional(ctx, &n, d("200"), d("0.05")); err != nil {
		panic(err)
	}
	fmt.Println(n.Text('f'), "USDT")
	// Output:
	// 4000.000000000000000 USDT
}

func ExampleAverage() {
	ctx := derivmath.NewContext()
	samples := []apd.Decimal{*d("0.0001"), *d("0.0002"), *d("0.0006")}
	var eq, tw apd.Decimal
	if err := funding.Average(ctx, &eq, samples, funding.Equal); err != nil {
		panic(err)
	}
	// Weights 1, 2, 3: (0.0001 + 0.0004 + 0.0018)/6.
	if err := funding.Average(ctx, &tw, samples, funding.TimeWeighted); err != nil {
		panic(err)
	}
	fmt.Println(eq.Text('f'), tw.Text('f'))

	err := funding.Average(ctx, &eq, nil, funding.Equal)
	fmt.Println(errors.Is(err, funding.ErrEmptyWindow))
	// Output:
	// 0.0003000000000000000000 0.0003833333333333333333
	// true
}

func ExampleWeighting_String() {
	for _, w := range []funding.Weighting{funding.Equal, funding.TimeWeighted, 0} {
		fmt.Println(w)
	}
	// Output:
	// Equal
	// TimeWeighted
	// Weighting(0)
}

func ExamplePerInterval() {
	ctx := derivmath.NewContext()
	// Binance's 0.01% interest rate per 8 hours, for symbols funding every
	// 4 hours and every hour: 0.0001*4/8 and 0.0001*1/8.
	for _, h := range []time.Duration{4 * time.Hour, time.Hour} {
		var z apd.Decimal
		if err := funding.PerInterval(ctx, &z, d("0.0001"), h); err != nil {
			panic(err)
		}
		fmt.Println(h, z.Text('f'))
	}
	// 5 hours does not divide a day.
	err := funding.PerInterval(ctx, new(apd.Decimal), d("0.0001"), 5*time.Hour)
	fmt.Println(errors.Is(err, funding.ErrInterval))
	// Output:
	// 4h0m0s 0.0000500
	// 1h0m0s 0.0000125
	// true
}

func ExampleInterest() {
	ctx := derivmath.NewContext()
	// BitMEX perpetual contracts guide: quote (USD) 1%, base (XBT) 0.25% a
	// day, funding three times a day.
	var i apd.Decimal
	if err := funding.Interest(ctx, &i, d("0.01"), d("0.0025"), 8*time.Hour); err != nil {
		panic(err)
	}
	fmt.Println(i.Text('f'))
	// Output:
	// 0.002500000000000000000
}

func ExampleRate() {
	ctx := derivmath.NewContext()
	bound := funding.DefaultClamp(new(apd.Decimal))
	for _, premium := range []string{"0.0003", "0.0009", "-0.0012"} {
		var f apd.Decimal
		if err := funding.Rate(ctx, &f, d(premium), d("0.0001"), bound); err != nil {
			panic(err)
		}
		fmt.Println(premium, "->", f.Text('f'))
	}
	// Output:
	// 0.0003 -> 0.0001
	// 0.0009 -> 0.0004
	// -0.0012 -> -0.0007
}

func ExampleDefaultClamp() {
	var bound apd.Decimal
	fmt.Println(funding.DefaultClamp(&bound).Text('f'))
	// Output:
	// 0.0005
}

func ExampleClamp() {
	ctx := derivmath.NewContext()
	// BitMEX caps |F| at 0.75*(IMR - MMR) = 0.375% for 1% and 0.5%.
	var cap, f apd.Decimal
	if err := funding.CapBitMEX(ctx, &cap, d("0.01"), d("0.005")); err != nil {
		panic(err)
	}
	if err := funding.Clamp(&f, d("-0.0052"), &cap); err != nil {
		panic(err)
	}
	fmt.Println(f.Text('f'))
	// Output:
	// -0.00375
}

func ExampleClampChange() {
	ctx := derivmath.NewContext()
	// The last rate was 0.1%; the change cap for an MMR of 0.5% is 0.375%.
	var limit, f apd.Decimal
	if err := funding.ChangeCapBitMEX(ctx, &limit, d("0.005")); err != nil {
		panic(err)
	}
	if err := funding.ClampChange(ctx, &f, d("-0.0035"), d("0.001"), &limit); err != nil {
		panic(err)
	}
	fmt.Println(f.Text('f'))
	// Output:
	// -0.00275
}

func ExampleAnnualised() {
	ctx := derivmath.NewContext()
	var a apd.Decimal
	if err := funding.Annualised(ctx, &a, d("0.0001"), 8*time.Hour); err != nil {
		panic(err)
	}
	fmt.Println(a.Text('f'))
	// Output:
	// 0.1095
}

func ExampleCapBitMEX() {
	ctx := derivmath.NewContext()
	var c apd.Decimal
	if err := funding.CapBitMEX(ctx, &c, d("0.01"), d("0.005")); err != nil {
		panic(err)
	}
	fmt.Println(c.Text('f'))
	// Output:
	// 0.00375
}

func ExampleChangeCapBitMEX() {
	ctx := derivmath.NewContext()
	var c apd.Decimal
	if err := funding.ChangeCapBitMEX(ctx, &c, d("0.005")); err != nil {
		panic(err)
	}
	fmt.Println(c.Text('f'))
	// Output:
	// 0.00375
}

func ExampleCapBinance() {
	ctx := derivmath.NewContext()
	// 0.75 times the first tier's maintenance rate of 0.4%.
	var c apd.Decimal
	if err := funding.CapBinance(ctx, &c, d("0.75"), d("0.004")); err != nil {
		panic(err)
	}
	fmt.Println(c.Text('f'))
	// Output:
	// 0.00300
}

func ExampleDefaultDeadBand() {
	var band apd.Decimal
	fmt.Println(funding.DefaultDeadBand(&band).Text('f'))
	// Output:
	// 0.00025
}

func ExampleDeadBand() {
	ctx := derivmath.NewContext()
	band := funding.DefaultDeadBand(new(apd.Decimal))
	for _, mark := range []string{"60030", "60012", "59970"} {
		var f apd.Decimal
		if err := funding.DeadBand(ctx, &f, d(mark), d("60000"), band); err != nil {
			panic(err)
		}
		fmt.Println(mark, "->", f.Text('f'))
	}
	// Output:
	// 60030 -> 0.0002500000000000000000
	// 60012 -> 0
	// 59970 -> -0.0002500000000000000000
}

func ExamplePayment() {
	ctx := derivmath.NewContext()
	xbtusd := contract.XBTUSD()
	// BitMEX perpetual contracts guide: long 15,000 XBTUSD at a mark of 750
	// with F = 0.25% pays 0.05 XBT; the short on the other side receives it.
	for _, qty := range []int64{15000, -15000} {
		var p contract.Position
		p.Qty.SetInt64(qty)
		var pay apd.Decimal
		if err := funding.Payment(ctx, &pay, xbtusd, &p, d("750"), d("0.0025")); err != nil {
			panic(err)
		}
		// Settle to the satoshi, half up.
		if err := derivmath.Round(ctx, &pay, &pay, &xbtusd.Minor, derivmath.HalfUp); err != nil {
			panic(err)
		}
		fmt.Println(qty, "pays", pay.Text('f'), "XBT")
	}
	// Output:
	// 15000 pays 0.05000000 XBT
	// -15000 pays -0.05000000 XBT
}

func ExampleAccrual() {
	ctx := derivmath.NewContext()
	// Deribit-style: 2 BTC of a linear perpetual at 60,000, F = 0.01% per 8
	// hours, held for 2 hours.
	btcusdt := contract.BTCUSDT()
	var p contract.Position
	p.Qty.SetInt64(2)
	var a apd.Decimal
	if err := funding.Accrual(ctx, &a, btcusdt, &p, d("60000"), d("0.0001"), 2*time.Hour, 8*time.Hour); err != nil {
		panic(err)
	}
	fmt.Println(a.Text('f'), "USDT")
	// Output:
	// 3.000000000000000000 USDT
}

func ExampleNext() {
	t := time.Date(2024, 3, 9, 21, 15, 0, 0, time.UTC)
	binance, _ := funding.Next(t, 8*time.Hour, 0)
	bitmex, _ := funding.Next(t, 8*time.Hour, 4*time.Hour)
	hourly, _ := funding.Next(t, time.Hour, 0)
	fmt.Println(binance.Format(time.DateTime))
	fmt.Println(bitmex.Format(time.DateTime))
	fmt.Println(hourly.Format(time.DateTime))
	_, err := funding.Next(t, 7*time.Hour, 0)
	fmt.Println(errors.Is(err, funding.ErrInterval))
	// Output:
	// 2024-03-10 00:00:00
	// 2024-03-10 04:00:00
	// 2024-03-09 22:00:00
	// true
}

func ExampleBasis() {
	ctx := derivmath.NewContext()
	// F = 0.01% with 2 of 8 hours left.
	var b apd.Decimal
	if err := funding.Basis(ctx, &b, d("0.0001"), 2*time.Hour, 8*time.Hour); err != nil {
		panic(err)
	}
	fmt.Println(b.Text('f'))
	// Output:
	// 0.00002500000000000000000
}

func ExampleFairPrice() {
	ctx := derivmath.NewContext()
	// BitMEX fair price marking: index 10,000, F = 0.01%, 2 of 8 hours left.
	var mark apd.Decimal
	if err := funding.FairPrice(ctx, &mark, d("10000"), d("0.0001"), 2*time.Hour, 8*time.Hour); err != nil {
		panic(err)
	}
	fmt.Println(mark.Text('f'))
	// Output:
	// 10000.25000000000000
}

func ExampleBasisRate() {
	ctx := derivmath.NewContext()
	// Gate futures help: index 10,000, impact bid 10,049 and ask 10,051,
	// 30 days to expiry.
	var r apd.Decimal
	if err := funding.BasisRate(ctx, &r, d("10049"), d("10051"), d("10000"), 30*24*time.Hour); err != nil {
		panic(err)
	}
	fmt.Println(r.Text('f'))
	// Output:
	// 0.06083333333333333333
}

func ExampleFairPriceDated() {
	ctx := derivmath.NewContext()
	// The same future: the basis rate from BasisRate, 30 days to expiry,
	// gives a basis of 50 and a mark of 10,050 (to the 0.5 tick).
	expiry := 30 * 24 * time.Hour
	var r, mark apd.Decimal
	if err := funding.BasisRate(ctx, &r, d("10049"), d("10051"), d("10000"), expiry); err != nil {
		panic(err)
	}
	if err := funding.FairPriceDated(ctx, &mark, d("10000"), &r, expiry); err != nil {
		panic(err)
	}
	if err := derivmath.Round(ctx, &mark, &mark, d("0.5"), derivmath.HalfEven); err != nil {
		panic(err)
	}
	fmt.Println(mark.Text('f'))
	// Output:
	// 10050.0
}
