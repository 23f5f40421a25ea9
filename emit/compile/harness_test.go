package compile

import (
	"encoding/binary"
	"fmt"
	"sort"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/profiles"
)

// call is one input to a filter: what seccomp_data would hold.
type call struct {
	audit uint32
	nr    uint32
	args  [systab.MaxArgs]uint64
}

func (c call) String() string {
	name := fmt.Sprintf("audit %#x nr %#x", c.audit, c.nr)
	if a, ok := systab.ArchOf(c.audit, c.nr); ok {
		name = a.Name + " " + a.FormatNr(c.nr)
	}
	return fmt.Sprintf("%s args %#x", name, c.args)
}

// seccompData encodes c as the VM must see it. The kernel loads each aligned
// 32-bit word of struct seccomp_data in the CPU's byte order, and the u64
// fields hold the ABI's byte order: on a little-endian ABI the low half of
// an argument is the word at the lower offset, on a big-endian one the high
// half. golang.org/x/net/bpf loads words big-endian, so each word is written
// big-endian with the value the kernel would load.
func seccompData(c call) []byte {
	buf := make([]byte, 64)
	put := func(off int, v uint32) { binary.BigEndian.PutUint32(buf[off:], v) }
	put(0, c.nr)
	put(4, c.audit)
	le := c.audit&auditArchLE != 0
	for i, a := range c.args {
		lo, hi := uint32(a), uint32(a>>32)
		if le {
			put(16+8*i, lo)
			put(20+8*i, hi)
		} else {
			put(16+8*i, hi)
			put(20+8*i, lo)
		}
	}
	return buf
}

// vmRunner runs one program on many inputs.
type vmRunner struct {
	prog *Program
	vm   *bpf.VM
}

func newRunner(t testing.TB, prog *Program) *vmRunner {
	t.Helper()
	vm, err := bpf.NewVM(prog.Instructions)
	if err != nil {
		t.Fatalf("NewVM: %v\n%s", err, prog.Disassemble())
	}
	return &vmRunner{prog: prog, vm: vm}
}

func (r *vmRunner) run(t testing.TB, c call) profiles.Verdict {
	t.Helper()
	out, err := r.vm.Run(seccompData(c))
	if err != nil {
		t.Fatalf("VM run %s: %v\n%s", c, err, r.prog.Disassemble())
	}
	v, ok := VerdictOf(uint32(out))
	if !ok {
		t.Fatalf("VM run %s: returned %#x, not a seccomp action\n%s", c, out, r.prog.Disassemble())
	}
	return v
}

