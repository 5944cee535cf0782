package dectest

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"pgregory.net/rapid"
)

// CheckDecimalErrs are the errors of derivmath.CheckDecimal, what a
// documentation means by "derivmath.CheckDecimal errors".
var CheckDecimalErrs = []error{derivmath.ErrNaN, derivmath.ErrInfinite, derivmath.ErrNegativeZero, derivmath.ErrRange}

// checkDecimalWitness is, for each of CheckDecimalErrs, an operand that
// yields it.
var checkDecimalWitness = map[error]string{
	derivmath.ErrNaN:          "NaN",
	derivmath.ErrInfinite:     "Infinity",
	derivmath.ErrNegativeZero: "-0",
	derivmath.ErrRange:        "1E+1000",
}

// Errs joins lists of sentinels, for an ErrDoc's Errs.
func Errs(lists ...[]error) []error {
	var all []error
	for _, l := range lists {
		all = append(all, l...)
	}
	return all
}

// An ErrDoc is one exported function's documented errors, for
// ErrorsDocumented.
type ErrDoc struct {
	// Name is the function's name.
	Name string
	// Errs are the sentinels its documentation lists, references such as
	// "those of Spec.Value" resolved.
	Errs []error
	// Typed reports whether an error is one of the error types the
	// documentation lists (such as a *margin.TierError); nil means none.
	Typed func(error) bool
	// Base are valid decimal operands, as text, and Ints valid integer
	// operands (durations, counts, modes): Call on them succeeds.
	Base []string
	Ints []int64
	// Call calls the function on ctx and the operands.
	Call func(ctx *apd.Context, x []*apd.Decimal, n []int64) error
	// Checked lists the operands that the function checks with
	// derivmath.CheckDecimal: the first one stands for all of them, and
	// a NaN, an infinity, a -0 and 1E+1000 there are the inputs shown for
	// ErrNaN, ErrInfinite, ErrNegativeZero and ErrRange unless Cases show
	// one. A nil context is the input shown for derivmath.ErrContext.
	Checked []int
	// Cases show an input for each other sentinel.
	Cases []ErrCase
}

// An ErrCase is an input that yields Want (or, when Typed accepts Want, an
// error of its type): the ErrDoc's operands with
// those of X (decimals, by index) and N (integers) replaced, or, when Call
// is set, what Call returns.
type ErrCase struct {
	Want error
	X    map[int]string
	N    map[int]int64
	Call func() error
}

// hostileInts are integer operands a broken caller might pass: durations
// of 0, negative, not dividing a day, beyond a day, and the extremes.
var hostileInts = []int64{
	0, -1, 1, 2, 3, 7, 8, 1000, int64(5e9 * 60), int64(36e11), int64(8 * 36e11), int64(24 * 36e11),
	int64(25 * 36e11), int64(7 * 36e11), math.MaxInt64, math.MinInt64, math.MaxInt32 + 1,
}

func (d *ErrDoc) listed(err error) bool {
	for _, s := range d.Errs {
		if errors.Is(err, s) {
			return true
		}
	}
	return d.Typed != nil && d.Typed(err)
}

// is reports whether err is want, or of want's type when want stands for
// one of the error types Typed accepts.
func (d *ErrDoc) is(err, want error) bool {
	return errors.Is(err, want) || d.Typed != nil && d.Typed(want) && err != nil && d.Typed(err)
}

// documented reports whether err is what the function may return in ctx:
// nil, an error of its list, or, where ctx traps, a condition it trapped
// (Trapped), which the root package documents for all.
func (d *ErrDoc) documented(ctx *apd.Context, err error) bool {
	return err == nil || d.listed(err) || ctx != nil && ctx.Traps != 0 && Trapped(err)
}

// operands returns the doc's operands, those of x (texts) and n replacing
// the Base and Ints at their indexes, or the error of a text that does not
// parse.
func (d *ErrDoc) operands(x map[int]string, n map[int]int64) ([]*apd.Decimal, []int64, error) {
	xs := make([]*apd.Decimal, len(d.Base))
	for i, s := range d.Base {
		if v, ok := x[i]; ok {
			s = v
		}
		v, _, err := apd.NewFromString(s)
		if err != nil {
			return nil, nil, err
		}
		xs[i] = v
	}
	ns := append([]int64(nil), d.Ints...)
	for i, v := range n {
		ns[i] = v
	}
	return xs, ns, nil
}

// run calls the function on ctx and the operands of x and n (operands);
// it panics if a text of x does not parse.
func (d *ErrDoc) run(ctx *apd.Context, x map[int]string, n map[int]int64) error {
	xs, ns, err := d.operands(x, n)
	if err != nil {
		panic(err)
	}
	return d.Call(ctx, xs, ns)
}

