package num

import (
	"testing"

	"pgregory.net/rapid"
)

// TestCoeffLayout: the inline read of apd's coefficients is enabled with the
// apd this module requires; if an apd upgrade changes BigInt's layout, the
// read switches itself off (correct, slower) and this test says so.
func TestCoeffLayout(t *testing.T) {
	if !inlineLayout {
		t.Fatal("apd.BigInt's layout changed: num reads coefficients through apd's API (slower); update coeff.go")
	}
}

// TestInlineWordMatchesAPI: the inline read agrees with apd's API on every
// operand genOperand draws.
func TestInlineWordMatchesAPI(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		x := genOperand(t, "x", 0)
		c, ok := inlineWord(x)
		wok := x.Coeff.IsUint64()
		wc := x.Coeff.Uint64()
		if ok && (!wok || c != wc) {
			t.Fatalf("inlineWord(%s) = %d, API %d, %v", x, c, wc, wok)
		}
		if wok && x.Coeff.Sign() >= 0 && !ok {
			t.Fatalf("inlineWord(%s) declined a word", x)
		}
	})
}
