package margin_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/derivmath/derivmath/margin"
	"github.com/google/go-cmp/cmp"
)

// vectors mirrors testdata/vectors.json, a copy of the shared published
// vectors that concern margin.
type vectors struct {
	Margin []struct {
		ID            string              `json:"id"`
		Model         string              `json:"model"`
		Kind          string              `json:"kind"`
		BaseRiskLimit string              `json:"base_risk_limit"`
		Step          string              `json:"step"`
		BaseMM        string              `json:"base_mm"`
		BaseIM        string              `json:"base_im"`
		Cases         []map[string]string `json:"cases"`
		Case          map[string]string   `json:"case"`
		Tiers         [][4]string         `json:"tiers"`
		Multiplier    string              `json:"multiplier"`
		Qty           string              `json:"qty"`
		Mark          string              `json:"mark"`
		Entry         string              `json:"entry"`
		Leverage      string              `json:"leverage"`
		MMR           string              `json:"mmr"`
		Cum           string              `json:"cum"`
		Taker         string              `json:"taker"`
		Size          string              `json:"size"`
		Price         string              `json:"price"`
		Expect        map[string]string   `json:"expect"`
	} `json:"margin"`
	BitMEX []struct {
		ID             string `json:"id"`
		Leverage       string `json:"leverage"`
		Commission     string `json:"commission"`
		MaintMarginReq string `json:"maintMarginReq"`
		PosCost        string `json:"posCost"`
		PosInit        string `json:"posInit"`
		PosComm        string `json:"posComm"`
		PosMargin      string `json:"posMargin"`
		PosMaint       string `json:"posMaint"`
	} `json:"bitmex_positions"`
}

func loadVectors(t *testing.T) *vectors {
	t.Helper()
	b, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v vectors
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Margin) != 7 || len(v.BitMEX) != 1 {
		t.Fatalf("vectors: %d margin rows and %d BitMEX rows, want 7 and 1", len(v.Margin), len(v.BitMEX))
	}
	return &v
}

