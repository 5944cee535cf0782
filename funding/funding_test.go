package funding_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/funding"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/google/go-cmp/cmp"
)

// vector is a row of testdata/vectors.json; each row uses some of the
// fields.
type vector struct {
	ID                string            `json:"id"`
	Source            string            `json:"source"`
	Kind              string            `json:"kind"`
	Multiplier        string            `json:"multiplier"`
	Qty               string            `json:"qty"`
	Mark              string            `json:"mark"`
	QuoteRateDaily    string            `json:"quote_rate_daily"`
	BaseRateDaily     string            `json:"base_rate_daily"`
	FundingsPerDay    int64             `json:"fundings_per_day,string"`
	IMR               string            `json:"imr"`
	MMR               string            `json:"mmr"`
	IMRAtMaxLeverage  string            `json:"imr_at_max_leverage"`
	Index             string            `json:"index"`
	FundingRate       string            `json:"funding_rate"`
	TimeUntilFundingH int64             `json:"time_until_funding_h,string"`
	IntervalH         int64             `json:"interval_h,string"`
	ImpactBid         string            `json:"impact_bid"`
	ImpactAsk         string            `json:"impact_ask"`
	DaysToExpiry      int64             `json:"days_to_expiry,string"`
	Expect            map[string]string `json:"expect"`
}

func loadVectors(t *testing.T) []vector {
	t.Helper()
	b, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Funding []vector `json:"funding"`
	}
	if err := json.Unmarshal(b, &file); err != nil {
		t.Fatal(err)
	}
	return file.Funding
}

// wantDecimal fails t unless err is nil and got equals want numerically.
func wantDecimal(t *testing.T, what string, got *apd.Decimal, err error, want string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: unexpected error %v", what, err)
	}
	if diff := cmp.Diff(dectest.MustParse(t, want), got, dectest.Comparer()); diff != "" {
		t.Errorf("%s = %s, want %s (-want +got):\n%s", what, got.String(), want, diff)
	}
	if got.IsZero() && got.Negative {
		t.Errorf("%s = -0, want +0", what)
	}
}

// wantWithin fails t unless err is nil and |got - want| <= tol.
func wantWithin(t *testing.T, what string, got *apd.Decimal, err error, want, tol string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: unexpected error %v", what, err)
	}
	if !dectest.Within(got, dectest.MustParse(t, want), dectest.MustParse(t, tol)) {
		t.Errorf("%s = %s, want %s within %s", what, got.String(), want, tol)
	}
}

func TestVectors(t *testing.T) {
	ctx := derivmath.NewContext()
	seen := map[string]bool{}
	for _, v := range loadVectors(t) {
		seen[v.ID] = true
		t.Run(v.ID, func(t *testing.T) {
			d := func(s string) *apd.Decimal { return dectest.MustParse(t, s) }
			var z apd.Decimal
			switch v.ID {
			case "bitmex-perp-guide-funding":
				interval := 24 * time.Hour / time.Duration(v.FundingsPerDay)
				err := funding.Interest(ctx, &z, d(v.QuoteRateDaily), d(v.BaseRateDaily), interval)
				wantDecimal(t, "interest", &z, err, v.Expect["interest"])
				if v.Kind != "inverse" {
					t.Fatalf("kind %q, want inverse", v.Kind)
				}
				s, err := contract.New(contract.Params{
					Symbol: "XBTUSD", Kind: contract.Inverse, Settle: "XBT",
					Multiplier: v.Multiplier, Tick: "0.5", Lot: "1",
				})
				if err != nil {
					t.Fatal(err)
				}
				rate := new(apd.Decimal).Set(&z)
				var long, short contract.Position
				long.Qty.Set(d(v.Qty))
				short.Qty.Neg(d(v.Qty))
				var pay, recv apd.Decimal
				err = funding.Payment(ctx, &pay, s, &long, d(v.Mark), rate)
				wantDecimal(t, "long payment", &pay, err, v.Expect["payment"])
				if v.Expect["payer"] != "long" || pay.Sign() <= 0 {
					t.Errorf("payer %q, long payment %s: want the long to pay (> 0)", v.Expect["payer"], pay.String())
				}
				err = funding.Payment(ctx, &recv, s, &short, d(v.Mark), rate)
				wantDecimal(t, "short payment", &recv, err, "-"+v.Expect["payment"])
			case "bitmex-funding-cap":
				err := funding.CapBitMEX(ctx, &z, d(v.IMR), d(v.MMR))
				wantDecimal(t, "abs cap", &z, err, v.Expect["abs_cap"])
				err = funding.ChangeCapBitMEX(ctx, &z, d(v.MMR))
				wantDecimal(t, "change cap", &z, err, v.Expect["change_cap"])
			case "binance-impact-notional":
				// The FAQ's impact margin is 200 USDT; the row gives the IMR.
				err := funding.ImpactNotional(ctx, &z, d("200"), d(v.IMRAtMaxLeverage))
				wantDecimal(t, "impact notional", &z, err, v.Expect["impact_notional"])
			case "perp-fair-price":
				err := funding.FairPrice(ctx, &z, d(v.Index), d(v.FundingRate),
					time.Duration(v.TimeUntilFundingH)*time.Hour, time.Duration(v.IntervalH)*time.Hour)
				wantDecimal(t, "mark", &z, err, v.Expect["mark"])
			case "futures-fair-basis":
				toExpiry := time.Duration(v.DaysToExpiry) * 24 * time.Hour
				err := funding.BasisRate(ctx, &z, d(v.ImpactBid), d(v.ImpactAsk), d(v.Index), toExpiry)
				wantWithin(t, "basis rate", &z, err, v.Expect["basis_rate"], "0.0000005")
				var mark, basis apd.Decimal
				err = funding.FairPriceDated(ctx, &mark, d(v.Index), &z, toExpiry)
				// The row publishes whole numbers; 19 digits do far better.
				wantWithin(t, "mark", &mark, err, v.Expect["mark"], "1e-12")
				if _, err := ctx.Sub(&basis, &mark, d(v.Index)); err != nil {
					t.Fatal(err)
				}
				wantWithin(t, "basis", &basis, nil, v.Expect["basis"], "1e-12")
			default:
				t.Fatalf("no test for vector %q (%s)", v.ID, v.Source)
			}
		})
	}
	for _, id := range []string{
		"bitmex-perp-guide-funding", "bitmex-funding-cap", "binance-impact-notional",
		"perp-fair-price", "futures-fair-basis",
	} {
		if !seen[id] {
			t.Errorf("vector %q missing from testdata/vectors.json", id)
		}
	}
}

// A decimal case: the operands as text, and either the result or the error.
type decCase struct {
	name string
	in   []string
	want string
	err  error
}