// ErrorsDocumented checks each function's list of errors against what it
// returns: (a) on its valid operands it succeeds; every sentinel listed
// has an input that returns it (the Cases, or the automatic inputs of
// Checked and of a nil context), and every case returns its sentinel,
// which the list holds; (b) driven over hostile operands
// (HostileDecimal's texts, arbitrary finite decimals, valid operands
// scaled and negated, hostile integers)
// in the default, a 50-digit and a 5-digit context and any context
// (AnyContext: every rounding, Inexact trapped now and then), it returns
// nil or a listed error, never another (or, where the context traps, a
// condition it trapped: Trapped).
func ErrorsDocumented(t *testing.T, docs []ErrDoc) {
	t.Helper()
	ctx := derivmath.NewContext()
	for i := range docs {
		d := &docs[i]
		t.Run(d.Name, func(t *testing.T) {
			if err := d.run(ctx, nil, nil); err != nil {
				t.Fatalf("valid operands: %v", err)
			}
			shown := map[error]bool{}
			for j, c := range d.Cases {
				var err error
				if c.Call != nil {
					err = c.Call()
				} else {
					err = d.run(ctx, c.X, c.N)
				}
				if !d.is(err, c.Want) {
					t.Errorf("case %d (%v %v): %v, want %v", j, c.X, c.N, err, c.Want)
				}
				if !d.listed(c.Want) {
					t.Errorf("case %d: %v is not in the list", j, c.Want)
				}
				shown[c.Want] = true
			}
			for _, s := range d.Errs {
				if shown[s] {
					continue
				}
				var err error
				switch w, ok := checkDecimalWitness[s]; {
				case errors.Is(s, derivmath.ErrContext):
					err = d.run(nil, nil, nil)
				case ok && len(d.Checked) > 0:
					err = d.run(ctx, map[int]string{d.Checked[0]: w}, nil)
				default:
					t.Errorf("no input shown for %v", s)
					continue
				}
				if !d.is(err, s) {
					t.Errorf("automatic input for %v: %v", s, err)
				}
			}
		})
	}
	if t.Failed() {
		return
	}
	wide, narrow := apd.BaseContext.WithPrecision(50), apd.BaseContext.WithPrecision(5)
	rapid.Check(t, func(t *rapid.T) {
		ctx := rapid.SampledFrom([]*apd.Context{ctx, wide, narrow, nil}).Draw(t, "ctx")
		if ctx == nil {
			ctx = AnyContext(t) // every rounding, Inexact trapped now and then
		}
		for i := range docs {
			d := &docs[i]
			x := map[int]string{}
			for j := range d.Base {
				// Each operand is replaced with a chance of 3 in 3*len, at
				// most 1 in 2, so that most calls pass most checks: by a
				// hostile text, an arbitrary finite decimal, or the valid
				// operand scaled by a power of ten, its sign flipped or not.
				switch rapid.IntRange(0, 3*max(len(d.Base), 2)-1).Draw(t, "replace") {
				case 0:
					x[j] = rapid.SampledFrom(hostileTexts).Draw(t, fmt.Sprint("x", j))
				case 1:
					x[j] = apd.New(rapid.Int64().Draw(t, "coeff"), rapid.Int32Range(-40, 40).Draw(t, "exp")).String()
				case 2:
					v := D(d.Base[j])
					v.Exponent += rapid.Int32Range(-20, 20).Draw(t, "scale")
					v.Negative = rapid.Bool().Draw(t, "flip") != v.Negative
					x[j] = v.String()
				}
			}
			n := map[int]int64{}
			for j := range d.Ints {
				if rapid.IntRange(0, 2*max(len(d.Ints), 2)-1).Draw(t, "replaceInt") == 0 {
					n[j] = rapid.SampledFrom(hostileInts).Draw(t, fmt.Sprint("n", j))
				}
			}
			if err := d.run(ctx, x, n); !d.documented(ctx, err) {
				t.Fatalf("%s(%v, %v): error outside its list: %v (%T)", d.Name, x, n, err, err)
			}
		}
	})
}

// Trapped reports whether err is a condition the context trapped, as apd
// reports it ("inexact", "division by zero, inexact"): as it is (the
// steps return it so), or wrapped with the name of the function that
// computed it (the formulas, derivmath.Round).
func Trapped(err error) bool {
	if err == nil {
		return false
	}
	inner := err
	for errors.Unwrap(inner) != nil {
		inner = errors.Unwrap(inner)
	}
	for _, c := range strings.Split(inner.Error(), ", ") {
		switch c {
		case "overflow", "underflow", "inexact", "subnormal", "rounded", "division undefined",
			"division by zero", "division impossible", "invalid operation", "clamped", "exponent out of range":
		default:
			return false
		}
	}
	return true
}
