package generalize

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/profiles"
	"github.com/profile-dev/profile/trace"
)

func call(t *testing.T, arch *systab.Arch, name string, args ...uint64) trace.Call {
	t.Helper()
	nr, ok := arch.Nr(name)
	if !ok {
		t.Fatalf("%s has no %s", arch, name)
	}
	c := trace.Call{Arch: arch.Name, Nr: nr, Name: name, ArgMask: trace.AllArgs, Count: 1}
	copy(c.Args[:], args)
	return c
}

// randomTrace draws calls over the known architectures an x86-64 task can
// use, including numbers the table does not know.
func randomTrace(r *rand.Rand) *trace.Trace {
	arches := []*systab.Arch{systab.X86_64, systab.I386, systab.X32}
	tr := &trace.Trace{Version: trace.Version, Complete: true}
	for range 1 + r.IntN(60) {
		a := arches[r.IntN(len(arches))]
		nr := uint32(r.IntN(int(a.MaxNr()&^a.NrBase)+20)) | a.NrBase
		c := trace.Call{Arch: a.Name, Nr: nr, ArgMask: trace.AllArgs, Count: 1 + uint64(r.IntN(100))}
		for i := range c.Args {
			c.Args[i] = r.Uint64() >> (r.IntN(4) * 16)
		}
		tr.Calls = append(tr.Calls, c)
	}
	return tr
}

// TestSound checks the invariant: every observed, nameable call evaluates to
// allow under the learnt profile, at every level.
func TestSound(t *testing.T) {
	for _, level := range []Level{LevelStrict, LevelBalanced, LevelNames} {
		t.Run(level.String(), func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, uint64(level)))
			for i := range 300 {
				assertSound(t, i, randomTrace(r), level)
			}
		})
	}
}

// assertSound learns a profile from tr at a level and checks that it saves
// and that every call of tr but those the tables cannot name is allowed.
func assertSound(t *testing.T, i int, tr *trace.Trace, level Level) {
	t.Helper()
	res, err := Generalize([]*trace.Trace{tr}, Options{Level: level})
	if errors.Is(err, ErrNoCalls) {
		return
	}
	if err != nil {
		t.Fatalf("trace %d: %v", i, err)
	}
	if _, err := profiles.Marshal(res.Profile); err != nil {
		t.Fatalf("trace %d: learnt profile does not save: %v", i, err)
	}
	unnamed := map[trace.Key]bool{}
	for _, c := range res.Unnamed {
		unnamed[c.Key()] = true
	}
	for _, c := range tr.Calls {
		if unnamed[c.Key()] {
			continue
		}
		a, _ := systab.ArchByName(c.Arch)
		if got := profiles.Evaluate(res.Profile, a.Audit, c.Nr, c.Args); got != profiles.Allow {
			t.Fatalf("trace %d: %s evaluates to %s under\n%v", i, c, got, res.Profile.Syscalls)
		}
	}
}

