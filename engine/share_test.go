package engine_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/engine"
	"github.com/derivmath/derivmath/internal/dectest"
)

// TestShare: the package documentation's promise that Presets and Specs
// are only read and may be shared. Goroutines run a liquidation, each in
// its own State, under every preset, all States built on one Spec, one
// Preset per venue and one context, and call Mark and Validate on the
// shared presets; run it with -race.
func TestShare(t *testing.T) {
	ctx := derivmath.NewContext()
	d := dectest.D
	spec, err := contract.New(contract.Params{Kind: contract.Linear, Multiplier: "1", Tick: "0.25", Lot: "1", Minor: "0.01"})
	if err != nil {
		t.Fatal(err)
	}
	in := &engine.MarkInputs{
		Index: *d("100"), Rate: *d("0.0001"), Basis: *d("0.05"), Last: *d("100.25"),
		BasisRate: *d("0.01"), Oracle: *d("99.75"), Until: 3 * time.Hour, Interval: 8 * time.Hour,
	}
	var calls []func() string
	for _, p := range engine.Presets() {
		calls = append(calls,
			func() string { return fmt.Sprint(p.Validate()) },
			func() string {
				var z apd.Decimal
				err := engine.Mark(ctx, &z, p, in)
				return fmt.Sprint(&z, " ", err)
			},
			func() string { return liquidate(ctx, spec, p) },
		)
	}
	dectest.Share(t, 200, calls...)
}

// liquidate runs a liquidation in a new State on s under p: the street
// (cross, wallet 1,000), a long of 10 @ 100 (isolated, margin 10, MMR
// 0.5%, no tier) and a long of 1 @ 100 in the first tier of p's risk
// limits, if it has any; the mark falls to 99.25, both longs are
// triggered and closed (stepped down, else taken over) with fills from the
// street at the intent's limit or the mark. It returns the events and
// errors, written out.
func liquidate(ctx *apd.Context, s *contract.Spec, p *engine.Preset) string {
	var b strings.Builder
	st, err := engine.New(ctx, s, p)
	if err != nil {
		return err.Error()
	}
	street := &engine.Trader{Mode: account.Cross, Tier: -1}
	street.Wallet.SetInt64(1000)
	long := &engine.Trader{Mode: account.Isolated, Tier: -1}
	long.Margin.SetInt64(10)
	long.Qty.SetInt64(10)
	long.Cost.SetInt64(1000)
	long.MMR.Set(apd.New(5, -3))
	traders := []*engine.Trader{street, long}
	if len(p.RiskLimits) > 0 {
		tiered := &engine.Trader{Mode: account.Cross, Tier: 0}
		tiered.Wallet.SetFinite(8, -1)
		tiered.Qty.SetInt64(1)
		tiered.Cost.SetInt64(100)
		traders = append(traders, tiered)
	}
	for _, t := range traders {
		if _, err := st.Add(t); err != nil {
			fmt.Fprintln(&b, "add:", err)
		}
	}
	fmt.Fprintln(&b, "mark:", st.SetMark(apd.New(100, 0)), st.SetFund(apd.New(50, 0)), st.SetMark(apd.New(9925, -2)))
	var ev []engine.Event
	for i := 1; i < st.Len(); i++ {
		var liq bool
		ev, liq, err = st.Trigger(ev, i)
		fmt.Fprintln(&b, "trigger:", i, liq, err)
		if !liq {
			continue
		}
		var id engine.IntentID
		if p.Partial != engine.PartialNone {
			ev, id, err = st.StepDown(ev, i)
			fmt.Fprintln(&b, "step down:", id, err)
		}
		if id == 0 {
			ev, id, err = st.Takeover(ev, i)
			fmt.Fprintln(&b, "takeover:", id, err)
		}
		if in := st.Intent(id); in != nil {
			f := []engine.Fill{{Qty: in.Qty}}
			f[0].Qty.Abs(&f[0].Qty)
			if f[0].Price.Set(&in.Limit); f[0].Price.IsZero() {
				st.Mark(&f[0].Price)
			}
			ev, err = st.Execute(ev, id, f)
			fmt.Fprintln(&b, "execute:", err)
		}
	}
	for i := range ev {
		fmt.Fprintln(&b, ev[i].String())
	}
	var eq, total, net apd.Decimal
	fmt.Fprintln(&b, st.Equity(&eq, 1), &eq, st.Total(&total), &total, st.NetQty(&net), &net)
	return b.String()
}
