package dectest

import (
	"strings"

	"github.com/cockroachdb/apd/v3"
	"pgregory.net/rapid"
)

// hostileTexts are decimals an attacker or a broken feed might send: NaN,
// sNaN, infinities, -0, enormous and tiny exponents, 20- and 51-digit
// coefficients, values just inside and outside the accepted range, rates
// at and near the bounds, and ordinary exchange values.
var hostileTexts = []string{
	"NaN", "sNaN", "-NaN", "Infinity", "-Infinity", "-0", "0", "-0.00", "0E+101", "0E-101",
	"1E+1000", "1E-1000", "-1E+1000", "1E+37", "1E-37", "-1E-37",
	"1E+100", "1E-100", "1E+101", "1E-101", "-1E-101", "9.99E+99",
	"12345678901234567890", "-12345678901234567890", "0.12345678901234567890", "18446744073709551616",
	"1" + strings.Repeat("0", 50), "9" + strings.Repeat("9", 49), "0." + strings.Repeat("3", 50),
	"-0." + strings.Repeat("9", 50), "0." + strings.Repeat("0", 49) + "1",
	"9223372036854775807", "0.5", "1", "-1", "100", "-100", "65432.5", "0.00000001",
	"0.9999999999999999999", "-0.9999999999999999999", "1.000000000000000001", "1000000",
	"0.0001", "-0.0005", "0.00025", "0.01", "0.005", "0.75",
}

// HostileDecimal draws one of hostileTexts, parsed afresh, for the
// hostile-input property tests of funding (and of any package that wants
// the same list).
func HostileDecimal(t *rapid.T, label string) *apd.Decimal {
	x, _, err := apd.NewFromString(rapid.SampledFrom(hostileTexts).Draw(t, label))
	if err != nil {
		t.Fatal(err)
	}
	return x
}
