package binance_test

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/funding"

	"github.com/derivmath/derivmath/venue"
	"github.com/derivmath/derivmath/venue/binance"
	pt "github.com/derivmath/derivmath/venue/internal/payloadtest"
)

// seed adds every sample payload and a few edge cases to f.
func seed(f *testing.F) {
	for _, d := range decoders {
		f.Add(pt.Load(f, d.file))
	}
	f.Add([]byte(btcusdt))
	f.Add([]byte(`[{"symbol":"X","positionSide":"SHORT","positionAmt":"-1e-36","entryPrice":"1","markPrice":"1","unRealizedProfit":"0","liquidationPrice":"0"}]`))
	f.Add([]byte(`{"symbols":[{"symbol":"X"}]}`))
}

func valid(t *testing.T, ds ...*venue.Decimal) {
	t.Helper()
	for _, d := range ds {
		if d.Valid {
			if err := derivmath.CheckDecimal(&d.Decimal); err != nil {
				t.Fatalf("decoded %s: %v", d.Decimal.String(), err)
			}
		}
	}
}

func FuzzDecodeSymbols(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		ss, err := binance.DecodeSymbols(data)
		pt.Documented(t, err)
		for i := range ss {
			valid(t, &ss[i].TickSize, &ss[i].StepSize, &ss[i].ContractSize)
			if s, err := ss[i].Spec(); err == nil {
				if err := s.Validate(); err != nil {
					t.Fatalf("invalid spec: %v", err)
				}
			}
		}
	})
}

func FuzzDecodePositionRisk(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		open, _, err := binance.DecodePositionRisk(data)
		pt.Documented(t, err)
		for i := range open {
			p := &open[i]
			valid(t, &p.PositionAmt, &p.EntryPrice, &p.MarkPrice, &p.LiquidationPrice)
			z, err := p.Position()
			if err == nil && (z.Qty.IsZero() || z.Side == venue.Long && z.Qty.Negative || z.Side == venue.Short && !z.Qty.Negative) {
				t.Fatalf("position %s %v", z.Qty.String(), z.Side)
			}
		}
	})
}

func FuzzDecodeBrackets(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		bs, err := binance.DecodeBrackets(data)
		pt.Documented(t, err)
		for i := range bs {
			_, _ = bs[i].Tiers()
		}
	})
}

func FuzzDecodeAccount(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := binance.DecodeAccount(data)
		pt.Documented(t, err)
		if err == nil {
			for i := range a.Positions {
				if a.Positions[i].PositionAmt.IsZero() {
					t.Fatal("flat position among the open ones")
				}
			}
		}
	})
}

func FuzzDecodePremiumIndex(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		ps, err := binance.DecodePremiumIndex(data)
		pt.Documented(t, err)
		for i := range ps {
			valid(t, &ps[i].MarkPrice, &ps[i].LastFundingRate)
		}
	})
}

func FuzzDecodeFundingInfo(f *testing.F) {
	seed(f)
	for _, h := range []string{"1", "4", "5", "7", "8", "24", "25"} {
		f.Add([]byte(`[{"symbol":"X","adjustedFundingRateCap":"0.02","adjustedFundingRateFloor":"-0.02","fundingIntervalHours":` + h + `}]`))
	}
	ctx := derivmath.NewContext()
	premium, interest, bound := apd.New(1, -4), apd.New(1, -4), apd.New(5, -4)
	f.Fuzz(func(t *testing.T, data []byte) {
		fs, err := binance.DecodeFundingInfo(data)
		pt.Documented(t, err)
		for i := range fs {
			if h := fs[i].FundingIntervalHours; h < 1 || h > 24 {
				t.Fatalf("interval %d h", h)
			}
			// Every decoded interval is one funding.RateBinance accepts.
			var z apd.Decimal
			if err := funding.RateBinance(ctx, &z, premium, interest, bound, fs[i].Interval(), funding.DefaultScaling); err != nil {
				t.Fatalf("interval %d h: RateBinance: %v", fs[i].FundingIntervalHours, err)
			}
		}
	})
}
