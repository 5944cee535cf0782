package bench

import (
	"fmt"
	"math"
	"math/big"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/internal/workload"
	"github.com/derivmath/derivmath/orderbook"
	govalues "github.com/govalues/decimal"
	"github.com/quagmt/udecimal"
	"github.com/shopspring/decimal"
)

// The digit check: every implementation of every kernel against a 50-digit
// oracle of the same formula (oracle_test.go), on the benchmarks' inputs
// and on sets chosen to use every digit the libraries have. Each result
// must lie within the error bound that its library's documented precision
// gives for the formula (the models in oracle_test.go):
//
//   - derivmath: 19 significant digits, every operation rounded half-even;
//     the test also requires each result to be, digit for digit and
//     exponent for exponent, the formula evaluated step by step in apd at
//     19 digits, and within 1e-18 relative of the oracle (19 digits, up to
//     the few units in the 19th digit that the rounding of intermediate
//     steps may cost a formula of several operations).
//   - float64: 53 bits (about 16 digits) per input and per operation.
//   - shopspring/decimal v1.6.0: exact +, -, *; a quotient rounded to 16
//     decimal places.
//   - udecimal v1.11.1: fixed point, at most 19 decimal places (128-bit
//     coefficient): * and / truncate to 19 places, so a result below 1
//     keeps fewer than 19 significant digits (1.2e-11 keeps 9).
//   - govalues/decimal v0.1.36: 19 significant digits (64-bit coefficient)
//     and at most 19 decimal places, rounded half-even: the same loss below
//     1e-0 as udecimal.
//
// Run with -v to see, for every result that differs from the oracle, how
// many significant digits agree.

// inputSets are the sets of inputs of the digit check: text, then the
// changes made to it.
var inputSets = []struct {
	name string
	text map[string]string
}{
	{"bench", text},
	// Every operand with 19 significant digits (and at most 19 decimal
	// places, which every decimal peer holds exactly).
	{"19-digit", with(
		"linQty", "2.512345678901234567", "linPrice", "65432.12345678901234",
		"linEntry", "61234.56789012345678", "linExit", "65432.98765432109876",
		"invQty", "12345.67890123456789", "invPrice", "65432.54321098765432",
		"invEntry", "61234.51234567890123", "invExit", "65432.54321098765432",
		"fillQty0", "1000.123456789012345", "fillQty1", "2500.987654321098765",
		"fillQty2", "700.1234567890123456", "fillQty3", "1800.654321098765432",
		"fillPx0", "61234.51234567890123", "fillPx1", "60100.98765432109876",
		"fillPx2", "62000.51234567890123", "fillPx3", "59870.12345678901234",
		"value", "163580.2512345678901", "leverage", "20.12345678901234567",
		"notional", "2500000.512345678901", "mark", "65432.54321098765432",
		"rate", "0.0001234567890123456",
		"bid", "65440.21234567890123", "ask", "65445.81234567890123", "index", "65420.35123456789012",
		"wallet", "7654.312512345678901", "MMR", "0.005123456789012345", "cum", "50.12345678901234567",
		"bmMargin", "0.008191412345678901", "bmFee", "0.000156712345678901",
	)},
	// An inverse contract priced below 1 (a DOGEUSD-like inverse of 1 USD
	// per contract): values of millions of coins.
	{"inverse-low-price", with(
		"invQty", "1000000", "invPrice", "0.3217", "invEntry", "0.3098", "invExit", "0.3217",
		"fillPx0", "0.3098", "fillPx1", "0.3151", "fillPx2", "0.3007", "fillPx3", "0.3123",
		"mark", "0.3217", "bmMargin", "131536.5", "bmFee", "2420.9", "tick", "0.0001",
		"bid", "0.32171", "ask", "0.32178", "index", "0.321695",
	)},
	// An inverse contract of 1 USD at prices near a million: values of a
	// millionth of a coin, funding of 1e-11, where the peers' 19 decimal
	// places hold fewer than 19 significant digits.
	{"inverse-high-price", with(
		"invQty", "3", "invPrice", "987654.5", "invEntry", "912345.5", "invExit", "987654.5",
		"fillQty0", "1", "fillQty1", "2", "fillQty2", "3", "fillQty3", "5",
		"fillPx0", "912345.5", "fillPx1", "934567", "fillPx2", "901234.5", "fillPx3", "955555.5",
		"mark", "987654.5", "rate", "0.000012",
		"bmMargin", "0.00000015", "bmFee", "0.00000001", "tick", "0.5",
	)},
}

