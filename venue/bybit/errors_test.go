package bybit_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/derivmath/derivmath"

	"github.com/derivmath/derivmath/venue"
	"github.com/derivmath/derivmath/venue/bybit"
	pt "github.com/derivmath/derivmath/venue/internal/payloadtest"
)

// decoders are the package's decoders with the sample each error test
// edits.
var decoders = map[string]struct {
	file   string
	decode func([]byte) error
}{
	"instrument": {"testdata/instruments-info-inverse.json", func(b []byte) error { _, err := bybit.DecodeInstruments(b); return err }},
	"position":   {"testdata/position-list.json", func(b []byte) error { _, _, err := bybit.DecodePositions(b); return err }},
	"ws":         {"testdata/position-ws-hedge.json", func(b []byte) error { _, _, err := bybit.DecodePositions(b); return err }},
	"wallet":     {"testdata/wallet-balance.json", func(b []byte) error { _, err := bybit.DecodeWalletBalance(b); return err }},
	"risk":       {"testdata/risk-limit-inverse-captured.json", func(b []byte) error { _, err := bybit.DecodeRiskLimits(b); return err }},
	"ticker":     {"testdata/tickers.json", func(b []byte) error { _, err := bybit.DecodeTickers(b); return err }},
}

func TestDecodeErrors(t *testing.T) {
	const l = "result.list."
	for _, c := range []struct {
		decoder, path, value string
		row                  int
		key, field           string
		want                 error
	}{
		// The envelope.
		{"instrument", "retCode", pt.Delete, 0, "", "retCode", venue.ErrMissing},
		{"instrument", "result", pt.Delete, 0, "", "result", venue.ErrMissing},
		{"position", "result.list", pt.Delete, 0, "", "result.list", venue.ErrMissing},
		{"position", "result.list", `{}`, 0, "", "result.list", venue.ErrType},
		{"ticker", "retCode", `"0"`, 0, "", "", nil},
		{"ws", "data", `{}`, 0, "", "data", venue.ErrType},
		// Missing fields.
		{"instrument", l + "1.priceFilter.tickSize", pt.Delete, 1, "BTCUSDZ26", "priceFilter.tickSize", venue.ErrMissing},
		{"instrument", l + "0.lotSizeFilter", pt.Delete, 0, "BTCUSD", "lotSizeFilter", venue.ErrMissing},
		{"instrument", l + "0.settleCoin", `""`, 0, "BTCUSD", "settleCoin", venue.ErrMissing},
		{"position", l + "0.avgPrice", `""`, 0, "BTCUSD", "avgPrice", venue.ErrMissing},
		{"position", l + "0.side", pt.Delete, 0, "BTCUSD", "side", venue.ErrMissing},
		{"position", l + "0.positionIdx", pt.Delete, 0, "BTCUSD", "positionIdx", venue.ErrMissing},
		{"ws", "data.0.entryPrice", pt.Delete, 0, "BTCUSDT", "avgPrice", venue.ErrMissing},
		{"ws", "data.1.size", pt.Delete, 1, "BTCUSDT", "size", venue.ErrMissing},
		{"wallet", l + "0.coin.0.walletBalance", `""`, 0, "UNIFIED", "coin[0].walletBalance", venue.ErrMissing},
		{"wallet", l + "0.accountType", pt.Delete, 0, "", "accountType", venue.ErrMissing},
		{"risk", l + "2.maxLeverage", pt.Delete, 2, "BTCUSDZ26", "maxLeverage", venue.ErrMissing},
		{"ticker", l + "0.markPrice", `""`, 0, "BTCUSD", "markPrice", venue.ErrMissing},
		// Wrong JSON types.
		{"instrument", l + "0.fundingInterval", `"480"`, 0, "BTCUSD", "", nil}, // digits in a string are read
		{"instrument", l + "0.leverageFilter", `"100"`, 0, "BTCUSD", "leverageFilter", venue.ErrType},
		{"position", l + "0.positionIdx", `true`, 0, "BTCUSD", "positionIdx", venue.ErrType},
		{"position", l + "0.isReduceOnly", `"false"`, 0, "BTCUSD", "isReduceOnly", venue.ErrType},
		{"position", l + "0", `[]`, 0, "", "", venue.ErrType},
		{"wallet", l + "0.coin", `{"coin":"BTC"}`, 0, "UNIFIED", "coin", venue.ErrType},
		{"wallet", l + "0.coin.0.marginCollateral", `1`, 0, "UNIFIED", "coin[0].marginCollateral", venue.ErrType},
		{"risk", l + "0.id", `{}`, 0, "BTCUSD", "id", venue.ErrType},
		// Malformed and huge numbers.
		{"instrument", l + "0.priceFilter.tickSize", `"0.1O"`, 0, "BTCUSD", "priceFilter.tickSize", venue.ErrNumber},
		{"position", l + "0.size", `"3e101"`, 0, "BTCUSD", "size", derivmath.ErrRange},
		{"position", l + "0.markPrice", `"NaN"`, 0, "BTCUSD", "markPrice", venue.ErrNumber},
		{"position", l + "0.createdTime", `"1676538056258.5"`, 0, "BTCUSD", "createdTime", venue.ErrNumber},
		{"ticker", l + "0.nextFundingTime", `"-1"`, 0, "BTCUSD", "nextFundingTime", venue.ErrValue},
		{"risk", l + "1.mmDeduction", `"0.750000000000000000000000000000000000000000000000001"`, 1, "BTCUSD", "mmDeduction", venue.ErrNumber},
		// Values out of their domain or inconsistent.
		{"position", l + "0.side", `"Short"`, 0, "BTCUSD", "side", venue.ErrValue},
		{"position", l + "0.side", `""`, 0, "BTCUSD", "side", venue.ErrValue}, // open but no side
		{"position", l + "0.positionIdx", `3`, 0, "BTCUSD", "positionIdx", venue.ErrValue},
		{"position", l + "0.positionIdx", `1`, 0, "BTCUSD", "side", venue.ErrValue}, // the buy leg selling
		{"position", l + "0.size", `"-300"`, 0, "BTCUSD", "size", venue.ErrValue},
		{"position", l + "0.leverage", `"0"`, 0, "BTCUSD", "leverage", venue.ErrValue},
		{"position", l + "0.mmrSysUpdatedTime", `""`, 0, "BTCUSD", "", nil}, // the documented spelling
		{"ws", "data.1.side", `""`, 1, "BTCUSDT", "", nil},
		// A null avgPrice beside the websocket's entryPrice is absent, as
		// null is everywhere: entryPrice is read.
		{"ws", "data.0.avgPrice", `null`, 0, "BTCUSDT", "", nil},
		{"instrument", l + "0.lotSizeFilter.qtyStep", `"0"`, 0, "BTCUSD", "lotSizeFilter.qtyStep", venue.ErrValue},
		{"instrument", l + "0.fundingInterval", `-480`, 0, "BTCUSD", "fundingInterval", venue.ErrValue},
		{"ticker", l + "0.fundingIntervalHour", `"-8"`, 0, "BTCUSD", "fundingIntervalHour", venue.ErrValue},
		{"ticker", l + "0.fundingIntervalHour", `"169"`, 0, "BTCUSD", "fundingIntervalHour", venue.ErrValue}, // over a week
		{"instrument", l + "0.fundingInterval", `10081`, 0, "BTCUSD", "fundingInterval", venue.ErrValue},     // over a week
		{"ws", "data.0.positionIdx", `2`, 0, "BTCUSDT", "side", venue.ErrValue},                              // the sell leg buying
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

// TestWebsocketShapeRefused: only the position decoder reads a websocket
// message ({"topic", "data"}); the others want the REST envelope and
// report its retCode missing.
func TestWebsocketShapeRefused(t *testing.T) {
	msg := []byte(`{"topic":"position","creationTime":1702780274788,"data":[]}`)
	for name, d := range decoders {
		err := d.decode(msg)
		if name == "position" || name == "ws" {
			if err != nil {
				t.Errorf("%s: %v", name, err)
			}
			continue
		}
		pt.FieldError(t, err, 0, "", "retCode", venue.ErrMissing)
	}
}

func TestAPIError(t *testing.T) {
	for name, d := range decoders {
		err := d.decode([]byte(`{"retCode":10001,"retMsg":"params error: symbol invalid","result":{},"retExtInfo":{},"time":1}`))
		var ae *bybit.APIError
		if !errors.As(err, &ae) || ae.Code != 10001 || ae.Msg != "params error: symbol invalid" {
			t.Errorf("%s: %v", name, err)
		}
	}
	if got := (&bybit.APIError{Code: 10001, Msg: "params error"}).Error(); got != "bybit: retCode 10001: params error" {
		t.Errorf("got %q", got)
	}
}

func TestMalformedJSON(t *testing.T) {
	for name, d := range decoders {
		for _, in := range []string{``, `{`, `{"retCode":0,"result":{"list":[`, `{"retCode":}`, `nul`} {
			err := d.decode([]byte(in))
			var syn *json.SyntaxError
			if !errors.As(err, &syn) {
				t.Errorf("%s %q: got %v, want a *json.SyntaxError", name, in, err)
			}
		}
		for _, in := range []string{`"x"`, `42`, `null`, `[]`, `[{"retCode":0}]`} {
			err := d.decode([]byte(in))
			var fe *venue.FieldError
			if !errors.As(err, &fe) || !errors.Is(err, venue.ErrType) {
				t.Errorf("%s %q: got %v, want ErrType", name, in, err)
			}
		}
	}
}

func TestUnknownFieldsIgnored(t *testing.T) {
	for name, d := range decoders {
		path := "result.list.0.someFutureField"
		if name == "ws" {
			path = "data.0.someFutureField"
		}
		b := pt.Edit(t, pt.Load(t, d.file), path, `{"nested":[1,"two",null]}`)
		if err := d.decode(b); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
