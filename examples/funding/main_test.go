package main

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/examples/internal/golden"
)

// TestGolden runs the defaults and the equal weighting, compares the
// output with testdata/golden.txt and the default run's SVG, byte for
// byte, with funding.svg (the picture the README shows; go test -update
// rewrites both), and recomputes the tables and both pictures.
func TestGolden(t *testing.T) {
	var all strings.Builder
	for i, c := range []struct {
		args     []string
		size     string
		weighted bool
		detail   int
	}{
		{nil, "2", true, 10},
		{[]string{"-weighting", "equal", "-size", "0.5", "-detail", "17"}, "0.5", false, 17},
	} {
		dir := t.TempDir()
		svgPath := filepath.Join(dir, "funding.svg")
		var buf bytes.Buffer
		if err := run(&buf, append(c.args, "-svg", svgPath)); err != nil {
			t.Fatalf("run(%q): %v", c.args, err)
		}
		out := strings.ReplaceAll(buf.String(), dir, "TMP")
		all.WriteString(strings.TrimSpace("$ funding "+strings.Join(c.args, " ")) + "\n" + out + "\n")
		verify(t, out, c.size, c.weighted, c.detail)
		got, err := os.ReadFile(svgPath)
		if err != nil {
			t.Fatal(err)
		}
		checkSVG(t, got, c.weighted)
		if i > 0 {
			continue
		}
		if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
			if err := os.WriteFile("funding.svg", got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile("funding.svg")
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("the SVG differs from funding.svg (run go test -update to accept it)")
		}
	}
	golden.Check(t, all.String())
}

// TestNoSVG: -svg "" writes no file.
func TestNoSVG(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := run(&bytes.Buffer{}, []string{"-svg", ""}); err != nil {
		t.Fatal(err)
	}
	if entries, err := os.ReadDir(dir); err != nil || len(entries) != 0 {
		t.Errorf("-svg \"\" wrote %v (%v)", entries, err)
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-size", "0"}, {"-size", "x"}, {"-weighting", "median"}, {"-factor", "0"}, {"-detail", "22"},
	} {
		if err := run(&bytes.Buffer{}, append(args, "-svg", "")); err == nil {
			t.Errorf("run(%q) = nil, want an error", args)
		}
	}
}

// rule is the published rule at 50 digits: the interest I = (0.06% -
// 0.03%)/3 per interval, the rate F = P + clamp(I - P, -0.05%, +0.05%) of
// an average premium index P, and the cap |F| <= 0.75 x 0.4%.
type rule struct {
	o                        *golden.Oracle
	interest, bound, capRate *apd.Decimal
}

func newRule(o *golden.Oracle) *rule {
	return &rule{
		o:        o,
		interest: o.Quo(o.Sub(o.D("0.0006"), o.D("0.0003")), o.D("3")),
		bound:    o.D("0.0005"),
		capRate:  o.Mul(o.D("0.75"), o.D("0.004")),
	}
}

// clamp returns x limited to [-b, +b].
func clamp(x, b *apd.Decimal) *apd.Decimal {
	nb := new(apd.Decimal).Neg(b)
	switch {
	case x.Cmp(b) > 0:
		return b
	case x.Cmp(nb) < 0:
		return nb
	}
	return x
}

// rate returns the rate of an average premium index p, and the rate
// capped.
func (r *rule) rate(p *apd.Decimal) (rate, capped *apd.Decimal) {
	rate = r.o.Add(p, clamp(r.o.Sub(r.interest, p), r.bound))
	return rate, clamp(rate, r.capRate)
}

// averages returns the weighted mean of each interval's samples: weights
// 1..n, or equal.
func averages(o *golden.Oracle, weighted bool) []*apd.Decimal {
	var avgs []*apd.Decimal
	for _, iv := range week {
		sum, weights := o.D("0"), o.D("0")
		for j, f := range strings.Fields(iv.samples) {
			wt := o.D("1")
			if weighted {
				wt = o.D(strconv.Itoa(j + 1))
			}
			sum = o.Add(sum, o.Mul(wt, o.D(f)))
			weights = o.Add(weights, wt)
		}
		avgs = append(avgs, o.Quo(sum, weights))
	}
	return avgs
}

