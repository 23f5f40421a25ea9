package enforce

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"syscall"

	"golang.org/x/net/bpf"

	"github.com/profile-dev/profile/internal/shim"
	"github.com/profile-dev/profile/internal/unix"
)

// Sentinels callers branch on.
var (
	// ErrCommandNotFound: the workload's program does not exist; a shell
	// would exit 127.
	ErrCommandNotFound = shim.ErrCommandNotFound
	// ErrNotExecutable: the program cannot be executed; a shell would exit
	// 126.
	ErrNotExecutable = shim.ErrNotExecutable
)

// maxInstructions is the kernel's BPF_MAXINSNS for classic programs.
const maxInstructions = 4096

// Options are the workload's streams; nil inherits this process's, and
// *os.File values are passed through as they are.
type Options struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// Run executes argv under prog and returns its exit status as a shell
// reports it. An error means the workload did not run to its end: it could
// not start (wrapping ErrCommandNotFound, ErrNotExecutable or the shim's
// failure), or ctx ended and it was killed (the status then says how it
// died).
func Run(ctx context.Context, prog []bpf.RawInstruction, argv []string, opts Options) (int, error) {
	if len(argv) == 0 {
		return -1, errors.New("run: empty command")
	}
	if len(prog) == 0 || len(prog) > maxInstructions {
		return -1, fmt.Errorf("run: a program of %d instructions (want 1 to %d)", len(prog), maxInstructions)
	}
	path, err := shim.Resolve(argv[0])
	if err != nil {
		return -1, fmt.Errorf("run: %w", err)
	}
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)

	r := shim.NewRun(path, argv, prog, shim.Stdio{Stdin: opts.Stdin, Stdout: opts.Stdout, Stderr: opts.Stderr})
	if err := r.Start(); err != nil {
		return -1, fmt.Errorf("run: %w", err)
	}
	done := make(chan struct{})
	relayed := make(chan error, 1)
	go func() { relayed <- relay(ctx, r.Cmd.Process, sigs, done) }()
	err = r.Cmd.Wait()
	close(done)
	cancelled := <-relayed
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		return -1, fmt.Errorf("run: %w", err)
	}
	status := 0
	if ee != nil {
		status = shim.ExitStatus(ee.Sys().(syscall.WaitStatus))
	}
	if cancelled != nil {
		return status, fmt.Errorf("run: %w", cancelled)
	}
	return status, nil
}

// relay forwards signals to the workload and kills it when ctx ends; it
// returns ctx's cause if it did.
func relay(ctx context.Context, p *os.Process, sigs <-chan os.Signal, done <-chan struct{}) error {
	var cancelled error
	ctxDone := ctx.Done()
	for {
		select {
		case <-done:
			return cancelled
		case s := <-sigs:
			p.Signal(s)
		case <-ctxDone:
			cancelled = context.Cause(ctx)
			p.Kill()
			ctxDone = nil
		}
	}
}

// InstallSelf installs prog as a seccomp filter on every thread of the
// calling process (SECCOMP_FILTER_FLAG_TSYNC), after setting no_new_privs.
// It cannot be undone: from then on the process, and everything it starts,
// runs under the program.
func InstallSelf(prog []bpf.RawInstruction) error {
	if len(prog) == 0 || len(prog) > maxInstructions {
		return fmt.Errorf("install: a program of %d instructions (want 1 to %d)", len(prog), maxInstructions)
	}
	// no_new_privs is a property of the thread that sets it; the install
	// must come from that same thread (TSYNC then extends both to the
	// others).
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := unix.SetNoNewPrivs(); err != nil {
		return fmt.Errorf("install: %w", err)
	}
	if _, err := unix.InstallFilter(prog, unix.SeccompFilterFlagTsync); err != nil {
		return fmt.Errorf("install: %w", err)
	}
	return nil
}
