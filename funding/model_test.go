package funding_test

import (
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/funding"
	"github.com/derivmath/derivmath/internal/dectest"
	"pgregory.net/rapid"
)

// The formulas against apd: each is recomputed by the same sequence of apd
// operations in the same context (any precision, any rounding mode, Inexact
// trapped or not), then passed through the result gate, and must match to
// the representation (coefficient and exponent) with the same error.

// apdModel computes with apd in ctx, keeping the first error.
type apdModel struct {
	ctx *apd.Context
	err error
}

type apdOp func(z, x, y *apd.Decimal) (apd.Condition, error)

func (m *apdModel) do(op apdOp, x, y *apd.Decimal) *apd.Decimal {
	z := new(apd.Decimal)
	if m.err == nil {
		_, m.err = op(z, x, y)
	}
	return z
}

func (m *apdModel) add(x, y *apd.Decimal) *apd.Decimal { return m.do(m.ctx.Add, x, y) }
func (m *apdModel) sub(x, y *apd.Decimal) *apd.Decimal { return m.do(m.ctx.Sub, x, y) }
func (m *apdModel) mul(x, y *apd.Decimal) *apd.Decimal { return m.do(m.ctx.Mul, x, y) }
func (m *apdModel) quo(x, y *apd.Decimal) *apd.Decimal { return m.do(m.ctx.Quo, x, y) }

// in returns a model computing in ctx with rounding r, sharing m's error
// through merge.
func (m *apdModel) in(r apd.Rounder) *apdModel {
	c := *m.ctx
	c.Rounding = r
	return &apdModel{ctx: &c, err: m.err}
}

// below1 is the gate of the rates the package produces: ErrRate unless
// |x| < 1.
func (m *apdModel) below1(x *apd.Decimal) *apd.Decimal {
	var a apd.Decimal
	if m.err == nil && a.Abs(x).Cmp(i64(1)) >= 0 {
		m.err = derivmath.ErrRate
	}
	return x
}

func (m *apdModel) merge(o *apdModel) {
	if m.err == nil {
		m.err = o.err
	}
}

// gate is the model's error, or the result gate applied to x.
func (m *apdModel) gate(x *apd.Decimal) (*apd.Decimal, error) {
	if m.err != nil {
		return nil, m.err
	}
	return dectest.Gate(x)
}

func i64(v int64) *apd.Decimal { return new(apd.Decimal).SetInt64(v) }

func neg(x *apd.Decimal) *apd.Decimal { return new(apd.Decimal).Neg(x) }

// premium is (max(0, bid - ref) - max(0, ref - ask))/div.
func (m *apdModel) premium(bid, ask, ref, div *apd.Decimal) *apd.Decimal {
	switch {
	case bid.Cmp(ref) > 0:
		return m.quo(m.sub(bid, ref), div)
	case ask.Cmp(ref) < 0:
		return m.quo(m.sub(ask, ref), div)
	}
	return new(apd.Decimal)
}

// average is apd's Quo of the exact weighted sum, accumulated from the
// first term on (an empty sum has no exponent of its own).
func (m *apdModel) average(samples []apd.Decimal, w funding.Weighting) *apd.Decimal {
	exact := apd.BaseContext
	sum := new(apd.Decimal)
	for i := range samples {
		var t apd.Decimal
		weight := i64(1)
		if w == funding.TimeWeighted {
			weight = i64(int64(i) + 1)
		}
		if _, err := exact.Mul(&t, &samples[i], weight); err != nil {
			panic(err)
		}
		if i == 0 {
			sum.Set(&t)
		} else if _, err := exact.Add(sum, sum, &t); err != nil {
			panic(err)
		}
	}
	total := int64(len(samples))
	if w == funding.TimeWeighted {
		total = total * (total + 1) / 2
	}
	return m.quo(sum, i64(total))
}

// value is contract.Spec.Value's formula: |q*m|*p, or |q*m|/p for Inverse.
func (m *apdModel) value(s *contract.Spec, q, p *apd.Decimal) *apd.Decimal {
	nm := m.mul(q, &s.Multiplier)
	nm.Negative = false
	if s.Kind == contract.Inverse {
		return m.quo(nm, p)
	}
	return m.mul(nm, p)
}

func (m *apdModel) payment(s *contract.Spec, q, mark, rate *apd.Decimal) *apd.Decimal {
	d := m.mul(m.value(s, q, mark), rate)
	if q.Negative {
		d = neg(d)
	}
	return d
}

