//go:build linux && amd64

package recorder

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/internal/testutil"
	"github.com/profile-dev/profile/recorder/ebpf"
	"github.com/profile-dev/profile/trace"
)

// recordBPF records with the eBPF backend, skipping (or failing, in CI)
// only when the kernel refused to load or attach the program.
func recordBPF(t *testing.T, ctx context.Context, opts Options) *Result {
	t.Helper()
	var log bytes.Buffer
	if opts.Log == nil {
		opts.Log = &log
	}
	opts.Backend = BackendEBPF
	res, err := Record(ctx, opts)
	if err != nil {
		testutil.SkipIfNotPermitted(t, err)
	}
	if testing.Verbose() {
		t.Logf("log:\n%s", log.String())
	}
	if res.Trace.Provenance.Backend != BackendEBPF {
		t.Fatalf("backend %q, want ebpf", res.Trace.Provenance.Backend)
	}
	return res
}

// hasCapturedCall finds a call whose first len(args) arguments were
// captured and equal args.
func hasCapturedCall(tr *trace.Trace, arch *systab.Arch, name string, args ...uint64) bool {
	for _, c := range calls(tr, arch, name) {
		ok := true
		for i, a := range args {
			ok = ok && c.ArgMask.Has(i) && c.Args[i] == a
		}
		if ok {
			return true
		}
	}
	return false
}

func mustComplete(t *testing.T, res *Result) {
	t.Helper()
	if res.ExitStatus != 0 || !res.Trace.Complete {
		t.Fatalf("exit %d, complete %v, gaps %q", res.ExitStatus, res.Trace.Complete, res.Trace.Gaps)
	}
}

func TestEBPFThreads(t *testing.T) {
	res := recordBPF(t, context.Background(), Options{Argv: []string{self(t), helperArg, "threads"}})
	mustComplete(t, res)
	for i := range helperThreads {
		if !hasCapturedCall(res.Trace, systab.X86_64, "getpriority", uint64(threadWhoBase+i)) {
			t.Errorf("thread %d's getpriority(%#x, %d) is not in the trace", i, threadWhoBase+i, prioUser)
		}
	}
	if n := count(calls(res.Trace, systab.X86_64, "execve")); n != 1 {
		t.Errorf("%d execve, want 1: the starter's calls before it must be dropped", n)
	}
}

func TestEBPFTree(t *testing.T) {
	res := recordBPF(t, context.Background(), Options{Argv: []string{self(t), helperArg, "tree", "3"}})
	mustComplete(t, res)
	if !hasCapturedCall(res.Trace, systab.X86_64, "getpriority", grandchildWho) {
		t.Errorf("the great-grandchild thread's getpriority is not in the trace")
	}
	if n := count(calls(res.Trace, systab.X86_64, "execve")); n != 4 {
		t.Errorf("%d execve, want 4 (three levels below the first)", n)
	}
}

func TestEBPFX32(t *testing.T) {
	res := recordBPF(t, context.Background(), Options{Argv: []string{self(t), helperArg, "x32"}})
	mustComplete(t, res)
	if !hasCapturedCall(res.Trace, systab.X32, "getpriority", x32Who) {
		t.Errorf("the x32 getpriority(%#x, %d) is not in the trace as x32:\n%v", x32Who, prioUser, calls(res.Trace, systab.X32, "getpriority"))
	}
	if hasCapturedCall(res.Trace, systab.X86_64, "getpriority", x32Who) {
		t.Errorf("the x32 call was also recorded as x86_64")
	}
}

func TestEBPFExitStatusAndOrphans(t *testing.T) {
	start := time.Now()
	res := recordBPF(t, context.Background(), Options{Argv: []string{"sh", "-c", `(sleep 0.3; exec "$0" helper tree 0) & exit 5`, self(t)}})
	if res.ExitStatus != 5 || !res.Trace.Complete {
		t.Errorf("exit %d, complete %v, gaps %q", res.ExitStatus, res.Trace.Complete, res.Trace.Gaps)
	}
	if !hasCapturedCall(res.Trace, systab.X86_64, "getpriority", grandchildWho) {
		t.Errorf("the orphan's getpriority is not in the trace")
	}
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Errorf("the recording ended after %v, before the orphan could", d)
	}
}

func TestEBPFCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	go func() {
		bufio.NewReader(pr).ReadString('\n')
		cancel()
		io.Copy(io.Discard, pr)
	}()
	res := recordBPF(t, ctx, Options{Argv: []string{"sh", "-c", "sleep 30 & echo ready; wait"}, Stdout: pw})
	pw.Close()
	if res.Trace.Complete || len(res.Trace.Gaps) == 0 {
		t.Errorf("a cancelled recording is complete: %+v", res.Trace.Gaps)
	}
	if res.ExitStatus != 128+int(syscall.SIGKILL) {
		t.Errorf("exit %d, want SIGKILL's", res.ExitStatus)
	}
}

