// Orderbook runs a short matching session on a derivmath order book for
// Binance's BTCUSDT perpetual and prints it as a trader sees it: the depth
// ladder, the fills of each order, the orders the book refuses, and the
// impact bid and ask prices for the impact notional, which the funding
// premium index is computed from.
//
// The book works on int64 ticks and lots; contract.Spec converts decimal
// prices and sizes at the edge (Spec.Ticks, Spec.Lots, Spec.FromTicks,
// Spec.FromLots), and reports a price that is not on the tick as an error.
//
//	go run ./examples/orderbook
//	go run ./examples/orderbook -margin 1000 -leverage 50 -index 65001
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/examples/internal/cli"
	"github.com/derivmath/derivmath/examples/internal/decfmt"
	"github.com/derivmath/derivmath/funding"
	"github.com/derivmath/derivmath/orderbook"
)

func main() {
	os.Exit(cli.Exit(os.Stderr, "orderbook", run(os.Stdout, os.Args[1:])))
}

// An order as a trader writes it, in decimals.
type order struct {
	id    orderbook.OrderID
	side  orderbook.Side
	typ   orderbook.Type
	price string // "" for a market order
	size  string // BTC
	what  string
}

// The resting orders the session starts from, oldest first.
var makers = []order{
	{101, orderbook.Sell, orderbook.GTC, "65001.5", "0.120", ""},
	{201, orderbook.Buy, orderbook.GTC, "65000.0", "0.080", ""},
	{102, orderbook.Sell, orderbook.GTC, "65001.5", "0.050", ""},
	{202, orderbook.Buy, orderbook.GTC, "64999.5", "0.150", ""},
	{103, orderbook.Sell, orderbook.GTC, "65002.0", "0.200", ""},
	{203, orderbook.Buy, orderbook.GTC, "64999.5", "0.100", ""},
	{104, orderbook.Sell, orderbook.GTC, "65003.5", "0.150", ""},
	{204, orderbook.Buy, orderbook.GTC, "64998.0", "0.250", ""},
	{105, orderbook.Sell, orderbook.GTC, "65005.0", "0.400", ""},
	{205, orderbook.Buy, orderbook.GTC, "64996.5", "0.300", ""},
	{106, orderbook.Sell, orderbook.GTC, "65008.0", "1.000", ""},
	{206, orderbook.Buy, orderbook.GTC, "64990.0", "1.200", ""},
	{207, orderbook.Buy, orderbook.GTC, "64998.0", "0.050", ""},
}

// The script of the session: each step is an order, a cancel (typ 0, size ""), or an
// amend (typ 0, size set).
var script = []order{
	{301, orderbook.Buy, orderbook.GTC, "65002.0", "0.300", "buy limit through two ask levels"},
	{302, orderbook.Sell, orderbook.IOC, "", "0.200", "market sell"},
	{203, 0, 0, "", "", "cancel"},
	{204, 0, 0, "64998.0", "0.100", "amend down in size: keeps its place"},
	{303, orderbook.Buy, orderbook.PostOnly, "65002.0", "0.100", "post-only buy at the ask"},
	{304, orderbook.Buy, orderbook.FOK, "65010.0", "5.000", "fill-or-kill buy larger than the asks"},
	{305, orderbook.Buy, orderbook.GTC, "65001.05", "0.100", "buy at a price off the 0.1 tick"},
	{306, orderbook.Buy, orderbook.GTC, "65001.0", "0.250", "buy limit inside the spread"},
}

