package engine_test

import (
	"errors"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/engine"
	"github.com/derivmath/derivmath/liquidation"
)

// TestMustADL checks each venue's ADL trigger on a holder left with a
// position: a long 1 @ 100 (margin 1, so bankrupt at 99) against a short.
func TestMustADL(t *testing.T) {
	for _, c := range []struct {
		name    string
		preset  *engine.Preset
		fund    string
		peak    string
		running bool
		mark    string
		want    bool
	}{
		// Bybit adl-alert (A1): pool 1M, A's PnL -350K: ratio -0.35 < -0.3.
		{name: "A1 Bybit -0.35 starts", preset: engine.PresetBybit(), fund: "650000", peak: "1000000", mark: "100", want: true},
		{name: "Bybit -0.30 does not start", preset: engine.PresetBybit(), fund: "700000", peak: "1000000", mark: "100"},
		{name: "Bybit -0.26 running goes on", preset: engine.PresetBybit(), fund: "740000", peak: "1000000", running: true, mark: "100", want: true},
		{name: "Bybit -0.25 running goes on", preset: engine.PresetBybit(), fund: "750000", peak: "1000000", running: true, mark: "100", want: true},
		{name: "Bybit -0.24 running stops", preset: engine.PresetBybit(), fund: "760000", peak: "1000000", running: true, mark: "100"},
		{name: "Bybit below threshold", preset: engine.PresetBybit(), fund: "6000", peak: "10000", mark: "100"},
		{name: "Bybit at threshold", preset: engine.PresetBybit(), fund: "10000", peak: "20000", mark: "100"},
		{name: "Bybit above threshold", preset: engine.PresetBybit(), fund: "10000.01", peak: "20000", mark: "100", want: true},
		{name: "Bybit no peak", preset: engine.PresetBybit(), fund: "1", peak: "0", mark: "100"},
		{name: "Bybit pool empty", preset: engine.PresetBybit(), fund: "0", peak: "0", mark: "100", want: true},
		// OKX: 30% below the peak.
		{name: "OKX -0.31", preset: engine.PresetOKX(), fund: "69", peak: "100", mark: "100", want: true},
		{name: "OKX -0.30", preset: engine.PresetOKX(), fund: "70", peak: "100", mark: "100"},
		// Binance: notional 100 at the mark against the fund.
		{name: "Binance fund covers", preset: engine.PresetBinance(), fund: "100", peak: "0", mark: "100"},
		{name: "Binance net notional over", preset: engine.PresetBinance(), fund: "99.99", peak: "0", mark: "100", want: true},
		// BitMEX, for a trader holder: the mark reached P_B = 99.
		{name: "BitMEX above P_B", preset: engine.PresetBitMEX(), fund: "10", peak: "0", mark: "99.5"},
		{name: "BitMEX at P_B", preset: engine.PresetBitMEX(), fund: "10", peak: "0", mark: "99", want: true},
		{name: "BitMEX fund empty", preset: engine.PresetBitMEX(), fund: "0", peak: "0", mark: "99.5", want: true},
		// dYdX and Hyperliquid: equity below zero.
		{name: "dYdX TNC 0", preset: engine.PresetDYDX(), fund: "10", peak: "0", mark: "99"},
		{name: "dYdX TNC < 0", preset: engine.PresetDYDX(), fund: "10", peak: "0", mark: "98.99", want: true},
		{name: "Hyperliquid value < 0", preset: engine.PresetHyperliquid(), fund: "10", peak: "0", mark: "98", want: true},
		{name: "GMX remainder", preset: engine.PresetGMX(), fund: "10", peak: "0", mark: "100", want: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := derivmath.NewContext()
			s := linear(t, "0.01", "1", "0.01")
			p := c.preset
			p.Partial, p.RiskLimits = engine.PartialNone, nil
			st, err := engine.New(ctx, s, p)
			if err != nil {
				t.Fatal(err)
			}
			a := add(t, st, trader(t, s, "0", "1", "1", "100", "0.005"))
			add(t, st, trader(t, s, "1000", "", "-1", "100", "0.005"))
			flat := add(t, st, trader(t, s, "1000", "", "0", "0", "0.005"))
			if err := st.SetFund(d(c.fund)); err != nil {
				t.Fatal(err)
			}
			if err := st.SetMark(d(c.mark)); err != nil {
				t.Fatal(err)
			}
			in := &engine.ADLInputs{Running: c.running}
			in.Peak.Set(d(c.peak))
			before := st.Clone()
			got, err := st.MustADL(a, in)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("MustADL = %v, want %v", got, c.want)
			}
			if got, err := st.MustADL(flat, in); err != nil || got {
				t.Errorf("flat holder: MustADL = %v, %v; want false", got, err)
			}
			if total(t, st).Cmp(total(t, before)) != 0 {
				t.Error("MustADL changed the state")
			}
		})
	}
}

