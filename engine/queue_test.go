package engine_test

import (
	"errors"
	"slices"
	"strconv"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/engine"
)

// TestAppendADLQueue ranks queueState's shorts for the long (1) under each
// ranking and tie rule, each score checked by hand: BitMEX's PnL% x
// effective leverage (PnL%/leverage for a loss), Binance's uPnL/max(1,
// wallet) x mm/equity (0 for a loss), Hyperliquid's for profits only,
// OKX's roi x margin ratio (roi alone at an equity of zero or less), and
// RankCyclic's and RankIndex's index order (RankCyclic's from seed 3's
// offset, 2 of 7). Twins (2 and 3; 8 and 9) go in the tie rule's order;
// the liquidating 6 is never listed; the bankrupt 7 only outside
// RankBitMEX (and RankHyperliquid: not in profit). Under RankBinance
// without BinanceFloor, 8 and 9 (wallets of 0) are unbounded and first.
// The call must leave the state as it was, a second call (and one on a
// clone taken before) must give the same queue, and State.ADL of the whole
// queue's quantity with the same seed must close it in that order (under
// ADLValidity, a subsequence of it: dYdX refuses 7, whose equity the
// close would leave negative).
func TestAppendADLQueue(t *testing.T) {
	binance := func(floor bool) func() *engine.Preset {
		return func() *engine.Preset {
			p := engine.PresetBinance()
			p.BinanceFloor = floor
			return p
		}
	}
	for _, c := range []struct {
		name      string
		preset    func() *engine.Preset
		tie       engine.ADLTie
		want      []int
		scores    []string // "" for score-less rankings
		unbounded int      // how many lead the queue unbounded
	}{
		{
			"RankBitMEX", engine.PresetBitMEX, engine.TieLowerIndex,
			[]int{8, 9, 4, 2, 3, 5},
			[]string{"0.9090909090909090909", "0.9090909090909090909", "0.1388888888888888889", "0.08264462809917355372", "0.08264462809917355372", "-0.05"},
			0,
		},
		{"RankBitMEX higher", engine.PresetBitMEX, engine.TieHigherIndex, []int{9, 8, 4, 3, 2, 5}, nil, 0},
		{
			"RankBinance", binance(true), engine.TieLowerIndex,
			[]int{8, 9, 4, 2, 3, 5, 7},
			[]string{"0.5", "0.5", "0.0008333333333333333333", "0.0004545454545454545455", "0.0004545454545454545455", "0", "0"},
			0,
		},
		{"RankBinance higher", binance(true), engine.TieHigherIndex, []int{9, 8, 4, 3, 2, 7, 5}, nil, 0},
		{
			"RankBinance unbounded", binance(false), engine.TieLowerIndex,
			[]int{8, 9, 4, 2, 3, 5, 7},
			[]string{"0", "0", "0.0008333333333333333333", "0.0004545454545454545455", "0.0004545454545454545455", "0", "0"},
			2,
		},
		{"RankBinance unbounded higher", binance(false), engine.TieHigherIndex, []int{9, 8, 4, 3, 2, 7, 5}, nil, 2},
		{
			"RankHyperliquid", engine.PresetHyperliquid, engine.TieLowerIndex,
			[]int{8, 9, 2, 3, 4},
			[]string{"9.090909090909090909", "9.090909090909090909", "0.8264462809917355372", "0.8264462809917355372", "0.6944444444444444444"},
			0,
		},
		{"RankHyperliquid higher", engine.PresetHyperliquid, engine.TieHigherIndex, []int{9, 8, 3, 2, 4}, nil, 0},
		{
			"RankOKX", engine.PresetOKX, engine.TieLowerIndex,
			[]int{8, 9, 4, 2, 3, 7, 5},
			[]string{"0.004545454545454545454", "0.004545454545454545454", "0.0006944444444444444446", "0.0004132231404958677686", "0.0004132231404958677686", "-0.1111111111111111111", "-1E+1"},
			0,
		},
		{"RankOKX higher", engine.PresetOKX, engine.TieHigherIndex, []int{9, 8, 4, 3, 2, 7, 5}, nil, 0},
		{"RankCyclic", engine.PresetDYDX, engine.TieLowerIndex, []int{4, 5, 7, 8, 9, 2, 3}, []string{"", "", "", "", "", "", ""}, 0},
		{"RankCyclic higher", engine.PresetDYDX, engine.TieHigherIndex, []int{4, 5, 7, 8, 9, 2, 3}, nil, 0},
		{"RankIndex", engine.PresetGMX, engine.TieLowerIndex, []int{2, 3, 4, 5, 7, 8, 9}, []string{"", "", "", "", "", "", ""}, 0},
		{"RankIndex higher", engine.PresetGMX, engine.TieHigherIndex, []int{2, 3, 4, 5, 7, 8, 9}, nil, 0},
	} {
		p := c.preset()
		p.ADLTie = c.tie
		st := queueState(t, p)
		before := st.Clone()
		const seed = 3
		// Appended after what dst holds, which stays.
		q, err := st.AppendADLQueue([]engine.Candidate{{Trader: -7}}, 1, seed)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if q[0].Trader != -7 {
			t.Errorf("%s: dst's first element overwritten", c.name)
		}
		q = q[1:]
		var got []int
		for k := range q {
			got = append(got, q[k].Trader)
			if q[k].Unbounded != (k < c.unbounded) {
				t.Errorf("%s: trader %d Unbounded %v", c.name, q[k].Trader, q[k].Unbounded)
			}
			if c.scores != nil && k < len(c.scores) {
				want := c.scores[k]
				if want == "" {
					want = "0"
				}
				if q[k].Score.String() != want {
					t.Errorf("%s: trader %d scores %s, want %s", c.name, q[k].Trader, q[k].Score.String(), want)
				}
			}
		}
		if !slices.Equal(got, c.want) {
			t.Fatalf("%s: queue %v, want %v", c.name, got, c.want)
		}
		// A read: the state as it was (snapshot), and the same queue again
		// from it and from the clone taken before; then ADL.
		if got, want := snapshot(t, st), snapshot(t, before); got != want {
			t.Fatalf("%s: the queue changed the state:\n%s\nwas\n%s", c.name, got, want)
		}
		for _, from := range []*engine.State{st, before} {
			q2, err := from.AppendADLQueue(nil, 1, seed)
			noErr(t, err)
			if !slices.EqualFunc(q2, q, func(a, b engine.Candidate) bool {
				return a.Trader == b.Trader && a.Unbounded == b.Unbounded && a.Score.Cmp(&b.Score) == 0
			}) {
				t.Fatalf("%s: a second queue %v, the first %v", c.name, q2, q)
			}
		}
		ev, err := st.ADL(nil, 1, d(strconv.Itoa(len(q))), seed)
		if p.ADLValidity && errors.Is(err, engine.ErrNoCounterparty) {
			// 7 refused: one fewer.
			ev, err = st.ADL(nil, 1, d(strconv.Itoa(len(q)-1)), seed)
		}
		if err != nil {
			t.Fatalf("%s: ADL: %v", c.name, err)
		}
		var closed []int
		for k := range ev {
			if e := &ev[k]; e.Kind == engine.Trade && e.Trader == 1 {
				closed = append(closed, e.Counterparty)
			}
		}
		switch {
		case p.ADLValidity:
			if want := slices.DeleteFunc(slices.Clone(got), func(j int) bool { return j == 7 }); !slices.Equal(closed, want) {
				t.Errorf("%s: ADL closed %v, want the queue %v less 7", c.name, closed, got)
			}
		case !slices.Equal(closed, got):
			t.Errorf("%s: ADL closed %v, want the queue %v", c.name, closed, got)
		}
	}
}

