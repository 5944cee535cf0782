package main

import (
	"bytes"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/examples/internal/golden"
)

// TestGolden runs the defaults, compares the output with
// testdata/golden.txt and the SVG, byte for byte, with pnl.svg (the
// picture the README shows; go test -update rewrites both), and
// recomputes the table.
func TestGolden(t *testing.T) {
	dir := t.TempDir()
	svgPath := filepath.Join(dir, "pnl.svg")
	var buf bytes.Buffer
	if err := run(&buf, []string{"-svg", svgPath}); err != nil {
		t.Fatal(err)
	}
	out := strings.ReplaceAll(buf.String(), dir, "TMP")
	golden.Check(t, out)
	verifyTable(t, out, "50000", "10000", "0.2")
	got, err := os.ReadFile(svgPath)
	if err != nil {
		t.Fatal(err)
	}
	checkSVG(t, got, "50000", "25000", "100000")
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		if err := os.WriteFile("pnl.svg", got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile("pnl.svg")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the SVG differs from pnl.svg (run go test -update to accept it)")
	}
}

func TestRange(t *testing.T) {
	// Another range and size, without an SVG: the table is checked the same
	// way, and no file is written.
	dir := t.TempDir()
	t.Chdir(dir)
	var buf bytes.Buffer
	if err := run(&buf, []string{"-entry", "60000", "-contracts", "25000", "-min", "20000", "-max", "150000", "-svg", ""}); err != nil {
		t.Fatal(err)
	}
	verifyTable(t, buf.String(), "60000", "25000", "0.416")
	if entries, err := os.ReadDir(dir); err != nil || len(entries) != 0 {
		t.Errorf("-svg \"\" wrote %v (%v)", entries, err)
	}
}

// TestRanges draws other ranges and entries and reads each picture back
// (checkSVG): a wide one, and narrow ones whose axis steps are fractions
// of a percent or of a dollar, which the labels must print.
func TestRanges(t *testing.T) {
	for _, r := range []struct{ entry, lo, hi string }{
		{"60000", "20000", "150000"},
		{"50000", "49000", "51000"}, // steps of 1%
		{"50000", "49900", "50100"}, // steps of 0.1% and 25 USD
		{"1.5", "1", "2.25"},        // steps of 0.2 USD, entry 1.5
	} {
		t.Run(r.entry+" "+r.lo+"-"+r.hi, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "pnl.svg")
			if err := run(&bytes.Buffer{}, []string{"-entry", r.entry, "-min", r.lo, "-max", r.hi, "-svg", path}); err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			checkSVG(t, data, r.entry, r.lo, r.hi)
		})
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-min", "90000", "-max", "20000"},
		{"-entry", "0"},
		{"-contracts", "-1"},
		{"-contracts", "1"}, // less than one lot of BTCUSDT
		{"-min", "x"},
	} {
		if err := run(&bytes.Buffer{}, append(args, "-svg", "")); err == nil {
			t.Errorf("run(%q) = nil, want an error", args)
		}
	}
	// A price that is not positive: the error names its flag.
	for _, args := range [][]string{{"-entry", "-1"}, {"-min", "0"}, {"-max", "-5"}} {
		err := run(&bytes.Buffer{}, append(args, "-svg", ""))
		if err == nil || !strings.Contains(err.Error(), args[0]+" "+args[1]) {
			t.Errorf("run(%q) = %v, want an error naming %s %s", args, err, args[0], args[1])
		}
	}
}

// verifyTable recomputes every row of the table at 50 digits from the
// textbook formulas: inverse PnL N*(1/EP - 1/P) XBT, or 1 - EP/P of the
// entry value; linear PnL Q*(P - EP) USDT, or P/EP - 1 (when Q*EP is the
// inverse position's N USD). It also checks the convexity the program is
// about where the range allows: at 2*EP the inverse long has gained +50%,
// at EP/2 it has lost everything.
func verifyTable(t *testing.T, out, entryText, contractsText, qtyText string) {
	t.Helper()
	ctx := apd.BaseContext.WithPrecision(50)
	ctx.Rounding = apd.RoundHalfEven
	d := func(s string) *apd.Decimal {
		t.Helper()
		x, _, err := apd.NewFromString(s)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		return x
	}
	op := func(f func(z, x, y *apd.Decimal) (apd.Condition, error), x, y *apd.Decimal) *apd.Decimal {
		t.Helper()
		var z apd.Decimal
		if _, err := f(&z, x, y); err != nil {
			t.Fatal(err)
		}
		return &z
	}
	compare := func(name, printed string, want *apd.Decimal) {
		t.Helper()
		got := d(strings.TrimSuffix(strings.TrimPrefix(printed, "+"), "%"))
		var w apd.Decimal
		if _, err := ctx.Quantize(&w, want, got.Exponent); err != nil {
			t.Fatal(err)
		}
		if got.Cmp(&w) != 0 {
			t.Errorf("%s: printed %s, want %s", name, printed, w.Text('f'))
		}
	}
	ep, n, q, one, hundred := d(entryText), d(contractsText), d(qtyText), d("1"), d("100")
	if !strings.Contains(out, "long "+qtyText+" BTC") {
		t.Errorf("the linear long is not %s BTC", qtyText)
	}
	// The header's entry values: N/EP XBT for the inverse long, Q*EP USDT
	// for the linear one.
	for _, h := range []struct {
		prefix string
		want   *apd.Decimal
	}{{"inverse:", op(ctx.Quo, n, ep)}, {"linear:", op(ctx.Mul, q, ep)}} {
		_, rest, ok := strings.Cut(out, h.prefix)
		_, rest, ok2 := strings.Cut(rest, "entry value ")
		if !ok || !ok2 {
			t.Fatalf("no %s line with an entry value", h.prefix)
		}
		compare(h.prefix+" entry value", strings.Fields(rest)[0], h.want)
	}
	rows := 0
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) != 5 || !strings.HasSuffix(f[2], "%") {
			continue
		}
		rows++
		p := d(f[0])
		compare(f[0]+" inverse XBT", f[1], op(ctx.Mul, n, op(ctx.Sub, op(ctx.Quo, one, ep), op(ctx.Quo, one, p))))
		compare(f[0]+" inverse %", f[2], op(ctx.Mul, hundred, op(ctx.Sub, one, op(ctx.Quo, ep, p))))
		compare(f[0]+" linear USDT", f[3], op(ctx.Mul, q, op(ctx.Sub, p, ep)))
		compare(f[0]+" linear %", f[4], op(ctx.Mul, hundred, op(ctx.Quo, op(ctx.Sub, p, ep), ep)))
		switch {
		case p.Cmp(op(ctx.Mul, ep, d("2"))) == 0 && f[2] != "+50.00%":
			t.Errorf("at twice the entry the inverse long made %s, want +50.00%%", f[2])
		case p.Cmp(op(ctx.Quo, ep, d("2"))) == 0 && f[2] != "-100.00%":
			t.Errorf("at half the entry the inverse long made %s, want -100.00%%", f[2])
		}
	}
	if rows < 5 {
		t.Errorf("%d table rows, want at least 5", rows)
	}
}

