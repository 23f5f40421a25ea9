package shim

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"strings"
	"syscall"
)

// Sentinels callers branch on; the CLI maps them to the shell's exit codes.
var (
	// ErrCommandNotFound: the workload's program does not exist (exit 127).
	ErrCommandNotFound = errors.New("command not found")
	// ErrNotExecutable: the program exists but cannot be executed (exit 126).
	ErrNotExecutable = errors.New("permission denied")
	// ErrShim: the shim could not set the workload up; the message says why.
	ErrShim = errors.New("shim")
)

// Exit codes of a shim that fails, as a shell would report them.
const (
	ExitNotExecutable = 126
	ExitNotFound      = 127
	// exitShimFailed is used for anything else the shim cannot do (as
	// env(1) and chroot(8) use 125).
	exitShimFailed = 125
)

const (
	envMode = "PROFILE_SHIM"
	envPath = "PROFILE_SHIM_PATH"
	// envFilter, set for the record shims, says that the recorder passes a
	// program to install instead of notifying every call.
	envFilter = "PROFILE_SHIM_FILTER"

	modeRecord      = "record"
	modeRecordExec  = "record-exec"
	modeRun         = "run"
	modeCgroupGuard = "cgroup-guard"

	// shimArgv0 names the shim in ps output.
	shimArgv0 = "profile-shim"
)

// Resolve finds a command as a shell would: through PATH unless it contains
// a slash. The errors wrap ErrCommandNotFound or ErrNotExecutable.
func Resolve(name string) (string, error) {
	if name == "" {
		return "", fmt.Errorf("%q: %w", name, ErrCommandNotFound)
	}
	p, err := exec.LookPath(name)
	switch {
	case err == nil, errors.Is(err, exec.ErrDot):
		// ErrDot: found through a relative PATH entry; a shell would run it.
		return p, nil
	case errors.Is(err, fs.ErrPermission), errors.Is(err, syscall.EISDIR):
		return "", fmt.Errorf("%s: %w", name, ErrNotExecutable)
	default:
		return "", fmt.Errorf("%s: %w", name, ErrCommandNotFound)
	}
}

// ExitStatus converts a wait status into the shell's exit status: the exit
// code, or 128+N for a process killed by signal N.
func ExitStatus(ws syscall.WaitStatus) int {
	if ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ws.ExitStatus()
}

// workloadEnv is the environment the workload gets: ours without the shim's
// markers.
func workloadEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, envMode+"=") || strings.HasPrefix(kv, envPath+"=") || strings.HasPrefix(kv, envFilter+"=") {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// shimCommand re-executes this binary in a mode.
func shimCommand(mode, path string, argv []string) *exec.Cmd {
	cmd := &exec.Cmd{
		Path: "/proc/self/exe",
		Args: append([]string{shimArgv0}, argv...),
		Env:  append(workloadEnv(), envMode+"="+mode, envPath+"="+path),
	}
	return cmd
}

// fail reports a shim error on the error pipe the parent reads (stderr
// when there is none) and exits.
func fail(errFile *os.File, code int, err error) {
	if errFile != nil {
		errFile.WriteString(err.Error())
	} else {
		fmt.Fprintln(os.Stderr, "profile:", err)
	}
	os.Exit(code)
}

// exitError turns a failed shim's exit code and message into an error that
// wraps the matching sentinel. For 126 and 127 the message is the path.
func exitError(code int, msg string) error {
	switch code {
	case ExitNotFound:
		return fmt.Errorf("%s: %w", msg, ErrCommandNotFound)
	case ExitNotExecutable:
		return fmt.Errorf("%s: %w", msg, ErrNotExecutable)
	}
	return fmt.Errorf("%w: %s", ErrShim, msg)
}

// checkExecutable repeats Resolve's verdict in the shim, in case the file
// changed since, and reports it with the shell's exit code.
func checkExecutable(errFile *os.File, path string) {
	fi, err := os.Stat(path)
	if err != nil {
		fail(errFile, ExitNotFound, errors.New(path))
	}
	if fi.IsDir() || fi.Mode()&0o111 == 0 {
		fail(errFile, ExitNotExecutable, errors.New(path))
	}
}
