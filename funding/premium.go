package funding

import (
	"fmt"
	"math/bits"
	"strconv"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/internal/fastdec"
)

// Premium sets z to the premium index of one sample, Binance's formula:
//
//	P = (max(0, impactBid - index) - max(0, index - impactAsk)) / index
//
// It is positive when buyers of the impact notional pay above the index,
// negative when sellers receive below it, and zero while the index lies
// between the impact bid and ask. The impact prices are the average fill
// prices of the impact notional ([ImpactNotional]) on each side of the order
// book; the orderbook package computes them. The result is rounded once. z
// may alias any operand.
//
// Errors: [derivmath.CheckPrice] errors for the three prices (a zero index is
// derivmath.ErrPrice), [ErrCrossed] when impactBid > impactAsk.
func Premium(ctx *apd.Context, z, impactBid, impactAsk, index *apd.Decimal) error {
	if fastdec.Default(ctx) {
		if p, ok := premiumDec(impactBid, impactAsk, index); ok {
			p.Store(z)
			return nil
		}
	}
	if err := checkImpact(impactBid, impactAsk); err != nil {
		return err
	}
	if err := derivmath.CheckPrice(index); err != nil {
		return err
	}
	return premium(ctx, z, impactBid, impactAsk, index, index)
}

// MarkPremium sets z to BitMEX's premium index of one sample, which measures
// the impact prices against the mark price instead of the index and adds
// back the fair basis that the mark carries (BitMEX perpetual contracts
// guide, "Premium Index"):
//
//	P = (max(0, impactBid - mark) - max(0, mark - impactAsk)) / index + basis
//
// basis is the fair basis used in the mark, mark = index*(1 + basis) (see
// [Basis] and [FairPrice]); the divisor is the index ("spot") price. With
// mark = index and basis = 0 it equals [Premium]. The result is rounded
// twice (the quotient and the sum). z may alias any operand.
//
// Errors: [derivmath.CheckPrice] errors for the four prices, [ErrCrossed]
// when impactBid > impactAsk, [ErrRate] (or a [derivmath.CheckDecimal]
// error) for basis.
func MarkPremium(ctx *apd.Context, z, impactBid, impactAsk, mark, index, basis *apd.Decimal) error {
	if err := checkImpact(impactBid, impactAsk); err != nil {
		return err
	}
	if err := derivmath.CheckPrice(mark); err != nil {
		return err
	}
	if err := derivmath.CheckPrice(index); err != nil {
		return err
	}
	if err := checkRate(basis); err != nil {
		return err
	}
	var p apd.Decimal
	if err := premium(ctx, &p, impactBid, impactAsk, mark, index); err != nil {
		return err
	}
	return wrap("mark premium", add(ctx, z, &p, basis))
}

// checkImpact validates a pair of impact prices.
func checkImpact(bid, ask *apd.Decimal) error {
	if err := derivmath.CheckPrice(bid); err != nil {
		return err
	}
	if err := derivmath.CheckPrice(ask); err != nil {
		return err
	}
	if bid.Cmp(ask) > 0 {
		return ErrCrossed
	}
	return nil
}

// premium sets z = (max(0, bid - ref) - max(0, ref - ask))/div for valid,
// uncrossed prices. At most one of the two terms is nonzero.
func premium(ctx *apd.Context, z, bid, ask, ref, div *apd.Decimal) error {
	var num apd.Decimal
	var err error
	switch {
	case bid.Cmp(ref) > 0:
		err = sub(ctx, &num, bid, ref)
	case ask.Cmp(ref) < 0:
		err = sub(ctx, &num, ask, ref)
	default:
		z.SetInt64(0)
		return nil
	}
	if err == nil {
		err = quo(ctx, z, &num, div)
	}
	return wrap("premium", err)
}

