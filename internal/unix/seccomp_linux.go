package unix

import (
	"fmt"
	"runtime"
	"unsafe"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// Seccomp filter flags (linux/seccomp.h).
const (
	SeccompFilterFlagTsync       = unix.SECCOMP_FILTER_FLAG_TSYNC
	SeccompFilterFlagLog         = unix.SECCOMP_FILTER_FLAG_LOG
	SeccompFilterFlagNewListener = unix.SECCOMP_FILTER_FLAG_NEW_LISTENER
)

// SetNoNewPrivs sets PR_SET_NO_NEW_PRIVS on the calling thread, which an
// unprivileged task needs before it may install a filter.
func SetNoNewPrivs() error {
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		return fmt.Errorf("prctl(PR_SET_NO_NEW_PRIVS): %w", err)
	}
	return nil
}

// InstallFilter loads a classic BPF program as a seccomp filter on the
// calling thread (all threads with SeccompFilterFlagTsync). It returns the
// new listener fd when flags asks for one, else -1.
//
// The caller should hold runtime.LockOSThread: a filter installed without
// TSYNC applies to this OS thread only.
func InstallFilter(prog []bpf.RawInstruction, flags uintptr) (int, error) {
	if len(prog) == 0 || len(prog) > 0xffff {
		return -1, fmt.Errorf("seccomp filter: %d instructions", len(prog))
	}
	filter := make([]unix.SockFilter, len(prog))
	for i, ins := range prog {
		filter[i] = unix.SockFilter{Code: ins.Op, Jt: ins.Jt, Jf: ins.Jf, K: ins.K}
	}
	fprog := unix.SockFprog{Len: uint16(len(filter)), Filter: &filter[0]}
	r, _, errno := unix.RawSyscall(unix.SYS_SECCOMP, unix.SECCOMP_SET_MODE_FILTER, flags, uintptr(unsafe.Pointer(&fprog)))
	runtime.KeepAlive(filter)
	if errno != 0 {
		return -1, fmt.Errorf("seccomp(SECCOMP_SET_MODE_FILTER): %w", errno)
	}
	if flags&SeccompFilterFlagNewListener != 0 {
		return int(r), nil
	}
	return -1, nil
}
