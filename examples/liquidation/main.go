// Liquidation is a calculator for bankruptcy and liquidation prices.
//
// Describe a position with flags, and it prints the bankruptcy price, the
// liquidation price, the maintenance margin and the distance from the mark,
// by the rules of BitMEX, Binance or Bybit; with no flags it shows a
// built-in XBTUSD position. Or give it an exchange's own payload files
// with -venue, and it puts the whole account together (cross positions
// share their wallet and see each other at their marks) and prints every
// position's numbers beside the exchange's:
//
//	go run ./examples/liquidation
//	go run ./examples/liquidation -preset BTCUSDT -entry 50000 -size 2 -leverage 20
//	go run ./examples/liquidation -preset XBTUSD -side short -entry 60000 -size 30000 -margin 0.1 -mark 58000
//	go run ./examples/liquidation -kind inverse -multiplier 10 -tick 0.0001 -settle ADA -entry 0.35 -size 1000 -leverage 10 -convention binance -mmr 0.01
//	go run ./examples/liquidation -venue binance -positions positionRisk.json -instruments exchangeInfo.json -limits leverageBracket.json -balances account.json
//	go run ./examples/liquidation -venue bitmex -positions position.json -instruments instrument.json -balances margin.json
//	go run ./examples/liquidation -venue bybit -positions position.json -instruments instruments.json -limits risk-limit.json -balances wallet.json -taker 0.00055
//
// With -svg FILE it also writes a picture, the same whatever the other
// flags: the liquidation price as a distance from the entry against
// leverage from 1x to 125x, long and short, for isolated Binance BTCUSDT
// positions of 0.1 BTC (the first leverage bracket) and 300 BTC (a higher
// bracket, which Binance refuses more than 25x) and a BitMEX XBTUSD
// position of 10,000 contracts, each point computed as the calculator
// computes it:
//
//	go run ./examples/liquidation -svg liquidation.svg
//
// Payload files (- reads standard input):
//
//	-positions    BitMEX /position, Binance positionRisk, Bybit position/list
//	-instruments  BitMEX /instrument, Binance exchangeInfo, Bybit instruments-info
//	-limits       Binance leverageBracket, Bybit risk-limit (BitMEX: none)
//	-balances     BitMEX /user/margin, Binance account, Bybit wallet-balance (optional)
package main

import (
	"bytes"
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
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/margin"
)

func main() {
	os.Exit(cli.Exit(os.Stderr, "liquidation", run(os.Stdout, os.Stdin, os.Args[1:])))
}

// config holds the flags as text; "" means not given.
type config struct {
	preset, kind, multiplier, tick, settle, side string
	entry, size, leverage, margin, mmr, cum      string
	wallet, mark, taker, convention              string
	venue, positions, instruments, limits        string
	balances, funding, mode                      string
	svg                                          string
}

