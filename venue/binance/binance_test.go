package binance_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/margin"
	"github.com/derivmath/derivmath/venue"
	"github.com/derivmath/derivmath/venue/binance"
	pt "github.com/derivmath/derivmath/venue/internal/payloadtest"
)

func TestDecodeSymbols(t *testing.T) {
	for _, c := range []struct {
		file, symbol, status, margin           string
		market                                 binance.Market
		contractSize, tick, minPrice, maxPrice string
		step, minQty, maxQty, mktMax, minNotl  string
		liqFee, up, down, maintPct             string
		kind                                   contract.Kind
		mult                                   string
		maxOrders, algo                        int64
	}{
		{
			"usdm/exchangeInfo-symbol.json", "BTCUSDT", "TRADING", "USDT", binance.USDM, "", "0.10", "556.80", "4529764",
			"0.001", "0.001", "1000", "120", "100", "0.012500", "1.0500", "0.9500", "2.5000", contract.Linear, "1", 200, 10,
		},
		{
			"coinm/exchangeInfo-symbol.json", "BTCUSD_PERP", "TRADING", "BTC", binance.COINM, "100", "0.1", "1000", "4520958",
			"1", "1", "1000000", "60000", "", "0.015000", "1.0500", "0.9500", "2.5000", contract.Inverse, "100", 200, 20,
		},
	} {
		ss, err := binance.DecodeSymbols(pt.Load(t, "testdata/"+c.file))
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		s := &ss[0]
		if len(ss) != 1 || s.Symbol != c.symbol || s.Status != c.status || s.MarginAsset != c.margin ||
			s.Market != c.market || !s.Perpetual() || s.MaxNumOrders != c.maxOrders || s.MaxNumAlgoOrders != c.algo {
			t.Errorf("%s: got %+v", c.file, s)
		}
		// deliveryDate 4133404800000 is 2100-12-25, the perpetual sentinel.
		if !s.DeliveryDate.Equal(time.Date(2100, 12, 25, 8, 0, 0, 0, time.UTC)) {
			t.Errorf("%s: deliveryDate %v", c.file, s.DeliveryDate)
		}
		for _, f := range []struct {
			name string
			d    *venue.Decimal
			want string
		}{
			{"contractSize", &s.ContractSize, c.contractSize},
			{"tickSize", &s.TickSize, c.tick},
			{"minPrice", &s.MinPrice, c.minPrice},
			{"maxPrice", &s.MaxPrice, c.maxPrice},
			{"stepSize", &s.StepSize, c.step},
			{"minQty", &s.MinQty, c.minQty},
			{"maxQty", &s.MaxQty, c.maxQty},
			{"MARKET_LOT_SIZE maxQty", &s.MarketMaxQty, c.mktMax},
			{"notional", &s.MinNotional, c.minNotl},
			{"liquidationFee", &s.LiquidationFee, c.liqFee},
			{"multiplierUp", &s.MultiplierUp, c.up},
			{"multiplierDown", &s.MultiplierDown, c.down},
			{"maintMarginPercent", &s.MaintMarginPercent, c.maintPct},
		} {
			pt.Eq(t, c.symbol+" "+f.name, f.d, f.want)
		}
		spec, err := s.Spec()
		if err != nil {
			t.Fatalf("%s: %v", c.symbol, err)
		}
		if spec.Kind != c.kind || spec.Settle != c.margin {
			t.Errorf("%s: spec %v %s", c.symbol, spec.Kind, spec.Settle)
		}
		pt.Same(t, c.symbol+" multiplier", &spec.Multiplier, c.mult)
		pt.Same(t, c.symbol+" tick", &spec.Tick, c.tick)
		pt.Same(t, c.symbol+" lot", &spec.Lot, c.step)
		if !spec.Taker.IsZero() || !spec.Minor.IsZero() {
			t.Errorf("%s: fees or minor unit set", c.symbol)
		}
	}
}

