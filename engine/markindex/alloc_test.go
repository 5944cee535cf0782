package markindex_test

import (
	"slices"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/engine/markindex"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/derivmath/derivmath/liquidation"
)

// TestAllocs checks that ticks and re-keys allocate nothing in the steady
// state: an index of 100,000 entries, a dst with room, and re-keys that
// move an entry and put it back, or that add 200 entries and remove them
// (splitting and merging leaves of the big index, and growing a small
// index's root leaf into an inner node and back), so each run does the
// same work.
//
// As orderbook's TestAllocs does, it counts every allocation of 1,000
// runs of each row, not the average that testing.AllocsPerRun rounds
// down, so that a slab of the tree that grows now and then, as one does
// when a free list leaks, is seen; the least count of three attempts,
// each on indexes built afresh, keeps out the runtime's own allocations.
//
// The rows of innerCases split a full inner node and merge two inner
// nodes in each run, which allocCases's rows do not; a run of theirs adds and
// removes thousands of entries, so they run 100 times, not 1,000. That is
// enough for a free list that leaks one inner node in ten to outgrow the
// slab of inner nodes of their trees, which hold a handful.
func TestAllocs(t *testing.T) {
	rows := func(cases []allocCase) []dectest.AllocCase {
		var rows []dectest.AllocCase
		for _, c := range cases {
			// A Tick that fails would measure its early return, not the
			// walk: any run's error fails the test.
			rows = append(rows, dectest.AllocCase{Name: c.name, Fn: func() {
				if err := c.fn(); err != nil {
					t.Fatalf("%s: %v", c.name, err)
				}
			}})
		}
		return rows
	}
	dectest.CheckMallocs(t, 3, 1, 1000, func() []dectest.AllocCase { return rows(allocCases(t)) })
	dectest.CheckMallocs(t, 3, 1, 100, func() []dectest.AllocCase { return rows(innerCases(t)) })
}

// innerCases builds the indexes of TestAllocs's rows that split and merge
// inner nodes afresh, and returns the rows, to be run in order.
//
// The entries of an index at one key, added in the order of their IDs,
// each go at the end of the tree (tree.go): the last leaf, full at leafCap
// (64) entries, splits in halves, and so does the last inner node, full at
// innerCap (64) children, so that the tree is of leaves of 32 entries
// under inner nodes of 32 children. The first row's index of 4,000
// entries is 124 leaves (the last full) under 3 inner nodes of 32, 32 and
// 60 children. Its 1,500 entries more, some 47 leaves, fill the last inner
// node to 64 children and split it, and in the first run the new last one
// once more; their removal merges the last two inner nodes, leaving 4
// above the leaves, from which each later run splits the last and merges
// it back (TestAllocsInnerNodes counts them). The second row adds 2,100
// entries, some 65 leaves, to an index of one entry: its root leaf grows
// into an inner node, which fills to 64 children and splits under a new
// root; their removal merges the two inner nodes and shrinks the tree back
// to a leaf.
func innerCases(t *testing.T) []allocCase {
	t.Helper()
	var rows []allocCase
	for _, b := range innerBursts(t) {
		rows = append(rows, allocCase{b.name, func() error { b.add(); b.remove(); return nil }})
	}
	return rows
}

// An innerBurst is a row of innerCases: a run adds n entries to x at k,
// after all of x's, and removes them.
type innerBurst struct {
	name string
	x    *markindex.Index
	n    int
	k    markindex.Key
}

const burstID = markindex.ID(1 << 40)

func (b *innerBurst) add() {
	for i := range markindex.ID(b.n) {
		b.x.Upsert(burstID+i, b.k)
	}
}

func (b *innerBurst) remove() {
	for i := range markindex.ID(b.n) {
		b.x.Remove(burstID + i)
	}
}

// innerBursts builds innerCases's indexes afresh and returns its rows.
func innerBursts(t *testing.T) []*innerBurst {
	t.Helper()
	wide := func(n int, k markindex.Key) *markindex.Index {
		y, err := markindex.New(apd.New(1, -1), markindex.Deepest)
		if err != nil {
			t.Fatal(err)
		}
		for i := range markindex.ID(n) {
			y.Upsert(i+1, k)
		}
		return y
	}
	hi := markindex.Key{Hi: mark0 + 100}
	lo := markindex.Key{Lo: mark0 - 100}
	return []*innerBurst{
		{"Upsert 1,500 entries at one key, a full inner node splits; Remove them, two inner nodes merge", wide(4_000, hi), 1_500, hi},
		{"small index: Upsert 2,100 entries, the full root inner node splits; Remove them, two inner nodes merge", wide(1, lo), 2_100, lo},
	}
}