// attachLog signals when the recorder has attached.
type attachLog struct {
	attached chan struct{}
	buf      bytes.Buffer
}

func (l *attachLog) Write(p []byte) (int, error) {
	if bytes.Contains(p, []byte("attached to")) {
		close(l.attached)
	}
	return l.buf.Write(p)
}

// TestEBPFAttachPID attaches to a shell that started before the recording
// and forks a 2-level tree after it.
func TestEBPFAttachPID(t *testing.T) {
	sh := exec.Command("sh", "-c", `read go; "$0" helper tree 1; "$0" helper x32`, self(t))
	in, err := sh.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := sh.Start(); err != nil {
		t.Fatal(err)
	}
	defer sh.Wait()
	defer sh.Process.Kill()
	waitExec(t, sh.Process.Pid, "sh")
	log := &attachLog{attached: make(chan struct{})}
	go func() {
		select {
		case <-log.attached:
			in.Write([]byte("go\n"))
		case <-time.After(20 * time.Second):
		}
		in.Close()
	}()
	res := recordBPF(t, context.Background(), Options{PID: sh.Process.Pid, Log: log})
	if !res.Trace.Complete {
		t.Fatalf("gaps %q", res.Trace.Gaps)
	}
	if res.Trace.Provenance.Command[0] != "sh" {
		t.Errorf("command %q, want sh's", res.Trace.Provenance.Command)
	}
	if !hasCapturedCall(res.Trace, systab.X86_64, "getpriority", grandchildWho) {
		t.Errorf("the grandchild's getpriority is not in the trace")
	}
	if !hasCapturedCall(res.Trace, systab.X32, "getpriority", x32Who) {
		t.Errorf("the second child's x32 getpriority is not in the trace")
	}
	if n := count(calls(res.Trace, systab.X86_64, "execve")); n != 3 {
		t.Errorf("%d execve, want 3 (tree 1, its child, x32)", n)
	}
	if n := count(calls(res.Trace, systab.X86_64, "read")); n == 0 {
		t.Errorf("sh's read of the go line is not in the trace")
	}
}

// waitExec waits until pid runs the named program: between fork and exec,
// /proc shows the parent's command line, or none.
func waitExec(t *testing.T, pid int, name string) {
	t.Helper()
	for start := time.Now(); time.Since(start) < 10*time.Second; time.Sleep(time.Millisecond) {
		if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid)); err == nil && strings.HasPrefix(string(b), name+"\x00") {
			return
		}
	}
	t.Fatalf("process %d never ran %s", pid, name)
}

// TestEBPFCgroup records a cgroup holding two unrelated processes, not
// started by the recorder, for a fixed duration.
func TestEBPFCgroup(t *testing.T) {
	cg, err := ebpf.NewCgroup("profile-test")
	testutil.SkipIfNotPermitted(t, err)
	defer cg.Remove()
	var ins []io.WriteCloser
	var cmds []*exec.Cmd
	for _, mode := range []string{"threads", "x32"} {
		c := exec.Command("sh", "-c", `read go; exec "$0" helper `+mode, self(t))
		c.SysProcAttr = &syscall.SysProcAttr{UseCgroupFD: true, CgroupFD: cg.FD(), Setsid: true}
		in, err := c.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		defer c.Process.Kill()
		ins, cmds = append(ins, in), append(cmds, c)
	}
	log := &attachLog{attached: make(chan struct{})}
	go func() {
		<-log.attached
		for _, in := range ins {
			in.Write([]byte("go\n"))
			in.Close()
		}
	}()
	// An unrelated process outside the cgroup makes the same call.
	outside := exec.Command(self(t), helperArg, "x32")
	res := recordBPF(t, context.Background(), Options{Cgroup: cg.Path, Duration: 1500 * time.Millisecond, Log: &ctxLog{log, outside}})
	for _, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Errorf("%v: %v", c.Args, err)
		}
	}
	if !res.Trace.Complete {
		t.Fatalf("gaps %q", res.Trace.Gaps)
	}
	for i := range helperThreads {
		if !hasCapturedCall(res.Trace, systab.X86_64, "getpriority", uint64(threadWhoBase+i)) {
			t.Errorf("thread %d's getpriority is not in the trace", i)
		}
	}
	if n := count(calls(res.Trace, systab.X32, "getpriority")); n != 1 {
		t.Errorf("%d x32 getpriority calls, want 1: the one inside the cgroup", n)
	}
}

// ctxLog is an attachLog that also runs a process outside the cgroup once
// the recording is attached.
type ctxLog struct {
	*attachLog
	outside *exec.Cmd
}

func (l *ctxLog) Write(p []byte) (int, error) {
	n, err := l.attachLog.Write(p)
	if bytes.Contains(p, []byte("attached to")) {
		l.outside.Run()
	}
	return n, err
}

