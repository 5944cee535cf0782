package bitmex_test

import (
	"errors"
	"testing"
	"time"

	"github.com/derivmath/derivmath"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/venue"
	"github.com/derivmath/derivmath/venue/bitmex"
	pt "github.com/derivmath/derivmath/venue/internal/payloadtest"
)

// same fails unless d equals want numerically.
func instruments(t *testing.T) []bitmex.Instrument {
	t.Helper()
	ins, err := bitmex.DecodeInstruments(pt.Load(t, "testdata/instrument.json"))
	if err != nil {
		t.Fatal(err)
	}
	return ins
}

func TestDecodeInstruments(t *testing.T) {
	ins := instruments(t)
	if len(ins) != 4 {
		t.Fatalf("%d instruments, want 4", len(ins))
	}
	// The values below are the payload's text.
	for _, c := range []struct {
		symbol, typ, settl                        string
		inverse, quanto                           bool
		mult, u2s, u2p, q2s, tick, lot, maxPrice  string
		im, mm, riskLimit, riskStep, maker, taker string
		funding, mark                             string
		interval                                  time.Duration
		expiry                                    time.Time
	}{
		{
			"XBTUSD", "FFWCSX", "XBt", true, false, "-100000000", "-100000000", "", "", "0.1", "100", "1000000",
			"0.01", "0.005", "20000000000", "15000000000", "0.0005", "0.0005", "0.00017", "98337.78", 8 * time.Hour,
			time.Time{},
		},
		{
			"ETHUSD", "FFWCSX", "XBt", false, true, "100", "", "", "1017", "0.01", "1", "1000000",
			"0.01", "0.005", "7500000000", "10000000000", "0.0005", "0.0005", "0.000545", "3860.43", 8 * time.Hour,
			time.Time{},
		},
		{
			"XBTUSDT", "FFWCSX", "USDt", false, false, "1", "", "1000000", "1000000", "0.1", "100", "1000000",
			"0.01", "0.005", "1000000000000", "1000000000000", "0.0005", "0.0005", "0.00024", "98350.84", 8 * time.Hour,
			time.Time{},
		},
		{
			"XBTZ24", "FFCCSX", "XBt", true, false, "-100000000", "-100000000", "", "", "0.5", "100", "1000000",
			"0.01", "0.005", "7500000000", "7500000000", "0.0005", "0.0005", "", "99259.21", 0, time.Date(2024, 12, 27, 12, 0, 0, 0, time.UTC),
		},
	} {
		var in *bitmex.Instrument
		for i := range ins {
			if ins[i].Symbol == c.symbol {
				in = &ins[i]
			}
		}
		if in == nil {
			t.Fatalf("%s missing", c.symbol)
		}
		if in.Typ != c.typ || in.SettlCurrency != c.settl || in.IsInverse != c.inverse || in.IsQuanto != c.quanto ||
			in.FundingInterval != c.interval || !in.Expiry.Equal(c.expiry) || in.State != "Open" {
			t.Errorf("%s: got %q %q inverse %v quanto %v interval %v expiry %v", c.symbol, in.Typ, in.SettlCurrency,
				in.IsInverse, in.IsQuanto, in.FundingInterval, in.Expiry)
		}
		for _, f := range []struct {
			name string
			d    *venue.Decimal
			want string
		}{
			{"multiplier", &in.Multiplier, c.mult},
			{"underlyingToSettleMultiplier", &in.UnderlyingToSettleMultiplier, c.u2s},
			{"underlyingToPositionMultiplier", &in.UnderlyingToPositionMultiplier, c.u2p},
			{"quoteToSettleMultiplier", &in.QuoteToSettleMultiplier, c.q2s},
			{"tickSize", &in.TickSize, c.tick},
			{"lotSize", &in.LotSize, c.lot},
			{"maxPrice", &in.MaxPrice, c.maxPrice},
			{"initMargin", &in.InitMargin, c.im},
			{"maintMargin", &in.MaintMargin, c.mm},
			{"riskLimit", &in.RiskLimit, c.riskLimit},
			{"riskStep", &in.RiskStep, c.riskStep},
			{"makerFee", &in.MakerFee, c.maker},
			{"takerFee", &in.TakerFee, c.taker},
			{"fundingRate", &in.FundingRate, c.funding},
			{"markPrice", &in.MarkPrice, c.mark},
		} {
			pt.Eq(t, c.symbol+" "+f.name, f.d, f.want)
		}
	}
	// JSON floats are read as written, not through float64.
	if got := ins[0].TickSize.Decimal.String(); got != "0.1" {
		t.Errorf("tickSize spelled %s", got)
	}
}

