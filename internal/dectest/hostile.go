package dectest

import (
	"strings"

	"github.com/cockroachdb/apd/v3"
	"pgregory.net/rapid"
)

// hostileTexts are decimals an attacker or a broken feed might send: NaN,
// sNaN, infinities, -0, enormous and tiny exponents (1E+-1000, 1E+-101 just
// outside the valid range, 1E+-100 at its edge, 1E+-37), 20-digit
// coefficients (past a uint64 too), 50- and 51-digit coefficients (at and
// past derivmath.MaxDigits), and ordinary exchange values.
var hostileTexts = []string{
	"NaN", "sNaN", "Infinity", "-Infinity", "-0", "0", "-0.00",
	"1E+1000", "1E-1000", "-1E+1000", "1E+37", "1E-37", "-1E-37",
	"1E+100", "1E-100", "1E+101", "1E-101", "-1E-101", "9.99E+99",
	"12345678901234567890", "-12345678901234567890", "18446744073709551616",
	"1" + strings.Repeat("0", 50), "9" + strings.Repeat("9", 49), "0." + strings.Repeat("3", 50),
	"-" + strings.Repeat("7", 51),
	"9223372036854775807", "0.5", "1", "-1", "100", "-100", "65432.5", "0.00000001",
	"0.9999999999999999999", "1.000000000000000001", "1000000", "0.005", "20",
}

// Hostile returns a generator of the decimals of the hostile-input property
// tests: each draw is a fresh decimal, which the caller may change.
func Hostile() *rapid.Generator[*apd.Decimal] {
	return rapid.Custom(func(t *rapid.T) *apd.Decimal {
		x, _, err := apd.NewFromString(rapid.SampledFrom(hostileTexts).Draw(t, "hostile"))
		if err != nil {
			t.Fatal(err)
		}
		return x
	})
}
