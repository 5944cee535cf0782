package derivmath_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
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

// modulePackage is one package of the module as go list reports it.
type modulePackage struct {
	name    string   // the package clause's name
	imports []string // the module's packages it imports, by README name
	dir     string
}

// readmeName is the name the README gives an import path of the module:
// "derivmath" for the root, the path below the root for the rest.
func readmeName(path string) (string, bool) {
	const module = "github.com/derivmath/derivmath"
	if path == module {
		return "derivmath", true
	}
	rel, ok := strings.CutPrefix(path, module+"/")
	return rel, ok
}

// modulePackages lists the module's packages (bench/ is a module of its
// own and is not among them) by their README names.
func modulePackages(t *testing.T) map[string]modulePackage {
	t.Helper()
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command, to list the packages: %v", err)
	}
	out, err := exec.Command(goCmd, "list", "-f", "{{.ImportPath}} {{.Name}} {{.Dir}} {{join .Imports \" \"}}", "./...").Output()
	if err != nil {
		t.Fatalf("go list ./...: %v", err)
	}
	pkgs := map[string]modulePackage{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		name, ok := readmeName(f[0])
		if !ok || len(f) < 3 {
			t.Fatalf("go list: unexpected line %q", line)
		}
		p := modulePackage{name: f[1], dir: f[2]}
		for _, imp := range f[3:] {
			if n, ok := readmeName(imp); ok {
				p.imports = append(p.imports, n)
			}
		}
		pkgs[name] = p
	}
	return pkgs
}

// readmeSection returns the README's section under the heading "## "+title,
// up to the next such heading.
func readmeSection(t *testing.T, title string) string {
	t.Helper()
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, s, ok := strings.Cut(string(readme), "\n## "+title+"\n")
	if !ok {
		t.Fatalf("README.md has no section %q", title)
	}
	s, _, _ = strings.Cut(s, "\n## ")
	return s
}

// TestREADMEPackages: the README's Packages section names every package of
// the module in backquotes (an example program under examples/ by its
// directory's name, as the examples row does).
func TestREADMEPackages(t *testing.T) {
	section := readmeSection(t, "Packages")
	pkgs := modulePackages(t)
	names := slices.Sorted(maps.Keys(pkgs))
	for _, name := range names {
		p := pkgs[name]
		if strings.Contains(section, "`"+name+"`") {
			continue
		}
		if ex, ok := strings.CutPrefix(name, "examples/"); ok && p.name == "main" && strings.Contains(section, "`"+ex+"`") {
			continue
		}
		t.Errorf("the README's Packages section does not name %s", name)
	}
}

// TestREADMEImports: each arrow of the README's "Imports run one way" is an
// import (a <- b: b imports a; a -> b: a imports b), and the package it says
// stands alone imports no other package of the module.
func TestREADMEImports(t *testing.T) {
	section := readmeSection(t, "Packages")
	_, s, ok := strings.Cut(section, "Imports run one way: ")
	if !ok {
		t.Fatal("the README's Packages section no longer says how imports run")
	}
	s, _, _ = strings.Cut(s, ".")
	pkgs := modulePackages(t)
	imports := func(p, q string) bool {
		pp, ok := pkgs[p]
		if !ok {
			t.Errorf("the README's imports name %s, not a package of the module", p)
			return false
		}
		for _, imp := range pp.imports {
			if imp == q {
				return true
			}
		}
		return false
	}
	arrows := 0
	for _, m := range regexp.MustCompile("`([^`]*)`").FindAllStringSubmatch(s, -1) {
		chain := strings.Fields(m[1])
		if len(chain) == 1 {
			if !strings.Contains(s, m[0]+" stands alone") {
				continue
			}
			if imp := pkgs[chain[0]].imports; len(imp) != 0 {
				t.Errorf("the README says %s stands alone; it imports %v", chain[0], imp)
			}
			continue
		}
		for i := 1; i+1 < len(chain); i += 2 {
			a, arrow, b := chain[i-1], chain[i], chain[i+1]
			arrows++
			switch arrow {
			case "<-":
				if !imports(b, a) {
					t.Errorf("the README says %s <- %s; %s does not import %s", a, b, b, a)
				}
			case "->":
				if !imports(a, b) {
					t.Errorf("the README says %s -> %s; %s does not import %s", a, b, a, b)
				}
			default:
				t.Errorf("the README's import chain %q: %q is no arrow", m[1], arrow)
			}
		}
	}
	if arrows == 0 {
		t.Error("the README's imports name no arrow")
	}
}

// hasTest reports whether a _test.go file in dir declares func name.
func hasTest(t *testing.T, dir, name string) bool {
	t.Helper()
	return testsMatch(t, dir, regexp.MustCompile(`(?m)^func `+name+`\(`))
}

// testsMatch reports whether re matches a _test.go file in dir.
func testsMatch(t *testing.T, dir string, re *regexp.Regexp) bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if re.Match(src) {
			return true
		}
	}
	return false
}

