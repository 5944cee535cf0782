package main

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
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
	checkSVG(t, svgPath)
	got, err := os.ReadFile(svgPath)
	if err != nil {
		t.Fatal(err)
	}
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

// checkSVG parses the SVG as XML and looks for both curves, the axis
// labels, the title and the legend.
func checkSVG(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	var (
		root   string
		paths  = map[string]int{} // id -> number of points
		texts  []string
		inText bool
	)
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s is not well-formed XML: %v", path, err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = tok.Name.Local
				if tok.Name.Space != "http://www.w3.org/2000/svg" {
					t.Errorf("root namespace %q, want the SVG namespace", tok.Name.Space)
				}
			}
			switch tok.Name.Local {
			case "path":
				var id, d string
				for _, a := range tok.Attr {
					switch a.Name.Local {
					case "id":
						id = a.Value
					case "d":
						d = a.Value
					}
				}
				paths[id] = strings.Count(d, "L") + strings.Count(d, "M")
			case "text", "title":
				inText = true
				texts = append(texts, "")
			}
		case xml.EndElement:
			if tok.Name.Local == "text" || tok.Name.Local == "title" {
				inText = false
			}
		case xml.CharData:
			if inText {
				texts[len(texts)-1] += string(tok)
			}
		}
	}
	if root != "svg" {
		t.Errorf("root element %q, want svg", root)
	}
	for _, id := range []string{"inverse", "linear"} {
		if paths[id] < 100 {
			t.Errorf("path %q has %d points, want a curve of at least 100", id, paths[id])
		}
	}
	all := strings.Join(texts, "\n")
	for _, want := range []string{
		"BTC price (USD)", "PnL (% of entry value", // axis labels
		"Long PnL: inverse XBTUSD vs linear BTCUSDT",           // title
		"inverse XBTUSD: 1 - EP/P", "linear BTCUSDT: P/EP - 1", // legend
		"+100%", "-100%", "0%", "100000", "30000", // tick labels
	} {
		if !strings.Contains(all, want) {
			t.Errorf("the SVG has no text %q", want)
		}
	}
}

// TestHelp: -h prints the usage and exits 0; a bad flag exits 2.
func TestHelp(t *testing.T) { golden.Help(t, "inverse-vs-linear", "entry", run) }
