package ebpf

import (
	"errors"
	"fmt"

	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/trace"
)

// Sentinels callers branch on.
var (
	// ErrNotSupported: this kernel or platform cannot run the recorder
	// (no BTF, no tp_btf, not linux/amd64, locked down).
	ErrNotSupported = fmt.Errorf("eBPF recording not supported: %w", errors.ErrUnsupported)
	// ErrPermission: the kernel refused for lack of privilege (CAP_BPF and
	// CAP_PERFMON, or root, are needed).
	ErrPermission = errors.New("eBPF recording needs CAP_BPF and CAP_PERFMON (or root)")
)

// Default map sizes.
const (
	DefaultMaxCalls = 65536
	DefaultMaxProcs = 16384
)

// Config says how much to keep and which arguments to capture.
type Config struct {
	// Capture returns which argument positions to keep for calls of this
	// number on this ABI (zero: count the calls only). Nil keeps all six.
	Capture func(a *systab.Arch, nr uint32) trace.ArgMask
	// MaxCalls bounds the distinct (arch, nr, args) the kernel keeps;
	// 0 means DefaultMaxCalls.
	MaxCalls int
	// MaxProcs bounds the processes followed in process mode; 0 means
	// DefaultMaxProcs.
	MaxProcs int
	// ForceCORE records with the CO-RE program (tp_btf, typed access
	// relocated against the parsed kernel BTF) even where the raw one
	// (raw_tracepoint, layouts read from the BTF in one pass) would do:
	// for tests, which hold both to the same results.
	ForceCORE bool
}

// Target selects the tasks to record: exactly one of Cgroup and PID.
type Target struct {
	// Cgroup records every task in this cgroup v2 directory and below.
	Cgroup string
	// PID records this process and, from now on, its descendants.
	PID int
	// WaitExec drops every call until the first native execve, which
	// starts the recording (for a command started into Cgroup).
	WaitExec bool
}

// Stats is a snapshot of what the kernel has counted.
type Stats struct {
	// Calls is the number of calls recorded.
	Calls uint64
	// CallDrops counts calls whose arguments the full call map could not
	// hold; ProcDrops processes the full process set could not hold;
	// ReadFails calls whose task or registers could not be read.
	CallDrops, ProcDrops, ReadFails uint64
	// BeforeStart counts calls dropped before the first execve.
	BeforeStart uint64
}

// Dropped reports whether anything was lost.
func (s Stats) Dropped() uint64 { return s.CallDrops + s.ProcDrops + s.ReadFails }