// TestREADMEChecks: the tests that the README's Guarantees name are where
// it says: TestErrorsDocumented in every package a caller can import (not
// internal, not a program), TestShare in each package it lists.
func TestREADMEChecks(t *testing.T) {
	section := strings.Join(strings.Fields(readmeSection(t, "Guarantees, and how they are checked")), " ")
	pkgs := modulePackages(t)
	if !strings.Contains(section, "(`TestErrorsDocumented` in every package a caller can import)") {
		t.Error("the README's Guarantees no longer say where TestErrorsDocumented is")
	}
	importable := 0
	for _, name := range slices.Sorted(maps.Keys(pkgs)) {
		p := pkgs[name]
		if p.name == "main" || name == "internal" || strings.HasPrefix(name, "internal/") || strings.Contains(name, "/internal/") {
			continue
		}
		importable++
		if !hasTest(t, p.dir, "TestErrorsDocumented") {
			t.Errorf("%s, a package a caller can import, has no TestErrorsDocumented", name)
		}
	}
	if importable == 0 {
		t.Error("no package a caller can import")
	}

	listed := readmeListed(t, section, "TestShare", pkgs)
	for _, name := range slices.Sorted(maps.Keys(pkgs)) {
		switch has := hasTest(t, pkgs[name].dir, "TestShare"); {
		case has && !listed[name]:
			t.Errorf("%s has a TestShare the README does not list", name)
		case !has && listed[name]:
			t.Errorf("the README lists %s for TestShare; it has none", name)
		}
	}
}

// readmeListed returns the packages the README's Guarantees section
// (section) lists as "the `test` of `a`, `b` and `c`", and fails t for a
// name that is no package of the module.
func readmeListed(t *testing.T, section, test string, pkgs map[string]modulePackage) map[string]bool {
	t.Helper()
	m := regexp.MustCompile("the `" + test + "` of ((?:`[^`]+`(?:, | and )?)+)").FindStringSubmatch(section)
	if m == nil {
		t.Fatalf("the README's Guarantees no longer list the packages with a %s", test)
	}
	listed := map[string]bool{}
	for _, q := range regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(m[1], -1) {
		listed[q[1]] = true
		if _, ok := pkgs[q[1]]; !ok {
			t.Errorf("the README lists %s for %s, not a package of the module", q[1], test)
		}
	}
	return listed
}

// TestREADMEVectors: the README's "Published examples pass" names, in
// backquotes, exactly the rows of engine/testdata/vectors.json that the
// engine's vector test skips (fn "skip"), the one file whose rows may be
// skipped.
func TestREADMEVectors(t *testing.T) {
	section := readmeSection(t, "Guarantees, and how they are checked")
	_, bullet, ok := strings.Cut(section, "**Published examples pass.**")
	if !ok {
		t.Fatal("the README's Guarantees no longer say that the published examples pass")
	}
	bullet, _, _ = strings.Cut(bullet, "\n- **")
	data, err := os.ReadFile(filepath.Join("engine", "testdata", "vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Vectors []struct {
			ID string `json:"id"`
			Fn string `json:"fn"`
		} `json:"vectors"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	var skipped []string
	for _, r := range v.Vectors {
		if r.Fn == "skip" {
			skipped = append(skipped, r.ID)
		}
	}
	var named []string
	for _, m := range regexp.MustCompile("`([A-Z][0-9]+)`").FindAllStringSubmatch(bullet, -1) {
		named = append(named, m[1])
	}
	slices.Sort(skipped)
	slices.Sort(named)
	if !slices.Equal(skipped, named) {
		t.Errorf("the README names the skipped engine rows %v; engine/testdata/vectors.json skips %v", named, skipped)
	}
}

// TestREADMEFuzz: the packages whose FuzzDocumented the README's
// Guarantees name are exactly those with a FuzzDocumented target, each a
// call of dectest.FuzzDocumented, and among them every package whose
// TestErrorsDocumented is a dectest.ErrorsDocumented table; the engine's
// (formulaDocs) names every exported function of engine/formula.go.
func TestREADMEFuzz(t *testing.T) {
	section := strings.Join(strings.Fields(readmeSection(t, "Guarantees, and how they are checked")), " ")
	pkgs := modulePackages(t)
	listed := readmeListed(t, section, "FuzzDocumented", pkgs)
	calls := regexp.MustCompile(`(?m)^func FuzzDocumented\(f \*testing\.F\) \{(?:\n[^}].*)*\n\tdectest\.FuzzDocumented\(f, `)
	table := regexp.MustCompile(`dectest\.ErrorsDocumented\(t, `)
	for _, name := range slices.Sorted(maps.Keys(pkgs)) {
		dir := pkgs[name].dir
		has := hasTest(t, dir, "FuzzDocumented")
		switch {
		case has && !listed[name]:
			t.Errorf("%s has a FuzzDocumented the README does not list", name)
		case !has && listed[name]:
			t.Errorf("the README lists %s for FuzzDocumented; it has none", name)
		case has && !testsMatch(t, dir, calls):
			t.Errorf("%s: FuzzDocumented does not end in a call of dectest.FuzzDocumented", name)
		case !has && testsMatch(t, dir, table):
			t.Errorf("%s has a dectest.ErrorsDocumented table and no FuzzDocumented", name)
		}
	}

	docs, err := os.ReadFile(filepath.Join("engine", "fuzz_documented_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	file, err := parser.ParseFile(token.NewFileSet(), filepath.Join("engine", "formula.go"), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	formulas := 0
	for _, d := range file.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Recv != nil || !fn.Name.IsExported() {
			continue
		}
		formulas++
		if !strings.Contains(string(docs), `doc("`+fn.Name.Name+`", `) {
			t.Errorf("engine.%s, a formula of engine/formula.go, is not in formulaDocs", fn.Name.Name)
		}
	}
	if formulas == 0 {
		t.Error("engine/formula.go has no exported function")
	}
}
