package unix

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"unsafe"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// PidfdOpen returns a pidfd for a process.
func PidfdOpen(pid int) (int, error) {
	fd, err := unix.PidfdOpen(pid, 0)
	if err != nil {
		return -1, fmt.Errorf("pidfd_open(%d): %w", pid, err)
	}
	unix.CloseOnExec(fd)
	return fd, nil
}

// PidfdGetfd duplicates another process's file descriptor into this one
// (close-on-exec). It needs ptrace access to the target: same user and, under
// Yama, a descendant.
func PidfdGetfd(pidfd, targetfd int) (int, error) {
	fd, err := unix.PidfdGetfd(pidfd, targetfd, 0)
	if err != nil {
		return -1, fmt.Errorf("pidfd_getfd(%d): %w", targetfd, err)
	}
	return fd, nil
}

// PidfdSendSignal sends a signal through a pidfd: unlike kill(2) it cannot
// hit a new process that reused the pid.
func PidfdSendSignal(pidfd int, sig syscall.Signal) error {
	if err := unix.PidfdSendSignal(pidfd, unix.Signal(sig), nil, 0); err != nil {
		return fmt.Errorf("pidfd_send_signal: %w", err)
	}
	return nil
}

// SeccompListenerLink is what /proc/PID/fd/N reads for a seccomp listener.
const SeccompListenerLink = "anon_inode:seccomp notify"

// FindSeccompListener returns the number of a seccomp listener fd in a
// process's table, or -1 when it has none (yet).
func FindSeccompListener(pid int) (int, error) {
	dir := "/proc/" + strconv.Itoa(pid) + "/fd"
	ents, err := os.ReadDir(dir)
	if err != nil {
		return -1, fmt.Errorf("list fds: %w", err)
	}
	for _, e := range ents {
		link, err := os.Readlink(dir + "/" + e.Name())
		if err != nil || link != SeccompListenerLink {
			continue // closed meanwhile, or another kind of fd
		}
		n, err := strconv.Atoi(e.Name())
		if err == nil {
			return n, nil
		}
	}
	return -1, nil
}

// SetChildSubreaper makes the calling process the reaper of its orphaned
// descendants (PR_SET_CHILD_SUBREAPER).
func SetChildSubreaper() error {
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		return fmt.Errorf("prctl(PR_SET_CHILD_SUBREAPER): %w", err)
	}
	return nil
}

// CapSysAdmin is CAP_SYS_ADMIN's bit number.
const CapSysAdmin = unix.CAP_SYS_ADMIN

// HasEffectiveCap reports whether the calling process has a capability in
// its effective set (read from /proc/self/status, which needs no syscall
// wrapper).
func HasEffectiveCap(capability int) (bool, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return false, fmt.Errorf("capabilities: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		v, ok := strings.CutPrefix(sc.Text(), "CapEff:")
		if !ok {
			continue
		}
		mask, err := strconv.ParseUint(strings.TrimSpace(v), 16, 64)
		if err != nil {
			return false, fmt.Errorf("capabilities: %w", err)
		}
		return mask&(1<<capability) != 0, nil
	}
	return false, errors.New("capabilities: no CapEff in /proc/self/status")
}

// Uname returns the kernel release and the machine name.
func Uname() (release, machine string, err error) {
	var u unix.Utsname
	if err := unix.Uname(&u); err != nil {
		return "", "", fmt.Errorf("uname: %w", err)
	}
	return unix.ByteSliceToString(u.Release[:]), unix.ByteSliceToString(u.Machine[:]), nil
}

// Exec is an execve prepared in advance, so that the call itself needs no
// allocation and no other syscall.
type Exec struct {
	path *byte
	argv []*byte
	envv []*byte
}

// PrepareExec converts path, argv and env for a later execve.
func PrepareExec(path string, argv, env []string) (*Exec, error) {
	p, err := syscall.BytePtrFromString(path)
	if err != nil {
		return nil, fmt.Errorf("exec %s: %w", path, err)
	}
	a, err := syscall.SlicePtrFromStrings(argv)
	if err != nil {
		return nil, fmt.Errorf("exec %s: argv: %w", path, err)
	}
	e, err := syscall.SlicePtrFromStrings(env)
	if err != nil {
		return nil, fmt.Errorf("exec %s: environment: %w", path, err)
	}
	return &Exec{path: p, argv: a, envv: e}, nil
}

func (e *Exec) raw() syscall.Errno {
	_, _, errno := unix.RawSyscall(unix.SYS_EXECVE, uintptr(unsafe.Pointer(e.path)),
		uintptr(unsafe.Pointer(&e.argv[0])), uintptr(unsafe.Pointer(&e.envv[0])))
	return errno
}

// InstallFilterAndExec installs a seccomp filter on the calling thread and
// execs at once: between the two syscalls it makes no other call, allocates
// nothing and does not enter the scheduler, so a filter that denies
// everything but execve still lets the workload start. It returns only on
// error. The caller must hold runtime.LockOSThread and should have set
// no_new_privs.
//
// With SeccompFilterFlagNewListener the listener fd is left open (it is
// close-on-exec, so the new program does not inherit it) for a supervisor
// to take with pidfd_getfd.
func InstallFilterAndExec(prog []bpf.RawInstruction, flags uintptr, e *Exec) error {
	if len(prog) == 0 || len(prog) > 0xffff {
		return fmt.Errorf("seccomp filter: %d instructions", len(prog))
	}
	filter := make([]unix.SockFilter, len(prog))
	for i, ins := range prog {
		filter[i] = unix.SockFilter{Code: ins.Op, Jt: ins.Jt, Jf: ins.Jf, K: ins.K}
	}
	fprog := unix.SockFprog{Len: uint16(len(filter)), Filter: &filter[0]}
	// A fresh time slice makes an asynchronous preemption signal (whose
	// rt_sigreturn the filter would see) between the two calls unlikely.
	runtime.Gosched()
	_, _, errno := unix.RawSyscall(unix.SYS_SECCOMP, unix.SECCOMP_SET_MODE_FILTER, flags, uintptr(unsafe.Pointer(&fprog)))
	if errno != 0 {
		return fmt.Errorf("seccomp(SECCOMP_SET_MODE_FILTER): %w", errno)
	}
	errno = e.raw()
	runtime.KeepAlive(filter)
	runtime.KeepAlive(e)
	return fmt.Errorf("execve: %w", errno)
}
