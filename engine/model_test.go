package engine_test

import (
	"fmt"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/engine"
	"github.com/derivmath/derivmath/engine/internal/enginetest"
	"pgregory.net/rapid"
)

// step runs one step on a dst that holds one event and, drawn, room for
// more: on success it books the events appended; on failure it checks that
// dst comes back as it was, with nothing appended, and the state as the
// model has it.
func step(rt *rapid.T, m *enginetest.Ledger, st *engine.State, what string, call func([]engine.Event) ([]engine.Event, error)) error {
	rt.Helper()
	room := 0
	if rapid.Bool().Draw(rt, "room") {
		room = 32
	}
	dst := make([]engine.Event, 1, 1+room)
	dst[0] = engine.Event{Seq: 1 << 40, Kind: engine.Closed, Trader: 7, Intent: 4242}
	dst[0].Qty.SetInt64(-13)
	was := dst[0].String()
	out, err := call(dst)
	if len(out) == 0 || out[0].String() != was {
		rt.Fatalf("%s (err %v) changed dst's contents", what, err)
	}
	ev := out[1:]
	if err != nil {
		if len(ev) != 0 {
			rt.Fatalf("%s failed (%v), yet appended:\n%s", what, err, enginetest.EventsText(ev))
		}
		if d := m.Compare(st); d != nil {
			rt.Fatalf("%s failed (%v) and changed the state:\n%v", what, err, d)
		}
		return err
	}
	m.Absorb(rt, st, what, ev)
	readd(rt, st, what)
	return nil
}

// readd checks that every trader the state holds after a step is a valid
// input to State.Add, as every successful output must be: a copy of each
// is added to a new state of the same contract and preset.
func readd(rt *rapid.T, st *engine.State, what string) {
	rt.Helper()
	fresh, err := engine.New(derivmath.NewContext(), st.Spec(), st.Preset())
	if err != nil {
		rt.Fatal(err)
	}
	for h := 0; h < st.Len(); h++ {
		if _, err := fresh.Add(st.Trader(h)); err != nil {
			rt.Fatalf("after %s, trader %d is no valid input to Add: %v", what, h, err)
		}
	}
}

