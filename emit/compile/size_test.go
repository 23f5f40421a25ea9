package compile

import (
	"errors"
	"sort"
	"strings"
	"testing"

	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/profiles"
)

// sizedStride spaces the values of sizedProfile so that no two are
// neighbours: the optimiser would compile a run of consecutive values as one
// range.
const sizedStride = 3

// sizedValue is the i-th value of sizedProfile's set.
func sizedValue(i int) uint64 { return 0x10000 + sizedStride*uint64(i) }

// sizedProfile allows ioctl on fd-less commands from a set of n values: each
// value costs at least one instruction, so n tunes the program's length.
func sizedProfile(n int) *profiles.Profile {
	cmds := make([]uint64, n)
	for i := range cmds {
		cmds[i] = sizedValue(i)
	}
	return profile("sized", errno("EPERM"), names(systab.Native().Name),
		allow("read", "write", "close", "exit_group"),
		rule(profiles.Allow, names("ioctl"), arg(1, in(cmds...))),
	)
}

// largestFitting finds the largest n for which build(n) compiles.
func largestFitting(build func(n int) *profiles.Profile, opts Options) int {
	return sort.Search(2*MaxInstructions, func(n int) bool {
		_, err := Compile(build(n), opts)
		return err != nil
	}) - 1
}

func TestTooLarge(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) { testTooLarge(t, m.opts) })
	}
}

func testTooLarge(t *testing.T, opts Options) {
	n := largestFitting(sizedProfile, opts)
	prog, err := Compile(sizedProfile(n), opts)
	if err != nil {
		t.Fatalf("Compile(%d values): %v", n, err)
	}
	if prog.Len() > MaxInstructions || prog.Len() < MaxInstructions-8 {
		t.Fatalf("largest fitting program has %d instructions, want just under %d", prog.Len(), MaxInstructions)
	}
	_, err = Compile(sizedProfile(n+1), opts)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Compile(%d values) = %v, want ErrTooLarge", n+1, err)
	}
	for _, want := range []string{"4096", "ioctl", "instructions"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	// The program stays correct at that size: trampolines everywhere.
	p := sizedProfile(n)
	var calls []call
	nr, _ := systab.Native().Nr("ioctl")
	for _, cmd := range []uint64{0, 0xffff, sizedValue(0), sizedValue(0) + 1, sizedValue(n / 2), sizedValue(n/2) - 1, sizedValue(n - 1), sizedValue(n), 0x1_0001_0000} {
		calls = append(calls, call{audit: systab.Native().Audit, nr: nr, args: [6]uint64{3, cmd}})
	}
	calls = append(calls, boundaryCalls(allowOnly(p))...)
	checkAgainstEvaluate(t, p, prog, calls)
	t.Logf("%d values fit in %d instructions; %v", n, prog.Len(), err)
}

// allowOnly drops the big rule so boundaryCalls stays small; the calls are
// still run against the full profile.
func allowOnly(p *profiles.Profile) *profiles.Profile {
	q := p.Clone()
	q.Syscalls = q.Syscalls[:1]
	return q
}