func TestDecodeSymbolsShapes(t *testing.T) {
	one := string(pt.Load(t, "testdata/usdm/exchangeInfo-symbol.json"))
	coin := string(pt.Load(t, "testdata/coinm/exchangeInfo-symbol.json"))
	for name, in := range map[string]string{
		"array":         "[" + one + "," + coin + "]",
		"full response": `{"timezone":"UTC","serverTime":1702713610051,"rateLimits":[],"assets":[],"symbols":[` + one + "," + coin + "]}",
	} {
		ss, err := binance.DecodeSymbols([]byte(in))
		if err != nil || len(ss) != 2 || ss[0].Symbol != "BTCUSDT" || ss[1].Symbol != "BTCUSD_PERP" {
			t.Errorf("%s: %d symbols, %v", name, len(ss), err)
		}
	}
	// An error in the second symbol of a full response names it.
	bad := `{"symbols":[` + one + "," + string(pt.Edit(t, []byte(coin), "filters.0.tickSize", `"-0.1"`)) + "]}"
	_, err := binance.DecodeSymbols([]byte(bad))
	pt.FieldError(t, err, 1, "BTCUSD_PERP", "filters[0].tickSize", venue.ErrValue)
}

func TestDecodePositionRisk(t *testing.T) {
	for _, c := range []struct {
		file string
		flat []venue.Row
		rows []struct {
			symbol                      string
			side                        venue.PositionSide
			mode                        venue.MarginMode
			amt, entry, mark, upnl, liq string
			lev, isoMargin, isoWallet   string
			notional, maint, be         string
			margin                      string // Position().Margin
		}
	}{
		{"usdm/positionRisk.json", []venue.Row{{Index: 0, Key: "BTCUSDT"}}, []struct {
			symbol                      string
			side                        venue.PositionSide
			mode                        venue.MarginMode
			amt, entry, mark, upnl, liq string
			lev, isoMargin, isoWallet   string
			notional, maint, be         string
			margin                      string
		}{
			{
				"AAPLUSDT", venue.OneWay, venue.Isolated, "0.02", "313.20000000000005", "313.19672593", "-0.00006548", "305.29503487",
				"20", "0.31068134", "0.31074682", "6.26393451", "", "313.32528", "0.31074682",
			},
			{
				"BTCUSDT", venue.Short, venue.Cross, "-0.003", "42976.6", "42832.79591057", "0.43141226", "48303.07832462",
				"20", "0.00000000", "0", "-128.49838773", "", "42955.1117", "0",
			},
		}},
		{"usdm/positionRisk-v3.json", nil, []struct {
			symbol                      string
			side                        venue.PositionSide
			mode                        venue.MarginMode
			amt, entry, mark, upnl, liq string
			lev, isoMargin, isoWallet   string
			notional, maint, be         string
			margin                      string
		}{
			{"ADAUSDT", venue.OneWay, 0, "30", "0.385", "0.41047590", "0.76427700", "0", "", "0", "0", "12.31427700", "0.08004280", "0.385077", "0"},
			{"ADAUSDT", venue.Long, 0, "30", "0.385", "0.41047590", "0.76427700", "0", "", "0", "0", "12.31427700", "0.08004280", "0.385077", "0"},
			{"COMPUSDT", venue.Short, 0, "-1.000", "70.92841", "49.72023376", "21.20817624", "2260.56757210", "", "0", "0", "-49.72023376", "0.49720233", "70.900038636", "0"},
		}},
		{"coinm/positionRisk.json", []venue.Row{{Index: 0, Key: "BTCUSD_201225"}, {Index: 2, Key: "BTCUSD_201225"}}, []struct {
			symbol                      string
			side                        venue.PositionSide
			mode                        venue.MarginMode
			amt, entry, mark, upnl, liq string
			lev, isoMargin, isoWallet   string
			notional, maint, be         string
			margin                      string
		}{
			{
				"BTCUSD_201225", venue.Long, venue.Cross, "1", "11707.70000003", "11788.66626667", "0.00005866", "11667.63509587",
				"125", "0.00000000", "", "", "", "11707.80000005", "0",
			},
		}},
	} {
		open, flat, err := binance.DecodePositionRisk(pt.Load(t, "testdata/"+c.file))
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		if len(open) != len(c.rows) || len(flat) != len(c.flat) {
			t.Fatalf("%s: %d open, flat %v", c.file, len(open), flat)
		}
		for i := range c.flat {
			if flat[i] != c.flat[i] {
				t.Errorf("%s: flat %v, want %v", c.file, flat, c.flat)
			}
		}
		for i, w := range c.rows {
			p := &open[i]
			if p.Symbol != w.symbol || p.PositionSide != w.side || p.MarginType != w.mode {
				t.Errorf("%s row %d: %s %v %v", c.file, i, p.Symbol, p.PositionSide, p.MarginType)
			}
			for _, f := range []struct {
				name string
				d    *venue.Decimal
				want string
			}{
				{"positionAmt", &p.PositionAmt, w.amt},
				{"entryPrice", &p.EntryPrice, w.entry},
				{"markPrice", &p.MarkPrice, w.mark},
				{"unRealizedProfit", &p.UnRealizedProfit, w.upnl},
				{"liquidationPrice", &p.LiquidationPrice, w.liq},
				{"leverage", &p.Leverage, w.lev},
				{"isolatedMargin", &p.IsolatedMargin, w.isoMargin},
				{"isolatedWallet", &p.IsolatedWallet, w.isoWallet},
				{"notional", &p.Notional, w.notional},
				{"maintMargin", &p.MaintMargin, w.maint},
				{"breakEvenPrice", &p.BreakEvenPrice, w.be},
			} {
				pt.Eq(t, w.symbol+" "+f.name, f.d, f.want)
			}
			// The float noise of entryPrice survives.
			if i == 0 && c.file == "usdm/positionRisk.json" && p.EntryPrice.Decimal.String() != "313.20000000000005" {
				t.Errorf("entryPrice spelled %s", p.EntryPrice.String())
			}
			z, err := p.Position()
			if err != nil {
				t.Fatal(err)
			}
			if z.Symbol != w.symbol || z.Side != w.side || z.Mode != w.mode {
				t.Errorf("%s row %d: position %s %v %v", c.file, i, z.Symbol, z.Side, z.Mode)
			}
			pt.Same(t, "qty", &z.Qty, w.amt)
			pt.Same(t, "entry", &z.Entry, w.entry)
			pt.Same(t, "mark", &z.Mark, w.mark)
			pt.Same(t, "margin", &z.Margin, w.margin)
			wantLiq := w.liq
			if pt.D(wantLiq).IsZero() {
				wantLiq = ""
			}
			pt.Eq(t, "liquidation", &z.Liquidation, wantLiq)
			pt.Eq(t, "bankruptcy", &z.Bankruptcy, "")
		}
	}
}

