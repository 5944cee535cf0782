package funding_test

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/funding"
	"github.com/derivmath/derivmath/internal/dectest"
)

// fixture holds realistic operands: round published numbers, and 19-digit
// values as the kernels themselves produce them (a premium is a quotient,
// an average of quotients, a basis a product and a quotient). Sums of
// 19-digit values with different exponents are where apd's Add allocates.
type fixture struct {
	ctx                       *apd.Context
	bid, ask, index, mark     apd.Decimal
	bidRound, askRound        apd.Decimal
	premium, basis, smallP    apd.Decimal
	quote, base, interest     apd.Decimal
	quote19, base19           apd.Decimal
	bound, capAbs, capChange  apd.Decimal
	imr, mmr, factor, margin  apd.Decimal
	prev, band, br            apd.Decimal
	samples                   []apd.Decimal
	long, short               contract.Position
	linear                    contract.Position
	xbtusd, btcusdt, ethusd   *contract.Spec
	at                        time.Time
	until, toExpiry, accruing time.Duration
}

func newFixture(t testing.TB) *fixture { return newFixtureIn(t, derivmath.NewContext()) }

// newFixtureIn is newFixture computing in ctx.
func newFixtureIn(t testing.TB, ctx *apd.Context) *fixture {
	f := &fixture{ctx: ctx}
	set := func(z *apd.Decimal, s string) { z.Set(dectest.MustParse(t, s)) }
	set(&f.bid, "10049.5")
	set(&f.ask, "10051.5")
	set(&f.bidRound, "10049")
	set(&f.askRound, "10051")
	set(&f.index, "10000.123456")
	set(&f.mark, "10000.37")
	set(&f.quote, "0.0006")
	set(&f.base, "0.0003")
	set(&f.interest, "0.0001")
	set(&f.bound, "0.0005")
	set(&f.imr, "0.01")
	set(&f.mmr, "0.005")
	set(&f.factor, "0.75")
	set(&f.margin, "200")
	set(&f.band, "0.00025")
	set(&f.capAbs, "0.00375")
	set(&f.capChange, "0.00375")
	// 19-digit values, the kind the kernels return.
	set(&f.premium, "0.0004938468530261438769")
	set(&f.smallP, "0.00001234567890123456789")
	set(&f.basis, "0.00003123456789012345679")
	set(&f.quote19, "0.0001428571428571428571")
	set(&f.base19, "0.00005263157894736842105")
	set(&f.prev, "0.0003333333333333333333")
	set(&f.br, "0.06083333333333333333")
	// A Binance window: 8 hours of 5-second samples, each a quotient.
	f.samples = make([]apd.Decimal, 8*60*12)
	for i := range f.samples {
		var bid apd.Decimal
		bid.SetFinite(100_000_000+int64(i%997)*17, -4) // 10000.0000 to 10001.6932
		if err := funding.Premium(f.ctx, &f.samples[i], &bid, apd.New(10002, 0), &f.index); err != nil {
			t.Fatal(err)
		}
	}
	f.long.Qty.SetInt64(15000)
	f.short.Qty.SetInt64(-15000)
	set(&f.linear.Qty, "1.234")
	f.xbtusd, f.btcusdt, f.ethusd = contract.XBTUSD(), contract.BTCUSDT(), contract.ETHUSD()
	f.at = time.Date(2024, 3, 9, 13, 37, 42, 123, time.UTC)
	f.until = 1*time.Hour + 23*time.Minute + 17*time.Second + 123*time.Millisecond
	f.toExpiry = 29*24*time.Hour + 5*time.Hour + 3*time.Minute
	f.accruing = 47*time.Minute + 11*time.Second
	return f
}

