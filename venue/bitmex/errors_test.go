package bitmex_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/derivmath/derivmath"

	"github.com/derivmath/derivmath/venue"
	"github.com/derivmath/derivmath/venue/bitmex"
	pt "github.com/derivmath/derivmath/venue/internal/payloadtest"
)

// decoders are the package's decoders with the sample each error test
// edits.
var decoders = map[string]struct {
	file   string
	decode func([]byte) error
}{
	"instrument": {"testdata/instrument.json", func(b []byte) error { _, err := bitmex.DecodeInstruments(b); return err }},
	"position":   {"testdata/position.json", func(b []byte) error { _, _, err := bitmex.DecodePositions(b); return err }},
	"margin":     {"testdata/margin.json", func(b []byte) error { _, err := bitmex.DecodeMargins(b); return err }},
}

func TestDecodeErrors(t *testing.T) {
	for _, c := range []struct {
		decoder, path, value string
		row                  int
		key, field           string
		want                 error
	}{
		// Missing fields.
		{"instrument", "1.multiplier", pt.Delete, 1, "ETHUSD", "multiplier", venue.ErrMissing},
		{"instrument", "0.tickSize", "null", 0, "XBTUSD", "tickSize", venue.ErrMissing},
		{"instrument", "2.symbol", pt.Delete, 2, "", "symbol", venue.ErrMissing},
		{"instrument", "3.isInverse", pt.Delete, 3, "XBTZ24", "isInverse", venue.ErrMissing},
		{"position", "2.avgEntryPrice", "null", 2, "XBTUSD", "avgEntryPrice", venue.ErrMissing},
		{"position", "0.crossMargin", pt.Delete, 0, "XBTUSD", "crossMargin", venue.ErrMissing},
		{"position", "1.posMaint", pt.Delete, 1, "ETHUSDT", "posMaint", venue.ErrMissing},
		{"position", "3.currentQty", pt.Delete, 3, "XBTUSD", "currentQty", venue.ErrMissing},
		{"position", "0.currency", `""`, 0, "XBTUSD", "currency", venue.ErrMissing},
		{"margin", "1.walletBalance", pt.Delete, 1, "USDt", "walletBalance", venue.ErrMissing},
		{"margin", "0.currency", "null", 0, "", "currency", venue.ErrMissing},
		// Wrong JSON types.
		{"instrument", "0.symbol", "42", 0, "", "symbol", venue.ErrType},
		{"instrument", "1.isQuanto", `"true"`, 1, "ETHUSD", "isQuanto", venue.ErrType},
		{"instrument", "0.multiplier", "true", 0, "XBTUSD", "multiplier", venue.ErrType},
		{"instrument", "0.fundingInterval", "8", 0, "XBTUSD", "fundingInterval", venue.ErrType},
		{"instrument", "2", `"XBTUSDT"`, 2, "", "", venue.ErrType},
		{"position", "1.markPrice", `{"v":1}`, 1, "ETHUSDT", "markPrice", venue.ErrType},
		{"position", "0.crossMargin", "0", 0, "XBTUSD", "crossMargin", venue.ErrType},
		{"position", "3.account", `"423359"`, 3, "XBTUSD", "", nil}, // digits in a string are accepted
		{"margin", "0.amount", "[1419341]", 0, "XBt", "amount", venue.ErrType},
		// Malformed and huge numbers.
		{"instrument", "0.tickSize", `"NaN"`, 0, "XBTUSD", "tickSize", venue.ErrNumber},
		{"instrument", "0.takerFee", "1e999", 0, "XBTUSD", "takerFee", derivmath.ErrRange},
		{"position", "0.posCost", "123456789012345678901234567890123456789012345678901", 0, "XBTUSD", "posCost", venue.ErrNumber},
		{"position", "2.account", "1.5", 2, "XBTUSD", "account", venue.ErrNumber},
		{"position", "2.account", "99999999999999999999", 2, "XBTUSD", "account", venue.ErrNumber},
		{"margin", "0.maintMargin", `"Infinity"`, 0, "XBt", "maintMargin", venue.ErrNumber},
		// Values out of their domain.
		{"instrument", "0.lotSize", "0", 0, "XBTUSD", "lotSize", venue.ErrValue},
		{"instrument", "0.fundingInterval", `"1999-12-31T16:00:00.000Z"`, 0, "XBTUSD", "fundingInterval", venue.ErrValue},
		{"instrument", "0.timestamp", `"yesterday"`, 0, "XBTUSD", "timestamp", venue.ErrValue},
		{"position", "0.currentQty", "-2000.5", 0, "XBTUSD", "currentQty", venue.ErrValue},
		{"position", "1.posComm", "39261.5", 1, "ETHUSDT", "posComm", venue.ErrValue},
		{"position", "1.posMargin", "-1", 1, "ETHUSDT", "posMargin", venue.ErrValue},
		{"position", "3.avgEntryPrice", "0", 3, "XBTUSD", "avgEntryPrice", venue.ErrValue},
		{"margin", "1.walletBalance", "0.5", 1, "USDt", "walletBalance", venue.ErrValue},
	} {
		d := decoders[c.decoder]
		t.Run(c.decoder+" "+c.path+" "+c.value, func(t *testing.T) {
			err := d.decode(pt.Edit(t, pt.Load(t, d.file), c.path, c.value))
			if c.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			pt.FieldError(t, err, c.row, c.key, c.field, c.want)
		})
	}
}

func TestMalformedJSON(t *testing.T) {
	for name, d := range decoders {
		for _, in := range []string{``, `[`, `[{"symbol":"XBTUSD"`, `{"symbol":}`, `[1,]`, `nul`} {
			err := d.decode([]byte(in))
			var syn *json.SyntaxError
			if !errors.As(err, &syn) {
				t.Errorf("%s %q: got %v, want a *json.SyntaxError", name, in, err)
			}
		}
		// Valid JSON that is not an array or object of rows.
		for _, in := range []string{`"x"`, `42`, `null`, `[null]`, `[[]]`} {
			err := d.decode([]byte(in))
			var fe *venue.FieldError
			if !errors.As(err, &fe) || !errors.Is(err, venue.ErrType) {
				t.Errorf("%s %q: got %v, want ErrType", name, in, err)
			}
		}
		// An empty array is no rows, not an error.
		if err := d.decode([]byte(`[]`)); err != nil {
			t.Errorf("%s []: %v", name, err)
		}
	}
}

// TestUnknownFieldsIgnored adds fields BitMEX may add one day.
func TestUnknownFieldsIgnored(t *testing.T) {
	for name, d := range decoders {
		b := pt.Edit(t, pt.Load(t, d.file), "0.someFutureField", `{"nested":[1,"two",null]}`)
		if err := d.decode(b); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
