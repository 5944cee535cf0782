package bitmex_test

import (
	"testing"

	"github.com/derivmath/derivmath"

	"github.com/derivmath/derivmath/venue"
	"github.com/derivmath/derivmath/venue/bitmex"
	pt "github.com/derivmath/derivmath/venue/internal/payloadtest"
)

// seed adds every sample payload and a few malformed ones to f.
func seed(f *testing.F) {
	for _, file := range []string{"instrument.json", "position.json", "margin.json", "margin-with-position.json", "margin-2024.json"} {
		f.Add(pt.Load(f, "testdata/"+file))
	}
	f.Add([]byte(`[` + closed + `]`))
	f.Add([]byte(`[{"symbol":"XBTUSD","currency":"XBt","currentQty":"1e999"}]`))
	f.Add([]byte(`{"currency":"XBt","amount":-0.0}`))
}

// valid fails unless every set decimal in ds is within the library's range.
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

// FuzzDecodeInstruments: any input decodes or fails with a documented
// error, never panics, and a decoded instrument converts (or fails) without
// panicking.
func FuzzDecodeInstruments(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		ins, err := bitmex.DecodeInstruments(data)
		pt.Documented(t, err)
		for i := range ins {
			in := &ins[i]
			valid(t, &in.Multiplier, &in.TickSize, &in.LotSize, &in.RiskLimit, &in.TakerFee)
			if s, err := in.Spec(); err == nil {
				if err := s.Validate(); err != nil {
					t.Fatalf("Spec returned an invalid spec: %v", err)
				}
			}
			_, _ = in.Steps()
		}
	})
}

// FuzzDecodePositions: as FuzzDecodeInstruments, and flat rows are never
// among the open ones.
func FuzzDecodePositions(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		open, _, err := bitmex.DecodePositions(data)
		pt.Documented(t, err)
		for i := range open {
			p := &open[i]
			valid(t, &p.CurrentQty, &p.AvgEntryPrice, &p.PosCost, &p.PosMargin, &p.LiquidationPrice)
			if p.CurrentQty.IsZero() {
				t.Fatal("a flat row among the open ones")
			}
			if z, err := p.Position(nil); err == nil && z.Qty.IsZero() {
				t.Fatal("zero quantity")
			}
		}
	})
}

// FuzzDecodeMargins: as FuzzDecodeInstruments.
func FuzzDecodeMargins(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		ms, err := bitmex.DecodeMargins(data)
		pt.Documented(t, err)
		for i := range ms {
			valid(t, &ms[i].WalletBalance, &ms[i].MarginBalance)
		}
	})
}