func TestInstrumentSpec(t *testing.T) {
	ins := instruments(t)
	for i, c := range []struct {
		kind                           contract.Kind
		settle, mult, tick, lot, minor string
		base, step                     string
	}{
		{contract.Inverse, "XBT", "1", "0.1", "100", "0.00000001", "200", "150"},
		{contract.Quanto, "XBT", "0.000001", "0.01", "1", "0.00000001", "75", "100"},
		{contract.Linear, "USDT", "0.000001", "0.1", "100", "0.000001", "1000000", "1000000"},
		{contract.Inverse, "XBT", "1", "0.5", "100", "0.00000001", "75", "75"},
	} {
		in := &ins[i]
		s, err := in.Spec()
		if err != nil {
			t.Fatalf("%s: %v", in.Symbol, err)
		}
		if s.Symbol != in.Symbol || s.Kind != c.kind || s.Settle != c.settle {
			t.Errorf("%s: got %s %v %s", in.Symbol, s.Symbol, s.Kind, s.Settle)
		}
		pt.Same(t, in.Symbol+" multiplier", &s.Multiplier, c.mult)
		pt.Same(t, in.Symbol+" tick", &s.Tick, c.tick)
		pt.Same(t, in.Symbol+" lot", &s.Lot, c.lot)
		pt.Same(t, in.Symbol+" minor", &s.Minor, c.minor)
		pt.Same(t, in.Symbol+" maker", &s.Maker, "0.0005")
		pt.Same(t, in.Symbol+" taker", &s.Taker, "0.0005")
		st, err := in.Steps()
		if err != nil {
			t.Fatalf("%s steps: %v", in.Symbol, err)
		}
		pt.Same(t, in.Symbol+" base risk limit", &st.BaseRiskLimit, c.base)
		pt.Same(t, in.Symbol+" step", &st.Step, c.step)
		pt.Same(t, in.Symbol+" base MM", &st.BaseMM, "0.005")
		pt.Same(t, in.Symbol+" base IM", &st.BaseIM, "0.01")
	}
	// XBTUSD's spec values one contract at 1 USD: 15,000 contracts at 750
	// are worth 20 XBT (BitMEX perpetual contracts guide).
	s, _ := ins[0].Spec()
	ctx := derivmath.NewContext()
	var v apd.Decimal
	if err := s.Value(ctx, &v, pt.D("15000"), pt.D("750")); err != nil {
		t.Fatal(err)
	}
	pt.Same(t, "value", &v, "20")
	// BitMEX's published step table: 350 XBT needs 1.0% (one step).
	st, _ := ins[0].Steps()
	var mmr apd.Decimal
	if err := st.MMR(ctx, &mmr, pt.D("350")); err != nil {
		t.Fatal(err)
	}
	pt.Same(t, "MMR at 350 XBT", &mmr, "0.01")
}