// kernels lists one call of every computation on realistic operands.
func (f *fixture) kernels() []struct {
	name string
	fn   func(z *apd.Decimal) error
} {
	ctx := f.ctx
	return []struct {
		name string
		fn   func(z *apd.Decimal) error
	}{
		{"Premium", func(z *apd.Decimal) error { return funding.Premium(ctx, z, &f.bid, &f.ask, &f.index) }},
		{"Premium/inside", func(z *apd.Decimal) error { return funding.Premium(ctx, z, &f.index, &f.ask, &f.index) }},
		{"MarkPremium", func(z *apd.Decimal) error {
			return funding.MarkPremium(ctx, z, &f.bid, &f.ask, &f.mark, &f.index, &f.basis)
		}},
		{"ImpactNotional", func(z *apd.Decimal) error { return funding.ImpactNotional(ctx, z, &f.margin, &f.factor) }},
		{"Average/Equal", func(z *apd.Decimal) error { return funding.Average(ctx, z, f.samples, funding.Equal) }},
		{"Average/TimeWeighted", func(z *apd.Decimal) error {
			return funding.Average(ctx, z, f.samples, funding.TimeWeighted)
		}},
		{"Interest", func(z *apd.Decimal) error { return funding.Interest(ctx, z, &f.quote, &f.base, 8*time.Hour) }},
		{"Interest/19 digits", func(z *apd.Decimal) error {
			return funding.Interest(ctx, z, &f.quote19, &f.base19, time.Hour)
		}},
		{"Rate/within", func(z *apd.Decimal) error { return funding.Rate(ctx, z, &f.premium, &f.interest, &f.bound) }},
		{"Rate/clamped", func(z *apd.Decimal) error { return funding.Rate(ctx, z, &f.premium, &f.base19, &f.imr) }},
		{"Rate/clamped small premium", func(z *apd.Decimal) error {
			return funding.Rate(ctx, z, &f.smallP, &f.capAbs, &f.bound)
		}},
		{"DefaultClamp", func(z *apd.Decimal) error { funding.DefaultClamp(z); return nil }},
		{"Clamp", func(z *apd.Decimal) error { return funding.Clamp(z, &f.premium, &f.band) }},
		{"ClampChange", func(z *apd.Decimal) error {
			return funding.ClampChange(ctx, z, &f.premium, &f.prev, &f.basis)
		}},
		{"Annualised", func(z *apd.Decimal) error { return funding.Annualised(ctx, z, &f.premium, 8*time.Hour) }},
		{"CapBitMEX", func(z *apd.Decimal) error { return funding.CapBitMEX(ctx, z, &f.imr, &f.mmr) }},
		{"ChangeCapBitMEX", func(z *apd.Decimal) error { return funding.ChangeCapBitMEX(ctx, z, &f.mmr) }},
		{"CapBinance", func(z *apd.Decimal) error { return funding.CapBinance(ctx, z, &f.factor, &f.mmr) }},
		{"DefaultDeadBand", func(z *apd.Decimal) error { funding.DefaultDeadBand(z); return nil }},
		{"DeadBand", func(z *apd.Decimal) error { return funding.DeadBand(ctx, z, &f.bid, &f.index, &f.band) }},
		{"Payment/inverse", func(z *apd.Decimal) error {
			return funding.Payment(ctx, z, f.xbtusd, &f.long, &f.mark, &f.premium)
		}},
		{"Payment/linear", func(z *apd.Decimal) error {
			return funding.Payment(ctx, z, f.btcusdt, &f.linear, &f.index, &f.premium)
		}},
		{"Payment/quanto short", func(z *apd.Decimal) error {
			return funding.Payment(ctx, z, f.ethusd, &f.short, &f.mark, &f.premium)
		}},
		{"Accrual", func(z *apd.Decimal) error {
			return funding.Accrual(ctx, z, f.xbtusd, &f.short, &f.mark, &f.premium, f.accruing, 8*time.Hour)
		}},
		{"Accrual/periods", func(z *apd.Decimal) error {
			return funding.Accrual(ctx, z, f.xbtusd, &f.long, &f.mark, &f.premium, 24*time.Hour, 8*time.Hour)
		}},
		{"Basis", func(z *apd.Decimal) error { return funding.Basis(ctx, z, &f.premium, f.until, 8*time.Hour) }},
		{"FairPrice", func(z *apd.Decimal) error {
			return funding.FairPrice(ctx, z, &f.index, &f.premium, f.until, 8*time.Hour)
		}},
		{"BasisRate", func(z *apd.Decimal) error {
			return funding.BasisRate(ctx, z, &f.bid, &f.ask, &f.index, f.toExpiry)
		}},
		{"FairPriceDated", func(z *apd.Decimal) error {
			return funding.FairPriceDated(ctx, z, &f.index, &f.br, f.toExpiry)
		}},
		{"RateBinance/within", func(z *apd.Decimal) error {
			return funding.RateBinance(ctx, z, &f.premium, &f.interest, &f.bound, 4*time.Hour, funding.ScaleRate)
		}},
		{"RateBinance/clamped", func(z *apd.Decimal) error {
			return funding.RateBinance(ctx, z, &f.smallP, &f.capAbs, &f.bound, time.Hour, funding.ScaleTerms)
		}},
		{"PerInterval", func(z *apd.Decimal) error { return funding.PerInterval(ctx, z, &f.quote19, time.Hour) }},
		{"MarkBinance", func(z *apd.Decimal) error {
			return funding.MarkBinance(ctx, z, &f.index, &f.premium, &f.basis, &f.mark, f.until, 4*time.Hour)
		}},
		{"Next", func(*apd.Decimal) error {
			_, err := funding.Next(f.at, 8*time.Hour, 4*time.Hour)
			return err
		}},
		{"Weighting.String", func(*apd.Decimal) error { _ = funding.TimeWeighted.String(); return nil }},
	}
}