// kernelCase is one kernel in every implementation, and its oracle.
type kernelCase struct {
	name   string
	dm     func(d *dmSide, z *apd.Decimal) error
	f      func(in *inputs[float64]) float64
	s      func(in *inputs[decimal.Decimal]) decimal.Decimal
	u      func(in *inputs[udecimal.Decimal]) (udecimal.Decimal, error)
	g      func(in *inputs[govalues.Decimal]) (govalues.Decimal, error)
	oracle func(o *oracle, in *inputs[*apd.Decimal]) num
	want   string // on the bench set, to 10 digits, as Python's decimal module computes it at 50 digits
}

// noErr adapts a peer kernel that cannot fail.
func noErr[T any](x T) (T, error) { return x, nil }

var kernelCases = []kernelCase{
	{
		name: "ValueLinear", dm: (*dmSide).ValueLinear,
		f: func(in *inputs[float64]) float64 { return ValueLinearF(in.LinQty, in.One, in.LinPrice) },
		s: func(in *inputs[decimal.Decimal]) decimal.Decimal { return ValueLinearD(in.LinQty, in.One, in.LinPrice) },
		u: func(in *inputs[udecimal.Decimal]) (udecimal.Decimal, error) {
			return noErr(ValueLinearU(in.LinQty, in.One, in.LinPrice))
		},
		g: func(in *inputs[govalues.Decimal]) (govalues.Decimal, error) {
			return ValueLinearG(in.LinQty, in.One, in.LinPrice)
		},
		oracle: func(o *oracle, in *inputs[*apd.Decimal]) num {
			return o.mul(o.mul(o.abs(o.in(in.LinQty)), o.in(in.One)), o.in(in.LinPrice))
		},
		want: "163580.25",
	},
	{
		name: "ValueInverse", dm: (*dmSide).ValueInverse,
		f: func(in *inputs[float64]) float64 { return ValueInverseF(in.InvQty, in.One, in.InvPrice) },
		s: func(in *inputs[decimal.Decimal]) decimal.Decimal {
			return ValueInverseD(in.InvQty, in.One, in.InvPrice)
		},
		u: func(in *inputs[udecimal.Decimal]) (udecimal.Decimal, error) {
			return ValueInverseU(in.InvQty, in.One, in.InvPrice)
		},
		g: func(in *inputs[govalues.Decimal]) (govalues.Decimal, error) {
			return ValueInverseG(in.InvQty, in.One, in.InvPrice)
		},
		oracle: func(o *oracle, in *inputs[*apd.Decimal]) num {
			return o.quo(o.mul(o.abs(o.in(in.InvQty)), o.in(in.One)), o.in(in.InvPrice))
		},
		want: "0.1879799794",
	},
	{
		name: "PnLLinear", dm: (*dmSide).PnLLinear,
		f: func(in *inputs[float64]) float64 { return PnLLinearF(in.LinQty, in.One, in.LinEntry, in.LinExit) },
		s: func(in *inputs[decimal.Decimal]) decimal.Decimal {
			return PnLLinearD(in.LinQty, in.One, in.LinEntry, in.LinExit)
		},
		u: func(in *inputs[udecimal.Decimal]) (udecimal.Decimal, error) {
			return noErr(PnLLinearU(in.LinQty, in.One, in.LinEntry, in.LinExit))
		},
		g: func(in *inputs[govalues.Decimal]) (govalues.Decimal, error) {
			return PnLLinearG(in.LinQty, in.One, in.LinEntry, in.LinExit)
		},
		oracle: func(o *oracle, in *inputs[*apd.Decimal]) num {
			return o.mul(o.mul(o.in(in.LinQty), o.in(in.One)), o.sub(o.in(in.LinExit), o.in(in.LinEntry)))
		},
		want: "10494",
	},
	{
		name: "PnLInverse", dm: (*dmSide).PnLInverse,
		f: func(in *inputs[float64]) float64 { return PnLInverseF(in.InvQty, in.One, in.InvEntry, in.InvExit) },
		s: func(in *inputs[decimal.Decimal]) decimal.Decimal {
			return PnLInverseD(in.InvQty, in.One, in.InvEntry, in.InvExit)
		},
		u: func(in *inputs[udecimal.Decimal]) (udecimal.Decimal, error) {
			return PnLInverseU(in.InvQty, in.One, in.InvEntry, in.InvExit)
		},
		g: func(in *inputs[govalues.Decimal]) (govalues.Decimal, error) {
			return PnLInverseG(in.InvQty, in.One, in.InvEntry, in.InvExit)
		},
		oracle: func(o *oracle, in *inputs[*apd.Decimal]) num {
			entry, exit := o.in(in.InvEntry), o.in(in.InvExit)
			return o.quo(o.mul(o.mul(o.in(in.InvQty), o.in(in.One)), o.sub(exit, entry)), o.mul(entry, exit))
		},
		want: "0.01288717885",
	},
	{
		name: "AvgEntryInverse", dm: (*dmSide).AvgEntryInverse,
		f: func(in *inputs[float64]) float64 { return AvgEntryInverseF(in.FillQty[:], in.FillPx[:]) },
		s: func(in *inputs[decimal.Decimal]) decimal.Decimal {
			return AvgEntryInverseD(in.FillQty[:], in.FillPx[:])
		},
		u: func(in *inputs[udecimal.Decimal]) (udecimal.Decimal, error) {
			return AvgEntryInverseU(in.FillQty[:], in.FillPx[:])
		},
		g: func(in *inputs[govalues.Decimal]) (govalues.Decimal, error) {
			return AvgEntryInverseG(in.FillQty[:], in.FillPx[:])
		},
		oracle: func(o *oracle, in *inputs[*apd.Decimal]) num {
			var n, v num
			for i := range in.FillQty {
				a := o.abs(o.in(in.FillQty[i]))
				n = o.add(n, a)
				v = o.add(v, o.quo(a, o.in(in.FillPx[i])))
			}
			return o.quo(n, v)
		},
		want: "60433.07933",
	},
	{
		name: "InitialMargin", dm: (*dmSide).InitialMargin,
		f: func(in *inputs[float64]) float64 { return InitialF(in.Value, in.Leverage) },
		s: func(in *inputs[decimal.Decimal]) decimal.Decimal { return InitialD(in.Value, in.Leverage) },
		u: func(in *inputs[udecimal.Decimal]) (udecimal.Decimal, error) {
			return InitialU(in.Value, in.Leverage)
		},
		g: func(in *inputs[govalues.Decimal]) (govalues.Decimal, error) {
			return InitialG(in.Value, in.Leverage)
		},
		oracle: func(o *oracle, in *inputs[*apd.Decimal]) num {
			return o.quo(o.in(in.Value), o.in(in.Leverage))
		},
		want: "8179.0125",
	},
	{
		name: "MaintenanceTiers", dm: (*dmSide).MaintenanceTiers,
		f: func(in *inputs[float64]) float64 { return MaintenanceTiersF(tiersF, in.Notional) },
		s: func(in *inputs[decimal.Decimal]) decimal.Decimal { return MaintenanceTiersD(tiersD, in.Notional) },
		u: func(in *inputs[udecimal.Decimal]) (udecimal.Decimal, error) {
			return noErr(MaintenanceTiersU(tiersU, in.Notional))
		},
		g: func(in *inputs[govalues.Decimal]) (govalues.Decimal, error) {
			return MaintenanceTiersG(tiersG, in.Notional)
		},
		oracle: func(o *oracle, in *inputs[*apd.Decimal]) num {
			t := tiersOf(parseDM)
			i := len(t) - 1
			for t[i].Floor.Cmp(in.Notional) > 0 {
				i--
			}
			return o.sub(o.mul(o.in(in.Notional), o.in(t[i].MMR)), o.in(t[i].Cum))
		},
		want: "15300.00325",
	},
	{
		name: "FundingPayment", dm: (*dmSide).FundingPayment,
		f: func(in *inputs[float64]) float64 { return FundingPaymentInverseF(in.InvQty, in.One, in.Mark, in.Rate) },
		s: func(in *inputs[decimal.Decimal]) decimal.Decimal {
			return FundingPaymentInverseD(in.InvQty, in.One, in.Mark, in.Rate)
		},
		u: func(in *inputs[udecimal.Decimal]) (udecimal.Decimal, error) {
			return FundingPaymentInverseU(in.InvQty, in.One, in.Mark, in.Rate)
		},
		g: func(in *inputs[govalues.Decimal]) (govalues.Decimal, error) {
			return FundingPaymentInverseG(in.InvQty, in.One, in.Mark, in.Rate)
		},
		oracle: func(o *oracle, in *inputs[*apd.Decimal]) num {
			return o.mul(o.quo(o.mul(o.in(in.InvQty), o.in(in.One)), o.in(in.Mark)), o.in(in.Rate))
		},
		want: "0.00001879799794",
	},
	{
		name: "Premium", dm: (*dmSide).Premium,
		f: func(in *inputs[float64]) float64 { return PremiumF(in.Bid, in.Ask, in.Index) },
		s: func(in *inputs[decimal.Decimal]) decimal.Decimal { return PremiumD(in.Bid, in.Ask, in.Index) },
		u: func(in *inputs[udecimal.Decimal]) (udecimal.Decimal, error) {
			return PremiumU(in.Bid, in.Ask, in.Index)
		},
		g: func(in *inputs[govalues.Decimal]) (govalues.Decimal, error) {
			return PremiumG(in.Bid, in.Ask, in.Index)
		},
		oracle: func(o *oracle, in *inputs[*apd.Decimal]) num {
			bid, ask, index := o.in(in.Bid), o.in(in.Ask), o.in(in.Index)
			return o.quo(o.sub(o.max0(o.sub(bid, index)), o.max0(o.sub(index, ask))), index)
		},
		want: "0.000303422406",
	},
	{
		name: "LiquidationBinance", dm: (*dmSide).LiquidationBinance,
		f: func(in *inputs[float64]) float64 {
			return LiquidationBinanceF(in.LinQty, in.LinEntry, in.Wallet, in.MMR, in.Cum)
		},
		s: func(in *inputs[decimal.Decimal]) decimal.Decimal {
			return LiquidationBinanceD(in.LinQty, in.LinEntry, in.Wallet, in.MMR, in.Cum)
		},
		u: func(in *inputs[udecimal.Decimal]) (udecimal.Decimal, error) {
			return LiquidationBinanceU(in.LinQty, in.LinEntry, in.Wallet, in.MMR, in.Cum)
		},
		g: func(in *inputs[govalues.Decimal]) (govalues.Decimal, error) {
			return LiquidationBinanceG(in.LinQty, in.LinEntry, in.Wallet, in.MMR, in.Cum)
		},
		oracle: func(o *oracle, in *inputs[*apd.Decimal]) num {
			sn := o.in(in.LinQty) // s*N
			n := o.abs(sn)
			num := o.sub(o.add(o.in(in.Wallet), o.in(in.Cum)), o.mul(sn, o.in(in.LinEntry)))
			return o.quo(num, o.sub(o.mul(n, o.in(in.MMR)), sn))
		},
		want: "58445",
	},
	{
		name: "LiquidationBitMEX", dm: (*dmSide).LiquidationBitMEX,
		f: func(in *inputs[float64]) float64 {
			return LiquidationBitMEXF(in.InvQty, in.One, in.InvEntry, in.BmMargin, in.BmFee, in.MMR, in.Tick)
		},
		s: func(in *inputs[decimal.Decimal]) decimal.Decimal {
			return LiquidationBitMEXD(in.InvQty, in.One, in.InvEntry, in.BmMargin, in.BmFee, in.MMR, in.Tick)
		},
		u: func(in *inputs[udecimal.Decimal]) (udecimal.Decimal, error) {
			return LiquidationBitMEXU(in.InvQty, in.One, in.InvEntry, in.BmMargin, in.BmFee, in.MMR, in.Tick)
		},
		g: func(in *inputs[govalues.Decimal]) (govalues.Decimal, error) {
			return LiquidationBitMEXG(in.InvQty, in.One, in.InvEntry, in.BmMargin, in.BmFee, in.MMR, in.Tick)
		},
		oracle: func(o *oracle, in *inputs[*apd.Decimal]) num {
			n := o.mul(o.in(in.InvQty), o.in(in.One))
			cost := o.quo(n, o.in(in.InvEntry))
			mm := o.add(o.ceilTo(o.mul(o.in(in.MMR), cost), 8), o.in(in.BmFee))
			p := o.quo(n, o.sub(o.add(cost, o.in(in.BmMargin)), mm))
			tick := o.in(in.Tick)
			return o.mul(o.ceil(o.quo(p, tick)), tick)
		},
		want: "59164",
	},
}

