// Quickstart follows one BitMEX XBTUSD position from open to close and
// prints what derivmath computes at each step: the fills booked into the
// position (harmonic average entry, fees, realised PnL), its value, initial
// and maintenance margin in BitMEX's integer accounting, its liquidation and
// bankruptcy prices, and the funding it pays over three 8-hour intervals.
//
// Run it with
//
//	go run ./examples/quickstart
//	go run ./examples/quickstart -leverage 25
//
// XBTUSD is inverse: one contract is worth 1 USD, and everything is settled
// in bitcoin (XBT), so a position of N contracts is worth N/P XBT at a price P.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/examples/internal/cli"
	"github.com/derivmath/derivmath/examples/internal/decfmt"
	"github.com/derivmath/derivmath/funding"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/margin"
)

func main() {
	os.Exit(cli.Exit(os.Stderr, "quickstart", run(os.Stdout, os.Args[1:])))
}

// The story the program tells, as exchange inputs.
const (
	mmr      = "0.005"  // XBTUSD's base maintenance margin rate, 0.5%
	quoteIR  = "0.0006" // USD daily interest rate index, 0.06%
	baseIR   = "0.0003" // XBT daily interest rate index, 0.03%
	interval = 8 * time.Hour
)

// A trade is one fill: a signed quantity (buy > 0) at a price.
type trade struct {
	what  string
	qty   string
	price string
	maker bool
}

var (
	opening = trade{"open long", "10000", "50000", false}
	adding  = trade{"add to the long", "5000", "48000", true}
	closing = []trade{
		{"partial close", "-5000", "52000", false},
		{"close", "-10000", "53000", false},
	}
	// One funding interval: the average premium index over it and the mark
	// price at its end.
	intervals = []struct{ premium, mark string }{
		{"0.0003", "48500"},
		{"0.0009", "49750"},
		{"-0.0008", "51200"},
	}
)

func run(w io.Writer, args []string) error {
	fs := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	fs.SetOutput(w)
	lev := fs.String("leverage", "10", "isolated leverage")
	if err := fs.Parse(args); err != nil {
		return err
	}
	leverage, err := decfmt.Parse("leverage", *lev)
	if err != nil {
		return err
	}
	if err := derivmath.CheckLeverage(leverage); err != nil {
		return fmt.Errorf("-leverage %s: %w", *lev, err)
	}
	// BitMEX refuses an initial margin rate below the maintenance rate:
	// check it here, before anything is printed, not at the first margin.
	ctx := derivmath.NewContext()
	var imr, most apd.Decimal
	if err := margin.IMR(ctx, &imr, leverage); err != nil {
		return fmt.Errorf("-leverage %s: %w", *lev, err)
	}
	if imr.Cmp(decfmt.Must(mmr)) < 0 {
		if _, err := ctx.Quo(&most, apd.New(1, 0), decfmt.Must(mmr)); err != nil {
			return err
		}
		return fmt.Errorf("-leverage %s: BitMEX allows at most %sx (1/leverage, the initial margin rate, may not fall below the maintenance rate %s%%)",
			*lev, decfmt.Reduced(&most), decfmt.Percent(decfmt.Must(mmr), 1))
	}

	q := &quickstart{
		w:        w,
		ctx:      ctx,
		spec:     contract.XBTUSD(),
		leverage: leverage,
	}
	return q.run()
}

type quickstart struct {
	w        io.Writer
	err      error // the first write error
	ctx      *apd.Context
	spec     *contract.Spec
	leverage *apd.Decimal
	pos      contract.Position
	funding  apd.Decimal // paid, net
}

func (q *quickstart) run() error {
	s := q.spec
	q.printf("derivmath quickstart: one position from open to close\n")
	q.printf("%s: BitMEX inverse perpetual, %s USD per contract, settled in %s, tick %s USD\n",
		s.Symbol, s.Multiplier.Text('f'), s.Settle, s.Tick.Text('f'))
	q.printf("isolated margin at %sx, maintenance %s%% of entry value, fees: taker %s%%, maker %s%%\n",
		q.leverage.Text('f'), decfmt.Percent(decfmt.Must(mmr), 1), decfmt.Percent(&s.Taker, 3), decfmt.Percent(&s.Maker, 3))

	step := 1
	for _, t := range []trade{opening, adding} {
		if err := q.fill(step, t); err != nil {
			return err
		}
		if err := q.margins(); err != nil {
			return err
		}
		step++
	}
	if err := q.fundings(step); err != nil {
		return err
	}
	step++
	for _, t := range closing {
		if err := q.fill(step, t); err != nil {
			return err
		}
		if !q.pos.Qty.IsZero() {
			if err := q.margins(); err != nil {
				return err
			}
		}
		step++
	}
	if err := q.summary(); err != nil {
		return err
	}
	return q.err
}

