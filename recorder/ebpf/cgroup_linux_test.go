package ebpf

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/profile-dev/profile/internal/testutil"
)

func TestParseCgroup2Mount(t *testing.T) {
	for _, c := range []struct {
		name, mountinfo, mount, root string
		err                          error
	}{
		{"pure v2", "30 23 0:26 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate\n", "/sys/fs/cgroup", "/", nil},
		{"hybrid", "25 24 0:22 / /sys/fs/cgroup rw shared:9 - tmpfs tmpfs ro\n" +
			"26 25 0:23 / /sys/fs/cgroup/unified rw,nosuid shared:10 - cgroup2 cgroup2 rw\n" +
			"27 25 0:24 / /sys/fs/cgroup/memory rw shared:11 - cgroup cgroup rw,memory\n", "/sys/fs/cgroup/unified", "/", nil},
		{"no optional fields, namespaced root, escaped space", "26 25 0:23 /a\\040b /mnt/cg\\040x rw - cgroup2 none rw\n", "/mnt/cg x", "/a b", nil},
		{"v1 only", "27 25 0:24 / /sys/fs/cgroup/memory rw shared:11 - cgroup cgroup rw,memory\n", "", "", ErrNoCgroup2},
	} {
		t.Run(c.name, func(t *testing.T) {
			mount, root, err := parseCgroup2Mount(strings.NewReader(c.mountinfo))
			if mount != c.mount || root != c.root || !errors.Is(err, c.err) {
				t.Errorf("got %q, %q, %v; want %q, %q, %v", mount, root, err, c.mount, c.root, c.err)
			}
		})
	}
}

func TestDepth(t *testing.T) {
	for p, want := range map[string]int{"/": 0, ".": 0, "a": 1, "/a/b/": 2, "a/b/c": 3} {
		if got := depth(p); got != want {
			t.Errorf("depth(%q) = %d, want %d", p, got, want)
		}
	}
}

// A recorder killed outright leaves its empty cgroup behind; the next one
// removes it, and nothing else.
func TestNewCgroupRemovesStale(t *testing.T) {
	const prefix = "profile-stale-test"
	probe, err := NewCgroup(prefix)
	testutil.SkipIfNotPermitted(t, err)
	parent := filepath.Dir(probe.Path)
	if err := probe.Remove(); err != nil {
		t.Fatal(err)
	}
	// A pid nobody has: a process that has exited and been waited for.
	exited := exec.Command("true")
	if err := exited.Run(); err != nil {
		t.Fatal(err)
	}
	dead := exited.Process.Pid
	dirs := map[string]bool{ // path -> should survive
		fmt.Sprintf("%s-%d-1", prefix, dead):        false, // stale
		fmt.Sprintf("%s-%d-2", prefix, os.Getpid()): true,  // a live recorder's
		fmt.Sprintf("%s-%d-3", prefix, dead):        true,  // stale but holding a process
		fmt.Sprintf("profile-other-%d-4", dead):     true,  // not ours
		fmt.Sprintf("%s-%d-x5", prefix, dead):       true,  // not our name pattern
		// Stale by its pid but just created: perhaps a recorder in another
		// pid namespace, about to start its command.
		fmt.Sprintf("%s-%d-%d", prefix, dead, time.Now().UnixNano()): true,
	}
	for name := range dirs {
		path := filepath.Join(parent, name)
		if err := os.Mkdir(path, 0o755); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Remove(path) })
	}
	busyDir, err := os.Open(filepath.Join(parent, fmt.Sprintf("%s-%d-3", prefix, dead)))
	if err != nil {
		t.Fatal(err)
	}
	defer busyDir.Close()
	sleeper := exec.Command("sleep", "30")
	sleeper.SysProcAttr = &syscall.SysProcAttr{UseCgroupFD: true, CgroupFD: int(busyDir.Fd())}
	if err := sleeper.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sleeper.Process.Kill(); sleeper.Wait() })

	cg, err := NewCgroup(prefix)
	if err != nil {
		t.Fatal(err)
	}
	defer cg.Remove()
	for name, survives := range dirs {
		_, err := os.Stat(filepath.Join(parent, name))
		if exists := err == nil; exists != survives {
			t.Errorf("%s: exists %v after NewCgroup, want %v", name, exists, survives)
		}
	}
}
