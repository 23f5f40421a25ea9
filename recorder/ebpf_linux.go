package recorder

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/profile-dev/profile/internal/shim"
	"github.com/profile-dev/profile/internal/unix"
	"github.com/profile-dev/profile/recorder/ebpf"
	"github.com/profile-dev/profile/trace"
)

// How often the eBPF backend looks at the workload (the cgroup's
// populated state, the process set) and reports progress.
const (
	ebpfPoll     = 10 * time.Millisecond
	ebpfProgress = time.Second
	// guardAfter is how long a command recording runs before a guard is
	// started for its cgroup.
	guardAfter = time.Second
)

func newEBPFTrace(argv []string) *trace.Trace {
	t := &trace.Trace{Version: trace.Version, Complete: true, Provenance: trace.Provenance{
		Command: append([]string(nil), argv...), Backend: BackendEBPF, Start: time.Now().UTC(), ExitStatus: -1,
	}}
	if rel, mach, err := unix.Uname(); err == nil {
		t.Provenance.Kernel, t.Provenance.Machine = rel, mach
	}
	return t
}

func ebpfConfig(opts Options) ebpf.Config {
	return ebpf.Config{Capture: CaptureMask, MaxCalls: opts.ebpfMaxCalls, MaxProcs: opts.ebpfMaxProcs}
}

// recordEBPF runs a command in a fresh cgroup v2 that the program selects
// by id. An *unavailableError means nothing ran and the caller may fall back.
func recordEBPF(ctx context.Context, path string, opts Options) (*Result, error) {
	cg, err := ebpf.NewCgroup("profile-record")
	if err != nil {
		return nil, &unavailableError{err}
	}
	defer func() {
		if err := cg.Remove(); err != nil {
			logf(opts.Log, "%v", err)
		}
	}()
	r, err := ebpf.Open(ebpfConfig(opts), ebpf.Target{Cgroup: cg.Path, WaitExec: true})
	if err != nil {
		return nil, &unavailableError{err}
	}
	defer r.Close()
	logf(opts.Log, "backend %s: %s, selecting cgroup %s", BackendEBPF, r.Program(), cg.Path)

	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)

	t := newEBPFTrace(opts.Argv)
	cmd := exec.Command(path, opts.Argv[1:]...)
	cmd.Args = opts.Argv
	cmd.Stdin, cmd.Stdout, cmd.Stderr = opts.Stdin, opts.Stdout, opts.Stderr
	if cmd.Stdin == nil {
		cmd.Stdin = os.Stdin
	}
	if cmd.Stdout == nil {
		cmd.Stdout = os.Stdout
	}
	if cmd.Stderr == nil {
		cmd.Stderr = os.Stderr
	}
	// Into the cgroup from the first instruction (clone3 CLONE_INTO_CGROUP);
	// the main process dies with us.
	cmd.SysProcAttr = &syscall.SysProcAttr{UseCgroupFD: true, CgroupFD: cg.FD(), Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, startError(path, err)
	}
	exited := make(chan int, 1)
	go func() {
		cmd.Wait()
		exited <- exitStatusOf(cmd.ProcessState)
	}()
	// Should this process be killed outright, a guard ends what is left of
	// the workload. It is started once the recording has run for a second:
	// a guard is a Go process whose ~10 ms of start-up competes with the
	// workload, a few per cent of a sub-second command.
	var guard *shim.Guard
	guardTried := false
	defer func() {
		if guard != nil {
			guard.Release()
		}
	}()

	w := ebpfWatch{r: r, opts: opts, start: time.Now()}
	status := -1
	mainDone := false
	tick := time.NewTicker(ebpfPoll)
	defer tick.Stop()
loop:
	for {
		select {
		case status = <-exited:
			mainDone = true
		case sig := <-sigs:
			t.Gaps = appendGap(t.Gaps, fmt.Sprintf("recording interrupted by %v", sig))
			if sig != syscall.SIGINT || !stdinIsTerminal(opts) {
				// A terminal's Ctrl-C already reached the workload, which is
				// in our foreground process group; anything else is relayed.
				cmd.Process.Signal(sig)
			}
		case <-ctx.Done():
			t.Gaps = appendGap(t.Gaps, fmt.Sprintf("recording cancelled (%v); the workload was killed", context.Cause(ctx)))
			cg.Kill()
			ctx = context.Background() // fire once
		case <-tick.C:
			w.progress()
			if !guardTried && time.Since(w.start) > guardAfter {
				guardTried = true
				var err error
				if guard, err = shim.StartCgroupGuard(cg.Path); err != nil {
					logf(opts.Log, "no guard for the workload's cgroup: %v", err)
					guard = nil
				}
			}
		}
		if mainDone {
			// Descendants that outlive the main process are waited for, as
			// strace -f does.
			if pop, err := cg.Populated(); err != nil || !pop {
				break loop
			}
		}
	}
	return finishEBPF(r, t, status, opts)
}

