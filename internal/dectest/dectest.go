// Package dectest holds what derivmath's tests share: parsing helpers, a
// go-cmp comparer for apd.Decimal, a 50-digit oracle context, tolerance
// checks, and rapid generators of exchange-like decimals.
//
// Only _test.go files import it.
package dectest

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// OraclePrecision is the precision of [Oracle]: far beyond the library's 19
// digits, so that its rounding error is negligible in comparisons.
const OraclePrecision = 50

// Oracle returns a new 50-digit context with traps on, used to recompute a
// formula independently of the library's precision.
func Oracle() *apd.Context {
	return apd.BaseContext.WithPrecision(OraclePrecision)
}

// MustParse parses s or fails the test.
func MustParse(t testing.TB, s string) *apd.Decimal {
	t.Helper()
	d, _, err := apd.NewFromString(s)
	if err != nil {
		t.Fatalf("parse %q: %v", s, err)
	}
	return d
}

// D parses s and panics if it does not parse; for constants in tests and
// examples only.
func D(s string) *apd.Decimal {
	d, _, err := apd.NewFromString(s)
	if err != nil {
		panic(err)
	}
	return d
}

// Comparer returns a go-cmp option comparing decimals numerically (2.50
// equals 2.5), for values and pointers alike.
func Comparer() cmp.Option {
	return cmp.Options{
		cmp.Comparer(func(x, y apd.Decimal) bool { return x.Cmp(&y) == 0 }),
		cmp.Comparer(func(x, y *apd.Decimal) bool {
			if x == nil || y == nil {
				return x == y
			}
			return x.Cmp(y) == 0
		}),
	}
}

// Within reports whether |got - want| <= tol, computed exactly.
func Within(got, want, tol *apd.Decimal) bool {
	var diff apd.Decimal
	ctx := Oracle()
	if _, err := ctx.Sub(&diff, got, want); err != nil {
		return false
	}
	diff.Negative = false
	return diff.Cmp(tol) <= 0
}

// Rel reports whether got is within rel (a fraction such as 1e-17) of want,
// relative to |want|; when want is zero, got must be zero too.
func Rel(got, want *apd.Decimal, rel string) bool {
	ctx := Oracle()
	r := D(rel)
	var tol apd.Decimal
	if _, err := ctx.Mul(&tol, want, r); err != nil {
		return false
	}
	tol.Negative = false
	return Within(got, want, &tol)
}

// ULPs reports whether got is within n units of the last place of a
// digits-digit rounding of want: |got - want| <= n * 10^(adj(want)-digits+1),
// where adj is want's adjusted exponent. Use it to check a 19-digit result
// against a 50-digit oracle.
func ULPs(got, want *apd.Decimal, digits, n int64) bool {
	if want.IsZero() {
		return got.IsZero()
	}
	adj := int64(want.Exponent) + want.NumDigits() - 1
	var tol apd.Decimal
	tol.SetFinite(n, int32(adj-digits+1))
	return Within(got, want, &tol)
}

// scaled returns a generator of decimals c*10^-e, c drawn from [lo, hi]
// and e from [minScale, maxScale].
func scaled(lo, hi int64, minScale, maxScale int32) *rapid.Generator[apd.Decimal] {
	return rapid.Custom(func(t *rapid.T) apd.Decimal {
		var d apd.Decimal
		d.SetFinite(rapid.Int64Range(lo, hi).Draw(t, "coeff"), -rapid.Int32Range(minScale, maxScale).Draw(t, "scale"))
		return d
	})
}

// Decimal returns a generator of finite decimals with coefficients in
// [-maxCoeff, maxCoeff] and between 0 and maxScale decimal places.
func Decimal(maxCoeff int64, maxScale int32) *rapid.Generator[apd.Decimal] {
	return scaled(-maxCoeff, maxCoeff, 0, maxScale)
}

// Positive returns a generator of decimals in (0, maxCoeff*10^0] with up to
// maxScale decimal places, never zero.
func Positive(maxCoeff int64, maxScale int32) *rapid.Generator[apd.Decimal] {
	return scaled(1, maxCoeff, 0, maxScale)
}

// Price returns a generator of exchange-like prices: from 0.0001 to
// 10,000,000, with at most 12 significant digits, biased to round numbers by
// rapid's shrinking.
func Price() *rapid.Generator[apd.Decimal] { return scaled(1, 100_000_000_000, 0, 4) }

// Qty returns a generator of nonzero signed quantities: up to 10,000,000
// contracts with at most 3 decimal places.
func Qty() *rapid.Generator[apd.Decimal] {
	return rapid.Custom(func(t *rapid.T) apd.Decimal {
		d := scaled(1, 10_000_000_000, 0, 3).Draw(t, "qty")
		d.Negative = rapid.Bool().Draw(t, "short")
		return d
	})
}

// Rate returns a generator of rates in [-maxAbs, maxAbs] with up to 6
// decimal places, where maxAbs is given in millionths (e.g. 5000 = 0.5%).
func Rate(maxAbsMillionths int64) *rapid.Generator[apd.Decimal] {
	return Fraction(-maxAbsMillionths, maxAbsMillionths)
}