// runCases runs fn on each case's operands, parsed.
func runCases(t *testing.T, cases []decCase, fn func(z *apd.Decimal, in []*apd.Decimal) error) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := make([]*apd.Decimal, len(c.in))
			for i, s := range c.in {
				in[i] = dectest.MustParse(t, s)
			}
			var z apd.Decimal
			err := fn(&z, in)
			if c.err != nil {
				if !errors.Is(err, c.err) {
					t.Fatalf("error %v, want %v", err, c.err)
				}
				return
			}
			wantDecimal(t, "result", &z, err, c.want)
		})
	}
}

func TestPremium(t *testing.T) {
	ctx := derivmath.NewContext()
	runCases(t, []decCase{
		{"bid above index", []string{"10010", "10020", "10000"}, "0.001", nil},
		{"ask below index", []string{"9980", "9990", "10000"}, "-0.001", nil},
		{"index inside", []string{"9995", "10005", "10000"}, "0", nil},
		{"bid at index", []string{"10000", "10001", "10000"}, "0", nil},
		{"ask at index", []string{"9999", "10000", "10000"}, "0", nil},
		{"one third", []string{"30001", "30002", "30000"}, "0.00003333333333333333333", nil},
		{"zero index", []string{"1", "2", "0"}, "", derivmath.ErrPrice},
		{"negative bid", []string{"-1", "2", "3"}, "", derivmath.ErrPrice},
		{"zero ask", []string{"1", "0", "3"}, "", derivmath.ErrPrice},
		{"crossed", []string{"10021", "10020", "10000"}, "", funding.ErrCrossed},
		{"NaN bid", []string{"NaN", "2", "3"}, "", derivmath.ErrNaN},
		{"infinite index", []string{"1", "2", "Infinity"}, "", derivmath.ErrInfinite},
		{"negative zero ask", []string{"1", "-0", "3"}, "", derivmath.ErrNegativeZero},
		{"51 digits", []string{"1.00000000000000000000000000000000000000000000000001", "2", "3"}, "", derivmath.ErrRange},
	}, func(z *apd.Decimal, in []*apd.Decimal) error {
		return funding.Premium(ctx, z, in[0], in[1], in[2])
	})
}

func TestMarkPremium(t *testing.T) {
	ctx := derivmath.NewContext()
	runCases(t, []decCase{
		// mark = 10000*(1 + 0.000025)
		{"bid above mark", []string{"10010", "10020", "10000.25", "10000", "0.000025"}, "0.001", nil},
		{"mark inside", []string{"10000", "10001", "10000.25", "10000", "0.000025"}, "0.000025", nil},
		{"ask below mark", []string{"9990", "9999.25", "10000.25", "10000", "0.000025"}, "-0.000075", nil},
		{"as Premium", []string{"10010", "10020", "10000", "10000", "0"}, "0.001", nil},
		{"zero mark", []string{"1", "2", "0", "3", "0"}, "", derivmath.ErrPrice},
		{"zero index", []string{"1", "2", "3", "0", "0"}, "", derivmath.ErrPrice},
		{"crossed", []string{"3", "2", "3", "3", "0"}, "", funding.ErrCrossed},
		{"basis 1", []string{"1", "2", "3", "3", "1"}, "", derivmath.ErrRate},
		{"basis -1", []string{"1", "2", "3", "3", "-1"}, "", derivmath.ErrRate},
		{"basis NaN", []string{"1", "2", "3", "3", "NaN"}, "", derivmath.ErrNaN},
	}, func(z *apd.Decimal, in []*apd.Decimal) error {
		return funding.MarkPremium(ctx, z, in[0], in[1], in[2], in[3], in[4])
	})
}

func TestImpactNotional(t *testing.T) {
	ctx := derivmath.NewContext()
	runCases(t, []decCase{
		{"binance 20x", []string{"200", "0.05"}, "4000", nil},
		{"bitmex 100x", []string{"0.1", "0.01"}, "10", nil},
		{"1x", []string{"200", "1"}, "200", nil},
		{"zero margin", []string{"0", "0.05"}, "", funding.ErrMargin},
		{"negative margin", []string{"-200", "0.05"}, "", funding.ErrMargin},
		{"zero imr", []string{"200", "0"}, "", funding.ErrMarginRate},
		{"imr above 1", []string{"200", "1.5"}, "", funding.ErrMarginRate},
		{"negative imr", []string{"200", "-0.05"}, "", funding.ErrMarginRate},
		{"NaN margin", []string{"NaN", "0.05"}, "", derivmath.ErrNaN},
		{"infinite imr", []string{"200", "Infinity"}, "", derivmath.ErrInfinite},
	}, func(z *apd.Decimal, in []*apd.Decimal) error {
		return funding.ImpactNotional(ctx, z, in[0], in[1])
	})
}

func TestAverage(t *testing.T) {
	ctx := derivmath.NewContext()
	eq, tw := funding.Equal, funding.TimeWeighted
	for _, c := range []struct {
		name    string
		w       funding.Weighting
		samples []string
		want    string
		err     error
	}{
		{"equal", eq, []string{"0.0001", "0.0003"}, "0.0002", nil},
		{"equal thirds", eq, []string{"0.0001", "0.0001", "0.0002"}, "0.0001333333333333333333", nil},
		{"equal cancels", eq, []string{"0.0001", "-0.0001"}, "0", nil},
		{"equal negative", eq, []string{"-0.0001", "-0.0002"}, "-0.00015", nil},
		{"equal one", eq, []string{"-0.000123"}, "-0.000123", nil},
		{"time weighted", tw, []string{"0.0001", "0.0004"}, "0.0003", nil},
		{"time weighted latest counts more", tw, []string{"0.0003", "0"}, "0.0001", nil},
		{"time weighted thirds", tw, []string{"0", "0", "0.0001"}, "0.00005", nil},
		{"time weighted mixed", tw, []string{"0.0006", "-0.0003"}, "0", nil},
		{"empty", eq, nil, "", funding.ErrEmptyWindow},
		{"empty time weighted", tw, []string{}, "", funding.ErrEmptyWindow},
		{"zero weighting", 0, []string{"0.0001"}, "", funding.ErrWeighting},
		{"undefined weighting", 3, []string{"0.0001"}, "", funding.ErrWeighting},
		{"sample of 1", eq, []string{"0.0001", "1"}, "", derivmath.ErrRate},
		{"sample of -2", tw, []string{"-2"}, "", derivmath.ErrRate},
		{"NaN sample", eq, []string{"0.0001", "NaN"}, "", derivmath.ErrNaN},
		{"-0 sample", eq, []string{"-0"}, "", derivmath.ErrNegativeZero},
	} {
		t.Run(c.name, func(t *testing.T) {
			samples := make([]apd.Decimal, len(c.samples))
			for i, s := range c.samples {
				samples[i].Set(dectest.MustParse(t, s))
			}
			var z apd.Decimal
			err := funding.Average(ctx, &z, samples, c.w)
			if c.err != nil {
				if !errors.Is(err, c.err) {
					t.Fatalf("error %v, want %v", err, c.err)
				}
				return
			}
			wantDecimal(t, "average", &z, err, c.want)
		})
	}
}

