package compile

import (
	"fmt"

	"golang.org/x/net/bpf"

	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/profiles"
)

// Classic BPF opcodes of the subset seccomp filters use.
const (
	opcLdWAbs = 0x20 // BPF_LD | BPF_W | BPF_ABS
	opcAndK   = 0x54 // BPF_ALU | BPF_AND | BPF_K
	opcJa     = 0x05 // BPF_JMP | BPF_JA
	opcJeqK   = 0x15
	opcJgtK   = 0x25
	opcJgeK   = 0x35
	opcJsetK  = 0x45
	opcRetK   = 0x06 // BPF_RET | BPF_K
)

// word is the 32-bit word of struct seccomp_data at off, as the kernel
// loads it: the u64 fields (instruction pointer, arguments) hold the ABI's
// byte order, so the low half of an argument sits at the lower offset on a
// little-endian ABI and at the higher one on a big-endian ABI.
func word(off, audit, nr uint32, args [systab.MaxArgs]uint64) (uint32, bool) {
	switch {
	case off == offNr:
		return nr, true
	case off == offArch:
		return audit, true
	case off == 8 || off == 12:
		return 0, true // instruction_pointer: unknown here, zero
	case off >= offArgs && off < offArgs+8*systab.MaxArgs && off%4 == 0:
		a := args[(off-offArgs)/8]
		low := (off-offArgs)%8 == 0
		if audit&auditArchLE == 0 {
			low = !low
		}
		if low {
			return uint32(a), true
		}
		return uint32(a >> 32), true
	}
	return 0, false
}

// Execute runs a seccomp program on one call, as the kernel would, and
// returns the SECCOMP_RET_* value and how many instructions ran. It knows
// the instructions seccomp compilers emit (word loads of seccomp_data, AND
// with a constant, constant jumps, RET with a constant).
func Execute(prog []bpf.RawInstruction, audit, nr uint32, args [systab.MaxArgs]uint64) (ret uint32, steps int, err error) {
	var a uint32
	for pc := 0; pc < len(prog); pc++ {
		in := prog[pc]
		steps++
		switch in.Op {
		case opcLdWAbs:
			v, ok := word(in.K, audit, nr, args)
			if !ok {
				return 0, steps, fmt.Errorf("execute: instruction %d loads offset %d", pc, in.K)
			}
			a = v
		case opcAndK:
			a &= in.K
		case opcJa:
			pc += int(in.K)
		case opcJeqK, opcJgtK, opcJgeK, opcJsetK:
			if cmp(in.Op, a, in.K) {
				pc += int(in.Jt)
			} else {
				pc += int(in.Jf)
			}
		case opcRetK:
			return in.K, steps, nil
		default:
			return 0, steps, fmt.Errorf("execute: instruction %d: opcode %#x not supported", pc, in.Op)
		}
	}
	return 0, steps, fmt.Errorf("execute: ran off the end of the program")
}

func cmp(op uint16, a, k uint32) bool {
	switch op {
	case opcJeqK:
		return a == k
	case opcJgtK:
		return a > k
	case opcJgeK:
		return a >= k
	}
	return a&k != 0
}

// ActionCacheAllows emulates the kernel's seccomp_is_const_allow
// (kernel/seccomp.c, Linux 5.11 and later): true when the program reaches
// RET ALLOW for this arch and nr whatever the arguments, through loads of nr
// or arch, AND with a constant and constant jumps only. The kernel then
// answers such calls from a bitmap without running the filter.
func ActionCacheAllows(prog []bpf.RawInstruction, audit, nr uint32) bool {
	var a uint32
	for pc := 0; pc < len(prog); pc++ {
		in := prog[pc]
		switch in.Op {
		case opcLdWAbs:
			switch in.K {
			case offNr:
				a = nr
			case offArch:
				a = audit
			default:
				return false
			}
		case opcAndK:
			a &= in.K
		case opcJa:
			pc += int(in.K)
		case opcJeqK, opcJgtK, opcJgeK, opcJsetK:
			if cmp(in.Op, a, in.K) {
				pc += int(in.Jt)
			} else {
				pc += int(in.Jf)
			}
		case opcRetK:
			return in.K == RetAllow
		default:
			return false
		}
	}
	return false
}

// WorstPath is the most instructions any input can execute: the longest
// path through the program, RET included.
func WorstPath(prog []bpf.RawInstruction) int {
	depth := make([]int, len(prog)+1)
	for pc := len(prog) - 1; pc >= 0; pc-- {
		in := prog[pc]
		next := func(off int) int {
			if t := pc + 1 + off; t <= len(prog) {
				return depth[t]
			}
			return 0
		}
		d := 0
		switch in.Op {
		case opcRetK:
		case opcJa:
			d = next(int(in.K))
		case opcJeqK, opcJgtK, opcJgeK, opcJsetK:
			d = max(next(int(in.Jt)), next(int(in.Jf)))
		default:
			d = next(0)
		}
		depth[pc] = d + 1
	}
	if len(prog) == 0 {
		return 0
	}
	return depth[0]
}

// Stats summarises a compiled program for the profile it came from.
type Stats struct {
	// Length is the number of instructions.
	Length int
	// Cacheable is how many syscall numbers of the profile's native and
	// compat ABIs (not x32) the kernel's action cache answers without
	// running the filter.
	Cacheable int
	// Mean is the mean number of instructions a call executes, weighted by
	// the profile's counts (each syscall a rule names weighs one call when
	// the profile has none), with every argument zero. MeanCached counts
	// the calls the action cache answers as zero.
	Mean, MeanCached float64
	// Weighted says whether Mean used the profile's counts.
	Weighted bool
	// Worst is the most instructions any call executes.
	Worst int
}

// Stats measures prog, compiled from p.
func (prog *Program) Stats(p *profiles.Profile) (Stats, error) {
	raw, err := prog.Raw()
	if err != nil {
		return Stats{}, err
	}
	s := Stats{Length: len(raw), Worst: WorstPath(raw)}
	arches, err := resolveArches(p)
	if err != nil {
		return Stats{}, err
	}
	for _, a := range arches {
		if a.NrBase != 0 {
			continue
		}
		for nr := uint32(0); nr <= a.MaxNr(); nr++ {
			if ActionCacheAllows(raw, a.Audit, nr) {
				s.Cacheable++
			}
		}
	}
	weights := map[string]uint64{}
	if len(p.Counts) > 0 {
		s.Weighted = true
		for n, c := range p.Counts {
			weights[n] = c
		}
	} else {
		for _, r := range p.Syscalls {
			for _, n := range r.Names {
				weights[n] = 1
			}
		}
	}
	var total, sum, sumCached float64
	for _, name := range sortedKeys(weights) {
		w := float64(weights[name])
		for _, a := range arches {
			nr, ok := a.Nr(name)
			if !ok {
				continue
			}
			_, steps, err := Execute(raw, a.Audit, nr, [systab.MaxArgs]uint64{})
			if err != nil {
				return Stats{}, err
			}
			total += w
			sum += w * float64(steps)
			if !ActionCacheAllows(raw, a.Audit, nr) {
				sumCached += w * float64(steps)
			}
			break
		}
	}
	if total > 0 {
		s.Mean, s.MeanCached = sum/total, sumCached/total
	}
	return s, nil
}
