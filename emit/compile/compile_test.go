package compile

import (
	"errors"
	"sort"
	"testing"
)

func sortedNames[T any](m map[string]T) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// modes are the compilations every differential test runs.
var modes = []struct {
	name string
	opts Options
}{
	{"optimised", Options{}},
	{"unoptimised", Options{Unoptimized: true}},
	{"optimised, deeper", Options{DeeperBy: 3}},
}

// TestCompileMatchesEvaluate runs the optimised and the unoptimised program
// on the boundary inputs of every rule: each must agree with Evaluate, and
// so with each other.
func TestCompileMatchesEvaluate(t *testing.T) {
	ps := testProfiles()
	for _, name := range sortedNames(ps) {
		p := ps[name]
		for _, m := range modes {
			t.Run(name+"/"+m.name, func(t *testing.T) {
				prog, err := Compile(p, m.opts)
				if err != nil {
					t.Fatalf("Compile: %v", err)
				}
				calls := boundaryCalls(p)
				checkAgainstEvaluate(t, p, prog, calls)
				t.Logf("%d instructions, %d inputs", prog.Len(), len(calls))
			})
		}
	}
}

// TestOptimisedAgreesWithUnoptimised compares the two programs directly,
// input by input, and checks the optimised one is never longer.
func TestOptimisedAgreesWithUnoptimised(t *testing.T) {
	ps := testProfiles()
	for _, name := range sortedNames(ps) {
		p := ps[name]
		t.Run(name, func(t *testing.T) {
			opt, err := Compile(p, Options{})
			if err != nil {
				t.Fatal(err)
			}
			plain, err := Compile(p, Options{Unoptimized: true})
			if err != nil {
				t.Fatal(err)
			}
			ro, rp := newRunner(t, opt), newRunner(t, plain)
			for _, c := range boundaryCalls(p) {
				if a, b := ro.run(t, c), rp.run(t, c); a != b {
					t.Fatalf("%s: optimised says %s, unoptimised %s\n%s", c, a, b, opt.Disassemble())
				}
			}
			if opt.Len() > plain.Len() {
				t.Errorf("optimised program has %d instructions, unoptimised %d", opt.Len(), plain.Len())
			}
			t.Logf("%d -> %d instructions", plain.Len(), opt.Len())
		})
	}
}

func TestCompileDeterministic(t *testing.T) {
	ps := testProfiles()
	for _, name := range sortedNames(ps) {
		t.Run(name, func(t *testing.T) {
			a, err := Compile(ps[name], Options{})
			if err != nil {
				t.Fatal(err)
			}
			ba, err := a.Bytes()
			if err != nil {
				t.Fatal(err)
			}
			for range 3 {
				b, err := Compile(ps[name], Options{})
				if err != nil {
					t.Fatal(err)
				}
				bb, _ := b.Bytes()
				if string(ba) != string(bb) || a.Disassemble() != b.Disassemble() {
					t.Fatal("two compilations differ")
				}
			}
			if len(ba) != 8*a.Len() {
				t.Errorf("Bytes: %d bytes for %d instructions", len(ba), a.Len())
			}
		})
	}
}

func TestCompileRefuses(t *testing.T) {
	base := func() *profilesT { return testProfiles()["basic"] }
	tests := []struct {
		name   string
		mutate func(p *profilesT)
	}{
		{"unknown arch", func(p *profilesT) { p.Architectures = append(p.Architectures, "mips") }},
		{"OCI arch name", func(p *profilesT) { p.Architectures = names("SCMP_ARCH_X86_64") }},
		{"errno too big", func(p *profilesT) { p.DefaultAction = profilesErrno(5000) }},
		{"arg index", func(p *profilesT) { p.Syscalls[1].Args[0].Index = 6 }},
		{"matcher op", func(p *profilesT) { p.Syscalls[1].Args[0].Match.Op = 0 }},
		{"rule action", func(p *profilesT) { p.Syscalls[1].Action.Action = 99 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := base()
			tt.mutate(p)
			prog, err := Compile(p, Options{})
			if err == nil {
				t.Fatalf("Compile accepted it:\n%s", prog.Disassemble())
			}
			if errors.Is(err, ErrTooLarge) {
				t.Fatalf("error %v is not about size", err)
			}
			t.Log(err)
		})
	}
}
