package check

import (
	"strings"
	"testing"

	"github.com/profile-dev/profile/generalize"
	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/profiles"
	"github.com/profile-dev/profile/trace"
)

func key(t *testing.T, name string, args ...uint64) trace.Key {
	t.Helper()
	nr, ok := systab.X86_64.Nr(name)
	if !ok {
		t.Fatalf("no %s", name)
	}
	k := trace.Key{Arch: "x86_64", Nr: nr, ArgMask: trace.AllArgs}
	copy(k.Args[:], args)
	return k
}

func testProfile() *profiles.Profile {
	return &profiles.Profile{
		DefaultAction:     profiles.Errno(1),
		ForeignArchAction: profiles.KillProcess,
		UnknownErrno:      38,
		Architectures:     []string{"x86_64"},
		Syscalls: []profiles.Rule{
			{Names: []string{"read", "write", "exit_group"}},
			{Names: []string{"clone3"}, Action: profiles.Errno(38)},
		},
	}
}

func TestClassify(t *testing.T) {
	p := testProfile()
	obs := []Observation{
		{Call: key(t, "getpriority", 0, 0), Exe: "/bin/a", Count: 2},
		{Call: key(t, "getpriority", 0, 0), Exe: "/bin/a", Count: 1},
		{Call: key(t, "clone3", 0x7ffd0000, 88), Exe: "/bin/a", Count: 1},
		{Call: key(t, "openat", 0xffffff9c, 0x1000, 0x80000), Exe: "/bin/b", Count: 4},
	}
	ds, err := Classify(p, obs)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 3 {
		t.Fatalf("denials = %v", ds)
	}
	// Missing rules first, sorted by call; the purposeful denial last.
	if !ds[0].Missing() || !strings.HasPrefix(ds[0].Call, "getpriority(") || ds[0].Count != 3 {
		t.Errorf("first denial %v", ds[0])
	}
	if !ds[1].Missing() || ds[1].Call != "openat(dfd=-100, filename=*, flags=O_CLOEXEC, mode=0o0)" {
		t.Errorf("second denial %q", ds[1].Call)
	}
	if ds[2].Missing() || ds[2].Rule != 1 || ds[2].Verdict != profiles.Errno(38) {
		t.Errorf("clone3 denial %v (rule %d)", ds[2], ds[2].Rule)
	}
	// An allowed call cannot have been reported denied.
	if _, err := Classify(p, []Observation{{Call: key(t, "read"), Exe: "/bin/a", Count: 1}}); err == nil {
		t.Error("Classify accepted a call the profile allows")
	}
}

func TestFix(t *testing.T) {
	p := testProfile()
	k := key(t, "getpriority", 0, 0)
	ds, err := Classify(p, []Observation{{Call: k, Exe: "/bin/a", Count: 1}})
	if err != nil {
		t.Fatal(err)
	}
	tr := &trace.Trace{Version: trace.Version, Complete: true, Calls: []trace.Call{{Arch: k.Arch, Nr: k.Nr, Args: k.Args, ArgMask: k.ArgMask, Count: 1}}}
	fixed, unfixed, err := Fix(p, tr, ds, generalize.LevelBalanced)
	if err != nil {
		t.Fatal(err)
	}
	if len(unfixed) != 0 {
		t.Errorf("unfixed = %v", unfixed)
	}
	for _, c := range []struct {
		k    trace.Key
		want bool
	}{{k, true}, {key(t, "read"), true}, {key(t, "sysinfo"), false}} {
		if got := Permits(profiles.Evaluate(fixed, systab.AuditArchX86_64, c.k.Nr, c.k.Args)); got != c.want {
			t.Errorf("fixed profile permits %d: %v, want %v", c.k.Nr, got, c.want)
		}
	}
	clone3 := key(t, "clone3")
	if v := profiles.Evaluate(fixed, systab.AuditArchX86_64, clone3.Nr, clone3.Args); v != profiles.Errno(38) {
		t.Errorf("the old profile's clone3 answer changed to %v", v)
	}
}
