package emit

import (
	"bytes"
	"errors"
	"flag"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/internal/testutil"
	"github.com/profile-dev/profile/profiles"
)

var updateOCI = flag.Bool("update", false, "rewrite golden files")

// TestOCIGolden exports each testdata/oci/*.yaml (with the runtime its name
// says, for runc.yaml and crun.yaml) and compares with the .json beside it.
// Each golden file must also import back to a profile that agrees with the
// source on every boundary input.
func TestOCIGolden(t *testing.T) {
	inputs, err := filepath.Glob("testdata/oci/*.yaml")
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no inputs: %v", err)
	}
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".yaml")
		t.Run(name, func(t *testing.T) {
			p, err := profiles.Load(in)
			if err != nil {
				t.Fatal(err)
			}
			opts := OCIOptions{}
			if _, ok := runtimeSyscalls[name]; ok {
				opts.Runtime = name
			}
			var b bytes.Buffer
			if err := WriteOCI(&b, p, opts); err != nil {
				t.Fatal(err)
			}
			golden := strings.TrimSuffix(in, ".yaml") + ".json"
			want := testutil.Golden(t, golden, b.Bytes(), *updateOCI)
			back, err := profiles.ParseOCI(want, golden)
			if err != nil {
				t.Fatalf("golden file does not import: %v", err)
			}
			if opts.Runtime == "" {
				compareOnBoundaries(t, p, back, rand.New(rand.NewPCG(1, 2)))
			}
		})
	}
}

// TestOCIRuntime checks that a runtime's own syscalls are added, allowed
// with any arguments, and nothing else changes.
func TestOCIRuntime(t *testing.T) {
	p := &profiles.Profile{
		DefaultAction: profiles.Errno(1), ForeignArchAction: profiles.KillProcess,
		Architectures: []string{"x86_64"},
		Syscalls:      []profiles.Rule{{Names: []string{"read"}}},
	}
	for _, rt := range []string{"", "none", "runc", "crun"} {
		t.Run(rt, func(t *testing.T) {
			s, err := OCI(p, OCIOptions{Runtime: rt})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			for _, sc := range s.Syscalls {
				if len(sc.Args) == 0 && sc.Action == specs.ActAllow {
					for _, n := range sc.Names {
						got[n] = true
					}
				}
			}
			want := append([]string{"read"}, runtimeSyscalls[rt]...)
			if len(got) != len(want) {
				t.Errorf("allowed %v, want %v", got, want)
			}
			for _, n := range want {
				if !got[n] {
					t.Errorf("%s not allowed", n)
				}
			}
		})
	}
	if _, err := OCI(p, OCIOptions{Runtime: "youki"}); err == nil {
		t.Error("unknown runtime accepted")
	}
}

// TestOCIMaskedOrder: OCI's MASKED_EQ takes the mask in value and the datum
// in valueTwo. With mask 0xf0 and datum 0x30, 0x70 must be refused; with the
// two swapped it would pass (0x70 & 0x30 == 0x30).
func TestOCIMaskedOrder(t *testing.T) {
	p := &profiles.Profile{
		DefaultAction: profiles.Errno(1), ForeignArchAction: profiles.KillProcess,
		Architectures: []string{"x86_64"},
		Syscalls: []profiles.Rule{{Names: []string{"ioctl"}, Args: []profiles.ArgCond{
			{Index: 1, Match: profiles.Matcher{Op: profiles.OpMasked, Mask: 0xf0, Value: 0x30}},
		}}},
	}
	s, err := OCI(p, OCIOptions{})
	if err != nil {
		t.Fatal(err)
	}
	a := s.Syscalls[0].Args[0]
	if a.Op != specs.OpMaskedEqual || a.Value != 0xf0 || a.ValueTwo != 0x30 {
		t.Fatalf("got %+v, want MASKED_EQ value=0xf0 valueTwo=0x30", a)
	}
	back, err := profiles.FromOCI(s, "")
	if err != nil {
		t.Fatal(err)
	}
	nr, _ := systab.X86_64.Nr("ioctl")
	for _, tc := range []struct {
		cmd  uint64
		want profiles.Verdict
	}{{0x30, profiles.Allow}, {0x3f, profiles.Allow}, {0x70, profiles.Errno(1)}, {0xf0, profiles.Errno(1)}} {
		got := profiles.Evaluate(back, systab.AuditArchX86_64, nr, [6]uint64{0, tc.cmd})
		if got != tc.want {
			t.Errorf("cmd %#x: got %v, want %v", tc.cmd, got, tc.want)
		}
	}
	// The swapped reading would allow 0x70: make sure the test can tell.
	swapped := profiles.Matcher{Op: profiles.OpMasked, Mask: 0x30, Value: 0xf0}
	if !swapped.Match(0x70, true) {
		t.Fatal("test does not distinguish the two orders")
	}
}

