package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"
)

var update = flag.Bool("update", false, "rewrite testdata/golden.txt with the current output")

// Real exchange records (FORMULAS.md, section 4): a BitMEX XBTUSD long of 1
// contract at 1x, and a Binance DOGEUSDT isolated short.
const (
	bitmexJSON = `{"symbol": "XBTUSD", "currentQty": 1, "avgEntryPrice": 3933,
		"posCost": -25426, "posMargin": 25465, "posMaint": 169, "posComm": 39,
		"maintMarginReq": 0.005, "liquidationPrice": 1972, "bankruptPrice": 1966.5}`
	binanceJSON = `[{"symbol": "DOGEUSDT", "positionAmt": "-32", "entryPrice": "0.16395",
		"isolatedWallet": "0.88304001", "liquidationPrice": "0.19059204", "marginType": "isolated"}]`
)

// Each case's output is compared with its section of testdata/golden.txt,
// and its key numbers with closed forms computed here at 50 digits, or with
// the figures the exchanges published.
var cases = []struct {
	name   string
	args   []string
	stdin  string
	verify func(o *oracle, out report)
}{
	{
		name: "defaults: XBTUSD long 10,000 @ 50,000 at 25x, BitMEX",
		verify: func(o *oracle, out report) {
			// BitMEX isolated inverse: entry value 0.2 XBT, posInit = 0.2/25,
			// posComm = ceil(0.075% x (0.2 + posInit)) to the satoshi, and
			// value(P_L) = cost + posInit - ceil(MMR x cost),
			// value(P_B) = cost + posInit: P = N/value, rounded up to 0.5.
			n, ep, lev, mmr := o.d("10000"), o.d("50000"), o.d("25"), o.d("0.005")
			cost := o.quo(n, ep)
			posInit := o.quo(cost, lev)
			posComm := o.round(o.mul(o.d("0.00075"), o.add(cost, posInit)), o.d("1e-8"), apd.RoundCeiling)
			o.compare("margin", out.first("margin"), o.add(posInit, posComm))
			o.compare("maintenance", out.first("maintenance"), o.add(o.mul(mmr, cost), posComm))
			liq := o.round(o.quo(n, o.sub(o.add(cost, posInit), o.mul(mmr, cost))), o.d("0.5"), apd.RoundCeiling)
			bank := o.round(o.quo(n, o.add(cost, posInit)), o.d("0.5"), apd.RoundCeiling)
			o.compare("liquidation", out.first("liquidation"), liq)
			o.compare("bankruptcy", out.first("bankruptcy"), bank)
			// The textbook closed forms: EP/(1 + 1/L - MMR) and EP*L/(L + 1).
			one := o.d("1")
			o.within("liquidation", out.first("liquidation"), o.quo(ep, o.sub(o.add(one, o.quo(one, lev)), mmr)), o.d("0.5"))
			o.within("bankruptcy", out.first("bankruptcy"), o.quo(o.mul(ep, lev), o.add(lev, one)), o.d("0.5"))
			o.compare("distance", out.after("mark", "50,000:"), o.sub(ep, liq))
		},
	},
	{
		name: "Binance BTCUSDT tiers, long 2 @ 50,000 at 20x",
		args: []string{"-preset", "BTCUSDT", "-entry", "50000", "-size", "2", "-leverage", "20"},
		verify: func(o *oracle, out report) {
			// Notional 100,000 is in the tier [50,000, 600,000): MMR 0.5%,
			// cum 50. LP = (WB + cum - N*EP)/(N*MMR - N), WB = 100,000/20.
			n, ep, mmr, cum := o.d("2"), o.d("50000"), o.d("0.005"), o.d("50")
			wb := o.quo(o.mul(n, ep), o.d("20"))
			lp := o.quo(o.sub(o.add(wb, cum), o.mul(n, ep)), o.sub(o.mul(n, mmr), n))
			o.compare("liquidation", out.first("liquidation"), lp)
			if v := o.mul(n, lp); v.Cmp(o.d("50000")) < 0 || v.Cmp(o.d("600000")) >= 0 {
				o.t.Errorf("notional at the liquidation price %s left the tier", v.Text('f'))
			}
			o.compare("bankruptcy", out.first("bankruptcy"), o.sub(ep, o.quo(wb, n)))
			o.compare("maintenance", out.first("maintenance"), o.sub(o.mul(o.mul(n, ep), mmr), cum))
		},
	},
	{
		name: "Bybit USDT help example: long 1 @ 10,000 at 50x, MMR 0.5%",
		args: []string{"-preset", "BTCUSDT", "-convention", "bybit", "-entry", "10000", "-size", "1", "-leverage", "50", "-mmr", "0.005", "-taker", "0"},
		verify: func(o *oracle, out report) {
			o.compare("liquidation (published)", out.first("liquidation"), o.d("9850"))
		},
	},
	{
		name: "Bybit inverse help example: long 60,000 USD @ 50,000 at 10x",
		args: []string{"-preset", "BybitBTCUSD", "-entry", "50000", "-size", "60000", "-leverage", "10", "-mmr", "0.005", "-taker", "0"},
		verify: func(o *oracle, out report) {
			// LP = Qty/(PV + (IM - MM)), PV = Qty/EP; published 45,662.10,
			// which rounded up to the tick 0.5 is 45,662.5.
			qty, pv := o.d("60000"), o.quo(o.d("60000"), o.d("50000"))
			lp := o.quo(qty, o.add(pv, o.sub(o.mul(pv, o.d("0.1")), o.mul(pv, o.d("0.005")))))
			o.within("liquidation (published)", out.first("liquidation"), o.d("45662.10"), o.d("0.5"))
			o.compare("liquidation", out.first("liquidation"), o.round(lp, o.d("0.5"), apd.RoundCeiling))
		},
	},
	{
		name: "Bybit inverse help example: short 60,000 USD @ 50,000 at 10x",
		args: []string{"-preset", "BybitBTCUSD", "-side", "short", "-entry", "50000", "-size", "60000", "-leverage", "10", "-mmr", "0.005", "-taker", "0"},
		verify: func(o *oracle, out report) {
			// LP = Qty/(PV - (IM - MM)); published 55,248.62, rounded down
			// to the tick 0.5 is 55,248.5.
			qty, pv := o.d("60000"), o.quo(o.d("60000"), o.d("50000"))
			lp := o.quo(qty, o.sub(pv, o.sub(o.mul(pv, o.d("0.1")), o.mul(pv, o.d("0.005")))))
			o.within("liquidation (published)", out.first("liquidation"), o.d("55248.62"), o.d("0.5"))
			o.compare("liquidation", out.first("liquidation"), o.round(lp, o.d("0.5"), apd.RoundFloor))
		},
	},
	{
		name: "BitMEX cross linear example: wallet 10,000, long 20 @ 1,000, MM 1%",
		args: []string{"-kind", "linear", "-entry", "1000", "-size", "20", "-wallet", "10000", "-convention", "bitmex", "-mmr", "0.01"},
		verify: func(o *oracle, out report) {
			o.compare("bankruptcy (published)", out.first("bankruptcy"), o.d("500"))
			o.compare("liquidation (published)", out.first("liquidation"), o.d("510"))
		},
	},
	{
		name: "XBTUSD short 30,000 @ 60,000 with 0.1 XBT of margin, mark 58,000",
		args: []string{"-side", "short", "-entry", "60000", "-size", "30000", "-margin", "0.1", "-mark", "58000"},
		verify: func(o *oracle, out report) {
			// Short inverse, 5x: value(P_L) = cost - posInit + MMR*cost,
			// value(P_B) = cost - posInit; rounded down to the tick.
			n, cost, im := o.d("30000"), o.d("0.5"), o.d("0.1")
			liq := o.round(o.quo(n, o.add(o.sub(cost, im), o.mul(o.d("0.005"), cost))), o.d("0.5"), apd.RoundFloor)
			o.compare("liquidation", out.first("liquidation"), liq)
			o.compare("bankruptcy", out.first("bankruptcy"), o.round(o.quo(n, o.sub(cost, im)), o.d("0.5"), apd.RoundFloor))
			o.compare("distance", out.after("mark", "58,000:"), o.sub(liq, o.d("58000")))
		},
	},
	{
		name:  "BitMEX /position JSON: XBTUSD long 1 @ 3933",
		args:  []string{"-json"},
		stdin: bitmexJSON,
		verify: func(o *oracle, out report) {
			// BitMEX reported liquidation 1972 and bankruptcy 1966.5; from
			// its fields, value(P_L) = |posCost| + posMargin - posMaint and
			// value(P_B) = |posCost| + posMargin - posComm, in XBt.
			vl := o.sub(o.add(o.d("25426"), o.d("25465")), o.d("169"))
			vb := o.sub(o.add(o.d("25426"), o.d("25465")), o.d("39"))
			o.compare("liquidation", out.first("liquidation"), o.round(o.quo(o.d("1e8"), vl), o.d("0.5"), apd.RoundCeiling))
			o.compare("bankruptcy", out.first("bankruptcy"), o.round(o.quo(o.d("1e8"), vb), o.d("0.5"), apd.RoundCeiling))
			o.compare("liquidation (BitMEX)", out.first("liquidation"), o.d("1972"))
			o.compare("bankruptcy (BitMEX)", out.first("bankruptcy"), o.d("1966.5"))
		},
	},
	{
		name:  "Binance positionRisk JSON: DOGEUSDT isolated short",
		args:  []string{"-json", "-mmr", "0.005"},
		stdin: binanceJSON,
		verify: func(o *oracle, out report) {
			// LP = (WB + cum - s*N*EP)/(N*MMR - s*N) with s = -1.
			n, ep, wb := o.d("32"), o.d("0.16395"), o.d("0.88304001")
			lp := o.quo(o.add(wb, o.mul(n, ep)), o.add(o.mul(n, o.d("0.005")), n))
			o.compare("liquidation", out.first("liquidation"), lp)
			o.compare("liquidation (Binance)", out.first("liquidation"), o.d("0.19059204"))
			o.compare("bankruptcy", out.first("bankruptcy"), o.quo(o.add(wb, o.mul(n, ep)), n))
		},
	},
}

