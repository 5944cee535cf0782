package engine_test

import (
	"testing"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/engine"
	"github.com/derivmath/derivmath/internal/dectest"
)

// allocMarket is book's market with more traders on each side, so that ADL
// ranks and Socialise charges several; trader 1 is the long at 100x.
func allocMarket(tb testing.TB, p *engine.Preset) *engine.State {
	tb.Helper()
	s, err := contract.New(contract.Params{Kind: contract.Linear, Multiplier: "1", Tick: "0.25", Lot: "1", Minor: "0.01"})
	if err != nil {
		tb.Fatal(err)
	}
	st, err := engine.New(derivmath.NewContext(), s, p)
	if err != nil {
		tb.Fatal(err)
	}
	if err := st.SetMark(d("100")); err != nil {
		tb.Fatal(err)
	}
	add(tb, st, trader(tb, s, "100000", "", "0", "0", "0.005")) // 0 the street
	long := trader(tb, s, "0", "10", "1000", "100", "0.005")    // 1 long 1,000 @ 100 with 10 (100x)
	long.Orders = make([]engine.Order, 2)
	for k := range long.Orders {
		long.Orders[k].Qty.SetInt64(int64(k + 1))
		long.Orders[k].Price.SetInt64(98)
		long.Orders[k].Margin.Set(d("0.98"))
	}
	add(tb, st, long)
	for k := 0; k < 4; k++ { // 2..5 shorts of 250 @ 100, 101, 102, 103, each with a fee reserve
		short := trader(tb, s, "5000", "", "-250", []string{"100", "101", "102", "103"}[k], "0.005")
		short.FeeReserve.Set(d("12.51")) // scaled on every trade (Trader.FeeReserve)
		add(tb, st, short)
	}
	if err := st.SetFund(d("1000")); err != nil {
		tb.Fatal(err)
	}
	return st
}

// bracketMarket is a Binance market at the mark 40,000 whose traders
// were added in the 0.5% bracket (cum 50): trader 1, long 2 at 60,000
// with a wallet of 40,300 (notional 80,000, maintenance 350, equity 300:
// liquidatable), and four shorts of 0.5 at 60,000 against it.
func bracketMarket(tb testing.TB) *engine.State {
	tb.Helper()
	s := linear(tb, "0.1", "0.001", "0.01")
	p := engine.PresetBinance()
	st, err := engine.New(derivmath.NewContext(), s, p)
	noErr(tb, err)
	noErr(tb, st.SetMark(d("40000")))
	add(tb, st, trader(tb, s, "1000000", "", "0", "0", "0.004"))
	for k, q := range []string{"2", "-0.5", "-0.5", "-0.5", "-0.5"} {
		tr := trader(tb, s, []string{"40300", "1000"}[min(k, 1)], "", q, "60000", "0.005")
		tr.Tier = 1
		tr.Cum.Set(&p.RiskLimits[1].Cum)
		add(tb, st, tr)
	}
	return st
}

// wideMarket is allocMarket on 19-digit values (a minor unit, tick and
// fee reserves of 1E-14, marks and entries of thirds) with a long and
// shorts whose sizes start with a digit of 5 or more: apd allocates for a
// quotient of a 19-digit dividend by a divisor whose leading digits are
// larger, where the dividend times ten passes 64 bits (a coefficient from
// 1.85E18). Trader 1 is the long of 701 at 100x; 2..6 are five shorts,
// each with a fee reserve. Its mark is wideMark.
func wideMarket(tb testing.TB, p *engine.Preset) *engine.State {
	tb.Helper()
	const e14 = "0.00000000000001"
	s, err := contract.New(contract.Params{Kind: contract.Linear, Multiplier: "1", Tick: e14, Lot: "1", Minor: e14})
	noErr(tb, err)
	st, err := engine.New(derivmath.NewContext(), s, p)
	noErr(tb, err)
	noErr(tb, st.SetMark(d("100.3333333333333333")))
	add(tb, st, trader(tb, s, "10000", "", "0", "0", "0.005"))
	add(tb, st, trader(tb, s, "0", "7.01333333333333", "701", "100.3333333333333333", "0.005"))
	for k, q := range []string{"-50", "-51", "-500", "-50", "-50"} {
		short := trader(tb, s, "5000.33333333333333", "", q, []string{"100.3333333333333333", "101.3333333333333333", "102.6666666666666667", "103.1428571428571429", "100.7777777777777778"}[k], "0.005")
		short.FeeReserve.Set(d("12.51333333333333"))
		add(tb, st, short)
	}
	noErr(tb, st.SetFund(d("1000.33333333333333")))
	return st
}

