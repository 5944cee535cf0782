package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/examples/internal/golden"
)

// Real exchange records, as in liquidation/testdata/vectors.json: a BitMEX
// XBTUSD long of 1 contract at 1x, and a Binance DOGEUSDT isolated short.
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
			n, ep, lev, mmr := o.D("10000"), o.D("50000"), o.D("25"), o.D("0.005")
			cost := o.Quo(n, ep)
			posInit := o.Quo(cost, lev)
			posComm := o.Round(o.Mul(o.D("0.00075"), o.Add(cost, posInit)), o.D("1e-8"), apd.RoundCeiling)
			o.Compare("margin", out.first("margin"), o.Add(posInit, posComm))
			o.Compare("maintenance", out.first("maintenance"), o.Add(o.Mul(mmr, cost), posComm))
			liq := o.Round(o.Quo(n, o.Sub(o.Add(cost, posInit), o.Mul(mmr, cost))), o.D("0.5"), apd.RoundCeiling)
			bank := o.Round(o.Quo(n, o.Add(cost, posInit)), o.D("0.5"), apd.RoundCeiling)
			o.Compare("liquidation", out.first("liquidation"), liq)
			o.Compare("bankruptcy", out.first("bankruptcy"), bank)
			// The textbook closed forms: EP/(1 + 1/L - MMR) and EP*L/(L + 1).
			one := o.D("1")
			o.Within("liquidation", out.first("liquidation"), o.Quo(ep, o.Sub(o.Add(one, o.Quo(one, lev)), mmr)), o.D("0.5"))
			o.Within("bankruptcy", out.first("bankruptcy"), o.Quo(o.Mul(ep, lev), o.Add(lev, one)), o.D("0.5"))
			o.Compare("distance", out.after("mark", "50,000:"), o.Sub(ep, liq))
		},
	},
	{
		name: "Binance BTCUSDT tiers, long 2 @ 50,000 at 20x",
		args: []string{"-preset", "BTCUSDT", "-entry", "50000", "-size", "2", "-leverage", "20"},
		verify: func(o *oracle, out report) {
			// Notional 100,000 is in the tier [50,000, 600,000): MMR 0.5%,
			// cum 50. LP = (WB + cum - N*EP)/(N*MMR - N), WB = 100,000/20.
			n, ep, mmr, cum := o.D("2"), o.D("50000"), o.D("0.005"), o.D("50")
			wb := o.Quo(o.Mul(n, ep), o.D("20"))
			lp := o.Quo(o.Sub(o.Add(wb, cum), o.Mul(n, ep)), o.Sub(o.Mul(n, mmr), n))
			o.Compare("liquidation", out.first("liquidation"), lp)
			if v := o.Mul(n, lp); v.Cmp(o.D("50000")) < 0 || v.Cmp(o.D("600000")) >= 0 {
				o.T.Errorf("notional at the liquidation price %s left the tier", v.Text('f'))
			}
			o.Compare("bankruptcy", out.first("bankruptcy"), o.Sub(ep, o.Quo(wb, n)))
			o.Compare("maintenance", out.first("maintenance"), o.Sub(o.Mul(o.Mul(n, ep), mmr), cum))
		},
	},
	{
		name: "Bybit USDT help example: long 1 @ 10,000 at 50x, MMR 0.5%",
		args: []string{"-preset", "BTCUSDT", "-convention", "bybit", "-entry", "10000", "-size", "1", "-leverage", "50", "-mmr", "0.005", "-taker", "0"},
		verify: func(o *oracle, out report) {
			o.Compare("liquidation (published)", out.first("liquidation"), o.D("9850"))
		},
	},
	{
		name: "Bybit inverse help example: long 60,000 USD @ 50,000 at 10x",
		args: []string{"-preset", "BybitBTCUSD", "-entry", "50000", "-size", "60000", "-leverage", "10", "-mmr", "0.005", "-taker", "0"},
		verify: func(o *oracle, out report) {
			// LP = Qty/(PV + (IM - MM)), PV = Qty/EP; published 45,662.10,
			// which rounded up to the tick 0.5 is 45,662.5.
			qty, pv := o.D("60000"), o.Quo(o.D("60000"), o.D("50000"))
			lp := o.Quo(qty, o.Add(pv, o.Sub(o.Mul(pv, o.D("0.1")), o.Mul(pv, o.D("0.005")))))
			o.Within("liquidation (published)", out.first("liquidation"), o.D("45662.10"), o.D("0.5"))
			o.Compare("liquidation", out.first("liquidation"), o.Round(lp, o.D("0.5"), apd.RoundCeiling))
		},
	},
	{
		name: "Bybit inverse help example: short 60,000 USD @ 50,000 at 10x",
		args: []string{"-preset", "BybitBTCUSD", "-side", "short", "-entry", "50000", "-size", "60000", "-leverage", "10", "-mmr", "0.005", "-taker", "0"},
		verify: func(o *oracle, out report) {
			// LP = Qty/(PV - (IM - MM)); published 55,248.62, rounded down
			// to the tick 0.5 is 55,248.5.
			qty, pv := o.D("60000"), o.Quo(o.D("60000"), o.D("50000"))
			lp := o.Quo(qty, o.Sub(pv, o.Sub(o.Mul(pv, o.D("0.1")), o.Mul(pv, o.D("0.005")))))
			o.Within("liquidation (published)", out.first("liquidation"), o.D("55248.62"), o.D("0.5"))
			o.Compare("liquidation", out.first("liquidation"), o.Round(lp, o.D("0.5"), apd.RoundFloor))
		},
	},
	{
		name: "BitMEX cross linear example: wallet 10,000, long 20 @ 1,000, MM 1%",
		args: []string{"-kind", "linear", "-entry", "1000", "-size", "20", "-wallet", "10000", "-convention", "bitmex", "-mmr", "0.01"},
		verify: func(o *oracle, out report) {
			o.Compare("bankruptcy (published)", out.first("bankruptcy"), o.D("500"))
			o.Compare("liquidation (published)", out.first("liquidation"), o.D("510"))
		},
	},
	{
		name: "XBTUSD short 30,000 @ 60,000 with 0.1 XBT of margin, mark 58,000",
		args: []string{"-side", "short", "-entry", "60000", "-size", "30000", "-margin", "0.1", "-mark", "58000"},
		verify: func(o *oracle, out report) {
			// Short inverse, 5x: value(P_L) = cost - posInit + MMR*cost,
			// value(P_B) = cost - posInit; rounded down to the tick.
			n, cost, im := o.D("30000"), o.D("0.5"), o.D("0.1")
			liq := o.Round(o.Quo(n, o.Add(o.Sub(cost, im), o.Mul(o.D("0.005"), cost))), o.D("0.5"), apd.RoundFloor)
			o.Compare("liquidation", out.first("liquidation"), liq)
			o.Compare("bankruptcy", out.first("bankruptcy"), o.Round(o.Quo(n, o.Sub(cost, im)), o.D("0.5"), apd.RoundFloor))
			o.Compare("distance", out.after("mark", "58,000:"), o.Sub(liq, o.D("58000")))
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
			vl := o.Sub(o.Add(o.D("25426"), o.D("25465")), o.D("169"))
			vb := o.Sub(o.Add(o.D("25426"), o.D("25465")), o.D("39"))
			o.Compare("liquidation", out.first("liquidation"), o.Round(o.Quo(o.D("1e8"), vl), o.D("0.5"), apd.RoundCeiling))
			o.Compare("bankruptcy", out.first("bankruptcy"), o.Round(o.Quo(o.D("1e8"), vb), o.D("0.5"), apd.RoundCeiling))
			o.Compare("liquidation (BitMEX)", out.first("liquidation"), o.D("1972"))
			o.Compare("bankruptcy (BitMEX)", out.first("bankruptcy"), o.D("1966.5"))
		},
	},
	{
		name:  "Binance positionRisk JSON: DOGEUSDT isolated short",
		args:  []string{"-json", "-mmr", "0.005"},
		stdin: binanceJSON,
		verify: func(o *oracle, out report) {
			// LP = (WB + cum - s*N*EP)/(N*MMR - s*N) with s = -1.
			n, ep, wb := o.D("32"), o.D("0.16395"), o.D("0.88304001")
			lp := o.Quo(o.Add(wb, o.Mul(n, ep)), o.Add(o.Mul(n, o.D("0.005")), n))
			o.Compare("liquidation", out.first("liquidation"), lp)
			o.Compare("liquidation (Binance)", out.first("liquidation"), o.D("0.19059204"))
			o.Compare("bankruptcy", out.first("bankruptcy"), o.Quo(o.Add(wb, o.Mul(n, ep)), n))
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
			c.verify(golden.NewOracle(t), report(buf.String()))
		})
	}
	golden.Check(t, all.String())
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

type oracle = golden.Oracle

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
