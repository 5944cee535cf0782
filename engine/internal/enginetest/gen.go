package enginetest

import (
	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/engine"
	"pgregory.net/rapid"
)

// GenState draws a random small market: a random preset (with, where it
// applies, a random Split, ShortRatio and insurance cap, and a random ADL
// tie rule) on a linear or inverse contract (tick 0.5, lot 1), the mark
// from 200 to 4000; trader 0 the street (a large cross wallet, flat), then
// 1 to maxPairs pairs of a long and a short of the same size (1 to
// maxQty), a third of them each side added twice (twins, which tie in
// every ADL ranking), entry and leverage (isolated or cross, at a random
// tier where the preset has a risk-limit table of 4 notional steps, some
// with a fee reserve at the taker rate, some with an open order of the
// engine's), and a fund of 0 to 1000 (a thousandth of that for inverse).
// The table's limits are the values at the mark of 20, 40, 60 and 80
// contracts (in coin on an inverse, rounded up to the minor unit), so that
// the positions span its tiers on either kind; its MMRs 0.5% to 2%, with
// Binance's cums. TestInvariants and TestModel draw up to 6 pairs of up to
// 60, TestDriverModel up to 4 of up to 40; the draws are otherwise the
// same.
func GenState(rt *rapid.T, maxPairs, maxQty int) *engine.State {
	return GenStateIn(rt, nil, maxPairs, maxQty)
}

