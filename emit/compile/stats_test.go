package compile

import (
	"testing"

	"golang.org/x/net/bpf"

	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/profiles"
)

// TestExecuteMatchesVM checks the counting interpreter against
// golang.org/x/net/bpf on every boundary input, its step count against the
// longest path, and ActionCacheAllows against the test's own emulation.
func TestExecuteMatchesVM(t *testing.T) {
	ps := testProfiles()
	for _, name := range sortedNames(ps) {
		p := ps[name]
		for _, m := range modes {
			t.Run(name+"/"+m.name, func(t *testing.T) {
				prog, err := Compile(p, m.opts)
				if err != nil {
					t.Fatal(err)
				}
				raw, err := prog.Raw()
				if err != nil {
					t.Fatal(err)
				}
				worst := WorstPath(raw)
				r := newRunner(t, prog)
				longest := 0
				for _, c := range boundaryCalls(p) {
					ret, steps, err := Execute(raw, c.audit, c.nr, c.args)
					if err != nil {
						t.Fatal(err)
					}
					v, _ := VerdictOf(ret)
					if want := r.run(t, c); v != want {
						t.Fatalf("%s: Execute says %s, the VM %s", c, v, want)
					}
					if steps > worst {
						t.Fatalf("%s: %d steps, above the worst path %d", c, steps, worst)
					}
					longest = max(longest, steps)
				}
				if longest < 1 || worst > prog.Len() {
					t.Fatalf("worst path %d, longest run %d, %d instructions", worst, longest, prog.Len())
				}
				for _, arch := range []*systab.Arch{systab.X86_64, systab.I386} {
					for nr := uint32(0); nr <= arch.MaxNr()+1; nr++ {
						if a, b := ActionCacheAllows(raw, arch.Audit, nr), constAllow(raw, arch.Audit, nr); a != b {
							t.Fatalf("%s %d: ActionCacheAllows %v, emulation %v", arch, nr, a, b)
						}
					}
				}
			})
		}
	}
}

func TestWorstPath(t *testing.T) {
	raw, err := bpf.Assemble([]bpf.Instruction{
		bpf.LoadAbsolute{Off: 0, Size: 4},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: 1, SkipTrue: 2},
		bpf.LoadAbsolute{Off: 4, Size: 4},
		bpf.Jump{Skip: 1},
		bpf.RetConstant{Val: RetAllow},
		bpf.RetConstant{Val: RetKillProcess},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := WorstPath(raw); got != 5 {
		t.Fatalf("WorstPath = %d, want 5", got)
	}
	if _, steps, _ := Execute(raw, 0, 1, [6]uint64{}); steps != 3 {
		t.Fatalf("Execute took %d steps, want 3", steps)
	}
}

func TestStats(t *testing.T) {
	p := testProfiles()["basic"].Clone()
	p.Counts = map[string]uint64{"read": 90, "openat": 10}
	prog, err := Compile(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := prog.Stats(p)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := prog.Raw()
	step := func(name string) float64 {
		nr, _ := systab.X86_64.Nr(name)
		_, n, _ := Execute(raw, systab.X86_64.Audit, nr, [6]uint64{})
		return float64(n)
	}
	wantMean := (90*step("read") + 10*step("openat")) / 100
	if !s.Weighted || s.Length != prog.Len() || s.Mean != wantMean || s.MeanCached != 10*step("openat")/100 {
		t.Fatalf("stats %+v, want mean %.2f", s, wantMean)
	}
	// read, write, close, exit_group, fstat and futex: the only syscalls
	// allowed with any arguments.
	if s.Cacheable != 6 {
		t.Errorf("cacheable %d, want 6", s.Cacheable)
	}
	if s.Worst != WorstPath(raw) || s.Worst < 5 {
		t.Errorf("worst %d", s.Worst)
	}
	// The hot syscall takes the shortest path the layout allows: arch,
	// number, one test, RET.
	if step("read") > 5 {
		t.Errorf("read takes %v instructions\n%s", step("read"), prog.Disassemble())
	}
	_ = profiles.Allow
}

// TestHoisting checks that counts change the tree where they should: the
// hottest syscall, close, sits between refused numbers and is decided by a
// jeq right after the number is loaded; the weighted mean is no worse than
// the tree planned without counts; and the program agrees with Evaluate.
func TestHoisting(t *testing.T) {
	plain := testProfiles()["basic"]
	p := plain.Clone()
	p.Counts = map[string]uint64{"close": 5000, "fstat": 3000, "read": 1}
	mean := func(q *profiles.Profile) (float64, *Program) {
		prog, err := Compile(q, Options{})
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := prog.Raw()
		sum, total := 0.0, 0.0
		for name, c := range p.Counts {
			nr, _ := systab.X86_64.Nr(name)
			_, n, _ := Execute(raw, systab.X86_64.Audit, nr, [6]uint64{})
			sum += float64(c) * float64(n)
			total += float64(c)
		}
		return sum / total, prog
	}
	withCounts, prog := mean(p)
	without, _ := mean(plain)
	raw, _ := prog.Raw()
	nr, _ := systab.X86_64.Nr("close")
	// ld arch, jeq arch, ld nr, jeq close, RET.
	if _, n, _ := Execute(raw, systab.X86_64.Audit, nr, [6]uint64{}); n != 5 {
		t.Errorf("close takes %d instructions, want 5\n%s", n, prog.Disassemble())
	}
	if withCounts > without {
		t.Errorf("weighted mean %.2f with counts, %.2f without", withCounts, without)
	}
	checkAgainstEvaluate(t, p, prog, boundaryCalls(p))
}
