package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"
)

var update = flag.Bool("update", false, "rewrite testdata/golden.txt with the current output")

func TestGolden(t *testing.T) {
	var all strings.Builder
	for _, c := range []struct {
		args     []string
		size     string
		weighted bool
	}{
		{nil, "2", true},
		{[]string{"-weighting", "equal", "-size", "0.5", "-detail", "17"}, "0.5", false},
	} {
		var buf bytes.Buffer
		if err := run(&buf, c.args); err != nil {
			t.Fatalf("run(%q): %v", c.args, err)
		}
		all.WriteString(strings.TrimSpace("$ funding "+strings.Join(c.args, " ")) + "\n" + buf.String() + "\n")
		verify(t, buf.String(), c.size, c.weighted)
	}
	golden(t, all.String())
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-size", "0"}, {"-size", "x"}, {"-weighting", "median"}, {"-factor", "0"}, {"-detail", "22"},
	} {
		if err := run(&bytes.Buffer{}, args); err == nil {
			t.Errorf("run(%q) = nil, want an error", args)
		}
	}
}

// verify recomputes every row of the week's table at 50 digits from the
// input samples, by the published rules: the weighted mean of the samples,
// F = P + clamp(I - P, -0.05%, +0.05%) with I = (0.06% - 0.03%)/3, the cap
// |F| <= 0.75 x 0.4%, and the long's payment size*mark*F, the short's its
// negation; each row and the week sum to exactly zero.
func verify(t *testing.T, out, sizeText string, weighted bool) {
	t.Helper()
	o := &oracle{t: t, ctx: apd.BaseContext.WithPrecision(50)}
	o.ctx.Rounding = apd.RoundHalfEven
	size := o.d(sizeText)
	interest := o.quo(o.sub(o.d("0.0006"), o.d("0.0003")), o.d("3"))
	bound, capRate := o.d("0.0005"), o.mul(o.d("0.75"), o.d("0.004"))
	clamp := func(x, b *apd.Decimal) *apd.Decimal {
		nb := new(apd.Decimal).Neg(b)
		switch {
		case x.Cmp(b) > 0:
			return b
		case x.Cmp(nb) < 0:
			return nb
		}
		return x
	}
	rows := tableRows(t, out)
	if len(rows) != len(week) {
		t.Fatalf("%d rows in the table, want %d", len(rows), len(week))
	}
	total := o.d("0")
	hundred := o.d("100")
	for i, iv := range week {
		sum, weights := o.d("0"), o.d("0")
		for j, f := range strings.Fields(iv.samples) {
			wt := o.d("1")
			if weighted {
				wt = o.d(strconv.Itoa(j + 1))
			}
			sum = o.add(sum, o.mul(wt, o.d(f)))
			weights = o.add(weights, wt)
		}
		avg := o.quo(sum, weights)
		rate := o.add(avg, clamp(o.sub(interest, avg), bound))
		capped := clamp(rate, capRate)
		pay := o.mul(o.mul(size, o.d(iv.mark)), capped)
		total = o.add(total, pay)
		r := rows[i]
		name := "row " + r[0]
		o.compare(name+" average", r[3], o.mul(avg, hundred))
		o.compare(name+" rate", r[4], o.mul(rate, hundred))
		o.compare(name+" capped", r[5], o.mul(capped, hundred))
		o.compare(name+" long pays", r[7], pay)
		o.compare(name+" short pays", r[8], new(apd.Decimal).Neg(pay))
		if r[9] != "0" {
			t.Errorf("%s: long + short = %s, want 0", name, r[9])
		}
	}
	for _, line := range strings.Split(out, "\n") {
		if f, ok := strings.CutPrefix(line, "total "); ok {
			fields := strings.Fields(f)
			o.compare("total long", fields[0], total)
			o.compare("total short", fields[1], new(apd.Decimal).Neg(total))
			if fields[2] != "0" {
				t.Errorf("week's long + short = %s, want 0", fields[2])
			}
			return
		}
	}
	t.Error("no total line")
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

// golden compares got with testdata/golden.txt, or rewrites it with -update.
func golden(t *testing.T, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden.txt")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run go test -update to accept it)\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

// oracle computes at 50 digits.
type oracle struct {
	t   *testing.T
	ctx *apd.Context
}

func (o *oracle) d(s string) *apd.Decimal {
	o.t.Helper()
	d, _, err := apd.NewFromString(s)
	if err != nil {
		o.t.Fatalf("%q: %v", s, err)
	}
	return d
}

func (o *oracle) op(f func(z, x, y *apd.Decimal) (apd.Condition, error), x, y *apd.Decimal) *apd.Decimal {
	o.t.Helper()
	var z apd.Decimal
	if _, err := f(&z, x, y); err != nil {
		o.t.Fatal(err)
	}
	return &z
}

func (o *oracle) add(x, y *apd.Decimal) *apd.Decimal { return o.op(o.ctx.Add, x, y) }
func (o *oracle) sub(x, y *apd.Decimal) *apd.Decimal { return o.op(o.ctx.Sub, x, y) }
func (o *oracle) mul(x, y *apd.Decimal) *apd.Decimal { return o.op(o.ctx.Mul, x, y) }
func (o *oracle) quo(x, y *apd.Decimal) *apd.Decimal { return o.op(o.ctx.Quo, x, y) }

// compare checks that the printed number equals want rounded half-even to
// as many places as are printed.
func (o *oracle) compare(name, printed string, want *apd.Decimal) {
	o.t.Helper()
	got := o.d(printed)
	var w apd.Decimal
	if _, err := o.ctx.Quantize(&w, want, got.Exponent); err != nil {
		o.t.Fatal(err)
	}
	if got.Cmp(&w) != 0 {
		o.t.Errorf("%s: printed %s, want %s (%s)", name, printed, w.Text('f'), want.Text('f'))
	}
}