// wideMark triggers wideMarket's long.
const wideMark = "99.83333333333333333"

// wideBracketMarket is bracketMarket on 19-digit values: trader 1 long
// m.qty at 60,000.33.. with a wide fee reserve and a wallet of m.wallet,
// liquidatable at m.mark in the 0.5% bracket (a notional of 280,000), and
// four shorts of m.short against it. Without a clearance fee its
// step-down's walk into the first bracket restores it, dividing on the
// way by the mark, the multiplier and the long's size.
func wideBracketMarket(tb testing.TB, m wideBracket) *engine.State {
	tb.Helper()
	const e10 = "0.0000000001"
	s, err := contract.New(contract.Params{Kind: contract.Linear, Multiplier: m.mult, Tick: e10, Lot: "0.001", Minor: e10})
	noErr(tb, err)
	p := engine.PresetBinance()
	p.ClearanceFee.SetInt64(0)
	st, err := engine.New(derivmath.NewContext(), s, p)
	noErr(tb, err)
	noErr(tb, st.SetMark(d(m.mark)))
	add(tb, st, trader(tb, s, "1000000", "", "0", "0", "0.004"))
	for k, q := range []string{m.qty, m.short, m.short, m.short, m.short} {
		tr := trader(tb, s, []string{m.wallet, "1000"}[min(k, 1)], "", q, "60000.33333333333333", "0.005")
		tr.Tier = 1
		tr.Cum.Set(&p.RiskLimits[1].Cum)
		if k == 0 {
			tr.FeeReserve.Set(d("12.5133333333"))
		}
		add(tb, st, tr)
	}
	return st
}

// A wideBracket is wideBracketMarket's parameters.
type wideBracket struct{ mult, qty, short, mark, wallet string }

// clones returns n copies of st, each with trader i triggered at mark: a
// state in the steady state of a liquidation (the solver compiled, the
// slices grown).
func clones(tb testing.TB, st *engine.State, n, i int, mark *apd.Decimal, warm func(*engine.State)) []*engine.State {
	tb.Helper()
	out := make([]*engine.State, n)
	for k := range out {
		c := st.Clone()
		if err := c.SetMark(mark); err != nil {
			tb.Fatal(err)
		}
		if _, ok, err := c.Trigger(nil, i); err != nil || !ok {
			tb.Fatalf("trigger: %v %v", ok, err)
		}
		if warm != nil {
			warm(c)
		}
		out[k] = c
	}
	return out
}

// TestAllocs checks what doc.go promises: the formulas, Mark, the state's
// sums and every step allocate nothing in the steady state, at the default
// precision, with a dst that has room. The steady state is a State whose
// slices have grown: each step runs on a clone of a triggered state (Clone
// keeps capacities), and ADL, which ranks, runs repeatedly on one state
// (the warm-up call grows its scratch).
//
// As orderbook's TestAllocs does, it counts every allocation of the runs
// of each row, not the average that testing.AllocsPerRun rounds down, so
// that a path that allocates now and then is seen; the least count of
// three attempts, each on states (and clones) built afresh, keeps out the
// runtime's own allocations (dectest.CheckMallocs). The rows that step
// run stepRuns times, each on a clone of its own, as do the ADLs of a
// contract a run, which the positions of 1,000 would not outlast; the
// others run 1,000 times.
func TestAllocs(t *testing.T) {
	dectest.CheckMallocs(t, 3, 1, 1000, func() []dectest.AllocCase { return allocCases(t, false) })
	dectest.CheckMallocs(t, 3, 1, stepRuns, func() []dectest.AllocCase { return allocCases(t, true) })
}

// stepRuns is how many times TestAllocs runs each row that steps.
const stepRuns = 500

