package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/derivmath/derivmath/engine"
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