// clampModel is x limited to [lo, hi].
func clampModel(x, lo, hi *apd.Decimal) *apd.Decimal {
	switch {
	case x.Cmp(hi) > 0:
		return hi
	case x.Cmp(lo) < 0:
		return lo
	}
	return x
}

// widen replaces, now and then, the coefficient of x by one of 20 to 45
// digits with the same leading digits' magnitude, so that the layer's
// values beyond a uint64 are exercised: x keeps its adjusted exponent.
func widen(t *rapid.T, x apd.Decimal, label string) apd.Decimal {
	if x.IsZero() || rapid.IntRange(0, 5).Draw(t, label+"Wide") != 0 {
		return x
	}
	n := rapid.IntRange(20, 45).Draw(t, label+"WideDigits")
	var b strings.Builder
	b.WriteByte(byte('1' + rapid.IntRange(0, 8).Draw(t, label+"WideLead")))
	for range n - 1 {
		b.WriteByte(byte('0' + rapid.IntRange(0, 9).Draw(t, label+"WideDigit")))
	}
	var c big.Int
	c.SetString(b.String(), 10)
	adj := int64(x.Exponent) + x.NumDigits() - 1
	var w apd.Decimal
	w.Coeff.SetMathBigInt(&c)
	w.Exponent = int32(adj - int64(n) + 1)
	w.Negative = x.Negative
	return w
}

