// Liquidation is a calculator for bankruptcy and liquidation prices.
//
// Describe a position with flags, or pass an exchange's own position object
// on standard input with -json, and it prints the bankruptcy price, the
// liquidation price, the maintenance margin and the distance from the mark,
// by the rules of BitMEX, Binance or Bybit:
//
//	go run ./examples/liquidation
//	go run ./examples/liquidation -preset BTCUSDT -entry 50000 -size 2 -leverage 20
//	go run ./examples/liquidation -preset XBTUSD -side short -entry 60000 -size 30000 -margin 0.1 -mark 58000
//	go run ./examples/liquidation -kind linear -multiplier 1 -tick 0.01 -entry 2000 -size 10 -wallet 5000 -convention binance
//	curl ... /api/v1/position | go run ./examples/liquidation -json
//
// With -json it reads a BitMEX /position object (or an array of them) or a
// Binance /fapi/v2/positionRisk object (or array) and prints derivmath's
// prices beside the exchange's.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/examples/internal/decfmt"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/margin"
)

func main() {
	if err := run(os.Stdout, os.Stdin, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "liquidation:", err)
		os.Exit(2)
	}
}

// config holds the flags as text; "" means not given.
type config struct {
	preset, kind, multiplier, tick, side    string
	entry, size, leverage, margin, mmr, cum string
	wallet, mark, taker, convention         string
	json                                    bool
}

