package engine_test

import (
	"fmt"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/engine"
)

// stepDownOutcome runs S2 and S4 on a long of 3 at 100 with margin m at a
// mark of 90.5, its Tier and rates given, and describes what they did:
// the events' kinds and the step-down intent's quantity and limit.
func stepDownOutcome(t *testing.T, p *engine.Preset, m string, tier int, mmr, cum string) (string, error) {
	t.Helper()
	s := linear(t, "0.5", "1", "0.01")
	st, err := engine.New(derivmath.NewContext(), s, p)
	if err != nil {
		return "", err
	}
	add(t, st, trader(t, s, "100000000", "", "0", "", "0.01"))
	tr := trader(t, s, "0", m, "3", "100", mmr)
	tr.Tier = tier
	tr.Cum.Set(d(cum))
	h := add(t, st, tr)
	add(t, st, trader(t, s, "0", "1000", "-3", "100", "0.01"))
	noErr(t, st.SetMark(d("90.5")))
	ev, ok, err := st.Trigger(nil, h)
	if err != nil || !ok {
		return "", fmt.Errorf("trigger: %v, %w", ok, err)
	}
	ev, id, err := st.StepDown(ev, h)
	if err != nil {
		return "", err
	}
	out := ""
	for _, e := range ev {
		out += fmt.Sprintf("%v ", e.Kind)
	}
	if in := st.Intent(id); id != 0 && in != nil {
		out += fmt.Sprintf("intent %v %s @ %s", in.TIF, in.Qty.String(), in.Limit.String())
	}
	return out, nil
}