// TestAppendADLQueueErrors: an unknown holder is ErrTrader with dst
// returned as it was; a flat holder (the street, or the fund without
// inventory) has an empty queue; a short holder's queue is the long.
func TestAppendADLQueueErrors(t *testing.T) {
	st := queueState(t, engine.PresetBitMEX())
	dst := []engine.Candidate{{Trader: 42}}
	for _, h := range []int{-2, st.Len()} {
		got, err := st.AppendADLQueue(dst, h, 0)
		if !errors.Is(err, engine.ErrTrader) || len(got) != 1 || got[0].Trader != 42 {
			t.Errorf("AppendADLQueue(%d) = %v, %v; want dst as it was and ErrTrader", h, got, err)
		}
	}
	for _, h := range []int{0, engine.Fund} {
		got, err := st.AppendADLQueue(dst, h, 0)
		if err != nil || len(got) != 1 {
			t.Errorf("AppendADLQueue(%d) = %v, %v; want an empty queue", h, got, err)
		}
	}
	got, err := st.AppendADLQueue(nil, 2, 0)
	if err != nil || len(got) != 1 || got[0].Trader != 1 {
		t.Errorf("AppendADLQueue(2) = %v, %v; want the long, 1", got, err)
	}
}

// queueState returns a State under p at the mark 100 on linear(0.01, 1,
// 0.01): a street (0) flat, a long 10 @ 100 isolated with a margin of 1
// (1), and cross shorts of 1 with an MMR of 0.5%:
//
//	2 @ 110 with a wallet of 100, a profit of 10;
//	3 @ 110 with a wallet of 100, 2's twin;
//	4 @ 120 with a wallet of 100, a profit of 20;
//	5 @ 95 with a wallet of 100, a loss of 5;
//	6 @ 50 with a wallet of 1, liquidating (triggered);
//	7 @ 90 with a wallet of 5, past bankruptcy (equity -5), not triggered;
//	8 @ 110 with a wallet of 0, a profit of 10 (Binance's score unbounded
//	  without BinanceFloor);
//	9 8's twin.
func queueState(t *testing.T, p *engine.Preset) *engine.State {
	t.Helper()
	s := linear(t, "0.01", "1", "0.01")
	st := state(t, s, p)
	noErr(t, st.SetMark(d("100")))
	add(t, st, trader(t, s, "100000", "", "0", "0", "0.005"))
	add(t, st, trader(t, s, "0", "1", "10", "100", "0.005"))
	for _, c := range [][2]string{{"110", "100"}, {"110", "100"}, {"120", "100"}, {"95", "100"}, {"50", "1"}, {"90", "5"}, {"110", "0"}, {"110", "0"}} {
		add(t, st, trader(t, s, c[1], "", "-1", c[0], "0.005"))
	}
	if _, ok, err := st.Trigger(nil, 6); err != nil || !ok {
		t.Fatalf("Trigger(6) = %v, %v; want liquidatable", ok, err)
	}
	return st
}

