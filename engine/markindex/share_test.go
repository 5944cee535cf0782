package markindex_test

import (
	"fmt"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/engine/markindex"
	"github.com/derivmath/derivmath/internal/dectest"
)

// TestShare: the package documentation's promise that an Index's reads
// only read it, so that goroutines may share an Index that none modifies.
// Goroutines tick, look up and key prices on one Index of each Order
// holding 200 entries, each into its own slices and decimals; run it with
// -race.
func TestShare(t *testing.T) {
	var calls []func() string
	for _, o := range []markindex.Order{markindex.Deepest, markindex.ByKey} {
		x, err := markindex.New(d("0.5"), o)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 200 {
			p := apd.New(int64(40000+100*i), 0)
			k, err := x.Below(p)
			if i%2 == 1 {
				k, err = x.Above(p)
			}
			if err != nil {
				t.Fatal(err)
			}
			x.Upsert(markindex.ID(i), k)
		}
		x.Upsert(1000, markindex.Now())
		for _, m := range []string{"39000", "45000.25", "50000", "59950.5"} {
			calls = append(calls, func() string {
				hits, err := x.Tick(d(m), nil)
				return fmt.Sprint(hits, err)
			})
		}
		calls = append(calls,
			func() string { return fmt.Sprint(x.TickUnits(100000, nil)) },
			func() string {
				var u apd.Decimal
				x.Unit(&u)
				k, ok := x.Key(7)
				k2, ok2 := x.Key(5000)
				return fmt.Sprint(&u, x.Len(), k, ok, k2, ok2)
			},
			func() string {
				lo, err := x.Below(d("45000.25"))
				hi, err2 := x.Above(d("45000.25"))
				return fmt.Sprint(lo, err, hi, err2, lo.Or(hi))
			},
		)
	}
	dectest.Share(t, 200, calls...)
}
