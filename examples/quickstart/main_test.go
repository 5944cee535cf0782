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

func TestQuickstart(t *testing.T) {
	var buf bytes.Buffer
	if err := run(&buf, nil); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	golden(t, out)
	verify(t, out)
}

func TestBadFlag(t *testing.T) {
	for _, args := range [][]string{{"-leverage", "0.5"}, {"-leverage", "x"}, {"-nope"}} {
		if err := run(&bytes.Buffer{}, args); err == nil {
			t.Errorf("run(%q) = nil, want an error", args)
		}
	}
}

// verify recomputes the printed numbers independently: the textbook closed
// forms (harmonic mean, N*(1/EP - 1/P), EP/(1 + 1/L - MMR), EP*L/(L + 1))
// and BitMEX's integer margin fields, in apd at 50 digits, and compares
// them with the numbers parsed from the output.
func verify(t *testing.T, out string) {
	o := newOracle(t)
	blocks := parseBlocks(out)
	const lev, mmr, taker, maker, tick = "10", "0.005", "0.00075", "-0.00025", "0.5"
	sat := o.d("0.00000001")

	// posCost, posInit, posComm, posMaint, posMargin of N contracts at ep.
	checkPosition := func(b block, n, ep *apd.Decimal) {
		t.Helper()
		value := o.quo(n, ep)
		cost := o.round(o.mul(value, o.d("1e8")), o.d("1"), apd.RoundHalfUp)
		posInit := o.round(o.quo(cost, o.d(lev)), o.d("1"), apd.RoundCeiling)
		posComm := o.round(o.mul(o.d(taker), o.add(cost, posInit)), o.d("1"), apd.RoundCeiling)
		posMaint := o.add(o.round(o.mul(o.d(mmr), cost), o.d("1"), apd.RoundCeiling), posComm)
		posMargin := o.add(posInit, posComm)
		o.check(b, "entry value", value)
		o.check(b, "initial margin", posInit)
		o.check(b, "fee reserve", posComm)
		o.check(b, "maintenance", posMaint)
		o.check(b, "position margin", posMargin)

		// From the BitMEX fields: value(P_L) = |posCost| + posMargin - posMaint,
		// value(P_B) = |posCost| + posMargin - posComm, rounded up to the tick.
		vl := o.mul(o.sub(o.add(cost, posMargin), posMaint), sat)
		vb := o.mul(o.sub(o.add(cost, posMargin), posComm), sat)
		liq := o.round(o.quo(n, vl), o.d(tick), apd.RoundCeiling)
		bankrupt := o.round(o.quo(n, vb), o.d(tick), apd.RoundCeiling)
		o.check(b, "liquidation", liq)
		o.check(b, "bankruptcy", bankrupt)

		// The closed forms without satoshi rounding land within one tick.
		one := o.d("1")
		closedLiq := o.quo(ep, o.sub(o.add(one, o.quo(one, o.d(lev))), o.d(mmr)))
		closedBank := o.quo(o.mul(ep, o.d(lev)), o.add(o.d(lev), one))
		o.within(b, "liquidation", closedLiq, o.d(tick))
		o.within(b, "bankruptcy", closedBank, o.d(tick))
	}
	fee := func(n, p *apd.Decimal, rate string) *apd.Decimal {
		return o.round(o.mul(o.quo(n, p), o.d(rate)), sat, apd.RoundHalfUp)
	}
	realised := func(n, ep, exit *apd.Decimal) *apd.Decimal {
		one := o.d("1")
		return o.round(o.mul(n, o.sub(o.quo(one, ep), o.quo(one, exit))), sat, apd.RoundHalfUp)
	}

	// 1. Open long 10,000 at 50,000.
	b := blocks.step(t, 1)
	ep := o.d("50000")
	o.checkAfter(b, "position", "long", o.d("10000"))
	o.checkAfter(b, "position", "entry", ep)
	fees := fee(o.d("10000"), ep, taker)
	o.check(b, "fee", fees)
	checkPosition(b, o.d("10000"), ep)

	// 2. Add 5,000 at 48,000: the harmonic mean of the fill prices.
	b = blocks.step(t, 2)
	ep = o.quo(o.d("15000"), o.add(o.quo(o.d("10000"), o.d("50000")), o.quo(o.d("5000"), o.d("48000"))))
	o.checkAfter(b, "position", "long", o.d("15000"))
	o.checkAfter(b, "position", "entry", ep)
	f := fee(o.d("5000"), o.d("48000"), maker)
	o.check(b, "fee", f)
	fees = o.add(fees, f)
	checkPosition(b, o.d("15000"), ep)

	// 3. Funding: F = premium + clamp(I - premium, -0.05%, +0.05%), with
	// I = (0.06% - 0.03%)/3; the long pays N/mark*F.
	b = blocks.step(t, 3)
	interest := o.quo(o.sub(o.d("0.0006"), o.d("0.0003")), o.d("3"))
	paid := o.d("0")
	for _, row := range []struct{ label, premium, mark string }{
		{"8h", "0.0003", "48500"}, {"16h", "0.0009", "49750"}, {"24h", "-0.0008", "51200"},
	} {
		premium, mark := o.d(row.premium), o.d(row.mark)
		diff := o.sub(interest, premium)
		if bound := o.d("0.0005"); diff.Cmp(bound) > 0 {
			diff = bound
		} else if nb := o.d("-0.0005"); diff.Cmp(nb) < 0 {
			diff = nb
		}
		rate := o.add(premium, diff)
		pay := o.round(o.mul(o.quo(o.d("15000"), mark), rate), sat, apd.RoundHalfUp)
		paid = o.add(paid, pay)
		fields := b.fields(t, row.label)
		o.compare(row.label+" rate", fields[1], o.mul(rate, o.d("100")))
		o.compare(row.label+" paid", fields[3], pay)
		o.compare(row.label+" uPnL", fields[4], o.mul(o.d("15000"), o.sub(o.quo(o.d("1"), ep), o.quo(o.d("1"), mark))))
	}
	o.check(b, "funding paid", paid)

	// 4. Sell 5,000 at 52,000: realises 5,000*(1/EP - 1/52,000) and keeps EP.
	b = blocks.step(t, 4)
	r1 := realised(o.d("5000"), ep, o.d("52000"))
	o.check(b, "realised PnL", r1)
	o.checkAfter(b, "position", "entry", ep)
	f = fee(o.d("5000"), o.d("52000"), taker)
	o.check(b, "fee", f)
	fees = o.add(fees, f)
	checkPosition(b, o.d("10000"), ep)

	// 5. Close the rest at 53,000.
	b = blocks.step(t, 5)
	r2 := realised(o.d("10000"), ep, o.d("53000"))
	o.check(b, "realised PnL", r2)
	f = fee(o.d("10000"), o.d("53000"), taker)
	o.check(b, "fee", f)
	fees = o.add(fees, f)

	b = blocks.named(t, "result")
	total := o.add(r1, r2)
	o.check(b, "realised PnL", total)
	o.check(b, "fees", o.neg(fees))
	o.check(b, "funding", o.neg(paid))
	o.check(b, "net", o.sub(o.sub(total, fees), paid))
}

