package ebpf

import (
	"errors"
	"strings"
	"testing"
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
