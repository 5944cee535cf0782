package main

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/examples/internal/golden"
)

func TestGolden(t *testing.T) {
	var all strings.Builder
	for _, c := range []struct {
		args     []string
		size     string
		weighted bool
		detail   int
	}{
		{nil, "2", true, 10},
		{[]string{"-weighting", "equal", "-size", "0.5", "-detail", "17"}, "0.5", false, 17},
	} {
		var buf bytes.Buffer
		if err := run(&buf, c.args); err != nil {
			t.Fatalf("run(%q): %v", c.args, err)
		}
		all.WriteString(strings.TrimSpace("$ funding "+strings.Join(c.args, " ")) + "\n" + buf.String() + "\n")
		verify(t, buf.String(), c.size, c.weighted, c.detail)
	}
	golden.Check(t, all.String())
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
// negation; each row and the week sum to exactly zero. It also checks the
// header's interest and cap, the step-by-step account of interval detail
// (its average, I - P and which side of the clamp it falls, the rate and
// the capped rate, at 6 places) and the closing line's net payment.
func verify(t *testing.T, out, sizeText string, weighted bool, detail int) {
	t.Helper()
	o := golden.NewOracle(t)
	size := o.D(sizeText)
	interest := o.Quo(o.Sub(o.D("0.0006"), o.D("0.0003")), o.D("3"))
	bound, capRate := o.D("0.0005"), o.Mul(o.D("0.75"), o.D("0.004"))
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
	total := o.D("0")
	hundred := o.D("100")
	// interest  (0.06% - 0.03%) / 3 = 0.0100% per interval (...)
	// cap       |rate| <= 0.75 x 0.4% (maintenance rate ...) = 0.30%
	o.Compare("header interest", lineFields(t, out, "interest  ")[6], o.Mul(interest, hundred))
	f := lineFields(t, out, "cap       ")
	o.Compare("header cap", f[len(f)-1], o.Mul(capRate, hundred))
	for i, iv := range week {
		sum, weights := o.D("0"), o.D("0")
		for j, f := range strings.Fields(iv.samples) {
			wt := o.D("1")
			if weighted {
				wt = o.D(strconv.Itoa(j + 1))
			}
			sum = o.Add(sum, o.Mul(wt, o.D(f)))
			weights = o.Add(weights, wt)
		}
		avg := o.Quo(sum, weights)
		rate := o.Add(avg, clamp(o.Sub(interest, avg), bound))
		capped := clamp(rate, capRate)
		pay := o.Mul(o.Mul(size, o.D(iv.mark)), capped)
		total = o.Add(total, pay)
		r := rows[i]
		name := "row " + r[0]
		o.Compare(name+" average", r[3], o.Mul(avg, hundred))
		o.Compare(name+" rate", r[4], o.Mul(rate, hundred))
		o.Compare(name+" capped", r[5], o.Mul(capped, hundred))
		o.Compare(name+" long pays", r[7], pay)
		o.Compare(name+" short pays", r[8], new(apd.Decimal).Neg(pay))
		if r[9] != "0" {
			t.Errorf("%s: long + short = %s, want 0", name, r[9])
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

// TestHelp: -h prints the usage and exits 0; a bad flag exits 2.
func TestHelp(t *testing.T) { golden.Help(t, "funding", "size", run) }
