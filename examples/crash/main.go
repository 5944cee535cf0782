// Crash replays a crash through one venue's liquidation rules and tells what
// happens, step by step, to a trader who went long at 100x leverage.
//
// The crash is built in: a mark path from 60,000 down to 52,150 and back up
// to 55,400 USDT, and a market maker (the street) whose bids thin as the
// price falls. A few hundred accounts hold BTCUSDT positions at leverages
// from 1x to 100x, drawn from a seed. On each tick the mark-tick index
// (package engine/markindex) names the accounts the new mark may have made
// liquidatable, and the driver (package engine/drive) runs the venue's
// sequence on each through the order book: trigger (S2), cancel orders
// (S3), step down the risk limit or close in part (S4), takeover and
// liquidation order at the bankruptcy price (S5), the insurance fund's gain
// or loss (S6), auto-deleveraging of the winners (S7) and socialised loss
// (S8).
//
// It prints the 100x long's story, a tick-by-tick table and a summary with
// the conservation check, and writes an SVG: the mark path with each
// liquidation marked, the insurance fund below it, and the ADL trades.
//
//	go run ./examples/crash
//	go run ./examples/crash -venue bitmex -seed 7 -svg /tmp/crash.svg
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/derivmath/derivmath/engine"
	"github.com/derivmath/derivmath/examples/internal/cli"
)

func main() {
	os.Exit(cli.Exit(os.Stderr, "crash", run(os.Stdout, os.Args[1:])))
}

// venues are the -venue names and their presets, in the order of
// engine.Venue.
var venues = []struct {
	name   string
	preset func() *engine.Preset
}{
	{"bitmex", engine.PresetBitMEX},
	{"binance", engine.PresetBinance},
	{"bybit", engine.PresetBybit},
	{"okx", engine.PresetOKX},
	{"deribit", engine.PresetDeribit},
	{"dydx", engine.PresetDYDX},
	{"hyperliquid", engine.PresetHyperliquid},
	{"drift", engine.PresetDrift},
	{"gmx", engine.PresetGMX},
}

func venueNames() string {
	names := make([]string, len(venues))
	for k, v := range venues {
		names[k] = v.name
	}
	return strings.Join(names, "|")
}

func run(w io.Writer, args []string) error {
	fs := flag.NewFlagSet("crash", flag.ContinueOnError)
	fs.SetOutput(w)
	venue := fs.String("venue", "bitmex", "the venue whose liquidation rules apply: "+venueNames())
	seed := fs.Uint64("seed", 1, "seed of the accounts' sizes, entries and leverages (and dYdX's ADL offset)")
	accounts := fs.Int("accounts", 300, "number of accounts besides the street (the market maker), the 100x long included")
	svgPath := fs.String("svg", "crash.svg", "SVG file to write (empty: none)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	*venue = strings.ToLower(*venue) // BitMEX or bitmex, as examples/liquidation reads it
	s, err := simulate(*venue, *seed, *accounts)
	if err != nil {
		return err
	}
	out := &strings.Builder{}
	if err := s.report(out, *venue); err != nil {
		return err
	}
	if *svgPath != "" {
		if err := os.WriteFile(*svgPath, []byte(s.plot(*venue)), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(out, "\nwrote %s\n", *svgPath)
	}
	_, err = io.WriteString(w, out.String())
	return err
}

// simulate builds the crash for the named venue and replays it.
func simulate(venue string, seed uint64, accounts int) (*sim, error) {
	var p *engine.Preset
	for _, v := range venues {
		if v.name == venue {
			p = v.preset()
		}
	}
	if p == nil {
		return nil, fmt.Errorf("-venue %q: want one of %s", venue, venueNames())
	}
	s, err := newSim(p, seed, accounts)
	if err != nil {
		return nil, err
	}
	if err := s.snapshotHero(); err != nil {
		return nil, err
	}
	if err := s.replay(); err != nil {
		return nil, err
	}
	return s, nil
}
