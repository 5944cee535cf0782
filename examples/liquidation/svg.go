package main

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/examples/internal/decfmt"
	"github.com/derivmath/derivmath/examples/internal/plot"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/margin"
)

// The picture's positions: isolated, entered at picEntry, at every whole
// leverage from 1x to picMaxLev (or the venue's maximum).
const (
	picEntry   = "50000"
	picMaxLev  = 125 // Binance's maximum for BTCUSDT, in its first bracket
	bitmexMax  = 100 // BitMEX's maximum leverage on XBTUSD
	smallSize  = "0.1"
	largeSize  = "300"
	bitmexSize = "10000"
)

// A setup is one position of the picture, drawn long and short.
type setup struct {
	id, colour, size string
	spec             func() *contract.Spec
	maxLev           int64 // the last leverage drawn, unless the venue refuses one before
	value            *apd.Decimal
	bracket          *margin.Tier // Binance: the bracket of the notional at entry
	mmr              *apd.Decimal // else: the maintenance rate the calculator gives it
	curves           [2]*curve    // long, short
}

// A curve is one side's liquidation price at each leverage, as a distance
// from the entry in fractions of it; a leverage at which no price
// liquidates (liquidation.Never) has no point.
type curve struct {
	lev  []int64
	dist []*apd.Decimal
	// refused is the first leverage the venue refuses (Binance: above the
	// bracket's maximum), or 0 if it allows every one drawn.
	refused int64
}

// last returns the curve's last leverage and distance.
func (c *curve) last() (int64, *apd.Decimal) {
	return c.lev[len(c.lev)-1], c.dist[len(c.dist)-1]
}

// at returns the distance at leverage l, or nil.
func (c *curve) at(l int64) *apd.Decimal {
	for i, v := range c.lev {
		if v == l {
			return c.dist[i]
		}
	}
	return nil
}

// setups returns the picture's three positions: a small and a large
// Binance BTCUSDT position, in the first bracket and in a higher one, and
// the calculator's default BitMEX XBTUSD position.
func setups() []*setup {
	return []*setup{
		{id: "small", colour: "#1f77b4", size: smallSize, spec: contract.BTCUSDT, maxLev: picMaxLev},
		{id: "large", colour: "#ff7f0e", size: largeSize, spec: contract.BTCUSDT, maxLev: picMaxLev},
		{id: "bitmex", colour: "#2ca02c", size: bitmexSize, spec: contract.XBTUSD, maxLev: bitmexMax},
	}
}

// position returns the setup's position on one side, with its
// convention's rates at leverage lev, as the calculator's flags would give
// it.
func (s *setup) position(short bool, lev int64) (*position, *config, error) {
	pos := &position{spec: s.spec(), entry: decfmt.Must(picEntry), qty: decfmt.Must(s.size)}
	if short {
		pos.qty.Neg(pos.qty)
	}
	var err error
	if pos.convention, err = conventionOf("", pos.spec); err != nil {
		return nil, nil, err
	}
	c := &config{leverage: strconv.FormatInt(lev, 10), cum: "0"}
	if err := rates(pos, c); err != nil {
		return nil, nil, err
	}
	return pos, c, nil
}

// compute solves the setup's liquidation prices, long and short, at every
// whole leverage, through the calculator's own isolated margin and
// liquidation.Price, until the venue refuses a leverage or maxLev.
func (s *setup) compute(ctx *apd.Context) error {
	for side := range s.curves {
		c := &curve{}
		s.curves[side] = c
		for lev := int64(1); lev <= s.maxLev; lev++ {
			pos, cfg, err := s.position(side == 1, lev)
			if err != nil {
				return err
			}
			a, value, err := newAccount(ctx, pos)
			if err != nil {
				return err
			}
			if pos.tiers != nil && s.bracket == nil {
				if s.bracket, err = pos.tiers.Lookup(value); err != nil {
					return err
				}
			}
			s.value = value
			if pos.tiers == nil && s.mmr == nil {
				// Kept before isolated, which sets it to 0 for a BitMEX
				// short at 1x.
				s.mmr = new(apd.Decimal).Set(pos.mmr)
			}
			err = isolated(ctx, &printer{w: new(bytes.Buffer)}, pos, a, value, cfg, nil)
			if errors.Is(err, margin.ErrAboveMaxLeverage) {
				c.refused = lev
				break
			}
			if err != nil {
				return err
			}
			var liq apd.Decimal
			st, err := liquidation.Price(ctx, &liq, a, rounding(pos.convention))
			if err != nil {
				return err
			}
			if st != liquidation.Found {
				continue
			}
			d := new(apd.Decimal)
			if _, err := ctx.Sub(d, &liq, pos.entry); err != nil {
				return err
			}
			if _, err := ctx.Quo(d, d, pos.entry); err != nil {
				return err
			}
			c.lev, c.dist = append(c.lev, lev), append(c.dist, d)
		}
		if len(c.lev) == 0 {
			return fmt.Errorf("%s: no liquidation price at any leverage", s.id)
		}
	}
	return nil
}