// TestAllocsInnerNodes checks that innerCases's rows, sized from tree.go's
// capacities, split a full inner node and merge two inner nodes in each
// run, as TestAllocs says, so that a change of leafCap or innerCap that
// leaves them short fails here and not silently. It counts the inner
// nodes of each level of the row's tree (InnerLevels) before a run, at its
// peak (all entries added) and after it, for three runs of each row.
// While entries are only added, a level gains inner nodes only by the
// split of a full one or as the tree's new root, once, when the level had
// none: a level that gains more than that split one. While they are only
// removed, a level loses them only by a merge into a sibling or as a
// root left with one child, once, leaving the level empty: a level that
// loses more than that merged two. From the second run on, which
// CheckMallocs counts, a run ends with the inner nodes it started with.
// (The first row's first run splits twice, 3 inner nodes above the leaves
// to 5, and merges once, to 4; from then on each run goes from 4 to 5 and
// back.)
func TestAllocsInnerNodes(t *testing.T) {
	levels := func(b *innerBurst) []int {
		lo, hi := b.x.InnerLevels()
		if b.k.Hi > 0 {
			return hi
		}
		return lo
	}
	// moved reports whether from -> to changed a level by more than a
	// root's coming or going (counts of from, to at index L; 0 past the
	// end).
	moved := func(from, to []int) bool {
		for l := range max(len(from), len(to)) {
			var f, g int
			if l < len(from) {
				f = from[l]
			}
			if l < len(to) {
				g = to[l]
			}
			root := 0
			if f == 0 || g == 0 {
				root = 1
			}
			if g-f > root || f-g > root {
				return true
			}
		}
		return false
	}
	for _, b := range innerBursts(t) {
		for run := range 3 {
			before := levels(b)
			b.add()
			peak := levels(b)
			b.remove()
			after := levels(b)
			if !moved(before, peak) {
				t.Errorf("%s, run %d: no inner node split: inner nodes by level %v, at the peak %v", b.name, run, before, peak)
			}
			if !moved(peak, after) {
				t.Errorf("%s, run %d: no inner nodes merged: inner nodes by level %v at the peak, after %v", b.name, run, peak, after)
			}
			if run > 0 && !slices.Equal(before, after) {
				t.Errorf("%s, run %d: inner nodes by level %v, after the run %v", b.name, run, before, after)
			}
		}
	}
}

// An allocCase is a row of TestAllocs: fn is run many times.
type allocCase struct {
	name string
	fn   func() error
}

// allocCases builds the indexes of TestAllocs afresh, and returns its
// rows, to be run in order.
func allocCases(t *testing.T) []allocCase {
	t.Helper()
	x, _ := build(100_000)
	small, err := markindex.New(apd.New(1, -1), markindex.Deepest)
	if err != nil {
		t.Fatal(err)
	}
	small.Upsert(1, markindex.Key{Lo: mark0 - 1})
	dst := make([]markindex.ID, 0, 1<<12)
	gap := apd.New(500_003, -1)
	deep := apd.New(4_940_001, -2) // about 1% into the longs' keys
	offTick := apd.New(49_999_987, -3)
	if dst, err = x.Tick(deep, dst[:0]); err != nil || len(dst) == 0 {
		t.Fatalf("the deep tick hit nothing (%v)", err)
	}
	const probe = markindex.ID(1 << 40)
	x.Upsert(probe, markindex.Key{Lo: mark0 - 7_000})
	// burst adds 200 entries to y at one key, which splits leaves, and
	// removes them, which merges them.
	burst := func(y *markindex.Index) error {
		for i := range markindex.ID(200) {
			y.Upsert(probe+1+i, markindex.Key{Lo: mark0 - 50_000})
		}
		for i := range markindex.ID(200) {
			y.Remove(probe + 1 + i)
		}
		return nil
	}
	return []allocCase{
		{"Tick no hit", func() (err error) { dst, err = x.Tick(gap, dst[:0]); return err }},
		{"Tick off the tick", func() (err error) { dst, err = x.Tick(offTick, dst[:0]); return err }},
		{"Tick with hits", func() (err error) { dst, err = x.Tick(deep, dst[:0]); return err }},
		{"TickUnits", func() error { dst = x.TickUnits(mark0-6_000, dst[:0]); return nil }},
		{"Upsert re-key", func() error {
			x.Upsert(probe, markindex.Key{Lo: mark0 - 90_000})
			x.Upsert(probe, markindex.Key{Lo: mark0 - 7_000})
			return nil
		}},
		{"Remove and Upsert", func() error {
			x.Remove(probe)
			x.Upsert(probe, markindex.Key{Lo: mark0 - 7_000, Hi: mark0 + 7_000})
			return nil
		}},
		{"Upsert 200 entries at one key, Remove them", func() error { return burst(x) }},
		{"small index: Upsert 200 entries, Remove them", func() error { return burst(small) }},
	}
}

// TestAllocsKeys covers what TestAllocs leaves out: the readers, Below and
// Above, the keys of a compiled Solver, of an isolated position and of a
// cross account (Cross, once Report has grown the account's Solver), and
// the failed calls, whose errors are all sentinels. None allocates, and
// each row succeeds or fails, as it says, on every run.
//
// As TestAllocs does, it counts every allocation of 1,000 runs of each
// row, the least of three attempts on accounts and indexes built afresh.
func TestAllocsKeys(t *testing.T) {
	dectest.CheckMallocs(t, 3, 1, 1000, func() []dectest.AllocCase { return keyCases(t) })
}

