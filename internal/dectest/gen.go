package dectest

import (
	"strings"

	"github.com/cockroachdb/apd/v3"
	"pgregory.net/rapid"
)

// scaled returns a generator of decimals c*10^-e, c drawn from [lo, hi]
// and e from [minScale, maxScale].
func scaled(lo, hi int64, minScale, maxScale int32) *rapid.Generator[apd.Decimal] {
	return rapid.Custom(func(t *rapid.T) apd.Decimal {
		var d apd.Decimal
		d.SetFinite(rapid.Int64Range(lo, hi).Draw(t, "coeff"), -rapid.Int32Range(minScale, maxScale).Draw(t, "scale"))
		return d
	})
}

// Decimal returns a generator of finite decimals with coefficients in
// [-maxCoeff, maxCoeff] and between 0 and maxScale decimal places.
func Decimal(maxCoeff int64, maxScale int32) *rapid.Generator[apd.Decimal] {
	return scaled(-maxCoeff, maxCoeff, 0, maxScale)
}

// Positive returns a generator of decimals in (0, maxCoeff*10^0] with up to
// maxScale decimal places, never zero.
func Positive(maxCoeff int64, maxScale int32) *rapid.Generator[apd.Decimal] {
	return scaled(1, maxCoeff, 0, maxScale)
}

// Price returns a generator of exchange-like prices: from 0.0001 to
// 10,000,000, with at most 12 significant digits, biased to round numbers by
// rapid's shrinking.
func Price() *rapid.Generator[apd.Decimal] { return scaled(1, 100_000_000_000, 0, 4) }

// Qty returns a generator of nonzero signed quantities: up to 10,000,000
// contracts with at most 3 decimal places.
func Qty() *rapid.Generator[apd.Decimal] {
	return rapid.Custom(func(t *rapid.T) apd.Decimal {
		d := scaled(1, 10_000_000_000, 0, 3).Draw(t, "qty")
		d.Negative = rapid.Bool().Draw(t, "short")
		return d
	})
}

// Rate returns a generator of rates in [-maxAbs, maxAbs] with up to 6
// decimal places, where maxAbs is given in millionths (e.g. 5000 = 0.5%).
func Rate(maxAbsMillionths int64) *rapid.Generator[apd.Decimal] {
	return Fraction(-maxAbsMillionths, maxAbsMillionths)
}

// Leverage returns a generator of leverages in [lo, hi] (whole numbers
// given as int64) with up to 2 decimal places, as exchanges accept them.
func Leverage(lo, hi int64) *rapid.Generator[apd.Decimal] { return scaled(lo*100, hi*100, 2, 2) }

// Fraction returns a generator of decimals in [lo, hi] millionths (so
// Fraction(0, 5000) draws rates from 0 to 0.5%), with 6 decimal places:
// maintenance rates, fee rates, shares of an entry value.
func Fraction(loMillionths, hiMillionths int64) *rapid.Generator[apd.Decimal] {
	return scaled(loMillionths, hiMillionths, 6, 6)
}

// Scramble returns a generator of arbitrary decimals to fill a result
// argument before a call: small and wide coefficients (beyond the two words
// apd stores inline, so that the heap big.Int is in play), any sign and
// exponent, and now and then a NaN or an infinity. A function that reads
// its result before writing it, or keeps a field of the old value, shows it.
func Scramble() *rapid.Generator[apd.Decimal] {
	return rapid.Custom(func(t *rapid.T) apd.Decimal {
		var d apd.Decimal
		switch rapid.IntRange(0, 9).Draw(t, "junkKind") {
		case 0:
			d.Form = apd.NaN
		case 1:
			d.Form = apd.Infinite
			d.Negative = rapid.Bool().Draw(t, "junkNeg")
		case 2, 3, 4:
			digits := rapid.StringOfN(rapid.RuneFrom([]rune("0123456789")), 20, 45, -1).Draw(t, "junkDigits")
			if _, ok := d.Coeff.SetString("1"+digits, 10); !ok {
				panic("dectest: bad junk digits")
			}
			d.Exponent = rapid.Int32Range(-60, 60).Draw(t, "junkExp")
			d.Negative = rapid.Bool().Draw(t, "junkNeg")
		default:
			d.SetFinite(rapid.Int64().Draw(t, "junkCoeff"), rapid.Int32Range(-60, 60).Draw(t, "junkExp"))
		}
		return d
	})
}

// sampled returns a generator that parses one of texts on each draw (a
// fresh decimal every time, never a shared one) and reduces it, so that
// "100" has the one-digit coefficient 1E+2 that an exchange-sized digit
// budget counts on.
func sampled(label string, texts ...string) *rapid.Generator[apd.Decimal] {
	return rapid.Custom(func(t *rapid.T) apd.Decimal {
		s := rapid.SampledFrom(texts).Draw(t, label)
		var d apd.Decimal
		if _, _, err := d.SetString(s); err != nil {
			panic(err)
		}
		d.Reduce(&d)
		return d
	})
}