// printf writes to q.w and keeps the first error, which run returns.
func (q *quickstart) printf(format string, args ...any) {
	if q.err == nil {
		_, q.err = fmt.Fprintf(q.w, format, args...)
	}
}

// fill books t into the position and prints the position after it.
func (q *quickstart) fill(step int, t trade) error {
	var f contract.Fill
	f.Qty.Set(decfmt.Must(t.qty))
	f.Price.Set(decfmt.Must(t.price))
	f.Maker = t.maker
	before := new(apd.Decimal).Set(&q.pos.Realised)
	feesBefore := new(apd.Decimal).Set(&q.pos.Fees)
	if err := q.spec.Apply(q.ctx, &q.pos, &f); err != nil {
		return fmt.Errorf("%s: %w", t.what, err)
	}
	side, role := "buy", "taker"
	if f.Qty.Negative {
		side = "sell"
	}
	if f.Maker {
		role = "maker"
	}
	var n, fee, realised apd.Decimal
	n.Abs(&f.Qty)
	if _, err := q.ctx.Sub(&fee, &q.pos.Fees, feesBefore); err != nil {
		return err
	}
	if _, err := q.ctx.Sub(&realised, &q.pos.Realised, before); err != nil {
		return err
	}
	q.printf("\n%d. %s %s @ %s (%s): %s\n", step, side, decfmt.Grouped(&n, 0), decfmt.Grouped(&f.Price, 1), role, t.what)
	if q.pos.Qty.IsZero() {
		q.printf("   position          flat\n")
	} else {
		q.printf("   position          %s, entry %s USD\n", describe(&q.pos.Qty), decfmt.Grouped(&q.pos.Entry, 2))
	}
	if !realised.IsZero() {
		q.printf("   realised PnL      %s XBT\n", xbt(&realised, true))
	}
	note := "paid"
	if fee.Negative {
		note = "rebate received"
	}
	q.printf("   fee               %s XBT (%s)\n", xbt(&fee, true), note)
	return nil
}

// margins prints the position's value, margin and liquidation prices, from
// BitMEX's integer fields (posCost, posInit, posComm, posMaint, posMargin).
func (q *quickstart) margins() error {
	ctx, s, p := q.ctx, q.spec, &q.pos

	// posCost: the value at entry in XBt, rounded to the satoshi.
	var cost, satoshis apd.Decimal
	if err := s.Cost(ctx, &cost, &p.Qty, &p.Entry); err != nil {
		return err
	}
	if err := toSatoshis(ctx, &satoshis, &cost); err != nil {
		return err
	}
	var bp margin.BitMEXPosition
	bp.Cost.Set(&satoshis)
	if err := margin.IMR(ctx, &bp.InitMarginReq, q.leverage); err != nil {
		return err
	}
	bp.MaintMarginReq.Set(decfmt.Must(mmr))
	bp.Commission.Set(&s.Taker)
	var m margin.BitMEX
	if err := bp.Margin(ctx, &m); err != nil {
		return err
	}

	// The liquidation solver, BitMEX convention: maintenance fixed on the
	// entry value plus the fee reserve, which bankruptcy keeps back.
	a := &liquidation.Account{Spec: s, Convention: liquidation.BitMEX, Legs: make([]liquidation.Leg, 1)}
	l := &a.Legs[0]
	l.Qty.Set(&p.Qty)
	l.Entry.Set(&p.Entry)
	l.Cost.Set(&cost)
	l.MMR.Set(decfmt.Must(mmr))
	if err := fromSatoshis(ctx, &a.Balance, &m.Margin); err != nil {
		return err
	}
	if err := fromSatoshis(ctx, &a.FeeReserve, &m.Comm); err != nil {
		return err
	}
	var liq, bankrupt apd.Decimal
	if err := solved(liquidation.Price(ctx, &liq, a, liquidation.TowardEntry)); err != nil {
		return fmt.Errorf("liquidation price: %w", err)
	}
	if err := solved(liquidation.Bankruptcy(ctx, &bankrupt, a, liquidation.TowardEntry)); err != nil {
		return fmt.Errorf("bankruptcy price: %w", err)
	}

	q.printf("   entry value       %s XBT (posCost %s XBt)\n", xbt(&cost, false), decfmt.Grouped(neg(&satoshis), 0))
	q.printf("   initial margin    %s XBt (posInit: entry value / %s)\n", decfmt.Grouped(&m.Init, 0), q.leverage.Text('f'))
	q.printf("   fee reserve       %s XBt (posComm: taker fee to close at bankruptcy)\n", decfmt.Grouped(&m.Comm, 0))
	q.printf("   maintenance       %s XBt (posMaint: %s%% of entry value + posComm)\n", decfmt.Grouped(&m.Maint, 0), decfmt.Percent(decfmt.Must(mmr), 1))
	q.printf("   position margin   %s XBt (posMargin: posInit + posComm)\n", decfmt.Grouped(&m.Margin, 0))
	q.printf("   liquidation       %s USD (rounded up to the tick, toward entry)\n", decfmt.Grouped(&liq, 1))
	q.printf("   bankruptcy        %s USD\n", decfmt.Grouped(&bankrupt, 1))
	return nil
}

