// Funding turns a week of premium index samples into funding rates and
// payments, the way a perpetual swap exchange does every 8 hours:
//
//  1. average the premium index samples of the interval (funding.Average);
//  2. add the interest component, within a clamp (funding.Interest, funding.Rate);
//  3. cap the rate (funding.CapBinance, funding.Clamp);
//  4. charge it on each position's value at the mark (funding.Payment):
//     when the rate is positive longs pay shorts, when negative shorts pay
//     longs, and the payments sum to zero.
//
// It uses Binance's BTCUSDT perpetual and a built-in week of hourly samples
// (21 intervals, including a rally whose premium hits the cap and a sell-off
// that turns the rate negative). It also writes an SVG picture of the rule:
// the rate against the average premium index, the dead band and the cap
// marked, and the week's intervals on it. Run it with
//
//	go run ./examples/funding
//	go run ./examples/funding -weighting equal -size 0.5 -svg /tmp/funding.svg
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/examples/internal/cli"
	"github.com/derivmath/derivmath/examples/internal/decfmt"
	"github.com/derivmath/derivmath/funding"
	"github.com/derivmath/derivmath/margin"
)

func main() {
	os.Exit(cli.Exit(os.Stderr, "funding", run(os.Stdout, os.Args[1:])))
}

const (
	interval = 8 * time.Hour
	quoteIR  = "0.0006" // USDT daily interest rate, 0.06% (Binance's default)
	baseIR   = "0.0003" // BTC daily interest rate, 0.03%
)

// week holds, for each 8-hour interval, the mark price at its end and the
// premium index sampled every hour during it, oldest first. Binance samples
// every 5 seconds; hourly samples keep the example readable.
var week = []struct{ mark, samples string }{
	{"49855.8", "0.000031 0.000101 0.000020 0.000085 0.000061 0.000018 0.000081 0.000015"},
	{"49833.5", "0.000037 0.000040 0.000097 0.000166 0.000046 0.000063 0.000132 0.000186"},
	{"49946.2", "0.000075 0.000161 0.000022 0.000144 0.000058 0.000037 0.000033 0.000061"},
	{"50309.9", "0.000063 0.000135 0.000145 0.000097 0.000129 0.000041 0.000041 0.000067"},
	{"50531.7", "0.000088 0.000070 0.000114 0.000093 0.000068 0.000147 0.000132 0.000059"},
	{"50667.6", "0.000155 0.000229 0.000198 0.000105 0.000251 0.000070 0.000133 0.000204"},
	{"50436.5", "0.000296 0.000134 0.000361 0.000395 0.000326 0.000435 0.000233 0.000370"},
	{"50814.1", "0.000761 0.000667 0.000958 0.001038 0.000680 0.000825 0.000366 0.000853"},
	{"51410.8", "0.001672 0.001473 0.000850 0.000968 0.001296 0.000546 0.001056 0.000715"},
	{"52867.9", "0.002489 0.005723 0.002810 0.003349 0.004003 0.006194 0.002587 0.004268"},
	{"55119.5", "0.007217 0.006879 0.007115 0.004034 0.004754 0.004457 0.007221 0.007608"},
	{"55660.7", "0.001401 0.001521 0.001524 0.002068 0.002293 0.001588 0.001029 0.001925"},
	{"55782.3", "0.000644 0.000899 0.000726 0.000610 0.000678 0.000716 0.000306 0.000864"},
	{"56139.3", "0.000160 0.000148 0.000083 0.000084 0.000037 0.000121 0.000030 0.000031"},
	{"55722.5", "-0.000288 -0.000242 -0.000316 -0.000330 -0.000291 -0.000304 -0.000235 -0.000323"},
	{"55783.1", "-0.000702 -0.001102 -0.001013 -0.000931 -0.000917 -0.001124 -0.000500 -0.000376"},
	{"55254.3", "-0.001119 -0.001580 -0.001561 -0.001283 -0.001373 -0.000719 -0.001493 -0.001653"},
	{"55487.5", "-0.000581 -0.000833 -0.000572 -0.000912 -0.000581 -0.000284 -0.000360 -0.000471"},
	{"55178.0", "-0.000121 -0.000153 -0.000056 -0.000095 -0.000055 -0.000127 -0.000144 -0.000050"},
	{"55735.2", "0.000089 0.000084 0.000085 0.000076 0.000020 0.000052 0.000034 -0.000002"},
	{"55253.6", "0.000065 0.000061 0.000131 0.000173 0.000092 0.000170 0.000178 0.000173"},
}

// start is the beginning of the week: Monday 16 November 2026, 00:00 UTC.
var start = time.Date(2026, time.November, 16, 0, 0, 0, 0, time.UTC)