// allocCases builds the states of TestAllocs afresh, and returns its rows
// that step (steps), or the others.
func allocCases(t *testing.T, steps bool) []dectest.AllocCase {
	t.Helper()
	ctx := derivmath.NewContext()
	var z apd.Decimal
	dst := make([]engine.Event, 0, 64)
	mark := d("99.5")
	const runs = stepRuns
	type row struct {
		name string
		fn   func()
	}
	var rows, stepRows []row
	{
		st := allocMarket(t, engine.PresetBitMEX())
		noErr(t, st.SetMark(mark))
		var adlIn engine.ADLInputs
		rows = append(rows,
			row{"Trigger", func() { dst, _, _ = st.Trigger(dst[:0], 1) }},
			row{"Trigger not liquidatable", func() { dst, _, _ = st.Trigger(dst[:0], 2) }},
			row{"Equity", func() { noErr(t, st.Equity(&z, 1)) }},
			row{"Total", func() { noErr(t, st.Total(&z)) }},
			row{"NetQty", func() { noErr(t, st.NetQty(&z)) }},
			row{"SetMark", func() { noErr(t, st.SetMark(mark)) }},
			row{"MustADL", func() { _, _ = st.MustADL(1, &adlIn) }},
		)
	}
	var in engine.MarkInputs
	in.Index.SetInt64(50000)
	in.Rate.Set(apd.New(1, -4))
	in.Basis.SetInt64(3)
	in.Last.SetInt64(50010)
	in.Oracle.SetInt64(50000)
	in.BasisRate.Set(apd.New(1, -3))
	in.Until, in.Interval = 4*time.Hour, 8*time.Hour
	dated := engine.PresetBybit()
	dated.Mark = engine.MarkDated
	for _, p := range []*engine.Preset{engine.PresetBitMEX(), engine.PresetBinance(), dated, engine.PresetOKX()} {
		rows = append(rows, row{"Mark " + p.Mark.String(), func() { noErr(t, engine.Mark(ctx, &z, p, &in)) }})
	}
	// Operands parsed on first use (the warm-up call): parsing
	// allocates, a map lookup does not.
	parsed := map[string]*apd.Decimal{}
	c := func(x string) *apd.Decimal {
		if v, ok := parsed[x]; ok {
			return v
		}
		parsed[x] = d(x)
		return parsed[x]
	}
	rows = append(rows,
		row{"ScoreBitMEX", func() { noErr(t, engine.ScoreBitMEX(ctx, &z, c("110"), c("100"), c("90"))) }},
		row{"ScoreBinance", func() { noErr(t, engine.ScoreBinance(ctx, &z, c("20"), c("100"), c("6"), true)) }},
		row{"ScoreHyperliquid", func() { noErr(t, engine.ScoreHyperliquid(ctx, &z, c("110000"), c("100000"), c("220000"), c("50000"))) }},
		row{"ScoreOKX", func() { noErr(t, engine.ScoreOKX(ctx, &z, c("0.2"), c("4"))) }},
		row{"InsuranceDelta", func() { noErr(t, engine.InsuranceDelta(ctx, &z, c("5610"), c("5100"), c("0.005"), c("0.000001"))) }},
		row{"BankruptQuote", func() {
			noErr(t, engine.BankruptQuote(ctx, &z, c("499"), c("500"), c("-5000"), c("-500"), c("0.000001")))
		}},
		row{"Fillable", func() {
			noErr(t, engine.Fillable(ctx, &z, c("5000"), c("500"), c("0.1"), c("499"), c("500"), c("1"), c("0.1")))
		}},
		row{"DriftBase", func() { noErr(t, engine.DriftBase(ctx, &z, c("10"), c("100"), c("0.1"), c("0.01"), c("0.01"))) }},
		row{"DriftIfFee", func() {
			noErr(t, engine.DriftIfFee(ctx, &z, c("20"), c("10"), c("100"), c("0.05"), c("0.01"), c("0.05")))
		}},
		row{"PartialOKX", func() { noErr(t, engine.PartialOKX(ctx, &z, c("15000"), 3, c("2000"))) }},
		row{"NotionalDYDX", func() {
			noErr(t, engine.NotionalDYDX(ctx, &z, c("50000"), c("0"), c("1000"), c("0.1"), c("100000"), c("0.000001")))
		}},
		row{"Drawdown", func() { noErr(t, engine.Drawdown(ctx, &z, c("-350000"), c("0"), c("1000000"))) }},
		row{"ClawbackRate", func() { noErr(t, engine.ClawbackRate(ctx, &z, c("8"), c("0"), c("9"))) }},
	)
	// The formulas again on operands of 19 digits whose quotients do not
	// terminate (thirds, sevenths), and both branches of each: apd
	// allocates for such a quotient, the number layer does not.
	const third, twoThirds = "0.3333333333333333333", "0.6666666666666666667"
	rows = append(rows,
		row{"Mark MarkDated thirds", func() {
			var in engine.MarkInputs
			in.Index.Set(c("50000.33333333333333"))
			in.BasisRate.Set(c(third))
			noErr(t, engine.Mark(ctx, &z, dated, &in))
		}},
		row{"ScoreBitMEX profit thirds", func() {
			noErr(t, engine.ScoreBitMEX(ctx, &z, c("90.66666666666666667"), c("70.33333333333333333"), c("40.33333333333333333")))
		}},
		row{"ScoreBitMEX loss thirds", func() {
			noErr(t, engine.ScoreBitMEX(ctx, &z, c("70.33333333333333333"), c("90.66666666666666667"), c("40.33333333333333333")))
		}},
		row{"ScoreBinance thirds", func() { noErr(t, engine.ScoreBinance(ctx, &z, c(third), c("7"), c("6"), true)) }},
		row{"ScoreBinance no floor thirds", func() {
			noErr(t, engine.ScoreBinance(ctx, &z, c("20.33333333333333333"), c(third), c(twoThirds), false))
		}},
		row{"ScoreHyperliquid thirds", func() {
			noErr(t, engine.ScoreHyperliquid(ctx, &z, c("110.3333333333333333"), c("100"), c("220.6666666666666667"), c("30.33333333333333333")))
		}},
		row{"ScoreOKX profit thirds", func() { noErr(t, engine.ScoreOKX(ctx, &z, c(third), c("0.7777777777777777777"))) }},
		row{"ScoreOKX loss thirds", func() { noErr(t, engine.ScoreOKX(ctx, &z, c("-0.3333333333333333333"), c("7.777777777777777777"))) }},
		row{"BankruptQuote thirds", func() {
			noErr(t, engine.BankruptQuote(ctx, &z, c("499.3333333333333333"), c("300.6666666666666667"), c("-5000"), c("-500.3333333333333333"), c("0.000001")))
		}},
		row{"Fillable thirds", func() {
			noErr(t, engine.Fillable(ctx, &z, c("5000.333333333333333"), c("500.6666666666666667"), c(third), c("499.3333333333333333"), c("500.6666666666666667"), c("1"), c("0.1")))
		}},
		row{"InsuranceDelta thirds", func() {
			noErr(t, engine.InsuranceDelta(ctx, &z, c("5610.333333333333333"), c("5100.666666666666667"), c("0.005"), c("0.000001")))
		}},
		row{"DriftBase thirds", func() {
			noErr(t, engine.DriftBase(ctx, &z, c(third), c("100"), c("0.1"), c("0.01"), c("0.02")))
		}},
		row{"DriftIfFee thirds", func() {
			noErr(t, engine.DriftIfFee(ctx, &z, c("20.33333333333333333"), c(third), c("100.6666666666666667"), c("0.05"), c("0.01"), c("0.05")))
		}},
		row{"PartialOKX thirds", func() { noErr(t, engine.PartialOKX(ctx, &z, c("15000.33333333333333"), 3, c("2000.666666666666667"))) }},
		row{"NotionalDYDX thirds", func() {
			noErr(t, engine.NotionalDYDX(ctx, &z, c("50000.33333333333333"), c(third), c("1000"), c("0.1"), c("100000"), c("0.000001")))
		}},
		row{"Drawdown thirds", func() {
			noErr(t, engine.Drawdown(ctx, &z, c("-350000.3333333333333"), c(third), c("1000000.666666666667")))
		}},
		row{"ClawbackRate thirds", func() {
			noErr(t, engine.ClawbackRate(ctx, &z, c("8.333333333333333333"), c(third), c("9.666666666666666667")))
		}},
	)
	// Steps on fresh clones, each with trader 1 triggered.
	step := func(name string, p *engine.Preset, warm func(*engine.State), fn func(*engine.State) error) {
		if !steps {
			return
		}
		sts := clones(t, allocMarket(t, p), runs+1, 1, mark, warm)
		k := 0
		stepRows = append(stepRows, row{name, func() { noErr(t, fn(sts[k])); k++ }})
	}
	var err error
	step("Cancel", engine.PresetBitMEX(), nil, func(st *engine.State) error {
		dst, err = st.Cancel(dst[:0], 1)
		return err
	})
	for _, p := range []*engine.Preset{engine.PresetDeribit(), engine.PresetHyperliquid(), engine.PresetDYDX()} {
		step("StepDown "+p.Partial.String(), p, nil, func(st *engine.State) error {
			dst, _, err = st.StepDown(dst[:0], 1)
			return err
		})
	}
	for _, p := range []*engine.Preset{engine.PresetBitMEX(), engine.PresetBinance(), engine.PresetDYDX()} {
		step("Takeover "+p.Venue.String(), p, nil, func(st *engine.State) error {
			dst, _, err = st.Takeover(dst[:0], 1)
			return err
		})
	}
	takeover := func(st *engine.State) { _, _, _ = st.Takeover(nil, 1) }
	// Fills at or beyond every preset's limit (the bankruptcy price 99.99).
	fills := []engine.Fill{fill("600", "100", 0), fill("400", "100.25", 0)}
	for _, p := range []*engine.Preset{engine.PresetBitMEX(), engine.PresetBinance(), engine.PresetHyperliquid()} {
		step("Execute "+p.Venue.String(), p, takeover, func(st *engine.State) error {
			dst, err = st.Execute(dst[:0], 1, fills)
			return err
		})
	}
	{
		st := allocMarket(t, engine.PresetBitMEX())
		noErr(t, st.SetMark(mark))
		_, _, _ = st.Trigger(nil, 1)
		takeover(st)
		one := d("1")
		// The fund's takeover intent stays open: each ADL cuts it to
		// the inventory left (Reduced).
		stepRows = append(stepRows, row{"ADL", func() {
			dst, err = st.ADL(dst[:0], engine.Fund, one, 1)
			noErr(t, err)
		}})
	}
	// ADL under the rankings whose scores divide (the shorts' entries of
	// 101 and 103 give quotients that do not terminate): trader 1's long
	// deleveraged a contract at a time, as in TestUndoLogBounded.
	for _, p := range []*engine.Preset{engine.PresetOKX(), engine.PresetHyperliquid()} {
		st := allocMarket(t, p)
		noErr(t, st.SetMark(mark))
		one := d("1")
		stepRows = append(stepRows, row{"ADL " + p.ADL.String(), func() {
			dst, err = st.ADL(dst[:0], 1, one, 1)
			noErr(t, err)
		}})
	}
	// AppendADLQueue under each ranking, with a dst that has room: it
	// reads, so it runs repeatedly on one state.
	for _, p := range []*engine.Preset{engine.PresetBitMEX(), engine.PresetDYDX(), engine.PresetDrift(), engine.PresetOKX(), engine.PresetHyperliquid()} {
		st := allocMarket(t, p)
		noErr(t, st.SetMark(mark))
		q := make([]engine.Candidate, 0, st.Len())
		rows = append(rows, row{"AppendADLQueue " + p.ADL.String(), func() {
			q, err = st.AppendADLQueue(q[:0], 1, 7)
			noErr(t, err)
			if len(q) == 0 {
				t.Fatal("AppendADLQueue found no candidate")
			}
		}})
	}
	{
		// Binance's brackets (State.Brackets): the trigger, the step-down's
		// walk and the ADL scores look the bracket up at the mark.
		st := bracketMarket(t)
		bmark, lot := d("40000"), d("0.001")
		q := make([]engine.Candidate, 0, st.Len())
		if steps {
			sts := clones(t, st, runs+1, 1, bmark, nil)
			k := 0
			stepRows = append(stepRows, row{"StepDown Binance brackets", func() {
				dst, _, err = sts[k].StepDown(dst[:0], 1)
				noErr(t, err)
				k++
			}})
		}
		rows = append(rows,
			row{"Trigger Binance brackets", func() { dst, _, _ = st.Trigger(dst[:0], 1) }},
			row{"AppendADLQueue Binance brackets", func() {
				q, err = st.AppendADLQueue(q[:0], 1, 1)
				noErr(t, err)
			}},
			row{"ADL Binance brackets", func() {
				dst, err = st.ADL(dst[:0], 1, lot, 1)
				noErr(t, err)
			}},
		)
		// TestADLFitsStepDownToTarget's long steps down with an IOC of
		// 9.167, which stays open: each ADL of a lot cuts it by a lot, to
		// what lies above its target (Reduced).
		s := linear(t, "0.1", "0.001", "0.01")
		p := engine.PresetBinance()
		p.ClearanceFee.SetInt64(0)
		sd := state(t, s, p)
		add(t, sd, binanceAt(t, 3, "2000", "10", "60000"))
		add(t, sd, trader(t, s, "1000000", "", "-10", "60000", "0.004"))
		noErr(t, sd.SetMark(d("60000")))
		_, _, err = sd.Trigger(nil, 0)
		noErr(t, err)
		var sid engine.IntentID
		_, sid, err = sd.StepDown(nil, 0)
		noErr(t, err)
		if in := sd.Intent(sid); in == nil || in.Qty.Cmp(d("9.167")) != 0 {
			t.Fatalf("the long's step-down intent %v: want one of 9.167", in)
		}
		rows = append(rows, row{"ADL of a step-down", func() {
			dst, err = sd.ADL(dst[:0], 0, lot, 1)
			noErr(t, err)
			if len(dst) == 0 || dst[len(dst)-1].Kind != engine.Reduced {
				t.Fatal("ADL did not cut the step-down")
			}
		}})
	}
	// socialise runs Socialise and fails unless it charged at least n
	// winners.
	socialise := func(n int) func(*engine.State) error {
		return func(st *engine.State) error {
			dst, err = st.Socialise(dst[:0])
			if len(dst) < n {
				t.Fatalf("Socialise charged %d winners, want %d or more", len(dst), n)
			}
			return err
		}
	}
	// OKX: the fund takes the long at 99.99 and sells it at 99: a loss of
	// 990 the fund's 1,000 covers; empty the fund first, then clawback.
	step("Socialise Clawback", engine.PresetOKX(), func(st *engine.State) {
		noErr(t, st.SetFund(d("0")))
		takeover(st)
		_, err := st.Execute(nil, 1, []engine.Fill{fill("1000", "99", 0)})
		noErr(t, err)
	}, socialise(1))
	// Drift: the fund's 1,000 covers the long's loss of 990, but its
	// insurance pays only up to the cap of 500: the other 490 is
	// socialised.
	drift := engine.PresetDrift()
	drift.CapInsurance = true
	drift.MaxInsurance.Set(d("500"))
	step("Socialise DriftFunding", drift, func(st *engine.State) {
		takeover(st)
		_, err := st.Execute(nil, 1, []engine.Fill{fill("1000", "99", 0)})
		noErr(t, err)
	}, socialise(1))
	// SplitEqual sorts the winners' profits in ADL's scratch, which an
	// ADL grows first: the fund sells half at 99, then deleverages the
	// rest at the mark, 99.5.
	equal := engine.PresetOKX()
	equal.Split = engine.SplitEqual
	step("Socialise Clawback SplitEqual", equal, func(st *engine.State) {
		noErr(t, st.SetFund(d("0")))
		takeover(st)
		_, err := st.Execute(nil, 1, []engine.Fill{fill("500", "99", 0)})
		noErr(t, err)
		_, err = st.ADL(nil, engine.Fund, d("500"), 1)
		noErr(t, err)
	}, socialise(2))
	// The steps again on wideMarket and wideBracketMarket, whose
	// divisions do not terminate on 19-digit dividends: the realised PnL's
	// cost of what remains, the fee reserve at a new size (Execute, ADL),
	// the step-down's cost of what remains and quantity at a limit, the
	// DriftFunding rate and SplitEqual's level.
	wmark := d(wideMark)
	wide := func(name string, st *engine.State, i int, mark *apd.Decimal, warm func(*engine.State), fn func(*engine.State) error) {
		if !steps {
			return
		}
		sts := clones(t, st, runs+1, i, mark, warm)
		k := 0
		stepRows = append(stepRows, row{name + " wide", func() { noErr(t, fn(sts[k])); k++ }})
	}
	wideFills := []engine.Fill{fill("400", "100.33333333333333", 0), fill("301", "100.66666666666667", 0)}
	for _, p := range []*engine.Preset{engine.PresetBitMEX(), engine.PresetBinance(), engine.PresetHyperliquid()} {
		wide("Execute "+p.Venue.String(), wideMarket(t, p), 1, wmark, takeover, func(st *engine.State) error {
			dst, err = st.Execute(dst[:0], 1, wideFills)
			return err
		})
	}
	// An ADL of a contract first grows the ranking's scratch.
	seven := d("7")
	wide("ADL", wideMarket(t, engine.PresetBitMEX()), 1, wmark, func(st *engine.State) {
		takeover(st)
		_, err := st.ADL(nil, engine.Fund, d("1"), 1)
		noErr(t, err)
	}, func(st *engine.State) error {
		dst, err = st.ADL(dst[:0], engine.Fund, seven, 1)
		return err
	})
	for _, m := range []wideBracket{
		{mult: "1", qty: "7", short: "-1.75", mark: "40000.33333333333333", wallet: "141000.3333333333"},
		{mult: "0.7", qty: "20", short: "-5", mark: "20000.33333333333333", wallet: "561000.3333333333"},
	} {
		wide("StepDown Binance brackets multiplier "+m.mult, wideBracketMarket(t, m), 1, d(m.mark), nil, func(st *engine.State) error {
			var id engine.IntentID
			if dst, id, err = st.StepDown(dst[:0], 1); id == 0 {
				t.Fatal("StepDown stepped nothing down")
			}
			return err
		})
	}
	wideDrift := engine.PresetDrift()
	wideDrift.CapInsurance = true
	wideDrift.MaxInsurance.Set(d("500"))
	wide("Socialise DriftFunding", wideMarket(t, wideDrift), 1, wmark, func(st *engine.State) {
		takeover(st)
		// A loss of 19 digits (35,000 and more), on 802 open contracts
		// (the street's 401, the shorts' 401).
		_, err := st.Execute(nil, 1, []engine.Fill{fill("401", "48.33333333333333", 0), fill("300", "48.33333333333333", 4)})
		noErr(t, err)
	}, socialise(1))
	// The fund sells 401 at 50.33.. and deleverages the rest; at the mark
	// 15.33.. the five shorts' profits cover its loss of 20,193.. and the
	// level is a fifth of it.
	wide("Socialise Clawback SplitEqual", wideMarket(t, equal), 1, wmark, func(st *engine.State) {
		noErr(t, st.SetFund(d("0")))
		takeover(st)
		_, err := st.Execute(nil, 1, []engine.Fill{fill("401", "50.33333333333333", 0)})
		noErr(t, err)
		_, err = st.ADL(nil, engine.Fund, d("300"), 1)
		noErr(t, err)
		noErr(t, st.SetMark(d("15.33333333333333333")))
	}, socialise(5))
	if steps {
		rows = stepRows
	}
	var out []dectest.AllocCase
	for _, r := range rows {
		out = append(out, dectest.AllocCase{Name: r.name, Fn: r.fn})
	}
	return out
}

