package binance_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/venue"
	"github.com/derivmath/derivmath/venue/binance"
	pt "github.com/derivmath/derivmath/venue/internal/payloadtest"
)

// TestAssemblePayloads assembles the open rows of the sample positionRisk
// payloads, logs every comparison and asserts agreement where the payload
// is self-consistent. Disagreements and their causes:
//
//   - usdm/positionRisk.json row 1, AAPLUSDT isolated long: the
//     liquidation price agrees to its 8 decimals (with the fitted 2.5%
//     rate, see testdata/README.md), and so do unRealizedProfit and
//     notional.
//   - usdm/positionRisk.json row 2, BTCUSDT hedge SHORT, cross: its wallet
//     and other positions are not in the payloads: the liquidation price
//     (48303.07832462) cannot be checked; unRealizedProfit and notional
//     agree.
//   - usdm/positionRisk-v3.json, ADAUSDT LONG and COMPUSDT SHORT, cross
//     (hedge mode, 20x from the options): a documentation example without
//     the account: the liquidation prices cannot be checked;
//     maintMargin, positionInitialMargin, unRealizedProfit and notional
//     agree. Row 0 (ADAUSDT BOTH) is the one-way example: alone, likewise.
//   - coinm/positionRisk.json, BTCUSD_201225 LONG, cross: documentation
//     values without the account; unRealizedProfit agrees.
func TestAssemblePayloads(t *testing.T) {
	ctx := derivmath.NewContext()
	syms := pt.Load(t, "testdata/assemble/symbols.json")
	brackets := pt.Load(t, "testdata/assemble/leverageBracket.json")
	v2 := pt.Load(t, "testdata/usdm/positionRisk.json")
	v3 := pt.Load(t, "testdata/usdm/positionRisk-v3.json")
	lev := map[string]*apd.Decimal{"ADAUSDT": pt.D("20"), "COMPUSDT": pt.D("20")}
	coinSym := pt.Edit(t, pt.Load(t, "testdata/coinm/exchangeInfo-symbol.json"), "symbol", `"BTCUSD_201225"`)
	coinBr := pt.Edit(t, pt.Load(t, "testdata/coinm/leverageBracket.json"), "0.symbol", `"BTCUSD_201225"`)
	// COIN-M's v1 leverageBracket keys the same brackets by pair.
	v2Br := pt.Load(t, "testdata/coinm/leverageBracket.json")
	coinBrV1 := bytes.Replace(v2Br, []byte(`"symbol": "BTCUSD_PERP"`), []byte(`"pair": "BTCUSD"`), 1)
	if bytes.Equal(coinBrV1, v2Br) {
		t.Fatal("no symbol to replace in the COIN-M brackets")
	}
	unchecked := map[string]bool{"liquidationPrice": true}
	for _, c := range []struct {
		name            string
		syms, brackets  []byte
		positions       []byte
		skip            map[string]bool
		leverage        map[string]*apd.Decimal
		wantComparisons int
	}{
		{"AAPLUSDT isolated", syms, brackets, pt.Rows(t, v2, 1), nil, nil, 3},
		{"BTCUSDT SHORT cross", syms, brackets, pt.Rows(t, v2, 2), unchecked, nil, 3},
		{"v3 hedge", syms, brackets, pt.Rows(t, v3, 1, 2), unchecked, lev, 10},
		{"v3 one-way", syms, brackets, pt.Rows(t, v3, 0), unchecked, lev, 5},
		// Without a leverage derivmath's initial margin is 0: no
		// positionInitialMargin comparison.
		{"v3 one-way, no leverage", syms, brackets, pt.Rows(t, v3, 0), unchecked, nil, 4},
		{"COIN-M LONG", coinSym, coinBr, pt.Load(t, "testdata/coinm/positionRisk.json"), unchecked, nil, 2},
		{"COIN-M LONG, v1 brackets by pair", coinSym, coinBrV1, pt.Load(t, "testdata/coinm/positionRisk.json"), unchecked, nil, 2},
	} {
		_, cs, err := binance.Assemble(ctx, &binance.Payloads{Symbols: c.syms, Positions: c.positions, Brackets: c.brackets}, &binance.Options{Leverage: c.leverage})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if len(cs) != c.wantComparisons {
			t.Errorf("%s: %d comparisons, want %d", c.name, len(cs), c.wantComparisons)
		}
		for i := range cs {
			t.Logf("%s: %s", c.name, cs[i].String())
			if !cs[i].Agree && !c.skip[cs[i].Field] {
				t.Errorf("%s: %s", c.name, cs[i].String())
			}
		}
	}
}

