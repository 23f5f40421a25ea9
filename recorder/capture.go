package recorder

import (
	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/trace"
)

// uncaptured are frequent syscalls none of whose arguments a profile ever
// constrains: descriptors, buffers, lengths, timeouts, or no argument at
// all. The eBPF backend counts them by number only, which keeps its
// per-call cost and its kernel map small; generalisation constrains flags
// and enums only, so the learnt profile is the same.
var uncaptured = map[string]bool{
	"read": true, "write": true, "pread64": true, "pwrite64": true, "readv": true, "writev": true,
	"preadv": true, "pwritev": true, "preadv2": true, "pwritev2": true, "close": true, "lseek": true,
	"_llseek": true, "fstat": true, "fstat64": true, "getdents64": true, "brk": true, "munmap": true,
	"getpid": true, "getppid": true, "gettid": true, "getuid": true, "geteuid": true, "getgid": true,
	"getegid": true, "sched_yield": true, "nanosleep": true, "gettimeofday": true, "time": true,
	"restart_syscall": true, "rt_sigreturn": true, "exit": true, "exit_group": true,
	"epoll_wait": true, "epoll_pwait": true, "poll": true, "ppoll": true, "select": true, "pselect6": true,
}

// partlyCaptured keeps only the listed positions of very frequent syscalls
// whose other arguments are addresses and values: futex's op (a command
// with flags) but not its address, value or timeout.
var partlyCaptured = map[string]trace.ArgMask{
	"futex": 1 << 1,
}

// CaptureMask says which arguments of a call the eBPF backend keeps: for
// a syscall the argument table describes, every declared argument that is
// not a pointer (registers it does not read are noise, and an address is
// never constrained: what it points to can change after a filter looked);
// for the frequent syscalls above, fewer or none; for anything the tables
// do not describe, all six. Without this, every distinct buffer address
// would be a distinct call, and a workload of many short processes fills any
// bounded map. The trace backend keeps all six of every call (its cost is
// the round trip, not the arguments, and its map is unbounded).
func CaptureMask(a *systab.Arch, nr uint32) trace.ArgMask {
	name, ok := a.SyscallName(nr)
	if !ok {
		return trace.AllArgs
	}
	if uncaptured[name] {
		return 0
	}
	if m, ok := partlyCaptured[name]; ok {
		return m
	}
	args := systab.Args(a, name)
	if args == nil {
		return trace.AllArgs
	}
	var m trace.ArgMask
	for i, arg := range args {
		if !arg.Pointer {
			m |= 1 << i
		}
	}
	return m
}
