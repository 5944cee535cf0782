package num

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
)

// benchOperands are exchange-sized: a 19-digit entry price, a mark, a
// quantity and a multiplier, as an inverse PnL meets them.
var benchOperands = struct{ x, y string }{"65432.12345678901234", "66000.5"}

// benchContexts are the three contexts of the allocation tables.
func benchContexts() []struct {
	name string
	ctx  *apd.Context
} {
	def := apd.BaseContext.WithPrecision(19)
	def.Rounding = apd.RoundHalfEven
	return []struct {
		name string
		ctx  *apd.Context
	}{
		{"p19HalfEven", def},
		{"p19HalfUp", apd.BaseContext.WithPrecision(19)},
		{"p16HalfUp", apd.BaseContext.WithPrecision(16)},
	}
}

var benchSink Dec

func BenchmarkOps(b *testing.B) {
	x, y := dec(benchOperands.x), dec(benchOperands.y)
	for _, bc := range benchContexts() {
		ctx := bc.ctx
		dx, dy := Load(x), Load(y)
		for _, op := range ops[:4] {
			b.Run(op.name+"/"+bc.name+"/num", func(b *testing.B) {
				b.ReportAllocs()
				c := In(ctx)
				for b.Loop() {
					benchSink = op.ours(c, dx, dy)
				}
				if c.Err != nil {
					b.Fatal(c.Err)
				}
			})
			b.Run(op.name+"/"+bc.name+"/apd", func(b *testing.B) {
				b.ReportAllocs()
				var z apd.Decimal
				for b.Loop() {
					if _, err := op.apd(ctx, &z, x, y); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkLoadStore: validating and loading an input, and storing a result
// through the gate.
func BenchmarkLoadStore(b *testing.B) {
	x := dec(benchOperands.x)
	ctx := apd.BaseContext.WithPrecision(19)
	b.Run("Check", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			benchSink, _ = Check(x)
		}
	})
	b.Run("In", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			c := In(ctx)
			benchSink.e = c.lo
		}
	})
	b.Run("Store", func(b *testing.B) {
		b.ReportAllocs()
		d := Load(x)
		var z apd.Decimal
		for b.Loop() {
			c := In(ctx)
			if err := c.Store(&z, d); err != nil {
				b.Fatal(err)
			}
		}
	})
}
