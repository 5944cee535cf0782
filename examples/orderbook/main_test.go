package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/examples/internal/golden"
)

func TestGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := run(&buf, nil); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	golden.Check(t, out)
	verify(t, out)
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-leverage", "0.5"},
		{"-margin", "0"},
		{"-index", "0"},
		{"-margin", "x"},
		{"-margin", "100000"}, // more than both sides of the book hold
	} {
		if err := run(&bytes.Buffer{}, args); err == nil {
			t.Errorf("run(%q) = nil, want an error", args)
		}
	}
	// A bad value's error names its flag, and nothing is printed.
	for _, c := range []struct {
		args []string
		flag string
	}{
		{[]string{"-index", "-1"}, "-index -1"},
		{[]string{"-index", "0"}, "-index 0"},
		{[]string{"-leverage", "1e18"}, "-leverage 1e18"},
		{[]string{"-margin", "100000"}, "-margin 100000"},
	} {
		var out bytes.Buffer
		err := run(&out, c.args)
		if err == nil || !strings.Contains(err.Error(), c.flag) || out.Len() != 0 {
			t.Errorf("run(%q) = %v, printing %d bytes; want an error naming %s, nothing printed", c.args, err, out.Len(), c.flag)
		}
	}
}

// verify checks the session against price-time priority worked out by hand
// from the starting book, and the impact prices and premium against the
// volume-weighted average of exactly 25,000 USDT walked down the final
// ladder, computed here at 50 digits, with the whole lots the walk takes
// (the exact quantity rounded up to the 0.001 lot), the level it reaches,
// the notional in ticks*lots and the spreads of both ladders.
func verify(t *testing.T, out string) {
	t.Helper()
	// The fills, in order: the buy of 0.3 at 65,002.0 takes both orders at
	// 65,001.5 (#101 first, it is older) and 0.130 of #103; the market
	// sell of 0.2 takes #201 at 65,000.0, then the older #202 at 64,999.5.
	wantFills := []string{
		"fill 0.120 BTC @ 65,001.5 against #101, maker filled",
		"fill 0.050 BTC @ 65,001.5 against #102, maker filled",
		"fill 0.130 BTC @ 65,002.0 against #103",
		"fill 0.080 BTC @ 65,000.0 against #201, maker filled",
		"fill 0.120 BTC @ 64,999.5 against #202",
	}
	var gotFills []string
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) > 0 && f[0] == "fill" {
			gotFills = append(gotFills, strings.Join(f, " "))
		}
	}
	if strings.Join(gotFills, "\n") != strings.Join(wantFills, "\n") {
		t.Errorf("fills:\n%s\nwant:\n%s", strings.Join(gotFills, "\n"), strings.Join(wantFills, "\n"))
	}
	for _, want := range []string{
		"queue at 64,998.0, first to trade first: #204 0.100, #207 0.050", // the amend kept #204 first
		"#303 post-only buy 0.100 @ 65,002.0: refused",
		"#304 FOK buy 5.000 @ 65,010.0: refused",
		"price not on the tick",
		"#306 GTC buy 0.250 @ 65,001.0: rests",
		"book after the session: 10 resting orders",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}

	// The final ladder: asks 65,002.0 x 0.070 (what #103 kept), 65,003.5 x
	// 0.150, 65,005.0 x 0.400, 65,008.0 x 1.000; bids 65,001.0 x 0.250 (#306),
	// 64,999.5 x 0.030 (#202; #203 cancelled), 64,998.0 x 0.150 (#204
	// amended to 0.100, #207 0.050), 64,996.5 x 0.300, 64,990.0 x 1.200.
	asks := [][2]string{{"65002.0", "0.070"}, {"65003.5", "0.150"}, {"65005.0", "0.400"}, {"65008.0", "1.000"}}
	bids := [][2]string{{"65001.0", "0.250"}, {"64999.5", "0.030"}, {"64998.0", "0.150"}, {"64996.5", "0.300"}, {"64990.0", "1.200"}}
	_, final, ok := strings.Cut(out, "book after the session")
	if !ok {
		t.Fatal("no final book in the output")
	}
	var ladder []string
	for _, line := range strings.Split(final, "\n") {
		if f := strings.Fields(line); len(f) == 3 && (f[0] == "ask" || f[0] == "bid") {
			ladder = append(ladder, f[0]+" "+strings.ReplaceAll(f[1], ",", "")+" "+f[2])
		}
	}
	var wantLadder []string
	for i := len(asks) - 1; i >= 0; i-- {
		wantLadder = append(wantLadder, "ask "+asks[i][0]+" "+asks[i][1])
	}
	for _, l := range bids {
		wantLadder = append(wantLadder, "bid "+l[0]+" "+l[1])
	}
	if strings.Join(ladder, "\n") != strings.Join(wantLadder, "\n") {
		t.Errorf("final ladder:\n%s\nwant:\n%s", strings.Join(ladder, "\n"), strings.Join(wantLadder, "\n"))
	}

	// Impact prices: 200 USDT at 125x is 25,000 USDT; walk each side best
	// first, taking the last level in part, and divide the notional by the
	// BTC taken.
	ctx := apd.BaseContext.WithPrecision(50)
	ctx.Rounding = apd.RoundHalfEven
	d := func(s string) *apd.Decimal {
		x, _, err := apd.NewFromString(strings.ReplaceAll(s, ",", ""))
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		return x
	}
	must := func(_ apd.Condition, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	notional := d("25000")
	// walk returns the average price of exactly the notional, the quantity
	// in whole lots that covers it, and the last level's price.
	walk := func(levels [][2]string) (avg, lots, worst *apd.Decimal) {
		left, qty := new(apd.Decimal).Set(notional), new(apd.Decimal)
		for _, l := range levels {
			p, q := d(l[0]), d(l[1])
			var v apd.Decimal
			must(ctx.Mul(&v, p, q))
			if v.Cmp(left) >= 0 {
				var part, whole, n apd.Decimal
				must(ctx.Quo(&part, left, p))
				must(ctx.Quo(&n, &part, d("0.001")))
				must(ctx.Ceil(&n, &n))
				must(ctx.Mul(&whole, &n, d("0.001")))
				must(ctx.Add(&whole, qty, &whole))
				must(ctx.Add(qty, qty, &part))
				avg = new(apd.Decimal)
				must(ctx.Quo(avg, notional, qty))
				return avg, &whole, p
			}
			must(ctx.Sub(left, left, &v))
			must(ctx.Add(qty, qty, q))
		}
		t.Fatal("the book is too thin for the notional")
		return nil, nil, nil
	}
	ib, bidLots, bidWorst := walk(bids)
	ia, askLots, askWorst := walk(asks)
	compare := func(name, printed string, want *apd.Decimal) {
		t.Helper()
		got := d(strings.TrimSuffix(printed, "%"))
		var w apd.Decimal
		must(ctx.Quantize(&w, want, got.Exponent))
		if got.Cmp(&w) != 0 {
			t.Errorf("%s: printed %s, want %s (%s)", name, printed, w.Text('f'), want.Text('f'))
		}
	}
	field := func(prefix string, i int) string {
		for _, line := range strings.Split(out, "\n") {
			if rest, ok := strings.CutPrefix(strings.TrimSpace(line), prefix); ok {
				return strings.Fields(rest)[i]
			}
		}
		t.Fatalf("no line %q", prefix)
		return ""
	}
	compare("impact bid", field("impact bid", 0), ib)
	compare("impact ask", field("impact ask", 0), ia)
	// impact bid     65,000.0670 USDT (sells 0.385 BTC into the bids, down to 64,998.0)
	compare("impact bid lots", field("impact bid", 3), bidLots)
	compare("impact bid worst level", strings.TrimSuffix(field("impact bid", 10), ")"), bidWorst)
	compare("impact ask lots", field("impact ask", 3), askLots)
	compare("impact ask worst level", strings.TrimSuffix(field("impact ask", 10), ")"), askWorst)
	// impact notional: 200 USDT of margin at 125x = 25000 USDT = 250000000 ticks*lots,
	// one tick*lot being 0.1 x 0.001 x 1 USDT.
	var ticksLots apd.Decimal
	must(ctx.Mul(&ticksLots, d("0.1"), d("0.001")))
	must(ctx.Quo(&ticksLots, notional, &ticksLots))
	compare("impact notional", field("impact notional:", 7), notional)
	compare("impact notional in ticks*lots", field("impact notional:", 10), &ticksLots)
	// The spreads: best ask less best bid, of the starting book (65,001.5
	// and 65,000.0) and of the final ladder.
	var spread apd.Decimal
	must(ctx.Sub(&spread, d("65001.5"), d("65000.0")))
	compare("starting spread", field("spread", 0), &spread)
	must(ctx.Sub(&spread, d(asks[0][0]), d(bids[0][0])))
	_, after, _ := strings.Cut(out, "book after the session")
	_, after, ok = strings.Cut(after, "spread ")
	if !ok {
		t.Fatal("no spread in the final book")
	}
	compare("final spread", strings.Fields(after)[0], &spread)
	// Premium: (max(0, ib - index) - max(0, index - ia))/index, in percent;
	// here the impact bid is above the index and the ask too.
	index := d("65000")
	var up, premium apd.Decimal
	must(ctx.Sub(&up, ib, index))
	if up.Sign() < 0 || ia.Cmp(index) < 0 {
		t.Fatal("the test assumes impact bid and ask above the index")
	}
	must(ctx.Quo(&premium, &up, index))
	premium.Exponent += 2
	compare("premium", field("with the index at 65,000:", 0), &premium)
}

// TestHelp: -h prints the usage and exits 0; a bad flag exits 2.
func TestHelp(t *testing.T) { golden.Help(t, "orderbook", "margin", run) }