// Multiplier returns a generator of exchange multipliers with a one-digit
// coefficient: 1 and 100 USD (BitMEX XBTUSD, Binance COIN-M), 10 USD,
// 0.01 (XBTETH), 0.001, 0.0001 and 0.000001 (BitMEX XBTUSDT and ETHUSD).
func Multiplier() *rapid.Generator[apd.Decimal] {
	return sampled("multiplier", "1", "100", "10", "0.01", "0.001", "0.0001", "0.000001")
}

// Tick returns a generator of exchange tick sizes with a one-digit
// coefficient, from 0.0001 to 1 (BitMEX XBTUSD 0.5, ETHUSD 0.05, Binance
// BTCUSDT 0.1).
func Tick() *rapid.Generator[apd.Decimal] {
	return sampled("tick", "0.5", "0.1", "0.05", "0.01", "1", "0.001", "0.0001", "0.005")
}

// Lot returns a generator of exchange lot sizes with a one-digit
// coefficient, from 0.001 to 1000 (BitMEX XBTUSD 100, XBTUSDT 1000,
// Binance BTCUSDT 0.001).
func Lot() *rapid.Generator[apd.Decimal] {
	return sampled("lot", "1", "100", "1000", "0.001", "0.01", "0.1", "10")
}

// OnStep returns a generator of whole multiples k*step with 1 <= k <=
// maxSteps: prices on a tick, sizes in lots. With a one-digit step (see
// [Tick] and [Lot]) and maxSteps up to 10^8 the coefficient has at most 9
// digits, which keeps the products of exchange formulas exact at 19.
func OnStep(step *apd.Decimal, maxSteps int64) *rapid.Generator[apd.Decimal] {
	return rapid.Custom(func(t *rapid.T) apd.Decimal {
		k := rapid.Int64Range(1, maxSteps).Draw(t, "steps")
		var d apd.Decimal
		d.SetInt64(k)
		mustOK(Oracle().Mul(&d, &d, step))
		return d
	})
}

// hostileTexts are decimals an attacker or a broken feed might send: NaN,
// sNaN, infinities, -0, enormous and tiny exponents, 20- and 51-digit
// coefficients, values just inside and outside the accepted range, rates
// at and near the bounds, and ordinary exchange values.
var hostileTexts = []string{
	"NaN", "sNaN", "-NaN", "Infinity", "-Infinity", "-0", "0", "-0.00", "0E+101", "0E-101",
	"1E+1000", "1E-1000", "-1E+1000", "1E+37", "1E-37", "-1E-37",
	"1E+100", "1E-100", "1E+101", "1E-101", "-1E-101", "9.99E+99",
	"12345678901234567890", "-12345678901234567890", "0.12345678901234567890", "18446744073709551616",
	"1" + strings.Repeat("0", 50), "9" + strings.Repeat("9", 49), "0." + strings.Repeat("3", 50),
	"-0." + strings.Repeat("9", 50), "0." + strings.Repeat("0", 49) + "1",
	"9223372036854775807", "0.5", "1", "-1", "100", "-100", "65432.5", "0.00000001",
	"0.9999999999999999999", "-0.9999999999999999999", "1.000000000000000001", "1000000",
	"0.0001", "-0.0005", "0.00025", "0.01", "0.005", "0.75",
}