func run(w io.Writer, args []string) error {
	fs := flag.NewFlagSet("funding", flag.ContinueOnError)
	fs.SetOutput(w)
	sizeText := fs.String("size", "2", "size of the long and of the short, in BTC")
	weighting := fs.String("weighting", "time", "averaging of the samples: time (weights 1..n, Binance's FAQ) or equal (BitMEX)")
	factorText := fs.String("factor", "0.75", "cap multiplier: |rate| <= factor * MMR of the first tier")
	detail := fs.Int("detail", 10, "interval (1-21) to show step by step")
	svgPath := fs.String("svg", "funding.svg", "SVG file to write (empty: none)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	size, err := decfmt.Parse("size", *sizeText)
	if err != nil {
		return err
	}
	if size.Sign() <= 0 {
		return fmt.Errorf("-size %s: must be positive", *sizeText)
	}
	factor, err := decfmt.Parse("factor", *factorText)
	if err != nil {
		return err
	}
	var wt funding.Weighting
	switch *weighting {
	case "time":
		wt = funding.TimeWeighted
	case "equal":
		wt = funding.Equal
	default:
		return fmt.Errorf("-weighting %q: want time or equal", *weighting)
	}
	if *detail < 1 || *detail > len(week) {
		return fmt.Errorf("-detail %d: want 1 to %d", *detail, len(week))
	}

	ctx := derivmath.NewContext()
	spec := contract.BTCUSDT()
	var interest, bound, capRate apd.Decimal
	if err := funding.Interest(ctx, &interest, decfmt.Must(quoteIR), decfmt.Must(baseIR), interval); err != nil {
		return err
	}
	funding.DefaultClamp(&bound)
	tier1 := margin.BTCUSDT().At(0)
	if err := funding.CapBinance(ctx, &capRate, factor, &tier1.MMR); err != nil {
		return fmt.Errorf("-factor %s: %w", *factorText, err)
	}

	// A long and a short of the same size: the two sides of every trade.
	var long, short contract.Position
	long.Qty.Set(size)
	short.Qty.Neg(size)

	out := &strings.Builder{}
	p := func(format string, args ...any) { fmt.Fprintf(out, format, args...) }
	p("%s funding: Binance USD-M perpetual, settled in %s, every %g hours\n", spec.Symbol, spec.Settle, interval.Hours())
	p("interest  (%s%% - %s%%) / 3 = %s%% per interval (USDT and BTC daily rates)\n",
		decfmt.Percent(decfmt.Must(quoteIR), 2), decfmt.Percent(decfmt.Must(baseIR), 2), decfmt.Percent(&interest, 4))
	p("rate      average premium + clamp(interest - average premium, -%s%%, +%s%%)\n", decfmt.Percent(&bound, 2), decfmt.Percent(&bound, 2))
	p("cap       |rate| <= %s x %s%% (maintenance rate of the first tier) = %s%%\n", factor.Text('f'), decfmt.Percent(&tier1.MMR, 1), decfmt.Percent(&capRate, 2))
	p("average   %s\n", describeWeighting(wt))

	type row struct {
		avg, rate, capped, mark, longPays, shortPays apd.Decimal
	}
	rows := make([]row, len(week))
	var samples []apd.Decimal
	for i, iv := range week {
		r := &rows[i]
		samples = samples[:0]
		for _, f := range strings.Fields(iv.samples) {
			samples = append(samples, *decfmt.Must(f))
		}
		if err := funding.Average(ctx, &r.avg, samples, wt); err != nil {
			return err
		}
		if err := funding.Rate(ctx, &r.rate, &r.avg, &interest, &bound); err != nil {
			return err
		}
		if err := funding.Clamp(&r.capped, &r.rate, &capRate); err != nil {
			return err
		}
		r.mark.Set(decfmt.Must(iv.mark))
		if err := funding.Payment(ctx, &r.longPays, spec, &long, &r.mark, &r.capped); err != nil {
			return err
		}
		if err := funding.Payment(ctx, &r.shortPays, spec, &short, &r.mark, &r.capped); err != nil {
			return err
		}
		if i+1 == *detail {
			if err := explain(ctx, p, i+1, samples, wt, &r.avg, &interest, &bound, &r.rate, &r.capped); err != nil {
				return err
			}
		}
	}

	p("\na week of funding for a long and a short of %s BTC (paid > 0, received < 0):\n", size.Text('f'))
	p("%2s  %-9s  %10s  %9s  %9s  %9s  %13s  %13s  %3s\n",
		"#", "UTC", "avg prem.", "rate", "capped", "mark", "long pays", "short pays", "sum")
	p("%2s  %-9s  %10s  %9s  %9s  %9s  %13s  %13s  %3s\n", "", "", "", "", "", "USDT", "USDT", "USDT", "")
	var totalLong, totalShort, total, sum apd.Decimal
	t := start
	for i := range rows {
		r := &rows[i]
		next, err := funding.Next(t, interval, 0)
		if err != nil {
			return err
		}
		t = next
		if _, err := ctx.Add(&sum, &r.longPays, &r.shortPays); err != nil {
			return err
		}
		if _, err := ctx.Add(&totalLong, &totalLong, &r.longPays); err != nil {
			return err
		}
		if _, err := ctx.Add(&totalShort, &totalShort, &r.shortPays); err != nil {
			return err
		}
		note := ""
		if r.capped.Cmp(&r.rate) != 0 {
			note = " capped"
		}
		p("%2d  %-9s  %9s%%  %8s%%  %8s%%  %9s  %13s  %13s  %3s%s\n", i+1, t.Format("Mon 15:04"),
			decfmt.Percent(&r.avg, 4), decfmt.Percent(&r.rate, 4), decfmt.Percent(&r.capped, 4), decfmt.Fixed(&r.mark, 1),
			decfmt.Fixed(&r.longPays, 6), decfmt.Fixed(&r.shortPays, 6), decfmt.Reduced(&sum), note)
	}
	if _, err := ctx.Add(&total, &totalLong, &totalShort); err != nil {
		return err
	}
	p("total                                                       %13s  %13s  %3s\n",
		decfmt.Fixed(&totalLong, 6), decfmt.Fixed(&totalShort, 6), decfmt.Reduced(&total))
	p("the long paid %s USDT net and the short received it: funding moves money between traders, the exchange keeps none\n",
		decfmt.Fixed(&totalLong, 6))

	if *svgPath != "" {
		c := &chart{
			symbol: spec.Symbol, factor: factor.Text('f'), hours: interval.Hours(), weighting: *weighting + "-weighted",
			interest: &interest, bound: &bound, capRate: &capRate, mmr: &tier1.MMR,
			bandLo: new(apd.Decimal), bandHi: new(apd.Decimal),
		}
		if _, err := ctx.Sub(c.bandLo, &interest, &bound); err != nil {
			return err
		}
		if _, err := ctx.Add(c.bandHi, &interest, &bound); err != nil {
			return err
		}
		for i := range rows {
			c.dots = append(c.dots, dot{n: i + 1, avg: &rows[i].avg, rate: &rows[i].rate, capped: &rows[i].capped})
		}
		c.k = halfRange(c.dots, &capRate, &bound)
		// The rule, drawn by the funding package's own functions: the
		// rate, and the rate capped.
		if c.uncapped, err = curve(ctx, c.k, func(z, prem *apd.Decimal) error {
			return funding.Rate(ctx, z, prem, &interest, &bound)
		}); err != nil {
			return err
		}
		if c.capped, err = curve(ctx, c.k, func(z, prem *apd.Decimal) error {
			var r apd.Decimal
			if err := funding.Rate(ctx, &r, prem, &interest, &bound); err != nil {
				return err
			}
			return funding.Clamp(z, &r, &capRate)
		}); err != nil {
			return err
		}
		if err := os.WriteFile(*svgPath, []byte(c.svg()), 0o644); err != nil {
			return err
		}
		p("\nwrote %s\n", *svgPath)
	}
	_, err = io.WriteString(w, out.String())
	return err
}

// explain prints how one interval's rate is made.
func explain(ctx *apd.Context, p func(string, ...any), n int, samples []apd.Decimal, wt funding.Weighting,
	avg, interest, bound, rate, capped *apd.Decimal,
) error {
	p("\ninterval %d, step by step\n", n)
	var parts []string
	for i := range samples {
		parts = append(parts, decfmt.Percent(&samples[i], 4)+"%")
	}
	p("  samples          %s\n", strings.Join(parts, " "))
	p("  average          %s%%\n", decfmt.Percent(avg, 6))
	var diff apd.Decimal
	if _, err := ctx.Sub(&diff, interest, avg); err != nil {
		return err
	}
	var negBound apd.Decimal
	negBound.Neg(bound)
	switch {
	case diff.Cmp(bound) > 0:
		p("  interest - avg   %s%%, above +%s%%: rate = average + %s%% = %s%%\n", decfmt.Percent(&diff, 6), decfmt.Percent(bound, 2), decfmt.Percent(bound, 2), decfmt.Percent(rate, 6))
	case diff.Cmp(&negBound) < 0:
		p("  interest - avg   %s%%, below -%s%%: rate = average - %s%% = %s%%\n", decfmt.Percent(&diff, 6), decfmt.Percent(bound, 2), decfmt.Percent(bound, 2), decfmt.Percent(rate, 6))
	default:
		p("  interest - avg   %s%%, within +-%s%%: rate = interest = %s%%\n", decfmt.Percent(&diff, 6), decfmt.Percent(bound, 2), decfmt.Percent(rate, 6))
	}
	if capped.Cmp(rate) != 0 {
		p("  capped           %s%%\n", decfmt.Percent(capped, 6))
	} else {
		p("  capped           %s%% (within the cap)\n", decfmt.Percent(capped, 6))
	}
	return nil
}

func describeWeighting(w funding.Weighting) string {
	if w == funding.TimeWeighted {
		return "time-weighted: sample i of n has weight i (Binance's FAQ; unconfirmed)"
	}
	return "equal weights (BitMEX)"
}
