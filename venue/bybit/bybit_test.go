package bybit_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/margin"
	"github.com/derivmath/derivmath/venue"
	"github.com/derivmath/derivmath/venue/bybit"
	pt "github.com/derivmath/derivmath/venue/internal/payloadtest"
)

func TestDecodeInstruments(t *testing.T) {
	for _, c := range []struct {
		file, symbol, ctype, category, settle   string
		tick, minPrice, maxPrice, step, minQty  string
		maxLev, deliveryFee, upper, minNotional string
		interval                                time.Duration
		delivery                                time.Time
		kind                                    contract.Kind
	}{
		{
			"instruments-info-linear.json", "BTCUSDT", "LinearPerpetual", "linear", "USDT", "0.10", "0.10", "1999999.80", "0.001", "0.001",
			"100.00", "", "0.00375", "5", 8 * time.Hour,
			time.Time{},
			contract.Linear,
		},
		{
			"instruments-info-linear-2023.json", "BTCUSDT", "LinearPerpetual", "linear", "USDT", "0.10", "0.10", "199999.80", "0.001", "0.001",
			"100.00", "", "", "", 8 * time.Hour,
			time.Time{},
			contract.Linear,
		},
		{
			"instruments-info-inverse.json", "BTCUSD", "InversePerpetual", "inverse", "BTC", "0.10", "0.10", "1999999.80", "1", "1",
			"100.00", "", "0.005", "5", 8 * time.Hour,
			time.Time{},
			contract.Inverse,
		},
		{
			"instruments-info-inverse.json", "BTCUSDZ26", "InverseFutures", "inverse", "BTC", "0.50", "0.50", "9999999.00", "1", "1",
			"100.00", "0.0005", "", "5", 0, time.UnixMilli(1798185600000), contract.Inverse,
		},
	} {
		ins, err := bybit.DecodeInstruments(pt.Load(t, "testdata/"+c.file))
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		var in *bybit.Instrument
		for i := range ins {
			if ins[i].Symbol == c.symbol {
				in = &ins[i]
			}
		}
		if in == nil {
			t.Fatalf("%s: no %s", c.file, c.symbol)
		}
		if in.ContractType != c.ctype || in.Category != c.category || in.SettleCoin != c.settle || in.Status != "Trading" ||
			in.FundingInterval != c.interval || !in.DeliveryTime.Equal(c.delivery) || in.PriceScale != 2 {
			t.Errorf("%s %s: %+v", c.file, c.symbol, in)
		}
		for _, f := range []struct {
			name string
			d    *venue.Decimal
			want string
		}{
			{"tickSize", &in.TickSize, c.tick},
			{"minPrice", &in.MinPrice, c.minPrice},
			{"maxPrice", &in.MaxPrice, c.maxPrice},
			{"qtyStep", &in.QtyStep, c.step},
			{"minOrderQty", &in.MinOrderQty, c.minQty},
			{"maxLeverage", &in.MaxLeverage, c.maxLev},
			{"deliveryFeeRate", &in.DeliveryFeeRate, c.deliveryFee},
			{"upperFundingRate", &in.UpperFundingRate, c.upper},
			{"minNotionalValue", &in.MinNotionalValue, c.minNotional},
		} {
			pt.Eq(t, c.symbol+" "+f.name, f.d, f.want)
		}
		s, err := in.Spec()
		if err != nil {
			t.Fatalf("%s: %v", c.symbol, err)
		}
		if s.Kind != c.kind || s.Settle != c.settle {
			t.Errorf("%s: %v %s", c.symbol, s.Kind, s.Settle)
		}
		pt.Same(t, "multiplier", &s.Multiplier, "1")
		pt.Same(t, "tick", &s.Tick, c.tick)
		pt.Same(t, "lot", &s.Lot, c.step)
	}
	// A contract type that contradicts the category, or an option, has no
	// Spec.
	for _, v := range []string{`"InversePerpetual"`, `"Option"`} {
		ins, err := bybit.DecodeInstruments(pt.Edit(t, pt.Load(t, "testdata/instruments-info-linear.json"), "result.list.0.contractType", v))
		if err != nil {
			t.Fatal(err)
		}
		_, err = ins[0].Spec()
		pt.FieldError(t, err, 0, "BTCUSDT", "contractType", venue.ErrValue)
	}
}

