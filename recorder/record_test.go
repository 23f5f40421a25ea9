//go:build linux

package recorder

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/internal/testutil"
	"github.com/profile-dev/profile/trace"
)

func record(t *testing.T, opts Options) *Result {
	t.Helper()
	var log bytes.Buffer
	if opts.Backend == "" {
		opts.Backend = BackendTrace // these are the trace backend's tests; ebpf_test.go has the eBPF ones
	}
	if opts.Log == nil {
		opts.Log = &log
	}
	res, err := Record(context.Background(), opts)
	if err != nil {
		t.Fatalf("Record(%q): %v", opts.Argv, err)
	}
	if testing.Verbose() {
		t.Logf("log:\n%s", log.String())
	}
	return res
}

// calls returns the calls to a syscall (by name, on an arch).
func calls(tr *trace.Trace, arch *systab.Arch, name string) []trace.Call {
	nr, ok := arch.Nr(name)
	if !ok {
		return nil
	}
	var out []trace.Call
	for _, c := range tr.Calls {
		if c.Arch == arch.Name && c.Nr == nr {
			out = append(out, c)
		}
	}
	return out
}

func count(cs []trace.Call) uint64 {
	var n uint64
	for _, c := range cs {
		n += c.Count
	}
	return n
}

func TestShellPipeline(t *testing.T) {
	var out bytes.Buffer
	res := record(t, Options{Argv: []string{"sh", "-c", "ls / | sort | head -n 3"}, Stdout: &out})
	tr := res.Trace
	if res.ExitStatus != 0 || !tr.Complete {
		t.Fatalf("exit %d, complete %v, gaps %q", res.ExitStatus, tr.Complete, tr.Gaps)
	}
	if n := bytes.Count(out.Bytes(), []byte("\n")); n != 3 {
		t.Errorf("stdout has %d lines, want 3: %q", n, out.String())
	}
	x := systab.X86_64
	if got := count(calls(tr, x, "execve")); got < 4 {
		t.Errorf("%d execve calls, want at least 4 (sh, ls, sort, head)", got)
	}
	for _, alts := range [][]string{{"pipe", "pipe2"}, {"dup2", "dup3"}, {"wait4", "waitid"}, {"clone", "clone3", "fork", "vfork"}} {
		var n uint64
		for _, name := range alts {
			n += count(calls(tr, x, name))
		}
		if n == 0 {
			t.Errorf("no call to any of %v", alts)
		}
	}
	if tr.Provenance.Backend != "trace" || tr.Provenance.Kernel == "" || tr.Provenance.Machine == "" || tr.Provenance.Start.IsZero() || tr.Provenance.End.Before(tr.Provenance.Start) {
		t.Errorf("provenance %+v", tr.Provenance)
	}
	_ = os.Stdout
}

func self(t *testing.T) string {
	t.Helper()
	p, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// hasCall reports whether the trace holds name(args...) on arch, the given
// leading arguments matching.
func hasCall(tr *trace.Trace, arch *systab.Arch, name string, args ...uint64) bool {
	for _, c := range calls(tr, arch, name) {
		ok := c.ArgMask == trace.AllArgs
		for i, a := range args {
			ok = ok && c.Args[i] == a
		}
		if ok {
			return true
		}
	}
	return false
}

func TestThreads(t *testing.T) {
	res := record(t, Options{Argv: []string{self(t), helperArg, "threads"}})
	if res.ExitStatus != 0 {
		t.Fatalf("helper exited %d", res.ExitStatus)
	}
	for i := range helperThreads {
		if !hasCall(res.Trace, systab.X86_64, "getpriority", uint64(threadWhoBase+i), prioUser) {
			t.Errorf("thread %d's getpriority(%#x, %d) is not in the trace", i, threadWhoBase+i, prioUser)
		}
	}
}

// TestTree: a fork/exec chain three levels deep, the deepest process making
// a call nobody else makes, from a second thread.
func TestTree(t *testing.T) {
	res := record(t, Options{Argv: []string{self(t), helperArg, "tree", "3"}})
	if res.ExitStatus != 0 {
		t.Fatalf("helper exited %d", res.ExitStatus)
	}
	if !hasCall(res.Trace, systab.X86_64, "getpriority", grandchildWho, prioUser) {
		t.Errorf("the great-grandchild thread's getpriority(%#x, %d) is not in the trace", grandchildWho, prioUser)
	}
	if n := count(calls(res.Trace, systab.X86_64, "execve")); n != 4 {
		t.Errorf("%d execve calls, want 4", n)
	}
}

// TestX32: a call with the x32 bit is recorded as x32, whether or not the
// kernel runs x32 programs.
func TestX32(t *testing.T) {
	res := record(t, Options{Argv: []string{self(t), helperArg, "x32"}})
	if !hasCall(res.Trace, systab.X32, "getpriority", x32Who, prioUser) {
		t.Errorf("x32 getpriority(%#x, %d) is not in the trace", x32Who, prioUser)
	}
	if hasCall(res.Trace, systab.X86_64, "getpriority", x32Who, prioUser) {
		t.Errorf("the x32 call was recorded as x86_64")
	}
}

// TestI386: a call through int 0x80 is recorded on the i386 ABI. Where the
// kernel runs no i386 code (int 0x80 faults), the recording must agree:
// the same SIGSEGV and no i386 call.
func TestI386(t *testing.T) {
	p := i386Prog(t)
	native := exec.Command(p).Run()
	res := record(t, Options{Argv: []string{p}})
	seen := hasCall(res.Trace, systab.I386, "getpriority", grandchildWho, prioUser)
	if native == nil {
		if res.ExitStatus != 0 || !seen {
			t.Errorf("exit %d, i386 getpriority seen: %v; want 0 and true", res.ExitStatus, seen)
		}
		return
	}
	t.Logf("no i386 ABI here: %v", native)
	if res.ExitStatus != 128+int(syscall.SIGSEGV) || seen {
		t.Errorf("exit %d, i386 call seen: %v; natively %v", res.ExitStatus, seen, native)
	}
}

func TestExitStatus(t *testing.T) {
	for _, c := range []struct {
		name   string
		script string
		want   int
	}{
		{"exit 0", "exit 0", 0},
		{"exit 7", "exit 7", 7},
		{"SIGTERM", "kill -TERM $$", 128 + int(syscall.SIGTERM)},
		{"SIGKILL", "kill -KILL $$", 128 + int(syscall.SIGKILL)},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := record(t, Options{Argv: []string{"sh", "-c", c.script}})
			if res.ExitStatus != c.want || res.Trace.Provenance.ExitStatus != c.want {
				t.Errorf("exit status %d (provenance %d), want %d", res.ExitStatus, res.Trace.Provenance.ExitStatus, c.want)
			}
			if !res.Trace.Complete {
				t.Errorf("incomplete: %q", res.Trace.Gaps)
			}
		})
	}
}

