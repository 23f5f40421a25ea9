package recorder

import (
	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/trace"
)

// CaptureMask says which arguments of a call the eBPF backend keeps:
// those a profile can constrain at some level (systab.ArgInfo.Learnable:
// flags, enums, signals, modes, ids), and all six of a number the tables do
// not know. Addresses, descriptors, lengths and plain values are dropped:
// generalisation never constrains them, and kept they would make every
// process's mprotect(addr, len) or arch_prctl(ARCH_SET_FS, addr) a new
// distinct call, so a workload of many short processes would cost a map
// insertion per call and fill any bounded map. The trace backend keeps all
// six of every call (its cost is the round trip, not the arguments, and its
// map is unbounded).
func CaptureMask(a *systab.Arch, nr uint32) trace.ArgMask {
	m, known := systab.LearnableArgs(a, nr)
	if !known {
		return trace.AllArgs
	}
	return trace.ArgMask(m)
}
