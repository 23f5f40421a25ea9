package compile

import (
	"encoding/binary"
	"testing"

	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/profiles"
)

// fuzzReader hands out bytes of the fuzz input, then zeros.
type fuzzReader struct{ b []byte }

func (r *fuzzReader) byte() byte {
	if len(r.b) == 0 {
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *fuzzReader) pick(n int) int { return int(r.byte()) % n }

func (r *fuzzReader) u64() uint64 {
	var buf [8]byte
	for i := range buf {
		buf[i] = r.byte()
	}
	return binary.LittleEndian.Uint64(buf[:])
}

var (
	fuzzArches   = []string{"x86_64", "i386", "x32", "aarch64", "s390x"}
	fuzzSyscalls = []string{"read", "openat", "lseek", "mmap", "ioctl", "getpriority", "prctl", "fcntl", "socketcall", "clone3", "mmap2", "personality"}
	fuzzVerdicts = []profiles.Verdict{
		profiles.Allow, profiles.Allow, profiles.Errno(1), profiles.Errno(13), profiles.KillProcess,
		{Action: profiles.ActKillThread}, {Action: profiles.ActTrap, Data: 2}, {Action: profiles.ActTrace, Data: 9}, {Action: profiles.ActLog},
	}
	fuzzValues = []uint64{
		0, 1, 2, 3, 0xff, 0x7fffffff, 0x80000000, 0xffffffff, 0x1_0000_0000, 0x1_0000_0001,
		0x1_ffff_ffff, ^uint64(0), ^uint64(1), 1 << 63, 0xffffffff_00000000,
	}
)

func (r *fuzzReader) value() uint64 {
	if r.pick(4) == 0 {
		return r.u64()
	}
	return fuzzValues[r.pick(len(fuzzValues))]
}

func (r *fuzzReader) matcher() profiles.Matcher {
	m := profiles.Matcher{Op: profiles.MatchOp(1 + r.pick(6))}
	switch m.Op {
	case profiles.OpIn:
		n := 1 + r.pick(4)
		set := map[uint64]bool{}
		for range n {
			set[r.value()] = true
		}
		for v := range set {
			m.Values = append(m.Values, v)
		}
		sortU64(m.Values)
	case profiles.OpBits:
		m.Mask = r.value()
	case profiles.OpEq, profiles.OpNe:
		m.Value = r.value()
	case profiles.OpRange:
		m.Lo, m.Hi = r.value(), r.value()
		if r.pick(4) != 0 && m.Lo > m.Hi {
			m.Lo, m.Hi = m.Hi, m.Lo
		}
	case profiles.OpMasked:
		m.Mask, m.Value = r.value(), r.value()
	}
	return m
}

func sortU64(vs []uint64) {
	for i := 1; i < len(vs); i++ {
		for j := i; j > 0 && vs[j] < vs[j-1]; j-- {
			vs[j], vs[j-1] = vs[j-1], vs[j]
		}
	}
}

// fuzzProfile builds a small random profile from the fuzz input.
func fuzzProfile(r *fuzzReader) *profiles.Profile {
	p := &profiles.Profile{
		DefaultAction:     fuzzVerdicts[r.pick(len(fuzzVerdicts))],
		ForeignArchAction: fuzzVerdicts[r.pick(len(fuzzVerdicts))],
		UnknownErrno:      uint16(r.pick(3) * 19), // 0, 19 or 38
	}
	mask := r.byte()
	for i, a := range fuzzArches {
		if mask&(1<<i) != 0 {
			p.Architectures = append(p.Architectures, a)
		}
	}
	for range r.pick(7) {
		rl := profiles.Rule{Action: fuzzVerdicts[r.pick(len(fuzzVerdicts))]}
		rl.Names = append(rl.Names, fuzzSyscalls[r.pick(len(fuzzSyscalls))])
		if r.pick(3) == 0 {
			rl.Names = append(rl.Names, fuzzSyscalls[r.pick(len(fuzzSyscalls))])
		}
		if r.pick(4) == 0 {
			rl.Arches = []string{fuzzArches[r.pick(len(fuzzArches))]}
		}
		used := map[int]bool{}
		for range r.pick(4) {
			i := r.pick(systab.MaxArgs)
			if used[i] {
				continue
			}
			used[i] = true
			rl.Args = append(rl.Args, profiles.ArgCond{Index: i, Match: r.matcher()})
		}
		p.Syscalls = append(p.Syscalls, rl)
	}
	// Counts make the planner weigh the tree and hoist hot numbers.
	if r.pick(2) == 0 {
		p.Counts = map[string]uint64{}
		for _, n := range fuzzSyscalls {
			if c := r.pick(4); c > 0 {
				p.Counts[n] = uint64(c) * uint64(1+r.pick(200))
			}
		}
	}
	return p
}

// fuzzCall picks an input, mostly a syscall the profile names.
func fuzzCall(r *fuzzReader, p *profiles.Profile) call {
	var c call
	arch := systab.Arches[r.pick(len(systab.Arches))]
	c.audit = arch.Audit
	if r.pick(8) == 0 {
		c.audit = uint32(r.u64())
	}
	c.nr = uint32(r.u64())
	if len(p.Syscalls) > 0 && r.pick(4) != 0 {
		rl := p.Syscalls[r.pick(len(p.Syscalls))]
		if nr, ok := arch.Nr(rl.Names[0]); ok {
			c.nr = nr + uint32(r.pick(3)) - 1
		}
	}
	for i := range c.args {
		c.args[i] = r.value()
	}
	return c
}

// FuzzCompile compiles a random profile, optimised and not, and compares
// both filters with Evaluate (so with each other) on a random input and on
// the boundary inputs of its syscall.
func FuzzCompile(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{2, 3, 1, 0x1f, 5, 0, 1, 0, 2, 3, 1, 2, 4, 3, 5, 6, 7})
	f.Add([]byte{0, 2, 0, 0x07, 6, 1, 2, 1, 1, 0, 2, 5, 0, 7, 9, 1, 3, 3, 3, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
	f.Add([]byte{3, 4, 2, 0x18, 4, 4, 3, 0, 0, 3, 2, 4, 1, 2, 9, 4, 4, 4, 4, 2, 1, 0, 1, 9, 9, 9, 200, 1, 7})
	f.Fuzz(func(t *testing.T, data []byte) {
		r := &fuzzReader{b: data}
		p := fuzzProfile(r)
		prog, err := Compile(p, Options{})
		if err != nil {
			t.Fatalf("Compile %s: %v", p, err)
		}
		plain, err := Compile(p, Options{Unoptimized: true})
		if err != nil {
			t.Fatalf("Compile %s unoptimised: %v", p, err)
		}
		c := fuzzCall(r, p)
		calls := []call{c}
		if arch, ok := systab.ArchOf(c.audit, c.nr); ok {
			for _, args := range argVectors(p, arch, c.nr) {
				calls = append(calls, call{audit: c.audit, nr: c.nr, args: args})
			}
		}
		for _, rl := range p.Syscalls {
			t.Log(rl)
		}
		checkAgainstEvaluate(t, p, prog, calls)
		checkAgainstEvaluate(t, p, plain, calls)
	})
}