// checkAgainstEvaluate runs every call and compares with profiles.Evaluate,
// reporting at most a few mismatches and the disassembly once.
func checkAgainstEvaluate(t testing.TB, p *profiles.Profile, prog *Program, calls []call) {
	t.Helper()
	r := newRunner(t, prog)
	bad := 0
	for _, c := range calls {
		got := r.run(t, c)
		want := normalize(profiles.Evaluate(p, c.audit, c.nr, c.args))
		if got != want {
			bad++
			if bad <= 10 {
				t.Errorf("%s: filter says %s, Evaluate says %s", c, got, want)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d inputs disagree; program:\n%s", bad, len(calls), prog.Disassemble())
	}
}

// interesting returns boundary values around a 64-bit constant: ±1, each
// half ±1, its low half zero- and sign-extended, garbage in the high half.
func interesting(c uint64) []uint64 {
	lo, hi := uint64(uint32(c)), c>>32
	return []uint64{
		c - 1, c, c + 1,
		c + 1<<32, c - 1<<32,
		hi<<32 | uint64(uint32(lo+1)), hi<<32 | uint64(uint32(lo-1)),
		lo,                              // zero-extended low half
		uint64(int64(int32(uint32(c)))), // sign-extended low half
		0xdeadbeef<<32 | lo,             // garbage high half
		hi << 32,
	}
}

// matcherValues are the boundary values of one matcher's constants, plus
// values that set one bit outside a mask in each half.
func matcherValues(m profiles.Matcher) []uint64 {
	consts := append([]uint64{m.Mask, m.Value, m.Lo, m.Hi, m.Value & m.Mask, ^m.Mask}, m.Values...)
	for _, half := range []uint64{0xffffffff, 0xffffffff << 32} {
		if out := ^m.Mask & half; out != 0 {
			bit := out & -out
			consts = append(consts, m.Mask&half|bit, bit)
		}
	}
	var vs []uint64
	for _, c := range consts {
		vs = append(vs, interesting(c)...)
	}
	return vs
}

// boundaryCalls derives inputs from every rule of p: for each ABI known to
// systab (covered or not) and a bad arch, the numbers the rules name and
// their neighbours, the table's ends and some gaps; for each, argument
// vectors that satisfy each rule and then vary one argument at a time over
// every boundary value of that argument's conditions.
func boundaryCalls(p *profiles.Profile) []call {
	var calls []call
	for _, arch := range systab.Arches {
		for _, nr := range numbersFor(p, arch) {
			for _, args := range argVectors(p, arch, nr) {
				calls = append(calls, call{audit: arch.Audit, nr: nr, args: args})
			}
		}
	}
	for _, nr := range []uint32{0, 1, 59, 0x40000000, 0xffffffff} {
		calls = append(calls, call{audit: 0x12345678, nr: nr}, call{audit: 0, nr: nr}, call{audit: ^uint32(0), nr: nr})
	}
	return calls
}

func numbersFor(p *profiles.Profile, arch *systab.Arch) []uint32 {
	set := map[uint32]bool{}
	add := func(nr uint32) { set[nr] = true }
	for _, r := range p.Syscalls {
		for _, n := range r.Names {
			if nr, ok := arch.Nr(n); ok {
				add(nr - 1)
				add(nr)
				add(nr + 1)
			}
		}
	}
	max := arch.MaxNr()
	for _, nr := range []uint32{0, 1, max - 1, max, max + 1, max + 2, 0x3fffffff, 0x7fffffff, 0x80000000, 0xbfffffff, 0xffffffff, 0xfffffffe} {
		add(nr | arch.NrBase)
		add(nr)
	}
	// The first two gaps of the table, if any.
	gaps := 0
	for nr := arch.NrBase; nr < max && gaps < 2; nr++ {
		if _, ok := arch.SyscallName(nr); !ok {
			add(nr)
			gaps++
		}
	}
	// The x32 bit on the x86-64 audit value.
	if arch == systab.X86_64 {
		for nr := range set {
			set[nr|systab.X32SyscallBit] = true
		}
	}
	out := make([]uint32, 0, len(set))
	for nr := range set {
		out = append(out, nr)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func argVectors(p *profiles.Profile, arch *systab.Arch, nr uint32) [][systab.MaxArgs]uint64 {
	name, ok := arch.SyscallName(nr)
	if !ok {
		return [][systab.MaxArgs]uint64{{}, {1, 2, 3, 4, 5, 6}}
	}
	cands := make([][]uint64, systab.MaxArgs)
	var rules []*profiles.Rule
	for i := range p.Syscalls {
		r := &p.Syscalls[i]
		if !namesSyscall(r, name) {
			continue
		}
		rules = append(rules, r)
		for _, a := range r.Args {
			cands[a.Index] = append(cands[a.Index], matcherValues(a.Match)...)
		}
	}
	for i := range cands {
		cands[i] = append(cands[i], 0, ^uint64(0))
	}
	out := [][systab.MaxArgs]uint64{{}, {^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)}}
	bases := [][systab.MaxArgs]uint64{{}}
	for _, r := range rules {
		var base [systab.MaxArgs]uint64
		for _, a := range r.Args {
			wide := systab.ArgWide(arch, name, a.Index)
			for _, v := range cands[a.Index] {
				if a.Match.Match(v, wide) {
					base[a.Index] = v
					break
				}
			}
		}
		bases = append(bases, base)
	}
	for _, base := range bases {
		out = append(out, base)
		for i := range cands {
			for _, v := range cands[i] {
				a := base
				a[i] = v
				out = append(out, a)
			}
		}
	}
	return out
}
