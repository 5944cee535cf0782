// Package payloadtest holds what the venue decoders' tests share: loading
// a payload, editing one field of it by path, and checking that an error
// names the row and field it should. Only _test.go files import it.
package payloadtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/margin"
	"github.com/derivmath/derivmath/venue"
)

// Load returns the file at path or fails the test.
func Load(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Rows returns the JSON array of the elements of the array data at the
// given indices, in their order, or fails the test.
func Rows(t testing.TB, data []byte, idx ...int) []byte {
	t.Helper()
	var all []json.RawMessage
	if err := json.Unmarshal(data, &all); err != nil {
		t.Fatal(err)
	}
	out := make([]json.RawMessage, 0, len(idx))
	for _, i := range idx {
		if i < 0 || i >= len(all) {
			t.Fatalf("rows: no element %d of %d", i, len(all))
		}
		out = append(out, all[i])
	}
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Delete is the value that makes [Edit] remove a key.
const Delete = "\x00delete"

// Edit returns a copy of the JSON document data with the value at path
// replaced by the JSON text value, or removed when value is [Delete]. The
// path is dotted, with array indices as numbers: "0.avgEntryPrice",
// "result.list.1.size", "filters.0.tickSize". Numbers keep their spelling.
func Edit(t testing.TB, data []byte, path, value string) []byte {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("edit %s: %v", path, err)
	}
	keys := strings.Split(path, ".")
	parent := doc
	for i, k := range keys {
		last := i == len(keys)-1
		switch p := parent.(type) {
		case map[string]any:
			if last {
				if value == Delete {
					delete(p, k)
				} else {
					p[k] = json.RawMessage(value)
				}
				break
			}
			parent = p[k]
		case []any:
			n, err := strconv.Atoi(k)
			if err != nil || n >= len(p) {
				t.Fatalf("edit %s: no element %s", path, k)
			}
			if last {
				p[n] = json.RawMessage(value)
				break
			}
			parent = p[n]
		default:
			t.Fatalf("edit %s: %s is not in a container", path, k)
		}
	}
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatalf("edit %s: %v", path, err)
	}
	return out
}

// FieldError fails the test unless err wraps a *venue.FieldError for the
// row (index and key) and field given, whose Err matches want.
func FieldError(t testing.TB, err error, index int, key, field string, want error) {
	t.Helper()
	var fe *venue.FieldError
	if !errors.As(err, &fe) {
		t.Fatalf("got %v (%T), want a *venue.FieldError", err, err)
	}
	if fe.Row.Index != index || fe.Row.Key != key || fe.Field != field {
		t.Errorf("error names %v field %q, want row %d (%s) field %q: %v", fe.Row, fe.Field, index, key, field, err)
	}
	if !errors.Is(err, want) {
		t.Errorf("got %v, want errors.Is %v", err, want)
	}
}

// Documented fails the test unless err is nil or an error the decoders
// document: a JSON syntax error, a *venue.FieldError wrapping one of the
// venue sentinels, or one of the extra errors given.
func Documented(t testing.TB, err error, extra ...any) {
	t.Helper()
	if err == nil {
		return
	}
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return
	}
	for _, x := range extra {
		if errors.As(err, x) {
			return
		}
	}
	var fe *venue.FieldError
	if errors.As(err, &fe) {
		for _, s := range []error{venue.ErrMissing, venue.ErrType, venue.ErrNumber, venue.ErrValue} {
			if errors.Is(err, s) {
				return
			}
		}
	}
	t.Fatalf("undocumented error %v (%T)", err, err)
}

// FieldErrorSentinel fails the test when err holds a *venue.FieldError
// whose Err matches none of the venue sentinels, as the FieldError's
// documentation promises.
func FieldErrorSentinel(t testing.TB, err error) {
	t.Helper()
	var fe *venue.FieldError
	if !errors.As(err, &fe) {
		return
	}
	for _, s := range []error{venue.ErrMissing, venue.ErrType, venue.ErrNumber, venue.ErrValue} {
		if errors.Is(fe.Err, s) {
			return
		}
	}
	t.Fatalf("a *venue.FieldError without a venue sentinel: %v", err)
}

// D parses s and panics if it does not parse; for test constants.
func D(s string) *apd.Decimal {
	d, _, err := apd.NewFromString(s)
	if err != nil {
		panic(err)
	}
	return d
}

// reportErrs is the set of errors account.Account.Report documents:
// account.ErrIndex, liquidation's sentinels and derivmath.ErrRange.
var reportErrs = []error{
	account.ErrIndex, derivmath.ErrRange,
	liquidation.ErrNoLegs, liquidation.ErrNoSpec, liquidation.ErrConvention, liquidation.ErrRounding,
	liquidation.ErrNegative, liquidation.ErrSettle, liquidation.ErrLegIndex, liquidation.ErrNoConvergence,
}