func TestStdio(t *testing.T) {
	var out, errOut bytes.Buffer
	res := record(t, Options{
		Argv:  []string{"sh", "-c", `read x; echo "got $x"; echo oops >&2`},
		Stdin: strings.NewReader("hello\n"), Stdout: &out, Stderr: &errOut,
	})
	if res.ExitStatus != 0 || out.String() != "got hello\n" || errOut.String() != "oops\n" {
		t.Errorf("exit %d, stdout %q, stderr %q", res.ExitStatus, out.String(), errOut.String())
	}
}

// TestStdioFiles: *os.File streams reach the workload as they are.
func TestStdioFiles(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res := record(t, Options{Argv: []string{"sh", "-c", "readlink /proc/self/fd/1"}, Stdout: f})
	b, _ := os.ReadFile(f.Name())
	if res.ExitStatus != 0 || strings.TrimSpace(string(b)) != f.Name() {
		t.Errorf("exit %d; the workload's stdout is %q, want %q", res.ExitStatus, b, f.Name())
	}
}

func TestCommandErrors(t *testing.T) {
	notExec, garbage := testutil.UnrunnableFiles(t)
	for _, c := range []struct {
		name string
		argv []string
		want error
	}{
		{"not found", []string{"no-such-command-for-profile"}, ErrCommandNotFound},
		// Found and executable, but execve fails (ENOEXEC) under the filter.
		{"not a program", []string{garbage}, ErrNotExecutable},
		{"no such path", []string{"/no/such/file"}, ErrCommandNotFound},
		{"not executable", []string{notExec}, ErrNotExecutable},
	} {
		t.Run(c.name, func(t *testing.T) {
			opts := Options{Argv: c.argv, Backend: BackendTrace}
			res, err := Record(context.Background(), opts)
			if !errors.Is(err, c.want) || res != nil {
				t.Errorf("Record(%q) = %v, %v; want %v", c.argv, res, err, c.want)
			}
		})
	}
}

// readyWriter closes ready on the first write.
type readyWriter struct {
	once  sync.Once
	ready chan struct{}
}

func (w *readyWriter) Write(p []byte) (int, error) {
	w.once.Do(func() { close(w.ready) })
	return len(p), nil
}

// TestSignalRelay: SIGTERM to the recorder reaches the workload, and the
// trace says the recording was interrupted.
func TestSignalRelay(t *testing.T) {
	w := &readyWriter{ready: make(chan struct{})}
	go func() {
		<-w.ready
		syscall.Kill(os.Getpid(), syscall.SIGTERM)
	}()
	start := time.Now()
	res := record(t, Options{Argv: []string{"sh", "-c", "echo ready; exec sleep 20"}, Stdout: w})
	if res.ExitStatus != 128+int(syscall.SIGTERM) {
		t.Errorf("exit status %d, want %d", res.ExitStatus, 128+int(syscall.SIGTERM))
	}
	if res.Trace.Complete || len(res.Trace.Gaps) == 0 {
		t.Errorf("complete %v, gaps %q; want an interrupted recording", res.Trace.Complete, res.Trace.Gaps)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v", d)
	}
}