func instrument(t *testing.T, file, symbol string) *bybit.Instrument {
	t.Helper()
	ins, err := bybit.DecodeInstruments(pt.Load(t, "testdata/"+file))
	if err != nil {
		t.Fatal(err)
	}
	for i := range ins {
		if ins[i].Symbol == symbol {
			return &ins[i]
		}
	}
	t.Fatalf("no %s", symbol)
	return nil
}

func TestDecodePositions(t *testing.T) {
	type row struct {
		symbol, side, category           string
		idx                              int64
		size, avg, mark, lev, value      string
		liq, bust, im, mm, balance, upnl string
		riskLimit                        string
	}
	for _, c := range []struct {
		file string
		flat []venue.Row
		rows []row
	}{
		{"position-list.json", nil, []row{{
			"BTCUSD", "Sell", "inverse", 0, "300", "27464.50441675", "28224.50", "10", "0.01092319",
			"", "999999.00", "0.00010923", "0.0000015", "0.00139186", "-0.00029413", "150",
		}}},
		{"position-list-linear-2023.json", nil, []row{{
			"XRPUSDT", "Buy", "linear", 0, "100", "0.3615", "0.3432", "10", "36.15",
			"0.0001", "", "3.634521", "0.381021", "", "-1.83", "200000",
		}}},
		{"position-ws-hedge.json", []venue.Row{{Index: 1, Key: "BTCUSDT"}}, []row{{
			"BTCUSDT", "Buy", "linear", 1, "0.02", "42182.55", "42056.10", "1", "843.651",
			"", "0.10", "8.43651", "0.00001", "846.18", "-2.529", "2000000",
		}}},
	} {
		open, flat, err := bybit.DecodePositions(pt.Load(t, "testdata/"+c.file))
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		if len(open) != len(c.rows) || len(flat) != len(c.flat) || (len(flat) > 0 && flat[0] != c.flat[0]) {
			t.Fatalf("%s: %d open, flat %v", c.file, len(open), flat)
		}
		for i, w := range c.rows {
			p := &open[i]
			if p.Symbol != w.symbol || p.Side != w.side || p.Category != w.category || p.PositionIdx != w.idx {
				t.Errorf("%s: %s %s %s %d", c.file, p.Symbol, p.Side, p.Category, p.PositionIdx)
			}
			for _, f := range []struct {
				name string
				d    *venue.Decimal
				want string
			}{
				{"size", &p.Size, w.size},
				{"avgPrice", &p.AvgPrice, w.avg},
				{"markPrice", &p.MarkPrice, w.mark},
				{"leverage", &p.Leverage, w.lev},
				{"positionValue", &p.PositionValue, w.value},
				{"liqPrice", &p.LiqPrice, w.liq},
				{"bustPrice", &p.BustPrice, w.bust},
				{"positionIM", &p.PositionIM, w.im},
				{"positionMM", &p.PositionMM, w.mm},
				{"positionBalance", &p.PositionBalance, w.balance},
				{"unrealisedPnl", &p.UnrealisedPnl, w.upnl},
				{"riskLimitValue", &p.RiskLimitValue, w.riskLimit},
			} {
				pt.Eq(t, w.symbol+" "+f.name, f.d, f.want)
			}
		}
	}
}