func run(w io.Writer, stdin io.Reader, args []string) error {
	var c config
	fs := flag.NewFlagSet("liquidation", flag.ContinueOnError)
	fs.SetOutput(w)
	fs.StringVar(&c.preset, "preset", "XBTUSD", "contract: XBTUSD, ETHUSD, XBTUSDT, BTCUSDT, BTCUSD_PERP or BybitBTCUSD")
	fs.StringVar(&c.kind, "kind", "", "contract kind linear, inverse or quanto, instead of -preset")
	fs.StringVar(&c.multiplier, "multiplier", "1", "contract multiplier, with -kind")
	fs.StringVar(&c.tick, "tick", "", "tick size (default: the preset's, or 0.01 with -kind)")
	fs.StringVar(&c.side, "side", "long", "long or short")
	fs.StringVar(&c.entry, "entry", "50000", "average entry price")
	fs.StringVar(&c.size, "size", "10000", "position size in contracts")
	fs.StringVar(&c.leverage, "leverage", "25", "leverage of an isolated position")
	fs.StringVar(&c.margin, "margin", "", "initial margin of an isolated position, instead of -leverage")
	fs.StringVar(&c.wallet, "wallet", "", "wallet balance: cross margin instead of isolated")
	fs.StringVar(&c.convention, "convention", "", "bitmex, binance or bybit (default: the preset's exchange)")
	fs.StringVar(&c.mmr, "mmr", "", "maintenance margin rate (default 0.005; Binance's tiers for BTCUSDT)")
	fs.StringVar(&c.cum, "cum", "0", "maintenance amount (Binance) or deduction (Bybit)")
	fs.StringVar(&c.taker, "taker", "", "taker fee rate for the fee reserve (default: the preset's)")
	fs.StringVar(&c.mark, "mark", "", "mark price (default: the entry price)")
	fs.BoolVar(&c.json, "json", false, "read a BitMEX /position or Binance positionRisk object from standard input")
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
	if c.json {
		err = fromJSON(p, stdin, &c, set)
	} else {
		err = fromFlags(p, &c, set)
	}
	if err != nil {
		return err
	}
	_, err = out.WriteTo(w)
	return err
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
	if pos.entry, err = decfmt.Parse("entry", c.entry); err != nil {
		return err
	}
	if pos.qty, err = decfmt.Parse("size", c.size); err != nil {
		return err
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
		if pos.mark, err = decfmt.Parse("mark", c.mark); err != nil {
			return err
		}
	} else {
		pos.mark = pos.entry
	}

	a := &liquidation.Account{Spec: pos.spec, Convention: pos.convention, Legs: make([]liquidation.Leg, 1)}
	l := &a.Legs[0]
	l.Qty.Set(pos.qty)
	l.Entry.Set(pos.entry)
	l.Tiers = pos.tiers
	if pos.tiers == nil {
		l.MMR.Set(pos.mmr)
		l.Cum.Set(pos.cum)
	}
	var value apd.Decimal
	if err := pos.spec.Value(ctx, &value, pos.qty, pos.entry); err != nil {
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
		p.printf("entry value    %s\n", p.money(pos.spec, &value))
		p.printf("wallet         %s (backs the position; no fee reserve)\n", p.money(pos.spec, wallet))
	} else {
		if err := isolated(ctx, p, &pos, a, &value, c, set); err != nil {
			return err
		}
	}
	if err := maintenance(ctx, p, &pos, a, &value); err != nil {
		return err
	}
	return prices(ctx, p, &pos, a, nil, nil)
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
	r := liquidation.TowardEntry
	how := fmt.Sprintf("rounded to the tick %s toward the entry", pos.spec.Tick.Text('f'))
	if pos.convention == liquidation.Binance {
		r = liquidation.Exact
		how = "unrounded, shown to 8 decimals, as Binance reports it"
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

// beside formats an exchange's value for the comparison column.
func beside(x *apd.Decimal) string {
	if x == nil {
		return ""
	}
	return "   exchange: " + decfmt.Grouped(x, -1)
}

// fromJSON reads BitMEX /position or Binance positionRisk objects.
func fromJSON(p *printer, stdin io.Reader, c *config, set map[string]bool) error {
	data, err := io.ReadAll(stdin)
	if err != nil {
		return err
	}
	data = bytes.TrimSpace(data)
	var objects []json.RawMessage
	if len(data) > 0 && data[0] == '[' {
		if err := json.Unmarshal(data, &objects); err != nil {
			return fmt.Errorf("-json: %w", err)
		}
	} else {
		objects = []json.RawMessage{data}
	}
	if len(objects) == 0 {
		return errors.New("-json: no position in the input")
	}
	for i, o := range objects {
		if i > 0 {
			p.printf("\n")
		}
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(o, &fields); err != nil {
			return fmt.Errorf("-json: %w", err)
		}
		switch {
		case fields["currentQty"] != nil:
			var b bitmexPosition
			if err := json.Unmarshal(o, &b); err != nil {
				return fmt.Errorf("-json: BitMEX position: %w", err)
			}
			err = fromBitMEX(p, &b, c, set)
		case fields["positionAmt"] != nil:
			var b binancePosition
			if err := json.Unmarshal(o, &b); err != nil {
				return fmt.Errorf("-json: Binance positionRisk: %w", err)
			}
			err = fromBinance(p, &b, c, set)
		default:
			return errors.New("-json: neither a BitMEX position (currentQty) nor a Binance positionRisk (positionAmt)")
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// num is a JSON number, or a number in a string as Binance sends them.
type num string

func (n *num) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*n = num(s)
		return nil
	}
	*n = num(b)
	return nil
}

// decimal parses n, or returns nil if it is absent or zero and optional.
func (n num) decimal(field string) (*apd.Decimal, error) {
	if n == "" {
		return nil, fmt.Errorf("-json: missing %s", field)
	}
	d, _, err := apd.NewFromString(string(n))
	if err != nil {
		return nil, fmt.Errorf("-json: %s %q: %w", field, string(n), err)
	}
	return d, nil
}

// optional parses n, or returns nil if it is absent or zero.
func (n num) optional(field string) (*apd.Decimal, error) {
	if n == "" {
		return nil, nil
	}
	d, err := n.decimal(field)
	if err != nil || d.IsZero() {
		return nil, err
	}
	return d, nil
}

// bitmexPosition holds the fields of a BitMEX /position object used here.
// Money is in the settlement currency's minor unit (XBt for XBTUSD).
type bitmexPosition struct {
	Symbol           string `json:"symbol"`
	CurrentQty       num    `json:"currentQty"`
	AvgEntryPrice    num    `json:"avgEntryPrice"`
	PosCost          num    `json:"posCost"`
	PosMargin        num    `json:"posMargin"`
	PosMaint         num    `json:"posMaint"`
	PosComm          num    `json:"posComm"`
	MaintMarginReq   num    `json:"maintMarginReq"`
	LiquidationPrice num    `json:"liquidationPrice"`
	BankruptPrice    num    `json:"bankruptPrice"`
	MarkPrice        num    `json:"markPrice"`
}

// fromBitMEX solves from BitMEX's own margin fields:
// value(P_L) = |posCost| + posMargin - posMaint and
// value(P_B) = |posCost| + posMargin - posComm, in the BitMEX convention.
func fromBitMEX(p *printer, b *bitmexPosition, c *config, set map[string]bool) error {
	ctx := derivmath.NewContext()
	s, err := jsonSpec(b.Symbol, c, set)
	if err != nil {
		return err
	}
	if s.Minor.IsZero() {
		return fmt.Errorf("-json: %s has no minor unit: BitMEX's posCost is in one (use an XBTUSD, ETHUSD or XBTUSDT preset)", s.Symbol)
	}
	pos := position{spec: s, convention: liquidation.BitMEX}
	var cost, posMargin, posMaint, posComm *apd.Decimal
	for _, f := range []struct {
		name string
		n    num
		z    **apd.Decimal
	}{
		{"currentQty", b.CurrentQty, &pos.qty},
		{"avgEntryPrice", b.AvgEntryPrice, &pos.entry},
		{"posCost", b.PosCost, &cost},
		{"posMargin", b.PosMargin, &posMargin},
		{"posMaint", b.PosMaint, &posMaint},
		{"posComm", b.PosComm, &posComm},
		{"maintMarginReq", b.MaintMarginReq, &pos.mmr},
	} {
		if *f.z, err = f.n.decimal(f.name); err != nil {
			return err
		}
	}
	exLiq, err := b.LiquidationPrice.optional("liquidationPrice")
	if err != nil {
		return err
	}
	exBank, err := b.BankruptPrice.optional("bankruptPrice")
	if err != nil {
		return err
	}
	if pos.mark, err = b.MarkPrice.optional("markPrice"); err != nil {
		return err
	}
	pos.cum = new(apd.Decimal)

	// Amounts into the settlement currency; the documented maintenance,
	// ceil(MMR*|posCost|) + posComm, and what posMaint holds beyond it.
	a := &liquidation.Account{Spec: s, Convention: liquidation.BitMEX, Legs: make([]liquidation.Leg, 1)}
	l := &a.Legs[0]
	l.Qty.Set(pos.qty)
	l.Entry.Set(pos.entry)
	l.MMR.Set(pos.mmr)
	var absCost, documented, extra apd.Decimal
	absCost.Abs(cost)
	if _, err := ctx.Mul(&documented, &absCost, pos.mmr); err != nil {
		return err
	}
	if err := derivmath.Round(ctx, &documented, &documented, apd.New(1, 0), derivmath.Ceiling); err != nil {
		return err
	}
	if _, err := ctx.Add(&documented, &documented, posComm); err != nil {
		return err
	}
	if _, err := ctx.Sub(&extra, posMaint, &documented); err != nil {
		return err
	}
	for _, f := range []struct{ z, x *apd.Decimal }{
		{&l.Cost, &absCost}, {&a.Balance, posMargin}, {&a.FeeReserve, posComm}, {&a.ExtraMM, &extra},
	} {
		if _, err := ctx.Mul(f.z, f.x, &s.Minor); err != nil {
			return err
		}
	}
	if extra.Negative {
		a.ExtraMM.SetInt64(0)
	}

	unit := minorName(s)
	var base apd.Decimal
	if _, err := ctx.Sub(&base, &documented, posComm); err != nil {
		return err
	}
	p.printf("BitMEX /position %s (%s, %s, settled in %s)\n", b.Symbol, kindName(s), multiplierText(s), s.Settle)
	p.printf("position       %s @ %s %s\n", describe(pos.qty), decfmt.Grouped(pos.entry, -1), quote(s))
	p.printf("posCost        %s %s\n", decfmt.Grouped(cost, -1), unit)
	p.printf("posMargin      %s %s (backs the position)\n", decfmt.Grouped(posMargin, -1), unit)
	p.printf("posComm        %s %s (fee reserve, kept back at bankruptcy)\n", decfmt.Grouped(posComm, -1), unit)
	p.printf("posMaint       %s %s: ceil(%s%% x %s) + posComm = %s + %s = %s",
		decfmt.Grouped(posMaint, -1), unit, percent(pos.mmr), decfmt.Grouped(&absCost, -1),
		decfmt.Grouped(&base, -1), decfmt.Grouped(posComm, -1), decfmt.Grouped(&documented, -1))
	switch extra.Sign() {
	case 0:
		p.printf("\n")
	case 1:
		p.printf(", and %s more\n", decfmt.Grouped(&extra, -1))
		p.printf("               (an unpublished funding reserve, counted as extra maintenance)\n")
	default:
		p.printf(", %s less (ignored)\n", decfmt.Grouped(new(apd.Decimal).Neg(&extra), -1))
	}
	if err := prices(ctx, p, &pos, a, exLiq, exBank); err != nil {
		return err
	}
	if a.ExtraMM.IsZero() {
		return nil
	}
	// The same without the unexplained part of posMaint.
	a.ExtraMM.SetInt64(0)
	var liq apd.Decimal
	st, err := liquidation.Price(ctx, &liq, a, liquidation.TowardEntry)
	if err != nil {
		return err
	}
	p.printf("without the %s %s: liquidation %s\n", decfmt.Grouped(&extra, -1), unit, p.price(&pos, st, &liq, liquidation.TowardEntry))
	return nil
}

// binancePosition holds the fields of a Binance positionRisk object used
// here. Binance sends numbers as strings.
type binancePosition struct {
	Symbol           string `json:"symbol"`
	PositionAmt      num    `json:"positionAmt"`
	EntryPrice       num    `json:"entryPrice"`
	IsolatedWallet   num    `json:"isolatedWallet"`
	MarkPrice        num    `json:"markPrice"`
	LiquidationPrice num    `json:"liquidationPrice"`
	MarginType       string `json:"marginType"`
}

// fromBinance solves Binance's formula,
// LP = (WB - TMM1 + UPNL1 + cum - s*N*EP)/(N*MMR - s*N), with the maintenance
// rate from -mmr (positionRisk does not carry it) or Binance's tiers.
func fromBinance(p *printer, b *binancePosition, c *config, set map[string]bool) error {
	ctx := derivmath.NewContext()
	s, err := jsonSpec(b.Symbol, c, set)
	if err != nil {
		return err
	}
	pos := position{spec: s, convention: liquidation.Binance}
	if pos.qty, err = b.PositionAmt.decimal("positionAmt"); err != nil {
		return err
	}
	if pos.entry, err = b.EntryPrice.decimal("entryPrice"); err != nil {
		return err
	}
	exLiq, err := b.LiquidationPrice.optional("liquidationPrice")
	if err != nil {
		return err
	}
	if pos.mark, err = b.MarkPrice.optional("markPrice"); err != nil {
		return err
	}
	if err := rates(&pos, c); err != nil {
		return err
	}
	var wallet *apd.Decimal
	mode := strings.ToLower(b.MarginType)
	switch mode {
	case "isolated":
		if wallet, err = b.IsolatedWallet.decimal("isolatedWallet"); err != nil {
			return err
		}
	case "cross", "crossed":
		if !set["wallet"] {
			return errors.New("-json: a cross position needs the account's wallet balance: pass -wallet")
		}
		if wallet, err = decfmt.Parse("wallet", c.wallet); err != nil {
			return err
		}
	default:
		return fmt.Errorf("-json: marginType %q: want isolated or cross", b.MarginType)
	}

	a := &liquidation.Account{Spec: s, Convention: liquidation.Binance, Legs: make([]liquidation.Leg, 1)}
	l := &a.Legs[0]
	l.Qty.Set(pos.qty)
	l.Entry.Set(pos.entry)
	l.Tiers = pos.tiers
	if pos.tiers == nil {
		l.MMR.Set(pos.mmr)
		l.Cum.Set(pos.cum)
	}
	a.Balance.Set(wallet)

	p.printf("Binance positionRisk %s (%s, %s, settled in %s)\n", b.Symbol, kindName(s), multiplierText(s), s.Settle)
	p.printf("position       %s @ %s %s, %s\n", describe(pos.qty), decfmt.Grouped(pos.entry, -1), quote(s), mode)
	if mode == "isolated" {
		p.printf("wallet         %s (isolatedWallet)\n", p.money(s, wallet))
	} else {
		p.printf("wallet         %s (-wallet; other positions' PnL and maintenance taken as 0)\n", p.money(s, wallet))
	}
	if pos.tiers != nil {
		p.printf("maintenance    Binance's BTCUSDT tiers, by notional at the price\n")
	} else {
		p.printf("maintenance    %s%% of notional - %s (from -mmr and -cum: positionRisk does not carry them)\n",
			percent(pos.mmr), decfmt.Grouped(pos.cum, -1))
	}
	return prices(ctx, p, &pos, a, exLiq, nil)
}

// jsonSpec returns the contract for an exchange symbol: a preset of that
// name, -kind or -preset if given, or a USDT-margined linear contract of
// multiplier 1 for another symbol ending in USDT.
func jsonSpec(symbol string, c *config, set map[string]bool) (*contract.Spec, error) {
	if set["kind"] || set["preset"] {
		return specFromFlags(c, set)
	}
	if s, ok := preset(symbol); ok {
		return s, nil
	}
	if strings.HasSuffix(symbol, "USDT") {
		return contract.New(contract.Params{
			Symbol: symbol, Kind: contract.Linear, Settle: "USDT",
			Multiplier: "1", Tick: "0.00000001", Lot: "0.00000001",
		})
	}
	return nil, fmt.Errorf("-json: unknown symbol %q: describe it with -preset or -kind", symbol)
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
	places := int32(8)
	if r != liquidation.Exact {
		places = max(0, -pos.spec.Tick.Exponent)
	}
	return decfmt.Grouped(x, places) + " " + quote(pos.spec)
}

// minorName names the minor unit of the settlement currency, as BitMEX
// writes it.
func minorName(s *contract.Spec) string {
	switch s.Settle {
	case "XBT":
		return "XBt"
	case "USDT":
		return "USDt"
	}
	return "minor units of " + s.Settle
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
