package funding_test

import (
	"testing"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/funding"
	"github.com/derivmath/derivmath/internal/dectest"
	"pgregory.net/rapid"
)

// Aliasing, in the style of math/big's alias_test.go: for every z-first
// function, the result with z aliasing an operand equals the result with a
// fresh z (filled with junk first).

type aliasCase struct {
	name string
	// draw returns valid operands.
	draw func(t *rapid.T) []apd.Decimal
	fn   func(ctx *apd.Context, z *apd.Decimal, in []*apd.Decimal) error
}

// sortedPair draws two prices, the smaller first (an uncrossed bid and ask).
func sortedPair(t *rapid.T) (apd.Decimal, apd.Decimal) {
	a, b := price19(t, "a"), price19(t, "b")
	if a.Cmp(&b) > 0 {
		return b, a
	}
	return a, b
}

var aliasCases = []aliasCase{
	{"Premium", func(t *rapid.T) []apd.Decimal {
		bid, ask := sortedPair(t)
		return []apd.Decimal{bid, ask, price19(t, "index")}
	}, func(ctx *apd.Context, z *apd.Decimal, in []*apd.Decimal) error {
		return funding.Premium(ctx, z, in[0], in[1], in[2])
	}},
	{"MarkPremium", func(t *rapid.T) []apd.Decimal {
		bid, ask := sortedPair(t)
		return []apd.Decimal{bid, ask, price19(t, "mark"), price19(t, "index"), rate19(t, "basis", -4)}
	}, func(ctx *apd.Context, z *apd.Decimal, in []*apd.Decimal) error {
		return funding.MarkPremium(ctx, z, in[0], in[1], in[2], in[3], in[4])
	}},
	{"ImpactNotional", func(t *rapid.T) []apd.Decimal {
		return []apd.Decimal{price19(t, "margin"), positiveRate(t, "imr", -1)}
	}, func(ctx *apd.Context, z *apd.Decimal, in []*apd.Decimal) error {
		return funding.ImpactNotional(ctx, z, in[0], in[1])
	}},
	{"Interest", func(t *rapid.T) []apd.Decimal {
		return []apd.Decimal{rate19(t, "quote", -2), rate19(t, "base", -2)}
	}, func(ctx *apd.Context, z *apd.Decimal, in []*apd.Decimal) error {
		return funding.Interest(ctx, z, in[0], in[1], 8*time.Hour)
	}},
	{"Rate", func(t *rapid.T) []apd.Decimal {
		return []apd.Decimal{rate19(t, "premium", -3), rate19(t, "interest", -3), positiveRate(t, "bound", -3)}
	}, func(ctx *apd.Context, z *apd.Decimal, in []*apd.Decimal) error {
		return funding.Rate(ctx, z, in[0], in[1], in[2])
	}},
	{"Clamp", func(t *rapid.T) []apd.Decimal {
		return []apd.Decimal{rate19(t, "rate", -2), positiveRate(t, "bound", -2)}
	}, func(_ *apd.Context, z *apd.Decimal, in []*apd.Decimal) error {
		return funding.Clamp(z, in[0], in[1])
	}},
	{"ClampChange", func(t *rapid.T) []apd.Decimal {
		return []apd.Decimal{rate19(t, "rate", -2), rate19(t, "prev", -2), positiveRate(t, "limit", -2)}
	}, func(ctx *apd.Context, z *apd.Decimal, in []*apd.Decimal) error {
		return funding.ClampChange(ctx, z, in[0], in[1], in[2])
	}},
	{"Annualised", func(t *rapid.T) []apd.Decimal {
		return []apd.Decimal{rate19(t, "rate", -2)}
	}, func(ctx *apd.Context, z *apd.Decimal, in []*apd.Decimal) error {
		return funding.Annualised(ctx, z, in[0], 4*time.Hour)
	}},
	{"CapBitMEX", func(t *rapid.T) []apd.Decimal {
		mmr := positiveRate(t, "mmr", -3)
		var imr apd.Decimal
		imr.SetFinite(mmr.Coeff.Int64()*2, mmr.Exponent)
		return []apd.Decimal{imr, mmr}
	}, func(ctx *apd.Context, z *apd.Decimal, in []*apd.Decimal) error {
		return funding.CapBitMEX(ctx, z, in[0], in[1])
	}},
	{"ChangeCapBitMEX", func(t *rapid.T) []apd.Decimal {
		return []apd.Decimal{positiveRate(t, "mmr", -2)}
	}, func(ctx *apd.Context, z *apd.Decimal, in []*apd.Decimal) error {
		return funding.ChangeCapBitMEX(ctx, z, in[0])
	}},
	{"CapBinance", func(t *rapid.T) []apd.Decimal {
		return []apd.Decimal{positiveRate(t, "factor", 0), positiveRate(t, "mmr", -2)}
	}, func(ctx *apd.Context, z *apd.Decimal, in []*apd.Decimal) error {
		return funding.CapBinance(ctx, z, in[0], in[1])
	}},
	{"DeadBand", func(t *rapid.T) []apd.Decimal {
		return []apd.Decimal{price19(t, "mark"), price19(t, "index"), positiveRate(t, "band", -3)}
	}, func(ctx *apd.Context, z *apd.Decimal, in []*apd.Decimal) error {
		return funding.DeadBand(ctx, z, in[0], in[1], in[2])
	}},
	{"Basis", func(t *rapid.T) []apd.Decimal {
		return []apd.Decimal{rate19(t, "rate", -3)}
	}, func(ctx *apd.Context, z *apd.Decimal, in []*apd.Decimal) error {
		return funding.Basis(ctx, z, in[0], 100*time.Minute, 8*time.Hour)
	}},
	{"FairPrice", func(t *rapid.T) []apd.Decimal {
		return []apd.Decimal{price19(t, "index"), rate19(t, "rate", -3)}
	}, func(ctx *apd.Context, z *apd.Decimal, in []*apd.Decimal) error {
		return funding.FairPrice(ctx, z, in[0], in[1], 100*time.Minute, 8*time.Hour)
	}},
	{"BasisRate", func(t *rapid.T) []apd.Decimal {
		bid, ask := sortedPair(t)
		return []apd.Decimal{bid, ask, price19(t, "index")}
	}, func(ctx *apd.Context, z *apd.Decimal, in []*apd.Decimal) error {
		return funding.BasisRate(ctx, z, in[0], in[1], in[2], 17*24*time.Hour)
	}},
	{"FairPriceDated", func(t *rapid.T) []apd.Decimal {
		return []apd.Decimal{price19(t, "index"), rate19(t, "rate", -1)}
	}, func(ctx *apd.Context, z *apd.Decimal, in []*apd.Decimal) error {
		return funding.FairPriceDated(ctx, z, in[0], in[1], 17*24*time.Hour)
	}},
	{"RateBinance", func(t *rapid.T) []apd.Decimal {
		return []apd.Decimal{rate19(t, "premium", -3), rate19(t, "interest", -3), positiveRate(t, "bound", -3)}
	}, func(ctx *apd.Context, z *apd.Decimal, in []*apd.Decimal) error {
		return funding.RateBinance(ctx, z, in[0], in[1], in[2], 4*time.Hour, funding.ScaleRate)
	}},
	{"RateBinance/ScaleTerms", func(t *rapid.T) []apd.Decimal {
		return []apd.Decimal{rate19(t, "premium", -3), rate19(t, "interest", -3), positiveRate(t, "bound", -3)}
	}, func(ctx *apd.Context, z *apd.Decimal, in []*apd.Decimal) error {
		return funding.RateBinance(ctx, z, in[0], in[1], in[2], 4*time.Hour, funding.ScaleTerms)
	}},
	{"PerInterval", func(t *rapid.T) []apd.Decimal {
		return []apd.Decimal{rate19(t, "rate", -2)}
	}, func(ctx *apd.Context, z *apd.Decimal, in []*apd.Decimal) error {
		return funding.PerInterval(ctx, z, in[0], time.Hour)
	}},
	{"MarkBinance", func(t *rapid.T) []apd.Decimal {
		return []apd.Decimal{price19(t, "index"), rate19(t, "rate", -3), rate19(t, "basis", 1), price19(t, "last")}
	}, func(ctx *apd.Context, z *apd.Decimal, in []*apd.Decimal) error {
		return funding.MarkBinance(ctx, z, in[0], in[1], in[2], in[3], 100*time.Minute, 4*time.Hour)
	}},
}

