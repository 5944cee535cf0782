package main

import (
	"strings"
	"testing"
)

// benchstat -col /impl -format csv output for three benchmarks, n=3.
const input = `goos: linux
goarch: amd64
pkg: github.com/derivmath/derivmath/bench
cpu: AMD EPYC
,derivmath,,float64,,,,shopspring,,,,baseline,,,
,sec/op,CI,sec/op,CI,vs base,P,sec/op,CI,vs base,P,sec/op,CI,vs base,P
ValueLinear-2,1.703e-07,∞,2.093e-09,∞,~,p=0.100 n=3,5.115e-07,∞,~,p=0.100 n=3
Premium-2,6.063e-07,1%,4.843e-09,∞,~,p=0.100 n=3,1.494e-06,∞,~,p=0.100 n=3
OrderBookMixed-2,6.207e-07,∞,,,,,,,,,2.6650000000000003e-06,∞,~,p=0.200 n=3
geomean,4.0018547403308133e-07,,3.183771191527428e-09,,-99.01%,,8.741744677122514e-07,,+172.05%,,2.665000000000001e-06,,+329.35%,

,derivmath,,float64,,,,shopspring,,,,baseline,,,
,allocs/op,CI,allocs/op,CI,vs base,P,allocs/op,CI,vs base,P,allocs/op,CI,vs base,P
ValueLinear-2,0,∞,0,∞,~,p=1.000 n=3,4,∞,~,p=0.100 n=3
Premium-2,0,∞,0,∞,~,p=1.000 n=3,13,∞,~,p=0.100 n=3
OrderBookMixed-2,0,∞,,,,,,,,,3,∞,~,p=0.100 n=3
geomean,,,,,+0.00%,,7.211102550927977,,?,,2.9999999999999996,,?,
`

func TestRun(t *testing.T) {
	var out strings.Builder
	if err := run(strings.NewReader(input), &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| ValueLinear | 170 | 2.09 | 512 | 0 / 0 / 4 | 81.4x | 3.00x |",
		"| Premium | 606 ±1% | 4.84 | 1494 | 0 / 0 / 13 | 125x | 2.46x |",
		"| OrderBookMixed | 621 | 1.6M | 0 | 2665 | 3 | 4.29x |",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if err := run(strings.NewReader("goos: linux\n"), &out); err == nil {
		t.Error("no tables: got nil, want an error")
	}
}
