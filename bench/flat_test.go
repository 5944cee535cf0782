package bench

import (
	"slices"
	"testing"

	"github.com/derivmath/derivmath/internal/workload"
	"github.com/derivmath/derivmath/orderbook"
)

// The flat-array reference book (flat.go) covers prices within 2^19 ticks
// of the workloads' mid price.
const (
	flatBase  = workload.MidPrice - 1<<19
	flatWidth = 1 << 20
)

// replayFlat applies op to the flat-array book.
func replayFlat(b *Flat, op *workload.Op, fills []orderbook.Fill) []orderbook.Fill {
	buy := op.Side == orderbook.Buy
	switch op.Kind {
	case workload.Add, workload.Cross:
		return b.Limit(op.ID, buy, op.Price, op.Qty, true, fills[:0])
	case workload.IOC:
		return b.Limit(op.ID, buy, op.Price, op.Qty, false, fills[:0])
	case workload.Cancel:
		if !b.Cancel(op.ID) {
			panic("flat: cancel of an order that is not resting")
		}
	case workload.Market:
		return b.Market(op.ID, buy, op.Qty, fills[:0])
	}
	return fills[:0]
}

// loadFlat resets b to w's starting book.
func loadFlat(b *Flat, w *workload.Workload) {
	b.Reset()
	for _, o := range w.Initial {
		b.Limit(o.ID, o.Side == orderbook.Buy, o.Price, o.Qty, true, nil)
	}
}

// BenchmarkOrderBookFlat replays the mixed, hot and deep workloads
// (internal/workload) on derivmath's book (impl=derivmath) and on the
// flat-array reference book (impl=flat); one op is one operation. When a
// workload runs out, the book is reset to its start with the timer
// stopped.
func BenchmarkOrderBookFlat(b *testing.B) {
	for _, c := range []struct {
		name string
		w    func() *workload.Workload
	}{
		{"mixed", workload.Mixed},
		{"hot", workload.Hot},
		{"deep", workload.Deep},
	} {
		b.Run("workload="+c.name, func(b *testing.B) {
			w := c.w()
			b.Run("impl=derivmath", func(b *testing.B) {
				w.Run(b, w.NewBook(), workload.Replay)
			})
			b.Run("impl=flat", func(b *testing.B) {
				book := NewFlat(flatBase, flatWidth, w.MaxOrders)
				loadFlat(book, w)
				fills := make([]orderbook.Fill, 0, 1024)
				i := 0
				b.ReportAllocs()
				for b.Loop() {
					if i == len(w.Ops) {
						b.StopTimer()
						loadFlat(book, w)
						i = 0
						b.StartTimer()
					}
					fills = replayFlat(book, &w.Ops[i], fills)
					i++
				}
			})
		})
	}
}

// TestFlatAgrees replays the mixed, hot and deep workloads, every
// operation the benchmark replays (the first 20,000 with -short), on
// derivmath's book and on the flat-array reference book, and checks that
// they report the same fills and best prices after every operation, so
// the benchmark compares like with like.
func TestFlatAgrees(t *testing.T) {
	for _, c := range []struct {
		name string
		n    int
		gen  func(int) *workload.Workload
	}{
		{"mixed", workload.N, workload.Generate},
		{"hot", workload.HotN, workload.GenerateHot},
		{"deep", workload.DeepN, workload.GenerateDeep},
	} {
		t.Run(c.name, func(t *testing.T) {
			n := c.n
			if testing.Short() {
				n = 20_000
			}
			w := c.gen(n)
			book := w.NewBook()
			w.Load(t, book)
			flat := NewFlat(flatBase, flatWidth, w.MaxOrders)
			loadFlat(flat, w)
			var fills, ffills []orderbook.Fill
			var err error
			for i := range w.Ops {
				op := &w.Ops[i]
				if fills, err = workload.Replay(book, op, fills); err != nil {
					t.Fatalf("op %d: %v", i, err)
				}
				ffills = replayFlat(flat, op, ffills)
				if !slices.Equal(fills, ffills) {
					t.Fatalf("op %d (%+v): fills %v, flat %v", i, *op, fills, ffills)
				}
				for _, buy := range []bool{true, false} {
					best, ok := book.BestBid()
					if !buy {
						best, ok = book.BestAsk()
					}
					price, qty, fok := flat.Best(buy)
					if ok != fok || ok && (best.Price != price || best.Qty != qty) {
						t.Fatalf("op %d: best %+v (%v), flat %d x %d (%v)", i, best, ok, price, qty, fok)
					}
				}
				if book.Len() != flat.Len() {
					t.Fatalf("op %d: %d orders, flat %d", i, book.Len(), flat.Len())
				}
			}
		})
	}
}
