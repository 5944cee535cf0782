package engine_test

import (
	"errors"
	"testing"

	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/engine"
)

// TestClosingSteps checks the guard that StepDown and Takeover share: no
// such trader is ErrTrader; a trader not triggered is ErrNotLiquidatable.
func TestClosingSteps(t *testing.T) {
	ctx := derivmath.NewContext()
	s := linear(t, "0.25", "1", "0.01")
	st, err := engine.New(ctx, s, engine.PresetBinance())
	if err != nil {
		t.Fatal(err)
	}
	_ = st.SetMark(d("100"))
	a := add(t, st, trader(t, s, "0", "1", "1", "100", "0.004"))
	add(t, st, trader(t, s, "1000", "", "-1", "100", "0.004"))
	steps := map[string]func(i int) error{
		"StepDown": func(i int) error { _, _, err := st.StepDown(nil, i); return err },
		"Takeover": func(i int) error { _, _, err := st.Takeover(nil, i); return err },
	}
	for name, step := range steps {
		for _, i := range []int{-1, 2} {
			if err := step(i); !errors.Is(err, engine.ErrTrader) {
				t.Errorf("%s(%d): %v, want ErrTrader", name, i, err)
			}
		}
		if err := step(a); !errors.Is(err, engine.ErrNotLiquidatable) {
			t.Errorf("%s before the trigger: %v, want ErrNotLiquidatable", name, err)
		}
	}
}
