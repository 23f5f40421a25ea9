//go:build !linux

package unix

// Seccomp return actions and user-notification flags (linux/seccomp.h).
const (
	SeccompRetKillProcess        = 0x80000000
	SeccompRetErrno              = 0x00050000
	SeccompRetUserNotif          = 0x7fc00000
	SeccompRetAllow              = 0x7fff0000
	SeccompUserNotifFlagContinue = 1
	SeccompUserNotifFdSyncWakeUp = 1
)

// SeccompData is struct seccomp_data.
type SeccompData struct {
	Nr                 int32
	Arch               uint32
	InstructionPointer uint64
	Args               [6]uint64
}

// SeccompNotif is struct seccomp_notif.
type SeccompNotif struct {
	ID    uint64
	Pid   uint32
	Flags uint32
	Data  SeccompData
}

// SeccompNotifResp is struct seccomp_notif_resp.
type SeccompNotifResp struct {
	ID    uint64
	Val   int64
	Error int32
	Flags uint32
}

// SeccompNotifSizes is struct seccomp_notif_sizes.
type SeccompNotifSizes struct {
	Notif     uint16
	NotifResp uint16
	Data      uint16
}

// GetNotifSizes is not supported off Linux.
func GetNotifSizes() (SeccompNotifSizes, error) { return SeccompNotifSizes{}, ErrNotSupported }

// NotifRecv is not supported off Linux.
func NotifRecv(fd int, n *SeccompNotif) error { return ErrNotSupported }

// NotifSend is not supported off Linux.
func NotifSend(fd int, r *SeccompNotifResp) error { return ErrNotSupported }

// NotifIDValid is not supported off Linux.
func NotifIDValid(fd int, id uint64) error { return ErrNotSupported }

// NotifSetFlags is not supported off Linux.
func NotifSetFlags(fd int, flags uint64) error { return ErrNotSupported }

// PollFd is struct pollfd.
type PollFd struct {
	Fd      int32
	Events  int16
	Revents int16
}

// Poll events.
const (
	POLLIN   = 0x1
	POLLERR  = 0x8
	POLLHUP  = 0x10
	POLLNVAL = 0x20
)

// Poll is not supported off Linux.
func Poll(fds []PollFd, timeout int) (int, error) { return 0, ErrNotSupported }
