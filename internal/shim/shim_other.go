//go:build !linux

package shim

import (
	"io"
	"os/exec"
	"syscall"

	"golang.org/x/net/bpf"

	"github.com/profile-dev/profile/internal/unix"
)

// Main returns at once: there are no shims off Linux.
func Main() {}

// Stdio is the workload's standard streams; nil means this process's own.
type Stdio struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// Reaper is a running record shim.
type Reaper struct{}

// StartRecord is not supported off Linux.
func StartRecord(path string, argv []string, stdio Stdio, filter []bpf.RawInstruction) (*Reaper, error) {
	return nil, unix.ErrNotSupported
}

// Pid is the reaper's process id.
func (r *Reaper) Pid() int { return -1 }

// Listener is not supported off Linux.
func (r *Reaper) Listener() (int, error) { return -1, unix.ErrNotSupported }

// Signal is not supported off Linux.
func (r *Reaper) Signal(sig syscall.Signal) error { return unix.ErrNotSupported }

// KillTree is not supported off Linux.
func (r *Reaper) KillTree() error { return unix.ErrNotSupported }

// Wait is not supported off Linux.
func (r *Reaper) Wait() (int, error) { return -1, unix.ErrNotSupported }

// Run is a run shim.
type Run struct {
	Cmd *exec.Cmd
}

// NewRun prepares a run shim that cannot start off Linux.
func NewRun(path string, argv []string, prog []bpf.RawInstruction, stdio Stdio) *Run {
	return &Run{Cmd: &exec.Cmd{Path: path, Args: argv}}
}

// Start is not supported off Linux.
func (r *Run) Start() error { return unix.ErrNotSupported }
