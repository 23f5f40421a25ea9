//go:build !linux

package unix

import (
	"syscall"

	"golang.org/x/net/bpf"
)

// PidfdOpen is not supported off Linux.
func PidfdOpen(pid int) (int, error) { return -1, ErrNotSupported }

// PidfdGetfd is not supported off Linux.
func PidfdGetfd(pidfd, targetfd int) (int, error) { return -1, ErrNotSupported }

// PidfdSendSignal is not supported off Linux.
func PidfdSendSignal(pidfd int, sig syscall.Signal) error { return ErrNotSupported }

// SeccompListenerLink is what /proc/PID/fd/N reads for a seccomp listener.
const SeccompListenerLink = "anon_inode:seccomp notify"

// FindSeccompListener is not supported off Linux.
func FindSeccompListener(pid int) (int, error) { return -1, ErrNotSupported }

// SetChildSubreaper is not supported off Linux.
func SetChildSubreaper() error { return ErrNotSupported }

// CapSysAdmin is CAP_SYS_ADMIN's bit number.
const CapSysAdmin = 21

// HasEffectiveCap is not supported off Linux.
func HasEffectiveCap(capability int) (bool, error) { return false, ErrNotSupported }

// Uname is not supported off Linux.
func Uname() (release, machine string, err error) { return "", "", ErrNotSupported }

// Exec is an execve prepared in advance.
type Exec struct{}

// PrepareExec is not supported off Linux.
func PrepareExec(path string, argv, env []string) (*Exec, error) { return nil, ErrNotSupported }

// InstallFilterAndExec is not supported off Linux.
func InstallFilterAndExec(prog []bpf.RawInstruction, flags uintptr, e *Exec) error {
	return ErrNotSupported
}
