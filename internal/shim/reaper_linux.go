package shim

import (
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/profile-dev/profile/internal/unix"
)

// The reaper talks to the recorder over a SOCK_SEQPACKET socket, one message
// per packet:
//
//	reaper -> recorder: "L" + SCM_RIGHTS(listener)   the seccomp listener
//	                    "E <code> <message>"           the exec shim failed
//	                    "X <status>"                   the main process's exit status
//	recorder -> reaper: "K <signo>"                    forward a signal
//	                    end of file                    kill the whole tree
const (
	msgListener = 'L'
	msgError    = 'E'
	msgExit     = 'X'
	msgKill     = 'K'
)

// forwardedSignals are the signals the recorder relays to the workload and
// the reaper watches for arriving directly (from the terminal).
var forwardedSignals = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP}

// reaper is the record shim's first stage; fd 3 is the control socket.
func reaper() int {
	ctl, err := controlConn(os.NewFile(3, "control"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "profile: reaper:", err)
		return exitShimFailed
	}
	r := &reaperState{ctl: ctl, direct: map[syscall.Signal]time.Time{}}
	// Catch the terminal's signals before the child exists, so none kills
	// the reaper (and orphans the tree). Caught signals revert to their
	// default in the exec'd child.
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, forwardedSignals...)
	signal.Notify(make(chan os.Signal, 1), syscall.SIGQUIT)
	go r.watchSignals(sigs)
	if err := r.start(); err != nil {
		r.send(fmt.Sprintf("%c %d %v", msgError, exitShimFailed, err))
		return exitShimFailed
	}
	go r.readControl()
	r.reap()
	return 0
}

type reaperState struct {
	ctl   *net.UnixConn
	pid   int
	pidfd int

	errText  chan string   // what the exec shim wrote on its error pipe
	stopFind chan struct{} // closed when the main process is reaped
	findDone chan struct{}

	mu     sync.Mutex
	direct map[syscall.Signal]time.Time // last time a signal came to us directly
}

func controlConn(f *os.File) (*net.UnixConn, error) {
	defer f.Close()
	c, err := net.FileConn(f)
	if err != nil {
		return nil, fmt.Errorf("control socket: %w", err)
	}
	uc, ok := c.(*net.UnixConn)
	if !ok {
		c.Close()
		return nil, fmt.Errorf("control socket: %T is not a unix socket", c)
	}
	return uc, nil
}

func (r *reaperState) send(msg string, fds ...int) {
	var oob []byte
	if len(fds) > 0 {
		oob = syscall.UnixRights(fds...)
	}
	// A failed send means the recorder is gone; readControl then kills the
	// tree.
	r.ctl.WriteMsgUnix([]byte(msg), oob, nil)
}

// start makes us the subreaper of the tree and starts the exec shim.
func (r *reaperState) start() error {
	if err := unix.SetChildSubreaper(); err != nil {
		return err
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		return fmt.Errorf("error pipe: %w", err)
	}
	path := os.Getenv(envPath)
	env := append(workloadEnv(), envMode+"="+modeRecordExec, envPath+"="+path)
	files := []uintptr{0, 1, 2, errW.Fd()}
	if os.Getenv(envFilter) != "" {
		// fd 4 carries the program from the recorder straight to the exec
		// shim.
		env = append(env, envFilter+"=1")
		files = append(files, 4)
		defer syscall.Close(4)
	}
	pid, err := syscall.ForkExec("/proc/self/exe", append([]string{shimArgv0}, os.Args[1:]...), &syscall.ProcAttr{
		Env:   env,
		Files: files,
		// The main process dies with us; the rest of the tree we kill.
		Sys: &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL},
	})
	errW.Close()
	if err != nil {
		errR.Close()
		return fmt.Errorf("start exec shim: %w", err)
	}
	r.pid = pid
	if r.pidfd, err = unix.PidfdOpen(pid); err != nil {
		syscall.Kill(pid, syscall.SIGKILL)
		return err
	}
	r.errText = make(chan string, 1)
	go func() {
		b, _ := io.ReadAll(errR)
		errR.Close()
		r.errText <- string(b)
	}()
	r.stopFind, r.findDone = make(chan struct{}), make(chan struct{})
	go r.findListener()
	return nil
}

