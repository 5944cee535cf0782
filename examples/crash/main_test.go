package main

import (
	"bytes"
	"flag"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/engine"
	"github.com/derivmath/derivmath/engine/markindex"
	"github.com/derivmath/derivmath/examples/internal/golden"
)

// TestGolden runs the defaults (BitMEX, seed 1), compares the output with
// testdata/golden.txt and the SVG, byte for byte, with crash.svg (the
// picture the README shows; go test -update rewrites both), and recomputes
// the 100x long's numbers by hand, and the book's and ADL's totals of the
// whole crash (verifyBitMEXADL).
func TestGolden(t *testing.T) {
	dir := t.TempDir()
	svgPath := filepath.Join(dir, "crash.svg")
	var buf bytes.Buffer
	if err := run(&buf, []string{"-svg", svgPath}); err != nil {
		t.Fatal(err)
	}
	out := strings.ReplaceAll(buf.String(), dir, "TMP")
	golden.Check(t, out)
	got, err := os.ReadFile(svgPath)
	if err != nil {
		t.Fatal(err)
	}
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		if err := os.WriteFile("crash.svg", got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile("crash.svg")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the SVG differs from crash.svg (run go test -update to accept it)")
	}
	checkSVG(t, got, out)
	o := golden.NewOracle(t)
	verifyHero(o, out, "bitmex")
	verifyHeroStory(o, out)
	verifyFundTakes(o, out)
	verifyBitMEXScore(o, out)
	verifyPrices(o, out)
	verifyMarks(o, out)
	verifyFundLine(o, out)
	verifyConservation(o, out, "bitmex")
	verifyTotals(o, out)
	verifyBitMEXADL(o, out)
}

// TestBinance checks Binance's story: the liquidation price on the value at
// the mark less the bracket's cum, no step-down (its clearance fee would
// leave the long liquidatable), and the clearance fees: each fill pays
// 1.25% of its value rounded up to the cent, but only out of the margin
// left above the bankruptcy price, so the remainder keeps that price for
// ADL.
func TestBinance(t *testing.T) {
	var buf bytes.Buffer
	if err := run(&buf, []string{"-venue", "binance", "-svg", ""}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	o := golden.NewOracle(t)
	verifyHero(o, out, "binance")
	// At the trigger, tick 6 (mark 59,450), the step-down to the first
	// bracket (50,000 at 0.4%, cum 0) would sell q = 1 - floor(50,000/59,450
	// to the lot) = 0.159 at the mark: the loss is already in the equity
	// (550), the fee ceil(1.25%*q*59,450) is not; what is left must exceed
	// 0.4% of the rest's value.
	mark, ep := o.D("59450"), o.D("60000")
	rest := o.Round(o.Quo(o.D("50000"), mark), o.D("0.001"), apd.RoundDown)
	q := o.Sub(o.D("1"), rest)
	eq := o.Sub(o.D("600"), ep)
	eq = o.Add(eq, mark)
	left := o.Sub(eq, o.Round(o.Mul(o.D("0.0125"), o.Mul(q, mark)), o.D("0.01"), apd.RoundCeiling))
	if left.Cmp(o.Mul(o.D("0.004"), o.Mul(rest, mark))) > 0 {
		t.Errorf("by hand the step-down of %s restores the long (%s left)", q.Text('f'), left.Text('f'))
	} else if !strings.Contains(out, "S4 step-down  none: after the fill's loss and 1.25% clearance fee") {
		t.Errorf("a step-down that leaves the long liquidatable (%s left, at most 0.4%% of %s)", left.Text('f'), rest.Text('f'))
	}
	verifyClearanceFees(o, out, "binance", "0.0125")
	verifyConservation(o, out, "binance")
}

// TestDeribit checks Deribit's clearance fees (0.75%, capped like
// Binance's) and the ADL of the remainder at the bankruptcy price.
func TestDeribit(t *testing.T) {
	var buf bytes.Buffer
	if err := run(&buf, []string{"-venue", "deribit", "-svg", ""}); err != nil {
		t.Fatal(err)
	}
	o := golden.NewOracle(t)
	verifyClearanceFees(o, buf.String(), "deribit", "0.0075")
	verifyConservation(o, buf.String(), "deribit")
}

// verifyClearanceFees recomputes the 100x long's clearance fee lines and
// its ADL price for a venue where the account closes itself at P_B.
func verifyClearanceFees(o *golden.Oracle, out, venue, rate string) {
	o.T.Helper()
	t := o.T
	s, err := simulate(venue, 1, 300)
	if err != nil {
		t.Fatal(err)
	}
	// Each fee line is the sum over the fills it follows of
	// min(ceil(rate * q * p), margin left above P_B): for the long (Q 1
	// at 60,000, P_B 59,400, no step-down) a fill of q at p, booked at
	// its value rounded half-up to the cent, frees value - q*P_B; the fees
	// already paid come out of it.
	ch := &s.story[0]
	pb := o.D("59400")
	var fees []*apd.Decimal
	sum, above := o.D("0"), o.D("0")
	for k := range ch.events {
		e := &ch.events[k]
		switch {
		case e.Kind == engine.Trade && e.Counterparty == s.street:
			q := o.Neg(&e.Qty)
			above = o.Add(above, o.Sub(o.Round(o.Mul(q, &e.Price), o.D("0.01"), apd.RoundHalfUp), o.Mul(q, pb)))
			fee := o.Round(o.Mul(o.D(rate), o.Mul(q, &e.Price)), o.D("0.01"), apd.RoundCeiling)
			if fee.Cmp(above) > 0 {
				fee = above
			}
			above = o.Sub(above, fee)
			sum = o.Add(sum, fee)
		case e.Kind == engine.Move && (e.Why == engine.ClearanceFee || e.Why == engine.Realised):
		case sum.Sign() > 0:
			fees = append(fees, sum)
			sum = o.D("0")
		}
	}
	if sum.Sign() > 0 {
		fees = append(fees, sum)
	}
	lines := regexp.MustCompile(`clearance fee, `+regexp.QuoteMeta(pct(o.D(rate)))+` of the fills' value(?: \([0-9,.]+\), capped at the margin left\s+above the bankruptcy price)?, to the fund: \+([0-9,.]+)`).FindAllStringSubmatch(out, -1)
	if len(lines) != len(fees) || len(lines) == 0 {
		t.Fatalf("%d fee lines, want %d", len(lines), len(fees))
	}
	for k, m := range lines {
		o.Compare("clearance fee", m[1], fees[k])
	}
	// The remainder keeps P_B: ADL closes it there, below the mark.
	adl := regexp.MustCompile(`at its bankruptcy price ([0-9,.]+),\n`).FindStringSubmatch(out)
	if adl == nil {
		t.Fatal("no ADL at the bankruptcy price")
	}
	o.Compare("ADL price", adl[1], pb)
}

// TestVenues runs every venue of the flag list: no error, the total
// conserved exactly (recomputed here from the traders' ledgers), the
// quantities summing to zero, the summary's totals against the tick table
// (verifyTotals: on Hyperliquid, Drift and GMX the fund's lowest is not its
// opening balance, which BitMEX's golden run never shows), and no SVG
// written with -svg "".
func TestVenues(t *testing.T) {
	for _, v := range venues {
		t.Run(v.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir)
			var buf bytes.Buffer
			if err := run(&buf, []string{"-venue", v.name, "-seed", "3", "-svg", ""}); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			if !strings.Contains(out, "equal to the cent; net quantity 0.000") {
				t.Errorf("no conservation line")
			}
			o := golden.NewOracle(t)
			verifyHero(o, out, v.name)
			verifyTotals(o, out)
			if entries, err := os.ReadDir(dir); err != nil || len(entries) != 0 {
				t.Errorf("-svg \"\" wrote %v (%v)", entries, err)
			}
			s, err := newSim(v.preset(), 3, 300)
			if err != nil {
				t.Fatal(err)
			}
			before := ledgers(o, s)
			s.onTick = indexMatchesScan(t, s)
			if err := s.replay(); err != nil {
				t.Fatal(err)
			}
			if after := ledgers(o, s); after.Cmp(before) != 0 {
				t.Errorf("total %s before, %s after", before.Text('f'), after.Text('f'))
			}
			if len(s.liqs) == 0 {
				t.Errorf("nobody liquidated")
			}
			checkSVG(t, []byte(s.plot(v.name)), out)
		})
	}
}

