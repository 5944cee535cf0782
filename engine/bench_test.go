package engine_test

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/engine"
)

// pool hands out triggered clones of a template, rebuilding them with the
// timer stopped, so that a benchmark of a one-shot step (a takeover, a
// fill) measures the step and not the copy.
type pool struct {
	b    *testing.B
	tmpl *engine.State
	warm func(*engine.State)
	sts  []*engine.State
	k    int
}

func newPool(b *testing.B, p *engine.Preset, warm func(*engine.State)) *pool {
	return &pool{b: b, tmpl: allocMarket(b, p), warm: warm}
}

func (p *pool) next() *engine.State {
	if p.k == len(p.sts) {
		p.b.StopTimer()
		p.sts = clones(p.b, p.tmpl, 256, 1, d("99.5"), p.warm)
		p.k = 0
		p.b.StartTimer()
	}
	p.k++
	return p.sts[p.k-1]
}

func BenchmarkTrigger(b *testing.B) {
	for _, p := range []*engine.Preset{engine.PresetBitMEX(), engine.PresetBinance(), engine.PresetDYDX()} {
		b.Run(p.Venue.String(), func(b *testing.B) {
			st := allocMarket(b, p)
			noErr(b, st.SetMark(d("99.5")))
			dst := make([]engine.Event, 0, 8)
			b.ReportAllocs()
			for b.Loop() {
				var err error
				if dst, _, err = st.Trigger(dst[:0], 1); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkTotal(b *testing.B) {
	st := allocMarket(b, engine.PresetBitMEX())
	var z apd.Decimal
	b.ReportAllocs()
	for b.Loop() {
		noErr(b, st.Total(&z))
	}
}

func BenchmarkTakeover(b *testing.B) {
	for _, p := range []*engine.Preset{engine.PresetBitMEX(), engine.PresetBinance(), engine.PresetDYDX()} {
		b.Run(p.Venue.String(), func(b *testing.B) {
			pl := newPool(b, p, nil)
			dst := make([]engine.Event, 0, 8)
			b.ReportAllocs()
			for b.Loop() {
				var err error
				if dst, _, err = pl.next().Takeover(dst[:0], 1); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkExecute(b *testing.B) {
	fills := []engine.Fill{fill("600", "100", 0), fill("400", "100.25", 0)}
	for _, p := range []*engine.Preset{engine.PresetBitMEX(), engine.PresetBinance()} {
		b.Run(p.Venue.String(), func(b *testing.B) {
			pl := newPool(b, p, func(st *engine.State) { _, _, _ = st.Takeover(nil, 1) })
			dst := make([]engine.Event, 0, 16)
			b.ReportAllocs()
			for b.Loop() {
				var err error
				if dst, err = pl.next().Execute(dst[:0], 1, fills); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkADL closes the fund's inventory one contract at a time against
// four ranked shorts.
func BenchmarkADL(b *testing.B) {
	pl := newPool(b, engine.PresetBitMEX(), func(st *engine.State) { _, _, _ = st.Takeover(nil, 1) })
	st := pl.next()
	one := d("1")
	dst := make([]engine.Event, 0, 16)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		if n == 1000 {
			st, n = pl.next(), 0
		}
		n++
		var err error
		if dst, err = st.ADL(dst[:0], engine.Fund, one, 1); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkScoreBitMEX(b *testing.B) {
	ctx := derivmath.NewContext()
	var z apd.Decimal
	vm, ve, vb := d("110"), d("100"), d("90")
	b.ReportAllocs()
	for b.Loop() {
		noErr(b, engine.ScoreBitMEX(ctx, &z, vm, ve, vb))
	}
}

func BenchmarkInsuranceDelta(b *testing.B) {
	ctx := derivmath.NewContext()
	var z apd.Decimal
	q, bq, fee, minor := d("5610"), d("5100"), d("0.005"), d("0.000001")
	b.ReportAllocs()
	for b.Loop() {
		noErr(b, engine.InsuranceDelta(ctx, &z, q, bq, fee, minor))
	}
}