// toAPD parses the text of a result.
func toAPD(s string) (*apd.Decimal, error) {
	d, _, err := apd.NewFromString(s)
	return d, err
}

// exactFloat is f in decimal, to 60 digits (f's exact value is at most a
// unit in the 60th digit away).
func exactFloat(f float64) string { return new(big.Float).SetFloat64(f).Text('e', 60) }

// agreeing returns to how many significant digits got is want: the
// largest n for which |got - want| is at most half a unit in the n-th
// significant digit of want (so a correctly rounded 19-digit result has
// 19), or 50 when they are equal.
func agreeing(got, want *apd.Decimal) float64 {
	var d apd.Decimal
	if _, err := oracleCtx.Sub(&d, got, want); err != nil || d.IsZero() {
		return 50
	}
	if want.IsZero() {
		return 0
	}
	adj := float64(want.NumDigits() + int64(want.Exponent) - 1)
	return math.Max(0, math.Floor(adj+1+math.Log10(0.5)-math.Log10(f64(&d))))
}

// reduced is x without trailing zeros, in plain notation.
func reduced(x *apd.Decimal) string {
	var r apd.Decimal
	r.Reduce(x)
	return r.Text('f')
}

// round returns x rounded half-even to n significant digits.
func round(x *apd.Decimal, n uint32) *apd.Decimal {
	c := apd.BaseContext.WithPrecision(n)
	c.Rounding = apd.RoundHalfEven
	var r apd.Decimal
	if _, err := c.Round(&r, x); err != nil {
		panic(err)
	}
	return &r
}

