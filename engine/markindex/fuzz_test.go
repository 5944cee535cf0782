package markindex_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/engine/markindex"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/margin"
)

// checkDocumented fails t unless err is nil, one of the sentinels
// errorsOf lists for the function what, or a *margin.TierError.
func checkDocumented(t *testing.T, what string, err error) {
	t.Helper()
	list, ok := errorsOf[what]
	if !ok {
		t.Fatalf("no documented errors for %s", what)
	}
	dectest.Documented[*margin.TierError](t, what, err, list)
}

// parse parses s, reporting false when it is not a decimal.
func parse(z *apd.Decimal, s string) bool {
	_, _, err := z.SetString(s)
	return err == nil
}

// units is the oracle of the Index's conversion: floor(p/unit) and
// ceil(p/unit) as exact integers, and whether the Index may refuse p
// (ErrRange): a coefficient that does not fit 64 bits less its trailing
// zeros, or a ceiling beyond an int64.
func units(p, unit *apd.Decimal) (floor, ceil *big.Int, tooBig bool) {
	q := new(big.Rat).Quo(rat(p), rat(unit))
	floor = new(big.Int).Quo(q.Num(), q.Denom()) // q > 0: truncation is the floor
	ceil = new(big.Int).Set(floor)
	if !q.IsInt() {
		ceil.Add(ceil, big.NewInt(1))
	}
	var r apd.Decimal
	r.Reduce(p)
	return floor, ceil, !r.Coeff.IsUint64() || !ceil.IsInt64()
}

func rat(d *apd.Decimal) *big.Rat {
	r, ok := new(big.Rat).SetString(d.String())
	if !ok {
		panic("rat of " + d.String())
	}
	return r
}

// norm is the Key as the Index stores it, by its documentation.
func norm(k markindex.Key) markindex.Key {
	k.Lo, k.Hi = max(k.Lo, 0), max(k.Hi, 0)
	if k.Hi > 0 && k.Lo >= k.Hi {
		return markindex.Now()
	}
	return k
}

// fires reports whether k fires at a mark whose units are f (floor) and c
// (ceiling), by the Key's documentation.
func fires(k markindex.Key, f, c int64) bool {
	return k.Lo > 0 && c <= k.Lo || k.Hi > 0 && f >= k.Hi
}

// hit is a model hit: an ID and its depth (how many units past its key the
// mark is), for the orders.
type hit struct {
	id    markindex.ID
	hi    bool
	key   int64
	depth uint64
}

