package unix

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Seccomp return actions and user-notification flags (linux/seccomp.h).
const (
	SeccompRetKillProcess = unix.SECCOMP_RET_KILL_PROCESS
	SeccompRetErrno       = unix.SECCOMP_RET_ERRNO
	SeccompRetUserNotif   = unix.SECCOMP_RET_USER_NOTIF
	SeccompRetAllow       = unix.SECCOMP_RET_ALLOW

	// SeccompUserNotifFlagContinue in a response lets the notified call run
	// as if the filter had allowed it.
	SeccompUserNotifFlagContinue = unix.SECCOMP_USER_NOTIF_FLAG_CONTINUE
	// SeccompUserNotifFdSyncWakeUp (Linux 6.6) asks the kernel to wake the
	// supervisor and the notified task synchronously, on the same CPU when it
	// can: it roughly halves the cost of a round trip.
	SeccompUserNotifFdSyncWakeUp = unix.SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
)

// The ioctls on a seccomp listener. x/sys has the numbers; the structs they
// carry are defined below and checked against the sizes the numbers encode.
const (
	ioctlNotifRecv     = unix.SECCOMP_IOCTL_NOTIF_RECV
	ioctlNotifSend     = unix.SECCOMP_IOCTL_NOTIF_SEND
	ioctlNotifIDValid  = unix.SECCOMP_IOCTL_NOTIF_ID_VALID
	ioctlNotifSetFlags = unix.SECCOMP_IOCTL_NOTIF_SET_FLAGS
)

// SeccompData is struct seccomp_data: what a filter sees of a call.
type SeccompData struct {
	Nr                 int32
	Arch               uint32
	InstructionPointer uint64
	Args               [6]uint64
}

// SeccompNotif is struct seccomp_notif, one notified call. Pid is the
// calling thread's id in the listener's pid namespace.
type SeccompNotif struct {
	ID    uint64
	Pid   uint32
	Flags uint32
	Data  SeccompData
}

// SeccompNotifResp is struct seccomp_notif_resp, the answer to a
// notification.
type SeccompNotifResp struct {
	ID    uint64
	Val   int64
	Error int32
	Flags uint32
}

// SeccompNotifSizes is struct seccomp_notif_sizes, the sizes the running
// kernel uses.
type SeccompNotifSizes struct {
	Notif     uint16
	NotifResp uint16
	Data      uint16
}

// GetNotifSizes asks the kernel for its notification struct sizes
// (SECCOMP_GET_NOTIF_SIZES).
func GetNotifSizes() (SeccompNotifSizes, error) {
	var s SeccompNotifSizes
	_, _, errno := unix.Syscall(unix.SYS_SECCOMP, unix.SECCOMP_GET_NOTIF_SIZES, 0, uintptr(unsafe.Pointer(&s)))
	if errno != 0 {
		return s, fmt.Errorf("seccomp(SECCOMP_GET_NOTIF_SIZES): %w", errno)
	}
	return s, nil
}

func ioctlPtr(fd int, req uint, p unsafe.Pointer) error {
	_, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), uintptr(req), uintptr(p))
	if errno != 0 {
		return errno
	}
	return nil
}

// NotifRecv waits for the next notification on a listener. It zeroes n
// first, as the kernel requires. The error is a bare syscall.Errno so
// callers can branch on ENOENT (the task went away before it was received)
// and EINTR.
func NotifRecv(fd int, n *SeccompNotif) error {
	*n = SeccompNotif{}
	return ioctlPtr(fd, ioctlNotifRecv, unsafe.Pointer(n))
}

// NotifSend answers a notification. ENOENT means the task is gone or was
// interrupted by a signal (it will be notified again if the call restarts).
func NotifSend(fd int, r *SeccompNotifResp) error {
	return ioctlPtr(fd, ioctlNotifSend, unsafe.Pointer(r))
}

// NotifIDValid reports (by a nil error) whether a notification is still
// pending.
func NotifIDValid(fd int, id uint64) error {
	return ioctlPtr(fd, ioctlNotifIDValid, unsafe.Pointer(&id))
}

// NotifSetFlags sets listener flags (SeccompUserNotifFdSyncWakeUp). Kernels
// before 6.6 answer EINVAL.
func NotifSetFlags(fd int, flags uint64) error {
	_, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), ioctlNotifSetFlags, uintptr(flags))
	if errno != 0 {
		return fmt.Errorf("ioctl(SECCOMP_IOCTL_NOTIF_SET_FLAGS): %w", errno)
	}
	return nil
}

// PollFd is struct pollfd.
type PollFd = unix.PollFd

// Poll events.
const (
	POLLIN   = unix.POLLIN
	POLLHUP  = unix.POLLHUP
	POLLERR  = unix.POLLERR
	POLLNVAL = unix.POLLNVAL
)

// Poll waits for events on fds; timeout is in milliseconds, -1 for ever.
func Poll(fds []PollFd, timeout int) (int, error) {
	return unix.Poll(fds, timeout)
}

// ioctlSize is the argument size an ioctl number encodes (_IOC_SIZE).
func ioctlSize(req uint) uintptr { return uintptr(req>>16) & 0x3fff }