func TestGolden(t *testing.T) {
	var all strings.Builder
	for _, c := range cases {
		var buf bytes.Buffer
		if err := run(&buf, strings.NewReader(c.stdin), c.args); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		all.WriteString(strings.TrimSpace("== "+c.name+"\n$ liquidation "+strings.Join(c.args, " ")) + "\n")
		all.WriteString(buf.String() + "\n")
		t.Run(c.name, func(t *testing.T) {
			c.verify(&oracle{t: t, ctx: ctx50()}, report(buf.String()))
		})
	}
	golden(t, all.String())
}

func TestErrors(t *testing.T) {
	for _, c := range []struct {
		args  []string
		stdin string
	}{
		{args: []string{"-preset", "NOPE"}},
		{args: []string{"-side", "up"}},
		{args: []string{"-kind", "square"}},
		{args: []string{"-convention", "ftx"}},
		{args: []string{"-entry", "0"}},
		{args: []string{"-entry", "abc"}},
		{args: []string{"-leverage", "0.5"}},
		{args: []string{"-margin", "1"}}, // more than the entry value
		{args: []string{"-preset", "BTCUSDT", "-size", "1", "-leverage", "200"}},
		{args: []string{"-json"}, stdin: ""},
		{args: []string{"-json"}, stdin: "{}"},
		{args: []string{"-json"}, stdin: `{"symbol": "FOO", "positionAmt": "1"}`},
		{args: []string{"-json"}, stdin: `{"symbol": "XBTUSD", "currentQty": 1}`},
		{args: []string{"-json"}, stdin: `{"symbol": "BTCUSDT", "positionAmt": "1", "entryPrice": "1", "marginType": "cross"}`},
	} {
		var buf bytes.Buffer
		if err := run(&buf, strings.NewReader(c.stdin), c.args); err == nil {
			t.Errorf("run(%q, %q) = nil, want an error", c.args, c.stdin)
		} else if buf.Len() != 0 {
			t.Errorf("run(%q, %q) failed with %v but printed %q", c.args, c.stdin, err, buf.String())
		}
	}
}