// TestMustADLFund checks BitMEX's rule on the fund's inventory (I1's
// figures): taken over at P_B 99.00, it needs ADL only once the mark is at
// or below 99.00 or the fund is empty.
func TestMustADLFund(t *testing.T) {
	ctx := derivmath.NewContext()
	s := linear(t, "0.25", "1", "0.01")
	p := engine.PresetBitMEX()
	p.Partial, p.RiskLimits = engine.PartialNone, nil
	st, err := engine.New(ctx, s, p)
	if err != nil {
		t.Fatal(err)
	}
	a := add(t, st, trader(t, s, "0", "1", "1", "100", "0.005"))
	add(t, st, trader(t, s, "1000", "", "-1", "100", "0.005"))
	if err := st.SetFund(d("5")); err != nil {
		t.Fatal(err)
	}
	if err := st.SetMark(d("99.5")); err != nil {
		t.Fatal(err)
	}
	var ev []engine.Event
	ev, liq, err := st.Trigger(ev, a)
	if err != nil || !liq {
		t.Fatal(liq, err)
	}
	if _, _, err = st.Takeover(ev, a); err != nil {
		t.Fatal(err)
	}
	in := &engine.ADLInputs{}
	for _, c := range []struct {
		mark string
		want bool
	}{{"99.5", false}, {"99.25", false}, {"99", true}, {"98.75", true}} {
		if err := st.SetMark(d(c.mark)); err != nil {
			t.Fatal(err)
		}
		got, err := st.MustADL(engine.Fund, in)
		if err != nil || got != c.want {
			t.Errorf("mark %s: MustADL = %v, %v; want %v", c.mark, got, err, c.want)
		}
	}
}

func TestMustADLErrors(t *testing.T) {
	ctx := derivmath.NewContext()
	s := linear(t, "0.01", "1", "0.01")
	st, err := engine.New(ctx, s, engine.PresetBybit())
	if err != nil {
		t.Fatal(err)
	}
	add(t, st, trader(t, s, "1000", "", "0", "0", "0.005"))
	in := &engine.ADLInputs{}
	if _, err := st.MustADL(0, in); !errors.Is(err, derivmath.ErrPrice) {
		t.Errorf("before the mark: %v", err)
	}
	if err := st.SetMark(d("100")); err != nil {
		t.Fatal(err)
	}
	if _, err := st.MustADL(7, in); !errors.Is(err, engine.ErrTrader) {
		t.Errorf("no trader: %v", err)
	}
	in.Peak.Set(d("-1"))
	if _, err := st.MustADL(0, in); !errors.Is(err, engine.ErrNegativeFund) {
		t.Errorf("negative peak: %v", err)
	}
	var nan apd.Decimal
	nan.Form = apd.NaN
	in.Peak.Set(&nan)
	if _, err := st.MustADL(0, in); err == nil {
		t.Error("NaN peak: no error")
	}
}

func TestPresetADLRatios(t *testing.T) {
	for _, c := range []struct{ ratio, stop, threshold string }{
		{"0.1", "0.2", "0"}, {"-0.3", "-0.4", "0"}, {"-0.3", "-0.25", "-1"},
	} {
		p := engine.PresetBybit()
		p.ADLRatio.Set(d(c.ratio))
		p.ADLStop.Set(d(c.stop))
		p.ADLThreshold.Set(d(c.threshold))
		if err := p.Validate(); !errors.Is(err, engine.ErrPreset) {
			t.Errorf("%+v: %v, want ErrPreset", c, err)
		}
	}
	p := engine.PresetBybit()
	p.ADLTrigger = 0
	if err := p.Validate(); !errors.Is(err, engine.ErrPreset) {
		t.Errorf("zero trigger: %v", err)
	}
}

func TestPresetFundScope(t *testing.T) {
	p := engine.PresetOKX()
	p.Fund = engine.FundCrossIsolated + 1
	if err := p.Validate(); !errors.Is(err, engine.ErrPreset) {
		t.Errorf("scope out of range: %v", err)
	}
	p.Fund = 0
	if err := p.Validate(); !errors.Is(err, engine.ErrPreset) {
		t.Errorf("zero scope: %v", err)
	}
}

// TestADLValidity: dYdX's rule skips a counterparty the deleveraging would
// leave under-collateralised with a lower collateral ratio. The bankrupt
// long 1 @ 110 (margin 5, mark 100) closes at 105; the first short
// (equity 2 < maintenance 5) would end flat at -3 and is skipped; the
// second takes it all.
func TestADLValidity(t *testing.T) {
	for _, c := range []struct {
		name     string
		validity bool
		healthy  bool
		want     int // trader that closes; -1: ErrNoCounterparty
	}{
		{"rule off, first in order", false, true, 1},
		{"rule on, skip the weak short", true, true, 2},
		{"rule on, nobody valid", true, false, -1},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := derivmath.NewContext()
			s := linear(t, "0.01", "1", "0.01")
			p := engine.PresetDYDX()
			p.Partial, p.ADL, p.ADLValidity = engine.PartialNone, engine.RankIndex, c.validity
			st, err := engine.New(ctx, s, p)
			if err != nil {
				t.Fatal(err)
			}
			h := add(t, st, trader(t, s, "0", "5", "1", "110", "0.05"))
			add(t, st, trader(t, s, "1", "", "-1", "101", "0.05"))
			healthy := "-1"
			if !c.healthy {
				healthy = "0"
			}
			add(t, st, trader(t, s, "100", "", healthy, "100", "0.05"))
			street := "1"
			if !c.healthy {
				street = "0"
			}
			add(t, st, trader(t, s, "1000", "", street, "100", "0.05"))
			if err := st.SetMark(d("100")); err != nil {
				t.Fatal(err)
			}
			before := st.Clone()
			t0 := total(t, st)
			ev, err := st.ADL(nil, h, d("1"), 1)
			if c.want < 0 {
				if !errors.Is(err, engine.ErrNoCounterparty) || len(ev) != 0 {
					t.Fatalf("ADL: %v, %d events; want ErrNoCounterparty and none", err, len(ev))
				}
				if st.Trader(1).Qty.Cmp(&before.Trader(1).Qty) != 0 || total(t, st).Cmp(t0) != 0 {
					t.Fatal("a refused ADL changed the state")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for j := 1; j <= 2; j++ {
				closed := st.Trader(j).Qty.IsZero()
				if closed != (j == c.want) {
					t.Errorf("trader %d qty %s; want only trader %d closed", j, st.Trader(j).Qty.String(), c.want)
				}
			}
			if total(t, st).Cmp(t0) != 0 {
				t.Errorf("total %s, was %s", total(t, st).String(), t0.String())
			}
		})
	}
}

