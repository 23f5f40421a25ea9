//go:build linux

package recorder

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/profile-dev/profile/internal/testutil"
)

const nobody = 65534

// TestUnprivileged records as an ordinary user. As root it re-runs a
// recording in a child whose credentials are nobody's; as anyone else the
// test process is already unprivileged.
func TestUnprivileged(t *testing.T) {
	const script = "id -u; exit 3"
	if os.Geteuid() != 0 {
		res := record(t, Options{Argv: []string{"sh", "-c", script}, Stdout: io.Discard})
		if res.ExitStatus != 3 || !res.Trace.Complete {
			t.Fatalf("exit %d, complete %v", res.ExitStatus, res.Trace.Complete)
		}
		return
	}
	// nobody must be able to run a copy of this binary, and read it: an
	// unreadable program is not dumpable, and pidfd_getfd would be refused.
	dir, err := os.MkdirTemp("", "profile-unprivileged-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "recorder.test")
	copyFile(t, self(t), bin)
	cmd := exec.Command(bin, helperArg, "record", BackendTrace, "sh", "-c", script)
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		testutil.SkipIfNotPermitted(t, err)
		t.Fatalf("%v: %s", err, stderr.String())
	}
	want := "65534\nexit=3 complete=true execve=2\n"
	if string(out) != want {
		t.Errorf("output %q, want %q; stderr %q", out, want, stderr.String())
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o755); err != nil {
		t.Fatal(err)
	}
}
