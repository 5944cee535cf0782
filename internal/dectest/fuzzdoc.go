package dectest

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
)

// FuzzDocumented is the fuzz target of ErrorsDocumented's tables: it calls
// the function docs[fn % len(docs)] on the context ctx picks (fuzzContext)
// and on the operands xs and ns give, comma-separated: decimal texts for
// the Base operands, integers for the Ints, an empty or missing field
// leaving the valid operand. It fails if the call panics or returns an
// error that is not documented, as ErrorsDocumented's hostile half
// checks: nil, an error of that function's list (Errs or Typed), or,
// where the context traps, a condition it trapped (Trapped). A text that
// does not parse is skipped: the target tests the functions, not apd's
// parser.
//
// Before fuzzing it checks that every doc's valid operands succeed in the
// default context. The seeds are each doc's valid operands and a few
// hostile calls per table (NaN, 1E+1000, a nil context, a 1-digit context
// trapping Inexact), whose texts the mutator can copy between operands:
// few, as the seeds run in go test.
func FuzzDocumented(f *testing.F, docs []ErrDoc) {
	f.Helper()
	if len(docs) == 0 {
		f.Fatal("no docs")
	}
	for i := range docs {
		if err := docs[i].run(derivmath.NewContext(), nil, nil); err != nil {
			f.Fatalf("%s: valid operands: %v", docs[i].Name, err)
		}
	}
	for i, d := range docs {
		f.Add(uint16(i), uint16(0), strings.Join(d.Base, ","), joinInts(d.Ints))
	}
	for i, h := range []struct {
		ctx uint16
		x   string
	}{
		{0, "NaN,-0,Infinity,sNaN"},
		{2, "1E+1000,-1E-37,0E+101,12345678901234567890"},
		{1, ""},
		{4 | 3<<9 | 1<<13, "-0.00000001,9.99E+99,0.9999999999999999999,-1"},
	} {
		f.Add(uint16(i*7), h.ctx, h.x, "")
	}
	f.Fuzz(func(t *testing.T, fn, c uint16, xs, ns string) {
		d := &docs[int(fn)%len(docs)]
		x := map[int]string{}
		for i, s := range strings.Split(xs, ",") {
			if i < len(d.Base) && s != "" {
				x[i] = s
			}
		}
		n := map[int]int64{}
		for i, s := range strings.Split(ns, ",") {
			if i >= len(d.Ints) || s == "" {
				continue
			}
			v, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				t.Skip()
			}
			n[i] = v
		}
		x0, n0, err := d.operands(x, n)
		if err != nil {
			t.Skip()
		}
		ctx := fuzzContext(c)
		if err := d.Call(ctx, x0, n0); !d.documented(ctx, err) {
			t.Fatalf("%s(%v, %v) in %s: error outside its list: %v (%T)", d.Name, x0, n0, contextString(ctx), err, err)
		}
	})
}

// fuzzContext is the context c selects, as ErrorsDocumented draws them:
// by c%8, 0 the default (derivmath.NewContext), 1 nil, 2 50 digits, 3 5
// digits, and otherwise any context (AnyContext): precision 1 + bits 3-8
// modulo 50, the rounder bits 9-12 modulo 9 of rounders, Inexact trapped
// where bit 13 is set.
func fuzzContext(c uint16) *apd.Context {
	switch c % 8 {
	case 0:
		return derivmath.NewContext()
	case 1:
		return nil
	case 2:
		return apd.BaseContext.WithPrecision(50)
	case 3:
		return apd.BaseContext.WithPrecision(5)
	}
	ctx := apd.BaseContext.WithPrecision(uint32(1 + (c>>3&63)%50))
	ctx.Rounding = rounders[int(c>>9&15)%len(rounders)]
	if c&(1<<13) != 0 {
		ctx.Traps |= apd.Inexact
	}
	return ctx
}

// contextString describes ctx for a failure message.
func contextString(ctx *apd.Context) string {
	if ctx == nil {
		return "a nil context"
	}
	return fmt.Sprintf("precision %d, rounding %q, traps %v", ctx.Precision, ctx.Rounding, ctx.Traps)
}

// joinInts writes n comma-separated, as FuzzDocumented reads its integers.
func joinInts(n []int64) string {
	s := make([]string, len(n))
	for i, v := range n {
		s[i] = strconv.FormatInt(v, 10)
	}
	return strings.Join(s, ",")
}