// indexMatchesScan returns a sim.onTick that checks the summary's claim
// that the index's keys fire at most one tick early, never late: on each
// tick the accounts the index returned that the engine's exact check
// (Trigger, which the driver runs as S2) confirms are exactly the accounts
// a scan of every open position finds liquidatable at that mark. Both run
// on a clone, so the replay is unchanged.
func indexMatchesScan(t *testing.T, s *sim) func(int, *apd.Decimal, []markindex.ID) error {
	t.Helper()
	return func(tick int, mark *apd.Decimal, hits []markindex.ID) error {
		c := s.st.Clone()
		liquidatable := func(i int) (bool, error) {
			if tr := c.Trader(i); tr.Qty.IsZero() || tr.Liquidating {
				return false, nil
			}
			_, ok, err := c.Trigger(nil, i)
			return ok, err
		}
		confirmed := map[int]bool{}
		for _, id := range hits {
			ok, err := liquidatable(int(id))
			if err != nil {
				return err
			}
			if ok {
				confirmed[int(id)] = true
			}
		}
		var missed []int
		for i := 0; i < c.Len(); i++ {
			if confirmed[i] {
				continue
			}
			ok, err := liquidatable(i)
			if err != nil {
				return err
			}
			if ok {
				missed = append(missed, i)
			}
		}
		if len(missed) > 0 {
			t.Errorf("tick %d, mark %s: the index missed liquidatable accounts %v (confirmed %d of %d hits)", tick, mark.String(), missed, len(confirmed), len(hits))
		}
		return nil
	}
}