// TestCloneKeepsCapacities checks Clone's doc: the copy's traders and each
// trader's orders have the source's capacities, so that the clone grows
// where the source would not.
func TestCloneKeepsCapacities(t *testing.T) {
	st := allocMarket(t, engine.PresetBitMEX())
	noErr(t, st.SetMark(d("99.5")))
	if _, ok, err := st.Trigger(nil, 1); err != nil || !ok {
		t.Fatalf("trigger: %v %v", ok, err)
	}
	if _, err := st.Cancel(nil, 1); err != nil {
		t.Fatal(err)
	}
	src := st.Trader(1).Orders
	if len(src) != 0 || cap(src) == 0 {
		t.Fatalf("after S3 the orders have len %d cap %d, want 0 and room", len(src), cap(src))
	}
	c := st.Clone()
	if got := cap(c.Trader(1).Orders); got != cap(src) {
		t.Errorf("clone's orders have cap %d, want %d", got, cap(src))
	}
	// Adding a trader moves the traders only when there is no room: the
	// clone must have the room the source has.
	s := st.Spec()
	p := c.Trader(0)
	add(t, c, trader(t, s, "1", "", "0", "0", "0.005"))
	q := st.Trader(0)
	add(t, st, trader(t, s, "1", "", "0", "0", "0.005"))
	if st.Trader(0) != q {
		t.Fatal("the source had no room for a trader")
	}
	if c.Trader(0) != p {
		t.Errorf("adding a trader to the clone moved its traders: the clone has less room than the source")
	}
}

