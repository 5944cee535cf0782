// Inverse-vs-linear plots the profit and loss of two long positions of the
// same entry value over a range of prices: an inverse contract (BitMEX
// XBTUSD, 1 USD per contract, settled in bitcoin) and a linear one (Binance
// BTCUSDT, settled in USDT).
//
// Measured in its own settlement currency, as a fraction of its entry value,
// the linear long's PnL is a straight line, P/EP - 1, but the inverse long's
// is 1 - EP/P, a concave curve: it gains +50% when the price doubles and loses
// -100% (everything) when the price halves. That convexity surprises traders
// of inverse contracts.
//
// It prints a table and an ASCII chart, and writes an SVG plot:
//
//	go run ./examples/inverse-vs-linear
//	go run ./examples/inverse-vs-linear -min 30000 -max 80000 -svg /tmp/pnl.svg
package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/examples/internal/cli"
	"github.com/derivmath/derivmath/examples/internal/decfmt"
	"github.com/derivmath/derivmath/examples/internal/plot"
)

func main() {
	os.Exit(cli.Exit(os.Stderr, "inverse-vs-linear", run(os.Stdout, os.Args[1:])))
}

// A point is the PnL of both positions at one price.
type point struct {
	price            float64
	inverse, linear  float64 // PnL as a fraction of entry value
	priceDec         apd.Decimal
	invPnL, linPnL   apd.Decimal // in XBT and USDT
	invFrac, linFrac apd.Decimal
}

// setup is the comparison the flags describe.
type setup struct {
	inverse, linear       *contract.Spec
	contracts, qty, entry *apd.Decimal
	invValue, linValue    apd.Decimal // entry values, XBT and USDT
}

