package contract_test

import (
	"fmt"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/dectest"
)

// TestShare: the package documentation's promise that a valid Spec may be
// shared by goroutines. Goroutines call every method of one Spec of each
// kind with one context and shared operands, each into its own results;
// run it with -race.
func TestShare(t *testing.T) {
	ctx := derivmath.NewContext()
	d := dectest.D
	qty, price, exit, rate, lev := d("-3000"), d("50123.5"), d("48000"), d("0.00075"), d("20")
	fills := []contract.Fill{{Qty: *d("2000"), Price: *d("50000")}, {Qty: *d("-500"), Price: *d("51000.5"), Maker: true}}
	var calls []func() string
	for _, s := range []*contract.Spec{contract.XBTUSD(), contract.BTCUSDT(), contract.ETHUSD()} {
		open := &contract.Position{Qty: *d("3000"), Entry: *d("49500")}
		calls = append(calls,
			func() string { return fmt.Sprint(s.Validate()) },
			func() string { return dec2(func(z *apd.Decimal) error { return s.Value(ctx, z, qty, price) }) },
			func() string { return dec2(func(z *apd.Decimal) error { return s.Cost(ctx, z, qty, price) }) },
			func() string { return dec2(func(z *apd.Decimal) error { return s.Fee(ctx, z, qty, price, rate) }) },
			func() string { return dec2(func(z *apd.Decimal) error { return s.PnL(ctx, z, qty, price, exit) }) },
			func() string {
				var v apd.Decimal
				if err := s.Value(ctx, &v, qty, price); err != nil {
					return err.Error()
				}
				return dec2(func(z *apd.Decimal) error { return s.Price(ctx, z, qty, &v) })
			},
			func() string { n, err := s.Ticks(ctx, price); return fmt.Sprint(n, err) },
			func() string { n, err := s.Lots(ctx, qty); return fmt.Sprint(n, err) },
			func() string { return dec2(func(z *apd.Decimal) error { return s.FromTicks(ctx, z, 100247) }) },
			func() string { return dec2(func(z *apd.Decimal) error { return s.FromLots(ctx, z, -3) }) },
			func() string { return dec2(func(z *apd.Decimal) error { return s.AvgEntry(ctx, z, fills) }) },
			func() string {
				return dec2(func(z *apd.Decimal) error { return s.BreakEven(ctx, z, open, rate, rate) })
			},
			func() string { return dec2(func(z *apd.Decimal) error { return s.ROE(ctx, z, open, price, lev) }) },
			func() string { return dec2(func(z *apd.Decimal) error { return s.Unrealised(ctx, z, open, price) }) },
			func() string {
				var p contract.Position
				for i := range fills {
					if err := s.Apply(ctx, &p, &fills[i]); err != nil {
						return err.Error()
					}
				}
				return fmt.Sprintf("%s %s %s %s", &p.Qty, &p.Entry, &p.Realised, &p.Fees)
			},
		)
	}
	dectest.Share(t, 200, calls...)
}

// dec2 returns the result f writes into a fresh decimal, and its error.
func dec2(f func(z *apd.Decimal) error) string {
	var z apd.Decimal
	err := f(&z)
	return fmt.Sprint(z.String(), " ", err)
}