// recordAttached records a running process tree or cgroup until Duration
// passes, a signal comes, ctx ends, or (for a pid) the tree is gone.
func recordAttached(ctx context.Context, opts Options) (*Result, error) {
	target := ebpf.Target{PID: opts.PID, Cgroup: opts.Cgroup}
	var argv []string
	what := "cgroup " + opts.Cgroup
	if opts.PID != 0 {
		argv = cmdline(opts.PID)
		what = fmt.Sprintf("process %d (%s) and its descendants", opts.PID, strings.Join(argv, " "))
	}
	r, err := ebpf.Open(ebpfConfig(opts), target)
	if err != nil {
		return nil, fmt.Errorf("record: backend %s: %w", BackendEBPF, wrapUnsupported(err))
	}
	defer r.Close()
	logf(opts.Log, "backend %s: %s, attached to %s; calls made before now are not in the trace", BackendEBPF, r.Program(), what)

	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)
	var timeout <-chan time.Time
	if opts.Duration > 0 {
		timer := time.NewTimer(opts.Duration)
		defer timer.Stop()
		timeout = timer.C
	}
	t := newEBPFTrace(argv)
	w := ebpfWatch{r: r, opts: opts, start: time.Now()}
	tick := time.NewTicker(ebpfPoll)
	defer tick.Stop()
	for done := false; !done; {
		select {
		case <-timeout:
			logf(opts.Log, "duration %v reached", opts.Duration)
			done = true
		case sig := <-sigs:
			logf(opts.Log, "%v: ending the recording", sig)
			done = true
		case <-ctx.Done():
			t.Gaps = appendGap(t.Gaps, fmt.Sprintf("recording cancelled (%v)", context.Cause(ctx)))
			done = true
		case <-tick.C:
			w.progress()
			if opts.PID != 0 {
				if n, err := r.Tracked(); err == nil && n == 0 {
					logf(opts.Log, "process %d and its descendants are gone", opts.PID)
					done = true
				}
			}
		}
	}
	return finishEBPF(r, t, -1, opts)
}

func finishEBPF(r *ebpf.Recorder, t *trace.Trace, status int, opts Options) (*Result, error) {
	if err := r.Detach(); err != nil {
		logf(opts.Log, "detach: %v", err)
	}
	calls, gaps, err := r.Calls()
	if err != nil {
		return nil, fmt.Errorf("record: %w", err)
	}
	st, _ := r.Counters()
	t.Provenance.End = time.Now().UTC()
	t.Provenance.ExitStatus = status
	t.Calls = calls
	for _, g := range gaps {
		t.Gaps = appendGap(t.Gaps, g)
	}
	t.Complete = len(t.Gaps) == 0
	logf(opts.Log, "%d calls, %d distinct; %d calls before the first execve dropped; %d dropped (no room, or unreadable); exit status %d",
		st.Calls, len(calls), st.BeforeStart, st.Dropped(), status)
	return &Result{Trace: t, ExitStatus: status}, nil
}

// ebpfWatch reports progress about once a second.
type ebpfWatch struct {
	r     *ebpf.Recorder
	opts  Options
	start time.Time
	last  time.Time
}

func (w *ebpfWatch) progress() {
	if w.opts.Progress == nil || time.Since(w.last) < ebpfProgress {
		return
	}
	w.last = time.Now()
	st, distinct, err := w.r.Stats()
	if err != nil {
		return
	}
	w.opts.Progress(Progress{Elapsed: time.Since(w.start), Calls: st.Calls, Distinct: distinct, Dropped: st.Dropped()})
}

func appendGap(gaps []string, g string) []string {
	for _, have := range gaps {
		if have == g {
			return gaps
		}
	}
	return append(gaps, g)
}

// wrapUnsupported marks errors that mean "not on this kernel or with these
// privileges" with ErrNotSupported.
func wrapUnsupported(err error) error {
	if errors.Is(err, ebpf.ErrNotSupported) || errors.Is(err, ebpf.ErrPermission) {
		return fmt.Errorf("%w: %w", ErrNotSupported, err)
	}
	return err
}

func startError(path string, err error) error {
	switch {
	case errors.Is(err, syscall.ENOENT):
		return fmt.Errorf("record: %w: %s", ErrCommandNotFound, path)
	case errors.Is(err, syscall.EACCES), errors.Is(err, syscall.ENOEXEC), errors.Is(err, syscall.EISDIR):
		return fmt.Errorf("record: %w: %s", ErrNotExecutable, path)
	}
	return fmt.Errorf("record: start: %w", err)
}

func exitStatusOf(ps *os.ProcessState) int {
	if ps == nil {
		return -1
	}
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ps.ExitCode()
}

// stdinIsTerminal: the workload shares our terminal, so a Ctrl-C reaches it
// directly.
func stdinIsTerminal(opts Options) bool {
	f, ok := opts.Stdin.(*os.File)
	if opts.Stdin == nil {
		f, ok = os.Stdin, true
	}
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// cmdline is a process's command line, for the trace's provenance.
func cmdline(pid int) []string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	if err != nil || len(b) == 0 {
		return []string{"pid " + strconv.Itoa(pid)}
	}
	return strings.Split(strings.TrimRight(string(b), "\x00"), "\x00")
}