func TestKernelsAgree(t *testing.T) {
	models := []model{modelDerivmath, modelFloat64, modelShopspring, modelUdecimal, modelGovalues}
	// least[kernel][i] is the fewest digits of models[i] that agree with
	// the oracle over the sets.
	least := map[string][]float64{}
	var log strings.Builder
	for _, set := range inputSets {
		d := newDM(load(set.text, parseDM))
		fl, sd, ud, gv := load(set.text, parseF), load(set.text, parseS), load(set.text, parseU), load(set.text, parseG)
		for _, k := range kernelCases {
			name := k.name + "/" + set.name
			var z apd.Decimal
			var got [5]string
			var errs [5]error
			errs[0] = k.dm(d, &z)
			got[0] = z.String()
			got[1] = exactFloat(k.f(&fl))
			got[2] = k.s(&sd).String()
			u, err := k.u(&ud)
			got[3], errs[3] = u.String(), err
			g, err := k.g(&gv)
			got[4], errs[4] = g.String(), err
			if least[k.name] == nil {
				least[k.name] = []float64{50, 50, 50, 50, 50}
			}
			for i, m := range models {
				want := k.oracle(&oracle{m: m}, &d.in)
				if errs[i] != nil {
					t.Errorf("%s: %s: %v", name, m.name, errs[i])
					continue
				}
				r, err := toAPD(got[i])
				if err != nil {
					t.Fatalf("%s: %s: %v", name, m.name, err)
				}
				var diff apd.Decimal
				if _, err := oracleCtx.Sub(&diff, r, &want.v); err != nil {
					t.Fatal(err)
				}
				digits := agreeing(r, &want.v)
				least[k.name][i] = min(least[k.name][i], digits)
				// The bound, with 1% for the float64 arithmetic that computes
				// it and 1e-45 relative for the oracle's own rounding.
				if f64(&diff) > want.e*1.01+f64(&want.v)*1e-45 {
					t.Errorf("%s: %s = %s, oracle %s: off by %.3g, beyond its precision's bound %.3g",
						name, m.name, got[i], want.v.String(), f64(&diff), want.e)
				}
				if digits < 50 {
					fmt.Fprintf(&log, "%-36s %-10s %-26s %2.0f digits (oracle %s)\n",
						name, m.name, round(r, 25).Text('g'), digits, round(&want.v, 25).Text('g'))
				}
				if i == 0 {
					// derivmath: digit for digit the formula evaluated step
					// by step in apd at 19 digits, half-even, and so within
					// a few units in the 19th digit of the oracle.
					step := k.oracle(&oracle{m: m, c: apd19}, &d.in)
					if z.Cmp(&step.v) != 0 || z.Exponent != step.v.Exponent {
						t.Errorf("%s: derivmath = %s, apd step by step at 19 digits %s", name, got[0], step.v.String())
					}
					if f64(&diff) > 1e-18*f64(&want.v) {
						t.Errorf("%s: derivmath = %s, oracle %s: relative error above 1e-18", name, got[0], want.v.String())
					}
					if set.name == "bench" && reduced(round(&z, 10)) != k.want {
						t.Errorf("%s = %s, want %s (10 digits)", name, got[0], k.want)
					}
				}
			}
		}
	}
	t.Logf("results that differ from the 50-digit oracle:\n%s", log.String())
	var sum strings.Builder
	fmt.Fprintf(&sum, "%-20s", "fewest digits")
	for _, m := range models {
		fmt.Fprintf(&sum, " %10s", m.name)
	}
	for _, k := range kernelCases {
		fmt.Fprintf(&sum, "\n%-20s", k.name)
		for _, d := range least[k.name] {
			if d >= 50 {
				fmt.Fprintf(&sum, " %10s", "exact")
			} else {
				fmt.Fprintf(&sum, " %10.0f", d)
			}
		}
	}
	t.Logf("significant digits that agree with the oracle, fewest over the input sets:\n%s", sum.String())
}

