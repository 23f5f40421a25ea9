//go:build linux && amd64

package ebpf

import (
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"testing"

	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/internal/testutil"
	"github.com/profile-dev/profile/trace"
)

// startInCgroup records a command started into a fresh cgroup and returns
// what was recorded.
func recordCommand(t *testing.T, cfg Config, argv ...string) ([]trace.Call, []string, Stats) {
	t.Helper()
	cg, err := NewCgroup("profile-test")
	testutil.SkipIfNotPermitted(t, err)
	defer cg.Remove()
	r, err := Open(cfg, Target{Cgroup: cg.Path, WaitExec: true})
	testutil.SkipIfNotPermitted(t, err)
	defer r.Close()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.SysProcAttr = &syscall.SysProcAttr{UseCgroupFD: true, CgroupFD: cg.FD()}
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v: %v", argv, err)
	}
	st, _, err := r.Stats()
	if err != nil {
		t.Fatal(err)
	}
	calls, gaps, err := r.Calls()
	if err != nil {
		t.Fatal(err)
	}
	return calls, gaps, st
}

func count(calls []trace.Call, arch *systab.Arch, name string) uint64 {
	nr, _ := arch.Nr(name)
	var n uint64
	for _, c := range calls {
		if c.Arch == arch.Name && c.Nr == nr {
			n += c.Count
		}
	}
	return n
}

func TestRecordCommandCounts(t *testing.T) {
	const n = 5000
	calls, gaps, st := recordCommand(t, Config{}, "/bin/sh", "-c", "i=0; while [ $i -lt "+strconv.Itoa(n)+" ]; do i=$((i+1)); done; exec /bin/true")
	if len(gaps) != 0 {
		t.Errorf("gaps: %v", gaps)
	}
	if got := count(calls, systab.X86_64, "execve"); got != 2 {
		t.Errorf("execve: %d, want 2 (sh and true)", got)
	}
	if st.BeforeStart == 0 {
		t.Errorf("no call dropped before the first execve: the starter's calls were recorded")
	}
	for _, c := range calls {
		t.Log(c)
	}
}