// notional is the position's value at entry, without trailing zeros.
func (s *setup) notional() string {
	var v apd.Decimal
	v.Reduce(s.value)
	return decfmt.Grouped(&v, -1)
}

// name describes the setup's position, for the legend.
func (s *setup) name() string {
	if s.bracket == nil {
		return fmt.Sprintf("BitMEX XBTUSD %s contracts (%s XBT), maintenance %s%%, to %dx, XBTUSD's maximum",
			decfmt.Grouped(decfmt.Must(s.size), -1), decfmt.Reduced(s.value), percent(s.mmr), s.maxLev)
	}
	return fmt.Sprintf("Binance BTCUSDT %s BTC (%s USDT): bracket of %s%%, at most %sx",
		s.size, s.notional(), percent(&s.bracket.MMR), s.bracket.MaxLeverage.Text('f'))
}

// describe gives the setup's distances at 10x and at its last leverage,
// for the desc.
func (s *setup) describe() string {
	var parts []string
	for side, c := range s.curves {
		word := "long"
		if side == 1 {
			word = "short"
		}
		l, d := c.last()
		parts = append(parts, fmt.Sprintf("the %s %s%% at 10x and %s%% at %dx", word,
			decfmt.Signed(decfmt.Percent(c.at(10), 2)), decfmt.Signed(decfmt.Percent(d, 2)), l))
	}
	return s.name() + ": " + strings.Join(parts, ", ")
}

// picture computes the three positions' curves and returns the SVG.
func picture(ctx *apd.Context) (string, error) {
	ss := setups()
	for _, s := range ss {
		if err := s.compute(ctx); err != nil {
			return "", err
		}
	}
	return svg(ss), nil
}