func run(w io.Writer, stdin io.Reader, args []string) error {
	var c config
	fs := flag.NewFlagSet("liquidation", flag.ContinueOnError)
	fs.SetOutput(w)
	fs.StringVar(&c.preset, "preset", "XBTUSD", "contract: XBTUSD, ETHUSD, XBTUSDT, BTCUSDT, BTCUSD_PERP or BybitBTCUSD")
	fs.StringVar(&c.kind, "kind", "", "contract kind linear, inverse or quanto, instead of -preset (with -multiplier, -tick, -settle)")
	fs.StringVar(&c.multiplier, "multiplier", "1", "contract multiplier, with -kind (inverse: USD per contract)")
	fs.StringVar(&c.tick, "tick", "", "tick size (default: the preset's, or 0.01 with -kind)")
	fs.StringVar(&c.settle, "settle", "", "settlement currency, with -kind (default USDT for linear, XBT otherwise)")
	fs.StringVar(&c.side, "side", "long", "long or short")
	fs.StringVar(&c.entry, "entry", "50000", "average entry price")
	fs.StringVar(&c.size, "size", "10000", "position size in contracts, positive (the side is -side)")
	fs.StringVar(&c.leverage, "leverage", "25", "leverage of an isolated position")
	fs.StringVar(&c.margin, "margin", "", "initial margin of an isolated position, instead of -leverage")
	fs.StringVar(&c.wallet, "wallet", "", "wallet balance: cross margin instead of isolated")
	fs.StringVar(&c.convention, "convention", "", "bitmex, binance or bybit (default: the preset's exchange)")
	fs.StringVar(&c.mmr, "mmr", "", "maintenance margin rate (default 0.005; Binance's tiers for BTCUSDT)")
	fs.StringVar(&c.cum, "cum", "0", "maintenance amount (Binance) or deduction (Bybit)")
	fs.StringVar(&c.taker, "taker", "", "taker fee rate for the fee reserve (default: the preset's; with -venue bybit, every symbol's)")
	fs.StringVar(&c.mark, "mark", "", "mark price (default: the entry price)")
	fs.StringVar(&c.venue, "venue", "", "bitmex, binance or bybit: read that venue's payload files instead of describing a position")
	fs.StringVar(&c.positions, "positions", "", "with -venue: the positions payload file (- for standard input)")
	fs.StringVar(&c.instruments, "instruments", "", "with -venue: the instruments (Binance: exchangeInfo) payload file")
	fs.StringVar(&c.limits, "limits", "", "with -venue binance or bybit: the leverageBracket or risk-limit payload file")
	fs.StringVar(&c.balances, "balances", "", "with -venue: the wallet payload file (BitMEX user/margin, Binance account, Bybit wallet-balance)")
	fs.StringVar(&c.funding, "funding", "", "with -venue bitmex: funding reserve rates, SYMBOL=RATE[,SYMBOL=RATE...]")
	fs.StringVar(&c.mode, "mode", "", "with -venue binance or bybit: isolated or cross, for rows that do not say (default: cross; Bybit: each row's deprecated tradeMode, 1 isolated)")
	fs.StringVar(&c.svg, "svg", "", "SVG file to write, the liquidation price against leverage on Binance and BitMEX, the same whatever the other flags (default: none)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })

	// Print into a buffer, so that an error leaves no half-written report.
	var out bytes.Buffer
	p := &printer{w: &out}
	var err error
	if set["venue"] {
		err = fromPayloads(p, stdin, &c, set)
	} else {
		for _, name := range []string{"positions", "instruments", "limits", "balances", "funding", "mode"} {
			if set[name] {
				return fmt.Errorf("-%s: needs -venue", name)
			}
		}
		err = fromFlags(p, &c, set)
	}
	if err != nil {
		return err
	}
	if c.svg != "" {
		pic, err := picture(derivmath.NewContext())
		if err != nil {
			return err
		}
		if err := os.WriteFile(c.svg, []byte(pic), 0o644); err != nil {
			return err
		}
		p.printf("\nwrote %s\n", c.svg)
	}
	_, err = out.WriteTo(w)
	return err
}

// positive parses the decimal flag -name and checks that it is positive.
func positive(name, s string) (*apd.Decimal, error) {
	d, err := decfmt.Parse(name, s)
	if err != nil {
		return nil, err
	}
	if d.Sign() <= 0 {
		return nil, fmt.Errorf("-%s %s: must be positive", name, s)
	}
	return d, nil
}

// A position is what the solver needs, whatever it was read from.
type position struct {
	spec       *contract.Spec
	convention liquidation.Convention
	qty, entry *apd.Decimal
	mmr, cum   *apd.Decimal  // mmr is nil when tiers is set
	tiers      *margin.Tiers // Binance's leverage brackets, or nil
	taker      *apd.Decimal
	mark       *apd.Decimal // nil: none
	never      bool         // BitMEX: an isolated inverse short at 1x or less
}

// fromFlags computes the prices of the position the flags describe.
func fromFlags(p *printer, c *config, set map[string]bool) error {
	ctx := derivmath.NewContext()
	var pos position
	var err error
	if pos.spec, err = specFromFlags(c, set); err != nil {
		return err
	}
	if pos.convention, err = conventionOf(c.convention, pos.spec); err != nil {
		return err
	}
	if pos.entry, err = positive("entry", c.entry); err != nil {
		return err
	}
	if pos.qty, err = decfmt.Parse("size", c.size); err != nil {
		return err
	}
	if pos.qty.Sign() <= 0 {
		return fmt.Errorf("-size %s: must be positive (the side is -side long or short)", c.size)
	}
	if _, err := pos.spec.Lots(ctx, pos.qty); err != nil {
		return fmt.Errorf("-size %s: %w (%s's lot is %s)", c.size, err, pos.spec.Symbol, decfmt.Reduced(&pos.spec.Lot))
	}
	switch c.side {
	case "long":
	case "short":
		pos.qty.Neg(pos.qty)
	default:
		return fmt.Errorf("-side %q: want long or short", c.side)
	}
	if err := rates(&pos, c); err != nil {
		return err
	}
	if c.mark != "" {
		if pos.mark, err = positive("mark", c.mark); err != nil {
			return err
		}
	} else {
		pos.mark = pos.entry
	}

	a, value, err := newAccount(ctx, &pos)
	if err != nil {
		return err
	}

	p.header(pos.spec, pos.convention)
	if set["wallet"] {
		// Cross: the wallet backs the position; no fee reserve is kept.
		wallet, err := decfmt.Parse("wallet", c.wallet)
		if err != nil {
			return err
		}
		a.Balance.Set(wallet)
		p.printf("position       %s @ %s %s, cross margin\n", describe(pos.qty), decfmt.Grouped(pos.entry, -1), quote(pos.spec))
		p.printf("entry value    %s\n", p.money(pos.spec, value))
		p.printf("wallet         %s (backs the position; no fee reserve)\n", p.money(pos.spec, wallet))
	} else {
		if err := isolated(ctx, p, &pos, a, value, c, set); err != nil {
			return err
		}
	}
	if err := maintenance(ctx, p, &pos, a, value); err != nil {
		return err
	}
	return prices(ctx, p, &pos, a, nil, nil)
}

// newAccount returns the account of the one position pos describes, its
// balance and fee reserve not yet set, and the position's value at entry.
func newAccount(ctx *apd.Context, pos *position) (*liquidation.Account, *apd.Decimal, error) {
	a := &liquidation.Account{Spec: pos.spec, Convention: pos.convention, Legs: make([]liquidation.Leg, 1)}
	l := &a.Legs[0]
	l.Qty.Set(pos.qty)
	l.Entry.Set(pos.entry)
	l.Tiers = pos.tiers
	if pos.tiers == nil {
		l.MMR.Set(pos.mmr)
		l.Cum.Set(pos.cum)
	}
	value := new(apd.Decimal)
	if err := pos.spec.Value(ctx, value, pos.qty, pos.entry); err != nil {
		return nil, nil, err
	}
	return a, value, nil
}

// specFromFlags returns the preset, or the contract -kind describes, with
// -tick applied.
func specFromFlags(c *config, set map[string]bool) (*contract.Spec, error) {
	var s *contract.Spec
	if c.kind != "" {
		kinds := map[string]contract.Kind{"linear": contract.Linear, "inverse": contract.Inverse, "quanto": contract.Quanto}
		k, ok := kinds[strings.ToLower(c.kind)]
		if !ok {
			return nil, fmt.Errorf("-kind %q: want linear, inverse or quanto", c.kind)
		}
		tick := c.tick
		if tick == "" {
			tick = "0.01"
		}
		settle := "USDT"
		if k != contract.Linear {
			settle = "XBT"
		}
		if c.settle != "" {
			settle = c.settle
		}
		if _, err := positive("multiplier", c.multiplier); err != nil {
			return nil, err
		}
		if _, err := positive("tick", tick); err != nil {
			return nil, err
		}
		var err error
		s, err = contract.New(contract.Params{
			Symbol: "custom " + strings.ToLower(k.String()), Kind: k, Settle: settle,
			Multiplier: c.multiplier, Tick: tick, Lot: "0.00000001",
		})
		if err != nil {
			return nil, fmt.Errorf("-kind: %w", err)
		}
		return s, nil
	}
	for _, name := range []string{"multiplier", "settle"} {
		if set[name] {
			return nil, fmt.Errorf("-%s: needs -kind", name)
		}
	}
	s, ok := preset(c.preset)
	if !ok {
		return nil, fmt.Errorf("-preset %q: want one of XBTUSD, ETHUSD, XBTUSDT, BTCUSDT, BTCUSD_PERP, BybitBTCUSD", c.preset)
	}
	if set["tick"] {
		tick, err := decfmt.Parse("tick", c.tick)
		if err != nil {
			return nil, err
		}
		s.Tick.Set(tick)
		if err := s.Validate(); err != nil {
			return nil, fmt.Errorf("-tick: %w", err)
		}
	}
	return s, nil
}

// preset returns a new Spec for the preset's name.
func preset(name string) (*contract.Spec, bool) {
	switch strings.ToUpper(name) {
	case "XBTUSD":
		return contract.XBTUSD(), true
	case "ETHUSD":
		return contract.ETHUSD(), true
	case "XBTUSDT":
		return contract.XBTUSDT(), true
	case "BTCUSDT":
		return contract.BTCUSDT(), true
	case "BTCUSD_PERP":
		return contract.BTCUSDPerp(), true
	case "BYBITBTCUSD":
		return contract.BybitBTCUSD(), true
	}
	return nil, false
}

// conventionOf parses -convention, defaulting to the preset's exchange.
func conventionOf(name string, s *contract.Spec) (liquidation.Convention, error) {
	if name == "" {
		switch s.Symbol {
		case "XBTUSD", "ETHUSD", "XBTUSDT":
			name = "bitmex"
		case "BTCUSD": // BybitBTCUSD
			name = "bybit"
		default:
			name = "binance"
		}
	}
	switch strings.ToLower(name) {
	case "bitmex":
		return liquidation.BitMEX, nil
	case "binance":
		return liquidation.Binance, nil
	case "bybit":
		return liquidation.Bybit, nil
	}
	return 0, fmt.Errorf("-convention %q: want bitmex, binance or bybit", name)
}

// rates sets the maintenance rate (or Binance's tiers) and the taker rate.
func rates(pos *position, c *config) error {
	var err error
	if pos.cum, err = decfmt.Parse("cum", c.cum); err != nil {
		return err
	}
	switch {
	case c.mmr != "":
		if pos.mmr, err = decfmt.Parse("mmr", c.mmr); err != nil {
			return err
		}
		if pos.mmr.Negative || derivmath.CheckRate(pos.mmr) != nil {
			return fmt.Errorf("-mmr %s: want a rate of at least 0 and below 1", c.mmr)
		}
	case pos.convention == liquidation.Binance && pos.spec.Symbol == "BTCUSDT":
		pos.tiers = margin.BTCUSDT()
	default:
		pos.mmr = apd.New(5, -3)
	}
	pos.taker = new(apd.Decimal).Set(&pos.spec.Taker)
	if c.taker != "" {
		if pos.taker, err = decfmt.Parse("taker", c.taker); err != nil {
			return err
		}
		if err := derivmath.CheckFeeRate(pos.taker); err != nil {
			return fmt.Errorf("-taker %s: %w", c.taker, err)
		}
	}
	return nil
}

// isolated sets a's balance and fee reserve for an isolated position at
// -leverage or with -margin, by the convention's rules, and prints them.
func isolated(ctx *apd.Context, p *printer, pos *position, a *liquidation.Account, value *apd.Decimal, c *config, set map[string]bool) error {
	s := pos.spec
	var leverage apd.Decimal
	if set["margin"] {
		im, err := decfmt.Parse("margin", c.margin)
		if err != nil {
			return err
		}
		if im.Sign() <= 0 {
			return fmt.Errorf("-margin %s: must be positive", c.margin)
		}
		if _, err := ctx.Quo(&leverage, value, im); err != nil {
			return err
		}
		if err := derivmath.CheckLeverage(&leverage); err != nil {
			return fmt.Errorf("-margin %s is more than the entry value: %w", c.margin, err)
		}
	} else {
		lev, err := decfmt.Parse("leverage", c.leverage)
		if err != nil {
			return err
		}
		if err := derivmath.CheckLeverage(lev); err != nil {
			return fmt.Errorf("-leverage %s: %w", c.leverage, err)
		}
		leverage.Set(lev)
	}
	if pos.tiers != nil {
		if err := pos.tiers.CheckLeverage(value, &leverage); err != nil {
			return fmt.Errorf("leverage %s: %w", leverage.Text('f'), err)
		}
	}

	var im, reserve apd.Decimal
	switch {
	case pos.convention == liquidation.BitMEX && !s.Minor.IsZero():
		// BitMEX's integer accounting, in minor units (XBt, USDt).
		var bp margin.BitMEXPosition
		if err := s.Cost(ctx, &a.Legs[0].Cost, pos.qty, pos.entry); err != nil {
			return err
		}
		if _, err := ctx.Quo(&bp.Cost, &a.Legs[0].Cost, &s.Minor); err != nil {
			return err
		}
		if err := margin.IMR(ctx, &bp.InitMarginReq, &leverage); err != nil {
			return err
		}
		bp.MaintMarginReq.Set(pos.mmr)
		bp.Commission.Set(pos.taker)
		var m margin.BitMEX
		if err := bp.Margin(ctx, &m); err != nil {
			// BitMEX's rules, which Margin enforces, said with the flags:
			// the rates are in range, so Margin refuses a maintenance rate
			// above 1/leverage, or a negative taker rate.
			var fe *margin.FieldError
			switch {
			case !errors.As(err, &fe):
			case fe.Field == "MaintMarginReq":
				return fmt.Errorf("leverage %sx: above BitMEX's limit for a maintenance rate of %s%%: the initial margin rate 1/leverage (%s%%) must be at least the maintenance rate",
					round(&leverage, 2), percent(pos.mmr), round(decfmt.Scaled(&bp.InitMarginReq, 2), 4))
			case fe.Field == "Commission":
				return fmt.Errorf("-taker %s: BitMEX's fee reserve needs a taker rate of at least 0", pos.taker.Text('f'))
			}
			return err
		}
		for _, f := range []struct{ z, x *apd.Decimal }{{&im, &m.Init}, {&reserve, &m.Comm}, {&a.Balance, &m.Margin}} {
			if _, err := ctx.Mul(f.z, f.x, &s.Minor); err != nil {
				return err
			}
		}
	case pos.convention == liquidation.Binance:
		// Binance keeps no fee reserve: the isolated wallet is the margin.
		if err := margin.Initial(ctx, &im, value, &leverage); err != nil {
			return err
		}
		a.Balance.Set(&im)
	default:
		// BitMEX without minor units, and Bybit: the fee to close at the
		// bankruptcy price is added to the margin and kept back.
		if err := margin.Initial(ctx, &im, value, &leverage); err != nil {
			return err
		}
		if err := margin.FeeToClose(ctx, &reserve, s, pos.qty, pos.entry, &leverage, pos.taker); err != nil {
			return err
		}
		if err := margin.Position(ctx, &a.Balance, value, &leverage, &reserve); err != nil {
			return err
		}
	}
	// BitMEX never liquidates an isolated inverse short at 1x or less,
	// which can lose at most its margin: it reports posComm = posMaint = 0,
	// as package account has it.
	if pos.convention == liquidation.BitMEX {
		never, err := margin.BitMEXNeverLiquidates(s.Kind, pos.qty, &leverage, true)
		if err != nil {
			return err
		}
		pos.never = never
	}
	if pos.never {
		reserve.SetInt64(0)
		a.Balance.Set(&im)
		pos.mmr, pos.cum = new(apd.Decimal), new(apd.Decimal)
		a.Legs[0].MMR.SetInt64(0)
		a.Legs[0].Cum.SetInt64(0)
	}
	a.FeeReserve.Set(&reserve)

	p.printf("position       %s @ %s %s, isolated at %sx\n",
		describe(pos.qty), decfmt.Grouped(pos.entry, -1), quote(pos.spec), round(&leverage, 2))
	p.printf("entry value    %s\n", p.money(s, value))
	if reserve.IsZero() {
		p.printf("margin         %s (initial margin)\n", p.money(s, &a.Balance))
	} else {
		p.printf("margin         %s (initial %s + fee reserve %s: taker %s%% to close at bankruptcy)\n",
			p.money(s, &a.Balance), p.amount(s, &im), p.amount(s, &reserve), percent(pos.taker))
	}
	return nil
}

// maintenance prints the maintenance margin at entry.
func maintenance(ctx *apd.Context, p *printer, pos *position, a *liquidation.Account, value *apd.Decimal) error {
	s, l := pos.spec, &a.Legs[0]
	var mm apd.Decimal
	var rule string
	switch {
	case pos.tiers != nil:
		t, err := pos.tiers.Lookup(value)
		if err != nil {
			return err
		}
		if err := pos.tiers.Maintenance(ctx, &mm, value); err != nil {
			return err
		}
		rule = fmt.Sprintf("Binance BTCUSDT tier: %s%% of notional - %s; re-evaluated at the liquidation price",
			percent(&t.MMR), decfmt.Grouped(&t.Cum, -1))
	case pos.convention == liquidation.Binance:
		if err := margin.Maintenance(ctx, &mm, value, pos.mmr, pos.cum); err != nil {
			return err
		}
		rule = fmt.Sprintf("%s%% of notional - %s, measured at the price", percent(pos.mmr), decfmt.Grouped(pos.cum, -1))
	default:
		base := value
		if !l.Cost.IsZero() {
			base = &l.Cost
		}
		if err := margin.Maintenance(ctx, &mm, base, pos.mmr, pos.cum); err != nil {
			return err
		}
		if pos.convention == liquidation.BitMEX && !s.Minor.IsZero() {
			if err := derivmath.Round(ctx, &mm, &mm, &s.Minor, derivmath.Ceiling); err != nil {
				return err
			}
		}
		if _, err := ctx.Add(&mm, &mm, &a.FeeReserve); err != nil {
			return err
		}
		rule = fmt.Sprintf("%s%% of entry value", percent(pos.mmr))
		if pos.never {
			rule = "BitMEX keeps none for an isolated inverse short at 1x or less, which it never liquidates"
		}
		if !pos.cum.IsZero() {
			rule += " - " + decfmt.Grouped(pos.cum, -1)
		}
		if !a.FeeReserve.IsZero() {
			rule += " + fee reserve"
		}
	}
	p.printf("maintenance    %s at entry (%s)\n", p.money(s, &mm), rule)
	return nil
}

// prices solves for the bankruptcy and liquidation prices and prints them,
// with the exchange's values beside them when given, and the distance from
// the mark.
func prices(ctx *apd.Context, p *printer, pos *position, a *liquidation.Account, exLiq, exBank *apd.Decimal) error {
	r := rounding(pos.convention)
	how := fmt.Sprintf("rounded to the tick %s toward the entry", pos.spec.Tick.Text('f'))
	if r == liquidation.Exact {
		how = "unrounded, truncated to 8 decimals, as Binance reports it"
	}
	var bank, liq apd.Decimal
	bst, err := liquidation.Bankruptcy(ctx, &bank, a, r)
	if err != nil {
		return fmt.Errorf("bankruptcy: %w", err)
	}
	lst, err := liquidation.Price(ctx, &liq, a, r)
	if err != nil {
		return fmt.Errorf("liquidation: %w", err)
	}
	p.printf("bankruptcy     %s%s\n", p.price(pos, bst, &bank, r), beside(exBank))
	p.printf("liquidation    %s%s\n", p.price(pos, lst, &liq, r), beside(exLiq))
	p.printf("               (%s)\n", how)
	if pos.mark == nil {
		return nil
	}
	liquidatable, err := liquidation.Liquidatable(ctx, a, pos.mark)
	if err != nil {
		return err
	}
	var abs, pct apd.Decimal
	st, err := liquidation.Distance(ctx, &abs, &pct, a, pos.mark, r)
	if err != nil {
		return err
	}
	p.printf("mark           %s", decfmt.Grouped(pos.mark, -1))
	if st == liquidation.Found {
		places := int32(8)
		if r != liquidation.Exact {
			places = max(0, -pos.spec.Tick.Exponent)
		}
		where := "above"
		if liq.Cmp(pos.mark) > 0 {
			where = "below"
		}
		p.printf(": %s %s the liquidation price (%s%%)", decfmt.Grouped(&abs, places), where, round(decfmt.Scaled(&pct, 2), 2))
	}
	if liquidatable {
		p.printf(", LIQUIDATABLE now\n")
	} else {
		p.printf(", not liquidatable\n")
	}
	return nil
}

// rounding is how the convention reports its prices: Binance unrounded,
// the others rounded to the tick toward the entry.
func rounding(c liquidation.Convention) liquidation.Rounding {
	if c == liquidation.Binance {
		return liquidation.Exact
	}
	return liquidation.TowardEntry
}

// beside formats an exchange's value for the comparison column.
func beside(x *apd.Decimal) string {
	if x == nil {
		return ""
	}
	return "   exchange: " + decfmt.Grouped(x, -1)
}

// printer writes the report into a buffer, which cannot fail.
type printer struct {
	w *bytes.Buffer
}

func (p *printer) printf(format string, args ...any) {
	fmt.Fprintf(p.w, format, args...)
}

func (p *printer) header(s *contract.Spec, c liquidation.Convention) {
	p.printf("%s: %s, %s, settled in %s, tick %s; %s convention\n",
		s.Symbol, kindName(s), multiplierText(s), s.Settle, s.Tick.Text('f'), c)
}

// amount formats an amount of the settlement currency: to its minor unit,
// or to 8 decimals.
func (p *printer) amount(s *contract.Spec, x *apd.Decimal) string {
	if !s.Minor.IsZero() {
		return decfmt.Grouped(x, -s.Minor.Exponent)
	}
	r := decfmt.Quantize(x, 8)
	r.Reduce(r)
	return decfmt.Grouped(r, -1)
}

func (p *printer) money(s *contract.Spec, x *apd.Decimal) string {
	return p.amount(s, x) + " " + s.Settle
}

// price formats a solved price with its status.
func (p *printer) price(pos *position, st liquidation.Status, x *apd.Decimal, r liquidation.Rounding) string {
	switch st {
	case liquidation.Never:
		return "none: no price reaches it"
	case liquidation.Always:
		return "already reached at every price"
	}
	if r == liquidation.Exact {
		return binance8(x) + " " + quote(pos.spec)
	}
	return decfmt.Grouped(x, max(0, -pos.spec.Tick.Exponent)) + " " + quote(pos.spec)
}

// binance8 formats an unrounded price as Binance reports it: truncated
// toward zero to 8 decimals.
func binance8(x *apd.Decimal) string {
	ctx := apd.BaseContext.WithPrecision(50)
	ctx.Rounding = apd.RoundDown
	var t apd.Decimal
	if _, err := ctx.Quantize(&t, x, -8); err != nil {
		t.Set(x)
	}
	return decfmt.Grouped(&t, 8)
}

func kindName(s *contract.Spec) string { return strings.ToLower(s.Kind.String()) }

// multiplierText describes the multiplier with its unit.
func multiplierText(s *contract.Spec) string {
	switch s.Kind {
	case contract.Inverse:
		return s.Multiplier.Text('f') + " USD per contract"
	case contract.Quanto:
		return s.Multiplier.Text('f') + " " + s.Settle + " per USD"
	}
	return "multiplier " + s.Multiplier.Text('f')
}

// quote returns the currency prices are quoted in.
func quote(s *contract.Spec) string {
	if s.Kind == contract.Linear {
		return s.Settle
	}
	return "USD"
}

func describe(qty *apd.Decimal) string {
	var n apd.Decimal
	n.Abs(qty)
	if qty.Negative {
		return "short " + decfmt.Grouped(&n, -1)
	}
	return "long " + decfmt.Grouped(&n, -1)
}

// percent formats a fraction as a percentage, without trailing zeros.
func percent(x *apd.Decimal) string {
	return decfmt.Reduced(decfmt.Scaled(x, 2))
}

// round formats x rounded half-even to places decimals, without trailing
// zeros.
func round(x *apd.Decimal, places int32) string {
	return decfmt.Reduced(decfmt.Quantize(x, places))
}
