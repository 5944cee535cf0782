package dectest

import (
	"math/big"
	"strings"

	"github.com/cockroachdb/apd/v3"
	"pgregory.net/rapid"
)

// Rat returns the finite decimal d as an exact rational, for models that
// must not share apd's arithmetic with the code they check. It panics if d
// is not finite.
func Rat(d *apd.Decimal) *big.Rat {
	r, ok := new(big.Rat).SetString(d.String())
	if d.Form != apd.Finite || !ok {
		panic("dectest: Rat of a non-finite decimal")
	}
	return r
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
			digits := rapid.SliceOfN(rapid.IntRange(0, 9), 20, 45).Draw(t, "junkDigits")
			var b strings.Builder
			b.WriteByte('1')
			for _, x := range digits {
				b.WriteByte(byte('0' + x))
			}
			if _, ok := d.Coeff.SetString(b.String(), 10); !ok {
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