// TestADLValidityReduces: dYdX's rule judges the counterparty's position
// after the deleveraging, which reduces it. A short 2 @ 100 with equity 4
// (maintenance 10 at 5%) that buys 1 of the bankrupt long at 100 keeps
// equity 4 against maintenance 5: still under-collateralised, but with a
// higher ratio (0.8 >= 0.4) and a lower maintenance, so it is valid
// (x/subaccounts/lib/updates.go) and closes half its position.
func TestADLValidityReduces(t *testing.T) {
	ctx := derivmath.NewContext()
	s := linear(t, "0.01", "1", "0.01")
	p := engine.PresetDYDX()
	p.Partial, p.ADL = engine.PartialNone, engine.RankIndex
	st, err := engine.New(ctx, s, p)
	if err != nil {
		t.Fatal(err)
	}
	h := add(t, st, trader(t, s, "0", "10", "1", "110", "0.05"))
	j := add(t, st, trader(t, s, "4", "", "-2", "100", "0.05"))
	add(t, st, trader(t, s, "1000", "", "1", "100", "0.05"))
	if err := st.SetMark(d("100")); err != nil {
		t.Fatal(err)
	}
	t0 := total(t, st)
	if _, err := st.ADL(nil, h, d("1"), 1); err != nil {
		t.Fatalf("ADL: %v; want the reducing counterparty valid", err)
	}
	if got := &st.Trader(j).Qty; got.Cmp(d("-1")) != 0 {
		t.Errorf("counterparty qty %s, want -1", got.String())
	}
	if !st.Trader(h).Qty.IsZero() {
		t.Errorf("holder qty %s, want 0", st.Trader(h).Qty.String())
	}
	if total(t, st).Cmp(t0) != 0 {
		t.Errorf("total %s, was %s", total(t, st).String(), t0.String())
	}
}

// TestADLRankOKXInverse: OKX's score divides roi = s*(mark - entry)/entry
// by the margin ratio (ScoreOKX), on inverse contracts too, where the
// unrealised PnL over the cost is s*(mark - entry)/mark instead. At mark
// 100, long A (100 @ 50, equity 1.4) has roi 1 and ratio 140, score
// 0.00714; long B (100 @ 90, equity 0.2) roi 0.111 and ratio 20, score
// 0.00556: A is deleveraged first. By PnL over cost, 0.5/140 would rank
// below 0.1/20.
func TestADLRankOKXInverse(t *testing.T) {
	ctx := derivmath.NewContext()
	s, err := contract.New(contract.Params{Symbol: "BTC-USD", Kind: contract.Inverse, Settle: "BTC", Multiplier: "1", Tick: "0.5", Lot: "1", Minor: "0.00000001"})
	if err != nil {
		t.Fatal(err)
	}
	st, err := engine.New(ctx, s, engine.PresetOKX())
	if err != nil {
		t.Fatal(err)
	}
	h := add(t, st, trader(t, s, "0", "0.5", "-200", "100", "0.01"))
	a := add(t, st, trader(t, s, "0.4", "", "100", "50", "0.01"))
	b := add(t, st, trader(t, s, "0.08888889", "", "100", "90", "0.01"))
	if err := st.SetMark(d("100")); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ADL(nil, h, d("100"), 0); err != nil {
		t.Fatal(err)
	}
	if qa, qb := &st.Trader(a).Qty, &st.Trader(b).Qty; !qa.IsZero() || qb.Cmp(d("100")) != 0 {
		t.Errorf("A %s, B %s; want A closed first (0, 100)", qa.String(), qb.String())
	}
}

