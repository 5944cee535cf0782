package engine_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/engine"
)

// butMark returns the rendering of a state by full without the mark, the
// third value of its first line.
func butMark(full string) string {
	f := strings.Fields(full)
	f[2] = "mark"
	return strings.Join(f, " ")
}

// TestSetMarkHostile sets hostile marks on a state with no mark yet and on
// one with traders, a mark and an open intent: SetMark refuses each mark
// that is not a valid price with the error derivmath.CheckPrice documents
// (errors.Is) and leaves the whole state as it was (full, the form of
// every value included); it accepts the valid ones its godoc does not
// refuse (a mark off the tick, with more digits than the context's
// precision, at the edges of the range), reads back exactly what it was
// given, and changes nothing else, nor does a later change to the caller's
// decimal reach the state.
func TestSetMarkHostile(t *testing.T) {
	digits := func(n int) string { return "1" + strings.Repeat("2", n-1) }
	refused := []struct {
		mark string
		want error
	}{
		{"NaN", derivmath.ErrNaN},
		{"-NaN", derivmath.ErrNaN},
		{"sNaN", derivmath.ErrNaN},
		{"Infinity", derivmath.ErrInfinite},
		{"-Infinity", derivmath.ErrInfinite},
		{"-0", derivmath.ErrNegativeZero},
		{"-0.00", derivmath.ErrNegativeZero},
		{"0", derivmath.ErrPrice},
		{"0.00", derivmath.ErrPrice},
		{"0E+100", derivmath.ErrPrice},
		{"-1", derivmath.ErrPrice},
		{"-0.01", derivmath.ErrPrice},
		{"-1E-100", derivmath.ErrPrice},
		{"1E+100000", derivmath.ErrRange},
		{"1E-100000", derivmath.ErrRange},
		{"-1E+100000", derivmath.ErrRange},
		{"0E-100000", derivmath.ErrRange},
		{"1E+101", derivmath.ErrRange},
		{"1E-101", derivmath.ErrRange},
		{digits(derivmath.MaxDigits + 1), derivmath.ErrRange},
		{"0." + digits(derivmath.MaxDigits+1), derivmath.ErrRange},
	}
	accepted := []string{
		"100.005", "0.001", "99.5", "1E+100", "1E-100", "0.00000001",
		digits(derivmath.Precision + 1), "0." + digits(derivmath.Precision+6), digits(derivmath.MaxDigits),
		"100.000", "1E+2",
	}
	s := linear(t, "0.01", "1", "0.01")
	fresh := state(t, s, engine.PresetBitMEX())
	busy := state(t, s, engine.PresetBitMEX())
	add(t, busy, trader(t, s, "1000", "", "10", "100", "0.005"))
	add(t, busy, trader(t, s, "0", "20", "-10", "100", "0.005"))
	noErr(t, busy.SetMark(d("102.35")))
	if _, ok, err := busy.Trigger(nil, 1); err != nil || !ok {
		t.Fatal("trigger: ", ok, err)
	}
	if _, _, err := busy.Takeover(nil, 1); err != nil {
		t.Fatal(err)
	}
	if busy.Intents() == 0 {
		t.Fatal("no open intent")
	}
	for _, st := range []*engine.State{fresh, busy} {
		before := full(st)
		for _, c := range refused {
			err := st.SetMark(d(c.mark))
			if !errors.Is(err, c.want) {
				t.Errorf("SetMark(%s): %v, want %v", c.mark, err, c.want)
			}
			if after := full(st); after != before {
				t.Fatalf("a refused SetMark(%s) changed the state:\n%s\nwas\n%s", c.mark, after, before)
			}
		}
		for _, m := range accepted {
			c := st.Clone()
			x := d(m)
			if err := c.SetMark(x); err != nil {
				t.Errorf("SetMark(%s): %v", m, err)
				continue
			}
			want := norm(x)
			x.SetInt64(7)
			got := d("0")
			c.Mark(got)
			if norm(got) != want {
				t.Errorf("SetMark(%s): Mark reads %s, want %s", m, norm(got), want)
			}
			if after := butMark(full(c)); after != butMark(before) {
				t.Errorf("SetMark(%s) changed more than the mark:\n%s\nwas\n%s", m, after, butMark(before))
			}
		}
	}
}