// findListener waits for the exec shim's listener to appear in its fd
// table, duplicates it and hands it over. The shim cannot announce it: once
// its filter is installed, every call it makes waits for a supervisor.
func (r *reaperState) findListener() {
	defer close(r.findDone)
	delay := 20 * time.Microsecond
	for {
		select {
		case <-r.stopFind:
			return
		default:
		}
		if n, err := unix.FindSeccompListener(r.pid); err == nil && n >= 0 {
			fd, err := unix.PidfdGetfd(r.pidfd, n)
			if err != nil {
				r.send(fmt.Sprintf("%c %d take listener: %v", msgError, exitShimFailed, err))
				syscall.Kill(r.pid, syscall.SIGKILL)
				return
			}
			r.send(string(msgListener), fd)
			syscall.Close(fd)
			return
		}
		time.Sleep(delay)
		delay = min(2*delay, time.Millisecond)
	}
}

// reap collects every descendant until none is left, reporting the main
// process's exit when it comes.
func (r *reaperState) reap() {
	for {
		var ws syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &ws, 0, nil)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return // ECHILD: the tree is gone
		}
		if pid != r.pid {
			continue
		}
		close(r.stopFind)
		<-r.findDone
		status := ExitStatus(ws)
		if text := <-r.errText; text != "" {
			r.send(fmt.Sprintf("%c %d %s", msgError, status, text))
		}
		r.send(fmt.Sprintf("%c %d", msgExit, status))
	}
}

// readControl obeys the recorder until it closes the socket or dies, then
// kills the tree.
func (r *reaperState) readControl() {
	buf := make([]byte, 64)
	for {
		n, _, _, _, err := r.ctl.ReadMsgUnix(buf, nil)
		if err != nil || n == 0 {
			killTree()
			return
		}
		msg := string(buf[:n])
		if msg[0] == msgKill {
			if sig, err := strconv.Atoi(strings.TrimSpace(msg[1:])); err == nil {
				go r.forward(syscall.Signal(sig))
			}
		}
	}
}

// watchSignals notes the signals that reach the reaper directly. A terminal
// sends SIGINT to the whole foreground process group, so the workload
// already has it: the recorder's relayed copy must not make a second one.
func (r *reaperState) watchSignals(ch <-chan os.Signal) {
	for s := range ch {
		r.mu.Lock()
		r.direct[s.(syscall.Signal)] = time.Now()
		r.mu.Unlock()
	}
}

func (r *reaperState) forward(sig syscall.Signal) {
	// Give a group-wide signal time to reach us directly too.
	time.Sleep(20 * time.Millisecond)
	r.mu.Lock()
	t, ok := r.direct[sig]
	r.mu.Unlock()
	if ok && time.Since(t) < time.Second {
		return
	}
	unix.PidfdSendSignal(r.pidfd, sig)
}

// killTree SIGKILLs every live descendant until none is left. Killed
// processes' children are reparented to us (the subreaper), so repeated
// passes reach the whole tree; once the recorder is gone the workload cannot
// fork any more (its calls fail for want of a supervisor), so this ends.
func killTree() {
	self := os.Getpid()
	for range 2000 {
		pids := descendants(self)
		if len(pids) == 0 {
			return
		}
		for _, p := range pids {
			syscall.Kill(p, syscall.SIGKILL)
		}
		time.Sleep(time.Millisecond)
	}
}

// descendants lists the live (non-zombie) processes below root.
func descendants(root int) []int {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	children := map[int][]int{}
	live := map[int]bool{}
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		ppid, state, ok := procStat(pid)
		if !ok {
			continue
		}
		children[ppid] = append(children[ppid], pid)
		live[pid] = state != 'Z' && state != 'X'
	}
	var out []int
	queue := []int{root}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, c := range children[p] {
			if live[c] {
				out = append(out, c)
			}
			queue = append(queue, c)
		}
	}
	return out
}

// procStat reads a process's parent and state from /proc/PID/stat. The
// command name may hold spaces and parentheses, so fields are counted from
// the last ')'.
func procStat(pid int) (ppid int, state byte, ok bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, 0, false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, 0, false
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 2 {
		return 0, 0, false
	}
	ppid, err = strconv.Atoi(f[1])
	return ppid, f[0][0], err == nil
}