// premiumDec is Premium in the default context on operands loaded once:
// the same comparisons and operations as premium, so the same result. It
// reports false for anything else, invalid and crossed prices included,
// and Premium then returns the error.
func premiumDec(bid, ask, index *apd.Decimal) (fastdec.Dec, bool) {
	b, okb := fastdec.LoadChecked(bid, derivmath.MaxScale)
	a, oka := fastdec.LoadChecked(ask, derivmath.MaxScale)
	x, okx := fastdec.LoadChecked(index, derivmath.MaxScale)
	if !okb || !oka || !okx || b.Sign() <= 0 || a.Sign() <= 0 || x.Sign() <= 0 || b.Cmp(a) > 0 {
		return fastdec.Dec{}, false
	}
	var num fastdec.Dec
	var ok bool
	switch {
	case b.Cmp(x) > 0:
		num, ok = b.Sub(x)
	case a.Cmp(x) < 0:
		num, ok = a.Sub(x)
	default:
		return fastdec.Dec{}, true // zero, as z.SetInt64(0)
	}
	if !ok {
		return num, false
	}
	return num.Quo(x)
}

// ImpactNotional sets z to the impact margin notional margin/imr: the
// notional that a fixed amount of initial margin controls at the maximum
// leverage, over which the impact bid and ask prices are averaged. Binance
// uses 200 USDT of margin (BNBUSDT, IMR 5% at 20x: 4,000 USDT); BitMEX uses
// 0.1 XBT. z is in the currency of margin. z may alias any operand.
//
// Errors: [derivmath.CheckDecimal] errors, [ErrMargin] for a margin that is
// not positive, [ErrMarginRate] for an imr outside (0, 1].
func ImpactNotional(ctx *apd.Context, z, margin, imr *apd.Decimal) error {
	if err := derivmath.CheckDecimal(margin); err != nil {
		return err
	}
	if margin.Sign() <= 0 {
		return ErrMargin
	}
	if err := checkMarginRate(imr); err != nil {
		return err
	}
	err := quo(ctx, z, margin, imr)
	return wrap("impact notional", err)
}

// Weighting selects how [Average] weighs the premium samples of a funding
// interval.
type Weighting int8

// The weightings. The zero Weighting is invalid ([ErrWeighting]).
const (
	// Equal gives every sample the same weight: the arithmetic mean.
	// BitMEX averages its one-minute premium samples this way.
	Equal Weighting = 1 + iota
	// TimeWeighted gives the i-th sample of n (oldest first) the weight i,
	// so the latest sample counts n times as much as the first:
	// (1*P1 + 2*P2 + ... + n*Pn) / (1 + 2 + ... + n). This is the formula
	// of Binance's funding FAQ for its 5-second samples; derivmath has not
	// confirmed it against Binance's published rates, so it is a choice,
	// not a default.
	TimeWeighted
)

var weightingNames = [...]string{"invalid", "Equal", "TimeWeighted"}

// String returns the name of the weighting, such as "TimeWeighted".
func (w Weighting) String() string {
	if w < Equal || w > TimeWeighted {
		return "Weighting(" + strconv.Itoa(int(w)) + ")"
	}
	return weightingNames[w]
}

// maxSamples bounds the length of an averaging window so that the weight
// total and the exact sum fit in their integers: 2^31 samples, 68 years of
// one-second samples.
const maxSamples = 1 << 31

// sampleScale is the fixed-point scale of the exact sum on integers: a
// sample with |P| < 1, a 64-bit coefficient and an exponent of -36 or more
// is a whole number of 10^-36. Valid samples beyond (exponents down to
// -derivmath.MaxScale, coefficients past 64 bits) take the apd path.
const sampleScale = 36

