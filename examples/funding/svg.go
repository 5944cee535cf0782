package main

import (
	"fmt"
	"math"
	"strings"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/examples/internal/decfmt"
	"github.com/derivmath/derivmath/examples/internal/plot"
)

// A dot is one interval of the week on the picture: its number, average
// premium index, rate and rate after the cap.
type dot struct {
	n                 int
	avg, rate, capped *apd.Decimal
}

// isCapped reports whether the cap changed the interval's rate.
func (d *dot) isCapped() bool { return d.capped.Cmp(d.rate) != 0 }

// chart is what the picture shows: the rule's parameters (as the text
// prints them), its curve with and without the cap, and the week's
// intervals.
type chart struct {
	symbol, factor                string
	hours                         float64
	interest, bound, capRate, mmr *apd.Decimal
	bandLo, bandHi                *apd.Decimal // the dead band: interest -/+ bound
	k                             int64        // the premium axis runs from -k*0.1% to +k*0.1%
	capped, uncapped              [][2]float64 // vertices (premium, rate) of the two curves
	dots                          []dot
	weighting                     string
}

// curve evaluates rate at every premium index from -k*0.1% to +k*0.1% in
// steps of 0.001%, exactly, and returns the vertices of the line through
// them: a point is left out when it lies on the straight line between its
// neighbours (the differences on either side are equal), so every kink of
// the rule on the grid remains.
func curve(ctx *apd.Context, k int64, rate func(z, premium *apd.Decimal) error) ([][2]float64, error) {
	ps := make([]apd.Decimal, 200*k+1)
	fs := make([]apd.Decimal, len(ps))
	for i := range ps {
		ps[i].SetFinite(int64(i)-100*k, -5)
		if err := rate(&fs[i], &ps[i]); err != nil {
			return nil, err
		}
	}
	var out [][2]float64
	var d0, d1 apd.Decimal
	for i := range ps {
		if i > 0 && i < len(ps)-1 {
			if _, err := ctx.Sub(&d0, &fs[i], &fs[i-1]); err != nil {
				return nil, err
			}
			if _, err := ctx.Sub(&d1, &fs[i+1], &fs[i]); err != nil {
				return nil, err
			}
			if d0.Cmp(&d1) == 0 {
				continue
			}
		}
		out = append(out, [2]float64{plot.Float(&ps[i]), plot.Float(&fs[i])})
	}
	return out, nil
}

// halfRange returns k such that the premium axis, -k*0.1% to +k*0.1%,
// holds every interval's average and shows the cap for at least 0.1% on
// either side: at least 6 (0.6%).
func halfRange(dots []dot, capRate, bound *apd.Decimal) int64 {
	m := plot.Float(capRate) + plot.Float(bound) + 0.001
	for _, d := range dots {
		m = max(m, math.Abs(plot.Float(d.avg)))
	}
	return max(6, int64(math.Ceil(m*1000-1e-9)))
}

// pct formats a fraction as a signed percentage with one decimal: +0.2%,
// 0%, -0.4%.
func pct(v float64) string {
	if math.Abs(v) < 1e-12 {
		return "0%"
	}
	return fmt.Sprintf("%+.1f%%", 100*v)
}

