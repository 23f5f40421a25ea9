// Package cgroup holds the few operations on a cgroup v2 directory that
// both the eBPF recorder and its guard process need: ending every process
// in it and removing it.
package cgroup

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Kill SIGKILLs every process in the cgroup at path (cgroup.kill, Linux
// 5.14), or each listed process on older kernels.
func Kill(path string) error {
	if err := os.WriteFile(filepath.Join(path, "cgroup.kill"), []byte("1"), 0); err == nil {
		return nil
	}
	b, err := os.ReadFile(filepath.Join(path, "cgroup.procs"))
	if err != nil {
		return fmt.Errorf("cgroup: %w", err)
	}
	for _, f := range strings.Fields(string(b)) {
		if pid, err := strconv.Atoi(f); err == nil {
			syscall.Kill(pid, syscall.SIGKILL)
		}
	}
	return nil
}

// Populated reports whether any process is left in the cgroup or below.
func Populated(path string) (bool, error) {
	b, err := os.ReadFile(filepath.Join(path, "cgroup.events"))
	if err != nil {
		return false, fmt.Errorf("cgroup: %w", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "populated "); ok {
			return v != "0", nil
		}
	}
	return false, fmt.Errorf("cgroup: %s/cgroup.events has no populated line", path)
}

// Remove deletes the cgroup once it is empty, retrying for about a second:
// the last exit is reported before the kernel lets go of the directory.
func Remove(path string) error {
	var err error
	for range 100 {
		if err = os.Remove(path); err == nil || errors.Is(err, os.ErrNotExist) {
			return nil
		}
		time.Sleep(10 * time.Millisecond)
	}
	return fmt.Errorf("cgroup: %w", err)
}
