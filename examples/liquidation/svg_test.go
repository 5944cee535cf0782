package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/examples/internal/golden"
)

// brackets is Binance's BTCUSDT leverage bracket table as Binance
// publishes it: floor of the notional (USDT), maintenance rate, maximum
// leverage, maintenance amount (cum).
var brackets = [][4]string{
	{"0", "0.004", "125", "0"},
	{"50000", "0.005", "100", "50"},
	{"600000", "0.0065", "75", "950"},
	{"3000000", "0.01", "50", "11450"},
	{"12000000", "0.02", "25", "131450"},
	{"70000000", "0.025", "20", "481450"},
	{"100000000", "0.05", "10", "2981450"},
	{"230000000", "0.1", "5", "14481450"},
	{"480000000", "0.125", "4", "26481450"},
	{"600000000", "0.15", "3", "41481450"},
	{"800000000", "0.25", "2", "121481450"},
	{"1200000000", "0.5", "1", "421481450"},
}

// bracketOf returns the index of the bracket of a notional.
func bracketOf(o *golden.Oracle, notional *apd.Decimal) int {
	i := 0
	for i+1 < len(brackets) && notional.Cmp(o.D(brackets[i+1][0])) >= 0 {
		i++
	}
	return i
}

// binanceLP is the liquidation price of an isolated BTCUSDT position of
// qty BTC (negative: short) entered at ep with leverage lev, by Binance's
// published formula LP = (WB + cum - s*N*EP)/(N*MMR - s*N), WB = N*EP/lev
// the isolated wallet, solved in each bracket and kept where the notional
// N*LP at the answer lies in that bracket; nil when it is not positive
// (no price liquidates the position).
func binanceLP(o *golden.Oracle, qty, ep *apd.Decimal, lev int64) *apd.Decimal {
	n := new(apd.Decimal).Abs(qty)
	s := o.D("1")
	if qty.Negative {
		s = o.D("-1")
	}
	wb := o.Quo(o.Mul(n, ep), o.D(strconv.FormatInt(lev, 10)))
	for i, b := range brackets {
		lp := o.Quo(o.Sub(o.Add(wb, o.D(b[3])), o.Mul(s, o.Mul(n, ep))), o.Sub(o.Mul(n, o.D(b[1])), o.Mul(s, n)))
		if lp.Sign() <= 0 {
			if i == 0 {
				return nil // the first bracket's answer is at or below 0
			}
			continue
		}
		if bracketOf(o, o.Mul(n, lp)) == i {
			return lp
		}
	}
	o.T.Fatalf("no bracket holds the liquidation price of %s at %dx", qty.Text('f'), lev)
	return nil
}

// bitmexLP is the liquidation price of an isolated XBTUSD position at
// leverage lev, by the closed form for BitMEX isolated inverse positions
// (maintenance 0.5%, the fee reserve in both the margin and the
// maintenance): long EP/(1 + 1/lev - MMR), rounded up to the tick 0.5,
// short EP/(1 - 1/lev + MMR), rounded down; nil for a short at 1x, which
// BitMEX never liquidates.
func bitmexLP(o *golden.Oracle, short bool, ep *apd.Decimal, lev int64) *apd.Decimal {
	one, mmr, inv := o.D("1"), o.D("0.005"), o.Quo(o.D("1"), o.D(strconv.FormatInt(lev, 10)))
	if !short {
		return o.Round(o.Quo(ep, o.Sub(o.Add(one, inv), mmr)), o.D("0.5"), apd.RoundCeiling)
	}
	if lev <= 1 {
		return nil
	}
	return o.Round(o.Quo(ep, o.Add(o.Sub(one, inv), mmr)), o.D("0.5"), apd.RoundFloor)
}