// TestMustADLFeeReserve checks BitMEX's rule on a trader holder that keeps
// a fee reserve: long 1 @ 100 with margin 1.50, of which 0.50 is the fee
// to close, is bankrupt at 99 (the takeover's price), where its equity is
// the reserve. ADL must run once the mark reaches 99, not only once the
// equity is gone (98.50).
func TestMustADLFeeReserve(t *testing.T) {
	ctx := derivmath.NewContext()
	s := linear(t, "0.01", "1", "0.01")
	p := engine.PresetBitMEX()
	p.Partial, p.RiskLimits = engine.PartialNone, nil
	st, err := engine.New(ctx, s, p)
	if err != nil {
		t.Fatal(err)
	}
	tr := trader(t, s, "0", "1.5", "1", "100", "0.005")
	tr.FeeReserve.Set(d("0.5"))
	a := add(t, st, tr)
	add(t, st, trader(t, s, "1000", "", "-1", "100", "0.005"))
	noErr(t, st.SetFund(d("10")))
	in := &engine.ADLInputs{}
	for _, c := range []struct {
		mark string
		want bool
	}{{"99.01", false}, {"99", true}, {"98.75", true}} {
		noErr(t, st.SetMark(d(c.mark)))
		got, err := st.MustADL(a, in)
		if err != nil || got != c.want {
			t.Errorf("mark %s: MustADL = %v, %v; want %v", c.mark, got, err, c.want)
		}
	}
	// The bankruptcy price the takeover uses is 99.
	noErr(t, st.SetMark(d("99")))
	ev, _ := takeover(t, st, nil, a)
	for k := range ev {
		if ev[k].Kind == engine.Trade && ev[k].Price.Cmp(d("99")) != 0 {
			t.Errorf("takeover at %s, want the bankruptcy price 99", ev[k].Price.String())
		}
	}
}

// TestADLBinanceNoFloorEmptyWallet: with Preset.BinanceFloor off, a
// profitable candidate whose wallet is 0 or less has an unbounded
// score (its PnL over its wallet has no bound), so it ranks first,
// ahead of every finite score; two such candidates tie and go by the tie
// rule (TieLowerIndex, the default: lower index first). One such candidate used to make ScoreBinance,
// and so the whole ADL, fail with ErrPosition. At mark 100: A (cross,
// wallet 0, short 1 @ 110, uPnL 10) and C (wallet -5, short 1 @ 130,
// uPnL 30, equity 25) are unbounded; B (wallet 50, short 1 @ 120, uPnL
// 20) scores 20/50 x 0.4/70. Deleveraging 2 of the long closes A and C,
// not B; 1 closes A.
func TestADLBinanceNoFloorEmptyWallet(t *testing.T) {
	for _, c := range []struct {
		qty    string
		closed []bool // A, B, C
	}{{"2", []bool{true, false, true}}, {"1", []bool{true, false, false}}} {
		ctx := derivmath.NewContext()
		s := linear(t, "0.01", "1", "0.01")
		p := engine.PresetBinance()
		p.BinanceFloor = false
		st, err := engine.New(ctx, s, p)
		if err != nil {
			t.Fatal(err)
		}
		h := add(t, st, trader(t, s, "0", "1", "2", "100", "0.004"))
		ids := []int{
			add(t, st, trader(t, s, "0", "", "-1", "110", "0.004")),
			add(t, st, trader(t, s, "50", "", "-1", "120", "0.004")),
			add(t, st, trader(t, s, "-5", "", "-1", "130", "0.004")),
		}
		add(t, st, trader(t, s, "1000", "", "1", "100", "0.004"))
		noErr(t, st.SetMark(d("100")))
		t0 := total(t, st)
		if _, err := st.ADL(nil, h, d(c.qty), 0); err != nil {
			t.Fatalf("ADL %s: %v; want the empty wallets ranked first", c.qty, err)
		}
		for k, j := range ids {
			if got := st.Trader(j).Qty.IsZero(); got != c.closed[k] {
				t.Errorf("ADL %s: candidate %c qty %s, closed %v; want %v", c.qty, 'A'+k, st.Trader(j).Qty.String(), got, c.closed[k])
			}
		}
		if total(t, st).Cmp(t0) != 0 {
			t.Errorf("ADL %s: total %s, was %s", c.qty, total(t, st).String(), t0.String())
		}
	}
}

// TestScoreBinanceUnbounded: without the wallet's floor, a profit on a
// wallet of 0 or less with positive equity has no finite score:
// ErrUnbounded (State.ADL ranks it first); with the floor, or with no
// profit or no equity, the score is finite.
func TestScoreBinanceUnbounded(t *testing.T) {
	ctx := derivmath.NewContext()
	for _, c := range []struct {
		upnl, wallet string
		floor        bool
		want         error
	}{
		{"10", "0", false, engine.ErrUnbounded},
		{"30", "-5", false, engine.ErrUnbounded},
		{"10", "0", true, nil},
		{"3", "-5", false, nil}, // equity -2: 0
		{"-3", "0", false, nil}, // a loss: 0
		{"20", "50", false, nil},
	} {
		z := d("7")
		err := engine.ScoreBinance(ctx, z, d(c.upnl), d(c.wallet), d("0.4"), c.floor)
		if !errors.Is(err, c.want) {
			t.Errorf("uPnL %s, wallet %s, floor %v: %v; want %v", c.upnl, c.wallet, c.floor, err, c.want)
		}
		if err != nil && z.Cmp(d("7")) != 0 {
			t.Errorf("uPnL %s, wallet %s: z changed to %s on error", c.upnl, c.wallet, z.String())
		}
	}
}

