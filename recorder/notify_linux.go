package recorder

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"sort"
	"strconv"
	"sync"
	"syscall"
	"time"

	"golang.org/x/net/bpf"

	"github.com/profile-dev/profile/emit/compile"
	"github.com/profile-dev/profile/internal/shim"
	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/internal/unix"
	"github.com/profile-dev/profile/trace"
)

// How long to wait for the listener's POLLHUP after the tree was killed, or
// after the reaper ended, before giving up with a gap.
const (
	killGrace   = 10 * time.Second
	reaperGrace = 2 * time.Second
)

// recordNotify records with seccomp user notification.
func recordNotify(ctx context.Context, path string, opts Options) (*Result, error) {
	t := &trace.Trace{Version: trace.Version, Complete: true, Provenance: trace.Provenance{
		Command: append([]string(nil), opts.Argv...), Backend: BackendTrace, Start: time.Now().UTC(), ExitStatus: -1,
	}}
	if rel, mach, err := unix.Uname(); err == nil {
		t.Provenance.Kernel, t.Provenance.Machine = rel, mach
	}
	// Catch the forwarded signals before the workload exists, so none is
	// lost or kills us and leaves the tree behind.
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)

	r, err := shim.StartRecord(path, opts.Argv, shim.Stdio{Stdin: opts.Stdin, Stdout: opts.Stdout, Stderr: opts.Stderr}, opts.Filter)
	if err != nil {
		return nil, fmt.Errorf("record: %w", err)
	}
	lfd, err := r.Listener()
	if err != nil {
		r.KillTree()
		r.Wait()
		return nil, fmt.Errorf("record: %w", err)
	}
	s := newSupervisor(lfd, opts)
	reaped := make(chan reaperExit, 1)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() { s.watch(ctx, r, sigs, stop) })
	wg.Go(func() {
		status, err := r.Wait()
		reaped <- reaperExit{status, err}
		s.giveUpAfter(reaperGrace, "the reaper ended before every task holding the filter was gone")
	})

	served := make(chan struct{})
	go func() {
		defer close(served)
		s.loop()
	}()
	select {
	case <-served:
		syscall.Close(lfd)
	case <-s.abandoned:
		// The loop may be blocked in a receive that only a task's call or
		// the last task's exit can end; it closes the listener itself then.
		go func() {
			<-served
			syscall.Close(lfd)
		}()
	}
	close(stop)
	wg.Wait()
	re := <-reaped
	if errors.Is(re.err, shim.ErrShim) || errors.Is(re.err, ErrNotExecutable) || errors.Is(re.err, ErrCommandNotFound) {
		return nil, fmt.Errorf("record: %w", re.err)
	}
	if re.err != nil {
		logf(opts.Log, "%v", re.err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t.Provenance.End = time.Now().UTC()
	t.Provenance.ExitStatus = re.status
	t.Calls = s.b.Calls()
	t.Gaps = append([]string(nil), s.gaps...)
	t.Complete = len(t.Gaps) == 0
	logf(opts.Log, "%d distinct calls; %d calls of the shim dropped; exit status %d", len(t.Calls), s.dropped, re.status)
	return &Result{Trace: t, ExitStatus: re.status, Executables: s.executables()}, nil
}

type reaperExit struct {
	status int
	err    error
}

// supervisor answers the listener's notifications and counts them.
type supervisor struct {
	fd  int
	log func(string, ...any)
	// blocking: the kernel (6.6+, the same release as
	// SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) ends a blocked receive when the
	// last task holding the filter is gone, so the loop can skip poll.
	blocking bool

	execve uint32 // the native execve number: the first one starts the recording

	// filter is Options.Filter: every exec call is notified whatever it
	// says, and recorded only if it notifies the call too.
	filter []bpf.RawInstruction
	execs  []shim.ExecCall
	// exeOf caches /proc/PID/exe per task; nil unless Options.Executables.
	exeOf map[uint32]string
	exes  map[exeKey]uint64

	mu          sync.Mutex // guards what follows: Record may read it while an abandoned loop runs on
	b           *trace.Builder
	started     bool
	dropped     int
	gaps        []string
	seenGap     map[string]bool
	giveUp      *time.Timer
	finished    bool
	abandoned   chan struct{}
	abandonOnce sync.Once
}

func newSupervisor(fd int, opts Options) *supervisor {
	s := &supervisor{fd: fd, b: trace.NewBuilder(), seenGap: map[string]bool{}, abandoned: make(chan struct{}),
		log: func(f string, a ...any) { logf(opts.Log, f, a...) }}
	s.execve, _ = systab.Native().Nr("execve")
	s.filter, s.execs = opts.Filter, shim.ExecCalls()
	if opts.Executables {
		s.exeOf, s.exes = map[uint32]string{}, map[exeKey]uint64{}
	}
	if opts.pollOnly {
		s.log("poll mode, as before Linux 6.6")
	} else if err := unix.NotifSetFlags(fd, unix.SeccompUserNotifFdSyncWakeUp); err != nil {
		s.log("the kernel lacks SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (Linux 6.6), recording is slower: %v", err)
	} else {
		s.blocking = true
		s.log("seccomp user notification with synchronous wake-up")
	}
	return s
}

func (s *supervisor) gap(format string, args ...any) {
	g := fmt.Sprintf(format, args...)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addGap(g)
}

func (s *supervisor) addGap(g string) {
	if !s.seenGap[g] {
		s.seenGap[g] = true
		s.gaps = append(s.gaps, g)
	}
}

// giveUpAfter abandons the recording if the filter still has users after d.
func (s *supervisor) giveUpAfter(d time.Duration, why string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.giveUp != nil || s.finished {
		return
	}
	s.giveUp = time.AfterFunc(d, func() {
		s.gap("recording stopped early: %s", why)
		s.abandonOnce.Do(func() { close(s.abandoned) })
	})
}

// watch relays signals to the workload and kills the tree when ctx ends.
func (s *supervisor) watch(ctx context.Context, r *shim.Reaper, sigs <-chan os.Signal, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case sig := <-sigs:
			s.gap("recording interrupted by %v", sig)
			s.log("relaying %v to the workload", sig)
			r.Signal(sig.(syscall.Signal))
		case <-ctx.Done():
			s.gap("recording cancelled (%v); the workload was killed", context.Cause(ctx))
			s.log("cancelled: killing the workload")
			r.KillTree()
			s.giveUpAfter(killGrace, "tasks survived the kill")
			ctx = context.Background() // fire once
		}
	}
}

