package bybit_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/derivmath/derivmath/venue"
	"github.com/derivmath/derivmath/venue/bybit"
	pt "github.com/derivmath/derivmath/venue/internal/payloadtest"
)

// TestShare: the package documentation's promise that decoders keep no
// state, so that they may run concurrently, and that decoded rows are
// plain values, whose methods only read them. Goroutines assemble one
// account from the same payloads and options in one context, and call
// every method of the same decoded instruments and positions (and Tiers on
// the same risk limits), each into its own results; run it with -race.
func TestShare(t *testing.T) {
	ctx := derivmath.NewContext()
	p := &bybit.Payloads{
		Instruments: pt.Load(t, "testdata/assemble/instruments-xrpusdt.json"),
		Positions:   pt.Load(t, "testdata/position-list-linear-2023.json"),
		RiskLimits:  pt.Load(t, "testdata/assemble/risk-limit-xrpusdt.json"),
	}
	o := &bybit.Options{Mode: account.Isolated, Taker: map[string]*apd.Decimal{"XRPUSDT": dectest.D("0.0006")}}
	ins, err := bybit.DecodeInstruments(p.Instruments)
	if err != nil {
		t.Fatal(err)
	}
	pos, _, err := bybit.DecodePositions(p.Positions)
	if err != nil {
		t.Fatal(err)
	}
	limits, err := bybit.DecodeRiskLimits(p.RiskLimits)
	if err != nil {
		t.Fatal(err)
	}
	if len(ins) != 1 || len(pos) == 0 || len(limits) == 0 {
		t.Fatal(len(ins), len(pos), len(limits))
	}
	in := &ins[0]
	calls := []func() string{
		func() string {
			a, cs, err := bybit.Assemble(ctx, p, o)
			var b strings.Builder
			fmt.Fprintln(&b, a != nil, err)
			for i := range cs {
				fmt.Fprintln(&b, cs[i].String())
			}
			return b.String()
		},
		func() string {
			s, err := in.Spec()
			if err != nil {
				return err.Error()
			}
			return fmt.Sprint(in.Kind(), dectest.Fields(s))
		},
		func() string {
			tiers, err := bybit.Tiers(limits, in.Symbol)
			if err != nil {
				return err.Error()
			}
			var b strings.Builder
			for j := range tiers.Len() {
				k := tiers.At(j)
				fmt.Fprint(&b, &k.Floor, " ", &k.MMR, " ", &k.Cum, " ", &k.MaxLeverage, ";")
			}
			return b.String()
		},
	}
	for i := range pos {
		for _, m := range []venue.MarginMode{venue.Isolated, venue.Cross} {
			calls = append(calls, func() string {
				v, err := pos[i].Position(in, m)
				if err != nil {
					return err.Error()
				}
				return dectest.Fields(v)
			})
		}
	}
	dectest.Share(t, 200, calls...)
}