// TestUndoLogBounded: the undo log a step keeps for its rollback holds
// only what the last step overwrote, each step that may roll back
// emptying it first (doc.go, Allocation), so that it does not grow with
// the number of steps. Fifty ADLs of one contract, each a trade and its
// realised PnL against the same short, leave it as the first left it.
func TestUndoLogBounded(t *testing.T) {
	st := allocMarket(t, engine.PresetBitMEX())
	noErr(t, st.SetMark(d("99.5")))
	one := d("1")
	var dst []engine.Event
	var first int
	for k := 0; k < 50; k++ {
		var err error
		if dst, err = st.ADL(dst[:0], 1, one, 1); err != nil {
			t.Fatal(err)
		}
		if k == 0 {
			first = st.UndoLen()
			if first == 0 {
				t.Fatal("an ADL left nothing in the undo log: the test tests nothing")
			}
		}
	}
	if got := st.UndoLen(); got != first {
		t.Errorf("after 50 ADLs the undo log holds %d values, after one %d", got, first)
	}
}

// TestAllocsErrors: a failed step or formula allocates nothing either
// (dst with room, the steady state): its error is a sentinel, or one
// built once, and the step restores what it wrote from its log. The
// costless remainder is an ADL in the manner of TestCostlessRemainder,
// refused with ErrPosition after its trades were applied. Each call must
// fail with the error named, on every run.
//
// As drive's and orderbook's TestAllocs do, it counts every allocation of
// 1,000 runs of each row, not the average that testing.AllocsPerRun
// rounds down, so that an error path that allocates now and then is seen;
// the least count of three attempts, each on states built afresh, keeps
// out the runtime's own allocations.
func TestAllocsErrors(t *testing.T) {
	dectest.CheckMallocs(t, 3, 1, 1000, func() []dectest.AllocCase { return errorCases(t) })
}

