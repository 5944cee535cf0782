package funding_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/funding"
)

// The fuzz targets feed arbitrary decimal text to every function: nothing
// may panic, and an error must be one of the documented sentinels. A
// successful result must be a valid input (derivmath.CheckDecimal).

var documented = []error{
	derivmath.ErrNaN, derivmath.ErrInfinite, derivmath.ErrNegativeZero, derivmath.ErrRange,
	derivmath.ErrPrice, derivmath.ErrContext,
	derivmath.ErrRate, funding.ErrBound, funding.ErrMarginRate, funding.ErrFactor,
	funding.ErrMargin, funding.ErrCrossed, funding.ErrEmptyWindow, funding.ErrWeighting,
	funding.ErrInterval, funding.ErrOffset, funding.ErrTimeLeft, funding.ErrDuration,
	funding.ErrExpiry, funding.ErrBasis,
}

// checkResult fails t if err is undocumented, or if a result is malformed.
func checkResult(t *testing.T, what string, z *apd.Decimal, err error) {
	t.Helper()
	if err != nil {
		for _, e := range documented {
			if errors.Is(err, e) {
				return
			}
		}
		t.Fatalf("%s: undocumented error %v", what, err)
	}
	if e := derivmath.CheckDecimal(z); e != nil {
		t.Fatalf("%s: result %s is not a valid input: %v", what, z.String(), e)
	}
}

// parse parses s, or skips the input: the targets test the functions, not
// apd's parser.
func parse(t *testing.T, s string) *apd.Decimal {
	d, _, err := apd.NewFromString(s)
	if err != nil {
		t.Skip()
	}
	return d
}

func FuzzPrices(f *testing.F) {
	f.Add("10049", "10051", "10000", "10000.25", "0.000025")
	f.Add("10010", "10020", "10000", "10000", "0")
	f.Add("9980", "9990", "0", "-1", "1")
	f.Add("NaN", "Infinity", "-0", "1e-40", "1e40")
	f.Add("1.0000000000000000001", "2", "0.0000000000000000000000000000000000001", "3", "-0.9999999999999999999")
	f.Fuzz(func(t *testing.T, bidS, askS, indexS, markS, basisS string) {
		ctx := derivmath.NewContext()
		bid, ask, index := parse(t, bidS), parse(t, askS), parse(t, indexS)
		mark, basis := parse(t, markS), parse(t, basisS)
		var z apd.Decimal
		checkResult(t, "Premium", &z, funding.Premium(ctx, &z, bid, ask, index))
		checkResult(t, "MarkPremium", &z, funding.MarkPremium(ctx, &z, bid, ask, mark, index, basis))
		checkResult(t, "DeadBand", &z, funding.DeadBand(ctx, &z, mark, index, basis))
		checkResult(t, "ImpactNotional", &z, funding.ImpactNotional(ctx, &z, bid, basis))
		for _, d := range []time.Duration{-time.Hour, 0, time.Nanosecond, 30 * 24 * time.Hour, 1 << 62} {
			checkResult(t, "BasisRate", &z, funding.BasisRate(ctx, &z, bid, ask, index, d))
			checkResult(t, "FairPriceDated", &z, funding.FairPriceDated(ctx, &z, index, basis, d))
		}
	})
}

