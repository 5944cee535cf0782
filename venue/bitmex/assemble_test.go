package bitmex_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/margin"
	"github.com/derivmath/derivmath/venue"
	"github.com/derivmath/derivmath/venue/bitmex"
	pt "github.com/derivmath/derivmath/venue/internal/payloadtest"
)

// TestAssemblePayloads assembles each position of position.json into the
// account it came from (the rows are from four accounts), logs every
// comparison, and asserts what the payload lets it assert.
//
// Agreement and its causes, per row:
//
//   - Row 0, XBTUSD isolated 5x short: posInit, posComm and posMaint
//     agree. unrealisedPnl does not: the row's markValue (18926000 XBt) is
//     not the value at its markPrice (2e11/10567.6 = 18925772.3), so its
//     PnL, 258000 XBt, is 227 XBt from derivmath's at markPrice. The
//     liquidation price 13370.5 is 3 ticks from the row's own posMaint
//     (13372): it includes a funding reserve of 0.01% of posCost (1867 XBt)
//     that posMaint does not show; with Funding 0.0001 it agrees. The
//     bankruptcy price 13455 is 2 ticks from value(P_B) = posCost -
//     (posMargin - posComm) (13456): BitMEX's bankruptcy rule for shorts is
//     not published; within 2 ticks.
//   - Row 1, ETHUSDT isolated 3x long: with the funding reserve the row's
//     posMaint shows (0.01%), every field agrees exactly.
//   - Row 2, XBTUSD cross long: the account's wallet is not in the
//     payloads, so its prices (99.5) cannot be checked (derivmath's, for
//     an empty wallet, are logged); the margin fields and unrealisedPnl
//     agree.
//   - Row 3, XBTUSD cross long, with its account's margin row: every
//     field agrees (prices 9 and 9), and so do marginBalance and
//     availableMargin.
func TestAssemblePayloads(t *testing.T) {
	ctx := derivmath.NewContext()
	ins := pt.Load(t, "testdata/instrument-2019.json")
	pos := pt.Load(t, "testdata/position.json")
	funding := map[string]*apd.Decimal{"ETHUSDT": pt.D("0.0001")}
	stale := map[string]bool{"unrealisedPnl": true}
	for _, c := range []struct {
		name    string
		row     int
		margins string
		funding map[string]*apd.Decimal
		differ  map[string]int64 // field: ticks of difference allowed (0: must agree)
		skip    map[string]bool  // fields the payload cannot check
	}{
		{name: "row 0", row: 0, differ: map[string]int64{"liquidationPrice": 3, "bankruptPrice": 2}, skip: stale},
		{name: "row 0 with funding", row: 0, funding: map[string]*apd.Decimal{"XBTUSD": pt.D("0.0001")}, differ: map[string]int64{"bankruptPrice": 2, "posMaint": -1}, skip: stale},
		{name: "row 1", row: 1, funding: funding},
		{name: "row 2", row: 2, skip: map[string]bool{"liquidationPrice": true, "bankruptPrice": true}},
		{name: "row 3", row: 3, margins: "testdata/margin-with-position.json"},
	} {
		p := &bitmex.Payloads{Instruments: ins, Positions: pt.Rows(t, pos, c.row)}
		if c.margins != "" {
			p.Margins = pt.Load(t, c.margins)
		}
		_, cs, err := bitmex.Assemble(ctx, p, &bitmex.Options{Funding: c.funding})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for i := range cs {
			x := &cs[i]
			t.Logf("%s: %s", c.name, x.String())
			if c.skip[x.Field] {
				continue
			}
			ticks, ok := c.differ[x.Field]
			switch {
			case ticks < 0: // posMaint: the row shows no funding reserve, derivmath adds it
			case !ok && !x.Agree:
				t.Errorf("%s: %s", c.name, x.String())
			case ok:
				var n apd.Decimal
				_, _ = apd.BaseContext.WithPrecision(20).Quo(&n, &x.Diff, &x.Tolerance)
				n.Abs(&n)
				if n.Cmp(apd.New(ticks, 0)) != 0 {
					t.Errorf("%s: %s: %s ticks, want %d", c.name, x.Field, n.String(), ticks)
				}
			}
		}
	}
}

