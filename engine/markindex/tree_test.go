package markindex

import (
	"slices"
	"testing"

	"pgregory.net/rapid"
)

type pair struct {
	k  int64
	id uint64
}

func cmpPair(a, b pair) int {
	if less(a.k, a.id, b.k, b.id) {
		return -1
	}
	if a == b {
		return 0
	}
	return 1
}

// check walks t's leaves and inner nodes and compares them with want.
func (t *tree) check(rt interface{ Fatalf(string, ...any) }, want []pair) {
	var got []pair
	prev := int32(0)
	for h := t.first; h != 0 && t.n > 0; h = t.leaves[h].next {
		x := &t.leaves[h]
		if x.prev != prev {
			rt.Fatalf("leaf %d: prev %d, want %d", h, x.prev, prev)
		}
		if t.height > 0 && x.n < minLeaf {
			rt.Fatalf("leaf %d under-full: %d", h, x.n)
		}
		for i := range x.n {
			got = append(got, pair{x.keys[i], x.ids[i]})
		}
		prev = h
	}
	if !slices.Equal(got, want) || t.n != len(want) {
		rt.Fatalf("entries %v (n %d), want %v", got, t.n, want)
	}
	if t.height > 0 {
		t.checkInner(rt, t.root, 0, pair{-1 << 63, 0}, false)
	}
}

func (t *tree) checkInner(rt interface{ Fatalf(string, ...any) }, h int32, d int, lower pair, root bool) {
	if d == t.height {
		x := &t.leaves[h]
		if x.n > 0 && less(x.keys[0], x.ids[0], lower.k, lower.id) {
			rt.Fatalf("leaf %d starts below its bound", h)
		}
		return
	}
	x := &t.inners[h]
	if d > 0 && x.n < minInner {
		rt.Fatalf("inner %d under-full: %d", h, x.n)
	}
	if d == 0 && x.n < 2 {
		rt.Fatalf("root with %d children", x.n)
	}
	for i := range x.n {
		b := lower
		if i > 0 {
			b = pair{x.keys[i], x.ids[i]}
		}
		t.checkInner(rt, x.kids[i], d+1, b, false)
	}
}

func TestTreeModel(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		var tr tree
		var model []pair
		keyGen := rapid.Int64Range(-50, 50)
		n := rapid.IntRange(1, 3000).Draw(rt, "ops")
		bulk := rapid.Bool().Draw(rt, "bulk")
		for range n {
			ins := len(model) == 0 || rapid.IntRange(0, 9).Draw(rt, "op") < 6
			if bulk && len(model) > 300 {
				ins = rapid.IntRange(0, 9).Draw(rt, "op") < 3
			}
			if ins {
				p := pair{keyGen.Draw(rt, "k"), rapid.Uint64Range(0, 200).Draw(rt, "id")}
				i, found := slices.BinarySearchFunc(model, p, cmpPair)
				if found {
					continue
				}
				model = slices.Insert(model, i, p)
				tr.insert(p.k, p.id)
			} else {
				i := rapid.IntRange(0, len(model)-1).Draw(rt, "i")
				p := model[i]
				model = slices.Delete(model, i, i+1)
				if !tr.remove(p.k, p.id) {
					rt.Fatalf("remove %v: not found", p)
				}
				if tr.remove(p.k, p.id) {
					rt.Fatalf("remove %v twice", p)
				}
			}
		}
		tr.check(rt, model)
	})
}

// TestTreeDeep grows a tree three inner levels deep, then empties it in a
// scattered order, checking the structure on the way.
func TestTreeDeep(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	for _, seed := range []uint64{1, 0xdeadbeef, 1 << 40} {
		rt := t
		var tr tree
		const n = 200_000
		step := 2 + int(seed%3)
		key := func(i int) pair { return pair{int64((uint64(i)*0x9E3779B97F4A7C15 ^ seed) % 1000), uint64(i)} }
		var model, kept []pair
		for i := range n {
			p := key(i)
			tr.insert(p.k, p.id)
			model = append(model, p)
			if i%step != 0 {
				kept = append(kept, p)
			}
		}
		slices.SortFunc(model, cmpPair)
		slices.SortFunc(kept, cmpPair)
		if tr.height < 3 {
			rt.Fatalf("height %d", tr.height)
		}
		tr.check(rt, model)
		for i := 0; i < n; i += step {
			if p := key(i); !tr.remove(p.k, p.id) {
				rt.Fatalf("remove %v", p)
			}
		}
		tr.check(rt, kept)
		for _, p := range kept {
			tr.remove(p.k, p.id)
		}
		tr.check(rt, nil)
		if tr.height != 0 {
			rt.Fatalf("height %d after emptying", tr.height)
		}
	}
}