// TestHugePreset: a numeric Preset field at 1e40, which Validate accepts
// and the context cannot hold to the minor unit or the lot, changes
// nothing where a smaller value beyond the position or the loss changes
// nothing either: every step it reaches does what it does with that
// value (want), and none fails with ErrRange rounding the field.
// The fields Validate bounds by 1 (the fee and portion rates, Slippage,
// LeftoverShare, the MMRs) cannot be large.
func TestHugePreset(t *testing.T) {
	for _, tt := range []struct {
		name string
		want string // the value that should behave as 1e40 does
		run  func(t *testing.T, v string) (string, error)
	}{
		{"OKX TierReduce, first risk limit", "1000", func(t *testing.T, v string) (string, error) {
			return stepDownOutcome(t, okxTiers(v), "30", 2, "0.03", "0")
		}},
		{"Bybit StepDown, Cum of every tier", "1000", func(t *testing.T, v string) (string, error) {
			p := engine.PresetBybit()
			for k := range p.RiskLimits {
				p.RiskLimits[k].Cum.Set(d(v))
			}
			return stepDownOutcome(t, p, "30", 2, "0.006", "0")
		}},
		{"Bybit StepDown, every risk limit", "1000", func(t *testing.T, v string) (string, error) {
			p := engine.PresetBybit()
			for k := range p.RiskLimits {
				p.RiskLimits[k].Limit.Set(d(v))
				p.RiskLimits[k].Limit.Exponent += int32(k)
			}
			return stepDownOutcome(t, p, "30", 2, "0.006", "0")
		}},
		{"Binance StepDown, bracket limits", "1000", func(t *testing.T, v string) (string, error) {
			p := engine.PresetBinance()
			p.RiskLimits = make([]engine.RiskLimit, 2)
			p.RiskLimits[0].Limit.Set(d(v))
			p.RiskLimits[0].MMR.Set(d("0.004"))
			p.RiskLimits[1].Limit.Set(d(v))
			p.RiskLimits[1].Limit.Exponent++
			p.RiskLimits[1].MMR.Set(d("0.005"))
			if _, err := apd.BaseContext.Mul(&p.RiskLimits[1].Cum, d(v), d("0.001")); err != nil {
				return "", err
			}
			return stepDownOutcome(t, p, "29", 1, "0.005", p.RiskLimits[1].Cum.String())
		}},
		{"Hyperliquid Portion, PortionNotional", "1000", func(t *testing.T, v string) (string, error) {
			p := engine.PresetHyperliquid()
			p.PortionNotional.Set(d(v))
			return stepDownOutcome(t, p, "30", -1, "0.03", "0")
		}},
		{"dYdX NotionalLimit, MinNotional", "1000", func(t *testing.T, v string) (string, error) {
			p := engine.PresetDYDX()
			p.MinNotional.Set(d(v))
			return stepDownOutcome(t, p, "30", -1, "0.03", "0")
		}},
		{"dYdX NotionalLimit, MaxNotional", "1000", func(t *testing.T, v string) (string, error) {
			p := engine.PresetDYDX()
			p.MaxNotional.Set(d(v))
			return stepDownOutcome(t, p, "30", -1, "0.03", "0")
		}},
		{"dYdX NotionalLimit, BankruptcyAdjustment", "1000", func(t *testing.T, v string) (string, error) {
			p := engine.PresetDYDX()
			p.BankruptcyAdjustment.Set(d(v))
			return stepDownOutcome(t, p, "30", -1, "0.03", "0")
		}},
		{"Deribit Slice", "1000", func(t *testing.T, v string) (string, error) {
			p := engine.PresetDeribit()
			p.Slice.Set(d(v))
			return stepDownOutcome(t, p, "30", -1, "0.01", "0")
		}},
		{"Drift MaxInsurance, two bankruptcies", "1000000", func(t *testing.T, v string) (string, error) {
			p := engine.PresetDrift()
			p.CapInsurance = true
			p.MaxInsurance.Set(d(v))
			st := driftBankruptcy(t, p, "10", "1000")
			s := st.Spec()
			i := add(t, st, trader(t, s, "0", "10", "10", "90", "0.005"))
			add(t, st, trader(t, s, "100000", "", "-10", "90", "0.005"))
			noErr(t, st.SetMark(d("80")))
			ev, id := takeover(t, st, nil, i)
			if _, err := st.Execute(ev, id, []engine.Fill{fill("10", "80", 0)}); err != nil {
				return "", err
			}
			var unpaid, fund apd.Decimal
			st.Unsocialised(&unpaid)
			st.FundBalance(&fund)
			return unpaid.String() + " " + fund.String(), nil
		}},
		{"Bybit ADLDrawdown, threshold and ratios", "1000000", func(t *testing.T, v string) (string, error) {
			p := engine.PresetBybit()
			p.ADLThreshold.Set(d(v))
			p.ADLRatio.Neg(d(v))
			p.ADLStop.Neg(d(v))
			s := linear(t, "0.5", "1", "0.01")
			st, err := engine.New(derivmath.NewContext(), s, p)
			if err != nil {
				return "", err
			}
			h := add(t, st, trader(t, s, "0", "30", "3", "100", "0.01"))
			noErr(t, st.SetMark(d("100")))
			noErr(t, st.SetFund(d("500")))
			out := ""
			for _, running := range []bool{false, true} {
				in := engine.ADLInputs{Running: running}
				in.Peak.SetInt64(1000)
				ok, err := st.MustADL(h, &in)
				if err != nil {
					return "", err
				}
				out += fmt.Sprint(ok, " ")
			}
			return out, nil
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			want, err := tt.run(t, tt.want)
			if err != nil {
				t.Fatalf("at %s: %v", tt.want, err)
			}
			got, err := tt.run(t, "1e40")
			if err != nil || got != want {
				t.Errorf("at 1e40: %q, %v; want %q as at %s", got, err, want, tt.want)
			}
		})
	}
}

// okxTiers returns OKX's rules with three risk limits, the first v, the
// next 10v and 100v, at rates of 1%, 2% and 3%.
func okxTiers(v string) *engine.Preset {
	p := engine.PresetOKX()
	p.RiskLimits = []engine.RiskLimit{{}, {}, {}}
	for k := range p.RiskLimits {
		r := &p.RiskLimits[k]
		r.Limit.Set(d(v))
		r.Limit.Exponent += int32(k)
		r.MMR.SetFinite(int64(k+1), -2)
	}
	return p
}

// TestOKXTierReduce: at tier 3 OKX closes a position of 3 (271.5 at the
// mark of 90.5) down to the most lots the first limit holds, none where
// that is all of it: a limit of 100 holds 1 lot (an IOC of 2, at market: limit 0), 181 holds
// 2 (an IOC of 1), 271.5 and 362 (the position and a lot) hold all 3.
func TestOKXTierReduce(t *testing.T) {
	for _, tt := range []struct{ limit, want string }{
		{"100", "Triggered Intended intent IOC 2 @ 0"},
		{"181", "Triggered Intended intent IOC 1 @ 0"},
		{"271.5", "Triggered "},
		{"362", "Triggered "},
		{"1e40", "Triggered "},
	} {
		got, err := stepDownOutcome(t, okxTiers(tt.limit), "30", 2, "0.03", "0")
		if err != nil || got != tt.want {
			t.Errorf("first limit %s: %q, %v; want %q", tt.limit, got, err, tt.want)
		}
	}
}
