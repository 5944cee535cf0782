package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/engine"
	"github.com/derivmath/derivmath/examples/internal/decfmt"
	"github.com/derivmath/derivmath/liquidation"
)

// usd formats an amount of USDT with thousands separators and cents.
func usd(x *apd.Decimal) string { return decfmt.Grouped(x, 2) }

// signed formats an amount with its sign.
func signed(x *apd.Decimal) string { return decfmt.Signed(usd(x)) }

// px formats a price: to the cent, with separators.
func px(x *apd.Decimal) string { return decfmt.Grouped(x, 2) }

// btc formats a quantity in BTC, to the lot.
func btc(x *apd.Decimal) string { return decfmt.Fixed(x, 3) }

// pct formats a rate as a percentage without trailing zeros.
func pct(x *apd.Decimal) string { return decfmt.Reduced(decfmt.Scaled(x, 2)) + "%" }

// tierName names risk tier k (0-based) of n.
func tierName(k, n int) string {
	if k < 0 {
		return "no risk tier"
	}
	return fmt.Sprintf("risk tier %d of %d", k+1, n)
}

// report writes the page: the set-up, the 100x long's story, the ticks and
// the summary.
func (s *sim) report(out *strings.Builder, venue string) error {
	f := func(format string, args ...any) { fmt.Fprintf(out, format, args...) }
	p := s.preset
	f("A crash replayed under %s rules (-venue %s, -seed %d)\n\n", p.Name, venue, s.seed)
	f("  contract   %s: linear, %s BTC a contract, tick %s, lot %s, settled in %s\n",
		s.spec.Symbol, decfmt.Reduced(&s.spec.Multiplier), decfmt.Reduced(&s.spec.Tick), decfmt.Reduced(&s.spec.Lot), s.spec.Settle)
	f("  accounts   %d: the street (a market maker), the 100x long, its short, 3 whales, and pairs of\n", s.st.Len())
	f("             a long and a short at the same size and entry, at 1x to 75x (drawn from the seed)\n")
	f("  the crash  mark %s -> %s at tick %d -> %s over %d ticks; the street's bids thin from\n",
		grouped(at(markPath, 0, spacing)), grouped(bottom()), bottomTick(), grouped(at(markPath, ticks()-1, spacing)), ticks())
	f("             %s to %s BTC at the mark, %s to %s at each level behind it, as the price falls\n",
		btcInt(at(touchPath, 0, 1)), btcInt(minOf(touchPath)), btcInt(at(depthPath, 0, 1)), btcInt(minOf(depthPath)))
	f("  fund       the insurance fund opens with %s %s (0.5%% of the open interest's value)\n", usd(&s.fund0), s.spec.Settle)
	if s.bitmexRate != 0 && len(p.RiskLimits) >= 2 {
		f("  risk tiers BitMEX's risk limits are in XBT (100 XBT, then steps of 50); here they are\n")
		f("             converted to USDT at %s: %s, %s, ...\n", grouped(s.bitmexRate),
			grouped(toInt(&p.RiskLimits[0].Limit)), grouped(toInt(&p.RiskLimits[1].Limit)))
	}

	h := &s.heroStart
	n := len(p.RiskLimits)
	f("\nThe 100x long (trader %d)\n\n", s.hero)
	f("  position     long %s BTC at %s, isolated margin %s (100x: 1%% of %s)\n",
		btc(&h.qty), px(&h.entry), usd(&h.margin), usd(mul(&h.qty, &h.entry)))
	basis := "the value at the mark"
	if p.Convention != liquidation.Binance {
		basis = "the value at entry"
	}
	less := ""
	if !h.cum.IsZero() { // Binance's cum: the tier's maintenance amount
		less = ", less " + usd(&h.cum)
	}
	f("  maintenance  %s of %s%s (%s)\n", pct(&h.mmr), basis, less, tierName(h.tier, n))
	f("  open orders  %s\n", ordersText(h.orders))
	switch {
	case p.Convention == liquidation.Binance && !h.cum.IsZero():
		f("  liquidation  %s: margin + Q(P - EP) = MMR*Q*P - cum,\n", px(&h.liq))
		f("               so P = (Q*EP - margin - cum)/(Q*(1 - MMR))\n")
	case p.Convention == liquidation.Binance:
		f("  liquidation  %s: margin + Q(P - EP) = MMR*Q*P, so P = (Q*EP - margin)/(Q*(1 - MMR))\n", px(&h.liq))
	default:
		f("  liquidation  %s: margin + Q(P - EP) = MMR*Q*EP, so P = EP - (margin - MMR*Q*EP)/Q\n", px(&h.liq))
	}
	f("  bankruptcy   %s: margin + Q(P - EP) = 0, so P = EP - margin/Q%s\n", px(&h.bankrupt), roundingNote(p))
	f("               the long is %s from liquidation and %s from bankruptcy\n",
		pctOf(&h.liq, &h.entry), pctOf(&h.bankrupt, &h.entry))

	for k := range s.story {
		if err := s.chapterText(out, &s.story[k]); err != nil {
			return err
		}
	}
	if len(s.story) == 0 {
		f("\n  the crash never reached its liquidation price\n")
	}
	s.tickTable(out)
	return s.summary(out)
}

