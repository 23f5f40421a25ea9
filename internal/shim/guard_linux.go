package shim

import (
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"

	"github.com/profile-dev/profile/internal/cgroup"
)

// The cgroup guard ends a workload whose recorder died. The eBPF recorder
// starts its command in a cgroup of its own; the main process dies with
// the recorder (PDEATHSIG), but its descendants would run on. The guard, a
// process of its own, waits on a pipe whose other end only the recorder
// holds: a 'd' says the recorder finished and the guard leaves; the end of
// the pipe without it means the recorder is gone, and the guard kills
// every process in the cgroup and removes it.

// guardDone is what a recorder that finished writes.
const guardDone = 'd'

// Guard is a running cgroup guard.
type Guard struct {
	w   *os.File
	cmd *exec.Cmd
}

// StartCgroupGuard starts a guard for the cgroup at path.
func StartCgroupGuard(path string) (*Guard, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("guard: %w", err)
	}
	defer r.Close()
	cmd := shimCommand(modeCgroupGuard, path, nil)
	cmd.ExtraFiles = []*os.File{r}
	cmd.Stderr = os.Stderr
	// Its own process group: a terminal's Ctrl-C is for the workload and
	// the recorder, which finishes and releases the guard.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		w.Close()
		return nil, fmt.Errorf("guard: %w", err)
	}
	return &Guard{w: w, cmd: cmd}, nil
}

// Release tells the guard the recorder finished. It does not wait for the
// guard, which may still be starting: it leaves as soon as it reads.
func (g *Guard) Release() error {
	_, err := g.w.Write([]byte{guardDone})
	g.w.Close()
	g.cmd.Process.Release()
	return err
}

// cgroupGuard is the guard's side: fd 3 is the pipe, PROFILE_SHIM_PATH the
// cgroup.
func cgroupGuard() int {
	signal.Ignore(syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGPIPE)
	path := os.Getenv(envPath)
	var b [1]byte
	if n, _ := os.NewFile(3, "guard").Read(b[:]); n == 1 && b[0] == guardDone {
		return 0
	}
	// The recorder is gone: end the workload, waiting for the processes to
	// go before the directory can.
	for range 50 {
		if err := cgroup.Kill(path); err != nil {
			break // no such cgroup any more
		}
		if pop, err := cgroup.Populated(path); err != nil || !pop {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cgroup.Remove(path); err != nil {
		fmt.Fprintln(os.Stderr, "profile: guard:", err)
		return 1
	}
	return 0
}
