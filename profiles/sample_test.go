package profiles

import (
	"math/rand/v2"
	"sort"

	"github.com/profile-dev/profile/internal/systab"
)

// A call is one input to Evaluate.
type call struct {
	audit, nr uint32
	args      [systab.MaxArgs]uint64
}

// interesting returns the values worth trying for an argument a matcher
// constrains: each constant and its neighbours, masks with one bit more or
// less, and values that only differ in the upper half or by sign extension.
func interesting(m Matcher) []uint64 {
	var out []uint64
	near := func(vs ...uint64) {
		for _, v := range vs {
			out = append(out, v-1, v, v+1, v|0xffffffff00000000, v|1<<32, v&0xffffffff)
		}
	}
	switch m.Op {
	case OpIn:
		near(m.Values...)
	case OpEq, OpNe:
		near(m.Value)
	case OpRange:
		near(m.Lo, m.Hi)
	case OpBits:
		near(m.Mask)
		for _, b := range maskBits(m.Mask) {
			out = append(out, b, m.Mask&^b)
		}
		for i := 0; i < 64; i += 7 {
			out = append(out, m.Mask|1<<i)
		}
	case OpMasked:
		near(m.Value, m.Value|^m.Mask, m.Mask)
		for _, b := range maskBits(m.Mask) {
			out = append(out, m.Value^b)
		}
	}
	return out
}

var everywhere = []uint64{0, 1, 0xffffffff, ^uint64(0), 0x80000000, 1 << 63, 0xffffffff00000000}

// sampleCalls returns calls for Evaluate that exercise every rule of the
// profiles: each site with combinations of its boundary values, on every
// architecture any of them covers, plus numbers above the tables, the x32
// bit and a foreign architecture.
func sampleCalls(rng *rand.Rand, perSite int, ps ...*Profile) []call {
	byIndex := map[site]map[int][]uint64{}
	var keys []site
	for _, p := range ps {
		for i := range p.Syscalls {
			r := &p.Syscalls[i]
			for _, a := range p.Arches() {
				for _, n := range r.Names {
					s := site{a.Name, n}
					if byIndex[s] == nil {
						byIndex[s] = map[int][]uint64{}
						keys = append(keys, s)
					}
					for _, c := range r.Args {
						byIndex[s][c.Index] = append(byIndex[s][c.Index], interesting(c.Match)...)
					}
				}
			}
		}
	}
	sort.Slice(keys, func(i, j int) bool { return siteLess(keys[i], keys[j]) })
	var out []call
	for _, s := range keys {
		a, _ := systab.ArchByName(s.Arch)
		nr, ok := a.Nr(s.Name)
		if !ok {
			continue
		}
		for range perSite {
			c := call{audit: a.Audit, nr: nr}
			for i := range systab.MaxArgs {
				vs := append(byIndex[s][i], everywhere...)
				c.args[i] = vs[rng.IntN(len(vs))]
			}
			out = append(out, c)
		}
	}
	for _, a := range systab.Arches {
		out = append(out, call{audit: a.Audit, nr: a.MaxNr() + 1}, call{audit: a.Audit, nr: a.NrBase})
	}
	out = append(out, call{audit: systab.AuditArchX86_64, nr: systab.X32SyscallBit | 0}, call{audit: 0x1234, nr: 0})
	return out
}

// randomProfile builds a valid profile over a few syscalls with random
// conditions. All random profiles share their defaults, and denials only
// ever appear as clone3 -> errno(ENOSYS), which no profile allows, so any
// two can be merged.
func randomProfile(rng *rand.Rand) *Profile {
	names := []string{"read", "openat", "ioctl", "mmap", "fcntl", "futex", "socket", "prctl", "lseek", "close"}
	archSets := [][]string{{"x86_64"}, {"i386"}, {"x86_64", "i386"}, {"x86_64", "x32"}, {"x86_64", "i386", "x32"}}
	vals := []uint64{0, 1, 2, 3, 4, 8, 0x40, 0x80000, 0xffffffff, 1 << 33}
	pick := func() uint64 { return vals[rng.IntN(len(vals))] }
	for {
		p := &Profile{
			Metadata:      Metadata{Name: []string{"", "a", "b"}[rng.IntN(3)]},
			DefaultAction: Errno(1), UnknownErrno: 38, ForeignArchAction: KillProcess,
			Architectures: archSets[rng.IntN(len(archSets))],
			Counts:        map[string]uint64{"read": uint64(rng.IntN(10))},
		}
		for range 1 + rng.IntN(6) {
			r := Rule{Names: []string{names[rng.IntN(len(names))]}}
			if rng.IntN(3) == 0 {
				r.Names = append(r.Names, names[rng.IntN(len(names))])
			}
			if rng.IntN(5) == 0 && len(p.Architectures) > 1 {
				r.Arches = []string{p.Architectures[rng.IntN(len(p.Architectures))]}
			}
			if rng.IntN(6) == 0 {
				r.Inferred = "x"
			}
			for _, idx := range rng.Perm(3)[:rng.IntN(3)] {
				r.Args = append(r.Args, ArgCond{Index: idx, Match: randomMatcher(rng, pick)})
			}
			p.Syscalls = append(p.Syscalls, r)
		}
		if rng.IntN(3) == 0 {
			p.Syscalls = append(p.Syscalls, Rule{Names: []string{"clone3"}, Action: Errno(38)})
		}
		if p.Validate() == nil {
			return p
		}
	}
}

func randomMatcher(rng *rand.Rand, pick func() uint64) Matcher {
	switch rng.IntN(8) {
	case 0, 1, 2:
		return Matcher{Op: OpIn, Values: sortedUnique([]uint64{pick(), pick()})}
	case 3, 4:
		return Matcher{Op: OpBits, Mask: pick() | pick()}
	case 5:
		return Matcher{Op: OpEq, Value: pick()}
	case 6:
		lo, hi := pick(), pick()
		if lo > hi {
			lo, hi = hi, lo
		}
		return Matcher{Op: OpRange, Lo: lo, Hi: hi}
	}
	return Matcher{Op: OpMasked, Mask: pick() | 1, Value: pick()}
}
