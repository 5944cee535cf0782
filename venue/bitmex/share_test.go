package bitmex_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/derivmath/derivmath/venue/bitmex"
)

// TestShare: the package documentation's promise that decoders keep no
// state, so that they may run concurrently, and that decoded rows are
// plain values, whose methods only read them. Goroutines assemble one
// account from the same payloads in one context, and call every method
// of the same decoded instruments, positions and margins, each into its
// own results; run it with -race.
func TestShare(t *testing.T) {
	ctx := derivmath.NewContext()
	var p bitmex.Payloads
	var err error
	if p.Instruments, err = os.ReadFile("testdata/instrument-2019.json"); err != nil {
		t.Fatal(err)
	}
	p.Positions = []byte(`[` + row3 + `]`)
	if p.Margins, err = os.ReadFile("testdata/margin-with-position.json"); err != nil {
		t.Fatal(err)
	}
	ins, err := bitmex.DecodeInstruments(p.Instruments)
	if err != nil {
		t.Fatal(err)
	}
	pos, _, err := bitmex.DecodePositions(p.Positions)
	if err != nil || len(pos) != 1 {
		t.Fatal(len(pos), err)
	}
	margins, err := bitmex.DecodeMargins(p.Margins)
	if err != nil {
		t.Fatal(err)
	}
	calls := []func() string{
		func() string {
			a, cs, err := bitmex.Assemble(ctx, &p, nil)
			var b strings.Builder
			fmt.Fprintln(&b, a != nil, err)
			for i := range cs {
				fmt.Fprintln(&b, cs[i].String())
			}
			return b.String()
		},
	}
	found := false
	for i := range ins {
		in := &ins[i]
		calls = append(calls,
			func() string {
				s, err := in.Spec()
				if err != nil {
					return err.Error()
				}
				return fmt.Sprint(in.Kind(), dectest.Fields(s))
			},
			func() string {
				s, err := in.Steps()
				if err != nil {
					return err.Error()
				}
				return dectest.Fields(s)
			},
		)
		if in.Symbol == pos[0].Symbol {
			found = true
			calls = append(calls, func() string {
				v, err := pos[0].Position(in)
				if err != nil {
					return err.Error()
				}
				return dectest.Fields(v)
			})
		}
	}
	if !found || len(margins) == 0 {
		t.Fatal("no instrument for the position, or no margin")
	}
	for i := range margins {
		calls = append(calls, func() string {
			var z apd.Decimal
			c, err := margins[i].Wallet(&z)
			return fmt.Sprint(&z, " ", c, " ", err)
		})
	}
	dectest.Share(t, 200, calls...)
}