// TestModel is a rapid state machine that checks the State against an
// event-sourced ledger (enginetest.Ledger): TestInvariants' states (genState), marks
// (moveMark) and liquidations (pipeline), and each step alone on random
// holders, open intents and fills, bad fills and ADL quantities included.
// After every action every balance (wallets, margins, costs, the fund, the
// fees, the total), quantity, tier, order, intent and Liquidating flag the
// State exposes must be what the events since the start make of the
// initial state, and each Trade's value its quantity's at its price; a
// step that fails must return dst as it was and change nothing.
func TestModel(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		st := genState(rt)
		m := enginetest.New(rt, st)
		who := func(rt *rapid.T) int { return rapid.IntRange(1, st.Len()-1).Draw(rt, "trader") }
		// liquidating draws, mostly, a trader the model has liquidating.
		liquidating := func(rt *rapid.T) int {
			var in []int
			for i := 1; i < st.Len(); i++ {
				if m.Liquidating(i) {
					in = append(in, i)
				}
			}
			if len(in) == 0 || rapid.IntRange(0, 4).Draw(rt, "any") == 0 {
				return who(rt)
			}
			return in[rapid.IntRange(0, len(in)-1).Draw(rt, "liquidating")]
		}
		choices := func(rt *rapid.T) *script {
			return &script{v: rapid.SliceOfN(rapid.IntRange(0, 1<<20), 1, 20).Draw(rt, "choices")}
		}
		rt.Repeat(map[string]func(*rapid.T){
			"mark": func(rt *rapid.T) {
				moveMark(rt, st)
				m.Absorb(rt, st, "SetMark", nil)
			},
			"liquidate": func(rt *rapid.T) {
				i, sc := who(rt), choices(rt)
				ev := pipeline(rt, st, i, sc, rapid.Uint64().Draw(rt, "seed"))
				m.Absorb(rt, st, fmt.Sprintf("pipeline of trader %d", i), ev)
			},
			"trigger": func(rt *rapid.T) {
				// Every trader in turn, one step each.
				for i := 1; i < st.Len(); i++ {
					_ = step(rt, m, st, fmt.Sprintf("Trigger(%d)", i), func(dst []engine.Event) ([]engine.Event, error) {
						dst, _, err := st.Trigger(dst, i)
						return dst, err
					})
				}
			},
			"cancel": func(rt *rapid.T) {
				i := liquidating(rt)
				_ = step(rt, m, st, fmt.Sprintf("Cancel(%d)", i), func(dst []engine.Event) ([]engine.Event, error) {
					return st.Cancel(dst, i)
				})
			},
			"step down": func(rt *rapid.T) {
				i := liquidating(rt)
				_ = step(rt, m, st, fmt.Sprintf("StepDown(%d)", i), func(dst []engine.Event) ([]engine.Event, error) {
					dst, _, err := st.StepDown(dst, i)
					return dst, err
				})
			},
			"takeover": func(rt *rapid.T) {
				i := liquidating(rt)
				_ = step(rt, m, st, fmt.Sprintf("Takeover(%d)", i), func(dst []engine.Event) ([]engine.Event, error) {
					dst, _, err := st.Takeover(dst, i)
					return dst, err
				})
			},
			"execute": func(rt *rapid.T) {
				id := m.Pick(rt)
				f := fills(st, id, choices(rt))
				if f == nil {
					rt.Skip("no fill")
				}
				_ = step(rt, m, st, fmt.Sprintf("Execute(%d)", id), func(dst []engine.Event) ([]engine.Event, error) {
					return st.Execute(dst, id, f)
				})
			},
			"bad fill": func(rt *rapid.T) {
				id := engine.IntentID(999999)
				ctx := derivmath.NewContext()
				var f engine.Fill
				f.Qty.SetInt64(1)
				st.Mark(&f.Price)
				if len(m.IDs()) > 0 {
					id = m.Pick(rt)
					in := st.Intent(id)
					f.Maker = 0
					switch rapid.IntRange(0, 3).Draw(rt, "bad") {
					case 0: // more than the intent's open quantity
						_, _ = ctx.Add(&f.Qty, &in.Qty, apd.New(1, 0))
					case 1: // not positive
						f.Qty.SetInt64(0)
					case 2: // the holder itself, or no trader
						f.Maker = in.Holder
					default: // beyond the limit, or a maker out of range
						switch {
						case in.Limit.IsZero():
							f.Maker = st.Len()
						case in.Side == engine.Sell:
							_, _ = ctx.Sub(&f.Price, &in.Limit, &st.Spec().Tick)
						default:
							_, _ = ctx.Add(&f.Price, &in.Limit, &st.Spec().Tick)
						}
					}
				}
				if f.Price.Sign() <= 0 {
					rt.Skip("no price below the limit")
				}
				if step(rt, m, st, fmt.Sprintf("Execute(%d) of a bad fill", id), func(dst []engine.Event) ([]engine.Event, error) {
					return st.Execute(dst, id, []engine.Fill{f})
				}) == nil {
					rt.Fatalf("Execute(%d) took a bad fill of %s at %s from %d", id, f.Qty.String(), f.Price.String(), f.Maker)
				}
			},
			"withdraw": func(rt *rapid.T) {
				id := m.Pick(rt)
				_ = step(rt, m, st, fmt.Sprintf("Withdraw(%d)", id), func(dst []engine.Event) ([]engine.Event, error) {
					return st.Withdraw(dst, id)
				})
			},
			"adl": func(rt *rapid.T) {
				// Mostly a holder with a position, for at most all of it.
				var open []int
				for h := engine.Fund; h < st.Len(); h++ {
					if !m.Flat(h) {
						open = append(open, h)
					}
				}
				h := rapid.IntRange(engine.Fund, st.Len()-1).Draw(rt, "holder")
				if len(open) > 0 && rapid.IntRange(0, 4).Draw(rt, "any") > 0 {
					h = open[rapid.IntRange(0, len(open)-1).Draw(rt, "open")]
				}
				var pos apd.Decimal
				pos.Abs(&st.Trader(h).Qty)
				n, _ := pos.Int64()
				if n == 0 || rapid.IntRange(0, 9).Draw(rt, "too much") == 0 {
					n++
				}
				q := apd.New(int64(rapid.IntRange(1, int(n)).Draw(rt, "qty")), 0)
				seed := rapid.Uint64().Draw(rt, "seed")
				_ = step(rt, m, st, fmt.Sprintf("ADL(%d, %s)", h, q.String()), func(dst []engine.Event) ([]engine.Event, error) {
					return st.ADL(dst, h, q, seed)
				})
			},
			"socialise": func(rt *rapid.T) {
				_ = step(rt, m, st, "Socialise", func(dst []engine.Event) ([]engine.Event, error) {
					return st.Socialise(dst)
				})
			},
		})
	})
}