// svg draws the curves: the distance of the liquidation price from the
// entry against leverage, shorts above the entry and longs below, with a
// marker where Binance refuses a leverage above the bracket's maximum.
func svg(ss []*setup) string {
	const (
		width, height         = 800.0, 580.0
		left, right, top, bot = 80.0, 30.0, 120.0, 65.0
		plotW, plotH          = width - left - right, height - top - bot
		ylo, yhi              = -0.2, 0.2
		refusedColour         = "#d62728"
	)
	x := func(l float64) float64 { return left + (l-1)/(picMaxLev-1)*plotW }
	y := func(d float64) float64 { return top + (yhi-d)/(yhi-ylo)*plotH }
	xs := []float64{1, 25, 50, 75, 100, 125}
	var ys []float64
	for i := -4; i <= 4; i++ {
		ys = append(ys, float64(i)*0.05)
	}
	entry := decfmt.Grouped(decfmt.Must(picEntry), -1)

	var s strings.Builder
	f := func(format string, args ...any) { fmt.Fprintf(&s, format, args...) }
	f(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	f(`<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="sans-serif" role="img" aria-labelledby="title desc">`+"\n",
		width, height, width, height)
	title := "Liquidation price against leverage, Binance BTCUSDT and BitMEX XBTUSD"
	f(`<title id="title">%s</title>`+"\n", title)
	var descs []string
	for _, st := range ss {
		descs = append(descs, st.describe())
	}
	f(`<desc id="desc">The distance of the liquidation price from the entry %s, in percent of it (shorts above the entry, longs below), against leverage from 1x to %dx, for isolated positions: %s. `+
		`A higher bracket's larger maintenance rate brings the liquidation price closer to the entry, and its lower maximum leverage ends the curve.</desc>`+"\n",
		entry, picMaxLev, strings.Join(descs, "; "))
	f(`<rect width="100%%" height="100%%" fill="white"/>` + "\n")
	f(`<text x="%.0f" y="32" font-size="18" text-anchor="middle">%s</text>`+"\n", width/2, title)
	f(`<clipPath id="area"><rect x="%.1f" y="%.1f" width="%.1f" height="%.1f"/></clipPath>`+"\n", left, top, plotW, plotH)

	// Grid and tick labels.
	s.WriteString(plot.XGrid("xgrid", xs, x, top, top+plotH))
	s.WriteString(plot.YGrid("ygrid", ys, y, left, left+plotW))
	s.WriteString(plot.XLabels("xlabels", xs, x, top+plotH, func(v float64) string { return fmt.Sprintf("%.0fx", v) }))
	s.WriteString(plot.YLabels("ylabels", ys, y, left, func(v float64) string {
		if v == 0 {
			return "0%"
		}
		return fmt.Sprintf("%+.0f%%", 100*v)
	}))

	// Axes and the entry.
	s.WriteString(plot.Axes(left, plotW, [2]float64{top, plotH}))
	f(`<line id="entry" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#888888" stroke-width="1"/>`+"\n", left, y(0), left+plotW, y(0))

	// Where Binance refuses more leverage.
	f(`<g id="refused" stroke="%s" stroke-width="1.2">`+"\n", refusedColour)
	for _, st := range ss {
		for side, c := range st.curves {
			if c.refused == 0 {
				continue
			}
			l, d := c.last()
			if side == 0 {
				f(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke-dasharray="4 3"/>`+"\n", x(float64(l)), top, x(float64(l)), top+plotH)
			}
			f(`<circle cx="%.1f" cy="%.1f" r="4.5" fill="white" stroke-width="2"/>`+"\n", x(float64(l)), y(plot.Float(d)))
		}
	}
	f("</g>\n")

	// The curves.
	for _, st := range ss {
		for side, c := range st.curves {
			id, dash := st.id+"-long", ""
			if side == 1 {
				id = st.id + "-short"
			}
			if st.bracket == nil {
				dash = ` stroke-dasharray="7 3"`
			}
			d := plot.Path(len(c.lev), func(i int) (float64, float64) {
				return x(float64(c.lev[i])), y(plot.Float(c.dist[i]))
			})
			f(`<path id="%s" d="%s" fill="none" stroke="%s" stroke-width="2"%s clip-path="url(#area)"/>`+"\n", id, d, st.colour, dash)
		}
	}

	// Labels on the picture.
	f(`<g font-size="12" fill="#333333">` + "\n")
	f(`<text x="%.1f" y="%.1f" text-anchor="end">shorts: liquidated above the entry</text>`+"\n", left+plotW-10, top+16)
	f(`<text x="%.1f" y="%.1f" text-anchor="end">longs: liquidated below the entry</text>`+"\n", left+plotW-10, top+plotH-8)
	f(`<text x="%.1f" y="%.1f">entry %s</text>`+"\n", left+10, y(0)-6, entry)
	for _, st := range ss {
		c := st.curves[0]
		if c.refused == 0 {
			continue
		}
		l, _ := c.last()
		f(`<text x="%.1f" y="%.1f" fill="%s">Binance refuses %dx and more for %s BTC:</text>`+"\n", x(float64(l))+8, y(0.1), refusedColour, c.refused, st.size)
		f(`<text x="%.1f" y="%.1f" fill="%s">%s USDT is in the %s%% bracket, at most %sx</text>`+"\n", x(float64(l))+8, y(0.1)+16, refusedColour,
			st.notional(), percent(&st.bracket.MMR), st.bracket.MaxLeverage.Text('f'))
	}
	f("</g>\n")

	// Legend, one position a line, between the title and the plot.
	f(`<g font-size="13">` + "\n")
	for i, st := range ss {
		ly := 58 + 18*float64(i)
		dash := ""
		if st.bracket == nil {
			dash = ` stroke-dasharray="7 3"`
		}
		f(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="2"%s/>`+"\n", left+8, ly-4, left+36, ly-4, st.colour, dash)
		f(`<text x="%.1f" y="%.1f">%s</text>`+"\n", left+44, ly, st.name())
	}
	f("</g>\n")

	// Axis labels.
	f(`<text x="%.1f" y="%.1f" font-size="14" text-anchor="middle">leverage (x) of an isolated position entered at %s; every whole leverage from 1x</text>`+"\n",
		left+plotW/2, height-22, entry)
	f(`<text transform="translate(22 %.1f) rotate(-90)" font-size="14" text-anchor="middle">liquidation price - entry (%% of the entry)</text>`+"\n",
		top+plotH/2)
	f("</svg>\n")
	return s.String()
}