// TestEBPFManyCallsAndProcesses: 10M calls and 1,000 short-lived processes,
// counted exactly.
func TestEBPFManyCallsAndProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	const calls10M, procs = 10_000_000, 1000
	script := fmt.Sprintf(`"$0" helper getppid-loop %d; i=0; while [ $i -lt %d ]; do /bin/true; i=$((i+1)); done`, calls10M, procs)
	res := recordBPF(t, context.Background(), Options{Argv: []string{"sh", "-c", script, self(t)}})
	mustComplete(t, res)
	// sh itself may call getppid; count the helper's through a baseline.
	base := recordBPF(t, context.Background(), Options{Argv: []string{"sh", "-c", `i=0; while [ $i -lt 1 ]; do i=$((i+1)); done`}})
	shPpid := count(calls(base.Trace, systab.X86_64, "getppid"))
	if got, want := count(calls(res.Trace, systab.X86_64, "getppid")), uint64(calls10M)+shPpid; got != want {
		t.Errorf("getppid: %d calls, want %d", got, want)
	}
	if got, want := count(calls(res.Trace, systab.X86_64, "execve")), uint64(1+1+procs); got != want {
		t.Errorf("execve: %d, want %d", got, want)
	}
	if got, want := count(calls(res.Trace, systab.X86_64, "exit_group")), uint64(1+1+procs); got != want {
		t.Errorf("exit_group: %d, want %d", got, want)
	}
}

// TestEBPFCallMapFull proves drop accounting with a deliberately tiny map:
// the trace is incomplete, says why, and still counts every call.
func TestEBPFCallMapFull(t *testing.T) {
	res := recordBPF(t, context.Background(), Options{Argv: []string{self(t), helperArg, "threads"}, ebpfMaxCalls: 4})
	if res.Trace.Complete || !strings.Contains(strings.Join(res.Trace.Gaps, ";"), "call map (4 entries) was full") {
		t.Fatalf("complete %v, gaps %q", res.Trace.Complete, res.Trace.Gaps)
	}
	if n := count(calls(res.Trace, systab.X86_64, "getpriority")); n != helperThreads {
		t.Errorf("%d getpriority calls, want %d: dropped arguments must not drop the calls", n, helperThreads)
	}
	full := recordBPF(t, context.Background(), Options{Argv: []string{self(t), helperArg, "threads"}})
	if got, want := len(res.Trace.Calls), len(full.Trace.Calls); got >= want {
		t.Errorf("%d distinct calls with a tiny map, %d without: nothing was dropped", got, want)
	}
}

// TestEBPFProcessSetFull: a process the full process set cannot hold is
// counted as dropped.
func TestEBPFProcessSetFull(t *testing.T) {
	sh := exec.Command("sh", "-c", `read go; "$0" helper tree 2`, self(t))
	in, _ := sh.StdinPipe()
	if err := sh.Start(); err != nil {
		t.Fatal(err)
	}
	defer sh.Wait()
	defer sh.Process.Kill()
	log := &attachLog{attached: make(chan struct{})}
	go func() {
		<-log.attached
		in.Write([]byte("go\n"))
		in.Close()
	}()
	res := recordBPF(t, context.Background(), Options{PID: sh.Process.Pid, Log: log, ebpfMaxProcs: 2, Duration: 10 * time.Second})
	if res.Trace.Complete || !strings.Contains(strings.Join(res.Trace.Gaps, ";"), "process set (2 entries) was full") {
		t.Fatalf("complete %v, gaps %q", res.Trace.Complete, res.Trace.Gaps)
	}
}

// TestEBPFAuto: auto picks eBPF here and says so; as nobody it falls back.
func TestEBPFAuto(t *testing.T) {
	var log bytes.Buffer
	res, err := Record(context.Background(), Options{Argv: []string{"true"}, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	if b := res.Trace.Provenance.Backend; b != BackendEBPF {
		testutil.Skip(t, "auto did not pick eBPF: "+log.String())
	}
	if !strings.Contains(log.String(), "backend ebpf") {
		t.Errorf("log does not say which backend: %q", log.String())
	}
}

func TestAttachErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		opts Options
		want string
	}{
		{"trace backend", Options{PID: os.Getpid(), Backend: BackendTrace}, "needs the ebpf backend"},
		{"both", Options{PID: 1, Cgroup: "/sys/fs/cgroup"}, "not both"},
		{"command and pid", Options{PID: 1, Argv: []string{"true"}}, "not several"},
		{"no such pid", Options{PID: 1 << 30, Backend: BackendEBPF}, "process " + strconv.Itoa(1<<30)},
		{"not a cgroup", Options{Cgroup: "/tmp", Backend: BackendEBPF}, "not below the cgroup2 mount"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Record(context.Background(), c.opts)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err %v, want one saying %q", err, c.want)
			}
		})
	}
}