// A block is a paragraph of the output.
type block []string

type blocks []block

func parseBlocks(out string) blocks {
	var bs blocks
	for _, para := range strings.Split(strings.TrimSpace(out), "\n\n") {
		bs = append(bs, strings.Split(para, "\n"))
	}
	return bs
}

func (bs blocks) step(t *testing.T, n int) block {
	t.Helper()
	return bs.named(t, strconv.Itoa(n)+". ")
}

func (bs blocks) named(t *testing.T, prefix string) block {
	t.Helper()
	for _, b := range bs {
		if strings.HasPrefix(b[0], prefix) {
			return b
		}
	}
	t.Fatalf("no block %q in the output", prefix)
	return nil
}

// fields returns the whitespace-separated fields of the line whose text
// starts with label.
func (b block) fields(t *testing.T, label string) []string {
	t.Helper()
	for _, line := range b {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), label+" "); ok {
			return strings.Fields(rest)
		}
	}
	t.Fatalf("no line %q in block %q", label, b[0])
	return nil
}

// oracle computes at 50 digits.
type oracle struct {
	t   *testing.T
	ctx *apd.Context
}

func newOracle(t *testing.T) *oracle {
	ctx := apd.BaseContext.WithPrecision(50)
	ctx.Rounding = apd.RoundHalfEven
	return &oracle{t: t, ctx: ctx}
}

func (o *oracle) d(s string) *apd.Decimal {
	o.t.Helper()
	d, _, err := apd.NewFromString(s)
	if err != nil {
		o.t.Fatal(err)
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
func (o *oracle) neg(x *apd.Decimal) *apd.Decimal    { return new(apd.Decimal).Neg(x) }

// round rounds x to a multiple of step in mode.
func (o *oracle) round(x, step *apd.Decimal, mode apd.Rounder) *apd.Decimal {
	o.t.Helper()
	c := *o.ctx
	c.Rounding = mode
	var n apd.Decimal
	q := o.quo(x, step)
	if _, err := c.RoundToIntegralValue(&n, q); err != nil {
		o.t.Fatal(err)
	}
	return o.mul(&n, step)
}

// number parses a printed number: thousands separators, a sign, a % sign.
func (o *oracle) number(s string) *apd.Decimal {
	o.t.Helper()
	s = strings.TrimSuffix(strings.ReplaceAll(strings.TrimPrefix(s, "+"), ",", ""), "%")
	return o.d(s)
}

// compare checks that the printed number equals want rounded half-even to
// as many places as are printed.
func (o *oracle) compare(name, printed string, want *apd.Decimal) {
	o.t.Helper()
	got := o.number(printed)
	var w apd.Decimal
	if _, err := o.ctx.Quantize(&w, want, got.Exponent); err != nil {
		o.t.Fatal(err)
	}
	if got.Cmp(&w) != 0 {
		o.t.Errorf("%s: printed %s, computed %s (%s)", name, printed, w.Text('f'), want.Text('f'))
	}
}

func (o *oracle) check(b block, label string, want *apd.Decimal) {
	o.t.Helper()
	o.compare(b[0]+": "+label, b.fields(o.t, label)[0], want)
}

// checkAfter checks the number that follows the word after on the line.
func (o *oracle) checkAfter(b block, label, after string, want *apd.Decimal) {
	o.t.Helper()
	fields := b.fields(o.t, label)
	for i, f := range fields[:len(fields)-1] {
		if f == after {
			o.compare(b[0]+": "+label+" "+after, fields[i+1], want)
			return
		}
	}
	o.t.Errorf("%s: no %q in %q", b[0], after, label)
}

// within checks that the printed number lies within tol of want.
func (o *oracle) within(b block, label string, want, tol *apd.Decimal) {
	o.t.Helper()
	got := o.number(b.fields(o.t, label)[0])
	diff := o.sub(got, want)
	diff.Abs(diff)
	if diff.Cmp(tol) > 0 {
		o.t.Errorf("%s: %s printed %s, closed form %s: more than %s apart", b[0], label, got.Text('f'), want.Text('f'), tol.Text('f'))
	}
}
