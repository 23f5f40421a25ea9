package profiles

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/profile-dev/profile/internal/systab"
)

func TestCanonicalizeExample(t *testing.T) {
	p := &Profile{
		DefaultAction: Errno(1), ForeignArchAction: KillProcess,
		Architectures: []string{"x86_64", "i386"},
		Syscalls: []Rule{
			{Names: []string{"write", "read", "write"}},
			{Names: []string{"getpid"}, Action: Errno(38)},
			{Names: []string{"socketcall"}, Arches: []string{"i386"}},
			{Names: []string{"ioctl"}, Args: []ArgCond{{Index: 1, Match: Matcher{Op: OpIn, Values: []uint64{5, 1, 5}}}}},
			{Names: []string{"close"}},
			{Names: []string{"fcntl"}, Args: []ArgCond{{Index: 1, Match: Matcher{Op: OpIn, Values: []uint64{1, 5}}}}},
			{Names: []string{"lseek"}, Args: []ArgCond{{Index: 2, Match: Matcher{Op: OpEq}}, {Index: 0, Match: Matcher{Op: OpEq, Value: 3}}}},
		},
	}
	Canonicalize(p)
	want := []Rule{
		{Names: []string{"close", "read", "write"}},
		{Names: []string{"fcntl", "ioctl"}, Args: []ArgCond{{Index: 1, Match: Matcher{Op: OpIn, Values: []uint64{1, 5}}}}},
		{Names: []string{"lseek"}, Args: []ArgCond{{Index: 0, Match: Matcher{Op: OpEq, Value: 3}}, {Index: 2, Match: Matcher{Op: OpEq}}}},
		{Names: []string{"getpid"}, Action: Errno(38)},
		{Names: []string{"socketcall"}, Arches: []string{"i386"}},
	}
	if !reflect.DeepEqual(p.Syscalls, want) {
		t.Errorf("got\n%v\nwant\n%v", p.Syscalls, want)
	}
}

// TestCanonicalizeKeepsMeaning samples random profiles and calls: Evaluate
// gives the same answer before and after, and a second Canonicalize changes
// nothing.
func TestCanonicalizeKeepsMeaning(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	names := []string{"read", "write", "openat", "close", "ioctl", "fcntl", "lseek", "mmap", "socketcall", "getpid"}
	vals := []uint64{0, 1, 2, 3, 0xff, 0xffffffff, 1 << 33, ^uint64(0)}
	pick := func() uint64 { return vals[rng.IntN(len(vals))] }
	for i := 0; i < 300; i++ {
		p := &Profile{DefaultAction: Errno(1), ForeignArchAction: KillProcess, Architectures: []string{"x86_64", "i386"}}
		for range 1 + rng.IntN(8) {
			r := Rule{Names: []string{names[rng.IntN(len(names))], names[rng.IntN(len(names))]}}
			if rng.IntN(4) == 0 {
				r.Action = Errno(uint16(1 + rng.IntN(2)))
			}
			if rng.IntN(4) == 0 {
				r.Arches = []string{"i386"}
			}
			if rng.IntN(2) == 0 {
				r.Args = append(r.Args, ArgCond{Index: 2, Match: Matcher{Op: OpIn, Values: []uint64{pick() & 3, pick() & 3}}})
			}
			if rng.IntN(2) == 0 {
				r.Args = append(r.Args, ArgCond{Index: rng.IntN(2), Match: Matcher{Op: OpBits, Mask: pick() & 0xff}})
			}
			p.Syscalls = append(p.Syscalls, r)
		}
		q := p.Clone()
		Canonicalize(q)
		for range 200 {
			a := systab.Arches[rng.IntN(len(systab.Arches))]
			if rng.IntN(2) == 0 {
				a = systab.X86_64
			}
			nr, ok := a.Nr(names[rng.IntN(len(names))])
			if !ok {
				nr = uint32(rng.IntN(500))
			}
			args := [systab.MaxArgs]uint64{pick(), pick(), pick()}
			if got, want := Evaluate(q, a.Audit, nr, args), Evaluate(p, a.Audit, nr, args); got != want {
				t.Fatalf("%s nr %d %#x: got %v, want %v\nbefore %v\nafter %v", a, nr, args, got, want, p.Syscalls, q.Syscalls)
			}
		}
		r := q.Clone()
		Canonicalize(r)
		if !reflect.DeepEqual(q.Syscalls, r.Syscalls) {
			t.Fatalf("not idempotent:\n%v\n%v", q.Syscalls, r.Syscalls)
		}
	}
}
