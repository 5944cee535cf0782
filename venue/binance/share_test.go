package binance_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/derivmath/derivmath/venue/binance"
	pt "github.com/derivmath/derivmath/venue/internal/payloadtest"
)

// TestShare: the package documentation's promise that decoders keep no
// state, so that they may run concurrently, and that decoded rows are
// plain values, whose methods only read them. Goroutines assemble one
// account from the same payloads in one context, and call every method of
// the same decoded symbols, brackets, positions and funding rows, each
// into its own results; run it with -race.
func TestShare(t *testing.T) {
	ctx := derivmath.NewContext()
	p := botPayloads(t)
	syms, err := binance.DecodeSymbols(p.Symbols)
	if err != nil {
		t.Fatal(err)
	}
	brs, err := binance.DecodeBrackets(p.Brackets)
	if err != nil {
		t.Fatal(err)
	}
	pos, _, err := binance.DecodePositionRisk(p.Positions)
	if err != nil {
		t.Fatal(err)
	}
	fis, err := binance.DecodeFundingInfo(pt.Load(t, "testdata/usdm/fundingInfo.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(syms) == 0 || len(brs) == 0 || len(pos) == 0 || len(fis) == 0 {
		t.Fatal(len(syms), len(brs), len(pos), len(fis))
	}
	// A few rows of each are enough, and keep the test short.
	syms, brs, pos, fis = syms[:min(4, len(syms))], brs[:min(4, len(brs))], pos[:min(4, len(pos))], fis[:min(4, len(fis))]
	calls := []func() string{
		func() string {
			a, cs, err := binance.Assemble(ctx, p, nil)
			var b strings.Builder
			fmt.Fprintln(&b, a != nil, err)
			for i := range cs {
				fmt.Fprintln(&b, cs[i].String())
			}
			return b.String()
		},
	}
	for i := range syms {
		calls = append(calls, func() string {
			s, err := syms[i].Spec()
			if err != nil {
				return err.Error()
			}
			return fmt.Sprint(syms[i].Perpetual(), dectest.Fields(s))
		})
	}
	for i := range brs {
		calls = append(calls, func() string {
			tiers, err := brs[i].Tiers()
			if err != nil {
				return err.Error()
			}
			var b strings.Builder
			for j := range tiers.Len() {
				k := tiers.At(j)
				fmt.Fprint(&b, &k.Floor, " ", &k.MMR, " ", &k.Cum, " ", &k.MaxLeverage, ";")
			}
			return b.String()
		})
	}
	for i := range pos {
		calls = append(calls, func() string {
			v, err := pos[i].Position()
			if err != nil {
				return err.Error()
			}
			return dectest.Fields(v)
		})
	}
	for i := range fis {
		calls = append(calls, func() string { return fis[i].Interval().String() })
	}
	dectest.Share(t, 50, calls...) // 50 rounds: Assemble is slow
}