// loop serves notifications until no task holds the filter. It runs on one
// locked OS thread, so the listener is always read from the same thread
// and the Go scheduler never moves it mid-answer.
func (s *supervisor) loop() {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	defer func() {
		s.mu.Lock()
		s.finished = true
		if s.giveUp != nil {
			s.giveUp.Stop()
		}
		s.mu.Unlock()
	}()
	var n unix.SeccompNotif
	failures := 0
	for !s.idle() {
		if err := s.serve(&n); err != nil {
			if failures++; failures > 100 {
				s.gap("receive notification: %v", err)
				return
			}
		}
	}
}

// idle reports whether the recording is over: no task holds the filter
// (POLLHUP) or it was abandoned. In blocking mode it does not wait: the
// receive does. Otherwise it polls until a notification is ready.
func (s *supervisor) idle() bool {
	fds := []unix.PollFd{{Fd: int32(s.fd), Events: unix.POLLIN}}
	timeout := 100 // ms; only bounds how late abandonment is noticed
	if s.blocking {
		timeout = 0
	}
	for {
		select {
		case <-s.abandoned:
			return true
		default:
		}
		fds[0].Revents = 0
		if _, err := unix.Poll(fds, timeout); err != nil && !errors.Is(err, syscall.EINTR) {
			s.gap("poll the seccomp listener: %v", err)
			return true
		}
		switch ev := fds[0].Revents; {
		case ev&unix.POLLIN != 0:
			return false
		case ev&(unix.POLLHUP|unix.POLLERR|unix.POLLNVAL) != 0:
			return true
		case s.blocking:
			return false
		}
	}
}

