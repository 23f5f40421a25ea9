//go:build !linux

package unix

import "golang.org/x/net/bpf"

// Seccomp filter flags (linux/seccomp.h).
const (
	SeccompFilterFlagTsync       = 1
	SeccompFilterFlagLog         = 2
	SeccompFilterFlagNewListener = 8
)

// SetNoNewPrivs is not supported off Linux.
func SetNoNewPrivs() error { return ErrNotSupported }

// InstallFilter is not supported off Linux.
func InstallFilter(prog []bpf.RawInstruction, flags uintptr) (int, error) { return -1, ErrNotSupported }
