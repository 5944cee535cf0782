package bench

import (
	"fmt"
	"sync"
	"testing"

	"github.com/derivmath/derivmath/internal/workload"
	"github.com/derivmath/derivmath/orderbook"
	"github.com/shopspring/decimal"
)

// The order book's mixed workload (internal/workload): a book
// of about 100,000 orders on about 1,000 levels, then 1,000,000
// operations: 60% limit orders added near the touch, 30% cancels of
// resting orders picked at random, and 10% marketable orders (half market
// IOC, half GTC limits through the touch). The same sequence drives
// derivmath's own orderbook benchmark; here it is replayed on both books
// from the same start. Prices are ticks of 0.1 USD and quantities lots of
// 0.001 BTC; the baseline receives them as decimals, converted before the
// timer starts, as its API would.

const (
	tickExp = -1 // a tick is 0.1
	lotExp  = -3 // a lot is 0.001
)

// naiveOp is a workload.Op in the baseline's decimals.
type naiveOp struct {
	id         uint64
	price, qty decimal.Decimal
	kind       workload.Kind
	buy        bool
}

// mixedWorkload is the workload, with the same in decimals for the
// baseline.
type mixedWorkload struct {
	*workload.Workload
	naiveInitial []naiveOp
	naiveOps     []naiveOp
}

var mixed = sync.OnceValue(func() *mixedWorkload { return genWorkload(workload.N) })

// genWorkload generates the first n operations of the mixed workload, and
// translates them for the baseline.
func genWorkload(n int) *mixedWorkload {
	w := &mixedWorkload{Workload: workload.Generate(n)}
	for _, o := range w.Initial {
		w.naiveInitial = append(w.naiveInitial, toNaive(workload.Op{Kind: workload.Add, ID: o.ID, Side: o.Side, Price: o.Price, Qty: o.Qty}))
	}
	for _, op := range w.Ops {
		w.naiveOps = append(w.naiveOps, toNaive(op))
	}
	return w
}

func toNaive(op workload.Op) naiveOp {
	return naiveOp{
		id: uint64(op.ID), kind: op.Kind, buy: op.Side == orderbook.Buy,
		price: decimal.New(op.Price, tickExp), qty: decimal.New(op.Qty, lotExp),
	}
}

// replayNaive applies op to the baseline. It panics on an operation the
// baseline does not implement (an IOC limit), which it would otherwise
// skip.
func replayNaive(b *Naive, op *naiveOp, fills []NaiveFill) []NaiveFill {
	switch op.kind {
	case workload.Add, workload.Cross:
		return b.Limit(op.id, op.buy, op.price, op.qty, fills[:0])
	case workload.Cancel:
		if !b.Cancel(op.id) {
			panic("baseline: cancel of an order that is not resting")
		}
	case workload.Market:
		return b.Market(op.id, op.buy, op.qty, fills[:0])
	default:
		panic(fmt.Sprintf("baseline: no operation of kind %d", op.kind))
	}
	return fills[:0]
}

// loadNaive returns a baseline book holding the starting book.
func (w *mixedWorkload) loadNaive() *Naive {
	b := NewNaive()
	for i := range w.naiveInitial {
		replayNaive(b, &w.naiveInitial[i], nil)
	}
	return b
}

// BenchmarkOrderBookMixed replays the mixed workload on each book; one op
// is one operation. When the workload runs out, the book is reset to its
// start with the timer stopped.
func BenchmarkOrderBookMixed(b *testing.B) {
	w := mixed()
	b.Run("impl=derivmath", func(b *testing.B) {
		w.Run(b, workload.NewBook(), workload.Replay)
	})
	b.Run("impl=baseline", func(b *testing.B) {
		book := w.loadNaive()
		fills := make([]NaiveFill, 0, 1024)
		i := 0
		b.ReportAllocs()
		for b.Loop() {
			if i == len(w.naiveOps) {
				b.StopTimer()
				book = w.loadNaive()
				i = 0
				b.StartTimer()
			}
			fills = replayNaive(book, &w.naiveOps[i], fills)
			i++
		}
	})
}

// TestReplayNaiveRefusesIOC checks that the baseline refuses an operation
// it does not implement (an IOC limit) instead of skipping it, which would
// leave it less work than derivmath's book in the same benchmark.
func TestReplayNaiveRefusesIOC(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("replayNaive of an IOC limit did not panic")
		}
	}()
	replayNaive(NewNaive(), &naiveOp{id: 1, kind: workload.IOC, buy: true, price: decimal.New(10, 0), qty: decimal.New(1, 0)}, nil)
}