// golden compares got with testdata/golden.txt, or rewrites it with -update.
func golden(t *testing.T, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden.txt")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run go test -update to accept it)\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

// report is one case's output.
type report string

// first returns the first field after the label at the start of a line.
func (r report) first(label string) string {
	return r.after(label, "")
}

// after returns the field after the field word (or after the label if word
// is "") on the first line that starts with label.
func (r report) after(label, word string) string {
	for _, line := range strings.Split(string(r), "\n") {
		rest, ok := strings.CutPrefix(line, label+" ")
		if !ok {
			continue
		}
		fields := strings.Fields(rest)
		if word == "" && len(fields) > 0 {
			return fields[0]
		}
		for i := 0; i+1 < len(fields); i++ {
			if fields[i] == word {
				return fields[i+1]
			}
		}
	}
	return "missing " + label + " " + word
}

func ctx50() *apd.Context {
	c := apd.BaseContext.WithPrecision(50)
	c.Rounding = apd.RoundHalfEven
	return c
}

// oracle computes at 50 digits.
type oracle struct {
	t   *testing.T
	ctx *apd.Context
}

func (o *oracle) d(s string) *apd.Decimal {
	o.t.Helper()
	d, _, err := apd.NewFromString(strings.ReplaceAll(s, ",", ""))
	if err != nil {
		o.t.Fatalf("%q: %v", s, err)
	}
	return d
}

func (o *oracle) op(f func(z, x, y *apd.Decimal) (apd.Condition, error), x, y *apd.Decimal) *apd.Decimal {
	o.t.Helper()
	var z apd.Decimal
	if _, err := f(&z, x, y); err != nil {
		o.t.Fatal(err)
	}
	return &z
}

func (o *oracle) add(x, y *apd.Decimal) *apd.Decimal { return o.op(o.ctx.Add, x, y) }
func (o *oracle) sub(x, y *apd.Decimal) *apd.Decimal { return o.op(o.ctx.Sub, x, y) }
func (o *oracle) mul(x, y *apd.Decimal) *apd.Decimal { return o.op(o.ctx.Mul, x, y) }
func (o *oracle) quo(x, y *apd.Decimal) *apd.Decimal { return o.op(o.ctx.Quo, x, y) }

// round rounds x to a multiple of step in mode.
func (o *oracle) round(x, step *apd.Decimal, mode apd.Rounder) *apd.Decimal {
	o.t.Helper()
	c := *o.ctx
	c.Rounding = mode
	var n apd.Decimal
	if _, err := c.RoundToIntegralValue(&n, o.quo(x, step)); err != nil {
		o.t.Fatal(err)
	}
	return o.mul(&n, step)
}

// compare checks that the printed number equals want rounded half-even to
// as many places as are printed.
func (o *oracle) compare(name, printed string, want *apd.Decimal) {
	o.t.Helper()
	got := o.d(printed)
	var w apd.Decimal
	if _, err := o.ctx.Quantize(&w, want, got.Exponent); err != nil {
		o.t.Fatal(err)
	}
	if got.Cmp(&w) != 0 {
		o.t.Errorf("%s: printed %s, want %s (%s)", name, printed, w.Text('f'), want.Text('f'))
	}
}

// within checks that the printed number lies within tol of want.
func (o *oracle) within(name, printed string, want, tol *apd.Decimal) {
	o.t.Helper()
	diff := o.sub(o.d(printed), want)
	diff.Abs(diff)
	if diff.Cmp(tol) > 0 {
		o.t.Errorf("%s: printed %s, want %s within %s", name, printed, want.Text('f'), tol.Text('f'))
	}
}