// checkSVG reads the picture back into numbers, through the axes' tick
// labels, and recomputes every point at 50 digits by the published
// formulas, within a quarter of a pixel (what printing coordinates to 0.1
// px allows): each of the six curves (the small and the large BTCUSDT
// position and the XBTUSD one, long and short) must have a point at every
// whole leverage from 1x (2x where 1x liquidates at no price) to the
// position's maximum, and no other: 125x for 0.1 BTC (5,000 USDT, the
// first bracket), the bracket's 25x for 300 BTC (15,000,000 USDT), 100x
// for XBTUSD; each point at (LP - EP)/EP. The refusal is marked at the
// large position's maximum leverage, on both of its curves' ends. The
// title, the axis labels, the refusal's label and the desc's numbers
// (every curve at 10x and at its last leverage) must be there.
func checkSVG(t *testing.T, data []byte) {
	t.Helper()
	o := golden.NewOracle(t)
	svg := golden.ReadSVG(t, data)
	byID, in := svg.ByID, svg.In
	x := golden.FitAxis(t, o, in["xgrid"], in["xlabels"], "x1", "x", 1)
	y := golden.FitAxis(t, o, in["ygrid"], in["ylabels"], "y1", "%", 100)
	tolX, tolY := 0.25/math.Abs(x.B), 0.25/math.Abs(y.B)
	f := func(d *apd.Decimal) float64 { v, _ := d.Float64(); return v }
	ep := o.D("50000")
	all := svg.Text

	type position struct {
		id, qty string
		binance bool
		maxLev  int64
	}
	var ends [][2]float64 // the large position's curves' last points
	for _, p := range []position{
		{"small", "0.1", true, 125}, {"large", "300", true, 0}, {"bitmex", "10000", false, 100},
	} {
		if p.maxLev == 0 {
			n := o.Mul(o.D(p.qty), ep)
			p.maxLev, _ = strconv.ParseInt(brackets[bracketOf(o, n)][2], 10, 64)
		}
		for _, short := range []bool{false, true} {
			id, word := p.id+"-long", "long"
			if short {
				id, word = p.id+"-short", "short"
			}
			path := byID[id]
			if path == nil {
				t.Fatalf("the SVG has no path %q", id)
			}
			vs := golden.Vertices(t, path, x, y)
			lp := func(lev int64) *apd.Decimal {
				if p.binance {
					qty := o.D(p.qty)
					if short {
						qty.Neg(qty)
					}
					return binanceLP(o, qty, ep, lev)
				}
				return bitmexLP(o, short, ep, lev)
			}
			dist := func(lev int64) *apd.Decimal { return o.Quo(o.Sub(lp(lev), ep), ep) }
			i := 0
			for lev := int64(1); lev <= p.maxLev; lev++ {
				if lp(lev) == nil {
					continue
				}
				if i >= len(vs) {
					t.Fatalf("path %s ends at %.2fx, want %dx", id, vs[len(vs)-1][0], p.maxLev)
				}
				name := fmt.Sprintf("path %s at %dx", id, lev)
				if math.Abs(vs[i][0]-float64(lev)) > tolX {
					t.Fatalf("%s: the point is at %.3fx", name, vs[i][0])
				}
				if want := f(dist(lev)); math.Abs(vs[i][1]-want) > tolY {
					t.Errorf("%s: the picture shows %.4f%%, want %.4f%%", name, 100*vs[i][1], 100*want)
				}
				i++
			}
			if i != len(vs) {
				t.Errorf("path %s has %d points, want %d (to %dx)", id, len(vs), i, p.maxLev)
			}
			if p.id == "large" {
				ends = append(ends, vs[len(vs)-1])
			}
			// The desc: "the long -9.64% at 10x and -0.40% at 125x".
			pct := func(lev int64) string {
				var z apd.Decimal
				if _, err := o.Ctx.Quantize(&z, o.Mul(dist(lev), o.D("100")), -2); err != nil {
					t.Fatal(err)
				}
				if z.Negative {
					return z.Text('f')
				}
				return "+" + z.Text('f')
			}
			if want := fmt.Sprintf("the %s %s%% at 10x and %s%% at %dx", word, pct(10), pct(p.maxLev), p.maxLev); !strings.Contains(byID["desc"].Text, want) {
				t.Errorf("the desc lacks %q:\n%s", want, byID["desc"].Text)
			}
		}
	}

	// The refusal: a line at the large position's maximum leverage, and a
	// ring at each of its curves' ends.
	var lines, rings []*golden.Element
	for _, e := range in["refused"] {
		switch e.Name {
		case "line":
			lines = append(lines, e)
		case "circle":
			rings = append(rings, e)
		}
	}
	if len(lines) != 1 || len(rings) != 2 {
		t.Fatalf("%d refusal lines and %d rings, want 1 and 2", len(lines), len(rings))
	}
	if lev := x.Value(lines[0].Num(t, "x1")); math.Abs(lev-25) > tolX {
		t.Errorf("the refusal line is at %.3fx, want 25x", lev)
	}
	for i, r := range rings {
		if gx, gy := x.Value(r.Num(t, "cx")), y.Value(r.Num(t, "cy")); math.Abs(gx-ends[i][0]) > tolX || math.Abs(gy-ends[i][1]) > tolY {
			t.Errorf("ring %d at (%.3fx, %.4f%%), the curve ends at (%.3fx, %.4f%%)", i, gx, 100*gy, ends[i][0], 100*ends[i][1])
		}
	}

	for _, want := range []string{
		"Liquidation price against leverage, Binance BTCUSDT and BitMEX XBTUSD", // title
		"leverage (x) of an isolated position entered at 50,000", "liquidation price - entry (% of the entry)",
		"Binance refuses 26x and more for 300 BTC:", "15,000,000 USDT is in the 2% bracket, at most 25x",
		"Binance BTCUSDT 0.1 BTC (5,000 USDT): bracket of 0.4%, at most 125x",
		"BitMEX XBTUSD 10,000 contracts (0.2 XBT), maintenance 0.5%, to 100x",
		"shorts: liquidated above the entry", "longs: liquidated below the entry",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("the SVG has no text %q", want)
		}
	}
}
