// Benchtable reads the CSV that benchstat -col /impl -format csv writes and
// prints markdown tables of the medians:
//
//   - each kernel: ns/op of derivmath, float64, shopspring, udecimal and
//     govalues, their allocs/op, the ratio of derivmath to the fastest of
//     udecimal and govalues (issue 10's target: at most 1.00x), and
//     derivmath/float64; then how many kernels miss the target, each
//     kernel that has an impl=oneshot row counted by it, like for like
//     (the compiled solver keeps its answer, the peers compute theirs);
//   - the account checks, which have derivmath and float64 only: ns/op,
//     allocs/op, derivmath/float64 and ns per position, with issue 10's
//     targets;
//   - the benchmarks that also measure derivmath's one-shot functions
//     (impl=oneshot) beside its compiled solver (impl=derivmath): both,
//     and the one-shot's ratios to the compiled form, the fastest peer and
//     float64;
//   - the order book: derivmath against the baseline.
//
// Usage:
//
//	benchstat -col /impl -format csv raw.txt | go run ./internal/benchtable
package main

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"
)

func main() {
	if err := run(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
}

// cell is one median with its confidence interval, as benchstat prints it.
type cell struct {
	v  float64
	ci string
	ok bool
}

// results maps unit ("sec/op", "allocs/op") -> benchmark -> impl -> cell.
type results map[string]map[string]map[string]cell

var procs = regexp.MustCompile(`-\d+$`)

// peers are the decimal libraries that derivmath's kernels are measured
// against: the ratio is to the fastest of them.
var peers = []string{"udecimal", "govalues"}

// targets are issue 10's targets for the account checks.
var targets = map[string]struct {
	ratio, perPosition float64 // derivmath/float64, ns/position; 0 for none
}{
	"Liquidatable":        {ratio: 4},
	"LiquidatableCross10": {ratio: 4},
	"CrossReprice10":      {perPosition: 50},
}

func run(in io.Reader, out io.Writer) error {
	res, order, err := parse(in)
	if err != nil {
		return err
	}
	sec, allocs, pos := res["sec/op"], res["allocs/op"], res["sec/position"]
	if sec == nil || allocs == nil {
		return errors.New("no sec/op or allocs/op table in the input (run go test with -benchmem)")
	}
	w := &strings.Builder{}
	kernels, above := 0, 0
	for _, name := range order {
		s := sec[name]
		fastest, ok := fastestPeer(s)
		if !ok {
			continue
		}
		if kernels == 0 {
			fmt.Fprintln(w, "| kernel | derivmath ns/op | float64 ns/op | shopspring ns/op | udecimal ns/op | govalues ns/op | allocs/op (dm / f64 / ss / ud / gv) | derivmath / fastest peer | derivmath / float64 |")
			fmt.Fprintln(w, "|---|--:|--:|--:|--:|--:|--:|--:|--:|")
		}
		kernels++
		a := allocs[name]
		r := ratio2(s["derivmath"], s[fastest])
		// A kernel measured one-shot too is counted by that row: the
		// compiled solver keeps its answer, where the one-shot function
		// solves on every call, as the peers do.
		like := s["derivmath"]
		if s["oneshot"].ok {
			like = s["oneshot"]
		}
		if like.ok && like.v > s[fastest].v {
			above++
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s / %s / %s / %s / %s | %s (%s) | %s |\n", name,
			ns(s["derivmath"]), ns(s["float64"]), ns(s["shopspring"]), ns(s["udecimal"]), ns(s["govalues"]),
			count(a["derivmath"]), count(a["float64"]), count(a["shopspring"]), count(a["udecimal"]), count(a["govalues"]),
			r, fastest, ratio(s["derivmath"], s["float64"]))
	}
	if kernels > 0 {
		fmt.Fprintf(w, "\nKernels where derivmath is slower than the fastest of udecimal and govalues: %d of %d (target: 0),\n", above, kernels)
		fmt.Fprintln(w, "each kernel measured one-shot too counted by its one-shot row, which solves on every call as the peers do.")
	}
	checks := false
	for _, name := range order {
		s := sec[name]
		if _, ok := fastestPeer(s); ok || !s["derivmath"].ok || !s["float64"].ok {
			continue
		}
		if !checks {
			fmt.Fprintln(w)
			fmt.Fprintln(w, "| account check | derivmath ns/op | float64 ns/op | allocs/op (dm / f64) | derivmath / float64 | derivmath ns/position | float64 ns/position | target |")
			fmt.Fprintln(w, "|---|--:|--:|--:|--:|--:|--:|---|")
			checks = true
		}
		a, p := allocs[name], pos[name]
		fmt.Fprintf(w, "| %s | %s | %s | %s / %s | %s | %s | %s | %s |\n", name,
			ns(s["derivmath"]), ns(s["float64"]), count(a["derivmath"]), count(a["float64"]),
			ratio(s["derivmath"], s["float64"]), ns(p["derivmath"]), ns(p["float64"]), target(name, s, p, a))
	}
	oneshots := false
	for _, name := range order {
		s := sec[name]
		if !s["oneshot"].ok || !s["derivmath"].ok {
			continue
		}
		if !oneshots {
			fmt.Fprintln(w)
			fmt.Fprintln(w, "| one-shot function | compiled ns/op | one-shot ns/op | allocs/op (compiled / one-shot) | one-shot / compiled | one-shot / fastest peer | one-shot / float64 |")
			fmt.Fprintln(w, "|---|--:|--:|--:|--:|--:|--:|")
			oneshots = true
		}
		a := allocs[name]
		peer := "-"
		if fastest, ok := fastestPeer(s); ok {
			peer = ratio2(s["oneshot"], s[fastest]) + " (" + fastest + ")"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s / %s | %s | %s | %s |\n", name,
			ns(s["derivmath"]), ns(s["oneshot"]), count(a["derivmath"]), count(a["oneshot"]),
			ratio(s["oneshot"], s["derivmath"]), peer, ratio(s["oneshot"], s["float64"]))
	}
	books := false
	for _, name := range order {
		s := sec[name]
		if _, ok := s["baseline"]; !ok {
			continue
		}
		if !books {
			fmt.Fprintln(w)
			fmt.Fprintln(w, "| order book | derivmath ns/op | derivmath ops/s | allocs/op | baseline ns/op | baseline allocs/op | baseline / derivmath |")
			fmt.Fprintln(w, "|---|--:|--:|--:|--:|--:|--:|")
			books = true
		}
		a := allocs[name]
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s |\n", name,
			ns(s["derivmath"]), opsPerSec(s["derivmath"]), count(a["derivmath"]),
			ns(s["baseline"]), count(a["baseline"]), ratio(s["baseline"], s["derivmath"]))
	}
	_, err = io.WriteString(out, w.String())
	return err
}