func TestAverageHighPrecision(t *testing.T) {
	// Above 19 digits the exact sum is divided by apd; the mean is still
	// rounded once.
	ctx := apd.BaseContext.WithPrecision(30)
	samples := []apd.Decimal{*apd.New(1, -4), *apd.New(1, -4), *apd.New(2, -4)}
	var z apd.Decimal
	err := funding.Average(ctx, &z, samples, funding.Equal)
	wantDecimal(t, "average", &z, err, "0.000133333333333333333333333333333")
}

func TestWeightingString(t *testing.T) {
	for w, want := range map[funding.Weighting]string{
		funding.Equal: "Equal", funding.TimeWeighted: "TimeWeighted",
		0: "Weighting(0)", 3: "Weighting(3)", -1: "Weighting(-1)",
	} {
		if got := w.String(); got != want {
			t.Errorf("Weighting(%d).String() = %q, want %q", int(w), got, want)
		}
	}
}

func TestInterest(t *testing.T) {
	ctx := derivmath.NewContext()
	for _, c := range []struct {
		name        string
		quote, base string
		interval    time.Duration
		want        string
		err         error
	}{
		{"bitmex", "0.01", "0.0025", 8 * time.Hour, "0.0025", nil},
		{"binance", "0.0006", "0.0003", 8 * time.Hour, "0.0001", nil},
		{"hourly", "0.0006", "0.0003", time.Hour, "0.0000125", nil},
		{"negative", "0.0003", "0.0006", 4 * time.Hour, "-0.00005", nil},
		{"7h", "0.01", "0.0025", 7 * time.Hour, "", funding.ErrInterval},
		{"zero interval", "0.01", "0.0025", 0, "", funding.ErrInterval},
		{"negative interval", "0.01", "0.0025", -8 * time.Hour, "", funding.ErrInterval},
		{"48h", "0.01", "0.0025", 48 * time.Hour, "", funding.ErrInterval},
		{"quote 1", "1", "0.0025", 8 * time.Hour, "", derivmath.ErrRate},
		{"base -1", "0.01", "-1", 8 * time.Hour, "", derivmath.ErrRate},
		{"NaN quote", "NaN", "0.0025", 8 * time.Hour, "", derivmath.ErrNaN},
	} {
		t.Run(c.name, func(t *testing.T) {
			var z apd.Decimal
			err := funding.Interest(ctx, &z, dectest.MustParse(t, c.quote), dectest.MustParse(t, c.base), c.interval)
			if c.err != nil {
				if !errors.Is(err, c.err) {
					t.Fatalf("error %v, want %v", err, c.err)
				}
				return
			}
			wantDecimal(t, "interest", &z, err, c.want)
		})
	}
}

func TestRate(t *testing.T) {
	ctx := derivmath.NewContext()
	runCases(t, []decCase{
		// premium, interest, bound
		{"equal", []string{"0.0001", "0.0001", "0.0005"}, "0.0001", nil},
		{"within the clamp", []string{"0.0003", "0.0001", "0.0005"}, "0.0001", nil},
		{"on the clamp", []string{"0.0006", "0.0001", "0.0005"}, "0.0001", nil},
		{"above the clamp", []string{"0.0010", "0.0001", "0.0005"}, "0.0005", nil},
		{"below the clamp", []string{"-0.0010", "0.0001", "0.0005"}, "-0.0005", nil},
		{"far below", []string{"-0.0030", "0.0001", "0.0005"}, "-0.0025", nil},
		{"zero bound", []string{"0.0003", "0.0001", "0"}, "0.0003", nil},
		{"bound -0.0001", []string{"0.0003", "0.0001", "-0.0001"}, "", funding.ErrBound},
		{"bound 1", []string{"0.0003", "0.0001", "1"}, "", funding.ErrBound},
		{"premium 1", []string{"1", "0.0001", "0.0005"}, "", derivmath.ErrRate},
		{"interest -3", []string{"0.0001", "-3", "0.0005"}, "", derivmath.ErrRate},
		{"NaN premium", []string{"NaN", "0.0001", "0.0005"}, "", derivmath.ErrNaN},
		{"infinite bound", []string{"0.0001", "0.0001", "Infinity"}, "", derivmath.ErrInfinite},
	}, func(z *apd.Decimal, in []*apd.Decimal) error {
		return funding.Rate(ctx, z, in[0], in[1], in[2])
	})
}

func TestDefaults(t *testing.T) {
	var z apd.Decimal
	wantDecimal(t, "DefaultClamp", funding.DefaultClamp(&z), nil, "0.0005")
	wantDecimal(t, "DefaultDeadBand", funding.DefaultDeadBand(&z), nil, "0.00025")
}

func TestClamp(t *testing.T) {
	runCases(t, []decCase{
		{"above", []string{"0.005", "0.00375"}, "0.00375", nil},
		{"below", []string{"-0.005", "0.00375"}, "-0.00375", nil},
		{"inside", []string{"0.001", "0.00375"}, "0.001", nil},
		{"on the cap", []string{"-0.00375", "0.00375"}, "-0.00375", nil},
		{"zero cap", []string{"-0.001", "0"}, "0", nil},
		{"negative cap", []string{"0.001", "-0.00375"}, "", funding.ErrBound},
		{"rate 1", []string{"1", "0.00375"}, "", derivmath.ErrRate},
		{"NaN rate", []string{"NaN", "0.00375"}, "", derivmath.ErrNaN},
	}, func(z *apd.Decimal, in []*apd.Decimal) error {
		return funding.Clamp(z, in[0], in[1])
	})
}