// HostileDecimal draws one of hostileTexts, parsed afresh, for the
// hostile-input property tests of funding (and of any package that wants
// the same list).
func HostileDecimal(t *rapid.T, label string) *apd.Decimal {
	x, _, err := apd.NewFromString(rapid.SampledFrom(hostileTexts).Draw(t, label))
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// Hostile runs one call of a hostile-input property: it calls fn with x,
// fresh copies of in, and z, a fresh -42.5 or, for alias > 0, x[alias-1].
// It fails t if a call that returns an error changed z, or if a call that
// succeeds wrote a z that valid refuses (derivmath.CheckDecimal, passed
// in so that dectest depends on none of the packages it tests). It returns
// fn's error, for the caller to check that it is documented.
func Hostile(t *rapid.T, name string, in []*apd.Decimal, alias int, valid func(*apd.Decimal) error, fn func(z *apd.Decimal, x []*apd.Decimal) error) error {
	t.Helper()
	x := make([]*apd.Decimal, len(in))
	for i := range in {
		x[i] = new(apd.Decimal).Set(in[i])
	}
	z := D("-42.5")
	if alias > 0 {
		z = x[alias-1]
	}
	before := new(apd.Decimal).Set(z)
	err := fn(z, x)
	if err != nil {
		if z.CmpTotal(before) != 0 || z.Form != before.Form {
			t.Fatalf("%s(%v) failed (%v) and changed z from %s to %s", name, in, err, before, z)
		}
		return err
	}
	if e := valid(z); e != nil {
		t.Fatalf("%s(%v) = %s, not a valid input: %v", name, in, z, e)
	}
	return nil
}

// A TierRow is one row of a Binance-shaped maintenance table, with the
// fields of margin.Tier. dectest does not import margin (margin's own
// tests import dectest), so tests convert rows themselves.
type TierRow struct {
	Floor, MMR, Cum, MaxLeverage apd.Decimal
}

// TierRows returns a generator of valid tier tables of 1 to maxLen rows:
// the first floor 0 and floors strictly increasing (up to about 10^10, two
// decimal places), maintenance rates non-decreasing in (0, 0.5] with up
// to 5 decimal places, maximum leverage non-increasing from at most 200
// down to 1, and each Cum computed by Binance's recurrence
// cum_n = cum_(n-1) + floor_n*(MMR_n - MMR_(n-1)) on the 50-digit oracle.
// Every value fits in 19 digits, so the tables are exact in the default
// context.
func TierRows(maxLen int) *rapid.Generator[[]TierRow] {
	return rapid.Custom(func(t *rapid.T) []TierRow {
		n := rapid.IntRange(1, maxLen).Draw(t, "tiers")
		rows := make([]TierRow, n)
		ctx := Oracle()
		floor := int64(0)     // in cents
		mmr := int64(0)       // in 1e-5
		lev := int64(200)     // whole
		const maxFloor = 1e12 // 10^10 in cents
		const maxMMR = 50_000 // 0.5 in 1e-5
		for i := range rows {
			r := &rows[i]
			if i > 0 {
				room := (maxFloor - floor) / int64(n-i+1)
				floor += rapid.Int64Range(1, max(1, room)).Draw(t, "floorStep")
			}
			mmr += rapid.Int64Range(0, (maxMMR-mmr)/int64(n-i+1)).Draw(t, "mmrStep")
			if mmr == 0 {
				mmr = 1
			}
			lev -= rapid.Int64Range(0, (lev-1)/int64(n-i+1)).Draw(t, "levStep")
			r.Floor.SetFinite(floor, -2)
			r.MMR.SetFinite(mmr, -5)
			r.MaxLeverage.SetInt64(lev)
			if i == 0 {
				continue
			}
			p := &rows[i-1]
			var step apd.Decimal
			mustOK(ctx.Sub(&step, &r.MMR, &p.MMR))
			mustOK(ctx.Mul(&step, &step, &r.Floor))
			mustOK(ctx.Add(&r.Cum, &p.Cum, &step))
		}
		return rows
	})
}

// LongTierRows returns a valid table of n rows, more than any exchange
// publishes: floors 0, 1000, 2000, ..., maintenance rates 0.004, 0.00401,
// 0.00402, ..., maximum leverage 125 throughout, and each Cum by Binance's
// recurrence, exactly. With n above 1024, a solve that crosses every
// floor meets liquidation's bound on segments.
func LongTierRows(n int) []TierRow {
	rows := make([]TierRow, n)
	ctx := Oracle()
	for i := range rows {
		r := &rows[i]
		r.Floor.SetInt64(int64(i) * 1000)
		r.MMR.SetFinite(400+int64(i), -5)
		r.MaxLeverage.SetInt64(125)
		if i > 0 {
			var step apd.Decimal
			mustOK(ctx.Sub(&step, &r.MMR, &rows[i-1].MMR))
			mustOK(ctx.Mul(&step, &step, &r.Floor))
			mustOK(ctx.Add(&r.Cum, &rows[i-1].Cum, &step))
		}
	}
	return rows
}

// rounders are apd's rounders, and none (half-up), for AnyContext and
// FuzzDocumented.
var rounders = []apd.Rounder{
	apd.RoundDown, apd.RoundHalfUp, apd.RoundHalfEven, apd.RoundCeiling,
	apd.RoundFloor, apd.RoundHalfDown, apd.RoundUp, apd.Round05Up, "",
}

// AnyContext draws a context: precision 1 to 19 (where internal/num
// computes on machine integers) or, one time in five, 20 to 50 (through
// apd); any of apd's rounders, or none (half-up); Inexact trapped one time
// in ten.
func AnyContext(t *rapid.T) *apd.Context {
	c := apd.BaseContext
	if rapid.IntRange(0, 4).Draw(t, "wide") == 0 {
		c.Precision = uint32(rapid.IntRange(20, 50).Draw(t, "prec"))
	} else {
		c.Precision = uint32(rapid.IntRange(1, 19).Draw(t, "prec"))
	}
	c.Rounding = rapid.SampledFrom(rounders).Draw(t, "rounding")
	if rapid.IntRange(0, 9).Draw(t, "trapInexact") == 0 {
		c.Traps |= apd.Inexact
	}
	return &c
}
