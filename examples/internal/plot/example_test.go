package plot_test

import (
	"fmt"

	"github.com/derivmath/derivmath/examples/internal/plot"
)

// x and y map the plotted values to pixels: x from 0..1 to 100..300, y
// from 0..1 to 250..50.
func x(v float64) float64 { return 100 + 200*v }
func y(v float64) float64 { return 250 - 200*v }

func ExampleXGrid() {
	fmt.Print(plot.XGrid("xgrid", []float64{0, 0.5, 1}, x, 50, 250))
	// Output:
	// <g id="xgrid" stroke="#dddddd" stroke-width="1">
	// <line x1="100.0" y1="50.0" x2="100.0" y2="250.0"/>
	// <line x1="200.0" y1="50.0" x2="200.0" y2="250.0"/>
	// <line x1="300.0" y1="50.0" x2="300.0" y2="250.0"/>
	// </g>
}

func ExampleYGrid() {
	fmt.Print(plot.YGrid("ygrid", []float64{0, 0.5, 1}, y, 100, 300))
	// Output:
	// <g id="ygrid" stroke="#dddddd" stroke-width="1">
	// <line x1="100.0" y1="250.0" x2="300.0" y2="250.0"/>
	// <line x1="100.0" y1="150.0" x2="300.0" y2="150.0"/>
	// <line x1="100.0" y1="50.0" x2="300.0" y2="50.0"/>
	// </g>
}

func ExampleXLabels() {
	fmt.Print(plot.XLabels("xlabels", []float64{0, 0.5, 1}, x, 250, func(v float64) string { return fmt.Sprintf("%.1f", v) }))
	// Output:
	// <g id="xlabels" font-size="12" fill="#333333" text-anchor="middle">
	// <text x="100.0" y="268.0">0.0</text>
	// <text x="200.0" y="268.0">0.5</text>
	// <text x="300.0" y="268.0">1.0</text>
	// </g>
}

func ExampleYLabels() {
	fmt.Print(plot.YLabels("ylabels", []float64{0, 0.5, 1}, y, 100, func(v float64) string { return fmt.Sprintf("%.0f%%", 100*v) }))
	// Output:
	// <g id="ylabels" font-size="12" fill="#333333" text-anchor="end">
	// <text x="92.0" y="254.0">0%</text>
	// <text x="92.0" y="154.0">50%</text>
	// <text x="92.0" y="54.0">100%</text>
	// </g>
}

func ExampleAxes() {
	fmt.Print(plot.Axes(100, 200, [2]float64{50, 200}))
	// Output:
	// <g stroke="black" stroke-width="1.5">
	// <line x1="100.0" y1="50.0" x2="100.0" y2="250.0"/>
	// <line x1="100.0" y1="250.0" x2="300.0" y2="250.0"/>
	// </g>
}
