package engine_test

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/engine"
	"github.com/derivmath/derivmath/engine/internal/enginetest"
	"github.com/derivmath/derivmath/liquidation"
)

// decimal parses s, or returns false: fuzzed text is often not a number.
func decimal(z *apd.Decimal, s string) bool {
	_, _, err := z.SetString(s)
	return err == nil
}

// FuzzPresetValidate builds presets with arbitrary rules, parameters and
// risk-limit tables: Validate never panics, and a preset it accepts makes
// a State. The low four bits of takeover, price, partial and rank are
// the Takeover, OrderPrice, Partial and ADL (and PriceRounding) rules;
// the bits above them CapInsurance (any), ShortRatio, Split and
// Socialise (1 plus them), and ba is also MaxInsurance.
func FuzzPresetValidate(f *testing.F) {
	f.Add(int8(1), int8(1), int8(1), int8(2), int8(1), "0.0125", "0", "1", "100", "0.005", "200", "0.01")
	f.Add(int8(6), int8(2), int8(3), int8(5), int8(2), "0.005", "0.1", "1", "-1", "0.5", "NaN", "1e999999")
	f.Add(int8(0), int8(9), int8(-1), int8(7), int8(3), "", "Infinity", "-0", "1", "1", "1", "0.9")
	// The account closes at market, ShortEntryOverMark, SplitEqual, and
	// Drift's insurance capped at 1e28 (DriftFunding: accepted); the cap
	// without DriftFunding, and DriftFunding where the fund takes over
	// (refused).
	f.Add(int8(1), int8(2|16), int8(3|16), int8(2|16), int8(1|2<<4), "0", "0", "1e28", "100", "0.005", "200", "0.01")
	f.Add(int8(1), int8(2|16), int8(3), int8(2), int8(1), "0", "0", "1", "100", "0.005", "200", "0.01")
	f.Add(int8(1), int8(1), int8(3), int8(2), int8(1|2<<4), "0", "0", "1", "100", "0.005", "200", "0.01")
	s := linear(f, "0.25", "1", "0.01")
	f.Fuzz(func(t *testing.T, venue, takeover, price, partial, rank int8, fee, smmr, ba, lim1, mmr1, lim2, mmr2 string) {
		p := engine.PresetBinance()
		p.Venue, p.Takeover, p.OrderPrice = engine.Venue(venue), engine.Takeover(takeover&15), engine.OrderPrice(price&15)
		p.Partial, p.ADL = engine.Partial(partial&15), engine.Ranking(rank&15)
		p.PriceRounding = liquidation.Rounding(rank & 15)
		p.CapInsurance, p.ShortRatio = takeover&16 != 0, engine.ShortRatio(1+price>>4)
		p.Split, p.Socialise = engine.LossSplit(1+partial>>4), engine.Socialise(1+rank>>4)
		for _, x := range []struct {
			z *apd.Decimal
			s string
		}{{&p.ClearanceFee, fee}, {&p.SpreadToMaintenance, smmr}, {&p.BankruptcyAdjustment, ba}, {&p.MaxInsurance, ba}, {&p.Slice, lim1}, {&p.Portion, mmr1}} {
			if !decimal(x.z, x.s) {
				return
			}
		}
		p.RiskLimits = make([]engine.RiskLimit, 2)
		for k, x := range [][2]string{{lim1, mmr1}, {lim2, mmr2}} {
			if !decimal(&p.RiskLimits[k].Limit, x[0]) || !decimal(&p.RiskLimits[k].MMR, x[1]) {
				return
			}
		}
		err := p.Validate()
		enginetest.Documented(t, "Preset.Validate", err)
		if err != nil {
			_, err := engine.New(derivmath.NewContext(), s, p)
			enginetest.Documented(t, "New", err)
			if err == nil {
				t.Fatalf("New accepted a preset Validate refused")
			}
			return
		}
		if _, err := engine.New(derivmath.NewContext(), s, p); err != nil {
			t.Fatalf("Validate accepted the preset, New refused it: %v", err)
		}
	})
}

// snapshot is what a failed step must leave unchanged.
func snapshot(t *testing.T, st *engine.State) string {
	t.Helper()
	var tot, fund, fees, net, mark apd.Decimal
	noErr(t, st.Total(&tot))
	noErr(t, st.NetQty(&net))
	st.FundBalance(&fund)
	st.FeeBalance(&fees)
	st.Mark(&mark)
	out := tot.String() + " " + net.String() + " " + fund.String() + " " + fees.String() + " " + mark.String()
	for i := -1; i < st.Len(); i++ {
		tr := st.Trader(i)
		out += "|" + tr.Wallet.String() + " " + tr.Margin.String() + " " + tr.Qty.String() + " " + tr.Cost.String()
		if tr.Liquidating {
			out += " L"
		}
	}
	for id := engine.IntentID(1); id < 4; id++ {
		if in := st.Intent(id); in != nil {
			out += "|intent " + in.Qty.String() + " " + in.Limit.String()
		}
	}
	return out
}