// verify recomputes every row of the week's table at 50 digits from the
// input samples, by the published rules: the weighted mean of the samples,
// F = P + clamp(I - P, -0.05%, +0.05%) with I = (0.06% - 0.03%)/3, the cap
// |F| <= 0.75 x 0.4%, and the long's payment size*mark*F, the short's its
// negation; each row and the week sum to exactly zero. It also checks the
// header's interest and cap, the step-by-step account of interval detail
// (its average, I - P and which side of the clamp it falls, the rate and
// the capped rate, at 6 places) and the closing line's net payment.
func verify(t *testing.T, out, sizeText string, weighted bool, detail int) {
	t.Helper()
	o := golden.NewOracle(t)
	size := o.D(sizeText)
	r := newRule(o)
	interest, bound, capRate := r.interest, r.bound, r.capRate
	avgs := averages(o, weighted)
	rows := tableRows(t, out)
	if len(rows) != len(week) {
		t.Fatalf("%d rows in the table, want %d", len(rows), len(week))
	}
	total := o.D("0")
	hundred := o.D("100")
	// interest  (0.06% - 0.03%) / 3 = 0.0100% per interval (...)
	// cap       |rate| <= 0.75 x 0.4% (maintenance rate ...) = 0.30%
	o.Compare("header interest", lineFields(t, out, "interest  ")[6], o.Mul(interest, hundred))
	f := lineFields(t, out, "cap       ")
	o.Compare("header cap", f[len(f)-1], o.Mul(capRate, hundred))
	for i, iv := range week {
		avg := avgs[i]
		rate, capped := r.rate(avg)
		pay := o.Mul(o.Mul(size, o.D(iv.mark)), capped)
		total = o.Add(total, pay)
		row := rows[i]
		name := "row " + row[0]
		o.Compare(name+" average", row[3], o.Mul(avg, hundred))
		o.Compare(name+" rate", row[4], o.Mul(rate, hundred))
		o.Compare(name+" capped", row[5], o.Mul(capped, hundred))
		o.Compare(name+" long pays", row[7], pay)
		o.Compare(name+" short pays", row[8], new(apd.Decimal).Neg(pay))
		if row[9] != "0" {
			t.Errorf("%s: long + short = %s, want 0", name, row[9])
		}
		if i+1 == detail {
			name := "interval " + strconv.Itoa(detail) + " step by step"
			diff := o.Sub(interest, avg)
			side := "within"
			if diff.Cmp(bound) > 0 {
				side = "above"
			} else if diff.Cmp(new(apd.Decimal).Neg(bound)) < 0 {
				side = "below"
			}
			// interest - avg   -0.393314%, below -0.05%: rate = average - 0.05% = 0.353314%
			o.Compare(name+" average", lineFields(t, out, "  average ")[0], o.Mul(avg, hundred))
			f := lineFields(t, out, "  interest - avg ")
			o.Compare(name+" interest - avg", strings.TrimSuffix(f[0], ","), o.Mul(diff, hundred))
			if f[1] != side {
				t.Errorf("%s: I - P is %s the clamp, printed %q", name, side, f[1])
			}
			o.Compare(name+" rate", f[len(f)-1], o.Mul(rate, hundred))
			o.Compare(name+" capped", lineFields(t, out, "  capped ")[0], o.Mul(capped, hundred))
		}
	}
	o.Compare("closing line", lineFields(t, out, "the long paid ")[0], total)
	for _, line := range strings.Split(out, "\n") {
		if f, ok := strings.CutPrefix(line, "total "); ok {
			fields := strings.Fields(f)
			o.Compare("total long", fields[0], total)
			o.Compare("total short", fields[1], new(apd.Decimal).Neg(total))
			if fields[2] != "0" {
				t.Errorf("week's long + short = %s, want 0", fields[2])
			}
			return
		}
	}
	t.Error("no total line")
}

// lineFields returns the fields after prefix of the first line that
// starts with it.
func lineFields(t *testing.T, out, prefix string) []string {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if rest, ok := strings.CutPrefix(line, prefix); ok {
			if f := strings.Fields(rest); len(f) > 0 {
				return f
			}
		}
	}
	t.Fatalf("no line %q", prefix)
	return nil
}

// tableRows returns the fields of the week's table rows: number, day, time,
// average, rate, capped, mark, long pays, short pays, sum.
func tableRows(t *testing.T, out string) [][]string {
	var rows [][]string
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(strings.ReplaceAll(line, "%", ""))
		if len(f) >= 10 {
			if _, err := strconv.Atoi(f[0]); err == nil {
				rows = append(rows, f)
			}
		}
	}
	return rows
}

