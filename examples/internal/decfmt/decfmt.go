// Package decfmt formats and parses the decimals printed by the example
// programs: rounded to a number of places, without trailing zeros, as a
// percentage, with thousands separators.
package decfmt

import (
	"fmt"
	"strings"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
)

// Quantize returns x rounded half-even to places decimals, never a negative
// zero, or x as it is if that needs more than 50 digits.
func Quantize(x *apd.Decimal, places int32) *apd.Decimal {
	ctx := apd.BaseContext.WithPrecision(50)
	ctx.Rounding = apd.RoundHalfEven
	var r apd.Decimal
	if _, err := ctx.Quantize(&r, x, -places); err != nil {
		r.Set(x)
	}
	if r.IsZero() {
		r.Negative = false
	}
	return &r
}

// Fixed formats x rounded half-even to places decimals.
func Fixed(x *apd.Decimal, places int32) string {
	return Quantize(x, places).Text('f')
}

// Reduced formats x without trailing zeros: 0.000 is "0".
func Reduced(x *apd.Decimal) string {
	var r apd.Decimal
	r.Reduce(x)
	return r.Text('f')
}

// Scaled returns x*10^n, exactly.
func Scaled(x *apd.Decimal, n int32) *apd.Decimal {
	z := new(apd.Decimal).Set(x)
	z.Exponent += n
	return z
}

// Percent formats a fraction as a percentage rounded half-even to places
// decimals.
func Percent(x *apd.Decimal, places int32) string {
	return Fixed(Scaled(x, 2), places)
}

// Signed prefixes a formatted number with "+" unless it is negative.
func Signed(s string) string {
	if strings.HasPrefix(s, "-") {
		return s
	}
	return "+" + s
}

// Grouped formats x with thousands separators, rounded half-even to places
// decimals, or as it is if places < 0.
func Grouped(x *apd.Decimal, places int32) string {
	s := x.Text('f')
	if places >= 0 {
		s = Fixed(x, places)
	}
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		return sign + b.String() + "." + frac
	}
	return sign + b.String()
}

// Parse parses the value s of the decimal flag -name, and refuses what
// derivmath.CheckDecimal refuses (NaN, an infinity, a negative zero, a
// number out of range) with an error that names the flag.
func Parse(name, s string) (*apd.Decimal, error) {
	d, _, err := apd.NewFromString(s)
	if err == nil {
		err = derivmath.CheckDecimal(d)
	}
	if err != nil {
		return nil, fmt.Errorf("-%s %q: %w", name, s, err)
	}
	return d, nil
}

// Must parses a decimal constant of a program, and panics if it is not one.
func Must(s string) *apd.Decimal {
	d, _, err := apd.NewFromString(s)
	if err != nil {
		panic(err)
	}
	return d
}