func run(w io.Writer, args []string) error {
	fs := flag.NewFlagSet("orderbook", flag.ContinueOnError)
	fs.SetOutput(w)
	marginText := fs.String("margin", "200", "impact margin in USDT (Binance: 200)")
	leverageText := fs.String("leverage", "125", "maximum leverage: the impact notional is margin*leverage")
	indexText := fs.String("index", "65000", "index price for the premium")
	depth := fs.Int("depth", 5, "levels of the ladder shown on each side")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx := derivmath.NewContext()
	s := &session{ctx: ctx, spec: contract.BTCUSDT(), book: orderbook.New(64, 32), depth: *depth}

	for _, o := range makers {
		if err := s.send(o, false); err != nil {
			return err
		}
	}
	s.printf("%s order book: tick %s USDT, lot %s BTC; prices in ticks and sizes in lots inside the book\n",
		s.spec.Symbol, s.spec.Tick.Text('f'), s.spec.Lot.Text('f'))
	s.printf("\nstarting book: %d resting orders\n", s.book.Len())
	if err := s.ladder(); err != nil {
		return err
	}
	for i, o := range script {
		s.printf("\n%d. %s\n", i+1, o.what)
		if err := s.step(o); err != nil {
			return err
		}
	}
	s.printf("\nbook after the session: %d resting orders\n", s.book.Len())
	if err := s.ladder(); err != nil {
		return err
	}
	if err := s.impact(*marginText, *leverageText, *indexText); err != nil {
		return err
	}
	if s.err != nil {
		return s.err
	}
	_, err := io.WriteString(w, s.out.String())
	return err
}

type session struct {
	ctx   *apd.Context
	spec  *contract.Spec
	book  *orderbook.Book
	fills []orderbook.Fill
	depth int
	out   strings.Builder
	err   error // the first error of a conversion while printing
}

func (s *session) printf(format string, args ...any) { fmt.Fprintf(&s.out, format, args...) }

// step carries out one step of the session and prints what happened.
func (s *session) step(o order) error {
	switch {
	case o.typ == 0 && o.size == "":
		c, err := s.book.Cancel(o.id)
		if err != nil {
			return err
		}
		s.printf("   cancel #%d: %s %s @ %s removed\n", o.id, c.Side, s.size(c.Qty), s.price(c.Price))
		return nil
	case o.typ == 0:
		price, err := s.ticks(o.price)
		if err != nil {
			return err
		}
		qty, err := s.lots(o.size)
		if err != nil {
			return err
		}
		if s.fills, err = s.book.Amend(o.id, price, qty, s.fills[:0]); err != nil {
			return err
		}
		s.printf("   amend #%d to %s @ %s\n", o.id, s.size(qty), s.price(price))
		s.queue(orderbook.Buy, price)
		return nil
	}
	return s.send(o, true)
}

// send converts o to ticks and lots and sends it; a refusal by the book
// (or by the tick check) is printed, not returned, when verbose.
func (s *session) send(o order, verbose bool) error {
	var price int64
	var err error
	if o.price != "" {
		if price, err = s.ticks(o.price); err != nil {
			if verbose && errors.Is(err, contract.ErrOffTick) {
				s.printf("   %s %s @ %s refused before the book: %v\n", o.side, o.size, o.price, err)
				return nil
			}
			return err
		}
	}
	qty, err := s.lots(o.size)
	if err != nil {
		return err
	}
	bo := orderbook.Order{ID: o.id, Side: o.side, Type: o.typ, Price: price, Qty: qty}
	if o.price == "" {
		s.fills, err = s.book.Market(bo, s.fills[:0])
	} else {
		s.fills, err = s.book.Limit(bo, s.fills[:0])
	}
	if !verbose {
		return err
	}
	at := "market"
	if o.price != "" {
		at = "@ " + s.price(price)
	}
	s.printf("   #%d %s %s %s %s", o.id, o.typ, o.side, s.size(qty), at)
	switch {
	case errors.Is(err, orderbook.ErrWouldCross), errors.Is(err, orderbook.ErrFillOrKill):
		s.printf(": refused, nothing changed (%v)\n", err)
		return nil
	case err != nil:
		return err
	}
	var traded int64
	for _, f := range s.fills {
		traded += f.Qty
	}
	switch {
	case len(s.fills) == 0:
		s.printf(": rests\n")
	default:
		s.printf(": %d fills\n", len(s.fills))
	}
	for _, f := range s.fills {
		done := ""
		if f.MakerDone {
			done = ", maker filled"
		}
		s.printf("     fill  %s BTC @ %s against #%d%s\n", s.size(f.Qty), s.price(f.Price), f.Maker, done)
	}
	if len(s.fills) > 0 && traded < qty {
		if o.typ == orderbook.GTC {
			s.printf("     rest  %s BTC @ %s\n", s.size(qty-traded), s.price(price))
		} else {
			s.printf("     dropped %s BTC\n", s.size(qty-traded))
		}
	}
	return nil
}