// junk draws any decimal for z to hold before a call.
func junk(t *rapid.T) apd.Decimal {
	return dectest.Decimal(1<<62, 30).Draw(t, "junk")
}

func TestPropAliasing(t *testing.T) {
	ctx := derivmath.NewContext()
	for _, c := range aliasCases {
		t.Run(c.name, func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				in := c.draw(t)
				ptrs := func(ds []apd.Decimal) []*apd.Decimal {
					p := make([]*apd.Decimal, len(ds))
					for i := range ds {
						p[i] = &ds[i]
					}
					return p
				}
				fresh := make([]apd.Decimal, len(in))
				for i := range in {
					fresh[i].Set(&in[i])
				}
				want := junk(t)
				if err := c.fn(ctx, &want, ptrs(fresh)); err != nil {
					t.Skip("invalid draw:", err)
				}
				for i := range in {
					ops := make([]apd.Decimal, len(in))
					for j := range in {
						ops[j].Set(&in[j])
					}
					p := ptrs(ops)
					if err := c.fn(ctx, p[i], p); err != nil {
						t.Fatalf("z = operand %d: error %v", i, err)
					}
					if p[i].Cmp(&want) != 0 {
						t.Fatalf("z = operand %d: %s, want %s", i, p[i].String(), want.String())
					}
				}
			})
		})
	}
}