// TestPositionIMMM reproduces the 2023 linear example's margins, which
// include the fee to close at taker 0.06%: IM = value/lev + value*(1 -
// 1/lev)*0.0006, MM = value*1% + the same fee.
func TestPositionIMMM(t *testing.T) {
	open, _, err := bybit.DecodePositions(pt.Load(t, "testdata/position-list-linear-2023.json"))
	if err != nil {
		t.Fatal(err)
	}
	p := &open[0]
	ctx := apd.BaseContext.WithPrecision(50)
	var inv, fee, im, mm apd.Decimal
	_, _ = ctx.Quo(&inv, apd.New(1, 0), &p.Leverage.Decimal)
	_, _ = ctx.Sub(&fee, apd.New(1, 0), &inv)
	_, _ = ctx.Mul(&fee, &fee, &p.PositionValue.Decimal)
	_, _ = ctx.Mul(&fee, &fee, pt.D("0.0006"))
	_, _ = ctx.Mul(&im, &p.PositionValue.Decimal, &inv)
	_, _ = ctx.Add(&im, &im, &fee)
	_, _ = ctx.Mul(&mm, &p.PositionValue.Decimal, pt.D("0.01"))
	_, _ = ctx.Add(&mm, &mm, &fee)
	if im.Cmp(&p.PositionIM.Decimal) != 0 || mm.Cmp(&p.PositionMM.Decimal) != 0 {
		t.Errorf("IM %s MM %s, payload %s %s", im.String(), mm.String(), p.PositionIM.String(), p.PositionMM.String())
	}
}

func TestPositionConvert(t *testing.T) {
	type want struct {
		side               venue.PositionSide
		mode               venue.MarginMode
		qty, entry, margin string
		liq, bust          string
	}
	for _, c := range []struct {
		file string
		in   *bybit.Instrument
		mode venue.MarginMode
		want want
	}{
		{"position-list.json", nil, 0, want{venue.OneWay, venue.Cross, "-300", "27464.50441675", "0", "", "999999.00"}},
		{"position-list.json", nil, venue.Isolated, want{venue.OneWay, venue.Isolated, "-300", "27464.50441675", "0.00139186", "", "999999.00"}},
		{"position-list-linear-2023.json", nil, venue.Isolated, want{venue.OneWay, venue.Isolated, "100", "0.3615", "3.634521", "0.0001", ""}},
		{"position-ws-hedge.json", nil, venue.Cross, want{venue.Long, venue.Cross, "0.02", "42182.55", "0", "", "0.10"}},
		// With the instrument, a price at its minPrice means none.
		{
			"position-ws-hedge.json", instrument(t, "instruments-info-linear.json", "BTCUSDT"), venue.Cross,
			want{venue.Long, venue.Cross, "0.02", "42182.55", "0", "", ""},
		},
	} {
		open, _, err := bybit.DecodePositions(pt.Load(t, "testdata/"+c.file))
		if err != nil {
			t.Fatal(err)
		}
		p, err := open[0].Position(c.in, c.mode)
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		if p.Side != c.want.side || p.Mode != c.want.mode || p.Symbol != open[0].Symbol {
			t.Errorf("%s: %v %v", c.file, p.Side, p.Mode)
		}
		pt.Same(t, c.file+" qty", &p.Qty, c.want.qty)
		pt.Same(t, c.file+" entry", &p.Entry, c.want.entry)
		pt.Same(t, c.file+" margin", &p.Margin, c.want.margin)
		pt.Eq(t, c.file+" liquidation", &p.Liquidation, c.want.liq)
		pt.Eq(t, c.file+" bankruptcy", &p.Bankruptcy, c.want.bust)
	}
	// The deprecated tradeMode 1 is isolated when no mode is given.
	open, _, _ := bybit.DecodePositions(pt.Edit(t, pt.Load(t, "testdata/position-list.json"), "result.list.0.tradeMode", "1"))
	if p, _ := open[0].Position(nil, 0); p.Mode != venue.Isolated {
		t.Errorf("tradeMode 1: %v", p.Mode)
	}
	// Any other tradeMode is cross, as documented ("1 isolated, otherwise
	// cross").
	open2, _, _ := bybit.DecodePositions(pt.Edit(t, pt.Load(t, "testdata/position-list.json"), "result.list.0.tradeMode", "2"))
	if p, _ := open2[0].Position(nil, 0); p.Mode != venue.Cross {
		t.Errorf("tradeMode 2: %v", p.Mode)
	}
	// A liqPrice at the instrument's maxPrice is none, as at its minPrice.
	xrp, _, _ := bybit.DecodePositions(pt.Edit(t, pt.Load(t, "testdata/position-list-linear-2023.json"), "result.list.0.liqPrice", `"199.9998"`))
	if p, err := xrp[0].Position(instrument(t, "assemble/instruments-xrpusdt.json", "XRPUSDT"), 0); err != nil || p.Liquidation.Valid {
		t.Errorf("liqPrice at maxPrice: %v, %v", p, err)
	}
	if _, err := open[0].Position(nil, 7); !errors.Is(err, venue.ErrValue) {
		t.Errorf("mode 7: %v", err)
	}
	_, err := open[0].Position(instrument(t, "instruments-info-linear.json", "BTCUSDT"), 0)
	pt.FieldError(t, err, -1, "BTCUSD", "symbol", venue.ErrValue)
}