// chapterText tells one tick of the 100x long's liquidation.
func (s *sim) chapterText(out *strings.Builder, ch *chapter) error {
	f := func(format string, args ...any) { fmt.Fprintf(out, format, args...) }
	p := s.preset
	n := len(p.RiskLimits)
	if ch.hits == 1 {
		f("\ntick %d, mark %s: the mark-tick index returns 1 account whose key the mark reached:\n", ch.tick, px(&ch.mark))
		f("  the 100x long. The driver runs %s's sequence on it:\n", p.Venue)
	} else {
		f("\ntick %d, mark %s: the mark-tick index returns %d accounts whose key the mark reached;\n", ch.tick, px(&ch.mark), ch.hits)
		f("  the 100x long is one. The driver runs %s's sequence on it:\n", p.Venue)
	}
	var fills []*engine.Event
	var fees apd.Decimal
	var fundFills apd.Decimal // the fund's inventory sold: its net gain against the bankruptcy price
	fundN, fundBelow := 0, 0  // the fund's fills, and those below the bankruptcy price
	flush := func() {
		if len(fills) == 0 {
			return
		}
		var q, v apd.Decimal
		for _, e := range fills {
			_, _ = s.ctx.Add(&q, &q, absOf(&e.Qty))
			_, _ = s.ctx.Add(&v, &v, &e.Amount)
		}
		var avg apd.Decimal
		_, _ = s.ctx.Quo(&avg, &v, &q)
		f("               the book fills %s BTC at an average %s (%d %s, %s to %s)\n", btc(&q), px(&avg),
			len(fills), plural(len(fills), "level", "levels"), px(&fills[0].Price), px(&fills[len(fills)-1].Price))
		if !fees.IsZero() {
			// The nominal fee: ClearanceFee of each fill's value, rounded
			// up to the cent; the engine charges it only out of the margin
			// left above the bankruptcy price.
			var nominal apd.Decimal
			for _, e := range fills {
				var fee apd.Decimal
				_ = s.st.Spec().Value(s.ctx, &fee, absOf(&e.Qty), &e.Price)
				_, _ = s.ctx.Mul(&fee, &fee, &s.preset.ClearanceFee)
				_ = derivmath.Round(s.ctx, &fee, &fee, &s.st.Spec().Minor, derivmath.Ceiling)
				_, _ = s.ctx.Add(&nominal, &nominal, &fee)
			}
			if fees.Cmp(&nominal) < 0 {
				f("  S6 fund       clearance fee, %s of the fills' value (%s), capped at the margin left\n", pct(&s.preset.ClearanceFee), usd(&nominal))
				f("               above the bankruptcy price, to the fund: %s\n", signed(&fees))
			} else {
				f("  S6 fund       clearance fee, %s of the fills' value, to the fund: %s\n", pct(&s.preset.ClearanceFee), signed(&fees))
			}
			fees.SetInt64(0)
		}
		fills = fills[:0]
	}
	triggered, restored := false, false
	var cancelled []string
	var released apd.Decimal
	var adl []*engine.Event
	var social apd.Decimal
	socialN := 0
	partial := hasKind(ch.events, engine.TierLowered) || hasIntent(ch.events, engine.StepPartial)
	takeover, pastCancel := false, false
	for k := range ch.events {
		e := &ch.events[k]
		if e.Step > engine.StepCancel && !pastCancel {
			// S3 comes before S4 (a partial close may precede the
			// takeover): say here that the venue skipped it.
			pastCancel = true
			if p.Cancel == engine.CancelNone {
				f("  S3 cancel     none: %s leaves open orders alone\n", p.Venue)
			}
		}
		if e.Step == engine.StepTakeover && !takeover {
			takeover = true
			s.noSteps(out, ch, partial)
		}
		isFill := e.Kind == engine.Trade && e.Why == engine.Liquidation && e.Counterparty == s.street
		isFee := e.Kind == engine.Move && e.Why == engine.ClearanceFee
		realised := e.Kind == engine.Move && e.Why == engine.Realised
		if !isFill && !isFee && !realised {
			flush()
		}
		switch {
		case e.Kind == engine.Triggered && e.Trader == s.hero && !triggered:
			triggered = true
			rel := "<="
			if p.Trigger == engine.Strict {
				rel = "<"
			}
			f("  S2 trigger    equity %s %s maintenance %s at the mark: liquidatable\n", usd(&ch.equity), rel, usd(decfmt.Quantize(&ch.maint, 2)))
		case e.Kind == engine.Cancelled && e.Step == engine.StepCancel:
			var q apd.Decimal
			q.Abs(&e.Qty)
			side := "buy"
			if e.Qty.Negative {
				side = "sell"
			}
			cancelled = append(cancelled, side+" "+btc(&q)+" at "+px(&e.Price))
			_, _ = s.ctx.Add(&released, &released, &e.Amount)
			if k+1 == len(ch.events) || ch.events[k+1].Kind != engine.Cancelled {
				f("  S3 cancel     %s (%s of order margin released)\n", strings.Join(cancelled, "; "), usd(&released))
			}
		case e.Kind == engine.TierLowered:
			f("  S4 step-down  the risk limit drops to %s: maintenance %s\n", tierName(int(toInt(&e.Qty)), n), pct(&e.Amount))
		case e.Kind == engine.Intended:
			f("  %s %s\n", stepLabel(e.Step, p.Partial), s.intentText(e, ch))
		case e.Kind == engine.Trade && e.Step == engine.StepTakeover && e.Trader == engine.Fund && e.Counterparty == s.hero:
			f("  S5 takeover   the insurance fund takes the %s BTC over at the bankruptcy price %s\n", btc(&e.Qty), px(&e.Price))
		case isFill:
			fills = append(fills, e)
			if e.Trader == engine.Fund {
				// The fund sold inventory bought at the bankruptcy price.
				var g apd.Decimal
				_, _ = s.ctx.Sub(&g, &e.Price, &ch.bankrupt)
				_, _ = s.ctx.Mul(&g, &g, absOf(&e.Qty))
				_, _ = s.ctx.Add(&fundFills, &fundFills, &g)
				fundN++
				if g.Negative {
					fundBelow++
				}
			}
		case isFee:
			_, _ = s.ctx.Add(&fees, &fees, &e.Amount)
		case e.Kind == engine.Move && e.Why == engine.Realised:
			// The realised PnL moves between ledgers; nothing to tell.
		case e.Kind == engine.Move:
			f("  S6 fund       %s\n", s.moveText(e))
		case e.Kind == engine.Closed:
			if !e.Qty.IsZero() {
				f("               %s BTC unfilled: the order closes\n", btc(&e.Qty))
			}
		case e.Kind == engine.Restored:
			restored = true
			f("               restored: the rest of the position meets its maintenance again\n")
		case e.Kind == engine.Trade && e.Step == engine.StepADL:
			adl = append(adl, e)
		case e.Kind == engine.Move && e.Why == engine.Socialised:
			socialN++
			_, _ = s.ctx.Add(&social, &social, &e.Amount)
		}
	}
	flush()
	if !fundFills.IsZero() {
		// A net figure: a fill below the bankruptcy price is a loss.
		f("  S6 fund       the fund's sales less their cost at the bankruptcy price: %s\n", signed(decfmt.Quantize(&fundFills, 2)))
		if fundBelow > 0 {
			f("               (%d of its %d fills were below that price, at a loss)\n", fundBelow, fundN)
		}
	}
	if takeover && p.Takeover == engine.AccountCloses && p.ClearanceFee.IsZero() && p.OrderPrice != engine.AtFillable {
		f("  S6 fund       no clearance fee: the long keeps what is left of its margin, %s\n", usd(&s.st.Trader(s.hero).Margin))
	}
	if len(adl) > 0 {
		s.adlText(out, ch, adl)
	} else if !restored {
		f("  S7 ADL        none: the book took the whole position\n")
	}
	if socialN > 0 {
		f("  S8 socialise  %d traders pay %s to cover the fund's deficit\n", socialN, usd(&social))
	} else if !restored {
		f("  S8 socialise  none: the fund is not negative\n")
	}
	var d apd.Decimal
	_, _ = s.ctx.Sub(&d, &ch.fund1, &ch.fund0)
	f("  fund          %s -> %s (%s)\n", usd(&ch.fund0), usd(&ch.fund1), signed(&d))
	return nil
}

