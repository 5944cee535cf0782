package bybit_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/derivmath/derivmath"

	"github.com/derivmath/derivmath/venue"
	"github.com/derivmath/derivmath/venue/bybit"
	pt "github.com/derivmath/derivmath/venue/internal/payloadtest"
)

// seed adds every sample payload and a few edge cases to f.
func seed(f *testing.F) {
	files, err := filepath.Glob("testdata/*.json")
	if err != nil || len(files) == 0 {
		f.Fatal("no samples", err)
	}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"retCode":10001,"retMsg":"x"}`))
	f.Add([]byte(`{"topic":"position","data":[{"symbol":"X","side":"None","size":"0","positionIdx":2}]}`))
}

// errs are the errors the decoders document beside the venue ones.
func errs() []any { return []any{new(*bybit.APIError)} }

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

func FuzzDecodeInstruments(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		ins, err := bybit.DecodeInstruments(data)
		pt.Documented(t, err, errs()...)
		for i := range ins {
			valid(t, &ins[i].TickSize, &ins[i].QtyStep)
			if s, err := ins[i].Spec(); err == nil {
				if err := s.Validate(); err != nil {
					t.Fatalf("invalid spec: %v", err)
				}
			}
		}
	})
}

func FuzzDecodePositions(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		open, _, err := bybit.DecodePositions(data)
		pt.Documented(t, err, errs()...)
		for i := range open {
			p := &open[i]
			valid(t, &p.Size, &p.AvgPrice, &p.LiqPrice)
			z, err := p.Position(nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			if z.Qty.IsZero() || (z.Qty.Negative != (p.Side == "Sell")) {
				t.Fatalf("qty %s side %s", z.Qty.String(), p.Side)
			}
		}
	})
}

func FuzzDecodeWalletBalance(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		ws, err := bybit.DecodeWalletBalance(data)
		pt.Documented(t, err, errs()...)
		for i := range ws {
			valid(t, &ws[i].TotalEquity)
		}
	})
}

func FuzzDecodeRiskLimits(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		rs, err := bybit.DecodeRiskLimits(data)
		pt.Documented(t, err, errs()...)
		seen := map[string]bool{}
		for i := range rs {
			if !seen[rs[i].Symbol] {
				seen[rs[i].Symbol] = true
				_, _ = bybit.Tiers(rs, rs[i].Symbol)
			}
		}
	})
}

func FuzzDecodeTickers(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		ts, err := bybit.DecodeTickers(data)
		pt.Documented(t, err, errs()...)
		for i := range ts {
			valid(t, &ts[i].MarkPrice, &ts[i].FundingRate)
		}
	})
}
