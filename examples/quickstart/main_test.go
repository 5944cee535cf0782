package main

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/examples/internal/golden"
)

func TestQuickstart(t *testing.T) {
	var buf bytes.Buffer
	if err := run(&buf, nil); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	golden.Check(t, out)
	verify(t, out)
}

func TestBadFlag(t *testing.T) {
	for _, args := range [][]string{{"-leverage", "0.5"}, {"-leverage", "x"}, {"-nope"}} {
		if err := run(&bytes.Buffer{}, args); err == nil {
			t.Errorf("run(%q) = nil, want an error", args)
		}
	}
	// Above 200x, 1/leverage is below the 0.5% maintenance rate, which
	// BitMEX refuses: the error names -leverage, and nothing is printed.
	for _, lev := range []string{"201", "1e30"} {
		var out bytes.Buffer
		err := run(&out, []string{"-leverage", lev})
		if err == nil || !strings.Contains(err.Error(), "-leverage "+lev) || out.Len() != 0 {
			t.Errorf("-leverage %s: %v, printing %q; want an error naming -leverage, nothing printed", lev, err, out.String())
		}
	}
	if err := run(&bytes.Buffer{}, []string{"-leverage", "200"}); err != nil {
		t.Errorf("-leverage 200: %v", err)
	}
}

// verify recomputes the printed numbers independently: the textbook closed
// forms (harmonic mean, N*(1/EP - 1/P), EP/(1 + 1/L - MMR), EP*L/(L + 1))
// and BitMEX's integer margin fields, in apd at 50 digits, and compares
// them with the numbers parsed from the output.
func verify(t *testing.T, out string) {
	o := oracle{golden.NewOracle(t)}
	blocks := parseBlocks(out)
	const lev, mmr, taker, maker, tick = "10", "0.005", "0.00075", "-0.00025", "0.5"
	sat := o.D("0.00000001")

	// posCost, posInit, posComm, posMaint, posMargin of N contracts at ep.
	checkPosition := func(b block, n, ep *apd.Decimal) {
		t.Helper()
		value := o.Quo(n, ep)
		cost := o.Round(o.Mul(value, o.D("1e8")), o.D("1"), apd.RoundHalfUp)
		posInit := o.Round(o.Quo(cost, o.D(lev)), o.D("1"), apd.RoundCeiling)
		posComm := o.Round(o.Mul(o.D(taker), o.Add(cost, posInit)), o.D("1"), apd.RoundCeiling)
		posMaint := o.Add(o.Round(o.Mul(o.D(mmr), cost), o.D("1"), apd.RoundCeiling), posComm)
		posMargin := o.Add(posInit, posComm)
		o.check(b, "entry value", value)
		// entry value  0.20000000 XBT (posCost -20,000,000 XBt): a long's
		// posCost is negative, in satoshis.
		o.Compare(b[0]+": posCost", b.fields(t, "entry value")[3], o.Neg(cost))
		o.check(b, "initial margin", posInit)
		o.check(b, "fee reserve", posComm)
		o.check(b, "maintenance", posMaint)
		o.check(b, "position margin", posMargin)

		// From the BitMEX fields: value(P_L) = |posCost| + posMargin - posMaint,
		// value(P_B) = |posCost| + posMargin - posComm, rounded up to the tick.
		vl := o.Mul(o.Sub(o.Add(cost, posMargin), posMaint), sat)
		vb := o.Mul(o.Sub(o.Add(cost, posMargin), posComm), sat)
		liq := o.Round(o.Quo(n, vl), o.D(tick), apd.RoundCeiling)
		bankrupt := o.Round(o.Quo(n, vb), o.D(tick), apd.RoundCeiling)
		o.check(b, "liquidation", liq)
		o.check(b, "bankruptcy", bankrupt)

		// The closed forms without satoshi rounding land within one tick.
		one := o.D("1")
		closedLiq := o.Quo(ep, o.Sub(o.Add(one, o.Quo(one, o.D(lev))), o.D(mmr)))
		closedBank := o.Quo(o.Mul(ep, o.D(lev)), o.Add(o.D(lev), one))
		o.within(b, "liquidation", closedLiq, o.D(tick))
		o.within(b, "bankruptcy", closedBank, o.D(tick))
	}
	fee := func(n, p *apd.Decimal, rate string) *apd.Decimal {
		return o.Round(o.Mul(o.Quo(n, p), o.D(rate)), sat, apd.RoundHalfUp)
	}
	realised := func(n, ep, exit *apd.Decimal) *apd.Decimal {
		one := o.D("1")
		return o.Round(o.Mul(n, o.Sub(o.Quo(one, ep), o.Quo(one, exit))), sat, apd.RoundHalfUp)
	}

	// 1. Open long 10,000 at 50,000.
	b := blocks.step(t, 1)
	ep := o.D("50000")
	o.checkAfter(b, "position", "long", o.D("10000"))
	o.checkAfter(b, "position", "entry", ep)
	fees := fee(o.D("10000"), ep, taker)
	o.check(b, "fee", fees)
	checkPosition(b, o.D("10000"), ep)

	// 2. Add 5,000 at 48,000: the harmonic mean of the fill prices.
	b = blocks.step(t, 2)
	ep = o.Quo(o.D("15000"), o.Add(o.Quo(o.D("10000"), o.D("50000")), o.Quo(o.D("5000"), o.D("48000"))))
	o.checkAfter(b, "position", "long", o.D("15000"))
	o.checkAfter(b, "position", "entry", ep)
	f := fee(o.D("5000"), o.D("48000"), maker)
	o.check(b, "fee", f)
	fees = o.Add(fees, f)
	checkPosition(b, o.D("15000"), ep)

	// 3. Funding: F = premium + clamp(I - premium, -0.05%, +0.05%), with
	// I = (0.06% - 0.03%)/3; the long pays N/mark*F.
	b = blocks.step(t, 3)
	interest := o.Quo(o.Sub(o.D("0.0006"), o.D("0.0003")), o.D("3"))
	paid := o.D("0")
	for _, row := range []struct{ label, premium, mark string }{
		{"8h", "0.0003", "48500"}, {"16h", "0.0009", "49750"}, {"24h", "-0.0008", "51200"},
	} {
		premium, mark := o.D(row.premium), o.D(row.mark)
		diff := o.Sub(interest, premium)
		if bound := o.D("0.0005"); diff.Cmp(bound) > 0 {
			diff = bound
		} else if nb := o.D("-0.0005"); diff.Cmp(nb) < 0 {
			diff = nb
		}
		rate := o.Add(premium, diff)
		pay := o.Round(o.Mul(o.Quo(o.D("15000"), mark), rate), sat, apd.RoundHalfUp)
		paid = o.Add(paid, pay)
		fields := b.fields(t, row.label)
		o.Compare(row.label+" rate", fields[1], o.Mul(rate, o.D("100")))
		o.Compare(row.label+" paid", fields[3], pay)
		o.Compare(row.label+" uPnL", fields[4], o.Mul(o.D("15000"), o.Sub(o.Quo(o.D("1"), ep), o.Quo(o.D("1"), mark))))
	}
	o.check(b, "funding paid", paid)

	// 4. Sell 5,000 at 52,000: realises 5,000*(1/EP - 1/52,000) and keeps EP.
	b = blocks.step(t, 4)
	r1 := realised(o.D("5000"), ep, o.D("52000"))
	o.check(b, "realised PnL", r1)
	o.checkAfter(b, "position", "entry", ep)
	f = fee(o.D("5000"), o.D("52000"), taker)
	o.check(b, "fee", f)
	fees = o.Add(fees, f)
	checkPosition(b, o.D("10000"), ep)

	// 5. Close the rest at 53,000.
	b = blocks.step(t, 5)
	r2 := realised(o.D("10000"), ep, o.D("53000"))
	o.check(b, "realised PnL", r2)
	f = fee(o.D("10000"), o.D("53000"), taker)
	o.check(b, "fee", f)
	fees = o.Add(fees, f)

	b = blocks.named(t, "result")
	total := o.Add(r1, r2)
	o.check(b, "realised PnL", total)
	o.check(b, "fees", o.Neg(fees))
	o.check(b, "funding", o.Neg(paid))
	o.check(b, "net", o.Sub(o.Sub(total, fees), paid))
}