// svg returns the picture: the rule's curve with the dead band and the cap
// marked, the curve without the cap dashed, and a dot per interval of the
// week (red where the cap applied, with a ring at the rate before it).
func (c *chart) svg() string {
	const (
		width, height         = 800.0, 530.0
		left, right, top, bot = 80.0, 30.0, 95.0, 65.0
		plotW, plotH          = width - left - right, height - top - bot
		ruleColour            = "#1f77b4"
		capColour             = "#d62728"
		bandColour            = "#fdf0c2"
	)
	half := float64(c.k) / 1000
	b, cp := plot.Float(c.bound), plot.Float(c.capRate)
	bandLo, bandHi := plot.Float(c.bandLo), plot.Float(c.bandHi)
	ylo, yhi := -cp-b, cp+b
	for _, d := range c.dots {
		r := plot.Float(d.rate)
		ylo, yhi = min(ylo, r), max(yhi, r)
	}
	ylo, yhi = math.Floor(ylo*1000+1e-9)/1000, math.Ceil(yhi*1000-1e-9)/1000
	x := func(p float64) float64 { return left + (p+half)/(2*half)*plotW }
	y := func(f float64) float64 { return top + (yhi-f)/(yhi-ylo)*plotH }
	ticks := func(lo, hi, step float64) []float64 {
		var vs []float64
		for i := math.Ceil(lo/step - 1e-9); i <= math.Floor(hi/step+1e-9); i++ {
			vs = append(vs, i*step)
		}
		return vs
	}
	xs, ys := ticks(-half, half, plot.NiceStep(2*half/7)), ticks(ylo, yhi, plot.NiceStep((yhi-ylo)/10))

	var capped []dot
	for _, d := range c.dots {
		if d.isCapped() {
			capped = append(capped, d)
		}
	}
	bound, capText, inText := decfmt.Percent(c.bound, 2)+"%", decfmt.Percent(c.capRate, 2)+"%", decfmt.Percent(c.interest, 4)+"%"

	var s strings.Builder
	f := func(format string, args ...any) { fmt.Fprintf(&s, format, args...) }
	f(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	f(`<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="sans-serif" role="img" aria-labelledby="title desc">`+"\n",
		width, height, width, height)
	title := fmt.Sprintf("%s funding rate per %g hours against the average premium index", c.symbol, c.hours)
	f(`<title id="title">%s</title>`+"\n", title)
	f(`<desc id="desc">The funding rate is P + clamp(I - P, -%s, +%s), P the average premium index, I the interest %s: `+
		`flat at I while P lies within %s of it (the dead band, P from %s to %s), P - %s above it and P + %s below it, capped at +-%s (%s x %s, the first tier's maintenance rate). `+
		`The dots are the week's %d intervals (%s averages); %s.</desc>`+"\n",
		bound, bound, inText, bound, decfmt.Reduced(decfmt.Scaled(c.bandLo, 2))+"%", decfmt.Reduced(decfmt.Scaled(c.bandHi, 2))+"%", bound, bound, capText, c.factor, decfmt.Percent(c.mmr, 1)+"%",
		len(c.dots), c.weighting, describeCapped(capped, capText))
	f(`<rect width="100%%" height="100%%" fill="white"/>` + "\n")
	f(`<text x="%.0f" y="32" font-size="19" text-anchor="middle">%s</text>`+"\n", width/2, title)
	f(`<clipPath id="area"><rect x="%.1f" y="%.1f" width="%.1f" height="%.1f"/></clipPath>`+"\n", left, top, plotW, plotH)

	// The dead band, grid and tick labels.
	f(`<rect id="deadband" x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>`+"\n", x(bandLo), top, x(bandHi)-x(bandLo), plotH, bandColour)
	s.WriteString(plot.XGrid("xgrid", xs, x, top, top+plotH))
	s.WriteString(plot.YGrid("ygrid", ys, y, left, left+plotW))
	s.WriteString(plot.XLabels("xlabels", xs, x, top+plotH, pct))
	s.WriteString(plot.YLabels("ylabels", ys, y, left, pct))

	// Axes, the zero line, the cap.
	s.WriteString(plot.Axes(left, plotW, [2]float64{top, plotH}))
	f(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#888888" stroke-width="1"/>`+"\n", left, y(0), left+plotW, y(0))
	f(`<g stroke="%s" stroke-width="1.2" stroke-dasharray="6 4">`+"\n", capColour)
	f(`<line id="cap-high" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`+"\n", left, y(cp), left+plotW, y(cp))
	f(`<line id="cap-low" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`+"\n", left, y(-cp), left+plotW, y(-cp))
	f("</g>\n")

	// The curves.
	path := func(vs [][2]float64) string {
		return plot.Path(len(vs), func(i int) (float64, float64) { return x(vs[i][0]), y(vs[i][1]) })
	}
	f(`<path id="uncapped" d="%s" fill="none" stroke="#888888" stroke-width="1.5" stroke-dasharray="3 3" clip-path="url(#area)"/>`+"\n", path(c.uncapped))
	f(`<path id="rule" d="%s" fill="none" stroke="%s" stroke-width="2.5"/>`+"\n", path(c.capped), ruleColour)

	// The week: rings at the rates the cap cut, and a dot per interval.
	f(`<g id="before-cap" fill="none" stroke="%s" stroke-width="1.5">`+"\n", capColour)
	for _, d := range capped {
		px, rate, capped := x(plot.Float(d.avg)), y(plot.Float(d.rate)), y(plot.Float(d.capped))
		f(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke-dasharray="2 2"/>`+"\n", px, rate, px, capped)
		f(`<circle cx="%.1f" cy="%.1f" r="4.5"/>`+"\n", px, rate)
	}
	f("</g>\n")
	f(`<g id="intervals" stroke="white" stroke-width="1">` + "\n")
	for _, d := range c.dots {
		colour := "#08306b"
		if d.isCapped() {
			colour = capColour
		}
		f(`<circle cx="%.1f" cy="%.1f" r="5" fill="%s"><title>interval %d: premium %s%%, rate %s%%</title></circle>`+"\n",
			x(plot.Float(d.avg)), y(plot.Float(d.capped)), colour, d.n, decfmt.Percent(d.avg, 4), decfmt.Percent(d.capped, 4))
	}
	f("</g>\n")

	// Labels on the picture.
	f(`<g font-size="12" fill="#333333">` + "\n")
	f(`<text x="%.1f" y="%.1f">cap +%s = %s x %s, the first tier's maintenance rate</text>`+"\n",
		left+10, y(cp)+16, capText, c.factor, decfmt.Percent(c.mmr, 1)+"%")
	f(`<text x="%.1f" y="%.1f" text-anchor="end">cap -%s</text>`+"\n", left+plotW-10, y(-cp)+16, capText)
	f(`<text x="%.1f" y="%.1f">dead band: P within %s of I,</text>`+"\n", x(bandHi)+8, y(0)+20, bound)
	f(`<text x="%.1f" y="%.1f">the rate is I = %s</text>`+"\n", x(bandHi)+8, y(0)+36, inText)
	if len(capped) > 0 {
		f(`<text x="%.1f" y="%.1f" text-anchor="end" fill="%s">%s</text>`+"\n", left+plotW-10, y(cp)+24, capColour, cappedLabel(capped))
		f(`<text x="%.1f" y="%.1f" text-anchor="end" fill="%s">capped to %s</text>`+"\n", left+plotW-10, y(cp)+40, capColour, capTo(capped, capText))
	}
	f("</g>\n")

	// Legend, in two columns between the title and the plot.
	lx, ly := left+8, 62.0
	f(`<g font-size="13">` + "\n")
	f(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="2.5"/>`+"\n", lx, ly-4, lx+28, ly-4, ruleColour)
	f(`<text x="%.1f" y="%.1f">rate = P + clamp(I - P, -%s, +%s), capped</text>`+"\n", lx+36, ly, bound, bound)
	f(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#888888" stroke-width="1.5" stroke-dasharray="3 3"/>`+"\n", lx, ly+16, lx+28, ly+16)
	f(`<text x="%.1f" y="%.1f">the same without the cap</text>`+"\n", lx+36, ly+20)
	lx += 370
	f(`<circle cx="%.1f" cy="%.1f" r="5" fill="#08306b"/>`+"\n", lx+14, ly-4)
	f(`<text x="%.1f" y="%.1f">the week's %d intervals (%s)</text>`+"\n", lx+36, ly, len(c.dots), c.weighting)
	f(`<circle cx="%.1f" cy="%.1f" r="5" fill="%s"/>`+"\n", lx+8, ly+16, capColour)
	f(`<circle cx="%.1f" cy="%.1f" r="4.5" fill="none" stroke="%s" stroke-width="1.5"/>`+"\n", lx+22, ly+16, capColour)
	f(`<text x="%.1f" y="%.1f">capped: the rate after and before</text>`+"\n", lx+36, ly+20)
	f("</g>\n")

	// Axis labels.
	f(`<text x="%.1f" y="%.1f" font-size="14" text-anchor="middle">average premium index P over the interval (%%); I = interest, %s</text>`+"\n",
		left+plotW/2, height-22, inText)
	f(`<text transform="translate(22 %.1f) rotate(-90)" font-size="14" text-anchor="middle">funding rate per %g hours (%%; longs pay shorts when positive)</text>`+"\n",
		top+plotH/2, c.hours)
	f("</svg>\n")
	return s.String()
}

// capTo is the cap the capped intervals were cut to, signed: +0.30% when
// they were all positive, -0.30% when all negative, +-0.30% when both.
func capTo(capped []dot, capText string) string {
	pos, neg := false, false
	for _, d := range capped {
		pos, neg = pos || d.capped.Sign() > 0, neg || d.capped.Sign() < 0
	}
	switch {
	case pos && neg:
		return "+-" + capText
	case neg:
		return "-" + capText
	}
	return "+" + capText
}

// cappedLabel names the capped intervals and their rates before the cap,
// "intervals 10 and 11: 0.3533% and 0.5622%", or counts them when there
// are more than two (the picture has room for two).
func cappedLabel(capped []dot) string {
	if len(capped) > 2 {
		return fmt.Sprintf("%d intervals", len(capped))
	}
	return listCapped(capped)
}

// listCapped names the capped intervals and their rates before the cap.
func listCapped(capped []dot) string {
	var ns, rs []string
	for _, d := range capped {
		ns = append(ns, fmt.Sprint(d.n))
		rs = append(rs, decfmt.Percent(d.rate, 4)+"%")
	}
	word := "interval "
	if len(capped) > 1 {
		word = "intervals "
	}
	return word + and(ns) + ": " + and(rs)
}

// describeCapped says which intervals the cap applied to, for the desc.
func describeCapped(capped []dot, capText string) string {
	if len(capped) == 0 {
		return "none reaches the cap"
	}
	return "the cap cut " + listCapped(capped) + " to " + capText + " in magnitude"
}

// and joins words: "a", "a and b", "a, b and c".
func and(ws []string) string {
	if len(ws) < 2 {
		return strings.Join(ws, "")
	}
	return strings.Join(ws[:len(ws)-1], ", ") + " and " + ws[len(ws)-1]
}