// skipNarrow skips allocation tests on 32-bit platforms, where apd's inline
// coefficient is four 32-bit words, which the number layer reads through
// apd's API: the guarantee is for 64-bit platforms.
func skipNarrow(t *testing.T) {
	if bits.UintSize != 64 {
		t.Skip("allocation guarantees are measured on 64-bit platforms")
	}
}

// allocContexts are the contexts of the allocation tables: the default,
// apd's own BaseContext at 19 digits (half-up), and 16 digits half-up.
func allocContexts() []struct {
	name string
	ctx  *apd.Context
} {
	return []struct {
		name string
		ctx  *apd.Context
	}{
		{"default", derivmath.NewContext()},
		{"p19HalfUp", apd.BaseContext.WithPrecision(19)},
		{"p16HalfUp", apd.BaseContext.WithPrecision(16)},
	}
}

// TestZeroAllocs: every computation allocates nothing on realistic
// operands (Average over Binance's window of 5,760 samples included), in
// each context of allocContexts.
//
// As orderbook's TestAllocs does, it counts every allocation of 1,000
// runs of each row, not the average that testing.AllocsPerRun rounds
// down, so that a computation that allocates now and then is seen; the
// least count of three attempts, each on operands built afresh, keeps out
// the runtime's own allocations. Any run's error fails the test. The
// Average rows, over 5,760 samples, run 100 times, not 1,000, to keep the
// test short.
func TestZeroAllocs(t *testing.T) {
	skipNarrow(t)
	for _, c := range allocContexts() {
		t.Run(c.name, func(t *testing.T) {
			dectest.CheckMallocs(t, 3, 1, 1000, func() []dectest.AllocCase { return zeroCases(t, c.ctx, false) })
			dectest.CheckMallocs(t, 3, 1, 100, func() []dectest.AllocCase { return zeroCases(t, c.ctx, true) })
		})
	}
}

// zeroCases builds the operands of TestZeroAllocs afresh, and returns its
// rows in ctx: Average's, or the others.
func zeroCases(t *testing.T, ctx *apd.Context, average bool) []dectest.AllocCase {
	t.Helper()
	var rows []dectest.AllocCase
	for _, k := range newFixtureIn(t, ctx).kernels() {
		if strings.HasPrefix(k.name, "Average/") != average {
			continue
		}
		var z apd.Decimal
		rows = append(rows, dectest.AllocCase{Name: k.name, Fn: func() {
			if err := k.fn(&z); err != nil {
				t.Fatalf("%s: %v", k.name, err)
			}
		}})
	}
	return rows
}

// TestZeroAllocsRandom sweeps every kernel with seeded random operands of
// up to 19 digits and mixed exponents, where fixed inputs can miss the
// cases in which apd's Add and Quo allocate, in each context of
// allocContexts.
func TestZeroAllocsRandom(t *testing.T) {
	skipNarrow(t)
	for _, c := range allocContexts() {
		t.Run(c.name, func(t *testing.T) { testZeroAllocsRandom(t, c.ctx) })
	}
}