// oracle adds to golden.Oracle the checks of numbers found in a block.
type oracle struct{ *golden.Oracle }

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

func (o *oracle) check(b block, label string, want *apd.Decimal) {
	o.T.Helper()
	o.Compare(b[0]+": "+label, b.fields(o.T, label)[0], want)
}

// checkAfter checks the number that follows the word after on the line.
func (o *oracle) checkAfter(b block, label, after string, want *apd.Decimal) {
	o.T.Helper()
	fields := b.fields(o.T, label)
	for i, f := range fields[:len(fields)-1] {
		if f == after {
			o.Compare(b[0]+": "+label+" "+after, fields[i+1], want)
			return
		}
	}
	o.T.Errorf("%s: no %q in %q", b[0], after, label)
}

// within checks that the printed number lies within tol of want.
func (o *oracle) within(b block, label string, want, tol *apd.Decimal) {
	o.T.Helper()
	got := o.Number(b.fields(o.T, label)[0])
	diff := o.Sub(got, want)
	diff.Abs(diff)
	if diff.Cmp(tol) > 0 {
		o.T.Errorf("%s: %s printed %s, closed form %s: more than %s apart", b[0], label, got.Text('f'), want.Text('f'), tol.Text('f'))
	}
}

// TestHelp: -h prints the usage and exits 0; a bad flag exits 2.
func TestHelp(t *testing.T) { golden.Help(t, "quickstart", "leverage", run) }