// fastestPeer returns the peer with the smallest median in s, and false
// when s has none of them.
func fastestPeer(s map[string]cell) (string, bool) {
	best := ""
	for _, p := range peers {
		if c := s[p]; c.ok && (best == "" || c.v < s[best].v) {
			best = p
		}
	}
	return best, best != ""
}

// target says whether the account check name meets issue 10's target.
func target(name string, s, pos, allocs map[string]cell) string {
	t, ok := targets[name]
	if !ok {
		return "-"
	}
	met := allocs["derivmath"].ok && allocs["derivmath"].v == 0
	var what []string
	if t.ratio > 0 {
		what = append(what, fmt.Sprintf("<= %gx float64", t.ratio))
		met = met && s["derivmath"].ok && s["float64"].ok && s["derivmath"].v <= t.ratio*s["float64"].v
	}
	if t.perPosition > 0 {
		what = append(what, fmt.Sprintf("<= %g ns/position", t.perPosition))
		met = met && pos["derivmath"].ok && pos["derivmath"].v*1e9 <= t.perPosition
	}
	what = append(what, "0 allocs")
	verdict := "not met"
	if met {
		verdict = "met"
	}
	return strings.Join(what, ", ") + ": " + verdict
}

// parse reads benchstat's CSV: tables separated by blank lines, each with a
// row of implementation names, a row of units, then a row per benchmark.
func parse(in io.Reader) (results, []string, error) {
	res := results{}
	var order []string
	seen := map[string]bool{}
	sc := bufio.NewScanner(in)
	var block []string
	flush := func() error {
		defer func() { block = block[:0] }()
		if len(block) < 3 {
			return nil
		}
		r := csv.NewReader(strings.NewReader(strings.Join(block, "\n")))
		r.FieldsPerRecord = -1
		rows, err := r.ReadAll()
		if err != nil {
			return err
		}
		impls, units := rows[0], rows[1]
		for _, row := range rows[2:] {
			name := procs.ReplaceAllString(row[0], "")
			if name == "geomean" {
				continue
			}
			for i := 1; i < len(row) && i < len(impls); i++ {
				if impls[i] == "" || row[i] == "" {
					continue
				}
				v, err := strconv.ParseFloat(row[i], 64)
				if err != nil {
					return fmt.Errorf("%s %s: %w", name, impls[i], err)
				}
				unit := units[i]
				if res[unit] == nil {
					res[unit] = map[string]map[string]cell{}
				}
				if res[unit][name] == nil {
					res[unit][name] = map[string]cell{}
				}
				c := cell{v: v, ok: true}
				if i+1 < len(row) && units[i+1] == "CI" {
					c.ci = row[i+1]
				}
				res[unit][name][impls[i]] = c
				if !seen[name] {
					seen[name] = true
					order = append(order, name)
				}
			}
		}
		return nil
	}
	for sc.Scan() {
		line := sc.Text()
		if strings.TrimSpace(line) == "" {
			if err := flush(); err != nil {
				return nil, nil, err
			}
			continue
		}
		if strings.HasPrefix(line, ",") || strings.Contains(line, ",") && len(block) > 0 {
			block = append(block, line)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, nil, err
	}
	if err := flush(); err != nil {
		return nil, nil, err
	}
	return res, order, nil
}

// ns formats a median in sec/op as ns/op, with its confidence interval.
func ns(c cell) string {
	if !c.ok {
		return "-"
	}
	s := strconv.FormatFloat(c.v*1e9, 'f', digits(c.v*1e9), 64)
	if c.ci != "" && c.ci != "∞" {
		s += " ±" + c.ci
	}
	return s
}

func opsPerSec(c cell) string {
	if !c.ok || c.v == 0 {
		return "-"
	}
	return strconv.FormatFloat(1/c.v/1e6, 'f', 1, 64) + "M"
}

func count(c cell) string {
	if !c.ok {
		return "-"
	}
	return strconv.FormatFloat(c.v, 'f', -1, 64)
}

// ratio formats a/b.
func ratio(a, b cell) string {
	if !a.ok || !b.ok || b.v == 0 {
		return "-"
	}
	r := a.v / b.v
	return strconv.FormatFloat(r, 'f', digits(r), 64) + "x"
}

// ratio2 formats a/b with two decimals, for ratios compared with 1.00.
func ratio2(a, b cell) string {
	if !a.ok || !b.ok || b.v == 0 {
		return "-"
	}
	return strconv.FormatFloat(a.v/b.v, 'f', 2, 64) + "x"
}

// digits gives three significant digits, and none past the point at 100.
func digits(x float64) int {
	switch {
	case x >= 100:
		return 0
	case x >= 10:
		return 1
	case x >= 1:
		return 2
	}
	return max(0, 2-int(math.Floor(math.Log10(x))))
}
