package bitmex_test

import (
	"errors"
	"testing"

	"github.com/cockroachdb/apd/v3"
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

// FuzzDecodeMargins: as FuzzDecodeInstruments, and a decoded row's Wallet
// is the wallet balance times the currency's minor unit, exactly, and a
// valid input; or ErrCurrency, for a currency Unit does not know, with z
// unchanged.
func FuzzDecodeMargins(f *testing.F) {
	seed(f)
	f.Add([]byte(`{"currency":"USDt","amount":1,"walletBalance":"1234567890123456789012345678901234567890123456789E+51","marginBalance":0,"realisedPnl":0,"unrealisedPnl":0,"initMargin":0,"maintMargin":0,"availableMargin":0}`))
	f.Add([]byte(`{"currency":"XBT","amount":1,"walletBalance":5,"marginBalance":0,"realisedPnl":0,"unrealisedPnl":0,"initMargin":0,"maintMargin":0,"availableMargin":0}`))
	f.Add([]byte(`{"currency":"XBt","amount":1,"walletBalance":"-120.000000","marginBalance":0,"realisedPnl":0,"unrealisedPnl":0,"initMargin":0,"maintMargin":0,"availableMargin":0}`))
	oracle := apd.BaseContext.WithPrecision(200)
	f.Fuzz(func(t *testing.T, data []byte) {
		ms, err := bitmex.DecodeMargins(data)
		pt.Documented(t, err)
		for i := range ms {
			m := &ms[i]
			valid(t, &m.WalletBalance, &m.MarginBalance)
			z := apd.New(-425, -1)
			name, err := m.Wallet(z)
			if err != nil {
				if !errors.Is(err, bitmex.ErrCurrency) || z.String() != "-42.5" {
					t.Fatalf("Wallet of %q: %v, z = %s", m.Currency, err, z.String())
				}
				continue
			}
			want, minor, err := bitmex.Unit(m.Currency)
			if err != nil || name != want {
				t.Fatalf("Wallet of %q named %q; Unit says %q, %v", m.Currency, name, want, err)
			}
			if err := derivmath.CheckDecimal(z); err != nil {
				t.Fatalf("Wallet of %s %s = %s, not a valid input: %v", m.WalletBalance.String(), m.Currency, z.String(), err)
			}
			var exact apd.Decimal
			if _, err := oracle.Mul(&exact, &m.WalletBalance.Decimal, minor); err != nil {
				t.Fatal(err)
			}
			if z.Cmp(&exact) != 0 {
				t.Fatalf("Wallet of %s %s = %s, want %s", m.WalletBalance.String(), m.Currency, z.String(), exact.String())
			}
		}
	})
}
