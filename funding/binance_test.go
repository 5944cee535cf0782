package funding_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/funding"
)

func dec(t *testing.T, s string) *apd.Decimal {
	t.Helper()
	x, _, err := apd.NewFromString(s)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// TestRateBinance checks the N/8 scaling with cases worked from Binance's
// funding FAQ: the 8-hour formula, then under ScaleRate the rate of an
// N-hour symbol is N/8 of it, and under ScaleTerms the formula with N/8 of
// the interest and of the clamp bound. The two agree where neither
// clamps.
func TestRateBinance(t *testing.T) {
	ctx := derivmath.NewContext()
	for _, c := range []struct {
		premium, interest string
		hours             int
		rate, terms       string // under ScaleRate, under ScaleTerms
	}{
		// Premium within the clamp of the interest: F = interest = 0.01%.
		// At 4h the halves: 0.02% lies within 0.025% of 0.005%. At 1h
		// 0.02% lies 0.01875% from 0.00125%, beyond 0.00625%: ScaleTerms
		// clamps, 0.02% - 0.00625%.
		{"0.0002", "0.0001", 8, "0.0001", "0.0001"},
		{"0.0002", "0.0001", 4, "0.00005", "0.00005"},
		{"0.0002", "0.0001", 1, "0.0000125", "0.0001375"},
		// Premium 0.1%: clamp(0.01% - 0.1%) = -0.05%, F = 0.05% at 8h. At
		// 4h: half that, or 0.1% - 0.025% (clamp(0.005% - 0.1%) = -0.025%).
		{"0.001", "0.0001", 8, "0.0005", "0.0005"},
		{"0.001", "0.0001", 4, "0.00025", "0.00075"},
		// Negative premium -0.2%: F = -0.2% + 0.05% = -0.15%; 1h: -0.01875%,
		// or -0.2% + 0.00625%.
		{"-0.002", "0.0001", 1, "-0.0001875", "-0.0019375"},
	} {
		iv := time.Duration(c.hours) * time.Hour
		var z, eight, i, b apd.Decimal
		if err := funding.RateBinance(ctx, &z, dec(t, c.premium), dec(t, c.interest), funding.DefaultClamp(new(apd.Decimal)), iv, funding.ScaleRate); err != nil {
			t.Fatal(err)
		}
		if z.Cmp(dec(t, c.rate)) != 0 {
			t.Errorf("premium %s, %dh, ScaleRate: got %s, want %s", c.premium, c.hours, z.String(), c.rate)
		}
		// The same as Rate scaled by PerInterval.
		if err := funding.Rate(ctx, &eight, dec(t, c.premium), dec(t, c.interest), funding.DefaultClamp(new(apd.Decimal))); err != nil {
			t.Fatal(err)
		}
		if err := funding.PerInterval(ctx, &eight, &eight, iv); err != nil {
			t.Fatal(err)
		}
		if eight.Cmp(&z) != 0 {
			t.Errorf("Rate then PerInterval: %s, RateBinance %s", eight.String(), z.String())
		}
		if err := funding.RateBinance(ctx, &z, dec(t, c.premium), dec(t, c.interest), funding.DefaultClamp(new(apd.Decimal)), iv, funding.ScaleTerms); err != nil {
			t.Fatal(err)
		}
		if z.Cmp(dec(t, c.terms)) != 0 {
			t.Errorf("premium %s, %dh, ScaleTerms: got %s, want %s", c.premium, c.hours, z.String(), c.terms)
		}
		// The same as Rate of the interest and the bound scaled by
		// PerInterval.
		if err := errors.Join(funding.PerInterval(ctx, &i, dec(t, c.interest), iv),
			funding.PerInterval(ctx, &b, funding.DefaultClamp(new(apd.Decimal)), iv),
			funding.Rate(ctx, &eight, dec(t, c.premium), &i, &b)); err != nil {
			t.Fatal(err)
		}
		if eight.Cmp(&z) != 0 {
			t.Errorf("Rate of the scaled terms: %s, RateBinance %s", eight.String(), z.String())
		}
	}
	var z apd.Decimal
	for _, iv := range []time.Duration{0, 5 * time.Hour, 90 * time.Minute, -time.Hour} {
		if err := funding.RateBinance(ctx, &z, dec(t, "0"), dec(t, "0.0001"), dec(t, "0.0005"), iv, funding.DefaultScaling); !errors.Is(err, funding.ErrInterval) {
			t.Errorf("interval %v: %v, want ErrInterval", iv, err)
		}
	}
	for _, s := range []funding.Scaling{0, 3, -1} {
		z.SetInt64(7)
		if err := funding.RateBinance(ctx, &z, dec(t, "0"), dec(t, "0.0001"), dec(t, "0.0005"), 4*time.Hour, s); !errors.Is(err, funding.ErrScaling) || z.Cmp(apd.New(7, 0)) != 0 {
			t.Errorf("scaling %v: %v, z %s; want ErrScaling, z unchanged", s, err, z.String())
		}
	}
}

// TestMarkBinance checks the median of Binance's three prices, each case
// built so that a different price is the median.
func TestMarkBinance(t *testing.T) {
	ctx := derivmath.NewContext()
	// index 10,000, last funding rate 0.01%, 2 of 8 hours left: price 1 =
	// 10,000*(1 + 0.0001*2/8) = 10,000.25. With a 4-hour interval and 2
	// hours left: 10,000.5.
	for _, c := range []struct {
		basis, last string
		until, iv   time.Duration
		want        string
	}{
		{"1", "9000", 2 * time.Hour, 8 * time.Hour, "10000.25"},   // p2 10,001 > p1 > last
		{"-5", "10003", 2 * time.Hour, 8 * time.Hour, "10000.25"}, // p2 9,995 < p1 < last
		{"3", "10001", 2 * time.Hour, 8 * time.Hour, "10001"},     // last between p1 and p2
		{"0.1", "10100", 2 * time.Hour, 8 * time.Hour, "10000.25"},
		{"0.1", "10100", 2 * time.Hour, 4 * time.Hour, "10000.5"},
		{"0.2", "9999", 1 * time.Hour, 1 * time.Hour, "10000.2"}, // p1 10,001, p2 10,000.2
	} {
		var z apd.Decimal
		if err := funding.MarkBinance(ctx, &z, dec(t, "10000"), dec(t, "0.0001"), dec(t, c.basis), dec(t, c.last), c.until, c.iv); err != nil {
			t.Fatal(err)
		}
		if z.Cmp(dec(t, c.want)) != 0 {
			t.Errorf("basis %s last %s: got %s, want %s", c.basis, c.last, z.String(), c.want)
		}
	}
	var z apd.Decimal
	if err := funding.MarkBinance(ctx, &z, dec(t, "100"), dec(t, "0"), dec(t, "-100"), dec(t, "100"), 0, 8*time.Hour); !errors.Is(err, derivmath.ErrPrice) {
		t.Errorf("price 2 of 0: %v, want ErrPrice", err)
	}
	if err := funding.MarkBinance(ctx, &z, dec(t, "100"), dec(t, "0"), dec(t, "1"), dec(t, "100"), 9*time.Hour, 8*time.Hour); !errors.Is(err, funding.ErrTimeLeft) {
		t.Errorf("until past interval: %v, want ErrTimeLeft", err)
	}
}

func ExampleRateBinance() {
	ctx := derivmath.NewContext()
	premium, _, _ := apd.NewFromString("0.001") // 0.1%
	interest, _, _ := apd.NewFromString("0.0001")
	var bound, f8, f4, t4 apd.Decimal
	funding.DefaultClamp(&bound)
	_ = funding.RateBinance(ctx, &f8, premium, interest, &bound, 8*time.Hour, funding.DefaultScaling)
	_ = funding.RateBinance(ctx, &f4, premium, interest, &bound, 4*time.Hour, funding.DefaultScaling)
	_ = funding.RateBinance(ctx, &t4, premium, interest, &bound, 4*time.Hour, funding.ScaleTerms)
	fmt.Println("8h:", f8.String(), "4h:", f4.String()) // 0.0005*0.500, exact
	fmt.Println("4h, ScaleTerms:", t4.String())         // 0.001 - 0.0005*0.500
	// Output:
	// 8h: 0.0005 4h: 0.0002500
	// 4h, ScaleTerms: 0.0007500
}

func ExampleScaling_String() {
	for _, s := range []funding.Scaling{funding.ScaleRate, funding.ScaleTerms, 0} {
		fmt.Println(s)
	}
	fmt.Println(funding.DefaultScaling)
	// Output:
	// ScaleRate
	// ScaleTerms
	// Scaling(0)
	// ScaleRate
}

func ExampleMarkBinance() {
	ctx := derivmath.NewContext()
	index, _, _ := apd.NewFromString("10000")
	rate, _, _ := apd.NewFromString("0.0001")
	basis, _, _ := apd.NewFromString("1") // 5-minute moving average of mid - index
	last, _, _ := apd.NewFromString("9000")
	var mark apd.Decimal
	_ = funding.MarkBinance(ctx, &mark, index, rate, basis, last, 2*time.Hour, 8*time.Hour)
	mark.Reduce(&mark)
	fmt.Println(mark.String()) // median(10000.25, 10001, 9000)
	// Output: 10000.25
}