// GenStateIn is GenState with the State computing in ctx (nil: the
// default context); the draws are the same. In a context where the
// market's set-up fails (a precision of a few digits), the test is
// skipped.
func GenStateIn(rt *rapid.T, ctx *apd.Context, maxPairs, maxQty int) *engine.State {
	fatal := rt.Fatal
	if ctx != nil {
		fatal = func(args ...any) { rt.Skip(args...) }
	}
	presets := engine.Presets()
	p := presets[rapid.IntRange(0, len(presets)-1).Draw(rt, "preset")]
	// The unconfirmed rules' variants, drawn where they apply.
	if p.Socialise == engine.Clawback && rapid.Bool().Draw(rt, "equal split") {
		p.Split = engine.SplitEqual
	}
	if p.ADL == engine.RankHyperliquid && rapid.Bool().Draw(rt, "short ratio") {
		p.ShortRatio = engine.ShortEntryOverMark
	}
	if rapid.Bool().Draw(rt, "tie rule") {
		p.ADLTie = engine.TieHigherIndex
	}
	if p.Socialise == engine.DriftFunding && rapid.Bool().Draw(rt, "insurance cap") {
		p.CapInsurance = true
		p.MaxInsurance.SetInt64(int64(rapid.IntRange(0, 1000).Draw(rt, "max insurance")))
	}
	inverse := p.Venue != engine.DYDX && rapid.Bool().Draw(rt, "inverse")
	params := contract.Params{Kind: contract.Linear, Multiplier: "1", Tick: "0.5", Lot: "1", Minor: "0.01", Taker: "0.0005"}
	mark := int64(rapid.IntRange(200, 4000).Draw(rt, "mark"))
	if inverse {
		params.Kind, params.Minor = contract.Inverse, "0.00000001"
	}
	s, err := contract.New(params)
	if err != nil {
		rt.Fatal(err)
	}
	if p.Partial == engine.StepDown || p.Partial == engine.TierReduce {
		p.RiskLimits = make([]engine.RiskLimit, 4)
		vc := derivmath.NewContext()
		for k := range p.RiskLimits {
			// The value of 20(k+1) contracts at the mark, so that the
			// positions drawn span the tiers on either kind: a
			// linear's 20(k+1) x mark, an inverse's 20(k+1)/mark coin
			// rounded up to the minor unit (which leaves 20(k+1)
			// contracts in tier k, as on a linear).
			lim := &p.RiskLimits[k].Limit
			if err := s.Value(vc, lim, apd.New(int64(20*(k+1)), 0), apd.New(mark, 0)); err != nil {
				rt.Fatal(err)
			}
			if inverse {
				_ = derivmath.Round(vc, lim, lim, &s.Minor, derivmath.Ceiling)
			}
			p.RiskLimits[k].MMR.Set(apd.New(int64(5*(k+1)), -3))
			if k > 0 && p.Venue == engine.Binance {
				// Binance's cum, which keeps the maintenance continuous:
				// cum_k = cum_k-1 + limit_k-1 x (MMR_k - MMR_k-1).
				c := &p.RiskLimits[k].Cum
				_, _ = apd.BaseContext.Mul(c, &p.RiskLimits[k-1].Limit, apd.New(5, -3))
				_, _ = apd.BaseContext.Add(c, c, &p.RiskLimits[k-1].Cum)
			}
		}
	}
	if ctx == nil {
		ctx = derivmath.NewContext()
	}
	st, err := engine.New(ctx, s, p)
	if err != nil {
		fatal(err)
	}
	if err := st.SetMark(apd.New(mark, 0)); err != nil {
		fatal(err)
	}
	street := &engine.Trader{Mode: account.Cross, Tier: -1}
	street.Wallet.SetInt64(100000000)
	if inverse {
		street.Wallet.SetInt64(100000)
	}
	if _, err := st.Add(street); err != nil {
		fatal(err)
	}
	for k := rapid.IntRange(1, maxPairs).Draw(rt, "pairs"); k > 0; k-- {
		q := int64(rapid.IntRange(1, maxQty).Draw(rt, "qty"))
		entry := mark + int64(rapid.IntRange(-50, 50).Draw(rt, "entry"))*mark/500
		lev := int64(rapid.IntRange(2, 100).Draw(rt, "lev"))
		twins := rapid.IntRange(0, 2).Draw(rt, "twins") == 0
		for _, side := range []int64{1, -1} {
			tr := &engine.Trader{Mode: account.Isolated, Tier: -1}
			tr.Qty.SetInt64(side * q)
			if err := s.Value(ctx, &tr.Cost, &tr.Qty, apd.New(entry, 0)); err != nil {
				fatal(err)
			}
			if tr.Qty.Negative != (s.Kind == contract.Inverse) {
				tr.Cost.Neg(&tr.Cost)
			}
			_ = derivmath.Round(ctx, &tr.Cost, &tr.Cost, &s.Minor, derivmath.HalfUp)
			var v apd.Decimal
			_ = s.Value(ctx, &v, apd.New(q, 0), apd.New(entry, 0))
			_, _ = ctx.Quo(&v, &v, apd.New(lev, 0))
			_ = derivmath.Round(ctx, &v, &v, &s.Minor, derivmath.Ceiling)
			tr.Margin.Set(&v)
			if rapid.Bool().Draw(rt, "cross") {
				tr.Mode = account.Cross
				tr.Margin.SetInt64(0)
				tr.Wallet.Set(&v)
			}
			if rapid.Bool().Draw(rt, "reserve") {
				// A fee to close at the taker rate: posComm's
				// ceil(commission*|posCost|).
				_, _ = ctx.Mul(&tr.FeeReserve, &tr.Cost, &s.Taker)
				tr.FeeReserve.Abs(&tr.FeeReserve)
				_ = derivmath.Round(ctx, &tr.FeeReserve, &tr.FeeReserve, &s.Minor, derivmath.Ceiling)
			}
			tr.MMR.SetFinite(5, -3)
			if len(p.RiskLimits) > 0 {
				tr.Tier = rapid.IntRange(0, len(p.RiskLimits)-1).Draw(rt, "tier")
				tr.MMR.Set(&p.RiskLimits[tr.Tier].MMR)
				tr.Cum.Set(&p.RiskLimits[tr.Tier].Cum)
			}
			if rapid.Bool().Draw(rt, "order") {
				tr.Orders = append(tr.Orders, engine.Order{})
				tr.Orders[0].Qty.SetInt64(side)
				tr.Orders[0].Price.SetInt64(entry)
			}
			if _, err := st.Add(tr); err != nil {
				fatal(err)
			}
			if twins {
				if _, err := st.Add(tr); err != nil {
					fatal(err)
				}
			}
		}
	}
	fund := apd.New(int64(rapid.IntRange(0, 1000).Draw(rt, "fund")), 0)
	if inverse {
		fund.Exponent = -3
	}
	if err := st.SetFund(fund); err != nil {
		fatal(err)
	}
	return st
}