func TestClampChange(t *testing.T) {
	ctx := derivmath.NewContext()
	runCases(t, []decCase{
		// rate, prev, limit
		{"up too far", []string{"0.006", "0.001", "0.00375"}, "0.00475", nil},
		{"down too far", []string{"-0.004", "0.001", "0.00375"}, "-0.00275", nil},
		{"inside", []string{"0.002", "0.001", "0.00375"}, "0.002", nil},
		{"zero limit", []string{"0.002", "0.001", "0"}, "0.001", nil},
		// prev + limit rounds at 19 digits: the window's top rounds down.
		{"rounded inward up", []string{"0.5", "0.1111111111111111111", "0.00000000000000000005"}, "0.1111111111111111111", nil},
		{"rounded inward down", []string{"-0.5", "0.1111111111111111111", "0.00000000000000000005"}, "0.1111111111111111111", nil},
		// prev has more digits than ctx's precision and no number of 19
		// digits lies within limit of it: the window is prev alone.
		{"prev of 22 digits, zero limit", []string{"0.0001234567890123456789123", "0.0001234567890123456789123", "0"}, "0.0001234567890123456789123", nil},
		{"prev of 22 digits, rate above", []string{"0.0002", "0.0001234567890123456789123", "1E-30"}, "0.0001234567890123456789123", nil},
		{"prev of 22 digits, rate below", []string{"0", "0.0001234567890123456789123", "1E-30"}, "0.0001234567890123456789123", nil},
		{"negative limit", []string{"0.002", "0.001", "-0.001"}, "", funding.ErrBound},
		{"prev 1", []string{"0.002", "1", "0.001"}, "", derivmath.ErrRate},
		{"rate -1", []string{"-1", "0.001", "0.001"}, "", derivmath.ErrRate},
		{"NaN prev", []string{"0.002", "NaN", "0.001"}, "", derivmath.ErrNaN},
	}, func(z *apd.Decimal, in []*apd.Decimal) error {
		return funding.ClampChange(ctx, z, in[0], in[1], in[2])
	})
}

func TestCaps(t *testing.T) {
	ctx := derivmath.NewContext()
	t.Run("CapBitMEX", func(t *testing.T) {
		runCases(t, []decCase{
			{"1% and 0.5%", []string{"0.01", "0.005"}, "0.00375", nil},
			{"2% and 1%", []string{"0.02", "0.01"}, "0.0075", nil},
			{"equal rates", []string{"0.01", "0.01"}, "0", nil},
			{"mmr above imr", []string{"0.005", "0.01"}, "", funding.ErrMarginRate},
			{"zero imr", []string{"0", "0.005"}, "", funding.ErrMarginRate},
			{"negative mmr", []string{"0.01", "-0.005"}, "", funding.ErrMarginRate},
			{"imr above 1", []string{"1.01", "0.005"}, "", funding.ErrMarginRate},
			{"NaN imr", []string{"NaN", "0.005"}, "", derivmath.ErrNaN},
		}, func(z *apd.Decimal, in []*apd.Decimal) error {
			return funding.CapBitMEX(ctx, z, in[0], in[1])
		})
	})
	t.Run("ChangeCapBitMEX", func(t *testing.T) {
		runCases(t, []decCase{
			{"0.5%", []string{"0.005"}, "0.00375", nil},
			{"zero", []string{"0"}, "", funding.ErrMarginRate},
			{"above 1", []string{"2"}, "", funding.ErrMarginRate},
			{"infinite", []string{"Infinity"}, "", derivmath.ErrInfinite},
		}, func(z *apd.Decimal, in []*apd.Decimal) error {
			return funding.ChangeCapBitMEX(ctx, z, in[0])
		})
	})
	t.Run("CapBinance", func(t *testing.T) {
		runCases(t, []decCase{
			{"0.75 of 0.4%", []string{"0.75", "0.004"}, "0.003", nil},
			{"4 of 0.5%", []string{"4", "0.005"}, "0.02", nil},
			// A cap is a bound Clamp takes, below 1.
			{"1.99 of 50%", []string{"1.99", "0.5"}, "0.995", nil},
			{"2 of 50%", []string{"2", "0.5"}, "", funding.ErrBound},
			{"40 of 5%", []string{"40", "0.05"}, "", funding.ErrBound},
			{"zero factor", []string{"0", "0.004"}, "", funding.ErrFactor},
			{"negative factor", []string{"-0.75", "0.004"}, "", funding.ErrFactor},
			{"zero mmr", []string{"0.75", "0"}, "", funding.ErrMarginRate},
			{"NaN factor", []string{"NaN", "0.004"}, "", derivmath.ErrNaN},
		}, func(z *apd.Decimal, in []*apd.Decimal) error {
			return funding.CapBinance(ctx, z, in[0], in[1])
		})
	})
}

func TestDeadBand(t *testing.T) {
	ctx := derivmath.NewContext()
	runCases(t, []decCase{
		// mark, index, band
		{"above the band", []string{"10003", "10000", "0.00025"}, "0.00005", nil},
		{"inside the band", []string{"10001", "10000", "0.00025"}, "0", nil},
		{"on the band", []string{"10002.5", "10000", "0.00025"}, "0", nil},
		{"below the band", []string{"9996", "10000", "0.00025"}, "-0.00015", nil},
		{"no band", []string{"9996", "10000", "0"}, "-0.0004", nil},
		{"zero index", []string{"10003", "0", "0.00025"}, "", derivmath.ErrPrice},
		{"negative mark", []string{"-1", "10000", "0.00025"}, "", derivmath.ErrPrice},
		{"negative band", []string{"10003", "10000", "-0.00025"}, "", funding.ErrBound},
		{"NaN band", []string{"10003", "10000", "NaN"}, "", derivmath.ErrNaN},
	}, func(z *apd.Decimal, in []*apd.Decimal) error {
		return funding.DeadBand(ctx, z, in[0], in[1], in[2])
	})
}

func TestAnnualised(t *testing.T) {
	ctx := derivmath.NewContext()
	for _, c := range []struct {
		rate     string
		interval time.Duration
		want     string
		err      error
	}{
		{"0.0001", 8 * time.Hour, "0.1095", nil},
		{"0.0001", time.Hour, "0.876", nil},
		{"-0.0025", 8 * time.Hour, "-2.7375", nil},
		{"0.0001", 5 * time.Hour, "", funding.ErrInterval},
		{"1", 8 * time.Hour, "", derivmath.ErrRate},
		{"NaN", 8 * time.Hour, "", derivmath.ErrNaN},
	} {
		var z apd.Decimal
		err := funding.Annualised(ctx, &z, dectest.MustParse(t, c.rate), c.interval)
		if c.err != nil {
			if !errors.Is(err, c.err) {
				t.Errorf("Annualised(%s, %v): error %v, want %v", c.rate, c.interval, err, c.err)
			}
			continue
		}
		wantDecimal(t, "Annualised("+c.rate+", "+c.interval.String()+")", &z, err, c.want)
	}
}

// specs used by the payment tests.
var (
	xbtusd  = contract.XBTUSD()
	btcusdt = contract.BTCUSDT()
	ethusd  = contract.ETHUSD()
)

func position(t testing.TB, qty string) *contract.Position {
	var p contract.Position
	p.Qty.Set(dectest.MustParse(t, qty))
	return &p
}

