package contract_test

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
)

// benchKinds runs fn as a sub-benchmark for each market of alloc_test.go:
// Inverse (BitMEX XBTUSD, money in satoshis), Quanto (ETHUSD), Linear
// (Binance BTCUSDT) and InverseExact (COIN-M BTCUSD, exact money).
func benchKinds(b *testing.B, fn func(m *market) error) {
	for _, m := range markets(b) {
		b.Run(m.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := fn(&m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

var sink apd.Decimal

func BenchmarkValue(b *testing.B) {
	benchKinds(b, func(m *market) error { return m.s.Value(ctx, &sink, m.qty, m.price) })
}

func BenchmarkPrice(b *testing.B) {
	benchKinds(b, func(m *market) error { return m.s.Price(ctx, &sink, m.qty, m.value) })
}

func BenchmarkPnL(b *testing.B) {
	benchKinds(b, func(m *market) error { return m.s.PnL(ctx, &sink, m.qty, m.price, m.mark) })
}

func BenchmarkUnrealised(b *testing.B) {
	benchKinds(b, func(m *market) error { return m.s.Unrealised(ctx, &sink, m.long, m.mark) })
}

func BenchmarkROE(b *testing.B) {
	benchKinds(b, func(m *market) error { return m.s.ROE(ctx, &sink, m.long, m.mark, m.lev) })
}

func BenchmarkBreakEven(b *testing.B) {
	benchKinds(b, func(m *market) error {
		return m.s.BreakEven(ctx, &sink, m.long, &m.s.Taker, &m.s.Taker)
	})
}

func BenchmarkFee(b *testing.B) {
	benchKinds(b, func(m *market) error { return m.s.Fee(ctx, &sink, m.qty, m.mark, &m.s.Taker) })
}

func BenchmarkCost(b *testing.B) {
	benchKinds(b, func(m *market) error { return m.s.Cost(ctx, &sink, m.qty, m.mark) })
}

func BenchmarkAvgEntry(b *testing.B) {
	benchKinds(b, func(m *market) error { return m.s.AvgEntry(ctx, &sink, m.fills) })
}

// BenchmarkApply books a fill into a traded position; each iteration
// restores the position first (Position.Set, a few nanoseconds).
func BenchmarkApply(b *testing.B) {
	for _, fill := range []struct {
		name string
		pick func(m *market) *contract.Fill
	}{
		{"add", func(m *market) *contract.Fill { return m.add }},
		{"reduce", func(m *market) *contract.Fill { return m.reduce }},
		{"flip", func(m *market) *contract.Fill { return m.flip }},
	} {
		b.Run(fill.name, func(b *testing.B) {
			var p contract.Position
			benchKinds(b, func(m *market) error {
				p.Set(m.long)
				return m.s.Apply(ctx, &p, fill.pick(m))
			})
		})
	}
}

func BenchmarkRound(b *testing.B) {
	benchKinds(b, func(m *market) error {
		return derivmath.Round(ctx, &sink, m.value, &m.s.Tick, derivmath.HalfEven)
	})
}

func BenchmarkTicks(b *testing.B) {
	benchKinds(b, func(m *market) error {
		_, err := m.s.Ticks(ctx, m.mark)
		return err
	})
}

func BenchmarkFromTicks(b *testing.B) {
	benchKinds(b, func(m *market) error { return m.s.FromTicks(ctx, &sink, 130865) })
}

func BenchmarkLots(b *testing.B) {
	benchKinds(b, func(m *market) error {
		_, err := m.s.Lots(ctx, m.short)
		return err
	})
}

func BenchmarkFromLots(b *testing.B) {
	benchKinds(b, func(m *market) error { return m.s.FromLots(ctx, &sink, -150) })
}

func BenchmarkCheckDecimal(b *testing.B) {
	x := d("65432.5")
	b.ReportAllocs()
	for b.Loop() {
		if err := derivmath.CheckDecimal(x); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidate(b *testing.B) {
	s := contract.XBTUSD()
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNew parses a Spec: set-up, not a hot path (it allocates the Spec
// and parses six decimals).
func BenchmarkNew(b *testing.B) {
	p := contract.Params{
		Symbol: "XBTUSD", Kind: contract.Inverse, Settle: "XBT",
		Multiplier: "1", Tick: "0.5", Lot: "100",
		Maker: "-0.00025", Taker: "0.00075", Minor: "0.00000001",
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := contract.New(p); err != nil {
			b.Fatal(err)
		}
	}
}