func FuzzRates(f *testing.F) {
	f.Add("0.0001", "0.0001", "0.0005", "0.001", "0.00375")
	f.Add("0.001", "-0.0001", "0", "0.0000000000000000000000000000000000001", "0.9999999999999999999")
	f.Add("1", "-1", "-0.0005", "NaN", "-0")
	f.Add("0.1234567890123456789", "-0.9876543210987654321", "0.0000000000000000001", "1e-36", "5E-4")
	f.Fuzz(func(t *testing.T, aS, bS, cS, dS, eS string) {
		ctx := derivmath.NewContext()
		a, b, c, d, e := parse(t, aS), parse(t, bS), parse(t, cS), parse(t, dS), parse(t, eS)
		var z apd.Decimal
		checkResult(t, "Rate", &z, funding.Rate(ctx, &z, a, b, c))
		checkResult(t, "Clamp", &z, funding.Clamp(&z, a, c))
		checkResult(t, "ClampChange", &z, funding.ClampChange(ctx, &z, a, d, e))
		checkResult(t, "CapBitMEX", &z, funding.CapBitMEX(ctx, &z, d, e))
		checkResult(t, "ChangeCapBitMEX", &z, funding.ChangeCapBitMEX(ctx, &z, e))
		checkResult(t, "CapBinance", &z, funding.CapBinance(ctx, &z, c, e))
		for _, iv := range []time.Duration{-time.Hour, 0, 7 * time.Hour, time.Nanosecond, 8 * time.Hour} {
			checkResult(t, "Interest", &z, funding.Interest(ctx, &z, a, b, iv))
			checkResult(t, "Annualised", &z, funding.Annualised(ctx, &z, a, iv))
			checkResult(t, "Basis", &z, funding.Basis(ctx, &z, b, iv/3, iv))
			checkResult(t, "FairPrice", &z, funding.FairPrice(ctx, &z, d, b, iv, iv))
		}
		samples := []apd.Decimal{*a, *b, *c, *d, *e}
		for _, w := range []funding.Weighting{0, funding.Equal, funding.TimeWeighted, 3} {
			checkResult(t, "Average", &z, funding.Average(ctx, &z, samples, w))
		}
	})
}

func FuzzAverage(f *testing.F) {
	f.Add("0.0001,0.0003,-0.0002", uint8(1))
	f.Add("0.0001428571428571428571,0.00005,1e-36", uint8(2))
	f.Add("", uint8(1))
	f.Add("1,NaN", uint8(0))
	f.Fuzz(func(t *testing.T, list string, w uint8) {
		ctx := derivmath.NewContext()
		var samples []apd.Decimal
		if list != "" {
			for _, s := range strings.Split(list, ",") {
				samples = append(samples, *parse(t, s))
			}
		}
		var z apd.Decimal
		err := funding.Average(ctx, &z, samples, funding.Weighting(w))
		checkResult(t, "Average", &z, err)
		if err == nil && z.NumDigits() > derivmath.Precision {
			t.Fatalf("Average = %s: more than %d digits", z.String(), derivmath.Precision)
		}
	})
}

func FuzzPayment(f *testing.F) {
	f.Add("15000", "750", "0.0025", uint8(0), int64(time.Hour))
	f.Add("-2.5", "50000.1", "-0.0001", uint8(1), int64(0))
	f.Add("0", "0", "1", uint8(2), int64(-1))
	f.Add("9999999999999999999", "0.0000000000000000000000000000000000001", "0.9999999999999999999", uint8(3), int64(1<<62))
	f.Fuzz(func(t *testing.T, qtyS, markS, rateS string, kind uint8, dt int64) {
		ctx := derivmath.NewContext()
		s := specs[int(kind)%len(specs)]
		var p contract.Position
		p.Qty.Set(parse(t, qtyS))
		mark, rate := parse(t, markS), parse(t, rateS)
		var z apd.Decimal
		checkResult(t, "Payment", &z, funding.Payment(ctx, &z, s, &p, mark, rate))
		for _, period := range []time.Duration{8 * time.Hour, time.Duration(dt)} {
			checkResult(t, "Accrual", &z, funding.Accrual(ctx, &z, s, &p, mark, rate, time.Duration(dt), period))
		}
	})
}

func FuzzNext(f *testing.F) {
	f.Add(int64(1_700_000_000_000_000_000), int64(8*time.Hour), int64(0))
	f.Add(int64(-1), int64(time.Hour), int64(time.Hour))
	f.Add(int64(1<<62), int64(7*time.Hour), int64(-1))
	f.Fuzz(func(t *testing.T, unixNano, interval, offset int64) {
		at := time.Unix(0, unixNano)
		next, err := funding.Next(at, time.Duration(interval), time.Duration(offset))
		if err != nil {
			if !errors.Is(err, funding.ErrInterval) && !errors.Is(err, funding.ErrOffset) {
				t.Fatalf("undocumented error %v", err)
			}
			return
		}
		if !next.After(at) || next.Sub(at) > time.Duration(interval) {
			t.Fatalf("Next(%v, %v, %v) = %v", at, time.Duration(interval), time.Duration(offset), next)
		}
	})
}