// keyCases builds the accounts and indexes of TestAllocsKeys afresh, and
// returns its rows.
func keyCases(t *testing.T) []dectest.AllocCase {
	t.Helper()
	noErr := func(t *testing.T, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	ctx := derivmath.NewContext()
	a, err := account.New(ctx, liquidation.Binance)
	noErr(t, err)
	btc := contract.BTCUSDT()
	eth, err := contract.New(contract.Params{Symbol: "ETHUSDT", Kind: contract.Linear, Settle: "USDT", Multiplier: "1", Tick: "0.01", Lot: "0.001"})
	noErr(t, err)
	noErr(t, a.SetMark(btc, d("60000")))
	noErr(t, a.SetMark(eth, d("3000")))
	noErr(t, a.SetWallet("USDT", d("1300")))
	for _, p := range []*account.Position{
		{Spec: btc, Side: account.OneWay, Mode: account.Cross},
		{Spec: eth, Side: account.OneWay, Mode: account.Cross},
	} {
		p.Qty.Set(d("1"))
		if p.Spec == eth {
			p.Qty.Set(d("10"))
		}
		a.Mark(&p.Entry, p.Spec)
		p.Leverage.SetInt64(20)
		p.MMR.Set(d("0.005"))
		noErr(t, a.Set(p))
	}
	// An isolated short of 0.5 BTCUSDT, in an account of its own (Cross
	// refuses an isolated position on a leg's contract).
	ia, err := account.New(ctx, liquidation.Bybit)
	noErr(t, err)
	noErr(t, ia.SetMark(btc, d("60000")))
	noErr(t, ia.SetWallet("USDT", d("10000")))
	ip := &account.Position{Spec: btc, Side: account.OneWay, Mode: account.Isolated}
	ip.Qty.Set(d("-0.5"))
	ip.Entry.Set(d("60000"))
	ip.Leverage.SetInt64(10)
	ip.Margin.Set(d("3000"))
	ip.MMR.Set(d("0.005"))
	noErr(t, ia.Set(ip))
	bx, err := markindex.New(&btc.Tick, markindex.Deepest)
	noErr(t, err)
	ex, err := markindex.New(&eth.Tick, markindex.Deepest)
	noErr(t, err)
	legs := []markindex.Leg{{Spec: btc, Index: bx}, {Spec: eth, Index: ex}}
	tol := d("0.01")
	var r account.Report
	for i := range a.Len() {
		noErr(t, a.Report(&r, i, liquidation.Exact))
	}
	noErr(t, ia.Report(&r, 0, liquidation.Exact))
	la := &liquidation.Account{Spec: btc, Convention: liquidation.Binance}
	la.Legs = []liquidation.Leg{{}}
	la.Legs[0].Qty.Set(d("0.5"))
	la.Legs[0].Entry.Set(d("60000"))
	la.Legs[0].MMR.Set(d("0.005"))
	la.Balance.Set(d("1500"))
	s, err := liquidation.Compile(ctx, la)
	noErr(t, err)
	p, mark, zero, nan := d("59123.45"), d("60000"), d("0"), d("NaN")
	var u apd.Decimal
	var dst []markindex.ID
	var rows []dectest.AllocCase
	for _, c := range []struct {
		name  string
		fails bool
		fn    func() error
	}{
		{"Unit", false, func() error { bx.Unit(&u); return nil }},
		{"Len", false, func() error { _ = bx.Len(); return nil }},
		{"Key", false, func() error { _, _ = bx.Key(1); return nil }},
		{"Below", false, func() error { _, err := bx.Below(p); return err }},
		{"Above", false, func() error { _, err := bx.Above(p); return err }},
		{"Solver", false, func() error { _, err := bx.Solver(s, mark); return err }},
		{"Position", false, func() error { _, err := bx.Position(ia, 0); return err }},
		{"Cross", false, func() error { return markindex.Cross(a, "USDT", tol, legs) }},
		{"Tick bad mark", true, func() (err error) { dst, err = bx.Tick(zero, dst[:0]); return err }},
		{"Below NaN", true, func() error { _, err := bx.Below(nan); return err }},
		{"Solver bad mark", true, func() error { _, err := bx.Solver(s, zero); return err }},
		{"Position index", true, func() error { _, err := bx.Position(ia, 1); return err }},
		{"Position cross", true, func() error { _, err := bx.Position(a, 0); return err }},
		{"Cross tolerance", true, func() error { return markindex.Cross(a, "USDT", nan, legs) }},
	} {
		if c.fails {
			rows = append(rows, dectest.Fails(t, c.name, nil, c.fn))
			continue
		}
		rows = append(rows, dectest.AllocCase{Name: c.name, Fn: func() {
			if err := c.fn(); err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
		}})
	}
	return rows
}