// TestPropMatchesApd: in any context, every formula gives what the same
// sequence of apd operations gives, to the representation (CmpTotal:
// coefficient and exponent), after the result gate; and the same error.
// (Before the number layer this compared a fast path with a general one.)
func TestPropMatchesApd(t *testing.T) {
	intervals := []time.Duration{time.Hour, 2 * time.Hour, 4 * time.Hour, 8 * time.Hour}
	rapid.Check(t, func(t *rapid.T) {
		ctx := dectest.AnyContext(t)
		a, b := price19(t, "a"), price19(t, "b")
		a, b = widen(t, a, "a"), widen(t, b, "b")
		bid, ask := &a, &b
		if bid.Cmp(ask) > 0 {
			bid, ask = ask, bid
		}
		index, mark := price19(t, "index"), price19(t, "mark")
		index, mark = widen(t, index, "index"), widen(t, mark, "mark")
		if rapid.IntRange(0, 3).Draw(t, "bidAtIndex") == 0 {
			index.Set(bid) // a zero premium
		}
		r1, r2 := rate19(t, "r1", -3), rate19(t, "r2", -3)
		r1, r2 = widen(t, r1, "r1"), widen(t, r2, "r2")
		bound := positiveRate(t, "bound", -3)
		imr, mmr := positiveRate(t, "imr", -1), positiveRate(t, "mmr", -2)
		if imr.Cmp(&mmr) < 0 {
			imr, mmr = mmr, imr
		}
		margin := price19(t, "margin")
		br := rate19(t, "basisRate", 0)
		samples := drawWindow(t)
		for i := range samples {
			samples[i] = widen(t, samples[i], "sample")
		}
		w := rapid.SampledFrom([]funding.Weighting{funding.Equal, funding.TimeWeighted}).Draw(t, "w")
		s := rapid.SampledFrom(specs).Draw(t, "spec")
		var p contract.Position
		p.Qty = dectest.Qty().Draw(t, "qty")
		interval := rapid.SampledFrom(intervals).Draw(t, "interval")
		until := time.Duration(rapid.Int64Range(0, int64(interval)).Draw(t, "until"))
		dt := time.Duration(rapid.Int64Range(0, int64(3*interval)).Draw(t, "dt"))
		if rapid.Bool().Draw(t, "wholePeriods") {
			dt = dt / interval * interval
		}
		toExpiry := time.Duration(rapid.Int64Range(1, int64(2*365*24*time.Hour)).Draw(t, "toExpiry"))
		perDay := int64(24 * time.Hour / interval)
		year := i64(int64(365 * 24 * time.Hour))
		three := new(apd.Decimal).SetFinite(75, -2)

		kernels := []struct {
			name  string
			fn    func(z *apd.Decimal) error
			model func(m *apdModel) *apd.Decimal
		}{
			{
				"Premium", func(z *apd.Decimal) error { return funding.Premium(ctx, z, bid, ask, &index) },
				func(m *apdModel) *apd.Decimal { return m.below1(m.premium(bid, ask, &index, &index)) },
			},
			{
				"MarkPremium", func(z *apd.Decimal) error { return funding.MarkPremium(ctx, z, bid, ask, &mark, &index, &r1) },
				func(m *apdModel) *apd.Decimal { return m.below1(m.add(m.premium(bid, ask, &mark, &index), &r1)) },
			},
			{
				"ImpactNotional", func(z *apd.Decimal) error { return funding.ImpactNotional(ctx, z, &margin, &imr) },
				func(m *apdModel) *apd.Decimal { return m.quo(&margin, &imr) },
			},
			{
				"Average", func(z *apd.Decimal) error { return funding.Average(ctx, z, samples, w) },
				func(m *apdModel) *apd.Decimal { return m.below1(m.average(samples, w)) },
			},
			{
				"Interest", func(z *apd.Decimal) error { return funding.Interest(ctx, z, &r1, &r2, interval) },
				func(m *apdModel) *apd.Decimal { return m.below1(m.quo(m.sub(&r1, &r2), i64(perDay))) },
			},
			{
				"Rate", func(z *apd.Decimal) error { return funding.Rate(ctx, z, &r1, &r2, &bound) },
				func(m *apdModel) *apd.Decimal {
					d := m.sub(&r2, &r1)
					switch {
					case d.Cmp(&bound) > 0:
						return m.below1(m.add(&r1, &bound))
					case d.Cmp(neg(&bound)) < 0:
						return m.below1(m.sub(&r1, &bound))
					}
					return &r2
				},
			},
			{
				"Clamp", func(z *apd.Decimal) error { return funding.Clamp(z, &r1, &bound) },
				func(*apdModel) *apd.Decimal { return clampModel(&r1, neg(&bound), &bound) },
			},
			{
				"ClampChange", func(z *apd.Decimal) error { return funding.ClampChange(ctx, z, &r1, &r2, &bound) },
				func(m *apdModel) *apd.Decimal {
					up, down := m.in(apd.RoundCeiling), m.in(apd.RoundFloor)
					lo, hi := up.sub(&r2, &bound), down.add(&r2, &bound)
					m.merge(up)
					m.merge(down)
					if lo.Cmp(hi) > 0 {
						lo, hi = &r2, &r2
					}
					return clampModel(&r1, lo, hi)
				},
			},
			{
				"Annualised", func(z *apd.Decimal) error { return funding.Annualised(ctx, z, &r1, interval) },
				func(m *apdModel) *apd.Decimal { return m.mul(&r1, i64(perDay*365)) },
			},
			{
				"CapBitMEX", func(z *apd.Decimal) error { return funding.CapBitMEX(ctx, z, &imr, &mmr) },
				func(m *apdModel) *apd.Decimal { return m.mul(m.sub(&imr, &mmr), three) },
			},
			{
				"ChangeCapBitMEX", func(z *apd.Decimal) error { return funding.ChangeCapBitMEX(ctx, z, &mmr) },
				func(m *apdModel) *apd.Decimal { return m.mul(&mmr, three) },
			},
			{
				"CapBinance", func(z *apd.Decimal) error { return funding.CapBinance(ctx, z, &imr, &mmr) },
				func(m *apdModel) *apd.Decimal { return m.mul(&imr, &mmr) },
			},
			{
				"DeadBand", func(z *apd.Decimal) error { return funding.DeadBand(ctx, z, &mark, &index, &bound) },
				func(m *apdModel) *apd.Decimal {
					pr := m.quo(m.sub(&mark, &index), &index)
					switch {
					case pr.Cmp(&bound) > 0:
						return m.below1(m.sub(pr, &bound))
					case pr.Cmp(neg(&bound)) < 0:
						return m.below1(m.add(pr, &bound))
					}
					return new(apd.Decimal)
				},
			},
			{
				"Payment", func(z *apd.Decimal) error { return funding.Payment(ctx, z, s, &p, &mark, &r1) },
				func(m *apdModel) *apd.Decimal { return m.payment(s, &p.Qty, &mark, &r1) },
			},
			{
				"Accrual", func(z *apd.Decimal) error {
					return funding.Accrual(ctx, z, s, &p, &mark, &r1, dt, interval)
				},
				func(m *apdModel) *apd.Decimal {
					pay := m.payment(s, &p.Qty, &mark, &r1)
					if dt%interval == 0 {
						return m.mul(pay, i64(int64(dt/interval)))
					}
					return m.quo(m.mul(pay, i64(int64(dt))), i64(int64(interval)))
				},
			},
			{
				"Basis", func(z *apd.Decimal) error { return funding.Basis(ctx, z, &r1, until, interval) },
				func(m *apdModel) *apd.Decimal {
					return m.below1(m.quo(m.mul(&r1, i64(int64(until))), i64(int64(interval))))
				},
			},
			{
				"FairPrice", func(z *apd.Decimal) error { return funding.FairPrice(ctx, z, &index, &r1, until, interval) },
				func(m *apdModel) *apd.Decimal {
					// interval + r1*until exactly (precision 0), then
					// rounded once, as a quotient by 1; with nothing to
					// accrue, the index rounded once.
					if until == 0 || r1.IsZero() {
						return m.mul(&index, i64(1))
					}
					iv := i64(int64(interval))
					exact := &apdModel{ctx: &apd.BaseContext, err: m.err}
					n := exact.add(exact.mul(&r1, i64(int64(until))), iv)
					m.merge(exact)
					return m.quo(m.mul(m.quo(n, i64(1)), &index), iv)
				},
			},
			{
				"BasisRate", func(z *apd.Decimal) error { return funding.BasisRate(ctx, z, bid, ask, &index, toExpiry) },
				func(m *apdModel) *apd.Decimal {
					twice := m.add(&index, &index)
					n := m.mul(m.sub(m.add(bid, ask), twice), year)
					return m.quo(n, m.mul(twice, i64(int64(toExpiry))))
				},
			},
			{
				"FairPriceDated", func(z *apd.Decimal) error { return funding.FairPriceDated(ctx, z, &index, &br, toExpiry) },
				func(m *apdModel) *apd.Decimal {
					// year + br*toExpiry exactly (precision 0), then
					// rounded once, as a quotient by 1; with nothing to
					// accrue, the index rounded once.
					if br.IsZero() {
						return m.mul(&index, i64(1))
					}
					exact := &apdModel{ctx: &apd.BaseContext, err: m.err}
					n := exact.add(exact.mul(&br, i64(int64(toExpiry))), year)
					m.merge(exact)
					if m.err == nil && n.Sign() <= 0 {
						m.err = funding.ErrBasis
					}
					return m.quo(m.mul(m.quo(n, i64(1)), &index), year)
				},
			},
		}
		for _, k := range kernels {
			var got apd.Decimal
			err := k.fn(&got)
			m := &apdModel{ctx: ctx}
			want, wantErr := m.gate(k.model(m))
			if !modelError(err, wantErr) {
				t.Fatalf("%s: error %v, apd %v", k.name, err, wantErr)
			}
			if err == nil && got.CmpTotal(want) != 0 {
				t.Fatalf("%s = %s, apd %s", k.name, &got, want)
			}
		}
	})
}

