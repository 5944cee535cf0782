// Package dectest holds what derivmath's tests share: parsing helpers, a
// go-cmp comparer for apd.Decimal, a 50-digit oracle context, tolerance
// checks, rapid generators of exchange-like decimals, Examples, the check
// that every exported function and method has an Example, FuzzDocumented,
// and Mallocs, the allocation count of the steady-state tests.
//
// Only _test.go files import it.
package dectest

import (
	"errors"
	"math/big"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/google/go-cmp/cmp"
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

// Rat returns the finite decimal d as an exact rational, for models that
// must not share apd's arithmetic with the code they check. It panics if d
// is not finite.
func Rat(d *apd.Decimal) *big.Rat {
	r, ok := new(big.Rat).SetString(d.String())
	if d.Form != apd.Finite || !ok {
		panic("dectest: Rat of a non-finite decimal")
	}
	return r
}

// mustOK panics on an apd error: the generators' arithmetic cannot fail.
func mustOK(_ apd.Condition, err error) {
	if err != nil {
		panic(err)
	}
}

// Documented fails t unless err is nil, wraps one of sentinels
// (errors.Is), or wraps an error of type T (errors.As, such as
// *margin.TierError): the check a fuzz target makes that an entry point
// returns only the errors it documents.
func Documented[T error](t testing.TB, what string, err error, sentinels []error) {
	t.Helper()
	if err == nil {
		return
	}
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return
		}
	}
	var target T
	if errors.As(err, &target) {
		return
	}
	t.Fatalf("%s: undocumented error %v (%T)", what, err, err)
}

// Gate returns what derivmath's result gate writes for x, computed from
// the rule as derivmath's package documentation states it rather than by
// the library's code for it (only derivmath.CheckDecimal is the
// library's): a copy of x, a zero without its sign (-0 is 0, its exponent
// kept); a value that fails derivmath.CheckDecimal loses its trailing
// zeros, and is derivmath.ErrRange if it still fails. The tests' models
// apply it to what they compute.
func Gate(x *apd.Decimal) (*apd.Decimal, error) {
	z := new(apd.Decimal).Set(x)
	if z.IsZero() {
		z.Negative = false
	}
	if derivmath.CheckDecimal(z) != nil {
		z.Reduce(z)
		if derivmath.CheckDecimal(z) != nil {
			return nil, derivmath.ErrRange
		}
	}
	return z, nil
}
