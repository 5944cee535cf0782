package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/examples/internal/decfmt"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/venue"
	"github.com/derivmath/derivmath/venue/binance"
	"github.com/derivmath/derivmath/venue/bitmex"
	"github.com/derivmath/derivmath/venue/bybit"
)

// files reads the payload files the flags name.
type files struct {
	stdin io.Reader
	used  bool // stdin was read
	c     *config
	set   map[string]bool
}

// read returns the file of the flag -name, or nil when the flag is not
// set and not needed.
func (f *files) read(name, path string, need bool) ([]byte, error) {
	if !f.set[name] || path == "" {
		if need {
			return nil, fmt.Errorf("-%s: needed with -venue %s", name, f.c.venue)
		}
		return nil, nil
	}
	if path == "-" {
		if f.used {
			return nil, fmt.Errorf("-%s: standard input is already read by another flag", name)
		}
		f.used = true
		b, err := io.ReadAll(f.stdin)
		if err != nil {
			return nil, fmt.Errorf("-%s: %w", name, err)
		}
		return b, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("-%s: %w", name, err)
	}
	return b, nil
}

// fromPayloads assembles the account of a venue's payload files and
// prints it.
func fromPayloads(p *printer, stdin io.Reader, c *config, set map[string]bool) error {
	f := &files{stdin: stdin, c: c, set: set}
	for _, name := range []string{"preset", "kind", "multiplier", "tick", "settle", "side", "entry", "size", "leverage", "margin", "wallet", "mmr", "cum", "mark", "convention"} {
		if set[name] {
			return fmt.Errorf("-%s: describes a position; with -venue the payloads do", name)
		}
	}
	ctx := derivmath.NewContext()
	var (
		a     *account.Account
		cs    []venue.Comparison
		flat  []venue.Row
		open  int
		round = liquidation.TowardEntry
		name  string
	)
	positions, err := f.read("positions", c.positions, true)
	if err != nil {
		return err
	}
	instruments, err := f.read("instruments", c.instruments, true)
	if err != nil {
		return err
	}
	balances, err := f.read("balances", c.balances, false)
	if err != nil {
		return err
	}
	mode, err := modeFlag(c.mode, set)
	if err != nil {
		return err
	}
	switch strings.ToLower(c.venue) {
	case "bitmex":
		name = "BitMEX"
		for _, n := range []string{"limits", "mode", "taker"} {
			if set[n] {
				return fmt.Errorf("-%s: not used with -venue bitmex (its payloads carry it)", n)
			}
		}
		o, fl, err := bitmex.DecodePositions(positions)
		if err != nil {
			return fmt.Errorf("-positions: %w", err)
		}
		open, flat = len(o), fl
		if _, err := bitmex.DecodeInstruments(instruments); err != nil {
			return fmt.Errorf("-instruments: %w", err)
		}
		if balances != nil {
			if _, err := bitmex.DecodeMargins(balances); err != nil {
				return fmt.Errorf("-balances: %w", err)
			}
		}
		funding, err := symbolRates("funding", c.funding)
		if err != nil {
			return err
		}
		a, cs, err = bitmex.Assemble(ctx, &bitmex.Payloads{Instruments: instruments, Positions: positions, Margins: balances}, &bitmex.Options{Funding: funding})
		if err != nil {
			return err
		}
	case "binance":
		name, round = "Binance", liquidation.Exact
		if set["funding"] || set["taker"] {
			return fmt.Errorf("-funding and -taker: not used with -venue binance")
		}
		limits, err := f.read("limits", c.limits, true)
		if err != nil {
			return err
		}
		o, fl, err := binance.DecodePositionRisk(positions)
		if err != nil {
			return fmt.Errorf("-positions: %w", err)
		}
		open, flat = len(o), fl
		if _, err := binance.DecodeSymbols(instruments); err != nil {
			return fmt.Errorf("-instruments: %w", err)
		}
		if _, err := binance.DecodeBrackets(limits); err != nil {
			return fmt.Errorf("-limits: %w", err)
		}
		if balances != nil {
			if _, err := binance.DecodeAccount(balances); err != nil {
				return fmt.Errorf("-balances: %w", err)
			}
		}
		modes := map[string]account.Mode{}
		for i := range o {
			modes[o[i].Symbol] = mode
		}
		a, cs, err = binance.Assemble(ctx, &binance.Payloads{Symbols: instruments, Positions: positions, Brackets: limits, Account: balances}, &binance.Options{Mode: modes})
		if err != nil {
			return err
		}
	case "bybit":
		name = "Bybit"
		if set["funding"] {
			return fmt.Errorf("-funding: not used with -venue bybit")
		}
		limits, err := f.read("limits", c.limits, true)
		if err != nil {
			return err
		}
		o, fl, err := bybit.DecodePositions(positions)
		if err != nil {
			return fmt.Errorf("-positions: %w", err)
		}
		open, flat = len(o), fl
		if _, err := bybit.DecodeInstruments(instruments); err != nil {
			return fmt.Errorf("-instruments: %w", err)
		}
		if _, err := bybit.DecodeRiskLimits(limits); err != nil {
			return fmt.Errorf("-limits: %w", err)
		}
		if balances != nil {
			if _, err := bybit.DecodeWalletBalance(balances); err != nil {
				return fmt.Errorf("-balances: %w", err)
			}
		}
		takers := map[string]*apd.Decimal{}
		if set["taker"] {
			t, err := decfmt.Parse("taker", c.taker)
			if err != nil {
				return err
			}
			if err := derivmath.CheckFeeRate(t); err != nil || t.Negative {
				return fmt.Errorf("-taker %s: want a fee rate in [0, 1)", c.taker)
			}
			for i := range o {
				takers[o[i].Symbol] = t
			}
		}
		a, cs, err = bybit.Assemble(ctx, &bybit.Payloads{Instruments: instruments, Positions: positions, RiskLimits: limits, Wallet: balances}, &bybit.Options{Mode: mode, Taker: takers})
		if err != nil {
			return err
		}
	default:
		return fmt.Errorf("-venue %q: want bitmex, binance or bybit", c.venue)
	}
	return printAccount(p, a, cs, name, open, len(flat), round)
}