func TestPropAliasingPayment(t *testing.T) {
	ctx := derivmath.NewContext()
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.SampledFrom(specs).Draw(t, "spec")
		qty := dectest.Qty().Draw(t, "qty")
		mark, rate := price19(t, "mark"), rate19(t, "rate", -3)
		dt := time.Duration(rapid.Int64Range(0, int64(24*time.Hour)).Draw(t, "dt"))
		for _, accrue := range []bool{false, true} {
			call := func(z *apd.Decimal, p *contract.Position, mark, rate *apd.Decimal) error {
				if accrue {
					return funding.Accrual(ctx, z, s, p, mark, rate, dt, 8*time.Hour)
				}
				return funding.Payment(ctx, z, s, p, mark, rate)
			}
			fresh := func() (*contract.Position, *apd.Decimal, *apd.Decimal) {
				var p contract.Position
				p.Qty.Set(&qty)
				return &p, new(apd.Decimal).Set(&mark), new(apd.Decimal).Set(&rate)
			}
			want := junk(t)
			p, m, r := fresh()
			must(t, call(&want, p, m, r))
			for i, pick := range []func(p *contract.Position, m, r *apd.Decimal) *apd.Decimal{
				func(p *contract.Position, _, _ *apd.Decimal) *apd.Decimal { return &p.Qty },
				func(p *contract.Position, _, _ *apd.Decimal) *apd.Decimal { return &p.Entry },
				func(_ *contract.Position, m, _ *apd.Decimal) *apd.Decimal { return m },
				func(_ *contract.Position, _, r *apd.Decimal) *apd.Decimal { return r },
			} {
				p, m, r := fresh()
				z := pick(p, m, r)
				must(t, call(z, p, m, r))
				if z.Cmp(&want) != 0 {
					t.Fatalf("accrue %v, z = operand %d: %s, want %s", accrue, i, z.String(), want.String())
				}
			}
		}
	})
}

func TestPropAliasingAverage(t *testing.T) {
	ctx := derivmath.NewContext()
	rapid.Check(t, func(t *rapid.T) {
		samples := drawWindow(t)
		w := rapid.SampledFrom([]funding.Weighting{funding.Equal, funding.TimeWeighted}).Draw(t, "w")
		want := junk(t)
		must(t, funding.Average(ctx, &want, samples, w))
		i := rapid.IntRange(0, len(samples)-1).Draw(t, "i")
		s := make([]apd.Decimal, len(samples))
		for j := range samples {
			s[j].Set(&samples[j])
		}
		must(t, funding.Average(ctx, &s[i], s, w))
		if s[i].Cmp(&want) != 0 {
			t.Fatalf("z = samples[%d]: %s, want %s", i, s[i].String(), want.String())
		}
	})
}
