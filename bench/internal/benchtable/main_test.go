package main

import (
	"strings"
	"testing"
)

// benchstat -col /impl -format csv output for two kernels, two account
// checks and the order book, n=3.
const input = `goos: linux
goarch: amd64
pkg: github.com/derivmath/derivmath/bench
cpu: AMD EPYC
,derivmath,,float64,,,,shopspring,,,,udecimal,,,,govalues,,,,baseline,,,,oneshot,,,
,sec/op,CI,sec/op,CI,vs base,P,sec/op,CI,vs base,P,sec/op,CI,vs base,P,sec/op,CI,vs base,P,sec/op,CI,vs base,P,sec/op,CI,vs base,P
LiquidationBinance-2,1.1e-08,∞,2.2e-09,∞,~,p=0.100 n=3,6.7e-07,∞,~,p=0.100 n=3,7.5e-08,∞,~,p=0.100 n=3,7.2e-08,∞,~,p=0.100 n=3,,,,,1.44e-07,∞,~,p=0.100 n=3
ValueLinear-2,1.703e-07,∞,2.093e-09,∞,~,p=0.100 n=3,5.115e-07,∞,~,p=0.100 n=3,6.020000000000001e-08,∞,~,p=0.100 n=3,4.01e-08,∞,~,p=0.100 n=3
Premium-2,6.063000000000001e-08,∞,4.843e-09,∞,~,p=0.100 n=3,1.494e-06,∞,~,p=0.100 n=3,8.23e-08,∞,~,p=0.100 n=3,3.87e-07,∞,~,p=0.100 n=3
Liquidatable-2,9.5e-09,∞,2.5e-09,∞,~,p=0.100 n=3
CrossReprice10-2,4.800000000000001e-07,∞,1.16e-07,∞,~,p=0.100 n=3
OrderBookMixed-2,6.207e-07,∞,,,,,,,,,,,,,,,,,2.6650000000000003e-06,∞,~,p=0.100 n=3
geomean,1.2392238432149178e-07,,7.363264881913906e-09,,-91.11%,,8.741744677122514e-07,,+760.29%,,7.038792510082945e-08,,-30.73%,,1.2457407434936066e-07,,+22.60%,,2.665000000000001e-06,,+329.35%,

,derivmath,,float64,,,,shopspring,,,,udecimal,,,,govalues,,,,baseline,,,
,B/op,CI,B/op,CI,vs base,P,B/op,CI,vs base,P,B/op,CI,vs base,P,B/op,CI,vs base,P,B/op,CI,vs base,P
ValueLinear-2,0,∞,0,∞,~,p=1.000 n=3,160,∞,~,p=0.100 n=3,0,∞,~,p=1.000 n=3,0,∞,~,p=1.000 n=3
Premium-2,0,∞,0,∞,~,p=1.000 n=3,424,∞,~,p=0.100 n=3,0,∞,~,p=1.000 n=3,0,∞,~,p=1.000 n=3
Liquidatable-2,0,∞,0,∞,~,p=1.000 n=3
CrossReprice10-2,0,∞,0,∞,~,p=1.000 n=3
OrderBookMixed-2,0,∞,,,,,,,,,,,,,,,,,115,∞,~,p=0.100 n=3
geomean,,,,,+0.00%,,260.4611295375951,,?,,,,+0.00%,,,,+0.00%,,115.00000000000001,,?,

,derivmath,,float64,,,,shopspring,,,,udecimal,,,,govalues,,,,baseline,,,,oneshot,,,
,allocs/op,CI,allocs/op,CI,vs base,P,allocs/op,CI,vs base,P,allocs/op,CI,vs base,P,allocs/op,CI,vs base,P,allocs/op,CI,vs base,P,allocs/op,CI,vs base,P
LiquidationBinance-2,0,∞,0,∞,~,p=1.000 n=3,14,∞,~,p=0.100 n=3,0,∞,~,p=1.000 n=3,0,∞,~,p=1.000 n=3,,,,,0,∞,~,p=1.000 n=3
ValueLinear-2,0,∞,0,∞,~,p=1.000 n=3,4,∞,~,p=0.100 n=3,0,∞,~,p=1.000 n=3,0,∞,~,p=1.000 n=3
Premium-2,0,∞,0,∞,~,p=1.000 n=3,13,∞,~,p=0.100 n=3,0,∞,~,p=1.000 n=3,0,∞,~,p=1.000 n=3
Liquidatable-2,0,∞,0,∞,~,p=1.000 n=3
CrossReprice10-2,0,∞,0,∞,~,p=1.000 n=3
OrderBookMixed-2,0,∞,,,,,,,,,,,,,,,,,3,∞,~,p=0.100 n=3
geomean,,,,,+0.00%,,7.211102550927977,,?,,,,+0.00%,,,,+0.00%,,2.9999999999999996,,?,

,derivmath,,float64,,,
,sec/position,CI,sec/position,CI,vs base,P
CrossReprice10-2,4.8000000000000006e-08,∞,1.16e-08,∞,~,p=0.100 n=3
geomean,4.799999999999994e-08,,1.1600000000000003e-08,,-75.83%,
`

func TestRun(t *testing.T) {
	var out strings.Builder
	if err := run(strings.NewReader(input), &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| ValueLinear | 170 | 2.09 | 512 | 60.2 | 40.1 | 0 / 0 / 4 / 0 / 0 | 4.25x (govalues) | 81.4x |",
		"| Premium | 60.6 | 4.84 | 1494 | 82.3 | 387 | 0 / 0 / 13 / 0 / 0 | 0.74x (udecimal) | 12.5x |",
		"slower than the fastest of udecimal and govalues: 2 of 3 (target: 0)",
		"each kernel measured one-shot too counted by its one-shot row",
		"| LiquidationBinance | 11.0 | 144 | 0 / 0 | 13.1x | 2.00x (govalues) | 65.5x |",
		"| Liquidatable | 9.50 | 2.50 | 0 / 0 | 3.80x | - | - | <= 4x float64, 0 allocs: met |",
		"| CrossReprice10 | 480 | 116 | 0 / 0 | 4.14x | 48.0 | 11.6 | <= 50 ns/position, 0 allocs: met |",
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