func testZeroAllocsRandom(t *testing.T, ctx *apd.Context) {
	r := rand.New(rand.NewPCG(1, 2))
	// set sets z to a random decimal of up to 19 digits whose leading
	// digit is at 10^adj, adj in [lo, hi], and returns it.
	set := func(z *apd.Decimal, lo, hi int, neg bool) *apd.Decimal {
		c := r.Int64N(999_999_999_999_999_999) + 1
		c /= int64(math.Pow10(r.IntN(19)))
		c = max(c, 1)
		adj := lo + r.IntN(hi-lo+1)
		z.SetFinite(c, int32(adj-int(apd.New(c, 0).NumDigits())+1))
		z.Negative = neg && r.IntN(2) == 0
		return z
	}
	const n = 12
	var ops [n]apd.Decimal
	price := func(i int) *apd.Decimal { return set(&ops[i], -1, 6, false) }
	rate := func(i int) *apd.Decimal { return set(&ops[i], -9, -2, true) }
	bound := func(i int) *apd.Decimal { return set(&ops[i], -6, -2, false) }
	dur := func() time.Duration { return time.Duration(1 + r.Int64N(int64(8*time.Hour))) }
	hours := []time.Duration{time.Hour, 2 * time.Hour, 4 * time.Hour, 8 * time.Hour}
	specs := []*contract.Spec{contract.XBTUSD(), contract.BTCUSDT(), contract.ETHUSD()}
	samples := make([]apd.Decimal, 300)
	var z apd.Decimal
	var p contract.Position
	type call struct {
		name string
		draw func() func() error // draws the operands, returns the call
	}
	calls := []call{
		{"Premium", func() func() error {
			bid, ask, index := price(0), price(1), price(2)
			if bid.Cmp(ask) > 0 {
				bid, ask = ask, bid
			}
			return func() error { return funding.Premium(ctx, &z, bid, ask, index) }
		}},
		{"MarkPremium", func() func() error {
			bid, ask, mark, index, basis := price(0), price(1), price(2), price(3), rate(4)
			if bid.Cmp(ask) > 0 {
				bid, ask = ask, bid
			}
			return func() error { return funding.MarkPremium(ctx, &z, bid, ask, mark, index, basis) }
		}},
		{"ImpactNotional", func() func() error {
			m, imr := price(0), bound(1)
			return func() error { return funding.ImpactNotional(ctx, &z, m, imr) }
		}},
		{"Average", func() func() error {
			for j := range samples {
				set(&samples[j], -9, -2, true)
			}
			w := funding.Weighting(1 + r.IntN(2))
			return func() error { return funding.Average(ctx, &z, samples, w) }
		}},
		{"Interest", func() func() error {
			q, b := rate(0), rate(1)
			return func() error { return funding.Interest(ctx, &z, q, b, time.Hour) }
		}},
		{"Rate", func() func() error {
			pr, i, b := rate(0), rate(1), bound(2)
			return func() error { return funding.Rate(ctx, &z, pr, i, b) }
		}},
		{"Clamp", func() func() error {
			x, b := rate(0), bound(1)
			return func() error { return funding.Clamp(&z, x, b) }
		}},
		{"ClampChange", func() func() error {
			x, prev, l := rate(0), rate(1), bound(2)
			return func() error { return funding.ClampChange(ctx, &z, x, prev, l) }
		}},
		{"Annualised", func() func() error {
			x := rate(0)
			return func() error { return funding.Annualised(ctx, &z, x, 2*time.Hour) }
		}},
		{"CapBitMEX", func() func() error {
			imr, mmr := set(&ops[0], -1, -1, false), bound(1)
			return func() error { return funding.CapBitMEX(ctx, &z, imr, mmr) }
		}},
		{"ChangeCapBitMEX", func() func() error {
			mmr := bound(0)
			return func() error { return funding.ChangeCapBitMEX(ctx, &z, mmr) }
		}},
		{"CapBinance", func() func() error {
			f, mmr := bound(0), bound(1)
			return func() error { return funding.CapBinance(ctx, &z, f, mmr) }
		}},
		{"DeadBand", func() func() error {
			m, i, b := price(0), price(1), bound(2)
			return func() error { return funding.DeadBand(ctx, &z, m, i, b) }
		}},
		{"Payment", func() func() error {
			s := specs[r.IntN(len(specs))]
			set(&p.Qty, -3, 12, true)
			m, x := price(0), rate(1)
			return func() error { return funding.Payment(ctx, &z, s, &p, m, x) }
		}},
		{"Accrual", func() func() error {
			s := specs[r.IntN(len(specs))]
			set(&p.Qty, -3, 12, true)
			m, x, dt := price(0), rate(1), dur()
			return func() error { return funding.Accrual(ctx, &z, s, &p, m, x, dt, 8*time.Hour) }
		}},
		{"Basis", func() func() error {
			x, u := rate(0), dur()
			return func() error { return funding.Basis(ctx, &z, x, u, 8*time.Hour) }
		}},
		{"FairPrice", func() func() error {
			i, x, u := price(0), rate(1), dur()
			return func() error { return funding.FairPrice(ctx, &z, i, x, u, 8*time.Hour) }
		}},
		{"BasisRate", func() func() error {
			bid, ask, index, te := price(0), price(1), price(2), 100*dur()
			if bid.Cmp(ask) > 0 {
				bid, ask = ask, bid
			}
			return func() error { return funding.BasisRate(ctx, &z, bid, ask, index, te) }
		}},
		{"FairPriceDated", func() func() error {
			i, x, te := price(0), rate(1), 100*dur()
			return func() error { return funding.FairPriceDated(ctx, &z, i, x, te) }
		}},
		{"RateBinance", func() func() error {
			pr, i, b := rate(0), rate(1), bound(2)
			h, s := hours[r.IntN(len(hours))], funding.Scaling(1+r.IntN(2))
			return func() error { return funding.RateBinance(ctx, &z, pr, i, b, h, s) }
		}},
		{"PerInterval", func() func() error {
			x, h := rate(0), hours[r.IntN(len(hours))]
			return func() error { return funding.PerInterval(ctx, &z, x, h) }
		}},
		{"MarkBinance", func() func() error {
			i, x, b, l := price(0), rate(1), set(&ops[2], -3, 3, true), price(3)
			h := hours[r.IntN(len(hours))]
			u := time.Duration(r.Int64N(int64(h) + 1))
			return func() error { return funding.MarkBinance(ctx, &z, i, x, b, l, u, h) }
		}},
	}
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			for i := 0; i < 500; i++ {
				fn := c.draw()
				if err := fn(); err != nil {
					continue // an invalid draw, such as mmr > imr
				}
				// Every allocation of 10 runs; a count not 0 is taken
				// again twice and the least kept, as dectest.CheckMallocs
				// keeps out the runtime's own (the operands do not change).
				n := dectest.Mallocs(1, 10, func() { _ = fn() })
				for j := 0; j < 2 && n != 0; j++ {
					n = min(n, dectest.Mallocs(1, 10, func() { _ = fn() }))
				}
				if n != 0 {
					t.Fatalf("draw %d: %d allocations in 10 runs, want 0 (operands %v)", i, n, ops[:5])
				}
			}
		})
	}
}