func TestDeterministic(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	tr := randomTrace(r)
	first, err := Generalize([]*trace.Trace{tr}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		// Shuffle the input: the order calls arrive in must not matter.
		r.Shuffle(len(tr.Calls), func(i, j int) { tr.Calls[i], tr.Calls[j] = tr.Calls[j], tr.Calls[i] })
		again, err := Generalize([]*trace.Trace{tr}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(first.Profile, again.Profile) {
			t.Fatalf("profiles differ:\n%v\n%v", first.Profile.Syscalls, again.Profile.Syscalls)
		}
	}
}

func TestArchGroupsAndInference(t *testing.T) {
	tr := &trace.Trace{Version: trace.Version, Complete: true, Calls: []trace.Call{
		call(t, systab.X86_64, "read"),
		call(t, systab.X86_64, "write"),
		call(t, systab.I386, "write"),
		call(t, systab.I386, "exit_group"),
	}}
	res, err := Generalize([]*trace.Trace{tr}, Options{Name: "demo", Level: LevelStrict})
	if err != nil {
		t.Fatal(err)
	}
	p := res.Profile
	if !reflect.DeepEqual(p.Architectures, []string{"i386", "x86_64"}) {
		t.Errorf("architectures = %v", p.Architectures)
	}
	want := []profiles.Rule{
		{Names: []string{"write"}},
		{Names: []string{"exit_group"}, Arches: []string{"i386"}},
		{Names: []string{"read"}, Arches: []string{"x86_64"}},
		// Inferred names group across ABIs too: exit_group was seen on i386 only.
		{Names: []string{"exit", "restart_syscall", "rt_sigreturn"}, Inferred: "every process may need it"},
		{Names: []string{"sigreturn"}, Arches: []string{"i386"}, Inferred: "every process may need it"},
		{Names: []string{"exit_group"}, Arches: []string{"x86_64"}, Inferred: "every process may need it"},
	}
	if !reflect.DeepEqual(p.Syscalls, want) {
		t.Errorf("rules:\n got %v\nwant %v", p.Syscalls, want)
	}
	// read was only seen natively: an i386 read is denied.
	nr, _ := systab.I386.Nr("read")
	if v := profiles.Evaluate(p, systab.AuditArchI386, nr, [6]uint64{}); v == profiles.Allow {
		t.Errorf("i386 read allowed, want denied")
	}
	if p.DefaultAction != profiles.Errno(1) {
		t.Errorf("default = %v, want errno(EPERM)", p.DefaultAction)
	}
}

func TestUnnamed(t *testing.T) {
	c := call(t, systab.X86_64, "read")
	unknown := trace.Call{Arch: "x86_64", Nr: systab.X86_64.MaxNr() + 5, ArgMask: trace.AllArgs, Count: 1}
	res, err := Generalize([]*trace.Trace{{Version: 1, Calls: []trace.Call{c, unknown}}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Unnamed) != 1 || res.Unnamed[0].Nr != unknown.Nr {
		t.Errorf("unnamed = %v", res.Unnamed)
	}
	if res.Profile.Metadata.Recorded.Complete {
		t.Errorf("an incomplete trace learnt a profile marked complete")
	}
	if _, err := Generalize([]*trace.Trace{{Version: 1}}, Options{}); !errors.Is(err, ErrNoCalls) {
		t.Errorf("empty trace: err = %v, want ErrNoCalls", err)
	}
}

// TestTimingRules checks that calls a second run may make only because of
// scheduling are allowed, tgkill only with SIGURG, and only above strict.
func TestTimingRules(t *testing.T) {
	tr := &trace.Trace{Version: trace.Version, Complete: true, Calls: []trace.Call{
		call(t, systab.X86_64, "read"), call(t, systab.X86_64, "getpid"),
	}}
	eval := func(p *profiles.Profile, name string, args ...uint64) profiles.Verdict {
		nr, _ := systab.X86_64.Nr(name)
		var a [6]uint64
		copy(a[:], args)
		return profiles.Evaluate(p, systab.AuditArchX86_64, nr, a)
	}
	res, err := Generalize([]*trace.Trace{tr}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []uint64
		want profiles.Verdict
	}{
		{"sched_yield", nil, profiles.Allow},
		{"nanosleep", nil, profiles.Allow},
		{"tgkill", []uint64{100, 101, 23}, profiles.Allow},
		{"tgkill", []uint64{100, 101, 9}, profiles.Errno(1)},       // SIGKILL
		{"tgkill", []uint64{100, 101, 1<<32 | 23}, profiles.Allow}, // int: the high half is ignored
		{"kill", []uint64{100, 23}, profiles.Errno(1)},
	} {
		if got := eval(res.Profile, tc.name, tc.args...); got != tc.want {
			t.Errorf("%s%v = %v, want %v", tc.name, tc.args, got, tc.want)
		}
	}
	// getpid was observed: it has its observed rule, not a second one.
	n := 0
	for _, r := range res.Profile.Syscalls {
		for _, name := range r.Names {
			if name == "getpid" {
				n++
			}
		}
	}
	if n != 1 {
		t.Errorf("getpid appears in %d rules, want 1", n)
	}
	strict, err := Generalize([]*trace.Trace{tr}, Options{Level: LevelStrict})
	if err != nil {
		t.Fatal(err)
	}
	if got := eval(strict.Profile, "sched_yield"); got == profiles.Allow {
		t.Errorf("strict level allows the unobserved sched_yield")
	}
}