// TestDYDXTriggerNeedsMaintenance: dYdX liquidates a subaccount only when
// TMMR > 0 and TNC < TMMR (v4-chain@84d4664b protocol/lib/margin/risk.go).
// A long 500 @ 1 with wallet 100 at mark 0.7 has equity -50: with a
// maintenance rate of 0, or a maintenance amount (Cum) that cancels its
// maintenance, it has no maintenance and is not liquidatable (no events,
// not Liquidating), where the trigger used to fire and the takeover then
// failed in Fillable (ErrPosition); the remainder is deleveraged instead
// (MustADL: ADLDeficit). With a rate of 3% it is liquidated as before.
func TestDYDXTriggerNeedsMaintenance(t *testing.T) {
	for _, c := range []struct {
		name, mmr, cum string
		want           bool
	}{
		{"MMR 0", "0", "0", false},
		{"Cum cancels MMR", "0.03", "10.5", false},
		{"MMR 3%", "0.03", "0", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := derivmath.NewContext()
			s := linear(t, "0.01", "1", "0.000001")
			st, err := engine.New(ctx, s, engine.PresetDYDX())
			if err != nil {
				t.Fatal(err)
			}
			tr := trader(t, s, "100", "", "500", "1", c.mmr)
			tr.Cum.Set(d(c.cum))
			a := add(t, st, tr)
			add(t, st, trader(t, s, "100", "", "-500", "1", "0.03"))
			noErr(t, st.SetMark(d("0.7")))
			ev, ok, err := st.Trigger(nil, a)
			if err != nil || ok != c.want || st.Trader(a).Liquidating != c.want || len(ev) != map[bool]int{false: 0, true: 1}[c.want] {
				t.Fatalf("Trigger: %v, %v, %d events, liquidating %v; want %v", ok, err, len(ev), st.Trader(a).Liquidating, c.want)
			}
			if c.want {
				if _, _, err := st.Takeover(ev, a); err != nil {
					t.Fatalf("Takeover: %v", err)
				}
				return
			}
			must, err := st.MustADL(a, &engine.ADLInputs{})
			if err != nil || !must {
				t.Fatalf("MustADL: %v, %v; want true (negative equity)", must, err)
			}
			t0 := total(t, st)
			if _, err := st.ADL(nil, a, d("500"), 1); err != nil {
				t.Fatalf("ADL: %v", err)
			}
			if !st.Trader(a).Qty.IsZero() || total(t, st).Cmp(t0) != 0 {
				t.Fatalf("after ADL: qty %s, total %s (was %s)", st.Trader(a).Qty.String(), total(t, st).String(), t0.String())
			}
		})
	}
}

