package golden

import (
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"
)

// A recorder is a testing.TB that keeps what FitAxis reports instead of
// failing the test: its Fatalf records the message and ends the goroutine,
// as testing.T's does.
type recorder struct {
	testing.TB
	fatal  string
	errors []string
}

func (r *recorder) Helper() {}

func (r *recorder) Fatalf(format string, args ...any) {
	r.fatal = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

// fit runs FitAxis on the y axis of the labelled grid lines of doc (ids
// "grid" and "labels") with a recorder, in a goroutine of its own so that
// a refusal ends only that goroutine.
func fit(t *testing.T, doc string) (Axis, *recorder) {
	t.Helper()
	svg := ReadSVG(t, []byte(`<svg xmlns="http://www.w3.org/2000/svg">`+doc+`</svg>`))
	r := &recorder{TB: t}
	var ax Axis
	done := make(chan struct{})
	go func() {
		defer close(done)
		ax = FitAxis(r, NewOracle(t), svg.In["grid"], svg.In["labels"], "y1", "", 1)
	}()
	<-done
	return ax, r
}

// grid returns a document's grid lines at the pixel rows ys and their
// labels.
func grid(ys []string, labels []string) string {
	var b strings.Builder
	b.WriteString(`<g id="grid">`)
	for _, y := range ys {
		fmt.Fprintf(&b, `<line x1="0" x2="100" y1="%s" y2="%s"/>`, y, y)
	}
	b.WriteString(`</g><g id="labels">`)
	for _, l := range labels {
		fmt.Fprintf(&b, `<text>%s</text>`, l)
	}
	b.WriteString(`</g>`)
	return b.String()
}

// TestFitAxisTwoLines: two grid lines determine an axis exactly, as a
// panel whose values never move has only two (examples/crash's fund
// panel); FitAxis reads it back, where it wanted three lines and refused
// two. 73,861 at y 500 and 73,862 at y 370 give 130 px per unit, upward.
func TestFitAxisTwoLines(t *testing.T) {
	ax, r := fit(t, grid([]string{"500", "370"}, []string{"73,861", "73,862"}))
	if r.fatal != "" || len(r.errors) > 0 {
		t.Fatalf("FitAxis refused two lines: %q %q", r.fatal, r.errors)
	}
	if ax.B != -130 || ax.A != 500+130*73861 {
		t.Errorf("axis %+v, want A %v, B -130", ax, 500+130*73861.0)
	}
	if v := ax.Value(435); math.Abs(v-73861.5) > 1e-9 {
		t.Errorf("value at y 435: %v, want 73861.5", v)
	}
}

// TestFitAxisChecks: lines beyond the first and the last check the axis
// they give: a middle label on its line passes, one 0.2 px off is
// reported.
func TestFitAxisChecks(t *testing.T) {
	if _, r := fit(t, grid([]string{"300", "200", "100"}, []string{"0", "5", "10"})); r.fatal != "" || len(r.errors) > 0 {
		t.Errorf("three lines on an axis: %q %q", r.fatal, r.errors)
	}
	if _, r := fit(t, grid([]string{"300", "200.2", "100"}, []string{"0", "5", "10"})); r.fatal != "" || len(r.errors) != 1 {
		t.Errorf("a middle label 0.2 px off: fatal %q, errors %q, want one error", r.fatal, r.errors)
	}
}

// TestFitAxisRefuses: FitAxis refuses an axis with no scale (two labels
// of one value, or two lines at one position), a single line, and lines
// without one label each.
func TestFitAxisRefuses(t *testing.T) {
	for _, c := range []struct {
		name       string
		ys, labels []string
	}{
		{"equal labels", []string{"500", "370"}, []string{"73,861", "73,861"}},
		{"lines at one position", []string{"500", "500"}, []string{"73,861", "73,862"}},
		{"one line", []string{"500"}, []string{"73,861"}},
		{"a label short", []string{"500", "370"}, []string{"73,861"}},
	} {
		if _, r := fit(t, grid(c.ys, c.labels)); r.fatal == "" {
			t.Errorf("%s: FitAxis read an axis (errors %q)", c.name, r.errors)
		}
	}
}