// checkSVG reads the picture back into numbers, through the axes' tick
// labels, and recomputes them by the published rule at 50 digits (within
// a quarter of a pixel, what printing coordinates to 0.1 px allows): the
// dead band [I - 0.05%, I + 0.05%], the cap lines at +-0.75 x 0.4%, the
// rule's curve and the curve without the cap at every 0.001% of premium
// along the axis (so a missing or misplaced kink fails), and a dot per
// interval at its average and capped rate, red exactly where the cap
// applied, with a ring at its rate before the cap. It also wants the
// title, the description and the labels a reader needs.
func checkSVG(t *testing.T, data []byte, weighted bool) {
	t.Helper()
	o := golden.NewOracle(t)
	r := newRule(o)
	svg := golden.ReadSVG(t, data)
	byID, in := svg.ByID, svg.In
	svg.Need(t, "title", "desc", "deadband", "cap-high", "cap-low", "rule", "uncapped", "intervals", "before-cap")
	x := golden.FitAxis(t, o, in["xgrid"], in["xlabels"], "x1", "%", 100)
	y := golden.FitAxis(t, o, in["ygrid"], in["ylabels"], "y1", "%", 100)
	tolX, tolY := 0.25/math.Abs(x.B), 0.25/math.Abs(y.B)
	f := func(d *apd.Decimal) float64 { v, _ := d.Float64(); return v }
	near := func(name string, got, want, tol float64) {
		t.Helper()
		if math.Abs(got-want) > tol {
			t.Errorf("%s: the picture shows %.5f%%, want %.5f%%", name, 100*got, 100*want)
		}
	}
	band := byID["deadband"]
	near("dead band's left end", x.Value(band.Num(t, "x")), f(o.Sub(r.interest, r.bound)), tolX)
	near("dead band's right end", x.Value(band.Num(t, "x")+band.Num(t, "width")), f(o.Add(r.interest, r.bound)), tolX)
	near("upper cap", y.Value(byID["cap-high"].Num(t, "y1")), f(r.capRate), tolY)
	near("lower cap", y.Value(byID["cap-low"].Num(t, "y1")), -f(r.capRate), tolY)

	for _, c := range []struct {
		id     string
		capped bool
	}{{"rule", true}, {"uncapped", false}} {
		vs := golden.Vertices(t, byID[c.id], x, y)
		lo, hi := x.Value(in["xgrid"][0].Num(t, "x1")), x.Value(in["xgrid"][len(in["xgrid"])-1].Num(t, "x1"))
		if len(vs) < 2 || vs[0][0] > lo || vs[len(vs)-1][0] < hi {
			t.Fatalf("path %s spans %v, not the axis", c.id, vs)
		}
		checked := 0
		for k := 0; ; k++ {
			p := o.Add(o.D(strconv.FormatFloat(vs[0][0], 'f', 3, 64)), o.Mul(o.D(strconv.Itoa(k)), o.D("0.00001")))
			pf := f(p)
			if pf > vs[len(vs)-1][0] {
				break
			}
			i := 1
			for i < len(vs)-1 && vs[i][0] < pf {
				i++
			}
			a, b := vs[i-1], vs[i]
			got := a[1] + (b[1]-a[1])*(pf-a[0])/(b[0]-a[0])
			rate, capped := r.rate(p)
			want := rate
			if c.capped {
				want = capped
			}
			// The curve's slope is 0 or 1, so an error in P of tolX moves it
			// by as much.
			near(fmt.Sprintf("path %s at premium %s%%", c.id, o.Mul(p, o.D("100")).Text('f')), got, f(want), tolX+tolY)
			checked++
		}
		if checked < 1000 {
			t.Errorf("path %s: only %d points checked", c.id, checked)
		}
	}

	dots, rings := in["intervals"], in["before-cap"]
	var circles []*golden.Element
	for _, e := range dots {
		if e.Name == "circle" {
			circles = append(circles, e)
		}
	}
	if len(circles) != len(week) {
		t.Fatalf("%d dots, want one per interval, %d", len(circles), len(week))
	}
	var ringCircles []*golden.Element
	for _, e := range rings {
		if e.Name == "circle" {
			ringCircles = append(ringCircles, e)
		}
	}
	ncapped := 0
	var cappedN, cappedRates []string
	for i, avg := range averages(o, weighted) {
		rate, capped := r.rate(avg)
		name := "interval " + strconv.Itoa(i+1)
		c := circles[i]
		near(name+" premium", x.Value(c.Num(t, "cx")), f(avg), tolX)
		near(name+" rate", y.Value(c.Num(t, "cy")), f(capped), tolY)
		isCapped := rate.Cmp(capped) != 0
		if red := c.Attr["fill"] == "#d62728"; red != isCapped {
			t.Errorf("%s: red %v, capped %v", name, red, isCapped)
		}
		if !isCapped {
			continue
		}
		if ncapped >= len(ringCircles) {
			t.Fatalf("%s is capped but has no ring", name)
		}
		var pct apd.Decimal
		if _, err := o.Ctx.Quantize(&pct, o.Mul(rate, o.D("100")), -4); err != nil {
			t.Fatal(err)
		}
		cappedN, cappedRates = append(cappedN, strconv.Itoa(i+1)), append(cappedRates, pct.Text('f')+"%")
		ring := ringCircles[ncapped]
		near(name+" ring premium", x.Value(ring.Num(t, "cx")), f(avg), tolX)
		near(name+" rate before the cap", y.Value(ring.Num(t, "cy")), f(rate), tolY)
		ncapped++
	}
	if ncapped != len(ringCircles) || ncapped != 2 {
		t.Errorf("%d capped intervals and %d rings, want 2 of each", ncapped, len(ringCircles))
	}

	all := svg.Text
	for _, want := range []string{
		"BTCUSDT funding rate per 8 hours against the average premium index",           // title
		"average premium index P over the interval (%)", "funding rate per 8 hours (%", // axes
		"cap +0.30% = 0.75 x 0.4%", "cap -0.30%", "dead band: P within 0.05% of I", "the rate is I = 0.0100%",
		"intervals " + strings.Join(cappedN, " and ") + ": " + strings.Join(cappedRates, " and "), "capped to +0.30%", // the capped intervals
		"the dead band, P from -0.04% to 0.06%", // desc
	} {
		if !strings.Contains(all, want) {
			t.Errorf("the SVG has no text %q", want)
		}
	}
}

// TestHelp: -h prints the usage and exits 0; a bad flag exits 2.
func TestHelp(t *testing.T) { golden.Help(t, "funding", "size", run) }
