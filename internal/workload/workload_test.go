package workload

import (
	"fmt"
	"hash/fnv"
	"testing"
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