func TestPayment(t *testing.T) {
	ctx := derivmath.NewContext()
	for _, c := range []struct {
		name            string
		spec            *contract.Spec
		qty, mark, rate string
		want            string
		err             error
	}{
		{"bitmex guide long", xbtusd, "15000", "750", "0.0025", "0.05", nil},
		{"bitmex guide short", xbtusd, "-15000", "750", "0.0025", "-0.05", nil},
		{"negative rate long", xbtusd, "15000", "750", "-0.0025", "-0.05", nil},
		{"negative rate short", xbtusd, "-15000", "750", "-0.0025", "0.05", nil},
		{"linear", btcusdt, "2", "50000", "0.0001", "10", nil},
		{"linear short", btcusdt, "-2", "50000", "0.0001", "-10", nil},
		{"quanto", ethusd, "1000", "2000", "-0.0002", "-0.0004", nil},
		{"flat", xbtusd, "0", "750", "-0.0025", "0", nil},
		{"zero rate", xbtusd, "-15000", "750", "0", "0", nil},
		{"zero mark", xbtusd, "15000", "0", "0.0025", "", derivmath.ErrPrice},
		{"rate 1", xbtusd, "15000", "750", "1", "", derivmath.ErrRate},
		{"NaN qty", xbtusd, "NaN", "750", "0.0025", "", derivmath.ErrNaN},
		{"infinite mark", xbtusd, "15000", "Infinity", "0.0025", "", derivmath.ErrInfinite},
	} {
		t.Run(c.name, func(t *testing.T) {
			var z apd.Decimal
			err := funding.Payment(ctx, &z, c.spec, position(t, c.qty), dectest.MustParse(t, c.mark), dectest.MustParse(t, c.rate))
			if c.err != nil {
				if !errors.Is(err, c.err) {
					t.Fatalf("error %v, want %v", err, c.err)
				}
				return
			}
			wantDecimal(t, "payment", &z, err, c.want)
		})
	}
}

func TestAccrual(t *testing.T) {
	ctx := derivmath.NewContext()
	for _, c := range []struct {
		name       string
		qty, rate  string
		dt, period time.Duration
		want       string
		err        error
	}{
		{"one hour of eight", "15000", "0.0025", time.Hour, 8 * time.Hour, "0.00625", nil},
		{"short, one minute", "-15000", "0.0025", time.Minute, 8 * time.Hour, "-0.0001041666666666666667", nil},
		{"a whole period", "15000", "0.0025", 8 * time.Hour, 8 * time.Hour, "0.05", nil},
		{"a day", "15000", "0.0025", 24 * time.Hour, 8 * time.Hour, "0.15", nil},
		{"no time", "15000", "0.0025", 0, 8 * time.Hour, "0", nil},
		{"no time, short", "-15000", "0.0025", 0, 8 * time.Hour, "0", nil},
		{"two periods, short", "-15000", "0.0025", 16 * time.Hour, 8 * time.Hour, "-0.1", nil},
		{"negative dt", "15000", "0.0025", -time.Second, 8 * time.Hour, "", funding.ErrDuration},
		{"period 7h", "15000", "0.0025", time.Hour, 7 * time.Hour, "", funding.ErrInterval},
		{"zero period", "15000", "0.0025", time.Hour, 0, "", funding.ErrInterval},
		{"rate -1", "15000", "-1", time.Hour, 8 * time.Hour, "", derivmath.ErrRate},
		{"NaN qty", "NaN", "0.0025", time.Hour, 8 * time.Hour, "", derivmath.ErrNaN},
	} {
		t.Run(c.name, func(t *testing.T) {
			var z apd.Decimal
			err := funding.Accrual(ctx, &z, xbtusd, position(t, c.qty), apd.New(750, 0), dectest.MustParse(t, c.rate), c.dt, c.period)
			if c.err != nil {
				if !errors.Is(err, c.err) {
					t.Fatalf("error %v, want %v", err, c.err)
				}
				return
			}
			wantDecimal(t, "accrual", &z, err, c.want)
		})
	}
}

func TestNext(t *testing.T) {
	at := func(day, h, m int) time.Time { return time.Date(2024, 1, day, h, m, 0, 0, time.UTC) }
	tokyo := time.FixedZone("JST", 9*60*60)
	for _, c := range []struct {
		name             string
		t                time.Time
		interval, offset time.Duration
		want             time.Time
		err              error
	}{
		{"binance morning", at(1, 5, 30), 8 * time.Hour, 0, at(1, 8, 0), nil},
		{"at a funding", at(1, 8, 0), 8 * time.Hour, 0, at(1, 16, 0), nil},
		{"just before", at(1, 7, 59), 8 * time.Hour, 0, at(1, 8, 0), nil},
		{"at midnight", at(1, 0, 0), 8 * time.Hour, 0, at(1, 8, 0), nil},
		{"late evening", at(1, 23, 59), 8 * time.Hour, 0, at(2, 0, 0), nil},
		{"bitmex early", at(1, 3, 0), 8 * time.Hour, 4 * time.Hour, at(1, 4, 0), nil},
		{"bitmex at 20:00", at(1, 20, 0), 8 * time.Hour, 4 * time.Hour, at(2, 4, 0), nil},
		{"bitmex late", at(1, 21, 0), 8 * time.Hour, 4 * time.Hour, at(2, 4, 0), nil},
		{"hourly", at(1, 10, 15), time.Hour, 0, at(1, 11, 0), nil},
		{"every 4h", at(1, 13, 0), 4 * time.Hour, 0, at(1, 16, 0), nil},
		{"every 2h", at(1, 13, 0), 2 * time.Hour, 0, at(1, 14, 0), nil},
		{"new year", time.Date(2024, 12, 31, 23, 0, 0, 0, time.UTC), 8 * time.Hour, 0, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), nil},
		// 07:30 in Tokyo is 22:30 UTC the day before.
		{"another zone", time.Date(2024, 1, 2, 7, 30, 0, 0, tokyo), 8 * time.Hour, 0, at(2, 0, 0), nil},
		// 03:00 in Tokyo on the 2nd is 18:00 UTC on the 1st: the schedule
		// is UTC's, not that of the local date.
		{"another zone, another date", time.Date(2024, 1, 2, 3, 0, 0, 0, tokyo), 8 * time.Hour, 4 * time.Hour, at(1, 20, 0), nil},
		{"7h", at(1, 5, 30), 7 * time.Hour, 0, time.Time{}, funding.ErrInterval},
		{"7 minutes", at(1, 5, 30), 7 * time.Minute, 0, time.Time{}, funding.ErrInterval},
		{"zero interval", at(1, 5, 30), 0, 0, time.Time{}, funding.ErrInterval},
		{"negative interval", at(1, 5, 30), -time.Hour, 0, time.Time{}, funding.ErrInterval},
		{"negative offset", at(1, 5, 30), 8 * time.Hour, -time.Hour, time.Time{}, funding.ErrOffset},
		{"offset of interval", at(1, 5, 30), 8 * time.Hour, 8 * time.Hour, time.Time{}, funding.ErrOffset},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := funding.Next(c.t, c.interval, c.offset)
			if c.err != nil {
				if !errors.Is(err, c.err) {
					t.Fatalf("error %v, want %v", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(c.want) || got.Location() != time.UTC {
				t.Errorf("Next(%v, %v, %v) = %v, want %v", c.t, c.interval, c.offset, got, c.want)
			}
		})
	}
}

