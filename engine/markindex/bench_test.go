package markindex_test

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/engine/markindex"
)

// The benchmark index: n isolated positions and n/10 cross accounts on
// one contract with a tick of 0.1 and the mark at 50,000.0 (500,000
// units). Isolated longs are keyed 1-20% below the mark, shorts 1-20%
// above; cross accounts have a trigger on one side and a 1% band
// (495,000 and 505,000 units) on both. The gap between 495,000 and
// 505,000 holds no key, so ticks inside it hit nothing.
const mark0 = 500_000

func build(n int) (*markindex.Index, []markindex.ID) {
	x, err := markindex.New(apd.New(1, -1), markindex.Deepest)
	if err != nil {
		panic(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	ids := make([]markindex.ID, 0, n+n/10)
	for i := range n {
		id := markindex.ID(i + 1)
		d := 5_000 + r.Int64N(95_000)
		if i%2 == 0 {
			x.Upsert(id, markindex.Key{Lo: mark0 - d})
		} else {
			x.Upsert(id, markindex.Key{Hi: mark0 + d})
		}
		ids = append(ids, id)
	}
	for i := range n / 10 {
		id := markindex.ID(n + i + 1)
		d := 5_000 + r.Int64N(95_000)
		w := 5_000 + r.Int64N(10_000)
		k := markindex.Key{Lo: mark0 - w, Hi: mark0 + w}
		if i%2 == 0 {
			k = k.Or(markindex.Key{Lo: mark0 - d})
		} else {
			k = k.Or(markindex.Key{Hi: mark0 + d})
		}
		x.Upsert(id, k)
		ids = append(ids, id)
	}
	return x, ids
}

var sizes = []int{10_000, 100_000, 1_000_000}

// built caches the indexes, so each size is built once per process.
var built sync.Map // int -> *markindex.Index

func index(b *testing.B, n int) *markindex.Index {
	if n >= 1_000_000 && testing.Short() {
		b.Skip("1M positions: not in -short")
	}
	if x, ok := built.Load(n); ok {
		return x.(*markindex.Index)
	}
	x, _ := build(n)
	built.Store(n, x)
	return x
}

// BenchmarkTickNoHit is a tick with no hit: a decimal mark inside the gap,
// converted to units and compared with the two trees' ends.
func BenchmarkTickNoHit(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			x := index(b, n)
			marks := []*apd.Decimal{apd.New(5_000_012, -2), apd.New(499_995, -1), apd.New(500_003, -1)}
			dst := make([]markindex.ID, 0, 64)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				var err error
				dst, err = x.Tick(marks[i%len(marks)], dst[:0])
				if err != nil || len(dst) != 0 {
					b.Fatal(err, len(dst))
				}
				i++
			}
		})
	}
}

// BenchmarkHit is the cost of one hit and its re-key: a tick at the mark
// just past one long's key finds it, and the caller re-keys it back
// (Upsert: a deletion and an insertion at random places, O(log n)). Each
// op is one tick with one hit and one re-key.
func BenchmarkHit(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			x := index(b, n)
			r := rand.New(rand.NewPCG(3, 4))
			const probe = markindex.ID(1 << 40)
			dst := make([]markindex.ID, 0, 64)
			b.ReportAllocs()
			for b.Loop() {
				// Key the probe inside the gap, tick past it, re-key it
				// far below among the other longs.
				x.Upsert(probe, markindex.Key{Lo: mark0 - 1_000})
				dst = x.TickUnits(mark0-1_000, dst[:0])
				if len(dst) != 1 || dst[0] != probe {
					b.Fatal(dst)
				}
				x.Upsert(probe, markindex.Key{Lo: mark0 - 5_000 - r.Int64N(95_000)})
			}
			x.Remove(probe)
		})
	}
}

// BenchmarkTickHits is a tick that finds k = 100 entries (a mark moved 50
// units into the longs' keys), reported per hit.
func BenchmarkTickHits(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			x := index(b, n)
			dst := make([]markindex.ID, 0, 1<<16)
			// The mark at which about 100 entries fire.
			m := int64(mark0 - 5_000)
			for {
				dst = x.TickUnits(m, dst[:0])
				if len(dst) >= 100 {
					break
				}
				m--
			}
			k := len(dst)
			b.ReportAllocs()
			for b.Loop() {
				dst = x.TickUnits(m, dst[:0])
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(k), "ns/hit")
			b.ReportMetric(float64(k), "hits")
		})
	}
}

// BenchmarkBuild measures the state memory per indexed entry: the heap in
// use after building an index of n isolated positions and n/10 cross
// accounts, divided by the entries.
func BenchmarkBuild(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			if n >= 1_000_000 && testing.Short() {
				b.Skip("1M positions: not in -short")
			}
			b.ReportAllocs() // those of building, which allocates by design
			var per float64
			for b.Loop() {
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				x, ids := build(n)
				runtime.GC()
				runtime.ReadMemStats(&after)
				per = float64(after.HeapAlloc-before.HeapAlloc-uint64(cap(ids))*8) / float64(x.Len())
				runtime.KeepAlive(x)
			}
			b.ReportMetric(per, "B/entry")
		})
	}
}
