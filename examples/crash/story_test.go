package main

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/engine"
	"github.com/derivmath/derivmath/examples/internal/golden"
)

// heroChapter returns the first chapter of the 100x long's story on the page
// of venue (seed 1): from its "tick N, mark" line to the next blank line.
func heroChapter(t *testing.T, venue string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := run(&buf, []string{"-venue", venue, "-svg", ""}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	i := strings.Index(out, "\ntick ")
	if i < 0 {
		t.Fatalf("%s: no chapter", venue)
	}
	ch, _, _ := strings.Cut(out[i+1:], "\n\n")
	return ch
}

// TestStoryStepOrder: engine's sequence is S2 trigger, S3 cancel, S4
// step-down or partial, S5 takeover; the page tells S3 (done or skipped)
// before any S4 line, and S4 before S5, on every venue.
func TestStoryStepOrder(t *testing.T) {
	for _, v := range venues {
		ch := heroChapter(t, v.name)
		s3 := strings.Index(ch, "\n  S3 ")
		s4 := strings.Index(ch, "\n  S4 ")
		s5 := strings.Index(ch, "\n  S5 ")
		if s3 < 0 || s4 < 0 || s5 < 0 {
			t.Errorf("%s: S3 at %d, S4 at %d, S5 at %d: a step is not told\n%s", v.name, s3, s4, s5, ch)
			continue
		}
		if s3 > s4 || s4 > s5 {
			t.Errorf("%s: the page tells the steps out of the engine's order (S3 at %d, S4 at %d, S5 at %d):\n%s", v.name, s3, s4, s5, ch)
		}
	}
}

// TestCyclicRank: dYdX deleverages the opposite side in index order from a
// seeded offset (engine.RankCyclic), so the first trader its ADL closes is
// the first of that order: rank 1, and the shorts not closed come after it.
func TestCyclicRank(t *testing.T) {
	ch := heroChapter(t, "dydx")
	rows := regexp.MustCompile(`(?m)^\s+(\d+)\s+(\d+)\s+-[0-9.]+\s+[-+][0-9,.]+\s+-\s+[0-9.]+$`).FindAllStringSubmatch(ch, -1)
	if len(rows) == 0 {
		t.Fatalf("no ADL rows in dYdX's story:\n%s", ch)
	}
	for k, r := range rows {
		if want := itoa(int64(k + 1)); r[1] != want {
			t.Errorf("ADL row %d (trader %s) has rank %s, want %s: the cycle starts at the seeded offset", k+1, r[2], r[1], want)
		}
	}
}

// TestStoryS4Label: S4 is a step-down of the risk limit only under the
// StepDown rule (BitMEX, Bybit, Binance's bracket); every other venue's S4
// (dYdX's per-block notional limit, OKX's tier reduce, Hyperliquid's
// portion, Deribit's slice, or none) is a partial liquidation, and the page
// labels its S4 lines so.
func TestStoryS4Label(t *testing.T) {
	for _, v := range venues {
		ch := heroChapter(t, v.name)
		want, other := "S4 partial    ", "S4 step-down  "
		if v.preset().Partial == engine.StepDown {
			want, other = other, want
		}
		if !strings.Contains(ch, "\n  "+want) || strings.Contains(ch, other) {
			t.Errorf("%s (%s): S4 told as %q, want %q:\n%s", v.name, v.preset().Partial, strings.TrimSpace(other), strings.TrimSpace(want), ch)
		}
	}
}

// TestFundSalesLine: OKX's fund sells the long it took over at the
// bankruptcy price (P_B = EP - margin/Q = 59,400) at market, and some of its
// fills are below P_B: the page must not say it sold above that price, but
// give the net of its sales, sum(q*p) (each trade's value half-up to the
// cent) - (sum q)*P_B, and how many of the fills were below P_B.
func TestFundSalesLine(t *testing.T) {
	ch := heroChapter(t, "okx")
	s, err := simulate("okx", 1, 300)
	if err != nil {
		t.Fatal(err)
	}
	o := golden.NewOracle(t)
	pb := o.Sub(o.D("60000"), o.Quo(o.D("600"), o.D("1")))
	net := o.D("0")
	fills, below := 0, 0
	for _, e := range s.story[0].events {
		if e.Kind != engine.Trade || e.Trader != engine.Fund || e.Counterparty != s.street {
			continue
		}
		q := o.Neg(&e.Qty)
		net = o.Add(net, o.Sub(o.Round(o.Mul(q, &e.Price), o.D("0.01"), apd.RoundHalfUp), o.Mul(q, pb)))
		fills++
		if e.Price.Cmp(pb) < 0 {
			below++
		}
	}
	if below == 0 {
		t.Fatalf("no fill of OKX's fund below P_B %s: the test needs one", pb.Text('f'))
	}
	if strings.Contains(ch, "sold above the bankruptcy price") {
		t.Errorf("%d of the fund's %d fills were below P_B, but the page says it sold above it:\n%s", below, fills, ch)
	}
	m := regexp.MustCompile(`S6 fund       the fund's sales less their cost at the bankruptcy price: ([-+][0-9,.]+)\n\s+\((\d+) of its (\d+) fills were below that price, at a loss\)`).FindStringSubmatch(ch)
	if m == nil {
		t.Fatalf("no line with the net of the fund's sales and its fills below P_B:\n%s", ch)
	}
	o.Compare("net of the fund's sales", m[1], net)
	o.Compare("fills below P_B", m[2], o.D(strconv.Itoa(below)))
	o.Compare("fund's fills", m[3], o.D(strconv.Itoa(fills)))
}