func run(w io.Writer, args []string) error {
	fs := flag.NewFlagSet("inverse-vs-linear", flag.ContinueOnError)
	fs.SetOutput(w)
	entryText := fs.String("entry", "50000", "entry price of both longs, USD")
	contractsText := fs.String("contracts", "10000", "XBTUSD contracts (1 USD each); the BTCUSDT long has the same entry value")
	minText := fs.String("min", "25000", "lowest price plotted")
	maxText := fs.String("max", "100000", "highest price plotted")
	svgPath := fs.String("svg", "inverse-vs-linear.svg", "SVG file to write (empty: none)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx := derivmath.NewContext()
	s := &setup{inverse: contract.XBTUSD(), linear: contract.BTCUSDT()}
	var err error
	if s.entry, err = decfmt.Parse("entry", *entryText); err != nil {
		return err
	}
	if s.contracts, err = decfmt.Parse("contracts", *contractsText); err != nil {
		return err
	}
	lo, err := decfmt.Parse("min", *minText)
	if err != nil {
		return err
	}
	hi, err := decfmt.Parse("max", *maxText)
	if err != nil {
		return err
	}
	for _, f := range []struct {
		name, text string
		p          *apd.Decimal
	}{{"entry", *entryText, s.entry}, {"min", *minText, lo}, {"max", *maxText, hi}} {
		if err := derivmath.CheckPrice(f.p); err != nil {
			return fmt.Errorf("-%s %s: %w", f.name, f.text, err)
		}
	}
	if lo.Cmp(hi) >= 0 {
		return fmt.Errorf("-min %s must be below -max %s", *minText, *maxText)
	}
	if s.contracts.Sign() <= 0 {
		return fmt.Errorf("-contracts %s: must be positive", *contractsText)
	}

	// Entry values: N/EP XBT for the inverse long; the linear long buys the
	// same value, N USD, in whole lots of BTC.
	if err := s.inverse.Value(ctx, &s.invValue, s.contracts, s.entry); err != nil {
		return err
	}
	s.qty = new(apd.Decimal)
	if _, err := ctx.Quo(s.qty, s.contracts, s.entry); err != nil {
		return err
	}
	if err := derivmath.Round(ctx, s.qty, s.qty, &s.linear.Lot, derivmath.Down); err != nil {
		return err
	}
	if s.qty.IsZero() {
		return fmt.Errorf("-contracts %s buys less than one lot of %s", *contractsText, s.linear.Symbol)
	}
	if err := s.linear.Value(ctx, &s.linValue, s.qty, s.entry); err != nil {
		return err
	}

	out := &strings.Builder{}
	fmt.Fprintf(out, "inverse: %s long %s contracts @ %s, entry value %s %s, PnL = N*(1/EP - 1/P) %s\n",
		s.inverse.Symbol, s.contracts.Text('f'), s.entry.Text('f'), decfmt.Reduced(&s.invValue), s.inverse.Settle, s.inverse.Settle)
	fmt.Fprintf(out, "linear:  %s long %s BTC @ %s, entry value %s %s, PnL = Q*(P - EP) %s\n",
		s.linear.Symbol, decfmt.Reduced(s.qty), s.entry.Text('f'), decfmt.Reduced(&s.linValue), s.linear.Settle, s.linear.Settle)
	fmt.Fprintf(out, "as a fraction of entry value: inverse 1 - EP/P (concave), linear P/EP - 1 (straight)\n\n")

	// The table: the ends, the entry, and halving/doubling points in range.
	fmt.Fprintf(out, "%10s  %14s  %9s  %14s  %9s\n", "price", "inverse XBT", "inverse", "linear USDT", "linear")
	for _, p := range tablePrices(lo, hi, s.entry) {
		pt, err := s.at(ctx, p)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "%10s  %14s  %8s%%  %14s  %8s%%\n", pt.priceDec.Text('f'),
			decfmt.Fixed(&pt.invPnL, 8), pctText(&pt.invFrac), decfmt.Fixed(&pt.linPnL, 2), pctText(&pt.linFrac))
	}

	// The curves, sampled evenly: one ASCII column per point, and finer for
	// the SVG.
	pts, err := s.curve(ctx, lo, hi, 61)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\nPnL, %% of entry value   i = inverse (%s)   l = linear (%s)   * = both\n", s.inverse.Symbol, s.linear.Symbol)
	ascii(out, pts, plot.Float(s.entry))

	if *svgPath != "" {
		if pts, err = s.curve(ctx, lo, hi, 301); err != nil {
			return err
		}
		svg := drawSVG(pts, plot.Float(s.entry), s)
		if err := os.WriteFile(*svgPath, []byte(svg), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(out, "\nwrote %s\n", *svgPath)
	}
	_, err = io.WriteString(w, out.String())
	return err
}

// curve returns n points evenly spaced from lo to hi.
func (s *setup) curve(ctx *apd.Context, lo, hi *apd.Decimal, n int) ([]point, error) {
	pts := make([]point, n)
	loF, hiF := plot.Float(lo), plot.Float(hi)
	for i := range pts {
		price := loF + (hiF-loF)*float64(i)/float64(n-1)
		d, _, err := apd.NewFromString(strconv.FormatFloat(price, 'f', 2, 64))
		if err != nil {
			return nil, err
		}
		pt, err := s.at(ctx, d)
		if err != nil {
			return nil, err
		}
		pts[i] = *pt
	}
	return pts, nil
}

// at computes both PnLs at price p, exactly, and as float64 fractions for
// plotting.
func (s *setup) at(ctx *apd.Context, p *apd.Decimal) (*point, error) {
	pt := &point{}
	pt.priceDec.Set(p)
	if err := s.inverse.PnL(ctx, &pt.invPnL, s.contracts, s.entry, p); err != nil {
		return nil, err
	}
	if err := s.linear.PnL(ctx, &pt.linPnL, s.qty, s.entry, p); err != nil {
		return nil, err
	}
	if _, err := ctx.Quo(&pt.invFrac, &pt.invPnL, &s.invValue); err != nil {
		return nil, err
	}
	if _, err := ctx.Quo(&pt.linFrac, &pt.linPnL, &s.linValue); err != nil {
		return nil, err
	}
	pt.price, pt.inverse, pt.linear = plot.Float(p), plot.Float(&pt.invFrac), plot.Float(&pt.linFrac)
	return pt, nil
}

// tablePrices returns lo, hi, the entry, and the entry halved, times 0.8,
// 0.9, 1.1, 1.25, 1.5 and doubled, where they lie in [lo, hi], in order.
func tablePrices(lo, hi, entry *apd.Decimal) []*apd.Decimal {
	ctx := apd.BaseContext.WithPrecision(30)
	var ps []*apd.Decimal
	add := func(p *apd.Decimal) {
		if p.Cmp(lo) < 0 || p.Cmp(hi) > 0 {
			return
		}
		for i, q := range ps {
			switch p.Cmp(q) {
			case 0:
				return
			case -1:
				ps = append(ps[:i], append([]*apd.Decimal{p}, ps[i:]...)...)
				return
			}
		}
		ps = append(ps, p)
	}
	add(lo)
	add(hi)
	for _, f := range []string{"0.5", "0.8", "0.9", "1", "1.1", "1.25", "1.5", "2"} {
		m, _, _ := apd.NewFromString(f)
		var p apd.Decimal
		if _, err := ctx.Mul(&p, entry, m); err == nil {
			p.Reduce(&p)
			add(&p)
		}
	}
	return ps
}

// yRange returns the plotted range of fractions, widened to whole steps.
func yRange(pts []point) (lo, hi, step float64) {
	lo, hi = 0, 0
	for _, p := range pts {
		lo = min(lo, p.inverse, p.linear)
		hi = max(hi, p.inverse, p.linear)
	}
	step = plot.NiceStep((hi - lo) / 8)
	return math.Floor(lo/step) * step, math.Ceil(hi/step) * step, step
}

// ascii draws both curves on a character grid, one column per sample.
func ascii(out *strings.Builder, pts []point, entry float64) {
	const rows = 21
	cols := len(pts)
	lo, hi, step := yRange(pts)
	grid := make([][]byte, rows)
	for r := range grid {
		grid[r] = []byte(strings.Repeat(" ", cols))
	}
	row := func(y float64) int {
		return int(math.Round((hi - y) / (hi - lo) * (rows - 1)))
	}
	zero := row(0)
	for c := range cols {
		grid[zero][c] = '-'
	}
	ec := int(math.Round((entry - pts[0].price) / (pts[cols-1].price - pts[0].price) * float64(cols-1)))
	if ec >= 0 && ec < cols {
		for r := range grid {
			if grid[r][ec] == ' ' {
				grid[r][ec] = ':'
			}
		}
	}
	for c, p := range pts {
		ri, rl := row(p.inverse), row(p.linear)
		grid[ri][c] = 'i'
		if rl == ri {
			grid[rl][c] = '*'
		} else {
			grid[rl][c] = 'l'
		}
	}
	for r := range grid {
		label := ""
		y := hi - float64(r)*(hi-lo)/(rows-1)
		if k := y / step; math.Abs(k-math.Round(k)) < 1e-9 {
			label = pctLabel(y, step)
		}
		fmt.Fprintf(out, "%6s |%s\n", label, strings.TrimRight(string(grid[r]), " "))
	}
	fmt.Fprintf(out, "%6s +%s\n", "", strings.Repeat("-", cols))
	// Price labels under the first, middle and last columns, and the entry.
	labels := []byte(strings.Repeat(" ", cols+12))
	put := func(c int, s string) {
		start := min(max(c-len(s)/2, 0), len(labels)-len(s))
		copy(labels[start:], s)
	}
	put(0, fmt.Sprintf("%.0f", pts[0].price))
	put(cols-1, fmt.Sprintf("%.0f", pts[cols-1].price))
	if ec > 8 && ec < cols-8 {
		put(ec, fmt.Sprintf("%.0f", entry))
	}
	fmt.Fprintf(out, "%6s  %s\n", "", strings.TrimRight(string(labels), " "))
	fmt.Fprintf(out, "%6s  %s\n", "", centre("BTC price, USD (: = entry)", cols))
}

// pctLabel formats a fraction, a multiple of step, as a signed percentage
// with the decimals step needs (plot.Places): +50%, 0%, -25% for a step
// of 25%, +0.05% for one of 0.05%.
func pctLabel(f, step float64) string {
	if math.Abs(f) < step*1e-6 {
		return "0%"
	}
	return fmt.Sprintf("%+.*f%%", plot.Places(100*step), 100*f)
}

func centre(s string, width int) string {
	if len(s) >= width {
		return s
	}
	return strings.Repeat(" ", (width-len(s))/2) + s
}

// drawSVG returns the SVG of both curves with axes, labels, title and legend.
func drawSVG(pts []point, entry float64, s *setup) string {
	const (
		width, height         = 800.0, 500.0
		left, right, top, bot = 80.0, 45.0, 60.0, 70.0
		invColour, linColour  = "#d62728", "#1f77b4"
		plotW, plotH          = width - left - right, height - top - bot
	)
	xlo, xhi := pts[0].price, pts[len(pts)-1].price
	ylo, yhi, ystep := yRange(pts)
	x := func(p float64) float64 { return left + (p-xlo)/(xhi-xlo)*plotW }
	y := func(f float64) float64 { return top + (yhi-f)/(yhi-ylo)*plotH }

	var b strings.Builder
	f := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	f(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	f(`<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="sans-serif">`+"\n",
		width, height, width, height)
	title := fmt.Sprintf("Long PnL: inverse %s vs linear %s, entry %s USD", s.inverse.Symbol, s.linear.Symbol, s.entry.Text('f'))
	f("<title>%s</title>\n", title)
	f(`<rect width="100%%" height="100%%" fill="white"/>` + "\n")
	f(`<text x="%.0f" y="32" font-size="20" text-anchor="middle">%s</text>`+"\n", width/2, title)

	// Grid, ticks and tick labels.
	var ys, xs []float64
	for v := ylo; v <= yhi+ystep/2; v += ystep {
		ys = append(ys, v)
	}
	xstep := plot.NiceStep((xhi - xlo) / 8)
	for v := math.Ceil(xlo/xstep) * xstep; v <= xhi+xstep/1e6; v += xstep {
		xs = append(xs, v)
	}
	b.WriteString(plot.YGrid("ygrid", ys, y, left, left+plotW))
	b.WriteString(plot.XGrid("xgrid", xs, x, top, top+plotH))
	b.WriteString(plot.YLabels("ylabels", ys, y, left, func(v float64) string { return pctLabel(v, ystep) }))
	b.WriteString(plot.XLabels("xlabels", xs, x, top+plotH, func(v float64) string { return fmt.Sprintf("%.*f", plot.Places(xstep), v) }))

	// Axes, zero line and entry line.
	b.WriteString(plot.Axes(left, plotW, [2]float64{top, plotH}))
	f(`<line id="zero" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#888888" stroke-width="1"/>`+"\n", left, y(0), left+plotW, y(0))
	f(`<line id="entry" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#888888" stroke-dasharray="4 4"/>`+"\n", x(entry), top, x(entry), top+plotH)
	f(`<text x="%.1f" y="%.1f" font-size="12" fill="#555555">entry</text>`+"\n", x(entry)+4, top+14)

	// Axis labels.
	f(`<text x="%.1f" y="%.1f" font-size="14" text-anchor="middle">BTC price (USD)</text>`+"\n", left+plotW/2, height-20)
	f(`<text transform="translate(22 %.1f) rotate(-90)" font-size="14" text-anchor="middle">PnL (%% of entry value, in settlement currency)</text>`+"\n", top+plotH/2)

	// The curves.
	path := func(id, colour string, v func(point) float64) {
		d := plot.Path(len(pts), func(i int) (float64, float64) { return x(pts[i].price), y(v(pts[i])) })
		f(`<path id="%s" d="%s" fill="none" stroke="%s" stroke-width="2.5"/>`+"\n", id, d, colour)
	}
	path("inverse", invColour, func(p point) float64 { return p.inverse })
	path("linear", linColour, func(p point) float64 { return p.linear })

	// Legend.
	lx, ly := left+20, top+20
	f(`<g font-size="13">` + "\n")
	f(`<rect x="%.1f" y="%.1f" width="330" height="52" fill="white" stroke="#bbbbbb"/>`+"\n", lx-10, ly-16)
	f(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="2.5"/>`+"\n", lx, ly-4, lx+30, ly-4, invColour)
	f(`<text x="%.1f" y="%.1f">inverse %s: 1 - EP/P (in %s)</text>`+"\n", lx+38, ly, s.inverse.Symbol, s.inverse.Settle)
	f(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="2.5"/>`+"\n", lx, ly+18, lx+30, ly+18, linColour)
	f(`<text x="%.1f" y="%.1f">linear %s: P/EP - 1 (in %s)</text>`+"\n", lx+38, ly+22, s.linear.Symbol, s.linear.Settle)
	f("</g>\n")
	f("</svg>\n")
	return b.String()
}

// pctText formats a fraction as a signed percentage with 2 decimals.
func pctText(x *apd.Decimal) string {
	return decfmt.Signed(decfmt.Percent(x, 2))
}
