package markindex_test

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/engine/markindex"
)

// TestAllocs checks that ticks and re-keys allocate nothing in the steady
// state: an index of 100,000 entries, a dst with room, and re-keys that
// move an entry and put it back.
func TestAllocs(t *testing.T) {
	x, _ := build(100_000)
	dst := make([]markindex.ID, 0, 1<<12)
	gap := apd.New(500_003, -1)
	deep := apd.New(4_940_001, -2) // about 1% into the longs' keys
	offTick := apd.New(49_999_987, -3)
	const probe = markindex.ID(1 << 40)
	x.Upsert(probe, markindex.Key{Lo: mark0 - 7_000})
	var err error // a Tick that fails measures its early return, not the walk
	for _, c := range []struct {
		name string
		fn   func()
	}{
		{"Tick no hit", func() { dst, err = x.Tick(gap, dst[:0]) }},
		{"Tick off the tick", func() { dst, err = x.Tick(offTick, dst[:0]) }},
		{"Tick with hits", func() { dst, err = x.Tick(deep, dst[:0]) }},
		{"TickUnits", func() { dst = x.TickUnits(mark0-6_000, dst[:0]) }},
		{"Upsert re-key", func() {
			x.Upsert(probe, markindex.Key{Lo: mark0 - 90_000})
			x.Upsert(probe, markindex.Key{Lo: mark0 - 7_000})
		}},
		{"Remove and Upsert", func() {
			x.Remove(probe)
			x.Upsert(probe, markindex.Key{Lo: mark0 - 7_000, Hi: mark0 + 7_000})
		}},
	} {
		err = nil
		if got := testing.AllocsPerRun(100, c.fn); got != 0 {
			t.Errorf("%s: %v allocations, want 0", c.name, got)
		}
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	if dst, err = x.Tick(deep, dst[:0]); err != nil || len(dst) == 0 {
		t.Errorf("the deep tick hit nothing (%v)", err)
	}
}