// TestPositionRiskIdentities checks the decoded values against the
// identities Binance keeps on the captured rows, exactly. Binance truncates
// the products toward zero to 8 places: half-up would give 6.26393452 and
// 0.43141227.
func TestPositionRiskIdentities(t *testing.T) {
	open, _, err := binance.DecodePositionRisk(pt.Load(t, "testdata/usdm/positionRisk.json"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := apd.BaseContext.WithPrecision(50)
	ctx.Rounding = apd.RoundDown
	for i := range open {
		p := &open[i]
		var z, w apd.Decimal
		// unRealizedProfit = positionAmt * (markPrice - entryPrice)
		_, _ = ctx.Sub(&z, &p.MarkPrice.Decimal, &p.EntryPrice.Decimal)
		_, _ = ctx.Mul(&z, &z, &p.PositionAmt.Decimal)
		_, _ = ctx.Quantize(&z, &z, -8)
		if z.Cmp(&p.UnRealizedProfit.Decimal) != 0 {
			t.Errorf("%s: amt*(mark-entry) = %s, unRealizedProfit %s", p.Symbol, z.String(), p.UnRealizedProfit.String())
		}
		// notional = positionAmt * markPrice
		_, _ = ctx.Mul(&w, &p.PositionAmt.Decimal, &p.MarkPrice.Decimal)
		_, _ = ctx.Quantize(&w, &w, -8)
		if w.Cmp(&p.Notional.Decimal) != 0 {
			t.Errorf("%s: amt*mark = %s, notional %s", p.Symbol, w.String(), p.Notional.String())
		}
	}
	// Isolated: isolatedWallet = isolatedMargin - unRealizedProfit; the
	// conversion recomputes it where the row lacks it.
	p := &open[0]
	p.IsolatedWallet.Valid = false
	z, err := p.Position()
	if err != nil {
		t.Fatal(err)
	}
	pt.Same(t, "recomputed isolated wallet", &z.Margin, "0.31074682")
}

func TestDecodeBrackets(t *testing.T) {
	for _, c := range []struct {
		file, symbol                           string
		market                                 binance.Market
		coef, lev, floor, cap, mmr, cum, limit string
	}{
		{"usdm/leverageBracket.json", "ETHUSDT", binance.USDM, "1.50", "75", "0", "10000", "0.0065", "0", "10000"},
		{"coinm/leverageBracket.json", "BTCUSD_PERP", binance.COINM, "1.50", "125", "0", "50", "0.004", "0.0", "50"},
	} {
		bs, err := binance.DecodeBrackets(pt.Load(t, "testdata/"+c.file))
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		b := &bs[0]
		if b.Symbol != c.symbol || b.Market != c.market || len(b.Brackets) != 1 || b.Brackets[0].Bracket != 1 {
			t.Errorf("%s: %+v", c.file, b)
		}
		k := &b.Brackets[0]
		pt.Eq(t, "notionalCoef", &b.NotionalCoef, c.coef)
		pt.Eq(t, "initialLeverage", &k.InitialLeverage, c.lev)
		pt.Eq(t, "floor", &k.Floor, c.floor)
		pt.Eq(t, "cap", &k.Cap, c.cap)
		pt.Eq(t, "maintMarginRatio", &k.MaintMarginRatio, c.mmr)
		pt.Eq(t, "cum", &k.Cum, c.cum)
		// JSON numbers are exact: 0.0065 is not 0.006499999999999999.
		if k.MaintMarginRatio.Decimal.String() != c.mmr {
			t.Errorf("maintMarginRatio spelled %s", k.MaintMarginRatio.String())
		}
		tiers, err := b.Tiers()
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		if tiers.Len() != 1 {
			t.Fatalf("%d tiers", tiers.Len())
		}
		pt.Same(t, "limit", tiers.Limit(), c.limit)
		pt.Same(t, "tier MMR", &tiers.At(0).MMR, c.mmr)
		pt.Same(t, "tier max leverage", &tiers.At(0).MaxLeverage, c.lev)
	}
}

// btcusdt is Binance's published BTCUSDT ladder (floor, cap, MMR, leverage,
// cum), as a leverageBracket response spells it, cum float-spelled.
const btcusdt = `[{"symbol":"BTCUSDT","brackets":[
{"bracket":1,"initialLeverage":125,"notionalCap":50000,"notionalFloor":0,"maintMarginRatio":0.004,"cum":0.0},
{"bracket":2,"initialLeverage":100,"notionalCap":600000,"notionalFloor":50000,"maintMarginRatio":0.005,"cum":50.0},
{"bracket":3,"initialLeverage":75,"notionalCap":3000000,"notionalFloor":600000,"maintMarginRatio":0.0065,"cum":950.0},
{"bracket":4,"initialLeverage":50,"notionalCap":12000000,"notionalFloor":3000000,"maintMarginRatio":0.01,"cum":11450.0}]}]`

func TestBracketsTiers(t *testing.T) {
	bs, err := binance.DecodeBrackets([]byte(btcusdt))
	if err != nil {
		t.Fatal(err)
	}
	tiers, err := bs[0].Tiers()
	if err != nil {
		t.Fatal(err)
	}
	// The same tiers as the library's preset.
	want := margin.BTCUSDT()
	for i := 0; i < tiers.Len(); i++ {
		if !tiers.At(i).Equal(want.At(i)) {
			t.Errorf("tier %d differs from margin.BTCUSDT", i)
		}
	}
	pt.Same(t, "limit", tiers.Limit(), "12000000")

	for _, c := range []struct {
		name, path, value, field string
		want                     error
	}{
		{"cum off by one", "0.brackets.2.cum", "951", "brackets[2].cum", margin.ErrCum},
		{"first cum not zero", "0.brackets.0.cum", "1", "brackets[0].cum", margin.ErrCum},
		{"gap between brackets", "0.brackets.1.notionalCap", "500000", "brackets[1].notionalCap", venue.ErrValue},
		{"rate decreasing", "0.brackets.3.maintMarginRatio", "0.006", "brackets[3].maintMarginRatio", margin.ErrTierRate},
		{"leverage increasing", "0.brackets.1.initialLeverage", "150", "brackets[1].initialLeverage", margin.ErrTierLeverage},
		{"first floor not zero", "0.brackets.0.notionalFloor", "1", "brackets[0].notionalFloor", margin.ErrTierFloor},
	} {
		t.Run(c.name, func(t *testing.T) {
			bs, err := binance.DecodeBrackets(pt.Edit(t, []byte(btcusdt), c.path, c.value))
			if err != nil {
				t.Fatal(err)
			}
			_, err = bs[0].Tiers()
			pt.FieldError(t, err, 0, "BTCUSDT", c.field, c.want)
		})
	}
}

// TestBracketsFloorSpelling: a Tiers error at a COIN-M floor names the
// key the payload spells it with: qtylFloor in the documentation's
// response (testdata/coinm/leverageBracket.json), qtyFloor elsewhere.
func TestBracketsFloorSpelling(t *testing.T) {
	doc := pt.Load(t, "testdata/coinm/leverageBracket.json")
	for _, c := range []struct {
		name string
		data []byte
		key  string
	}{
		{"qtylFloor", pt.Edit(t, doc, "0.brackets.0.qtylFloor", "1"), "qtylFloor"},
		{"qtyFloor", []byte(`[{"symbol":"BTCUSD_PERP","brackets":[{"bracket":1,"initialLeverage":125,"qtyCap":50,"qtyFloor":1,"maintMarginRatio":0.004,"cum":0.0}]}]`), "qtyFloor"},
	} {
		bs, err := binance.DecodeBrackets(c.data)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		_, err = bs[0].Tiers()
		pt.FieldError(t, err, 0, "BTCUSD_PERP", "brackets[0]."+c.key, margin.ErrTierFloor)
	}
}

func TestBracketsShapes(t *testing.T) {
	// ?symbol= returns one object; COIN-M v1 keys by pair; qtyFloor is the
	// spelling outside the documentation.
	for _, in := range []string{
		`{"symbol":"ETHUSDT","brackets":[{"bracket":1,"initialLeverage":75,"notionalCap":10000,"notionalFloor":0,"maintMarginRatio":0.0065,"cum":0}]}`,
		`[{"pair":"BTCUSD","brackets":[{"bracket":1,"initialLeverage":125,"qtyCap":50,"qtyFloor":0,"maintMarginRatio":0.004,"cum":0.0}]}]`,
	} {
		bs, err := binance.DecodeBrackets([]byte(in))
		if err != nil || len(bs) != 1 {
			t.Fatalf("%s: %v", in, err)
		}
		if _, err := bs[0].Tiers(); err != nil {
			t.Errorf("%s: %v", in, err)
		}
	}
	// Brackets of both markets in one table are refused.
	_, err := binance.DecodeBrackets([]byte(`[{"symbol":"X","brackets":[
		{"bracket":1,"initialLeverage":125,"notionalCap":50,"notionalFloor":0,"maintMarginRatio":0.004,"cum":0},
		{"bracket":2,"initialLeverage":100,"qtyCap":60,"qtyFloor":50,"maintMarginRatio":0.005,"cum":0.05}]}]`))
	pt.FieldError(t, err, 0, "X", "brackets[1].qtyCap", venue.ErrValue)
}

func TestDecodeAccount(t *testing.T) {
	a, err := binance.DecodeAccount(pt.Load(t, "testdata/usdm/account.json"))
	if err != nil {
		t.Fatal(err)
	}
	pt.Eq(t, "totalWalletBalance", &a.TotalWalletBalance, "126.72469206")
	pt.Eq(t, "totalMarginBalance", &a.TotalMarginBalance, "126.72469206")
	pt.Eq(t, "availableBalance", &a.AvailableBalance, "126.72469206")
	pt.Eq(t, "totalMaintMargin", &a.TotalMaintMargin, "0")
	if len(a.Assets) != 1 || a.Assets[0].Asset != "USDT" || len(a.Positions) != 1 || len(a.Flat) != 0 {
		t.Fatalf("got %+v", a)
	}
	pt.Eq(t, "asset walletBalance", &a.Assets[0].WalletBalance, "23.72469206")
	pt.Eq(t, "asset crossWalletBalance", &a.Assets[0].CrossWalletBalance, "23.72469206")
	p := &a.Positions[0]
	if p.Symbol != "BTCUSDT" || p.PositionSide != venue.OneWay {
		t.Errorf("position %s %v", p.Symbol, p.PositionSide)
	}
	pt.Eq(t, "positionAmt", &p.PositionAmt, "1.000")
	pt.Eq(t, "maintMargin", &p.MaintMargin, "0")
	// A flat position is listed apart; COIN-M has no totals.
	b := pt.Edit(t, pt.Load(t, "testdata/usdm/account.json"), "positions.0.positionAmt", `"0.000"`)
	a, err = binance.DecodeAccount(b)
	if err != nil || len(a.Positions) != 0 || len(a.Flat) != 1 || a.Flat[0] != (venue.Row{Index: 0, Key: "BTCUSDT"}) {
		t.Errorf("flat: %+v %v", a, err)
	}
	a, err = binance.DecodeAccount([]byte(`{"assets":[{"asset":"BTC","walletBalance":"0.00241969","unrealizedProfit":"0.00000000",
		"marginBalance":"0.00241969","maintMargin":"0.00000000","initialMargin":"0.00000000"}],"positions":[]}`))
	if err != nil || a.TotalWalletBalance.Valid || len(a.Assets) != 1 {
		t.Errorf("COIN-M: %+v %v", a, err)
	}
	// An account is one object, not an array of them.
	_, err = binance.DecodeAccount([]byte(`[{"assets":[]}]`))
	pt.FieldError(t, err, 0, "", "", venue.ErrType)
}

func TestDecodePremiumIndex(t *testing.T) {
	ps, err := binance.DecodePremiumIndex(pt.Load(t, "testdata/usdm/premiumIndex.json"))
	if err != nil || len(ps) != 1 {
		t.Fatal(err)
	}
	pt.Eq(t, "markPrice", &ps[0].MarkPrice, "11793.63104562")
	pt.Eq(t, "indexPrice", &ps[0].IndexPrice, "11781.80495970")
	pt.Eq(t, "lastFundingRate", &ps[0].LastFundingRate, "0.00038246")
	pt.Eq(t, "interestRate", &ps[0].InterestRate, "0.00010000")
	if !ps[0].NextFundingTime.Equal(time.UnixMilli(1597392000000)) || !ps[0].Time.Equal(time.UnixMilli(1597370495002)) {
		t.Errorf("times %v %v", ps[0].NextFundingTime, ps[0].Time)
	}
	ps, err = binance.DecodePremiumIndex(pt.Load(t, "testdata/coinm/premiumIndex.json"))
	if err != nil || len(ps) != 2 {
		t.Fatal(err)
	}
	if ps[0].Pair != "BTCUSD" || ps[1].Symbol != "BTCUSD_200925" {
		t.Errorf("%s %s", ps[0].Pair, ps[1].Symbol)
	}
	pt.Eq(t, "perp lastFundingRate", &ps[0].LastFundingRate, "0.00071003")
	// The delivery contract sends "" and 0: unset.
	pt.Eq(t, "delivery lastFundingRate", &ps[1].LastFundingRate, "")
	pt.Eq(t, "delivery interestRate", &ps[1].InterestRate, "")
	if !ps[1].NextFundingTime.IsZero() {
		t.Errorf("delivery nextFundingTime %v", ps[1].NextFundingTime)
	}
	pt.Eq(t, "delivery markPrice", &ps[1].MarkPrice, "12077.01343750")
}

func TestDecodeFundingInfo(t *testing.T) {
	fs, err := binance.DecodeFundingInfo(pt.Load(t, "testdata/usdm/fundingInfo.json"))
	if err != nil || len(fs) != 1 {
		t.Fatal(err)
	}
	f := &fs[0]
	if f.Symbol != "BLZUSDT" || f.FundingIntervalHours != 8 || f.Interval() != 8*time.Hour {
		t.Errorf("%+v", f)
	}
	pt.Eq(t, "cap", &f.AdjustedFundingRateCap, "0.025")
	pt.Eq(t, "floor", &f.AdjustedFundingRateFloor, "-0.025")
	fs, err = binance.DecodeFundingInfo([]byte(`[{"symbol":"X","adjustedFundingRateCap":"0.02","adjustedFundingRateFloor":"-0.02","fundingIntervalHours":4}]`))
	if err != nil || fs[0].Interval() != 4*time.Hour {
		t.Errorf("4h: %v", err)
	}
}

// TestPositionIsolatedNoMargin: an isolated row with neither isolatedWallet
// nor isolatedMargin has no margin to report: Position refuses it
// (isolatedMargin missing) rather than returning isolatedMargin -
// unRealizedProfit with an isolatedMargin of 0, a margin of -uPnL.
func TestPositionIsolatedNoMargin(t *testing.T) {
	const row = `{"symbol":"BTCUSDT","positionSide":"BOTH","positionAmt":"0.1","entryPrice":"40000",
		"markPrice":"41000","unRealizedProfit":"100","liquidationPrice":"36000","leverage":"10",
		"marginType":"isolated"%s}`
	for _, c := range []struct {
		name, extra, margin string
	}{
		{"neither", ``, ""},
		{"isolatedMargin", `,"isolatedMargin":"500"`, "400"},
		{"isolatedWallet", `,"isolatedWallet":"400"`, "400"},
	} {
		open, _, err := binance.DecodePositionRisk([]byte(fmt.Sprintf(row, c.extra)))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		p, err := open[0].Position()
		if c.margin == "" {
			pt.FieldError(t, err, -1, "BTCUSDT", "isolatedMargin", venue.ErrMissing)
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		pt.Same(t, c.name, &p.Margin, c.margin)
	}
	// isolatedMargin - unRealizedProfit beyond derivmath.MaxDigits digits
	// cannot be exact: derivmath.ErrRange, not a rounded margin.
	open, _, err := binance.DecodePositionRisk([]byte(fmt.Sprintf(row, `,"isolatedMargin":"1e30"`)))
	if err != nil {
		t.Fatal(err)
	}
	open[0].UnRealizedProfit.SetFinite(1, -30)
	if _, err := open[0].Position(); !errors.Is(err, derivmath.ErrRange) {
		t.Errorf("1e30 - 1e-30: %v, want derivmath.ErrRange", err)
	}
}

// TestMinNotionalSpelling: MIN_NOTIONAL's value is read from "notional"
// (futures) or, where a payload spells it as spot does, "minNotional".
func TestMinNotionalSpelling(t *testing.T) {
	data := pt.Edit(t, pt.Load(t, "testdata/usdm/exchangeInfo-symbol.json"), "filters.5.notional", pt.Delete)
	data = pt.Edit(t, data, "filters.5.minNotional", `"5"`)
	ss, err := binance.DecodeSymbols(data)
	if err != nil {
		t.Fatal(err)
	}
	pt.Eq(t, "minNotional", &ss[0].MinNotional, "5")
}