// eq fails the test unless got equals want numerically.
func eq(t *testing.T, what string, got *apd.Decimal, want string) {
	t.Helper()
	w := dectest.MustParse(t, want)
	if got.Cmp(w) != 0 {
		t.Errorf("%s = %s, want %s", what, got, want)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestVectors(t *testing.T) {
	ctx := derivmath.NewContext()
	v := loadVectors(t)
	seen := 0
	for _, r := range v.Margin {
		t.Run(r.ID, func(t *testing.T) {
			seen++
			p := func(s string) *apd.Decimal { return dectest.MustParse(t, s) }
			var z apd.Decimal
			switch r.ID {
			case "bitmex-risk-steps-2021", "bitmex-risk-steps-2019":
				s := &margin.Steps{}
				s.BaseRiskLimit.Set(p(r.BaseRiskLimit))
				s.Step.Set(p(r.Step))
				s.BaseMM.Set(p(r.BaseMM))
				s.BaseIM.Set(p(r.BaseIM))
				for _, c := range r.Cases {
					value := p(c["position_value"])
					must(t, s.MMR(ctx, &z, value))
					eq(t, "mmr("+c["position_value"]+")", &z, c["mmr"])
					must(t, s.IMR(ctx, &z, value))
					eq(t, "imr("+c["position_value"]+")", &z, c["imr"])
					if mm, ok := c["mm"]; ok {
						must(t, s.Maintenance(ctx, &z, value))
						eq(t, "mm("+c["position_value"]+")", &z, mm)
					}
				}
			case "binance-cum-usdm":
				c := r.Case
				must(t, margin.Cum(ctx, &z, p(c["prev_cum"]), p(c["floor"]), p(c["mmr"]), p(c["prev_mmr"])))
				eq(t, "cum", &z, c["expect_cum"])
			case "binance-coinm-mm":
				spec, err := contract.New(contract.Params{
					Symbol: "BTCUSD_PERP", Kind: contract.Inverse, Settle: "BTC",
					Multiplier: r.Multiplier, Tick: "0.1", Lot: "1",
				})
				must(t, err)
				var notional apd.Decimal
				must(t, spec.Value(ctx, &notional, p(r.Qty), p(r.Mark)))
				eq(t, "notional", &notional, r.Expect["notional"])
				must(t, margin.Maintenance(ctx, &z, &notional, p(r.MMR), p(r.Cum)))
				eq(t, "mm", &z, r.Expect["mm"])
				flat, err := margin.Flat(p(r.MMR), p("125"))
				must(t, err)
				must(t, flat.Maintenance(ctx, &z, &notional))
				eq(t, "flat tier mm", &z, r.Expect["mm"])
			case "binance-btcusdt-tiers":
				rows := tierRowsOf(t, r.Tiers)
				tiers, err := margin.NewTiers(rows, nil)
				must(t, err)
				if tiers.Len() != 12 {
					t.Fatalf("Len = %d, want 12", tiers.Len())
				}
				preset := margin.BTCUSDT()
				if preset.Len() != len(rows) {
					t.Fatalf("preset has %d tiers, want %d", preset.Len(), len(rows))
				}
				for i := range rows {
					if diff := cmp.Diff(&rows[i], preset.At(i)); diff != "" {
						t.Errorf("preset tier %d (-want +got):\n%s", i, diff)
					}
				}
				checkRecurrence(t, rows)
				checkContinuity(t, tiers)
			case "bybit-fee-to-close":
				spec, err := contract.New(contract.Params{
					Symbol: "XRPUSDT", Kind: contract.Linear, Settle: "USDT",
					Multiplier: r.Multiplier, Tick: "0.0001", Lot: "1",
					Taker: r.Taker,
				})
				must(t, err)
				qty, entry, lev := p(r.Qty), p(r.Entry), p(r.Leverage)
				var value, fee apd.Decimal
				must(t, spec.Value(ctx, &value, qty, entry))
				must(t, margin.FeeToClose(ctx, &fee, spec, qty, entry, lev, &spec.Taker))
				eq(t, "fee to close", &fee, "0.01464075") // 27.1125*0.9*0.0006
				must(t, margin.Position(ctx, &z, &value, lev, &fee))
				eq(t, "initial margin", &z, r.Expect["initial_margin"])
				must(t, margin.Maintenance(ctx, &z, &value, p(r.MMR), p("0")))
				must(t, contractAdd(ctx, &z, &z, &fee))
				eq(t, "maintenance margin", &z, r.Expect["maintenance_margin"])
				must(t, spec.PnL(ctx, &z, qty, entry, p(r.Mark)))
				eq(t, "upnl", &z, r.Expect["upnl"])
			case "deribit-linear-btc":
				s := margin.DeribitBTC()
				size, price := p(r.Size), p(r.Price)
				var value apd.Decimal
				must(t, ctxMul(ctx, &value, size, price))
				must(t, s.IMR(ctx, &z, size))
				eq(t, "imr", &z, r.Expect["imr"])
				must(t, s.MMR(ctx, &z, size))
				eq(t, "mmr", &z, r.Expect["mmr"])
				must(t, s.Initial(ctx, &z, size, &value))
				eq(t, "im", &z, r.Expect["im"])
				must(t, s.Maintenance(ctx, &z, size, &value))
				eq(t, "mm", &z, r.Expect["mm"])
			default:
				t.Fatalf("no test for vector %q", r.ID)
			}
		})
	}
	if seen != len(v.Margin) {
		t.Errorf("ran %d vectors of %d", seen, len(v.Margin))
	}
}

func contractAdd(ctx *apd.Context, z, x, y *apd.Decimal) error {
	_, err := ctx.Add(z, x, y)
	return err
}

func ctxMul(ctx *apd.Context, z, x, y *apd.Decimal) error {
	_, err := ctx.Mul(z, x, y)
	return err
}

// checkRecurrence recomputes every cum on the oracle from the rows' floors
// and rates.
func checkRecurrence(t *testing.T, rows []margin.Tier) {
	t.Helper()
	o := dectest.Oracle()
	if !rows[0].Cum.IsZero() {
		t.Errorf("cum_1 = %s, want 0", &rows[0].Cum)
	}
	for i := 1; i < len(rows); i++ {
		var want, d apd.Decimal
		mustOK(t)(o.Sub(&d, &rows[i].MMR, &rows[i-1].MMR))
		mustOK(t)(o.Mul(&d, &d, &rows[i].Floor))
		mustOK(t)(o.Add(&want, &rows[i-1].Cum, &d))
		if want.Cmp(&rows[i].Cum) != 0 {
			t.Errorf("tier %d: cum %s, recurrence gives %s", i, &rows[i].Cum, &want)
		}
	}
}

// checkContinuity checks that MM at each floor is the same by the tier's
// formula and by the previous tier's, both on the oracle and as
// Tiers.Maintenance computes it, and that just below the floor the previous
// tier applies.
func checkContinuity(t *testing.T, tiers *margin.Tiers) {
	t.Helper()
	ctx := derivmath.NewContext()
	o := dectest.Oracle()
	for i := 1; i < tiers.Len(); i++ {
		cur, prev := tiers.At(i), tiers.At(i-1)
		var byCur, byPrev, got apd.Decimal
		mustOK(t)(o.Mul(&byCur, &cur.Floor, &cur.MMR))
		mustOK(t)(o.Sub(&byCur, &byCur, &cur.Cum))
		mustOK(t)(o.Mul(&byPrev, &cur.Floor, &prev.MMR))
		mustOK(t)(o.Sub(&byPrev, &byPrev, &prev.Cum))
		if byCur.Cmp(&byPrev) != 0 {
			t.Errorf("tier %d: MM at floor %s is %s by its formula and %s by the previous", i, &cur.Floor, &byCur, &byPrev)
		}
		must(t, tiers.Maintenance(ctx, &got, &cur.Floor))
		if got.Cmp(&byCur) != 0 {
			t.Errorf("tier %d: Maintenance(%s) = %s, want %s", i, &cur.Floor, &got, &byCur)
		}
		var below apd.Decimal
		mustOK(t)(o.Sub(&below, &cur.Floor, dectest.D("0.01")))
		tier, err := tiers.Lookup(&below)
		must(t, err)
		if tier != prev {
			t.Errorf("Lookup(%s) is not tier %d", &below, i-1)
		}
	}
}

func mustOK(t *testing.T) func(apd.Condition, error) {
	return func(_ apd.Condition, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestBitMEXVector(t *testing.T) {
	ctx := derivmath.NewContext()
	for _, r := range loadVectors(t).BitMEX {
		t.Run(r.ID, func(t *testing.T) {
			p := &margin.BitMEXPosition{}
			p.Cost.Set(dectest.MustParse(t, r.PosCost))
			must(t, margin.IMR(ctx, &p.InitMarginReq, dectest.MustParse(t, r.Leverage)))
			p.MaintMarginReq.Set(dectest.MustParse(t, r.MaintMarginReq))
			p.Commission.Set(dectest.MustParse(t, r.Commission))

			// The documented formulas: posMaint = ceil(0.5% * 25426) + posComm
			// = 128 + 39 = 167, 2 XBt short of the snapshot.
			var got margin.BitMEX
			must(t, p.Margin(ctx, &got))
			want := &margin.BitMEX{}
			want.Init.Set(dectest.MustParse(t, r.PosInit))
			want.Comm.Set(dectest.MustParse(t, r.PosComm))
			want.Maint.Set(dectest.D("167"))
			want.Margin.Set(dectest.MustParse(t, r.PosMargin))
			if diff := cmp.Diff(want, &got); diff != "" {
				t.Errorf("documented formulas (-want +got):\n%s", diff)
			}

			// With the unexplained 2 XBt passed as a funding reserve, every
			// field matches the snapshot.
			p.FundingReserve.SetInt64(2)
			must(t, p.Margin(ctx, &got))
			want.Maint.Set(dectest.MustParse(t, r.PosMaint))
			if diff := cmp.Diff(want, &got); diff != "" {
				t.Errorf("with funding reserve 2 (-want +got):\n%s", diff)
			}
		})
	}
}