// want returns the IDs the keys fire at the mark f, c, in order.
func want(keys map[markindex.ID]markindex.Key, f, c int64, order markindex.Order) []markindex.ID {
	var hits []hit
	for id, k := range keys {
		switch {
		case k.Lo > 0 && c <= k.Lo:
			hits = append(hits, hit{id, false, k.Lo, uint64(k.Lo) - uint64(c)})
		case k.Hi > 0 && f >= k.Hi:
			hits = append(hits, hit{id, true, k.Hi, uint64(f) - uint64(k.Hi)})
		}
	}
	slices.SortFunc(hits, func(a, b hit) int {
		if order == markindex.ByKey {
			switch {
			case a.hi != b.hi:
				if a.hi {
					return 1
				}
				return -1
			case a.key != b.key && !a.hi:
				return -cmpInt(a.key, b.key)
			case a.key != b.key:
				return cmpInt(a.key, b.key)
			}
		} else if a.depth != b.depth {
			if a.depth > b.depth {
				return -1
			}
			return 1
		}
		return cmpInt(int64(a.id), int64(b.id))
	})
	ids := make([]markindex.ID, len(hits))
	for i, h := range hits {
		ids[i] = h.id
	}
	return ids
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// int64At reads a key from ops: small values, values near the ends of an
// int64, or any eight bytes.
func int64At(ops []byte) (int64, []byte) {
	if len(ops) < 2 {
		return 0, nil
	}
	sel, b, ops := ops[0]%4, int64(int8(ops[1])), ops[2:]
	switch sel {
	case 1:
		return math.MaxInt64 - b, ops
	case 2:
		return math.MinInt64 + b, ops
	case 3:
		if len(ops) < 7 {
			return b, nil
		}
		var buf [8]byte
		buf[0] = byte(b)
		copy(buf[1:], ops[:7])
		return int64(binary.LittleEndian.Uint64(buf[:])), ops[7:]
	}
	return b, ops
}

// FuzzIndex builds an Index from an arbitrary unit and order and drives it
// with arbitrary keys (ops) and marks (decimals in marks, separated by
// spaces), against a map of the keys: New, Below, Above and Tick refuse
// bad input with documented errors (ErrRange exactly when a price's units
// or coefficient pass 64 bits); Below and Above give ceil(p/unit) and
// floor(p/unit) computed exactly on rationals; Tick and TickUnits return
// exactly the IDs whose keys fire, in the Index's order, and a refused
// Tick returns dst as it was; Key, Len and Remove agree with the map; and
// Key.Or fires exactly where one of its keys does.
func FuzzIndex(f *testing.F) {
	// Ops: 0 Upsert id key; 1 Remove id; 2 Tick mark; 3 TickUnits units;
	// 4 Below and Above of a mark; 5 Or of two keys; 6 Upsert and 7
	// Remove of 20*count entries from id*64 (count, then Lo, its stride,
	// Hi, its stride). A key is two int64s, each a selector (small, near
	// MaxInt64, near MinInt64, 8 bytes) and its bytes.
	f.Add("0.1", int8(markindex.Deepest), "50000 49999.95 50000.05 1e-30 1e30", []byte{
		0, 1, 0, 100, 0, 0, 0, 2, 0, 90, 0, 120, 0, 3, 1, 0, 0, 0, 2, 0, 2, 1, 2, 2, 2, 3, 3, 0, 100,
		4, 0, 4, 1, 4, 2, 4, 3, 4, 4, 5, 0, 5, 0, 0, 0, 7, 1, 0, 2, 0, 0, 20, 1, 2, 2, 0, 2, 1,
	})
	f.Add("0.0001", int8(markindex.ByKey), "1.2345 1.23455 0.00005 9.9999", []byte{
		0, 5, 0, 100, 0, 0, 0, 6, 0, 120, 0, 0, 0, 7, 0, 0, 0, 110, 0, 8, 1, 0, 0, 0,
		2, 0, 2, 1, 2, 2, 3, 0, 1, 3, 2, 0, 3, 0, 115, 1, 6, 2, 1,
	})
	f.Add("1E+2", int8(markindex.Deepest), "123456789012345678900 1E+20 9.2233720368547758E+20", []byte{
		0, 1, 1, 0, 0, 0, 0, 2, 0, 5, 1, 3, 2, 0, 2, 1, 2, 2, 3, 1, 0, 3, 2, 0, 4, 0, 4, 1, 4, 2,
	})
	// Thousands of entries: the trees split to inner nodes and merge back.
	f.Add("1", int8(markindex.Deepest), "100 1000 5000", []byte{
		6, 1, 250, 0, 1, 0, 1, 0, 0, 0, 0, 2, 0, 2, 1, 2, 2,
		6, 2, 210, 0, 0, 0, 0, 0, 10, 0, 1, 2, 1, 3, 0, 3, 0xa0, 0x0f, 0, 0, 0, 0, 0, 0,
		7, 1, 240, 0, 0, 0, 0, 0, 0, 0, 0, 2, 1, 7, 2, 100, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2,
	})
	f.Add("0", int8(markindex.Deepest), "1", []byte{0})
	f.Add("1", int8(3), "1", []byte{0})
	f.Add("1.00000000000000000000000000001", int8(markindex.ByKey), "1", []byte{0})
	f.Add("NaN", int8(markindex.ByKey), "-1 0 -0 NaN Infinity 1e999", []byte{2, 0, 2, 1, 2, 2, 2, 3, 2, 4, 2, 5})
	f.Fuzz(func(t *testing.T, unitText string, order int8, marks string, ops []byte) {
		var unit apd.Decimal
		if !parse(&unit, unitText) || len(ops) > 512 {
			return
		}
		x, err := markindex.New(&unit, markindex.Order(order))
		if err != nil {
			checkDocumented(t, "New", err)
			if x != nil {
				t.Fatalf("New returned an Index and %v", err)
			}
			return
		}
		o := markindex.Order(order)
		if o != markindex.Deepest && o != markindex.ByKey {
			t.Fatalf("New accepted order %d", order)
		}
		var got apd.Decimal
		if x.Unit(&got); got.Cmp(&unit) != 0 {
			t.Fatalf("Unit() = %s, want %s", got.String(), unit.String())
		}
		var pool []apd.Decimal
		for _, s := range strings.Fields(marks) {
			var m apd.Decimal
			if parse(&m, s) {
				pool = append(pool, m)
			}
		}
		keys := map[markindex.ID]markindex.Key{}
		var dst []markindex.ID
		for len(ops) > 0 {
			op := ops[0] % 8
			ops = ops[1:]
			var id markindex.ID
			if len(ops) > 0 {
				id, ops = markindex.ID(ops[0]%16), ops[1:]
			}
			switch op {
			case 0:
				var k markindex.Key
				k.Lo, ops = int64At(ops)
				k.Hi, ops = int64At(ops)
				x.Upsert(id, k)
				if n := norm(k); n == (markindex.Key{}) {
					delete(keys, id)
				} else {
					keys[id] = n
				}
			case 1:
				_, was := keys[id]
				if x.Remove(id) != was {
					t.Fatalf("Remove(%d) = %v, want %v", id, !was, was)
				}
				delete(keys, id)
			case 2, 4:
				if len(pool) == 0 {
					continue
				}
				m := &pool[int(id)%len(pool)]
				if op == 2 {
					dst = tick(t, x, m, &unit, o, keys, dst)
				} else {
					belowAbove(t, x, m, &unit)
				}
			case 3:
				var m int64
				m, ops = int64At(ops)
				dst = x.TickUnits(m, dst[:0])
				if w := want(keys, m, max(m, math.MinInt64+1), o); !slices.Equal(dst, w) {
					t.Fatalf("TickUnits(%d) = %v, want %v (keys %v)", m, dst, w, keys)
				}
			case 6, 7:
				// Many entries at once, IDs from id*64 up, so that the
				// trees split (64 entries a leaf, 64 children an inner
				// node) and, removed, merge: count, then the first key
				// and a stride for each of Lo and Hi.
				if len(ops) == 0 {
					continue
				}
				n := int(ops[0]) * 20
				ops = ops[1:]
				var lo, dlo, hi, dhi int64
				lo, ops = int64At(ops)
				dlo, ops = int64At(ops)
				hi, ops = int64At(ops)
				dhi, ops = int64At(ops)
				for j := range n {
					id := markindex.ID(int(id)*64 + j)
					if op == 7 {
						_, was := keys[id]
						if x.Remove(id) != was {
							t.Fatalf("Remove(%d) = %v, want %v", id, !was, was)
						}
						delete(keys, id)
						continue
					}
					k := markindex.Key{Lo: lo + int64(j)*dlo, Hi: hi + int64(j)*dhi}
					x.Upsert(id, k)
					if n := norm(k); n == (markindex.Key{}) {
						delete(keys, id)
					} else {
						keys[id] = n
					}
				}
			case 5:
				var k, j markindex.Key
				k.Lo, ops = int64At(ops)
				k.Hi, ops = int64At(ops)
				j.Lo, j.Hi = int64(id), int64(id)*3/2
				or := k.Or(j)
				if or != norm(or) {
					t.Fatalf("%v.Or(%v) = %v, not in the stored form", k, j, or)
				}
				for _, m := range []int64{1, k.Lo - 1, k.Lo, k.Lo + 1, k.Hi - 1, k.Hi, k.Hi + 1, j.Lo, j.Lo + 1, j.Hi - 1, j.Hi, math.MaxInt64} {
					if m < 1 {
						continue
					}
					if fires(or, m, m) != (fires(norm(k), m, m) || fires(norm(j), m, m)) {
						t.Fatalf("%v.Or(%v) = %v: at %d units it fires %v", k, j, or, m, fires(or, m, m))
					}
				}
			}
			// The Index holds exactly the model's keys.
			if x.Len() != len(keys) {
				t.Fatalf("Len() = %d, want %d", x.Len(), len(keys))
			}
			for id := range markindex.ID(16) {
				k, ok := x.Key(id)
				if w, has := keys[id]; ok != has || k != w {
					t.Fatalf("Key(%d) = %v, %v; want %v, %v", id, k, ok, w, has)
				}
			}
			for id, w := range keys {
				if k, ok := x.Key(id); !ok || k != w {
					t.Fatalf("Key(%d) = %v, %v; want %v", id, k, ok, w)
				}
			}
		}
	})
}

// tick checks Tick at m against the model.
func tick(t *testing.T, x *markindex.Index, m, unit *apd.Decimal, o markindex.Order, keys map[markindex.ID]markindex.Key, dst []markindex.ID) []markindex.ID {
	t.Helper()
	dst = append(dst[:0], 99)
	got, err := x.Tick(m, dst)
	if err != nil {
		checkDocumented(t, "Tick", err)
		if len(got) != 1 || got[0] != 99 {
			t.Fatalf("Tick(%s) refused (%v) but changed dst to %v", m.String(), err, got)
		}
		if perr := derivmath.CheckPrice(m); perr != nil {
			if !errors.Is(err, perr) {
				t.Fatalf("Tick(%s): %v, want %v", m.String(), err, perr)
			}
			return got
		}
		if _, _, tooBig := units(m, unit); !tooBig || !errors.Is(err, markindex.ErrRange) {
			t.Fatalf("Tick(%s): %v, but its units fit", m.String(), err)
		}
		return got
	}
	f, c, tooBig := units(m, unit)
	if tooBig && (!f.IsInt64() || !c.IsInt64()) {
		t.Fatalf("Tick(%s) accepted a mark of %s units", m.String(), c.String())
	}
	if w := want(keys, f.Int64(), c.Int64(), o); !slices.Equal(got[1:], w) {
		t.Fatalf("Tick(%s) (units %s, %s) = %v, want %v (keys %v)", m.String(), f.String(), c.String(), got[1:], w, keys)
	}
	return got
}

// belowAbove checks Below and Above of p against the oracle.
func belowAbove(t *testing.T, x *markindex.Index, p, unit *apd.Decimal) {
	t.Helper()
	lo, err1 := x.Below(p)
	hi, err2 := x.Above(p)
	checkDocumented(t, "Below", err1)
	checkDocumented(t, "Above", err2)
	if (err1 == nil) != (err2 == nil) {
		t.Fatalf("Below(%s): %v; Above: %v", p.String(), err1, err2)
	}
	if err1 != nil {
		if derivmath.CheckPrice(p) == nil {
			if _, _, tooBig := units(p, unit); !tooBig || !errors.Is(err1, markindex.ErrRange) {
				t.Fatalf("Below(%s): %v, but its units fit", p.String(), err1)
			}
		}
		return
	}
	f, c, _ := units(p, unit)
	if lo != (markindex.Key{Lo: c.Int64()}) {
		t.Fatalf("Below(%s) = %v, want Lo %s", p.String(), lo, c.String())
	}
	w := markindex.Key{Hi: f.Int64()}
	if f.Sign() == 0 {
		w = markindex.Now()
	}
	if hi != w {
		t.Fatalf("Above(%s) = %v, want %v", p.String(), hi, w)
	}
}

// FuzzKeys keys an account with an arbitrary position (or two, cross, on
// two contracts), wallet, marks, unit and tolerance with Position and
// Cross, and the isolated position alone, compiled, with Solver: nothing
// panics; errors are documented; a failed call leaves the
// account and the legs' keys as they were, and Cross leaves the account as
// it was on success too; a key fires at once when the account is
// liquidatable; and a key is never late: at the first mark (a whole number
// of units) just outside it, the account is not liquidatable.
func FuzzKeys(f *testing.F) {
	// The model test's shapes: isolated and cross, long and short, BitMEX,
	// Binance and Bybit, Binance's brackets, and a second contract.
	f.Add(uint8(liquidation.Binance), true, false, false, "1", "50000", "20", "2500", "0.005", "10000", "50000", "3000", "0.1", "0.01")
	f.Add(uint8(liquidation.BitMEX), true, false, false, "-1.5", "50000", "10", "7600", "0.005", "10000", "50500", "3000", "0.1", "0.01")
	f.Add(uint8(liquidation.Bybit), false, false, true, "2", "60000", "50", "2400", "0.005", "3000", "60000", "3000", "0.01", "0.01")
	f.Add(uint8(liquidation.Binance), false, true, true, "-0.5", "60000", "20", "0", "0.005", "2000", "61000", "2990", "0.1", "0.05")
	f.Add(uint8(liquidation.BitMEX), false, false, true, "0.3", "50000", "100", "0", "0.005", "500", "49000", "3100", "0.00000001", "0.5")
	// Bad input: a unit of 30 digits, a tolerance of 1, a NaN mark, an
	// already liquidatable account, a position liquidatable at no price.
	f.Add(uint8(liquidation.Binance), true, false, false, "1", "50000", "20", "2500", "0.005", "0", "50000", "3000", "1.00000000000000000000000000001", "0.01")
	f.Add(uint8(liquidation.Binance), false, false, true, "1", "50000", "20", "2500", "0.005", "100", "50000", "3000", "0.1", "1")
	f.Add(uint8(liquidation.Bybit), true, false, false, "1", "50000", "20", "2500", "0.005", "100", "NaN", "3000", "0.1", "0.01")
	f.Add(uint8(liquidation.Binance), true, false, false, "1", "50000", "20", "10", "0.005", "100", "40000", "3000", "0.1", "0.01")
	f.Add(uint8(liquidation.Binance), false, false, false, "1", "50000", "1", "0", "0.005", "60000", "50000", "3000", "0.1", "0.01")
	f.Fuzz(func(t *testing.T, conv uint8, isolated, tiers, two bool, qty, entry, lev, mgn, mmr, wallet, mark, mark2, unitText, tolText string) {
		var q, e, l, mg, r, w, m, m2, unit, tol apd.Decimal
		for _, x := range []struct {
			z *apd.Decimal
			s string
		}{{&q, qty}, {&e, entry}, {&l, lev}, {&mg, mgn}, {&r, mmr}, {&w, wallet}, {&m, mark}, {&m2, mark2}, {&unit, unitText}, {&tol, tolText}} {
			if !parse(x.z, x.s) {
				return
			}
		}
		a, err := account.New(derivmath.NewContext(), liquidation.Convention(conv%4))
		if err != nil {
			return
		}
		btc := contract.BTCUSDT()
		eth, err := contract.New(contract.Params{Symbol: "ETHUSDT", Kind: contract.Linear, Settle: "USDT", Multiplier: "1", Tick: "0.01", Lot: "0.001", Taker: "0.0005"})
		if err != nil {
			t.Fatal(err)
		}
		mode := account.Cross
		if isolated {
			mode = account.Isolated
		}
		// The account is the caller's: inputs it refuses are its own
		// package's to fuzz.
		if a.SetMark(btc, &m) != nil || a.SetMark(eth, &m2) != nil || a.SetWallet("USDT", &w) != nil {
			return
		}
		p := &account.Position{Spec: btc, Side: account.OneWay, Mode: mode}
		p.Qty.Set(&q)
		p.Entry.Set(&e)
		p.Leverage.Set(&l)
		p.Margin.Set(&mg)
		p.MMR.Set(&r)
		if tiers {
			p.Tiers = margin.BTCUSDT()
		}
		if a.Set(p) != nil || a.Len() == 0 {
			return
		}
		specs := []*contract.Spec{btc}
		if two {
			// The opposite side on ETH, a tenth of the notional.
			p2 := &account.Position{Spec: eth, Side: account.OneWay, Mode: mode}
			ctx := derivmath.NewContext()
			if _, err := ctx.Quo(&p2.Qty, &q, apd.New(-1, 0)); err != nil {
				return
			}
			p2.Qty.Reduce(&p2.Qty)
			p2.Entry.Set(&m2)
			p2.Leverage.Set(&l)
			p2.Margin.Set(&mg)
			p2.MMR.Set(&r)
			if a.Set(p2) == nil {
				specs = append(specs, eth)
			}
		}
		x, err := markindex.New(&unit, markindex.Deepest)
		if err != nil {
			checkDocumented(t, "New", err)
			return
		}
		before := accountState(a)
		var keys []markindex.Key
		if isolated {
			for i := range a.Len() {
				k, err := x.Position(a, i)
				checkDocumented(t, "Position", err)
				if after := accountState(a); after != before {
					t.Fatalf("Position changed the account:\n%s\n%s", before, after)
				}
				if a.Position(i).Spec == btc && err == nil {
					keys = append(keys, k)
				}
			}
		} else {
			legs := make([]markindex.Leg, len(specs))
			for j, s := range specs {
				legs[j] = markindex.Leg{Spec: s, Index: x, Key: markindex.Key{Lo: 7, Hi: 9}}
				if s != btc {
					legs[j].Index, _ = markindex.New(&s.Tick, markindex.Deepest)
				}
			}
			err := markindex.Cross(a, "USDT", &tol, legs)
			checkDocumented(t, "Cross", err)
			if after := accountState(a); after != before {
				t.Fatalf("Cross (%v) changed the account:\n%s\n%s", err, before, after)
			}
			if err != nil {
				for _, l := range legs {
					if l.Key != (markindex.Key{Lo: 7, Hi: 9}) {
						t.Fatalf("Cross failed (%v) but set a key: %v", err, l.Key)
					}
				}
				return
			}
			if len(specs) == 1 {
				keys = append(keys, legs[0].Key)
			}
		}
		for _, k := range keys {
			notLate(t, a, x, btc, &unit, k, isolated)
		}
		if isolated {
			solverKey(t, x, liquidation.Convention(conv%4), btc, p, &m, &unit)
		}
	})
}

// solverKey keys with Index.Solver the isolated position p alone, compiled
// as a liquidation.Solver at the mark m: documented errors, Now when the
// solver says it is liquidatable at m, and at the first whole-unit marks
// outside the key the solver says it is not.
func solverKey(t *testing.T, x *markindex.Index, conv liquidation.Convention, s *contract.Spec, p *account.Position, m, unit *apd.Decimal) {
	t.Helper()
	la := &liquidation.Account{Spec: s, Convention: conv, Legs: make([]liquidation.Leg, 1)}
	l := &la.Legs[0]
	l.Qty.Set(&p.Qty)
	l.Entry.Set(&p.Entry)
	l.MMR.Set(&p.MMR)
	l.Tiers = p.Tiers
	la.Balance.Set(&p.Margin)
	sv, err := liquidation.Compile(derivmath.NewContext(), la)
	if err != nil {
		return // liquidation's FuzzPrice fuzzes Compile
	}
	k, err := x.Solver(sv, m)
	checkDocumented(t, "Solver", err)
	if err != nil {
		return
	}
	liq, err := sv.Liquidatable(m)
	if err != nil {
		t.Fatalf("Liquidatable(%s) after Solver: %v", m.String(), err)
	}
	if liq && k != markindex.Now() {
		t.Fatalf("Solver: liquidatable at the mark %s, key %v", m.String(), k)
	}
	if k == markindex.Now() || k == (markindex.Key{}) {
		return
	}
	exact := apd.BaseContext.WithPrecision(100)
	for _, n := range []int64{k.Lo + 1, k.Hi - 1} {
		if n == k.Lo+1 && k.Lo <= 0 || n == k.Hi-1 && k.Hi <= 0 || n < 1 {
			continue
		}
		var at apd.Decimal
		if _, err := exact.Mul(&at, unit, apd.New(n, 0)); err != nil {
			t.Fatalf("%d units: %v", n, err)
		}
		if liq, err := sv.Liquidatable(&at); err == nil && liq {
			t.Fatalf("Solver key %v (unit %s) does not fire at %s (%d units), where the solver says liquidatable (mark %s)",
				k, unit.String(), at.String(), n, m.String())
		}
	}
}

// accountState is what the account shows: its marks and its USDT summary.
func accountState(a *account.Account) string {
	var b strings.Builder
	var s account.Summary
	err := a.Summary(&s, "USDT")
	fmt.Fprintf(&b, "%v %v %s %s %s %s %s %s", a.Liquidatable(), err, s.Wallet.String(), s.Unrealised.String(),
		s.Equity.String(), s.Initial.String(), s.Maintenance.String(), s.Available.String())
	for i := range a.Len() {
		var m apd.Decimal
		a.Mark(&m, a.Position(i).Spec)
		fmt.Fprintf(&b, " %s", m.String())
	}
	return b.String()
}

// notLate checks k, the key of the account's position on s (isolated) or
// of the account (cross, one contract): it fires at the mark when the
// account is liquidatable there, and at the first whole-unit marks outside
// it the account is not liquidatable.
func notLate(t *testing.T, a *account.Account, x *markindex.Index, s *contract.Spec, unit *apd.Decimal, k markindex.Key, isolated bool) {
	t.Helper()
	var mark apd.Decimal
	a.Mark(&mark, s)
	liq := func() bool {
		if !isolated {
			return a.Liquidatable()
		}
		var r account.Report
		if err := a.Report(&r, a.Find(s, account.OneWay), liquidation.Exact); err != nil {
			t.Fatalf("Report: %v", err)
		}
		return r.Liquidatable
	}
	if liq() {
		if k != markindex.Now() {
			t.Fatalf("liquidatable at the mark %s, key %v", mark.String(), k)
		}
		return
	}
	if k == markindex.Now() || k == (markindex.Key{}) {
		return
	}
	defer func() {
		if err := a.SetMark(s, &mark); err != nil {
			t.Fatalf("the mark back: %v", err)
		}
	}()
	exact := apd.BaseContext.WithPrecision(100)
	for _, n := range []int64{k.Lo + 1, k.Hi - 1} {
		if n == k.Lo+1 && k.Lo <= 0 || n == k.Hi-1 && k.Hi <= 0 || n < 1 || n == math.MinInt64 {
			continue
		}
		var at apd.Decimal
		if _, err := exact.Mul(&at, unit, apd.New(n, 0)); err != nil {
			t.Fatalf("%d units: %v", n, err)
		}
		if err := a.SetMark(s, &at); err != nil {
			continue // beyond the account's tiers or range
		}
		if liq() {
			t.Fatalf("key %v (unit %s) does not fire at %s (%d units), where the account is liquidatable (mark %s)",
				k, unit.String(), at.String(), n, mark.String())
		}
	}
}
