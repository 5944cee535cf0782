// Package plot holds what the example programs that draw pictures share:
// decimals as plot coordinates, axis steps a reader can count in, and the
// axes, grid lines and tick labels their SVGs draw for them.
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

// Axes returns an SVG group of black axis lines, a vertical one at x =
// left and a horizontal one along the bottom, width long, for each panel
// {top, height} given (a picture with panels stacked above each other has
// one each).
func Axes(left, width float64, panels ...[2]float64) string {
	var b strings.Builder
	b.WriteString(`<g stroke="black" stroke-width="1.5">` + "\n")
	for _, p := range panels {
		top, bottom := p[0], p[0]+p[1]
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`+"\n", left, top, left, bottom)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`+"\n", left, bottom, left+width, bottom)
	}
	b.WriteString("</g>\n")
	return b.String()
}

// XGrid returns an SVG group, with the id given, of light grey grid
// lines, one per tick v: vertical, at x(v), from y0 to y1.
func XGrid(id string, ticks []float64, x func(float64) float64, y0, y1 float64) string {
	return grid(id, ticks, func(v float64) [4]float64 { return [4]float64{x(v), y0, x(v), y1} })
}

// YGrid returns an SVG group, with the id given, of light grey grid
// lines, one per tick v: horizontal, at y(v), from x0 to x1.
func YGrid(id string, ticks []float64, y func(float64) float64, x0, x1 float64) string {
	return grid(id, ticks, func(v float64) [4]float64 { return [4]float64{x0, y(v), x1, y(v)} })
}

// grid returns the group of XGrid and YGrid: a line per tick, from
// (x1, y1) to (x2, y2) as line gives them.
func grid(id string, ticks []float64, line func(v float64) [4]float64) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<g id="%s" stroke="#dddddd" stroke-width="1">`+"\n", id)
	for _, v := range ticks {
		l := line(v)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`+"\n", l[0], l[1], l[2], l[3])
	}
	b.WriteString("</g>\n")
	return b.String()
}

// XLabels returns an SVG group, with the id given, of the labels under a
// horizontal axis at y = axis, one per tick v: text(v), centred on x(v)
// and 18 pixels below the axis.
func XLabels(id string, ticks []float64, x func(float64) float64, axis float64, text func(float64) string) string {
	return labels(id, "middle", ticks, text, func(v float64) (float64, float64) { return x(v), axis + 18 })
}

// YLabels returns an SVG group, with the id given, of the labels left of
// a vertical axis at x = axis, one per tick v: text(v), ending 8 pixels
// left of the axis, its baseline 4 pixels below y(v) (which centres the
// 12-pixel text on the tick).
func YLabels(id string, ticks []float64, y func(float64) float64, axis float64, text func(float64) string) string {
	return labels(id, "end", ticks, text, func(v float64) (float64, float64) { return axis - 8, y(v) + 4 })
}

// labels returns the group of XLabels and YLabels: text(v) at the point
// at(v) gives, anchored there as anchor says, for each tick v.
func labels(id, anchor string, ticks []float64, text func(float64) string, at func(v float64) (x, y float64)) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<g id="%s" font-size="12" fill="#333333" text-anchor="%s">`+"\n", id, anchor)
	for _, v := range ticks {
		x, y := at(v)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f">%s</text>`+"\n", x, y, text(v))
	}
	b.WriteString("</g>\n")
	return b.String()
}
