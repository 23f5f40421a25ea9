package ebpf

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/profile-dev/profile/internal/cgroup"
)

// ErrNoCgroup2: no cgroup v2 hierarchy is mounted.
var ErrNoCgroup2 = errors.New("no cgroup2 file system mounted")

// Cgroup2Mount finds where the cgroup v2 hierarchy is mounted and which of
// its directories that mount shows at its root. On a hybrid host it is not
// /sys/fs/cgroup (often /sys/fs/cgroup/unified), so mountinfo is read.
func Cgroup2Mount() (mount, root string, err error) {
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return "", "", fmt.Errorf("cgroup2: %w", err)
	}
	defer f.Close()
	return parseCgroup2Mount(f)
}

// parseCgroup2Mount reads mountinfo lines: "ID PARENT MAJ:MIN ROOT MOUNTPOINT
// OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER".
func parseCgroup2Mount(r io.Reader) (mount, root string, err error) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		for i := 6; i+1 < len(f); i++ {
			if f[i] == "-" {
				if f[i+1] == "cgroup2" && len(f) > 4 {
					return unescapeMount(f[4]), unescapeMount(f[3]), nil
				}
				break
			}
		}
	}
	if err := sc.Err(); err != nil {
		return "", "", fmt.Errorf("cgroup2: mountinfo: %w", err)
	}
	return "", "", ErrNoCgroup2
}

// unescapeMount undoes mountinfo's octal escapes (\040 for a space).
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(v))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// cgroupTarget resolves a cgroup v2 directory to the id the kernel reports
// (its kernfs inode number) and its depth below the hierarchy's root (0 for
// the root), which bpf_get_current_ancestor_cgroup_id takes.
func cgroupTarget(path string) (id uint64, level int, err error) {
	mount, root, err := Cgroup2Mount()
	if err != nil {
		return 0, 0, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return 0, 0, fmt.Errorf("cgroup %s: %w", path, err)
	}
	abs, err = filepath.EvalSymlinks(abs)
	if err != nil {
		return 0, 0, fmt.Errorf("cgroup %s: %w", path, err)
	}
	rel, err := filepath.Rel(mount, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
		return 0, 0, fmt.Errorf("cgroup %s: not below the cgroup2 mount %s", path, mount)
	}
	var st syscall.Stat_t
	if err := syscall.Stat(abs, &st); err != nil {
		return 0, 0, fmt.Errorf("cgroup %s: %w", path, err)
	}
	if _, err := os.Stat(filepath.Join(abs, "cgroup.procs")); err != nil {
		return 0, 0, fmt.Errorf("cgroup %s: not a cgroup v2 directory: %w", path, err)
	}
	return st.Ino, depth(root) + depth(rel), nil
}

func depth(p string) int {
	p = strings.Trim(filepath.Clean(p), "/")
	if p == "" || p == "." {
		return 0
	}
	return strings.Count(p, "/") + 1
}

// Cgroup is a cgroup v2 directory this process created for a workload.
type Cgroup struct {
	Path string
	dir  *os.File
}

// NewCgroup creates a fresh cgroup below this process's own cgroup v2
// (falling back to the hierarchy's root), for a command to start in.
func NewCgroup(prefix string) (*Cgroup, error) {
	mount, root, err := Cgroup2Mount()
	if err != nil {
		return nil, err
	}
	parents := []string{mount}
	if own, err := ownCgroup(); err == nil {
		if rel, err := filepath.Rel(root, own); err == nil && !strings.HasPrefix(rel, "..") {
			parents = []string{filepath.Join(mount, rel), mount}
		}
	}
	name := fmt.Sprintf("%s-%d-%d", prefix, os.Getpid(), time.Now().UnixNano())
	var errs []error
	for _, p := range parents {
		path := filepath.Join(p, name)
		if err := os.Mkdir(path, 0o755); err != nil {
			errs = append(errs, err)
			continue
		}
		removeStale(p, prefix)
		dir, err := os.Open(path)
		if err != nil {
			os.Remove(path)
			return nil, fmt.Errorf("cgroup: %w", err)
		}
		return &Cgroup{Path: path, dir: dir}, nil
	}
	return nil, fmt.Errorf("cgroup: %w", errors.Join(errs...))
}

// staleAge is how old a cgroup must be before another recording may remove
// it: a live recorder's cgroup is empty only for the moments before its
// command starts and after it ends, and a recorder in another pid
// namespace has a pid this process cannot see.
const staleAge = time.Minute

// removeStale removes the empty cgroups a recorder killed outright (before
// its guard started, or with its guard) left in dir: those named
// PREFIX-PID-NANOS, created over staleAge ago, whose PID no longer runs. A
// cgroup that still holds a process cannot be removed (rmdir fails with
// EBUSY), and a live recorder's PID is alive, so neither is touched; a
// reused PID only keeps a stale cgroup a little longer.
func removeStale(dir, prefix string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), prefix+"-")
		if !ok || !e.IsDir() {
			continue
		}
		pidText, nanosText, ok := strings.Cut(rest, "-")
		pid, perr := strconv.Atoi(pidText)
		nanos, nerr := strconv.ParseInt(nanosText, 10, 64)
		if !ok || perr != nil || nerr != nil || pid <= 0 || time.Since(time.Unix(0, nanos)) < staleAge {
			continue
		}
		if syscall.Kill(pid, 0) != syscall.ESRCH {
			continue
		}
		os.Remove(filepath.Join(dir, e.Name()))
	}
}

// ownCgroup is this process's cgroup v2 path ("0::/path").
func ownCgroup() (string, error) {
	b, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return "", err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if p, ok := strings.CutPrefix(line, "0::"); ok {
			return p, nil
		}
	}
	return "", ErrNoCgroup2
}

// FD is the directory's descriptor, for SysProcAttr.CgroupFD.
func (c *Cgroup) FD() int { return int(c.dir.Fd()) }

// Populated reports whether any process is left in the cgroup or below.
func (c *Cgroup) Populated() (bool, error) { return cgroup.Populated(c.Path) }

// Kill SIGKILLs every process in the cgroup (cgroup.kill, Linux 5.14), or
// each listed process on older kernels.
func (c *Cgroup) Kill() error { return cgroup.Kill(c.Path) }

// Remove deletes the cgroup once it is empty, retrying briefly: the last
// exit is reported before the kernel lets go of the directory.
func (c *Cgroup) Remove() error {
	c.dir.Close()
	return cgroup.Remove(c.Path)
}