// modeFlag parses -mode.
func modeFlag(s string, set map[string]bool) (account.Mode, error) {
	if !set["mode"] {
		return 0, nil
	}
	switch strings.ToLower(s) {
	case "isolated":
		return account.Isolated, nil
	case "cross":
		return account.Cross, nil
	}
	return 0, fmt.Errorf("-mode %q: want isolated or cross", s)
}

// symbolRates parses SYMBOL=RATE[,SYMBOL=RATE...] of the flag -name.
func symbolRates(name, s string) (map[string]*apd.Decimal, error) {
	m := map[string]*apd.Decimal{}
	if s == "" {
		return m, nil
	}
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("-%s %q: want SYMBOL=RATE[,SYMBOL=RATE...]", name, s)
		}
		r, err := decfmt.Parse(name, v)
		if err != nil {
			return nil, err
		}
		if r.Negative || derivmath.CheckRate(r) != nil {
			return nil, fmt.Errorf("-%s %s=%s: want a rate in [0, 1)", name, k, v)
		}
		m[k] = r
	}
	return m, nil
}

// printAccount prints the account's currencies, every position, and the
// exchange's numbers beside derivmath's.
func printAccount(p *printer, a *account.Account, cs []venue.Comparison, name string, open, flat int, r liquidation.Rounding) error {
	p.printf("%s account: %d open position%s", name, open, plural(open))
	if flat > 0 {
		p.printf(", %d flat or closed row%s skipped", flat, plural(flat))
	}
	p.printf("\n")
	var curs []string
	seen := map[string]bool{}
	for i := range a.Len() {
		if cur := a.Position(i).Spec.Settle; !seen[cur] {
			seen[cur] = true
			curs = append(curs, cur)
		}
	}
	for _, cur := range curs {
		var s account.Summary
		if err := a.Summary(&s, cur); err != nil {
			return err
		}
		p.printf("%-9s wallet %s, equity %s, maintenance %s, initial %s, available %s", cur,
			amount(&s.Wallet), amount(&s.Equity), amount(&s.Maintenance), amount(&s.Initial), amount(&s.Available))
		switch {
		case s.Liquidatable:
			p.printf(", LIQUIDATABLE now\n")
		case s.Ratio.IsZero():
			p.printf(", not liquidatable\n")
		default:
			p.printf(", margin ratio %s%%\n", round(decfmt.Scaled(&s.Ratio, 2), 4))
		}
	}
	for i := range a.Len() {
		pos := a.Position(i)
		var rep account.Report
		if err := a.Report(&rep, i, r); err != nil {
			return err
		}
		var mark apd.Decimal
		a.Mark(&mark, pos.Spec)
		side := ""
		if pos.Side != account.OneWay {
			side = " (hedge " + strings.ToLower(pos.Side.String()) + " leg)"
		}
		p.printf("%-9s %s%s, %s @ %s, mark %s\n", pos.Spec.Symbol, strings.ToLower(pos.Mode.String()), side,
			describe(&pos.Qty), decfmt.Grouped(&pos.Entry, -1), decfmt.Grouped(&mark, -1))
		p.printf("%-9s liquidation %s, bankruptcy %s\n", pos.Spec.Symbol, solved(pos.Spec, rep.LiquidationStatus, &rep.Liquidation, r), solved(pos.Spec, rep.BankruptcyStatus, &rep.Bankruptcy, r))
		p.printf("%-9s maintenance %s, initial %s, fee reserve %s, unrealised %s %s\n", pos.Spec.Symbol,
			amount(&rep.Maintenance), amount(&rep.Initial), amount(&rep.Fee), amount(&rep.Unrealised), pos.Spec.Settle)
		if rep.LiquidationStatus == liquidation.Found {
			p.printf("%-9s mark %s from the liquidation price (%s%%)%s\n", pos.Spec.Symbol, amount(&rep.Distance),
				round(decfmt.Scaled(&rep.DistancePct, 2), 2), map[bool]string{true: ", LIQUIDATABLE now", false: ""}[rep.Liquidatable])
		}
	}
	if len(cs) > 0 {
		p.printf("the exchange's numbers beside derivmath's:\n")
		agree := 0
		for i := range cs {
			if cs[i].Agree {
				agree++
			}
			p.printf("  %s\n", cs[i].String())
		}
		p.printf("%d of %d agree\n", agree, len(cs))
	}
	return nil
}

// solved formats a solved price: truncated to 8 decimals when unrounded
// (Binance, as it reports prices), else as rounded to the tick; "none"
// unless Found.
func solved(s *contract.Spec, st liquidation.Status, x *apd.Decimal, r liquidation.Rounding) string {
	switch st {
	case liquidation.Never:
		return "none"
	case liquidation.Always:
		return "reached at every price"
	}
	if r == liquidation.Exact {
		return binance8(x)
	}
	return decfmt.Grouped(x, -1)
}

// amount formats an amount to at most 8 decimals, without trailing zeros.
func amount(x *apd.Decimal) string {
	q := decfmt.Quantize(x, 8)
	q.Reduce(q)
	return decfmt.Grouped(q, -1)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
