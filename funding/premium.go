package funding

import (
	"fmt"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/internal/enum"
	"github.com/derivmath/derivmath/internal/num"
)

// Premium sets z to the premium index of one sample, Binance's formula
// (Binance funding FAQ):
//
//	P = (max(0, impactBid - index) - max(0, index - impactAsk)) / index
//
// It is positive when buyers of the impact notional pay above the index,
// negative when sellers receive below it, and zero while the index lies
// between the impact bid and ask. The impact prices are the average fill
// prices of the impact notional ([ImpactNotional]) on each side of the order
// book; the orderbook package computes them. The result is rounded once (the
// difference too, if it needs more digits than ctx's precision).
//
// Errors: derivmath.ErrContext for a nil ctx, [derivmath.CheckPrice] errors
// for the three prices (a zero index is derivmath.ErrPrice), [ErrCrossed]
// when impactBid > impactAsk, derivmath.ErrRate for a premium whose
// magnitude is 1 or more (an impact bid at twice the index or more), which
// [Average] and [Rate] would refuse.
func Premium(ctx *apd.Context, z, impactBid, impactAsk, index *apd.Decimal) error {
	c := num.In(ctx)
	bid, ask := checkImpact(c, impactBid, impactAsk)
	x := c.CheckPrice(index)
	return num.Wrap("funding: premium", c.StoreRate(z, premium(c, bid, ask, x, x)))
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
// twice (the quotient and the sum).
//
// Errors: derivmath.ErrContext for a nil ctx, [derivmath.CheckPrice] errors
// for the four prices, [ErrCrossed] when impactBid > impactAsk,
// derivmath.ErrRate (or a [derivmath.CheckDecimal] error) for a basis whose
// magnitude is 1 or more, and for a premium whose magnitude is 1 or more,
// as [Premium].
func MarkPremium(ctx *apd.Context, z, impactBid, impactAsk, mark, index, basis *apd.Decimal) error {
	c := num.In(ctx)
	bid, ask := checkImpact(c, impactBid, impactAsk)
	m, x, b := c.CheckPrice(mark), c.CheckPrice(index), c.CheckRate(basis)
	return num.Wrap("funding: mark premium", c.StoreRate(z, c.Add(premium(c, bid, ask, m, x), b)))
}

// checkImpact loads a pair of impact prices, recording [ErrCrossed] when
// the bid is above the ask.
func checkImpact(c *num.Ctx, bid, ask *apd.Decimal) (b, a num.Dec) {
	b, a = c.CheckPrice(bid), c.CheckPrice(ask)
	c.FailIf(b.Cmp(a) > 0, ErrCrossed)
	return b, a
}

// premium is (max(0, bid - ref) - max(0, ref - ask))/div for uncrossed
// prices, at most one of whose terms is nonzero; 0 (exponent 0) when both
// are.
func premium(c *num.Ctx, bid, ask, ref, div num.Dec) num.Dec {
	var d num.Dec
	switch {
	case bid.Cmp(ref) > 0:
		d = c.Sub(bid, ref)
	case ask.Cmp(ref) < 0:
		d = c.Sub(ask, ref)
	default:
		return num.Dec{}
	}
	return c.Quo(d, div)
}

// ImpactNotional sets z to the impact margin notional margin/imr: the
// notional that a fixed amount of initial margin controls at the maximum
// leverage, over which the impact bid and ask prices are averaged. Binance
// uses 200 USDT of margin (BNBUSDT, IMR 5% at 20x: 4,000 USDT); BitMEX uses
// 0.1 XBT. z is in the currency of margin. The result is rounded once.
//
// Errors: derivmath.ErrContext for a nil ctx, [derivmath.CheckDecimal]
// errors, [ErrMargin] for a margin that is not positive, [ErrMarginRate] for
// an imr outside (0, 1].
func ImpactNotional(ctx *apd.Context, z, margin, imr *apd.Decimal) error {
	c := num.In(ctx)
	m := c.CheckPositive(margin, ErrMargin)
	r := checkMarginRate(c, imr)
	return num.Wrap("funding: impact notional", c.Store(z, c.Quo(m, r)))
}

// Weighting selects how [Average] weighs the premium samples of a funding
// interval.
type Weighting int8

// The weightings. The zero Weighting is invalid ([ErrWeighting]).
const (
	// Equal gives every sample the same weight: the arithmetic mean.
	// BitMEX averages its one-minute premium samples this way.
	Equal Weighting = 1 + iota
	// TimeWeighted gives the i-th sample of n (oldest first) the weight i, so
	// the latest sample counts n times as much as the first: (1*P1 + 2*P2 + ...
	// + n*Pn) / (1 + 2 + ... + n). Binance's funding FAQ gives it for its
	// 5-second samples (see "Not confirmed" in the package documentation).
	TimeWeighted
)

var weightingNames = [...]string{"invalid", "Equal", "TimeWeighted"}

// String returns the name of the weighting, such as "TimeWeighted".
func (w Weighting) String() string { return enum.Name("Weighting", weightingNames[:], int(w)) }

// maxSamples bounds the length of an averaging window so that the weight
// total fits an int64: 2^31 samples, 68 years of one-second samples.
const maxSamples = 1 << 31

// Average sets z to the weighted mean of the premium samples, in time order
// (oldest first), with weighting w.
//
// The weighted sum is computed exactly and divided once, by the number of
// samples (Equal) or the total weight n(n+1)/2 (TimeWeighted), as ctx.Quo
// divides: the mean is correctly rounded to ctx's precision in ctx's
// rounding mode, and has the representation of that quotient, with ctx's
// precision in digits (the mean of 0.0001 and 0.0003 is
// 0.0002000000000000000000 at 19 digits), and a zero mean the exponent of
// the exact sum. A window of equal samples (of at most ctx's precision in
// digits) averages to that sample's value exactly, whatever the weighting.
// The sum is kept on 192-bit integers, so Average allocates nothing at
// precisions of 1 to 19 for samples of up to 19 digits, however long the
// window, unless their exponents lie so far apart that the exact sum passes
// 192 bits (it then continues in apd). Within that promise, of its
// failures only the error for a bad sample allocates: it is built on the
// spot, to carry the sample's index.
//
// Errors: derivmath.ErrContext for a nil ctx, [ErrEmptyWindow] for no
// samples, [ErrWeighting] for an undefined w, derivmath.ErrRate (or a
// [derivmath.CheckDecimal] error) for a sample whose magnitude is 1 or more,
// wrapped with the sample's index (use [errors.Is]), derivmath.ErrRate for
// a mean that rounds to a magnitude of 1 (samples of more digits than ctx's
// precision, such as 20 nines at 19 digits), and derivmath.ErrRange for a
// window of more than 2^31 samples or a mean outside the result range.
func Average(ctx *apd.Context, z *apd.Decimal, samples []apd.Decimal, w Weighting) error {
	c := num.In(ctx)
	n := len(samples)
	switch {
	case w < Equal || w > TimeWeighted:
		return ErrWeighting
	case n == 0:
		return ErrEmptyWindow
	case int64(n) > maxSamples:
		return derivmath.ErrRange
	case c.Err != nil:
		return c.Err
	}
	var s num.Sum
	total := int64(n)
	if w == TimeWeighted {
		total = total * (total + 1) / 2 // below 2^61
	}
	for i := range samples {
		x := c.CheckRate(&samples[i])
		if c.Err != nil {
			return fmt.Errorf("funding: sample %d: %w", i, c.Err) // which sample failed
		}
		if w == TimeWeighted {
			s.AddScaled(x, uint64(i)+1)
		} else {
			s.Add(x)
		}
	}
	return num.Wrap("funding: average", c.StoreRate(z, c.QuoSum(&s, num.FromInt64(total))))
}