func TestOCINotRepresentable(t *testing.T) {
	base := func() *profiles.Profile {
		return &profiles.Profile{
			DefaultAction: profiles.Errno(1), ForeignArchAction: profiles.KillProcess,
			Architectures: []string{"x86_64", "i386"},
		}
	}
	tests := []struct {
		name  string
		rules []profiles.Rule
	}{
		{"rule limited to an arch", []profiles.Rule{{Names: []string{"read"}, Arches: []string{"i386"}}}},
		{"conflicting actions", []profiles.Rule{{Names: []string{"read"}}, {Names: []string{"read"}, Action: profiles.KillProcess,
			Args: []profiles.ArgCond{{Index: 0, Match: profiles.Matcher{Op: profiles.OpEq, Value: 3}}}}}},
		{"default action overrides allow", []profiles.Rule{{Names: []string{"read"}}, {Names: []string{"read"}, Action: profiles.Errno(1),
			Args: []profiles.ArgCond{{Index: 0, Match: profiles.Matcher{Op: profiles.OpEq, Value: 3}}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := base()
			p.Syscalls = tt.rules
			if _, err := OCI(p, OCIOptions{}); !errors.Is(err, ErrNotRepresentable) {
				t.Errorf("got %v, want ErrNotRepresentable", err)
			}
		})
	}
	p := base()
	p.Syscalls = []profiles.Rule{{Names: []string{"socketcall"}, Arches: []string{"i386"}}}
	if _, err := OCI(p, OCIOptions{}); err != nil {
		t.Errorf("a syscall only i386 has may be limited to i386: %v", err)
	}
}

// TestMatcherCondsExact checks each matcher's OCI conditions against the
// matcher itself, reading the conditions as libseccomp does (64-bit
// compares), on values around every constant.
func TestMatcherCondsExact(t *testing.T) {
	ms := []profiles.Matcher{
		{Op: profiles.OpEq, Value: 0xffffff9c},
		{Op: profiles.OpIn, Values: []uint64{0, 5, 0xffffffff}},
		{Op: profiles.OpNe, Value: 7},
		{Op: profiles.OpNe, Value: 0xffffffff},
		{Op: profiles.OpBits, Mask: 0x80003},
		{Op: profiles.OpMasked, Mask: 0xf0, Value: 0x30},
		{Op: profiles.OpRange, Lo: 3, Hi: 4096},
		{Op: profiles.OpRange, Lo: 0, Hi: 4096},
		{Op: profiles.OpRange, Lo: 17, Hi: 0xffffffff},
		{Op: profiles.OpRange, Lo: 0x7fffffff, Hi: 0x80000000},
	}
	wideOnly := []profiles.Matcher{
		{Op: profiles.OpRange, Lo: 0xfff, Hi: 1 << 40},
		{Op: profiles.OpRange, Lo: 1, Hi: ^uint64(0) - 1},
		{Op: profiles.OpNe, Value: 1 << 33},
	}
	// A rule may hold wide bounds for a syscall that reads the argument on
	// 32 bits; after truncation the range may be empty.
	ms = append(ms, profiles.Matcher{Op: profiles.OpRange, Lo: 2, Hi: 1 << 32})
	for _, wide := range []bool{false, true} {
		list := ms
		if wide {
			list = append(list, wideOnly...)
		}
		for _, m := range list {
			conds, always := matcherConds(0, m, wide)
			for _, v := range interesting(m) {
				got := always
				for _, c := range conds {
					got = got || libseccompHolds(c, v)
				}
				if want := m.Match(v, wide); got != want {
					t.Errorf("wide=%v %v on %#x: OCI %v, Evaluate %v (conds %+v)", wide, m, v, got, want, conds)
				}
			}
		}
	}
}

// libseccompHolds is libseccomp's meaning of one condition on a 64-bit
// register.
func libseccompHolds(c specs.LinuxSeccompArg, v uint64) bool {
	switch c.Op {
	case specs.OpEqualTo:
		return v == c.Value
	case specs.OpNotEqual:
		return v != c.Value
	case specs.OpLessThan:
		return v < c.Value
	case specs.OpLessEqual:
		return v <= c.Value
	case specs.OpGreaterEqual:
		return v >= c.Value
	case specs.OpGreaterThan:
		return v > c.Value
	case specs.OpMaskedEqual:
		return v&c.Value == c.ValueTwo&c.Value
	}
	panic("unknown op " + string(c.Op))
}

// interesting returns boundary values for a matcher: its constants, each
// ±1, 0, all-ones, and their sign-extended and high-garbage forms.
func interesting(m profiles.Matcher) []uint64 {
	base := append([]uint64{0, 1, 0xffffffff, 0x80000000, ^uint64(0), 1 << 32}, m.Values...)
	base = append(base, m.Value, m.Mask, m.Lo, m.Hi, m.Mask|1<<20, m.Value|m.Mask)
	var out []uint64
	for _, b := range base {
		for _, d := range []uint64{0, 1, ^uint64(0)} {
			v := b + d
			out = append(out, v, v|0xffffffff00000000, v|1<<40, v&0xffffffff)
		}
	}
	return out
}

// TestOCIRoundTrip: for generated profiles, importing the export evaluates
// like the profile on boundary inputs of every rule, on every architecture
// of the profile. (A foreign architecture differs by design: see OCI.)
func TestOCIRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for i := 0; i < 300; i++ {
		p := genProfile(rng)
		s, err := OCI(p, OCIOptions{})
		if err != nil {
			t.Fatalf("profile %d: %v\n%s", i, err, mustYAML(t, p))
		}
		back, err := profiles.FromOCI(s, "gen")
		if err != nil {
			t.Fatalf("profile %d: import: %v\n%s", i, err, mustYAML(t, p))
		}
		if !compareOnBoundaries(t, p, back, rng) {
			t.Fatalf("profile %d differs after the round trip:\n%s", i, mustYAML(t, p))
		}
	}
}

func mustYAML(t *testing.T, p *profiles.Profile) string {
	t.Helper()
	b, err := profiles.Marshal(p)
	if err != nil {
		return err.Error()
	}
	return string(b)
}

// genPool holds syscalls with narrow and wide arguments.
var genPool = []string{"openat", "read", "write", "close", "lseek", "mmap", "ioctl", "kill", "getpid", "pread64", "fcntl", "clone3"}

func genProfile(rng *rand.Rand) *profiles.Profile {
	p := &profiles.Profile{ForeignArchAction: profiles.KillProcess, Architectures: []string{"x86_64"}}
	if rng.IntN(2) == 0 {
		p.Architectures = append(p.Architectures, "i386")
	}
	defaults := []profiles.Verdict{profiles.Errno(1), profiles.KillProcess, {Action: profiles.ActTrap}, profiles.Allow}
	p.DefaultAction = defaults[rng.IntN(len(defaults))]
	actions := []profiles.Verdict{profiles.Allow, profiles.Allow, profiles.Allow, profiles.Errno(38), {Action: profiles.ActLog}, {Action: profiles.ActTrace, Data: 3}}
	// One action per syscall: OCI cannot express mixed ones.
	act := map[string]profiles.Verdict{}
	for _, n := range genPool {
		act[n] = actions[rng.IntN(len(actions))]
	}
	for range 1 + rng.IntN(6) {
		n := genPool[rng.IntN(len(genPool))]
		r := profiles.Rule{Names: []string{n}, Action: act[n]}
		for _, m := range genPool {
			if m != n && act[m] == act[n] && rng.IntN(6) == 0 {
				r.Names = append(r.Names, m)
			}
		}
		used := map[int]bool{}
		for range rng.IntN(3) {
			idx := rng.IntN(4)
			if used[idx] {
				continue
			}
			used[idx] = true
			r.Args = append(r.Args, profiles.ArgCond{Index: idx, Match: genMatcher(rng, genWide(p, &r, idx), len(p.Architectures) > 1)})
		}
		p.Syscalls = append(p.Syscalls, r)
	}
	return p
}

func genWide(p *profiles.Profile, r *profiles.Rule, idx int) bool {
	for _, n := range r.Names {
		if argWide(p, r, n, idx) {
			return true
		}
	}
	return false
}

func genMatcher(rng *rand.Rand, wide, compat bool) profiles.Matcher {
	val := func() uint64 {
		vs := []uint64{0, 1, 2, 3, 0x80, 0xfff, 0x1000, 0x7fffffff, 0x80000000, 0xffffff9c, 0xffffffff}
		if wide {
			vs = append(vs, 1<<32, 1<<40|5, 0xffffffffffffff9c, ^uint64(0))
		}
		return vs[rng.IntN(len(vs))]
	}
	switch rng.IntN(6) {
	case 0:
		vs := []uint64{val(), val(), val()}
		m := profiles.Matcher{Op: profiles.OpIn, Values: vs}
		m.Values = uniqueSorted(m.Values)
		return m
	case 1:
		return profiles.Matcher{Op: profiles.OpBits, Mask: val() | val()}
	case 2:
		return profiles.Matcher{Op: profiles.OpEq, Value: val()}
	case 3:
		return profiles.Matcher{Op: profiles.OpNe, Value: val()}
	case 4:
		lo, hi := val(), val()
		if compat && wide {
			// On a 32-bit ABI a wide range's blocks truncate differently from
			// the range itself (see OCI); keep such ranges within 32 bits.
			lo, hi = lo&0xffffffff, hi&0xffffffff
		}
		if lo > hi {
			lo, hi = hi, lo
		}
		return profiles.Matcher{Op: profiles.OpRange, Lo: lo, Hi: hi}
	}
	m := val()
	return profiles.Matcher{Op: profiles.OpMasked, Mask: m, Value: val() & m}
}

func uniqueSorted(vs []uint64) []uint64 {
	out := []uint64{}
	for _, v := range vs {
		dup := false
		for _, o := range out {
			dup = dup || o == v
		}
		if !dup {
			out = append(out, v)
		}
	}
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

// compareOnBoundaries evaluates both profiles on every syscall of p's rules,
// on every architecture of p, with argument vectors drawn from the rules'
// boundary values, and on a number above each table.
func compareOnBoundaries(t *testing.T, p, q *profiles.Profile, rng *rand.Rand) bool {
	t.Helper()
	var pool [systab.MaxArgs][]uint64
	for _, r := range p.Syscalls {
		for _, c := range r.Args {
			pool[c.Index] = append(pool[c.Index], interesting(c.Match)...)
		}
	}
	ok := true
	for _, a := range p.Arches() {
		// unknownErrno has no OCI equivalent (see OCI).
		got, want := profiles.Evaluate(q, a.Audit, a.MaxNr()+1, [6]uint64{}), profiles.Evaluate(p, a.Audit, a.MaxNr()+1, [6]uint64{})
		if p.UnknownErrno == 0 && got != want {
			t.Errorf("%s unknown nr: got %v, want %v", a, got, want)
			ok = false
		}
		for _, r := range p.Syscalls {
			for _, n := range r.Names {
				nr, known := a.Nr(n)
				if !known {
					continue
				}
				for range 200 {
					var args [systab.MaxArgs]uint64
					for i := range args {
						if len(pool[i]) > 0 {
							args[i] = pool[i][rng.IntN(len(pool[i]))]
						}
					}
					if got, want := profiles.Evaluate(q, a.Audit, nr, args), profiles.Evaluate(p, a.Audit, nr, args); got != want {
						t.Errorf("%s %s%#x: got %v, want %v", a, n, args, got, want)
						ok = false
						if !ok {
							return false
						}
					}
				}
			}
		}
	}
	return ok
}