// TestFeeReserveScales: the fee to close a position (BitMEX posComm =
// ceil(commission x (|posCost| + posInit)), Bybit's qty x P_B x taker)
// shrinks with the position, so a trader's FeeReserve follows its
// quantity: the reserve it was added with times |Qty|/|Qty added|,
// rounded up to the minor unit. A long 10 @ 100 (margin 20, reserve 1)
// that ADL closes 6 of at 101 keeps 4 with a reserve of 0.40, not 1; its
// bankruptcy price, where margin 26 + 4*(P - 100) equals the reserve, is
// then 93.60 (the whole reserve would make it 93.75), which the takeover
// uses; flat, its reserve is 0.
func TestFeeReserveScales(t *testing.T) {
	ctx := derivmath.NewContext()
	s := linear(t, "0.01", "1", "0.01")
	p := engine.PresetBitMEX()
	p.Partial, p.RiskLimits = engine.PartialNone, nil
	st, err := engine.New(ctx, s, p)
	if err != nil {
		t.Fatal(err)
	}
	tr := trader(t, s, "0", "20", "10", "100", "0.005")
	tr.FeeReserve.Set(d("1"))
	a := add(t, st, tr)
	h := add(t, st, trader(t, s, "0", "6", "-6", "100", "0.005"))
	add(t, st, trader(t, s, "1000", "", "-4", "100", "0.005"))
	noErr(t, st.SetFund(d("100")))
	noErr(t, st.SetMark(d("100")))
	t0 := total(t, st)
	ev, err := st.ADL(nil, h, d("6"), 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := &st.Trader(a).Qty; got.Cmp(d("4")) != 0 || ev[0].Price.Cmp(d("101")) != 0 {
		t.Fatalf("after ADL: qty %s at %s; want 4 left, closed at 101", got.String(), ev[0].Price.String())
	}
	if got := &st.Trader(a).FeeReserve; got.Cmp(d("0.4")) != 0 {
		t.Errorf("after closing 6 of 10: reserve %s, want 0.40", got.String())
	}
	noErr(t, st.SetMark(d("93.6")))
	ev, _ = takeover(t, st, nil, a)
	for k := range ev {
		if ev[k].Kind == engine.Trade && ev[k].Price.Cmp(d("93.6")) != 0 {
			t.Errorf("takeover at %s, want the bankruptcy price 93.60", ev[k].Price.String())
		}
	}
	if got := &st.Trader(a).FeeReserve; !got.IsZero() {
		t.Errorf("flat: reserve %s, want 0", got.String())
	}
	if total(t, st).Cmp(t0) != 0 {
		t.Errorf("total %s, was %s", total(t, st).String(), t0.String())
	}
}

// TestStepDownScaledReserve: the step-down's acceptance judges the
// remainder with the fee reserve it will keep (Trader.FeeReserve), its
// share of the reserve. BitMEX's table (0.5%, 1%, 1.5%, 2% up to 100,
// 150, 200, 250): a long 20 @ 10 (value 200) at the 2% tier with margin
// 3.20 and a reserve of 2 is liquidatable (maintenance 4 + 2); at the
// 1.5% tier too (3 + 2). Closing 5 leaves 15 worth 150 at 1%:
// maintenance 1.50 + its reserve 1.50 = 3 < 3.20, restored, so the FOK
// is for 5; with the whole reserve (1.50 + 2 = 3.50) it would not be,
// and the walk would go on to close 10. After the fill the remainder's
// reserve is 1.50 and it is not liquidatable.
func TestStepDownScaledReserve(t *testing.T) {
	s := linear(t, "0.01", "1", "0.01")
	st := state(t, s, engine.PresetBitMEX())
	noErr(t, st.SetMark(d("10")))
	long := trader(t, s, "0", "3.2", "20", "10", "0.02")
	long.Tier = 3
	long.FeeReserve.Set(d("2"))
	i := add(t, st, long)
	mk := add(t, st, trader(t, s, "1000", "", "-20", "10", "0.005"))
	ev, ok, err := st.Trigger(nil, i)
	if err != nil || !ok {
		t.Fatalf("trigger: %v %v", ok, err)
	}
	ev, id, err := st.StepDown(ev, i)
	if err != nil || id == 0 {
		t.Fatalf("step-down: %d %v", id, err)
	}
	if in := st.Intent(id); in.TIF != engine.FOK || in.Qty.Cmp(d("5")) != 0 {
		t.Fatalf("step-down intent %v %s, want FOK 5", in.TIF, in.Qty.String())
	}
	if ev, err = st.Execute(ev, id, []engine.Fill{fill("5", "10", mk)}); err != nil {
		t.Fatal(err)
	}
	tr := st.Trader(i)
	if tr.Tier != 1 || tr.FeeReserve.Cmp(d("1.5")) != 0 {
		t.Fatalf("after the fill: tier %d, reserve %s; want 1, 1.50", tr.Tier, tr.FeeReserve.String())
	}
	if _, ok, err = st.Trigger(ev, i); err != nil || ok {
		t.Fatalf("after the fill: liquidatable %v %v", ok, err)
	}
}

// TestADLRankBitMEXFeeReserve: BitMEX's effective leverage divides by the
// equity above the bankruptcy price, where the equity is the fee reserve
// (V(P_B) = Cost - backing + reserve). Two shorts 1 @ 100 at the mark 90:
// X with a wallet of 100 and a reserve of 50 has 60 above bankruptcy
// (leverage 90/60), Y with 60 and no reserve 70 (90/70); X ranks first
// and takes the bankrupt long's 1. With the reserve's sign reversed X
// would have 160 and rank second.
func TestADLRankBitMEXFeeReserve(t *testing.T) {
	s := linear(t, "0.01", "1", "0.01")
	p := engine.PresetBitMEX()
	p.Partial, p.RiskLimits = engine.PartialNone, nil
	st := state(t, s, p)
	noErr(t, st.SetMark(d("100")))
	h := add(t, st, trader(t, s, "0", "1", "1", "100", "0.005"))
	y := add(t, st, trader(t, s, "60", "", "-1", "100", "0.005"))
	xt := trader(t, s, "100", "", "-1", "100", "0.005")
	xt.FeeReserve.Set(d("50"))
	x := add(t, st, xt)
	noErr(t, st.SetMark(d("90")))
	if _, err := st.ADL(nil, h, d("1"), 1); err != nil {
		t.Fatal(err)
	}
	if !st.Trader(x).Qty.IsZero() || st.Trader(y).Qty.Cmp(d("-1")) != 0 {
		t.Fatalf("X %s, Y %s; want X closed first", st.Trader(x).Qty.String(), st.Trader(y).Qty.String())
	}
}

// TestADLValidityBoundary: dYdX's rule at its boundaries. A bankrupt long
// 1 @ 110 (margin 5: P_B 105) at the oracle 100 against one short 2 @ 100
// that buys 1 at 105 (E' = E - 5, its maintenance halved):
//
//   - MMR 4%, E 9: E' = 4 = MM', collateralised after: valid, though its
//     ratio falls from 9/8 to 1;
//   - MMR 6%, E 10: E' = 5 < MM' = 6, the ratio kept exactly (10/12 =
//     5/6): valid;
//   - MMR 6%, E 9.99: the ratio falls (4.99/6 < 9.99/12): refused,
//     ErrNoCounterparty.
func TestADLValidityBoundary(t *testing.T) {
	for _, c := range []struct {
		name, mmr, wallet string
		ok                bool
	}{
		{"collateralised after, at maintenance", "0.04", "9", true},
		{"ratio kept exactly", "0.06", "10", true},
		{"ratio falls", "0.06", "9.99", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := linear(t, "0.01", "1", "0.01")
			p := engine.PresetDYDX()
			p.Partial = engine.PartialNone
			st := state(t, s, p)
			var err error
			noErr(t, st.SetMark(d("100")))
			h := add(t, st, trader(t, s, "0", "5", "1", "110", "0.05"))
			j := add(t, st, trader(t, s, c.wallet, "", "-2", "100", c.mmr))
			_, err = st.ADL(nil, h, d("1"), 1)
			if c.ok {
				if err != nil || st.Trader(j).Qty.Cmp(d("-1")) != 0 {
					t.Fatalf("ADL: %v, counterparty %s; want it valid, short 1 left", err, st.Trader(j).Qty.String())
				}
				return
			}
			if !errors.Is(err, engine.ErrNoCounterparty) || st.Trader(j).Qty.Cmp(d("-2")) != 0 {
				t.Fatalf("ADL: %v, counterparty %s; want ErrNoCounterparty, unchanged", err, st.Trader(j).Qty.String())
			}
		})
	}
}