// TestDeterministic: the same seed gives the same page; another seed
// another population.
func TestDeterministic(t *testing.T) {
	page := func(args ...string) string {
		var buf bytes.Buffer
		if err := run(&buf, append(args, "-svg", "")); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	if a, b := page("-seed", "9"), page("-seed", "9"); a != b {
		t.Errorf("two runs with seed 9 differ")
	}
	if a, b := page("-seed", "9"), page("-seed", "10"); a == b {
		t.Errorf("seeds 9 and 10 give the same page")
	}
}

// TestVenueCase: a venue's name is read in any case, as
// examples/liquidation reads its -venue, and the page is the same.
func TestVenueCase(t *testing.T) {
	var lower, mixed bytes.Buffer
	if err := run(&lower, []string{"-venue", "okx", "-accounts", "40", "-svg", ""}); err != nil {
		t.Fatal(err)
	}
	if err := run(&mixed, []string{"-venue", "OKX", "-accounts", "40", "-svg", ""}); err != nil {
		t.Fatalf("-venue OKX: %v", err)
	}
	if lower.String() != mixed.String() {
		t.Errorf("-venue OKX and -venue okx print different pages")
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-venue", "nowhere"},
		{"-accounts", "4"},
		{"-accounts", "301"},
		{"-seed", "x"},
		{"extra"},
	} {
		if err := run(&bytes.Buffer{}, append(args, "-svg", "")); err == nil {
			t.Errorf("run(%q) = nil, want an error", args)
		}
	}
}

// first returns the text after prefix on the first line that has it, up to
// the next character in stop.
func first(t *testing.T, out, prefix, stop string) string {
	t.Helper()
	i := strings.Index(out, prefix)
	if i < 0 {
		t.Fatalf("no %q in the output", prefix)
	}
	rest := out[i+len(prefix):]
	if j := strings.IndexAny(rest, stop); j >= 0 {
		rest = rest[:j]
	}
	return strings.TrimSpace(rest)
}

// verifyHero recomputes the 100x long's liquidation and bankruptcy prices
// at 50 digits: long Q = 1 at EP = 60,000 with margin M = 600.
//
//	Binance (on the value at the mark):  P_L = (Q*EP - M - cum)/(Q*(1 - MMR))
//	BitMEX (MMR*|cost| up to the cent), Bybit (on the value at entry):
//	                                      P_L = EP - (M - MMR*Q*EP)/Q
//	bankruptcy:                           P_B = EP - M/Q
//
// rounded up to the 0.1 tick (toward the entry) where the venue rounds.
// Binance's cum is 50: BTCUSDT's bracket for a value of 60,000 is the
// second, 50,000 to 600,000 at 0.5% with a cum of 50 (Binance's leverage
// brackets); the other venues have none.
func verifyHero(o *golden.Oracle, out, venue string) {
	o.T.Helper()
	q, ep, m, mmr := o.D("1"), o.D("60000"), o.D("600"), o.D("0.005")
	var liq *apd.Decimal
	switch venue {
	case "bitmex":
		maint := o.Round(o.Mul(mmr, o.Mul(q, ep)), o.D("0.01"), apd.RoundCeiling)
		liq = o.Sub(ep, o.Quo(o.Sub(m, maint), q))
	case "bybit":
		liq = o.Sub(ep, o.Quo(o.Sub(m, o.Mul(mmr, o.Mul(q, ep))), q))
	case "binance":
		liq = o.Quo(o.Sub(o.Sub(o.Mul(q, ep), m), o.D("50")), o.Mul(q, o.Sub(o.D("1"), mmr)))
	default:
		liq = o.Quo(o.Sub(o.Mul(q, ep), m), o.Mul(q, o.Sub(o.D("1"), mmr)))
	}
	bank := o.Sub(ep, o.Quo(m, q))
	if venue == "bitmex" || venue == "bybit" {
		bank = o.Round(bank, o.D("0.1"), apd.RoundCeiling)
	}
	o.Compare(venue+" liquidation price", first(o.T, out, "  liquidation  ", ":"), liq)
	o.Compare(venue+" bankruptcy price", first(o.T, out, "  bankruptcy   ", ":"), bank)
	// The first tick at or below P_L triggers it (the mark path is fixed).
	trig := first(o.T, out, "\ntick ", ",")
	for tk := range ticks() {
		if o.D(itoa(at(markPath, tk, spacing))).Cmp(liq) <= 0 {
			if trig != itoa(int64(tk)) {
				o.T.Errorf("%s: triggered at tick %s, want %d, the first mark at or below %s", venue, trig, tk, liq.Text('f'))
			}
			break
		}
	}
}

// verifyHeroStory recomputes by hand the rest of the 100x long's page
// under BitMEX's rules: long Q = 1 at EP = 60,000, margin EP*Q/100, a buy
// of 0.5 at 58,000 holding order margin at 100x (the sell of 1 at 62,000
// reduces the position and holds none), MMR 0.5% of the value at entry,
// P_L 59,700 and P_B 59,400 (verifyHero); then, at the first mark at or
// below P_L, the trigger's equity margin + Q*(mark - EP) against
// MMR*Q*EP, the fund's sale into the book (its quantity, its average fill
// price sum(q*p)/sum(q), the number of price levels and the first and
// last fill prices, from the fills), the rest unfilled, and the ADL
// ranking's closes, each winner in rank order closing min(|position|,
// what is left); and the fund's opening balance, 0.5% of the open
// interest's value at 60,000 (the longs' quantities), whole USDT.
func verifyHeroStory(o *golden.Oracle, out string) {
	o.T.Helper()
	t := o.T
	q, ep, lev, mmr := o.D("1"), o.D("60000"), o.D("100"), o.D("0.005")
	margin := o.Quo(o.Mul(q, ep), lev)
	m := regexp.MustCompile(`\n  position     long ([0-9.]+) BTC at ([0-9,.]+), isolated margin ([0-9,.]+) \(100x: 1% of ([0-9,.]+)\)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatal("no position line")
	}
	o.Compare("position quantity", m[1], q)
	o.Compare("position entry", m[2], ep)
	o.Compare("isolated margin", m[3], margin)
	o.Compare("position value", m[4], o.Mul(q, ep))
	om := o.Quo(o.Mul(o.D("0.5"), o.D("58000")), lev)
	o.Compare("order margin", first(t, out, "(order margin ", ")"), om)
	m = regexp.MustCompile(`the long is ([0-9.]+)% from liquidation and ([0-9.]+)% from bankruptcy`).FindStringSubmatch(out)
	if m == nil {
		t.Fatal("no distance line")
	}
	hundred := o.D("100")
	o.Compare("distance to liquidation", m[1], o.Mul(o.Quo(o.Sub(ep, o.D("59700")), ep), hundred))
	o.Compare("distance to bankruptcy", m[2], o.Mul(o.Quo(o.Sub(ep, o.D("59400")), ep), hundred))

	mark := o.Number(first(t, out, "\ntick 5, mark ", ":"))
	m = regexp.MustCompile(`S2 trigger    equity ([0-9,.]+) <= maintenance ([0-9,.]+) at the mark`).FindStringSubmatch(out)
	if m == nil {
		t.Fatal("no trigger line")
	}
	o.Compare("equity at the trigger", m[1], o.Add(margin, o.Mul(q, o.Sub(mark, ep))))
	o.Compare("maintenance at the trigger", m[2], o.Mul(mmr, o.Mul(q, ep)))
	m = regexp.MustCompile(`S3 cancel .*\(([0-9,.]+) of order margin released\)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatal("no cancel line")
	}
	o.Compare("order margin released", m[1], om)

	s, err := simulate("bitmex", 1, 300)
	if err != nil {
		t.Fatal(err)
	}
	ch := &s.story[0]
	sold, value := o.D("0"), o.D("0")
	var hi, lo *apd.Decimal
	prices := map[string]bool{}
	for k := range ch.events {
		e := &ch.events[k]
		if e.Kind != engine.Trade || e.Trader != engine.Fund || e.Counterparty != s.street {
			continue
		}
		qty := o.Neg(&e.Qty)
		sold = o.Add(sold, qty)
		value = o.Add(value, o.Mul(qty, &e.Price))
		prices[e.Price.Text('f')] = true
		if hi == nil || e.Price.Cmp(hi) > 0 {
			hi = &e.Price
		}
		if lo == nil || e.Price.Cmp(lo) < 0 {
			lo = &e.Price
		}
	}
	if hi == nil {
		t.Fatal("the fund sold nothing into the book")
	}
	m = regexp.MustCompile(`the book fills ([0-9.]+) BTC at an average ([0-9,.]+) \((\d+) levels, ([0-9,.]+) to ([0-9,.]+)\)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatal("no book fill line")
	}
	o.Compare("quantity the book took", m[1], sold)
	o.Compare("average fill price", m[2], o.Quo(value, sold))
	o.Compare("price levels filled", m[3], o.D(strconv.Itoa(len(prices))))
	o.Compare("first fill price", m[4], hi)
	o.Compare("last fill price", m[5], lo)
	left := o.Sub(q, sold)
	m = regexp.MustCompile(`\n\s+([0-9.]+) BTC unfilled: the order closes`).FindStringSubmatch(out)
	if m == nil {
		t.Fatal("no unfilled line")
	}
	o.Compare("unfilled", m[1], left)
	rows := regexp.MustCompile(`(?m)^\s+\d+\s+\d+\s+(-[0-9.]+)\s+\+[0-9,.]+\s+[0-9.]+\s+([0-9.]+)$`).FindAllStringSubmatch(out, -1)
	if len(rows) == 0 {
		t.Fatal("no ADL ranking rows")
	}
	for k, r := range rows {
		closes := o.Neg(o.Number(r[1]))
		if closes.Cmp(left) > 0 {
			closes = left
		}
		o.Compare("ADL rank "+strconv.Itoa(k+1)+" closes", r[2], closes)
		left = o.Sub(left, closes)
	}
	if left.Sign() != 0 {
		t.Errorf("the ranked winners close all but %s BTC of the fund's remainder", left.Text('f'))
	}

	s, err = newSim(engine.PresetBitMEX(), 1, 300)
	if err != nil {
		t.Fatal(err)
	}
	longs := o.D("0")
	for i := 0; i < s.st.Len(); i++ {
		if tr := s.st.Trader(i); tr.Qty.Sign() > 0 {
			longs = o.Add(longs, &tr.Qty)
		}
	}
	fund := o.Round(o.Mul(o.Mul(longs, ep), mmr), o.D("1"), apd.RoundDown)
	o.Compare("fund at the start", first(t, out, "the insurance fund opens with ", " "), fund)
}

// verifyFundTakes recomputes BitMEX's fund delta for the 100x long: the
// fund takes the long at P_B, when the margin (600) is exactly its loss
// (no surplus), sells what the book takes at prices p_i (each trade's
// value rounded half-up to the cent) and ADLs the rest at P_B, which gains
// nothing: delta = sum(q_i*p_i) - (sum q_i)*P_B.
func verifyFundTakes(o *golden.Oracle, out string) {
	o.T.Helper()
	s, err := simulate("bitmex", 1, 300)
	if err != nil {
		o.T.Fatal(err)
	}
	ch := &s.story[0]
	pb := o.D("59400")
	delta, sold := o.D("0"), o.D("0")
	for k := range ch.events {
		e := &ch.events[k]
		if e.Kind != engine.Trade || e.Trader != engine.Fund || e.Counterparty != s.street {
			continue
		}
		q := o.Neg(&e.Qty)
		delta = o.Add(delta, o.Round(o.Mul(q, &e.Price), o.D("0.01"), apd.RoundHalfUp))
		sold = o.Add(sold, q)
	}
	delta = o.Sub(delta, o.Mul(sold, pb))
	printed := regexp.MustCompile(`\n  fund          [0-9,.]+ -> [0-9,.]+ \(([-+][0-9,.]+)\)`).FindStringSubmatch(out)
	if printed == nil {
		o.T.Fatal("no fund line in the 100x long's story")
	}
	o.Compare("fund delta", printed[1], delta)
	o.Compare("fund's sales less their cost at P_B", first(o.T, out, "the fund's sales less their cost at the bankruptcy price: ", "\n"), delta)
	adl := o.Sub(o.D("1"), sold)
	left := regexp.MustCompile(`the fund's ([0-9.]+) BTC left are closed`).FindStringSubmatch(out)
	if left == nil {
		o.T.Fatal("no ADL of the fund's remainder")
	}
	o.Compare("ADL quantity", left[1], adl)
}

// verifyBitMEXScore recomputes every ADL row of the 100x long's story from
// the winner's account before the crash (the 100x long is the first
// liquidation, so the shorts are untouched until then): PNL% = (V(mark) -
// cost)/|cost|, EffLev = |V(mark)|/(V(mark) - V(P_B)) with V(P_B) = cost -
// wallet, score PNL% * EffLev; V(P) = Q*P for this linear contract. The
// rows are in descending score order, and the count of shorts ranked below
// them is the shorts before the crash (all cross) less the rows.
func verifyBitMEXScore(o *golden.Oracle, out string) {
	o.T.Helper()
	rows := regexp.MustCompile(`(?m)^\s+(\d+)\s+(\d+)\s+(-[0-9.]+)\s+\+([0-9,.]+)\s+([0-9.]+)\s+([0-9.]+)$`).FindAllStringSubmatch(out, -1)
	if rows == nil {
		o.T.Fatal("no ADL ranking row")
	}
	s, err := newSim(engine.PresetBitMEX(), 1, 300)
	if err != nil {
		o.T.Fatal(err)
	}
	mark := o.Number(first(o.T, out, "\ntick 5, mark ", ":"))
	var prev *apd.Decimal
	for k, row := range rows {
		o.Compare("rank", row[1], o.D(strconv.Itoa(k+1)))
		idx := int(o.D(row[2]).Coeff.Int64())
		tr := s.st.Trader(idx)
		if tr.Mode != account.Cross {
			o.T.Fatalf("winner %d is not a cross short", idx)
		}
		vm := o.Mul(&tr.Qty, mark)
		cost := &tr.Cost
		pnl := o.Quo(o.Sub(vm, cost), new(apd.Decimal).Abs(cost))
		lev := o.Quo(new(apd.Decimal).Abs(vm), o.Sub(vm, o.Sub(cost, &tr.Wallet)))
		score := o.Mul(pnl, lev)
		o.Compare("position", row[3], &tr.Qty)
		o.Compare("uPnL", row[4], o.Sub(vm, cost))
		o.Compare("score", row[5], score)
		if prev != nil && score.Cmp(prev) > 0 {
			o.T.Errorf("ADL row %d scores %s, above the row before it", k+1, score.Text('f'))
		}
		prev = score
	}
	shorts := 0
	for i := 0; i < s.st.Len(); i++ {
		if s.st.Trader(i).Qty.Negative {
			shorts++
		}
	}
	o.Compare("shorts ranked below", first(o.T, out, "               (", " "), o.D(strconv.Itoa(shorts-len(rows))))
}

// verifyPrices checks the prices BitMEX's story quotes for the 100x long:
// the fund takes it over, its order's limit and the ADL of the remainder
// are all at P_B = EP - margin/Q = 60,000 - 600 (verifyHero).
func verifyPrices(o *golden.Oracle, out string) {
	o.T.Helper()
	pb := o.Sub(o.D("60000"), o.D("600"))
	m := regexp.MustCompile(`over at the bankruptcy price ([0-9,.]+)\n.*BTC, limit ([0-9,.]+), the bankruptcy price\n(?s:.*)at its bankruptcy price ([0-9,.]+),\n`).FindStringSubmatch(out)
	if m == nil {
		o.T.Fatal("no takeover, order and ADL prices")
	}
	o.Compare("takeover price", m[1], pb)
	o.Compare("order limit", m[2], pb)
	o.Compare("ADL price", m[3], pb)
}

// verifyMarks recomputes the crash's marks by hand from its waypoints, at
// 50 digits: between waypoints (t0, v0) and (t1, v1), the point on the line,
// v0 + (v1 - v0)(t - t0)/(t1 - t0), rounded down to 10 USDT; the set-up
// line's start, bottom and end, and the mark of every row of the
// tick-by-tick table.
func verifyMarks(o *golden.Oracle, out string) {
	o.T.Helper()
	mark := func(t int64) *apd.Decimal { return markAt(o, t) }
	m := regexp.MustCompile(`the crash  mark ([0-9,]+) -> ([0-9,]+) at tick (\d+) -> ([0-9,]+) over (\d+) ticks`).FindStringSubmatch(out)
	if m == nil {
		o.T.Fatal("no crash line")
	}
	o.Compare("start mark", m[1], mark(0))
	o.Compare("bottom mark", m[2], o.D("52150"))
	o.Compare("bottom tick", m[3], o.D("30"))
	o.Compare("end mark", m[4], mark(56))
	o.Compare("ticks", m[5], o.D("57"))
	_, table, _ := strings.Cut(out, "Tick by tick")
	rows := regexp.MustCompile(`(?m)^\s+(\d+)\s+([0-9,]+)\s+\d+\s+\d+\s+[0-9.]+\s+[0-9,.]+$`).FindAllStringSubmatch(table, -1)
	if rows == nil {
		o.T.Fatal("no rows in the tick-by-tick table")
	}
	for _, r := range rows {
		tk, err := strconv.ParseInt(r[1], 10, 64)
		if err != nil {
			o.T.Fatal(err)
		}
		o.Compare("mark at tick "+r[1], r[2], mark(tk))
	}
}

// verifyFundLine checks the 100x long's fund line in absolute terms: it
// starts at the fund's opening balance (the long is the first liquidation),
// ends at that plus the delta (verifyFundTakes recomputes the delta), and,
// the long being the only account at its tick, the table's fund at that
// tick is the same.
func verifyFundLine(o *golden.Oracle, out string) {
	o.T.Helper()
	m := regexp.MustCompile(`\n  fund          ([0-9,.]+) -> ([0-9,.]+) \(([-+][0-9,.]+)\)`).FindStringSubmatch(out)
	if m == nil {
		o.T.Fatal("no fund line in the 100x long's story")
	}
	start := o.Number(first(o.T, out, "the insurance fund opens with ", " "))
	o.Compare("fund before the long", m[1], start)
	end := o.Add(start, o.Number(m[3]))
	o.Compare("fund after the long", m[2], end)
	row := regexp.MustCompile(`(?m)^\s+5\s+[0-9,]+\s+1\s+1\s+[0-9.]+\s+([0-9,.]+)$`).FindStringSubmatch(out)
	if row == nil {
		o.T.Fatal("no table row for tick 5 with the long alone")
	}
	o.Compare("table's fund at tick 5", row[1], end)
}

// ledgers sums every ledger from the traders' fields: wallets and margins
// less position costs, the fund's included, plus the fund and the fees.
func ledgers(o *golden.Oracle, s *sim) *apd.Decimal {
	sum := o.D("0")
	for i := engine.Fund; i < s.st.Len(); i++ {
		t := s.st.Trader(i)
		sum = o.Sub(o.Add(o.Add(sum, &t.Wallet), &t.Margin), &t.Cost)
	}
	var fees apd.Decimal
	s.st.FeeBalance(&fees)
	return o.Add(sum, &fees)
}

// verifyConservation checks the printed totals against a sum of the
// traders' ledgers made here, before and after the crash.
func verifyConservation(o *golden.Oracle, out, venue string) {
	o.T.Helper()
	var p *engine.Preset
	for _, v := range venues {
		if v.name == venue {
			p = v.preset()
		}
	}
	s, err := newSim(p, 1, 300)
	if err != nil {
		o.T.Fatal(err)
	}
	before := ledgers(o, s)
	if err := s.replay(); err != nil {
		o.T.Fatal(err)
	}
	after := ledgers(o, s)
	m := regexp.MustCompile(`\n\s+([0-9,.]+) before, ([0-9,.]+) after: equal to the cent`).FindStringSubmatch(out)
	if m == nil {
		o.T.Fatal("no conservation line")
	}
	o.Compare("total before", m[1], before)
	o.Compare("total after", m[2], after)
}

// verifyTotals checks the summary against the tick-by-tick table: the
// accounts the index returned, the liquidations (longs and shorts) and the
// BTC of ADL are the sums of its columns, the fund at the end is its
// last row's, and the lowest fund is the least of the opening balance and
// the rows' (tick 0 for the opening balance).
func verifyTotals(o *golden.Oracle, out string) {
	o.T.Helper()
	_, table, ok := strings.Cut(out, "Tick by tick")
	table, _, ok2 := strings.Cut(table, "The whole crash")
	if !ok || !ok2 {
		o.T.Fatal("no tick-by-tick table")
	}
	row := regexp.MustCompile(`(?m)^\s+(\d+)\s+([0-9,]+)\s+(\d+)\s+(\d+)\s+([0-9.]+)\s+([0-9,.]+)$`)
	var index, liquidated, adl apd.Decimal
	last, lowTick := "", "0"
	low := o.Number(first(o.T, out, "the insurance fund opens with ", " "))
	for _, m := range row.FindAllStringSubmatch(table, -1) {
		if f := o.Number(m[6]); f.Cmp(low) < 0 {
			low, lowTick = f, m[1]
		}
		index.Set(o.Add(&index, o.Number(m[3])))
		liquidated.Set(o.Add(&liquidated, o.Number(m[4])))
		adl.Set(o.Add(&adl, o.Number(m[5])))
		last = m[6]
	}
	if last == "" {
		o.T.Fatal("no rows in the tick-by-tick table")
	}
	find := func(re string) []string {
		m := regexp.MustCompile(re).FindStringSubmatch(out)
		if m == nil {
			o.T.Fatalf("no summary line %s", re)
		}
		return m
	}
	o.Compare("accounts the index returned", find(`index\s+returned (\d+) accounts`)[1], &index)
	m := find(`liquidated\s+(\d+) times \((\d+) longs, (\d+) shorts\)`)
	o.Compare("liquidations", m[1], &liquidated)
	o.Compare("longs and shorts liquidated", m[1], o.Add(o.Number(m[2]), o.Number(m[3])))
	o.Compare("BTC of ADL", find(`ADL\s+closed ([0-9.]+) BTC`)[1], &adl)
	o.Compare("fund at the end", find(`([0-9,.]+) at the end`)[1], o.Number(last))
	m = find(`lowest ([0-9,.]+) \(tick (\d+)\)`)
	o.Compare("lowest fund", m[1], low)
	o.Compare("tick of the lowest fund", m[2], o.Number(lowTick))
}

func itoa(v int64) string { return apd.New(v, 0).Text('f') }

// markAt recomputes the crash's mark at tick t by hand from its waypoints
// (markPath, the program's input), at 50 digits: between waypoints (t0,
// v0) and (t1, v1), the point on the line, v0 + (v1 - v0)(t - t0)/(t1 -
// t0), rounded down to 10 USDT.
func markAt(o *golden.Oracle, t int64) *apd.Decimal {
	o.T.Helper()
	path := markPath
	for k := 1; k < len(path); k++ {
		a, b := path[k-1], path[k]
		if t <= int64(b.tick) {
			d := o.Quo(o.Mul(o.D(itoa(b.value-a.value)), o.D(itoa(t-int64(a.tick)))), o.D(itoa(int64(b.tick-a.tick))))
			return o.Round(o.Add(o.D(itoa(a.value)), d), o.D("10"), apd.RoundFloor)
		}
	}
	return o.D(itoa(path[len(path)-1].value))
}

// checkSVG reads the picture back into numbers through its axes' labels
// (the ticks along the bottom, the mark's and the fund's on the left) and
// checks each against the page out, within a quarter of a pixel (what
// printing coordinates to 0.1 px allows): the mark path's vertex at every
// tick at the mark recomputed from the crash's waypoints (markAt); a
// circle at each tick of the table with liquidations, on that mark, its
// area by their number (radius 3 + 2.2 sqrt(n)) and its title giving it;
// an ADL bar at each tick with ADL, standing on the panel's floor, its
// height by the BTC closed (6 + 44 sqrt(q/max)) and its title giving it;
// the 100x long's diamond at the tick and the mark its story opens with,
// and its label's price; and the fund path's vertex at every tick at the
// table's fund (the opening balance before the first row, the last row's
// between rows: nothing runs where the index returns nobody).
func checkSVG(t *testing.T, data []byte, out string) {
	t.Helper()
	o := golden.NewOracle(t)
	svg := golden.ReadSVG(t, data)
	byID, in := svg.ByID, svg.In
	svg.Need(t, "mark-grid", "fund-grid", "mark-labels", "fund-labels", "ticks", "mark", "fund", "liquidations", "adl")
	x := golden.FitAxis(t, o, in["ticks"], in["ticks"], "x", "", 1)
	ym := golden.FitAxis(t, o, in["mark-grid"], in["mark-labels"], "y1", "", 1)
	yf := golden.FitAxis(t, o, in["fund-grid"], in["fund-labels"], "y1", "", 1)
	const quarter = 0.25 // of a pixel
	tolX, tolM, tolF := quarter/math.Abs(x.B), quarter/math.Abs(ym.B), quarter/math.Abs(yf.B)
	f := func(d *apd.Decimal) float64 { v, _ := d.Float64(); return v }
	near := func(name string, got, want, tol float64) {
		t.Helper()
		if !(math.Abs(got-want) <= tol) { // NaN fails
			t.Errorf("%s: the picture shows %.3f, want %.3f", name, got, want)
		}
	}

	// The page's numbers: the ticks, the table and the opening fund.
	m := regexp.MustCompile(`over (\d+) ticks`).FindStringSubmatch(out)
	if m == nil {
		t.Fatal("no number of ticks")
	}
	n, _ := strconv.Atoi(m[1])
	_, table, ok := strings.Cut(out, "Tick by tick")
	table, _, ok2 := strings.Cut(table, "The whole crash")
	if !ok || !ok2 {
		t.Fatal("no tick-by-tick table")
	}
	type row struct {
		liquidated int
		adl, fund  *apd.Decimal
	}
	rows := map[int]row{}
	adlMax := 0.0
	for _, r := range regexp.MustCompile(`(?m)^\s+(\d+)\s+([0-9,]+)\s+(\d+)\s+(\d+)\s+([0-9.]+)\s+(-?[0-9,.]+)$`).FindAllStringSubmatch(table, -1) {
		tk, _ := strconv.Atoi(r[1])
		liq, _ := strconv.Atoi(r[4])
		rows[tk] = row{liq, o.Number(r[5]), o.Number(r[6])}
		adlMax = max(adlMax, f(o.Number(r[5])))
	}
	if len(rows) == 0 {
		t.Fatal("no rows in the tick-by-tick table")
	}
	fund := o.Number(first(t, out, "the insurance fund opens with ", " "))

	// The mark and the fund, a vertex per tick.
	marks := golden.Vertices(t, byID["mark"], x, ym)
	funds := golden.Vertices(t, byID["fund"], x, yf)
	if len(marks) != n || len(funds) != n {
		t.Fatalf("%d vertices on the mark path and %d on the fund's, want %d", len(marks), len(funds), n)
	}
	for k := range n {
		if r, ok := rows[k]; ok {
			fund = r.fund
		}
		name := "tick " + strconv.Itoa(k)
		near(name+": mark path's tick", marks[k][0], float64(k), tolX)
		near(name+": mark", marks[k][1], f(markAt(o, int64(k))), tolM)
		near(name+": fund path's tick", funds[k][0], float64(k), tolX)
		near(name+": fund", funds[k][1], f(fund), tolF)
	}

	// The liquidations' circles and the ADL bars, each with its title.
	tick := func(name string, cx float64) int {
		t.Helper()
		k := int(math.Round(x.Value(cx)))
		near(name+"'s tick", x.Value(cx), float64(k), tolX)
		return k
	}
	circles, bars := map[int]bool{}, map[int]bool{}
	floor := 0.0 // the mark panel's floor, its lowest grid line
	for _, e := range in["mark-grid"] {
		floor = max(floor, e.Num(t, "y1"))
	}
	for _, g := range []string{"liquidations", "adl"} {
		for i, e := range in[g] {
			if e.Name == "title" {
				continue
			}
			title := ""
			if i+1 < len(in[g]) && in[g][i+1].Name == "title" {
				title = in[g][i+1].Text
			}
			switch e.Name {
			case "circle":
				k := tick("circle", e.Num(t, "cx"))
				name := "tick " + strconv.Itoa(k) + "'s circle"
				c := rows[k].liquidated
				if c == 0 || circles[k] {
					t.Errorf("%s: %d liquidated at that tick, or a second circle", name, c)
					continue
				}
				circles[k] = true
				near(name+" mark", ym.Value(e.Num(t, "cy")), f(markAt(o, int64(k))), tolM)
				near(name+" radius", e.Num(t, "r"), 3+2.2*math.Sqrt(float64(c)), quarter)
				if want := "tick " + strconv.Itoa(k) + ": " + strconv.Itoa(c) + " liquidated"; title != want {
					t.Errorf("%s: title %q, want %q", name, title, want)
				}
			case "rect":
				k := tick("ADL bar", e.Num(t, "x")+e.Num(t, "width")/2)
				name := "tick " + strconv.Itoa(k) + "'s ADL bar"
				r, ok := rows[k]
				if !ok || r.adl.IsZero() || bars[k] {
					t.Errorf("%s: no ADL at that tick, or a second bar", name)
					continue
				}
				bars[k] = true
				near(name+" bottom", e.Num(t, "y")+e.Num(t, "height"), floor, quarter)
				near(name+" height", e.Num(t, "height"), 6+44*math.Sqrt(f(r.adl)/adlMax), quarter)
				if want := "tick " + strconv.Itoa(k) + ": ADL " + r.adl.Text('f') + " BTC"; title != want {
					t.Errorf("%s: title %q, want %q", name, title, want)
				}
			default:
				t.Errorf("a %s among the %s", e.Name, g)
			}
		}
	}
	for k, r := range rows {
		if r.liquidated > 0 && !circles[k] {
			t.Errorf("tick %d: %d liquidated, no circle", k, r.liquidated)
		}
		if !r.adl.IsZero() && !bars[k] {
			t.Errorf("tick %d: ADL %s BTC, no bar", k, r.adl.Text('f'))
		}
	}

	// The 100x long's diamond, centred at the tick and mark its story opens
	// with, and its label.
	m = regexp.MustCompile(`(?m)^tick (\d+), mark ([0-9,.]+): the mark-tick index`).FindStringSubmatch(out)
	hero := byID["hero"]
	switch {
	case m == nil && hero != nil:
		t.Errorf("a diamond for the 100x long, whose story has no liquidation")
	case m != nil && hero == nil:
		t.Errorf("no diamond for the 100x long, liquidated at tick %s", m[1])
	case m != nil:
		vs := golden.Vertices(t, hero, x, ym)
		if len(vs) != 4 {
			t.Fatalf("the diamond has %d vertices", len(vs))
		}
		k, _ := strconv.Atoi(m[1])
		near("the diamond's tick", (vs[0][0]+vs[1][0]+vs[2][0]+vs[3][0])/4, float64(k), tolX)
		near("the diamond's mark", (vs[0][1]+vs[1][1]+vs[2][1]+vs[3][1])/4, f(markAt(o, int64(k))), tolM)
		o.Compare("the story's mark", m[2], markAt(o, int64(k)))
		label := ""
		for _, e := range svg.Elements {
			if s, ok := strings.CutPrefix(e.Text, "the 100x long, liquidated at "); ok && e.Name == "text" {
				label = s
			}
		}
		if label == "" {
			t.Fatal("no label for the 100x long")
		}
		o.Compare("the diamond's label", label, markAt(o, int64(k)))
	}
}

// TestSmallFundSVG reads back a picture whose fund moves by a few USDT:
// its axis steps are fractions of ten (2.5 USDT on Hyperliquid with 20
// accounts, seed 35), which the labels must print.
func TestSmallFundSVG(t *testing.T) {
	var buf bytes.Buffer
	path := filepath.Join(t.TempDir(), "crash.svg")
	if err := run(&buf, []string{"-venue", "hyperliquid", "-seed", "35", "-accounts", "20", "-svg", path}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	checkSVG(t, data, buf.String())
}

// TestStillFundSVG reads back a picture whose fund never moves (Hyperliquid
// with 10 accounts, seed 1: 73,861.00 USDT from the first tick to the
// last, as Hyperliquid charges no clearance fee), so that its panel has
// only two grid lines, the fund's value and the next step of 1 USDT.
// golden.FitAxis wanted three lines and refused such a panel.
func TestStillFundSVG(t *testing.T) {
	var buf bytes.Buffer
	path := filepath.Join(t.TempDir(), "crash.svg")
	if err := run(&buf, []string{"-venue", "hyperliquid", "-seed", "1", "-accounts", "10", "-svg", path}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(golden.ReadSVG(t, data).In["fund-grid"]); n != 2 {
		t.Fatalf("%d grid lines in the fund panel, want 2 (the run no longer keeps its fund still)", n)
	}
	checkSVG(t, data, buf.String())
}

// TestRiskTiersLine: the page prints the risk limits the run used, converted
// to USDT, not a copy of the default table's.
func TestRiskTiersLine(t *testing.T) {
	p := engine.PresetBitMEX()
	p.RiskLimits[0].Limit.SetInt64(50)
	p.RiskLimits[1].Limit.SetInt64(80)
	s, err := newSim(p, 3, 300)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.replay(); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := s.report(&out, "bitmex"); err != nil {
		t.Fatal(err)
	}
	if want := "converted to USDT at 60,000: 3,000,000, 4,800,000, ..."; !strings.Contains(out.String(), want) {
		t.Errorf("the page does not say %q", want)
	}
}

// TestHelp: -h prints the usage and exits 0; a bad flag exits 2.
func TestHelp(t *testing.T) { golden.Help(t, "crash", "venue", run) }

// verifyBitMEXADL recomputes, for every liquidation of BitMEX's crash, what
// the book took and whom ADL closed, and from them the summary's book and
// ADL lines and the table's ADL column. The replay supplies each
// liquidation's inputs, the accounts before it (the liquidated long, the
// shorts it is ranked against), and the events checked against the model
// below, so that each step starts from a state this test has confirmed:
//
//   - the bankruptcy price: value(P_B) = cost - (backing - fee reserve),
//     the backing the isolated margin or the cross wallet, so P_B =
//     (cost - backing + reserve)/Q, rounded up to the 0.1 tick (toward the
//     entry of a long);
//   - the book: each tick the street bids touch lots at the mark and, k
//     levels of 10 USDT below it (k = 1 to 39), depth*(4+k)/4 lots (integer
//     thousandths), what earlier liquidations of the tick took gone; the
//     fund sells the long it took over, limit P_B, into the best bids at or
//     above P_B;
//   - a long above the lowest risk tier first sends a FOK of q_0 = N - N_0,
//     N_0 the largest lot multiple whose value at the mark fits the lowest
//     tier's limit (100 XBT at 60,000); the model covers only a FOK larger
//     than every bid on the book, which cannot fill;
//   - ADL: what the book left is closed at P_B (the fund's cost of it over
//     its quantity: within a cent per trade that moved the cost) against the shorts ranked by
//     PNL% x EffLev (verifyBitMEXScore; PNL%/EffLev for a loss, a short
//     with V(mark) <= V(P_B) left out), in descending score, ties by account
//     number, each closing min(|Q_j|, what is left).
func verifyBitMEXADL(o *golden.Oracle, out string) {
	o.T.Helper()
	t := o.T
	s, err := newSim(engine.PresetBitMEX(), 1, 300)
	if err != nil {
		t.Fatal(err)
	}
	lot, tick := o.D("0.001"), o.D("0.1")
	limit0 := o.Mul(&engine.PresetBitMEX().RiskLimits[0].Limit, o.D("60000"))
	type bid struct{ price, qty *apd.Decimal }
	var bids []bid
	bidsTick := -1
	book, adlQty := o.D("0"), o.D("0")
	adlTrades, winners := 0, map[int]bool{}
	adlByTick := map[int]*apd.Decimal{}
	s.onLiquidate = func(tk, i int, b *engine.State, ev []engine.Event) error {
		var mark apd.Decimal
		b.Mark(&mark)
		if tk != bidsTick {
			bidsTick, bids = tk, bids[:0]
			touch, depth := at(touchPath, tk, 1), at(depthPath, tk, 1)
			for k := int64(0); k < 40; k++ {
				lots := depth * (4 + k) / 4
				if k == 0 {
					lots = touch
				}
				bids = append(bids, bid{o.Sub(&mark, o.D(itoa(10*k))), o.Mul(o.D(itoa(lots)), lot)})
			}
		}
		tr := b.Trader(i)
		if tr.Qty.Sign() <= 0 {
			t.Fatalf("tick %d: trader %d is not a long: the model covers longs only", tk, i)
		}
		if tr.Mode == account.Cross && len(tr.Orders) > 0 {
			t.Fatalf("tick %d: cross trader %d has orders: the model does not release them", tk, i)
		}
		q := &tr.Qty
		backing := &tr.Margin
		if tr.Mode == account.Cross {
			backing = &tr.Wallet
		}
		pb := o.Round(o.Quo(o.Add(o.Sub(&tr.Cost, backing), &tr.FeeReserve), q), tick, apd.RoundCeiling)
		if tr.Tier > 0 {
			n0 := o.Round(o.Quo(limit0, &mark), lot, apd.RoundFloor)
			fok, all := o.Sub(q, n0), o.D("0")
			for _, bd := range bids {
				all = o.Add(all, bd.qty)
			}
			if fok.Cmp(all) <= 0 {
				t.Fatalf("tick %d: trader %d's FOK of %s could fill (%s bid): the model does not cover it", tk, i, fok.Text('f'), all.Text('f'))
			}
		}
		left := o.Sub(q, o.D("0"))
		for k := range bids {
			bd := &bids[k]
			if left.Sign() == 0 || bd.price.Cmp(pb) < 0 {
				break
			}
			f := bd.qty
			if f.Cmp(left) > 0 {
				f = left
			}
			bd.qty, left = o.Sub(bd.qty, f), o.Sub(left, f)
		}
		filled := o.Sub(q, left)
		book = o.Add(book, filled)
		// The shorts, ranked as before the liquidation (it moves none of them).
		type cand struct {
			j     int
			score *apd.Decimal
		}
		var ranked []cand
		for j := 0; j < b.Len(); j++ {
			c := b.Trader(j)
			if j == i || c.Liquidating || c.Qty.Sign() >= 0 {
				continue
			}
			cb := &c.Margin
			if c.Mode == account.Cross {
				cb = &c.Wallet
			}
			vm := o.Mul(&c.Qty, &mark)
			eq := o.Sub(vm, o.Add(o.Sub(&c.Cost, cb), &c.FeeReserve))
			if eq.Sign() <= 0 {
				continue
			}
			pnl := o.Quo(o.Sub(vm, &c.Cost), new(apd.Decimal).Abs(&c.Cost))
			lev := o.Quo(new(apd.Decimal).Abs(vm), eq)
			score := o.Mul(pnl, lev)
			if pnl.Negative {
				score = o.Quo(pnl, lev)
			}
			ranked = append(ranked, cand{j, score})
		}
		slices.SortStableFunc(ranked, func(a, b cand) int {
			if c := b.score.Cmp(a.score); c != 0 {
				return c
			}
			return a.j - b.j
		})
		type closing struct {
			j        int
			qty, prc *apd.Decimal
		}
		var want []closing
		for _, c := range ranked {
			if left.Sign() == 0 {
				break
			}
			x := new(apd.Decimal).Abs(&b.Trader(c.j).Qty)
			if x.Cmp(left) > 0 {
				x = left
			}
			want = append(want, closing{c.j, x, pb})
			left = o.Sub(left, x)
		}
		if left.Sign() != 0 {
			t.Fatalf("tick %d, trader %d: %s BTC left with no short to close it against", tk, i, left.Text('f'))
		}
		// The engine's events must agree before the next step starts from
		// their result.
		gotBook, fills := o.D("0"), 0
		var got []closing
		for k := range ev {
			e := &ev[k]
			switch {
			case e.Kind == engine.Trade && e.Step == engine.StepTakeover && e.Counterparty == i:
				if e.Price.Cmp(pb) != 0 {
					t.Errorf("tick %d, trader %d: taken over at %s, want P_B %s", tk, i, e.Price.Text('f'), pb.Text('f'))
				}
			case e.Kind == engine.Trade && e.Why == engine.Liquidation && e.Counterparty == s.street:
				gotBook = o.Add(gotBook, new(apd.Decimal).Abs(&e.Qty))
				fills++
			case e.Kind == engine.Trade && e.Step == engine.StepADL:
				got = append(got, closing{e.Counterparty, new(apd.Decimal).Abs(&e.Qty), &e.Price})
			}
		}
		if gotBook.Cmp(filled) != 0 {
			t.Fatalf("tick %d, trader %d: the book took %s BTC, want %s", tk, i, gotBook.Text('f'), filled.Text('f'))
		}
		if len(got) != len(want) {
			t.Fatalf("tick %d, trader %d: %d ADL trades, want %d", tk, i, len(got), len(want))
		}
		// The fund closes its inventory at what it paid, its cost (whole
		// cents, less each sale's share) over its quantity: P_B within a
		// cent for the takeover and each sale, over the quantity closed.
		var tol apd.Decimal
		if len(want) > 0 {
			tol.Set(o.Quo(o.Mul(o.D("0.01"), o.D(strconv.Itoa(fills+1))), o.Sub(q, filled)))
		}
		for k := range want {
			g, w := got[k], want[k]
			diff := new(apd.Decimal).Abs(o.Sub(g.prc, w.prc))
			if g.j != w.j || g.qty.Cmp(w.qty) != 0 || diff.Cmp(&tol) > 0 {
				t.Fatalf("tick %d, trader %d: ADL trade %d closes %s of %d at %s, want %s of %d at %s within %s", tk, i, k+1,
					g.qty.Text('f'), g.j, g.prc.Text('f'), w.qty.Text('f'), w.j, w.prc.Text('f'), tol.Text('f'))
			}
			adlTrades++
			winners[w.j] = true
			adlQty = o.Add(adlQty, w.qty)
			if adlByTick[tk] == nil {
				adlByTick[tk] = o.D("0")
			}
			adlByTick[tk] = o.Add(adlByTick[tk], w.qty)
		}
		return nil
	}
	if err := s.replay(); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`the book\s+took ([0-9.]+) BTC of liquidation orders`).FindStringSubmatch(out)
	if m == nil {
		t.Fatal("no book line in the summary")
	}
	o.Compare("BTC the book took", m[1], book)
	m = regexp.MustCompile(`ADL\s+closed ([0-9.]+) BTC in (\d+) trades against (\d+) winners`).FindStringSubmatch(out)
	if m == nil {
		t.Fatal("no ADL line in the summary")
	}
	o.Compare("BTC of ADL", m[1], adlQty)
	o.Compare("ADL trades", m[2], o.D(strconv.Itoa(adlTrades)))
	o.Compare("ADL winners", m[3], o.D(strconv.Itoa(len(winners))))
	_, table, _ := strings.Cut(out, "Tick by tick")
	table, _, _ = strings.Cut(table, "The whole crash")
	rows := regexp.MustCompile(`(?m)^\s+(\d+)\s+[0-9,]+\s+\d+\s+\d+\s+([0-9.]+)\s+[0-9,.]+$`).FindAllStringSubmatch(table, -1)
	if len(rows) == 0 {
		t.Fatal("no rows in the tick-by-tick table")
	}
	seen := 0
	for _, r := range rows {
		tk, err := strconv.Atoi(r[1])
		if err != nil {
			t.Fatal(err)
		}
		want := adlByTick[tk]
		if want == nil {
			want = o.D("0")
		} else {
			seen++
		}
		o.Compare("ADL BTC at tick "+r[1], r[2], want)
	}
	if seen != len(adlByTick) {
		t.Errorf("the table shows %d of the %d ticks with ADL", seen, len(adlByTick))
	}
}

// TestBinanceBracketAtMark: on Binance the sim computes a trader's
// liquidation price (the mark-tick index's key, the 100x long's story)
// and maintenance (the ADL ranking it prints) with the bracket of the
// notional at each price, as the engine does (State.Brackets), not the
// bracket the trader was added in. An isolated long of 1 BTC at 60,000
// with 15,000 of margin is added in the 0.5% bracket (cum 50); its
// liquidation price, 45,000/0.996 = 45,180.72, lies in the 0.4% bracket
// (below 50,000), where margin + (P - 60,000) = 0.4% x P; the added
// bracket would give 44,950/0.995 = 45,175.88. At the mark 40,000 its
// maintenance is 0.4% x 40,000 = 160, not 0.5% x 40,000 - 50 = 150.
func TestBinanceBracketAtMark(t *testing.T) {
	s, err := newSim(engine.PresetBinance(), 1, 10)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := s.trader(account.Isolated, 1000, 60000, 4)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Tier != 1 || tr.Margin.Cmp(apd.New(15000, 0)) != 0 {
		t.Fatalf("the long is in tier %d with margin %s; want 1, 15,000", tr.Tier, tr.Margin.String())
	}
	var p apd.Decimal
	if _, err := s.price(&p, tr); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ctx.Quantize(&p, &p, -2); err != nil {
		t.Fatal(err)
	}
	if p.Cmp(apd.New(4518072, -2)) != 0 {
		t.Errorf("liquidation price %s, want 45,180.72 (the 0.4%% bracket's)", p.String())
	}
	if err := s.st.SetMark(apd.New(40000, 0)); err != nil {
		t.Fatal(err)
	}
	var mm apd.Decimal
	if err := s.maintenanceAtMark(&mm, tr); err != nil {
		t.Fatal(err)
	}
	if mm.Cmp(apd.New(160, 0)) != 0 {
		t.Errorf("maintenance at the mark 40,000: %s, want 160 (the 0.4%% bracket's)", mm.String())
	}
}

// TestMaintenanceFloor: outside Binance's brackets the example's
// maintenance is the engine's, MMR x |V| - Cum never below zero. On Bybit
// with a deduction table (2,000,000 at 0.5%, then 2,600,000 at 0.55% less
// 1,000), a 40 BTC long entered at 60,000 (2,400,000) keeps its second
// tier; at the mark 4,000 its value is 160,000, and 0.55% of it, 880, is
// below the tier's 1,000: the maintenance is 0, not -120.
func TestMaintenanceFloor(t *testing.T) {
	p := engine.PresetBybit()
	p.RiskLimits = p.RiskLimits[:2]
	p.RiskLimits[1].Cum.SetInt64(1000)
	s, err := newSim(p, 1, 10)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := s.trader(account.Isolated, 40000, 60000, 10)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Tier != 1 || tr.Cum.Cmp(apd.New(1000, 0)) != 0 || s.st.Brackets(tr) != nil {
		t.Fatalf("the long is in tier %d with cum %s; want 1, 1,000, without brackets", tr.Tier, tr.Cum.String())
	}
	if err := s.st.SetMark(apd.New(4000, 0)); err != nil {
		t.Fatal(err)
	}
	var mm apd.Decimal
	if err := s.maintenanceAtMark(&mm, tr); err != nil {
		t.Fatal(err)
	}
	if !mm.IsZero() {
		t.Errorf("maintenance at the mark 4,000: %s, want 0", mm.String())
	}
}

// TestTraderTierAtLimit: a trader's starting tier is the engine's. On
// Binance that is margin.Tiers's lookup of the brackets (State.Brackets),
// where a value at a Limit is the next bracket's floor: a 1 BTC long
// entered at 50,000 is in the second bracket (0.5%, cum 50), which the
// maintenance follows; trader put it in the first (value <= Limit) and
// recorded that tier. Elsewhere the engine's StepDown keeps a value at a
// Limit in its tier: 33⅓ BTC at 60,000 on Bybit is 2,000,000, the first.
func TestTraderTierAtLimit(t *testing.T) {
	for _, c := range []struct {
		preset      *engine.Preset
		lots, entry int64
		tier        int
	}{
		{engine.PresetBinance(), 1000, 50000, 1},
		{engine.PresetBinance(), 999, 50000, 0},
		{engine.PresetBybit(), 40000, 50000, 0},
		{engine.PresetBybit(), 40001, 50000, 1},
	} {
		s, err := newSim(c.preset, 1, 10)
		if err != nil {
			t.Fatal(err)
		}
		tr, err := s.trader(account.Isolated, c.lots, c.entry, 4)
		if err != nil {
			t.Fatal(err)
		}
		rl := &c.preset.RiskLimits[c.tier]
		if tr.Tier != c.tier || tr.MMR.Cmp(&rl.MMR) != 0 || tr.Cum.Cmp(&rl.Cum) != 0 {
			t.Errorf("%s, %d lots at %d: tier %d (MMR %s, cum %s), want %d", c.preset.Name, c.lots, c.entry, tr.Tier, tr.MMR.String(), tr.Cum.String(), c.tier)
		}
	}
}

// TestBinanceADLScore recomputes the ranking Binance's story prints for the
// 100x long's ADL from the traders as they stood before its sequence (a
// clone the driver's call saw): each short's uPnL at the mark, Q*mark -
// cost, and its score, max(0, uPnL)/max(1, wallet) x mm/(wallet + uPnL),
// with mm the rate and amount of the bracket of |Q*mark| (a value at a
// bracket's Limit is the next bracket's floor). Every printed row matches,
// and the first outscores every short left unprinted.
func TestBinanceADLScore(t *testing.T) {
	p := engine.PresetBinance()
	if !p.BinanceFloor {
		t.Fatal("the model floors the wallet at 1: Binance's preset no longer does")
	}
	s, err := newSim(p, 1, 300)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.snapshotHero(); err != nil {
		t.Fatal(err)
	}
	var before *engine.State
	s.onLiquidate = func(_, i int, b *engine.State, _ []engine.Event) error {
		if i == s.hero && before == nil {
			before = b
		}
		return nil
	}
	if err := s.replay(); err != nil {
		t.Fatal(err)
	}
	var page strings.Builder
	if err := s.report(&page, "binance"); err != nil {
		t.Fatal(err)
	}
	out := page.String()
	if before == nil {
		t.Fatal("the 100x long was never liquidated")
	}
	o := golden.NewOracle(t)
	var mark apd.Decimal
	before.Mark(&mark)
	score := func(tr *engine.Trader) *apd.Decimal {
		vm := o.Mul(&tr.Qty, &mark)
		upnl := o.Sub(vm, &tr.Cost)
		v := new(apd.Decimal).Abs(vm)
		rl := p.RiskLimits
		k := len(rl) - 1
		for j := range rl {
			if v.Cmp(&rl[j].Limit) < 0 {
				k = j
				break
			}
		}
		mm := o.Sub(o.Mul(&rl[k].MMR, v), &rl[k].Cum)
		if mm.Negative {
			mm = o.D("0")
		}
		eq := o.Add(&tr.Wallet, upnl)
		if upnl.Sign() <= 0 || eq.Sign() <= 0 {
			return o.D("0")
		}
		w := &tr.Wallet
		if w.Cmp(o.D("1")) < 0 {
			w = o.D("1")
		}
		return o.Mul(o.Quo(upnl, w), o.Quo(mm, eq))
	}
	rows := regexp.MustCompile(`(?m)^\s+(\d+)\s+(\d+)\s+(-[0-9.]+)\s+\+([0-9,.]+)\s+([0-9.]+)\s+([0-9.]+)$`).FindAllStringSubmatch(out, -1)
	if rows == nil {
		t.Fatal("no ADL ranking row in Binance's story")
	}
	printed := map[int]bool{}
	for k, row := range rows {
		o.Compare("rank", row[1], o.D(strconv.Itoa(k+1)))
		idx := int(o.D(row[2]).Coeff.Int64())
		printed[idx] = true
		tr := before.Trader(idx)
		if tr.Mode != account.Cross || !tr.Qty.Negative {
			t.Fatalf("winner %d is not a cross short", idx)
		}
		o.Compare("position", row[3], &tr.Qty)
		o.Compare("uPnL", row[4], o.Sub(o.Mul(&tr.Qty, &mark), &tr.Cost))
		o.Compare("score", row[5], score(tr))
	}
	top := score(before.Trader(int(o.D(rows[0][2]).Coeff.Int64())))
	shorts := 0
	for j := 0; j < before.Len(); j++ {
		tr := before.Trader(j)
		if !tr.Qty.Negative || tr.Liquidating {
			continue
		}
		shorts++
		if sc := score(tr); !printed[j] && sc.Cmp(top) > 0 {
			t.Errorf("short %d scores %s, above rank 1's %s", j, sc.Text('f'), top.Text('f'))
		}
	}
	o.Compare("shorts ranked below", first(t, out, "               (", " "), o.D(strconv.Itoa(shorts-len(rows))))
}

// maintenanceAtMark sets z to MMR*|Q*mark| - cum, never below zero
// (maintenanceOn), the maintenance the ADL scores read, which the tests
// recompute them with.
func (s *sim) maintenanceAtMark(z *apd.Decimal, t *engine.Trader) error {
	var mark apd.Decimal
	s.st.Mark(&mark)
	if _, err := s.ctx.Mul(z, &t.Qty, &mark); err != nil {
		return err
	}
	z.Abs(z)
	return s.maintenanceOn(z, t, z)
}
