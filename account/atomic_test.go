package account_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/margin"
	"pgregory.net/rapid"
)

// norm renders x by value (100 and 100.00 alike).
func norm(x *apd.Decimal) string {
	var y apd.Decimal
	y.Reduce(x)
	return y.String()
}

var (
	currencies = []string{"USDT", "BTC", "ETH"}
	sides      = []account.Side{account.OneWay, account.Long, account.Short}
	roundings  = []liquidation.Rounding{liquidation.Exact, liquidation.TowardEntry, liquidation.Nearest}
)

// whole renders everything an Account shows through its exported
// queries: convention, counts, the liquidatable flag, each contract's
// mark and positions by side, each currency's wallet and Summary (or its
// error), and each position's description and Report at every rounding
// (or its error).
func whole(a *account.Account, specs []*contract.Spec) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v len %d orders %d liquidatable %v\n", a.Convention(), a.Len(), a.Orders(), a.Liquidatable())
	for _, s := range specs {
		var m apd.Decimal
		ok := a.Mark(&m, s)
		fmt.Fprintf(&b, "%s mark %v %s find", s.Symbol, ok, norm(&m))
		for _, side := range sides {
			fmt.Fprintf(&b, " %d", a.Find(s, side))
		}
		b.WriteString("\n")
	}
	for _, cur := range currencies {
		var w apd.Decimal
		a.Wallet(&w, cur)
		fmt.Fprintf(&b, "%s wallet %s: ", cur, norm(&w))
		var z account.Summary
		if err := a.Summary(&z, cur); err != nil {
			fmt.Fprintf(&b, "%v\n", err)
			continue
		}
		fmt.Fprintf(&b, "%s %s %s %s %s %s %s %s %s %v\n", z.Currency, norm(&z.Wallet), norm(&z.Unrealised), norm(&z.Equity),
			norm(&z.Initial), norm(&z.Orders), norm(&z.Maintenance), norm(&z.Ratio), norm(&z.Available), z.Liquidatable)
	}
	for i := range a.Len() {
		p := a.Position(i)
		fmt.Fprintf(&b, "position %d %s %v %v %p qty %s entry %s lev %s margin %s cost %s fee %s mmr %s cum %s funding %s\n",
			i, p.Spec.Symbol, p.Side, p.Mode, p.Tiers, norm(&p.Qty), norm(&p.Entry), norm(&p.Leverage), norm(&p.Margin),
			norm(&p.Cost), norm(&p.Fee), norm(&p.MMR), norm(&p.Cum), norm(&p.Funding))
		for _, r := range roundings {
			var z account.Report
			if err := a.Report(&z, i, r); err != nil {
				fmt.Fprintf(&b, "  %v: %v\n", r, err)
				continue
			}
			fmt.Fprintf(&b, "  %v: %s %s %s %s %s %s %s %v %v %s %s %v\n", r, norm(&z.Value), norm(&z.Unrealised),
				norm(&z.Initial), norm(&z.Maintenance), norm(&z.Fee), norm(&z.Liquidation), norm(&z.Bankruptcy),
				z.LiquidationStatus, z.BankruptcyStatus, norm(&z.Distance), norm(&z.DistancePct), z.Liquidatable)
		}
	}
	return b.String()
}

// fillSummary fills z with values no Summary writes (-42.5 in every
// amount, with the representation kept: -42.50 and a trailing zero) and
// returns summaryText of it.
func fillSummary(z *account.Summary) string {
	z.Currency = "none"
	for i, x := range []*apd.Decimal{&z.Wallet, &z.Unrealised, &z.Equity, &z.Initial, &z.Orders, &z.Maintenance, &z.Ratio, &z.Available} {
		x.SetFinite(-4250-int64(i), -2)
	}
	z.Liquidatable = true
	return summaryText(z)
}

// summaryText renders every field of z, each amount to the
// representation (apd's String keeps the exponent and the sign of a zero).
func summaryText(z *account.Summary) string {
	return fmt.Sprintf("%s %s %s %s %s %s %s %s %s %v", z.Currency, z.Wallet.String(), z.Unrealised.String(), z.Equity.String(),
		z.Initial.String(), z.Orders.String(), z.Maintenance.String(), z.Ratio.String(), z.Available.String(), z.Liquidatable)
}