func TestInstrumentSpecErrors(t *testing.T) {
	base := pt.Load(t, "testdata/instrument.json")
	for _, c := range []struct {
		name, path, value string
		row               int
		symbol, field     string
		want              error
	}{
		{"inverse multiplier positive", "0.multiplier", "100000000", 0, "XBTUSD", "multiplier", venue.ErrValue},
		{"linear multiplier negative", "2.multiplier", "-1", 2, "XBTUSDT", "multiplier", venue.ErrValue},
		{"inverse and quanto", "1.isInverse", "true", 1, "ETHUSD", "isQuanto", venue.ErrValue},
		{"settle multiplier not a power of ten", "0.underlyingToSettleMultiplier", "-99999999", 0, "XBTUSD", "underlyingToSettleMultiplier", venue.ErrValue},
		{"settle multiplier contradicts XBt", "0.underlyingToSettleMultiplier", "-1000000", 0, "XBTUSD", "underlyingToSettleMultiplier", venue.ErrValue},
		{"settle multiplier positive", "0.underlyingToSettleMultiplier", "100000000", 0, "XBTUSD", "underlyingToSettleMultiplier", venue.ErrValue},
		{"settle multiplier 2 powers of ten", "0.underlyingToSettleMultiplier", "-200000000", 0, "XBTUSD", "underlyingToSettleMultiplier", venue.ErrValue},
		{"quanto in an unknown currency", "1.settlCurrency", `"Gwei"`, 1, "ETHUSD", "settlCurrency", bitmex.ErrCurrency},
		{"quanto without currency", "1.settlCurrency", "null", 1, "ETHUSD", "settlCurrency", venue.ErrMissing},
		{"no taker fee", "3.takerFee", pt.Delete, 3, "XBTZ24", "takerFee", venue.ErrMissing},
	} {
		t.Run(c.name, func(t *testing.T) {
			ins, err := bitmex.DecodeInstruments(pt.Edit(t, base, c.path, c.value))
			if err != nil {
				t.Fatal(err)
			}
			_, err = ins[c.row].Spec()
			pt.FieldError(t, err, c.row, c.symbol, c.field, c.want)
		})
	}
	// A linear contract in a currency this package does not know converts
	// through its quoteToSettleMultiplier.
	ins, err := bitmex.DecodeInstruments(pt.Edit(t, base, "2.settlCurrency", `"MAMUSd"`))
	if err != nil {
		t.Fatal(err)
	}
	s, err := ins[2].Spec()
	if err != nil {
		t.Fatal(err)
	}
	pt.Same(t, "minor", &s.Minor, "0.000001")
	// Steps needs the risk fields.
	ins, _ = bitmex.DecodeInstruments(pt.Edit(t, base, "0.riskStep", "null"))
	_, err = ins[0].Steps()
	pt.FieldError(t, err, 0, "XBTUSD", "riskStep", venue.ErrMissing)
	ins, _ = bitmex.DecodeInstruments(pt.Edit(t, base, "0.maintMargin", "0"))
	if _, err = ins[0].Steps(); !errors.Is(err, derivmath.ErrRate) {
		t.Errorf("zero maintenance rate: got %v", err)
	}
}