func TestBasisAndFairPrice(t *testing.T) {
	ctx := derivmath.NewContext()
	for _, c := range []struct {
		name            string
		index, rate     string
		until, interval time.Duration
		basis, mark     string
		err             error
	}{
		{"2h of 8h", "10000", "0.0001", 2 * time.Hour, 8 * time.Hour, "0.000025", "10000.25", nil},
		{"just paid", "10000", "0.0001", 0, 8 * time.Hour, "0", "10000", nil},
		{"just paid, negative", "10000", "-0.0001", 0, 8 * time.Hour, "0", "10000", nil},
		{"whole interval", "10000", "-0.0001", 8 * time.Hour, 8 * time.Hour, "-0.0001", "9999", nil},
		{"one hour of four", "20000", "0.0004", time.Hour, 4 * time.Hour, "0.0001", "20002", nil},
		{"too long", "10000", "0.0001", 9 * time.Hour, 8 * time.Hour, "", "", funding.ErrTimeLeft},
		{"negative", "10000", "0.0001", -time.Hour, 8 * time.Hour, "", "", funding.ErrTimeLeft},
		{"5h interval", "10000", "0.0001", time.Hour, 5 * time.Hour, "", "", funding.ErrInterval},
		{"rate 1", "10000", "1", time.Hour, 8 * time.Hour, "", "", derivmath.ErrRate},
		{"NaN rate", "10000", "NaN", time.Hour, 8 * time.Hour, "", "", derivmath.ErrNaN},
	} {
		t.Run(c.name, func(t *testing.T) {
			var b, m apd.Decimal
			rate := dectest.MustParse(t, c.rate)
			errB := funding.Basis(ctx, &b, rate, c.until, c.interval)
			errM := funding.FairPrice(ctx, &m, dectest.MustParse(t, c.index), rate, c.until, c.interval)
			if c.err != nil {
				if !errors.Is(errB, c.err) || !errors.Is(errM, c.err) {
					t.Fatalf("errors %v and %v, want %v", errB, errM, c.err)
				}
				return
			}
			wantDecimal(t, "basis", &b, errB, c.basis)
			wantDecimal(t, "mark", &m, errM, c.mark)
		})
	}
	var z apd.Decimal
	if err := funding.FairPrice(ctx, &z, apd.New(0, 0), apd.New(1, -4), time.Hour, 8*time.Hour); !errors.Is(err, derivmath.ErrPrice) {
		t.Errorf("zero index: error %v, want %v", err, derivmath.ErrPrice)
	}
}

func TestBasisRate(t *testing.T) {
	ctx := derivmath.NewContext()
	const d = 24 * time.Hour
	for _, c := range []struct {
		name            string
		bid, ask, index string
		toExpiry        time.Duration
		want            string
		err             error
	}{
		{"gate 30 days", "10049", "10051", "10000", 30 * d, "0.06083333333333333333", nil},
		{"a year, backwardation", "9990", "9992", "10000", 365 * d, "-0.0009", nil},
		{"half a year", "10100", "10100", "10000", 365 * d / 2, "0.02", nil},
		{"crossed", "10052", "10051", "10000", 30 * d, "", funding.ErrCrossed},
		{"expired", "10049", "10051", "10000", 0, "", funding.ErrExpiry},
		{"past expiry", "10049", "10051", "10000", -time.Hour, "", funding.ErrExpiry},
		{"zero index", "10049", "10051", "0", 30 * d, "", derivmath.ErrPrice},
		{"NaN bid", "NaN", "10051", "10000", 30 * d, "", derivmath.ErrNaN},
	} {
		t.Run(c.name, func(t *testing.T) {
			var z apd.Decimal
			err := funding.BasisRate(ctx, &z, dectest.MustParse(t, c.bid), dectest.MustParse(t, c.ask), dectest.MustParse(t, c.index), c.toExpiry)
			if c.err != nil {
				if !errors.Is(err, c.err) {
					t.Fatalf("error %v, want %v", err, c.err)
				}
				return
			}
			wantDecimal(t, "basis rate", &z, err, c.want)
		})
	}
}

func TestFairPriceDated(t *testing.T) {
	ctx := derivmath.NewContext()
	const d = 24 * time.Hour
	for _, c := range []struct {
		name        string
		index, rate string
		toExpiry    time.Duration
		want        string
		err         error
	}{
		{"10 days at 36.5%", "10000", "0.365", 10 * d, "10100", nil},
		{"a year at -0.09%", "10000", "-0.0009", 365 * d, "9991", nil},
		{"above 100% a year", "10000", "3.65", 10 * d, "11000", nil},
		{"price to zero", "10000", "-36.5", 10 * d, "", funding.ErrBasis},
		{"price below zero", "10000", "-40", 10 * d, "", funding.ErrBasis},
		{"expired", "10000", "0.365", 0, "", funding.ErrExpiry},
		{"zero index", "0", "0.365", 10 * d, "", derivmath.ErrPrice},
		{"NaN rate", "10000", "NaN", 10 * d, "", derivmath.ErrNaN},
	} {
		t.Run(c.name, func(t *testing.T) {
			var z apd.Decimal
			err := funding.FairPriceDated(ctx, &z, dectest.MustParse(t, c.index), dectest.MustParse(t, c.rate), c.toExpiry)
			if c.err != nil {
				if !errors.Is(err, c.err) {
					t.Fatalf("error %v, want %v", err, c.err)
				}
				return
			}
			wantDecimal(t, "mark", &z, err, c.want)
		})
	}
}