// queue prints the orders resting at price on side sd, in priority order.
func (s *session) queue(sd orderbook.Side, price int64) {
	var q []string
	for o := range s.book.Orders(sd) {
		if o.Price == price {
			q = append(q, fmt.Sprintf("#%d %s", o.ID, s.size(o.Qty)))
		}
	}
	s.printf("   queue at %s, first to trade first: %s\n", s.price(price), strings.Join(q, ", "))
}

// ladder prints the best levels of each side, asks above bids.
func (s *session) ladder() error {
	asks := s.book.AppendDepth(nil, orderbook.Sell, s.depth)
	bids := s.book.AppendDepth(nil, orderbook.Buy, s.depth)
	s.printf("   %-4s %10s %9s\n", "", "price USDT", "size BTC")
	for i := len(asks) - 1; i >= 0; i-- {
		s.printf("   %-4s %10s %9s\n", "ask", s.price(asks[i].Price), s.size(asks[i].Qty))
	}
	if len(asks) > 0 && len(bids) > 0 {
		s.printf("   %-4s %10s\n", "", "spread "+s.price(asks[0].Price-bids[0].Price))
	}
	for _, l := range bids {
		s.printf("   %-4s %10s %9s\n", "bid", s.price(l.Price), s.size(l.Qty))
	}
	return s.err
}