// FuzzExecute passes arbitrary fills (quantities, prices, makers) for the
// takeover intent of the examples' liquidated long, under BitMEX's,
// Binance's and dYdX's rules: Execute never panics, a refused call
// changes nothing (state, dst), and an accepted one conserves the total.
func FuzzExecute(f *testing.F) {
	f.Add(uint8(0), "1", "99.25", 0, "", "", 0)
	f.Add(uint8(1), "1", "98.75", 0, "", "", 0)
	f.Add(uint8(2), "0.5", "99.5", 0, "0.5", "100", 2)
	f.Add(uint8(1), "-1", "99", 1, "2", "1e30", 7)
	f.Add(uint8(0), "1", "NaN", 0, "1", "0", -1)
	f.Fuzz(func(t *testing.T, venue uint8, q1, p1 string, m1 int, q2, p2 string, m2 int) {
		p := []*engine.Preset{bitmex(), engine.PresetBinance(), engine.PresetDYDX()}[int(venue)%3]
		p.Partial, p.RiskLimits = engine.PartialNone, nil
		st := book(p)
		if err := st.SetMark(apd.New(9925, -2)); err != nil {
			t.Fatal(err)
		}
		if _, ok, err := st.Trigger(nil, 1); err != nil || !ok {
			t.Fatalf("trigger: %v %v", ok, err)
		}
		_, id, err := st.Takeover(nil, 1)
		if err != nil {
			t.Fatal(err)
		}
		fills := make([]engine.Fill, 1, 2)
		if !decimal(&fills[0].Qty, q1) || !decimal(&fills[0].Price, p1) {
			return
		}
		fills[0].Maker = m1
		if q2 != "" {
			fills = append(fills, engine.Fill{Maker: m2})
			if !decimal(&fills[1].Qty, q2) || !decimal(&fills[1].Price, p2) {
				return
			}
		}
		before := snapshot(t, st)
		var t0 apd.Decimal
		noErr(t, st.Total(&t0))
		dst := make([]engine.Event, 1, 8)
		dst[0].Seq = 42
		got, err := st.Execute(dst, id, fills)
		enginetest.Documented(t, "Execute", err)
		if err != nil {
			if after := snapshot(t, st); after != before {
				t.Fatalf("refused (%v) but changed:\n%s\n%s", err, before, after)
			}
			if len(got) != 1 || got[0].Seq != 42 {
				t.Fatalf("refused (%v) but dst changed: %d events", err, len(got))
			}
			return
		}
		var t1 apd.Decimal
		noErr(t, st.Total(&t1))
		if t0.Cmp(&t1) != 0 {
			t.Fatalf("total %s -> %s", t0.String(), t1.String())
		}
	})
}

// FuzzAdd adds traders with arbitrary balances, positions and rates: Add
// never panics, a refused trader leaves the state as it was, and an
// accepted one can be marked, triggered and valued without a panic.
func FuzzAdd(f *testing.F) {
	f.Add(int8(1), "0", "1", "1", "100", "0.005", "99.5")
	f.Add(int8(2), "100", "0", "-1", "-100", "0.5", "1e-6")
	f.Add(int8(0), "-1", "NaN", "1e40", "1", "2", "0")
	f.Add(int8(1), "0.001", "1", "1", "-100", "0", "1e30")
	f.Fuzz(func(t *testing.T, mode int8, wallet, margin, qty, cost, mmr, mark string) {
		st := book(bitmex())
		tr := &engine.Trader{Tier: -1}
		tr.Mode = account.Mode(mode)
		for _, x := range []struct {
			z *apd.Decimal
			s string
		}{{&tr.Wallet, wallet}, {&tr.Margin, margin}, {&tr.Qty, qty}, {&tr.Cost, cost}, {&tr.MMR, mmr}} {
			if !decimal(x.z, x.s) {
				return
			}
		}
		before := snapshot(t, st)
		i, err := st.Add(tr)
		enginetest.Documented(t, "Add", err)
		if err != nil {
			if after := snapshot(t, st); after != before || st.Len() != 3 {
				t.Fatalf("refused (%v) but changed:\n%s\n%s", err, before, after)
			}
			return
		}
		var m, z apd.Decimal
		if !decimal(&m, mark) || st.SetMark(&m) != nil {
			return
		}
		_ = st.Equity(&z, i)
		_, _, _ = st.Trigger(nil, i)
		_ = st.Total(&z)
	})
}