// botPayloads returns the bot case's payloads.
func botPayloads(t *testing.T) *binance.Payloads {
	return &binance.Payloads{
		Symbols:   pt.Load(t, "testdata/bot/exchangeInfo.json"),
		Positions: pt.Load(t, "testdata/bot/positionRisk.json"),
		Brackets:  pt.Load(t, "testdata/bot/leverageBracket.json"),
		Account:   pt.Load(t, "testdata/bot/account.json"),
	}
}

// TestBotHand checks the bot case against a hand calculation at 50 digits
// with Binance's cross formula, written out here apart from the library:
//
//	LP = (WB - TMM1 + UPNL1 + cum - s*N*EP) / (N*MMR - s*N)
//
// TMM1 and UPNL1 the other positions' maintenance and uPnL at their marks,
// MMR and cum from the bracket of the notional N*LP.
func TestBotHand(t *testing.T) {
	ctx := derivmath.NewContext()
	a, cs, err := binance.Assemble(ctx, botPayloads(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range cs {
		t.Log(cs[i].String())
		if !cs[i].Agree {
			t.Errorf("%s", cs[i].String())
		}
	}
	hc := apd.BaseContext.WithPrecision(50)
	op := func(f func(z, x, y *apd.Decimal) (apd.Condition, error), x, y *apd.Decimal) *apd.Decimal {
		z := new(apd.Decimal)
		if _, err := f(z, x, y); err != nil {
			t.Fatal(err)
		}
		return z
	}
	add := func(x, y *apd.Decimal) *apd.Decimal { return op(hc.Add, x, y) }
	sub := func(x, y *apd.Decimal) *apd.Decimal { return op(hc.Sub, x, y) }
	mul := func(x, y *apd.Decimal) *apd.Decimal { return op(hc.Mul, x, y) }
	quo := func(x, y *apd.Decimal) *apd.Decimal { return op(hc.Quo, x, y) }
	type pos struct {
		qty, entry, mark, mmr, cum string
	}
	// The brackets of each notional at the mark: BTCUSDT 30500 in the first
	// (0.4%), ETHUSDT 12400 in the second (0.65%, cum 15), DOGEUSDT 1400 in
	// the first (1%). The liquidation notionals stay in the same brackets
	// (BTCUSDT 0.5*55380.72 = 27690, ETHUSDT 4*3795.08 = 15180).
	ps := []pos{
		{"0.5", "60000", "61000", "0.004", "0"},
		{"-4", "3000", "3100", "0.0065", "15"},
		{"10000", "0.15", "0.14", "0.01", "0"},
	}
	wb := pt.D("3000")
	mm := func(p pos) *apd.Decimal {
		n := mul(pt.D(p.qty), pt.D(p.mark))
		n.Abs(n)
		return sub(mul(n, pt.D(p.mmr)), pt.D(p.cum))
	}
	upnl := func(p pos) *apd.Decimal { return mul(pt.D(p.qty), sub(pt.D(p.mark), pt.D(p.entry))) }
	for k, p := range ps {
		tmm, up := new(apd.Decimal), new(apd.Decimal)
		for j, o := range ps {
			if j != k {
				tmm, up = add(tmm, mm(o)), add(up, upnl(o))
			}
		}
		q := pt.D(p.qty)
		n := new(apd.Decimal).Abs(q)
		s := apd.New(1, 0)
		if q.Negative {
			s = apd.New(-1, 0)
		}
		num := sub(add(add(sub(wb, tmm), up), pt.D(p.cum)), mul(mul(s, n), pt.D(p.entry)))
		lp := quo(num, sub(mul(n, pt.D(p.mmr)), mul(s, n)))
		var r account.Report
		if err := a.Report(&r, k, liquidation.Exact); err != nil {
			t.Fatal(err)
		}
		if lp.Sign() <= 0 {
			if r.LiquidationStatus != liquidation.Never {
				t.Errorf("%d: hand %s (none), derivmath %v %s", k, lp.String(), r.LiquidationStatus, r.Liquidation.String())
			}
			continue
		}
		// derivmath computes at 19 digits: agree to 19 significant digits.
		var want apd.Decimal
		if _, err := derivmath.NewContext().Round(&want, lp); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: hand %s, derivmath %s", a.Position(k).Spec.Symbol, lp.String(), r.Liquidation.String())
		if r.LiquidationStatus != liquidation.Found || r.Liquidation.Cmp(&want) != 0 {
			t.Errorf("%d: derivmath %v %s, hand %s", k, r.LiquidationStatus, r.Liquidation.String(), want.String())
		}
	}
}

func TestAssembleErrors(t *testing.T) {
	ctx := derivmath.NewContext()
	p := botPayloads(t)
	p.Brackets = pt.Load(t, "testdata/usdm/leverageBracket.json") // ETHUSDT only
	_, _, err := binance.Assemble(ctx, p, nil)
	var fe *venue.FieldError
	if !errors.As(err, &fe) || fe.Row.Key != "BTCUSDT" || fe.Field != "brackets" || !errors.Is(err, venue.ErrMissing) {
		t.Errorf("missing brackets: %v", err)
	}
	// A second open row on one symbol and side names positionSide.
	var rs []json.RawMessage
	if err := json.Unmarshal(botPayloads(t).Positions, &rs); err != nil {
		t.Fatal(err)
	}
	open, _, err := binance.DecodePositionRisk(botPayloads(t).Positions)
	if err != nil || len(open) == 0 {
		t.Fatalf("bot positions: %d open, %v", len(open), err)
	}
	for _, r := range rs {
		var row struct{ Symbol, PositionAmt string }
		if err := json.Unmarshal(r, &row); err != nil || row.Symbol != open[0].Symbol || row.PositionAmt != open[0].PositionAmt.Decimal.String() {
			continue
		}
		d := botPayloads(t)
		d.Positions = []byte("[" + string(r) + "," + string(r) + "]")
		_, _, err := binance.Assemble(ctx, d, nil)
		pt.FieldError(t, err, -1, row.Symbol, "positionSide", venue.ErrValue)
	}
	// One-way and hedge rows of one symbol cannot be one account.
	v3 := pt.Load(t, "testdata/usdm/positionRisk-v3.json")
	_, _, err = binance.Assemble(ctx, &binance.Payloads{Symbols: pt.Load(t, "testdata/assemble/symbols.json"), Positions: v3, Brackets: pt.Load(t, "testdata/assemble/leverageBracket.json")}, nil)
	if !errors.Is(err, account.ErrSide) {
		t.Errorf("BOTH beside LONG: %v, want account.ErrSide", err)
	}
	// The account's refusal is a *venue.FieldError like the others: it
	// names the symbol and positionAmt, and matches venue.ErrValue (its
	// Err was account.ErrSide alone, none of the venue sentinels).
	pt.FieldError(t, err, -1, "ADAUSDT", "positionAmt", venue.ErrValue)
	// A v3 row in another asset than its symbol's margin asset: its
	// amounts would be read as USDT.
	_, _, err = binance.Assemble(ctx, &binance.Payloads{
		Symbols:   pt.Load(t, "testdata/assemble/symbols.json"),
		Positions: pt.Edit(t, pt.Rows(t, v3, 1), "0.marginAsset", `"BUSD"`),
		Brackets:  pt.Load(t, "testdata/assemble/leverageBracket.json"),
	}, nil)
	pt.FieldError(t, err, -1, "ADAUSDT", "marginAsset", venue.ErrValue)
}

// TestAssembleV3Isolated: a positionRisk v3 row does not say its margin
// type; when the options make it isolated, its margin is the row's
// isolatedWallet, as for a v2 row, not 0.
func TestAssembleV3Isolated(t *testing.T) {
	ctx := derivmath.NewContext()
	v3 := pt.Load(t, "testdata/usdm/positionRisk-v3.json")
	pos := pt.Rows(t, v3, 2) // COMPUSDT SHORT -1 at 70.92841, mark 49.72023376
	pos = pt.Edit(t, pos, "0.isolatedWallet", `"5"`)
	pos = pt.Edit(t, pos, "0.isolatedMargin", `"26.20817624"`) // isolatedWallet + unRealizedProfit
	opt := &binance.Options{
		Mode:     map[string]account.Mode{"COMPUSDT": account.Isolated},
		Leverage: map[string]*apd.Decimal{"COMPUSDT": pt.D("20")},
	}
	for _, c := range []struct {
		name string
		pos  []byte
	}{
		{"isolatedWallet", pos},
		{"isolatedMargin - unRealizedProfit", pt.Edit(t, pos, "0.isolatedWallet", pt.Delete)},
	} {
		a, _, err := binance.Assemble(ctx, &binance.Payloads{Symbols: pt.Load(t, "testdata/assemble/symbols.json"), Positions: c.pos, Brackets: pt.Load(t, "testdata/assemble/leverageBracket.json")}, opt)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		p := a.Position(0)
		if p.Mode != account.Isolated {
			t.Fatalf("%s: mode %v, want Isolated", c.name, p.Mode)
		}
		pt.Same(t, c.name+": margin", &p.Margin, "5")
	}
}

// TestAssembleNilContext: a nil context is derivmath.ErrContext.
func TestAssembleNilContext(t *testing.T) {
	if _, _, err := binance.Assemble(nil, botPayloads(t), nil); !errors.Is(err, derivmath.ErrContext) {
		t.Fatalf("Assemble(nil context): %v, want ErrContext", err)
	}
}

// TestAssembleChoices: the row's leverage wins over the options' (which
// are for rows without one); among several brackets keyed by a COIN-M
// pair the last wins; an asset without availableBalance gets no
// comparison of it.
func TestAssembleChoices(t *testing.T) {
	ctx := derivmath.NewContext()
	a, _, err := binance.Assemble(ctx, &binance.Payloads{
		Symbols:   pt.Load(t, "testdata/assemble/symbols.json"),
		Positions: pt.Rows(t, pt.Load(t, "testdata/usdm/positionRisk.json"), 1), // AAPLUSDT, leverage 20
		Brackets:  pt.Load(t, "testdata/assemble/leverageBracket.json"),
	}, &binance.Options{Leverage: map[string]*apd.Decimal{"AAPLUSDT": pt.D("5")}})
	if err != nil {
		t.Fatal(err)
	}
	pt.Same(t, "leverage", &a.Position(0).Leverage, "20")

	// Two pair-keyed elements: the first has a cum that breaks the
	// recurrence, so only the last one assembles.
	v1 := bytes.Replace(pt.Load(t, "testdata/coinm/leverageBracket.json"), []byte(`"symbol": "BTCUSD_PERP"`), []byte(`"pair": "BTCUSD"`), 1)
	good := pt.Rows(t, v1, 0)
	bad := pt.Edit(t, good, "0.brackets.0.cum", "1")
	two := append(append(bad[:len(bad)-1:len(bad)-1], ','), good[1:]...)
	coinSym := pt.Edit(t, pt.Load(t, "testdata/coinm/exchangeInfo-symbol.json"), "symbol", `"BTCUSD_201225"`)
	p := &binance.Payloads{Symbols: coinSym, Positions: pt.Load(t, "testdata/coinm/positionRisk.json"), Brackets: two}
	if _, _, err := binance.Assemble(ctx, p, nil); err != nil {
		t.Errorf("the last of two pair-keyed brackets: %v", err)
	}

	p = botPayloads(t)
	p.Account = pt.Edit(t, p.Account, "assets.0.availableBalance", pt.Delete)
	_, cs, err := binance.Assemble(ctx, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range cs {
		if cs[i].Field == "availableBalance" {
			t.Errorf("compared without the exchange's figure: %s", cs[i].String())
		}
	}
}
