package orderbook

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"pgregory.net/rapid"
)

// check verifies the table's invariants: n counts the entries; every
// entry lies at or after its home with no empty slot between; entries lie
// in the order of their homes (an entry is at most one slot further from
// its home than the entry before it); and probe finds each entry's ID at
// its slot.
func (t *idTable) check(orders []order) error {
	n := 0
	mask := len(t.slots) - 1
	for i, s := range t.slots {
		if s.h == 0 {
			continue
		}
		n++
		d := t.dist(i, s.tag)
		for k := 1; k <= d; k++ {
			if t.slots[(i-k)&mask].h == 0 {
				return fmt.Errorf("slot %d: %d from home, slot %d before it empty", i, d, (i-k)&mask)
			}
		}
		if prev := t.slots[(i-1)&mask]; d > 0 && t.dist((i-1)&mask, prev.tag) < d-1 {
			return fmt.Errorf("slot %d: %d from home after an entry %d from its own", i, d, t.dist((i-1)&mask, prev.tag))
		}
		if j, ok := t.probe(t.home(s.tag), s.tag, orders[s.h].id, orders); !ok || j != i {
			return fmt.Errorf("slot %d: probe for ID %d gives %d, %v", i, orders[s.h].id, j, ok)
		}
	}
	if n != t.n {
		return fmt.Errorf("%d entries, n = %d", n, t.n)
	}
	return nil
}

// TestIDTable runs the ID table against a map: IDs added in sequence, at
// random and in colliding runs, removed by handle and by slot, from an
// empty table that grows.
func TestIDTable(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		var tab idTable
		if rapid.Bool().Draw(rt, "reserved") {
			tab.reserve(rapid.IntRange(0, 64).Draw(rt, "capacity"))
		}
		orders := make([]order, 1, 256)
		model := map[OrderID]int32{} // ID -> handle
		var free []int32
		next := OrderID(rapid.Uint64().Draw(rt, "first"))
		drawID := func() OrderID {
			switch rapid.IntRange(0, 3).Draw(rt, "id kind") {
			case 0: // in sequence, as exchanges number orders
				next++
				return next
			case 1: // a group of eight shared with others: colliding homes
				return OrderID(rapid.IntRange(0, 63).Draw(rt, "low"))
			case 2: // one present already
				for id := range model {
					return id
				}
			}
			return OrderID(rapid.Uint64().Draw(rt, "any"))
		}
		for step := range rapid.IntRange(1, 400).Draw(rt, "steps") {
			id := drawID()
			h, present := model[id]
			i, found := -1, false
			if len(tab.slots) > 0 {
				i, found = tab.probe(tab.home(tab.tag(id)), tab.tag(id), id, orders)
			}
			if found != present || (found && tab.slots[i].h != h) {
				rt.Fatalf("step %d: probe(%d) = %d, %v; model has %v, handle %d", step, id, i, found, present, h)
			}
			if got := tab.get(id, orders); got != h {
				rt.Fatalf("step %d: get(%d) = %d, want %d", step, id, got, h)
			}
			switch {
			case !present:
				var nh int32
				if len(free) > 0 {
					nh, free = free[len(free)-1], free[:len(free)-1]
				} else {
					orders = append(orders, order{})
					nh = int32(len(orders) - 1)
				}
				orders[nh].id = id
				if i < 0 || 4*(tab.n+1) > 3*len(tab.slots) {
					var tag uint32
					i, tag = tab.makeRoom(id, orders)
					if tag != tab.tag(id) {
						rt.Fatalf("makeRoom: tag %x, want %x", tag, tab.tag(id))
					}
				}
				tab.put(i, idSlot{tag: tab.tag(id), h: nh})
				model[id] = nh
			case rapid.Bool().Draw(rt, "by slot"):
				tab.delAt(i)
				delete(model, id)
				free = append(free, h)
			default:
				tab.del(id, h)
				delete(model, id)
				free = append(free, h)
			}
			if err := tab.check(orders); err != nil {
				rt.Fatalf("step %d: %v", step, err)
			}
		}
		for id, h := range model {
			if got := tab.get(id, orders); got != h {
				rt.Fatalf("get(%d) = %d, want %d", id, got, h)
			}
		}
	})
}