// TestOKXScoreNoNegativeZero: under RankOKX a candidate with no equity
// scores its roi alone, (mark - entry)/entry; in a context that rounds
// toward -infinity a long whose entry is the mark (100 - 100) scored -0,
// an output that derivmath.CheckDecimal refuses. The score now goes
// through the result gate.
func TestOKXScoreNoNegativeZero(t *testing.T) {
	ctx := derivmath.NewContext()
	ctx.Rounding = apd.RoundFloor
	s := linear(t, "0.5", "1", "0.01")
	st, err := engine.New(ctx, s, engine.PresetOKX())
	noErr(t, err)
	add(t, st, trader(t, s, "0", "", "1", "100", "0.005"))
	h := add(t, st, trader(t, s, "1000", "", "-1", "100", "0.005"))
	noErr(t, st.SetMark(d("100")))
	q, err := st.AppendADLQueue(nil, h, 0)
	noErr(t, err)
	if len(q) != 1 {
		t.Fatalf("queue %v, want the long alone", q)
	}
	if z := &q[0].Score; derivmath.CheckDecimal(z) != nil || !z.IsZero() {
		t.Errorf("score %s (negative %v), want a valid zero", z.String(), z.Negative)
	}
}

// TestADLQueueFloorZero: in a context that rounds toward -infinity, x - x
// is -0. A Binance candidate whose uPnL at the mark is exactly zero, and a
// BitMEX long at 1x (whose value at bankruptcy, Cost - margin, is zero),
// had that -0 passed to ScoreBinance or ScoreBitMEX, which refuse it:
// AppendADLQueue, and ADL with it, failed with derivmath.ErrNegativeZero.
func TestADLQueueFloorZero(t *testing.T) {
	for _, c := range []struct {
		preset       *engine.Preset
		longMargin   string // 200 is 1x
		holderIsLong bool
	}{
		{engine.PresetBinance(), "100", true},
		{engine.PresetBitMEX(), "200", false},
	} {
		ctx := derivmath.NewContext()
		ctx.Rounding = apd.RoundFloor
		s := linear(t, "0.5", "1", "0.01")
		st, err := engine.New(ctx, s, c.preset)
		noErr(t, err)
		long := add(t, st, trader(t, s, "0", c.longMargin, "1", "200", "0.005"))
		short := add(t, st, trader(t, s, "0", "100", "-1", "200", "0.005"))
		noErr(t, st.SetMark(d("200")))
		holder := short
		if c.holderIsLong {
			holder = long
		}
		q, err := st.AppendADLQueue(nil, holder, 0)
		if err != nil || len(q) != 1 {
			t.Errorf("%s: queue %v, %v; want one candidate", c.preset.Name, q, err)
			continue
		}
		if err := derivmath.CheckDecimal(&q[0].Score); err != nil {
			t.Errorf("%s: score %s: %v", c.preset.Name, q[0].Score.String(), err)
		}
	}
}
