package binance_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/derivmath/derivmath"

	"github.com/derivmath/derivmath/venue"
	"github.com/derivmath/derivmath/venue/binance"
	pt "github.com/derivmath/derivmath/venue/internal/payloadtest"
)

// decoders are the package's decoders with the sample each error test
// edits.
var decoders = map[string]struct {
	file   string
	decode func([]byte) error
}{
	"symbol":      {"testdata/usdm/exchangeInfo-symbol.json", func(b []byte) error { _, err := binance.DecodeSymbols(b); return err }},
	"coinSymbol":  {"testdata/coinm/exchangeInfo-symbol.json", func(b []byte) error { _, err := binance.DecodeSymbols(b); return err }},
	"position":    {"testdata/usdm/positionRisk.json", func(b []byte) error { _, _, err := binance.DecodePositionRisk(b); return err }},
	"positionV3":  {"testdata/usdm/positionRisk-v3.json", func(b []byte) error { _, _, err := binance.DecodePositionRisk(b); return err }},
	"coinPos":     {"testdata/coinm/positionRisk.json", func(b []byte) error { _, _, err := binance.DecodePositionRisk(b); return err }},
	"bracket":     {"testdata/usdm/leverageBracket.json", func(b []byte) error { _, err := binance.DecodeBrackets(b); return err }},
	"coinBracket": {"testdata/coinm/leverageBracket.json", func(b []byte) error { _, err := binance.DecodeBrackets(b); return err }},
	"account":     {"testdata/usdm/account.json", func(b []byte) error { _, err := binance.DecodeAccount(b); return err }},
	"premium":     {"testdata/coinm/premiumIndex.json", func(b []byte) error { _, err := binance.DecodePremiumIndex(b); return err }},
	"funding":     {"testdata/usdm/fundingInfo.json", func(b []byte) error { _, err := binance.DecodeFundingInfo(b); return err }},
}