// noSteps says why the venue skipped S4 for the 100x long.
func (s *sim) noSteps(out *strings.Builder, ch *chapter, partial bool) {
	p := s.preset
	if partial {
		return
	}
	switch {
	case p.Partial == engine.PartialNone:
		fmt.Fprintf(out, "  S4 partial    none: %s has no partial liquidation\n", p.Venue)
	case p.Partial == engine.StepDown && ch.tierBefore <= 0:
		fmt.Fprintf(out, "  S4 step-down  none: the long is in the lowest risk tier, where 100x is allowed\n")
	case p.Partial == engine.StepDown:
		if p.ClearanceFee.IsZero() {
			fmt.Fprintf(out, "  S4 step-down  none: no lower tier leaves the long above its maintenance\n")
		} else {
			fmt.Fprintf(out, "  S4 step-down  none: after the fill's loss and %s clearance fee, no lower tier leaves\n", pct(&p.ClearanceFee))
			fmt.Fprintf(out, "               the long above its maintenance\n")
		}
	case p.Partial == engine.TierReduce:
		fmt.Fprintf(out, "  S4 partial    none: %s closes in part only from risk tier 3 up\n", p.Venue)
	default:
		fmt.Fprintf(out, "  S4 partial    none: the position is below the venue's partial size\n")
	}
}