// impact prints the impact bid and ask for the impact notional and the
// premium index of one sample against index.
func (s *session) impact(marginText, leverageText, indexText string) error {
	ctx := s.ctx
	margin, err := decfmt.Parse("margin", marginText)
	if err != nil {
		return err
	}
	leverage, err := decfmt.Parse("leverage", leverageText)
	if err != nil {
		return err
	}
	index, err := decfmt.Parse("index", indexText)
	if err != nil {
		return err
	}
	if err := derivmath.CheckLeverage(leverage); err != nil {
		return fmt.Errorf("-leverage %s: %w", leverageText, err)
	}
	if err := derivmath.CheckPrice(index); err != nil {
		return fmt.Errorf("-index %s: %w", indexText, err)
	}
	// An impact notional the book cannot take, or that is out of range,
	// is the fault of -margin and -leverage.
	bad := func(err error) error {
		return fmt.Errorf("-margin %s at -leverage %s: %w", marginText, leverageText, err)
	}
	var imr, notional apd.Decimal
	if _, err := ctx.Quo(&imr, apd.New(1, 0), leverage); err != nil {
		return bad(err)
	}
	if err := funding.ImpactNotional(ctx, &notional, margin, &imr); err != nil {
		return bad(fmt.Errorf("impact notional: %w", err))
	}
	// The book measures a notional in ticks*lots: one tick-lot is worth
	// tick*lot*multiplier USDT. Round up, so the walk covers the notional.
	var unit, tl apd.Decimal
	if _, err := ctx.Mul(&unit, &s.spec.Tick, &s.spec.Lot); err != nil {
		return err
	}
	if _, err := ctx.Mul(&unit, &unit, &s.spec.Multiplier); err != nil {
		return err
	}
	if _, err := ctx.Quo(&tl, &notional, &unit); err != nil {
		return bad(err)
	}
	if err := derivmath.Round(ctx, &tl, &tl, apd.New(1, 0), derivmath.Ceiling); err != nil {
		return bad(err)
	}
	n, err := tl.Int64()
	if err != nil {
		return bad(err)
	}
	s.printf("\nimpact notional: %s USDT of margin at %sx = %s USDT = %d ticks*lots\n",
		margin.Text('f'), leverage.Text('f'), decfmt.Reduced(&notional), n)
	var prices [2]apd.Decimal
	for i, side := range []orderbook.Side{orderbook.Buy, orderbook.Sell} {
		im, err := s.book.ImpactNotional(side, n)
		if err != nil {
			return bad(fmt.Errorf("impact %v: %w", side, err))
		}
		// The average price of exactly n, the last lot taken in part:
		// n*Worst / (Qty*Worst - (Cost - n)) ticks.
		var num, den apd.Decimal
		num.SetInt64(n)
		if _, err := ctx.Mul(&num, &num, apd.New(im.Worst, 0)); err != nil {
			return err
		}
		den.SetInt64(im.Qty)
		if _, err := ctx.Mul(&den, &den, apd.New(im.Worst, 0)); err != nil {
			return err
		}
		if _, err := ctx.Sub(&den, &den, apd.New(im.Cost-n, 0)); err != nil {
			return err
		}
		p := &prices[i]
		if _, err := ctx.Quo(p, &num, &den); err != nil {
			return err
		}
		if _, err := ctx.Mul(p, p, &s.spec.Tick); err != nil {
			return err
		}
		name := "impact bid"
		if side == orderbook.Sell {
			name = "impact ask"
		}
		how := "sells %s BTC into the bids, down to %s"
		if side == orderbook.Sell {
			how = "buys %s BTC from the asks, up to %s"
		}
		s.printf("%s     %s USDT (%s)\n", name, decfmt.Grouped(p, 4), fmt.Sprintf(how, s.size(im.Qty), s.price(im.Worst)))
	}
	var premium apd.Decimal
	if err := funding.Premium(ctx, &premium, &prices[0], &prices[1], index); err != nil {
		return err
	}
	pct := new(apd.Decimal).Set(&premium)
	pct.Exponent += 2
	s.printf("premium index: (max(0, impact bid - index) - max(0, index - impact ask)) / index\n")
	s.printf("               with the index at %s: %s%%\n", decfmt.Grouped(index, -1), decfmt.Fixed(pct, 6))
	return nil
}

// ticks converts a decimal price to ticks; off-tick prices are an error.
func (s *session) ticks(text string) (int64, error) {
	p, err := decfmt.Parse("price", text)
	if err != nil {
		return 0, err
	}
	t, err := s.spec.Ticks(s.ctx, p)
	if err != nil {
		return 0, fmt.Errorf("price %s: %w", text, err)
	}
	return t, nil
}

// lots converts a decimal size to lots.
func (s *session) lots(text string) (int64, error) {
	q, err := decfmt.Parse("size", text)
	if err != nil {
		return 0, err
	}
	l, err := s.spec.Lots(s.ctx, q)
	if err != nil {
		return 0, fmt.Errorf("size %s: %w", text, err)
	}
	return l, nil
}

// price formats ticks as a decimal price with the tick's decimals.
func (s *session) price(ticks int64) string {
	var p apd.Decimal
	if err := s.spec.FromTicks(s.ctx, &p, ticks); err != nil && s.err == nil {
		s.err = err
	}
	return decfmt.Grouped(&p, -s.spec.Tick.Exponent)
}

// size formats lots as a decimal size with the lot's decimals.
func (s *session) size(lots int64) string {
	var q apd.Decimal
	if err := s.spec.FromLots(s.ctx, &q, lots); err != nil && s.err == nil {
		s.err = err
	}
	return decfmt.Fixed(&q, -s.spec.Lot.Exponent)
}