// TestFairPriceDatedBoundary: at a basis rate of -36.5 over 10 days,
// year + basisRate*toExpiry is exactly 0; a rate 1e-30 above it gives a
// tiny positive price, 1e-30 below it none. The decision is made on the
// exact quantity in every rounding mode and precision: rounding the
// product first turned the tiny positive price into ErrBasis (half-even,
// floor) or into one 10^13 times too large (ceiling), and at 4 digits,
// where the product rounds to -3.153E+16, accepted the zero price.
func TestFairPriceDatedBoundary(t *testing.T) {
	const toExpiry = 10 * 24 * time.Hour
	index := dectest.MustParse(t, "10000")
	ok := func(_ apd.Condition, err error) {
		if err != nil {
			t.Fatalf("oracle: %v", err)
		}
	}
	for _, mode := range []struct {
		prec     uint32
		rounding apd.Rounder
	}{
		{19, apd.RoundHalfEven},
		{19, apd.RoundFloor},
		{19, apd.RoundCeiling},
		{19, apd.RoundDown},
		{19, apd.RoundUp},
		{4, apd.RoundHalfEven},
		{4, apd.RoundCeiling},
		{4, apd.RoundDown},
	} {
		ctx := apd.BaseContext.WithPrecision(mode.prec)
		ctx.Rounding = mode.rounding
		for _, c := range []struct {
			rate     string
			positive bool
		}{
			{"-36.500000000000000000000000000001", false},
			{"-36.5", false},
			{"-36.499999999999999999999999999999", true},
		} {
			name := fmt.Sprintf("%d %s %s", mode.prec, mode.rounding, c.rate)
			br := dectest.MustParse(t, c.rate)
			var z apd.Decimal
			err := funding.FairPriceDated(ctx, &z, index, br, toExpiry)
			if !c.positive {
				if !errors.Is(err, funding.ErrBasis) {
					t.Errorf("%s: mark %s, error %v, want ErrBasis", name, &z, err)
				}
				continue
			}
			// The exact price: index*(year + br*t)/year.
			o := dectest.Oracle()
			var want, yr apd.Decimal
			yr.SetInt64(int64(365 * 24 * time.Hour))
			ok(o.Mul(&want, br, apd.New(int64(toExpiry), 0)))
			ok(o.Add(&want, &want, &yr))
			ok(o.Mul(&want, &want, index))
			ok(o.Quo(&want, &want, &yr))
			if err != nil || z.Sign() <= 0 || !dectest.ULPs(&z, &want, int64(mode.prec), 1) {
				t.Errorf("%s: mark %s, error %v, want %s within a unit of its last place", name, &z, err, &want)
			}
		}
	}
}

// TestFairPriceNearMinusOne checks that FairPrice of a rate just above -1
// over the whole interval, whose exact price is tiny but positive, is that
// price within a unit of its last place, in every rounding mode: rounding
// F*until first to the context's precision (here -28800000000000.00000)
// made interval + F*until exactly 0, and the mark a price of 0, which no
// function accepts, with no error.
func TestFairPriceNearMinusOne(t *testing.T) {
	const interval = 8 * time.Hour
	index := dectest.MustParse(t, "10000")
	ok := func(_ apd.Condition, err error) {
		if err != nil {
			t.Fatalf("oracle: %v", err)
		}
	}
	for _, prec := range []uint32{19, 4} {
		for _, rounding := range []apd.Rounder{apd.RoundHalfEven, apd.RoundHalfUp, apd.RoundFloor, apd.RoundCeiling, apd.RoundDown, apd.RoundUp} {
			ctx := apd.BaseContext.WithPrecision(prec)
			ctx.Rounding = rounding
			for _, rate := range []string{
				"-0.99999999999999999999999999999",
				"-0.99999999999999999999999999999999999999999999999999",
				"-0.9999999999999999999",
				"-0.99999",
			} {
				name := fmt.Sprintf("%d %s %s", prec, rounding, rate)
				r := dectest.MustParse(t, rate)
				var z apd.Decimal
				err := funding.FairPrice(ctx, &z, index, r, interval, interval)
				// The exact price: index*(interval + F*interval)/interval.
				o := dectest.Oracle()
				var want apd.Decimal
				ok(o.Add(&want, r, apd.New(1, 0)))
				ok(o.Mul(&want, &want, index))
				if err != nil || z.Sign() <= 0 || !dectest.ULPs(&z, &want, int64(prec), 1) {
					t.Errorf("%s: mark %s, error %v, want %s within a unit of its last place", name, &z, err, &want)
				}
			}
		}
	}
}