func hasKind(ev []engine.Event, k engine.Kind) bool {
	for i := range ev {
		if ev[i].Kind == k {
			return true
		}
	}
	return false
}

func hasIntent(ev []engine.Event, step engine.Step) bool {
	for i := range ev {
		if ev[i].Kind == engine.Intended && ev[i].Step == step {
			return true
		}
	}
	return false
}

// stepLabel names step st on the page: S4 is a step-down under the
// StepDown rule, which lowers the risk limit first, and a partial
// liquidation under every other rule.
func stepLabel(st engine.Step, partial engine.Partial) string {
	switch st {
	case engine.StepPartial:
		if partial == engine.StepDown {
			return "S4 step-down "
		}
		return "S4 partial   "
	case engine.StepTakeover:
		return "S5 takeover  "
	}
	return fmt.Sprintf("%-13s", st.String())
}

// intentText describes an order intent of the sequence.
func (s *sim) intentText(e *engine.Event, ch *chapter) string {
	in := "its own"
	if e.Trader == engine.Fund {
		in = "the fund's"
	}
	var q apd.Decimal
	q.Abs(&e.Qty)
	side := "buy"
	if e.Qty.Negative {
		side = "sell"
	}
	tif := "IOC"
	switch s.preset.TIF {
	case engine.GTC:
		tif = "GTC"
	case engine.FOK:
		tif = "FOK"
	}
	if e.Step == engine.StepPartial {
		tif = "reduce-only"
		if s.preset.Partial == engine.StepDown {
			tif = "FOK"
		}
	}
	limit := "at market"
	if !e.Price.IsZero() {
		limit = "limit " + px(&e.Price)
		if e.Step == engine.StepTakeover && s.preset.OrderPrice == engine.AtBankruptcy {
			limit += ", the bankruptcy price"
		}
		if e.Step == engine.StepPartial && s.preset.Partial == engine.StepDown {
			limit += ", the mark"
		}
	}
	return fmt.Sprintf("%s %s %s %s BTC, %s", in, tif, side, btc(&q), limit)
}