// TestADLCyclicOffset: RankCyclic starts at splitmix(seed) mod n, the
// SplitMix64 output for the state seed (0xe220a8397b1dcdaf for 0, the
// reference's first output), so a seed deleverages the same trader on
// every platform. Seven shorts of 1: seeds 0, 1 and 3 start at the third
// (index 2 of the candidates), seed 2 at the fifth.
func TestADLCyclicOffset(t *testing.T) {
	for seed, want := range []int{2, 2, 4, 2} {
		s := linear(t, "0.01", "1", "0.01")
		p := engine.PresetDYDX()
		p.Partial, p.ADLValidity = engine.PartialNone, false
		st := state(t, s, p)
		noErr(t, st.SetMark(d("100")))
		h := add(t, st, trader(t, s, "0", "5", "1", "110", "0.05"))
		var shorts []int
		for range 7 {
			shorts = append(shorts, add(t, st, trader(t, s, "1000", "", "-1", "100", "0.05")))
		}
		if _, err := st.ADL(nil, h, d("1"), uint64(seed)); err != nil {
			t.Fatal(err)
		}
		for k, j := range shorts {
			if st.Trader(j).Qty.IsZero() != (k == want) {
				t.Errorf("seed %d: short %d holds %s; want only short %d closed", seed, k, st.Trader(j).Qty.String(), want)
			}
		}
	}
}

// TestADLRankOKXMarginRatio: OKX ranks a profit by roi over the margin
// ratio, equity/maintenance: of two shorts 1 @ 100 with the same roi at
// the mark 90 (0.1), the one with less margin (equity 20, ratio 20/0.45)
// ranks above the one with more (110, 110/0.45) and is deleveraged
// first, though the other has the lower index.
func TestADLRankOKXMarginRatio(t *testing.T) {
	s := linear(t, "0.01", "1", "0.01")
	st := state(t, s, engine.PresetOKX())
	noErr(t, st.SetMark(d("100")))
	h := add(t, st, trader(t, s, "0", "1", "1", "100", "0.005"))
	x := add(t, st, trader(t, s, "100", "", "-1", "100", "0.005"))
	y := add(t, st, trader(t, s, "10", "", "-1", "100", "0.005"))
	noErr(t, st.SetMark(d("90")))
	if _, err := st.ADL(nil, h, d("1"), 1); err != nil {
		t.Fatal(err)
	}
	if !st.Trader(y).Qty.IsZero() || st.Trader(x).Qty.Cmp(d("-1")) != 0 {
		t.Fatalf("X %s, Y %s; want Y (less margin) closed first", st.Trader(x).Qty.String(), st.Trader(y).Qty.String())
	}
}

// TestMustADLNetNotionalInventory: ADLNetNotional weighs the holder's
// position together with the fund's inventory, on the same side adding
// up. A fund of 150 that took a long 1 over (BitMEX's takeover, the rule
// set to ADLNetNotional) needs ADL for another long 1 at 99.25 (2 worth
// 198.50 > 150), not for its own inventory (99.25).
func TestMustADLNetNotionalInventory(t *testing.T) {
	s := linear(t, "0.25", "1", "0.01")
	p := engine.PresetBitMEX()
	p.Partial, p.RiskLimits, p.ADLTrigger = engine.PartialNone, nil, engine.ADLNetNotional
	st := state(t, s, p)
	noErr(t, st.SetMark(d("100")))
	a := add(t, st, trader(t, s, "0", "1", "1", "100", "0.005"))
	b := add(t, st, trader(t, s, "0", "1", "1", "100", "0.005"))
	add(t, st, trader(t, s, "1000", "", "-2", "100", "0.005"))
	noErr(t, st.SetFund(d("150")))
	noErr(t, st.SetMark(d("99.25")))
	takeover(t, st, nil, a)
	var fund apd.Decimal
	st.FundBalance(&fund)
	if fund.Cmp(d("150")) != 0 || st.Trader(engine.Fund).Qty.Cmp(d("1")) != 0 {
		t.Fatalf("fund %s holding %s, want 150 holding 1", fund.String(), st.Trader(engine.Fund).Qty.String())
	}
	for _, c := range []struct {
		holder int
		want   bool
	}{{b, true}, {engine.Fund, false}} {
		if got, err := st.MustADL(c.holder, &engine.ADLInputs{}); err != nil || got != c.want {
			t.Errorf("MustADL(%d): %v %v, want %v", c.holder, got, err, c.want)
		}
	}
}

