package main

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/examples/internal/cli"
	"github.com/derivmath/derivmath/examples/internal/golden"
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
			o.Compare("entry value", out.first("entry value"), cost)
			distance(o, out, "50,000:", ep, liq)
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
			o.Compare("liquidation", out.first("liquidation"), trunc8(o, lp))
			if v := o.Mul(n, lp); v.Cmp(o.D("50000")) < 0 || v.Cmp(o.D("600000")) >= 0 {
				o.T.Errorf("notional at the liquidation price %s left the tier", v.Text('f'))
			}
			o.Compare("bankruptcy", out.first("bankruptcy"), o.Sub(ep, o.Quo(wb, n)))
			o.Compare("maintenance", out.first("maintenance"), o.Sub(o.Mul(o.Mul(n, ep), mmr), cum))
			o.Compare("entry value", out.first("entry value"), o.Mul(n, ep))
			o.Compare("margin", out.first("margin"), wb)
			distance(o, out, "50,000:", ep, lp)
		},
	},
	{
		name: "Bybit USDT help example: long 1 @ 10,000 at 50x, MMR 0.5%",
		args: []string{"-preset", "BTCUSDT", "-convention", "bybit", "-entry", "10000", "-size", "1", "-leverage", "50", "-mmr", "0.005", "-taker", "0"},
		verify: func(o *oracle, out report) {
			o.Compare("liquidation (published)", out.first("liquidation"), o.D("9850"))
			// Value Q*EP, margin value/50, maintenance 0.5% of it, no fee
			// reserve (-taker 0); bankruptcy EP - margin/Q.
			value := o.D("10000")
			o.Compare("entry value", out.first("entry value"), value)
			o.Compare("margin", out.first("margin"), o.Quo(value, o.D("50")))
			o.Compare("maintenance", out.first("maintenance"), o.Mul(value, o.D("0.005")))
			o.Compare("bankruptcy", out.first("bankruptcy"), o.Sub(value, o.Quo(value, o.D("50"))))
			distance(o, out, "10,000:", value, o.D("9850"))
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
			// PV, IM = PV/10, MM = 0.5% of PV; bankruptcy Qty/(PV + IM),
			// rounded up to the tick.
			im := o.Mul(pv, o.D("0.1"))
			o.Compare("entry value", out.first("entry value"), pv)
			o.Compare("margin", out.first("margin"), im)
			o.Compare("maintenance", out.first("maintenance"), o.Mul(pv, o.D("0.005")))
			o.Compare("bankruptcy", out.first("bankruptcy"), o.Round(o.Quo(qty, o.Add(pv, im)), o.D("0.5"), apd.RoundCeiling))
			distance(o, out, "50,000:", o.D("50000"), o.Round(lp, o.D("0.5"), apd.RoundCeiling))
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
			// Bankruptcy Qty/(PV - IM), rounded down to the tick.
			o.Compare("bankruptcy", out.first("bankruptcy"), o.Round(o.Quo(qty, o.Sub(pv, o.Mul(pv, o.D("0.1")))), o.D("0.5"), apd.RoundFloor))
			distance(o, out, "50,000:", o.D("50000"), o.Round(lp, o.D("0.5"), apd.RoundFloor))
		},
	},
	{
		name: "BitMEX cross linear example: wallet 10,000, long 20 @ 1,000, MM 1%",
		args: []string{"-kind", "linear", "-entry", "1000", "-size", "20", "-wallet", "10000", "-convention", "bitmex", "-mmr", "0.01"},
		verify: func(o *oracle, out report) {
			o.Compare("bankruptcy (published)", out.first("bankruptcy"), o.D("500"))
			o.Compare("liquidation (published)", out.first("liquidation"), o.D("510"))
			o.Compare("entry value", out.first("entry value"), o.D("20000"))
			o.Compare("maintenance", out.first("maintenance"), o.Mul(o.D("20000"), o.D("0.01")))
			distance(o, out, "1,000:", o.D("1000"), o.D("510"))
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
			// posComm = ceil(0.075% x (cost + posInit)) to the satoshi.
			comm := o.Round(o.Mul(o.D("0.00075"), o.Add(cost, im)), o.D("1e-8"), apd.RoundCeiling)
			o.Compare("entry value", out.first("entry value"), o.Quo(n, o.D("60000")))
			o.Compare("margin", out.first("margin"), o.Add(im, comm))
			o.Compare("maintenance", out.first("maintenance"), o.Add(o.Mul(o.D("0.005"), cost), comm))
			distance(o, out, "58,000:", o.D("58000"), liq)
		},
	},
	{
		name: "non-preset instrument: a COIN-M inverse of 10 USD per contract (ADAUSD), long 1,000 @ 0.35 at 10x",
		args: []string{"-kind", "inverse", "-multiplier", "10", "-tick", "0.0001", "-settle", "ADA", "-entry", "0.35", "-size", "1000", "-leverage", "10", "-convention", "binance", "-mmr", "0.01"},
		verify: func(o *oracle, out report) {
			// Isolated inverse long, WB = N*m/(EP*L), maintenance MMR*N*m/P:
			// WB + N*m*(1/EP - 1/P) = MMR*N*m/P gives P = EP*L*(1 + MMR)/(L + 1),
			// and bankruptcy EP*L/(L + 1).
			ep, lev, mmr, one := o.D("0.35"), o.D("10"), o.D("0.01"), o.D("1")
			o.Compare("liquidation", out.first("liquidation"), trunc8(o, o.Quo(o.Mul(o.Mul(ep, lev), o.Add(one, mmr)), o.Add(lev, one))))
			o.Compare("bankruptcy", out.first("bankruptcy"), trunc8(o, o.Quo(o.Mul(ep, lev), o.Add(lev, one))))
			// Value N*m/EP ADA, margin value/L, maintenance MMR x value.
			value := o.Quo(o.D("10000"), ep)
			o.Compare("entry value", out.first("entry value"), value)
			o.Compare("margin", out.first("margin"), o.Quo(value, lev))
			o.Compare("maintenance", out.first("maintenance"), o.Mul(mmr, value))
			distance(o, out, "0.35:", ep, o.Quo(o.Mul(o.Mul(ep, lev), o.Add(one, mmr)), o.Add(lev, one)))
		},
	},
	{
		name: "Binance cross account from payload files: 3 positions, 2 flat rows",
		args: []string{"-venue", "binance", "-positions", "testdata/binance/positionRisk.json", "-instruments", "testdata/binance/exchangeInfo.json", "-limits", "testdata/binance/leverageBracket.json", "-balances", "testdata/binance/account.json"},
		verify: func(o *oracle, out report) {
			// Binance cross: LP = (WB - TMM1 + UPNL1 + cum - s*N*EP)/(N*MMR - s*N),
			// the other positions at their marks: BTCUSDT long 0.5 @ 60,000
			// (mark 61,000, bracket 0.4%), ETHUSDT short 4 @ 3,000 (mark 3,100,
			// 0.65% - 15), DOGEUSDT long 10,000 @ 0.15 (mark 0.14, 1%).
			wb := o.D("3000")
			mmBTC, upBTC := o.Mul(o.D("30500"), o.D("0.004")), o.D("500")
			mmETH, upETH := o.Sub(o.Mul(o.D("12400"), o.D("0.0065")), o.D("15")), o.D("-400")
			mmDOGE, upDOGE := o.Mul(o.D("1400"), o.D("0.01")), o.D("-100")
			btc := o.Quo(o.Sub(o.Add(o.Sub(wb, o.Add(mmETH, mmDOGE)), o.Add(upETH, upDOGE)), o.Mul(o.D("0.5"), o.D("60000"))),
				o.Sub(o.Mul(o.D("0.5"), o.D("0.004")), o.D("0.5")))
			eth := o.Quo(o.Add(o.Add(o.Add(o.Sub(wb, o.Add(mmBTC, mmDOGE)), o.Add(upBTC, upDOGE)), o.D("15")), o.Mul(o.D("4"), o.D("3000"))),
				o.Add(o.Mul(o.D("4"), o.D("0.0065")), o.D("4")))
			// Printed as Binance reports them, truncated to 8 places: the
			// same figures as the payload's liquidationPrice.
			o.Compare("BTCUSDT liquidation", strings.TrimSuffix(out.after("BTCUSDT", "liquidation"), ","), trunc8(o, btc))
			o.Compare("ETHUSDT liquidation", strings.TrimSuffix(out.after("ETHUSDT", "liquidation"), ","), trunc8(o, eth))
			for _, s := range []string{"55,380.72289156,", "3,795.08196721,"} {
				if !strings.Contains(string(out), "liquidation "+s) {
					o.T.Errorf("liquidation %s (the payload's liquidationPrice) not printed", s)
				}
			}
			if got := out.after("DOGEUSDT", "liquidation"); got != "none," {
				o.T.Errorf("DOGEUSDT liquidation %q, want none: 3,000 + 500 - 400 - ... leaves its LP below 0", got)
			}
			if !strings.Contains(string(out), "2 flat or closed rows skipped") || !strings.Contains(string(out), "13 of 13 agree") {
				o.T.Errorf("flat rows or agreement missing:\n%s", out)
			}
			// Each position's figures at its mark, by hand: maintenance
			// MMR*notional - cum, initial notional/leverage (20x, 10x, 10x),
			// unrealised Q*(mark - EP); bankruptcy where the equity, the
			// other positions at their marks, is 0: EP - (WB + UPNL1)/Q.
			num := func(label, word string) string {
				return strings.Trim(out.after(label, word), ",()")
			}
			o.Compare("BTCUSDT maintenance", num("BTCUSDT", "maintenance"), mmBTC)
			o.Compare("BTCUSDT initial", num("BTCUSDT", "initial"), o.Quo(o.D("30500"), o.D("20")))
			o.Compare("BTCUSDT unrealised", num("BTCUSDT", "unrealised"), upBTC)
			o.Compare("BTCUSDT bankruptcy", num("BTCUSDT", "bankruptcy"), o.Sub(o.D("60000"), o.Quo(o.Add(wb, o.Add(upETH, upDOGE)), o.D("0.5"))))
			o.Compare("ETHUSDT maintenance", num("ETHUSDT", "maintenance"), mmETH)
			o.Compare("ETHUSDT initial", num("ETHUSDT", "initial"), o.Quo(o.D("12400"), o.D("10")))
			o.Compare("ETHUSDT unrealised", num("ETHUSDT", "unrealised"), upETH)
			o.Compare("ETHUSDT bankruptcy", num("ETHUSDT", "bankruptcy"), o.Sub(o.D("3000"), o.Quo(o.Add(wb, o.Add(upBTC, upDOGE)), o.D("-4"))))
			o.Compare("DOGEUSDT maintenance", num("DOGEUSDT", "maintenance"), mmDOGE)
			o.Compare("DOGEUSDT initial", num("DOGEUSDT", "initial"), o.Quo(o.D("1400"), o.D("10")))
			o.Compare("DOGEUSDT unrealised", num("DOGEUSDT", "unrealised"), upDOGE)
			// How far each mark is from the liquidation price, and that over
			// the mark.
			for _, c := range []struct {
				symbol string
				mark   *apd.Decimal
				liq    *apd.Decimal
			}{{"BTCUSDT", o.D("61000"), btc}, {"ETHUSDT", o.D("3100"), eth}} {
				dist := o.Sub(c.mark, c.liq)
				dist.Abs(dist)
				o.Compare(c.symbol+" distance", num(c.symbol+"   mark", ""), dist) // BTCUSDT   mark 5,619.27710843 from ...
				o.Compare(c.symbol+" distance %", num(c.symbol, "price"), o.Mul(o.Quo(dist, c.mark), o.D("100")))
			}
			// The account: equity = wallet + the uPnL, the margins their
			// sums, available = equity - initial, margin ratio =
			// maintenance/equity.
			equity := o.Add(wb, o.Add(upBTC, o.Add(upETH, upDOGE)))
			maint := o.Add(mmBTC, o.Add(mmETH, mmDOGE))
			initial := o.Add(o.D("1525"), o.Add(o.D("1240"), o.D("140")))
			o.Compare("wallet", num("USDT", "wallet"), wb)
			o.Compare("equity", num("USDT", "equity"), equity)
			o.Compare("account maintenance", num("USDT", "maintenance"), maint)
			o.Compare("account initial", num("USDT", "initial"), initial)
			o.Compare("available", num("USDT", "available"), o.Sub(equity, initial))
			o.Compare("margin ratio", num("USDT", "ratio"), o.Mul(o.Quo(maint, equity), o.D("100")))
		},
	},
	{
		name: "BitMEX cross position beside a closed one, with its margin row",
		args: []string{"-venue", "bitmex", "-positions", "testdata/bitmex/position.json", "-instruments", "testdata/bitmex/instrument-2019.json", "-balances", "testdata/bitmex/margin-with-position.json"},
		verify: func(o *oracle, out report) {
			// Cross XBTUSD long 1 @ 6,377 (posCost 15,681 XBt), wallet
			// 11,193,820 XBt: wallet + posCost - 1e8/P = posMaint (91) at the
			// liquidation price, = posComm (12) at bankruptcy; rounded up to 0.5.
			w, cost := o.D("11193820"), o.D("15681")
			o.Compare("liquidation", out.after("XBTUSD", "liquidation"), o.Round(o.Quo(o.D("1e8"), o.Sub(o.Add(w, cost), o.D("91"))), o.D("0.5"), apd.RoundCeiling))
			o.Compare("bankruptcy", strings.TrimSuffix(out.after("XBTUSD", "bankruptcy"), ","), o.Round(o.Quo(o.D("1e8"), o.Sub(o.Add(w, cost), o.D("12"))), o.D("0.5"), apd.RoundCeiling))
			if !strings.Contains(string(out), "1 flat or closed row skipped") || !strings.Contains(string(out), "8 of 8 agree") {
				o.T.Errorf("closed row or agreement missing:\n%s", out)
			}
		},
	},
	{
		name: "Bybit isolated linear position from payload files, taker 0.06%",
		args: []string{"-venue", "bybit", "-positions", "testdata/bybit/position-list-linear-2023.json", "-instruments", "testdata/bybit/instruments-xrpusdt.json", "-limits", "testdata/bybit/risk-limit-xrpusdt.json", "-taker", "0.0006", "-mode", "isolated"},
		verify: func(o *oracle, out report) {
			// Long 100 @ 0.3615 at 10x, MMR 1%: fee to close 36.15*0.9*0.0006,
			// IM 3.615 + fee, MM 0.3615 + fee; LP = EP - (IM - MM)/size,
			// rounded up to the tick 0.0001.
			fee := o.Mul(o.Mul(o.D("36.15"), o.D("0.9")), o.D("0.0006"))
			im, mm := o.Add(o.D("3.615"), fee), o.Add(o.D("0.3615"), fee)
			o.Compare("maintenance", strings.TrimSuffix(out.after("XRPUSDT", "maintenance"), ","), mm)
			o.Compare("initial", strings.TrimSuffix(out.after("XRPUSDT", "initial"), ","), im)
			lp := o.Sub(o.D("0.3615"), o.Quo(o.Sub(im, mm), o.D("100")))
			o.Compare("liquidation", strings.TrimSuffix(out.after("XRPUSDT", "liquidation"), ","), o.Round(lp, o.D("0.0001"), apd.RoundCeiling))
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

// TestSVG runs each case again with -svg: the report must be the same
// with its "wrote" line after it, and the picture the same whatever the
// case. The first case's is compared byte for byte with liquidation.svg
// (the picture the README shows; go test -update rewrites it) and read
// back and recomputed by checkSVG.
func TestSVG(t *testing.T) {
	var first []byte
	for i, c := range cases {
		var plain, buf bytes.Buffer
		if err := run(&plain, strings.NewReader(c.stdin), c.args); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		svgPath := filepath.Join(t.TempDir(), "liquidation.svg")
		if err := run(&buf, strings.NewReader(c.stdin), append(slices.Clone(c.args), "-svg", svgPath)); err != nil {
			t.Fatalf("%s -svg: %v", c.name, err)
		}
		if want := plain.String() + "\nwrote " + svgPath + "\n"; buf.String() != want {
			t.Errorf("%s -svg: printed\n%s\nwant\n%s", c.name, buf.String(), want)
		}
		got, err := os.ReadFile(svgPath)
		if err != nil {
			t.Fatal(err)
		}
		if i > 0 {
			if !bytes.Equal(got, first) {
				t.Errorf("%s: the SVG differs from the first case's", c.name)
			}
			continue
		}
		first = got
		checkSVG(t, got)
		if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
			if err := os.WriteFile("liquidation.svg", got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile("liquidation.svg")
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("the SVG differs from liquidation.svg (run go test -update to accept it)")
		}
	}
}

// TestNoSVG: a run without -svg writes no file (the picture does not
// depend on the flags, and a bot author's -venue run in their own
// directory must not leave one there), nor does -svg "" or a run that
// fails.
func TestNoSVG(t *testing.T) {
	// Binance's payload files, named from the temporary directory.
	var venue []string
	for _, c := range cases {
		if len(c.args) > 1 && c.args[0] == "-venue" && c.args[1] == "binance" {
			venue = slices.Clone(c.args)
		}
	}
	if venue == nil {
		t.Fatal("no -venue binance case")
	}
	for i, a := range venue {
		if strings.HasPrefix(a, "testdata/") {
			abs, err := filepath.Abs(a)
			if err != nil {
				t.Fatal(err)
			}
			venue[i] = abs
		}
	}
	dir := t.TempDir()
	t.Chdir(dir)
	for _, args := range [][]string{nil, venue, {"-svg", ""}} {
		if err := run(&bytes.Buffer{}, strings.NewReader(""), args); err != nil {
			t.Fatalf("%q: %v", args, err)
		}
	}
	if err := run(&bytes.Buffer{}, strings.NewReader(""), []string{"-entry", "0", "-svg", "liquidation.svg"}); err == nil {
		t.Fatal("-entry 0: no error")
	}
	if entries, err := os.ReadDir(dir); err != nil || len(entries) != 0 {
		t.Errorf("runs without -svg and a failed run wrote %v (%v)", entries, err)
	}
}

func TestErrors(t *testing.T) {
	for _, c := range []struct {
		args  []string
		stdin string
		flag  string // the flag the error must name
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
		{args: []string{"-size", "-5"}, flag: "-size"},
		{args: []string{"-size", "0"}, flag: "-size"},
		{args: []string{"-mark", "-1"}, flag: "-mark"},
		{args: []string{"-kind", "inverse", "-multiplier", "-10"}, flag: "-multiplier"},
		{args: []string{"-kind", "linear", "-tick", "0"}, flag: "-tick"},
		{args: []string{"-multiplier", "10"}, flag: "-multiplier"},
		{args: []string{"-positions", "x.json"}, flag: "-positions"},
		{args: []string{"-venue", "ftx"}, flag: "-positions"},
		{args: []string{"-venue", "ftx", "-positions", "testdata/binance/positionRisk.json", "-instruments", "testdata/binance/exchangeInfo.json"}, flag: "-venue"},
		{args: []string{"-venue", "binance", "-positions", "testdata/binance/positionRisk.json", "-instruments", "testdata/binance/exchangeInfo.json"}, flag: "-limits"},
		{args: []string{"-venue", "binance", "-positions", "nope.json", "-instruments", "testdata/binance/exchangeInfo.json"}, flag: "-positions"},
		{args: []string{"-venue", "binance", "-positions", "testdata/binance/exchangeInfo.json", "-instruments", "testdata/binance/exchangeInfo.json", "-limits", "testdata/binance/leverageBracket.json"}, flag: "-positions"},
		{args: []string{"-venue", "bitmex", "-positions", "-", "-instruments", "testdata/bitmex/instrument-2019.json"}, stdin: "{", flag: "-positions"},
		{args: []string{"-venue", "bitmex", "-positions", "-", "-instruments", "-"}, stdin: "[]", flag: "-instruments"},
		{args: []string{"-venue", "bitmex", "-positions", "testdata/bitmex/position.json", "-instruments", "testdata/bitmex/instrument-2019.json", "-funding", "XBTUSD=-1"}, flag: "-funding"},
		{args: []string{"-venue", "bybit", "-positions", "testdata/bybit/position-list-linear-2023.json", "-instruments", "testdata/bybit/instruments-xrpusdt.json", "-limits", "testdata/bybit/risk-limit-xrpusdt.json", "-mode", "hedge"}, flag: "-mode"},
		{args: []string{"-venue", "bybit", "-size", "1"}, flag: "-size"},
		// Each bad value names its flag, not only the library's complaint.
		{args: []string{"-leverage", "0"}, flag: "-leverage 0"},
		{args: []string{"-leverage", "-5"}, flag: "-leverage -5"},
		{args: []string{"-leverage", "201"}, flag: "leverage 201x"}, // 1/201 below BitMEX's MMR of 0.5%
		{args: []string{"-margin", "0.0009"}, flag: "leverage 222.22x"},
		{args: []string{"-entry", "-1"}, flag: "-entry"},
		{args: []string{"-entry", "NaN"}, flag: "-entry"},
		{args: []string{"-entry", "1e-200"}, flag: "-entry"},
		{args: []string{"-mark", "abc"}, flag: "-mark"},
		{args: []string{"-size", "1e400"}, flag: "-size"},
		{args: []string{"-size", "150"}, flag: "-size"}, // XBTUSD's lot is 100 contracts
		{args: []string{"-preset", "BTCUSDT", "-size", "0.0001"}, flag: "-size"},
		{args: []string{"-mmr", "2"}, flag: "-mmr"},
		{args: []string{"-mmr", "-0.1"}, flag: "-mmr"},
		{args: []string{"-taker", "5"}, flag: "-taker"},
		{args: []string{"-taker", "-0.0001"}, flag: "-taker"},
		{args: []string{"-wallet", "Infinity"}, flag: "-wallet"},
	} {
		var buf bytes.Buffer
		err := run(&buf, strings.NewReader(c.stdin), c.args)
		switch {
		case err == nil:
			t.Errorf("run(%q, %q) = nil, want an error", c.args, c.stdin)
		case buf.Len() != 0:
			t.Errorf("run(%q, %q) failed with %v but printed %q", c.args, c.stdin, err, buf.String())
		case c.flag != "" && !strings.Contains(err.Error(), c.flag):
			t.Errorf("run(%q): %v, want an error naming %s", c.args, err, c.flag)
		}
	}
}

// TestHelp: -h prints the usage and exits 0; a bad flag exits 2, as
// does a bad value, naming its flag.
func TestHelp(t *testing.T) {
	golden.Help(t, "liquidation", "venue", func(w io.Writer, args []string) error {
		return run(w, strings.NewReader(""), args)
	})
	var buf, stderr bytes.Buffer
	err := run(&buf, strings.NewReader(""), []string{"-size", "-1"})
	if code := cli.Exit(&stderr, "liquidation", err); code != 2 || !strings.Contains(stderr.String(), "-size") {
		t.Errorf("-size -1: exit %d, stderr %q", code, stderr.String())
	}
}

type oracle = golden.Oracle

// distance checks the mark line, "mark 50,000: 1,690.5 above the
// liquidation price (3.38%), ...": |mark - liq|, and that over the mark
// in percent.
func distance(o *oracle, out report, markText string, mark, liq *apd.Decimal) {
	o.T.Helper()
	d := o.Sub(mark, liq)
	d.Abs(d)
	o.Compare("distance", out.after("mark", markText), d)
	o.Compare("distance %", strings.Trim(out.after("mark", "price"), "(),"), o.Mul(o.Quo(d, mark), o.D("100")))
}

// trunc8 is x truncated toward zero to 8 decimals, as Binance reports its
// figures.
func trunc8(o *oracle, x *apd.Decimal) *apd.Decimal {
	return o.Round(x, o.D("1e-8"), apd.RoundDown)
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

// TestBitMEXShortAt1x: an isolated inverse short at 1x can lose at most its
// margin (its value falls toward 0 as the price rises), so BitMEX never
// liquidates it and reports posComm = posMaint = 0, as package account has
// it (account.Report: liquidation.Never for both prices). The calculator
// under the BitMEX convention used to keep a fee reserve and a 0.5%
// maintenance there, and printed a liquidation price of 10,000,000 that
// BitMEX would not show.
func TestBitMEXShortAt1x(t *testing.T) {
	for _, c := range []struct {
		args         []string
		margin, main string
	}{
		{[]string{"-side", "short", "-leverage", "1"}, "0.20000000", "0.00000000"},
		{[]string{"-side", "short", "-entry", "50000", "-size", "10000", "-margin", "0.2"}, "0.20000000", "0.00000000"},
		// Without a minor unit (a custom contract): the same rule.
		{[]string{"-kind", "inverse", "-convention", "bitmex", "-side", "short", "-leverage", "1", "-taker", "0.00075"}, "0.2", "0"},
	} {
		args := c.args
		var buf bytes.Buffer
		if err := run(&buf, strings.NewReader(""), args); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		out := buf.String()
		for _, want := range []string{
			"margin         " + c.margin + " XBT (initial margin)\n",
			"maintenance    " + c.main + " XBT at entry (",
			"bankruptcy     none: no price reaches it\n",
			"liquidation    none: no price reaches it\n",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("%v: the output lacks %q:\n%s", args, want, out)
			}
		}
	}
}