// TestRatesBelowOne: every rate this package produces (a premium, an
// interest component, a funding rate, a basis) is one it takes, of
// magnitude below 1 (derivmath.CheckRate), since a successful output must
// be a valid input. Valid inputs that would give 1 or more are ErrRate and
// leave z unchanged: a rate of 0.5 per 8 hours is 1.5 per 24 hours
// (PerInterval, RateBinance), daily rates of 0.6 and -0.6 give an
// interest component of 1.2 over 24 hours, a mark or an impact bid at
// twice the index a premium of 1 (DeadBand, Premium, MarkPremium), and a
// rate of 20 digits may round to 1 at 19 (Average, Rate, Basis). Just below,
// the result is accepted by the functions that take it.
func TestRatesBelowOne(t *testing.T) {
	ctx := derivmath.NewContext()
	day, half := 24*time.Hour, 12*time.Hour
	band := funding.DefaultDeadBand(new(apd.Decimal))
	for _, c := range []struct {
		name string
		fn   func(z *apd.Decimal) error
		ok   bool
	}{
		{"PerInterval 0.5/24h", func(z *apd.Decimal) error { return funding.PerInterval(ctx, z, dec(t, "0.5"), day) }, false},
		{"PerInterval -0.7/12h", func(z *apd.Decimal) error { return funding.PerInterval(ctx, z, dec(t, "-0.7"), half) }, false},
		{"PerInterval 0.3/24h", func(z *apd.Decimal) error { return funding.PerInterval(ctx, z, dec(t, "0.3"), day) }, true},
		{"RateBinance ScaleRate", func(z *apd.Decimal) error {
			return funding.RateBinance(ctx, z, dec(t, "0.5"), dec(t, "0.5"), dec(t, "0.0005"), day, funding.ScaleRate)
		}, false},
		{"RateBinance ScaleTerms", func(z *apd.Decimal) error {
			return funding.RateBinance(ctx, z, dec(t, "0.9"), dec(t, "0.5"), dec(t, "0.5"), day, funding.ScaleTerms)
		}, false},
		{"RateBinance ScaleRate 0.3", func(z *apd.Decimal) error {
			return funding.RateBinance(ctx, z, dec(t, "0.3"), dec(t, "0.3"), dec(t, "0.0005"), day, funding.ScaleRate)
		}, true},
		{"Interest 24h", func(z *apd.Decimal) error { return funding.Interest(ctx, z, dec(t, "0.6"), dec(t, "-0.6"), day) }, false},
		{"Interest 24h below", func(z *apd.Decimal) error { return funding.Interest(ctx, z, dec(t, "0.4"), dec(t, "-0.4"), day) }, true},
		{"DeadBand", func(z *apd.Decimal) error { return funding.DeadBand(ctx, z, dec(t, "3"), dec(t, "1"), band) }, false},
		{"DeadBand below", func(z *apd.Decimal) error { return funding.DeadBand(ctx, z, dec(t, "1.9"), dec(t, "1"), band) }, true},
		{"Premium", func(z *apd.Decimal) error { return funding.Premium(ctx, z, dec(t, "2"), dec(t, "2"), dec(t, "1")) }, false},
		{"Premium below", func(z *apd.Decimal) error { return funding.Premium(ctx, z, dec(t, "1.9"), dec(t, "2"), dec(t, "1")) }, true},
		{"MarkPremium", func(z *apd.Decimal) error {
			return funding.MarkPremium(ctx, z, dec(t, "1.9"), dec(t, "1.9"), dec(t, "1"), dec(t, "1"), dec(t, "0.2"))
		}, false},
		// 20 nines round to 1 at 19 digits.
		{"Average", func(z *apd.Decimal) error {
			return funding.Average(ctx, z, []apd.Decimal{*dec(t, "0.99999999999999999999")}, funding.Equal)
		}, false},
		{"Rate", func(z *apd.Decimal) error {
			return funding.Rate(ctx, z, dec(t, "0.99999999999999999995"), dec(t, "0.99999999999999999999"), dec(t, "1E-21"))
		}, false},
		{"Basis", func(z *apd.Decimal) error {
			return funding.Basis(ctx, z, dec(t, "-0.99999999999999999999"), 8*time.Hour, 8*time.Hour)
		}, false},
		{"Basis below", func(z *apd.Decimal) error {
			return funding.Basis(ctx, z, dec(t, "-0.9"), 8*time.Hour, 8*time.Hour)
		}, true},
		{"MarkPremium below", func(z *apd.Decimal) error {
			return funding.MarkPremium(ctx, z, dec(t, "1.7"), dec(t, "1.7"), dec(t, "1"), dec(t, "1"), dec(t, "0.2"))
		}, true},
	} {
		z := dec(t, "7")
		err := c.fn(z)
		if !c.ok {
			if !errors.Is(err, derivmath.ErrRate) || z.Cmp(apd.New(7, 0)) != 0 {
				t.Errorf("%s: %v, z %s; want ErrRate, z unchanged", c.name, err, z.String())
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		// The consumers: a funding rate is paid, accrued, capped, marked
		// and annualised; a premium is averaged and makes a rate.
		var y apd.Decimal
		p := position(t, "100")
		if err := errors.Join(
			derivmath.CheckRate(z),
			funding.Payment(ctx, &y, contract.BTCUSDT(), p, dec(t, "100"), z),
			funding.Accrual(ctx, &y, contract.BTCUSDT(), p, dec(t, "100"), z, time.Hour, 8*time.Hour),
			funding.Clamp(&y, z, dec(t, "0.5")),
			funding.FairPrice(ctx, &y, dec(t, "100"), z, time.Hour, 8*time.Hour),
			funding.Average(ctx, &y, []apd.Decimal{*z}, funding.Equal),
			funding.Rate(ctx, &y, z, z, dec(t, "0.0005")),
		); err != nil {
			t.Errorf("%s = %s, refused as input: %v", c.name, z.String(), err)
		}
	}
}

// TestRateOnTheBound: where interest - premium, rounded to ctx's
// precision, equals the bound, F is not clamped and is the interest itself,
// with its representation (Rate's godoc): here the exact difference exceeds
// the bound by 1E-23, half a unit in the last place of 19 digits is 5E-23,
// and premium + bound would be 0.0005 rounded to 19 digits.
func TestRateOnTheBound(t *testing.T) {
	ctx := derivmath.NewContext()
	for _, c := range []struct{ premium, interest string }{
		{"-1E-23", "0.0005"},
		{"1E-23", "-0.0005"},
	} {
		var z apd.Decimal
		err := funding.Rate(ctx, &z, dec(t, c.premium), dec(t, c.interest), funding.DefaultClamp(new(apd.Decimal)))
		if err != nil || z.String() != c.interest {
			t.Errorf("Rate(%s, %s) = %s, %v; want the interest, %s", c.premium, c.interest, z.String(), err, c.interest)
		}
	}
}

// TestClampChangeInexact: in a context that traps Inexact, a window end
// that rounds is an error and z is unchanged. prev - limit is
// -0.10000000000000000001, 20 digits, while prev + limit is
// -0.09999999999999999999, exact: only the lower end rounds.
func TestClampChangeInexact(t *testing.T) {
	ctx := derivmath.NewContext()
	ctx.Traps |= apd.Inexact
	z := dec(t, "7")
	err := funding.ClampChange(ctx, z, dec(t, "0"), dec(t, "-0.1"), dec(t, "1E-20"))
	if err == nil || z.Cmp(apd.New(7, 0)) != 0 {
		t.Errorf("ClampChange: %v, z %s; want an inexact error, z unchanged", err, z.String())
	}
}

// TestFairPriceNoBasis: with no basis to accrue (no time left, or a rate
// of 0) the mark is the index itself, however many digits it has: it was
// computed as index*interval/interval, whose product, rounded to the
// context, could move a 19-digit index by one unit in its last digit.
func TestFairPriceNoBasis(t *testing.T) {
	ctx := derivmath.NewContext()
	for _, index := range []string{"1234567890123456789", "9999999999999999999", "98765.43210987654321", "3", "65000.5"} {
		for _, iv := range []time.Duration{time.Hour, 4 * time.Hour, 8 * time.Hour} {
			for _, c := range []struct {
				rate  string
				until time.Duration
			}{{"0.0001", 0}, {"-0.0003", 0}, {"0", iv / 3}, {"0", iv}} {
				x := dec(t, index)
				var want, z apd.Decimal
				if _, err := ctx.Round(&want, x); err != nil {
					t.Fatal(err)
				}
				if err := funding.FairPrice(ctx, &z, x, dec(t, c.rate), c.until, iv); err != nil || z.Cmp(&want) != 0 {
					t.Errorf("FairPrice(%s, %s, %v of %v) = %s, %v; want %s", index, c.rate, c.until, iv, z.String(), err, want.String())
				}
				if err := funding.FairPriceDated(ctx, &z, x, dec(t, c.rate), max(c.until, 1)); c.rate == "0" && (err != nil || z.Cmp(&want) != 0) {
					t.Errorf("FairPriceDated(%s, 0, %v) = %s, %v; want %s", index, max(c.until, 1), z.String(), err, want.String())
				}
			}
		}
	}
}