// modelError reports whether err is the model's error: nil, the same
// sentinel, or apd's failure wrapped with the operation's name.
func modelError(err, model error) bool {
	if err == nil || model == nil {
		return err == nil && model == nil
	}
	for _, s := range documented {
		if errors.Is(model, s) {
			return errors.Is(err, s) && errors.Unwrap(err) == nil
		}
	}
	u := errors.Unwrap(err)
	return u != nil && u.Error() == model.Error()
}

// TestAverageRepresentation: the mean has the representation of apd's
// quotient of the exact sum, whatever the precision: ctx's precision in
// digits, a zero mean at the exponent of the sum.
func TestAverageRepresentation(t *testing.T) {
	for _, tt := range []struct {
		prec    uint32
		samples []string
		want    string
	}{
		{19, []string{"0.0001", "0.0003"}, "0.0002000000000000000000"},
		{30, []string{"0.0001", "0.0003"}, "0.000200000000000000000000000000000"},
		{4, []string{"0.0001", "0.0003"}, "0.0002000"},
		{19, []string{"0.0001", "-0.0001"}, "0.0000"},
		{19, []string{"0.00010", "-0.0001"}, "0.00000"},
		{30, []string{"0.0001", "-0.0001"}, "0.0000"},
		{19, []string{"0.0001", "0.0001", "0.0002"}, "0.0001333333333333333333"},
	} {
		ctx := apd.BaseContext.WithPrecision(tt.prec)
		samples := make([]apd.Decimal, len(tt.samples))
		for i, s := range tt.samples {
			samples[i].Set(dectest.D(s))
		}
		var z apd.Decimal
		if err := funding.Average(ctx, &z, samples, funding.Equal); err != nil || z.String() != tt.want {
			t.Errorf("p=%d: Average(%v) = %s, %v; want %s", tt.prec, tt.samples, &z, err, tt.want)
		}
	}
}