// errorCases builds the states of TestAllocsErrors afresh, and returns
// its rows.
func errorCases(t *testing.T) []dectest.AllocCase {
	t.Helper()
	ctx := derivmath.NewContext()
	var z apd.Decimal
	dst := make([]engine.Event, 0, 64)
	mark := d("99.5")
	st := allocMarket(t, engine.PresetBitMEX())
	noErr(t, st.SetMark(mark))
	_, _, _ = st.Trigger(nil, 1)
	_, _, _ = st.Takeover(nil, 1)
	// Long 1,000 at 0.004 costs 4.00; after an ADL of 999 the remaining 1
	// would cost 0.004, which rounds to no minor unit.
	s := linear(t, "0.001", "1", "0.01")
	cl, err := engine.New(ctx, s, engine.PresetGMX())
	noErr(t, err)
	h := add(t, cl, trader(t, s, "0", "4", "1000", "0.004", "0.005"))
	add(t, cl, trader(t, s, "1000", "", "-1000", "0.004", "0.005"))
	noErr(t, cl.SetMark(d("0.004")))
	over := []engine.Fill{fill("600", "100", 0), fill("600", "100.25", 0)}
	zero, one, big, q999 := d("0"), d("1"), d("1E+40"), d("999")
	var rows []dectest.AllocCase
	for _, r := range []struct {
		name string
		want error
		fn   func() error
	}{
		{"Trigger trader", engine.ErrTrader, func() (err error) { dst, _, err = st.Trigger(dst[:0], 99); return err }},
		{"Execute overfill", engine.ErrOverfill, func() (err error) { dst, err = st.Execute(dst[:0], 1, over); return err }},
		{"Execute intent", engine.ErrUnknownIntent, func() (err error) { dst, err = st.Execute(dst[:0], 99, over); return err }},
		{"ADL overfill", engine.ErrOverfill, func() (err error) { dst, err = st.ADL(dst[:0], engine.Fund, big, 1); return err }},
		{"ADL costless remainder", engine.ErrPosition, func() (err error) { dst, err = cl.ADL(dst[:0], h, q999, 0); return err }},
		{"SetMark price", derivmath.ErrPrice, func() error { return st.SetMark(zero) }},
		{"Equity trader", engine.ErrTrader, func() error { return st.Equity(&z, 99) }},
		{"ScoreOKX", engine.ErrPosition, func() error { return engine.ScoreOKX(ctx, &z, one, zero) }},
		{"Drawdown", derivmath.ErrContext, func() error { return engine.Drawdown(nil, &z, one, zero, one) }},
	} {
		rows = append(rows, dectest.Fails(t, r.name, r.want, r.fn))
	}
	return rows
}