// checkSVG reads the picture back into numbers through its axes' tick
// labels and checks each within a quarter of a pixel (what printing
// coordinates to 0.1 px allows): every vertex of both curves, the i-th of
// n at the price lo + (hi - lo)i/(n - 1), at the PnL share of the entry
// value recomputed at 50 digits, 1 - EP/P for the inverse long and P/EP -
// 1 for the linear one (the program samples to the cent: the tolerance
// allows the half cent that moves each), inside the plot; the zero line at 0%
// and the entry line at EP. It also wants the title, the axis labels and
// the legend.
func checkSVG(t *testing.T, data []byte, entryText, loText, hiText string) {
	t.Helper()
	o := golden.NewOracle(t)
	svg := golden.ReadSVG(t, data)
	byID, in := svg.ByID, svg.In
	svg.Need(t, "xgrid", "ygrid", "xlabels", "ylabels", "inverse", "linear", "zero", "entry")
	x := golden.FitAxis(t, o, in["xgrid"], in["xlabels"], "x1", "", 1)
	y := golden.FitAxis(t, o, in["ygrid"], in["ylabels"], "y1", "%", 100)
	tolX, tolY := 0.25/math.Abs(x.B), 0.25/math.Abs(y.B)
	f := func(d *apd.Decimal) float64 { v, _ := d.Float64(); return v }
	near := func(name string, got, want, tol float64) {
		t.Helper()
		if !(math.Abs(got-want) <= tol) { // NaN fails
			t.Errorf("%s: the picture shows %.6g, want %.6g", name, got, want)
		}
	}
	ep, lo, hi, one := o.D(entryText), o.D(loText), o.D(hiText), o.D("1")
	bottom, top := y.Value(in["ygrid"][0].Num(t, "y1")), y.Value(in["ygrid"][len(in["ygrid"])-1].Num(t, "y1"))
	for _, c := range []struct {
		id    string
		share func(p *apd.Decimal) *apd.Decimal
	}{
		{"inverse", func(p *apd.Decimal) *apd.Decimal { return o.Sub(one, o.Quo(ep, p)) }},
		{"linear", func(p *apd.Decimal) *apd.Decimal { return o.Sub(o.Quo(p, ep), one) }},
	} {
		vs := golden.Vertices(t, byID[c.id], x, y)
		n := len(vs)
		if n < 100 {
			t.Fatalf("path %s has %d points, want a curve of at least 100", c.id, n)
		}
		for i, v := range vs {
			p := o.Add(lo, o.Quo(o.Mul(o.Sub(hi, lo), o.D(strconv.Itoa(i))), o.D(strconv.Itoa(n-1))))
			name := c.id + " point " + strconv.Itoa(i) + " at " + strconv.FormatFloat(f(p), 'f', 2, 64)
			// The program samples to the cent: up to half a cent off p,
			// which moves the share by its slope (EP/P^2 or 1/EP) times that.
			slope := math.Max(f(ep)/(f(p)*f(p)), 1/f(ep))
			near(name+": price", v[0], f(p), tolX+0.005)
			near(name+": share", v[1], f(c.share(p)), tolY+slope*0.005)
			if v[1] < min(bottom, top)-tolY || v[1] > max(bottom, top)+tolY {
				t.Errorf("%s: %.4g lies outside the plot, %g to %g", name, v[1], bottom, top)
			}
		}
	}
	zero := byID["zero"]
	near("zero line", y.Value(zero.Num(t, "y1")), 0, tolY)
	near("zero line's right end", y.Value(zero.Num(t, "y2")), 0, tolY)
	entry := byID["entry"]
	near("entry line", x.Value(entry.Num(t, "x1")), f(ep), tolX)
	near("entry line's foot", x.Value(entry.Num(t, "x2")), f(ep), tolX)

	all := svg.Text
	for _, want := range []string{
		"BTC price (USD)", "PnL (% of entry value", // axis labels
		"Long PnL: inverse XBTUSD vs linear BTCUSDT, entry " + entryText + " USD", // title
		"inverse XBTUSD: 1 - EP/P", "linear BTCUSDT: P/EP - 1", // legend
		"entry",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("the SVG has no text %q", want)
		}
	}
}

// TestHelp: -h prints the usage and exits 0; a bad flag exits 2.
func TestHelp(t *testing.T) { golden.Help(t, "inverse-vs-linear", "entry", run) }