// TestCancel: cancelling kills the whole tree, background children
// included, and still returns what was seen.
func TestCancel(t *testing.T) {
	w := &readyWriter{ready: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-w.ready
		cancel()
	}()
	start := time.Now()
	res, err := Record(ctx, Options{Argv: []string{"sh", "-c", "sleep 31.25 & sleep 31.5 & echo ready; wait"}, Stdout: w, Backend: BackendTrace})
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v", d)
	}
	if res.Trace.Complete || !hasCall(res.Trace, systab.X86_64, "execve") {
		t.Errorf("complete %v, gaps %q, %d calls", res.Trace.Complete, res.Trace.Gaps, len(res.Trace.Calls))
	}
	if res.ExitStatus != 128+int(syscall.SIGKILL) {
		t.Errorf("exit status %d, want %d", res.ExitStatus, 128+int(syscall.SIGKILL))
	}
	for _, arg := range []string{"31.25", "31.5"} {
		if pids := findProcs("sleep", arg); len(pids) > 0 {
			t.Errorf("sleep %s survives as %v", arg, pids)
		}
	}
}

// findProcs lists the processes running argv0 with the given argument.
func findProcs(argv0, arg string) []string {
	ents, _ := os.ReadDir("/proc")
	var out []string
	for _, e := range ents {
		b, err := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		if err != nil {
			continue
		}
		f := strings.Split(strings.TrimRight(string(b), "\x00"), "\x00")
		if len(f) == 2 && filepath.Base(f[0]) == argv0 && f[1] == arg {
			out = append(out, e.Name())
		}
	}
	return out
}

// TestOrphan: a descendant that outlives the main process is waited for,
// and its calls are recorded.
func TestOrphan(t *testing.T) {
	start := time.Now()
	res := record(t, Options{Argv: []string{"sh", "-c", `(sleep 0.3; exec "$0" helper tree 0) & exit 5`, self(t)}})
	if res.ExitStatus != 5 || !res.Trace.Complete {
		t.Errorf("exit %d, complete %v, gaps %q", res.ExitStatus, res.Trace.Complete, res.Trace.Gaps)
	}
	if !hasCall(res.Trace, systab.X86_64, "getpriority", grandchildWho, prioUser) {
		t.Errorf("the orphan's getpriority(%#x, %d) is not in the trace", grandchildWho, prioUser)
	}
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Errorf("the recording ended after %v, before the orphan could", d)
	}
}

// TestRecorderDies: when the recording process is killed outright, no
// process of the workload survives it: the trace backend's reaper ends the
// tree, the eBPF backend's cgroup guard (started after guardAfter) the
// cgroup.
func TestRecorderDies(t *testing.T) {
	for _, c := range []struct {
		backend string
		wait    time.Duration // before the kill
	}{{BackendTrace, 0}, {BackendEBPF, guardAfter + 300*time.Millisecond}} {
		t.Run(c.backend, func(t *testing.T) {
			if c.backend == BackendEBPF && os.Geteuid() != 0 {
				testutil.Skip(t, "the eBPF recorder needs root")
			}
			child, main := "32.75", "32.5"
			cmd := exec.Command(self(t), helperArg, "record", c.backend, "sh", "-c", "sleep "+child+" & echo ready; exec sleep "+main)
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			line, err := bufio.NewReader(stdout).ReadString('\n')
			if err != nil || line != "ready\n" {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("read %q, %v", line, err)
			}
			for start := time.Now(); len(findProcs("sleep", main)) == 0 || len(findProcs("sleep", child)) == 0; {
				if time.Since(start) > 5*time.Second {
					t.Fatal("the workload's sleeps never showed up")
				}
				time.Sleep(5 * time.Millisecond)
			}
			time.Sleep(c.wait)
			cmd.Process.Kill()
			cmd.Wait()
			deadline := time.Now().Add(5 * time.Second)
			for {
				left := append(findProcs("sleep", main), findProcs("sleep", child)...)
				if len(left) == 0 {
					return
				}
				if time.Now().After(deadline) {
					for _, p := range left {
						if pid, err := strconv.Atoi(p); err == nil {
							syscall.Kill(pid, syscall.SIGKILL)
						}
					}
					t.Fatalf("processes survive the recorder: %v", left)
				}
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
}

// TestPollMode records through the path kernels before 6.6 take.
func TestPollMode(t *testing.T) {
	res := record(t, Options{Argv: []string{self(t), helperArg, "tree", "2"}, pollOnly: true})
	if res.ExitStatus != 0 || !res.Trace.Complete {
		t.Fatalf("exit %d, complete %v, gaps %q", res.ExitStatus, res.Trace.Complete, res.Trace.Gaps)
	}
	if !hasCall(res.Trace, systab.X86_64, "getpriority", grandchildWho, prioUser) {
		t.Errorf("the grandchild thread's getpriority(%#x, %d) is not in the trace", grandchildWho, prioUser)
	}
}
