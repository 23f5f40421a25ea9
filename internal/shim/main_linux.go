package shim

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"syscall"

	"golang.org/x/net/bpf"

	"github.com/profile-dev/profile/internal/unix"
)

// Main plays the shim's part when this process was started as one, and
// never returns then; otherwise it returns at once. Call it first thing in
// main() and in TestMain.
func Main() {
	mode, ok := os.LookupEnv(envMode)
	if !ok {
		return
	}
	// A filter installed without TSYNC binds to one OS thread: the one that
	// will call execve.
	runtime.LockOSThread()
	switch mode {
	case modeRecord:
		os.Exit(reaper())
	case modeRecordExec:
		recordExec()
	case modeRun:
		runExec()
	case modeCgroupGuard:
		os.Exit(cgroupGuard())
	}
	fmt.Fprintf(os.Stderr, "profile: unknown shim mode %q\n", mode)
	os.Exit(exitShimFailed)
}

// recordExec is the record-exec shim: fd 3 is the error pipe, and with
// PROFILE_SHIM_FILTER set fd 4 carries the program to install (otherwise it
// notifies every call).
func recordExec() {
	errFile := os.NewFile(3, "error pipe")
	syscall.CloseOnExec(3)
	prog := notifyAll()
	if os.Getenv(envFilter) != "" {
		var err error
		if prog, err = readProgram(os.NewFile(4, "program")); err != nil {
			fail(errFile, exitShimFailed, err)
		}
	}
	path := os.Getenv(envPath)
	checkExecutable(errFile, path)
	e, err := unix.PrepareExec(path, os.Args[1:], workloadEnv())
	if err != nil {
		fail(errFile, exitShimFailed, err)
	}
	if err := unix.SetNoNewPrivs(); err != nil {
		fail(errFile, exitShimFailed, err)
	}
	err = unix.InstallFilterAndExec(prog, unix.SeccompFilterFlagNewListener, e)
	failExec(errFile, path, err)
}

// runExec is the run shim: fd 3 carries the program, fd 4 is the error
// pipe.
func runExec() {
	progFile, errFile := os.NewFile(3, "program"), os.NewFile(4, "error pipe")
	syscall.CloseOnExec(4)
	prog, err := readProgram(progFile)
	if err != nil {
		fail(errFile, exitShimFailed, err)
	}
	path := os.Getenv(envPath)
	checkExecutable(errFile, path)
	e, err := unix.PrepareExec(path, os.Args[1:], workloadEnv())
	if err != nil {
		fail(errFile, exitShimFailed, err)
	}
	// A task with CAP_SYS_ADMIN may install a filter without no_new_privs,
	// and then setuid programs keep working under it.
	admin, err := unix.HasEffectiveCap(unix.CapSysAdmin)
	if err != nil || !admin {
		if err := unix.SetNoNewPrivs(); err != nil {
			fail(errFile, exitShimFailed, err)
		}
	}
	err = unix.InstallFilterAndExec(prog, 0, e)
	failExec(errFile, path, err)
}

// readProgram reads and closes an inherited program fd.
func readProgram(f *os.File) ([]bpf.RawInstruction, error) {
	data, err := io.ReadAll(f)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("read program: %w", err)
	}
	return decodeProgram(data)
}

// failExec reports an install-or-exec failure with the shell's exit code.
func failExec(errFile *os.File, path string, err error) {
	switch {
	case errors.Is(err, syscall.ENOENT):
		fail(errFile, ExitNotFound, errors.New(path))
	case errors.Is(err, syscall.EACCES), errors.Is(err, syscall.ENOEXEC), errors.Is(err, syscall.EISDIR):
		fail(errFile, ExitNotExecutable, errors.New(path))
	}
	fail(errFile, exitShimFailed, err)
}
