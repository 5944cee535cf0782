package workload

import (
	"fmt"
	"hash/fnv"
	"testing"

	"github.com/derivmath/derivmath/orderbook"
)

// TestMix checks the start of the mixed workload: the op mix is near
// 60/30/10, and the book stays near 100,000 orders and 1,000 levels.
func TestMix(t *testing.T) {
	const n = 50_000
	w := Generate(n)
	if len(w.Initial) != Orders || len(w.Ops) != n {
		t.Fatalf("%d initial orders and %d ops, want %d and %d", len(w.Initial), len(w.Ops), Orders, n)
	}
	var count [Cross + 1]int
	for _, op := range w.Ops {
		count[op.Kind]++
	}
	for _, c := range []struct {
		name string
		got  int
		want float64
	}{
		{"adds", count[Add], 0.6},
		{"cancels", count[Cancel], 0.3},
		{"marketable", count[Market] + count[Cross], 0.1},
	} {
		if f := float64(c.got) / n; f < c.want-0.02 || f > c.want+0.02 {
			t.Errorf("%s: %.3f of ops, want %.2f±0.02", c.name, f, c.want)
		}
	}
	if w.Orders < 90_000 || w.Orders > 110_000 {
		t.Errorf("%.0f resting orders on average, want about 100,000", w.Orders)
	}
	if w.Levels < 900 || w.Levels > 1100 {
		t.Errorf("%.0f levels on average, want about 1,000", w.Levels)
	}
	b := NewBook()
	w.Load(t, b)
	if b.Len() != Orders {
		t.Errorf("starting book holds %d orders, want %d", b.Len(), Orders)
	}
}

// TestSequence pins the start of the sequence, so that benchmark figures
// stay comparable across changes to the generator: a change that alters
// the draws shows here.
func TestSequence(t *testing.T) {
	w := Generate(50_000)
	var buf []byte
	for _, o := range w.Initial {
		buf = fmt.Append(buf, o.ID, o.Side, o.Price, o.Qty, ";")
	}
	for _, o := range w.Ops {
		buf = fmt.Append(buf, o.ID, o.Side, o.Price, o.Qty, o.Kind, ";")
	}
	h := fnv.New64a()
	h.Write(buf)
	got := fmt.Sprintf("%x %v %v", h.Sum64(), w.Orders, w.Levels)
	if want := "d12373962856a0a5 98507.54 990.22"; got != want {
		t.Errorf("fingerprint %s, want %s", got, want)
	}
}

// TestShapes checks the size each workload keeps, replaying the start of
// each on a book: every operation succeeds, and the book stays near its
// dimensions.
func TestShapes(t *testing.T) {
	hot := GenerateHot(50_000)
	if hot.Orders < 300 || hot.Orders > 700 || hot.Levels > 2*HotLevels+4 {
		t.Errorf("hot: %.0f orders on %.1f levels on average, want about %d within %d levels a side",
			hot.Orders, hot.Levels, HotOrders, HotLevels)
	}
	deep := GenerateDeep(50_000)
	for _, w := range []*Workload{hot, deep, Scaled(20_000, 1_000), Scaled(20_000, 10_000)} {
		b := w.NewBook()
		w.Load(t, b)
		var fills []orderbook.Fill
		var err error
		for i := range w.Ops {
			if fills, err = Replay(b, &w.Ops[i], fills); err != nil {
				t.Fatalf("op %d %+v: %v", i, w.Ops[i], err)
			}
		}
	}
	if b := deep.NewBook(); true {
		deep.Load(t, b)
		n := 0
		for range b.Levels(orderbook.Buy) {
			n++
		}
		if n != DeepLevels {
			t.Errorf("deep: %d bid levels, want %d", n, DeepLevels)
		}
	}

	g := NewWide(2_000)
	b := g.NewBook()
	g.Load(t, b)
	ops := make([]Op, 20_000)
	g.Next(ops)
	var fills []orderbook.Fill
	var err error
	for i := range ops {
		if fills, err = Replay(b, &ops[i], fills); err != nil {
			t.Fatalf("wide op %d %+v: %v", i, ops[i], err)
		}
	}
	levels := len(b.AppendDepth(b.AppendDepth(nil, orderbook.Buy, 1<<20), orderbook.Sell, 1<<20))
	if levels < 1_700 || levels > 2_300 {
		t.Errorf("wide: %d levels after 20,000 ops, want about 2,000", levels)
	}
	if bid, _ := b.BestBid(); bid.Price != WideMid-1 || bid.Qty != wideTouch*100 {
		t.Errorf("wide: best bid %+v, want %d lots at %d", bid, wideTouch*100, WideMid-1)
	}
}
