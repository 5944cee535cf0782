// Package plot holds what the example programs that draw pictures share:
// decimals as plot coordinates, and axis steps a reader can count in.
package plot

import (
	"fmt"
	"math"
	"strings"

	"github.com/cockroachdb/apd/v3"
)

// Float returns x as a float64 for plotting, or NaN if it has none. A
// picture needs no more than float64's digits; every number the programs
// print is computed and formatted in decimal.
func Float(x *apd.Decimal) float64 {
	f, err := x.Float64()
	if err != nil {
		return math.NaN()
	}
	return f
}

// NiceStep rounds x up to 1, 2, 2.5 or 5 times a power of ten: a step
// between axis labels. It returns 1 for an x that is not positive.
func NiceStep(x float64) float64 {
	if x <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= x*(1-1e-9) {
			return m * p
		}
	}
	return 10 * p
}

// Places returns the decimals that print every multiple of step exactly,
// for an axis's labels: 0 for 25, 1 for 0.5 or 2.5, 2 for 0.25; at most
// 10.
func Places(step float64) int {
	d := 0
	for k := step; d < 10 && math.Abs(k-math.Round(k)) > 1e-9*math.Max(1, k); k *= 10 {
		d++
	}
	return d
}

// Path returns the d attribute of an SVG path through n points, the i-th
// at pixel (xy(i)): a move to the first and a line to each one after it,
// each coordinate to one decimal.
func Path(n int, xy func(i int) (x, y float64)) string {
	var d strings.Builder
	for i := range n {
		cmd := "L"
		if i == 0 {
			cmd = "M"
		}
		x, y := xy(i)
		fmt.Fprintf(&d, "%s%.1f %.1f ", cmd, x, y)
	}
	return strings.TrimSpace(d.String())
}