// TestIDTableLarge fills a table with 200,000 IDs, in sequence and at
// random, growing it from empty, removes a random half and puts a quarter
// back, and checks every lookup and the invariants.
func TestIDTableLarge(t *testing.T) {
	const n = 200_000
	var tab idTable
	orders := make([]order, 1, n+1)
	model := map[OrderID]int32{}
	seq := OrderID(1 << 40)
	r := uint64(12345)
	for k := range n {
		var id OrderID
		if k%3 == 0 { // xorshift: IDs at random
			r ^= r << 13
			r ^= r >> 7
			r ^= r << 17
			id = OrderID(r)
		} else {
			seq++
			id = seq
		}
		if _, ok := model[id]; ok {
			continue
		}
		orders = append(orders, order{id: id})
		h := int32(len(orders) - 1)
		i, tag := tab.makeRoom(id, orders)
		tab.put(i, idSlot{tag: tag, h: h})
		model[id] = h
	}
	removed := make([]OrderID, 0, n/2)
	for id, h := range model { // map order: a random half
		if len(removed) == cap(removed) {
			break
		}
		tab.del(id, h)
		removed = append(removed, id)
	}
	for _, id := range removed {
		delete(model, id)
	}
	for _, id := range removed[:len(removed)/2] {
		orders = append(orders, order{id: id})
		h := int32(len(orders) - 1)
		i, tag := tab.makeRoom(id, orders)
		tab.put(i, idSlot{tag: tag, h: h})
		model[id] = h
	}
	for id, h := range model {
		if got := tab.get(id, orders); got != h {
			t.Fatalf("get(%d) = %d, want %d", id, got, h)
		}
	}
	for _, id := range removed[len(removed)/2:] {
		if got := tab.get(id, orders); got != 0 {
			t.Fatalf("removed ID %d found at %d", id, got)
		}
	}
	if err := tab.check(orders); err != nil {
		t.Fatal(err)
	}
}

// TestIDTagCollision checks that an ID is confirmed against its order, not
// taken from its tag alone: two IDs of the same tag (the same low three
// bits, and groups whose hashes share their top 29 bits) are distinct
// orders to Limit, Order and Cancel.
func TestIDTagCollision(t *testing.T) {
	b := New(4, 4)
	// Groups drawn at random: the Fibonacci hash spreads consecutive
	// ones evenly, so that they would not collide for 2^29 groups.
	r := rand.New(rand.NewPCG(1, 2))
	seen := map[uint32]OrderID{}
	var a, c OrderID
	for {
		id := OrderID(r.Uint64())&^7 | 5
		tag := b.ids.tag(id)
		if prev, ok := seen[tag]; ok {
			a, c = prev, id
			break
		}
		seen[tag] = id
	}
	if _, err := b.Limit(Order{ID: a, Side: Buy, Type: GTC, Price: 100, Qty: 1}, nil); err != nil {
		t.Fatal(err)
	}
	if o, ok := b.Order(c); ok {
		t.Errorf("Order(%d) = %+v, true; only %d of the same tag rests", c, o, a)
	}
	if o, err := b.Cancel(c); !errors.Is(err, ErrUnknownOrder) {
		t.Errorf("Cancel(%d) = %+v, %v; want ErrUnknownOrder: only %d of the same tag rests", c, o, err, a)
	}
	if _, err := b.Limit(Order{ID: c, Side: Buy, Type: GTC, Price: 99, Qty: 2}, nil); err != nil {
		t.Fatalf("Limit of %d beside %d of the same tag: %v", c, a, err)
	}
	for _, want := range []Order{{ID: c, Side: Buy, Type: GTC, Price: 99, Qty: 2}, {ID: a, Side: Buy, Type: GTC, Price: 100, Qty: 1}} {
		if got, err := b.Cancel(want.ID); err != nil || got != want {
			t.Errorf("Cancel(%d) = %+v, %v; want %+v", want.ID, got, err, want)
		}
	}
	if err := b.checkInvariants(); err != nil {
		t.Error(err)
	}
}
