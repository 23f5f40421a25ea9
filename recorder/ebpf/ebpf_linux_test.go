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

// TestBatchReads checks the batch lookups that read the maps at the end
// against reading them entry by entry (the fallback for kernels without
// batch operations), on a call map that needs several batches.
func TestBatchReads(t *testing.T) {
	cg, err := NewCgroup("profile-test")
	testutil.SkipIfNotPermitted(t, err)
	defer cg.Remove()
	r, err := Open(Config{}, Target{Cgroup: cg.Path, WaitExec: true}) // all arguments: many distinct calls
	testutil.SkipIfNotPermitted(t, err)
	defer r.Close()
	cmd := exec.Command("/bin/sh", "-c", "i=0; while [ $i -lt 200 ]; do : > /dev/null; i=$((i+1)); done; ls -l /usr/bin /usr/lib >/dev/null")
	cmd.SysProcAttr = &syscall.SysProcAttr{UseCgroupFD: true, CgroupFD: cg.FD()}
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	collect := func(read func(func(recorderCallKey, []uint64)) error) map[recorderCallKey]uint64 {
		t.Helper()
		out := map[recorderCallKey]uint64{}
		err := read(func(k recorderCallKey, v []uint64) {
			if _, dup := out[k]; dup {
				t.Errorf("key %+v read twice", k)
			}
			out[k] = sum(v)
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	batched, iterated := collect(r.readCalls), collect(r.iterateCalls)
	if len(batched) <= 2*callBatch {
		t.Fatalf("%d distinct calls: want more than %d to cross batches", len(batched), 2*callBatch)
	}
	if len(batched) != len(iterated) {
		t.Errorf("batched %d entries, iterated %d", len(batched), len(iterated))
	}
	for k, n := range iterated {
		if batched[k] != n {
			t.Errorf("%+v: batched %d, iterated %d", k, batched[k], n)
		}
	}
	bc, err := r.readCounts()
	if err != nil {
		t.Fatal(err)
	}
	ic, err := r.iterateCounts()
	if err != nil {
		t.Fatal(err)
	}
	var total uint64
	for i := range ic {
		if bc[i] != ic[i] {
			t.Errorf("counts[%d]: batched %d, iterated %d", i, bc[i], ic[i])
		}
		total += ic[i]
	}
	if total == 0 {
		t.Error("nothing counted")
	}
}