// TestLiquidatableAgree checks that derivmath and the float64 version of
// the account-level checks answer alike: the isolated Binance long at marks
// on both sides of its liquidation price (58,445), and the cross account at
// both sets of marks of the benchmark, its liquidation price, and marks
// just above and below it.
func TestLiquidatableAgree(t *testing.T) {
	for _, c := range []struct {
		mark string
		want bool
	}{{"59000.5", false}, {"58445.5", false}, {"58444.5", true}, {"50000", true}} {
		got, err := dm.Liquidatable(parseDM(c.mark))
		if err != nil {
			t.Fatal(err)
		}
		f := LiquidatableIsolatedF(fl.LinQty, fl.LinEntry, fl.Wallet, fl.MMR, fl.Cum, parseF(c.mark))
		if got != c.want || f != c.want {
			t.Errorf("isolated at %s: derivmath %v, float64 %v, want %v", c.mark, got, f, c.want)
		}
	}

	for i := range crossMarksDM {
		var p apd.Decimal
		if err := crossDM.Price(&p, crossMarksDM[i]); err != nil {
			t.Fatal(err)
		}
		pf := crossFl.Price(crossMarksF[i])
		// float64's error: some 40 operations, each within 1.1e-16 of
		// terms below 1e5, in a numerator of about 4e4, is below 1e-14
		// relative; 1e-13 leaves a margin and still catches a term of a
		// millionth of a USDT that one side computes and the other not.
		if rel := math.Abs(pf-f64(&p)) / f64(&p); !(rel <= 1e-13) {
			t.Errorf("cross price at marks %d: derivmath %s, float64 %v", i, p.String(), pf)
		}
		// At the benchmark's marks, and with the watched position's mark
		// a millionth above and below its liquidation price.
		for _, c := range []struct {
			btc  string
			want bool
		}{
			{crossText[0][3+i], false},
			{round(mul(&p, "1.000001"), 12).String(), false},
			{round(mul(&p, "0.999999"), 12).String(), true},
		} {
			marks := append([]*apd.Decimal{parseDM(c.btc)}, crossMarksDM[i][1:]...)
			marksF := append([]float64{parseF(c.btc)}, crossMarksF[i][1:]...)
			got, err := crossDM.Liquidatable(marks)
			if err != nil {
				t.Fatal(err)
			}
			if f := crossFl.Liquidatable(marksF); got != c.want || f != c.want {
				t.Errorf("cross at marks %d, BTC at %s (liquidation price %s): derivmath %v, float64 %v, want %v",
					i, c.btc, p.String(), got, f, c.want)
			}
		}
		t.Logf("cross account at marks %d: liquidation price %s (float64 %v)", i, p.String(), pf)
	}
}