// moveText describes a movement to or from the insurance fund.
func (s *sim) moveText(e *engine.Event) string {
	switch e.Why {
	case engine.Surplus:
		return fmt.Sprintf("what is left of the margin goes to the fund: %s", signed(&e.Amount))
	case engine.Cover:
		var a apd.Decimal
		a.Neg(&e.Amount)
		return fmt.Sprintf("the fund pays the account's deficit: %s", signed(&a))
	case engine.ClearanceFee:
		return fmt.Sprintf("clearance fee, %s of the fill's value at most (only out of the margin above bankruptcy), to the fund: %s", pct(&s.preset.ClearanceFee), signed(&e.Amount))
	case engine.FundShare:
		return fmt.Sprintf("the fund's share against the bankruptcy quote: %s", signed(&e.Amount))
	case engine.Leftover:
		return fmt.Sprintf("the fund's share of what is left: %s", signed(&e.Amount))
	}
	return fmt.Sprintf("%s %s -> %s %s", e.Why, e.From, e.To, usd(&e.Amount))
}

// adlText lists the ADL trades of the 100x long's remainder with the
// winners' ranking.
func (s *sim) adlText(out *strings.Builder, ch *chapter, adl []*engine.Event) {
	f := func(format string, args ...any) { fmt.Fprintf(out, format, args...) }
	p := s.preset
	var total apd.Decimal
	for _, e := range adl {
		_, _ = s.ctx.Add(&total, &total, absOf(&e.Qty))
	}
	who := "the long's"
	if adl[0].Trader == engine.Fund {
		who = "the fund's"
	}
	price := "its bankruptcy price"
	if p.ADLPrice == engine.ADLMark {
		price = "the mark"
	}
	f("  S7 ADL        the book had no more bids down to the limit: %s %s BTC left are closed\n", who, btc(&total))
	f("               against the winners, the shorts, at %s %s,\n", price, px(&adl[0].Price))
	f("               ranked by %s:\n", rankingText(p.ADL))
	f("                 rank  trader   position    uPnL at mark      score   closes\n")
	ranking := ch.ranking
	if p.ADL == engine.RankCyclic {
		// The cycle runs in index order from an offset drawn from the
		// seed; the chapter's queue, taken with the driver's seed before
		// the steps, starts there unless the candidates changed since:
		// the page starts at the first trader the ADL closed, rank 1,
		// and wraps around.
		for k := range ranking {
			if ranking[k].idx == adl[0].Counterparty {
				ranking = append(slices.Clone(ranking[k:]), ranking[:k]...)
				break
			}
		}
	}
	rank := map[int]int{}
	for k := range ranking {
		rank[ranking[k].idx] = k
	}
	for _, e := range adl {
		k, ok := rank[e.Counterparty]
		if !ok {
			continue
		}
		c := &ranking[k]
		score := "-"
		if p.ADL != engine.RankCyclic && p.ADL != engine.RankIndex {
			score = decfmt.Fixed(&c.score, 6)
			if c.unbounded {
				score = "unbounded"
			}
		}
		f("               %6d  %6d  %9s  %14s  %9s   %s\n", k+1, c.idx, btc(&c.qty), signed(decfmt.Quantize(&c.upnl, 2)), score, btc(absOf(&e.Qty)))
	}
	if len(ch.ranking) > len(adl) {
		f("               (%d more shorts ranked below them keep their positions)\n", len(ch.ranking)-len(adl))
	}
}

func rankingText(r engine.Ranking) string {
	switch r {
	case engine.RankBitMEX:
		return "PnL% x effective leverage"
	case engine.RankBinance:
		return "uPnL/wallet x margin ratio"
	case engine.RankHyperliquid:
		return "(mark/entry) x (notional/account value)"
	case engine.RankOKX:
		return "ROI / margin ratio"
	case engine.RankCyclic:
		return "cyclic order from a seeded offset"
	}
	return "account order"
}

// tickTable prints each tick where the index returned an account.
func (s *sim) tickTable(out *strings.Builder) {
	f := func(format string, args ...any) { fmt.Fprintf(out, format, args...) }
	f("\nTick by tick (ticks where the index returned accounts)\n\n")
	f("  tick       mark   index  liquidated     ADL BTC          fund\n")
	for t := range s.tickLog {
		r := &s.tickLog[t]
		if r.hits == 0 {
			continue
		}
		f("  %4d  %9s  %6d  %10d  %10s  %12s\n", t, grouped(toInt(&r.mark)), r.hits, r.liquid, btc(&r.adlQty), usd(&r.fund))
	}
}