func TestDecodeRiskLimits(t *testing.T) {
	rs, err := bybit.DecodeRiskLimits(pt.Load(t, "testdata/risk-limit-inverse-captured.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 3 || rs[1].ID != 2 || rs[1].Symbol != "BTCUSD" || !rs[0].IsLowestRisk || rs[1].IsLowestRisk || rs[0].Category != "inverse" {
		t.Fatalf("%+v", rs)
	}
	pt.Eq(t, "riskLimitValue", &rs[1].RiskLimitValue, "300")
	pt.Eq(t, "maintenanceMargin", &rs[1].MaintenanceMargin, "0.01")
	pt.Eq(t, "initialMargin", &rs[1].InitialMargin, "0.015")
	pt.Eq(t, "maxLeverage", &rs[1].MaxLeverage, "66.67")
	pt.Eq(t, "mmDeduction", &rs[1].MMDeduction, "0.75")
	pt.Eq(t, "lowest mmDeduction", &rs[0].MMDeduction, "")

	for _, c := range []struct {
		file, symbol string
		floors, mmrs []string
		cums, levs   []string
		limit        string
	}{
		{"risk-limit-inverse-captured.json", "BTCUSD", []string{"0", "150"}, []string{"0.005", "0.01"}, []string{"0", "0.75"}, []string{"100", "66.67"}, "300"},
		{"risk-limit-inverse-captured.json", "BTCUSDZ26", []string{"0"}, []string{"0.005"}, []string{"0"}, []string{"100"}, "100"},
		{"risk-limit-linear-captured.json", "BTCUSDT", []string{"0", "300000"}, []string{"0.0033", "0.005"}, []string{"0", "510"}, []string{"150", "100"}, "2000000"},
	} {
		rs, err := bybit.DecodeRiskLimits(pt.Load(t, "testdata/"+c.file))
		if err != nil {
			t.Fatal(err)
		}
		tiers, err := bybit.Tiers(rs, c.symbol)
		if err != nil {
			t.Fatalf("%s: %v", c.symbol, err)
		}
		if tiers.Len() != len(c.floors) {
			t.Fatalf("%s: %d tiers", c.symbol, tiers.Len())
		}
		for i := range c.floors {
			k := tiers.At(i)
			pt.Same(t, c.symbol+" floor", &k.Floor, c.floors[i])
			pt.Same(t, c.symbol+" MMR", &k.MMR, c.mmrs[i])
			pt.Same(t, c.symbol+" cum", &k.Cum, c.cums[i])
			pt.Same(t, c.symbol+" max leverage", &k.MaxLeverage, c.levs[i])
		}
		pt.Same(t, c.symbol+" limit", tiers.Limit(), c.limit)
	}
}

func TestTiersErrors(t *testing.T) {
	// The documentation's example writes its rates in percent.
	rs, err := bybit.DecodeRiskLimits(pt.Load(t, "testdata/risk-limit.json"))
	if err != nil {
		t.Fatal(err)
	}
	pt.Eq(t, "doc maintenanceMargin", &rs[0].MaintenanceMargin, "0.5")
	_, err = bybit.Tiers(rs, "BTCUSD")
	pt.FieldError(t, err, 0, "BTCUSD", "initialMargin", venue.ErrValue)

	base := pt.Load(t, "testdata/risk-limit-linear-captured.json")
	for _, c := range []struct {
		name, path, value string
		row               int
		field             string
		want              error
	}{
		{"deduction off", "result.list.1.mmDeduction", `"511"`, 1, "mmDeduction", margin.ErrCum},
		{"deduction missing", "result.list.1.mmDeduction", `""`, 1, "mmDeduction", margin.ErrCum},
		{"limits not increasing", "result.list.1.riskLimitValue", `"300000"`, 1, "riskLimitValue", margin.ErrLimit},
		{"rate decreasing", "result.list.1.maintenanceMargin", `"0.003"`, 1, "maintenanceMargin", margin.ErrTierRate},
	} {
		t.Run(c.name, func(t *testing.T) {
			rs, err := bybit.DecodeRiskLimits(pt.Edit(t, base, c.path, c.value))
			if err != nil {
				t.Fatal(err)
			}
			_, err = bybit.Tiers(rs, "BTCUSDT")
			pt.FieldError(t, err, c.row, "BTCUSDT", c.field, c.want)
		})
	}
	_, err = bybit.Tiers(rs, "ETHUSDT")
	pt.FieldError(t, err, -1, "ETHUSDT", "symbol", venue.ErrMissing)
}

func TestDecodeWalletBalance(t *testing.T) {
	ws, err := bybit.DecodeWalletBalance(pt.Load(t, "testdata/wallet-balance.json"))
	if err != nil || len(ws) != 1 {
		t.Fatal(err)
	}
	w := &ws[0]
	if w.AccountType != "UNIFIED" || len(w.Coins) != 1 || w.Coins[0].Coin != "BTC" || !w.Coins[0].MarginCollateral || !w.Coins[0].CollateralSwitch {
		t.Fatalf("%+v", w)
	}
	pt.Eq(t, "totalEquity", &w.TotalEquity, "3.31216591")
	pt.Eq(t, "totalMarginBalance", &w.TotalMarginBalance, "3.00326056")
	pt.Eq(t, "accountMMRate", &w.AccountMMRate, "0")
	pt.Eq(t, "borrowAmount", &w.Coins[0].BorrowAmount, "0.0")
	ws, err = bybit.DecodeWalletBalance(pt.Load(t, "testdata/wallet-balance-contract.json"))
	if err != nil {
		t.Fatal(err)
	}
	w = &ws[0]
	if w.AccountType != "CONTRACT" || w.Coins[0].Coin != "USDT" {
		t.Fatalf("%+v", w)
	}
	// Every account-level field is "": unset, not 0.
	for _, d := range []*venue.Decimal{&w.TotalEquity, &w.TotalWalletBalance, &w.TotalMarginBalance, &w.AccountIMRate, &w.AccountMMRate, &w.Coins[0].UsdValue, &w.Coins[0].TotalPositionMM} {
		pt.Eq(t, "CONTRACT total", d, "")
	}
	pt.Eq(t, "walletBalance", &w.Coins[0].WalletBalance, "100.0954887")
	pt.Eq(t, "cumRealisedPnl", &w.Coins[0].CumRealisedPnl, "1.0954887")
}

func TestDecodeTickers(t *testing.T) {
	ts, err := bybit.DecodeTickers(pt.Load(t, "testdata/tickers.json"))
	if err != nil || len(ts) != 1 {
		t.Fatal(err)
	}
	k := &ts[0]
	if k.Symbol != "BTCUSD" || k.Category != "inverse" || k.FundingIntervalHour != 8 || !k.NextFundingTime.Equal(time.UnixMilli(1760371200000)) || !k.DeliveryTime.IsZero() {
		t.Fatalf("%+v", k)
	}
	pt.Eq(t, "markPrice", &k.MarkPrice, "114898.43")
	pt.Eq(t, "indexPrice", &k.IndexPrice, "114890.92")
	pt.Eq(t, "fundingRate", &k.FundingRate, "0.0001")
	pt.Eq(t, "fundingCap", &k.FundingCap, "0.005")
	pt.Eq(t, "openInterest", &k.OpenInterest, "240113967")
	pt.Eq(t, "openInterestValue", &k.OpenInterestValue, "2089.79")
	pt.Eq(t, "volume24h", &k.Volume24h, "13713832.0000")
	pt.Eq(t, "basis", &k.Basis, "")
	pt.Eq(t, "predictedDeliveryPrice", &k.PredictedDeliveryPrice, "")
}

// TestTiersFloorNamesRow: a tier's floor is the riskLimitValue of the row
// before it, so a floor out of order is that row's riskLimitValue, and the
// error names that row.
func TestTiersFloorNamesRow(t *testing.T) {
	data := []byte(`{"retCode":0,"retMsg":"OK","result":{"category":"linear","list":[
		{"id":1,"symbol":"BTCUSDT","riskLimitValue":"300000","maintenanceMargin":"0.0033","initialMargin":"0.0066","isLowestRisk":1,"maxLeverage":"150.00","mmDeduction":""},
		{"id":2,"symbol":"BTCUSDT","riskLimitValue":"200000","maintenanceMargin":"0.005","initialMargin":"0.01","isLowestRisk":0,"maxLeverage":"100.00","mmDeduction":"510"},
		{"id":3,"symbol":"BTCUSDT","riskLimitValue":"2000000","maintenanceMargin":"0.01","initialMargin":"0.02","isLowestRisk":0,"maxLeverage":"50.00","mmDeduction":"1510"}]},
		"retExtInfo":{},"time":1700000000000}`)
	rs, err := bybit.DecodeRiskLimits(data)
	if err != nil {
		t.Fatal(err)
	}
	_, err = bybit.Tiers(rs, "BTCUSDT")
	pt.FieldError(t, err, 1, "BTCUSDT", "riskLimitValue", margin.ErrTierFloor)
}

// TestPositionIsolatedNoMargin: an isolated position whose row has neither
// positionBalance nor positionIM has no margin to report: Position refuses
// it (positionBalance missing) rather than returning a margin of 0.
func TestPositionIsolatedNoMargin(t *testing.T) {
	const env = `{"retCode":0,"retMsg":"OK","result":{"category":"linear","list":[{"symbol":"BTCUSDT",
		"side":"Buy","size":"0.1","positionIdx":0,"avgPrice":"40000","markPrice":"41000","leverage":"10",
		"positionValue":"4000"%s}]},"time":1}`
	for _, c := range []struct {
		name, extra, margin string
		mode                venue.MarginMode
	}{
		{"neither", ``, "", venue.Isolated},
		{"tradeMode 1", `,"tradeMode":1`, "", 0},
		{"cross", ``, "0", venue.Cross},
		{"positionIM", `,"positionIM":"402.4"`, "402.4", venue.Isolated},
		{"positionBalance", `,"positionBalance":"402.4","positionIM":""`, "402.4", venue.Isolated},
	} {
		open, _, err := bybit.DecodePositions([]byte(fmt.Sprintf(env, c.extra)))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		p, err := open[0].Position(nil, c.mode)
		if c.margin == "" {
			pt.FieldError(t, err, -1, "BTCUSDT", "positionBalance", venue.ErrMissing)
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		pt.Same(t, c.name, &p.Margin, c.margin)
	}
}
