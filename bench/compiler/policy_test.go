package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/profile-dev/profile/emit/compile"
	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/internal/testutil"
	"github.com/profile-dev/profile/profiles"
)

func TestParsePolicy(t *testing.T) {
	src := `# comment
default errno 1
allow read
allow ioctl a1 in {0x5401, 0x540f}   # two rules
errno 38 clone3
allow mmap a2 & 0x4 == 0 && a0 >= 4096
allow socket a0 in {1,2} && a1 == 010
allow chown32
priority read 255
`
	p, err := ParsePolicy(strings.NewReader(src), systab.X86_64)
	if err != nil {
		t.Fatal(err)
	}
	if p.Default != (Action{Kind: "errno", N: 1}) || p.Priority["read"] != 255 {
		t.Fatalf("default %v, priority %v", p.Default, p.Priority)
	}
	if len(p.Skipped) != 1 || p.Skipped[0] != "chown32" {
		t.Errorf("skipped %v, want chown32 (no such x86-64 syscall)", p.Skipped)
	}
	var got []string
	for _, r := range p.Rules {
		s := r.Action.Kind + " " + r.Syscall
		for _, c := range r.Conds {
			s += " " + strings.TrimSpace(strings.Join([]string{"a" + string(rune('0'+c.Arg)), c.Op, hex(c.Mask), hex(c.Value)}, " "))
		}
		got = append(got, s)
	}
	want := []string{
		"allow read",
		"allow ioctl a1 == 0x0 0x5401",
		"allow ioctl a1 == 0x0 0x540f",
		"errno clone3",
		"allow mmap a2 &== 0x4 0x0 a0 >= 0x0 0x1000",
		"allow socket a0 == 0x0 0x1 a1 == 0x0 0x8",
		"allow socket a0 == 0x0 0x2 a1 == 0x0 0x8",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rules:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The profile keeps the meaning: "in" as one set, the rest as rules.
	prof, err := p.Profile(systab.X86_64, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	nr := func(n string) uint32 { v, _ := systab.X86_64.Nr(n); return v }
	for _, c := range []struct {
		name string
		args [6]uint64
		want profiles.Verdict
	}{
		{"read", [6]uint64{}, profiles.Allow},
		{"ioctl", [6]uint64{0, 0x540f}, profiles.Allow},
		{"ioctl", [6]uint64{0, 0x5410}, profiles.Errno(1)},
		{"clone3", [6]uint64{}, profiles.Errno(38)},
		{"mmap", [6]uint64{4096, 0, 3}, profiles.Allow},
		{"mmap", [6]uint64{4096, 0, 7}, profiles.Errno(1)},
		{"mmap", [6]uint64{4095, 0, 3}, profiles.Errno(1)},
		{"socket", [6]uint64{2, 8}, profiles.Allow},
		{"socket", [6]uint64{2, 9}, profiles.Errno(1)},
		{"write", [6]uint64{}, profiles.Errno(1)},
	} {
		if got := profiles.Evaluate(prof, systab.X86_64.Audit, nr(c.name), c.args); got != c.want {
			t.Errorf("%s%#x: %s, want %s", c.name, c.args[:3], got, c.want)
		}
	}
}

func hex(v uint64) string { return fmt.Sprintf("%#x", v) }

func TestParsePolicyErrors(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{"frob read", "line 1: action \"frob\""},
		{"allow", "line 1: allow: no syscall"},
		{"allow read a9 == 1", "line 1: read: condition"},
		{"allow read a1 ~ 1", "operator"},
		{"allow read a1 in 1,2", "in {"},
		{"errno x read", "line 1: errno x"},
		{"allow read a1 == 0x", "value"},
	} {
		_, err := ParsePolicy(strings.NewReader(tt.src), systab.X86_64)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: error %v, want it to contain %q", tt.src, err, tt.want)
		}
	}
}

// TestBenchData compiles the benchmark policies, when the data is there,
// and checks the programs: each agrees with Evaluate on every workload row
// (Measure checks), the optimised one is no worse than the unoptimised one
// on length and means and keeps its worst path within the depth bound, and
// every syscall the policy allows outright is cacheable.
func TestBenchData(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "data", "bench")
	if _, err := os.Stat(filepath.Join(dir, "workload-trace.tsv")); err != nil {
		testutil.Skip(t, "no benchmark data beside the repository: "+err.Error())
	}
	f, err := os.Open(filepath.Join(dir, "workload-trace.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := ParseWorkload(f, systab.X86_64)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"A", "B", "C"} {
		t.Run(name, func(t *testing.T) {
			pf, err := os.Open(filepath.Join(dir, name+".policy"))
			if err != nil {
				t.Fatal(err)
			}
			pol, err := ParsePolicy(pf, systab.X86_64)
			pf.Close()
			if err != nil {
				t.Fatal(err)
			}
			prof, err := pol.Profile(systab.X86_64, Counts(rows), 38)
			if err != nil {
				t.Fatal(err)
			}
			verdict := func(r Row) uint32 {
				k, _ := compile.RetValue(profiles.Evaluate(prof, systab.X86_64.Audit, r.Nr, r.Args))
				return k
			}
			var figs []Figures
			for _, opts := range []compile.Options{{}, {Unoptimized: true}} {
				prog, err := compile.Compile(prof, opts)
				if err != nil {
					t.Fatal(err)
				}
				raw, _ := prog.Raw()
				fg, err := Measure(raw, systab.X86_64.Audit, rows, verdict)
				if err != nil {
					t.Fatal(err)
				}
				figs = append(figs, fg)
			}
			o, u := figs[0], figs[1]
			// The optimised tree may be deeper than the balanced one, up to
			// its bound: arch load and test, nr load, as many levels as a
			// balanced search over x86-64's 472 numbers (9) and the RET.
			const bound = 3 + 9 + 1
			if o.Length > u.Length || o.Mean > u.Mean || o.MeanCached > u.MeanCached || o.Worst > max(u.Worst, bound) {
				t.Errorf("optimised %+v, unoptimised %+v", o, u)
			}
			allowed := map[uint32]bool{}
			for _, r := range pol.Rules {
				if r.Action.Kind == "allow" && len(r.Conds) == 0 {
					allowed[r.Nr] = true
				}
			}
			if o.Cacheable < len(allowed) {
				t.Errorf("%d syscalls cacheable, the policy allows %d outright", o.Cacheable, len(allowed))
			}
			t.Logf("optimised %+v", o)
		})
	}
}