// fundings pays three funding intervals: the rate from the average premium
// and the interest rate, the payment at the mark, and the unrealised PnL
// there.
func (q *quickstart) fundings(step int) error {
	ctx := q.ctx
	var interest, bound apd.Decimal
	if err := funding.Interest(ctx, &interest, decfmt.Must(quoteIR), decfmt.Must(baseIR), interval); err != nil {
		return err
	}
	funding.DefaultClamp(&bound)
	q.printf("\n%d. funding every 8 hours: rate = premium + clamp(interest - premium, +-%s%%)\n", step, decfmt.Percent(&bound, 2))
	q.printf("   interest = (USD %s%% - XBT %s%%) / 3 = %s%% per interval; long pays when the rate is positive\n",
		decfmt.Percent(decfmt.Must(quoteIR), 2), decfmt.Percent(decfmt.Must(baseIR), 2), decfmt.Percent(&interest, 2))
	q.printf("   %-5s %9s %9s %10s %13s %13s\n", "after", "premium", "rate", "mark USD", "paid XBT", "uPnL XBT")
	for i, iv := range intervals {
		mark := decfmt.Must(iv.mark)
		var rate, paid, upnl apd.Decimal
		if err := funding.Rate(ctx, &rate, decfmt.Must(iv.premium), &interest, &bound); err != nil {
			return err
		}
		if err := funding.Payment(ctx, &paid, q.spec, &q.pos, mark, &rate); err != nil {
			return err
		}
		// BitMEX settles funding in whole satoshis.
		if err := derivmath.Round(ctx, &paid, &paid, &q.spec.Minor, derivmath.HalfUp); err != nil {
			return err
		}
		if _, err := ctx.Add(&q.funding, &q.funding, &paid); err != nil {
			return err
		}
		if err := q.spec.Unrealised(ctx, &upnl, &q.pos, mark); err != nil {
			return err
		}
		q.printf("   %-5s %9s %9s %10s %13s %13s\n", fmt.Sprintf("%dh", 8*(i+1)), decfmt.Percent(decfmt.Must(iv.premium), 4)+"%",
			decfmt.Percent(&rate, 4)+"%", decfmt.Grouped(mark, 1), xbt(&paid, true), xbt(&upnl, true))
	}
	q.printf("   funding paid      %s XBT over 24 hours\n", xbt(&q.funding, true))
	return nil
}

func (q *quickstart) summary() error {
	ctx, p := q.ctx, &q.pos
	var net apd.Decimal
	if _, err := ctx.Sub(&net, &p.Realised, &p.Fees); err != nil {
		return err
	}
	if _, err := ctx.Sub(&net, &net, &q.funding); err != nil {
		return err
	}
	q.printf("\nresult\n")
	q.printf("   realised PnL      %s XBT\n", xbt(&p.Realised, true))
	q.printf("   fees              %s XBT (paid, net of rebates)\n", xbt(neg(&p.Fees), true))
	q.printf("   funding           %s XBT\n", xbt(neg(&q.funding), true))
	q.printf("   net               %s XBT\n", xbt(&net, true))
	return nil
}

// solved turns a status other than Found into an error.
func solved(st liquidation.Status, err error) error {
	if err != nil {
		return err
	}
	if st != liquidation.Found {
		return fmt.Errorf("no price: %v", st)
	}
	return nil
}

// toSatoshis sets z to x XBT in XBt (1 XBT = 100,000,000 XBt), exactly.
func toSatoshis(ctx *apd.Context, z, x *apd.Decimal) error {
	_, err := ctx.Mul(z, x, apd.New(1, 8))
	return err
}

// fromSatoshis sets z to x XBt in XBT, exactly.
func fromSatoshis(ctx *apd.Context, z, x *apd.Decimal) error {
	_, err := ctx.Mul(z, x, apd.New(1, -8))
	return err
}

// describe returns "long 10,000 contracts" or "short ...".
func describe(qty *apd.Decimal) string {
	var n apd.Decimal
	n.Abs(qty)
	if qty.Negative {
		return "short " + decfmt.Grouped(&n, 0) + " contracts"
	}
	return "long " + decfmt.Grouped(&n, 0) + " contracts"
}

func neg(x *apd.Decimal) *apd.Decimal { return new(apd.Decimal).Neg(x) }

// xbt formats an amount of XBT to the satoshi, with a sign if signed.
func xbt(x *apd.Decimal, signed bool) string {
	s := decfmt.Fixed(x, 8)
	if signed {
		s = decfmt.Signed(s)
	}
	return s
}