func TestDecodeErrors(t *testing.T) {
	for _, c := range []struct {
		decoder, path, value string
		row                  int
		key, field           string
		want                 error
	}{
		// Missing fields.
		{"symbol", "marginAsset", pt.Delete, 0, "BTCUSDT", "marginAsset", venue.ErrMissing},
		{"symbol", "status", pt.Delete, 0, "BTCUSDT", "status", venue.ErrMissing},
		{"coinSymbol", "contractStatus", `""`, 0, "BTCUSD_PERP", "contractStatus", venue.ErrMissing},
		{"symbol", "filters.0.tickSize", pt.Delete, 0, "BTCUSDT", "filters[0].tickSize", venue.ErrMissing},
		{"symbol", "filters.1.filterType", `"LOT"`, 0, "BTCUSDT", "filters[LOT_SIZE]", venue.ErrMissing},
		{"symbol", "filters", pt.Delete, 0, "BTCUSDT", "filters", venue.ErrMissing},
		{"position", "1.entryPrice", pt.Delete, 1, "AAPLUSDT", "entryPrice", venue.ErrMissing},
		{"position", "2.markPrice", `""`, 2, "BTCUSDT", "markPrice", venue.ErrMissing},
		{"position", "2.positionSide", pt.Delete, 2, "BTCUSDT", "positionSide", venue.ErrMissing},
		{"positionV3", "2.positionAmt", pt.Delete, 2, "COMPUSDT", "positionAmt", venue.ErrMissing},
		{"coinPos", "1.liquidationPrice", "null", 1, "BTCUSD_201225", "liquidationPrice", venue.ErrMissing},
		{"bracket", "0.brackets.0.cum", pt.Delete, 0, "ETHUSDT", "brackets[0].cum", venue.ErrMissing},
		{"bracket", "0.brackets", "[]", 0, "ETHUSDT", "brackets", venue.ErrMissing},
		{"coinBracket", "0.brackets.0.qtyCap", pt.Delete, 0, "BTCUSD_PERP", "brackets[0].qtyCap", venue.ErrMissing},
		{"bracket", "0.brackets.0.notionalCap", pt.Delete, 0, "ETHUSDT", "brackets[0].notionalCap", venue.ErrMissing},
		// A fundingInfo floor equal to its cap is a fixed rate, accepted.
		{"funding", "0.adjustedFundingRateFloor", `"0.02500000"`, 0, "BLZUSDT", "", nil},
		// A spelling that is null is absent: the other one is read.
		{"coinBracket", "0.brackets.0.qtyFloor", `null`, 0, "BTCUSD_PERP", "", nil},
		{"coinBracket", "0.symbol", pt.Delete, 0, "", "symbol", venue.ErrMissing},
		{"account", "assets.0.walletBalance", pt.Delete, 0, "", "assets[0].walletBalance", venue.ErrMissing},
		{"account", "positions.0.maintMargin", pt.Delete, 0, "", "positions[0].maintMargin", venue.ErrMissing},
		{"account", "assets", pt.Delete, 0, "", "assets", venue.ErrMissing},
		{"premium", "1.markPrice", `""`, 1, "BTCUSD_200925", "markPrice", venue.ErrMissing},
		{"funding", "0.fundingIntervalHours", pt.Delete, 0, "BLZUSDT", "fundingIntervalHours", venue.ErrMissing},
		// Wrong JSON types.
		{"symbol", "filters", `{"filterType":"PRICE_FILTER"}`, 0, "BTCUSDT", "filters", venue.ErrType},
		{"symbol", "filters.2", `"MARKET_LOT_SIZE"`, 0, "BTCUSDT", "filters[2]", venue.ErrType},
		{"symbol", "pricePrecision", `true`, 0, "BTCUSDT", "pricePrecision", venue.ErrType},
		{"position", "1.symbol", `["AAPLUSDT"]`, 1, "", "symbol", venue.ErrType},
		{"position", "1.isAutoAddMargin", `"no"`, 1, "AAPLUSDT", "isAutoAddMargin", venue.ErrType},
		{"position", "1.isolated", `"true"`, 1, "AAPLUSDT", "isolated", venue.ErrType},
		{"bracket", "0.brackets.0", `[1]`, 0, "ETHUSDT", "brackets[0]", venue.ErrType},
		{"account", "assets.0.asset", `1`, 0, "", "assets[0].asset", venue.ErrType},
		{"funding", "0.disclaimer", `"ignored"`, 0, "BLZUSDT", "", nil},
		// Malformed and huge numbers.
		{"position", "1.positionAmt", `"1e999"`, 1, "AAPLUSDT", "positionAmt", derivmath.ErrRange},
		{"position", "2.liquidationPrice", `"NaN"`, 2, "BTCUSDT", "liquidationPrice", venue.ErrNumber},
		{"position", "2.updateTime", `1.7e12`, 2, "BTCUSDT", "updateTime", venue.ErrNumber},
		{"position", "2.updateTime", `"1704362904896"`, 2, "BTCUSDT", "", nil}, // a string timestamp is read
		{"bracket", "0.brackets.0.maintMarginRatio", `0.00650000000000000000000000000000000000000000000000001`, 0, "ETHUSDT", "brackets[0].maintMarginRatio", venue.ErrNumber},
		{"coinSymbol", "contractSize", `"1OO"`, 0, "BTCUSD_PERP", "contractSize", venue.ErrNumber},
		{"premium", "0.nextFundingTime", `99999999999999999`, 0, "BTCUSD_PERP", "nextFundingTime", venue.ErrValue},
		// Values out of their domain or inconsistent.
		{"position", "2.positionSide", `"UP"`, 2, "BTCUSDT", "positionSide", venue.ErrValue},
		{"position", "2.positionAmt", `"0.003"`, 2, "BTCUSDT", "positionAmt", venue.ErrValue}, // a SHORT leg that is long
		{"coinPos", "1.positionAmt", `"-1"`, 1, "BTCUSD_201225", "positionAmt", venue.ErrValue},
		{"position", "1.marginType", `"portfolio"`, 1, "AAPLUSDT", "marginType", venue.ErrValue},
		{"position", "1.isolated", `false`, 1, "AAPLUSDT", "isolated", venue.ErrValue},
		{"position", "1.entryPrice", `"0.0"`, 1, "AAPLUSDT", "entryPrice", venue.ErrValue},
		{"position", "2.marginType", `"CROSSED"`, 2, "BTCUSDT", "", nil}, // the user data stream's spelling
		{"coinSymbol", "contractSize", `0`, 0, "BTCUSD_PERP", "contractSize", venue.ErrValue},
		{"symbol", "filters.1.stepSize", `"0"`, 0, "BTCUSDT", "filters[1].stepSize", venue.ErrValue},
		{"account", "positions.0.positionAmt", `"-1"`, 0, "", "", nil},
		{"account", "positions.0.positionSide", `"LONG"`, 0, "", "", nil},
		{"funding", "0.fundingIntervalHours", `0`, 0, "BLZUSDT", "fundingIntervalHours", venue.ErrValue},
		// An interval must divide 24 hours, as funding.RateBinance requires.
		{"funding", "0.fundingIntervalHours", `5`, 0, "BLZUSDT", "fundingIntervalHours", venue.ErrValue},
		{"funding", "0.fundingIntervalHours", `7`, 0, "BLZUSDT", "fundingIntervalHours", venue.ErrValue},
		{"funding", "0.fundingIntervalHours", `25`, 0, "BLZUSDT", "fundingIntervalHours", venue.ErrValue},
		{"funding", "0.fundingIntervalHours", `1`, 0, "BLZUSDT", "", nil},
		{"funding", "0.fundingIntervalHours", `4`, 0, "BLZUSDT", "", nil},
		{"funding", "0.fundingIntervalHours", `8`, 0, "BLZUSDT", "", nil},
		{"funding", "0.adjustedFundingRateFloor", `"0.03"`, 0, "BLZUSDT", "adjustedFundingRateFloor", venue.ErrValue},
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
		for _, in := range []string{``, `[`, `[{"symbol":"BTCUSDT"`, `{"symbol":}`, `[1,]`, `nul`} {
			err := d.decode([]byte(in))
			var syn *json.SyntaxError
			if !errors.As(err, &syn) {
				t.Errorf("%s %q: got %v, want a *json.SyntaxError", name, in, err)
			}
		}
		for _, in := range []string{`"x"`, `42`, `null`, `[null]`} {
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
		path := "0.someFutureField"
		if name == "symbol" || name == "coinSymbol" || name == "account" {
			path = "someFutureField"
		}
		b := pt.Edit(t, pt.Load(t, d.file), path, `{"nested":[1,"two",null]}`)
		if err := d.decode(b); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