// summary prints the totals and the conservation check.
func (s *sim) summary(out *strings.Builder) error {
	f := func(format string, args ...any) { fmt.Fprintf(out, format, args...) }
	st := &s.stats
	var fund1 apd.Decimal
	s.st.FundBalance(&fund1)
	f("\nThe whole crash\n\n")
	if st.hits == st.confirmed {
		f("  index         returned %d accounts over %d ticks, every one liquidatable: keys fire\n", st.hits, ticks())
		f("                at most one tick early, never late, so nothing was missed\n")
	} else {
		f("  index         returned %d accounts over %d ticks; %d were liquidatable, the rest\n", st.hits, ticks(), st.confirmed)
		f("                re-keyed (a key fires at most one tick early, never late)\n")
	}
	f("  liquidated    %d times (%d longs, %d shorts); %d step-downs restored an account\n", st.liquidated, st.longs, st.shorts, st.restored)
	f("  the book      took %s BTC of liquidation orders\n", btc(&st.bookQty))
	f("  ADL           closed %s BTC in %d trades against %d winners\n", btc(&st.adlQty), st.adlTrades, len(st.adlWinners))
	f("  fund          %s at the start, lowest %s (tick %d), %s at the end\n", usd(&s.fund0), usd(&st.fundMin), st.fundMinTick, usd(&fund1))
	if !st.socialised.IsZero() {
		f("  socialised    %s charged to the winners to cover the fund\n", usd(&st.socialised))
	}
	var net apd.Decimal
	if err := s.st.NetQty(&net); err != nil {
		return err
	}
	eq := "equal to the cent"
	if s.total0.Cmp(&s.total1) != 0 {
		eq = "NOT EQUAL"
	}
	f("  conservation  wallets + margins - position costs + fund + fees, in %s:\n", s.spec.Settle)
	f("                %s before, %s after: %s; net quantity %s\n", usd(&s.total0), usd(&s.total1), eq, btc(&net))
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func roundingNote(p *engine.Preset) string {
	if p.PriceRounding == liquidation.TowardEntry {
		return ", rounded up to the tick"
	}
	return ""
}

func ordersText(os []engine.Order) string {
	parts := make([]string, len(os))
	for k := range os {
		o := &os[k]
		side := "buy"
		if o.Qty.Negative {
			side = "sell"
		}
		t := side + " " + btc(absOf(&o.Qty)) + " at " + px(&o.Price)
		if !o.Margin.IsZero() {
			t += " (order margin " + usd(&o.Margin) + ")"
		}
		parts[k] = t
	}
	return strings.Join(parts, ", ")
}

func absOf(x *apd.Decimal) *apd.Decimal { return new(apd.Decimal).Abs(x) }

func mul(x, y *apd.Decimal) *apd.Decimal {
	var z apd.Decimal
	_, _ = apd.BaseContext.WithPrecision(50).Mul(&z, x, y)
	return &z
}

// pctOf formats 1 - p/entry as a percentage to 2 places.
func pctOf(p, entry *apd.Decimal) string {
	ctx := apd.BaseContext.WithPrecision(50)
	var r apd.Decimal
	_, _ = ctx.Quo(&r, p, entry)
	_, _ = ctx.Sub(&r, apd.New(1, 0), &r)
	return decfmt.Percent(&r, 2) + "%"
}

func toInt(x *apd.Decimal) int64 {
	i, err := x.Int64()
	if err != nil {
		return 0
	}
	return i
}

func grouped(v int64) string { return decfmt.Grouped(apd.New(v, 0), -1) }

func btcInt(lots int64) string { return decfmt.Reduced(apd.New(lots, -3)) }

func bottom() int64 {
	b := at(markPath, 0, spacing)
	for t := range ticks() {
		b = min(b, at(markPath, t, spacing))
	}
	return b
}

func bottomTick() int {
	b, bt := at(markPath, 0, spacing), 0
	for t := range ticks() {
		if v := at(markPath, t, spacing); v < b {
			b, bt = v, t
		}
	}
	return bt
}

func minOf(path []waypoint) int64 {
	d := at(path, 0, 1)
	for t := range ticks() {
		d = min(d, at(path, t, 1))
	}
	return d
}
