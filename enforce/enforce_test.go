//go:build linux

package enforce

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/net/bpf"

	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/internal/testutil"
	"github.com/profile-dev/profile/internal/unix"
)

const (
	retAllow = 0x7fff0000
	retErrno = 0x00050000
	retKill  = 0x80000000
)

// denyGetppid allows every call but getppid, which gets action. Calls
// from another ABI are allowed too: the test is about one syscall.
func denyGetppid(t *testing.T, action uint32) []bpf.RawInstruction {
	t.Helper()
	nr, _ := systab.Native().Nr("getppid")
	prog, err := bpf.Assemble([]bpf.Instruction{
		bpf.LoadAbsolute{Off: 4, Size: 4},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: systab.Native().Audit, SkipFalse: 3},
		bpf.LoadAbsolute{Off: 0, Size: 4},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: nr, SkipFalse: 1},
		bpf.RetConstant{Val: action},
		bpf.RetConstant{Val: retAllow},
	})
	if err != nil {
		t.Fatal(err)
	}
	return prog
}

func allowAll(t *testing.T) []bpf.RawInstruction {
	t.Helper()
	prog, err := bpf.Assemble([]bpf.Instruction{bpf.RetConstant{Val: retAllow}})
	if err != nil {
		t.Fatal(err)
	}
	return prog
}

func self(t *testing.T) string {
	t.Helper()
	p, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func run(t *testing.T, prog []bpf.RawInstruction, argv ...string) (int, string) {
	t.Helper()
	var out bytes.Buffer
	status, err := Run(context.Background(), prog, argv, Options{Stdout: &out})
	if err != nil {
		t.Fatalf("Run(%q): %v", argv, err)
	}
	return status, out.String()
}

func TestDenyGetppid(t *testing.T) {
	for _, c := range []struct {
		name   string
		prog   []bpf.RawInstruction
		argv   []string
		status int
		out    string
	}{
		{"allow all", allowAll(t), []string{self(t), helperArg, "getppid"}, 0, "getppid=ok getpid=ok\n"},
		{"EPERM", denyGetppid(t, retErrno|uint32(syscall.EPERM)), []string{self(t), helperArg, "getppid"}, 0, "getppid=EPERM getpid=ok\n"},
		// The filter is inherited: a grandchild through sh sees it too.
		{"inherited", denyGetppid(t, retErrno|uint32(syscall.EPERM)), []string{"sh", "-c", `"$0" helper getppid`, self(t)}, 0, "getppid=EPERM getpid=ok\n"},
		{"kill process", denyGetppid(t, retKill), []string{self(t), helperArg, "getppid"}, 128 + int(syscall.SIGSYS), ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			status, out := run(t, c.prog, c.argv...)
			if status != c.status || out != c.out {
				t.Errorf("status %d, output %q; want %d, %q", status, out, c.status, c.out)
			}
		})
	}
}

// TestNoNewPrivs: the workload runs in filter mode, with no_new_privs
// unless the caller has CAP_SYS_ADMIN.
func TestNoNewPrivs(t *testing.T) {
	admin, err := unix.HasEffectiveCap(unix.CapSysAdmin)
	if err != nil {
		t.Fatal(err)
	}
	want := "NoNewPrivs=1 Seccomp=2 \n"
	if admin {
		want = "NoNewPrivs=0 Seccomp=2 \n"
	}
	if _, out := run(t, allowAll(t), self(t), helperArg, "status"); out != want {
		t.Errorf("got %q, want %q", out, want)
	}
}

func TestExitStatus(t *testing.T) {
	for _, c := range []struct {
		script string
		want   int
	}{
		{"exit 0", 0},
		{"exit 7", 7},
		{"kill -TERM $$", 128 + int(syscall.SIGTERM)},
	} {
		t.Run(c.script, func(t *testing.T) {
			if status, _ := run(t, allowAll(t), "sh", "-c", c.script); status != c.want {
				t.Errorf("status %d, want %d", status, c.want)
			}
		})
	}
}

func TestStdio(t *testing.T) {
	var out, errOut bytes.Buffer
	status, err := Run(context.Background(), allowAll(t), []string{"sh", "-c", `read x; echo "got $x"; echo e >&2`},
		Options{Stdin: strings.NewReader("in\n"), Stdout: &out, Stderr: &errOut})
	if err != nil || status != 0 || out.String() != "got in\n" || errOut.String() != "e\n" {
		t.Errorf("status %d, err %v, stdout %q, stderr %q", status, err, out.String(), errOut.String())
	}
}

func TestCommandErrors(t *testing.T) {
	plain, garbage := testutil.UnrunnableFiles(t)
	for _, c := range []struct {
		name string
		argv []string
		want error
	}{
		{"not found", []string{"no-such-command-for-profile"}, ErrCommandNotFound},
		{"not a program", []string{garbage}, ErrNotExecutable},
		{"not executable", []string{plain}, ErrNotExecutable},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := Run(context.Background(), allowAll(t), c.argv, Options{}); !errors.Is(err, c.want) {
				t.Errorf("err %v, want %v", err, c.want)
			}
		})
	}
}

type readyWriter struct {
	once  sync.Once
	ready chan struct{}
}

func (w *readyWriter) Write(p []byte) (int, error) {
	w.once.Do(func() { close(w.ready) })
	return len(p), nil
}

func TestSignalRelay(t *testing.T) {
	w := &readyWriter{ready: make(chan struct{})}
	go func() {
		<-w.ready
		syscall.Kill(os.Getpid(), syscall.SIGTERM)
	}()
	status, err := Run(context.Background(), allowAll(t), []string{"sh", "-c", "echo ready; exec sleep 20"}, Options{Stdout: w})
	if err != nil || status != 128+int(syscall.SIGTERM) {
		t.Errorf("status %d, err %v; want %d", status, err, 128+int(syscall.SIGTERM))
	}
}

func TestCancel(t *testing.T) {
	w := &readyWriter{ready: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-w.ready
		cancel()
	}()
	start := time.Now()
	status, err := Run(ctx, allowAll(t), []string{"sh", "-c", "echo ready; exec sleep 20"}, Options{Stdout: w})
	if !errors.Is(err, context.Canceled) || status != 128+int(syscall.SIGKILL) {
		t.Errorf("status %d, err %v", status, err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v", d)
	}
}

// TestUnprivileged: without CAP_SYS_ADMIN the shim sets no_new_privs. As
// root the test re-runs Run as nobody from a copy of this binary.
func TestUnprivileged(t *testing.T) {
	if os.Geteuid() != 0 {
		if _, out := run(t, allowAll(t), self(t), helperArg, "status"); out != "NoNewPrivs=1 Seccomp=2 \n" {
			t.Errorf("got %q", out)
		}
		return
	}
	dir, err := os.MkdirTemp("", "profile-unprivileged-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "enforce.test")
	b, err := os.ReadFile(self(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, b, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, helperArg, "run-status")
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		testutil.SkipIfNotPermitted(t, err)
		t.Fatalf("%v: %s", err, stderr.String())
	}
	if string(out) != "NoNewPrivs=1 Seccomp=2 \n" {
		t.Errorf("got %q, stderr %q", out, stderr.String())
	}
}