func TestDecodePositions(t *testing.T) {
	open, flat, err := bitmex.DecodePositions(pt.Load(t, "testdata/position.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(open) != 4 || len(flat) != 0 {
		t.Fatalf("%d open, %d flat; want 4 and 0", len(open), len(flat))
	}
	for i, c := range []struct {
		symbol, currency                                 string
		cross                                            bool
		qty, entry, mark, lev, cost, init, comm, cross2  string
		loss, margin, maint, equity, upnl, liq, bankrupt string
	}{
		{
			"XBTUSD", "XBt", false, "-2000", "10713.5", "10567.6", "5", "18668000", "3733600", "16855", "71429",
			"0", "3821884", "110195", "4079884", "258000", "13370.5", "13455",
		},
		{
			"ETHUSDT", "USDt", false, "2000", "1963", "1964.195", "3", "39260000", "13086667", "39261", "0",
			"0", "13125928", "435787", "13149828", "23900", "1328.5", "1308.7",
		},
		{
			"XBTUSD", "XBt", true, "1", "10395", "10601.11", "100", "-9620", "97", "8", "2",
			"2", "105", "57", "292", "187", "99.5", "99.5",
		},
		{
			"XBTUSD", "XBt", true, "1", "6377", "6382.17", "100", "-15681", "157", "12", "0",
			"0", "169", "91", "181", "12", "9", "9",
		},
	} {
		p := &open[i]
		if p.Symbol != c.symbol || p.Currency != c.currency || p.CrossMargin != c.cross || !p.IsOpen {
			t.Errorf("row %d: got %s %s cross %v open %v", i, p.Symbol, p.Currency, p.CrossMargin, p.IsOpen)
		}
		for _, f := range []struct {
			name string
			d    *venue.Decimal
			want string
		}{
			{"currentQty", &p.CurrentQty, c.qty},
			{"avgEntryPrice", &p.AvgEntryPrice, c.entry},
			{"markPrice", &p.MarkPrice, c.mark},
			{"leverage", &p.Leverage, c.lev},
			{"posCost", &p.PosCost, c.cost},
			{"posInit", &p.PosInit, c.init},
			{"posComm", &p.PosComm, c.comm},
			{"posCross", &p.PosCross, c.cross2},
			{"posLoss", &p.PosLoss, c.loss},
			{"posMargin", &p.PosMargin, c.margin},
			{"posMaint", &p.PosMaint, c.maint},
			{"maintMargin", &p.MaintMargin, c.equity},
			{"unrealisedPnl", &p.UnrealisedPnl, c.upnl},
			{"liquidationPrice", &p.LiquidationPrice, c.liq},
			{"bankruptPrice", &p.BankruptPrice, c.bankrupt},
		} {
			pt.Eq(t, c.symbol+" "+f.name, f.d, f.want)
		}
	}
	// homeNotional 9.433e-5 reads exactly.
	pt.Eq(t, "homeNotional", &open[2].HomeNotional, "0.00009433")
}

// TestPositionIdentities checks the decoded integers against the identities
// BitMEX keeps on every sample row, computed exactly: a check of the
// decoding, not of the library.
func TestPositionIdentities(t *testing.T) {
	open, _, err := bitmex.DecodePositions(pt.Load(t, "testdata/position.json"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := apd.BaseContext.WithPrecision(50)
	for i := range open {
		p := &open[i]
		var cost, z, w apd.Decimal
		cost.Abs(&p.PosCost.Decimal)
		// posInit = ceil(|posCost| * initMarginReq)
		_, _ = ctx.Mul(&z, &cost, &p.InitMarginReq.Decimal)
		_, _ = ctx.Ceil(&z, &z)
		if z.Cmp(&p.PosInit.Decimal) != 0 {
			t.Errorf("row %d: ceil(|posCost|*initMarginReq) = %s, posInit %s", i, z.String(), p.PosInit.String())
		}
		// posMargin = posInit + posComm + posCross - posLoss
		_, _ = ctx.Add(&z, &p.PosInit.Decimal, &p.PosComm.Decimal)
		_, _ = ctx.Add(&z, &z, &p.PosCross.Decimal)
		_, _ = ctx.Sub(&z, &z, &p.PosLoss.Decimal)
		if z.Cmp(&p.PosMargin.Decimal) != 0 {
			t.Errorf("row %d: posMargin %s, parts sum to %s", i, p.PosMargin.String(), z.String())
		}
		// maintMargin = posMargin + unrealisedPnl
		_, _ = ctx.Add(&w, &p.PosMargin.Decimal, &p.UnrealisedPnl.Decimal)
		if w.Cmp(&p.MaintMargin.Decimal) != 0 {
			t.Errorf("row %d: maintMargin %s, posMargin + uPnL %s", i, p.MaintMargin.String(), w.String())
		}
		// unrealisedPnl = markValue - unrealisedCost
		_, _ = ctx.Sub(&w, &p.MarkValue.Decimal, &p.UnrealisedCost.Decimal)
		if w.Cmp(&p.UnrealisedPnl.Decimal) != 0 {
			t.Errorf("row %d: unrealisedPnl %s, markValue - unrealisedCost %s", i, p.UnrealisedPnl.String(), w.String())
		}
	}
}

func TestPositionConvert(t *testing.T) {
	ins := instruments(t)
	open, _, err := bitmex.DecodePositions(pt.Load(t, "testdata/position.json"))
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range []struct {
		in                                 *bitmex.Instrument
		mode                               venue.MarginMode
		qty, entry, mark, lev, margin, liq string
		bankrupt                           string
	}{
		{&ins[0], venue.Isolated, "-2000", "10713.5", "10567.6", "5", "0.03821884", "13370.5", "13455"},
		{nil, venue.Isolated, "2000", "1963", "1964.195", "3", "13.125928", "1328.5", "1308.7"},
		{&ins[0], venue.Cross, "1", "10395", "10601.11", "100", "0", "99.5", "99.5"},
		{nil, venue.Cross, "1", "6377", "6382.17", "100", "0", "9", "9"},
	} {
		p, err := open[i].Position(c.in)
		if err != nil {
			t.Fatalf("row %d: %v", i, err)
		}
		if p.Symbol != open[i].Symbol || p.Mode != c.mode || p.Side != venue.OneWay {
			t.Errorf("row %d: got %s %v %v", i, p.Symbol, p.Mode, p.Side)
		}
		pt.Same(t, "qty", &p.Qty, c.qty)
		pt.Same(t, "entry", &p.Entry, c.entry)
		pt.Same(t, "mark", &p.Mark, c.mark)
		pt.Same(t, "leverage", &p.Leverage, c.lev)
		pt.Same(t, "margin", &p.Margin, c.margin)
		pt.Eq(t, "liquidation", &p.Liquidation, c.liq)
		pt.Eq(t, "bankruptcy", &p.Bankruptcy, c.bankrupt)
	}
	// Another instrument's terms are refused.
	_, err = open[1].Position(&ins[0])
	pt.FieldError(t, err, 1, "ETHUSDT", "symbol", venue.ErrValue)
}

// closed is a closed XBTUSD position as BitMEX reports it: currentQty 0,
// null prices.
const closed = `{"account":1,"symbol":"XBTUSD","currency":"XBt","currentQty":0,"avgEntryPrice":null,
"markPrice":null,"liquidationPrice":null,"bankruptPrice":null,"posCost":0,"posMargin":0,"crossMargin":false,
"isOpen":false,"leverage":100}`

func TestClosedAndSentinel(t *testing.T) {
	data := []byte(`[` + closed + `,` + string(pt.Edit(t, pt.Edit(t, pt.Load(t, "testdata/position.json"),
		"0.liquidationPrice", "100000000"), "0.bankruptPrice", "100000000"))[1:])
	open, flat, err := bitmex.DecodePositions(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(open) != 4 || len(flat) != 1 || flat[0] != (venue.Row{Index: 0, Key: "XBTUSD"}) {
		t.Fatalf("open %d, flat %v", len(open), flat)
	}
	p, err := open[0].Position(nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.Liquidation.Valid || p.Bankruptcy.Valid {
		t.Errorf("sentinel kept: %s %s", p.Liquidation.String(), p.Bankruptcy.String())
	}
	// At or above the instrument's maxPrice is none too; 0 is none.
	ins := instruments(t)
	open[0].LiquidationPrice.SetInt64(1000000)
	open[0].BankruptPrice.SetInt64(0)
	open[0].LiquidationPrice.Valid, open[0].BankruptPrice.Valid = true, true
	p, _ = open[0].Position(&ins[0])
	if p.Liquidation.Valid || p.Bankruptcy.Valid {
		t.Errorf("maxPrice or 0 kept: %s %s", p.Liquidation.String(), p.Bankruptcy.String())
	}
	// A maxPrice of 0 bounds nothing: the price is kept.
	open[0].LiquidationPrice.SetInt64(13370)
	ins[0].MaxPrice.SetInt64(0)
	if p, _ = open[0].Position(&ins[0]); !p.Liquidation.Valid {
		t.Error("a maxPrice of 0 made the liquidation price none")
	}
	// A currency code that Unit does not know converts through the
	// instrument that settles in it, and only through it.
	ins[0].MaxPrice.SetInt64(1000000)
	ins[0].SettlCurrency, open[0].Currency = "XBt2", "XBt2"
	if p, err = open[0].Position(&ins[0]); err != nil {
		t.Errorf("XBt2 through its instrument: %v", err)
	} else {
		pt.Same(t, "XBt2 margin", &p.Margin, "0.03821884")
	}
	_, err = open[0].Position(nil)
	pt.FieldError(t, err, 1, "XBTUSD", "currency", bitmex.ErrCurrency)
	// A single object decodes too.
	open, flat, err = bitmex.DecodePositions([]byte(closed))
	if err != nil || len(open) != 0 || len(flat) != 1 {
		t.Errorf("single closed object: %d %v %v", len(open), flat, err)
	}
}

func TestDecodeMargins(t *testing.T) {
	for _, c := range []struct {
		file                                      string
		n                                         int
		currency                                  string
		amount, realised, wallet, upnl, marginBal string
		initM, maintM, avail                      string
		major                                     string
	}{
		{"margin.json", 2, "XBt", "1419341", "-378", "1418963", "0", "1418963", "0", "0", "1418963", "0.01418963"},
		{"margin-with-position.json", 1, "XBt", "11193830", "-10", "11193820", "12", "11193832", "0", "181", "11193651", "0.1119382"},
		{"margin-2024.json", 1, "XBt", "202", "0", "202", "0", "202", "0", "0", "202", "0.00000202"},
	} {
		ms, err := bitmex.DecodeMargins(pt.Load(t, "testdata/"+c.file))
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		if len(ms) != c.n || ms[0].Currency != c.currency {
			t.Fatalf("%s: %d rows, currency %s", c.file, len(ms), ms[0].Currency)
		}
		m := &ms[0]
		pt.Eq(t, "amount", &m.Amount, c.amount)
		pt.Eq(t, "realisedPnl", &m.RealisedPnl, c.realised)
		pt.Eq(t, "walletBalance", &m.WalletBalance, c.wallet)
		pt.Eq(t, "unrealisedPnl", &m.UnrealisedPnl, c.upnl)
		pt.Eq(t, "marginBalance", &m.MarginBalance, c.marginBal)
		pt.Eq(t, "initMargin", &m.InitMargin, c.initM)
		pt.Eq(t, "maintMargin", &m.MaintMargin, c.maintM)
		pt.Eq(t, "availableMargin", &m.AvailableMargin, c.avail)
		// walletBalance = amount + realisedPnl; marginBalance = walletBalance + unrealisedPnl;
		// availableMargin = marginBalance - initMargin - maintMargin.
		ctx := apd.BaseContext.WithPrecision(50)
		var z apd.Decimal
		_, _ = ctx.Add(&z, &m.Amount.Decimal, &m.RealisedPnl.Decimal)
		if z.Cmp(&m.WalletBalance.Decimal) != 0 {
			t.Errorf("%s: amount + realisedPnl = %s", c.file, z.String())
		}
		_, _ = ctx.Add(&z, &m.WalletBalance.Decimal, &m.UnrealisedPnl.Decimal)
		if z.Cmp(&m.MarginBalance.Decimal) != 0 {
			t.Errorf("%s: walletBalance + unrealisedPnl = %s", c.file, z.String())
		}
		_, _ = ctx.Sub(&z, &m.MarginBalance.Decimal, &m.InitMargin.Decimal)
		_, _ = ctx.Sub(&z, &z, &m.MaintMargin.Decimal)
		if z.Cmp(&m.AvailableMargin.Decimal) != 0 {
			t.Errorf("%s: marginBalance - initMargin - maintMargin = %s", c.file, z.String())
		}
		var w apd.Decimal
		name, err := m.Wallet(&w)
		if err != nil || name != "XBT" {
			t.Fatalf("%s: wallet %s %v", c.file, name, err)
		}
		pt.Same(t, c.file+" wallet", &w, c.major)
	}
	ms, _ := bitmex.DecodeMargins(pt.Load(t, "testdata/margin.json"))
	var w apd.Decimal
	if name, err := ms[1].Wallet(&w); err != nil || name != "USDT" {
		t.Fatalf("USDt wallet: %s %v", name, err)
	}
	pt.Same(t, "USDt wallet", &w, "99999.981385")
	pt.Eq(t, "2024 foreignMarginBalance", &ms[0].ForeignMarginBalance, "")
	// Account maintMargin is the sum of the positions' maintMargin (181 on
	// account 423359, position.json row 3).
	open, _, _ := bitmex.DecodePositions(pt.Load(t, "testdata/position.json"))
	mp, _ := bitmex.DecodeMargins(pt.Load(t, "testdata/margin-with-position.json"))
	if open[3].MaintMargin.Cmp(&mp[0].MaintMargin.Decimal) != 0 {
		t.Errorf("position maintMargin %s, account %s", open[3].MaintMargin.String(), mp[0].MaintMargin.String())
	}
}

func TestUnit(t *testing.T) {
	for _, c := range []struct{ code, name, minor string }{{"XBt", "XBT", "0.00000001"}, {"USDt", "USDT", "0.000001"}} {
		name, minor, err := bitmex.Unit(c.code)
		if err != nil || name != c.name || minor.Cmp(pt.D(c.minor)) != 0 {
			t.Errorf("%s: %s %v %v", c.code, name, minor, err)
		}
	}
	for _, code := range []string{"XBT", "xbt", "", "Gwei"} {
		if _, _, err := bitmex.Unit(code); !errors.Is(err, bitmex.ErrCurrency) {
			t.Errorf("%q: %v", code, err)
		}
	}
	var z apd.Decimal
	z.SetInt64(-9620)
	if err := bitmex.Major(&z, &z, "XBt"); err != nil {
		t.Fatal(err)
	}
	pt.Same(t, "aliased Major", &z, "-0.0000962")
	if err := bitmex.Major(&z, &z, "XBT"); !errors.Is(err, bitmex.ErrCurrency) {
		t.Errorf("XBT: %v", err)
	}
}