// fillReport fills z as fillSummary fills a Summary, with statuses no
// solve returns, and returns reportText of it.
func fillReport(z *account.Report) string {
	for i, x := range []*apd.Decimal{&z.Value, &z.Unrealised, &z.Initial, &z.Maintenance, &z.Fee, &z.Liquidation, &z.Bankruptcy, &z.Distance, &z.DistancePct} {
		x.SetFinite(-4250-int64(i), -2)
	}
	z.LiquidationStatus, z.BankruptcyStatus = 97, 98
	z.Liquidatable = true
	return reportText(z)
}

// reportText renders every field of z, as summaryText.
func reportText(z *account.Report) string {
	return fmt.Sprintf("%s %s %s %s %s %s %s %v %v %s %s %v", z.Value.String(), z.Unrealised.String(), z.Initial.String(),
		z.Maintenance.String(), z.Fee.String(), z.Liquidation.String(), z.Bankruptcy.String(), z.LiquidationStatus,
		z.BankruptcyStatus, z.Distance.String(), z.DistancePct.String(), z.Liquidatable)
}

// checkOutputs fails t unless every amount a reports is a valid input:
// each Summary and Report amount passes derivmath.CheckDecimal, and each
// price Report finds passes derivmath.CheckPrice; and unless a Summary or
// Report that fails (an index or rounding out of range among them) leaves
// its result as it was.
func checkOutputs(t *rapid.T, a *account.Account) {
	for _, cur := range currencies {
		var z account.Summary
		filled := fillSummary(&z)
		if err := a.Summary(&z, cur); err != nil {
			if got := summaryText(&z); got != filled {
				t.Fatalf("Summary(%s) failed (%v) and changed its result: %s, was %s", cur, err, got, filled)
			}
			continue
		}
		for _, x := range []*apd.Decimal{&z.Wallet, &z.Unrealised, &z.Equity, &z.Initial, &z.Orders, &z.Maintenance, &z.Ratio, &z.Available} {
			if err := derivmath.CheckDecimal(x); err != nil {
				t.Fatalf("Summary(%s) wrote %s: %v", cur, x.String(), err)
			}
		}
	}
	for i := range a.Len() + 1 {
		for _, r := range append(roundings[:len(roundings):len(roundings)], liquidation.Rounding(9)) {
			var z account.Report
			filled := fillReport(&z)
			if err := a.Report(&z, i, r); err != nil {
				if got := reportText(&z); got != filled {
					t.Fatalf("Report(%d, %v) failed (%v) and changed its result: %s, was %s", i, r, err, got, filled)
				}
				continue
			}
			for _, x := range []*apd.Decimal{&z.Value, &z.Unrealised, &z.Initial, &z.Maintenance, &z.Fee, &z.Distance, &z.DistancePct} {
				if err := derivmath.CheckDecimal(x); err != nil {
					t.Fatalf("Report(%d, %v) wrote %s: %v", i, r, x.String(), err)
				}
			}
			for _, x := range []struct {
				st liquidation.Status
				p  *apd.Decimal
			}{{z.LiquidationStatus, &z.Liquidation}, {z.BankruptcyStatus, &z.Bankruptcy}} {
				if err := derivmath.CheckPrice(x.p); x.st == liquidation.Found && err != nil {
					t.Fatalf("Report(%d, %v) found the price %s: %v", i, r, x.p.String(), err)
				}
			}
		}
	}
}

// orHostile returns x, or about one time in three a hostile decimal: one
// of dectest's, or a valid input so large, 9E+118 (exponent
// derivmath.MaxScale), that a sum of two is beyond the result range.
func orHostile(t *rapid.T, x *apd.Decimal, label string) *apd.Decimal {
	switch rapid.IntRange(0, 11).Draw(t, label+" hostile?") {
	case 0, 1, 2:
		return dectest.HostileDecimal(t, label)
	case 3:
		return apd.New(rapid.SampledFrom([]int64{9000000000000000000, -9000000000000000000}).Draw(t, label+" huge"), derivmath.MaxScale)
	}
	return x
}

// documentedIn reports whether err is one of the documented sentinels, a
// *margin.TierError, or, in ctx (nil for the default), apd's Inexact
// condition that ctx traps, wrapped.
func documentedIn(ctx *apd.Context, err error) bool {
	for _, s := range documented {
		if errors.Is(err, s) {
			return true
		}
	}
	var te *margin.TierError
	if errors.As(err, &te) {
		return true
	}
	return ctx != nil && ctx.Traps&apd.Inexact != 0 && strings.HasSuffix(err.Error(), ": "+apd.Inexact.String())
}