// Average sets z to the weighted mean of the premium samples, in time order
// (oldest first), with weighting w.
//
// The weighted sum is computed exactly and divided once, so the mean is
// correctly rounded to ctx's precision in ctx's rounding mode; a window of
// equal samples averages to that sample exactly, whatever the weighting.
// At precisions of 1 to 19 the sum is kept on fixed-point integers and
// Average allocates nothing, however long the window; at higher precisions
// it uses apd, which allocates. z may alias an element of samples.
//
// Errors: [ErrEmptyWindow] for no samples, [ErrWeighting] for an undefined
// w, [ErrRate] (or a [derivmath.CheckDecimal] error) for a sample whose
// magnitude is 1 or more, wrapped with the sample's index (use
// [errors.Is]), and derivmath.ErrRange for a window of more than 2^31
// samples.
func Average(ctx *apd.Context, z *apd.Decimal, samples []apd.Decimal, w Weighting) error {
	if w < Equal || w > TimeWeighted {
		return ErrWeighting
	}
	n := len(samples)
	if n == 0 {
		return ErrEmptyWindow
	}
	if int64(n) > maxSamples {
		return derivmath.ErrRange
	}
	var pos, neg u192 // the weighted sums of the positive and negative samples
	ideal := int64(0) // the smallest exponent of a nonzero sample
	wide := false     // a valid sample is beyond the integer path
	for i := range samples {
		s := &samples[i]
		c, ok := rateCoeff(s)
		if !ok || s.Exponent < -sampleScale {
			if err := checkRate(s); err != nil {
				return sampleError(i, err)
			}
			wide = true
			continue
		}
		if c == 0 || wide {
			continue
		}
		ideal = min(ideal, int64(s.Exponent))
		// |s| < 1 with at most 19 digits and exponent >= -36: s*10^36 is
		// an integer below 10^36, times a weight below 2^31.
		var v u192
		v.setScaled(c, int(s.Exponent)+sampleScale)
		if w == TimeWeighted {
			v.mul64(uint64(i) + 1)
		}
		acc := &pos
		if s.Negative {
			acc = &neg
		}
		acc.add(&v) // below n*2^31*10^36 < 2^182
	}
	total := uint64(n)
	if w == TimeWeighted {
		hi, lo := bits.Mul64(uint64(n), uint64(n)+1)
		total = lo>>1 | hi<<63 // n(n+1)/2 < 2^61
	}
	if wide || ctx.Precision < 1 || ctx.Precision > fastPrecision {
		return averageAPD(ctx, z, samples, w, total)
	}
	negative := false
	switch pos.cmp(&neg) {
	case 0:
		z.SetInt64(0)
		return nil
	case 1:
		pos.sub(&neg)
	default:
		neg.sub(&pos)
		pos, negative = neg, true
	}
	// mean = pos/total * 10^-36: the integer part q and remainder r of
	// pos/total, then as many digits of r/total as ctx.Precision+1 needs.
	q := pos
	r := q.divmod64(total)
	exp := int64(-sampleScale)
	for q.digits() <= int(ctx.Precision) {
		hi, lo := bits.Mul64(r, 10) // r < total, so hi < total
		var d uint64
		d, r = bits.Div64(hi, lo, total)
		q.mul64(10)
		q.add64(d)
		exp--
	}
	ok, err := setRounded(ctx, z, &q, exp, negative, r != 0, ideal)
	if !ok {
		return averageAPD(ctx, z, samples, w, total)
	}
	return wrap("average", err)
}

// averageAPD is Average on apd decimals, for precisions and samples the
// integer path does not cover: the weighted sum is exact (apd does not round
// at precision 0), and the quotient is rounded once in ctx.
func averageAPD(ctx *apd.Context, z *apd.Decimal, samples []apd.Decimal, w Weighting, total uint64) error {
	exact := apd.BaseContext
	var sum, t, weight apd.Decimal
	weight.SetInt64(1)
	for i := range samples {
		if w == TimeWeighted {
			weight.SetInt64(int64(i) + 1)
		}
		if _, err := exact.Mul(&t, &samples[i], &weight); err != nil {
			return wrap("average", err)
		}
		if _, err := exact.Add(&sum, &sum, &t); err != nil {
			return wrap("average", err)
		}
	}
	var den apd.Decimal
	den.SetInt64(int64(total))
	_, err := ctx.Quo(z, &sum, &den)
	if err == nil && z.IsZero() {
		z.Negative = false
	}
	return wrap("average", err)
}

// sampleError reports which sample failed validation.
func sampleError(i int, err error) error {
	if err == nil {
		err = derivmath.ErrRange // unreachable: rateCoeff agrees with checkRate
	}
	return fmt.Errorf("funding: sample %d: %w", i, err)
}
