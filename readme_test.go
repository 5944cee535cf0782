package derivmath_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"
)

// TestREADMEExample compiles and runs the README's Go program (the XBTUSD
// liquidation price) as a reader would copy it, and checks that it prints
// what its comment says, and that this is the price worked out here by
// hand: BitMEX, long N = 10,000 at EP = 50,000, 25x, MMR 0.5%, cost N/EP =
// 0.2 XBT: the value at the liquidation price is cost + cost/25 - 0.5% of
// cost = 0.207 XBT, so P = N/0.207 = EP/1.035 = 48,309.18, rounded up to the
// tick 0.5, toward the entry.
func TestREADMEExample(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	var program string
	for _, block := range regexp.MustCompile("(?s)```go\n(.*?)```").FindAllStringSubmatch(string(readme), -1) {
		if strings.HasPrefix(block[1], "package main\n") {
			program = block[1]
			break
		}
	}
	if program == "" {
		t.Fatal("README.md has no Go program (a ```go block starting with package main)")
	}
	claim := regexp.MustCompile(`// (liquidation at \S+)\n`).FindStringSubmatch(program)
	if claim == nil {
		t.Fatal("the README's program does not say what it prints (// liquidation at ...)")
	}

	ctx := apd.BaseContext.WithPrecision(50)
	var value, p apd.Decimal
	d := func(s string) *apd.Decimal { x, _, _ := apd.NewFromString(s); return x }
	cost := d("0.2")
	ed := apd.MakeErrDecimal(ctx)
	ed.Add(&value, cost, ed.Quo(new(apd.Decimal), cost, d("25")))
	ed.Sub(&value, &value, ed.Mul(new(apd.Decimal), d("0.005"), cost))
	ed.Quo(&p, d("10000"), &value)
	ed.Quo(&p, &p, d("0.5"))
	ed.Ceil(&p, &p)
	ed.Mul(&p, &p, d("0.5"))
	if err := ed.Err(); err != nil {
		t.Fatal(err)
	}
	want := "liquidation at " + p.Text('f')
	if claim[1] != want {
		t.Errorf("the README says %q, by hand %q", claim[1], want)
	}

	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command, to run the README's program: %v", err)
	}
	file := filepath.Join(t.TempDir(), "main.go")
	if err := os.WriteFile(file, []byte(program), 0o644); err != nil {
		t.Fatal(err)
	}
	// Run from the module's root, so that the program's imports resolve
	// to this module and its go.mod's versions.
	out, err := exec.Command(goCmd, "run", file).CombinedOutput()
	if err != nil {
		t.Fatalf("go run the README's program: %v\n%s", err, out)
	}
	if got := strings.TrimSpace(string(out)); got != want {
		t.Errorf("the README's program prints %q, want %q", got, want)
	}
}