// TestTriggerEquality checks S2's equality rule (Preset.Trigger) at the
// boundary, for every preset: a trader exactly at its liquidation price,
// where equity equals maintenance, is liquidatable under NonStrict (E <=
// MM: BitMEX, Binance, Bybit, OKX) and not under Strict (E < MM: Deribit,
// dYdX, Hyperliquid, Drift, GMX); one tick past it is liquidatable under
// both, one tick before it under neither. An isolated long 1 @ 100 with
// margin 1.99 and MMR 1% has P_L 99 where the maintenance is taken at the
// price (liquidation.Binance: 1.99 + P - 100 = 0.01*P) and 99.01 where it
// is fixed on the entry value (BitMEX, Bybit: 1.99 + P - 100 = 1); a short
// with margin 2.01 has P_L 101 (2.01 + 100 - P = 0.01*P) and 101.01.
func TestTriggerEquality(t *testing.T) {
	s := linear(t, "0.01", "1", "0.01")
	for _, p := range engine.Presets() {
		p.Partial, p.RiskLimits = engine.PartialNone, nil
		for _, c := range []struct {
			side, qty, other, margin string
			atPrice, atEntry         string // P_L by the convention
			past, before             string // a tick past P_L, a tick before it
		}{
			{"long", "1", "-1", "1.99", "99", "99.01", "-0.01", "0.01"},
			{"short", "-1", "1", "2.01", "101", "101.01", "0.01", "-0.01"},
		} {
			t.Run(p.Name+"/"+c.side, func(t *testing.T) {
				st := state(t, s, p)
				noErr(t, st.SetMark(d("100")))
				i := add(t, st, trader(t, s, "0", c.margin, c.qty, "100", "0.01"))
				add(t, st, trader(t, s, "1000", "", c.other, "100", "0.01"))
				pl := c.atPrice
				if p.Convention != liquidation.Binance {
					pl = c.atEntry
				}
				ctx := derivmath.NewContext()
				for _, m := range []struct {
					off  string
					want bool
				}{
					{"0", p.Trigger == engine.NonStrict},
					{c.past, true},
					{c.before, false},
				} {
					var mark apd.Decimal
					if _, err := ctx.Add(&mark, d(pl), d(m.off)); err != nil {
						t.Fatal(err)
					}
					noErr(t, st.SetMark(&mark))
					var eq apd.Decimal
					noErr(t, st.Equity(&eq, i))
					if _, got, err := st.Clone().Trigger(nil, i); err != nil || got != m.want {
						t.Errorf("%s (P_L %s) at %s, equity %s: liquidatable %v (%v), want %v",
							p.Trigger, pl, mark.String(), eq.String(), got, err, m.want)
					}
				}
			})
		}
	}
}

// TestCancelScope checks S3 for every preset: a liquidating trader's open
// orders are removed, one Cancelled event each carrying the order margin
// it releases, unless the preset's scope is CancelNone (dYdX), which keeps
// them and emits nothing; either way the wallet, the margin, the position,
// the equity and the state's total do not change.
func TestCancelScope(t *testing.T) {
	s := linear(t, "0.01", "1", "0.01")
	for _, p := range engine.Presets() {
		t.Run(p.Name, func(t *testing.T) {
			p.Partial, p.RiskLimits = engine.PartialNone, nil
			st := state(t, s, p)
			noErr(t, st.SetMark(d("100")))
			tr := trader(t, s, "50", "1.99", "1", "100", "0.01")
			tr.Orders = make([]engine.Order, 2)
			for k, o := range [][3]string{{"2", "97", "1.94"}, {"-1", "103", "1.03"}} {
				tr.Orders[k].Qty.Set(d(o[0]))
				tr.Orders[k].Price.Set(d(o[1]))
				tr.Orders[k].Margin.Set(d(o[2]))
			}
			i := add(t, st, tr)
			add(t, st, trader(t, s, "1000", "", "-1", "100", "0.01"))
			noErr(t, st.SetMark(d("98")))
			ev, liq, err := st.Trigger(nil, i)
			if err != nil || !liq {
				t.Fatalf("Trigger at 98: %v %v, want liquidatable", liq, err)
			}
			before := st.Clone()
			var eq0, eq1 apd.Decimal
			noErr(t, st.Equity(&eq0, i))
			n := len(ev)
			ev, err = st.Cancel(ev, i)
			noErr(t, err)
			got := st.Trader(i)
			wantOrders, wantEvents := 0, len(tr.Orders)
			if p.Cancel == engine.CancelNone {
				wantOrders, wantEvents = len(tr.Orders), 0
			}
			if len(got.Orders) != wantOrders || len(ev)-n != wantEvents {
				t.Fatalf("scope %s: %d orders left, %d events; want %d and %d", p.Cancel, len(got.Orders), len(ev)-n, wantOrders, wantEvents)
			}
			for k, e := range ev[n:] {
				if e.Kind != engine.Cancelled || e.Trader != i || e.Amount.Cmp(&tr.Orders[k].Margin) != 0 {
					t.Errorf("event %d: %s; want Cancelled for trader %d releasing %s", k, e.String(), i, tr.Orders[k].Margin.String())
				}
			}
			noErr(t, st.Equity(&eq1, i))
			was := before.Trader(i)
			if got.Wallet.Cmp(&was.Wallet) != 0 || got.Margin.Cmp(&was.Margin) != 0 || got.Qty.Cmp(&was.Qty) != 0 ||
				got.Cost.Cmp(&was.Cost) != 0 || eq1.Cmp(&eq0) != 0 || total(t, st).Cmp(total(t, before)) != 0 {
				t.Errorf("S3 changed the account: wallet %s -> %s, margin %s -> %s, qty %s -> %s, equity %s -> %s",
					was.Wallet.String(), got.Wallet.String(), was.Margin.String(), got.Margin.String(),
					was.Qty.String(), got.Qty.String(), eq0.String(), eq1.String())
			}
		})
	}
}