// TestAssembleNever: BitMEX never liquidates an isolated inverse short at
// 1x or less and reports posComm = posMaint = 0 and prices of 100000000;
// derivmath agrees with every field. The row is row 0 of position.json at
// 1x (initMarginReq 1, posInit = |posCost|), with BitMEX's "none".
func TestAssembleNever(t *testing.T) {
	ctx := derivmath.NewContext()
	row := pt.Rows(t, pt.Load(t, "testdata/position.json"), 0)
	for path, v := range map[string]string{
		"0.leverage": "1", "0.initMarginReq": "1", "0.posInit": "18668000", "0.posComm": "0",
		"0.posCross": "0", "0.posMargin": "18668000", "0.posMaint": "0",
		"0.liquidationPrice": "100000000", "0.bankruptPrice": "100000000",
	} {
		row = pt.Edit(t, row, path, v)
	}
	_, cs, err := bitmex.Assemble(ctx, &bitmex.Payloads{Instruments: pt.Load(t, "testdata/instrument-2019.json"), Positions: row}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range cs {
		t.Log(cs[i].String())
		if !cs[i].Agree && cs[i].Field != "unrealisedPnl" { // the row's stale markValue
			t.Errorf("%s", cs[i].String())
		}
	}
}

func TestAssembleErrors(t *testing.T) {
	ctx := derivmath.NewContext()
	ins := pt.Load(t, "testdata/instrument.json") // no ETHUSDT
	pos := pt.Load(t, "testdata/position.json")
	_, _, err := bitmex.Assemble(ctx, &bitmex.Payloads{Instruments: ins, Positions: pos}, nil)
	pt.FieldError(t, err, 1, "ETHUSDT", "symbol", venue.ErrMissing)
	_, _, err = bitmex.Assemble(ctx, &bitmex.Payloads{Instruments: pt.Load(t, "testdata/instrument-2019.json"), Positions: pt.Rows(t, pos, 2, 3)}, nil)
	pt.FieldError(t, err, 1, "XBTUSD", "symbol", venue.ErrValue)
}

// TestAssembleWalletSymbol: the comparisons of a margin row are in the
// currency's major unit (0.11193832 XBT), so they name that currency, as
// the account's wallets do, not the minor-unit code of the row (XBt),
// which would read as a fraction of a satoshi.
func TestAssembleWalletSymbol(t *testing.T) {
	ctx := derivmath.NewContext()
	p := &bitmex.Payloads{
		Instruments: pt.Load(t, "testdata/instrument-2019.json"),
		Positions:   pt.Rows(t, pt.Load(t, "testdata/position.json"), 3),
		Margins:     pt.Load(t, "testdata/margin-with-position.json"),
	}
	_, cs, err := bitmex.Assemble(ctx, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for i := range cs {
		if cs[i].Side != 0 {
			continue
		}
		n++
		if cs[i].Symbol != "XBT" {
			t.Errorf("%s: Symbol %q, want XBT", cs[i].String(), cs[i].Symbol)
		}
	}
	if n != 2 {
		t.Errorf("%d wallet comparisons, want 2 (marginBalance, availableMargin)", n)
	}
}

// TestAssembleNilContext: a nil context is derivmath.ErrContext.
func TestAssembleNilContext(t *testing.T) {
	p := &bitmex.Payloads{
		Instruments: pt.Load(t, "testdata/instrument-2019.json"),
		Positions:   pt.Rows(t, pt.Load(t, "testdata/position.json"), 3),
		Margins:     pt.Load(t, "testdata/margin-with-position.json"),
	}
	if _, _, err := bitmex.Assemble(nil, p, nil); !errors.Is(err, derivmath.ErrContext) {
		t.Fatalf("Assemble(nil context): %v, want ErrContext", err)
	}
}

// TestAssembleUnknownMarginCurrency: GET /user/margin?currency=all lists
// every currency of the account, including codes that Unit does not know
// ("Gwei" here). A row that no instrument settles in cannot matter to any
// position: Assemble skips it, where it failed with an error that was not a
// *venue.FieldError. A code an instrument settles in takes its minor unit
// from the instrument's settle multipliers, as Instrument.Spec does.
func TestAssembleUnknownMarginCurrency(t *testing.T) {
	ctx := derivmath.NewContext()
	ins := pt.Load(t, "testdata/instrument-2019.json")
	pos := pt.Rows(t, pt.Load(t, "testdata/position.json"), 3)
	gwei := pt.Rows(t, pt.Edit(t, pt.Load(t, "testdata/margin.json"), "1.currency", `"Gwei"`), 1)
	margins := append(append([]byte("["), pt.Load(t, "testdata/margin-with-position.json")...), ',')
	margins = append(margins, gwei[1:]...) // [mwp, gwei row]
	a, cs, err := bitmex.Assemble(ctx, &bitmex.Payloads{Instruments: ins, Positions: pos, Margins: margins}, nil)
	if err != nil {
		t.Fatalf("a margin row in an unknown currency: %v", err)
	}
	var w apd.Decimal
	a.Wallet(&w, "XBT")
	pt.Same(t, "XBT wallet", &w, "0.1119382")
	n := 0
	for i := range cs {
		if cs[i].Side == 0 {
			n++
			if !cs[i].Agree {
				t.Error(cs[i].String())
			}
		}
	}
	if n != 2 {
		t.Errorf("%d wallet comparisons, want 2", n)
	}

	// The instruments' own code: an inverse instrument settling in "XBt2"
	// with underlyingToSettleMultiplier -100000000 gives it 8 decimals (to
	// its positions, in that code, too).
	ins = pt.Edit(t, ins, "0.settlCurrency", `"XBt2"`)
	pos = pt.Edit(t, pos, "0.currency", `"XBt2"`)
	margins = pt.Edit(t, pt.Load(t, "testdata/margin.json"), "0.currency", `"XBt2"`)
	if a, _, err = bitmex.Assemble(ctx, &bitmex.Payloads{Instruments: ins, Positions: pos, Margins: margins}, nil); err != nil {
		t.Fatal(err)
	}
	a.Wallet(&w, "XBT")
	pt.Same(t, "XBT wallet from XBt2", &w, "0.01418963")
}

// TestAssembleMarginFieldErrors: a position row whose margin fields
// margin.BitMEXPosition refuses (a negative posCross or posLoss, an
// initMarginReq outside (0, 1], a maintMarginReq outside [0,
// initMarginReq], a negative commission) fails with a *venue.FieldError
// that names that field and wraps venue.ErrValue beside the margin
// package's cause. Assemble named posCost for each, with the margin error
// alone as the FieldError's Err, matching none of the venue sentinels.
// (Margin fields that do not fit the context: TestAssembleMarginRange.)
func TestAssembleMarginFieldErrors(t *testing.T) {
	ctx := derivmath.NewContext()
	ins := pt.Load(t, "testdata/instrument-2019.json")
	row := pt.Rows(t, pt.Load(t, "testdata/position.json"), 0) // initMarginReq 0.2, maintMarginReq 0.005
	for _, c := range []struct {
		path, value, field string
		cause              error
	}{
		{"0.posCross", "-1", "posCross", margin.ErrAmount},
		{"0.posLoss", "-1", "posLoss", margin.ErrAmount},
		{"0.initMarginReq", "0", "initMarginReq", derivmath.ErrRate},
		{"0.initMarginReq", "1.5", "initMarginReq", derivmath.ErrRate},
		{"0.maintMarginReq", "-0.005", "maintMarginReq", derivmath.ErrRate},
		{"0.maintMarginReq", "0.25", "maintMarginReq", derivmath.ErrRate},
		{"0.commission", "-0.00025", "commission", derivmath.ErrRate},
	} {
		_, _, err := bitmex.Assemble(ctx, &bitmex.Payloads{Instruments: ins, Positions: pt.Edit(t, row, c.path, c.value)}, nil)
		pt.FieldError(t, err, 0, "XBTUSD", c.field, venue.ErrValue)
		if !errors.Is(err, c.cause) {
			t.Errorf("%s %s: %v, want errors.Is %v", c.path, c.value, err, c.cause)
		}
	}
}

// TestAssembleMarginRange: a valid row whose margin arithmetic does not fit
// the context fails with derivmath.ErrRange naming the row but no field, as
// no field of the payload is wrong: row 0 of position.json at 7 digits,
// where |posCost| + posInit + posCross (22473029) needs 8, and a posCost of
// 19 nines at the default 19 digits, where posComm does not fit. Both
// assemble in a wider context. Assemble named posCost in a
// *venue.FieldError wrapping venue.ErrValue, so that a caller took the
// payload for wrong where a wider context was all it needed. A posCost
// out of derivmath's range itself (51 digits) still names posCost.
func TestAssembleMarginRange(t *testing.T) {
	ins := pt.Load(t, "testdata/instrument-2019.json")
	row := pt.Rows(t, pt.Load(t, "testdata/position.json"), 0)
	narrow := derivmath.NewContext()
	narrow.Precision = 7
	for _, c := range []struct {
		name string
		ctx  *apd.Context
		pos  []byte
	}{
		{"7 digits", narrow, row},
		{"posCost of 19 nines", derivmath.NewContext(), pt.Edit(t, row, "0.posCost", "-9999999999999999999")},
	} {
		p := &bitmex.Payloads{Instruments: ins, Positions: c.pos}
		_, _, err := bitmex.Assemble(c.ctx, p, nil)
		if !errors.Is(err, derivmath.ErrRange) {
			t.Errorf("%s: %v, want errors.Is derivmath.ErrRange", c.name, err)
		}
		var fe *venue.FieldError
		if errors.As(err, &fe) {
			t.Errorf("%s: %v names field %q of %v, want no field", c.name, err, fe.Field, fe.Row)
		}
		if err != nil && !strings.Contains(err.Error(), "row 0 (XBTUSD)") {
			t.Errorf("%s: %q does not name row 0 (XBTUSD)", c.name, err)
		}
		wide := derivmath.NewContext()
		wide.Precision = 34
		if _, _, err := bitmex.Assemble(wide, p, nil); err != nil {
			t.Errorf("%s: at 34 digits: %v", c.name, err)
		}
	}
	huge := pt.Edit(t, row, "0.posCost", "-1"+strings.Repeat("0", 49)+"1") // 51 digits
	_, _, err := bitmex.Assemble(derivmath.NewContext(), &bitmex.Payloads{Instruments: ins, Positions: huge}, nil)
	pt.FieldError(t, err, 0, "XBTUSD", "posCost", derivmath.ErrRange)
}

// TestAssembleTaker: the Spec of an assembled position takes the row's
// commission (0.00075) as its taker rate, not the instrument's default
// takerFee (0.0005), as Assemble says.
func TestAssembleTaker(t *testing.T) {
	p := &bitmex.Payloads{Instruments: pt.Load(t, "testdata/instrument-2019.json"), Positions: pt.Rows(t, pt.Load(t, "testdata/position.json"), 3)}
	a, _, err := bitmex.Assemble(derivmath.NewContext(), p, nil)
	if err != nil {
		t.Fatal(err)
	}
	pt.Same(t, "taker", &a.Position(0).Spec.Taker, "0.00075")
}

// TestAssembleNeverWallet: a currency whose only position cannot be
// liquidated (maintenance 0, initial margin |posCost|) still has
// positions: its margin row's marginBalance and availableMargin are
// compared.
func TestAssembleNeverWallet(t *testing.T) {
	row := pt.Rows(t, pt.Load(t, "testdata/position.json"), 0)
	for path, v := range map[string]string{
		"0.leverage": "1", "0.initMarginReq": "1", "0.posInit": "18668000", "0.posComm": "0",
		"0.posCross": "0", "0.posMargin": "18668000", "0.posMaint": "0",
	} {
		row = pt.Edit(t, row, path, v)
	}
	p := &bitmex.Payloads{Instruments: pt.Load(t, "testdata/instrument-2019.json"), Positions: row, Margins: pt.Load(t, "testdata/margin-with-position.json")}
	_, cs, err := bitmex.Assemble(derivmath.NewContext(), p, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for i := range cs {
		if cs[i].Side == 0 {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d wallet comparisons, want 2 (marginBalance, availableMargin)", n)
	}
}

// TestAssembleCurrencyMismatch: a position whose currency is not its
// instrument's settlCurrency (USDt beside XBTUSD's XBt) is inconsistent:
// Assemble refuses it (currency, venue.ErrValue), where it read the row's
// minor-unit amounts in the instrument's unit.
func TestAssembleCurrencyMismatch(t *testing.T) {
	row := pt.Edit(t, pt.Rows(t, pt.Load(t, "testdata/position.json"), 0), "0.currency", `"USDt"`)
	p := &bitmex.Payloads{Instruments: pt.Load(t, "testdata/instrument-2019.json"), Positions: row}
	_, _, err := bitmex.Assemble(derivmath.NewContext(), p, nil)
	pt.FieldError(t, err, 0, "XBTUSD", "currency", venue.ErrValue)
}