// TestZeroAllocsErrors: a failed computation allocates nothing either,
// but for Average's bad sample, whose error its doc says allocates, to
// carry the sample's index. A row for each kind of error the functions
// list, in each context of allocContexts. It counts as TestZeroAllocs
// does, and each run must fail.
func TestZeroAllocsErrors(t *testing.T) {
	skipNarrow(t)
	for _, c := range allocContexts() {
		t.Run(c.name, func(t *testing.T) {
			dectest.CheckMallocs(t, 3, 1, 1000, func() []dectest.AllocCase { return zeroErrorCases(t, c.ctx) })
		})
	}
}

// zeroErrorCases builds the operands of TestZeroAllocsErrors afresh, and
// returns its rows in ctx.
func zeroErrorCases(t *testing.T, ctx *apd.Context) []dectest.AllocCase {
	t.Helper()
	var rows []dectest.AllocCase
	f := newFixtureIn(t, ctx)
	var nan, neg, one, zero apd.Decimal
	nan.Form = apd.NaN
	neg.SetInt64(-1)
	one.SetInt64(1)
	bad := *f.btcusdt
	bad.Kind = contract.Kind(99)
	// 19 nines, whose mean rounds to 1 at 16 digits (at 19 only
	// samples of 20 digits, beyond the promise, do that).
	nines := make([]apd.Decimal, 2)
	for i := range nines {
		if _, _, err := nines[i].SetString("0.9999999999999999999"); err != nil {
			t.Fatal(err)
		}
	}
	p16 := apd.BaseContext.WithPrecision(16)
	for _, k := range []struct {
		name string
		fn   func(z *apd.Decimal) error
	}{
		{"Premium nil context", func(z *apd.Decimal) error { return funding.Premium(nil, z, &f.bid, &f.ask, &f.index) }},
		{"Premium price", func(z *apd.Decimal) error { return funding.Premium(ctx, z, &neg, &f.ask, &f.index) }},
		{"Premium crossed", func(z *apd.Decimal) error { return funding.Premium(ctx, z, &f.ask, &f.bid, &f.index) }},
		{"MarkPremium basis", func(z *apd.Decimal) error {
			return funding.MarkPremium(ctx, z, &f.bid, &f.ask, &f.mark, &f.index, &one)
		}},
		{"ImpactNotional margin", func(z *apd.Decimal) error { return funding.ImpactNotional(ctx, z, &zero, &f.factor) }},
		{"Average empty", func(z *apd.Decimal) error { return funding.Average(ctx, z, nil, funding.Equal) }},
		{"Average weighting", func(z *apd.Decimal) error { return funding.Average(ctx, z, f.samples, funding.Weighting(9)) }},
		{"Average nil context", func(z *apd.Decimal) error { return funding.Average(nil, z, f.samples, funding.Equal) }},
		{"Average mean rounds to 1", func(z *apd.Decimal) error { return funding.Average(p16, z, nines, funding.TimeWeighted) }},
		{"Interest interval", func(z *apd.Decimal) error { return funding.Interest(ctx, z, &f.quote, &f.base, 0) }},
		{"Rate NaN", func(z *apd.Decimal) error { return funding.Rate(ctx, z, &nan, &f.interest, &f.bound) }},
		{"Clamp bound", func(z *apd.Decimal) error { return funding.Clamp(z, &f.premium, &neg) }},
		{"ClampChange rate", func(z *apd.Decimal) error { return funding.ClampChange(ctx, z, &one, &f.prev, &f.basis) }},
		{"Annualised interval", func(z *apd.Decimal) error { return funding.Annualised(ctx, z, &f.premium, -time.Hour) }},
		{"CapBitMEX rates", func(z *apd.Decimal) error { return funding.CapBitMEX(ctx, z, &f.mmr, &f.imr) }},
		{"ChangeCapBitMEX rate", func(z *apd.Decimal) error { return funding.ChangeCapBitMEX(ctx, z, &zero) }},
		{"CapBinance factor", func(z *apd.Decimal) error { return funding.CapBinance(ctx, z, &zero, &f.mmr) }},
		{"DeadBand price", func(z *apd.Decimal) error { return funding.DeadBand(ctx, z, &zero, &f.index, &f.band) }},
		{"Payment kind", func(z *apd.Decimal) error { return funding.Payment(ctx, z, &bad, &f.linear, &f.index, &f.premium) }},
		{"Payment rate", func(z *apd.Decimal) error { return funding.Payment(ctx, z, f.xbtusd, &f.long, &f.mark, &one) }},
		{"Accrual duration", func(z *apd.Decimal) error {
			return funding.Accrual(ctx, z, f.xbtusd, &f.short, &f.mark, &f.premium, -time.Hour, 8*time.Hour)
		}},
		{"Basis interval", func(z *apd.Decimal) error { return funding.Basis(ctx, z, &f.premium, f.until, 0) }},
		{"FairPrice index", func(z *apd.Decimal) error { return funding.FairPrice(ctx, z, &neg, &f.premium, f.until, time.Hour) }},
		{"BasisRate expiry", func(z *apd.Decimal) error { return funding.BasisRate(ctx, z, &f.bid, &f.ask, &f.index, 0) }},
		{"FairPriceDated expiry", func(z *apd.Decimal) error { return funding.FairPriceDated(ctx, z, &f.index, &f.br, -1) }},
		{"RateBinance interval", func(z *apd.Decimal) error {
			return funding.RateBinance(ctx, z, &f.premium, &f.interest, &f.bound, 0, funding.ScaleRate)
		}},
		{"PerInterval rate", func(z *apd.Decimal) error { return funding.PerInterval(ctx, z, &one, time.Hour) }},
		{"MarkBinance interval", func(z *apd.Decimal) error {
			return funding.MarkBinance(ctx, z, &f.index, &f.premium, &f.basis, &f.mark, f.until, 0)
		}},
		{"Next interval", func(*apd.Decimal) error { _, err := funding.Next(f.at, 0, 0); return err }},
	} {
		var z apd.Decimal
		rows = append(rows, dectest.Fails(t, k.name, nil, func() error { return k.fn(&z) }))
	}
	return rows
}