// TestFailedCallChangesNothing drives random accounts, in the default
// context or any other (dectest.AnyContext), through every mutator with
// hostile arguments (malformed and out-of-range decimals, invalid sides
// and modes, specs without a mark, tier tables a notional passes, orders
// without leverage, positions an order takes its leverage from): a call
// that fails returns a documented error and leaves everything the account
// shows as it was; after one that succeeds, every amount it shows is a
// valid input (every decimal of each Position too, Realised and Fees
// included, which Set does not read), and each position, given back to
// Set, is accepted and changes nothing.
func TestFailedCallChangesNothing(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var ctx *apd.Context // the default
		if rapid.Bool().Draw(t, "anyContext") {
			ctx = dectest.AnyContext(t) // 1 to 50 digits, any rounding, Inexact trapped now and then
		}
		st := drawAccountIn(t, 4, ctx)
		a := st.a
		fresh, err := contract.New(contract.Params{Symbol: "SOLUSDT", Kind: contract.Linear, Settle: "USDT", Multiplier: "1", Tick: "0.001", Lot: "0.1", Taker: "0.0005"})
		noErr(t, err)
		specs := []*contract.Spec{fresh}
		for _, m := range st.mkts {
			specs = append(specs, m.spec)
		}
		// A one-tier table with a limit a large position passes.
		rows := []margin.Tier{{}}
		rows[0].MMR.Set(d("0.01"))
		rows[0].MaxLeverage.Set(d("50"))
		small, err := margin.NewTiers(rows, d("20000"))
		noErr(t, err)
		ids := []string{"a", "b", "c"}
		for step := range 40 {
			before := whole(a, specs)
			var err error
			var what string
			switch rapid.IntRange(0, 5).Draw(t, "op") {
			case 0:
				cur := rapid.SampledFrom(currencies).Draw(t, "currency")
				x := orHostile(t, apd.New(rapid.Int64Range(-1e7, 1e7).Draw(t, "balance"), -2), "balance")
				what = fmt.Sprintf("SetWallet(%s, %s)", cur, x.String())
				err = a.SetWallet(cur, x)
			case 1:
				cur := rapid.SampledFrom(currencies).Draw(t, "currency")
				x := orHostile(t, apd.New(rapid.Int64Range(-1e7, 1e7).Draw(t, "amount"), -2), "amount")
				what = fmt.Sprintf("Transfer(%s, %s)", cur, x.String())
				err = a.Transfer(cur, x)
			case 2:
				k := rapid.IntRange(0, len(st.mkts)-1).Draw(t, "market")
				s := st.mkts[k].spec
				switch rapid.IntRange(0, 5).Draw(t, "spec") {
				case 0:
					s = nil
				case 1:
					s = fresh
				}
				m := price(t, st.mkts[k], "mark")
				if rapid.IntRange(0, 3).Draw(t, "far") == 0 {
					m = apd.New(rapid.Int64Range(1, 9).Draw(t, "far mark"), int32(rapid.IntRange(-30, 30).Draw(t, "far exp")))
				}
				m = orHostile(t, m, "mark")
				what = fmt.Sprintf("SetMark(%v, %s)", s, m.String())
				err = a.SetMark(s, m)
			case 3:
				k := rapid.IntRange(0, len(st.mkts)-1).Draw(t, "market")
				mk := st.mkts[k]
				side := rapid.SampledFrom(sides).Draw(t, "side")
				mode := rapid.SampledFrom([]account.Mode{account.Isolated, account.Cross}).Draw(t, "mode")
				p := drawPosition(t, mk, st.conv, side, mode, "position")
				p.Tiers = tiersFor(st.conv, mk)
				switch rapid.IntRange(0, 9).Draw(t, "hostile field") {
				case 0:
					p.Qty.Set(orHostile(t, &p.Qty, "qty"))
				case 1:
					p.Entry.Set(orHostile(t, &p.Entry, "entry"))
				case 2:
					p.Leverage.Set(orHostile(t, &p.Leverage, "leverage"))
				case 3:
					p.Margin.Set(orHostile(t, &p.Margin, "margin"))
				case 4:
					p.Cost.Set(orHostile(t, &p.Cost, "cost"))
				case 5:
					p.Fee.Set(orHostile(t, &p.Fee, "fee"))
				case 6:
					p.MMR.Set(orHostile(t, &p.MMR, "mmr"))
				case 7:
					p.Cum.Set(orHostile(t, &p.Cum, "cum"))
					p.Funding.Set(orHostile(t, &p.Funding, "funding"))
					p.Realised.Set(orHostile(t, &p.Realised, "realised"))
					p.Fees.Set(orHostile(t, &p.Fees, "fees"))
				case 8:
					p.Tiers = small
				case 9:
					p.Qty.SetInt64(0) // close
				}
				if rapid.IntRange(0, 9).Draw(t, "odd side") == 0 {
					p.Side = account.Side(rapid.IntRange(-1, 5).Draw(t, "side value"))
				}
				if rapid.IntRange(0, 9).Draw(t, "odd mode") == 0 {
					p.Mode = account.Mode(rapid.IntRange(-1, 4).Draw(t, "mode value"))
				}
				if rapid.IntRange(0, 19).Draw(t, "no spec") == 0 {
					p.Spec = nil
				}
				what = fmt.Sprintf("Set(%v %v %v qty %s)", p.Spec, p.Side, p.Mode, p.Qty.String())
				err = a.Set(p)
			case 4, 5:
				k := rapid.IntRange(0, len(st.mkts)-1).Draw(t, "market")
				mk := st.mkts[k]
				o := &account.Order{Spec: mk.spec, Side: rapid.SampledFrom(sides).Draw(t, "side")}
				o.Qty.Set(orHostile(t, qty(t, mk, "order qty"), "order qty"))
				o.Price.Set(orHostile(t, price(t, mk, "order price"), "order price"))
				o.Leverage.Set(orHostile(t, apd.New(rapid.Int64Range(0, 20).Draw(t, "order leverage"), 0), "order leverage"))
				if rapid.IntRange(0, 4).Draw(t, "cancel") == 0 {
					o.Qty.SetInt64(0)
				}
				switch rapid.IntRange(0, 19).Draw(t, "odd order") {
				case 0:
					o.Spec = nil
				case 1:
					o.Spec = fresh
				case 2:
					o.Side = 0
				}
				id := rapid.SampledFrom(ids).Draw(t, "id")
				what = fmt.Sprintf("SetOrder(%s, %v %v qty %s price %s leverage %s)", id, o.Spec, o.Side, o.Qty.String(), o.Price.String(), o.Leverage.String())
				err = a.SetOrder(id, o)
			}
			after := whole(a, specs)
			if err != nil {
				if !documentedIn(ctx, err) {
					t.Fatalf("step %d: %s failed with an undocumented error %v (%T)", step, what, err, err)
				}
				if after != before {
					t.Fatalf("step %d: %s failed with %v but changed the account:\n%s---\n%s", step, what, err, before, after)
				}
				continue
			}
			checkOutputs(t, a)
			// Each position, a copy of what Position returns, is a valid
			// input that changes nothing.
			for i := range a.Len() {
				p := a.Position(i)
				c := &account.Position{Spec: p.Spec, Side: p.Side, Mode: p.Mode, Tiers: p.Tiers}
				fields := [][2]*apd.Decimal{
					{&c.Qty, &p.Qty},
					{&c.Entry, &p.Entry},
					{&c.Realised, &p.Realised},
					{&c.Fees, &p.Fees},
					{&c.Leverage, &p.Leverage},
					{&c.Margin, &p.Margin},
					{&c.Cost, &p.Cost},
					{&c.Fee, &p.Fee},
					{&c.MMR, &p.MMR},
					{&c.Cum, &p.Cum},
					{&c.Funding, &p.Funding},
				}
				for _, f := range fields {
					if err := derivmath.CheckDecimal(f[1]); err != nil {
						t.Fatalf("step %d, after %s: position %d holds %s: %v", step, what, i, f[1].String(), err)
					}
					f[0].Set(f[1])
				}
				if err := a.Set(c); err != nil {
					t.Fatalf("step %d, after %s: position %d given back to Set: %v", step, what, i, err)
				}
				if again := whole(a, specs); again != after {
					t.Fatalf("step %d, after %s: position %d given back to Set changed the account:\n%s---\n%s", step, what, i, after, again)
				}
			}
		}
	})
}