// mul returns x*y at 50 digits.
func mul(x *apd.Decimal, y string) *apd.Decimal {
	var z apd.Decimal
	if _, err := oracleCtx.Mul(&z, x, parseDM(y)); err != nil {
		panic(err)
	}
	return &z
}

// TestBooksAgree replays the mixed workload, every operation the benchmark
// replays (the first 20,000 with -short), on derivmath's book and on the
// baseline, and checks that they report the same fills and the same best
// bid and ask after every operation: the baseline is a correct price-time
// priority book, so the benchmark compares like with like.
func TestBooksAgree(t *testing.T) {
	n := workload.N
	if testing.Short() {
		n = 20_000
	}
	w := genWorkload(n)
	book := workload.NewBook()
	w.Load(t, book)
	naive := w.loadNaive()
	var fills []orderbook.Fill
	var nfills []NaiveFill
	var err error
	for i := range w.Ops {
		if fills, err = workload.Replay(book, &w.Ops[i], fills); err != nil {
			t.Fatalf("op %d: %v", i, err)
		}
		nfills = replayNaive(naive, &w.naiveOps[i], nfills)
		if len(fills) != len(nfills) {
			t.Fatalf("op %d (%+v): %d fills, baseline %d", i, w.Ops[i], len(fills), len(nfills))
		}
		for j, f := range fills {
			g := nfills[j]
			if uint64(f.Maker) != g.Maker || uint64(f.Taker) != g.Taker || f.MakerDone != g.MakerDone ||
				!decimal.New(f.Price, tickExp).Equal(g.Price) || !decimal.New(f.Qty, lotExp).Equal(g.Qty) {
				t.Fatalf("op %d fill %d: %+v, baseline %+v", i, j, f, g)
			}
		}
		for _, s := range []orderbook.Side{orderbook.Buy, orderbook.Sell} {
			best, ok := book.BestBid()
			if s == orderbook.Sell {
				best, ok = book.BestAsk()
			}
			price, qty, nok := naive.Best(s == orderbook.Buy)
			if ok != nok || ok && (!decimal.New(best.Price, tickExp).Equal(price) || !decimal.New(best.Qty, lotExp).Equal(qty)) {
				t.Fatalf("op %d: best %v %+v (%v), baseline %s x %s (%v)", i, s, best, ok, price, qty, nok)
			}
		}
		if book.Len() != naive.Len() {
			t.Fatalf("op %d: %d orders, baseline %d", i, book.Len(), naive.Len())
		}
	}
}