// CheckReports reports each of a's positions with r, failing the test on
// an error outside the set account.Account.Report documents.
func CheckReports(t testing.TB, a *account.Account, r liquidation.Rounding) {
	t.Helper()
	var z account.Report
	for i := range a.Len() {
		if err := a.Report(&z, i, r); err != nil && !slices.ContainsFunc(reportErrs, func(e error) bool { return errors.Is(err, e) }) {
			t.Fatalf("report %d: undocumented error %v", i, err)
		}
	}
}

// Eq fails the test unless d is set and numerically equal to want; want ""
// means unset.
func Eq(t testing.TB, what string, d *venue.Decimal, want string) {
	t.Helper()
	if want == "" {
		if d.Valid {
			t.Errorf("%s = %s, want unset", what, d.String())
		}
		return
	}
	if !d.Valid || d.Cmp(D(want)) != 0 {
		t.Errorf("%s = %s, want %s", what, d.String(), want)
	}
}

// Same fails the test unless d is numerically equal to want.
func Same(t testing.TB, what string, d *apd.Decimal, want string) {
	t.Helper()
	if d.Cmp(D(want)) != 0 {
		t.Errorf("%s = %s, want %s", what, d.String(), want)
	}
}

// hostile are decimals a caller filling a row by hand might leave in it:
// NaN, infinities, -0, exponents and digit counts beyond the library's
// range, and valid values at the edges of it (1E-100 in minor units is out
// of range in the major unit; 0 is a size no open row has).
var hostile = []string{
	"NaN", "sNaN", "Infinity", "-Infinity", "-0", "1E+1000", "1E-1000", "1E+101", "1E-101",
	"1" + strings.Repeat("0", 50), "1E+100", "1E-100", "0", "-1",
}

// HostileFields sets each of fields (a row's decimals by JSON key) in turn
// to each hostile decimal, marked Valid, and calls convert, the adapter's
// conversion of the row: it must not panic, and it must return a
// documented error (see Documented) or a Position whose every decimal is a
// valid input (derivmath.CheckDecimal). An error for a decimal that is not
// valid must be a *venue.FieldError naming its key, with Err
// venue.ErrNumber wrapping derivmath.CheckDecimal's error, as decoding it
// would have returned. Each field is restored after.
func HostileFields(t testing.TB, fields map[string]*venue.Decimal, convert func() (*venue.Position, error)) {
	t.Helper()
	for key, f := range fields {
		var keep venue.Decimal
		keep.Set(&f.Decimal)
		keep.Valid = f.Valid
		for _, h := range hostile {
			if _, _, err := f.SetString(h); err != nil {
				t.Fatal(err)
			}
			f.Valid = true
			p, err := convert()
			Documented(t, err)
			if err != nil {
				var fe *venue.FieldError
				if bad := derivmath.CheckDecimal(&f.Decimal); bad != nil &&
					(!errors.As(err, &fe) || fe.Field != key || !errors.Is(fe.Err, venue.ErrNumber) || !errors.Is(err, bad)) {
					t.Errorf("%s %s: %v, want a *venue.FieldError for %s, venue.ErrNumber wrapping %v", key, h, err, key, bad)
				}
				continue
			}
			for _, d := range []*apd.Decimal{&p.Qty, &p.Entry, &p.Mark, &p.Leverage, &p.Margin, &p.Liquidation.Decimal, &p.Bankruptcy.Decimal} {
				if e := derivmath.CheckDecimal(d); e != nil {
					t.Errorf("%s %s: converted with %s, not a valid input: %v", key, h, d.String(), e)
				}
			}
		}
		f.Set(&keep.Decimal)
		f.Valid = keep.Valid
	}
}

// Contexts returns contexts of every precision from 1 to 50 digits, in
// each of apd's roundings, with Inexact trapped and not: the contexts in
// which [AnyContext] runs an assembly.
func Contexts() []*apd.Context {
	var cs []*apd.Context
	for prec := uint32(1); prec <= 50; prec++ {
		for _, r := range []apd.Rounder{
			apd.RoundDown, apd.RoundHalfUp, apd.RoundHalfEven, apd.RoundCeiling,
			apd.RoundFloor, apd.RoundHalfDown, apd.RoundUp, apd.Round05Up,
		} {
			for _, trap := range []bool{false, true} {
				c := apd.BaseContext.WithPrecision(prec)
				c.Rounding = r
				if trap {
					c.Traps |= apd.Inexact
				}
				cs = append(cs, c)
			}
		}
	}
	return cs
}