// serve receives notifications, counts them and lets the calls run. In
// blocking mode it keeps receiving until a receive fails: ENOENT then means
// a task went away before its call was taken, or that no task holds the
// filter any more, which the caller's poll tells apart.
func (s *supervisor) serve(n *unix.SeccompNotif) error {
	for {
		if err := unix.NotifRecv(s.fd, n); err != nil {
			if errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.EINTR) {
				// The task was killed or interrupted before we took the call:
				// it never ran, or it will be notified again when it restarts.
				return nil
			}
			return err
		}
		s.mu.Lock()
		s.count(n)
		s.mu.Unlock()
		resp := unix.SeccompNotifResp{ID: n.ID, Flags: unix.SeccompUserNotifFlagContinue}
		// ENOENT: the task died or was interrupted while we counted; the
		// call was seen either way.
		unix.NotifSend(s.fd, &resp)
		if !s.blocking {
			return nil
		}
	}
}

// count adds a call to the trace; s.mu is held.
func (s *supervisor) count(n *unix.SeccompNotif) {
	nr := uint32(n.Data.Nr)
	if !s.started {
		// Everything before the shim's execve is the shim's own.
		if n.Data.Arch != systab.Native().Audit || nr != s.execve {
			s.dropped++
			return
		}
		s.started = true
	}
	exec := s.isExec(n.Data.Arch, nr)
	if exec && s.filter != nil && !s.filterNotifies(n) {
		// Notified only by the shim's exec prefix.
		s.execed()
		return
	}
	arch, ok := systab.ArchOf(n.Data.Arch, nr)
	if !ok {
		s.addGap(fmt.Sprintf("calls through unknown audit arch %#x were not recorded", n.Data.Arch))
		return
	}
	k := trace.Key{Arch: arch.Name, Nr: nr, Args: n.Data.Args, ArgMask: trace.AllArgs}
	s.b.Add(k, 1)
	if s.exes != nil {
		s.exes[exeKey{k, s.exe(n.Pid)}]++
	}
	if exec {
		s.execed()
	}
}

func (s *supervisor) isExec(audit, nr uint32) bool {
	for _, e := range s.execs {
		if e.Audit == audit && e.Nr == nr {
			return true
		}
	}
	return false
}

// filterNotifies runs Options.Filter on a call, as the kernel did behind
// the exec prefix. A program the interpreter cannot run counts as
// notifying: a call too many in the trace is safer than one too few.
func (s *supervisor) filterNotifies(n *unix.SeccompNotif) bool {
	ret, _, err := compile.Execute(s.filter, n.Data.Arch, uint32(n.Data.Nr), n.Data.Args)
	if err != nil {
		s.log("run the filter on an exec call: %v", err)
		return true
	}
	return ret&retActionFull == compile.RetUserNotif
}

// retActionFull is SECCOMP_RET_ACTION_FULL: a return value without its data.
const retActionFull = 0xffff0000

type exeKey struct {
	call trace.Key
	path string
}

// exe is the executable of a task, read once per task and image.
func (s *supervisor) exe(pid uint32) string {
	if p, ok := s.exeOf[pid]; ok {
		return p
	}
	p, err := os.Readlink("/proc/" + strconv.FormatUint(uint64(pid), 10) + "/exe")
	if err != nil {
		return "?" // not cached: a later call may read it
	}
	s.exeOf[pid] = p
	return p
}

// execed forgets every cached executable. Not only the caller's: when a
// thread other than the leader execs, it takes over the leader's id, and
// the other threads' ids are gone (and may be reused). The call was
// notified before it ran, so the next call of the task reads the new image
// (or the same one, if the exec failed).
func (s *supervisor) execed() {
	if s.exeOf != nil {
		clear(s.exeOf)
	}
}

// executables returns Result.Executables, sorted; s.mu is held.
func (s *supervisor) executables() []Executable {
	if s.exes == nil {
		return nil
	}
	out := make([]Executable, 0, len(s.exes))
	for k, c := range s.exes {
		out = append(out, Executable{Call: k.call, Path: k.path, Count: c})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Call != b.Call {
			return keyLess(a.Call, b.Call)
		}
		return a.Path < b.Path
	})
	return out
}

// keyLess orders calls as trace.Sort does.
func keyLess(a, b trace.Key) bool {
	calls := []trace.Call{{Arch: a.Arch, Nr: a.Nr, Args: a.Args, ArgMask: a.ArgMask}, {Arch: b.Arch, Nr: b.Nr, Args: b.Args, ArgMask: b.ArgMask}}
	trace.Sort(calls)
	return calls[0].Key() == a && a != b
}