// TestOneShotAgrees checks that the one-shot functions the benchmarks set
// beside the compiled solver (impl=oneshot) answer as it does, digit for
// digit: the two isolated liquidation prices on every input set of the
// digit check; the isolated Liquidatable check at the marks of
// TestLiquidatableAgree and a unit in the last place either side of each
// set's liquidation price; and the cross account's liquidation price at
// both sets of marks of BenchmarkCrossReprice10.
func TestOneShotAgrees(t *testing.T) {
	for _, set := range inputSets {
		d := newDM(load(set.text, parseDM))
		for _, k := range []struct {
			name              string
			compiled, oneShot func(*dmSide, *apd.Decimal) error
		}{
			{"LiquidationBinance", (*dmSide).LiquidationBinance, (*dmSide).LiquidationBinanceOneShot},
			{"LiquidationBitMEX", (*dmSide).LiquidationBitMEX, (*dmSide).LiquidationBitMEXOneShot},
		} {
			var c, o apd.Decimal
			if err := k.compiled(d, &c); err != nil {
				t.Fatalf("%s/%s: compiled: %v", k.name, set.name, err)
			}
			if err := k.oneShot(d, &o); err != nil {
				t.Fatalf("%s/%s: one-shot: %v", k.name, set.name, err)
			}
			if c.Cmp(&o) != 0 || c.Exponent != o.Exponent {
				t.Errorf("%s/%s: compiled %s, one-shot %s", k.name, set.name, c.String(), o.String())
			}
		}

		var p apd.Decimal
		if err := d.LiquidationBinance(&p); err != nil {
			t.Fatal(err)
		}
		ulp := apd.New(1, p.Exponent)
		var above, below apd.Decimal
		if _, err := oracleCtx.Add(&above, &p, ulp); err != nil {
			t.Fatal(err)
		}
		if _, err := oracleCtx.Sub(&below, &p, ulp); err != nil {
			t.Fatal(err)
		}
		for _, mark := range []*apd.Decimal{parseDM("59000.5"), parseDM("58445.5"), parseDM("58444.5"), parseDM("50000"), &above, &p, &below} {
			c, err := d.Liquidatable(mark)
			if err != nil {
				t.Fatal(err)
			}
			o, err := d.LiquidatableOneShot(mark)
			if err != nil {
				t.Fatal(err)
			}
			if c != o {
				t.Errorf("Liquidatable/%s at %s (liquidation price %s): compiled %v, one-shot %v",
					set.name, mark.String(), p.String(), c, o)
			}
		}
	}

	for i := range crossMarksDM {
		var c, o apd.Decimal
		if err := crossDM.Price(&c, crossMarksDM[i]); err != nil {
			t.Fatal(err)
		}
		if err := crossDM.PriceOneShot(&o, crossMarksDM[i]); err != nil {
			t.Fatal(err)
		}
		if c.Cmp(&o) != 0 || c.Exponent != o.Exponent {
			t.Errorf("cross price at marks %d: compiled %s, one-shot %s", i, c.String(), o.String())
		}
	}
}