// AnyContext runs assemble, an Assemble of payloads that assemble in the
// default context, in each of [Contexts]. Each call succeeds, and then
// every position reports with the errors account.Account.Report
// documents, or fails with derivmath.ErrRange (a result beyond the
// context's precision) or, where the context traps it, apd's Inexact,
// wrapped; a *venue.FieldError among them wraps a venue sentinel. Without
// Inexact trapped, a context of 19 digits or more must assemble.
func AnyContext(t testing.TB, assemble func(ctx *apd.Context) (*account.Account, error)) {
	t.Helper()
	for _, ctx := range Contexts() {
		a, err := assemble(ctx)
		trapped := ctx.Traps&apd.Inexact != 0
		// inexact reports whether err is apd's Inexact, which ctx traps.
		inexact := func(err error) bool {
			return trapped && strings.HasSuffix(err.Error(), ": "+apd.Inexact.String())
		}
		if err != nil {
			FieldErrorSentinel(t, err)
			if !errors.Is(err, derivmath.ErrRange) && !inexact(err) {
				t.Fatalf("%d digits, %s, traps %v: undocumented error %v", ctx.Precision, ctx.Rounding, ctx.Traps, err)
			}
			if !trapped && ctx.Precision >= derivmath.Precision {
				t.Fatalf("%d digits, %s: %v", ctx.Precision, ctx.Rounding, err)
			}
			continue
		}
		var z account.Report
		for i := range a.Len() {
			for _, r := range []liquidation.Rounding{liquidation.Exact, liquidation.TowardEntry, liquidation.Nearest} {
				err := a.Report(&z, i, r)
				if err != nil && !slices.ContainsFunc(reportErrs, func(e error) bool { return errors.Is(err, e) }) && !inexact(err) {
					t.Fatalf("%d digits, %s, traps %v: report %d (%v): undocumented error %v", ctx.Precision, ctx.Rounding, ctx.Traps, i, r, err)
				}
			}
		}
	}
}

// ErrSyntax stands for encoding/json's *json.SyntaxError in a [Case]'s
// Want.
var ErrSyntax = errors.New("payloadtest: a *json.SyntaxError")

// A Case is a row of an adapter's TestErrorsDocumented: an error that the
// godoc of function Fn names and a call that returns it.
type Case struct {
	Fn string
	// Field says the error is a *venue.FieldError, whose Err must then be
	// one of the venue sentinels, as FieldError documents.
	Field bool
	// Want is the sentinel the error matches (errors.Is), or ErrSyntax.
	Want error
	// As, if not nil, replaces Want: it reports whether the error is of
	// the documented type (such as bybit's *APIError).
	As   func(error) bool
	Call func() error
}

// CheckCases runs each case and reports those whose error is not the one
// documented.
func CheckCases(t testing.TB, cases []Case) {
	t.Helper()
	for _, c := range cases {
		err := c.Call()
		var syn *json.SyntaxError
		switch {
		case c.As != nil:
			if !c.As(err) {
				t.Errorf("%s: %v (%T), not of the documented type", c.Fn, err, err)
			}
		case errors.Is(c.Want, ErrSyntax):
			if !errors.As(err, &syn) {
				t.Errorf("%s: %v (%T), want a *json.SyntaxError", c.Fn, err, err)
			}
		case !errors.Is(err, c.Want):
			t.Errorf("%s: %v, want %v", c.Fn, err, c.Want)
		}
		var fe *venue.FieldError
		if c.Field != errors.As(err, &fe) {
			t.Errorf("%s: %v (%T): a *venue.FieldError %v, want %v", c.Fn, err, err, !c.Field, c.Field)
			continue
		}
		if c.Field && !slices.ContainsFunc([]error{venue.ErrMissing, venue.ErrType, venue.ErrNumber, venue.ErrValue},
			func(s error) bool { return errors.Is(fe.Err, s) }) {
			t.Errorf("%s: a *venue.FieldError whose Err (%v) is none of the venue sentinels", c.Fn, fe.Err)
		}
	}
}

// AssembleDocumented fails the test unless err is nil or an error the
// adapters' Assemble documents: a *json.SyntaxError (the decoders'), a
// *venue.FieldError whose Err is a venue sentinel, derivmath.ErrContext,
// or an error of account.Account "returned as it is": account's
// sentinels, derivmath's numeric ones, a *margin.TierError. extra adds a
// venue's own decoder errors, each a target for errors.As (such as
// new(*bybit.APIError)).
func AssembleDocumented(t testing.TB, err error, extra ...any) {
	t.Helper()
	if err == nil {
		return
	}
	var syn *json.SyntaxError
	var tier *margin.TierError
	if errors.As(err, &syn) || errors.As(err, &tier) {
		return
	}
	for _, x := range extra {
		if errors.As(err, x) {
			return
		}
	}
	var fe *venue.FieldError
	if errors.As(err, &fe) {
		FieldErrorSentinel(t, err)
		return
	}
	for _, s := range []error{
		derivmath.ErrContext, derivmath.ErrNaN, derivmath.ErrInfinite, derivmath.ErrNegativeZero,
		derivmath.ErrRange, derivmath.ErrPrice, derivmath.ErrZeroQty, derivmath.ErrLeverage,
		derivmath.ErrFeeRate, derivmath.ErrRate, derivmath.ErrStep,
		account.ErrConvention, account.ErrNoSpec, account.ErrNoMark, account.ErrSide,
		account.ErrMode, account.ErrNegative, account.ErrIndex, account.ErrLeverage,
	} {
		if errors.Is(err, s) {
			return
		}
	}
	t.Fatalf("Assemble: undocumented error %v (%T)", err, err)
}
