package main

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/examples/internal/decfmt"
	"github.com/derivmath/derivmath/examples/internal/plot"
)

// plot returns the SVG: the mark path with a marker per tick where
// accounts were liquidated (its area by their number) and the 100x long's
// marked; the ADL trades as bars under it (their height by the quantity
// closed); the insurance fund's balance in a panel below.
func (s *sim) plot(venue string) string {
	const (
		width, height = 800.0, 560.0
		left, right   = 90.0, 30.0
		top1, h1      = 60.0, 260.0  // the mark panel
		top2, h2      = 370.0, 130.0 // the fund panel
		plotW         = width - left - right
		markColour    = "#1f77b4"
		liqColour     = "#d62728"
		adlColour     = "#9467bd"
		fundColour    = "#2ca02c"
	)
	n := len(s.tickLog)
	x := func(t float64) float64 { return left + t/float64(n-1)*plotW }
	marks := make([]float64, n)
	funds := make([]float64, n)
	for t := range s.tickLog {
		marks[t] = plot.Float(&s.tickLog[t].mark)
		funds[t] = plot.Float(&s.tickLog[t].fund)
	}
	// Room under the path for the ADL bars.
	lowest, highest := slices.Min(marks), slices.Max(marks)
	mlo, mhi, mstep := axis(append(slices.Clone(marks), lowest-(highest-lowest)/4), 1000)
	flo, fhi, fstep := axis(append(funds, plot.Float(&s.fund0)), 0)
	y1 := func(v float64) float64 { return top1 + (mhi-v)/(mhi-mlo)*h1 }
	y2 := func(v float64) float64 { return top2 + (fhi-v)/(fhi-flo)*h2 }

	var b strings.Builder
	f := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	f(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	f(`<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="sans-serif">`+"\n",
		width, height, width, height)
	title := fmt.Sprintf("A crash under %s rules (-venue %s, -seed %d)", s.preset.Name, venue, s.seed)
	f("<title>%s</title>\n", title)
	f(`<rect width="100%%" height="100%%" fill="white"/>` + "\n")
	f(`<text x="%.0f" y="30" font-size="19" text-anchor="middle">%s</text>`+"\n", width/2, title)

	// Grids and tick labels.
	ms, fs := axisTicks(mlo, mhi, mstep), axisTicks(flo, fhi, fstep)
	b.WriteString(plot.YGrid("mark-grid", ms, y1, left, left+plotW))
	b.WriteString(plot.YGrid("fund-grid", fs, y2, left, left+plotW))
	b.WriteString(plot.YLabels("mark-labels", ms, y1, left, func(v float64) string { return thousands(v, mstep) }))
	b.WriteString(plot.YLabels("fund-labels", fs, y2, left, func(v float64) string { return thousands(v, fstep) }))
	var ts []float64
	for t := 0; t < n; t += 5 {
		ts = append(ts, float64(t))
	}
	b.WriteString(plot.XLabels("ticks", ts, x, top2+h2, func(t float64) string { return strconv.Itoa(int(t)) }))

	// Axes and labels.
	b.WriteString(plot.Axes(left, plotW, [2]float64{top1, h1}, [2]float64{top2, h2}))
	f(`<text x="%.1f" y="%.1f" font-size="14" text-anchor="middle">tick</text>`+"\n", left+plotW/2, height-22)
	f(`<text transform="translate(22 %.1f) rotate(-90)" font-size="14" text-anchor="middle">mark (%s)</text>`+"\n", top1+h1/2, s.spec.Settle)
	f(`<text transform="translate(22 %.1f) rotate(-90)" font-size="14" text-anchor="middle">fund (%s)</text>`+"\n", top2+h2/2, s.spec.Settle)

	// The mark path.
	markPath := plot.Path(len(marks), func(t int) (float64, float64) { return x(float64(t)), y1(marks[t]) })
	f(`<path id="mark" d="%s" fill="none" stroke="%s" stroke-width="2"/>`+"\n", markPath, markColour)

	// ADL bars along the bottom of the mark panel, height by quantity.
	var adlMax float64
	for t := range s.tickLog {
		adlMax = math.Max(adlMax, plot.Float(&s.tickLog[t].adlQty))
	}
	f(`<g id="adl" fill="%s" fill-opacity="0.8">`+"\n", adlColour)
	for t := range s.tickLog {
		q := plot.Float(&s.tickLog[t].adlQty)
		if q == 0 {
			continue
		}
		bh := 6 + 44*math.Sqrt(q/adlMax)
		f(`<rect x="%.1f" y="%.1f" width="6" height="%.1f"><title>tick %d: ADL %s BTC</title></rect>`+"\n",
			x(float64(t))-3, top1+h1-bh, bh, t, btc(&s.tickLog[t].adlQty))
	}
	f("</g>\n")

	// Liquidations: one circle per tick, area by count, on the mark.
	f(`<g id="liquidations" fill="%s" fill-opacity="0.55" stroke="%s">`+"\n", liqColour, liqColour)
	for t := range s.tickLog {
		c := s.tickLog[t].liquid
		if c == 0 {
			continue
		}
		f(`<circle cx="%.1f" cy="%.1f" r="%.1f"><title>tick %d: %d liquidated</title></circle>`+"\n",
			x(float64(t)), y1(marks[t]), 3+2.2*math.Sqrt(float64(c)), t, c)
	}
	f("</g>\n")
	for k := range s.liqs {
		l := &s.liqs[k]
		if !l.hero {
			continue
		}
		cx, cy := x(float64(l.tick)), y1(plot.Float(&l.price))
		f(`<path id="hero" d="M%.1f %.1f L%.1f %.1f L%.1f %.1f L%.1f %.1f Z" fill="black"/>`+"\n",
			cx, cy-8, cx+6, cy, cx, cy+8, cx-6, cy)
		f(`<text x="%.1f" y="%.1f" font-size="13">the 100x long, liquidated at %s</text>`+"\n", cx+12, cy-6, px(&l.price))
		break
	}

	// The fund.
	fundPath := plot.Path(len(funds), func(t int) (float64, float64) { return x(float64(t)), y2(funds[t]) })
	f(`<path id="fund" d="%s" fill="none" stroke="%s" stroke-width="2"/>`+"\n", fundPath, fundColour)
	f(`<text x="%.1f" y="%.1f" font-size="13" fill="#333333">insurance fund balance after each tick</text>`+"\n", left+10, top2-8)

	// Legend.
	lx, ly := left+plotW-300, top1+26
	f(`<g font-size="13">` + "\n")
	f(`<rect x="%.1f" y="%.1f" width="290" height="86" fill="white" stroke="#bbbbbb"/>`+"\n", lx-10, ly-18)
	f(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="2"/>`+"\n", lx, ly-4, lx+24, ly-4, markColour)
	f(`<text x="%.1f" y="%.1f">mark price</text>`+"\n", lx+32, ly)
	f(`<circle cx="%.1f" cy="%.1f" r="6" fill="%s" fill-opacity="0.55" stroke="%s"/>`+"\n", lx+12, ly+16, liqColour, liqColour)
	f(`<text x="%.1f" y="%.1f">liquidations at that tick (area: count)</text>`+"\n", lx+32, ly+20)
	f(`<rect x="%.1f" y="%.1f" width="6" height="14" fill="%s"/>`+"\n", lx+9, ly+29, adlColour)
	f(`<text x="%.1f" y="%.1f">ADL of winners (height: BTC closed)</text>`+"\n", lx+32, ly+40)
	f(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="2"/>`+"\n", lx, ly+56, lx+24, ly+56, fundColour)
	f(`<text x="%.1f" y="%.1f">insurance fund</text>`+"\n", lx+32, ly+60)
	f("</g>\n")
	f("</svg>\n")
	return b.String()
}

// axis returns a range covering vs widened to whole steps of a round size,
// at least minStep.
func axis(vs []float64, minStep float64) (lo, hi, step float64) {
	lo, hi = vs[0], vs[0]
	for _, v := range vs {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	step = math.Max(plot.NiceStep((hi-lo)/5), minStep)
	lo, hi = math.Floor(lo/step)*step, math.Ceil(hi/step)*step
	if hi == lo {
		hi = lo + step
	}
	return lo, hi, step
}

// axisTicks returns lo and each step after it up to hi: the ticks of an
// axis as axis returns it.
func axisTicks(lo, hi, step float64) []float64 {
	var vs []float64
	for v := lo; v <= hi+step/2; v += step {
		vs = append(vs, v)
	}
	return vs
}

// thousands formats v, a multiple of step, with separators and the
// decimals step needs (plot.Places): 117,400 for a step of 200, 75,787.5
// for one of 2.5.
func thousands(v, step float64) string {
	if math.Abs(v) < step*1e-6 {
		v = 0
	}
	d := plot.Places(step)
	return decfmt.Grouped(apd.New(int64(math.Round(v*math.Pow10(d))), -int32(d)), -1)
}
